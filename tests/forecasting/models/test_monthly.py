"""Monthly data through the models: the series configuration, the baselines, ETS, the panel, the
backtest and its MASE, the forecast plot, and launch timing's refusal (issue 14, point 1).

The real series is the US monthly retail sales file of prophet's examples (1992-01 .. 2016-05)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import SalesTable, validate_sales
from forecasting.models import DemandForecaster
from forecasting.models.backtest import backtest
from forecasting.models.base import SeriesConfig, future_dates
from forecasting.models.ets import ETS, ets_season_length
from forecasting.models.metrics import mase_scale, wape
from forecasting.models.naive import RecentLevel, SeasonalNaive, recent_window
from forecasting.models.panel import series_panel

RETAIL = (
    Path(__file__).resolve().parents[3]
    / ".."
    / "shared"
    / "data"
    / "prophet_examples"
    / "example_retail_sales.csv"
)
needs_retail = pytest.mark.skipif(not RETAIL.exists(), reason="../shared/data is not available")
MONTHLY = SeriesConfig(model="seasonal_naive", freq="MS")


def _retail() -> SalesTable:
    return validate_sales(RETAIL, columns={"ds": "date", "y": "units"})


def _series() -> pd.Series:
    frame = _retail().frame
    return pd.Series(frame["units"].to_numpy(), index=pd.DatetimeIndex(frame["date"]))


def test_series_config_knows_months() -> None:
    flags = {
        freq: (c.is_daily, c.is_weekly, c.is_monthly, c.season_length)
        for freq in ("D", "W-FRI", "MS", "ME")
        for c in [SeriesConfig(freq=freq)]
    }
    assert flags == {
        "D": (True, False, False, 364),
        "W-FRI": (False, True, False, 52),
        "MS": (False, False, True, 12),
        "ME": (False, False, True, 12),
    }


def test_future_dates_of_months() -> None:
    starts = future_dates(pd.Timestamp("2016-05-01"), 3, "MS")
    assert starts.strftime("%Y-%m-%d").tolist() == ["2016-06-01", "2016-07-01", "2016-08-01"]
    ends = future_dates(pd.Timestamp("2015-12-31"), 3, "ME")
    assert ends.strftime("%Y-%m-%d").tolist() == ["2016-01-31", "2016-02-29", "2016-03-31"]


@needs_retail
def test_seasonal_naive_repeats_the_same_month_last_year() -> None:
    y = _series()
    history, future = y.iloc[:-12], y.iloc[-12:]
    model = SeasonalNaive().fit(history, MONTHLY)
    fc = model.predict(future_dates(history.index[-1], 12, "MS"), MONTHLY)
    assert fc["date"].tolist() == future.index.tolist()
    np.testing.assert_allclose(fc["p50"], history.iloc[-12:].to_numpy())
    assert wape(future, fc["p50"]) < 0.05  # the same month last year, plus a year's growth


def test_recent_level_uses_the_last_three_months() -> None:
    y = pd.Series(
        [100.0] * 10 + [1.0, 2.0, 3.0], index=pd.date_range("2015-01-31", periods=13, freq="ME")
    )
    cfg = SeriesConfig(freq="ME")
    assert recent_window(cfg) == 3
    fc = RecentLevel().fit(y, cfg).predict(future_dates(y.index[-1], 2, "ME"), cfg)
    assert fc["mean"].tolist() == [2.0, 2.0]


@needs_retail
def test_ets_finds_the_yearly_season_of_monthly_sales() -> None:
    assert ets_season_length(24, MONTHLY) == 12
    assert ets_season_length(23, MONTHLY) is None
    y = _series()
    history, future = y.iloc[:-12], y.iloc[-12:]
    cfg = SeriesConfig(model="ets", freq="MS")
    model = ETS().fit(history, cfg)
    assert model.seasonal_periods_ == 12
    fc = model.predict(future_dates(history.index[-1], 12, "MS"), cfg)
    assert wape(future, fc["p50"]) < 0.03
    short = ETS().fit(history.iloc[-24:], cfg)
    assert short.seasonal_periods_ == 12


def test_the_panel_of_monthly_series_fills_missing_months() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2016-01-31", "2016-04-30", "2016-03-31", "2016-04-30"]),
            "dept": [7, 7, 9, 9],
            "units": [1.0, 4.0, 3.0, 5.0],
        }
    )
    panel = series_panel(frame, ["dept"], "ME")
    assert panel[(7,)].tolist() == [1.0, 0.0, 0.0, 4.0]
    dates = pd.DatetimeIndex(panel[(7,)].index)
    assert dates.strftime("%m-%d").tolist() == ["01-31", "02-29", "03-31", "04-30"]
    assert panel[(9,)].tolist() == [3.0, 5.0]


@needs_retail
def test_backtest_of_monthly_sales_steps_by_months_and_scales_mase_by_a_year() -> None:
    sales = _retail()
    result = backtest(sales, DemandForecaster(model="seasonal_naive"), horizon=12, n_windows=3)
    cutoffs = result.metrics["cutoff"].dropna().dt.strftime("%Y-%m-%d").tolist()
    assert cutoffs == ["2013-05-01", "2014-05-01", "2015-05-01"]
    assert result.forecasts["date"].dt.is_month_start.all()
    y = _series()
    for number, cutoff in enumerate(cutoffs, start=1):
        part = result.forecasts[result.forecasts["window"] == str(number)]
        errors = np.abs(part["actual"].to_numpy() - part["mean"].to_numpy())
        scale = mase_scale(y[y.index <= cutoff].to_numpy(), 12)
        row = result.metrics[result.metrics["window"] == str(number)].iloc[0]
        assert row["mase"] == pytest.approx(errors.mean() / scale)


@needs_retail
def test_forecaster_forecasts_months() -> None:
    sales = _retail()
    fc = DemandForecaster(model="seasonal_naive").fit(sales).predict(3)
    assert fc["date"].dt.strftime("%Y-%m-%d").tolist() == ["2016-06-01", "2016-07-01", "2016-08-01"]


def _as_time(x: object) -> pd.Timestamp:
    from matplotlib.dates import num2date

    if isinstance(x, float | np.floating):
        return pd.Timestamp(num2date(float(x))).tz_localize(None)
    return pd.Timestamp(x)  # type: ignore[arg-type]


def test_forecast_plot_says_units_per_month() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from forecasting.plotting import plot_forecast

    dates = pd.date_range("2014-01-01", periods=30, freq="MS")
    history = pd.DataFrame({"date": dates[:24], "units": np.arange(24.0) + 10})
    fc = pd.DataFrame({"date": dates[24:], "mean": 5.0, "p10": 4.0, "p50": 5.0, "p90": 6.0})
    fig = plot_forecast(fc, history, kinds=("holiday",), market="US")
    assert fig.axes[0].get_ylabel() == "units per month"
    marks = [line for line in fig.axes[0].lines if line.get_xdata()[0] == line.get_xdata()[-1]]
    assert marks  # New Year, Independence Day, ...
    first = min(_as_time(m.get_xdata()[0]) for m in marks)
    assert first >= pd.Timestamp("2015-01-01")  # the anchors of the last year and ahead only
    weekly = fc.assign(date=pd.date_range("2016-01-01", periods=6, freq="W-FRI"))
    assert plot_forecast(weekly, kinds=()).axes[0].get_ylabel() == "units per week"
    plt.close("all")


def test_launch_timing_needs_daily_or_weekly_sales() -> None:
    from forecasting.timing.launch import recommend_launches
    from forecasting.timing.surges import detect_surges

    months = pd.DataFrame(
        {"date": pd.date_range("2010-01-01", periods=36, freq="MS"), "units": 1.0}
    )
    months.attrs["source"] = "monthly.csv"
    with pytest.raises(DataValidationError) as exc:
        detect_surges(months)
    assert str(exc.value).startswith(
        "launch timing needs daily or weekly sales; monthly.csv is monthly"
    )
    assert "Fix:" in str(exc.value)
    with pytest.raises(DataValidationError, match="launch timing needs daily or weekly sales"):
        recommend_launches(months, "2013-01-01", "2013-12-31")
