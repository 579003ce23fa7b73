"""Offline full-text search: a Chinese bigram tokenizer, a lunr-scored index and a document store.

Everything is written as classic `<script>` files under `_site/search/`, because browsers block
fetch(), XHR, import() and workers of local files: script elements are what works from file://.
The index is split by term (bigrams and words in index-N.js, single Han characters in
chars-N.js) and the documents one per file, so a query loads only what it needs; the postings
are written here directly (search_index.py) and the page scores them as lunr.js would. A build
passes the output it replaces and a small cache to search_output(), which then makes only the
files an edit touches. The browser half (static/js/search.js) mirrors the tokenizer;
tests/vectors/tokenizer.json keeps the two in step."""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .errors import ArchiveError
from . import search_index
from .model import Article, Site
from .search_index import (FIELD_BOOSTS, FIELDS, DocTerms, IndexState, ShardPostings,
                           changed_refs, file_digest, load_state, partition,
                           save_state, shard_count, splice_shard, split_shard,
                           term_shard)
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
HAN_CHAR_RE = re.compile(f"[{HAN}]")
# Full-width ASCII (Ａ, １, ，) folds to ASCII and the ideographic space to a space: one character
# for one, so offsets in the folded text are offsets in the original.
FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}

SCRIPT_GLOBAL = "newsarchiveSearch"
FORMAT_VERSION = 4
POSTINGS_PER_SHARD = 2500  # about 25 KB of script per index shard
DOCS_PER_SHARD = 2         # small: the 20 results a page shows, and the candidates a phrase
                           # check reads, come from anywhere in the archive
PARALLEL_FROM = 3000       # documents; below this, starting processes costs more than it saves
PARALLEL_CORES = 4
MAX_WORKERS = 8
SHARDS_PER_TASK = 128
HEADING_RE = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
ESCAPED_PUNCTUATION_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
DATA_FILE_RE = re.compile(r"(index|chars|docs)-[0-9]+\.js")


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


def han_counts(text: str) -> Counter:
    """Each Han character and how often it occurs (fold() leaves Han as it is)."""
    return Counter(HAN_CHAR_RE.findall(text))


# The indexes, by file prefix, and how each counts a field's terms. "chars" holds every Han
# character alone, so that a one-character query reads one file instead of every bigram shard.
KINDS = {"index": token_counts, "chars": han_counts}


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


def facets(articles: list[Article], topics: list[str]) -> list[list[int]]:
    """Per article [year or 0, topic number, …]: what the filters need without the texts."""
    return [[a.date.year if a.date else 0, *(topics.index(t) for t in a.topics if t in topics)]
            for a in articles]


def article_hash(article: Article) -> bytes:
    """A digest of everything document() reads: equal digests, equal documents."""
    fields = (article.id, article.title, article.kicker, article.subtitle, article.byline,
              article.reporters, article.tags, article.topics, article.date, article.page,
              article.paper, article.body)
    return hashlib.blake2b(repr(fields).encode("utf-8"), digest_size=16).digest()


class Documents(Sequence):
    """document() of each article, made on first use: an update needs only a few of them."""

    def __init__(self, articles: list[Article]):
        self.articles = articles
        self.made: dict[int, dict] = {}

    def __len__(self) -> int:
        return len(self.articles)

    def __getitem__(self, at):
        if isinstance(at, slice):
            return [self[n] for n in range(*at.indices(len(self)))]
        if at not in self.made:
            self.made[at] = document(self.articles[at])
        return self.made[at]


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


def shard_script(name: str, terms: list[str], fragments: dict[str, str]) -> str:
    """An index shard as script_text() writes {terms, postings}, from its terms' fragments."""
    postings = ",".join(fragments[term] for term in terms)
    terms_json = json.dumps(terms, ensure_ascii=False, separators=(",", ":"))
    return wrap_script(name, f'{{"postings":[{postings}],"terms":{terms_json}}}')


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
    return json.loads(script_value(text))


