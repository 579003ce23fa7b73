"""Offline full-text search: a Chinese bigram tokenizer, a lunr index and a document store.

Everything is written as classic `<script>` files under `_site/search/`, because browsers block
fetch(), XHR, import() and workers of local files: script elements are what works from file://.
The index is split by term and the documents by range, so a query loads only the shards it needs;
the postings are written here directly (search_index.py), lunr.js scores them in the browser. A
cache beside site.yaml lets a rebuild re-encode only the terms of the articles that changed.
The browser half (static/js/search.js) mirrors the tokenizer; tests/vectors/tokenizer.json keeps
the two in step.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
import multiprocessing
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from .errors import ArchiveError
from . import search_index
from .model import Article, Site
from .search_index import (FIELD_BOOSTS, FIELDS, DocTerms, IndexState,
                           ShardPostings, changed_refs, doc_hash, load_state,
                           partition, save_state, shard_count, term_shard)
from .urls import article_path

# Han: CJK radicals and Kangxi radicals (PDF extraction emits them for ordinary characters),
# 〇, extension A, the unified block, compatibility ideographs, and planes 2-3 (ext. B-I).
HAN = "\u2e80-\u2fdf\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# Letters and digits that make words; × and ÷ are left out of Latin-1 on purpose.
WORD = ("0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0386\u0388-\u03ce"
        "\u0400-\u045f")
RUN_RE = re.compile(f"([{HAN}]+)|([{WORD}]+)")
# The same tokens by kind, for counting them in bulk: Han bigrams (overlapping), lone Han
# characters, words.
BIGRAM_RE = re.compile(f"(?=([{HAN}]{{2}}))")
LONE_HAN_RE = re.compile(f"(?<![{HAN}])[{HAN}](?![{HAN}])")
WORD_RE = re.compile(f"[{WORD}]+")
# Full-width ASCII (Ａ, １, ，) folds to ASCII and the ideographic space to a space: one character
# for one, so offsets in the folded text are offsets in the original.
FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

SCRIPT_GLOBAL = "newsarchiveSearch"
FORMAT_VERSION = 3
POSTINGS_PER_SHARD = 5000  # about 50 KB of script per index shard
DOCS_PER_SHARD = 2         # small: the 20 results a page shows, and the candidates a phrase
                           # check reads, come from anywhere in the archive
PARALLEL_FROM = 3000       # documents; below this, starting processes costs more than it saves
PARALLEL_CORES = 4
MAX_WORKERS = 8
SHARDS_PER_TASK = 128
CACHE_DIR = ".newsarchive-cache"
DEFAULT_CACHE = Path(CACHE_DIR, "search.pickle")  # a marker: the cache beside site.yaml
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


def token_counts(text: str) -> Counter:
    """Counter(tokenize(text)), about twice as fast: the index needs counts, not order."""
    folded = fold(text)
    counts = Counter(BIGRAM_RE.findall(folded))
    counts.update(LONE_HAN_RE.findall(folded))
    counts.update(WORD_RE.findall(folded))
    return counts


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


def facets(docs: list[dict], topics: list[str]) -> list[list[int]]:
    """Per document [year or 0, topic number, …]: what the filters need without the texts."""
    return [[doc["year"] or 0, *(topics.index(t) for t in doc["topics"] if t in topics)]
            for doc in docs]


def script_text(name: str, value: object) -> str:
    """A classic script registering `value` as window.newsarchiveSearch[name], safe to load."""
    return wrap_script(name, json.dumps(value, ensure_ascii=False, sort_keys=True,
                                        separators=(",", ":")))


def wrap_script(name: str, data: str) -> str:
    """The script registering the JSON text `data` (see script_text)."""
    # `<` only occurs inside JSON strings: escaping it keeps `</script>` and `<!--` inert even if
    # the data is ever inlined; U+2028/2029 are line breaks to older JavaScript parsers.
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (f"window.{SCRIPT_GLOBAL}=window.{SCRIPT_GLOBAL}||{{}};\n"
            f"window.{SCRIPT_GLOBAL}[{json.dumps(name)}]={data};\n")


def shard_script(number: int, terms: list[str], fragments: dict[str, str]) -> str:
    """Index shard `number` as script_text() writes {terms, postings}, from terms' fragments."""
    postings = ",".join(fragments[term] for term in terms)
    terms_json = json.dumps(terms, ensure_ascii=False, separators=(",", ":"))
    return wrap_script(f"index-{number}", f'{{"postings":[{postings}],"terms":{terms_json}}}')


def find_lunr_script(roots: list[Path]) -> Path:
    """lunr.min.js from the first root's node_modules that has it, or an error saying what to do."""
    for root in roots:
        candidate = root / "node_modules" / "lunr" / "lunr.min.js"
        if candidate.is_file():
            return candidate
    raise ArchiveError("lunr.min.js is missing: run `npm ci` in the project folder to install "
                       "the npm packages", roots[0] / "node_modules" / "lunr")


