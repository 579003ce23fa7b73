"""The segmenter's learned models as they are shipped: small ensembles of regression trees
(gradient boosting, fitted in `bench/` with scikit-learn) stored as plain arrays in JSON and
evaluated here, so that neither scikit-learn nor numpy is needed to read a page."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
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

    def leaf_value(self, x: list[float]) -> float:
        node = 0
        while self.left[node] != -1:
            node = self.left[node] if x[self.feature[node]] <= self.threshold[node] \
                else self.right[node]
        return self.value[node]


@dataclass(frozen=True)
class TreeModel:
    names: tuple[str, ...]
    prior: float              # log-odds before any tree
    rate: float               # each tree's learning rate
    trees: tuple[Tree, ...]
    threshold: float          # take a headline where its probability is above this

    def probability(self, signs: dict[str, float]) -> float:
        x = [signs[name] for name in self.names]
        z = self.prior + self.rate * math.fsum(tree.leaf_value(x) for tree in self.trees)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

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
