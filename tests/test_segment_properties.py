"""Property tests: any text in, no exception; repairs idempotent; every Han character kept."""

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.segment import account_han, split_page
from newsarchive.text import (
    SPACES, is_han, rebuild_paragraphs, strip_justification_spaces, undouble_bold_text,
)

# Pieces of newspaper text, so that random pages hit bylines, headlines, notes and doubling.
PIECES = [
    "本报讯（记者 施翔）", "本报记者 徐顺凯", "（记者 王琼）", "新华社西宁1月3日电", "（下转A04版）",
    "（上接A01版）", "——", "每月一题每月一题，，", "开栏的话：", "12 月 21 日", "期 内 ，每 日",
    "责编：张三", "\ufeff", "\r\n", "\n\n", "\n", "App", "TOP20", "“", "”", "。", "，", "？",
]
CHARS = st.characters(codec="utf-8", exclude_categories=("Cs",))
LINE_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"))
LINE_PIECES = [piece for piece in PIECES if piece.strip("\r\n\ufeff")]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
PIECE = st.one_of(st.sampled_from(PIECES), st.text(HAN, min_size=1, max_size=12),
                  st.text(CHARS, max_size=4), st.sampled_from(" 　\n"))
PAGES = st.lists(PIECE, max_size=60).map("".join)
LINES = st.lists(st.one_of(st.sampled_from(LINE_PIECES), st.text(HAN, max_size=6),
                           st.text(LINE_CHARS, max_size=3), st.sampled_from(" 　\u2003")),
                 max_size=12).map("".join)
# Real lines of the seed pages, recombined: pages in the paper's own style, never seen whole.
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_LINES = sorted({line for path in SEEDS.glob("*.txt")
                     for line in path.read_text(encoding="utf-8").split("\n")})
SEED_PAGES = st.lists(st.sampled_from(SEED_LINES), max_size=120).map("\n".join)
# And the lines of the synthetic fixture pages (other papers' styles, indents, boxes, notes).
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
FIXTURE_LINES = sorted({line for path in FIXTURES.glob("*.txt")
                        for line in path.read_text(encoding="utf-8").split("\n")})
FIXTURE_PAGES = st.lists(st.sampled_from(FIXTURE_LINES), max_size=120).map("\n".join)
FAST = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))


def han(text: str) -> Counter:
    return Counter(char for char in text if is_han(char))


def assert_split_keeps_the_page(text: str) -> None:
    """Every Han character accounted for, every article titled, bodies and spans well formed."""
    split = split_page(text)
    accounted, total, lines = account_han(text, split)
    assert accounted == total, lines
    for segment in split.segments:
        assert segment.title
        assert "\n\n\n" not in segment.body and not segment.body.startswith("\n")
        assert all(1 <= start <= end for start, end in segment.spans)


@FAST
@given(PAGES)
def test_split_page_accounts_for_every_han_character(text):
    assert_split_keeps_the_page(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(SEED_PAGES)
def test_split_page_on_recombined_seed_lines(text):
    assert_split_keeps_the_page(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(FIXTURE_PAGES)
def test_split_page_on_recombined_fixture_lines(text):
    assert_split_keeps_the_page(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(CHARS, max_size=200))
def test_split_page_takes_any_text(text):
    accounted, total, _ = account_han(text, split_page(text))
    assert accounted == total


@FAST
@given(LINES)
def test_strip_justification_spaces_is_idempotent_and_keeps_characters(line):
    once = strip_justification_spaces(line)
    assert strip_justification_spaces(once) == once
    assert once.replace(" ", "") == "".join(char for char in line if char not in SPACES)


@FAST
@given(LINES)
def test_undouble_bold_text_is_idempotent_and_records_what_it_drops(line):
    repaired, dropped = undouble_bold_text(line)
    assert undouble_bold_text(repaired) == (repaired, [])
    assert han(repaired) + han("".join(d.text for d in dropped)) == han(line)


@FAST
@given(st.lists(st.one_of(st.none(), LINES), max_size=12))
def test_rebuild_paragraphs_keeps_every_character_in_order(lines):
    paragraphs = rebuild_paragraphs(lines)
    squeeze = lambda text: "".join(c for c in text if c not in SPACES)  # noqa: E731
    assert squeeze("".join(paragraphs)) == squeeze("".join(line for line in lines if line))
    assert all(paragraph.strip(SPACES) for paragraph in paragraphs)
