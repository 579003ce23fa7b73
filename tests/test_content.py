"""Loading content/: every file validated, every problem reported at once, ids unique."""

from pathlib import Path

import pytest

from newsarchive import content as content_module
from newsarchive.content import decode_content, load_articles
from newsarchive.errors import ArchiveError, ArchiveErrors
from newsarchive.workers import Runner

from .conftest import FIXTURE_CONTENT

GOOD = """---
id: {id}
title: {title}
date: 2024-12-22
page: A01
---

正文第一段。
"""


def _write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_fixture_content_loads_sorted_by_id():
    articles = load_articles(FIXTURE_CONTENT)
    ids = [a.id for a in articles]
    assert ids == sorted(ids) and len(ids) == 6
    assert all(a.path is not None and Path(a.path).is_file() for a in articles)


def test_every_bad_file_is_reported_in_one_pass(tmp_path):
    _write(tmp_path, "ok.md", GOOD.format(id="a-1", title="好标题"))
    _write(tmp_path, "notitle.md", GOOD.format(id="a-2", title="''"))
    _write(tmp_path, "sub/broken.md", "---\nid: a-3\ntitle: [未闭合\n---\n\n正文\n")
    _write(tmp_path, "bytes.md", GOOD.format(id="a-4", title="编码").encode("utf-8")
           + "第二行\n".encode("gb18030"))
    with pytest.raises(ArchiveErrors) as caught:
        load_articles(tmp_path)
    messages = [str(e) for e in caught.value.errors]
    assert len(messages) == 3
    assert any("notitle.md" in m and "title" in m for m in messages)
    assert any("broken.md:3" in m and "YAML" in m for m in messages)
    assert any("bytes.md:9" in m and "UTF-8" in m for m in messages)


def test_a_file_with_several_problems_adds_each_to_the_one_list(tmp_path):
    _write(tmp_path, "two.md", GOOD.format(id="A/1", title="''"))
    _write(tmp_path, "one.md", GOOD.format(id="a-2", title="标题").replace("A01", "第一版"))
    with pytest.raises(ArchiveErrors) as caught:
        load_articles(tmp_path)
    assert [str(e) for e in caught.value.errors] == [
        f"{tmp_path / 'one.md'}:5: key 'page': expected a page label such as A01, got '第一版'",
        f"{tmp_path / 'two.md'}:2: key 'id': expected lowercase ASCII letters, digits and '-', "
        "got 'A/1'",
        f"{tmp_path / 'two.md'}:3: key 'title': missing title: every article needs a headline"]


@pytest.mark.parametrize("text, where", [
    (GOOD.format(id="a", title="标题").replace("date: 2024-12-22", "date: 22/12/2024"), "x.md:4: key 'date'"),
    (GOOD.format(id="a", title="标题").replace("date: 2024-12-22", "date: 2024-02-30"), "day is out of range"),
    (GOOD.format(id="a", title="标题").replace("正文第一段。", ""), "body is empty"),
    (GOOD.format(id="a", title="标题").replace("---\n\n正文", "\n正文"), "not closed"),
    ("正文，没有前言\n", "x.md:1"),
    (GOOD.format(id="a", title="标题").replace("page: A01", "page: 第一版"), "x.md:5: key 'page'"),
])
def test_each_bad_front_matter_names_file_and_line(tmp_path, text, where):
    _write(tmp_path, "x.md", text)
    with pytest.raises(ArchiveError) as caught:
        load_articles(tmp_path)
    assert where in str(caught.value)


def test_duplicate_id_names_both_files(tmp_path):
    first = _write(tmp_path, "a/one.md", GOOD.format(id="same-id", title="甲"))
    second = _write(tmp_path, "b/two.md", GOOD.format(id="same-id", title="乙"))
    with pytest.raises(ArchiveError) as caught:
        load_articles(tmp_path)
    message = str(caught.value)
    assert str(first) in message and str(second) in message and "duplicate id" in message


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "..", "Upper", "中文"])
def test_ids_that_could_leave_the_output_are_refused(tmp_path, bad_id):
    _write(tmp_path, "x.md", GOOD.format(id=f"'{bad_id}'", title="标题"))
    with pytest.raises(ArchiveError, match="key 'id'"):
        load_articles(tmp_path)


def test_hidden_files_and_folders_are_not_articles(tmp_path):
    _write(tmp_path, "real.md", GOOD.format(id="real", title="真"))
    _write(tmp_path, ".backup/real.md", GOOD.format(id="real", title="旧"))
    _write(tmp_path, ".#real.md", "garbage")
    assert [a.title for a in load_articles(tmp_path)] == ["真"]


@pytest.mark.parametrize("setup, expected", [
    (lambda p: None, "content folder not found"),
    (lambda p: p.mkdir(), "no articles"),
])
def test_missing_or_empty_content_folder(tmp_path, setup, expected):
    folder = tmp_path / "content"
    setup(folder)
    with pytest.raises(ArchiveError, match=expected):
        load_articles(folder)


@pytest.mark.parametrize("data, line", [
    (b"---\nid: x\n\xff\n", 3),
    ("---\n标题\n".encode("utf-8") + "标题".encode("gb18030"), 3),
    (b"\xfe", 1),
])
def test_decode_names_the_line_of_the_bad_bytes(data, line):
    with pytest.raises(ArchiveError) as caught:
        decode_content(data, Path("x.md"))
    assert caught.value.line == line


def test_decode_keeps_text_as_is():
    text = "全角，：（１） and U+2028\u2028"
    assert decode_content(text.encode("utf-8"), Path("x.md")) == text


@pytest.mark.parametrize("cores", [2, 3])
def test_many_files_read_in_other_processes_load_as_here(tmp_path, monkeypatch, cores):
    """Files shared with processes of their own (one per core) give the same articles, the
    same problems in the same order, and the same cache as reading them all here; the files
    whose bytes are unchanged keep their articles (not parsed again)."""
    monkeypatch.setattr(content_module, "PARALLEL_READ_MIN", 4)
    monkeypatch.setattr(Runner, "cores", staticmethod(lambda: cores))
    for k in range(12):
        _write(tmp_path, f"{k:02d}.md", GOOD.format(id=f"a-{k}", title=f"标题{k}"))
    _write(tmp_path, "03.md", GOOD.format(id="a-3", title="''"))           # no title
    _write(tmp_path, "10.md", GOOD.format(id="a-1", title="重号"))          # a duplicate id

    def load(runner):
        cache = content_module.ContentCache()
        try:
            return content_module.load_content(tmp_path, cache, runner=runner), cache
        except ArchiveErrors as exc:
            return [str(e) for e in exc.errors], cache

    here, here_cache = load(None)
    there, there_cache = load(Runner())
    assert len(here) == 2 and "03.md" in here[0] and "10.md" in here[1]
    assert there == here and there_cache.entries == here_cache.entries
    _write(tmp_path, "10.md", GOOD.format(id="a-10", title="标题10"))
    _write(tmp_path, "03.md", GOOD.format(id="a-3", title="标题3"))
    cache = content_module.ContentCache()
    first = content_module.load_content(tmp_path, cache)
    cache.loaded_ns = 0   # trust no stat: every file is read and hashed again
    again = content_module.load_content(tmp_path, cache, runner=Runner())
    assert again == first and all(a is b for a, b in zip(again, first))
    assert cache.parsed == {}
