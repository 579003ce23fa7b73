"""Page images of PDF sources: every PDF page that has articles, as WebP at two widths.

    content/sources/X.pdf --plan_pdf_pages--> Site.pdf_pages (sizes, image names; boxes checked)
                          --render_missing--> .newsarchive-cache/page-images-KEY/*.webp
                          --(stages/pageimages.py)--> _site/pages/*.webp

An image's name is the hash of the PDF's bytes, the page number, the width and the render
settings: the same name always means the same picture, so a browser may cache it for good, a
build keeps the previous output's file without reading it, and an image is rendered once per
PDF page and setting, then taken from the cache. Sizes are known before rendering (from the
page's size in points), so pages are planned while images render.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from .content import RACY_NS, SOURCES_DIR
from .errors import ArchiveError, ArchiveErrors
from .model import Article, PageImage, PdfPage
from .output import write_atomic
from .workers import progress_bar

# Pixel widths: 1200 reads on a desktop and serves 600-px-wide layouts on 2x screens; 600
# serves phones (about 390 CSS px at 1.5x). The names are hashed with every setting below,
# so a change of any renders new images under new names.
WIDTHS = (600, 1200)
MAX_WEBP_SIDE = 16383    # pixels: WebP cannot encode a longer side
# A page of text and rules in a few inks around a few photos is a palette image of at most 16
# colours, saved as lossless WebP: its text in four greys (and up to four inks of its own, a red
# masthead), crisp at any zoom, and its photos in the colours left, chosen from them, dithered.
# bench/page_images.py measures it on A3 pages of 9-pt Chinese text: about half the bytes of
# lossy WebP at quality 30 (whose text blurs), in about half the time.
TEXT_GREYS = (0, 85, 170, 255)
INKS = 4                 # coloured text's colours at most (from pixels whose channels differ
GREY_SPREAD = 24         # by more than this)
INK_ERROR = 0.5          # the coloured pixels' error in greys and inks, per channel, as a mean
                         # over the page, beyond which it has colour they cannot show: lossy
COLOURS = 16             # in all: lossless WebP packs two pixels a byte (four if 4 colours)
SAMPLE, SAMPLES = 256, 32  # the photos' colours are chosen from the 32 largest, each at most 256 px
SCAN_SHARE = 0.5         # photos covering more of the page than this: a scan, lossy WebP
LOSSLESS_METHOD = 3      # 4 packs 1-3% smaller in 20% more time, 6 under 1% at 20 times the
                         # time; 0 is half as large again
LOSSLESS_EFFORT = 0      # Pillow's `quality` for lossless WebP: 0 is fastest, as small here
# The rest, colour pages and scans: lossy WebP at quality 60, stepping down to the floor while the
# largest image is over the budget (an A3 page of 9-pt text is ~300 KB even at the floor).
WEBP_QUALITY = 60
QUALITY_FLOOR = 30
QUALITY_STEP = 15
BUDGET = 250_000         # bytes, for the largest image
WEBP_METHOD = 4          # 6 packs ~2% smaller at three times the encode time
RENDER_SETTINGS = (f"palette {'/'.join(map(str, TEXT_GREYS))}+{INKS}/{GREY_SPREAD}/{INK_ERROR} "
                   f"{COLOURS}fs {SAMPLE}x{SAMPLES} "
                   f"{SCAN_SHARE} lossless m{LOSSLESS_METHOD} e{LOSSLESS_EFFORT}; "
                   f"webp q{WEBP_QUALITY}-{QUALITY_FLOOR}/{QUALITY_STEP} {BUDGET} "
                   f"m{WEBP_METHOD} box v2")
SITE_DIR = "pages"       # the images' folder in the site
# Text extraction measures boxes from glyph outlines, which may overhang the page by rounding.
EDGE_SLACK = 2.0         # PDF points


@dataclass
class PdfFacts:
    """What a build needs to know of one PDF file: its stat, its bytes' hash, its page sizes."""

    size: int
    mtime_ns: int
    digest: str
    pages: tuple[tuple[float, float], ...]   # (width, height) in points, as shown and rendered


