"""What the fitting scripts share (`train_confidence.py`, `train_heads.py`): pages split into
folds by name, gradient-boosted trees (scikit-learn, `random_state=0`: deterministic) and their
export to the plain arrays `newsarchive.segment.trees.TreeModel` reads."""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from bench.segment_score import DEFAULT_CORPUS, load_truths, score_page, summarise

FOLDS = 5


def fit_parser(prog: str, doc: str) -> argparse.ArgumentParser:
    """The options every fitting script takes: the corpus, the trees' size, `--dry-run`."""
    parser = argparse.ArgumentParser(prog=prog, description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS,
                        help="page corpus with truth (default: %(default)s)")
    parser.add_argument("--trees", type=int, default=150, help="trees (default: 150)")
    parser.add_argument("--depth", type=int, default=3, help="depth of a tree (default: 3)")
    parser.add_argument("--rate", type=float, default=0.1, help="learning rate (default: 0.1)")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    return parser


def precision_parser(prog: str, doc: str, precision: float) -> argparse.ArgumentParser:
    """`fit_parser` with the out-of-fold precision a model's threshold must reach (the scripts
    that run `fit_at_precision_main`), `precision` by default."""
    parser = fit_parser(prog, doc)
    parser.add_argument("--precision", type=float, default=precision,
                        help=f"out-of-fold precision the threshold must reach (default: {precision})")
    return parser


def tree_params(args: argparse.Namespace) -> dict:
    return {"trees": args.trees, "depth": args.depth, "rate": args.rate}


def dev_truths(corpus: Path) -> list[dict]:
    """The dev split's truths; none (and a line saying what to run) without a corpus."""
    truths = [t for t in load_truths(corpus) if t.get("split") == "dev"]
    if not truths:
        print(f"no dev pages in {corpus}: run `python -m bench.pagecorpus` first",
              file=sys.stderr)
    return truths


def fold_of(page: str) -> int:
    """The fold of a page: fixed by its name, so every run splits the same way."""
    return zlib.crc32(page.encode()) % FOLDS


