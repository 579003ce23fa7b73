"""Whether the first lines of a block are a headline the rules did not take: learned.

The rules of `lines.read_items` take a headline where its look is plain (larger type over the
text, a `——` subtitle, a byline under it). Many headlines look like text: a wrapped title as
narrow as the column, followed with no blank line by a lead that carries no indent. What gives
them away is several weak signs at once: the block follows a finished sentence, its lines hold
no full stop, the text under it repeats its words, it is no wider than the column. The signs
interact (a short line means a headline only where no full stop and a finished sentence go
with it), so the model is a small ensemble of decision trees (gradient boosting), weighing each
possible headline of 1 to `MAX_LINES` lines at the start of a block the rules left as text. It
is fitted on the page corpus's dev split by `bench/train_heads.py` and shipped as
`head_model.json` (`trees.TreeModel`).
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path

from ..text import bigrams, ends_sentence, han_count, open_brackets, text_width
from .patterns import DATELINE_RE, START_BYLINE_RE, UNDER_BYLINE_RE
from .trees import TreeModel, read_model

MODEL_PATH = Path(__file__).with_name("head_model.json")
MAX_LINES = 3
NEAR_CHARS = 300          # text before and after a headline compared with its words
TAG_RE = re.compile(r"[（(][^（）()]{1,12}[）)]$")


def head_signs(texts: list[str], after: list[str], column: float, before: str, following: str,
               opens: bool, rules: dict[str, bool]) -> dict[str, float]:
    """The signs that `texts` (a block's first lines) are a headline: `after` is the block's
    other lines, `column` the text's line width there, `before` and `following` the page's text
    around the block, `opens` whether the text before ended a sentence, `rules` the verdicts of
    the rules of `lines` on the candidate."""
    joined = "".join(texts)
    widths = [text_width(text) for text in texts]
    column = column or 1.0
    under = after[0] if after else following[:30]
    rest = "".join(after) + following
    pairs = bigrams(joined)
    signs = {
        "lines": float(len(texts)),
        "after_lines": math.log1p(len(after)),
        "han": math.log1p(han_count(joined)),
        "width_max": max(widths) / column,
        "width_min": min(widths) / column,
        "width_last": widths[-1] / column,
        "fills_column": float(all(abs(w - column) <= 1 for w in widths)),
        "stop": float(any(c in joined for c in "。；")),
        "commas": float(joined.count("，") + joined.count("、")),
        "ends_sentence": float(ends_sentence(texts[-1])),
        "ends_clause": float(texts[-1][-1:] in "，、：:"),
        "tag": float(bool(TAG_RE.search(joined))),
        "balanced": float(open_brackets(joined) == 0 and joined.count("“") == joined.count("”")),
        "dash_end": float(texts[-1].endswith("—")),
        "under_dash": float(under.startswith("—")),
        "under_byline": float(bool(START_BYLINE_RE.match(under) or UNDER_BYLINE_RE.match(under))),
        "under_dateline": float(bool(DATELINE_RE.match(under))),
        "under_width": text_width(under) / column if under else 0.0,
        "words_after": len(pairs & bigrams(rest[:NEAR_CHARS])) / len(pairs) if pairs else 0.0,
        "words_before": len(pairs & bigrams(before[-NEAR_CHARS:])) / len(pairs) if pairs else 0.0,
        "opens": float(opens),
        "space": float(" " in joined),
        "digits": sum(c.isdigit() for c in joined) / max(1, len(joined)),
        "first_opener": float(joined[:1] in "“《（("),
    }
    signs.update((f"rule_{name}", float(value)) for name, value in rules.items())
    return signs


@cache
def shipped_model() -> TreeModel | None:
    """The fitted model, or None before `bench/train_heads.py` has written one."""
    return read_model(MODEL_PATH, TreeModel)
