"""Builds: validate first, write atomically, keep unchanged files, lock, refuse unsafe outputs."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsarchive.build import build_site
from newsarchive.check import check_site
from newsarchive.config import load_config
from newsarchive.errors import ArchiveError
from newsarchive.frontmatter import dump_article
from newsarchive.content import load_articles
from newsarchive import output
from newsarchive.output import BuildLock

from .conftest import FIXTURE_CONTENT, ROOT, run_cli

SUMMARY_RE = re.compile(r"^built (\d+) pages \((\d+) articles\) into .+/ in \d+\.\d s: "
                        r"(\d+) written, (\d+) unchanged, (\d+) removed$")


def build(site: Path, content: Path | None = None, out: Path | None = None, **options):
    return build_site(load_config(site / "site.yaml"), content or site / "content",
                      out or site / "_site", quiet=True, **options)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and inode, to prove a folder did or did not change."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def site(site_copy: Path) -> Path:
    """A site copy whose content/ is the fixture articles."""
    shutil.rmtree(site_copy / "content", ignore_errors=True)
    shutil.copytree(FIXTURE_CONTENT, site_copy / "content")
    return site_copy


def test_first_build_writes_everything_and_summarises(site):
    report = build(site)
    files = snapshot(site / "_site")
    assert sorted(report.written) == sorted(files) and not report.unchanged and not report.removed
    match = SUMMARY_RE.match(report.summary())
    assert match, report.summary()
    assert int(match.group(1)) == sum(p.endswith(".html") for p in files)
    assert int(match.group(2)) == 6 and int(match.group(3)) == len(files)
    assert check_site(site / "_site") == []
    assert not list(site.glob(".site-tmp-*"))


def test_rebuild_keeps_unchanged_files_and_reports_changes(site):
    build(site)
    before = snapshot(site / "_site")
    mtime = (site / "_site/static/css/site.css").stat().st_mtime_ns
    again = build(site)
    assert again.written == [] and sorted(again.unchanged) == sorted(before)
    assert snapshot(site / "_site") == before  # same bytes and the same inodes
    assert (site / "_site/static/css/site.css").stat().st_mtime_ns == mtime

    edited = site / "content/2024/2024-12-22-a01-02.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("日本游客冬游西宁", "日本游客冬游夏都"),
                      encoding="utf-8")
    (site / "content/undated-01.md").unlink()
    report = build(site)
    assert "articles/2024-12-22-a01-02.html" in report.written
    assert "index.html" in report.written
    assert "articles/2023-06-15-a03-01.html" in report.unchanged
    assert "static/css/site.css" in report.unchanged
    # Its page goes, and the search data file that held its document, if the last one did.
    assert "articles/undated-01.html" in report.removed
    assert all(p.startswith("search/") for p in report.removed if p != "articles/undated-01.html")
    after = snapshot(site / "_site")
    assert after["static/css/site.css"][1] == before["static/css/site.css"][1]
    assert "日本游客冬游夏都" in after["articles/2024-12-22-a01-02.html"][0].decode()


def test_builds_are_reproducible_with_source_date_epoch(site, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735000000")
    build(site, out=site / "one")
    build(site, out=site / "two")
    one, two = snapshot(site / "one"), snapshot(site / "two")
    assert {k: v[0] for k, v in one.items()} == {k: v[0] for k, v in two.items()}
    assert b"<updated>2024-12-24T00:26:40+00:00</updated>" in one["feed.xml"][0]


@pytest.mark.parametrize("damage, expected", [
    (lambda s: (s / "content/bad.md").write_text("---\nid: bad\n---\n\n正文\n", encoding="utf-8"),
     "bad.md"),
    (lambda s: (s / "content/dup.md").write_text(
        (s / "content/undated-01.md").read_text(encoding="utf-8"), encoding="utf-8"), "duplicate id"),
    (lambda s: (s / "templates/article.html").write_text("{% if %}", encoding="utf-8"),
     "article.html:1"),
    (lambda s: (s / "content/undated-01.md").write_text(
        (s / "content/undated-01.md").read_text(encoding="utf-8").replace("topics: []", "topics: [不存在]"),
        encoding="utf-8"), "unknown topic"),
])
def test_a_failed_build_leaves_the_previous_site_untouched(site, damage, expected):
    build(site)
    before = snapshot(site / "_site")
    damage(site)
    with pytest.raises(ArchiveError, match=re.escape(expected)):
        build(site)
    assert snapshot(site / "_site") == before
    assert not list(site.glob(".site-tmp-*"))


@pytest.mark.parametrize("template, text, line", [
    ("article.html", "{% extends 'base.html' %}\n{% block content %}\n{% for x in %}\n{% endblock %}", 3),
    ("article.html", "{% extends 'base.html' %}\n{% block content %}\n\n{{ no_such_variable }}\n{% endblock %}", 4),
    ("_macros.html", "{% macro article_list(a, show_date=true) %}{{ a.no_such_field }}{% endmacro %}\n"
                     "{% macro chart(bars, name) %}{% endmacro %}", 1),
])
def test_template_mistakes_name_the_template_and_line(site, template, text, line):
    (site / "templates" / template).write_text(text, encoding="utf-8")
    with pytest.raises(ArchiveError) as caught:
        build(site)
    error = caught.value
    assert error.path.endswith(template) and error.line == line, str(error)


def test_template_error_through_the_cli_is_one_clear_line(site, capsys):
    (site / "templates/list.html").write_text("{{ nope }}", encoding="utf-8")
    assert run_cli("--config", str(site / "site.yaml"), "build") == 1
    err = capsys.readouterr().err
    assert "list.html:1" in err and "nope" in err and "Traceback" not in err


def test_bad_content_through_the_cli_lists_every_file(site, capsys):
    (site / "content/a.md").write_text("---\nid: a\n---\n\n正文\n", encoding="utf-8")
    (site / "content/b.md").write_bytes(b"---\nid: b\ntitle: \xff\n---\n")
    assert run_cli("--config", str(site / "site.yaml"), "build") == 1
    err = capsys.readouterr().err
    assert "a.md:1: key 'title'" in err and "b.md:3" in err and "Traceback" not in err
    assert not (site / "_site").exists()


def test_a_source_file_outside_seeds_is_refused(site):
    article = site / "content/2024/2024-12-22-a01-01.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "file: 000_ef5b354f55f1070d.txt", "file: ../site.yaml"), encoding="utf-8")
    with pytest.raises(ArchiveError, match="plain file name in seeds"):
        build(site)


def test_content_alone_builds_the_site(site_copy):
    """The source views come from content/sources/ (ingest keeps the page texts there), so a
    site built without seeds/ is the same site."""
    build(site_copy)
    shutil.rmtree(site_copy / "seeds")
    build(site_copy, out=site_copy / "again")
    assert (site_copy / "again/sources/000_ef5b354f55f1070d.html").is_file()
    assert {p: b for p, (b, _) in snapshot(site_copy / "_site").items()} == \
        {p: b for p, (b, _) in snapshot(site_copy / "again").items()}


def test_source_lines_beyond_the_seed_file_are_not_linked(site):
    article = site / "content/2024/2024-12-22-a01-01.md"
    article.write_text(article.read_text(encoding="utf-8").replace("lines: [1, 24]", "lines: [90000, 90010]"),
                       encoding="utf-8")
    build(site)
    page = (site / "_site/articles/2024-12-22-a01-01.html").read_text(encoding="utf-8")
    assert "#L90000" not in page
    assert check_site(site / "_site") == []


@pytest.mark.parametrize("out", ["content", "content/sub", "seeds", "templates", "static", ".", ".."])
def test_output_overlapping_sources_is_refused(site, out):
    before = snapshot(site)
    with pytest.raises(ArchiveError, match="refusing to build into"):
        build(site, out=site / out)
    assert snapshot(site) == before


def test_output_path_that_is_a_file_is_refused(site):
    (site / "_site").write_text("not a folder", encoding="utf-8")
    with pytest.raises(ArchiveError, match="is a file"):
        build(site)


def test_a_second_build_waits_for_the_lock_or_refuses(site):
    build(site)
    with BuildLock((site / "_site").resolve()):
        started = time.monotonic()
        with pytest.raises(ArchiveError, match="another build of this site is running"):
            build(site, lock_wait=0.3)
        assert time.monotonic() - started >= 0.3
    build(site, lock_wait=0)  # free again


def test_two_builds_at_once_never_interleave(site):
    command = [sys.executable, str(ROOT / "build.py"), "--config", str(site / "site.yaml"), "-q", "build"]
    runs = [subprocess.Popen(command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    assert check_site(site / "_site") == []
    assert not list(site.glob(".site-tmp-*"))


@pytest.mark.parametrize("code, message", [
    (errno.ENOSPC, "the disk is full"),
    (errno.EACCES, "not writable"),
])
def test_write_failures_fail_clearly_and_keep_the_old_site(site, monkeypatch, code, message):
    build(site)
    before = snapshot(site / "_site")
    config = site / "site.yaml"  # a new title changes every page, so every page is written
    config.write_text(config.read_text(encoding="utf-8").replace("title: 西宁晚报数字档案",
                                                                 "title: 新标题"), encoding="utf-8")
    real_write = output._write_bytes
    calls = []

    def failing_write(path, data):
        calls.append(path)
        if len(calls) > 5:
            raise OSError(code, os.strerror(code), str(path))
        return real_write(path, data)

    monkeypatch.setattr(output, "_write_bytes", failing_write)
    with pytest.raises(ArchiveError, match=message) as caught:
        build(site)
    assert "previous site is unchanged" in str(caught.value)
    monkeypatch.undo()
    assert snapshot(site / "_site") == before
    assert not list(site.glob(".site-tmp-*"))


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir()
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                            capture_output=True)
    return result.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A real, tiny file system (tmpfs), for full-disk and read-only tests; needs root."""
    mount = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(mount, "600k"):
        pytest.skip("mounting a tmpfs needs root")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_a_really_full_disk_keeps_the_old_site(site, small_disk):
    out = small_disk / "_site"
    build(site, out=out)
    before = snapshot(out)
    filler = small_disk / "filler"
    with open(filler, "wb") as handle:  # leave less room than one more copy of the site
        try:
            handle.write(b"\0" * (400 * 1024))
        except OSError:
            pass
    (site / "content/undated-01.md").write_text(
        (site / "content/undated-01.md").read_text(encoding="utf-8").replace("这一篇", "这一篇改过"),
        encoding="utf-8")
    with pytest.raises(ArchiveError, match="disk is full"):
        build(site, out=out)
    assert snapshot(out) == before
    assert not list(small_disk.glob(".site-tmp-*"))


