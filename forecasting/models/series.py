"""One series, start to end: the pure top-level functions that issue 8 maps over processes or Dask.

:func:`fit_series` takes a regular series and a :class:`~forecasting.models.SeriesConfig` and
returns a picklable :class:`FittedSeries`; :func:`forecast_series` fits and predicts in one call.
Neither touches global state, so they can run anywhere.

Fallback rules (documented)
---------------------------
1. No observed units at all, or every period zero -> ``recent_level`` (a forecast of zeros).
2. Fewer than ``min_history`` observed periods (default 8 weeks: 56 days or 8 weeks), or more than
   ``max_zero_share`` (default 80 %) of the periods zero (intermittent demand) -> ``recent_level``:
   the mean of the last 8 weeks with their empirical quantiles.
3. ``seasonal_naive`` with less than one year (364 days / 52 weeks) of history -> ``recent_level``.
4. ``ets`` picks its seasonal period from the history length (a year with two years of data, a week
   for daily data with four weeks, none otherwise); ``prophet`` drops the yearly seasonality below a
   year and a half.
5. A model that fails numerically on a series (one of
   :data:`~forecasting.models.base.NUMERICAL_ERRORS`) -> ``recent_level``, with the error kept in
   ``FittedSeries.error`` and ``FittedSeries.reason``; with ``on_error="raise"`` the error is
   raised instead. Any other error (a mistake, not a numerical failure) is always raised.

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

from forecasting.exceptions import DataValidationError
from forecasting.models.base import (
    MODELS,
    NUMERICAL_ERRORS,
    SeriesConfig,
    falls_back,
    future_dates,
)
from forecasting.models.ets import ETS
from forecasting.models.naive import RecentLevel, SeasonalNaive

__all__ = ["FittedSeries", "describe_error", "fallback_reason", "fit_series", "forecast_series"]


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
        the forecast, should the model fail at prediction time.
    error : str
        The numerical error (type and message) that made the series fall back to
        ``recent_level``; empty when none did.

    Examples
    --------
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=30, freq="W-FRI"))
    >>> fitted = fit_series(y, SeriesConfig(model="ets", freq="W-FRI"))
    >>> fitted.model_name, fitted.error, fitted.predict(2, SeriesConfig(freq="W-FRI")).shape
    ('ets', '', (2, 5))
    """

    model_name: str
    model: Any
    last_date: pd.Timestamp
    reason: str = ""
    backup: Any = None
    error: str = ""

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
    given = config.option("min_history")
    min_history = int(given) if given is not None else (56 if config.is_daily else 8)
    if len(observed) < min_history:
        return f"short: {len(observed)} observed periods (< {min_history})"
    max_zero = float(config.option("max_zero_share"))
    zero_share = float((observed <= 0).mean())
    if zero_share > max_zero:
        return f"intermittent: {zero_share:.0%} of periods are zero (> {max_zero:.0%})"
    if config.model == "seasonal_naive" and len(y) < config.season_length:
        return f"seasonal naive needs a year: {len(y)} periods (< {config.season_length})"
    return ""


def _model_class(name: str) -> type:
    """The class of model ``name``; Prophet's module is imported only when a series uses it."""
    if name == "ets":
        return ETS
    if name == "seasonal_naive":
        return SeasonalNaive
    if name == "prophet":
        from forecasting.models.prophet import ProphetModel

        return ProphetModel
    raise DataValidationError(f"model={name!r}; choose one of {list(MODELS)}")


def describe_error(exc: BaseException) -> str:
    """Type and message of an error, on one line of at most 300 characters.

    Examples
    --------
    >>> describe_error(np.linalg.LinAlgError("Singular matrix"))
    'LinAlgError: Singular matrix'
    """
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _fit_one(name: str, y: pd.Series, config: SeriesConfig, on_error: str) -> FittedSeries:
    last = pd.Timestamp(y.index[-1])
    model_class = _model_class(name)
    try:
        model = model_class().fit(y, config)
    except NUMERICAL_ERRORS as exc:
        if not falls_back(exc, on_error):
            raise
        fallback = RecentLevel().fit(y, config)
        reason = f"{name} failed: {exc}"[:300]
        return FittedSeries("recent_level", fallback, last, reason, error=describe_error(exc))
    return FittedSeries(name, model, last)


def _wape(actual: np.ndarray, forecast: np.ndarray) -> float:
    total = np.abs(actual).sum()
    return float(np.abs(actual - forecast).sum() / total) if total > 0 else float("inf")


def _auto(y: pd.Series, config: SeriesConfig, on_error: str) -> FittedSeries:
    m = config.season_length
    given = config.option("validation_horizon")
    if given:
        holdout = int(given)
        usable = len(y) >= m + holdout
    else:
        holdout = min(m, len(y) - m - (56 if config.is_daily else 8))
        usable = holdout >= m // 4
    if not usable:
        fitted = _fit_one("prophet", y, config, on_error)
        if not fitted.reason:
            fitted.reason = "auto: too short to validate, used prophet"
        return fitted
    train, valid = y.iloc[:-holdout], y.iloc[-holdout:]
    actual = valid.fillna(0.0).to_numpy()
    scores: dict[str, float] = {}
    failed: list[str] = []
    for name in ("seasonal_naive", "ets", "prophet"):
        candidate = _fit_one(name, train, config, on_error)
        if candidate.error:
            failed.append(f"{name} failed ({candidate.error})")
        if candidate.model_name != name:
            continue
        forecast = candidate.predict(holdout, config)["p50" if 0.5 in config.quantiles else "mean"]
        scores[name] = _wape(actual, forecast.to_numpy())
    best = min(scores, key=lambda n: scores[n]) if scores else "prophet"
    fitted = _fit_one(best, y, config, on_error)
    summary = ", ".join([*(f"{n} {s:.3f}" for n, s in scores.items()), *failed])
    fitted.reason = f"auto: validation WAPE {summary}" + (
        f"; {fitted.reason}" if fitted.reason else ""
    )
    return fitted


def fit_series(y: pd.Series, config: SeriesConfig, *, on_error: str = "fallback") -> FittedSeries:
    """Fit the configured model to one series, applying the fallback rules.

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex`` (missing periods as zeros, censored periods as
        ``NaN``).
    config : SeriesConfig
        Model, frequency, quantiles, calendar and options.
    on_error : {"fallback", "raise"}
        A model that fails numerically: ``recent_level`` with the error kept in
        ``FittedSeries.error``, or raise the error. An error that is not a numerical failure
        (see :func:`~forecasting.models.base.falls_back`) is always raised.

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
        return _auto(y, config, on_error)
    return _fit_one(config.model, y, config, on_error)


def forecast_series(
    y: pd.Series, config: SeriesConfig, horizon: int, *, on_error: str = "fallback"
) -> pd.DataFrame:
    """Fit and forecast one series: the pure function to map over many series.

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Model configuration.
    horizon : int
        Periods ahead.
    on_error : {"fallback", "raise"}
        See :func:`fit_series`.

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
    fitted = fit_series(y, config, on_error=on_error)
    out = fitted.predict(horizon, config)
    out["model"] = fitted.model_name
    return out
