"""Segmentation of a page into articles: one short snippet per kind of artifact, then the seeds."""

import re
from pathlib import Path

import pytest

from newsarchive.model import Artifact, PageSplit, Segment
from newsarchive.segment import account_han, split_page
from newsarchive.text import ends_sentence

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def page(text: str) -> str:
    return text.strip("\n") + "\n"


def titles(split) -> list[str]:
    return [segment.title for segment in split.segments]


def fully_accounted(text: str, split) -> bool:
    accounted, total, _ = account_han(text, split)
    return accounted == total


HEADLINE_BEFORE_BODY = page("""
市民共享冬日文化盛宴

本报讯（记者 李明）12月20日，市图书馆举办新年
阅读活动，吸引了众多市民参加。活动现场设置
了亲子阅读区和非遗展示区。

活动将持续到明年1月。
""")

HEADLINES_AFTER_TWO_BODIES = page("""
本报讯（记者 王芳）今年以来，我市新建城市公园十
二座，改造提升街头绿地三十处，市民休闲空间不断
扩大。

据介绍，明年我市还将新建公园五座。

本报讯（记者 赵强）昨日，市交通局发布春运出行提
示，提醒广大旅客错峰出行，合理安排行程。

市交通局相关负责人表示，春运期间将加密公交班
次。

我市今年新建十二座城市公园

交通局发布春运出行提示
""")

HEADLINE_BETWEEN_ARTICLES = page("""
本报讯（记者 王芳）今年以来，我市新建城市公园十
二座，改造提升街头绿地三十处，市民休闲空间不断
扩大。

我市今年新建十二座城市公园

本报讯（记者 赵强）昨日，市交通局发布春运出行提
示，提醒广大旅客错峰出行，合理安排行程。

交通局发布春运出行提示
""")


def test_headline_before_its_body():
    split = split_page(HEADLINE_BEFORE_BODY)
    [article] = split.segments
    assert article.title == "市民共享冬日文化盛宴"
    assert article.byline == "本报讯（记者 李明）"
    assert article.reporters == ["李明"]
    assert article.body == ("12月20日，市图书馆举办新年阅读活动，吸引了众多市民参加。活动现场设置"
                            "了亲子阅读区和非遗展示区。\n\n活动将持续到明年1月。")
    assert article.spans == [(1, 7)]


def test_headlines_grouped_after_two_bodies_follow_the_order_of_the_bodies():
    split = split_page(HEADLINES_AFTER_TWO_BODIES)
    assert titles(split) == ["我市今年新建十二座城市公园", "交通局发布春运出行提示"]
    assert [s.reporters for s in split.segments] == [["王芳"], ["赵强"]]
    assert split.segments[0].spans == [(1, 5), (13, 13)]
    assert split.segments[1].spans == [(7, 11), (15, 15)]
    assert fully_accounted(HEADLINES_AFTER_TWO_BODIES, split)


def test_three_headlines_grouped_after_three_bodies():
    text = page("""
本报讯（记者 王芳）今年以来，我市新建城市公园十
二座，市民休闲空间不断扩大。

本报讯（记者 赵强）昨日，市交通局发布春运出行提
示，提醒广大旅客错峰出行。

本报讯（记者 李明）入冬以来，全市供暖运行平稳，
室温达标率保持在较高水平。

我市新建十二座城市公园

春运出行提示发布

全市冬季供暖运行平稳
""")
    split = split_page(text)
    assert titles(split) == ["我市新建十二座城市公园", "春运出行提示发布", "全市冬季供暖运行平稳"]
    assert [s.reporters for s in split.segments] == [["王芳"], ["赵强"], ["李明"]]


def test_headlines_read_in_the_other_order_than_their_bodies_go_to_the_bodies_they_name():
    # Two stories side by side: the extraction read the left headline, the right story, the
    # right headline, the left story. In page order each headline would head the wrong story.
    text = page("""
我市今年新建十二座城市公园

本报讯（记者 赵强）昨日，市交通局发布春运出行提
示，提醒广大旅客春运期间错峰出行，提前购票。

交通局发布春运出行提示

本报讯（记者 王芳）今年以来，我市新建城市公园十
二座，公园里新添了步道和健身器材，市民休闲空间
不断扩大。
""")
    split = split_page(text)
    assert [(s.title, s.reporters) for s in split.segments] == \
        [("交通局发布春运出行提示", ["赵强"]), ("我市今年新建十二座城市公园", ["王芳"])]
    assert fully_accounted(text, split)


def test_headline_between_two_articles_goes_to_the_one_it_names():
    split = split_page(HEADLINE_BETWEEN_ARTICLES)
    assert titles(split) == ["我市今年新建十二座城市公园", "交通局发布春运出行提示"]
    assert "公园" in split.segments[0].body and "春运" in split.segments[1].body


@pytest.mark.parametrize("text, byline, reporters", [
    (page("""
公安英模郑榜义

据新华社电（记者牛少杰）郑榜义，1954年出生，河南省
唐河县人，1978年1月参加公安工作。
"""), "据新华社电（记者牛少杰）", ["牛少杰"]),
    (page("""
两会代表热议民生实事

本报北京3月5日电（记者 张三 李四）十四届全国人大
二次会议今天开幕，代表们热议民生实事。
"""), "本报北京3月5日电（记者 张三 李四）", ["张三", "李四"]),
    (page("""
青海湖迎来首批越冬候鸟

新华社西宁1月3日电（记者 马力）记者从青海湖景区
获悉，首批越冬候鸟已经抵达湖区。
"""), "新华社西宁1月3日电（记者 马力）", ["马力"]),
    (page("""
一季度经济运行开局良好

本报北京1月19日电 （记者吴秋余）国家统计局今天
发布数据，一季度经济运行开局良好。
"""), "本报北京1月19日电（记者吴秋余）", ["吴秋余"]),
    (page("""
城中区开好局启新程

本报记者 徐顺凯

凝心聚力开好局，砥砺奋进启新程。
"""), "本报记者 徐顺凯", ["徐顺凯"]),
    (page("""
文旅消费持续升温

今年以来，我市文旅消费持续升温，各景区接待游
客人数同比增长三成。 （记者 王琼 通讯员 李红）
"""), "（记者 王琼 通讯员 李红）", ["王琼", "李红"]),
    (page("""
冬夜里的一盏灯

文/李小红

那年冬天，我在小城的街角遇见一盏灯。
"""), "文/李小红", ["李小红"]),
    (page("""
冬季供暖运行平稳

记者 王琼 通讯员 李红 报道

入冬以来，全市供暖运行平稳。
"""), "记者 王琼 通讯员 李红 报道", ["王琼", "李红"]),
    (page("""
陈刚在民和县调研

本报讯（特约记者 莫昌伟 李欣）1月3日，省委书记陈
刚赴民和县调研灾后恢复重建工作。
"""), "本报讯（特约记者 莫昌伟 李欣）", ["莫昌伟", "李欣"]),
    (page("""
把保供稳价工作做细做实

本报评论员

岁末年初，各地扎实做好保供稳价工作。
"""), "本报评论员", []),
    (page("""
冬季旅游市场持续升温

人民日报记者 王珂园 李心萍

记者近日走访多地发现，冬季旅游市场持续升温。
"""), "人民日报记者 王珂园 李心萍", ["王珂园", "李心萍"]),
    (page("""
冬季旅游市场持续升温

记者近日走访多地发现，冬季旅游市场持续升
温。 （光明日报记者 张三）
"""), "（光明日报记者 张三）", ["张三"]),
    (page("""
冬季供暖运行平稳

本报西宁讯（记者 张三）入冬以来，全市供暖运行平稳。
"""), "本报西宁讯（记者 张三）", ["张三"]),
    (page("""
冬季供暖运行平稳

■ 本报记者 张三 通讯员 李四 文/图

入冬以来，全市供暖运行平稳。
"""), "■ 本报记者 张三 通讯员 李四文/图", ["张三", "李四"]),
    (page("""
冬季供暖运行平稳

文/本报记者 张三

入冬以来，全市供暖运行平稳。
"""), "文/本报记者 张三", ["张三"]),
])
def test_bylines_and_datelines(text, byline, reporters):
    split = split_page(text)
    [article] = split.segments
    assert article.byline == byline
    assert article.reporters == reporters
    assert byline.replace(" ", "") not in article.body.replace(" ", "")
    assert ends_sentence(article.body)


def test_a_sentence_naming_本报记者_is_no_dateline():
    text = page("""
冬季供暖运行平稳

本报记者从市供电公司获悉，今冬全市电网运行平稳。
""")
    [article] = split_page(text).segments
    assert article.byline is None
    assert article.body == "本报记者从市供电公司获悉，今冬全市电网运行平稳。"


def test_headlines_without_blank_lines_around_them():
    text = page("""
市民共享冬日文化盛宴
本报讯（记者 李明）12月20日，市图书馆举办新年阅读
活动，吸引了众多市民参加。
冬季供暖运行平稳
本报记者 王芳
入冬以来，全市供暖运行平稳，室温达标率保持在
较高水平。
""")
    split = split_page(text)
    assert titles(split) == ["市民共享冬日文化盛宴", "冬季供暖运行平稳"]
    assert [s.reporters for s in split.segments] == [["李明"], ["王芳"]]
    assert split.segments[0].body == "12月20日，市图书馆举办新年阅读活动，吸引了众多市民参加。"


def test_article_without_byline_keeps_its_headline():
    text = page("""
冬季供暖运行平稳

入冬以来，全市供暖运行平稳，室温达标率保持
在较高水平。
""")
    [article] = split_page(text).segments
    assert article.title == "冬季供暖运行平稳"
    assert article.byline is None and article.reporters == []


def test_unsigned_short_items_each_keep_their_headline():
    text = page("""
冬季供暖运行平稳

入冬以来，全市供暖运行平稳，室温达标率保持在
较高水平。供热企业加强巡查，及时处置故障。

市民共享冬日文化盛宴

12月20日，市图书馆举办新年阅读活动，吸引了众
多市民参加。活动还设置了亲子阅读区。
""")
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳", "市民共享冬日文化盛宴"]
    assert split.segments[1].body.startswith("12月20日")


def test_block_between_an_opening_and_a_closing_credit_heads_the_second_article():
    text = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳，室
温达标率保持在较高水平。

市民共享冬日文化盛宴

