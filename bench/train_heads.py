"""Fit the learned headline model (`newsarchive/segment/head_model.json`) on the page corpus's
dev split.

    .venv/bin/python -m bench.train_heads                 # fit, report, write the model
    .venv/bin/python -m bench.train_heads --dry-run

An example is a possible headline the rules did not take: the first 1 to 3 lines of a block
`read_items` left as text, with its signs (`head_model.head_signs`). It is labelled a headline
when every line is text of a true headline (kicker, title, subtitle or banner) and the line
under it is not. Gradient-boosted trees (scikit-learn, `random_state=0`: deterministic) are
fitted on the signs of `pdftotext` and `pdftotext -raw` pages and exported as plain arrays; the
threshold is the lowest whose out-of-fold precision (pages in five folds) is at least
`--precision`: a false headline splits a story in two, a missed one merges two. Then the
segmenter is scored on dev with the model written; the test split is never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.learn import fit_at_precision_main, precision_parser
from bench.segment_score import norm
from newsarchive.segment import head_model
from newsarchive.segment.listed import find_listed_headlines
from newsarchive.segment.columns import in_column_order
from newsarchive.segment.lines import read_items, read_lines
from newsarchive.text import han_count

EXTRACTORS = ("pdftotext", "raw")


def headline_texts(truth: dict) -> list[str]:
    out = []
    for article in truth.get("articles") or []:
        parts = [norm(article.get(name)) for name in ("kicker", "title", "subtitle")]
        out.append("".join(parts))
        out += [part for part in parts if part]
    return out + [norm(b) for b in truth.get("banners") or []]


def is_headline_text(text: str, headlines: list[str]) -> bool:
    text = norm(text).lstrip("—")
    return han_count(text) >= 2 and any(text in h for h in headlines)


def examples(corpus: Path, truths: list[dict], extractor: str):
    """(signs, is a headline, page) per possible headline the rules left."""
    rows = []
    for truth in truths:
        text = (corpus / f"{truth['name']}.{extractor}.txt").read_text(encoding="utf-8")
        lines, _ = read_lines(in_column_order(text)[0])
        listed = find_listed_headlines(lines)
        if listed:
            lines = lines[:listed[0]] + [None] * (len(lines) - listed[0])
        found: list = []
        read_items(lines, learned=False, candidates=found)
        headlines = headline_texts(truth)
        by_number = {line.number: line for line in lines if line is not None}
        for head, signs in found:
            after = by_number.get(head[-1].number + 1)
            label = all(is_headline_text(line.text, headlines) for line in head) and not (
                after is not None and is_headline_text(after.text, headlines))
            rows.append((signs, label, truth["name"]))
    return rows


def parse_args(argv):
    # A grid on dev, found exactly on pdftotext at 0.5 / 0.6 / 0.7: 30.1 / 29.5 / 29.2% (28.5%
    # without the model).
    return precision_parser("python -m bench.train_heads", __doc__, 0.5).parse_args(argv)


def main(argv=None) -> int:
    return fit_at_precision_main(parse_args(argv), examples, EXTRACTORS, head_model,
                                 ("possible headlines the rules left", "headlines", "taken"))


if __name__ == "__main__":
    sys.exit(main())
