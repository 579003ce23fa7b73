"""Text read across the whole page, as pdfminer extracts it (`segment.across`): put back column
by column, and left alone where it is not read across."""

import pytest

from newsarchive.segment import split_page
from newsarchive.segment.across import _period, _with_breaks, across_order

# Columns eight em wide, as set.
LEFT = ["今年以来，我市持续", "推进老旧小区改造，", "已完成改造项目四十", "二个，惠及居民一万",
        "余户。改造后的小区", "道路平整，绿化成片。"]
MIDDLE = ["下一步，市住建局将", "继续加大投入力度，", "力争年内再完成改造", "项目三十个，让更多",
          "居民住上好房子，让", "小区旧貌换新颜。"]
RIGHT = ["据介绍，今年全市共", "安排专项资金两亿元", "用于支持老旧小区改", "造和配套设施建设，",
         "确保每一个项目都能", "按期保质完成任务。"]
# A headline in a column over the first lines of its story, the first set in (the extraction
# drops the indent).
INDENTED = ["社区服务上新台阶", "今年全市共安排", "专项资金两亿元用于"]
# A column whose third line is two em short, under a line of text with no comma.
UNINDENTED = ["今年以来，我市持续", "推进老旧小区改造工", "程，四十二个惠", "及居民一万余户，改", "造后的道路平整。"]
# Two stories of two columns each, side by side on alternate baselines; every line breaks
# inside a word (推|进, 基|地), which tells a column's own next line from the other story's.
NEAR = ["今年我市持续加快推", "进老旧小区改造工", "作，已完成改造项", "目四十二个，惠及居", "民一万余户。"]
NEXT = ["下一步，市住建局将继", "续加大投入，力争年", "内再完成三十个项", "目，让更多居民住上", "好房子。"]
FIELD = ["春节前夕，记者走进", "城郊一家蔬菜种植基", "地，只见大棚里的西", "红柿、黄瓜长势喜", "人。"]
MARKET = ["基地负责人告诉记", "者，今年蔬菜产量比", "去年增加两成，供应", "本市各大超市和农", "贸市场。"]
# A column on its own baseline whose first line would read on under NEAR's first (推|动).
RALLY = ["动员全市力量，推进", "各项任务落实落细。"]
# A line on a third baseline whose words (推进, 进城) tell how the stories' columns read on.
SLOGAN = ["推进工作，继续进城。"]


def across(*columns: list[str]) -> list[str]:
    """The lines of columns set on one baseline, read across the page."""
    return [" ".join(row) for row in zip(*columns)]


def spaced(line: str) -> str:
    """A line letter-spaced: a space between every two characters."""
    return " ".join(line)


def read_down(*columns: list[str]) -> list[str]:
    """The columns one after another, a blank line after each."""
    return [line for column in columns for line in column + [""]]


