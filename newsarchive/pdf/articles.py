"""From the cut page to articles: which headline heads which text, and each article's fields.

A headline governs the text under it (a headline on top) or beside it (at the left or right
of its columns); text columns with no headline of their own continue the article they line up
with. Every line ends in an article field or in a named artifact (`PageSplit.artifacts`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Artifact, Segment
from ..segment.patterns import (CREDIT_OPEN_RE, END_BYLINE_RE, START_BYLINE_RE, UNDER_BYLINE_RE,
                                reporters)
from ..segment.compose import line_spans, text_doubts, title_doubts
from ..text import find_continuation, han_count, join_wrapped_lines
from .layout import Block, Node, TextLine

# A headless column whose top is further than this (body ems) from where a headline's text
# starts does not continue that headline's story.
ALIGN = 2.5
# A headless text shorter than this (Han characters) is not an article of its own.
MIN_STORY = 20


@dataclass(eq=False)
class Unit:
    """A headline and the text it governs, in reading order; either may be empty."""

    head: list[Block] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    banner: bool = False

    @property
    def blocks(self) -> list[Block]:
        return self.head + self.body

    @property
    def top(self) -> float:
        return min(b.top for b in self.blocks)

    @property
    def bottom(self) -> float:
        return max(b.bottom for b in self.blocks)


def _is_small(block: Block) -> bool:
    """Not the text of a story: captions, furniture, small type."""
    return block.role in ("small", "caption", "furniture")


def _stacked(upper: Unit, lower: Unit, body: float) -> bool:
    """Two headline parts set one over the other (kicker over title, title over subtitle)."""
    a, b = upper.head[-1], lower.head[0]
    return 0 <= b.top - a.bottom < 1.6 * max(b.size, body) and min(a.x1, b.x1) > max(a.x0, b.x0)


def _fit(column: Unit, unit: Unit, body: float) -> float:
    """How far the top of a headless column is from where `unit`'s text starts: beside a
    headline at the side, level with its other columns under a headline on top."""
    tops = [b.top for b in unit.body if not _is_small(b)] or [unit.head[0].top]
    return min(abs(column.top - t) for t in tops)


def combine(units: list[Unit], cut: str, body: float, ruled: bool = False) -> list[Unit]:
    """Units of one region, in reading order, joined where a layout joins them. `ruled`: the
    region's parts are set apart by rules, so text in two of them is not one column."""
    out: list[Unit] = []
    for unit in units:
        last = out[-1] if out else None
        if unit.head and last is not None and last.head and not last.body and not last.banner \
                and cut != "v" and _stacked(last, unit, body) \
                and last.head[-1].reversed == unit.head[0].reversed:
            last.head += unit.head
            last.body += unit.body
            continue
        if not unit.head and cut == "h" and last is not None and not last.banner \
                and (last.head or not ruled and not _is_small(last.body[-1])) \
                and not _is_small(unit.body[0]):
            last.body += unit.body
            continue
        out.append(unit)
    # A reversed label over stories is a banner over their stack, not part of a headline.
    for index, unit in enumerate(out):
        if unit.head and not unit.body and all(b.reversed for b in unit.head) and cut == "h" \
                and any(u.head for u in out[index + 1:]):
            unit.banner = True
    if cut != "v":
        return out
    # Columns with no headline, left to right, between two headlines: the first ones continue
    # the headline before them (columns under a headline on top, or right of one at the left),
    # the rest the headline after them (left of a headline at the right).
    joined: list[Unit] = []
    pending: list[Unit] = []
    for unit in out + [None]:
        if unit is None or unit.head and not unit.banner:
            before = joined[-1] if joined and joined[-1].head and not joined[-1].banner else None
            after = unit if unit is not None and not unit.body else None
            to_before, to_after = _share_columns(before, pending, after, body)
            if before is not None:
                before.body += [b for column in to_before for b in column.body]
            joined.extend(column for column in pending
                          if column not in to_before and column not in to_after)
            if after is not None:
                after.body[:0] = [b for column in to_after for b in column.body]
            pending = []
            if unit is not None:
                joined.append(unit)
        elif not unit.head and not _is_small(unit.body[0]):
            pending.append(unit)
        else:
            joined.extend(pending)
            pending = []
            joined.append(unit)
    return joined


def _unbalanced(bottoms: list[float]) -> float:
    """How unevenly the columns of one story end: a story's columns are balanced, all of
    one length but the last, which may be shorter."""
    if len(bottoms) < 2:
        return 0.0
    return max(bottoms) - min(bottoms[:-1])


def _share_columns(before: Unit | None, columns: list[Unit], after: Unit | None, body: float
                   ) -> tuple[list[Unit], list[Unit]]:
    """(to before, to after): the split of the columns between the two headlines that lines
    each side's columns up with it and leaves each side's columns most evenly balanced."""
    best: tuple[float, int] | None = None
    for k in range(len(columns), -1, -1):
        left, right = columns[:k], columns[k:]
        if left and (before is None or any(_fit(c, before, body) > ALIGN * body for c in left)):
            continue
        if right and (after is None or any(_fit(c, after, body) > ALIGN * body for c in right)):
            continue
        own = [b.bottom for b in before.body if not _is_small(b)] if before else []
        cost = _unbalanced(own + [c.bottom for c in left]) + _unbalanced([c.bottom for c in right])
        if best is None or cost < best[0]:
            best = (cost, k)
    if best is None:
        return [], []
    return columns[:best[1]], columns[best[1]:]


