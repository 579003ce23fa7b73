"""The confidence model that settles an article's review list (`segment/confidence.py`) and its
fit (`bench/train_confidence.py`)."""

import argparse
import json

import numpy as np
import pytest

from bench import learn, train_confidence
from newsarchive.model import REVIEW_REASONS, Segment
from newsarchive.segment import split_page, split_with_features
from newsarchive.segment.confidence import (
    CERTAIN_REASONS, MODEL_PATH, SOFT_REASONS, Model, PageShape, PageWords, segment_features,
    shipped_model,
)
from newsarchive.segment.trees import Tree, TreeModel
from newsarchive.segment.types import Body, Draft, Line


def page(text: str) -> str:
    return text.strip("\n") + "\n"


TWO_STORIES = page("""
市民共享冬日文化盛宴

本报讯（记者 李明）12月20日，市图书馆举办市民共享
冬日文化盛宴活动，吸引了众多市民参加。活动现场设置
了亲子阅读区和非遗展示区。

新建城市公园十二座

本报讯（记者 王芳）今年以来，我市新建城市公园十
二座，改造提升街头绿地三十处，市民休闲空间不断
""")


def signs(text: str) -> list[dict[str, float]]:
    return split_with_features(text)[1]


def test_features_read_the_signs_of_each_article():
    first, second = signs(TWO_STORIES)
    # Both headlines are restated in their leads; only the second story stops mid-sentence.
    assert first["title_in_lead"] == 1.0 and second["title_in_lead"] == 1.0
    assert first["ends_open"] == 0.0 and second["ends_open"] == 1.0
    assert first["headless"] == 0.0 and first["byline"] == 1.0 and first["reporters"] == 1.0
    assert first["title_in_body"] == 1.0 and first["page_listed"] == 0.0


@pytest.mark.parametrize("text, name, expected", [
    # A space between two Han characters mid-body: a line read across two columns.
    ("标题一则新闻\n\n本报讯 今天下午，市里召开 会议部署工作。\n", "spaced_han", "positive"),
    ("标题一则新闻\n\n本报讯 今天下午，市里召开会议部署工作。\n", "spaced_han", "zero"),
    # A body with no headline over it.
    ("今天下午，市里召开会议部署冬季供暖工作，要求各区抓好落实。\n", "headless", "positive"),
])
def test_feature_table(text, name, expected):
    value = signs(page(text))[0][name]
    assert (value > 0) == (expected == "positive")


def test_no_sign_measures_the_size_of_an_article_or_its_page():
    # On the corpus a story taking much of its page was a merged one; on the seeds' smaller
    # pages such signs flagged right articles, so none is read (see PageShape).
    short = signs(page("一则短讯\n\n本报讯 今天下午，市里召开会议部署冬季供暖工作。\n"))[0]
    longer = signs(page("一则短讯\n\n本报讯 今天下午，市里召开会议部署冬季供暖工作。"
                        + "各区要抓好落实，确保群众温暖过冬。" * 20 + "\n"))[0]
    assert short == longer


PARK = "市园林局近日完成人民公园提升改造工程，新建步道三公里。"
TRAIN = "记者从铁路部门获悉，西宁站春运期间预计发送旅客一百二十万人次。"
PARK_TAIL = "提升改造后的人民公园步道已经开放。"


