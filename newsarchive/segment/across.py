"""Text read straight across the page, put back in column order.

pdfminer (pdfplumber's `extract_text`) groups a page's characters into lines by baseline over the
whole page width: one of its lines holds a piece of every column whose line sits at that height,
left to right, joined by single spaces, and columns set on other baselines come out as lines of
their own between them. Read on, such a page weaves every story on it line by line.

Such text shows itself by its pieces: most lines hold several runs of Han text about one
column wide, and no line is blank (pdfplumber never leaves a blank line; an extraction that
keeps blocks apart, as pdftotext does, leaves many). Each line is cut into pieces at its gaps; a
space next to a character that stands alone (letter-spaced text) or a number (print's spaces
around digits) is a gap only where the run would be wider than a column, and never before a
mark no line opens with; a credit and its name (`本报记者 张三`) and a headline's words beside
a part wider than any column are one piece. Columns printed on one baseline come out together
line after line, so a line continues a group of columns seen in the last two lines, most likely
one with as many pieces (the groups set on other baselines took the lines between), or one its
pieces continue well, laid on its columns in order, where a column ends or starts; a line whose
tokens may join is also cut where its pieces read on in a group's columns; a line the next one
continues better (two stories on alternate baselines) is another group's, unless the next one
reads on from it as well; a group closed a few lines up goes on with a line that reads on in
its columns well; where the lines' counts of pieces come round in a fixed order (two to four
baselines in turn), a line goes on most likely with the group that took the line a round up.
Which piece continues which is told by the characters across the break, a word of jieba's
dictionary most surely. Each group's columns are then read one after another,
left to right, groups in the order they start down the page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import CLOSERS, SPACES, column_width, ends_sentence, text_width
from .columns import page_lines
from .patterns import CREDIT, NAME_RE, NO_HEAD_PUNCT, PAPER

Entry = tuple[int, str]   # (index of the source line, text)

# A reporter's credit standing alone before the name: 本报记者, 记者, 新华社记者.
CREDIT_RE = re.compile(rf"^[（(]?(?:本报|新华社|{PAPER})?{CREDIT}$")

# The widths of one page's pieces are asked for again and again (a piece's at every group a
# line is laid on, a run's at every cut tried): worked out once each.
_width = lru_cache(maxsize=1 << 16)(text_width)
GAP_RE = re.compile(f"[{SPACES}]+")
# A piece at least this wide (em) is a column's line rather than a letter-spaced character, a
# number or a short word.
MIN_COLUMN = 4.0
# Share of the page's lines that must hold two column-wide pieces for the page to be read as
# across columns.
MIN_ACROSS_SHARE = 0.08
# Share of blank lines above which the text is taken to be kept in blocks already.
MAX_BLANK_SHARE = 0.01
# How far (em) a run of letter-spaced characters and numbers may exceed the page's column width
# and still be read as one column's line.
WIDTH_TOLERANCE = 1.5
# A group of columns not continued for this many lines has ended: the columns on other
# baselines between two lines of one group take up to this many lines less one.
GROUP_REACH = 2
# Two to four baselines set with one leading come round in a fixed order, and the lines'
# counts of pieces with them: where the counts repeat, the group that took the line a round up
# stays open for a line of its count, past GROUP_REACH, and gains this much. (Dev, pdfminer
# found exactly / segmentation / exact titles, odd then even, without: 370 / 0.5094 / 451, 383
# / 0.5209 / 417; rounds of 3 or 4 lines kept open: 372 / 0.5127 / 456, 381 / 0.5214 / 417;
# gaining 2: 372 / 0.5126 / 455, 382 / 0.5217 / 417; rounds of 2 as well: 372 / 0.5124 /
# 454, 385 / 0.5223 / 417. across_order: sentences read whole 0.801 -> 0.805, lines read on
# right 0.941 -> 0.946; with the last two rounds alike rather than three: 376 / 0.5142 / 461,
# 378 / 0.5233 / 425, across_order 0.806 / 0.948; with rounds of 5 and 6 as well, three rounds:
# across_order 0.805 / 0.946.)
PERIOD_BONUS = 2.0
# What laying a line on a group's columns costs for each column it leaves mid-paragraph and each
# piece it starts a column with, and the score per piece laid (or column kept, if fewer) it
# must reach for the line to go on with the group rather than start one: a line of another
# baseline lays on a group badly. (Dev split, pdfminer segmentation when set, at a needed score of
# 0.5 / 0.75 / 1 / 1.25: 0.400 / 0.407 / 0.406 / 0.386; at a reach of 2 / 3 / 4 lines with
# a needed score of 1: 0.406 / 0.392 / 0.378; costs of 0.5 each: 0.402 and 0.406.)
SKIP_COST = 1.0
NEW_COST = 1.0
RESHAPE_SCORE = 1.0
# What a line laid piece by piece on a group of as many columns gains: groups on different
# baselines take turns line by line, most often with the same count of pieces each time. (Dev,
# pdfminer segmentation at 0 / 1 / 2 / 4 / always taken first: 0.404 / 0.406 / 0.410 / 0.406 /
# 0.406.)
SAME_BONUS = 2.0
# How much (em) a line wider than the page's columns differs from its neighbour in the column
# at least where a headline set across columns meets the text. (Dev, pdfminer segmentation /
# found exactly at 0.5 / 1.5 / 3 / 6 with a blank line also before a line free of full stops
# and commas after a finished sentence: 0.434 / 0.438 / 0.442 / 0.440, 11.6% / 11.6% / 12.7% /
# 12.3%; at 1.5 / 3 / 4.5 with the indent given back instead: 0.475 / 0.483 / 0.480; no break
# there: 0.458.)
WIDTH_JUMP = 3.0
# A paragraph's first line is set in by two em, which pdfminer drops; given back as two
# ideographic spaces, as an extraction that keeps it shows it. A line is that much narrower
# than its column's full lines, and the line under it full, to within INDENT_TOLERANCE (em).
# (Dev, pdfminer segmentation / found exactly with the blank lines after finished sentences:
# no indent given back 0.443 / 12.6%; under a line free of full stops and commas 0.454 /
# 13.7%; also after a finished sentence 0.449 / 13.4%; without the full line under it 0.442 /
# 13.7%; to within 0.5 / 1 / 1.5 em 0.454 / 0.423 / 0.417. The indent given back, those blank
# lines were dropped: 0.483 / 16.1%.)
INDENT = "\u3000\u3000"
INDENT_WIDTH = 2.0
INDENT_TOLERANCE = 0.5
# A headline printed in a column between two stories' lines, or at the column's top, over its
# text: up to HEAD_LINES lines ending no sentence, the last short of the widest of the three
# text lines under it by more than INDENT_WIDTH + HEAD_SHORT (em), is set apart by blank lines
# as pdftotext sets it. The line before it ends a sentence or a bracket (a dateline, `（本报
# 首尔2月9日电）`, a credit closes a story too).
# (Dev, pdfminer found exactly / segmentation / exact titles, even then odd half, before: 379 /
# 0.5240 / 428, 380 / 0.5174 / 463; short by 1 / 2 / 3 / 4 em more, after a finished sentence
# only: 375 / 0.5041 / 438, 393 / 0.5015 / 476; 420 / 0.5342 / 466, 419 / 0.5287 / 494;
# 423 / 0.5388 / 473, 421 / 0.5291 / 495; 418 / 0.5356 / 460, 404 / 0.5246 / 493; up to 2 / 4
# lines at 3 em: 415 / 0.5357 / 462, 409 / 0.5272 / 480; 422 / 0.5383 / 470, 421 / 0.5289 /
# 493; at the column's top as well: 433 / 0.5419 / 487, 424 / 0.5309 / 505. The indent given
# back to the text's first line instead of the blank lines: 338 / 0.4996 / 395, 359 / 0.4983 /
# 441. Then after a bracket as well: 435 / 0.5424 / 484, 425 / 0.5312 / 506; the widest of three
# lines under it, not two: 441 / 0.5446 / 486, 424 / 0.5330 / 516; of four: 439 / 0.5427 / 479,
# 423 / 0.5326 / 507; short by 2.5 / 3.5 em more: 440 / 0.5454 / 486, 423 / 0.5336 / 514; 427 /
# 0.5393 / 475, 412 / 0.5286 / 508. A second test, the headline's last line a first line's
# indent and 1 em short of the line under it where that line is the indent short of the next:
# 432 / 0.5395 / 487, 427 / 0.5300 / 513 against 433 / 0.5419 / 487, 424 / 0.5309 / 505.)
HEAD_LINES = 3
HEAD_SHORT = 3.0
# What a piece gains as the next line of a column where the two characters across the break
# begin a word of the dictionary: the pairs a page's own pieces hold take any two characters
# seen together, a word across the break tells the column's own line. (Dev, pdfminer share of
# true sentences read whole at 0 / 0.5 / 1 / 1.5 with WOVEN_MARGIN 3: 0.748 / 0.760 / 0.769 /
# 0.767.)
WORD_SCORE = 1.0
# How much better (in `_continues` scores) a line's pieces must continue the group's columns
# from the line after it, the line itself going on two lines down, for the line to be read as
# another baseline's woven between the group's lines. Two stories side by side whose lines sit
# on alternate baselines each have as many columns, and the second story's first line would
# otherwise go on with the first's columns for good. (Dev, pdfminer share of true sentences
# read whole / stretches a true story is read in / segmentation, with WORD_SCORE 1, never
# woven: 0.764 / 3.76 / 0.498; at 0 / 1 / 2 / 3 / 4 / 5: 0.742 / 0.759 / 0.768 / 0.771 /
# 0.770 / 0.771, stretches 2.97 / 2.89 / 2.87 / 2.87 / - / 3.04, segmentation at 0 / 3 / 5:
# 0.466 / 0.509 / 0.507.)
WOVEN_MARGIN = 3.0
# The lines after it are looked for among this many: the next two of as many pieces, lines of
# a third baseline between them. (Dev, pdfminer share of true sentences read whole / articles
# read whole / lines read on right, the next two lines only: 0.800 / 0.380 / 0.939; within 4 /
# 6 / 8: 0.801 / 0.384 / 0.940, 0.801 / 0.384 / 0.941, 0.801 / 0.384 / 0.941.)
WOVEN_REACH = 6
# Print never opens a line with a mark that closes a clause or a quotation, nor ends one with a
# mark that opens one (kinsoku): a cut that would is a letter-spaced line's cut in the wrong
# place, costing this much more. A cut between two characters standing alone that a token of
# the page holds side by side, or that begin a word of the dictionary, costs JOINED_COST more.
# (Dev, pdfminer lines cut by width alone as `pdftotext -raw` has them: 91,310 of 97,254 that
# can be before, 91,411 with the barred marks; with credits and names one piece, 91,513 without
# JOINED_COST and 91,517 with it.)
LINE_START_BARRED = "，。、；：？！" + CLOSERS
LINE_END_BARRED = "“‘（《「『"
BARRED_COST = 2.0
JOINED_COST = 1.0
# What a line cut along a group's columns (`_cut_along`) gives up against its pieces as fitted
# to the column's width: a width alone tells a letter-spaced line's cut badly, but a cut that
# only reads a little better may be another baseline's line. (Dev, pdfminer found exactly /
# segmentation / exact titles, odd half then even, at 0: 357 / 0.503 / 445, 342 / 0.505 /
# 409; at 2: 361 / 0.507 / 443, 353 / 0.510 / 411; at 4 without reopening groups: 352 /
# 0.502 / 443, 351 / 0.505 / 405.)
ALONG_MARGIN = 2.0
# A group closed up to this many lines up (a caption's or a headline's lines came between) goes
# on with a line that lays on its columns at least this well a column (`_continues`): a new
# group there reads a column's lines in two stretches.
REOPEN_REACH = 5
REOPEN_SCORE = 3.0


def across_order(text: str) -> tuple[str, list[int] | None]:
    """The page's text with lines read across columns put back column by column, and for each of
    its lines the 1-based page line it came from (None where the text is not read across
    columns, and is returned as given)."""
    lines = page_lines(text)
    # An extraction that keeps blocks apart is known by its blank lines before any line is cut.
    if sum(not line.strip(SPACES) for line in lines) > MAX_BLANK_SHARE * len(lines):
        return text, None
    pieces = [line_pieces(line) for line in lines]
    if not _read_across(pieces):
        return text, None
    column = page_column_width(pieces)
    entries = down_columns(list(enumerate(pieces)), column)
    return "\n".join(line for _, line in entries), [index + 1 for index, _ in entries]


def line_pieces(line: str) -> list[str]:
    """A line's runs of text between spaces, a credit and the name after it (`本报记者 张三`)
    one run: the space between them is the byline's own, not a gap between columns."""
    pieces: list[str] = []
    for piece in GAP_RE.split(line.strip(SPACES)):
        if pieces and CREDIT_RE.match(pieces[-1]) and NAME_RE.match(piece):
            pieces[-1] += piece
        elif piece:
            pieces.append(piece)
    return pieces


