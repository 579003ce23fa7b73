"""The learned story start in text whose headlines were listed apart (`segment/starts.py`): the
signs it weighs, how its log-odds count, the places collected for fitting, and the shipped model
on a paragraph break and a story start."""

import json
import math
import os

import pytest

from newsarchive.segment import split_page, split_with_features, starts
from newsarchive.segment.types import Line

# Two stories read straight on in drawing order, each of two paragraphs, the headlines after.
PARK = ["市园林局近日完成人民公园提升", "改造工程，新建步道三公里。",
        "人民公园东侧的儿童游乐区也已", "重新开放，滑梯和秋千全部更换。"]
TRAIN = ["记者从铁路部门获悉，春运期间", "西宁站预计发送旅客一百二十万。",
         "西宁站将增开临时列车十八对，", "售票窗口延长服务时间。"]
PAGE = "\n".join(["人民日报 第4版", *PARK, *TRAIN, "责任编辑：王芳",
                  "人民公园完成提升改造", "西宁站春运增开临时列车"]) + "\n"


def lines_of(texts: list[str]) -> list[Line]:
    return [Line(number, text) for number, text in enumerate(texts, start=1)]


def test_signs_read_where_the_words_and_the_headlines_change():
    places = {2: 0.0, 4: 0.0, 6: 0.0}
    stream = starts.StartSigns(lines_of(PARK + TRAIN), [{"人民", "公园"}, {"西宁", "宁站"}],
                               sorted(places))
    marks = {k: {"frame": 0.0} for k in places}
    signs = stream.signs(places, marks, column=20.0)
    # The railway story shares none of the park's words: the lines around its start share less
    # than around the park's second paragraph.
    assert signs[4]["cohesion_4"] < signs[2]["cohesion_4"]
    assert signs[4]["dip_4"] > 0 > signs[2]["dip_4"]
    # Its lead repeats its headline's words, as the park's lines before it repeat the other's.
    assert signs[4]["lead_after"] == 1.0 and signs[4]["lead_before"] == 1.0
    # Past the end of the stream, no line: nothing holds a headline's words.
    assert stream.lead(8, 11) == 0.0
    assert [signs[k]["since_last"] for k in (2, 4, 6)] == [2.0, 2.0, 2.0]
    assert signs[4]["previous_width"] == 0.75 and signs[4]["frame"] == 0.0


@pytest.mark.parametrize("texts, k, lines, change", [
    # A brief set narrower than the story before it (7 characters a line against 15).
    (PARK + ["西宁站春运期间", "增开临时列车十", "八对。"], 4, 6, 1 - 7 / 15),
    # The same measure on both sides.
    (PARK + TRAIN, 4, 6, 0.0),
    # Too few lines before the place to show a measure.
    (PARK + TRAIN, 2, 6, 0.0),
    # A brief of three lines between two stories: only the three lines a side nearest the
    # place show its measure.
    (PARK + ["西宁站春运期间", "增开临时列车十", "八对。"] + TRAIN, 4, 3, 1 - 7 / 15),
    (PARK + ["西宁站春运期间", "增开临时列车十", "八对。"] + TRAIN, 4, 6, 0.0),
])
def test_the_measure_changes_where_a_story_set_at_another_width_starts(texts, k, lines, change):
    stream = starts.StartSigns(lines_of(texts), [], [k])
    assert stream.measure_change(k, lines) == pytest.approx(change, abs=0.01)


def test_places_after_an_open_end_are_collected_too():
    # A brief ending on a short line with no full stop: the model is fitted on such places too.
    page = "\n".join(["人民日报 第4版", *PARK[:3], "重新开放", *TRAIN, "责任编辑：王芳",
                      "人民公园完成提升改造", "西宁站春运增开临时列车"]) + "\n"
    assert ("重新开放", TRAIN[0]) in [(before[-1].text, after[0].text)
                                  for before, after, _ in split_places(page)]


def test_log_odds_count_from_the_even_odds():
    model = starts.shipped_model()
    signs = split_places(PAGE)[0][2]
    p = model.probability(signs)
    assert starts.log_odds(model, signs, p) == pytest.approx(0.0, abs=1e-9)
    assert starts.log_odds(model, signs, p / 2) > 0 > starts.log_odds(model, signs, min(1.0, 2 * p))
    assert math.isfinite(starts.log_odds(model, signs, 0.0))


def split_places(page: str) -> list:
    places: list = []
    split_with_features(page, start_candidates=places)
    return places


def test_places_are_collected_after_finished_sentences_only():
    places = split_places(PAGE)
    assert [(before[-1].text, after[0].text) for before, after, _ in places] == \
        [(PARK[1], PARK[2]), (PARK[3], TRAIN[0]), (TRAIN[1], TRAIN[2])]
    assert set(places[0][2]) == set(starts.shipped_model().names)
    # A page with its headlines in place has no listed stream to cut.
    assert split_places("人民公园完成提升改造\n\n" + "\n".join(PARK) + "\n") == []


