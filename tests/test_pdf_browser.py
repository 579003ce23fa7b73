"""PDF pages in headless Chromium, from file:// and over http: the issue page shows each page
image with its articles' areas where their `page_box`es are, the areas lead to the articles
(mouse and keyboard), `#area-…` finds an article on its page, and the article page's crop
shows the article and links back (the PDF is printed by Chromium: tests/pdfpages.py)."""

from __future__ import annotations

import pytest

from .pdfpages import PAGE_PX, PRINTED, PX_TO_PT

pytestmark = pytest.mark.browser

ISSUE = "dates/2024/12/30/index.html"
TOLERANCE = 2.0   # CSS px
SPLIT = PRINTED[2]   # the article set in two blocks


@pytest.fixture(params=["file", "http"])
def base(request, pdf_site, static_server) -> str:
    out = pdf_site / "_site"
    return out.as_uri() + "/" if request.param == "file" else static_server(out)


def _loaded(page, image) -> None:
    """Scroll a lazy image into view and wait until it is decoded."""
    image.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(),
                           timeout=10_000)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_issue_page_shows_each_page_with_areas_where_the_boxes_are(browser, base, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + ISSUE)
        figures = page.locator("figure.page-view")
        assert figures.count() == 2       # A01 and A02, from pages 1 and 2 of one PDF
        for article in PRINTED:
            figure = page.locator(f"#page-A{article.page:02d} figure.page-view")
            image = figure.locator("img")
            _loaded(page, image)
            assert image.evaluate("img => img.currentSrc").endswith(".webp")
            shown = image.bounding_box()
            assert abs(shown["height"] / shown["width"] - PAGE_PX[1] / PAGE_PX[0]) < 0.01
            scale = shown["width"] / (PAGE_PX[0] * PX_TO_PT)     # CSS px per PDF point
            areas = figure.locator(f'a.area[href$="articles/{article.id}.html"]')
            assert areas.count() == len(article.page_box)
            for n, (x0, y0, x1, y1) in enumerate(article.page_box):
                box = areas.nth(n).bounding_box()
                expected = (shown["x"] + x0 * scale, shown["y"] + y0 * scale,
                            (x1 - x0) * scale, (y1 - y0) * scale)
                got = (box["x"], box["y"], box["width"], box["height"])
                assert all(abs(a - b) <= TOLERANCE for a, b in zip(got, expected)), \
                    (article.id, n, got, expected)
            assert areas.first.get_attribute("title") == article.title
            assert page.get_by_role("link", name=article.title, exact=True).count() == 2, \
                "one area link and one list link per article for assistive technology"
    finally:
        context.close()


def test_clicking_an_area_opens_its_article(page, base):
    page.goto(base + ISSUE)
    _loaded(page, page.locator("#page-A01 figure img"))
    # The second block of the split article: mouse users may click any of an article's areas.
    area = page.locator(f'a.area[href$="articles/{SPLIT.id}.html"]').nth(1)
    area.click()
    assert page.url == base + f"articles/{SPLIT.id}.html"
    assert page.locator("h1").inner_text() == SPLIT.title


def test_keyboard_focus_shows_the_area_and_enter_opens_the_article(page, base):
    page.goto(base + ISSUE)
    target = page.locator(f'a.area[href$="articles/{PRINTED[1].id}.html"]')
    for _ in range(60):
        page.keyboard.press("Tab")
        if target.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the area link")
    outline = target.evaluate("a => getComputedStyle(a).outlineStyle + ' ' + "
                              "getComputedStyle(a).outlineWidth")
    assert outline.startswith("solid") and not outline.endswith(" 0px"), outline
    # Only the first area of each article is a tab stop: the split article's second is not.
    hidden = page.locator(f'a.area[href$="articles/{SPLIT.id}.html"]').nth(1)
    assert hidden.get_attribute("tabindex") == "-1" and hidden.get_attribute("aria-hidden") == "true"
    page.keyboard.press("Enter")
    page.wait_for_url(base + f"articles/{PRINTED[1].id}.html")


def test_an_area_fragment_scrolls_to_and_highlights_every_block(page, base):
    page.goto(base + ISSUE + f"#area-{SPLIT.id}")
    group = page.locator(f"#area-{SPLIT.id}")
    page.wait_for_function("g => { const r = g.getBoundingClientRect(); "
                           "return r.top >= 0 && r.top < innerHeight; }",
                           arg=group.element_handle(), timeout=5_000)
    for n in range(len(SPLIT.page_box)):
        style = group.locator("a.area").nth(n).evaluate(
            "a => [getComputedStyle(a).outlineStyle, getComputedStyle(a).backgroundColor]")
        assert style[0] == "solid" and style[1] not in ("rgba(0, 0, 0, 0)", "transparent"), style
    other = page.locator(f"#area-{PRINTED[1].id} a.area").evaluate(
        "a => getComputedStyle(a).outlineStyle")
    assert other == "none"


def test_the_article_page_shows_its_crop_and_it_links_back(page, base):
    article = PRINTED[1]
    page.goto(base + f"articles/{article.id}.html")
    crop = page.locator(".page-crop a.crop")
    image = crop.locator("img")
    _loaded(page, image)
    frame, shown = crop.bounding_box(), image.bounding_box()
    # The crop is the article's first area with 8 points around it, cut out of the page image.
    x0, y0, x1, y1 = article.page_box[0]
    scale = shown["width"] / (PAGE_PX[0] * PX_TO_PT)
    assert abs((frame["x"] + 1) - (shown["x"] + (x0 - 8) * scale)) <= TOLERANCE   # 1 px border
    assert abs((frame["y"] + 1) - (shown["y"] + (y0 - 8) * scale)) <= TOLERANCE
    assert abs((frame["width"] - 2) - (x1 - x0 + 16) * scale) <= TOLERANCE
    assert abs((frame["height"] - 2) - (y1 - y0 + 16) * scale) <= TOLERANCE
    assert frame["width"] <= 322
    assert "A01版版面上的位置" in image.get_attribute("alt")
    crop.click()
    assert page.url == base + ISSUE + f"#area-{article.id}"
    page.wait_for_function("g => { const r = g.getBoundingClientRect(); "
                           "return r.top >= 0 && r.top < innerHeight; }",
                           arg=page.locator(f"#area-{article.id}").element_handle(),
                           timeout=5_000)
    page.go_back()
    page.get_by_role("link", name="在原版版面上查看本文（A01版）").click()
    assert page.url == base + ISSUE + f"#area-{article.id}"
