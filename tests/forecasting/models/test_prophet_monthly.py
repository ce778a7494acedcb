"""Prophet on monthly data (issue 14): yearly seasonality, no weekly, the monthly calendar."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calendars.lunar import lunar_new_year
from forecasting.models.base import SeriesConfig
from forecasting.models.calendar_features import CalendarFeatures
from forecasting.models.prophet import ProphetModel

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "prophet_examples"


def _chinese_monthly(freq: str = "MS", seed: int = 5) -> pd.Series:
    """Monthly sums of daily units with a real Spring Festival: x2 in the 3 weeks before the lunar
    new year, x0.3 in its first week, over a mild yearly season."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2010-01-01", "2023-12-31", freq="D")
    log = np.log(100.0) + 0.1 * np.sin(2 * np.pi * np.asarray(days.day_of_year) / 365.25)
    for year in range(2010, 2025):
        festival = pd.Timestamp(lunar_new_year(year))
        before = (days >= festival - pd.Timedelta(days=21)) & (days < festival)
        after = (days >= festival) & (days < festival + pd.Timedelta(days=7))
        log[before] += np.log(2.0)
        log[after] += np.log(0.3)
    units = pd.Series(np.exp(log + rng.normal(0.0, 0.02, len(days))), index=days)
    return units.resample(freq).sum()


def _fit_predict(
    y: pd.Series, horizon: int, freq: str, calendar: CalendarFeatures | None
) -> tuple[ProphetModel, pd.Series]:
    train, test = y.iloc[:-horizon], y.iloc[-horizon:]
    config = SeriesConfig(model="prophet", freq=freq, calendar=calendar)
    model = ProphetModel().fit(train, config)
    forecast = model.predict(pd.DatetimeIndex(test.index), config).set_index("date")["p50"]
    return model, forecast


@pytest.mark.parametrize("freq", ["MS", "ME"])
def test_the_monthly_calendar_places_the_spring_festival(freq: str) -> None:
    y = _chinese_monthly(freq)
    test = y.iloc[-24:]
    calendar = CalendarFeatures.build(y.index[0], y.index[-1], freq, market="CN")
    with_cal, forecast = _fit_predict(y, 24, freq, calendar)
    _, plain = _fit_predict(y, 24, freq, None)
    assert "holiday:Spring Festival[before]" in with_cal.regressors_
    design = with_cal.model_
    assert design.weekly_order == 0 and design.yearly_order == 6
    jan_feb = pd.DatetimeIndex(test.index).month <= 2
    error_cal = (forecast - test).abs()[jan_feb].mean()
    error_plain = (plain - test).abs()[jan_feb].mean()
    assert error_cal < 0.5 * error_plain
    assert (forecast - test).abs().mean() < (plain - test).abs().mean()


def test_monthly_growth_is_linear_from_two_years() -> None:
    y = _chinese_monthly()
    config = SeriesConfig(model="prophet", freq="MS")
    assert ProphetModel().fit(y.iloc[:24], config).model_.growth == "linear"
    assert ProphetModel().fit(y.iloc[:23], config).model_.growth == "flat"
    short = ProphetModel().fit(y.iloc[:17], config).model_
    assert short.yearly_order == 0  # a year and a half (18 months) for the yearly season


def test_monthly_intervals_widen_by_months_not_weeks() -> None:
    y = _chinese_monthly()
    config = SeriesConfig(model="prophet", freq="MS")
    model = ProphetModel().fit(y.iloc[:-24], config)
    forecast = model.predict(pd.DatetimeIndex(y.index[-24:]), config)
    width = (forecast["p90"] - forecast["p10"]) / forecast["p50"]
    assert model.level_sd_ > 0
    assert width.iloc[-1] > 1.2 * width.iloc[0]  # a year later, wider
    assert width.iloc[-1] < 3.0  # but sized in years of months, not in weeks


@pytest.mark.slow
def test_us_monthly_retail_sales_with_the_us_calendar() -> None:
    """Real data: US monthly retail sales 1992-2016 (Prophet's example, MIT)."""
    path = SHARED / "example_retail_sales.csv"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    raw = pd.read_csv(path, parse_dates=["ds"])
    y = pd.Series(raw["y"].to_numpy(dtype=float), index=pd.DatetimeIndex(raw["ds"], freq="MS"))
    calendar = CalendarFeatures.build(y.index[0], y.index[-1], "MS", market="US")
    assert calendar.describe() == "US: public holidays (holidays package)"
    _, forecast = _fit_predict(y, 24, "MS", calendar)
    test = y.iloc[-24:]
    assert "holiday:Thanksgiving Day[after]" in calendar.features.columns
    mape = float(((forecast - test).abs() / test).mean())
    assert mape < 0.05


def test_both_solvers_agree_on_monthly_data() -> None:
    y = _chinese_monthly()
    calendar = CalendarFeatures.build(y.index[0], y.index[-1], "MS", market="CN")
    config = SeriesConfig(model="prophet", freq="MS", calendar=calendar)
    dates = pd.DatetimeIndex(y.index[-24:])
    forecasts = [
        ProphetModel(solver).fit(y.iloc[:-24], config).predict(dates, config)["p50"].to_numpy()
        for solver in ("map", "stan")
    ]
    assert np.abs(forecasts[0] / forecasts[1] - 1.0).max() < 0.01
