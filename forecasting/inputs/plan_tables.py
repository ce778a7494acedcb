"""Readers of the planning tables: stores, products (past launches or new styles) and judgments.

They follow the conventions of :mod:`forecasting.inputs.readers` (which re-exports them): a path or
DataFrame, a
``columns`` mapping, canonical dtypes, :class:`~forecasting.exceptions.DataValidationError` naming
the file, column and rows. Cross-checks: a store without sales history is a warning (a new store is
normal); a judgment for an unknown sku or store is an error (almost always a typo that would drop an
estimate).

Examples
--------
>>> import pandas as pd
>>> read_stores(pd.DataFrame({"store": ["a", "b"]}))["strategic"].tolist()
[False, False]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from forecasting.inputs.tables import (
    Columns,
    Source,
    apply_columns,
    finite_numbers,
    id_column,
    parse_bools,
    parse_dates,
    read_table,
    require_rows,
)
from forecasting.inputs.validation import (
    check_known,
    check_required,
    check_unique,
    data_error,
    data_warning,
)

__all__ = [
    "JUDGMENT_COLUMNS",
    "PRODUCT_COLUMNS",
    "STORE_COLUMNS",
    "read_judgments",
    "read_products",
    "read_stores",
]

STORE_COLUMNS = (
    "store",
    "region",
    "grade",
    "strategic",
    "min_units",
    "max_units",
    "open_date",
    "close_date",
)
PRODUCT_COLUMNS = ("sku", "category", "launch_date", "price", "unit_cost", "salvage_value")
JUDGMENT_COLUMNS = ("sku", "forecaster", "units", "horizon_weeks", "store")


def _known(reference: pd.DataFrame | Iterable[str], column: str) -> set[str]:
    if isinstance(reference, pd.DataFrame):
        if column not in reference.columns:
            return set()
        return set(reference[column].dropna().astype("str"))
    return {str(v) for v in reference}


def _optional_numbers(
    raw: pd.DataFrame, out: pd.DataFrame, names: Iterable[str], label: str
) -> None:
    for col in names:
        if col in raw.columns:
            out[col] = finite_numbers(
                raw,
                col,
                label,
                allow_blank=True,
                minimum=0.0,
                fix=f"write {col} as a plain non-negative number, or leave it blank",
            )


def _finish(
    out: pd.DataFrame, raw: pd.DataFrame, canonical: tuple[str, ...], label: str
) -> pd.DataFrame:
    for col in raw.columns:
        if col not in out.columns and col not in canonical:
            extra = raw[col]
            out[col] = (
                extra.astype("str").where(extra.notna())
                if not (
                    pd.api.types.is_numeric_dtype(extra)
                    or pd.api.types.is_datetime64_any_dtype(extra)
                )
                else extra
            )
    out = out.reset_index(drop=True)
    out.attrs = {"source": label}
    return out


def read_stores(
    source: Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    sales: pd.DataFrame | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read and validate the stores table (one row per store).

    Parameters
    ----------
    source : path or DataFrame
        The table; ``store`` is required.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``.
    sheet : str or int, optional
        Excel sheet.
    sales : DataFrame or iterable of str, optional
        Sales (or their store ids): a store without sales history gets a
        :class:`~forecasting.inputs.DataQualityWarning` (a new store is legitimate).

    Returns
    -------
    DataFrame
        ``store`` (str), ``region``/``grade`` (str, when given), ``strategic`` (bool, default
        False), ``min_units`` (float, blank = 0: no presentation minimum), ``max_units`` (float,
        blank = NaN: no cap), ``open_date``/``close_date`` (datetime64, when given), then any other
        columns as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"门店": ["SH01", "BJ02"], "重点": ["是", "否"], "陈列": [120, None]})
    >>> mapping = {"门店": "store", "重点": "strategic", "陈列": "min_units"}
    >>> stores = read_stores(raw, columns=mapping)
    >>> stores[["store", "strategic", "min_units", "max_units"]].values.tolist()
    [['SH01', True, 120.0, nan], ['BJ02', False, 0.0, nan]]
    """
    raw = apply_columns(read_table(source, sheet=sheet, name="stores"), columns, None, "stores")
    label = str(raw.attrs["source"])
    check_required(raw, ["store"], label, "stores")
    require_rows(raw, label)
    out = pd.DataFrame(index=raw.index)
    out["store"] = id_column(raw, "store", label)
    check_unique(raw.assign(store=out["store"]), ["store"], label, "keep one row per store")
    for col in ("region", "grade"):
        if col in raw.columns:
            out[col] = id_column(raw, col, label, required=False)
    out["strategic"] = parse_bools(raw, "strategic", label) if "strategic" in raw.columns else False
    _optional_numbers(raw, out, ("min_units", "max_units"), label)
    out["min_units"] = out["min_units"].fillna(0.0) if "min_units" in out.columns else 0.0
    if "max_units" not in out.columns:
        out["max_units"] = np.nan
    both = raw.assign(min_units=out["min_units"], max_units=out["max_units"])
    crossed = (out["min_units"] > out["max_units"]).to_numpy()
    if crossed.any():
        raise data_error(
            label,
            "min_units",
            "the presentation minimum is above the cap",
            "lower min_units or raise max_units",
            both,
            crossed,
            show=["store", "min_units", "max_units"],
        )
    for col in ("open_date", "close_date"):
        if col in raw.columns:
            out[col] = parse_dates(raw, col, label, allow_blank=True)
    if "open_date" in out.columns and "close_date" in out.columns:
        bad = (out["close_date"] < out["open_date"]).to_numpy()
        if bad.any():
            raise data_error(
                label,
                "close_date",
                "a store closes before it opens",
                "swap or correct the dates",
                raw.assign(**out),
                bad,
                show=["store", "open_date", "close_date"],
            )
    if sales is not None:
        check_known(
            out["store"],
            _known(sales, "store"),
            label,
            "store",
            "the sales history",
            action="warn",
            fix="nothing if these are new stores (they have no history to "
            "learn from); otherwise correct the store ids",
            frame=raw.assign(**out),
        )
    return _finish(out, raw, STORE_COLUMNS, label)


