"""Readers: the one place where data enter launchcast.

Each reader takes a path (CSV, Parquet, Excel ``.xlsx`` with an optional ``sheet``) or a DataFrame,
and a ``columns={"source name": "canonical name"}`` mapping so that a planner's export with Chinese
or ERP column names loads without editing it. It returns a canonical table (see ``DESIGN.md``) with
proper dtypes: dates ``datetime64[ns]``, quantities ``float64``, ids ``str``, flags ``bool``; or
raises :class:`~forecasting.exceptions.DataValidationError` naming the file, the column, up to five
offending rows with their values, and the fix.

CSV files are read as UTF-8 (with or without BOM) and, failing that, as GBK/GB18030 (what Chinese
Excel writes); ``,``, ``;`` and tab separators are recognised. Ids keep their leading zeros.

Policies of :func:`read_sales`
------------------------------
- Only the canonical sales columns are kept (others are dropped; their names are in
  ``attrs["dropped_columns"]``). Rows are sorted by series keys (``store``, ``sku``) then ``date``.
- Missing periods inside a series are filled with zero units (see
:mod:`forecasting.inputs.frequency`);
  ``stockout`` is kept as given. Turn filling off with ``fill_missing=False``.
- Negative units (returns) are kept and reported with a
  :class:`~forecasting.inputs.DataQualityWarning`.
- Two rows with the same keys and date are an error unless ``duplicates="sum"`` (units summed,
  ``stockout`` if any row says so, ``price`` averaged).
- Dates after ``as_of`` are an error (sales cannot come from the future).

Stores, judgments and sales are cross-checked when given together: a store in the stores table
without sales history is a *warning* (a new store is normal; allocation treats it as having no
history); a judgment for a sku missing from the products, or for a store missing from the stores, is
an *error* (almost always a typo that would silently drop a planner's estimate).

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame(
...     {"销售日期": ["2012-03-02", "2012-03-09"], "门店": ["SH01", "SH01"], "销量": [5, 7]}
... )
>>> sales = read_sales(raw, columns={"销售日期": "date", "门店": "store", "销量": "units"})
>>> sales.attrs["freq"], sales["units"].dtype.name, list(sales.columns)
('W-FRI', 'float64', ['date', 'store', 'units'])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import (
    fill_missing_periods,
    infer_frequency,
    normalize_freq,
    sales_frequency,
    series_keys,
)
from forecasting.inputs.plan_tables import (
    JUDGMENT_COLUMNS,
    PRODUCT_COLUMNS,
    STORE_COLUMNS,
    read_judgments,
    read_products,
    read_stores,
)
from forecasting.inputs.tables import (
    Columns,
    Source,
    apply_columns,
    finite_numbers,
    id_column,
    parse_bools,
    parse_columns,
    parse_dates,
    read_table,
    require_rows,
)
from forecasting.inputs.validation import (
    check_not_after,
    check_required,
    check_unique,
    data_error,
    data_warning,
    plural,
)

__all__ = [
    "JUDGMENT_COLUMNS",
    "PRODUCT_COLUMNS",
    "SALES_COLUMNS",
    "STORE_COLUMNS",
    "Inputs",
    "parse_columns",
    "read_inputs",
    "read_judgments",
    "read_products",
    "read_sales",
    "read_stores",
    "read_table",
    "sales_frequency",
]

SALES_COLUMNS = ("date", "store", "sku", "category", "region", "units", "price", "stockout")
_ID = ("store", "sku", "category", "region", "forecaster", "grade")
_CANONICAL_MARK = "launchcast.sales"
_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _is_canonical(frame: pd.DataFrame) -> bool:
    cols = frame.columns
    if "date" not in cols or "units" not in cols or not set(cols) <= set(SALES_COLUMNS):
        return False
    if frame["date"].dtype != "datetime64[ns]" or frame["units"].dtype != "float64":
        return False
    if "stockout" in cols and frame["stockout"].dtype != bool:
        return False
    if "price" in cols and frame["price"].dtype != "float64":
        return False
    if not all(isinstance(frame[c].dtype, pd.StringDtype) for c in _ID if c in cols):
        return False
    if frame[[c for c in _ID if c in cols]].isna().any().any() or frame["date"].isna().any():
        return False
    return bool(np.isfinite(frame["units"].to_numpy()).all())


def _is_sorted(frame: pd.DataFrame, keys: list[str]) -> bool:
    if len(frame) < 2:
        return True
    bad = np.zeros(len(frame) - 1, dtype=bool)
    undecided = np.ones(len(frame) - 1, dtype=bool)
    for col in [*keys, "date"]:
        values = frame[col].to_numpy()
        prev, nxt = values[:-1], values[1:]
        bad |= undecided & (nxt < prev)
        undecided &= nxt == prev
    return not bad.any()


def _freq_fits(frame: pd.DataFrame, freq: str) -> bool:
    """Cheap check that a remembered frequency still describes the dates."""
    weekdays = frame["date"].dt.day_of_week.to_numpy()
    if freq == "D":
        return len(frame) < 2 or bool((weekdays != weekdays[0]).any())
    return bool((weekdays == _DAYS.index(freq[2:])).all())


def _sum_duplicates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    how: dict[str, str] = {"units": "sum"}
    for c in frame.columns:
        if c not in {*keys, "date", "units"}:
            how[c] = {"stockout": "any", "price": "mean"}.get(c, "first")
    out = frame.groupby([*keys, "date"], sort=False, as_index=False, dropna=False).agg(how)
    return out[list(frame.columns)]


def read_sales(
    source: Source | object,
    columns: Columns = None,
    freq: str | None = None,
    *,
    sheet: str | int | None = None,
    duplicates: str = "raise",
    as_of: object = None,
    fill_missing: bool = True,
) -> pd.DataFrame:
    """Read and validate a sales table (long format: one row per date and series).

    Parameters
    ----------
    source : path or DataFrame
        CSV, Parquet or Excel file, or a DataFrame (not modified).
    columns : mapping or str, optional
        ``{"source name": "canonical name"}`` (see :func:`parse_columns` for the text forms).
    freq : str, optional
        ``"D"`` or ``"W-<DAY>"`` (weeks labelled by their last day); inferred when omitted.
    sheet : str or int, optional
        Excel sheet.
    duplicates : {"raise", "sum"}
        What to do with two rows of the same series and date.
    as_of : date-like, optional
        Raise if a row is dated after it.
    fill_missing : bool, default True
        Fill the periods missing inside each series with zero units (module policy).

    Returns
    -------
    DataFrame
        Columns among ``date, store, sku, category, region, units, price, stockout`` in that order;
        ``attrs["freq"]``, ``attrs["source"]`` and ``attrs["filled_periods"]`` set.

    Raises
    ------
    DataValidationError
        Missing required column, unreadable dates, units that are not finite numbers, duplicated
        keys, an empty table, mixed frequencies, dates after ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"date": ["2012-01-01", "2012-01-03"], "store": "a", "units": [2, 3]})
    >>> sales = read_sales(raw)
    >>> sales["units"].tolist(), sales.attrs["freq"], sales.attrs["filled_periods"]
    ([2.0, 0.0, 3.0], 'D', 1)
    >>> read_sales(sales) is not sales and read_sales(sales).equals(sales)  # idempotent
    True
    """
    if duplicates not in {"raise", "sum"}:
        raise DataValidationError(
            f"duplicates: {duplicates!r} is not an option. Fix: use 'raise' or 'sum'."
        )
    given = normalize_freq(freq) if freq is not None else None
    already = False
    prior = dict(source.attrs) if isinstance(source, pd.DataFrame) else {}
    if isinstance(source, pd.DataFrame) and columns is None and _is_canonical(source):
        already = source.attrs.get(_CANONICAL_MARK) is True
        frame = source[[c for c in SALES_COLUMNS if c in source.columns]].copy(deep=False)
        frame.attrs = {"source": str(source.attrs.get("source", "sales")), "row_noun": "row"}
        previous = source.attrs.get("freq")
        known_freq = given or (normalize_freq(previous) if isinstance(previous, str) else None)
    else:
        raw = apply_columns(
            read_table(source, sheet=sheet, name="sales"), columns, SALES_COLUMNS, "sales"
        )
        frame, known_freq = _coerce_sales(raw), given
    meta = dict(frame.attrs)
    label = str(meta["source"])
    require_rows(frame, label)
    keys = series_keys(frame)
    if as_of is not None:
        check_not_after(frame, "date", as_of, label, show=[*keys, "date", "units"])
    if not _is_sorted(frame, keys):
        frame = frame.sort_values([*keys, "date"], kind="stable")
    if frame.duplicated([*keys, "date"]).any():
        if duplicates == "sum":
            frame = _sum_duplicates(frame, keys)
        else:
            check_unique(
                frame,
                [*keys, "date"],
                label,
                "keep one row per series and date, or pass duplicates='sum' to add them up",
                column="date",
            )
    if known_freq is not None and given is None and not _freq_fits(frame, known_freq):
        known_freq = None  # attrs["freq"] survived an operation that changed the dates: infer again
    if known_freq is None:
        known_freq = infer_frequency(frame, label, keys, presorted=True)
    elif known_freq != "D":
        day = known_freq[2:]
        wrong = frame["date"].dt.day_name().str[:3].str.upper() != day
        if wrong.any():
            raise data_error(
                label,
                "date",
                f"{int(wrong.sum())} dates are not on a {day} "
                f"(freq={known_freq!r}: weeks labelled by their last day)",
                "label each week by its last day, or pass the right freq",
                frame,
                wrong,
                show=[*keys, "date"],
            )
    negative = (frame["units"] < 0).to_numpy()
    if negative.any() and not already:
        data_warning(
            label,
            "units",
            f"{plural(int(negative.sum()), 'row')} {'has' if negative.sum() == 1 else 'have'} "
            "negative units (returns?); they are kept",
            "check them, or set them to 0 if they are not returns",
            frame,
            negative,
            show=[*keys, "date", "units"],
        )
    filled = int(prior.get("filled_periods", 0)) if already else 0
    if fill_missing:
        frame, added = fill_missing_periods(frame, keys, known_freq, presorted=True)
        filled += added
    frame = frame.reset_index(drop=True)
    frame.attrs = {
        "source": label,
        "freq": known_freq,
        "filled_periods": filled,
        _CANONICAL_MARK: True,
    }
    dropped = prior.get("dropped_columns") if already else meta.get("dropped_columns")
    if dropped:
        frame.attrs["dropped_columns"] = list(dropped)
    return frame


def _reject_wide(raw: pd.DataFrame, label: str) -> None:
    """A date and many numeric columns but no units: a wide table; say how to make it long."""
    others = [c for c in raw.columns if c not in SALES_COLUMNS]
    if "units" in raw.columns or "date" not in raw.columns or len(others) < 2 or raw.empty:
        return
    head = raw[others].head(50).astype("str").apply(lambda c: c.str.replace(",", "", regex=False))
    if head.apply(lambda c: pd.to_numeric(c, errors="coerce")).notna().mean().mean() < 0.9:
        return
    shown = ", ".join(map(repr, others[:3])) + (
        f" ... ({len(others)} columns)" if len(others) > 3 else ""
    )
    raise data_error(
        label,
        "units",
        f"the table is wide (one column of units per series: {shown}); launchcast reads long "
        "tables",
        "reshape it to one row per date and series with columns date, store, units, e.g. "
        "frame.melt(id_vars='date', var_name='store', value_name='units')",
    )


def _coerce_sales(raw: pd.DataFrame) -> pd.DataFrame:
    label = str(raw.attrs["source"])
    _reject_wide(raw, label)
    check_required(raw, ["date", "units"], label, "sales")
    require_rows(raw, label)
    out = pd.DataFrame(index=raw.index)
    out["date"] = parse_dates(raw, "date", label)
    for col in ("store", "sku", "category", "region"):
        if col in raw.columns:
            out[col] = id_column(raw, col, label)
    out["units"] = finite_numbers(raw, "units", label)
    if "price" in raw.columns:
        out["price"] = finite_numbers(
            raw,
            "price",
            label,
            allow_blank=True,
            minimum=0.0,
            fix="write prices as plain non-negative numbers or leave them blank",
        )
    if "stockout" in raw.columns:
        out["stockout"] = parse_bools(raw, "stockout", label)
    dropped = [c for c in raw.columns if c not in SALES_COLUMNS]
    out.attrs = {**raw.attrs, "dropped_columns": dropped}
    return out


@dataclass(frozen=True)
class Inputs:
    """The tables of one run, each canonical or ``None`` if not given (see :func:`read_inputs`)."""

    sales: pd.DataFrame | None = None
    stores: pd.DataFrame | None = None
    products: pd.DataFrame | None = None
    judgments: pd.DataFrame | None = None


def read_inputs(
    *,
    sales: Source | None = None,
    stores: Source | None = None,
    products: Source | None = None,
    judgments: Source | None = None,
    columns: Columns = None,
    freq: str | None = None,
    duplicates: str = "raise",
    as_of: object = None,
) -> Inputs:
    """Read the tables of one run with one column mapping and cross-check them (for the CLI).

    The ``columns`` mapping is shared: each entry applies to every table that has that source
    column, and an entry that matches no table is an error (a typo would otherwise pass silently).
    An Excel sheet is chosen with ``"book.xlsx#sheet"``. Cross-checks: stores without sales history
    are a warning; judgments for skus missing from the products (or stores missing from the stores
    or sales) are an error.

    Parameters
    ----------
    sales, stores, products, judgments : path or DataFrame, optional
        The tables given.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}`` or the text forms of :func:`parse_columns`.
    freq, duplicates, as_of
        Passed to :func:`read_sales`.

    Returns
    -------
    Inputs
        The canonical tables (``None`` for those not given).

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"日期": ["2012-01-01"], "门店": ["a"], "units": [1]})
    >>> stores = pd.DataFrame({"门店": ["a"], "grade": ["A"]})
    >>> got = read_inputs(sales=sales, stores=stores, columns="日期=date,门店=store")
    >>> got.stores["store"].tolist(), got.products is None
    (['a'], True)
    """
    mapping = parse_columns(columns)
    given = {"sales": sales, "stores": stores, "products": products, "judgments": judgments}
    raw: dict[str, pd.DataFrame] = {}
    for name, source in given.items():
        if source is not None:
            raw[name] = read_table(source, name=name)
    unused = [src for src in mapping if not any(src in frame.columns for frame in raw.values())]
    if unused:
        there = "; ".join(
            f"{frame.attrs['source']}: {', '.join(map(repr, frame.columns))}"
            for frame in raw.values()
        )
        raise DataValidationError(
            f"--columns: {', '.join(map(repr, unused))} is not a column of any input ({there}). "
            "Fix: correct the source names in the mapping."
        )

    def part(name: str) -> dict[str, str]:
        return {k: v for k, v in mapping.items() if k in raw[name].columns}

    table = {}
    if "sales" in raw:
        table["sales"] = read_sales(
            raw["sales"], part("sales"), freq, duplicates=duplicates, as_of=as_of
        )
    if "stores" in raw:
        table["stores"] = read_stores(raw["stores"], part("stores"), sales=table.get("sales"))
    if "products" in raw:
        table["products"] = read_products(raw["products"], part("products"))
    if "judgments" in raw:
        known_stores = table.get("stores", table.get("sales"))
        table["judgments"] = read_judgments(
            raw["judgments"], part("judgments"), products=table.get("products"), stores=known_stores
        )
    return Inputs(**table)
