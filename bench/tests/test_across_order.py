"""The measure of pdfminer's reordering (`bench.across_order`) on hand-made pages."""

from __future__ import annotations

import pytest

from bench.across_order import break_kind, page_figures, raw_successors

# Two stories in columns eight em wide, set on one baseline.
EAST = ["东湖公园今年新建步", "道三公里，沿途种植", "樱花两千株。市民可", "免费入园游览。"]
WEST = ["西郊水厂扩建工程日", "前完工，日供水能力", "提高到二十万吨，可", "满足新城区用水。"]


def truth(*stories: tuple[str, list[str]]) -> dict:
    return {"articles": [{"n": n, "title": title, "paragraphs": ["".join(lines)]}
                         for n, (title, lines) in enumerate(stories, start=1)]}


@pytest.mark.parametrize("raw, expected", [
    pytest.param("甲\n乙\n丙", {"甲": "乙", "乙": "丙"}, id="each line its next"),
    pytest.param("甲\n乙\n甲\n丙", {}, id="a line found twice names no next, nor is one"),
    pytest.param("甲\n\n 乙 \n", {"甲": "乙"}, id="blank lines and spaces left out"),
])
def test_raw_successors(raw, expected):
    assert raw_successors(raw) == expected


@pytest.mark.parametrize("ordered, at, then, expected", [
    pytest.param(["甲", "", "乙"], 0, 2, "first ends a column, second starts a column",
                 id="columns apart"),
    pytest.param(["甲", "丙", "", "乙"], 0, 3,
                 "first reads on into another line, second starts a column", id="wrong next"),
    pytest.param(["甲", "", "丙", "乙"], 0, 3,
                 "first ends a column, second follows another line", id="wrong before"),
])
def test_break_kind(ordered, at, then, expected):
    assert break_kind(ordered, at, then) == expected


def test_columns_read_across_are_read_down_again():
    across = "\n".join(["东湖公园 西郊水厂"] + [" ".join(row) for row in zip(EAST, WEST)])
    raw = "\n".join(["东湖公园"] + EAST + ["西郊水厂"] + WEST)
    figures = page_figures(across, raw, truth(("东湖公园", EAST), ("西郊水厂", WEST)))
    assert figures["pages read across"] == 1
    assert figures["sentences read whole"] == figures["sentences"] == 3
    assert figures["articles read whole"] == 2
    assert figures["line pairs read on right"] == figures["line pairs"] == 6
    assert figures["titles over their text"] == figures["titles"] == 2


def test_a_line_read_on_wrong_is_counted_by_how_far_apart_pdfminer_read_the_two():
    across = "\n".join(["东湖公园 西郊水厂"] + [" ".join(row) for row in zip(EAST, WEST)])
    # A story whose lines were set in another order than the columns read down give.
    order = [EAST[0], EAST[2], EAST[1], EAST[3]]
    figures = page_figures(across, "\n".join(order), truth(("东湖公园", order)))
    assert figures["line pairs"] == 3 and figures["line pairs read on right"] == 0
    assert figures["broken, 2 lines apart"] == 2 and figures["broken, below 0 lines apart"] == 1
    assert figures["broken: first reads on into another line, second follows another line"] == 3


def test_text_kept_in_blocks_is_not_measured():
    figures = page_figures("东湖公园\n\n" + "\n".join(EAST), "\n".join(EAST),
                           truth(("东湖公园", EAST)))
    assert figures == {"pages not read across": 1}
