"""Series keyed by any columns through the models: ``normalize_by``, the panel, the forecaster and
the backtest on Walmart's weekly sales keyed by store and department (issue 14, point 2)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import SalesTable, validate_sales
from forecasting.inputs.validation import DataQualityWarning
from forecasting.models import DemandForecaster
from forecasting.models.backtest import backtest
from forecasting.models.panel import normalize_by, series_panel

WALMART = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "walmart"
    / "train_2010-02_2012-04.csv"
)
needs_walmart = pytest.mark.skipif(not WALMART.exists(), reason="../shared/data is not available")


def _walmart() -> SalesTable:
    """Stores 1 and 2, departments 1-3: six real weekly series of 117 weeks."""
    raw = pd.read_csv(WALMART, nrows=20000)
    part = raw[raw["Store"].isin([1, 2]) & raw["Dept"].isin([1, 2, 3])]
    part = part.rename(columns={"Date": "date", "Weekly_Sales": "units"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # returns
        return validate_sales(part.drop(columns="IsHoliday"), by=["Store", "Dept"])


def _synthetic() -> pd.DataFrame:
    weeks = pd.date_range("2020-01-03", periods=120, freq="W-FRI")
    rows = []
    for store in ("a", "b"):
        for dept in (7, 9):
            level = 100.0 * (1 + (store == "b")) + dept
            season = 1 + 0.3 * np.sin(np.arange(120) * 2 * np.pi / 52)
            rows.append(
                pd.DataFrame({"date": weeks, "store": store, "dept": dept, "units": level * season})
            )
    return pd.concat(rows, ignore_index=True)


def test_normalize_by_accepts_any_columns() -> None:
    frame = pd.DataFrame({"date": [], "units": [], "Store": [], "Dept": []})
    assert normalize_by(frame, ["Store", "Dept"]) == ["Store", "Dept"]
    table = validate_sales(
        pd.DataFrame({"date": ["2012-01-06"], "item": ["x"], "units": [1]}), by="item"
    )
    assert normalize_by(table, "item") == ["item"]
    with pytest.raises(DataValidationError, match=r"validate_sales\(\.\.\., by=\['dept'\]\)"):
        normalize_by(table, "dept")


def test_panel_keys_keep_their_type() -> None:
    sales = validate_sales(_synthetic(), by=["store", "dept"])
    assert sales.frame["dept"].dtype == np.dtype("int64")
    panel = series_panel(sales.frame, ["store", "dept"], sales.freq)
    assert sorted(panel) == [("a", 7), ("a", 9), ("b", 7), ("b", 9)]
    assert all(len(y) == 120 for y in panel.values())


@needs_walmart
def test_forecaster_on_walmart_keyed_by_store_and_department() -> None:
    sales = _walmart()
    assert sales.keys == ("Store", "Dept")
    assert sales.frame["Store"].dtype == np.dtype("int64")
    model = DemandForecaster(model="seasonal_naive").fit(sales, by=["Store", "Dept"])
    fc = model.predict(4)
    assert fc.groupby(["Store", "Dept"]).size().to_dict() == {
        (s, d): 4 for s in (1, 2) for d in (1, 2, 3)
    }
    assert (fc["date"].dt.day_name() == "Friday").all()
    last = sales.frame[sales.frame["date"] == "2011-05-06"].set_index(["Store", "Dept"])["units"]
    first = fc[fc["date"] == "2012-05-04"].set_index(["Store", "Dept"])["p50"]
    pd.testing.assert_series_equal(
        first.sort_index(), last.sort_index().clip(lower=0), check_names=False
    )


@needs_walmart
def test_backtest_keyed_by_store_and_department() -> None:
    sales = _walmart()
    result = backtest(
        sales,
        DemandForecaster(model="seasonal_naive"),
        horizon=4,
        n_windows=2,
        by=["Store", "Dept"],
    )
    assert set(result.forecasts.groupby(["Store", "Dept"]).size()) == {8}
    assert result.metrics["n_series"].tolist() == [6, 6, 6]
    assert np.isfinite(result.metrics["wape"]).all()


def test_backtest_keys_a_data_frame_by_a_column_that_is_not_a_sales_column() -> None:
    sales = _synthetic()
    exact = backtest(
        sales,
        DemandForecaster(model="seasonal_naive"),
        horizon=4,
        n_windows=2,
        by=["store", "dept"],
    )
    assert sorted(exact.forecasts[["store", "dept"]].drop_duplicates().itertuples(index=False)) == [
        ("a", 7),
        ("a", 9),
        ("b", 7),
        ("b", 9),
    ]
    assert exact.metrics["wape"].iloc[-1] < 1e-9  # a pure yearly pattern: the naive rule is exact
    coarse = backtest(
        sales, DemandForecaster(model="seasonal_naive"), horizon=4, n_windows=2, by="dept"
    )
    assert sorted(coarse.forecasts["dept"].unique().tolist()) == [7, 9]  # added up over stores
    actual = coarse.forecasts.query("dept == 7")["actual"].to_numpy()
    weeks = coarse.forecasts.query("dept == 7")["date"]
    expected = sales[(sales["dept"] == 7) & sales["date"].isin(weeks)].groupby("date")["units"]
    np.testing.assert_allclose(actual, expected.sum().reindex(weeks).to_numpy())
