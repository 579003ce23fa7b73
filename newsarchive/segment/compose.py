"""Writing an article out: paragraphs, `##` headings put back in place, title, byline, spans."""

from __future__ import annotations

import re
from math import fsum

from ..model import Artifact, Segment
from ..text import (
    CLOSERS, LEAD_LABEL_RE, SPACES, TERMINALS, bigrams, column_width, column_widths,
    ends_sentence, han_count, join_wrapped_lines, rebuild_paragraphs, text_width,
)
from .assign import headline_parts
from .patterns import CREDIT_OPEN_RE, DATELINE_RE, START_BYLINE_RE, reporters
from .types import Draft, Line


def _blocks(draft: Draft) -> list[tuple[str, str, bool]]:
    """The article as (kind, text, starts_frame) blocks: paragraphs and `##` headings."""
    blocks: list[tuple[str, str, bool]] = []
    for body in draft.bodies:
        frame_start = True
        for kind, value in body.parts:
            if kind == "head":
                blocks.append(("h", value.text, frame_start))
                frame_start = False
                continue
            for paragraph in (paragraph for part in _unmarked_paragraphs(value)
                              for run in _dateline_paragraphs(part)
                              for paragraph in rebuild_paragraphs(_with_blanks(run))):
                # A frame that starts mid-sentence goes on with the paragraph before it.
                if frame_start and blocks and blocks[-1][0] == "p" \
                        and not ends_sentence(blocks[-1][1]):
                    blocks[-1] = ("p", join_wrapped_lines([blocks[-1][1], paragraph]),
                                  blocks[-1][2])
                else:
                    blocks.append(("p", paragraph, frame_start))
                frame_start = False
    return _place_grouped_headings(blocks, draft)


# Where a paragraph may end with no mark: a line stopping this many em short of its column or
# more (an indented first line is two em short), ending in no pause mark or opening one.
UNMARKED_SHORT = 2
PAUSE_MARKS = "，、：；,:;"
OPENING_MARKS = "“‘《（("
# An indented first line: short of its column by this much (half an em: a quote set narrow).
INDENT = (0.5, 2.5)
# Digits, Latin letters and spaces make a line's width in characters unlike its printed width.
UNSURE_WIDTH_RE = re.compile(r"[0-9A-Za-z \u3000]")
# Text is justified where this share of its lines inside paragraphs fill their column.
JUSTIFIED = 0.75


def _unmarked_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """A frame's run of text lines cut after each line that ends a paragraph with no mark: a
    lead or pull quote printed over the text (`…返本开新的文化心⏎理⏎日前，“紫禁城…`),
    which the paragraphs' rebuilding would run on into the text's first sentence. Justified
    text fills its column up to a paragraph's last line, and the next paragraph's first line
    is indented: the line stops UNMARKED_SHORT em short or more, the line before it fills the
    column and runs on into it, and the line after it is indented and opens no pause or quote
    list (`…“中高⏎考”⏎“空中微课”`). Of the lines so found in the dev pages' blocks, true
    paragraph ends / not: pdftotext 337 / 40, raw 461 / 52, pdfminer 52 / 4. Dev, pdftotext,
    found exactly 1622 -> 1674 before the test of justification (the seeds, set ragged, broke
    paragraphs), 1667 with it at JUSTIFIED 0.75 (0.9: 1639; 0.6: 1660, a seed broken; the line
    after the indent asked to fill its column too: 1655); at 1.5 em short as at 2, at 3 em 2
    fewer; with digits and Latin letters allowed 11 fewer."""
    widths = [text_width(line.text) for line in lines]
    columns = column_widths(widths)

    def runs_on(k: int) -> bool:
        return 0 < k < len(lines) and lines[k].number == lines[k - 1].number + 1

    def full(k: int) -> bool:
        return columns[k] - widths[k] <= INDENT[0]

    def sure(k: int) -> bool:
        return not UNSURE_WIDTH_RE.search(lines[k].text.strip(SPACES))

    cuts = []
    for k in range(1, len(lines) - 1):
        text, before, after = lines[k].text.rstrip(SPACES), lines[k - 1].text, lines[k + 1].text
        if not (runs_on(k) and runs_on(k + 1) and sure(k - 1) and sure(k) and sure(k + 1)) \
                or ends_sentence(text):
            continue
        short = columns[k] - widths[k] >= UNMARKED_SHORT \
            and text[-1:] not in PAUSE_MARKS + OPENING_MARKS
        indented = INDENT[0] <= columns[k + 1] - widths[k + 1] <= INDENT[1] \
            and after.strip(SPACES)[:1] not in PAUSE_MARKS + TERMINALS + CLOSERS \
            and not (text[-1:] in CLOSERS and after.strip(SPACES)[:1] in OPENING_MARKS)
        if short and full(k - 1) and not ends_sentence(before) and indented:
            cuts.append(k + 1)
    # Only justified text says so: where lines inside a paragraph stop short here and there (a
    # page set ragged, or widths the extraction misreads), a short line ends nothing.
    inside = [k for k in range(1, len(lines)) if runs_on(k) and sure(k) and k not in cuts
              and k + 1 not in cuts and not ends_sentence(lines[k - 1].text)
              and not ends_sentence(lines[k].text)]
    if not cuts or sum(map(full, inside)) < JUSTIFIED * len(inside):
        return [lines]
    return _split_before(lines, cuts)


