"""PDF pages in the site without a browser: the image cache, the hashed names, errors that name
the file, `check` on page images, and where the areas go (tests/pdfpages.py makes the PDFs)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from newsarchive import pageimages
from newsarchive.build import build_site
from newsarchive.buildcache import CacheMemory
from newsarchive.errors import ArchiveError
from newsarchive.check import check_site
from newsarchive.config import load_config
from newsarchive.frontmatter import dump_article, parse_article
from newsarchive.model import Article, ArticleCard, PageImage, PdfPage, SourceRef
from newsarchive.pageviews import page_crop, page_figures

from .conftest import ROOT, run_cli
from .pdfpages import Printed, block_colour, block_pdf, text_pdf, write_articles

# Two pages of 400 × 600 points; three articles, the second set in two blocks.
LAYOUT = [(400, 600, [(40, 40, 360, 200), (40, 240, 190, 560), (210, 240, 360, 400)]),
          (400, 600, [(40, 40, 360, 560)])]
ARTICLES = [
    Printed("2024-12-30-a01-01", "头条新闻", "第一篇的正文。", 1, []),
    Printed("2024-12-30-a01-02", "两块的文章", "第二篇的正文。", 1, []),
    Printed("2024-12-30-a02-01", "第二版的文章", "第三篇的正文。", 2, []),
]
BOXES = {"2024-12-30-a01-01": ((40, 40, 360, 200),),
         "2024-12-30-a01-02": ((40, 240, 190, 560), (210, 240, 360, 400)),
         "2024-12-30-a02-01": ((40, 40, 360, 560),)}


class _Boxed(Printed):
    """A Printed whose areas are given in points (the block PDF is drawn in points)."""

    @property
    def page_box(self):
        return BOXES[self.id]


def _site(tmp_path: Path, shade: int = 0, cropbox=None) -> tuple[Path, Path]:
    """site.yaml, templates and static copied, a content folder with the block PDF (its
    blocks drawn where BOXES are on the MediaBox; the areas, measured on the page as shown,
    are moved by a CropBox's corner)."""
    site = tmp_path / "site"
    site.mkdir()
    for part in ("site.yaml", "templates", "static"):
        source = ROOT / part
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, site / part)
    content = site / "content"
    write_articles(content, "page.pdf", block_pdf(LAYOUT, shade, cropbox),
                   [_Boxed(a.id, a.title, a.body, a.page, []) for a in ARTICLES])
    if cropbox:  # left, bottom, right, top in PDF space, on pages 600 points high
        dx, dy = cropbox[0], 600 - cropbox[3]
        for path in content.glob("*.md"):
            article = parse_article(path.read_text(encoding="utf-8"), path)
            boxes = tuple((x0 - dx, y0 - dy, x1 - dx, y1 - dy)
                          for x0, y0, x1, y1 in article.source.page_box)
            article.source = dataclasses.replace(article.source, page_box=boxes)
            path.write_text(dump_article(article), encoding="utf-8")
    return site, content


def _build(site: Path, content: Path):
    return build_site(load_config(site / "site.yaml"), content, site / "_site", quiet=True)


def _images(out: Path) -> dict[str, int]:
    """Each page image of the built site with its inode (kept files keep theirs)."""
    return {p.name: p.stat().st_ino for p in sorted((out / "pages").glob("*.webp"))}


def _cached(site: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns
            for p in sorted((site / ".newsarchive-cache").glob("page-images-*/*.webp"))}


