"""launchcast forecasting: data, models, launch timing, first-batch depth, allocation and replenishment."""

from __future__ import annotations

from forecasting.exceptions import (
    AllocationError,
    DataValidationError,
    LaunchcastError,
    MissingDependencyError,
    NotFittedError,
)

__all__ = [
    "AllocationError",
    "DataValidationError",
    "LaunchcastError",
    "MissingDependencyError",
    "NotFittedError",
]
