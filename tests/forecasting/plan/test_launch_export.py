"""Launch-calendar exports (CSV, Excel, .ics, PNG), the figures and ``launchcast calendar``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from pathlib import Path

import icalendar
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from calendars import is_workday, solar_terms
from forecasting.cli import run
from forecasting.exceptions import DataValidationError
from forecasting.plan.calendar_files import (
    export_launch_calendar,
    launch_calendar_ics,
    write_launch_excel,
)
from forecasting.plotting.surges import plot_surges
from forecasting.plotting.timeline import plot_launch_timeline
from forecasting.timing.launch import recommend_launches
from forecasting.timing.surges import detect_surges


def _sales(lags: dict[str, list[int]], *, seed: int = 0) -> pd.DataFrame:
    """Daily units 2009-2011; surges start ``lag`` days after the named solar term each year."""
    rng = np.random.default_rng(seed)
    years = [2009, 2010, 2011]
    dates = pd.date_range("2009-01-01", "2011-12-31")
    terms = solar_terms(years)
    log_units = np.full(len(dates), np.log(200.0)) + rng.normal(0, 0.04, len(dates))
    for name, per_year in lags.items():
        for year, lag in zip(years, per_year, strict=True):
            day = terms.loc[(terms["name"] == name) & (terms["year"] == year), "date"].iloc[0]
            t = (dates - (pd.Timestamp(day) + pd.Timedelta(days=lag))).days.to_numpy()
            log_units += np.log(1.9) * (np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1))
    return pd.DataFrame({"date": dates, "units": np.round(np.exp(log_units))})


@pytest.fixture(scope="module")
def grouped_sales() -> pd.DataFrame:
    coats = _sales({"白露": [0, 1, 0], "立冬": [5, 6, 4]}, seed=1).assign(category="coats")
    shirts = _sales({"白露": [9, 10, 8], "立冬": [5, 4, 6]}, seed=2).assign(category="=shirts")
    return pd.concat([coats, shirts], ignore_index=True)


@pytest.fixture(scope="module")
def plan(grouped_sales: pd.DataFrame) -> pd.DataFrame:
    return recommend_launches(grouped_sales, "2012-01-01", "2012-12-31", by="category")


def test_ics_parses_back_with_one_event_per_delivery(plan: pd.DataFrame) -> None:
    cal = icalendar.Calendar.from_ical(launch_calendar_ics(plan, lang="en"))
    events = cal.walk("VEVENT")
    assert len(events) == plan.groupby(["wave", "delivery_date"]).ngroups == 2
    by_day = {ev.decoded("dtstart"): ev for ev in events}
    for (wave, day), rows in plan.groupby(["wave", "delivery_date"]):
        ev = by_day[day.date()]
        assert ev.decoded("dtend") == (day + pd.Timedelta(days=1)).date()
        assert str(ev.get("summary")) == f"Deliver for the {wave} wave"
        description = str(ev.get("description"))
        for reason in rows["reason"]:
            assert reason in description
        assert "Groups: " in description and "coats" in description
        assert "own history" not in description  # only the group columns name a group
    assert len({str(ev.get("uid")) for ev in events}) == len(events)


def test_export_writes_four_files(
    plan: pd.DataFrame, grouped_sales: pd.DataFrame, tmp_path: Path
) -> None:
    paths = export_launch_calendar(plan, tmp_path / "out", sales=grouped_sales, lang="en")
    assert {p.name for p in paths.values()} == {
        "launch_calendar.csv",
        "launch_calendar.xlsx",
        "launch_calendar.ics",
        "launch_calendar.png",
    }
    csv = pd.read_csv(paths["csv"], encoding="utf-8-sig")
    assert len(csv) == len(plan)
    assert csv["delivery_date"].iloc[0] == f"{plan['delivery_date'].iloc[0]:%Y-%m-%d}"
    assert "'=shirts" in set(csv["category"])  # formula-escaped
    sheets = pd.read_excel(paths["xlsx"], sheet_name=None)
    assert next(iter(sheets)) == "overview"
    assert len(sheets) == 1 + plan.groupby(["wave", "delivery_date"]).ngroups
    assert sum(len(s) for name, s in sheets.items() if name != "overview") == len(plan)
    assert paths["png"].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [
        p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")
    ]  # no temp files left


def test_excel_sheet_per_wave_has_real_dates(plan: pd.DataFrame, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_launch_excel(plan, tmp_path / "plan.xlsx", lang="en")
    sheet = load_workbook(path).worksheets[1]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("delivery_date") + 1)
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"


def test_bad_plan_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError, match="recommend_launches"):
        export_launch_calendar(pd.DataFrame({"wave": ["x"]}), tmp_path)
    assert not list(tmp_path.iterdir())


def test_figures_draw(plan: pd.DataFrame, grouped_sales: pd.DataFrame) -> None:
    fig = plot_launch_timeline(plan, grouped_sales)
    assert fig.axes[0].get_yticklabels()
    plt.close(fig)
    coats = grouped_sales[grouped_sales["category"] == "coats"]
    fig = plot_surges(coats, detect_surges(coats))
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert any(label.endswith("d") and ("+" in label or "-" in label) for label in labels)
    _, ax = plt.subplots()
    assert plot_surges(coats, detect_surges(coats), ax=ax) is ax.figure
    plt.close("all")


def test_cli_calendar_writes_files_and_prints_table(
    grouped_sales: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "sales.csv"
    grouped_sales.rename(columns={"date": "日期", "units": "销量", "category": "品类"}).to_csv(
        src, index=False
    )
    out = tmp_path / "calendar"
    code = run(
        [
            "calendar",
            "--sales",
            str(src),
            "--start",
            "2012-01-01",
            "--end",
            "2012-12-31",
            "--out",
            str(out),
            "--by",
            "category",
            "--delivery-weekday",
            "TUE",
            "--lead-days",
            "5",
            "--columns",
            "日期=date,销量=units,品类=category",
            "--lang",
            "en",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert sorted(p.name for p in out.iterdir()) == [
        "launch_calendar.csv",
        "launch_calendar.ics",
        "launch_calendar.png",
        "launch_calendar.xlsx",
    ]
    assert "delivery_date" in captured.out and "autumn" in captured.out
    csv = pd.read_csv(
        out / "launch_calendar.csv", encoding="utf-8-sig", parse_dates=["delivery_date"]
    )
    assert all(is_workday(day) for day in csv["delivery_date"])
    assert (
        csv["delivery_date"].dt.day_of_week == 1
    ).all()  # Tuesdays (none of them a holiday here)
    assert (csv["days_ahead"] >= 5).all()


def test_cli_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "short.csv"
    _sales({"白露": [2, 4, 3]}).iloc[:200].to_csv(src, index=False)
    out = tmp_path / "calendar"
    code = run(
        [
            "calendar",
            "--sales",
            str(src),
            "--start",
            "2012-01-01",
            "--end",
            "2012-12-31",
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("launchcast: error: ") and err.count("\n") == 1 and "full year" in err
    assert not out.exists()
    code = run(
        [
            "calendar",
            "--sales",
            str(src),
            "--start",
            "2012-12-31",
            "--end",
            "2012-01-01",
            "--out",
            str(out),
        ]
    )
    assert code == 1 and "empty window" in capsys.readouterr().err


def test_cli_schedule_for_median(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "sales.csv"
    _sales({"白露": [2, 4, 3]}).to_csv(src, index=False)
    args = ["calendar", "--sales", str(src), "--start", "2012-01-01", "--end", "2012-12-31"]
    code = run([*args, "--out", str(tmp_path / "a"), "--schedule-for", "median", "--lang", "en"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "planned for the expected onset" in captured.out
    csv = pd.read_csv(tmp_path / "a" / "launch_calendar.csv", encoding="utf-8-sig")
    assert (csv["planned_onset"] == csv["expected_onset"]).all()
    assert (csv["days_ahead"] >= 7).all() and (csv["days_ahead"] < 14).all()
    code = run([*args, "--out", str(tmp_path / "b"), "--onset-quantile", "0.9"])
    err = capsys.readouterr().err
    assert code == 1 and "onset_quantile" in err and err.count("\n") == 1
    assert not (tmp_path / "b").exists()
