"""From glyphs to the page's layout: lines, blocks, and the tree the rules and gaps cut it into.

Pure functions over the `read` dataclasses. Sizes are relative to the page's body type, so the
same thresholds hold for any paper: what a newspaper's layout tells a reader (a column is an
x-range, a rule ends a story, a headline is set larger) is what is used here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from ..segment.patterns import CAPTION_START_RE, FURNITURE_RE
from ..text import han_count
from .read import Glyph, Rect

# A glyph drawn again over most of itself is a fake-bold copy, not text: the copy is offset by
# a fraction of a point (more where the original's punctuation was set half-width), while the
# next character starts where this one ends.
DOUBLE_OFFSET = 0.15         # em, vertically
DOUBLE_SHARE = 0.4           # of the glyph's width, shared with the other
DOUBLE_RISE = 0.04           # em: a copy further off than DOUBLE_OFFSET is also moved this much
LINE_GAP = 0.6               # em: a wider gap inside a baseline band separates two columns
WORD_GAP = 0.45              # em of the type: the widest space between two words of a headline
COLUMN_GAP_MIN = 0.9         # em of body type: columns are set further apart than this
BASELINE_BAND = 0.3          # em
SIZE_STEP = 1.12             # sizes closer than this ratio are one type size
COLUMN_GAP = 0.4             # em of body type: the narrowest gap between two columns
BAND_GAP = 2.0               # em of body type: a gap this tall parts rows of stories
HEAD_SIZE = 1.08             # times the body size: a headline's type
SMALL_SIZE = 0.88            # times the body size: captions, credits, page furniture
CAPTION_LINES = 6            # a longer text under a picture is a story set under it


@dataclass(eq=False)
class TextLine:
    glyphs: list[Glyph]
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    baseline: float
    reversed: bool

    @property
    def width(self) -> float:
        return self.x1 - self.x0


@dataclass(eq=False)
class Block:
    """Lines set one under another in one column and one type size."""

    lines: list[TextLine]
    role: str = "text"           # text | head | small | caption | furniture (see classify_blocks)

    @property
    def x0(self) -> float:
        return min(line.x0 for line in self.lines)

    @property
    def x1(self) -> float:
        return max(line.x1 for line in self.lines)

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    @property
    def size(self) -> float:
        return median(line.size for line in self.lines)

    @property
    def reversed(self) -> bool:
        return all(line.reversed for line in self.lines)

    @property
    def text(self) -> str:
        return "".join(line.text for line in self.lines)


@dataclass(eq=False)
class Node:
    """A region of the page: a leaf of blocks, or children cut apart across (`h`, read top to
    bottom) or down (`v`, read left to right)."""

    cut: str                     # "leaf" | "h" | "v"
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    ruled: bool = False          # the children were cut apart by drawn rules

    def all_blocks(self) -> list[Block]:
        if self.cut == "leaf":
            return self.blocks
        return [block for child in self.children for block in child.all_blocks()]


def _drawn_twice(glyph: Glyph, other: Glyph) -> bool:
    """The same character drawn again over most of itself, slightly offset. Exactly the same
    box is not a copy: the characters of a ligature (`——` set as one glyph) share one box."""
    dx, dy = abs(other.x0 - glyph.x0), abs(other.baseline - glyph.baseline)
    if dx < 0.01 and dy < 0.01 or dy > DOUBLE_OFFSET * glyph.size:
        return False
    if dx <= DOUBLE_OFFSET * glyph.size:
        return True
    # Further apart only when also moved up or down: punctuation set half-width (`））`) has
    # its neighbour half an em away on the same baseline.
    width = max(glyph.x1 - glyph.x0, 0.1)
    shared = min(glyph.x1, other.x1) - max(glyph.x0, other.x0)
    return dy > DOUBLE_RISE * glyph.size and shared >= DOUBLE_SHARE * width


def drop_fake_bold(glyphs: list[Glyph]) -> tuple[list[Glyph], list[Glyph]]:
    """(kept, doubled): a glyph drawn again over most of the same glyph is the second stroke of
    a fake-bold headline."""
    kept: list[Glyph] = []
    doubled: list[Glyph] = []
    seen: dict[tuple[str, int, int], list[Glyph]] = {}
    for glyph in glyphs:
        if glyph.char.isspace():
            kept.append(glyph)
            continue
        cell = max(glyph.size, 1.0)
        cx, cy = int(glyph.x0 // cell), int(glyph.baseline // cell)
        near = [other for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for other in seen.get((glyph.char, cx + dx, cy + dy), ())]
        if any(_drawn_twice(glyph, other) for other in near):
            doubled.append(glyph)
            continue
        seen.setdefault((glyph.char, cx, cy), []).append(glyph)
        kept.append(glyph)
    return kept, doubled


def _line_text(glyphs: list[Glyph]) -> str:
    """The characters of a line; a space only between two Latin or digit runs, since spaces at a
    Han character are justification or quarter-em spacing, never part of the text."""
    out: list[str] = []
    pending_space = False
    for glyph in glyphs:
        if glyph.char.isspace():
            pending_space = bool(out)
            continue
        if pending_space and out[-1].isascii() and out[-1].isalnum() \
                and glyph.char.isascii() and glyph.char.isalnum():
            out.append(" ")
        pending_space = False
        out.append(glyph.char)
    return "".join(out)


def _make_line(glyphs: list[Glyph]) -> TextLine | None:
    text = _line_text(glyphs)
    if not text:
        return None
    ink = [g for g in glyphs if not g.char.isspace()]
    sizes = Counter(round(g.size, 1) for g in ink)
    return TextLine(ink, text, min(g.x0 for g in ink), min(g.top for g in ink),
                    max(g.x1 for g in ink), max(g.bottom for g in ink),
                    sizes.most_common(1)[0][0], median(g.baseline for g in ink),
                    sum(g.reversed for g in ink) * 2 > len(ink))


def _crosses_rule(left: Glyph | TextLine, right: Glyph | TextLine, verticals: list[Rect]) -> bool:
    """Whether a vertical rule stands between the two, at the left one's baseline."""
    return any(left.x1 - 1 <= rule.x0 and rule.x1 <= right.x0 + 1
               and rule.top <= left.baseline <= rule.bottom for rule in verticals)


