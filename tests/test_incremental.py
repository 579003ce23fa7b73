"""Incremental builds: the cache may skip work, never change a byte of what a cold build writes."""

from __future__ import annotations

import os
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest

from newsarchive import build as build_module
from newsarchive import taxonomy
from newsarchive.build import build_site, tidy_spare, warm_contents
from newsarchive import buildcache
from newsarchive.buildcache import CACHE_DIR, CacheMemory
from newsarchive.stages import pages as pages_stage
from newsarchive.workers import Background, Runner
from newsarchive.config import load_config
from newsarchive import content as content_module
from newsarchive.content import (ContentCache, list_content, load_articles, load_content,
                                 relist_content)
from newsarchive.errors import ArchiveError
from newsarchive.search.index import search_output
from newsarchive.frontmatter import dump_article
from newsarchive.render import compiled_templates_dir

from .conftest import FIXTURE_CONTENT

EDITED = "content/2023-06-15-a03-01.md"
UNRELATED = "articles/2024-12-23-a02-01.html"


def build(site: Path, out: str = "_site", memory: CacheMemory | None = None):
    return build_site(load_config(site / "site.yaml"), site / "content", site / out, quiet=True,
                      memory=memory)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_articles(content: Path, count: int, first: int = 0) -> None:
    """More articles made from the fixtures, on a few dates and pages, so lists paginate."""
    articles = load_articles(FIXTURE_CONTENT)
    for i in range(first, first + count):
        article = articles[i % len(articles)]
        article.id = f"gen-{i:04d}"
        article.versions, article.continues, article.continued_from = [], None, None
        article.tags = [*article.tags, f"标签{i % 7}"]
        article.body += f"\n\n第{i}篇的补充段落。"
        (content / f"gen-{i:04d}.md").write_text(dump_article(article), encoding="utf-8")


@pytest.fixture
def site(site_copy: Path) -> Path:
    shutil.rmtree(site_copy / "content", ignore_errors=True)
    shutil.copytree(FIXTURE_CONTENT, site_copy / "content")
    add_articles(site_copy / "content", 50)
    return site_copy


CHANGES = {
    "an article's body": lambda s: replace(s / EDITED, "\n\n", "\n\n新加的一段话。\n\n"),
    "an article's title": lambda s: replace(s / "content/2024/2024-12-22-a01-02.md",
                                             "title: 日本游客冬游西宁", "title: 日本游客冬游夏都"),
    "an article's tags": lambda s: replace(s / "content/gen-0003.md", "标签3", "新标签"),
    "a new article": lambda s: add_articles(s / "content", 1, first=900),
    "a deleted article": lambda s: (s / "content/gen-0010.md").unlink(),
    "a template": lambda s: replace(s / "templates/base.html", "供查阅与研究", "供查阅、研究"),
    "site.yaml": lambda s: replace(s / "site.yaml", "title: 西宁晚报数字档案", "title: 晚报档案"),
    "a page text": lambda s: (s / "content/sources/000_ef5b354f55f1070d.txt").write_bytes(
        (s / "content/sources/000_ef5b354f55f1070d.txt").read_bytes() + "末尾新加一行\n".encode()),
    "the stylesheet": lambda s: (s / "static/css/site.css").write_text(
        (s / "static/css/site.css").read_text(encoding="utf-8") + "\n/* x */\n", encoding="utf-8"),
}


def disk_loads(monkeypatch) -> list:
    """The cache entries read from disk from here on, one entry each (a missing one is not
    read)."""
    loads = []
    real = buildcache._read

    def read(path):
        held = real(path)
        loads.append(str(path))
        return held

    monkeypatch.setattr(buildcache, "_read", read)
    return loads


@pytest.mark.parametrize("recent_docs", [None, 16], ids=["one tier", "recent tier"])
@pytest.mark.parametrize("in_memory", [False, True], ids=["from disk", "kept in memory"])
def test_incremental_builds_equal_cold_builds_after_every_kind_of_change(site, in_memory,
                                                                         recent_docs, monkeypatch):
    def tiers() -> None:
        if recent_docs:  # the search data of this small archive in two tiers, as a large one's
            monkeypatch.setitem(search_output.__kwdefaults__, "recent_docs", recent_docs)

    tiers()
    # Kept in memory: the preview server's builds, each taking the last one's cache entries.
    memory = CacheMemory() if in_memory else None
    build(site, memory=memory)
    manifest = (site / "_site" / "search" / "manifest.js").read_text(encoding="utf-8")
    assert ('"indexRecentShards":0' not in manifest) == bool(recent_docs)
    for number, (name, change) in enumerate(CHANGES.items()):
        change(site)
        loads = disk_loads(monkeypatch)
        incremental = build(site, memory=memory)
        assert bool(loads) is not in_memory, (name, loads)
        monkeypatch.undo()
        tiers()
        cold = build(site, out=f"cold-{number}")  # its own cache key: nothing to reuse
        if name not in ("a template", "site.yaml"):  # those two change every page
            assert len(incremental.rendered) < len(cold.rendered) / 2, name
        assert tree(site / "_site") == tree(site / f"cold-{number}"), f"after {name}"


