"""When demand surges, and the launch calendar that delivers just before it."""

from __future__ import annotations

from forecasting.timing.launch import delivery_date, recommend_launches
from forecasting.timing.surges import detect_surges, surge_profile
from forecasting.timing.waves import assign_waves

__all__ = [
    "assign_waves",
    "delivery_date",
    "detect_surges",
    "recommend_launches",
    "surge_profile",
]
