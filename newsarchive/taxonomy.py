"""Groupings of the article list: topics, tags, reporters, places, issues, neighbours, related.

Every function here is pure: the same articles in give the same groups out, in a stable order.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .config import SiteConfig
from .errors import ArchiveError
from .model import Article
from .urls import name_slug

PAGE_LABEL_RE = re.compile(r"^([A-Za-z]*)(\d+)$")
UNKNOWN_PAGE = "未标版次"
FAR = 1_000_000  # days: how far an undated article is from a dated one
KINDS = ("topics", "tags", "reporters", "places")   # the names an article is listed under
LABEL_KINDS = {"topics": "topic", "tags": "tag", "places": "place"}   # those related() weighs
COMMON_LABEL = 60  # a label on more articles than this proposes only its newest as related
RELATED_LIMIT = 5  # related articles an article page lists


@dataclass
class Term:
    """One topic, tag, reporter or place and its articles, newest first."""

    name: str
    slug: str
    articles: Sequence[Article]
    description: str = ""

    def summary(self) -> "TermSummary":
        """What lists of terms show: a page can depend on the count, not on every article."""
        return TermSummary(self.name, self.slug, self.description, len(self.articles))


@dataclass(frozen=True)
class TermSummary:
    """A term as indexes and list headings show it: name, page, description, article count."""

    name: str
    slug: str
    description: str
    count: int | None   # None on a list's archive pages: they must not change with every article


@dataclass
class NewsPage:
    """One printed page of an issue (A01, A02, …) and its articles in reading order."""

    label: str
    articles: list[Article]

    @property
    def title(self) -> str:
        """How the page is named in lists: `A01版`, or that it is not known."""
        return self.label if self.label == UNKNOWN_PAGE else f"{self.label}版"


@dataclass
class Issue:
    """One day's paper: its printed pages in page order."""

    date: dt.date
    pages: list[NewsPage]

    @property
    def articles(self) -> list[Article]:
        """Every article of the issue, page by page."""
        return [a for page in self.pages for a in page.articles]

    def summary(self) -> IssueSummary:
        """What the date archive shows of it: the page then depends on these, not on the
        card of every article of the archive."""
        return IssueSummary(self.date, tuple(p.title for p in self.pages),
                            sum(len(p.articles) for p in self.pages))


@dataclass(frozen=True)
class IssueSummary:
    """An issue as the date archive lists it: date, its printed pages' names, article count."""

    date: dt.date
    page_titles: tuple[str, ...]
    count: int


@dataclass
class Neighbours:
    """The articles before and after one article on its printed page."""

    previous: Article | None = None
    next: Article | None = None


@dataclass
class MonthCalendar:
    """A month grid (weeks of seven days, 0 = padding) and the days that have an issue."""

    year: int
    month: int
    weeks: list[list[int]]
    issue_days: dict[int, dt.date] = field(default_factory=dict)


@functools.lru_cache(maxsize=4096)   # a paper has a few dozen labels, sorted 10,000s of times
def page_sort_key(label: str | None) -> tuple:
    """A01 < A02 < A10 < B01; odd labels sort after, unknown pages last."""
    if label is None:
        return (2, "", 0, "")
    match = PAGE_LABEL_RE.match(label)
    if not match:
        return (1, "", 0, label)
    return (0, match.group(1).upper(), int(match.group(2)), label)


def reading_order_key(article: Article) -> tuple:
    """Order on a printed page: by page, then by where the article starts in the page text."""
    start = article.source.lines[0] if article.source and article.source.lines else 0
    return (page_sort_key(article.page), start, article.id)


def rank_key(article: Article) -> tuple:
    """Where an article goes newest first: newest date first; on one date in page order;
    undated articles last. A total order (reading_order_key ends with the id)."""
    if article.date:
        return (0, -article.date.toordinal(), reading_order_key(article))
    return (1, 0, reading_order_key(article))


def newest_first(articles: list[Article]) -> list[Article]:
    """The articles in rank_key order."""
    return sorted(articles, key=rank_key)


