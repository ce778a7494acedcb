"""Data assists judgment in every plan: each product's data estimate is blended with the judges."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from forecasting import DataValidationError, load_demo, make_plan, write_plan
from forecasting.inputs import DataQualityWarning
from forecasting.plan import plan_summary

SEASON = ("2012-01-01", "2012-12-31")


@pytest.fixture(scope="module")
def demo_plan():
    demo = load_demo()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)  # every style has a plan share
        return make_plan(
            demo.sales,
            demo.stores,
            demo.products,
            demo.judgments,
            season=SEASON,
            model="seasonal_naive",
        )


def test_every_demo_style_has_a_data_estimate_and_judges_below_one(demo_plan) -> None:
    demand = demo_plan.demand.set_index("sku")
    assert set(demand.index) == set(demo_plan.products["sku"])
    assert demand["model_mean"].notna().all() and (demand["model_mean"] > 0).all()
    assert (demand["model_sd"] > 0).all()
    assert demand["model_basis"].str.startswith("top-down").all()
    assert ((demand["judge_weight"] > 0) & (demand["judge_weight"] < 1)).all()
    # the blend lies between the two estimates, and its sd below each (precision weighting)
    low = demand[["judge_mean", "model_mean"]].min(axis=1)
    high = demand[["judge_mean", "model_mean"]].max(axis=1)
    assert ((demand["mean"] >= low - 1e-9) & (demand["mean"] <= high + 1e-9)).all()
    assert (demand["sd"] < demand[["judge_sd", "model_sd"]].min(axis=1)).all()


def test_the_top_down_estimate_is_the_window_forecast_times_the_plan_share(demo_plan) -> None:
    plan = demo_plan
    demand = plan.demand.set_index("sku")
    products = plan.products_plan.set_index("sku")
    for sku, row in products.iterrows():
        start = row["shelf_start"]
        end = start + pd.Timedelta(days=7 * plan.horizon_weeks - 1)
        window = plan.forecast[plan.forecast["date"].between(start, end)]["mean"].sum()
        assert demand.loc[sku, "model_mean"] == pytest.approx(window * row["plan_share"])
        # of the same order as the judges' estimate (the demo's shares are chosen so)
        assert 0.5 < demand.loc[sku, "model_mean"] / demand.loc[sku, "judge_mean"] < 2


def test_depth_csv_and_the_summary_show_the_blend(demo_plan, tmp_path: Path) -> None:
    write_plan(demo_plan, tmp_path / "out", lang="en")
    depth = pd.read_csv(tmp_path / "out" / "depth.csv", encoding="utf-8-sig").set_index("sku")
    for column in ("judge_mean", "judge_sd", "model_mean", "model_sd", "model_basis"):
        assert depth[column].notna().all(), column
    assert ((depth["judge_weight"] > 0) & (depth["judge_weight"] < 1)).all()
    assert depth["model_basis"].str.contains("plan share").all()
    means = demo_plan.depth.set_index("sku")["mean"]
    # the CSV rounds to cents for reading
    assert depth["mean"].reindex(means.index).to_numpy() == pytest.approx(
        means.to_numpy(), abs=0.005
    )
    summary = (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")
    assert "data estimate" in summary and "Depth blends the judges (weight" in summary
    assert "top-down" in summary


def test_a_style_without_a_plan_share_rests_on_its_judges_and_is_named() -> None:
    demo = load_demo()
    products = demo.products.copy()
    products.loc[products["sku"] == "AW12-CT07", "plan_share"] = float("nan")
    with pytest.warns(DataQualityWarning, match=r"plan_share.*AW12-CT07"):
        plan = make_plan(
            demo.sales,
            demo.stores,
            products,
            demo.judgments,
            season=SEASON,
            model="seasonal_naive",
        )
    demand = plan.demand.set_index("sku")
    assert demand.loc["AW12-CT07", "judge_weight"] == 1
    assert pd.isna(demand.loc["AW12-CT07", "model_mean"])
    assert (demand.drop(index="AW12-CT07")["judge_weight"] < 1).all()
    assert "1 product rests on the judges alone" in plan_summary(plan, lang="en")


def test_plan_shares_alone_give_the_demand_and_a_style_with_neither_is_an_error() -> None:
    demo = load_demo()
    plan = make_plan(demo.sales, demo.stores, demo.products, season=SEASON, model="seasonal_naive")
    assert (plan.demand["judge_weight"] == 0).all() and (plan.demand["mean"] > 0).all()
    assert "8 products rest on the data estimate alone" in plan_summary(plan, lang="en")
    products = demo.products.copy()
    products.loc[products["sku"] == "AW12-CT07", "plan_share"] = float("nan")
    judged = demo.judgments[demo.judgments["sku"] != "AW12-CT07"]
    with (
        pytest.warns(DataQualityWarning),
        pytest.raises(
            DataValidationError, match=r"neither judgments nor a data estimate.*AW12-CT07.*Fix:"
        ),
    ):
        make_plan(demo.sales, demo.stores, products, judged, season=SEASON, model="seasonal_naive")
    with pytest.raises(DataValidationError, match="no plan_share"):
        make_plan(
            demo.sales,
            demo.stores,
            demo.products.drop(columns="plan_share"),
            season=SEASON,
            model="seasonal_naive",
        )


def test_plan_share_cv_sets_the_judges_weight(demo_plan) -> None:
    demo = load_demo()
    loose = make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        demo.judgments,
        season=SEASON,
        model="seasonal_naive",
        plan_share_cv=1.0,
    )
    w_sure = demo_plan.demand.set_index("sku")["judge_weight"]  # the default CV 0.5
    w_loose = loose.demand.set_index("sku")["judge_weight"]
    assert (w_sure < w_loose).all()


def test_a_negative_plan_share_cv_stops_before_forecasting() -> None:
    demo = load_demo()
    with pytest.raises(DataValidationError, match=r"plan_share_cv=-0\.5: must be >= 0"):
        make_plan(
            demo.sales,
            demo.stores,
            demo.products,
            demo.judgments,
            season=SEASON,
            model="seasonal_naive",
            plan_share_cv=-0.5,
        )
