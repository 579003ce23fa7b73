"""Pages whose extraction lists the headlines apart, after every story (drawing order, as
`pdftotext -raw` reads many PDFs): no blank line between stories, the headlines at the end."""

import pytest

from newsarchive.segment import account_han, split_page
from newsarchive.segment.lines import read_lines
from newsarchive.segment.listed import find_listed_headlines

# Three stories read straight on, a caption and an over-line among them, the headlines after
# the editor's credit; the second headline wraps inside its brackets.
STREAM = """人民日报 第4版
本报讯 今年以来，全市新建城市公
园十二座，改造提升街头绿地三十
处，市民休闲空间不断扩大。
据介绍，明年全市还将新建公园五
座，城市公园总数将超过六十座。
图为市民在新建的滨河公园散步。 本报记者 李明摄
■ 市交通局发布出行提示——
春运首日，市交通局发布春运出行
提示，提醒广大旅客错峰出行，合
理安排行程，注意防寒保暖。
市交通局相关负责人表示，春运期
间全市将加密公交班次。
昨日，市图书馆举办新年阅读活动
，吸引众多市民参加，亲子阅读区
和非遗展示区人头攒动。
阅读活动将持续到明年一月底。
责任编辑：王芳
全市新建十二座城市公园
春运出行请错峰（民生
关注）
图书馆新年阅读活动受欢迎
"""


def test_listed_headlines_are_found_and_grouped():
    lines, _ = read_lines(STREAM)
    listed = find_listed_headlines(lines)
    assert listed is not None
    _, heads, doubled = listed
    assert ["".join(line.text for line in head) for head in heads] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]
    assert doubled == []


def test_each_listed_headline_heads_the_story_that_uses_its_words():
    split = split_page(STREAM)
    got = [(s.kicker, s.title, s.byline, s.body[:7], s.body[-6:]) for s in split.segments]
    assert got == [
        (None, "全市新建十二座城市公园", "本报讯", "今年以来，全市", "超过六十座。"),
        ("市交通局发布出行提示——", "春运出行请错峰（民生关注）", None, "春运首日，市交", "密公交班次。"),
        (None, "图书馆新年阅读活动受欢迎", None, "昨日，市图书馆", "明年一月底。"),
    ]
    assert [(a.kind, a.line) for a in split.artifacts] == \
        [("page-furniture", 1), ("page-furniture", 18), ("photo-caption", 7)]
    accounted, total, _ = account_han(STREAM, split)
    assert accounted == total


def test_a_headline_drawn_twice_in_the_list_is_kept_once_and_recorded():
    text = STREAM.replace("图书馆新年阅读活动受欢迎\n", "图书馆新年阅读活动受欢迎\n图书馆新年阅读活动受欢迎\n")
    split = split_page(text)
    assert [s.title for s in split.segments][-1] == "图书馆新年阅读活动受欢迎"
    assert [a.kind for a in split.artifacts if a.text == "图书馆新年阅读活动受欢迎"] == ["doubled-text"]
    accounted, total, _ = account_han(text, split)
    assert accounted == total


@pytest.mark.parametrize("tail", [
    # one story's own headline set after it (the seeds' way): a block, not a list
    "全市新建十二座城市公园\n",
    # short lines that name nothing in the text are no headlines of it
    "冬至\n小寒\n大寒\n",
])
def test_no_list_without_two_headlines_backed_by_the_text(tail):
    text = STREAM.split("责任编辑")[0] + tail
    assert find_listed_headlines(read_lines(text)[0]) is None


def test_text_with_its_headlines_in_place_is_read_in_turn():
    # Headlines stand over their stories; the two short lines after the last one are that
    # story's, not a list for the page.
    text = """全市新建十二座城市公园

本报讯 今年以来，全市新建城市公园十二座，改造提升街头绿地三十处。

春运出行请错峰

春运首日，市交通局发布春运出行提示，提醒广大旅客错峰出行。

城市公园
春运出行
"""
    split = split_page(text)
    assert [s.title for s in split.segments][:2] == ["全市新建十二座城市公园", "春运出行请错峰"]


def test_a_fake_bold_headline_wrapped_a_character_a_line_is_read_once():
    # Each character drawn twice, the narrow column wrapping after every second one.
    doubled = "全\n全市\n市新\n新建\n建十\n十二\n二座\n座城\n城市\n市公\n公园\n园\n"
    text = STREAM.replace("全市新建十二座城市公园\n", doubled)
    split = split_page(text)
    assert split.segments[0].title == "全市新建十二座城市公园"
    assert "".join(a.text for a in split.artifacts if a.kind == "doubled-text") == "全市新建十二座城市公园"
    accounted, total, _ = account_han(text, split)
    assert accounted == total


def test_the_wrapped_end_of_a_headline_before_a_fake_bold_one_stays_with_its_headline():
    # The second headline wraps its last word onto a line of its own; the third is drawn twice
    # a character or two a line: the wrapped word is no part of that run.
    doubled = "图\n图书\n书馆\n馆新\n新年\n年阅\n阅读\n读活\n活动\n动受\n受欢\n欢迎\n迎\n"
    text = STREAM.replace("春运出行请错峰（民生\n关注）\n图书馆新年阅读活动受欢迎\n",
                          "春运出行请错峰民生\n关注\n" + doubled)
    assert [s.title for s in split_page(text).segments] == \
        ["全市新建十二座城市公园", "春运出行请错峰民生关注", "图书馆新年阅读活动受欢迎"]


