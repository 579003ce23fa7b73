"""Fit the segmenter's confidence model (`newsarchive/segment/confidence.json`) on the page
corpus's dev split.

    .venv/bin/python -m bench.train_confidence            # fit, report, write the model
    .venv/bin/python -m bench.train_confidence --dry-run  # fit and report only

Each true article of a dev page is one example: the signs (`segment_features`) of the segment it
was matched to, labelled wrong unless it was found exactly with its title. The fit is
gradient-boosted trees (`bench.learn`: scikit-learn, deterministic), exported as plain arrays.
The thresholds (pages with headlines in place, pages with headlines listed apart) are chosen
on out-of-fold probabilities (pages split into folds by name), so that with the rules' certain
reasons no extractor's right articles are flagged more than `--false-flags`; the dev figures it
prints are those out-of-fold ones. The test split is never
read here: score it with `python -m bench.segment_score --split test`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from bench.learn import (
    check_export, design, dev_truths, export, fit_parser, fit_trees, out_of_fold, tree_params,
)
from bench.segment_score import score_split
from newsarchive.segment import split_with_features
from newsarchive.segment.confidence import CERTAIN_REASONS, MODEL_PATH

EXTRACTORS = ("pdftotext", "raw", "pdfminer")
MIN_RIGHT = 50    # right articles of an extractor on a kind of page for its bound to apply there


def examples(corpus: Path, truths: list[dict], extractor: str):
    """(features, wrong, flagged by a certain rule, page) per true article matched to a
    segment."""
    rows = []
    for truth in truths:
        text = (corpus / f"{truth['name']}.{extractor}.txt").read_text(encoding="utf-8")
        split, features = split_with_features(text)
        for article in score_split(text, truth, split).articles:
            if article.matched is None:
                continue
            signs = features[article.matched]
            rows.append((signs, not article.right,
                         any(signs[f"rule_{reason}"] for reason in CERTAIN_REASONS), truth["name"]))
    return rows


def rates(prob, y, rule, extractor_of, threshold, extractor, group=True):
    """(catch, false flags) of one extractor's examples in `group`."""
    sel = (extractor_of == extractor) & group
    flagged = rule[sel] | (prob[sel] > np.broadcast_to(threshold, prob.shape)[sel])
    wrong, right = y[sel] == 1, y[sel] == 0
    return (flagged[wrong].mean() if wrong.any() else 0.0,
            flagged[right].mean() if right.any() else 0.0)


def bounds(text: str) -> dict[str, float]:
    """`pdftotext=0.12,raw=0.15` as a mapping."""
    try:
        pairs = [item.split("=") for item in text.split(",") if item]
        out = {name.strip(): float(value) for name, value in pairs}
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected EXTRACTOR=SHARE,..., got {text!r}") from None
    unknown = set(out) - set(EXTRACTORS)
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown extractor {sorted(unknown)[0]!r}; "
                                         f"known: {', '.join(EXTRACTORS)}")
    return out


def parse_args(argv):
    parser = fit_parser("python -m bench.train_confidence", __doc__)
    parser.add_argument("--false-flags", type=bounds, default=bounds("pdftotext=0.14,raw=0.15"),
                        help="most right articles flagged out of fold, per extractor "
                             "(default: pdftotext=0.14,raw=0.15; the issue bounds the default "
                             "order's at 0.15)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    truths = dev_truths(args.corpus)
    if not truths:
        return 1
    rows, extractor_of = [], []
    for extractor in EXTRACTORS:
        found = examples(args.corpus, truths, extractor)
        rows += found
        extractor_of += [extractor] * len(found)
    names, x, y, folds = design(rows)
    rule = np.array([flagged for _, _, flagged, _ in rows], dtype=bool)
    extractor_of = np.array(extractor_of)

    params = tree_params(args)
    prob = out_of_fold(x, y, folds, **params)
    # Per kind of page (headlines in place, or listed after the stories), the highest catch
    # whose false flags stay within each extractor's bound on that kind.
    listed = x[:, names.index("page_listed")] == 1
    thresholds = {}
    for key, group in (("threshold", ~listed), ("threshold_listed", listed)):
        thresholds[key] = 1.0
        for candidate in np.unique(np.round(prob[group], 4))[::-1]:
            if all(rates(prob, y, rule, extractor_of, candidate, e, group)[1] <= bound
                   for e, bound in args.false_flags.items()
                   if ((extractor_of == e) & group & (y == 0)).sum() >= MIN_RIGHT):
                thresholds[key] = float(candidate)
            else:
                break
    cut = np.where(listed, thresholds["threshold_listed"], thresholds["threshold"])
    report = {}
    for extractor in EXTRACTORS:
        before = rates(prob, y, rule, extractor_of, 2.0, extractor)
        after = rates(prob, y, rule, extractor_of, cut, extractor)
        report[extractor] = {"catch": [round(before[0], 3), round(after[0], 3)],
                             "false_flags": [round(before[1], 3), round(after[1], 3)]}
        print(f"{extractor:10} dev, out of fold, certain rules -> with the model: "
              f"catch {before[0]:.1%} -> {after[0]:.1%}, "
              f"right flagged {before[1]:.1%} -> {after[1]:.1%}")

    fitted = fit_trees(x, y, **params)
    model = export(fitted, names, y, thresholds["threshold"])
    check_export(model, fitted, x, names)
    model["threshold_listed"] = thresholds["threshold_listed"]
    model["fitted_on"] = {
        "split": "dev", "pages": len(truths), "examples": len(rows),
        "extractors": list(EXTRACTORS), **params,
        "false_flag_bounds": args.false_flags, "dev_out_of_fold": report,
        "corpus": json.loads((args.corpus / "INDEX.json").read_text()).get("source_commits", {})
        if (args.corpus / "INDEX.json").exists() else {}}
    if not args.dry_run:
        MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n",
                              encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
