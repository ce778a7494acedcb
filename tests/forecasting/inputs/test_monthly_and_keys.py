"""Monthly sales (month starts and month ends, missing months, wrong or mixed labels) and series
keyed by any columns (``by=``), on the real monthly retail file and a slice of Walmart's weekly
store x department sales (issue 14, points 1 and 2)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError, command_line
from forecasting.inputs import (
    SalesTable,
    as_sales,
    read_inputs,
    read_sales,
    validate_sales,
)
from forecasting.inputs.frequency import (
    check_frequency,
    fill_missing_periods,
    frequency_kind,
    infer_frequency,
    normalize_freq,
    period_offset,
    period_step,
    require_daily_or_weekly,
    seasonal_period,
)
from forecasting.inputs.validation import DataQualityWarning

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
RETAIL = SHARED / "prophet_examples" / "example_retail_sales.csv"
CLASSIC = SHARED / "classic_series"
WALMART = SHARED / "walmart" / "train_2010-02_2012-04.csv"
RETAIL_COLUMNS = {"ds": "date", "y": "units"}

needs_retail = pytest.mark.skipif(not RETAIL.exists(), reason="../shared/data is not available")
needs_walmart = pytest.mark.skipif(not WALMART.exists(), reason="../shared/data is not available")


def _retail() -> pd.DataFrame:
    return pd.read_csv(RETAIL, dtype=str)


def _write(tmp_path: Path, frame: pd.DataFrame, name: str = "sales.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


# --------------------------------------------------------------------------- frequency helpers


def test_monthly_spellings_are_canonical() -> None:
    assert [normalize_freq(f) for f in ("MS", "ms", "monthly", "Month", "1MS")] == ["MS"] * 5
    assert [normalize_freq(f) for f in ("M", "ME", "me", "month_end")] == ["ME"] * 4
    assert normalize_freq("W") == "W-SUN" and normalize_freq("daily") == "D"
    with pytest.raises(DataValidationError, match="'MS' for months labelled by their first day"):
        normalize_freq("quarterly")


def test_frequency_kind_season_and_steps() -> None:
    assert [frequency_kind(f) for f in ("D", "W-FRI", "MS", "ME")] == [
        "daily",
        "weekly",
        "monthly",
        "monthly",
    ]
    assert [seasonal_period(f) for f in ("D", "W-FRI", "MS", "ME")] == [364, 52, 12, 12]
    assert pd.Timestamp("2016-01-31") + period_offset("ME") == pd.Timestamp("2016-02-29")
    assert pd.Timestamp("2016-03-01") - 2 * period_offset("MS") == pd.Timestamp("2016-01-01")
    assert period_step("W-FRI") == pd.Timedelta(days=7)
    with pytest.raises(DataValidationError, match="months have no fixed length"):
        period_step("MS")


# ------------------------------------------------------------------------ the real monthly file


@needs_retail
def test_monthly_retail_file_is_read_as_monthly_not_daily() -> None:
    sales = validate_sales(RETAIL, columns=RETAIL_COLUMNS)
    raw = _retail()
    assert sales.freq == "MS"
    assert len(sales.frame) == len(raw) == 293  # not ~8,900 zero-filled days
    assert sales.filled_periods == 0
    assert sales.frame["date"].dt.strftime("%Y-%m-%d").tolist() == raw["ds"].tolist()
    assert sales.frame["units"].iloc[0] == 146376.0
    assert read_sales(RETAIL, columns=RETAIL_COLUMNS).attrs["freq"] == "MS"


@needs_retail
def test_missing_months_are_filled_with_zero_and_stay_monthly(tmp_path: Path) -> None:
    raw = _retail()
    gone = ["1993-02-01", "2000-07-01", "2000-08-01", "2016-04-01"]
    path = _write(tmp_path, raw[~raw["ds"].isin(gone)])
    sales = validate_sales(path, columns=RETAIL_COLUMNS)
    assert sales.freq == "MS"
    assert sales.filled_periods == 4
    assert len(sales.frame) == 293
    frame = sales.frame.set_index("date")
    assert (frame.loc[pd.to_datetime(gone), "units"] == 0.0).all()
    september = raw.loc[raw["ds"] == "2000-09-01", "y"].astype(float).item()
    assert frame.loc["2000-09-01", "units"] == september
    assert not validate_sales(path, columns=RETAIL_COLUMNS, fill_missing=False).filled_periods


@needs_retail
def test_month_end_labels_are_monthly_too(tmp_path: Path) -> None:
    raw = _retail()
    ends = pd.to_datetime(raw["ds"]) + pd.offsets.MonthEnd(0)
    raw["ds"] = ends.dt.strftime("%Y-%m-%d")
    raw = raw[raw["ds"] != "1996-02-29"]  # a leap February is missing
    path = _write(tmp_path, raw)
    sales = validate_sales(path, columns=RETAIL_COLUMNS)
    assert sales.freq == "ME"
    assert sales.filled_periods == 1
    assert pd.Timestamp("1996-02-29") in set(sales.frame["date"])
    assert sales.frame["date"].dt.is_month_end.all()
    assert validate_sales(path, columns=RETAIL_COLUMNS, freq="M").freq == "ME"


@needs_retail
def test_a_wrong_freq_is_an_error_never_a_re_reading(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as exc:
        validate_sales(RETAIL, columns=RETAIL_COLUMNS, freq="D")
    message = str(exc.value)
    assert "example_retail_sales.csv: column 'date': the dates are monthly" in message
    assert "not daily as freq='D' says" in message and "Fix: pass freq='MS'" in message
    with pytest.raises(DataValidationError, match=r"the dates are monthly.*not weekly"):
        validate_sales(RETAIL, columns=RETAIL_COLUMNS, freq="W-SUN")
    with pytest.raises(DataValidationError) as exc:
        validate_sales(RETAIL, columns=RETAIL_COLUMNS, freq="ME")
    message = str(exc.value)
    assert "293 dates are not the last day of a month" in message
    assert "line 2 (date=1992-01-01)" in message and "pass freq='MS'" in message
    with command_line(), pytest.raises(DataValidationError, match="pass --freq MS"):
        validate_sales(RETAIL, columns=RETAIL_COLUMNS, freq="D")
    given = validate_sales(RETAIL, columns=RETAIL_COLUMNS, freq="monthly")
    assert given.freq == "MS" and len(given.frame) == 293
    daily = pd.DataFrame({"date": pd.date_range("2012-01-01", periods=40), "units": 1.0})
    with pytest.raises(DataValidationError, match="38 dates are not the first day of a month"):
        validate_sales(daily, freq="MS")


@pytest.mark.skipif(not CLASSIC.exists(), reason="../shared/data is not available")
@pytest.mark.parametrize(
    ("name", "columns", "rows"),
    [
        ("sktime_ShampooSales.csv", {"Time": "date", "Sales": "units"}, 36),
        ("sktime_PBS_dataset.csv", {"Month": "date", "Scripts": "units"}, 204),
        ("pmdarima_wineind.csv", {"month": "date", "wine_sales_bottles": "units"}, 176),
    ],
)
def test_classic_monthly_series_written_as_months(
    name: str, columns: dict[str, str], rows: int
) -> None:
    sales = validate_sales(CLASSIC / name, columns=columns)
    assert (sales.freq, len(sales.frame), sales.filled_periods) == ("MS", rows, 0)


# ------------------------------------------------------------------ monthly rows on mixed days


def test_months_labelled_by_first_and_last_days_are_rejected_naming_the_rows(
    tmp_path: Path,
) -> None:
    text = "date,units\n2012-01-01,5\n2012-02-01,6\n2012-03-31,7\n2012-04-01,8\n2012-05-31,9\n"
    path = tmp_path / "mixed.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as exc:
        validate_sales(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: column 'date': the rows are a month apart")
    assert "monthly rows must all be on the 1st or all on the last day of the month" in message
    assert "line 4 (date=2012-03-31); line 6 (date=2012-05-31). Fix:" in message
    assert "line 2 " not in message


def test_mid_month_labels_and_a_typo_are_rejected(tmp_path: Path) -> None:
    mid = pd.DataFrame({"date": pd.date_range("2012-01-01", periods=12, freq="MS")})
    mid["date"] = mid["date"] + pd.Timedelta(days=14)
    mid["units"] = 3.0
    with pytest.raises(DataValidationError, match=r"row 0 \(date=2012-01-15\)"):
        validate_sales(mid)
    with command_line(), pytest.raises(DataValidationError, match="pass --freq D"):
        validate_sales(mid)
    assert len(validate_sales(mid, freq="D").frame) == 336  # daily, when the user says so
    starts = pd.date_range("2012-01-01", periods=12, freq="MS").strftime("%Y-%m-%d").tolist()
    starts[5] = "2012-06-02"  # one typo in a year of month starts
    path = _write(tmp_path, pd.DataFrame({"date": starts, "store": "a", "units": 1}))
    with pytest.raises(DataValidationError) as exc:
        validate_sales(path)
    assert "line 7 (store='a', date=2012-06-02). Fix: label every month" in str(exc.value)


def test_a_one_row_per_store_table_of_odd_months_is_rejected_too() -> None:
    frame = pd.DataFrame(
        {"date": ["2012-01-10", "2012-02-10", "2012-03-10"], "store": list("abc"), "units": 1}
    )
    with pytest.raises(DataValidationError, match="a month apart"):
        validate_sales(frame)


def test_sparse_daily_sales_stay_daily() -> None:
    days = pd.to_datetime(["2011-01-03", "2011-01-04", "2011-01-09", "2011-02-08", "2011-02-09"])
    sales = validate_sales(pd.DataFrame({"date": days, "units": 1.0}))
    assert sales.freq == "D" and len(sales.frame) == 38


def test_monthly_series_are_filled_per_key() -> None:
    dates = ["2015-11-01", "2016-02-01", "2016-01-01", "2016-03-01"]
    frame = pd.DataFrame({"date": dates, "item": ["x", "x", "y", "y"], "units": [1, 2, 3, 4]})
    sales = validate_sales(frame, by="item")
    got = sales.frame.assign(date=sales.frame["date"].dt.strftime("%Y-%m"))
    assert got[["item", "date", "units"]].values.tolist() == [
        ["x", "2015-11", 1.0],
        ["x", "2015-12", 0.0],
        ["x", "2016-01", 0.0],
        ["x", "2016-02", 2.0],
        ["y", "2016-01", 3.0],
        ["y", "2016-02", 0.0],
        ["y", "2016-03", 4.0],
    ]
    filled, n = fill_missing_periods(frame.assign(date=pd.to_datetime(dates)), ["item"], "MS")
    assert n == 3 and len(filled) == 7


def test_check_frequency_and_infer_agree_on_monthly_data() -> None:
    ends = pd.DataFrame({"date": pd.to_datetime(["2011-01-31", "2011-02-28", "2011-05-31"])})
    assert infer_frequency(ends) == "ME"
    assert check_frequency(ends, "M") == "ME"
    with pytest.raises(DataValidationError, match="3 dates are not the first day of a month"):
        check_frequency(ends, "MS")


def test_launch_timing_refuses_monthly_sales() -> None:
    months = validate_sales(pd.DataFrame({"date": ["2012-01-01", "2012-02-01"], "units": 1}))
    with pytest.raises(DataValidationError) as exc:
        require_daily_or_weekly(months)
    assert str(exc.value).startswith(
        "launch timing needs daily or weekly sales; sales is monthly (freq 'MS'). Fix:"
    )
    weeks = validate_sales(pd.DataFrame({"date": ["2012-01-06", "2012-01-13"], "units": 1}))
    require_daily_or_weekly(weeks)


# ------------------------------------------------------------------------------------ by= keys


def _walmart_slice(tmp_path: Path, gaps: bool = True) -> Path:
    """Stores 1 and 2, departments 1-3 (real rows), a few weeks removed to make gaps."""
    raw = pd.read_csv(WALMART, dtype=str, nrows=20000)
    part = raw[raw["Store"].isin(["1", "2"]) & raw["Dept"].isin(["1", "2", "3"])]
    if gaps:
        drop = (part["Store"] == "2") & (part["Dept"] == "3")
        drop &= part["Date"].isin(["2011-03-04", "2011-03-11"])
        part = part[~drop]
    return _write(tmp_path, part, "walmart.csv")


@needs_walmart
def test_walmart_keyed_by_store_and_department(tmp_path: Path) -> None:
    path = _walmart_slice(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # returns (negative units)
        sales = validate_sales(path, columns={"Weekly_Sales": "units"}, by=["Store", "Dept"])
    assert sales.freq == "W-FRI"
    assert sales.keys == ("Store", "Dept")
    assert sales.frame.columns.tolist() == ["date", "Store", "Dept", "units"]
    assert sales.dropped_columns == ("IsHoliday",)
    assert sales.filled_periods == 2
    assert len(sales.frame) == 6 * 117
    assert not sales.frame.duplicated(["Store", "Dept", "date"]).any()
    counts = sales.frame.groupby(["Store", "Dept"]).size()
    assert counts.to_dict() == {(s, d): 117 for s in ("1", "2") for d in ("1", "2", "3")}
    frame = sales.frame
    filled = (frame["Store"] == "2") & (frame["Dept"] == "3") & (frame["date"] == "2011-03-04")
    assert frame.loc[filled, "units"].tolist() == [0.0]


@needs_walmart
def test_walmart_keys_renamed_or_mapped(tmp_path: Path) -> None:
    path = _walmart_slice(tmp_path, gaps=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        lower = validate_sales(path, columns={"Weekly_Sales": "units"}, by=["store", "dept"])
        mapped = validate_sales(
            path,
            columns={"Weekly_Sales": "units", "Dept": "department"},
            by=["store", "department"],
        )
        read = read_sales(path, columns={"Weekly_Sales": "units"}, by=["store", "dept"])
        inputs = read_inputs(sales=path, columns={"Weekly_Sales": "units"}, by=["store", "dept"])
    assert lower.keys == ("store", "dept")
    assert lower.frame.columns.tolist() == ["date", "store", "dept", "units"]
    assert read.columns.tolist() == ["date", "store", "dept", "units"]
    assert inputs.sales is not None and inputs.sales.keys == ("store", "dept")
    assert mapped.keys == ("store", "department")
    assert mapped.frame.columns.tolist() == ["date", "store", "department", "units"]
    with pytest.raises(DataValidationError, match=r"make it a series key: by=\['dept', 'store'\]"):
        validate_sales(path, columns={"Weekly_Sales": "units"}, by="dept")


@needs_walmart
def test_walmart_without_by_suggests_the_keys(tmp_path: Path) -> None:
    path = _walmart_slice(tmp_path, gaps=False)
    with pytest.raises(DataValidationError) as exc:
        validate_sales(path, columns={"Weekly_Sales": "units"})
    message = str(exc.value)
    assert "rows repeat the same store, date" in message
    assert "the column 'Dept' differs inside these rows" in message
    assert "by=['store', 'Dept']" in message
    with command_line(), pytest.raises(DataValidationError, match="--by store,Dept"):
        validate_sales(path, columns={"Weekly_Sales": "units"})


@pytest.mark.slow
@needs_walmart
def test_the_whole_walmart_file_keyed_by_store_and_department() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        sales = validate_sales(WALMART, columns={"Weekly_Sales": "units"}, by=["Store", "Dept"])
    assert sales.freq == "W-FRI"
    raw = pd.read_csv(WALMART, usecols=["Store", "Dept"]).drop_duplicates()
    assert sales.frame.groupby(["Store", "Dept"]).ngroups == len(raw) == 3313
    assert not sales.frame.duplicated(["Store", "Dept", "date"]).any()
    assert sales.filled_periods > 0
    assert (sales.frame["date"].dt.day_name() == "Friday").all()


def test_key_dtypes_are_kept() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2012-01-06", "2012-01-20", "2012-01-06"]),
            "Store": np.array([1, 1, 2], dtype="int64"),
            "Dept": ["a", "a", "b"],
            "units": [1.0, 2.0, 3.0],
        }
    )
    sales = validate_sales(frame, by=["Store", "Dept"])
    assert sales.frame["Store"].dtype == np.dtype("int64")
    assert sales.frame["Store"].tolist() == [1, 1, 1, 2]
    assert sales.frame["units"].tolist() == [1.0, 0.0, 2.0, 3.0]
    again = validate_sales(sales)  # a validated table keeps its keys
    assert again.keys == ("Store", "Dept") and again.frame.equals(sales.frame)


def test_without_by_other_columns_are_dropped_as_before() -> None:
    frame = pd.DataFrame(
        {"date": ["2012-01-06"], "store": ["a"], "Dept": [7], "units": [1], "note": ["x"]}
    )
    sales = validate_sales(frame)
    assert sales.keys == ("store",)
    assert sales.frame.columns.tolist() == ["date", "store", "units"]
    assert sales.dropped_columns == ("Dept", "note")


def test_by_keys_exactly_those_columns() -> None:
    rows = {
        "date": ["2012-01-06"] * 2,
        "store": ["a", "a"],
        "sku": ["k1", "k2"],
        "units": [1, 2],
    }
    with pytest.raises(DataValidationError) as exc:
        validate_sales(pd.DataFrame(rows), by="store")
    message = str(exc.value)
    assert "2 rows repeat the same store, date" in message
    assert "the column 'sku' differs" in message and "by=['store', 'sku']" in message
    assert validate_sales(pd.DataFrame(rows), by="store", duplicates="sum").frame[
        "units"
    ].tolist() == [3.0]
    one = pd.DataFrame(rows).iloc[:1]
    assert validate_sales(one, by=[]).keys == ()
    assert validate_sales(one, by=[]).frame.columns.tolist() == ["date", "store", "sku", "units"]


def test_bad_by_arguments_name_the_problem(tmp_path: Path) -> None:
    frame = pd.DataFrame({"date": ["2012-01-06"], "Store": [1], "units": [1]})
    with pytest.raises(DataValidationError) as exc:
        validate_sales(frame, by=["Store", "Dept"])
    message = str(exc.value)
    assert (
        "column 'Dept': by=['Store', 'Dept'] names a column that the sales do not have" in message
    )
    assert "(the columns are: 'date', 'Store', 'units')" in message
    with pytest.raises(DataValidationError, match=r"\['units'\] cannot be a key"):
        validate_sales(frame, by=["Store", "units"])
    with pytest.raises(DataValidationError, match="named twice"):
        validate_sales(frame, by=["Store", "Store"])
    path = tmp_path / "blank.csv"
    path.write_text("date,Dept,units\n2012-01-06,7,1\n2012-01-13,,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"1 row without a Dept.*line 3"):
        validate_sales(path, by="Dept")


def test_as_sales_by_and_freq() -> None:
    frame = pd.DataFrame(
        {
            "date": ["2012-01-06", "2012-01-06", "2012-01-13"],
            "store": ["1", "1", "1"],
            "dept": [7, 9, 7],
            "units": [1, 2, 3],
        }
    )
    table = as_sales(frame, by="dept")  # the default keys and dept: a forecast may add up
    assert table.keys == ("store", "dept")
    assert table.frame["dept"].tolist() == [7, 7, 9]
    assert as_sales(table, by=["dept"]) is table
    assert as_sales(table, freq="W-FRI") is table
    with pytest.raises(DataValidationError, match="names a column that the sales do not have"):
        as_sales(table, by="sku")
    with pytest.raises(DataValidationError, match="the sales were validated as 'W-FRI'"):
        as_sales(table, freq="MS")
    with pytest.raises(DataValidationError, match="rows repeat the same store, date"):
        as_sales(frame)  # without by, dept is not a key: as before
    monthly = as_sales(pd.DataFrame({"date": ["2012-01-31", "2012-03-31"], "units": 1}), freq="M")
    assert isinstance(monthly, SalesTable) and monthly.freq == "ME" and len(monthly.frame) == 3
