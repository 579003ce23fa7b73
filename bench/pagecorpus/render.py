"""Typesetting: a `PagePlan` as HTML, and headless Chromium turning it into a one-page PDF.

Each article element carries `data-n`; after layout its box is read with getBoundingClientRect.
The PDF page is sized to the measured document, so nothing printed is cut off.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import TracebackType

from .layout import PagePlan, PageStyle, Photo, Piece, Stack

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
PX_TO_PT = 0.75
PAGE_PADDING = 24   # px; PagePlan.width counts it on both sides
FAKE_BOLD_OFFSET = "0.3px"
# Between a Han character (or full-width punctuation) and a digit or Latin run, either way round.
QUARTER_EM_RE = re.compile(r"(?<=[^\x00-\x7f\s])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z%])(?=[^\x00-\x7f\s])")
MEASURE_JS = """() => {
  const boxes = {};
  for (const el of document.querySelectorAll('[data-n]')) {
    const r = el.getBoundingClientRect();
    boxes[el.dataset.n] = [r.left + scrollX, r.top + scrollY, r.right + scrollX, r.bottom + scrollY];
  }
  return {boxes, height: Math.ceil(document.documentElement.scrollHeight)};
}"""


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def stylesheet(plan: PagePlan) -> str:
    s: PageStyle = plan.style
    return f"""