def test_a_cold_build_renders_every_page_and_a_no_op_none(site):
    first = build(site)
    files = tree(site / "_site")
    assert sorted(first.rendered) == [p for p in files if p.endswith((".html", ".xml"))]
    inodes = {p: (site / "_site" / p).stat().st_ino for p in files}
    again = build(site)
    assert again.rendered == [] and again.written == [] and again.removed == []
    assert sorted(again.unchanged) == sorted(files)
    assert {p: (site / "_site" / p).stat().st_ino for p in files} == inodes


def test_a_text_edit_renders_only_the_pages_that_show_the_text(site):
    build(site)
    replace(site / EDITED, "\n\n", "\n\n新加的一段话。\n\n")
    report = build(site)
    # Lists and links show cards (title, date, byline), not the text: they keep their files.
    assert set(report.rendered) == {"articles/2023-06-15-a03-01.html", "feed.xml"}
    assert "新加的一段话" in (site / "_site/articles/2023-06-15-a03-01.html").read_text("utf-8")
    assert {UNRELATED, "dates/2023/06/15/index.html"} <= set(report.unchanged)


def test_a_title_edit_renders_the_article_and_the_pages_that_list_it_only(site):
    first = build(site)
    replace(site / EDITED, "title: ", "title: 改过的")
    report = build(site)
    rendered = set(report.rendered)
    assert "articles/2023-06-15-a03-01.html" in rendered
    assert "dates/2023/06/15/index.html" in rendered  # its issue lists it
    assert UNRELATED not in rendered and "dates/2024/12/23/index.html" not in rendered
    assert len(rendered) < len(first.rendered) / 4, sorted(rendered)
    assert "改过的" in (site / "_site/dates/2023/06/15/index.html").read_text("utf-8")
    assert UNRELATED in report.unchanged


def test_a_rewrite_with_the_same_size_and_mtime_is_still_seen(site):
    build(site)
    path = site / EDITED
    before = path.stat()
    replace(path, "。", "！")  # same byte length in UTF-8
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    # The file was written long before the build: only its bytes can tell. Pretend instead that
    # the first version was written just before the build, as an editor saving twice would.
    shutil.rmtree(site / CACHE_DIR)
    os.utime(path, None)
    build(site)
    replace(path, "！", "？")
    stamp = path.stat()
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    build(site)
    assert "？" in (site / "_site/articles/2023-06-15-a03-01.html").read_text("utf-8")


def test_a_damaged_cache_means_a_cold_build_not_an_error(site):
    build(site)
    for cached in (site / CACHE_DIR).rglob("*"):  # compiled templates included
        if cached.is_file():
            cached.write_bytes(b"not a pickle")
    replace(site / EDITED, "\n\n", "\n\n新加的一段话。\n\n")
    report = build(site)
    assert "articles/2023-06-15-a03-01.html" in report.rendered
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_a_removed_output_is_rebuilt_in_full(site):
    build(site)
    shutil.rmtree(site / "_site")
    report = build(site)
    assert report.unchanged == [] and (site / "_site/index.html").is_file()


@pytest.mark.parametrize("fork_most_pages", [10**9, 0], ids=["forked", "spawned"])
def test_parallel_and_serial_rendering_write_the_same_site(site, monkeypatch, fork_most_pages):
    # Workers forked (reading the plan they inherit) or spawned (sent their pages).
    monkeypatch.setattr(pages_stage, "FORK_MOST_PAGES", fork_most_pages)
    add_articles(site / "content", 400, first=100)
    # Enough cores that pages render in several processes beside the search's.
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: 4))
    parallel = build(site, out="parallel")
    assert Runner().workers(len(parallel.rendered), pages_stage.PARALLEL_MIN_PAGES,
                            reserved=1) > 1
    monkeypatch.setattr(pages_stage, "PARALLEL_MIN_PAGES", 10**9)
    build(site, out="serial")
    assert tree(site / "parallel") == tree(site / "serial")


@pytest.mark.parametrize("search_done_after", [0, 2, None])
def test_pages_move_to_worker_processes_once_the_search_process_is_done(site, monkeypatch,
                                                                        search_done_after):
    """Two cores: pages render here while the search process runs, then in two workers."""
    add_articles(site / "content", 400, first=100)
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: 2))
    asked = []

    def done(self) -> bool:
        asked.append(1)
        return search_done_after is not None and len(asked) > search_done_after

    monkeypatch.setattr(Background, "done", done)
    build(site, out="switching")
    assert asked  # the search ran beside the pages
    monkeypatch.setattr(pages_stage, "PARALLEL_MIN_PAGES", 10**9)
    build(site, out="serial")
    assert tree(site / "switching") == tree(site / "serial")


