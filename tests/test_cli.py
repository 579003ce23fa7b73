"""The CLI contract: commands, --help for each, exit status 0/1/2."""

import subprocess
import sys

import pytest

from .conftest import ROOT, run_cli


@pytest.mark.parametrize("command", [[], ["ingest"], ["build"], ["serve"], ["check"]])
def test_help_explains_each_command(command, capsys):
    assert run_cli(*command, "--help") == 0
    out = capsys.readouterr().out
    assert "usage: build.py" in out and "--config" in out
    assert len(out.splitlines()) > 8


def test_top_level_help_lists_every_command(capsys):
    run_cli("--help")
    out = capsys.readouterr().out
    for command in ("ingest", "build", "serve", "check"):
        assert f"  {command}" in out


def test_wrong_usage_exits_2(capsys):
    assert run_cli("publish") == 2
    assert "invalid choice" in capsys.readouterr().err


def test_build_py_is_the_entry_point():
    result = subprocess.run([sys.executable, "build.py", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "ingest" in result.stdout
