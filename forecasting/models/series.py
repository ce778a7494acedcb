"""One series, start to end: the pure top-level functions that issue 8 maps over processes or Dask.

:func:`fit_series` takes a regular series and a :class:`~forecasting.models.SeriesConfig` and
returns a picklable :class:`FittedSeries`; :func:`forecast_series` fits and predicts in one call.
Neither touches global state, so they can run anywhere.

Fallback rules (documented)
---------------------------
1. No observed units at all, or every period zero -> ``recent_level`` (a forecast of zeros).
2. Fewer than ``min_history`` observed periods (default 8 weeks: 56 days or 8 weeks; for monthly
   data 8 months), or more than ``max_zero_share`` (default 80 %) of the periods zero (intermittent
   demand) -> ``recent_level``: the mean of the last 8 weeks (3 months) with their empirical
   quantiles.
3. ``seasonal_naive`` with less than one year (364 days / 52 weeks / 12 months) of history ->
   ``recent_level``.
4. ``ets`` picks its seasonal period from the history length (a year with two years of data, a week
   for daily data with four weeks, none otherwise); ``prophet`` drops the yearly seasonality below a
   year and a half.
5. A model that fails numerically on a series (one of
   :data:`~forecasting.models.base.NUMERICAL_ERRORS`) -> ``recent_level``, with the error kept in
   ``FittedSeries.error`` and ``FittedSeries.reason``; with ``on_error="raise"`` the error is
   raised instead. Any other error (a mistake, not a numerical failure) is always raised.

``auto`` chooses, per series, a model or the mean of the best two or three by rolling-origin
backtest (:mod:`forecasting.models.selection`), refits it on the whole history and keeps its
backtest errors for the calibrated quantiles (:mod:`forecasting.models.conformal`); a daily or
weekly history too short for the seasonal backtest gets a short-history backtest that calibrates
``prophet`` (:func:`~forecasting.models.selection.short_backtest_windows`), and a series too short
even for that uses ``prophet`` with its own intervals. The ETS, ARIMA and Theta families are
searched once, on the oldest backtest window, and the refit on the whole history fits the
specification found there (its ``reason`` says so) instead of searching again (see
:func:`~forecasting.models.selection.reusable_specs`).

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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import quarter_periods
from forecasting.models.base import (
    MODELS,
    NUMERICAL_ERRORS,
    SeriesConfig,
    falls_back,
    future_dates,
)
from forecasting.models.ets import ETS
from forecasting.models.families import FAMILIES, FamilySpec
from forecasting.models.naive import RecentLevel, SeasonalGrowth, SeasonalNaive
from forecasting.models.selection import (
    FALLBACK,
    SPECS_ATTR,
    HorizonModels,
    MeanForecast,
    backtest_candidates,
    choose,
    combination_name,
    reusable_specs,
)

__all__ = [
    "FittedSeries",
    "describe_error",
    "fallback_reason",
    "fit_one",
    "fit_plans",
    "fit_series",
    "forecast_series",
]


@dataclass
class FittedSeries:
    """A fitted per-series model with the name of the model used and why (when it is a fallback).

    Attributes
    ----------
    model_name : str
        A model of :data:`~forecasting.models.base.MODELS` other than ``"auto"``, a mean of
        several (``"mean(prophet, seasonal_naive)"``) or ``"recent_level"``.
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
    backtest_errors: np.ndarray | None = field(default=None, repr=False)

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
    min_history = int(given) if given is not None else (56 if config.is_daily else 8)  # or months
    if len(observed) < min_history:
        return f"short: {len(observed)} observed periods (< {min_history})"
    max_zero = float(config.option("max_zero_share"))
    zero_share = float((observed <= 0).mean())
    if zero_share > max_zero:
        return f"intermittent: {zero_share:.0%} of periods are zero (> {max_zero:.0%})"
    if config.model == "seasonal_naive" and len(y) < config.season_length:
        return f"seasonal naive needs a year: {len(y)} periods (< {config.season_length})"
    growth_needs = config.season_length + quarter_periods(config.freq)
    if config.model == "seasonal_growth" and len(y) < growth_needs:
        return f"seasonal growth needs a year and a quarter: {len(y)} periods (< {growth_needs})"
    return ""


def _new_model(name: str) -> Any:
    """A fresh model ``name``; Prophet's and statsforecast's modules are imported only when used."""
    if name == "ets":
        return ETS()
    if name == "seasonal_naive":
        return SeasonalNaive()
    if name == "seasonal_growth":
        return SeasonalGrowth()
    if name == "prophet":
        from forecasting.models.prophet import ProphetModel

        return ProphetModel()
    if name in FAMILIES:
        from forecasting.models.families import StatsForecastModel

        return StatsForecastModel(name)
    raise DataValidationError(f"model={name!r}; choose one of {list(MODELS)}")


