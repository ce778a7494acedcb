"""The day each festival celebrates (春节, not 除夕); event labels from the festival's own rows."""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import event_names, events, festival_date
from calendars.lunar import lunar_new_year


@pytest.mark.parametrize("year", range(2008, 2027))
def test_spring_festival_is_the_lunar_new_year_inside_its_break(year: int) -> None:
    day = festival_date("Spring Festival", year)
    assert day == lunar_new_year(year)
    ev = events(year, kinds=["holiday"])
    days = set(ev.loc[ev["event"] == "Spring Festival", "date"].dt.date)
    assert day in days


def test_the_2012_break_begins_on_chuxi_and_the_festival_is_the_day_after() -> None:
    ev = events(2012, kinds=["holiday"])
    first = ev.loc[ev["event"] == "Spring Festival", "date"].min().date()
    assert first == dt.date(2012, 1, 22)  # 除夕
    assert festival_date("Spring Festival", 2012) == dt.date(2012, 1, 23)  # 春节


def test_fixed_and_lunar_festivals_and_other_events() -> None:
    assert festival_date("National Day", 2012) == dt.date(2012, 10, 1)
    assert festival_date("Dragon Boat Festival", 2025) == dt.date(2025, 5, 31)
    assert festival_date("Mid-Autumn Festival", 2025) == dt.date(2025, 10, 6)
    assert festival_date("Double 11", 2025) is None
    assert festival_date("白露", 2025) is None


@pytest.mark.parametrize("year", [2012, 2020, 2025])
def test_event_names_never_take_a_make_up_workday_label(year: int) -> None:
    ev = events(range(year - 1, year + 2))
    names = event_names(ev)
    assert names["Spring Festival"] == "春节"
    assert names["Mid-Autumn Festival"] == "中秋节"
    assert names["National Day"] == "国庆节"
    assert not any(label.endswith("调休上班") for label in names.values())
    assert event_names(ev, "pinyin")["Spring Festival"] == "Chūnjié"
