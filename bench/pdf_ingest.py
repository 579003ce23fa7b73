"""PDF ingest's cost per page on the page corpus: reading and splitting (ours, pypdfium2), the
same reading with pdfplumber for comparison, and rendering the page images as a build does.

    .venv/bin/python -m bench.pdf_ingest --split test
    .venv/bin/python -m bench.pdf_ingest --split dev --limit 40

Accuracy is scored by `bench.segment_score --extractor pdf` (beside the text extractors); this
script measures time and bytes. Times are wall milliseconds per page in this process, one page
at a time; the ratios between the columns are what carries over to another machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.segment_score import DEFAULT_CORPUS, SPLITS, load_truths
from newsarchive import pageimages
from newsarchive.pdf import read_pdf, split_pdf_page


def read_with_pdfplumber(path: Path) -> int:
    """What PDF ingest reads of a page (characters with size and position, drawn rectangles),
    read with pdfplumber instead: the figure pypdfium2 was chosen against."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return len(page.chars) + len(page.rects) + len(page.lines)


def measure_page(path: Path, work: Path) -> dict:
    start = time.perf_counter()
    page = read_pdf(path)[0]
    split_pdf_page(page)
    ingest_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    read_with_pdfplumber(path)
    plumber_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    facts = pageimages.pdf_facts(path, pageimages.PdfMemo())
    shown = pageimages.pdf_page(path.name, 1, facts)
    written = pageimages.render_page(path, shown, work)
    render_ms = (time.perf_counter() - start) * 1000
    # The narrowest and the widest image (600 and 1,200 px; one narrower image for a page too
    # long for WebP at those widths).
    sizes = {label: ((work / Path(image.path).name).stat().st_size, image.width)
             for label, image in (("600", shown.images[0]), ("1200", shown.images[-1]))}
    return {"ingest_ms": ingest_ms, "pdfplumber_ms": plumber_ms, "render_ms": render_ms,
            "bytes": sizes, "height_pt": page.height, "width_pt": page.width,
            "written": len(written)}


def summary(rows: list[dict]) -> str:
    def stats(values: list[float]) -> str:
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
        return f"median {statistics.median(ordered):7.1f}  mean {statistics.fmean(ordered):7.1f}  p95 {p95:7.1f}"

    lines = [f"pages: {len(rows)}",
             f"ingest (read + split, pypdfium2) ms/page:  {stats([r['ingest_ms'] for r in rows])}",
             f"pdfplumber, reading alone ms/page:        {stats([r['pdfplumber_ms'] for r in rows])}",
             f"page images (render + WebP) ms/page:      {stats([r['render_ms'] for r in rows])}",
             f"ingest + images ms/page:                  "
             f"{stats([r['ingest_ms'] + r['render_ms'] for r in rows])}"]
    ratio = statistics.fmean(r["pdfplumber_ms"] for r in rows) / statistics.fmean(
        r["ingest_ms"] for r in rows)
    lines.append(f"pdfplumber reading alone / our read + split: {ratio:.2f}x")
    for width in ("600", "1200"):
        kb = [r["bytes"][width][0] / 1024 for r in rows]
        per_a3 = [r["bytes"][width][0] / 1024 * 1191 / max(r["height_pt"] * 842 / r["width_pt"], 1)
                  for r in rows]
        narrower = sum(r["bytes"][width][1] < int(width) for r in rows)
        over = sum(r["bytes"]["1200"][0] > pageimages.BUDGET for r in rows)
        lines.append(f"image {width:>4} px KB/page:                  {stats(kb)}"
                     f"  (per A3-shaped area: median {statistics.median(per_a3):.1f}; "
                     f"{narrower} pages too long for this width)")
    lines.append(f"pages whose largest image is over the {pageimages.BUDGET:,}-byte budget: {over}")
    heights = [r["height_pt"] / r["width_pt"] for r in rows]
    lines.append(f"page height / width: median {statistics.median(heights):.2f} "
                 f"(A3: 1.41): corpus pages are long strips")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_ingest", description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="page corpus folder with NAME.pdf and NAME.truth.json (default %(default)s)")
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="test",
                        help="which pages to measure (default test)")
    parser.add_argument("--limit", type=int, help="measure only the first N pages of the split")
    args = parser.parse_args(argv)
    truths = [t for t in load_truths(args.corpus)
              if args.split == "all" or t["split"] == args.split][: args.limit]
    paths = [args.corpus / f"{t['name']}.pdf" for t in truths]
    paths = [p for p in paths if p.exists()]
    if not paths:
        print(f"no PDFs in {args.corpus}: generate the corpus first (python -m bench.pagecorpus)",
              file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as work:
        rows = [measure_page(path, Path(work)) for path in paths]
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