@pytest.mark.parametrize("segments, k, sign, expected", [
    # Headlines over the right bodies: no other text repeats a title more than its own.
    ([("人民公园完成提升改造", PARK), ("西宁站春运发送旅客", TRAIN)], 0, "title_elsewhere", 0.0),
    # Swapped: the other body repeats the title, its own does not.
    ([("西宁站春运发送旅客", PARK), ("人民公园完成提升改造", TRAIN)], 0, "title_elsewhere", 0.5),
    ([("西宁站春运发送旅客", PARK), ("人民公园完成提升改造", TRAIN)], 0, "lead_names_another", 0.5),
    ([("人民公园完成提升改造", PARK), ("西宁站春运发送旅客", TRAIN)], 0, "lead_names_another", 0.0),
    # The park story's tail read in front of the train story: its words are the park's.
    ([("人民公园完成提升改造", PARK), ("西宁站春运发送旅客", PARK_TAIL + "\n\n" + TRAIN)],
     1, "head_elsewhere", 0.1),
    ([("人民公园完成提升改造", PARK), ("西宁站春运发送旅客", TRAIN + "\n\n" + PARK_TAIL)],
     1, "tail_elsewhere", 0.1),
    ([("人民公园完成提升改造", PARK + "\n\n" + PARK_TAIL), ("西宁站春运发送旅客", TRAIN)],
     0, "tail_elsewhere", 0.0),
])
def test_signs_of_words_read_into_the_wrong_article(segments, k, sign, expected):
    words = PageWords([Segment(title=title, body=body) for title, body in segments])
    body = segments[k][1]
    paragraphs = body.split("\n\n")
    value = {"title_elsewhere": lambda: words.title_elsewhere(k),
             "lead_names_another": lambda: words.lead_names_another(k, paragraphs[0]),
             "head_elsewhere": lambda: words.end_elsewhere(k, paragraphs, last=False),
             "tail_elsewhere": lambda: words.end_elsewhere(k, paragraphs, last=True)}[sign]()
    assert (value >= expected) if expected else value == 0.0


@pytest.mark.parametrize("title, unbalanced", [
    ("有代表作家，更要有代表作品（", 1.0),       # cut before its column tag closed
    ("有代表作家，更要有代表作品（新语）", 0.0),
    ("“拉中贸易具备充足韧性", 1.0),
])
def test_a_title_cut_inside_its_brackets_is_a_sign(title, unbalanced):
    text = page(f"{title}\n\n本报讯 今天下午，市里召开会议部署冬季供暖工作。\n")
    assert signs(text)[0]["title_unbalanced"] == unbalanced


# Doubts rise with `ends_open` only: log-odds -2 below 0.5, +2 above.
ENDS_OPEN = Tree(feature=(0, -2, -2), threshold=(0.5, -2.0, -2.0), left=(1, -1, -1),
                 right=(2, -1, -1), value=(0.0, -2.0, 2.0))


def toy_model(threshold: float, threshold_listed: float | None = None) -> Model:
    trees = TreeModel(names=("ends_open",), prior=0.0, rate=1.0, trees=(ENDS_OPEN,),
                      threshold=threshold)
    return Model(trees, threshold if threshold_listed is None else threshold_listed)


@pytest.mark.parametrize("review, ends_open, expected", [
    ([], 0.0, []),                                        # sure, nothing to say
    ([], 1.0, ["doubtful"]),                              # doubted, and no rule said why
    (["headline-weak"], 0.0, []),                         # a soft reason the model overrules
    (["headline-weak"], 1.0, ["headline-weak"]),          # … or keeps, as the reason
    (["columns-mixed"], 0.0, ["columns-mixed"]),          # a certain reason always stays
    (["columns-mixed", "sections-placed"], 0.0, ["columns-mixed"]),
])
def test_judge_settles_the_review_list(review, ends_open, expected):
    segment = Segment(title="t", body="b", review=list(review))
    toy_model(0.5).judge(segment, {"ends_open": ends_open, "page_listed": 0.0})
    assert segment.review == expected


def test_listed_pages_have_their_own_threshold():
    model = toy_model(threshold=0.95, threshold_listed=0.5)
    assert model.doubts({"ends_open": 1.0, "page_listed": 1.0})
    assert not model.doubts({"ends_open": 1.0, "page_listed": 0.0})


def test_reasons_are_known_and_split_between_certain_and_soft():
    assert set(CERTAIN_REASONS) | set(SOFT_REASONS) | {"doubtful"} <= set(REVIEW_REASONS)
    assert not set(CERTAIN_REASONS) & set(SOFT_REASONS)


