"""The pages stage: every page of the plan, rendered only where its fingerprint changed.

A page whose fingerprint (see depends.py) equals the last build's keeps the last build's file
(a hard link); only the others are rendered, across processes when there are many. When only the
texts of some articles changed, the site is not planned again: the pages holding them are
re-rendered from the contexts the last plan kept (lists and links show cards, which did not
change), and every other page keeps its file. When a few articles came, went or changed their
cards, only the pages they can reach (see reach.py) are planned and fingerprinted, from the
order the last plan kept (taxonomy.SiteOrder) brought up to date by those articles; every other
page keeps its file, fingerprint and context, and only the contexts planned are saved beside
the full save of them (RecentContexts).
"""

from __future__ import annotations

import bisect
import collections
import dataclasses
import gc
import io
import os
import pickle
import sys
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

from .. import config as config_module
from .. import content, depends, errors, frontmatter, model, pages, pageviews, reach, render
from .. import taxonomy, urls
from .. import workers
from ..buildcache import RECENT_SHARE, code_version
from ..config import SiteConfig
from ..content import ContentCache
from ..depends import ContextLoader, Fingerprints, PagePrint, tree_digest
from ..errors import ArchiveError
from ..model import Article, ArticleCard, Site
from ..output import Staging
from ..pages import Page, plan_site, sitemap_page
from ..reach import Change, reach_of
from ..taxonomy import SiteOrder
from ..render import make_environment, render_template
from . import Build, Produced, Stage

# Below this many pages to render, starting worker processes costs more than it saves.
PARALLEL_MIN_PAGES = 400
CHUNK_PAGES = 200
# A chunk sent to a worker is halved until its pickle is at most this size: a month's page
# shows every card of the month, and a chunk of them would hold most of the archive's.
SENT_MOST = 4 << 20
# Up to this many pages the workers are forked and read their pages out of the plan they
# inherit: no pickling, but each copies the memory it reads (reference counts are writes), so
# that at 38,700 pages (30,000 articles) the build peaks at ~620 MB, at 129,000 at ~2.05 GB.
# Beyond it they are spawned and sent their pages, which bounds them (1.42 GB at 129,000
# pages) for ~15% more CPU (pickling and unpickling: 41.0 -> 47.6 s at 38,700 pages).
FORK_MOST_PAGES = 60_000
# Past this many changed articles (and a tenth of the archive), the whole site is planned: a
# reach that large is most of the site anyway.
PARTIAL_MOST = 100


@dataclass
class PagesState:
    """Each page's fingerprint in the build that wrote the output, and what it was made with."""

    fingerprints: dict[str, bytes] = field(default_factory=dict)
    key: bytes = b""            # global_key(): templates, config, the pages' code
    rest_stamp: bytes = b""     # Build.rest_stamp of that build
    page_count: int = 0


@dataclass
class KeptContexts:
    """The pickled contexts (depends.PagePrint) of the pages that hold whole articles, as the
    last full plan made them (the cache entry "contexts"; see RecentContexts)."""

    pages: dict[str, tuple[bytes, tuple[str, ...]]] = field(default_factory=dict)


@dataclass
class RecentContexts:
    """The kept contexts that differ from the full save ("contexts", made by build `base`):
    each page's planned since, None for a page gone or holding no article now (the cache entry
    "contexts-recent"). A partial plan saves only these while they are few: loading and
    saving every article page's context (30 MB at 30,000 articles) took longer than planning
    a new day's pages."""

    base: int
    pages: dict[str, tuple[bytes, tuple[str, ...]] | None] = field(default_factory=dict)


def kept_contexts(build: Build) -> KeptContexts | None:
    """The contexts the last plans kept: the full save with the recent changes on it."""
    kept = build.previous("contexts", KeptContexts, PagesStage.code)
    recent = build.previous("contexts-recent", RecentContexts, PagesStage.code)
    if kept is None or recent is None or recent.base != build.generations["contexts"]:
        return kept
    pages = {**kept.pages, **recent.pages}
    return KeptContexts({path: held for path, held in pages.items() if held is not None})


def recent_contexts(build: Build) -> RecentContexts | None:
    """What a partial plan adds its contexts to: the last recent changes to the full save, if
    they go with it; None when there is no full save to go on from. The full save itself is
    not loaded: whoever reads the contexts checks it (kept_contexts)."""
    if "contexts" not in build.generations:
        return None
    base = build.generations["contexts"]
    recent = build.previous("contexts-recent", RecentContexts, PagesStage.code)
    return recent if recent is not None and recent.base == base else RecentContexts(base)