# A story's dateline, or a brief's bare `本报电`: it opens a paragraph.
DATELINE_OPENING_RE = re.compile(rf"{START_BYLINE_RE.pattern}|^本报电")
# Lines of an item's heading over its dateline, at most.
ITEM_HEADING_LINES = 2


def _dateline_paragraphs(lines: list[Line]) -> list[list[Line]]:
    """A frame's run of text lines cut before each line that opens with a dateline, whatever
    the line before it ends with, and before the item's heading over it: in a column of briefs
    each item's heading has no closing mark and is a paragraph of its own
    (`…观测数据。⏎多地试点智慧农业服务平台⏎本报电 记者从…`), which the paragraphs' rebuilding
    would run on into the sentences around it."""
    cuts: list[int] = []
    for k in range(1, len(lines)):
        if not DATELINE_OPENING_RE.match(lines[k].text.strip(SPACES)) \
                or lines[k - 1].text.rstrip(SPACES)[-1:] in PAUSE_MARKS + OPENING_MARKS:
            continue
        heading = k
        while heading > 0 and k - heading < ITEM_HEADING_LINES \
                and not ends_sentence(lines[heading - 1].text):
            heading -= 1
        if heading < k and (heading == 0 or ends_sentence(lines[heading - 1].text)):
            cuts.append(heading)
        cuts.append(k)
    return _split_before(lines, sorted(set(cuts) - {0}))


def _split_before(lines: list[Line], cuts: list[int]) -> list[list[Line]]:
    """The lines in runs, a new run at each of the (ascending, nonzero) indexes `cuts`."""
    return [lines[a:b] for a, b in zip([0, *cuts], [*cuts, len(lines)])]


def _with_blanks(lines: list[Line]) -> list[str | None]:
    """A frame's lines with None where the page had blank lines (gaps in the numbering), and
    before an indented line: after a finished sentence, either is where a paragraph may end."""
    out: list[str | None] = []
    for index, line in enumerate(lines):
        if index and (line.number > lines[index - 1].number + 1 or line.indented):
            out.append(None)
        out.append(line.text)
    return out


def _place_grouped_headings(blocks: list[tuple[str, str, bool]],
                            draft: Draft) -> list[tuple[str, str, bool]]:
    """Section headings printed together, away from their sections, go back to where the
    sections they name begin (see `_section_starts`); a lone heading stays where it is."""
    grouped = [i for i in range(len(blocks)) if blocks[i][0] == "h"
               and ((i + 1 < len(blocks) and blocks[i + 1][0] == "h")
                    or (i > 0 and blocks[i - 1][0] == "h"))]
    if len(grouped) < 2:
        return blocks
    headings = [blocks[i][1] for i in grouped]
    rest = [block for i, block in enumerate(blocks) if i not in set(grouped)]
    # A section can start at any paragraph after the first (the lead) that follows a finished
    # sentence.
    slots = [j for j in range(1, len(rest)) if rest[j][0] == "p" and rest[j - 1][0] == "p"
             and ends_sentence(rest[j - 1][1])]
    if len(slots) < len(headings):
        return blocks
    chosen = _section_starts(headings, rest, slots)
    placed = list(rest)
    for heading, slot in sorted(zip(headings, chosen), key=lambda pair: -pair[1]):
        placed.insert(slot, ("h", heading, False))
    draft.warnings.append("section headings printed apart from their sections placed by text "
                          "evidence")
    draft.flag("sections-placed")
    return placed


