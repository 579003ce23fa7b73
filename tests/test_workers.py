"""The process runner: start method, worker count, and errors that cross processes as themselves."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading

import pytest

from newsarchive.errors import ArchiveError, ArchiveErrors
from newsarchive.output import BuildLock
from newsarchive.workers import Runner, progress_bar


def failing(path: str) -> None:
    raise ArchiveError("bad front matter", path, line=8, key="date")


def square(number: int) -> int:
    if number < 0:
        failing(f"content/{number}.md")
    return number * number


# Set by a test in this process: a forked child sees it, a spawned one imports this afresh.
MARK: list[int] = []


def inherited(_: int) -> bool:
    return bool(MARK)


def lock_is_closed(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


@pytest.fixture(params=[True, False], ids=["fork", "forkserver"])
def runner(request, monkeypatch) -> Runner:
    """A runner in either mode, whatever threads the test process runs (xdist starts some)."""
    monkeypatch.setattr(Runner, "inherits", property(lambda self: request.param))
    return Runner()


def test_archive_errors_pickle_with_path_line_and_key():
    error = ArchiveError("expected a date", "content/a.md", line=8, key="date")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.message, again.path, again.line, again.key) == \
        (ArchiveError, "expected a date", "content/a.md", 8, "date")
    assert str(again) == str(error)
    several = ArchiveErrors([error, ArchiveError("no title", "content/b.md", key="title")])
    back = pickle.loads(pickle.dumps(several))
    assert type(back) is ArchiveErrors and str(back) == str(several)
    assert [e.key for e in back.errors] == ["date", "title"]


def test_a_background_error_is_raised_here_as_itself(runner):
    job = runner.background(failing, "content/x.md")
    with pytest.raises(ArchiveError) as caught:
        job.result()
    assert (caught.value.path, caught.value.line, caught.value.key) == ("content/x.md", 8, "date")
    assert not runner.busy()


def test_a_background_value_comes_back(runner):
    job = runner.background(square, 7)
    assert job.result() == 49 and job.done() and runner.running == []


def test_a_pool_maps_in_order_and_raises_a_workers_error_as_itself(runner):
    with runner.pool(2) as pool:
        assert list(pool.map(square, range(10))) == [n * n for n in range(10)]
    with pytest.raises(ArchiveError) as caught:
        with runner.pool(2) as pool:
            list(pool.map(square, [1, -3, 2]))
    assert caught.value.path == "content/-3.md" and caught.value.line == 8


def test_one_worker_runs_here_without_processes():
    with Runner().pool(1) as pool:
        assert list(pool.map(lambda n: (n, os.getpid()), [1])) == [(1, os.getpid())]


def test_children_never_hold_the_build_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(Runner, "inherits", property(lambda self: True))
    with BuildLock(tmp_path / "_site") as lock:
        runner = Runner(lock.fd)
        assert runner.background(lock_is_closed, lock.fd).result()
        with runner.pool(2) as pool:
            assert all(pool.map(lock_is_closed, [lock.fd] * 4))


def test_a_pool_told_not_to_fork_spawns_its_children(monkeypatch):
    """The page workers: forked, each would copy the build's memory as it read the plan."""
    monkeypatch.setattr(Runner, "inherits", property(lambda self: True))
    monkeypatch.setattr(sys.modules[__name__], "MARK", [1])
    runner = Runner()
    with runner.pool(2) as pool:
        assert set(pool.map(inherited, range(4))) == {True}
    with runner.pool(2, fork=False) as pool:
        assert set(pool.map(inherited, range(4))) == {False}


def test_fork_only_while_this_process_runs_one_thread():
    runner = Runner()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not runner.inherits
        assert runner.context().get_start_method() in ("forkserver", "spawn")
    finally:
        stop.set()
        thread.join()
    if threading.active_count() == 1:  # pytest-xdist runs threads of its own
        assert runner.inherits and runner.context().get_start_method() == "fork"


def test_worker_count_leaves_cores_to_background_processes(monkeypatch):
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: 4))
    runner = Runner()
    assert runner.workers(10, minimum=100) == 1
    assert runner.workers(1000, minimum=100) == 4
    assert runner.workers(1000, minimum=100, reserved=1) == 3
    assert runner.workers(1000, minimum=100, most=2) == 2

    class Running:
        def done(self) -> bool:
            return False
    runner.running.append(Running())
    assert runner.workers(1000, minimum=100) == 3 and runner.busy()
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: 2))
    assert runner.workers(1000, minimum=100) == 1


@pytest.mark.parametrize("quiet", [False, True], ids=["shown", "quiet"])
def test_a_progress_bar_starts_no_thread(quiet, capsys):
    before = threading.active_count()
    with progress_bar(total=3, disable=quiet, delay=0.0) as bar:
        bar.update(3)
        assert threading.active_count() == before
    assert [t for t in threading.enumerate() if type(t).__name__ == "TMonitor"] == []
    assert ("3/3" in capsys.readouterr().err) is not quiet


def test_a_quiet_bar_passes_its_items_through_without_loading_tqdm():
    code = ("import sys; from newsarchive.workers import progress_bar; "
            "assert list(progress_bar(iter([1, 2]), total=2, disable=True)) == [1, 2]; "
            "print('tqdm' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"
