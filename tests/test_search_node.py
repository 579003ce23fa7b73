"""The browser half of search, run in node with the real lunr 2.3.9 from npm."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path

import pytest

from newsarchive.content import load_articles
from newsarchive.model import Article
from newsarchive.search.index import document, write_search_data
from newsarchive.search.tokenize import tokenize
from newsarchive.search.shards import term_shard
from newsarchive.search.variants import simplified_of

from .conftest import ROOT, run_node
from .test_search import (HOSTILE_BODY, HOSTILE_TITLE, VECTORS, articles_from_seeds, extra_articles,
                          generated_articles, lunr_reference, make_site)

JS = ROOT / "tests" / "js"
pytestmark = pytest.mark.node


def article_text(article: Article) -> str:
    """Everything searchable in an article, as the author wrote it (Markdown body included),
    names and tags a line each."""
    parts = [article.title, article.kicker, article.subtitle, article.byline,
             "\n".join(article.reporters), "\n".join(article.tags), article.body]
    return "\n\n".join(part for part in parts if part)


def write_truth(articles: list[Article], path: Path) -> Path:
    path.write_text(json.dumps({
        "articles": [{"id": a.id, "text": article_text(a), "reporters": a.reporters}
                     for a in articles],
        "simplified": simplified_of()}, ensure_ascii=False), encoding="utf-8")
    return path


def test_tokenizer_parity_with_python(node_bin, tmp_path):
    write_search_data(make_site(extra_articles()), tmp_path)
    node_tokens = json.loads(run_node(JS / "tokenizer_parity.js", str(tmp_path / "search")))
    assert len(node_tokens) == len(VECTORS["vectors"])
    for vector, from_node in zip(VECTORS["vectors"], node_tokens):
        assert from_node["tokens"] == vector["tokens"] == tokenize(vector["text"]), vector["name"]
        assert from_node["shards"] == [term_shard(t, 7) for t in vector["tokens"]], vector["name"]


def test_data_scripts_load_and_keep_hostile_text_exact(node_bin, tmp_path):
    site = make_site()
    write_search_data(site, tmp_path)
    data = json.loads(run_node(JS / "search_data.js", str(tmp_path / "search")))
    assert {"manifest", "facets-dates", "index-0", "docs-0"} <= set(data)
    docs = [doc for name, value in data.items() if name.startswith("docs-") for doc in value]
    assert len(docs) == len(site.articles)
    hostile = next(d for d in docs if d["title"] == HOSTILE_TITLE)
    assert hostile["body"] == HOSTILE_BODY


def run_recall(node_bin, tmp_path: Path, articles: list[Article], search_dir: Path | None = None,
               **tuning) -> dict:
    if search_dir is None:
        write_search_data(make_site(articles), tmp_path, postings_per_shard=1500, **tuning)
        search_dir = tmp_path / "search"
    truth = write_truth(articles, tmp_path / "truth.json")
    return json.loads(run_node(JS / "search_recall.js", str(search_dir), str(truth)))


@pytest.mark.parametrize("tuning", [{}, {"recent_docs": 8}], ids=["one tier", "recent tier"])
def test_recall_and_precision_are_one_on_generated_queries(node_bin, tmp_path, tuning):
    articles = articles_from_seeds() + extra_articles()
    report = run_recall(node_bin, tmp_path, articles, **tuning)
    manifest = json.loads(run_node(JS / "search_data.js", str(tmp_path / "search")))["manifest"]
    assert (manifest["indexRecentShards"] > 0) == bool(tuning)
    assert report["queries"] >= 200, report["byKind"]
    assert report["withResults"] >= 180
    assert report["byKind"]["traditional"] >= 25 and report["byKind"]["across a printed space"] >= 10
    assert report["failures"] == []
    assert report["recall"] == 1.0 and report["precision"] == 1.0
    print(f"\n{report['queries']} queries {report['byKind']}; node query {report['queryMs']}")


def node_search(tmp_path: Path, body: str, *args: str) -> object:
    """Run `body` in node with `engine` (over tmp_path/search) and `search` in scope; its last
    expression resolves to a value printed as JSON."""
    script = tmp_path / "query.js"
    script.write_text(
        f"const {{fileEngine}} = require({json.dumps(str(JS / 'search_data.js'))});\n"
        f"const search = require({json.dumps(str(ROOT / 'static' / 'js' / 'search-engine.js'))});\n"
        f"const engine = fileEngine({json.dumps(str(tmp_path / 'search'))});\n"
        f"const ids = (hits) => search.loadDocs(engine, hits.map(h => h.ref)).then(ds => ds.map(d => d.id));\n"
        f"Promise.resolve().then(async () => {{ {body} }})"
        f".then(value => process.stdout.write(JSON.stringify(value)));\n", encoding="utf-8")
    return json.loads(run_node(script, *args))


def test_results_are_ranked_title_first(node_bin, tmp_path):
    """A word in the headline outranks the same word in a longer body."""
    body_only = Article(id="b", title="城市新闻", body="今天举办了围炉煮茶活动。" + "其他内容。" * 20)
    in_title = Article(id="a", title="围炉煮茶嘉年华启动", body="活动内容丰富。" * 20)
    write_search_data(make_site([body_only, in_title]), tmp_path, postings_per_shard=20)
    body = "return ids((await search.search(engine, process.argv[2])).results);"
    assert node_search(tmp_path, body, "围炉煮茶") == ["a", "b"]
    assert node_search(tmp_path, body, "围炉煮茶 -嘉年华") == ["b"]
    assert node_search(tmp_path, body, "茶") == ["a", "b"]
    assert node_search(tmp_path, body, "茶会") == []


def test_candidates_are_checked_in_rank_order_as_far_as_wanted(node_bin, tmp_path):
    """Only as many documents load as the results shown need; checking on finds the rest."""
    real = [Article(id=f"r{n:02d}", title=f"新闻{n}", body=f"城东区第{n}次活动。") for n in range(25)]
    decoys = [Article(id=f"d{n}", title=f"消息{n}", body="城东，东区，城东东区以外") for n in range(3)]
    write_search_data(make_site(real + decoys), tmp_path, docs_per_shard=2)
    first = node_search(tmp_path, """
      const outcome = await search.search(engine, "城东区", {}, 5);
      const shown = {results: outcome.results.length, unchecked: outcome.unchecked.length,
                     complete: outcome.complete, loaded: Object.keys(engine.docs).length};
      await search.checkMore(engine, outcome, Infinity);
      return {shown, ids: (await ids(outcome.results)).sort(), complete: outcome.complete};""")
    assert first["shown"]["results"] >= 5 and not first["shown"]["complete"]
    assert 25 <= first["shown"]["results"] + first["shown"]["unchecked"] <= 28
    assert first["shown"]["loaded"] < 28
    assert first["ids"] == sorted(a.id for a in real) and first["complete"]


def test_a_first_result_is_looked_for_in_the_best_candidate_alone(node_bin, tmp_path):
    """Each document file costs a browser a few ms: the first check loads one, not two."""
    articles = [Article(id=f"a{n:02d}", title=f"新闻{n}", body="城东区活动。" * (1 + n % 3))
                for n in range(6)]
    write_search_data(make_site(articles), tmp_path, docs_per_shard=1)
    loaded = node_search(tmp_path, """
      const outcome = await search.search(engine, "城东区", {}, 1);
      return {results: outcome.results.length, loaded: Object.keys(engine.docs).length};""")
    assert loaded == {"results": 1, "loaded": 1}


def test_many_hits_are_ordered_by_score_then_newest(node_bin, tmp_path):
    """Hundreds of hits (sorted without a comparator) come in the order of one: score
    descending, equal scores newest (highest ref) first."""
    articles = [Article(id=f"a{n:04d}", title=f"第{n}条", body="茶" * (1 + n % 5) + "水" * (n % 7))
                for n in range(700)]
    write_search_data(make_site(articles), tmp_path, postings_per_shard=100)
    hits = node_search(tmp_path, """
      return (await search.search(engine, "茶")).results.map(h => [h.ref, h.score]);""")
    assert len(hits) == 700
    assert hits == sorted(hits, key=lambda hit: (-hit[1], -hit[0]))
    assert len({score for _, score in hits}) < 100  # ties decided by the ref


def weights_by_term(inverted_index: list, field_vectors: list) -> dict:
    """{(field/ref, term): weight} of a serialized lunr index, whatever its term numbering."""
    term_of = {posting["_index"]: term for term, posting in inverted_index}
    return {(field_ref, term_of[elements[i]]): elements[i + 1]
            for field_ref, elements in field_vectors for i in range(0, len(elements), 2)}


@pytest.mark.parametrize("postings_per_shard, recent_docs", [(10 ** 9, 10 ** 6), (700, 10 ** 6),
                                                            (700, 100)])
def test_index_shards_rebuild_exactly_what_lunr_py_builds(node_bin, tmp_path, postings_per_shard,
                                                         recent_docs):
    """The weights search-engine.js computes from the shards are lunr.py's, posting for posting,
    the postings of the recent tier (when there is one) put in front of the older ones'."""
    articles = articles_from_seeds() + extra_articles() + generated_articles(300) + [
        Article(id="2025-02-01-a01-01", title="\U00020000\U00020001\uf900\uf901 异体字", body="㐀㐁与 \U0002a700 字")]
    write_search_data(make_site(articles), tmp_path, postings_per_shard=postings_per_shard,
                      recent_docs=recent_docs)
    manifest = json.loads(run_node(JS / "search_data.js", str(tmp_path / "search")))["manifest"]
    assert (manifest["indexRecentShards"] > 1) == (recent_docs == 100)
    expected = lunr_reference([document(a) for a in sorted(articles, key=lambda a: a.id)])
    shards = json.loads(run_node(JS / "index_roundtrip.js", str(tmp_path / "search")))
    assert (len(shards) == 1) == (postings_per_shard > 10 ** 6)
    postings, weights = {}, {}
    for shard in shards:
        assert shard["fields"] == expected["fields"] and shard["pipeline"] == []
        postings.update({term: {k: v for k, v in p.items() if k != "_index"}
                         for term, p in shard["invertedIndex"]})
        weights.update(weights_by_term(shard["invertedIndex"], shard["fieldVectors"]))
    assert len(weights) > 50_000
    assert postings == {term: {k: v for k, v in p.items() if k != "_index"}
                        for term, p in expected["invertedIndex"]}
    assert weights == weights_by_term(expected["invertedIndex"], expected["fieldVectors"])


