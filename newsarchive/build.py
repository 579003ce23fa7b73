"""Build the site: read and validate all content, render the pages that changed, swap it in.

A page whose fingerprint (see depends.py) equals the last build's keeps the last build's file
(a hard link); only the others are rendered, across processes when there are many. When no
input changed at all, the output is left as it is. When only the texts of some articles changed,
the site is not planned again: the pages holding them are re-rendered from the contexts the
last full plan kept (lists and links show cards, which did not change).
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from . import urls
from .buildcache import BuildCache, BuildState, KeptContexts, build_code, input_stamp
from .config import SiteConfig
from .content import ContentCache, load_content
from .depends import ContextLoader, Fingerprints, PagePrint, tree_digest
from .errors import ArchiveError, ArchiveErrors
from .model import Article, Site
from .output import (BuildLock, Staging, check_output_dir, folder_identity, start_staging,
                     write_error)
from .pages import Page, plan_site
from .render import check_templates, make_environment, render_template
from .search import SearchOutput, save_search_state, search_output

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 400
CHUNK_PAGES = 200
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class BuildReport:
    """What a build did: page and article counts, time, and the files written, kept, removed."""

    out_dir: Path
    pages: int
    articles: int
    seconds: float
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # the others kept the last build's file
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        try:
            shown = os.path.relpath(self.out_dir)
        except ValueError:  # another drive on Windows
            shown = str(self.out_dir)
        return (f"built {self.pages} pages ({self.articles} articles) into {shown}/ in "
                f"{self.seconds:.1f} s: {len(self.written)} written, {len(self.unchanged)} "
                f"unchanged, {len(self.removed)} removed")


def check_against_config(config: SiteConfig, articles: list[Article]) -> None:
    """Every topic an article names must be one of site.yaml's; all mistakes at once."""
    known = [t.name for t in config.topics]
    errors = [ArchiveError(f"unknown topic {name!r}: use one of {', '.join(known)} "
                           f"(site.yaml topics)", a.path, key="topics")
              for a in articles for name in a.topics if name not in known]
    if errors:
        raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)


def empty_topics(config: SiteConfig, articles: list[Article]) -> list[str]:
    """A topic no article belongs to usually means its keywords in site.yaml match nothing."""
    used = {name for a in articles for name in a.topics}
    return [f"{config.path}: topic {t.name!r} has no articles: check its keywords "
            f"({', '.join(t.rule.keywords)}) and min_mentions ({t.rule.min_mentions}), then "
            f"re-run ingest" for t in config.topics if t.name not in used]


def check_plan(pages: list[Page]) -> None:
    """Two pages with one output path would overwrite each other: refuse before writing."""
    seen: set[str] = set()
    for page in pages:
        if page.path in seen:
            raise ArchiveError(f"two pages would be written to {page.path}: give one a "
                               "different id or name")
        seen.add(page.path)


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


def _workers(count: int, reserved: int = 0) -> int:
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
    if _workers(pages(chunks), reserved=1 if background else 0) == 1:
        while at < len(chunks) and (background is None or not background.done()):
            yield _render_chunk(*chunks[at])
            at += 1
    workers = _workers(pages(chunks[at:]))
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


def text_edits(contents: ContentCache) -> set[str] | None:
    """Ids of the articles whose text alone changed in the last load of `contents`; None if
    an article came, went, or changed what lists and links show of it (its card)."""
    if contents.removed:
        return None
    edited = set()
    for rel, before in contents.parsed.items():
        after = contents.entries[rel].article
        if before is None or before.card() != after.card():
            return None
        edited.add(after.id)
    return edited


def replan_pages(kept: KeptContexts, edited: set[str], site: Site) -> list[Page]:
    """The pages holding an edited article, from the contexts the last full plan kept, with
    this build's articles in them: with every card unchanged, nothing else of theirs changed."""
    articles = {a.id: a for a in site.articles}
    cards = {a.id: a.card() for a in site.articles}
    pages = []
    for context, ids in kept.pages.values():
        if edited.intersection(ids):
            path, template, values = ContextLoader(context, articles, cards).load()
            pages.append(Page(path, template, values))
    return pages


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


def global_key(config: SiteConfig, templates_dir: Path) -> bytes:
    """What every page depends on besides its context: templates, config, the code itself."""
    code = hashlib.blake2b(digest_size=16)
    for path in build_code(pages_only=True):
        code.update(path.read_bytes())
    return tree_digest(templates_dir) + repr(config).encode() + code.digest()


