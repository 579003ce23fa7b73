"""The tokenizer the page's JavaScript shares (static/js/search-engine.js mirrors it, and
tests/vectors/tokenizer.json keeps the two in step): Han runs as overlapping bigrams (a lone
character as itself), Latin words and numbers lowercased, everything else a separator.

Tokens are cut from match_form(text): width and case folded, traditional characters made
simplified (variants.py), and the spaces between two Han characters taken out, since Chinese
puts no space between words: one printed inside a slogan (山宗水源 惠游青海) or by justification
is no word break."""

from __future__ import annotations

import re
from collections import Counter

from .variants import simplify

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
# Spaces on a line (line breaks are not joined: a heading, a paragraph or a field ends there);
# U+3000 is a space after fold().
SPACE = " \t\u00a0\u2000-\u200a\u202f\u205f"
HAN_GAP_RE = re.compile(f"(?<=[{HAN}])[{SPACE}]+(?=[{HAN}])")


def fold(text: str) -> str:
    """Width- and case-fold `text` for matching, keeping its length."""
    wide = text.translate(FOLD_TABLE)
    lowered = wide.lower()
    if len(lowered) == len(wide):
        return lowered
    # A few capitals lower to two characters (İ → i + dot): keep the first, so lengths hold.
    return "".join(c.lower()[0] for c in wide)


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


def token_counts(text: str) -> Counter:
    """Counter(tokenize(text)), about twice as fast: the index needs counts, not order."""
    folded = match_form(text)
    counts = Counter(BIGRAM_RE.findall(folded))
    counts.update(LONE_HAN_RE.findall(folded))
    counts.update(WORD_RE.findall(folded))
    return counts


def han_counts(text: str) -> Counter:
    """Each Han character, simplified, and how often it occurs (fold() leaves Han as it is)."""
    return Counter(HAN_CHAR_RE.findall(simplify(text)))
