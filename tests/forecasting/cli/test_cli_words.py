"""What the command line says: flags that take no value, whole help texts, ``--lang``."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import run

Console = Callable[..., subprocess.CompletedProcess[str]]


def _help(command: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert run([command, "--help"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "command", ["plan", "demo", "calendar", "allocate", "forecast", "review", "app"]
)
def test_flags_show_no_value(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(command, capsys)
    for flag in ("--quiet", "--overwrite", "--strict", "--soft-minimums", "--per-group", "--help"):
        for line in text.splitlines():
            if re.search(rf"{flag}\b", line):
                assert "<bool>" not in line, line


def test_quiet_is_a_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    # --quiet takes no value: a value after it is an extra argument, refused before any work
    assert run(["demo", "--out", str(out), "--quiet", "true"]) == 2
    assert "unexpected extra argument" in capsys.readouterr().err
    assert not out.exists()


def test_plan_help_is_whole_and_names_the_sales_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help("plan", capsys)
    flat = " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())
    assert "…" not in text  # nothing cut off
    assert "销售日期=date,门店=store" in flat
    assert "date, store, units" in flat and "stockout" in flat
    assert "--lang" in flat and "zh|en" in flat


def test_unknown_language_is_one_line(console: Console) -> None:
    done = console("calendar", "--sales", "s.csv", "--start", "2012-01-01", "--end",
                   "2012-12-31", "--out", "o", "--lang", "fr")  # fmt: skip
    assert done.returncode == 1 and done.stderr.count("\n") == 1
    assert "unknown language 'fr'" in done.stderr and "Traceback" not in done.stderr


def _allocate_inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    demand = tmp_path / "demand.csv"
    pd.DataFrame(
        {"store": ["S10", "S2", "S1"], "mean": [20.0, 10.0, 10.0], "sd": [4.0, 3.0, 3.0]}
    ).to_csv(demand, index=False)
    stores = tmp_path / "stores.csv"
    pd.DataFrame({"store": ["S10", "S2", "S1"], "min_units": [0, 0, 12]}).to_csv(
        stores, index=False
    )
    return demand, stores, tmp_path / "out" / "plan.csv"


def test_allocate_writes_a_chinese_workbook_and_a_canonical_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demand, stores, out = _allocate_inputs(tmp_path)
    code = run(["allocate", "--quantity", "41", "--demand", str(demand), "--stores", str(stores),
                "--out", str(out)])  # fmt: skip
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "已写入 CSV" in printed.out and "款号" in printed.out
    book = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert list(book)[:3] == ["配货", "明细", "款式"]
    assert "原因" in book["明细"].columns
    assert not book["明细"]["原因"].str.contains("[a-z]{4}", regex=True).any()
    csv = pd.read_csv(out, encoding="utf-8-sig")
    assert csv.columns[:3].tolist() == ["store", "sku", "units"]
    assert re.search(r"\d\.\d{5,}", out.read_text(encoding="utf-8-sig")) is None


def test_calendar_prints_chinese_for_the_chinese_market(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dates = pd.date_range("2009-01-01", "2011-12-31")
    t = ((dates.dayofyear.to_numpy() - 250) % 365) / 20.0
    units = 100 * (1 + ((t > 0) & (t < 2)) * (1 - abs(t - 1)))
    src = tmp_path / "sales.csv"
    pd.DataFrame({"date": dates, "units": units.round()}).to_csv(src, index=False)
    code = run(["calendar", "--sales", str(src), "--start", "2012-01-01", "--end", "2012-12-31",
                "--out", str(tmp_path / "cal")])  # fmt: skip
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "送货日期" in printed.out and "客流高峰预计" in printed.out and "周" in printed.out
    assert "surge expected" not in printed.out
    csv = pd.read_csv(tmp_path / "cal" / "launch_calendar.csv", encoding="utf-8-sig")
    assert "delivery_date" in csv.columns and csv["reason"].str.contains("surge expected").all()
