"""The search page in headless Chromium, from file:// and over http."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import jinja2
import pytest

from newsarchive.search.index import write_search_data
from newsarchive.urls import article_path

from .conftest import ROOT
from .test_search import HOSTILE_TITLE, articles_from_seeds, extra_articles, make_site

pytestmark = pytest.mark.browser

# The contract base.html keeps with search.html (blocks, the search box on every page); a stand-in
# so the page can be tested on its own, apart from the site's real templates.
BASE = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{% block title %}{{ page_title }}{% endblock %}</title>{% block head %}{% endblock %}</head>
<body><form action="{{ root }}search/index.html" role="search"><input name="q"></form>
{% block content %}{% endblock %}{% block scripts %}{% endblock %}</body></html>"""


@pytest.fixture(scope="module")
def mini_site(tmp_path_factory) -> Path:
    """Search data, search page and bare article pages for the seed-cut test articles; the
    search data in two tiers (the recent one from 16 documents on), as a large archive's."""
    out = tmp_path_factory.mktemp("mini") / "site"
    site = make_site(articles_from_seeds() + extra_articles())
    write_search_data(site, out, recent_docs=16)
    shutil.copytree(ROOT / "static", out / "static")
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.DictLoader({"base.html": BASE}), jinja2.FileSystemLoader(ROOT / "templates")]),
        autoescape=True, undefined=jinja2.StrictUndefined)
    page = env.get_template("search.html").render(root="../", config=site.config, page_title="检索")
    (out / "search" / "index.html").write_text(page, encoding="utf-8")
    (out / "articles").mkdir()
    for article in site.articles:
        (out / article_path(article.id)).write_text(
            f"<!DOCTYPE html><meta charset='utf-8'><title>{html.escape(article.title)}</title>"
            f"<h1>{html.escape(article.title)}</h1>", encoding="utf-8")
    return out


@pytest.fixture(params=["file", "http"])
def search_url(request, mini_site, static_server) -> str:
    if request.param == "file":
        return (mini_site / "search" / "index.html").as_uri()
    return static_server(mini_site) + "search/index.html"


def open_search(page, url: str, query: str | None = None):
    page.goto(url + (f"?q={query}" if query is not None else ""))
    page.wait_for_selector("#search-app[data-ready=true]", timeout=15_000)


def settle(page):
    """Wait until the running query has loaded what it needs and shown its results."""
    page.wait_for_selector("#search-app[data-busy=false]", timeout=15_000)


def result_titles(page) -> list[str]:
    return page.locator("#search-results a .search-result-title").all_inner_texts()


def test_query_in_url_runs_on_load_with_marks(page, search_url):
    open_search(page, search_url, "围炉煮茶")
    links = page.locator("#search-results a")
    assert links.count() >= 2
    for href in links.evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        assert re.fullmatch(r"\.\./articles/[a-z0-9-]+\.html", href)
    marks = page.locator("#search-results mark").all_inner_texts()
    assert marks and all(m == "围炉煮茶" for m in marks)
    count = links.count()
    assert f"找到 {count} 篇" in page.locator("#search-status").inner_text()


def test_type_enter_arrow_keys_and_click_through(page, search_url):
    open_search(page, search_url)
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("TOP20 榜单")
    page.keyboard.press("Enter")
    settle(page)
    assert "q=TOP20+%E6%A6%9C%E5%8D%95" in page.url
    assert result_titles(page)[0] == "ＡＰＰ上线 TOP20 榜单"
    assert page.locator("#search-results mark").all_inner_texts()[:2] == ["TOP20", "榜单"]
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.className") == "search-result"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/articles/2025-01-02-a02-01\.html$"))
    assert page.locator("h1").inner_text() == "ＡＰＰ上线 TOP20 榜单"


def test_filters_and_back_button(page, search_url):
    open_search(page, search_url, "活动")
    everything = result_titles(page)
    page.click("#search-options summary")
    page.select_option("#filter-topic", "文旅")
    page.wait_for_function("location.search.includes('topic=')")
    settle(page)
    culture = result_titles(page)
    assert 0 < len(culture) < len(everything)
    chips = page.locator("#search-results li").evaluate_all(
        "items => items.map(li => [...li.querySelectorAll('.chip')].map(c => c.textContent))")
    assert all("文旅" in item for item in chips)
    page.select_option("#filter-year", "2024")
    page.wait_for_function("location.search.includes('year=2024')")
    settle(page)
    assert all("2024-" in meta for meta in page.locator(".search-result-meta").all_inner_texts())
    page.go_back()
    page.wait_for_function("!location.search.includes('year=')")
    settle(page)
    assert result_titles(page) == culture and page.input_value("#filter-year") == ""
    page.go_back()
    page.wait_for_function("!location.search.includes('topic=')")
    settle(page)
    assert result_titles(page) == everything and page.input_value("#search-input") == "活动"


