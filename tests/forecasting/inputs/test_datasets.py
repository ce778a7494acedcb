"""The bundled demo: shapes, units, licence files, and the scale of the example planning inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.inputs.demo import DemoData, demo_path, load_demo
from forecasting.inputs.readers import read_sales

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "china_clothing"


@pytest.fixture(scope="module")
def demo() -> DemoData:
    return load_demo()


def test_sales_shape_and_dtypes(demo: DemoData) -> None:
    sales = demo.sales
    assert sales.shape == (1461 * 25, 5)
    assert list(sales.columns) == ["date", "store", "category", "region", "units"]
    assert sales["date"].dtype == "datetime64[ns]" and sales["units"].dtype == "float64"
    assert sales["date"].min() == pd.Timestamp("2008-01-01")
    assert sales["date"].max() == pd.Timestamp("2011-12-31")
    assert sorted(sales["store"].unique(), key=lambda s: int(s.split("_")[1])) == [
        f"Province_{i}" for i in range(1, 26)
    ]
    assert (sales["region"] == sales["store"]).all() and (sales["category"] == "apparel").all()
    assert sales.attrs["freq"] == "D" and sales.attrs["filled_periods"] == 0
    assert sales.groupby("store").size().eq(1461).all()


def test_units_are_exp_of_the_bundled_log_values_unrounded(demo: DemoData) -> None:
    wide = pd.read_csv(demo_path("china_clothing/clothing_log_daily_2008_2011.csv"))
    p7 = demo.sales[demo.sales["store"] == "Province_7"]["units"].to_numpy()
    np.testing.assert_allclose(p7, np.exp(wide["Province_7"].to_numpy()), rtol=1e-12)
    assert (p7 % 1 != 0).any()  # kept as float, not rounded
    # the brand sells tens of thousands of units a day
    daily = demo.sales.groupby("date")["units"].sum()
    assert 50_000 < daily.median() < 200_000


def test_sales_are_already_canonical(demo: DemoData) -> None:
    again = read_sales(demo.sales)
    pd.testing.assert_frame_equal(again, demo.sales)


def test_each_call_returns_fresh_tables() -> None:
    first = load_demo()
    first.sales.loc[0, "units"] = -1.0
    assert float(load_demo().sales["units"].iloc[0]) > 0


def test_planning_files(demo: DemoData) -> None:
    stores, products, judgments = demo.stores, demo.products, demo.judgments
    assert set(stores["store"]) == set(demo.sales["store"])
    assert set(stores["grade"]) == {"A", "B", "C"}
    strategic = stores[stores["strategic"]]
    assert 3 <= len(strategic) <= 6 and (strategic["min_units"] > 0).all()
    assert (stores.loc[~stores["strategic"], "min_units"] == 0).all()
    assert stores["max_units"].notna().sum() >= 3
    assert 5 <= len(products) <= 10 and products["sku"].is_unique
    assert (products["salvage_value"] < products["unit_cost"]).all()
    assert (products["unit_cost"] < products["price"]).all()
    assert {"colour", "fabric", "season", "price_band"} <= set(products.columns)
    assert set(products["category"]) <= set(demo.sales["category"])
    per_sku = judgments.groupby("sku")["forecaster"].nunique()
    assert set(per_sku.index) == set(products["sku"]) and (per_sku == 3).all()
    assert judgments["horizon_weeks"].between(4, 8).all()


def test_planning_scale_fits_the_brand(demo: DemoData) -> None:
    """Judgments are a small share of the brand; minimums fit inside one style's first batch."""
    autumn = demo.sales[demo.sales["date"].between("2011-09-01", "2011-10-26")]["units"].sum()
    share = demo.judgments.groupby("sku")["units"].mean() / autumn
    assert share.between(0.0002, 0.002).all()  # 0.02 %-0.2 % of the brand's units in 8 weeks
    smallest_batch = demo.judgments.groupby("sku")["units"].mean().min()
    assert demo.stores["min_units"].sum() < smallest_batch
    assert (demo.stores["max_units"].dropna() > 50).all()


def test_licence_and_readmes_are_bundled() -> None:
    folder = demo_path("china_clothing")
    assert "GNU GENERAL PUBLIC LICENSE" in (folder / "COPYING").read_text()
    readme = (folder / "README.md").read_text()
    assert "GPL-3" in readme or "version 3" in readme
    assert "SLBDD" in readme and "Chang" in readme
    assert "not sales facts" in demo_path("demo_plan/README.md").read_text()


@pytest.mark.slow
def test_bundled_copy_matches_the_shared_data() -> None:
    original = SHARED / "clothing_log_daily_2008_2011.csv"
    if not original.exists():
        pytest.skip("../shared/data is not available")
    bundled = demo_path("china_clothing/clothing_log_daily_2008_2011.csv")
    assert bundled.read_bytes() == original.read_bytes()


def test_cli_check_accepts_the_demo_files(
    demo: DemoData, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from forecasting.cli import run

    sales = tmp_path / "sales.csv"
    demo.sales.rename(columns={"date": "日期", "store": "省份", "units": "销量"}).to_csv(
        sales, index=False
    )
    plan = demo_path("demo_plan")
    args = ["check", "--sales", str(sales), "--columns", "日期=date,省份=store,销量=units"]
    for role, name in [
        ("stores", "stores"),
        ("products", "new_products"),
        ("judgments", "judgments"),
    ]:
        args += [f"--{role}", str(plan / f"{name}.csv")]
    assert run(args) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "sales: 36525 rows, store: 25" in out and "2008-01-01 .. 2011-12-31" in out
    assert "stores: 25 stores, 5 strategic" in out and "judgments: 24 estimates of 8 skus" in out