def script_value(text: str) -> str:
    """The JSON text of the value a script from script_text() registers."""
    return text[text.index("]=") + 2:-2]


@dataclass
class SearchOutput:
    """A build's search data: the files to write, the names of all of them, what to cache."""

    changed: dict[str, bytes]  # site-relative path -> bytes, for each file that differs from
                               # the output the cache describes (every file without one)
    names: list[str]           # every site-relative file of the search data, sorted
    state: IndexState | None   # for save_search_state() once the output is in place; None if
                               # the cache already holds it


def search_output(site: Site, cache: Path | None, previous: Path | None, *,
                  postings_per_shard: int = POSTINGS_PER_SHARD,
                  docs_per_shard: int = DOCS_PER_SHARD, workers: int = 0) -> SearchOutput:
    """The search data of `site` (see README, Search).

    `previous` is the site folder the cached state was written into (the output being
    replaced), or None if the cache does not describe it: then every file is made and
    returned. With both, only the files an edit touches are made, from the previous output's
    own files (each checked against the state's digest). `workers` processes build an index
    from scratch (0: one per core for a large archive); the output is the same for any number.
    """
    lunr_script = find_lunr_script([site.config.root, Path(__file__).resolve().parent.parent])
    articles = sorted(site.articles, key=lambda a: a.id)
    docs = Documents(articles)
    ids, hashes = [a.id for a in articles], [article_hash(a) for a in articles]
    key = (code_version(), postings_per_shard, docs_per_shard)
    state = load_state(cache, key) if cache and previous else None
    refs = changed_refs(state, ids, hashes) if state else None
    index = None
    # Past a tenth of the archive, redoing the changed shards costs more than building afresh.
    if refs is not None and len(refs) <= max(50, len(docs) // 10):
        index = update_index(state, docs, refs, previous, postings_per_shard, docs_per_shard)
    if index is None:
        workers = workers or default_workers(len(docs))
        try:
            index = build_index(docs, postings_per_shard, docs_per_shard, workers)
        except BrokenProcessPool:
            # Workers cannot start where the main script re-runs its work on import (no
            # `if __name__ == "__main__"`): the same output from this process alone.
            index = build_index(docs, postings_per_shard, docs_per_shard, 1)
    topics = [t.name for t in site.config.topics]
    manifest = {
        "format": FORMAT_VERSION,
        "documents": len(docs),
        "fields": list(FIELD_BOOSTS),
        "boosts": list(FIELD_BOOSTS.values()),
        # search.js takes lunr's average field lengths from these totals (total / documents).
        "fieldLengths": field_totals(index.lengths["index"]),
        "charsFieldLengths": field_totals(index.lengths["chars"]),
        "indexShards": index.shards["index"],
        "charsShards": index.shards["chars"],
        "docsPerShard": docs_per_shard,
        "topics": topics,
        "years": sorted({a.date.year for a in articles if a.date}, reverse=True),
    }
    files = index.files
    files[data_name("manifest")] = script_text("manifest", manifest).encode("utf-8")
    files[data_name("facets")] = script_text("facets", facets(articles, topics)).encode("utf-8")
    files[data_name("lunr.min")] = lunr_script.read_bytes()
    names = sorted([data_name(name) for name in ("manifest", "facets", "lunr.min")]
                   + [data_name(f"{kind}-{n}") for kind in KINDS for n in range(index.shards[kind])]
                   + [data_name(f"docs-{n}") for n in range(-(-len(docs) // docs_per_shard))])
    old_digests = state.digests if state else {}
    digests = {name: old_digests[name] for name in names if name in old_digests}
    digests.update((name, file_digest(data)) for name, data in files.items())
    changed = {name: data for name, data in files.items() if old_digests.get(name) != digests[name]}
    fresh = None if state and refs == [] and digests == old_digests else \
        IndexState(key, ids, hashes, index.postings, index.lengths, index.shards, digests)
    return SearchOutput(changed, names, fresh if cache else None)


def save_search_state(cache: Path, output: SearchOutput) -> None:
    """Keep what the next build needs to update this output; call once it is in place."""
    if output.state is not None:
        save_state(cache, output.state)


def write_search_data(site: Site, out_dir: Path, **tuning) -> None:
    """Write every search data file under out_dir/search/ from scratch (tuning: search_output).

    Data files a larger archive left there are removed; nothing is cached.
    """
    output = search_output(site, None, None, **tuning)
    for name, data in sorted(output.changed.items()):
        (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_bytes(data)
    wanted = set(output.names)
    for stale in sorted((out_dir / "search").glob("*.js")):
        if DATA_FILE_RE.fullmatch(stale.name) and data_name(stale.stem) not in wanted:
            stale.unlink()


def data_name(name: str) -> str:
    """The site-relative path of the data file that registers `name`."""
    return f"search/{name}.js"


def code_version() -> str:
    """A hash of the code that writes the index: a cache from other code is not trusted."""
    digest = hashlib.blake2b(digest_size=8)
    for module in (Path(__file__), Path(search_index.__file__)):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def docs_files(docs: Sequence[dict], numbers: Iterable[int], docs_per_shard: int
               ) -> dict[str, bytes]:
    """The document shards `numbers` as script files, by site-relative path."""
    files = {}
    for number in numbers:
        name = f"docs-{number}"
        files[data_name(name)] = script_text(
            name, docs[number * docs_per_shard:(number + 1) * docs_per_shard]).encode("utf-8")
    return files


def field_totals(lengths: list[list[int]]) -> list[int]:
    """Per field, the sum of the documents' lengths."""
    return [sum(doc_lengths[n] for doc_lengths in lengths) for n in range(len(FIELDS))]


def index_chunk(docs: list[dict], first_ref: int, kind: str
                ) -> tuple[ShardPostings, list[int], list]:
    """Postings, posting counts and field lengths of documents numbered from first_ref."""
    postings = ShardPostings()
    counts, lengths = [], []
    for ref, doc in enumerate(docs, first_ref):
        terms = DocTerms.of(doc, KINDS[kind])
        postings.add(ref, terms)
        counts.append(terms.postings())
        lengths.append(terms.lengths)
    return postings, counts, lengths


def shard_fragments(parts: list[ShardPostings]) -> list[dict[str, str]]:
    """The term fragments (see ShardPostings.fragments) of each shard."""
    return [part.fragments() for part in parts]


@dataclass
class BuiltIndex:
    """The index files a build made (all, or those an update touched) and per-document counts."""

    postings: dict[str, list[int]]        # per kind, per document, its (field, term) pairs
    lengths: dict[str, list[list[int]]]   # per kind, per document, tokens per field
    shards: dict[str, int]                # per kind
    files: dict[str, bytes]               # site-relative path -> bytes


def build_index(docs: Sequence[dict], postings_per_shard: int, docs_per_shard: int,
                workers: int) -> BuiltIndex:
    """Every index and document file from scratch, the work split over `workers` processes."""
    size = math.ceil(len(docs) / workers) or 1
    starts = range(0, max(len(docs), 1), size)
    built = BuiltIndex({}, {}, {}, {})
    with worker_pool(workers) as pool:
        for kind in KINDS:  # one after the other: peak memory holds one kind's postings
            # Chunks of consecutive refs, merged in order: the postings stay sorted by ref.
            chunks = list(pool.map(index_chunk, [docs[s:s + size] for s in starts], starts,
                                   itertools.repeat(kind)))
            postings, counts, lengths = chunks[0]
            for more, more_counts, more_lengths in chunks[1:]:
                postings.extend(more)
                counts += more_counts
                lengths += more_lengths
            shards = shard_count(sum(counts), postings_per_shard)
            found = partition(postings, shards)
            parts: list[ShardPostings | None] = [found.pop(n, ShardPostings())
                                                 for n in range(shards)]
            del postings, chunks, found  # from here each shard's postings go once encoded
            groups = [list(range(n, min(n + SHARDS_PER_TASK, shards)))
                      for n in range(0, shards, SHARDS_PER_TASK)]
            for group, results in zip(groups, pool.map(shard_fragments,
                                                       handed_over(parts, groups))):
                for number, found in zip(group, results):
                    name = f"{kind}-{number}"
                    built.files[data_name(name)] = \
                        shard_script(name, sorted(found), found).encode("utf-8")
            built.postings[kind], built.lengths[kind], built.shards[kind] = counts, lengths, shards
    built.files.update(docs_files(docs, range(math.ceil(len(docs) / docs_per_shard)),
                                  docs_per_shard))
    return built


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


def update_index(state: IndexState, docs: Sequence[dict], refs: list[int], previous: Path,
                 postings_per_shard: int, docs_per_shard: int) -> BuiltIndex | None:
    """The files the documents `refs` touch, made from the previous output's; None if the
    shards must change or a previous file is missing or not the one the state describes."""
    built = BuiltIndex({}, {}, {}, {})
    try:
        old_docs: dict[int, dict] = {}
        for number in sorted({ref // docs_per_shard for ref in refs if ref < len(state.ids)}):
            for at, doc in enumerate(read_previous(previous, f"docs-{number}", state)):
                old_docs[number * docs_per_shard + at] = doc
        for kind in KINDS:
            if not update_kind(built, kind, state, docs, refs, old_docs, previous,
                               postings_per_shard):
                return None
    except StalePrevious:
        return None
    built.files.update(docs_files(docs, sorted({ref // docs_per_shard for ref in refs}),
                                  docs_per_shard))
    return built


def update_kind(built: BuiltIndex, kind: str, state: IndexState, docs: Sequence[dict],
                refs: list[int], old_docs: dict[int, dict], previous: Path,
                postings_per_shard: int) -> bool:
    """Add to `built` one kind's counts and the shards the documents `refs` touch; False if
    its shards must change."""
    count_terms = KINDS[kind]
    old_terms = {ref: DocTerms.of(old_docs[ref], count_terms).terms()
                 for ref in refs if ref < len(state.ids)}
    old_counts, old_lengths, shards = state.postings[kind], state.lengths[kind], state.shards[kind]
    counts = old_counts[:len(docs)] + [0] * (len(docs) - len(old_counts))
    lengths = old_lengths[:len(docs)] + [[]] * (len(docs) - len(old_lengths))
    added = ShardPostings()
    for ref in refs:
        terms = DocTerms.of(docs[ref], count_terms)
        counts[ref], lengths[ref] = terms.postings(), terms.lengths
        added.add(ref, terms)
    if shard_count(sum(counts), postings_per_shard) != shards:
        return False
    parts = partition(added, shards)
    stale: dict[int, set[str]] = {}
    for term in set().union(*old_terms.values()):
        stale.setdefault(term_shard(term, shards), set()).add(term)
    for number in sorted(stale.keys() | parts.keys()):
        name = f"{kind}-{number}"
        fragments = splice_shard(split_shard(read_previous(previous, name, state, parse=False)),
                                 set(old_terms), stale.get(number, set()),
                                 parts.get(number, ShardPostings()))
        built.files[data_name(name)] = \
            shard_script(name, sorted(fragments), fragments).encode("utf-8")
    built.postings[kind], built.lengths[kind], built.shards[kind] = counts, lengths, shards
    return True


class StalePrevious(Exception):
    """A file of the previous output is missing or is not the one the cached state describes."""


def read_previous(previous: Path, name: str, state: IndexState, parse: bool = True) -> object:
    """The value of the previous output's data file `name` (its JSON text if not `parse`),
    checked against the state."""
    path = previous / data_name(name)
    try:
        data = path.read_bytes()
    except OSError:
        raise StalePrevious(path) from None
    if file_digest(data) != state.digests.get(data_name(name)):
        raise StalePrevious(path)
    text = script_value(data.decode("utf-8"))
    return json.loads(text) if parse else text
