"""Run one command in a child process and measure it: wall time, peak RSS, exit status."""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.request import urlopen

URL_RE = re.compile(r"https?://[^\s;,]+/")


@dataclass
class Run:
    seconds: float | None
    peak_rss_mb: float | None
    error: str | None = None     # None: it succeeded
    cpu_seconds: float | None = None   # user + system, workers included: steadier on a busy host
    samples: list[float] = field(default_factory=list)  # of a repeated step: `seconds` is their median

    @property
    def ok(self) -> bool:
        return self.error is None


def median_run(runs: list[Run]) -> Run:
    """One figure for a step measured several times: the median wall and CPU time, the
    largest peak, every wall time in `samples`; the first failure if any run failed."""
    failed = next((run for run in runs if not run.ok), None)
    if failed is not None:
        return failed
    cpu = [run.cpu_seconds for run in runs if run.cpu_seconds is not None]
    return Run(statistics.median(run.seconds for run in runs),
               max((run.peak_rss_mb for run in runs if run.peak_rss_mb), default=None),
               cpu_seconds=statistics.median(cpu) if cpu else None,
               samples=[run.seconds for run in runs])


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    kids = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids.extend(int(k) for k in handle.read().split())
        except OSError:
            pass
    return kids


def _pss_kib(pid: int) -> int:
    """Proportional set size: shared pages split between the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeRssSampler(threading.Thread):
    """Samples the memory of a process and all its descendants (summed PSS) every 20 ms."""

    def __init__(self, pid: int, interval: float = 0.02):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            pids, todo = [], [self.pid]
            while todo:
                pid = todo.pop()
                pids.append(pid)
                todo.extend(_children(pid))
            self.peak_kib = max(self.peak_kib, sum(_pss_kib(pid) for pid in pids))
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(argv: list[str], *, cwd: Path, log: Path, env: dict[str, str] | None = None,
                 timeout: float = 3600) -> Run:
    """Run argv, its output to `log`. Peak memory is the larger of the biggest process's RSS
    (wait4) and the sampled PSS sum of the process tree, so parallel workers count together."""
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        with log.open("wb") as out:
            child = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
    except OSError as exc:
        return Run(None, None, f"cannot start {argv[0]}: {exc.strerror}")
    killer = threading.Timer(timeout, child.kill)
    sampler = TreeRssSampler(child.pid)
    killer.start()
    sampler.start()
    try:
        _pid, status, usage = os.wait4(child.pid, 0)
    finally:
        killer.cancel()
        sampler.stop()
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode == -9 and seconds >= timeout:
        return Run(None, None, f"timed out after {timeout:.0f} s")
    # Linux reports ru_maxrss in KiB.
    rss = max(usage.ru_maxrss, sampler.peak_kib) / 1024
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
        return Run(seconds, rss, f"exit {child.returncode}: {' | '.join(tail)[:300]}")
    return Run(seconds, rss, cpu_seconds=usage.ru_utime + usage.ru_stime)


def _time_until_visible(url: str, edit: Callable[[], None], marker: str, timeout: float) -> Run:
    """edit(), then the seconds until the page at `url` contains `marker`."""
    edit()
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urlopen(url, timeout=5) as response:
                if marker in response.read().decode("utf-8", errors="replace"):
                    return Run(time.perf_counter() - start, None)
        except OSError:
            pass
        time.sleep(0.01)
    return Run(None, None, f"edit not visible within {timeout:.0f} s")


def tree_size(root: Path) -> tuple[int, int]:
    """(bytes, files) of everything under root; (0, 0) when it does not exist."""
    total = files = 0
    for folder, _dirs, names in os.walk(root):
        for name in names:
            total += os.path.getsize(os.path.join(folder, name))
            files += 1
    return total, files


def edit_visible_through_serve(argv: list[str], *, cwd: Path, log: Path, page: str,
                               edits: list[tuple[Callable[[], None], str]],
                               startup: float = 1800, timeout: float = 120,
                               pause: float = 2.0) -> Run:
    """Start a preview server (argv), wait for its URL, then for each (edit, marker) of `edits`:
    call edit() and time how long until the served `page` (a path under the URL) contains
    `marker`, then wait `pause` seconds (someone editing reads the page before the next edit).
    The Run's seconds are the median of those times (median_run)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        child = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True)
    except OSError as exc:
        return Run(None, None, f"cannot start {argv[0]}: {exc.strerror}")
    lines: list[str] = []
    urls: list[str] = []

    def read_output() -> None:
        for line in child.stdout:
            lines.append(line)
            urls.extend(URL_RE.findall(line))

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    try:
        deadline = time.perf_counter() + startup
        while not urls:
            if child.poll() is not None:
                reader.join(5)  # its last lines may still be on their way
                return Run(None, None, f"exit {child.returncode} before serving: "
                                       + " | ".join(l.strip() for l in lines[-2:])[:300])
            if time.perf_counter() > deadline:
                return Run(None, None, f"no URL printed within {startup:.0f} s")
            time.sleep(0.05)
        url = urls[0]
        runs = []
        for number, (edit, marker) in enumerate(edits):
            if number:
                time.sleep(pause)
            runs.append(_time_until_visible(url + page, edit, marker, timeout))
            if not runs[-1].ok:
                break
        return median_run(runs)
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        log.write_text("".join(lines), encoding="utf-8")
