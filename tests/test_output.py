"""The staging folder built into the spare: its stale files are caught up as they are kept."""

import os
from pathlib import Path

from newsarchive.output import Spare, folder_identity, refresh_spare, spare_path, start_staging


def files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text("utf-8")
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_stale_files_of_the_spare_are_the_outputs_when_kept_and_never_outlive_the_commit(
        tmp_path, monkeypatch):
    """The spare differs from the output in `stale`: the output's last build wrote them (or
    removed them). The next build into the spare must leave each as the output has it when it
    keeps it, as it writes it when it writes it, and gone when it does neither; the output's
    files are never written through (hard links)."""
    out = tmp_path / "_site"
    site = {"index.html": "新首页", "a/kept.html": "新", "a/written.html": "新",
            "a/same.html": "同", "b/dropped.html": "新"}
    for rel, text in site.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, "utf-8")
    spare = spare_path(out)
    for rel in site:
        (spare / rel).parent.mkdir(parents=True, exist_ok=True)
        os.link(out / rel, spare / rel)
    for rel in ("a/kept.html", "a/written.html", "b/dropped.html"):  # the output's new files
        (spare / rel).unlink()
        (spare / rel).write_text("旧", "utf-8")
    (spare / "old").mkdir()
    (spare / "old/gone.html").write_text("旧", "utf-8")  # the output's last build removed it
    # A page whose path was a folder's in the site before.
    (spare / "d/p.html").mkdir(parents=True)
    (spare / "d/p.html/q.html").write_text("旧", "utf-8")
    (out / "d").mkdir()
    (out / "d/p.html").write_text("新", "utf-8")
    stale = ["a/kept.html", "a/written.html", "b/dropped.html", "d/p.html", "d/p.html/q.html",
             "old/gone.html"]

    links = []
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda *a: links.append(a[1]) or real_link(*a))
    staging = start_staging(out, Spare(folder_identity(spare), stale), sorted(site) + ["d/p.html"])
    assert staging.keep("a/kept.html") and staging.keep_all(["a/same.html", "index.html"])
    assert not staging.keep("old/gone.html")   # the output has none to keep
    staging.write("a/written.html", "更新".encode())
    staging.write("d/p.html", "又新".encode())
    staging.commit()
    # A stale file written again is not first caught up: a day added after another writes
    # most of the search data the day before wrote.
    assert [Path(link).relative_to(staging.temp_dir).as_posix() for link in links] == [
        "a/kept.html"]
    assert files(out) == {"index.html": "新首页", "a/kept.html": "新", "a/written.html": "更新",
                          "a/same.html": "同", "d/p.html": "又新"}
    assert files(spare) == {**site, "d/p.html": "新"}   # the site before, untouched by the writes
    assert (out / "a/kept.html").stat().st_ino == (spare / "a/kept.html").stat().st_ino
    assert not (out / "old").exists() and not (out / "b").exists()


def test_a_stale_file_missing_from_the_output_fails_keep_all(tmp_path):
    out = tmp_path / "_site"
    out.mkdir()
    (out / "index.html").write_text("首页", "utf-8")
    spare = spare_path(out)
    spare.mkdir()
    os.link(out / "index.html", spare / "index.html")
    (spare / "gone.html").write_text("旧", "utf-8")
    staging = start_staging(out, Spare(folder_identity(spare), ["gone.html"]), ["index.html"])
    assert not staging.keep_all(["index.html", "gone.html"])
    staging.write("index.html", "首页".encode())
    staging.commit()
    assert files(out) == {"index.html": "首页"}


def output_and_spare(tmp_path: Path, site: dict[str, str]) -> tuple[Path, Path]:
    """An output holding `site` and a spare of hard links to it."""
    out, spare = tmp_path / "_site", spare_path(tmp_path / "_site")
    for rel, text in site.items():
        for root in (out, spare):
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, "utf-8")
        os.link(out / rel, spare / rel)
    return out, spare


def test_a_refreshed_spare_is_complete_only_when_it_holds_every_file_of_the_output(tmp_path):
    site = {"index.html": "首页", "a/1.html": "一", "a/2.html": "二", "b/3.html": "三"}
    out, spare = output_and_spare(tmp_path, site)
    (spare / "a/2.html").unlink()
    (spare / "a/2.html").write_text("旧", "utf-8")   # the last build wrote it
    fresh = refresh_spare(out, Spare(folder_identity(spare), ["a/2.html"]), sorted(site))
    assert fresh.complete and fresh.stale == [] and files(spare) == site
    # A file gone from the spare though no build changed it: the spare is no longer trusted.
    (spare / "b/3.html").unlink()
    fresh = refresh_spare(out, Spare(folder_identity(spare), []), sorted(site))
    assert fresh is not None and not fresh.complete
    assert not refresh_spare(out, Spare(folder_identity(spare), [])).complete  # files unknown


def test_a_complete_spare_keeps_the_outputs_files_without_looking_for_each(tmp_path,
                                                                         monkeypatch):
    """An edit keeps tens of thousands of files: into a spare checked complete, none is looked
    for; only a file the output never had fails keep_all."""
    site = {"index.html": "首页", "a/1.html": "一", "b/2.html": "二"}
    out, spare = output_and_spare(tmp_path, site)
    staging = start_staging(out, Spare(folder_identity(spare), [], complete=True), sorted(site))
    looks = []
    for name in ("listdir", "stat", "scandir"):
        real = getattr(os, name)
        monkeypatch.setattr(os, name, lambda *a, real=real, name=name: looks.append(name)
                            or real(*a))
    assert staging.keep_all(["a/1.html", "b/2.html"]) and looks == []
    assert not staging.keep_all(["index.html", "c/new.html"])
    monkeypatch.undo()
    staging.write("index.html", "新首页".encode())
    staging.commit()
    assert files(out) == {**site, "index.html": "新首页"}
    # A spare not checked complete is looked into: a missing file fails keep_all.
    (spare_path(out) / "a/1.html").unlink()
    staging = start_staging(out, Spare(folder_identity(spare_path(out)), []), sorted(site))
    assert not staging.keep_all(["a/1.html"])
    staging.discard()


def test_a_folder_another_process_makes_meanwhile_is_written_into(tmp_path):
    """Page workers write into one staging folder: one finds a folder missing, another makes
    it before the first looks again. The first then writes its file; it never fails."""
    from newsarchive.output import _in_folder, _write_bytes

    target = str(tmp_path / "articles" / "a.html")
    tries = []

    def make(path: str, data: bytes) -> None:
        tries.append(path)
        if len(tries) == 1:
            (tmp_path / "articles").mkdir()   # the other process, just now
            raise FileNotFoundError(path)
        _write_bytes(path, data)

    _in_folder(target, make, target, b"x")
    assert (tmp_path / "articles" / "a.html").read_bytes() == b"x" and len(tries) == 2
