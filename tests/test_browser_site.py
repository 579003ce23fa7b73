"""The built site in headless Chromium: click-through from file:// and http, layout, safety."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/site-shots")
HOSTILE_TITLE = '<script>alert("标题")</script>危险的标题'


def click_through(page, home: str) -> list[str]:
    """Home → topic → article → its issue page → back → its reporter page; returns the URLs."""
    visited = []
    page.goto(home)
    visited.append(page.url)
    page.locator(".site-nav").get_by_role("link", name="专题").click()
    page.locator(".topic-cards").get_by_role("link", name="文旅").click()
    assert page.url.endswith("topics/wenlv/index.html")
    assert "文旅" in page.locator("h1").inner_text()
    visited.append(page.url)
    item = page.locator(".item", has_text="记者").first
    title = item.locator(".item-title").inner_text()
    item.locator(".item-title").click()
    assert re.search(r"/articles/[a-z0-9-]+\.html$", page.url)
    assert page.locator("h1").inner_text() == title
    visited.append(page.url)
    page.locator(".article-meta a").first.click()
    assert re.search(r"/dates/\d{4}/\d{2}/\d{2}/index\.html$", page.url)
    assert page.get_by_role("link", name=title).count() >= 1  # the issue lists the article
    visited.append(page.url)
    page.go_back()
    reporter = page.locator(".byline a").first
    name = reporter.inner_text()
    reporter.click()
    assert "/reporters/" in page.url and page.locator("h1").inner_text() == f"记者：{name}"
    assert page.get_by_role("link", name=title).count() >= 1
    visited.append(page.url)
    return visited


def test_click_through_from_file(page, built_site):
    urls = click_through(page, (built_site / "_site/index.html").as_uri())
    assert all(u.startswith("file://") for u in urls)


def test_click_through_over_http(page, built_site, static_server):
    base = static_server(built_site / "_site")
    urls = click_through(page, base + "index.html")
    assert all(u.startswith(base) for u in urls)


def test_click_through_under_a_sub_path(page, built_site, static_server, tmp_path):
    hosted = tmp_path / "host"
    (hosted / "archive").mkdir(parents=True)
    (hosted / "archive" / "xn").symlink_to(built_site / "_site")
    base = static_server(hosted)
    click_through(page, base + "archive/xn/index.html")


PAGE_KINDS = {
    "home": "index.html", "topic": "topics/wenlv/index.html", "topics": "topics/index.html",
    "tags": "tags/index.html", "reporters": "reporters/index.html", "places": "places/index.html",
    "dates": "dates/index.html", "year": "dates/2024/index.html", "month": "dates/2024/12/index.html",
    "issue": "dates/2024/12/22/index.html", "search": "search/index.html", "404": "404.html",
}


def _first(out: Path, pattern: str) -> str:
    return sorted(out.glob(pattern))[0].relative_to(out).as_posix()


@pytest.mark.parametrize("width", [390, 1280])
def test_no_horizontal_scrolling_on_any_page_kind(browser, built_site, width):
    out = built_site / "_site"
    kinds = {**PAGE_KINDS, "article": _first(out, "articles/2024-12-22-*.html"),
             "source": _first(out, "sources/*.html"), "tag": _first(out, "tags/*/index.html"),
             "reporter": _first(out, "reporters/*/index.html"), "place": _first(out, "places/*/index.html")}
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    SHOTS.mkdir(exist_ok=True)
    try:
        for kind, path in kinds.items():
            page.goto((out / path).as_uri())
            widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert widths[0] <= widths[1], (kind, path, widths)
            page.screenshot(path=str(SHOTS / f"{width}-{kind}.png"), full_page=kind not in ("source", "year"))
    finally:
        context.close()


def test_hostile_text_never_runs(page, fixture_site):
    out = fixture_site / "_site"
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    for path in ("index.html", "articles/2024-12-23-a02-01.html", "topics/meiyue-yiti/index.html",
                 "dates/2024/12/23/index.html", "reporters/index.html", "tags/index.html"):
        page.goto((out / path).as_uri())
        page.wait_for_load_state("load")
    page.goto((out / "articles/2024-12-23-a02-01.html").as_uri())
    assert page.locator("h1").inner_text() == HOSTILE_TITLE
    assert "{{ 7*7 }}" in page.locator(".article-body").inner_text()
    assert page.locator(".article-body a, .article-body img, .article-body script").count() == 0
    page.goto((out / "search/index.html").as_uri() + "?q=危险")
    page.wait_for_timeout(500)
    assert dialogs == [] and errors == []


def test_copy_citation_button(page, fixture_site):
    page.goto((fixture_site / "_site/articles/2024-12-22-a01-01.html").as_uri())
    button = page.locator(".copy-button")
    assert button.is_visible()  # hidden without JS, shown by site.js
    button.click()
    page.wait_for_function("document.querySelector('.copy-button').textContent !== '复制引文'")
    assert button.inner_text() in ("已复制", "请手动复制")


def _contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed `rgb(…)` colours."""
    def luminance(colour: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_in_both_colour_schemes(page, fixture_site, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto((fixture_site / "_site/dates/2024/index.html").as_uri())
    for selector in ("body", ".site-search button", ".issue-day", ".site-footer", "a"):
        colours = page.evaluate("""s => { const e = document.querySelector(s); const st = getComputedStyle(e);
            let bg = st.backgroundColor, n = e;
            while (bg === 'rgba(0, 0, 0, 0)' && n.parentElement) { n = n.parentElement; bg = getComputedStyle(n).backgroundColor; }
            return [st.color, bg]; }""", selector)
        assert _contrast(*colours) >= 4.5, (scheme, selector, colours)


def test_print_and_dark_mode_styles(page, fixture_site):
    url = (fixture_site / "_site/articles/2024-12-22-a01-01.html").as_uri()
    page.emulate_media(color_scheme="dark")
    page.goto(url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert sum(channels) < 150, background
    page.emulate_media(media="print", color_scheme="light")
    assert page.locator(".site-nav").is_hidden() and page.locator(".site-search").is_hidden()
    assert page.locator(".article-body").is_visible()
    line_height = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.article-body p')).lineHeight)"
                                " / parseFloat(getComputedStyle(document.querySelector('.article-body p')).fontSize)")
    assert 1.6 <= line_height <= 1.9
