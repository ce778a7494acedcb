"""Demand models: :class:`DemandForecaster` over many series, and the per-series pieces it maps.

Examples
--------
>>> from forecasting.models import DemandForecaster
>>> DemandForecaster(model="seasonal_naive").model
'seasonal_naive'
"""

from __future__ import annotations

from forecasting.models.backtest import BacktestResult, backtest
from forecasting.models.base import MODELS, SeriesConfig, quantile_columns
from forecasting.models.calendar_features import CalendarFeatures
from forecasting.models.forecaster import DemandForecaster
from forecasting.models.hierarchy import TopDownForecaster
from forecasting.models.metrics import coverage, forecast_metrics, mase, pinball_loss, wape
from forecasting.models.series import FittedSeries, fit_series, forecast_series

__all__ = [
    "MODELS",
    "BacktestResult",
    "CalendarFeatures",
    "DemandForecaster",
    "FittedSeries",
    "SeriesConfig",
    "TopDownForecaster",
    "backtest",
    "coverage",
    "fit_series",
    "forecast_metrics",
    "forecast_series",
    "mase",
    "pinball_loss",
    "quantile_columns",
    "wape",
]
