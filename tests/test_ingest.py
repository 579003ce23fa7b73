"""Ingest end to end in temporary copies: encodings, bad pages, manifest errors, hand edits, stale
files, and the committed content/ reproduced byte for byte from the committed seeds."""

from __future__ import annotations

import datetime as dt
import errno
import json
import shutil
import threading
from pathlib import Path

import pytest

from newsarchive import ingest
from newsarchive.config import load_config
from newsarchive.errors import ArchiveError
from newsarchive.frontmatter import parse_article
from newsarchive.ingest import STATE_FILE, article_id, ingest_seeds
from newsarchive.model import Article, PageSplit, Segment

from .conftest import ROOT, run_cli


def block_splitter(text: str) -> PageSplit:
    """A stand-in segmenter: each block of non-blank lines is an article, its first line the title."""
    segments, block = [], []
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            block.append((number, line.strip()))
        elif block:
            body = "".join(text for _, text in block[1:]) or ""
            segments.append(Segment(title=block[0][1], body=body, spans=[(block[0][0], block[-1][0])]))
            block = []
    return PageSplit(segments)


PAGE_A = "冬日暖阳嘉年华启动\n本报讯 2024年12月21日，活动在城东区\n启动，市民游客驻足观看。\n\n"\
         "围炉煮茶成新宠\n围炉煮茶品牌商家榜单公布。\n"
PAGE_B = "基层减负见实效\n城中区推进基层减负，社区工作事项减至47项。\n"


@pytest.fixture
def fake_site(site_copy, monkeypatch):
    """A site copy whose seeds are two small pages, split by `block_splitter`."""
    monkeypatch.setattr(ingest, "split_page", block_splitter)
    seeds = site_copy / "seeds"
    shutil.rmtree(seeds)
    seeds.mkdir()
    (seeds / "a.txt").write_text(PAGE_A, encoding="utf-8")
    (seeds / "b.txt").write_text(PAGE_B, encoding="utf-8")
    (seeds / "manifest.yaml").write_text(
        "defaults: {paper: 西宁晚报}\npages:\n  a.txt: {date: 2024-12-22, page: A01}\n", "utf-8")
    shutil.rmtree(site_copy / "content", ignore_errors=True)
    return site_copy


def run(site: Path, quiet: bool = True):
    config = load_config(site / "site.yaml")
    return ingest_seeds(config, site / "seeds", site / "content", quiet=quiet)


def files(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "content").glob("*.md"))}


@pytest.mark.parametrize("date, label, name, number, expected", [
    (dt.date(2024, 12, 22), "A01", "000_ef.txt", 1, "2024-12-22-a01-01"),
    (dt.date(2024, 1, 3), "3", "x.txt", 12, "2024-01-03-3-12"),
    (None, "A04", "x.txt", 2, "undated-a04-02"),
    (dt.date(2024, 1, 3), None, "001_E34c8b9F.txt", 1, "2024-01-03-p-001-e34c8b9f-01"),
])
def test_article_id(date, label, name, number, expected):
    assert article_id(date, label, name, number) == expected


def test_article_id_of_a_chinese_file_name_is_ascii_and_distinct():
    first, second = article_id(None, None, "头版.txt", 1), article_id(None, None, "二版.txt", 1)
    assert first != second and first.isascii() and first.endswith("-01")


def test_ingest_writes_one_parsable_file_per_article(fake_site):
    report = run(fake_site)
    assert not report.failed
    written = files(fake_site)
    assert sorted(written) == ["2024-12-22-a01-01.md", "2024-12-22-a01-02.md", "undated-p-b-01.md"]
    first = parse_article(written["2024-12-22-a01-01.md"].decode(), "x.md")
    assert first.title == "冬日暖阳嘉年华启动"
    assert first.body == "本报讯 2024年12月21日，活动在城东区启动，市民游客驻足观看。"
    assert (first.date, first.date_source, first.page, first.paper) == (
        dt.date(2024, 12, 22), "manifest", "A01", "西宁晚报")
    assert first.places == ["城东区"] and first.tags[0] == "城东区"
    assert first.source.file == "a.txt" and first.source.lines == (1, 3)
    third = parse_article(written["undated-p-b-01.md"].decode(), "x.md")
    assert (third.date, third.date_source, third.page) == (None, None, None)
    assert report.summary().startswith("ingest: 2 pages (0 failed), 3 articles: 3 new")
    assert "Han characters accounted" in report.summary() and "\n" not in report.summary()


