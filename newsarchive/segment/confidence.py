"""How likely a recovered article is wrong, from what the split itself shows.

The rules that flag an article for review each see one sign (a headline sharing no words with
its text, a dateline in mid-body). Wrong articles mostly show several weak signs at once: a
headline whose words the lead does not repeat, a body ending mid-sentence, many frames from far
apart lines, on a page whose lines run across columns. A small ensemble of decision trees
(`trees.TreeModel`) weighs those signs; it is fitted on the page corpus's dev split by
`bench/train_confidence.py` (deterministic) and shipped beside this module. Its judgement
settles the article's review list (`Model.judge`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..model import Segment
from ..text import CLOSERS, bigrams, ends_sentence, han_count, rarity_weights
from .compose import SPACED_HAN_RE
from .patterns import DATELINE_RE
from .trees import TreeModel, read_model
from .types import Draft, Line

MODEL_PATH = Path(__file__).with_name("confidence.json")
# Reasons a rule is sure of (on the dev split they flag almost no right article) stay whatever
# the model says; the soft ones stay only where the model doubts the article too.
CERTAIN_REASONS = ("no-headline", "frames-reordered", "frames-joined", "body-split",
                   "columns-mixed", "stories-merged")
SOFT_REASONS = ("headline-weak", "sections-placed")
RULE_REASONS = CERTAIN_REASONS + SOFT_REASONS
LEAD_CHARS = 80           # a lead restates its headline within about its first sentence


@dataclass(frozen=True)
class PageShape:
    """What the whole page's text shows about how it was read. (The page's size and how many
    articles it holds were signs too: on the corpus a story taking much of its page is a merged
    one, but they flagged the right articles of smaller pages in the seeds' style.)"""

    spaced_share: float       # lines with a space between two Han characters: merged columns
    listed: bool              # the headlines came as a list after the stories (drawing order)

    @classmethod
    def of(cls, lines: list[Line], listed: bool) -> PageShape:
        spaced = sum(1 for line in lines if SPACED_HAN_RE.search(line.text))
        return cls(spaced_share=spaced / len(lines) if lines else 0.0, listed=listed)


class PageWords:
    """Each article's Han pairs, weighed by how few of the page's articles hold them: what tells
    one story's words from another's."""

    def __init__(self, segments: list[Segment]):
        self.pairs = [bigrams(segment.body) for segment in segments]
        self.titles = [bigrams(segment.title) for segment in segments]
        self.weight = rarity_weights(self.pairs)

    def title_elsewhere(self, k: int) -> float:
        """How much more of article k's title another article's text repeats than its own
        (0 where none repeats more): a headline given to the wrong body."""
        own = self.titles[k]
        if not own:
            return 0.0
        mine = len(own & self.pairs[k])
        return max([0] + [len(own & pairs) - mine for j, pairs in enumerate(self.pairs)
                          if j != k]) / len(own)

    def lead_names_another(self, k: int, lead: str) -> float:
        """How much more of another article's title than of its own the lead repeats (0 where
        none more): the lead of one story under another's headline."""
        return max(0.0, max((_share(title, lead) for j, title in enumerate(self.titles) if j != k),
                            default=0.0) - _share(self.titles[k], lead))

    def end_elsewhere(self, k: int, paragraphs: list[str], last: bool) -> float:
        """How much more of the weighted words of article k's first (or last) paragraph another
        article's text holds than the rest of its own: a story's tail (or head) read into
        the wrong article."""
        if len(paragraphs) < 2 or len(self.pairs) < 2:
            return 0.0
        end = bigrams(paragraphs[-1] if last else paragraphs[0])
        rest = bigrams("".join(paragraphs[:-1] if last else paragraphs[1:]))
        total = sum(self.weight.get(pair, 0.0) for pair in end)
        if not total:
            return 0.0

        def held(pairs: set[str]) -> float:
            return sum(self.weight.get(pair, 0.0) for pair in end & pairs) / total

        return max(0.0, max(held(pairs) for j, pairs in enumerate(self.pairs) if j != k)
                   - held(rest))


