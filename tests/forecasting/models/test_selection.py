"""The ``"auto"`` model: statsforecast families, backtest choice, means, calibrated quantiles."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.models import DemandForecaster
from forecasting.models.base import SeriesConfig
from forecasting.models.conformal import Calibration
from forecasting.models.families import StatsForecastModel, family_season_length
from forecasting.models.selection import backtest_candidates, backtest_windows, choose
from forecasting.models.series import fit_series

DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data"


def _monthly(n: int = 120, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 200 + 2.0 * t + 40 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 5, n)
    return pd.Series(values, index=pd.date_range("2010-01-01", periods=n, freq="MS"))


@pytest.mark.parametrize("name", ["autoets", "autoarima", "theta"])
def test_families_forecast_a_seasonal_monthly_series(name: str) -> None:
    y = _monthly()
    cfg = SeriesConfig(model=name, freq="MS")
    model = StatsForecastModel(name).fit(y.iloc[:-12], cfg)
    fc = model.predict(y.index[-12:], cfg)
    wape = np.abs(fc["p50"].to_numpy() - y.iloc[-12:].to_numpy()).sum() / y.iloc[-12:].sum()
    assert model.season_length_ == 12
    assert wape < 0.08, wape  # the trend and the season are found
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()
    assert (fc["p90"] > fc["p10"]).all()


def test_family_season_needs_enough_history() -> None:
    assert family_season_length(30, SeriesConfig(freq="D")) == 7
    assert family_season_length(10, SeriesConfig(freq="D")) == 1
    assert family_season_length(16, SeriesConfig(freq="MS")) == 1
    assert family_season_length(17, SeriesConfig(freq="MS")) == 12


def test_backtest_windows_leave_a_year_to_fit_on() -> None:
    validation, lengths = backtest_windows(1096, SeriesConfig(freq="D"))
    assert validation == 364 and lengths == [732, 550]
    validation, lengths = backtest_windows(91, SeriesConfig(freq="W-FRI"))
    assert validation == 26 and lengths == [65]  # the second window would leave < 65 weeks
    assert backtest_windows(30, SeriesConfig(freq="MS")) == (15, [15])
    assert backtest_windows(17, SeriesConfig(freq="MS")) == (0, [])


def test_choice_prefers_the_model_that_forecasts_the_held_out_periods() -> None:
    # a clean seasonal series with a trend: seasonal naive misses the trend, theta and ETS get it
    y = _monthly()
    cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("seasonal_naive", "theta")})
    record = backtest_candidates(y, cfg, on_error="raise")
    assert record is not None
    choice = choose({"A": record})["A"]
    assert choice.members[0] == "theta"
    assert choice.scores["theta"] < choice.scores["seasonal_naive"]
    assert choice.errors.shape == (choice.windows, choice.validation)
    assert "chose" in choice.describe()


def test_auto_combines_and_says_why() -> None:
    y = _monthly()
    fitted = fit_series(y, SeriesConfig(model="auto", freq="MS"), on_error="raise")
    assert fitted.reason.startswith("auto: backtest WAPE on this series, 2 windows of 24 periods")
    chosen = fitted.reason.rsplit("chose ", 1)[1].split(";")[0]  # then what the refit reused
    assert fitted.model_name == chosen
    assert fitted.backtest_errors is not None and fitted.backtest_errors.shape == (2, 24)


def test_a_short_series_uses_the_fallback_model() -> None:
    y = _monthly(17)  # a year and a quarter to fit on leaves 2 months to validate: too few
    fitted = fit_series(y, SeriesConfig(model="auto", freq="MS"), on_error="raise")
    assert fitted.model_name == "prophet"
    assert "too short to backtest" in fitted.reason


def test_calibration_covers_its_own_errors_per_step() -> None:
    rng = np.random.default_rng(1)
    errors = {
        (i,): rng.normal(0, 0.05 * (1 + i % 3), (2, 12)) * np.sqrt(np.arange(1, 13))
        for i in range(60)
    }
    cal = Calibration.from_errors(errors, (0.1, 0.5, 0.9), min_samples=100)
    assert cal is not None
    width = cal.table[:, 2] - cal.table[:, 0]
    assert (np.diff(width) >= 0).all()  # never narrows with the horizon
    inside = []
    for key, e in errors.items():
        z = e / cal.scales[key]
        inside.append((z >= cal.table[:, 0]) & (z <= cal.table[:, 2]))
    assert 0.75 <= np.mean(inside) <= 0.85


def test_calibration_keeps_the_point_and_orders_the_quantiles() -> None:
    cal = Calibration((0.1, 0.5, 0.9), np.array([[0.2, 0.3, 0.4]]), {"A": 1.0})
    out = cal.apply("A", np.array([10.0, 10.0]), np.zeros((2, 3)))
    assert (np.diff(out, axis=1) >= 0).all()
    assert cal.apply("B", np.array([1.0]), np.ones((1, 3))).tolist() == [[1.0, 1.0, 1.0]]


def test_forecaster_auto_on_many_series_calibrates_intervals() -> None:
    frames = []
    for i in range(6):
        y = _monthly(96, seed=i) * (1 + i)
        frames.append(pd.DataFrame({"date": y.index, "item": f"S{i}", "units": y.to_numpy()}))
    sales = pd.concat(frames, ignore_index=True)
    f = DemandForecaster(n_jobs=1, progress=False).fit(sales, by="item")
    # the latest backtest window of each series: 6 series x 24 months
    short, full = f.calibration_  # a quarter of the validation span, and all of it
    assert short is not None and short.samples == 6 * 6
    assert full is not None and full.samples == 6 * 24
    fc = f.predict(12)
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()
    assert set(f.summary_.columns) >= {"item", "model", "reason", "calendar"}
    assert f.summary_["reason"].str.startswith("auto: backtest WAPE on all 6 series").all()
    assert f.summary_["model"].nunique() == 1  # one choice for the panel


def test_series_selection_chooses_per_series() -> None:
    # half the series are seasonal random walks (last year's month is the best forecast), half
    # trend upwards with a fixed season (seasonal naive lags the trend by a year)
    idx = pd.date_range("2012-01-01", periods=96, freq="MS")
    season = 50 + 20 * np.sin(2 * np.pi * np.arange(96) / 12)
    rng = np.random.default_rng(3)
    walks = []
    for _ in range(2):
        walk = np.r_[season[:12], np.zeros(84)] + 200
        for t in range(12, 96):
            walk[t] = walk[t - 12] + rng.normal(0, 15)
        walks.append(walk)
    frames = [
        pd.DataFrame({"date": idx, "item": f"flat{i}", "units": walks[i]}) for i in range(2)
    ] + [
        pd.DataFrame({"date": idx, "item": f"trend{i}", "units": season + 5.0 * np.arange(96)})
        for i in range(2)
    ]
    sales = pd.concat(frames, ignore_index=True)
    f = DemandForecaster(
        n_jobs=1, progress=False, selection="series", candidates=["seasonal_naive", "theta"]
    ).fit(sales, by="item")
    chosen = dict(zip(f.summary_["item"], f.summary_["model"], strict=True))
    assert chosen["flat0"] == chosen["flat1"] == "seasonal_naive"
    assert "theta" in chosen["trend0"] and "theta" in chosen["trend1"]


def test_bad_candidates_are_an_error_before_the_fit() -> None:
    sales = pd.DataFrame({"date": _monthly().index, "units": 1.0})
    with pytest.raises(DataValidationError, match="candidates"):
        DemandForecaster(candidates=["auto"], n_jobs=1).fit(sales)
    with pytest.raises(DataValidationError, match="backtest_windows"):
        DemandForecaster(backtest_windows=0, n_jobs=1).fit(sales)


@pytest.mark.slow
def test_auto_on_wine_sales_beats_seasonal_naive() -> None:
    wine = pd.read_csv(DATA / "classic_series" / "pmdarima_wineind.csv")
    sales = pd.DataFrame(
        {"date": pd.to_datetime(wine["month"]), "units": wine["wine_sales_bottles"].astype(float)}
    )
    train, test = sales.iloc[:-24], sales.iloc[-24:]
    scores = {}
    for model in ("auto", "seasonal_naive"):
        fc = DemandForecaster(model=model, n_jobs=1, progress=False).fit(train).predict(24)
        scores[model] = (
            np.abs(fc["p50"].to_numpy() - test["units"].to_numpy()).sum() / test["units"].sum()
        )
    assert scores["auto"] < scores["seasonal_naive"]


def test_seasonal_growth_scales_last_year_by_the_recent_quarter() -> None:
    weeks = pd.date_range("2020-01-03", periods=80, freq="W-FRI")
    base = 100 + 30 * np.sin(2 * np.pi * np.arange(80) / 52)
    growing = pd.Series(base * np.where(np.arange(80) >= 52, 1.2, 1.0), index=weeks)
    cfg = SeriesConfig(model="seasonal_growth", freq="W-FRI")
    fitted = fit_series(growing, cfg, on_error="raise")
    assert fitted.model_name == "seasonal_growth"
    assert fitted.model.growth_ == pytest.approx(1.2)
    fc = fitted.predict(4, cfg)
    np.testing.assert_allclose(fc["p50"], 1.2 * growing.iloc[-52:-48].to_numpy())
    collapsed = growing.copy()
    collapsed.iloc[-13:] = 1.0  # a quarter that sold almost nothing: the ratio stops at 0.5
    assert fit_series(collapsed, cfg, on_error="raise").model.growth_ == 0.5
    short = fit_series(growing.iloc[:60], cfg, on_error="raise")
    assert short.model_name == "recent_level" and "a year and a quarter" in short.reason


def test_short_forecasts_get_the_models_best_over_the_first_steps() -> None:
    from forecasting.models.selection import BacktestRecord
    from forecasting.models.series import fit_plans

    # x is right for the first two periods after the cutoff and wrong after; y the other way
    record = BacktestRecord(
        8,
        np.array([[10.0] * 4 + [20.0] * 4]),
        {"theta": np.array([[10.0] * 8]), "seasonal_naive": np.array([[14.0] * 4 + [20.0] * 4])},
    )
    short = choose({"A": record.first(2)})["A"]
    full = choose({"A": record})["A"]
    assert short.members == ("theta",) and short.validation == 2
    assert full.members[0] == "seasonal_naive"
    y = _monthly(60)
    cfg = SeriesConfig(model="auto", freq="MS")
    fitted = fit_plans(((2, short.members), (8, full.members)), y, cfg, "raise")
    alone = {name: fit_series(y, SeriesConfig(model=name, freq="MS"), on_error="raise")
             for name in ("theta", "seasonal_naive")}  # fmt: skip
    np.testing.assert_allclose(fitted.predict(2, cfg)["p50"], alone["theta"].predict(2, cfg)["p50"])
    long_members = [alone[name].predict(6, cfg)["p50"].to_numpy() for name in full.members]
    np.testing.assert_allclose(fitted.predict(6, cfg)["p50"], np.mean(long_members, axis=0))
