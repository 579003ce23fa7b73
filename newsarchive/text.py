"""Pure string repairs for text extracted from PDF newspaper pages (no I/O, no state)."""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# Spaces a PDF extraction emits: ASCII, ideographic, no-break, the typographic widths, zero-width,
# and the form feed pdftotext ends each page with (a line holding only it is a blank line).
SPACES = (" \t\f\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
          "\u200b\u202f\u205f")
# Marks that can end a sentence; closing quotes and brackets count only after one of these.
TERMINALS = "。！？!?…；"
CLOSERS = "”’」』）)》"
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】「」『』—…·．～"
# Characters set in half an em: Latin, digits, Latin-1 signs, half-width katakana and forms.
NARROW_RE = re.compile(r"[\x00-\u02ff\uff61-\uffdc\uffe8-\uffee]")
SPACES_RE = re.compile(f"[{SPACES}]")
CONTINUATION_RE = re.compile(
    r"[（(]\s*(下转|上接|转|接)\s*(第?\s*[A-Za-z]?\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3}))\s*版?\s*[）)]")


# PDF extractors read some CJK glyphs as the radical code points their fonts also map them to
# (⼈ U+2F08 for 人, ⺠ U+2EA0 for 民). News text never means a radical, and a radical breaks
# search, matching and the Han accounting. Kangxi radicals fold by NFKC, except ⼾, which NFKC
# makes the traditional 戶; the simplified forms of the supplement have no NFKC mapping.
RADICAL_RE = re.compile(r"[\u2e80-\u2ef3\u2f00-\u2fd5]")
RADICAL_SUPPLEMENT = {
    "\u2e93": "幺", "\u2ea0": "民", "\u2ec1": "虎", "\u2ec5": "见", "\u2ec6": "角",
    "\u2ec9": "贝", "\u2ecb": "车", "\u2ed3": "长", "\u2ed4": "门", "\u2ed8": "青",
    "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食",
    "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟",
    "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eec": "齐", "\u2eee": "齿",
    "\u2ef0": "龙", "\u2ef3": "龟", "\u2f3e": "户",
}


def fold_radicals(text: str) -> str:
    """Radical code points an extractor put for ideographs, as those ideographs."""
    if not RADICAL_RE.search(text):
        return text
    return RADICAL_RE.sub(lambda m: RADICAL_SUPPLEMENT.get(m[0])
                          or unicodedata.normalize("NFKC", m[0]), text)


def is_han(char: str) -> bool:
    """A CJK ideograph (the characters the page accounting counts)."""
    return bool(HAN_RE.match(char))


def open_brackets(text: str) -> int:
    """How many round brackets the text opens and leaves open (negative: closes more)."""
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def han_count(text: str) -> int:
    """How many Han characters text holds."""
    return len(HAN_RE.findall(text))


def text_width(text: str) -> float:
    """Printed width in em: CJK characters and full-width marks are 1, Latin and digits half."""
    text = SPACES_RE.sub("", text)
    return len(text) - 0.5 * len(NARROW_RE.findall(text))


def _han_run(text: str, index: int, step: int) -> int:
    """Length of the run of Han characters starting at index and going in direction step."""
    length = 0
    while 0 <= index < len(text) and is_han(text[index]):
        length += 1
        index += step
    return length


def strip_justification_spaces(line: str) -> str:
    """Drop the spaces a justified PDF line puts between characters; keep spaces between words.

    A space goes when it touches CJK punctuation, sits between a digit and a Han character, or
    has a single Han character on either side (`期 内 ，每 日`); it stays between two words of two
    or more Han characters (`扛牢责任 真抓实干`) and between Latin words (`citywalk 微游西宁`).
    """
    line = line.strip(SPACES)
    if not SPACES_RE.search(line):
        return line
    out: list[str] = []
    i = 0
    while i < len(line):
        if line[i] not in SPACES:
            out.append(line[i])
            i += 1
            continue
        j = i
        while j < len(line) and line[j] in SPACES:
            j += 1
        left, right = line[i - 1], line[j]
        if not _space_is_spurious(line, i - 1, j, left, right):
            out.append(" ")
        i = j
    return "".join(out)


def _space_is_spurious(line: str, left_at: int, right_at: int, left: str, right: str) -> bool:
    # Chinese typesetting never puts a space beside full-width punctuation.
    if left in CJK_PUNCT or right in CJK_PUNCT:
        return True
    # `12 月 21 日`: the space between a number and its unit is the justifier's, so `TOP20 榜单`
    # loses its space too, which the paper would not mind.
    if (left.isdigit() or left == "%") and is_han(right):
        return True
    if is_han(left) and right.isdigit():
        return True
    # A real space separates words (`扛牢责任 真抓实干`, `（记者 施翔）`); a justified line spaces
    # out single characters (`期 内 ，每 日`).
    if is_han(left) and is_han(right):
        return _han_run(line, left_at, -1) < 2 or _han_run(line, right_at, 1) < 2
    return False