@pytest.mark.parametrize("one, other", [
    ("ab", "ba"), (["ab", "c"], ["a", "bc"]), ({"a": 1}, {"a": "1"}), (1, True),
    (None, "None"), ([], [None]), ({"标题": "围炉煮茶"}, {"标题": "围炉煮茶 "}),
])
def test_fingerprints_tell_values_apart(one, other):
    from newsarchive.depends import Fingerprints
    prints = Fingerprints(b"key", {})

    def digest(fingerprints, value):
        return fingerprints.page("p.html", "t.html", {"value": value}).digest
    assert digest(prints, one) != digest(prints, other)
    assert digest(Fingerprints(b"key", {}), one) == digest(prints, one)


def test_a_context_value_of_unknown_type_is_refused():
    from newsarchive.depends import Fingerprints
    with pytest.raises(TypeError, match="cannot fingerprint"):
        Fingerprints(b"key", {}).page("p.html", "t.html", {"value": object()})


def test_opencc_s_table_is_kept_in_the_cache_and_taken_from_it(site, monkeypatch):
    from newsarchive.search import variants
    build(site)
    cache = buildcache.BuildCache(site, site / "content", (site / "_site").resolve())
    table = cache.load("variants", dict, variants.TABLE_VERSION.encode())
    assert table == variants.simplified_of() and len(table) > 1000
    # A process that has not made the table (the next build's search process) takes the cache's.
    monkeypatch.setattr(variants, "_given", None)
    for made in (variants.simplified_of, variants._translation, variants.simplified_points):
        made.cache_clear()
    monkeypatch.setattr(variants.opencc, "OpenCC", lambda *args: pytest.fail("converted again"))
    add_articles(site / "content", 2, first=500)
    build(site)
    assert variants.simplified_of() == table
    monkeypatch.undo()
    build(site, out="_cold")
    assert tree(site / "_site") == tree(site / "_cold")


def test_cached_articles_from_other_parsing_code_are_parsed_again(site, monkeypatch):
    from newsarchive import buildcache
    from newsarchive.content import ContentCache
    build(site)
    cache = buildcache.BuildCache(site, site / "content", (site / "_site").resolve())
    code = buildcache.code_version(build_module.ARTICLE_CODE)
    assert cache.load("content", ContentCache, code).entries  # this code reads its own cache
    # Another version of frontmatter.py (its source is in the digest) parses again.
    other = buildcache.code_version(build_module.ARTICLE_CODE[:-1])
    assert cache.load("content", ContentCache, other) is None
    build(site)  # and a build over that cache is not an error


def test_a_new_day_leaves_the_older_archive_pages_of_lists_alone(site):
    replace(site / "site.yaml", "paginate: 20", "paginate: 2")
    first = build(site)
    add_articles(site / "content", 3, first=900)
    for path in (site / "content").glob("gen-09*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^date: .*$", "date: 2031-01-01", text, flags=re.M), "utf-8")
    report = build(site)
    archive = Counter(p.rsplit("/", 1)[0] for p in first.rendered if "/page-" in p)
    long_lists = [folder for folder, pages in archive.items() if pages >= 4]
    assert len(long_lists) >= 3
    rendered = set(report.rendered)
    # A new day moves at most one full page into the archive: the older pages stay as they were.
    for folder in long_lists:
        assert not {f"{folder}/page-1.html", f"{folder}/page-2.html"} & rendered, folder
    cold = build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold") and len(rendered) < len(cold.rendered) / 2


def test_the_replaced_site_is_kept_as_the_spare_and_built_into_next_time(site):
    build(site)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    build(site)
    spare, out = site / ".site-spare-_site", site / "_site"
    replace(site / EDITED, "第一次改", "第二次改")
    report = build(site)
    assert report.rendered and len(report.written) < 10, report.written
    page = "articles/2023-06-15-a03-01.html"
    # The edit went to a new file: the spare (the site before) still holds the old text, and
    # every file the build did not write is one file shared by both.
    assert "第一次改" in (spare / page).read_text("utf-8")
    assert "第二次改" in (out / page).read_text("utf-8")
    assert (spare / UNRELATED).stat().st_ino == (out / UNRELATED).stat().st_ino
    cold = build(site, out="cold")
    assert tree(out) == tree(site / "cold") and len(report.rendered) < len(cold.rendered) / 10


