"""The planners' web page: ``launchcast app`` (the optional extra ``launchcast[app]``).

A local Streamlit page on which a planner uploads the sales, stores, products and judgments files
(or opens the bundled demo), maps their columns, moves a wave's delivery day, enters judgments,
changes minimums and caps, and downloads the plan folder that ``launchcast plan`` writes. The page
(:mod:`forecasting.app.page`) calls the library's public functions only; the work behind it that
needs no Streamlit is in :mod:`forecasting.app.core`.

Examples
--------
>>> page_path().name
'page.py'
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from forecasting.exceptions import MissingDependencyError

__all__ = ["page_path", "page_url", "require_streamlit", "serve", "serve_command"]

INSTALL = 'pip install "launchcast[app]"'


def page_path() -> Path:
    """The page's Streamlit script."""
    return Path(__file__).with_name("page.py")


def require_streamlit() -> None:
    """Raise :class:`~forecasting.exceptions.MissingDependencyError` unless Streamlit is installed.

    The message names the command that installs it.
    """
    try:
        import streamlit  # noqa: F401
    except ImportError as exc:
        raise MissingDependencyError(
            f"the web page needs Streamlit, which is not installed. Fix: {INSTALL}"
        ) from exc


def serve_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
    """The command that serves the page (Streamlit on this Python, headless, no usage statistics).

    Parameters
    ----------
    port : int, default 8501
        The port.
    address : str, default "127.0.0.1"
        The address to bind: this computer only, unless another is given.

    Returns
    -------
    list of str

    Examples
    --------
    >>> serve_command(8600)[5:9]
    ['--server.port', '8600', '--server.address', '127.0.0.1']
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(page_path()),
        "--server.port",
        str(int(port)),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]


def page_url(port: int = 8501, address: str = "127.0.0.1") -> str:
    """The page's address in a browser.

    Examples
    --------
    >>> page_url(8600)
    'http://127.0.0.1:8600/'
    """
    host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{int(port)}/"


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60.0) -> bool:
    """Whether the server answers its health check within ``seconds`` (False if it exits)."""
    import time
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    return False


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def serve(port: int = 8501, address: str = "127.0.0.1", *, open_browser: bool = True) -> int:
    """Serve the page until interrupted; return the server's exit code.

    Parameters
    ----------
    port, address
        See :func:`serve_command`.
    open_browser : bool, default True
        Open the page in the default browser once the server answers.

    Returns
    -------
    int

    Raises
    ------
    MissingDependencyError
        Streamlit is not installed.
    """
    require_streamlit()
    server = subprocess.Popen(serve_command(port, address))
    if threading.current_thread() is threading.main_thread():
        # a plain kill of this process stops the server too (the finally block below)
        signal.signal(signal.SIGTERM, _stop)
    try:
        if open_browser and _wait_until_up(page_url(port, address), server):
            import webbrowser

            webbrowser.open(page_url(port, address))
        return server.wait()
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=10)
