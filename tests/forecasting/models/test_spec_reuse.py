"""``"auto"`` searches each statsforecast family once per series, on the oldest backtest window's
history; the later windows and the refit on the whole history reuse the specification found there
(issue #14)."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest

from forecasting.models import DemandForecaster, families
from forecasting.models.base import SeriesConfig
from forecasting.models.families import FamilySpec, StatsForecastModel, history_digest
from forecasting.models.parallel import backtest_many
from forecasting.models.selection import (
    SPECS_ATTR,
    backtest_candidates,
    backtest_windows,
    reusable_specs,
    with_specs,
)
from forecasting.models.series import fit_plans, fit_series

FAMILY_NAMES = ["autoets", "autoarima", "theta"]


def _monthly(n: int = 96, seed: int = 0, level: float = 200.0) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = level + 2.0 * t + 40 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 5, n)
    return pd.Series(values, index=pd.date_range("2010-01-01", periods=n, freq="MS"))


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Count the searches (statsforecast's AutoETS/AutoARIMA/AutoTheta with nothing fixed)."""
    counts: Counter[str] = Counter()
    original = families._statsforecast_class

    def counting(name: str) -> Any:
        search = original(name)

        class Counted(search):  # type: ignore[misc, valid-type]
            def fit(self, *args: Any, **kwargs: Any) -> Any:
                counts[name] += 1
                return super().fit(*args, **kwargs)

        return Counted

    monkeypatch.setattr(families, "_statsforecast_class", counting)
    yield counts


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_a_fixed_specification_fits_what_the_search_found(name: str) -> None:
    y = _monthly()
    cfg = SeriesConfig(model=name, freq="MS")
    searched = StatsForecastModel(name).fit(y, cfg)
    fixed = StatsForecastModel(name).fit(y, cfg, spec=searched.spec_)
    assert not searched.reused_ and fixed.reused_
    assert fixed.spec_ == searched.spec_
    dates = pd.date_range(y.index[-1], periods=13, freq="MS")[1:]
    np.testing.assert_allclose(
        fixed.predict(dates, cfg)[["p10", "p50", "p90"]].to_numpy(),
        searched.predict(dates, cfg)[["p10", "p50", "p90"]].to_numpy(),
        rtol=1e-6,
    )


def test_a_specification_that_cannot_be_fitted_searches_again(
    searches: Counter[str],
) -> None:
    y = _monthly()
    y.iloc[-3] = 0.0  # a multiplicative ETS cannot take a zero
    spec = FamilySpec("autoets", 12, ("M", "A", "M", False), 10, "")
    fitted = StatsForecastModel("autoets").fit(y, SeriesConfig(freq="MS"), spec=spec)
    assert not fitted.reused_ and searches["autoets"] == 1
    assert fitted.spec_.form[0] == "A" and fitted.spec_.train_length == len(y)


@pytest.mark.parametrize("name", FAMILY_NAMES)
def test_the_backtest_searches_once_on_the_oldest_window(name: str, searches: Counter[str]) -> None:
    y = _monthly()
    cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": (name,)})
    record = backtest_candidates(y, cfg, on_error="raise")
    assert record is not None and record.windows == 2
    assert searches[name] == 1  # not once per window; no window sees a spec chosen with its future
    _, lengths = backtest_windows(len(y), cfg)
    spec = record.specs[name]
    assert spec.searched_on(y.iloc[: lengths[-1]])  # the oldest window: only the past of each
    searched = StatsForecastModel(name).fit(y.iloc[: lengths[-1]], cfg)
    assert spec == searched.spec_  # what the search finds there


def test_the_refit_reuses_the_backtest_specification(searches: Counter[str]) -> None:
    y = _monthly()
    cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("autoarima",)})
    fitted = fit_series(y, cfg, on_error="raise")
    assert fitted.model_name == "autoarima"
    assert searches["autoarima"] == 1  # two windows and the refit: one search
    assert fitted.model.reused_ and type(fitted.model.model_).__name__ == "ARIMA"
    _, lengths = backtest_windows(len(y), cfg)
    assert fitted.model.spec_.searched_on(y.iloc[: lengths[-1]])
    assert f"autoarima {fitted.model.spec_.describe()}" in fitted.reason
    assert "refit reused the specification searched in the backtest" in fitted.reason


def test_the_forecaster_reuses_the_specifications_of_each_series(
    searches: Counter[str],
) -> None:
    sales = pd.concat(
        [
            pd.DataFrame({"date": y.index, "item": item, "units": y.to_numpy()})
            for item, y in (("A", _monthly(seed=1)), ("B", _monthly(seed=2, level=500.0)))
        ]
    )
    f = DemandForecaster(model="auto", candidates=["theta"], n_jobs=1, progress=False)
    f.fit(sales, by="item", freq="MS")
    assert searches["theta"] == 2  # one per series (four windows and two refits)
    assert f.summary_["reason"].str.contains("reused the specification").all()
    refits = [getattr(m.model, "models", {"theta": m.model})["theta"] for m in f.models_.values()]
    assert all(refit.reused_ for refit in refits)
    assert refits[0].spec_.digest != refits[1].spec_.digest


def test_specifications_travel_with_their_series_only() -> None:
    y = _monthly()
    cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("theta",)})
    records = backtest_many({("A",): y}, cfg, n_jobs=1, progress=False)
    assert SPECS_ATTR not in y.attrs  # the backtest leaves the series alone
    specs = records[("A",)].specs
    y = with_specs(y, specs)
    assert y.attrs[SPECS_ATTR] == specs
    assert reusable_specs(pickle.loads(pickle.dumps(y)), cfg) == specs  # to worker processes
    assert reusable_specs(y * 1.5, cfg, specs) == {}  # other values
    assert reusable_specs(y.iloc[:-1], cfg, specs) == {}  # another oldest window
    other = fit_plans(((24, ("theta",)),), y * 1.5, cfg, "raise", specs=specs)
    assert not other.model.reused_ and "reused" not in other.reason


def test_history_digest_sees_censored_periods() -> None:
    a = np.array([1.0, 2.0, 3.0])
    b = np.array([1.0, np.nan, 3.0])
    assert history_digest(a) != history_digest(b)
    assert history_digest(b) == history_digest(pd.Series(b))
