"""The tokenizer the page's JavaScript shares (static/js/search-engine.js mirrors it, and
tests/vectors/tokenizer.json keeps the two in step): Han runs as overlapping bigrams (a lone
character as itself), Latin words and numbers lowercased, everything else a separator.

Tokens are cut from match_form(text): width and case folded, traditional characters made
simplified (variants.py), and the spaces between two Han characters taken out, since Chinese
puts no space between words: one printed inside a slogan (山宗水源 惠游青海) or by justification
is no word break."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import numpy as np

from .variants import simplified_points, simplify

# Han: CJK radicals and Kangxi radicals (PDF extraction emits them for ordinary characters),
# 〇, extension A, the unified block, compatibility ideographs, and planes 2-3 (ext. B-I).
HAN_RANGES = ((0x2E80, 0x2FDF), (0x3007, 0x3007), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
              (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
HAN = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_RANGES)
# Letters and digits that make words; × and ÷ are left out of Latin-1 on purpose.
WORD_RANGES = ((0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xD6), (0xD8, 0xF6),
               (0xF8, 0x17F), (0x386, 0x386), (0x388, 0x3CE), (0x400, 0x45F))
WORD = "".join(f"{chr(first)}-{chr(last)}" for first, last in WORD_RANGES)
RUN_RE = re.compile(f"([{HAN}]+)|([{WORD}]+)")
# Full-width ASCII (Ａ, １, ，) folds to ASCII and the ideographic space to a space: one character
# for one, so offsets in the folded text are offsets in the original.
WIDE_FIRST, WIDE_LAST, WIDE_SHIFT = 0xFF01, 0xFF5E, 0xFEE0
IDEOGRAPHIC_SPACE = 0x3000
# Spaces on a line (line breaks are not joined: a heading, a paragraph or a field ends there);
# U+3000 is a space after fold().
SPACE = " \t\u00a0\u2000-\u200a\u202f\u205f"
# Starting with a space, not a lookbehind, lets re skip ahead to the next space: 4x quicker.
HAN_GAP_RE = re.compile(f"[{SPACE}](?<=[{HAN}][{SPACE}])[{SPACE}]*(?=[{HAN}])")
HAN_CLASS, WORD_CLASS = 1, 2  # what char_classes() holds for the two, 0 for the rest
# Tokens as numbers, counted in arrays: a Han character is its code point (each is below
# 2**CHAR_BITS), a bigram its two code points side by side, a word WORD_KEYS + its number.
CHAR_BITS = 18
WORD_KEYS = 1 << 2 * CHAR_BITS


def fold(text: str) -> str:
    """Width- and case-fold `text` for matching, keeping its length."""
    wide = fold_width(text)
    lowered = wide.lower()
    if len(lowered) == len(wide):
        return lowered
    # A few capitals lower to two characters (İ → i + dot): keep the first, so lengths hold.
    return "".join(c.lower()[0] for c in wide)


def fold_width(text: str) -> str:
    """Full-width ASCII as ASCII, the ideographic space as a space."""
    # In arrays of UTF-16 code units: str.translate looks up every character in a dict, ten
    # times slower on Chinese text, where full-width punctuation is everywhere.
    units = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype="<u2").copy()
    units[(units >= WIDE_FIRST) & (units <= WIDE_LAST)] -= WIDE_SHIFT
    units[units == IDEOGRAPHIC_SPACE] = ord(" ")
    return units.tobytes().decode("utf-16-le", "surrogatepass")


def match_form(text: str) -> str:
    """The text tokens are cut from: folded, simplified, no spaces between Han characters."""
    return HAN_GAP_RE.sub("", simplify(fold(text)))


def tokenize(text: str) -> list[str]:
    """Han runs as overlapping bigrams (one character alone), words lowercased, the rest dropped."""
    tokens: list[str] = []
    for match in RUN_RE.finditer(match_form(text)):
        han, word = match.groups()
        if word:
            tokens.append(word)
        elif len(han) == 1:
            tokens.append(han)
        else:
            tokens.extend(han[i:i + 2] for i in range(len(han) - 1))
    return tokens


@dataclass
class TokenKeys:
    """The tokens of a list of texts, in no particular order, as numbers (see WORD_KEYS)."""

    texts: np.ndarray   # per token, the index of its text (int32)
    keys: np.ndarray    # per token, its key (int64)
    words: list[str]    # the words, by key - WORD_KEYS

    def term(self, key: int) -> str:
        """The token a key stands for."""
        if key >= WORD_KEYS:
            return self.words[key - WORD_KEYS]
        if key >> CHAR_BITS:
            return chr(key >> CHAR_BITS) + chr(key & (1 << CHAR_BITS) - 1)
        return chr(key)

    def counts(self, texts: int) -> list[dict[str, int]]:
        """Per text, each of its tokens and how often it occurs."""
        span = int(self.keys.max(initial=0)) + 1
        pairs, found = np.unique(self.texts.astype(np.int64) * span + self.keys,
                                 return_counts=True)
        counts: list[dict[str, int]] = [{} for _ in range(texts)]
        for pair, count in zip(pairs.tolist(), found.tolist()):
            counts[pair // span][self.term(pair % span)] = count
        return counts


def char_classes() -> np.ndarray:
    """Every code point's class (HAN_CLASS, WORD_CLASS or 0): one look-up classes a whole
    text's code points."""
    classes = np.zeros(sys.maxunicode + 1, dtype=np.uint8)
    for ranges, kind in ((HAN_RANGES, HAN_CLASS), (WORD_RANGES, WORD_CLASS)):
        for first, last in ranges:
            classes[first:last + 1] = kind
    return classes


