"""The command line turns handled errors into one line and exit code 1, never a traceback."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest

from forecasting.cli import run

Console = Callable[..., subprocess.CompletedProcess[str]]


def test_version_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["version"]) == 0
    assert capsys.readouterr().out.strip()


def test_console_script_version_and_help(console: Console) -> None:
    done = console("version")
    assert done.returncode == 0 and done.stdout.strip() and not done.stderr
    done = console("--help")
    assert done.returncode == 0 and "plan" in done.stdout and "Traceback" not in done.stderr


def test_unknown_command_is_a_usage_error(console: Console) -> None:
    done = console("no-such-command")
    assert done.returncode == 2
    assert "No such command" in done.stderr and "Traceback" not in done.stderr


def test_missing_file_is_one_line(console: Console) -> None:
    done = console("check", "--sales", "no-such-file.csv")
    assert done.returncode == 1
    assert done.stderr.startswith("launchcast: error: ") and done.stderr.count("\n") == 1
    assert "no-such-file.csv" in done.stderr and "Traceback" not in done.stderr
