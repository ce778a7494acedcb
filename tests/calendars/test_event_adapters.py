"""The Prophet holidays frame and the weekly event features."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars import CalendarError, events, prophet_holidays, weekly_event_features


def test_prophet_frame_shape_and_names() -> None:
    frame = prophet_holidays([2025, 2026])
    assert list(frame.columns) == ["holiday", "ds", "lower_window", "upper_window"]
    ev = events([2025, 2026])
    assert len(frame) == len(ev)
    assert str(frame["ds"].dtype) == "datetime64[ns]"
    assert (frame["lower_window"] <= 0).all() and (frame["upper_window"] >= 0).all()
    names = set(frame["holiday"])
    assert {
        "holiday:Spring Festival",
        "workday:Spring Festival",
        "retail:618",
        "solar_term:白露",
    } <= names
    # a make-up workday never shares a name with the day off it pays for
    assert (
        not frame[frame["holiday"].str.startswith("workday:")]["holiday"]
        .isin(frame[frame["holiday"].str.startswith("holiday:")]["holiday"])
        .any()
    )


def test_prophet_accepts_the_frame() -> None:
    prophet = pytest.importorskip("prophet")
    frame = prophet_holidays(range(2020, 2027), kinds=["holiday", "workday", "retail"])
    model = prophet.Prophet(holidays=frame)  # validates names and windows on construction
    assert model.holidays is not None and len(model.holidays) == len(frame)


def test_weekly_features_by_hand() -> None:
    weeks = pd.date_range("2025-01-03", "2025-02-28", freq="W-FRI")
    feats = weekly_event_features(weeks, kinds=["holiday", "workday", "retail"])
    assert feats.index.equals(weeks.rename("date"))
    assert (feats.dtypes == np.float64).all()
    assert list(feats.columns) == sorted(feats.columns)
    sf = feats["holiday:Spring Festival"]
    # break 2025-01-28 .. 02-04: Tue-Fri in the week ending 01-31, Sat-Tue in the week ending 02-07
    assert sf.loc["2025-01-31"] == 4.0 and sf.loc["2025-02-07"] == 4.0 and sf.sum() == 8.0
    work = feats["workday:Spring Festival"]
    assert work.loc["2025-01-31"] == 1.0 and work.loc["2025-02-14"] == 1.0 and work.sum() == 2.0
    # 年货节 window: 2025-01-01 .. 01-22 (22 days)
    goods = feats["retail:New-Year Goods Festival"]
    assert goods.loc["2025-01-03"] == 3.0 and goods.loc["2025-01-24"] == 5.0
    assert goods.sum() == 22.0


def test_label_start() -> None:
    weeks = pd.date_range("2025-01-27", periods=2, freq="W-MON")
    feats = weekly_event_features(weeks, kinds="holiday", label="start")
    # weeks Mon 01-27..Sun 02-02 (6 days of the break) and Mon 02-03..Sun 02-09 (2 days)
    assert feats["holiday:Spring Festival"].tolist() == [6.0, 2.0]


def _daily_indicator(days: pd.DatetimeIndex, ev: pd.DataFrame, name: str) -> pd.Series:
    covered: set[pd.Timestamp] = set()
    for row in ev[(ev["kind"] + ":" + ev["event"]) == name].itertuples():
        for k in range(row.lower_window, row.upper_window + 1):
            covered.add(row.date + pd.Timedelta(days=k))
    return pd.Series([d in covered for d in days], index=days, dtype=float)


@settings(max_examples=15, deadline=None)
@given(
    start=st.dates(
        min_value=pd.Timestamp("2010-01-01").date(), max_value=pd.Timestamp("2030-06-01").date()
    ),
    n_weeks=st.integers(min_value=1, max_value=30),
)
def test_weekly_features_equal_summed_daily_indicators(start: object, n_weeks: int) -> None:
    weeks = pd.date_range(start, periods=n_weeks, freq="7D")
    feats = weekly_event_features(weeks, kinds=["holiday", "retail"])
    days = pd.date_range(weeks[0] - pd.Timedelta(days=6), weeks[-1], freq="D")
    ev = events(range(days[0].year - 1, days[-1].year + 2), kinds=["holiday", "retail"])
    for name in [
        "holiday:Spring Festival",
        "holiday:National Day",
        "retail:Double 11",
        "retail:618",
    ]:
        daily = _daily_indicator(days, ev, name)
        weekly = daily.rolling(7).sum().reindex(weeks)
        assert np.allclose(feats[name].to_numpy(), weekly.to_numpy()), name


def test_columns_are_stable_for_alignment() -> None:
    train = weekly_event_features(pd.date_range("2024-01-05", periods=52, freq="W-FRI"))
    future = weekly_event_features(pd.date_range("2025-01-03", periods=8, freq="W-FRI"))
    aligned = future.reindex(columns=train.columns, fill_value=0.0)
    assert aligned.shape == (8, train.shape[1])
    assert aligned["holiday:Spring Festival"].sum() == 8.0


def test_weekly_features_accept_plain_lists_and_unsorted_labels() -> None:
    feats = weekly_event_features(["2025-10-10", "2025-10-03"], kinds="holiday")
    assert feats.loc["2025-10-03", "holiday:National Day"] == 3.0
    assert feats.loc["2025-10-10", "holiday:National Day"] == 4.0  # 10-04, 05, 07, 08
    assert feats.loc["2025-10-10", "holiday:Mid-Autumn Festival"] == 1.0
    assert weekly_event_features([], kinds="holiday").empty


def test_weekly_features_bad_input() -> None:
    with pytest.raises(CalendarError, match="label"):
        weekly_event_features(["2025-01-03"], label="middle")
    with pytest.raises(CalendarError, match="dates"):
        weekly_event_features(["not a date"])
    with pytest.raises(CalendarError, match="market"):
        weekly_event_features(["2025-01-03"], market="XX")


def test_weekly_features_outside_the_supported_years() -> None:
    with pytest.raises(CalendarError, match=r"1900\.\.2100"):
        weekly_event_features(["1700-01-08"])
    edge = weekly_event_features(["1900-01-07", "2100-12-31"], kinds="holiday")
    assert list(edge.index.year) == [1900, 2100]
