"""The ``launchcast`` command line.

Each sub-command lives in a small module of this package and registers itself on :data:`app`.
:func:`main` is the console-script entry point: every error that launchcast raises on purpose (bad
input data, an infeasible allocation, an unknown market, a file that cannot be read) becomes one
line on stderr and exit code 1, never a traceback.

Examples
--------
>>> from forecasting.cli import run
>>> run(["--help"])  # doctest: +SKIP
0
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from forecasting.cli import commands as _commands  # noqa: F401  (registers the sub-commands)
from forecasting.cli.app import app
from forecasting.exceptions import LaunchcastError

__all__ = ["app", "main", "run"]


def _handled(exc: BaseException) -> bool:
    """Errors raised on purpose (bad input, an unknown market, an unreadable file).

    ``calendars`` is imported only by the commands that use it (start-up stays quick), so a
    :class:`calendars.CalendarError` can only occur once ``calendars.exceptions`` is loaded.
    """
    if isinstance(exc, (LaunchcastError, OSError)):
        return True
    calendar_errors = sys.modules.get("calendars.exceptions")
    return calendar_errors is not None and isinstance(exc, calendar_errors.CalendarError)


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` and return its exit code instead of exiting.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments after ``launchcast``; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        0 on success, 1 for a handled error (bad input and the like), 2 for a usage error.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = app(args=args, prog_name="launchcast", standalone_mode=False)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort:
        print("launchcast: aborted", file=sys.stderr)
        return 1
    except Exception as exc:
        if _handled(exc):
            print(f"launchcast: error: {_one_line(exc)}", file=sys.stderr)
            return 1
        # usage errors of the command-line parser (click's ClickException, vendored by newer typer)
        show, code = getattr(exc, "show", None), getattr(exc, "exit_code", None)
        if callable(show) and isinstance(code, int):
            show()
            return code
        raise
    except KeyboardInterrupt:
        print("launchcast: interrupted", file=sys.stderr)
        return 130
    return int(result) if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point: run the command line and exit with its code."""
    sys.exit(run())
