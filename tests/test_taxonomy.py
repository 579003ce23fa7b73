"""Groupings are pure functions of the article list (table tests, Chinese rows included)."""

import datetime as dt

import pytest

from newsarchive import taxonomy, urls
from newsarchive.config import load_config
from newsarchive.model import Article, SourceRef

from .conftest import ROOT

D = dt.date


def art(id, date=None, page=None, line=1, topics=(), tags=(), places=(), reporters=(), versions=()):
    return Article(id=id, title=id, body="正文", date=date, page=page,
                   source=SourceRef("p.txt", (line, line + 5)), topics=list(topics),
                   tags=list(tags), places=list(places), reporters=list(reporters),
                   versions=list(versions))


@pytest.mark.parametrize("labels, expected", [
    (["A02", "A10", "A01"], ["A01", "A02", "A10"]),
    (["B01", "A12", "a03"], ["a03", "A12", "B01"]),
    ([None, "第1版", "A01"], ["A01", "第1版", None]),
    (["3", "12", "1"], ["1", "3", "12"]),
])
def test_page_sort_key(labels, expected):
    assert sorted(labels, key=taxonomy.page_sort_key) == expected


def test_newest_first_then_page_order_then_undated():
    articles = [art("old", D(2023, 1, 1), "A01"), art("undated"), art("new-a02", D(2024, 5, 1), "A02"),
                art("new-a01-late", D(2024, 5, 1), "A01", line=50),
                art("new-a01-early", D(2024, 5, 1), "A01", line=2)]
    assert [a.id for a in taxonomy.newest_first(articles)] == [
        "new-a01-early", "new-a01-late", "new-a02", "old", "undated"]


def test_issues_group_dates_and_pages_in_reading_order():
    articles = [art("x2", D(2024, 1, 2), "A02"), art("x1b", D(2024, 1, 2), "A01", line=30),
                art("x1a", D(2024, 1, 2), "A01", line=1), art("y", D(2024, 1, 1), None),
                art("undated", None, "A01")]
    issues = taxonomy.issues(taxonomy.newest_first(articles))
    assert [i.date for i in issues] == [D(2024, 1, 2), D(2024, 1, 1)]
    assert [(p.label, [a.id for a in p.articles]) for p in issues[0].pages] == [
        ("A01", ["x1a", "x1b"]), ("A02", ["x2"])]
    assert issues[1].pages[0].label == "未标版次" and issues[1].pages[0].title == "未标版次"
    assert issues[0].pages[0].title == "A01版"
    assert [a.id for a in issues[0].articles] == ["x1a", "x1b", "x2"]


def test_neighbours_only_on_the_same_page_and_date():
    articles = [art("a", D(2024, 1, 2), "A01", line=1), art("b", D(2024, 1, 2), "A01", line=20),
                art("c", D(2024, 1, 2), "A01", line=40), art("other-page", D(2024, 1, 2), "A02"),
                art("other-day", D(2024, 1, 3), "A01")]
    n = taxonomy.neighbours(articles)
    assert (n["a"].previous, n["a"].next.id) == (None, "b")
    assert (n["b"].previous.id, n["b"].next.id) == ("a", "c")
    assert (n["c"].previous.id, n["c"].next) == ("b", None)
    assert n["other-page"].previous is None and n["other-page"].next is None
    assert n["other-day"].next is None


def test_related_ranks_shared_topics_above_tags_and_skips_self_and_versions():
    articles = [art("me", D(2024, 1, 1), topics=["文旅"], tags=["茶"], places=["城东区"], versions=["copy"]),
                art("copy", D(2024, 1, 1), topics=["文旅"], tags=["茶"]),
                art("topic", D(2023, 1, 1), topics=["文旅"]),
                art("tag-newer", D(2024, 6, 1), tags=["茶"]),
                art("tag-older", D(2022, 6, 1), tags=["茶"]),
                art("place+tag", D(2020, 1, 1), tags=["茶"], places=["城东区"]),
                art("nothing", D(2024, 1, 1), tags=["别的"])]
    assert [a.id for a in taxonomy.related(articles)["me"]] == [
        "topic", "place+tag", "tag-newer", "tag-older"]
    assert [a.id for a in taxonomy.related(articles, limit=1)["me"]] == ["topic"]
    assert taxonomy.related(articles)["nothing"] == []


