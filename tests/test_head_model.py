"""The learned headline model (`segment/head_model.py`): its trees, the lines it may weigh, and
where `read_items` asks it."""

import json
import math
import random
from pathlib import Path

import pytest

from newsarchive.segment import head_model, split_page
from newsarchive.segment import trees
from newsarchive.segment.trees import Tree, TreeModel
from newsarchive.segment.lines import (
    PAUSE_HEAD_BAR, _could_head, _learned_head, _paused_text, read_items, read_lines,
)
from newsarchive.segment.types import ItemKind, Line

# One split on sign 0 at 0.5: left leaf 1.0, right leaf -1.0.
STUMP = Tree(feature=(0, -2, -2), threshold=(0.5, -2.0, -2.0), left=(1, -1, -1),
             right=(2, -1, -1), value=(0.0, 1.0, -1.0))


@pytest.mark.parametrize("x, expected", [([0.2], 1.0), ([0.5], 1.0), ([0.9], -1.0)])
def test_a_tree_sends_a_value_at_most_its_threshold_left(x, expected):
    model = TreeModel(names=("a",), prior=0.0, rate=1.0, trees=(STUMP,), threshold=0.5)
    assert model.leaves(x) == [expected]


def _walk(tree: Tree, x: list[float]) -> float:
    """A tree's leaf for x, walked node by node: what the compiled trees must give."""
    node = 0
    while tree.left[node] != -1:
        node = tree.left[node] if x[tree.feature[node]] <= tree.threshold[node] \
            else tree.right[node]
    return tree.value[node]


@pytest.mark.parametrize("path", sorted(Path(trees.__file__).parent.glob("*.json")),
                         ids=lambda path: path.stem)
def test_compiled_trees_give_every_shipped_model_s_leaves_exactly(path):
    model = TreeModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    # Signs at, just above and just below every threshold a model compares them with.
    at = {}
    for tree in model.trees:
        for feature, threshold in zip(tree.feature, tree.threshold):
            if feature >= 0:
                at.setdefault(feature, []).append(threshold)
    rng = random.Random(7)
    for _ in range(500):
        x = [rng.choice(at.get(n, [0.0])) + rng.choice((0.0, 1e-9, -1e-9))
             for n in range(len(model.names))]
        assert model.leaves(x) == [_walk(tree, x) for tree in model.trees]


def test_an_infinite_threshold_compiles():
    edge = Tree(feature=(0, -2, -2), threshold=(math.inf, -2.0, -2.0), left=(1, -1, -1),
                right=(2, -1, -1), value=(0.0, 1.0, -1.0))
    model = TreeModel(names=("a",), prior=0.0, rate=1.0, trees=(edge,), threshold=0.5)
    assert model.leaves([1e300]) == [1.0] and model.leaves([math.nan]) == [-1.0]


def test_probability_is_the_logistic_of_prior_plus_rate_times_the_leaves():
    model = TreeModel(names=("a",), prior=0.5, rate=0.1, trees=(STUMP, STUMP), threshold=0.5)
    assert model.probability({"a": 0.0}) == pytest.approx(1 / (1 + math.exp(-(0.5 + 0.2))))
    assert model.probability({"a": 1.0}) == pytest.approx(1 / (1 + math.exp(-(0.5 - 0.2))))


def test_from_json_reads_the_exported_arrays():
    data = {"names": ["a"], "prior": 0.0, "rate": 1.0, "threshold": 0.3,
            "trees": [{"feature": [0, -2, -2], "threshold": [0.5, -2, -2], "left": [1, -1, -1],
                       "right": [2, -1, -1], "value": [0, 1, -1]}]}
    model = TreeModel.from_json(data)
    assert model.trees[0] == Tree((0, -2, -2), (0.5, -2, -2), (1, -1, -1), (2, -1, -1),
                                  (0, 1, -1))
    assert model.probability({"a": 0.0}) == pytest.approx(1 / (1 + math.exp(-1)))


@pytest.mark.parametrize("text, weighed", [
    ("西宁新开三条公交", True),
    ("线路方便群众出行（民生）", True),
    ("市公交集团近日开通新线。", False),     # a full stop ends a sentence, not a headline
    ("开通三条公交线路，", True),            # weighed with the line it goes on in
    ("稳就业，保民生", True),                # a pause mark raises the model's bar only
    ("连接城东城西多个的", False),           # ends on a word that cannot end a headline
    ("本报讯（记者 李明）", False),          # a credit
    ("（记者 李明）", False),
    ("袁玉宇代表——", False),                # an over-line: the rules' too
    ("新", False),                           # one Han character
])
def test_only_plain_headline_like_lines_are_weighed(text, weighed):
    assert _could_head(Line(1, text)) == weighed


PAGE = """市民冬季出行指南发布

本报讯 市交通局昨
日发布冬季出行指
南，提醒市民雪天
注意安全。

西宁新开三条公交
线路方便群众出行
市公交集团近日新
开通三条公交线路，
方便群众出行。
"""