def test_two_listed_headlines_glued_on_one_line_are_two():
    text = STREAM.replace("春运出行请错峰（民生\n关注）\n图书馆新年阅读活动受欢迎\n",
                          "春运出行请错峰（民生\n关注）图书馆新年阅读活动受欢迎\n")
    assert [s.title for s in split_page(text).segments] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]


def test_a_headline_after_a_bracket_left_open_is_its_own():
    # The extraction lost the end of the second headline's tag.
    text = STREAM.replace("春运出行请错峰（民生\n关注）\n", "春运出行请错峰（民生\n")
    assert [s.title for s in split_page(text).segments] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生", "图书馆新年阅读活动受欢迎"]


def test_a_label_line_opens_its_story_and_a_closing_quote_stays_with_its_sentence():
    # `市图书馆` is a label printed over the third story; the second story's last sentence
    # ends in a quote the extraction put on the next line.
    text = STREAM.replace("间全市将加密公交班次。\n", "间全市将加密公交班次。“出行\n请错峰。\n”\n市图书馆\n")
    split = split_page(text)
    second, third = split.segments[1], split.segments[2]
    assert second.body.endswith("“出行请错峰。”")
    assert (third.kicker, third.title) == ("市图书馆", "图书馆新年阅读活动受欢迎")
    assert third.body.startswith("昨日，市图书馆")
    accounted, total, _ = account_han(text, split)
    assert accounted == total


@pytest.mark.parametrize("label", [
    "市民文化",               # short for the page's columns
    "市民文化生活新气象观察",   # short only for the wider lines of the story under it
])
def test_a_series_banner_over_a_story_set_wider_than_the_page_is_its_label(label):
    text = STREAM.replace(
        "昨日，市图书馆举办新年阅读活动\n，吸引众多市民参加，亲子阅读区\n和非遗展示区人头攒动。\n",
        f"{label}\n昨日，市图书馆举办新年阅读活动，吸引众多市\n民参加，亲子阅读区和非遗展示区人头攒动。\n")
    third = split_page(text).segments[2]
    assert (third.kicker, third.title) == (label, "图书馆新年阅读活动受欢迎")
    assert third.body.startswith("昨日，市图书馆")


@pytest.mark.parametrize("between", [
    "文化生活\n图为市民在图书馆阅读。 本报记者 李明摄\n",   # a series banner's label, a caption
    "图为市民在图书馆阅读。 本报记者 李明摄\n文化生活\n",
])
def test_a_label_alone_between_two_stories_takes_no_listed_headline(between):
    # The list holds a photo's headline, `图片报道`, whose words no text repeats: it heads no
    # story rather than the label.
    text = STREAM.replace("关注）\n图书馆", "关注）\n图片报道\n图书馆").replace(
        "间全市将加密公交班次。\n", "间全市将加密公交班次。\n" + between)
    split = split_page(text)
    assert "文化生活" not in [segment.body for segment in split.segments]
    assert [s.title for s in split.segments][:3] == [
        "全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]
    assert split.segments[2].body.startswith("昨日，市图书馆")


@pytest.mark.parametrize("first, taken", [
    (["市交通局——"], "市交通局——"),        # an over-line, a frame of its own over the story
    (["市民出行"], "市民出行"),              # a label
    (["阅读活动将持续到明年一月底。"], None),   # a story's last line
])
def test_an_over_line_that_is_all_its_frame_holds_is_the_kicker(first, taken):
    from newsarchive.segment.listed import _take_kicker
    from newsarchive.segment.types import Body, Line
    over = Body(parts=[("text", [Line(1 + k, text) for k, text in enumerate(first)])])
    story = Body(parts=[("text", [Line(5, "春运首日，市交通局发布春运出行"),
                                  Line(6, "提示，提醒旅客错峰出行。")])], starts_with_byline=True)
    frames = [over, story]
    kicker = _take_kicker(frames, column=12.0)
    assert ("".join(line.text for line in kicker) or None) == taken
    assert not over.parts if taken else over.text() == first[0]


def test_a_listed_headline_ending_in_an_exclamation_mark_is_in_the_list():
    text = STREAM.replace("全市新建十二座城市公园\n", "全市新建十二\n座城市公园！\n")
    split = split_page(text)
    assert [s.title for s in split.segments] == \
        ["全市新建十二座城市公园！", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]
    # …but a story's last line ending in one is no headline: the list starts after it.
    ended = STREAM.replace("阅读活动将持续到明年一月底。\n", "阅读活动将持续到明年一月底！\n")
    assert [s.title for s in split_page(ended).segments] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]


def test_a_lead_label_opening_a_story_stays_in_its_text():
    text = STREAM.replace("昨日，市图书馆举办", "核心阅读\n昨日，市图书馆举办")
    third = split_page(text).segments[2]
    assert (third.kicker, third.title) == (None, "图书馆新年阅读活动受欢迎")
    assert third.body.startswith("核心阅读\n\n昨日，市图书馆")


