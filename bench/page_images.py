"""Page image sizes and render times on a dense newspaper-like page (issue 13).

Prints two A3 pages (842 × 1191 pt) of nine stories in 12-px (9-pt) Chinese text set in
columns through Chromium to PDF: "dense", nothing but text around two small photos, and "with
photos", four stories with a large photo. Each is rendered as newsarchive does, starting at
several WebP qualities (the budget steps a large image down): bytes at each width, seconds per
page, and crops at 100% for reading the text.

    .venv/bin/python bench/page_images.py --photo some.jpg --out /tmp/page-images
"""

from __future__ import annotations

import argparse
import dataclasses
import base64
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive import pageimages  # noqa: E402
from newsarchive.model import PageImage  # noqa: E402
from tests.pdfpages import Printed, newspaper_pdf  # noqa: E402

A3_PX = (1123, 1588)


def seed_text() -> str:
    """The seeds' own Chinese text, lines joined: real words at a real density."""
    text = "".join(line.strip() for path in sorted((ROOT / "seeds").glob("*.txt"))
                   for line in path.read_text(encoding="utf-8").splitlines())
    return text.replace(" ", "")


def dense_page() -> list[Printed]:
    """Nine stories filling the page in three bands, as a news page is set."""
    text, at, stories = seed_text(), 0, []
    rows = [(130, 470, [(30, 1063)]), (620, 480, [(30, 520), (573, 520)]),
            (1120, 440, [(30, 340), (391, 340), (752, 341)])]
    for top, height, columns in rows:
        for left, width in columns:
            body = text[at:at + width * height // 120]
            at += len(body)
            stories.append(Printed(f"s{len(stories)}", body[:14], body, 1,
                                   [(left, top, width, height)]))
    return stories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photo", type=Path, help="a JPEG for the page's two photos")
    parser.add_argument("--qualities", default="50,60,70,80")
    parser.add_argument("--out", type=Path, default=Path("/tmp/page-images"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    photo = ("data:image/jpeg;base64," + base64.b64encode(args.photo.read_bytes()).decode()
             if args.photo else None)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox"])
        pdfs = {"dense": newspaper_pdf(browser, dense_page(), 1, photo, A3_PX),
                "with photos": newspaper_pdf(browser, dense_page(), 1, photo, A3_PX, photos=4,
                                             photo_px=(520, 360))}
        browser.close()
    print(f"| page | starting quality | 600 px | 1200 px | render + encode |\n"
          "| --- | ---: | ---: | ---: | ---: |")
    for (kind, pdf), quality in ((k, q) for k in pdfs.items()
                                 for q in map(int, args.qualities.split(","))):
        pdf_path = args.out / f"{kind.replace(' ', '-')}.pdf"
        pdf_path.write_bytes(pdf)
        folder = args.out / f"{kind.replace(' ', '-')}-q{quality}"
        # The page as a build sees it (its size read from the PDF), named for this quality.
        page = pageimages.pdf_page(pdf_path.name, 1,
                                   pageimages.pdf_facts(pdf_path, pageimages.PdfMemo()))
        images = tuple(PageImage(f"pages/q{quality}-{i.width}.webp", i.width, i.height)
                       for i in page.images)
        page = dataclasses.replace(page, images=images)
        started = time.perf_counter()
        pageimages.render_page(pdf_path, page, folder, quality)
        seconds = time.perf_counter() - started
        sizes = [(folder / Path(image.path).name).stat().st_size for image in images]
        print(f"| {kind} | {quality} | {sizes[0] / 1000:.0f} KB | {sizes[1] / 1000:.0f} KB | "
              f"{seconds:.2f} s |")
        from PIL import Image

        with Image.open(folder / Path(images[-1].path).name) as image:
            image.crop((60, 850, 660, 1250)).save(folder / "crop.png")


if __name__ == "__main__":
    main()
