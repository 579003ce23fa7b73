"""The classes of `bench.frame_decisions` on hand-made pages."""

from __future__ import annotations

import pytest

import newsarchive.segment as segment
from bench.frame_decisions import Recorder, _edge_class, classify, clean_articles, line_owners

PARK = ["东湖公园今年新建步道三公里，", "沿途种植樱花两千株。"]
WATER = ["西郊水厂扩建工程日前完工，", "日供水能力提高到二十万吨。"]


def truth(*stories: tuple[str, list[str]]) -> dict:
    return {"name": "p0000", "split": "dev",
            "articles": [{"n": n, "title": title, "paragraphs": ["".join(lines)]}
                         for n, (title, lines) in enumerate(stories, start=1)]}


@pytest.mark.parametrize("lines, expected", [
    pytest.param(PARK + [""] + WATER, {0, 1}, id="one block each"),
    pytest.param(PARK[:1] + [""] + WATER + [""] + PARK[1:], {1}, id="a story in two runs"),
    pytest.param(PARK[:1] + ["东湖公园 日供水能力提高"] + [""] + WATER, {1},
                 id="a block with a line of no story's"),
])
def test_clean_articles(lines, expected):
    texts = ["".join(PARK), "".join(WATER)]
    assert clean_articles(lines, line_owners(lines, texts)) == expected


@pytest.mark.parametrize("true, got, expected", [
    ([("导语没有句号", False), ("正文。", False)], [("导语没有句号正文。", False)],
     "first sentence run on into the next paragraph"),
    ([("正文。", False), ("小标题", True), ("再说。", False)],
     [("正文。", False), ("小标题再说。", False)], "last sentence run into from the paragraph before"),
    ([("正文。", False)], [("文。", False)], "first sentence cut short"),
])
def test_edge_class(true, got, expected):
    assert _edge_class(true, got) == expected


def test_two_stories_in_one_body_are_told_apart_from_a_whole_one():
    # The second story has no headline: its text runs on in the first one's body.
    text = "\n".join(["公园新建步道", "", *PARK, "", *WATER]) + "\n"
    page = truth(("公园新建步道", PARK), ("水厂扩建完工", WATER))
    with Recorder() as recorder:
        split = segment.split_page(text)
        clean, found, titles = classify(text, page, recorder, split)
    assert clean == 2
    assert [kind for kind, _ in found] == [
        "joined in one body: the other has no headline line on the page",
        "joined in one body: a blank line read as one story (link model)"]
    assert [kind for kind, _ in titles] == ["another article's title"]