def join_wrapped_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: no space at a CJK join, one space between Latin words."""
    text = ""
    for line in lines:
        line = line.strip(SPACES)
        if not line:
            continue
        # Chinese columns break Latin text at word spaces, so a letter-letter join was a space.
        if text and text[-1].isascii() and text[-1].isalpha() and line[0].isascii() \
                and line[0].isalpha():
            text += " "
        text += line
    return text


def ends_sentence(text: str) -> bool:
    """True when text ends at a sentence end (。！？…, a closing quote after one, or a dash)."""
    text = text.rstrip(SPACES)
    while text and text[-1] in CLOSERS:
        if len(text) >= 2 and text[-2] in TERMINALS:
            return True
        text = text[:-1]
    return bool(text) and (text[-1] in TERMINALS or text.endswith("—"))


@dataclass(frozen=True)
class Dropped:
    """A piece of text a repair removed, kept so the page's characters stay accounted for."""

    kind: str
    text: str


_PUNCT_REPEAT_RE = re.compile(r"([，、：；！？。])\1+")
_HAN_RUN_RE = re.compile(HAN_RE.pattern + "+")
# Characters each drawn twice in a row (`图图片片报报道道`): bold faked by printing every glyph
# twice, as pdfminer reads it. Digits, letters, dashes and ellipses double in print.
_PAIRED_RUN_RE = re.compile(r"(?:([^\sA-Za-z0-9—…\-.])\1){2,}")
RADICALS_PATH = Path(__file__).with_name("data") / "radicals.json"


@cache
def _radical_map() -> dict[int, str]:
    table = json.loads(RADICALS_PATH.read_text(encoding="utf-8"))["map"]
    return {ord(radical): char for radical, char in table.items()}


def unify_radicals(text: str) -> str:
    """Radical code points as the characters printed: `⼈⺠⽇报` is 人民日报. A font that draws
    one glyph for both may name the radical to the extraction; which character the glyph is
    was read from a Simplified Chinese font (`bench/radical_table.py`)."""
    return text.translate(_radical_map())


