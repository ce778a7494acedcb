"""Reading and checking the inputs of :func:`forecasting.allocation.allocate`.

* ``quantity``: an int (one product) or a table ``sku``, ``units`` (whole, >= 0 units per product);
* ``demand``: ``store``, ``mean`` (>= 0), optional ``sd`` (>= 0; blank = Poisson), optional ``sku``
  (without it the same store demand applies to every product) and optional ``exclude`` (yes/no: the
  store does not carry that product);
* ``stores`` (:func:`forecasting.inputs.validate_stores`): ``min_units`` (presentation minimum),
  ``max_units`` (cap, 0 excludes the store), ``grade`` (the order in which soft minimums are kept),
  ``strategic`` and ``close_date``.

:func:`check_demand_stores` checks the demand against the stores table (once, in ``allocate``):
every store of the table takes part in the allocation. A demand row for a store the table does not
know is an error; a store of the table without a demand row gets zero demand (its presentation
minimum still applies) and a :class:`~forecasting.inputs.validation.DataQualityWarning` names it,
unless the table gives it a ``close_date``: then it is taken as closed and gets nothing.

:func:`~forecasting.allocation.allocate` works on whole columns: :func:`demand_columns`,
:func:`quantity_columns`, :func:`constraint_columns` and :func:`complete_demand` read and check the
tables into numpy arrays (ids as integer codes into arrays of names), once per call; the
``read_*`` functions and :func:`check_demand_stores` give the same tables as DataFrames. Plain
columns (text or integer ids, numeric values, boolean flags) are checked on the arrays; anything
else, and every problem, goes through the shared readers of :mod:`forecasting.inputs`, so the
messages are theirs.

Examples
--------
>>> import pandas as pd
>>> demand = read_demand(pd.DataFrame({"store": ["S1", 2], "mean": [3, 4.5]}))
>>> demand[["store", "mean"]].to_dict("list")
{'store': ['S1', '2'], 'mean': [3.0, 4.5]}
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.cells import MAX_ABS
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.readers import StoresTable, as_stores
from forecasting.inputs.tables import finite_numbers, id_column, parse_bools, read_table
from forecasting.inputs.validation import (
    check_required,
    check_unique,
    data_error,
    data_warning,
)

__all__ = [
    "MAX_UNITS",
    "ONE_PRODUCT",
    "ConstraintColumns",
    "DemandColumns",
    "DemandRows",
    "QuantityColumns",
    "check_demand_stores",
    "complete_demand",
    "constraint_columns",
    "demand_columns",
    "grade_order",
    "quantity_columns",
    "read_constraints",
    "read_demand",
    "read_quantity",
]

ONE_PRODUCT = "product"
MAX_UNITS = 10**18  # stock per product: well inside int64 once minimums and packs are added
Source = str | os.PathLike[str] | pd.DataFrame
ObjArray = npt.NDArray[np.object_]
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# ------------------------------------------------------------------------------- whole columns
def _objects(values: list[Any]) -> ObjArray:
    """A 1-d object array of ``values`` (numpy would make a str array of them otherwise)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def text_array(values: ObjArray) -> pd.api.extensions.ExtensionArray:
    """``values`` (str objects) as the ``str`` dtype of a DataFrame column.

    With pyarrow storage (the default) the arrow array is built directly: the same array as
    ``pd.array(values, dtype=TEXT)`` gives, without its checks of every element.

    Examples
    --------
    >>> import numpy as np
    >>> text_array(np.array(["a", "b"], dtype=object)).equals(pd.array(["a", "b"], dtype=TEXT))
    True
    """
    dtype = pd.api.types.pandas_dtype(TEXT)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa

        try:
            data = pa.array(values, type=pa.large_string())
            return pd.arrays.ArrowStringArray(data, dtype=dtype)  # type: ignore[call-arg]
        except (TypeError, ValueError, pa.ArrowException):
            pass  # not plain str objects: let pandas convert them
    return pd.array(values, dtype=TEXT)


