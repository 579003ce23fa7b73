"""Table tests for the metadata rules: dates, page labels, places, topics, tags, versions."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.config import Place, Topic, TopicRule
from newsarchive.metadata import (find_places, infer_date, infer_page_label, key_terms,
                                  key_terms_cache_key, link_versions, make_tags, match_topics)

D = dt.date


@pytest.mark.parametrize("text, year, expected", [
    # a page header with a weekday that agrees wins over everything else
    ("2024年12月22日 星期日 要闻\n12月25日将举行", None, D(2024, 12, 22)),
    ("2024 年 12 月\n22 日 星期日\n正文", None, D(2024, 12, 22)),        # split over lines
    ("2024年12月21日 星期日\n2024年12月25日将举行", None, None),   # wrong weekday: no header
    # a line that is only a date is the header's date
    ("人民日报\n2020年2月3日\n第4版", None, D(2020, 2, 3)),
    ("会议于\n2020年2月3日\n召开。", None, D(2020, 2, 3)),
    # … but not one in the text, away from the running head and foot
    ("人民日报\n第4版\n标题\n正文一行\n该公司于\n2008 年 10 月 18 日\n成立，\n至今\n已有\n十余年。",
     None, None),
    # days the text names are what the news is about, not the day it was printed
    ("据了解，此次活动将从 2024 年 12 月 21\n\n日持续到2025年2月。12月20日，游客抵达", None, None),
    ("本报北京1月19日电 （记者吴秋余）2024年以来", None, None),
    ("本报讯 1 月 3 日，省委常委会召开。2024年1月3日项目早抓快上", None, None),
    # 今日/昨日 clues only with the year from the manifest
    ("今日（1月4日）起，本报推出系列报道。2024年是关键之年", None, None),
    ("今日（1月4日）起，本报推出系列报道。", 2024, D(2024, 1, 4)),
    ("昨日（3月8日），记者走访。", 2025, D(2025, 3, 9)),
    ("昨日（2月30日），记者走访。", 2025, None),
    ("今年以来，全市上下真抓实干", 2024, None),
    ("", None, None),
    ("0000年1月1日", None, None),
    ("2024年2月30日", None, None),
])
def test_infer_date(text, year, expected):
    assert infer_date(text, year) == expected


@pytest.mark.parametrize("text, expected", [
    ("A03版 要闻\n正文", "A03"),
    ("第 3 版\n正文", "3"),
    ("2024年12月22日 星期日 A01\n正文", "A01"),
    ("合力。 （下转A04版）", None),          # a continuation note names another page
    ("（上接A01版）\n正文", None),
    ("城中区：开好局启新程走在前作表率\n本报记者 徐顺凯", None),
    ("这是一行很长的正文，提到了A03版的内容，但它太长了不可能是版面页眉或页脚，所以不算数的。", None),
])
def test_infer_page_label(text, expected):
    assert infer_page_label(text) == expected


PLACES = (Place("城东区", "chengdong", ("城东",)), Place("城中区", "chengzhong", ("城中",)),
          Place("大通县", "datong", ("大通",)), Place("湟中区", "huangzhong", ("湟中",)))


@pytest.mark.parametrize("text, expected", [
    ("活动在城东区新千国际广场启动", ["城东区"]),
    ("城东的商家与湟中圣山商业街", ["城东区", "湟中区"]),      # short forms → canonical, gazetteer order
    ("推进城中村改造", []),                                     # 城中村 is an urban village
    ("城中村改造在城中区推进", ["城中区"]),
    ("打通城中心的大通道", []),
    ("大通流浪荒野营地", ["大通县"]),
    ("西宁市区", []),
])
def test_find_places(text, expected):
    assert find_places(text, PLACES) == expected


TOPICS = (Topic("每月一题", "meiyue-yiti", "", TopicRule(("每月一题",), 2)),
          Topic("文旅", "wenlv", "", TopicRule(("文旅", "旅游", "文化和旅游"), 3)))


@pytest.mark.parametrize("headline, body, expected", [
    ("西宁：“每月一题”工作法解基层难题", "正文没有提到。", ["每月一题"]),   # headline alone suffices
    ("标题", "“每月一题”缘何而来。“每月一题”成效。", ["每月一题"]),
    ("标题", "“每月一题”只提到一次。", []),
    ("标题", "文旅融合，旅游升温，游人如织", []),                   # 2 mentions < 3
    ("标题", "文旅融合，旅游升温，旅游消费", ["文旅"]),
    ("标题", "文化和旅游局、文化和旅游厅", []),               # 文化和旅游 counts once, not also 旅游
])
def test_match_topics(headline, body, expected):
    assert match_topics(headline, f"{headline}\n{body}", TOPICS) == expected


def test_key_terms_are_few_characteristic_and_not_stop_words():
    text = ("西宁市“沐暖阳·围炉煮茶”嘉年华活动在城东区新千国际广场正式启动。围炉煮茶品牌商家榜单公布，"
            "围炉煮茶与剧本杀、桌游、电竞相融合。市民游客品茶赏景，围炉煮茶消费券同步发放。") * 2
    terms = key_terms(text, exclude=frozenset({"城东区", "城东"}), vocabulary=("围炉煮茶",))
    assert 1 <= len(terms) <= 5
    assert "围炉煮茶" in terms
    assert not {"城东区", "活动", "西宁市", "工作"} & set(terms)
    assert all(len(t) >= 2 for t in terms)


def test_key_terms_cache_key_changes_with_its_inputs():
    base = key_terms_cache_key("正文", frozenset(), ())
    assert base == key_terms_cache_key("正文", frozenset(), ())
    assert len({base, key_terms_cache_key("正文。", frozenset(), ()),
                key_terms_cache_key("正文", frozenset({"城东"}), ()),
                key_terms_cache_key("正文", frozenset(), ("每月一题",))}) == 4


def test_make_tags_puts_places_first_without_repeats():
    assert make_tags(["城东区"], ["围炉煮茶", "城东区", "消费券"]) == ["城东区", "围炉煮茶", "消费券"]


STORY = ("翻开夯实基层基础工作计划安排表，可以清楚看到，西宁市重点围绕强化基础保障、优化服务平台、"
         "关心关爱基层干部、推进基层减负、完善权责清单、优化基层治理等十个主题，以每月一题形式提请研究推进。")
OTHER = ("活动现场发布了品牌商家榜单，公布了嘉年华活动消费券支持措施及商家名单。此外，现场还设置了"
         "二十家围炉煮茶及特色美食展位，精彩的文艺节目演出更是吸引了不少市民游客驻足观看。")


def test_link_versions_links_two_edits_of_one_story_symmetrically():
    edited = STORY.replace("可以清楚看到，", "") + "推动群众急难愁盼问题一件一件解决。"
    links = link_versions({"b-01": STORY, "a-02": edited, "c-01": OTHER, "d-01": "短讯。"})
    assert links == {"a-02": ["b-01"], "b-01": ["a-02"], "c-01": [], "d-01": []}


def test_link_versions_ignores_short_texts_that_share_a_phrase():
    assert link_versions({"a": "每月一题专题研究推进", "b": "每月一题专题研究推进"}) == {"a": [], "b": []}


def test_link_versions_ignores_boilerplate_shared_by_very_many_texts():
    texts = {f"t{i:02d}": STORY + "".join(chr(0x4e00 + i * 40 + j) for j in range(40))
             for i in range(60)}
    assert all(links == [] for links in link_versions(texts).values())


@given(st.text(alphabet="0123456789年月日号今昨去天（）星期一二三四五六 \n—至到", max_size=80))
@settings(max_examples=1500, deadline=None)
def test_infer_date_never_raises_and_gives_a_real_date(text):
    for year in (None, 2024):
        found = infer_date(text, year)
        assert found is None or isinstance(found, dt.date)


def _versions_by_comparing_every_pair(texts: dict[str, str]) -> dict[str, list[str]]:
    """The definition, all against all (slow): the reference for `link_versions`."""
    from newsarchive.metadata import MAX_POSTINGS, MIN_SHINGLES, VERSION_CONTAINMENT, _shingles
    shingles = {key: _shingles(text) for key, text in texts.items()}
    common = {}
    for own in shingles.values():
        for shingle in own:
            common[shingle] = common.get(shingle, 0) + 1
    links = {key: [] for key in texts}
    for a in texts:
        for b in texts:
            if a >= b:
                continue
            shared = sum(1 for s in shingles[a] & shingles[b] if common[s] <= MAX_POSTINGS)
            small = min(len(shingles[a]), len(shingles[b]))
            if small >= MIN_SHINGLES and shared / small >= VERSION_CONTAINMENT:
                links[a].append(b)
                links[b].append(a)
    return {key: sorted(value) for key, value in links.items()}


def test_link_versions_equals_comparing_every_pair_on_recombined_sentences():
    import random
    sentences = [f"{STORY[i:i + 23]}{OTHER[i % 30:i % 30 + 17]}。" for i in range(0, 60, 3)]
    rng = random.Random(7)
    texts = {f"t{n:03}": "".join(rng.sample(sentences, rng.randint(2, 5))) for n in range(30)}
    texts["copy"] = texts["t001"] + "补记一句。"
    expected = _versions_by_comparing_every_pair(texts)
    assert link_versions(texts) == expected
    assert "t001" in expected["copy"] and sum(map(len, expected.values())) > 2
