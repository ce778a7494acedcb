"""allocation_report(): expected sales, leftovers, shadow price and the exact cost of minimums."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.allocation.allocator import allocate
from forecasting.allocation.report import allocation_report
from forecasting.depth.distributions import expected_sales


def _demand() -> pd.DataFrame:
    return pd.DataFrame(
        {"store": ["A", "B", "C", "D"], "mean": [12.0, 6.0, 1.0, 0.5], "sd": [6.0, None, 1.5, None]}
    )


def test_totals_add_up_and_match_expected_sales() -> None:
    plan = allocate(20, _demand(), holdback=0.1)
    report = allocation_report(plan)
    stores = report.stores
    np.testing.assert_allclose(
        stores["expected_sales"], expected_sales(stores["mean"], stores["sd"], stores["units"])
    )
    np.testing.assert_allclose(
        stores["expected_leftover"] + stores["expected_sales"], stores["units"]
    )
    np.testing.assert_allclose(
        stores["expected_lost_sales"] + stores["expected_sales"], stores["mean"]
    )
    row = report.products.iloc[0]
    assert row["quantity"] == 20 and row["warehouse"] == 2 and row["to_stores"] == 18
    assert row["shadow_price"] == pytest.approx(plan.attrs["shadow_price"]["product"])
    assert row["cost_of_all_minimums"] == 0.0
    assert report.minimums.empty


def test_minimum_cost_equals_solving_again_without_it() -> None:
    demand = _demand()
    stores = pd.DataFrame({"store": ["A", "B", "C", "D"], "min_units": [0, 0, 4, 3]})
    plan = allocate(20, demand, stores)
    report = allocation_report(plan)
    base = report.products["expected_sales"].iat[0]
    for store in ("C", "D"):
        without = allocate(
            20,
            demand,
            stores.assign(min_units=stores["min_units"].where(stores["store"] != store, 0)),
        )
        alt = allocation_report(without).products["expected_sales"].iat[0]
        row = report.minimums.set_index("store").loc[store]
        assert row["net_cost"] == pytest.approx(alt - base, abs=1e-12)
        assert row["net_cost"] > 0
        got_units = without.set_index("store").loc[store, "units"]
        assert row["units_without_minimum"] == got_units
    free = allocate(20, demand)
    all_cost = allocation_report(free).products["expected_sales"].iat[0] - base
    assert report.products["cost_of_all_minimums"].iat[0] == pytest.approx(all_cost, abs=1e-12)
    assert set(report.sheets()) == {"products", "stores", "minimums"}


def test_warehouse_is_not_a_store_and_units_the_stores_cannot_take_are_counted() -> None:
    demand = _demand()
    stores = pd.DataFrame({"store": ["A", "B", "C", "D"], "max_units": [10, 10, 10, 10]})
    plan = allocate(1000, demand, stores, holdback=0.1, pack_size=3)
    row = allocation_report(plan).products.iloc[0]
    assert row["stores"] == 4  # the warehouse row is not counted
    held, odd = 100, 900 % 3
    assert row["holdback_units"] == held and row["pack_remainder"] == odd
    # caps in packs of 3: 9 units per store at most; D (mean 0.5) stops where it would not sell
    assert row["to_stores"] == int(plan.loc[plan["store"] != "DC", "units"].sum())
    assert row["stores_at_cap"] == int((plan.loc[plan["store"] != "DC", "units"] == 9).sum())
    assert row["beyond_stores"] == row["warehouse"] - held - odd == 1000 - row["to_stores"] - 100
    assert row["beyond_stores"] > 0 and row["quantity"] == 1000
    uncapped = allocation_report(allocate(20, demand)).products.iloc[0]
    assert uncapped["beyond_stores"] == 0 and uncapped["stores_at_cap"] == 0
