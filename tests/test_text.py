"""Table tests for the pure text repairs in newsarchive.text."""

import pytest

from newsarchive.text import (
    bigrams, ends_sentence, find_continuation, han_count, join_wrapped_lines,
    rebuild_paragraphs, strip_justification_spaces, text_width, undouble_bold_text,
    unify_radicals,
)


@pytest.mark.parametrize("line, expected", [
    # justified lines: every character spaced out
    ("期 内 ，每 日 10 时 整 ，用 户 可 通 过 云 闪 付", "期内，每日10时整，用户可通过云闪付"),
    ("12 月 21 日", "12月21日"),
    ("据了解，此次活动将从 2024 年 12 月 21", "据了解，此次活动将从2024年12月21"),
    ("长 91.06% ，旅 游 收 入 96.95 亿 元 ，同 比 增 长", "长91.06%，旅游收入96.95亿元，同比增长"),
    ("求 10.82 万 件 ，办 结 率 97.72% ，满 意 率", "求10.82万件，办结率97.72%，满意率"),
    ("全市 3.03 万名在职党员", "全市3.03万名在职党员"),
    ("开展集中学习26 次、专题研讨8 次", "开展集中学习26次、专题研讨8次"),
    ("本报北京1月19日电 （记者吴秋余）", "本报北京1月19日电（记者吴秋余）"),
    ("形成条块结合的工作合力。 （下转A04版）", "形成条块结合的工作合力。（下转A04版）"),
    ("期\u3000内\u3000，每\u3000日", "期内，每日"),
    ("TOP20 榜单", "TOP20榜单"),
    # real spaces stay
    ("“山宗水源 惠游青海”文旅消费券活动", "“山宗水源 惠游青海”文旅消费券活动"),
    ("扛牢责任 真抓实干", "扛牢责任 真抓实干"),
    ("本报讯（记者 施翔）", "本报讯（记者 施翔）"),
    ("本报讯（特约记者 莫昌伟 李欣）", "本报讯（特约记者 莫昌伟 李欣）"),
    ("以“citywalk 微游西宁”为活动主题", "以“citywalk 微游西宁”为活动主题"),
    ("“党员入格 一网兜底”服务", "“党员入格 一网兜底”服务"),
    ("the App store", "the App store"),
    ("  两端的空格  ", "两端的空格"),
    ("", ""),
])
def test_strip_justification_spaces(line, expected):
    assert strip_justification_spaces(line) == expected


@pytest.mark.parametrize("line", ["期 内 ，每 日 10 时 整", "扛牢责任 真抓实干", "A B 一 二 三 C"])
def test_strip_justification_spaces_is_idempotent(line):
    once = strip_justification_spaces(line)
    assert strip_justification_spaces(once) == once


@pytest.mark.parametrize("lines, expected", [
    (["变化来自于西宁市基层治理的创新探", "索，来自于为群众排忧解难的生动实践。"],
     "变化来自于西宁市基层治理的创新探索，来自于为群众排忧解难的生动实践。"),
    (["用户可通过云闪付", "App——青海文旅专区领取"], "用户可通过云闪付App——青海文旅专区领取"),
    (["活动将从2024年12月21", "日持续到2025年2月"], "活动将从2024年12月21日持续到2025年2月"),
    (["采取“8+", "X”学习内容"], "采取“8+X”学习内容"),
    (["the exhibition opened", "today"], "the exhibition opened today"),
    (["  首行  ", "", "次行"], "首行次行"),
])
def test_join_wrapped_lines(lines, expected):
    assert join_wrapped_lines(lines) == expected