12月20日，市图书馆举办新年阅读活动，吸引了众
多市民参加。 （记者 王芳）
""")
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳", "市民共享冬日文化盛宴"]
    assert [s.reporters for s in split.segments] == [["李明"], ["王芳"]]
    assert "##" not in split.segments[0].body


@pytest.mark.parametrize("box, kicker, title", [
    (["■链接", "", "什么是集中供暖"], "链接", "什么是集中供暖"),
    (["相关阅读"], None, "相关阅读"),
])
def test_boxed_sidebar_after_a_signed_article_is_an_item_of_its_own(box, kicker, title):
    text = page("\n".join([
        "冬季供暖运行平稳", "",
        "本报讯（记者 李明）入冬以来，全市供暖运行平稳，室",
        "温达标率保持在较高水平。", "", *box, "",
        "集中供暖是由热源通过管网向",
        "一个区域供热的方式。"]))
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳", title]
    assert (split.segments[1].kicker, split.segments[1].byline) == (kicker, None)
    assert split.segments[1].body == "集中供暖是由热源通过管网向一个区域供热的方式。"
    assert "##" not in split.segments[0].body


def test_headline_set_beside_the_text_between_two_of_its_columns():
    text = page("""
本报讯（记者 张海）1月12日，西宁至湟源
的市域铁路完成全线铺轨，标志着项目进入

市域铁路完成全线铺轨

全面攻坚阶段，预计明年底具备通车条件。

据介绍，该线路全长约40公里，建成后通行
时间将缩短至30分钟以内。
""")
    [article] = split_page(text).segments
    assert article.title == "市域铁路完成全线铺轨"
    assert article.body.split("\n\n") == [
        "1月12日，西宁至湟源的市域铁路完成全线铺轨，标志着项目进入全面攻坚阶段，预计明年底具备"
        "通车条件。",
        "据介绍，该线路全长约40公里，建成后通行时间将缩短至30分钟以内。"]


def test_a_column_line_without_punctuation_is_not_taken_for_a_side_headline():
    text = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖
运行平稳，供热企业加强巡查，及时处置各

类供热故障并回应群众反映的热点难点问

题，室温达标率保持在较高水平。
""")
    [article] = split_page(text).segments
    assert article.body == "入冬以来，全市供暖运行平稳，供热企业加强巡查，及时处置各类供热故障并回应" \
        "群众反映的热点难点问题，室温达标率保持在较高水平。"


def test_a_credit_repeated_on_a_later_frame_is_shown_once_and_listed():
    text = page("""
冬季供暖运行平稳

入冬以来，全市供暖运行平稳。 （记者 李明）

供热企业加强巡查，及时处置故障。 （记者 李明）
""")
    split = split_page(text)
    [article] = split.segments
    assert article.byline == "（记者 李明）"
    assert [(a.kind, a.text, a.line) for a in split.artifacts] == \
        [("repeated-byline", "（记者 李明）", 5)]
    assert fully_accounted(text, split)


def test_unsigned_feature_under_a_subtitled_headline_keeps_its_sections():
    text = page("""
老手艺焕发新活力
——湟源县推动非遗保护传承

走进丹噶尔古城，排灯、皮绣等手工艺品琳
琅满目，吸引不少游客驻足挑选。

老手艺有了新传人

今年28岁的李文斌是排灯制作技艺的第四代
传承人，大学毕业后回到家乡学习手艺。

小工坊带富一方人

全县已建成非遗工坊15家，带动800多名群
众在家门口就业。
""")
    [article] = split_page(text).segments
    assert (article.title, article.subtitle) == ("老手艺焕发新活力", "湟源县推动非遗保护传承")
    assert [block for block in article.body.split("\n\n") if block.startswith("## ")] == \
        ["## 老手艺有了新传人", "## 小工坊带富一方人"]


def test_unsigned_item_printed_on_under_a_signed_one_gets_its_own_headline():
    text = page("""
本报讯（记者 杜娟）1月18日，全市春运工作动员会召
开，今年春运共40天。

会议要求，各部门加强运力调配，确保旅客出行。

近日，城东区一家社区食堂正式开张，为老人提供
每餐10元的优惠午餐。

本报讯（记者 石磊）记者从市发改委获悉，今年全市
将实施重点项目300个。

我市部署春运工作

社区食堂开进家门口

今年我市实施重点项目300个
""")
    split = split_page(text)
    assert titles(split) == ["我市部署春运工作", "社区食堂开进家门口", "今年我市实施重点项目300个"]
    assert [s.byline for s in split.segments] == ["本报讯（记者 杜娟）", None, "本报讯（记者 石磊）"]
    assert split.segments[0].body.endswith("确保旅客出行。")
    assert split.segments[1].body.startswith("近日，城东区")
    assert split.segments[1].spans == [(6, 7), (14, 14)]
    assert fully_accounted(text, split)


def test_kicker_and_title_over_one_story_do_not_split_it():
    text = page("""
本报讯（记者 樊娅楠）1月15日，市长深入超市调研春
节期间市场保供工作。

市长强调，要确保节日期间市场供应充足、价格平稳。

市长调研时要求

做好春节期间市场保供工作
""")
    [article] = split_page(text).segments
    assert (article.kicker, article.title) == ("市长调研时要求", "做好春节期间市场保供工作")
    assert article.body.count("\n\n") == 1


def test_speech_kicker_naming_the_lead_over_a_title_quoting_later_text_is_one_story():
    text = page("""
省委书记在西宁调研时指出

统筹发展和安全

本报讯（记者 樊娅楠）1月16日，省委书记在西宁调研春节市
场供应，看望慰问一线工作人员。

他指出，要统筹发展和安全，扎实做好保供稳价工作。
""")
    [article] = split_page(text).segments
    assert (article.kicker, article.title) == ("省委书记在西宁调研时指出", "统筹发展和安全")
    assert article.body.count("\n\n") == 1


def test_signed_article_without_headline_takes_the_heading_set_beside_its_text():
    text = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳。

本报讯（记者 郑义）1月16日，全省首个工业互联网标识解析二
级节点在西宁上线运行。

全省首个工业互联网
标识解析二级节点上线

据介绍，该节点已有35家企业接入，标识注册量突
破200万个。
""")
    first, article = split_page(text).segments
    assert first.title == "冬季供暖运行平稳"
    assert article.title == "全省首个工业互联网标识解析二级节点上线"
    assert "##" not in article.body and article.body.count("\n\n") == 1
    assert not article.warnings


def test_box_label_stays_with_the_box_title_under_it():
    text = page("""
本报讯（记者 郑义）1月16日，全省首个工业互联网标识
解析二级节点在西宁上线运行。

名词解释

什么是标识解析

标识解析体系是工业互联网的重
要基础设施。
""")
    split = split_page(text)
    assert [(s.kicker, s.title) for s in split.segments] == \
        [(None, "1月16日"), ("名词解释", "什么是标识解析")]


def test_briefs_keep_their_headlines_though_the_last_is_closed_by_a_credit():
    text = page("""
冬季救助送温暖

近日，市民政局启动冬季救助行动，发放棉衣
棉被等物资3000余件。

春节公交延时运营

春节期间，市区主要公交线路将延长运营时间
至22时。

去年12月CPI同比下降0.3%

国家统计局9日发布数据，2023年12月全国居
民消费价格同比下降0.3%。（据新华社）
""")
    split = split_page(text)
    assert titles(split) == ["冬季救助送温暖", "春节公交延时运营", "去年12月CPI同比下降0.3%"]
    assert [s.byline for s in split.segments] == [None, None, "（据新华社）"]


@pytest.mark.parametrize("blank", ["\n", ""])
def test_headlines_with_a_comma_or_a_question_mark_over_a_byline(blank):
    text = page(f"""
稳中求进，以进促稳
{blank}本报讯（记者 王琼）1月20日，市政府召开常务会议，研究部署今
年经济工作。

春节回家，你准备好了吗？
{blank}本报讯（记者 李娜）春运大幕即将开启，记者走访了火车站。
""")
    split = split_page(text)
    assert titles(split) == ["稳中求进，以进促稳", "春节回家，你准备好了吗？"]
    assert [s.reporters for s in split.segments] == [["王琼"], ["李娜"]]


def test_a_short_question_paragraph_is_text_not_a_headline():
    text = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳。

供暖还有哪些难题？

部分老旧小区管网老化，供热企业正在加紧改造，
预计明年完成。
""")
    [article] = split_page(text).segments
    assert article.body.split("\n\n")[1] == "供暖还有哪些难题？"


def test_numbered_headings_are_sections():
    text = page("""
我市乡村振兴取得新成效

本报讯（记者 马琳）今年以来，市农业农村局多措并举推动农民增收。

一、夯实粮食安全根基

全市建成高标准农田8万亩，粮食总产量保持稳定。

二、壮大特色产业

全市培育农业产业化龙头企业20家，带动农户增收。
""")
    [article] = split_page(text).segments
    assert [b for b in article.body.split("\n\n") if b.startswith("## ")] == \
        ["## 一、夯实粮食安全根基", "## 二、壮大特色产业"]


INDENTED = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳，
室温达标率保持在较高水平，群众满意度明显提升。
　　供热企业加强管网巡查，及时处置各类供热故障，
确保群众温暖过冬，全市未发生大面积停暖事件。
  据介绍，今冬全市还将新增供热面积两百万平方米。
""")


def test_an_indented_line_opens_a_paragraph():
    [article] = split_page(INDENTED).segments
    assert [p[:4] for p in article.body.split("\n\n")] == ["入冬以来", "供热企业", "据介绍，"]


def test_a_headline_over_an_indented_first_line_without_a_blank():
    text = page("""
冬季供暖运行平稳
　　入冬以来，全市供暖运行平稳，室温达标率保持在
较高水平，群众满意度明显提升。
市民共享冬日文化盛宴
　　12月20日，市图书馆举办新年阅读活动，吸引了众
多市民参加。
""")
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳", "市民共享冬日文化盛宴"]
    assert split.segments[1].body.startswith("12月20日")


def test_an_indent_on_every_line_is_a_margin_not_paragraphs():
    text = "\n".join("    " + line if line else line for line in INDENTED.split("\n"))
    [article] = split_page(text).segments
    assert article.body.count("\n\n") == 0


def test_section_headings_printed_with_the_headline_over_its_byline():
    text = page("""
合作社负责人介绍，大棚采用智能温控系统，手机
就能调节温度。“以前种地靠经验，现在种地靠数据。”

草莓成熟后，合作社通过直播带货销往全国各地，
销售额预计突破200万元。

大棚草莓红透河湟谷地

种地靠数据

草莓搭上直播快车

