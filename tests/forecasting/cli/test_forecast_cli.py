"""``launchcast forecast`` on data unlike the demo: monthly, any keys, any market, own events."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.cli import run


def _monthly_by_shop_and_line(path: Path) -> Path:
    idx = pd.date_range("2014-01-31", periods=60, freq="ME")  # month ends
    rng = np.random.default_rng(0)
    frames = []
    for shop in (1, 2):
        for line in ("knit", "denim"):
            season = 1 + 0.3 * np.sin(2 * np.pi * np.arange(60) / 12)
            units = np.round(100 * shop * season + rng.normal(0, 3, 60), 1)
            frames.append(pd.DataFrame({"month": idx, "Shop": shop, "Line": line, "qty": units}))
    pd.concat(frames).to_csv(path, index=False)
    return path


def test_monthly_sales_keyed_by_two_columns(tmp_path: Path, capsys) -> None:
    src = _monthly_by_shop_and_line(tmp_path / "sales.csv")
    out = tmp_path / "fc.csv"
    code = run(
        ["forecast", "--sales", str(src), "--by", "Shop,Line", "--horizon", "6", "--out", str(out),
         "--columns", "month=date,qty=units", "--model", "theta", "--n-jobs", "1", "--quiet"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    fc = pd.read_csv(out, parse_dates=["date"])
    assert len(fc) == 4 * 6
    assert set(zip(fc["Shop"], fc["Line"], strict=True)) == {
        (1, "knit"), (1, "denim"), (2, "knit"), (2, "denim")
    }  # fmt: skip
    # monthly, labelled by month ends, never re-read as days
    assert fc["date"].min() == pd.Timestamp("2019-01-31")
    assert fc["date"].max() == pd.Timestamp("2019-06-30")


def test_a_frequency_that_does_not_fit_is_one_line(tmp_path: Path, capsys) -> None:
    src = _monthly_by_shop_and_line(tmp_path / "sales.csv")
    code = run(
        ["forecast", "--sales", str(src), "--by", "Shop,Line", "--horizon", "6",
         "--out", str(tmp_path / "fc.csv"), "--columns", "month=date,qty=units", "--freq", "D"]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "monthly" in err
    assert not (tmp_path / "fc.csv").exists()


def test_unknown_market_is_an_error(tmp_path: Path, capsys) -> None:
    src = _monthly_by_shop_and_line(tmp_path / "sales.csv")
    code = run(
        ["forecast", "--sales", str(src), "--by", "Shop,Line", "--horizon", "3",
         "--out", str(tmp_path / "fc.csv"), "--columns", "month=date,qty=units",
         "--model", "prophet", "--market", "XX", "--n-jobs", "1", "--quiet"]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1 and "market" in err and "XX" in err
    assert len(err.splitlines()) == 1


def test_own_events_reach_the_forecast_and_the_summary(tmp_path: Path, capsys) -> None:
    days = pd.date_range("2022-01-01", "2023-12-31", freq="D")
    promo = days[(days.day <= 3) & (days.month % 3 == 1)]  # three days every quarter
    units = np.where(days.isin(promo), 60.0, 20.0)
    pd.DataFrame({"date": days, "units": units}).to_csv(tmp_path / "sales.csv", index=False)
    future = pd.date_range("2024-01-01", periods=3, freq="D")
    events = pd.DataFrame({"date": [*promo, future[0]], "event": "quarter sale"})
    events.assign(upper_window=0).to_csv(tmp_path / "events.csv", index=False)
    out = tmp_path / "fc.csv"
    code = run(
        ["forecast", "--sales", str(tmp_path / "sales.csv"), "--horizon", "10", "--out", str(out),
         "--model", "prophet", "--market", "none", "--events", str(tmp_path / "events.csv"),
         "--n-jobs", "1"]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "calendar: no public calendar; 1 user event (quarter sale)" in captured.out
    fc = pd.read_csv(out, parse_dates=["date"]).set_index("date")
    assert fc.loc["2024-01-01", "p50"] > 2 * fc.loc["2024-01-08", "p50"]


def test_bad_events_file_is_one_line(tmp_path: Path, capsys) -> None:
    days = pd.date_range("2022-01-01", "2023-12-31", freq="D")
    pd.DataFrame({"date": days, "units": 5.0}).to_csv(tmp_path / "sales.csv", index=False)
    (tmp_path / "events.csv").write_text("date,name\n2024-01-01,sale\n", encoding="utf-8")
    code = run(
        ["forecast", "--sales", str(tmp_path / "sales.csv"), "--horizon", "3",
         "--out", str(tmp_path / "fc.csv"), "--events", str(tmp_path / "events.csv")]
    )  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert code == 1 and "events.csv" in err and "event" in err
    assert len(err.splitlines()) == 1


def test_events_with_a_model_without_calendar_say_so(tmp_path: Path, capsys) -> None:
    days = pd.date_range("2022-01-01", "2023-12-31", freq="D")
    pd.DataFrame({"date": days, "units": 5.0}).to_csv(tmp_path / "sales.csv", index=False)
    pd.DataFrame({"date": ["2024-01-01"], "event": ["sale"]}).to_csv(
        tmp_path / "events.csv", index=False
    )
    code = run(
        ["forecast", "--sales", str(tmp_path / "sales.csv"), "--horizon", "3", "--quiet",
         "--out", str(tmp_path / "fc.csv"), "--events", str(tmp_path / "events.csv"),
         "--model", "theta", "--n-jobs", "1"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 0
    assert "launchcast: warning: DemandForecaster: model='theta' uses no calendar" in err


def test_no_pooling_fits_each_series_alone(tmp_path: Path, capsys) -> None:
    weeks = pd.date_range("2021-01-03", periods=120, freq="W-SUN")
    rng = np.random.default_rng(1)
    season = 1 + 0.4 * np.sin(2 * np.pi * np.arange(120) / 52.18)
    src = tmp_path / "sales.csv"
    pd.concat(
        pd.DataFrame({"date": weeks, "store": f"S{i}", "units": 50 * (i + 1) * season
                      * np.exp(rng.normal(0, 0.1, 120))})
        for i in range(6)
    ).to_csv(src, index=False)  # fmt: skip
    reasons = {}
    for flag in ([], ["--no-pooling"]):
        out = tmp_path / f"fc{len(flag)}.xlsx"
        args = ["forecast", "--sales", str(src), "--by", "store", "--horizon", "4",
                "--out", str(out), "--model", "prophet", "--n-jobs", "1", "--quiet"]  # fmt: skip
        code = run([*args, *flag])
        assert code == 0, capsys.readouterr().err
        reasons[bool(flag)] = pd.read_excel(out, sheet_name="series")["reason"].fillna("")
    assert reasons[False].str.contains("pooled over 6 series").all()
    assert (reasons[True] == "").all()
