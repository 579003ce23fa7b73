"""The page corpus generator (bench/pagecorpus): the committed CI set is consistent, and the
pipeline still typesets, prints and extracts pages whose truth matches what was printed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.pagecorpus.extract import EXTRACTORS
from bench.pagecorpus.truth import han_mismatch, split_of
from tests.conftest import CHROMIUM, ROOT, _need

CI_SET = ROOT / "tests" / "fixtures" / "pagecorpus"
ARTICLE_KEYS = {"n", "title", "kicker", "subtitle", "byline", "reporters", "paragraphs",
                "continues", "continued_from", "box", "kinds"}


def truths(folder: Path) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.truth.json"))]


def test_ci_set_index_lists_every_page_with_its_split():
    index = json.loads((CI_SET / "INDEX.json").read_text(encoding="utf-8"))
    pages = truths(CI_SET)
    assert pages and len(pages) == len(index["pages"]) == index["options"]["pages"]
    assert [p["name"] for p in pages] == [p["name"] for p in index["pages"]]
    for truth, listed in zip(pages, index["pages"]):
        assert truth["split"] == listed["split"] == split_of(truth["name"])
    assert {p["split"] for p in pages} == {"dev", "test"}


def test_ci_set_truth_has_the_contract_fields():
    for truth in truths(CI_SET):
        width, height = truth["size"]
        assert truth["articles"], truth["name"]
        for number, article in enumerate(truth["articles"], 1):
            assert set(article) == ARTICLE_KEYS and article["n"] == number
            x0, y0, x1, y1 = article["box"]
            assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
            assert article["title"] and article["paragraphs"]
            assert not any("\u2005" in p or p.startswith("\u3000") for p in article["paragraphs"])
            assert not (article["subtitle"] or "").startswith("——")


@pytest.mark.parametrize("extractor", ["pdftotext"])
def test_ci_set_every_printed_han_character_is_extracted(extractor: str):
    """As multisets: nothing printed is lost, nothing extracted is unrecorded, except that a
    fake-bold title may come out twice."""
    for truth in truths(CI_SET):
        text = (CI_SET / f"{truth['name']}.{EXTRACTORS[extractor]}").read_text(encoding="utf-8")
        missing, unrecorded = han_mismatch(truth, text)
        assert not missing and not unrecorded, (truth["name"], missing, unrecorded)


@pytest.mark.browser
def test_pipeline_regenerates_pages_matching_their_truth(tmp_path: Path):
    _need("chromium", Path(CHROMIUM).exists())
    _need("pdftotext", shutil.which("pdftotext") is not None)
    out = tmp_path / "corpus"
    # Its own process: the generator drives Chromium through Playwright's sync API, which refuses
    # to run in a test worker where pytest-playwright's browser tests already started a loop.
    run = subprocess.run([sys.executable, "-m", "bench.pagecorpus", "--source", "seeds",
                          "--pages", "2", "--seed", "7", "--out", str(out), "--jobs", "1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    for truth in truths(out):
        name = truth["name"]
        assert (out / f"{name}.pdf").stat().st_size > 0 and (out / f"{name}.html").exists()
        for extractor, suffix in EXTRACTORS.items():
            text = (out / f"{name}.{suffix}").read_text(encoding="utf-8")
            missing, unrecorded = han_mismatch(truth, text)
            assert not missing, (name, extractor, missing)
            assert not unrecorded, (name, extractor, unrecorded)
    assert json.loads((out / "INDEX.json").read_text(encoding="utf-8"))["options"]["seed"] == 7
    # Grown by a page: the pages made before stay as they are, the index lists all of them.
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("p000[12].*")}
    run = subprocess.run([sys.executable, "-m", "bench.pagecorpus", "--source", "seeds",
                          "--pages", "3", "--first", "3", "--seed", "7", "--out", str(out),
                          "--jobs", "1", "--extractors", "pdftotext"],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert {path.name: path.stat().st_mtime_ns for path in out.glob("p000[12].*")} == before
    index = json.loads((out / "INDEX.json").read_text(encoding="utf-8"))
    assert [page["name"] for page in index["pages"]] == ["p0001", "p0002", "p0003"]
    assert (out / "p0003.pdftotext.txt").read_text(encoding="utf-8").strip()


def test_growing_a_corpus_needs_its_earlier_pages(tmp_path: Path):
    run = subprocess.run([sys.executable, "-m", "bench.pagecorpus", "--source", "seeds",
                          "--pages", "3", "--first", "3", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "holds 0 of the 2 pages before it" in run.stderr
