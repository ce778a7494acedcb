"""Monthly calendar features, and the public holidays of markets other than China (issue 14)."""

from __future__ import annotations

import pandas as pd
import pytest

import calendars
from calendars import (
    CalendarError,
    model_features,
    monthly_event_features,
    prophet_holidays,
)
from calendars.lunar import lunar_new_year

KINDS = ["holiday", "workday", "retail"]


def _monthly(years: range, freq: str = "MS", kinds: list[str] | None = None) -> pd.DataFrame:
    hol = prophet_holidays(
        range(years.start - 1, years.stop + 1), kinds=kinds or KINDS, windows="model"
    )
    months = pd.date_range(f"{years.start}-01-01", f"{years.stop - 1}-12-31", freq=freq)
    return model_features(hol, months, freq)


def test_the_spring_festival_moves_between_january_and_february() -> None:
    feats = _monthly(range(2012, 2024))
    before = feats["holiday:Spring Festival[before]"]
    after = feats["holiday:Spring Festival[after]"]
    for year in range(2013, 2024):  # (the build-up of 2012 starts in December 2011)
        festival = pd.Timestamp(lunar_new_year(year))
        jan, feb = pd.Timestamp(f"{year}-01-01"), pd.Timestamp(f"{year}-02-01")
        # the build-up (4 weeks before) and the break (+3 weeks after) are shared out by date
        assert before[jan] + before[feb] + before[pd.Timestamp(f"{year - 1}-12-01")] == (
            pytest.approx(1.0)
        )
        if festival.month == 2 and festival.day >= 10:  # late: the whole build-up in January
            assert before[jan] > 0.3
            assert after[jan] == 0.0
        if festival.month == 1 and festival.day <= 26:  # early: the break starts in January
            assert after[jan] > 0.1
    # 2020 (festival Jan 25) against 2021 (Feb 12): the same month, opposite sides
    assert after["2020-01-01"] > after["2021-01-01"]
    assert before["2021-02-01"] > before["2020-02-01"] == 0.0
    assert before["2019-12-01"] > 0.0  # 2020's build-up starts in December
    assert after["2021-03-01"] > after["2020-03-01"] == 0.0  # 2021's trough reaches March


def test_days_off_and_make_up_workdays_per_month() -> None:
    feats = _monthly(range(2020, 2022))
    days_off = feats["holiday:days off"]
    assert days_off["2020-01-01"] == 9.0  # New Year's Day + Jan 24-31 (the 2020 extension)
    assert days_off["2021-02-01"] == 7.0
    assert days_off["2021-10-01"] == 7.0
    workdays = feats["workday:make-up workdays"]
    assert workdays["2021-02-01"] == 2.0  # Feb 7 and Feb 20
    assert workdays["2021-09-01"] == 2.0  # Sep 18 and Sep 26


def test_month_start_and_month_end_labels_mean_the_same_months() -> None:
    starts = _monthly(range(2018, 2021), "MS")
    ends = _monthly(range(2018, 2021), "ME")
    assert list(starts.columns) == list(ends.columns)
    assert (starts.to_numpy() == ends.to_numpy()).all()


def test_fixed_date_events_are_left_to_the_yearly_seasonality() -> None:
    feats = _monthly(range(2015, 2020))
    assert "retail:Double 11" not in feats.columns  # always in November
    assert "retail:618" not in feats.columns
    assert "retail:Qixi" in feats.columns  # lunar: July or August
    assert "retail:New-Year Goods Festival" in feats.columns


def test_monthly_columns_do_not_depend_on_the_months_asked() -> None:
    hol = prophet_holidays(range(2014, 2021), kinds=KINDS, windows="model")
    every = model_features(hol, pd.date_range("2015-01-01", "2019-12-01", freq="MS"), "MS")
    some = model_features(hol, pd.DatetimeIndex(["2019-01-01", "2019-02-01"]), "MS")
    assert list(some.columns) == list(every.columns)
    pd.testing.assert_frame_equal(some, every.loc[some.index], check_freq=False)


def test_bad_month_labels_raise() -> None:
    hol = prophet_holidays(2020, kinds="holiday", windows="model")
    with pytest.raises(CalendarError, match="missing month labels"):
        monthly_event_features(hol, pd.DatetimeIndex(["2020-01-01", None]))


@pytest.mark.parametrize(
    ("market", "must"),
    [
        ("US", {"Thanksgiving Day", "Christmas Day", "Independence Day", "Labor Day"}),
        ("EC", {"Carnival", "Good Friday", "Christmas Day"}),
        ("AU", {"Australia Day", "ANZAC Day", "Boxing Day"}),
        ("DE", {"German Unity Day", "Easter Monday", "Christmas Day"}),
        ("GB", {"Good Friday", "Boxing Day", "Christmas Day"}),
    ],
)
def test_other_markets_have_their_public_holidays_with_windows(market: str, must: set[str]) -> None:
    ev = calendars.events(range(2019, 2026), market=market, kinds=KINDS)
    assert set(ev["kind"]) == {"holiday"}  # no make-up workdays, no (Chinese) retail events
    assert must <= set(ev["event"])
    assert not ev["event"].str.contains(r"\(observed|\(estimated", regex=True).any()
    frame = prophet_holidays(range(2019, 2026), market=market, kinds=KINDS, windows="model")
    assert (frame["lower_window"] <= -3).all() and (frame["upper_window"] >= 2).all()
    christmas = frame[frame["holiday"] == "holiday:Christmas Day"]
    assert (christmas["lower_window"] == -21).all()


def test_us_thanksgiving_reaches_cyber_monday() -> None:
    frame = prophet_holidays(2025, market="US", kinds="holiday", windows="model")
    row = frame[frame["holiday"] == "holiday:Thanksgiving Day"].iloc[0]
    assert row["ds"] == pd.Timestamp("2025-11-27")
    assert (row["lower_window"], row["upper_window"]) == (-3, 4)  # through Monday, Dec 1


def test_us_monthly_features_keep_thanksgiving_moving_into_december() -> None:
    hol = prophet_holidays(range(2014, 2026), market="US", kinds=KINDS, windows="model")
    months = pd.date_range("2015-01-01", "2024-12-01", freq="MS")
    feats = model_features(hol, months, "MS", market="US", kinds=["holiday"])
    after = feats["holiday:Thanksgiving Day[after]"]
    assert after["2024-12-01"] > 0 and after["2018-12-01"] == 0  # Nov 28, 2024 vs Nov 22, 2018
    assert "holiday:Christmas Day[before]" not in feats.columns  # the same days every year


def test_market_code_reads_alpha3_and_rejects_unknown() -> None:
    assert calendars.market_code("deu") == "DE"
    with pytest.raises(CalendarError, match="unknown market 'XX'"):
        calendars.market_code("XX")
