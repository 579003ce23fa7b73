"""Which decision broke the true articles that an extraction prints as one clean run of blocks,
on the page corpus's dev split (the test split is never read):

    .venv/bin/python -m bench.frame_decisions [CORPUS] [--extractor E] [--pages N] [--examples K]

A page's text is cut into blocks at its blank lines; a line is owned by the true article whose
text holds it (lines of fewer than SHORT characters say nothing), a block by the one article
owning its lines. An article is clean when its first and last sentences are read whole in the
text, its blocks are one unbroken run and none of them holds another's line or a line owned by
none (read across columns). The page is split as ingest splits it, with the segmenter's items,
story breaks and bodies kept, and each clean article not found exactly is put in one class by
the first decision that broke it:
- cut inside the story (a line of it opens another segment): by the sign at the cut: a
  headline-like line of the text, a byline or dateline, a story break of the link model, a
  section heading, other;
- joined with another story (a segment holds its lines and another article's): in one body,
  by what lay between the two (a blank line the link model read as one story, the other's
  headline read as text, nothing); in two bodies joined into one article (a headline-less
  frame joined to the wrong story);
- whole but with its first or last sentence wrong: by how (a first paragraph run on into the
  next, a heading run into the text, a sentence cut short, ...).
Titles: each clean article whose title is wrong, by what it got (none, another article's
headline, a headline-like line of its own text, ...).
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from pathlib import Path

import newsarchive.segment as segment
from bench.segment_score import (
    DEFAULT_CORPUS, body_paragraphs, load_truths, norm, score_split, sentences, truth_paragraphs,
)
from newsarchive.seeds import read_page
from newsarchive.segment.patterns import DATELINE_RE, START_BYLINE_RE
from newsarchive.segment.types import ItemKind

SHORT = 6   # characters of a line (normalised) from which its owner is trusted


def article_texts(truth: dict) -> list[str]:
    """Each true article's whole text, normalised: headline fields, byline and paragraphs."""
    texts = []
    for article in truth["articles"]:
        head = "".join(article.get(k) or "" for k in ("kicker", "title", "subtitle", "byline"))
        texts.append(norm(head + "".join(p for p, _ in truth_paragraphs(article))))
    return texts


def line_owners(lines: list[str], texts: list[str]) -> list[list[int]]:
    """Per line the articles whose text holds it ([] for a blank line or none)."""
    owners = []
    for line in lines:
        text = norm(line)
        owners.append([k for k, whole in enumerate(texts) if text and text in whole])
    return owners


def clean_articles(lines: list[str], owners: list[list[int]]) -> set[int]:
    """Articles whose trusted lines lie in pure blocks forming one unbroken run of blocks, no
    block of theirs holding a line of no article's (read across columns)."""
    blocks, current = [], []
    for number, line in enumerate(lines):
        if line.strip():
            current.append(number)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    sequence, spoiled = [], set()
    for block in blocks:
        trusted = [owners[n] for n in block if len(norm(lines[n])) >= SHORT]
        own = {o[0] for o in trusted if len(o) == 1}
        if len(own) == 1 and all(trusted):
            sequence.append(own.pop())
        elif own:
            sequence.append(None)
            spoiled |= own
    runs = Counter(k for k, before in zip(sequence, [None] + sequence) if k is not None
                   and k != before)
    return {k for k, count in runs.items() if count == 1} - spoiled


class Recorder:
    """Keeps what the segmenter decided on the last page split: the order it read the lines in,
    the items, the story breaks and the bodies."""

    def __init__(self):
        self.source = None
        self.items, self.starts, self.bodies = [], set(), []
        self._across = segment.across_order
        self._order = segment.in_column_order
        self._starts = segment.story_starts
        self._cut = segment.cut_bodies

    def __enter__(self):
        def across(text):
            ordered, self.source = self._across(text)
            return ordered, self.source

        def order(text):
            ordered, self.source = self._order(text)
            return ordered, self.source

        def starts(items, *args, **kwargs):
            self.items = items
            self.starts = self._starts(items, *args, **kwargs)
            return self.starts

        def cut(items, *args, **kwargs):
            self.bodies, units = self._cut(items, *args, **kwargs)
            return self.bodies, units
        segment.across_order, segment.in_column_order = across, order
        segment.story_starts, segment.cut_bodies = starts, cut
        return self

    def __exit__(self, *exc):
        segment.across_order, segment.in_column_order = self._across, self._order
        segment.story_starts, segment.cut_bodies = self._starts, self._cut

    def page_line(self, number: int) -> int:
        return self.source[number - 1] if self.source else number

    def line_items(self) -> dict[int, tuple[int, object]]:
        """Page line -> (item index, item)."""
        return {self.page_line(line.number): (k, item) for k, item in enumerate(self.items)
                for line in item.lines}

    def line_bodies(self) -> dict[int, int]:
        """Page line -> body index."""
        return {self.page_line(line.number): b for b, body in enumerate(self.bodies)
                for line in body.text_lines()}