def test_an_editors_signature_line_is_not_taken_for_a_label_and_lost():
    text = STREAM.replace("昨日，市图书馆举办", "——编者\n昨日，市图书馆举办")
    split = split_page(text)
    accounted, total, _ = account_han(text, split)
    assert accounted == total
    assert split.segments[2].kicker is None


def test_listed_pages_split_the_same_under_any_hash_seed():
    # The cut is a sum of word weights over sets; summed in set order it differed from run to
    # run (Python seeds its string hashes per process), and so could an ingest.
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    pages = sorted((Path(__file__).parent / "fixtures" / "pagecorpus").glob("*.raw.txt"))
    assert pages
    script = ("import json, sys\nfrom newsarchive.segment import split_page\n"
              "print(json.dumps([[(s.kicker, s.title, s.body) for s in "
              "split_page(open(p, encoding='utf-8').read()).segments] for p in sys.argv[1:]]))")
    outputs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", script, *map(str, pages)], env=env,
                                capture_output=True, text=True, check=True)
        outputs.append(json.loads(result.stdout))
    assert outputs[0] == outputs[1] == outputs[2]


def test_an_over_line_in_the_text_is_no_headline_in_place():
    # Two stories, two listed headlines, and the second story's over-line read in with the
    # text: the list still heads the stories.
    text = STREAM.split("昨日，市图书馆")[0].replace(
        "■ 市交通局发布出行提示——", "■ 市交通局发布春运期间全市出行提示——") \
        + "责任编辑：王芳\n全市新建十二座城市公园\n提醒旅客错峰出行（民生\n关注）\n"
    split = split_page(text)
    assert [(s.kicker, s.title) for s in split.segments] == [
        (None, "全市新建十二座城市公园"),
        ("市交通局发布春运期间全市出行提示——", "提醒旅客错峰出行（民生关注）")]


def test_the_words_change_most_where_the_next_story_starts():
    from newsarchive.segment.listed import _cohesion_dips
    from newsarchive.segment.starts import StartSigns
    from newsarchive.segment.types import Line
    park = ["今年以来，全市新建城市公", "园十二座。", "公园步道和绿地面积不断扩", "大。",
            "城市公园里新添了健身步道", "和儿童乐园。", "公园管理处表示，明年城市",
            "公园还将增加步道和绿地。"]
    train = ["春运首日，西宁站发送旅客", "三万人次。", "车站加开临时列车，铁路部", "门提醒旅客错峰出行。",
             "春运期间西宁站还将加开列", "车，旅客可提前网上购票。"]
    stream = [(0, Line(n, text)) for n, text in enumerate(park + train, start=1)]
    # Possible starts: every line after a finished sentence.
    starts = {k: 0.0 for k in range(1, len(stream)) if stream[k - 1][1].text.endswith("。")}
    assert len(park) in starts
    dips = _cohesion_dips(StartSigns([line for _, line in stream], [], sorted(starts)))
    assert set(dips) == set(starts)
    assert max(dips, key=dips.get) == len(park)
    assert dips[len(park)] > 0 > min(dips.values())
    assert all(-1.0 <= dip <= 1.0 for dip in dips.values())


@pytest.mark.parametrize("text, kicker", [
    ("国家发改委、国务院台办等部门印发通知", True),     # an over-line across the columns
    ("■ 市交通局发布出行提示——", True),
    ("华夏幸福", True),                                  # a short label
    ("市交通局相关负责人表示，春运期间全市将加密公交班次。", False),   # a sentence
    ("春运首日，市交通局发布", False),                  # a line of text
])
def test_over_lines_read_in_with_the_text(text, kicker):
    from newsarchive.segment.listed import _kicker_line
    from newsarchive.segment.types import Line
    assert _kicker_line(Line(1, text), column=12.0) == kicker


@pytest.mark.parametrize("first, rest, wide_text", [
    # An item set across two of the page's columns: the line under it is as wide.
    ("市交通局相关负责人表示春运期间全市将", ["加密公交班次并延长地铁运营时间，方便旅客出行。", "据介绍"], True),
    # Indented, the first line is a little narrower than the line under it.
    ("市交通局相关负责人表示春运期间全", ["市将加密公交班次并延长地铁运营时", "间。"], True),
    # A two-line story: the line under it ends the story.
    ("市交通局相关负责人表示春运期间全市将", ["加密公交班次。"], True),
    # An over-line across the columns is wider than the story's text under it.
    ("国家发改委、国务院台办等部门印发通知", ["春运首日，市交通", "局发布出行提示"], False),
    ("■ 市交通局发布春运出行提示和安全提醒", ["加密公交班次并延长地铁运营时间，方便旅客出行。", "据介绍"], False),
    ("市交通局发布出行提示", ["加密公交班次并延长", "据介绍"], False),   # not wide
])
def test_a_first_line_as_wide_as_the_text_under_it_is_no_over_line(first, rest, wide_text):
    from newsarchive.segment.listed import _wide_text
    from newsarchive.segment.types import Line
    assert _wide_text(first, [Line(2 + k, text) for k, text in enumerate(rest)], column=10.0) \
        == wide_text