@pytest.mark.parametrize("damage", [
    lambda spare: shutil.rmtree(spare),
    lambda spare: (shutil.rmtree(spare), spare.mkdir(), (spare / "index.html").write_text("x")),
])
def test_a_lost_or_foreign_spare_never_reaches_the_site(site, damage):
    build(site)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    build(site)
    damage(site / ".site-spare-_site")
    replace(site / EDITED, "第一次改", "第二次改")
    build(site)
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_pages_planned_again_after_text_edits_equal_the_kept_contexts(site):
    """The shortcut's premise: with every card unchanged, a page holding no whole article has
    the same fingerprint, and one holding some is its kept context with the new articles."""
    from newsarchive.depends import ContextLoader, Fingerprints
    from newsarchive.model import Site
    from newsarchive.pages import plan_site

    config = load_config(site / "site.yaml")
    before = load_articles(site / "content")
    after = load_articles(site / "content")
    for article in after[::3]:
        article.body += "\n\n补上的一段。"
    prints = Fingerprints(b"key", {})
    old = {p.path: prints.page(p.path, p.template, p.context)
           for p in plan_site(Site(config, before), site / "content")}
    new = {p.path: prints.page(p.path, p.template, p.context)
           for p in plan_site(Site(config, after), site / "content")}
    assert old.keys() == new.keys()
    by_id, cards = {a.id: a for a in after}, {a.id: a.card() for a in after}
    holding = 0
    for path, kept in old.items():
        if kept.context is None:
            assert new[path].digest == kept.digest, path
            continue
        holding += 1
        reloaded = prints.page(*ContextLoader(kept.context, by_id, cards).load())
        assert reloaded.digest == new[path].digest and reloaded.context == new[path].context
    assert holding > len(after)  # every article's page, and the feed


def counting_plans(monkeypatch) -> list:
    """Calls of plan_site from here on, one entry each."""
    calls = []
    real = pages_stage.plan_site
    monkeypatch.setattr(pages_stage, "plan_site", lambda *a: calls.append(1) or real(*a))
    return calls


@pytest.mark.parametrize("loss", [None, "the kept contexts", "a page of the site",
                                  "a page of the site and the spare"])
def test_a_text_edit_skips_planning_unless_what_that_needs_is_lost(site, loss, monkeypatch):
    build(site)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    build(site)
    if loss == "the kept contexts":
        next((site / CACHE_DIR).glob("contexts-*")).unlink()
    elif loss == "a page of the site":  # from the site and the spare built into next
        (site / "_site" / UNRELATED).unlink()
        (site / ".site-spare-_site" / UNRELATED).unlink()
    elif loss == "a page of the site and the spare":  # the pages kept so far are let go
        (site / "_site" / UNRELATED).unlink()
        shutil.rmtree(site / ".site-spare-_site")
    replace(site / EDITED, "第一次改", "第二次改")
    plans = counting_plans(monkeypatch)
    build(site)
    assert len(plans) == (0 if loss is None else 1)
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def planned_reaches(monkeypatch) -> list:
    """The reach (None: the whole site) and page count of each call of plan_site from here."""
    calls = []
    real = pages_stage.plan_site

    def spy(site, content_dir, reach=None, *rest):
        planned = real(site, content_dir, reach, *rest)
        calls.append((reach, len(planned)))
        return planned
    monkeypatch.setattr(pages_stage, "plan_site", spy)
    return calls


def set_key(path: Path, key: str, value: str) -> None:
    """Give one front matter key another value, as a person editing the file would."""
    text = path.read_text(encoding="utf-8")
    assert re.search(rf"^{key}: ", text, flags=re.M), f"{key} not in {path}"
    path.write_text(re.sub(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.M),
                    encoding="utf-8")


def new_day(site: Path) -> None:
    add_articles(site / "content", 3, first=900)
    for path in (site / "content").glob("gen-09*.md"):
        set_key(path, "date", "2031-01-01")


RECARDINGS = {
    "a new day": new_day,
    "an article moved to another day and page": lambda s: (
        set_key(s / "content/gen-0005.md", "date", "2023-06-15"),
        set_key(s / "content/gen-0005.md", "page", "B09")),
    "a tag only one article has": lambda s: set_key(s / "content/gen-0007.md", "tags",
                                                    "[独有的标签]"),
    "that tag gone again": lambda s: set_key(s / "content/gen-0007.md", "tags", "[标签0]"),
    "an article retitled": lambda s: set_key(s / "content/gen-0008.md", "title", "改了的标题"),
    "an article deleted": lambda s: (s / "content/gen-0011.md").unlink(),
    "another printing named": lambda s: set_key(s / "content/gen-0013.md", "versions",
                                                "[gen-0012]"),
    "an undated article dated": lambda s: set_key(s / "content/undated-01.md", "date",
                                                  "2024-12-22"),
    "a topic given": lambda s: set_key(s / "content/gen-0014.md", "topics",
                                         "[每月一题, 主题教育]"),
    "a text edited after partial plans": lambda s: replace(
        s / EDITED, "\n\n", "\n\n新加的一段话。\n\n"),
    "the new day removed": lambda s: [p.unlink() for p in (s / "content").glob("gen-09*.md")],
}


@pytest.mark.parametrize("common_label, recent_share", [
    (taxonomy.COMMON_LABEL, buildcache.RECENT_SHARE), (3, buildcache.RECENT_SHARE),
    (taxonomy.COMMON_LABEL, 100.0)])