@dataclass
class PdfMemo:
    """PdfFacts by file name, as of the last build (the cache entry "pdfs")."""

    files: dict[str, PdfFacts] = field(default_factory=dict)
    taken_ns: int = 0
    dirty: bool = False


def cache_folder(cache_root: Path, key: str) -> Path:
    """Where one site's rendered images are kept between builds."""
    return cache_root / f"page-images-{key}"


def image_path(digest: str, number: int, width: int) -> str:
    """The site path of one rendering: the same picture, the same name."""
    name = hashlib.blake2b(f"{digest}\0{number}\0{width}\0{RENDER_SETTINGS}".encode(),
                           digest_size=10).hexdigest()
    return f"{SITE_DIR}/{name}-{width}.webp"


def _open_pdf(data: bytes, path: Path):
    """The PDF as a pypdfium2 document; an unreadable one is an error naming the file."""
    import pypdfium2 as pdfium  # only builds with PDF sources pay for loading pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        if len(pdf) == 0:
            raise pdfium.PdfiumError("no pages")
    except pdfium.PdfiumError as exc:
        raise ArchiveError(f"cannot read this PDF ({exc}): put the original PDF file here, or "
                           "ingest its page again", path) from None
    return pdf


def pdf_facts(path: Path, memo: PdfMemo) -> PdfFacts:
    """The PDF's facts, from the memo when its size and mtime vouch for them."""
    try:
        info = path.stat()
        known = memo.files.get(path.name)
        if known is not None and (known.size, known.mtime_ns) == (info.st_size, info.st_mtime_ns) \
                and info.st_mtime_ns < memo.taken_ns - RACY_NS:
            return known
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiveError(f"cannot read the file: {exc.strerror}", path) from None
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if known is not None and known.digest == digest:
        facts = PdfFacts(info.st_size, info.st_mtime_ns, digest, known.pages)
    else:
        pdf = _open_pdf(data, path)
        try:
            sizes = tuple(pdf[i].get_size() for i in range(len(pdf)))
        finally:
            pdf.close()
        facts = PdfFacts(info.st_size, info.st_mtime_ns, digest, sizes)
    memo.files[path.name] = facts
    memo.dirty = True
    return facts


def pdf_page(name: str, number: int, facts: PdfFacts) -> PdfPage:
    """Page `number` of a PDF as the site shows it: its shown size and its images."""
    width, height = facts.pages[number - 1]
    images = tuple(PageImage(image_path(facts.digest, number, w), w, max(1, round(w * height /
                                                                               width)))
                   for w in sorted({_fitting_width(w, width, height) for w in WIDTHS}))
    return PdfPage(name, number, width, height, images)


def _fitting_width(width: int, page_width: float, page_height: float) -> int:
    """`width`, or narrower where the image would be taller than WebP allows (a long strip of
    a page): the same picture, smaller."""
    tallest = MAX_WEBP_SIDE * page_width / page_height
    return max(1, min(width, int(tallest)))


def _source_line(path: str | None) -> int | None:
    """The line of `source:` in a content file, for an error found after loading it."""
    try:
        lines = Path(path).read_text(encoding="utf-8").split("\n") if path else []
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if line.startswith("source:")), None)


def _box_problem(article: Article, page: PdfPage) -> str | None:
    for box in article.source.page_box:
        x0, y0, x1, y1 = box
        if x1 > page.width + EDGE_SLACK or y1 > page.height + EDGE_SLACK:
            shown = ", ".join(f"{n:g}" for n in box)
            return (f"the area [{shown}] lies outside page {page.number} of {page.file}, which "
                    f"is {page.width:g} × {page.height:g} points: measure the area in PDF "
                    "points from the top left corner of the page as shown (its CropBox), or "
                    "ingest the page again")
    return None


