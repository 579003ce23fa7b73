"""Which pages a change of some articles can reach: what a build plans again when articles were
added, removed or re-carded, instead of planning and fingerprinting the whole site.

Every page of the plan is a function of the cards of some articles (see pages.py). From the
cards an article had before and has now, this module names the pages whose context may differ:
its own page; the lists of every name it had or has; the issues, months and years of its dates
and the issue pages next to them (they link to the next and the previous issue); every article
page on its dates (neighbours, continuation links); the article pages whose related lists can see it; those naming it among their versions;
its page text's source view. The pages that sum up the whole site (home, indexes, the date
archive, feed, sitemap) are always planned. Every other page keeps the context, fingerprint and
file of the last build.

Related lists (taxonomy.related) are what needs care: an article X can see a changed article Y
only through a label they share. Through a label with at most COMMON_LABEL articles, every
article of that label is reached; through a more common label, only the articles whose window
of nearest neighbours in that label's list (newest first) Y enters or leaves; a label that
crossed COMMON_LABEL reaches all its articles.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from . import taxonomy, urls
from .config import SiteConfig
from .model import ArticleCard
from .taxonomy import KINDS, LabelGroups, article_labels, rank_key

Change = tuple[ArticleCard | None, ArticleCard | None]   # (card before, card now), None: absent


@dataclass
class Reach:
    """The parts of the site to plan again; pages outside it keep the last build's."""

    articles: set[str] = field(default_factory=set)     # ids: article pages
    terms: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    dates: set[dt.date] = field(default_factory=set)    # of the changed cards: their articles
    issues: set[dt.date] = field(default_factory=set)   # issue pages: those and the next ones
    months: set[tuple[int, int]] = field(default_factory=set)
    years: set[int] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)      # page text file names: source views
    added: set[str] = field(default_factory=set)        # ids of the articles new to the site
    # Per name, how many of those it lists (a list's new articles, without a walk over it).
    added_to: dict[str, Counter] = field(default_factory=lambda: {k: Counter() for k in KINDS})
    # Names an article left, or joined other than as a new article: their archive pages shift.
    altered: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    # Lists that keep some of their archive pages (see kept_archive_pages).
    keeping: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})

    def kept_archive_pages(self, kind: str, term: taxonomy.Term, per_page: int,
                           pager_reach: int) -> int:
        """How many of a list's oldest archive pages stay as they were (pages.list_chunks):
        none unless its only change is new articles, all newer than the others; then all, if
        its archive keeps its page count, else those whose pager (pages.pager_numbers, links
        `pager_reach` pages each side, and the next page) cannot see the new archive pages.
        A list that keeps some is noted in `keeping`: they are kept, not gone (see owned)."""
        if term.name in self.altered[kind]:
            return 0
        new = self.added_to[kind][term.name]
        if not all(a.id in self.added for a in term.articles[:new]):
            return 0
        before = max((len(term.articles) - new) // per_page - 1, 0)
        now = max(len(term.articles) // per_page - 1, 0)
        kept = before if now == before else max(before - max(pager_reach, 1), 0)
        if kept:
            self.keeping[kind].add(term.name)
        return kept

    def owned(self, config: SiteConfig) -> tuple[set[str], tuple[str, ...]]:
        """The pages of the last build this reach plans again, as paths and list folders (a
        list's front and archive pages): such a page not planned now is gone (an article
        removed, a tag no article has now)."""
        places = {p.name: p.slug for p in config.places}
        topics = {t.name: t.slug for t in config.topics}
        slugs = {"topics": lambda n: topics.get(n) or urls.name_slug(n),
                 "places": lambda n: places.get(n) or urls.name_slug(n),
                 "tags": urls.name_slug, "reporters": urls.name_slug}
        paths = ({urls.article_path(i) for i in self.articles}
                 | {urls.issue_path(d) for d in self.issues}
                 | {urls.month_path(y, m) for y, m in self.months}
                 | {urls.year_path(y) for y in self.years}
                 | {urls.source_path(name) for name in self.sources})
        folders = tuple(urls.list_path(kind, slugs[kind](name)).rsplit("/", 1)[0] + "/"
                        for kind in KINDS
                        for name in sorted(self.terms[kind] - self.keeping[kind]))
        return paths, folders


def reach_of(changes: list[Change], cards: list[ArticleCard], groups: LabelGroups) -> Reach:
    """The pages that the changed articles can reach, given every card of the site now and
    their label groups."""
    reach = Reach()
    carded = [(before, now) for before, now in changes if before != now]
    for before, now in changes:
        reach.articles.add((now or before).id)     # an edited text: its own page (and feed)
    touched = [card for pair in carded for card in pair if card is not None]
    ids = {card.id for card in touched}
    reach.added = {now.id for before, now in carded if before is None}
    for before, now in carded:
        if before is None:
            for kind in KINDS:
                reach.added_to[kind].update(set(getattr(now, kind)))
    for card in touched:
        for kind in KINDS:
            reach.terms[kind].update(getattr(card, kind))
            if card.id not in reach.added:
                reach.altered[kind].update(getattr(card, kind))
        if card.source and not card.source.is_pdf:   # a PDF's page view is its issue page
            reach.sources.add(card.source.file)
        if card.date:
            reach.dates.add(card.date)
    issue_dates = sorted({c.date for c in cards if c.date} | reach.dates)
    for date in reach.dates:   # the issues before and after link to it, or to each other
        at = bisect.bisect_left(issue_dates, date)
        reach.issues.update(issue_dates[max(at - 1, 0):at + 2])
    reach.months = {(d.year, d.month) for d in reach.dates}
    reach.years = {d.year for d in reach.dates}
    for card in cards:
        if card.date in reach.dates or ids.intersection(card.versions):
            reach.articles.add(card.id)
    reach.articles |= related_reach(carded, groups)
    return reach


def related_reach(carded: list[Change], groups: LabelGroups) -> set[str]:
    """The articles whose related lists can see one of the re-carded articles (see the module's
    docstring)."""
    order = {a.id: rank for rank, a in enumerate(groups.ranked)}
    versions = max((len(a.versions) for a in groups.ranked), default=0)
    # related() looks `limit + len(skip)` places each side of an article in a common label,
    # skip being the article and its versions: one more place either side covers a shift.
    window = taxonomy.RELATED_LIMIT + 1 + versions + 1
    delta: dict[tuple[str, str], int] = {}
    for before, now in carded:
        for card, sign in ((before, -1), (now, 1)):
            if card is not None:
                for label in article_labels(card):
                    delta[label] = delta.get(label, 0) + sign
    reached: set[str] = set()
    for before, now in carded:
        for card in (before, now):
            if card is None:
                continue
            for label in article_labels(card):
                group = groups.groups.get(label, [])
                size = len(group)
                if size <= taxonomy.COMMON_LABEL or \
                        size - delta[label] <= taxonomy.COMMON_LABEL:
                    reached.update(group)   # every article of a rare label, or one just common
                    continue
                # Where the card is, or was, in the label's list, newest first (by rank).
                at = bisect.bisect_left(group, order[card.id] if card is now
                                        else _rank_of(card, groups), key=order.__getitem__)
                reached.update(group[max(at - window, 0):at + window + 1])
    return reached


def _rank_of(card: ArticleCard, groups: LabelGroups) -> float:
    """Where a card as it was would rank among the articles now: between the two it sorts
    between (newest first)."""
    return bisect.bisect_right(groups.ranked, rank_key(card), key=rank_key) - 0.5
