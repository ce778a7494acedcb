"""Gregorian dates of Chinese lunar-calendar days (lunar-python), shared by the retail events and
the holiday windows of the model adapters.

Examples
--------
>>> lunar_new_year(2025)
datetime.date(2025, 1, 29)
>>> lunar_to_solar(2025, 7, 7)  # 七夕
datetime.date(2025, 8, 29)
"""

from __future__ import annotations

import datetime as dt
import functools

__all__ = ["festival_date", "lunar_new_year", "lunar_to_solar"]


@functools.cache
def lunar_to_solar(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of lunar ``month``/``day`` of lunar year ``year``.

    A day missing in a short (29-day) month is that month's last day.

    Parameters
    ----------
    year : int
        Lunar year (the one that starts at the lunar new year of Gregorian ``year``).
    month : int
        Lunar month, 1..12 (never a leap month).
    day : int
        Lunar day, 1..30.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> lunar_to_solar(2024, 12, 30)  # 除夕 of the 29-day last month of lunar 2024
    datetime.date(2025, 1, 28)
    """
    from lunar_python import Lunar, LunarMonth

    length = LunarMonth.fromYm(year, month).getDayCount()
    solar = Lunar.fromYmd(year, month, min(day, length)).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def lunar_new_year(year: int) -> dt.date:
    """The Gregorian date of the lunar new year (正月初一, the Spring Festival) in ``year``.

    Parameters
    ----------
    year : int
        Gregorian year.

    Returns
    -------
    datetime.date

    Examples
    --------
    >>> lunar_new_year(2026)
    datetime.date(2026, 2, 17)
    """
    return lunar_to_solar(year, 1, 1)


# The day each Chinese public holiday celebrates (its break may start before it: 除夕, a weekend).
_LUNAR_FESTIVALS = {
    "Spring Festival": (1, 1),  # 春节, 正月初一 (除夕 is the day before)
    "Dragon Boat Festival": (5, 5),  # 端午节
    "Mid-Autumn Festival": (8, 15),  # 中秋节
}
_FIXED_FESTIVALS = {"New Year's Day": (1, 1), "Labor Day": (5, 1), "National Day": (10, 1)}


def festival_date(event: str, year: int) -> dt.date | None:
    """The day a Chinese public holiday celebrates in Gregorian ``year``, or None for other events.

    A holiday break may begin before its festival (the Spring Festival break begins on 除夕, New
    Year's Eve; a break may begin on a weekend), so the first day off is not the festival itself:
    "16 days before 春节" counts from the day this returns.

    Parameters
    ----------
    event : str
        Stable event name of :func:`calendars.events` ("Spring Festival", "Mid-Autumn Festival",
        "Dragon Boat Festival", "New Year's Day", "Labor Day", "National Day").
    year : int
        Gregorian year.

    Returns
    -------
    datetime.date or None

    Examples
    --------
    >>> festival_date("Spring Festival", 2012)  # 春节; the break began on 除夕, 2012-01-22
    datetime.date(2012, 1, 23)
    >>> festival_date("Mid-Autumn Festival", 2024)
    datetime.date(2024, 9, 17)
    >>> festival_date("白露", 2024) is None
    True
    """
    if event in _LUNAR_FESTIVALS:
        return lunar_to_solar(int(year), *_LUNAR_FESTIVALS[event])
    if event in _FIXED_FESTIVALS:
        return dt.date(int(year), *_FIXED_FESTIVALS[event])
    return None
