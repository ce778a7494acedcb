"""The readers never guess and never crash: ambiguous or broken input is one clear error.

Day/month order, decimal commas, duplicated headers, encodings, absurd numbers, time zones and year
typos, broken files, and the mapping a sales export with a style column needs (issue #13).
"""

from __future__ import annotations

import os
import shutil
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs.cells import MAX_ABS, finite_numbers, parse_dates
from forecasting.inputs.frequency import sales_frequency
from forecasting.inputs.readers import read_inputs, read_sales, read_stores, validate_sales
from forecasting.inputs.tables import read_table
from forecasting.inputs.validation import DataQualityWarning, command_line


def _csv(tmp_path: Path, text: str, name: str = "sales.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _days(sales: pd.DataFrame) -> list[str]:
    return sales["date"].dt.strftime("%Y-%m-%d").tolist()


def _one_line(exc: pytest.ExceptionInfo[DataValidationError], path: Path | str) -> str:
    message = str(exc.value)
    assert "\n" not in message and str(path) in message and "Fix: " in message
    return message


# ------------------------------------------------------------------------------ day/month order


def test_day_first_is_settled_by_a_day_above_twelve(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,units\n05/01/2011,1\n13/01/2011,2\n")
    assert _days(read_sales(path, fill_missing=False)) == ["2011-01-05", "2011-01-13"]


def test_month_first_is_settled_by_a_second_field_above_twelve(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,units\n01/05/2011,1\n01/13/2011,2\n")
    assert _days(read_sales(path, fill_missing=False)) == ["2011-01-05", "2011-01-13"]


def test_unsettled_order_is_an_error_that_asks(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,units\n05/01/2011,1\n06/01/2011,2\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert "column 'date'" in message and "line 2 (date='05/01/2011')" in message
    assert "date_order='DMY'" in message
    with command_line(), pytest.raises(DataValidationError, match="--date-order DMY"):
        read_sales(path)
    assert _days(read_sales(path, date_order="DMY")) == ["2011-01-05", "2011-01-06"]
    may = read_sales(path, date_order="mdy", fill_missing=False)
    assert _days(may) == ["2011-05-01", "2011-06-01"]


def test_dates_that_read_the_same_both_ways_need_no_order() -> None:
    frame = pd.DataFrame({"date": ["05/05/2011", "2011-05-06"], "units": [1, 2]})
    assert _days(read_sales(frame)) == ["2011-05-05", "2011-05-06"]


def test_both_orders_in_one_column_is_an_error() -> None:
    frame = pd.DataFrame({"date": ["13/01/2011", "01/13/2011"], "units": [1, 2]})
    with pytest.raises(DataValidationError, match=r"both orders.*row 0.*row 1"):
        read_sales(frame)


def test_a_given_order_is_used_and_contradictions_are_named() -> None:
    frame = pd.DataFrame({"date": ["05/01/2011", "13/01/2011"], "units": [1, 2]})
    with pytest.raises(DataValidationError, match=r"month first.*row 1 \(date='13/01/2011'\)"):
        read_sales(frame, date_order="MDY")
    with pytest.raises(DataValidationError, match="date_order: 'DM' is not an order"):
        read_sales(frame, date_order="DM")
    yy = pd.DataFrame({"date": ["11/01/05"], "units": [1]})
    assert _days(read_sales(yy, date_order="YMD")) == ["2011-01-05"]


def test_iso_excel_and_datetime_dates_are_unchanged(tmp_path: Path) -> None:
    iso = _csv(tmp_path, "date,units\n2011-01-05,1\n2011/1/6,2\n2011年1月7日,3\n20110108,4\n")
    assert _days(read_sales(iso)) == ["2011-01-05", "2011-01-06", "2011-01-07", "2011-01-08"]
    book = tmp_path / "sales.xlsx"
    dates = pd.to_datetime(["2011-01-05", "2011-01-13"])
    pd.DataFrame({"date": dates, "units": [1, 2]}).to_excel(book, index=False)
    assert _days(read_sales(book, fill_missing=False)) == ["2011-01-05", "2011-01-13"]
    frame = pd.DataFrame({"date": dates, "units": [1.0, 2.0]})
    assert _days(read_sales(frame, fill_missing=False)) == ["2011-01-05", "2011-01-13"]


def test_the_order_reaches_every_table_of_read_inputs(tmp_path: Path) -> None:
    sales = _csv(tmp_path, "date,store,units\n05/01/2011,a,1\n06/01/2011,a,2\n")
    stores = _csv(tmp_path, "store,open_date\na,02/01/2010\n", name="stores.csv")
    with pytest.raises(DataValidationError, match="could be day/month"):
        read_inputs(sales=sales, stores=stores)
    got = read_inputs(sales=sales, stores=stores, date_order="DMY", columns={"store": "store"})
    assert got.sales is not None and got.stores is not None
    assert _days(got.sales.frame) == ["2011-01-05", "2011-01-06"]
    assert got.stores.frame["open_date"].dt.month.tolist() == [1]


def test_sales_frequency_of_text_dates_does_not_guess_the_order() -> None:
    weekly = pd.DataFrame({"date": ["07/01/2011", "14/01/2011", "21/01/2011"], "units": 1.0})
    assert sales_frequency(weekly) == "W-FRI"


# ------------------------------------------------------------------------------ decimal commas


def test_decimal_comma_is_an_error_that_asks(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date;units\n2011-01-05;10,5\n2011-01-06;3\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert "line 2 (units='10,5')" in message and "decimal=','" in message
    with command_line(), pytest.raises(DataValidationError, match="--decimal ,"):
        read_sales(path)
    assert read_sales(path, decimal=",")["units"].tolist() == [10.5, 3.0]


def test_decimal_comma_in_a_comma_file_is_never_multiplied_by_ten(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'date,units\n2011-01-05,"10,5"\n')
    with pytest.raises(DataValidationError, match="decimal comma"):
        read_sales(path)


def test_grouped_thousands_with_a_decimal_comma() -> None:
    frame = pd.DataFrame({"units": ["1.234,5", "7", "0,25"]})
    assert finite_numbers(frame, "units", "s", decimal=",").tolist() == [1234.5, 7.0, 0.25]
    with pytest.raises(DataValidationError, match="decimal point although"):
        finite_numbers(pd.DataFrame({"units": ["1.5"]}), "units", "s", decimal=",")
    with pytest.raises(DataValidationError, match="does not group thousands"):
        finite_numbers(pd.DataFrame({"units": ["1,5"]}), "units", "s", decimal=".")
    with pytest.raises(DataValidationError, match="not a decimal mark"):
        finite_numbers(frame, "units", "s", decimal=";")


def test_thousands_in_a_semicolon_file_are_ambiguous(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date;units\n2011-01-05;1,234\n2011-01-06;3\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert "could be thousands" in message and "line 2 (units='1,234')" in message
    assert read_sales(path, decimal=".")["units"].tolist() == [1234.0, 3.0]
    assert read_sales(path, decimal=",")["units"].tolist() == [1.234, 3.0]
    settled = _csv(tmp_path, "date;units\n2011-01-05;1,234\n2011-01-06;3.5\n", name="b.csv")
    assert read_sales(settled)["units"].tolist() == [1234.0, 3.5]  # the point settles it


def test_quoted_thousands_in_a_comma_file_keep_working(tmp_path: Path) -> None:
    path = _csv(tmp_path, 'date,units\n2011-01-05,"1,234"\n2011-01-06,"1,234,567.5"\n')
    assert read_sales(path)["units"].tolist() == [1234.0, 1234567.5]
    with pytest.raises(DataValidationError, match="not a number"):  # never 123
        finite_numbers(pd.DataFrame({"units": ["1,2,3"]}), "units", "s")


# ---------------------------------------------------------------------------- duplicated headers


@pytest.mark.parametrize("header", ["date,units,units", "date,units, units ", "units,date,units"])
def test_two_columns_with_one_header_are_an_error(tmp_path: Path, header: str) -> None:
    path = _csv(tmp_path, f"{header}\n2011-01-05,1,2\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    first = header.split(",").index("units") + 1
    assert f"column 'units': two columns have this header (columns {first} and 3)" in message


def test_duplicated_headers_in_excel_and_dataframes(tmp_path: Path) -> None:
    book = tmp_path / "dup.xlsx"
    frame = pd.DataFrame([["2012-01-01", 1, 2]], columns=["date", "units", "units"])
    frame.to_excel(book, index=False)
    with pytest.raises(DataValidationError, match="columns 2 and 3, B and C"):
        read_sales(book)
    with pytest.raises(DataValidationError, match="columns 2 and 3"):
        read_sales(frame)
    real = pd.DataFrame({"date": ["2012-01-01"], "units": [1], "units.1": [2]})
    real.to_excel(book, index=False)  # a header that really is "units.1" is not a duplicate
    assert read_sales(book)["units"].tolist() == [1.0]


# ------------------------------------------------------------------------------------ encodings


def test_latin1_is_not_read_as_chinese(tmp_path: Path) -> None:
    text = "date,store,units\n2011-01-05,Müller,1\n2011-01-06,Gérard,2\n"
    path = _csv(tmp_path, text, encoding="latin-1")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert "not UTF-8" in message and "line 2" in message and "encoding='latin-1'" in message
    with command_line(), pytest.raises(DataValidationError, match="--encoding latin-1"):
        read_sales(path)
    assert read_sales(path, encoding="latin-1")["store"].tolist() == ["Gérard", "Müller"]


def test_chinese_utf8_bom_and_utf16_files_are_read(tmp_path: Path) -> None:
    text = "销售日期,门店,销量\n2012-03-05,杭州,7\n2012-03-06,上海,3\n"
    mapping = "销售日期=date,门店=store,销量=units"
    for encoding in ("gbk", "gb18030", "utf-8", "utf-8-sig", "utf-16"):
        path = _csv(tmp_path, text, name=f"{encoding}.csv", encoding=encoding)
        assert set(read_sales(path, columns=mapping)["store"]) == {"杭州", "上海"}, encoding


def test_a_given_encoding_is_used_as_given(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,store,units\n2011-01-05,Müller,1\n", encoding="latin-1")
    with pytest.raises(DataValidationError, match=r"not utf-8 text \(line 2"):
        read_sales(path, encoding="utf-8")
    with pytest.raises(DataValidationError, match="encoding 'klingon' is not a known"):
        read_sales(path, encoding="klingon")
    chinese = _csv(tmp_path, "date,store,units\n2011-01-05,杭州,1\n", "zh.csv", "gb18030")
    assert read_sales(chinese, encoding="gb18030")["store"].tolist() == ["杭州"]


# --------------------------------------------------------------------------------- huge numbers


@pytest.mark.parametrize("cell", ["1e300", "-1e300", "1000000001", "2e9"])
def test_numbers_beyond_the_bound_are_an_error(tmp_path: Path, cell: str) -> None:
    path = _csv(tmp_path, f"date,units\n2011-01-05,1\n2011-01-06,{cell}\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert f"line 3 (units='{cell}')" in message and "1,000,000,000" in message


def test_the_bound_itself_and_other_columns() -> None:
    frame = pd.DataFrame({"date": ["2012-01-01"], "units": [MAX_ABS]})
    assert read_sales(frame)["units"].tolist() == [1e9]
    with pytest.raises(DataValidationError, match=r"column 'price'.*beyond"):
        read_sales(frame.assign(units=1.0, price=[2e9]))
    with pytest.raises(DataValidationError, match=r"column 'max_units'.*beyond"):
        read_stores(pd.DataFrame({"store": ["a"], "max_units": [1e12]}))


@pytest.mark.parametrize("cell", ["inf", "-Infinity", "1e400"])
def test_infinite_cells_are_an_error(tmp_path: Path, cell: str) -> None:
    path = _csv(tmp_path, f"date,units\n2011-01-05,{cell}\n")
    with pytest.raises(DataValidationError, match=r"infinite: line 2"):
        read_sales(path)


def test_nan_text_is_a_blank_named_by_its_line(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,units\n2011-01-05,1\n2011-01-06,NaN\n")
    with pytest.raises(DataValidationError, match=r"blank.*line 3"):
        read_sales(path)


# ------------------------------------------------------------------------- time zones and years


def test_offsets_are_dropped_keeping_the_date_written(tmp_path: Path) -> None:
    text = "date,units\n2011-01-02T00:00:00+08:00,1\n2011-01-03T23:30:00-05:00,2\n"
    assert _days(read_sales(_csv(tmp_path, text))) == ["2011-01-02", "2011-01-03"]
    aware = pd.DatetimeIndex(["2011-01-02 23:00", "2011-01-03 23:00"]).tz_localize("US/Eastern")
    frame = pd.DataFrame({"date": aware, "units": [1, 2]})
    assert _days(read_sales(frame)) == ["2011-01-02", "2011-01-03"]  # not the next day in UTC
    mixed = [pd.Timestamp("2011-01-02T00:00+08:00"), pd.Timestamp("2011-01-03T00:00+01:00")]
    assert _days(read_sales(pd.DataFrame({"date": mixed, "units": [1, 2]}))) == [
        "2011-01-02",
        "2011-01-03",
    ]


@pytest.mark.parametrize("cell", ["0211-01-02", "20111-01-02", "1899-12-31", "2101-01-01"])
def test_year_typos_are_an_error_naming_the_line(tmp_path: Path, cell: str) -> None:
    path = _csv(tmp_path, f"date,units\n2011-01-01,1\n{cell},2\n")
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    message = _one_line(exc, path)
    assert f"line 3 (date='{cell}')" in message and "1900-2100" in message


def test_year_typos_in_numbers_and_datetime_columns() -> None:
    seconds = np.array(["0211-01-02", "2011-01-02"], dtype="datetime64[s]")
    with pytest.raises(DataValidationError, match=r"1900-2100.*row 0"):
        read_sales(pd.DataFrame({"date": seconds, "units": [1, 2]}))
    with pytest.raises(DataValidationError, match=r"1900-2100.*row 0 \(date=21110105\)"):
        read_sales(pd.DataFrame({"date": [21110105], "units": [1]}))
    assert parse_dates(pd.DataFrame({"d": ["1900-01-01", "2100-12-31"]}), "d", "s").notna().all()


# -------------------------------------------------------------------------------- broken files


def _broken(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("empty.xlsx", b"", "not a readable Excel workbook"),
        ("damaged.xlsx", b"PK\x03\x04" + bytes(range(256)) * 4, "not a readable Excel workbook"),
        ("empty.parquet", b"", "not a readable Parquet file"),
        ("damaged.parquet", b"PAR1" + b"\x15" * 300 + b"PAR1", "not a readable Parquet file"),
        ("zero.csv", b"", "the file is empty"),
        ("bom.csv", b"\xef\xbb\xbf\r\n", "the file is empty"),
        ("garbage.csv", bytes(np.random.default_rng(3).integers(0, 256, 4000, dtype=np.uint8)), ""),
        ("book.csv", b"PK\x03\x04rest of a workbook", "zip archive"),
        ("data.csv", b"PAR1\x00\x00", "Parquet file"),
    ],
)
def test_broken_files_are_one_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes, words: str
) -> None:
    path = _broken(tmp_path, name, data)
    with pytest.raises(DataValidationError) as exc:
        read_sales(path)
    assert words in _one_line(exc, path)


def test_truncated_real_files_are_one_error(tmp_path: Path) -> None:
    frame = pd.DataFrame({"date": pd.date_range("2012-01-01", periods=40), "units": 1.0})
    for suffix in (".xlsx", ".parquet"):
        whole = tmp_path / f"whole{suffix}"
        frame.to_excel(whole, index=False) if suffix == ".xlsx" else frame.to_parquet(whole)
        data = whole.read_bytes()
        for cut in (10, len(data) // 2, len(data) - 5):
            path = _broken(tmp_path, f"cut{cut}{suffix}", data[:cut])
            with pytest.raises(DataValidationError) as exc:
                read_sales(path)
            _one_line(exc, path)


def test_a_workbook_with_damaged_xml_inside(tmp_path: Path) -> None:
    whole = tmp_path / "whole.xlsx"
    pd.DataFrame({"date": ["2012-01-01"], "units": [1]}).to_excel(whole, index=False)
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name.endswith("sheet1.xml") else data)
    with pytest.raises(DataValidationError, match="not a readable Excel workbook") as exc:
        read_sales(path)
    _one_line(exc, path)


def test_an_excel_file_with_an_empty_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "blank.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(DataValidationError, match="no header row"):
        read_sales(path)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "sales.csv"
    folder.mkdir()
    with pytest.raises(DataValidationError, match="is a folder, not a file"):
        read_sales(folder)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads every file")
def test_a_file_without_read_permission(tmp_path: Path) -> None:
    path = _csv(tmp_path, "date,units\n2011-01-05,1\n")
    path.chmod(0)
    try:
        with pytest.raises(DataValidationError, match="permission denied"):
            read_sales(path)
    finally:
        path.chmod(0o600)


def test_read_table_keeps_the_options_for_a_dataframe() -> None:
    table = read_table(pd.DataFrame({"units": ["10,5"]}), decimal=",", date_order="DMY")
    assert table.attrs["decimal"] == "," and table.attrs["date_order"] == "DMY"
    assert finite_numbers(table, "units", "s").tolist() == [10.5]


# ---------------------------------------------------------------------------- the style column


def _export(tmp_path: Path) -> Path:
    days = pd.date_range("2011-01-01", periods=30).strftime("%Y-%m-%d")
    rows = [(d, s, k, 3) for d in days for s in ("门店A", "门店B") for k in ("K001", "K002")]
    frame = pd.DataFrame(rows, columns=["销售日期", "门店", "款号", "销量"])
    frame["金额"] = np.arange(len(frame)) * 1.5  # varies too, but is no key
    path = tmp_path / "export.csv"
    frame.to_csv(path, index=False)
    return path


def test_repeated_rows_suggest_mapping_the_style_column(tmp_path: Path) -> None:
    path = _export(tmp_path)
    mapping = "销售日期=date,门店=store,销量=units"
    with pytest.raises(DataValidationError) as exc:
        validate_sales(path, columns=mapping)
    message = _one_line(exc, path)
    assert "120 rows repeat the same store, date" in message
    assert (
        "'款号' differs inside these rows and looks like the style code: map it to sku: "
        "columns={'销售日期': 'date', '门店': 'store', '销量': 'units', '款号': 'sku'}"
    ) in message
    with command_line(), pytest.raises(DataValidationError) as exc:
        read_inputs(sales=path, columns=mapping)
    assert "--columns '销售日期=date,门店=store,销量=units,款号=sku'" in str(exc.value)
    sales = validate_sales(path, columns=mapping + ",款号=sku")
    assert sales.keys == ("store", "sku") and len(sales.frame) == 120


def test_the_suggestion_repeats_the_whole_mapping_of_read_inputs(tmp_path: Path) -> None:
    path = _export(tmp_path)
    stores = _csv(tmp_path, "门店,重点\n门店A,是\n门店B,否\n", name="stores.csv")
    mapping = "销售日期=date,门店=store,销量=units,重点=strategic"
    with command_line(), pytest.raises(DataValidationError) as exc:
        read_inputs(sales=path, stores=stores, columns=mapping)
    assert f"--columns '{mapping},款号=sku'" in str(exc.value)


def test_repeated_rows_suggest_the_column_that_tells_them_apart(tmp_path: Path) -> None:
    days = pd.date_range("2011-01-01", periods=10).strftime("%Y-%m-%d")
    rows = [(d, s, dept, 2.0) for d in days for s in ("1", "2") for dept in (7, 9)]
    frame = pd.DataFrame(rows, columns=["Date", "Store", "Dept", "Weekly_Sales"])
    mapping = {"Date": "date", "Store": "store", "Weekly_Sales": "units"}
    with pytest.raises(DataValidationError, match=r"'Dept' differs.*'Dept': 'sku'\}"):
        read_sales(frame, columns=mapping)
    with command_line(), pytest.raises(DataValidationError) as exc:
        read_sales(frame, columns=mapping)
    assert "--columns 'Date=date,Store=store,Weekly_Sales=units,Dept=sku'" in str(exc.value)
    assert "--duplicates sum" in str(exc.value)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        summed = read_sales(frame, columns=mapping, duplicates="sum")
    assert summed["units"].tolist() == [4.0] * 20  # summing stays a way out


def test_repeated_rows_without_a_telling_column_keep_the_old_fix() -> None:
    frame = pd.DataFrame({"date": ["2011-01-01"] * 2, "store": "a", "units": [1, 1], "x": "same"})
    with pytest.raises(DataValidationError, match="duplicates='sum'") as exc:
        read_sales(frame)
    assert "differs" not in str(exc.value)


def test_demo_like_data_still_reads(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[3] / "forecasting/inputs/data/demo_plan"
    for name in ("stores.csv", "new_products.csv", "judgments.csv"):
        shutil.copy(source / name, tmp_path / name)
    got = read_inputs(
        stores=tmp_path / "stores.csv",
        products=tmp_path / "new_products.csv",
        judgments=tmp_path / "judgments.csv",
    )
    assert got.stores is not None and len(got.stores.frame) == 25