def test_inferred_date_is_recorded_as_inferred(fake_site):
    (fake_site / "seeds" / "manifest.yaml").unlink()
    (fake_site / "seeds" / "a.txt").write_text("2024年12月22日 星期日\n\n" + PAGE_A, "utf-8")
    run(fake_site)
    article = parse_article(files(fake_site)["2024-12-22-p-a-01.md"].decode(), "x.md")
    assert (article.date, article.date_source, article.review) == \
        (dt.date(2024, 12, 22), "inferred", [])


def test_a_page_without_a_printed_date_stays_undated_and_is_listed_for_review(fake_site):
    """The latest day a text names (12月21日 on page a) is what the news is about: no date."""
    (fake_site / "seeds" / "manifest.yaml").unlink()
    report = run(fake_site)
    article = parse_article(files(fake_site)["undated-p-a-01.md"].decode(), "x.md")
    assert (article.date, article.date_source, article.review) == (None, None, ["undated"])
    assert report.to_review == 3 and "3 to review" in report.summary()


def test_the_manifest_year_dates_a_page_by_its_today_clue(fake_site):
    (fake_site / "seeds" / "manifest.yaml").write_text("defaults: {year: 2025}\n", "utf-8")
    (fake_site / "seeds" / "b.txt").write_text("基层减负见实效\n今日（3月8日），城中区推进基层减负。\n",
                                               "utf-8")
    run(fake_site)
    article = parse_article(files(fake_site)["2025-03-08-p-b-01.md"].decode(), "x.md")
    assert (article.date, article.date_source) == (dt.date(2025, 3, 8), "inferred")


def test_reingest_reproduces_every_file_byte_for_byte(fake_site):
    run(fake_site)
    before = files(fake_site)
    state = (fake_site / "content" / STATE_FILE).read_bytes()
    report = run(fake_site)
    assert files(fake_site) == before
    assert (fake_site / "content" / STATE_FILE).read_bytes() == state
    assert len(report.unchanged) == 3 and not (report.new or report.updated or report.removed)


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("gb18030"),
    lambda text: text.encode("utf-16"),
    lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    lambda text: text.replace("\n", "\r\n").encode("gb18030"),
], ids=["gb18030", "utf-16-bom", "utf-8-bom", "crlf", "gb18030-crlf"])
def test_every_encoding_gives_the_same_content(fake_site, encode):
    run(fake_site)
    expected = files(fake_site)
    (fake_site / "seeds" / "a.txt").write_bytes(encode(PAGE_A))
    report = run(fake_site)
    assert files(fake_site) == expected
    assert len(report.unchanged) == 3


def test_mixed_encodings_in_one_folder(fake_site, capsys):
    (fake_site / "seeds" / "a.txt").write_bytes(PAGE_A.encode("utf-16"))
    (fake_site / "seeds" / "b.txt").write_bytes(PAGE_B.replace("\n", "\r\n").encode("gb18030"))
    report = run(fake_site, quiet=False)
    out = capsys.readouterr().out
    assert "a.txt [utf-16 with BOM]" in out and "b.txt [gb18030]" in out
    assert not report.failed and len(report.new) == 3


