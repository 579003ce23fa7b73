"""The search data's file format, written and read here: classic `<script>` files under
`_site/search/` registering one value each (browsers block fetch(), XHR, import() and workers of
local files: script elements are what works from file://), and the index shards' postings.

A shard is {"terms": "t1 t2 …", "postings": "p1 p2 …"}: its terms and, per term, its postings
string, every field that has the term, "." between them. A field is its number, then three
runs of varints (see VARINT), each newest first: the steps (the first posting's ref, then each
one's step down from the one before, doubled, plus 1 when its term frequency is over 1); after
"~", those frequencies less 2; after "!", for every field but the body, the documents' lengths
in that field. Body lengths live in length tables of their own (lengths-KIND-N, one varint a
document), so an edit of an article's text rewrites only the shards of the terms whose counts it
changed and one table, not every shard of every term it holds; the short fields' lengths change
only with their terms, so they stay inline. Newest first, a new day's postings go in front of
each run and the rest is kept as text (join_fields, add_newer); an edit writes again only the
postings from the newest ref it changes to the oldest (splice_field).
search-engine.js turns these into lunr's BM25 weights when a query scores them.
"""

from __future__ import annotations

import bisect
import json
import operator
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # index imports this module
    from .index import DocTerms
    from .tokenize import TokenKeys

SCRIPT_GLOBAL = "newsarchiveSearch"
DATA_FILE_RE = re.compile(r"(index|chars|index-recent|chars-recent|docs|variants|lengths-index|"
                          r"lengths-chars)-[0-9]+\.js")
FIELD_BOOSTS = {"title": 10, "kicker": 3, "subtitle": 3, "people": 3, "tags": 3, "body": 1}
FIELDS = tuple(FIELD_BOOSTS)
TABLE_FIELD = FIELDS.index("body")  # the field whose lengths are in the length tables
# A posting packs ref, term frequency and field length in one int: cheaper than three.
FREQUENCY_SHIFT, REF_SHIFT = 20, 40
FIELD_MASK = (1 << FREQUENCY_SHIFT) - 1
# A varint is big-endian base 32: every digit but the last from CARRIES, the last from DIGITS,
# which are int(…, 32)'s own digits. Both are plain ASCII that JSON and scripts keep as is.
DIGITS = "0123456789abcdefghijklmnopqrstuv"
CARRIES = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
# Decoding: a last digit ends a value (a comma after it), a carried digit becomes its digit.
READ_VARINTS = str.maketrans({**{digit: digit + "," for digit in DIGITS},
                              **dict(zip(CARRIES, DIGITS))})
DIGIT_VALUES = {char: value for value, char in enumerate(DIGITS + CARRIES)}
FIELD_END = "."  # between the fields of a postings string
EXTRAS = "~"     # before a field's term frequencies over 1
LENGTHS = "!"    # before a short field's lengths
SHALLOW = 64     # postings before a change read one by one; past them, as arrays (splice_deep)
# An index shard's JSON text around its postings strings and its terms (shard_value).
SHARD_START, SHARD_MIDDLE, SHARD_END = '{"postings":"', '","terms":"', '"}'


class Varints(dict):
    """value -> its varint text, each worked out once (a dict lookup is the encoder's
    innermost step)."""

    def __missing__(self, value: int) -> str:
        text, rest = DIGITS[value & 31], value >> 5
        while rest:
            text, rest = CARRIES[rest & 31] + text, rest >> 5
        self[value] = text
        return text


VARINT = Varints()


def read_varints(text: str) -> list[int]:
    """The values of a string of varints."""
    return list(map(int, text.translate(READ_VARINTS).split(",")[:-1], repeat(32)))


def varints(values) -> str:
    return "".join(map(VARINT.__getitem__, values))


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
    return registered(name, data)


def registered(name: str, data: str) -> str:
    """The script registering the JSON text `data` as it is: wrap_script() for a text known to
    hold nothing it escapes."""
    return (f"window.{SCRIPT_GLOBAL}=window.{SCRIPT_GLOBAL}||{{}};\n"
            f"window.{SCRIPT_GLOBAL}[{json.dumps(name)}]={data};\n")


def script_value(text: str) -> str:
    """The JSON text of the value a script from script_text() registers."""
    return text[text.index("]=") + 2:-2]


def parse_script_text(text: str) -> object:
    """The value a script from script_text() registers."""
    return json.loads(script_value(text))