@pytest.mark.parametrize("line, expected, dropped", [
    ("每月一题每月一题，，效果如何效果如何——", "每月一题，效果如何——", ["每月一题", "效果如何", "，"]),
    ("开栏的话开栏的话", "开栏的话", ["开栏的话"]),
    ("——切实提升基层治理效能切实提升基层治理效能", "——切实提升基层治理效能", ["切实提升基层治理效能"]),
    ("重要讲话重要讲话：：", "重要讲话：", ["重要讲话", "："]),
    # natural reduplication is text, not an artifact
    ("推动群众急难愁盼问题一件一件解决", "推动群众急难愁盼问题一件一件解决", []),
    ("研究研究", "研究研究", []),
    ("高高兴兴过大年", "高高兴兴过大年", []),
    # every glyph read twice in a row (pdfminer), with the next column's text glued after it
    ("图图片片报报道道", "图片报道", ["图片报道"]),
    ("小小区区换换新新颜颜（（民民生生··观观察察））今年", "小区换新颜（民生·观察）今年",
     ["小区换新颜（民生·观察）"]),
    ("视视角角））", "视角）", ["视角）"]),
    ("每月一题每月一题，，每月一题每月一题，，::", "每月一题，每月一题，:", ["，:", "每月一题", "每月一题", "，"]),
    ("弟弟妹妹们", "弟弟妹妹们", []),
    ("哈哈哈哈哈哈", "哈哈哈哈哈哈", []),
    ("一一“““一一", "一一“““一一", []),
    ("增长1100万亩", "增长1100万亩", []),
])
def test_undouble_bold_text(line, expected, dropped):
    repaired, removed = undouble_bold_text(line)
    assert repaired == expected
    assert sorted(d.text for d in removed) == sorted(dropped)
    assert all(d.kind == "doubled-text" for d in removed)
    assert han_count(repaired) + sum(han_count(d.text) for d in removed) == han_count(line)
    assert undouble_bold_text(repaired) == (repaired, [])


@pytest.mark.parametrize("line, rest, continues, continued_from", [
    ("形成条块结合、上下协同的工作合力。 （下转A04版）", "形成条块结合、上下协同的工作合力。", "A04", None),
    ("（上接A01版）据介绍，活动持续到明年。", "据介绍，活动持续到明年。", None, "A01"),
    ("问题得到解决。（转第5版）", "问题得到解决。", "5", None),
    ("（下转 第 3 版）", "", "3", None),
    ("(接a02版)下文", "下文", None, "A02"),
    ("没有续接的句子。", "没有续接的句子。", None, None),
])
def test_find_continuation(line, rest, continues, continued_from):
    result = find_continuation(line)
    assert result[:3] == (rest, continues, continued_from)
    assert bool(result[3]) == bool(continues or continued_from)


@pytest.mark.parametrize("text, expected", [
    ("推动国际生态旅游中心城市建设走深走实。", True),
    ("大家成就感倍增。”", True),
    ("缘何而来？", True),
    ("实现了正常供气……", True),
    ("并取得了初步成效——", True),
    ("变化来自于西宁市基层治理的创新探", False),
    ("取暖补助（55.93 万元）", False),
    ("城东区团结社区党委书记马燕说”", False),
    ("", False),
])
def test_ends_sentence(text, expected):
    assert ends_sentence(text) is expected


COLUMN = "一二三四五六七八九十一二三四五六"   # a full line of a 16-character column


