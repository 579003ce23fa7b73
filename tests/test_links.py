"""The learned story break between adjacent text blocks (`segment/links.py`): the signs it
weighs, the pages it is not asked on, where a break cuts a body, and the shipped model on two
stories printed one after the other with no headline between."""

import pytest

from newsarchive.segment import links, read_page, split_page
from newsarchive.segment.bodies import cut_bodies
from newsarchive.segment.trees import Tree, TreeModel
from newsarchive.segment.types import Item, ItemKind, Line

# Two stories set in columns nine em wide; each column breaks mid-sentence.
PARK = ["市园林局近日完成人民公", "园提升改造工程，新建步",
        "道三公里，补植乔木两千", "余株，增设座椅和直饮水", "点。公园东侧的儿童游乐",
        "区也已重新开放，滑梯、", "秋千等设施全部更换，地", "面铺设了防滑塑胶。园林"]
PARK_2 = ["局负责人介绍，人民公园", "改造坚持少拆多改，保留", "了园内古树和老建筑，步",
          "道沿湖而建，乔木和直饮", "水点沿步道分布。市民在", "公园里散步、健身，对改",
          "造后的步道和乔木赞不绝", "口。"]
TRAIN = ["记者从铁路部门获悉，今", "年春运期间，西宁站预计", "发送旅客一百二十万人次，",
         "同比增长百分之十五。为", "方便旅客出行，车站将增", "开临时列车十八对，售票",
         "窗口延长服务时间，候车", "室增设母婴休息区和充电"]
TRAIN_2 = ["插座。车站提醒旅客提前", "网上购票，错峰出行，春", "运期间列车和旅客较多，", "候车室和售票窗口请遵守",
           "秩序，旅客出行注意安全。"]


def items_of(*blocks: list[str]) -> list[Item]:
    number, items = 1, []
    for block in blocks:
        items.append(Item(ItemKind.TEXT, [Line(number + k, text) for k, text in enumerate(block)]))
        number += len(block) + 1
    return items


def test_cohesion_weighs_the_pairs_a_later_block_shares_with_an_earlier_one():
    blocks = links.Blocks(items_of(PARK, PARK_2, TRAIN))
    # The park's second column repeats the first's words; the train story shares none.
    assert blocks.cohesion(0, 1) > 0.05
    assert blocks.cohesion(1, 2) == 0.0
    assert blocks.cohesion(0, 2) < blocks.cohesion(0, 1)
    # Outside the page: nothing shared.
    assert blocks.cohesion(-1, 0) == blocks.cohesion(1, 3) == 0.0


def test_signs_describe_the_pair_and_its_neighbours():
    blocks = links.Blocks(items_of(PARK, PARK_2, TRAIN))
    signs = blocks.signs(1)
    assert signs["cohesion"] == blocks.cohesion(1, 2) == 0.0
    assert signs["cohesion_before"] == blocks.cohesion(0, 2)
    assert signs["ends_sentence"] == 1.0 and signs["last_short"] < 0.5
    assert signs["width"] == signs["width_next"] and signs["width_change"] == 0.0
    assert set(signs) == set(links.shipped_model().names)


def test_only_blocks_next_to_each_other_are_weighed():
    items = items_of(PARK, PARK_2, TRAIN)
    items.insert(2, Item(ItemKind.HEAD, [Line(40, "西宁站春运加开列车")]))
    assert links.Blocks(items).adjacent() == [0]


# One split on cohesion at 0.03: a break at or below it.
STUMP_MODEL = TreeModel(names=("cohesion",), prior=0.0, rate=1.0, threshold=0.5, trees=(
    Tree(feature=(0, -2, -2), threshold=(0.03, -2.0, -2.0), left=(1, -1, -1), right=(2, -1, -1),
         value=(0.0, 5.0, -5.0)),))


def test_a_break_found_between_two_blocks_opens_a_body(monkeypatch):
    monkeypatch.setattr(links, "shipped_model", lambda: STUMP_MODEL)
    items = items_of(PARK, PARK_2, TRAIN)
    starts = links.story_starts(items)
    assert starts == {2}
    bodies, _ = cut_bodies(items, starts)
    assert [body.text()[:4] for body in bodies] == ["市园林局", "记者从铁"]
    assert len(cut_bodies(items)[0]) == 1


# The same split, unsure of the break it finds: odds of 0.52, under a fitted threshold of 0.54.
UNSURE_MODEL = TreeModel(names=("cohesion",), prior=0.0, rate=1.0, threshold=0.54, trees=(
    Tree(feature=(0, -2, -2), threshold=(0.03, -2.0, -2.0), left=(1, -1, -1), right=(2, -1, -1),
         value=(0.0, 0.08, -5.0)),))


