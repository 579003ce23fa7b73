"""The Python half of search: tokenizer, document store, index and the <script> data files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import operator
import pickle
import random
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from newsarchive.config import load_config
from newsarchive.errors import ArchiveError
from newsarchive.model import Article, Site
from lunr.builder import Builder

from newsarchive.search.index import (FACET_KINDS, DocTerms, SearchOutput, article_hash,
                                      document, facets, field_texts, plain_body, runs,
                                      search_output, write_search_data)
from newsarchive.search.lunr import LUNR_FILE, find_lunr_script, lunr_candidates
from newsarchive.search.shards import (FIELD_BOOSTS, FIELD_END, FIELD_MASK, FIELDS,
                                       FREQUENCY_SHIFT, REF_SHIFT, ShardPostings, field_text,
                                       parse_script_text, partition, posting, read_varints,
                                       script_text, script_value, shard_count, shard_script,
                                       splice_postings, splice_shard, split_shard, term_shard,
                                       varint_text, varints)
from newsarchive.search.state import IndexState
from newsarchive.search.tokenize import HAN, CodePoints, fold, han_keys, token_keys, tokenize
from newsarchive.search.variants import (simplified_of, simplify, traditional_pairs,
                                         variant_classes, variant_shard_count, variant_shards)

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
    """Articles with the text kinds the seeds lack: Latin words, full-width letters, hostile
    markup, traditional characters and a space printed between Han characters."""
    return [
        Article(id="2025-01-02-a02-01", title="ＡＰＰ上线 TOP20 榜单", kicker="开栏的话",
                subtitle="云闪付App——青海文旅专区", body="## 小标题\n\n用户通过 App 领取 12 月 21 日的消费券。",
                date=dt.date(2025, 1, 2), page="A02", topics=["文旅"], tags=["消费券"]),
        Article(id="2025-01-03-a03-01", title=HOSTILE_TITLE, body=HOSTILE_BODY,
                date=dt.date(2025, 1, 3), page="A03", reporters=["施翔"], byline="本报讯（记者 施翔）"),
        Article(id="2025-01-04-a04-01", title="臺灣鄉親 新春聯誼", body="來自臺灣的鄉親在西寧品嘗青海老酸奶。\n\n展板上印着“山宗水源 惠游青海”。",
                date=dt.date(2025, 1, 4), page="A04", reporters=["王艳"], places=["城西区"]),
    ]


def generated_articles(count: int, seed: int = 8) -> list[Article]:
    """`count` articles of seed sentences recombined at random (fixed seed), a few with Latin."""
    sentences = sorted({s for seed_file in sorted((ROOT / "seeds").glob("*.txt"))
                        for s in re.findall(r"[^。！？\n]{6,60}[。！？]",
                                            re.sub(r"\s*\n\s*", "", seed_file.read_text("utf-8-sig")))})
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        body = "\n\n".join("".join(rng.sample(sentences, rng.randint(1, 4)))
                            for _ in range(rng.randint(1, 6)))
        if number % 7 == 0:
            body += f"\n\n扫码下载 App，参与 TOP{number % 30} 活动。"
        articles.append(Article(
            id=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}-a0{1 + number % 8}-{number:03d}",
            title=rng.choice(sentences)[:rng.randint(4, 16)], body=body,
            kicker=rng.choice([None, None, "开栏的话"]), reporters=[rng.choice("施翔 王艳 李明".split())],
            byline="本报讯（记者 施翔）", tags=rng.sample(["城东区", "消费券", "围炉煮茶"], rng.randint(0, 2)),
            date=dt.date(2024, 1 + number % 12, 1 + number % 28)))
    return articles


def lunr_reference(docs: list[dict]) -> dict:
    """lunr.py's own serialized index of the documents' tokens: what the index must equal."""
    builder = Builder()  # a bare Builder: no trimmer, stop words or stemmer, which break Chinese
    builder.ref("ref")
    for field, boost in FIELD_BOOSTS.items():
        builder.field(field, boost=boost)
    for ref, doc in enumerate(docs):
        # Lists bypass lunr's whitespace tokenizer: each element is taken as one token.
        builder.add({"ref": str(ref), **{field: tokenize(text) for field, text
                                          in zip(FIELD_BOOSTS, field_texts(doc))}})
    return builder.build().serialize()


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
    ("一\n\n\n二\n三\n\n\n\n\n四", "一\n二\n三\n四"),
])
def test_plain_body(markdown, plain):
    assert plain_body(markdown) == plain


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_token_keys_count_the_tokens(vector):
    assert token_keys(CodePoints.of([vector["text"]])).counts(1) == [Counter(vector["tokens"])]


def test_token_keys_count_each_texts_own_tokens():
    """Found for many texts at once (a capital lowering to two characters among them), each
    text's tokens are those it has alone: none spans two texts."""
    texts = [vector["text"] for vector in VECTORS["vectors"]]
    assert any(len(text.lower()) != len(text) for text in texts)
    assert token_keys(CodePoints.of(texts)).counts(len(texts)) == \
        [Counter(vector["tokens"]) for vector in VECTORS["vectors"]]
    assert token_keys(CodePoints.of(texts[1:] + texts[:1])).counts(len(texts)) == \
        [Counter(vector["tokens"]) for vector in VECTORS["vectors"][1:] + VECTORS["vectors"][:1]]


def test_simplifying_makes_han_characters_han_characters():
    """What lets token_keys() find words and gaps in text it has not simplified."""
    han = re.compile(f"[{HAN}]")
    assert all(han.fullmatch(c) and han.fullmatch(t) for c, t in simplified_of().items())