@pytest.mark.parametrize("recent_docs", [10 ** 6, 64])
def test_scores_equal_lunr_js_scores(node_bin, tmp_path, recent_docs):
    """The page scores postings itself (search.scoreTerms) instead of building a lunr.Index per
    query: every score must equal the one lunr 2.3.9's own query gives over the same shard."""
    articles = articles_from_seeds() + extra_articles() + generated_articles(200)
    write_search_data(make_site(articles), tmp_path, postings_per_shard=3000,
                      recent_docs=recent_docs)
    report = json.loads(run_node(JS / "score_parity.js", str(tmp_path / "search")))
    assert report["mismatches"] == []
    assert report["groups"] > 300 and report["compared"] > 10_000, report


def test_seed_archive_recall_and_precision_are_one(node_bin, built_site, tmp_path):
    """The real thing: the seeds ingested and built by the CLI, queried with generated queries."""
    articles = load_articles(built_site / "content")
    search_dir = built_site / "_site" / "search"
    report = run_recall(node_bin, tmp_path, articles, search_dir)
    assert report["queries"] >= 200 and report["withResults"] >= 180, report["byKind"]
    assert report["byKind"]["traditional"] >= 25 and report["byKind"]["space typed"] >= 10
    assert report["failures"] == []
    assert report["recall"] == 1.0 and report["precision"] == 1.0
    text_chars = sum(len(article_text(a)) for a in articles)
    sizes = {kind: [p.read_bytes() for p in sorted(search_dir.glob(f"{kind}-*.js"))]
             for kind in ("index", "docs")}
    print(f"\nseed archive: {len(articles)} articles, {text_chars} chars, {report['queries']} queries; "
          + "; ".join(f"{kind} ({len(files)} files) {sum(map(len, files)) * 1000 / text_chars:.0f} B raw, "
                      f"{sum(len(gzip.compress(f)) for f in files) * 1000 / text_chars:.0f} B gzip "
                      f"per 1,000 chars" for kind, files in sizes.items())
          + f"; node query (shards loaded on demand) {report['queryMs']}")


