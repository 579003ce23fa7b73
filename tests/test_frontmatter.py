"""Content files are a parse/dump pair: dump then parse gives the same article."""

import datetime as dt

import pytest
import yaml

from newsarchive.errors import ArchiveError, ArchiveErrors
from newsarchive.frontmatter import (dump_article, parse_article, read_plain_front,
                                     split_front_matter)
from newsarchive.model import Article, SourceRef


def _article(**changes) -> Article:
    fields = dict(
        id="2024-12-22-a01-01", title="我市“沐暖阳·围炉煮茶”嘉年华活动启动",
        body="本报讯（记者 施翔）为进一步推进全季文化旅游发展。\n\n## 小标题\n\n第二段。",
        byline="本报讯（记者 施翔）", reporters=["施翔"], date=dt.date(2024, 12, 22),
        date_source="manifest", paper="西宁晚报", page="A01", topics=["文旅"],
        tags=["城东区", "围炉煮茶"], places=["城东区"], continues="A04",
        source=SourceRef("000_ef5b354f55f1070d.txt", (1, 40), ((1, 30), (80, 81))),
        path=None)
    fields.update(changes)
    return Article(**fields)


@pytest.mark.parametrize("article", [
    _article(),
    _article(subtitle="——系列报道之一".lstrip("—"), kicker="开栏的话", source=None, tags=[]),
    _article(title="含 {{ 模板 }} 与 <script>alert(1)</script> 的标题", body="`代码` [链接](javascript:x)\u2028"),
])
def test_round_trip(article, tmp_path):
    text = dump_article(article)
    parsed = parse_article(text, tmp_path / "a.md")
    parsed.path = None
    assert parsed == article
    assert dump_article(parsed) == text


def test_articles_parsed_apart_share_their_names_and_date(tmp_path):
    # The build cache pickles a shared object once: many articles share a day, paper and tags.
    first = parse_article(dump_article(_article()), tmp_path / "a.md")
    second = parse_article(dump_article(_article(id="2024-12-22-a01-02")), tmp_path / "b.md")
    assert first.date is second.date and first.paper is second.paper
    assert all(a is b for a, b in zip(first.tags + first.reporters + first.topics,
                                       second.tags + second.reporters + second.topics))
    assert first.tags is not second.tags   # lists stay the article's own: they can be edited


def test_dump_matches_documented_layout():
    text = dump_article(_article())
    assert text.startswith("---\nid: 2024-12-22-a01-01\ntitle: 我市")
    assert "reporters: [施翔]\n" in text and "date: 2024-12-22\n" in text
    assert "source: {file: 000_ef5b354f55f1070d.txt, lines: [1, 40], spans: [[1, 30], [80, 81]]}" in text


@pytest.mark.parametrize("mutate, key, line", [
    (lambda t: t.replace("id: 2024-12-22-a01-01", "id: ../../etc"), "id", 2),
    (lambda t: t.replace("title: 我市“沐暖阳·围炉煮茶”嘉年华活动启动", "title: ''"), "title", 3),
    (lambda t: t.replace("date: 2024-12-22", "date: 22.12.2024"), "date", 8),
    (lambda t: t.replace("reporters: [施翔]", "reporters: 施翔"), "reporters", 7),
    (lambda t: t.replace("page: A01", "page: 头版 A01"), "page", 11),
    (lambda t: t.replace("paper: 西宁晚报", "paper: 西宁晚报\nauthor: x"), "author", 11),
])
def test_bad_front_matter_names_file_line_key(mutate, key, line, tmp_path):
    path = tmp_path / "bad.md"
    with pytest.raises(ArchiveError) as err:
        parse_article(mutate(dump_article(_article())), path)
    assert err.value.key == key and err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: key '{key}'")


@pytest.mark.parametrize("text, expected", [
    ("no fence\n", "must start with a line '---'"),
    ("---\nid: a\n", "not closed"),
    ("---\nid: [a\n---\nbody\n", "invalid YAML"),
    ("---\nid: a-1\ntitle: 标题\n---\n\n\n", "body is empty"),
])
def test_broken_files(text, expected, tmp_path):
    with pytest.raises(ArchiveError) as err:
        parse_article(text, tmp_path / "x.md")
    assert expected in str(err.value)