def test_han_keys_count_each_han_character_simplified():
    texts = [vector["text"] for vector in VECTORS["vectors"]] + ["發展 發展", "", "〇⺮𠀀"]
    han = re.compile(f"[{HAN}]")
    assert han_keys(CodePoints.of(texts)).counts(len(texts)) == \
        [Counter(han.findall(simplify(text))) for text in texts]
    assert han_keys(CodePoints.of(["發展 發展"])).counts(1) == [{"发": 2, "展": 2}]


@pytest.mark.parametrize("values, text", [
    ([0, 1, 31], "01v"),            # a value under 32 is one last digit
    ([32, 1023, 1024], "x0_vxw0"),  # then carried digits before it, big-endian
    ([99999, 0], "zxQv0"),      # 3·32³ + 1·32² + 20·32 + 31
])
def test_varints(values, text):
    assert varints(values) == text and read_varints(text) == values


def test_varints_read_back_every_value():
    values = list(range(70_000)) + [2 ** 40 + 12345]
    assert read_varints(varints(values)) == values


def test_varint_text_writes_what_varints_writes():
    values = [0, 1, 31, 32, 1023, 1024, 99999, 2 ** 40 + 5, 7]
    text, ends = varint_text(np.array(values, dtype=np.int64))
    assert text == varints(values)
    assert [read_varints(text[start:end]) for start, end in zip([0, *ends[:-1]], ends)] == \
        [[value] for value in values]


@pytest.mark.parametrize("chunk", [1, 7, 10 ** 6])
def test_a_cold_build_writes_the_postings_the_format_gives(monkeypatch, chunk):
    """The cold build's arrays, in chunks joined newest first, give each term the string the
    format gives its postings written from scratch (encode_field, which splicing is held to)."""
    monkeypatch.setattr("newsarchive.search.index.CHUNK_DOCS", chunk)
    articles = articles_from_seeds() + extra_articles() + generated_articles(60)
    output = search_output(make_site(articles), None, None, postings_per_shard=500)
    docs = [document(a) for a in sorted(articles, key=lambda a: a.id)]
    for kind, count_terms in (("index", token_keys), ("chars", han_keys)):
        expected = ShardPostings()
        for ref, doc in enumerate(docs):
            expected.add(ref, DocTerms.of(doc, count_terms))
        found = {}
        for name, data in output.changed.items():
            if name.startswith(f"search/{kind}-"):
                found.update(split_shard(script_value(data.decode())))
        assert found == fragments_of(expected) and len(found) > 100


def test_shard_lists_sorted_terms_with_gapped_postings():
    docs = [document(Article(id="a", title="围炉煮茶", body="茶")),
            document(Article(id="b", title="煮茶", body="围炉 App 煮茶煮茶"))]
    postings = ShardPostings()
    for ref, doc in enumerate(docs):
        postings.add(ref, DocTerms.of(doc, token_keys))
    fragments = fragments_of(postings)
    assert sorted(fragments) == ["app", "围炉", "炉煮", "煮茶", "茶", "茶煮"]  # code point order
    # per field, "." between: its number, then newest first the steps (the ref, then each
    # step down, doubled, +1 for a frequency over 1), after "~" those frequencies less 2, after
    # "!" the lengths, but for the body (field 5, its lengths in the length tables)
    assert fragments["围炉"] == "00!3.52"
    assert fragments["煮茶"] == "022!13.53~0"
    assert fragments["茶"] == "50"  # a lone character
    assert read_fields(fragments["煮茶"]) == {0: [(1, 1, 1), (0, 1, 3)], 5: [(1, 2, 0)]}
    parts = partition(postings, 4)
    assert sorted(t for part in parts.values() for t in part.terms()) == sorted(fragments)
    for number, part in parts.items():
        assert all(term_shard(term, 4) == number for term in part.terms())
        assert fragments_of(part) == {term: fragments[term] for term in part.terms()}


def encode_field(number: int, packed: list[int]) -> str:
    """One field's part of a postings string from packed postings sorted by ref: the format
    written from scratch, what every way of making it must give."""
    newest_first = packed[::-1]
    return field_text(number, [p >> REF_SHIFT for p in newest_first],
                      [p >> FREQUENCY_SHIFT & FIELD_MASK for p in newest_first],
                      [p & FIELD_MASK for p in newest_first])


def fragments_of(postings: ShardPostings) -> dict[str, str]:
    """Each term's postings string, written from scratch (encode_field)."""
    return {term: FIELD_END.join(encode_field(number, sorted(by_term[term]))
                                 for number, by_term in enumerate(postings.fields)
                                 if term in by_term)
            for term in postings.terms()}


def read_fields(text: str) -> dict[int, list[tuple[int, int, int]]]:
    """field -> its postings (ref, term frequency, length), newest first, of a postings string
    (the body's lengths 0: they are in the length tables)."""
    fields = {}
    for section in filter(None, text.split(FIELD_END)):
        main, _, lengths = section.partition("!")
        steps, _, extras = main.partition("~")
        number, *steps = read_varints(steps)
        refs = list(itertools.accumulate((step >> 1 for step in steps), operator.sub))
        more = iter(read_varints(extras))
        frequencies = [next(more) + 2 if step & 1 else 1 for step in steps]
        lengths = read_varints(lengths) if number != FIELDS.index("body") else [0] * len(refs)
        fields[number] = list(zip(refs, frequencies, lengths))
    return fields


def encoded(fields: dict[int, list[tuple[int, int, int]]]) -> str:
    """A postings string from field -> (ref, tf, length) triples."""
    return ".".join(encode_field(number, sorted(packed(*fields[number])))
                    for number in sorted(fields))


def packed(*triples: tuple[int, int, int]) -> list[int]:
    return [posting(ref, tf, length) for ref, tf, length in triples]