def test_pages_planned_from_the_reach_of_changed_cards_equal_a_cold_build(
        site, monkeypatch, common_label, recent_share):
    """Each change plans only the pages it reaches (reach.py) and keeps every other page; the
    site equals a cold build's. A low COMMON_LABEL puts every tag and topic through the
    windows related lists take of common labels; a text edit after those partial plans takes
    the text-edit shortcut on the contexts they kept (a high RECENT_SHARE: on the full save
    of the contexts and the changes the partial plans saved beside it)."""
    monkeypatch.setattr(taxonomy, "COMMON_LABEL", common_label)
    monkeypatch.setattr(pages_stage, "RECENT_SHARE", recent_share)
    replace(site / "site.yaml", "base_url: null", "base_url: https://archive.example.org/")
    replace(site / "site.yaml", "paginate: 20", "paginate: 3")  # lists with archive pages
    first = build(site)
    plans = planned_reaches(monkeypatch)
    for number, (name, change) in enumerate(RECARDINGS.items()):
        change(site)
        at = len(plans)  # the cold builds plan too
        incremental = build(site)
        if name == "a text edited after partial plans":
            assert plans[at:] == [], name
            recent = list((site / CACHE_DIR).glob("contexts-recent-*"))
            assert bool(recent) is (recent_share == 100.0), recent
        else:
            [(reach, planned)] = plans[at:]
            assert reach is not None, f"{name}: the whole site was planned"
            assert planned < len(first.rendered), f"{name}: {planned} pages planned"
        cold = build(site, out=f"cold-{number}")
        assert len(incremental.rendered) < len(cold.rendered) / 2, name
        assert tree(site / "_site") == tree(site / f"cold-{number}"), f"after {name}"
        # The order the partial plans kept up to date is the one a cold plan makes.
        kept, fresh = (kept_order(site, out) for out in ("_site", f"cold-{number}"))
        assert (kept.ranked, kept.names) == (fresh.ranked, fresh.names), f"after {name}"
        assert len(kept.ranked) == incremental.articles


def kept_order(site: Path, out: str) -> taxonomy.SiteOrder:
    """The page plan's order a build of `out` kept in the cache."""
    cache = buildcache.BuildCache(site, site / "content", (site / out).resolve())
    return cache.load("order", taxonomy.SiteOrder,
                      buildcache.code_version(pages_stage.PagesStage.code))


def test_a_template_change_after_a_partial_plan_plans_everything_and_equals_cold(
        site, monkeypatch):
    build(site)
    new_day(site)
    plans = planned_reaches(monkeypatch)
    build(site)
    replace(site / "templates/base.html", "供查阅与研究", "供查阅、研究")
    report = build(site)
    assert [reach for reach, _ in plans] == [plans[0][0], None] and plans[0][0] is not None
    cold = build(site, out="cold")
    assert sorted(report.rendered) == sorted(cold.rendered)
    assert tree(site / "_site") == tree(site / "cold")


def test_the_memory_is_not_trusted_after_another_process_built(site, monkeypatch):
    """A build without the memory (the command line, beside the preview) replaces the state
    file: the next build with the memory reads what that build saved."""
    memory = CacheMemory()
    build(site, memory=memory)
    replace(site / EDITED, "title: ", "title: 改过的")
    build(site)
    replace(site / EDITED, "title: 改过的", "title: ")
    loads = disk_loads(monkeypatch)
    build(site, memory=memory)
    assert {Path(name).name.rsplit("-", 1)[0] for name in loads} >= {"state", "content", "pages"}
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_a_failed_build_leaves_no_half_used_entry_in_the_memory(site, monkeypatch):
    memory = CacheMemory()
    build(site, memory=memory)
    replace(site / EDITED, "\n\n", "\n\n失败之后的一段。\n\n")

    def fail(*args):
        raise ArchiveError("the disk is full")

    # After the content was loaded, and with it what changed: that is this build's to use.
    monkeypatch.setattr(pages_stage.PagesStage, "produce", fail)
    with pytest.raises(ArchiveError):
        build(site, memory=memory)
    monkeypatch.undo()
    report = build(site, memory=memory)
    assert "articles/2023-06-15-a03-01.html" in report.rendered
    assert "失败之后的一段" in (site / "_site/articles/2023-06-15-a03-01.html").read_text("utf-8")


def test_a_text_edit_saves_only_the_changed_articles_until_they_are_many(site, monkeypatch):
    from newsarchive.content import ContentCache
    for path in (site / "content").rglob("*.md"):  # written long ago: no file is re-read
        os.utime(path, (1_600_000_000, 1_600_000_000))
    cache = buildcache.BuildCache(site, site / "content", (site / "_site").resolve())
    code = buildcache.code_version(build_module.ARTICLE_CODE)
    build(site)
    full = cache.path("content").stat()
    replace(site / EDITED, "\n\n", "\n\n新加的一段话。\n\n")
    (site / "content/gen-0010.md").unlink()
    build(site)
    assert cache.path("content").stat().st_ino == full.st_ino  # the full save stays as it was
    base = cache.load("content", ContentCache, code).base
    recent = cache.load("content-recent", buildcache.RecentContent, code, base)
    assert recent.entries.keys() == {"2023-06-15-a03-01.md", "gen-0010.md"}
    assert recent.entries["gen-0010.md"] is None
    loaded = buildcache.load_contents(cache, code).entries
    assert "gen-0010.md" not in loaded and "新加的一段话" in loaded[EDITED[8:]].article.body
    # Many changed files: everything is saved again, and the recent changes go.
    monkeypatch.setattr(buildcache, "RECENT_SHARE", 0)
    replace(site / EDITED, "新加的一段话", "又改了一次")
    build(site)
    assert cache.path("content").stat().st_ino != full.st_ino
    assert not cache.path("content-recent").exists()
    assert "又改了一次" in buildcache.load_contents(cache, code).entries[EDITED[8:]].article.body
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_templates_are_compiled_once_and_again_when_they_change(site, monkeypatch):
    import jinja2
    from newsarchive.render import check_templates, make_environment
    build(site)
    compiled = []
    real = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, *a, **k:
                        compiled.append(name) or real(self, source, name, *a, **k))
    folder = compiled_templates_dir(site / CACHE_DIR)
    check_templates(make_environment(site / "templates", folder))
    assert compiled == []
    replace(site / "templates/404.html", "{% block content %}", "{% block content %}<p>改</p>")
    check_templates(make_environment(site / "templates", folder))
    assert compiled == ["404.html"]