def test_filters_orders_and_counts_agree_with_the_articles(node_bin, tmp_path):
    """Each filter keeps exactly the articles its facet names, each count is the number of
    results its filter gives, and the date orders follow the articles' dates."""
    articles = generated_articles(300) + extra_articles() + [
        Article(id="undated-1", title="无日期的活动", body="活动。", page="A02", places=["城东区"])]
    for n, article in enumerate(articles[:60]):
        article.page, article.places = f"A0{1 + n % 4}", [["城东区"], ["城西区", "城东区"], []][n % 3]
    write_search_data(make_site(articles), tmp_path, postings_per_shard=2000)
    report = node_search(tmp_path, """
      const query = process.argv[2], kinds = {pages: "page", reporters: "reporter",
        places: "place", topics: "topic"};
      const plain = await search.search(engine, query);
      await Promise.all(search.FACET_KINDS.map((kind) => search.loadFacet(engine, kind)));
      const counts = search.facetCounts(engine, {}, plain.candidates);
      const filtered = {};
      for (const [kind, key] of Object.entries(kinds)) {
        for (const value of Object.keys(counts[kind])) {
          filtered[key + "=" + value] = await ids((await search.search(engine, query, {[key]: value})).results);
        }
      }
      for (const [key, value] of [["year", "2024"], ["from", "2024-03"], ["to", "2024-02"]]) {
        filtered[key + "=" + value] = await ids((await search.search(engine, query, {[key]: value})).results);
      }
      filtered["from=2024-03&to=2024-04&place=城东区"] = await ids((await search.search(engine, query,
        {from: "2024-03", to: "2024-04", place: "城东区"})).results);
      const orders = {};
      for (const sort of ["new", "old"]) orders[sort] = await ids((await search.search(engine, query, {sort})).results);
      return {counts, filtered, orders, all: await ids(plain.results)};""", "活动")
    by_id = {a.id: a for a in articles}
    found = set(report["all"])
    assert len(found) > 50 and "undated-1" in found
    holders = {"page": lambda a: [a.page] if a.page else [], "reporter": lambda a: a.reporters,
               "place": lambda a: a.places, "topic": lambda a: a.topics}
    kind_key = {"pages": "page", "reporters": "reporter", "places": "place", "topics": "topic"}
    for kind, counts in report["counts"].items():
        if kind == "dates":
            months = Counter(by_id[i].date.isoformat()[:7] for i in found if by_id[i].date)
            assert counts == dict(months)
            continue
        key = kind_key[kind]
        expected = Counter(v for i in found for v in set(holders[key](by_id[i])))
        assert counts == dict(expected), kind
        for value, count in counts.items():
            assert len(report["filtered"][f"{key}={value}"]) == count
            assert {i for i in report["filtered"][f"{key}={value}"]} == \
                {i for i in found if value in holders[key](by_id[i])}
    dated = {i: by_id[i].date.isoformat() for i in found if by_id[i].date}
    assert set(report["filtered"]["year=2024"]) == {i for i, d in dated.items() if d.startswith("2024")}
    assert set(report["filtered"]["from=2024-03"]) == {i for i, d in dated.items() if d >= "2024-03"}
    assert set(report["filtered"]["to=2024-02"]) == {i for i, d in dated.items() if d[:7] <= "2024-02"}
    assert set(report["filtered"]["from=2024-03&to=2024-04&place=城东区"]) == \
        {i for i, d in dated.items() if "2024-03" <= d[:7] <= "2024-04" and "城东区" in by_id[i].places}
    for sort, reverse in [("new", True), ("old", False)]:
        order = report["orders"][sort]
        assert set(order) == found and order[-1] == "undated-1"
        days = [dated[i] for i in order[:-1]]
        assert days == sorted(days, reverse=reverse)
