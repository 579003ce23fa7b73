"""PDF pages for tests, made here (no third-party PDFs): with known areas, and content files
that name those areas as ingest writes them (`source: {file, page, page_box}`).

`block_pdf` draws coloured blocks with pypdfium2 (no browser, milliseconds); `newspaper_pdf`
prints an HTML newspaper page with Chinese text through Chromium, each article set in
absolutely placed boxes, so its `page_box`es are known exactly (1 CSS px = 0.75 pt in print).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from pathlib import Path

from newsarchive.frontmatter import dump_article
from newsarchive.model import Article, SourceRef

PX_TO_PT = 0.75
PAGE_PX = (794, 1123)   # A4 at 96 dpi: 595.5 × 842.25 pt


def block_colour(n: int, shade: int = 0) -> tuple[int, int, int]:
    """The fill of the n-th box of a page in block_pdf."""
    return ((60 * n + shade) % 256, 90, 160)


def block_pdf(pages: list[tuple[float, float, list[tuple[float, float, float, float]]]],
              shade: int = 0, cropbox: tuple[float, float, float, float] | None = None) -> bytes:
    """A PDF of pages (width, height, boxes in points from the top left), each box filled;
    `shade` changes the colours, so two calls can make different bytes of the same layout;
    `cropbox` (left, bottom, right, top in PDF space) gives every page a CropBox."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    for width, height, boxes in pages:
        page = pdf.new_page(width, height)
        for n, (x0, y0, x1, y1) in enumerate(boxes):
            rect = raw.FPDFPageObj_CreateNewRect(x0, height - y1, x1 - x0, y1 - y0)
            raw.FPDFPageObj_SetFillColor(rect, *block_colour(n, shade), 255)
            raw.FPDFPath_SetDrawMode(rect, raw.FPDF_FILLMODE_ALTERNATE, 0)
            raw.FPDFPage_InsertObject(page.raw, rect)
        page.gen_content()
        if cropbox:
            page.set_cropbox(*cropbox)
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


def text_pdf(width: float, height: float, size: float = 9,
             heading: tuple[int, int, int] = (0, 0, 0), photo=None,
             photo_box: tuple[float, float, float, float] | None = None) -> bytes:
    """One page filled with lines of `size`-pt Helvetica text under a 24-pt heading in the
    colour `heading`, and, given a PIL image, that photo placed at `photo_box` (points from the
    top left, as block_pdf's boxes); drawn with pypdfium2 (no browser)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def text(page, font_size, x, y, words, colour=(0, 0, 0)):
        obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", font_size)
        encoded = (words + "\0").encode("utf-16-le")
        raw.FPDFText_SetText(obj, ctypes.cast(ctypes.create_string_buffer(encoded, len(encoded)),
                                              ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFPageObj_SetFillColor(obj, *colour, 255)
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, height - y)
        raw.FPDFPage_InsertObject(page.raw, obj)

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(width, height)
    text(page, 24, 20, 40, "Page Heading Set Large", heading)
    words = "the quick brown fox jumps over a lazy dog while news of the day goes on "
    y, n = 60.0, 0
    while y < height - 20:
        line = (words * 8)[n % 50:][:int((width - 40) / (size * 0.5))]
        text(page, size, 20, y, line)
        y, n = y + size * 1.25, n + 7
    if photo is not None:
        x0, y0, x1, y1 = photo_box
        image = pdfium.PdfImage.new(pdf)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(photo))
        image.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, y1 - y0).translate(x0, height - y1))
        page.insert_obj(image)
    page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    return buffer.getvalue()


@dataclass
class Printed:
    """One article as printed: its id, headline, text and areas (CSS px on its page)."""

    id: str
    title: str
    body: str
    page: int                                  # 1-based page of the PDF
    boxes_px: list[tuple[int, int, int, int]]  # left, top, width, height

    @property
    def page_box(self) -> tuple[tuple[float, float, float, float], ...]:
        return tuple((left * PX_TO_PT, top * PX_TO_PT, (left + width) * PX_TO_PT,
                      (top + height) * PX_TO_PT) for left, top, width, height in self.boxes_px)


# Two pages: A01 with three stories (the third set in two blocks), A02 with two.
SENTENCES = ("本报讯　为进一步推进全季文化旅游发展，城东区举办围炉煮茶嘉年华活动，吸引众多市民参与。"
             "活动现场设置了非遗展示、特色小吃和文艺演出等多个板块，市民在寒冬里感受到浓浓暖意。")
PRINTED = [
    Printed("2024-12-30-a01-01", "我市围炉煮茶嘉年华活动启动", SENTENCES * 6, 1,
            [(40, 110, 714, 300)]),
    Printed("2024-12-30-a01-02", "冬季供暖保障工作有序推进", SENTENCES * 4, 1,
            [(40, 440, 340, 300)]),
    Printed("2024-12-30-a01-03", "城西区老旧小区改造完成", SENTENCES * 6, 1,
            [(410, 440, 344, 280), (40, 770, 714, 300)]),
    Printed("2024-12-30-a02-01", "高原冰雪旅游季开幕", SENTENCES * 5, 2,
            [(40, 60, 714, 420)]),
    Printed("2024-12-30-a02-02", "社区食堂让老人吃上热乎饭", SENTENCES * 5, 2,
            [(40, 520, 714, 420)]),
]


def newspaper_html(articles: list[Printed], pages: int, photo_uri: str | None = None,
                   size: tuple[int, int] = PAGE_PX, photos: int = 2,
                   photo_px: tuple[int, int] = (300, 200)) -> str:
    """An HTML document of `pages` newspaper pages, each article in its boxes; the first
    `photos` articles' first boxes show the photo, if one is given."""
    width, height = size
    sheets = []
    for number in range(1, pages + 1):
        blocks = [f'<div class="mast">西宁晚报　第{number:02d}版</div>'] if number == 1 else []
        for article in (a for a in articles if a.page == number):
            for n, (left, top, w, h) in enumerate(article.boxes_px):
                head = f"<h2>{html.escape(article.title)}</h2>" if n == 0 else ""
                photo = (f'<img src="{photo_uri}" alt="">' if photo_uri and n == 0 and
                         article in articles[:photos] else "")
                blocks.append(f'<div class="box" style="left:{left}px;top:{top}px;width:{w}px;'
                              f'height:{h}px">{head}{photo}<p>{html.escape(article.body)}</p>'
                              "</div>")
        sheets.append(f'<section class="sheet">{"".join(blocks)}</section>')
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page {{ size: {width}px {height}px; margin: 0; }}
html, body {{ margin: 0; }}
.sheet {{ position: relative; width: {width}px; height: {height}px; overflow: hidden;
          break-after: page; font-family: "Noto Serif CJK SC", serif; }}
