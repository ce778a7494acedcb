"""Official days off and make-up workdays of a market, with festival names stable across years.

Source: the ``holidays`` package (English labels). For China (``CN``) three things are added on top
of it:

* **Stable names.** ``holidays`` labels the substituted days off of the 调休 schedule "Day off
  (substituted from MM/DD/YYYY)" and the eve "Chinese New Year's Eve"; every day off is named by
  its festival instead ("Spring Festival", "National Day", ...).
* **Whole breaks.** The State Council's notices count the weekend days inside or beside a break as
  part of it (春节 2025: 1月28日至2月4日放假调休，共8天). Every maximal run of non-working days
  that holds a holiday is therefore a holiday break: each of its days is a ``holiday`` row. A day
  without a statutory festival of its own (a weekend, a substituted or an "(observed)" day) takes
  the break's main festival (the one with the most statutory days; the earliest on a tie), so the
  国庆中秋 break of 2025 is National Day except 10-06, which is Mid-Autumn Festival.
* **Make-up workdays** (调休上班): the weekend days that ``holidays`` lists as working days, plus
  the dates in its "substituted from" labels, each named by the festival of the day off it pays
  for.

``confirmed`` is True for the years whose official schedule the installed ``holidays`` holds (its
special days: 2001-2026 in holidays 0.109). For any other year the days off are the statutory days
of the law in force as ``holidays`` computes them (with its own guesses of observed days), marked
``confirmed=False``, and **no make-up workdays are listed**: they are not invented. Other markets
get the ``holidays`` days off with "(observed)"/"(estimated)" stripped from their names
(``confirmed=False`` where the date is estimated) and the working weekend days that ``holidays``
lists.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, NamedTuple

from calendars._common import MAX_YEAR, MIN_YEAR

__all__ = [
    "CN_FESTIVALS",
    "DayRow",
    "Festival",
    "cn_confirmed_years",
    "holiday_rows",
    "weekend_days",
]


class Festival(NamedTuple):
    """A Chinese public holiday: its stable English name, Chinese label and pinyin."""

    event: str
    name_zh: str
    pinyin: str


_NEW_YEAR = Festival("New Year's Day", "元旦", "Yuándàn")
_SPRING = Festival("Spring Festival", "春节", "Chūnjié")
_QINGMING = Festival("Tomb-Sweeping Day", "清明节", "Qīngmíng Jié")
_LABOR = Festival("Labor Day", "劳动节", "Láodòng Jié")
_DRAGON = Festival("Dragon Boat Festival", "端午节", "Duānwǔ Jié")
_MID_AUTUMN = Festival("Mid-Autumn Festival", "中秋节", "Zhōngqiū Jié")
_NATIONAL = Festival("National Day", "国庆节", "Guóqìng Jié")
_VICTORY = Festival("Victory Day", "抗战胜利纪念日", "Kàngzhàn Shènglì Jìniànrì")

#: The ``holidays`` package's English labels of Chinese holidays, mapped to their stable festival.
CN_FESTIVALS: dict[str, Festival] = {
    "New Year's Day": _NEW_YEAR,
    "Chinese New Year's Eve": _SPRING,
    "Chinese New Year (Spring Festival)": _SPRING,
    "Chinese New Year Extended Holiday": _SPRING,  # the 2020 extension (COVID-19)
    "Tomb-Sweeping Day": _QINGMING,
    "Labor Day": _LABOR,
    "Dragon Boat Festival": _DRAGON,
    "Mid-Autumn Festival": _MID_AUTUMN,
    "National Day": _NATIONAL,
    "70th Anniversary of the Victory of the Chinese People's War of Resistance against Japanese "
    "Aggression and the World Anti-Fascist War": _VICTORY,
}


class DayRow(NamedTuple):
    """One day off (``kind="holiday"``) or make-up workday (``kind="workday"``)."""

    date: dt.date
    event: str
    kind: str
    name_zh: str
    pinyin: str
    confirmed: bool


_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d{2})/(\d{2})/(\d{4})\)$")
# "(observed)", "(estimated)", "(observed, estimated)", "(in lieu)", "(substitute day)"
_QUALIFIER = re.compile(
    r"\s*\((?:observed|estimated|in lieu|substitute day)(?:,\s*(?:observed|estimated))*\)", re.I
)
# "Alternative holiday for Chuseok" (KR), "Day off for Carnival Day" (AO): the festival's own name
_FOR = re.compile(r"^(?:Alternative holiday for|Day off for)\s+(.+)$", re.I)
# labels that name no festival: the day takes the name of the nearest holiday
_NAMELESS = re.compile(
    r"^(?:Day off \(substituted from .*\)|Substitute Holiday|Bridge Public Holiday|"
    r"Additional day off.*)$",
    re.I,
)


def _substituted_from(label: str) -> dt.date | None:
    match = _SUBSTITUTED.match(label)
    if match is None:
        return None
    month, day, year = (int(g) for g in match.groups())
    return dt.date(year, month, day)


def _stable(label: str) -> str | None:
    """The stable festival name in a ``holidays`` label, or None for a label that names none."""
    if _NAMELESS.match(label):
        return None
    name = _QUALIFIER.sub("", label).strip()
    match = _FOR.match(name)
    return match.group(1).strip() if match else name


@functools.cache
def _language(market: str) -> str | None:
    import holidays

    probe = holidays.country_holidays(market, years=[])
    languages = getattr(probe, "supported_languages", ()) or ()
    return "en_US" if "en_US" in languages else None


@functools.cache
def _country(market: str, year: int) -> Any:
    import holidays

    return holidays.country_holidays(market, years=year, language=_language(market))


@functools.cache
def weekend_days(market: str) -> frozenset[int]:
    """The weekdays (Monday=0) that are the weekend in ``market``, as ``holidays`` defines them."""
    return frozenset(int(d) for d in _country(market, 2000).weekend)


class _Raw(NamedTuple):
    labels: dict[dt.date, list[str]]  # every day off, with its labels
    made: dict[dt.date, dt.date | None]  # make-up workday -> the day off it pays for (if named)


@functools.cache
def _raw(market: str, year: int) -> _Raw:
    """The ``holidays`` days off and working weekend days of one year (clipped to that year)."""
    obj = _country(market, year)
    labels: dict[dt.date, list[str]] = {}
    made: dict[dt.date, dt.date | None] = {}
    weekend = weekend_days(market)
    for day, label in sorted(obj.items()):
        if day.year != year:
            continue
        parts = [p.strip() for p in str(label).split(";") if p.strip()]
        labels[day] = parts
    for day in getattr(obj, "weekend_workdays", ()) or ():
        if day.year == year and day not in labels:
            made.setdefault(day, None)
    # "Day off (substituted from D)": for China, D is a make-up workday (elsewhere, e.g. in Russia,
    # D may be a weekend inside a break that was moved, so only the listed weekend_workdays count)
    for y in (year - 1, year, year + 1):  # a substituted day off may pay for a workday across 1/1
        if y == year:
            items = list(labels.items())
        elif MIN_YEAR <= y <= MAX_YEAR:
            other = _country(market, y)
            items = [(d, [p.strip() for p in str(v).split(";")]) for d, v in other.items()]
        else:
            continue
        for day, parts in items:
            for part in parts:
                source = _substituted_from(part)
                if source is None or source.year != year or source.weekday() not in weekend:
                    continue
                if source in made or (market == "CN" and source not in labels):
                    made[source] = day
    return _Raw(labels, made)


@functools.cache
def cn_confirmed_years() -> frozenset[int]:
    """The years whose official Chinese schedule (days off, make-up workdays) ``holidays`` holds.

    Examples
    --------
    >>> {2024, 2025, 2026} <= cn_confirmed_years()
    True
    """
    from holidays.countries import china

    years: set[int] = set()
    for holder in ("ChinaStaticHolidays", "China"):
        special = getattr(getattr(china, holder, None), "special_public_holidays", {})
        years.update(int(y) for y in special)
    return frozenset(years)


def _festival_of(label: str) -> Festival | None:
    stable = _stable(label)
    if stable is None:
        return None
    return CN_FESTIVALS.get(stable, Festival(stable, stable, ""))


def _nearest(day: dt.date, named: dict[dt.date, list[Festival]]) -> Festival | None:
    if not named:
        return None
    best = min(named, key=lambda d: (abs((d - day).days), d))
    return named[best][0]


def _cn_rows(year: int) -> list[DayRow]:
    years = [y for y in (year - 1, year, year + 1) if MIN_YEAR <= y <= MAX_YEAR]
    labels: dict[dt.date, list[str]] = {}
    made: dict[dt.date, dt.date | None] = {}
    for y in years:
        raw = _raw("CN", y)
        labels.update(raw.labels)
        made.update(raw.made)
    own: dict[dt.date, list[Festival]] = {}  # statutory days: the festival of their own label
    observed: dict[dt.date, list[Festival]] = {}  # days labelled "<festival> (observed)"
    for day, parts in labels.items():
        for part in parts:
            festival = _festival_of(part)
            if festival is not None:
                target = observed if _QUALIFIER.search(part) else own
                target.setdefault(day, [])
                if festival not in target[day]:
                    target[day].append(festival)

    def resting(day: dt.date) -> bool:
        return day in labels or (day.weekday() >= 5 and day not in made)

    # maximal runs of non-working days that hold at least one official day off
    named_day: dict[dt.date, list[Festival]] = {}
    seen: set[dt.date] = set()
    for start in sorted(labels):
        if start in seen:
            continue
        lo = start
        while resting(lo - dt.timedelta(days=1)):
            lo -= dt.timedelta(days=1)
        hi = start
        while resting(hi + dt.timedelta(days=1)):
            hi += dt.timedelta(days=1)
        run = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
        seen.update(run)
        counts: dict[Festival, int] = {}
        for day in run:
            for festival in own.get(day, []):
                counts[festival] = counts.get(festival, 0) + 1
        # the first maximum is the earliest festival on a tie
        main = max(counts, key=lambda f: counts[f]) if counts else None
        for day in run:
            names = own.get(day) or ([main] if main is not None else observed.get(day, []))
            if not names:
                nearest = _nearest(day, {d: f for d, f in own.items() if f})
                names = [nearest] if nearest is not None else []
            named_day[day] = names

    confirmed = year in cn_confirmed_years()
    rows: list[DayRow] = []
    for day in sorted(named_day):
        if day.year != year:
            continue
        for festival in named_day[day]:
            rows.append(
                DayRow(day, festival.event, "holiday", festival.name_zh, festival.pinyin, confirmed)
            )
    if confirmed:  # make-up workdays only where the official schedule is known
        for day, pays_for in sorted(made.items()):
            if day.year != year or day.weekday() < 5:
                continue
            if pays_for is not None and named_day.get(pays_for):
                festival = named_day[pays_for][0]
            else:
                festival = _nearest(day, {d: f for d, f in named_day.items() if f}) or _SPRING
            label = festival.name_zh + "调休上班"
            rows.append(DayRow(day, festival.event, "workday", label, festival.pinyin, True))
    return rows


def _other_rows(market: str, year: int) -> list[DayRow]:
    raw = _raw(market, year)
    own: dict[dt.date, list[tuple[str, bool]]] = {}
    for day, parts in raw.labels.items():
        own[day] = []
        for part in parts:
            name = _stable(part)
            if name is not None:
                own[day].append((name, "estimated" not in part.lower()))
    named = {d: v for d, v in own.items() if v}
    rows: list[DayRow] = []
    for day, entries in sorted(own.items()):
        if not entries:  # a substituted day off: named by the nearest holiday of the year
            near = min(named, key=lambda d: (abs((d - day).days), d)) if named else None
            entries = [named[near][0]] if near is not None else [("Day off", True)]
        for name, confirmed in dict.fromkeys(entries):
            rows.append(DayRow(day, name, "holiday", name, "", confirmed))
    for day, pays_for in sorted(raw.made.items()):
        if pays_for is not None and named:
            near = min(named, key=lambda d: (abs((d - pays_for).days), d))
        elif named:
            near = min(named, key=lambda d: (abs((d - day).days), d))
        else:
            continue
        name = named[near][0][0]
        rows.append(DayRow(day, name, "workday", name, "", True))
    return rows


@functools.cache
def holiday_rows(market: str, year: int) -> tuple[DayRow, ...]:
    """Every day off and make-up workday of ``market`` (checked) in ``year``, sorted by date.

    Examples
    --------
    >>> rows = holiday_rows("CN", 2025)
    >>> [(r.date.isoformat(), r.event) for r in rows if r.kind == "workday"][:2]
    [('2025-01-26', 'Spring Festival'), ('2025-02-08', 'Spring Festival')]
    """
    rows = _cn_rows(year) if market == "CN" else _other_rows(market, year)
    return tuple(sorted(rows, key=lambda r: (r.date, r.kind, r.event)))
