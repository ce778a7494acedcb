"""Baselines: the seasonal naive forecast and the recent-level fallback for short or sparse series.

* :class:`SeasonalNaive` repeats the same period of last year aligned by weekday: 364 days back for
  daily data (so a Saturday is forecast from a Saturday), 52 weeks back for weekly data, 12 months
  back for monthly data. Its quantiles come from the empirical distribution of last year's
  log-ratio errors, centred so that ``p50`` is the naive value.
* :class:`SeasonalGrowth` scales it by the growth of the last quarter over the same quarter a
  year before ("last year plus trend").
* :class:`RecentLevel` is the documented fallback for series too short or too sparse for the other
  models: a flat forecast at the mean of the last ``window`` periods (:func:`recent_window`: 8
  weeks of days or weeks, 3 months of monthly data, since 2 months are too few values for
  quantiles), with the empirical quantiles of those periods. An empty or all-zero series forecasts
  zeros.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2022-01-01", periods=400, freq="D")
>>> y = pd.Series(np.arange(400) % 7 + 1.0, index=idx)
>>> cfg = SeriesConfig(model="seasonal_naive", freq="D")
>>> fc = SeasonalNaive().fit(y, cfg).predict(pd.date_range("2023-02-05", periods=7), cfg)
>>> bool(np.allclose(fc["p50"], y.iloc[-364:-357]))
True
>>> months = pd.date_range("2014-01-01", periods=36, freq="MS")
>>> monthly = SeriesConfig(model="seasonal_naive", freq="MS")
>>> y = pd.Series(np.tile(np.arange(1.0, 13.0), 3), index=months)
>>> SeasonalNaive().fit(y, monthly).predict(pd.date_range("2017-01-01", periods=3, freq="MS"),
...                                         monthly)["p50"].tolist()
[1.0, 2.0, 3.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.inputs.frequency import quarter_periods
from forecasting.models.base import SeriesConfig, finalize_forecast

__all__ = ["RecentLevel", "SeasonalGrowth", "SeasonalNaive", "recent_window"]


def recent_window(config: SeriesConfig) -> int:
    """The periods :class:`RecentLevel` averages by default: 56 days, 8 weeks or 3 months.

    Examples
    --------
    >>> recent_window(SeriesConfig(freq="D")), recent_window(SeriesConfig(freq="W-FRI"))
    (56, 8)
    >>> recent_window(SeriesConfig(freq="MS"))
    3
    """
    if config.is_monthly:
        return 3
    return 56 if config.is_daily else 8


def _filled(y: pd.Series) -> np.ndarray:
    """Values with censored (``NaN``) periods interpolated; all-``NaN`` becomes zeros."""
    values = y.astype(float).interpolate(limit_direction="both").to_numpy()
    return np.nan_to_num(values, nan=0.0)


class SeasonalNaive:
    """Same period last year, aligned by weekday (364 days or 52 weeks back) or 12 months back.

    Forecasts further ahead than one season repeat the last observed season.
    """

    name = "seasonal_naive"

    def fit(self, y: pd.Series, config: SeriesConfig) -> SeasonalNaive:
        """Store the last season and the log-ratio errors of the naive rule on the history.

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``; needs at least one season.
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        SeasonalNaive
        """
        m = config.season_length
        values = _filled(y)
        if len(values) < m:
            raise ValueError(f"seasonal naive needs at least {m} periods, got {len(values)}")
        self.last_date_ = pd.Timestamp(y.index[-1])
        self.last_season_ = values[-m:].copy()
        logs = np.log1p(np.clip(values, 0.0, None))
        errors = logs[m:] - logs[:-m]
        self.errors_ = errors - np.median(errors) if len(errors) else np.zeros(1)
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` (the periods right after the history).

        Parameters
        ----------
        dates : DatetimeIndex
            Consecutive periods starting one period after the last observed one.
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        m = config.season_length
        steps = np.arange(1, len(dates) + 1)
        source = (steps - 1) % m
        point = self.last_season_[source]
        seasons_ahead = (steps - 1) // m + 1
        levels = np.asarray(config.quantiles)
        base = np.quantile(self.errors_, levels)
        logs = (
            np.log1p(np.clip(point, 0.0, None))[:, None]
            + base[None, :] * np.sqrt(seasons_ahead)[:, None]
        )
        quantiles = np.expm1(logs)
        return finalize_forecast(dates, point, quantiles, config.quantiles)


class SeasonalGrowth(SeasonalNaive):
    """Same period last year times the growth of the last quarter over the same quarter last year.

    The retail planner's "last year plus trend": the seasonal naive forecast scaled by the units
    of the last quarter (91 days, 13 weeks or 3 months) divided by the units of the same quarter
    one season earlier, the ratio kept within 0.5 .. 2 (1 when that quarter sold nothing). The
    quantiles are those of :class:`SeasonalNaive`, scaled alike.

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> months = pd.date_range("2014-01-01", periods=36, freq="MS")
    >>> cfg = SeriesConfig(model="seasonal_growth", freq="MS")
    >>> y = pd.Series(np.tile(np.arange(1.0, 13.0), 3) * np.repeat([1.0, 1.0, 1.1], 12),
    ...               index=months)
    >>> fitted = SeasonalGrowth().fit(y, cfg)
    >>> round(fitted.growth_, 3)
    1.1
    >>> fitted.predict(pd.date_range("2017-01-01", periods=2, freq="MS"), cfg)["p50"].round(2).tolist()
    [1.21, 2.42]
    """  # noqa: E501

    name = "seasonal_growth"

    def fit(self, y: pd.Series, config: SeriesConfig) -> SeasonalGrowth:
        """Store the last season, its errors and the growth of the last quarter.

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``; needs a season and a quarter.
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        SeasonalGrowth
        """
        m, q = config.season_length, quarter_periods(config.freq)
        values = _filled(y)
        if len(values) < m + q:
            raise ValueError(f"seasonal growth needs at least {m + q} periods, got {len(values)}")
        super().fit(y, config)
        recent, before = values[-q:].sum(), values[-m - q : -m].sum()
        self.growth_ = float(np.clip(recent / before, 0.5, 2.0)) if before > 0 else 1.0
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates``: the seasonal naive forecast times the growth.

        Parameters
        ----------
        dates : DatetimeIndex
            Consecutive periods starting one period after the last observed one.
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        frame = super().predict(dates, config)
        columns = [c for c in frame.columns if c != "date"]
        frame[columns] = frame[columns] * self.growth_
        return frame


class RecentLevel:
    """Fallback: flat forecast at the mean of the last ``window`` periods, with their quantiles.

    Parameters
    ----------
    window : int, optional
        Periods to average; default :func:`recent_window` (56 days, 8 weeks or 3 months).
    """

    name = "recent_level"

    def __init__(self, window: int | None = None) -> None:
        self.window = window

    def fit(self, y: pd.Series, config: SeriesConfig) -> RecentLevel:
        """Remember the recent values.

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``; may be empty.
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        RecentLevel
        """
        window = self.window or recent_window(config)
        recent = y.astype(float).dropna().to_numpy()[-window:]
        self.recent_ = np.clip(recent, 0.0, None) if len(recent) else np.zeros(1)
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast a flat level for ``dates``.

        Parameters
        ----------
        dates : DatetimeIndex
            Forecast periods.
        config : SeriesConfig
            Quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        n = len(dates)
        mean = np.full(n, float(self.recent_.mean()))
        quantiles = np.tile(np.quantile(self.recent_, np.asarray(config.quantiles)), (n, 1))
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
