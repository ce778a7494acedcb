"""Bad input files of every kind are one line on stderr and exit code 1, never a traceback.

Each case writes a generated bad input (ambiguous day/month order, decimal commas, a duplicated
header, a Latin-1 file, absurd numbers, year typos, damaged workbooks and Parquet files, binary
garbage, a folder, a sales export whose style column is not mapped) and runs the real console
script on it, as a planner would. ``launchcast plan`` must not create its ``--out`` folder. An
in-process fuzz runs the same command line on many randomly damaged files.
"""

from __future__ import annotations

import io
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.cli import run
from forecasting.inputs.demo import demo_path

Console = Callable[..., subprocess.CompletedProcess[str]]
Case = tuple[str, Callable[[], bytes], tuple[str, ...], tuple[str, ...]]
"""A bad input: file name, its bytes, extra arguments, words the error line must hold."""


def _sales(days: int = 28) -> pd.DataFrame:
    dates = pd.date_range("2011-01-01", periods=days)
    stores = ["Province_1", "Province_2"]
    return pd.DataFrame(
        {
            "date": np.tile(dates.strftime("%Y-%m-%d"), len(stores)),
            "store": np.repeat(stores, days),
            "units": np.arange(days * len(stores)) % 9 + 1,
        }
    )


def _csv(frame: pd.DataFrame, sep: str = ",", encoding: str = "utf-8") -> bytes:
    return frame.to_csv(index=False, sep=sep).encode(encoding)


def _book(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    return buffer.getvalue()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _with(column: str, row: int, value: str) -> pd.DataFrame:
    frame = _sales().astype({column: object})
    frame.loc[row, column] = value
    return frame


def _day_first() -> pd.DataFrame:
    frame = _sales()
    frame["date"] = pd.to_datetime(frame["date"]).dt.strftime("%d/%m/%Y")
    return frame[pd.to_datetime(frame["date"], format="%d/%m/%Y").dt.day <= 12]


def _style_export() -> bytes:
    days = pd.date_range("2011-01-01", periods=20).strftime("%Y-%m-%d")
    rows = [(d, s, k, 2) for d in days for s in ("门店A", "门店B") for k in ("K01", "K02")]
    return _csv(pd.DataFrame(rows, columns=["销售日期", "门店", "款号", "销量"]))


BAD: dict[str, Case] = {
    "day/month order": ("s.csv", lambda: _csv(_day_first()), (), ("--date-order DMY",)),
    "decimal comma": (
        "s.csv",
        lambda: _csv(_with("units", 3, "10,5"), sep=";"),
        (),
        ("line 5", "--decimal ,"),
    ),
    "duplicated header": (
        "s.csv",
        lambda: _csv(_sales().assign(extra=1)).replace(b"extra", b"units", 1),
        (),
        ("columns 3 and 4",),
    ),
    "latin-1": (
        "s.csv",
        lambda: _csv(_with("store", 0, "Müller"), encoding="latin-1"),
        (),
        ("line 2", "--encoding latin-1"),
    ),
    "1e300 units": ("s.csv", lambda: _csv(_with("units", 6, "1e300")), (), ("line 8", "1e+09")),
    "year typo": ("s.csv", lambda: _csv(_with("date", 9, "0211-01-10")), (), ("line 11",)),
    "damaged workbook": ("s.xlsx", lambda: _book(_sales())[:900], (), ("Excel workbook",)),
    "style column": (
        "s.csv",
        _style_export,
        ("--columns", "销售日期=date,门店=store,销量=units"),
        ("--columns '销售日期=date,门店=store,销量=units,款号=sku'",),
    ),
}

MORE_BAD: dict[str, Case] = {
    "thousands in a ;-file": (
        "s.csv",
        lambda: _csv(_with("units", 0, "1,234"), sep=";"),
        (),
        ("--decimal .",),
    ),
    "infinite units": ("s.csv", lambda: _csv(_with("units", 1, "inf")), (), ("infinite",)),
    "five-digit year": ("s.csv", lambda: _csv(_with("date", 2, "20111-01-03")), (), ("1900",)),
    "empty workbook": ("s.xlsx", lambda: b"", (), ("Excel workbook",)),
    "empty parquet": ("s.parquet", lambda: b"", (), ("Parquet",)),
    "damaged parquet": ("s.parquet", lambda: _parquet(_sales())[:-40], (), ("Parquet",)),
    "zero-byte csv": ("s.csv", lambda: b"", (), ("empty",)),
    "binary garbage": (
        "s.csv",
        lambda: np.random.default_rng(7).bytes(5000),
        (),
        ("not CSV text",),
    ),
    "workbook named .csv": ("s.csv", lambda: _book(_sales()), (), ("zip archive",)),
}


def _assert_one_error_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("launchcast: error: "), done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / "in" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return path


def _check(console: Console, tmp_path: Path, case: Case) -> None:
    name, make, extra, words = case
    path = _write(tmp_path, name, make())
    done = console("check", "--sales", str(path), *extra)
    _assert_one_error_line(done, str(path), *words)


@pytest.mark.parametrize("kind", list(BAD))
def test_check_a_bad_sales_file(console: Console, tmp_path: Path, kind: str) -> None:
    _check(console, tmp_path, BAD[kind])


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(MORE_BAD))
def test_check_more_bad_sales_files(console: Console, tmp_path: Path, kind: str) -> None:
    _check(console, tmp_path, MORE_BAD[kind])