def test_a_rebuild_that_changed_no_pdf_renders_no_image(tmp_path):
    site, content = _site(tmp_path)
    first = _build(site, content)
    assert len(first.images) == 4, first.images   # 2 pages × 2 widths
    out = site / "_site"
    images, cached = _images(out), _cached(site)
    assert len(images) == 4 and set(cached) == set(images)

    article = content / "2024-12-30-a01-01.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
    edited = _build(site, content)
    assert edited.images == [] and "articles/2024-12-30-a01-01.html" in edited.written
    assert _images(out) == images and _cached(site) == cached

    (site / "templates" / "issue.html").write_text(
        (site / "templates" / "issue.html").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _build(site, content).images == []
    assert _build(site, content).images == []     # nothing changed at all

    shutil.rmtree(out)                            # the output lost, the cache kept
    cold = _build(site, content)
    assert cold.images == [] and set(_images(out)) == set(images)


def test_a_changed_pdf_renders_again_under_new_names(tmp_path):
    site, content = _site(tmp_path)
    before = set(_images(site / "_site")) if _build(site, content) else set()
    (content / "sources" / "page.pdf").write_bytes(block_pdf(LAYOUT, shade=99))
    report = _build(site, content)
    after = set(_images(site / "_site"))
    assert len(report.images) == 4
    assert after.isdisjoint(before) and len(after) == 4
    assert set(_cached(site)) == after, "the cache keeps only the images the site shows"
    assert {f"pages/{name}" for name in after} <= set(report.written)


def test_image_names_are_hashes_of_pdf_page_and_width():
    name = pageimages.image_path("d" * 32, 1, 1200)
    assert name == pageimages.image_path("d" * 32, 1, 1200)
    others = {pageimages.image_path("e" * 32, 1, 1200), pageimages.image_path("d" * 32, 2, 1200),
              pageimages.image_path("d" * 32, 1, 600)}
    assert name not in others and len(others) == 3
    assert name.startswith("pages/") and name.endswith("-1200.webp")


def test_page_images_are_webp_of_the_declared_sizes(tmp_path):
    from PIL import Image

    site, content = _site(tmp_path)
    _build(site, content)
    out = site / "_site"
    html = (out / "dates/2024/12/30/index.html").read_text(encoding="utf-8")
    for name in _images(out):
        with Image.open(out / "pages" / name) as image:
            assert image.format == "WEBP"
            width = int(name.rsplit("-", 1)[1].removesuffix(".webp"))
            assert image.size == (width, round(width * 600 / 400))
            assert f"pages/{name} {width}w" in html
    flat = " ".join(html.split())
    assert 'width="1200" height="1800" loading="lazy"' in flat


def _error(capsys, site: Path, content: Path) -> str:
    status = run_cli("--config", str(site / "site.yaml"), "-q", "build", "--content", str(content))
    err = capsys.readouterr().err
    assert status == 1 and "Traceback" not in err, err
    return err


def test_a_pdf_that_cannot_be_read_is_named(tmp_path, capsys):
    site, content = _site(tmp_path)
    (content / "sources" / "page.pdf").write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    err = _error(capsys, site, content)
    assert f"{content / 'sources' / 'page.pdf'}: cannot read this PDF" in err
    assert not (site / "_site").exists(), "a failed build writes no site"


@pytest.mark.parametrize("old, new, key, message", [
    ("page_box: [40, 40, 360, 200]", "page_box: [40, 40, 360, 700]", "source.page_box",
     "the area [40, 40, 360, 700] lies outside page 1 of page.pdf, which is 400 × 600 "
     "points: measure"),
    ("page: 2, page_box", "page: 3, page_box", "source.page",
     "page.pdf has 2 page(s), not a page 3"),
])
def test_an_area_or_page_the_pdf_lacks_is_named(tmp_path, capsys, old, new, key, message):
    site, content = _site(tmp_path)
    name = "2024-12-30-a01-01.md" if "200]" in old else "2024-12-30-a02-01.md"
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    err = _error(capsys, site, content)
    assert f"{path}:18: key '{key}': {message}" in err, err


def test_a_preview_build_told_of_an_edit_checks_the_edited_areas_again(tmp_path):
    """The preview's builds keep the list of articles read from PDFs between builds: an edit
    to one of them must reach the PDF plan (and its checks) all the same."""
    site, content = _site(tmp_path)
    memory = CacheMemory()
    config = load_config(site / "site.yaml")
    build_site(config, content, site / "_site", quiet=True, memory=memory)
    path = content / "2024-12-30-a01-01.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("page_box: [40, 40, 360, 200]", "page_box: [40, 40, 360, 700]"),
                    encoding="utf-8")
    with pytest.raises(ArchiveError, match="lies outside page 1"):
        build_site(config, content, site / "_site", quiet=True, memory=memory,
                   changed={path.resolve()})
    path.write_text(text.replace("page_box: [40, 40, 360, 200]", "page_box: [40, 40, 360, 190]"),
                    encoding="utf-8")
    build_site(config, content, site / "_site", quiet=True, memory=memory,
               changed={path.resolve()})
    build_site(config, content, site / "cold", quiet=True)
    assert _tree(site / "_site") == _tree(site / "cold")


