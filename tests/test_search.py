"""The Python half of search: tokenizer, document store, index and the <script> data files."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from newsarchive.config import load_config
from newsarchive.errors import ArchiveError
from newsarchive.model import Article, Site
from newsarchive.search import (build_index, compact_index, document, find_lunr_script, fold,
                                plain_body, script_text, tokenize, write_search_data)

from .conftest import ROOT

VECTORS = json.loads((ROOT / "tests" / "vectors" / "tokenizer.json").read_text(encoding="utf-8"))
HOSTILE_TITLE = "警惕<script>window.__pwned=1</script>诈骗"
HOSTILE_BODY = ("提示：<img src=x onerror=\"window.__pwned=2;alert(1)\">图片\u2028换行\u2029段落，"
                "[点击](javascript:alert(3)) {{ config }} {% raw %} </script><!-- 注释")


def articles_from_seeds() -> list[Article]:
    """Test articles cut from the seed pages: every four paragraphs make one article.

    Until the ingester's content exists this gives the index real newspaper text to work on;
    the cut is crude on purpose and knows nothing about the particular pages.
    """
    articles = []
    for number, seed in enumerate(sorted((ROOT / "seeds").glob("*.txt"))):
        text = seed.read_text(encoding="utf-8-sig")
        paragraphs = [re.sub(r"\s*\n\s*", "", p).strip() for p in re.split(r"\n\s*\n", text)]
        paragraphs = [p for p in paragraphs if p]
        for part, start in enumerate(range(0, len(paragraphs), 4)):
            chunk = paragraphs[start:start + 4]
            reporters = [name for found in re.findall(r"记者\s*((?:[\u4e00-\u9fff]{2,4}\s*)+)[）)]", "".join(chunk))
                         for name in found.split()]
            body = "\n\n".join(chunk[1:]) or chunk[0]
            articles.append(Article(
                id=f"2024-12-{10 + number:02d}-a0{number}-{part + 1:02d}", title=chunk[0][:18],
                body=body, reporters=reporters, byline=f"记者 {' '.join(reporters)}" if reporters else None,
                date=dt.date(2023 + number % 2, 12, 10 + number), page=f"A0{number + 1}",
                topics=["文旅"] if "旅游" in "".join(chunk) else [], tags=["城东区"] if "城东" in body else [],
                paper="西宁晚报"))
    return articles


def extra_articles() -> list[Article]:
    """Articles with the text kinds the seeds lack: Latin words, full-width letters, hostile markup."""
    return [
        Article(id="2025-01-02-a02-01", title="ＡＰＰ上线 TOP20 榜单", kicker="开栏的话",
                subtitle="云闪付App——青海文旅专区", body="## 小标题\n\n用户通过 App 领取 12 月 21 日的消费券。",
                date=dt.date(2025, 1, 2), page="A02", topics=["文旅"], tags=["消费券"]),
        Article(id="2025-01-03-a03-01", title=HOSTILE_TITLE, body=HOSTILE_BODY,
                date=dt.date(2025, 1, 3), page="A03", reporters=["施翔"], byline="本报讯（记者 施翔）"),
    ]


def make_site(articles: list[Article] | None = None) -> Site:
    config = load_config(ROOT / "site.yaml")
    return Site(config=config, articles=articles if articles is not None
                else articles_from_seeds() + extra_articles())


def parse_script(text: str) -> tuple[str, object]:
    """The (name, value) a data script registers; fails if the text has another shape."""
    match = re.fullmatch(r"window\.newsarchiveSearch=window\.newsarchiveSearch\|\|\{\};\n"
                         r"window\.newsarchiveSearch\[(\"[^\"]+\")\]=(.*);\n", text, re.DOTALL)
    assert match, text[:200]
    return json.loads(match.group(1)), json.loads(match.group(2))


def read_script(path: Path) -> tuple[str, object]:
    return parse_script(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_tokenizer_vectors(vector):
    assert tokenize(vector["text"]) == vector["tokens"]


@pytest.mark.parametrize("text, folded", [
    ("ＡＢＣ１２３", "abc123"),
    ("（记者）", "(记者)"),
    ("城东\u3000城西", "城东 城西"),
    ("İx", "ix"),
    ("西宁TOP", "西宁top"),
])
def test_fold_keeps_length_and_folds_width_and_case(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


@pytest.mark.parametrize("markdown, plain", [
    ("第一段\n\n第二段", "第一段\n第二段"),
    ("## 小标题\n\n正文", "小标题\n正文"),
    ("价格 5\\*2 元", "价格 5*2 元"),
    ("#话题 不是标题", "#话题 不是标题"),
    ("\n\n开头\n\n\n\n结尾\n", "开头\n结尾"),
])
def test_plain_body(markdown, plain):
    assert plain_body(markdown) == plain


def test_compact_index_lists_terms_postings_and_stepped_vectors():
    docs = [document(Article(id="a", title="围炉煮茶", body="茶")),
            document(Article(id="b", title="煮茶", body="围炉 App"))]
    serialized = build_index(docs)
    compact = compact_index(serialized)
    assert compact["fields"] == ["title", "kicker", "subtitle", "people", "tags", "body"]
    assert compact["terms"] == ["围炉", "炉煮", "煮茶", "茶", "app"]  # lunr's term-index order
    assert compact["postings"] == [[[0, 0], [5, 1]], [[0, 0]], [[0, 0, 1]], [[5, 0]], [[5, 1]]]
    vectors = dict(serialized["fieldVectors"])
    title_a = vectors["title/0"]
    assert title_a[0::2] == [0, 1, 2]
    assert compact["vectors"][0][0] == [0, title_a[1], 1, title_a[3], 1, title_a[5]]
    assert compact["vectors"][1][5][0::2] == [0, 4]  # body of b: 围炉 (0), then app (4)
    assert len(compact["vectors"]) == 2 and all(len(v) == 6 for v in compact["vectors"])


def test_script_text_escapes_markup_and_line_separators():
    value = {"text": "a</script><!--\u2028b\u2029c"}
    text = script_text("docs-0", value)
    assert "</" not in text and "<!--" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert parse_script(text) == ("docs-0", value)


def test_writes_manifest_index_docs_and_lunr(tmp_path):
    site = make_site()
    write_search_data(site, tmp_path)
    files = sorted(p.name for p in (tmp_path / "search").iterdir())
    assert files == ["docs-0.js", "index-0.js", "lunr.min.js", "manifest.js"]
    _, manifest = read_script(tmp_path / "search" / "manifest.js")
    _, index = read_script(tmp_path / "search" / "index-0.js")
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    assert manifest["documents"] == len(docs) == len(site.articles)
    assert manifest["index"] == ["index-0"] and manifest["docs"][0]["count"] == len(docs)
    assert manifest["years"] == [2025, 2024, 2023]
    assert manifest["topics"] == ["每月一题", "主题教育", "文旅"]
    assert index["pipeline"] == [] and index["version"] == "2.3.9"
    assert index["fields"] == ["title", "kicker", "subtitle", "people", "tags", "body"]
    terms = set(index["terms"])
    assert {"围炉", "煮茶", "top20", "app", "施翔"} <= terms
    assert not any(" " in term or len(term) > 2 and re.search("[\u4e00-\u9fff]", term)
                   for term in terms), "Han terms are bigrams or single characters"
    app = next(d for d in docs if d["id"] == "2025-01-02-a02-01")
    assert app["url"] == "articles/2025-01-02-a02-01.html"
    assert app["date"] == "2025-01-02" and app["year"] == 2025 and app["page"] == "A02"
    assert app["body"] == "小标题\n用户通过 App 领取 12 月 21 日的消费券。"
    assert [d["id"] for d in docs] == sorted(d["id"] for d in docs)
    assert (tmp_path / "search" / "lunr.min.js").read_bytes() == \
        (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()


def test_hostile_text_is_kept_exactly_but_inert_in_the_data_files(tmp_path):
    write_search_data(make_site(extra_articles()), tmp_path)
    raw = (tmp_path / "search" / "docs-0.js").read_text(encoding="utf-8")
    assert "<" not in raw and "\u2028" not in raw and "\u2029" not in raw
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    hostile = next(d for d in docs if d["title"] == HOSTILE_TITLE)
    assert hostile["body"] == HOSTILE_BODY


def test_output_is_deterministic(tmp_path):
    articles = articles_from_seeds() + extra_articles()
    write_search_data(make_site(articles), tmp_path / "a")
    write_search_data(make_site(list(reversed(articles))), tmp_path / "b")
    for name in ("manifest.js", "index-0.js", "docs-0.js"):
        assert (tmp_path / "a" / "search" / name).read_bytes() == \
            (tmp_path / "b" / "search" / name).read_bytes(), name


def test_an_article_without_date_or_page(tmp_path):
    article = replace(extra_articles()[0], date=None, page=None, topics=[])
    write_search_data(make_site([article]), tmp_path)
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    _, manifest = read_script(tmp_path / "search" / "manifest.js")
    assert docs[0]["date"] is None and docs[0]["year"] is None and manifest["years"] == []


def test_an_empty_archive_still_gets_loadable_search_data(tmp_path):
    write_search_data(make_site([]), tmp_path)
    _, index = read_script(tmp_path / "search" / "index-0.js")
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    assert docs == [] and index["terms"] == [] and index["vectors"] == []


def test_missing_lunr_says_to_run_npm_ci(tmp_path):
    with pytest.raises(ArchiveError) as caught:
        find_lunr_script([tmp_path / "a", tmp_path / "b"])
    assert "npm ci" in str(caught.value) and str(tmp_path / "a") in str(caught.value)


def test_lunr_found_beside_site_yaml_first(tmp_path):
    (tmp_path / "site" / "node_modules" / "lunr").mkdir(parents=True)
    (tmp_path / "site" / "node_modules" / "lunr" / "lunr.min.js").write_text("/* site */")
    assert find_lunr_script([tmp_path / "site", ROOT]).read_text() == "/* site */"
    assert find_lunr_script([tmp_path / "none", ROOT]) == ROOT / "node_modules/lunr/lunr.min.js"
