"""Where articles sit on their PDF page, as the issue page and the article page draw it.

Pure geometry: `page_box`es (PDF points, top-left origin) become percentages of the page
image, so the areas stay on their articles at any width the image is shown at, with no script.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import urls
from .model import ArticleCard, Box, PdfPage

# Room around an article in its crop, so its first and last lines are not cut at the edge.
CROP_MARGIN = 8.0        # PDF points
CROP_WIDTH_REM = 20      # the crop's widest display (16 px rem: 320 px)
CROP_HEIGHT_REM = 24     # and its tallest: a long column is cut narrower, not taller


@dataclass(frozen=True)
class Rect:
    """A box as percentages of the box that holds it: CSS left, top, width, height."""

    left: float
    top: float
    width: float
    height: float

    @property
    def style(self) -> str:
        return (f"left:{self.left:g}%;top:{self.top:g}%;width:{self.width:g}%;"
                f"height:{self.height:g}%")


@dataclass(frozen=True)
class AreaGroup:
    """One article's areas on a page: `rect` is their union on the page, `areas` each area
    within that union (an article set in two blocks has two)."""

    article: ArticleCard
    anchor: str
    rect: Rect
    areas: tuple[Rect, ...]


@dataclass(frozen=True)
class PageFigure:
    """One PDF page on an issue page, with the areas of its articles."""

    page: PdfPage
    label: str
    groups: tuple[AreaGroup, ...]


@dataclass(frozen=True)
class PageCrop:
    """An article's area cut out of its page image (by CSS), and where it links."""

    page: PdfPage
    href: str              # the article on its issue page, else the whole page image
    ratio: float           # width / height of the crop
    image: Rect            # the page image's place relative to the crop (left/top negative)
    sizes: str             # the image's display width, for srcset

    @property
    def max_width(self) -> str:
        """The crop's widest display: CROP_WIDTH_REM, less for a tall one."""
        return f"{round(min(CROP_WIDTH_REM, CROP_HEIGHT_REM * self.ratio), 3):g}rem"

    @property
    def space(self) -> str:
        """The crop's height as a share of its width (a padding keeps that shape in CSS 2)."""
        return f"{round(100 / self.ratio, 3):g}%"


def clip(box: Box, page: PdfPage) -> Box:
    """The box inside the page (boxes may overhang the edge by a point or two)."""
    x0, y0, x1, y1 = box
    return (max(0.0, x0), max(0.0, y0), min(page.width, x1), min(page.height, y1))


def union(boxes: tuple[Box, ...]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def percent(box: Box, within: Box) -> Rect:
    """`box` as percentages of `within` (both in the same units)."""
    x0, y0, x1, y1 = box
    wx0, wy0, wx1, wy1 = within
    width, height = wx1 - wx0, wy1 - wy0
    return Rect(round((x0 - wx0) / width * 100, 3), round((y0 - wy0) / height * 100, 3),
                round((x1 - x0) / width * 100, 3), round((y1 - y0) / height * 100, 3))


def area_group(article: ArticleCard, page: PdfPage) -> AreaGroup:
    boxes = tuple(clip(box, page) for box in article.source.page_box)
    whole = union(boxes)
    return AreaGroup(article, urls.area_anchor(article.id),
                     percent(whole, (0.0, 0.0, page.width, page.height)),
                     tuple(percent(box, whole) for box in boxes))


def page_figures(articles: list[ArticleCard], label: str,
                 pdf_pages: dict[tuple[str, int], PdfPage]) -> tuple[PageFigure, ...]:
    """The PDF pages one printed page's articles came from (usually one), in file and page
    order, each with its articles' areas in reading order."""
    on_page: dict[tuple[str, int], list[ArticleCard]] = {}
    for article in articles:
        source = article.source
        if source is not None and source.is_pdf and (source.file, source.page) in pdf_pages:
            on_page.setdefault((source.file, source.page), []).append(article)
    return tuple(PageFigure(pdf_pages[key], label,
                            tuple(area_group(a, pdf_pages[key]) for a in on_page[key]))
                 for key in sorted(on_page))


def page_crop(article: ArticleCard, pdf_pages: dict[tuple[str, int], PdfPage]
              ) -> PageCrop | None:
    """The crop an article page shows of its PDF page (its first area, with a margin); None
    for a text source or a PDF that is not in the archive."""
    source = article.source
    page = pdf_pages.get((source.file, source.page)) if source and source.is_pdf else None
    if page is None:
        return None
    # The first area: where the headline is. The union of an article set in several blocks
    # can be most of the page, which is no longer a crop of the article.
    x0, y0, x1, y1 = clip(source.page_box[0], page)
    x0, y0, x1, y1 = (max(0.0, x0 - CROP_MARGIN), max(0.0, y0 - CROP_MARGIN),
                      min(page.width, x1 + CROP_MARGIN), min(page.height, y1 + CROP_MARGIN))
    width, height = x1 - x0, y1 - y0
    image = Rect(round(-x0 / width * 100, 3), round(-y0 / height * 100, 3),
                 round(page.width / width * 100, 3), round(page.height / height * 100, 3))
    href = (urls.issue_path(article.date) + "#" + urls.area_anchor(article.id)
            if article.date else page.largest.path)
    shown = math.ceil(16 * CROP_WIDTH_REM * page.width / width)
    return PageCrop(page, href, round(width / height, 4), image, f"{shown}px")
