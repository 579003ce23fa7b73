"""The browser half of search, run in node with the real lunr 2.3.9 from npm."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from newsarchive.content import load_articles
from newsarchive.model import Article
from newsarchive.search import build_index, document, tokenize, write_search_data

from .conftest import ROOT, run_node
from .test_search import HOSTILE_BODY, HOSTILE_TITLE, VECTORS, articles_from_seeds, extra_articles, make_site

JS = ROOT / "tests" / "js"
pytestmark = pytest.mark.node


def article_text(article: Article) -> str:
    """Everything searchable in an article, as the author wrote it (Markdown body included)."""
    parts = [article.title, article.kicker, article.subtitle, article.byline,
             " ".join(article.reporters), " ".join(article.tags), article.body]
    return "\n\n".join(part for part in parts if part)


def write_truth(articles: list[Article], path: Path) -> Path:
    path.write_text(json.dumps([{"id": a.id, "text": article_text(a), "reporters": a.reporters}
                                for a in articles], ensure_ascii=False), encoding="utf-8")
    return path


def test_tokenizer_parity_with_python(node_bin):
    node_tokens = json.loads(run_node(JS / "tokenizer_parity.js"))
    assert len(node_tokens) == len(VECTORS["vectors"])
    for vector, from_node in zip(VECTORS["vectors"], node_tokens):
        assert from_node["tokens"] == vector["tokens"] == tokenize(vector["text"]), vector["name"]


def test_data_scripts_load_and_keep_hostile_text_exact(node_bin, tmp_path):
    site = make_site()
    write_search_data(site, tmp_path)
    data = json.loads(run_node(JS / "search_data.js", str(tmp_path / "search")))
    assert set(data) == {"manifest", "index-0", "docs-0"}
    hostile = next(d for d in data["docs-0"] if d["title"] == HOSTILE_TITLE)
    assert hostile["body"] == HOSTILE_BODY


def run_recall(node_bin, tmp_path: Path, articles: list[Article], search_dir: Path | None = None) -> dict:
    if search_dir is None:
        write_search_data(make_site(articles), tmp_path)
        search_dir = tmp_path / "search"
    truth = write_truth(articles, tmp_path / "truth.json")
    return json.loads(run_node(JS / "search_recall.js", str(search_dir), str(truth)))


def test_recall_and_precision_are_one_on_generated_queries(node_bin, tmp_path):
    articles = articles_from_seeds() + extra_articles()
    report = run_recall(node_bin, tmp_path, articles)
    assert report["queries"] >= 200, report["byKind"]
    assert report["withResults"] >= 180
    assert report["failures"] == []
    assert report["recall"] == 1.0 and report["precision"] == 1.0
    text_chars = sum(len(article_text(a)) for a in articles)
    index = (tmp_path / "search" / "index-0.js").read_bytes()
    docs = (tmp_path / "search" / "docs-0.js").read_bytes()
    print(f"\n{report['queries']} queries {report['byKind']}; text {text_chars} chars; "
          f"index {len(index) * 1000 / text_chars:.0f} B raw, "
          f"{len(gzip.compress(index)) * 1000 / text_chars:.0f} B gzip per 1,000 chars; "
          f"docs {len(docs) * 1000 / text_chars:.0f} B raw, "
          f"{len(gzip.compress(docs)) * 1000 / text_chars:.0f} B gzip per 1,000 chars; "
          f"node load {report['loadMs']:.1f} ms, query {report['queryMs']}")


def test_results_are_ranked_title_first(node_bin, tmp_path):
    """A word in the headline outranks the same word in a longer body."""
    body_only = Article(id="b", title="城市新闻", body="今天举办了围炉煮茶活动。" + "其他内容。" * 20)
    in_title = Article(id="a", title="围炉煮茶嘉年华启动", body="活动内容丰富。" * 20)
    write_search_data(make_site([body_only, in_title]), tmp_path)
    script = tmp_path / "rank.js"
    script.write_text(
        "const {loadSearchData} = require(%s);\n"
        "const search = require(%s);\n"
        "const data = loadSearchData(process.argv[2]);\n"
        "const engine = search.createEngine(data['index-0'], data['docs-0']);\n"
        "process.stdout.write(JSON.stringify(search.search(engine, process.argv[3]).results"
        ".map(r => r.doc.id)));\n" % (json.dumps(str(JS / "search_data.js")),
                                     json.dumps(str(ROOT / "static" / "js" / "search.js"))))
    assert json.loads(run_node(script, str(tmp_path / "search"), "围炉煮茶")) == ["a", "b"]
    assert json.loads(run_node(script, str(tmp_path / "search"), "围炉煮茶 -嘉年华")) == ["b"]
    assert json.loads(run_node(script, str(tmp_path / "search"), "茶")) == ["a", "b"]
    assert json.loads(run_node(script, str(tmp_path / "search"), "茶会")) == []


def test_compact_index_rebuilds_exactly_what_lunr_py_serialized(node_bin, tmp_path):
    articles = articles_from_seeds() + extra_articles() + [
        Article(id="2025-02-01-a01-01", title="\U00020000\U00020001\uf900\uf901 异体字", body="㐀㐁与 \U0002a700 字")]
    write_search_data(make_site(articles), tmp_path)
    expected = build_index([document(a) for a in sorted(articles, key=lambda a: a.id)])
    rebuilt = json.loads(run_node(JS / "index_roundtrip.js", str(tmp_path / "search")))
    assert rebuilt["fields"] == expected["fields"] and rebuilt["pipeline"] == expected["pipeline"] == []
    assert dict(rebuilt["invertedIndex"]) == dict(expected["invertedIndex"])
    assert dict(rebuilt["fieldVectors"]) == dict(expected["fieldVectors"])


def test_seed_archive_recall_and_precision_are_one(node_bin, built_site, tmp_path):
    """The real thing: the seeds ingested and built by the CLI, queried with generated queries."""
    articles = load_articles(built_site / "content")
    search_dir = built_site / "_site" / "search"
    report = run_recall(node_bin, tmp_path, articles, search_dir)
    assert report["queries"] >= 200 and report["withResults"] >= 180, report["byKind"]
    assert report["failures"] == []
    assert report["recall"] == 1.0 and report["precision"] == 1.0
    text_chars = sum(len(article_text(a)) for a in articles)
    sizes = {name: (search_dir / f"{name}.js").read_bytes() for name in ("index-0", "docs-0")}
    print(f"\nseed archive: {len(articles)} articles, {text_chars} chars, {report['queries']} queries; "
          + "; ".join(f"{name} {len(data) * 1000 / text_chars:.0f} B raw, "
                      f"{len(gzip.compress(data)) * 1000 / text_chars:.0f} B gzip per 1,000 chars"
                      for name, data in sizes.items())
          + f"; node load {report['loadMs']:.1f} ms, query {report['queryMs']}")