def test_an_article_whose_pdf_is_missing_still_builds(tmp_path):
    site, content = _site(tmp_path)
    (content / "sources" / "page.pdf").unlink()
    report = _build(site, content)
    assert report.images == [] and not (site / "_site" / "pages").exists()
    page = (site / "_site" / "articles/2024-12-30-a01-01.html").read_text(encoding="utf-8")
    assert "原版版面 page.pdf 不在本档案中" in page and "page-crop" not in page
    assert check_site(site / "_site") == []


def test_check_passes_and_fails_when_an_image_is_missing_or_wrong(tmp_path):
    site, content = _site(tmp_path)
    _build(site, content)
    out = site / "_site"
    assert check_site(out) == []
    small = sorted(name for name in _images(out) if name.endswith("-600.webp"))[0]
    shutil.copy(sorted((out / "pages").glob("*-1200.webp"))[0], out / "pages" / small)
    problems = check_site(out)
    assert any(f"srcset says 600w but the image is 1200 px wide → ../../../../pages/{small}"
               in p for p in problems), problems
    (out / "pages" / small).unlink()
    problems = check_site(out)
    assert any(p.startswith("dates/2024/12/30/index.html: broken link") and small in p
               for p in problems), problems
    assert any(p.startswith("articles/") and small in p for p in problems), problems
    assert run_cli("check", "--out", str(out)) == 1


def _card(article_id: str, boxes, page: int = 1) -> ArticleCard:
    return Article(id=article_id, title="标题", body="正文", date=dt.date(2024, 12, 30),
                   page="A01", source=SourceRef("p.pdf", None, page=page, page_box=boxes)).card()


def test_areas_are_percentages_of_the_page_and_of_their_union():
    pdf_page = PdfPage("p.pdf", 1, 400.0, 600.0, (PageImage("pages/x-1200.webp", 1200, 1800),))
    cards = [_card("a-1", ((40, 60, 360, 120),)),
             _card("a-2", ((40, 300, 200, 600), (200, 300, 400, 450))),
             _card("a-3", ((0, 0, 10, 10),), page=2)]       # another page: not on this figure
    (figure,) = page_figures(cards, "A01", {("p.pdf", 1): pdf_page})
    first, second = figure.groups
    assert (first.rect.left, first.rect.top, first.rect.width, first.rect.height) == \
        (10, 10, 80, 10)
    assert first.anchor == "area-a-1" and first.rect.style == "left:10%;top:10%;width:80%;height:10%"
    assert (second.rect.left, second.rect.top, second.rect.width, second.rect.height) == \
        (10, 50, 90, 50)
    assert [(a.left, a.top, a.width, a.height) for a in second.areas] == \
        [(0, 0, 44.444, 100), (44.444, 0, 55.556, 50)]
    crop = page_crop(cards[0], {("p.pdf", 1): pdf_page})
    # The first area with 8 points around it: 32..368 × 52..128 of 400 × 600.
    assert crop.ratio == round(336 / 76, 4)
    assert (crop.image.left, crop.image.top, crop.image.width) == \
        (round(-32 / 336 * 100, 3), round(-52 / 76 * 100, 3), round(400 / 336 * 100, 3))
    assert crop.href == "dates/2024/12/30/index.html#area-a-1"
    # An undated article has no issue page: its crop opens the whole page image instead.
    undated = dataclasses.replace(cards[0], date=None)
    assert page_crop(undated, {("p.pdf", 1): pdf_page}).href == "pages/x-1200.webp"
    text = dataclasses.replace(cards[0], source=SourceRef("p.txt", (1, 2)))
    assert page_crop(text, {("p.pdf", 1): pdf_page}) is None
    assert page_figures([text], "A01", {("p.pdf", 1): pdf_page}) == ()


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file()}


