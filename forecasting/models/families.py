"""The ETS, ARIMA and Theta families of statsforecast, as per-series models of launchcast.

Each model searches its family for one series, as statsforecast's ``AutoETS``, ``AutoARIMA`` and
``AutoTheta`` do (information criteria over error, trend and season types; orders of a seasonal
ARIMA; the Theta variants), on the units themselves, like the field's peers. The seasonal period is
a week for daily data (7), a year for weekly (52) and monthly (12) data, and none when the history
is not longer than that and 4 periods. Quantiles come from the model's own normal intervals; the
``"auto"`` model of :class:`~forecasting.models.DemandForecaster` recalibrates them from its
backtest errors.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2015-01-01", periods=60, freq="MS")
>>> y = pd.Series(100 + 20 * np.sin(np.arange(60) * 2 * np.pi / 12), index=idx)
>>> cfg = SeriesConfig(model="autoets", freq="MS")
>>> fc = StatsForecastModel("autoets").fit(y, cfg).predict(
...     pd.date_range("2020-01-01", periods=3, freq="MS"), cfg)
>>> bool(abs(fc["p50"].iloc[0] - 100) < 5 and (fc["p10"] < fc["p90"]).all())
True
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import MissingDependencyError
from forecasting.models.base import SeriesConfig, finalize_forecast

__all__ = ["FAMILIES", "StatsForecastModel", "family_season_length"]

#: launchcast's name of each family and the statsforecast class that searches it.
FAMILIES = {"autoets": "AutoETS", "autoarima": "AutoARIMA", "theta": "AutoTheta"}


def family_season_length(n: int, config: SeriesConfig) -> int:
    """The seasonal period a family model uses for ``n`` periods of history.

    A week for daily data, a year for weekly and monthly data, or 1 (no season) when the history
    holds no more than a season and 4 periods (the families themselves drop a season they cannot
    estimate).

    Parameters
    ----------
    n : int
        Length of the history.
    config : SeriesConfig
        Frequency.

    Returns
    -------
    int

    Examples
    --------
    >>> family_season_length(100, SeriesConfig(freq="D"))
    7
    >>> family_season_length(50, SeriesConfig(freq="W-SUN")), family_season_length(91, SeriesConfig(freq="W-SUN"))
    (1, 52)
    """  # noqa: E501
    m = 7 if config.freq == "D" else (52 if str(config.freq).startswith("W") else 12)
    return m if n > m + 4 else 1


def _statsforecast_class(name: str) -> Any:
    try:
        from statsforecast import models
    except ImportError as exc:  # pragma: no cover - a dependency of launchcast
        raise MissingDependencyError(
            f"model={name!r} needs statsforecast. Fix: pip install statsforecast"
        ) from exc
    return getattr(models, FAMILIES[name])


def _level(q: float) -> int | float:
    """The central interval level (percent) whose bound is quantile ``q`` (``0.1 -> 80``)."""
    level = round(abs(2 * q - 1) * 100, 6)
    return int(level) if float(level).is_integer() else level


class StatsForecastModel:
    """One of the statsforecast families (``"autoets"``, ``"autoarima"``, ``"theta"``).

    Parameters
    ----------
    name : {"autoets", "autoarima", "theta"}
        The family.
    """

    def __init__(self, name: str = "autoets") -> None:
        if name not in FAMILIES:
            raise ValueError(f"unknown family {name!r}; choose one of {list(FAMILIES)}")
        self.name = name

    def fit(self, y: pd.Series, config: SeriesConfig) -> StatsForecastModel:
        """Search the family on the units of one series.

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex`` (``NaN`` for censored periods, interpolated).
        config : SeriesConfig
            Frequency.

        Returns
        -------
        StatsForecastModel
        """
        values = y.astype(float).interpolate(limit_direction="both").fillna(0.0).to_numpy()
        values = np.clip(values, 0.0, None)
        if len(values) < 4:
            raise ValueError(f"{self.name} needs at least 4 periods, got {len(values)}")
        m = family_season_length(len(values), config)
        self.season_length_ = m
        model_class = _statsforecast_class(self.name)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            self.model_ = model_class(season_length=m).fit(values)
        self.max_ = float(values.max())
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` with the family's normal quantiles.

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
        levels = sorted({_level(q) for q in config.quantiles if q != 0.5})
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            raw = self.model_.predict(h=len(dates), level=levels or None)
        mean = np.asarray(raw["mean"], dtype=float)
        cap = 3.0 * self.max_  # never more than 3x the largest period seen
        mean = np.minimum(mean, cap)
        columns = []
        for q in config.quantiles:
            if q == 0.5:
                columns.append(mean)
                continue
            key = f"{'lo' if q < 0.5 else 'hi'}-{_level(q)}"
            columns.append(np.minimum(np.asarray(raw[key], dtype=float), cap))
        return finalize_forecast(dates, mean, np.column_stack(columns), config.quantiles)
