"""store_demand(): category shares, shrinkage toward the grade, new stores, consistent sd."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.allocation.store_demand import store_demand
from forecasting.exceptions import DataValidationError


def _history() -> pd.DataFrame:
    weeks = pd.date_range("2011-01-07", periods=26, freq="W-FRI")
    rows = []
    for store, coat, tee, region in [("A", 30, 5, "N"), ("B", 10, 15, "N"), ("C", 20, 20, "S")]:
        for week in weeks:
            rows.append((week, store, "coat-1", "coat", region, float(coat)))
            rows.append((week, store, "tee-1", "tee", region, float(tee)))
    frame = pd.DataFrame(rows, columns=["date", "store", "sku", "category", "region", "units"])
    young = (frame["store"] == "C") & (frame["date"] < weeks[-2])  # C has two weeks of history
    return frame.loc[~young].reset_index(drop=True)


def test_category_shares_and_sums() -> None:
    totals = pd.DataFrame({"sku": ["N1", "N2"], "mean": [100.0, 50.0], "category": ["coat", "tee"]})
    out = store_demand(totals, _history(), prior_periods=0)
    coat = out.loc[out["sku"] == "N1"].set_index("store")["share"]
    assert coat.to_dict() == pytest.approx({"A": 0.5, "B": 10 / 60, "C": 20 / 60})
    tee = out.loc[out["sku"] == "N2"].set_index("store")["share"]
    assert tee.to_dict() == pytest.approx({"A": 0.125, "B": 0.375, "C": 0.5})
    assert out.groupby("sku")["mean"].sum().to_dict() == pytest.approx({"N1": 100.0, "N2": 50.0})
    assert out["sd"].isna().all()  # a Poisson total splits into Poisson stores


def test_shrinkage_toward_grade_and_new_store() -> None:
    stores = pd.DataFrame({"store": ["A", "B", "C", "D"], "grade": ["1", "2", "2", "2"]})
    totals = pd.DataFrame({"sku": ["N1"], "mean": [120.0], "sd": [40.0], "category": ["coat"]})
    out = store_demand(totals, _history(), stores, prior_periods=4).set_index("store")
    # grade 2 rate (B 26 weeks at 10, C 2 weeks at 20) = (260 + 40) / 28
    grade = 300 / 28
    assert out.loc["D", "share"] / out.loc["A", "share"] == pytest.approx(grade / 30)
    c_rate = (40 + 4 * grade) / (2 + 4)
    assert out.loc["C", "share"] / out.loc["A", "share"] == pytest.approx(c_rate / 30)
    # sd split as a multinomial thinning of the total: variances add back to the total's
    pi = out["share"].to_numpy()
    expect = np.sqrt(pi**2 * 40.0**2 + pi * (1 - pi) * 120.0)
    np.testing.assert_allclose(out["sd"], expect)
    assert out["mean"].sum() == pytest.approx(120.0)


def test_by_region_and_product_region() -> None:
    totals = pd.DataFrame(
        {
            "sku": ["N1", "N2"],
            "mean": [90.0, 40.0],
            "category": ["coat", "coat"],
            "region": [None, "N"],
        }
    )
    out = store_demand(totals, _history(), by="region", prior_periods=0)
    n1 = out.loc[out["sku"] == "N1"].set_index("region")["share"]
    assert n1.to_dict() == pytest.approx({"N": 40 / 60, "S": 20 / 60})
    n2 = out.loc[out["sku"] == "N2"]
    assert n2["region"].tolist() == ["N"] and n2["mean"].iat[0] == pytest.approx(40.0)
    with pytest.raises(DataValidationError, match="by="):
        store_demand(totals, _history(), by="city")


def test_stores_outside_a_product_region_are_excluded_for_allocation() -> None:
    import warnings

    from forecasting.allocation.allocator import allocate

    totals = pd.DataFrame({"sku": ["N1", "N2"], "mean": [100.0, 40.0], "region": [None, "N"]})
    out = store_demand(totals, _history(), prior_periods=0)
    n2 = out.loc[out["sku"] == "N2"].set_index("store")
    assert n2["exclude"].to_dict() == {"A": False, "B": False, "C": True}
    assert n2["mean"].sum() == pytest.approx(40.0) and n2.loc["C", "share"] == 0.0
    stores = pd.DataFrame({"store": ["A", "B", "C"], "strategic": [False, False, True],
                           "min_units": [0, 0, 5]})  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plan = allocate(pd.DataFrame({"sku": ["N1", "N2"], "units": [90, 30]}), out, stores)
    units = plan.set_index(["sku", "store"])["units"]
    assert units[("N2", "C")] == 0 and units[("N1", "C")] >= 5
