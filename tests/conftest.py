"""Shared fixtures: the real ``launchcast`` console script, run in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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