# --- property: any article that validates survives dump → parse unchanged ---
from hypothesis import given, settings, strategies as st  # noqa: E402

_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"),
                min_size=1, max_size=40).filter(lambda s: s.strip() == s and s.strip())
_body = st.lists(_text, min_size=1, max_size=4).map("\n\n".join)
_names = st.lists(_text, max_size=3)


@settings(max_examples=400, deadline=None)
@given(title=_text, body=_body, kicker=st.none() | _text, reporters=_names, tags=_names,
       day=st.dates(dt.date(1950, 1, 1), dt.date(2099, 12, 31)))
def test_round_trip_property(title, body, kicker, reporters, tags, day):
    article = _article(title=title, body=body, kicker=kicker, reporters=reporters, tags=tags,
                       date=day)
    text = dump_article(article)
    parsed = parse_article(text, "x.md")
    parsed.path = None
    assert parsed == article


def test_impossible_date_names_line_and_key(tmp_path):
    text = dump_article(_article()).replace("date: 2024-12-22", "date: 2024-02-30")
    with pytest.raises(ArchiveError) as err:
        parse_article(text, tmp_path / "x.md")
    assert err.value.line == 8 and err.value.key == "date"
    assert "impossible date" in str(err.value)


# --- the fast reader of dump_article's lines reads exactly what YAML reads, or declines ---
_yamlish = st.text(st.sampled_from(list("aZ09-_:#,[]{}'\" .~yYnNoOtTfF<>=!&*|%@`/()+\t\\")
                                   + ["中", "。", "：", "\u3000", "\u2028", "\x85", "\ufeff",
                                      "\U00020000", "\u00a0"]), max_size=12)


@pytest.mark.parametrize("line", [
    "title: yes", "title: No", "title: null", "title: ~", "title: 1:20", "title: 0x1F",
    "title: 1e3", "title: .inf", "title: 2024-01-01", "title: 2024-1-1", "title: -", "title: a: b",
    "title: a #b", "title: 《标题》：副题", "tags: [yes, 中文]", "tags: [a, b]", "page: A01",
    "source: {file: a.txt, lines: [1, 2]}", "source: {file: a.txt, lines: [1, 2], spans: [[1, 1]]}",
    "source: {file: yes, lines: [1, 2]}", "date: 2024-02-30",
    "source: {file: a.pdf, page: 1, page_box: [1, 2.5, 3, 4]}",
    "source: {file: a.pdf, page: 2, lines: [3, 9], page_box: [[0, 0.0, 3, 4], [5, 6, 7, 8.75]]}",
    "source: {file: a.pdf, page: 1, page_box: [010, 2, 3, 4]}",
    "source: {file: a.pdf, page: 01, page_box: [1, 2, 3, 4]}", "title: '引号'", "title:  两个空格",
])
def test_fast_front_matter_reader_agrees_with_yaml(line):
    fast = read_plain_front(line)
    try:
        slow = yaml.safe_load(line)
    except (yaml.YAMLError, ValueError):
        slow = "an error"
    assert fast is None or fast == slow, (fast, slow)


@settings(max_examples=1500, deadline=None)
@given(key=st.sampled_from(["title", "tags", "page", "byline"]), value=_yamlish,
       as_list=st.booleans())
def test_fast_front_matter_reader_never_reads_what_yaml_would_not(key, value, as_list):
    line = f"{key}: [{value}, {value}]" if as_list else f"{key}: {value}"
    fast = read_plain_front(line)
    if fast is None:
        return
    assert fast == yaml.safe_load(line)


def test_fast_front_matter_reader_reads_what_the_dumper_writes():
    text = dump_article(_article(tags=["城东区", "围炉 煮茶"], reporters=["施翔"]))
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert read_plain_front(front) == yaml.safe_load(front)


# --- every problem of one file at once, each as `FILE:LINE: key 'K': message` ---
TITLE_LINE = "title: 我市“沐暖阳·围炉煮茶”嘉年华活动启动"