_LONG = 50_000  # from this many rows pandas' hash table factorizes ids faster than a dict


def _id_codes(raw: pd.DataFrame, column: str, source: str) -> tuple[IntArray, ObjArray]:
    """:func:`id_column` of ``raw[column]`` as codes into its distinct ids (in order of first
    appearance): ``names[codes]`` are the ids.

    Text and integer columns are factorized as they are, and their distinct values checked
    (text, not blank, nothing to strip); anything else goes through :func:`_ids`.
    """
    col = raw[column]
    dtype = col.dtype
    text = isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object)
    if text or (isinstance(dtype, np.dtype) and dtype.kind in "iu"):
        if len(col) < _LONG:
            where: dict[Any, int] = {}
            codes = np.fromiter(
                (where.setdefault(v, len(where)) for v in col.tolist()), np.int64, len(col)
            )
            names = list(where)
        else:
            found, uniques = pd.factorize(col)  # a blank is -1
            codes = found.astype(np.int64, copy=False)
            names = uniques.tolist() + ([None] if (codes < 0).any() else [])
        if not text:
            return codes, _objects([str(v) for v in names])
        if all(type(v) is str and v and v == v.strip() for v in names):
            return codes, _objects(names)
    return _codes(_ids(raw, column, source, col))


def _ids(raw: pd.DataFrame, column: str, source: str, col: pd.Series | None = None) -> ObjArray:
    """``id_column(raw, column, source)`` as an object array of str.

    Text ids (every cell a str, none blank once stripped) and integer ids are read here; anything
    else (float ids, blanks, mixed cells) goes through :func:`id_column`, which also raises.
    """
    col = raw[column] if col is None else col
    dtype = col.dtype
    if isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object):
        values = col.to_numpy(dtype=object).tolist()
        if all(type(v) is str for v in values):
            stripped = [v.strip() for v in values]
            if all(stripped):
                return _objects(stripped)
    elif isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return _objects([str(v) for v in col.tolist()])
    return id_column(raw, column, source).to_numpy(dtype=object)


def _numbers(
    raw: pd.DataFrame,
    column: str,
    source: str,
    *,
    allow_blank: bool = False,
    minimum: float | None = None,
    fix: str | None = None,
) -> FloatArray:
    """``finite_numbers(raw, column, ...)`` as a float array; numeric columns are checked here."""
    col = raw[column]
    dtype = col.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiu":
        values = col.to_numpy(dtype=np.float64, copy=True)
        if not len(values):
            return values
        # the least and the largest value (blanks aside) tell every check at once
        low, high = np.fmin.reduce(values), np.fmax.reduce(values)
        if np.isnan(low):  # every cell blank
            fine = allow_blank
        else:
            fine = (
                np.isfinite(low)
                and np.isfinite(high)
                and max(-low, high) <= MAX_ABS
                and (minimum is None or low >= minimum)
                and (allow_blank or not np.isnan(values).any())
            )
        if fine:
            return values
    numbers = finite_numbers(raw, column, source, allow_blank=allow_blank, minimum=minimum, fix=fix)
    return numbers.to_numpy(dtype=np.float64)


def _bools(raw: pd.DataFrame, column: str, source: str) -> BoolArray:
    """``parse_bools(raw, column, source)`` as a bool array; a bool column is taken as it is."""
    col = raw[column]
    if col.dtype == np.dtype(bool):
        return col.to_numpy(dtype=bool, copy=True)
    return parse_bools(raw, column, source).to_numpy(dtype=bool)


def _codes(values: ObjArray) -> tuple[IntArray, ObjArray]:
    """Integer codes of ``values`` into their distinct values (in order of first appearance)."""
    codes, names = pd.factorize(values)
    return codes.astype(np.int64, copy=False), np.asarray(names, dtype=object)


def _positions(names: ObjArray, among: ObjArray) -> IntArray:
    """Position in ``among`` (distinct) of each of ``names``, -1 where it is not there."""
    where = {name: i for i, name in enumerate(among.tolist())}
    return np.array([where.get(name, -1) for name in names.tolist()], dtype=np.int64)


