"""Demand models: :class:`DemandForecaster` over many series, and the per-series pieces it maps.

Examples
--------
>>> from forecasting.models import DemandForecaster
>>> DemandForecaster(model="seasonal_naive").model
'seasonal_naive'
"""

from __future__ import annotations

from forecasting.models.base import MODELS, SeriesConfig, quantile_columns
from forecasting.models.calendar_features import CalendarFeatures
from forecasting.models.forecaster import DemandForecaster
from forecasting.models.series import FittedSeries, fit_series, forecast_series

__all__ = [
    "MODELS",
    "CalendarFeatures",
    "DemandForecaster",
    "FittedSeries",
    "SeriesConfig",
    "fit_series",
    "forecast_series",
    "quantile_columns",
]
