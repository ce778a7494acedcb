"""Updating a planned demand distribution from the first weeks of sales."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inseason import default_share_sd, update_demand

PRIOR = pd.DataFrame({"sku": ["A", "B", "C"], "mean": [800.0] * 3, "sd": [400.0] * 3})


def _remaining(fc: pd.DataFrame) -> pd.Series:
    return fc.groupby("sku")["cum_mean"].last()


def test_sales_above_plan_raise_the_rest_and_below_lower_it() -> None:
    sold = pd.DataFrame({"sku": ["A", "B", "C"], "units": [400.0, 200.0, 50.0], "weeks_seen": 2})
    rest = _remaining(update_demand(PRIOR, sold, horizon_weeks=8))
    planned_rest = 800.0 * 6 / 8
    assert rest["A"] > planned_rest > rest["C"]
    assert rest["B"] == pytest.approx(planned_rest, rel=0.15)


def test_later_weeks_weigh_more_than_early_ones() -> None:
    # the same pace (twice the plan) moves the estimate further after four weeks than after one
    early = pd.DataFrame({"sku": ["A"], "units": [200.0], "weeks_seen": [1]})
    later = pd.DataFrame({"sku": ["A"], "units": [800.0], "weeks_seen": [4]})
    prior = PRIOR.iloc[:1]
    one = _remaining(update_demand(prior, early, horizon_weeks=8))["A"] / (7 / 8 * 800)
    four = _remaining(update_demand(prior, later, horizon_weeks=8))["A"] / (4 / 8 * 800)
    assert 1.0 < one < four < 2.0
    assert default_share_sd(1, 8) > default_share_sd(4, 8)


def test_weeks_not_seen_keep_the_plan_and_a_season_seen_whole_has_no_rows() -> None:
    sold = pd.DataFrame({"sku": ["B", "C"], "units": [0.0, 900.0], "weeks_seen": [0, 8]})
    fc = update_demand(PRIOR, sold, horizon_weeks=8)
    assert set(fc["sku"]) == {"A", "B"}
    assert fc[fc["sku"] == "A"]["week"].tolist() == list(range(1, 9))
    assert _remaining(fc)["B"] == pytest.approx(800.0)
    assert fc[fc["sku"] == "A"]["basis"].iloc[0] == "plan"
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()


def test_a_curve_moves_where_the_rest_of_the_season_lies() -> None:
    sold = pd.DataFrame({"sku": ["A"], "units": [100.0], "weeks_seen": [2]})
    front = [0.3, 0.3, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]
    fc = update_demand(PRIOR.iloc[:1], sold, horizon_weeks=8, curve=front)
    weekly = fc["mean"].to_numpy()
    assert weekly[0] > weekly[-1]
    # 100 units where the curve expected 60 % of the season: a weak product
    assert _remaining(fc)["A"] < 800 * 0.4


def test_bad_input_is_one_clear_error() -> None:
    sold = pd.DataFrame({"sku": ["Z"], "units": [5.0], "weeks_seen": [1]})
    with pytest.raises(DataValidationError, match="no prior"):
        update_demand(PRIOR, sold, horizon_weeks=8)
    ok = pd.DataFrame({"sku": ["A"], "units": [5.0], "weeks_seen": [1]})
    with pytest.raises(DataValidationError, match="curve"):
        update_demand(PRIOR, ok, horizon_weeks=8, curve=[1.0, 2.0])
    with pytest.raises(DataValidationError, match="weeks_seen"):
        update_demand(PRIOR, ok.assign(weeks_seen=9), horizon_weeks=8)
    with pytest.raises(DataValidationError, match="positive"):
        update_demand(PRIOR.assign(sd=0.0), ok, horizon_weeks=8)
    with pytest.raises(DataValidationError, match="missing columns"):
        update_demand(PRIOR, ok.drop(columns="weeks_seen"), horizon_weeks=8)
    assert np.isfinite(default_share_sd(8, 8))
