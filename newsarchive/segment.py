"""Split one page of PDF-extracted text into articles: `split_page(text) -> PageSplit`.

The page is read as a stream of items (text lines, headline lines, section headings, bylines);
bylines and continuation notes cut it into bodies, headline lines are assigned to bodies by
evidence (order, and the headline's Han bigrams recurring in the body), and body fragments left
without a headline are joined to the article they continue.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from .model import Artifact, PageSplit, Segment
from .text import (
    SPACES, bigrams, column_widths, han_pairs, ends_sentence, find_continuation, han_count, is_han,
    rebuild_paragraphs, strip_justification_spaces, text_width, undouble_bold_text,
)

CREDIT = r"(?:首席|特约|见习|实习)?(?:记者|通讯员|实习生|摄影记者)"
START_BYLINE_RE = re.compile(
    r"^(?:本报讯|(?:本报|新华社|中新社|[\u4e00-\u9fff]{2,6}(?:社|报|台|网))"
    r"[\u4e00-\u9fff]{0,8}\d{1,2}月\d{1,2}日(?:电|讯))"
    r"\s*(?:[（(][^（）()]{1,40}[）)])?")
UNDER_BYLINE_RE = re.compile(
    rf"^[■□●◆◇]?[\s　]*(?:(?:本报|新华社){CREDIT}[\s　]*|{CREDIT}[\s　]+)[\u4e00-\u9fff·]{{2,5}}"
    rf"(?:[\s　、]+(?:(?:本报)?{CREDIT}[\s　]*)?[\u4e00-\u9fff·]{{2,5}})*$")
END_BYLINE_RE = re.compile(
    rf"[（(]\s*(?:(?:本报|新华社)?{CREDIT}[^（）()]{{1,40}}|据[^（）()]{{2,20}})[）)]$")
CREDIT_PREFIX_RE = re.compile(rf"^(?:本报|新华社)?{CREDIT}")
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
FURNITURE_RE = re.compile(
    r"^(?:(?:责任编辑|责编|编辑|美编|校对|组版|版式|审读|校读|值班主任|主编|视觉)[：:]"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天]"
    r"|第?[A-Z]?\d{1,2}版?$)")
CAPTION_START_RE = re.compile(r"^(?:[▲△▼▽◀▶]|图为|[（(]?图[一二三四五六七八九十\d]*[：:])")
PHOTO_CREDIT_RE = re.compile(
    r"(?:(?:记者|通讯员|摄影|图)[\s　/：:]*[\u4e00-\u9fff·]{2,4}|[\s　][\u4e00-\u9fff·]{2,4})"
    r"[\s　]*摄(?:影)?[）)]?$")
SPEECH_VERB_RE = re.compile(r"(强调|指出|表示|要求|提出|时说|讲话|寄语)$")
LABEL_RE = re.compile(r"^[\u4e00-\u9fff“”]{2,8}[：:]$")
NO_HEAD_PUNCT = "。，、；"
NEAR = 4              # how many bodies away from a headline its article may be
MAX_HEAD_UNITS = 5    # lines of one headline: kicker, title in two parts, subtitle, label
# Characters a headline does not end with, but a line broken mid-sentence often does.
DANGLING = "的之和与及对把被将为从向于而并或且其在是"


@dataclass
class Line:
    number: int                   # 1-based line of the page
    text: str                     # repaired text
    continues: str | None = None
    continued_from: str | None = None


@dataclass
class Item:
    kind: str  # text | head | inline-head | section | byline-under | byline-end | caption
    lines: list[Line]


@dataclass
class Body:
    parts: list[tuple[str, object]] = field(default_factory=list)  # ("text", [Line]) | ("head", str)
    byline: str | None = None
    extra_lines: list[int] = field(default_factory=list)  # lines of bylines and headings
    starts_with_byline: bool = False
    led_by_byline: bool = False   # a 本报记者 X line stood over it: it is an article's lead
    continues: str | None = None
    continued_from: str | None = None
    position: int = 0             # index in page order

    def add_byline(self, byline: str, number: int) -> None:
        # A second credit (a lead's byline and an end byline) is kept beside the first.
        self.byline = f"{self.byline} {byline}" if self.byline else byline
        self.extra_lines.append(number)

    def add_line(self, line: Line) -> None:
        if self.parts and self.parts[-1][0] == "text":
            self.parts[-1][1].append(line)
        else:
            self.parts.append(("text", [line]))

    def text(self) -> str:
        return "".join(line.text for kind, value in self.parts if kind == "text" for line in value)

    def has_text(self) -> bool:
        return any(kind == "text" for kind, _ in self.parts)


@dataclass
class HeadUnit:
    lines: list[Line]
    group: int                    # index of its group of adjacent headline units
    position: int                 # how many bodies precede it on the page


# --- Reading lines --------------------------------------------------------------------------

def page_lines(text: str) -> list[str]:
    """The page's lines as numbered everywhere (spans, artifacts): any line ending, no BOM."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _read_lines(text: str, artifacts: list[Artifact]) -> list[Line | None]:
    """Repair each line; None stands for a blank line (a column or paragraph break)."""
    raw = page_lines(text)
    widths = [text_width(line) for line in raw]
    lines: list[Line | None] = []
    pending_from = None   # a （上接…） note alone on its line belongs to the next line
    for number, source in enumerate(raw, start=1):
        source = source.strip(SPACES)
        if not source:
            lines.append(None)
            continue
        if FURNITURE_RE.match(source):
            artifacts.append(Artifact("page-furniture", source, number))
            lines.append(None)
            continue
        source, continues, continued_from, note = find_continuation(source)
        if note:
            artifacts.append(Artifact("continuation-note", note, number))
        source, dropped = undouble_bold_text(source)
        artifacts.extend(Artifact(d.kind, d.text, number) for d in dropped)
        glued = _split_glued_headline(source, widths[number:number + 5])
        if glued:
            lines.extend([Line(number, glued[0]), None])
            source = glued[1]
        repaired = strip_justification_spaces(source)
        if repaired:
            lines.append(Line(number, repaired, continues, continued_from or pending_from))
            pending_from = None
            continue
        lines.append(None)
        pending_from = pending_from or continued_from
        previous = next((line for line in reversed(lines) if line is not None), None)
        if continues and previous is not None:
            previous.continues = continues
    return lines