def always(probability: float) -> TreeModel:
    prior = math.log(probability / (1 - probability))
    return TreeModel(names=(), prior=prior, rate=1.0, trees=(), threshold=0.5)


def test_read_items_asks_the_model_only_where_the_rules_took_nothing(monkeypatch):
    lines, _ = read_lines(PAGE)
    ruled = read_items(lines, learned=False)
    monkeypatch.setattr(head_model, "shipped_model", lambda: always(0.9))
    items = read_items(lines)
    # The rules' headline is kept as it was; the block they left as text gets a learned
    # headline: the likeliest length, the shortest where all are as likely.
    assert [(i.kind, i.learned) for i in items if i.kind == ItemKind.HEAD][0] == (
        ItemKind.HEAD, False)
    learned = [i for i in items if i.learned]
    assert [[line.text for line in i.lines] for i in learned] == [["西宁新开三条公交"]]
    assert len([i for i in ruled if i.kind == ItemKind.HEAD]) == 1


def test_a_doubting_model_changes_nothing(monkeypatch):
    lines, _ = read_lines(PAGE)
    ruled = read_items(lines, learned=False)
    monkeypatch.setattr(head_model, "shipped_model", lambda: always(0.1))
    assert [(i.kind, [l.number for l in i.lines]) for i in read_items(lines)] == \
        [(i.kind, [l.number for l in i.lines]) for i in ruled]


def test_candidates_collect_the_signs_the_shipped_model_reads():
    lines, _ = read_lines(PAGE)
    found: list = []
    read_items(lines, learned=False, candidates=found)
    assert [[line.text for line in head] for head, _ in found] == [
        ["西宁新开三条公交"], ["西宁新开三条公交", "线路方便群众出行"],
        ["西宁新开三条公交", "线路方便群众出行", "市公交集团近日新"]]
    model = head_model.shipped_model()
    assert model is not None, "run python -m bench.train_heads"
    assert sorted(model.names) == sorted(found[0][1])
    assert all(0.0 <= model.probability(signs) <= 1.0 for _, signs in found)


def test_the_learned_headline_heads_its_story(monkeypatch):
    monkeypatch.setattr(head_model, "shipped_model", lambda: always(0.9))
    titles = [s.title for s in split_page(PAGE).segments]
    assert titles[0] == "市民冬季出行指南发布" and len(titles) == 2


def _lines(*texts: str) -> list[Line]:
    return [Line(number, text) for number, text in enumerate(texts, start=1)]


@pytest.mark.parametrize("texts, column, text", [
    (["稳就业，保民生"], 10, False),
    (["市交通局昨日发布冬季出行，"], 12, False),                # alone in its block

    (["稳就业，保民生", "扩内需促发展"], 10, False),
    (["守住底线，稳 抓好春耕"], 10, True),                  # two columns' lines read as one
    (["主席团（174人，按姓名笔划为序）"], 20, True),         # a remark in brackets
    (["市交通局昨日发布冬季出", "行指南，提醒市民雪天注"], 11, True),   # a paragraph's full lines
    (["市交通局昨日发布冬季出", "行指南，提醒"], 11, False),
    (["市交通局昨日发布冬季", "出行指南，提醒市民雪天注意"], 11, True),   # ragged, as on the seeds
])
def test_lines_with_a_pause_mark_that_read_as_text(texts, column, text):
    head = _lines(*texts)
    assert _paused_text(head, [], {id(line): column for line in head}) == text


@pytest.mark.parametrize("under, column, text", [
    (["市公交集团近日新开通三条公交线路"], 17, True),    # as wide as its column
    (["市公交集团近日新开通三条公交线路"], 24, False),
    (["加。"], 24, True),                            # a paragraph's tail, cut off
    (["加。", "市公交集团近日新开通"], 24, False),
    (["市公交集团近日新开通三条公交线路。"], 24, False),
])
def test_a_line_with_a_pause_mark_over_more_of_its_block(under, column, text):
    head, below = _lines("市交通局昨日发布冬季出行，提醒市民"), _lines(*under)
    assert _paused_text(head, below, {id(line): column for line in head + below}) == text


@pytest.mark.parametrize("probability, taken", [
    (0.6, 0), (PAUSE_HEAD_BAR + 0.05, 2)])
def test_a_headline_with_a_pause_mark_needs_a_surer_model(probability, taken):
    chunk = _lines("稳就业，", "保民生", "市公交集团近日新开通三条公交线路")
    column = {id(line): 16.0 for line in chunk}
    found: list = []
    count = _learned_head(chunk, [], [], column, True, False, False, always(probability), found)
    # The line ending in a comma is never a headline alone, and no candidate with a pause
    # mark is collected: the model's training set is lines without one.
    assert count == taken and found == []
