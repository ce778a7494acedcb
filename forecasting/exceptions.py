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

__all__ = [
    "AllocationError",
    "DataValidationError",
    "LaunchcastError",
    "MissingDependencyError",
    "NotFittedError",
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
