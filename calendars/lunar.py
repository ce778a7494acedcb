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

__all__ = ["lunar_new_year", "lunar_to_solar"]


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
