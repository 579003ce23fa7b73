"""The search index as term shards, written directly rather than through lunr.py.

A shard holds, per term, the term frequency and field length of every document field that has
it; search.js turns them into lunr's BM25 weights (same formula, constants and rounding as
lunr.py, which tests keep as the reference) when the shard loads. Weights that depend on the
whole corpus (document count, average field lengths) are thus computed in the browser, so an
edited article changes only the shards of its own terms, the manifest and its document shard.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import operator
import pickle
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArchiveError
from .output import atomic_file

FIELD_BOOSTS = {"title": 10, "kicker": 3, "subtitle": 3, "people": 3, "tags": 3, "body": 1}
FIELDS = tuple(FIELD_BOOSTS)
# A posting packs ref, term frequency and field length in one int: cheaper than three.
FREQUENCY_SHIFT, REF_SHIFT = 20, 40
FIELD_MASK = (1 << FREQUENCY_SHIFT) - 1


def field_texts(doc: dict) -> list[str]:
    """The text of each indexed field of a stored document, in FIELDS order."""
    people = " ".join(filter(None, [doc["byline"], *doc["reporters"]]))
    return [doc["title"], doc["kicker"] or "", doc["subtitle"] or "", people,
            " ".join(doc["tags"]), doc["body"]]


@dataclass
class DocTerms:
    """One document's contribution: per field its term counts and token count."""

    counts: list[Counter]
    lengths: list[int]

    @classmethod
    def of(cls, doc: dict, token_counts: Callable[[str], Counter]) -> DocTerms:
        counts = [token_counts(text) for text in field_texts(doc)]
        lengths = [sum(field_counts.values()) for field_counts in counts]
        if max(lengths) > FIELD_MASK:
            raise ArchiveError(f"article {doc['id']} is too long to index (over {FIELD_MASK} "
                               "words in one field): split it into parts")
        return cls(counts, lengths)

    def terms(self) -> set[str]:
        return {term for counts in self.counts for term in counts}

    def postings(self) -> int:
        return sum(len(counts) for counts in self.counts)


def posting(ref: int, frequency: int, length: int) -> int:
    """One posting packed in an int, so that sorting postings sorts them by ref."""
    return ref << REF_SHIFT | frequency << FREQUENCY_SHIFT | length


@dataclass
class ShardPostings:
    """Postings of some terms: per field, term -> array of packed postings (see posting())."""

    fields: list[dict[str, array]] = field(default_factory=lambda: [{} for _ in FIELDS])

    def add(self, ref: int, terms: DocTerms, wanted=None) -> None:
        """Add a document's postings (only of terms `wanted` accepts, if given)."""
        for by_term, counts, length in zip(self.fields, terms.counts, terms.lengths):
            base = posting(ref, 0, length)
            for term, frequency in counts.items():
                if wanted is not None and not wanted(term):
                    continue
                packed = by_term.get(term)
                if packed is None:
                    packed = by_term[term] = array("q")
                packed.append(base | frequency << FREQUENCY_SHIFT)

    def extend(self, later: ShardPostings) -> None:
        """Append the postings of other documents."""
        for by_term, more in zip(self.fields, later.fields):
            for term, packed in more.items():
                mine = by_term.get(term)
                if mine is None:
                    by_term[term] = packed
                else:
                    mine.extend(packed)

    def drop(self, refs: set[int]) -> None:
        """Remove every posting of the documents `refs`."""
        for by_term in self.fields:
            for term, packed in list(by_term.items()):
                kept = array("q", (p for p in packed if p >> REF_SHIFT not in refs))
                if not kept:
                    del by_term[term]
                elif len(kept) < len(packed):
                    by_term[term] = kept

    def serialize(self) -> dict:
        """{terms, postings} with terms sorted and refs as gaps: [[field, gap, tf, length, …]]."""
        terms = sorted(set().union(*self.fields))
        return {"terms": terms, "postings": [self.term_postings(term) for term in terms]}

    def fragments(self) -> dict[str, str]:
        """Each term's postings as compact JSON: a shard's file is made of them."""
        return {term: json.dumps(self.term_postings(term), separators=(",", ":"))
                for term in set().union(*self.fields)}

    def term_postings(self, term: str) -> list[list[int]]:
        """[[field, ref gap, tf, length, …] per field holding the term]."""
        entry = []
        for number, by_term in enumerate(self.fields):
            packed = by_term.get(term)
            if packed is None:
                continue
            packed = sorted(packed)  # by ref; already so unless an edit was merged in
            refs = [p >> REF_SHIFT for p in packed]
            values = [number] * (3 * len(packed) + 1)
            values[1::3] = map(operator.sub, refs, [0, *refs[:-1]])
            values[2::3] = [p >> FREQUENCY_SHIFT & FIELD_MASK for p in packed]
            values[3::3] = [p & FIELD_MASK for p in packed]
            entry.append(values)
        return entry

    @classmethod
    def parse(cls, shard: dict) -> ShardPostings:
        """The inverse of serialize()."""
        parsed = cls()
        for term, entry in zip(shard["terms"], shard["postings"]):
            parsed.add_encoded(term, entry)
        return parsed

    def add_encoded(self, term: str, entry: list[list[int]]) -> None:
        """Take in a term's postings as term_postings() gives them."""
        for values in entry:
            refs = itertools.accumulate(values[1::3])
            self.fields[values[0]][term] = array("q", map(posting, refs, values[2::3],
                                                          values[3::3]))


