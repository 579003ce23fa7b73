"""newsarchive.pdf's pure steps on glyphs and rules made here: what a typesetter draws, with the
positions a PDF gives (points, top-left origin)."""

from __future__ import annotations

import pytest

from newsarchive.pdf.areas import article_box
from newsarchive.pdf.articles import Unit, _head_fields, _share_columns, paragraphs_of
from newsarchive.pdf.layout import (Block, body_size, cut_page, drop_fake_bold, group_blocks,
                                    group_lines)
from newsarchive.pdf.read import Glyph, Rect, join_dots, read_pdf

BODY = 10.0


def run(text: str, x: float, baseline: float, size: float = BODY, advance: float | None = None,
        reversed_: bool = False) -> list[Glyph]:
    """Glyphs of `text` set from x on one baseline, one em (or `advance`) apart."""
    step = size if advance is None else advance
    return [Glyph(c, x + i * step, baseline - 0.88 * size, x + i * step + size,
                  baseline + 0.12 * size, size, baseline, reversed_)
            for i, c in enumerate(text)]


def column(lines: list[str], x: float, top: float, size: float = BODY, pitch: float = 16.0,
           indent_first: bool = False) -> list[Glyph]:
    glyphs = []
    for n, text in enumerate(lines):
        shift = 2 * size if indent_first and n == 0 else 0.0
        glyphs += run(text, x + shift, top + n * pitch, size)
    return glyphs


def texts(glyphs: list[Glyph], rects: list[Rect] = ()) -> list[str]:
    return [line.text for line in group_lines(glyphs, list(rects))]


# --- fake bold ---

@pytest.mark.parametrize("copy_dx, copy_dy, dropped", [
    (0.3, 0.3, True),      # the second stroke, a fraction of a point off
    (5.0, 1.5, True),      # half-width punctuation's copy: further off, but also moved down
    (5.0, 0.0, False),     # `））` set half-width: the neighbour, on the same baseline
    (0.0, 0.0, False),     # two characters of one ligature (`——`) share one box
    (10.0, 0.3, False),    # the next character
])
def test_fake_bold_copies_are_dropped_neighbours_kept(copy_dx, copy_dy, dropped):
    original = run("）", 100, 200)[0]
    copy = Glyph("）", original.x0 + copy_dx, original.top + copy_dy, original.x1 + copy_dx,
                 original.bottom + copy_dy, BODY, original.baseline + copy_dy, False)
    kept, doubled = drop_fake_bold([original, copy])
    assert (doubled == [copy]) is dropped
    assert kept[0] is original


def test_a_title_drawn_twice_as_a_run_comes_out_once():
    title = run("守护生命", 50, 100, size=24)
    copy = [Glyph(g.char, g.x0 + 0.2, g.top + 0.2, g.x1 + 0.2, g.bottom + 0.2, g.size,
                  g.baseline + 0.2, False) for g in title]
    kept, doubled = drop_fake_bold(title + copy)
    assert "".join(g.char for g in kept) == "守护生命" and len(doubled) == 4


# --- lines ---

def test_columns_on_one_baseline_are_two_lines():
    glyphs = run("一二三四五", 0, 100) + run("六七八九十", 60, 100)   # 1 em gap: tight columns
    assert texts(glyphs) == ["一二三四五", "六七八九十"]


def test_a_vertical_rule_parts_lines_a_narrow_gap_would_join():
    glyphs = run("一二三", 0, 100) + run("四五六", 34, 100)
    assert texts(glyphs) == ["一二三四五六"]
    assert texts(glyphs, [Rect(31.5, 80, 32.2, 120)]) == ["一二三", "四五六"]


def test_a_justified_gap_is_one_line_when_the_column_runs_across_it():
    above = run("甲乙丙丁戊己庚辛壬癸", 0, 84)
    stretched = run("本报北京", 0, 100) + run("日电", 70, 100)     # 3 em apart, inside the column
    below = run("子丑寅卯辰巳午未申酉", 0, 116)
    assert texts(above + stretched + below)[1] == "本报北京日电"
    assert texts(stretched) == ["本报北京", "日电"]                  # alone, it could be two columns


def test_a_space_between_headline_words_is_not_a_column_gap():
    body = column(["正文的字比标题小得多"] * 4, 0, 300)          # sets the body type: 10 pt
    title = run("用好智慧库", 0, 100, size=22) + run("高质量", 22 * 5 + 6.3, 100, size=22)
    assert texts(title + body)[0] == "用好智慧库高质量"
    beside = run("壮士已逝", 0, 100, size=22) + run("一心为民", 22 * 4 + 10.5, 100, size=22)
    assert texts(beside + body)[:2] == ["壮士已逝", "一心为民"]   # a column gap of body ems


def test_latin_words_keep_their_space_han_justification_spaces_go():
    glyphs = run("COVID", 0, 100, advance=6) + run(" ", 30, 100) + run("19", 36, 100, advance=6) \
        + run("\u2005", 48, 100) + run("例", 51, 100)
    assert texts(glyphs) == ["COVID 19例"]


# --- blocks and the cut ---

def test_an_indented_first_line_starts_the_block_it_belongs_to():
    lines = group_lines(column(["第一段开头", "第一段接着写下去", "第一段的末尾"], 0, 100,
                               indent_first=True), [])
    blocks = group_blocks(lines, [])
    assert len(blocks) == 1 and len(blocks[0].lines) == 3