@dataclass(frozen=True)
class DemandColumns:
    """:func:`read_demand` as whole columns: ids as codes into ``*_names``.

    Attributes
    ----------
    store_code, store_names : arrays
        ``store_names[store_code]`` is the ``store`` of each row.
    sku_code, sku_names : arrays or None
        Likewise for ``sku`` (None without a ``sku`` column).
    mean, sd, exclude : arrays
        The values of each row (``sd`` NaN: Poisson).
    index : pandas.Index
        The row labels of the source table (for messages).
    attrs : dict
        The source table's ``attrs`` (``source``, ``row_noun``).
    """

    store_code: IntArray
    store_names: ObjArray
    sku_code: IntArray | None
    sku_names: ObjArray | None
    mean: FloatArray
    sd: FloatArray
    exclude: BoolArray
    index: pd.Index
    attrs: dict[Any, Any]

    @classmethod
    def from_frame(cls, demand: pd.DataFrame) -> DemandColumns:
        """The columns of a :func:`read_demand` DataFrame."""
        store_code, store_names = _codes(demand["store"].to_numpy(dtype=object))
        sku_code, sku_names = (
            _codes(demand["sku"].to_numpy(dtype=object))
            if "sku" in demand.columns
            else (None, None)
        )
        return cls(
            store_code=store_code,
            store_names=store_names,
            sku_code=sku_code,
            sku_names=sku_names,
            mean=demand["mean"].to_numpy(dtype=np.float64),
            sd=demand["sd"].to_numpy(dtype=np.float64),
            exclude=demand["exclude"].to_numpy(dtype=bool),
            index=demand.index,
            attrs=dict(demand.attrs),
        )

    def frame(self) -> pd.DataFrame:
        """The DataFrame of :func:`read_demand`."""
        data: dict[str, Any] = {}
        if self.sku_code is not None and self.sku_names is not None:
            data["sku"] = text_array(self.sku_names[self.sku_code])
        data["store"] = text_array(self.store_names[self.store_code])
        data["mean"] = self.mean
        data["sd"] = self.sd
        data["exclude"] = self.exclude
        out = pd.DataFrame(data, index=self.index)
        out.attrs = dict(self.attrs)
        return out


@dataclass(frozen=True)
class QuantityColumns:
    """:func:`read_quantity` as whole columns: ``sku`` (str objects) and ``units`` (int64)."""

    sku: ObjArray
    units: IntArray
    attrs: dict[Any, Any]

    @classmethod
    def from_frame(cls, quantity: pd.DataFrame) -> QuantityColumns:
        """The columns of a :func:`read_quantity` DataFrame."""
        return cls(
            sku=quantity["sku"].to_numpy(dtype=object),
            units=quantity["units"].to_numpy(dtype=np.int64),
            attrs=dict(quantity.attrs),
        )

    def frame(self) -> pd.DataFrame:
        """The DataFrame of :func:`read_quantity`."""
        out = pd.DataFrame({"sku": text_array(self.sku), "units": self.units})
        out.attrs = dict(self.attrs)
        return out