@pytest.mark.parametrize("note", [
    "（作者\n为市交通运输研究院院长）",     # the author's note under a commentary
    "（相关\n报道见第四版）",               # a pointer to another page
    "（影像\n中国）",                       # a photo story's column tag
])
def test_a_story_may_end_on_a_bracketed_note_with_no_full_stop_after_it(note):
    # The second story's last line is the note's end: `）`, not `。`, closes it.
    text = STREAM.replace("间全市将加密公交班次。\n", f"间全市将加密公交班次。{note}\n")
    second, third = split_page(text).segments[1:]
    assert second.body.endswith(note.replace("\n", ""))
    assert third.body.startswith("昨日，市图书馆")


@pytest.mark.parametrize("park, train", [
    ("全市新建十二座城市公园（新春走基层·脱贫攻坚一线见闻）", "春运出行请错峰（新春走基层·算算农家增收账）"),
    ("全市新建十二座城市公园(新春走基层·脱贫攻坚一线见闻)", "春运出行请错峰(新春走基层·算算农家增收账)"),
])
def test_listed_headlines_are_backed_by_their_words_not_their_series_tags(park, train):
    # The tags name a column, and the text repeats none of their words.
    text = STREAM.replace("全市新建十二座城市公园\n", park + "\n") \
        .replace("春运出行请错峰（民生\n关注）\n", train + "\n")
    assert [s.title for s in split_page(text).segments] == [park, train, "图书馆新年阅读活动受欢迎"]


@pytest.mark.parametrize("second, third", [
    # labels over two stories' lead boxes
    ("市交通局\n核心阅读\n", "市图书馆\n核心阅读\n"),
    # subtitles under a dash read in with the text
    ("——市交通局发布春运出行提示\n核心阅读\n", "——市图书馆举办新年阅读活动\n核心阅读\n"),
])
def test_labels_and_subtitles_in_the_text_are_no_headlines_in_place(second, third):
    # Headlines in place would make the page one read in turn; these stand over stories
    # whose headlines are listed (a label in the text goes into its story's headline).
    text = STREAM.replace("■ 市交通局发布出行提示——\n", second) \
        .replace("昨日，市图书馆举办", third + "昨日，市图书馆举办")
    segments = split_page(text).segments
    assert [s.title.endswith(head) for s, head in zip(segments, [
        "全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"])] == [True] * 3
    assert len(segments) == 3 and segments[2].body.startswith(("核心阅读", "昨日"))


@pytest.mark.parametrize("second", [
    "春运期间出行请错峰出行注意安全！",
    "春运出行请错峰，旅客出行请提前购票！",
])
def test_a_fake_bold_listed_headline_ending_in_an_exclamation_mark_is_one_line_of_the_list(second):
    # Drawn a character or two a line, each character twice, it takes many lines.
    drawn = "\n".join([second[0]] + [a + b for a, b in zip(second, second[1:])] + [second[-1]])
    text = STREAM.replace("春运出行请错峰（民生\n关注）\n", drawn + "\n")
    assert [s.title for s in split_page(text).segments] == \
        ["全市新建十二座城市公园", second, "图书馆新年阅读活动受欢迎"]


# The stories after the open end run on to a last paragraph of two lines (see the xfail below).
LAST_PARAGRAPH_OF_TWO_LINES = "阅读活动将持续到明年一月底，欢\n迎广大市民参加。\n"


@pytest.mark.parametrize("end", [
    "间全市将加密公交班次\n",                                # a brief cut short
    "间全市将加密公交班次，\n运力保障毫不松懈\n",            # a summary closing on a phrase
    "间全市将加密公交班次，运力保障毫不松\n懈\n",            # its last character wrapped alone
])
def test_a_story_may_end_on_a_short_line_with_no_full_stop(end):
    text = STREAM.replace("间全市将加密公交班次。\n", end).replace(
        "阅读活动将持续到明年一月底。\n", LAST_PARAGRAPH_OF_TWO_LINES)
    second, third = split_page(text).segments[1:]
    assert second.body.endswith(end.replace("\n", "")[-6:])
    assert third.body.startswith("昨日，市图书馆")


def test_a_story_set_wide_may_end_on_a_line_short_for_its_own_measure():
    # The second story is a box set across two narrow columns; its last line, with no full stop,
    # is as wide as the page's narrow columns but short for the box.
    wide = ("春运首日，市交通局发布春运出行提示，提醒广大旅客错峰出行，\n"
            "合理安排行程，注意防寒保暖，出行前及时了解天气和路况信息，\n"
            "市交通局相关负责人表示，春运期间全市将加密公交班次和地铁\n"
            "班次，延长运营时间，全力保障旅客平安顺利出行，同时加强\n"
            "运力保障毫不松懈确保旅客出行\n")
    narrow = ("据介绍，明年全市还将新建公园五\n座，城市公园总数将超过六十座。\n"
              "新建公园将配建健身步道和儿童游\n乐设施，方便周边居民就近休闲。\n"
              "市园林局表示，将同步推进老旧公\n园改造，补齐照明和公厕等短板。\n")
    text = STREAM.replace("春运首日，市交通局发布春运出行\n提示，提醒广大旅客错峰出行，合\n"
                          "理安排行程，注意防寒保暖。\n市交通局相关负责人表示，春运期\n"
                          "间全市将加密公交班次。\n", wide) \
        .replace("据介绍，明年全市还将新建公园五\n座，城市公园总数将超过六十座。\n", narrow)
    second, third = split_page(text).segments[1:]
    assert second.body.endswith("确保旅客出行")
    assert third.body.startswith("昨日，市图书馆")