def test_a_rule_or_a_change_of_size_starts_a_new_block():
    glyphs = column(["标题文字"], 0, 80, size=20) + column(["正文一行", "正文两行"], 0, 110)
    blocks = group_blocks(group_lines(glyphs, []), [])
    assert [len(b.lines) for b in blocks] == [1, 2]
    ruled = group_blocks(group_lines(column(["上面一行", "下面一行"], 0, 100), []),
                         [Rect(0, 106, 40, 106.7)])
    assert len(ruled) == 2


def test_the_page_is_cut_at_rules_first_then_columns_then_rows():
    glyphs = (column(["左栏一", "左栏二"], 0, 100) + column(["右栏一", "右栏二"], 60, 100)
              + column(["下一行"], 0, 200))
    lines = group_lines(glyphs, [])
    blocks = group_blocks(lines, [])
    tree = cut_page(blocks, [Rect(0, 150, 100, 150.7)], body_size(lines))
    assert tree.cut == "h" and tree.ruled
    assert [child.cut for child in tree.children] == ["v", "leaf"]


def test_dotted_rules_become_one_rule():
    dots = [Rect(x, 50, x + 0.75, 50.75, True) for x in (10, 11.5, 13, 14.5)]
    joined = join_dots(dots + [Rect(0, 0, 0.7, 0.7, True)])
    assert Rect(10, 50, 15.25, 50.75, True) in joined and len(joined) == 2


# --- articles ---

def block(lines: list[str], x: float, top: float, size: float = BODY, **kw) -> Block:
    return Block(group_lines(column(lines, x, top, size, **kw), []))


def test_paragraphs_start_at_an_indent_or_after_a_short_line():
    # A column eight characters wide: each paragraph's first line indented two, its last short.
    rows = [("一二三四五六", 20), ("七八九十一二三四", 0), ("五六。", 0),
            ("甲乙丙丁戊己", 20), ("庚辛壬癸子丑寅卯", 0), ("辰巳午未申酉戌亥", 0), ("甲乙丙丁戊己", 20)]
    glyphs = [g for n, (text, x) in enumerate(rows) for g in run(text, x, 100 + 16 * n)]
    blocks = group_blocks(group_lines(glyphs, []), [])
    assert len(blocks) == 1
    assert [text for text, _ in paragraphs_of(blocks)] == [
        "一二三四五六七八九十一二三四五六。", "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", "甲乙丙丁戊己"]


def test_the_largest_type_is_the_title_what_is_over_it_the_kicker():
    head = [block(["郭声琨在会议上强调"], 0, 50, size=13), block(["推动专项斗争"], 0, 70, size=24),
            block(["——保持强大攻势"], 0, 100, size=13)]
    assert _head_fields(head) == ("推动专项斗争", "郭声琨在会议上强调", "——保持强大攻势", [])


def test_columns_between_two_headlines_split_where_each_side_stays_balanced():
    left_head = Unit(head=[block(["左边的标题"], 0, 100, size=20)])
    right_head = Unit(head=[block(["右边的标题"], 400, 100, size=20)])
    heights = [30, 30, 28, 45, 44]           # lines per column: three of one story, two of another
    columns = [Unit(body=[block(["字" * 5] * n, 80 + 60 * i, 100)]) for i, n in enumerate(heights)]
    to_left, to_right = _share_columns(left_head, columns, right_head, BODY)
    assert to_left == columns[:3] and to_right == columns[3:]


def test_an_article_box_is_its_frame_or_reaches_its_own_rule():
    text = [block(["框里的文字"] * 3, 20, 100)]
    page = (0.0, 0.0, 600.0, 800.0)
    framed = article_box(text, [], [Rect(10, 80, 80, 160, True)], page, BODY)
    assert framed == (10, 80, 80, 160)
    ruled = article_box(text, [], [Rect(0, 145, 300, 145.7, True)], page, BODY)
    assert ruled[0] == 0 and ruled[2] == 300 and ruled[3] == 145.7
    other = [block(["另一篇"], 200, 100)]
    assert article_box(text, other, [Rect(0, 145, 300, 145.7, True)], page, BODY)[2] == 70


def test_positions_are_read_from_the_top_left_of_the_page_as_shown(tmp_path):
    """Glyphs and rules are placed from the CropBox's top left corner (the page viewers show
    and page_box is measured on), not the MediaBox's."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    page = pdf.new_page(200, 300)
    font = raw.FPDFText_LoadStandardFont(pdf.raw, b"Helvetica")
    text = raw.FPDFPageObj_CreateTextObj(pdf.raw, font, 12.0)
    chars = ctypes.create_string_buffer("AB\0".encode("utf-16-le"))
    raw.FPDFText_SetText(text, ctypes.cast(chars, ctypes.POINTER(ctypes.c_ushort)))
    raw.FPDFPageObj_Transform(text, 1, 0, 0, 1, 50, 250)
    raw.FPDFPage_InsertObject(page.raw, text)
    rule = raw.FPDFPageObj_CreateNewRect(40, 200, 100, 0.5)
    raw.FPDFPath_SetDrawMode(rule, raw.FPDF_FILLMODE_ALTERNATE, 0)
    raw.FPDFPage_InsertObject(page.raw, rule)
    page.gen_content()
    page.set_cropbox(20, 20, 180, 280)
    path = tmp_path / "cropped.pdf"
    pdf.save(path)
    pdf.close()
    read = read_pdf(path)[0]
    assert (read.width, read.height) == (160, 260)
    first = read.glyphs[0]
    assert first.char == "A" and abs(first.x0 - 30) < 1.5 and abs(first.baseline - 30) < 0.5
    assert any(abs(r.x0 - 20) < 0.5 and abs(r.top - 79.5) < 0.5 for r in read.rects)
