"""One series, start to end: the pure top-level functions that issue 8 maps over processes or Dask.

:func:`fit_series` takes a regular series and a :class:`~forecasting.models.SeriesConfig` and
returns a picklable :class:`FittedSeries`; :func:`forecast_series` fits and predicts in one call.
Neither touches global state, so they can run anywhere.

Fallback rules (documented; a series never crashes the run)
-------------------------------------------------------------
1. No observed units at all, or every period zero -> ``recent_level`` (a forecast of zeros).
2. Fewer than ``min_history`` observed periods (default 8 weeks: 56 days or 8 weeks), or more than
   ``max_zero_share`` (default 80 %) of the periods zero (intermittent demand) -> ``recent_level``:
   the mean of the last 8 weeks with their empirical quantiles.
3. ``seasonal_naive`` with less than one year (364 days / 52 weeks) of history -> ``recent_level``.
4. ``ets`` picks its seasonal period from the history length (a year with two years of data, a week
   for daily data with four weeks, none otherwise); ``prophet`` drops the yearly seasonality below a
   year and a half.
5. A model that fails numerically on a series -> ``recent_level``, with the error kept in
   ``FittedSeries.reason``.

``auto`` fits ``seasonal_naive``, ``ets`` and ``prophet`` on the history minus its last
``validation_horizon`` periods, keeps the one with the lowest WAPE on those periods, and refits it
on the whole history. The default validation window is as long as the history allows while leaving a
year and 8 weeks to fit on, at most a year (so a year-ahead choice is judged on a year) and at least
a quarter (91 days or 13 weeks); a series too short for that uses ``prophet``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> y = pd.Series([0.0] * 69 + [2.0], index=pd.date_range("2024-01-01", periods=70))
>>> fitted = fit_series(y, SeriesConfig(model="ets", freq="D"))
>>> fitted.model_name, fitted.reason
('recent_level', 'intermittent: 99% of periods are zero (> 80%)')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecasting.models.base import SeriesConfig, future_dates
from forecasting.models.ets import ETS
from forecasting.models.naive import RecentLevel, SeasonalNaive
from forecasting.models.prophet_map import ProphetMAP
from forecasting.models.prophet_model import ProphetModel

__all__ = ["FittedSeries", "fallback_reason", "fit_series", "forecast_series"]

_MODEL_CLASSES: dict[str, type] = {
    "ets": ETS,
    "prophet": ProphetModel,
    "seasonal_naive": SeasonalNaive,
}


@dataclass
class FittedSeries:
    """A fitted per-series model with the name of the model used and why (when it is a fallback).

    Attributes
    ----------
    model_name : str
        ``"prophet"``, ``"ets"``, ``"seasonal_naive"`` or ``"recent_level"``.
    model : object
        The fitted model (has ``predict(dates, config)``).
    last_date : Timestamp
        Last period of the history.
    reason : str
        Empty when the requested model was used; otherwise why it was replaced (or, for ``auto``,
        the validation WAPE of each candidate).
    backup : object, optional
        A fitted ``recent_level`` model that :func:`forecasting.models.parallel.fit_many` keeps for
        the
        forecast, should the model fail at prediction time.
    """

    model_name: str
    model: Any
    last_date: pd.Timestamp
    reason: str = ""
    backup: Any = None

    def predict(self, horizon: int, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``horizon`` periods after the history.

        Parameters
        ----------
        horizon : int
            Periods ahead.
        config : SeriesConfig
            The configuration used to fit.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        dates = future_dates(self.last_date, horizon, config.freq)
        return self.model.predict(dates, config)


def fallback_reason(y: pd.Series, config: SeriesConfig) -> str:
    """Say why a series must use the ``recent_level`` fallback, or return ``""``.

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Frequency and options ``min_history``, ``max_zero_share``.

    Returns
    -------
    str

    Examples
    --------
    >>> idx = pd.date_range("2024-01-01", periods=10)
    >>> fallback_reason(pd.Series(1.0, index=idx), SeriesConfig(freq="D"))
    'short: 10 observed periods (< 56)'
    """
    observed = y.dropna()
    if len(observed) == 0 or not (observed > 0).any():
        return "no sales in the history"
    min_history = int(config.option("min_history", 56 if config.is_daily else 8))
    if len(observed) < min_history:
        return f"short: {len(observed)} observed periods (< {min_history})"
    max_zero = float(config.option("max_zero_share", 0.8))
    zero_share = float((observed <= 0).mean())
    if zero_share > max_zero:
        return f"intermittent: {zero_share:.0%} of periods are zero (> {max_zero:.0%})"
    if config.model == "seasonal_naive" and len(y) < config.season_length:
        return f"seasonal naive needs a year: {len(y)} periods (< {config.season_length})"
    return ""


def _model_class(name: str, config: SeriesConfig) -> type:
    """The class of model ``name``: Prophet's MAP estimate in process (``solver="map"``, the
    default, with residual intervals) or Prophet's own cmdstan fit."""
    map_solver = config.option("solver", "map") == "map"
    if name == "prophet" and map_solver and config.option("interval", "residual") == "residual":
        return ProphetMAP
    return _MODEL_CLASSES[name]


