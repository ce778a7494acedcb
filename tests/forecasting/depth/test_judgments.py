"""Judgments: calibration of the panel's dispersion on history, and the blend with the model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.depth.judgments import calibrate_dispersion, combine_judgments
from forecasting.exceptions import DataValidationError

JUDGES = ["buyer", "planner", "store_a", "store_b"]


def _panel(n: int, true_factor: float, seed: int) -> pd.DataFrame:
    """Judges scatter around a common view; the truth lies ``true_factor`` panel sds away."""
    rng = np.random.default_rng(seed)
    view = rng.uniform(50, 500, n)
    rows = []
    for i in range(n):
        estimates = view[i] * (1 + 0.2 * rng.standard_normal(len(JUDGES)))
        estimates = np.clip(estimates, 1, None)
        actual = estimates.mean() + true_factor * estimates.std(ddof=1) * rng.standard_normal()
        rows += [
            (f"P{i}", judge, est, actual) for judge, est in zip(JUDGES, estimates, strict=True)
        ]
    return pd.DataFrame(rows, columns=["sku", "forecaster", "units", "actual"])


def test_calibration_recovers_the_known_error_factor() -> None:
    history = _panel(400, true_factor=2.5, seed=1)
    factor, n = calibrate_dispersion(history)
    assert n == 400
    assert factor == pytest.approx(2.5, rel=0.1)


def test_calibrated_spread_covers_new_outcomes() -> None:
    history = _panel(400, true_factor=2.5, seed=1)
    new = _panel(600, true_factor=2.5, seed=2)
    out = combine_judgments(new.drop(columns="actual"), history=history)
    assert out.attrs["calibration"].startswith("history: 400")
    actual = new.groupby("sku")["actual"].first().loc[out["sku"]].to_numpy()
    inside = np.abs(actual - out["mean"].to_numpy()) <= 1.2816 * out["sd"].to_numpy()
    assert 0.74 <= inside.mean() <= 0.86
    # the raw dispersion alone would be far too narrow
    raw = (
        np.abs(actual - out["judge_mean"].to_numpy()) <= 1.2816 * out["judge_dispersion"].to_numpy()
    )
    assert raw.mean() < 0.5


def test_default_factor_without_history() -> None:
    j = pd.DataFrame(
        {
            "sku": ["A", "A", "B", "B", "B", "C"],
            "forecaster": ["x", "y", "x", "y", "z", "x"],
            "units": [80.0, 120.0, 10.0, 20.0, 30.0, 50.0],
        }
    )
    out = combine_judgments(j).set_index("sku")
    assert "Fisher & Raman" in out.attrs["calibration"]
    assert out.loc["A", "judge_mean"] == 100 and out.loc["A", "judge_dispersion"] == pytest.approx(
        28.2843, 1e-4
    )
    assert out.loc["A", "sd"] == pytest.approx(2 * 28.2843, 1e-4)
    assert (out["judge_weight"] == 1).all()
    # one judge: dispersion = estimate x median coefficient of variation of the other products (0.5)
    cv = np.median([28.2843 / 100, 10 / 20])
    assert out.loc["C", "judge_dispersion"] == pytest.approx(50 * cv, 1e-4)
    assert out.loc["C", "n_judges"] == 1


def test_precision_weighting_and_model_only_products() -> None:
    j = pd.DataFrame({"sku": ["A", "A"], "forecaster": ["x", "y"], "units": [90.0, 110.0]})
    judge_sd = 2 * np.std([90.0, 110.0], ddof=1)
    model = pd.DataFrame({"sku": ["A", "B"], "mean": [160.0, 40.0], "sd": [judge_sd * 2, 8.0]})
    out = combine_judgments(j, model).set_index("sku")
    w = 4 / 5  # model variance 4x the judges'
    assert out.loc["A", "judge_weight"] == pytest.approx(w)
    assert out.loc["A", "mean"] == pytest.approx(w * 100 + (1 - w) * 160)
    assert out.loc["A", "sd"] == pytest.approx(
        np.sqrt(1 / (1 / judge_sd**2 + 1 / (2 * judge_sd) ** 2))
    )
    assert (
        out.loc["B", "judge_weight"] == 0 and out.loc["B", "mean"] == 40 and out.loc["B", "sd"] == 8
    )
    assert out.loc["B", "n_judges"] == 0


def test_fixed_weight_is_a_linear_pool() -> None:
    j = pd.DataFrame({"sku": ["A", "A"], "forecaster": ["x", "y"], "units": [90.0, 110.0]})
    model = pd.DataFrame({"sku": ["A"], "mean": [160.0], "sd": [30.0]})
    out = combine_judgments(j, model, judge_weight=0.25)
    sj = 2 * np.std([90.0, 110.0], ddof=1)
    var = 0.25 * sj**2 + 0.75 * 30.0**2 + 0.25 * 0.75 * 60.0**2
    assert out.loc[0, "mean"] == pytest.approx(0.25 * 100 + 0.75 * 160)
    assert out.loc[0, "sd"] == pytest.approx(np.sqrt(var))
    with pytest.raises(DataValidationError, match="judge_weight"):
        combine_judgments(j, model, judge_weight=1.5)


def test_weekly_model_forecast_summed_over_the_judgments_horizon() -> None:
    j = pd.DataFrame(
        {
            "sku": ["A", "A"],
            "forecaster": ["x", "y"],
            "units": [30.0, 50.0],
            "horizon_weeks": [3, 3],
        }
    )
    weekly = pd.DataFrame(
        {
            "sku": ["A"] * 5,
            "week": range(1, 6),
            "mean": [10.0] * 5,
            "p10": [5.0] * 5,
            "p50": [10.0] * 5,
            "p90": [15.0] * 5,
        }
    )
    out = combine_judgments(j, weekly)
    assert out.loc[0, "model_mean"] == 30.0 and out.loc[0, "horizon_weeks"] == 3
    with pytest.raises(DataValidationError, match="horizon"):
        combine_judgments(j.drop(columns="horizon_weeks"), weekly)


def test_bad_inputs() -> None:
    single = pd.DataFrame({"sku": ["A", "B"], "forecaster": ["x", "x"], "units": [10.0, 20.0]})
    with pytest.raises(DataValidationError, match="single judge"):
        combine_judgments(single)
    with pytest.raises(DataValidationError, match="units"):
        combine_judgments(single.assign(units=[-1.0, 3.0]))
    small = _panel(3, true_factor=2.0, seed=3)
    with pytest.raises(DataValidationError, match="calibration needs 5"):
        combine_judgments(_panel(2, 2.0, 4).drop(columns="actual"), history=small)
    with pytest.raises(DataValidationError, match="actual"):
        calibrate_dispersion(small.drop(columns="actual"))