SPLICES = [
    # appended after the last ref
    ({0: [(2, 1, 5), (5, 2, 7)]}, {}, {0: [(9, 1, 4)]}, {0: [(2, 1, 5), (5, 2, 7), (9, 1, 4)]}),
    # appended with a frequency over 1 where the older postings have none, and the reverse
    ({5: [(1, 1, 0), (3, 1, 0)]}, {}, {5: [(4, 3, 0), (6, 1, 0)]},
     {5: [(1, 1, 0), (3, 1, 0), (4, 3, 0), (6, 1, 0)]}),
    ({0: [(1, 4, 2)]}, {}, {0: [(2, 1, 5)]}, {0: [(1, 4, 2), (2, 1, 5)]}),
    # a new field, and a term new to the shard
    ({5: [(1, 1, 0)]}, {}, {0: [(4, 2, 3)]}, {0: [(4, 2, 3)], 5: [(1, 1, 0)]}),
    ({}, {}, {5: [(3, 1, 0), (0, 2, 0)]}, {5: [(0, 2, 0), (3, 1, 0)]}),
    # an edit in the middle: dropped and added back with new counts
    ({5: [(1, 1, 0), (3, 1, 0), (7, 1, 0)]}, {5: {3}}, {5: [(3, 4, 0)]},
     {5: [(1, 1, 0), (3, 4, 0), (7, 1, 0)]}),
    # dropped from one field only: the other keeps the ref
    ({0: [(3, 1, 2)], 5: [(1, 1, 0), (3, 1, 0)]}, {0: {3}}, {}, {5: [(1, 1, 0), (3, 1, 0)]}),
    # dropped for good: an emptied term is ""
    ({0: [(3, 1, 2)]}, {0: {3}}, {}, {}),
    # several refs in and out of one long field
    ({5: [(1, 1, 0), (3, 1, 0), (7, 1, 0), (10, 2, 0)]}, {5: {1, 10}},
     {5: [(0, 1, 0), (5, 3, 0), (20, 1, 0)]},
     {5: [(0, 1, 0), (3, 1, 0), (5, 3, 0), (7, 1, 0), (20, 1, 0)]}),
]


@pytest.fixture(params=[64, 0], ids=["shallow", "deep"])
def shallow(request, monkeypatch):
    """Splices read the postings before a change one by one, or (0) as arrays (splice_deep)."""
    monkeypatch.setattr("newsarchive.search.shards.SHALLOW", request.param)


@pytest.mark.parametrize("entry, drop, added, spliced", SPLICES)
def test_splice_postings(entry, drop, added, spliced, shallow):
    result = splice_postings(encoded(entry), drop,
                             {number: packed(*triples) for number, triples in added.items()})
    assert result == encoded(spliced)
    assert read_fields(result) == {number: sorted(triples, reverse=True)
                                   for number, triples in spliced.items()}


def test_splicing_a_document_out_and_back_restores_the_shard(shallow):
    docs = [document(a) for a in generated_articles(30)]
    postings = ShardPostings()
    for ref, doc in enumerate(docs):
        postings.add(ref, DocTerms.of(doc, token_keys))
    whole = fragments_of(postings)
    drop: dict[str, dict[int, set[int]]] = {}
    for ref in (3, 17):
        for number, counts in enumerate(DocTerms.of(docs[ref], token_keys).counts):
            for term in counts:
                drop.setdefault(term, {}).setdefault(number, set()).add(ref)
    dropped = splice_shard(whole, drop, ShardPostings())
    assert set(whole) - set(dropped) <= set(drop)
    assert all(3 not in refs and 17 not in refs for refs in fragment_refs(dropped).values())
    assert all(dropped[term] is whole[term] for term in set(whole) - set(drop)), "kept as text"
    back = ShardPostings()
    for ref in (17, 3):  # out of order on purpose
        back.add(ref, DocTerms.of(docs[ref], token_keys))
    assert splice_shard(dropped, {}, back) == whole


def fragment_refs(fragments: dict[str, str]) -> dict[str, list[int]]:
    return {term: [ref for postings in read_fields(text).values() for ref, _, _ in postings]
            for term, text in fragments.items()}


@pytest.mark.parametrize("count", [0, 1, 2, 30])
def test_split_shard_gives_back_the_fragments_of_a_shard(count):
    postings = ShardPostings()
    for ref, article in enumerate(generated_articles(count)):
        postings.add(ref, DocTerms.of(document(article), token_keys))
    fragments = fragments_of(postings)
    text = parse_script(shard_script("index-0", sorted(fragments), fragments).encode().decode())
    assert split_shard(json.dumps(text[1], ensure_ascii=False, separators=(",", ":"))) == fragments


@pytest.mark.parametrize("postings, per_shard, shards", [
    (0, 100, 1), (100, 100, 1), (101, 100, 2), (399, 100, 4), (401, 100, 8),
])
def test_shard_count_is_a_power_of_two(postings, per_shard, shards):
    assert shard_count(postings, per_shard) == shards


@pytest.mark.parametrize("term, shards, expected", [
    ("西宁", 1, 0), ("a", 2 ** 32 - 1, 0xE40C292C), ("西宁", 2 ** 32 - 1, None), ("", 7, 0x811C9DC5 % 7),
])
def test_term_shard_is_fnv1a_over_code_points(term, shards, expected):
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) % 2 ** 32
    assert term_shard(term, shards) == (value % shards if expected is None else expected)