def _runs(band: list[Glyph], verticals: list[Rect], body: float) -> list[list[Glyph]]:
    """A baseline band cut at every wide gap, change of type size or colour, or rule. A gap is
    measured in the smaller of the type and the body type: columns are set apart by a gap of
    body ems, however large the headline over them."""
    band.sort(key=lambda g: g.x0)
    runs: list[list[Glyph]] = [[]]
    last_ink: Glyph | None = None
    for glyph in band:
        if last_ink is not None and not glyph.char.isspace():
            size = min(glyph.size, last_ink.size)
            ratio = max(glyph.size, last_ink.size) / max(size, 0.1)
            # A space between the words of a headline is wide in body ems, but narrower than
            # the narrowest column gap.
            widest = max(LINE_GAP * min(size, body), min(WORD_GAP * size, COLUMN_GAP_MIN * body))
            if (glyph.x0 - last_ink.x1 > widest or ratio > SIZE_STEP
                    or abs(glyph.baseline - last_ink.baseline) > BASELINE_BAND * size
                    or glyph.reversed != last_ink.reversed
                    or _crosses_rule(last_ink, glyph, verticals)):
                runs.append([])
        runs[-1].append(glyph)
        if not glyph.char.isspace():
            last_ink = glyph
    return [run for run in runs if any(not g.char.isspace() for g in run)]


def _gap_is_bridged(left: TextLine, right: TextLine, nearby: list[TextLine]) -> bool:
    """A wide gap inside a justified line (a long number or word pushed the characters apart)
    has the column's other lines running across it; a gap between columns has none."""
    return any(other.x0 < left.x1 - 1 and other.x1 > right.x0 + 1
               and max(other.size, left.size) / min(other.size, left.size) <= SIZE_STEP
               for other in nearby)