def _section_starts(headings: list[str], blocks: list[tuple[str, str, bool]],
                    slots: list[int]) -> list[int]:
    """Start blocks for the sections, in order. A heading's words recur in its section, mostly
    near its start; frame starts are likely section starts; sections run to similar lengths."""
    lengths = [0]
    for block in blocks:
        lengths.append(lengths[-1] + len(block[1]))
    average = (lengths[-1] - lengths[1]) / (len(headings) + 1) or 1.0
    block_pairs = [bigrams(block[1]) for block in blocks]
    heading_pairs = [bigrams(heading) for heading in headings]
    # next_at[pair][i]: the first block at or after i that holds pair (len(blocks) if none)
    next_at: dict[str, list[int]] = {}
    for pair in set().union(*heading_pairs):
        column = [len(blocks)] * (len(blocks) + 1)
        for index in range(len(blocks) - 1, -1, -1):
            column[index] = index if pair in block_pairs[index] else column[index + 1]
        next_at[pair] = column

    def score(k: int, start: int, end: int) -> float:
        pairs = heading_pairs[k]
        if not pairs:
            return 0.0
        # A word found in the section's opening paragraph counts fully, later ones less: a
        # section's last paragraph often sums up the heading of the next one.
        found = fsum(1 / (1 + 0.3 * (next_at[pair][start] - start)) for pair in pairs
                    if next_at[pair][start] < end)
        balance = abs((lengths[end] - lengths[start]) - average) / average
        return found / len(pairs) + (0.5 if blocks[start][2] else 0.0) - 0.2 * balance

    ends = slots + [len(blocks)]
    # best[s]: (score, path) with the latest heading starting at slots[s]
    best = {s: (0.0, [s]) for s in range(len(slots))}
    for k in range(1, len(headings)):
        best = {s2: max(((value + score(k - 1, slots[path[-1]], slots[s2]), path + [s2])
                         for s1, (value, path) in best.items() if path and s1 < s2),
                        default=(float("-inf"), []))
                for s2 in range(len(slots))}
    final = max(((value + score(len(headings) - 1, slots[path[-1]], ends[-1]), path)
                 for value, path in best.values() if path), key=lambda pair: pair[0])
    return [slots[s] for s in final[1]]


def line_spans(numbers: list[int]) -> list[tuple[int, int]]:
    """Line numbers as 1-based spans; a gap of one blank line does not split a span."""
    spans: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if spans and number <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    return spans


# A space kept between two Han words outside quotation marks: print has none there, but a
# line read across two columns does (`倒挂的情况即外来人 业生的数量为依据来`).
SPACED_HAN_RE = re.compile(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]")
QUOTED_RE = re.compile(r"“[^“”]*”")
BRACKETED_DATELINE_RE = re.compile(rf"[（(]{DATELINE_RE.pattern}[）)]")


def text_doubts(body: str) -> list[str]:
    """Review reasons the recovered text itself shows (see model.REVIEW_REASONS)."""
    reasons = []
    # Section headings, like headlines, may set two phrases apart with a space.
    paragraphs = "\n".join(p for p in body.split("\n") if not p.startswith("## "))
    # A dateline is followed by a space in print (`本报北京2月18日电 国务院…`).
    if SPACED_HAN_RE.search(DATELINE_RE.sub("", QUOTED_RE.sub("", paragraphs))):
        reasons.append("columns-mixed")
    # A dateline in brackets is a correspondent's closing credit (`（本报华盛顿5月6日电）`).
    if DATELINE_RE.search(BRACKETED_DATELINE_RE.sub("", body)[1:]):
        reasons.append("stories-merged")
    return reasons


def title_doubts(title: str) -> list[str]:
    """A title cut from a longer headline or an over-line left without its title: it ends in
    a dash or colon, opens with a closing mark, or leaves a bracket or quotation open."""
    pairs = ("（）", "()", "“”", "《》")
    broken = title.endswith(("—", "：", ":")) or title[:1] in "）)”》，、" or any(
        title.count(a) != title.count(b) for a, b in pairs)
    # Two series tags are two headlines run together; a tag alone is no headline; a long
    # title with commas is a sentence of the text.
    bare = re.sub(r"[（(][^（）()]*[）)]", "", title)
    run_together = len(re.findall(r"[（(][^（）()]{2,}[）)]", title)) >= 2
    sentence = han_count(title) > 30 and title.count("，") >= 1
    return ["headline-weak"] if broken or run_together or not han_count(bare) or sentence else []


