"""The corpus generator: pure text helpers (table-driven) and the properties the bench relies on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench import corpus
from newsarchive.config import load_config
from newsarchive.frontmatter import dump_article, parse_article

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def writer() -> corpus.CorpusWriter:
    config = load_config(ROOT / "site.yaml")
    return corpus.CorpusWriter(corpus.Pool.from_seeds(ROOT / "seeds"), config)


@pytest.mark.parametrize("paragraph, width, lines", [
    ("一二三四五六七", 3, ["一二三", "四五六", "七"]),
    ("abc", 5, ["abc"]),
    ("", 4, [""]),
])
def test_wrap(paragraph, width, lines):
    assert corpus.wrap(paragraph, width) == lines


@pytest.mark.parametrize("line, spaced", [
    ("12月21日活动启动", "12 月 21 日活动启动"),
    ("增长3.9%。", "增长 3.9%。"),
    ("没有数字", "没有数字"),
])
def test_space_numbers(line, spaced):
    assert corpus.space_numbers(line) == spaced


@pytest.mark.parametrize("text, sentences", [
    ("西宁市启动了嘉年华\n活动，市民踊跃参加。\n\n第二段落的句子也在这里。",
     ["西宁市启动了嘉年华活动，市民踊跃参加。", "第二段落的句子也在这里。"]),
    ("本报讯（记者 施翔）为进一步推进全季文化旅游发展。", []),   # a byline is no prose
    ("太短。", []),
    ("This sentence is mostly Latin text, not Chinese prose。", []),
])
def test_split_sentences(text, sentences):
    assert corpus.split_sentences(text) == sentences


@pytest.mark.parametrize("raw", [
    "西宁晚报".encode("utf-8"), "\ufeff西宁晚报".encode("utf-8"),
    "西宁晚报".encode("utf-16"), "西宁晚报".encode("gb18030"),
])
def test_decode_page(raw):
    assert corpus.decode_page(raw) == "西宁晚报"


@pytest.mark.parametrize("index, date, label", [
    (0, dt.date(2024, 12, 31), "A01"),
    (7, dt.date(2024, 12, 31), "A08"),
    (8, dt.date(2024, 12, 30), "A01"),
    (-8, dt.date(2025, 1, 1), "A01"),
])
def test_page_date(index, date, label):
    assert corpus.page_date(index) == (date, label)


def test_pages_are_deterministic_and_prefix_stable(writer):
    small = [a for p in writer.pages(25) for a in p.articles]
    large = [a for p in writer.pages(100) for a in p.articles]
    assert [a.id for a in small] == [a.id for a in large[:20]] + [a.id for a in large[20:25]]
    assert [dump_article(a) for a in small[:20]] == [dump_article(a) for a in large[:20]]
    assert len(small) == 25 and len({a.id for a in large}) == 100
    assert writer.page(3).text == writer.page(3).text


def test_a_day_has_eighty_articles_on_eight_pages(writer):
    pages = list(writer.pages(corpus.ARTICLES_PER_DAY))
    assert [p.label for p in pages] == [f"A{n:02d}" for n in range(1, 9)]
    assert {p.date for p in pages} == {corpus.LAST_DAY}
    assert next(writer.pages(1, first_page=8)).date == corpus.LAST_DAY - dt.timedelta(days=1)


def test_articles_round_trip_and_point_at_their_page_lines(writer):
    for page in writer.pages(40):
        lines = page.text.split("\n")
        for article in page.articles:
            assert parse_article(dump_article(article), "x.md").body == article.body
            spans = article.source.spans or (article.source.lines,)
            used = "".join("".join(lines[a - 1:b]) for a, b in spans).replace(" ", "")
            # The headline and the start of the body are printed in the page's lines.
            assert article.title.replace(" ", "") in used
            assert article.body.split("\n")[0][:10] in used
            assert article.byline.replace(" ", "") in used


def test_page_texts_carry_the_seeds_artifacts(writer):
    pages = list(writer.pages(400))
    text = "".join(p.text for p in pages)
    titles = {a.title for p in pages for a in p.articles}
    assert "本报讯（记者" in text and "本报记者" in text
    assert "下转A0" in text and " 月 " in text
    assert "\n\n" in text
    widths = {len(line) for line in text.split("\n")
              if line and " " not in line and line not in titles}
    assert min(widths) >= 1 and max(widths) <= 22


def test_write_pages_streams_texts_manifest_and_markdown(writer, tmp_path):
    pages, articles = corpus.write_pages(writer.pages(30), texts_dir=tmp_path / "seeds",
                                         content_dir=tmp_path / "content")
    assert (pages, articles) == (3, 30)
    assert len(list((tmp_path / "content").rglob("*.md"))) == 30
    manifest = (tmp_path / "seeds" / "manifest.yaml").read_text(encoding="utf-8")
    assert "20241231-a03.txt: {date: 2024-12-31, page: A03}" in manifest
    first = tmp_path / "content" / "2024" / "12" / "2024-12-31-a01-01.md"
    corpus.edit_article(first, "新增加的一段话。")
    assert parse_article(first.read_text(encoding="utf-8"), first).body.endswith("\n\n新增加的一段话。")


def test_command_line_writes_a_corpus(tmp_path, capsys):
    assert corpus.main(["25", "--texts", str(tmp_path / "t"), "--content", str(tmp_path / "c")]) == 0
    assert "wrote 25 articles on 3 pages" in capsys.readouterr().out
    assert len(list((tmp_path / "c").rglob("*.md"))) == 25
    assert len(list((tmp_path / "t").glob("*.txt"))) == 3


def test_long_articles_are_about_long_chars_and_the_default_ones_unchanged(writer):
    config = load_config(ROOT / "site.yaml")
    long = corpus.CorpusWriter(writer.pool, config, long=True)
    bodies = [a.body for page in long.pages(40) for a in page.articles]
    short = [a.body for page in writer.pages(40) for a in page.articles]
    average = sum(len(b.replace("\n", "")) for b in bodies) / len(bodies)
    assert corpus.LONG_CHARS * 0.8 <= average <= corpus.LONG_CHARS * 1.3, average
    assert sum(map(len, short)) / len(short) < corpus.LONG_CHARS / 3
    # The same article ids, dates and pages: only the bodies grow.
    assert [a.id for page in long.pages(40) for a in page.articles] == \
        [a.id for page in writer.pages(40) for a in page.articles]


def test_the_days_after_the_last_are_new_days_one_after_another(writer):
    first, second = list(corpus.next_day_pages(writer)), list(corpus.next_day_pages(writer, 2))
    assert {p.date for p in first} == {corpus.LAST_DAY + dt.timedelta(days=1)}
    assert {p.date for p in second} == {corpus.LAST_DAY + dt.timedelta(days=2)}
    assert sum(len(p.articles) for p in second) == corpus.ARTICLES_PER_DAY
    ids = {a.id for p in first for a in p.articles}
    assert ids.isdisjoint(a.id for p in second for a in p.articles)