def parse_script_text(text: str) -> object:
    """The value a script from script_text() registers."""
    return json.loads(text[text.index("]=") + 2:-2])


def write_search_data(site: Site, out_dir: Path, *, postings_per_shard: int = POSTINGS_PER_SHARD,
                      docs_per_shard: int = DOCS_PER_SHARD, cache: Path | None = DEFAULT_CACHE,
                      workers: int = 0) -> None:
    """Write the search index and document data under out_dir/search/ (see README, Search).

    `cache` (by default under the project's .newsarchive-cache/) lets the next call redo only
    the shards an edit touches; None builds from scratch and keeps nothing. `workers` processes
    build the index (0: one per core for a large archive); the output is the same for any number.
    """
    lunr_script = find_lunr_script([site.config.root, Path(__file__).resolve().parent.parent])
    if cache is DEFAULT_CACHE:  # identity: an explicit path is taken as given
        cache = site.config.root / CACHE_DIR / "search.pickle"
    docs = [document(article) for article in sorted(site.articles, key=lambda a: a.id)]
    ids, hashes = [d["id"] for d in docs], [doc_hash(d) for d in docs]
    key = (code_version(), postings_per_shard, docs_per_shard)
    state = load_state(cache, key) if cache else None
    refs = changed_refs(state, ids, hashes) if state else None
    # Past a tenth of the archive, redoing the changed shards costs more than building afresh.
    if refs is not None and len(refs) <= max(50, len(docs) // 10):
        state = update_state(state, docs, ids, hashes, refs, postings_per_shard, docs_per_shard)
    else:
        state = None
    if state is None:
        workers = workers or default_workers(len(docs))
        try:
            state = build_state(docs, ids, hashes, key, postings_per_shard, docs_per_shard, workers)
        except BrokenProcessPool:
            # Workers cannot start where the main script re-runs its work on import (no
            # `if __name__ == "__main__"`): the same output from this process alone.
            state = build_state(docs, ids, hashes, key, postings_per_shard, docs_per_shard, 1)
    topics = [t.name for t in site.config.topics]
    manifest = {
        "format": FORMAT_VERSION,
        "documents": len(docs),
        "fields": list(FIELD_BOOSTS),
        "boosts": list(FIELD_BOOSTS.values()),
        # search.js takes lunr's average field lengths from these totals (total / documents).
        "fieldLengths": [sum(lengths[n] for lengths in state.lengths) for n in range(len(FIELDS))],
        "indexShards": state.shards,
        "docsPerShard": docs_per_shard,
        "topics": topics,
        "years": sorted({d["year"] for d in docs if d["year"] is not None}, reverse=True),
    }
    state.files["manifest"] = script_text("manifest", manifest)
    state.files["facets"] = script_text("facets", facets(docs, topics))
    search_dir = out_dir / "search"
    search_dir.mkdir(parents=True, exist_ok=True)
    for name, text in sorted(state.files.items()):
        (search_dir / f"{name}.js").write_text(text, encoding="utf-8")
    for number, terms in enumerate(state.shard_terms):
        (search_dir / f"index-{number}.js").write_text(
            shard_script(number, terms, state.fragments), encoding="utf-8")
    shutil.copyfile(lunr_script, search_dir / "lunr.min.js")
    if cache and refs != []:  # after a no-op rebuild the cache is already this state
        save_state(cache, state)


def code_version() -> str:
    """A hash of the code that writes the index: a cache from other code is not trusted."""
    digest = hashlib.blake2b(digest_size=8)
    for module in (Path(__file__), Path(search_index.__file__)):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def docs_files(docs: list[dict], numbers: Iterable[int], docs_per_shard: int) -> dict[str, str]:
    """The document shards `numbers` as script texts, by name."""
    files = {}
    for number in numbers:
        name = f"docs-{number}"
        files[name] = script_text(name, docs[number * docs_per_shard:(number + 1) * docs_per_shard])
    return files


def index_chunk(docs: list[dict], first_ref: int) -> tuple[ShardPostings, list[int], list]:
    """Postings, posting counts and field lengths of documents numbered from first_ref."""
    postings = ShardPostings()
    counts, lengths = [], []
    for ref, doc in enumerate(docs, first_ref):
        terms = DocTerms.of(doc, token_counts)
        postings.add(ref, terms)
        counts.append(terms.postings())
        lengths.append(terms.lengths)
    return postings, counts, lengths


def shard_fragments(parts: list[ShardPostings]) -> list[dict[str, str]]:
    """The term fragments (see ShardPostings.fragments) of each shard."""
    return [part.fragments() for part in parts]


def build_state(docs: list[dict], ids: list[str], hashes: list[bytes], key: tuple,
                postings_per_shard: int, docs_per_shard: int, workers: int) -> IndexState:
    """Every data file from scratch, the work split over `workers` processes."""
    size = math.ceil(len(docs) / workers) or 1
    starts = range(0, max(len(docs), 1), size)
    with worker_pool(workers) as pool:
        # Chunks of consecutive refs, merged in order: the postings stay sorted by ref.
        chunks = list(pool.map(index_chunk, [docs[s:s + size] for s in starts], starts))
        postings, counts, lengths = chunks[0]
        for more, more_counts, more_lengths in chunks[1:]:
            postings.extend(more)
            counts += more_counts
            lengths += more_lengths
        shards = shard_count(sum(counts), postings_per_shard)
        parts: list[ShardPostings | None] = partition(postings, shards)
        del postings, chunks  # from here each shard's postings go once encoded (memory)
        shard_terms: list[list[str]] = [[] for _ in parts]
        fragments: dict[str, str] = {}
        groups = [list(range(n, min(n + SHARDS_PER_TASK, shards)))
                  for n in range(0, shards, SHARDS_PER_TASK)]
        for group, results in zip(groups, pool.map(shard_fragments, handed_over(parts, groups))):
            for number, found in zip(group, results):
                shard_terms[number] = sorted(found)
                fragments.update(found)
    files = docs_files(docs, range(math.ceil(len(docs) / docs_per_shard)), docs_per_shard)
    return IndexState(key, ids, hashes, counts, lengths, shards, fragments, shard_terms, files)


def handed_over(parts: list, groups: list[list[int]]):
    """Each group's parts, the list's own references dropped as they go."""
    for group in groups:
        yield [parts[number] for number in group]
        for number in group:
            parts[number] = None


class _Serial:
    """An executor that runs everything here: no processes to start for small archives."""

    def __enter__(self) -> _Serial:
        return self

    def __exit__(self, *exc_info) -> None:
        pass

    def map(self, function, *iterables):
        return map(function, *iterables)


def worker_pool(workers: int):
    """A process pool of `workers`, or this process alone for one."""
    if workers == 1:
        return _Serial()
    # forkserver, not fork: `serve` builds while its server threads run, and forking a
    # threaded process can copy a held lock into the child.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    return ProcessPoolExecutor(workers, mp_context=context)


def default_workers(documents: int) -> int:
    """One process per available core for a large archive on 4+ cores; else this one alone.

    On 2 cores the merge and the transfers between processes ate the gain (10k articles:
    9.6 s alone, 17 s with 2 workers on a busy machine), so workers start only with more.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if documents < PARALLEL_FROM or cores < PARALLEL_CORES:
        return 1
    return min(cores, MAX_WORKERS)


def update_state(state: IndexState, docs: list[dict], ids: list[str], hashes: list[bytes],
                 refs: list[int], postings_per_shard: int, docs_per_shard: int
                 ) -> IndexState | None:
    """The cached state with the documents `refs` redone, or None if the shards must change.

    Only the postings of terms the documents held or hold are decoded and written again.
    """
    old_terms = []
    for ref in refs:
        if ref < len(state.ids):
            old_docs = parse_script_text(state.files[f"docs-{ref // docs_per_shard}"])
            old_terms.append(DocTerms.of(old_docs[ref % docs_per_shard], token_counts).terms())
    new_terms = {ref: DocTerms.of(docs[ref], token_counts) for ref in refs}
    counts = state.postings[:len(docs)] + [0] * (len(docs) - len(state.postings))
    lengths = state.lengths[:len(docs)] + [[]] * (len(docs) - len(state.lengths))
    for ref, terms in new_terms.items():
        counts[ref], lengths[ref] = terms.postings(), terms.lengths
    if shard_count(sum(counts), postings_per_shard) != state.shards:
        return None
    touched = set().union(*old_terms, *(t.terms() for t in new_terms.values()))
    known = sorted(touched & state.fragments.keys())
    # Merging a new day touches the common terms, most of the index: past a third of it, the
    # parallel build from scratch is as quick and lighter on memory.
    touched_bytes = sum(len(state.fragments[term]) for term in known)
    if touched_bytes * 3 > sum(map(len, state.fragments.values())):
        return None
    postings = ShardPostings()
    for term in known:  # one at a time: decoded JSON takes far more memory than the arrays
        postings.add_encoded(term, json.loads(state.fragments[term]))
    postings.drop(set(refs))
    for ref, terms in new_terms.items():
        postings.add(ref, terms)
    fragments = postings.fragments()
    shard_terms = [list(terms) for terms in state.shard_terms]
    for term in sorted(touched):
        terms = shard_terms[term_shard(term, state.shards)]
        at = bisect.bisect_left(terms, term)
        present = at < len(terms) and terms[at] == term
        if term in fragments and not present:
            terms.insert(at, term)
        elif term not in fragments and present:
            del terms[at]
    all_fragments = {**state.fragments, **fragments}
    for gone in touched - fragments.keys():
        all_fragments.pop(gone, None)
    files = dict(state.files)
    files.update(docs_files(docs, sorted({ref // docs_per_shard for ref in refs}), docs_per_shard))
    return IndexState(state.key, ids, hashes, counts, lengths, state.shards, all_fragments,
                      shard_terms, files)
