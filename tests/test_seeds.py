"""Reading seed pages in every documented encoding, refusing what is not text, and the manifest."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.errors import ArchiveError
from newsarchive.seeds import (MAX_PAGE_BYTES, Manifest, PageInfo, decode_page, list_pages,
                               load_manifest, read_page)
from newsarchive.text import fold_radicals

PAGE = "本报讯（记者 施翔）12 月 21 日，活动启动。\n据了解，TOP20 榜单公布。\n"


@pytest.mark.parametrize("data, encoding", [
    (PAGE.encode("utf-8"), "utf-8"),
    (b"\xef\xbb\xbf" + PAGE.encode("utf-8"), "utf-8 with BOM"),
    (PAGE.encode("utf-16"), "utf-16 with BOM"),                       # native order, with BOM
    (b"\xfe\xff" + PAGE.encode("utf-16-be"), "utf-16 with BOM"),
    (PAGE.encode("gb18030"), "gb18030"),
    (PAGE.replace("\n", "\r\n").encode("gb18030"), "gb18030"),
    (PAGE.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    (PAGE.replace("\n", "\r").encode("utf-8"), "utf-8"),
    (("𠀀" + PAGE).encode("gb18030"), "gb18030"),                    # four-byte GB18030 sequence
])
def test_decode_page_reads_each_encoding_to_the_same_text(data, encoding):
    text, found = decode_page(data, "p.txt")
    assert found == encoding
    assert "\r" not in text
    assert text.removeprefix("𠀀") == PAGE


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image"),
    (b"PK\x03\x04\x14\x00", "a ZIP archive"),
    (b"\x00\x01\x02\x03binary\x00", "NUL bytes"),
    (PAGE.encode("utf-16-le"), "NUL bytes"),                          # UTF-16 without its BOM
    ("本報訊（記者 施翔）活動啟動，市民遊客駐足觀看。".encode("big5"), "neither UTF-8"),
    ("Größe café".encode("latin-1"), "neither UTF-8"),
    (b"\xef\xbb\xbf" + b"\xff\xfe\xfd", "not utf-8"),
    (b"text\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 3, "control characters"),
])
def test_decode_page_refuses_what_is_not_a_page_text(data, message):
    with pytest.raises(ArchiveError) as info:
        decode_page(data, "seeds/bad.txt")
    assert message in str(info.value)
    assert str(info.value).startswith("seeds/bad.txt: ")
    assert "\n" not in str(info.value)


def test_utf8_with_a_damaged_byte_is_refused_with_its_line_not_read_as_gb18030():
    data = (PAGE * 40).encode("utf-8")
    damaged = data[:1000] + b"\xff" + data[1000:]
    with pytest.raises(ArchiveError) as info:
        decode_page(damaged, "seeds/p.txt")
    line = data[:1000].count(b"\n") + 1
    assert str(info.value).startswith(f"seeds/p.txt:{line}: is UTF-8 text with ")
    assert "invalid byte" in str(info.value)


def test_gb18030_with_few_chinese_characters_still_reads():
    data = ("West Ning Evening News, page A01. " * 20 + "西宁晚报头版要闻\n").encode("gb18030")
    assert decode_page(data, "p.txt")[1] == "gb18030"


def test_form_feeds_between_pdf_pages_become_line_breaks():
    assert decode_page("第一行\f第二行".encode(), "p.txt")[0] == "第一行\n第二行"


@pytest.mark.parametrize("text, warning", [
    ("", "empty"),
    ("  \n\n \n", "empty"),
    ("Page 3\nNo Chinese here at all.\n", "no Chinese"),
])
def test_read_page_warns_about_pages_without_articles(tmp_path, text, warning):
    path = tmp_path / "p.txt"
    path.write_text(text, encoding="utf-8")
    page = read_page(path)
    assert page.name == "p.txt"
    assert len(page.warnings) == 1 and warning in page.warnings[0]


def test_read_page_refuses_a_huge_file_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)   # sparse: costs no disk and no read
    with pytest.raises(ArchiveError, match=r"huge.txt: is 50.0 MB.*split it"):
        read_page(path)
    assert MAX_PAGE_BYTES < 50 * 1024 * 1024


def test_list_pages_is_sorted_and_names_what_it_ignores(tmp_path):
    for name in ("b.txt", "a.txt", "manifest.yaml", "c.txt.bak", "10.txt", "D.TXT", ".hidden.txt~",
                 "e.PDF"):
        (tmp_path / name).write_text("页", encoding="utf-8")
    (tmp_path / "dir.txt").mkdir()
    pages, ignored = list_pages(tmp_path)
    assert [p.name for p in pages] == ["10.txt", "D.TXT", "a.txt", "b.txt", "e.PDF"]
    assert ignored == ["c.txt.bak", "dir.txt"]


def test_list_pages_names_a_missing_folder(tmp_path):
    with pytest.raises(ArchiveError, match="seed folder not found"):
        list_pages(tmp_path / "nope")


def _manifest(tmp_path, text, names=("a.txt", "b.txt")):
    (tmp_path / "manifest.yaml").write_text(text, encoding="utf-8")
    return load_manifest(tmp_path, list(names))


def test_manifest_entries_fill_in_from_defaults(tmp_path):
    manifest = _manifest(tmp_path, "defaults: {paper: 西宁晚报, edition: 早版, year: 2024}\n"
                                   "pages:\n  a.txt: {date: 2024-12-22, page: A01}\n"
                                   "  b.txt: {paper: 青海日报, page: 3, year: 2023}\n")
    assert manifest.info("a.txt") == PageInfo("西宁晚报", dt.date(2024, 12, 22), "A01", "早版", 2024)
    assert manifest.info("b.txt") == PageInfo("青海日报", None, "3", "早版", 2023)
    assert manifest.info("other.txt") == PageInfo("西宁晚报", None, None, "早版", 2024)


def test_no_manifest_or_an_empty_one_means_infer_everything(tmp_path):
    assert load_manifest(tmp_path, ["a.txt"]) == Manifest()
    assert _manifest(tmp_path, "# nothing yet\n") == Manifest()


@pytest.mark.parametrize("text, where, message", [
    ("pages:\n  a.txt: {date: 2024-12-22\n", "manifest.yaml:3", "invalid YAML"),
    ("pages: [a.txt]\n", "key 'pages'", "expected a mapping"),
    ("- a.txt\n", "manifest.yaml", "expected a mapping with 'defaults:'"),
    ("defaults: {papr: 西宁晚报}\n", "key 'defaults.papr'", "did you mean 'paper'"),
    ("page:\n  a.txt: {page: A01}\n", "key 'page'", "did you mean 'pages'"),
    ("pages:\n  a.txt: {date: 2024-02-30}\n", "key 'pages.a.txt.date'", "not a day of the calendar"),
    ("pages:\n  a.txt: {date: 2024/12/22}\n", "key 'pages.a.txt.date'", "YYYY-MM-DD"),
    ("pages:\n  a.txt: {date: 20241222}\n", "key 'pages.a.txt.date'", "YYYY-MM-DD"),
    ("defaults: {year: 24}\n", "key 'defaults.year'", "expected a year"),
    ("defaults: {year: '2024'}\n", "key 'defaults.year'", "expected a year"),
    ("pages:\n  a.txt: {page: 第一版}\n", "key 'pages.a.txt.page'", "page label"),
    ("pages:\n  a.txt: {paper: [西宁晚报]}\n", "key 'pages.a.txt.paper'", "non-empty text"),
    ("pages:\n  a.txt: A01\n", "key 'pages.a.txt'", "expected a mapping"),
    ("pages:\n  gone.txt: {page: A01}\n", "key 'pages.gone.txt'", "not in"),
])
def test_manifest_errors_name_the_file_and_key(tmp_path, text, where, message):
    with pytest.raises(ArchiveError) as info:
        _manifest(tmp_path, text)
    assert where in str(info.value) and message in str(info.value)
    assert "manifest.yaml" in str(info.value)


def test_manifest_reports_every_problem_at_once(tmp_path):
    with pytest.raises(ArchiveError) as info:
        _manifest(tmp_path, "pages:\n  a.txt: {date: 2023-02-29}\n  gone.txt: {}\n")
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert "2023-02-29" in lines[0] and "gone.txt" in lines[1]


@given(st.binary(max_size=400))
@settings(max_examples=1500, deadline=None)
def test_decode_page_never_fails_other_than_with_a_named_error(data):
    try:
        text, encoding = decode_page(data, "p.txt")
    except ArchiveError as exc:
        assert str(exc).startswith("p.txt: ")
    else:
        assert "\r" not in text and encoding


def test_radicals_read_for_ideographs_become_those_ideographs():
    text, _ = decode_page("守护⽣命 依靠⼈⺠群众 ⼾口 ⻓江".encode(), "p.txt")
    assert text == "守护生命 依靠人民群众 户口 长江"


@given(st.text(max_size=200))
@settings(max_examples=500, deadline=None)
def test_any_utf8_text_decodes_to_itself(text):
    if text.startswith("\ufeff") or any(c in text for c in "\r\f\x00"):
        return
    try:
        # Radicals an extractor put for ideographs are read as those ideographs.
        assert decode_page(text.encode("utf-8"), "p.txt") == (fold_radicals(text), "utf-8")
    except ArchiveError as exc:
        assert "control characters" in str(exc)
