"""``launchcast terms`` and ``launchcast events``."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import run


def test_terms_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["terms", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["date", "weekday", "name"]
    assert len(lines) == 25
    bailu = next(line for line in lines if "白露" in line)
    assert bailu.startswith("2026-09-07") and "White Dew" in bailu and "22:41" in bailu


def test_terms_writes_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "terms.csv"
    assert run(["terms", "2025", "2026", "--out", str(out)]) == 0
    assert "wrote 48 rows" in capsys.readouterr().out
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns) == [
        "year",
        "longitude",
        "name",
        "pinyin",
        "english",
        "instant",
        "date",
    ]
    assert len(table) == 48
    assert table["instant"].str.endswith("+08:00").all()
    row = table[(table["year"] == 2026) & (table["name"] == "白露")].iloc[0]
    assert row["date"] == "2026-09-07"


def test_events_filters_by_kind(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["events", "2025", "--kind", "workday"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [
        "2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
    ]  # fmt: skip
    assert all("workday" in line for line in lines[1:])


def test_events_retail_csv(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "retail.csv"
    assert run(["events", "2026", "--kind", "retail", "--market", "CN", "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig", dtype={"event": str, "name_zh": str})
    assert table["event"].tolist() == [
        "New-Year Goods Festival", "Women's Day", "520", "618", "Qixi", "Double 11", "Double 12",
        "Christmas Eve",
    ]  # fmt: skip
    assert table.loc[table["event"] == "Double 11", "lower_window"].item() == -21
    assert table["date"].iloc[0] == "2026-02-10"


def test_events_other_market(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["events", "2026", "--market", "US"]) == 0
    out = capsys.readouterr().out
    assert "Thanksgiving Day" in out and "name_zh" not in out and "retail" not in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["terms", "1899"], "1900..2100"),
        (["events", "2026", "--market", "XX"], "CN"),
        (["events", "2026", "--kind", "sales"], "holiday, workday, retail, solar_term"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str],
    needle: str,
    tmp_path: Path,
    console: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    out = tmp_path / "never.csv"
    done = console(*argv, "--out", str(out))
    err = done.stderr
    assert done.returncode == 1
    assert err.startswith("launchcast: error:") and err.count("\n") == 1
    assert needle in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_non_numeric_year_is_a_usage_error(
    console: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    done = console("terms", "next-year")
    assert done.returncode == 2
    assert "Invalid value for 'years'" in done.stderr and "Traceback" not in done.stderr