本报记者 马琳

河湟谷地的冬天，寒意正浓。在一家合作社里，温
室大棚中的草莓却已红透。
""")
    [article] = split_page(text).segments
    assert (article.title, article.byline) == ("大棚草莓红透河湟谷地", "本报记者 马琳")
    assert [block[:6] for block in article.body.split("\n\n")] == [
        "河湟谷地的冬", "## 种地靠", "合作社负责人", "## 草莓搭", "草莓成熟后，"]


def test_text_without_any_headline_gets_a_title_and_a_warning():
    text = page("""
入冬以来，全市供暖运行平稳，室温达标率保持
在较高水平。
""")
    [article] = split_page(text).segments
    assert article.title == "入冬以来"
    assert any("no headline" in warning for warning in article.warnings)


def test_headline_split_over_two_lines_and_glued_to_the_next_body():
    text = page("""
本报讯（记者 张艳艳）12月20日，十五名日本
游客抵达曹家堡机场，先后游览塔尔寺
等景区，品尝地道的拉面和土火锅，深
度感受这座城市的冬日暖阳和人文底蕴。

境外游客点赞

我市冬日暖阳人文底蕴 “社区干部待遇有了保障，
我们的归属感更强了，心里更有底
气了。”城东区博雅路社区副书记马
瑞芳说。

社区干部待遇有保障
""")
    split = split_page(text)
    assert titles(split) == ["境外游客点赞我市冬日暖阳人文底蕴", "社区干部待遇有保障"]
    assert split.segments[1].body.startswith("“社区干部待遇有了保障，")
    assert fully_accounted(text, split)


def test_a_wide_line_with_a_real_space_is_not_taken_for_a_glued_headline():
    text = page("""
文旅消费券开始发放

本报讯（记者 施翔）活动期间，我市还推出
“山宗水源 惠游青海”文旅消费券活动，活动期内每日十时
用户可通过云闪付领取通用消费券，先到
先得。
""")
    [article] = split_page(text).segments
    assert "推出“山宗水源 惠游青海”文旅消费券活动，活动期内每日十时用户" in article.body


def test_a_headline_whose_second_phrase_ends_in_a_column_tag_is_not_glued_to_a_body():
    # The second phrase is as wide as a column line of the text, but a tag closes headlines.
    text = page("""
城东街道推行垃圾分类 人人参与见实效（快评）
城东街道推行垃圾分
类以来，居民扛牢责任，积
极参与，小区环境焕然一新，
垃圾分类人人参与见实效，街
巷整洁有序，居民纷纷点赞。
""")
    [article] = split_page(text).segments
    assert article.title == "城东街道推行垃圾分类 人人参与见实效（快评）"


@pytest.mark.parametrize("head, kicker, title, subtitle", [
    (["王卫东调研主题教育为民办实事工作时强调", "", "切实把主题教育成效转化成为民服务实效"],
     "王卫东调研主题教育为民办实事工作时强调", "切实把主题教育成效转化成为民服务实效", None),
    (["扛牢责任 真抓实干", "", "奋力在现代化新青海建设上走在前作表率", "——我市主题教育综述"],
     "扛牢责任 真抓实干", "奋力在现代化新青海建设上走在前作表率", "我市主题教育综述"),
    (["西宁：“每月一题”工作法解基层难题", "——系列报道之一"],
     None, "西宁：“每月一题”工作法解基层难题", "系列报道之一"),
    (["市长调研时指出", "做好春节市场保供工作"], "市长调研时指出", "做好春节市场保供工作", None),
    # 引题, 主题, 副题 in one block: the first of two lines over a subtitle is the kicker
    (["新春走基层", "拦隆口镇年味浓", "——乡村振兴见闻"], "新春走基层", "拦隆口镇年味浓", "乡村振兴见闻"),
    # unless the word across the break is in the text: one title in two lines
    (["主题教育成效转化", "成为民服务实效", "——综述"], None, "主题教育成效转化成为民服务实效", "综述"),
    # a short block of its own over a longer one is a kicker, though the text uses its words
    (["为民办实事", "", "保供工作扎实推进见成效"], "为民办实事", "保供工作扎实推进见成效", None),
    # a label none of whose words the text uses, narrower than the title under it, is a kicker
    # though the text repeats few of the title's words
    (["社区新风貌", "", "扎实推进街巷整治"], "社区新风貌", "扎实推进街巷整治", None),
    # a kicker ending in the verb the title quotes is whole, however it wrapped
    (["市长在全市垃圾分类工作推进会", "上强调", "", "扎实推进街巷整治"],
     "市长在全市垃圾分类工作推进会上强调", "扎实推进街巷整治", None),
    # two blocks as long as each other are one title in two halves
    (["暖心暖胃", "", "保供稳价（新春走基层）"], None, "暖心暖胃保供稳价（新春走基层）", None),
    # … and the longer block's own kicker is kept beside the short block's
    (["为民办实事", "", "市委书记强调", "保供稳价暖人心见成效"],
     "为民办实事 市委书记强调", "保供稳价暖人心见成效", None),
    # two lines as long as each other over a subtitle are one title in two parallel phrases
    (["扛牢责任", "真抓实干", "——我市主题教育综述"], None, "扛牢责任真抓实干", "我市主题教育综述"),
    # … but with no subtitle, a line as long as the title over it is still its kicker
    (["市文旅局召开会议", "部署春节假日工作"], "市文旅局召开会议", "部署春节假日工作", None),
    # a first line leaving its bracket open goes on in the next: one title, not a kicker
    (["奋力在新青海建设上走在前（在实干", "中看变化 见新风貌）", "——我市综述"], None,
     "奋力在新青海建设上走在前（在实干中看变化 见新风貌）", "我市综述"),
    # a subtitle wrapped: the line under its `——` line is its tail, not the title's
    (["保供稳价暖人心", "", "——社区志愿者为居民送来新鲜", "蔬菜"], None, "保供稳价暖人心",
     "社区志愿者为居民送来新鲜蔬菜"),
])
def test_headline_structure(head, kicker, title, subtitle):
    text = "\n".join(head) + "\n\n本报讯（记者 施翔）1月3日，主题教育成效转化成为民服务实效，" \
        "为民办实事，保供工作扎实推进。\n"
    [article] = split_page(text).segments
    assert (article.kicker, article.title, article.subtitle) == (kicker, title, subtitle)


def test_column_label_heads_an_editors_note_of_its_own():
    text = page("""
今日起，本报推出系列报道，回顾我市在
融入全省大局中书写的时代答卷。

（记者 施翔）

开栏的话：

本报讯（记者 樊娅楠）12月18日，市长一行前往
深圳考察调研，推进项目合作。

市长带队赴深圳考察
""")
    split = split_page(text)
    assert titles(split) == ["开栏的话", "市长带队赴深圳考察"]
    assert split.segments[0].byline == "（记者 施翔）"
    assert split.segments[0].body == "今日起，本报推出系列报道，回顾我市在融入全省大局中书写的时代答卷。"


def test_section_heading_pair_becomes_one_heading_line():
    text = page("""
每月一题解难题

本报讯（记者 施翔）变化来得并非偶然。

“每月一题”，缘何而来——
专啃基层难点“硬骨头”

攻克“难啃的骨头”，绝不能仅靠某一家。

在深化上聚力用劲——
市委带头以“学”入题，高规格举办读书
班，实现了上下联动。
""")
    [article] = split_page(text).segments
    assert article.body.split("\n\n") == [
        "变化来得并非偶然。",
        "## “每月一题”，缘何而来——专啃基层难点“硬骨头”",
        "攻克“难啃的骨头”，绝不能仅靠某一家。",
        "在深化上聚力用劲——",
        "市委带头以“学”入题，高规格举办读书班，实现了上下联动。",
    ]


def test_single_heading_inside_an_article():
    text = page("""
文旅融合迈出新步伐

本报讯（记者 王琼）第二批主题教育开展以来，市文
旅局积极推进文旅融合。

“挂图作战”推动国际生态旅游目
的地中心城市建设

从旅游集散中心到文旅消费中心，我市
将用三年时间打造“四个中心”。
""")
    [article] = split_page(text).segments
    assert "\n\n## “挂图作战”推动国际生态旅游目的地中心城市建设\n\n" in article.body


def test_continuation_notes_are_removed_and_recorded():
    text = page("""
社区干部待遇有保障

本报讯（记者 施翔）全市上下构建起统一领导的工作
推进机制，形成上下协同的工作合力。 （下转A04版）
""")
    split = split_page(text)
    [article] = split.segments
    assert article.continues == "A04"
    assert "下转" not in article.body and article.body.endswith("合力。")
    assert [(a.kind, a.text, a.line) for a in split.artifacts] == \
        [("continuation-note", "（下转A04版）", 4)]
    assert fully_accounted(text, split)


def test_wire_end_mark_is_an_artifact():
    text = page("""
全市首届冰雪文化节开幕

本报讯（记者 陈雪）１月２０日，冰雪文化节在人民公
园开幕，将持续至２月底。（完）
""")
    split = split_page(text)
    assert split.segments[0].body == "１月２０日，冰雪文化节在人民公园开幕，将持续至２月底。"
    assert [(a.kind, a.text, a.line) for a in split.artifacts] == [("end-mark", "（完）", 4)]
    assert fully_accounted(text, split)


def test_continued_from_another_page():
    text = page("""
（上接A01版）据介绍，工作开展以来，市委明确一个
问题由一个部门牵头主责。
""")
    [article] = split_page(text).segments
    assert article.continued_from == "A01"
    assert article.body.startswith("据介绍")


def test_story_continued_from_another_page_stays_its_own_article():
    text = page("""
（上接A01版）据介绍，工作开展以来，市委明确一个
问题由一个部门牵头主责。

“每月一题”，导向何方——
基层处理群众诉求更顺畅

社区工作者没有了后顾之忧。

冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳。
""")
    split = split_page(text)
    assert [s.continued_from for s in split.segments] == ["A01", None]
    assert titles(split)[1] == "冬季供暖运行平稳"
    assert "## “每月一题”，导向何方——基层处理群众诉求更顺畅" in split.segments[0].body
    assert any("no headline" in w for w in split.segments[0].warnings)


def test_doubled_bold_heading_is_undoubled_and_recorded():
    text = page("""
每月一题解难题

本报讯（记者 施翔）变化来得并非偶然。

每月一题每月一题，，效果如何效果如何——
解“题”的渠道不断拓宽

