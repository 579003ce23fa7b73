"""Build the site: read and validate all content, run the output stages, swap the site in.

    content/ --load--> Site --+-- pages  (plan or text-edit shortcut, fingerprints, render)
                              +-- static (static/ copied)
                              +-- search (index shards, documents; beside the pages if large)
                                  --> staging folder --swap--> _site/

When no input changed at all, the output is left as it is. Otherwise each stage gets its cache
entry from the last build (see buildcache.py) and keeps what it can (see stages/).
"""

from __future__ import annotations

import contextlib
import gc
import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path

from . import config as config_module
from . import content, frontmatter, model
from . import errors as errors_module
from .buildcache import (STAMP_SIZE, BuildCache, BuildState, CacheMemory, build_code,
                         code_version, input_stamp, listing_stamp, load_contents, save_contents)
from .config import SiteConfig
from .content import (SOURCES_DIR, ContentListing, collector_paused, list_content, load_content,
                      relist_content)
from .errors import ArchiveError, ArchiveErrors
from .model import Article, Site
from .output import (BuildLock, check_output_dir, folder_identity, refresh_spare,
                     start_staging)

# The modules that turn a content file into an Article: the content entry of the cache
# holds their Articles, so other versions of them (a new field, a new check) parse again.
ARTICLE_CODE = (config_module, content, errors_module, frontmatter, model)


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
    images: list[str] = field(default_factory=list)    # page images rendered (not cached)

    def summary(self) -> str:
        try:
            shown = os.path.relpath(self.out_dir)
        except ValueError:  # another drive on Windows
            shown = str(self.out_dir)
        return (f"built {self.pages} pages ({self.articles} articles) into {shown}/ in "
                f"{self.seconds:.1f} s: {len(self.written)} written, {len(self.unchanged)} "
                f"unchanged, {len(self.removed)} removed"
                + (f", {len(self.images)} page images rendered" if self.images else ""))


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
    unused = {t.name for t in config.topics}
    for article in articles:   # until every topic is seen: most are in the first few articles
        if not unused:
            break
        unused.difference_update(article.topics)
    return [f"{config.path}: topic {t.name!r} has no articles: check its keywords "
            f"({', '.join(t.rule.keywords)}) and min_mentions ({t.rule.min_mentions}), then "
            f"re-run ingest" for t in config.topics if t.name in unused]


def _listing(content_dir: Path, memory: CacheMemory | None, changed: Collection[Path] | None
             ) -> tuple[ContentListing, set[str] | None]:
    """The content files now, and those of them that may have changed since the memory's
    last listing (None: any may have): from that listing and `changed` when both are known,
    else from a walk. The memory keeps it for the next build."""
    root = content_dir.resolve()
    relisted = None
    if memory is not None and changed is not None and memory.listing is not None \
            and memory.listing[0] == root:
        relisted = relist_content(content_dir, memory.listing[1], changed)
    listing, suspects = relisted or (list_content(content_dir), None)
    if memory is not None:
        memory.listing = (root, listing)
    return listing, suspects