@pytest.mark.parametrize("own_breaks, starts", [(True, {2}), (False, set())])
def test_a_break_likelier_than_not_is_cut_where_the_blank_lines_are_the_texts_own(
        monkeypatch, own_breaks, starts):
    """Blank lines put in by reading lines across columns back down them are all doubtful:
    there only the fitted threshold cuts."""
    monkeypatch.setattr(links, "shipped_model", lambda: UNSURE_MODEL)
    items = items_of(PARK, PARK_2, TRAIN)
    assert links.story_starts(items, own_breaks=own_breaks) == starts
    assert 0.5 < items[2].lines[0].break_odds < 0.54


@pytest.mark.parametrize("after, kind", [
    (TRAIN, ItemKind.HEAD),              # two stories around it: the second one's headline
    (PARK_2, ItemKind.INLINE_HEAD),      # one story around it: its section heading
])
def test_a_section_heading_between_two_stories_heads_the_second(monkeypatch, after, kind):
    monkeypatch.setattr(links, "shipped_model", lambda: STUMP_MODEL)
    items = items_of(PARK, after)
    items.insert(1, Item(ItemKind.INLINE_HEAD, [Line(30, "西宁站春运加开列车")]))
    assert links.Blocks(items).around_heading(items) == [0]
    assert links.story_starts(items) == set()
    assert items[1].kind == kind


def test_pages_whose_blank_lines_end_paragraphs_are_not_asked(monkeypatch):
    monkeypatch.setattr(links, "shipped_model", lambda: STUMP_MODEL)
    paragraphs = [PARK[:4] + ["点。"], PARK_2[:3] + ["道。"], TRAIN[:3] + ["同比增长。"]]
    assert links.story_starts(items_of(*paragraphs)) == set()


def test_candidates_are_collected_for_fitting_without_a_model(monkeypatch):
    monkeypatch.setattr(links, "shipped_model", lambda: None)
    found = []
    assert links.story_starts(items_of(PARK, PARK_2, TRAIN), candidates=found) == set()
    assert [(a.lines[0].text, b.lines[0].text) for a, b, _ in found] == \
        [(PARK[0], PARK_2[0]), (PARK_2[0], TRAIN[0])]


def test_the_shipped_model_parts_two_stories_printed_one_after_the_other():
    # Both headlines were read first (set side by side over the stories), so no headline stands
    # between the park's last block and the railway story's first.
    page = "\n".join(["人民公园提升改造完成", "", "西宁站春运加开临时列车", ""] + PARK + [""] + PARK_2
                     + [""] + TRAIN + [""] + TRAIN_2)
    _, _, _, items = read_page(page)
    assert [item.kind for item in items] == [ItemKind.HEAD] * 2 + [ItemKind.TEXT] * 4
    assert links.story_starts(items) == {4}
    split = split_page(page)
    assert [(segment.title, segment.body.replace("\n", "")[:4]) for segment in split.segments] == \
        [("人民公园提升改造完成", "市园林局"), ("西宁站春运加开临时列车", "记者从铁")]
    assert split.segments[1].body.endswith("旅客出行注意安全。")


def test_a_block_belongs_to_the_true_article_holding_most_of_its_lines():
    from bench.train_links import owner
    articles = ["".join(PARK + PARK_2), "".join(TRAIN + TRAIN_2)]
    mixed = items_of(PARK[:3] + TRAIN[:1])[0]
    assert owner(mixed, articles) == 0
    assert owner(items_of(TRAIN)[0], articles) == 1
    # Lines too short to name one article, or found in none, give no owner.
    assert owner(items_of(["点。", "西宁市民"])[0], articles) is None


def test_the_shipped_model_was_fitted_on_the_dev_split_only():
    import json
    data = json.loads(links.MODEL_PATH.read_text(encoding="utf-8"))
    assert data["fitted_on"]["split"] == "dev"
    assert 0.0 < data["threshold"] < 1.0
    assert data["fitted_on"]["out_of_fold"]["precision"] >= data["fitted_on"]["precision_bound"]


def test_each_weighed_join_keeps_the_models_odds_on_the_line_where_the_next_block_starts(
        monkeypatch):
    monkeypatch.setattr(links, "shipped_model", lambda: STUMP_MODEL)
    items = items_of(PARK, PARK_2, TRAIN)
    links.story_starts(items)
    odds = [item.lines[0].break_odds for item in items]
    assert odds[0] == 0.0 and odds[1] < 0.5 < odds[2]
    assert all(line.break_odds == 0.0 for item in items for line in item.lines[1:])
