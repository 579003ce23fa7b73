"""The truth beside each page (the contract bench/segment_score.py reads) and the checks on it."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from newsarchive.text import fold_radicals

from .layout import PagePlan, Piece
from .sources import HAN_RE



def split_of(name: str) -> str:
    """A third of the pages are test, fixed by the page name alone (not by seed or order)."""
    return "test" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def article_truth(piece: Piece, box: list[float], tight: bool = False) -> dict[str, Any]:
    byline = piece.byline
    return {
        "n": piece.n,
        "title": piece.title, "kicker": piece.kicker, "subtitle": piece.subtitle,
        "byline": byline.text if byline else None,
        "reporters": list(byline.reporters) if byline else [],
        "paragraphs": list(piece.paragraphs),
        "continues": piece.continues, "continued_from": piece.continued_from,
        "box": box,
        "kinds": piece.kinds() + (["tight-columns"] if tight else []),
    }


def page_truth(plan: PagePlan, boxes: dict[int, list[float]], size: list[float]) -> dict[str, Any]:
    return {
        "name": plan.name,
        "split": split_of(plan.name),
        "source": plan.origin,
        "date": plan.date,
        "date_printed": plan.date_printed,
        "page_label": plan.page_label,
        "size": size,
        "layout": {"columns": plan.columns},
        "articles": [article_truth(p, boxes[p.n], plan.style.tight) for p in plan.pieces()],
        "banners": plan.banners(),
        "furniture": plan.furniture,
        "captions": plan.captions(),
    }


def printed_han(truth: dict[str, Any]) -> Counter[str]:
    """Every Han character the truth says was printed, with multiplicity."""
    texts = [*truth["banners"], *truth["furniture"], *truth["captions"]]
    for article in truth["articles"]:
        texts += [article["title"], article["kicker"] or "", article["subtitle"] or "",
                  article["byline"] or "", *article["paragraphs"]]
        if article["continues"]:
            texts.append(f"下转第{article['continues']}版")
        if article["continued_from"]:
            texts.append(f"上接第{article['continued_from']}版")
    return Counter(HAN_RE.findall("".join(texts)))


def fake_bold_han(truth: dict[str, Any]) -> Counter[str]:
    """Han characters drawn a second time: titles set in fake bold."""
    return Counter(HAN_RE.findall("".join(
        a["title"] for a in truth["articles"]
        if {"fake-bold-run", "fake-bold-interleave"} & set(a["kinds"]))))


def han_mismatch(truth: dict[str, Any], text: str) -> tuple[Counter[str], Counter[str]]:
    """(printed but not extracted, extracted but never printed); both empty for a sound page.
    A fake-bold title may come out once or twice; radicals are folded as ingest folds them.
    pdfminer also reads 胶 as the Extension A character 㬵 (one glyph of the subset font): a real
    character, so ingest keeps it, but it was never printed here."""
    folded = fold_radicals(text).replace("\u3b35", "胶")
    extracted = Counter(HAN_RE.findall(folded))
    printed = printed_han(truth)
    return printed - extracted, extracted - printed - fake_bold_han(truth)
