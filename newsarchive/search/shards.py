"""The search data's file format, written and read here: classic `<script>` files under
`_site/search/` registering one value each (browsers block fetch(), XHR, import() and workers of
local files: script elements are what works from file://), and the index shards' postings.

A shard holds, per term, the term frequency and field length of every document field that has
it: [[field, ref gap, tf, length, …], …], fields numbered in FIELDS order; search-engine.js turns
them into lunr's BM25 weights when the shard loads. A shard's file is made of one JSON fragment
per term, so an update can edit the few terms an article touches as text (split_shard,
splice_shard) and write the shard again without decoding the rest.
"""

from __future__ import annotations

import bisect
import itertools
import json
import operator
import re
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # index imports this module
    from .index import DocTerms

SCRIPT_GLOBAL = "newsarchiveSearch"
DATA_FILE_RE = re.compile(r"(index|chars|docs|variants)-[0-9]+\.js")
FIELD_BOOSTS = {"title": 10, "kicker": 3, "subtitle": 3, "people": 3, "tags": 3, "body": 1}
FIELDS = tuple(FIELD_BOOSTS)
# A posting packs ref, term frequency and field length in one int: cheaper than three.
FREQUENCY_SHIFT, REF_SHIFT = 20, 40
FIELD_MASK = (1 << FREQUENCY_SHIFT) - 1


def data_name(name: str) -> str:
    """The site-relative path of the data file that registers `name`."""
    return f"search/{name}.js"


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


def script_value(text: str) -> str:
    """The JSON text of the value a script from script_text() registers."""
    return text[text.index("]=") + 2:-2]


def parse_script_text(text: str) -> object:
    """The value a script from script_text() registers."""
    return json.loads(script_value(text))


def shard_script(name: str, terms: list[str], fragments: dict[str, str]) -> str:
    """An index shard as script_text() writes {terms, postings}, from its terms' fragments."""
    postings = ",".join(fragments[term] for term in terms)
    terms_json = json.dumps(terms, ensure_ascii=False, separators=(",", ":"))
    return wrap_script(name, f'{{"postings":[{postings}],"terms":{terms_json}}}')


def split_shard(text: str) -> dict[str, str]:
    """The fragments of a shard's JSON text as search.shard_script() writes it, unparsed."""
    head, terms_text = text.rsplit('],"terms":', 1)
    terms = json.loads(terms_text[:-1])
    if not terms:
        return {}
    # A term's postings are [[…],…,[…]] of numbers: "]],[[" occurs only between two terms.
    pieces = head[len('{"postings":[') + 2:-2].split("]],[[")
    return {term: f"[[{piece}]]" for term, piece in zip(terms, pieces, strict=True)}


def term_shard(term: str, shards: int) -> int:
    """The index shard holding `term`: FNV-1a over its code points (as search-engine.js does)."""
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


def posting(ref: int, frequency: int, length: int) -> int:
    """One posting packed in an int, so that sorting postings sorts them by ref."""
    return ref << REF_SHIFT | frequency << FREQUENCY_SHIFT | length


@dataclass
class ShardPostings:
    """Postings of some terms: per field, term -> array of packed postings (see posting())."""

    # A term's array is made on its first posting (defaultdict: no lookup twice per posting,
    # the innermost loop of a cold build's index).
    fields: list[dict[str, array]] = field(
        default_factory=lambda: [defaultdict(partial(array, "q")) for _ in FIELDS])

    def add(self, ref: int, terms: DocTerms, wanted=None) -> None:
        """Add a document's postings (only of terms `wanted` accepts, if given)."""
        for by_term, counts, length in zip(self.fields, terms.counts, terms.lengths):
            base = posting(ref, 0, length)
            if wanted is not None:
                counts = {term: count for term, count in counts.items() if wanted(term)}
            for term, frequency in counts.items():
                by_term[term].append(base | frequency << FREQUENCY_SHIFT)

    def extend(self, later: ShardPostings) -> None:
        """Append the postings of other documents."""
        for by_term, more in zip(self.fields, later.fields):
            for term, packed in more.items():
                mine = by_term.get(term)
                if mine is None:
                    by_term[term] = packed
                else:
                    mine.extend(packed)

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
        return [encode_field(number, sorted(by_term[term]))  # by ref: edits arrive unsorted
                for number, by_term in enumerate(self.fields) if term in by_term]


def encode_field(number: int, packed: list[int]) -> list[int]:
    """[field, ref gap, tf, length, …] of one field's packed postings, sorted by ref."""
    refs = [p >> REF_SHIFT for p in packed]
    values = [number] * (3 * len(packed) + 1)
    values[1::3] = map(operator.sub, refs, [0, *refs[:-1]])
    values[2::3] = [p >> FREQUENCY_SHIFT & FIELD_MASK for p in packed]
    values[3::3] = [p & FIELD_MASK for p in packed]
    return values