@pytest.mark.parametrize("data, message", [
    (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n", "a PDF file"),
    (bytes(range(256)) * 4, "NUL bytes"),
    ("本報訊（記者 施翔）活動啟動，市民遊客駐足觀看。".encode("big5"), "neither UTF-8"),
])
def test_a_bad_page_fails_the_run_but_loses_no_other_article(fake_site, capsys, data, message):
    run(fake_site)
    before = files(fake_site)
    (fake_site / "seeds" / "b.txt").write_bytes(data)
    (fake_site / "seeds" / "c.txt").write_text(PAGE_B.replace("基层", "社区"), encoding="utf-8")
    status = run_cli("--config", str(fake_site / "site.yaml"), "-q", "ingest")
    captured = capsys.readouterr()
    assert status == 1
    assert f"error: {fake_site / 'seeds' / 'b.txt'}: " in captured.err and message in captured.err
    assert "Traceback" not in captured.err
    after = files(fake_site)
    # b.txt's article from the last good run is kept; the new page c.txt is ingested
    assert {**before, "undated-p-c-01.md": after["undated-p-c-01.md"]} == after
    assert "1 failed" in captured.out


@pytest.mark.parametrize("text, warning", [("", "empty"), ("\n \n", "empty"),
                                           ("PAGE 3\nONLY LATIN TEXT\n", "no Chinese")])
def test_empty_or_chinese_less_page_is_a_warning(fake_site, capsys, text, warning):
    (fake_site / "seeds" / "c.txt").write_text(text, encoding="utf-8")
    report = run(fake_site, quiet=False)
    assert not report.failed and len(report.new) == 3
    assert warning in capsys.readouterr().out


def test_a_segmenter_crash_on_one_page_is_reported_not_raised(fake_site, monkeypatch):
    def fragile(text):
        if "基层" in text:
            raise IndexError("list index out of range")
        return block_splitter(text)
    monkeypatch.setattr(ingest, "split_page", fragile)
    report = run(fake_site)
    assert report.failed
    failed = [p for p in report.pages if p.error]
    assert [p.name for p in failed] == ["b.txt"] and "IndexError" in str(failed[0].error)
    assert len(report.new) == 2


def test_a_huge_page_is_refused_by_name(fake_site):
    with (fake_site / "seeds" / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    report = run(fake_site)
    assert report.failed and "huge.txt: is 50.0 MB" in str(report.pages[2].error)


@pytest.mark.parametrize("manifest, message", [
    ("pages:\n  a.txt: {date: 2024-02-30}\n", "not a day of the calendar"),
    ("pages:\n  a.txt: {date: 2024-12-22\n", "invalid YAML"),
    ("pages:\n  missing.txt: {page: A02}\n", "not in"),
    ("pages:\n  a.txt: {page: A01, colour: red}\n", "unknown key"),
])
def test_a_manifest_error_writes_nothing(fake_site, capsys, manifest, message):
    run(fake_site)
    (fake_site / "seeds" / "a.txt").write_text(PAGE_A.replace("启动", "开幕"), encoding="utf-8")
    before = files(fake_site)
    (fake_site / "seeds" / "manifest.yaml").write_text(manifest, encoding="utf-8")
    assert run_cli("--config", str(fake_site / "site.yaml"), "ingest") == 1
    err = capsys.readouterr().err
    assert "manifest.yaml" in err and message in err and "Traceback" not in err
    assert files(fake_site) == before


def test_two_pages_with_the_same_date_and_page_label_are_refused(fake_site):
    run(fake_site)
    before = files(fake_site)
    (fake_site / "seeds" / "manifest.yaml").write_text(
        "pages:\n  a.txt: {date: 2024-12-22, page: A01}\n  b.txt: {date: 2024-12-22, page: A01}\n")
    with pytest.raises(ArchiveError, match="same article id 2024-12-22-a01-01"):
        run(fake_site)
    assert files(fake_site) == before


def test_a_hand_edit_survives_a_seed_change_and_reingest(fake_site, capsys):
    run(fake_site)
    target = fake_site / "content" / "2024-12-22-a01-01.md"
    edited = target.read_text(encoding="utf-8").replace("市民游客驻足观看", "市民游客驻足观看（编者注）")
    target.write_text(edited, encoding="utf-8")
    seed = fake_site / "seeds" / "a.txt"
    seed.write_text(PAGE_A.replace("启动，", "正式启动，").replace("榜单", "名单"), encoding="utf-8")
    report = run(fake_site)
    assert target.read_text(encoding="utf-8") == edited
    assert report.kept == ["2024-12-22-a01-01.md"]
    assert report.updated == ["2024-12-22-a01-02.md"]
    assert "kept your edit" in capsys.readouterr().err
    assert run(fake_site).kept == ["2024-12-22-a01-01.md"]     # and again next time
    assert target.read_text(encoding="utf-8") == edited


def test_stale_files_are_removed_unless_edited(fake_site, capsys):
    run(fake_site)
    content = fake_site / "content"
    edited = content / "2024-12-22-a01-02.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补记一段。\n", encoding="utf-8")
    (fake_site / "seeds" / "a.txt").write_text(PAGE_A.split("\n\n")[0] + "\n", encoding="utf-8")
    (fake_site / "seeds" / "b.txt").unlink()
    handmade = content / "2020-01-01-a01-01.md"
    handmade.write_text("---\nid: 2020-01-01-a01-01\ntitle: 手写\n---\n\n正文\n", encoding="utf-8")
    report = run(fake_site)
    assert report.removed == ["undated-p-b-01.md"]
    assert report.kept == ["2024-12-22-a01-02.md"]
    assert sorted(files(fake_site)) == ["2020-01-01-a01-01.md", "2024-12-22-a01-01.md",
                                        "2024-12-22-a01-02.md"]
    assert "no longer in the seeds but you edited it" in capsys.readouterr().err
    state = json.loads((content / STATE_FILE).read_text(encoding="utf-8"))["files"]
    assert "undated-p-b-01.md" not in state and "2020-01-01-a01-01.md" not in state


def test_a_failed_write_names_the_file_and_remembers_what_was_written(fake_site, monkeypatch):
    run(fake_site)
    changed = PAGE_A.replace("启动", "开幕").replace("榜单", "名单")
    (fake_site / "seeds" / "a.txt").write_text(changed, encoding="utf-8")
    real_write = ingest.write_atomic
    written = []

    def disk_fills_up(path: Path, data: bytes) -> None:
        if path.suffix == ".md":
            if written:
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            written.append(path.name)
        real_write(path, data)

    monkeypatch.setattr(ingest, "write_atomic", disk_fills_up)
    with pytest.raises(ArchiveError, match=r"a01-02.md: cannot write \(No space left on device\)"):
        run(fake_site)
    monkeypatch.setattr(ingest, "write_atomic", real_write)
    report = run(fake_site)       # the first file was recorded as ingest's own: no false "edit"
    assert not report.kept and report.updated == ["2024-12-22-a01-02.md"]


def test_reingesting_the_committed_seeds_reproduces_the_committed_content(site_copy):
    committed = {p.name: p.read_bytes() for p in sorted((ROOT / "content").glob("*.md"))}
    assert committed, "content/ holds the ingested seed articles"
    shutil.rmtree(site_copy / "content")
    assert run_cli("--config", str(site_copy / "site.yaml"), "-q", "ingest") == 0
    assert files(site_copy) == committed
    assert sources(site_copy) == sources(ROOT)
    assert ((site_copy / "content" / STATE_FILE).read_bytes()
            == (ROOT / "content" / STATE_FILE).read_bytes())


def sources(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "content" / "sources").iterdir())}


