"""Retail events (shopping festivals): a small declarative table that users can extend or override.

Each :class:`RetailEvent` is anchored on a Gregorian or a Chinese lunar month/day (plus an optional
shift in days) and carries its pre-sale/ramp window as ``lower_window`` (<= 0) and ``upper_window``
(>= 0) days around the anchor date, in Prophet's convention. :data:`RETAIL_EVENTS` is the default
Chinese table; pass your own tuple as
``retail=`` to :func:`calendars.events` (and the adapters) to add or replace events::

    mine = (*RETAIL_EVENTS, RetailEvent("Brand Day", "品牌日", 4, 16, lower_window=-3))

The windows are conventions of the big platforms (Tmall/JD pre-sales in recent years), not official
dates; tune them to your own promotion calendar.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from calendars.exceptions import CalendarError
from calendars.lunar import lunar_to_solar

__all__ = ["RETAIL_EVENTS", "RetailEvent", "retail_dates"]

_CALENDARS = ("gregorian", "lunar")


@dataclasses.dataclass(frozen=True)
class RetailEvent:
    """One recurring retail event.

    Parameters
    ----------
    event : str
        Stable English name, e.g. ``"Double 11"``.
    name_zh : str
        Chinese label, e.g. ``"双十一"``.
    month, day : int
        The anchor: a Gregorian month/day, or a lunar month/day when ``calendar="lunar"``.
    lower_window, upper_window : int
        Days before (<= 0) and after (>= 0) the anchor that the event's effect spans (pre-sale,
        ramp, tail).
    calendar : {"gregorian", "lunar"}
        Which calendar ``month``/``day`` are in. A lunar day missing in a short month is that
        month's last day.
    shift_days : int
        Days added to the anchor, e.g. ``-7`` with lunar 1/1 for "a week before Spring Festival".
    pinyin : str
        Romanised label for figures without a CJK font.
    markets : tuple of str
        Country codes the event belongs to.
    first_year : int, optional
        First year the event took place; earlier years get no row.

    Examples
    --------
    >>> RetailEvent("Brand Day", "品牌日", 4, 16, lower_window=-3).dates(2026)
    [datetime.date(2026, 4, 16)]
    """

    event: str
    name_zh: str
    month: int
    day: int
    lower_window: int = 0
    upper_window: int = 0
    calendar: str = "gregorian"
    shift_days: int = 0
    pinyin: str = ""
    markets: tuple[str, ...] = ("CN",)
    first_year: int | None = None

    def __post_init__(self) -> None:
        if self.calendar not in _CALENDARS:
            raise CalendarError(
                f"RetailEvent {self.event!r}: calendar={self.calendar!r}; "
                f"allowed: {', '.join(_CALENDARS)}"
            )
        last = 30 if self.calendar == "lunar" else 31
        if not 1 <= self.month <= 12 or not 1 <= self.day <= last:
            raise CalendarError(
                f"RetailEvent {self.event!r}: month/day {self.month}/{self.day} is not a date of "
                f"the {self.calendar} calendar (month 1..12, day 1..{last})"
            )
        if self.calendar == "gregorian":
            try:
                dt.date(2000, self.month, self.day)  # a leap year: accepts 2/29, rejects 4/31
            except ValueError:
                raise CalendarError(
                    f"RetailEvent {self.event!r}: {self.month}/{self.day} is not a Gregorian date"
                ) from None
        if self.lower_window > 0 or self.upper_window < 0:
            raise CalendarError(
                f"RetailEvent {self.event!r}: lower_window={self.lower_window}, "
                f"upper_window={self.upper_window}; lower_window must be <= 0 and upper_window >= 0"
            )
        object.__setattr__(self, "markets", tuple(m.upper() for m in self.markets))

    def dates(self, year: int) -> list[dt.date]:
        """The dates of this event in Gregorian ``year`` (usually one; none or two at most)."""
        if self.first_year is not None and year < self.first_year:
            return []
        # a lunar date of lunar year Y-1 (months 11-12) can fall in Gregorian year Y
        anchor_years = (year - 1, year) if self.calendar == "lunar" else (year,)
        out = []
        for anchor_year in anchor_years:
            anchor = _anchor(self.calendar, self.month, self.day, anchor_year)
            if anchor is not None:
                day = anchor + dt.timedelta(days=self.shift_days)
                if day.year == year:
                    out.append(day)
        return out


def _anchor(calendar: str, month: int, day: int, year: int) -> dt.date | None:
    if calendar == "lunar":
        return lunar_to_solar(year, month, day)
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2/29 in a common year
        return None


#: The default Chinese retail calendar. Windows: the usual pre-sale / ramp of recent years.
RETAIL_EVENTS: tuple[RetailEvent, ...] = (
    # 年货节: the platforms' New-Year goods festival, ending about a week before Spring Festival
    # (lunar 1/1), when couriers stop for the holiday; it runs about three weeks.
    RetailEvent(
        "New-Year Goods Festival", "年货节", 1, 1, -21, 0, "lunar", -7, "Niánhuò Jié", ("CN",)
    ),
    # 3.8 女王节 promotions from 3/1
    RetailEvent("Women's Day", "妇女节", 3, 8, -7, 0, pinyin="Fùnǚ Jié"),
    # online Valentine's day (5/20-5/21)
    RetailEvent("520", "520", 5, 20, -6, 1, pinyin="Wǔ'èrlíng"),
    # JD's anniversary sale, pre-sales from 5/31
    RetailEvent("618", "618", 6, 18, -18, 2, pinyin="Liùyāobā"),
    RetailEvent("Qixi", "七夕", 7, 7, -7, 0, "lunar", pinyin="Qīxī"),  # Chinese Valentine's day
    RetailEvent("Double 11", "双十一", 11, 11, -21, 0, pinyin="Shuāng Shíyī", first_year=2009),
    RetailEvent("Double 12", "双十二", 12, 12, -2, 0, pinyin="Shuāng Shí'èr", first_year=2011),
    # 平安夜 and Christmas: a gift and going-out day of Chinese city shoppers, not a day off. China
    # clothing 2008-2010: national sales about 2x the weeks before on 12/24, 1.4-2.3x on 12/25
    RetailEvent("Christmas Eve", "平安夜", 12, 24, 0, 1, pinyin="Píng'ān Yè"),
)


def retail_dates(
    table: tuple[RetailEvent, ...], market: str, year: int
) -> list[tuple[dt.date, RetailEvent]]:
    """The (date, event) pairs of ``table`` for ``market`` in ``year``, sorted by date.

    Examples
    --------
    >>> [(d.isoformat(), e.event) for d, e in retail_dates(RETAIL_EVENTS, "CN", 2026)][:2]
    [('2026-02-10', 'New-Year Goods Festival'), ('2026-03-08', "Women's Day")]
    """
    pairs = [(day, ev) for ev in table if market in ev.markets for day in ev.dates(year)]
    return sorted(pairs, key=lambda p: (p[0], p[1].event))
