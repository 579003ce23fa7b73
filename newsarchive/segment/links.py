"""Whether the next block of text goes on with the story before it or starts another: learned.

A body runs from one headline to the next, so where the extraction prints two stories' text
blocks one after the other with no headline between (their headlines read earlier, side by
side, or lost), the rules join them. What tells them apart is what the blocks say: a story's
blocks repeat its own words, words rare elsewhere on the page (each pair of Han characters
weighed by how few of the page's blocks hold it). Around that weigh the block before the pair
and the one after it (columns read in turn), whether the first block ends a sentence on a
short line, and the blocks' column widths. A small ensemble of trees (`trees.TreeModel`),
fitted on the page corpus's dev split by `bench/train_links.py`, judges each pair of adjacent
text blocks; the body is cut where it finds two stories.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from pathlib import Path

from ..text import column_width, ends_sentence, han_pairs, rarity_weights, text_width
from .bodies import short_heading_line
from .patterns import DATELINE_RE, START_BYLINE_RE
from .trees import TreeModel, read_model
from .types import Item, ItemKind

MODEL_PATH = Path(__file__).with_name("link_model.json")
# How far back a block's words are looked for (blocks), for a story whose columns were read
# with another's in between.
REACH = 6
# Where this share of a page's text blocks or more end a sentence, its blank lines are
# paragraph breaks too (the seeds: 0.65 to 0.86, the hand-written fixtures 0.67 to 1.0), and
# one story's paragraphs share few rare words: the model, fitted on pages whose blank lines
# are column breaks (pdftotext's text of the page corpus: a median of 0.35), is not asked.
# (Dev, pdftotext, found exactly at 0.5 / 0.6 / 0.7 / 0.8: 34.2% / 35.0% / 35.2% / 35.4%; above
# 0.6 it would be asked on seed pages, and it cuts their paragraphs apart.)
PARAGRAPH_BREAKS = 0.6
# A headline-like block the rules took for a section heading, between two blocks that read as
# two stories, heads the second. The block is itself a sign of a break, so it needs less of the
# words' evidence than two blocks alone (dev, pdftotext, found exactly at the pairs' threshold
# 0.54 / 0.5 / 0.35 / 0.2: 501 / 503 / 505 / 505 of 1,317; 492 when never asked).
HEADING_BREAK = 0.35
# Where the text's blank lines are the extraction's own (not put in by reading lines printed
# across columns back down them: every blank line of such a page is one this code made), a break
# is cut where the model finds two stories likelier than one, not only above the threshold fitted
# for 85% precision (0.54): a story cut apart by mistake is often joined again by its words,
# two stories left joined are not. (Dev pdftotext found exactly / segmentation / titles at 0.54:
# 544 / 0.699 / 656; 0.5: 546 / 0.703 / 658, segmentation up on both halves, odd pages 0.7309 ->
# 0.7365, even 0.6662 -> 0.6676; 0.48: 548 / 0.703 / 658; 0.45: 545 / 0.704 / 656; raw and
# pdfminer the same at each.)
OWN_BREAKS_THRESHOLD = 0.5


class Blocks:
    """The page's text blocks (its text items) with each block's Han pairs and their weights."""

    def __init__(self, items: list[Item]):
        self.index = [k for k, item in enumerate(items) if item.kind == ItemKind.TEXT]
        self.lines = [[line.text for line in items[k].lines] for k in self.index]
        self.pairs = [Counter(han_pairs("".join(lines))) for lines in self.lines]
        self.weight = rarity_weights(self.pairs)

    def cohesion(self, earlier: int, later: int) -> float:
        """The weighted share of block `later`'s pairs that block `earlier` holds (0 to 1)."""
        if earlier < 0 or later >= len(self.pairs):
            return 0.0
        own = self.pairs[later]
        total = sum(self.weight[pair] for pair in own)
        if not total:
            return 0.0
        return sum(self.weight[pair] for pair in own if pair in self.pairs[earlier]) / total

    def signs(self, b: int) -> dict[str, float]:
        """The signs that blocks b and b + 1 belong to two stories."""
        first, second = self.lines[b], self.lines[b + 1]
        width_first = column_width([text_width(text) for text in first])
        width_second = column_width([text_width(text) for text in second])
        return {
            "cohesion": self.cohesion(b, b + 1),
            "cohesion_back": self.cohesion(b + 1, b),
            "cohesion_before": self.cohesion(b - 1, b + 1),
            "cohesion_after": self.cohesion(b, b + 2),
            "cohesion_far": max((self.cohesion(k, b + 1) for k in range(max(0, b - REACH), b - 1)),
                                default=0.0),
            "ends_sentence": float(ends_sentence(first[-1])),
            "last_short": text_width(first[-1]) / (width_first or 1.0),
            "first_short": text_width(second[0]) / (width_second or 1.0),
            "dateline": float(bool(START_BYLINE_RE.match(second[0]) or DATELINE_RE.match(second[0]))),
            "width": width_first,
            "width_next": width_second,
            "width_change": abs(width_first - width_second),
            "lines": math.log1p(len(first)),
            "lines_next": math.log1p(len(second)),
        }

    def headline_over_text(self, b: int) -> bool:
        """Block b is one short line with no mark of a sentence, right over another block."""
        return len(self.lines[b]) == 1 and short_heading_line(self.lines[b][0]) \
            and b + 1 < len(self.index) and self.index[b + 1] == self.index[b] + 1

    def adjacent(self) -> list[int]:
        """The blocks b whose next block follows them directly among the items."""
        return [b for b in range(len(self.index) - 1) if self.index[b + 1] == self.index[b] + 1]

    def around_heading(self, items: list[Item]) -> list[int]:
        """The blocks b whose next block follows them after one section heading."""
        return [b for b in range(len(self.index) - 1) if self.index[b + 1] == self.index[b] + 2
                and items[self.index[b] + 1].kind == ItemKind.INLINE_HEAD]


