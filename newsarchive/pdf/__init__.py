"""PDF pages in: `split_pdf_page(page) -> PdfSplit`, the PDF path beside the text segmenter.

`read` gives glyphs and rules (pypdfium2), `layout` lines, blocks and the page cut at its rules
and gaps, `articles` which headline governs which text. The page text kept for the source view
and the Han accounting is the page's lines in reading order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Artifact, PageSplit
from ..segment import missing_han
from ..text import HAN_RE
from .areas import article_boxes
from .articles import Story, group_units, page_artifact, story_of
from .layout import body_size, classify_blocks, cut_page, drop_fake_bold, group_blocks, group_lines
from .read import PdfPage, read_pdf

__all__ = ["PdfSplit", "account_pdf_han", "read_pdf", "split_pdf_page"]


@dataclass
class PdfSplit:
    text: str                     # the page's lines in reading order, one per line
    split: PageSplit              # each segment's `boxes`: its areas on the page


def split_pdf_page(page: PdfPage) -> PdfSplit:
    glyphs, doubled = drop_fake_bold(page.glyphs)
    lines = group_lines(glyphs, page.rects)
    blocks = group_blocks(lines, page.rects)
    body = body_size(lines)
    classify_blocks(blocks, page.rects, body)
    tree = cut_page(blocks, page.rects, body)
    ordered = [line for block in tree.all_blocks() for line in block.lines]
    numbers = {id(line): n for n, line in enumerate(ordered, start=1)}

    def line_number(line) -> int:
        return numbers[id(line)]

    artifacts: list[Artifact] = []
    if doubled:
        artifacts.append(Artifact("doubled-text", "".join(g.char for g in doubled), 1))
    stories: list[Story] = []
    for unit in group_units(tree, body):
        first = unit.blocks[0].lines[0]
        if unit.banner:
            artifacts.append(Artifact("banner", "".join(b.text for b in unit.head),
                                      line_number(first)))
            continue
        if unit.head and not unit.body:
            for block in unit.head:
                kind = page_artifact(block, body)
                artifacts.append(Artifact("unassigned-headline" if kind == "unassigned" else kind,
                                          block.text, line_number(block.lines[0])))
            continue
        story = story_of(unit, body, artifacts, line_number)
        if story is None:
            for block in unit.blocks:
                artifacts.append(Artifact(page_artifact(block, body), block.text,
                                          line_number(block.lines[0])))
            continue
        stories.append(story)
    whole = (0.0, 0.0, page.width, page.height)
    for story in stories:
        others = [b for b in blocks if b not in story.blocks]
        story.segment.boxes = article_boxes(story.blocks, others, page.rects, whole, body)
    split = PageSplit([s.segment for s in stories], artifacts)
    return PdfSplit("\n".join(line.text for line in ordered) + "\n", split)


def account_pdf_han(page: PdfPage, pdf_split: PdfSplit) -> tuple[int, int]:
    """(accounted, total): the Han characters drawn on the page (fake-bold copies included)
    found again in an article field or an artifact, and their number."""
    drawn = "".join(glyph.char for glyph in page.glyphs)
    total = len(HAN_RE.findall(drawn))
    missing = missing_han(drawn, pdf_split.split.segments, pdf_split.split.artifacts)
    return total - sum(missing.values()), total
