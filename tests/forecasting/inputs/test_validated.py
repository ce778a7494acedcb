"""Validated tables: validated once, carried with their frequency; attrs decide nothing."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import (
    JudgmentsTable,
    ProductsTable,
    SalesTable,
    StoresTable,
    as_judgments,
    as_products,
    as_sales,
    as_stores,
    load_demo,
    read_inputs,
    read_sales,
    sales_frequency,
    validate_judgments,
    validate_products,
    validate_sales,
    validate_stores,
)
from forecasting.timing import detect_surges


def test_a_given_frequency_is_carried_not_re_read() -> None:
    one_week = pd.DataFrame({"date": ["2012-01-06"], "store": ["a"], "units": [3]})
    sales = validate_sales(one_week, freq="W-FRI")
    assert sales.freq == "W-FRI" and sales.keys == ("store",)
    assert as_sales(sales) is sales and sales_frequency(sales) == "W-FRI"
    # a lone date says nothing about weeks: the frame alone is read as daily
    assert sales_frequency(sales.frame) == "D"


def test_attrs_neither_skip_validation_nor_give_the_frequency() -> None:
    days = pd.date_range("2012-01-02", periods=14, freq="D")
    frame = read_sales(pd.DataFrame({"date": days, "units": 1.0}))
    frame.attrs["freq"] = "W-MON"  # wrong on purpose
    assert validate_sales(frame).freq == "D"
    assert sales_frequency(frame) == "D"
    broken = frame.copy()
    broken.loc[3, "units"] = -1.0
    with pytest.warns(UserWarning, match="negative units"):
        validate_sales(broken)  # a DataFrame is always validated, whatever its attrs say


def test_a_validated_table_is_not_validated_again_downstream() -> None:
    days = pd.date_range("2009-01-01", "2011-12-31")
    raw = pd.DataFrame({"date": days, "units": 100.0})
    raw.loc[10, "units"] = -5.0
    with pytest.warns(UserWarning, match="negative units"):
        sales = validate_sales(raw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        detect_surges(sales)  # would warn again if it validated the sales


def test_until_keeps_a_first_part_of_every_series() -> None:
    days = pd.date_range("2012-01-01", periods=6, freq="D")
    raw = pd.DataFrame({"date": list(days) * 2, "store": ["a"] * 6 + ["b"] * 6, "units": 1.0})
    sales = validate_sales(raw)
    head = sales.until("2012-01-03")
    assert head.freq == "D" and head.keys == ("store",) and head.source == sales.source
    assert head.frame.groupby("store").size().tolist() == [3, 3]
    pd.testing.assert_frame_equal(validate_sales(head).frame, head.frame)


def test_planning_tables_pass_through_and_are_cross_checked_once() -> None:
    demo = load_demo()
    stores = validate_stores(demo.stores)
    products = validate_products(demo.products)
    judgments = validate_judgments(demo.judgments, products=products)
    assert isinstance(stores, StoresTable) and as_stores(stores) is stores
    assert isinstance(products, ProductsTable) and as_products(products) is products
    assert isinstance(judgments, JudgmentsTable) and as_judgments(judgments) is judgments
    got = read_inputs(stores=stores, products=products, judgments=judgments)
    assert got.stores is stores and got.products is products and got.judgments is judgments
    sales = validate_sales(demo.sales)
    assert isinstance(sales, SalesTable) and read_inputs(sales=sales).sales is sales
    with pytest.raises(DataValidationError, match="unknown to the products"):
        read_inputs(
            products=products, judgments=demo.judgments.replace({"sku": {"SS12-WB01": "x"}})
        )
