"""Read a PDF's pages as glyphs and drawn rules, with pypdfium2.

pypdfium2 over pdfplumber: on the page corpus it reads a page in about a tenth of the time
(bench/pdf_score.py measures both), and it also renders the page images. Coordinates are PDF
points from the top left corner of the page as shown (its CropBox, else its MediaBox; y grows
down), the convention of `source.page_box` (see model.PdfPage).
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ArchiveError

# The largest page the PDF format allows (200 inches); larger is a damaged or hostile file
# whose page image would not fit in memory.
MAX_PAGE_SIDE = 14400.0
MAX_FILE_BYTES = 200 * 1024 * 1024
# Thinner than this (points) and long: a drawn rule, not a box.
RULE_THICKNESS = 2.5


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float          # font size in points, as printed (text matrix and page scale applied)
    baseline: float
    reversed: bool       # drawn light on a dark ground (a banner, a label)


@dataclass(frozen=True)
class Rect:
    x0: float
    top: float
    x1: float
    bottom: float
    filled: bool = False
    dark: bool = False   # a fill a reversed text could stand on

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    def horizontal(self) -> bool:
        return self.height <= RULE_THICKNESS and self.width > 3 * self.height

    def vertical(self) -> bool:
        return self.width <= RULE_THICKNESS and self.height > 3 * self.width


@dataclass
class PdfPage:
    number: int                  # 1-based, within its file
    width: float
    height: float
    glyphs: list[Glyph]
    rects: list[Rect] = field(default_factory=list)
    images: int = 0              # image objects: a page of them and no text is a scan


def join_dots(rects: list[Rect]) -> list[Rect]:
    """A dotted or dashed rule is drawn as a row of small squares: each row of three or more,
    evenly close, becomes one rule."""
    dots: dict[tuple[float, float], list[Rect]] = {}
    rest = []
    for rect in rects:
        if rect.width <= RULE_THICKNESS and rect.height <= RULE_THICKNESS:
            dots.setdefault((round(rect.top, 1), round(rect.bottom, 1)), []).append(rect)
        else:
            rest.append(rect)
    for row in dots.values():
        row.sort(key=lambda r: r.x0)
        run = [row[0]]
        for rect in row[1:] + [None]:
            if rect is not None and rect.x0 - run[-1].x1 <= 3 * max(run[-1].width, 0.5):
                run.append(rect)
                continue
            if len(run) >= 3:
                rest.append(Rect(run[0].x0, run[0].top, run[-1].x1, run[0].bottom, True, run[0].dark))
            else:
                rest.extend(run)
            if rect is not None:
                run = [rect]
    return rest


def _light(rgba: tuple[int, int, int, int]) -> bool:
    r, g, b, _ = rgba
    return 0.299 * r + 0.587 * g + 0.114 * b > 170


def _rects(page, left: float, top: float, raw) -> tuple[list[Rect], int]:
    rects, images = [], 0
    for obj in page.get_objects(max_depth=4):
        if obj.type == raw.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        if obj.type != raw.FPDF_PAGEOBJ_PATH:
            continue
        x0, y0, x1, y1 = obj.get_bounds()
        fill = [ctypes.c_uint() for _ in range(4)]
        mode, stroke = ctypes.c_int(), ctypes.c_int()
        raw.FPDFPath_GetDrawMode(obj, ctypes.byref(mode), ctypes.byref(stroke))
        filled = mode.value != 0
        dark = False
        if filled and raw.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in fill)):
            dark = not _light(tuple(c.value for c in fill))
        rects.append(Rect(x0 - left, top - y1, x1 - left, top - y0, filled, dark))
    return join_dots(rects), images


def _glyphs(textpage, left: float, top: float, raw) -> list[Glyph]:
    glyphs = []
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    color = [ctypes.c_uint() for _ in range(4)]
    for index in range(textpage.count_chars()):
        if raw.FPDFText_IsGenerated(textpage, index) == 1:
            continue
        char = chr(raw.FPDFText_GetUnicode(textpage, index))
        if char in "\r\n\x00" or char == "\ufffe":
            continue
        x0, y0, x1, y1 = textpage.get_charbox(index, loose=True)
        raw.FPDFText_GetMatrix(textpage, index, ctypes.byref(matrix))
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
        size = raw.FPDFText_GetFontSize(textpage, index) * scale
        raw.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
        light = False
        if raw.FPDFText_GetFillColor(textpage, index, *(ctypes.byref(c) for c in color)):
            light = _light(tuple(c.value for c in color))
        glyphs.append(Glyph(char, x0 - left, top - y1, x1 - left, top - y0, size,
                            top - y.value, light))
    return glyphs


def read_pdf(path: Path) -> list[PdfPage]:
    """Every page of the PDF at `path`; an ArchiveError naming the file when it cannot be read
    (damaged, encrypted, too large) or holds no text layer (a scan)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    if path.stat().st_size > MAX_FILE_BYTES:
        raise ArchiveError(f"{path.stat().st_size // 2**20} MB is over the {MAX_FILE_BYTES // 2**20} MB "
                           "limit for one PDF; split it into pages (e.g. `qpdf --split-pages`)", path)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ArchiveError("the PDF is encrypted; save an unencrypted copy "
                               "(e.g. `qpdf --decrypt in.pdf out.pdf`) and ingest that", path) from None
        raise ArchiveError(f"not a readable PDF ({exc}); export the page again from the "
                           "layout program", path) from None
    pages = []
    try:
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            left, bottom, right, top = page.get_bbox()     # the CropBox, as the page is shown
            width, height = right - left, top - bottom
            if max(width, height) > MAX_PAGE_SIDE:
                raise ArchiveError(f"page {number} is {width:.0f} × {height:.0f} pt, over the "
                                   f"{MAX_PAGE_SIDE:.0f} pt a PDF page can have; export it again", path)
            textpage = page.get_textpage()
            glyphs = _glyphs(textpage, left, top, raw)
            rects, images = _rects(page, left, top, raw)
            if not any(not g.char.isspace() for g in glyphs):
                raise ArchiveError(
                    f"page {number} has no text layer ({'a scanned image' if images else 'empty'}); "
                    "OCR is not part of ingest: run it first (e.g. `ocrmypdf`) or ingest the "
                    "page text instead", path)
            pages.append(PdfPage(number, width, height, glyphs, rects, images))
    finally:
        document.close()
    return pages