def _read_across(pieces: list[list[str]]) -> bool:
    """Whether enough of the page's lines hold two column-wide pieces."""
    filled = [line for line in pieces if line]
    if not filled:
        return False
    across = sum(sum(_width(piece) >= MIN_COLUMN for piece in line) >= 2 for line in filled)
    return across >= MIN_ACROSS_SHARE * len(filled)


def page_column_width(pieces: list[list[str]]) -> float:
    """The page's most common column width (em): the commonest width of the column-wide pieces
    of lines read across columns."""
    widths = Counter(round(_width(piece)) for line in pieces if len(line) > 1
                     for piece in line if _width(piece) >= MIN_COLUMN)
    return float(widths.most_common(1)[0][0]) if widths else MIN_COLUMN


@lru_cache(maxsize=1 << 16)
def _short(token: str) -> bool:
    """Whether a token may be part of a letter-spaced or number-spaced column line: a character
    standing alone or a run of digits and Latin letters."""
    width = _width(token)
    return width <= 1 or width * 2 == len(token)


def _fit_pieces(tokens: list[str], column: float, joined: Counter) -> tuple[list[str], float]:
    """A line's tokens joined into its column pieces: tokens a space apart join where one of
    them is short, as long as the run stays within a column; a run wider than that is cut where
    the pieces come out closest to a column's width, at the fewest cuts between two short
    tokens. With the pieces, what their cuts and widths cost (`_cut_run`)."""
    pieces: list[str] = []
    cost = 0.0
    start = 0
    for end in range(1, len(tokens) + 1):
        if end == len(tokens) or not (_short(tokens[end - 1]) or _short(tokens[end])):
            run_cost, run_pieces = _cut_run(tokens[start:end], column, joined)
            pieces.extend(run_pieces)
            cost += run_cost
            start = end
    return pieces, cost


