"""Calendar events of a market (days off, make-up workdays, retail, solar terms); working days.

Every year is computed once per market and cached, so models that ask for the same years on many
series pay for it once.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from calendars._common import (
    MAX_YEAR,
    MIN_YEAR,
    market_code,
    normalize_kinds,
    normalize_years,
    to_date,
)
from calendars.exceptions import CalendarError
from calendars.public_holidays import holiday_rows, weekend_days
from calendars.retail import RETAIL_EVENTS, RetailEvent, retail_dates
from calendars.solar_terms import SOLAR_TERMS, year_instants

__all__ = ["EVENT_COLUMNS", "event_names", "events", "is_workday", "workdays"]

#: The columns of :func:`events`, in order.
EVENT_COLUMNS = [
    "date",
    "event",
    "kind",
    "lower_window",
    "upper_window",
    "name_zh",
    "confirmed",
    "pinyin",
]


def _frame(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(EVENT_COLUMNS)
    return pd.DataFrame(
        {
            "date": pd.DatetimeIndex(list(columns[0]), dtype="datetime64[ns]"),
            "event": pd.array(columns[1], dtype="str"),
            "kind": pd.array(columns[2], dtype="str"),
            "lower_window": np.array(columns[3], dtype="int64"),
            "upper_window": np.array(columns[4], dtype="int64"),
            "name_zh": pd.array(columns[5], dtype="str"),
            "confirmed": np.array(columns[6], dtype="bool"),
            "pinyin": pd.array(columns[7], dtype="str"),
        }
    )


_KIND_ORDER = {k: i for i, k in enumerate(("holiday", "workday", "retail", "solar_term"))}


@functools.lru_cache(maxsize=8192)
def _year_rows(
    year: int, market: str, kind: str, retail: tuple[RetailEvent, ...]
) -> tuple[tuple[object, ...], ...]:
    rows: list[tuple[object, ...]] = []
    if kind in ("holiday", "workday"):
        for r in holiday_rows(market, year):
            if r.kind == kind:
                rows.append((r.date, r.event, r.kind, 0, 0, r.name_zh, r.confirmed, r.pinyin))
    elif kind == "retail":
        for day, ev in retail_dates(retail, market, year):
            low, up = ev.lower_window, ev.upper_window
            rows.append((day, ev.event, "retail", low, up, ev.name_zh, True, ev.pinyin))
    else:
        for term, instant in zip(SOLAR_TERMS, year_instants(year), strict=True):
            day = instant.date()
            rows.append((day, term.name, "solar_term", 0, 0, term.name, True, term.pinyin))
    return tuple(rows)


@functools.lru_cache(maxsize=512)
def _events(
    years: tuple[int, ...], market: str, kinds: tuple[str, ...], retail: tuple[RetailEvent, ...]
) -> pd.DataFrame:
    rows = [row for y in years for k in kinds for row in _year_rows(y, market, k, retail)]
    rows.sort(key=lambda r: (r[0], _KIND_ORDER[str(r[2])], r[1]))
    return _frame(rows)


def events(
    years: int | Iterable[int],
    market: str = "CN",
    kinds: str | Iterable[str] | None = None,
    *,
    retail: Iterable[RetailEvent] | None = None,
) -> pd.DataFrame:
    """Calendar events of ``market`` in ``years``: days off, make-up workdays, retail, solar terms.

    Parameters
    ----------
    years : int or iterable of int
        Gregorian years in ``MIN_YEAR..MAX_YEAR`` (1900..2100).
    market : str, default "CN"
        A country code that the ``holidays`` package knows ("CN", "US", "DE", ...).
    kinds : str or iterable of str, optional
        Keep only these kinds: ``"holiday"``, ``"workday"``, ``"retail"``, ``"solar_term"``.
        ``None`` keeps all of them for ``CN`` and all but the solar terms for other markets (ask for
        them explicitly there).
    retail : iterable of RetailEvent, optional
        The retail-event table; default :data:`calendars.RETAIL_EVENTS` (Chinese events, market
        ``CN`` only).

    Returns
    -------
    pandas.DataFrame
        Sorted by date, columns ``date`` (naive ``datetime64[ns]``), ``event`` (stable name: "Spring
        Festival", "Double 11", "白露"), ``kind``, ``lower_window``, ``upper_window`` (days around
        ``date`` that the event spans; 0 for single days), ``name_zh`` (春节, 双十一, 白露; the
        English name where there is no Chinese one), ``confirmed`` (False for days off guessed by
        rule where the official schedule is not in the data, see :mod:`calendars.public_holidays`)
        and ``pinyin``.

        ``kind="holiday"`` has one row per official day off (weekend days inside a Chinese break
        included), named by its festival; ``kind="workday"`` one row per make-up working day (a
        weekend day), named by the festival it pays for. Make-up workdays are listed only for years
        whose schedule is published in the data.

    Raises
    ------
    CalendarError
        For a year outside the supported range, an unknown market or an unknown kind.

    Examples
    --------
    >>> ev = events(2025, kinds=["workday"])
    >>> ev["date"].dt.strftime("%Y-%m-%d").tolist()
    ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']
    >>> ev["event"].tolist()[:2]
    ['Spring Festival', 'Spring Festival']
    >>> retail_2026 = events(2026, kinds="retail").set_index("event")
    >>> row = retail_2026.loc["Double 11"]
    >>> row["name_zh"], int(row["lower_window"]), int(row["upper_window"])
    ('双十一', -21, 0)
    >>> events(2026, market="US", kinds="holiday")["event"].iloc[0]
    "New Year's Day"
    """
    code = market_code(market)
    table = RETAIL_EVENTS if retail is None else tuple(retail)
    for item in table:
        if not isinstance(item, RetailEvent):
            raise CalendarError(f"retail: expected RetailEvent items, got {item!r}")
    result = _events(normalize_years(years), code, normalize_kinds(kinds, code), table)
    return result.copy()


def event_names(events: pd.DataFrame, column: str = "name_zh") -> dict[str, str]:
    """The label of each event, taken from its own rows, never from a make-up workday's.

    A make-up workday (调休上班) carries the name of the festival it pays for in ``event`` but is
    labelled ``春节调休上班`` in ``name_zh``; a wave anchored on the Spring Festival is labelled
    春节, so the label of an event is read from its rows of any other kind. An event that has only
    make-up workday rows keeps its own name.

    Parameters
    ----------
    events : pandas.DataFrame
        Rows of :func:`events` (``event``, ``kind`` and ``column``).
    column : str, default "name_zh"
        The label column (``"name_zh"`` or ``"pinyin"``).

    Returns
    -------
    dict of str to str
        Event name to its label (the first non-empty one of its rows).

    Examples
    --------
    >>> ev = events(2012, kinds=["holiday", "workday"])
    >>> ev.loc[ev["event"] == "Spring Festival", "name_zh"].iloc[0]  # 2012-01-21, a workday
    '春节调休上班'
    >>> event_names(ev)["Spring Festival"]
    '春节'
    """
    if column not in events.columns or events.empty:
        return {}
    own = events[events["kind"] != "workday"]
    names: dict[str, str] = {}
    for event, label in zip(own["event"], own[column], strict=True):
        if str(event) not in names and isinstance(label, str) and label:
            names[str(event)] = label
    return names


@functools.lru_cache(maxsize=4096)
def _rest_and_work(market: str, year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    rows = holiday_rows(market, year)
    rest = frozenset(r.date for r in rows if r.kind == "holiday")
    work = frozenset(r.date for r in rows if r.kind == "workday")
    return rest, work


def is_workday(date: object, market: str = "CN") -> bool:
    """Whether ``date`` is an official working day in ``market``.

    A weekday that is not a day off, or a make-up workday (调休上班) on a weekend. For Chinese years
    whose schedule is not published in the data, weekends are rest days and only the statutory days
    are off.

    Parameters
    ----------
    date : date-like
        A ``date``, ``datetime``, ``Timestamp``, ``numpy.datetime64`` or ISO string.
    market : str, default "CN"
        A country code that the ``holidays`` package knows.

    Returns
    -------
    bool

    Raises
    ------
    CalendarError
        For an unreadable date, a year outside the supported range or an unknown market.

    Examples
    --------
    >>> is_workday("2025-01-26")  # Sunday, make-up workday before Spring Festival
    True
    >>> is_workday("2025-01-29")  # Spring Festival
    False
    >>> is_workday("2025-12-25", market="US")
    False
    """
    day = to_date(date)
    code = market if market == "CN" else market_code(market)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        normalize_years(day.year, "date")
    rest, work = _rest_and_work(code, day.year)
    if day in work:
        return True
    if day in rest:
        return False
    return day.weekday() not in weekend_days(code)


def workdays(start: object, end: object, market: str = "CN") -> pd.DatetimeIndex:
    """The official working days from ``start`` to ``end`` (both included).

    Parameters
    ----------
    start, end : date-like
        First and last day of the span.
    market : str, default "CN"
        A country code that the ``holidays`` package knows.

    Returns
    -------
    pandas.DatetimeIndex
        Naive ``datetime64[ns]`` days, named ``"date"``; empty when ``end`` is before ``start``.

    Examples
    --------
    >>> workdays("2025-01-25", "2025-02-09").strftime("%m-%d").tolist()
    ['01-26', '01-27', '02-05', '02-06', '02-07', '02-08']
    """
    first, last = to_date(start, "start"), to_date(end, "end")
    code = market_code(market)
    if last < first:
        return pd.DatetimeIndex([], dtype="datetime64[ns]", name="date")
    normalize_years({first.year, last.year}, "start/end")
    days = pd.date_range(first, last, freq="D", unit="ns", name="date")
    keep = ~np.isin(days.day_of_week, sorted(weekend_days(code)))
    rest: set[dt.date] = set()
    work: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        r, w = _rest_and_work(code, year)
        rest |= r
        work |= w
    if rest:
        keep &= ~days.isin(pd.DatetimeIndex(sorted(rest)))
    if work:
        keep |= days.isin(pd.DatetimeIndex(sorted(work)))
    return days[keep]
