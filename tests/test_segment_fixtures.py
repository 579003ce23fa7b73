"""Pages never seen by the segmenter's author: each synthetic page in tests/fixtures/pages/
against its truth file (what a reader would check, article by article)."""

import re
from pathlib import Path

import pytest
import yaml

from newsarchive.segment import account_han, split_page
from newsarchive.text import ends_sentence

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
NAMES = sorted(path.stem for path in PAGES.glob("*.txt"))
# A space between two Han characters: no body on these pages has a real one (a headline may:
# `扛牢责任 真抓实干`; the truth files give headlines exactly).
CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000][\u4e00-\u9fff]")


def load(name: str) -> tuple[str, dict]:
    text = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
    truth = yaml.safe_load((PAGES / f"{name}.yaml").read_text(encoding="utf-8"))
    return text, truth


def differences(text: str, truth: dict) -> list[str]:
    """Every way the split of a page differs from its truth file, as readable lines."""
    split = split_page(text)
    wanted = truth["articles"]
    found = []
    for segment in split.segments:
        blocks = segment.body.split("\n\n")
        paragraphs = [block for block in blocks if not block.startswith("## ")]
        found.append({
            "title": segment.title, "kicker": segment.kicker, "subtitle": segment.subtitle,
            "byline": segment.byline, "reporters": segment.reporters,
            "first": paragraphs[0] if paragraphs else "", "paragraphs": len(paragraphs),
            "headings": [block[3:] for block in blocks if block.startswith("## ")],
            "continued_from": segment.continued_from, "continues": segment.continues,
            "open": [p[-12:] for p in paragraphs if not ends_sentence(p)],
            "spaces": CJK_SPACE_CJK.findall(segment.body),
        })
    problems = []
    if len(found) != len(wanted):
        problems.append(f"{len(found)} articles, expected {len(wanted)}: "
                        f"{[article['title'] for article in found]}")
    for index, (want, got) in enumerate(zip(wanted, found)):
        for key, value in want.items():
            if key == "title" and value is None:
                continue   # a continued story's headline is printed on another page
            if key == "first":
                if not got["first"].startswith(value):
                    problems.append(f"article {index}: body starts {got['first'][:20]!r}")
            elif got[key] != value:
                problems.append(f"article {index}: {key} {got[key]!r}, expected {value!r}")
        for key in ("open", "spaces"):
            if got[key]:
                problems.append(f"article {index}: {key} {got[key]}")
    accounted, total, lines = account_han(text, split)
    if accounted != total:
        problems.append(f"{total - accounted} Han characters unaccounted, lines {lines}")
    kinds = {artifact.kind for artifact in split.artifacts}
    problems += [f"no {kind} artifact" for kind in truth.get("artifacts", []) if kind not in kinds]
    return problems


def test_there_are_enough_fixture_pages():
    assert len(NAMES) >= 8
    assert all((PAGES / f"{name}.yaml").exists() for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_page_splits_as_printed(name):
    text, truth = load(name)
    assert differences(text, truth) == []