def read_products(
    source: Source | object, columns: Columns = None, *, sheet: str | int | None = None
) -> pd.DataFrame:
    """Read and validate a products table (past launches or the plan of new styles).

    Parameters
    ----------
    source : path or DataFrame
        The table; ``sku`` and ``category`` are required, every other column is kept as an
        attribute.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``; any target name is allowed (attributes).
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    DataFrame
        ``sku``, ``category`` (str), ``launch_date`` (datetime64, when given), ``price``,
        ``unit_cost``, ``salvage_value`` (float, blank = NaN, when given), then the attributes (text
        stays ``str``). ``salvage_value`` must be below ``unit_cost``; a ``unit_cost`` not below
        ``price`` is a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"款号": ["A1"], "品类": ["knit"], "颜色": ["red"], "price": ["399"]})
    >>> products = read_products(raw, columns={"款号": "sku", "品类": "category", "颜色": "colour"})
    >>> products.columns.tolist(), products["price"].tolist()
    (['sku', 'category', 'price', 'colour'], [399.0])
    """
    raw = apply_columns(read_table(source, sheet=sheet, name="products"), columns, None, "products")
    label = str(raw.attrs["source"])
    check_required(raw, ["sku", "category"], label, "products")
    require_rows(raw, label)
    out = pd.DataFrame(index=raw.index)
    out["sku"] = id_column(raw, "sku", label)
    check_unique(raw.assign(sku=out["sku"]), ["sku"], label, "keep one row per sku")
    out["category"] = id_column(raw, "category", label)
    if "launch_date" in raw.columns:
        out["launch_date"] = parse_dates(raw, "launch_date", label, allow_blank=True)
    _optional_numbers(raw, out, ("price", "unit_cost", "salvage_value"), label)
    view = raw.assign(**out)
    if "unit_cost" in out.columns and "salvage_value" in out.columns:
        bad = (out["salvage_value"] >= out["unit_cost"]).to_numpy()
        if bad.any():
            raise data_error(
                label,
                "salvage_value",
                "the salvage value is not below the unit cost (every unit bought would pay off)",
                "check the costs of these skus",
                view,
                bad,
                show=["sku", "unit_cost", "salvage_value"],
            )
    if "unit_cost" in out.columns and "price" in out.columns:
        loss = (out["unit_cost"] >= out["price"]).to_numpy()
        if loss.any():
            data_warning(
                label,
                "unit_cost",
                "the unit cost is not below the price (no margin)",
                "check the prices; the depth of these skus will be their minimum",
                view,
                loss,
                show=["sku", "price", "unit_cost"],
            )
    return _finish(out, raw, PRODUCT_COLUMNS, label)


