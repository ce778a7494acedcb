"""The scikit-learn estimator contract of DemandForecaster and TopDownForecaster (issue 12):
keyword-only parameters that ``__init__`` only stores, ``clone``, every model option passed to the
series once, and a ``predict`` that leaves the fitted state alone."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone

from forecasting.models import DemandForecaster, TopDownForecaster
from forecasting.models.base import MODEL_OPTIONS

DATA = Path(__file__).resolve().parents[2] / "data"

EXECUTION = {"n_jobs", "backend", "scheduler", "progress", "on_error"}


def weekly(stores: tuple[str, ...] = ("Province_1", "Province_2")) -> pd.DataFrame:
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    daily = raw.melt(id_vars="date", value_vars=list(stores), var_name="store", value_name="log")
    daily["units"] = np.exp(daily["log"]).round()
    out = daily.set_index("date").groupby("store")["units"].resample("W-SUN").sum().reset_index()
    return out[(out["date"] > "2008-01-06") & (out["date"] <= "2010-12-26")]


def test_estimators_are_scikit_learn_estimators_with_keyword_only_parameters() -> None:
    assert issubclass(DemandForecaster, BaseEstimator)
    assert issubclass(TopDownForecaster, BaseEstimator)
    with pytest.raises(TypeError):
        DemandForecaster("ets")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        TopDownForecaster(DemandForecaster(), "sku")  # type: ignore[call-arg]
    f = DemandForecaster(model="ets", n_jobs=2, changepoint_range=0.9)
    assert repr(f) == "DemandForecaster(changepoint_range=0.9, model='ets', n_jobs=2)"
    assert repr(DemandForecaster()) == "DemandForecaster()"


def test_clone_copies_parameters_and_no_fitted_state() -> None:
    f = DemandForecaster(model="seasonal_naive", quantiles=(0.05, 0.5, 0.95), n_jobs=1)
    f.fit(weekly(), by="store")
    copy = clone(f)
    assert copy is not f and copy.get_params() == f.get_params()
    assert not [k for k in vars(copy) if k.endswith("_")]
    td = TopDownForecaster(forecaster=DemandForecaster(model="ets"), level="store")
    params = td.get_params(deep=True)
    assert params["forecaster__model"] == "ets" and params["level"] == "store"
    td_copy = clone(td)
    assert td_copy.forecaster is not None and td.forecaster is not None
    assert td_copy.forecaster is not td.forecaster
    assert td_copy.forecaster.get_params() == td.forecaster.get_params()
    td.set_params(forecaster__model="seasonal_naive")
    assert td.forecaster.model == "seasonal_naive"


def test_model_settings_reach_the_series_once_execution_settings_do_not() -> None:
    params = DemandForecaster().get_params()
    model_settings = set(params) - EXECUTION
    assert set(MODEL_OPTIONS) <= model_settings
    assert model_settings - set(MODEL_OPTIONS) == {
        "model",
        "quantiles",
        "market",
        "events",
        "calendar_kinds",
    }
    for name, default in MODEL_OPTIONS.items():  # the estimator's defaults are the options'
        assert params[name] == default, name
    f = DemandForecaster(model="seasonal_naive", n_jobs=1, max_zero_share=0.5, min_history=10)
    f.fit(weekly(), by="store")
    assert f.config_.options == {**MODEL_OPTIONS, "max_zero_share": 0.5, "min_history": 10}
    assert not EXECUTION & set(f.config_.options)


def test_changepoint_range_is_a_parameter_the_prophet_model_uses() -> None:
    sales = weekly(("Province_1",))
    default = DemandForecaster(model="prophet", growth="linear", n_jobs=1, progress=False)
    early = clone(default).set_params(changepoint_range=0.3)
    default.fit(sales, by="store")
    early.fit(sales, by="store")
    assert default.config_.option("changepoint_range") == 0.8
    assert early.config_.option("changepoint_range") == 0.3
    assert not np.allclose(default.predict(8)["mean"], early.predict(8)["mean"])


@pytest.mark.parametrize("model", ["seasonal_naive", "prophet", "ets"])
def test_predict_does_not_change_the_fitted_state(model: str) -> None:
    f = DemandForecaster(model=model, n_jobs=1, progress=False).fit(weekly(), by="store")
    attributes = dict(vars(f))
    fitted = {k: v for k, v in attributes.items() if k.endswith("_")}
    frames = {k: v.copy() for k, v in fitted.items() if isinstance(v, pd.DataFrame)}
    series = {key: dict(vars(m)) for key, m in f.models_.items()}
    pickled = pickle.dumps(fitted)
    first = f.predict(6)
    assert vars(f).keys() == attributes.keys()
    assert all(vars(f)[k] is v for k, v in attributes.items())  # nothing reassigned
    for name, frame in frames.items():
        pd.testing.assert_frame_equal(getattr(f, name), frame)
    assert {key: dict(vars(m)) for key, m in f.models_.items()} == series
    if model != "ets":  # statsmodels caches inside its results object on the first forecast
        assert pickle.dumps(fitted) == pickled
    pd.testing.assert_frame_equal(f.predict(6), first)
