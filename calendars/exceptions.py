"""The one exception of :mod:`calendars`."""

from __future__ import annotations

__all__ = ["CalendarError"]


class CalendarError(ValueError):
    """A calendar question cannot be answered: a year outside the supported range, unknown market.

    The message names the allowed values.

    Examples
    --------
    >>> issubclass(CalendarError, ValueError)
    True
    """