def check_plan(plan: list[Page]) -> None:
    """Two pages with one output path would overwrite each other: refuse before writing."""
    seen: set[str] = set()
    for page in plan:
        if page.path in seen:
            raise ArchiveError(f"two pages would be written to {page.path}: give one a "
                               "different id or name")
        seen.add(page.path)


@dataclass
class PartialPlan:
    """The pages a build plans again, and the last build's pages it keeps as they are."""

    pages: list[Page]
    kept: list[str]             # paths of the last build's pages kept, file and fingerprint
    page_count: int
    # The kept contexts' recent changes, to add this plan's to; None when they stay as they
    # are (a text edit: they hold articles by id, loaded with this build's).
    contexts: RecentContexts | None


def card_changes(contents: ContentCache) -> list[Change]:
    """Each article the last load of `contents` found added, changed or removed, as (its card
    before, its card now), None where it was or is not."""
    changes = [(before.card() if before is not None else None,
                contents.entries[rel].article.card()) for rel, before in contents.parsed.items()]
    return changes + [(article.card(), None) for article in contents.removed.values()]


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
    articles = _ArticlesById(site.articles)
    cards = _Cards(articles)
    replanned = []
    for context, ids in kept.pages.values():
        if not edited.isdisjoint(ids):   # no set made per page: the site has tens of thousands
            path, template, values = ContextLoader(context, articles, cards).load()
            replanned.append(Page(path, template, values))
    return replanned


class _ArticlesById:
    """Article id -> article, looked up in the articles as loaded (sorted by id): the few pages
    planned again name a few dozen of them, not worth a map of all."""

    def __init__(self, articles: list[Article]):
        self.articles = articles
        self.by_id: dict[str, Article] | None = None

    def __getitem__(self, article_id: str) -> Article:
        at = bisect.bisect_left(self.articles, article_id, key=attrgetter("id"))
        if at < len(self.articles) and self.articles[at].id == article_id:
            return self.articles[at]
        if self.by_id is None:  # not sorted after all
            self.by_id = {a.id: a for a in self.articles}
        return self.by_id[article_id]


class _Cards(dict):
    """Article id -> its card, made when first asked for: the few pages planned again name a
    few dozen of the archive's articles."""

    def __init__(self, articles: _ArticlesById):
        super().__init__()
        self.articles = articles

    def __missing__(self, article_id: str) -> ArticleCard:
        card = self[article_id] = self.articles[article_id].card()
        return card


# What the pages' bytes depend on besides their contexts, templates and config. A test checks
# that it holds every module of the package the planner and renderer import.
CODE = (config_module, content, depends, errors, frontmatter, model, pages, pageviews, reach,
        render, taxonomy, urls)


def global_key(config: SiteConfig, templates_dir: Path) -> bytes:
    """What every page depends on besides its context: templates, config, the code itself.
    The config's file as one absolute path: `build` names it as given (site.yaml), `serve`
    resolved, and no page shows it; else each would render every page after the other."""
    config = dataclasses.replace(config, path=config.path.resolve())
    return tree_digest(templates_dir) + repr(config).encode() + \
        code_version((*CODE, sys.modules[__name__]))