def plan_pdf_pages(articles: list[Article], content_dir: Path, memo: PdfMemo
                   ) -> dict[tuple[str, int], PdfPage]:
    """The PDF pages the articles came from, by (file, page number), each article's page and
    areas checked against the PDF; every problem is raised at once. A PDF that is not in
    content/sources/ is left out (the article page says so), as a missing page text is."""
    pages: dict[tuple[str, int], PdfPage] = {}
    errors: list[ArchiveError] = []
    facts: dict[str, PdfFacts | None] = {}
    for article in articles:
        source = article.source
        if source is None or not source.is_pdf:
            continue
        name = source.file
        if name not in facts:
            # Front matter is hand-editable: a path here could publish any file on the machine.
            if Path(name).name != name or name.startswith("."):
                errors.append(ArchiveError(f"source file {name!r} must be a plain file name in "
                                           f"content/{SOURCES_DIR}/", article.path, key="source"))
                facts[name] = None
                continue
            path = content_dir / SOURCES_DIR / name
            try:
                facts[name] = pdf_facts(path, memo) if path.is_file() else None
            except ArchiveError as exc:
                errors.append(exc)
                facts[name] = None
        known = facts[name]
        if known is None:
            continue
        if source.page > len(known.pages):
            errors.append(ArchiveError(
                f"{name} has {len(known.pages)} page(s), not a page {source.page}: give the "
                "page's number inside the PDF, 1 for its first", article.path,
                line=_source_line(article.path), key="source.page"))
            continue
        page = pages.get((name, source.page)) or pdf_page(name, source.page, known)
        problem = _box_problem(article, page)
        if problem:
            errors.append(ArchiveError(problem, article.path, line=_source_line(article.path),
                                       key="source.page_box"))
            continue
        pages[(name, source.page)] = page
    if errors:
        raise errors[0] if len(errors) == 1 else ArchiveErrors(errors)
    memo.files = {name: memo.files[name] for name in facts if facts[name] is not None}
    memo.taken_ns = time.time_ns()
    return dict(sorted(pages.items()))


def missing_images(pages: list[PdfPage], folder: Path) -> list[PdfPage]:
    """The pages with an image the cache folder lacks."""
    return [page for page in pages
            if not all((folder / Path(image.path).name).is_file() for image in page.images)]


def _webp(picture, quality: int) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=quality, method=WEBP_METHOD)
    return buffer.getvalue()


def encode_within_budget(picture, quality: int = WEBP_QUALITY) -> tuple[bytes, int]:
    """The picture as lossy WebP at `quality`, or lower down to QUALITY_FLOOR until it fits
    BUDGET; returns the bytes and the quality used."""
    data = _webp(picture, quality)
    while len(data) > BUDGET and quality - QUALITY_STEP >= QUALITY_FLOOR:
        quality -= QUALITY_STEP
        data = _webp(picture, quality)
    return data, quality


Box = tuple[int, int, int, int]   # left, top, right, bottom in pixels


def photo_boxes(page, size: tuple[int, int]) -> list[Box]:
    """Where the page's images (photos, drawings placed as images) are in a rendering of `size`
    pixels. Images nested in form XObjects are not listed: their bounds are not in page space
    (a page with such a photo in colour is not grey outside the boxes, so it goes lossy)."""
    import ctypes

    import pypdfium2.raw as raw

    width, height = size
    boxes = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=0):
        left, bottom, right, top = obj.get_bounds()
        corners = []
        for x, y in ((left, bottom), (right, top)):
            dx, dy = ctypes.c_int(), ctypes.c_int()
            raw.FPDF_PageToDevice(page, 0, 0, width, height, 0, x, y, dx, dy)
            corners.append((dx.value, dy.value))
        (x0, y0), (x1, y1) = corners
        box = (max(0, min(x0, x1)), max(0, min(y0, y1)), min(width, max(x0, x1)),
               min(height, max(y0, y1)))
        if box[2] > box[0] and box[3] > box[1]:
            boxes.append(box)
    return boxes


def _scaled(boxes: list[Box], factor: float, size: tuple[int, int]) -> list[Box]:
    scaled = [(int(x0 * factor), int(y0 * factor), min(size[0], -int(-x1 * factor)),
               min(size[1], -int(-y1 * factor))) for x0, y0, x1, y1 in boxes]
    return [box for box in scaled if box[2] > box[0] and box[3] > box[1]]