html, body {{ margin: 0; padding: 0; background: #fff; }}
.page {{ width: {plan.width}px; box-sizing: border-box; padding: {PAGE_PADDING}px; color: #111;
  font-family: "{s.body_font}"; font-size: {s.body_size}px; line-height: {s.line_height}; }}
.masthead {{ display: flex; align-items: baseline; gap: 28px; padding-bottom: 6px;
  border-bottom: 4px double #111; margin-bottom: 8px; }}
.masthead .paper {{ font: 700 34px "Noto Serif CJK SC"; letter-spacing: 4px; }}
.masthead .pagelabel {{ margin-left: auto; font: 700 18px "Noto Sans CJK SC"; }}
.row {{ display: grid; grid-template-columns: repeat({plan.columns}, 1fr); column-gap: {s.gap}px;
  align-items: start; padding: 10px 0; border-bottom: 1px solid #888; }}
.art, .stack, .photo {{ min-width: 0; margin: 0; }}
.hl p {{ margin: 0; }}
.kicker, .subtitle {{ font-size: {s.body_size + 2}px; font-family: "Noto Sans CJK SC"; }}
.title {{ position: relative; margin: 2px 0 4px; font-family: "{s.title_font}"; font-weight: 700;
  font-size: {s.title_size}px; line-height: 1.3; }}
.byline {{ font-family: "Noto Sans CJK SC"; margin: 2px 0 6px; text-indent: 0 !important; }}
.fb-copy {{ position: absolute; left: {FAKE_BOLD_OFFSET}; top: {FAKE_BOLD_OFFSET}; width: 100%; }}
.fbc {{ position: relative; }}
.fbc-copy {{ position: absolute; left: {FAKE_BOLD_OFFSET}; top: {FAKE_BOLD_OFFSET}; }}
.body {{ text-align: justify; column-gap: {s.gap}px; column-rule: 1px solid #ddd; }}
.body p {{ margin: 0; text-indent: 2em; }}
.body p.cont {{ text-align: right; text-indent: 0; font-family: "Noto Sans CJK SC"; }}
.lead {{ break-inside: avoid; border: 1px solid #444; padding: 6px 8px; margin-bottom: 8px;
  font-family: "Noto Sans CJK SC"; }}
.lead p {{ text-indent: 0; }}
.lead p.lead-label {{ font-weight: 700; }}
.hl-left, .hl-right {{ display: flex; gap: {s.gap}px; align-items: flex-start; }}
.hl-right {{ flex-direction: row-reverse; }}
.hl-left > .hl, .hl-right > .hl {{ flex: 0 0 {s.column_width}px; }}
.hl-left > .body, .hl-right > .body {{ flex: 1 1 auto; min-width: 0; }}
.sidebar {{ border: 1.5px solid #333; background: #f3efe6; padding: 8px; }}
.stack .banner {{ background: #222; color: #fff; font: 700 16px "Noto Sans CJK SC";
  padding: 3px 6px; margin-bottom: 6px; }}
.stack .art {{ padding-bottom: 6px; margin-bottom: 6px; border-bottom: 1px dotted #888; }}
.stack .title {{ font-size: {s.body_size + 2}px; font-family: "Noto Sans CJK SC"; margin: 0 0 2px; }}
.photo .ph {{ background: #bbb; }}
.photo figcaption {{ font-size: 12px; line-height: 1.5; margin-top: 4px; font-family: "Noto Sans CJK SC"; }}
.editor {{ margin-top: 8px; font-size: 12px; text-align: right; font-family: "Noto Sans CJK SC"; }}
"""


def with_quarter_em(text: str) -> str:
    return QUARTER_EM_RE.sub("\u2005", text)


def title_html(piece: Piece) -> str:
    """The title; fake bold draws it twice, offset by a fraction of a pixel: as one second run
    (`XYZ` + `XYZ`) or character by character (`X` `X` `Y` `Y` ...)."""
    if piece.fake_bold == "run":
        text = esc(piece.title)
        return f'<span>{text}</span><span class="fb-copy" aria-hidden="true">{text}</span>'
    if piece.fake_bold == "interleave":
        return "".join(f'<span class="fbc">{esc(c)}<span class="fbc-copy" aria-hidden="true">'
                       f"{esc(c)}</span></span>" for c in piece.title)
    return esc(piece.title)


def headline_html(piece: Piece) -> str:
    parts = []
    if piece.kicker:
        parts.append(f'<p class="kicker">{esc(piece.kicker)}</p>')
    tag = "h2" if piece.role == "frame" else "h3"
    parts.append(f'<{tag} class="title">{title_html(piece)}</{tag}>')
    if piece.subtitle:
        parts.append(f'<p class="subtitle">{"——" if piece.subtitle_dash else ""}{esc(piece.subtitle)}</p>')
    if piece.byline and piece.byline_place == "header":
        parts.append(f'<p class="byline">{esc(piece.byline.text)}</p>')
    return f'<header class="hl">{"".join(parts)}</header>'


def body_html(piece: Piece) -> str:
    def text(paragraph: str) -> str:
        return esc(with_quarter_em(paragraph) if piece.quarter_em else paragraph)

    byline = piece.byline
    parts = []
    if piece.continued_from:
        parts.append(f'<p class="cont">（上接第{piece.continued_from}版）</p>')
    if byline and piece.byline_place == "body-top":
        parts.append(f'<p class="byline">{esc(byline.text)}</p>')
    if piece.lead_count:
        label, *lead = piece.paragraphs[: piece.lead_count]
        inner = "".join(f"<p>{text(p)}</p>" for p in lead)
        parts.append(f'<div class="lead"><p class="lead-label">{esc(label)}</p>{inner}</div>')
    for index, paragraph in enumerate(piece.paragraphs[piece.lead_count:]):
        if index == 0 and byline and piece.byline_place == "inline":
            parts.append(f'<p><span class="byline-inline">{esc(byline.text)}</span> {text(paragraph)}</p>')
        else:
            parts.append(f"<p>{text(paragraph)}</p>")
    if byline and piece.byline_place == "body-end":
        parts.append(f'<p class="byline">{esc(byline.text)}</p>')
    if piece.continues:
        parts.append(f'<p class="cont">（下转第{piece.continues}版）</p>')
    style = f"column-count: {piece.body_columns};"
    if piece.letter_spacing:
        style += f" letter-spacing: {piece.letter_spacing}em;"
    return f'<div class="body" style="{style}">{"".join(parts)}</div>'


def piece_html(piece: Piece, in_stack: bool = False) -> str:
    classes = " ".join(["art", piece.role, f"hl-{piece.headline}"] + (["sidebar"] if piece.sidebar else []))
    span = "" if in_stack else f' style="grid-column: span {piece.span}"'
    return f'<article class="{classes}" data-n="{piece.n}"{span}>{headline_html(piece)}{body_html(piece)}</article>'


def block_html(block: Piece | Stack | Photo) -> str:
    if isinstance(block, Piece):
        return piece_html(block)
    if isinstance(block, Stack):
        banner = f'<div class="banner">{esc(block.label)}</div>' if block.label else ""
        pieces = "".join(piece_html(p, in_stack=True) for p in block.pieces)
        return f'<section class="stack" style="grid-column: span {block.span}">{banner}{pieces}</section>'
    return (f'<figure class="photo" style="grid-column: span {block.span}">'
            f'<div class="ph" style="height: {block.height}px"></div>'
            f"<figcaption>{esc(block.caption)}</figcaption></figure>")


def page_html(plan: PagePlan) -> str:
    masthead = [f'<span class="paper">{esc(plan.paper)}</span>']
    if plan.date_printed:
        masthead.append(f'<span class="date">{esc(plan.furniture[1])}</span>')
    masthead.append(f'<span class="pagelabel">{esc(plan.page_label)}</span>')
    rows = "".join(f'<div class="row">{"".join(block_html(b) for b in row)}</div>' for row in plan.rows)
    editor = f'<footer class="editor">{esc(plan.editor_line)}</footer>' if plan.editor_line else ""
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{plan.name}</title><style>{stylesheet(plan)}</style></head><body>"
            f'<div class="page"><header class="masthead">{"".join(masthead)}</header>'
            f"{rows}{editor}</div></body></html>")


class PageRenderer:
    """One Chromium for all pages (starting one per page would cost more than the layout)."""

    def __enter__(self) -> PageRenderer:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        self._page = self._browser.new_page()
        # Measure in the same media the PDF is printed in, so the boxes are the printed ones.
        self._page.emulate_media(media="print")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._browser.close()
        self._playwright.stop()

    def render(self, page_html_text: str, width: int, pdf_path: Path) -> tuple[dict[int, list[float]], list[float]]:
        """Write the PDF; return each article's box and the page size, in PDF points."""
        page = self._page
        page.set_viewport_size({"width": width, "height": 900})
        page.set_content(page_html_text, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        measured = page.evaluate(MEASURE_JS)
        height = measured["height"] + 2   # a rounding pixel must not spill onto a second page
        page.pdf(path=str(pdf_path), width=f"{width}px", height=f"{height}px",
                 print_background=True, margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
        boxes = {int(n): [round(v * PX_TO_PT, 1) for v in box] for n, box in measured["boxes"].items()}
        return boxes, [round(width * PX_TO_PT, 1), round(height * PX_TO_PT, 1)]
