"""The forecast of a new product's remaining weeks given its first weeks of sales."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from forecasting.depth import NewProductForecaster
from forecasting.depth.early_sales import EarlySalesUpdate
from forecasting.exceptions import DataValidationError
from forecasting.inputs import DataQualityWarning

H = 6
SHAPE = np.array([0.25, 0.2, 0.17, 0.15, 0.12, 0.11])


def _launches(n: int, seed: int, start: str = "2022-01-03") -> tuple[pd.DataFrame, np.ndarray]:
    """Launches whose level the attributes do not tell (only the first weeks do)."""
    rng = np.random.default_rng(seed)
    launch = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, 600, n), unit="D")
    level = rng.lognormal(np.log(60.0), 0.8, n)
    units = rng.poisson(level[:, None] * SHAPE[None, :] * 2).astype(float)
    products = pd.DataFrame(
        {
            "sku": [f"S{seed}-{i}" for i in range(n)],
            "category": rng.choice(["coat", "dress"], n),
            "launch_date": launch,
        }
    )
    return products, units


def _weeks(products: pd.DataFrame, units: np.ndarray, upto: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), upto),
            "week": np.tile(np.arange(1, upto + 1), len(products)),
            "units": units[:, :upto].ravel(),
        }
    )


@pytest.fixture(scope="module")
def fitted() -> tuple[NewProductForecaster, pd.DataFrame, np.ndarray]:
    past, units = _launches(400, seed=0)
    model = NewProductForecaster(horizon_weeks=H, max_iter=60, n_folds=3)
    model.fit(_weeks(past, units, H), products=past)
    new, new_units = _launches(150, seed=1, start="2023-09-04")
    return model, new, new_units


def _wape(pred: np.ndarray, actual: np.ndarray) -> float:
    return float(np.abs(pred - actual).sum() / actual.sum())


def test_early_weeks_cut_the_error_of_the_rest(
    fitted: tuple[NewProductForecaster, pd.DataFrame, np.ndarray],
) -> None:
    model, new, units = fitted
    launch_time = model.predict(new)["p50"].to_numpy().reshape(-1, H)[:, 2:]
    updated = model.predict(new, observed=_weeks(new, units, 2))
    assert updated["week"].tolist() == list(range(3, H + 1)) * len(new)
    p50 = updated["p50"].to_numpy().reshape(-1, H - 2)
    actual = units[:, 2:]
    # the level is unknown at launch and shows in the first two weeks
    assert _wape(p50, actual) < 0.6 * _wape(launch_time, actual)
    inside = (actual >= updated["p10"].to_numpy().reshape(-1, H - 2)) & (
        actual <= updated["p90"].to_numpy().reshape(-1, H - 2)
    )
    assert 0.65 <= inside.mean() <= 0.95
    assert list(updated.columns) == list(model.predict(new).columns)


def test_weeks_counted_from_as_of_and_unlaunched_products_keep_their_forecast(
    fitted: tuple[NewProductForecaster, pd.DataFrame, np.ndarray],
) -> None:
    model, new, _ = fitted
    new = new.iloc[:3].reset_index(drop=True)
    new["launch_date"] = pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-18"])
    dated = pd.DataFrame(
        {
            "sku": np.repeat(new["sku"].to_numpy()[:2], 2),
            "date": pd.to_datetime(["2024-03-04", "2024-03-11", "2024-03-11", "2024-03-14"]),
            "units": [10.0, 12.0, 9.0, 4.0],
        }
    )
    fc = model.predict(new, observed=dated, as_of="2024-03-18")
    first = fc.groupby("sku", sort=False)["week"].min()
    # two whole weeks, one whole week, launched on as_of itself: nothing observed yet
    assert first.tolist() == [3, 2, 1]
    launch_time = model.predict(new)
    third = new["sku"].iloc[2]
    pd.testing.assert_frame_equal(
        fc[fc["sku"] == third].reset_index(drop=True),
        launch_time[launch_time["sku"] == third].reset_index(drop=True),
    )


def test_week_column_and_dated_rows_give_the_same_update(
    fitted: tuple[NewProductForecaster, pd.DataFrame, np.ndarray],
) -> None:
    model, new, units = fitted
    weeks = _weeks(new, units, 2)
    launch = weeks["sku"].map(new.set_index("sku")["launch_date"])
    dated = weeks.assign(date=launch + pd.to_timedelta(7 * (weeks["week"] - 1), unit="D"))
    pd.testing.assert_frame_equal(
        model.predict(new, observed=weeks), model.predict(new, observed=dated.drop(columns="week"))
    )


def test_observed_sales_must_belong_to_dated_new_products(
    fitted: tuple[NewProductForecaster, pd.DataFrame, np.ndarray],
) -> None:
    model, new, units = fitted
    stray = pd.DataFrame({"sku": ["ZZ"], "week": [1], "units": [3.0]})
    with pytest.raises(DataValidationError, match="ZZ"):
        model.predict(new, observed=pd.concat([_weeks(new, units, 1), stray]))
    undated = new.drop(columns="launch_date")
    dated_rows = _weeks(new, units, 1).assign(date=pd.Timestamp("2024-01-01")).drop(columns="week")
    with pytest.raises(DataValidationError, match="launch"):
        model.predict(undated, observed=dated_rows)


def test_sales_after_as_of_are_left_out_with_a_warning(
    fitted: tuple[NewProductForecaster, pd.DataFrame, np.ndarray],
) -> None:
    model, new, _ = fitted
    one = new.iloc[:1]
    launch = one["launch_date"].iloc[0]
    rows = pd.DataFrame(
        {
            "sku": one["sku"].iloc[0],
            "date": [launch, launch + pd.Timedelta(days=7), launch + pd.Timedelta(days=14)],
            "units": [5.0, 6.0, 7.0],
        }
    )
    with pytest.warns(DataQualityWarning, match="after as_of"):
        fc = model.predict(one, observed=rows, as_of=launch + pd.Timedelta(days=14))
    assert fc["week"].min() == 3


def test_too_few_past_launches_to_learn_an_update() -> None:
    past, units = _launches(30, seed=2)
    model = NewProductForecaster(horizon_weeks=H, max_iter=20, n_folds=3)
    model.fit(_weeks(past, units, H), products=past)
    assert model.update_ is None
    with pytest.raises(DataValidationError, match="too few"):
        model.predict(past.iloc[:2], observed=_weeks(past.iloc[:2], units[:2], 1))


def test_update_learns_the_persistence_of_early_sales() -> None:
    rng = np.random.default_rng(3)
    n = 300
    level = rng.lognormal(3.0, 1.0, n)
    actual = rng.poisson(level[:, None] * SHAPE[None, :] * 3).astype(float)
    prior = np.full_like(actual, float(np.median(level))) * SHAPE * 3
    with threadpool_limits(limits=1, user_api="openmp"):
        update = EarlySalesUpdate(H, {"max_iter": 60}).fit(prior, actual, np.arange(n, dtype=float))
        point = update.predict(prior, actual, np.full(n, 2))
    assert np.isnan(point[:, :2]).all()
    rest = actual[:, 2:]
    assert _wape(point[:, 2:], rest) < 0.5 * _wape(prior[:, 2:], rest)
    assert set(update.weekly_errors_) == set(range(1, H))
    assert np.isnan(update.weekly_errors_[2][:, :2]).all()