@dataclass(frozen=True)
class ConstraintColumns:
    """:func:`read_constraints` as whole columns (one entry per store of the stores table).

    ``grade`` is the table's ``grade`` column (None without one): :meth:`grade_key` orders it
    when it is needed (soft minimums that stock cannot all keep), unless ``keys`` already are
    those sort keys.
    """

    store: ObjArray
    min_units: FloatArray
    max_units: FloatArray
    strategic: BoolArray
    closed: BoolArray
    grade: pd.Series | None
    source: str
    keys: IntArray | None = None

    @classmethod
    def from_frame(cls, constraints: pd.DataFrame) -> ConstraintColumns:
        """The columns of a :func:`read_constraints` DataFrame (with a stores table)."""
        return cls(
            store=constraints["store"].to_numpy(dtype=object),
            min_units=constraints["min_units"].to_numpy(dtype=np.float64),
            max_units=constraints["max_units"].to_numpy(dtype=np.float64),
            strategic=constraints["strategic"].to_numpy(dtype=bool),
            closed=constraints["closed"].to_numpy(dtype=bool),
            grade=None,
            source=str(constraints.attrs["source"]),
            keys=constraints["grade_key"].to_numpy(dtype=np.int64),
        )

    def grade_key(self) -> IntArray:
        """:func:`grade_order` of the grades (0 for every store without a ``grade`` column)."""
        if self.keys is not None:
            return self.keys
        if self.grade is None:
            return np.zeros(len(self.store), dtype=np.int64)
        return grade_order(self.grade)

    def frame(self) -> pd.DataFrame:
        """The DataFrame of :func:`read_constraints`."""
        out = pd.DataFrame(
            {
                "store": text_array(self.store),
                "min_units": self.min_units,
                "max_units": self.max_units,
                "grade_key": self.grade_key(),
                "strategic": self.strategic,
                "closed": self.closed,
            }
        )
        out.attrs["source"] = self.source
        return out


# ------------------------------------------------------------------------------------ readers
def demand_columns(demand: Source) -> DemandColumns:
    """Read store demand (see :func:`read_demand`) into whole columns.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = demand_columns(pd.DataFrame({"store": ["B", "A", "B"], "sku": ["x", "x", "y"],
    ...                                       "mean": [1, 2, 3]}))
    >>> demand.store_names[demand.store_code].tolist(), demand.mean.tolist()
    (['B', 'A', 'B'], [1.0, 2.0, 3.0])
    """
    raw = read_table(demand, name="demand")
    source = str(raw.attrs["source"])
    check_required(raw, ["store", "mean"], source, "demand")
    if raw.empty:
        raise data_error(
            source, None, "the demand table has no rows", "give one row per store (and sku)"
        )
    has_sku = "sku" in raw.columns
    keys = ["sku", "store"] if has_sku else ["store"]
    ids = {key: _id_codes(raw, key, source) for key in keys}
    n = len(raw)
    fix_mean = "give the expected units of each store (0 or more)"
    mean = _numbers(raw, "mean", source, minimum=0.0, fix=fix_mean)
    if "sd" in raw.columns:
        sd = _numbers(
            raw,
            "sd",
            source,
            allow_blank=True,
            minimum=0.0,
            fix="give the standard deviation (0 or more), or leave it blank for Poisson",
        )
    else:
        sd = np.full(n, np.nan)
    exclude = _bools(raw, "exclude", source) if "exclude" in raw.columns else np.zeros(n, bool)
    store_code, store_names = ids["store"]
    sku_code, sku_names = ids["sku"] if has_sku else (None, None)
    out = DemandColumns(
        store_code=store_code,
        store_names=store_names,
        sku_code=sku_code,
        sku_names=sku_names,
        mean=mean,
        sd=sd,
        exclude=exclude,
        index=raw.index,
        attrs=dict(raw.attrs),
    )
    repeated = (
        len(store_names) < n
        if sku_code is None
        else len(pd.unique(sku_code * len(store_names) + store_code)) < n
    )
    if repeated:
        check_unique(out.frame(), keys, source, "give one row per " + " and ".join(keys))
    return out


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
    return demand_columns(demand).frame()


