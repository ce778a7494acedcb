"""The work of the ``launchcast`` command line: run a command, turn errors into one line.

Every error that launchcast raises on purpose (bad input data, an infeasible allocation, an unknown
market, a file that cannot be read) becomes one line on stderr, ``launchcast: error: ...``, and exit
code 1; a data-quality warning is one line, ``launchcast: warning: ...``, and the run goes on
(with ``--strict`` it is an error); Ctrl-C is ``launchcast: interrupted`` and exit code 130.
Fixes in messages name the command-line flags (:func:`forecasting.inputs.validation.command_line`).
"""

from __future__ import annotations

import contextvars
import sys
import warnings
from collections.abc import Sequence
from typing import TextIO

import typer

from forecasting.cli import commands as _commands  # noqa: F401  (registers the sub-commands)
from forecasting.cli.app import app
from forecasting.exceptions import LaunchcastError, command_line

__all__ = ["app", "run"]


def _loaded(module: str, name: str) -> type[BaseException] | None:
    """An exception class of a module the command has loaded (modules are imported only by the
    commands that use them, so that start-up stays quick), else ``None``."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name) if loaded is not None else None


def _strict_warning(exc: BaseException) -> bool:
    """A data-quality warning raised as an error (``--strict``)."""
    warning = _loaded("forecasting.inputs.validation", "DataQualityWarning")
    return warning is not None and isinstance(exc, warning)


def _handled(exc: BaseException) -> bool:
    """Errors raised on purpose (bad input, an unknown market, an unreadable file, --strict)."""
    if isinstance(exc, (LaunchcastError, OSError)) or _strict_warning(exc):
        return True
    calendar_error = _loaded("calendars.exceptions", "CalendarError")
    return calendar_error is not None and isinstance(exc, calendar_error)


def _message(exc: BaseException) -> str:
    text = _one_line(exc)
    return text + " (--strict: warnings are errors.)" if _strict_warning(exc) else text


def _print_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Print a warning as one plain line, not in Python's warning format."""
    print(f"launchcast: warning: {_one_line(message)}", file=sys.stderr, flush=True)


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


def _invoke(args: list[str]) -> object:
    with command_line():
        return app(args=args, prog_name="launchcast", standalone_mode=False)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return its exit code (see :func:`forecasting.cli.run`)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _print_warning
            for noise in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
                warnings.simplefilter("ignore", noise)  # libraries' notes to developers
            # a context of its own: what the options set (--encoding, ...) ends with the command
            result = contextvars.copy_context().run(_invoke, args)
    except typer.Exit as exc:
        return int(exc.exit_code or 0)
    except typer.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            print("launchcast: interrupted", file=sys.stderr)
            return 130
        print("launchcast: aborted", file=sys.stderr)
        return 1
    except Exception as exc:
        if _handled(exc):
            print(f"launchcast: error: {_message(exc)}", file=sys.stderr)
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
