"""Fit the segmenter's confidence model (`newsarchive/segment/confidence.json`) on the page
corpus's dev split.

    .venv/bin/python -m bench.train_confidence            # fit, report, write the model
    .venv/bin/python -m bench.train_confidence --dry-run  # fit and report only

Each true article of a dev page is one example: the signs (`segment_features`) of the segment it
was matched to, labelled wrong unless it was found exactly with its title. The fit is a
logistic regression by Newton's method on standardised signs with an L2 penalty: deterministic,
no random start. The threshold is chosen on out-of-fold probabilities (pages split into folds by
name), so that with the rules' own flags no extractor's right articles are flagged more than
`--false-flags`; the dev figures it prints are those out-of-fold ones. The test split is never
read here: score it with `python -m bench.segment_score --split test`.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from bench.segment_score import DEFAULT_CORPUS, load_truths, score_split
from newsarchive.segment import split_with_features
from newsarchive.segment.confidence import CERTAIN_REASONS, MODEL_PATH

EXTRACTORS = ("pdftotext", "raw", "pdfminer")
FOLDS = 5
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


def fit(x: np.ndarray, y: np.ndarray, penalty: float) -> tuple[np.ndarray, float]:
    """Logistic regression weights and bias, by Newton's method (L2 on the weights only)."""
    n, d = x.shape
    a = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    ridge = np.full(d + 1, penalty)
    ridge[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + ridge * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(ridge) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def fold_of(page: str) -> int:
    return zlib.crc32(page.encode()) % FOLDS


def standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    return mean, scale


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: np.ndarray, penalty: float) -> np.ndarray:
    prob = np.zeros(len(y))
    for k in range(FOLDS):
        train, held = folds != k, folds == k
        mean, scale = standardise(x[train])
        w, b = fit((x[train] - mean) / scale, y[train], penalty)
        prob[held] = 1 / (1 + np.exp(-np.clip(((x[held] - mean) / scale) @ w + b, -30, 30)))
    return prob


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
    parser = argparse.ArgumentParser(
        prog="python -m bench.train_confidence", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="page corpus with truth (default: %(default)s)")
    parser.add_argument("--false-flags", type=bounds, default=bounds("pdftotext=0.12,raw=0.15"),
                        help="most right articles flagged out of fold, per extractor "
                             "(default: pdftotext=0.12,raw=0.15; the issue bounds the default "
                             "order's at 0.15)")
    parser.add_argument("--penalty", type=float, default=1.0, help="L2 weight (default: 1)")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    truths = [t for t in load_truths(args.corpus) if t.get("split") == "dev"]
    if not truths:
        print(f"no dev pages in {args.corpus}: run `python -m bench.pagecorpus` first",
              file=sys.stderr)
        return 1
    rows, extractor_of = [], []
    for extractor in EXTRACTORS:
        found = examples(args.corpus, truths, extractor)
        rows += found
        extractor_of += [extractor] * len(found)
    names = sorted(rows[0][0])
    x = np.array([[features[name] for name in names] for features, *_ in rows], dtype=float)
    y = np.array([wrong for _, wrong, _, _ in rows], dtype=float)
    rule = np.array([flagged for _, _, flagged, _ in rows], dtype=bool)
    folds = np.array([fold_of(page) for *_, page in rows])
    extractor_of = np.array(extractor_of)

    prob = out_of_fold(x, y, folds, args.penalty)
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

    mean, scale = standardise(x)
    w, b = fit((x - mean) / scale, y, args.penalty)
    for name, weight in sorted(zip(names, w), key=lambda pair: -abs(pair[1]))[:10]:
        print(f"  {weight:+.2f}  {name}")
    model = {
        "names": names, "mean": [round(v, 6) for v in mean], "scale": [round(v, 6) for v in scale],
        "weights": [round(v, 6) for v in w], "bias": round(b, 6), **thresholds,
        "fitted_on": {"split": "dev", "pages": len(truths), "examples": len(rows),
                      "extractors": list(EXTRACTORS), "penalty": args.penalty,
                      "false_flag_bound": args.false_flags, "dev_out_of_fold": report,
                      "corpus": json.loads((args.corpus / "INDEX.json").read_text())
                      .get("sources", {}) if (args.corpus / "INDEX.json").exists() else {}},
    }
    if not args.dry_run:
        MODEL_PATH.write_text(json.dumps(model, ensure_ascii=False, indent=1) + "\n",
                              encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