@pytest.mark.parametrize("lines, expected", [
    # a blank line mid-sentence is a column break
    (["变化来自于西宁市基层治理的创新探", None, "索，来自于为群众排忧解难的生动实。"],
     ["变化来自于西宁市基层治理的创新探索，来自于为群众排忧解难的生动实。"]),
    (["活动将从2024年12月21", None, "日持续到2025年2月。"], ["活动将从2024年12月21日持续到2025年2月。"]),
    # the break one line early: `驻足⏎⏎观看。⏎据了解`
    ([COLUMN, "精彩的演出吸引了不少市民游客驻足", None, "观看。", "据了解，活动将持续到明年二月。"],
     [COLUMN + "精彩的演出吸引了不少市民游客驻足观看。", "据了解，活动将持续到明年二月。"]),
    # after a finished sentence the blank was the paragraph break: a full line that ends a
    # sentence right after it opens the next paragraph, it does not close one
    (["市委将持续深化机制，推动问题解决。", None, "“问题解决得好不好，群众说了算。”",
      "市委组织部相关负责人表示，将把群", "众满意度作为检验成效的重要标准。"],
     ["市委将持续深化机制，推动问题解决。",
      "“问题解决得好不好，群众说了算。”市委组织部相关负责人表示，将把群众满意度作为检验成效的重要标准。"]),
    # a run of questions is one paragraph across a blank; a question then an answer is two
    (["“每月一题”机制是什么？", None, "缘何而来？将导向何方？它，又", "是如何解决难题的呢？"],
     ["“每月一题”机制是什么？缘何而来？将导向何方？它，又是如何解决难题的呢？"]),
    (["如何用好调查研究传家宝？", None, "我市坚持以问题导向引领调研。"],
     ["如何用好调查研究传家宝？", "我市坚持以问题导向引领调研。"]),
    (["如何用好调查研究传家宝？", None, "我市坚持以问题导向引领调研方", "向，自觉研究新情况。"],
     ["如何用好调查研究传家宝？", "我市坚持以问题导向引领调研方向，自觉研究新情况。"]),
    # a short last line ends its paragraph even without a blank line
    ([COLUMN, COLUMN, "作用。", COLUMN, "结束。"], [COLUMN * 2 + "作用。", COLUMN + "结束。"]),
    # a full line that ends a sentence inside a paragraph does not break it
    ([COLUMN, "一二三四五六七八九十一二三四五。", COLUMN, "完。"],
     [COLUMN + "一二三四五六七八九十一二三四五。" + COLUMN + "完。"]),
    # a justified line of numbers, already stripped, inside a paragraph
    ([COLUMN, "长91.06%，旅游收入96.95亿元，同比增长", "67.83%。"],
     [COLUMN + "长91.06%，旅游收入96.95亿元，同比增长67.83%。"]),
    # a lead's label stands alone, not glued to the text after it
    (["编者按", "咣当……门开了，一缕阳光照", "进车间。"], ["编者按", "咣当……门开了，一缕阳光照进车间。"]),
    (["核心阅读：", "多渠道拓展就业空间。"], ["核心阅读：", "多渠道拓展就业空间。"]),
    (["编者的话", "立善法于天下，则天下治。"], ["编者的话", "立善法于天下，则天下治。"]),
    # a salutation is a paragraph of its own
    (["亲爱的孩子们：", COLUMN, "完。"], ["亲爱的孩子们：", COLUMN + "完。"]),
    # a closing quote read onto the next line still belongs to the sentence it closes
    ([COLUMN, "“出行请错峰。", "”", COLUMN, "完。"], [COLUMN + "“出行请错峰。”", COLUMN + "完。"]),
    ([], []),
])
def test_rebuild_paragraphs(lines, expected):
    assert rebuild_paragraphs(lines) == expected


def test_text_width_counts_latin_as_half():
    assert text_width("西宁") == 2
    assert text_width("App 12") == 2.5


def test_bigrams_stay_within_han_runs():
    assert bigrams("冬日暖阳、人文") == {"冬日", "日暖", "暖阳", "人文"}


@pytest.mark.parametrize("text, expected", [
    ("⼈⺠⽇报", "人民日报"),                 # Kangxi radicals and the supplement's 民
    ("⻓江⻛光", "长江风光"),                 # simplified forms only the supplement has
    ("⼾籍", "户籍"),                       # the glyph a Simplified font draws, not NFKC's 戶
    ("人民日报 2024", "人民日报 2024"),      # text without radicals is left alone
    ("⿰", "⿰"),                           # a description character is no radical
])
def test_unify_radicals(text, expected):
    assert unify_radicals(text) == expected


def test_radicals_are_read_as_characters_before_a_page_is_split():
    from newsarchive.segment import account_han, split_page
    text = "⼈⺠⽣活持续改善\n\n本报讯（记者 李明）今年以来，全市⼈⺠⽣活⽔平\n持续提⾼。\n"
    split = split_page(text)
    assert split.segments[0].title == "人民生活持续改善"
    assert "全市人民生活水平持续提高" in split.segments[0].body
    accounted, total, _ = account_han(text, split)
    assert accounted == total == len("人民生活持续改善本报讯记者李明今年以来全市人民生活水平持续提高")


def test_rarity_weights_favour_pairs_few_parts_hold():
    from newsarchive.text import rarity_weights
    weights = rarity_weights([{"疫情", "公园"}, {"疫情", "列车"}, {"疫情", "列车"}])
    assert weights["公园"] > weights["列车"] > weights["疫情"] > 0
    assert rarity_weights([]) == {}