def test_terms_count_and_order():
    articles = [art("1", tags=["围炉煮茶", "茶"]), art("2", tags=["茶"]), art("3", tags=["茶", "茶"]),
                art("4", reporters=["施翔"], tags=["abc"])]
    articles = taxonomy.newest_first(articles)
    tags = taxonomy.tag_terms(taxonomy.by_name(articles, "tags"))
    assert [(t.name, len(t.articles)) for t in tags] == [("茶", 3), ("abc", 1), ("围炉煮茶", 1)]
    assert tags[1].slug == "abc" and tags[0].slug.startswith("n") and tags[0].slug.isascii()
    assert [t.name for t in taxonomy.reporter_terms(taxonomy.by_name(articles, "reporters"))
            ] == ["施翔"]


def test_topics_follow_site_yaml_and_places_keep_their_slug():
    config = load_config(ROOT / "site.yaml")
    articles = [art("1", topics=["文旅"], places=["城东区", "某个新地方"])]  # newest first
    topics = taxonomy.topic_terms(config, taxonomy.by_name(articles, "topics"))
    assert [t.name for t in topics] == [t.name for t in config.topics]
    assert [len(t.articles) for t in topics] == [0, 0, 1]
    places = {t.name: t.slug
              for t in taxonomy.place_terms(config, taxonomy.by_name(articles, "places"))}
    assert places["城东区"] == "chengdong" and places["某个新地方"] == urls.name_slug("某个新地方")


def test_monthly_counts_fill_empty_months_across_a_year_end():
    articles = [art("1", D(2023, 11, 5)), art("2", D(2024, 2, 1)), art("3", D(2024, 2, 9)), art("4")]
    assert taxonomy.monthly_counts(articles) == [
        (2023, 11, 1), (2023, 12, 0), (2024, 1, 0), (2024, 2, 2)]
    assert taxonomy.monthly_counts([art("undated")]) == []


def test_month_calendars_mark_issue_days():
    cals = taxonomy.month_calendars(2024, [D(2024, 12, 22), D(2024, 12, 23), D(2023, 12, 22)])
    assert len(cals) == 12 and cals[11].issue_days == {22: D(2024, 12, 22), 23: D(2024, 12, 23)}
    assert cals[0].issue_days == {}
    assert cals[11].weeks[0][:7] == [0, 0, 0, 0, 0, 0, 1]  # 2024-12-01 is a Sunday


@pytest.mark.parametrize("name", ["围炉煮茶", "../../etc/passwd", "a/b", "ABC", "x" * 300, "<b>王某</b>"])
def test_name_slugs_are_plain_ascii_file_names(name):
    slug = urls.name_slug(name)
    assert slug.isascii() and "/" not in slug and "." not in slug and 0 < len(slug) <= 60
    assert urls.name_slug(name) == slug  # stable


@pytest.mark.parametrize("seed, expected", [
    ("000_ef5b354f55f1070d.txt", "sources/000_ef5b354f55f1070d.html"),
    ("../../etc/passwd", None), ("版面一.txt", None),
])
def test_source_paths_stay_inside_sources(seed, expected):
    path = urls.source_path(seed)
    assert path == expected if expected else path.startswith("sources/n") and path.count("/") == 1


@pytest.mark.parametrize("src, dst, link", [
    ("index.html", "articles/x.html", "articles/x.html"),
    ("articles/x.html", "index.html", "../index.html"),
    ("dates/2024/12/22/index.html", "tags/n1/index.html", "../../../../tags/n1/index.html"),
    ("tags/a/index.html", "tags/a/page-2.html", "page-2.html"),
])
def test_relative_links(src, dst, link):
    assert urls.relative(src, dst) == link


@pytest.mark.parametrize("path, prefix", [
    ("index.html", ""), ("articles/x.html", "../"), ("dates/2024/12/22/index.html", "../../../../"),
])
def test_root_prefix(path, prefix):
    assert urls.root_prefix(path) == prefix


