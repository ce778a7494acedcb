"""DemandForecaster on small real series (vendored in tests/data): API contract, quantiles,
fallbacks."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.models import DemandForecaster, SeriesConfig, fit_series, forecast_series
from forecasting.models.panel import series_panel

DATA = Path(__file__).resolve().parents[2] / "data"


def china_daily(provinces: tuple[str, ...] = ("Province_1",)) -> pd.DataFrame:
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    long = raw.melt(id_vars="date", value_vars=list(provinces), var_name="store", value_name="log")
    long["units"] = np.exp(long["log"]).round()
    return long[["date", "store", "units"]]


def china_weekly(provinces: tuple[str, ...] = ("Province_1",)) -> pd.DataFrame:
    """Weeks ending Sunday, 2008-01-13 .. 2011-01-02 (three years of full weeks)."""
    daily = china_daily(provinces).set_index("date")
    weekly = daily.groupby("store")["units"].resample("W-SUN").sum().reset_index()
    return weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] <= "2011-01-02")]


def online_retail() -> pd.DataFrame:
    raw = pd.read_csv(DATA / "online_retail_5_items.csv", dtype={"item": str}, parse_dates=["ds"])
    return raw.rename(columns={"item": "sku", "ds": "date", "y": "units"})


def check_forecast(fc: pd.DataFrame, quantile_names: list[str]) -> None:
    values = fc[["mean", *quantile_names]].to_numpy()
    assert np.isfinite(values).all()
    assert (values >= 0).all()
    q = fc[quantile_names].to_numpy()
    assert (np.diff(q, axis=1) >= 0).all()


def test_predict_before_fit_raises_not_fitted() -> None:
    with pytest.raises(NotFittedError, match="call fit"):
        DemandForecaster().predict(7)


def test_init_only_stores_parameters() -> None:
    f = DemandForecaster(model="nonsense", quantiles=(2.0,))
    assert f.model == "nonsense"
    assert not [k for k in vars(f) if k.endswith("_")]
    clone = DemandForecaster(**f.get_params())
    assert clone.get_params() == f.get_params()


def test_bad_by_column_names_column_and_choices() -> None:
    sales = online_retail()
    with pytest.raises(DataValidationError, match=r"'store'.*sku"):
        DemandForecaster(model="seasonal_naive").fit(sales, by="store")
    with pytest.raises(DataValidationError, match="cannot be a key"):
        DemandForecaster(model="seasonal_naive").fit(sales, by=["sku", "units"])


def test_bad_model_quantiles_and_horizon() -> None:
    sales = online_retail()
    with pytest.raises(DataValidationError, match="model='arima'"):
        DemandForecaster(model="arima").fit(sales, by="sku")
    with pytest.raises(DataValidationError, match="quantiles"):
        DemandForecaster(model="ets", quantiles=(0.5, 1.5)).fit(sales, by="sku")
    fitted = DemandForecaster(model="seasonal_naive").fit(sales, by="sku")
    with pytest.raises(DataValidationError, match="horizon"):
        fitted.predict(0)


def test_seasonal_naive_aligns_by_weekday() -> None:
    sales = china_daily()
    train = sales[sales["date"] <= "2010-12-31"]
    fc = DemandForecaster(model="seasonal_naive").fit(train, by="store").predict(10)
    history = train.set_index("date")["units"]
    expected = history.reindex(fc["date"] - pd.Timedelta(days=364)).to_numpy()
    np.testing.assert_allclose(fc["p50"].to_numpy(), expected)
    assert (
        fc["date"].dt.day_of_week.to_numpy() == (fc["date"] - pd.Timedelta(days=364)).dt.day_of_week
    ).all()
    check_forecast(fc, ["p10", "p50", "p90"])


@pytest.mark.parametrize("model", ["seasonal_naive", "ets", "prophet"])
def test_quantiles_ordered_non_negative_any_levels(model: str) -> None:
    sales = online_retail()
    sales = sales[sales["sku"].isin(["85123A", "22197"])]
    f = DemandForecaster(model=model, quantiles=(0.95, 0.05, 0.5, 0.25)).fit(sales, by="sku")
    fc = f.predict(14)
    names = ["p5", "p25", "p50", "p95"]
    assert list(fc.columns) == ["sku", "date", "mean", *names]
    assert len(fc) == 14 * sales["sku"].nunique()
    assert fc["date"].min() == sales["date"].max() + pd.Timedelta(days=1)
    check_forecast(fc, names)


def test_one_series_of_all_sales_when_by_is_none() -> None:
    sales = online_retail()
    fc = DemandForecaster(model="ets").fit(sales).predict(7)
    assert list(fc.columns) == ["date", "mean", "p10", "p50", "p90"]
    assert len(fc) == 7
    check_forecast(fc, ["p10", "p50", "p90"])


def test_short_and_empty_series_fall_back_without_crash() -> None:
    sales = online_retail()
    sales = sales[sales["sku"].isin(["85123A", "23084"])]
    end = sales["date"].max()
    extra = pd.DataFrame(
        {
            "date": [
                *pd.date_range(end - pd.Timedelta(days=9), end),
                end - pd.Timedelta(days=40),
                end,
            ],
            "sku": ["NEW"] * 10 + ["DEAD", "DEAD"],
            "units": [3.0] * 10 + [0.0, 0.0],
        }
    )
    for model in ("prophet", "ets", "seasonal_naive", "auto"):
        f = DemandForecaster(model=model).fit(
            pd.concat([sales, extra], ignore_index=True), by="sku"
        )
        summary = f.summary_.set_index("sku")
        assert summary.loc["NEW", "model"] == "recent_level"
        assert "short" in summary.loc["NEW", "reason"]
        assert summary.loc["DEAD", "reason"] == "no sales in the history"
        fc = f.predict(5).set_index("sku")
        np.testing.assert_allclose(fc.loc["NEW", "mean"], 3.0)
        np.testing.assert_allclose(fc.loc["DEAD", ["mean", "p10", "p50", "p90"]].to_numpy(), 0.0)
        # item 23084 starts 2011-05-10: too short for seasonal naive (a year), modelled by the
        # others
        expected = {"seasonal_naive": "recent_level", "auto": "prophet"}.get(model, model)
        assert summary.loc["23084", "model"] == expected


def test_intermittent_series_falls_back() -> None:
    dates = pd.date_range("2023-01-02", periods=120, freq="W-MON")
    units = np.zeros(120)
    units[::9] = 4.0
    f = DemandForecaster(model="prophet").fit(pd.DataFrame({"date": dates, "units": units}))
    assert f.summary_.loc[0, "model"] == "recent_level"
    assert f.summary_.loc[0, "reason"].startswith("intermittent")


def test_daily_prophet_moves_the_spring_festival_peak() -> None:
    """Train 2008-2010; the 2011 pre-festival peak must come before 2011-02-03, not where 2010's
    was."""
    sales = china_daily()
    train = sales[sales["date"] <= "2010-12-31"]
    fc = DemandForecaster(model="prophet").fit(train, by="store").predict(59).set_index("date")
    season = fc.loc["2011-01-10":"2011-02-28", "p50"]  # after the New Year's Day sales
    assert pd.Timestamp("2011-01-24") <= season.idxmax() <= pd.Timestamp("2011-02-02"), (
        season.idxmax()
    )
    assert season["2011-01-20":"2011-01-31"].mean() > 1.5 * season["2011-02-03":"2011-02-09"].mean()
    naive = (
        DemandForecaster(model="seasonal_naive")
        .fit(train, by="store")
        .predict(59)
        .set_index("date")
    )
    assert naive.loc["2011-01-10":"2011-02-28", "p50"].idxmax() > pd.Timestamp("2011-02-02")
    check_forecast(fc.reset_index(), ["p10", "p50", "p90"])


def test_weekly_prophet_recovers_the_holiday_effect() -> None:
    """Weekly data: the calendar enters as weekly event features; the moved festival is found."""
    weekly = china_weekly()
    actual = weekly.set_index("date")["units"]
    f = DemandForecaster(model="prophet").fit(weekly, by="store")
    assert any(
        c.startswith("holiday:Spring Festival[w") for c in f.config_.calendar.features.columns
    )
    fc = f.predict(8).set_index("date")
    naive = (
        DemandForecaster(model="seasonal_naive")
        .fit(weekly, by="store")
        .predict(8)
        .set_index("date")
    )
    # Spring Festival 2011-02-03: the peak is the week ending 2011-01-30, the trough the weeks
    # after.
    assert fc["p50"].idxmax() == pd.Timestamp("2011-01-30")
    assert naive["p50"].idxmax() != pd.Timestamp(
        "2011-01-30"
    )  # last year's peak week (2010-02-07 + 52 w)
    lift = fc.loc["2011-01-30", "p50"] / fc.loc["2011-02-13":"2011-02-27", "p50"].mean()
    past_lift = actual["2010-02-07"] / actual["2010-02-21":"2010-03-07"].mean()
    assert lift > 0.5 * past_lift
    check_forecast(fc.reset_index(), ["p10", "p50", "p90"])


def test_auto_chooses_per_series_and_says_why() -> None:
    weekly = china_weekly(("Province_1", "Province_2"))
    candidates = ["seasonal_naive", "ets", "prophet"]
    f = DemandForecaster(
        model="auto", validation_horizon=13, candidates=candidates, selection="series"
    ).fit(weekly, by="store")
    used = set(f.summary_["model"].str.removeprefix("mean(").str.rstrip(")").str.split(", ").sum())
    assert used <= set(candidates)
    reasons = f.summary_["reason"]
    assert reasons.str.startswith("auto: backtest WAPE on this series, 2 windows").all()
    assert f.summary_["reason"].str.contains("seasonal_naive .* ets .* prophet ").all()
    check_forecast(f.predict(8), ["p10", "p50", "p90"])


def test_stockout_periods_are_censored() -> None:
    sales = online_retail()
    sales["stockout"] = False
    censored = sales.index[sales["sku"] == "85123A"][100:110]
    sales.loc[censored, "stockout"] = True
    panel = series_panel(sales, ["sku"], "D")
    y = panel[("85123A",)]
    assert y[sales.loc[censored, "date"]].isna().all()
    assert y.notna().sum() == len(y) - len(censored)
    f = DemandForecaster(model="prophet").fit(sales[sales["sku"] == "85123A"], by="sku")
    history = f.models_[("85123A",)].model.model_.history
    assert not history["ds"].isin(sales.loc[censored, "date"]).any()
    check_forecast(f.predict(7), ["p10", "p50", "p90"])


def test_per_series_function_is_pure_and_picklable() -> None:
    weekly = china_weekly()
    f = DemandForecaster(model="prophet").fit(weekly, by="store")
    config = pickle.loads(pickle.dumps(f.config_))
    assert isinstance(config, SeriesConfig)
    y = weekly.set_index("date")["units"].asfreq("W-SUN")
    direct = forecast_series(y, config, 6)
    via_forecaster = f.predict(6)
    np.testing.assert_allclose(direct["p50"], via_forecaster["p50"], rtol=1e-6)
    fitted = pickle.loads(pickle.dumps(fit_series(y, config)))
    np.testing.assert_allclose(fitted.predict(6, config)["mean"], via_forecaster["mean"], rtol=1e-6)
