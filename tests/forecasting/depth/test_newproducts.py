"""NewProductForecaster and launch curves on synthetic launches with known effects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from forecasting.depth.first_batch import first_batch_depth
from forecasting.depth.newproducts import NewProductForecaster, launch_curves
from forecasting.exceptions import DataValidationError, NotFittedError

H = 6
LEVEL = {"coat": 60.0, "dress": 30.0, "knit": 15.0}
SHAPE = np.array([0.5, 1.0, 1.2, 1.0, 0.8, 0.6])


def _launches(n: int, seed: int, categories: dict[str, float] = LEVEL, prefix: str = "S"):
    """Launches on Mondays; weekly sales labelled by the Sunday ending each week after launch."""
    rng = np.random.default_rng(seed)
    cats = rng.choice(list(categories), n)
    colours = rng.choice(["red", "black", "white"], n)
    launch = pd.Timestamp("2022-01-03") + pd.to_timedelta(7 * rng.integers(0, 100, n), unit="D")
    autumn = np.isin(launch.month, [9, 10])
    level = np.array([categories[c] for c in cats]) * np.where(colours == "red", 1.4, 1.0)
    level = level * np.where(autumn, 1.6, 1.0) * rng.lognormal(0, 0.25, n)
    products = pd.DataFrame(
        {
            "sku": [f"{prefix}{i}" for i in range(n)],
            "category": cats,
            "colour": colours,
            "price": rng.choice([199.0, 299.0], n),
            "launch_date": launch,
        }
    )
    units = rng.poisson(level[:, None] * SHAPE[None, :]).astype(float)
    rows = pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), H),
            "date": np.repeat(launch.to_numpy(), H)
            + np.tile(pd.to_timedelta(6 + 7 * np.arange(H), unit="D"), n),
            "units": units.ravel(),
        }
    )
    return products, rows, units


@pytest.fixture(scope="module")
def fitted() -> NewProductForecaster:
    products, sales, _ = _launches(240, seed=0)
    return NewProductForecaster(horizon_weeks=H, n_folds=3, max_iter=80, shape_max_iter=80).fit(
        sales, products=products
    )


def test_predict_shape_order_and_effects(fitted: NewProductForecaster) -> None:
    new, _, _ = _launches(60, seed=1, prefix="N")
    out = fitted.predict(new)
    assert list(out.columns) == [
        "sku",
        "week",
        "mean",
        "p10",
        "p50",
        "p90",
        "cum_mean",
        "cum_sd",
        "basis",
    ]
    assert (
        len(out) == 60 * H
        and out["sku"].iloc[:H].eq("N0").all()
        and out["week"].iloc[:H].tolist() == [1, 2, 3, 4, 5, 6]
    )
    assert (out["p10"] <= out["p50"]).all() and (out["p50"] <= out["p90"]).all()
    assert (out.groupby("sku")["cum_mean"].diff().dropna() > 0).all()
    assert (out["basis"] == "category").all()
    totals = out.groupby("sku")["p50"].sum()
    by_cat = totals.groupby(new.set_index("sku")["category"]).median()
    assert by_cat["coat"] > by_cat["dress"] > by_cat["knit"]
    peak = out.groupby("week")["p50"].sum()
    assert peak.idxmax() in (2, 3, 4) and peak[1] < peak[3]


def test_intervals_are_calibrated_on_held_out_launches(fitted: NewProductForecaster) -> None:
    new, _, units = _launches(200, seed=7, prefix="N")
    out = fitted.predict(new)
    lo, hi = out["p10"].to_numpy().reshape(-1, H), out["p90"].to_numpy().reshape(-1, H)
    inside = ((units >= lo) & (units <= hi)).mean()
    assert 0.7 <= inside <= 0.9
    total = units.sum(axis=1)
    at_h = out[out["week"] == H]
    within = np.abs(total - at_h["cum_mean"].to_numpy()) <= 1.2816 * at_h["cum_sd"].to_numpy()
    assert 0.7 <= within.mean() <= 0.95
    # the depth reads the calibrated totals of the first weeks
    econ = new.assign(unit_cost=80.0, salvage_value=20.0)
    depth = first_batch_depth(out, econ, horizon_weeks=3).set_index("sku")
    week3 = out[out["week"] == 3].set_index("sku")
    np.testing.assert_allclose(depth["mean"], week3.loc[depth.index, "cum_mean"])


def test_new_or_thin_category_falls_back_to_all_launches(fitted: NewProductForecaster) -> None:
    new = pd.DataFrame(
        {
            "sku": ["X1", "X2"],
            "category": ["scarf", "coat"],
            "colour": ["red", "red"],
            "price": [199.0, 199.0],
            "launch_date": pd.to_datetime(["2023-03-06", "2023-03-06"]),
        }
    )
    out = fitted.predict(new)
    assert out.groupby("sku")["basis"].first().to_dict() == {"X1": "all launches", "X2": "category"}
    assert (
        np.isfinite(out[["mean", "p10", "p50", "p90"]].to_numpy()).all() and (out["p50"] > 0).all()
    )
    # a category with fewer than min_analogs past launches uses the broader model too
    thin_products, thin_sales, _ = _launches(60, seed=3, categories={"coat": 60.0, "dress": 30.0})
    extra, extra_sales, _ = _launches(3, seed=4, categories={"cape": 100.0}, prefix="C")
    model = NewProductForecaster(
        horizon_weeks=H, n_folds=3, max_iter=30, shape_max_iter=30, min_analogs=5
    ).fit(pd.concat([thin_sales, extra_sales]), products=pd.concat([thin_products, extra]))
    cape = pd.DataFrame(
        {
            "sku": ["Z"],
            "category": ["cape"],
            "colour": ["black"],
            "price": [199.0],
            "launch_date": [pd.Timestamp("2023-05-01")],
        }
    )
    assert (model.predict(cape)["basis"] == "all launches").all()
    assert model.category_counts_["cape"] == 3


def test_predict_before_fit_and_too_little_history() -> None:
    products, sales, _ = _launches(8, seed=5)
    with pytest.raises(NotFittedError, match="fit"):
        NewProductForecaster().predict(products)
    with pytest.raises(DataValidationError, match="at least 10 are needed"):
        NewProductForecaster(horizon_weeks=H).fit(sales, products=products)
    with pytest.raises(DataValidationError, match="quantiles"):
        NewProductForecaster(quantiles=(0.1, 1.5)).fit(sales, products=products)


def test_custom_quantiles(fitted: NewProductForecaster) -> None:
    products, sales, _ = _launches(40, seed=6)
    model = NewProductForecaster(
        horizon_weeks=H, quantiles=(0.05, 0.5, 0.95), n_folds=3, max_iter=20, shape_max_iter=20
    )
    out = model.fit(sales, products=products).predict(products.head(2))
    assert {"p5", "p50", "p95"} <= set(out.columns)


def test_launch_curves_weeks_and_censoring() -> None:
    products = pd.DataFrame(
        {
            "sku": ["A", "B", "C"],
            "category": ["coat"] * 3,
            "launch_date": pd.to_datetime(["2024-01-01", "2024-01-29", None]),
        }
    )
    sales = pd.DataFrame(
        {
            "sku": ["A", "A", "A", "B", "C", "C"],
            "date": pd.to_datetime(
                ["2023-12-30", "2024-01-01", "2024-01-10", "2024-02-01", "2024-01-03", "2024-01-20"]
            ),
            "units": [9.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    curves = launch_curves(products, sales, horizon_weeks=3)
    # A: the pre-launch row is dropped; C launches at its first sale; B is still inside its horizon
    assert curves.index.tolist() == ["A", "C"]
    assert curves.loc["A"].tolist() == [2.0, 3.0, 0.0]
    assert curves.loc["C"].tolist() == [5.0, 0.0, 6.0]
    assert curves.attrs["n_censored"] == 1


def test_trends_carry_pre_launch_interest() -> None:
    rng = np.random.default_rng(11)
    weeks = pd.date_range("2021-01-03", "2024-12-29", freq="W-SUN")
    trends = pd.DataFrame(
        {
            "date": weeks,
            "red": 50 + 40 * np.sin(np.arange(len(weeks)) / 9.0),
            "black": 50 + 40 * np.cos(np.arange(len(weeks)) / 7.0),
            "white": np.full(len(weeks), 50.0),
        }
    )
    products, _, _ = _launches(260, seed=12)
    interest = np.array(
        [
            trends.set_index("date").loc[: d - pd.Timedelta(days=1), c].iloc[-4:].mean()
            for c, d in zip(products["colour"], products["launch_date"], strict=True)
        ]
    )
    level = 20.0 * (interest / 50.0) ** 2 * rng.lognormal(0, 0.1, len(products))
    units = rng.poisson(level[:, None] * SHAPE[None, :]).astype(float)
    sales = pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), H),
            "date": np.repeat(products["launch_date"].to_numpy(), H)
            + np.tile(pd.to_timedelta(6 + 7 * np.arange(H), unit="D"), len(products)),
            "units": units.ravel(),
        }
    )
    train, test = products.iloc[:200], products.iloc[200:]
    y = units[200:]
    errors = {}
    for label, table in (("without", None), ("with", trends)):
        model = NewProductForecaster(horizon_weeks=H, n_folds=3, max_iter=80, shape_max_iter=80)
        model.fit(sales[sales["sku"].isin(train["sku"])], products=train, trends=table)
        p50 = model.predict(test)["p50"].to_numpy().reshape(-1, H)
        errors[label] = np.abs(p50 - y).sum() / y.sum()
    assert errors["with"] < 0.8 * errors["without"]


def test_scikit_learn_estimator_contract(fitted: NewProductForecaster) -> None:
    params = fitted.get_params()
    assert params["horizon_weeks"] == H and params["n_folds"] == 3
    assert clone(fitted).get_params() == params and not hasattr(clone(fitted), "models_")
    with pytest.raises(TypeError):
        NewProductForecaster(12)  # parameters are keyword-only
    state = dict(vars(fitted))
    columns = {basis: list(cols) for basis, cols in fitted.columns_.items()}
    new, _, _ = _launches(5, seed=9, prefix="N")
    fitted.predict(new)
    assert vars(fitted).keys() == state.keys()
    assert all(vars(fitted)[name] is value for name, value in state.items())
    assert fitted.columns_ == columns  # predict reads the fitted state, changes none of it


def test_analogs_are_the_nearest_launches_by_attributes_then_day_of_year() -> None:
    from forecasting.depth.newproducts import _analog_curves, _blend, _blend_weight

    past = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    doy = np.array([10.0, 10.0, 10.0, 200.0])
    Y = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [4.0, 4.0]])
    new = np.array([[0.0, 0.0], [np.nan, 1.0]])  # an unknown level differs from every level
    out = _analog_curves(past, doy, Y, new, np.array([12.0, np.nan]), k=2)
    np.testing.assert_allclose(out[0], [2.5, 2.5])  # both exact matches, before one-off
    np.testing.assert_allclose(out[1], [2.5, 2.5])  # one attribute off: rows 1 and 2
    np.testing.assert_allclose(_blend(np.array([3.0]), np.array([15.0]), 0.5), [7.0])
    truth = np.exp(np.random.default_rng(0).normal(2, 0.5, (200, 3)))
    assert _blend_weight(truth, truth, np.full_like(truth, 5.0)) == 1.0


def test_analogs_blend_weight_is_learned_and_can_be_switched_off() -> None:
    products, sales, _ = _launches(240, seed=0)
    kwargs = {"horizon_weeks": H, "n_folds": 3, "max_iter": 30, "shape_max_iter": 30}
    alone = NewProductForecaster(n_analogs=0, **kwargs).fit(sales, products=products)
    assert set(alone.analog_weight_.values()) == {1.0}
    blended = NewProductForecaster(**kwargs).fit(sales, products=products)
    assert all(0.0 <= w <= 1.0 for w in blended.analog_weight_.values())
    new, _, _ = _launches(20, seed=5, prefix="N")
    a, b = alone.predict(new), blended.predict(new)
    assert list(a["sku"]) == list(b["sku"]) and (b["p10"] <= b["p90"]).all()


def test_calendar_features_place_a_launch_in_its_half_year() -> None:
    from forecasting.depth.newproducts import _build_features, _learn_schema

    products = pd.DataFrame(
        {
            "sku": ["A", "B", "C", "D"],
            "category": ["coat"] * 4,
            "launch_date": pd.to_datetime(["2023-01-01", "2023-07-01", "2024-07-01", None]),
        }
    )
    feats = _build_features(products, _learn_schema(products, None), None, 52)
    assert feats["launch_half_year_day"].tolist()[:3] == [0.0, 0.0, 0.0]
    assert feats["launch_doy"].tolist()[:3] == [1.0, 182.0, 183.0]
    assert feats[["launch_doy", "launch_half_year_day"]].iloc[3].isna().all()