def cut_sign(number: int, text: str, items: dict, starts: set[int]) -> str:
    """Why a segment starts at page line `number` inside a story."""
    if number not in items:
        return "line left out of the items"
    k, item = items[number]
    if item.kind == ItemKind.HEAD:
        return "headline-like line (learned)" if item.learned else "headline-like line (rules)"
    if item.kind in (ItemKind.BYLINE_UNDER, ItemKind.BYLINE_END) or START_BYLINE_RE.match(text) \
            or DATELINE_RE.match(text):
        return "byline or dateline"
    if item.kind in (ItemKind.SECTION, ItemKind.INLINE_HEAD):
        return "section heading"
    if k in starts:
        return "link break"
    return "other (assignment, recovery)"


def classify(text: str, truth: dict, recorder: Recorder, split) -> tuple[int, list, list]:
    """(how many clean articles, the class of each not found exactly, the title class of each
    whose title is wrong), each class with the page, article and its title's start."""
    lines = text.split("\n")
    texts = article_texts(truth)
    owners = line_owners(lines, texts)
    clean = clean_articles(lines, owners)
    scores = score_split(text, truth, split).articles
    segment_of = {n: s for s, seg in enumerate(split.segments) for a, b in seg.spans
                  for n in range(a, b + 1)}
    items = recorder.line_items()
    bodies = recorder.line_bodies()
    heads = {n for n, (_, item) in items.items() if item.kind == ItemKind.HEAD}
    title_lines = defaultdict(set)   # article -> page lines of its headline fields
    for n, line in enumerate(lines, 1):
        for k in owners[n - 1]:
            art = truth["articles"][k]
            head = norm("".join(art.get(f) or "" for f in ("kicker", "title", "subtitle")))
            if norm(line) and norm(line) in head and len(owners[n - 1]) == 1:
                title_lines[k].add(n)
    found, titles = [], []
    clean = {k for k in clean if scores[k].intact}
    for k in sorted(clean):
        score = scores[k]
        mine = [n for n in range(1, len(lines) + 1) if owners[n - 1] == [k]
                and len(norm(lines[n - 1])) >= SHORT and n not in title_lines[k]]
        where = f"{truth['name']} T{k} {truth['articles'][k]['title'][:16]}"
        if not score.found:
            kind = _found_class(k, mine, lines, owners, segment_of, items, bodies,
                                recorder.starts, heads, title_lines)
            if kind == "whole" and score.matched is None:
                kind = "whole: no sentence of it read whole"
            elif kind == "whole":
                kind = "whole: " + _edge_class(truth_paragraphs(truth["articles"][k]),
                                              body_paragraphs(split.segments[score.matched].body))
            found.append((kind, where))
        if not score.ok["title"]:
            titles.append((_title_class(k, score, split, truth, title_lines, segment_of, heads,
                                        mine), where))
    return len(clean), found, titles


