"""The measure of lines left read across columns (`bench.column_mix`) on hand-made pages."""

from __future__ import annotations

import pytest

from bench.column_mix import line_kind, main, page_figures

# Two stories in columns eight em wide, set on one baseline.
EAST = ["东湖公园今年新建步", "道三公里，沿途种植", "樱花两千株。市民可", "免费入园游览。"]
WEST = ["西郊水厂扩建工程日", "前完工，日供水能力", "提高到二十万吨，可", "满足新城区用水。"]
TRUTH = {"articles": [{"n": 1, "title": "东湖公园", "paragraphs": ["".join(EAST)]},
                      {"n": 2, "title": "西郊水厂", "paragraphs": ["".join(WEST)]}],
         "captions": ["图为东湖公园的樱花"]}


@pytest.mark.parametrize("line, kind", [
    pytest.param("道三公里，沿途种植", "one text", id="a line of one story"),
    pytest.param("道三公里", "short", id="too short to tell"),
    pytest.param("道三公里，沿途种植前完工，日供水能力", "two articles", id="two stories"),
    pytest.param("东湖公园今年新建步樱花两千株。市民可", "two columns of one article",
                 id="two columns of one story"),
    pytest.param("道三公里，沿途种植前完工，日供水能力图为东湖公园的樱花", "three or more pieces",
                 id="three columns"),
    pytest.param("北方大雪纷飞，气温骤降", "not found", id="text the truth lacks"),
])
def test_line_kind(line, kind):
    texts = ["东湖公园" + "".join(EAST), "西郊水厂" + "".join(WEST), "图为东湖公园的樱花"]
    assert line_kind(line, texts) == kind


def test_a_band_put_back_in_column_order_leaves_no_line_read_across():
    across = "\n".join(["东湖公园 西郊水厂"] + [" ".join(row) for row in zip(EAST, WEST)])
    raw = "\n".join(["东湖公园"] + EAST + ["西郊水厂"] + WEST)
    figures = page_figures(across, raw, TRUTH)
    # The headlines' line too.
    assert figures["as given: two articles"] == 5
    assert figures["in column order: two articles"] == 1
    assert figures["in column order: one text"] == 8
    assert figures["line pairs read on right"] == figures["line pairs"] == 6


def test_a_band_too_short_to_find_is_counted_as_left_whole():
    across = "\n".join([EAST[0], f"{EAST[1]} {WEST[1]}", EAST[2], EAST[3]])
    figures = page_figures(across, "\n".join(EAST), TRUTH)
    assert figures["read across, left whole: short band"] == 1
    # Only the pair of lines printed alone is looked for.
    assert figures["line pairs"] == figures["line pairs read on right"] == 1


def test_help_names_the_measure(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "read across columns" in capsys.readouterr().out