@pytest.mark.parametrize("encode", [
    lambda text: text.encode("utf-8"),
    lambda text: text.replace("\n", "\r\n").encode("gb18030"),
    lambda text: text.encode("utf-16"),
], ids=["utf-8", "gb18030-crlf", "utf-16-bom"])
def test_each_page_text_is_kept_in_content_as_utf8(fake_site, encode):
    (fake_site / "seeds" / "a.txt").write_bytes(encode(PAGE_A))
    run(fake_site)
    assert sources(fake_site) == {"a.txt": PAGE_A.encode("utf-8"), "b.txt": PAGE_B.encode("utf-8")}
    kept = (fake_site / "content" / "sources" / "a.txt").stat()
    run(fake_site)  # unchanged: not written again
    assert (fake_site / "content" / "sources" / "a.txt").stat().st_mtime_ns == kept.st_mtime_ns


def test_a_page_text_goes_with_its_seed_unless_the_seed_failed(fake_site):
    run(fake_site)
    (fake_site / "seeds" / "b.txt").write_bytes(b"%PDF-1.4\n1 0 obj\n")
    run(fake_site)
    assert set(sources(fake_site)) == {"a.txt", "b.txt"}  # failed this time: kept
    (fake_site / "seeds" / "b.txt").unlink()
    run(fake_site)
    assert set(sources(fake_site)) == {"a.txt"}


def test_key_terms_of_unchanged_texts_come_from_the_state_not_jieba(fake_site, monkeypatch):
    run(fake_site)
    before = files(fake_site)

    def no_jieba(*args):
        raise AssertionError("jieba was consulted for an unchanged text")
    monkeypatch.setattr(ingest, "key_terms", no_jieba)
    assert len(run(fake_site).unchanged) == 3
    assert files(fake_site) == before