def build_site(config: SiteConfig, content_dir: Path, out_dir: Path, quiet: bool = False,
               lock_wait: float = 60.0, memory: CacheMemory | None = None,
               changed: Collection[Path] | None = None,
               swapped: Callable[[BuildReport], None] | None = None) -> BuildReport:
    """Build content_dir into out_dir; on any failure the previous out_dir stays as it was.

    `memory` keeps the cache entries between the builds of one process (see buildcache.py).
    `changed`, with a memory, is every path changed since its last build (a file watcher's
    report): then only those content files are looked at, not all of them. `swapped` is
    called with the report as soon as the new site is in place, before the cache entries
    are saved (a tenth of a second at 30,000 articles): the preview reloads its pages
    meanwhile. The lock is held until the saves are done, so the next build sees them."""
    started = time.monotonic()
    templates_dir, static_dir = config.root / "templates", config.root / "static"
    content_dir = Path(content_dir)
    out_dir = check_output_dir(Path(out_dir), config.root,
                               [content_dir, config.root / "seeds", templates_dir, static_dir])
    cache = BuildCache(config.root, content_dir, out_dir, memory)
    with BuildLock(out_dir, wait=lock_wait) as lock, contextlib.ExitStack() as frozen:
        # Read under the lock: another build may have just replaced both output and cache.
        scanned_ns = time.time_ns()
        listing, suspects = _listing(content_dir, memory, changed)
        folders = [content_dir / SOURCES_DIR, templates_dir, static_dir]
        state = cache.load("state", BuildState)
        content_stamp = rest_stamp = None
        # An article file the watcher saw change is read again whatever its stat says: this
        # is no no-op, and the content's stamp (every file's stat, tens of thousands) waits
        # until the new site is served.
        if state is not None and not suspects:
            content_stamp, content_ns = listing_stamp(content_dir, listing)
            # The files besides the folders that the last build depended on: stating them
            # needs none of the code that names them.
            rest_stamp, rest_ns = input_stamp(folders, state.inputs)
            if state.still_current(content_stamp + rest_stamp, max(content_ns, rest_ns),
                                   out_dir):
                cache.remember()
                return BuildReport(out_dir, state.page_count, state.article_count,
                                   time.monotonic() - started, unchanged=list(state.files))
        # Loaded only now: a build that finds nothing changed (a command run twice) needs
        # none of the rendering, search and stage code, a third of its time.
        from . import pageimages
        from .pageimages import PdfMemo, plan_pdf_pages
        from .render import check_templates, compiled_templates_dir, make_environment
        from .search.lunr import lunr_candidates
        from .stages import Build
        from .stages.pageimages import PageImagesStage
        from .stages.pages import PagesStage
        from .stages.search import SearchStage
        from .stages.static import StaticStage
        from .workers import Runner

        inputs = [config.path.resolve(), *lunr_candidates(config.root), *build_code()]
        if rest_stamp is None or state.inputs != inputs:
            rest_stamp, _ = input_stamp(folders, inputs)
        article_code = code_version(ARTICLE_CODE)
        # The articles stay to the end of the build: the collector need not walk them again
        # and again (at 30,000 articles, two thirds of the time of making their cards), nor
        # between the content cache's two entries (at 100,000, half a second each time).
        with collector_paused():
            contents = load_contents(cache, article_code)
            # Before the collector is back: the objects made while it was off all count as
            # new, and its first pass would walk them all (100,000 articles: 0.4 s).
            gc.freeze()
        frozen.callback(gc.unfreeze)
        runner = Runner(lock.fd)
        articles = load_content(content_dir, contents, listing, suspects, runner)
        gc.freeze()
        # The last build checked every article against the config; with the same config
        # (and code) only those read again since can name a topic it lacks.
        same_rest = state is not None and state.stamp[STAMP_SIZE:] == rest_stamp
        check_against_config(config, [contents.entries[rel].article for rel in contents.parsed]
                             if same_rest else articles)
        pdf_code = code_version((pageimages,))
        pdfs = cache.load("pdfs", PdfMemo, pdf_code) or PdfMemo()
        pdf_pages = plan_pdf_pages(contents.from_pdfs(), content_dir, pdfs)
        env = make_environment(templates_dir, compiled_templates_dir(cache.folder))
        check_templates(env)
        trusted = state is not None and state.output == folder_identity(out_dir)
        staging = start_staging(out_dir, state.spare if trusted else None,
                                state.files if trusted else None)
        build = Build(Site(config, articles, pdf_pages), config, content_dir, env, staging,
                      runner, contents, trusted, rest_stamp, cache,
                      state.entries if trusted else {}, quiet, generation=scanned_ns)
        stages = [PagesStage(), StaticStage(), SearchStage(), PageImagesStage()]
        try:
            previous = [stage.previous(build) for stage in stages]
            for stage, last in zip(stages, previous):
                stage.begin(build, last)
            produced = [stage.produce(build, last) for stage, last in zip(stages, previous)]
            spare = build.staging.commit()
        except BaseException:  # Ctrl-C included: never leave a half-written temporary folder
            for stage in stages:
                stage.cancel()
            build.staging.discard()
            raise
        staging = build.staging
        page_count = sum(result.pages for result in produced)
        report = BuildReport(out_dir, page_count, len(articles), time.monotonic() - started,
                             staging.written, staging.unchanged, staging.removed,
                             [path for result in produced for path in result.rendered],
                             empty_topics(config, articles),
                             images=[path for result in produced for path in result.images])
        if swapped is not None:
            swapped(report)
        # Each stage's entries, then the state that says which of them go with this output.
        entries = dict(build.generations)
        for stage, result in zip(stages, produced):
            for name, value in result.entries.items():
                cache.save(name, value, code_version(stage.code), scanned_ns)
                entries[name] = scanned_ns
            for name, pending in result.pending.items():
                if cache.adopt(name, pending):
                    entries[name] = scanned_ns
                else:
                    entries.pop(name, None)
        save_contents(cache, contents, article_code, scanned_ns)
        if pdfs.dirty:
            cache.save("pdfs", pdfs, pdf_code)
        pageimages.prune(pageimages.cache_folder(cache.folder, cache.key),
                         {image.path.rsplit("/", 1)[1] for page in pdf_pages.values()
                          for image in page.images})
        if content_stamp is None:
            content_stamp, _ = listing_stamp(content_dir, listing)
        cache.save("state", BuildState(content_stamp + rest_stamp, scanned_ns,
                                       folder_identity(out_dir),
                                       sorted(staging.written + staging.unchanged), page_count,
                                       len(articles), spare, entries, inputs))
        cache.remember()
    report.seconds = time.monotonic() - started
    return report


