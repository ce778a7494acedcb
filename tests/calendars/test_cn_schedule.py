"""Chinese days off and make-up workdays (调休), table-driven from the State Council's notices.

Sources: 国务院办公厅关于2024年部分节假日安排的通知 (国办发明电〔2023〕7号),
... 2025年 (国办发明电〔2024〕12号) and ... 2026年 (published November 2025).
Each break is written exactly as the notice states it.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from calendars import CalendarError, events, is_workday, workdays


def _days(first: str, last: str) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.date_range(first, last, freq="D")]


# year -> list of (festival, days off, make-up workdays)
NOTICES: dict[int, list[tuple[str, list[str], list[str]]]] = {
    2024: [
        # 元旦：1月1日放假，与周末连休 (2023-12-30 .. 2024-01-01)
        ("New Year's Day", ["2024-01-01"], []),
        # 春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班
        ("Spring Festival", _days("2024-02-10", "2024-02-17"), ["2024-02-04", "2024-02-18"]),
        # 清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班
        ("Tomb-Sweeping Day", _days("2024-04-04", "2024-04-06"), ["2024-04-07"]),
        # 劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班
        ("Labor Day", _days("2024-05-01", "2024-05-05"), ["2024-04-28", "2024-05-11"]),
        # 端午节：6月10日放假，与周末连休
        ("Dragon Boat Festival", _days("2024-06-08", "2024-06-10"), []),
        # 中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班
        ("Mid-Autumn Festival", _days("2024-09-15", "2024-09-17"), ["2024-09-14"]),
        # 国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班
        ("National Day", _days("2024-10-01", "2024-10-07"), ["2024-09-29", "2024-10-12"]),
    ],
    2025: [
        # 元旦：1月1日（周三）放假1天，不调休
        ("New Year's Day", ["2025-01-01"], []),
        # 春节：1月28日（除夕）至2月4日（正月初七）放假调休，共8天。
        # 1月26日（周日）、2月8日（周六）上班
        ("Spring Festival", _days("2025-01-28", "2025-02-04"), ["2025-01-26", "2025-02-08"]),
        # 清明节：4月4日（周五）至6日（周日）放假，共3天
        ("Tomb-Sweeping Day", _days("2025-04-04", "2025-04-06"), []),
        # 劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班
        ("Labor Day", _days("2025-05-01", "2025-05-05"), ["2025-04-27"]),
        # 端午节：5月31日（周六）至6月2日（周一）放假，共3天
        ("Dragon Boat Festival", _days("2025-05-31", "2025-06-02"), []),
        # 国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
        # 9月28日（周日）、10月11日（周六）上班
        ("National Day", _days("2025-10-01", "2025-10-08"), ["2025-09-28", "2025-10-11"]),
    ],
    2026: [
        # 元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班
        ("New Year's Day", _days("2026-01-01", "2026-01-03"), ["2026-01-04"]),
        # 春节：2月15日（腊月二十八）至23日（正月初七）放假调休，共9天。
        # 2月14日（周六）、2月28日（周六）上班
        ("Spring Festival", _days("2026-02-15", "2026-02-23"), ["2026-02-14", "2026-02-28"]),
        # 清明节：4月4日（周六）至6日（周一）放假，共3天
        ("Tomb-Sweeping Day", _days("2026-04-04", "2026-04-06"), []),
        # 劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班
        ("Labor Day", _days("2026-05-01", "2026-05-05"), ["2026-05-09"]),
        # 端午节：6月19日（周五）至21日（周日）放假，共3天
        ("Dragon Boat Festival", _days("2026-06-19", "2026-06-21"), []),
        # 中秋节：9月25日（周五）至27日（周日）放假，共3天
        ("Mid-Autumn Festival", _days("2026-09-25", "2026-09-27"), []),
        # 国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班
        ("National Day", _days("2026-10-01", "2026-10-07"), ["2026-09-20", "2026-10-10"]),
    ],
}


def _frame(year: int, kind: str) -> pd.DataFrame:
    ev = events(year, kinds=[kind])
    return ev.assign(day=ev["date"].dt.strftime("%Y-%m-%d"))


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_days_off_match_the_notice(year: int) -> None:
    expected = {d for _, off, _ in NOTICES[year] for d in off}
    assert set(_frame(year, "holiday")["day"]) == expected


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_make_up_workdays_match_the_notice(year: int) -> None:
    expected = {d for _, _, work in NOTICES[year] for d in work}
    got = _frame(year, "workday")
    assert set(got["day"]) == expected
    assert (got["date"].dt.day_of_week >= 5).all()  # a make-up workday is a Saturday or Sunday
    assert got["confirmed"].all()


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_each_break_and_workday_is_named_by_its_festival(year: int) -> None:
    off = _frame(year, "holiday").groupby("day")["event"].agg(set)
    work = _frame(year, "workday").set_index("day")["event"]
    for festival, days, makeup in NOTICES[year]:
        for day in days:
            names = off[day]
            if year == 2025 and day == "2025-10-06":  # 中秋节 inside the combined 国庆中秋 break
                assert names == {"Mid-Autumn Festival"}
            else:
                assert names == {festival}, (day, names)
        for day in makeup:
            assert work[day] == festival, day


@pytest.mark.parametrize("year", sorted(NOTICES))
def test_is_workday_follows_the_notice(year: int) -> None:
    for _, off, makeup in NOTICES[year]:
        assert not any(is_workday(d) for d in off)
        assert all(is_workday(d) for d in makeup)


def test_examples_from_the_brief() -> None:
    assert is_workday("2025-01-26") and is_workday(dt.date(2025, 2, 8))
    assert not is_workday(pd.Timestamp("2025-01-29"))
    assert not is_workday("2025-03-01")  # an ordinary Saturday
    assert is_workday("2025-03-03")  # an ordinary Monday


@pytest.mark.parametrize(("year", "expected"), [(2024, 251), (2025, 248), (2026, 248)])
def test_number_of_working_days(year: int, expected: int) -> None:
    # weekdays - weekday days off + make-up workdays, from the tables above
    weekdays = pd.bdate_range(f"{year}-01-01", f"{year}-12-31")
    off = {pd.Timestamp(d) for _, days, _ in NOTICES[year] for d in days}
    makeup = sum(len(w) for _, _, w in NOTICES[year])
    assert len(weekdays) - len(off & set(weekdays)) + makeup == expected
    assert len(workdays(f"{year}-01-01", f"{year}-12-31")) == expected


def test_new_year_break_crossing_the_year_end() -> None:
    # 2024 元旦: 2023-12-30 .. 2024-01-01, listed under 2023 and 2024
    ev = events(2023, kinds="holiday")
    tail = ev[ev["date"] >= "2023-12-30"]
    assert tail["event"].tolist() == ["New Year's Day", "New Year's Day"]


def test_stable_names_across_years() -> None:
    ev = events(range(2001, 2027), kinds=["holiday", "workday"])
    allowed = {
        "New Year's Day", "Spring Festival", "Tomb-Sweeping Day", "Labor Day",
        "Dragon Boat Festival", "Mid-Autumn Festival", "National Day", "Victory Day",
    }  # fmt: skip
    assert set(ev["event"]) <= allowed
    per_year = ev[ev["kind"] == "holiday"].groupby(ev["date"].dt.year)["event"].agg(set)
    for year, names in per_year.items():
        assert {"New Year's Day", "Spring Festival", "Labor Day", "National Day"} <= names, year
        if year >= 2008:  # 清明、端午、中秋 became public holidays in 2008
            assert {"Tomb-Sweeping Day", "Dragon Boat Festival", "Mid-Autumn Festival"} <= names
    text = " ".join(ev["event"]) + " ".join(ev["name_zh"])
    assert "substituted" not in text and "observed" not in text and "Eve" not in text
    zh = ev[ev["kind"] == "holiday"].groupby("event")["name_zh"].agg(set)
    assert zh["Spring Festival"] == {"春节"} and zh["National Day"] == {"国庆节"}


def test_agrees_with_lunar_python_holiday_util() -> None:
    """An independent source: lunar-python's HolidayUtil (2002-2026)."""
    from lunar_python.util import HolidayUtil

    to_event = {
        "元旦节": {"New Year's Day"}, "春节": {"Spring Festival"}, "清明节": {"Tomb-Sweeping Day"},
        "劳动节": {"Labor Day"}, "端午节": {"Dragon Boat Festival"}, "抗战胜利日": {"Victory Day"},
        # combined Golden Weeks (2009, 2012, 2015, 2017, 2020, 2023, 2025): either name
        "中秋节": {"Mid-Autumn Festival", "National Day"},
        "国庆节": {"National Day", "Mid-Autumn Festival"},
        "国庆中秋": {"National Day", "Mid-Autumn Festival"},
    }  # fmt: skip
    # HolidayUtil lacks two make-up days of the 2013 notice (清明 4月7日, 国庆 10月12日)
    missing_in_holiday_util = {dt.date(2013, 4, 7), dt.date(2013, 10, 12)}
    ev = events(range(2002, 2027), kinds=["holiday", "workday"])
    ours = {(d.date(), k): set() for d, k in zip(ev["date"], ev["kind"], strict=True)}
    for d, k, e in zip(ev["date"], ev["kind"], ev["event"], strict=True):
        ours[(d.date(), k)].add(e)
    theirs_off, theirs_work = set(), set()
    for year in range(2002, 2027):
        for h in HolidayUtil.getHolidays(year):
            day = dt.date.fromisoformat(h.getDay())
            if h.isWork() and day.weekday() < 5:
                continue  # two ordinary weekdays of 2012 marked 调休 in HolidayUtil
            kind = "workday" if h.isWork() else "holiday"
            (theirs_work if h.isWork() else theirs_off).add(day)
            assert ours.get((day, kind), set()) & to_event[h.getName()], (day, h.getName())
    assert {d for d, k in ours if k == "holiday"} == theirs_off
    assert {d for d, k in ours if k == "workday"} == theirs_work | missing_in_holiday_util