群众的急难愁盼是大事。
""")
    split = split_page(text)
    assert "## 每月一题，效果如何——解“题”的渠道不断拓宽" in split.segments[0].body
    assert {a.text for a in split.artifacts if a.kind == "doubled-text"} == {"，", "效果如何", "每月一题"}
    assert fully_accounted(text, split)


def test_justified_lines_and_column_breaks_in_a_body():
    text = page("""
景区旅游收入大幅增长

本报讯（记者 王琼）2023 年全区旅游人数 731.2 万人次，
同 比 增 长 91.06% ，旅 游 收 入 96.95 亿 元 ，同 比
增长67.83%。活动将从 2024 年 12 月 21

日持续到明年，精彩的文艺节目吸引市民驻足

观看。
据了解，活动还将推出消费券。
""")
    [article] = split_page(text).segments
    assert article.body.split("\n\n") == [
        "2023年全区旅游人数731.2万人次，同比增长91.06%，旅游收入96.95亿元，同比增长67.83%。"
        "活动将从2024年12月21日持续到明年，精彩的文艺节目吸引市民驻足观看。",
        "据了解，活动还将推出消费券。",
    ]


@pytest.mark.parametrize("lines, paragraphs", [
    # A lead printed over the text ends with no mark: its last line stops short, and the text's
    # first line under it is indented.
    (["抓好春耕生产就是为全年粮食丰收", "打下坚实基础", "连日来，各地农民抢抓农时，忙",
      "着整地、施肥、育秧，田间地头一", "派繁忙景象。村里的农技员也走进", "田间地头，手把手向农民传授种植",
      "技术，帮助农户选用良种、科学施", "肥，为全年粮食丰收打下坚实基础。"],
     ["抓好春耕生产就是为全年粮食丰收打下坚实基础", "连日来，各地农民抢抓农时，忙着整地、施肥、"
      "育秧，田间地头一派繁忙景象。村里的农技员也走进田间地头，手把手向农民传授种植技术，帮助农户"
      "选用良种、科学施肥，为全年粮食丰收打下坚实基础。"]),
    # Text set ragged says nothing by its short lines.
    (["抓好春耕生产就是为全年粮食丰收", "打下坚实基础", "连日来，各地农民抢抓农时，忙",
      "着整地、施肥、育秧，田间", "地头一派繁忙景象，村里的农技员", "也走进田间地头，手把手向农民",
      "传授种植技术。"],
     ["抓好春耕生产就是为全年粮食丰收打下坚实基础连日来，各地农民抢抓农时，忙着整地、施肥、"
      "育秧，田间地头一派繁忙景象，村里的农技员也走进田间地头，手把手向农民传授种植技术。"]),
    # A line stopping short at a list of quoted words runs on.
    (["村里推出了“田间课堂”“农技", "讲座”“空中", "“空中微课”等形式，农民足不", "出户就能学到实用的种植技术。"],
     ["村里推出了“田间课堂”“农技讲座”“空中“空中微课”等形式，农民足不出户就能学到实用的种植技术。"]),
    # Digits set narrow make a full line look short: no paragraph end without a mark there.
    (["今年全村新建大棚一百二十座，", "带动农户增收 30", "万元以上，预计明年还将新", "建大棚八十座，规模再上台阶。"],
     ["今年全村新建大棚一百二十座，带动农户增收30万元以上，预计明年还将新建大棚八十座，规模再上台阶。"]),
])
def test_a_paragraph_ends_without_a_mark_where_its_line_stops_short_over_an_indent(lines, paragraphs):
    text = page("春耕备耕忙不停\n\n本报记者 李明\n\n" + "\n".join(lines))
    [article] = split_page(text).segments
    assert article.body.split("\n\n") == paragraphs


OUT_OF_ORDER = page("""
说到底，群众满意才是工作法的目
标，今后社区还将继续完善这套办法。

河湟社区工作法破解基层难题

社区工作法从何而来？要从去年
说起。去年春天，社区书记走访了
三百多户居民，收集了一百多条意见。

走访中，书记把意见一条条记在本
子上，逐户回复居民。

如今，居民办事有了专门的窗口，
线上预约、线下办理，效率大大提高。

专门窗口开通后，居民再也不用来
回跑腿，办事时间缩短了一半。

工作法从何而来——
走访三百户居民

办事效率怎样提高——
专门窗口线上预约

今后如何完善——
让群众更满意

本报记者 李明

河湟社区的居民发现，办事不再
难了。这背后，是一套社区工作法。
""")


def test_frames_out_of_reading_order_are_reordered_with_a_warning():
    split = split_page(OUT_OF_ORDER)
    [article] = split.segments
    assert article.title == "河湟社区工作法破解基层难题"
    assert article.byline == "本报记者 李明"
    blocks = article.body.split("\n\n")
    assert [block[:6] for block in blocks] == [
        "河湟社区的居", "## 工作法", "社区工作法从", "走访中，书记",
        "## 办事效", "如今，居民办", "专门窗口开通", "## 今后如", "说到底，群众",
    ]
    assert any("reading order" in warning for warning in article.warnings)
    assert any("section headings" in warning for warning in article.warnings)
    assert fully_accounted(OUT_OF_ORDER, split)


def test_continuation_note_alone_on_its_line():
    text = page("""
社区干部待遇有保障

本报讯（记者 施翔）全市上下构建起统一领导的工作
推进机制，形成上下协同的工作合力。
（下转第二版）
""")
    [article] = split_page(text).segments
    assert article.continues == "二"
    assert article.body.endswith("合力。")


def test_photo_caption_is_an_artifact_not_a_headline():
    text = page("""
冬季供暖运行平稳

本报讯（记者 李明）入冬以来，全市供暖运行平稳，室
温达标率保持在较高水平。

▲ 工作人员检修供热管网。

本报记者 张三 摄
""")
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳"]
    assert "检修" not in split.segments[0].body
    assert [a.kind for a in split.artifacts] == ["photo-caption", "photo-caption"]
    assert fully_accounted(text, split)


def test_a_one_line_caption_read_on_into_the_text_ends_with_its_sentence():
    # Drawing order (no blank lines): the caption's line, then the next story's text.
    text = page("""
本报讯（记者 李明）入冬以来，全市供暖运行平稳，室
温达标率保持在较高水平。
图为工作人员在换热站检修供热管网。
市交通局昨日发布春运出行提示，提醒
广大旅客错峰出行。
""")
    split = split_page(text)
    assert [a.text for a in split.artifacts if a.kind == "photo-caption"] == \
        ["图为工作人员在换热站检修供热管网。"]
    assert all("检修" not in segment.body for segment in split.segments)
    assert "提醒广大旅客错峰出行" in "".join(s.body for s in split.segments).replace("\n", "")
    assert fully_accounted(text, split)


@pytest.mark.parametrize("label", ["核心阅读", "编者按：春节临近，本报推出系列报道。"])
def test_a_lead_label_read_on_after_other_text_opens_the_next_story(label):
    # The extraction read the next story's headline, with its lead box right under it (no
    # blank line between), after a column of the story before cut mid-sentence.
    text = page(f"""
市交通局昨日发布春运出行提示，提醒广大旅客
错峰出行，并开通了

绷紧弦 保安澜
{label}
据水利水文等部门联合会商预测，今年汛期我
国极端天气事件偏多，防汛形势严峻。
""")
    split = split_page(text)
    [story] = [s for s in split.segments if s.title == "绷紧弦 保安澜"]
    assert story.body.startswith(label[:4])
    assert fully_accounted(text, split)


def test_a_lead_label_is_never_a_title():
    text = page("""
核心阅读

欧洲议会外事委员会日前通过一项报告，呼吁暂停
与土耳其的谈判。
""")
    [article] = split_page(text).segments
    assert article.title != "核心阅读" and article.body.startswith("核心阅读")


@pytest.mark.parametrize("tail, reporters", [
    ("日电（记者王亮）", ["王亮"]),
    ("月1日电（记者 周舟）", ["周舟"]),
])
def test_a_dateline_tail_whose_head_was_read_elsewhere_opens_a_story(tail, reporters):
    text = page(f"""
我们对中国战胜疫情充满信心，期待两国合作
继续深化，这是双方共同的愿望
{tail}
北京时间9日，女子重剑世界杯西班牙站的比赛
全部结束，中国队获得团体亚军。
""")
    split = split_page(text)
    assert len(split.segments) == 2
    assert split.segments[1].body.startswith("北京时间9日")
    assert split.segments[1].reporters == reporters


def test_a_dateline_wrapped_over_two_lines_stays_one():
    text = page("""
春运返程高峰

本报天津2月
22日电（记者 刘硕阳）今天是春运返程高峰，
天津站共发送旅客十二万人次。
""")
    [article] = split_page(text).segments
    assert article.reporters == ["刘硕阳"] and article.body.startswith("今天是春运返程高峰")


def test_a_dateline_wrapped_under_an_over_line_opens_the_story():
    # Drawing order: the story before ends, then the next story's over-line and its dateline
    # wrapped over two lines, with no blank line anywhere.
    text = page("""
本报讯（记者 李明）入冬以来，全市供暖运行平稳，室温
达标率保持在较高水平。
女子重剑世界杯西班牙站
本报北京2月10
日电（记者王亮）北京时间9日，女子重剑世界杯西班牙站
的比赛全部结束，中国队获得团体亚军。
""")
    split = split_page(text)
    assert split.segments[-1].reporters == ["王亮"]
    assert split.segments[-1].body.replace("\n", "").endswith("中国队获得团体亚军。")
    assert "供暖" not in split.segments[-1].body


def test_a_headline_with_a_column_tag_between_two_texts_is_no_section_heading():
    # The first story is signed at its start, the second not at all, and the second's
    # headline repeats words of the first: without its column's tag it reads as a section.
    text = page("""
让体育融入孩子生活（体育大看台）

本报讯（记者 李明）学校、家庭、社会等环节缺一不可，
体育才能更好地融入孩子生活，多头发力见成效。

避免多头执法 重复检查（权威发布）

国务院办公厅日前印发意见，对市场监管领域部门
联合双随机抽查作出部署。
""")
    assert titles(split_page(text)) == ["让体育融入孩子生活（体育大看台）",
                                        "避免多头执法 重复检查（权威发布）"]


@pytest.mark.parametrize("head", [
    ["违规登珠峰，停！（美丽中国）"],
    ["知识产权保护不是", "“独角戏”", "（快评）"],
])
def test_a_block_ending_in_a_column_tag_is_a_headline_commas_and_all(head):
    lines = "\n".join(head)
    text = page(f"""
