"""Page planning: which articles go on a page, cut how, set in which layout. Pure data, no HTML.

Everything is drawn from one `random.Random` per page, seeded by the corpus seed and the page
name, so a page does not change when other pages are added or the corpus is regenerated.
"""

from __future__ import annotations

import datetime
import math
import random
import re
from dataclasses import dataclass, field

from .sources import Article, Byline, SourceSet, han_count

WEEKDAYS = "一二三四五六日"
LEAD_LABELS = ("核心阅读", "编者按")
FALLBACK_CAPTION_CREDITS = ("本报记者摄", "新华社发")


@dataclass
class Piece:
    """One article as printed on this page: every text field here is exactly what is printed."""
    article: Article
    role: str                          # "frame" | "brief" | "banner-item"
    kicker: str | None
    title: str
    subtitle: str | None               # truth form, without the leading ——
    subtitle_dash: bool                # printed with a leading ——
    byline: Byline | None
    byline_place: str                  # "inline" | "header" | "body-top" | "body-end"
    paragraphs: list[str]
    span: int = 1                      # grid columns
    headline: str = "top"              # "top" | "left" | "right"
    sidebar: bool = False
    lead_count: int = 0                # leading paragraphs set in a box (label + text)
    continues: str | None = None
    continued_from: str | None = None
    fake_bold: str | None = None       # "run" | "interleave"
    letter_spacing: float = 0.0        # em, body text
    quarter_em: bool = False           # U+2005 around digits and Latin runs in the body
    side_by_side: bool = False
    n: int = 0                         # reading-order number on the page

    @property
    def body_columns(self) -> int:
        if self.role != "frame":
            return 1
        return self.span - 1 if self.headline != "top" else self.span

    def kinds(self) -> list[str]:
        kinds = [f"headline-{self.headline}"]
        if self.kicker:
            kinds.append("kicker")
            if self.kicker.endswith("——"):
                kinds.append("kicker-dash")
        if self.subtitle:
            kinds.append("subtitle")
        flags = {
            "sidebar": self.sidebar, "lead-box": self.lead_count > 0,
            "banner-item": self.role == "banner-item", "brief": self.role == "brief",
            "side-by-side": self.side_by_side,
            "fake-bold-run": self.fake_bold == "run",
            "fake-bold-interleave": self.fake_bold == "interleave",
            "letter-spacing": self.letter_spacing > 0,
            "dateline": self.byline is not None and self.byline.inline,
            "two-reporters": self.byline is not None and len(self.byline.reporters) >= 2,
            "continuation": bool(self.continues or self.continued_from),
        }
        return kinds + [kind for kind, applies in flags.items() if applies]


@dataclass
class Stack:
    """One grid column of briefs, under a series banner or none."""
    label: str | None
    pieces: list[Piece]
    span: int = 1


@dataclass
class Photo:
    caption: str
    height: int
    span: int = 2


Block = Piece | Stack | Photo


TIGHT_GAP_EM = 1.0
TIGHT_SHARE = 0.15


@dataclass
class PageStyle:
    body_font: str
    title_font: str
    body_size: int          # px
    line_height: float
    title_size: int         # px, a frame's main title
    column_width: int       # px, one grid column
    gap: int                # px between grid columns
    page_label_style: str   # "第4版" or "04"

    @property
    def tight(self) -> bool:
        """Columns set so close that extractors read across them."""
        return self.gap < 1.2 * self.body_size


@dataclass
class PagePlan:
    name: str
    origin: str
    columns: int
    style: PageStyle
    rows: list[list[Block]]
    paper: str
    date: str | None
    date_printed: bool
    page_label: str
    furniture: list[str] = field(default_factory=list)
    editor_line: str = ""

    @property
    def width(self) -> int:
        return self.columns * self.style.column_width + (self.columns - 1) * self.style.gap + 48

    def pieces(self) -> list[Piece]:
        found = []
        for row in self.rows:
            for block in row:
                if isinstance(block, Piece):
                    found.append(block)
                elif isinstance(block, Stack):
                    found.extend(block.pieces)
        return found

    def banners(self) -> list[str]:
        return [b.label for row in self.rows for b in row if isinstance(b, Stack) and b.label]

    def captions(self) -> list[str]:
        return [b.caption for row in self.rows for b in row if isinstance(b, Photo)]