def test_related_with_a_very_common_label_still_prefers_specific_matches():
    crowd = [art(f"c{i:03d}", D(2024, 1, 1) + dt.timedelta(days=i), topics=["文旅"])
             for i in range(taxonomy.COMMON_LABEL * 2)]
    me = art("me", D(2020, 1, 1), topics=["文旅"], tags=["冷门"])
    twin = art("twin", D(2019, 1, 1), topics=["文旅"], tags=["冷门"])
    result = taxonomy.related([*crowd, me, twin])
    # Ties go to the nearest in date (the newer of two equally near ones first).
    assert [a.id for a in result["me"]] == ["twin", "c000", "c001", "c002", "c003"]
    assert [a.id for a in result["c000"]] == ["c001", "c002", "c003", "c004", "c005"]
    assert [a.id for a in result["c060"]] == ["c061", "c059", "c062", "c058", "c063"]


def test_related_of_old_articles_ignore_a_new_day():
    old = [art(f"o{i}", D(2020, 1, 1) + dt.timedelta(days=i), tags=["茶"]) for i in range(8)]
    new = art("new", D(2024, 12, 31), tags=["茶"])
    before, after = taxonomy.related(old), taxonomy.related([*old, new])
    assert after["o0"] == before["o0"] and after["o7"] == before["o7"]
    assert [a.id for a in after["new"]][:1] == ["o7"]


def random_articles(rng, ids) -> list:
    """Articles on a few dates and pages (some undated), each with a few of a few names."""
    def some(names):
        return rng.sample(names, rng.randint(0, 2))
    return [art(i, rng.choice([None, D(2024, 1, 1), D(2024, 1, 2), D(2024, 3, 9)]),
                rng.choice([None, "A01", "A02", "B10"]), line=rng.randint(1, 40),
                topics=some(["文旅", "民生", "教育"]), tags=some(["茶", "雪", "灯", "路"]),
                places=some(["城东区", "城西区"]), reporters=some(["施翔", "王小明"]))
            for i in ids]


@pytest.mark.parametrize("seed", range(20))
def test_a_kept_site_order_updated_by_changes_equals_one_made_afresh(seed):
    """Added, removed and re-carded articles (a new date, page, line or names; an id given
    to another file) in one batch: the kept order is the order of the articles now."""
    import random
    rng = random.Random(seed)
    before = random_articles(rng, [f"a{n:02d}" for n in range(40)])
    before.append(art("solo", D(2024, 1, 1), tags=["独有的标签"]))   # its tag goes with it
    after = [a for a in before[:-1] if rng.random() > 0.15]                  # removed
    recarded = rng.sample(range(len(after)), 8)
    fresh = random_articles(rng, [after[n].id for n in recarded])
    for n, article in zip(recarded, fresh):
        after[n] = article
    after += random_articles(rng, [f"new{n}" for n in range(rng.randint(0, 12))])  # added
    was, now = {a.id: a.card() for a in before}, {a.id: a.card() for a in after}
    changes = [(was.get(i), now.get(i)) for i in sorted(was.keys() | now.keys())]
    order = taxonomy.SiteOrder.of(list(was.values()))
    order.update(changes, now)
    expected = taxonomy.SiteOrder.of(list(now.values()))
    assert order.ranked == expected.ranked
    assert order.names == expected.names
    assert order.names != taxonomy.SiteOrder.of(list(was.values())).names


def test_site_order_arranges_cards_as_newest_first_and_label_groups_do():
    import random
    articles = random_articles(random.Random(7), [f"a{n:02d}" for n in range(30)])
    cards = {a.id: a.card() for a in articles}
    groups, named = taxonomy.SiteOrder.of(articles).arranged(cards)
    ranked = groups.ranked
    assert ranked == taxonomy.newest_first(list(cards.values()))
    assert groups.groups == taxonomy.LabelGroups.of(ranked).groups
    assert {name: list(group) for name, group in named["reporters"].items()} == \
        taxonomy.by_name(ranked, "reporters")


def test_card_list_reads_only_the_cards_asked_for():
    asked = []

    class Cards(dict):
        def __getitem__(self, key):
            asked.append(key)
            return super().__getitem__(key)

    ids = ["a", "b", "c", "d", "e"]
    cards = taxonomy.CardList(ids, Cards({i: i.upper() for i in ids}))
    assert len(cards) == 5 and not asked
    assert cards[::-1][:2] == ["E", "D"]
    assert cards[1] == "B" and cards[1:3] == ["B", "C"]
    assert list(cards) == ["A", "B", "C", "D", "E"]
    assert asked[:3] == ["e", "d", "c"]
