"""Shared fixtures: the real ``launchcast`` console script (in a subprocess) and the demo plan."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from forecasting import Plan, load_demo, make_plan

Console = Callable[..., subprocess.CompletedProcess[str]]


def _script() -> Path:
    script = Path(sys.executable).with_name("launchcast")
    if not script.exists():
        raise FileNotFoundError(
            f"the console script {script} is missing: install the project (pip install -e .)"
        )
    return script


@pytest.fixture
def console(tmp_path: Path) -> Console:
    """Run ``launchcast *args`` as a user would, returning the completed process (text output).

    The process runs in ``tmp_path`` (or ``cwd``) with no standard input and a 5-minute limit.
    """

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run(
            [str(_script()), *args],
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            env=env,
            timeout=300,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def demo_plan() -> Plan:
    """The demo's 2012 plan with the quick seasonal-naive forecasts, made once per test process.

    Tests read it and never change it (a test that needs another plan makes its own).
    """
    demo = load_demo()
    return make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        demo.judgments,
        season=("2012-01-01", "2012-12-31"),
        model="seasonal_naive",
    )