本报讯（记者 李明）入冬以来，全市供暖运行平稳，室温
达标率保持在较高水平。

{lines}
珠峰景区管理局日前发布通告，严禁未经批准攀登
珠穆朗玛峰，违者将依法处理。
""")
    assert titles(split_page(text))[-1] == "".join(head)


@pytest.mark.parametrize("head, kicker, title", [
    # a banner over a stack of items, read on over the first item's headline: a line narrower
    # than the line under it, whose words the text does not use
    (["社区新风貌", "垃圾分类 人人参与", "（快评）"], "社区新风貌", "垃圾分类 人人参与（快评）"),
    # the first half of a title set in two, whose words the text repeats
    (["扛牢责任", "垃圾分类见实效（快评）"], None, "扛牢责任垃圾分类见实效（快评）"),
    # a tag wrapped inside its brackets: its head does not widen its line
    (["文明新风见实效", "推进(民生", "视线)"], None, "文明新风见实效推进(民生视线)"),
])
def test_a_line_over_a_wider_tagged_headline_is_a_block_of_its_own(head, kicker, title):
    text = "\n".join(head) + "\n\n本报讯（记者 施翔）1月3日，城东街道推行垃圾分类，居民扛牢" \
        "责任，积极参与，\n小区环境焕然一新。\n"
    [article] = split_page(text).segments
    assert (article.kicker, article.title) == (kicker, title)


@pytest.mark.parametrize("head, kicker, title", [
    # a title in two halves over a dateline read on with another column's text
    (["城东街道推行垃圾分类新办法——", "", "分类投放见实效", "居民参与热情高"],
     "城东街道推行垃圾分类新办法——", "分类投放见实效居民参与热情高"),
    # a title wrapped mid-word (`参与⏎热情`, a word of the page) over the dateline
    (["城东街道推行垃圾分类新办法——", "", "推进垃圾分类提升居民参与", "热情"],
     "城东街道推行垃圾分类新办法——", "推进垃圾分类提升居民参与热情"),
])
def test_a_wrapped_title_runs_down_to_the_dateline_under_it(head, kicker, title):
    text = "\n".join(head) + "\n本报西宁3月2日 城东街道推行垃圾分类，居民\n" \
        "电（记者 施翔）扛牢责任，积极参与，小区环境焕然一新，参与热情高涨。\n"
    article = split_page(text).segments[0]
    assert (article.kicker, article.title) == (kicker, title)


@pytest.mark.parametrize("caption", [
    ["图为市民在新建的滨河公园散步。新", "华社发"],
    ["图为市民在新建的滨河公园散步。（新华社发）"],
    ["图为市民在新建的滨河公园散步。本报记者摄"],
])
def test_a_caption_ending_in_an_agency_or_unnamed_credit_is_an_artifact(caption):
    lines = "\n".join(caption)
    text = page(f"""
本报讯（记者 李明）入冬以来，全市供暖运行平稳，室
温达标率保持在较高水平。
{lines}
市交通局昨日发布春运出行提示，提醒
广大旅客错峰出行。
""")
    split = split_page(text)
    assert [a.text for a in split.artifacts if a.kind == "photo-caption"] == ["".join(caption)]
    assert all("滨河" not in segment.body for segment in split.segments)
    assert fully_accounted(text, split)


@pytest.mark.parametrize("credit, byline, reporters", [
    ("（据新华社）", "（据新华社）", []),
    ("（新华社记者 张三、李四）", "（新华社记者 张三、李四）", ["张三", "李四"]),
])
def test_end_credits(credit, byline, reporters):
    text = page(f"""
全国冬小麦长势良好

今冬全国冬小麦长势总体良好，苗情好于
常年。{credit}
""")
    [article] = split_page(text).segments
    assert (article.byline, article.reporters) == (byline, reporters)
    assert article.body == "今冬全国冬小麦长势总体良好，苗情好于常年。"


def test_byline_under_headline_with_a_box_mark():
    text = page("""
城中区开好局启新程

■本报记者 徐顺凯

凝心聚力开好局，砥砺奋进启新程。
""")
    [article] = split_page(text).segments
    assert (article.byline, article.reporters) == ("■本报记者 徐顺凯", ["徐顺凯"])


@pytest.mark.parametrize("header", [
    "西宁晚报 2024年12月22日 星期日 A01",
    "人民日报",
    "人民日报 第10版",   # the masthead and page label read as one line (drawing order)
    "人民日报07",
    "2024年12月22日",
])
def test_page_furniture_is_an_artifact(header):
    text = page(f"""
责任编辑：张三
{header}

冬季供暖运行平稳

入冬以来，全市供暖运行平稳。
""")
    split = split_page(text)
    assert titles(split) == ["冬季供暖运行平稳"]
    assert [(a.kind, a.line) for a in split.artifacts] == \
        [("page-furniture", 1), ("page-furniture", 2)]


@pytest.mark.parametrize("text", ["", "\n\n\n", "\ufeff", "only latin text here\n", "。，、\n"])
def test_pages_without_articles(text):
    split = split_page(text)
    assert fully_accounted(text, split)


def test_page_of_only_headlines_keeps_them_as_artifacts():
    text = "冬季供暖运行平稳\n\n市民共享冬日文化盛宴\n"
    split = split_page(text)
    assert split.segments == []
    assert {a.kind for a in split.artifacts} == {"unassigned-headline"}
    assert fully_accounted(text, split)


# --- The seed pages: what a reader checks -------------------------------------------------

EXPECTED_TITLES = {
    "000_ef5b354f55f1070d.txt": ["我市“沐暖阳·围炉煮茶”嘉年华活动启动", "境外游客点赞我市冬日暖阳人文底蕴",
                                 "西宁：“每月一题”工作法解基层难题", "开栏的话",
                                 "石建平带队前往北京市深圳市等地招商考察"],
    "001_e34c8b9f80e2c6ce.txt": ["西宁：“每月一题”工作法解基层难题"],
    "002_9a9088dafc476d40.txt": ["奋力在现代化新青海建设上走在前作表率"],
    "003_af40944e85991494.txt": ["西宁加快建设国际生态旅游中心城市", "兰州西宁两市加强知识产权共建",
                                 "切实把主题教育成效转化成为民服务实效", "扎实有效推进灾后恢复重建工作",
                                 "授牌！让劳模带出更多劳模"],
    "004_be770faa11c46e25.txt": ["城中区：开好局启新程走在前作表率"],
}
SEED_FILES = sorted(EXPECTED_TITLES)
SPURIOUS_SPACE = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff] [\u4e00-\u9fff]"
                            r"|[\u4e00-\u9fff] [\u4e00-\u9fff](?![\u4e00-\u9fff])"
                            r"|[，。、；：？！“”（）] | [，。、；：？！”）]|\d [\u4e00-\u9fff]")


def seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_titles_are_the_printed_headlines(name):
    text = seed(name)
    split = split_page(text)
    assert titles(split) == EXPECTED_TITLES[name]
    flat = re.sub(r"\s", "", text)
    for segment in split.segments:
        assert segment.title.replace(" ", "") in flat
        assert not ends_sentence(segment.title)


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_article_count_is_plausible(name):
    text = seed(name)
    datelines = len(re.findall(r"^\s*本报讯", text, re.M))
    assert max(1, datelines) <= len(split_page(text).segments) <= datelines + 2


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_paragraphs_end_at_sentence_ends(name):
    for segment in split_page(seed(name)).segments:
        for block in segment.body.split("\n\n"):
            assert block.strip() == block and block
            if not block.startswith("## "):
                assert ends_sentence(block), block[-30:]


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_text_has_no_spurious_spaces(name):
    for segment in split_page(seed(name)).segments:
        for field in (segment.title, segment.kicker or "", segment.subtitle or "", segment.body):
            assert not SPURIOUS_SPACE.search(field), SPURIOUS_SPACE.search(field)


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_han_characters_are_accounted_for(name):
    text = seed(name)
    accounted, total, lines = account_han(text, split_page(text))
    assert total > 1000
    assert accounted / total >= 0.995, lines


def test_seed_bylines_and_structure():
    first = split_page(seed("000_ef5b354f55f1070d.txt")).segments
    assert [s.reporters for s in first] == [["施翔"], ["张艳艳"], [], ["施翔"], ["樊娅楠"]]
    assert first[2].subtitle == "西宁在现代化新青海建设上走在前作表率系列报道之一"
    assert first[2].continues == "A04"
    assert "## “每月一题”，导向何方——基层处理群众诉求更顺畅" in first[2].body
    [feature] = split_page(seed("001_e34c8b9f80e2c6ce.txt")).segments
    assert feature.byline == "本报记者 施翔"
    assert feature.body.startswith("“党委政府加大对社区干部")
    headings = [b for b in feature.body.split("\n\n") if b.startswith("## ")]
    assert headings == ["## 每月一题，缘何而来—专啃基层难点“硬骨头”",
                        "## 每月一题，导向何方—基层处理群众诉求更顺畅",
                        "## 每月一题，效果如何——解“题”的渠道不断拓宽"]
    assert feature.body.endswith("就能真切地提升上来。")
    # one paragraph of questions, though the extraction put a short line and a blank in it
    assert "\n\n“每月一题”机制是什么？缘何而来？将导向何方？" in feature.body
    [review] = split_page(seed("002_9a9088dafc476d40.txt")).segments
    assert (review.kicker, review.byline) == ("扛牢责任 真抓实干", "（记者 施翔）")
    assert review.body.count("\n## ") == 6


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_line_endings_and_bom_do_not_matter(name):
    text = seed(name)
    assert split_page("\ufeff" + text.replace("\n", "\r\n")) == split_page(text)


def test_seeds_split_quickly():
    import time
    texts = [seed(name) for name in SEED_FILES]
    started = time.process_time()  # CPU time: a busy machine's other work is not counted
    for text in texts:
        split_page(text)
    assert time.process_time() - started < 1.0


def test_a_long_body_under_a_headline_run_splits_in_linear_time():
    import time
    paragraph = "今年以来，全市新建城市公园十二座，改造提升街头绿地三十处，市民休闲空间\n不断扩大。"
    seconds = []
    for paragraphs in (750, 3000):
        text = "本报讯（记者 王芳）" + "\n\n".join([paragraph] * paragraphs) + "\n\n公园绿地\n\n社区食堂开张\n"
        started = time.process_time()
        split_page(text)
        seconds.append(time.process_time() - started)
    # Four times the paragraphs: about four times the time (3.5 here); checking every
    # paragraph break by rereading the text took 79 s for 3,000, sixteen times as long.
    assert seconds[1] < 8 * max(seconds[0], 0.05)



@pytest.mark.parametrize("byline, names", [
    ("本报北京2月3日电（记者 张三 李四）", ["张三", "李四"]),
    ("本报记者　王五　赵六 本报北京2月3日电（记者 张三）", ["王五", "赵六", "张三"]),
    ("本报讯（记者 施翔 通讯员 李明）", ["施翔", "李明"]),
    ("本报北京5月5日电（赵永新、杨帆）", ["赵永新", "杨帆"]),   # a dateline's bracket: reporters
    ("本报记者 万秀斌 汪志球整理", ["万秀斌", "汪志球"]),
    ("（国际观察）", []),                                      # no dateline: not a credit
    ("新华社北京2月3日电", []),
    ("（据新华社）", []),
    (None, []),
])
def test_reporters_are_read_inside_and_outside_brackets(byline, names):
    from newsarchive.segment.patterns import UNDER_BYLINE_RE, reporters
    assert reporters(byline) == names
    if byline and byline.startswith("本报记者 "):
        assert UNDER_BYLINE_RE.match(byline)


# Headlines as the page corpus's pdftotext pages print them (bench/pagecorpus, dev split).
@pytest.mark.parametrize("text, kicker, title", [
    # an over-line ending in —— stays the kicker, the block under it is the title
    (page("""
