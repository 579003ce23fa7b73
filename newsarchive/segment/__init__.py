"""Split one page of PDF-extracted text into articles: `split_page(text) -> PageSplit`.

The page is read as a stream of items (text lines, headline lines, section headings, bylines);
bylines, continuation notes and learned breaks between two stories' text blocks (`links`) cut
it into bodies (`bodies`), headline lines are assigned to
bodies by evidence, order and the headline's Han bigrams recurring in the body (`assign`), a
body found to hold two stories is split and a headline taken for a section is given back
(`recover`), body frames left without a headline are joined to the article they continue, and
each article is written out with its section headings back in place (`compose`). Whether a
headline-like block heads an article or a section is decided in `headings`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ..model import Artifact, PageSplit, Segment
from ..text import HAN_RE, han_count, unify_radicals
from .across import across_order
from .assign import make_drafts
from .bodies import cut_bodies, stray_parts
from .columns import in_column_order, page_lines
from .compose import compose_segment, line_spans, repeated_bylines
from .confidence import PageShape, PageWords, segment_features, shipped_model
from .headings import mark_headline_groups
from .lines import read_items, read_lines
from .links import story_starts
from .listed import find_listed_headlines, listed_drafts
from .types import HeadUnit, Item, ItemKind

__all__ = ["account_han", "missing_han", "page_lines", "split_page", "split_with_features"]


def split_page(text: str) -> PageSplit:
    """Split one page's text into articles, repaired, with every removed piece recorded; an
    article's review list is settled by the shipped confidence model (`confidence`)."""
    split, features = split_with_features(text)
    model = shipped_model()
    if model is not None:
        for segment, signs in zip(split.segments, features):
            model.judge(segment, signs)
    return split


def split_with_features(text: str, start_candidates: list | None = None
                        ) -> tuple[PageSplit, list[dict[str, float]]]:
    """The split before the confidence model's judgement, and each article's signs for it;
    `start_candidates`, when given, collects the possible story starts of a page whose
    headlines were listed apart, with their signs (for fitting `starts`)."""
    ordered, source = across_order(text)
    across = source is not None
    if source is None:
        ordered, source = in_column_order(text)
    split, features = _split_text(ordered, start_candidates, across)
    return (split if source is None else _renumbered(split, source)), features


WARNING_LINE_RE = re.compile(r"^line (\d+):")
LABEL_HAN = 4   # a label over a story (`中国银联`) holds at most this many Han characters


def _renumbered(split: PageSplit, source: list[int]) -> PageSplit:
    """A split of the lines put in column order, its line numbers those of the page as given;
    `source[n - 1]` is the page line that line n came from."""
    def spans(segment: Segment) -> list[tuple[int, int]]:
        return line_spans([source[n - 1] for a, b in segment.spans for n in range(a, b + 1)])

    def warning(text: str) -> str:
        return WARNING_LINE_RE.sub(lambda m: f"line {source[int(m.group(1)) - 1]}:", text)

    return PageSplit(
        [replace(segment, spans=spans(segment), warnings=[warning(w) for w in segment.warnings])
         for segment in split.segments],
        [replace(artifact, line=source[artifact.line - 1]) for artifact in split.artifacts],
        [warning(w) for w in split.warnings])


def read_page(text: str) -> tuple[list, list[Artifact], tuple | None, list]:
    """A page's text (in column order) read as far as its items: (lines, artifacts so far,
    the headlines listed after the stories or None, items with headline groups marked)."""
    lines, artifacts = read_lines(text)
    listed = find_listed_headlines(lines)
    # Headlines listed apart are placed by their words; the learned model, fitted for
    # headlines in place, is not asked there.
    items = read_items(lines[:listed[0]] + [None] * (len(lines) - listed[0]) if listed else lines,
                       learned=not listed)
    # The headlines listed after the stories are placed by their words, not read in turn; where
    # the text has headlines in place (half as many as the list or more), the lines after the
    # last story are that story's, or a few more stories' set after them.
    if listed and 2 * sum(map(_headline_in_place, items)) >= len(listed[1]):
        listed = None
        items = read_items(lines)
    artifacts.extend(Artifact("photo-caption", "".join(line.text for line in item.lines),
                              item.lines[0].number)
                     for item in items if item.kind == ItemKind.CAPTION)
    # Whether a headline-like block heads an article or a section depends on its neighbours.
    mark_headline_groups(items)
    return lines, artifacts, listed, items


