"""Reading and checking the inputs of :func:`forecasting.allocation.allocate`.

* ``quantity``: an int (one product) or a table ``sku``, ``units`` (whole, >= 0 units per product);
* ``demand``: ``store``, ``mean`` (>= 0), optional ``sd`` (>= 0; blank = Poisson), optional ``sku``
  (without it the same store demand applies to every product) and optional ``exclude`` (yes/no: the
  store does not carry that product);
* ``stores`` (:func:`forecasting.inputs.validate_stores`): ``min_units`` (presentation minimum),
  ``max_units`` (cap, 0 excludes the store), ``grade`` (the order in which soft minimums are kept).

Examples
--------
>>> import pandas as pd
>>> demand = read_demand(pd.DataFrame({"store": ["S1", 2], "mean": [3, 4.5]}))
>>> demand[["store", "mean"]].to_dict("list")
{'store': ['S1', '2'], 'mean': [3.0, 4.5]}
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import StoresTable, as_stores
from forecasting.inputs.tables import finite_numbers, id_column, parse_bools, read_table
from forecasting.inputs.validation import check_required, check_unique, data_error

__all__ = ["ONE_PRODUCT", "grade_order", "read_constraints", "read_demand", "read_quantity"]

ONE_PRODUCT = "product"
Source = str | os.PathLike[str] | pd.DataFrame


def read_demand(demand: Source) -> pd.DataFrame:
    """Read store demand: ``store``, ``mean``, ``sd`` (NaN: Poisson), ``sku`` (if any), ``exclude``.

    Parameters
    ----------
    demand : path or DataFrame
        The table; see the module docstring.

    Returns
    -------
    DataFrame
        Canonical columns ``store`` (str), ``mean``, ``sd`` (float), ``exclude`` (bool) and ``sku``
        (str) when the input has it.

    Examples
    --------
    >>> import pandas as pd
    >>> read_demand(pd.DataFrame({"store": ["A"], "mean": [-1.0]}))
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: demand: column 'mean': 1 value is below 0: row 0
    (mean=-1.0). Fix: give the expected units of each store (0 or more).
    """
    raw = read_table(demand, name="demand")
    source = str(raw.attrs["source"])
    check_required(raw, ["store", "mean"], source, "demand")
    if raw.empty:
        raise data_error(
            source, None, "the demand table has no rows", "give one row per store (and sku)"
        )
    out = pd.DataFrame(index=raw.index)
    keys = ["sku", "store"] if "sku" in raw.columns else ["store"]
    for key in keys:
        out[key] = id_column(raw, key, source)
    fix_mean = "give the expected units of each store (0 or more)"
    out["mean"] = finite_numbers(raw, "mean", source, minimum=0.0, fix=fix_mean)
    if "sd" in raw.columns:
        out["sd"] = finite_numbers(
            raw,
            "sd",
            source,
            allow_blank=True,
            minimum=0.0,
            fix="give the standard deviation (0 or more), or leave it blank for Poisson",
        )
    else:
        out["sd"] = np.nan
    out["exclude"] = parse_bools(raw, "exclude", source) if "exclude" in raw.columns else False
    out.attrs = dict(raw.attrs)
    check_unique(out, keys, source, "give one row per " + " and ".join(keys))
    return out


def read_quantity(quantity: int | float | Source, demand: pd.DataFrame) -> pd.DataFrame:
    """Read the stock to allocate: a table ``sku``, ``units`` (int64), one row per product.

    An int is one product: its ``sku`` is the demand table's only sku, or ``"product"`` without one.

    Examples
    --------
    >>> import pandas as pd
    >>> read_quantity(12, pd.DataFrame({"store": ["A"], "mean": [1.0]})).to_dict("list")
    {'sku': ['product'], 'units': [12]}
    """
    if isinstance(quantity, bool):
        raise DataValidationError("quantity: True/False is not a number of units. Fix: give units.")
    if isinstance(quantity, (int, float, np.integer, np.floating)):
        value = float(quantity)
        if not np.isfinite(value) or value < 0 or value != int(value):
            raise DataValidationError(
                f"quantity: {quantity!r} is not a whole number of units (0 or more). "
                "Fix: pass the stock to allocate as a whole number."
            )
        if "sku" in demand.columns:
            skus = sorted(demand["sku"].unique().tolist())
            if len(skus) != 1:
                shown = ", ".join(map(repr, skus[:5])) + (" ..." if len(skus) > 5 else "")
                raise DataValidationError(
                    f"quantity: one number was given but the demand covers {len(skus)} skus "
                    f"({shown}). "
                    "Fix: pass a table with columns sku, units (one row per product)."
                )
            sku = skus[0]
        else:
            sku = ONE_PRODUCT
        return pd.DataFrame({"sku": [sku], "units": np.array([int(value)], dtype=np.int64)})
    raw = read_table(quantity, name="quantity")
    source = str(raw.attrs["source"])
    check_required(raw, ["sku", "units"], source, "quantity")
    out = pd.DataFrame({"sku": id_column(raw, "sku", source)}, index=raw.index)
    units = finite_numbers(
        raw, "units", source, minimum=0.0, fix="give whole units (0 or more) per sku"
    )
    frac = units % 1 != 0
    if frac.any():
        raise data_error(
            source,
            "units",
            f"{int(frac.sum())} values are not whole units",
            "round the stock to whole units",
            raw,
            frac,
        )
    out["units"] = units.astype(np.int64)
    out.attrs = dict(raw.attrs)
    check_unique(out, ["sku"], source, "give one row per sku (sum the stock of repeated rows)")
    return out.reset_index(drop=True)


def grade_order(grades: pd.Series) -> np.ndarray:
    """Sort keys for grades: numbers numerically, text alphabetically, blanks last.

    Examples
    --------
    >>> import pandas as pd
    >>> grade_order(pd.Series(["B", "A", None])).tolist()
    [2, 1, 3]
    >>> grade_order(pd.Series(["10", "2"])).tolist()
    [2, 1]
    """
    text = grades.astype("str").where(grades.notna())
    numbers = pd.to_numeric(text, errors="coerce")
    known = text.dropna()
    if len(known) and numbers[text.notna()].notna().all():
        keys = numbers.rank(method="dense")
    else:
        keys = text.rank(method="dense")
    return np.asarray(keys.fillna(keys.max() + 1 if keys.notna().any() else 0).astype(np.int64))


def read_constraints(stores: StoresTable | Source | None) -> pd.DataFrame:
    """Per-store limits: ``store``, ``min_units`` (0: none), ``max_units`` (inf), ``grade_key``.

    Examples
    --------
    >>> import pandas as pd
    >>> read_constraints(None).columns.tolist()
    ['store', 'min_units', 'max_units', 'grade_key']
    """
    columns = ["store", "min_units", "max_units", "grade_key"]
    if stores is None:
        return pd.DataFrame(
            {c: pd.Series(dtype="float64" if c != "store" else "str") for c in columns}
        )
    validated = as_stores(stores)
    table: Any = validated.frame
    source = validated.source
    out = pd.DataFrame({"store": table["store"].astype("str")})
    out["min_units"] = (
        table["min_units"].astype("float64").fillna(0.0) if "min_units" in table.columns else 0.0
    )
    out["max_units"] = (
        table["max_units"].astype("float64").fillna(np.inf)
        if "max_units" in table.columns
        else np.inf
    )
    out["grade_key"] = grade_order(table["grade"]) if "grade" in table.columns else 0
    bad = out["min_units"].to_numpy() > out["max_units"].to_numpy()
    if bad.any():
        raise data_error(
            source,
            "min_units",
            f"{int(bad.sum())} stores have a minimum above their cap",
            "lower min_units or raise max_units",
            out,
            bad,
            show=["store", "min_units", "max_units"],
        )
    frac = (out["min_units"] % 1 != 0) | (
        np.isfinite(out["max_units"]) & (out["max_units"] % 1 != 0)
    )
    if frac.any():
        raise data_error(
            source,
            "min_units",
            f"{int(frac.sum())} stores have fractional limits",
            "give min_units and max_units in whole units",
            out,
            frac,
            show=["store", "min_units", "max_units"],
        )
    neg = (out["min_units"] < 0) | (out["max_units"] < 0)
    if neg.any():
        raise data_error(
            source,
            "min_units",
            f"{int(neg.sum())} stores have negative limits",
            "give limits of 0 or more",
            out,
            neg,
            show=["store", "min_units", "max_units"],
        )
    return out.reset_index(drop=True)
