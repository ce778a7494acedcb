"""Tables checked against each other: ids written differently, stores missing, launch dates."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import (
    DataQualityWarning,
    read_inputs,
    validate_products,
    validate_sales,
    validate_stores,
)
from forecasting.inputs.crosscheck import (
    check_launch_dates,
    check_store_ids,
    normalised_ids,
)


def _sales(stores: list[object], last: str = "2011-12-31") -> pd.DataFrame:
    days = pd.date_range(end=last, periods=3)
    return pd.DataFrame(
        {
            "date": [d for _ in stores for d in days],
            "store": [s for s in stores for _ in days],
            "units": 1.0,
        }
    )


def _said(run) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
    return [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)]


@pytest.mark.parametrize(
    ("in_sales", "in_stores"),
    [
        (["001", "002", "003"], ["1", "2", "3"]),  # leading zeros
        (["1", "2", "3"], [1.0, 2.0, 3.0]),  # floats from Excel: equal, no error
        (["SH-01", "SH-02", "BJ-01"], ["sh01", "sh02", "bj01"]),  # case and dashes
    ],
)
def test_ids_that_differ_only_in_format(in_sales, in_stores) -> None:
    sales = validate_sales(_sales(in_sales))
    stores = validate_stores(pd.DataFrame({"store": in_stores}))
    if [str(s) for s in in_sales] == list(stores.frame["store"]):
        assert _said(lambda: check_store_ids(sales, stores)) == []
        return
    with pytest.raises(DataValidationError, match="3 store ids of the sales are written"):
        check_store_ids(sales, stores)


def test_ids_with_spaces_match_after_reading() -> None:
    inputs = read_inputs(sales=_sales([" A", "B "]), stores=pd.DataFrame({"store": ["A", "B"]}))
    assert set(inputs.sales.frame["store"]) == {"A", "B"}


def test_a_store_that_sold_but_is_not_listed_is_named_with_its_last_sale() -> None:
    sales = validate_sales(
        pd.concat([_sales(["A", "B"]), _sales(["C"], last="2011-06-30")], ignore_index=True)
    )
    stores = validate_stores(pd.DataFrame({"store": ["A", "B", "D"]}))
    said = _said(lambda: check_store_ids(sales, stores))
    assert len(said) == 2
    assert "1 store sold but is not in the stores table, so it gets no units" in said[0]
    assert "'C' (last sale 2011-06-30)" in said[0]
    assert "unknown to the sales history: 'D'" in said[1]


def test_a_twin_that_has_its_own_sales_is_not_a_format_difference() -> None:
    # '01' and '1' both sold: two stores, one of them missing from the stores table
    sales = validate_sales(_sales(["01", "1"]))
    stores = validate_stores(pd.DataFrame({"store": ["1"]}))
    said = _said(lambda: check_store_ids(sales, stores))
    assert len(said) == 1 and "'01'" in said[0]


def test_normalised_ids() -> None:
    got = normalised_ids(pd.Series(["007", "7.0", " 7", "S-007", "s_7", "70"])).tolist()
    assert got == ["7", "7", "7", "s7", "s7", "70"]


def test_launch_dates_outside_the_season_or_before_the_planning_date() -> None:
    products = validate_products(
        pd.DataFrame(
            {
                "sku": ["A", "B", "C"],
                "category": "coat",
                "launch_date": ["2012-09-01", None, "2011-12-20"],
            }
        )
    )
    outside = r"launched: 'C' \(2011-12-20\) outside the season"
    with pytest.raises(DataValidationError, match=outside):
        check_launch_dates(products, ("2012-01-01", "2012-12-31"))
    early = r"'C' \(2011-12-20\) before the planning date 2012-01-01"
    with pytest.raises(DataValidationError, match=early):
        check_launch_dates(products, None, as_of="2012-01-01")
    check_launch_dates(products, ("2011-12-01", "2012-12-31"), as_of="2011-12-01")