CHAR_CLASSES = char_classes()


@dataclass
class CodePoints:
    """Texts joined by line breaks (no token spans one), what both kinds of index read."""

    joined: str          # folded, one character for one; not simplified, which changes Han
                         # characters only, into Han characters: words and gaps are the same
    points: np.ndarray   # its code points, simplified (int32)
    owners: np.ndarray   # per code point, the index of its text (int32)

    @classmethod
    def of(cls, texts: list[str]) -> CodePoints:
        wide = fold_width("\n".join(texts))
        joined = wide.lower()
        # Lowercase reads a word's neighbours (Greek final sigma) but never across a line
        # break, so lowering the joined texts lowers each; unless one holds a capital that
        # lowers to two characters, where fold() lowers character by character: then each
        # text is folded on its own.
        if len(joined) != len(wide):
            joined = "\n".join(map(fold, texts))
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        owners = np.repeat(np.arange(len(texts), dtype=np.int32),
                           [len(text) + 1 for text in texts])[:len(points)]
        return cls(joined, simplified_points()[points], owners)


def run_bounds(found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of set values of a mask starts, and where it ends (the position after)."""
    change = np.diff(found.astype(np.int8), prepend=0, append=0)
    return np.flatnonzero(change == 1), np.flatnonzero(change == -1)


def token_keys(texts: CodePoints) -> TokenKeys:
    """The tokens of each text, those tokenize() gives, found for all texts at once by array
    operations: per token, Python's own work was most of a cold build's time."""
    joined, points, owners = texts.joined, texts.points, texts.owners
    classes = CHAR_CLASSES[points]
    starts, ends = run_bounds(classes == WORD_CLASS)
    word_texts = [joined[start:end] for start, end in zip(starts.tolist(), ends.tolist())]
    words = {word: number for number, word in enumerate(dict.fromkeys(word_texts))}
    word_keys = WORD_KEYS + np.array(list(map(words.__getitem__, word_texts)), dtype=np.int64)
    # match_form(): the spaces between two Han characters taken out.
    kept = np.ones(len(points), dtype=bool)
    for gap in HAN_GAP_RE.finditer(joined):
        kept[gap.start():gap.end()] = False
    han_points, han_owners = points[kept], owners[kept]
    han = classes[kept] == HAN_CLASS
    han_starts, han_ends = run_bounds(han)
    pairs = np.flatnonzero(han[:-1] & han[1:])
    lone = han_starts[han_ends - han_starts == 1]
    return TokenKeys(np.concatenate((han_owners[pairs], han_owners[lone], owners[starts])),
                     np.concatenate((han_points[pairs].astype(np.int64) << CHAR_BITS |
                                     han_points[pairs + 1],
                                     han_points[lone], word_keys)),
                     list(words))


def han_keys(texts: CodePoints) -> TokenKeys:
    """Each Han character of each text, simplified (fold() leaves Han as it is)."""
    han = CHAR_CLASSES[texts.points] == HAN_CLASS
    return TokenKeys(texts.owners[han], texts.points[han].astype(np.int64), [])
