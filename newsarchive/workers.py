"""One process runner for a build: which start method, how many processes, how errors return.

Every process a build starts comes from a `Runner`. It forks (children inherit the build's data
instead of receiving it pickled) only while this process runs a single thread: forking a
threaded process, such as the preview server building from its watcher thread while HTTP
threads serve, can copy a lock another thread holds into the child, where nobody will release
it. Otherwise children come from a fork server (or are spawned) and get their work pickled.
Children never hold the build lock and never outlive a killed build; an error raised in one
(an `ArchiveError` keeps its path, line and key across processes) is raised again here.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import signal
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor

from .errors import ArchiveError

PR_SET_PDEATHSIG = 1  # linux/prctl.h
MAX_WORKERS = 8


class Runner:
    """Starts a build's processes; `lock_fd` is the build lock's descriptor, closed in each."""

    def __init__(self, lock_fd: int | None = None):
        self.lock_fd = lock_fd
        self.parent = os.getpid()
        self.running: list[Background] = []

    @staticmethod
    def cores() -> int:
        """The cores this process may run on."""
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1

    @property
    def inherits(self) -> bool:
        """Whether children start as copies of this process (fork): only with one thread."""
        return threading.active_count() == 1 and \
            "fork" in multiprocessing.get_all_start_methods()

    def context(self, fork: bool = True):
        """Forked children while this process `inherits`, unless not to `fork`: then spawned
        ones; otherwise children of a fork server (or spawned)."""
        if not fork:
            # Children of this process, not of a fork server: they end with it, and their CPU
            # time counts as its own (it reaps them).
            return multiprocessing.get_context("spawn")
        if self.inherits:
            return multiprocessing.get_context("fork")
        methods = multiprocessing.get_all_start_methods()
        return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")

    def workers(self, items: int, minimum: int, reserved: int = 0, most: int = MAX_WORKERS) -> int:
        """How many processes to share `items` among: one per core (less `reserved` for other
        work of this build, less each background process still running), up to `most`; just
        this one below `minimum` items, where starting processes costs more than it saves."""
        cores = self.cores() - reserved - sum(not job.done() for job in self.running)
        return 1 if items < minimum or cores < 2 else min(cores, most)

    def pool(self, workers: int, initializer=None, initargs: tuple = (), fork: bool = True):
        """An executor of `workers` processes, each first running initializer(*initargs); for
        one, this process alone (the initializer is not run: this process has what it needs).
        Without `fork` they never start as copies of this process: a child that reads much of
        what it inherited copies it, page by page, as the reference counts it writes land."""
        if workers == 1:
            return Serial()
        return ProcessPoolExecutor(workers, mp_context=self.context(fork),
                                   initializer=_start_child,
                                   initargs=(self._child_setup(fork), initializer, initargs))

    def busy(self) -> bool:
        """Whether a background process of this build is still at work."""
        return any(not job.done() for job in self.running)

    def background(self, function, *args) -> Background:
        """function(*args) in a process of its own; Background.result() waits for its value."""
        job = Background(self, function, args)
        self.running.append(job)
        return job

    def _child_setup(self, fork: bool = True) -> tuple:
        return (self.parent, self.lock_fd) if fork and self.inherits else (None, None)


def progress_bar(iterable=None, **options):
    """A tqdm progress bar (`options` are tqdm's) that starts no thread: tqdm's monitor thread
    would outlive the bar and keep every later Runner from forking. A disabled bar (`-q`)
    does not load tqdm: it reads its own package's metadata, ~45 ms of a build that would show
    no bar."""
    if options.get("disable"):
        return _NoBar(iterable)
    from tqdm import tqdm

    class Progress(tqdm):
        monitor_interval = 0

    return Progress(iterable, **options)


class _NoBar:
    """A disabled progress bar: the iterable's items, a bar that is never drawn."""

    def __init__(self, iterable=None):
        self.iterable = iterable

    def __iter__(self):
        return iter(self.iterable)

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def update(self, count: int = 1) -> None:
        pass


class Serial:
    """An executor that runs everything here."""

    def __enter__(self) -> Serial:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def map(self, function, *iterables, chunksize: int = 1):
        return map(function, *iterables)


def _start_child(setup: tuple, initializer, initargs: tuple) -> None:
    """A child must neither hold the build lock nor outlive a killed build."""
    parent, lock_fd = setup
    if lock_fd is not None:
        os.close(lock_fd)  # a forked copy of the lock's descriptor would keep the folder locked
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: children still end when their pool is shut down
    if parent is not None:  # forked from the build itself
        if os.getppid() != parent:  # the build died before the line above took effect
            os._exit(1)
        # The collector would write to every object it walks, copying the parent's memory
        # page by page into this process: what the parent made is left to the parent.
        gc.freeze()
    if initializer is not None:
        initializer(*initargs)


def _run_background(setup: tuple, sender, function, args: tuple) -> None:
    _start_child(setup, None, ())
    try:
        result = (function(*args), None)
    except ArchiveError as exc:
        result = (None, exc)
    # Through a file: a pipe holds 64 KB, and sending a larger value would keep this process,
    # and all the memory it holds, alive until the parent reads it (after the pages).
    with tempfile.NamedTemporaryFile(prefix="newsarchive-result-", delete=False) as file:
        pickle.dump(result, file, pickle.HIGHEST_PROTOCOL)
    sender.send(file.name)


class Background:
    """One function running in its own process (see Runner.background)."""

    def __init__(self, runner: Runner, function, args: tuple):
        context = runner.context()
        self.runner = runner
        self.results, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_run_background, daemon=True, args=(
            runner._child_setup(), sender, function, args))
        self.process.start()
        sender.close()
        self._finished = False

    def done(self) -> bool:
        """Whether the process has finished (its result is waiting)."""
        return self._finished or self.results.poll()

    def result(self):
        """Wait for the function's value; its ArchiveError is raised here."""
        try:
            path = self.results.recv()
        except EOFError:
            raise ArchiveError("a process of the build ended unexpectedly (out of memory?): "
                               "build again") from None
        finally:
            self._end()
        with open(path, "rb") as file:
            value, error = pickle.load(file)
        os.unlink(path)
        if error is not None:
            raise error
        return value

    def cancel(self) -> None:
        self.process.kill()
        try:
            if self.results.poll():  # it had finished: its value's file is left to remove
                os.unlink(self.results.recv())
        except (EOFError, OSError):
            pass  # killed before it finished
        self._end()

    def _end(self) -> None:
        self.process.join()
        self._finished = True
        if self in self.runner.running:
            self.runner.running.remove(self)
