"""Top-down demand of new products: the forecast of their window times their share."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting.depth import combine_judgments, launch_shares, top_down_demand
from forecasting.depth.topdown import combine_cv, forecast_window
from forecasting.exceptions import DataValidationError
from forecasting.inputs import DataQualityWarning, validate_products

Z_WIDTH = float(stats.norm.ppf(0.9) - stats.norm.ppf(0.1))


def _forecast(days: int = 70, stores: tuple[str, ...] = ("S1", "S2"), sd: float = 0.0):
    """Each store sells its day number (1, 2, ...) from 2012-03-01; p10/p90 at mean -/+ sd."""
    dates = pd.date_range("2012-03-01", periods=days)
    rows = []
    for store in stores:
        mean = np.arange(1, days + 1, dtype=float)
        half = sd * Z_WIDTH / 2
        rows.append(
            pd.DataFrame(
                {
                    "store": store,
                    "date": dates,
                    "mean": mean,
                    "p10": mean - half,
                    "p50": mean,
                    "p90": mean + half,
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _products(**extra: object) -> pd.DataFrame:
    base = {
        "sku": ["A", "B"],
        "category": ["coat", "knit"],
        "shelf_start": pd.to_datetime(["2012-03-01", "2012-03-08"]),
    }
    return pd.DataFrame({**base, **extra})


def test_the_window_is_the_sum_over_stores_and_days_of_the_products_weeks() -> None:
    forecast = _forecast()
    out = top_down_demand(forecast, _products(plan_share=[0.5, 0.5]), horizon_weeks=2)
    # A: days 1..14 in two stores; B: days 8..21
    assert out["window_units"].tolist() == [2 * sum(range(1, 15)), 2 * sum(range(8, 22))]
    assert len(forecast_window(forecast, pd.Timestamp("2012-03-08"), 2)) == 2 * 14


def test_the_mean_scales_with_the_share() -> None:
    out = top_down_demand(_forecast(), _products(plan_share=[0.01, 0.04]), horizon_weeks=3)
    a, b = out.set_index("sku").loc["A"], out.set_index("sku").loc["B"]
    assert a["mean"] == pytest.approx(0.01 * a["window_units"])
    assert b["mean"] == pytest.approx(0.04 * b["window_units"])
    assert a["sd"] / a["mean"] == pytest.approx(b["sd"] / b["mean"])  # same CVs, same ratio
    assert "plan share 1.000%" in a["basis"] and "top-down" in a["basis"]


def test_the_cvs_of_the_window_and_the_share_combine_as_lognormal_factors() -> None:
    forecast = _forecast(sd=2.0)  # every row: sd 2
    out = top_down_demand(
        forecast, _products(plan_share=[0.1, 0.1]), horizon_weeks=2, plan_share_cv=0.4
    )
    a = out.set_index("sku").loc["A"]
    window_sd = 2 * 14 * 2.0  # the rows' sds add up (they move together)
    assert a["window_sd"] == pytest.approx(window_sd)
    cv_window = window_sd / a["window_units"]
    expected = math.sqrt((1 + cv_window**2) * (1 + 0.4**2) - 1)
    assert a["sd"] / a["mean"] == pytest.approx(expected)
    assert a["share_cv"] == 0.4
    assert combine_cv(0.3, 0.4) == pytest.approx(math.sqrt(1.09 * 1.16 - 1))
    assert combine_cv(0.0, 0.0) == 0.0


def test_a_certain_window_leaves_the_shares_cv() -> None:
    out = top_down_demand(_forecast(), _products(plan_share=[0.2, 0.2]), horizon_weeks=1)
    assert (out["window_sd"] == 0).all()
    assert (out["sd"] / out["mean"]).to_numpy() == pytest.approx([0.5, 0.5])  # the default


def test_a_product_without_a_share_has_no_estimate_and_is_named() -> None:
    with pytest.warns(DataQualityWarning, match=r"plan_share.*1 product.*sku='B'"):
        out = top_down_demand(_forecast(), _products(plan_share=[0.01, np.nan]), horizon_weeks=2)
    assert out["sku"].tolist() == ["A"]
    with pytest.warns(DataQualityWarning, match="2 product"):
        none = top_down_demand(_forecast(), _products(), horizon_weeks=2)
    assert none.empty and {"sku", "mean", "sd", "basis"} <= set(none.columns)


@pytest.mark.parametrize("bad", [0.0, 1.5, -0.1])
def test_a_plan_share_outside_zero_one_is_an_error(bad: float) -> None:
    products = _products(plan_share=[0.01, bad])
    with pytest.raises(DataValidationError, match=r"plan_share.*sku='B'.*Fix:") as caught:
        validate_products(products)
    assert "\n" not in str(caught.value)
    with pytest.raises(DataValidationError, match="plan_share"):
        top_down_demand(_forecast(), products, horizon_weeks=2)
    assert validate_products(_products(plan_share=[1.0, None])).frame["plan_share"].iloc[0] == 1


def test_a_forecast_that_stops_before_the_window_ends_is_an_error() -> None:
    with pytest.raises(DataValidationError, match=r"does not cover.*\['B'\]"):
        top_down_demand(_forecast(days=20), _products(plan_share=[0.1, 0.1]), horizon_weeks=2)


def test_bad_arguments_are_errors() -> None:
    with pytest.raises(DataValidationError, match="horizon_weeks"):
        top_down_demand(_forecast(), _products(plan_share=[0.1, 0.1]), horizon_weeks=0)
    with pytest.raises(DataValidationError, match="plan_share_cv"):
        top_down_demand(
            _forecast(), _products(plan_share=[0.1, 0.1]), horizon_weeks=1, plan_share_cv=-1
        )
    with pytest.raises(DataValidationError, match="shelf_start"):
        top_down_demand(
            _forecast(), _products(plan_share=[0.1, 0.1]).drop(columns="shelf_start"), 1
        )


def test_shares_of_past_launches_stand_in_for_a_missing_plan_share() -> None:
    days = pd.date_range("2011-01-03", periods=120)
    brand = pd.DataFrame({"date": days, "units": 1000.0})
    past = pd.DataFrame(
        {
            "sku": ["H1", "H2", "H3", "H4"],
            "category": ["knit", "knit", "knit", "coat"],
            "launch_date": pd.to_datetime(["2011-01-03", "2011-02-07", "2011-03-07", "2011-01-10"]),
        }
    )
    per_day = {"H1": 10.0, "H2": 20.0, "H3": 30.0, "H4": 5.0}
    past_sales = pd.concat(
        [
            pd.DataFrame({"sku": sku, "date": pd.date_range(start, periods=21), "units": u})
            for sku, start, u in zip(
                past["sku"], past["launch_date"], per_day.values(), strict=True
            )
        ],
        ignore_index=True,
    )
    shares = launch_shares(past, past_sales, brand, horizon_weeks=2)
    assert shares.set_index("sku")["share"].to_dict() == pytest.approx(
        {"H1": 0.01, "H2": 0.02, "H3": 0.03, "H4": 0.005}
    )
    products = _products(plan_share=[0.05, np.nan])  # B (knit) has no plan share
    out = top_down_demand(_forecast(), products, horizon_weeks=2, past_shares=shares)
    b = out.set_index("sku").loc["B"]
    assert b["share"] == pytest.approx(0.02)
    assert b["share_cv"] == pytest.approx(0.5)  # sd 0.01 / mean 0.02
    assert "knit launch share" in b["basis"] and "3 past launches" in b["basis"]
    a = out.set_index("sku").loc["A"]
    assert a["share"] == 0.05  # the plan share comes first
    with pytest.warns(DataQualityWarning, match="sku='A'"):  # one coat launch is too few
        top_down_demand(_forecast(), _products(), horizon_weeks=2, past_shares=shares)


def test_the_estimate_is_what_combine_judgments_blends_with() -> None:
    out = top_down_demand(_forecast(sd=2.0), _products(plan_share=[0.1, 0.1]), horizon_weeks=2)
    judgments = pd.DataFrame(
        {"sku": ["A", "A", "B", "B"], "forecaster": ["x", "y"] * 2, "units": [5.0, 7.0, 10.0, 14.0]}
    )
    blend = combine_judgments(judgments, out).set_index("sku")
    top = out.set_index("sku")
    assert blend["model_mean"].to_dict() == pytest.approx(top["mean"].to_dict())
    assert blend["model_basis"].to_dict() == top["basis"].to_dict()
    assert ((blend["judge_weight"] > 0) & (blend["judge_weight"] < 1)).all()
    vj, vm = blend["judge_sd"] ** 2, blend["model_sd"] ** 2
    assert blend["judge_weight"].to_numpy() == pytest.approx((vm / (vj + vm)).to_numpy())
