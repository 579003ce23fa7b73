"""Build the site: read and validate all content, render the pages that changed, swap it in.

A page whose fingerprint (see depends.py) equals the last build's keeps the last build's file
(a hard link); only the others are rendered, across processes when there are many. When no
input changed at all, the output is left as it is. When only the texts of some articles changed,
the site is not planned again: the pages holding them are re-rendered from the contexts the
last full plan kept (lists and links show cards, which did not change).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .buildcache import BuildCache, BuildState, KeptContexts, build_code, input_stamp
from .config import SiteConfig
from .content import ContentCache, load_content
from .depends import ContextLoader, Fingerprints, tree_digest
from .errors import ArchiveError, ArchiveErrors
from .model import Article, ArticleCard, Site
from .output import BuildLock, check_output_dir, folder_identity, start_staging
from .pages import Page, plan_site
from .render import check_templates, make_environment
from .search import save_search_state
from .workers import SearchInBackground, render_changed, worker_count, write_search_files

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
    cards = _Cards(articles)
    pages = []
    for context, ids in kept.pages.values():
        if edited.intersection(ids):
            path, template, values = ContextLoader(context, articles, cards).load()
            pages.append(Page(path, template, values))
    return pages


class _Cards(dict):
    """Article id -> its card, made when first asked for: the few pages planned again name a
    few dozen of the archive's articles."""

    def __init__(self, articles: dict[str, Article]):
        super().__init__()
        self.articles = articles

    def __missing__(self, article_id: str) -> ArticleCard:
        card = self[article_id] = self.articles[article_id].card()
        return card


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
            if kept is None and worker_count(len(articles)) > 1 else None
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