class PagesStage(Stage):
    name = "pages"
    kind = PagesState
    code = (*CODE, sys.modules[__name__])

    def __init__(self):
        self.partial: PartialPlan | None = None  # the pages planned again, the rest kept
        # The last build's state, when the pages the changed cards reach are to be planned:
        # in produce(), while the search data is made beside them.
        self.reached: PagesState | None = None

    def begin(self, build: Build, previous: PagesState | None) -> None:
        """Plan only what changed when the last build's pages are of these templates, config
        and code: the text-edit shortcut, else the pages the changed cards reach (planned in
        produce()); every other page keeps its file."""
        key = global_key(build.config, build.config.root / "templates")
        if previous is None or (previous.key, previous.rest_stamp) != (key, build.rest_stamp):
            return
        edited = text_edits(build.contents)
        if edited is None:
            self.reached = previous
            return
        # Both ways build on the contexts the last plan kept: they must go on describing the
        # site, for the next text edit.
        kept = kept_contexts(build)
        if kept is None:
            return
        self.partial = self.text_edit_plan(build, previous, kept, edited)
        build.small = len(self.partial.pages) < PARALLEL_MIN_PAGES

    @staticmethod
    def text_edit_plan(build: Build, previous: PagesState, kept: KeptContexts,
                       edited: set[str]) -> PartialPlan:
        """The kept contexts of the pages that show an edited text, with the new articles."""
        replanned = replan_pages(kept, edited, build.site)
        paths = {page.path for page in replanned}
        return PartialPlan(replanned, [path for path in previous.fingerprints
                                       if path not in paths], previous.page_count, None)

    @staticmethod
    def reached_plan(build: Build, previous: PagesState, kept: RecentContexts,
                     order: SiteOrder) -> PartialPlan | None:
        """The pages the added, removed and re-carded articles reach (see reach.py), planned
        again; the last build's other pages kept, those of the reach not planned now gone.
        `order`, the last plan's, is brought up to date with the changes (in place)."""
        changes = card_changes(build.contents)
        if len(changes) > max(PARTIAL_MOST, len(build.site.articles) // 10):
            return None
        cards = pages.cards_of(build.site.articles)
        by_id = {card.id: card for card in cards}
        order.update(changes, by_id)
        reached = reach_of(changes, cards, order.label_groups(by_id))
        plan = plan_site(build.site, build.content_dir, reached, cards, order)
        owned, folders = reached.owned(build.config)
        planned = {page.path for page in plan}
        unplanned = [path for path in previous.fingerprints if path not in planned
                     and path != urls.SITEMAP and path not in owned
                     and not path.startswith(folders)]
        if build.config.base_url:
            plan.append(sitemap_page(build.config, unplanned + sorted(planned)))
        check_plan(plan)
        page_count = sum(path.endswith(".html") for path in unplanned + sorted(planned))
        return PartialPlan(plan, unplanned, page_count, kept)

    def plan(self, build: Build) -> tuple[SiteOrder | None, list[Page], int]:
        """The pages to fingerprint (and render where changed), their count in the whole site
        and the order the plan went by (None: the text-edit shortcut, which kept it)."""
        order = None
        if self.reached is not None:
            kept = recent_contexts(build)
            order = build.previous("order", SiteOrder, self.code)
            if kept is not None and order is not None:
                self.partial = self.reached_plan(build, self.reached, kept, order)
        if self.partial is not None and not build.staging.keep_all(self.partial.kept):
            # The output lost a page: plan everything after all (a page whose file is gone
            # is rendered again).
            self.partial = None
        if self.partial is not None:
            return order, self.partial.pages, self.partial.page_count
        cards = pages.cards_of(build.site.articles)
        order = SiteOrder.of(cards)
        # Everything that can be checked is checked before the output is touched.
        plan = plan_site(build.site, build.content_dir, None, cards, order)
        check_plan(plan)
        return order, plan, sum(p.path.endswith(".html") for p in plan)

    def produce(self, build: Build, previous: PagesState | None) -> Produced:
        key = global_key(build.config, build.config.root / "templates")
        # Planning makes a card for every article and a page for many, none of them garbage:
        # with the collector on, its full collections walked them again and again (cards of
        # 100,000 articles: 0.40-0.46 s, against 0.11 s with it paused).
        with content.collector_paused():
            order, plan, page_count = self.plan(build)
            gc.freeze()
        old = previous.fingerprints if previous is not None else {}
        prints, rendered = render_changed(
            build.site.config, plan, build.env, Fingerprints(key, build.contents.digests()),
            old, build.staging, build.quiet, build.runner)
        fingerprints = {path: p.digest for path, p in prints.items()}
        contexts = {path: (p.context, p.articles) for path, p in prints.items() if p.context}
        # The text-edit shortcut changes no card: the last plan's order stays as saved.
        entries: dict[str, object] = {} if order is None else {"order": order}
        if self.partial is not None:
            # A page kept unplanned keeps its fingerprint and context: neither can have changed.
            # The last build's prints less those of pages gone, copied in C: an edit keeps
            # tens of thousands.
            kept = set(self.partial.kept)
            fingerprints = _merged(old, old.keys() - kept - fingerprints.keys(), fingerprints)
            if self.partial.contexts is not None:
                entries.update(contexts_entries(build, self.partial.contexts, {
                    **{path: None for path in old if path not in kept}, **contexts}))
        else:
            entries["contexts"] = KeptContexts(contexts)
        entries[self.name] = PagesState(fingerprints, key, build.rest_stamp, page_count)
        return Produced(entries, page_count, rendered)


def _merged(old: dict, gone: set, new: dict) -> dict:
    """`old` less the keys `gone`, updated with `new`."""
    merged = old.copy()
    for key in gone:
        del merged[key]
    merged.update(new)
    return merged


def contexts_entries(build: Build, recent: RecentContexts,
                     planned: dict[str, tuple[bytes, tuple[str, ...]] | None]
                     ) -> dict[str, object]:
    """The cache entries that keep the contexts after a partial plan: the recent changes with
    this plan's (`planned`, None for a page that holds none) while they are under RECENT_SHARE
    of the articles, else a full save again; none when the full save was lost (the next text
    edit then plans everything)."""
    pages = {**recent.pages, **planned}
    if len(pages) <= RECENT_SHARE * len(build.site.articles):
        return {"contexts-recent": RecentContexts(recent.base, pages)}
    kept = build.previous("contexts", KeptContexts, PagesStage.code)
    if kept is None:
        return {}
    pages = {**kept.pages, **pages}
    return {"contexts": KeptContexts({path: held for path, held in pages.items()
                                      if held is not None})}


def render_page(config: SiteConfig, page: Page, env) -> bytes:
    """One page's bytes: its context plus what every template gets (root, own path, config)."""
    context = {"root": urls.root_prefix(page.path), "page_path": page.path,
               "config": config, **page.context}
    return render_template(env, page.template, context).encode("utf-8")


class RenderJob:
    """One build's pages and what deciding on and rendering them takes. Workers receive it
    pickled without the pages (each chunk brings its own) and make their own Jinja
    environment."""

    def __init__(self, config: SiteConfig, plan: list[Page], env, staging: Staging,
                 fingerprints: Fingerprints, previous: dict[str, bytes]):
        self.config, self.pages, self.env, self.staging = config, plan, env, staging
        self.fingerprints = fingerprints
        self.previous = previous  # each page's fingerprint in the build that wrote the output

    def __getstate__(self) -> dict:
        compiled = self.env.bytecode_cache
        return {**self.__dict__, "pages": [], "env": (
            Path(self.env.loader.searchpath[0]), compiled and Path(compiled.directory))}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, env=make_environment(*state["env"]))