@pytest.mark.parametrize("text, next_text, credit", [
    ("张三图李四文", "", True),                 # a drawing's and its text's credit
    ("新华社发", "", True),                     # an agency's photo
    ("记者王五摄", "", True),                   # a photographer's
    ("张三李四摄影报", "道", True),             # a photo report's, wrapped over two lines
    ("本版制图：赵六", "", True),               # the page's artwork
    ("版式设计赵", "六", True),
    ("数据来源：某某市统计局", "", True),       # a chart's source
    ("来源：某某", "市统计局", True),
    ("投稿邮箱：", "abc@example.com", True),  # a box's address
    ("网址：www.example.com", "", True),
    ("——编者", "", False),                     # an editor's note opens the story it signs
    ("人民公园东侧的儿童游乐区也已", "重新开放。", False),   # text
    # A caption ends on a credit too; it is no closing credit of a story.
    ("图为西宁站候车大厅里，旅客排队进站检票乘车。本报记者王五摄", "", False),
])
def test_a_closing_credit_on_its_own_line_or_wrapped(text, next_text, credit):
    assert starts.closing_credit(text, next_text) == credit


def test_a_story_starts_after_a_closing_credit_not_on_it():
    # A photo report's credit ends with no full stop; the next story starts after it.
    page = "\n".join(["人民日报 第4版", *PARK, "张三图李四文", *TRAIN, "责任编辑：王芳",
                      "人民公园完成提升改造", "西宁站春运增开临时列车"]) + "\n"
    pairs = [(before[-1].text, after[0].text) for before, after, _ in split_places(page)]
    assert ("张三图李四文", TRAIN[0]) in pairs
    assert all(after != "张三图李四文" for _, after in pairs)


def test_the_shipped_model_finds_the_story_start_likelier_than_a_paragraph_break():
    model = starts.shipped_model()
    assert model is not None, "run python -m bench.train_starts"
    probability = {after[0].text: model.probability(signs) for _, after, signs in split_places(PAGE)}
    assert probability[TRAIN[0]] > probability[PARK[2]]
    assert probability[TRAIN[0]] > probability[TRAIN[2]]
    split = split_page(PAGE)
    assert [(s.title, s.body[:4]) for s in split.segments] == \
        [("人民公园完成提升改造", "市园林局"), ("西宁站春运增开临时列车", "记者从铁")]


def test_a_place_is_labelled_by_the_articles_its_nearest_telling_lines_name():
    from bench.train_starts import owner
    articles = ["".join(PARK), "".join(TRAIN)]
    assert owner(lines_of(PARK[2:]), articles) == 0
    # Lines too short to name one article are passed over for the next.
    assert owner(lines_of(["。", "西宁", TRAIN[1]]), articles) == 1
    assert owner(lines_of(["点。", "西宁市民"]), articles) is None


def test_the_shipped_model_was_fitted_on_the_dev_split_only():
    data = json.loads(starts.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["fitted_on"]["split"] == "dev"
    assert data["fitted_on"]["out_of_fold"]["precision"] >= data["fitted_on"]["precision_bound"]


def test_word_weights_sum_to_the_same_float_under_any_hash_seed():
    # Sums of word weights over sets: summed in set order, the last bits followed Python's
    # per-process string hashes, and a close call between two cuts could fall either way.
    import subprocess
    import sys
    from pathlib import Path

    pages = sorted((Path(__file__).parent / "fixtures" / "pagecorpus").glob("*.pdftotext.txt"))
    assert pages
    script = (
        "import sys\n"
        "from newsarchive.segment import starts\n"
        "from newsarchive.segment.assign import Evidence\n"
        "from newsarchive.segment.types import Body, HeadUnit, Line\n"
        "for path in sys.argv[1:]:\n"
        "    texts = [t for t in open(path, encoding='utf-8').read().splitlines() if len(t) > 4]\n"
        "    lines = [Line(n, t) for n, t in enumerate(texts, start=1)]\n"
        "    signs = starts.StartSigns(lines, [], list(range(1, len(lines))))\n"
        "    print([repr(signs.cohesion(k, 14)) for k in signs.places])\n"
        "    bodies = [Body([('text', lines[i:i + 12])]) for i in range(0, len(lines), 12)]\n"
        "    evidence = Evidence(bodies)\n"
        "    print([repr(evidence.words(HeadUnit(lines[i:i + 1], 0, 0), i // 12 + 1))\n"
        "           for i in range(0, len(lines) - 12, 5)])\n")
    outputs = {subprocess.run([sys.executable, "-c", script, *map(str, pages)],
                              env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True).stdout
               for seed in ("1", "2", "3", "4")}
    assert len(outputs) == 1


@pytest.mark.parametrize("opening, when", [
    ("2月12日，西宁站发送旅客三万人次。", 1.0),     # a date
    ("12日上午，西宁站加开临时列车。", 1.0),         # a day and its time
    ("近日，西宁站增开临时列车十八对。", 1.0),       # lately
    ("当地时间11日，车站恢复售票。", 1.0),           # abroad
    ("西宁站将增开临时列车十八对，", 0.0),           # a paragraph's subject
    ("12项措施同时推出。", 0.0),                     # a figure, no date
])
def test_a_place_where_the_text_opens_on_when_it_happened(opening, when):
    stream = starts.StartSigns(lines_of(PARK + [opening]), [], [4])
    signs = stream.signs({4: 0.0}, {4: {}}, column=20.0)
    assert signs[4]["time_opening"] == when