def tidy_spare(config: SiteConfig, content_dir: Path, out_dir: Path,
               memory: CacheMemory | None = None) -> bool:
    """Bring the spare site up to date with the output now (what the next build would do
    first), and say so in the build state; False when there was nothing to do or another build
    holds the lock. The preview calls it after each build: the next edit is then quicker."""
    out_dir = Path(out_dir).resolve()
    cache = BuildCache(config.root, Path(content_dir), out_dir, memory)
    try:
        with BuildLock(out_dir, wait=0) as _lock:
            state = cache.load("state", BuildState)
            if state is None or state.spare is None \
                    or (state.spare.complete and not state.spare.stale) \
                    or state.output != folder_identity(out_dir):
                cache.remember()
                return False
            spare = refresh_spare(out_dir, state.spare, state.files)
            state.spare = spare
            cache.save("state", state)
            cache.remember()
            return spare is not None
    except (ArchiveError, OSError):
        return False  # the next build does it, or builds afresh


def warm_contents(config: SiteConfig, content_dir: Path, out_dir: Path, memory: CacheMemory
                  ) -> bool:
    """Load the articles into the memory's content cache as the next build would, if its last
    build did not (a no-op loads none): the preview's first edit then reads only its file.
    Kept only if the load found every file as the cache has it; else the next build loads
    them itself and sees what changed. False when nothing was kept."""
    if memory.listing is None or memory.listing[0] != Path(content_dir).resolve():
        return False
    cache = BuildCache(config.root, Path(content_dir), Path(out_dir).resolve(), memory)
    try:
        with BuildLock(Path(out_dir).resolve(), wait=0) as _lock:
            if cache.load("state", BuildState) is None:
                return False
            contents = load_contents(cache, code_version(ARTICLE_CODE))
            if contents.loaded is not None or not contents.entries:
                cache.remember()
                return False
            try:
                load_content(Path(content_dir), contents, memory.listing[1])
            except ArchiveError:
                contents.parsed = {"": None}  # not kept: the next build reports it
            if contents.parsed or contents.removed:
                for name in ("content", "content-recent"):
                    if cache.used is not None:
                        cache.used.pop(name, None)
                    memory.entries.pop(name, None)
            cache.remember()
            return not (contents.parsed or contents.removed)
    except (ArchiveError, OSError):
        return False