CASES = [
    pytest.param(across(LEFT, RIGHT), read_down(LEFT, RIGHT), id="two columns a line"),
    pytest.param(across(LEFT, MIDDLE, RIGHT), read_down(LEFT, MIDDLE, RIGHT),
                 id="three columns a line"),
    # A column on another baseline comes out as lines of its own between the others'.
    pytest.param([line for pair in zip(across(LEFT, MIDDLE), RIGHT) for line in pair],
                 read_down(LEFT, MIDDLE, RIGHT), id="a column on its own baseline"),
    # Two stories with as many columns on alternate baselines: the second story's first line
    # is not read on in the first story's columns.
    pytest.param([line for pair in zip(across(NEAR, NEXT), across(FIELD, MARKET)) for line in pair],
                 read_down(NEAR, NEXT, FIELD, MARKET), id="two stories on alternate baselines"),
    # The same with a third baseline's line between the first story's second line and the
    # second story's: the lines of as many pieces after the second story's first still tell
    # it is woven between the first's.
    pytest.param(across(NEAR, NEXT)[:1] + across(FIELD, MARKET)[:1] + across(NEAR, NEXT)[1:2]
                 + SLOGAN + [line for pair in zip(across(FIELD, MARKET)[1:], across(NEAR, NEXT)[2:])
                             for line in pair] + across(FIELD, MARKET)[-1:],
                 read_down(NEAR, NEXT, FIELD, MARKET, SLOGAN), id="woven with a third baseline"),
    # A line of one piece between a group's lines of two that would read on in its first
    # column: the group's next line goes on better, so the piece is another baseline's.
    pytest.param(across(NEAR, NEXT)[:1] + RALLY[:1] + across(NEAR, NEXT)[1:2] + RALLY[1:]
                 + across(NEAR, NEXT)[2:],
                 read_down(NEAR, NEXT, RALLY), id="one piece between a group's lines"),
    # Letter-spaced lines: a space between every character, numbers set apart.
    pytest.param(across(LEFT, MIDDLE[:2] + ["力 争 年 内 5 月 完 成"] + MIDDLE[3:]),
                 read_down(LEFT, MIDDLE[:2] + ["力争年内5月完成"] + MIDDLE[3:]),
                 id="letter-spaced piece"),
    pytest.param(across(LEFT, ["据 介 绍 ， 今 年", "全 市 共 安 排"] + RIGHT[2:])[:2]
                 + across(LEFT, RIGHT)[2:],
                 read_down(LEFT, ["据介绍，今年", "全市共安排"] + RIGHT[2:]),
                 id="letter-spaced pieces"),
    # Letter-spaced lines of two columns side by side, their run wider than a column: cut where
    # each piece reads on in its column (种植|基地, 记|者), not where the widths come out alike.
    pytest.param(across(FIELD[:1] + [spaced(FIELD[1])] + FIELD[2:],
                        MARKET[:1] + [spaced(MARKET[1])] + MARKET[2:]),
                 read_down(FIELD, MARKET), id="letter-spaced line cut along the columns"),
    pytest.param(across(FIELD[:4] + [spaced(FIELD[4])], MARKET[:4] + [spaced(MARKET[4])]),
                 read_down(FIELD, MARKET), id="letter-spaced last lines cut along the columns"),
    # No line opens with a comma: the cut goes after it.
    pytest.param(across(LEFT[:1] + [spaced(LEFT[1])] + LEFT[2:],
                        RIGHT[:1] + [spaced("安排专项资金")] + RIGHT[2:]),
                 read_down(LEFT, RIGHT[:1] + ["安排专项资金"] + RIGHT[2:]),
                 id="no line opens with a comma"),
    # A credit and its name are one piece: the byline's word space is no column gap.
    pytest.param(across(LEFT + ["本报记者 张三"], RIGHT + MIDDLE[:1]),
                 read_down(LEFT + ["本报记者张三"], RIGHT + MIDDLE[:1]), id="credit and name"),
    # A headline's words beside a part wider than any column are one headline, its word space
    # kept, not two columns' lines.
    pytest.param(["民生 老旧小区改造惠及万户居民百姓生活 " + MIDDLE[0]] + across(LEFT, MIDDLE[1:])
                 + LEFT[-1:],
                 read_down(["民生 老旧小区改造惠及万户居民百姓生活"], LEFT, MIDDLE),
                 id="headline word space"),
    # A headline in big type, its line shared with the first line of the next column; wider
    # than a column, it is a block of its own over the text, as pdftotext leaves it.
    pytest.param(["老旧小区改造惠及万户居民 " + MIDDLE[0]] + across(LEFT, MIDDLE[1:]) + LEFT[-1:],
                 read_down(["老旧小区改造惠及万户居民"], LEFT, MIDDLE), id="headline piece"),
    # A headline set in a column over its story: the story's first line, two em short of the
    # column, gets its indent back; a short line under a line of text does not.
    pytest.param(across(LEFT[:4] + ["余户。"] + INDENTED, MIDDLE + ["确保任务，按期完成。"] + RIGHT[:1]),
                 read_down(LEFT[:4] + ["余户。"] + INDENTED[:1] + ["\u3000\u3000" + INDENTED[1]]
                           + INDENTED[2:], MIDDLE + ["确保任务，按期完成。"] + RIGHT[:1]),
                 id="indent under a headline"),
    # A line of text may hold no comma: a short line under it, in mid-sentence, is not set in.
    pytest.param(across(UNINDENTED, RIGHT[:5]), read_down(UNINDENTED, RIGHT[:5]),
                 id="no indent under text"),
]


@pytest.mark.parametrize("lines, expected", CASES)
def test_lines_read_across_are_read_down_the_columns(lines, expected):
    text, source = across_order("\n".join(lines))
    assert text.split("\n") == expected
    # Each line keeps the page line it came from.
    for line, number in zip(text.split("\n"), source):
        assert line.replace(" ", "").lstrip("\u3000") in lines[number - 1].replace(" ", "")


