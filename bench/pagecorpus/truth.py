"""The truth beside each page (the contract bench/segment_score.py reads) and the checks on it."""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from typing import Any

from .layout import PagePlan, Piece
from .sources import HAN_RE

# pdfminer reads some glyphs of Chromium's subset fonts as radicals: the Kangxi ones NFKC maps
# back (U+2F08 -> 人), these simplified ones it leaves alone, Kangxi 户 it would make 戶, and
# 胶 comes out as the Extension A character 㬵.
RADICAL_FOLD = str.maketrans({
    "\u2ea0": "民", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝",
    "\u2ecb": "车", "\u2ed3": "长", "\u2ed4": "门", "\u2ed8": "青", "\u2ed9": "韦",
    "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2ee2": "马", "\u2ee5": "鱼",
    "\u2ee6": "鸟", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eec": "齐", "\u2eee": "齿",
    "\u2ef0": "龙", "\u2ef3": "龟", "\u2f3e": "户", "\u2edd": "食", "\u2ee3": "骨",
    "\u2e93": "幺", "\u2ec1": "虎", "\u2ee4": "鬼", "\u2ee7": "卤", "\u3b35": "胶",
})


def split_of(name: str) -> str:
    """A third of the pages are test, fixed by the page name alone (not by seed or order)."""
    return "test" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def article_truth(piece: Piece, box: list[float]) -> dict[str, Any]:
    byline = piece.byline
    return {
        "n": piece.n,
        "title": piece.title, "kicker": piece.kicker, "subtitle": piece.subtitle,
        "byline": byline.text if byline else None,
        "reporters": list(byline.reporters) if byline else [],
        "paragraphs": list(piece.paragraphs),
        "continues": piece.continues, "continued_from": piece.continued_from,
        "box": box,
        "kinds": piece.kinds(),
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
        "articles": [article_truth(p, boxes[p.n]) for p in plan.pieces()],
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
    A fake-bold title may come out once or twice; radicals are folded to the characters they
    stand for (RADICAL_FOLD, then NFKC)."""
    folded = unicodedata.normalize("NFKC", text.translate(RADICAL_FOLD))
    extracted = Counter(HAN_RE.findall(folded))
    printed = printed_han(truth)
    return printed - extracted, extracted - printed - fake_bold_han(truth)
