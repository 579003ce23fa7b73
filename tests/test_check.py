"""The link checker: a clean build passes; every kind of planted breakage is reported."""

import shutil
from pathlib import Path

import pytest

from newsarchive.check import check_site
from newsarchive.errors import ArchiveError

from .conftest import run_cli


@pytest.fixture
def out(fixture_site, tmp_path) -> Path:
    """A private copy of the built fixture site that the test may break."""
    return Path(shutil.copytree(fixture_site / "_site", tmp_path / "_site"))


def _plant(out: Path, page: str, html: str) -> None:
    path = out / page
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</main>", html + "</main>"), encoding="utf-8")


def test_a_clean_build_has_no_broken_link(fixture_site):
    assert check_site(fixture_site / "_site") == []


@pytest.mark.parametrize("page, html, expected", [
    ("index.html", '<a href="articles/nope.html">x</a>', "index.html: broken link → articles/nope.html"),
    ("articles/undated-01.html", '<img src="../static/missing.png" alt="">', "broken link → ../static/missing.png"),
    ("tags/index.html", '<a href="../articles/undated-01.html#nowhere">x</a>', "missing #fragment"),
    ("index.html", '<a href="#no-such-id">x</a>', "missing #fragment → #no-such-id"),
    ("index.html", '<a href="articles/">x</a>', "link to a folder"),
    ("index.html", '<a href="articles">x</a>', "link to a folder"),
    ("index.html", '<a href="/index.html">x</a>', "absolute link"),
    ("index.html", '<a href="javascript:alert(1)">x</a>', "scheme 'javascript'"),
    ("index.html", '<a href="../../etc/passwd">x</a>', "leaves the site"),
    ("index.html", '<img srcset="static/css/site.css 1x, static/b.png 2x" alt="">', "static/b.png"),
    ("articles/undated-01.html", '<link rel="stylesheet" href="../static/css/gone.css">', "gone.css"),
    ("index.html", '<a href="articles/%E4%B8%AD.html">x</a>', "broken link → articles/%E4%B8%AD.html"),
])
def test_planted_breakages_are_reported(out, page, html, expected):
    _plant(out, page, html)
    problems = check_site(out)
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith(page)


def test_external_links_and_existing_fragments_pass(out):
    _plant(out, "index.html", '<a href="https://example.org/x">x</a><a href="mailto:a@b.c">m</a>'
                              '<a href="dates/index.html?x=1">q</a><a href="#main">m</a>')
    assert check_site(out) == []


def test_missing_search_data_is_reported(out):
    scripts = [p for p in (out / "search").glob("*.js")]
    assert scripts, "the search page loads its data from script files"
    for script in scripts:
        script.unlink()
    problems = check_site(out)
    assert problems and all(p.startswith("search/index.html") for p in problems)


def test_not_a_built_site_is_an_error(tmp_path):
    with pytest.raises(ArchiveError, match="no built site here"):
        check_site(tmp_path)


def test_cli_check_exit_status_and_listing(out, capsys):
    assert run_cli("check", "--out", str(out)) == 0
    assert "every link" in capsys.readouterr().out
    _plant(out, "index.html", '<a href="gone.html">x</a>')
    assert run_cli("check", "--out", str(out)) == 1
    captured = capsys.readouterr()
    assert "index.html: broken link → gone.html" in captured.err and "1 problem" in captured.out
