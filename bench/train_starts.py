"""Fit the learned story-start model for pages whose headlines were listed apart
(`newsarchive/segment/start_model.json`) on the page corpus's dev split.

    .venv/bin/python -m bench.train_starts                 # fit, report, write the model
    .venv/bin/python -m bench.train_starts --dry-run

An example is a place where the segmenter may start a story in such a page's stream of text
(`listed._start_bonuses`), with its signs (`starts.StartSigns.signs`). It is labelled a start
when the nearest lines before it and after it that name one true article (four characters or
more, found in one article's text only; up to three lines each way) name two different ones;
places with no such line on either side are left out. Gradient-boosted trees (scikit-learn,
`random_state=0`: deterministic) are fitted on the places of `pdftotext` and `pdftotext -raw`
pages (only pages whose headlines were listed have any) and exported as plain arrays, with
the threshold whose out-of-fold precision (pages in five folds) is at least `--precision`,
which is reported (the cutting weighs the model's log-odds, not a yes or no: see
`listed.START_WEIGHT`). Then the segmenter is scored on dev with the model written; the test
split is never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.learn import fit_at_precision_main, precision_parser
from bench.segment_score import norm
from newsarchive.segment import split_with_features, starts

EXTRACTORS = ("pdftotext", "raw")
MIN_LINE = 4    # shorter lines occur in too many articles to name one


def owner(lines, articles: list[str]) -> int | None:
    """The one true article holding the first of `lines` that names one, or None."""
    for line in lines:
        text = norm(line.text)
        if len(text) >= MIN_LINE:
            holders = [k for k, article in enumerate(articles) if text in article]
            if len(holders) == 1:
                return holders[0]
    return None


def examples(corpus: Path, truths: list[dict], extractor: str):
    """(signs, is a start, page) per possible start with known owners on both sides."""
    rows = []
    for truth in truths:
        text = (corpus / f"{truth['name']}.{extractor}.txt").read_text(encoding="utf-8")
        articles = ["".join(norm(p) for p in a.get("paragraphs") or [])
                    for a in truth.get("articles") or []]
        places: list = []
        split_with_features(text, start_candidates=places)
        for before, after, signs in places:
            a, b = owner(reversed(before), articles), owner(after, articles)
            if a is not None and b is not None:
                rows.append((signs, a != b, truth["name"]))
    return rows


def parse_args(argv):
    return precision_parser("python -m bench.train_starts", __doc__, 0.8).parse_args(argv)


def main(argv=None) -> int:
    return fit_at_precision_main(parse_args(argv), examples, EXTRACTORS, starts,
                                 ("possible story starts", "true starts", "starts"))


if __name__ == "__main__":
    sys.exit(main())