def shard_script(name: str, terms: list[str], fragments: dict[str, str]) -> str:
    """An index shard's script, from its terms (sorted) and their postings strings."""
    return registered(name, shard_value(terms, [fragments[term] for term in terms]))


def shard_value(terms: list[str], postings: list[str]) -> str:
    """An index shard's JSON text: its terms (sorted) and, in their order, their postings
    strings; what script_text() writes for {"terms": …, "postings": …}."""
    # Terms are Han characters, letters and digits (tokenize.py), postings plain ASCII: a
    # space occurs in neither, and JSON and wrap_script() leave both as they are (a shard's
    # script is registered() as it is: escaping thousands of them would find nothing).
    return f"{SHARD_START}{' '.join(postings)}{SHARD_MIDDLE}{' '.join(terms)}{SHARD_END}"


def shard_parts(text: str) -> tuple[list[str], list[str]]:
    """The terms and their postings strings of a shard's JSON text (shard_value), as text:
    a new day rewrites thousands of shards, and a JSON parse and dump of each would cost
    more than the rest of its update."""
    postings, _, terms = text[len(SHARD_START):-len(SHARD_END)].partition(SHARD_MIDDLE)
    return (terms.split(" "), postings.split(" ")) if terms else ([], [])


def split_shard(text: str) -> dict[str, str]:
    """Term -> postings string of a shard's JSON text as shard_script() writes it."""
    return dict(zip(*shard_parts(text), strict=True))


def length_table(lengths: list[int]) -> str:
    """A length table's value: each document's body length, in ref order."""
    return varints(lengths)


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
    """Postings of the documents an update adds: per field, term -> array of packed postings
    (see posting())."""

    # A term's array is made on its first posting (defaultdict: no lookup twice per posting).
    fields: list[dict[str, array]] = field(
        default_factory=lambda: [defaultdict(partial(array, "q")) for _ in FIELDS])

    def add(self, ref: int, terms: DocTerms, wanted: list[set[str]] | None = None) -> None:
        """Add a document's postings (per field, only those of the terms `wanted`, if given)."""
        for number, (by_term, counts, length) in enumerate(zip(self.fields, terms.counts,
                                                               terms.lengths)):
            base = posting(ref, 0, length)
            if wanted is not None:
                counts = {term: counts[term] for term in wanted[number]}
            for term, frequency in counts.items():
                by_term[term].append(base | frequency << FREQUENCY_SHIFT)

    def terms(self) -> set[str]:
        return set().union(*self.fields)


def field_text(number: int, refs: list[int], frequencies: list[int], lengths: list[int]) -> str:
    """One field's part of a postings string from its columns, newest first (see the module's
    docstring): three runs of varints, so that each is read and written whole."""
    steps = [gap * 2 + (tf > 1) for gap, tf in zip([refs[0], *map(operator.sub, refs, refs[1:])],
                                                     frequencies)]
    text = VARINT[number] + varints(steps)
    if any(tf > 1 for tf in frequencies):
        text += EXTRAS + varints([tf - 2 for tf in frequencies if tf > 1])
    if number != TABLE_FIELD:
        text += LENGTHS + varints(lengths)
    return text


def read_varint(text: str, at: int) -> tuple[int, int]:
    """The varint at `at` in `text`, and where the next one starts."""
    value = 0
    while True:
        digit = DIGIT_VALUES[text[at]]
        at += 1
        if digit < 32:
            return value * 32 + digit, at
        value = value * 32 + digit - 32