def _many(*replacements: tuple[str, str]) -> str:
    text = dump_article(_article())
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("text, expected", [
    (_many(("id: 2024-12-22-a01-01", "id: A/01"), (TITLE_LINE, "title: ''")),
     ["2: key 'id': expected lowercase ASCII", "3: key 'title': missing title"]),
    (_many(("date: 2024-12-22", "date: 2024-02-30"), ("page: A01", "page: 第一版"),
           ("tags: [城东区, 围炉煮茶]", "tags: 城东区")),
     ["8: key 'date': impossible date (day is out of range for month)",
      "11: key 'page': expected a page label such as A01, got '第一版'",
      "13: key 'tags': expected a list of text values, got '城东区'"]),
    (_many(("reporters: [施翔]", "reporter: [施翔]"), ("paper: 西宁晚报", "paper: [西宁晚报]"),
           ("date_source: manifest", "date_source: guessed")),
     ["7: key 'reporter': unknown front matter key (did you mean 'reporters'?); allowed: id,",
      "9: key 'date_source': expected 'manifest', 'inferred' or null",
      "10: key 'paper': expected text or null, got ['西宁晚报']"]),
    (_many(("source: {file: 000_ef5b354f55f1070d.txt, lines: [1, 40], spans: [[1, 30], [80, 81]]}",
            "source: {file: a.txt}"), ("continues: A04", "continues: 4")),
     ["15: key 'continues': expected text or null, got 4",
      "18: key 'source': expected {file: NAME.txt, lines: [FIRST, LAST]}"]),
    (_many(("kicker: null", "kicker: 2024-13-01\nsecret: x"),
           ("\n\n本报讯（记者 施翔）为进一步推进全季文化旅游发展。\n\n## 小标题\n\n第二段。", "")),
     ["5: key 'kicker': impossible date (month must be in 1..12)",
      "6: key 'secret': unknown front matter key; allowed: id,",
      "21: the article body is empty"]),
])
def test_every_problem_of_a_file_is_reported_at_once(text, expected):
    with pytest.raises(ArchiveErrors) as err:
        parse_article(text, "content/x.md")
    lines = str(err.value).split("\n")
    assert len(lines) == len(expected) == len(err.value.errors), lines
    for line, start in zip(lines, expected):
        assert line.startswith(f"content/x.md:{start}"), (line, start)


def test_one_problem_per_key_and_none_from_checks_that_need_its_type():
    # A page that is not text is one problem, not also "not a page label" (nor a TypeError).
    with pytest.raises(ArchiveError) as err:
        parse_article(_many(("page: A01", "page: 1")), "content/x.md")
    assert not isinstance(err.value, ArchiveErrors)
    assert str(err.value) == "content/x.md:11: key 'page': expected text or null, got 1"


def test_yaml_that_cannot_be_read_is_one_error_naming_its_line():
    text = _many((TITLE_LINE, "title: [未闭合"), ("page: A01", "page: 第一版"))
    with pytest.raises(ArchiveError) as err:
        parse_article(text, "content/x.md")
    assert not isinstance(err.value, ArchiveErrors)
    assert str(err.value).startswith("content/x.md:") and "invalid YAML" in str(err.value)


def test_the_strict_reader_still_refuses_an_impossible_date():
    # split_front_matter on its own (bench's Pelican reader uses it) reads as YAML does.
    with pytest.raises(ArchiveError) as err:
        split_front_matter(_many(("date: 2024-12-22", "date: 2024-02-30")), "x.md")
    assert err.value.line == 8 and err.value.key == "date"


# --- PDF sources: the page inside the PDF and the article's areas on it ---
PDF_SOURCE_LINE = "source: {file: 000_ef5b354f55f1070d.txt, lines: [1, 40], spans: [[1, 30], [80, 81]]}"


