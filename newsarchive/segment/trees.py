"""The segmenter's learned models as they are shipped: small ensembles of regression trees
(gradient boosting, fitted in `bench/` with scikit-learn) stored as plain arrays in JSON and
evaluated here, so that neither scikit-learn nor numpy is needed to read a page.

A page asks its models tens of thousands of times; walking 150 trees node by node in Python was
a sixth of the time of splitting a page. Each model is therefore read once into Python source,
one nested conditional expression per tree, and compiled: the same comparisons, the same
leaves, summed exactly as before (`math.fsum`), so the probabilities are bit for bit the same.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Tree:
    """One regression tree: node i splits on `feature[i]` at `threshold[i]` (left when the
    value is at most it) or, where `left[i]` is -1, is a leaf worth `value[i]`."""

    feature: tuple[int, ...]
    threshold: tuple[float, ...]
    left: tuple[int, ...]
    right: tuple[int, ...]
    value: tuple[float, ...]

    def expression(self, node: int = 0) -> str:
        """The tree as a Python expression over the list `x` of signs."""
        if self.left[node] == -1:
            return _literal(self.value[node])
        return (f"({self.expression(self.left[node])} "
                f"if x[{self.feature[node]}] <= {_literal(self.threshold[node])} "
                f"else {self.expression(self.right[node])})")


def _literal(number: float) -> str:
    """A float as source that reads back as the same float (repr does, but for inf and nan)."""
    number = float(number)
    return repr(number) if math.isfinite(number) else f"float({str(number)!r})"


@dataclass(frozen=True)
class TreeModel:
    names: tuple[str, ...]
    prior: float              # log-odds before any tree
    rate: float               # each tree's learning rate
    trees: tuple[Tree, ...]
    threshold: float          # take a headline where its probability is above this

    def probability(self, signs: dict[str, float]) -> float:
        z = self.prior + self.rate * math.fsum(self.leaves([signs[name] for name in self.names]))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    @cached_property
    def leaves(self):
        """x -> the list of each tree's leaf value for the signs x (in `names` order)."""
        source = "lambda x: [" + ", ".join(tree.expression() for tree in self.trees) + "]"
        return eval(compile(source, "<trees>", "eval"), {"__builtins__": {"float": float}})

    @classmethod
    def from_json(cls, data: dict) -> TreeModel:
        trees = tuple(Tree(*(tuple(tree[key]) for key in ("feature", "threshold", "left",
                                                             "right", "value")))
                      for tree in data["trees"])
        return cls(names=tuple(data["names"]), prior=data["prior"], rate=data["rate"],
                   trees=trees, threshold=data["threshold"])


def read_model(path: Path, kind):
    """The fitted model `kind.from_json` makes of the JSON at `path`, or None before its
    fitting script has written one."""
    if not path.exists():
        return None
    return kind.from_json(json.loads(path.read_text(encoding="utf-8")))
