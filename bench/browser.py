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
BUSY_DONE_JS = "!document.querySelector('[data-busy]:not([data-busy=\"false\"])')"
# A later query typed into the open page, until its first result link is shown: through
# `window.runQuery(q)` where a page has it (our Pagefind page), else by submitting the page's
# #search-input form. Shards it loads on demand are part of the time.
LATER_QUERY_JS = """async ([q, waitMs]) => {
  const start = performance.now();
  if (typeof window.runQuery === 'function') {
    const shown = await window.runQuery(q);
    return shown ? performance.now() - start : null;
  }
  const input = document.getElementById('search-input');
  const list = document.getElementById('search-results');
  if (!input || !input.form || !list) return null;
  const shown = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (list.querySelector('a')) { observer.disconnect(); resolve(performance.now()); }
    });
    observer.observe(list, {childList: true, subtree: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, waitMs);
  });
  // Emptied first: a page that keeps the old results while it loads shards must not have
  // them counted as this query's.
  list.replaceChildren();
  input.value = q;
  input.form.requestSubmit();
  const end = await shown;
  return end === null ? null : end - start;
}"""
NOT_SEARCH_PAYLOAD = {"document", "stylesheet", "image", "font", "media"}
SMALL_TRUTH = 10   # recall is judged on queries whose every hit fits on the first results page


@dataclass
class SearchStats:
    first_query_kb: float | None = None
    later_query_kb: float | None = None      # median new bytes per later query (warm cache)
    later_query_max_kb: float | None = None
    first_open_ms: float | None = None       # page opened with ?q= until the first result link
    p50_ms: float | None = None              # later queries typed in the page, to first result
    p95_ms: float | None = None              # (each query's median over the passes)
    precision: float | None = None
    recall: float | None = None
    answered: int = 0
    asked: int = 0
    error: str | None = None
    files_first: list[str] = field(default_factory=list)
    passes: int = 1                          # runs of the queries whose latencies count


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
    """The result links once the list stops changing (results may arrive shard by shard).
    A page that says when it is done (ours: data-busy="false") is waited for first: on a busy
    machine a pause between two results can outlast the stability check alone."""
    deadline = time.monotonic() + limit
    try:
        page.wait_for_function(BUSY_DONE_JS, timeout=limit * 1000)
    except Exception:   # playwright's TimeoutError: still busy; what is shown is what counts
        pass
    shown, stable = page.evaluate(SHOWN_JS), 0
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
                   wait_ms: int = 5000, passes: int = 3) -> SearchStats:
    """Open `search_page?q=FIRST` as a reader arriving with a query, then type each later query
    into that page; `site` is the folder the requested URLs map to, for their sizes on disk.

    The queries are run `passes` times, each in a fresh browser context: the latencies are
    each later query's median over the passes (one pass's p95 moved from 41 to 54 ms between
    runs of the same site here); files, bytes and results are the first pass's."""
    stats, latencies = _search_pass(browser, search_page, site, queries, truth, http_root,
                                    wait_ms)
    samples = [[ms] for ms in latencies]
    for _ in range(passes - 1):
        if stats.error is not None:
            break
        _, again = _search_pass(browser, search_page, site, queries, truth, http_root, wait_ms)
        for each, ms in zip(samples, again):
            each.append(ms)
        stats.passes += 1
    answered = [statistics.median(ms for ms in each if ms is not None)
                for each in samples if each[0] is not None]
    if answered:
        stats.p50_ms, stats.p95_ms = statistics.median(answered), _percentile(answered, 0.95)
    return stats


def _search_pass(browser, search_page: str, site: Path, queries: list[str],
                 truth: Callable[[str], set[str]], http_root: str | None, wait_ms: int
                 ) -> tuple[SearchStats, list[float | None]]:
    """One pass of measure_search(): its figures, and each later query's latency (None: no
    result shown in time)."""
    stats = SearchStats(asked=len(queries))
    context = browser.new_context()
    context.add_init_script(FIRST_RESULT_JS)
    page = context.new_page()
    requested: list[str] = []
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    # Failed loads are named by URL; Chromium's own favicon probe over HTTP is no finding.
    page.on("response", lambda response: problems.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 and not response.url.endswith("/favicon.ico") else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on("console", lambda message: problems.append(f"console: {message.text}")
            if message.type == "error" and "Failed to load resource" not in message.text
            else None)
    # Search payload only: scripts, data and wasm; the page, its styles and images are not.
    page.on("request", lambda request: requested.append(request.url)
            if request.resource_type not in NOT_SEARCH_PAYLOAD else None)
    seen: set[Path] = set()
    latencies, later_kb = [], []
    shown_total = shown_true = small_truth = small_found = 0
    try:
        for number, query in enumerate(queries):
            requested.clear()
            if number == 0:
                page.goto(f"{search_page}?q={quote(query)}", wait_until="load")
                try:
                    page.wait_for_function("window.__firstResultAt !== null", timeout=wait_ms)
                    stats.first_open_ms = page.evaluate("window.__firstResultAt")
                    stats.answered += 1
                except Exception:   # playwright's TimeoutError: no result link appeared
                    pass
            else:
                elapsed = page.evaluate(LATER_QUERY_JS, [query, wait_ms])
                latencies.append(elapsed)
                if elapsed is not None:
                    stats.answered += 1
            shown = _settle(page)
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
    except Exception as exc:   # a broken page is a finding to report, not a crash of the bench
        stats.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        context.close()
    if problems and stats.error is None:
        stats.error = problems[0][:200]
    if later_kb:
        stats.later_query_kb, stats.later_query_max_kb = statistics.median(later_kb), max(later_kb)
    stats.precision = shown_true / shown_total if shown_total else None
    stats.recall = small_found / small_truth if small_truth else None
    return stats, latencies