def read_run(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The values of a run of varints as an array, and where each starts in the text (one
    more: the text's length)."""
    digits = RUN_DIGITS[np.frombuffer(text.encode("ascii"), dtype=np.uint8)]
    ends = np.flatnonzero(digits < 32) + 1
    starts = np.concatenate(([0], ends))
    if not len(ends):
        return ends, starts
    # A digit's place counts from its value's last digit: 5 bits a place.
    places = np.repeat(ends, np.diff(starts)) - 1 - np.arange(len(digits))
    return np.add.reduceat((digits & 31) << 5 * places, starts[:-1]), starts


# One field of a term in a cold build: (field number, its part of the postings string, the
# oldest ref in it: what putting an older chunk's part behind it needs).
Section = tuple[int, str, int]


def encode_chunk(found: TokenKeys, lengths: np.ndarray, first_ref: int
                 ) -> tuple[dict[str, list[Section]], list[int]]:
    """The postings of documents numbered from first_ref, as each term's sections in field
    order, and each document's number of postings. `found` holds the tokens of each
    document's fields in FIELDS order, `lengths` each field's count of them.

    A cold build's postings are most of its work: here they are counted, sorted, stepped and
    written as varints by whole-array operations (numpy); Python touches each term, not each
    posting. The text is the one field_text() writes for the same postings.
    """
    documents = len(lengths)
    if not len(found.keys):
        return {}, [0] * documents
    # One number per token that sorts by term, then field, then document newest first (keys
    # are below 2**37, so it fits 64 bits while a chunk's fields number under 2**26); a
    # posting's tokens have one number, so counting the numbers counts term frequencies.
    places = documents * len(FIELDS)
    document_of, field_of = np.divmod(found.texts, len(FIELDS))
    numbers, frequencies = np.unique(
        found.keys * places + field_of * documents + (documents - 1 - document_of),
        return_counts=True)
    keys, place = np.divmod(numbers, places)
    fields, newest = np.divmod(place, documents)
    refs = first_ref + documents - 1 - newest
    starts = np.flatnonzero(np.concatenate(
        ([True], (keys[1:] != keys[:-1]) | (fields[1:] != fields[:-1]))))
    steps = np.concatenate(([0], refs[:-1] - refs[1:]))
    steps[starts] = refs[starts]
    flagged, inline = frequencies > 1, fields != TABLE_FIELD
    ends = np.concatenate((starts[1:], [len(steps)]))  # each group's end, by posting
    step_text, step_ends = varint_text(steps * 2 + flagged)
    extra_text, extra_ends = varint_text(frequencies[flagged] - 2)
    length_text, length_ends = varint_text(lengths[refs[inline] - first_ref, fields[inline]])
    step_ends, extra_ends, length_ends = (np.concatenate(([0], run_ends))
                                          for run_ends in (step_ends, extra_ends, length_ends))
    # Per group, where its runs start and end in the three texts.
    flagged_before = np.concatenate(([0], np.cumsum(flagged)))
    inline_before = np.concatenate(([0], np.cumsum(inline)))
    sections: dict[str, list[Section]] = {}
    for number, key, oldest, step_start, step_end, extra_start, extra_end, length_start, \
            length_end in zip(fields[starts].tolist(), keys[starts].tolist(),
                              refs[ends - 1].tolist(), step_ends[starts].tolist(),
                              step_ends[ends].tolist(), extra_ends[flagged_before[starts]].tolist(),
                              extra_ends[flagged_before[ends]].tolist(),
                              length_ends[inline_before[starts]].tolist(),
                              length_ends[inline_before[ends]].tolist()):
        text = VARINT[number] + step_text[step_start:step_end]
        if extra_end > extra_start:
            text += EXTRAS + extra_text[extra_start:extra_end]
        if number != TABLE_FIELD:
            text += LENGTHS + length_text[length_start:length_end]
        sections.setdefault(found.term(key), []).append((number, text, oldest))
    return sections, np.bincount(refs - first_ref, minlength=documents).tolist()


RUN_DIGITS = np.zeros(128, dtype=np.int64)  # by ASCII code, a varint character's value
RUN_DIGITS[[ord(char) for char in DIGIT_VALUES]] = list(DIGIT_VALUES.values())
VARINT_CHARS = np.frombuffer((DIGITS + CARRIES).encode("ascii"), dtype=np.uint8)


def varint_text(values: np.ndarray) -> tuple[str, np.ndarray]:
    """The varints of `values` as one string, and where each ends in it (VARINT's digits)."""
    digits = np.ones(len(values), dtype=np.int64)
    largest, places = int(values.max(initial=0)), 1
    while largest >> 5 * places:  # 5 bits a digit: a pass per digit of the largest value
        digits += values >= 1 << 5 * places
        places += 1
    ends = np.cumsum(digits)
    chars = np.empty(int(ends[-1]) if len(ends) else 0, dtype=np.uint8)
    chars[ends - 1] = VARINT_CHARS[values & 31]  # every value's last digit
    for place in range(1, places):  # the carried digits, of the few values that have them
        has = np.flatnonzero(digits > place)
        chars[ends[has] - 1 - place] = VARINT_CHARS[(values[has] >> 5 * place & 31) + 32]
    return chars.tobytes().decode("ascii"), ends


def join_newer(older: str | None, newer: list[Section]) -> str:
    """A term's postings string (None: none yet) with the sections of later documents put in
    front, field by field (join_fields); `newer` holds each field's sections newest first."""
    # The newer sections joined first: the older string, the longest, is copied once.
    joined: dict[int, tuple[str, int]] = {}  # field -> its newer text, the oldest ref in it
    for number, text, oldest in newer:
        before = joined.get(number)
        joined[number] = (text, oldest) if before is None else \
            (join_fields(before[0], text, number, before[1]), oldest)
    by_field = {} if older is None else \
        {read_varint(text, 0)[0]: text for text in older.split(FIELD_END)}
    for number, (text, oldest) in joined.items():
        old_text = by_field.get(number)
        by_field[number] = text if old_text is None else \
            join_fields(text, old_text, number, oldest)
    return FIELD_END.join(by_field[number] for number in sorted(by_field))


def add_newer(text: str, newer: dict[str, list[Section]]) -> str:
    """A shard's JSON text (shard_value) with, per term of `newer`, the sections of documents
    numbered after all of the shard's put in front of its postings (join_newer), a term new
    to the shard in its place; the other terms' postings are kept as they are."""
    terms, postings = shard_parts(text)
    for term in sorted(newer):
        at = bisect.bisect_left(terms, term)
        if at < len(terms) and terms[at] == term:
            postings[at] = join_newer(postings[at], newer[term])
        else:
            terms.insert(at, term)
            postings.insert(at, join_newer(None, newer[term]))
    return shard_value(terms, postings)


def join_fields(newer: str, older: str, number: int, oldest: int) -> str:
    """One field's part of a postings string: `newer`'s postings (the oldest of them `oldest`)
    in front of `older`'s, all newer. Each run is joined as text; only the older part's first
    step is written again, as a step down from `oldest`."""
    newer_main, _, newer_lengths = newer.partition(LENGTHS)
    newer_steps, _, newer_extras = newer_main.partition(EXTRAS)
    older_main, _, older_lengths = older.partition(LENGTHS)
    older_steps, _, older_extras = older_main.partition(EXTRAS)
    step, after = read_varint(older_steps, len(VARINT[number]))
    text = newer_steps + VARINT[(oldest - (step >> 1)) * 2 + (step & 1)] + older_steps[after:]
    if newer_extras or older_extras:
        text += EXTRAS + newer_extras + older_extras
    if number != TABLE_FIELD:
        text += LENGTHS + newer_lengths + older_lengths
    return text


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


def splice_postings(text: str, drop: dict[int, set[int]], added: dict[int, list[int]]) -> str:
    """A term's postings string with, per field, the refs `drop` taken out and the packed
    postings `added` put in ("" when nothing is left)."""
    sections = {read_varint(section, 0)[0]: section
                for section in filter(None, text.split(FIELD_END))}
    for number in drop.keys() | added.keys():
        spliced = splice_field(sections.get(number, VARINT[number]), number,
                               drop.get(number, set()), added.get(number, ()))
        if spliced:
            sections[number] = spliced
        else:
            sections.pop(number, None)
    return FIELD_END.join(sections[number] for number in sorted(sections))


def splice_field(section: str, number: int, drop: set[int], added) -> str:
    """One field's part of a postings string with the refs `drop` out and the packed postings
    `added` in ("" when none is left). Postings run newest first, so the postings newer than
    every change are read and written again, the rest joined behind them as text: a new day
    costs what it adds, an edit of a recent article what stands before it."""
    new = [(p >> REF_SHIFT, p >> FREQUENCY_SHIFT & FIELD_MASK, p & FIELD_MASK) for p in added]
    if len(section) <= len(VARINT[number]):  # a field new to the term
        return field_text(number, *map(list, zip(*sorted(new, reverse=True)))) if new else ""
    cut = cut_field(section, number, min(drop | {ref for ref, _, _ in new}))
    if cut is None:  # an older article
        return splice_deep(section, number, drop, new)
    head, rest = cut
    postings = sorted([posting for posting in head if posting[0] not in drop] + new, reverse=True)
    if not postings:
        return rest
    text = field_text(number, *map(list, zip(*postings)))
    return join_fields(text, rest, number, postings[-1][0]) if rest else text


def splice_deep(section: str, number: int, drop: set[int], new: list[tuple[int, int, int]]
                ) -> str:
    """splice_field() where many postings stand before the change (an older article): the
    runs are read as arrays, and only the postings from the newest ref changed to the oldest
    are written again, with the step of the one after them; the others are kept as text."""
    main, _, length_text = section.partition(LENGTHS)
    step_text, _, extra_text = main.partition(EXTRAS)
    step_text = step_text[len(VARINT[number]):]
    steps, step_starts = read_run(step_text)
    extras, extra_starts = read_run(extra_text)
    inline = number != TABLE_FIELD
    lengths, length_starts = read_run(length_text) if inline else (steps, step_starts)
    gaps = steps >> 1
    refs = 2 * gaps[0] - np.cumsum(gaps)  # newest first: searched negated
    changed = drop | {ref for ref, _, _ in new}
    low = int(np.searchsorted(-refs, -max(changed), side="left"))
    high = int(np.searchsorted(-refs, -min(changed), side="right"))
    flagged = np.concatenate(([0], np.cumsum(steps & 1)))  # flagged postings before each
    postings = sorted([(ref, int(extras[flagged[at]]) + 2 if steps[at] & 1 else 1,
                        int(lengths[at]) if inline else 0)
                       for at, ref in enumerate(refs[low:high].tolist(), start=low)
                       if ref not in drop] + new, reverse=True)
    last = int(refs[low - 1]) if low else None
    new_steps, new_extras = [], []
    for ref, frequency, _ in postings:
        new_steps.append((ref if last is None else last - ref) * 2 + (frequency > 1))
        if frequency > 1:
            new_extras.append(frequency - 2)
        last = ref
    rest = ""
    if high < len(refs):  # the first posting kept after the change: a step from `last` now
        ref = int(refs[high])
        rest = VARINT[(ref if last is None else last - ref) * 2 + int(steps[high] & 1)] + \
            step_text[step_starts[high + 1]:]
    text = step_text[:step_starts[low]] + varints(new_steps) + rest
    if not text:
        return ""
    extra_text = extra_text[:extra_starts[flagged[low]]] + varints(new_extras) + \
        extra_text[extra_starts[flagged[high]]:]
    text = VARINT[number] + text + (EXTRAS + extra_text if extra_text else "")
    if inline:
        text += LENGTHS + length_text[:length_starts[low]] + \
            varints(length for _, _, length in postings) + length_text[length_starts[high]:]
    return text


def cut_field(section: str, number: int, lowest: int
              ) -> tuple[list[tuple[int, int, int]], str] | None:
    """The postings (ref, term frequency, length) of one field's part of a postings string
    down to ref `lowest`, newest first, and the rest as a field's part of its own (its first
    step the ref itself; "" if none); None if more than SHALLOW postings come first."""
    main, _, lengths = section.partition(LENGTHS)
    steps, _, extras = main.partition(EXTRAS)
    inline = number != TABLE_FIELD
    head: list[tuple[int, int, int]] = []
    at, extra_at, length_at, ref = len(VARINT[number]), 0, 0, None
    while at < len(steps):
        step, after = read_varint(steps, at)
        ref = step >> 1 if ref is None else ref - (step >> 1)
        if ref < lowest:
            rest = VARINT[number] + VARINT[ref * 2 + (step & 1)] + steps[after:]
            if extra_at < len(extras):
                rest += EXTRAS + extras[extra_at:]
            if inline:
                rest += LENGTHS + lengths[length_at:]
            return head, rest
        if len(head) == SHALLOW:
            return None
        frequency = length = 0
        if step & 1:
            frequency, extra_at = read_varint(extras, extra_at)
        if inline:
            length, length_at = read_varint(lengths, length_at)
        head.append((ref, frequency + 1 + (step & 1), length))
        at = after
    return head, ""


def splice_shard(fragments: dict[str, str], drop: dict[str, dict[int, set[int]]],
                 added: ShardPostings) -> dict[str, str]:
    """A shard's fragments (term -> postings string) with, per term, the refs of `drop`
    (field -> refs) taken out and the postings `added` merged in; other terms kept as they are."""
    fragments = dict(fragments)
    for term in sorted(drop.keys() | added.terms()):
        new = {number: by_term[term] for number, by_term in enumerate(added.fields)
               if term in by_term}
        spliced = splice_postings(fragments.get(term, ""), drop.get(term, {}), new)
        if spliced:
            fragments[term] = spliced
        else:
            fragments.pop(term, None)
    return fragments
