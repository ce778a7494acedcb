"""Every kind of bad input: the error type, a message naming the file and the column, and the CLI's
one-line error with exit code 1, no traceback and no output file."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from forecasting.cli import run
from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import (
    read_inputs,
    read_judgments,
    read_products,
    read_sales,
    read_stores,
)

GOOD_SALES = "date,store,units\n2012-01-02,a,5\n2012-01-03,a,6\n2012-01-02,b,7\n2012-01-03,b,8\n"
GOOD_STORES = "store,grade\na,A\nb,B\n"
GOOD_PRODUCTS = "sku,category,price,unit_cost,salvage_value\nP1,knit,399,150,110\n"
GOOD_JUDGMENTS = "sku,forecaster,units,horizon_weeks\nP1,wang,900,8\nP1,li,1100,8\n"

Paths = dict[str, Path]
Console = Callable[..., subprocess.CompletedProcess[str]]


@dataclass
class Case:
    """One bad input: files to write, how the API reads them, what the message must name."""

    name: str
    files: dict[str, str]
    call: Callable[[Paths], object]
    bad: str  # the file whose name the message must carry
    column: str | None
    fragment: str
    cli_args: list[str] = field(default_factory=list)
    cli_fragment: str | None = None  # when the command line words it differently


def _sales(**kw: object) -> Callable[[Paths], object]:
    return lambda p: read_sales(p["sales"], **kw)  # type: ignore[arg-type]


CASES = [
    Case(
        "missing required column",
        {"sales": "date,store,qty\n2012-01-02,a,5\n"},
        _sales(),
        "sales",
        "units",
        "the columns are: 'date', 'store', 'qty'",
    ),
    Case(
        "unparseable dates",
        {"sales": "date,store,units\n2012-01-02,a,5\n2012-13-45,a,6\n"},
        _sales(),
        "sales",
        "date",
        "line 3 (date='2012-13-45')",
    ),
    Case(
        "blank date",
        {"sales": "date,store,units\n2012-01-02,a,5\n,a,6\n"},
        _sales(),
        "sales",
        "date",
        "no date",
    ),
    Case(
        "non-numeric units",
        {"sales": "date,store,units\n2012-01-02,a,5\n2012-01-03,a,lots\n"},
        _sales(),
        "sales",
        "units",
        "line 3 (units='lots')",
    ),
    Case(
        "blank (NaN) units",
        {"sales": "date,store,units\n2012-01-02,a,5\n2012-01-03,a,\n"},
        _sales(),
        "sales",
        "units",
        "blank (NaN)",
    ),
    Case(
        "infinite units",
        {"sales": "date,store,units\n2012-01-02,a,5\n2012-01-03,a,inf\n"},
        _sales(),
        "sales",
        "units",
        "infinite",
    ),
    Case(
        "duplicated keys",
        {"sales": GOOD_SALES + "2012-01-03,b,1\n"},
        _sales(),
        "sales",
        "date",
        "repeat the same store, date",
    ),
    Case("empty file", {"sales": ""}, _sales(), "sales", None, "the file is empty"),
    Case("header only", {"sales": "date,store,units\n"}, _sales(), "sales", None, "no data rows"),
    Case(
        "blank store id",
        {"sales": "date,store,units\n2012-01-02,a,5\n2012-01-02,,6\n"},
        _sales(),
        "sales",
        "store",
        "without a store",
    ),
    Case(
        "mixed daily and weekly",
        {
            "sales": "date,store,units\n2012-01-01,a,1\n2012-01-02,a,1\n2012-01-03,a,1\n"
            "2012-01-06,b,5\n2012-01-13,b,5\n2012-01-20,b,5\n"
        },
        _sales(),
        "sales",
        "date",
        "mixed frequencies",
    ),
    Case(
        "weeks ending on different weekdays",
        {
            "sales": "date,store,units\n2012-01-06,a,1\n2012-01-13,a,1\n"
            "2012-01-08,b,5\n2012-01-15,b,5\n"
        },
        _sales(),
        "sales",
        "date",
        "different weekdays",
    ),
    Case(
        "dates after as_of",
        {"sales": GOOD_SALES + "2031-01-04,a,5\n"},
        _sales(as_of="2012-06-30"),
        "sales",
        "date",
        "dated after 2012-06-30",
        ["--as-of", "2012-06-30"],
    ),
    Case(
        "weekday against freq",
        {"sales": "date,units\n2012-01-06,5\n2012-01-13,6\n"},
        _sales(freq="W-SUN"),
        "sales",
        "date",
        "not on a SUN",
        ["--freq", "W-SUN"],
    ),
    Case(
        "stockout not yes/no",
        {"sales": "date,store,units,stockout\n2012-01-02,a,5,no\n2012-01-03,a,6,maybe\n"},
        _sales(),
        "sales",
        "stockout",
        "not yes/no",
    ),
    Case(
        "wide table",
        {"sales": "date,P1,P2,P3\n2012-01-02,5,6,7\n2012-01-03,5,6,7\n"},
        _sales(),
        "sales",
        "units",
        "the table is wide",
    ),
    Case(
        "mapping names a missing column",
        {"sales": GOOD_SALES},
        lambda p: read_sales(p["sales"], columns={"销量": "units"}),
        "sales",
        "销量",
        "not in the table",
        ["--columns", "销量=units"],
        "'销量' is not a column of any input",
    ),
    Case(
        "mapping to a non-sales name",
        {"sales": "date,store,qty\n2012-01-02,a,5\n"},
        lambda p: read_sales(p["sales"], columns={"qty": "unit"}),
        "sales",
        "qty",
        "not a sales column",
        ["--columns", "qty=unit"],
    ),
    Case(
        "negative price",
        {"sales": "date,units,price\n2012-01-02,5,-3\n2012-01-03,5,3\n"},
        _sales(),
        "sales",
        "price",
        "below 0",
    ),
    Case(
        "duplicated store",
        {"sales": GOOD_SALES, "stores": GOOD_STORES + "a,C\n"},
        lambda p: read_stores(p["stores"]),
        "stores",
        "store",
        "repeat the same store",
    ),
    Case(
        "minimum above cap",
        {"sales": GOOD_SALES, "stores": "store,min_units,max_units\na,200,100\nb,,\n"},
        lambda p: read_stores(p["stores"]),
        "stores",
        "min_units",
        "store='a', min_units=200.0",
    ),
    Case(
        "strategic not yes/no",
        {"sales": GOOD_SALES, "stores": "store,strategic\na,yes\nb,2\n"},
        lambda p: read_stores(p["stores"]),
        "stores",
        "strategic",
        "not yes/no",
    ),
    Case(
        "products without category",
        {"sales": GOOD_SALES, "products": "sku,price\nP1,399\n"},
        lambda p: read_products(p["products"]),
        "products",
        "category",
        "'sku', 'price'",
    ),
    Case(
        "salvage not below cost",
        {
            "sales": GOOD_SALES,
            "products": "sku,category,unit_cost,salvage_value\nP1,knit,150,160\n",
        },
        lambda p: read_products(p["products"]),
        "products",
        "salvage_value",
        "not below",
    ),
    Case(
        "judgment for an unknown sku",
        {
            "sales": GOOD_SALES,
            "products": GOOD_PRODUCTS,
            "judgments": GOOD_JUDGMENTS + "P9,wang,500,8\n",
        },
        lambda p: read_judgments(p["judgments"], products=read_products(p["products"])),
        "judgments",
        "sku",
        "'P9'",
    ),
    Case(
        "judgment for an unknown store",
        {
            "sales": GOOD_SALES,
            "stores": GOOD_STORES,
            "judgments": "sku,forecaster,store,units\nP1,wang,a,100\nP1,wang,zz,50\n",
        },
        lambda p: read_judgments(p["judgments"], stores=read_stores(p["stores"])),
        "judgments",
        "store",
        "'zz'",
    ),
    Case(
        "negative judgment",
        {"sales": GOOD_SALES, "judgments": "sku,forecaster,units\nP1,wang,-5\n"},
        lambda p: read_judgments(p["judgments"]),
        "judgments",
        "units",
        "below 0",
    ),
    Case(
        "two judgments by one forecaster",
        {"sales": GOOD_SALES, "judgments": GOOD_JUDGMENTS + "P1,wang,1000,8\n"},
        lambda p: read_judgments(p["judgments"]),
        "judgments",
        "forecaster",
        "repeat the same sku, forecaster",
    ),
    Case(
        "fractional horizon",
        {"sales": GOOD_SALES, "judgments": "sku,forecaster,units,horizon_weeks\nP1,w,9,2.5\n"},
        lambda p: read_judgments(p["judgments"]),
        "judgments",
        "horizon_weeks",
        "whole",
    ),
]


def _write(tmp_path: Path, files: dict[str, str]) -> Paths:
    paths = {}
    for role, text in files.items():
        path = tmp_path / f"{role}_input.csv"
        path.write_text(text, encoding="utf-8")
        paths[role] = path
    return paths


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_raises_naming_file_and_column(case: Case, tmp_path: Path) -> None:
    paths = _write(tmp_path, case.files)
    with pytest.raises(DataValidationError) as info:
        case.call(paths)
    message = str(info.value)
    assert str(paths[case.bad]) in message
    if case.column is not None:
        assert f"column '{case.column}'" in message
    assert case.fragment in message
    assert "Fix: " in message


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_one_line_exit_1_no_output(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _write(tmp_path, case.files)
    out = tmp_path / "out" / "clean.csv"
    args = ["check", "--output", str(out), *case.cli_args]
    for role, path in paths.items():
        args += [f"--{role}", str(path)]
    assert run(args) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("launchcast: error: ")
    assert str(paths[case.bad]) in lines[0]
    assert (case.cli_fragment or case.fragment) in lines[0]
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())


CONSOLE_CASES = {"missing required column", "unparseable dates", "empty file", "wide table"}


def _console_case(case: Case, tmp_path: Path, console: Console) -> None:
    paths = _write(tmp_path, case.files)
    out = tmp_path / "out" / "clean.csv"
    args = ["check", "--output", str(out), *case.cli_args]
    for role, path in paths.items():
        args += [f"--{role}", str(path)]
    done = console(*args)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("launchcast: error: ")
    assert (case.cli_fragment or case.fragment) in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name in CONSOLE_CASES], ids=lambda c: c.name
)
def test_console_script_one_line_exit_1(case: Case, tmp_path: Path, console: Console) -> None:
    _console_case(case, tmp_path, console)


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name not in CONSOLE_CASES], ids=lambda c: c.name
)
def test_console_script_every_bad_input(case: Case, tmp_path: Path, console: Console) -> None:
    _console_case(case, tmp_path, console)


def test_good_inputs_pass_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _write(
        tmp_path,
        {
            "sales": GOOD_SALES,
            "stores": GOOD_STORES,
            "products": GOOD_PRODUCTS,
            "judgments": GOOD_JUDGMENTS,
        },
    )
    out = tmp_path / "clean.csv"
    args = ["check", "--output", str(out)]
    for role, path in paths.items():
        args += [f"--{role}", str(path)]
    assert run(args) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "sales: 4 rows" in captured.out and "judgments: 2 estimates" in captured.out
    assert pd.read_csv(out, encoding="utf-8-sig")["units"].tolist() == [5.0, 6.0, 7.0, 8.0]


def test_warnings_are_one_line_each_and_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = _write(
        tmp_path,
        {"sales": GOOD_SALES + "2012-01-04,a,-2\n", "stores": GOOD_STORES + "new,C\n"},
    )
    assert run(["check", "--sales", str(paths["sales"]), "--stores", str(paths["stores"])]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("launchcast: warning: ") for line in lines)
    assert "negative units" in lines[0] and "units=-2.0" in lines[0]
    assert "1 value is unknown to the sales history: 'new'" in lines[1]


def test_unused_mapping_entry_is_an_error(tmp_path: Path) -> None:
    paths = _write(tmp_path, {"sales": GOOD_SALES, "stores": GOOD_STORES})
    with pytest.raises(DataValidationError, match="'门店' is not a column of any input"):
        read_inputs(sales=paths["sales"], stores=paths["stores"], columns="门店=store")


def test_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--sales", str(tmp_path / "nope.csv")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.csv: no such file" in err


def test_unknown_file_type_and_missing_sheet(tmp_path: Path) -> None:
    odd = tmp_path / "sales.json"
    odd.write_text("{}")
    with pytest.raises(DataValidationError, match=r"sales\.json: unknown file type '\.json'"):
        read_sales(odd)
    book = tmp_path / "sales.xlsx"
    pd.DataFrame({"date": ["2012-01-02"], "units": [1]}).to_excel(
        book, sheet_name="销售", index=False
    )
    with pytest.raises(
        DataValidationError, match=r"there is no sheet '门店' \(the sheets are: '销售'\)"
    ):
        read_sales(book, sheet="门店")


def test_at_most_five_rows_are_quoted(tmp_path: Path) -> None:
    rows = "".join(f"2012-01-{d:02d},a,x{d}\n" for d in range(1, 10))
    path = tmp_path / "s.csv"
    path.write_text("date,store,units\n" + rows)
    with pytest.raises(DataValidationError) as info:
        read_sales(path)
    message = str(info.value)
    assert "9 values are not a number" in message
    assert "line 6 (units='x5')" in message and "x6" not in message and "and 4 more" in message