@pytest.mark.xfail(strict=True, reason=(
    "known: the story-start model fitted on 960 pages (session 16) finds a story starting at a "
    "page's last paragraph of one short line likelier (0.65; 0.17 fitted on 320) than after an "
    "open end (0.17), and the listed headline goes there; with a full stop, or a last paragraph "
    "of two lines, the story starts right. Shipped for its test gain: raw found exactly 49.1% -> "
    "50.0%, segmentation 0.816 -> 0.820"))
def test_an_open_end_before_a_story_ending_on_one_short_line():
    text = STREAM.replace("间全市将加密公交班次。\n", "间全市将加密公交班次\n")
    assert split_page(text).segments[2].body.startswith("昨日，市图书馆")


@pytest.mark.parametrize("third", [
    "本报讯 昨日，市图书馆举办",
    "本报北京1月10日电 昨日，市图书馆举办",
])
def test_a_story_the_list_has_no_headline_for_stands_alone(third):
    # The list lost the third story's headline; under its dateline its text still starts a
    # story of its own.
    text = STREAM.replace("图书馆新年阅读活动受欢迎\n", "").replace("昨日，市图书馆举办", third)
    segments = split_page(text).segments
    assert [s.title for s in segments][:2] == ["全市新建十二座城市公园", "春运出行请错峰（民生关注）"]
    assert segments[1].body.endswith("密公交班次。")
    assert segments[-1].body.startswith("昨日，市图书馆")


@pytest.mark.parametrize("verse", [
    "书香满城\n灯火可亲\n岁月静好\n人间温暖\n春风拂面\n万家团圆\n山高水长\n星河璀璨\n梅开五福\n竹报平安\n",
    "一盏灯火\n照亮归途\n一本好书\n温暖寒冬\n一声问候\n传递真情\n一片书香\n浸润心田\n一座城市\n因你而美\n",
])
def test_a_story_ending_in_verse_does_not_hide_the_list_after_the_editors_credit(verse):
    # The verse has no full stop: the run of short lines before the list starts in it, and
    # its lines, backed by no words, drown the headlines; the credit line starts the list.
    text = STREAM.replace("阅读活动将持续到明年一月底。\n", "阅读活动将持续到明年一月底。\n" + verse)
    assert [s.title for s in split_page(text).segments][:3] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]


def with_list(listed: str) -> str:
    """STREAM with its listed headlines printed as `listed`."""
    return STREAM.replace("全市新建十二座城市公园\n春运出行请错峰（民生\n关注）\n图书馆新年阅读活动受欢迎\n",
                          listed)


def listed_heads(listed: str) -> list[str]:
    """The headlines find_listed_headlines reads in STREAM with `listed` as its list."""
    found = find_listed_headlines(read_lines(with_list(listed))[0])
    return ["".join(line.text for line in head) for head in found[1]]


@pytest.mark.parametrize("listed, titles", [
    # Two headlines set side by side, read as one line with a space between them.
    ("全市新建十二座城市公园 春运出行请错峰\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园", "春运出行请错峰", "图书馆新年阅读活动受欢迎"]),
    # A part of three Han characters or fewer is the rest of the headline before it.
    ("全市新建十二座城市公园\n春运出行请错峰（民生关注）\n图书馆新年阅读活动 受欢迎\n",
     ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]),
])
def test_listed_headlines_side_by_side_on_one_line_are_two(listed, titles):
    text = with_list(listed)
    assert [s.title for s in split_page(text).segments] == titles


@pytest.mark.parametrize("listed, heads", [
    # The second headline wrapped before its last few words and its series tag.
    ("全市新建十二座城市公园\n春运出行\n请错峰（民生关注）\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]),
    # A headline of its own with a tag after one with none.
    ("全市新建十二座城市公园\n春运出行请错峰\n图书馆新年阅读活动受欢迎（民生关注）\n",
     ["全市新建十二座城市公园", "春运出行请错峰", "图书馆新年阅读活动受欢迎（民生关注）"]),
])
def test_a_few_words_before_a_series_tag_end_the_headline_the_line_before_began(listed, heads):
    assert listed_heads(listed) == heads


@pytest.mark.parametrize("listed, heads", [
    # A series tag that reads like a closing credit, after words ending no sentence.
    ("全市新建十二座城市公园（记者观察）\n春运出行请错峰（民生关注）\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园（记者观察）", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]),
    # An over-line ending in a dash, listed with the headlines.
    ("全市新建十二座城市公园\n市交通局——\n春运出行请错峰（民生关注）\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园", "市交通局——", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]),
])
def test_a_listed_line_that_only_looks_like_a_story_end_is_in_the_list(listed, heads):
    assert listed_heads(listed) == heads


