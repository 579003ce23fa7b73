"""The harness around the timings: child-process measurement, query generation, the report."""

from __future__ import annotations

import sys

import pytest

from bench.browser import SMALL_TRUTH, SearchStats
from bench.measure import Run, edit_visible_through_serve, median_run, run_measured, tree_size
from bench.report import BuildRow, SearchRow, report, target_lines
from bench.run import build_row, make_queries, parse_args, without_option


def test_run_measured_reports_memory_and_failures(tmp_path):
    grow = "x = bytearray(150 * 2**20); print('ok')"
    run = run_measured([sys.executable, "-c", grow], cwd=tmp_path, log=tmp_path / "log")
    assert run.ok and run.seconds > 0 and run.peak_rss_mb >= 150
    failed = run_measured([sys.executable, "-c", "raise SystemExit('bad input')"], cwd=tmp_path,
                          log=tmp_path / "log")
    assert not failed.ok and "exit 1" in failed.error and "bad input" in failed.error
    missing = run_measured([str(tmp_path / "no-such-tool")], cwd=tmp_path, log=tmp_path / "log")
    assert missing.seconds is None and "cannot start" in missing.error
    slow = run_measured([sys.executable, "-c", "import time; time.sleep(30)"], cwd=tmp_path,
                        log=tmp_path / "log", timeout=0.5)
    assert slow.error.startswith("timed out")


