"""The 24 solar terms (二十四节气), computed astronomically with lunar-python.

A solar term is the instant at which the Sun's apparent ecliptic longitude reaches a multiple of
15°. The instants come from lunar-python's port of 寿星万年历 (``ShouXingUtil.qiAccurate``: VSOP87
Sun, nutation, aberration and ΔT), which agrees with the JPL ephemerides to a few seconds. They are
given in China Standard Time as a fixed UTC+8 offset, which is the convention of the Chinese
calendar (the ``Asia/Shanghai`` zone would add the 1986-1991 summer time and, before 1901, local
mean time). Each year is computed once and cached.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from calendars._common import BEIJING, normalize_years

__all__ = ["SOLAR_TERMS", "SolarTerm", "solar_terms"]


class SolarTerm(NamedTuple):
    """One of the 24 solar terms: the Sun's apparent longitude and its names."""

    longitude: int
    name: str
    pinyin: str
    english: str


#: The 24 solar terms in the order of a Gregorian year (小寒 early January .. 冬至 late December).
SOLAR_TERMS: tuple[SolarTerm, ...] = (
    SolarTerm(285, "小寒", "Xiǎohán", "Minor Cold"),
    SolarTerm(300, "大寒", "Dàhán", "Major Cold"),
    SolarTerm(315, "立春", "Lìchūn", "Start of Spring"),
    SolarTerm(330, "雨水", "Yǔshuǐ", "Rain Water"),
    SolarTerm(345, "惊蛰", "Jīngzhé", "Awakening of Insects"),
    SolarTerm(0, "春分", "Chūnfēn", "Spring Equinox"),
    SolarTerm(15, "清明", "Qīngmíng", "Pure Brightness"),
    SolarTerm(30, "谷雨", "Gǔyǔ", "Grain Rain"),
    SolarTerm(45, "立夏", "Lìxià", "Start of Summer"),
    SolarTerm(60, "小满", "Xiǎomǎn", "Grain Buds"),
    SolarTerm(75, "芒种", "Mángzhòng", "Grain in Ear"),
    SolarTerm(90, "夏至", "Xiàzhì", "Summer Solstice"),
    SolarTerm(105, "小暑", "Xiǎoshǔ", "Minor Heat"),
    SolarTerm(120, "大暑", "Dàshǔ", "Major Heat"),
    SolarTerm(135, "立秋", "Lìqiū", "Start of Autumn"),
    SolarTerm(150, "处暑", "Chǔshǔ", "End of Heat"),
    SolarTerm(165, "白露", "Báilù", "White Dew"),
    SolarTerm(180, "秋分", "Qiūfēn", "Autumn Equinox"),
    SolarTerm(195, "寒露", "Hánlù", "Cold Dew"),
    SolarTerm(210, "霜降", "Shuāngjiàng", "Frost's Descent"),
    SolarTerm(225, "立冬", "Lìdōng", "Start of Winter"),
    SolarTerm(240, "小雪", "Xiǎoxuě", "Minor Snow"),
    SolarTerm(255, "大雪", "Dàxuě", "Major Snow"),
    SolarTerm(270, "冬至", "Dōngzhì", "Winter Solstice"),
)

# Julian day 2451545.0, the epoch of ShouXingUtil's day counts
_J2000 = dt.datetime(2000, 1, 1, 12, 0, 0)
_COLUMNS = ["year", "longitude", "name", "pinyin", "english", "instant", "date"]


def _beijing_instant(year: int, longitude: int) -> dt.datetime:
    """The Beijing-time instant (to the second) when the Sun reaches ``longitude`` in ``year``."""
    from lunar_python.util.ShouXingUtil import ShouXingUtil

    # ShouXingUtil measures the Sun's longitude cumulatively in radians: 2*pi at the March
    # equinox of 2000, so the terms of January-March (285..345 degrees) belong to the cycle
    # that began the year before.
    cycles = year - 2000 + (0 if longitude >= 285 else 1)
    # days from J2000 in UT + 8 h
    days = ShouXingUtil.qiAccurate(2 * math.pi * cycles + math.radians(longitude))
    seconds = round(days * 86400.0)
    return (_J2000 + dt.timedelta(seconds=seconds)).replace(tzinfo=BEIJING)


@functools.cache
def year_instants(year: int) -> tuple[dt.datetime, ...]:
    return tuple(_beijing_instant(year, term.longitude) for term in SOLAR_TERMS)


@functools.lru_cache(maxsize=256)
def _terms(years: tuple[int, ...]) -> pd.DataFrame:
    instants = [i for y in years for i in year_instants(y)]
    longitudes = np.array([t.longitude for t in SOLAR_TERMS], dtype="int64")
    frame = pd.DataFrame(
        {
            "year": np.repeat(np.array(years, dtype="int64"), len(SOLAR_TERMS)),
            "longitude": np.tile(longitudes, len(years)),
            "name": [t.name for t in SOLAR_TERMS] * len(years),
            "pinyin": [t.pinyin for t in SOLAR_TERMS] * len(years),
            "english": [t.english for t in SOLAR_TERMS] * len(years),
            "instant": pd.DatetimeIndex(instants).as_unit("ns"),
        }
    )
    frame["date"] = frame["instant"].dt.tz_localize(None).dt.normalize()
    # years are sorted and each year's terms are in order, so the frame is sorted by instant
    return frame[_COLUMNS]


def solar_terms(years: int | Iterable[int]) -> pd.DataFrame:
    """The 24 solar terms of each Gregorian year, with their instants in Beijing time.

    Parameters
    ----------
    years : int or iterable of int
        Gregorian years, each in ``MIN_YEAR..MAX_YEAR`` (1900..2100).

    Returns
    -------
    pandas.DataFrame
        One row per term whose Beijing-time instant falls in one of ``years``, sorted by instant,
        with columns ``year`` (int), ``longitude`` (the Sun's apparent ecliptic longitude in
        degrees: 285, 300, ..., 270), ``name`` (立春), ``pinyin`` (Lìchūn), ``english`` (Start of
        Spring), ``instant`` (tz-aware, to the second, fixed UTC+8) and ``date`` (the Beijing
        calendar date, naive ``datetime64[ns]``).

    Raises
    ------
    CalendarError
        If a year is outside the supported range or not an int.

    Examples
    --------
    >>> terms = solar_terms(2026)
    >>> len(terms)
    24
    >>> row = terms.set_index("name").loc["白露"]
    >>> row["date"].date(), row["pinyin"], row["english"], int(row["longitude"])
    (datetime.date(2026, 9, 7), 'Báilù', 'White Dew', 165)
    >>> str(row["instant"].tz)
    'UTC+08:00'
    """
    return _terms(normalize_years(years)).copy()
