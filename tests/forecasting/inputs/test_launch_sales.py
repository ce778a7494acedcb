"""New-product sales counted from each product's own launch: the ``"W-LAUNCH"`` frequency (each
series weekly on its own weekday) and :func:`validate_launch_sales` (a ``week`` column dated by the
products' launch dates), on small tables and on the real VISUELLE launches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import (
    LAUNCH_WEEKS,
    DataQualityWarning,
    SalesTable,
    validate_launch_sales,
    validate_products,
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
    quarter_periods,
    require_calendar_periods,
    require_daily_or_weekly,
    sales_frequency,
    seasonal_period,
)

VISUELLE = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "visuelle" / "train.csv"

# A1 launched on a Monday, B2 on a Thursday
PRODUCTS = pd.DataFrame(
    {
        "sku": ["A1", "B2"],
        "category": ["knit", "knit"],
        "launch_date": ["2024-03-04", "2024-03-07"],
    }
)


def _dated(**extra: object) -> pd.DataFrame:
    """Three weeks of A1 (Mondays) and two of B2 (Thursdays), as dated rows."""
    return pd.DataFrame(
        {
            "sku": ["A1", "A1", "A1", "B2", "B2"],
            "date": ["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-07", "2024-03-14"],
            "units": [12, 9, 7, 30, 18],
            **extra,
        }
    )


def _weeks(**extra: object) -> pd.DataFrame:
    """The same sales as :func:`_dated`, by week since launch."""
    return pd.DataFrame(
        {
            "sku": ["A1", "A1", "A1", "B2", "B2"],
            "week": [1, 2, 3, 1, 2],
            "units": [12, 9, 7, 30, 18],
            **extra,
        }
    )


def _error(call: Callable[..., object], *args: object, **kwargs: object) -> str:
    """The one-line message of the DataValidationError that ``call`` raises."""
    with pytest.raises(DataValidationError) as exc:
        call(*args, **kwargs)
    message = str(exc.value)
    assert "\n" not in message and "Fix: " in message
    return message


# ------------------------------------------------------------------------------------ frequency


def test_launch_anchored_weeks_are_inferred_as_w_launch() -> None:
    sales = validate_sales(_dated())
    assert sales.freq == LAUNCH_WEEKS == "W-LAUNCH"
    assert sales.keys == ("sku",)
    assert sales.filled_periods == 0
    days = sales.frame.groupby("sku")["date"].agg(lambda d: sorted(set(d.dt.day_name())))
    assert days.to_dict() == {"A1": ["Monday"], "B2": ["Thursday"]}
    assert sales_frequency(sales.frame) == "W-LAUNCH"
    # keyed by store and sku, each store x sku on its own weekday
    by_store = _dated(store=["s1", "s1", "s1", "s2", "s2"])
    assert validate_sales(by_store).freq == "W-LAUNCH"
    # one weekday for every sku stays a calendar week
    same_day = _dated().assign(
        date=["2024-03-04", "2024-03-11", "2024-03-18", "2024-03-04", "2024-03-11"]
    )
    assert validate_sales(same_day).freq == "W-MON"


def test_the_same_dates_without_sku_are_still_an_error() -> None:
    by_store = _dated().rename(columns={"sku": "store"})
    by_store.attrs["source"] = "launch.csv"
    message = _error(validate_sales, by_store)
    assert message.startswith("launch.csv: column 'date': mixed frequencies: weekly rows end on")
    assert "(MON, THU)" in message and "store='B2'" in message
    assert "counted from each product's own launch" in message
    assert "key the rows by sku" in message and "freq='W-LAUNCH'" in message


def test_a_series_that_switches_weekday_is_an_error() -> None:
    mondays = pd.date_range("2024-03-04", periods=4, freq="W-MON")
    tuesdays = pd.date_range(mondays[-1] + pd.Timedelta(days=8), periods=4, freq="7D")
    thursdays = pd.date_range("2024-03-07", periods=8, freq="W-THU")
    frame = pd.DataFrame(
        {
            "sku": ["A1"] * 8 + ["B2"] * 8,
            "date": [*mondays, *tuesdays, *thursdays],
            "units": 1.0,
        }
    )
    message = _error(validate_sales, frame)
    assert "mixed frequencies" in message and "sku='A1'" in message
    # given as W-LAUNCH, the row that leaves the series' weekday is named
    message = _error(validate_sales, frame, freq="W-LAUNCH")
    assert "column 'date': 1 row is not a whole number of weeks" in message
    assert "row 4 (sku='A1', date=2024-04-02, weekday='TUE')" in message


def test_explicit_w_launch() -> None:
    # mixed weekdays keyed by store (not inferred without sku): accepted when given
    by_store = _dated().rename(columns={"sku": "store"})
    sales = validate_sales(by_store, freq="w-launch")
    assert sales.freq == "W-LAUNCH" and sales.keys == ("store",)
    # one weekday shared by every series: W-LAUNCH when given, never re-read as W-MON
    weeks = pd.DataFrame(
        {"sku": ["A1", "A1", "B2"], "date": ["2024-03-04", "2024-03-11", "2024-03-04"], "units": 1}
    )
    assert validate_sales(weeks, freq="W-LAUNCH").freq == "W-LAUNCH"
    assert validate_sales(weeks).freq == "W-MON"
    # a series with daily steps does not fit
    daily = pd.DataFrame(
        {"sku": ["A1", "A1", "A1"], "date": ["2024-03-04", "2024-03-05", "2024-03-12"], "units": 1}
    )
    daily.attrs["source"] = "daily.csv"
    message = _error(validate_sales, daily, freq="W-LAUNCH")
    assert message.startswith("daily.csv: column 'date': 1 row is not a whole number of weeks")
    assert "row 1 (sku='A1', date=2024-03-05, weekday='TUE')" in message
    assert check_frequency(pd.DataFrame({"date": pd.to_datetime(["2024-03-07"])}), "launch") == (
        "W-LAUNCH"
    )


def test_frequency_helpers_know_w_launch() -> None:
    assert normalize_freq("W-LAUNCH") == normalize_freq(" w-launch ") == "W-LAUNCH"
    assert normalize_freq("launch_weeks") == "W-LAUNCH"
    assert frequency_kind("W-LAUNCH") == "weekly"
    assert seasonal_period("W-LAUNCH") == 52
    assert quarter_periods("W-LAUNCH") == 13
    assert period_step("W-LAUNCH") == pd.Timedelta(days=7)
    thursday = pd.Timestamp("2024-03-07")
    assert thursday + 3 * period_offset("W-LAUNCH") == pd.Timestamp("2024-03-28")
    assert "'W-LAUNCH' for weeks counted" in _error(normalize_freq, "W-LAUNCHES")


def test_missing_weeks_are_filled_on_each_series_own_weekday() -> None:
    gaps = _dated().iloc[[0, 2, 3, 4]].reset_index(drop=True)  # A1 misses 2024-03-11
    gaps.loc[3, "date"] = "2024-03-28"  # B2 misses 2024-03-14 and 2024-03-21
    sales = validate_sales(gaps)
    assert sales.freq == "W-LAUNCH" and sales.filled_periods == 3
    got = sales.frame.assign(date=sales.frame["date"].dt.strftime("%Y-%m-%d"))
    assert got.values.tolist() == [
        ["2024-03-04", "A1", 12.0],
        ["2024-03-11", "A1", 0.0],
        ["2024-03-18", "A1", 7.0],
        ["2024-03-07", "B2", 30.0],
        ["2024-03-14", "B2", 0.0],
        ["2024-03-21", "B2", 0.0],
        ["2024-03-28", "B2", 18.0],
    ]
    # the helper itself, with a stockout flag: filled weeks are not stockouts
    frame = pd.DataFrame(
        {
            "sku": ["A1", "A1", "B2", "B2"],
            "date": pd.to_datetime(["2024-03-04", "2024-03-25", "2024-03-07", "2024-03-14"]),
            "units": [1.0, 2.0, 3.0, 4.0],
            "stockout": [True, True, False, False],
        }
    )
    filled, n = fill_missing_periods(frame, ["sku"], "W-LAUNCH")
    assert n == 2
    assert filled["date"].dt.day_name().tolist() == ["Monday"] * 4 + ["Thursday"] * 2
    assert filled["units"].tolist() == [1.0, 0.0, 0.0, 2.0, 3.0, 4.0]
    assert filled["stockout"].tolist() == [True, False, False, True, False, False]


# ------------------------------------------------------------------------- validate_launch_sales


def test_week_column_gives_the_frame_of_the_dated_form() -> None:
    by_week = validate_launch_sales(_weeks(), PRODUCTS)
    by_date = validate_launch_sales(_dated(), PRODUCTS)
    assert by_week.freq == by_date.freq == "W-LAUNCH"
    assert by_week.keys == by_date.keys == ("sku",)
    pd.testing.assert_frame_equal(by_week.frame, by_date.frame)
    pd.testing.assert_frame_equal(by_date.frame, validate_sales(_dated()).frame)
    assert by_week.frame["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-03-04",
        "2024-03-11",
        "2024-03-18",
        "2024-03-07",
        "2024-03-14",
    ]
    # with stores, prices and a validated products table
    stores = ["s1", "s2", "s1", "s1", "s2"]
    extra = {"store": stores, "price": [99, 99, 89, 199, 199]}
    products = validate_products(PRODUCTS)
    by_week = validate_launch_sales(_weeks(**extra), products)
    by_date = validate_launch_sales(_dated(**extra), products)
    assert by_week.keys == ("store", "sku") and by_week.freq == "W-LAUNCH"
    pd.testing.assert_frame_equal(by_week.frame, by_date.frame)
    # a validated table is taken as dated sales
    assert validate_launch_sales(by_date, products).frame.equals(by_date.frame)


def test_weeks_missing_inside_a_series_are_filled() -> None:
    sales = validate_launch_sales(_weeks().iloc[[0, 2, 3, 4]], PRODUCTS)
    assert sales.filled_periods == 1
    a1 = sales.frame[sales.frame["sku"] == "A1"]
    assert a1["units"].tolist() == [12.0, 0.0, 7.0]
    assert a1["date"].dt.day_name().unique().tolist() == ["Monday"]


def test_both_columns_use_the_date_and_check_the_week() -> None:
    both = _dated(week=[1, 2, 3, 1, 2])
    sales = validate_launch_sales(both, PRODUCTS)
    assert sales.freq == "W-LAUNCH"
    pd.testing.assert_frame_equal(sales.frame, validate_launch_sales(_weeks(), PRODUCTS).frame)
    # a date inside the launch week, and a week that disagrees with its date
    wrong = _dated(week=[1, 2, 2, 1, 3])
    wrong.attrs["source"] = "launch.csv"
    message = _error(validate_launch_sales, wrong, PRODUCTS)
    assert message.startswith("launch.csv: column 'week': 2 rows have a week that does not match")
    assert "row 2 (sku='A1', date=2024-03-18, launch_date=2024-03-04, week=2)" in message
    assert "row 4 (sku='B2', date=2024-03-14, launch_date=2024-03-07, week=3)" in message
    # sold before launch: week 0 by the dates, not week 1
    early = _dated(week=[1, 2, 3, 1, 2]).assign(
        date=["2024-03-03", "2024-03-10", "2024-03-17", "2024-03-07", "2024-03-14"]
    )
    assert "3 rows have a week that does not match" in _error(
        validate_launch_sales, early, PRODUCTS
    )


@pytest.mark.parametrize(
    ("week", "problem", "shown"),
    [
        (None, "1 row is blank", "row 1 (week=<blank>)"),
        ("", "1 row is blank", "row 1 (week='')"),
        (0, "1 value is below 1", "row 1 (week=0)"),
        (-3, "1 value is below 1", "row 1 (week=-3)"),
        (2.5, "1 value is not a whole number of weeks", "row 1 (week=2.5)"),
        ("two", "1 value is not a number", "row 1 (week='two')"),
        ("1.5", "1 value is not a whole number of weeks", "row 1 (week='1.5')"),
        (10**8, "1 week falls after 2100", "row 1 (sku='A1', launch_date=2024-03-04"),
    ],
)
def test_bad_week_values(week: object, problem: str, shown: str) -> None:
    weeks = [1, week, 3, 1, 2]
    if isinstance(week, str):
        weeks = [str(w) for w in weeks]
    frame = _weeks().assign(week=pd.Series(weeks, dtype=object))
    frame.attrs["source"] = "launch.xlsx"
    message = _error(validate_launch_sales, frame, PRODUCTS)
    assert message.startswith(f"launch.xlsx: column 'week': {problem}")
    assert shown in message
    assert "whole number from 1 (1 = the launch week" in message


def test_skus_without_a_launch_date() -> None:
    frame = _weeks().assign(sku=["A1", "A1", "C3", "D4", "D4"])
    frame.attrs["source"] = "launch.csv"
    message = _error(validate_launch_sales, frame, PRODUCTS)
    assert message.startswith(
        "launch.csv: column 'sku': 2 skus of the sales have no launch_date in products "
        "('C3', 'D4'), so their weeks since launch cannot be dated: row 2 (sku='C3', week=3)"
    )
    assert "add the launch_date of these skus to the products table" in message
    assert "dated rows (a date column)" in message
    # a blank launch date, and a products table without the column
    blank = PRODUCTS.assign(launch_date=pd.Series(["2024-03-04", None], dtype=object))
    assert "1 sku of the sales has no launch_date in products ('B2')" in _error(
        validate_launch_sales, _weeks(), blank
    )
    undated = PRODUCTS.drop(columns="launch_date")
    assert "(it has no launch_date column)" in _error(validate_launch_sales, _weeks(), undated)
    # dated rows need no launch date
    assert validate_launch_sales(_dated(), undated).freq == "W-LAUNCH"


def test_neither_date_nor_week() -> None:
    frame = _weeks().rename(columns={"week": "wk"})
    message = _error(validate_launch_sales, frame, PRODUCTS)
    assert "column 'date': required column of the sales table is missing" in message
    assert "'date' or 'week'" in message and "columns={'wk': 'week'}" in message


def test_repeated_weeks() -> None:
    frame = _weeks().assign(week=[1, 2, 2, 1, 2])
    message = _error(validate_launch_sales, frame, PRODUCTS)
    assert "column 'week': 2 rows repeat the same sku, week" in message
    assert "row 1 (sku='A1', week=2); row 2 (sku='A1', week=2)" in message
    assert "duplicates='sum'" in message
    summed = validate_launch_sales(frame, PRODUCTS, duplicates="sum").frame
    assert summed.loc[summed["sku"] == "A1", "units"].tolist() == [12.0, 16.0]


def test_csv_file_with_chinese_headers(tmp_path: Path) -> None:
    path = tmp_path / "新品周销.csv"
    rows = ["款号,周,销量,颜色", "A1,1,12,红", "A1,2,9,红", "A1,3,7,红", "B2,1,30,蓝", "B2,2,18,蓝"]
    path.write_text("\n".join(rows) + "\n", encoding="gb18030")
    mapping = {"款号": "sku", "周": "week", "销量": "units"}
    sales = validate_launch_sales(path, PRODUCTS, columns=mapping)
    assert sales.source == str(path) and sales.freq == "W-LAUNCH"
    assert sales.dropped_columns == ("颜色",)
    pd.testing.assert_frame_equal(sales.frame, validate_launch_sales(_dated(), PRODUCTS).frame)
    # the same options as validate_sales: columns as text, an explicit encoding
    again = validate_launch_sales(path, PRODUCTS, "款号=sku,周=week,销量=units", encoding="gb18030")
    pd.testing.assert_frame_equal(again.frame, sales.frame)
    # errors name the file and its lines
    path.write_text("\n".join([*rows[:2], "A1,第2周,9,红", *rows[3:]]) + "\n", encoding="utf-8")
    message = _error(validate_launch_sales, path, PRODUCTS, columns=mapping)
    assert message.startswith(
        f"{path}: column 'week': 1 value is not a number: line 3 (week='第2周')"
    )
    # a date column in a file: exactly validate_sales
    dated = tmp_path / "dated.csv"
    dated.write_text("款号,日期,销量\nA1,2024-03-04,12\nB2,2024-03-07,30\nB2,2024-03-14,18\n")
    got = validate_launch_sales(
        dated, PRODUCTS, columns={"款号": "sku", "日期": "date", "销量": "units"}
    )
    assert got.freq == "W-LAUNCH" and got.source == str(dated)


def test_excel_sheet_and_date_order(tmp_path: Path) -> None:
    path = tmp_path / "launch.xlsx"
    sheet = _weeks().rename(columns={"sku": "款号", "week": "周", "units": "销量"})
    with pd.ExcelWriter(path) as book:
        pd.DataFrame({"x": [1]}).to_excel(book, sheet_name="封面", index=False)
        sheet.to_excel(book, sheet_name="新品", index=False)
    mapping = "款号=sku,周=week,销量=units"
    sales = validate_launch_sales(path, PRODUCTS, mapping, sheet="新品")
    assert sales.source == f"{path} (sheet '新品')"
    pd.testing.assert_frame_equal(sales.frame, validate_launch_sales(_weeks(), PRODUCTS).frame)
    # dates and weeks together, 04/03/2024 day-first as the option says (no day above 12)
    first = _weeks().iloc[[0, 1, 3]]
    both = first.assign(date=["04/03/2024", "11/03/2024", "07/03/2024"])
    got = validate_launch_sales(both, PRODUCTS, date_order="DMY")
    pd.testing.assert_frame_equal(got.frame, validate_launch_sales(first, PRODUCTS).frame)
    assert "date_order='DMY'" in _error(validate_launch_sales, both, PRODUCTS)


# ------------------------------------------------------------------ steps that need calendar time


def test_steps_that_need_calendar_weeks_refuse_w_launch() -> None:
    from forecasting.models import DemandForecaster
    from forecasting.timing.launch import recommend_launches
    from forecasting.timing.surges import detect_surges

    weeks = pd.DataFrame(
        {
            "sku": np.repeat(["A1", "B2"], 60),
            "week": np.tile(np.arange(1, 61), 2),
            "units": 10.0,
        }
    )
    weeks.attrs["source"] = "launch.csv"
    sales = validate_launch_sales(weeks, PRODUCTS)
    assert isinstance(sales, SalesTable) and sales.freq == "W-LAUNCH"
    message = _error(DemandForecaster(model="seasonal_naive").fit, sales)
    assert message.startswith("launch.csv: column 'date': the sales are in weeks counted from")
    assert "launch-relative weeks serve new-product forecasts" in message
    assert "the demand forecast needs calendar days or weeks" in message
    assert "give the sales dated by calendar days or by calendar weeks" in message
    message = _error(detect_surges, sales)
    assert "launch timing needs calendar days or weeks" in message
    message = _error(recommend_launches, sales, "2025-06-01", "2025-12-31")
    assert "launch timing needs calendar days or weeks" in message
    message = _error(require_daily_or_weekly, sales, "surge detection")
    assert "surge detection needs calendar days or weeks" in message
    # calendar weeks pass the guards
    calendar = validate_sales(_dated().assign(sku="A1").iloc[:3])
    require_calendar_periods(calendar)
    require_daily_or_weekly(calendar)


# --------------------------------------------------------------------------------- real data


@pytest.mark.slow
def test_visuelle_launch_weeks() -> None:
    if not VISUELLE.exists():
        pytest.skip(f"{VISUELLE} is not there")
    raw = pd.read_csv(VISUELLE, dtype={"external_code": str}).head(500)
    products = raw[["external_code", "category", "release_date"]].rename(
        columns={"external_code": "sku", "release_date": "launch_date"}
    )
    weekly = [str(i) for i in range(12)]
    long = raw.melt(
        id_vars=["external_code", "release_date"],
        value_vars=weekly,
        var_name="col",
        value_name="share",
    )
    long["units"] = (long["share"] * 1065).round()
    long["week"] = long["col"].astype(int) + 1
    by_week = long[["external_code", "week", "units"]].rename(columns={"external_code": "sku"})
    by_date = pd.DataFrame(
        {
            "sku": long["external_code"],
            "date": pd.to_datetime(long["release_date"])
            + pd.to_timedelta(7 * (long["week"] - 1), unit="D"),
            "units": long["units"],
        }
    )
    with pytest.warns(DataQualityWarning, match="3 rows have negative units"):
        from_weeks = validate_launch_sales(by_week, products)
    with pytest.warns(DataQualityWarning, match="3 rows have negative units"):
        from_dates = validate_launch_sales(by_date, products)
    assert from_weeks.freq == from_dates.freq == "W-LAUNCH"
    assert from_weeks.filled_periods == from_dates.filled_periods == 0
    pd.testing.assert_frame_equal(from_weeks.frame, from_dates.frame)
    frame = from_weeks.frame
    assert len(frame) == 500 * 12 and frame["sku"].nunique() == 500
    assert frame["units"].sum() == pytest.approx(long["units"].sum())
    weekdays = frame.groupby("sku")["date"].agg(lambda d: d.dt.day_of_week.nunique())
    assert (weekdays == 1).all()
    assert frame["date"].dt.day_of_week.nunique() == 7  # launches on every weekday
    assert infer_frequency(frame) == "W-LAUNCH"
