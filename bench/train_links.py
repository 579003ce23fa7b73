"""Fit the learned story-break model (`newsarchive/segment/link_model.json`) on the page
corpus's dev split.

    .venv/bin/python -m bench.train_links                 # fit, report, write the model
    .venv/bin/python -m bench.train_links --dry-run

An example is a pair of text blocks the segmenter reads one right after the other, with no
headline, heading or credit between (`links.story_starts`), with its signs (`links.Blocks.signs`).
It is labelled a break when the two blocks' lines are text of two different true articles
(each block goes to the article holding most of its lines of four characters or more; pairs
where either block holds none are left out). Gradient-boosted trees (scikit-learn,
`random_state=0`: deterministic) are fitted on the pairs of `pdftotext` and `pdftotext -raw`
pages and exported as plain arrays; the threshold is the lowest whose out-of-fold precision
(pages in five folds) is at least `--precision`: a false break splits a story in two, a missed
one leaves two stories in one. Then the segmenter is scored on dev with the model written; the
test split is never read here.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from bench.learn import fit_at_precision_main, precision_parser
from bench.segment_score import norm
from newsarchive.segment import links, read_page
from newsarchive.segment.columns import in_column_order

EXTRACTORS = ("pdftotext", "raw")
MIN_LINE = 4    # shorter lines occur in too many articles to name one


def owner(item, articles: list[str]) -> int | None:
    """The true article holding most of the item's lines, or None."""
    votes: Counter = Counter()
    for line in item.lines:
        text = norm(line.text)
        if len(text) >= MIN_LINE:
            holders = [k for k, article in enumerate(articles) if text in article]
            if len(holders) == 1:
                votes[holders[0]] += 1
    return votes.most_common(1)[0][0] if votes else None


def examples(corpus: Path, truths: list[dict], extractor: str):
    """(signs, is a break, page) per pair of adjacent text blocks with known owners."""
    rows = []
    for truth in truths:
        text = (corpus / f"{truth['name']}.{extractor}.txt").read_text(encoding="utf-8")
        _, _, _, items = read_page(in_column_order(text)[0])
        articles = ["".join(norm(p) for p in a.get("paragraphs") or [])
                    for a in truth.get("articles") or []]
        pairs: list = []
        links.story_starts(items, candidates=pairs)
        for first, second, signs in pairs:
            a, b = owner(first, articles), owner(second, articles)
            if a is not None and b is not None:
                rows.append((signs, a != b, truth["name"]))
    return rows


def parse_args(argv):
    return precision_parser("python -m bench.train_links", __doc__, 0.85).parse_args(argv)


def main(argv=None) -> int:
    return fit_at_precision_main(parse_args(argv), examples, EXTRACTORS, links,
                                 ("pairs of adjacent text blocks", "two stories", "breaks"))


if __name__ == "__main__":
    sys.exit(main())