def test_facets_give_date_and_page_runs_and_each_values_refs():
    day = dt.date(2024, 1, 2)
    articles = [Article(id="a", title="题", body="文", date=day, page="A01", topics=["文旅", "其他"],
                        reporters=["施翔"], places=["城东区"]),
                Article(id="b", title="题", body="文", date=day, page="A01", reporters=["施翔", "王艳"]),
                Article(id="c", title="题", body="文", date=day, page="A02", topics=["文旅"]),
                Article(id="d", title="题", body="文", reporters=["施翔"], places=["城东区", "城西区"])]
    found = facets(articles, ["每月一题", "主题教育", "文旅"])
    assert found["dates"] == [(day - dt.date(1970, 1, 1)).days, 3, None, 1]
    assert found["pages"] == {"values": ["A01", "A02"], "runs": [0, 2, 1, 1, -1, 1]}
    assert found["topics"] == {"values": ["每月一题", "主题教育", "文旅"], "refs": [[], [], [0, 2]]}
    assert found["reporters"] == {"values": ["施翔", "王艳"], "refs": [[0, 1, 2], [1]]}
    assert found["places"] == {"values": ["城东区", "城西区"], "refs": [[0, 3], [3]]}


@pytest.mark.parametrize("values, encoded", [
    ([], []), ([5], [5, 1]), ([5, 5, 5, 6, 5], [5, 3, 6, 1, 5, 1]), ([None, None, 1], [None, 2, 1, 1]),
])
def test_runs(values, encoded):
    assert runs(values) == encoded


def test_script_text_escapes_markup_and_line_separators():
    value = {"text": "a</script><!--\u2028b\u2029c"}
    text = script_text("docs-0", value)
    assert "</" not in text and "<!--" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert parse_script(text) == ("docs-0", value)


def test_writes_manifest_shards_and_lunr(tmp_path):
    site = make_site()
    write_search_data(site, tmp_path, postings_per_shard=2000, docs_per_shard=7)
    search = tmp_path / "search"
    _, manifest = read_script(search / "manifest.js")
    shards, documents = manifest["indexShards"], manifest["documents"]
    doc_shards = -(-documents // 7)
    assert sorted(p.name for p in search.iterdir()) == sorted(
        ["manifest.js", "lunr.min.js", *(f"facets-{kind}.js" for kind in FACET_KINDS),
         *(f"variants-{n}.js" for n in range(manifest["variantShards"])),
         *(f"index-{n}.js" for n in range(shards)),
         *(f"chars-{n}.js" for n in range(manifest["charsShards"])),
         *(f"lengths-{kind}-0.js" for kind in ("index", "chars")),
         *(f"docs-{n}.js" for n in range(doc_shards))])
    assert manifest["charsShards"] > 1
    assert documents == len(site.articles) and manifest["docsPerShard"] == 7 and shards > 3
    assert manifest["fields"] == ["title", "kicker", "subtitle", "people", "tags", "body"]
    assert manifest["boosts"] == [10, 3, 3, 3, 3, 1]
    assert manifest["fieldLengths"] == [sum(len(tokenize(texts[n])) for texts in
                                            map(field_texts, map(document, site.articles)))
                                        for n in range(6)]
    han = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
    assert manifest["charsFieldLengths"] == [sum(len(han.findall(texts[n])) for texts in
                                                 map(field_texts, map(document, site.articles)))
                                             for n in range(6)]
    assert manifest["years"] == [2025, 2024, 2023]
    assert manifest["topics"] == ["每月一题", "主题教育", "文旅"]
    docs = [doc for n in range(doc_shards) for doc in read_script(search / f"docs-{n}.js")[1]]
    assert [d["id"] for d in docs] == sorted(a.id for a in site.articles)
    terms = set()
    for number in range(shards):
        _, shard = read_script(search / f"index-{number}.js")
        shard_terms = shard["terms"].split(" ")
        assert all(term_shard(term, shards) == number for term in shard_terms)
        assert shard_terms == sorted(shard_terms)
        terms.update(shard_terms)
    assert {"围炉", "煮茶", "top20", "app", "施翔"} <= terms
    chars = {}
    for number in range(manifest["charsShards"]):
        _, shard = read_script(search / f"chars-{number}.js")
        chars.update(split_shard(script_value((search / f"chars-{number}.js").read_text())))
        assert all(term_shard(term, manifest["charsShards"]) == number
                   for term in shard["terms"].split(" "))
    assert all(len(term) == 1 and han.fullmatch(term) for term in chars)
    with_tea = [n for n, d in enumerate(docs) if "茶" in "".join(field_texts(d))]
    assert with_tea and sorted(set(fragment_refs({"茶": chars["茶"]})["茶"])) == with_tea
    for kind, count in (("index", tokenize), ("chars", han.findall)):
        _, lengths = read_script(search / f"lengths-{kind}-0.js")
        assert read_varints(lengths) == [len(count(field_texts(d)[5])) for d in docs]
    assert not any(" " in term or len(term) > 2 and re.search("[\u4e00-\u9fff]", term)
                   for term in terms), "Han terms are bigrams or single characters"
    app = next(d for d in docs if d["id"] == "2025-01-02-a02-01")
    assert app["url"] == "articles/2025-01-02-a02-01.html"
    assert app["date"] == "2025-01-02" and app["year"] == 2025 and app["page"] == "A02"
    assert app["body"] == "小标题\n用户通过 App 领取 12 月 21 日的消费券。"
    _, topics = read_script(search / "facets-topics.js")
    assert docs.index(app) in itertools.accumulate(topics["refs"][2])
    assert manifest["months"] == ["2023-12", "2025-01"]
    assert (search / "lunr.min.js").read_bytes() == \
        (ROOT / "node_modules" / "lunr" / "lunr.min.js").read_bytes()


def test_shards_are_sized_by_the_corpus(tmp_path):
    write_search_data(make_site(), tmp_path / "small", postings_per_shard=10 ** 9)
    write_search_data(make_site(), tmp_path / "large", postings_per_shard=1000)
    assert read_script(tmp_path / "small" / "search" / "manifest.js")[1]["indexShards"] == 1
    assert read_script(tmp_path / "large" / "search" / "manifest.js")[1]["indexShards"] > 5


def test_hostile_text_is_kept_exactly_but_inert_in_the_data_files(tmp_path):
    write_search_data(make_site(extra_articles()), tmp_path, docs_per_shard=2)
    raw = (tmp_path / "search" / "docs-0.js").read_text(encoding="utf-8")
    assert "<" not in raw and "\u2028" not in raw and "\u2029" not in raw
    assert "<" not in (tmp_path / "search" / "index-0.js").read_text(encoding="utf-8")
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    hostile = next(d for d in docs if d["title"] == HOSTILE_TITLE)
    assert hostile["body"] == HOSTILE_BODY


def test_output_is_deterministic(tmp_path):
    articles = articles_from_seeds() + extra_articles()
    write_search_data(make_site(articles), tmp_path / "a")
    write_search_data(make_site(list(reversed(articles))), tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / "search").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b" / "search").iterdir())
    for name in names:
        assert (tmp_path / "a" / "search" / name).read_bytes() == \
            (tmp_path / "b" / "search" / name).read_bytes(), name


def test_an_article_without_date_or_page(tmp_path):
    article = replace(extra_articles()[0], date=None, page=None, topics=[])
    write_search_data(make_site([article]), tmp_path)
    _, docs = read_script(tmp_path / "search" / "docs-0.js")
    _, manifest = read_script(tmp_path / "search" / "manifest.js")
    assert docs[0]["date"] is None and docs[0]["year"] is None and manifest["years"] == []


def test_files_handed_to_write_are_the_files_a_build_returns():
    site = make_site(generated_articles(30))
    kept = search_output(site, None, None)
    handed: dict[str, bytes] = {}
    streamed = search_output(site, None, None, write=handed.__setitem__)
    assert handed == kept.changed and streamed.changed == {}
    assert sorted(streamed.written) == sorted(handed) == kept.names
    assert streamed.state.digests == kept.state.digests


@pytest.mark.parametrize("chunk", [1, 500])
def test_a_field_too_long_to_index_names_its_article(monkeypatch, chunk):
    monkeypatch.setattr("newsarchive.search.index.FIELD_MASK", 20)
    monkeypatch.setattr("newsarchive.search.index.CHUNK_DOCS", chunk)
    articles = [replace(extra_articles()[0], id=f"2024-01-0{day}-a01-01", title="短讯",
                        body="短文" * (day * 4)) for day in range(1, 5)]
    with pytest.raises(ArchiveError, match="2024-01-03-a01-01 is too long"):
        search_output(make_site(articles), None, None)


def test_an_empty_archive_still_gets_loadable_search_data(tmp_path):
    write_search_data(make_site([]), tmp_path)
    _, index = read_script(tmp_path / "search" / "index-0.js")
    _, manifest = read_script(tmp_path / "search" / "manifest.js")
    assert manifest["documents"] == 0 and manifest["indexShards"] == 1 and index["terms"] == ""
    assert not (tmp_path / "search" / "docs-0.js").exists()
    assert not (tmp_path / "search" / "lengths-index-0.js").exists()


def test_missing_lunr_says_to_run_npm_ci(tmp_path):
    with pytest.raises(ArchiveError) as caught:
        find_lunr_script([tmp_path / "a" / LUNR_FILE, tmp_path / "b" / LUNR_FILE])
    assert "npm ci" in str(caught.value) and str(tmp_path / "a") in str(caught.value)


def test_lunr_found_beside_site_yaml_first(tmp_path):
    (tmp_path / "site" / "node_modules" / "lunr").mkdir(parents=True)
    (tmp_path / "site" / "node_modules" / "lunr" / "lunr.min.js").write_text("/* site */")
    assert find_lunr_script(lunr_candidates(tmp_path / "site")).read_text() == "/* site */"
    assert find_lunr_script(lunr_candidates(tmp_path / "none")) == \
        ROOT / "node_modules/lunr/lunr.min.js"


def search_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "search").iterdir())}


