"""A plan is right or it stops: the planning date, tables checked against each other, caps."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from forecasting import DataValidationError, load_demo, make_plan, recommend_launches
from forecasting.inputs import DataQualityWarning, read_inputs
from forecasting.plan import plan_summary

SEASON = ("2012-01-01", "2012-12-31")


@pytest.fixture(scope="module")
def demo():
    return load_demo()


@pytest.fixture(scope="module")
def demo_plan(demo):
    return make_plan(
        demo.sales, demo.stores, demo.products, demo.judgments, season=SEASON, model="ets"
    )


def test_no_delivery_before_the_planning_date(demo_plan) -> None:
    plan = demo_plan
    assert plan.as_of == pd.Timestamp("2012-01-01")  # the day after the last sale
    assert (plan.launches["delivery_date"] >= plan.as_of).all()
    assert (plan.products_plan["delivery_date"] >= plan.as_of).all()
    late = plan.launches[plan.launches["late"]]
    # the Spring Festival wave of January 2012 is already late on 2012-01-01
    assert late["wave"].tolist() == ["winter (春节)"]
    row = late.iloc[0]
    assert row["best_delivery_date"] < plan.as_of <= row["delivery_date"]
    assert "LATE: the best delivery day" in row["reason"]
    # no new style of the demo goes on it
    assert "winter (春节)" not in set(plan.products_plan["wave"])


def test_calendar_and_plan_give_the_same_dates(demo, demo_plan) -> None:
    alone = recommend_launches(demo.sales, *SEASON)
    dates = ["wave", "expected_onset", "planned_onset", "best_delivery_date", "delivery_date"]
    pd.testing.assert_frame_equal(alone[dates], demo_plan.launches[dates])
    # expected onset = anchor + the lag printed in the same row
    lag = (demo_plan.launches["expected_onset"] - demo_plan.launches["anchor_date"]).dt.days
    assert (lag == demo_plan.launches["lag_median"]).all()


def test_planning_earlier_learns_only_from_the_past(demo) -> None:
    plan = make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        demo.judgments,
        season=("2011-03-01", "2011-12-31"),
        as_of="2011-03-01",
        model="seasonal_naive",
    )
    assert plan.forecast["date"].min() == pd.Timestamp("2011-03-01")
    assert (plan.launches["delivery_date"] >= pd.Timestamp("2011-03-01")).all()
    assert plan.launches["years_seen"].str.endswith("2010").all()


def test_a_season_over_by_the_planning_date_is_an_error(demo) -> None:
    with pytest.raises(DataValidationError, match="is over by the planning date 2012-01-01"):
        make_plan(
            demo.sales,
            demo.stores,
            demo.products,
            demo.judgments,
            season=("2011-01-01", "2011-12-31"),
            model="seasonal_naive",
        )


def test_a_launch_date_outside_the_season_is_an_error(demo) -> None:
    products = demo.products.assign(launch_date=pd.NaT)
    products.loc[3, "launch_date"] = pd.Timestamp("2013-03-01")
    with pytest.raises(DataValidationError, match=r"launched: 'AW12-KN04' \(2013-03-01\) outside"):
        make_plan(
            demo.sales,
            demo.stores,
            products,
            demo.judgments,
            season=SEASON,
            model="seasonal_naive",
        )


def test_store_ids_written_differently_stop_the_plan(demo) -> None:
    sales = demo.sales.assign(store=demo.sales["store"].str.replace("Province_", "P0"))
    stores = demo.stores.assign(store=demo.stores["store"].str.replace("Province_", "p"))
    with pytest.raises(DataValidationError, match=r"written differently.*'P01' \(stores: 'p1'\)"):
        make_plan(sales, stores, demo.products, demo.judgments, season=SEASON)


def test_a_store_missing_from_the_stores_table_is_said_and_strict_stops(demo) -> None:
    stores = demo.stores[demo.stores["store"] != "Province_7"]
    with pytest.warns(DataQualityWarning, match=r"'Province_7' \(last sale 2011-12-31\)"):
        plan = make_plan(
            demo.sales, stores, demo.products, demo.judgments, season=SEASON, model="ets"
        )
    assert "Province_7" not in set(plan.allocation["store"])
    with pytest.raises(DataValidationError, match="Strict: warnings are errors"):
        make_plan(
            demo.sales,
            stores,
            demo.products,
            demo.judgments,
            season=SEASON,
            model="ets",
            strict=True,
        )


def test_read_inputs_does_not_repeat_the_cross_checks(demo) -> None:
    stores = demo.stores[demo.stores["store"] != "Province_7"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        inputs = read_inputs(sales=demo.sales, stores=stores)
        read_inputs(sales=inputs.sales, stores=inputs.stores)  # already validated: no new checks
    said = [w for w in caught if issubclass(w.category, DataQualityWarning)]
    assert len(said) == 1 and "Province_7" in str(said[0].message)


def test_caps_bound_the_depth_and_the_summary_says_so(demo) -> None:
    stores = demo.stores.assign(min_units=0.0, max_units=10.0)
    with pytest.warns(DataQualityWarning, match="the stores' caps hold the first batch"):
        plan = make_plan(
            demo.sales, stores, demo.products, demo.judgments, season=SEASON, model="ets"
        )
    depth = plan.depth.set_index("sku")
    assert (depth["depth"] == 250).all()  # 25 stores x 10 units
    assert (depth["capped_units"] > 0).all()
    assert (depth["sell_through"] > 0.95).all()  # what is shipped sells
    sent = plan.allocation.groupby("sku")["units"].sum()
    assert (sent.sort_index() == depth["depth"].sort_index()).all()
    in_stores = plan.allocation[plan.allocation["store"].isin(stores["store"])]
    assert (in_stores.groupby("sku")["units"].sum() == 250).all()  # nothing left at the warehouse
    text = plan_summary(plan, lang="en")
    assert "caps" in text and "250" in text
