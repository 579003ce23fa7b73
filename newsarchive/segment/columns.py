"""Lines an extraction read across columns, put back in column order.

Where columns sit close, pdftotext joins the lines of neighbouring columns that share a baseline:
such a line is one column's line, a space, the next column's line. Read on, a band of them weaves
two stories, or two halves of one, line by line. The band shows itself by where its gap falls:
the left column's lines are all one width, so line after line splits at a space after that width,
and the lines printed alone between them are that wide too. The left pieces are put first, then,
after a blank, the rest, which may itself hold more columns. Spaces that are print's (around
digits, between letter-spaced characters, in a headline) rarely fall at one width line after
line, and a gap between two characters that stand alone never sets or extends a band; at a
width two of the page's bands have, fewer lines make a band (two stories side by side may share
only their first rows). Where the columns' baselines differ a little, a line of either may be
printed alone inside the band; it goes to the column whose words broken at line ends it joins.
A piece still holding more columns, too few of its lines for a band, is cut at the width of a
column of the page's bands.
Where two letter-spaced column lines meet, no gap tells them apart: they are cut where the
column's width falls (in a band read in turn, and in such pieces). A band's left column is read
for bands again, unless the band was read in turn: its width may be that of two columns. A
headline in large type set beside a band prints a few characters at the start of some of its
rows: they are read first, a block of their own, then the band's columns; so they are where no
band is found, set beside one column, opening every other row or so (a list's short items
open line after line). A line of a band no wider than its column may yet hold a column's line
(or a paragraph's first) and, after a space, the next column's paragraph end: it is cut there,
unless the space is print's, before a number's unit or a mark. A band of columns of
one width, its rows all cut into lines of that width and its rightmost column's lines as wide
(not where the left width is two columns beside a narrow one), is read column by column at once:
where the columns' baselines differ a little, a row holds only some of the columns, those that
have given fewest lines so far, and among as many those whose broken words its pieces join
(`_columns_in_turn`).

Where two columns' baselines differ, pdftotext prints their lines one after the other, a line of
each in turn (`split_interleaved`): there the words broken at a line's end go on two lines
further down, not on the next line.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import combinations, islice

from ..text import (NARROW_RE, SPACES, TERMINALS, ends_sentence, han_pairs, is_han, text_width,
                    unify_radicals)

# How far a left column line may be from the band's width (em): justification squeezes or spaces
# out a character, and a closing mark may hang in the margin. (Dev split, pdftotext segmentation
# at 0.75 / 1.0 / 1.5 em: 0.582 / 0.595 / 0.595.)
WIDTH_TOLERANCE = 1.0
# A band needs this many lines of its left column's width (split there or not) to tell the
# width apart from a space around digits. (Dev, at 3 / 4 / 5: pdftotext segmentation 0.597 /
# 0.595 / 0.593, raw titles 57.5% / 57.9% / 57.9%.)
MIN_SUPPORT = 4
# and this many lines split at it.
MIN_SPLIT_ROWS = 2
# A band at a width KNOWN_BANDS of the page's bands have (within KNOWN_WIDTH em) needs this many
# lines of it: two stories side by side may share only their first rows, under their
# headlines, and the width is the page's column width, not a space's. (Dev pdftotext, odd /
# even pages: found exactly 898 / 825, titles 1059 / 1054, segmentation 0.67858 / 0.68532
# without; 900 / 827, 1060 / 1055, 0.67864 / 0.68626 as here; at the width of one band: 900 /
# 826, 1061 / 1055, 0.67855 / 0.68781, and there with all its lines split: 898 / 826, 1058 /
# 1057, 0.67853 / 0.68733; its right parts no wider than the column: 899 / 824, 1061 / 1055,
# 0.67848 / 0.68597; at 2 lines: 898 / 819, 1064 / 1049, 0.67939 / 0.68661.)
MIN_SUPPORT_KNOWN = 3
KNOWN_BANDS = 2
KNOWN_WIDTH = 0.5
# How many lines a band's possible widths are weighed on.
TRIAL_LINES = 12
# The narrowest column line (em) a band is sought for.
MIN_COLUMN = 4.0
# Letter spacing spreads a line's characters over its column: where two letter-spaced column
# lines meet, the cut between them is sought with their spaces weighed at a quarter of an em
# each. Such a line mostly holds one or two characters fewer than a plain line of its column
# (dev pages, lines of letter-spaced characters in `pdftotext -raw` text against the page's
# commonest plain line: 1 em short 4,260, 2 em 7,634, 3 em 1,782, 4 em or more 468), its spaces
# a quarter to a third of an em each. (Dev pdftotext, even / odd pages: found exactly 828 / 907 at 0.5,
# 0.25 and 0.15, 827 / 907 at 0 and 0.35; segmentation 0.6874 / 0.6813 at 0.5, 0.6880 / 0.6815
# at 0.25, 0.6879 / 0.6815 at 0.15, 0.6873 / 0.6809 at 0.35, 0.6874 / 0.6812 at 0. Raw and
# pdfminer unchanged.)
LETTER_SPACE = 0.25

# Two columns side by side whose baselines differ print their lines one after the other, a
# line of each in turn. A stretch of INTERLEAVE_LINES column lines is read as two such columns
# where a pair of Han characters across a line's end and the start of the line after next is
# found elsewhere on the page INTERLEAVE_JOINS times or more, and INTERLEAVE_MARGIN times more
# than one across a line's end and the next line's start. Dev, pdftotext, stretches that truly
# alternate among those taken at 10 / 2 / 3: 148 of 244, 12 / 3 / 4: 89 of 111, 16 / 4 / 5:
# 94 of 100; segmentation (found exactly 543 at each; titles 655 but 10 / 3 / 4: 654, 12 / 2 /
# 4: 654, 12 / 3 / 3: 657) without: 0.6986, at 16 / 4 / 5: 0.6990, 20 / 5 / 6: 0.6990, 14 / 3
# / 4: 0.6989, 12 / 3 / 4: 0.6994 (0.6992 with column lines only), 12 / 2 / 4: 0.6991, 12 / 3
# / 3: 0.6988, 10 / 3 / 4: 0.6990. Raw and pdfminer are unchanged with column lines only
# (letter-spaced characters read one or two to a line alternate too: raw 669 -> 601 found
# exactly without that condition).
INTERLEAVE_LINES = 12
INTERLEAVE_MARGIN = 3
INTERLEAVE_JOINS = 4

# A headline set beside columns in large type prints a few characters to a row, at most this
# many em of body type and no wider than half the column, on the rows of the columns' lines
# that share their baseline; it spans MIN_HEAD_ROWS rows or more (on fewer, a few characters
# opening a row are rather a paragraph's first words set apart). (Dev pdftotext, odd / even
# pages: found exactly 897 / 823, titles 1059 / 1050, segmentation 0.6780 / 0.6852 without;
# 898 / 825, 1059 / 1054, 0.6786 / 0.6853 as here; 896 / 824, 1059 / 1053, 0.6785 / 0.6852
# from two rows; 896 / 826, 1059 / 1051, 0.6785 / 0.6861 from one.)
MAX_HEAD_ROW = 5.5
MIN_HEAD_ROWS = 3
# Where no band is found, a headline's rows come this many lines apart or closer, on
# MIN_HEAD_ROWS rows or more. (Dev pdftotext, odd / even pages, before a paragraph's end beside a
# band's line was cut: found exactly 906 / 828, titles 1067 / 1059, segmentation 0.6805 / 0.6864
# without; 907 / 828, 1070 / 1059, 0.6819 / 0.6871 as here; at 2 lines: 907 / 828, 1069 /
# 1059, 0.6819 / 0.6869; on 4 rows or more: 905 / 828, 1069 / 1060, 0.6819 / 0.6865.)
HEAD_PITCH = 3

Entry = tuple[int, str]   # (index of the source line, text)

GAP_RE = re.compile(f"[{SPACES}]+")


def in_column_order(text: str) -> tuple[str, list[int] | None]:
    """The page's text with its bands and interleaved columns put back in column order, and for
    each of its lines the 1-based page line it came from (None where neither was found and the
    text is as given)."""
    entries = split_interleaved(unmerge_columns(page_lines(text)))
    if all(index == n for n, (index, _) in enumerate(entries)):
        return text, None
    return "\n".join(line for _, line in entries), [index + 1 for index, _ in entries]


def page_lines(text: str) -> list[str]:
    """The page's lines as numbered everywhere (spans, artifacts): any line ending, no BOM,
    radicals read as the characters they print."""
    text = unify_radicals(text.lstrip("\ufeff"))
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def unmerge_columns(lines: list[str]) -> list[Entry]:
    """The page's lines with every band read across columns put back column by column, a blank
    line between the columns; each entry keeps the index of the source line its text came from.
    Characters are only moved, never dropped, except the spaces of the gaps."""
    pairs = Counter(pair for line in lines for pair in han_pairs(line))
    entries = [(index, line) for index, line in enumerate(lines)]
    widths: Counter = Counter()
    out = _unmerge(entries, pairs, widths, frozenset())
    # Read again where the page's bands show its column widths: a short band at one of them is
    # a band too (MIN_SUPPORT_KNOWN).
    known = frozenset(width for width, count in widths.items() if count >= KNOWN_BANDS)
    if known:
        widths = Counter()
        out = _unmerge(entries, pairs, widths, known)
    # Only lines a band split: a line no band took may be a headline or a byline, whose word
    # spaces can fall at a column's width. (Dev pdftotext segmentation 0.669 at 0.6672 / 0.6705
    # odd / even pages without; 0.6677 / 0.6712 split pieces; 0.6660 / 0.6686 every line.)
    pieces = Counter(index for index, text in out if text)
    split = {index for index, count in pieces.items() if count > 1}
    return [piece for entry in out
            for piece in (_split_at_widths(entry, widths) if entry[0] in split else [entry])]


def _split_at_widths(entry: Entry, widths: Counter) -> list[Entry]:
    """A piece of a line a band split that still holds more columns (too few of its rows for a
    band of their own), cut where its left part is as wide as a column of the page's bands, as
    often as it holds one: at a gap, else between letter-spaced characters, their spaces
    weighed as in _split_near."""
    index, text = entry
    text = text.strip(SPACES)
    line_width = text_width(text)

    def cuts(spaced: bool, per_space: float) -> list[tuple[float, str, str]]:
        return [(abs(w + per_space * n - column), left, right)
                for w, n, left, right in _splits(text, spaced)
                for column in widths if line_width > column + WIDTH_TOLERANCE
                and right and _column_line(right) and _fits(w, n, column)]

    found = cuts(False, 0) or cuts(True, LETTER_SPACE)
    if not found:
        return [entry]
    _, left, right = min(found, key=lambda cut: cut[0])
    return [(index, left), *_split_at_widths((index, right), widths)]


def _joins(pairs: Counter, before: str, after: str) -> int:
    """1 where the last character of `before` and the first of `after` are Han characters found
    side by side elsewhere on the page (a word broken at a line's end), else 0."""
    last, first = before.strip(SPACES)[-1:], after.strip(SPACES)[:1]
    return int(is_han(last) and is_han(first) and pairs[last + first] > 0)


def _unmerge(entries: list[Entry], pairs: Counter, widths: Counter, known: frozenset
             ) -> list[Entry]:
    """The entries with their bands put back column by column; each band's column width is
    counted in `widths`, and `known` are the page's column widths (MIN_SUPPORT_KNOWN)."""
    out: list[Entry] = []
    i = 0
    while i < len(entries):
        band = _band_at(entries, i, pairs, known)
        if band is None:
            lifted = _head_rows_at(entries, i)
            if lifted is None:
                out.append(entries[i])
                i += 1
                continue
            end, heads, rows = lifted
            out.extend([*heads, (heads[-1][0], "")])
            out.extend(_unmerge(rows, pairs, widths, known))
            i = end
            continue
        end, heads, left, right, column, in_turn = band
        widths[column] += 1
        # A headline set beside the band, its characters printed on the band's rows: read
        # before the band's columns, a block of its own.
        if heads:
            out.extend([*heads, (heads[-1][0], "")])
        # A band's left width may be that of two columns side by side (a headline's column
        # and a story's, or two narrow ones whose own band was too short to be found): its left
        # column is read for bands again, as the rest is. Not a band read in turn: there the
        # left column holds a headline's characters printed in rows among the columns, and a
        # band read in it mixes them with the columns' lines. (Dev pdftotext, odd / even pages:
        # found exactly 891 / 825, titles 1060 / 1043, segmentation 0.6765 / 0.6837 without;
        # 894 / 824, 1061 / 1045, 0.6776 / 0.6840 as here; 895 / 823, 1062 / 1045, 0.6778 /
        # 0.6835 with bands read in turn too.)
        out.extend(left if in_turn else _unmerge(left, pairs, widths, known))
        out.append((left[-1][0], ""))
        out.extend(_unmerge(right, pairs, widths, known))
        i = end
    return out


@lru_cache(maxsize=4096)
def _splits(text: str, spaced: bool = False) -> tuple[tuple[float, int, str, str], ...]:
    """Each way to cut a line at a run of spaces: (width of the left part, spaces inside it,
    left, right). A space between two characters that stand alone is a letter-spaced line's,
    not a gap: such spaces are the only ones `spaced` cuts at."""
    text = text.strip(SPACES)
    gaps = list(GAP_RE.finditer(text))
    return tuple((text_width(text[:m.start()]), n, text[:m.start()], text[m.end():])
                 for n, m in enumerate(gaps)
                 if (_alone(text, m.start() - 1) and _alone(text, m.end())) == spaced)


def _alone(text: str, at: int) -> bool:
    """Whether the character at `at` has a space or the line's end on both sides."""
    return (at == 0 or text[at - 1] in SPACES) and (at + 1 == len(text) or text[at + 1] in SPACES)


def _fits(width: float, spaces: int, column: float) -> bool:
    # Spaces inside a line (around digits, between letter-spaced characters) take up some of
    # its width, up to half an em each.
    return width - WIDTH_TOLERANCE <= column <= width + 0.5 * spaces + WIDTH_TOLERANCE


def _column_line(text: str) -> bool:
    """Whether a right part can be a column's line: most of one, or a paragraph's end (a
    letter-spaced line cut anywhere leaves a character or two)."""
    return text_width(text) >= MIN_COLUMN or ends_sentence(text)


def _split_near(text: str, column: float, letter_spaced: bool = False
                ) -> tuple[str, str] | None:
    """The cut of a line whose left part is a column line of the given width, or the first
    line of a paragraph (set in two em), if any; with `letter_spaced`, else between two
    characters that stand alone, where a letter-spaced column line meets the next column's
    (no gap tells them apart: the width does)."""
    def column_lines(spaced: bool) -> list[tuple[float, int, str, str]]:
        return [cut for cut in _splits(text, spaced) if cut[3] and _column_line(cut[3])]

    ways = [(0, column_lines(False), 0.25), (2, column_lines(False), 0.25)]
    if letter_spaced:
        ways.append((0, column_lines(True), LETTER_SPACE))
    for indent, cuts, per_space in ways:
        near = [(abs(w + indent + per_space * n - column), left, right)
                for w, n, left, right in cuts if _fits(w + indent, n, column)]
        if near:
            return min(near, key=lambda cut: cut[0])[1:]
    return None


def _split_after_end(text: str, column: float) -> tuple[str, str] | None:
    """The cut of a line whose left part is a paragraph's last line, short of the column, and
    the next column's line after it, if any."""
    return next(((left, right) for width, _, left, right in _splits(text)
                 if width < column and right and ends_sentence(left) and _column_line(right)),
                None)


def _column_cut(text: str, column: float, width: float, letter_spaced: bool = False
                ) -> tuple[str, str] | None:
    """Where a line `width` em wide, wider than the column, cuts into the column's line and the
    rest: near the column's width (`letter_spaced`: see _split_near), else, too wide for an
    overhang, after a paragraph's end short of it."""
    cut = _split_near(text, column, letter_spaced)
    if cut is None and width > column + 2 * WIDTH_TOLERANCE:
        cut = _split_after_end(text, column)
    return cut


def _band_at(entries: list[Entry], start: int, pairs: Counter, known: frozenset
             ) -> tuple[int, list[Entry], list[Entry], list[Entry], float, bool] | None:
    """The band of lines read across columns starting at `start`: (index after it, the
    characters of a headline set beside it that open some of its rows, its left column, the
    rest, the column's width, whether it was read column by column in turn), for the left width
    most lines split at; None if no width holds; fewer lines make a band at a `known` width."""
    text = entries[start][1]
    best = None
    # Widths are weighed on the band's first lines, and only the best is read to the band's
    # end: a table of many columns offers a width at every gap.
    for width, _, _, _ in _splits(text):
        if width < MIN_COLUMN:
            continue
        # The first line of a paragraph is set in two em.
        for column in (width, width + 2):
            band = _read_band(entries, start, column, start + TRIAL_LINES, known=known)
            if band is not None and (best is None or band[0] > best[0]):
                best, best_column = band, column
    if best is None:
        return None
    # The first line's left part may be an em off its column's width (a mark hanging in the
    # margin, a character squeezed in): the width most of the band's left parts have is read too,
    # and the longer band kept.
    common = Counter(text_width(left) for left, _ in best[4]).most_common(1)[0][0]
    band = _read_band(entries, start, best_column, pairs=pairs, known=known)
    if common != best_column:
        other = _read_band(entries, start, common, pairs=pairs, known=known)
        if other is not None and other[1] > band[1]:
            band, best_column = other, common
    end, left, right, _, heads, read = band[1:]
    columns = _columns_in_turn(read, best_column, pairs)
    if columns is not None:
        left, right = columns[0], [entry for column in columns[1:]
                                   for entry in [*column, (column[-1][0], "")]][:-1]
    return end, heads, left, right, best_column, columns is not None


def _end_beside(text: str, column: float) -> tuple[str, str] | None:
    """The cut of a line no wider than one column, yet a column's line (or a paragraph's first)
    and the next column's paragraph end beside it (`回首来时路，是 诗。`), if it is one: words
    after a space, not a number's unit or a mark set apart (`30 岁。`, `2.0% ；`)."""
    cut = _split_near(text, column)
    return cut if cut is not None and ends_sentence(cut[1]) and is_han(cut[1][0]) \
        and not NARROW_RE.match(cut[0][-1]) else None


def _pieces(text: str, column: float) -> list[str] | None:
    """A band's row cut into column lines of one width: each but the last as wide as the column
    (or a paragraph's first line, set in two em, or its last, short), the last no wider; None if
    a part is wider than the column and cuts nowhere."""
    text = text.strip(SPACES)
    width = text_width(text)
    if width <= column + WIDTH_TOLERANCE:
        cut = _end_beside(text, column)
        return [text] if cut is None else list(cut)
    # Only here, where a band's rows are cut into its columns' lines, is a cut between
    # letter-spaced characters sought: sought for a band's extent too, it carries bands on
    # through headlines and tables. (Dev pdftotext, odd / even pages, found exactly 894 -> 892
    # / 824 -> 828, segmentation 0.6776 -> 0.6763 / 0.6840 -> 0.6843 there too.)
    cut = _column_cut(text, column, width, letter_spaced=True)
    rest = None if cut is None else _pieces(cut[1], column)
    return None if rest is None else [cut[0], *rest]


def _columns_in_turn(rows: list[Entry], column: float, pairs: Counter
                     ) -> list[list[Entry]] | None:
    """A band of columns of one width, read column by column, or None if its rows do not all cut
    into such columns' lines. Each column's lines come at one pitch, but the columns' baselines
    may differ a little, so pdftotext joins on one line the pieces of any columns whose baselines
    lie close there: a row's pieces belong to the columns that have given fewest lines so far
    (those whose next line lies highest); where that leaves a choice, to those whose words broken
    at line ends they join, through this row and the next, else the leftmost. A row holding every
    column sets them level again (a headline or space inside a column puts it behind). Below the
    band's last such row, a column may have ended: the pieces go leftmost."""
    cut = [_pieces(text, column) for _, text in rows]
    if any(pieces is None for pieces in cut):
        return None
    count = max(len(pieces) for pieces in cut)
    full = [k for k, pieces in enumerate(cut) if len(pieces) == count]
    # A space around digits cuts a row once in a while, and a list of headlines has a word space
    # on a row or two: the columns show on as many rows as a band's width does.
    if count < 2 or len(full) < MIN_SUPPORT:
        return None
    # The columns are of one width only if the rightmost one's lines on those rows are as wide
    # too: a band whose left width is two columns side by side (a wide lead column beside
    # narrow ones) cuts into its rows as well, the right column's lines half as wide.
    rightmost = sorted(text_width(cut[k][-1]) for k in full)
    if rightmost[len(rightmost) // 2] < column - 2 * WIDTH_TOLERANCE:
        return None

    def choices(given: list[int], pieces: list[str]) -> list[tuple[int, ...]]:
        if len(pieces) == count:
            return [tuple(range(count))]
        every = list(combinations(range(count), len(pieces)))
        least = min(sum(given[c] for c in chosen) for chosen in every)
        return [chosen for chosen in every if sum(given[c] for c in chosen) == least]

    def joined(lasts: list[str], chosen: tuple[int, ...], pieces: list[str]) -> int:
        return sum(_joins(pairs, lasts[c], piece) for c, piece in zip(chosen, pieces))

    def after(given: list[int], lasts: list[str], chosen: tuple[int, ...], pieces: list[str]
              ) -> tuple[list[int], list[str]]:
        given = [0] * count if len(pieces) == count else list(given)
        lasts = list(lasts)
        for c, piece in zip(chosen, pieces):
            given[c] += 1
            lasts[c] = piece
        return given, lasts

    def evidence(k: int, given: list[int], lasts: list[str], chosen: tuple[int, ...]) -> int:
        now = joined(lasts, chosen, cut[k])
        if k + 1 > full[-1]:
            return now
        given, lasts = after(given, lasts, chosen, cut[k])
        return now + max(joined(lasts, then, cut[k + 1]) for then in choices(given, cut[k + 1]))

    columns: list[list[Entry]] = [[] for _ in range(count)]
    given, lasts = [0] * count, [""] * count
    for k, ((index, _), pieces) in enumerate(zip(rows, cut)):
        if k > full[-1]:
            taken = tuple(range(len(pieces)))
        else:
            taken = min(choices(given, pieces),
                        key=lambda chosen: (-evidence(k, given, lasts, chosen), chosen))
        given, lasts = after(given, lasts, taken, pieces)
        for c, piece in zip(taken, pieces):
            columns[c].append((index, piece))
    return columns


def _read_band(entries: list[Entry], start: int, width: float, stop: int | None = None,
               pairs: Counter | None = None, known: frozenset = frozenset()
               ) -> tuple[int, int, list[Entry], list[Entry], list[tuple[str, str]],
                          list[Entry], list[Entry]] | None:
    """(support, index after the band, left column, rest, each split line's two parts, the
    headline characters printed at the start of its rows, the rows without them) for a band of
    this left width: the lines from `start` to a blank or to a line too wide for the column that
    splits at none, read no further than `stop`; fewer lines make a band at a `known` width."""
    rows: list[tuple[int, str, str | None]] = []    # (source line, left or alone, right)
    heads: list[Entry] = []     # headline characters printed on the band's rows
    read: list[Entry] = []      # the rows as read, without them
    supports: list[bool] = []
    for index, text in islice(entries, start, stop):
        text = text.strip(SPACES)
        if not text:
            break
        row = _band_row(text, width)
        if row is None:
            lifted = _under_head(text, width)
            if lifted is None:
                break
            head, text, row = lifted
            heads.append((index, head))
        rows.append((index, *row))
        read.append((index, text))
        supports.append(row[1] is not None or text_width(text) >= width - WIDTH_TOLERANCE)
    # Too few rows opening with a headline's characters: they are words set apart, and the band
    # ends above the first.
    if 0 < len(heads) < MIN_HEAD_ROWS:
        end = next(k for k, (index, _) in enumerate(read) if index == heads[0][0])
        rows, read, heads = rows[:end], read[:end], []
    support = sum(supports[:len(rows)])
    split_at = [k for k, row in enumerate(rows) if row[2] is not None]
    # A band starts at a line read across it: a line standing alone above (a byline, a
    # headline) would take the band's width from its own word space.
    least = MIN_SUPPORT_KNOWN if any(abs(width - column) <= KNOWN_WIDTH for column in known) \
        else MIN_SUPPORT
    if split_at[:1] != [0] or len(split_at) < MIN_SPLIT_ROWS or support < least:
        return None
    # Where the left line is short (a paragraph's end) or the right one set in (its start), the
    # gap grows and the two are printed as lines of their own, left first: two lines alone
    # between split lines are one row. Lines alone elsewhere are the left column's.
    on_right = {a + 2 for a, b in zip(split_at, split_at[1:]) if b - a == 3}
    left: list[Entry] = []
    right: list[Entry] = []
    for k, (index, text, cut) in enumerate(rows):
        if cut is not None:
            left.append((index, text))
            right.append((index, cut))
        elif k in on_right or (pairs is not None and _reads_on_right(rows, k, left, right, pairs)):
            right.append((index, text))
        else:
            left.append((index, text))
    cuts = [(text, cut) for _, text, cut in rows if cut is not None]
    return support, start + len(rows), left, right, cuts, heads, read


def _band_row(text: str, width: float) -> tuple[str, str | None] | None:
    """A line of a band of this left width: (left, right) where it cuts, (line, None) where it
    is no wider than the column, None where it is wider and cuts nowhere (the band ends)."""
    line_width = text_width(text)
    if line_width <= width + WIDTH_TOLERANCE:
        # A paragraph's end beside a column's line, cut off as in a band read in turn. (Dev,
        # odd / even pages, with the headline's rows beside one column: pdftotext found exactly
        # 907 / 828, titles 1070 / 1059, segmentation 0.6819 / 0.6871 without; 907 / 828, 1070
        # / 1060, 0.6813 / 0.6874 as here; 908 / 829, 1070 / 1063, 0.6817 / 0.6873 cutting at
        # a space before a number's unit or a mark too, but raw 1324 -> 1323 found exactly on
        # odd pages.)
        return _end_beside(text, width) or (text, None)
    return _column_cut(text, width, line_width)


def _under_head(text: str, width: float) -> tuple[str, str, tuple[str, str | None]] | None:
    """(headline characters, the rest, the rest as a band's row) for a line too wide for the band
    that opens with a headline's characters set beside it in large type, printed on one row with
    its columns' lines: a few characters (MAX_HEAD_ROW), no sentence end, digit, Latin or
    letter-spaced character among them, and the rest reads as a row of the band."""
    for head_width, _, head, rest in _splits(text):
        if head_width > min(width / 2, MAX_HEAD_ROW):
            break
        if not _head_characters(head, head_width):
            continue
        row = _band_row(rest, width)
        if row is not None:
            return head, rest, row
    return None


def _head_characters(head: str, head_width: float) -> bool:
    """Whether a row's opening piece can be a headline's characters printed in large type beside
    columns: a few of them, no sentence end, digit, Latin or letter-spaced character."""
    return 2 <= head_width <= MAX_HEAD_ROW and not any(mark in head for mark in TERMINALS) \
        and not NARROW_RE.search(head) and not any(_alone(head, at) for at in range(len(head)))


def _head_opening(text: str, first: bool) -> tuple[str, str] | None:
    """(headline characters, the rest) for a line that opens with a headline's characters set
    beside columns, the rest a column's line wider than them if it is the headline's `first`
    row (the short rows of a list or a table of contents have word spaces too); None
    otherwise."""
    for head_width, _, head, rest in _splits(text):
        if head_width > MAX_HEAD_ROW:
            break
        # A space before a number is print's, not a gap.
        if _head_characters(head, head_width) and not NARROW_RE.match(rest) \
                and (not first or text_width(rest) >= head_width + 2):
            return head, rest
    return None


def _head_rows_at(entries: list[Entry], start: int) -> tuple[int, list[Entry], list[Entry]] | None:
    """(index after them, the headline characters, the lines without them) for the rows from
    `start` where a headline in large type set beside columns opens a row every HEAD_PITCH lines
    or fewer, on MIN_HEAD_ROWS rows or more, its pieces of one width (the last may be shorter);
    None where no such headline opens the line at `start`."""
    heads: list[Entry] = []
    rows: list[Entry] = []
    last = start
    for at in range(start, len(entries)):
        index, text = entries[at]
        text = text.strip(SPACES)
        if not text or at - last > HEAD_PITCH:
            break
        opening = _head_opening(text, first=at == start)
        if opening is None and at == start:
            return None
        # The headline's last row may stand alone, the columns' lines beside it on other
        # baselines: a few characters no wider than its rows, ending it.
        if opening is None and len(heads) >= MIN_HEAD_ROWS - 1 \
                and _head_characters(text, max(text_width(text), 2)) \
                and text_width(text) <= text_width(heads[0][1]):
            heads.append((index, text))
            last = at
            break
        if opening is not None and heads and \
                text_width(opening[0]) > text_width(heads[0][1]) + WIDTH_TOLERANCE:
            opening = None
        if opening is not None:
            if heads and text_width(heads[-1][1]) < text_width(heads[0][1]) - WIDTH_TOLERANCE:
                break
            heads.append((index, opening[0]))
            rows.append((index, opening[1]))
            last = at
        else:
            rows.append((index, text))
    # In large type a headline's rows lie further apart than the columns' lines: some of those
    # print alone between them (rows opening on line after line are a table's or a list's).
    if len(heads) < MIN_HEAD_ROWS or heads[-1][0] - heads[0][0] < 2 * (len(heads) - 1) / 1.5:
        return None
    end = next(at for at in range(start, len(entries)) if entries[at][0] == heads[-1][0]) + 1
    return end, heads, [row for row in rows[:end - start] if row[1]]


def _reads_on_right(rows: list[tuple[int, str, str | None]], k: int, left: list[Entry],
                    right: list[Entry], pairs: Counter) -> bool:
    """Whether a line printed alone inside a band is the right column's: where the columns'
    baselines differ a little, a line of either may stand alone. It goes where more words broken
    at line ends join: through it on its side, past it on the other."""
    following = next((row for row in rows[k + 1:] if row[2] is not None), None)
    if following is None:
        return False
    text, next_left, next_right = rows[k][1], following[1], following[2]
    last_left, last_right = left[-1][1], right[-1][1]
    as_left = _joins(pairs, last_left, text) + _joins(pairs, text, next_left) \
        + _joins(pairs, last_right, next_right)
    as_right = _joins(pairs, last_right, text) + _joins(pairs, text, next_right) \
        + _joins(pairs, last_left, next_left)
    return as_right > as_left


def split_interleaved(entries: list[Entry]) -> list[Entry]:
    """Stretches where two columns' lines alternate, read one column after the other (the
    first line's column first, a blank between)."""
    pairs = Counter(pair for _, text in entries for pair in han_pairs(text))

    def joins(a: int, b: int) -> int:
        return _joins(pairs, entries[a][1], entries[b][1])

    count = len(entries)
    # Column lines only: letter-spaced or doubled characters print lines of one or two.
    column = [text_width(text) >= MIN_COLUMN for _, text in entries]
    next_line = [joins(k, k + 1) if k + 1 < count else 0 for k in range(count)]
    after_next = [joins(k, k + 2) if k + 2 < count else 0 for k in range(count)]
    span = INTERLEAVE_LINES + 2
    flagged: list[tuple[int, int]] = []
    for start in range(count - span + 1):
        if not all(column[start:start + span]):
            continue
        joined = sum(after_next[start:start + INTERLEAVE_LINES])
        if joined >= INTERLEAVE_JOINS \
                and joined - sum(next_line[start:start + INTERLEAVE_LINES]) >= INTERLEAVE_MARGIN:
            if flagged and start <= flagged[-1][1]:
                flagged[-1] = (flagged[-1][0], start + span)
            else:
                flagged.append((start, start + span))
    if not flagged:
        return entries
    out: list[Entry] = []
    done = 0
    for start, end in flagged:
        out.extend(entries[done:start])
        out.extend(entries[start:end:2])
        out.append((entries[end - 1][0], ""))
        out.extend(entries[start + 1:end:2])
        done = end
    out.extend(entries[done:])
    return out
