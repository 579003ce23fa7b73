"""Where a query's time goes in the search page: the bench's queries typed into a built site's
search page in headless Chromium from file://, each with its data scripts (when each was asked
for and when it had run), its new bytes by file kind and the time to its first result.

    .venv/bin/python bench/query_profile.py bench/out/n10000/site/_site --size 10000 --detail
    .venv/bin/python bench/query_profile.py SITE_A SITE_B --size 10000 --repeat 5
    .venv/bin/python bench/query_profile.py SITE --size 10000 --cpu

The queries are bench/run.py's for a corpus of --size articles (same seed), so a profile reads
the same queries as the bench's figures. Each run opens a fresh page, as the bench does. On a
shared machine one run's latencies are mostly its neighbours' load: --repeat runs the sites in
turns and prints, per site, the percentiles of each query's quickest run, which is what compares
two versions of the page. --cpu prints the page's functions with the most CPU time of their own.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `bench` and `newsarchive` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus
from bench.browser import LATER_QUERY_JS, _percentile, launch
from bench.run import ROOT, collect, make_queries
from newsarchive.config import load_config

# Notes each data script's insertion and its load, in page time. The load is noted after the
# page's own handler and the promise callbacks it starts have run (a broad query scores every
# hit there): a file noted late may have arrived early, behind the page's work.
LOADS_JS = """
window.__loads = [];
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.tagName === 'SCRIPT' && node.src) {
      const entry = {src: node.src.split('/').pop(), added: performance.now(), loaded: null};
      window.__loads.push(entry);
      node.addEventListener('load', () => { entry.loaded = performance.now(); });
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def queries_for(size: int, count: int, seed: int) -> list[str]:
    """bench/run.py's queries for its corpus of `size` articles."""
    config = load_config(ROOT / "site.yaml")
    writer = corpus.CorpusWriter(corpus.Pool.from_seeds(ROOT / "seeds"), config, seed)
    records: dict[str, dict] = {}
    for _page in collect(writer.pages(size), records):
        pass
    return make_queries({key: record["text"] for key, record in records.items()}, count, seed)


def cpu_profile_top(profile: dict, count: int = 25) -> list[tuple[float, str]]:
    """The functions of a CDP CPU profile with the most time of their own (ms)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    self_ms: dict[str, float] = {}
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        frame = nodes[sample]["callFrame"]
        name = f"{frame['functionName'] or '(anon)'} {frame['url'].split('/')[-1]}:{frame['lineNumber'] + 1}"
        self_ms[name] = self_ms.get(name, 0) + delta / 1000
    return sorted(((ms, name) for name, ms in self_ms.items()), reverse=True)[:count]


def profile(browser, site: Path, queries: list[str], cpu: bool = False) -> list[dict]:
    context = browser.new_context()
    context.add_init_script(LOADS_JS)
    page = context.new_page()
    search_page = (site / "search" / "index.html").as_uri()
    page.goto(search_page, wait_until="load")
    page.wait_for_function("document.getElementById('search-app').dataset.busy === 'false'")
    if cpu:
        session = context.new_cdp_session(page)
        session.send("Profiler.enable")
        session.send("Profiler.setSamplingInterval", {"interval": 100})
        session.send("Profiler.start")
    seen: set[str] = set()
    out = []
    for query in queries:
        before = page.evaluate("window.__loads.length")
        start = page.evaluate("performance.now()")
        elapsed = page.evaluate(LATER_QUERY_JS, [query, 5000])
        page.wait_for_function("document.getElementById('search-app').dataset.busy === 'false'")
        loads = page.evaluate("window.__loads")[before:]
        loads_first = [e for e in loads if e["added"] - start <= (elapsed or 0) + 0.5]
        new = [e["src"] for e in loads if e["src"] not in seen]
        size = sum((site / "search" / name).stat().st_size for name in new
                   if (site / "search" / name).is_file())
        seen.update(new)
        kinds: dict[str, float] = {}
        for name in new:
            path = site / "search" / name
            if path.is_file():
                kind = name.rsplit("-", 1)[0] if "-" in name else name
                kinds[kind] = kinds.get(kind, 0) + path.stat().st_size / 1024
        out.append({"query": query, "ms": elapsed, "kb": size / 1024, "kinds": kinds,
                    "timeline": [(e["src"].removesuffix(".js"), round(e["added"] - start, 1),
                                  round(e["loaded"] - start, 1) if e["loaded"] else None)
                                 for e in loads_first],
                    "data_ms": page.evaluate("document.getElementById('search-app').dataset.queryMs")})
    if cpu:
        for ms, name in cpu_profile_top(session.send("Profiler.stop")["profile"]):
            print(f"  cpu {ms:8.1f} ms  {name}")
    context.close()
    return out


def report(runs: list[list[dict]], detail: bool) -> None:
    for number, run in enumerate(runs):
        later = run[1:]
        times = [q["ms"] for q in later if q["ms"] is not None]
        print(f"run {number}: later p50 {statistics.median(times):.1f} ms, "
              f"p95 {_percentile(times, 0.95):.1f} ms, later KB median "
              f"{statistics.median(q['kb'] for q in later):.1f}, first {run[0]['kb']:.1f} KB, "
              f"scripts per later query {statistics.mean(len(q['timeline']) for q in later):.1f}")
    later = runs[0][1:]
    kinds = sorted({kind for q in later for kind in q["kinds"]})
    print("  later KB by file kind, median query's / mean: " + ", ".join(
        f"{kind} {statistics.median(q['kinds'].get(kind, 0) for q in later):.1f} / "
        f"{statistics.mean(q['kinds'].get(kind, 0) for q in later):.1f}" for kind in kinds))
    if detail:
        for q in runs[0]:
            shown = " ".join(f"{name}@{added}-{loaded}" for name, added, loaded in q["timeline"])
            print(f"  {q['query']:<8} {q['ms'] or -1:6.1f} ms {q['kb']:6.1f} KB: {shown[:200]}")
    if len(runs) > 1:
        # Each query's quickest run: the machine's noise left out, what the page costs kept.
        best = [min(q["ms"] for q in column) for column in zip(*(run[1:] for run in runs))]
        print(f"per query best of {len(runs)}: p50 {statistics.median(best):.1f} ms, "
              f"p95 {_percentile(best, 0.95):.1f} ms, mean {statistics.mean(best):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sites", type=Path, nargs="+",
                        help="built _site folders (several: their runs take turns, to compare)")
    parser.add_argument("--size", type=int, required=True, help="the corpus's article count")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--detail", action="store_true", help="each query's loads, first run")
    parser.add_argument("--json", type=Path, help="write the profile here too")
    parser.add_argument("--cpu", action="store_true",
                        help="print the page's functions with the most CPU time (CDP profiler)")
    args = parser.parse_args(argv)
    queries = queries_for(args.size, args.queries, args.seed)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = launch(playwright)
        by_site: dict[Path, list] = {site: [] for site in args.sites}
        for _ in range(args.repeat):
            for site in args.sites:
                by_site[site].append(profile(browser, site.resolve(), queries, args.cpu))
        browser.close()
    for site, runs in by_site.items():
        print(site)
        report(runs, detail=args.detail)
    if args.json:
        args.json.write_text(json.dumps({str(site): runs for site, runs in by_site.items()},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