def _headline_words(tokens: list[str], column: float) -> list[str]:
    """A line's tokens with a headline's words one token, a space apart as printed: two tokens
    free of full stops and commas, one wider than any column, are a headline set across the
    columns and the word space in it, not two columns' lines."""
    merged: list[str] = []
    limit = column + WIDTH_TOLERANCE
    for token in tokens:
        if merged and not _short(merged[-1]) and not _short(token) \
                and max(_width(merged[-1]), _width(token)) > limit \
                and min(_width(merged[-1]), _width(token)) <= column - INDENT_WIDTH \
                and not any(c in NO_HEAD_PUNCT for c in merged[-1] + token):
            merged[-1] += " " + token
        else:
            merged.append(token)
    return merged


def _cut_run(run: list[str], column: float, joined: Counter) -> tuple[float, list[str]]:
    """A run of tokens that may join cut into column pieces: none wider than a column, at the
    least cost of cuts and of pieces' widths off the column's. (Dev, share of true sentences
    read whole with the width term weighed 0.03 / 0.1 / 0.3: 0.729 / 0.732 / 0.740, and
    pdfminer segmentation at 0.1 / 0.3: 0.413 / 0.413.)"""
    if len(run) == 1:
        return 0.0, list(run)
    limit = column + WIDTH_TOLERANCE
    widths = [_width(token) for token in run]
    cuts = [0.0] + [_cut_cost(run[k - 1], run[k], joined) for k in range(1, len(run))]
    # best[j]: (cost, pieces) for run[:j]; a token alone is always a piece, so each is reached
    best: list[tuple[float, list[str]]] = [(0.0, [])]
    for end in range(1, len(run) + 1):
        width = 0.0
        row = None
        for start in range(end - 1, -1, -1):
            width += widths[start]
            if end - start > 1 and width > limit:
                break
            cost = best[start][0] + cuts[start] + _spread_cost(width, end - start, column)
            if row is None or cost <= row[0]:
                row = (cost, best[start][1] + ["".join(run[start:end])])
        best.append(row)
    return best[-1]


