"""Accuracy metrics: values worked out by hand, missing actuals, degenerate inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from forecasting.models.metrics import (
    coverage,
    forecast_metrics,
    mase,
    mase_scale,
    pinball_loss,
    wape,
)


def test_wape_by_hand_and_missing_actuals() -> None:
    assert wape([10, 20, 30], [12, 18, 36]) == pytest.approx(10 / 60)
    assert wape([10, np.nan, 30], [12, 99, 36]) == pytest.approx(8 / 40)
    assert math.isnan(wape([0, 0], [1, 2]))


def test_wape_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="same length"):
        wape([1, 2], [1])


def test_mase_scale_and_mase() -> None:
    history = [1, 2, 3, 10, 20, 30]
    assert mase_scale(history, season=3) == pytest.approx(18.0)
    assert mase_scale(history, season=10) == pytest.approx(np.mean([1, 1, 7, 10, 10]))
    assert mase([5, 7], [4, 9], scale=1.5) == pytest.approx(1.0)
    assert math.isnan(mase([5], [4], scale=0.0))


def test_pinball_loss_is_asymmetric() -> None:
    # under-forecast by 2 at q=0.9 costs 1.8; over-forecast by 2 costs 0.2
    assert pinball_loss([10], [8], 0.9) == pytest.approx(1.8)
    assert pinball_loss([10], [12], 0.9) == pytest.approx(0.2)
    assert pinball_loss([10, 10], [10, 10], 0.5) == 0.0


def test_coverage_counts_bounds_inclusive() -> None:
    assert coverage([1, 2, 3, 4], [1, 0, 4, 0], [1, 1, 5, 4]) == pytest.approx(0.5)


def test_forecast_metrics_table() -> None:
    frame = pd.DataFrame(
        {
            "store": ["A", "A", "B", "B"],
            "actual": [10.0, 20.0, 5.0, 5.0],
            "mean": [10.0, 20.0, 5.0, 5.0],
            "p10": [8.0, 15.0, 6.0, 1.0],
            "p50": [12.0, 20.0, 5.0, 4.0],
            "p90": [14.0, 25.0, 9.0, 6.0],
        }
    )
    scales = pd.Series({"A": 2.0, "B": 0.5})
    m = forecast_metrics(frame, (0.1, 0.5, 0.9), ["store"], scales)
    assert m["wape"] == pytest.approx(3 / 40)
    assert m["mase"] == pytest.approx(np.mean([1.0 / 2.0, 0.5 / 0.5]))
    assert m["coverage_p10_p90"] == pytest.approx(0.75)
    assert m["pinball_p50"] == pytest.approx(np.mean([1.0, 0.0, 0.0, 0.5]))
    assert forecast_metrics(frame, (0.1, 0.5, 0.9), point="mean")["wape"] == 0.0
