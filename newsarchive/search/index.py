"""The search index of a site: built from scratch (across processes for a large archive) or
updated from the previous output's files, only those an edit touches being made again.

The index is split by term (bigrams and words in index-N.js, single Han characters in
chars-N.js), each with its table of body lengths (lengths-index-N.js, lengths-chars-N.js, by
ranges of documents), and the documents one per file, so a query loads only what it needs (see
shards.py for the format, static/js/search-engine.js for the reader).

Each kind comes in two tiers of documents: the recent ones (index-recent-N.js, from
`recentFrom`: the documents after the last whole multiple of RECENT_DOCS) and all before them.
A term's postings are its recent shard's in front of its older shard's. A new day's terms are
in thousands of shards of the whole archive but in the few of the recent tier, which alone is
made again; once the tier is whole, its documents join the older ones' shards.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path

import numpy as np

from .. import buildcache
from ..errors import ArchiveError
from ..model import Article, Site
from ..urls import article_path
from ..workers import Runner
from . import CODE
from .lunr import find_lunr_script, lunr_candidates
from .shards import (FIELD_BOOSTS, FIELD_MASK, FIELDS, DATA_FILE_RE, TABLE_FIELD, Section,
                     ShardPostings, add_newer, data_name, encode_chunk, join_newer, length_table,
                     partition, registered, script_text, shard_count, shard_script,
                     splice_shard, split_shard, term_shard)
from .state import IndexState, StalePrevious, changed_refs, file_digest, read_previous
from .tokenize import CodePoints, TokenKeys, han_keys, token_keys
from .variants import TABLE_VERSION, traditional_pairs, variant_shard_count, variant_shards

FORMAT_VERSION = 8
POSTINGS_PER_SHARD = 4000  # about 8 KB of script per index shard
RECENT_DOCS = 1024         # documents per recent tier (13 days of 80 articles): a new day
                           # writes the tier's 200 shards, not the 4,100 of its terms in the
                           # whole archive (30,000 articles: 608 files written, not 4,510; the
                           # search process 0.83 s of CPU, not 1.23 s); the day that makes a
                           # tier whole writes those 4,100 (tested: test_search.py)
RECENT_LARGER = 4          # a recent shard holds four times the postings of an older one: a
                           # query loads a term's recent shard beside its older one, each file
                           # a few ms in a browser, and the tier's few shards are soon all
                           # loaded (30,000 articles, 304 recent: 16 shards, not 128; with one
                           # document per file, scripts per later query 7.0 -> 5.3, its median
                           # 96 -> 63 KB)
LENGTHS_PER_FILE = 16384   # documents per length table: about 34 KB; a broad query needs them
                           # all, and each file from file:// costs a few ms however small
# A document's tokens per field, as the state keeps them: one array per kind of index, not a list
# per document (pickled at every build, 60,000 small lists took most of the state's time).
LENGTH_TYPE = np.int32
DOCS_PER_SHARD = 1         # one: the 20 results a page shows, and the candidates a phrase
                           # check reads, come from anywhere in the archive (two a file: half
                           # of a later query's 64 KB of documents was their neighbours)
PARALLEL_FROM = 3000       # documents; below this, starting processes costs more than it saves
PARALLEL_CORES = 4
MAX_WORKERS = 8
CHUNK_DOCS = 500           # documents whose postings are sorted at once: bounds the memory
JOIN_EVERY = 8             # chunks whose postings join the archive's at once, which are then
                           # copied once per so many chunks, not once per chunk
HEADING_RE = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
ESCAPED_PUNCTUATION_RE = re.compile(r"\\([!-/:-@\[-`{-~])")

# The indexes, by file prefix, and how each finds a field's terms. "chars" holds every Han
# character alone, so that a one-character query reads one file instead of every bigram shard.
KINDS = {"index": token_keys, "chars": han_keys}
RECENT = "-recent"  # the recent tier of a kind: its files' and its shard count's name


def recent_from(documents: int, recent_docs: int) -> int:
    """The first ref of the recent tier: after the last whole multiple of recent_docs, once
    the archive holds that many (a smaller one has no recent tier: its documents are few)."""
    return documents if documents < recent_docs else documents - documents % recent_docs


def tiers(kind: str, recent: int, documents: int) -> list[tuple[str, int, int]]:
    """A kind's tiers: (name, first ref, end ref)."""
    return [(kind, 0, recent), (kind + RECENT, recent, documents)]


