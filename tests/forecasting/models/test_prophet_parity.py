"""Prophet parity (issue 12): the in-process solver (``solver="map"``) fits Prophet's own model.

For each series both solvers fit the same data with the same configuration. The design the ``"map"``
solver builds (scaled time, changepoints, Fourier terms, calendar columns, target scale) must equal
the one Prophet hands to Stan, and its optimum must be at least as good as Stan's: Prophet's log
posterior (:func:`~forecasting.models.prophet.log_posterior`, checked against the ``lp__`` Stan
reports) is evaluated on Prophet's own data at both solutions. Small series, a few seconds in all;
the check with the full market calendar is marked ``slow``.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from forecasting.models import DemandForecaster
from forecasting.models.base import SeriesConfig
from forecasting.models.prophet import ProphetModel, log_posterior, quiet_prophet

DATA = Path(__file__).resolve().parents[2] / "data" / "china_clothing_2_provinces.csv"

#: Spring Festival (lunar new year) of the years in the data.
SPRING_FESTIVALS = ("2008-02-07", "2009-01-26", "2010-02-14", "2011-02-03", "2012-01-23")

#: How much lower than Stan's the in-process optimum's log posterior may be (relative).
TOLERANCE = 1e-6


@cache
def _units() -> pd.Series:
    """Daily units of Province 1, 2008-2011 (the file holds their logs)."""
    raw = pd.read_csv(DATA, parse_dates=["date"]).set_index("date")
    return np.exp(raw["Province_1"]).asfreq("D")


@cache
def _daily_events() -> pd.DataFrame:
    """A small event calendar: the two weeks before the Spring Festival, its first week, National
    Day, plus a column that never varies and a duplicate (both must be left out of the model)."""
    days = pd.date_range("2007-01-01", "2012-12-31", freq="D")
    events = pd.DataFrame(0.0, index=days, columns=["pre_festival", "festival", "national_day"])
    for day in pd.to_datetime(list(SPRING_FESTIVALS)):
        events.loc[day - pd.Timedelta(days=14) : day - pd.Timedelta(days=1), "pre_festival"] = 1.0
        events.loc[day : day + pd.Timedelta(days=6), "festival"] = 1.0
    events.loc[(days.month == 10) & (days.day <= 7), "national_day"] = 1.0
    events["never"] = 0.0
    events["festival_copy"] = events["festival"]
    return events


class EventCalendar:
    """The calendar interface of the Prophet model (``features_for``) over :func:`_daily_events`:
    days per week of each event for weekly data."""

    def __init__(self, freq: str) -> None:
        events = _daily_events()
        self.features = events if freq == "D" else events.resample(freq).sum()

    def features_for(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        return self.features.reindex(pd.DatetimeIndex(dates), fill_value=0.0)


def _weekly() -> pd.Series:
    return _units().resample("W-SUN").sum().loc["2008-01-06":"2011-12-25"]


def _with_gaps(y: pd.Series, gaps: list[tuple[str, str]]) -> pd.Series:
    """``y`` with stock-out periods censored (``NaN``)."""
    y = y.copy()
    for start, end in gaps:
        y.loc[start:end] = np.nan
    return y


def _case(name: str) -> tuple[pd.Series, str, dict[str, Any], str]:
    """Series, frequency, options and the growth Prophet is expected to use."""
    daily, weekly = _units(), _weekly()
    if name == "daily_linear":
        return daily.loc["2010-06-01":"2010-12-31"], "D", {"growth": "linear"}, "linear"
    if name == "daily_flat":
        return daily.loc["2010-01-01":"2010-04-30"], "D", {}, "flat"
    if name == "weekly_linear":
        return weekly.loc[:"2010-12-26"], "W-SUN", {}, "linear"
    if name == "weekly_flat":
        return weekly.iloc[-90:], "W-SUN", {}, "flat"
    if name == "short":
        return weekly.iloc[-30:], "W-SUN", {}, "flat"
    if name == "daily_stockouts":
        gaps = [("2010-05-01", "2010-05-20"), ("2010-09-03", "2010-09-05")]
        y = _with_gaps(daily.loc["2010-03-01":"2010-12-31"], gaps)
        return y, "D", {"growth": "linear"}, "linear"
    if name == "weekly_stockouts":
        gaps = [("2009-03-01", "2009-04-12"), ("2010-08-01", "2010-08-08")]
        return _with_gaps(weekly.loc[:"2010-12-26"], gaps), "W-SUN", {}, "linear"
    raise KeyError(name)


def _stan_data(model: Any) -> dict[str, Any]:
    """The data Prophet gave Stan, rebuilt from the fitted ``prophet.Prophet``."""
    with quiet_prophet():
        X, sigmas, _, _ = model.make_all_seasonality_features(model.history)
    return {
        "t": model.history["t"].to_numpy(),
        "y": model.history["y_scaled"].to_numpy(),
        "t_change": np.asarray(model.changepoints_t),
        "X": X.to_numpy(dtype=float),
        "sigmas": np.asarray(sigmas, dtype=float),
        "tau": model.changepoint_prior_scale,
        "trend_indicator": {"linear": 0, "flat": 2}[model.growth],
    }


def _check_parity(y: pd.Series, config: SeriesConfig, growth: str) -> None:
    fast = ProphetModel(solver="map").fit(y, config)
    stan = ProphetModel(solver="stan").fit(y, config)
    assert (fast.solver_, stan.solver_) == ("map", "stan")
    prophet = stan.model_
    assert prophet.growth == growth
    assert fast.regressors_ == stan.regressors_

    # the same design: scaling, time, changepoints, Fourier terms and calendar columns
    design = fast.model_
    dates = pd.DatetimeIndex(prophet.history["ds"])
    assert dates.equals(pd.DatetimeIndex(design.history["ds"]))
    data = _stan_data(prophet)
    regressors = config.calendar.features_for(dates)[fast.regressors_].to_numpy(dtype=float)
    base, _, X = design.matrices(dates, regressors)
    assert design.y_scale_ == pytest.approx(prophet.y_scale, rel=1e-12)
    np.testing.assert_allclose(base[:, 0], data["t"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(X, data["X"], rtol=0, atol=1e-9)
    if growth == "linear":
        np.testing.assert_allclose(design.changepoints_t_, data["t_change"], rtol=0, atol=1e-12)

    # the objective mirrors Stan's program: at Stan's optimum it is the lp__ Stan reports
    lp_stan = log_posterior(data, prophet.params)
    reported = float(prophet.stan_fit.optimized_params_dict["lp__"])
    assert lp_stan == pytest.approx(reported, rel=1e-6, abs=1e-5)

    # the in-process optimum is no worse than Stan's (changepoints it leaves out are at 0)
    params = design.params
    missing = len(data["t_change"]) - len(params["delta"])
    params["delta"] = np.r_[params["delta"], np.zeros(missing)]
    lp_map = log_posterior(data, params)
    assert lp_map >= lp_stan - TOLERANCE * abs(lp_stan), (lp_map, lp_stan)


@pytest.mark.parametrize(
    "name",
    [
        "daily_linear",
        "daily_flat",
        "weekly_linear",
        "weekly_flat",
        "short",
        "daily_stockouts",
        "weekly_stockouts",
    ],
)
def test_map_solver_reaches_stans_optimum_on_prophets_design(name: str) -> None:
    y, freq, options, growth = _case(name)
    config = SeriesConfig(model="prophet", freq=freq, calendar=EventCalendar(freq), options=options)
    _check_parity(y, config, growth)


@pytest.mark.slow
@pytest.mark.parametrize("freq", ["D", "W-SUN"])
def test_map_solver_reaches_stans_optimum_with_the_market_calendar(freq: str) -> None:
    """Four years of Province 1 with the full CN calendar (about a hundred event columns)."""
    y = _units() if freq == "D" else _weekly()
    sales = pd.DataFrame({"date": y.index, "store": "P1", "units": y.to_numpy()})
    forecaster = DemandForecaster(model="prophet", n_jobs=1, progress=False)
    calendar = forecaster.fit(sales, by="store").config_.calendar
    config = SeriesConfig(model="prophet", freq=freq, calendar=calendar)
    _check_parity(y, config, "linear")


def test_importing_the_model_imports_neither_prophet_nor_cmdstanpy() -> None:
    code = (
        "import sys, forecasting.models.prophet; "
        "print([m for m in ('prophet', 'cmdstanpy') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
