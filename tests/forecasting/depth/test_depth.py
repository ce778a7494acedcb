"""First-batch depth: the newsvendor against closed forms, floors, and bad inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from forecasting.depth.first_batch import first_batch_depth
from forecasting.depth.newsvendor import newsvendor_outcomes, newsvendor_quantity
from forecasting.exceptions import DataValidationError


def _products(
    skus: list[str], price: float = 100.0, cost: float = 40.0, salvage: float = 20.0
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": skus,
            "category": "coat",
            "price": price,
            "unit_cost": cost,
            "salvage_value": salvage,
        }
    )


def _cost(q: int, mean: float, sd: float | None, cr: float, dist: str) -> float:
    out = newsvendor_outcomes(q, mean, sd, dist)  # type: ignore[arg-type]
    return cr * out["expected_lost_sales"] + (1 - cr) * out["expected_leftover"]


@pytest.mark.parametrize(
    ("mean", "sd", "cr"), [(100.0, 30.0, 0.75), (250.0, 80.0, 0.3), (40.0, 5.0, 0.9)]
)
def test_normal_quantity_is_the_critical_fractile(mean: float, sd: float, cr: float) -> None:
    q = newsvendor_quantity(mean, sd, cr, "normal")
    continuous = mean + sd * stats.norm.ppf(cr)
    assert abs(q - continuous) < 1
    assert _cost(q, mean, sd, cr, "normal") <= min(
        _cost(q - 1, mean, sd, cr, "normal"), _cost(q + 1, mean, sd, cr, "normal")
    )


def test_normal_loss_function_matches_integration() -> None:
    mean, sd, q = 100.0, 30.0, 120.0
    lost, _ = integrate.quad(lambda x: (x - q) * stats.norm.pdf(x, mean, sd), q, mean + 12 * sd)
    out = newsvendor_outcomes(q, mean, sd, "normal")
    assert out["expected_lost_sales"] == pytest.approx(lost, rel=1e-7)
    assert out["expected_sales"] + out["expected_lost_sales"] == pytest.approx(mean)
    assert out["expected_sales"] + out["expected_leftover"] == pytest.approx(q)


@pytest.mark.parametrize(("mean", "cr"), [(4.0, 0.5), (12.5, 0.8), (30.0, 0.35), (0.7, 0.6)])
def test_poisson_quantity_and_outcomes_are_exact(mean: float, cr: float) -> None:
    q = newsvendor_quantity(mean, None, cr, "poisson")
    cdf = stats.poisson.cdf(np.arange(200), mean)
    assert q == int(np.argmax(cdf >= cr))  # the smallest q with F(q) >= critical ratio
    k = np.arange(0, 400)
    pmf = stats.poisson.pmf(k, mean)
    out = newsvendor_outcomes(q, mean, None, "poisson")
    assert out["expected_lost_sales"] == pytest.approx(
        float((np.clip(k - q, 0, None) * pmf).sum()), abs=1e-9
    )
    assert out["expected_leftover"] == pytest.approx(
        float((np.clip(q - k, 0, None) * pmf).sum()), abs=1e-9
    )
    for other in (q - 1, q + 1):
        if other >= 0:
            assert (
                _cost(q, mean, None, cr, "poisson")
                <= _cost(other, mean, None, cr, "poisson") + 1e-12
            )


def test_negative_binomial_matches_mean_and_variance() -> None:
    mean, sd, cr = 50.0, 20.0, 0.7
    var = sd * sd
    p, n = mean / var, mean * mean / (var - mean)
    dist = stats.nbinom(n, p)
    assert dist.mean() == pytest.approx(mean) and dist.std() == pytest.approx(sd)
    assert newsvendor_quantity(mean, sd, cr, "negbin") == int(dist.ppf(cr))
    assert newsvendor_quantity(mean, sd, cr) == int(
        dist.ppf(cr)
    )  # auto picks negbin when sd**2 > mean
    # under-dispersed: negbin falls back to Poisson
    assert newsvendor_quantity(50.0, 5.0, cr, "negbin") == newsvendor_quantity(
        50.0, None, cr, "poisson"
    )


def test_zero_margin_orders_nothing_and_bad_ratio_raises() -> None:
    assert newsvendor_quantity(100.0, 10.0, 0.0, "normal") == 0
    with pytest.raises(DataValidationError, match="critical_ratio"):
        newsvendor_quantity(100.0, 10.0, 1.0)


def test_first_batch_depth_economics_and_identities() -> None:
    demand = pd.DataFrame({"sku": ["A", "B"], "mean": [100.0, 250.0], "sd": [30.0, 60.0]})
    out = first_batch_depth(demand, _products(["A", "B"]), distribution="normal")
    assert out["critical_ratio"].tolist() == pytest.approx([0.75, 0.75])
    assert out["depth"].tolist() == [
        newsvendor_quantity(100, 30, 0.75, "normal"),
        newsvendor_quantity(250, 60, 0.75, "normal"),
    ]
    assert (out["forced_units"] == 0).all()
    np.testing.assert_allclose(out["expected_sales"] + out["expected_leftover"], out["depth"])
    np.testing.assert_allclose(out["expected_sales"] + out["expected_lost_sales"], out["mean"])
    np.testing.assert_allclose(out["sell_through"], out["expected_sales"] / out["depth"])
    profit = 100 * out["expected_sales"] + 20 * out["expected_leftover"] - 40 * out["depth"]
    np.testing.assert_allclose(out["expected_profit"], profit)


def test_presentation_minimums_floor_the_depth_and_report_forced_units() -> None:
    demand = pd.DataFrame({"sku": ["A", "B"], "mean": [6.0, 200.0], "sd": [2.0, 50.0]})
    stores = pd.DataFrame({"store": ["S1", "S2", "S3"], "min_units": [4.0, 4.0, 3.0]})
    out = first_batch_depth(demand, _products(["A", "B"]), stores).set_index("sku")
    assert out.loc["A", "presentation_minimum"] == 11 and out.loc["A", "n_stores"] == 3
    assert out.loc["A", "depth"] == 11
    assert out.loc["A", "forced_units"] == 11 - out.loc["A", "newsvendor_depth"] > 0
    assert (
        out.loc["B", "forced_units"] == 0
        and out.loc["B", "depth"] == out.loc["B", "newsvendor_depth"]
    )
    # the forced units are leftovers: more depth, lower sell-through
    free = first_batch_depth(demand, _products(["A", "B"])).set_index("sku")
    assert out.loc["A", "sell_through"] < free.loc["A", "sell_through"]


def test_carry_list_and_closed_stores() -> None:
    demand = pd.DataFrame({"sku": ["A", "B"], "mean": [1.0, 1.0], "sd": [1.0, 1.0]})
    products = _products(["A", "B"]).assign(launch_date=pd.Timestamp("2024-09-02"))
    carry = pd.DataFrame({"store": ["S1", "S2", "S2"], "sku": ["A", "A", "B"]})
    stores = pd.DataFrame({"store": ["S1", "S2", "S3"], "min_units": [5.0, 3.0, 2.0]})
    out = first_batch_depth(demand, products, stores, assortment=carry).set_index("sku")
    assert out["presentation_minimum"].to_dict() == {"A": 8.0, "B": 3.0}
    with pytest.raises(DataValidationError, match="not in the stores"):
        first_batch_depth(demand, products, stores, assortment=carry.assign(store="S9"))
    stores = pd.DataFrame(
        {
            "store": ["S1", "S2"],
            "min_units": [5.0, 3.0],
            "close_date": [pd.NaT, pd.Timestamp("2024-08-01")],
        }
    )
    out = first_batch_depth(demand, products, stores).set_index("sku")
    assert out["presentation_minimum"].to_dict() == {"A": 5.0, "B": 5.0}
    assert out["n_stores"].to_dict() == {"A": 1, "B": 1}


def test_weekly_forecast_is_summed_over_the_horizon() -> None:
    weekly = pd.DataFrame(
        {
            "sku": ["A"] * 6,
            "week": range(1, 7),
            "mean": [10.0] * 6,
            "p10": [5.0] * 6,
            "p50": [9.0] * 6,
            "p90": [15.0] * 6,
        }
    )
    out = first_batch_depth(weekly, _products(["A"]), horizon_weeks=4)
    z = stats.norm.ppf(0.9) - stats.norm.ppf(0.1)
    assert out.loc[0, "mean"] == pytest.approx(40.0)
    assert out.loc[0, "sd"] == pytest.approx(4 * 10.0 / z)
    with_totals = weekly.assign(cum_mean=np.arange(1, 7) * 10.0, cum_sd=np.arange(1, 7) * 2.0)
    out = first_batch_depth(with_totals, _products(["A"]), horizon_weeks=4)
    assert (out.loc[0, "mean"], out.loc[0, "sd"]) == (40.0, 8.0)
    with pytest.raises(DataValidationError, match="horizon_weeks"):
        first_batch_depth(weekly, _products(["A"]), horizon_weeks=8)


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_price_below_cost_is_a_clear_error() -> None:
    demand = pd.DataFrame({"sku": ["A", "B"], "mean": [10.0, 10.0], "sd": [3.0, 3.0]})
    products = _products(["A", "B"])
    products.loc[1, "price"] = 30.0
    with pytest.raises(DataValidationError, match=r"unit cost is above the price.*sku='B'"):
        first_batch_depth(demand, products)


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ({"salvage_value": 50.0}, r"salvage.value is not below"),
        ({"unit_cost": math.nan}, "no price, unit_cost or salvage_value"),
    ],
)
def test_bad_economics(change: dict[str, float], pattern: str) -> None:
    demand = pd.DataFrame({"sku": ["A"], "mean": [10.0], "sd": [3.0]})
    with pytest.raises(DataValidationError, match=pattern):
        first_batch_depth(demand, _products(["A"]).assign(**change))


def test_bad_demand() -> None:
    products = _products(["A"])
    with pytest.raises(DataValidationError, match="missing from products"):
        first_batch_depth(pd.DataFrame({"sku": ["Z"], "mean": [1.0], "sd": [1.0]}), products)
    with pytest.raises(DataValidationError, match="negative or missing"):
        first_batch_depth(pd.DataFrame({"sku": ["A"], "mean": [-1.0], "sd": [1.0]}), products)
    with pytest.raises(DataValidationError, match="several rows per sku"):
        first_batch_depth(
            pd.DataFrame({"sku": ["A", "A"], "mean": [1.0, 2.0], "sd": [1.0, 1.0]}), products
        )
    with pytest.raises(DataValidationError, match="price and unit_cost"):
        first_batch_depth(
            pd.DataFrame({"sku": ["A"], "mean": [1.0]}), products.drop(columns="price")
        )


def _history(n: int = 30, weeks: int = 4) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(0)
    cats = rng.choice(["coat", "dress"], n)
    launch = pd.Timestamp("2023-01-02") + pd.to_timedelta(7 * rng.integers(0, 40, n), unit="D")
    products = pd.DataFrame(
        {"sku": [f"P{i}" for i in range(n)], "category": cats, "launch_date": launch}
    )
    level = np.where(cats == "coat", 30.0, 10.0)
    sales = pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), weeks),
            "date": np.repeat(launch.to_numpy(), weeks)
            + np.tile(pd.to_timedelta(6 + 7 * np.arange(weeks), unit="D"), n),
            "units": rng.poisson(np.repeat(level, weeks)).astype(float),
        }
    )
    return products, sales


def test_cli_depth_writes_the_table(tmp_path) -> None:
    from forecasting.cli import run

    past, sales = _history()
    past.to_csv(tmp_path / "past.csv", index=False)
    sales.to_csv(tmp_path / "sales.csv", index=False)
    new = pd.DataFrame(
        {
            "sku": ["N1", "N2"],
            "category": ["coat", "dress"],
            "launch_date": ["2024-03-04", "2024-03-04"],
            "price": [300.0, 200.0],
            "unit_cost": [120.0, 80.0],
            "salvage_value": [30.0, 20.0],
        }
    )
    new.to_csv(tmp_path / "new.csv", index=False)
    pd.DataFrame(
        {
            "sku": ["N1", "N1", "N2", "N2"],
            "forecaster": ["a", "b", "a", "b"],
            "units": [100.0, 140.0, 30.0, 50.0],
            "horizon_weeks": 4,
        }
    ).to_csv(tmp_path / "j.csv", index=False)
    pd.DataFrame({"store": ["S1", "S2"], "min_units": [30.0, 30.0]}).to_csv(
        tmp_path / "stores.csv", index=False
    )
    args = [
        "depth",
        "--products",
        str(tmp_path / "new.csv"),
        "--history-products",
        str(tmp_path / "past.csv"),
        "--history-sales",
        str(tmp_path / "sales.csv"),
        "--judgments",
        str(tmp_path / "j.csv"),
        "--stores",
        str(tmp_path / "stores.csv"),
        "--out",
        str(tmp_path / "depth.csv"),
        "--lang",
        "en",
    ]
    assert run(args) == 0
    out = pd.read_csv(tmp_path / "depth.csv", encoding="utf-8-sig").set_index("sku")
    assert out.loc["N2", "depth"] >= 60 and out.loc["N2", "forced_units"] > 0
    assert out.loc["N1", "mean"] > out.loc["N2", "mean"]
    sheets = pd.read_excel(tmp_path / "depth.xlsx", sheet_name=None)
    assert set(sheets) == {"depth", "weekly forecast", "judgments"}
    assert 0 < sheets["judgments"]["judge_weight"].iloc[0] < 1
    assert run([*args[:-2], "--overwrite"]) == 0  # Chinese by default: the workbook, not the CSV
    sheets = pd.read_excel(tmp_path / "depth.xlsx", sheet_name=None)
    assert set(sheets) == {"首单深度", "周预测", "评估"}
    assert "首单深度（件）" in sheets["首单深度"].columns
    assert "depth" in pd.read_csv(tmp_path / "depth.csv", encoding="utf-8-sig").columns


def test_cli_depth_bad_input_writes_nothing(tmp_path, capsys) -> None:
    from forecasting.cli import run

    pd.DataFrame(
        {"sku": ["N1"], "category": ["coat"], "price": [50.0], "unit_cost": [80.0]}
    ).to_csv(tmp_path / "new.csv", index=False)
    pd.DataFrame({"sku": ["N1", "N1"], "forecaster": ["a", "b"], "units": [10.0, 20.0]}).to_csv(
        tmp_path / "j.csv", index=False
    )
    code = run(
        [
            "depth",
            "--products",
            str(tmp_path / "new.csv"),
            "--judgments",
            str(tmp_path / "j.csv"),
            "--out",
            str(tmp_path / "depth.csv"),
        ]
    )
    assert code == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("launchcast: error:")
    assert "unit cost is above the price" in lines[0]
    assert not (tmp_path / "depth.csv").exists() and not (tmp_path / "depth.xlsx").exists()
    assert (
        run(["depth", "--products", str(tmp_path / "new.csv"), "--out", str(tmp_path / "d.csv")])
        == 1
    )


def test_lognormal_matches_integration_and_its_quantile() -> None:
    mean, sd, cr = 200.0, 150.0, 0.6
    s2 = np.log1p((sd / mean) ** 2)
    dist = stats.lognorm(s=np.sqrt(s2), scale=mean * np.exp(-s2 / 2))
    assert dist.mean() == pytest.approx(mean) and dist.std() == pytest.approx(sd)
    q = newsvendor_quantity(mean, sd, cr, "lognormal")
    assert abs(q - dist.ppf(cr)) < 1
    lost, _ = integrate.quad(lambda x: (x - q) * dist.pdf(x), q, np.inf)
    out = newsvendor_outcomes(q, mean, sd, "lognormal")
    assert out["expected_lost_sales"] == pytest.approx(lost, rel=1e-6)
    for other in (q - 1, q + 1):
        assert _cost(q, mean, sd, cr, "lognormal") <= _cost(other, mean, sd, cr, "lognormal")


def test_depth_never_exceeds_what_the_stores_can_take() -> None:
    demand = pd.DataFrame({"sku": ["A", "B"], "mean": [1000.0, 5.0], "sd": [300.0, 2.0]})
    products = pd.DataFrame(
        {
            "sku": ["A", "B"],
            "category": "coat",
            "price": 100.0,
            "unit_cost": 40.0,
            "salvage_value": 20.0,
        }
    )
    stores = pd.DataFrame({"store": ["S1", "S2", "S3"], "min_units": 1.0, "max_units": 50.0})
    free = first_batch_depth(demand, products, stores.drop(columns="max_units"))
    out = first_batch_depth(demand, products, stores).set_index("sku")
    assert out.loc["A", "store_capacity"] == 150 and out.loc["A", "depth"] == 150
    assert out.loc["A", "capped_units"] == free.set_index("sku").loc["A", "depth"] - 150
    assert out.loc["A", "sell_through"] > 0.99  # what is shipped sells
    assert out.loc["A", "expected_lost_sales"] > 800  # and the demand the caps turn away is said
    assert out.loc["B", "capped_units"] == 0  # a small product is not touched
    # a tenth kept at the warehouse: the stores still take 150
    held = first_batch_depth(demand, products, stores, holdback=0.1).set_index("sku")
    assert held.loc["A", "depth"] == 166
    # a store without a cap takes any quantity
    open_ended = stores.assign(max_units=[50.0, 50.0, None])
    assert first_batch_depth(demand, products, open_ended)["capped_units"].eq(0).all()
