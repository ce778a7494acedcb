"""Partial pooling of Prophet's coefficients over a panel (forecasting.models.pooling)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.inputs.demo import load_demo
from forecasting.models import DemandForecaster
from forecasting.models.base import SeriesConfig
from forecasting.models.calendar_features import DEFAULT_KINDS, CalendarFeatures
from forecasting.models.pooling import (
    CALENDAR_FLOOR,
    MIN_SERIES,
    PooledPrior,
    cutoff_dates,
    pooled_priors,
)
from forecasting.models.prophet import ProphetDesign, ProphetModel


def weekly_config(sales: pd.DataFrame, model: str = "prophet") -> SeriesConfig:
    """The weekly configuration with the Chinese calendar, as the forecaster builds it."""
    start, end = sales["date"].min(), sales["date"].max() + pd.DateOffset(years=2)
    calendar = CalendarFeatures.build(start, end, "W-SUN", "CN", DEFAULT_KINDS)
    return SeriesConfig(model=model, freq="W-SUN", calendar=calendar)


def weekly_provinces(n: int = 6) -> pd.DataFrame:
    """The bundled China clothing sales of ``n`` provinces, summed by week (2008-2011)."""
    sales = load_demo().sales
    sales = sales[sales["store"].isin(sorted(sales["store"].unique())[:n])]
    weekly = sales.set_index("date").groupby("store")["units"].resample("W-SUN").sum().reset_index()
    return weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] <= "2011-12-25")]


def test_prior_mean_and_width_from_the_series() -> None:
    coefficients = [{"a": v, "b": 1.0} for v in (0.1, 0.2, 0.3, 0.4)] + [{"a": 0.5}]
    prior = PooledPrior.from_coefficients(coefficients, min_series=5)
    assert prior is not None and prior.series == 5
    assert prior.means == pytest.approx({"a": 0.3})  # "b" is in 4 series only: not pooled
    assert prior.spreads["a"] == pytest.approx(0.75 * np.std([0.1, 0.2, 0.3, 0.4, 0.5], ddof=1))
    assert PooledPrior.from_coefficients(coefficients[:4], min_series=5) is None


def test_widths_are_bounded_by_the_usual_prior() -> None:
    prior = PooledPrior({"c": 0.0, "wide": 0.0}, {"c": 0.0, "wide": 5.0}, 9)
    _, sigma = prior.terms(["c", "wide", "yearly_sin1"], y_scale=10.0, holidays_prior_scale=0.03)
    # never narrower than the floor, never wider than without pooling; other terms: no prior
    assert sigma[:2].tolist() == pytest.approx([CALENDAR_FLOOR * 0.03, 0.03])
    assert np.isnan(sigma[2])


def test_design_fit_is_unchanged_without_a_prior_and_centred_with_one() -> None:
    dates = pd.date_range("2021-01-01", periods=3 * 365, freq="D")
    rng = np.random.default_rng(0)
    event = (dates.dayofyear == 100).astype(float)[:, None]
    y = np.log1p(200 * (1 + 0.8 * event[:, 0]) * np.exp(rng.normal(0, 0.1, len(dates))))

    def design() -> ProphetDesign:
        return ProphetDesign(dates, yearly_order=3, weekly_order=False)

    plain = design().fit(y, event, [0.03], names=["x"])
    again = design().fit(y, event, [0.03], None, ["x"])
    np.testing.assert_array_equal(plain.theta_, again.theta_)
    assert plain.term_names(["x"])[-1] == "x" and set(plain.coefficients()) == {
        "yearly_sin1", "yearly_cos1", "yearly_sin2", "yearly_cos2", "yearly_sin3",
        "yearly_cos3", "x",
    }  # fmt: skip
    # a narrow prior centred far from the data holds the coefficient near its centre
    target = 3.0  # log units
    narrow = PooledPrior({"x": target}, {"x": 0.0}, 5)
    pooled = design().fit(y, event, [0.03], narrow, ["x"])
    assert pooled.coefficients()["x"] > 2.0 > plain.coefficients()["x"] > 0.3


def test_cutoffs_of_the_backtest_windows() -> None:
    idx = pd.date_range("2020-01-05", periods=150, freq="W-SUN")
    panel = {("A",): pd.Series(1.0, index=idx), ("B",): pd.Series(1.0, index=idx[20:])}
    config = SeriesConfig(model="auto", freq="W-SUN")
    assert cutoff_dates(panel, config, backtest=False) == {idx[-1]: 2}
    ends = cutoff_dates(panel, config, backtest=True)
    assert ends[idx[-1]] == 2 and len(ends) >= 2 and max(ends) == idx[-1]


def test_series_of_another_structure_are_not_pooled_together() -> None:
    """Six series with two years and more, five with a year: two priors, none across."""
    sales = weekly_provinces(11)
    stores = sorted(sales["store"].unique())
    short = sales["store"].isin(stores[6:]) & (sales["date"] < "2011-01-01")
    sales = sales[~short]
    panel = {
        (store,): part.set_index("date")["units"].asfreq("W-SUN")
        for store, part in sales.groupby("store")
    }
    priors = pooled_priors(
        panel,
        weekly_config(sales),
        backtest=False,
        execution={"n_jobs": 1, "progress": False},
    )
    assert sorted((structure, p.series) for (_, structure), p in priors.items()) == [
        (("flat", 0, 0), 5), (("linear", 10, 0), 6)
    ]  # fmt: skip
    short_prior = next(p for (_, structure), p in priors.items() if structure[1] == 0)
    long_prior = next(p for (_, structure), p in priors.items() if structure[1] > 0)
    # calendar terms only (the seasonality is not pooled), with their own means in each structure
    for prior in (short_prior, long_prior):
        assert prior.means and not any(n.startswith(("yearly", "weekly")) for n in prior.means)
    shared = sorted(set(short_prior.means) & set(long_prior.means))
    assert shared and any(short_prior.means[n] != long_prior.means[n] for n in shared)


def test_each_window_prior_sees_only_its_past() -> None:
    """The prior of a backtest cutoff is the same whatever the sales after the cutoff were."""
    sales = weekly_provinces()
    panel = {
        (store,): part.set_index("date")["units"].asfreq("W-SUN")
        for store, part in sales.groupby("store")
    }
    config = weekly_config(sales, "auto")
    execution = {"n_jobs": 1, "progress": False}
    priors = pooled_priors(panel, config, backtest=True, execution=execution)
    ends = sorted(priors)
    assert len(ends) == 3 and all(p.series == len(panel) for p in priors.values())
    first = ends[0]  # (history end, model structure)
    changed = {k: y.where(y.index <= first[0], y * 3.0) for k, y in panel.items()}
    again = pooled_priors(changed, config, backtest=True, execution=execution)
    assert again[first].means == priors[first].means
    assert again[ends[-1]].means != priors[ends[-1]].means


def test_forecaster_pools_and_says_so() -> None:
    sales = weekly_provinces()
    pooled = DemandForecaster(model="prophet", progress=False, n_jobs=1).fit(sales, by="store")
    alone = DemandForecaster(model="prophet", progress=False, n_jobs=1, pooling=False)
    alone.fit(sales, by="store")
    assert (
        pooled.summary_["reason"].str.contains(f"pooled over {len(pooled.summary_)} series").all()
    )
    assert (alone.summary_["reason"] == "").all()
    models = [m.model for m in pooled.models_.values()]
    assert all(isinstance(m, ProphetModel) and m.pooled_ == len(models) for m in models)
    a, b = pooled.predict(8), alone.predict(8)
    assert not np.allclose(a["p50"], b["p50"]) and (a["p50"] > 0).all()
    # fewer series than a panel prior needs: each alone, nothing said
    few = sales[sales["store"].isin(sorted(sales["store"].unique())[: MIN_SERIES - 1])]
    small = DemandForecaster(model="prophet", progress=False, n_jobs=1).fit(few, by="store")
    assert (small.summary_["reason"] == "").all()
    with pytest.raises(ValueError, match="pooling"):
        DemandForecaster(model="prophet", pooling="yes").fit(sales, by="store")  # type: ignore[arg-type]


@pytest.mark.slow
def test_pooling_lowers_the_error_on_china_clothing() -> None:
    """Learn 2008-01..2010-06, forecast the second half of 2010 (a validation split)."""
    sales = load_demo().sales[["date", "store", "units"]]
    train, test = sales[sales["date"] <= "2010-06-30"], sales[sales["date"].dt.year == 2010]
    scores = {}
    for pooling in (True, False):
        f = DemandForecaster(model="prophet", progress=False, pooling=pooling)
        fc = f.fit(train, by="store").predict(184).merge(test, on=["store", "date"])
        scores[pooling] = float((fc["units"] - fc["p50"]).abs().sum() / fc["units"].sum())
    assert scores[True] < scores[False] - 0.003  # measured: 0.2316 against 0.2360
