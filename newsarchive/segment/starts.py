"""Where the next story starts in text whose headlines were listed apart: learned.

In drawing order (`listed`) each story's text is whole and the stories follow one another
with no blank line, so every place where a sentence ends, or a frame, caption or byline
stands, may start the next story. The rules weigh such a place by what it shows (a byline, a
short last line, a frame boundary, the dip in cohesion around it: `listed._start_bonuses`).
What else tells a story's start from a paragraph's is what the lines say: how few rare words
the lines before and after share over nearer and farther windows, how much of a listed
headline's words the next lines repeat and the lines before do not, how long the paragraph
before ran. A small ensemble of trees (`trees.TreeModel`), fitted on the page corpus's dev
split by `bench/train_starts.py`, weighs those with the rules' bonus; its log-odds, measured
from odds at which a start is worth nothing (`listed.START_EVEN`), is what the place is worth
when the text is cut (`listed._best_cuts`).
"""

from __future__ import annotations

import copy
import math
import re
from functools import cache
from pathlib import Path

from ..text import bigrams, ends_sentence, han_count, rarity_weights, text_width
from .patterns import CAPTION_CREDIT_RE, END_BYLINE_RE, PHOTO_CREDIT_RE
from .trees import TreeModel, read_model
from .types import Line

MODEL_PATH = Path(__file__).with_name("start_model.json")
# A story's lead opens on when it happened (`2月12日，`, `12日上午`, `近日`, `当地时间…`) far more
# often than a paragraph within it does. With that sign the refitted model's out-of-fold AUC
# went 0.9653 -> 0.9665, average precision 0.830 -> 0.838 (refitted on the same places without
# it: dev, raw, found exactly / segmentation / titles 54.6% / 0.865 / 72.9%; with it: 55.2% /
# 0.869 / 72.4%; the model shipped before, 54.7% / 0.867 / 73.3%). With a dateline in the next
# three lines too (an over-line's place): 0.9670 / 0.848, but dev 55.0% / 0.867 / 72.4%.
TIME_OPENING_RE = re.compile(r"^(?:\d{1,2}月\d{1,2}日|\d{1,2}日[，,上下晚早凌中]|近日|日前|当地时间)")
# A closing credit on a line of its own, or wrapped over two: a picture's or a drawing's and its
# text's (`张三图李四文`, `新华社发`, `张三摄影报道`), the page's artwork (`本版制图：张三`,
# `版式设计张三`), a chart's or a box's source (`数据来源：某某局`; dev, raw, found exactly /
# segmentation / titles without it: 2,462 / 0.8653 / 3,116; with it: 2,464 / 0.8656 / 3,117),
# a box's closing address (`投稿邮箱：⏎abc@example.com`, `网址：www.example.com`; without it:
# 2,464 / 0.8656 / 3,117; with it: 2,466 / 0.8660 / 3,117).
# The story above ends after it, never before it. (A note's signature, `——编者`,
# is no such end: an editor's note opens the story it signs.)
CREDIT_LINE_RE = re.compile(r"^[\u4e00-\u9fff·]{2,4}图[\u4e00-\u9fff·]{2,4}文$|摄影?报道$"
                            r"|^(?:本版)?(?:制图|版式设计)|^(?:数据|资料)?来源[：:]"
                            r"|@[\w.]+\.[a-z]+$|(?:https?://|www\.)\S+$")
CREDIT_HAN = 16           # Han characters of a credit, at most (a caption ends on one too)
# Lines a side over which the words before and after a place are compared.
WINDOWS = (4, 8, 14, 24)
# Lines whose words are weighed by how few of the page's stretches of this many lines hold them.
STRETCH = 14
# The measure a story is set at (its widest line) changes where a story set in another box
# starts. With it, a line opening a bracket (a note ending the story before), whether the line
# before ends a sentence and the next line's width, the refitted model's out-of-fold AUC went
# 0.958 -> 0.963, its recall at 80% precision 65.3% -> 72.2%; dev, raw, found exactly /
# segmentation / titles 51.5% / 0.849 / 70.8% -> 53.0% / 0.857 / 71.3% (refitted without
# them: 50.7% / 0.846 / 70.4%). (Not tuned: 6 and 3 lines.) The measure change over 3 and 12
# lines a side too, and the headlines' words in the 12 lines before: out-of-fold AUC 0.962 ->
# 0.965, average precision 0.823 -> 0.840; dev, raw 53.5% / 0.859 / 72.1% -> 53.5% / 0.863 /
# 72.6%. (300 trees, or depth 4: AUC 0.965, 0.966: not kept.)
MEASURE_LINES = 6         # lines a side whose widest gives the measure a story is set at
MEASURE_MIN = 3           # lines a side, at least, to show a measure
LEAD_LINES = 3            # a story restates its headline in its first lines …
FAR_LINES = 12            # … and keeps using its words


