"""Prophet with the Chinese (or another market's) retail calendar, on ``log1p(units)``.

* Trend: linear with changepoints given two years of history, flat below (``growth="auto"``).
* The target is ``log1p(units)``: seasonality and events act multiplicatively on units, as they do
  in retail, and forecasts stay positive.
* Daily data: yearly seasonality (order 10), weekly seasonality, and the events of
  :class:`~forecasting.models.CalendarFeatures` (public holidays with stable
  names and wide windows, make-up workdays, retail events with their pre-sale windows) as one
  indicator regressor per event and window day: Prophet's own holiday design, built once for all
  series. Columns that do not vary in a series' history, or duplicate another, are left out.
* Weekly data: yearly seasonality and the weekly event features (days of each event per week) as
  extra regressors; no weekly seasonality.
* Uncertainty: by default (``interval="residual"``) Prophet is fitted without sampling and the
  quantiles are the forecast plus the empirical quantiles of the in-sample log residuals, widened
  with the horizon by the uncertainty of the level: the spread of the year-over-year change of the
  4-week level in the history, growing as ``sqrt(h / season)``. Fast (no trajectories) and
  calibrated by backtest. ``interval="sampling"`` uses Prophet's own trajectories
  (``uncertainty_samples``, default 200).
* Prophet's and cmdstan's logging is silenced.
* Speed: with ``solver="map"`` (the default of ``DemandForecaster``) the same model is estimated in
  process by :class:`~forecasting.models.prophet_map.ProphetMAP` (no cmdstan run, no pandas design
  per call; 20-100x faster, same forecasts); this class is Prophet's own fit (``solver="stan"``,
  and always for ``interval="sampling"``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2021-01-01", periods=120, freq="D")
>>> y = pd.Series(50 + 10 * (idx.day_of_week >= 5), index=idx, dtype=float)
>>> cfg = SeriesConfig(model="prophet", freq="D")  # no calendar: seasonality only
>>> fc = ProphetModel().fit(y, cfg).predict(pd.date_range("2021-05-01", periods=7), cfg)
... # doctest: +SKIP
>>> list(fc.columns)  # doctest: +SKIP
['date', 'mean', 'p10', 'p50', 'p90']
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from typing import Any, Literal

import numpy as np
import pandas as pd

from forecasting.models.base import SeriesConfig, finalize_forecast

__all__ = ["ProphetModel", "quiet_prophet"]

_LOGGERS = ("prophet", "cmdstanpy", "prophet.plot", "prophet.forecaster")


@contextlib.contextmanager
def quiet_prophet() -> Iterator[None]:
    """Silence Prophet's and cmdstanpy's logging inside the block.

    Examples
    --------
    >>> with quiet_prophet():
    ...     logging.getLogger("cmdstanpy").info("not shown")
    """
    saved = {}
    caught = warnings.catch_warnings()
    caught.__enter__()
    warnings.filterwarnings("ignore", module=r"prophet(\..*)?$")
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = (logger.level, logger.disabled)
        logger.setLevel(logging.CRITICAL)
        logger.disabled = True
    try:
        yield
    finally:
        caught.__exit__(None, None, None)
        for name, (level, disabled) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.disabled = disabled


def _yearly_order(n: int, config: SeriesConfig) -> int | bool:
    """Fourier order of the yearly seasonality; off below a year and a half of history."""
    order = config.option("yearly_order") or 10
    return int(order) if n >= int(1.5 * config.season_length) else False


def _level_sd(logs: pd.Series, config: SeriesConfig) -> float:
    """Spread of the year-over-year change of the 4-week level (log scale): how far the level
    can move in a year, beyond what the model's trend extrapolates; 0 with less than a year
    and 4 weeks."""
    m = config.season_length
    window = 28 if config.is_daily else 4
    values = logs.to_numpy(dtype=float)
    if len(values) < m + 2 * window:
        return 0.0
    level = pd.Series(values).rolling(window, min_periods=window // 2).mean().to_numpy()
    change = level[m:] - level[:-m]
    change = change[np.isfinite(change)]
    return float(np.std(change)) if len(change) > 1 else 0.0


def _growth(n: int, config: SeriesConfig) -> Literal["linear", "flat"]:
    """Linear trend with two years of history, flat below (trend and season are not separable)."""
    growth = config.option("growth", "auto")
    if growth == "auto":
        return "linear" if n >= 2 * config.season_length else "flat"
    return "flat" if growth == "flat" else "linear"


def _holidays_prior(config: SeriesConfig) -> float:
    """Prior scale of the calendar effects.

    Prophet divides y by its maximum, here the log of the peak (~5-12), so an effect of 0.5 in log
    units (x1.65) is ~0.05 on its scale: the default 0.05 keeps effects plausible and stops nearly
    collinear window columns (seen once or twice in a short history) from taking huge opposite
    values.
    """
    return float(config.option("holidays_prior_scale", 0.05))


def _informative_columns(columns: pd.Index, values: np.ndarray) -> list[str]:
    """Calendar columns that vary over the observed history, without exact duplicates (a duplicate
    would split one effect into two unidentified coefficients that part ways in the future)."""
    keep: list[str] = []
    seen: set[bytes] = set()
    for j, column in enumerate(columns):
        col = values[:, j]
        if len(col) == 0 or col.std() == 0:
            continue
        key = col.tobytes()
        if key not in seen:
            seen.add(key)
            keep.append(str(column))
    return keep


class ProphetModel:
    """Calendar-aware Prophet on ``log1p(units)`` (see the module docstring)."""

    name = "prophet"

    def _prophet(self, n: int, config: SeriesConfig) -> Any:
        with quiet_prophet():  # prophet logs an error when plotly is missing; no plots here
            from prophet import Prophet

        interval = config.option("interval", "residual")
        samples = int(config.option("uncertainty_samples", 200)) if interval == "sampling" else 0
        return Prophet(
            growth=_growth(n, config),
            changepoint_range=float(config.option("changepoint_range", 0.8)),
            yearly_seasonality=_yearly_order(n, config),
            weekly_seasonality=3 if (config.is_daily and n >= 14) else False,
            daily_seasonality=False,
            seasonality_mode="additive",
            changepoint_prior_scale=float(config.option("changepoint_prior_scale", 0.05)),
            seasonality_prior_scale=float(config.option("seasonality_prior_scale", 10.0)),
            uncertainty_samples=samples,
        )

    @staticmethod
    def _regressors(dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        cal = config.calendar
        if cal is None:
            return pd.DataFrame(index=dates)
        return cal.features_for(dates)

    def fit(self, y: pd.Series, config: SeriesConfig) -> ProphetModel:
        """Fit on the series (``NaN`` periods, e.g. stock-outs, are left out of the fit).

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``.
        config : SeriesConfig
            Frequency, quantiles, calendar and options.

        Returns
        -------
        ProphetModel
        """
        index = pd.DatetimeIndex(y.index)
        logs = np.log1p(np.clip(y.to_numpy(dtype=float), 0.0, None))
        observed = ~np.isnan(logs)
        if observed.sum() < 2:
            raise ValueError("Prophet needs at least two observed periods")
        features = self._regressors(index, config)
        values = features.to_numpy(dtype=float)
        keep = _informative_columns(features.columns, values[observed])
        model = self._prophet(len(y), config)
        prior = _holidays_prior(config)
        for column in keep:
            model.add_regressor(column, prior_scale=prior, standardize=False, mode="additive")
        frame = pd.concat(
            [pd.DataFrame({"ds": index, "y": logs}), features[keep].reset_index(drop=True)],
            axis=1,
        )
        with quiet_prophet():
            model.fit(frame)
        self.model_ = model
        self.regressors_ = keep
        self.history_end_ = index[-1]
        self.max_log_ = float(np.nanmax(logs))
        if config.option("interval", "residual") == "residual":
            with quiet_prophet():
                fitted = model.predict(frame.drop(columns="y"))["yhat"].to_numpy()
            residuals = (logs - fitted)[observed]
            self.residuals_ = residuals - np.median(residuals) if len(residuals) else np.zeros(1)
            self.level_sd_ = _level_sd(pd.Series(logs), config)
        return self

    def _future(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        future = pd.DataFrame({"ds": dates})
        if not self.regressors_:
            return future
        features = self._regressors(dates, config).reindex(columns=self.regressors_, fill_value=0.0)
        return pd.concat([future, features.reset_index(drop=True)], axis=1)

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates``.

        Parameters
        ----------
        dates : DatetimeIndex
            Periods after the history.
        config : SeriesConfig
            Quantiles and options.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        future = self._future(pd.DatetimeIndex(dates), config)
        levels = np.asarray(config.quantiles)
        cap = self.max_log_ + np.log(3.0)  # never more than 3x the largest period seen
        with quiet_prophet():
            if config.option("interval", "residual") == "sampling":
                samples = np.minimum(self.model_.predictive_samples(future)["yhat"], cap)
                quantiles = np.expm1(np.quantile(samples, levels, axis=1).T)
                mean = np.expm1(samples).mean(axis=1)
                return finalize_forecast(dates, mean, quantiles, config.quantiles)
            yhat = np.minimum(self.model_.predict(future)["yhat"].to_numpy(), cap)
        steps = np.arange(1, len(dates) + 1)
        noise_sd = max(float(np.std(self.residuals_)), 1e-9)
        level_sd = float(config.option("level_uncertainty", 3.0)) * self.level_sd_
        total_sd = np.sqrt(noise_sd**2 + level_sd**2 * steps / config.season_length)
        widen = total_sd / noise_sd
        base = np.quantile(self.residuals_, levels)
        quantiles = np.expm1(yhat[:, None] + base[None, :] * widen[:, None])
        spread = np.exp(self.residuals_[None, :] * widen[:, None]).mean(axis=1)
        mean = np.exp(yhat) * spread - 1.0
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
