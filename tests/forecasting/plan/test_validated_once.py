"""make_plan validates each input table once, together, and hands the validated tables on."""

from __future__ import annotations

import functools
import sys
from collections import Counter
from collections.abc import Callable
from types import CodeType, FrameType

import numpy as np
import pandas as pd
import pytest

from forecasting import load_demo, make_plan
from forecasting.depth.newproducts import NewProductForecaster
from forecasting.inputs import frequency, readers, tables
from forecasting.plan import flow

SEASON = ("2012-01-01", "2012-12-31")
WATCHED = {
    "validate_sales": readers.validate_sales,
    "validate_stores": readers.validate_stores,
    "validate_products": readers.validate_products,
    "validate_judgments": readers.validate_judgments,
    "read_sales": readers.read_sales,
    "read_stores": readers.read_stores,
    "read_products": readers.read_products,
    "read_judgments": readers.read_judgments,
    "infer_frequency": frequency.infer_frequency,
    "fill_missing_periods": frequency.fill_missing_periods,
    "read_table": tables.read_table,
}


def _count_calls(run: Callable[[], object]) -> Counter[str]:
    """How often each watched function's code object is entered while ``run`` runs."""
    codes: dict[CodeType, str] = {f.__code__: name for name, f in WATCHED.items()}
    counts: Counter[str] = Counter()

    def profile(frame: FrameType, event: str, arg: object) -> None:
        if event == "call" and frame.f_code in codes:
            counts[codes[frame.f_code]] += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return counts


def _past_launches(categories: pd.Series, n: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(5)
    launch = pd.Timestamp("2009-01-05") + pd.to_timedelta(7 * rng.integers(0, 140, n), unit="D")
    products = pd.DataFrame(
        {
            "sku": [f"H{i}" for i in range(n)],
            "category": rng.choice(categories.unique(), n),
            "price": rng.choice([259.0, 399.0, 599.0], n),
            "launch_date": launch,
        }
    )
    weeks = np.arange(12)
    units = rng.poisson(300 * rng.lognormal(0, 0.3, n)[:, None] * (1 - weeks / 24)[None])
    sales = pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), len(weeks)),
            "date": np.repeat(launch.to_numpy(), len(weeks))
            + np.tile(pd.to_timedelta(6 + 7 * weeks, unit="D"), n),
            "units": units.ravel().astype(float),
        }
    )
    return products, sales


@pytest.mark.parametrize("with_history", [False, True])
def test_make_plan_validates_each_table_once(
    with_history: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = load_demo()
    history: dict[str, pd.DataFrame] = {}
    if with_history:
        past, past_sales = _past_launches(demo.products["category"])
        history = {"history_products": past, "history_sales": past_sales}
        quick = functools.partial(NewProductForecaster, n_folds=2, max_iter=10, shape_max_iter=10)
        monkeypatch.setattr(flow, "NewProductForecaster", quick)

    def run() -> None:
        make_plan(
            demo.sales,
            demo.stores,
            demo.products,
            demo.judgments,
            season=SEASON,
            model="seasonal_naive",
            **history,
        )

    counts = _count_calls(run)
    sales_tables = 2 if with_history else 1
    products_tables = 2 if with_history else 1
    assert counts["validate_sales"] == sales_tables
    assert counts["infer_frequency"] <= sales_tables  # learned once per table, then carried
    assert counts["fill_missing_periods"] == sales_tables
    assert counts["validate_stores"] == 1
    assert counts["validate_products"] == products_tables
    assert counts["validate_judgments"] == 1
    for reader in ("read_sales", "read_stores", "read_products", "read_judgments"):
        assert counts[reader] == 0  # the DataFrame readers are for users, not for the flow


def test_past_launches_alone_give_the_demand(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = load_demo()
    past, past_sales = _past_launches(demo.products["category"])
    quick = functools.partial(NewProductForecaster, n_folds=2, max_iter=10, shape_max_iter=10)
    monkeypatch.setattr(flow, "NewProductForecaster", quick)
    plan = make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        season=SEASON,
        model="seasonal_naive",
        history_products=past,
        history_sales=past_sales,
    )
    assert plan.judgments.empty and plan.inputs.judgments is None
    assert (plan.demand["judge_weight"] == 0).all() and (plan.demand["mean"] > 0).all()
    assert plan.depth["sku"].tolist() == sorted(demo.products["sku"])
    assert plan.inputs.sales is not None and plan.inputs.sales.freq == "D"