_job: RenderJob | None = None


def _install_job(job: RenderJob) -> None:
    global _job
    _job = job


def _article(fields: dict, body: bytes) -> Article:
    """An article as a chunk sent to a worker carries it (see _ChunkPickler)."""
    return Article(**fields, body=body.decode())


class _ChunkPickler(pickle.Pickler):
    """Pickles a chunk of pages for a worker, each article's body encoded here: pickled as a
    str, CPython would keep the UTF-8 copy it makes inside the str, doubling the memory the
    articles' bodies take in the build for the rest of it."""

    def __init__(self, buffer: io.BytesIO):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)

    def reducer_override(self, value: object):
        if type(value) is Article:
            return _article, (value.fields_without_body(),
                              pickle.PickleBuffer(value.encoded_body()))
        return NotImplemented


def _pickled_chunk(pages: list[Page]) -> bytes:
    buffer = io.BytesIO()
    _ChunkPickler(buffer).dump(pages)
    return buffer.getvalue()


def _render_chunk(first: int, last: int, sent: bytes | None = None) -> tuple:
    """Fingerprint pages[first:last] (or the pages `sent` to this worker, see _ChunkPickler),
    keep the previous file of each page whose fingerprint is unchanged, render the others;
    returns their prints, the paths rendered, the files written and kept, and the process
    that did it."""
    job = _job
    staging, prints, rendered = job.staging, {}, []
    written_from, unchanged_from = len(staging.written), len(staging.unchanged)
    for page in job.pages[first:last] if sent is None else pickle.loads(sent):
        # An ArticlePage makes its context at each asking: once here.
        page = Page(page.path, page.template, page.context)
        prints[page.path] = printed = job.fingerprints.page(page.path, page.template,
                                                            page.context)
        if job.previous.get(page.path) == printed.digest and staging.keep(page.path):
            continue
        staging.write(page.path, render_page(job.config, page, job.env))
        rendered.append(page.path)
    if sent is not None:  # its cards came with it: keep none of them alive
        job.fingerprints.forget_cards()
        job.env.globals["article_items"].forget()
    return (prints, rendered, staging.written[written_from:],
            staging.unchanged[unchanged_from:], os.getpid())


