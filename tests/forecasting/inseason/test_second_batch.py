"""The second batch's newsvendor and the first batch that expects it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.depth.newsvendor import newsvendor_quantity
from forecasting.exceptions import DataValidationError
from forecasting.inseason import SECOND_BATCH_COLUMNS, first_batch_before_reorder, second_batch


def _forecast(sku: str = "A", first_week: int = 3, weeks: int = 8, per_week: float = 20.0):
    week = np.arange(first_week, first_week + weeks)
    cum = per_week * np.arange(1, weeks + 1)
    return pd.DataFrame({"sku": sku, "week": week, "cum_mean": cum, "cum_sd": 0.4 * cum})


ECON = {"price": 100.0, "unit_cost": 40.0, "salvage_value": 10.0}


def test_more_stock_means_a_smaller_batch_and_enough_stock_means_none() -> None:
    fc = _forecast()
    quantities = [
        int(second_batch(fc, stock=s, **ECON)["quantity"].iloc[0]) for s in (0, 40, 100, 400)
    ]
    assert quantities == sorted(quantities, reverse=True)
    assert quantities[0] > 0
    batch = second_batch(fc, stock=400, **ECON)
    assert batch["decision"].tolist() == ["none"]
    assert list(batch.columns) == SECOND_BATCH_COLUMNS


def test_expected_outcomes_add_up() -> None:
    batch = second_batch(_forecast(), stock={"A": 30}, **ECON).iloc[0]
    demand = batch["demand_lead"] + batch["demand_after"]
    assert batch["expected_sold"] + batch["expected_lost_sales"] == pytest.approx(demand)
    assert batch["expected_sold"] + batch["expected_leftover"] == pytest.approx(
        batch["stock"] + batch["quantity"]
    )
    assert batch["expected_lost_sales"] < batch["expected_lost_sales_without"]
    assert batch["expected_profit_gain"] > 0


def test_the_lead_time_is_served_by_the_stock_alone() -> None:
    # with no stock, the lead weeks' demand is lost whatever is ordered: the batch covers the rest
    fc = _forecast()
    short = second_batch(fc, stock=0, lead_weeks=2, **ECON).iloc[0]
    long = second_batch(fc, stock=0, lead_weeks=6, **ECON).iloc[0]
    assert long["quantity"] < short["quantity"]
    assert long["expected_lost_sales"] > short["expected_lost_sales"]


def test_packs_and_several_skus() -> None:
    fc = pd.concat([_forecast("A"), _forecast("B", per_week=5.0)])
    stock = pd.DataFrame({"sku": ["A", "B", "B"], "store": ["s1", "s1", "s2"], "units": [0, 1, 1]})
    batch = second_batch(fc, stock=stock, pack_size=6, **ECON)
    assert batch["sku"].tolist() == ["A", "B"]
    assert batch["stock"].tolist() == [0.0, 2.0]
    assert (batch["quantity"] % 6 == 0).all()


def test_bad_input_is_one_clear_error() -> None:
    fc = _forecast()
    with pytest.raises(DataValidationError, match="stock: no value for sku"):
        second_batch(fc, stock={"B": 1}, **ECON)
    with pytest.raises(DataValidationError, match="price is not above"):
        second_batch(fc, stock=0, price=30.0, unit_cost=40.0)
    with pytest.raises(DataValidationError, match="weeks left"):
        second_batch(_forecast(weeks=2), stock=0, lead_weeks=2, **ECON)
    with pytest.raises(DataValidationError, match="missing columns"):
        second_batch(fc.drop(columns="cum_sd"), stock=0, **ECON)
    with pytest.raises(DataValidationError, match="negative"):
        second_batch(fc, stock=-1, **ECON)


def test_first_batch_between_the_cover_and_the_season() -> None:
    fc = _forecast(first_week=1, weeks=12)
    depth = {
        week: int(first_batch_before_reorder(fc, reorder_week=week, **ECON)["quantity"].iloc[0])
        for week in (1, 3, 5, 9, 13)
    }
    assert depth[1] == 0  # the second batch is there from the start
    assert list(depth.values()) == sorted(depth.values())
    # no second batch within the season: the season's newsvendor
    last = fc.iloc[-1]
    ratio = (ECON["price"] - ECON["unit_cost"]) / (ECON["price"] - ECON["salvage_value"])
    season = newsvendor_quantity(last["cum_mean"], last["cum_sd"], ratio, distribution="lognormal")
    assert abs(depth[13] - season) <= 1