def test_a_page_of_only_headlines_gives_warnings_not_empty_articles(fake_site, capsys):
    (fake_site / "seeds" / "c.txt").write_text("只有标题一\n\n只有标题二\n", encoding="utf-8")
    report = run(fake_site, quiet=False)
    out = capsys.readouterr().out
    assert not report.failed and len(report.new) == 3
    assert "line 1: a headline with no article text, not written: 只有标题一" in out
    assert "line 3: 5 Han characters in no article: 只有标题二" in out
    page = next(p for p in report.pages if p.name == "c.txt")
    assert (page.han_accounted, page.han_total) == (0, 10)


DAY = dt.date(2024, 12, 22)


def _segs(**notes) -> list[Segment]:
    return [Segment("题", "文", continues=notes.get("continues"),
                    continued_from=notes.get("came_from"))]


@pytest.mark.parametrize("pages, expected", [
    ({"a": ("A01", DAY, _segs(continues="A04")), "b": (None, DAY, _segs(came_from="A01"))},
     {"b": "A04"}),
    # another day's A01 says nothing about this page
    ({"a": ("A01", dt.date(2024, 12, 21), _segs(continues="A04")),
      "b": (None, DAY, _segs(came_from="A01"))}, {}),
    # two continuations from A01 to different pages: which one is this? unknown
    ({"a": ("A01", DAY, _segs(continues="A04") + _segs(continues="A05")),
      "b": (None, DAY, _segs(came_from="A01"))}, {}),
    ({"a": ("A01", DAY, _segs(continues="A04")), "b": ("A06", DAY, _segs(came_from="A01"))}, {}),
    ({"a": ("A01", None, _segs(continues="A04")), "b": (None, None, _segs(came_from="A01"))}, {}),
    ({"a": ("1", DAY, _segs(continues="第 4")), "b": (None, DAY, _segs(came_from="1"))}, {"b": "4"}),
    ({"a": ("1", DAY, _segs(continues="四")), "b": (None, DAY, _segs(came_from="1"))}, {}),
])
def test_labels_from_continuations(pages, expected):
    assert ingest.labels_from_continuations(pages) == expected


def test_a_page_label_is_inferred_from_a_continued_story(fake_site, monkeypatch):
    def noting_splitter(text):
        split = block_splitter(text.replace("（下转A04版）", "").replace("（上接A01版）", ""))
        split.segments[0].continues = "A04" if "下转A04版" in text else None
        split.segments[0].continued_from = "A01" if "上接A01版" in text else None
        return split
    monkeypatch.setattr(ingest, "split_page", noting_splitter)
    seeds = fake_site / "seeds"
    (seeds / "a.txt").write_text(PAGE_A.replace("驻足观看。", "驻足观看。（下转A04版）"), "utf-8")
    (seeds / "b.txt").write_text("（上接A01版）" + PAGE_B, "utf-8")
    (seeds / "manifest.yaml").write_text(
        "pages:\n  a.txt: {date: 2024-12-22, page: A01}\n  b.txt: {date: 2024-12-22}\n", "utf-8")
    run(fake_site)
    article = parse_article(files(fake_site)["2024-12-22-a04-01.md"].decode(), "x.md")
    assert (article.page, article.continued_from) == ("A04", "A01")


def test_a_second_ingest_waits_for_the_first(fake_site, capsys):
    content = fake_site / "content"
    done = threading.Event()
    with ingest.content_lock(content):
        worker = threading.Thread(target=lambda: (run(fake_site), done.set()))
        worker.start()
        assert not done.wait(1.0), "the second ingest ran while the content folder was locked"
        assert not files(fake_site)
    worker.join(timeout=60)
    assert done.is_set() and len(files(fake_site)) == 3
    assert "waiting for another ingest" in capsys.readouterr().err


HOSTILE = ["<script>alert('标题')</script>", "{{ config }}{% raw %}标题", "标题\u2028第二行",
           "[链接](javascript:alert(1))", "--- 标题: 值 #注释", "'\"引号\"'", "标题\u2029</script>"]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_text_round_trips_through_a_content_file(fake_site, title):
    (fake_site / "seeds" / "b.txt").write_text(f"{title}\n正文{title}。\n---\n", encoding="utf-8")
    run(fake_site)
    article = parse_article(files(fake_site)["undated-p-b-01.md"].decode(), "x.md")
    assert article.title == title.strip()
    assert article.body == f"正文{title}。---"


