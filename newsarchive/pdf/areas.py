"""Where each article sits on the printed page: its boxes, for the page view's links.

The text's own extent is where the article's ink is; a reader sees the article as the area
its frame or rules enclose, so a box grows to the frame drawn round the text, or down to the
rule under it (and across to that rule's ends when no other article is in the way).
"""

from __future__ import annotations

from .layout import Block
from .read import Rect

Box = tuple[float, float, float, float]
# How far (in body ems) a rule may lie under the text and still close the article.
RULE_REACH = 1.5
# Blocks of one article closer than this (body ems) are one area: its columns, its headline.
PART_GAP = 2.5


def _half_leading(block: Block) -> float:
    """Half the space between two lines of the block: a line's area reaches this far above
    and below its ink."""
    if len(block.lines) < 2:
        return 0.15 * block.size
    pitch = (block.lines[-1].baseline - block.lines[0].baseline) / (len(block.lines) - 1)
    ink = sum(line.bottom - line.top for line in block.lines) / len(block.lines)
    return max(0.0, (pitch - ink) / 2)


def _union(blocks: list[Block]) -> Box:
    """The blocks' line areas together: their ink, with half the leading above and below."""
    first = min(blocks, key=lambda b: b.top)
    last = max(blocks, key=lambda b: b.bottom)
    return (min(b.x0 for b in blocks), first.top - _half_leading(first),
            max(b.x1 for b in blocks), last.bottom + _half_leading(last))


def _inside(box: Box, outer: Box, slack: float = 1.0) -> bool:
    return (outer[0] - slack <= box[0] and outer[1] - slack <= box[1]
            and box[2] <= outer[2] + slack and box[3] <= outer[3] + slack)


def _touches(thing: Block | Rect, box: Box) -> bool:
    """Whether the block or rectangle overlaps the box."""
    return thing.x0 < box[2] and thing.x1 > box[0] and thing.top < box[3] and thing.bottom > box[1]


def article_box(blocks: list[Block], others: list[Block], rects: list[Rect], page: Box,
                body: float) -> Box:
    """The area of the article set in `blocks`; `others` are every other block on the page
    (other articles, captions, furniture)."""
    box = _union(blocks)
    frames = [r for r in rects if not r.horizontal() and not r.vertical()
              and (r.x1 - r.x0) * (r.bottom - r.top) < 0.5 * (page[2] - page[0]) * (page[3] - page[1])]
    enclosing = [r for r in frames if _inside(box, (r.x0, r.top, r.x1, r.bottom))
                 and not any(_touches(b, (r.x0, r.top, r.x1, r.bottom)) for b in others)]
    if enclosing:
        frame = min(enclosing, key=lambda r: (r.x1 - r.x0) * (r.bottom - r.top))
        return _rounded((frame.x0, frame.top, frame.x1, frame.bottom))
    # A rule right under the text that runs past nothing else is the article's own (the line
    # under an item of a stack of briefs): the article reaches down to it and across its length.
    width = box[2] - box[0]
    under = [r for r in rects if r.horizontal() and 0 <= r.top - box[3] <= RULE_REACH * body
             and min(r.x1, box[2]) - max(r.x0, box[0]) >= 0.5 * width]
    if under:
        rule = min(under, key=lambda r: r.top)
        wider = (min(rule.x0, box[0]), box[1], max(rule.x1, box[2]), rule.bottom)
        pictures = [r for r in frames if r.filled and not _inside((r.x0, r.top, r.x1, r.bottom), box)]
        if not any(_touches(thing, wider) for thing in [*others, *pictures]):
            box = wider
    return _rounded(box)


def article_boxes(blocks: list[Block], others: list[Block], rects: list[Rect], page: Box,
                  body: float) -> list[Box]:
    """The article's areas: one box, or, where one box round all its text would take in
    another article's (a story continued in a block of its own), a box per group of its blocks
    set together."""
    whole = article_box(blocks, others, rects, page, body)
    if not any(_touches(b, whole) for b in others):
        return [whole]
    groups: list[list[Block]] = []
    for block in sorted(blocks, key=lambda b: (b.top, b.x0)):
        near = [g for g in groups if any(_touches(block, _grown(other, PART_GAP * body))
                                         for other in g)]
        merged = [block] + [b for g in near for b in g]
        groups = [g for g in groups if g not in near] + [merged]
    if len(groups) == 1:
        return [whole]
    return [article_box(group, others, rects, page, body)
            for group in sorted(groups, key=lambda g: min((b.top, b.x0) for b in g))]


def _grown(block: Block, by: float) -> Box:
    return (block.x0 - by, block.top - by, block.x1 + by, block.bottom + by)


def _rounded(box: Box) -> Box:
    return tuple(round(v, 1) for v in box)