def quantity_columns(quantity: int | float | Source, skus: ObjArray | None) -> QuantityColumns:
    """Read the stock to allocate (see :func:`read_quantity`) into whole columns.

    ``skus`` are the distinct skus of the demand (None: the demand has no ``sku`` column); an int
    quantity is the stock of its only sku.

    Examples
    --------
    >>> quantity_columns(12, None).sku.tolist()
    ['product']
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
        # an int is taken as it is (a float would round a number above 2**53)
        whole = int(quantity) if isinstance(quantity, (int, np.integer)) else int(value)
        if whole > MAX_UNITS:
            raise DataValidationError(
                f"quantity: {quantity!r} units is more than launchcast counts ({MAX_UNITS:.0e}). "
                "Fix: pass the stock to allocate in units (not in another currency or code)."
            )
        if skus is not None:
            names = sorted(skus.tolist())
            if len(names) != 1:
                shown = ", ".join(map(repr, names[:5])) + (" ..." if len(names) > 5 else "")
                raise DataValidationError(
                    f"quantity: one number was given but the demand covers {len(names)} skus "
                    f"({shown}). "
                    "Fix: pass a table with columns sku, units (one row per product)."
                )
            sku = names[0]
        else:
            sku = ONE_PRODUCT
        return QuantityColumns(_objects([sku]), np.array([whole], dtype=np.int64), {})
    raw = read_table(quantity, name="quantity")
    source = str(raw.attrs["source"])
    check_required(raw, ["sku", "units"], source, "quantity")
    sku_ids = _ids(raw, "sku", source)
    units = _numbers(raw, "units", source, minimum=0.0, fix="give whole units (0 or more) per sku")
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
    huge = units > MAX_UNITS
    if huge.any():
        raise data_error(
            source,
            "units",
            f"{int(huge.sum())} values are more than launchcast counts ({MAX_UNITS:.0e} units)",
            "give the stock in units",
            raw,
            huge,
        )
    out = QuantityColumns(sku_ids, units.astype(np.int64), dict(raw.attrs))
    if len(set(sku_ids.tolist())) < len(sku_ids):
        table = out.frame().set_axis(raw.index)
        table.attrs = dict(raw.attrs)
        check_unique(
            table, ["sku"], source, "give one row per sku (sum the stock of repeated rows)"
        )
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
    skus = np.asarray(demand["sku"].unique(), dtype=object) if "sku" in demand.columns else None
    return quantity_columns(quantity, skus).frame()


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
    text = grades.astype(TEXT).where(grades.notna())
    numbers = pd.to_numeric(text, errors="coerce")
    known = text.dropna()
    if len(known) and numbers[text.notna()].notna().all():
        keys = numbers.rank(method="dense")
    else:
        keys = text.rank(method="dense")
    return np.asarray(keys.fillna(keys.max() + 1 if keys.notna().any() else 0).astype(np.int64))


def _filled(table: pd.DataFrame, column: str, fill: float) -> FloatArray:
    """``table[column].astype("float64").fillna(fill)`` as an array (``fill`` without it)."""
    if column not in table.columns:
        return np.full(len(table), fill, dtype=np.float64)
    col = table[column]
    if isinstance(col.dtype, np.dtype) and col.dtype == np.float64:
        values: FloatArray = col.to_numpy(dtype=np.float64, copy=True)
        values[np.isnan(values)] = fill
        return values
    return np.asarray(col.astype("float64").fillna(fill), dtype=np.float64)


def constraint_columns(stores: StoresTable | Source | None) -> ConstraintColumns | None:
    """Read the per-store limits (see :func:`read_constraints`) into whole columns.

    None without a stores table. A :class:`~forecasting.inputs.StoresTable` is used as it is
    (it was validated once); a path or a DataFrame is validated first.

    Examples
    --------
    >>> import pandas as pd
    >>> limits = constraint_columns(pd.DataFrame({"store": ["A", "B"], "max_units": [4, None]}))
    >>> limits.store.tolist(), limits.max_units.tolist()
    (['A', 'B'], [4.0, inf])
    """
    if stores is None:
        return None
    validated = as_stores(stores)
    table: Any = validated.frame
    source = validated.source
    names = table["store"]
    if str(names.dtype) != "str":
        names = names.astype(TEXT)
    store = names.to_numpy(dtype=object)
    min_units = _filled(table, "min_units", 0.0)
    max_units = _filled(table, "max_units", np.inf)
    with np.errstate(invalid="ignore"):
        bad = min_units > max_units
        frac = (min_units % 1 != 0) | (np.isfinite(max_units) & (max_units % 1 != 0))
    neg = (min_units < 0) | (max_units < 0)
    if bad.any() or frac.any() or neg.any():
        out = pd.DataFrame(
            {"store": text_array(store), "min_units": min_units, "max_units": max_units},
            index=table.index,
        )
        show = ["store", "min_units", "max_units"]
        if bad.any():
            raise data_error(
                source,
                "min_units",
                f"{int(bad.sum())} stores have a minimum above their cap",
                "lower min_units or raise max_units",
                out,
                bad,
                show=show,
            )
        if frac.any():
            raise data_error(
                source,
                "min_units",
                f"{int(frac.sum())} stores have fractional limits",
                "give min_units and max_units in whole units",
                out,
                frac,
                show=show,
            )
        raise data_error(
            source,
            "min_units",
            f"{int(neg.sum())} stores have negative limits",
            "give limits of 0 or more",
            out,
            neg,
            show=show,
        )
    if "strategic" not in table.columns:
        strategic = np.zeros(len(store), dtype=bool)
    elif table["strategic"].dtype == np.dtype(bool):
        strategic = table["strategic"].to_numpy(dtype=bool, copy=True)
    else:
        strategic = table["strategic"].fillna(False).astype(bool).to_numpy(dtype=bool)
    closed = (
        table["close_date"].notna().to_numpy(dtype=bool)
        if "close_date" in table.columns
        else np.zeros(len(store), dtype=bool)
    )
    return ConstraintColumns(
        store=store,
        min_units=min_units,
        max_units=max_units,
        strategic=strategic,
        closed=closed,
        grade=table["grade"] if "grade" in table.columns else None,
        source=source,
    )


def read_constraints(stores: StoresTable | Source | None) -> pd.DataFrame:
    """Per-store limits: ``store``, ``min_units`` (0: none), ``max_units`` (inf), ``grade_key``,
    ``strategic`` and ``closed`` (the table gives a ``close_date``).

    Without a stores table the result is empty, with ``attrs["source"]`` None.

    Examples
    --------
    >>> import pandas as pd
    >>> read_constraints(None).columns.tolist()
    ['store', 'min_units', 'max_units', 'grade_key', 'strategic', 'closed']
    >>> read_constraints(pd.DataFrame({"store": ["A"], "strategic": ["yes"]}))["strategic"].tolist()
    [True]
    """
    columns = ["store", "min_units", "max_units", "grade_key", "strategic", "closed"]
    limits = constraint_columns(stores)
    if limits is None:
        empty = pd.DataFrame(
            {
                c: pd.Series(
                    dtype=TEXT if c == "store" else "bool" if c in columns[4:] else "float64"
                )
                for c in columns
            }
        )
        empty.attrs["source"] = None
        return empty
    return limits.frame()


# ---------------------------------------------------------------------- demand against stores
def _named(stores: list[str], minimums: list[float] | None = None, limit: int = 5) -> str:
    """``'A', 'B' (minimum 6) and 3 more``: store ids (with their minimums) for a message."""
    names = [
        repr(s) if minimums is None or not m else f"{s!r} (minimum {m:g})"
        for s, m in zip(
            stores, minimums if minimums is not None else [0] * len(stores), strict=True
        )
    ]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


@dataclass(frozen=True)
class DemandRows:
    """The demand of :func:`complete_demand`: a row for every store of the stores table.

    Attributes
    ----------
    group : int array or None
        Position in the quantity of each row's sku (-1: a sku that is not allocated); None when
        the demand has no ``sku`` column (its rows apply to every product).
    store, store_names : arrays
        ``store_names[store]`` is the store of each row; with a stores table ``store`` is the
        position in it (``store_names`` is its ``store`` column).
    mean, sd, exclude, no_demand : arrays
        Per row; ``no_demand`` is True on the rows added for stores without demand.
    n_added : int
        How many rows were added (the last ones).
    """

    group: IntArray | None
    store: IntArray
    store_names: ObjArray
    mean: FloatArray
    sd: FloatArray
    exclude: BoolArray
    no_demand: BoolArray
    n_added: int


def complete_demand(
    quantity: QuantityColumns,
    demand: DemandColumns,
    constraints: ConstraintColumns | None,
    stacklevel: int = 4,
) -> DemandRows:
    """Check the demand against the stores table; a row for every store (see
    :func:`check_demand_stores`, which returns the same as a DataFrame).

    ``stacklevel`` is that of the warnings (from :func:`data_warning`): 4 names the caller of the
    function that calls this one.
    """
    n = len(demand.mean)
    group = None
    if demand.sku_code is not None and demand.sku_names is not None:
        group = _positions(demand.sku_names, quantity.sku)[demand.sku_code]
    if constraints is None:
        return DemandRows(
            group, demand.store_code, demand.store_names, demand.mean, demand.sd,
            demand.exclude, np.zeros(n, dtype=bool), 0,
        )  # fmt: skip
    source = str(demand.attrs.get("source", "demand"))
    at = _positions(demand.store_names, constraints.store)[demand.store_code]
    unknown = at < 0
    if unknown.any():
        count = int(unknown.sum())
        raise data_error(
            source,
            "store",
            f"{count} {'row names a store' if count == 1 else 'rows name stores'} that the stores "
            f"table ({constraints.source}) does not have",
            "correct the store ids, add the stores to the stores table, or drop these rows "
            "(a store that is not in the stores table cannot receive units)",
            demand.frame(),
            unknown,
            show=["sku", "store", "mean"] if group is not None else ["store", "mean"],
        )
    n_stores = len(constraints.store)
    if group is not None:
        mine = np.flatnonzero(group >= 0)
        rows = np.bincount(group[mine], minlength=len(quantity.sku))
        short = np.flatnonzero((rows > 0) & (rows < n_stores))
        # (sku, store) is unique and every store is known: a sku with a row per store is complete
        slot = np.full(len(quantity.sku), -1, dtype=np.int64)
        slot[short] = np.arange(len(short))
        part = mine[slot[group[mine]] >= 0]
        have = np.zeros((len(short), n_stores), dtype=bool)
        have[slot[group[part]], at[part]] = True
        which, add_at = np.nonzero(~have)
        add_group: IntArray | None = short[which]
        n_products = int((rows > 0).sum())
    else:
        have_store = np.zeros(n_stores, dtype=bool)
        have_store[at] = True
        add_at = np.flatnonzero(~have_store)
        add_group = None
        n_products = 1
    n_added = len(add_at)
    if n_added == 0:
        return DemandRows(
            group, at, constraints.store, demand.mean, demand.sd, demand.exclude,
            np.zeros(n, dtype=bool), 0,
        )  # fmt: skip
    closed = constraints.closed[add_at]
    # the stores without demand, in order of first appearance
    per = add_at[np.sort(np.unique(add_at, return_index=True)[1])]
    where = (
        f" (for some of the {n_products} products: {n_added} store x product pairs)"
        if group is not None and n_products > 1
        else ""
    )
    open_ = per[~constraints.closed[per]]
    if len(open_):
        strategic = open_[constraints.strategic[open_]]
        count = len(open_)
        problem = (
            f"{count} {'store' if count == 1 else 'stores'} of the stores table "
            f"{'has' if count == 1 else 'have'} no demand row{where}: "
            f"{_named(constraints.store[open_].tolist())}; "
            f"{'it gets' if count == 1 else 'they get'} zero demand, so only "
            "presentation minimums go there"
        )
        if len(strategic):
            named = _named(
                constraints.store[strategic].tolist(),
                constraints.min_units[strategic].tolist(),
                limit=10,
            )
            problem += f"; strategic among them: {named}"
        data_warning(
            source,
            "store",
            problem,
            "give every store a demand row (store_demand() splits a total over all the stores "
            "of the table); to leave a store out of a product, give it a row with exclude=yes",
            stacklevel=stacklevel,
        )
    shut = per[constraints.closed[per]]
    if len(shut):
        count = len(shut)
        data_warning(
            source,
            "store",
            f"{count} {'store' if count == 1 else 'stores'} without a demand row "
            f"{'has' if count == 1 else 'have'} a close_date in the stores table and "
            f"{'is' if count == 1 else 'are'} taken as closed (no units): "
            f"{_named(constraints.store[shut].tolist(), constraints.min_units[shut].tolist())}",
            "nothing if they are closed; otherwise give them demand rows or clear the close_date",
            stacklevel=stacklevel,
        )
    return DemandRows(
        group=None if group is None or add_group is None else np.r_[group, add_group],
        store=np.r_[at, add_at],
        store_names=constraints.store,
        mean=np.r_[demand.mean, np.zeros(n_added)],
        sd=np.r_[demand.sd, np.full(n_added, np.nan)],
        exclude=np.r_[demand.exclude, closed],
        no_demand=np.r_[np.zeros(n, dtype=bool), np.ones(n_added, dtype=bool)],
        n_added=n_added,
    )


def check_demand_stores(
    quantity: pd.DataFrame, demand: pd.DataFrame, constraints: pd.DataFrame
) -> pd.DataFrame:
    """Check the demand against the stores table; return it with a row for every store.

    Every store of the stores table takes part in the allocation of every product:

    * a demand row for a store the table does not know raises :class:`DataValidationError`
      naming the rows (a typo in a store id would otherwise receive units);
    * a store of the table without a demand row for a product gets one with zero demand (``mean``
      0), so its presentation minimum still applies and it appears in the plan; a
      :class:`~forecasting.inputs.validation.DataQualityWarning` names these stores, the strategic
      ones first;
    * such a store with a ``close_date`` in the table is taken as closed: ``exclude`` is set and it
      gets nothing (a warning names it too).

    Parameters
    ----------
    quantity : DataFrame
        :func:`read_quantity` (the products to allocate).
    demand : DataFrame
        :func:`read_demand`.
    constraints : DataFrame
        :func:`read_constraints` (empty without a stores table: nothing to check).

    Returns
    -------
    DataFrame
        The demand with the added rows last, and a boolean column ``no_demand`` (True on them).

    Raises
    ------
    DataValidationError
        A demand row names a store missing from the stores table.

    Examples
    --------
    >>> import warnings
    >>> import pandas as pd
    >>> demand = read_demand(pd.DataFrame({"store": ["A"], "mean": [4.0]}))
    >>> stores = read_constraints(pd.DataFrame({"store": ["A", "B"], "strategic": [False, True],
    ...                                         "min_units": [0, 3]}))
    >>> quantity = read_quantity(10, demand)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     full = check_demand_stores(quantity, demand, stores)
    >>> full[["store", "mean", "no_demand"]].to_dict("list")
    {'store': ['A', 'B'], 'mean': [4.0, 0.0], 'no_demand': [False, True]}
    >>> print(caught[0].message)
    demand: column 'store': 1 store of the stores table has no demand row: 'B'; it gets zero
    demand, so only presentation minimums go there; strategic among them: 'B' (minimum 3). Fix:
    give every store a demand row (store_demand() splits a total over all the stores of the
    table); to leave a store out of a product, give it a row with exclude=yes.
    """
    out = demand.assign(no_demand=False)
    if constraints.attrs.get("source") is None:
        return out
    rows = complete_demand(
        QuantityColumns.from_frame(quantity),
        DemandColumns.from_frame(demand),
        ConstraintColumns.from_frame(constraints),
        stacklevel=5,
    )
    if rows.n_added == 0:
        return out
    first = len(rows.mean) - rows.n_added
    added: dict[str, Any] = {}
    if "sku" in demand.columns and rows.group is not None:
        added["sku"] = text_array(quantity["sku"].to_numpy(dtype=object)[rows.group[first:]])
    added["store"] = text_array(rows.store_names[rows.store[first:]])
    added.update(mean=0.0, sd=np.nan, exclude=rows.exclude[first:], no_demand=True)
    return pd.concat([out, pd.DataFrame(added)[out.columns]], ignore_index=True)