def test_unpublished_years_are_flagged_and_invent_no_workdays() -> None:
    from calendars.public_holidays import cn_confirmed_years

    future = max(cn_confirmed_years()) + 1
    ev = events(future, kinds=["holiday", "workday"])
    assert not ev.empty and not ev["confirmed"].any()
    assert (ev["kind"] == "holiday").all()  # no make-up workdays are guessed
    past = events(1999, kinds=["holiday", "workday"])
    assert not past["confirmed"].any() and (past["kind"] == "holiday").all()
    assert events(2025, kinds="holiday")["confirmed"].all()


def test_other_markets_have_public_holidays_with_stable_names() -> None:
    us = events(range(2015, 2031), market="US")
    assert set(us["kind"]) == {"holiday"}  # no Chinese retail events, no solar terms by default
    assert not us["event"].str.contains(r"\(observed|estimated\)", regex=True).any()
    per_year = us.groupby(us["date"].dt.year)["event"].agg(set)
    assert all("Independence Day" in names and "Thanksgiving Day" in names for names in per_year)
    assert not is_workday("2026-07-03", market="us")  # Independence Day observed on Friday
    assert is_workday("2026-07-06", market="US")
    assert len(events(2026, market="DE", kinds="solar_term")) == 24  # on request


def test_market_codes_are_case_insensitive_and_accept_alpha3() -> None:
    pd.testing.assert_frame_equal(events(2025, market="chn"), events(2025, market="CN"))
    assert is_workday("2025-01-26", market="CHN")


