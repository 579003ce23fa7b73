"""Bands of lines read across columns (`segment.columns`): put back column by column, and left
alone where the spaces are print's (digits, letter spacing, a headline's word space)."""

import re
from collections import Counter

import pytest

from newsarchive.segment import account_han, split_page
from newsarchive.segment.columns import in_column_order, split_interleaved, unmerge_columns

# Two columns of one story, eight em wide, as set (a paragraph starts two em in).
LEFT = ["今年以来，我市持续", "推进老旧小区改造，", "已完成改造项目四十", "二个，惠及居民一万",
        "余户。改造后的小区", "道路平整，绿化成片。"]
RIGHT = ["下一步，市住建局将", "继续加大投入力度，", "力争年内再完成改造", "项目三十个，让更多", "居民住上好房子。"]


def texts(entries) -> list[str]:
    return [text for _, text in entries]


def han(lines) -> Counter:
    return Counter(re.findall(r"[\u4e00-\u9fff]", "".join(lines)))


def test_a_band_of_two_columns_is_read_left_column_first():
    lines = [f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + [LEFT[-1]]
    out = unmerge_columns(lines)
    assert texts(out) == LEFT + [""] + RIGHT
    # Each piece keeps the line it was printed on.
    assert [index for index, _ in out[:len(LEFT)]] == list(range(len(LEFT)))
    assert [index for index, _ in out[len(LEFT) + 1:]] == list(range(len(RIGHT)))


def test_rows_read_across_at_a_column_top_go_after_the_left_column():
    # Only the first two rows share lines; the right column's other lines come after a blank.
    lines = [f"{LEFT[0]} {RIGHT[0]}", f"{LEFT[1]} {RIGHT[1]}"] + LEFT[2:] + [""] + RIGHT[2:]
    assert texts(unmerge_columns(lines)) == LEFT + ["", RIGHT[0], RIGHT[1], ""] + RIGHT[2:]


def test_a_short_paragraph_end_and_the_right_line_beside_it_print_as_two_lines():
    # The gap after a short left line is wide, so the row comes out as two lines, left first.
    left = ["今年以来，我市持续", "推进小区改造。", "改造后的小区道", "路平整，绿化成片，", "居民十分满意。"]
    lines = [f"{left[0]} {RIGHT[0]}", left[1], RIGHT[1],
             f"{left[2]} {RIGHT[2]}",     # a paragraph's first line, set in two em
             f"{left[3]} {RIGHT[3]}", f"{left[4]} {RIGHT[4]}"]
    assert texts(unmerge_columns(lines)) == left + [""] + RIGHT


def test_a_credit_over_a_band_does_not_set_its_width():
    # `本报讯（记者 李明）` splits at a width near the column's; the band starts under it.
    lines = ["本报讯（记者 李明）"] + [f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + [LEFT[-1]]
    assert texts(unmerge_columns(lines)) == [lines[0]] + LEFT + [""] + RIGHT


def test_three_columns_come_apart_one_after_another():
    third = ["市民纷纷表示，家门", "口的变化看得见、摸", "得着，生活更加便利", "舒心。"]
    lines = [f"{a} {b} {c}" for a, b, c in zip(LEFT, RIGHT, third)] + \
        [f"{LEFT[4]} {RIGHT[4]}", LEFT[5]]
    assert texts(unmerge_columns(lines)) == LEFT + [""] + RIGHT + [""] + third


@pytest.mark.parametrize("lines", [
    # Spaces around digits in a column of one width.
    ["今年以来，我市新建", "城市公园 12 座，改造", "街头绿地 30 处，市民", "休闲空间不断扩大，", "生活更加舒心。"],
    # A letter-spaced column: every character stands apart.
    ["区 、 库 区 、 高 寒", "山 区 “ 三 区 合 一 ”", "曾 让 大 湾 人 长 期", "困 囿 于 一 个 字 。"],
    # A headline with its word space over the text.
    ["扛牢责任 真抓实干", "本报讯（记者 施翔）全市", "上下认真贯彻落实会议", "精神，各项工作有序推", "进，成效明显。"],
    # Two lines of a band are not enough to tell a gap from a space.
    [f"{LEFT[0]} {RIGHT[0]}", f"{LEFT[1]} {RIGHT[1]}"],
])
def test_spaces_that_are_print_not_gaps_leave_the_lines_as_they_are(lines):
    assert unmerge_columns(lines) == list(enumerate(lines))
    assert in_column_order("\n".join(lines)) == ("\n".join(lines), None)


def test_characters_are_only_moved():
    lines = ["人民日报", ""] + [f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + [LEFT[-1], "", "（下转第4版）"]
    out = texts(unmerge_columns(lines))
    assert out != lines
    assert han(out) == han(lines)


def test_a_split_page_names_the_lines_as_printed():
    lines = ["旧小区换新颜", "", "本报讯（记者 李明）"] + [f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + \
        [LEFT[-1], "（下转第4版）"]
    text = "\n".join(lines) + "\n"
    ordered, source = in_column_order(text)
    assert source is not None and ordered != text
    split = split_page(text)
    accounted, total, lost = account_han(text, split)
    assert accounted == total and not lost
    [article] = split.segments
    assert article.title == "旧小区换新颜"
    assert "".join(LEFT + RIGHT) in article.body.replace("\n", "")
    assert article.reporters == ["李明"]
    # Spans and artifacts count the page's own lines, not the reordered ones.
    assert article.spans == [(1, len(lines) - 1)]
    note = next(a for a in split.artifacts if a.kind == "continuation-note")
    assert note.line == len(lines)


# Two stories set side by side, nine em wide, their lines cut inside words found whole elsewhere.
FIRST = ["老旧小区改造是民生", "工程，小区改造让居", "民住得更舒心。今年", "我市改造老旧小区四",
         "十个，居民满意度明", "显提升，改造后的小", "区道路平整，居民出", "行更方便，小区环境"]
SECOND = ["春耕备耕正当时，农", "资供应充足，农技人", "员深入田间，指导农", "户科学施肥，农户们",
          "抢抓农时，田间地头", "一派繁忙，农资供应", "有保障，农户种粮信", "心足，农技服务到田"]


@pytest.mark.parametrize("lines, expected", [
    # Printed a line of each in turn (their baselines differ): one column, then the other.
    ([line for pair in zip(FIRST, SECOND) for line in pair], FIRST + [""] + SECOND),
    # Already one after the other: left alone.
    (FIRST + SECOND, FIRST + SECOND),
])
def test_columns_printed_a_line_of_each_in_turn_come_apart(lines, expected):
    out = split_interleaved(list(enumerate(lines)))
    assert texts(out) == expected
    assert sorted(index for index, text in out if text) == list(range(len(lines)))


@pytest.mark.parametrize("lines, expected", [
    # The right column's line stands alone (the columns' baselines differ there): the words
    # broken at its ends join it to the right column, and the left column reads on past it.
    ([f"{FIRST[0]} {SECOND[0]}", f"{FIRST[1]} {SECOND[1]}", SECOND[2]]
     + [f"{a} {b}" for a, b in zip(FIRST[2:7], SECOND[3:])] + [FIRST[7]],
     FIRST + [""] + SECOND),
    # A left line alone at the band's end stays the left column's.
    ([f"{a} {b}" for a, b in zip(FIRST, SECOND)] + [FIRST[0]],
     FIRST + [FIRST[0], ""] + SECOND),
])
def test_a_line_alone_in_a_band_goes_to_the_column_its_broken_words_join(lines, expected):
    assert texts(unmerge_columns(lines)) == expected


def test_a_band_is_read_at_the_width_most_of_its_left_lines_have():
    # The first left line is an em wider than its column (justification squeezed a character
    # in), and a paragraph's first line an em short of the two em it is set in: read at the
    # first line's width, the band would end there.
    left = ["今年以来，我市持续加", "快推进老旧小区改造", "已完成改造项目四十", "二个，惠及居民一万", "余户。",
            "改造后的小区", "道路平整，绿化成片", "居民十分满意。"]
    right = ["下一步，市住建局将", "继续加大投入力度，", "力争年内再完成改造", "项目三十个，让更多",
             "居民住上好房子。同", "时，还将加快推进城", "市更新，完善社区配", "套设施，提升品质。"]
    lines = [f"{a} {b}" for a, b in zip(left, right)]
    assert texts(unmerge_columns(lines)) == left + [""] + right


@pytest.mark.parametrize("first, last", [
    (RIGHT[0], "市民纷纷表示满意。"),
    # Both letter-spaced: no gap tells them apart, the column's width does. A letter-spaced
    # line mostly holds one or two characters fewer than a plain one of its column.
    ("下 一 步 ， 全 市 将", "市 民 纷 纷 表 示 满 意 。"),
])
def test_a_piece_still_holding_columns_too_few_for_a_band_is_cut_at_a_column_width(first, last):
    # A third column's last line shares the first row: too few lines for a band of the rest,
    # but the rest's left part is as wide as the page's band's column.
    lines = [f"{LEFT[0]} {first} {last}"] + [f"{a} {b}" for a, b in zip(LEFT[1:], RIGHT[1:])] \
        + [LEFT[-1]]
    assert texts(unmerge_columns(lines)) == LEFT + ["", first, last] + RIGHT[1:]


# Four columns of one story page, nine em wide.
COLUMN_A = ["改革开放四十年来，", "我市经济总量翻了数", "番，城乡面貌焕然一", "新，人民生活水平显",
            "著提高，发展成就举", "世瞩目，令人振奋。"]
COLUMN_B = ["春节将至，各地年货", "市场人头攒动，干货", "糖果销售火爆，商家", "纷纷备足货源，保障",
            "节日供应，市场运行", "平稳有序，价格稳定"]
COLUMN_C = ["近日，市文化馆举办", "迎新春书画展，展出", "作品两百余幅，吸引", "大批市民前来观展，",
            "现场气氛热烈，观众", "纷纷驻足，好评如潮"]
COLUMN_D = ["今冬以来，我省持续", "加强电力调度，全力", "保障居民温暖过冬，", "各地供暖运行平稳，",
            "电网负荷创下新高，", "能源供应保障有力。"]


def rows_of(*rows: tuple[str, ...]) -> list[str]:
    return [" ".join(row) for row in rows]


@pytest.mark.parametrize("lines, expected", [
    # The columns' baselines differ a little: a row holds the pieces of the columns whose next
    # lines lie highest, a row holding all of them sets them level.
    (rows_of(*zip(COLUMN_A[:2], COLUMN_B[:2], COLUMN_C[:2], COLUMN_D[:2]),
             (COLUMN_A[2],), (COLUMN_B[2], COLUMN_C[2], COLUMN_D[2]),
             (COLUMN_A[3], COLUMN_B[3]), (COLUMN_C[3], COLUMN_D[3]),
             *zip(COLUMN_A[4:], COLUMN_B[4:], COLUMN_C[4:], COLUMN_D[4:])),
     COLUMN_A + [""] + COLUMN_B + [""] + COLUMN_C + [""] + COLUMN_D),
    # Two columns, the right one's lines a little lower for a while: its lines printed alone go
    # to it.
    (rows_of(*zip(COLUMN_A[:2], COLUMN_B[:2]), (COLUMN_A[2],), (COLUMN_B[2],), (COLUMN_A[3],),
             (COLUMN_B[3],), *zip(COLUMN_A[4:], COLUMN_B[4:])),
     COLUMN_A + [""] + COLUMN_B),
    # A paragraph's first line (set in two em) and the next column's paragraph end beside it
    # are no wider than one column.
    (rows_of(*zip(COLUMN_A[:2], COLUMN_B[:2], COLUMN_C[:2]), (COLUMN_A[2],),
             ("回首来时路，是", "向前。"), *zip(COLUMN_A[3:], COLUMN_B[2:], COLUMN_C[2:])),
     COLUMN_A + [""] + COLUMN_B[:2] + ["回首来时路，是"] + COLUMN_B[2:5] + [""]
     + COLUMN_C[:2] + ["向前。"] + COLUMN_C[2:5]),
    # Two letter-spaced lines side by side: no gap tells them apart, the columns' width does.
    (rows_of(*zip(COLUMN_A[:2], COLUMN_B[:2], COLUMN_C[:2], COLUMN_D[:2]),
             (COLUMN_A[2], "糖 果 销 售 火 爆 ，", "作 品 两 百 余 幅 ，", COLUMN_D[2]),
             *zip(COLUMN_A[3:], COLUMN_B[3:], COLUMN_C[3:], COLUMN_D[3:])),
     COLUMN_A + [""] + COLUMN_B[:2] + ["糖 果 销 售 火 爆 ，"] + COLUMN_B[3:] + [""]
     + COLUMN_C[:2] + ["作 品 两 百 余 幅 ，"] + COLUMN_C[3:] + [""] + COLUMN_D),
])
def test_columns_on_baselines_a_little_apart_are_read_column_by_column(lines, expected):
    assert texts(unmerge_columns(lines)) == expected


LEAD = ["今年以来，我市持续推进老旧小区改造工作", "已完成改造项目四十二个，惠及居民一万", "余户，改造后的小区道路平整，绿化成片。",
        "下一步还将加快推进城市更新，完善社区配"]


@pytest.mark.parametrize("lead", [
    LEAD[:3],
    # On four rows the lead and the right column cut every row of the band into two lines, as
    # columns read in turn do; but the right column's lines are half as wide as the lead's, so
    # the two are not columns of one width, and the lead's column is read for bands still.
    LEAD,
])
def test_a_left_column_as_wide_as_two_columns_is_read_for_their_band(lead):
    # A wide lead column beside a short right column, over two narrow columns the right one
    # does not reach: the band's width is the lead's, and its left column holds the narrow
    # columns' rows, read across too.
    lines = [f"{a} {b}" for a, b in zip(lead, RIGHT)] \
        + [f"{a} {b}" for a, b in zip(COLUMN_A, COLUMN_B)]
    assert texts(unmerge_columns(lines)) == \
        lead + COLUMN_A + [""] + COLUMN_B + [""] + RIGHT[:len(lead)]


# A headline in large type set at the left of two columns: a few of its characters to a row,
# printed on the rows of the columns' lines that share their baseline.
HEADLINE_ROWS = ["绿水青山", "就是金山", "银山"]


@pytest.mark.parametrize("lines, expected", [
    # On three rows: read before the columns, a block of its own.
    ([f"{LEFT[0]} {RIGHT[0]}", f"绿水青山 {LEFT[1]} {RIGHT[1]}", f"{LEFT[2]} {RIGHT[2]}",
      f"就是金山 {LEFT[3]} {RIGHT[3]}", f"{LEFT[4]} {RIGHT[4]}", f"银山 {LEFT[5]}"],
     HEADLINE_ROWS + [""] + LEFT + [""] + RIGHT),
    # On one row a few characters are rather words set apart, and letter-spaced characters
    # opening a row are no headline's: the band ends above them.
    *[([f"{LEFT[0]} {RIGHT[0]}", f"{LEFT[1]} {RIGHT[1]}", f"{LEFT[2]} {RIGHT[2]}",
        f"{LEFT[3]} {RIGHT[3]}", f"{opening} {LEFT[4]} {RIGHT[4]}", LEFT[5]],
       LEFT[:4] + ["", *RIGHT[:4], f"{opening} {LEFT[4]} {RIGHT[4]}", LEFT[5]])
      for opening in ("就是金山", "绿 水 青 山")],
])
def test_a_headline_printed_on_the_rows_of_a_band_is_read_before_its_columns(lines, expected):
    out = unmerge_columns(lines)
    assert texts(out) == expected
    assert han(texts(out)) == han(lines)


@pytest.mark.parametrize("bands_before, expected_before", [
    # Two bands show the page's column width: three rows at it are a band too (two stories side
    # by side sharing only their first rows).
    ([[f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + [LEFT[-1]],
      [f"{a} {b}" for a, b in zip(COLUMN_A, COLUMN_B)]],
     LEFT + [""] + RIGHT + [""] + COLUMN_A + [""] + COLUMN_B),
    # One band is not enough to tell the width from a space's: the rows stay as they are.
    ([[f"{a} {b}" for a, b in zip(LEFT, RIGHT)] + [LEFT[-1]]], LEFT + [""] + RIGHT),
])
def test_a_short_band_at_a_width_the_pages_bands_have_is_read(bands_before, expected_before):
    short = [f"{c} {d}" for c, d in zip(COLUMN_C[:3], COLUMN_D[:3])]
    lines = [line for band in bands_before for line in [*band, ""]] + short
    known = len(bands_before) > 1
    assert texts(unmerge_columns(lines)) == expected_before + [""] + (
        COLUMN_C[:3] + [""] + COLUMN_D[:3] if known else short)


# A narrow right column beside a band's left one: the band is read left column, then right.
NARROW = ["下一步，市住", "建局将继续加", "大投入力度，", "力争年内再完", "成。"]


@pytest.mark.parametrize("last_rows, expected_left, expected_right", [
    # A paragraph's first line (set in two em) and the right column's paragraph end beside it,
    # the two no wider than a column line: cut apart.
    ([f"改造后的小区道 {NARROW[4]}", "路平整，绿化成片。"],
     ["改造后的小区道", "路平整，绿化成片。"], NARROW),
    # A space before a number's unit is print's: the line stays whole, in the left column.
    (["新建城市公园 12 座。", LEFT[5]], ["新建城市公园 12 座。", LEFT[5]], NARROW[:4]),
])
def test_a_paragraph_end_beside_a_column_line_no_wider_than_one_is_cut_off(
        last_rows, expected_left, expected_right):
    lines = [f"{a} {b}" for a, b in zip(LEFT[:4], NARROW)] + last_rows
    assert texts(unmerge_columns(lines)) == LEFT[:4] + expected_left + [""] + expected_right


@pytest.mark.parametrize("lines, expected", [
    # A headline in large type beside one column, no band: a few of its characters open every
    # other line (the column's lines between print alone); read first, a block of its own.
    ([f"绿水青山 {LEFT[0]}", LEFT[1], f"就是金山 {LEFT[2]}", LEFT[3], f"银山 {LEFT[4]}", LEFT[5]],
     HEADLINE_ROWS + [""] + LEFT),
    # Short openings on line after line are a list's or a table's: left as they are.
    ([f"绿水青山 {LEFT[0]}", f"就是金山 {LEFT[1]}", f"银山 {LEFT[2]}", LEFT[3]],
     [f"绿水青山 {LEFT[0]}", f"就是金山 {LEFT[1]}", f"银山 {LEFT[2]}", LEFT[3]]),
])
def test_a_headline_printed_on_the_rows_of_one_column_is_read_before_it(lines, expected):
    out = unmerge_columns(lines)
    assert texts(out) == expected
    assert han(texts(out)) == han(lines)