def render_changed(config: SiteConfig, plan: list[Page], env, fingerprints: Fingerprints,
                   previous: dict[str, bytes], staging: Staging, quiet: bool,
                   runner: workers.Runner) -> tuple[dict[str, PagePrint], list[str]]:
    """Fingerprint every page, keep the previous file of each whose fingerprint is unchanged
    and render the rest, across processes when there are many pages (see _chunk_results);
    returns the pages' prints and the paths rendered.

    Each page of `plan` is let go (None) once done: the plan is most of this process's
    memory, and the prints coming back would otherwise pile up on top of it."""
    chunks = [(i, min(i + CHUNK_PAGES, len(plan))) for i in range(0, len(plan), CHUNK_PAGES)]
    prints: dict[str, PagePrint] = {}
    rendered: list[str] = []
    # The bar appears only if the pages take more than a second.
    bar = workers.progress_bar(total=len(plan), desc="pages", unit="page", disable=quiet,
                               delay=1.0, leave=False)
    _install_job(RenderJob(config, plan, env, staging, fingerprints, previous))
    try:
        with bar:
            for (first, last), result in _chunk_results(chunks, runner):
                chunk_prints, chunk_rendered, written, unchanged, pid = result
                prints.update(chunk_prints)
                rendered += chunk_rendered
                if pid != os.getpid():  # a worker's staging lists are its own copies
                    staging.written += written
                    staging.unchanged += unchanged
                plan[first:last] = [None] * (last - first)
                bar.update(last - first)
    finally:
        _install_job(None)
    return prints, rendered


def _chunk_results(chunks: list[tuple[int, int]], runner: workers.Runner):
    """(chunk, _render_chunk's result) for each chunk (or part of one): in one process per
    core when there are many pages; while another process of the build (the search data) has
    a core that leaves this one alone, here, from the last chunk back, until it is done, then
    the chunks left in one process per core (more busy processes than cores only take
    memory). From the back: the article pages come first, and the contexts their prints keep
    would pile up here while the search process holds most of its memory."""
    def pages_in(rest: collections.deque) -> int:
        return sum(last - first for first, last in rest)

    rest = collections.deque(chunks)
    while rest and runner.busy() and \
            runner.workers(pages_in(rest), PARALLEL_MIN_PAGES) == 1:
        chunk = rest.pop()
        yield chunk, _render_chunk(*chunk)
    count = runner.workers(pages_in(rest), PARALLEL_MIN_PAGES)
    if count == 1:
        yield from ((chunk, _render_chunk(*chunk)) for chunk in rest)
        return
    job = _job
    if runner.inherits and len(job.pages) <= FORK_MOST_PAGES:
        with runner.pool(count) as pool:
            yield from zip(rest, pool.map(_render_chunk, *zip(*rest)))
        return
    # Not forked: a forked worker would read its pages out of the whole plan it inherited, and
    # the reference counts it writes copy the memory they lie in, until each worker held most
    # of the plan and the articles (660 MB each at 100,000 articles).
    with runner.pool(count, _install_job, (job,), fork=False) as pool:
        # Each chunk pickled when a worker is about to want it, not all of them at once.
        sent = collections.deque()
        for first, last in rest:
            for part in _parts(job.pages, first, last):
                sent.append((part[:2], pool.submit(_render_chunk, *part)))
            while len(sent) > 2 * count:
                part, result = sent.popleft()
                yield part, result.result()
        for part, result in sent:
            yield part, result.result()


def _parts(pages: list[Page], first: int, last: int) -> list[tuple[int, int, bytes]]:
    """pages[first:last] pickled for a worker as (first, last, pickle), in halves (and halves
    of those) while the pickle is over SENT_MOST bytes."""
    sent = _pickled_chunk(pages[first:last])
    if len(sent) <= SENT_MOST or last - first == 1:
        return [(first, last, sent)]
    middle = (first + last) // 2
    return _parts(pages, first, middle) + _parts(pages, middle, last)