def _share(pairs: set[str], text: str) -> float:
    return sum(1 for pair in pairs if pair in text) / len(pairs) if pairs else 0.0


def segment_features(draft: Draft, segment: Segment, page: PageShape, words: PageWords,
                     k: int) -> dict[str, float]:
    """The signs, each a number; names are the model's feature names."""
    body = segment.body
    paragraphs = [p for p in body.split("\n\n") if p and not p.startswith("## ")]
    body_han = han_count(body)
    title_pairs = words.titles[k]
    open_end = sum(1 for p in paragraphs if not ends_sentence(p))
    first = paragraphs[0] if paragraphs else ""
    frames = [lines for lines in (body.text_lines() for body in draft.bodies) if lines]
    features = {
        "headless": float(not draft.head),
        "head_units": float(len(draft.head)),
        "head_learned": float(any(unit.learned for unit in draft.head)),
        "title_spaced": float(bool(SPACED_HAN_RE.search(segment.title))),
        "title_in_lead": _share(title_pairs, first[:LEAD_CHARS]),
        "title_in_body": _share(title_pairs, body),
        "kicker": float(bool(segment.kicker)),
        "subtitle": float(bool(segment.subtitle)),
        "byline": float(bool(segment.byline)),
        "reporters": float(len(segment.reporters)),
        "frames": math.log1p(len(draft.bodies)),
        "spans": math.log1p(len(segment.spans)),
        "open_paragraphs": open_end / len(paragraphs) if paragraphs else 1.0,
        "ends_open": float(not ends_sentence(paragraphs[-1])) if paragraphs else 1.0,
        "starts_closer": float(first[:1] in CLOSERS + "，、；：。！？"),
        "starts_dateline": float(bool(DATELINE_RE.match(first))),
        "datelines": float(len(DATELINE_RE.findall(body))),
        "spaced_han": 1000 * len(SPACED_HAN_RE.findall(body)) / body_han if body_han else 0.0,
        "continues": float(bool(segment.continues or segment.continued_from)),
        "page_spaced": page.spaced_share,
        "page_listed": float(page.listed),
        "title_elsewhere": words.title_elsewhere(k),
        "head_elsewhere": words.end_elsewhere(k, paragraphs, last=False),
        "tail_elsewhere": words.end_elsewhere(k, paragraphs, last=True),
        "lead_names_another": words.lead_names_another(k, first[:LEAD_CHARS]),
        "title_han": float(han_count(segment.title)),
        "title_unbalanced": float(any(segment.title.count(a) != segment.title.count(b)
                                      for a, b in ("（）", "“”", "《》", "()"))),
        # The story-break model's strongest doubt about a join of two text blocks: inside a
        # frame (a break it did not take), and where frames cut apart were joined again.
        "break_inside": max((line.break_odds for lines in frames for line in lines[1:]),
                            default=0.0),
        "break_joined": max((lines[0].break_odds for lines in frames[1:]), default=0.0),
    }
    features.update((f"rule_{reason}", float(reason in segment.review)) for reason in RULE_REASONS)
    return features


@dataclass(frozen=True)
class Model:
    trees: TreeModel          # flag where the probability of being wrong is above its
    threshold_listed: float   # threshold, or above this on a page whose headlines were listed

    def doubts(self, features: dict[str, float]) -> bool:
        return self.trees.probability(features) > (
            self.threshold_listed if features["page_listed"] else self.trees.threshold)

    def judge(self, segment: Segment, features: dict[str, float]) -> None:
        """Settle the article's review list: soft reasons go where the model is sure of it;
        `doubtful` stands where the model doubts it and no rule said why."""
        if not self.doubts(features):
            segment.review[:] = [r for r in segment.review if r not in SOFT_REASONS]
        elif not segment.review:
            segment.review.append("doubtful")

    @classmethod
    def from_json(cls, data: dict) -> Model:
        return cls(TreeModel.from_json(data), data["threshold_listed"])


@cache
def shipped_model() -> Model | None:
    """The fitted model, or None before `bench/train_confidence.py` has written one."""
    return read_model(MODEL_PATH, Model)