def group_units(node: Node, body: float) -> list[Unit]:
    if node.cut == "leaf":
        units = [Unit(head=[b]) if b.role == "head" else Unit(body=[b]) for b in node.blocks]
        return combine(units, "h", body)
    units = [unit for child in node.children for unit in group_units(child, body)]
    return combine(units, node.cut, body, node.ruled)


# --- Fields ---

def _column_edges(blocks: list[Block]) -> dict[int, tuple[float, float]]:
    """Each block's column, left and right edge: over all the blocks set in the same column
    (starting within a first line's indent of each other), since a block of short lines does
    not show how wide its column is."""
    edges = {}
    for block in blocks:
        peers = [b for b in blocks if abs(b.x0 - block.x0) <= block.size * 2.6
                 and min(b.x1, block.x1) > max(b.x0, block.x0)]
        full = [b for b in peers if len(b.lines) > 1] or peers
        edges[id(block)] = (min(line.x0 for b in full for line in b.lines),
                            max(line.x1 for b in full for line in b.lines))
    return edges


def paragraphs_of(blocks: list[Block]) -> list[tuple[str, list[TextLine]]]:
    """The text of the blocks as paragraphs: a line indented from its column's left edge, or
    after a line that stops short of the right edge, starts a new one."""
    edges = _column_edges(blocks)
    paragraphs: list[list[TextLine]] = []
    previous: TextLine | None = None
    previous_right = 0.0
    for block in blocks:
        left, right = edges[id(block)]
        for line in block.lines:
            indented = line.x0 - left >= 1.2 * line.size
            short = previous is not None and previous.x1 < previous_right - 1.2 * previous.size
            if not paragraphs or indented or short:
                paragraphs.append([])
            paragraphs[-1].append(line)
            previous, previous_right = line, right
    return [(join_wrapped_lines([line.text for line in lines]), lines) for lines in paragraphs]


@dataclass
class Story:
    segment: Segment
    blocks: list[Block]          # the article's text on the page (not its captions)


def _head_fields(head: list[Block]) -> tuple[str, str | None, str | None, list[str]]:
    """(title, kicker, subtitle, extra lines): the largest type is the title, what is over it
    the kicker, what is under it the subtitle."""
    biggest = max(b.size for b in head)
    title_at = [i for i, b in enumerate(head) if b.size >= biggest / 1.12]
    first, last = title_at[0], title_at[-1]
    title = "".join(head[i].text for i in range(first, last + 1))
    kicker = "".join(b.text for b in head[:first]) or None
    rest = [b.text for b in head[last + 1:]]
    subtitle = None
    if rest:
        subtitle = rest[0]
        rest = rest[1:]
    return title, kicker, subtitle, rest


def story_of(unit: Unit, body: float, artifacts: list[Artifact], line_number) -> Story | None:
    """The article a unit holds, with its notes and credits sorted out of the text; None (and
    nothing recorded) for text without a headline too short to be a story."""
    texts = [b for b in unit.body if not _is_small(b)]
    smalls = [b for b in unit.body if _is_small(b)]
    if not unit.head and sum(han_count(b.text) for b in texts) < MIN_STORY:
        return None
    paragraphs = paragraphs_of(texts)
    continues = continued_from = None
    kept: list[str] = []
    for text, lines in paragraphs:
        rest, down, up, note = find_continuation(text)
        if note:
            continues = continues or down
            continued_from = continued_from or up
            artifacts.append(Artifact("continuation-note", note, line_number(lines[0])))
            text = rest
        if text:
            kept.append(text)
    byline = None
    if kept:
        # A dateline (本报北京2月3日电（记者 X）) or a bare credit (（记者 X）) opens the text.
        match = START_BYLINE_RE.match(kept[0]) or CREDIT_OPEN_RE.match(kept[0])
        if match and match.group(0).strip():
            byline = match.group(0).strip()
            kept[0] = kept[0][match.end():].strip()
            if not kept[0]:
                kept.pop(0)
    for at in (0, -1):
        if byline is None and kept and (UNDER_BYLINE_RE.match(kept[at])
                                        or END_BYLINE_RE.fullmatch(kept[at])):
            byline = kept.pop(at)
    for block in smalls:
        artifacts.append(Artifact(page_artifact(block, body), block.text,
                                  line_number(block.lines[0])))
    if unit.head:
        title, kicker, subtitle, extra = _head_fields(unit.head)
        # Under the subtitle: a credit line, or more headline type the text opens with.
        if byline is None and extra and UNDER_BYLINE_RE.match(extra[-1]):
            byline = extra.pop()
        kept[:0] = extra
    else:
        title, kicker, subtitle = "", None, None
    if subtitle:
        subtitle = subtitle.lstrip("—-－ ")
    text = "\n\n".join(kept)
    review = (title_doubts(title) if title else ["no-headline"]) + text_doubts(text)
    numbers = [line_number(line) for b in unit.blocks for line in b.lines]
    segment = Segment(title=title, body=text, kicker=kicker, subtitle=subtitle,
                      byline=byline, reporters=reporters(byline), continues=continues,
                      continued_from=continued_from, spans=line_spans(numbers), review=review)
    return Story(segment, [b for b in unit.blocks if b not in smalls] or unit.blocks)


def page_artifact(block: Block, body: float) -> str:
    """What a block outside every article is."""
    if block.role == "furniture" or block.size >= 1.6 * body and han_count(block.text) <= 8:
        return "page-furniture"
    if block.role == "caption":
        return "photo-caption"
    return "small-type" if block.role == "small" else "unassigned"