福建将全省划分为四类区域突出重点，精准施策——

分类科学防控
有序复工复产

本报福州2月19日电（记者颜珂）福建近日出台政策，将全省88个县
划分为四类区域，分类科学防控，有序复工复产。
"""), "福建将全省划分为四类区域突出重点，精准施策——", "分类科学防控有序复工复产"),
    # the title under a —— kicker, with the text following it and no blank line between
    (page("""
他说。

应对新冠肺炎疫情国际认捐大会举行——

为全球共同抗疫贡献力量
5月4日，由欧盟
主办的应对新冠肺炎
疫情国际认捐大会举
行。40多个国家的领
导人出席。
"""), "应对新冠肺炎疫情国际认捐大会举行——", "为全球共同抗疫贡献力量"),
    # a headline wrapped in a narrow column in large type, its series tag on the last line
    (page("""
多产业项目落户贫困
地区。

努力提高农
民工就业质
量（多棱
镜）

当前，如何更好地解决进城
务工人员子女教育问题？农民
工就业质量怎样提高？记者采访
了有关专家。
"""), None, "努力提高农民工就业质量（多棱镜）"),
    # a brief's headline in a narrow column, one character narrower than its text
    (page("""
流发挥积极作
用。

全程闭环，护
好复学路

近日，山西
2000余所学校
36.7万余名初三
学生开学复课。
初三复课，是承
上启下的关键环
节，意义重大。
"""), None, "全程闭环，护好复学路"),
    # after text cut mid-sentence (the extraction read another frame in between), a block
    # in larger type that does not read on from it
    (page("""
美国民主党人近日表示，
希望俄美双方尽快

株洲：生活必需品量
足价稳

一大早，湖南株洲
金世纪农副产品批发市
场株百仓储配送中心，
工作人员正在有序分拣
蔬菜，准备装车发往各
大门店。
"""), None, "株洲：生活必需品量足价稳"),
    # a short tail under a full line is the end of one wrapped title, spaces or not
    (page("""
他说。

坚持普惠金融 打造
行业标杆

近年来，该行坚持普惠金融，
着力打造行业标杆，服务小微
企业的能力持续提升。
"""), None, "坚持普惠金融 打造行业标杆"),
    # a title wrapped before its series tag is one title, not a kicker over a title
    (page("""
中非经贸合作潜力巨
大(国际视点)

今年以来，中非经贸合作
逆势上扬，双方贸易额稳步
增长，合作领域不断拓展。
"""), None, "中非经贸合作潜力巨大(国际视点)"),
    # a column label whose words the text does not use, over the item's own headline
    (page("""
干部状态新观察
鼻子不舒服

近来，有人反映鼻子不舒服：
鼻子不舒服，不是病，是遇事
不敢闻、不愿闻。
"""), "干部状态新观察", "鼻子不舒服"),
    # a one-line headline with a comma, shorter than the text's lines
    (page("""
他说。

运动，融入孩子生活（体育大看台）

在为孩子成长注入体育基因、塑造健康文明生活方式的过程中，学校、家庭、
社会等环节缺一不可。学校不断丰富家庭体育作业的形式，家长营造良好的家
庭体育氛围，未来体育才能更好地融入孩子生活。
"""), None, "运动，融入孩子生活（体育大看台）"),
    # a brief's headline set in its text's narrow column breaks at the column's edge: the
    # first line no wider than the text's lines and a narrower one under it are one title
    (page("""
他说。

加快修复城区老旧
供水管网改造

今年以来，城区老
旧小区的供水管网
已改造四十余公里，
居民用水更加稳定。
"""), None, "加快修复城区老旧供水管网改造"),
    # a kicker wider than the text's column over a narrower title stays a kicker
    (page("""
他说。

全市改造老旧供水管道四十余公里
居民用水更加稳定

今年以来，全市已
改造供水管道四十
余公里，居民用水
更加稳定。
"""), "全市改造老旧供水管道四十余公里", "居民用水更加稳定"),
    # the head of a wrapped dateline under the headline opens the text, not the headline
    (page("""
他说。

春耕备耕有序推进
本报北京2月10

日电（记者张三）各地抓紧
春耕备耕，农资供应充足，
田间一派繁忙景象。
"""), None, "春耕备耕有序推进"),
])
def test_headlines_of_the_page_corpus(text, kicker, title):
    split = split_page(text)
    article = next(s for s in split.segments if s.title == title)
    assert article.kicker == kicker
    assert fully_accounted(text, split)



# Headlines the learned models find (in a brief's narrow column, or opening a story between
# blocks of text cut at column breaks), and the text under them.
@pytest.mark.parametrize("text, title, opening", [
    # the text opens by restating its headline: its first line is text, not a second headline
    (page("""
他说。

城南新建社区图书
馆正式开放

城南新建社区图
书馆正式开放，首
批上架图书两万余
册，市民可以免费
借阅。
"""), "城南新建社区图书馆正式开放", "城南新建社区图书馆正式开放，首批"),
    # the headline's last character wrapped alone onto a line of its own
    (page("""
他说。

春到江城早·柳色
新

报载，3月2日，
江城柳树返青，沿
江步道游人如织，
处处春意盎然。
"""), "春到江城早·柳色新", "报载，3月2日，"),
    # a short line the story-break model finds opening another story, though its last word
    # hangs (`…作为`), heads the text under it
    (page("""
我市新建十二座城市公园

今年以来，我市新建城市公园十二座，改造提升街头绿地三
十处，公园里新添了步道和健身器材，市民休闲空间不断

扩大。城市公园步道沿河而建，健身器材配备齐全，市民
纷纷来到城市公园散步锻炼，周末的公园步道上游人如织。
据介绍，明年我市还将新建城市公园五座。

守土有方 积极作为

责重山岳，能者当之。越是重大历史关头，越能考验领导
干部的本领与担当。基层党员干部下沉网格，风雨无阻坚
守防控岗位，一个党员就是一面旗帜，党员干部守土有责。
"""), "守土有方 积极作为", "责重山岳，能者当之。"),
])
def test_learned_headlines_over_their_text(text, title, opening):
    split = split_page(text)
    article = next(s for s in split.segments if opening in s.body)
    assert (article.title, article.body[:len(opening)]) == (title, opening)
    assert fully_accounted(text, split)

@pytest.mark.parametrize("body, reasons", [
    ("全国人大代表郭成宇收到了答复。会议强调，要做好工作。", []),
    # a slogan in quotation marks and a section heading may hold a space
    ("活动期间推出“山宗水源 惠游青海”消费券。\n\n## 扛牢责任 以上率下\n\n全市推进。", []),
    # two columns read as one line
    ("当前，如何更好 倒挂的情况即外来人 业生的数量为依据来分配。", ["columns-mixed"]),
    # a second dateline inside the text
    ("会议召开。\n\n本报北京2月18日电 国务院副总理韩正18日到国家税务总局调研。", ["stories-merged"]),
    # a correspondent's closing credit is a dateline in brackets, not a second story
    ("当地民众对此习以为常。\n\n（本报华盛顿2月2日电）", []),
    ("会议闭幕。\n\n（新华社北京5月21日电）\n\n本报北京5月22日电 大会举行。", ["stories-merged"]),
])
def test_text_doubts(body, reasons):
    from newsarchive.segment.compose import text_doubts
    assert text_doubts(body) == reasons


@pytest.mark.parametrize("title, reasons", [
    ("我市“沐暖阳·围炉煮茶”嘉年华活动启动", []),
    ("中非经贸合作潜力巨大(国际视点)", []),
    ("安多火车站——", ["headline-weak"]),            # an over-line left without its title
    ("遗年集·灯彩）", ["headline-weak"]),            # the end of a wrapped headline
    ("返乡创业有干头！（经济聚焦·", ["headline-weak"]),
    ("（四）", ["headline-weak"]),                  # a series number alone
    # two headlines run together, each with its series tag
    ("忠诚履职 热心为民（为了民族复兴·英雄烈士谱）千钧一发 扑向歹徒（为了民族复兴·英雄烈士谱）",
     ["headline-weak"]),
    # a sentence of the text
    ("记者见到马云飞时，这个此前从未来过湖北的姑娘和同事正在重症病房穿防护服", ["headline-weak"]),
    ("给消费者撑腰 找准痛点出招（政策解读·电商法施行一月（上））", []),
])
def test_title_doubts(title, reasons):
    from newsarchive.segment.compose import title_doubts
    assert title_doubts(title) == reasons


def test_a_headline_across_the_columns_read_without_a_blank_line():
    text = page("""
人民日报

