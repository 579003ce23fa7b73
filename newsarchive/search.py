"""Offline full-text search: a Chinese bigram tokenizer, a lunr index and a document store.

Everything is written as classic `<script>` files under `_site/search/`, because browsers block
fetch(), XHR, import() and workers of local files: script elements are what works from file://.
The index is split by term and the documents by range, so a query loads only the shards it needs.
The browser half (static/js/search.js) mirrors the tokenizer; tests/vectors/tokenizer.json keeps
the two in step.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

from lunr.builder import Builder

from .errors import ArchiveError
from .model import Article, Site
from .urls import article_path

# Han: CJK radicals and Kangxi radicals (PDF extraction emits them for ordinary characters),
# 〇, extension A, the unified block, compatibility ideographs, and planes 2-3 (ext. B-I).
HAN = "\u2e80-\u2fdf\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# Letters and digits that make words; × and ÷ are left out of Latin-1 on purpose.
WORD = ("0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0386\u0388-\u03ce"
        "\u0400-\u045f")
RUN_RE = re.compile(f"([{HAN}]+)|([{WORD}]+)")
# Full-width ASCII (Ａ, １, ，) folds to ASCII and the ideographic space to a space: one character
# for one, so offsets in the folded text are offsets in the original.
FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

SCRIPT_GLOBAL = "newsarchiveSearch"
FORMAT_VERSION = 2
POSTINGS_PER_SHARD = 5000  # about 50 KB of script per index shard
DOCS_PER_SHARD = 10        # small, since the 20 results a page shows come from anywhere
FIELD_BOOSTS = {"title": 10, "kicker": 3, "subtitle": 3, "people": 3, "tags": 3, "body": 1}
HEADING_RE = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
ESCAPED_PUNCTUATION_RE = re.compile(r"\\([!-/:-@\[-`{-~])")


def fold(text: str) -> str:
    """Width- and case-fold `text` for matching, keeping its length."""
    wide = text.translate(FOLD_TABLE)
    lowered = wide.lower()
    if len(lowered) == len(wide):
        return lowered
    # A few capitals lower to two characters (İ → i + dot): keep the first, so lengths hold.
    return "".join(c.lower()[0] for c in wide)


def tokenize(text: str) -> list[str]:
    """Han runs as overlapping bigrams (one character alone), words lowercased, the rest dropped."""
    tokens: list[str] = []
    for match in RUN_RE.finditer(fold(text)):
        han, word = match.groups()
        if word:
            tokens.append(word)
        elif len(han) == 1:
            tokens.append(han)
        else:
            tokens.extend(han[i:i + 2] for i in range(len(han) - 1))
    return tokens


def plain_body(markdown: str) -> str:
    """The body as readers see it: heading marks and backslash escapes removed, paragraphs kept."""
    text = ESCAPED_PUNCTUATION_RE.sub(r"\1", HEADING_RE.sub("", markdown))
    return re.sub(r"\n{2,}", "\n", text.strip("\n"))


def document(article: Article) -> dict:
    """The stored record of one article: what results show and what phrase checks read."""
    return {
        "id": article.id,
        "url": article_path(article.id),
        "title": article.title,
        "kicker": article.kicker,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "reporters": article.reporters,
        "tags": article.tags,
        "topics": article.topics,
        "date": article.date.isoformat() if article.date else None,
        "year": article.date.year if article.date else None,
        "page": article.page,
        "paper": article.paper,
        "body": plain_body(article.body),
    }


def _field_tokens(doc: dict) -> dict:
    people = " ".join(filter(None, [doc["byline"], *doc["reporters"]]))
    return {
        "ref": doc["ref"],
        "title": tokenize(doc["title"]),
        "kicker": tokenize(doc["kicker"] or ""),
        "subtitle": tokenize(doc["subtitle"] or ""),
        "people": tokenize(people),
        "tags": tokenize(" ".join(doc["tags"])),
        "body": tokenize(doc["body"]),
    }


def build_index(docs: list[dict]) -> dict:
    """The serialized lunr index over the documents' tokens, refs being their positions."""
    if not docs:  # lunr divides by the document count
        return {"version": "2.3.9", "fields": list(FIELD_BOOSTS), "fieldVectors": [],
                "invertedIndex": [], "pipeline": []}
    builder = Builder()  # a bare Builder: no trimmer, stop words or stemmer, which break Chinese
    builder.ref("ref")
    for field, boost in FIELD_BOOSTS.items():
        builder.field(field, boost=boost)
    for ref, doc in enumerate(docs):
        # Lists bypass lunr's whitespace tokenizer: each element is taken as one token.
        builder.add(_field_tokens({**doc, "ref": str(ref)}))
    return builder.build().serialize()


