"""Rolling-origin backtests on the vendored China clothing series."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.models import DemandForecaster
from forecasting.models.backtest import backtest

DATA = Path(__file__).resolve().parents[2] / "data"


def weekly_sales() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    long = raw.melt(id_vars="date", var_name="store", value_name="log")
    long["units"] = np.exp(long["log"]).round()
    weekly = long.set_index("date").groupby("store")["units"].resample("W-SUN").sum().reset_index()
    return weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] < "2011-12-31")]


def test_backtest_windows_forecasts_and_metrics() -> None:
    sales = weekly_sales()
    result = backtest(
        sales, DemandForecaster(model="seasonal_naive"), horizon=8, n_windows=3, by="store"
    )
    fc = result.forecasts
    assert list(fc.columns[:4]) == ["window", "cutoff", "store", "date"]
    assert {"actual", "mean", "p10", "p50", "p90"} <= set(fc.columns)
    assert len(fc) == 3 * 8 * 2
    assert fc.groupby("window")["cutoff"].nunique().eq(1).all()
    assert (fc["date"] > fc["cutoff"]).all()
    assert fc["date"].max() == sales["date"].max()
    metrics = result.metrics.set_index("window")
    assert list(metrics.index) == ["1", "2", "3", "all"]
    assert {"wape", "mase", "pinball_p10", "pinball_p50", "pinball_p90", "coverage_p10_p90"} <= set(
        metrics.columns
    )
    # recompute window 2's WAPE from the forecasts
    w2 = fc[fc["window"] == "2"]
    expected = np.abs(w2["actual"] - w2["p50"]).sum() / w2["actual"].sum()
    assert metrics.loc["2", "wape"] == pytest.approx(expected)
    # seasonal naive is MASE's own denominator: around 1 out of sample
    assert 0.2 < metrics.loc["all", "mase"] < 3.0


def test_backtest_does_not_touch_the_forecaster() -> None:
    f = DemandForecaster(model="ets")
    backtest(weekly_sales(), f, horizon=4, n_windows=1, by="store")
    assert not hasattr(f, "models_")


def test_backtest_too_short_history() -> None:
    sales = weekly_sales()
    with pytest.raises(DataValidationError, match="too short"):
        backtest(sales, DemandForecaster(model="ets"), horizon=52, n_windows=5, by="store")
    with pytest.raises(DataValidationError, match="horizon"):
        backtest(sales, DemandForecaster(model="ets"), horizon=0, n_windows=1)
