"""Retail events: dates, windows, the declarative table and user extensions."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from calendars import RETAIL_EVENTS, CalendarError, RetailEvent, events

# year -> event -> (anchor date, name_zh, lower_window, upper_window)
EXPECTED = {
    2024: {
        "New-Year Goods Festival": "2024-02-03",  # Spring Festival 2024-02-10 minus 7 days
        "Women's Day": "2024-03-08",
        "520": "2024-05-20",
        "618": "2024-06-18",
        "Qixi": "2024-08-10",  # lunar 7/7
        "Double 11": "2024-11-11",
        "Double 12": "2024-12-12",
        "Christmas Eve": "2024-12-24",
    },
    2025: {
        "New-Year Goods Festival": "2025-01-22",  # Spring Festival 2025-01-29
        "Women's Day": "2025-03-08",
        "520": "2025-05-20",
        "618": "2025-06-18",
        "Qixi": "2025-08-29",
        "Double 11": "2025-11-11",
        "Double 12": "2025-12-12",
        "Christmas Eve": "2025-12-24",
    },
    2026: {
        "New-Year Goods Festival": "2026-02-10",  # Spring Festival 2026-02-17
        "Women's Day": "2026-03-08",
        "520": "2026-05-20",
        "618": "2026-06-18",
        "Qixi": "2026-08-19",
        "Double 11": "2026-11-11",
        "Double 12": "2026-12-12",
        "Christmas Eve": "2026-12-24",
    },
}
LABELS = {
    "New-Year Goods Festival": ("年货节", -21, 0),
    "Women's Day": ("妇女节", -7, 0),
    "520": ("520", -6, 1),
    "618": ("618", -18, 2),
    "Qixi": ("七夕", -7, 0),
    "Double 11": ("双十一", -21, 0),
    "Double 12": ("双十二", -2, 0),
    "Christmas Eve": ("平安夜", 0, 1),
}


@pytest.mark.parametrize("year", sorted(EXPECTED))
def test_retail_dates(year: int) -> None:
    ev = events(year, kinds="retail")
    got = dict(zip(ev["event"], ev["date"].dt.strftime("%Y-%m-%d"), strict=True))
    assert got == EXPECTED[year]
    assert ev["date"].is_monotonic_increasing
    assert set(ev["kind"]) == {"retail"} and ev["confirmed"].all()


def test_retail_labels_and_windows() -> None:
    ev = events([2024, 2025, 2026], kinds="retail")
    for name, (zh, lower, upper) in LABELS.items():
        rows = ev[ev["event"] == name]
        assert len(rows) == 3
        assert set(rows["name_zh"]) == {zh}
        assert set(rows["lower_window"]) == {lower} and set(rows["upper_window"]) == {upper}
    assert (ev["lower_window"] <= 0).all() and (ev["upper_window"] >= 0).all()


def test_new_year_goods_festival_ends_a_week_before_spring_festival() -> None:
    ev = events(range(2010, 2031), kinds=["holiday", "retail"])
    rows = ev[ev["event"] == "New-Year Goods Festival"]
    goods = rows.set_index(rows["date"].dt.year)["date"]
    assert list(goods.index) == list(range(2010, 2031))
    from lunar_python import Lunar

    for year, day in goods.items():
        spring = Lunar.fromYmd(year, 1, 1).getSolar()
        assert (pd.Timestamp(spring.toYmd()) - day).days == 7


def test_events_before_they_existed_are_absent() -> None:
    names = set(events(2008, kinds="retail")["event"])
    assert "Double 11" not in names and "Double 12" not in names
    assert {"Double 11", "Double 12"} <= set(events(2012, kinds="retail")["event"])


def test_user_can_extend_and_override_the_table() -> None:
    brand_day = RetailEvent("Brand Day", "品牌日", 4, 16, lower_window=-3, upper_window=1)
    longer_618 = dataclasses.replace(
        next(e for e in RETAIL_EVENTS if e.event == "618"), lower_window=-30
    )
    table = [e for e in RETAIL_EVENTS if e.event != "618"] + [longer_618, brand_day]
    ev = events(2026, kinds="retail", retail=table).set_index("event")
    assert ev.loc["Brand Day", "date"] == pd.Timestamp("2026-04-16")
    assert ev.loc["Brand Day", "name_zh"] == "品牌日"
    assert ev.loc["618", "lower_window"] == -30
    # the default table is untouched
    assert events(2026, kinds="retail").set_index("event").loc["618", "lower_window"] == -18


def test_retail_events_for_other_markets_only_when_defined() -> None:
    assert events(2026, market="US", kinds="retail").empty
    black_friday_like = RetailEvent("Singles Day", "光棍节", 11, 11, markets=("us",))
    us = events(2026, market="US", kinds="retail", retail=[*RETAIL_EVENTS, black_friday_like])
    assert us["event"].tolist() == ["Singles Day"]


def test_lunar_day_30_in_a_short_month_is_the_last_day() -> None:
    # 除夕 is lunar 12/30, or 12/29 when the 12th month is short (2025-2029 have no 年三十)
    eve = RetailEvent("Eve sale", "除夕", 12, 30, calendar="lunar")
    assert [d.isoformat() for d in eve.dates(2025)] == ["2025-01-28"]  # a 29-day month
    assert [d.isoformat() for d in eve.dates(2026)] == ["2026-02-16"]
    assert [d.isoformat() for d in eve.dates(2024)] == ["2024-02-09"]  # a 30-day month
    ev = events(2025, kinds="retail", retail=[eve])
    assert ev["date"].tolist() == [pd.Timestamp("2025-01-28")]
    leap_day = RetailEvent("Leap sale", "闰日", 2, 29)
    assert leap_day.dates(2025) == [] and len(leap_day.dates(2024)) == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lower_window": 1}, "lower_window"),
        ({"upper_window": -1}, "upper_window"),
        ({"calendar": "hijri"}, "allowed: gregorian, lunar"),
        ({"month": 13}, "month"),
        ({"month": 4, "day": 31}, "not a Gregorian date"),
        ({"day": 31, "calendar": "lunar"}, "day 1..30"),
    ],
)
def test_bad_retail_events_are_rejected(kwargs: dict[str, object], message: str) -> None:
    base: dict[str, object] = {"event": "X", "name_zh": "X", "month": 1, "day": 1}
    base.update(kwargs)
    with pytest.raises(CalendarError, match=message):
        RetailEvent(**base)  # type: ignore[arg-type]


def test_retail_must_hold_retail_events() -> None:
    with pytest.raises(CalendarError, match="RetailEvent"):
        events(2026, retail=[("618", 6, 18)])  # type: ignore[list-item]
