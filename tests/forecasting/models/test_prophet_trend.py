"""How Prophet's trend goes on beyond the history (issue 14): its last slope, or the level reached.

With the Chinese calendar on daily data the default holds the level (chosen on China clothing's
validation years 2009-2010); everywhere else it keeps Prophet's own forecast, the last slope.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.models.base import SeriesConfig
from forecasting.models.calendar_features import CalendarFeatures
from forecasting.models.prophet import TREND_EXTRAPOLATIONS, ProphetModel

HISTORY = pd.date_range("2021-01-01", "2022-12-31", freq="D")
FUTURE = pd.date_range("2023-01-01", periods=180, freq="D")


def _growing() -> pd.Series:
    """Two years of daily units growing by ~40 % a year, with a weekend lift and a little noise."""
    rng = np.random.default_rng(3)
    t = np.arange(len(HISTORY)) / 365.25
    log = np.log(200.0) + 0.35 * t + 0.2 * (HISTORY.day_of_week >= 5)
    return pd.Series(np.exp(log + rng.normal(0.0, 0.03, len(t))), index=HISTORY)


def _calendar(market: str | None) -> CalendarFeatures:
    return CalendarFeatures.build(HISTORY[0], FUTURE[-1], "D", market=market)


def _p50(model: ProphetModel, config: SeriesConfig) -> np.ndarray:
    y = _growing()
    fitted = model.fit(y, config)
    return fitted.predict(FUTURE, config)["p50"].to_numpy()


def _growth_per_year(p50: np.ndarray) -> float:
    """Log growth between the first and the last four weeks of the forecast, per year."""
    first, last = np.log(p50[:28]).mean(), np.log(p50[-28:]).mean()
    return float((last - first) / ((len(p50) - 28) / 365.25))


def test_the_chinese_calendar_holds_the_level_on_daily_data() -> None:
    config = SeriesConfig(model="prophet", freq="D", calendar=_calendar("CN"))
    model = ProphetModel()
    p50 = _p50(model, config)
    assert model.trend_extrapolation_ == "level"
    assert abs(_growth_per_year(p50)) < 0.1  # no growth carried into the future
    end_level = np.log(_growing().iloc[-28:]).mean()
    assert np.log(p50[:28]).mean() == pytest.approx(end_level, abs=0.1)


@pytest.mark.parametrize("market", ["US", None])
def test_other_calendars_keep_prophets_last_slope(market: str | None) -> None:
    calendar = _calendar(market) if market else None
    config = SeriesConfig(model="prophet", freq="D", market=market or "none", calendar=calendar)
    model = ProphetModel()
    p50 = _p50(model, config)
    assert model.trend_extrapolation_ == "slope"
    assert _growth_per_year(p50) == pytest.approx(0.35, abs=0.1)


def test_the_choice_can_be_given_and_only_moves_the_future() -> None:
    calendar = _calendar("CN")
    config = SeriesConfig(model="prophet", freq="D", calendar=calendar)
    slope = ProphetModel(trend_extrapolation="slope")
    level = ProphetModel(trend_extrapolation="level")
    p50_slope, p50_level = _p50(slope, config), _p50(level, config)
    assert _growth_per_year(p50_slope) == pytest.approx(0.35, abs=0.1)
    assert abs(_growth_per_year(p50_level)) < 0.1
    # the same fit: the history's forecast is the same, the first future day nearly so
    history = HISTORY[-30:]
    np.testing.assert_allclose(
        slope.predict(history, config)["p50"], level.predict(history, config)["p50"]
    )
    assert p50_level[0] == pytest.approx(p50_slope[0], rel=0.01)
    # the option of the configuration, when the model is not told
    optioned = SeriesConfig(
        model="prophet", freq="D", calendar=calendar, options={"trend_extrapolation": "slope"}
    )
    model = ProphetModel()
    np.testing.assert_allclose(_p50(model, optioned), p50_slope)
    assert model.trend_extrapolation_ == "slope"


def test_a_flat_trend_is_the_same_either_way() -> None:
    calendar = _calendar("CN")
    config = SeriesConfig(model="prophet", freq="D", calendar=calendar, options={"growth": "flat"})
    slope, level = (_p50(ProphetModel(trend_extrapolation=e), config) for e in TREND_EXTRAPOLATIONS)
    np.testing.assert_allclose(slope, level)


def test_an_unknown_extrapolation_is_an_error() -> None:
    config = SeriesConfig(model="prophet", freq="D")
    with pytest.raises(DataValidationError, match="trend_extrapolation='damped'"):
        ProphetModel(trend_extrapolation="damped").fit(_growing(), config)


@pytest.mark.slow
def test_prophets_own_fit_holds_the_level_like_the_map_solver() -> None:
    """The ``"stan"`` solver removes the same slope from Prophet's forecast."""
    config = SeriesConfig(model="prophet", freq="D", calendar=_calendar("CN"))
    fast, stan = ProphetModel(solver="map"), ProphetModel(solver="stan")
    p50_fast, p50_stan = _p50(fast, config), _p50(stan, config)
    assert stan.trend_extrapolation_ == "level"
    assert abs(_growth_per_year(p50_stan)) < 0.1
    np.testing.assert_allclose(p50_stan, p50_fast, rtol=0.02)