def test_files_that_are_not_pages_are_named_not_read(fake_site, capsys):
    (fake_site / "seeds" / "page-3.docx").write_bytes(b"PK\x03\x04")
    (fake_site / "seeds" / "C.TXT").write_text(PAGE_B.replace("基层", "社区"), encoding="utf-8")
    report = run(fake_site, quiet=False)
    assert "not page texts (*.txt) or PDFs (*.pdf), not read: page-3.docx" \
        in capsys.readouterr().err
    assert not report.failed and len(report.new) == 4


def test_ingest_of_the_seeds_lists_each_page_and_accounts_for_its_characters(site_copy, capsys):
    config = load_config(site_copy / "site.yaml")
    report = ingest_seeds(config, site_copy / "seeds", site_copy / "content")
    out = capsys.readouterr().out
    for page in report.pages:
        assert page.error is None and page.articles
        assert page.han_accounted / page.han_total >= 0.995, page.name
        assert f"{page.name} [utf-8]" in out
        for article in page.articles:
            assert f"  {article.id}  {article.title}" in out
    first = report.pages[0].articles[0]
    assert (first.id, first.date_source, first.page) == ("2024-12-22-a01-01", "manifest", "A01")
    for artifact in (a for p in report.pages for a in p.artifacts):
        assert f"  set aside: line {artifact.line} {artifact.kind}: {artifact.text}" in out
    linked = [a for p in report.pages for a in p.articles if a.versions]
    assert len(linked) == 2 and linked[0].versions == [linked[1].id]


def test_a_page_of_only_headlines_with_the_real_segmenter(site_copy, capsys):
    seeds = site_copy / "seeds"
    for page in seeds.glob("*.txt"):
        page.chmod(0o644)
        page.unlink()
    (seeds / "manifest.yaml").write_text("pages: {}\n", encoding="utf-8")
    (seeds / "h.txt").write_text("扛牢责任 真抓实干\n\n奋力在新青海建设上走在前作表率\n\n冬日暖阳人文底蕴\n",
                                 encoding="utf-8")
    status = run_cli("--config", str(site_copy / "site.yaml"), "ingest")
    out = capsys.readouterr().out
    assert status == 0
    assert "h.txt [utf-8] undated: 0 articles" in out and "warning: line 3" in out
    assert not list((site_copy / "content").glob("*.md"))


def test_pages_and_key_terms_in_parallel_give_the_same_content_as_here(site_copy, monkeypatch):
    seeds = site_copy / "seeds"
    (seeds / "manifest.yaml").unlink()
    for path in sorted(seeds.glob("*.txt")):   # ten pages: enough to be read by processes
        (seeds / f"copy-{path.name}").write_bytes(path.read_bytes())
    assert len(list(seeds.glob("*.txt"))) >= ingest.PARALLEL_MIN_PAGES
    config = load_config(site_copy / "site.yaml")
    # The new articles' key terms found in processes too (jieba loaded while pages are split).
    monkeypatch.setattr(ingest, "PARALLEL_MIN_TERMS", 2)
    ingest_seeds(config, seeds, site_copy / "parallel", quiet=True)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_PAGES", 10_000)
    monkeypatch.setattr(ingest, "PARALLEL_MIN_TERMS", 10_000)
    ingest_seeds(config, seeds, site_copy / "serial", quiet=True)
    read = lambda folder: {p.relative_to(folder): p.read_bytes()  # noqa: E731
                           for p in folder.rglob("*") if p.is_file()}
    assert read(site_copy / "parallel") == read(site_copy / "serial")
    assert len(read(site_copy / "serial")) > 20


def test_key_terms_show_their_progress_when_asked(capsys):
    config = load_config(ROOT / "site.yaml")
    articles = [Article(id=f"a{n}", title="西宁新开三条公交线路", body="市民出行更方便。公交集团表示线路将延伸至新区。")
                for n in range(2)]
    ingest.add_key_terms(articles, config, {}, show_bar=True)
    err = capsys.readouterr().err
    assert "key terms" in err and "1/1" in err   # the two same texts are cut once
    assert all(article.tags for article in articles)
