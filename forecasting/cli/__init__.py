"""The ``launchcast`` command line.

Each sub-command lives in a small module of this package and registers itself on :data:`app`.
:func:`main` is the console-script entry point: every error that launchcast raises on purpose (bad
input data, an infeasible allocation, an unknown market, a file that cannot be read) becomes one
line on stderr and exit code 1, never a traceback; Ctrl-C is one line and exit code 130, also while
the command line is still starting. This module imports nothing heavy, so that the start-up itself
runs inside that promise; :mod:`forecasting.cli.runner` holds the work.

Examples
--------
>>> from forecasting.cli import run
>>> run(["--help"])  # doctest: +SKIP
0
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main", "run"]


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` and return its exit code instead of exiting.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``launchcast``; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        0 on success, 1 for a handled error (bad input and the like), 2 for a usage error, 130
        when interrupted.
    """
    from forecasting.cli.runner import run as run_command_line

    return run_command_line(argv)


class _Interrupted(BaseException):
    """Ctrl-C in the console script: not a KeyboardInterrupt, so that no library on the way up
    prints its own note about it (the command-line parser would print an empty line)."""


_interrupted: list[int] = []


def _interrupt(signum: int, frame: FrameType | None) -> None:
    _interrupted.append(signum)
    raise _Interrupted


def main() -> None:
    """Console-script entry point: run the command line and exit with its code.

    After Ctrl-C, whatever error comes out of the work (a library may wrap the interruption in an
    error of its own) is reported as the interruption it is: one line, exit code 130.
    """
    signal.signal(signal.SIGINT, _interrupt)
    try:
        code = run()
    except BaseException:
        if not _interrupted:
            raise  # a defect: its traceback is what a bug report needs
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while we say so
        print("launchcast: interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        from forecasting.cli.runner import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