@pytest.mark.parametrize("text, credit", [
    ("（作者为某大学教授）", True),
    ("（执笔：张三）", True),
    ("（本报记者 王琼整理）", True),
    ("”（本报记者 王琼）", True),
    ("张三摄（影像中国）", True),
    ("（新华社发）", True),
    ("（本报华盛顿2月2日电）", True),
    ("（新华社北京电记者张三）", True),
    ("图片报道", False),
    ("春运出行请错峰（民生关注）", False),
    # A headline with a tag's tail glued to it is no credit.
    ("全市新建十二座城市公园张三摄（影像中国）", False),
])
def test_a_credit_drawn_with_the_headlines_is_no_headline(text, credit):
    from newsarchive.segment.listed import _credit_block
    assert _credit_block(text) == credit


@pytest.mark.parametrize("text, own", [
    ("春运出行请错峰（民生关注）", True),
    # A wrapped headline's last few words before the tag.
    ("请错峰（民生关注）", False),
    ("全市新建十二座城市公园", False),
    ("（本报华盛顿2月2日电）", False),
])
def test_a_listed_block_closed_by_its_own_series_tag_is_a_whole_headline(text, own):
    from newsarchive.segment.listed import _own_tag
    assert _own_tag(text) == own


@pytest.mark.parametrize("text, credit", [
    ("（记者 王琼）", True),
    ("全市新建公园十二座。（记者 王琼）", True),
    ("（据新华社）", True),
    ("全市新建十二座城市公园（记者观察）", False),
])
def test_a_closing_credit_follows_a_sentence_end_or_stands_alone(text, credit):
    from newsarchive.segment.listed import _closing_credit
    assert _closing_credit(text) == credit


@pytest.mark.parametrize("second", [
    "春运首日\n出行请\n错峰（民生\n关注）\n",
])
def test_a_fake_bold_headline_of_several_lines_drawn_again_whole_is_read_once(second):
    text = STREAM.replace("春运出行请错峰（民生\n关注）\n", second + second)
    found = find_listed_headlines(read_lines(text)[0])
    assert "".join(line.text for head in found[1] for line in head) == \
        "全市新建十二座城市公园" + second.replace("\n", "") + "图书馆新年阅读活动受欢迎"
    assert "".join(line.text for line in found[2]) == second.replace("\n", "")



PARK_END = ["据介绍，明年全市还将新建公园五", "座，城市公园总数将超过六十座。"]


@pytest.mark.parametrize("between, opening, moved", [
    # An over-line on one line, the story's dateline under it.
    (["市政府部署节日期间全市公交服务"], ["本报西宁1月10日电 春运首日，", "市交通局发布"], 1),
    # Wrapped over two lines, before a dateline wrapped too.
    (["市政府部署节日期间全市", "公交服务保障工作"], ["本报西宁1月", "10日电 春运首日，"], 2),
    # After a closing quote read onto a line of its own.
    (["”", "市政府部署节日期间全市公交服务"], ["新华社西宁1月10日电 春运", "首日，市交通局"], 1),
    # Ending in a dash, over a lead's label.
    (["全市公交负责人——"], ["编者按", "春运首日，市交通局"], 1),
    # A subtitle opening on a dash.
    (["——市长主持"], ["本报西宁1月10日电 春运首日，", "市交通局发布"], 1),
    # A credit line over a lead's label stays with the story above.
    (["张三图 李四文"], ["编者按", "春运首日，市交通局"], 0),
    # A photo's credit and a credit line stay with the story above.
    (["本报记者 李明摄"], ["本报西宁1月10日电 春运首日，", "市交通局发布"], 0),
    (["本版制图：王芳"], ["本报西宁1月10日电 春运首日，", "市交通局发布"], 0),
    # A story's text with no dateline after it is not an over-line.
    (["市政府部署节日期间全市公交服务"], ["春运首日，市交通局发布春运出行", "提示。"], 0),
])
def test_an_over_line_drawn_before_its_storys_dateline_heads_that_story(between, opening, moved):
    from newsarchive.segment.listed import _over_lines_to_their_story
    texts = PARK_END + between + opening
    cut = len(PARK_END) + len(between)
    parts, over = _over_lines_to_their_story([((0,), 0), ((1,), cut)], texts)
    assert parts == [((0,), 0), ((1,), cut - moved)]
    assert over == ({cut - moved: moved} if moved else {})


def test_a_part_holding_only_an_over_line_goes_with_the_story_under_it():
    # The cutting gave the over-line a story of its own, with no listed headline.
    from newsarchive.segment.listed import _over_lines_to_their_story
    texts = PARK_END + ["市政府部署节日期间全市公交服务", "本报西宁1月10日电 春运首日，", "市交通局发布"]
    parts, over = _over_lines_to_their_story([((0,), 0), ((), 2), ((1,), 3)], texts)
    assert (parts, over) == ([((0,), 0), ((1,), 2)], {2: 1})


@pytest.mark.parametrize("listed, heads", [
    # A headline wrapped after a comma goes on in the next line.
    ("全市新建十二座城市公园\n春运出行，\n旅客请错峰出行\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园", "春运出行，旅客请错峰出行", "图书馆新年阅读活动受欢迎"]),
    # A two-character label after a headline closed by its tag is a headline of its own.
    ("全市新建十二座城市公园\n春运出行请错峰（民生关注）\n速览\n图书馆新年阅读活动受欢迎\n",
     ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "速览", "图书馆新年阅读活动受欢迎"]),
])
def test_where_a_listed_headline_wrapped_and_where_the_next_begins(listed, heads):
    assert listed_heads(listed) == heads