def _fit_one(name: str, y: pd.Series, config: SeriesConfig) -> FittedSeries:
    last = pd.Timestamp(y.index[-1])
    try:
        model = _model_class(name, config)().fit(y, config)
    except (ValueError, ArithmeticError, np.linalg.LinAlgError, RuntimeError) as exc:
        fallback = RecentLevel().fit(y, config)
        return FittedSeries("recent_level", fallback, last, f"{name} failed: {exc}"[:300])
    return FittedSeries(name, model, last)


def _wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    total = np.abs(actual).sum()
    return float(np.abs(actual - forecast).sum() / total) if total > 0 else float("inf")


def _auto(y: pd.Series, config: SeriesConfig) -> FittedSeries:
    m = config.season_length
    given = config.option("validation_horizon")
    if given:
        holdout = int(given)
        usable = len(y) >= m + holdout
    else:
        holdout = min(m, len(y) - m - (56 if config.is_daily else 8))
        usable = holdout >= m // 4
    if not usable:
        fitted = _fit_one("prophet", y, config)
        if not fitted.reason:
            fitted.reason = "auto: too short to validate, used prophet"
        return fitted
    train, valid = y.iloc[:-holdout], y.iloc[-holdout:]
    actual = valid.fillna(0.0).to_numpy()
    scores: dict[str, float] = {}
    for name in ("seasonal_naive", "ets", "prophet"):
        candidate = _fit_one(name, train, config)
        if candidate.model_name != name:
            continue
        forecast = candidate.predict(holdout, config)["p50" if 0.5 in config.quantiles else "mean"]
        scores[name] = _wape(actual, forecast.to_numpy())
    best = min(scores, key=lambda n: scores[n]) if scores else "prophet"
    fitted = _fit_one(best, y, config)
    summary = ", ".join(f"{n} {s:.3f}" for n, s in scores.items())
    fitted.reason = f"auto: validation WAPE {summary}" + (
        f"; {fitted.reason}" if fitted.reason else ""
    )
    return fitted


def fit_series(y: pd.Series, config: SeriesConfig) -> FittedSeries:
    """Fit the configured model to one series, applying the fallback rules.

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex`` (missing periods as zeros, censored periods as
        ``NaN``).
    config : SeriesConfig
        Model, frequency, quantiles, calendar and options.

    Returns
    -------
    FittedSeries

    Examples
    --------
    >>> idx = pd.date_range("2023-01-01", periods=400, freq="D")
    >>> y = pd.Series(10.0 + (idx.day_of_week == 5), index=idx)
    >>> fit_series(y, SeriesConfig(model="seasonal_naive", freq="D")).model_name
    'seasonal_naive'
    """
    reason = fallback_reason(y, config)
    last = pd.Timestamp(y.index[-1]) if len(y) else pd.Timestamp("NaT")
    if reason:
        return FittedSeries("recent_level", RecentLevel().fit(y, config), last, reason)
    if config.model == "auto":
        return _auto(y, config)
    return _fit_one(config.model, y, config)


def forecast_series(y: pd.Series, config: SeriesConfig, horizon: int) -> pd.DataFrame:
    """Fit and forecast one series: the pure function to map over many series.

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Model configuration.
    horizon : int
        Periods ahead.

    Returns
    -------
    DataFrame
        ``date, mean, p..`` plus ``model`` (the model used).

    Examples
    --------
    >>> idx = pd.date_range("2023-01-06", periods=60, freq="W-FRI")
    >>> y = pd.Series(np.arange(60) % 52 + 1.0, index=idx)
    >>> fc = forecast_series(y, SeriesConfig(model="seasonal_naive", freq="W-FRI"), 3)
    >>> fc["p50"].round(6).tolist(), fc["model"].iloc[0]
    ([9.0, 10.0, 11.0], 'seasonal_naive')
    """
    fitted = fit_series(y, config)
    out = fitted.predict(horizon, config)
    out["model"] = fitted.model_name
    return out