def date_line(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def page_number(page: str | None) -> int:
    digits = re.sub(r"\D", "", page or "")
    return int(digits) if digits else 1


def brief_title(article: Article) -> str:
    """A one-line headline from the article's own words: its title, or a clause of its lead."""
    if han_count(article.title) <= 14:
        return article.title
    for clause in re.split(r"[，。；：！？]", article.paragraphs[0]):
        if 5 <= han_count(clause) <= 14 and not re.search(r"[“”（）《》]", clause):
            return clause
    return article.title[:14]


def cut_brief(article: Article, rng: random.Random, role: str) -> Piece:
    """The head of an article as a brief: 1–2 paragraphs, a short headline, usually no byline."""
    paragraphs = [p for p in article.paragraphs if p not in LEAD_LABELS]
    limit = rng.randint(80, 240)
    kept = [paragraphs[0]]
    for paragraph in paragraphs[1:]:
        if han_count("".join(kept)) + han_count(paragraph) > limit:
            break
        kept.append(paragraph)
    byline = article.byline if rng.random() < 0.25 else None
    return Piece(article=article, role=role, kicker=None, title=brief_title(article),
                 subtitle=None, subtitle_dash=False, byline=byline,
                 byline_place="inline" if byline and byline.inline else "body-end",
                 paragraphs=kept, quarter_em=rng.random() < 0.3)


def cut_frame(article: Article, max_han: int) -> tuple[list[str], bool]:
    """Paragraphs up to max_han Han characters (at least one); True when something was cut."""
    kept: list[str] = []
    for paragraph in article.paragraphs:
        if kept and han_count("".join(kept)) + han_count(paragraph) > max_han:
            return kept, True
        kept.append(paragraph)
    return kept, article.truncated


def make_frame(article: Article, rng: random.Random, style: PageStyle, columns: int,
               max_han: int) -> Piece:
    paragraphs, cut = cut_frame(article, max_han)
    kicker = article.kicker
    if kicker and not kicker.endswith("——") and rng.random() < 0.15:
        kicker += "——"
    subtitle_dash = article.subtitle_dash or (article.subtitle is not None and rng.random() < 0.5)
    byline = article.byline
    if byline is None:
        place = "body-top"
    elif byline.inline:
        place = "inline"
    else:
        place = rng.choice(("header", "header", "body-top", "body-end"))
    piece = Piece(article=article, role="frame", kicker=kicker, title=article.title,
                  subtitle=article.subtitle, subtitle_dash=subtitle_dash, byline=byline,
                  byline_place=place, paragraphs=paragraphs)
    if paragraphs[0] in LEAD_LABELS and len(paragraphs) > 2:
        piece.lead_count = 2
    elif place != "inline" and len(paragraphs) >= 3 and rng.random() < 0.12:
        piece.paragraphs = [rng.choice(LEAD_LABELS), *paragraphs]
        piece.lead_count = 2
    here = page_number(article.page)
    if (cut and rng.random() < 0.7) or rng.random() < 0.08:
        piece.continues = str(here + rng.randint(1, 4))
    if here > 1 and rng.random() < 0.08:
        piece.continued_from = str(rng.randint(1, here - 1))
    roll = rng.random()
    piece.fake_bold = "run" if roll < 0.12 else "interleave" if roll < 0.22 else None
    if rng.random() < 0.2:
        piece.letter_spacing = rng.choice((0.05, 0.08, 0.12, 0.2))
    piece.quarter_em = rng.random() < 0.35
    piece.sidebar = rng.random() < 0.12
    # Span from length: a column holds about `lines` lines of width/size characters.
    chars_per_line = style.column_width / (style.body_size * (1 + piece.letter_spacing))
    lines = rng.randint(26, 50)
    text_han = sum(han_count(p) for p in piece.paragraphs)
    piece.span = max(2, min(columns, math.ceil(text_han / (chars_per_line * lines))))
    return piece


def pick_caption(source: SourceSet, rng: random.Random) -> str:
    caption = rng.choice(source.captions)
    if rng.random() < 0.5 and source.names:
        caption += f" 本报记者 {rng.choice(source.names)}摄"
    elif rng.random() < 0.3:
        caption += " " + rng.choice(FALLBACK_CAPTION_CREDITS)
    return caption


def pack_rows(blocks: list[Block], columns: int) -> list[list[Block]]:
    """Fill rows left to right; a row's unused columns go to its widest block."""
    rows: list[list[Block]] = []
    row: list[Block] = []
    free = columns

    def close() -> None:
        nonlocal row, free
        if row:
            max(row, key=lambda b: b.span).span += free
            rows.append(row)
        row, free = [], columns

    for block in blocks:
        block.span = min(block.span, columns)
        if block.span > free:
            close()
        row.append(block)
        free -= block.span
        if free == 0:
            close()
    close()
    return rows


def plan_page(name: str, group: list[Article], source: SourceSet, rng: random.Random) -> PagePlan:
    columns = rng.randint(4, 8)
    body_size = rng.choice((13, 14, 14, 15))
    # pdftotext reads the lines of neighbouring columns as one line when the gap between them
    # is under about 1.2 em. Papers leave 1.4-2 em; a page set tight (one em) is the
    # interleaved-columns failure kind.
    gap_em = TIGHT_GAP_EM if rng.random() < TIGHT_SHARE else rng.uniform(1.4, 2.0)
    style = PageStyle(
        body_font=rng.choice(("Noto Serif CJK SC", "Noto Serif CJK SC", "Noto Sans CJK SC")),
        title_font=rng.choice(("Noto Sans CJK SC", "Noto Serif CJK SC")),
        body_size=body_size, line_height=rng.choice((1.5, 1.6, 1.7)),
        title_size=rng.randint(22, 32), column_width=rng.randint(112, 150),
        gap=round(body_size * gap_em), page_label_style=rng.choice(("第{n}版", "{n:02d}")))
    lead = group[0]
    pool = [a for a in source.brief_pool(lead.date) if a not in group]
    rng.shuffle(pool)
    used: set[str] = {a.key for a in group}

    def take_from_pool() -> Article:
        for article in pool:
            if article.key not in used:
                used.add(article.key)
                return article
        return rng.choice(group)   # a tiny source: reuse the page's own text

    frames: list[Piece] = []
    briefs: list[Piece] = []
    for article in group[: rng.randint(3, 6)]:
        if han_count("".join(article.paragraphs)) < 300 and rng.random() < 0.5:
            briefs.append(cut_brief(article, rng, "brief"))
        else:
            frames.append(make_frame(article, rng, style, columns, rng.randint(500, 2500)))
    while len(frames) < 2:
        frames.append(make_frame(take_from_pool(), rng, style, columns, rng.randint(400, 1500)))
    others: list[Block] = [*frames[1:]]
    if rng.random() < 0.55:
        items = [cut_brief(take_from_pool(), rng, "banner-item") for _ in range(rng.randint(2, 5))]
        others.append(Stack(rng.choice(source.series_labels), items, span=1 + (columns >= 7)))
    if rng.random() < 0.35:
        briefs.extend(cut_brief(take_from_pool(), rng, "brief") for _ in range(rng.randint(2, 4)))
    if briefs:
        others.append(Stack(None, briefs))
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        others.append(Photo(pick_caption(source, rng), rng.randint(110, 240), rng.randint(2, 3)))
    rng.shuffle(others)
    rows = pack_rows([frames[0], *others], columns)
    finish_pieces(rows, rng)

    number = page_number(lead.page)
    page_label = style.page_label_style.format(n=number) if lead.page and lead.page.isdigit() \
        else (lead.page or style.page_label_style.format(n=number))
    date_printed = lead.date is not None and rng.random() < 1 / 3
    plan = PagePlan(name=name, origin=lead.origin, columns=columns, style=style, rows=rows,
                    paper=source.paper, date=lead.date, date_printed=date_printed,
                    page_label=page_label)
    plan.furniture = [source.paper] + ([date_line(lead.date)] if date_printed else []) + [page_label]
    if source.names:
        plan.editor_line = f"责任编辑：{rng.choice(source.names)}"
        plan.furniture.append(plan.editor_line)
    return plan


def finish_pieces(rows: list[list[Block]], rng: random.Random) -> None:
    """Decisions that need the final spans: headline side, side-by-side, reading-order numbers."""
    n = 0
    for row in rows:
        for index, block in enumerate(row):
            if isinstance(block, Piece):
                if block.span >= 3 and rng.random() < 0.4:
                    block.headline = rng.choice(("left", "right"))
                neighbours = row[max(0, index - 1): index] + row[index + 1: index + 2]
                block.side_by_side = any(isinstance(b, Piece) for b in neighbours)
                n += 1
                block.n = n
            elif isinstance(block, Stack):
                for piece in block.pieces:
                    n += 1
                    piece.n = n