def test_shipped_model_reads_exactly_the_features_the_segmenter_gives():
    model = shipped_model()
    assert model is not None, f"{MODEL_PATH} missing: run python -m bench.train_confidence"
    assert sorted(model.trees.names) == sorted(signs(TWO_STORIES)[0])
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert data["fitted_on"]["split"] == "dev"
    assert 0 < model.trees.threshold < 1 and 0 < model.threshold_listed < 1


def test_split_page_applies_the_shipped_model():
    split = split_page(TWO_STORIES)
    plain, features = split_with_features(TWO_STORIES)
    model = shipped_model()
    for judged, segment, signs_of in zip(split.segments, plain.segments, features):
        expected = Segment(title=segment.title, body=segment.body, review=list(segment.review))
        model.judge(expected, signs_of)
        assert judged.review == expected.review


def separable(n: int = 300):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3))
    return x, (x[:, 0] - 0.5 * x[:, 2] > 0).astype(float)


def test_trees_fit_deterministically_and_export_what_scikit_learn_predicts():
    pytest.importorskip("sklearn")
    x, y = separable()
    names = ["a", "b", "c"]
    first = learn.export(learn.fit_trees(x, y, trees=20), names, y, threshold=0.5)
    fitted = learn.fit_trees(x, y, trees=20)
    assert learn.export(fitted, names, y, threshold=0.5) == first
    learn.check_export(first, fitted, x, names)     # raises if the arrays predict otherwise
    model = TreeModel.from_json(first)
    right = sum((model.probability(dict(zip(names, row))) > 0.5) == bool(label)
                for row, label in zip(x, y))
    assert right / len(y) > 0.95


def test_out_of_fold_probabilities_never_see_their_own_fold():
    pytest.importorskip("sklearn")
    x, y = separable(200)
    folds = np.arange(200) % learn.FOLDS
    # Labels flipped in fold 0 only: its own trees never saw them, so its probabilities
    # follow the other folds' rule, not its own labels.
    flipped = y.copy()
    flipped[folds == 0] = 1 - flipped[folds == 0]
    prob = learn.out_of_fold(x, flipped, folds, trees=20)
    held = folds == 0
    assert ((prob[held] > 0.5) == (y[held] == 1)).mean() > 0.9


def test_folds_are_fixed_by_page_name():
    assert learn.fold_of("p0001") == learn.fold_of("p0001")
    assert {learn.fold_of(f"p{n:04}") for n in range(50)} == set(range(learn.FOLDS))


@pytest.mark.parametrize("text, expected", [
    ("pdftotext=0.12,raw=0.15", {"pdftotext": 0.12, "raw": 0.15}),
    ("raw=0.2", {"raw": 0.2}),
])
def test_bounds_parse(text, expected):
    assert train_confidence.bounds(text) == expected


@pytest.mark.parametrize("text", ["pdftotext", "ocr=0.1", "raw=x"])
def test_bounds_refuse_what_they_cannot_read(text):
    with pytest.raises(argparse.ArgumentTypeError):
        train_confidence.bounds(text)


def test_training_without_a_corpus_says_what_to_run(tmp_path, capsys):
    assert train_confidence.main([str(tmp_path), "--dry-run"]) == 1
    assert "bench.pagecorpus" in capsys.readouterr().err


def test_the_story_break_models_doubts_about_joins_are_signs():
    """The strongest break the story-break model saw but did not take inside a frame, and the
    one at a frame it cut off that was joined to the story again."""
    def frame(*odds: float) -> Body:
        return Body(parts=[("text", [Line(k + 1, "正文内容", break_odds=p)
                                     for k, p in enumerate(odds)])])

    segment = Segment(title="人民公园完成提升改造", body="正文内容")
    words = PageWords([segment])
    draft = Draft(head=[], bodies=[frame(0.9, 0.2, 0.1), frame(0.7, 0.4)])
    features = segment_features(draft, segment, PageShape(0.0, False), words, 0)
    assert features["break_inside"] == 0.4 and features["break_joined"] == 0.7
    one = segment_features(Draft(head=[], bodies=[frame(0.9)]), segment, PageShape(0.0, False),
                           words, 0)
    assert one["break_inside"] == 0.0 and one["break_joined"] == 0.0
