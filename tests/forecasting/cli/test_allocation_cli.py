"""The allocate and replenish commands: files written, one row per store, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import run


def _inputs(tmp_path: Path) -> tuple[Path, Path]:
    demand = tmp_path / "demand.csv"
    pd.DataFrame(
        {"store": ["SH01", "BJ02", "GZ03"], "mean": [20.0, 10.0, 2.0], "sd": [8.0, None, None]}
    ).to_csv(demand, index=False)
    stores = tmp_path / "stores.csv"
    pd.DataFrame(
        {"store": ["SH01", "BJ02", "GZ03"], "min_units": [0, 0, 6], "max_units": [None, 12, None]}
    ).to_csv(stores, index=False)
    return demand, stores


def test_allocate_writes_csv_and_excel(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demand, stores = _inputs(tmp_path)
    out = tmp_path / "out" / "plan.csv"
    code = run(["allocate", "--quantity", "40", "--demand", str(demand), "--stores", str(stores),
                "--out", str(out), "--pack-size", "2", "--holdback", "0.2",
                "--lang", "en"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    sheet = pd.read_csv(out, encoding="utf-8-sig")
    assert sheet["store"].tolist() == ["BJ02", "GZ03", "SH01", "DC"]
    assert sheet["units"].sum() == 40 and (sheet["units"].iloc[:3] % 2 == 0).all()
    assert sheet.set_index("store").loc["GZ03", "units"] >= 6
    book = pd.read_excel(out.with_suffix(".xlsx"), sheet_name=None)
    assert {"plan", "detail", "products", "minimums"} <= set(book)
    assert "wrote csv" in capsys.readouterr().out


def test_allocate_many_products_one_row_per_store(tmp_path: Path) -> None:
    demand, _ = _inputs(tmp_path)
    qty = tmp_path / "qty.csv"
    pd.DataFrame({"sku": ["P1", "P2"], "units": [30, 5]}).to_csv(qty, index=False)
    out = tmp_path / "plan.xlsx"
    assert (
        run(["allocate", "--quantity", str(qty), "--demand", str(demand), "--out", str(out)]) == 0
    )
    sheet = pd.read_csv(out.with_suffix(".csv"), encoding="utf-8-sig")
    assert sheet.columns.tolist() == ["store", "P1", "P2", "total"]
    assert sheet[["P1", "P2"]].sum().tolist() == [30, 5]


def test_allocate_infeasible_minimums_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demand, stores = _inputs(tmp_path)
    out = tmp_path / "plan.csv"
    code = run(["allocate", "--quantity", "4", "--demand", str(demand), "--stores", str(stores),
                "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("launchcast: error: hard presentation minimums") and err.count("\n") == 1
    assert "2 units missing" in err
    assert not out.exists() and not out.with_suffix(".xlsx").exists()
    assert run(["allocate", "--quantity", "many", "--demand", str(demand), "--out", str(out)]) == 1


def test_replenish_command(tmp_path: Path) -> None:
    fc = tmp_path / "fc.csv"
    weeks = pd.date_range("2012-03-02", periods=3, freq="W-FRI")
    frame = pd.DataFrame({"store": "A", "sku": "T1", "date": weeks, "mean": 10.0, "sd": 3.0})
    frame.to_csv(fc, index=False)
    stock = tmp_path / "stock.csv"
    pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [4]}).to_csv(stock, index=False)
    out = tmp_path / "orders.csv"
    code = run(["replenish", "--on-hand", str(stock), "--forecast", str(fc),
                "--lead-time-days", "7", "--review-days", "7", "--out", str(out),
                "--pack-size", "6"])  # fmt: skip
    assert code == 0
    orders = pd.read_csv(out, encoding="utf-8-sig")
    assert orders["order"].tolist() == [24]  # up to ceil(20 + 1.28 * sqrt(18)) = 26; 22 -> 4 packs
    assert out.with_suffix(".xlsx").exists()
