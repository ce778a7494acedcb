"""Exponential smoothing (statsmodels ``ETSModel``) on ``log1p(units)``, with analytic intervals.

Modelling the log makes the seasonality multiplicative, as retail seasonality is, and keeps
forecasts positive. The seasonal period is a year aligned by weekday (364 days or 52 weeks) or of 12
months when the history holds two full years; otherwise a week (7 days, daily data with four weeks
or more); otherwise none. The trend is additive and damped so long horizons do not run away.
Quantiles come from the model's analytic forecast variance (normal on the log scale), so no
simulation is needed.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2020-01-03", periods=120, freq="W-FRI")
>>> y = pd.Series(100 + 30 * np.sin(np.arange(120) * 2 * np.pi / 52), index=idx)
>>> cfg = SeriesConfig(model="ets", freq="W-FRI")
>>> fc = ETS().fit(y, cfg).predict(pd.date_range("2022-04-22", periods=4, freq="W-FRI"), cfg)
>>> bool((fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all())
True
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.models.base import SeriesConfig, finalize_forecast

__all__ = ["ETS", "ets_season_length"]


def ets_season_length(n: int, config: SeriesConfig) -> int | None:
    """Choose the seasonal period ETS can estimate from ``n`` periods of history.

    Parameters
    ----------
    n : int
        Length of the history.
    config : SeriesConfig
        Frequency.

    Returns
    -------
    int or None
        364 / 52 with two years of history (and two periods more), 12 with two years of monthly
        history (24 months: the fewest the seasonal start values need), 7 for daily data with
        four weeks, else ``None``.

    Examples
    --------
    >>> daily = SeriesConfig(freq="D")
    >>> ets_season_length(800, daily), ets_season_length(60, daily)
    (364, 7)
    >>> ets_season_length(60, SeriesConfig(freq="W-SUN")) is None
    True
    >>> monthly = SeriesConfig(freq="MS")
    >>> ets_season_length(24, monthly), ets_season_length(23, monthly)
    (12, None)
    """
    m = config.season_length
    if n >= (2 * m if config.is_monthly else 2 * m + 2):
        return m
    if config.is_daily and n >= 28:
        return 7
    return None


class ETS:
    """Damped additive-trend ETS with additive errors on ``log1p(units)``."""

    name = "ets"

    def fit(self, y: pd.Series, config: SeriesConfig) -> ETS:
        """Fit by maximum likelihood (initial states by the heuristic decomposition).

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex`` (``NaN`` for censored periods, interpolated).
        config : SeriesConfig
            Frequency and quantiles.

        Returns
        -------
        ETS
        """
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        values = y.astype(float).interpolate(limit_direction="both").fillna(0.0).to_numpy()
        logs = np.log1p(np.clip(values, 0.0, None))
        if len(logs) < 10:
            raise ValueError(f"ETS needs at least 10 periods, got {len(logs)}")
        m = ets_season_length(len(logs), config)
        self.seasonal_periods_ = m
        model = ETSModel(
            pd.Series(logs),
            error="add",
            trend="add",
            damped_trend=True,
            seasonal="add" if m else None,
            seasonal_periods=m,
            initialization_method="heuristic" if m else "estimated",
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result_ = model.fit(disp=False, maxiter=200)
        self.n_ = len(logs)
        self.max_log_ = float(logs.max())
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` with analytic quantiles.

        Parameters
        ----------
        dates : DatetimeIndex
            Consecutive periods right after the history.
        config : SeriesConfig
            Quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pred = self.result_.get_prediction(start=self.n_, end=self.n_ + len(dates) - 1)
            mu = np.asarray(pred.predicted_mean, dtype=float)
            var = np.clip(np.asarray(pred.var_pred_mean, dtype=float), 0.0, None)
        cap = self.max_log_ + np.log(3.0)  # never more than 3x the largest period seen
        mu = np.minimum(mu, cap)
        sd = np.sqrt(var)
        z = stats.norm.ppf(np.asarray(config.quantiles))
        quantiles = np.expm1(
            np.minimum(mu[:, None] + sd[:, None] * z[None, :], cap + 2 * sd[:, None])
        )
        mean = np.expm1(np.minimum(mu + var / 2.0, cap))
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
