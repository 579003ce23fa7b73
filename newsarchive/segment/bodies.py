"""Cutting the item stream into bodies at bylines, continuation notes and headlines."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model import Artifact
from ..text import SPACES, ends_sentence
from .lines import Item, Line
from .patterns import END_BYLINE_RE, START_BYLINE_RE


@dataclass
class Body:
    """A stretch of article text between boundaries, with the byline and notes found in it."""

    # ("text", [Line, ...]) for a run of text lines, ("head", Line) for a section heading
    parts: list[tuple[str, object]] = field(default_factory=list)
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

    def text_lines(self) -> list[Line]:
        return [line for kind, value in self.parts if kind == "text" for line in value]

    def split_off(self, number: int) -> Body:
        """Move the text from line `number` on (and the credits printed there) to a new body."""
        kept = [line for line in self.text_lines() if line.number < number]
        moved = [line for line in self.text_lines() if line.number >= number]
        tail = Body(parts=[("text", moved)], position=self.position,
                    extra_lines=[n for n in self.extra_lines if n >= number],
                    continues=self.continues, continued_from=None)
        if self.byline and all(n >= number for n in self.extra_lines):
            tail.byline, self.byline = self.byline, None
        self.parts = [("text", kept)]
        self.extra_lines = [n for n in self.extra_lines if n < number]
        self.continues = None
        return tail


@dataclass
class HeadUnit:
    """One headline block (a run of headline lines) and where it stands among the bodies."""

    lines: list[Line]
    group: int                    # index of its group of adjacent headline units
    position: int                 # how many bodies precede it on the page

    def words(self) -> str:
        """The block's words without its subtitle: what its body is expected to repeat."""
        return "".join(line.text for line in self.lines if not line.text.startswith("—"))


def cut_bodies(items: list[Item], units: list[HeadUnit]) -> list[Body]:
    """Bodies in page order; headline blocks are collected into units, in page order too."""
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
            current.parts.append(("head", Line(item.lines[0].number,
                                               "".join(line.text for line in item.lines))))
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


def stray_parts(body: Body) -> list[Artifact]:
    """A body with no text (a byline or section heading with nothing after it), as artifacts."""
    line = body.extra_lines[0] if body.extra_lines else 0
    strays = [Artifact("stray-heading", value.text, line)
              for kind, value in body.parts if kind == "head"]
    if body.byline:
        strays.append(Artifact("stray-byline", body.byline, line))
    return strays