@pytest.mark.parametrize("third", [
    "1月10日，市图书馆举办",      # a date
    "10日上午，市图书馆举办",     # a day and its time
    "近日，市图书馆举办",         # lately
])
def test_a_story_may_start_on_when_it_happened_after_a_full_line_with_no_full_stop(third):
    # The second story's last line fills its column and lost its full stop; the third opens on
    # when it happened.
    text = STREAM.replace("间全市将加密公交班次。\n", "间全市将加密公交班次，确保旅客安心出行\n") \
        .replace("昨日，市图书馆举办", third)
    second, third_story = split_page(text).segments[1:]
    assert second.body.endswith("确保旅客安心出行")
    assert third_story.body.startswith(third[:4])


@pytest.mark.parametrize("before, after, tail", [
    # The headline's last words on a line of their own, its tag wrapped after them.
    ("春运出行", "请错峰\n（民生\n关注）", True),
    # Words in quotes, the tag wrapped after them.
    ("春运出行", "“请错峰”\n（民生\n关注）", True),
    # A headline of its own: more than a few words, its tag on its first line.
    ("春运出行", "旅客请错峰出行\n（民生\n关注）", False),
    ("春运出行", "图片报道（民生\n关注）", False),
    ("春运出行", "“请错峰”（民生\n关注）", False),
    # The block before has its tag already.
    ("春运出行（民生关注）", "请错峰\n（民生\n关注）", False),
])
def test_a_few_words_before_a_wrapped_series_tag_end_the_headline_before_them(before, after, tail):
    from newsarchive.segment.listed import _tag_tail
    from newsarchive.segment.types import HeadUnit, Line

    def unit(text):
        return HeadUnit([Line(n, part) for n, part in enumerate(text.split("\n"), start=1)],
                        group=-1, position=0)
    assert _tag_tail(unit(before), unit(after)) == tail