def test_a_compiled_templates_folder_that_cannot_be_written_costs_no_build(site):
    compiled = compiled_templates_dir(site / CACHE_DIR)
    compiled.rmdir()
    compiled.symlink_to(site / "gone")  # as root, no permission stops a write: a lost folder
    build(site)
    assert (site / "_site/index.html").is_file()


def test_a_file_read_again_to_be_sure_is_read_once_not_on_every_build(site, monkeypatch):
    """A file written just before a build is hashed (a second write in the same clock tick
    could hide behind its mtime); the next build knows it, even if nothing was parsed."""
    from newsarchive import content as content_module
    monkeypatch.setattr(content_module, "RACY_NS", 500_000_000)
    build(site)  # every file was just written
    time.sleep(0.6)
    replace(site / "templates/404.html", "{% block content %}", "{% block content %}<p>一</p>")
    build(site)  # hashes them all once more
    reads = []
    real = content_module._read_bytes
    monkeypatch.setattr(content_module, "_read_bytes", lambda path: reads.append(path.name)
                        or real(path))
    replace(site / "templates/404.html", "<p>一</p>", "<p>二</p>")
    build(site)
    assert [name for name in reads if name.endswith(".md")] == []


def test_the_code_a_build_stamps_is_the_code_a_build_runs(site):
    """A change to a module the build runs must be seen by the next build, and the preview
    server (which has loaded ingest and itself too) must stamp the same code as the command
    line, or each would plan the whole site again after the other."""
    import subprocess
    import sys
    script = (
        "import sys; from pathlib import Path\n"
        "from newsarchive.build import build_site\n"
        "from newsarchive.buildcache import build_code\n"
        "from newsarchive.config import load_config\n"
        f"site = Path({str(site)!r})\n"
        "build_site(load_config(site / 'site.yaml'), site / 'content', site / '_site', "
        "quiet=True)\n"
        "ran = sorted(Path(m.__file__) for n, m in list(sys.modules.items())\n"
        "             if n.split('.')[0] == 'newsarchive' and getattr(m, '__file__', None))\n"
        "print(sorted(set(map(str, build_code())) ^ set(map(str, ran))))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_build_that_finds_nothing_changed_loads_no_rendering_code(site):
    import subprocess
    import sys
    for path in site.rglob("*"):  # every input written long ago: the stamp can be trusted
        if path.is_file():
            os.utime(path, (1_600_000_000, 1_600_000_000))
    build(site)
    script = (
        "import sys; from pathlib import Path\n"
        "from newsarchive.build import build_site\n"
        "from newsarchive.config import load_config\n"
        f"site = Path({str(site)!r})\n"
        "report = build_site(load_config(site / 'site.yaml'), site / 'content', site / '_site',"
        " quiet=True)\n"
        "from newsarchive.frontmatter import _compiled\n"
        "print(report.written, [name for name in ('jinja2', 'newsarchive.render', "
        "'newsarchive.search', 'newsarchive.stages') if name in sys.modules], "
        "_compiled.cache_info().currsize)\n")  # nor the front matter's patterns
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[] [] 0"


def test_the_config_named_relative_or_absolute_is_the_same_config(site, monkeypatch):
    """`build` takes site.yaml as given, `serve` resolves it: an edit after switching from
    one to the other renders the pages that show it, not every page."""
    monkeypatch.chdir(site)
    build_site(load_config(Path("site.yaml")), site / "content", site / "_site", quiet=True)
    replace(site / EDITED, "\n\n", "\n\n新加的一段话。\n\n")
    report = build(site)
    assert set(report.rendered) == {"articles/2023-06-15-a03-01.html", "feed.xml"}


def test_the_first_edit_after_a_no_op_finds_the_entries_in_memory(site, monkeypatch):
    """The preview's first build is usually a no-op, which reads only the state: the rest is
    read then, not by the first edit."""
    monkeypatch.setattr(buildcache, "RACY_NS", 0)  # no input is too recent to trust
    build(site)
    memory = CacheMemory()
    loaded = []
    real = build_module.load_content
    monkeypatch.setattr(build_module, "load_content", lambda *a: loaded.append(1) or real(*a))
    build(site, memory=memory)
    assert loaded == []  # a no-op
    replace(site / EDITED, "\n\n", "\n\n新加的一段话。\n\n")
    loads = disk_loads(monkeypatch)
    report = build(site, memory=memory)
    assert loads == [] and "articles/2023-06-15-a03-01.html" in report.rendered


# --- builds told what changed (the preview's watcher), and the spare tidied between builds ---

def watched_paths(site: Path) -> dict[Path, tuple[int, int]]:
    """Every source file's (size, mtime): what a file watcher would see change."""
    return {path.resolve(): (path.stat().st_size, path.stat().st_mtime_ns)
            for folder in ("content", "templates", "static") for path in (site / folder).rglob("*")
            if path.is_file()} | {(site / "site.yaml").resolve(): (0, 0)}


def seen_since(site: Path, before: dict[Path, tuple[int, int]]) -> set[Path]:
    after = watched_paths(site)
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def content_walks(monkeypatch) -> list:
    walks = []
    real = content_module.content_files
    monkeypatch.setattr(content_module, "content_files", lambda *a: walks.append(1) or real(*a))
    return walks


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_builds_told_what_changed_equal_cold_builds(site, change, monkeypatch):
    memory = CacheMemory()
    build(site, memory=memory)
    before = watched_paths(site)
    time.sleep(0.01)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    CHANGES[change](site)
    walks = content_walks(monkeypatch)
    build_site(load_config(site / "site.yaml"), site / "content", site / "_site", quiet=True,
               memory=memory, changed=seen_since(site, before))
    assert walks == []  # only the paths named were looked at
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_a_build_told_what_changed_leaves_a_state_the_next_build_finds_current(site,
                                                                              monkeypatch):
    """A build told of a changed article takes the content's stamp only after the swap; the
    stamp must still be the one a walk gives, or the next build would not be a no-op."""
    monkeypatch.setattr(buildcache, "RACY_NS", 0)  # no input is too recent to trust
    memory = CacheMemory()
    build(site, memory=memory)
    before = watched_paths(site)
    time.sleep(0.01)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    build_site(load_config(site / "site.yaml"), site / "content", site / "_site", quiet=True,
               memory=memory, changed=seen_since(site, before))
    loads = []
    real = build_module.load_content
    monkeypatch.setattr(build_module, "load_content", lambda *a: loads.append(1) or real(*a))
    build(site)
    assert loads == []


def test_a_build_told_of_a_folder_walks_the_content(site, monkeypatch):
    memory = CacheMemory()
    build(site, memory=memory)
    folder = site / "content" / "2025"
    folder.mkdir()
    add_articles(folder, 2, first=700)
    walks = content_walks(monkeypatch)
    build_site(load_config(site / "site.yaml"), site / "content", site / "_site", quiet=True,
               memory=memory, changed={folder.resolve()})
    assert walks == [1]
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


def test_relisting_from_the_changed_paths_equals_a_walk(site):
    content = site / "content"
    listing = list_content(content)
    edited, gone, new = content / EDITED.split("/", 1)[1], content / "gen-0010.md", \
        content / "gen-0900.md"
    time.sleep(0.01)
    replace(edited, "\n\n", "\n\n新加的一段话。\n\n")
    gone.unlink()
    add_articles(content, 1, first=900)
    (content / ".hidden.md").write_text("x", encoding="utf-8")
    (content / "notes.txt").write_text("x", encoding="utf-8")
    source = content / "sources" / "000_ef5b354f55f1070d.txt"
    changed = [edited, gone, new, content / ".hidden.md", content / "notes.txt", source,
               content / "came-and-went.md", site / "site.yaml"]
    relisted, suspects = relist_content(content, listing, changed)
    assert relisted.files == list_content(content).files
    assert suspects == {edited.relative_to(content).as_posix(), "gen-0900.md"}
    # A folder that came or went may hold files no path names: only a walk can tell.
    (content / "2025").mkdir()
    assert relist_content(content, listing, [content / "2025"]) is None
    shutil.rmtree(content / "2024")
    assert relist_content(content, listing, [content / "2024"]) is None


def test_articles_loaded_from_the_changed_files_equal_a_full_load(site):
    content = site / "content"
    cache = ContentCache()
    load_content(content, cache)
    replace(content / EDITED.split("/", 1)[1], "\n\n", "\n\n新加的一段话。\n\n")
    rel = EDITED.split("/", 1)[1]
    shortcut = load_content(content, cache, list_content(content), {rel})
    assert cache.parsed.keys() == {rel}
    full_cache = ContentCache()
    full = load_content(content, full_cache)
    assert shortcut == full
    assert {r: (e.digest, e.article) for r, e in cache.entries.items()} == \
        {r: (e.digest, e.article) for r, e in full_cache.entries.items()}
    assert cache.digests() == full_cache.digests()
    # A file that now holds another id is a change a full load must judge (duplicates).
    replace(content / rel, "id: 2023-06-15-a03-01", "id: gen-0001")
    with pytest.raises(ArchiveError, match="duplicate id"):
        load_content(content, cache, list_content(content), {rel})


def test_a_tidied_spare_is_built_into_and_equals_cold(site):
    memory = CacheMemory()
    build(site, memory=memory)
    add_articles(site / "content", 3, first=800)
    build(site, memory=memory)
    state = CacheProbe(site).state()
    assert state.spare is not None and state.spare.stale
    assert tidy_spare(load_config(site / "site.yaml"), site / "content", site / "_site", memory)
    state = CacheProbe(site).state()
    assert state.spare.stale == [] and state.spare.complete
    spare, out = site / ".site-spare-_site", site / "_site"
    assert tree(spare) == tree(out)
    assert (spare / UNRELATED).stat().st_ino == (out / UNRELATED).stat().st_ino
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    report = build(site, memory=memory)
    assert len(report.written) < 10, report.written
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")
    # Nothing left to do, or a spare that is gone: no harm, the next build copes.
    assert tidy_spare(load_config(site / "site.yaml"), site / "content", site / "_site")
    assert not tidy_spare(load_config(site / "site.yaml"), site / "content", site / "_site")
    add_articles(site / "content", 1, first=810)
    build(site)
    shutil.rmtree(spare)
    assert not tidy_spare(load_config(site / "site.yaml"), site / "content", site / "_site")
    replace(site / EDITED, "第一次改", "第二次改")
    build(site)
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")


class CacheProbe:
    """The build state as the last build of `site` into _site saved it."""

    def __init__(self, site: Path):
        self.site = site

    def state(self):
        cache = buildcache.BuildCache(self.site, self.site / "content",
                                      (self.site / "_site").resolve())
        return cache.load("state", buildcache.BuildState)


def test_articles_warmed_after_a_no_op_are_the_next_builds_own(site, monkeypatch):
    """The preview's first build is usually a no-op, which loads no article: warm_contents()
    loads them meanwhile, so the first edit reads its own file only, and equals cold. When
    the warm load finds a file changed, it keeps nothing: the next build must see the change."""
    monkeypatch.setattr(buildcache, "RACY_NS", 0)  # no input is too recent to trust
    build(site)
    config = load_config(site / "site.yaml")
    memory = CacheMemory()
    build(site, memory=memory)  # a no-op
    before = watched_paths(site)
    assert warm_contents(config, site / "content", site / "_site", memory)
    time.sleep(0.01)
    replace(site / EDITED, "\n\n", "\n\n第一次改。\n\n")
    reads = []
    real = content_module._read_file
    monkeypatch.setattr(content_module, "_read_file", lambda *a: reads.append(a[1]) or real(*a))
    build_site(config, site / "content", site / "_site", quiet=True, memory=memory,
               changed=seen_since(site, before))
    assert reads == [EDITED.split("/", 1)[1]]
    build(site, out="cold")
    assert tree(site / "_site") == tree(site / "cold")
    # A change the warm load sees first is not swallowed by it.
    memory = CacheMemory()
    build(site, memory=memory)
    replace(site / EDITED, "第一次改", "第二次改")
    assert not warm_contents(config, site / "content", site / "_site", memory)
    build_site(config, site / "content", site / "_site", quiet=True, memory=memory)
    assert "第二次改" in (site / "_site/articles/2023-06-15-a03-01.html").read_text("utf-8")


def test_the_content_cache_pickles_to_equal_articles_and_paths(site):
    import pickle

    cache = ContentCache()
    load_content(site / "content", cache)
    loaded = pickle.loads(pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL))
    assert loaded.entries == cache.entries and loaded.loaded is None
    for rel, entry in cache.entries.items():
        path = loaded.entries[rel].article.path
        assert type(path) is type(entry.article.path) and str(path) == str(entry.article.path)


@pytest.mark.parametrize("in_memory", [False, True], ids=["from disk", "kept in memory"])
def test_an_unknown_topic_is_refused_after_an_edit_and_after_a_config_change(site, in_memory):
    """After a build, only the articles read again are checked against the topics, unless the
    config changed: then all of them are."""
    memory = CacheMemory() if in_memory else None
    build(site, memory=memory)
    replace(site / EDITED, "topics: [主题教育]", "topics: [没有的专题]")
    with pytest.raises(ArchiveError, match="没有的专题"):
        build(site, memory=memory)
    replace(site / EDITED, "topics: [没有的专题]", "topics: [主题教育]")
    build(site, memory=memory)
    config = (site / "site.yaml").read_text(encoding="utf-8")
    start = config.index("  - name: 主题教育")
    end = config.index("  - name:", start + 1)
    (site / "site.yaml").write_text(config[:start] + config[end:], encoding="utf-8")
    with pytest.raises(ArchiveError, match="主题教育"):
        build(site, memory=memory)
