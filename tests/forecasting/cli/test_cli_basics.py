"""The command line turns handled errors into one line and exit code 1."""

from __future__ import annotations

import pytest

from forecasting.cli import run


def test_version_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["version"]) == 0
    assert capsys.readouterr().out.strip()


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["no-such-command"]) == 2
    assert "Traceback" not in capsys.readouterr().err