# A brief's dateline without place or date (`本报电 记者从…`): only where it opens the article
# is it the byline; inside a box of briefs it opens an item, a paragraph of the box's article.
# So is the tail of a dateline whose head the extraction read elsewhere (`24日电（记者季芳）`,
# `28日电 国务院…`), its credit wrapped or bare: no sentence opens with `电`.
BARE_DATELINE_RE = re.compile(
    r"^本报电(?=[ 　])|^(?:\d{1,2}月)?(?:\d{1,2}日)?电(?:[ 　]*[（(][^（）()]{1,40}[）)]|(?=[ 　]))")


def _credit_from_text(blocks: list[tuple[str, str, bool]], bylines: list[str]
                      ) -> tuple[list[tuple[str, str, bool]], list[str]]:
    """A dateline or its credit that a wrap put into the first paragraph (`新华社北京2月9⏎日电…`,
    `新华社北京2月9日电⏎（记者罗晨）…`) goes to the byline."""
    if not blocks or blocks[0][0] != "p":
        return blocks, bylines
    kind, text, frame_start = blocks[0]
    dateline = START_BYLINE_RE.match(text) or BARE_DATELINE_RE.match(text)
    credit = None if dateline or not (bylines and bylines[0].endswith(("电", "讯"))) \
        else CREDIT_OPEN_RE.match(text)
    found = dateline or credit
    if found is None or not text[found.end():].strip(SPACES):
        return blocks, bylines
    taken = found.group(0).strip(SPACES)
    bylines = [taken, *bylines] if dateline else [bylines[0] + taken, *bylines[1:]]
    return [(kind, text[found.end():].strip(SPACES), frame_start), *blocks[1:]], bylines


# The words that close a bracket, up to its closing mark, with no sentence in them.
BRACKET_TAIL_RE = re.compile(r"^[^（）()，。！？；]{1,12}[）)]")


def _title_tail_from_text(title: str, blocks: list[tuple[str, str, bool]]
                          ) -> tuple[str, list[tuple[str, str, bool]]]:
    """A title whose column tag a wrap cut (`…履职尽责促发展（两会热`) takes back the tag's end
    that opens the text (`议）5月25日…`): the extraction read the headline's last line into the
    text's first."""
    if not blocks or blocks[0][0] != "p" or title.count("（") + title.count("(") \
            <= title.count("）") + title.count(")"):
        return title, blocks
    kind, text, frame_start = blocks[0]
    tail = BRACKET_TAIL_RE.match(text)
    if tail is None or not text[tail.end():].strip(SPACES):
        return title, blocks
    return title + tail.group(0).strip(SPACES), \
        [(kind, text[tail.end():].strip(SPACES), frame_start), *blocks[1:]]


def compose_segment(draft: Draft) -> Segment:
    """The finished article; with no headline, its first clause stands in as the title."""
    if draft.head:
        title, kicker, subtitle = headline_parts(
            draft.head, "".join(body.text() for body in draft.bodies),
            column_width([text_width(line.text) for body in draft.bodies
                          for line in body.text_lines()]))
    else:
        title, kicker, subtitle = "", None, None
    title, blocks = _title_tail_from_text(title, _blocks(draft))
    blocks, bylines = _credit_from_text(
        blocks, list(dict.fromkeys(b.byline for b in draft.bodies if b.byline)))
    body = "\n\n".join(f"## {text}" if kind == "h" else text for kind, text, _ in blocks)
    if not title:
        first = next((text for kind, text, _ in blocks
                      if kind == "p" and not LEAD_LABEL_RE.match(text)), "")
        title = re.split(r"[，。！？；]", first)[0][:30] or "无题"
    for reason in text_doubts(body) + title_doubts(title):
        draft.flag(reason)
    byline = " ".join(bylines) or None
    numbers = [line.number for unit in draft.head for line in unit.lines]
    for b in draft.bodies:
        numbers += b.extra_lines
        numbers += [line.number for kind, value in b.parts if kind == "text" for line in value]
    return Segment(
        title=title, body=body, kicker=kicker, subtitle=subtitle, byline=byline,
        reporters=reporters(byline),
        continues=next((b.continues for b in draft.bodies if b.continues), None),
        continued_from=next((b.continued_from for b in draft.bodies if b.continued_from), None),
        spans=line_spans(numbers), warnings=draft.warnings, review=draft.review)


def repeated_bylines(draft: Draft) -> list[Artifact]:
    """Credits printed again on a later frame of the same article: the byline shows each once,
    so the repeats are listed to keep the page's characters accounted for."""
    seen: set[str] = set()
    repeats = []
    for body in draft.bodies:
        if body.byline in seen:
            repeats.append(Artifact("repeated-byline", body.byline, body.extra_lines[0]))
        elif body.byline:
            seen.add(body.byline)
    return repeats
