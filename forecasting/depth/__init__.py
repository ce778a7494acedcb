"""New-product forecasts, judgments, demand distributions and the first-batch newsvendor depth."""

from __future__ import annotations

from forecasting.depth.first_batch import first_batch_depth
from forecasting.depth.judgments import calibrate_dispersion, combine_judgments
from forecasting.depth.newproducts import NewProductForecaster, launch_curves
from forecasting.depth.newsvendor import newsvendor_outcomes, newsvendor_quantity
from forecasting.depth.topdown import launch_shares, top_down_demand

__all__ = [
    "NewProductForecaster",
    "calibrate_dispersion",
    "combine_judgments",
    "first_batch_depth",
    "launch_curves",
    "launch_shares",
    "newsvendor_outcomes",
    "newsvendor_quantity",
    "top_down_demand",
]