UNCHANGED = [
    # pdftotext keeps blocks apart with blank lines: the odd line it reads across two columns is
    # left for `columns`.
    pytest.param(LEFT + [""] + across(MIDDLE, RIGHT) + [""] + ["（下转第2版）"], id="pdftotext"),
    # One column, its numbers set apart by spaces.
    pytest.param(["2020年 2 月 6 日", "星期四"] + LEFT + MIDDLE, id="one column"),
]


@pytest.mark.parametrize("lines", UNCHANGED)
def test_text_not_read_across_is_left_as_given(lines):
    text = "\n".join(lines)
    assert across_order(text) == (text, None)


def test_a_page_read_across_is_split_with_each_column_read_whole():
    lines = ["老旧小区改造惠及万户居民"] + [line for pair in zip(across(LEFT, MIDDLE), RIGHT)
                                        for line in pair]
    split = split_page("\n".join(lines))
    bodies = ["".join(segment.body.split()) for segment in split.segments]
    for column in (LEFT, MIDDLE, RIGHT):
        assert any("".join(column) in body for body in bodies)
    # Line numbers are the page's: the right column was printed on every other line from the third.
    right = next(segment for segment, body in zip(split.segments, bodies)
                 if "".join(RIGHT) in body)
    covered = {n for a, b in right.spans for n in range(a, b + 1)}
    assert covered >= set(range(3, 3 + 2 * len(RIGHT), 2))


def test_words_added_to_jieba_do_not_change_how_a_page_is_read():
    import jieba

    from newsarchive.segment.across import _word_starts
    _word_starts.cache_clear()
    # key_terms adds the topics' keywords to jieba's table in the same process.
    jieba.add_word("㐀㐁长街宴")
    try:
        assert "㐀㐁" not in _word_starts() and "记者" in _word_starts()
    finally:
        jieba.del_word("㐀㐁长街宴")
        _word_starts.cache_clear()


@pytest.mark.parametrize("counts, period", [
    ([2, 1, 3] * 2, 3),             # three baselines in turn
    ([1, 1, 2, 3] * 2, 4),
    ([2, 1] * 2, 2),
    ([2, 1, 3, 2, 1], None),        # a round and a part: too few to tell
    ([2, 1, 3, 2, 3, 1], None),
    ([2] * 6, None),                # one count: told apart by how the lines read on
])
def test_the_round_of_baselines_is_told_by_the_lines_counts_of_pieces(counts, period):
    assert _period(counts, len(counts) - 1) == period


# One column read down, nine em wide: a story's last lines, then another story's headline in
# larger type (its last line short) and its text, with no blank line between them.
ENDED = ["据介绍，今年全市共", "安排专项资金两亿元。"]
HEADED = ["老旧小区换新颜", "居民笑"]
TEXT = ["今年以来，我市持", "续推进老旧小区改造", "工程，惠及居民一万"]


@pytest.mark.parametrize("column, blanks_before", [
    pytest.param(ENDED + HEADED + TEXT, [2, 4], id="headline between two stories"),
    pytest.param(HEADED + TEXT, [2], id="headline at the column's top"),
    pytest.param(["安排专项资金两亿元", "（本报北京6月1日电）"] + HEADED + TEXT, [2, 4],
                 id="headline after a dateline"),
    # The text's last line under a sentence left open is a line of text cut short, not a headline.
    pytest.param(ENDED + LEFT[:3] + HEADED[1:] + TEXT, [], id="not after a finished sentence"),
    # A paragraph's first line, set in by two em, is not short enough to be a headline's.
    pytest.param(ENDED + ["今年以来，我市"] + TEXT[1:], [], id="a paragraph's first line"),
    pytest.param(ENDED + ["居民笑了。"] + TEXT, [], id="a short line ending a sentence"),
    pytest.param(ENDED + ["老旧小区换新颜", "城市更新看今朝", "千家万户喜洋洋"] + HEADED[1:] + TEXT, [],
                 id="more lines than a headline's"),
])
def test_a_headline_printed_in_a_column_is_set_apart(column, blanks_before):
    entries = list(enumerate(column))
    out = _with_breaks(entries, 9.0)
    assert [text for _, text in out if text] == column
    blanks = [k for k, (_, text) in enumerate(out) if not text]
    # Each blank line shifts the lines after it by one.
    assert [k - n for n, k in enumerate(blanks)] == blanks_before
