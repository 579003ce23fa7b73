"""Work spread over processes: pages fingerprinted and rendered in chunks, the search data
written beside them.

Workers are forked: they inherit the build's pages and staging folder rather than receive them
pickled, and they neither hold the build lock nor outlive a killed build. On two cores the pages
render here while the search process runs, then in one process per core: never more busy
processes than cores, which would only take memory.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from . import urls
from .depends import Fingerprints, PagePrint
from .errors import ArchiveError
from .model import Site
from .output import Staging, write_error
from .pages import Page
from .render import render_template
from .search import SearchOutput, search_output

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 400
CHUNK_PAGES = 200
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def render_page(site: Site, page: Page, env) -> bytes:
    """One page's bytes: its context plus what every template gets (root, own path, config)."""
    context = {"root": urls.root_prefix(page.path), "page_path": page.path,
               "config": site.config, **page.context}
    return render_template(env, page.template, context).encode("utf-8")


@dataclass
class RenderJob:
    """One build's pages and what deciding on and rendering them takes; forked workers
    inherit it rather than receiving it pickled."""

    site: Site
    pages: list[Page]
    env: object
    staging: Staging
    fingerprints: Fingerprints
    previous: dict[str, bytes]   # each page's fingerprint in the build that wrote the output


_job: RenderJob | None = None


def _render_chunk(first: int, last: int) -> tuple:
    """Fingerprint pages[first:last], keep the previous file of each page whose fingerprint is
    unchanged, render the others; returns their prints, the paths rendered, the files written
    and kept, an error as data (its path, line and key do not survive pickling) and the
    process that did it."""
    job = _job
    staging, prints, rendered = job.staging, {}, []
    written_from, unchanged_from = len(staging.written), len(staging.unchanged)
    error = None
    try:
        for page in job.pages[first:last]:
            prints[page.path] = printed = job.fingerprints.page(page.path, page.template,
                                                                page.context)
            if job.previous.get(page.path) == printed.digest and staging.keep(page.path):
                continue
            staging.write(page.path, render_page(job.site, page, job.env))
            rendered.append(page.path)
    except ArchiveError as exc:
        error = (exc.message, exc.path, exc.line, exc.key)
    return (prints, rendered, staging.written[written_from:],
            staging.unchanged[unchanged_from:], error, os.getpid())


def _start_worker(parent: int, lock_fd: int | None) -> None:
    """A worker must neither hold the build lock nor outlive a killed build."""
    if lock_fd is not None:
        os.close(lock_fd)  # a forked copy of the lock's descriptor would keep the folder locked
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: workers still end when their pool is shut down
    if os.getppid() != parent:  # the build died before the line above took effect
        os._exit(1)
    # The collector would write to every object it walks, copying the parent's memory page by
    # page into this process: what the parent made is left to the parent.
    gc.freeze()


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def worker_count(count: int, reserved: int = 0) -> int:
    """How many processes to render `count` pages with: the cores we may use (less `reserved`
    for other work of this build), or just this one."""
    cores = _cores() - reserved
    if count < PARALLEL_MIN_PAGES or cores < 2 or \
            "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(cores, 8)


def render_changed(site: Site, pages: list[Page], env, fingerprints: Fingerprints,
                   previous: dict[str, bytes], staging: Staging, quiet: bool,
                   lock_fd: int | None, background: SearchInBackground | None = None
                   ) -> tuple[dict[str, PagePrint], list[str]]:
    """Fingerprint every page, keep the previous file of each whose fingerprint is unchanged
    and render the rest, across processes when there are many pages (see _chunk_results);
    returns the pages' prints and the paths rendered."""
    global _job
    chunks = [(i, min(i + CHUNK_PAGES, len(pages))) for i in range(0, len(pages), CHUNK_PAGES)]
    prints: dict[str, PagePrint] = {}
    rendered: list[str] = []
    # The bar appears only if the pages take more than a second.
    bar = tqdm(total=len(pages), desc="pages", unit="page", disable=quiet, delay=1.0,
               leave=False)
    _job = RenderJob(site, pages, env, staging, fingerprints, previous)
    try:
        with bar:
            results = _chunk_results(chunks, background, lock_fd)
            for (first, last), result in zip(chunks, results):
                chunk_prints, chunk_rendered, written, unchanged, error, pid = result
                prints.update(chunk_prints)
                rendered += chunk_rendered
                if pid != os.getpid():  # a worker's staging lists are its own copies
                    staging.written += written
                    staging.unchanged += unchanged
                if error is not None:
                    message, path, line, key = error
                    raise ArchiveError(message, path, line=line, key=key)
                bar.update(last - first)
    finally:
        _job = None
    return prints, rendered