def _paper(picture, boxes: list[Box]):
    """The picture with its boxes blanked white: the page's text, rules and tints alone."""
    if not boxes:
        return picture
    paper = picture.copy()
    for box in boxes:
        paper.paste((255, 255, 255), box)
    return paper


def _inks(paper) -> tuple[list[tuple[int, int, int]], object]:
    """The colours of the page's coloured text and rules (a red masthead, a blue rule): at most
    INKS of them, from the pixels whose channels differ by more than GREY_SPREAD; and the mask
    of those pixels (None when there are none)."""
    from PIL import Image, ImageChops

    red, green, blue = paper.split()
    spread = ImageChops.lighter(ImageChops.lighter(ImageChops.difference(red, green),
                                                   ImageChops.difference(green, blue)),
                                ImageChops.difference(red, blue))
    mask = spread.point([0] * (GREY_SPREAD + 1) + [255] * (255 - GREY_SPREAD))
    box = mask.getbbox()
    if box is None:
        return [], None
    coloured = Image.composite(paper, Image.new("RGB", paper.size, "white"), mask).crop(box)
    found = coloured.quantize(INKS + 1, method=Image.Quantize.FASTOCTREE)
    palette, inks = found.getpalette(), []
    for count, index in sorted(found.getcolors(), reverse=True):
        colour = tuple(palette[3 * index:3 * index + 3])
        if max(colour) - min(colour) > GREY_SPREAD and len(inks) < INKS:
            inks.append(colour)
    return inks, mask