def test_queries_typed_in_a_row_keep_their_history_entries_in_order(page, search_url):
    """The entry of a query is added once its first result shows (pushState holds a file://
    page for a few ms): a query typed before the last one showed anything still gets its entry,
    before the newer one's, and a query without results gets one too."""
    open_search(page, search_url, "活动")
    settle(page)
    first = result_titles(page)
    for query in ("西宁", "文化", "没有这样的词语"):  # the next one typed at once
        page.fill("#search-input", query)
        page.press("#search-input", "Enter")
    settle(page)
    page.wait_for_function("new URLSearchParams(location.search).get('q') === '没有这样的词语'")
    assert result_titles(page) == []
    for query in ("文化", "西宁", "活动"):
        page.go_back()
        page.wait_for_function(f"new URLSearchParams(location.search).get('q') === {query!r}")
        settle(page)
        assert page.input_value("#search-input") == query and result_titles(page)
    assert result_titles(page) == first


def test_hostile_article_text_shows_as_text_and_never_runs(page, search_url):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_search(page, search_url, "警惕")
    assert result_titles(page) == [HOSTILE_TITLE]
    open_search(page, search_url, "图片")
    snippet = page.locator(".search-result-snippet").first.inner_text()
    assert 'onerror="window.__pwned=2;alert(1)">图片' in snippet and "</script><!--" in snippet
    assert page.locator("#search-results img, #search-results script").count() == 0
    page.wait_for_timeout(200)
    assert page.evaluate("window.__pwned") is None and dialogs == []


def test_messages_for_one_character_and_no_results(page, search_url):
    open_search(page, search_url, "茶")
    status = page.locator("#search-status").inner_text()
    assert "单字" in status and page.locator("#search-results a").count() > 0
    open_search(page, search_url, "没有这种词语组合")
    assert "没有找到" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results a").count() == 0
    open_search(page, search_url, "-围炉")
    assert "请输入" in page.locator("#search-status").inner_text()


def test_repeated_queries_load_nothing_again(page, built_site):
    """A query's first run loads its shards; its repeats find them loaded and read no file.
    Each run reports its time (data-query-ms, which bench/query_profile.py reads); how long
    that is is measured by the bench, not here."""
    open_search(page, (built_site / "_site" / "search" / "index.html").as_uri())
    queries = ["围炉煮茶", "西宁", "茶", "消费券", "app", "主题教育 学习", "城东 -西宁",
               "生态旅游目的地", "记者", "2024"]
    loaded = "Object.keys(window.newsarchiveSearch || {}).length"  # data files registered
    first_loads = 0
    for repeat in range(3):
        for query in queries:
            before = page.evaluate(loaded)
            page.fill("#search-input", query)
            page.press("#search-input", "Enter")
            settle(page)
            assert float(page.get_attribute("#search-app", "data-query-ms")) >= 0
            if repeat == 0:
                first_loads += page.evaluate(loaded) - before
            else:
                assert page.evaluate(loaded) == before, f"{query!r} loaded files again"
    assert first_loads > 0


def test_long_result_lists_come_twenty_at_a_time(page, mini_site):
    open_search(page, (mini_site / "search" / "index.html").as_uri(), "的")
    total = int(re.search(r"找到 (\d+) 篇", page.locator("#search-status").inner_text()).group(1))
    holding = [a for a in articles_from_seeds() + extra_articles()
               if "的" in "".join(filter(None, [a.title, a.kicker, a.subtitle, a.byline,
                                                 *a.reporters, *a.tags, a.body]))]
    assert total == len(holding) > 40 and page.locator("#search-results a").count() == 20
    assert "显示第 1–20 篇" in page.locator("#search-status").inner_text()
    page.click("#search-more")
    page.wait_for_function("document.querySelectorAll('#search-results a').length > 20")
    page.wait_for_function("document.getElementById('search-status').textContent.includes('1–40')")
    page.click("#search-more")  # waits until the button is enabled: the second page is shown
    page.wait_for_function("document.querySelectorAll('#search-results a').length > 40")
    page.wait_for_function("!document.getElementById('search-more').disabled")
    assert page.locator("#search-results a").count() == min(total, 60)
    assert page.locator("#search-more").is_hidden() == (total <= 60)