.mast {{ position: absolute; left: 40px; top: 20px; font-size: 48px; font-weight: 700;
         color: #a3141b; }}
.box {{ position: absolute; overflow: hidden; column-width: 150px; column-gap: 14px;
        column-fill: auto; font-size: 12px; line-height: 1.5; text-align: justify; }}
.box h2 {{ column-span: all; margin: 0 0 6px; font-size: 24px; line-height: 1.3; }}
.box img {{ float: left; width: {photo_px[0]}px; height: {photo_px[1]}px; max-width: 100%;
            object-fit: cover; margin: 0 10px 6px 0; }}
.box p {{ margin: 0; text-indent: 2em; }}
</style></head><body>{"".join(sheets)}</body></html>"""


def newspaper_pdf(browser, articles: list[Printed] = PRINTED, pages: int = 2,
                  photo_uri: str | None = None, size: tuple[int, int] = PAGE_PX,
                  photos: int = 2, photo_px: tuple[int, int] = (300, 200)) -> bytes:
    """The newspaper pages printed to PDF by Chromium."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.set_content(newspaper_html(articles, pages, photo_uri, size, photos, photo_px))
        return page.pdf(width=f"{width}px", height=f"{height}px", print_background=True,
                        margin={"top": "0", "right": "0", "bottom": "0", "left": "0"})
    finally:
        context.close()


def write_articles(content: Path, pdf_name: str, pdf: bytes, articles: list[Printed] = PRINTED,
                   date: dt.date | None = dt.date(2024, 12, 30)) -> list[Article]:
    """The PDF in content/sources/ and one content file per article, as ingest keeps them."""
    (content / "sources").mkdir(parents=True, exist_ok=True)
    (content / "sources" / pdf_name).write_bytes(pdf)
    written = []
    for printed in articles:
        article = Article(
            id=printed.id, title=printed.title, body=printed.body, date=date,
            date_source="manifest", paper="西宁晚报", page=f"A{printed.page:02d}",
            source=SourceRef(pdf_name, None, page=printed.page, page_box=printed.page_box))
        (content / f"{printed.id}.md").write_text(dump_article(article), encoding="utf-8")
        written.append(article)
    return written