def group_lines(glyphs: list[Glyph], rects: list[Rect]) -> list[TextLine]:
    """Glyphs into lines: one baseline, one type size, no column gap or vertical rule inside."""
    verticals = [rect for rect in rects if rect.vertical()]
    sizes = Counter(round(g.size * 2) / 2 for g in glyphs if not g.char.isspace())
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    ordered = sorted(glyphs, key=lambda g: (g.baseline, g.x0))
    bands: list[list[Glyph]] = []
    for glyph in ordered:
        if bands and glyph.baseline - bands[-1][0].baseline <= BASELINE_BAND * max(glyph.size, 4):
            bands[-1].append(glyph)
        else:
            bands.append([glyph])
    banded = [[line for run in _runs(band, verticals, body) if (line := _make_line(run))]
              for band in bands]
    lines: list[TextLine] = []
    for index, band in enumerate(banded):
        nearby = [line for other in banded[max(0, index - 3):index + 4] if other is not band
                  for line in other]
        merged = [band[0]] if band else []
        for line in band[1:]:
            left = merged[-1]
            if abs(line.size - left.size) < 0.05 * left.size and line.reversed == left.reversed \
                    and _gap_is_bridged(left, line, nearby) \
                    and not _crosses_rule(left, line, verticals):
                merged[-1] = _make_line(left.glyphs + line.glyphs)
            else:
                merged.append(line)
        lines.extend(merged)
    return lines


def _rule_between(upper: TextLine | Block, lower: TextLine, horizontals: list[Rect]) -> bool:
    return any(upper.bottom - 1 <= rule.top and rule.bottom <= lower.top + 1
               and rule.x0 < lower.x1 and rule.x1 > lower.x0 for rule in horizontals)


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def group_blocks(lines: list[TextLine], rects: list[Rect]) -> list[Block]:
    """Lines into blocks: each line joins the block whose last line sits right above it in the
    same column and type size, with no rule between."""
    horizontals = [rect for rect in rects if rect.horizontal()]
    blocks: list[Block] = []
    open_blocks: list[Block] = []
    for line in sorted(lines, key=lambda ln: (ln.top, ln.x0)):
        best = None
        for block in open_blocks:
            last = block.lines[-1]
            pitch = line.baseline - last.baseline
            if not 0.5 * line.size < pitch <= 2.1 * line.size:
                continue
            if len(block.lines) >= 2:
                usual = block.lines[-1].baseline - block.lines[-2].baseline
                if pitch > 1.35 * usual:
                    continue
            if max(line.size, last.size) / min(line.size, last.size) > SIZE_STEP \
                    or line.reversed != last.reversed:
                continue
            shared = _overlap(line.x0, line.x1, block.x0, block.x1)
            if shared < 0.5 * min(line.width, block.x1 - block.x0):
                continue
            # A paragraph's first line is indented, its last short; a line starting left of the
            # column or running past it belongs elsewhere.
            indent = 2.6 if len(block.lines) == 1 else 0.6
            if line.x0 < block.x0 - indent * line.size or line.x1 > block.x1 + 0.6 * line.size \
                    and len(block.lines) > 1 and block.x1 - block.x0 > 4 * line.size:
                continue
            if _rule_between(last, line, horizontals):
                continue
            best = block
            break
        if best is None:
            best = Block([])
            blocks.append(best)
            open_blocks.append(best)
        best.lines.append(line)
        # Blocks whose last line is far above can take no more lines.
        open_blocks = [b for b in open_blocks if line.top - b.bottom < 3 * line.size]
    return blocks


def body_size(lines: list[TextLine]) -> float:
    """The type size most characters are set in."""
    sizes: Counter = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _pictures(rects: list[Rect], glyphs_boxes: list[Block], body: float) -> list[Rect]:
    """Filled areas with no text on them: photos and graphics (or their placeholders)."""
    return [rect for rect in rects if rect.filled and not rect.horizontal() and not rect.vertical()
            and rect.height >= 2 * body and rect.width >= 2 * body
            and not any(rect.x0 <= b.x0 and b.x1 <= rect.x1 and rect.top <= b.top
                        and b.bottom <= rect.bottom for b in glyphs_boxes)]