def _check_slugs(kind: str, terms: list[Term]) -> None:
    """Two names on one page file would silently merge two lists: refuse instead."""
    seen: dict[str, str] = {}
    for term in terms:
        if term.slug in seen and seen[term.slug] != term.name:
            raise ArchiveError(f"{kind} {term.name!r} and {seen[term.slug]!r} map to the same "
                               f"page name {term.slug!r}: rename one of them", key=kind)
        seen[term.slug] = term.name


def by_name(ranked: list[Article], kind: str) -> dict[str, list[Article]]:
    """Each topic, tag, reporter or place (`kind`, an Article field) with its articles, in
    the order given (newest first, for the term functions)."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ranked:
        for name in dict.fromkeys(getattr(article, kind)):
            groups[name].append(article)
    return groups


def _by_count(terms: list[Term]) -> list[Term]:
    return sorted(terms, key=lambda t: (-len(t.articles), t.name))


# The term functions take each name's articles newest first (by_name of newest_first).

def topic_terms(config: SiteConfig, groups: dict[str, Sequence[Article]]) -> list[Term]:
    """Every configured topic in site.yaml order, with its articles (possibly none)."""
    return [Term(t.name, t.slug, groups.get(t.name, []), t.description)
            for t in config.topics]


def tag_terms(groups: dict[str, Sequence[Article]]) -> list[Term]:
    """Tags by number of articles, most first."""
    terms = [Term(name, name_slug(name), group) for name, group in groups.items()]
    _check_slugs("tags", terms)
    return _by_count(terms)


def reporter_terms(groups: dict[str, Sequence[Article]]) -> list[Term]:
    """Reporters by number of articles, most first."""
    terms = [Term(name, name_slug(name), group) for name, group in groups.items()]
    _check_slugs("reporters", terms)
    return _by_count(terms)


def place_terms(config: SiteConfig, groups: dict[str, Sequence[Article]]) -> list[Term]:
    """Places with articles: configured places keep their slug, others get a hashed one."""
    slugs = {p.name: p.slug for p in config.places}
    terms = [Term(name, slugs.get(name) or name_slug(name), group)
             for name, group in groups.items()]
    _check_slugs("places", terms)
    return _by_count(terms)


def issues(ranked: list[Article]) -> list[Issue]:
    """One issue per publication date, newest first, each with its pages in page order, of
    the articles given newest first (newest_first: by date, then in reading order)."""
    by_date: dict[dt.date, dict[str | None, list[Article]]] = {}
    for article in ranked:
        if article.date:
            by_date.setdefault(article.date, {}).setdefault(article.page, []).append(article)
    return [Issue(date, [NewsPage(label or UNKNOWN_PAGE, group) for label, group in by_page.items()])
            for date, by_page in by_date.items()]


def neighbours(articles: list[Article], only: set[str] | None = None) -> dict[str, Neighbours]:
    """Previous and next article on the same printed page (same date and page label); for
    every article, or for the ids in `only` (then only their pages are put in order)."""
    if only is not None:
        pages = {(a.date, a.page) for a in articles if a.id in only}
        articles = [a for a in articles if a.id in only or (a.date, a.page) in pages]
    same_page: dict[tuple, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=reading_order_key):
        if article.date and article.page:
            same_page[(article.date, article.page)].append(article)
    result = {a.id: Neighbours() for a in articles}
    for group in same_page.values():
        for before, after in zip(group, group[1:]):
            result[before.id].next = after
            result[after.id].previous = before
    return result


@dataclass
class LabelGroups:
    """Each topic, tag and place label with its articles' ids, newest first: what related()
    ranks by, and what tells which related lists a changed article can reach (see reach.py)."""

    ranked: list[Article]                          # newest_first(articles)
    groups: dict[tuple[str, str], list[str]]       # label -> ids, newest first

    @classmethod
    def of(cls, ranked: list[Article]) -> LabelGroups:
        """The groups of articles given newest first (newest_first)."""
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for article in ranked:
            for label in article_labels(article):
                groups[label].append(article.id)
        return cls(ranked, groups)


@dataclass
class SiteOrder:
    """The ids of the site's articles newest first, and of each topic's, tag's, reporter's and
    place's articles in that order: what a plan sorts and groups the articles by (the page
    plan: which list shows which cards, in which order).

    Kept between builds (the pages stage's cache entry "order") and updated by the articles
    added, removed or re-carded (update()): a build that plans a few pages sorts and groups
    those few articles, not all of them (a second and a half at 30,000)."""

    ranked: list[str]
    names: dict[str, dict[str, list[str]]]   # kind (KINDS) -> name -> ids newest first

    @classmethod
    def of(cls, articles: list[Article]) -> SiteOrder:
        ranked = newest_first(articles)
        return cls([a.id for a in ranked],
                   {kind: {name: [a.id for a in group]
                           for name, group in by_name(ranked, kind).items()} for kind in KINDS})

    def update(self, changes: list[tuple[Article | None, Article | None]],
               cards: dict[str, Article]) -> None:
        """Take in the changes, each (card before, card now; None: absent) of one article;
        `cards` are every article's card now, by id. Each changed id leaves the lists its card
        was in, then its card now goes where rank_key puts it."""
        changed = [(before, now) for before, now in changes if before != now]
        gone = {card.id for pair in changed for card in pair if card is not None}

        def key(article_id: str) -> tuple:
            return rank_key(cards[article_id])

        self.ranked = [i for i in self.ranked if i not in gone]
        for before, _ in changed:
            for kind in KINDS:
                for name in getattr(before, kind) if before is not None else ():
                    kept = [i for i in self.names[kind].get(name, ()) if i not in gone]
                    if kept:
                        self.names[kind][name] = kept
                    else:
                        self.names[kind].pop(name, None)
        for _, now in changed:
            if now is None:
                continue
            bisect.insort(self.ranked, now.id, key=key)
            for kind in KINDS:
                for name in dict.fromkeys(getattr(now, kind)):
                    bisect.insort(self.names[kind].setdefault(name, []), now.id, key=key)

    def label_groups(self, cards: dict[str, Article]) -> LabelGroups:
        """The label groups of these `cards` (by id), ranked newest first."""
        return LabelGroups([cards[i] for i in self.ranked],
                           {(label, name): ids for kind, label in LABEL_KINDS.items()
                            for name, ids in self.names[kind].items()})

    def arranged(self, cards: dict[str, Article]) -> tuple[LabelGroups,
                                                          dict[str, dict[str, CardList]]]:
        """The label groups of these `cards` (by id), and each kind's names with their cards
        newest first (the term functions')."""
        return self.label_groups(cards), {
            kind: {name: CardList(ids, cards) for name, ids in names.items()}
            for kind, names in self.names.items()}


class CardList(Sequence):
    """Ids read as their cards, each card looked up when asked for: a plan of a few pages
    reads the cards of a few lists, and counts the others (listing every name's cards, with
    the tag terms, took 0.15 s of each plan at 100,000 articles; 0.016 s this way)."""

    __slots__ = ("ids", "cards")

    def __init__(self, ids: list[str], cards: dict[str, Article]):
        self.ids, self.cards = ids, cards

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self.cards[i] for i in self.ids[at]]
        return self.cards[self.ids[at]]

    def __iter__(self):
        return map(self.cards.__getitem__, self.ids)


def related(articles: list[Article], limit: int = RELATED_LIMIT, only: set[str] | None = None,
            groups: LabelGroups | None = None) -> dict[str, list[Article]]:
    """Up to `limit` articles sharing the most topics, tags and places; nearest in date on ties;
    for every article, or for the ids in `only` (`groups`: those of `articles`, if made).

    Nearest, not newest: a new day's issue then changes the related lists of the days around
    it, not of every article that shares a common tag with it.
    """
    groups = groups or LabelGroups.of(newest_first(articles))
    ranked, by_label = groups.ranked, groups.groups
    order = {a.id: rank for rank, a in enumerate(ranked)}
    common = _CommonLabels(by_label)
    days = {a.id: a.date.toordinal() if a.date else None for a in articles}
    by_id = {a.id: a for a in articles}
    result = {}
    for article in articles if only is None else [by_id[i] for i in sorted(only)
                                                  if i in by_id]:
        skip = {article.id, *article.versions}
        labels = article_labels(article)
        scores: Counter = Counter()
        windows: set[str] = set()
        for label in labels:
            group = by_label[label]
            if label in common:
                # Too common to tell articles apart: only its members nearest in date become
                # candidates, which is all the tie-break (nearest first) would let through anyway.
                here, reach = common[label][1][article.id], limit + len(skip)
                windows.update(group[max(0, here - reach):here + reach + 1])
            else:
                for _ in range(_weight(label)):
                    scores.update(group)
        candidates = windows.union(scores)
        for label in labels:
            if label in common:  # shared by candidates that came through other labels too
                for _ in range(_weight(label)):
                    scores.update(candidates.intersection(common[label][0]))
        result[article.id] = [by_id[i] for i in _best(
            candidates, scores, days[article.id], days, order, limit + len(skip))
            if i not in skip][:limit]
    return result


class _CommonLabels(dict):
    """Label -> (its ids as a set, id -> place in its list) for each label of more than
    COMMON_LABEL articles, made when first asked for: related lists of a few articles ask for
    a few of the thousands of labels."""

    def __init__(self, by_label: dict[tuple[str, str], list[str]]):
        super().__init__()
        self.by_label = by_label

    def __contains__(self, label: object) -> bool:
        return len(self.by_label[label]) > COMMON_LABEL

    def __missing__(self, label: tuple[str, str]) -> tuple[set[str], dict[str, int]]:
        group = self.by_label[label]
        made = self[label] = (set(group), {i: n for n, i in enumerate(group)})
        return made


def _best(candidates: set[str], scores: Counter, mine: int | None,
          days: dict[str, int | None], order: dict[str, int], count: int) -> list[str]:
    """The `count` best candidates: most shared labels, then nearest in date, then newest.
    Distances are worked out only for the top scores: most candidates share one label."""
    by_score: dict[int, list[str]] = defaultdict(list)
    for candidate in candidates:
        by_score[scores[candidate]].append(candidate)
    best: list[str] = []
    for score in sorted(by_score, reverse=True):
        tier = by_score[score]
        if mine is None:  # an undated article counts as far from every dated one
            tier.sort(key=lambda i: (0 if days[i] is None else FAR, order[i]))
        else:
            tier.sort(key=lambda i: (FAR if days[i] is None else abs(days[i] - mine), order[i]))
        best += tier[:count - len(best)]
        if len(best) == count:
            break
    return best


def _weight(label: tuple[str, str]) -> int:
    return 2 if label[0] == "topic" else 1  # a shared topic says more than a shared tag


def article_labels(article: Article) -> set[tuple[str, str]]:
    return {(label, name) for kind, label in LABEL_KINDS.items()
            for name in getattr(article, kind)}


def monthly_counts(articles: list[Article]) -> list[tuple[int, int, int]]:
    """(year, month, articles) for every month from the first dated article to the last."""
    counts = Counter((a.date.year, a.date.month) for a in articles if a.date)
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    result = []
    while (year, month) <= last:
        result.append((year, month, counts.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return result


def month_calendars(year: int, issue_dates: list[dt.date]) -> list[MonthCalendar]:
    """The twelve months of `year`, weeks starting on Monday, with the issue days marked."""
    weeks = calendar.Calendar(firstweekday=0)
    return [MonthCalendar(year, month, weeks.monthdayscalendar(year, month),
                          {d.day: d for d in issue_dates if d.year == year and d.month == month})
            for month in range(1, 13)]