def tier_shards(tier: str, postings: int, documents: int, postings_per_shard: int) -> int:
    """The shards of a tier holding `postings` postings of `documents` documents: none for
    an empty recent tier (a query loads no file for it), fewer and larger ones for a recent
    tier (a query loads a term's recent shard beside its older one: see RECENT_LARGER)."""
    if not tier.endswith(RECENT):
        return shard_count(postings, postings_per_shard)
    return shard_count(postings, postings_per_shard * RECENT_LARGER) if documents else 0


def plain_body(markdown: str) -> str:
    """The body as readers see it: heading marks and backslash escapes removed, paragraphs kept."""
    # Each step only where its character is: a regex over a long body costs more than a scan.
    text = HEADING_RE.sub("", markdown) if "#" in markdown else markdown
    text = ESCAPED_PUNCTUATION_RE.sub(r"\1", text) if "\\" in text else text
    text = text.strip("\n")
    while "\n\n" in text:  # each pass at least halves every run of line breaks
        text = text.replace("\n\n", "\n")
    return text


def document(article: Article) -> dict:
    """The stored record of one article: what results show and what phrase checks read, and
    (`variants`, only if any) the traditional characters in them (see traditional_pairs)."""
    doc = {
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
    pairs = traditional_pairs("\n".join(filter(None, [
        doc["title"], doc["kicker"], doc["subtitle"], doc["byline"], *doc["reporters"],
        *doc["tags"], doc["body"]])))
    if pairs:
        doc["variants"] = pairs
    return doc


FACET_KINDS = ("dates", "pages", "topics", "reporters", "places")
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def runs(values: list, before: list = ()) -> list:
    """[value, how many in a row, …]: a column of values that repeat in order, made short;
    the column that `before` gives the runs of, then `values`, when given."""
    out: list = list(before)
    for value, group in itertools.groupby(values):
        count = sum(1 for _ in group)
        if out and out[-2] == value:
            out[-1] += count
        else:
            out += [value, count]
    return out


def ref_lists(per_article: list[list[str]], values: list[str], first: int = 0,
              before: list[list[int]] | None = None) -> list[list[int]]:
    """Per value, the refs of the articles that have it, as gaps; the articles numbered from
    `first`, after the lists `before` of the articles numbered before it, when given."""
    refs: list[list[int]] = [[] for _ in values]
    number = {value: n for n, value in enumerate(values)}
    for ref, found in enumerate(per_article, start=first):
        for value in dict.fromkeys(found):
            refs[number[value]].append(ref)
    return [gaps + [b - a for a, b in zip([sum(gaps), *found], found)]
            for gaps, found in zip(before or [[] for _ in values], refs)]


def facets(articles: list[Article], topics: list[str], before: dict | None = None,
           first: int = 0) -> dict[str, object] | None:
    """What the filters, their counts and the date orders need, without the texts, by kind
    (articles in ref order). Days and pages follow ref order (ids start with date and page), so
    they come as runs; topics, reporters and places as each value's refs. A kind loads only
    when the page needs it: days for an order or a date range, the rest for their filters.

    `before`, when given, is facets() of the `first` documents before these (a day added at
    the end of the archive), which these then extend without a walk over the others; None
    when one of them has a page, reporter or place none of the others has (values and their
    numbers change)."""
    names = ("reporters", "places")
    lists = {kind: [getattr(a, kind) for a in articles] for kind in names}
    pages = {a.page for a in articles if a.page}
    values = {kind: {value for found in lists[kind] for value in found} for kind in names}
    if before is None:
        pages = sorted(pages)
        values = {kind: sorted(found) for kind, found in values.items()}
        before = {"dates": [], "pages": {"runs": []}, "topics": {"refs": None},
                  **{kind: {"refs": None} for kind in names}}
    elif pages <= set(before["pages"]["values"]) and \
            all(values[kind] <= set(before[kind]["values"]) for kind in names):
        pages = before["pages"]["values"]
        values = {kind: before[kind]["values"] for kind in names}
    else:
        return None
    page_number = {page: n for n, page in enumerate(pages)}
    by_kind: dict[str, object] = {
        "dates": runs([a.date.toordinal() - EPOCH_ORDINAL if a.date else None for a in articles],
                      before["dates"]),
        "pages": {"values": pages, "runs": runs([page_number.get(a.page, -1) for a in articles],
                                                before["pages"]["runs"])},
        "topics": {"values": topics,
                   "refs": ref_lists([[t for t in a.topics if t in topics] for a in articles],
                                     topics, first, before["topics"]["refs"])}}
    for kind in names:
        by_kind[kind] = {"values": values[kind],
                         "refs": ref_lists(lists[kind], values[kind], first, before[kind]["refs"])}
    return by_kind


def facet_key(article: Article) -> bytes:
    """A digest of what facets() reads of an article."""
    fields = (article.date, article.page, article.topics, article.reporters, article.places)
    return hashlib.blake2b(repr(fields).encode("utf-8"), digest_size=8).digest()


def article_digests(articles: list[Article], ids: list[str], state: IndexState | None,
                    changed_ids: set[str] | None) -> tuple[list[bytes], list[bytes]]:
    """article_hash() and facet_key() of each article (sorted by id, `ids` theirs), the
    state's own for an article that `changed_ids` vouches for (see search_output)."""
    if state is None or changed_ids is None:
        return [article_hash(a) for a in articles], [facet_key(a) for a in articles]
    known = len(state.ids)
    if ids[:known] == state.ids:
        # The state's documents first, as they were (an edit, a new day): only the changed
        # ones among them and those after them are hashed, without a walk over the others.
        hashes, facet_keys = state.hashes[:known], state.facet_keys[:known]
        for article_id in changed_ids:
            ref = bisect.bisect_left(ids, article_id, 0, known)
            if ref < known and ids[ref] == article_id:
                hashes[ref], facet_keys[ref] = article_hash(articles[ref]), \
                    facet_key(articles[ref])
        return (hashes + [article_hash(a) for a in articles[known:]],
                facet_keys + [facet_key(a) for a in articles[known:]])
    refs = {doc_id: ref for ref, doc_id in enumerate(state.ids)}
    hashes, facet_keys = [], []
    for article in articles:
        ref = refs.get(article.id) if article.id not in changed_ids else None
        if ref is None:
            hashes.append(article_hash(article))
            facet_keys.append(facet_key(article))
        else:
            hashes.append(state.hashes[ref])
            facet_keys.append(state.facet_keys[ref])
    return hashes, facet_keys


def article_hash(article: Article) -> bytes:
    """A digest of everything document() reads: equal digests, equal documents."""
    fields = (article.id, article.title, article.kicker, article.subtitle, article.byline,
              article.reporters, article.tags, article.topics, article.date, article.page,
              article.paper)
    digest = hashlib.blake2b(repr(fields).encode("utf-8"), digest_size=16)
    # The body after the others' repr (which ends where its brackets close), not in it: repr
    # checks every character of a long body, encoding is a copy.
    digest.update(article.body.encode("utf-8", "surrogatepass"))
    return digest.digest()


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


def field_texts(doc: dict) -> list[str]:
    """The text of each indexed field of a stored document, in FIELDS order."""
    # Line breaks between names: a space between two Han characters joins them (tokenize.py).
    people = "\n".join(filter(None, [doc["byline"], *doc["reporters"]]))
    return [doc["title"], doc["kicker"] or "", doc["subtitle"] or "", people,
            "\n".join(doc["tags"]), doc["body"]]


@dataclass
class DocTerms:
    """One document's contribution: per field its term counts and token count."""

    counts: list[dict[str, int]]
    lengths: list[int]

    @classmethod
    def of(cls, doc: dict, find_terms: Callable[[CodePoints], TokenKeys]) -> DocTerms:
        found = find_terms(CodePoints.of(field_texts(doc)))
        lengths = field_lengths([doc], found)
        return cls(found.counts(len(FIELDS)), lengths[0].tolist())

    def terms(self) -> set[str]:
        return {term for counts in self.counts for term in counts}

    def postings(self) -> int:
        return sum(len(counts) for counts in self.counts)


@dataclass
class SearchOutput:
    """A build's search data: the files to write, the names of all of them, what to cache."""

    changed: dict[str, bytes]  # site-relative path -> bytes, for each file that differs from
                               # the output the state describes (every file without one),
                               # but those that went to `write` (search_output)
    names: list[str]           # every site-relative file of the search data, sorted
    state: IndexState | None   # what the next build needs to update this output; None if
                               # the previous state describes it as it is
    written: list[str] = field(default_factory=list)  # the changed files that went to `write`


class OutputFiles:
    """The files a build makes, each digested as it is made: those that differ from the output
    `old` describes (site-relative path -> file_digest()) are kept, or handed to `write` at
    once, so that a large archive's files never sit in memory all together."""

    def __init__(self, old: dict[str, bytes], write: Callable[[str, bytes], None] | None):
        self.old, self.write = old, write
        self.digests: dict[str, bytes] = {}
        self.changed: dict[str, bytes] = {}
        self.written: list[str] = []

    def add(self, name: str, data: bytes) -> None:
        digest = self.digests[name] = file_digest(data)
        if self.old.get(name) == digest:
            return
        if self.write is None:
            self.changed[name] = data
        else:
            self.write(name, data)
            self.written.append(name)

    def update(self, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            self.add(name, data)


def search_output(site: Site, state: IndexState | None, previous: Path | None, *,
                  postings_per_shard: int = POSTINGS_PER_SHARD,
                  docs_per_shard: int = DOCS_PER_SHARD, recent_docs: int = RECENT_DOCS,
                  workers: int = 0, runner: Runner | None = None,
                  changed_ids: set[str] | None = None,
                  write: Callable[[str, bytes], None] | None = None) -> SearchOutput:
    """The search data of `site` (see README, Search).

    `previous` is the site folder `state` (the last build's SearchOutput.state) describes,
    or None: then every file is made and returned. With both, only the files an edit touches
    are made, from the previous output's own files (each checked against the state's digest).
    `changed_ids`, if given, are the only articles that may differ from those `state` was made
    from (the content cache knows which files it read again); the others are not hashed again.
    `recent_docs` (a multiple of docs_per_shard, made one) is the size of a whole recent tier.
    `workers` processes build an index from scratch (0: one per core for a large archive,
    started by `runner`); the output is the same for any number. `write`, if given, takes each
    changed file as soon as it is made (SearchOutput.written names them), instead of `changed`.
    """
    lunr_script = find_lunr_script(lunr_candidates(site.config.root))
    articles = sorted(site.articles, key=attrgetter("id"))
    docs = Documents(articles)
    topics = [t.name for t in site.config.topics]
    variant_files = variant_shard_count(len(docs))
    # Whole document files in each tier: a chunk of a cold build is in one tier.
    recent_docs = max(1, recent_docs // docs_per_shard) * docs_per_shard
    key = (code_version(), TABLE_VERSION, variant_files, postings_per_shard, docs_per_shard,
           recent_docs, LENGTHS_PER_FILE, tuple(topics))
    state = state if previous is not None and state is not None and state.key == key else None
    ids = list(map(attrgetter("id"), articles))
    hashes, facet_keys = article_digests(articles, ids, state, changed_ids)
    refs = changed_refs(state, ids, hashes) if state else None
    old_digests = state.digests if state else {}
    files = OutputFiles(old_digests, write)
    index = None
    # Past a tenth of the archive, redoing the changed shards costs more than building afresh.
    if refs is not None and len(refs) <= max(50, len(docs) // 10):
        index = update_index(state, docs, refs, previous, postings_per_shard, docs_per_shard,
                             recent_docs, files)
    if index is None:
        runner = runner or Runner()
        workers = workers or default_workers(len(docs), runner)
        try:
            index = build_index(articles, postings_per_shard, docs_per_shard, recent_docs,
                                workers, runner, files)
        except BrokenProcessPool:
            # Workers cannot start where the main script re-runs its work on import (no
            # `if __name__ == "__main__"`): the same output from this process alone.
            index = build_index(articles, postings_per_shard, docs_per_shard, recent_docs, 1,
                                runner, files)
    days = set(map(attrgetter("date"), articles)) - {None}  # one pass in C: an edit's build
    months = [min(days).isoformat()[:7], max(days).isoformat()[:7]] if days else []
    manifest = {
        "format": FORMAT_VERSION,
        "documents": len(docs),
        "fields": list(FIELD_BOOSTS),
        "boosts": list(FIELD_BOOSTS.values()),
        # search-engine.js takes lunr's average field lengths from these totals (total / documents).
        "fieldLengths": index.totals["index"],
        "charsFieldLengths": index.totals["chars"],
        "indexShards": index.shards["index"],
        "charsShards": index.shards["chars"],
        "recentFrom": recent_from(len(docs), recent_docs),
        "indexRecentShards": index.shards["index" + RECENT],
        "charsRecentShards": index.shards["chars" + RECENT],
        "docsPerShard": docs_per_shard,
        "lengthsPerFile": LENGTHS_PER_FILE,
        "topics": topics,
        "years": sorted({day.year for day in days}, reverse=True),
        "months": months,
        "facets": list(FACET_KINDS),
        "variantShards": variant_files,
    }
    files.add(data_name("manifest"), script_text("manifest", manifest).encode("utf-8"))
    if refs is None or len(ids) != len(state.ids) or \
            any(facet_keys[ref] != state.facet_keys[ref] for ref in refs):
        # Else every article has the values it had, at the same ref: the files are the same.
        for kind, value in (appended_facets(state, previous, articles, topics, refs)
                            or facets(articles, topics)).items():
            files.add(data_name(f"facets-{kind}"),
                      script_text(f"facets-{kind}", value).encode("utf-8"))
    if state is None:
        # With a state of the same key the previous output holds these very files: reading
        # OpenCC's table would cost a no-op build a third of a second.
        for number, groups in enumerate(variant_shards(variant_files)):
            files.add(data_name(f"variants-{number}"),
                      script_text(f"variants-{number}", groups).encode("utf-8"))
    files.add(data_name("lunr.min"), lunr_script.read_bytes())
    names = list(data_names(tuple(index.shards.items()), len(docs), docs_per_shard,
                            variant_files))
    if old_digests.keys() == set(names):   # the same files: copied in C, not looked up each
        digests = old_digests.copy()
    else:
        digests = {name: old_digests[name] for name in names if name in old_digests}
    digests.update(files.digests)
    fresh = None if state and refs == [] and digests == old_digests else \
        IndexState(key, ids, hashes, facet_keys, index.postings, index.lengths, index.totals,
                   index.shards, digests)
    return SearchOutput(files.changed, names, fresh, files.written)


@functools.lru_cache(maxsize=2)
def data_names(shards: tuple[tuple[str, int], ...], documents: int, docs_per_shard: int,
               variant_files: int) -> tuple[str, ...]:
    """Every search data file's name, sorted, for these shard counts: the same list from one
    edit's build to the next (kept, not made again: tens of thousands of names)."""
    names = ([data_name(name) for name in ("manifest", "lunr.min")]
             + [data_name(f"facets-{kind}") for kind in FACET_KINDS]
             + [data_name(f"variants-{n}") for n in range(variant_files)]
             + [data_name(f"{tier}-{n}") for tier, count in shards for n in range(count)]
             + [data_name(f"lengths-{kind}-{n}") for kind in KINDS
                for n in range(-(-documents // LENGTHS_PER_FILE))]
             + [data_name(f"docs-{n}") for n in range(-(-documents // docs_per_shard))])
    return tuple(sorted(names))


def appended_facets(state: IndexState, previous: Path, articles: list[Article],
                    topics: list[str], refs: list[int] | None) -> dict[str, object] | None:
    """facets() of the articles, from the previous output's, when the documents `refs`
    changed are only ones added at the end (a new day); else, or when a previous file is not
    the one the state describes, None."""
    known = len(state.ids) if state is not None else 0
    if not refs or not known or refs[0] < known:
        return None
    try:
        before = {kind: read_previous(previous, f"facets-{kind}", state) for kind in FACET_KINDS}
    except StalePrevious:
        return None
    return facets(articles[known:], topics, before, known)


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


def code_version() -> str:
    """A hash of the code that writes the index: a state from other code is not trusted."""
    return buildcache.code_version(CODE).hex()


def docs_files(docs: Sequence[dict], numbers: Iterable[int], docs_per_shard: int,
               first_ref: int = 0) -> dict[str, bytes]:
    """The document shards `numbers` as script files, by site-relative path (docs[0] is the
    document numbered first_ref)."""
    files = {}
    for number in numbers:
        name, start = f"docs-{number}", number * docs_per_shard - first_ref
        files[data_name(name)] = script_text(
            name, docs[start:start + docs_per_shard]).encode("utf-8")
    return files


def length_files(kind: str, lengths: np.ndarray, numbers: Iterable[int]) -> dict[str, bytes]:
    """The length tables `numbers` of one kind of index, by site-relative path."""
    files = {}
    for number in numbers:
        name = f"lengths-{kind}-{number}"
        table = lengths[number * LENGTHS_PER_FILE:(number + 1) * LENGTHS_PER_FILE, TABLE_FIELD]
        files[data_name(name)] = script_text(name, length_table(table.tolist())).encode("utf-8")
    return files


def field_totals(lengths: np.ndarray) -> list[int]:
    """Per field, the sum of the documents' lengths."""
    return lengths.sum(axis=0, dtype=np.int64).tolist()


def field_lengths(docs: list[dict], found: TokenKeys) -> np.ndarray:
    """Per document, per field, its tokens (`found`: those of each document's field_texts())."""
    lengths = np.bincount(found.texts, minlength=len(docs) * len(FIELDS)).reshape(-1, len(FIELDS))
    too_long = np.flatnonzero(lengths.max(axis=1, initial=0) > FIELD_MASK)
    if len(too_long):
        doc = docs[too_long[0]]
        raise ArchiveError(f"article {doc['id']} is too long to index (over {FIELD_MASK} "
                           "words in one field): split it into parts")
    return lengths


# Of the articles numbered from first_ref: their document files, and per kind of index each
# term's sections (encode_chunk), the articles' posting counts and their field lengths.
ChunkIndex = tuple[dict[str, bytes],
                   dict[str, tuple[dict[str, list[Section]], list[int], np.ndarray]]]


def index_chunk(articles: list[Article], first_ref: int, docs_per_shard: int) -> ChunkIndex:
    """Both kinds of index and the document files (whole ones: first_ref and len(articles)
    are multiples of docs_per_shard, but at the end) of consecutive articles."""
    docs = [document(article) for article in articles]
    numbers = range(first_ref // docs_per_shard,
                    math.ceil((first_ref + len(docs)) / docs_per_shard))
    return docs_files(docs, numbers, docs_per_shard, first_ref), encode_documents(docs, first_ref)


def encode_documents(docs: list[dict], first_ref: int
                     ) -> dict[str, tuple[dict[str, list[Section]], list[int], np.ndarray]]:
    """Both kinds of index of consecutive documents numbered from first_ref: per kind, each
    term's sections (encode_chunk), the documents' posting counts and their field lengths."""
    texts = CodePoints.of([text for doc in docs for text in field_texts(doc)])
    by_kind = {}
    for kind, find_terms in KINDS.items():
        found = find_terms(texts)
        lengths = field_lengths(docs, found)
        sections, postings = encode_chunk(found, lengths, first_ref)
        by_kind[kind] = (sections, postings, lengths.astype(LENGTH_TYPE))
    return by_kind


@dataclass
class BuiltIndex:
    """What an index build or update leaves besides its files: per-document counts."""

    postings: dict[str, list[int]]        # per kind, per document, its (field, term) pairs
    lengths: dict[str, np.ndarray]        # per kind, per document (row), tokens per field
    totals: dict[str, list[int]]          # per kind, per field, its tokens in all documents
    shards: dict[str, int]                # per tier ("index", "index-recent", …)


def build_index(articles: list[Article], postings_per_shard: int, docs_per_shard: int,
                recent_docs: int, workers: int, runner: Runner | None, files: OutputFiles
                ) -> BuiltIndex:
    """Every index and document file from scratch, into `files` as each is made, the work
    split over `workers` processes.

    Each chunk of articles is made into documents once, for both kinds of index and its
    document files, then dropped: the documents of a large archive, as much text again as
    its articles, never sit in memory all together; both kinds' postings do (at 30,000 long
    articles, 90 MB of script against the documents' 245 MB).
    """
    chunk = max(1, CHUNK_DOCS // docs_per_shard) * docs_per_shard  # whole document files
    recent = recent_from(len(articles), recent_docs)
    # Chunks of consecutive refs, each in one tier.
    starts = [*range(0, recent, chunk), *range(recent, len(articles), chunk)] or [0]
    ends = [*starts[1:], len(articles)]
    built = BuiltIndex({}, {}, {}, {})
    names = [tier for kind in KINDS for tier in (kind, kind + RECENT)]
    postings: dict[str, dict[str, str]] = {tier: {} for tier in names}
    # Per tier, per term, its sections of the chunks not yet joined, newest first.
    waiting: dict[str, dict[str, list[Section]]] = {tier: {} for tier in names}
    counts: dict[str, list[int]] = {kind: [] for kind in KINDS}
    lengths: dict[str, list[np.ndarray]] = {kind: [] for kind in KINDS}

    def join_waiting() -> None:
        for tier, by_term in waiting.items():
            joined = postings[tier]
            for term, newer in by_term.items():
                joined[term] = join_newer(joined.get(term), newer)
            by_term.clear()

    with (runner or Runner()).pool(workers) as pool:
        # In order: each chunk's postings go before the earlier ones' of its tier.
        for number, (start, (docs, by_kind)) in enumerate(zip(starts, pool.map(
                index_chunk, (articles[s:e] for s, e in zip(starts, ends)), starts,
                itertools.repeat(docs_per_shard))), start=1):
            files.update(docs)
            for kind, (found, more_counts, more_lengths) in by_kind.items():
                by_term = waiting[kind if start < recent else kind + RECENT]
                for term, newer in found.items():
                    older = by_term.get(term)
                    by_term[term] = newer if older is None else newer + older
                counts[kind] += more_counts
                lengths[kind].append(more_lengths)
            if number % JOIN_EVERY == 0:
                join_waiting()
    join_waiting()
    for kind in KINDS:
        for tier, first, end in tiers(kind, recent, len(articles)):
            shards = tier_shards(tier, sum(counts[kind][first:end]), end - first,
                                 postings_per_shard)
            for name, data in shard_files(tier, postings[tier], shards):
                files.add(name, data)
            built.shards[tier] = shards
        built.postings[kind], built.lengths[kind] = counts[kind], np.concatenate(lengths[kind])
        built.totals[kind] = field_totals(built.lengths[kind])
        files.update(length_files(kind, built.lengths[kind],
                                  range(math.ceil(len(articles) / LENGTHS_PER_FILE))))
    return built


def shard_files(tier: str, joined: dict[str, str], shards: int) -> Iterator[tuple[str, bytes]]:
    """The `shards` shard files of a tier from each term's postings string (`joined`, emptied
    as they are made): site-relative path, bytes."""
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(joined):
        by_shard[term_shard(term, shards)].append(term)
    for number, terms in enumerate(by_shard):
        name = f"{tier}-{number}"
        yield data_name(name), shard_script(
            name, terms, {term: joined.pop(term) for term in terms}).encode("utf-8")


def default_workers(documents: int, runner: Runner) -> int:
    """One process per available core for a large archive on 4+ cores; else this one alone.

    On 2 cores the merge and the transfers between processes ate the gain (10k articles:
    9.6 s alone, 17 s with 2 workers on a busy machine), so workers start only with more.
    """
    cores = runner.cores()
    if documents < PARALLEL_FROM or cores < PARALLEL_CORES:
        return 1
    return min(cores, MAX_WORKERS)


def update_index(state: IndexState, docs: Sequence[dict], refs: list[int], previous: Path,
                 postings_per_shard: int, docs_per_shard: int, recent_docs: int,
                 files: OutputFiles) -> BuiltIndex | None:
    """The files the documents `refs` touch, made from the previous output's, into `files`;
    None (and none made) if the shards must change or a previous file is missing or not the
    one the state describes."""
    built, made = BuiltIndex({}, {}, {}, {}), {}
    known = len(state.ids)
    try:
        if refs and refs[0] >= known:  # documents added after all the others: a new day
            if not append_documents(built, made, state, docs, previous, postings_per_shard,
                                    recent_docs):
                return None
        else:
            recent, old_recent = recent_from(len(docs), recent_docs), \
                recent_from(known, recent_docs)
            if recent != old_recent and old_recent != known:
                return None  # edits as documents move to the older tier: build afresh
            old_docs: dict[int, dict] = {}
            for number in sorted({ref // docs_per_shard for ref in refs if ref < known}):
                for at, doc in enumerate(read_previous(previous, f"docs-{number}", state)):
                    old_docs[number * docs_per_shard + at] = doc
            for kind in KINDS:
                if not update_kind(built, made, kind, state, docs, refs, old_docs, previous,
                                   postings_per_shard, recent):
                    return None
    except StalePrevious:
        return None
    files.update(made)
    files.update(docs_files(docs, sorted({ref // docs_per_shard for ref in refs}),
                            docs_per_shard))
    return built


def update_kind(built: BuiltIndex, made: dict[str, bytes], kind: str, state: IndexState,
                docs: Sequence[dict], refs: list[int], old_docs: dict[int, dict],
                previous: Path, postings_per_shard: int, recent: int) -> bool:
    """Add to `built` one kind's counts, and to `made` its length tables the documents `refs`
    are in and the shards of the terms whose postings they change, in the tier of each
    (`recent`: where the recent tier starts); False if a tier's shards must change."""
    count_terms = KINDS[kind]
    old_counts, old_lengths = state.postings[kind], state.lengths[kind]
    counts = old_counts[:len(docs)] + [0] * (len(docs) - len(old_counts))
    lengths = np.zeros((len(docs), len(FIELDS)), dtype=LENGTH_TYPE)
    lengths[:len(old_lengths)] = old_lengths[:len(docs)]
    totals = list(state.totals[kind])
    # Per tier, the postings to add and, per term, field -> refs to take out.
    added = {kind: ShardPostings(), kind + RECENT: ShardPostings()}
    drop: dict[str, dict[str, dict[int, set[int]]]] = {kind: {}, kind + RECENT: {}}
    for ref in refs:
        tier = kind if ref < recent else kind + RECENT
        new = DocTerms.of(docs[ref], count_terms)
        old = DocTerms.of(old_docs[ref], count_terms) if ref in old_docs else None
        totals = [total - was + now for total, was, now in zip(totals, lengths[ref].tolist(),
                                                               new.lengths)]
        counts[ref], lengths[ref] = new.postings(), new.lengths
        wanted = []
        for number, now in enumerate(new.counts):
            was = old.counts[number] if old else {}
            if old and number != TABLE_FIELD and old.lengths[number] != new.lengths[number]:
                moved = was.keys() | now.keys()  # the length is in each of the field's postings
            else:
                moved = {term for term in was.keys() | now.keys() if was.get(term) != now.get(term)}
            for term in moved & was.keys():
                drop[tier].setdefault(term, {}).setdefault(number, set()).add(ref)
            wanted.append(moved & now.keys())
        added[tier].add(ref, new, wanted)
    for tier, first, end in tiers(kind, recent, len(docs)):
        shards = state.shards[tier]
        if tier_shards(tier, sum(counts[first:end]), end - first,
                       postings_per_shard) != shards:
            return False
        built.shards[tier] = shards
        parts = partition(added[tier], shards) if shards else {}
        stale: dict[int, dict[str, dict[int, set[int]]]] = {}
        for term, fields in drop[tier].items():
            stale.setdefault(term_shard(term, shards), {})[term] = fields
        for number in sorted(stale.keys() | parts.keys()):
            name = f"{tier}-{number}"
            fragments = splice_shard(
                split_shard(read_previous(previous, name, state, parse=False)),
                stale.get(number, {}), parts.get(number, ShardPostings()))
            made[data_name(name)] = shard_script(name, sorted(fragments),
                                                 fragments).encode("utf-8")
    made.update(length_files(kind, lengths, sorted({ref // LENGTHS_PER_FILE for ref in refs})))
    built.postings[kind], built.lengths[kind] = counts, lengths
    built.totals[kind] = totals
    return True


def append_documents(built: BuiltIndex, made: dict[str, bytes], state: IndexState,
                     docs: Sequence[dict], previous: Path, postings_per_shard: int,
                     recent_docs: int) -> bool:
    """Add to `built` the counts of the documents numbered after the state's, and to `made`
    the files they change: the recent tier made again from its documents and, when a tier
    became whole, the older tier's shards of its terms; False if those shards must change.

    A whole tier's postings go in front of each term's in the older shards, as a cold build
    joins its chunks: such a shard is changed as text (add_newer), the postings it holds kept
    as they are."""
    known = len(state.ids)
    old_recent, recent = recent_from(known, recent_docs), recent_from(len(docs), recent_docs)
    # Every document from the old recent tier on is encoded: those of a tier become whole,
    # then those of the new recent tier (the old tier's again: fewer than a tier, no files
    # read, and the same bytes as a cold build's from the same documents).
    whole = encode_documents(docs[old_recent:recent], old_recent) if recent > old_recent \
        else None
    newest = encode_documents(docs[recent:], recent)
    for kind in KINDS:
        counts, lengths = state.postings[kind][:old_recent], [state.lengths[kind][:old_recent]]
        shards = state.shards[kind]
        if whole is not None:
            sections, more_counts, more_lengths = whole[kind]
            counts = counts + more_counts
            lengths.append(more_lengths)
            if tier_shards(kind, sum(counts), recent, postings_per_shard) != shards:
                return False
            by_shard: dict[int, dict[str, list[Section]]] = {}
            for term, newer in sections.items():
                by_shard.setdefault(term_shard(term, shards), {})[term] = newer
            for number in sorted(by_shard):
                name = f"{kind}-{number}"
                text = add_newer(read_previous(previous, name, state, parse=False),
                                 by_shard[number])
                made[data_name(name)] = registered(name, text).encode("utf-8")
        sections, more_counts, more_lengths = newest[kind]
        recent_shards = tier_shards(kind + RECENT, sum(more_counts), len(docs) - recent,
                                    postings_per_shard)
        joined = {term: join_newer(None, newer) for term, newer in sections.items()}
        made.update(shard_files(kind + RECENT, joined, recent_shards))
        counts = counts + more_counts
        lengths.append(more_lengths)
        all_lengths = np.concatenate(lengths)
        made.update(length_files(kind, all_lengths, range(
            known // LENGTHS_PER_FILE, math.ceil(len(all_lengths) / LENGTHS_PER_FILE))))
        built.postings[kind], built.lengths[kind] = counts, all_lengths
        built.shards[kind], built.shards[kind + RECENT] = shards, recent_shards
        built.totals[kind] = field_totals(all_lengths)
    return True
