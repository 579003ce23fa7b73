"""reach.py names every article page whose related list a changed card can change."""

import datetime as dt
import random

import pytest

from newsarchive import taxonomy
from newsarchive.reach import reach_of

from .test_taxonomy import art

D = dt.date


def crowd(seed: int) -> list:
    """Articles one per day (no two on a date: dates would reach them all), most sharing one
    common topic, some a tag or a place too, a few naming another printing."""
    rng = random.Random(seed)
    articles = []
    for i in range(taxonomy.COMMON_LABEL * 3):
        versions = [f"a{i - 1:03d}"] if i and rng.random() < 0.05 else []
        articles.append(art(f"a{i:03d}", D(2020, 1, 1) + dt.timedelta(days=2 * i),
                            topics=["文旅"] if rng.random() < 0.9 else [],
                            tags=rng.sample(["茶", "雪"], rng.randint(0, 1)),
                            places=["城东区"] if rng.random() < 0.1 else [],
                            versions=versions))
    return articles


def related_ids(articles: list) -> dict[str, list[str]]:
    return {i: [a.id for a in found] for i, found in taxonomy.related(articles).items()}


def changed_pages(before: list, after: list) -> set[str]:
    """Ids of the articles (there before and after) whose related list differs."""
    old, new = related_ids(before), related_ids(after)
    return {i for i in old.keys() & new.keys() if old[i] != new[i]}


def reach_of_change(before: list, after: list):
    was, now = {a.id: a.card() for a in before}, {a.id: a.card() for a in after}
    changes = [(was.get(i), now.get(i)) for i in sorted(was.keys() | now.keys())
               if was.get(i) != now.get(i)]
    cards = [a.card() for a in after]
    return reach_of(changes, cards, taxonomy.LabelGroups.of(taxonomy.newest_first(cards)))


def moved(articles: list, index: int, days: int) -> list:
    copy = [art(a.id, a.date, topics=a.topics, tags=a.tags, places=a.places,
                versions=a.versions) for a in articles]
    copy[index].date += dt.timedelta(days=days)
    return copy


CHANGES = {
    "a new article in the middle": lambda a: [*a, art("new", D(2020, 6, 1) + dt.timedelta(
        days=1), topics=["文旅"], tags=["茶"])],
    "a new article newest of all": lambda a: [*a, art("new", D(2020, 12, 26), topics=["文旅"])],
    "an article removed": lambda a: [b for b in a if b is not next(
        c for c in a[70:] if c.topics)],
    "an article moved far in date": lambda a: moved(a, 40, 200),
    "an article moved next door": lambda a: moved(a, 40, 3),
}


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("change", CHANGES)
def test_every_related_list_a_change_alters_is_reached(change, seed):
    before = crowd(seed)
    after = CHANGES[change](before)
    altered = changed_pages(before, after)
    assert altered, "the change alters no related list: it tests nothing"
    missed = altered - reach_of_change(before, after).articles
    assert not missed, sorted(missed)


def test_a_common_label_reaches_a_window_not_the_whole_label():
    before = crowd(0)
    after = CHANGES["a new article in the middle"](before)
    reached = reach_of_change(before, after).articles
    common = sum("文旅" in a.topics for a in after)
    assert common > taxonomy.COMMON_LABEL and len(reached) < common / 2