def _headline_in_place(item: Item) -> bool:
    """Whether an item is a headline standing over its story's text. An over-line (ending in
    `——`), a subtitle under a dash and a label of four Han characters or fewer (`中国银联`)
    stand over a story whose headline is listed too. (Dev, raw, found exactly / segmentation /
    titles leaving out over-lines only: 47.2% / 0.807 / 65.6%; subtitles too: 47.2% / 0.808 /
    66.1%; labels too: 47.5% / 0.810 / 66.2%; pdftotext unchanged by either.)"""
    text = "".join(line.text for line in item.lines)
    return item.kind == ItemKind.HEAD and not text.endswith("—") and not text.startswith("—") \
        and han_count(text) > LABEL_HAN


def _split_text(text: str, start_candidates: list | None = None, across: bool = False
                ) -> tuple[PageSplit, list[dict[str, float]]]:
    lines, artifacts, listed, items = read_page(text)
    cut, units = cut_bodies(items, story_starts(items, own_breaks=not across))
    bodies = [body for body in cut if body.has_text()]
    artifacts.extend(stray for body in cut if not body.has_text() for stray in stray_parts(body))
    if listed:
        artifacts.extend(Artifact("doubled-text", line.text, line.number) for line in listed[2])
        heads = [HeadUnit(run, group=-1, position=len(bodies)) for run in listed[1]]
        drafts, warnings = listed_drafts(heads, units, bodies,
                                         {artifact.line for artifact in artifacts},
                                         start_candidates)
        units = units + heads
    else:
        drafts, warnings = make_drafts(units, bodies)
    # Every headline block is kept: one that no body claimed is listed, never dropped.
    used = {id(unit) for draft in drafts for unit in draft.head}
    artifacts.extend(Artifact("unassigned-headline", "".join(line.text for line in unit.lines),
                              unit.lines[0].number) for unit in units if id(unit) not in used)
    artifacts.extend(repeat for draft in drafts for repeat in repeated_bylines(draft))
    segments = [compose_segment(draft) for draft in drafts]
    page = PageShape.of([line for line in lines if line], bool(listed))
    words = PageWords(segments)
    features = [segment_features(draft, segment, page, words, k)
                for k, (draft, segment) in enumerate(zip(drafts, segments))]
    return PageSplit(segments, artifacts, warnings), features


def missing_han(text: str, segments: list[Segment], artifacts: list[Artifact]) -> Counter:
    """The Han characters of the page found in no article field and no artifact."""
    found: Counter = Counter()
    for segment in segments:
        fields = (segment.title, segment.kicker, segment.subtitle, segment.byline, segment.body)
        for value in fields:
            found.update(HAN_RE.findall(value or ""))
    for artifact in artifacts:
        found.update(HAN_RE.findall(artifact.text))
    # Counting characters, not matching text: repairs reorder frames and join lines, but they
    # must neither lose nor invent a character.
    return Counter(HAN_RE.findall(unify_radicals(text))) - found


def account_han(text: str, split: PageSplit, segments: list[Segment] | None = None
                ) -> tuple[int, int, list[str]]:
    """(accounted, total, lost): the page's Han characters found again in an article field or
    an artifact, its total, and a note per line whose characters went missing. `segments` are
    the articles kept (default: all of the split's); only lines outside all their spans are
    noted, since one missing 的 would otherwise mark half the page."""
    segments = split.segments if segments is None else segments
    missing = missing_han(text, segments, split.artifacts)
    total = sum(Counter(HAN_RE.findall(unify_radicals(text))).values())
    covered = {n for seg in segments for a, b in seg.spans for n in range(a, b + 1)}
    named: dict[int, Counter] = {}
    for artifact in split.artifacts:
        named.setdefault(artifact.line, Counter()).update(HAN_RE.findall(artifact.text))
    lost = []
    for number, line in enumerate(page_lines(text), start=1):
        if number in covered or not missing:
            continue
        rest = Counter(HAN_RE.findall(line)) - named.get(number, Counter())
        gone = sum(1 for char in rest.elements() if missing[char])
        if gone:
            lost.append(f"line {number}: {gone} Han characters in no article: {line.strip()}")
    return total - sum(missing.values()), total, lost