def term_shard(term: str, shards: int) -> int:
    """The index shard holding `term`: FNV-1a over its code points (search.js computes the same)."""
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def split_index(serialized: dict, shards: int) -> list[dict]:
    """lunr's serialized index as `shards` term shards, each {terms, postings}, compact.

    A term's postings are [field, ref, weight, ref, weight, …] per field holding it, weight
    being the term's element in lunr's field vector: all a lunr.Index over the shard's terms
    needs, so search.js rebuilds one per shard. Terms keep lunr's term-index order.
    """
    fields = serialized["fields"]
    vectors = []  # (ref, field number, elements), in ref order so postings list refs ascending
    for field_ref, elements in serialized["fieldVectors"]:
        field_name, ref = field_ref.split("/", 1)
        vectors.append((int(ref), fields.index(field_name), elements))
    postings: dict[int, dict[int, list]] = {}  # term index -> field number -> [ref, weight, …]
    for ref, field, elements in sorted(vectors, key=lambda item: item[:2]):
        for position in range(0, len(elements), 2):
            per_field = postings.setdefault(elements[position], {})
            per_field.setdefault(field, []).extend((ref, elements[position + 1]))
    out = [{"terms": [], "postings": []} for _ in range(shards)]
    for term, posting in sorted(serialized["invertedIndex"], key=lambda item: item[1]["_index"]):
        shard = out[term_shard(term, shards)]
        shard["terms"].append(term)
        by_field = postings.get(posting["_index"], {})
        shard["postings"].append([[field, *by_field[field]] for field in sorted(by_field)])
    return out


def facets(docs: list[dict], topics: list[str]) -> list[list[int]]:
    """Per document [year or 0, topic number, …]: what the filters need without the texts."""
    return [[doc["year"] or 0, *(topics.index(t) for t in doc["topics"] if t in topics)]
            for doc in docs]


def script_text(name: str, value: object) -> str:
    """A classic script registering `value` as window.newsarchiveSearch[name], safe to load."""
    data = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # `<` only occurs inside JSON strings: escaping it keeps `</script>` and `<!--` inert even if
    # the data is ever inlined; U+2028/2029 are line breaks to older JavaScript parsers.
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (f"window.{SCRIPT_GLOBAL}=window.{SCRIPT_GLOBAL}||{{}};\n"
            f"window.{SCRIPT_GLOBAL}[{json.dumps(name)}]={data};\n")


def find_lunr_script(roots: list[Path]) -> Path:
    """lunr.min.js from the first root's node_modules that has it, or an error saying what to do."""
    for root in roots:
        candidate = root / "node_modules" / "lunr" / "lunr.min.js"
        if candidate.is_file():
            return candidate
    raise ArchiveError("lunr.min.js is missing: run `npm ci` in the project folder to install "
                       "the npm packages", roots[0] / "node_modules" / "lunr")


def write_search_data(site: Site, out_dir: Path, *, postings_per_shard: int = POSTINGS_PER_SHARD,
                      docs_per_shard: int = DOCS_PER_SHARD) -> None:
    """Write the search index and document data under out_dir/search/ (see README, Search)."""
    lunr_script = find_lunr_script([site.config.root, Path(__file__).resolve().parent.parent])
    docs = [document(article) for article in sorted(site.articles, key=lambda a: a.id)]
    serialized = build_index(docs)
    posting_count = sum(len(elements) // 2 for _, elements in serialized["fieldVectors"])
    # Shards sized by the corpus: a query loads the few shards of its terms and the documents of
    # the results it shows, not the whole archive.
    index_shards = max(1, math.ceil(posting_count / postings_per_shard))
    topics = [t.name for t in site.config.topics]
    manifest = {
        "format": FORMAT_VERSION,
        "documents": len(docs),
        "fields": serialized["fields"],
        "indexShards": index_shards,
        "docsPerShard": docs_per_shard,
        "topics": topics,
        "years": sorted({d["year"] for d in docs if d["year"] is not None}, reverse=True),
    }
    files: dict[str, object] = {"manifest": manifest, "facets": facets(docs, topics)}
    for number, shard in enumerate(split_index(serialized, index_shards)):
        files[f"index-{number}"] = shard
    for first in range(0, len(docs), docs_per_shard):
        files[f"docs-{first // docs_per_shard}"] = docs[first:first + docs_per_shard]
    search_dir = out_dir / "search"
    search_dir.mkdir(parents=True, exist_ok=True)
    for name, value in files.items():
        (search_dir / f"{name}.js").write_text(script_text(name, value), encoding="utf-8")
    shutil.copyfile(lunr_script, search_dir / "lunr.min.js")