def test_incremental_builds_of_pdf_pages_equal_a_cold_build(tmp_path):
    site, content = _site(tmp_path)
    _build(site, content)
    # A text edit (the text-edit shortcut), then a moved area (a new plan), then a new PDF.
    article = content / "2024-12-30-a01-02.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n再加一段。\n", encoding="utf-8")
    _build(site, content)
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("[210, 240, 360, 400]", "[210, 250, 360, 400]"),
                       encoding="utf-8")
    _build(site, content)
    (content / "sources" / "page.pdf").write_bytes(block_pdf(LAYOUT, shade=7))
    _build(site, content)
    cold = build_site(load_config(site / "site.yaml"), content, site / "_cold", quiet=True)
    assert len(cold.images) == 4
    assert _tree(site / "_site") == _tree(site / "_cold")


@pytest.mark.parametrize("cropbox, origin", [(None, (0, 0)), ((20, 20, 380, 570), (20, 30))])
def test_each_area_is_where_its_block_is_drawn_on_the_rendered_page(tmp_path, cropbox, origin):
    """Areas are measured on the page as shown (its CropBox) and the image shows just that:
    each area's middle is its block's colour in the image, and just outside it is paper."""
    from PIL import Image

    site, content = _site(tmp_path, cropbox=cropbox)
    _build(site, content)
    out = site / "_site"
    shown = (360, 550) if cropbox else (400, 600)
    html = (out / "dates/2024/12/30/index.html").read_text(encoding="utf-8")
    first_page = html.split('id="page-A02"')[0]
    large = out / re.search(r'src="(?:\.\./)+(pages/[0-9a-f]+-1200\.webp)"', first_page)[1]
    scale = 1200 / shown[0]
    dx, dy = origin
    with Image.open(large) as image:
        assert image.size == (1200, round(1200 * shown[1] / shown[0]))
        for n, (x0, y0, x1, y1) in enumerate(LAYOUT[0][2]):
            middle = image.getpixel((round(((x0 + x1) / 2 - dx) * scale),
                                     round(((y0 + y1) / 2 - dy) * scale)))
            assert all(abs(a - b) < 24 for a, b in zip(middle, block_colour(n))), (n, middle)
            outside = image.getpixel((round((x0 - dx) * scale) - 4, round((y0 - dy) * scale) - 4))
            assert min(outside) > 230, (n, outside)
    # The first article's area on the issue page, in percent of what the image shows.
    x0, y0, x1, y1 = LAYOUT[0][2][0]
    left, top = round((x0 - dx) / shown[0] * 100, 3), round((y0 - dy) / shown[1] * 100, 3)
    assert f'id="area-2024-12-30-a01-01" style="left:{left:g}%;top:{top:g}%;' in html


def _render(tmp_path: Path, pdf: bytes) -> tuple[PdfPage, list[Path]]:
    """The PDF's first page rendered as a build does: the page and its image files, smallest
    first."""
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf)
    page = pageimages.pdf_page("p.pdf", 1, pageimages.pdf_facts(path, pageimages.PdfMemo()))
    pageimages.render_page(path, page, tmp_path / "out")
    return page, [tmp_path / "out" / Path(image.path).name for image in page.images]


def _lossless(data: bytes) -> bool:
    """Whether WebP bytes are lossless (a VP8L bitstream) rather than lossy (VP8)."""
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:16] == b"VP8L"


def _near(a, b, slack: int) -> bool:
    return all(abs(x - y) <= slack for x, y in zip(a, b))


def test_a_text_page_is_a_lossless_palette_image_within_the_budget(tmp_path):
    """An A3 page of 9-pt text under a red heading: a few greys and the heading's red,
    lossless, far under the budget; the text's black is black and the heading stays red."""
    from PIL import Image

    red = (190, 20, 30)
    page, files = _render(tmp_path, text_pdf(842, 1191, heading=red))
    for path in files:
        data = path.read_bytes()
        assert _lossless(data) and len(data) <= pageimages.BUDGET, (path.name, len(data))
    with Image.open(files[-1]) as image:
        assert image.size == (1200, page.largest.height)
        colours = image.convert("RGB").getcolors(64)
    assert colours is not None and len(colours) <= 4 + pageimages.INKS, colours
    assert any(_near(colour, red, 24) and count > 500 for count, colour in colours), colours
    assert any(colour == (0, 0, 0) and count > 10_000 for count, colour in colours), colours