@pytest.mark.parametrize("lines, taken", [
    # A subtitle wrapped in a narrow column, its last line short.
    (["——市交通局春运", "出行提示发布会侧", "记", "春运首日，市交通", "局发布出行提示，", "提醒旅客。"], 3),
    (["市民出行更方便", "更安心", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 2),
    (["——市交通局春", "运出行提示发布", "会侧记", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 3),
    (["——市交通局", "春运出行提示", "发布会现场侧", "记", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 4),
    # An over-line ending in a dash, wrapped.
    (["市交通局相关负", "责人——", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 2),
    # One line set wider than the text under it.
    (["春运首日客流平稳，公交地铁加密班次", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 1),
    # A paragraph's first line, indented: narrower than the next.
    (["市图书馆举办阅", "读活动吸引众多读", "者", "昨日，市图书馆", "举办新年阅读活", "动，吸引读者。"], 0),
    # A lead's sentence the extraction broke: it ends on the next line, or opens on a date, or
    # leaves a book title open, or breaks at a quotation mark or after a clause.
    (["市交通局相关负责人表示全市交通“平", "稳有序。", "春运首日，市交", "通局发布出行提"], 0),
    (["近日，市交通局印发《春运出行指南", "二〇二〇》", "，提醒旅客错峰出", "行，注意安全。"], 0),
    (["春运首日，市交", "通局发布，", "“公交地铁", "加密班次。"], 0),
    # A list's items.
    (["●出行前查询", "班次信息", "●戴好口罩", "勤洗手，注意", "个人卫生。"], 0),
    # A sentence, a line of text, a lead's label.
    (["春运首日客流平稳。", "市交通局发布出", "行提示，提醒旅", "客错峰出行。"], 0),
    (["春运首日，市交", "通局发布出行提", "示，提醒旅客错", "峰出行。"], 0),
    (["核心阅读", "春运首日，市交", "通局发布出行提", "示，提醒旅客。"], 0),
])
def test_an_over_line_read_in_before_its_text(lines, taken):
    from newsarchive.segment.listed import _over_line_run
    assert _over_line_run(lines, column=7.0) == taken


@pytest.mark.parametrize("first, taken", [
    ("华夏幸福", "华夏幸福"),                   # a label over the text
    ("■ 市交通局——", "■ 市交通局——"),          # an over-line opening on a mark
    ("2月1日召开", None),                     # a first line, narrow for its digits
    ("■《通知》", None),                      # a lead's first line, opening on a mark
])
def test_a_first_line_opening_on_a_date_or_a_mark_is_the_texts(first, taken):
    from newsarchive.segment.listed import _take_kicker
    from newsarchive.segment.types import Body, Line
    story = Body(parts=[("text", [Line(1, first), Line(2, "的市交通局会议提出，要加"),
                                  Line(3, "密公交班次，方便旅客出行。")])])
    kicker = _take_kicker([story], column=12.0)
    assert ("".join(line.text for line in kicker) or None) == taken


@pytest.mark.parametrize("first, apart", [
    ("99.1%", True), ("5765亿元", True), ("826门", True), ("2700多亿元", True),
    ("2018年", False), ("12岁的", False), ("99.1%和95.1%", False),
])
def test_a_figure_opening_a_story_is_a_paragraph_of_its_own(first, apart):
    from newsarchive.segment.listed import _set_figure_apart
    from newsarchive.segment.types import Body, Line
    story = Body(parts=[("text", [Line(1, first), Line(2, "截至4月21日，全国工业"),
                                  Line(3, "企业平均开工率已达高位。")])])
    _set_figure_apart(story)
    assert [len(lines) for _, lines in story.parts] == ([1, 2] if apart else [3])


@pytest.mark.parametrize("texts, paragraphs", [
    (["●出行前查询班次信", "息", "●戴好口罩", "勤洗手"], [2, 2]),
    (["春运首日，市交通局发", "布●号线调整通知。"], [2]),      # a mark within a line
    (["市交通局提示：", "●戴好口罩"], [1, 1]),
])
def test_the_items_of_a_marked_list_are_paragraphs_of_their_own(texts, paragraphs):
    from newsarchive.segment.listed import _set_items_apart
    from newsarchive.segment.types import Body, Line
    story = Body(parts=[("text", [Line(1 + k, text) for k, text in enumerate(texts)])])
    _set_items_apart(story)
    assert [len(lines) for _, lines in story.parts] == paragraphs


@pytest.mark.parametrize("credit", [
    "（本报北京 1\n月5日电）\n",
    "（作者为某大学\n教授）\n",
    "李 明 摄\n（影像中国）\n",
])
def test_a_closing_credit_wrapped_before_the_list_ends_the_last_story(credit):
    # The credit has no full stop after it: the run of short lines before the list starts at
    # it, and it would be read as a headline of its own.
    text = STREAM.replace("阅读活动将持续到明年一月底。\n", "阅读活动将持续到明年一月底。\n" + credit)
    heads = find_listed_headlines(read_lines(text)[0])[1]
    assert ["".join(line.text for line in head) for head in heads] == \
        ["全市新建十二座城市公园", "春运出行请错峰（民生关注）", "图书馆新年阅读活动受欢迎"]
    last = split_page(text).segments[-1]
    assert last.body.replace("\n", "").endswith(credit.replace("\n", "").replace(" ", ""))


@pytest.mark.parametrize("texts, wraps", [
    # A paragraph's indented first line in a narrow column, broken mid-word: the line under it
    # fills the column.
    (["十二岁的", "小朋友恩和来在三", "年前成为一名小小", "讲解员每周末都会", "到博物院义务讲解。"], True),
    # A label over a paragraph whose first line is indented.
    (["市交通局", "春运首日市", "交通局发布春运出", "行提示提醒广大旅", "客错峰出行。"], False),
    # A series label far shorter than the column, over a paragraph filling it.
    (["解码", "这个家园亟待人与自然和谐发", "展然而放眼全球环境遭受污染", "资源趋紧生态系统退化问题日", "益严峻。"], False),
    # An over-line ending in a dash is one whatever is under it.
    (["某某医院——", "小朋友恩和来在三", "年前成为一名小小", "讲解员每周末都会", "到博物院义务讲解。"], False),
])
def test_a_short_first_line_the_column_runs_on_from_is_no_label(texts, wraps):
    from newsarchive.segment.listed import _wraps_on
    from newsarchive.segment.types import Line
    assert _wraps_on([Line(1 + k, text) for k, text in enumerate(texts)]) == wraps


@pytest.mark.parametrize("texts, across, paragraphs", [
    # A section heading after a full stop, over an indented first line: its own paragraph.
    (["春运首日，全市客流平", "稳，秩序良好。", "加密公交班次", "市交通局相关负责",
      "人表示，春运期间全市", "将加密公交地铁班次。"], 1, [2, 1, 3]),
    # The word across the break (`次市`) is found elsewhere on the page: the line runs on.
    (["春运首日，全市客流平", "稳，秩序良好。", "加密公交班次", "市交通局相关负责",
      "人表示，春运期间全市", "将加密公交地铁班次。"], 2, [6]),
    # A deck's clauses go on after a semicolon.
    (["春运首日，全市客流平", "稳，秩序良好；", "加密公交班次", "市交通局相关负责",
      "人表示，春运期间全市", "将加密公交地铁班次。"], 1, [6]),
    # A paragraph's first line broken short: the line under it fills the column.
    (["春运首日，全市客流平", "稳，秩序良好。", "加密公交班次", "的通知由市交通局发布",
      "，春运期间全市将加密", "公交地铁班次。"], 1, [6]),
    # The line under it ends the sentence it begins.
    (["春运首日，全市客流平", "稳，秩序良好。", "市交通局负责", "人出席会议。",
      "春运期间，全市将加密", "公交地铁班次。"], 1, [6]),
])
def test_a_section_heading_in_a_story_is_a_paragraph_of_its_own(texts, across, paragraphs):
    from collections import Counter

    from newsarchive.segment.listed import _set_headings_apart
    from newsarchive.segment.types import Body, Line
    story = Body(parts=[("text", [Line(1 + k, text) for k, text in enumerate(texts)])])
    _set_headings_apart(story, Counter({"次市": across}))
    assert [len(lines) for _, lines in story.parts] == paragraphs