def _cut_cost(before: str, after: str, joined: Counter) -> float:
    """What cutting a run between two of its tokens costs."""
    # Two characters standing alone are one letter-spaced line more often than two.
    short = _short(before) and _short(after)
    cost = 1.0 if short else 0.3
    if after[0] in LINE_START_BARRED or before[-1] in LINE_END_BARRED:
        cost += BARRED_COST
    across = before[-1] + after[0]
    if short and (joined.get(across) or across in _word_starts()):
        cost += JOINED_COST
    return cost


def _spread_cost(width: float, count: int, column: float) -> float:
    """What a piece of `count` tokens, `width` em wide, costs for its width off the column's:
    letter spacing widens a line to the column, and a line's spaces take some of it."""
    return 0.1 * abs(column - width - 0.3 * (count - 1)) if count > 1 else 0.0


# A line's ways to be cut where its tokens may join: from each token, the pieces that may start
# there (the token after the piece, the piece, what its width costs), and what a cut before each
# token costs (0 where two tokens are always apart).
Spans = tuple[list[list[tuple[int, str, float]]], list[float]]


def _spans(tokens: list[str], column: float, joined: Counter) -> Spans | None:
    """The pieces a line's tokens may be cut into (`Spans`), or None where no two of them may
    join (the line has one way to be cut)."""
    shorts = [_short(token) for token in tokens]
    may_join = [k > 0 and (shorts[k - 1] or shorts[k]) for k in range(len(tokens))]
    if not any(may_join):
        return None
    limit = column + WIDTH_TOLERANCE
    widths = [_width(token) for token in tokens]
    spans = []
    for start in range(len(tokens)):
        ends = [(start + 1, tokens[start], 0.0)]
        width = widths[start]
        for end in range(start + 2, len(tokens) + 1):
            width += widths[end - 1]
            if not may_join[end - 1] or width > limit:
                break
            ends.append((end, "".join(tokens[start:end]), _spread_cost(width, end - start, column)))
        spans.append(ends)
    cuts = [_cut_cost(tokens[k - 1], tokens[k], joined) if may_join[k] else 0.0
            for k in range(len(tokens))]
    return spans, cuts


