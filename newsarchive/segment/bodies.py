"""Cutting the item stream into bodies at bylines, continuation notes and headlines."""

from __future__ import annotations

from dataclasses import replace

from ..model import Artifact
from ..text import LEAD_START_RE, SPACES, ends_sentence, han_count, text_width
from .patterns import DATELINE_RE, DATELINE_START_RE, DATELINE_TAIL_RE, END_BYLINE_RE, START_BYLINE_RE
from .types import Body, HeadUnit, Item, ItemKind, Line


def cut_bodies(items: list[Item], story_starts: set[int] = frozenset()
               ) -> tuple[list[Body], list[HeadUnit]]:
    """Bodies in page order, and the headline blocks as units, in page order too; a text item
    whose index is in `story_starts` opens a body of its own (`links`)."""
    bodies: list[Body] = []
    units: list[HeadUnit] = []
    current: Body | None = None
    group = -1
    previous_kind = ""

    def open_body(**kwargs) -> Body:
        body = Body(position=len(bodies), **kwargs)
        bodies.append(body)
        return body

    for position, item in enumerate(items):
        # A lead box's label opens its story, as a dateline does.
        if position in story_starts or (item.kind == ItemKind.TEXT
                                        and LEAD_START_RE.match(item.lines[0].text)):
            current = None
        if item.kind == ItemKind.CAPTION:
            continue
        if item.kind == ItemKind.HEAD:
            if previous_kind != ItemKind.HEAD:
                group += 1
            units.append(HeadUnit(item.lines, group, len(bodies), item.over_line, item.learned))
            current = None
        elif item.kind == ItemKind.BYLINE_UNDER:
            current = open_body(byline=item.lines[0].text, led_by_byline=True,
                                extra_lines=[item.lines[0].number])
        elif item.kind == ItemKind.BYLINE_END:
            target = current or (bodies[-1] if bodies else None) or open_body()
            target.add_byline(item.lines[0].text, item.lines[0].number)
            current = None
        elif item.kind in (ItemKind.SECTION, ItemKind.INLINE_HEAD):
            current = current or open_body()
            current.parts.append(("head", Line(item.lines[0].number,
                                               "".join(line.text for line in item.lines))))
            current.extra_lines.extend(line.number for line in item.lines)
        else:
            for index, line in enumerate(item.lines):
                # A dateline wrapped over lines (`本报天津2月⏎22日电（记者…）`) at the top of a
                # block, after a finished sentence or after a closed bracket (the story before
                # ends on its author's note: `（作者为…）`) opens a story as one on its own line
                # does; compose reads it whole.
                if current is not None and current.has_text() \
                        and _wrapped_dateline(item.lines[index:index + 3]) \
                        and (index == 0 or ends_sentence_or_note(current.text_lines()[-1].text)
                             or short_heading_line(current.text_lines()[-1].text)):
                    current = open_body(starts_with_byline=True)
                current = _take_text_line(line, current, open_body)
        previous_kind = item.kind
    return bodies, units


def short_heading_line(text: str) -> bool:
    """A short line with no mark of a sentence in it: a kicker over the story's dateline
    (`女子重剑世界杯西班牙站⏎本报北京2月10⏎日电…`), not a sentence running on into it; a
    headline over a block that starts another story (`links`)."""
    return han_count(text) >= 4 and text_width(text) <= 24 and not any(c in text for c in "，。；、：")


def ends_sentence_or_note(text: str) -> bool:
    """Whether text ends a sentence or a bracketed note (`（作者为…）`, `（影像中国）`): where a
    story may end."""
    return ends_sentence(text) or text.rstrip(SPACES).endswith(("）", ")"))


def _wrapped_dateline(lines: list[Line]) -> bool:
    """Whether a dateline starts the first line and runs on past it."""
    if not lines or START_BYLINE_RE.match(lines[0].text) \
            or not DATELINE_START_RE.match(lines[0].text):
        return False
    start = START_BYLINE_RE.match("".join(line.text for line in lines))
    return bool(start) and start.end() > len(lines[0].text)


def _take_text_line(line: Line, current: Body | None, open_body) -> Body | None:
    """Add one text line to the open body, opening or closing bodies at bylines and notes."""
    start = START_BYLINE_RE.match(line.text) or _dateline_tail(line, current)
    if start:
        # A dateline opens an article, unless it is the first line under a 本报记者 byline.
        if current is None or current.has_text() or not current.led_by_byline:
            current = open_body()
        current.add_byline(start.group(0).strip(SPACES), line.number)
        current.starts_with_byline = True
        rest = line.text[start.end():].strip(SPACES)
        line = replace(line, text=rest)
    elif line.continued_from and current is not None and current.has_text():
        # （上接…） starts the part of a story continued from another page.
        current = open_body()
    if current is None:
        current = open_body()
    end = END_BYLINE_RE.search(line.text)
    # Only a credit after a finished sentence closes the article; `（记者 张三）` can also be
    # quoted inside a sentence.
    if end and not (end.start() == 0 or ends_sentence(line.text[:end.start()])):
        end = None
    if end:
        current.add_byline(end.group(0), line.number)
        line = replace(line, text=line.text[:end.start()].strip(SPACES))
    if line.text:
        current.add_line(line)
    current.continues = current.continues or line.continues
    current.continued_from = current.continued_from or line.continued_from
    return None if end or line.continues else current


def _dateline_tail(line: Line, current: Body | None):
    """The match of a dateline's tail opening the line (`日电（记者王亮）`) whose head is not on
    the line before: the extraction read the head into another column's line, and the tail
    opens the story as a whole dateline does. None for a dateline wrapped over two lines."""
    tail = DATELINE_TAIL_RE.match(line.text)
    if not tail or current is None or not current.has_text():
        return tail
    before = current.text_lines()[-1].text
    wrapped = DATELINE_RE.search(before[-14:] + tail.group(0))
    return None if wrapped and wrapped.start() < len(before[-14:]) else tail


def stray_parts(body: Body) -> list[Artifact]:
    """A body with no text (a byline or section heading with nothing after it), as artifacts."""
    line = body.extra_lines[0] if body.extra_lines else 0
    strays = [Artifact("stray-heading", value.text, line)
              for kind, value in body.parts if kind == "head"]
    if body.byline:
        strays.append(Artifact("stray-byline", body.byline, line))
    return strays
