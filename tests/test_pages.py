"""The page plan's pure helpers: citation, byline links, chart, pagination, continuations."""

import datetime as dt

import pytest

from newsarchive import pages, urls
from newsarchive.model import Article

D = dt.date


def art(**fields):
    base = dict(id="x", title="我市嘉年华活动启动", body="正文", date=D(2024, 12, 22), page="A01",
                paper="西宁晚报")
    base.update(fields)
    return Article(**base)


@pytest.mark.parametrize("fields, expected", [
    ({"reporters": ["施翔"]}, "施翔. 我市嘉年华活动启动[N]. 西宁晚报, 2024-12-22(A01)."),
    ({}, "我市嘉年华活动启动[N]. 西宁晚报, 2024-12-22(A01)."),
    ({"reporters": ["甲", "乙", "丙", "丁"], "subtitle": "系列报道之一"},
     "甲, 乙, 丙, 等. 我市嘉年华活动启动：系列报道之一[N]. 西宁晚报, 2024-12-22(A01)."),
    ({"paper": None, "page": None, "date": None}, "我市嘉年华活动启动[N]. 晚报, 出版日期不详."),
])
def test_citation_gbt7714(fields, expected):
    assert pages.citation(art(**fields), "晚报") == expected


@pytest.mark.parametrize("byline, reporters, expected", [
    ("本报讯（记者 施翔）", ["施翔"], [("本报讯（记者 ", None), ("施翔", "施翔"), ("）", None)]),
    ("本报记者 徐顺凯 李娜", ["徐顺凯", "李娜"],
     [("本报记者 ", None), ("徐顺凯", "徐顺凯"), (" ", None), ("李娜", "李娜")]),
    ("记者 王小明", ["王小", "王小明"], [("记者 ", None), ("王小明", "王小明"), ("（记者 ", None),
                                        ("王小", "王小"), ("）", None)]),
    (None, ["施翔"], [("记者 ", None), ("施翔", "施翔")]),
    ("本报讯", [], [("本报讯", None)]),
])
def test_byline_parts(byline, reporters, expected):
    parts = pages.byline_parts(byline, reporters)
    assert parts == expected


def test_chart_bars_scale_to_the_busiest_month():
    bars = pages.chart_bars([(2023, 12, 2), (2024, 1, 0), (2024, 2, 4)])
    assert [b.count for b in bars] == [2, 0, 4]
    assert bars[2].height == pages.CHART_HEIGHT - pages.CHART_TOP and bars[1].height == 0
    assert bars[0].height == bars[2].height / 2
    assert [b.year_label for b in bars] == ["2023", "2024", None]
    assert all(0 <= b.x and b.x + b.width <= pages.CHART_WIDTH for b in bars)
    assert pages.chart_bars([]) == []


@pytest.mark.parametrize("count, per_page, front, archive", [
    (0, 20, 0, []), (19, 20, 19, []), (39, 20, 39, []), (40, 20, 20, [20]), (45, 20, 25, [20]),
    (100, 20, 20, [20, 20, 20, 20]), (3, 1, 1, [1, 1]),
])
def test_list_chunks_sizes(count, per_page, front, archive):
    newest, chunks, pages_count = pages.list_chunks(list(range(count, 0, -1)), per_page)
    assert len(newest) == front and [len(chunk) for chunk in chunks] == archive
    assert pages_count == len(archive)
    assert [n for chunk in [newest, *reversed(chunks)] for n in chunk] == list(range(count, 0, -1))
    for skip in range(len(archive) + 1):   # the oldest `skip` left out, the others the same
        assert pages.list_chunks(list(range(count, 0, -1)), per_page, skip) == \
            (newest, chunks[skip:], len(archive))


def test_archive_pages_keep_their_articles_as_new_ones_come():
    before = pages.list_chunks(list(range(57, 0, -1)), 10)[1]
    after = pages.list_chunks(list(range(83, 0, -1)), 10)[1]
    assert len(after) > len(before) and after[:len(before)] == before


def test_continuation_link_page_or_note():
    start = art(id="start", continues="A04")
    rest = art(id="rest", page="A04", continued_from="A01")
    other = art(id="other", page="A04")
    issue_pages = {(start.date, "A04"): [other, rest]}
    found = pages.continuation(start, "A04", False, issue_pages)
    assert found.path == "articles/rest.html" and found.note == "下转A04版"
    back = pages.continuation(rest, "A01", True, {(start.date, "A01"): [start]})
    assert back.path == "articles/start.html" and back.note == "上接A01版"
    page_only = pages.continuation(start, "A04", False, {(start.date, "A04"): [other]})
    assert page_only.path == "dates/2024/12/22/index.html#page-A04"
    missing = pages.continuation(start, "A04", False, {})
    assert missing.path is None and "不在本档案中" in missing.note
    assert pages.continuation(start, None, False, issue_pages) is None


@pytest.mark.parametrize("number, count, expected", [
    (None, 0, []),
    (None, 1, [1]),
    (None, 10, [10, 9, None, 1]),
    (1, 10, [3, 2, 1]),
    (5, 10, [7, 6, 5, 4, 3, 2, 1]),   # a gap of one page shows the page, not an ellipsis
    (10, 10, [10, 9, 8, None, 1]),
    (250, 500, [252, 251, 250, 249, 248, None, 1]),
])
def test_pager_links_a_window_not_every_page(number, count, expected):
    assert pages.pager_numbers(number, count) == expected


@pytest.mark.parametrize("source, target, expected", [
    ("topics/wenlv/index.html", "topics/wenlv/page-2.html", "page-2.html"),
    ("index.html", "tags/n1a2b/index.html", "tags/n1a2b/index.html"),
    ("dates/2024/12/22/index.html", "index.html", "../../../../index.html"),
    ("dates/2024/12/index.html", "dates/2023/06/index.html", "../../2023/06/index.html"),
    ("articles/a.html", "articles/a/b.html", "a/b.html"),
    ("tags/标签/index.html", "tags/标签/page-3.html", "page-3.html"),
])
def test_relative_links_between_site_paths(source, target, expected):
    assert urls.relative(source, target) == expected


def test_cards_of_equal_each_articles_card():
    from newsarchive.content import load_articles
    from newsarchive.model import ArticleCard
    from newsarchive.pages import cards_of

    from .conftest import FIXTURE_CONTENT

    articles = load_articles(FIXTURE_CONTENT)
    cards = cards_of(articles)
    assert cards == [a.card() for a in articles]
    assert all(type(c) is ArticleCard and c.__dict__ == a.card().__dict__
               for c, a in zip(cards, articles))
