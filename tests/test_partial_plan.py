"""The parts of a plan made for a few articles (a reach) equal those of the whole site's."""

import datetime as dt

from newsarchive import taxonomy
from newsarchive.model import Article, SourceRef

D = dt.date


def art(id, date=None, page=None, line=1, tags=()):
    return Article(id=id, title=id, body="正文", date=date, page=page,
                   source=SourceRef("p.txt", (line, line + 5)), tags=list(tags))


def crowd() -> list[Article]:
    """Three days of three pages, a tag common enough to be taken through windows, undated
    and pageless articles."""
    articles = [art(f"{day}-{page}-{n}", D(2024, 1, day), page, line=40 - n,
                    tags=["常见"] + (["少见"] if n == 0 else []))
                for day in (1, 2, 3) for page in ("A01", "A02", "A03") for n in range(4)]
    return articles + [art("undated", tags=["常见"]), art("pageless", D(2024, 1, 2))]


def ids(found) -> list[str] | None:
    return None if found is None else [a.id for a in found]


def test_neighbours_of_a_few_articles_equal_those_of_all():
    articles = crowd()
    everyone = taxonomy.neighbours(articles)
    for only in ({"2-A02-1"}, {"1-A01-0", "3-A03-3", "undated", "pageless"}, {"gone"}):
        some = taxonomy.neighbours(articles, only)
        for article_id in only & everyone.keys():
            assert (some[article_id].previous, some[article_id].next) == \
                (everyone[article_id].previous, everyone[article_id].next)


def test_related_lists_of_a_few_articles_equal_those_of_all(monkeypatch):
    monkeypatch.setattr(taxonomy, "COMMON_LABEL", 5)   # 常见 is taken through windows
    articles = crowd()
    everyone = taxonomy.related(articles, limit=3)
    only = {"2-A02-1", "1-A01-0", "undated"}
    some = taxonomy.related(articles, limit=3, only=only)
    assert some.keys() == only
    assert {i: ids(found) for i, found in some.items()} == \
        {i: ids(everyone[i]) for i in only}
