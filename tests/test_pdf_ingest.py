"""Ingest of PDF pages: pages made here by the page-corpus pipeline (Chromium typesets the seeds'
own articles and prints them), read back with fonts and positions, scored against the truth of
what was printed; and the PDFs ingest must refuse, by name, without losing other pages."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.segment_score import score_pdf, summarise
from newsarchive.config import load_config
from newsarchive.frontmatter import parse_article as parse_text
from newsarchive.ingest import ingest_seeds

from .conftest import CHROMIUM, ROOT, _need, run_cli
from .pdfpages import block_pdf

# Floors on pages typeset from the seeds' articles (figures on the People's Daily corpus are
# in the README); each is a little under what this set gives, so a regression fails them.
FLOORS = {"found_exactly": 0.85, "exact_title": 0.95, "exact_byline": 0.9,
          "segmentation": 0.95, "box_iou": 0.85}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    _need("chromium", Path(CHROMIUM).exists())
    _need("pdftotext", shutil.which("pdftotext") is not None)
    out = tmp_path_factory.mktemp("pdfcorpus")
    # Its own process: Playwright's sync API refuses to run where an event loop already runs.
    run = subprocess.run([sys.executable, "-m", "bench.pagecorpus", "--source", "seeds",
                          "--pages", "8", "--seed", "5", "--out", str(out), "--jobs", "1",
                          "--extractors", "pdftotext"],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr
    return out


def truths(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.truth.json"))]


def test_pdf_pages_come_out_as_printed(corpus):
    scores = [score_pdf(corpus / f"{t['name']}.pdf", t) for t in truths(corpus)]
    summary = summarise(scores)
    assert summary["articles"] >= 30
    for key, floor in FLOORS.items():
        assert summary[key]["value"] >= floor, (key, summary[key])
    assert summary["conservation"]["value"] == 1.0
    assert summary["interleaved_bodies"]["count"] == 0 and summary["spurious_spaces"]["count"] == 0


@pytest.fixture
def pdf_seeds(tmp_path, corpus) -> Path:
    """A site whose seeds are two of the corpus's PDFs and one page text."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "seeds", site / "seeds")
    for path in (site / "seeds").glob("*"):
        if path.name not in ("000_ef5b354f55f1070d.txt",):
            path.unlink()
    names = [t["name"] for t in truths(corpus)][:2]
    for name in names:
        shutil.copy(corpus / f"{name}.pdf", site / "seeds" / f"{name}.pdf")
    (site / "seeds" / "manifest.yaml").write_text(yaml.safe_dump({"pages": {
        f"{names[0]}.pdf": {"date": "2024-12-20", "page": "A02"},
        f"{names[1]}.pdf": {"date": "2024-12-21", "page": "A03"}}}), encoding="utf-8")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    return site


def parse_article(path: Path):
    return parse_text(path.read_text(encoding="utf-8"), path)


def ingest(site: Path):
    return ingest_seeds(load_config(site / "site.yaml"), site / "seeds", site / "content",
                        quiet=True)


def test_ingest_writes_pdf_articles_with_their_page_and_areas(pdf_seeds, corpus):
    report = ingest(pdf_seeds)
    assert not report.failed
    content = pdf_seeds / "content"
    pdf_articles = []
    for path in sorted(content.glob("*.md")):
        article = parse_article(path)
        if article.source.file.endswith(".pdf"):
            pdf_articles.append(article)
    assert len(pdf_articles) >= 4
    for article in pdf_articles:
        truth = json.loads((corpus / article.source.file.replace(".pdf", ".truth.json"))
                           .read_text(encoding="utf-8"))
        width, height = truth["size"]
        assert article.source.page == 1 and article.page in ("A02", "A03")
        assert article.date.isoformat() in ("2024-12-20", "2024-12-21")
        for x0, y0, x1, y1 in article.source.page_box:
            assert 0 <= x0 < x1 <= width + 1 and 0 <= y0 < y1 <= height + 1
    for name in {a.source.file for a in pdf_articles}:
        assert (content / "sources" / name).read_bytes() == (pdf_seeds / "seeds" / name).read_bytes()
    # Re-ingest reproduces every file; a hand edit of a PDF article survives it.
    edited = content / f"{pdf_articles[0].id}.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补记一句。\n", encoding="utf-8")
    again = ingest(pdf_seeds)
    assert again.kept == [edited.name] and not again.new and not again.updated
    assert edited.read_text(encoding="utf-8").endswith("补记一句。\n")