def _cut_along(spans: Spans, lasts: list[str], pairs: Counter) -> tuple[float, list[str]] | None:
    """A line cut into as many pieces as a group has columns, each piece read on from the
    column's last line (`lasts`): (how well the pieces continue the columns less what the cuts
    cost, the pieces), or None if the line cannot be cut so. Tokens apart that may join are cut
    where the columns read on, not only where the widths fit."""
    ends_from, cuts = spans
    count, size = len(lasts), len(ends_from)
    # best: for each count of tokens read, the best (value, pieces) of k pieces holding them
    best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
    for k, last in enumerate(lasts):
        left = count - k - 1
        after: dict[int, tuple[float, list[str]]] = {}
        for start, (value, pieces) in best.items():
            value -= cuts[start]
            for end, piece, cost in ends_from[start]:
                if size - end < left:
                    break
                if left == 0 and end < size:
                    continue
                score = value - cost + _continues(last, piece, pairs)
                if end not in after or score > after[end][0]:
                    after[end] = (score, pieces + [piece])
        best = after
    return best.get(size)


def _pairs(texts: Iterable[str]) -> Counter:
    """How often each two characters stand side by side in the texts (as a string of two),
    counted in one pass over them all: a page's pairs are counted on every page read."""
    joined = "\n".join(texts)
    return Counter(map(str.__add__, joined, joined[1:]))


@dataclass
class _Group:
    """Columns printed on one baseline: those its last line went on, left to right, and every
    one it has had, in the order they are read."""

    last: int
    columns: list[list[Entry]] = field(default_factory=list)
    every: list[list[Entry]] = field(default_factory=list)