def palette_image(picture, boxes: list[Box]):
    """The picture in at most 16 colours, or None where that would not look like it: its text
    and rules in TEXT_GREYS and the page's inks (each pixel its nearest), its boxes in the
    colours left, chosen from them and dithered."""
    from PIL import Image, ImageChops, ImageStat

    paper = _paper(picture, boxes)
    inks, coloured = _inks(paper)
    palette = [v for grey in TEXT_GREYS for v in (grey, grey, grey)]
    if not inks:
        greys = [min(range(len(TEXT_GREYS)), key=lambda i: abs(TEXT_GREYS[i] - v))
                 for v in range(256)]
        image = Image.frombytes("P", picture.size, picture.convert("L").point(greys).tobytes())
    else:
        palette += [v for ink in inks for v in ink]
        mapping = Image.new("P", (1, 1))
        mapping.putpalette(palette)
        image = paper.quantize(palette=mapping, dither=Image.Dither.NONE)
        # Colour a few inks cannot show (a gradient, a colour drawing): not for a palette.
        # The error of the coloured pixels, as a mean over the whole page: large where much of
        # it is coloured and poorly shown, not for the edges of a red headline.
        share = ImageStat.Stat(coloured).mean[0] / 255
        error = ImageStat.Stat(ImageChops.difference(paper, image.convert("RGB")),
                               mask=coloured).mean
        if max(error) * share > INK_ERROR:
            return None
    if boxes:
        # The photos side by side, each at most SAMPLE px a side (the largest SAMPLES of them),
        # so that one set of colours serves them all, chosen in bounded time and memory.
        samples = []
        for box in sorted(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))[-SAMPLES:]:
            sample = picture.crop(box)
            sample.thumbnail((SAMPLE, SAMPLE), Image.BOX)
            samples.append(sample)
        strip = Image.new("RGB", (sum(s.width for s in samples), max(s.height for s in samples)),
                          "white")
        x = 0
        for sample in samples:
            strip.paste(sample, (x, 0))
            x += sample.width
        colours = strip.quantize(COLOURS - len(palette) // 3, method=Image.Quantize.FASTOCTREE)
        palette += colours.getpalette()[:3 * (COLOURS - len(palette) // 3)]
        mapping = Image.new("P", (1, 1))
        mapping.putpalette(palette)
        for box in boxes:
            image.paste(picture.crop(box).quantize(palette=mapping,
                                                   dither=Image.Dither.FLOYDSTEINBERG), box[:2])
    image.putpalette(palette)
    return image


def encode_page(picture, boxes: list[Box], quality: int = WEBP_QUALITY) -> tuple[bytes, str]:
    """The page's picture as WebP, and how: "palette" (lossless) where a palette shows it (its
    photos cover at most SCAN_SHARE of it, the rest is text and rules in a few inks), else
    "q60"…"q30" (lossy, stepping down to fit BUDGET). A palette image over BUDGET is tried
    lossy at QUALITY_FLOOR too, and the smaller is kept: a page that cannot meet the budget
    still gets its smallest readable image (a long strip of text: the palette one)."""
    area = picture.size[0] * picture.size[1]
    image = None
    if sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes) <= SCAN_SHARE * area:
        image = palette_image(picture, boxes)
    if image is not None:
        buffer = io.BytesIO()
        image.save(buffer, "WEBP", lossless=True, method=LOSSLESS_METHOD,
                   quality=LOSSLESS_EFFORT)
        data = buffer.getvalue()
        if len(data) <= BUDGET:
            return data, "palette"
        # Over the budget: lossy WebP can only be smaller at its floor, so only that is tried.
        lossy = _webp(picture, QUALITY_FLOOR)
        return (data, "palette") if len(data) <= len(lossy) else (lossy, f"q{QUALITY_FLOOR}")
    data, used = encode_within_budget(picture, quality)
    return data, f"q{used}"


def render_page(pdf_path: Path, page: PdfPage, folder: Path, quality: int = WEBP_QUALITY
                ) -> list[str]:
    """Render one PDF page at its largest width, scale it down for the others, and write each
    into the cache folder; returns the site paths written (`quality`, the lossy one to start
    from, is for bench/ only: the names assume WEBP_QUALITY)."""
    from PIL import Image

    data = pdf_path.read_bytes()
    pdf = _open_pdf(data, pdf_path)
    try:
        largest = page.largest
        shown = pdf[page.number - 1]
        rendered = shown.render(scale=largest.width / page.width, may_draw_forms=False)
        picture = rendered.to_pil().convert("RGB")
        boxes = photo_boxes(shown, picture.size)
    except Exception as exc:  # pdfium fails in many ways on a damaged page
        raise ArchiveError(f"cannot render page {page.number} of this PDF ({exc}): put the "
                           "original PDF file here, or ingest its page again", pdf_path) from None
    finally:
        pdf.close()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    # The largest first: the smaller ones start from the quality it needed, so all look alike.
    for image in reversed(page.images):
        size = (image.width, image.height)
        # One render, scaled: the smaller image shows exactly what the larger one does.
        # BOX: each pixel the mean of those it covers; a third of LANCZOS's time, no loss to see in
        # four greys.
        scaled = picture if picture.size == size else picture.resize(size, Image.BOX)
        data, how = encode_page(scaled, _scaled(boxes, size[0] / picture.size[0], size), quality)
        quality = int(how[1:]) if how.startswith("q") else quality
        write_atomic(folder / Path(image.path).name, data)
        written.append(image.path)
    return written[::-1]


def _render_job(job: tuple[Path, PdfPage, Path]) -> list[str]:
    return render_page(*job)


def render_missing(pages: list[PdfPage], content_dir: Path, folder: Path, runner,
                   quiet: bool = False) -> list[str]:
    """Render the pages whose images the cache folder lacks, across processes when there are
    several; returns the site paths of the images rendered."""
    todo = missing_images(pages, folder)
    jobs = [(content_dir / SOURCES_DIR / page.file, page, folder) for page in todo]
    rendered: list[str] = []
    # About a second a page: a first build of a year of pages takes a while, and says so.
    with progress_bar(total=len(jobs), desc="page images", unit="page", disable=quiet,
                      delay=1.0, leave=False) as bar, \
            runner.pool(runner.workers(len(jobs), minimum=4)) as pool:
        for written in pool.map(_render_job, jobs):
            rendered += written
            bar.update(1)
    return rendered


def prune(folder: Path, keep: set[str]) -> None:
    """Remove the cached images no page of the site shows any more."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.endswith(".webp") and entry.name not in keep:
            try:
                os.unlink(entry.path)
            except OSError:
                pass  # a cache that cannot be cleaned costs disk space, nothing else