def _chunk_results(chunks: list[tuple[int, int]], background: SearchInBackground | None,
                   lock_fd: int | None):
    """_render_chunk's result for each chunk, in order: in one process per core when there are
    many pages; while a search process has a core, here, until it is done, then the chunks
    left in one process per core (more busy processes than cores only take memory)."""
    def pages(rest: list[tuple[int, int]]) -> int:
        return sum(last - first for first, last in rest)

    at = 0
    if worker_count(pages(chunks), reserved=1 if background else 0) == 1:
        while at < len(chunks) and (background is None or not background.done()):
            yield _render_chunk(*chunks[at])
            at += 1
    workers = worker_count(pages(chunks[at:]))
    if workers == 1:
        yield from (_render_chunk(*chunk) for chunk in chunks[at:])
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_worker, initargs=(os.getpid(), lock_fd)) as pool:
        yield from pool.map(_render_chunk, *zip(*chunks[at:]))


class SearchInBackground:
    """The search data, written into the staging folder by a forked process while this one
    plans and renders the pages: the two halves of a large build share the cores."""

    def __init__(self, site: Site, staging: Staging, cache: Path, trusted: bool,
                 lock_fd: int | None):
        context = multiprocessing.get_context("fork")
        self.staging = staging
        self.results, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, daemon=True, args=(
            site, staging, cache, trusted, sender, os.getpid(), lock_fd))
        self.process.start()
        sender.close()

    @staticmethod
    def _run(site: Site, staging: Staging, cache: Path, trusted: bool, sender, parent: int,
             lock_fd: int | None) -> None:
        _start_worker(parent, lock_fd)
        staging.written, staging.unchanged = [], []
        try:
            output = write_search_files(site, staging, cache, trusted)
        except ArchiveError as exc:  # its path, line and key do not survive pickling
            sender.send((None, (exc.message, exc.path, exc.line, exc.key)))
            return
        # The files are written: only their names and what to cache go back.
        sender.send(((output.names, output.state, staging.written, staging.unchanged), None))

    def done(self) -> bool:
        """Whether the search process has finished (its result is waiting)."""
        return self.results.poll()

    def result(self) -> SearchOutput:
        """Wait for the search data; its files join the staging folder's lists."""
        try:
            done, error = self.results.recv()
        except EOFError:
            raise ArchiveError("the process writing the search data ended unexpectedly (out "
                               "of memory?): build again") from None
        finally:
            self.process.join()
        if error is not None:
            message, path, line, key = error
            raise ArchiveError(message, path, line=line, key=key)
        names, state, written, unchanged = done
        self.staging.written += written
        self.staging.unchanged += unchanged
        return SearchOutput({}, names, state)

    def cancel(self) -> None:
        self.process.kill()
        self.process.join()


def write_search_files(site: Site, staging: Staging, cache: Path,
                       trusted: bool) -> SearchOutput:
    """The search data, through the staging folder like every page: only the files an edit
    changed are made when the cache describes the output being replaced."""
    try:
        output = search_output(site, cache, staging.out_dir if trusted else None)
        for path, data in sorted(output.changed.items()):
            staging.write(path, data)
        unchanged = [name for name in output.names if name not in output.changed]
        if not all(staging.keep(name) for name in unchanged):
            # The output lost a file the cache counts on: make every file afresh.
            output = search_output(site, cache, None)
            for path, data in sorted(output.changed.items()):
                staging.write(path, data)
    except OSError as exc:
        raise write_error(exc, staging.out_dir) from None
    return output