def test_a_newer_query_wins_over_one_still_loading(page, mini_site):
    open_search(page, (mini_site / "search" / "index.html").as_uri())
    page.evaluate("""() => {
      const form = document.getElementById('search-form'), input = document.getElementById('search-input');
      input.value = '的 活动'; form.requestSubmit();  // its shards are still loading below
      input.value = ''; form.requestSubmit();
    }""")
    page.wait_for_function("""() => {
      const data = window.newsarchiveSearch;
      return Object.keys(data).some(k => k.startsWith('chars-')) &&
        Object.keys(data).some(k => k.startsWith('index-'));
    }""")
    page.wait_for_timeout(300)
    assert page.locator("#search-results li").count() == 0
    assert page.input_value("#search-input") == ""
    assert "输入词语" in page.locator("#search-status").inner_text()


def status_text(page) -> str:
    return page.locator("#search-status").inner_text()


def result_dates(page) -> list[str]:
    """Each result's date as its metadata line shows it ("" when undated)."""
    return [(re.match(r"\d{4}-\d\d-\d\d", meta) or [""])[0]
            for meta in page.locator(".search-result-meta").all_inner_texts()]


def choose(page, selector: str, value: str, url_part: str):
    page.select_option(selector, value)
    page.wait_for_function(f"location.search.includes({url_part!r})")
    settle(page)


def test_traditional_and_simplified_find_each_other_and_marks_keep_the_print(page, search_url):
    open_search(page, search_url, "围炉煮茶")
    simplified = result_titles(page)
    open_search(page, search_url, "圍爐煮茶")
    assert simplified and result_titles(page) == simplified
    assert set(page.locator("#search-results mark").all_inner_texts()) == {"围炉煮茶"}
    open_search(page, search_url, "台湾乡亲 西宁")  # the article is printed in traditional
    assert result_titles(page) == ["臺灣鄉親 新春聯誼"]
    assert set(page.locator("#search-results mark").all_inner_texts()) == {"臺灣鄉親", "西寧"}


def test_a_space_printed_between_han_characters_does_not_split_them(page, search_url):
    found = {}
    for query in ["水源惠游", "山宗水源惠游青海", "水源 惠游", "源惠"]:
        open_search(page, search_url, query)
        found[query] = result_titles(page)
        snippets = page.locator(".search-result-snippet").all_inner_texts()
        assert found[query] and all("山宗水源 惠游青海" in s for s in snippets), query
    assert len({tuple(titles) for titles in found.values()}) == 1
    open_search(page, search_url, "水源惠游")
    assert page.locator("#search-results mark").all_inner_texts()[0] == "水源 惠游"
    open_search(page, search_url, "West Lake")  # between Latin words a space still separates
    assert page.locator("#search-results a").count() == 0


def test_orders_by_date_are_kept_in_the_url(page, search_url):
    open_search(page, search_url, "活动")
    by_relevance = result_titles(page)
    choose(page, "#search-sort", "new", "sort=new")
    newest = [d for d in result_dates(page) if d]
    assert len(set(newest)) > 2 and newest == sorted(newest, reverse=True)
    page.reload()
    page.wait_for_selector("#search-app[data-ready=true]", timeout=15_000)
    settle(page)
    assert page.input_value("#search-sort") == "new" and [d for d in result_dates(page) if d] == newest
    choose(page, "#search-sort", "old", "sort=old")
    oldest = [d for d in result_dates(page) if d]
    assert oldest == sorted(oldest) and oldest[0] <= newest[-1]
    page.go_back()
    page.wait_for_function("location.search.includes('sort=new')")
    settle(page)
    page.go_back()
    page.wait_for_function("!location.search.includes('sort=')")
    settle(page)
    assert result_titles(page) == by_relevance


def option_counts(page, selector: str) -> list[tuple[str, int]]:
    """(value, count) of each option but the first, from labels such as 施翔（3）."""
    labels = page.locator(f"{selector} option").evaluate_all(
        "os => os.slice(1).map(o => [o.value, o.textContent])")
    return [(value, int(re.fullmatch(r".+（(\d+)）", label).group(1))) for value, label in labels]