def down_columns(tokened: list[tuple[int, list[str]]], width: float) -> list[Entry]:
    """Lines of tokens cut into pieces, read group by group and column by column: each column's
    pieces in turn, a blank line after each column, lines of other type apart (`_with_breaks`);
    `width` is the page's column width (em). Which pieces follow one another is judged by the
    pairs of characters the page's pieces hold; tokens that may join are cut as they fit the
    column's width (`_fit_pieces`), or where they read on in a group's columns
    (`_cut_along`)."""
    # Pairs inside tokens that hold no space are sure to be read on; those of a line's pieces
    # once cut, likely.
    joined = _pairs(token for _, tokens in tokened for token in tokens if not _short(token))
    tokened = [(source, _headline_words(tokens, width)) for source, tokens in tokened]
    fitted = [(source, _fit_pieces(tokens, width, joined)) for source, tokens in tokened]
    lines = [(source, pieces) for source, (pieces, _) in fitted]
    pairs = _pairs(piece for _, pieces in lines for piece in pieces)
    groups: list[_Group] = []
    open_groups: list[_Group] = []
    counts = [len(pieces) for _, pieces in lines]
    line_groups: dict[int, _Group] = {}
    for index, (source, (fit, fit_cost)) in enumerate(fitted):
        if not fit:
            continue
        spans = _spans(tokened[index][1], width, joined)
        open_groups = [group for group in open_groups if index - group.last <= GROUP_REACH]
        # The group a round of baselines up, its lines further apart than GROUP_REACH.
        period = _period(counts, index)
        recurring = line_groups.get(index - period) if period else None
        if recurring is not None and len(recurring.columns) == len(fit) \
                and all(group is not recurring for group in open_groups):
            open_groups.append(recurring)
        # The line goes on with the group its pieces continue best, of groups alike the one not
        # seen longest (the others took the lines since); a line that lays on none well starts
        # a group of its own.
        scored = [row for group in open_groups
                  for row in _ways_on(group, fit, fit_cost, spans, lines, index, pairs)]
        scored = [(row[0] + PERIOD_BONUS * (row[4] is recurring),) + row[1:] for row in scored]
        if not scored:
            # A group closed a few lines up (a caption, a headline's lines took them) goes on
            # only with a line that reads on in every one of its columns.
            scored = [row for group in groups
                      if GROUP_REACH < index - group.last <= REOPEN_REACH
                      for row in _ways_on(group, fit, fit_cost, spans, lines, index, pairs)
                      if row[0] - SAME_BONUS * (len(row[3]) == len(group.columns))
                      >= REOPEN_SCORE * min(len(row[3]), len(group.columns))]
            open_groups.extend({id(row[4]): row[4] for row in scored}.values())
        pieces = fit
        if scored:
            _, _, matches, pieces, group = max(scored, key=lambda row: row[:2])
            placed = _placed(group, matches, pieces)
        else:
            group = _Group(index)
            groups.append(group)
            open_groups.append(group)
            placed = [([], piece) for piece in pieces]
            group.every.extend(column for column, _ in placed)
        group.last = index
        line_groups[index] = group
        group.columns = [column for column, _ in placed]
        for column, piece in placed:
            column.append((source, piece))
    out: list[Entry] = []
    for group in groups:
        for column in group.every:
            out.extend(_with_breaks(column, width))
            out.append((column[-1][0], ""))
    return out


def _period(counts: list[int], index: int) -> int | None:
    """The lines after which the counts of pieces of the lines up to `index` come round again,
    the last two rounds alike (a round not all one count: lines of one count are told apart by
    `_woven`), or None."""
    for period in (2, 3, 4):
        if index + 1 >= 2 * period \
                and len(set(counts[index - period + 1:index + 1])) > 1 \
                and all(counts[index - k] == counts[index - k - period] for k in range(period)):
            return period
    return None


def _ways_on(group: _Group, fit: list[str], fit_cost: float, spans: Spans | None,
            lines: list[tuple[int, list[str]]], index: int, pairs: Counter
            ) -> list[tuple[float, int, list[int | None], list[str], _Group]]:
    """The ways line `index` may go on with a group: (score, -the group's last line, for each
    piece its column, the pieces, the group), its pieces as fitted (`fit`) laid on the group's
    columns, or its tokens cut along them (`_cut_along`)."""
    lasts = [column[-1][1] for column in group.columns]
    ways = []
    if len(group.columns) == len(fit):
        if not _woven(lasts, fit, lines, index, pairs):
            ways.append((_chain(lasts, fit, pairs) + SAME_BONUS, -group.last,
                         list(range(len(fit))), fit, group))
    else:
        score, matches = _align(group.columns, fit, pairs)
        if score >= RESHAPE_SCORE * min(len(fit), len(group.columns)) \
                and not _next_goes_on(lasts, lines, index, score, pairs):
            ways.append((score, -group.last, matches, fit, group))
    along = _cut_along(spans, lasts, pairs) if spans else None
    if along is not None and along[1] != fit and not _woven(lasts, along[1], lines, index, pairs):
        ways.append((along[0] + fit_cost + SAME_BONUS - ALONG_MARGIN, -group.last,
                     list(range(len(lasts))), along[1], group))
    return ways