def test_a_photo_on_a_text_page_keeps_its_colours(tmp_path):
    """The photo's box is found where the PDF places it, and each part of the photo has its
    colour in the image (dithered from the palette's colours: compared as 24-px means); the
    text around it stays in greys."""
    from PIL import Image, ImageOps, ImageStat

    import pypdfium2 as pdfium

    photo = ImageOps.colorize(Image.linear_gradient("L").resize((200, 150)), (200, 40, 20),
                              (20, 80, 220))
    box_pt = (300, 300, 600, 525)
    page, files = _render(tmp_path, text_pdf(842, 1191, photo=photo, photo_box=box_pt))
    scale = 1200 / 842
    expected = tuple(round(v * scale) for v in box_pt)
    pdf = pdfium.PdfDocument(tmp_path / "p.pdf")
    try:
        (found,) = pageimages.photo_boxes(pdf[0], (1200, page.largest.height))
    finally:
        pdf.close()
    assert _near(found, expected, 2), (found, expected)
    assert _lossless(files[-1].read_bytes())
    with Image.open(files[-1]) as image:
        rgb = image.convert("RGB")
    x0, y0, x1, y1 = expected
    for fx, fy in ((0.2, 0.15), (0.5, 0.5), (0.8, 0.85)):
        x, y = round(x0 + fx * (x1 - x0)), round(y0 + fy * (y1 - y0))
        shown = ImageStat.Stat(rgb.crop((x - 12, y - 12, x + 12, y + 12))).mean
        source = photo.getpixel((round(fx * 199), round(fy * 149)))
        assert _near(shown, source, 20), ((fx, fy), shown, source)
    text = rgb.crop((30, 100, 400, 400)).getcolors(64)
    assert text is not None and all(max(c) - min(c) <= pageimages.GREY_SPREAD for _, c in text)


def test_a_page_a_palette_cannot_show_is_lossy_and_steps_down_to_the_budget(monkeypatch):
    """Colour all over (a gradient outside any photo), or photos covering most of the page (a
    scan): lossy WebP as before. A page over the budget either way gets the smaller image."""
    from PIL import Image, ImageOps

    gradient = ImageOps.colorize(Image.linear_gradient("L").resize((600, 850)), (200, 40, 20),
                                 (20, 80, 220))
    data, how = pageimages.encode_page(gradient, [])
    assert how == "q60" and not _lossless(data)
    scan = Image.new("RGB", (600, 850), "white")
    scan.paste(gradient.convert("L").convert("RGB").crop((0, 0, 600, 500)), (0, 0))
    assert pageimages.encode_page(scan, [])[1] == "palette"
    assert pageimages.encode_page(scan, [(0, 0, 600, 500)])[1] == "q60"

    monkeypatch.setattr(pageimages, "BUDGET", 1000)
    data, how = pageimages.encode_page(scan, [])
    lossy, quality = pageimages.encode_within_budget(scan)
    assert quality == pageimages.QUALITY_FLOOR and len(data) <= len(lossy)
    assert how == "palette" and _lossless(data), "the smaller of the two, though over budget"


def test_a_page_too_long_for_webp_gets_narrower_images(tmp_path):
    """A long strip of a page (here 30 times as tall as wide) would be taller than WebP's
    16,383 pixels at 1,200 px wide: its image is narrower, of the same shape, and one."""
    from PIL import Image

    pdf = tmp_path / "strip.pdf"
    pdf.write_bytes(block_pdf([(400, 12000, [(10, 10, 390, 400), (10, 11000, 390, 11900)])]))
    page = pageimages.pdf_page(pdf.name, 1, pageimages.pdf_facts(pdf, pageimages.PdfMemo()))
    written = pageimages.render_page(pdf, page, tmp_path / "out")
    assert len(written) == len(page.images) == 1
    for image in page.images:
        assert image.height <= pageimages.MAX_WEBP_SIDE and image.width <= 600
        assert abs(image.height / image.width - 30) < 0.1
        with Image.open(tmp_path / "out" / Path(image.path).name) as rendered:
            assert rendered.size == (image.width, image.height)