贵阳 探索新时代经济发展与生态改善双赢之路
坚持高标准要求、加快高水平开放、推动高质量发展
2018年底，贵州省
贵阳市提出大力实施高
水平对外开放，加快推
动经济高质量发展，描
绘了发展蓝图。
""")
    split = split_page(text)
    [article] = split.segments
    # Which of two headline lines is the title the text cannot tell (type size tells in print).
    assert {article.kicker, article.title} == {"贵阳 探索新时代经济发展与生态改善双赢之路",
                                               "坚持高标准要求、加快高水平开放、推动高质量发展"}
    assert article.body.startswith("2018年底")
    assert fully_accounted(text, split)


def test_han_accounting_names_lines_in_no_article_kept():
    text = "标题\n正文第一行。\n孤立的一行\n每月一题每月一题"
    split = PageSplit([Segment("标题", "正文第一行。", spans=[(1, 2)])],
                      [Artifact("doubled-text", "每月一题", 4)])
    segments = list(split.segments)
    accounted, total, warnings = account_han(text, split, segments)
    assert total == 20 and accounted == 20 - 5 - 4
    assert len(warnings) == 2 and warnings[0].startswith("line 3: 5 Han characters")
    assert warnings[1].startswith("line 4: 4 Han characters")


# Frames without headline or byline that finish another frame's sentence: the rest of its
# story wherever the extraction put them.
@pytest.mark.parametrize("text, title, ending", [
    # the frame ends mid-word (`抗击疫`) and a frame after another story goes on with the word
    # (`情。`), sharing no other words with any story
    (page("""
社区志愿者坚守一线

本报讯 连日来，城东社区志愿者坚守疫情防控一线，挨家挨户
登记信息，为居家老人送菜上门，全力抗击疫

公园新添健身步道

今年以来，我市公园新建健身步道十公里，市民锻炼
更加方便。（记者 王芳）

情。他们说，只要大家平平安安，再苦再累也值得。
"""), "社区志愿者坚守一线", "全力抗击疫情。他们说，只要大家平平安安，再苦再累也值得。"),
])
def test_a_frame_finishing_another_frames_sentence_joins_its_story(text, title, ending):
    split = split_page(text)
    article = next(s for s in split.segments if s.title == title)
    assert article.body.endswith(ending)
    assert len(split.segments) == 2 and fully_accounted(text, split)


def test_a_frame_sharing_no_words_with_any_article_nearby_is_a_story_of_its_own():
    """Its headline was lost to the extraction: joined to a neighbour it would be a stranger
    inside another story; apart it is one article to check."""
    text = page("""
青海湖迎来首批越冬候鸟

新华社西宁1月3日电（记者 马力）记者从青海湖景区获悉，首批越冬候鸟已经
抵达湖区，景区加强了巡护，游客可在观鸟点远眺。

城中区开好局启新程

本报记者 徐顺凯

凝心聚力开好局，砥砺奋进启新程。城中区坚持以人民为中心，扎实推进
基层治理，社区服务更加便捷。（通讯员 李明）

国家统计局今天发布数据，一季度国内生产总值同比增长，工业生产稳中
有进，消费市场持续恢复，就业形势总体稳定，居民收入继续增加，物价
水平温和上涨，经济运行开局良好，高质量发展扎实推进。
""")
    split = split_page(text)
    assert len(split.segments) == 3
    alone = split.segments[-1]
    assert alone.body.startswith("国家统计局") and "no-headline" in alone.review
    assert fully_accounted(text, split)


ORPHAN_HEAD = "青海湖迎来首批越冬候鸟"
ORPHAN_LEAD = "记者从青海湖景区获悉，首批越冬候鸟已经抵达湖区，景区加强了巡护，游客可在观鸟点远眺。"
OTHER_HEAD = "城中区开好局启新程"
OTHER_LEAD = "凝心聚力开好局，砥砺奋进启新程。城中区坚持以人民为中心，扎实推进基层治理，社区服务更加便捷。"
# 86 Han characters sharing 15% of their words with the story above, none with the other.
LOOSE_FRAME = ("往年此时，青海湖的越冬候鸟还不多见。今年气温偏高，水面开阔，斑头雁、赤麻鸭成群落在浅滩，"
               "周边牧民自发组成护鸟队，每天清晨沿湖巡查，发现受伤的鸟儿及时送往救护站，景区加强了巡护，"
               "志愿者也纷纷加入。")
# Shares a fifth of its words with ORPHAN_LEAD, none with ORPHAN_HEAD.
UNNAMED_FRAME = "周末来到湖边的游客明显增多，景区加强了巡护，在观鸟点设置了提示牌，提醒大家文明观赏、不要投喂。"
# Repeats most of ORPHAN_HEAD's words, few of its story's others.
NAMING_FRAME = ("今冬青海湖首批越冬候鸟数量可观，摄影爱好者纷纷赶来，架起长枪短炮，记录高原生灵之美，"
                "当地文旅部门还推出了观鸟专线。")
THIRD_HEAD = "春耕备耕正当时"
THIRD_LEAD = "眼下正值春耕备耕关键时节，各地农资供应充足，农技人员深入田间地头，指导农户科学施肥、适时播种。"
SHORT_FRAME = "国家统计局今天发布数据，一季度工业生产稳中有进，消费市场持续恢复。"
SHORT_REST = "，首批候鸟中有斑头雁、赤麻鸭、鸬鹚等二十余种，数量逐日增加，湖面渐渐热闹起来。"


@pytest.mark.parametrize("order, expected", [
    # Few shared words, but plainly more with one article than with any other, under its
    # headline and near it: the rest of that story.
    (["head", "lead", "frame", "other head", "other lead"],
     [[ORPHAN_HEAD, "lead", "frame"], [OTHER_HEAD, "other lead"]]),
    (["head", "lead", "other head", "other lead", "frame"],
     [[ORPHAN_HEAD, "lead", "frame"], [OTHER_HEAD, "other lead"]]),
    # Before every headline it is a story whose own headline was lost...
    (["unnamed", "head", "lead", "other head", "other lead"],
     [["unnamed"], [ORPHAN_HEAD, "lead"], [OTHER_HEAD, "other lead"]]),
    # ... unless it repeats the words of that headline,
    (["named", "head", "lead", "other head", "other lead"],
     [[ORPHAN_HEAD, "lead", "named"], [OTHER_HEAD, "other lead"]]),
    # or finishes the sentence the frame before it leaves open.
    (["head", "open lead", "rest", "other head", "other lead"],
     [[ORPHAN_HEAD, "open lead", "rest"], [OTHER_HEAD, "other lead"]]),
    # A story whose headline was lost keeps the frame that plainly prefers it too.
    (["lead", "frame", "other head", "other lead", "third head", "third lead"],
     [["lead", "frame"], [OTHER_HEAD, "other lead"], [THIRD_HEAD, "third lead"]]),
    # A short frame sharing no words with either is a story of its own, not a stranger inside.
    (["head", "lead", "other head", "other lead", "short"],
     [[ORPHAN_HEAD, "lead"], [OTHER_HEAD, "other lead"], ["short"]]),
])
def test_a_frame_sharing_plainly_more_with_one_article_joins_it(order, expected):
    from newsarchive.segment.assign import make_drafts
    from newsarchive.segment.types import Body, HeadUnit, Line
    texts = {"head": ORPHAN_HEAD, "other head": OTHER_HEAD, "lead": ORPHAN_LEAD,
             "other lead": OTHER_LEAD, "frame": LOOSE_FRAME, "short": SHORT_FRAME,
             "open lead": ORPHAN_LEAD.rstrip("。"), "rest": SHORT_REST,
             "third head": THIRD_HEAD, "third lead": THIRD_LEAD, "named": NAMING_FRAME,
             "unnamed": UNNAMED_FRAME}
    names = {text: name for name, text in texts.items()}
    bodies, units = [], []
    for number, name in enumerate(order, 1):
        if name.endswith("head"):
            units.append(HeadUnit([Line(number, texts[name])], group=len(units),
                                  position=len(bodies)))
        else:
            bodies.append(Body(position=len(bodies)))
            bodies[-1].add_line(Line(number, texts[name]))
    drafts, _ = make_drafts(units, bodies)
    assert [[unit.words() for unit in draft.head] + [names[body.text()] for body in draft.bodies]
            for draft in drafts] == expected


def test_a_block_after_a_closing_credit_heads_the_next_article():
    text = page("""
青海湖迎来首批越冬候鸟

首批越冬候鸟已经抵达湖区，景区加强了巡护。（记者 马力）
另据了解，今年越冬候鸟数量比往年更多。

城中区开好局启新程

凝心聚力开好局，砥砺奋进启新程。城中区坚持以人民为中心，扎实
推进基层治理，社区服务更加便捷。
""")
    split = split_page(text)
    assert titles(split) == ["青海湖迎来首批越冬候鸟", "城中区开好局启新程"]
    assert fully_accounted(text, split)



def test_a_word_common_on_the_page_does_not_tie_a_headline_to_the_story_above():
    text = page("""
防控物资保障有力

各地加强防控物资调配，口罩产能持续提升。

做好防控 平安有序返校复课

各地中小学陆续开学，学校做好防控准备，平安有序返校复课。（记者 张三）
""")
    split = split_page(text)
    assert titles(split) == ["防控物资保障有力", "做好防控 平安有序返校复课"]
    assert fully_accounted(text, split)


def test_a_caption_read_on_under_a_headline_is_set_aside():
    text = page("""
他说。

“向阳红52”与“向阳
红08”起航执行海洋调
查任务
图为杨秀林警官正在给独自在家隔离的小欣送食
品。本报记者 齐泓鑫摄

2月20日，“向阳红52”与“向阳红08”两艘
科考船从青岛起航，执行海洋调查任务，
为期约一个月。
""")
    split = split_page(text)
    article = next(s for s in split.segments if s.body.startswith("2月20日"))
    assert article.title == "“向阳红52”与“向阳红08”起航执行海洋调查任务"
    assert any(a.kind == "photo-caption" and a.text.startswith("图为杨秀林") for a in split.artifacts)
    assert fully_accounted(text, split)


def test_a_wrapped_dateline_after_an_authors_note_opens_the_next_story():
    # Drawing order: a commentary ends on its author's note, the next story's dateline wraps.
    text = page("""
我们有这个信心，也有这个能力
把这件事情办好。
（作者为中国工程院
院士）
本报北京5月11
日电（记者丁怡婷） 今年5月12日是全国
防灾减灾日，各地开展宣传活动。
""")
    split = split_page(text)
    assert [(s.byline, s.body.replace("\n", "")[:6]) for s in split.segments] == \
        [(None, "我们有这个信"), ("本报北京5月11日电（记者丁怡婷）", "今年5月12")]
    assert fully_accounted(text, split)


@pytest.mark.parametrize("text, byline, first", [
    # a dateline wrapped in a narrow column
    (page("""
李克强主持召开国务院常务会议

