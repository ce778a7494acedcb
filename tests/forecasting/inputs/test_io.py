"""Readers: round trips through CSV, Parquet and Excel with Chinese column names, daily and weekly;
encodings; frequency; the missing-period policy; duplicates; idempotence."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import infer_frequency
from forecasting.inputs.readers import (
    as_sales,
    parse_columns,
    read_inputs,
    read_judgments,
    read_products,
    read_sales,
    read_stores,
    sales_frequency,
    validate_sales,
)
from forecasting.inputs.validation import DataQualityWarning

ZH = {
    "销售日期": "date",
    "门店": "store",
    "款号": "sku",
    "销量": "units",
    "单价": "price",
    "缺货": "stockout",
}


def _chinese_sales(freq: str) -> pd.DataFrame:
    dates = pd.date_range("2011-09-02", periods=6, freq=freq)
    rows = []
    for store in ("上海01", "北京02"):
        for sku in ("007", "AW12-1"):
            for i, d in enumerate(dates):
                rows.append(
                    {
                        "销售日期": d.strftime("%Y-%m-%d"),
                        "门店": store,
                        "款号": sku,
                        "销量": 10.5 + i,
                        "单价": 399.0,
                        "缺货": "是" if i == 3 else "否",
                    }
                )
    return pd.DataFrame(rows)


def _write(frame: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_excel(path, sheet_name="销售", index=False)


@pytest.mark.parametrize("freq, expected", [("D", "D"), ("W-FRI", "W-FRI"), ("W-SUN", "W-SUN")])
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_round_trip_with_chinese_columns(
    tmp_path: Path, suffix: str, freq: str, expected: str
) -> None:
    raw = _chinese_sales(freq)
    path = tmp_path / f"销售{suffix}"
    _write(raw, path)
    sheet = "销售" if suffix == ".xlsx" else None
    sales = read_sales(path, columns=ZH, sheet=sheet)
    assert list(sales.columns) == ["date", "store", "sku", "units", "price", "stockout"]
    assert sales.attrs["freq"] == expected and sales.attrs["source"].startswith(str(path))
    assert sales["date"].dtype == "datetime64[ns]"
    assert sales["units"].dtype == "float64" and sales["price"].dtype == "float64"
    assert sales["stockout"].dtype == bool and int(sales["stockout"].sum()) == 4
    assert pd.api.types.is_string_dtype(sales["store"]) and pd.api.types.is_string_dtype(
        sales["sku"]
    )
    assert set(sales["sku"]) == {"007", "AW12-1"}  # leading zeros kept
    assert sales["units"].sum() == pytest.approx(raw["销量"].sum())
    # sorted by keys then date
    assert sales.equals(sales.sort_values(["store", "sku", "date"], ignore_index=True))
    # writing the canonical table and reading it back gives the same table
    again = tmp_path / f"again{suffix}"
    _write(sales, again)
    back = read_sales(again, sheet="销售" if suffix == ".xlsx" else None)
    pd.testing.assert_frame_equal(back, sales)


def test_gbk_csv_and_other_separators(tmp_path: Path) -> None:
    text = "销售日期;门店;销量\n2012-03-05;杭州;1,200\n2012-03-06;杭州;3\n"
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gbk"))
    # '1,200' in a ';'-file could be 1.2 or 1200: the reader asks, and reads it once told
    with pytest.raises(DataValidationError, match="decimal"):
        read_sales(path, columns="销售日期=date;门店=store;销量=units")
    sales = read_sales(path, columns="销售日期=date;门店=store;销量=units", decimal=".")
    assert sales["store"].tolist() == ["杭州", "杭州"] and sales["units"].tolist() == [1200.0, 3.0]
    plain = tmp_path / "utf8.csv"
    plain.write_text("日期,门店,销量\n2012-03-05,杭州,7\n", encoding="utf-8")  # no BOM
    assert read_sales(plain, columns="日期=date,门店=store,销量=units")["store"].tolist() == [
        "杭州"
    ]
    tab = tmp_path / "tab.txt"
    tab.write_text("date\tunits\n2012年3月5日\t4\n2012/3/6\t5\n", encoding="utf-8")
    assert read_sales(tab)["date"].dt.day.tolist() == [5, 6]


def test_dates_as_index_and_case_insensitive_names() -> None:
    frame = pd.DataFrame(
        {"Units": [1, 2]}, index=pd.DatetimeIndex(["2012-01-01", "2012-01-02"], name="date")
    )
    sales = read_sales(frame)
    assert sales["units"].tolist() == [1.0, 2.0] and sales.attrs["freq"] == "D"


def test_integer_dates_and_excel_datetimes(tmp_path: Path) -> None:
    assert read_sales(pd.DataFrame({"date": [20120105, 20120106], "units": [1, 2]}))[
        "date"
    ].dt.day.tolist() == [5, 6]
    path = tmp_path / "x.xlsx"
    pd.DataFrame({"date": pd.to_datetime(["2012-01-06", "2012-01-13"]), "units": [1, 2]}).to_excel(
        path, index=False
    )
    assert read_sales(path).attrs["freq"] == "W-FRI"


def test_missing_periods_are_zero_filled_inside_each_series_only() -> None:
    raw = pd.DataFrame(
        {
            "date": ["2012-01-01", "2012-01-04", "2012-01-02", "2012-01-03"],
            "store": ["a", "a", "b", "b"],
            "units": [1, 4, 2, 3],
            "stockout": [False, True, False, False],
        }
    )
    sales = read_sales(raw)
    a = sales[sales["store"] == "a"]
    assert a["date"].dt.day.tolist() == [1, 2, 3, 4]
    assert a["units"].tolist() == [1.0, 0.0, 0.0, 4.0]
    assert a["stockout"].tolist() == [False, False, False, True]  # the user's flag is kept
    b = sales[sales["store"] == "b"]
    assert b["date"].dt.day.tolist() == [2, 3]  # nothing invented outside b's span
    assert sales.attrs["filled_periods"] == 2
    assert read_sales(raw, fill_missing=False).shape[0] == 4


def test_fill_keeps_attributes_of_the_series() -> None:
    raw = pd.DataFrame(
        {
            "date": pd.to_datetime(["2012-01-06", "2012-01-27"]),
            "store": ["a", "a"],
            "region": ["east", "east"],
            "units": [1.0, 2.0],
            "price": [9.0, 9.0],
        }
    )
    sales = read_sales(raw)
    assert sales.attrs["freq"] == "W-FRI"
    assert sales["region"].tolist() == ["east"] * 4
    assert sales["price"].isna().tolist() == [False, True, True, False]
    assert sales["units"].sum() == 3.0  # units are never invented


def test_fill_is_vectorised_on_a_large_panel() -> None:
    rng = np.random.default_rng(0)
    weeks = pd.date_range("2010-02-05", periods=143, freq="W-FRI")
    stores = np.repeat([f"s{i}" for i in range(3000)], len(weeks))
    frame = pd.DataFrame(
        {"date": np.tile(weeks, 3000), "store": stores, "units": rng.gamma(2.0, 10.0, len(stores))}
    )
    frame = frame.sample(frac=0.95, random_state=1)  # 5 % of the weeks missing
    sales = read_sales(frame)
    again = read_sales(sales)
    assert sales["units"].sum() == pytest.approx(frame["units"].sum())
    steps = sales.groupby("store")["date"].diff().dropna()
    assert (steps == pd.Timedelta(days=7)).all()  # every week missing inside a series is filled
    assert again.equals(sales) and again.attrs["freq"] == "W-FRI"


def test_read_sales_is_idempotent_and_does_not_modify_its_input() -> None:
    raw = pd.DataFrame({"date": ["2012-01-02", "2012-01-01"], "units": ["3", "4"]})
    before = raw.copy()
    once = read_sales(raw)
    twice = read_sales(once)
    pd.testing.assert_frame_equal(raw, before)
    pd.testing.assert_frame_equal(once, twice)
    assert twice.attrs == once.attrs
    assert once["units"].tolist() == [4.0, 3.0]  # sorted by date


def test_canonical_frame_that_was_edited_is_validated_again() -> None:
    sales = read_sales(pd.DataFrame({"date": ["2012-01-01", "2012-01-02"], "units": [1.0, 2.0]}))
    broken = sales.copy()
    broken.loc[1, "units"] = np.inf
    with pytest.raises(DataValidationError, match="infinite"):
        read_sales(broken)
    unsorted = sales.iloc[::-1]
    assert read_sales(unsorted)["units"].tolist() == [1.0, 2.0]


def test_sales_frequency_recovers_lost_attrs() -> None:
    sales = read_sales(
        pd.DataFrame({"date": pd.date_range("2012-01-01", periods=4, freq="W-WED"), "units": 1.0})
    )
    assert sales_frequency(sales) == "W-WED"
    stripped = sales.copy()
    stripped.attrs = {}
    assert sales_frequency(stripped) == "W-WED"
    assert sales_frequency(pd.concat([stripped, stripped.assign(units=2.0)]).iloc[:4]) == "W-WED"


def test_daily_series_with_gaps_stays_daily_and_weekly_series_with_gaps_stays_weekly() -> None:
    daily = pd.DataFrame(
        {"date": pd.to_datetime(["2012-01-01", "2012-01-02", "2012-01-09"]), "units": 1.0}
    )
    assert infer_frequency(daily) == "D"
    weekly = pd.DataFrame(
        {"date": pd.to_datetime(["2012-01-06", "2012-01-20", "2012-02-10"]), "units": 1.0}
    )
    assert infer_frequency(weekly) == "W-FRI"
    assert (
        read_sales(pd.DataFrame({"date": ["2012-01-01"], "units": [1]}), freq="w").attrs["freq"]
        == "W-SUN"
    )
    with pytest.raises(DataValidationError, match="freq: 'H'"):
        read_sales(daily, freq="H")
    with pytest.raises(DataValidationError, match="3 dates are not the last day of a month"):
        read_sales(daily, freq="M")  # monthly (month ends): the dates say otherwise


def test_duplicates_sum() -> None:
    raw = pd.DataFrame(
        {
            "date": ["2012-01-01"] * 3,
            "store": ["a", "a", "b"],
            "units": [1, 2, 5],
            "price": [10.0, 20.0, 7.0],
            "stockout": [False, True, False],
        }
    )
    sales = read_sales(raw, duplicates="sum")
    assert sales["units"].tolist() == [3.0, 5.0]
    assert sales["stockout"].tolist() == [True, False]
    assert sales["price"].tolist() == [15.0, 7.0]
    with pytest.raises(DataValidationError, match="duplicates='sum'"):
        read_sales(raw)


def test_negative_units_are_kept_and_reported_once() -> None:
    raw = pd.DataFrame({"date": ["2012-01-01", "2012-01-02"], "units": [5, -2]})
    with pytest.warns(DataQualityWarning, match=r"1 row has negative units.*units=-2\.0"):
        sales = validate_sales(raw)
    assert sales.frame["units"].tolist() == [5.0, -2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        as_sales(sales)  # already reported: entry points given the validated table stay quiet


def test_extra_columns_are_dropped_and_listed() -> None:
    sales = read_sales(pd.DataFrame({"date": ["2012-01-01"], "units": [1], "备注": ["x"]}))
    assert list(sales.columns) == ["date", "units"]
    assert sales.attrs["dropped_columns"] == ["备注"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("销售日期=date,门店=store", {"销售日期": "date", "门店": "store"}),
        ("Qty:units; Shop : store", {"Qty": "units", "Shop": "store"}),
        ('{"数量": "units"}', {"数量": "units"}),
        ({"a": "units"}, {"a": "units"}),
        (None, {}),
    ],
)
def test_parse_columns_text_forms(spec: object, expected: dict[str, str]) -> None:
    assert parse_columns(spec) == expected  # type: ignore[arg-type]


def test_parse_columns_files(tmp_path: Path) -> None:
    as_json = tmp_path / "map.json"
    as_json.write_text('{"销量": "units", "门店": "store"}', encoding="utf-8")
    as_csv = tmp_path / "map.csv"
    as_csv.write_text("source,canonical\n销量,units\n门店,store\n", encoding="utf-8")
    assert (
        parse_columns(str(as_json)) == parse_columns(as_csv) == {"销量": "units", "门店": "store"}
    )
    with pytest.raises(DataValidationError, match="cannot read the pair"):
        parse_columns("销量=units,门店")
    with pytest.raises(FileNotFoundError, match="no such mapping file"):
        parse_columns(str(tmp_path / "missing.json"))


def test_stores_products_judgments_with_chinese_columns(tmp_path: Path) -> None:
    stores_path = tmp_path / "门店.xlsx"
    pd.DataFrame(
        {
            "门店": ["上海01", "北京02"],
            "等级": ["A", "B"],
            "重点": ["是", ""],
            "最低陈列": [120, None],
            "上限": [None, 80],
            "开业日期": ["2010-05-01", None],
        }
    ).to_excel(stores_path, index=False)
    stores = read_stores(
        stores_path,
        columns={
            "门店": "store",
            "等级": "grade",
            "重点": "strategic",
            "最低陈列": "min_units",
            "上限": "max_units",
            "开业日期": "open_date",
        },
    )
    assert stores["strategic"].tolist() == [True, False]
    assert stores["min_units"].tolist() == [120.0, 0.0]
    assert stores["max_units"].isna().tolist() == [True, False]
    assert stores["open_date"].iloc[0] == pd.Timestamp("2010-05-01")
    products_path = tmp_path / "新品.parquet"
    pd.DataFrame(
        {
            "款号": ["007"],
            "品类": ["针织"],
            "颜色": ["红"],
            "吊牌价": [399],
            "成本": [150],
            "残值": [110],
        }
    ).to_parquet(products_path)
    products = read_products(
        products_path,
        columns={
            "款号": "sku",
            "品类": "category",
            "吊牌价": "price",
            "成本": "unit_cost",
            "残值": "salvage_value",
        },
    )
    assert products.iloc[0][["sku", "category", "颜色"]].tolist() == ["007", "针织", "红"]
    assert products[["price", "unit_cost", "salvage_value"]].dtypes.eq("float64").all()
    judgments = read_judgments(
        pd.DataFrame(
            {
                "款号": ["007", "007"],
                "预测人": ["王", "李"],
                "数量": ["900", "1,100"],
                "周数": [8, 8],
            }
        ),
        columns={"款号": "sku", "预测人": "forecaster", "数量": "units", "周数": "horizon_weeks"},
        products=products,
    )
    assert judgments["units"].tolist() == [900.0, 1100.0]
    assert judgments["horizon_weeks"].dtype == "int64"


def test_store_without_sales_history_is_a_warning() -> None:
    sales = read_sales(pd.DataFrame({"date": ["2012-01-01"], "store": ["a"], "units": [1]}))
    with pytest.warns(DataQualityWarning, match=r"unknown to the sales history \('b'\): row 1"):
        stores = read_stores(pd.DataFrame({"store": ["a", "b"]}), sales=sales)
    assert stores["store"].tolist() == ["a", "b"]


def test_unit_cost_above_price_is_an_error_and_equal_a_warning() -> None:
    with pytest.raises(DataValidationError, match=r"unit cost is above the price.*sku='a'"):
        read_products(
            pd.DataFrame({"sku": ["a"], "category": ["c"], "price": [10], "unit_cost": [12]})
        )
    with pytest.warns(DataQualityWarning, match="no margin"):
        read_products(
            pd.DataFrame({"sku": ["a"], "category": ["c"], "price": [10], "unit_cost": [10]})
        )


def test_read_inputs_routes_one_mapping_and_excel_sheets(tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"门店": ["a", "b"], "grade": ["A", "B"]}).to_excel(
            writer, sheet_name="门店", index=False
        )
        pd.DataFrame({"款号": ["P1"], "category": ["knit"]}).to_excel(
            writer, sheet_name="新品", index=False
        )
    sales = pd.DataFrame(
        {"日期": ["2012-01-01", "2012-01-01"], "门店": ["a", "b"], "units": [1, 2]}
    )
    got = read_inputs(
        sales=sales,
        stores=f"{book}#门店",
        products=f"{book}#新品",
        columns="日期=date,门店=store,款号=sku",
    )
    assert got.sales is not None and got.stores is not None and got.products is not None
    assert got.stores.frame["store"].tolist() == ["a", "b"]
    assert got.products.frame["sku"].tolist() == ["P1"]
    assert got.judgments is None


def test_planning_readers_are_idempotent() -> None:
    from forecasting.inputs.demo import load_demo

    demo = load_demo()
    pd.testing.assert_frame_equal(read_stores(demo.stores), demo.stores)
    pd.testing.assert_frame_equal(read_products(demo.products), demo.products)
    pd.testing.assert_frame_equal(read_judgments(demo.judgments), demo.judgments)
    dated = read_stores(
        pd.DataFrame(
            {"store": ["a", "b"], "open_date": ["2010-01-01", None], "城市": ["上海", None]}
        )
    )
    pd.testing.assert_frame_equal(read_stores(dated), dated)
    launches = read_products(
        pd.DataFrame(
            {"sku": ["a"], "category": ["c"], "launch_date": ["2012-09-03"], "weight": [1.5]}
        )
    )
    pd.testing.assert_frame_equal(read_products(launches), launches)


def test_blank_rows_and_columns_of_spreadsheets_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("date,units,\n2012-01-01,1,\n,,\n2012-01-02,x,\n,,\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"line 4 \(units='x'\)"):  # line numbers kept
        read_sales(path)
    path.write_text("date,units,\n2012-01-01,1,\n,,\n2012-01-02,2,\n,,\n", encoding="utf-8")
    assert read_sales(path)["units"].tolist() == [1.0, 2.0]


def test_a_series_switching_from_daily_to_weekly_rows_is_mixed() -> None:
    days = list(pd.date_range("2012-01-01", periods=10, freq="D"))
    weeks = list(pd.date_range("2012-01-17", periods=5, freq="7D"))
    with pytest.raises(DataValidationError, match="mixed frequencies") as info:
        read_sales(pd.DataFrame({"date": days + weeks, "store": "a", "units": 1.0}))
    assert "date=2012-01-24" in str(info.value)


def test_a_remembered_frequency_that_no_longer_fits_is_inferred_again() -> None:
    days = pd.date_range("2012-01-02", periods=28, freq="D")
    daily = read_sales(pd.DataFrame({"date": days, "store": "a", "units": 1.0}))
    mondays = daily[daily["date"].dt.day_of_week == 0]
    assert mondays.attrs.get("freq") == "D"  # pandas kept the attrs through the filter
    weekly = read_sales(mondays)
    assert weekly.attrs["freq"] == "W-MON" and len(weekly) == 4  # no zero days invented


def test_sheet_in_the_path(tmp_path: Path) -> None:
    book = tmp_path / "销售.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"x": [1]}).to_excel(writer, sheet_name="说明", index=False)
        pd.DataFrame({"date": ["2012-01-02"], "units": [3]}).to_excel(
            writer, sheet_name="日销", index=False
        )
    sales = read_sales(f"{book}#日销")
    assert sales["units"].tolist() == [3.0] and "(sheet '日销')" in sales.attrs["source"]