def site_files(out: Path) -> dict[str, bytes]:
    """Every file under out, by site-relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def apply(out: Path, output: SearchOutput) -> None:
    """What the build does with an output: write the changed files, keep the other names."""
    for name, data in output.changed.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    for name in set(site_files(out)) - set(output.names):
        (out / name).unlink()


def refuse_full_builds(monkeypatch):
    """From here on a build from scratch fails: proof that a call took the incremental path
    (which keeps the traditional/simplified table's files as they are, unread)."""
    monkeypatch.setattr("newsarchive.search.index.build_index",
                        lambda *args, **kwargs: pytest.fail("built from scratch"))
    monkeypatch.setattr("newsarchive.search.index.variant_shards",
                        lambda *args, **kwargs: pytest.fail("the table's files made again"))


def edited(articles: list[Article], index: int, extra: str) -> list[Article]:
    return [replace(a, body=a.body + extra) if n == index else a for n, a in enumerate(articles)]


def rebuild(tmp_path: Path, first: list[Article], second: list[Article], incremental=None,
            **tuning) -> tuple[dict, SearchOutput, dict]:
    """Files of `first`, the output of `second` made from first's state and output folder
    (then applied to it), and the files of `second` from scratch. With `incremental` (pytest's
    monkeypatch), the second output must not be built from scratch."""
    out = tmp_path / "out"
    output = search_output(make_site(first), None, None, **tuning)
    assert set(output.changed) == set(output.names)
    apply(out, output)
    state = kept(output.state)
    before = site_files(out)
    if incremental is not None:
        refuse_full_builds(incremental)
    output = search_output(make_site(second), state, out, **tuning)
    if incremental is not None:
        incremental.undo()
    apply(out, output)
    cold = search_output(make_site(second), None, None, **tuning)
    assert site_files(out) == cold.changed, "equal to a build from scratch"
    return before, output, cold.changed


def kept(state: IndexState) -> IndexState:
    """The state as the next build gets it: through the build cache's pickle."""
    return pickle.loads(pickle.dumps(state))


def differing(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {name for name in after if before.get(name) != after[name]}


def test_a_no_op_rebuild_changes_nothing(tmp_path, monkeypatch):
    articles = generated_articles(120)
    before, output, cold = rebuild(tmp_path, articles, articles, monkeypatch,
                                   postings_per_shard=500)
    assert before == cold and output.changed == {} and output.state is None
    assert output.names == sorted(cold)


def test_an_edit_changes_exactly_the_files_that_differ(tmp_path, monkeypatch, shallow):
    articles = generated_articles(120)
    changed_articles = edited(articles, 40, "\n\n新增段落：冰雪嘉年华Ｘ２０２５开幕。")
    before, output, cold = rebuild(tmp_path, articles, changed_articles, monkeypatch,
                                   postings_per_shard=500)
    assert set(output.changed) == differing(before, cold)
    manifest = parse_script_text(cold["search/manifest.js"].decode())
    shards = manifest["indexShards"]
    assert shards >= 16
    ref = sorted(articles, key=lambda a: a.id).index(articles[40])
    docs_file = f"search/docs-{ref // manifest['docsPerShard']}.js"

    def moved(count_terms) -> set[str]:
        """The terms whose count changed in some field: their postings are all that changes."""
        old, new = (DocTerms.of(document(a[40]), count_terms) for a in (articles, changed_articles))
        return {term for was, now in zip(old.counts, new.counts) for term in was.keys() | now.keys()
                if was.get(term) != now.get(term)}

    terms, chars = moved(token_keys), moved(han_keys)
    assert "冰雪" in terms and "新增" in terms and len(terms) < 30  # a paragraph's worth
    allowed = {"search/manifest.js", docs_file, "search/lengths-index-0.js",
               "search/lengths-chars-0.js"} | \
        {f"search/index-{term_shard(t, shards)}.js" for t in terms} | \
        {f"search/chars-{term_shard(c, manifest['charsShards'])}.js" for c in chars}
    assert {"search/manifest.js", docs_file, "search/lengths-index-0.js",
            f"search/index-{term_shard('冰雪', shards)}.js",
            f"search/chars-{term_shard('冰', manifest['charsShards'])}.js"} \
        <= set(output.changed) <= allowed


def test_a_new_day_at_the_end_changes_exactly_the_files_that_differ(tmp_path, monkeypatch):
    articles = generated_articles(120)
    new_day = [Article(id=f"2025-01-01-a01-{n:02d}", title=f"简讯{n}", body=f"冰雪节第{n}场活动开幕。",
                       date=dt.date(2025, 1, 1), topics=["文旅"]) for n in range(3)]
    before, output, cold = rebuild(tmp_path, articles, articles + new_day, monkeypatch,
                                   postings_per_shard=500)
    assert set(output.changed) == differing(before, cold)
    assert {"search/facets-dates.js", "search/manifest.js"} <= set(output.changed)
    assert parse_script_text(cold["search/manifest.js"].decode())["documents"] == 123


@pytest.mark.parametrize("known, docs_per_shard", [(101, 2), (120, 3), (119, 1)])
def test_a_new_days_postings_go_in_front_of_the_shards_as_text(tmp_path, monkeypatch, known,
                                                              docs_per_shard):
    """Articles added after all the others are encoded as a cold build's chunk and put in
    front of each term's postings: no shard is split into postings and spliced."""
    articles = sorted(generated_articles(known + 12, seed=3), key=lambda a: a.id)
    new_day = [replace(article, id=f"2099-01-01-a01-{n:02d}", date=dt.date(2099, 1, 1))
               for n, article in enumerate(articles[known:])]
    monkeypatch.setattr("newsarchive.search.index.splice_shard",
                        lambda *args: pytest.fail("a shard spliced"))
    before, output, cold = rebuild(tmp_path, articles[:known], articles[:known] + new_day,
                                   monkeypatch, postings_per_shard=350,
                                   docs_per_shard=docs_per_shard)
    assert set(output.changed) == differing(before, cold)
    shards = parse_script_text(cold["search/manifest.js"].decode())["indexShards"]
    assert sum(name.startswith("search/index-") for name in output.changed) > shards // 4


def tier_files(names, tier: str) -> set[str]:
    return {name for name in names if re.fullmatch(f"search/{tier}-[0-9]+\\.js", name)}


@pytest.mark.parametrize("added, closes", [(3, False), (7, False), (8, True), (10, True)])
def test_a_new_day_writes_the_recent_tier_and_the_older_shards_only_once_it_is_whole(
        tmp_path, monkeypatch, added, closes):
    """120 articles in tiers of 32: the 24 after 96 are the recent tier. A day that leaves it
    short of 32 rewrites its shards and none of the older ones; a day that fills it puts its
    documents in front of the older shards' postings. Either gives the cold build's files."""
    articles = sorted(generated_articles(120 + added, seed=5), key=lambda a: a.id)
    new_day = [replace(article, id=f"2099-01-01-a01-{n:02d}", date=dt.date(2099, 1, 1))
               for n, article in enumerate(articles[120:])]
    monkeypatch.setattr("newsarchive.search.index.splice_shard",
                        lambda *args: pytest.fail("a shard spliced"))
    before, output, cold = rebuild(tmp_path, articles[:120], articles[:120] + new_day,
                                   monkeypatch, postings_per_shard=300, recent_docs=32)
    assert set(output.changed) == differing(before, cold)
    old_manifest = parse_script_text(before["search/manifest.js"].decode())
    manifest = parse_script_text(cold["search/manifest.js"].decode())
    assert old_manifest["recentFrom"] == 96
    assert manifest["recentFrom"] == (128 if closes else 96)
    assert manifest["indexShards"] >= 8 and old_manifest["indexRecentShards"] >= 2
    older = tier_files(output.changed, "index") | tier_files(output.changed, "chars")
    assert bool(older) == closes
    if closes:
        assert len(tier_files(output.changed, "index")) > manifest["indexShards"] // 4
    if added < 8:
        assert tier_files(output.changed, "index-recent") and \
            tier_files(output.changed, "chars-recent")
    if added == 8:  # the day fills the tier and no more: no recent tier is left
        assert manifest["indexRecentShards"] == manifest["charsRecentShards"] == 0
        assert not tier_files(cold, "index-recent") and tier_files(before, "index-recent")


@pytest.mark.parametrize("edited_at", [10, 110])
def test_an_edit_changes_the_shards_of_its_own_tier(tmp_path, monkeypatch, edited_at):
    articles = sorted(generated_articles(120, seed=6), key=lambda a: a.id)
    changed_articles = edited(articles, edited_at, "\n\n新增段落：冰雪嘉年华开幕。")
    before, output, cold = rebuild(tmp_path, articles, changed_articles, monkeypatch,
                                   postings_per_shard=300, recent_docs=32)
    assert set(output.changed) == differing(before, cold)
    recent = edited_at >= 96
    assert bool(tier_files(output.changed, "index-recent")) == recent
    assert bool(tier_files(output.changed, "index")) == (not recent)


@pytest.mark.parametrize("removed", [10, 100])
def test_a_deletion_in_either_tier_gives_the_cold_output(tmp_path, removed):
    articles = sorted(generated_articles(130, seed=7), key=lambda a: a.id)
    rebuild(tmp_path, articles, articles[:removed] + articles[removed + 1:],
            postings_per_shard=300, recent_docs=32)


@pytest.mark.parametrize("day, extended", [
    ({"reporters": ["施翔"]}, True),                # values the archive has: facets extended
    ({"reporters": ["王艳"], "same_date": True}, True),  # the last day's run goes on
    ({"reporters": ["新来的记者"]}, False),          # a reporter new to the archive
    ({"page": "A01"}, False),                        # a page label new to it
    ({"places": ["城东区"]}, False),                 # a place new to it
])
def test_a_new_days_facets_extend_the_previous_ones_unless_a_value_is_new(
        tmp_path, monkeypatch, day, extended):
    from newsarchive.search import index
    articles = generated_articles(120)
    last = max(articles, key=lambda a: a.id)
    fields = {key: value for key, value in day.items() if key != "same_date"}
    new_day = [Article(id=f"{last.id}-{n}" if day.get("same_date") else f"2025-01-01-a01-{n:02d}",
                       title=f"简讯{n}", body=f"冰雪节第{n}场活动开幕。", topics=["文旅"],
                       date=last.date if day.get("same_date") else dt.date(2025, 1, 1), **fields)
               for n in range(3)]
    sizes = []
    real = index.facets
    monkeypatch.setattr(index, "facets", lambda articles, *rest: sizes.append(len(articles))
                        or real(articles, *rest))
    before, output, cold = rebuild(tmp_path, articles, articles + new_day, postings_per_shard=500)
    assert set(output.changed) == differing(before, cold)
    assert sizes == ([120, 3, 123] if extended else [120, 3, 123, 123])


def test_articles_the_content_cache_vouches_for_are_not_hashed_again(tmp_path, monkeypatch):
    articles = generated_articles(120)
    changed_articles = edited(articles, 40, "\n\n冰雪嘉年华开幕。")
    out = tmp_path / "out"
    output = search_output(make_site(articles), None, None, postings_per_shard=500)
    apply(out, output)
    state = kept(output.state)
    hashed = []
    monkeypatch.setattr("newsarchive.search.index.article_hash",
                        lambda article: hashed.append(article.id) or article_hash(article))
    monkeypatch.setattr("newsarchive.search.index.facets",
                        lambda *args: pytest.fail("no filter value changed"))
    output = search_output(make_site(changed_articles), state, out, postings_per_shard=500,
                           changed_ids={articles[40].id})
    monkeypatch.undo()
    assert hashed == [articles[40].id]
    apply(out, output)
    cold = search_output(make_site(changed_articles), None, None, postings_per_shard=500)
    assert site_files(out) == cold.changed


def test_an_edit_of_what_filters_read_rewrites_the_facets(tmp_path):
    articles = generated_articles(120)
    changed = [replace(a, reporters=["新记者"]) if n == 40 else a for n, a in enumerate(articles)]
    before, output, cold = rebuild(tmp_path, articles, changed, postings_per_shard=500,
                                   changed_ids={articles[40].id})
    assert "search/facets-reporters.js" in output.changed
    assert set(output.changed) == differing(before, cold)


@pytest.mark.parametrize("removed", [0, 59, 120])
def test_a_deletion_changes_exactly_the_files_that_differ(tmp_path, removed, shallow):
    articles = sorted(generated_articles(121), key=lambda a: a.id)
    before, output, cold = rebuild(tmp_path, articles, articles[:removed] + articles[removed + 1:],
                                   postings_per_shard=500, docs_per_shard=3)
    assert set(output.changed) == differing(before, cold)
    assert "search/docs-40.js" in before and "search/docs-40.js" not in output.names


def test_an_article_inserted_before_the_end_gives_the_cold_output(tmp_path, shallow):
    articles = sorted(generated_articles(60), key=lambda a: a.id)
    before, output, cold = rebuild(tmp_path, articles[1:], articles)
    assert set(output.changed) == differing(before, cold)


def test_a_large_addition_gives_the_cold_output(tmp_path):
    """Many new articles touch most terms: they are built from scratch, with the same output."""
    articles = sorted(generated_articles(130), key=lambda a: a.id)
    before, output, cold = rebuild(tmp_path, articles[:65], articles)
    assert set(output.changed) == differing(before, cold)


def test_a_previous_file_that_is_not_the_cached_one_is_never_read(tmp_path):
    articles = generated_articles(120)
    out = tmp_path / "out"
    output = search_output(make_site(articles), None, None, postings_per_shard=500)
    apply(out, output)
    state = kept(output.state)
    before = site_files(out)
    changed_articles = edited(articles, 40, "\n\n冰雪嘉年华开幕。")
    cold = search_output(make_site(changed_articles), None, None, postings_per_shard=500).changed
    # Damage every index file the edit would read: the update must notice, not build on them.
    for name in cold:
        if name.startswith("search/index-"):
            data = (out / name).read_bytes()
            damaged = data.replace(b'"terms":"', b'"terms":"x ', 1)
            assert damaged != data
            (out / name).write_bytes(damaged)
    output = search_output(make_site(changed_articles), state, out, postings_per_shard=500)
    assert set(output.changed) == differing(before, cold)
    assert all(data == cold[name] for name, data in output.changed.items())


def test_without_a_previous_output_every_file_is_changed(tmp_path):
    articles = generated_articles(20)
    first = search_output(make_site(articles), None, None)
    again = search_output(make_site(articles), kept(first.state), None)
    assert again.changed == first.changed and set(again.changed) == set(again.names)


def test_the_cache_is_small_beside_the_index(tmp_path):
    articles = generated_articles(300)
    output = search_output(make_site(articles), None, None)
    size = len(pickle.dumps(output.state, protocol=pickle.HIGHEST_PROTOCOL))
    assert size * 10 < sum(map(len, output.changed.values()))


def test_a_cache_for_other_code_or_settings_is_ignored(tmp_path, monkeypatch):
    out = tmp_path / "out"
    output = search_output(make_site(generated_articles(20)), None, None)
    apply(out, output)
    state = kept(output.state)
    for setting in ({"docs_per_shard": 3}, {"postings_per_shard": 100}):
        again = search_output(make_site(generated_articles(20)), state, out, **setting)
        assert set(again.changed) == set(again.names)
    monkeypatch.setattr("newsarchive.search.index.code_version", lambda: "other code")
    monkeypatch.setattr("newsarchive.search.index.update_index",
                        lambda *a, **k: pytest.fail("reused"))
    again = search_output(make_site(generated_articles(20)), state, out)
    assert again.changed == output.changed


def test_write_search_data_writes_every_file(tmp_path):
    site = make_site(generated_articles(20))
    (tmp_path / "search").mkdir()
    (tmp_path / "search" / "docs-99.js").write_text("stale")
    write_search_data(site, tmp_path)
    assert site_files(tmp_path) == search_output(site, None, None).changed


def test_the_output_is_the_same_for_any_number_of_workers(tmp_path):
    site = make_site(generated_articles(150))
    write_search_data(site, tmp_path / "one", workers=1, postings_per_shard=500)
    write_search_data(site, tmp_path / "three", workers=3, postings_per_shard=500)
    assert search_files(tmp_path / "one") == search_files(tmp_path / "three")
    # Tiers whose start is no multiple of a chunk (or of docs per file: made one)
    for recent_docs in (50, 49):
        write_search_data(site, tmp_path / f"one-{recent_docs}", workers=1,
                          postings_per_shard=500, docs_per_shard=2, recent_docs=recent_docs)
        write_search_data(site, tmp_path / f"three-{recent_docs}", workers=3,
                          postings_per_shard=500, docs_per_shard=2, recent_docs=recent_docs)
        files = search_files(tmp_path / f"one-{recent_docs}")
        assert files == search_files(tmp_path / f"three-{recent_docs}")
        tier = recent_docs // 2 * 2  # whole files of two documents
        assert parse_script_text(files["manifest.js"].decode())["recentFrom"] == 150 - 150 % tier


@pytest.mark.parametrize("text, simplified", [
    ("圍爐煮茶", "围炉煮茶"), ("围炉煮茶", "围炉煮茶"), ("發展與髮型", "发展与发型"), ("乾隆", "干隆"),
    ("薴", "苎"), ("臺灣 West", "台湾 West"), ("\U00020000圍", "\U00020000围"), ("", ""),
])
def test_simplify_folds_one_character_for_one(text, simplified):
    assert simplify(text) == simplified and len(simplify(text)) == len(text)


def test_variant_classes_put_each_character_where_the_page_looks_for_it():
    classes = variant_classes()
    assert "围圍" in classes and "发發髮" in classes and "苎苧薴" in classes
    assert all(simplify(group) == group[0] * len(group) for group in classes)
    assert len(set("".join(classes))) == len("".join(classes)), "a character is in one class"
    files = [set(text.split(" ")) for text in variant_shards(8)]
    for group in classes[::50]:
        assert all(group in files[term_shard(character, 8)] for character in group)


@pytest.mark.parametrize("text, pairs", [
    ("围炉煮茶", ""), ("", ""), ("圍爐煮茶，圍", "圍围爐炉"), ("發展與髮型", "發发與与髮发"),
    ("臺灣 West", "灣湾臺台"), ("\U0002005e字", "\U0002005e\U0002003e"), ("\U00020000圍", "圍围"),
])
def test_a_document_names_its_traditional_characters_in_code_point_order(text, pairs):
    assert traditional_pairs(text) == pairs


def test_a_stored_document_carries_its_variants_only_when_it_has_traditional_characters():
    simplified, traditional = articles_from_seeds()[0], extra_articles()[2]
    assert "variants" not in document(simplified)
    assert document(traditional)["variants"] == "來来嘗尝寧宁灣湾聯联臺台親亲誼谊鄉乡"


@pytest.mark.parametrize("documents, files", [(0, 8), (13, 8), (1000, 16), (3000, 32), (30_000, 256),
                                              (10 ** 6, 256)])
def test_variant_files_grow_with_the_archive(documents, files):
    assert variant_shard_count(documents) == files