新华社北京2月9
日电 2月9日，国务院总理李克强主持召开国务院常务
会议，部署疫情防控工作。
"""), "新华社北京2月9日电", "2月9日，国务院总理"),
    # the dateline's credit wrapped to the next line
    (page("""
全国公安英模报告会举行

新华社北京2月3日电
（记者罗晨、闵尊涛）“作为一名人民警察，要用自己的实际行动
保护人民。”报告会上，英模代表讲述了自己的故事。
"""), "新华社北京2月3日电（记者罗晨、闵尊涛）", "“作为一名人民警察"),
    # a brief's bare dateline opening its text
    (page("""
城郊新建三座公园

本报电 市园林局日前表示，城郊今年将新建三座
公园，供市民休闲健身。
"""), "本报电", "市园林局日前表示"),
    # the tail of a dateline whose head was read elsewhere, its credit wrapped, or bare
    (page("""
城郊新建三座公园

5日电（记者王小
明） 市园林局日前
表示，城郊今年将
新建三座公园，供
市民休闲健身。
"""), "5日电（记者王小明）", "市园林局日前表示"),
    (page("""
城郊新建三座公园

28日电 市园林局日前表示，城郊今年将新建三座
公园，供市民休闲健身。
"""), "28日电", "市园林局日前表示"),
])
def test_a_dateline_wrapped_into_the_text_goes_to_the_byline(text, byline, first):
    split = split_page(text)
    [article] = split.segments
    assert article.byline == byline and article.body.startswith(first)
    assert fully_accounted(text, split)


def test_a_brief_under_a_datelined_story_is_not_taken_for_its_section():
    text = page("""
习近平同韩国总统文在寅通电话

新华社北京5月13日电 国家主席习近平5月13日晚同韩国总统文在寅通电话。
双方表示，将加强抗疫合作。

做好防控 平安有序返校复课

各地中小学陆续开学，学校做好防控准备，平安有序返校复课。
""")
    split = split_page(text)
    assert titles(split) == ["习近平同韩国总统文在寅通电话", "做好防控 平安有序返校复课"]
    assert fully_accounted(text, split)



@pytest.mark.parametrize("before", [
    "市民休闲空间不断扩大。",   # after a finished sentence
    "市民休闲空间不断",         # after a column cut mid-sentence (the rest is on another page)
])
def test_a_headline_with_a_comma_over_a_dash_subtitle(before):
    text = page(f"""
本报讯 今年以来，全市新建城市公园十二座，
{before}

闻令而动，同时间赛跑

——物资保障行业在行动

春运首日，物资保障行业闻令而动，全力保障
市场供应，同时间赛跑。
""")
    split = split_page(text)
    last = split.segments[-1]
    assert (last.title, last.subtitle) == ("闻令而动，同时间赛跑", "物资保障行业在行动")
    assert last.body.startswith("春运首日")
    assert fully_accounted(text, split)


# A short story in a narrow column, under the headlines of the next two tests.
RECYCLING_TEXT = """收旧利废，本是节约资源
的好事，可有的回收站点
脏乱不堪，周边居民意见
不小，整治势在必行。
"""


def test_a_headline_read_on_top_of_its_text_with_its_tag_wrapped_under_it():
    # The headline spans the frame (wider than the column lines under it), no blank line
    # under it, its series tag's last characters wrapped onto a line of their own.
    text = page("""
本报讯 全市新建城市公园十二座，改造提升
街头绿地三十处，市民休闲空间不断扩大。

回收旧物也要讲环保规矩吗？（民生
话题）
""" + RECYCLING_TEXT)
    split = split_page(text)
    last = split.segments[-1]
    assert last.title == "回收旧物也要讲环保规矩吗？（民生话题）"
    assert last.body.startswith("收旧利废")
    assert fully_accounted(text, split)


@pytest.mark.parametrize("first_line, title", [
    # the tag's end read into the text's first line: the title takes it back
    ("话题） 收旧利废，本是节约", "回收旧物也要讲环保规矩吗？（民生话题）"),
    # a closed tag: the text keeps what follows it
    ("收旧利废，本是节约资源", "回收旧物也要讲环保规矩吗？（民生"),
])
def test_a_title_whose_tag_a_wrap_cut_takes_back_its_end_from_the_text(first_line, title):
    text = page("""
回收旧物也要讲环保规矩吗？（民生

""" + RECYCLING_TEXT.replace("收旧利废，本是节约资源", first_line, 1))
    split = split_page(text)
    [article] = split.segments
    assert article.title == title and article.body.startswith("收旧利废")
    assert fully_accounted(text, split)


def test_a_wide_over_line_with_a_comma_heads_the_headline_under_it():
    text = page("""
本报讯 全市新建城市公园十二
座，改造提升街头绿地三十处，
市民休闲空间不断扩大。

本市整治再生资源回收行业，环境明显改
善

“破烂王”变干净了

""" + RECYCLING_TEXT)
    split = split_page(text)
    last = split.segments[-1]
    assert (last.kicker, last.title) == ("本市整治再生资源回收行业，环境明显改善", "“破烂王”变干净了")
    assert split.segments[0].body.endswith("市民休闲空间不断扩大。")
    assert fully_accounted(text, split)


def test_a_headline_wrapped_in_a_narrow_column_beside_its_text():
    # The headline column is read as a block of short lines between two of the text's.
    text = page("""
本报讯 今年以来，全市新建城市公园十二座，改造
提升街头绿地三十处，市民休闲空间不断扩大。

护航春运 交警
坚守一线（平
安西宁·新春
见闻）

春运首日，市交警支队在各主要路口增派警力，
疏导交通，保障市民平安出行。
""")
    split = split_page(text)
    last = split.segments[-1]
    assert last.title == "护航春运 交警坚守一线（平安西宁·新春见闻）"
    assert last.body.startswith("春运首日")
    assert fully_accounted(text, split)


def test_a_narrow_column_of_text_is_no_headline():
    # Text in a narrow column runs into commas and full stops within a few lines.
    text = page("""
城市公园添新绿

本报讯 今年以来，全市
新建城市公园十二座，
改造提升街头绿地三十
处，市民休闲空间不断
扩大。
""")
    split = split_page(text)
    assert [s.title for s in split.segments] == ["城市公园添新绿"]
    assert fully_accounted(text, split)


@pytest.mark.parametrize("before", [
    "大。\n",                       # after a finished sentence, in the same block
    "大。市民可通过公园\n\n",        # at the top of a block, after text cut mid-sentence
])
def test_a_dateline_wrapped_over_lines_opens_the_next_story(before):
    # No headline stands between the two stories: the second one's dateline, wrapped over two
    # lines of a narrow column, is where it starts.
    text = page("""
城市公园添新绿

本报讯 今年以来，全市新建城市
公园十二座，市民休闲空间不断扩
""" + before + """本报天津2月
22日电（记者 靳博）春节后，外
地员工返津后的住宿成了企业关心
的问题。
""")
    split = split_page(text)
    assert [s.byline for s in split.segments] == ["本报讯", "本报天津2月22日电（记者 靳博）"]
    assert split.segments[1].body.startswith("春节后")
    assert split.segments[0].body.startswith("今年以来")
    assert fully_accounted(text, split)


def test_a_headline_word_every_story_uses_names_none_of_them():
    from newsarchive.segment.assign import Evidence
    from newsarchive.segment.types import Body, HeadUnit, Line
    bodies = [Body(parts=[("text", [Line(1, text)])]) for text in
              ("疫情防控新举措今天落地实施", "疫情防控物资保障到位", "疫情防控志愿者上岗服务")]
    evidence = Evidence(bodies)
    head = HeadUnit([Line(9, "疫情防控新举措")], group=0, position=0)
    assert evidence.words(head, 0) == 1.0
    # Half its pairs (疫情, 情防, 防控) are in the second story too, but every story has them.
    assert 0.25 < evidence.words(head, 1) < 0.5
    assert evidence.gain([head], 0) > evidence.gain([head], 1)


@pytest.mark.parametrize("first_lines, expected", [
    # A lead's label opens its story: its frame goes first, wherever the extraction put it.
    (["村饮水安全巩固提升任", "核心阅读"], ["核心阅读", "村饮水安全巩固提升任"]),
    (["村饮水安全巩固提升任", "编者按：春节临近，"], ["编者按：春节临近，", "村饮水安全巩固提升任"]),
    # Without a sign of a start the frames stay in page order.
    (["村饮水安全巩固提升任", "今年是全面建成小康社"], ["村饮水安全巩固提升任", "今年是全面建成小康社"]),
])
def test_a_frame_opening_with_a_lead_label_leads_its_article(first_lines, expected):
    from newsarchive.segment.assign import _order_frames
    from newsarchive.segment.types import Body, Draft, HeadUnit, Line

    head = HeadUnit([Line(1, "让贫困群众喝水不再难")], group=0, position=0)
    bodies = [Body([("text", [Line(10 * n, text), Line(10 * n + 1, "之年，让广大农民喝上")])],
                   position=n) for n, text in enumerate(first_lines)]
    draft = Draft([head], bodies)
    _order_frames(draft)
    assert [body.text_lines()[0].text for body in draft.bodies] == expected
    assert ("frames-reordered" in draft.review) == (expected != first_lines)


@pytest.mark.parametrize("lines, paragraphs", [
    # A column of briefs: each item's heading, with no closing mark, over its dateline.
    (["我国新一代气象卫星投入使用", "本报电 日前，我国新一代气象卫星正式投入业",
      "务运行，可为天气预报提供更精细的观测数据。", "多地试点智慧农业服务平台",
      "本报电 记者从农业农村部获悉，今年多地试点智",
      "慧农业服务平台，帮助农户及时了解墒情。"],
     ["我国新一代气象卫星投入使用", "本报电 日前，我国新一代气象卫星正式投入业务运行，可为天气预报提供更精细的观测数据。",
      "多地试点智慧农业服务平台", "本报电 记者从农业农村部获悉，今年多地试点智慧农业服务平台，帮助农户及时了解墒情。"]),
    # `本报记者` is no dateline: the sentence runs on.
    (["春耕时节，村党支部书记王军告诉", "本报记者，今年全村新建大棚一百二十座。"],
     ["春耕时节，村党支部书记王军告诉本报记者，今年全村新建大棚一百二十座。"]),
])
def test_a_dateline_opens_a_paragraph_and_the_item_heading_over_it_stands_alone(lines, paragraphs):
    text = page("科技简讯\n\n" + "\n".join(lines))
    [article] = split_page(text).segments
    assert article.body.split("\n\n") == paragraphs
