"""``launchcast app``: its options, and one line naming the extra when Streamlit is missing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

Console = Callable[..., subprocess.CompletedProcess[str]]

# Python with Streamlit made unimportable, as when the extra is not installed
WITHOUT_STREAMLIT = "import sys; sys.modules['streamlit'] = None; "


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_STREAMLIT + code],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def test_help_names_the_options_and_the_local_default(console: Console) -> None:
    done = console("app", "--help")
    assert done.returncode == 0, done.stderr
    assert "--port" in done.stdout and "--address" in done.stdout and "--no-browser" in done.stdout
    assert "127.0.0.1" in done.stdout
    assert "launchcast[app]" in done.stdout


def test_without_streamlit_the_command_says_which_extra_in_one_line() -> None:
    done = _python(
        "from forecasting.cli import main; sys.argv = ['launchcast', 'app', '--no-browser']; main()"
    )
    assert done.returncode == 1
    assert done.stderr.startswith("launchcast: error: ") and done.stderr.count("\n") == 1
    assert 'pip install "launchcast[app]"' in done.stderr
    assert "Traceback" not in done.stderr


def test_the_modules_import_without_streamlit_and_draw_nothing() -> None:
    done = _python(
        "import forecasting.app, forecasting.app.core, forecasting.app.page as page; "
        "print(page.main.__name__)"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "main"


def test_a_port_out_of_range_is_a_usage_error(console: Console) -> None:
    pytest.importorskip("streamlit")
    done = console("app", "--port", "70000", "--no-browser")
    assert done.returncode == 2
    assert "70000" in done.stderr and "Traceback" not in done.stderr
