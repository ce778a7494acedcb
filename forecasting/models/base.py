"""Shared pieces of the per-series models: configuration, quantile names, output contract.

A per-series model sees one series as a ``pandas.Series`` of units indexed by a regular
``DatetimeIndex`` (missing periods already filled with zeros, censored periods as ``NaN``) and
returns a frame of ``date, mean`` and one column per quantile. Everything a model needs besides the
series travels in a :class:`SeriesConfig`, a frozen, picklable dataclass, so the fit can run in
another process or on a Dask worker (issue 8).

Examples
--------
>>> quantile_columns((0.1, 0.5, 0.9))
['p10', 'p50', 'p90']
>>> cfg = SeriesConfig(model="seasonal_naive", freq="D")
>>> cfg.season_length
364
>>> SeriesConfig(model="seasonal_naive", freq="MS").season_length
12
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, LaunchcastError
from forecasting.inputs.frequency import frequency_kind, period_offset, seasonal_period

__all__ = [
    "MODELS",
    "MODEL_OPTIONS",
    "NUMERICAL_ERRORS",
    "ON_ERROR",
    "SeriesConfig",
    "SeriesModel",
    "falls_back",
    "finalize_forecast",
    "future_dates",
    "quantile_columns",
    "validate_quantiles",
]

#: Model names :class:`~forecasting.models.DemandForecaster` accepts.
MODELS = (
    "auto",
    "autoarima",
    "autoets",
    "ets",
    "prophet",
    "seasonal_growth",
    "seasonal_naive",
    "theta",
)

#: The per-series model options and their defaults, stated here once:
#: :class:`~forecasting.models.DemandForecaster` takes each as a parameter with this default and
#: passes all of them to the models in :attr:`SeriesConfig.options` (see its docstring for their
#: meaning). ``None`` means "chosen from the data" (``min_history``: 8 weeks of periods;
#: ``validation_horizon``: see :mod:`forecasting.models.series`).
MODEL_OPTIONS: Mapping[str, Any] = MappingProxyType(
    {
        "growth": "auto",
        "changepoint_range": 0.8,
        "changepoint_prior_scale": 0.05,
        "seasonality_prior_scale": 10.0,
        "holidays_prior_scale": 0.03,
        "yearly_order": 10,
        "interval": "residual",
        "uncertainty_samples": 200,
        "level_uncertainty": 3.0,
        "solver": "map",
        "min_history": None,
        "max_zero_share": 0.8,
        "validation_horizon": None,
        "backtest_windows": 2,
        "candidates": None,
        "selection": "global",
        "pooling": True,
    }
)

#: What to do when a model fails numerically on a series: use the ``recent_level`` fallback and
#: record the error, or raise it.
ON_ERROR = ("fallback", "raise")

#: The errors a model raises when its numbers fail on one series: singular or non-positive-definite
#: matrices (:class:`numpy.linalg.LinAlgError`), overflow and division by zero
#: (:class:`ArithmeticError`, which includes :class:`FloatingPointError`), statsmodels' and scipy's
#: optimisers rejecting the data or their start (:class:`ValueError`), and cmdstan's optimiser
#: failing inside Prophet (:class:`RuntimeError`). :func:`falls_back` says which of them the
#: fallback handles.
NUMERICAL_ERRORS: tuple[type[Exception], ...] = (
    np.linalg.LinAlgError,
    ArithmeticError,
    ValueError,
    RuntimeError,
)

#: Subclasses of :data:`NUMERICAL_ERRORS` that report a mistake, not a numerical failure; they are
#: always raised.
_NOT_NUMERICAL: tuple[type[Exception], ...] = (
    LaunchcastError,
    NotImplementedError,
    RecursionError,
)


def falls_back(exc: BaseException, on_error: str) -> bool:
    """Whether a failure of one series is handled by the ``recent_level`` fallback.

    Only numerical failures (:data:`NUMERICAL_ERRORS`, but not launchcast's own errors,
    ``NotImplementedError`` or ``RecursionError``) with ``on_error="fallback"``; everything else
    is raised.

    Parameters
    ----------
    exc : BaseException
        The error a model raised.
    on_error : {"fallback", "raise"}
        The forecaster's setting.

    Returns
    -------
    bool

    Examples
    --------
    >>> falls_back(np.linalg.LinAlgError("Singular matrix"), "fallback")
    True
    >>> falls_back(np.linalg.LinAlgError("Singular matrix"), "raise")
    False
    >>> falls_back(AttributeError("'str' object has no attribute 'features_for'"), "fallback")
    False
    """
    return (
        on_error == "fallback"
        and isinstance(exc, NUMERICAL_ERRORS)
        and not isinstance(exc, _NOT_NUMERICAL)
    )


def quantile_columns(quantiles: Sequence[float]) -> list[str]:
    """Name the quantile columns: ``"p"`` + percent (``0.1 -> "p10"``, ``0.975 -> "p97.5"``).

    Parameters
    ----------
    quantiles : sequence of float
        Probabilities strictly between 0 and 1.

    Returns
    -------
    list of str
        One column name per quantile, in the given order.

    Examples
    --------
    >>> quantile_columns([0.05, 0.5, 0.975])
    ['p5', 'p50', 'p97.5']
    """
    names = []
    for q in quantiles:
        pct = round(float(q) * 100, 6)
        names.append(f"p{int(pct)}" if float(pct).is_integer() else f"p{pct:g}")
    return names


def validate_quantiles(quantiles: Sequence[float]) -> tuple[float, ...]:
    """Check and sort quantile levels.

    Parameters
    ----------
    quantiles : sequence of float
        Probabilities strictly between 0 and 1, no duplicates.

    Returns
    -------
    tuple of float
        The levels in increasing order.

    Raises
    ------
    DataValidationError
        When a level is outside (0, 1), repeated, or the sequence is empty.

    Examples
    --------
    >>> validate_quantiles([0.9, 0.1, 0.5])
    (0.1, 0.5, 0.9)
    """
    try:
        levels = tuple(sorted(float(q) for q in quantiles))
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"quantiles={quantiles!r}: expected numbers between 0 and 1, e.g. (0.1, 0.5, 0.9)"
        ) from exc
    bad = [q for q in levels if not 0.0 < q < 1.0]
    if not levels or bad or len(set(levels)) != len(levels):
        raise DataValidationError(
            f"quantiles={quantiles!r}: each level must lie strictly between 0 and 1 "
            "and appear once "
            f"(offending: {bad[:5] or 'duplicates or empty'}); pass e.g. quantiles=(0.1, 0.5, 0.9)"
        )
    return levels


@dataclass(frozen=True)
class SeriesConfig:
    """Everything a per-series model needs besides the series itself (frozen and picklable).

    Parameters
    ----------
    model : str
        One of :data:`MODELS`.
    freq : str
        Pandas frequency of the series: ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"`` (months
        labelled by their first or last day).
    quantiles : tuple of float
        Quantile levels of the output.
    market : str
        Calendar market for the Prophet events (``"CN"``, ``"US"``, ...).
    calendar : object, optional
        A :class:`~forecasting.models.CalendarFeatures` shared by all series, so
        that holiday frames and weekly event features are built once.
    options : dict
        Model options (see :class:`~forecasting.models.DemandForecaster`); the options not given
        take their defaults from :data:`MODEL_OPTIONS`.

    Examples
    --------
    >>> cfg = SeriesConfig(model="prophet", freq="W-SUN", options={"growth": "flat"})
    >>> cfg.option("growth"), cfg.option("changepoint_range")
    ('flat', 0.8)
    >>> monthly = SeriesConfig(freq="MS")
    >>> monthly.is_monthly, monthly.is_weekly, monthly.season_length
    (True, False, 12)
    """

    model: str = "prophet"
    freq: str = "D"
    quantiles: tuple[float, ...] = (0.1, 0.5, 0.9)
    market: str = "CN"
    calendar: Any = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", {**MODEL_OPTIONS, **self.options})

    @property
    def is_daily(self) -> bool:
        """True for daily data."""
        return frequency_kind(self.freq) == "daily"

    @property
    def is_weekly(self) -> bool:
        """True for weekly data (any ``"W-<DAY>"``)."""
        return frequency_kind(self.freq) == "weekly"

    @property
    def is_monthly(self) -> bool:
        """True for monthly data (``"MS"`` or ``"ME"``)."""
        return frequency_kind(self.freq) == "monthly"

    @property
    def season_length(self) -> int:
        """Periods in one year: 364 days or 52 weeks (aligned by weekday), or 12 months."""
        return seasonal_period(self.freq)

    def option(self, name: str, default: Any = None) -> Any:
        """Return a model option (every option of :data:`MODEL_OPTIONS` is set), or ``default``
        for a name that is not an option."""
        return self.options.get(name, default)


class SeriesModel(Protocol):
    """What every per-series model offers (fitted state ends in ``_``)."""

    name: str

    def fit(self, y: pd.Series, config: SeriesConfig) -> SeriesModel:
        """Fit on a regular series of units."""
        ...

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``date, mean`` and the quantile columns for ``dates`` (after the history)."""
        ...