def partition(postings: ShardPostings, shards: int) -> dict[int, ShardPostings]:
    """The postings split by term_shard into `shards` shards, by number; empty ones left out."""
    out: dict[int, ShardPostings] = {}
    memo: dict[str, ShardPostings] = {}
    for number, by_term in enumerate(postings.fields):
        for term, flat in by_term.items():
            part = memo.get(term)
            if part is None:
                part = memo[term] = out.setdefault(term_shard(term, shards), ShardPostings())
            part.fields[number][term] = flat
    return out


def splice_postings(entry: list[list[int]], drop: set[int], added: dict[int, Iterable[int]]
                    ) -> list[list[int]]:
    """A term's postings (term_postings() form) without the refs `drop`, with `added` (field ->
    packed postings) merged in."""
    by_field = {values[0]: values for values in entry}
    spliced = []
    for number in sorted(by_field.keys() | added.keys()):
        values = by_field.get(number, [number])
        new = sorted(added.get(number, ()))
        last = sum(values[1::3])
        if not drop and (not new or len(values) == 1 or new[0] >> REF_SHIFT > last):
            # Appended after the last ref (a new day): the long lists need no decoding.
            tail = encode_field(number, new)
            if len(tail) > 1:
                tail[1] -= last
            values = values + tail[1:]
        else:
            values = splice_field(values, drop, new)
        if len(values) > 1:
            spliced.append(values)
    return spliced


def splice_field(values: list[int], drop: set[int], new: list[int]) -> list[int]:
    """One field's [field, ref gap, tf, length, …] with refs `drop` out and `new` postings in."""
    refs = list(itertools.accumulate(values[1::3]))
    frequencies, lengths = values[2::3], values[3::3]
    splice_columns(refs, frequencies, lengths, drop, new, int)
    spliced = [values[0]] * (3 * len(refs) + 1)
    spliced[1::3] = map(operator.sub, refs, [0, *refs[:-1]])
    spliced[2::3], spliced[3::3] = frequencies, lengths
    return spliced


def splice_columns(refs: list[int], frequencies: list, lengths: list, drop: set[int],
                   new: list[int], as_value) -> None:
    """Take the refs `drop` out of one field's columns and put the packed postings `new` in,
    keeping refs sorted; frequencies and lengths are held as as_value() makes them (numbers
    for decoded lists, text for a fragment edited as text)."""
    for ref in drop:
        at = bisect.bisect_left(refs, ref)
        if at < len(refs) and refs[at] == ref:
            del refs[at], frequencies[at], lengths[at]
    for packed in new:
        ref = packed >> REF_SHIFT
        at = bisect.bisect_left(refs, ref)
        refs.insert(at, ref)
        frequencies.insert(at, as_value(packed >> FREQUENCY_SHIFT & FIELD_MASK))
        lengths.insert(at, as_value(packed & FIELD_MASK))


def splice_shard(fragments: dict[str, str], drop: set[int], stale: set[str],
                 added: ShardPostings) -> dict[str, str]:
    """A shard's fragments (term -> its postings as JSON) with the refs `drop` taken out of the
    terms `stale` and the postings `added` merged in; the other terms' text is kept as it is."""
    fragments = dict(fragments)
    for term in sorted(stale | set().union(*added.fields)):
        fields = {number: by_term[term] for number, by_term in enumerate(added.fields)
                  if term in by_term}
        old = fragments.get(term)
        spliced = None if old is None else \
            splice_fragment(old, drop if term in stale else set(), fields)
        if spliced is not None:
            fragments[term] = spliced
            continue
        entry = splice_postings(json.loads(old) if old else [], drop if term in stale else set(),
                                fields)
        if entry:
            fragments[term] = json.dumps(entry, separators=(",", ":"))
        else:
            fragments.pop(term, None)
    return fragments


def splice_fragment(text: str, drop: set[int], added: dict[int, Iterable[int]]) -> str | None:
    """splice_postings() done on the fragment's text, or None where a field would appear or
    vanish: a common term's list is long, and decoding and encoding it again as JSON cost
    more than the rest of an update."""
    pieces = text[2:-2].split("],[")  # one per field: the fields are flat lists of numbers
    numbers = [int(piece.split(",", 1)[0]) for piece in pieces]
    if not added.keys() <= set(numbers):
        return None
    for at, number in enumerate(numbers):
        new = sorted(added.get(number, ()))
        if not drop and not new:
            continue
        parts = pieces[at].split(",")
        refs = list(itertools.accumulate(map(int, parts[1::3])))
        if not drop and new[0] >> REF_SHIFT > refs[-1]:
            # Appended after the last ref (a new day): only the new postings are written.
            tail = encode_field(number, new)[1:]
            tail[0] -= refs[-1]
            pieces[at] += "," + ",".join(map(str, tail))
            continue
        frequencies, lengths = parts[2::3], parts[3::3]
        splice_columns(refs, frequencies, lengths, drop, new, str)
        if not refs:
            return None
        parts = [parts[0]] * (3 * len(refs) + 1)
        parts[1::3] = map(str, map(operator.sub, refs, [0, *refs[:-1]]))
        parts[2::3], parts[3::3] = frequencies, lengths
        pieces[at] = ",".join(parts)
    return "[[" + "],[".join(pieces) + "]]"
