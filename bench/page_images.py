"""Page image sizes and render times: the old encoding (lossy WebP, q60 stepping down to q30)
against the new one (a palette image of at most 16 colours saved as lossless WebP, where the
page is text and rules in a few inks around its photos), side by side, in one run (issue 13).

Prints two A3 pages (842 × 1191 pt) of nine stories in 12-px (9-pt) Chinese text set in
columns through Chromium to PDF: "dense", nothing but text around two small photos, and "with
photos", four stories with a large photo; and takes pages of the page corpus (long strips of
text). Each page is rendered as newsarchive does: bytes
at each width, bytes per A3-sized area (1200 × 1697 px) of the 1200-px image, wall and CPU
milliseconds (warm: a process per encoding renders the page once, then --repeat times, twice
over, old and new taking turns; the median), the process's peak memory, and crops at 100% for
reading the text (OUT/crops/).

    .venv/bin/python bench/page_images.py --photo some.jpg --out /tmp/page-images
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import os
import resource
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsarchive import pageimages  # noqa: E402
from newsarchive.model import PageImage  # noqa: E402
from tests.pdfpages import Printed, newspaper_pdf  # noqa: E402

A3_PX = (1123, 1588)
A3_AREA_1200 = 1200 * round(1200 * 1191 / 842)
CORPUS = Path("/work/main/bench/out/pagecorpus")


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


def old_render(pdf_path: Path, page, folder: Path) -> list[str]:
    """The encoding before: one RGB render, LANCZOS down, lossy WebP from q60 within budget."""
    from PIL import Image

    pdf = pageimages._open_pdf(pdf_path.read_bytes(), pdf_path)
    try:
        picture = pdf[page.number - 1].render(scale=page.largest.width / page.width).to_pil() \
            .convert("RGB")
    finally:
        pdf.close()
    folder.mkdir(parents=True, exist_ok=True)
    quality, written = pageimages.WEBP_QUALITY, []
    for image in reversed(page.images):
        size = (image.width, image.height)
        scaled = picture if picture.size == size else picture.resize(size, Image.LANCZOS)
        data, quality = pageimages.encode_within_budget(scaled, quality)
        (folder / Path(image.path).name).write_bytes(data)
        written.append(image.path)
    return written[::-1]


def run_one(job: tuple[str, Path, Path, int]) -> dict:
    """One page, one encoding, in a process of its own, rendered `repeat` times after a first
    run that warms the process up (as a long ingest is): sizes, median times, peak memory."""
    encoding, pdf_path, folder, repeat = job
    page = pageimages.pdf_page(pdf_path.name, 1,
                               pageimages.pdf_facts(pdf_path, pageimages.PdfMemo()))
    images = tuple(PageImage(f"pages/{encoding}-{i.width}.webp", i.width, i.height)
                   for i in page.images)
    page = dataclasses.replace(page, images=images)
    walls, cpus = [], []
    for _ in range(repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        (old_render if encoding == "old" else pageimages.render_page)(pdf_path, page, folder)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    wall, cpu = statistics.median(walls[1:]), statistics.median(cpus[1:])
    return {"sizes": [(folder / Path(i.path).name).stat().st_size for i in images],
            "pixels": images[-1].width * images[-1].height, "wall": wall, "cpu": cpu,
            "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "large": str(folder / Path(images[-1].path).name)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--photo", type=Path, help="a JPEG for the pages' photos")
    parser.add_argument("--corpus", type=int, default=5, help="pages of the page corpus")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("/tmp/page-images"))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright
    from PIL import Image

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "crops").mkdir(exist_ok=True)
    photo = ("data:image/jpeg;base64," + base64.b64encode(args.photo.read_bytes()).decode()
             if args.photo else None)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox"])
        printed = {"dense": newspaper_pdf(browser, dense_page(), 1, photo, A3_PX),
                   "with photos": newspaper_pdf(browser, dense_page(), 1, photo, A3_PX,
                                                photos=4, photo_px=(520, 360))}
        browser.close()
    pdfs = {}
    for kind, pdf in printed.items():
        pdfs[kind] = args.out / f"{kind.replace(' ', '-')}.pdf"
        pdfs[kind].write_bytes(pdf)
    for path in sorted(CORPUS.glob("*.pdf"))[:args.corpus]:
        pdfs[f"corpus {path.stem}"] = path
    print("| page | encoding | 600 px | 1200 px | 1200 px per A3 area | ms/page (wall) | "
          "ms/page (CPU) | peak RSS |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    totals: dict[str, list[float]] = {"old": [], "new": []}
    for kind, pdf_path in pdfs.items():
        runs: dict[str, list[dict]] = {"old": [], "new": []}
        for n in range(2):   # old, new, new, old: both see the machine's load alike
            for encoding in ("old", "new") if n % 2 == 0 else ("new", "old"):
                folder = args.out / f"{kind.replace(' ', '-')}-{encoding}"
                with ProcessPoolExecutor(1) as pool:
                    runs[encoding].append(pool.submit(
                        run_one, (encoding, pdf_path, folder, args.repeat)).result())
        for encoding, results in runs.items():
            first = results[0]
            wall = statistics.median(r["wall"] for r in results) * 1000
            cpu = statistics.median(r["cpu"] for r in results) * 1000
            totals[encoding].append(cpu)
            per_a3 = first["sizes"][-1] * A3_AREA_1200 / first["pixels"]
            print(f"| {kind} | {encoding} | {first['sizes'][0] / 1000:.0f} KB | "
                  f"{first['sizes'][-1] / 1000:.0f} KB | {per_a3 / 1000:.0f} KB | {wall:.0f} | "
                  f"{cpu:.0f} | {max(r['rss'] for r in results):.0f} MB |")
            with Image.open(first["large"]) as image:
                top = min(850, max(0, image.height - 400))
                image.convert("RGB").crop((60, top, 660, top + 400)).save(
                    args.out / "crops" / f"{kind.replace(' ', '-')}-{encoding}.png")
    for encoding, cpus in totals.items():
        print(f"{encoding}: median {statistics.median(cpus):.0f} ms/page CPU over "
              f"{len(cpus)} pages")
    print(f"load average {' '.join(f'{n:.1f}' for n in os.getloadavg())} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