def describe_error(exc: BaseException) -> str:
    """Type and message of an error, on one line of at most 300 characters.

    Examples
    --------
    >>> describe_error(np.linalg.LinAlgError("Singular matrix"))
    'LinAlgError: Singular matrix'
    """
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def fit_one(
    name: str,
    y: pd.Series,
    config: SeriesConfig,
    on_error: str,
    *,
    spec: FamilySpec | None = None,
) -> FittedSeries:
    """Fit model ``name`` (not ``"auto"``) to one series; a numerical failure falls back.

    Parameters
    ----------
    name : str
        A model of :data:`~forecasting.models.base.MODELS` other than ``"auto"``.
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Frequency, quantiles, calendar and options.
    on_error : {"fallback", "raise"}
        See :func:`fit_series`.
    spec : FamilySpec, optional
        For a family model (``autoets``, ``autoarima``, ``theta``): the specification to fit
        instead of searching (see :meth:`~forecasting.models.families.StatsForecastModel.fit`).

    Returns
    -------
    FittedSeries
        ``recent_level`` with the error in ``error`` when the model failed numerically.

    Examples
    --------
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=30, freq="W-FRI"))
    >>> fit_one("theta", y, SeriesConfig(freq="W-FRI"), "raise").model_name
    'theta'
    """
    last = pd.Timestamp(y.index[-1])
    try:
        if spec is not None and name in FAMILIES:
            model = _new_model(name).fit(y, config, spec=spec)
        else:
            model = _new_model(name).fit(y, config)
    except NUMERICAL_ERRORS as exc:
        if not falls_back(exc, on_error):
            raise
        fallback = RecentLevel().fit(y, config)
        reason = f"{name} failed: {exc}"[:300]
        return FittedSeries("recent_level", fallback, last, reason, error=describe_error(exc))
    return FittedSeries(name, model, last)


def fit_plans(
    plans: tuple[tuple[int, tuple[str, ...]], ...],
    y: pd.Series,
    config: SeriesConfig,
    on_error: str,
    specs: Mapping[str, FamilySpec] | None = None,
) -> FittedSeries:
    """Fit the models of ``"auto"``'s plans (one choice per forecast length), each model once.

    A member that fails numerically is left out of its plans (a plan left empty takes every
    member that was fitted). A family member (``autoets``, ``autoarima``, ``theta``) whose search
    on the backtest of ``y`` is known fits that specification instead of searching again, and the
    ``reason`` says so.

    Parameters
    ----------
    plans : tuple of (int, tuple of str)
        ``(longest forecast, members)``, shortest first (see
        :class:`~forecasting.models.selection.HorizonModels`); one plan for one choice.
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Frequency, quantiles, calendar and options.
    on_error : {"fallback", "raise"}
        See :func:`fit_series`.
    specs : mapping, optional
        ``{family: FamilySpec}`` from the backtest (:attr:`BacktestRecord.specs
        <forecasting.models.selection.BacktestRecord>`); default: those
        :func:`~forecasting.models.selection.with_specs` put in ``y.attrs``. Only those searched
        on the oldest backtest window of this very ``y`` are used
        (:func:`~forecasting.models.selection.reusable_specs`).

    Returns
    -------
    FittedSeries
        Named after the members of the longest plan (``"mean(prophet, ets)"`` for several); the
        first member's ``recent_level`` fallback when every member failed. One plan forecasts with
        its model or the mean of its models, several with a
        :class:`~forecasting.models.selection.HorizonModels`.

    Examples
    --------
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=30, freq="W-FRI"))
    >>> cfg = SeriesConfig(freq="W-FRI")
    >>> fit_plans(((12, ("theta", "ets")),), y, cfg, "raise").model_name
    'mean(theta, ets)'
    >>> fitted = fit_plans(((3, ("theta",)), (12, ("theta", "ets"))), y, cfg, "raise")
    >>> fitted.model_name, fitted.model.plans
    ('mean(theta, ets)', [(3, ('theta',)), (12, ('theta', 'ets'))])
    """
    names = list(dict.fromkeys(name for _, members in plans for name in members))
    reuse = reusable_specs(y, config, specs)
    if SPECS_ATTR in y.attrs:  # read: the models' many pandas steps need not copy them along
        y = y.copy(deep=False)
        y.attrs = {k: v for k, v in y.attrs.items() if k != SPECS_ATTR}
    fitted = {name: fit_one(name, y, config, on_error, spec=reuse.get(name)) for name in names}
    kept = {name: m for name, m in fitted.items() if m.model_name != "recent_level"}
    if not kept:
        return fitted[names[0]]
    usable = [
        (steps, tuple(name for name in members if name in kept) or tuple(kept))
        for steps, members in plans
    ]
    model: Any
    if len(usable) == 1:
        members = [kept[name].model for name in usable[0][1]]
        model = members[0] if len(members) == 1 else MeanForecast(members)
    else:
        model = HorizonModels({name: m.model for name, m in kept.items()}, usable)
    reason = ""
    if len(kept) < len(fitted):
        reason = "refit failed: " + ", ".join(
            f"{n} ({m.error})" for n, m in fitted.items() if m.error
        )
    reused = [
        f"{name} {m.model.spec_.describe()}"
        for name, m in kept.items()
        if getattr(m.model, "reused_", False)
    ]
    if reused:
        note = f"refit reused the specification searched in the backtest: {', '.join(reused)}"
        reason = f"{reason}; {note}" if reason else note
    last = next(iter(kept.values())).last_date
    return FittedSeries(combination_name(usable[-1][1]), model, last, reason)


def _auto(y: pd.Series, config: SeriesConfig, on_error: str) -> FittedSeries:
    plans = config.option("plans")
    if plans:  # chosen by the forecaster over all series, per forecast length
        return fit_plans(tuple(plans), y, config, on_error)
    record = backtest_candidates(y, config, on_error=on_error, fit_one=fit_one)
    if record is None:
        fitted = fit_one(FALLBACK, y, config, on_error)
        if not fitted.reason:
            fitted.reason = f"auto: too short to backtest, used {FALLBACK}"
        return fitted
    choice = choose({0: record}, "series")[0]
    plans = ((choice.validation, choice.members),)
    fitted = fit_plans(plans, y, config, on_error, specs=record.specs)
    fitted.reason = choice.describe() + (f"; {fitted.reason}" if fitted.reason else "")
    if fitted.model_name == combination_name(choice.members):
        fitted.backtest_errors = choice.errors
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
    return fit_one(config.model, y, config, on_error)


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
