"""Surge detection: planted surges after known solar terms are recovered, anchors are consistent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calendars import solar_terms
from forecasting.exceptions import DataValidationError
from forecasting.timing.anchors import assign_anchors
from forecasting.timing.surges import detect_surges, surge_profile

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "china_clothing"
YEARS = range(2008, 2012)
# lags (days after the solar term) of the planted onsets, one per year
PLANTED = {
    "惊蛰": [10, 12, 9, 11],
    "白露": [2, 4, 3, 5],
    "立冬": [6, 4, 8, 5],
}


def _term_dates() -> dict[tuple[str, int], pd.Timestamp]:
    terms = solar_terms(list(YEARS))
    return {(r.name, r.year): pd.Timestamp(r.date) for r in terms.itertuples()}


def planted_sales(seed: int, *, lift: float = 2.0, rise: int = 21, noise: float = 0.05):
    """Daily units: flat 100/day, a weekday cycle, log-normal noise, single-day x3 spikes, and
    surges
    that rise log-linearly for ``rise`` days from a known onset and fall back over 20 days."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2008-01-01", "2011-12-31", freq="D")
    log_units = np.full(len(dates), np.log(100.0))
    terms = _term_dates()
    onsets = []
    for name, lags in PLANTED.items():
        for year, lag in zip(YEARS, lags, strict=True):
            onset = terms[(name, year)] + pd.Timedelta(days=lag)
            t = (dates - onset).days.to_numpy()
            log_units += np.log(lift) * (np.clip(t / rise, 0, 1) - np.clip((t - rise) / 20, 0, 1))
            onsets.append((name, year, onset))
    log_units += np.log([1.0, 0.95, 0.95, 1.0, 1.15, 1.6, 1.5])[dates.day_of_week]
    log_units += rng.normal(0, noise, len(dates))
    log_units[rng.choice(len(dates), 12, replace=False)] += np.log(3.0)
    return pd.DataFrame({"date": dates, "units": np.round(np.exp(log_units))}), onsets


def _match(found: pd.DataFrame, onset: pd.Timestamp) -> pd.Series:
    near = found[(found["onset"] - onset).abs() <= pd.Timedelta(days=20)]
    assert len(near) == 1, f"expected one surge near {onset.date()}, got {near.to_dict('records')}"
    return near.iloc[0]


@pytest.mark.parametrize("seed", [0, 1])
def test_planted_daily_surges_recovered_within_two_days(seed: int) -> None:
    sales, onsets = planted_sales(seed)
    found = detect_surges(sales)
    assert len(found) == len(onsets)  # no spurious surges from spikes or the weekday cycle
    for name, year, onset in onsets:
        row = _match(found, onset)
        assert abs((row["onset"] - onset).days) <= 2, (name, year, row["onset"], onset)
        assert row["anchor"] == name
        assert row["anchor_kind"] == "solar_term"
        assert row["year"] == year
        assert 1.6 < row["lift"] < 2.4


def test_planted_weekly_surges_recovered_within_a_week() -> None:
    sales, onsets = planted_sales(0)
    weekly = sales.set_index("date")["units"].resample("W-SUN").sum().reset_index()
    weekly = weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] < "2011-12-31")]
    found = detect_surges(weekly)
    errors = [(_match(found, onset)["onset"] - onset).days for _, _, onset in onsets]
    assert max(abs(e) for e in errors) <= 7, errors
    assert set(found["anchor"]) == set(PLANTED)


def test_profile_aggregates_lag_per_anchor() -> None:
    sales, _ = planted_sales(0)
    profile = surge_profile(detect_surges(sales)).set_index("anchor")
    assert set(profile.index) == set(PLANTED)
    bailu = profile.loc["白露"]
    assert bailu["n_years"] == 4 and bailu["years"] == "2008-2011"
    assert 1 <= bailu["lag_median"] <= 6
    assert bailu["lag_min"] <= bailu["lag_median"] <= bailu["lag_max"]
    assert bailu["wave"] == "autumn (白露)"
    assert bailu["summary"].startswith("autumn (白露): 白露 +")


def test_by_groups_are_detected_separately() -> None:
    a, onsets = planted_sales(0)
    b, _ = planted_sales(1)
    sales = pd.concat([a.assign(category="coats"), b.assign(category="shirts")], ignore_index=True)
    found = detect_surges(sales, by="category")
    assert list(found.columns[:2]) == ["category", "year"]
    assert found.groupby("category").size().to_dict() == {
        "coats": len(onsets),
        "shirts": len(onsets),
    }


def test_spring_festival_rush_anchors_to_the_holiday_with_negative_lag() -> None:
    # onsets 20 days before 春节 (the lunar new year; its break begins a day earlier, on 除夕)
    from calendars import events
    from calendars.lunar import lunar_new_year

    ev = events(range(2008, 2012))
    holiday = ev[(ev["event"] == "Spring Festival") & (ev["kind"] == "holiday")]
    first = holiday.groupby(holiday["date"].dt.year)["date"].min().loc[[2009, 2010, 2011]]
    chunjie = pd.to_datetime([lunar_new_year(y) for y in (2009, 2010, 2011)])
    assert ((chunjie - pd.DatetimeIndex(first)).days == 1).all()  # the break begins on 除夕
    surges = pd.DataFrame(
        {
            "onset": chunjie - pd.Timedelta(days=20),
            "peak": chunjie - pd.Timedelta(days=3),
            "lift": [1.8, 1.7, 1.9],
        }
    )
    out = assign_anchors(surges, ev)
    assert out["anchor"].tolist() == ["Spring Festival"] * 3
    assert out["lag_days"].tolist() == [-20, -20, -20]
    assert out["anchor_date"].tolist() == chunjie.tolist()


def test_wave_names_never_take_the_make_up_workday_label() -> None:
    # 2012: the Spring Festival's make-up workday (01-21) comes before its break; the Mid-Autumn
    # Festival's (09-29) before the 中秋 / 国庆 break
    from calendars import event_names, events

    ev = events(range(2011, 2014))
    workday_labels = set(ev.loc[ev["kind"] == "workday", "name_zh"])
    assert "春节调休上班" in workday_labels
    names = event_names(ev)
    assert names["Spring Festival"] == "春节"
    assert names["Mid-Autumn Festival"] == "中秋节"
    assert not set(names.values()) & workday_labels


def test_short_history_is_rejected() -> None:
    sales = pd.DataFrame({"date": pd.date_range("2011-01-01", periods=200), "units": 5.0})
    with pytest.raises(DataValidationError, match="full year"):
        detect_surges(sales)


def test_missing_by_column_is_rejected() -> None:
    sales, _ = planted_sales(0)
    with pytest.raises(DataValidationError, match="region"):
        detect_surges(sales, by="region")


@pytest.mark.slow
def test_real_clothing_sales_show_the_seasonal_waves() -> None:
    path = DATA / "clothing_log_daily_2008_2011.csv"
    if not path.exists():
        pytest.skip("shared data not available")
    wide = pd.read_csv(path, parse_dates=["date"]).set_index("date")
    sales = pd.DataFrame({"date": wide.index, "units": np.exp(wide).sum(axis=1).to_numpy()})
    profile = surge_profile(detect_surges(sales)).set_index("anchor")
    sf = profile.loc["Spring Festival"]
    assert sf["n_years"] == 4 and -30 <= sf["lag_median"] <= -10  # the pre-holiday rush
    autumn = profile[profile["wave"].str.startswith("autumn")]
    assert autumn["n_years"].max() == 4
