"""site.yaml is validated once; every error names the file and the key (or line)."""

from pathlib import Path

import pytest

from newsarchive.config import load_config
from newsarchive.errors import ArchiveError

from .conftest import ROOT, run_cli


def test_project_config_loads():
    config = load_config(ROOT / "site.yaml")
    assert config.language == "zh-CN"
    assert [t.name for t in config.topics] == ["每月一题", "主题教育", "文旅"]
    assert {p.name for p in config.places} >= {"城东区", "城中区", "城西区", "城北区", "湟中区",
                                               "湟源县", "大通县"}
    assert "湟中" in next(p for p in config.places if p.name == "湟中区").aliases
    assert config.output == ROOT / "_site"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _with(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "site.yaml").read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


@pytest.mark.parametrize("old, new, expected", [
    ("title: 西宁晚报数字档案", "titel: 西宁晚报数字档案", ["key 'titel'", "did you mean 'title'", "key 'title'"]),
    ("paginate: 20", "paginate: twenty", ["key 'paginate'", "whole number"]),
    ("slug: wenlv", "slug: 文旅", ["key 'topics[2].slug'", "ASCII slug"]),
    ("min_mentions: 4", "min_mentions: 0", ["key 'topics[2].min_mentions'"]),
    ("keywords: [主题教育]", "keywords: 主题教育", ["key 'topics[1].keywords'", "list"]),
    ("base_url: null", "base_url: archive", ["key 'base_url'", "URL"]),
    ("{name: 大通县, slug: datong, aliases: [大通]}", "{name: 大通县, slug: chengxi}",
     ["key 'places[6].slug'", "duplicate"]),
])
def test_bad_keys_name_the_key(tmp_path, old, new, expected):
    path = _with(tmp_path, old, new)
    with pytest.raises(ArchiveError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message
    for part in expected:
        assert part in message


def test_all_errors_are_reported_at_once(tmp_path):
    path = _with(tmp_path, "paginate: 20", "paginate: -1\ncolour: red")
    with pytest.raises(ArchiveError) as err:
        load_config(path)
    assert "key 'paginate'" in str(err.value) and "key 'colour'" in str(err.value)


def test_yaml_syntax_error_names_line(tmp_path):
    path = _write(tmp_path, "title: ok\ntopics: [a, b\nplaces: []\n")
    with pytest.raises(ArchiveError) as err:
        load_config(path)
    assert err.value.line is not None and err.value.line >= 2
    assert f"{path}:{err.value.line}: invalid YAML" in str(err.value)


def test_cli_reports_broken_config_on_one_line(tmp_path, capsys):
    path = _with(tmp_path, "paginate: 20", "paginate: [1")
    assert run_cli("--config", str(path), "build") == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and str(path) in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_missing_config_says_what_to_do(tmp_path, capsys):
    assert run_cli("--config", str(tmp_path / "nope.yaml"), "check") == 1
    assert "--config" in capsys.readouterr().err


def test_topic_rule_that_matches_nothing_is_reported(site_copy, capsys):
    config = site_copy / "site.yaml"
    text = config.read_text(encoding="utf-8").replace("keywords: [主题教育]", "keywords: [无此关键词]")
    config.write_text(text, encoding="utf-8")
    assert run_cli("--config", str(config), "-q") == 0
    err = capsys.readouterr().err
    assert "topic '主题教育' has no articles" in err and "无此关键词" in err
    assert "topic '每月一题'" not in err