def classify_blocks(blocks: list[Block], rects: list[Rect], body: float) -> None:
    """Give each block its role: a headline's type, body text, a caption (set under a picture,
    or opening like one), page furniture (editor's credits, page labels), or other
    small type."""
    pictures = _pictures(rects, blocks, body)
    horizontals = [rect for rect in rects if rect.horizontal()]
    for block in blocks:
        text = block.text
        under_picture = len(block.lines) <= CAPTION_LINES and any(
            _overlap(block.x0, block.x1, pic.x0, pic.x1) >= 0.5 * (block.x1 - block.x0)
            and 0 <= block.top - pic.bottom <= 2 * body
            and not _rule_between(pic, block.lines[0], horizontals) for pic in pictures)
        if FURNITURE_RE.match(text) and len(block.lines) <= 2:
            block.role = "furniture"
        elif under_picture and block.size < HEAD_SIZE * body \
                or CAPTION_START_RE.match(text) and block.size <= body * 1.02:
            block.role = "caption"
        elif block.size >= HEAD_SIZE * body or block.reversed and han_count(text) <= 30:
            block.role = "head"
        elif block.size <= SMALL_SIZE * body:
            block.role = "small"


def _rule_cuts(blocks: list[Block], horizontals: list[Rect]) -> list[float]:
    x0 = min(b.x0 for b in blocks)
    x1 = max(b.x1 for b in blocks)
    cuts = []
    for rule in horizontals:
        y = (rule.top + rule.bottom) / 2
        if _overlap(rule.x0, rule.x1, x0, x1) < 0.6 * (x1 - x0):
            continue
        if any(b.top < y < b.bottom for b in blocks):
            continue
        above = any(b.bottom <= y for b in blocks)
        below = any(b.top >= y for b in blocks)
        if above and below:
            cuts.append(y)
    return sorted(set(round(c, 1) for c in cuts))


def _split_at(blocks: list[Block], cuts: list[float], start, end) -> list[list[Block]]:
    edges = [float("-inf"), *cuts, float("inf")]
    parts = [[b for b in blocks if lo <= (start(b) + end(b)) / 2 < hi]
             for lo, hi in zip(edges, edges[1:])]
    return [part for part in parts if part]


def _gaps(spans: list[tuple[float, float]], least: float) -> list[float]:
    """Midpoints of the gaps at least `least` wide between the union of the spans."""
    spans = sorted(spans)
    cuts = []
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= least:
            cuts.append((start + reach) / 2)
        reach = max(reach, end)
    return cuts


def cut_page(blocks: list[Block], rects: list[Rect], body: float) -> Node:
    """Cut the blocks recursively: at drawn rules across them first, then at the widest
    vertical gaps (columns), then at horizontal gaps."""
    horizontals = [rect for rect in rects if rect.horizontal()]

    def cut(group: list[Block]) -> Node:
        if len(group) <= 1:
            return Node("leaf", group)
        ruled = _rule_cuts(group, horizontals)
        if ruled:
            return Node("h", children=[cut(part) for part in
                                       _split_at(group, ruled, lambda b: b.top, lambda b: b.bottom)],
                        ruled=True)
        columns = _gaps([(b.x0, b.x1) for b in group], COLUMN_GAP * body)
        if columns:
            return Node("v", children=[cut(part) for part in
                                       _split_at(group, columns, lambda b: b.x0, lambda b: b.x1)])
        # Wide gaps first: they part rows of stories set without rules, and each row may then
        # be cut into its stories' columns; the narrow gaps inside a story come after.
        rows = _gaps([(b.top, b.bottom) for b in group], BAND_GAP * body) \
            or _gaps([(b.top, b.bottom) for b in group], 0.01)
        if rows:
            return Node("h", children=[cut(part) for part in
                                       _split_at(group, rows, lambda b: b.top, lambda b: b.bottom)])
        return Node("leaf", sorted(group, key=lambda b: (b.top, b.x0)))

    return cut(blocks) if blocks else Node("leaf")
