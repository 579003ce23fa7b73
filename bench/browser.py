"""Search as a reader meets it: headless Chromium opens `search/index.html?q=…`, and we record
when the first result link appears, which files the page loaded, and which articles it showed.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
# Installed before any page script: notes the moment the first result link is in the DOM.
FIRST_RESULT_JS = """
window.__firstResultAt = null;
new MutationObserver(() => {
  if (window.__firstResultAt === null && document.querySelector('#search-results a')) {
    window.__firstResultAt = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""
SHOWN_JS = "Array.from(document.querySelectorAll('#search-results a'), a => a.href)"
# Pages that expose `window.runQuery(q)` (our Pagefind page does) also get a warm, in-page timing.
WARM_JS = """async (q) => {
  if (typeof window.runQuery !== 'function') return null;
  const start = performance.now();
  await window.runQuery(q);
  return performance.now() - start;
}"""
SMALL_TRUTH = 10   # recall is judged on queries whose every hit fits on the first results page


@dataclass
class SearchStats:
    first_query_kb: float | None = None
    later_query_kb: float | None = None      # median new bytes per later query (warm cache)
    later_query_max_kb: float | None = None
    p50_ms: float | None = None              # page opened with ?q= until the first result link
    p95_ms: float | None = None
    warm_p95_ms: float | None = None         # an in-page query after the first, if supported
    precision: float | None = None
    recall: float | None = None
    answered: int = 0
    asked: int = 0
    error: str | None = None
    files_first: list[str] = field(default_factory=list)


def launch(playwright):
    """Debian's Chromium, headless; never a downloaded browser."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-component-update",
              "--disable-background-networking", "--disable-sync",
              "--allow-file-access-from-files"])


def _file_of(url: str, site: Path, http_root: str | None) -> Path | None:
    if url.startswith("file://"):
        path = Path(unquote(urlparse(url).path))
    elif http_root and url.startswith(http_root):
        path = site / unquote(urlparse(url).path).lstrip("/")
    else:
        return None
    return path / "index.html" if path.is_dir() else path


def _settle(page, limit: float = 5.0) -> list[str]:
    """The result links once the list stops changing (results may arrive shard by shard)."""
    shown, stable, deadline = page.evaluate(SHOWN_JS), 0, time.monotonic() + limit
    while stable < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        now = page.evaluate(SHOWN_JS)
        stable = stable + 1 if now == shown else 0
        shown = now
    return shown


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure_search(browser, search_page: str, site: Path, queries: list[str],
                   truth: Callable[[str], set[str]], http_root: str | None = None,
                   wait_ms: int = 5000) -> SearchStats:
    """Run each query by opening `search_page?q=…`; `site` is the folder the URLs map to."""
    stats = SearchStats(asked=len(queries))
    context = browser.new_context()
    context.add_init_script(FIRST_RESULT_JS)
    page = context.new_page()
    seen: set[Path] = set()
    latencies, warm, later_kb = [], [], []
    shown_total = shown_true = small_truth = small_found = 0
    try:
        for number, query in enumerate(queries):
            requested: list[str] = []
            listener = lambda request: requested.append(request.url) \
                if request.resource_type != "document" else None
            page.on("request", listener)
            page.goto(f"{search_page}?q={quote(query)}", wait_until="load")
            try:
                page.wait_for_function("window.__firstResultAt !== null", timeout=wait_ms)
                latencies.append(page.evaluate("window.__firstResultAt"))
                stats.answered += 1
            except Exception:   # playwright's TimeoutError: no result link appeared
                pass
            shown = _settle(page)
            page.remove_listener("request", listener)
            files = {f for f in (_file_of(u, site, http_root) for u in requested) if f}
            new_bytes = sum(f.stat().st_size for f in files - seen if f.is_file())
            if number == 0:
                stats.first_query_kb = new_bytes / 1024
                stats.files_first = sorted(str(f.relative_to(site)) for f in files
                                           if f.is_relative_to(site))
            else:
                later_kb.append(new_bytes / 1024)
            seen |= files
            ids = {Path(urlparse(href).path).stem for href in shown}
            expected = truth(query)
            shown_total += len(ids)
            shown_true += len(ids & expected)
            if len(expected) <= SMALL_TRUTH:
                small_truth += len(expected)
                small_found += len(ids & expected)
            if number > 0:
                elapsed = page.evaluate(WARM_JS, query)
                if elapsed is not None:
                    warm.append(elapsed)
    except Exception as exc:   # a broken page is a finding to report, not a crash of the bench
        stats.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        context.close()
    if latencies:
        stats.p50_ms, stats.p95_ms = statistics.median(latencies), _percentile(latencies, 0.95)
    if warm:
        stats.warm_p95_ms = _percentile(warm, 0.95)
    if later_kb:
        stats.later_query_kb, stats.later_query_max_kb = statistics.median(later_kb), max(later_kb)
    stats.precision = shown_true / shown_total if shown_total else None
    stats.recall = small_found / small_truth if small_truth else None
    return stats