def read_judgments(
    source: Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    products: pd.DataFrame | Iterable[str] | None = None,
    stores: pd.DataFrame | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read and validate planners' and sales staff's estimates (one row per sku and forecaster).

    Parameters
    ----------
    source : path or DataFrame
        ``sku``, ``forecaster`` and ``units`` (expected sales over ``horizon_weeks`` weeks after
        launch) are required; ``horizon_weeks`` and ``store`` are optional.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``.
    sheet : str or int, optional
        Excel sheet.
    products : DataFrame or iterable of str, optional
        Known skus: a judgment for another sku is an error.
    stores : DataFrame or iterable of str, optional
        Known stores (a stores table or sales): a judgment for another store is an error.

    Returns
    -------
    DataFrame
        ``sku``, ``forecaster`` (str), ``units`` (float >= 0), ``horizon_weeks`` (int, when given),
        ``store`` (str, when given), then other columns as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"sku": ["A1", "A1"], "forecaster": ["wang", "li"], "units": [900, 1100],
    ...                     "horizon_weeks": [8, 8]})
    >>> read_judgments(raw, products=["A1"])["units"].tolist()
    [900.0, 1100.0]
    """
    raw = apply_columns(
        read_table(source, sheet=sheet, name="judgments"), columns, None, "judgments"
    )
    label = str(raw.attrs["source"])
    check_required(raw, ["sku", "forecaster", "units"], label, "judgments")
    require_rows(raw, label)
    out = pd.DataFrame(index=raw.index)
    for col in ("sku", "forecaster", "store"):
        if col in raw.columns:
            out[col] = id_column(raw, col, label)
    out["units"] = finite_numbers(
        raw,
        "units",
        label,
        minimum=0.0,
        fix="write each estimate as a plain non-negative number of units",
    )
    if "horizon_weeks" in raw.columns:
        weeks = finite_numbers(
            raw,
            "horizon_weeks",
            label,
            minimum=1.0,
            fix="write the horizon as a whole number of weeks (e.g. 8)",
        )
        fractional = (weeks % 1 != 0).to_numpy()
        if fractional.any():
            raise data_error(
                label,
                "horizon_weeks",
                "the horizon is not a whole number of weeks",
                "write whole weeks (e.g. 8)",
                raw,
                fractional,
            )
        out["horizon_weeks"] = weeks.astype("int64")
    keys = [c for c in ("sku", "store", "forecaster") if c in out.columns]
    check_unique(
        raw.assign(**out[keys]),
        keys,
        label,
        "keep one estimate per forecaster (and store) for each sku",
        column="forecaster",
    )
    out = out[[c for c in JUDGMENT_COLUMNS if c in out.columns]]
    view = raw.assign(**out)
    if products is not None:
        check_known(out["sku"], _known(products, "sku"), label, "sku", "the products", frame=view)
    if stores is not None and "store" in out.columns:
        check_known(out["store"], _known(stores, "store"), label, "store", "the stores", frame=view)
    out = _finish(out, raw, JUDGMENT_COLUMNS, label)
    return out
