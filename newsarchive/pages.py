"""The page plan: every output page of a site as (path, template, context), no rendering here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import pageviews, taxonomy, urls
from .errors import ArchiveError
from .model import Article, ArticleCard, Site
from .content import SOURCES_DIR, read_source
from .reach import Reach

LATEST_ISSUES = 7
FEED_ENTRIES = 50
PAGER_REACH = 2   # pages linked on each side of the current one
CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 640, 140, 20
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))
LIST_KINDS = {"topics": "专题", "tags": "标签", "reporters": "记者", "places": "地点"}


@dataclass
class Page:
    """One output file: where it goes, the template that renders it and the template's data."""

    path: str
    template: str
    context: dict = field(default_factory=dict)


class ArticlePage(Page):
    """An article's own page, its context made anew whenever asked for: made up front, the
    contexts of 100,000 articles were most of the 215 MB a build's plan took. Pickled (sent
    to a worker), it is a Page."""

    template = "article.html"

    def __init__(self, article: Article, make_context: Callable[[Article], dict]):
        self.path = urls.article_path(article.id)
        self.article, self.make_context = article, make_context

    @property
    def context(self) -> dict:
        return self.make_context(self.article)

    def __reduce__(self):
        return Page, (self.path, self.template, self.context)


@dataclass
class Continuation:
    """Where the rest of an article is: a link when it is in the archive, else only a note."""

    label: str
    path: str | None
    note: str


@dataclass
class SourceLine:
    """One line of a seed page in the source view, with the article it went into."""

    number: int
    text: str
    article: ArticleCard | None
    mark: int | None              # index of the article among the page's, for its colour
    starts_article: bool


@dataclass
class Bar:
    """One month's bar of a topic chart, in SVG user units."""

    x: float
    y: float
    width: float
    height: float
    label: str
    count: int
    year_label: str | None


def citation(article: Article, paper: str) -> str:
    """GB/T 7714-2015 newspaper reference: 责任者. 题名[N]. 报纸名, 日期(版次)."""
    authors = article.reporters[:3]
    who = ", ".join(authors) + (", 等" if len(article.reporters) > 3 else "")
    date = article.date.isoformat() if article.date else "出版日期不详"
    page = f"({article.page})" if article.page else ""
    title = article.title + (f"：{article.subtitle}" if article.subtitle else "")
    return f"{who + '. ' if who else ''}{title}[N]. {article.paper or paper}, {date}{page}."


def _cut_name(text: str, owner: str | None, name: str) -> list[tuple[str, str | None]]:
    if owner or name not in text:
        return [(text, owner)]
    pieces = text.split(name)
    cut = [(pieces[0], None)]
    for piece in pieces[1:]:
        cut += [(name, name), (piece, None)]
    return cut


def byline_parts(byline: str | None, reporters: list[str]) -> list[tuple[str, str | None]]:
    """The byline as printed, cut into (text, reporter name or None) so names can be linked."""
    parts: list[tuple[str, str | None]] = [(byline or "", None)]
    for name in sorted(reporters, key=len, reverse=True):  # 王小明 before 王小
        parts = [piece for text, owner in parts for piece in _cut_name(text, owner, name)]
    named = {owner for _, owner in parts}
    missing = [name for name in reporters if name not in named]
    if missing:  # a reporter the byline does not spell out is still listed and linked
        parts.append(("（记者 " if byline else "记者 ", None))
        for i, name in enumerate(missing):
            parts += ([("、", None)] if i else []) + [(name, name)]
        parts.append(("）" if byline else "", None))
    return [(text, owner) for text, owner in parts if text]


def chart_bars(months: list[tuple[int, int, int]]) -> list[Bar]:
    """Geometry of the articles-per-month bar chart (drawn as inline SVG at build time)."""
    if not months:
        return []
    peak = max(count for _, _, count in months) or 1
    slot = CHART_WIDTH / len(months)
    bars = []
    for i, (year, month, count) in enumerate(months):
        height = (CHART_HEIGHT - CHART_TOP) * count / peak
        first = i == 0 or month == 1
        bars.append(Bar(round(i * slot + slot * 0.15, 2), round(CHART_HEIGHT - height, 2),
                        round(slot * 0.7, 2), round(height, 2), f"{year}年{month}月", count,
                        str(year) if first else None))
    return bars