def test_filter_counts_are_the_results_each_filter_gives(page, search_url):
    open_search(page, search_url, "活动")  # one bigram: the index alone decides, counts are exact
    page.click("#search-options summary")
    page.wait_for_function("document.querySelectorAll('#filter-page option').length > 2")
    for selector, key, values in [("#filter-page", "page", 3), ("#filter-reporter", "reporter", 2),
                                  ("#filter-year", "year", 2), ("#filter-topic", "topic", 1)]:
        counts = option_counts(page, selector)
        assert len(counts) >= values and all(count > 0 for _, count in counts), (selector, counts)
        for value, count in counts[:3]:
            choose(page, selector, value, f"{key}=")
            assert f"找到 {count} 篇" in status_text(page), (selector, value)
            if key == "page":
                assert all(f"{value} 版" in m for m in page.locator(".search-result-meta").all_inner_texts())
            if key == "year":
                assert all(d.startswith(value) for d in result_dates(page))
        choose(page, selector, "", "q=")
    open_search(page, search_url, "西宁")
    page.click("#search-options summary")
    page.wait_for_function("document.querySelectorAll('#filter-place option').length > 1")
    assert option_counts(page, "#filter-place") == [("城西区", 1)]
    choose(page, "#filter-place", "城西区", "place=")
    assert result_titles(page) == ["臺灣鄉親 新春聯誼"]
    assert "篇数" in page.locator("#search-counts-note").inner_text()
    # A phrase of several bigrams: candidates the text check has not seen yet count too.
    open_search(page, search_url, "围炉煮茶&topic=文旅")
    page.wait_for_function("document.getElementById('search-counts-note').textContent.includes('约数')")


def test_a_month_range_keeps_the_results_between_its_ends(page, search_url):
    open_search(page, search_url, "活动")
    everything = result_dates(page)
    page.click("#search-options summary")
    page.fill("#filter-from", "2024-12")
    page.wait_for_function("location.search.includes('from=2024-12')")
    settle(page)
    since = result_dates(page)
    assert since and all(d >= "2024-12" for d in since) and len(since) < len(everything)
    page.fill("#filter-to", "2024-12")
    page.wait_for_function("location.search.includes('to=2024-12')")
    settle(page)
    assert result_dates(page) and all(d.startswith("2024-12") for d in result_dates(page))
    open_search(page, search_url, "活动&from=2023-12&to=2023-12")
    assert page.evaluate("document.getElementById('search-options').open")
    assert page.input_value("#filter-from") == "2023-12"
    assert result_dates(page) and all(d.startswith("2023-12") for d in result_dates(page))


def test_empty_results_say_why_and_offer_the_query_without_filters(page, search_url):
    open_search(page, search_url, "围炉煮茶 龘龘")
    assert "没有文章包含 “龘龘”" in status_text(page)
    open_search(page, search_url, "围炉煮茶 老酸奶")
    assert "没有一篇同时包含" in status_text(page)
    open_search(page, search_url, "围炉煮茶&year=2025")
    assert page.locator("#search-results a").count() == 0
    link = page.locator("#search-hint a")
    link.wait_for()
    total = int(re.search(r"(\d+) 篇", link.inner_text()).group(1))
    link.click()
    page.wait_for_function("!location.search.includes('year=')")
    settle(page)
    assert page.locator("#search-results a").count() == total > 0
    assert f"找到 {total} 篇" in status_text(page)


def test_the_count_is_read_out_and_the_page_fits_a_phone(page, mini_site):
    status = page.locator("#search-status")
    page.set_viewport_size({"width": 390, "height": 844})
    open_search(page, (mini_site / "search" / "index.html").as_uri(), "活动")
    assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status"
    page.focus("#search-options summary")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#filter-page option').length > 1")
    assert page.evaluate("document.getElementById('search-options').open")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")  # into the panel: the first filter
    assert page.evaluate("document.activeElement.id") == "filter-from"


def test_bench_search_measure_runs_each_query_in_every_pass(browser, mini_site):
    """bench/browser.py's measure: files and results from the first pass, each later query's
    latency its median over the passes (fresh contexts, so each pass loads its shards again)."""
    from bench.browser import measure_search
    queries = ["西宁", "主题教育", "茶"]
    stats = measure_search(browser, (mini_site / "search" / "index.html").as_uri(), mini_site,
                           queries, lambda query: set(), passes=2)
    assert stats.error is None and stats.answered == len(queries) and stats.passes == 2
    assert stats.first_query_kb > 0 and stats.later_query_kb > 0
    assert 0 < stats.p50_ms <= stats.p95_ms