def _split_glued_headline(line: str, next_widths: list[float]) -> tuple[str, str] | None:
    """A headline the extraction glued to the first line of a body: `标题 “正文…`."""
    if " " not in line:
        return None
    head, rest = line.split(" ", 1)
    rest = rest.strip(SPACES)
    column = sorted(w for w in next_widths if w)
    if not rest or not column or len(head) > 24 or han_count(head) < 4:
        return None
    if any(c in head for c in NO_HEAD_PUNCT + "（(）)！？") or not (is_han(rest[0]) or rest[0] in "“‘《"):
        return None
    width = column[len(column) // 2]
    if text_width(line) < 1.35 * width or abs(text_width(rest) - width) > 3:
        return None
    return head, rest


# --- Items ----------------------------------------------------------------------------------

def _chunks(lines: list[Line | None]) -> list[list[Line]]:
    chunks: list[list[Line]] = [[]]
    for line in lines:
        if line is None:
            if chunks[-1]:
                chunks.append([])
        else:
            chunks[-1].append(line)
    return [chunk for chunk in chunks if chunk]


def _headingish(line: Line) -> bool:
    text = line.text
    if han_count(text) < 2 or text_width(text) > 40 or any(c in text for c in "。；"):
        return False
    if LABEL_RE.match(text):
        return True
    if ("，" in text or "、" in text) and not text.endswith("—"):
        return False
    return not (text[-1] in "，、：:" or (ends_sentence(text) and not text.endswith("—")))


def _is_section_pair(first: Line, second: Line) -> bool:
    """`“每月一题”，缘何而来——` over `专啃基层难点“硬骨头”`; not a run-in lead over its text."""
    return (first.text.endswith("—") and _headingish(first) and _headingish(second)
            and not any(c in second.text for c in NO_HEAD_PUNCT)
            and second.text[-1] not in DANGLING + "—")


def _items(lines: list[Line | None]) -> list[Item]:
    all_lines = [line for line in lines if line is not None]
    column = dict(zip((id(l) for l in all_lines),
                      column_widths([text_width(l.text) for l in all_lines])))
    page_pairs = Counter(han_pairs("".join(line.text for line in all_lines)))
    chunks = _chunks(lines)
    items: list[Item] = []
    for index, chunk in enumerate(chunks):
        following = chunks[index + 1][0].text if index + 1 < len(chunks) else ""
        opens = not items or items[-1].kind != "text" or ends_sentence(items[-1].lines[-1].text) \
            or bool(END_BYLINE_RE.search(items[-1].lines[-1].text))
        first = chunk[0].text
        if len(chunk) <= 3 and (CAPTION_START_RE.match(first) or PHOTO_CREDIT_RE.search(chunk[-1].text)):
            items.append(Item("caption", chunk))
            continue
        if len(chunk) == 1 and UNDER_BYLINE_RE.match(first):
            items.append(Item("byline-under", chunk))
            continue
        end_byline = END_BYLINE_RE.search(first)
        if len(chunk) == 1 and end_byline and end_byline.start() == 0:
            items.append(Item("byline-end", chunk))
            continue
        if len(chunk) >= 2 and _is_section_pair(chunk[0], chunk[1]) \
                and not (len(chunk) == 2 and _runs_on(chunk[1], following, page_pairs, column)):
            items.append(Item("section", chunk[:2]))
            chunk = chunk[2:]
        elif opens:
            head = _leading_head(chunk, column)
            if head == len(chunk) and _runs_on(chunk[-1], following, page_pairs, column):
                head = 0
            if head:
                items.append(Item("head", chunk[:head]))
                chunk = chunk[head:]
        if chunk:
            items.append(Item("text", chunk))
    return items


def _runs_on(line: Line, following: str, page_pairs: Counter, column: dict[int, float]) -> bool:
    """Whether a line reads on into the next block (a sentence cut by a column break): it ends
    on a word that cannot end a headline, or it fills its column and the two characters across
    the break form a word that occurs elsewhere on the page (`典型⏎⏎案例`)."""
    last = line.text
    if not following or not is_han(last[-1]) or not is_han(following[0]):
        return False
    if last[-1] in DANGLING:
        return True
    return text_width(last) >= column[id(line)] - 3 and page_pairs[last[-1] + following[0]] >= 2


def _leading_head(chunk: list[Line], column: dict[int, float]) -> int:
    """How many leading lines of a chunk form a headline (0: none)."""
    if START_BYLINE_RE.match(chunk[0].text):
        return 0
    for count, line in enumerate(chunk[:4], start=1):
        if not _headingish(line):
            return 0
        if line.text.startswith("—") and count > 1:
            return count
    if len(chunk) > 3:
        return 0
    if len(chunk) == 1:
        line = chunk[0]
        full = abs(text_width(line.text) - column[id(line)]) <= 1
        if full and "，" in line.text:
            return 0
    return len(chunk)


# --- Bodies ---------------------------------------------------------------------------------

def _headline_groups(items: list[Item]) -> None:
    """Turn head items that sit inside one body's text into in-article section headings."""
    index = 0
    groups: list[tuple[int, int]] = []
    while index < len(items):
        if items[index].kind != "head":
            index += 1
            continue
        end = index
        while end + 1 < len(items) and items[end + 1].kind == "head":
            end += 1
        groups.append((index, end))
        index = end + 1
    kept = 0
    for start, end in groups:
        if _is_headline_group(items, start, end):
            kept += 1
            continue
        for item in items[start:end + 1]:
            item.kind = "inline-head"
    if not kept:
        for item in items:
            if item.kind == "inline-head":
                item.kind = "head"
                break


def _is_headline_group(items: list[Item], start: int, end: int) -> bool:
    if end > start or start == 0 or end == len(items) - 1:
        return True
    if any(line.text.startswith("—") for item in items[start:end + 1] for line in item.lines):
        return True
    before, after = items[start - 1], items[end + 1]
    if before.kind in ("byline-end", "head") or after.kind in ("byline-under", "head"):
        return True
    if before.kind == "text" and (before.lines[-1].continues
                                  or END_BYLINE_RE.search(before.lines[-1].text)):
        return True
    return after.kind == "text" and bool(START_BYLINE_RE.match(after.lines[0].text))


def _bodies(items: list[Item], units: list[HeadUnit]) -> list[Body]:
    bodies: list[Body] = []
    current: Body | None = None
    group = -1
    previous_kind = ""

    def open_body(**kwargs) -> Body:
        body = Body(position=len(bodies), **kwargs)
        bodies.append(body)
        return body

    for item in items:
        if item.kind == "caption":
            continue
        if item.kind == "head":
            if previous_kind != "head":
                group += 1
            units.append(HeadUnit(item.lines, group, len(bodies)))
            current = None
        elif item.kind == "byline-under":
            current = open_body(byline=item.lines[0].text, led_by_byline=True,
                                extra_lines=[item.lines[0].number])
        elif item.kind == "byline-end":
            target = current or (bodies[-1] if bodies else None) or open_body()
            target.add_byline(item.lines[0].text, item.lines[0].number)
            current = None
        elif item.kind in ("section", "inline-head"):
            current = current or open_body()
            current.parts.append(("head", "".join(line.text for line in item.lines)))
            current.extra_lines.extend(line.number for line in item.lines)
        else:
            for line in item.lines:
                current = _take_text_line(line, current, open_body)
        previous_kind = item.kind
    return bodies


def _take_text_line(line: Line, current: Body | None, open_body) -> Body | None:
    """Add one text line to the open body, opening or closing bodies at bylines and notes."""
    start = START_BYLINE_RE.match(line.text)
    if start:
        if current is None or current.has_text() or not current.led_by_byline:
            current = open_body()
        current.add_byline(start.group(0).strip(SPACES), line.number)
        current.starts_with_byline = True
        rest = line.text[start.end():].strip(SPACES)
        line = Line(line.number, rest, line.continues, line.continued_from)
    elif line.continued_from and current is not None and current.has_text():
        current = open_body()
    if current is None:
        current = open_body()
    end = END_BYLINE_RE.search(line.text)
    if end and not (end.start() == 0 or ends_sentence(line.text[:end.start()])):
        end = None
    if end:
        current.add_byline(end.group(0), line.number)
        line = Line(line.number, line.text[:end.start()].strip(SPACES), line.continues,
                    line.continued_from)
    if line.text:
        current.add_line(line)
    current.continues = current.continues or line.continues
    current.continued_from = current.continued_from or line.continued_from
    return None if end or line.continues else current


# --- Assigning headlines to bodies ----------------------------------------------------------

def _unit_text(unit: HeadUnit) -> str:
    return "".join(line.text for line in unit.lines if not line.text.startswith("—"))


def _evidence(unit: HeadUnit, body_pairs: set[str]) -> float:
    pairs = bigrams(_unit_text(unit))
    return len(pairs & body_pairs) / len(pairs) if pairs else 0.0


def _placement(unit: HeadUnit, body: Body) -> float:
    """Headlines usually stand right before their body, often right after it, rarely further."""
    if unit.position == body.position:
        return 0.3
    if unit.position == body.position + 1:
        return 0.2
    return -0.3 * min(abs(unit.position - body.position), abs(unit.position - body.position - 1))


def _assign(units: list[HeadUnit], bodies: list[Body]) -> dict[int, list[HeadUnit]]:
    """Monotone assignment of runs of headline units to bodies that maximises the evidence.

    Dynamic programming over the units; a state is the last body given a headline. Only bodies
    within a few places of a unit are candidates, so long pages stay linear.
    """
    pairs = [bigrams(body.text()) for body in bodies]
    positions = [body.position for body in bodies]
    layers: list[dict[int, tuple[float, tuple | None]]] = [{} for _ in range(len(units) + 1)]
    layers[0][-1] = (0.0, None)
    for u, unit in enumerate(units):
        low = bisect.bisect_left(positions, unit.position - NEAR)
        high = bisect.bisect_right(positions, unit.position + NEAR)
        layer = _prune(layers[u], low)
        for last, (score, node) in layer.items():
            _offer(layers[u + 1], last, score - 0.6, node)
            for end in range(u, min(len(units), u + MAX_HEAD_UNITS)):
                if units[end].group != unit.group:
                    break
                run = units[u:end + 1]
                for b in range(max(low, last + 1), high):
                    gain = 1.05 + sum(_evidence(x, pairs[b]) - 0.25 for x in run) \
                        + _placement(unit, bodies[b])
                    _offer(layers[end + 1], b, score + gain, (node, (u, end + 1, b)))
    assignment: dict[int, list[HeadUnit]] = {}
    node = max(layers[-1].values(), key=lambda state: state[0])[1]
    while node is not None:
        node, (start, end, b) = node
        assignment[b] = units[start:end]
    return assignment


def _offer(layer: dict, last: int, score: float, node) -> None:
    if last not in layer or score > layer[last][0]:
        layer[last] = (score, node)


def _prune(layer: dict, low: int) -> dict:
    """States whose last body lies before every candidate collapse into the best of them."""
    near = {last: state for last, state in layer.items() if last >= low - 1}
    far = [(last, state) for last, state in layer.items() if last < low - 1]
    if far:
        last, state = max(far, key=lambda item: item[1][0])
        _offer(near, last, *state)
    return near


def _headline_parts(run: list[HeadUnit]) -> tuple[str, str | None, str | None]:
    """(title, kicker, subtitle) from a headline's lines in page order."""
    lines = [line.text for unit in run for line in unit.lines]
    subtitle_lines = [line.lstrip("—").strip(SPACES) for line in lines if line.startswith("—")]
    lines = [line for line in lines if not line.startswith("—")]
    subtitle = "".join(subtitle_lines) or None
    kicker = None
    if len(lines) >= 2 and (LABEL_RE.match(lines[0]) or SPEECH_VERB_RE.search(lines[0])
                            or han_count(lines[0]) >= 8 or " " in lines[0]):
        kicker = lines[0].rstrip("：:")
        lines = lines[1:]
    title = "".join(lines).rstrip("：:") if len(lines) == 1 else "".join(lines)
    return title, kicker, subtitle


# --- Articles -------------------------------------------------------------------------------

@dataclass
class Draft:
    head: list[HeadUnit]
    bodies: list[Body]
    warnings: list[str] = field(default_factory=list)


def _drafts(units: list[HeadUnit], bodies: list[Body], warnings: list[str]) -> list[Draft]:
    assignment = _assign(units, bodies)
    assigned = {id(unit) for run in assignment.values() for unit in run}
    drafts = {b: Draft(run, [bodies[b]]) for b, run in assignment.items()}
    orphans = []
    for index, body in enumerate(bodies):
        if index in drafts:
            continue
        if body.starts_with_byline or not drafts:
            drafts[index] = Draft([], [body], ["no headline found for this article"])
        else:
            orphans.append(body)
    vocabularies = {id(draft): _vocabulary(draft) for draft in drafts.values()}
    for body in orphans:
        mine = bigrams(body.text())
        # An article's frames sit near each other on the page: look at the nearest articles.
        near = [d for d in drafts.values() if abs(d.bodies[0].position - body.position) <= 2 * NEAR]
        target = max(near or drafts.values(), key=lambda d: (
            len(mine & vocabularies[id(d)]) / len(mine) if mine else 0.0,
            -abs(d.bodies[0].position - body.position)))
        target.bodies.append(body)
    for unit in units:
        if id(unit) not in assigned:
            warnings.append(f"line {unit.lines[0].number}: headline with no article: "
                            f"{_unit_text(unit)}")
    result = [drafts[key] for key in sorted(drafts)]
    for draft in result:
        _order_frames(draft)
    return result


def _vocabulary(draft: Draft) -> set[str]:
    """The bigrams of an article's headline and text: what an orphan frame is matched against."""
    return bigrams("".join(_unit_text(u) for u in draft.head)
                   + "".join(body.text() for body in draft.bodies))


def _order_frames(draft: Draft) -> None:
    """Reading order of an article's text frames: the lead under its byline, then the frames
    after the headline in page order, then the frames printed before it (they wrap around)."""
    if len(draft.bodies) == 1:
        return
    head_at = draft.head[0].position if draft.head else 0
    page_order = sorted(draft.bodies, key=lambda b: b.position)
    leads = [b for b in page_order if b.led_by_byline]
    after = [b for b in page_order if not b.led_by_byline and b.position >= head_at]
    before = [b for b in page_order if not b.led_by_byline and b.position < head_at]
    draft.bodies = leads + after + before
    if draft.bodies != page_order:
        first_lines = ", ".join(str(_first_line(b)) for b in draft.bodies)
        draft.warnings.append(f"text frames put in reading order by their byline and headline "
                              f"(frames starting at lines {first_lines})")
    elif not leads:
        draft.warnings.append("text frames without their own headline kept in page order")


def _first_line(body: Body) -> int:
    numbers = [line.number for kind, value in body.parts if kind == "text" for line in value]
    return min(numbers + body.extra_lines) if numbers or body.extra_lines else 0


def _blocks(draft: Draft) -> list[tuple[str, str, bool]]:
    """The article as (kind, text, starts_frame) blocks: paragraphs and `##` headings."""
    blocks: list[tuple[str, str, bool]] = []
    for body in draft.bodies:
        frame_start = True
        for kind, value in body.parts:
            if kind == "head":
                blocks.append(("h", value, frame_start))
                frame_start = False
                continue
            for paragraph in rebuild_paragraphs(_with_blanks(value)):
                blocks.append(("p", paragraph, frame_start))
                frame_start = False
    return _place_grouped_headings(blocks, draft.warnings)


def _with_blanks(lines: list[Line]) -> list[str | None]:
    out: list[str | None] = []
    for index, line in enumerate(lines):
        if index and line.number > lines[index - 1].number + 1:
            out.append(None)
        out.append(line.text)
    return out


def _place_grouped_headings(blocks, warnings):
    """Section headings printed together, away from their sections, go back to where the
    sections they name begin (see `_section_starts`); a lone heading stays where it is."""
    grouped = [i for i in range(len(blocks)) if blocks[i][0] == "h"
               and ((i + 1 < len(blocks) and blocks[i + 1][0] == "h")
                    or (i > 0 and blocks[i - 1][0] == "h"))]
    if len(grouped) < 2:
        return blocks
    headings = [blocks[i][1] for i in grouped]
    rest = [block for i, block in enumerate(blocks) if i not in set(grouped)]
    slots = [j for j in range(1, len(rest)) if rest[j][0] == "p" and rest[j - 1][0] == "p"
             and ends_sentence(rest[j - 1][1])]
    if len(slots) < len(headings):
        return blocks
    chosen = _section_starts(headings, rest, slots)
    placed = list(rest)
    for heading, slot in sorted(zip(headings, chosen), key=lambda pair: -pair[1]):
        placed.insert(slot, ("h", heading, False))
    warnings.append("section headings printed apart from their sections placed by text evidence")
    return placed


def _section_starts(headings: list[str], blocks, slots: list[int]) -> list[int]:
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
        found = sum(1 / (1 + 0.3 * (next_at[pair][start] - start)) for pair in pairs
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


def _reporters(byline: str | None) -> list[str]:
    """Names credited in a byline: the words after 记者/通讯员, inside its brackets if any."""
    if not byline:
        return []
    names: list[str] = []
    for credit in re.findall(r"[（(]([^（）()]*)[）)]", byline) or [byline]:
        credited = False
        for token in re.split(r"[\s　、，]+", credit):
            token = token.lstrip("■□●◆◇")
            bare = CREDIT_PREFIX_RE.sub("", token)
            credited = credited or bare != token
            if credited and NAME_RE.match(bare) and bare not in names:
                names.append(bare)
    return names


def _spans(numbers: list[int]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if spans and number <= spans[-1][1] + 2:
            spans[-1] = (spans[-1][0], number)
        else:
            spans.append((number, number))
    return spans


def _segment(draft: Draft) -> Segment:
    if draft.head:
        title, kicker, subtitle = _headline_parts(draft.head)
    else:
        title, kicker, subtitle = "", None, None
    blocks = _blocks(draft)
    body = "\n\n".join(f"## {text}" if kind == "h" else text for kind, text, _ in blocks)
    if not title:
        first = next((text for kind, text, _ in blocks if kind == "p"), "")
        title = re.split(r"[，。！？；]", first)[0][:30] or "无题"
    byline = " ".join(dict.fromkeys(b.byline for b in draft.bodies if b.byline)) or None
    numbers = [line.number for unit in draft.head for line in unit.lines]
    for b in draft.bodies:
        numbers += b.extra_lines
        numbers += [line.number for kind, value in b.parts if kind == "text" for line in value]
    return Segment(
        title=title, body=body, kicker=kicker, subtitle=subtitle, byline=byline,
        reporters=_reporters(byline),
        continues=next((b.continues for b in draft.bodies if b.continues), None),
        continued_from=next((b.continued_from for b in draft.bodies if b.continued_from), None),
        spans=_spans(numbers), warnings=draft.warnings)


def split_page(text: str) -> PageSplit:
    """Split one page's text into articles, repaired, with every removed piece recorded."""
    artifacts: list[Artifact] = []
    warnings: list[str] = []
    items = _items(_read_lines(text, artifacts))
    artifacts.extend(Artifact("photo-caption", "".join(line.text for line in item.lines),
                              item.lines[0].number) for item in items if item.kind == "caption")
    _headline_groups(items)
    units: list[HeadUnit] = []
    bodies = []
    for body in _bodies(items, units):
        if body.has_text():
            bodies.append(body)
        else:
            # Bylines and section headings with no text after them on this page.
            artifacts.extend(Artifact("stray-heading", value, body.extra_lines[0])
                             for kind, value in body.parts if kind == "head")
            if body.byline:
                artifacts.append(Artifact("stray-byline", body.byline, body.extra_lines[0]))
    drafts = _drafts(units, bodies, warnings)
    for unit in units:
        if not any(unit in draft.head for draft in drafts):
            artifacts.append(Artifact("unassigned-headline",
                                      "".join(line.text for line in unit.lines),
                                      unit.lines[0].number))
    return PageSplit([_segment(draft) for draft in drafts], artifacts, warnings)


def account_han(text: str, split: PageSplit) -> tuple[int, int, list[int]]:
    """(accounted, total, lines): Han characters of the page found again in an article field or
    an artifact, the page's total, and the lines holding characters that were not found."""
    page = Counter(char for char in text if is_han(char))
    found: Counter = Counter()
    for segment in split.segments:
        for value in (segment.title, segment.kicker, segment.subtitle, segment.byline, segment.body):
            found.update(char for char in value or "" if is_han(char))
    for artifact in split.artifacts:
        found.update(char for char in artifact.text if is_han(char))
    missing = page - found
    accounted = sum(page.values()) - sum(missing.values())
    lines = sorted({number for number, line in enumerate(page_lines(text), start=1)
                    if any(missing.get(char) for char in line)})
    return accounted, sum(page.values()), lines
