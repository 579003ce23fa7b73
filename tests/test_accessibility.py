"""axe-core in headless Chromium on one page of every kind of the built seed archive, and on
the issue page and an article page of a site built from PDF pages.

`axe.run()` with its default rules (WCAG 2 A and AA, plus axe's best practices such as unique
landmarks), from file://, on a desktop and a phone width, in light and dark colour schemes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import ROOT, _need

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SEARCH_QUERY = "围炉煮茶"
# The dark scheme is tested only while the stylesheet has one.
SCHEMES = ["light"] + (["dark"] if "prefers-color-scheme: dark" in
                       (ROOT / "static/css/site.css").read_text(encoding="utf-8") else [])


def _first(site: Path, pattern: str, containing: str | None = None) -> str | None:
    """The first page (sorted) matching the glob, optionally the first whose HTML contains a text."""
    for path in sorted(site.glob(pattern)):
        if containing is None or containing in path.read_text(encoding="utf-8"):
            return path.relative_to(site).as_posix()
    return None


def page_kinds(site: Path) -> dict[str, str]:
    """One page of each kind in the built site, by kind; places only if the archive has any."""
    wanted = {
        "home": ("index.html", None),
        "article": ("articles/*.html", None),
        "article to review": ("articles/*.html", "review-flag"),
        "topics": ("topics/index.html", None),
        "topic list": ("topics/*/index.html", None),
        "tags": ("tags/index.html", None),
        "tag list": ("tags/*/index.html", None),
        "reporters": ("reporters/index.html", None),
        "reporter list": ("reporters/*/index.html", None),
        "places": ("places/index.html", None),
        "place list": ("places/*/index.html", None),
        "dates": ("dates/index.html", None),
        "year": ("dates/*/index.html", None),
        "month": ("dates/*/*/index.html", None),
        "issue": ("dates/*/*/*/index.html", None),
        "source view": ("sources/*.html", None),
        "search": ("search/index.html", None),
        "not found": ("404.html", None),
    }
    kinds = {kind: _first(site, *how) for kind, how in wanted.items()}
    missing = [kind for kind, rel in kinds.items() if rel is None and not kind.startswith("place")]
    assert not missing, f"the seed archive has no page of kind {missing}"
    return {kind: rel for kind, rel in kinds.items() if rel is not None}


# Pages only a site built from PDF pages has (conftest.pdf_site).
PDF_KINDS = {"issue with page images": "dates/2024/12/30/index.html",
             "article from a PDF page": "articles/2024-12-30-a01-03.html"}


def open_page(page, site: Path, rel: str) -> None:
    if rel == "search/index.html":
        page.goto((site / rel).as_uri() + f"?q={SEARCH_QUERY}")
        page.wait_for_selector("#search-app[data-ready=true]", timeout=15_000)
        page.wait_for_selector("#search-app[data-busy=false]", timeout=15_000)
        assert page.locator("#search-results a").count() >= 1, "the search shows no results"
    else:
        page.goto((site / rel).as_uri())


def describe(kind: str, rel: str, violation: dict) -> str:
    nodes = violation["nodes"]
    targets = "; ".join(" ".join(node["target"]) for node in nodes[:3])
    more = f" (+{len(nodes) - 3} more)" if len(nodes) > 3 else ""
    summary = (nodes[0].get("failureSummary") or "").replace("\n", " ") if nodes else ""
    return (f"{kind} ({rel}): {violation['id']} [{violation['impact']}] {violation['help']}: "
            f"{len(nodes)} nodes: {targets}{more}\n    {summary}")


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_reports_no_violations_on_any_page_kind(browser, built_site, pdf_site, width,
                                                   scheme):
    _need("axe-core (npm ci)", AXE.is_file())
    site, pdf = built_site / "_site", pdf_site / "_site"
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    kinds = [(kind, site, rel) for kind, rel in page_kinds(site).items()]
    kinds += [(kind, pdf, rel) for kind, rel in PDF_KINDS.items()]
    try:
        for kind, root, rel in kinds:
            assert (root / rel).is_file(), rel
            open_page(page, root, rel)
            if root is pdf:  # lazy images: axe checks what is shown, so show every one
                page.evaluate("Promise.all([...document.images].map(img => "
                              "(img.loading = 'eager', img.decode().catch(() => null))))")
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("axe.run().then(result => result.violations)")
            problems += [describe(kind, rel, violation) for violation in violations]
    finally:
        context.close()
    report = "\n".join(problems)
    if problems:
        print(f"axe-core at {width} px, {scheme}:\n{report}")
    assert not problems, f"axe-core at {width} px, {scheme}:\n{report}"


# The search page's other states, by the URL query that opens them: a filter opens the filter
# panel (counts shown); a filter nothing passes shows the explanation and its link.
SEARCH_STATES = {"search, filters open": f"q={SEARCH_QUERY}&sort=new&year=2024",
                 "search, filtered to nothing": f"q={SEARCH_QUERY}&page=Z99"}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [1280, 390])
def test_axe_reports_no_violations_on_the_search_page_states(browser, built_site, width, scheme):
    _need("axe-core (npm ci)", AXE.is_file())
    search_page = (built_site / "_site" / "search" / "index.html").as_uri()
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    try:
        for kind, query in SEARCH_STATES.items():
            page.goto(f"{search_page}?{query}")
            page.wait_for_selector("#search-app[data-ready=true]", timeout=15_000)
            page.wait_for_selector("#search-app[data-busy=false]", timeout=15_000)
            assert page.evaluate("document.getElementById('search-options').open"), kind
            page.wait_for_selector("#search-hint a" if "Z99" in query else "#search-results a",
                                   timeout=15_000)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate("axe.run().then(result => result.violations)")
            problems += [describe(kind, f"search/index.html?{query}", violation)
                         for violation in violations]
    finally:
        context.close()
    assert not problems, f"axe-core at {width} px, {scheme}:\n" + "\n".join(problems)