class StartSigns:
    """The page's stream of text lines, each line's Han pairs and their weights, the listed
    headlines' pairs and the possible starts (`places`, line indices > 0, in order): what the
    cohesion dips the rules weigh and the model's signs are read from."""

    def __init__(self, lines: list[Line], heads: list[set[str]], places: list[int]):
        self.lines = lines
        self.pairs = [bigrams(line.text) for line in lines]
        self.widths = [text_width(line.text) for line in lines]
        self.weight = rarity_weights([set().union(*self.pairs[i:i + STRETCH])
                                      for i in range(0, len(self.pairs), STRETCH)])
        self.heads = [words for words in heads if words]
        self.places = places
        self._dips: dict[int, dict[int, tuple[float, float]]] = {}
        self._cohesion: dict[tuple[int, int], float] = {}

    def at(self, places: list[int]) -> StartSigns:
        """The same page's signs at other possible starts; what does not depend on which
        places are weighed together (each place's cohesion) is worked out once for both."""
        other = copy.copy(self)
        other.places, other._dips = places, {}
        return other

    def cohesion(self, k: int, window: int) -> float:
        """The weighted share of the pairs of the `window` lines before k and after it (k on)
        that both sides hold (0 to 1)."""
        known = self._cohesion.get((k, window))
        if known is not None:
            return known
        before = set().union(*self.pairs[max(0, k - window):k])
        after = set().union(*self.pairs[k:k + window])
        total = sum(self.weight[pair] for pair in before | after)
        value = self._cohesion[k, window] = \
            sum(self.weight[pair] for pair in before & after) / total if total else 0.0
        return value

    def cohesion_dips(self, window: int) -> dict[int, tuple[float, float]]:
        """Per place, (its cohesion over `window` lines a side, how much less that is than the
        places' mean, relative to the mean: 0 where the mean is 0); worked out once a window."""
        if window not in self._dips:
            values = {k: self.cohesion(k, window) for k in self.places}
            mean = sum(values.values()) / len(values) if values else 0.0
            self._dips[window] = {k: (value, (mean - value) / mean if mean else 0.0)
                                  for k, value in values.items()}
        return self._dips[window]

    def measure(self, start: int, end: int) -> float:
        """The width of the widest of lines start to end: the measure the story there is set at."""
        return max((self.widths[i] for i in range(max(0, start), min(end, len(self.widths)))),
                   default=0.0)

    def measure_change(self, k: int, lines: int = MEASURE_LINES) -> float:
        """How much narrower the measure of the lines on one side of k is than on the other
        (0: the same; stories set side by side, a brief beside a long story, differ); 0 too
        where a side has fewer than `MEASURE_MIN` lines, too few to show a measure (a first line
        is short where a byline was taken from it)."""
        if k < MEASURE_MIN or k + MEASURE_MIN > len(self.widths):
            return 0.0
        before, after = self.measure(k - lines, k), self.measure(k, k + lines)
        return 1 - min(before, after) / max(before, after) if max(before, after) else 0.0

    def lead(self, start: int, end: int) -> float:
        """The largest share of a listed headline's pairs that lines start to end hold."""
        near = set().union(*self.pairs[max(0, start):end])
        return max((len(words & near) / len(words) for words in self.heads), default=0.0)

    def signs(self, starts: dict[int, float], marks: dict[int, dict[str, float]],
              column: float, wanted: set[int] | None = None) -> dict[int, dict[str, float]]:
        """Per place k (of the `wanted` ones, if given): its signs, from the rules' bonus
        (`starts`), the rules' marks and the line widths against a full line (`column`)."""
        dips = {window: self.cohesion_dips(window) for window in WINDOWS}
        out = {}
        last = 0
        for k in self.places:
            if wanted is not None and k not in wanted:
                last = k
                continue
            previous, line = self.lines[k - 1].text, self.lines[k].text
            signs = {
                "bonus": starts[k],
                "previous_width": self.widths[k - 1] / (column or 1.0),
                "line_width": self.widths[k] / (column or 1.0),
                "previous_credit": float(bool(END_BYLINE_RE.search(previous))
                                         or previous.endswith(("）", ")"))),
                "quote": float(line[:1] in "“「"),
                "note": float(line[:1] in "（("),
                "previous_open": float(not ends_sentence(previous)),
                "next_width": self.widths[k + 1] / (column or 1.0)
                if k + 1 < len(self.widths) else 0.0,
                "measure_change": self.measure_change(k),
                "measure_change_3": self.measure_change(k, 3),
                "measure_change_12": self.measure_change(k, 12),
                "lead_before_far": self.lead(k - FAR_LINES, k),
                "digit": float(line[:1].isdigit()),
                "lead_after": self.lead(k, k + LEAD_LINES),
                "lead_before": self.lead(k - LEAD_LINES, k),
                "lead_far": self.lead(k, k + FAR_LINES),
                "since_last": float(k - last),
                "position": k / len(self.lines),
                "time_opening": float(bool(TIME_OPENING_RE.match(line))),
                **marks[k],
            }
            for window, values in dips.items():
                signs[f"cohesion_{window}"], signs[f"dip_{window}"] = values[k]
            out[k] = signs
            last = k
        return out


def closing_credit(text: str, next_text: str = "") -> bool:
    """Whether a short line is a closing credit (`CREDIT_LINE_RE`, a photographer's, an
    agency's), or is with the next line read on (`张三摄影报⏎道`)."""
    def credit(line: str) -> bool:
        return bool(CREDIT_LINE_RE.search(line) or PHOTO_CREDIT_RE.search(line)
                    or CAPTION_CREDIT_RE.search(line))
    joined = text + next_text
    return han_count(text) <= CREDIT_HAN and credit(text) \
        or bool(next_text) and han_count(joined) <= CREDIT_HAN and credit(joined)


def log_odds(model: TreeModel, signs: dict[str, float], even: float) -> float:
    """The model's log-odds that a story starts here, less those of `even`: above 0 where the
    model finds a start likelier than that."""
    def logit(p: float) -> float:
        p = min(max(p, 1e-6), 1 - 1e-6)
        return math.log(p / (1 - p))
    return logit(model.probability(signs)) - logit(even)


@cache
def shipped_model() -> TreeModel | None:
    """The fitted model, or None before `bench/train_starts.py` has written one."""
    return read_model(MODEL_PATH, TreeModel)