def future_dates(last: pd.Timestamp, horizon: int, freq: str) -> pd.DatetimeIndex:
    """Return the ``horizon`` period labels after ``last``.

    Parameters
    ----------
    last : Timestamp
        Last date of the history.
    horizon : int
        Number of periods (days, weeks or months).
    freq : str
        ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"``.

    Returns
    -------
    DatetimeIndex

    Examples
    --------
    >>> list(future_dates(pd.Timestamp("2012-04-27"), 2, "W-FRI").strftime("%Y-%m-%d"))
    ['2012-05-04', '2012-05-11']
    >>> list(future_dates(pd.Timestamp("2016-05-01"), 2, "MS").strftime("%Y-%m-%d"))
    ['2016-06-01', '2016-07-01']
    >>> list(future_dates(pd.Timestamp("2016-01-31"), 2, "ME").strftime("%Y-%m-%d"))
    ['2016-02-29', '2016-03-31']
    """
    offset = period_offset(freq)
    return pd.date_range(
        pd.Timestamp(last) + offset, periods=int(horizon), freq=offset, name="date"
    )


def finalize_forecast(
    dates: pd.DatetimeIndex,
    mean: np.ndarray,
    quantile_values: np.ndarray,
    quantiles: Sequence[float],
) -> pd.DataFrame:
    """Assemble a forecast frame: clip at zero, sort quantiles (never cross), keep the mean finite.

    Parameters
    ----------
    dates : DatetimeIndex
        Forecast dates.
    mean : ndarray, shape (n,)
        Expected units.
    quantile_values : ndarray, shape (n, k)
        One column per quantile level (in increasing level order).
    quantiles : sequence of float
        The levels, increasing.

    Returns
    -------
    DataFrame
        ``date, mean, p..`` with non-negative values and ``p10 <= p50 <= p90`` on every row.

    Examples
    --------
    >>> f = finalize_forecast(pd.date_range("2024-01-01", periods=2), np.array([1.0, -2.0]),
    ...                       np.array([[2.0, 1.0], [-1.0, 0.5]]), (0.1, 0.9))
    >>> f[["mean", "p10", "p90"]].to_numpy().tolist()
    [[1.0, 1.0, 2.0], [0.0, 0.0, 0.5]]
    """
    values = np.asarray(quantile_values, dtype=float).reshape(len(dates), len(quantiles))
    values = np.sort(np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0), axis=1)
    values = np.clip(values, 0.0, None)
    mean_values = np.clip(np.nan_to_num(np.asarray(mean, dtype=float), nan=0.0), 0.0, None)
    columns = {"date": pd.DatetimeIndex(dates).as_unit("ns"), "mean": mean_values}
    # one constructor call: adding the columns one by one costs ~1 ms per series (issue 8 profile)
    columns.update(zip(quantile_columns(quantiles), values.T, strict=True))
    return pd.DataFrame(columns)
