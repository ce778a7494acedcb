"""Model adapters of calendars: holiday frames with windows, day and week features, lunar dates."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import calendars
from calendars import (
    HOLIDAY_WINDOWS,
    CalendarError,
    events,
    holiday_day_features,
    holiday_frame,
    holiday_week_features,
    model_features,
    prophet_holidays,
    weekly_event_features,
)
from calendars.adapters import DEFAULT_HOLIDAY_WINDOW, SOLAR_TERM_WINDOW
from calendars.lunar import lunar_new_year, lunar_to_solar

MODEL_KINDS = ["holiday", "workday", "retail"]


def test_lunar_new_year_known_dates() -> None:
    known = {
        2008: dt.date(2008, 2, 7),
        2020: dt.date(2020, 1, 25),
        2021: dt.date(2021, 2, 12),
        2024: dt.date(2024, 2, 10),
        2025: dt.date(2025, 1, 29),
        2026: dt.date(2026, 2, 17),
    }
    assert {year: lunar_new_year(year) for year in known} == known


def test_lunar_day_missing_in_a_short_month_is_its_last_day() -> None:
    # the 12th month of lunar 2024 has 29 days: 除夕 is its 29th, the day before the new year
    assert lunar_to_solar(2024, 12, 30) == lunar_to_solar(2024, 12, 29) == dt.date(2025, 1, 28)
    assert lunar_to_solar(2024, 12, 30) + dt.timedelta(days=1) == lunar_new_year(2025)


def test_retail_lunar_events_use_the_lunar_calendar() -> None:
    retail = events(2025, kinds="retail").set_index("event")["date"]
    assert retail["Qixi"] == pd.Timestamp("2025-08-29")
    assert retail["New-Year Goods Festival"] == pd.Timestamp(lunar_new_year(2025)) - pd.Timedelta(
        days=7
    )


def test_holiday_windows_are_read_only() -> None:
    assert HOLIDAY_WINDOWS["Spring Festival"] == (-28, 21)
    assert all(lo <= 0 <= up for lo, up in HOLIDAY_WINDOWS.values())
    with pytest.raises(TypeError):
        HOLIDAY_WINDOWS["Spring Festival"] = (0, 0)  # type: ignore[index]


def test_events_windows_are_prophet_holidays() -> None:
    ev = events([2025, 2026])
    pd.testing.assert_frame_equal(holiday_frame(ev), prophet_holidays([2025, 2026]))
    pd.testing.assert_frame_equal(
        holiday_frame(ev, windows="model"), prophet_holidays([2025, 2026], windows="model")
    )


def test_model_windows_anchor_the_spring_festival_on_the_lunar_new_year() -> None:
    frame = prophet_holidays(range(2008, 2031), kinds="holiday", windows="model")
    spring = frame[frame["holiday"] == "holiday:Spring Festival"]
    assert spring["ds"].tolist() == [pd.Timestamp(lunar_new_year(y)) for y in range(2008, 2031)]
    pre, post = HOLIDAY_WINDOWS["Spring Festival"]
    assert (spring["lower_window"] <= pre).all()
    assert (spring["upper_window"] >= post).all()
    # one event per break, not per day off
    ev = events(range(2008, 2031), kinds="holiday")
    assert len(spring) < (ev["event"] == "Spring Festival").sum() / 3


def test_model_windows_cover_each_break() -> None:
    ev = events(range(2010, 2027), kinds="holiday")
    frame = holiday_frame(ev, windows="model")
    for kind_event, group in ev.groupby(ev["kind"] + ":" + ev["event"]):
        rows = frame[frame["holiday"] == kind_event]
        covered = set()
        for row in rows.itertuples():
            lo, up = row.lower_window, row.upper_window
            covered |= {row.ds + pd.Timedelta(days=k) for k in range(lo, up + 1)}
        assert set(group["date"]) <= covered, kind_event
        event = kind_event.split(":", 1)[1]
        pre, post = HOLIDAY_WINDOWS.get(event, DEFAULT_HOLIDAY_WINDOW)
        assert (rows["lower_window"] <= pre).all() and (rows["upper_window"] >= post).all()


def test_model_windows_of_workdays_retail_and_solar_terms() -> None:
    ev = events(2025)
    frame = holiday_frame(ev, windows="model")
    work = frame[frame["holiday"].str.startswith("workday:")]
    assert set(work["holiday"]) == {"workday:make-up workday"}
    assert work["ds"].tolist() == ev.loc[ev["kind"] == "workday", "date"].tolist()
    assert (work[["lower_window", "upper_window"]] == 0).all().all()
    retail = frame[frame["holiday"] == "retail:618"]
    assert retail[["lower_window", "upper_window"]].values.tolist() == [[-18, 2]]
    terms = frame[frame["holiday"].str.startswith("solar_term:")]
    assert len(terms) == 24
    assert set(terms["lower_window"]) == {SOLAR_TERM_WINDOW[0]}
    assert set(terms["upper_window"]) == {SOLAR_TERM_WINDOW[1]}
    assert frame["ds"].is_monotonic_increasing
    assert str(frame["ds"].dtype) == "datetime64[ns]"


def test_model_frame_of_no_events_is_empty() -> None:
    empty = pd.DataFrame(columns=["date", "event", "kind", "lower_window", "upper_window"])
    frame = holiday_frame(empty, windows="model")
    assert list(frame.columns) == ["holiday", "ds", "lower_window", "upper_window"]
    assert frame.empty and str(frame["ds"].dtype) == "datetime64[ns]"


def test_unknown_windows() -> None:
    with pytest.raises(CalendarError, match="windows"):
        prophet_holidays(2025, windows="wide")


def test_prophet_accepts_the_model_frame() -> None:
    prophet = pytest.importorskip("prophet")
    frame = prophet_holidays(range(2020, 2027), kinds=MODEL_KINDS, windows="model")
    model = prophet.Prophet(holidays=frame)
    assert model.holidays is not None and len(model.holidays) == len(frame)


def _day_coverage(daily: pd.DataFrame, holiday: str) -> pd.Series:
    columns = [c for c in daily.columns if c.startswith(f"{holiday}[")]
    return daily[columns].sum(axis=1)


def test_day_features_mark_each_window_day() -> None:
    frame = prophet_holidays(range(2010, 2013), kinds=MODEL_KINDS, windows="model")
    days = pd.date_range("2011-01-01", "2011-12-31")
    daily = holiday_day_features(frame, days)
    assert daily.index.equals(days) and (daily.dtypes == np.float64).all()
    spring = frame[frame["holiday"] == "holiday:Spring Festival"]
    first = spring[spring["ds"].dt.year == 2011].iloc[0]
    for offset in (int(first["lower_window"]), 0, int(first["upper_window"])):
        column = f"holiday:Spring Festival[{offset:+d}]"
        inside = spring[(spring["lower_window"] <= offset) & (spring["upper_window"] >= offset)]
        marked = (inside["ds"] + pd.Timedelta(days=offset)).loc[lambda d: d.isin(days)]
        assert daily.index[daily[column] == 1.0].equals(pd.DatetimeIndex(marked))
        assert daily.loc[first["ds"] + pd.Timedelta(days=offset), column] == 1.0
    # one window day per day at most: the windows of one holiday never overlap across years
    assert _day_coverage(daily, "holiday:Spring Festival").max() == 1.0


@pytest.mark.parametrize("freq", ["W-SUN", "W-FRI"])
def test_week_features_are_the_daily_windows_summed_per_week(freq: str) -> None:
    frame = prophet_holidays(range(2009, 2014), kinds="holiday", windows="model")
    weeks = pd.date_range("2010-01-01", "2012-12-31", freq=freq)
    weekly = holiday_week_features(frame, weeks)
    assert list(weekly.columns) == sorted(weekly.columns)
    days = pd.date_range(weeks[0] - pd.Timedelta(days=6), weeks[-1])
    daily = holiday_day_features(frame, days)
    for holiday in ("holiday:Spring Festival", "holiday:National Day", "holiday:Labor Day"):
        blocks = [c for c in weekly.columns if c.startswith(f"{holiday}[w")]
        by_week = _day_coverage(daily, holiday).rolling(7).sum().reindex(weeks)
        assert np.allclose(weekly[blocks].sum(axis=1).to_numpy(), by_week.to_numpy()), holiday


def test_model_features_daily_and_weekly() -> None:
    frame = prophet_holidays(range(2010, 2014), kinds=MODEL_KINDS, windows="model")
    days = pd.date_range("2011-01-01", "2012-12-31")
    pd.testing.assert_frame_equal(
        model_features(frame, days, "D"), holiday_day_features(frame, days)
    )
    weeks = pd.date_range("2011-01-07", "2012-12-28", freq="W-FRI")
    weekly = model_features(frame, weeks, "W-FRI")
    expected = pd.concat(
        [
            holiday_week_features(frame, weeks),
            weekly_event_features(weeks, kinds=["workday", "retail"]).set_axis(weeks),
        ],
        axis=1,
    )
    pd.testing.assert_frame_equal(weekly, expected)
    # the kinds default to those named in the frame
    pd.testing.assert_frame_equal(weekly, model_features(frame, weeks, "W-FRI", "CN", MODEL_KINDS))
    only_holidays = model_features(frame, weeks, "W-FRI", kinds=["holiday"])
    pd.testing.assert_frame_equal(only_holidays, holiday_week_features(frame, weeks))


def test_calendars_import_nothing_of_forecasting() -> None:
    code = (
        "import sys, calendars\n"
        "calendars.model_features(calendars.prophet_holidays(2025, windows='model'),"
        " calendars.events(2025)['date'].head(3), 'W-SUN')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'forecasting'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert calendars.__name__ == "calendars"
