"""The whole flow: make_plan, write_plan, and the ``plan`` / ``demo`` commands."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar

import calendars
from forecasting import DataValidationError, load_demo, write_plan
from forecasting.cli import run
from forecasting.timing.waves import assign_waves

SEASON = ("2012-01-01", "2012-12-31")


def test_every_product_gets_a_wave_and_a_working_monday(demo_plan) -> None:
    plan = demo_plan
    assert plan.products_plan["wave"].notna().all()
    for day in plan.launches["delivery_date"]:
        assert calendars.is_workday(day)
    # every wave on time falls on the unified Monday (none of them is a holiday); the late
    # Spring Festival wave goes on the first working day after the planning date 2012-01-01
    on_time = plan.launches[~plan.launches["late"]]
    assert set(pd.to_datetime(on_time["delivery_date"]).dt.day_of_week) == {0}
    late = plan.launches[plan.launches["late"]]
    assert late["delivery_date"].tolist() == [pd.Timestamp("2012-01-04")]
    assert (plan.launches["shelf_start"] > plan.launches["delivery_date"]).all()
    assert (on_time["expected_onset"] > on_time["shelf_end"]).all()
    assert (late["expected_onset"] <= late["shelf_start"]).all()  # late: said in the reason
    assert late["reason"].str.contains("LATE: the best delivery day").all()
    assert late["reason"].str.contains("deliver on the first feasible day, Wed 2012-01-04").all()
    # the winter wave is anchored on 春节 (2012-01-23), not on 除夕 (01-22, the break's first day)
    winter = plan.launches[plan.launches["anchor"] == "Spring Festival"]
    assert winter["anchor_date"].tolist() == [pd.Timestamp("2012-01-23")]


def test_depth_is_fully_allocated_and_respects_minimums(demo_plan) -> None:
    plan = demo_plan
    sent = plan.allocation.groupby("sku")["units"].sum()
    depth = plan.depth.set_index("sku")["depth"]
    assert (sent.reindex(depth.index) == depth).all()
    stores = plan.stores.set_index("store")
    rows = plan.allocation[plan.allocation["store"].isin(stores.index)]
    minimum = rows["store"].map(stores["min_units"]).fillna(0)
    cap = rows["store"].map(stores["max_units"]).fillna(float("inf"))
    assert (rows["units"] >= minimum).all()
    assert (rows["units"] <= cap).all()
    assert (plan.depth["depth"] >= plan.depth["presentation_minimum"]).all()


def test_split_follows_the_forecast_of_the_selling_weeks(demo_plan) -> None:
    plan = demo_plan
    shares = plan.store_demand.groupby("sku")["mean"].sum()
    means = plan.depth.set_index("sku")["mean"]
    assert (shares.reindex(means.index) - means).abs().max() < 1e-6


def test_write_plan_writes_every_file(demo_plan, tmp_path: Path) -> None:
    files = write_plan(demo_plan, tmp_path / "out", lang="en")
    names = {p.name for p in files.values()}
    expected = {
        "launch_calendar.csv",
        "launch_calendar.xlsx",
        "launch_calendar.ics",
        "timeline.png",
        "depth.csv",
        "allocation.csv",
        "allocation.xlsx",
        "allocation.png",
        "summary.md",
    }
    assert expected <= names
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    calendar = Calendar.from_ical((out / "launch_calendar.ics").read_bytes())
    assert len(calendar.walk("VEVENT")) == len(demo_plan.launches)
    sheets = pd.read_excel(out / "allocation.xlsx", sheet_name=None)
    assert len(sheets) == demo_plan.products_plan["wave"].nunique()
    # each sheet ends with a row of totals per product; the total column sums each store's units
    assert all(s["store"].iloc[-1] == "total" for s in sheets.values())
    total = sum(int(s["total"].iloc[:-1].sum()) for s in sheets.values())
    assert total == int(demo_plan.depth["depth"].sum())
    assert sum(int(s["total"].iloc[-1]) for s in sheets.values()) == total
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "Presentation minimums" in summary
    assert all(sku in summary for sku in demo_plan.depth["sku"])


def test_unknown_wave_names_the_waves() -> None:
    launches = pd.DataFrame(
        {
            "wave": ["spring (谷雨)"],
            "anchor": ["谷雨"],
            "delivery_date": pd.to_datetime(["2012-04-16"]),
            "shelf_start": pd.to_datetime(["2012-04-17"]),
            "expected_onset": pd.to_datetime(["2012-04-26"]),
            "expected_peak": pd.to_datetime(["2012-04-30"]),
        }
    )
    products = pd.DataFrame({"sku": ["X"], "launch_wave": ["summer"]})
    with pytest.raises(DataValidationError, match=r"launch_wave.*spring \(谷雨\)"):
        assign_waves(products, launches)


def test_cli_plan_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, console: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    demo = load_demo()
    stores = tmp_path / "stores.csv"
    demo.stores.to_csv(stores, index=False)
    products = tmp_path / "products.csv"
    demo.products.drop(columns=["unit_cost"]).to_csv(products, index=False)
    sales = tmp_path / "sales.csv"
    demo.sales.to_csv(sales, index=False)
    out = tmp_path / "plan"
    done = console(
        "plan",
        "--sales",
        str(sales),
        "--stores",
        str(stores),
        "--products",
        str(products),
        "--season",
        "2012-01-01:2012-12-31",
        "--out",
        str(out),
        "--model",
        "seasonal_naive",
        "--quiet",
    )
    err = done.stderr
    assert done.returncode == 1
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "unit_cost" in err
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_bad_season(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "plan",
            "--sales",
            "s.csv",
            "--stores",
            "t.csv",
            "--products",
            "p.csv",
            "--season",
            "2012",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    assert code == 1
    assert "--season" in capsys.readouterr().err


def test_cli_demo_writes_the_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert run(["demo", "--out", str(out), "--model", "seasonal_naive", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "上市日历" in printed and "summary.md" in printed  # Chinese for the Chinese market
    assert (out / "summary.md").exists() and (out / "allocation.xlsx").exists()