def _with_breaks(column: list[Entry], width: float) -> list[Entry]:
    """A column's lines with a blank line between a line wider than the page's columns and one
    much narrower (a headline set across columns over its text, or a column's line read on
    after one) and around a headline printed in the column (`_headline_ends`), as pdftotext
    keeps such blocks apart; and a paragraph's first line under a
    headline's lines with the indent the extraction dropped given back, by which the reading of
    items tells where a headline set over its text in the same column ends."""
    widths = [_width(text) for _, text in column]
    full = column_width(widths)
    apart = _headline_ends(column, widths)
    out = [column[0]]
    for k in range(1, len(column)):
        source, text = column[k]
        if k in apart or (max(widths[k - 1], widths[k]) > width + WIDTH_TOLERANCE
                          and abs(widths[k - 1] - widths[k]) >= WIDTH_JUMP):
            out.append((column[k - 1][0], ""))
        # A first line is the indent narrower than the full line under it.
        if k + 1 < len(column) and _under_headline(column, k) \
                and abs(widths[k] + INDENT_WIDTH - full) <= INDENT_TOLERANCE \
                and abs(widths[k + 1] - full) <= INDENT_TOLERANCE:
            text = INDENT + text
        out.append((source, text))
    return out


def _headline_ends(column: list[Entry], widths: list[float]) -> set[int]:
    """The lines a blank line goes before to set a headline printed in the column apart: at the
    column's top or after a finished sentence or bracket, one to HEAD_LINES lines ending none and holding
    no full stop, the last of them much shorter than the text's lines under it (a headline's
    last line, in larger type: the column's own width is not asked, as a column read down may
    hold frames of other widths further off). pdftotext keeps such a headline a block of its
    own; pdfminer runs it on between two stories' lines."""
    apart: set[int] = set()
    for k in range(len(column) - 1):
        if k and not (ends_sentence(column[k - 1][1]) or column[k - 1][1].endswith("）")):
            continue
        for m in range(k, min(k + HEAD_LINES, len(column) - 1)):
            text = column[m][1]
            if ends_sentence(text) or any(c in text for c in "。；"):
                break
            if widths[m] <= max(widths[m + 1:m + 4]) - INDENT_WIDTH - HEAD_SHORT:
                apart.update((k, m + 1) if k else (m + 1,))
                break
    return apart


def _under_headline(column: list[Entry], k: int) -> bool:
    """Whether the lines over line k look like a headline's: one or two lines free of full stops
    and commas, at the column's top or under a finished sentence. (Lines of text hold no comma
    often enough; dev, pdfminer segmentation / found exactly / exact titles under any such
    line: 0.483 / 16.1% / 18.5%, under one or two: 0.487 / 16.0% / 19.4%, one: 0.456 / 13.1%
    / 16.1%.)"""
    def plain(n: int) -> bool:
        return not any(c in column[n][1] for c in NO_HEAD_PUNCT)

    if k < 1 or not plain(k - 1):
        return False
    # A second plain line over the first is the headline's too (or an over-line's).
    top = k - 2 if k >= 2 and plain(k - 2) else k - 1
    return top == 0 or ends_sentence(column[top - 1][1])


def _placed(group: _Group, matches: list[int | None], pieces: list[str]
            ) -> list[tuple[list[Entry], str]]:
    """Each piece with the group's column it continues, or a new column, which is read just
    before the next column the line went on with."""
    placed = []
    for n, (match, piece) in enumerate(zip(matches, pieces)):
        if match is not None:
            placed.append((group.columns[match], piece))
            continue
        column: list[Entry] = []
        after = next((m for m in matches[n + 1:] if m is not None), None)
        if after is None:
            group.every.append(column)
        else:
            at = next(k for k, other in enumerate(group.every) if other is group.columns[after])
            group.every.insert(at, column)
        placed.append((column, piece))
    return placed


def _align(columns: list[list[Entry]], pieces: list[str], pairs: Counter
           ) -> tuple[float, list[int | None]]:
    """The best way to lay a line's pieces on a group's columns, both kept in order: (score,
    for each piece the index of its column or None for a new one). A piece whose first character
    follows its column's last as the two follow each other elsewhere on the page scores most, a
    piece as wide as its column's last line next; a column left mid-paragraph and a piece
    without a column cost."""
    rows, cols = len(pieces), len(columns)
    longest = max(len(column) for column in columns)
    best: list[list[tuple[float, tuple]]] = [[(-1e9, ())] * (cols + 1) for _ in range(rows + 1)]
    best[0][0] = (0.0, ())
    for i in range(rows + 1):
        for j in range(cols + 1):
            score, matches = best[i][j]
            if score <= -1e9:
                continue
            if j < cols:
                skip = score - (0.0 if _may_stop(columns[j], longest) else SKIP_COST)
                if skip > best[i][j + 1][0]:
                    best[i][j + 1] = (skip, matches)
            if i < rows:
                new = score - NEW_COST
                if new > best[i + 1][j][0]:
                    best[i + 1][j] = (new, matches + (None,))
            if i < rows and j < cols:
                take = score + _continues(columns[j][-1][1], pieces[i], pairs)
                if take > best[i + 1][j + 1][0]:
                    best[i + 1][j + 1] = (take, matches + (j,))
    score, matches = best[rows][cols]
    return score, list(matches)