def design(rows: list[tuple]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """(sign names, signs, labels, folds) of examples given as (signs, label, ..., page)."""
    names = sorted(rows[0][0])
    x = np.array([[row[0][name] for name in names] for row in rows], dtype=float)
    y = np.array([row[1] for row in rows], dtype=float)
    folds = np.array([fold_of(row[-1]) for row in rows])
    return names, x, y, folds


def fit_trees(x: np.ndarray, y: np.ndarray, trees: int = 150, depth: int = 3,
              rate: float = 0.1):
    from sklearn.ensemble import GradientBoostingClassifier
    return GradientBoostingClassifier(n_estimators=trees, max_depth=depth, learning_rate=rate,
                                      random_state=0).fit(x, y)


def out_of_fold(x: np.ndarray, y: np.ndarray, folds: np.ndarray, **params) -> np.ndarray:
    """Each example's probability from trees fitted on the other folds' pages."""
    prob = np.zeros(len(y))
    for k in range(FOLDS):
        held = folds == k
        if held.any():
            prob[held] = fit_trees(x[~held], y[~held], **params).predict_proba(x[held])[:, 1]
    return prob


def export(fitted, names: list[str], y: np.ndarray, threshold: float) -> dict:
    """The fitted ensemble as plain arrays (`TreeModel.from_json`)."""
    prior = float(np.log(y.mean() / (1 - y.mean())))
    trees = []
    for (estimator,) in fitted.estimators_:
        tree = estimator.tree_
        trees.append({"feature": [int(f) for f in tree.feature],
                      "threshold": [float(t) for t in tree.threshold],
                      "left": [int(n) for n in tree.children_left],
                      "right": [int(n) for n in tree.children_right],
                      "value": [float(v) for v in tree.value[:, 0, 0]]})
    return {"names": names, "prior": prior, "rate": float(fitted.learning_rate), "trees": trees,
            "threshold": threshold}


def check_export(model: dict, fitted, x: np.ndarray, names: list[str]) -> None:
    """The exported arrays must give scikit-learn's probabilities."""
    from newsarchive.segment.trees import TreeModel
    shipped = TreeModel.from_json(model)
    sample = x[:500]
    ours = np.array([shipped.probability(dict(zip(names, row))) for row in sample])
    if not np.allclose(ours, fitted.predict_proba(sample)[:, 1], atol=1e-9):
        raise AssertionError("the exported trees do not give scikit-learn's probabilities")


def precision_threshold(prob: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold above which at least `precision` of the examples are positive
    (1.0 where none is)."""
    threshold = 1.0
    for candidate in np.unique(np.round(prob, 4))[::-1]:
        taken = prob > candidate
        if taken.sum() and y[taken].mean() >= precision:
            threshold = float(candidate)
    return threshold


def taken_figures(y: np.ndarray, taken: np.ndarray) -> dict:
    """How many examples a threshold takes, and their precision and recall."""
    return {"taken": int(taken.sum()),
            "precision": round(float(y[taken].mean()), 4) if taken.any() else 0.0,
            "recall": round(float((taken & (y == 1)).sum() / max(1, y.sum())), 4)}


def dev_scores(corpus: Path, truths: list[dict], extractors) -> dict[str, tuple]:
    """Dev found-exactly, titles and segmentation per extractor with the models on disk."""
    out = {}
    for extractor in extractors:
        pages = [score_page((corpus / f"{t['name']}.{extractor}.txt").read_text(encoding="utf-8"),
                            t) for t in truths]
        summary = summarise(pages)
        out[extractor] = (summary["found_exactly"]["value"], summary["exact_title"]["value"],
                          summary["segmentation"]["value"])
    return out


def write_scored(path: Path, model: dict, forget, corpus: Path, truths: list[dict],
                 extractors) -> None:
    """Write the model, score dev with it (`forget` clears the segmenter's cached copy), and
    write it again with those figures."""
    path.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    forget()
    scores = dev_scores(corpus, truths, extractors)
    model["fitted_on"]["dev_with_model"] = {e: [round(v, 4) for v in s] for e, s in scores.items()}
    path.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    for extractor, (found, title, seg) in scores.items():
        print(f"{extractor:10} dev with the model: found exactly {found:.1%}, titles {title:.1%}, "
              f"segmentation {seg:.3f}")
    print(f"wrote {path}")


def fit_at_precision(rows: list[tuple], args: argparse.Namespace, pages: int, extractors,
                     examples: str, positives: str, taken_as: str) -> dict:
    """Fit trees on the examples and export them with the threshold where their out-of-fold
    precision reaches `args.precision`, printing what it takes (`examples`, `positives`,
    `taken_as` name them in the line printed)."""
    names, x, y, folds = design(rows)
    params = tree_params(args)
    prob = out_of_fold(x, y, folds, **params)
    threshold = precision_threshold(prob, y, args.precision)
    taken = prob > threshold
    figures = taken_figures(y, taken)
    from sklearn.metrics import average_precision_score, roc_auc_score
    figures["auc"] = round(float(roc_auc_score(y, prob)), 4)
    figures["average_precision"] = round(float(average_precision_score(y, prob)), 4)
    print(f"{len(rows)} {examples}, {int(y.sum())} of them {positives}; out of fold at "
          f"{threshold:.3f}: {figures['taken']} {taken_as}, precision {figures['precision']:.1%}, "
          f"recall {figures['recall']:.1%}; AUC {figures['auc']:.4f}, average precision "
          f"{figures['average_precision']:.3f}")
    fitted = fit_trees(x, y, **params)
    model = export(fitted, names, y, threshold)
    check_export(model, fitted, x, names)
    model["fitted_on"] = {"split": "dev", "pages": pages, "examples": len(rows),
                          "extractors": list(extractors), "trees": args.trees,
                          "depth": args.depth, "precision_bound": args.precision,
                          "out_of_fold": figures}
    return model


def fit_at_precision_main(args: argparse.Namespace, examples, extractors, model_module,
                          wording: tuple[str, str, str]) -> int:
    """A fitting script's whole run for a model thresholded at a precision: the dev split's
    examples (`examples(corpus, truths, extractor)` per extractor), the fit, and unless
    `--dry-run` the model written beside `model_module` and scored on dev. `wording` names the
    examples, the positive ones and those taken, in the line printed."""
    truths = dev_truths(args.corpus)
    if not truths:
        return 1
    rows = [row for extractor in extractors for row in examples(args.corpus, truths, extractor)]
    model = fit_at_precision(rows, args, len(truths), extractors, *wording)
    if args.dry_run:
        return 0
    write_scored(model_module.MODEL_PATH, model, model_module.shipped_model.cache_clear,
                 args.corpus, truths, extractors)
    return 0