def _found_class(k, mine, lines, owners, segment_of, items, bodies, starts, heads, title_lines):
    """The first decision that broke article k, whose own lines (not its headline's) are
    `mine`: a cut between two of them, or another article's lines in its segment, or neither
    ("whole")."""
    if not mine:
        return "no trusted line"
    segs = [segment_of.get(n) for n in mine]
    if None in segs:
        return "cut: text left out of every article"
    for before, after in zip(mine, mine[1:]):
        if segment_of[before] != segment_of[after]:
            sign = cut_sign(after, lines[after - 1], items, starts)
            where = "between blocks" if any(not lines[n - 1].strip()
                                            for n in range(before, after)) else "inside a block"
            return f"cut: {sign}, {where}"
    own = segs[0]
    others = [n for n, s in segment_of.items() if s == own and len(owners[n - 1]) == 1
              and owners[n - 1] != [k] and len(norm(lines[n - 1])) >= SHORT]
    if others:
        other = owners[others[0] - 1][0]
        other_lines = [n for n in others if owners[n - 1] == [other]]
        my_bodies = {bodies.get(n) for n in mine}
        their_bodies = {bodies.get(n) for n in other_lines} - {None}
        if my_bodies & their_bodies:
            # What lay between: the other's headline read as text, or a blank line.
            if title_lines[other] and not title_lines[other] & heads:
                return "joined in one body: the other's headline read as text"
            if not title_lines[other]:
                return "joined in one body: the other has no headline line on the page"
            return "joined in one body: a blank line read as one story (link model)"
        return "joined: frames of two bodies put in one article"
    return "whole"


def _edge_class(true: list[tuple[str, bool]], got: list[tuple[str, bool]]) -> str:
    """How an article whose lines all went to its own segment, alone, came out with its first
    or last sentence wrong (the first of the two that is)."""
    true_sentences = [(s, heading) for text, heading in true for s in sentences(text)]
    got_sentences = [s for text, _ in got for s in sentences(text)]
    for end in (0, -1):
        want, heading = true_sentences[end]
        have = got_sentences[end] if got_sentences else ""
        if want == have:
            continue
        side = "first" if end == 0 else "last"
        if want in got_sentences:
            return f"{side} sentence found, not at the {side == 'first' and 'start' or 'end'}"
        if heading:
            return f"{side} paragraph a heading, run into the text"
        if want in have:
            return f"{side} sentence run on into the next paragraph" if end == 0 \
                else f"{side} sentence run into from the paragraph before"
        if have in want:
            return f"{side} sentence cut short"
        return f"{side} sentence otherwise wrong"
    return "sentences right, paragraphs wrong"


def _title_class(k, score, split, truth, title_lines, segment_of, heads, mine):
    """What article k's segment got for a title, and where its own headline lines went."""
    seg = split.segments[score.matched] if score.matched is not None else None
    if seg is None:
        return "no segment"
    got = norm(seg.title)
    for j, art in enumerate(truth["articles"]):
        if j != k and got and got == norm(art["title"]):
            return "another article's title"
    if not title_lines[k]:
        return "title not on the page as a line of its own"
    if not title_lines[k] & heads:
        return "own title read as text"
    if not {segment_of.get(n) for n in title_lines[k]} & {score.matched}:
        if any(w in {"no-headline"} for w in seg.review):
            return "own title found, given to another segment; this one headless"
        return "own title found, given to another segment"
    return "own title in the segment, parsed wrong (kicker, subtitle, two titles)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--extractor", default="pdftotext", choices=("pdftotext", "raw", "pdfminer"))
    parser.add_argument("--pages", type=int, help="only the first N dev pages")
    parser.add_argument("--examples", type=int, default=3, help="pages named per class")
    args = parser.parse_args(argv)
    truths = [t for t in load_truths(args.corpus) if t["split"] == "dev"][:args.pages]
    found, titles = Counter(), Counter()
    examples = defaultdict(list)
    clean = 0
    for truth in truths:
        text = read_page(args.corpus / f"{truth['name']}.{args.extractor}.txt").text
        with Recorder() as recorder:
            split = segment.split_page(text)
            page_clean, page_found, page_titles = classify(text, truth, recorder, split)
        clean += page_clean
        for kind, where in page_found:
            found[kind] += 1
            examples[kind].append(where)
        for kind, where in page_titles:
            titles["title: " + kind] += 1
            examples["title: " + kind].append(where)
    print(f"{len(truths)} dev pages, {clean} clean articles; not found exactly "
          f"{sum(found.values())}, title wrong {sum(titles.values())}")
    for counter in (found, titles):
        for kind, count in counter.most_common():
            print(f"{count:5d}  {kind}")
            for where in examples[kind][:args.examples]:
                print(f"         {where}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