def _woven(last: list[str], here: list[str], lines: list[tuple[int, list[str]]], index: int,
           pairs: Counter) -> bool:
    """Whether line `index`, cut into `here`, as many pieces as the group has columns (their
    last lines `last`), is another baseline's line woven between the group's: the next line of
    as many pieces continues the group's columns better, and the line itself goes on in the one
    after that, than the three lines read straight down. Lines of other counts between them are
    a third baseline's."""
    count = len(last)
    alike = [pieces for _, pieces in lines[index + 1:index + 1 + WOVEN_REACH]
             if len(pieces) == count][:2]
    if len(alike) < 2:
        return False
    after, second = alike
    straight = _chain(last, here, pairs) + _chain(here, after, pairs)
    woven = _chain(last, after, pairs) + _chain(here, second, pairs)
    return woven > straight + WOVEN_MARGIN


def _next_goes_on(lasts: list[str], lines: list[tuple[int, list[str]]], index: int,
                  score: float, pairs: Counter) -> bool:
    """Whether the next line holding as many pieces as the group has columns (within
    WOVEN_REACH: lines of a third baseline may come between) continues them better than line
    `index` lays on them (`score`), and than it reads on from line `index` itself: line `index`,
    of another count, is then another baseline's between the group's lines. (Dev, pdfminer
    segmentation / found exactly / exact titles, never: 0.512 / 223 / 268; when better by more
    than -2 / -1 / 0 / 2: 0.512 / 0.516 / 0.519 / 0.516, 224 / 226 / 226 / 223, 275 / 276 / 266
    / 263. Share of true sentences read whole, the line itself not asked: 0.796, asked: 0.797.
    Later, odd then even, the line right after only: 376 / 0.5142 / 461, 378 / 0.5233 / 425;
    the next of the count within GROUP_REACH: 379 / 0.5159 / 463, 378 / 0.5240 / 424; within
    WOVEN_REACH: 380 / 0.5174 / 463, 379 / 0.5240 / 428.)"""
    alike = [pieces for _, pieces in lines[index + 1:index + 1 + WOVEN_REACH]
             if len(pieces) == len(lasts)]
    if not alike:
        return False
    after = _chain(lasts, alike[0], pairs)
    # The next line may as well read on from line `index` itself (a headline's line added a
    # column to the group, and the text goes on under it).
    reads_on, _ = _align([[(0, piece)] for piece in lines[index][1]], alike[0], pairs)
    return reads_on < after and after > score


def _chain(lasts: list[str], pieces: list[str], pairs: Counter) -> float:
    """How well each piece reads as the next line after the one at its place in `lasts`."""
    return sum(_continues(last, piece, pairs) for last, piece in zip(lasts, pieces))


def _may_stop(column: list[Entry], longest: int) -> bool:
    """Whether a column may be left without a piece: it ended a paragraph, or it holds one line
    where others of its group hold more (a headline's, a caption's piece sharing a line with
    the columns). A group just begun is not left so lightly: the line after its first may be
    another baseline's. (Dev, pdfminer segmentation with such a column free to leave or not:
    0.412 / 0.410.)"""
    return len(column) == 1 < longest or ends_sentence(column[-1][1])


def _continues(last: str, piece: str, pairs: Counter) -> float:
    """How well a piece reads as the next line after `last` in one column."""
    across = last[-1] + piece[0]
    # `get`: a Counter's missing key goes through Python code, and most pairs are missing.
    score = 2.0 if pairs.get(across) else 0.0
    if across in _word_starts():
        score += WORD_SCORE
    if abs(_width(piece) - _width(last)) <= WIDTH_TOLERANCE:
        score += 1.0
    return score


@lru_cache(maxsize=1)
def _word_starts() -> frozenset[str]:
    """The two characters every word of jieba's dictionary of at least two begins with, read
    from the dictionary's file, not from jieba's live table: words added to jieba (the topic
    keywords key_terms adds) must not change how a page is read. Read on first use."""
    import jieba

    with jieba.get_dict_file() as words:
        return frozenset(word[:2] for word in (line.split(maxsplit=1)[0].decode("utf-8")
                                               for line in words if line.strip())
                         if len(word) >= 2)