def test_tree_size_counts_files_and_bytes(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("12345")
    (tmp_path / "y.txt").write_text("中文", encoding="utf-8")
    assert tree_size(tmp_path) == (5 + 6, 2)
    assert tree_size(tmp_path / "absent") == (0, 0)


def test_queries_alternate_typical_and_rare():
    texts = {f"d{i:03d}": "西宁市推进全季文化旅游发展" * 3 + f"第{i}号独特句子内容{chr(0x4e00 + i)}段落"
             for i in range(60)}
    queries = make_queries(texts, 10, seed=1)
    assert len(queries) == 10 and len(set(queries)) == 10
    assert len(queries[0]) == 2
    for rare in queries[1::2]:
        assert 5 <= len(rare) <= 6
        assert 1 <= sum(rare in t for t in texts.values()) <= SMALL_TRUTH
    assert queries == make_queries(texts, 10, seed=1)


def test_queries_never_hold_a_line_break():
    texts = {f"d{i}": "西宁\n市\n推\n进\n" * 20 + f"独{i}" for i in range(20)}
    assert all("\n" not in q for q in make_queries(texts, 6, seed=2))


@pytest.mark.parametrize("argv, sizes, queries", [
    (["--quick"], [1000], 8),
    (["--sizes", "1000,10000"], [1000, 10000], 30),
])
def test_parse_args(argv, sizes, queries):
    args = parse_args(argv)
    assert (args.sizes, args.queries) == (sizes, queries)


def test_parse_args_rejects_bad_sizes(capsys):
    with pytest.raises(SystemExit) as exit_info:
        parse_args(["--sizes", "1k"])
    assert exit_info.value.code == 2 and "--sizes" in capsys.readouterr().err


def test_targets_say_met_or_by_how_much():
    rows = [BuildRow(30000, "ours", "cold", 6.0, 900), BuildRow(30000, "hugo", "cold", 3.0, 400),
            BuildRow(30000, "ours", "no-op", 0.4, 300), BuildRow(30000, "ours", "add a day", 3.0, 1200),
            BuildRow(30000, "ours", "add the next day", 1.5, 1200)]
    searches = [SearchRow(30000, "ours", 40.0, SearchStats(first_query_kb=250, later_query_kb=120,
                                                           p95_ms=30)),
                SearchRow(30000, "pagefind", 20.0, SearchStats())]
    lines = "\n".join(target_lines(rows, searches, {30000: {"recall": 1.0, "precision": 0.98}}))
    assert "| 30000 | cold build ≤ Hugo's (ours / Hugo) | 2.00 × | no: 2.0× the limit |" in lines
    assert "| no-op rebuild ≤ 0.5 s | 0.40 s | yes |" in lines
    assert "| a new day's issue < 2 s | 3.00 s | no: 1.5× the limit |" in lines
    assert "| the next day's issue < 2 s | 1.50 s | yes |" in lines
    assert "| peak memory ≤ 1.5 GB | 1200.00 MB | yes |" in lines
    assert "| search data ≤ 1.5× Pagefind's index | 2.00 × | no: 1.3× the limit |" in lines
    assert "| edit visible through serve < 0.5 s | n/a | n/a |" in lines
    assert "| a later query loads ≤ 100 KB | 120.00 KB | no: 1.2× the limit |" in lines
    assert "| recall 1.0 (node, generated queries) | 1.000 | yes |" in lines
    assert "| precision 1.0 (node, generated queries) | 0.980 | no |" in lines
    text = report(rows, searches, {})
    assert "| 30000 | ours / hugo, cold | 2.00× |" in text



SERVER = """
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.HTTPServer(("127.0.0.1", 0), handler)
print(f"serving at http://127.0.0.1:{server.server_address[1]}/; Ctrl-C to stop", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
"""


def test_edit_visible_through_serve(tmp_path):
    served = tmp_path / "site"
    served.mkdir()
    (served / "a.html").write_text("old", encoding="utf-8")
    page = served / "a.html"
    edits = [(lambda text=text: page.write_text(text, encoding="utf-8"), text)
             for text in ("新的编辑", "再次编辑", "第三次编辑")]
    run = edit_visible_through_serve(
        [sys.executable, "-c", SERVER, str(served)], cwd=tmp_path, log=tmp_path / "serve.log",
        page="a.html", edits=edits, startup=30, timeout=30, pause=0)
    assert run.ok and len(run.samples) == 3
    assert run.seconds == sorted(run.samples)[1]
    assert page.read_text(encoding="utf-8") == "第三次编辑"
    assert "serving at http://127.0.0.1:" in (tmp_path / "serve.log").read_text(encoding="utf-8")


def test_edit_never_visible_is_an_error(tmp_path):
    served = tmp_path / "site"
    served.mkdir()
    (served / "a.html").write_text("old", encoding="utf-8")
    run = edit_visible_through_serve(
        [sys.executable, "-c", SERVER, str(served)], cwd=tmp_path, log=tmp_path / "serve.log",
        page="a.html", edits=[(lambda: None, "不会出现")], startup=30, timeout=0.5)
    assert run.error.startswith("edit not visible within") and not run.samples


@pytest.mark.parametrize("runs, seconds, peak, samples", [
    ([Run(2.0, 100.0, cpu_seconds=1.0), Run(1.0, 300.0, cpu_seconds=3.0),
      Run(3.0, 200.0, cpu_seconds=2.0)], 2.0, 300.0, [2.0, 1.0, 3.0]),
    ([Run(1.5, None)], 1.5, None, [1.5]),
])
def test_median_run(runs, seconds, peak, samples):
    run = median_run(runs)
    assert (run.seconds, run.peak_rss_mb, run.samples) == (seconds, peak, samples)


def test_median_run_keeps_a_failure():
    assert median_run([Run(1.0, 10.0), Run(None, None, "exit 1: boom")]).error == "exit 1: boom"


def test_edit_visible_reports_a_server_that_dies(tmp_path):
    run = edit_visible_through_serve(
        [sys.executable, "-c", "print('error: site.yaml: bad key'); raise SystemExit(1)"],
        cwd=tmp_path, log=tmp_path / "serve.log", page="a.html", edits=[(lambda: None, "x")],
        startup=30)
    assert run.error.startswith("exit 1 before serving") and "bad key" in run.error


@pytest.mark.parametrize("argv, kept", [
    (["--commit", "HEAD", "--quick"], ["--quick"]),
    (["--sizes", "1000", "--commit=abc123"], ["--sizes", "1000"]),
    (["--quick"], ["--quick"]),
])
def test_without_option(argv, kept):
    assert without_option(argv, "--commit") == kept


def test_cpu_profile_top_sums_each_functions_own_samples():
    from bench.query_profile import cpu_profile_top
    frame = lambda name, url, line: {"functionName": name, "url": url, "lineNumber": line}
    profile = {"nodes": [{"id": 1, "callFrame": frame("", "", 0)},
                         {"id": 2, "callFrame": frame("eachWeight", "file:///s/search-engine.js", 233)},
                         {"id": 3, "callFrame": frame("appendChild", "", -1)}],
               "samples": [2, 3, 2, 1, 2], "timeDeltas": [1000, 500, 1500, 250, 2000]}
    assert cpu_profile_top(profile) == [(4.5, "eachWeight search-engine.js:234"),
                                        (0.5, "appendChild :0"), (0.25, "(anon) :1")]
    assert cpu_profile_top(profile, count=1) == [(4.5, "eachWeight search-engine.js:234")]


@pytest.mark.parametrize("run, note", [
    (Run(1.5, 10.0, samples=[1.0, 1.5, 2.0]), "median of 3: 1.00, 1.50, 2.00"),
    (Run(None, None, "exit 1: boom"), "exit 1: boom"),
    (Run(1.0, None), ""),
])
def test_a_repeated_step_notes_its_samples(run, note):
    assert build_row(1000, "ours", "add the next day", run).note == note


@pytest.mark.parametrize("argv", [["--days", "1"], ["--edits", "0"], ["--colds", "0"]])
def test_days_edits_and_colds_need_enough_samples(argv, capsys):
    with pytest.raises(SystemExit):
        parse_args(argv)
    assert "--days needs 2 or more" in capsys.readouterr().err


@pytest.mark.parametrize("code, cleans, note", [
    ("pass", 3, "median of 3: "),
    ("raise SystemExit(1)", 1, "exit 1"),
])
def test_a_cold_build_is_cleaned_before_each_of_its_timings(tmp_path, code, cleans, note):
    """Each timing starts from nothing (clean() first); a failed one ends the step."""
    import types
    from bench.run import SizeRun
    rows, cleaned = [], []
    fake = types.SimpleNamespace(args=parse_args(["--colds", "3"]), work=tmp_path, size=10,
                                 add=rows.append)
    run = SizeRun.measure_cold(fake, "ours", [sys.executable, "-c", code], tmp_path,
                               lambda: cleaned.append(1))
    assert len(cleaned) == cleans and run.ok is (code == "pass")
    assert [(row.tool, row.step) for row in rows] == [("ours", "cold")]
    assert rows[0].note.startswith(note)