def story_starts(items: list[Item], candidates: list | None = None, own_breaks: bool = True
                 ) -> set[int]:
    """Indices of text items the model finds starting another story than the text item right
    before them; `candidates`, when given, collects (first item, second item, signs) of every
    pair weighed (for fitting the model). A section heading between two blocks the model finds
    two stories (see HEADING_BREAK) is made the second one's headline (its item's kind), and so
    is a block the model finds starting a story that is one short line without a mark of a
    sentence over another block: a headline the rules read as text since its last word seldom
    ends one (`守土有方 积极作为⏎⏎责重山岳，…`). `own_breaks`: the blank lines are the
    extraction's own (see OWN_BREAKS_THRESHOLD)."""
    model = shipped_model()
    texts = [item for item in items if item.kind == ItemKind.TEXT]
    starts: set[int] = set()
    if (model is None and candidates is None) or not texts or sum(
            ends_sentence(item.lines[-1].text) for item in texts) >= PARAGRAPH_BREAKS * len(texts):
        return starts
    blocks = Blocks(items)
    for b in blocks.adjacent():
        signs = blocks.signs(b)
        if candidates is not None:
            candidates.append((items[blocks.index[b]], items[blocks.index[b + 1]], signs))
        if model is not None:
            # Kept on the line where the other story would start: how sure the split was of
            # joining the blocks is a sign of a merged story (confidence).
            odds = items[blocks.index[b + 1]].lines[0].break_odds = model.probability(signs)
            if odds > (min(model.threshold, OWN_BREAKS_THRESHOLD) if own_breaks
                       else model.threshold):
                starts.add(blocks.index[b + 1])
    for b in blocks.around_heading(items) if model is not None else []:
        if model.probability(blocks.signs(b)) > HEADING_BREAK:
            items[blocks.index[b] + 1].kind = ItemKind.HEAD
    for b in blocks.adjacent():
        if blocks.index[b + 1] in starts and blocks.headline_over_text(b + 1):
            items[blocks.index[b + 1]].kind = ItemKind.HEAD
    return starts


@cache
def shipped_model() -> TreeModel | None:
    """The fitted model, or None before `bench/train_links.py` has written one."""
    return read_model(MODEL_PATH, TreeModel)