def test_other_markets_list_only_the_working_weekends_holidays_lists() -> None:
    # Russia 2024: Saturdays 04-27, 11-02 and 12-28 are working days; the weekend of 01-06/07
    # moved to other dates but stays inside the New Year holidays, so it is not a workday
    ru = events(2024, market="RU", kinds="workday")
    assert ru["date"].dt.strftime("%m-%d").tolist() == ["04-27", "11-02", "12-28"]
    assert not is_workday("2024-01-06", market="RU") and is_workday("2024-11-02", market="RU")
    kr = events(2024, market="KR", kinds="holiday")
    assert not kr["event"].str.startswith("Alternative holiday").any()


@pytest.mark.parametrize("market", ["XX", "China", "", 86])
def test_unknown_market_names_the_allowed_codes(market: object) -> None:
    with pytest.raises(CalendarError, match="market") as info:
        events(2026, market=market)  # type: ignore[arg-type]
    if isinstance(market, str):
        assert "CN" in str(info.value) and "US" in str(info.value)
    with pytest.raises(CalendarError):
        is_workday("2026-01-05", market=market)  # type: ignore[arg-type]


@pytest.mark.parametrize("market", ["CN", "US"])
def test_public_holidays_cover_the_whole_supported_range(market: str) -> None:
    from calendars import MAX_YEAR

    last = events(MAX_YEAR, market=market, kinds="holiday")
    assert {"New Year's Day", "National Day" if market == "CN" else "Christmas Day"} <= set(
        last["event"]
    )