@pytest.mark.parametrize("source, line", [
    (SourceRef("a01.pdf", None, page=1, page_box=((36, 40.5, 300, 410.25),)),
     "source: {file: a01.pdf, page: 1, page_box: [36, 40.5, 300, 410.25]}"),
    (SourceRef("a01-a04.pdf", (3, 57), ((3, 20), (40, 57)), page=4,
               page_box=((36, 40, 300, 410), (310, 40, 560.5, 200))),
     "source: {file: a01-a04.pdf, page: 4, lines: [3, 57], spans: [[3, 20], [40, 57]], "
     "page_box: [[36, 40, 300, 410], [310, 40, 560.5, 200]]}"),
])
def test_pdf_sources_round_trip_in_the_documented_layout(source, line, tmp_path):
    article = _article(source=source)
    text = dump_article(article)
    assert f"\n{line}\n" in text
    parsed = parse_article(text, tmp_path / "a.md")
    parsed.path = None
    assert parsed == article and parsed.source.is_pdf
    assert dump_article(parsed) == text
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    assert read_plain_front(front) is not None, "the fast reader declines what the dumper writes"
    assert read_plain_front(front) == yaml.safe_load(front)


def test_a_text_source_is_written_as_before():
    assert "\n" + PDF_SOURCE_LINE + "\n" in dump_article(_article())
    assert not _article().source.is_pdf


@pytest.mark.parametrize("value, key, message", [
    ("{file: a.pdf, page: 1, page_box: [36, 40, 300]}", "source.page_box", "[x0, y0, x1, y1]"),
    ("{file: a.pdf, page: 1, page_box: [300, 40, 36, 410]}", "source.page_box", "x0 < x1"),
    ("{file: a.pdf, page: 1, page_box: [36, -1, 300, 410]}", "source.page_box", "got [36, -1"),
    ("{file: a.pdf, page: 1, page_box: [[36, 40, 300, 410], [1, 2]]}", "source.page_box",
     "a list of such areas"),
    ("{file: a.pdf, page: 1, page_box: []}", "source.page_box", "got []"),
    ("{file: a.pdf, page: 1, page_box: [a, 40, 300, 410]}", "source.page_box", "got ['a'"),
    ("{file: a.pdf, page: 1}", "source.page_box", "got None"),
    ("{file: a.pdf, page_box: [36, 40, 300, 410]}", "source.page", "got None"),
    ("{file: a.pdf, page: 0, page_box: [36, 40, 300, 410]}", "source.page", "1 for its first"),
    ("{file: a.pdf, page: '2', page_box: [36, 40, 300, 410]}", "source.page", "got '2'"),
    ("{file: a.pdf, page: 1, lines: [1], page_box: [36, 40, 300, 410]}", "source.lines",
     "[FIRST, LAST]"),
    ("{file: a.txt, lines: [1, 2], page: 1}", "source.page", "only a PDF source"),
    ("{file: a.txt, lines: [1, 2], page_box: [36, 40, 300, 410]}", "source.page_box",
     "only a PDF source"),
    ("{file: a.pdf, page: 1, page_box: [36, 40, 300, 410], box: 1}", "source.box",
     "unknown key in source"),
])
def test_bad_pdf_sources_name_file_line_and_key(value, key, message):
    text = _many((PDF_SOURCE_LINE, f"source: {value}"))
    with pytest.raises(ArchiveError) as err:
        parse_article(text, "content/x.md")
    assert not isinstance(err.value, ArchiveErrors), str(err.value)
    assert str(err.value).startswith(f"content/x.md:18: key '{key}': "), str(err.value)
    assert message in str(err.value)


_coordinate = st.one_of(st.integers(0, 20_000),
                        st.floats(0, 20_000, allow_nan=False, allow_infinity=False))


@settings(max_examples=300, deadline=None)
@given(boxes=st.lists(st.tuples(_coordinate, _coordinate, _coordinate, _coordinate), min_size=1,
                      max_size=3),
       page=st.integers(1, 400), lines=st.none() | st.tuples(st.integers(1, 99),
                                                              st.integers(1, 99)))
def test_pdf_sources_round_trip_and_read_as_yaml_reads_them(boxes, page, lines):
    # Any valid areas: each sorted so that x0 < x1 and y0 < y1.
    valid = tuple((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
                  for x0, y0, x1, y1 in boxes if x0 != x1 and y0 != y1)
    if not valid:
        return
    article = _article(source=SourceRef("p.pdf", lines, page=page, page_box=valid))
    text = dump_article(article)
    parsed = parse_article(text, "x.md")
    parsed.path = None
    assert parsed == article
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    fast = read_plain_front(front)
    assert fast is None or fast == yaml.safe_load(front)
