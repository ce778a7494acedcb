"""The exception tree of :mod:`forecasting`.

Every error that launchcast raises on purpose derives from :class:`LaunchcastError`, so a caller
(and the command line, which turns them into a one-line message and exit code 1) can catch them all
at once.

Examples
--------
>>> from forecasting.exceptions import DataValidationError
>>> issubclass(DataValidationError, ValueError)
True
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

__all__ = [
    "AllocationError",
    "DataValidationError",
    "LaunchcastError",
    "MissingDependencyError",
    "NotFittedError",
    "OutputExistsError",
    "command_line",
    "in_words_of",
    "option",
]


class LaunchcastError(Exception):
    """Base class of every error launchcast raises on purpose."""


class DataValidationError(LaunchcastError, ValueError):
    """Input data break the data contract.

    The message names the file, the column, up to five offending rows with their values, and how to
    fix it.
    """


class NotFittedError(LaunchcastError, ValueError, AttributeError):
    """A model was used before ``fit`` was called (the same bases as scikit-learn's)."""


class AllocationError(LaunchcastError, ValueError):
    """An allocation cannot be made as asked, e.g. hard presentation minimums exceed the stock."""


class MissingDependencyError(LaunchcastError, ImportError):
    """An optional dependency is not installed; the message says which extra installs it."""


class OutputExistsError(LaunchcastError, FileExistsError):
    """An output folder or file is already there and launchcast will not replace it unasked.

    The message names it and the fix (``overwrite=True``, on the command line ``--overwrite``).
    """


# The fix an error names is worded for the interface in use: a command-line user is told the flag,
# not the Python argument.
_INTERFACE: contextvars.ContextVar[str] = contextvars.ContextVar("interface", default="python")


@contextlib.contextmanager
def command_line() -> Iterator[None]:
    """Within this block, fixes are worded for the command line (flags, not Python arguments).

    Examples
    --------
    >>> with command_line():
    ...     in_words_of(python="encoding='latin-1'", cli="--encoding latin-1")
    '--encoding latin-1'
    """
    token = _INTERFACE.set("cli")
    try:
        yield
    finally:
        _INTERFACE.reset(token)


def in_words_of(*, python: str, cli: str) -> str:
    """The fix in the words of the interface in use: ``cli`` inside :func:`command_line`.

    Examples
    --------
    >>> in_words_of(python="encoding='latin-1'", cli="--encoding latin-1")
    "encoding='latin-1'"
    """
    return cli if _INTERFACE.get() == "cli" else python


def option(name: str, value: object = None) -> str:
    """An argument as the interface in use spells it: ``lead_days=-3`` or ``--lead-days -3``.

    Examples
    --------
    >>> option("lead_days", -3)
    'lead_days=-3'
    >>> with command_line():
    ...     option("lead_days", -3), option("as_of")
    ('--lead-days -3', '--as-of')
    """
    flag = "--" + name.replace("_", "-")
    if value is None:
        return in_words_of(python=name, cli=flag)
    return in_words_of(python=f"{name}={value!r}", cli=f"{flag} {value}")
