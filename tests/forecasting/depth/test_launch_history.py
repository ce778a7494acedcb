"""New-product forecasts in time order: leading indicators free of the future, time-ordered
calibration, and launch-relative sales in either form."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.depth.newproducts import LaunchHistory, NewProductForecaster

H = 4


def _launches(n: int, seed: int, growth: float = 0.0) -> tuple[pd.DataFrame, np.ndarray]:
    """Launches on every weekday over two years; the level grows by ``growth`` a year."""
    rng = np.random.default_rng(seed)
    launch = pd.Timestamp("2022-01-03") + pd.to_timedelta(rng.integers(0, 730, n), unit="D")
    cats = rng.choice(["coat", "dress"], n)
    years = (launch - pd.Timestamp("2022-01-03")).days.to_numpy() / 365.0
    level = np.where(cats == "coat", 40.0, 20.0) * np.exp(growth * years)
    units = rng.poisson(level[:, None] * np.array([0.8, 1.2, 1.0, 0.7])[None, :]).astype(float)
    products = pd.DataFrame(
        {"sku": [f"S{i}" for i in range(n)], "category": cats, "launch_date": launch}
    )
    return products, units


def _dated(products: pd.DataFrame, units: np.ndarray) -> pd.DataFrame:
    """Each sku's weekly rows dated at its own launch weekday (launch + 7 * (week - 1))."""
    start = np.repeat(products["launch_date"].to_numpy(), H)
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), H),
            "date": start + np.tile(pd.to_timedelta(7 * np.arange(H), unit="D"), len(products)),
            "units": units.ravel(),
        }
    )


def _weeks(products: pd.DataFrame, units: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), H),
            "week": np.tile(np.arange(1, H + 1), len(products)),
            "units": units.ravel(),
        }
    )


def test_week_column_and_launch_dated_rows_give_the_same_forecast() -> None:
    products, units = _launches(120, seed=0)
    assert products["launch_date"].dt.day_of_week.nunique() == 7  # weeks on every weekday
    new = products.head(5).assign(sku=[f"N{i}" for i in range(5)])
    settings = {"horizon_weeks": H, "n_folds": 3, "max_iter": 40, "shape_max_iter": 20}
    dated = NewProductForecaster(**settings).fit(_dated(products, units), products=products)
    weekly = NewProductForecaster(**settings).fit(_weeks(products, units), products=products)
    pd.testing.assert_frame_equal(dated.curves_, weekly.curves_)
    pd.testing.assert_frame_equal(dated.predict(new), weekly.predict(new))
    np.testing.assert_allclose(dated.curves_.to_numpy(), units)


def test_leading_indicators_use_only_sales_known_before_the_launch() -> None:
    products, units = _launches(400, seed=1, growth=0.7)
    dated = _dated(products, units)
    weekly = dated.assign(week=dated.groupby("sku").cumcount() + 1)
    wide = weekly.pivot(index="sku", columns="week", values="units")
    launch = products.set_index("sku")["launch_date"]
    history = LaunchHistory.from_weeks(wide, launch)
    day = pd.Series(pd.to_datetime(["2023-10-02"]))
    before = history.features(day)
    # sales known after the day change nothing at that day
    later = launch[launch >= day[0] - pd.Timedelta(days=6)].index
    altered = wide.copy()
    altered.loc[later] *= 10.0
    after = LaunchHistory.from_weeks(altered, launch).features(day)
    for name in before:
        np.testing.assert_allclose(before[name], after[name])
    # a year of 0.7 log growth: the indicator sees the business grow, and last year's level
    assert 0.4 < before["yoy_growth"][0] < 1.0
    assert np.isfinite(before["last_year_level"][0])
    # two years after the data end nothing is known: no indicator rather than a stale one
    far = history.features(pd.Series(pd.to_datetime(["2026-06-01"])))
    assert np.isnan(far["yoy_growth"][0]) and np.isnan(far["last_year_level"][0])


def test_quantiles_are_calibrated_in_time_order() -> None:
    products, _ = _launches(300, seed=2, growth=0.7)
    model = NewProductForecaster(horizon_weeks=H, n_folds=4, max_iter=40, shape_max_iter=20)
    days = (products["launch_date"] - pd.Timestamp("2000-01-01")).dt.days.to_numpy(float)
    folds = model._folds(days)
    assert len(folds) >= 2
    for train, test, cutoff in folds:
        assert days[train].max() < cutoff <= days[test].min()
    # every held-out block is later than the one before it
    assert [c for _, _, c in folds] == sorted(c for _, _, c in folds)
    # one launch date for all: no time order to respect, shuffled folds
    same = model._folds(np.zeros(50))
    assert all(np.isinf(cutoff) for _, _, cutoff in same)


@pytest.mark.parametrize("form", [_dated, _weeks])
def test_future_launches_are_covered_about_80_percent(form) -> None:  # type: ignore[no-untyped-def]
    products, units = _launches(500, seed=3, growth=0.5)
    order = np.argsort(products["launch_date"].to_numpy(), kind="stable")
    past, future = order[:450], order[450:]  # the next tenth, as one calibration block
    model = NewProductForecaster(horizon_weeks=H, max_iter=60, shape_max_iter=20)
    model.fit(form(products.iloc[past], units[past]), products=products.iloc[past])
    out = model.predict(products.iloc[future])
    lo = out["p10"].to_numpy().reshape(-1, H)
    hi = out["p90"].to_numpy().reshape(-1, H)
    inside = ((units[future] >= lo) & (units[future] <= hi)).mean()
    assert 0.7 <= inside <= 0.92
