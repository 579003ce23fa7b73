"""Reading the printed PDF back: the three extractors whose output the segmenter has to cope with."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

# name -> the suffix of the text file written beside the PDF
EXTRACTORS: dict[str, str] = {
    "pdftotext": "pdftotext.txt",   # pdftotext -enc UTF-8 (its default reading order)
    "raw": "raw.txt",               # pdftotext -raw -enc UTF-8 (content-stream order)
    "pdfminer": "pdfminer.txt",     # pdfplumber page.extract_text() (pdfminer.six underneath)
}


def run_pdftotext(pdf: Path, out: Path, *flags: str) -> None:
    subprocess.run(["pdftotext", *flags, "-enc", "UTF-8", str(pdf), str(out)], check=True)


def run_pdfplumber(pdf: Path, out: Path) -> int:
    """Write page 1's text; return the number of pages (a sized page must be exactly one)."""
    import pdfplumber   # only the corpus generator needs it: `pip install -e '.[bench]'`

    # Chromium's subset fonts have no FontBBox; pdfminer warns once per glyph run.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)

    with pdfplumber.open(pdf) as document:
        out.write_text(document.pages[0].extract_text() or "", encoding="utf-8")
        return len(document.pages)


def extract_page(pdf: Path, extractors: tuple[str, ...]) -> str:
    """Write `NAME.<extractor>.txt` beside `NAME.pdf` for each extractor; return the page name.

    Runs in a worker process: arguments and result are plain picklable values."""
    stem = pdf.with_suffix("")
    for name in extractors:
        out = Path(f"{stem}.{EXTRACTORS[name]}")
        if name == "pdftotext":
            run_pdftotext(pdf, out)
        elif name == "raw":
            run_pdftotext(pdf, out, "-raw")
        else:
            pages = run_pdfplumber(pdf, out)
            if pages != 1:
                raise RuntimeError(f"{pdf} has {pages} pages; its height was measured too short")
    return stem.name