def build_site(config: SiteConfig, content_dir: Path, out_dir: Path, quiet: bool = False,
               lock_wait: float = 60.0) -> BuildReport:
    """Build content_dir into out_dir; on any failure the previous out_dir stays as it was."""
    started = time.monotonic()
    templates_dir, static_dir = config.root / "templates", config.root / "static"
    seeds_dir, content_dir = config.root / "seeds", Path(content_dir)
    out_dir = check_output_dir(Path(out_dir), config.root,
                               [content_dir, seeds_dir, templates_dir, static_dir])
    cache = BuildCache(config.root, content_dir, out_dir)
    with BuildLock(out_dir, wait=lock_wait) as lock:
        # Read under the lock: another build may have just replaced both output and cache.
        scanned_ns = time.time_ns()
        content_stamp, content_ns = input_stamp([content_dir], [])
        rest_stamp, rest_ns = input_stamp(
            [seeds_dir, templates_dir, static_dir],
            [config.path.resolve(), *_lunr_candidates(config), *build_code()])
        stamp, newest_ns = content_stamp + rest_stamp, max(content_ns, rest_ns)
        state = cache.load_state()
        if state is not None and state.still_current(stamp, newest_ns, out_dir):
            return BuildReport(out_dir, state.page_count, state.article_count,
                               time.monotonic() - started, unchanged=list(state.files))
        contents = cache.load_content()
        articles = load_content(content_dir, contents)
        check_against_config(config, articles)
        site = Site(config, articles)
        env = make_environment(templates_dir)
        check_templates(env)
        trusted = state is not None and state.output == folder_identity(out_dir)
        key = global_key(config, templates_dir)
        edited = text_edits(contents) if trusted and (state.key, state.rest_stamp) == \
            (key, rest_stamp) else None
        kept = cache.load_contexts(state.plan) if edited is not None else None
        staging = start_staging(out_dir, state.spare if trusted else None,
                                state.files if trusted else None)
        if kept is not None:
            # Only article texts changed: re-render the pages that show them, keep the rest.
            pages = replan_pages(kept, edited, site)
            replanned = {page.path for page in pages}
            if not all(staging.keep(path) for path in state.pages if path not in replanned):
                staging.discard()  # the output lost a page: plan everything after all
                kept, staging = None, start_staging(out_dir)
        background = SearchInBackground(site, staging, cache.search_file, trusted, lock.fd) \
            if kept is None and _workers(len(articles)) > 1 else None
        try:
            if kept is None:
                # Everything that can be checked is checked before the output is touched.
                pages = plan_site(site, seeds_dir)
                check_plan(pages)
            page_count = state.page_count if kept is not None else \
                sum(p.path.endswith(".html") for p in pages)
            prints, rendered = render_changed(site, pages, env,
                                              Fingerprints(key, contents.digests()),
                                              state.pages if trusted else {}, staging, quiet,
                                              lock.fd, background)
            del pages  # every page's context: free before the search data takes its memory
            if static_dir.is_dir():
                staging.copy_tree(static_dir, "static")
            search = background.result() if background else \
                write_search_files(site, staging, cache.search_file, trusted)
            if search.state is not None:
                # A search cache that describes the replaced site must never meet the new one:
                # gone before the swap, the new one saved after it (a crash between: cold).
                cache.search_file.unlink(missing_ok=True)
            spare = staging.commit()
        except BaseException:  # Ctrl-C included: never leave a half-written temporary folder
            if background:
                background.cancel()
            staging.discard()
            raise
        save_search_state(cache.search_file, search)
        fingerprints = {path: p.digest for path, p in prints.items()}
        if kept is not None:
            plan, fingerprints = state.plan, {**state.pages, **fingerprints}
        else:
            plan = scanned_ns
            cache.save_contexts(KeptContexts(plan, {path: (p.context, p.articles)
                                                    for path, p in prints.items() if p.context}))
        cache.save(BuildState(stamp, scanned_ns, folder_identity(out_dir), fingerprints,
                              sorted(staging.written + staging.unchanged), page_count,
                              len(articles), spare, key, rest_stamp, plan), contents)
    return BuildReport(out_dir, page_count, len(articles), time.monotonic() - started,
                       staging.written, staging.unchanged, staging.removed, rendered,
                       empty_topics(config, articles))


def _lunr_candidates(config: SiteConfig) -> list[Path]:
    """The lunr.min.js files the search writer may copy: a change there is a change of input."""
    roots = [config.root, Path(__file__).resolve().parent.parent]
    return [root / "node_modules" / "lunr" / "lunr.min.js" for root in roots]