def test_a_read_only_output_folder_keeps_the_old_site(site, small_disk):
    out = small_disk / "_site"
    build(site, out=out)
    before = snapshot(out)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    # A change to build: with none, a rebuild has nothing to write and leaves the output alone.
    edited = site / "content/undated-01.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("这一篇", "这一篇改过"),
                      encoding="utf-8")
    with pytest.raises(ArchiveError, match="not writable"):
        build(site, out=out)
    assert snapshot(out) == before


def _big_content(folder: Path, count: int) -> None:
    """Many copies of the fixture articles, so a build takes long enough to be interrupted."""
    shutil.copytree(FIXTURE_CONTENT, folder)
    articles = load_articles(FIXTURE_CONTENT)
    for i in range(count):
        article = articles[i % len(articles)]
        article.id = f"gen-{i:04d}"
        article.versions = []
        article.tags = [*article.tags, f"标签{i % 40}"]
        (folder / f"gen-{i:04d}.md").write_text(dump_article(article), encoding="utf-8")


def _kill_when(process: subprocess.Popen, ready, timeout: float = 60) -> bool:
    """SIGKILL the build as soon as ready() holds; False if the build ended first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.001)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("spare", [False, True], ids=["fresh", "into the spare"])
def test_sigkill_at_any_moment_leaves_a_complete_site(site, spare):
    _big_content(site / "big", 400)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735000000"}
    command = [sys.executable, str(ROOT / "build.py"), "--config", str(site / "site.yaml"), "-q",
               "build"]
    assert subprocess.run(command + ["--content", str(site / "big"), "--out", str(site / "expected")],
                          env=env).returncode == 0
    assert subprocess.run(command, env=env).returncode == 0
    if spare:  # a second build keeps the first's site beside it, and the next builds into that
        edited = sorted((site / "content").rglob("*.md"))[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\n补一句。\n", encoding="utf-8")
        assert subprocess.run(command, env=env).returncode == 0
        assert (site / ".site-spare-_site").is_dir()
    old = {k: v[0] for k, v in snapshot(site / "_site").items()}
    new = {k: v[0] for k, v in snapshot(site / "expected").items()}

    def temp_files() -> int:
        return sum(len(files) for temp in site.glob(".site-tmp-_site-*") for _, _, files in os.walk(temp))

    moments = {
        "at start": lambda: True,
        "when the temporary folder appears": lambda: any(site.glob(".site-tmp-_site-*")),
        "after 300 files": lambda: temp_files() >= 300,
        "while writing the search data": lambda: any(site.glob(".site-tmp-_site-*/search/*")),
    }
    killed = []
    for name, ready in moments.items():
        process = subprocess.Popen(command + ["--content", str(site / "big")], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _kill_when(process, ready):
            killed.append(name)
        now = {k: v[0] for k, v in snapshot(site / "_site").items()}
        assert now in (old, new), f"half a site after a kill {name}"
        assert check_site(site / "_site") == []
    assert len(killed) >= 3, killed
    assert subprocess.run(command + ["--content", str(site / "big")], env=env).returncode == 0
    assert {k: v[0] for k, v in snapshot(site / "_site").items()} == new
    assert not list(site.glob(".site-tmp-*"))