def term_shard(term: str, shards: int) -> int:
    """The index shard holding `term`: FNV-1a over its code points (search.js computes the same)."""
    value = 0x811C9DC5
    for char in term:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards


def shard_count(postings: int, per_shard: int) -> int:
    """A power of two near postings / per_shard, so it changes only when the corpus doubles."""
    count = 1
    while count * per_shard < postings:
        count *= 2
    return count


def partition(postings: ShardPostings, shards: int) -> list[ShardPostings]:
    """The postings split into `shards` shards by term_shard."""
    out = [ShardPostings() for _ in range(shards)]
    memo: dict[str, int] = {}
    for number, by_term in enumerate(postings.fields):
        for term, flat in by_term.items():
            shard = memo.get(term)
            if shard is None:
                shard = memo[term] = term_shard(term, shards)
            out[shard].fields[number][term] = flat
    return out


def doc_hash(doc: dict) -> bytes:
    return hashlib.blake2b(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8"),
                           digest_size=16).digest()


@dataclass
class IndexState:
    """What the previous build wrote, enough to redo only what an edit touches."""

    key: tuple
    ids: list[str]
    hashes: list[bytes]
    postings: list[int]           # per document, its (field, term) pairs
    lengths: list[list[int]]      # per document, tokens per field
    shards: int
    fragments: dict[str, str]     # term -> its postings as JSON, as in its shard's file
    shard_terms: list[list[str]]  # per index shard, its terms sorted
    files: dict[str, str]         # data file name -> script text, index shards aside


def load_state(path: Path, key: tuple) -> IndexState | None:
    """The cached state if it was written by this code for these settings, else None."""
    try:
        with path.open("rb") as handle:
            state = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None  # no cache or a damaged one: build from scratch
    return state if isinstance(state, IndexState) and state.key == key else None


def save_state(path: Path, state: IndexState) -> None:
    """Write the state atomically: a concurrent build reads the old one or the new, never half."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower


def changed_refs(state: IndexState, ids: list[str], hashes: list[bytes]) -> list[int] | None:
    """Refs whose document differs from the cached one, or None if refs themselves moved."""
    if ids[:len(state.ids)] != state.ids:
        return None  # an article removed or inserted before the end renumbers the rest
    changed = [ref for ref, (old, new) in enumerate(zip(state.hashes, hashes)) if old != new]
    return changed + list(range(len(state.ids), len(ids)))
