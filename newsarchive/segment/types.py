"""The segmenter's stage types, in the order the stages make them: repaired `Line`s, classified
`Item`s, `Body` frames of text and `HeadUnit` headline blocks, and `Draft` articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ItemKind(StrEnum):
    """What a run of lines is on the page."""

    TEXT = "text"
    HEAD = "head"                  # a headline block (or part of one)
    INLINE_HEAD = "inline-head"    # a headline-like block inside an article: a section heading
    SECTION = "section"            # a two-line section heading (`…——` over its second line)
    BYLINE_UNDER = "byline-under"  # `本报记者 X` standing under a headline
    BYLINE_END = "byline-end"      # `（记者 X）` closing an article
    CAPTION = "caption"


@dataclass
class Line:
    number: int                   # 1-based line of the page
    text: str                     # repaired text
    continues: str | None = None
    continued_from: str | None = None
    indented: bool = False        # set in from the column's edge: the first line of a paragraph
    break_odds: float = 0.0       # the story-break model's odds that another story starts here


@dataclass
class Item:
    kind: ItemKind
    lines: list[Line]
    over_line: bool = False       # a headline block known to lead into the block under it
    learned: bool = False         # a headline the learned model took, not the rules


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
        """Move the text and headings from line `number` on (and the credits printed there)
        to a new body."""
        kept_parts: list[tuple[str, object]] = []
        moved_parts: list[tuple[str, object]] = []
        for kind, value in self.parts:
            if kind == "head":
                (kept_parts if value.number < number else moved_parts).append((kind, value))
                continue
            for side, lines in ((kept_parts, [l for l in value if l.number < number]),
                                (moved_parts, [l for l in value if l.number >= number])):
                if lines:
                    side.append(("text", lines))
        tail = Body(parts=moved_parts, position=self.position,
                    extra_lines=[n for n in self.extra_lines if n >= number],
                    continues=self.continues, continued_from=None)
        if self.byline and all(n >= number for n in self.extra_lines):
            tail.byline, self.byline = self.byline, None
        self.parts = kept_parts
        self.extra_lines = [n for n in self.extra_lines if n < number]
        self.continues = None
        return tail


@dataclass
class HeadUnit:
    """One headline block (a run of headline lines) and where it stands among the bodies."""

    lines: list[Line]
    group: int                    # index of its group of adjacent headline units
    position: int                 # how many bodies precede it on the page
    over_line: bool = False       # a kicker set apart: it leads into the block under it
    learned: bool = False         # taken by the learned model, not the rules

    def words(self) -> str:
        """The block's words without its subtitle: what its body is expected to repeat."""
        return "".join(line.text for line in self.lines if not line.text.startswith("—"))


@dataclass
class Draft:
    """An article before it is written out: its headline blocks and its frames in order."""

    head: list[HeadUnit]
    bodies: list[Body]
    warnings: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)   # keys of model.REVIEW_REASONS

    @classmethod
    def headless(cls, bodies: list[Body], head: list[HeadUnit] | None = None) -> Draft:
        """An article whose headline was not found (its first clause stands in), with the
        headline blocks of its own text (`head`) if any."""
        return cls(head or [], bodies, ["no headline found for this article"], ["no-headline"])

    def flag(self, reason: str) -> None:
        if reason not in self.review:
            self.review.append(reason)
