"""Which process of a build holds the memory, and when: each process of a command's tree
sampled (PSS, shared pages split between the processes sharing them) every --interval
seconds, a line every --every seconds, then the tree's peak with each process's share and
each process's own peak. bench/run.py reports only the tree's peak; this says whose it is
(the main build, the search process, the page workers).

    .venv/bin/python bench/corpus.py 100000 --content /tmp/c100k/content --texts /tmp/c100k/pages
    .venv/bin/python bench/memory_profile.py -- .venv/bin/python build.py --config SITE/site.yaml \\
        -q build --content /tmp/c100k/content --out SITE/_site

SITE is a folder holding copies of site.yaml, templates/ and static/ (as bench/run.py
prepares one); remove its _site and .newsarchive-cache for a cold build.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):   # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import _children, _pss_kib


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants."""
    pids, todo = [], [pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_children(pid))
    return pids


def shares(sample: dict[int, int], started: dict[int, float]) -> str:
    return ", ".join(f"{pid} (from {started[pid]:.0f} s) {mb} MB"
                     for pid, mb in sample.items() if mb)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=0.25, help="seconds between samples")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between lines")
    parser.add_argument("command", nargs="+", help="the command to run (after --)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    child = subprocess.Popen(args.command)
    started: dict[int, float] = {}
    own_peaks: dict[int, int] = {}
    peak, peak_at, peak_sample, printed = 0, 0.0, {}, -args.every
    while child.poll() is None:
        now = time.perf_counter() - start
        sample = {pid: _pss_kib(pid) // 1024 for pid in tree(child.pid)}
        for pid, mb in sample.items():
            started.setdefault(pid, now)
            own_peaks[pid] = max(own_peaks.get(pid, 0), mb)
        total = sum(sample.values())
        if total > peak:
            peak, peak_at, peak_sample = total, now, sample
        if now - printed >= args.every:
            printed = now
            print(f"{now:7.1f} s  {total:6d} MB  {shares(sample, started)}", file=sys.stderr)
        time.sleep(args.interval)
    print(f"exit {child.returncode} after {time.perf_counter() - start:.1f} s", file=sys.stderr)
    print(f"tree peak {peak} MB at {peak_at:.1f} s: {shares(peak_sample, started)}",
          file=sys.stderr)
    print(f"each process's peak: {shares(own_peaks, started)}", file=sys.stderr)
    return child.returncode


if __name__ == "__main__":
    sys.exit(main())