def _minimal_period(run: str, shortest: int) -> int:
    """The shortest p >= shortest such that run is run[:p] repeated; len(run) if none."""
    for period in range(shortest, len(run) // 2 + 1):
        if len(run) % period == 0 and run[:period] * (len(run) // period) == run:
            return period
    return len(run)


def undouble_bold_text(line: str) -> tuple[str, list[Dropped]]:
    """Undo the extraction's doubling of bold text: `每月一题每月一题，，` → `每月一题，`, and
    `图图片片报报道道` → `图片报道` (each glyph read twice in a row).

    Natural reduplication (`一件一件`) is left alone: a line is undoubled only when it also has
    doubled punctuation (which never occurs in print), when the whole line is one phrase
    of four or more characters printed twice, or where three characters or more in a row, or
    two with a mark, are each read twice (reduplication pairs two Han characters: `高高兴兴`).
    """
    dropped: list[Dropped] = []

    def unpair(match: re.Match) -> str:
        run, text, (start, end) = match.group(0), match.string, match.span()
        # Reduplication pairs two Han characters (`高高兴兴`), never a mark (`评评））`); one
        # character over and over is a sound (`哈哈哈哈哈哈`), not a bold line; a character
        # thrice in a row at either end leaves the pairs in doubt (`一一“““一一`).
        if (len(run) < 6 and all(map(is_han, run))) or len(set(run)) < 2 \
                or (start and text[start - 1] == run[0]) or text[end:end + 1] == run[-1]:
            return run
        dropped.append(Dropped("doubled-text", run[1::2]))
        return run[::2]

    line = _PAIRED_RUN_RE.sub(unpair, line)
    stripped = line.strip(SPACES)
    # A subtitle's dashes stand before the doubled phrase: `——切实提升效能切实提升效能`.
    dashes = len(stripped) - len(stripped.lstrip("—"))
    phrase = stripped[dashes:]
    # Below four characters a whole doubled line is as likely a word (谈谈, 研究研究).
    whole = _minimal_period(phrase, 4) if _HAN_RUN_RE.fullmatch(phrase) else len(phrase)
    if phrase and whole < len(phrase):
        return stripped[:dashes + whole], dropped + [Dropped("doubled-text", phrase[whole:])]
    if not _PUNCT_REPEAT_RE.search(line):
        return line, dropped

    def shorten_han(match: re.Match) -> str:
        run = match.group(0)
        period = _minimal_period(run, 2)
        if period < len(run):
            dropped.append(Dropped("doubled-text", run[period:]))
        return run[:period]

    def shorten_punct(match: re.Match) -> str:
        dropped.append(Dropped("doubled-text", match.group(0)[1:]))
        return match.group(1)

    repaired = _HAN_RUN_RE.sub(shorten_han, line)
    repaired = _PUNCT_REPEAT_RE.sub(shorten_punct, repaired)
    return repaired, dropped


def find_continuation(line: str) -> tuple[str, str | None, str | None, str]:
    """Split a （下转A04版）/（上接A01版） note off a line: (rest, continues, continued_from, note)."""
    match = CONTINUATION_RE.search(line)
    if not match:
        return line, None, None, ""
    label = re.sub(r"[\s第]", "", match.group(2)).upper()
    rest = (line[:match.start()] + line[match.end():]).strip(SPACES)
    if match.group(1) in ("下转", "转"):
        return rest, label, None, match.group(0)
    return rest, None, label, match.group(0)


def column_width(widths: list[float]) -> float:
    """The width of the column some lines are set in (0.0 for none): most lines of a column
    are full, while short last lines and indented first lines are not, so the upper quartile."""
    ordered = sorted(widths)
    return ordered[(len(ordered) * 3) // 4] if ordered else 0.0


def column_widths(widths: list[float], window: int = 6) -> list[float]:
    """Per line, the column width around it: that of its neighbours' widths."""
    return [column_width(widths[max(0, i - window): i + window + 1]) for i in range(len(widths))]


def _first_terminal(text: str) -> str:
    """The mark that ends the first sentence of text ("" when text ends none)."""
    return next((char for char in text if char in TERMINALS), "")


LEAD_LABELS = r"(?:核心阅读|编者按|编者的话|内容提要|阅读提示|导读|引子)"
LEAD_LABEL_RE = re.compile(rf"^{LEAD_LABELS}[：:]?$")
# A lead's label opens its article, alone on its line or run in (`编者按：春节临近…`).
LEAD_START_RE = re.compile(rf"^{LEAD_LABELS}(?:[：:]|$)")


def rebuild_paragraphs(lines: list[str | None]) -> list[str]:
    """Rebuild paragraphs from column lines where None marks a blank (a column break).

    Blank lines in PDF text are column breaks, not paragraph breaks. A paragraph ends after a line
    that ends a sentence and either is short for its column, is followed by a blank, or follows
    a blank that cut a sentence (the extraction often puts the break one line early: `驻足⏎⏎观看。`).
    """
    entries = [(i, line) for i, line in enumerate(lines) if line is not None and line.strip(SPACES)]
    widths = column_widths([text_width(line) for _, line in entries])
    paragraphs: list[str] = []
    current: list[str] = []
    for k, (index, line) in enumerate(entries):
        # A lead's label (`核心阅读`, `编者按`) stands as a paragraph of its own.
        if LEAD_LABEL_RE.match(line.strip(SPACES)):
            if current:
                paragraphs.append(join_wrapped_lines(current))
            paragraphs.append(line.strip(SPACES))
            current = []
            continue
        current.append(line)
        if k == len(entries) - 1:
            break
        # A salutation (`各位代表：`, `亲爱的笑笑、果果：`) is a paragraph of its own, a line
        # of it with room to spare.
        if current == [line] and line.rstrip(SPACES).endswith(("：", ":")) \
                and text_width(line) <= widths[k] - 2:
            paragraphs.append(join_wrapped_lines(current))
            current = []
            continue
        # (A closing quote on a line of its own ends the sentence of the line before.)
        if not ends_sentence("".join(current[-2:])):
            continue
        blank_after = entries[k + 1][0] > index + 1
        # The early break (`驻足⏎⏎观看。`) follows a line cut mid-sentence; after a finished
        # sentence the blank was the paragraph break and this line opens the next paragraph.
        blank_before = k > 0 and entries[k - 1][0] < index - 1 \
            and not ends_sentence(entries[k - 1][1])
        # Two em short: less would catch full lines whose digits are set narrow.
        short = text_width(line) <= widths[k] - 2
        # A run of questions (`机制是什么？⏎⏎缘何而来？将…`) is one paragraph across a blank.
        asks_on = blank_after and line.rstrip(CLOSERS).endswith(("？", "?")) \
            and _first_terminal(entries[k + 1][1]) in ("？", "?")
        # A closing quote read onto the next line closes this paragraph's sentence.
        closes_on = entries[k + 1][1].lstrip(SPACES)[:1] in CLOSERS
        if (short or blank_after or blank_before) and not asks_on and not closes_on:
            paragraphs.append(join_wrapped_lines(current))
            current = []
    if current:
        paragraphs.append(join_wrapped_lines(current))
    return paragraphs


def han_pairs(text: str) -> list[str]:
    """Every pair of adjacent Han characters, in order, repeats included."""
    return [run[i:i + 2] for run in _HAN_RUN_RE.findall(text) for i in range(len(run) - 1)]


# Rarity weights are whole multiples of this, so any sum of them is exact and comes out the same
# in every order: sums over sets of words (whose order follows Python's per-process string
# hashes) give the same split from run to run, at the speed of a plain sum.
WEIGHT_STEP = 2.0 ** -20


def rarity_weights(parts: list[set[str]] | list[Counter]) -> dict[str, float]:
    """Each Han pair of the parts weighed by how few of them hold it (smoothed inverse document
    frequency): a word every story on a page uses (疫情, 发展) tells none of them apart."""
    holders = Counter(pair for part in parts for pair in part)
    return {pair: round(math.log((len(parts) + 1) / (n + 0.5)) / WEIGHT_STEP) * WEIGHT_STEP
            for pair, n in holders.items()}


def bigrams(text: str) -> set[str]:
    """Pairs of adjacent Han characters: the evidence that a headline belongs to a body."""
    return set(han_pairs(text))