def _plan(console: Console, tmp_path: Path, sales: Path) -> None:
    plan = demo_path("demo_plan")
    out = tmp_path / "plan-out"
    done = console(
        "plan",
        "--sales",
        str(sales),
        "--stores",
        str(plan / "stores.csv"),
        "--products",
        str(plan / "new_products.csv"),
        "--season",
        "2012-01-01:2012-12-31",
        "--out",
        str(out),
        "--quiet",
    )
    _assert_one_error_line(done, str(sales))
    assert not out.exists()


def test_plan_on_a_folder_passed_as_sales_writes_nothing(console: Console, tmp_path: Path) -> None:
    folder = tmp_path / "sales.csv"
    folder.mkdir()
    _plan(console, tmp_path, folder)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["decimal comma", "latin-1", "damaged workbook"])
def test_plan_on_a_bad_sales_file_writes_nothing(
    console: Console, tmp_path: Path, kind: str
) -> None:
    name, make, _, _ = BAD[kind]
    _plan(console, tmp_path, _write(tmp_path, name, make()))


# ----------------------------------------------------------------- random damage, in process


def _damaged(data: bytes, rng: random.Random) -> bytes:
    """``data`` truncated, with bytes overwritten, or with a run of bytes repeated."""
    out = bytearray(data)
    how = rng.randrange(3)
    if how == 0:
        return bytes(out[: rng.randrange(len(out))])
    if how == 1:
        for _ in range(rng.choice([1, 2, 5, 40])):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    start = rng.randrange(len(out))
    return bytes(out[:start] + out[start : start + 50] * 3 + out[start:])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
def test_randomly_damaged_files_are_read_or_one_error(
    tmp_path: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    writers = {".csv": _csv, ".xlsx": _book, ".parquet": _parquet}
    whole = writers[suffix](_sales())
    rng = random.Random(20110105)
    codes = []
    for i in range(40):
        path = _write(tmp_path, f"damaged{i}{suffix}", _damaged(whole, rng))
        code = run(["check", "--sales", str(path), "--as-of", "2030-01-01"])
        err = capsys.readouterr().err
        codes.append(code)
        errors = [line for line in err.splitlines() if line.startswith("launchcast: error: ")]
        if code == 0:
            assert not errors, err
        else:
            assert code == 1 and len(errors) == 1 and str(path) in errors[0], err
            assert "Traceback" not in err
    assert codes.count(1) >= 10  # the damage is real: most files are refused


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(3))
def test_randomly_damaged_files_through_the_console_script(
    console: Console, tmp_path: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(seed)
    suffix = [".csv", ".xlsx", ".parquet"][seed]
    writers = {".csv": _csv, ".xlsx": _book, ".parquet": _parquet}
    while True:  # a damaged file the reader refuses
        data = _damaged(writers[suffix](_sales()), rng)
        path = _write(tmp_path, f"damaged{suffix}", data)
        if run(["check", "--sales", str(path), "--as-of", "2030-01-01"]) == 1:
            break
    capsys.readouterr()
    done = console("check", "--sales", str(path), "--as-of", "2030-01-01")
    _assert_one_error_line(done, str(path))
