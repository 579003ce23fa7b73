"""Traditional and simplified characters matched as one: OpenCC's character table (t2s), read
from the `opencc` package at build time, made one character for one so the index and the page
fold text alike.

The index holds simplified text (tokenize.match_form); the page folds a query the same way and
checks phrases with a class per character ([发發]), so the text it marks is the text as printed.
Each stored document names its own traditional characters (traditional_pairs), which is what
the classes need; the page reads the table itself only for a query typed in traditional
characters (one whose tokens the index does not hold as typed), as data files (`variants-N.js`,
a character's class in the file term_shard(character) names), so such a query loads only the
few that hold its characters.
"""

from __future__ import annotations

import functools
import re
import sys

import numpy as np
import opencc

from .shards import shard_count, term_shard

MIN_VARIANT_SHARDS, MAX_VARIANT_SHARDS = 8, 256   # 13 KB to 0.4 KB each
TABLE_VERSION = opencc.__version__   # another table is another index
# The Han ranges of the tokenizer, minus radicals (OpenCC maps none of them) and the planes
# beyond 3: what is looked up one character at a time.
RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)]


# simplified_of() as an earlier build made it (use_table), if given before the first call.
_given: dict[str, str] | None = None


def use_table(table: dict[str, str]) -> None:
    """Take `table`, an earlier simplified_of() of this TABLE_VERSION, as simplified_of()."""
    global _given
    _given = table


@functools.cache
def simplified_of() -> dict[str, str]:
    """Each character OpenCC's t2s changes, alone, to one character -> that character after
    every further change (薴 -> 苧 -> 苎 gives 薴 -> 苎)."""
    if _given is not None:
        return _given
    characters = [chr(code) for first, last in RANGES for code in range(first, last + 1)]
    # One character a line: t2s's phrases never span a line break, so each converts alone.
    converted = opencc.OpenCC("t2s").convert("\n".join(characters)).split("\n")
    step = {a: b for a, b in zip(characters, converted, strict=True) if a != b and len(b) == 1}
    table = {}
    for character, target in step.items():
        seen = {character}
        while target in step and target not in seen:
            seen.add(target)
            target = step[target]
        table[character] = target
    return table


ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


@functools.cache
def _translation() -> tuple[dict[int, str], re.Pattern, re.Pattern]:
    """The table for str.translate, and patterns finding its BMP and its astral characters: re
    scans a class of BMP characters through a bitmap, fast, but one of astral characters range
    by range, slower than the tokenizer, so those are looked for only where any astral occurs."""
    table = simplified_of()
    bmp = "".join(sorted(c for c in table if ord(c) < 0x10000))
    astral = "".join(sorted(c for c in table if ord(c) >= 0x10000))
    return {ord(c): t for c, t in table.items()}, re.compile(f"[{bmp}]"), re.compile(f"[{astral}]")


@functools.cache
def simplified_points() -> np.ndarray:
    """simplified_of() as an array: every code point's simplified one (most, itself), for
    simplifying code points by the array."""
    table = np.arange(sys.maxunicode + 1, dtype=np.int32)
    for character, target in simplified_of().items():
        table[ord(character)] = ord(target)
    return table


def simplify(text: str) -> str:
    """`text` with each character of the table made simplified, one character for one."""
    table, bmp, astral = _translation()
    # Most articles hold none of the characters: finding that is 100 times quicker than translate.
    if bmp.search(text) is None and (ASTRAL_RE.search(text) is None or astral.search(text) is None):
        return text
    return text.translate(table)


def traditional_pairs(text: str) -> str:
    """Each character of `text` that simplify() changes, in code point order, followed by the
    one it becomes ("發发臺台"): what the page needs to find a simplified query in this text."""
    table, bmp, astral = _translation()
    found = set(bmp.findall(text))
    if ASTRAL_RE.search(text) is not None:
        found.update(astral.findall(text))
    return "".join(character + table[ord(character)] for character in sorted(found))


def variant_classes() -> list[str]:
    """Each group of characters that simplify() makes one: the simplified one first, the rest in
    code point order (围圍, 发發髮), sorted."""
    groups: dict[str, set[str]] = {}
    for character, target in simplified_of().items():
        groups.setdefault(target, set()).add(character)
    return sorted(target + "".join(sorted(others - {target})) for target, others in groups.items())


def variant_shard_count(documents: int) -> int:
    """How many files hold the table: a query reads one per character, so a large archive gets
    many small ones; a small archive few (each file takes a disk block on a USB stick). A power
    of two, changing only when the archive doubles (then the files are all made again)."""
    return max(MIN_VARIANT_SHARDS, min(MAX_VARIANT_SHARDS, shard_count(documents, 100)))


def variant_shards(shards: int) -> list[str]:
    """Per data file, the classes of the characters term_shard() puts there, space-separated."""
    files: list[set[str]] = [set() for _ in range(shards)]
    for group in variant_classes():
        for character in group:
            files[term_shard(character, shards)].add(group)
    return [" ".join(sorted(groups)) for groups in files]
