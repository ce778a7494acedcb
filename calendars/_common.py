"""Shared checks of :mod:`calendars`: the supported years, markets, kinds and date coercion."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from calendars.exceptions import CalendarError

__all__ = [
    "BEIJING",
    "KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "market_code",
    "normalize_kinds",
    "normalize_years",
    "to_date",
]

#: First and last Gregorian year that every function of :mod:`calendars` answers for. The upper
#: bound is where the ``holidays`` package stops computing public holidays; beyond it a calendar
#: without holidays would be silently wrong.
MIN_YEAR = 1900
MAX_YEAR = 2100

#: The kinds of event that :func:`calendars.events` returns.
KINDS = ("holiday", "workday", "retail", "solar_term")

#: China Standard Time as a fixed offset (no 1986-1991 summer time, no local mean time).
BEIJING = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")


def _check_year(year: int, argument: str = "years") -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(
            f"{argument}: year {year} is outside the supported range {MIN_YEAR}..{MAX_YEAR}; "
            f"pass years from {MIN_YEAR} to {MAX_YEAR}"
        )
    return year


def normalize_years(years: int | Iterable[int], argument: str = "years") -> tuple[int, ...]:
    """Return ``years`` as a sorted tuple of distinct ints, each within the supported range."""
    if isinstance(years, (int, np.integer)) and not isinstance(years, bool):
        items: list[Any] = [years]
    elif isinstance(years, (str, bytes)):
        raise CalendarError(f"{argument}: expected an int or an iterable of ints, got {years!r}")
    else:
        try:
            items = list(years)  # type: ignore[arg-type]
        except TypeError:
            raise CalendarError(
                f"{argument}: expected an int or an iterable of ints, got {years!r}"
            ) from None
    out = set()
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, np.integer)):
            raise CalendarError(f"{argument}: expected whole years (ints), got {item!r}")
        out.add(_check_year(int(item), argument))
    if not out:
        raise CalendarError(f"{argument}: no years given; pass e.g. 2026 or range(2024, 2027)")
    return tuple(sorted(out))


@functools.cache
def _known_markets() -> dict[str, str]:
    import holidays

    known: dict[str, str] = {}
    for alpha2 in holidays.list_supported_countries():
        known[alpha2.upper()] = alpha2
    return known


@functools.cache
def _alpha2(code: str) -> str:
    import holidays

    return str(holidays.country_holidays(code, years=[]).country).upper()


def market_code(market: str) -> str:
    """The two-letter code of ``market`` (alpha-2 or alpha-3, any case), or CalendarError.

    Parameters
    ----------
    market : str
        A country code that the ``holidays`` package knows.

    Returns
    -------
    str

    Raises
    ------
    CalendarError
        For a market that the ``holidays`` package does not know (the message lists them).

    Examples
    --------
    >>> market_code("usa"), market_code(" ec ")
    ('US', 'EC')
    """
    if not isinstance(market, str):
        raise CalendarError(f"market: expected a country code such as 'CN', got {market!r}")
    code = market.strip().upper()
    known = _known_markets()
    if code not in known:
        alpha2 = sorted(c for c in known if len(c) == 2)
        raise CalendarError(
            f"market: unknown market {market!r}; use a country code the holidays package knows "
            f"({len(alpha2)} of them): {', '.join(alpha2)}"
        )
    return code if len(code) == 2 else _alpha2(code)


def normalize_kinds(kinds: str | Iterable[str] | None, market: str) -> tuple[str, ...]:
    """Return the kinds to keep; ``None`` means every kind (solar terms only for ``CN``)."""
    if kinds is None:
        return KINDS if market == "CN" else ("holiday", "workday", "retail")
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    bad = [k for k in wanted if k not in KINDS]
    if bad:
        raise CalendarError(f"kinds: unknown kind(s) {bad!r}; allowed: {', '.join(KINDS)}")
    return tuple(k for k in KINDS if k in wanted)


def to_date(value: object, argument: str = "date") -> dt.date:
    """Coerce a date-like (date, datetime, Timestamp, numpy.datetime64, ISO string) to a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise CalendarError(f"{argument}: cannot read {value!r} as a date ({exc})") from None
    if stamp is pd.NaT:
        raise CalendarError(f"{argument}: got a missing date (NaT); pass a real date")
    return dt.date(stamp.year, stamp.month, stamp.day)