def list_chunks(newest_first: Sequence, per_page: int, skip: int = 0
                ) -> tuple[list, list[list], int]:
    """A list's front page and its archive pages, counted from the oldest article, but for
    the oldest `skip`; and how many archive pages it has in all.

    Archive pages hold `per_page` articles each and never shift: a new article goes to the
    front page, which holds the newest per_page to 2 * per_page - 1 articles, until a full
    page of them moves into a new archive page. Each list shows its articles newest first.
    Only the pages returned are sliced out: a topic's list holds much of the archive, and a
    plan of a new day makes its front page and newest archive pages.
    """
    total = len(newest_first)
    archived = max(total // per_page - 1, 0)
    chunks = [newest_first[total - (n + 1) * per_page:total - n * per_page]
              for n in range(skip, archived)]
    return newest_first[:total - archived * per_page], chunks, archived


def continuation(article: Article, label: str | None, backwards: bool,
                 issue_pages: dict[tuple, list[ArticleCard]]) -> Continuation | None:
    """The other part of a continued article: the matching article, else its page, else a note."""
    if not label:
        return None
    verb = "上接" if backwards else "下转"
    on_page = issue_pages.get((article.date, label), [])
    matches = [a for a in on_page
               if (a.continues if backwards else a.continued_from) == article.page]
    if matches:
        return Continuation(label, urls.article_path(matches[0].id), f"{verb}{label}版")
    if on_page:
        return Continuation(label, urls.issue_path(article.date) + "#" + urls.page_anchor(label),
                            f"{verb}{label}版（未能确定是该版哪篇文章）")
    return Continuation(label, None, f"{verb}{label}版（该版不在本档案中）")


def source_pages(cards: list[ArticleCard], content_dir: Path, files: set[str] | None = None
                 ) -> tuple[list[Page], dict[str, str]]:
    """One source page view per page text in content/sources/ (or per one of `files`); returns
    the pages and article id → its view."""
    by_file: dict[str, list[ArticleCard]] = {}
    for article in cards:
        # A PDF's page view is its issue page.
        if article.source and not article.source.is_pdf and \
                (files is None or article.source.file in files):
            by_file.setdefault(article.source.file, []).append(article)
    pages, views = [], {}
    for name in sorted(by_file):
        articles = sorted(by_file[name], key=lambda a: a.source.lines[0])
        lines = read_source(content_dir, name, articles[0].path)
        if lines is None:
            continue
        owner: dict[int, ArticleCard] = {}
        for article in articles:
            spans = article.source.spans or (article.source.lines,)
            for first, last in spans:
                for number in range(first, last + 1):
                    owner.setdefault(number, article)  # overlapping spans: the first article keeps the line
        starts = {a.source.lines[0]: a for a in articles}
        index = {a.id: i for i, a in enumerate(articles)}
        rows = [SourceLine(n, text, owner.get(n), index[owner[n].id] if n in owner else None,
                           n in starts and starts[n] is owner.get(n))
                for n, text in enumerate(lines, start=1)]
        path = urls.source_path(name)
        if path in (p.path for p in pages):
            raise ArchiveError(f"two seed files map to the source page {path}: rename one",
                               content_dir / SOURCES_DIR / name)
        first = articles[0]
        pages.append(Page(path, "source.html", {
            "page_title": f"原版文字 {name}", "file_name": name, "rows": rows,
            "articles": articles, "date": first.date, "page_label": first.page}))
        # A seed edited after ingest may be shorter than an article's lines: link only what exists.
        views.update({a.id: path for a in articles if a.source.lines[0] <= len(lines)})
    return pages, views


def _feed_updated(articles: list[Article]) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else the newest article's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    dates = [a.date for a in articles if a.date] or [dt.date(1970, 1, 1)]
    return dt.datetime.combine(max(dates), dt.time(), CHINA_TIME)


def feed_page(site: Site, latest: list[Article]) -> Page:
    """The Atom feed of the newest dated articles."""
    base = site.config.base_url.rstrip("/") + "/" if site.config.base_url else None
    # Atom ids must be absolute IRIs that never change: without a base URL, a name-based UUID.
    entries = [{
        "article": a,
        "id": (base + urls.article_path(a.id)) if base
        else uuid.uuid5(uuid.NAMESPACE_URL, f"{site.config.title}/{a.id}").urn,
        "href": (base or "") + urls.article_path(a.id),
        "updated": dt.datetime.combine(a.date, dt.time(), CHINA_TIME).isoformat(),
    } for a in latest if a.date][:FEED_ENTRIES]
    return Page(urls.FEED, "feed.xml", {
        "page_title": site.config.title, "entries": entries, "base": base,
        "feed_id": base or uuid.uuid5(uuid.NAMESPACE_URL, site.config.title).urn,
        "updated": _feed_updated(site.articles).isoformat()})


def pager_numbers(number: int | None, count: int, reach: int = PAGER_REACH) -> list[int | None]:
    """Archive pages a list page links, newest first: those near `number` (None: the front
    page) and the oldest, 1; None marks a gap. Near, not all: 500 pages would mean 500 links
    on each page, and a page's links change only when the newest archive page is near it."""
    here = count + 1 if number is None else number
    near = range(max(1, here - reach), min(count, here + reach) + 1)
    shown = sorted({1, *near} if count else set(), reverse=True)
    numbers: list[int | None] = []
    for n in shown:
        if numbers and numbers[-1] - n > 1:
            numbers.append(n + 1 if numbers[-1] - n == 2 else None)  # a gap of one page: show it
        numbers.append(n)
    return numbers


def list_pages(kind: str, term: taxonomy.Term, per_page: int, extra: dict,
               kept: int = 0) -> list[Page]:
    """A topic's, tag's, reporter's or place's front page and archive pages (see list_chunks),
    but for the `kept` oldest archive pages."""
    front, chunks, count = list_chunks(term.articles, per_page, kept)
    summary = term.summary()

    def path(number: int | None) -> str:
        return urls.list_path(kind, term.slug, number)

    def pager(number: int | None) -> dict:
        newer = None if number is None else (path(number + 1) if number < count else path(None))
        older_number = count if number is None else number - 1
        return {"number": number, "front": path(None), "newer": newer,
                "older": path(older_number) if older_number >= 1 else None,
                "links": [(n, path(n) if n else None) for n in pager_numbers(number, count)]}

    heading = f"{LIST_KINDS[kind]}：{term.name}"
    pages = [Page(path(None), "list.html", {
        "page_title": heading, "kind": kind, "kind_name": LIST_KINDS[kind], "term": summary,
        "articles": front, "pager": pager(None), **extra})]
    for number, chunk in enumerate(chunks, start=kept + 1):
        pages.append(Page(path(number), "list.html", {
            "page_title": f"{heading}（第{number}页）", "kind": kind,
            "kind_name": LIST_KINDS[kind], "term": dataclasses.replace(summary, count=None),
            "articles": chunk, "pager": pager(number), "bars": []}))
    return pages


def cards_of(articles: list[Article]) -> list[ArticleCard]:
    """Each article's card(), made without the frozen dataclass's __init__: a card is the
    article's fields less the body, and its __init__, one guarded setattr a field, took twice
    as long for the 30,000 cards every plan makes; a copy of the article's own dict less the
    body takes half the time of picking the card's fields one by one (tested equal to
    card())."""
    new, kind = object.__new__, ArticleCard
    cards = []
    for article in articles:
        card = new(kind)
        card.__dict__.update(article.fields_without_body())
        cards.append(card)
    return cards


def plan_site(site: Site, content_dir: Path, reach: Reach | None = None,
              cards: list[ArticleCard] | None = None,
              order: taxonomy.SiteOrder | None = None) -> list[Page]:
    """Every page of the site, in a stable order; only those `reach` names and those that sum
    up the site when given (the sitemap, which lists every page, is then left to the caller).
    `cards` and `order`, when given, are those of site.articles.

    Only an article's own page and the feed get the article itself; every other page gets
    cards (see ArticleCard), so it does not depend on any article's text.
    """
    config = site.config
    articles = cards if cards is not None else cards_of(site.articles)
    by_id = {a.id: a for a in articles}
    groups, named = (order or taxonomy.SiteOrder.of(articles)).arranged(by_id)
    latest = groups.ranked
    topics = taxonomy.topic_terms(config, named["topics"])
    terms = {"topics": topics, "tags": taxonomy.tag_terms(named["tags"]),
             "reporters": taxonomy.reporter_terms(named["reporters"]),
             "places": taxonomy.place_terms(config, named["places"])}
    slugs = {kind: {t.name: t.slug for t in group} for kind, group in terms.items()}
    names = {"topics": lambda a: a.topics, "tags": lambda a: a.tags,
             "reporters": lambda a: a.reporters, "places": lambda a: a.places}
    issues = taxonomy.issues(latest)
    issue_pages = {(i.date, p.label): p.articles for i in issues for p in i.pages}
    planned = [a for a in site.articles if reach is None or a.id in reach.articles]
    neighbours = taxonomy.neighbours(articles, None if reach is None else reach.articles)
    related = taxonomy.related(articles, only=None if reach is None else reach.articles,
                               groups=groups)
    if reach is None:
        sources, views = source_pages(articles, content_dir)
    else:  # the views of the articles planned, the pages of the page texts reached
        sources, views = source_pages(articles, content_dir, reach.sources | {
            a.source.file for a in planned if a.source})
        sources = [p for p in sources if p.context["file_name"] in reach.sources]

    def article_context(article: Article) -> dict:
        return {
            # Only its own names' slugs: a page's context is what its rebuild depends on.
            "page_title": article.title, "article": article,
            "slugs": {kind: {name: slugs[kind][name] for name in names[kind](article)}
                      for kind in slugs},
            "byline": byline_parts(article.byline, article.reporters),
            "neighbours": neighbours[article.id], "related": related[article.id],
            "continues": continuation(article, article.continues, False, issue_pages),
            "continued_from": continuation(article, article.continued_from, True, issue_pages),
            "versions": [(v, by_id.get(v)) for v in article.versions],
            "citation": citation(article, config.paper), "source_view": views.get(article.id),
            "page_crop": pageviews.page_crop(article, site.pdf_pages)}

    pages = [Page(urls.HOME, "index.html", {
        "page_title": config.title, "issues": issues[:LATEST_ISSUES],
        "topics": [t.summary() for t in topics],
        "latest": latest[:10], "article_count": len(articles), "issue_count": len(issues)})]
    pages += [ArticlePage(article, article_context) for article in planned]
    pages += sources
    for kind, group in terms.items():
        pages.append(Page(urls.index_path(kind), "terms.html", {
            "page_title": f"全部{LIST_KINDS[kind]}", "kind": kind, "kind_name": LIST_KINDS[kind],
            "terms": [t.summary() for t in group]}))
        for term in group:
            if reach is not None and term.name not in reach.terms[kind]:
                continue
            extra = {"bars": chart_bars(taxonomy.monthly_counts(term.articles))} \
                if kind == "topics" else {"bars": []}
            kept = 0 if reach is None else \
                reach.kept_archive_pages(kind, term, config.paginate, PAGER_REACH)
            pages += list_pages(kind, term, config.paginate, extra, kept)
    pages += date_pages(issues, site.pdf_pages, reach)
    pages.append(Page(urls.SEARCH, "search.html", {"page_title": "全文检索"}))
    pages.append(Page(urls.NOT_FOUND, "404.html", {"page_title": "页面不存在"}))
    full = {a.id: a for a in site.articles}
    pages.append(feed_page(site, [full[a.id] for a in latest[:FEED_ENTRIES]]))
    if config.base_url and reach is None:
        pages.append(sitemap_page(config, [p.path for p in pages]))
    return pages


def sitemap_page(config, paths: list[str]) -> Page:
    """sitemap.xml: every HTML page but the 404 page (only made with a base URL)."""
    return Page(urls.SITEMAP, "sitemap.xml", {
        "page_title": config.title, "base": config.base_url.rstrip("/") + "/",
        "paths": sorted(p for p in paths if p.endswith(".html") and p != urls.NOT_FOUND)})


def date_pages(issues: list[taxonomy.Issue], pdf_pages: dict | None = None,
               reach: Reach | None = None) -> list[Page]:
    """The date archive: all years, each year's calendars, month pages and issue pages (with
    the image of each printed page that came from a PDF); those of `reach` when given."""
    years = sorted({i.date.year for i in issues}, reverse=True)
    pages = [Page(urls.DATES, "dates.html", {"page_title": "按日期浏览", "years": years,
                                             "issues": [i.summary() for i in issues]})]
    for year in years:
        if reach is not None and year not in reach.years:
            continue
        dates = [i.date for i in issues if i.date.year == year]
        months = {(d.year, d.month) for d in dates}
        pages.append(Page(urls.year_path(year), "year.html", {
            "page_title": f"{year}年", "year": year, "months": months,
            "calendars": taxonomy.month_calendars(year, dates)}))
    for year, month in sorted({(i.date.year, i.date.month) for i in issues}, reverse=True):
        if reach is not None and (year, month) not in reach.months:
            continue
        in_month = [i for i in issues if (i.date.year, i.date.month) == (year, month)]
        pages.append(Page(urls.month_path(year, month), "month.html", {
            "page_title": f"{year}年{month}月", "year": year, "month": month,
            "issues": in_month}))
    for number, issue in enumerate(issues):
        if reach is not None and issue.date not in reach.issues:
            continue
        newer = issues[number - 1] if number > 0 else None
        older = issues[number + 1] if number + 1 < len(issues) else None
        figures = {p.label: pageviews.page_figures(p.articles, p.label, pdf_pages or {})
                   for p in issue.pages}
        pages.append(Page(urls.issue_path(issue.date), "issue.html", {
            "page_title": f"{issue.date.year}年{issue.date.month}月{issue.date.day}日",
            "issue": issue, "newer": newer.date if newer else None,
            "older": older.date if older else None,
            "figures": {label: found for label, found in figures.items() if found}}))
    return pages
