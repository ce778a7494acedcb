"""Only the presentation minimums that change the allocation are listed, and never at -0.0."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.allocation.allocator import allocate
from forecasting.allocation.report import allocation_report


def test_a_minimum_met_anyway_is_not_binding() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [10.0, 10.0], "sd": [2.0, 2.0]})
    stores = pd.DataFrame({"store": ["A", "B"], "min_units": [0, 10]})
    plan = allocate(20, demand, stores)
    units = plan.set_index("store")["units"]
    assert units["B"] == 10  # held at its minimum, but it gets 10 without it too
    report = allocation_report(plan)
    assert report.minimums.empty
    assert (report.products["cost_of_each_minimum_summed"] == 0).all()
    assert not np.signbit(report.products["cost_of_all_minimums"].to_numpy()).any()


def test_a_minimum_that_moves_units_is_binding_and_costs() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [16.0, 4.0], "sd": [3.0, 1.5]})
    stores = pd.DataFrame({"store": ["A", "B"], "min_units": [0, 10]})
    report = allocation_report(allocate(20, demand, stores))
    row = report.minimums.set_index("store").loc["B"]
    assert row["units_without_minimum"] < row["units"] == 10
    assert row["net_cost"] > 0
    for column in ("sales_gained_here", "sales_lost_elsewhere", "net_cost"):
        assert not np.signbit(report.minimums[column].to_numpy()).any()