def test_a_multi_page_pdf_gives_consecutive_pages(tmp_path, corpus):
    import pypdfium2 as pdfium

    names = [t["name"] for t in truths(corpus)][:2]
    joined = pdfium.PdfDocument.new()
    for name in names:
        joined.import_pages(pdfium.PdfDocument(str(corpus / f"{name}.pdf")))
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    buffer = io.BytesIO()
    joined.save(buffer)
    (site / "seeds" / "issue.pdf").write_bytes(buffer.getvalue())
    (site / "seeds" / "manifest.yaml").write_text(
        "pages:\n  issue.pdf: {date: 2024-12-20, page: A07}\n", encoding="utf-8")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    ingest(site)
    articles = [parse_article(p) for p in sorted((site / "content").glob("*.md"))]
    assert {(a.source.page, a.page) for a in articles} == {(1, "A07"), (2, "A08")}
    assert len({a.id for a in articles}) == len(articles)


def scanned_pdf() -> bytes:
    """A page that is only an image: what a scanner makes."""
    import pypdfium2 as pdfium
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(595, 842)
    image = pdfium.PdfImage.new(pdf)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(Image.new("RGB", (60, 80), (250, 250, 240))))
    image.set_matrix(pdfium.PdfMatrix().scale(595, 842))
    page.insert_obj(image)
    page.gen_content()
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def encrypted_pdf(corpus: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(next(corpus.glob("*.pdf"))))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("kind, message", [
    ("scan", "no text layer (a scanned image); OCR is not part of ingest"),
    ("encrypted", "the PDF is encrypted"),
    ("damaged", "not a readable PDF"),
    ("oversize", "over the 14400 pt a PDF page can have"),
])
def test_an_unreadable_pdf_is_refused_by_name_and_costs_no_other_page(pdf_seeds, corpus, capsys,
                                                                      kind, message):
    data = {"scan": scanned_pdf, "encrypted": lambda: encrypted_pdf(corpus),
            "damaged": lambda: next(corpus.glob("*.pdf")).read_bytes()[:2000],
            "oversize": lambda: block_pdf([(20000, 300, [(10, 10, 50, 50)])])}[kind]()
    bad = pdf_seeds / "seeds" / "zz-bad.pdf"
    bad.write_bytes(data)
    status = run_cli("--config", str(pdf_seeds / "site.yaml"), "-q", "ingest")
    err = capsys.readouterr().err
    assert status == 1
    assert f"error: {bad}: " in err and message in err and "Traceback" not in err
    written = [parse_article(p).source.file for p in (pdf_seeds / "content").glob("*.md")]
    assert "000_ef5b354f55f1070d.txt" in written and sum(f.endswith(".pdf") for f in written) >= 4
    assert not (pdf_seeds / "content" / "sources" / "zz-bad.pdf").exists()


def test_a_page_set_without_rules_and_a_story_in_two_blocks(tmp_path, browser):
    """Another typesetter's page (tests/pdfpages.py: stories in absolutely placed boxes, no
    rules, two stories side by side under one row, a story continued in a block of its own):
    every story found under its own headline, the continued one with an area per block, each
    area starting at its printed box's corner and inside it (the text need not fill the box:
    its columns fill one after another)."""
    from .pdfpages import PRINTED, newspaper_pdf

    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "xnwb.pdf").write_bytes(newspaper_pdf(browser))
    (site / "seeds" / "manifest.yaml").write_text(
        "pages:\n  xnwb.pdf: {date: 2024-12-30, page: A01}\n", encoding="utf-8")
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    ingest(site)
    articles = sorted((parse_article(p) for p in (site / "content").glob("*.md")),
                      key=lambda a: (a.source.page, a.id))
    assert [a.title for a in articles] == [p.title for p in PRINTED]
    for article, printed in zip(articles, PRINTED):
        assert len(article.source.page_box) == len(printed.page_box), article.title
        for got, want in zip(article.source.page_box, printed.page_box):
            inside = all(abs(g - w) <= 3 or (g > w) == (i < 2) for i, (g, w) in
                         enumerate(zip(got, want)))
            corner = abs(got[0] - want[0]) <= 3 and abs(got[1] - want[1]) <= 3
            assert inside and corner, (article.title, got, want)
