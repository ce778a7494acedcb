"""The short-history backtest of ``"auto"`` (issue #14): daily or weekly histories under a year."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.inputs.frequency import frequency_kind, quarter_periods
from forecasting.models import DemandForecaster
from forecasting.models.base import SeriesConfig
from forecasting.models.selection import (
    SHORT_CANDIDATES,
    backtest_candidates,
    backtest_windows,
    short_backtest_windows,
    short_history,
)
from forecasting.models.series import fit_series


def _seasonal_rule(n: int, config: SeriesConfig) -> tuple[int, list[int]]:
    """The backtest windows as they were before the short-history backtest (a frozen copy)."""
    m = config.season_length
    quarter = quarter_periods(config.freq)
    longest = {"daily": 364, "weekly": 52, "monthly": 24}[frequency_kind(config.freq)]
    min_train = m + quarter
    given = config.option("validation_horizon")
    validation = int(given) if given else min(longest, n - min_train)
    if validation < (1 if given else quarter):
        return 0, []
    step = max(1, validation // 2)
    count = int(config.option("backtest_windows", 2) or 1)
    lengths = [n - validation - k * step for k in range(count)]
    lengths = [length for length in lengths if length >= min(min_train, n - validation)]
    return validation, [length for length in lengths if length > 0]


def _daily_panel(n: int, count: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2024-03-01", periods=n, freq="D")
    weekly = np.where(days.day_of_week >= 5, 1.6, 1.0)
    frames = []
    for i in range(count):
        level = 20.0 * (1 + i) * (1 + 0.001 * np.arange(n))
        units = rng.poisson(level * weekly).astype(float)
        frames.append(pd.DataFrame({"date": days, "store": f"S{i}", "units": units}))
    return pd.concat(frames, ignore_index=True)


def _weekly(n: int, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    weeks = pd.date_range("2021-01-01", periods=n, freq="W-FRI")
    return pd.Series(100 + 0.5 * np.arange(n) + rng.normal(0, 8, n), index=weeks)


@pytest.mark.parametrize(
    ("freq", "top"), [("D", 1500), ("W-FRI", 200), ("W-SUN", 200), ("MS", 320)]
)
@pytest.mark.parametrize("options", [{}, {"backtest_windows": 3}, {"validation_horizon": 13}])
def test_seasonal_windows_are_unchanged(freq: str, top: int, options: dict) -> None:
    config = SeriesConfig(freq=freq, options=options)
    for n in range(1, top):
        before = _seasonal_rule(n, config)
        if before[1] or "validation_horizon" in options or freq == "MS":
            assert backtest_windows(n, config) == before, n
        else:  # too short for the seasonal windows: the short-history ones, or none
            assert backtest_windows(n, config) == short_backtest_windows(n, config), n


def test_windows_of_the_benchmark_data_sets_are_pinned() -> None:
    # China 2008..2010 daily, Walmart 91 weeks, US retail, wine and shampoo monthly training parts
    assert backtest_windows(1096, SeriesConfig(freq="D")) == (364, [732, 550])
    assert backtest_windows(91, SeriesConfig(freq="W-FRI")) == (26, [65])
    assert backtest_windows(269, SeriesConfig(freq="MS")) == (24, [245, 233])
    assert backtest_windows(152, SeriesConfig(freq="MS")) == (24, [128, 116])
    assert backtest_windows(24, SeriesConfig(freq="MS")) == (9, [15])
    for n, freq in ((1096, "D"), (91, "W-FRI"), (269, "MS"), (24, "MS"), (12, "MS")):
        assert not short_history(n, SeriesConfig(freq=freq))
    # the online-retail items: 284 days, the shortest 124
    assert backtest_windows(284, SeriesConfig(freq="D")) == (91, [193, 148])
    assert backtest_windows(124, SeriesConfig(freq="D")) == (33, [91])
    assert short_history(284, SeriesConfig(freq="D"))


def test_short_windows_leave_a_quarter_and_validate_four_weeks_at_least() -> None:
    for freq, longest in (("D", 500), ("W-SUN", 80)):
        config = SeriesConfig(freq=freq)
        quarter = quarter_periods(freq)
        for n in range(1, longest):
            validation, lengths = short_backtest_windows(n, config)
            if lengths:
                assert (4 if freq != "D" else 28) <= validation <= quarter
                assert all(length >= quarter for length in lengths)
                assert lengths[0] + validation == n
    assert short_backtest_windows(118, SeriesConfig(freq="D")) == (0, [])
    assert short_backtest_windows(119, SeriesConfig(freq="D")) == (28, [91])
    assert short_backtest_windows(17, SeriesConfig(freq="W-SUN")) == (4, [13])
    assert short_backtest_windows(16, SeriesConfig(freq="W-SUN")) == (0, [])


def test_a_short_weekly_history_is_backtested_without_a_season() -> None:
    y = _weekly(60)
    config = SeriesConfig(model="auto", freq="W-FRI")
    record = backtest_candidates(y, config, on_error="raise")
    assert record is not None and record.short
    assert (record.validation, record.windows) == (13, 2)
    assert tuple(record.forecasts) == SHORT_CANDIDATES["weekly"]
    assert not record.failed
    fitted = fit_series(y, config, on_error="raise")
    assert fitted.reason.startswith("auto: short-history backtest WAPE on this series, 2 windows")
    assert fitted.backtest_errors is not None and fitted.backtest_errors.shape == (2, 13)
    fc = fitted.predict(20, config)  # beyond the validation span too
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()


def test_too_short_even_for_the_short_backtest_keeps_the_fallback() -> None:
    days = pd.date_range("2024-01-01", periods=100, freq="D")
    y = pd.Series(10.0 + (days.day_of_week == 5), index=days)
    fitted = fit_series(y, SeriesConfig(model="auto", freq="D"), on_error="raise")
    assert fitted.model_name == "prophet" and "too short to backtest" in fitted.reason


def test_a_given_validation_on_a_short_history_drops_the_yearly_candidates() -> None:
    days = pd.date_range("2024-01-01", periods=284, freq="D")
    y = pd.Series(10.0 + 3 * (days.day_of_week >= 5) + 0.01 * np.arange(284), index=days)
    options = {"validation_horizon": 28, "candidates": ("seasonal_naive", "theta", "ets")}
    config = SeriesConfig(model="auto", freq="D", options=options)
    record = backtest_candidates(y, config, on_error="raise")
    assert record is not None and record.short and record.validation == 28
    assert tuple(record.forecasts) == ("theta", "ets") and not record.failed
    only_yearly = SeriesConfig(model="auto", freq="D", options={"candidates": ("seasonal_naive",)})
    assert backtest_candidates(y, only_yearly, on_error="raise") is None


def test_forecaster_calibrates_a_short_daily_panel() -> None:
    sales = _daily_panel(200, 6)
    f = DemandForecaster(n_jobs=1, progress=False).fit(sales, by="store")
    reasons = f.summary_["reason"]
    assert reasons.str.startswith("auto: short-history backtest WAPE on all 6 series").all()
    assert f.summary_["model"].nunique() == 1 and f.summary_["model"].iloc[0] != "recent_level"
    short, full = f.calibration_
    assert short is not None and full is not None
    assert full.samples == 6 * 91  # one window of 91 days per series (200 - 91 leaves 109)
    fc = f.predict(120)  # longer than the validation span: its last step's quantiles go on
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()
    width = (fc["p90"] - fc["p10"]) / fc["p50"]
    assert width.notna().all() and (width > 0).all()


def test_a_panel_of_long_and_short_histories_chooses_for_each_kind() -> None:
    frames = []
    for i, n in enumerate((120, 120, 50, 50)):
        y = _weekly(n, seed=i).iloc[-n:]
        y.index = pd.date_range(end="2023-12-29", periods=n, freq="W-FRI")
        frames.append(pd.DataFrame({"date": y.index, "store": f"S{i}", "units": y.to_numpy()}))
    sales = pd.concat(frames, ignore_index=True)
    f = DemandForecaster(
        n_jobs=1, progress=False, candidates=["seasonal_naive", "ets", "theta"]
    ).fit(sales, by="store")
    reasons = dict(zip(f.summary_["store"], f.summary_["reason"], strict=True))
    for key in ("S0", "S1"):
        assert reasons[key].startswith("auto: backtest WAPE on 2 of 4 series")
        assert "seasonal_naive" in reasons[key]
    for key in ("S2", "S3"):
        assert reasons[key].startswith("auto: short-history backtest WAPE on 2 of 4 series")
        assert "seasonal_naive" not in reasons[key]
    assert all(c is not None for c in f.calibration_)
    fc = f.predict(8)
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()


@pytest.mark.slow
def test_online_retail_short_history_is_calibrated() -> None:
    # the split of benchmarks/peers.py --data daily: 284 days to learn from, 90 to forecast
    benchmarks = str(Path(__file__).resolve().parents[3] / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        from _peer_data import daily_online_retail
    finally:
        sys.path.remove(benchmarks)
    (split,) = daily_online_retail()
    train, test = split.train, split.test
    f = DemandForecaster(n_jobs=2, progress=False, market=split.market)
    f.fit(train, by=split.keys, freq=split.freq)
    assert f.summary_["reason"].str.startswith("auto: short-history backtest").all()
    joined = test.merge(f.predict(split.horizon), on=[*split.keys, "date"])
    covered = ((joined["units"] >= joined["p10"]) & (joined["units"] <= joined["p90"])).mean()
    wape = (joined["units"] - joined["p50"]).abs().sum() / joined["units"].sum()
    assert 0.78 <= covered <= 0.82, covered
    assert wape < 0.86, wape  # statsforecast's AutoETS, the best peer, has 0.860 on this split
