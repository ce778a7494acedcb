"""Readers: the one place where data enter launchcast, and where they are validated.

Each reader takes a path (CSV, Parquet, Excel ``.xlsx`` with an optional ``sheet``) or a DataFrame,
and a ``columns={"source name": "canonical name"}`` mapping so that a planner's export with Chinese
or ERP column names loads without editing it. It checks the table against the data contract (see
``DESIGN.md``) and gives it proper dtypes: dates ``datetime64[ns]``, quantities ``float64``, ids
``str``, flags ``bool``; or raises :class:`~forecasting.exceptions.DataValidationError` naming the
file, the column, up to five offending rows with their values, and the fix.

Validated once
--------------
``validate_sales``, ``validate_stores``, ``validate_products`` and ``validate_judgments`` return the
validated table with what validation established (:mod:`forecasting.inputs.validated`: the
frequency and series keys of sales, the source name). Every function that takes sales, stores,
products or judgments accepts these tables and uses them as they are; it validates a path or a
DataFrame first (:func:`as_sales` and its siblings). ``read_sales``, ``read_stores``,
``read_products`` and ``read_judgments`` return just the canonical DataFrame; passed on, a DataFrame
is validated again, so validate once and pass the validated table when several steps use it.
:func:`read_inputs` validates the tables of one run together and checks them against each other.

CSV files are read as UTF-8 (with or without BOM) or, when they read as Chinese text, as
GBK/GB18030 (what Chinese Excel writes); ``,``, ``;`` and tab separators are recognised. Ids keep
their leading zeros.

Never a guess
-------------
Input that could be read two ways is an error that asks, and every reader takes the answer as an
option (:func:`read_inputs` passes it to every table): ``date_order="DMY"``, ``"MDY"`` or ``"YMD"``
for ``05/01/2011``-style dates that no day above 12 settles; ``decimal=","`` (or ``"."``) for
decimal commas (``10,5``) and for ``1,234`` in a ``;``-separated file; ``encoding="latin-1"`` (any
Python codec) for a CSV file that is neither UTF-8 nor Chinese. Two columns with one header, years
outside 1900-2100, numbers beyond ±1e9, and damaged, empty or binary files are errors naming the
file. A time-zone offset is dropped, keeping the date written (see :mod:`.cells`). Rows that repeat
the series keys while an unmapped column differs inside them get a fix that names that column: map
it to ``sku`` (a style code, 款号, SKU, ... first) or name it a series key with ``by=[...]``, or
add the rows up.

Policies of :func:`validate_sales`
----------------------------------
- The series keys are ``store`` and ``sku`` when present (else ``category`` and/or ``region``),
  or exactly the columns named with ``by=[...]`` (any columns: ``["store", "dept"]``, ``"item"``).
  Only the canonical sales columns and the ``by`` keys are kept (the others are listed in
  ``dropped_columns``). Rows are sorted by the series keys then ``date``.
- The frequency (daily, weekly or monthly) is inferred from the dates or given with ``freq=`` and
  then checked against them (see :mod:`forecasting.inputs.frequency`).
- Missing periods inside a series are filled with zero units (see
  :mod:`forecasting.inputs.frequency`); ``stockout`` is kept as given. Turn filling off with
  ``fill_missing=False``.
- Negative units (returns) are kept and reported with a
  :class:`~forecasting.inputs.DataQualityWarning`.
- Two rows with the same keys and date are an error unless ``duplicates="sum"`` (units summed,
  ``stockout`` if any row says so, ``price`` averaged).
- Dates after ``as_of`` are an error (sales cannot come from the future).

Stores, products and judgments
------------------------------
One row per store (``store`` required; ``strategic`` defaults to False, a blank ``min_units`` to 0,
a blank ``max_units`` to no cap), per sku (``sku`` and ``category`` required; every other column is
kept as an attribute), and per sku, forecaster (and store) for judgments (``sku``, ``forecaster``,
``units`` required). Cross-checks when tables are given together: a store in the stores table
without sales history is a *warning* (a new store is normal; allocation treats it as having no
history); a judgment for a sku missing from the products, or for a store missing from the stores,
is an *error* (almost always a typo that would silently drop a planner's estimate).

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame(
...     {"销售日期": ["2012-03-02", "2012-03-09"], "门店": ["SH01", "SH01"], "销量": [5, 7]}
... )
>>> sales = validate_sales(raw, columns={"销售日期": "date", "门店": "store", "销量": "units"})
>>> sales.freq, sales.keys, sales.frame["units"].dtype.name, list(sales.frame.columns)
('W-FRI', ('store',), 'float64', ['date', 'store', 'units'])
>>> read_stores(pd.DataFrame({"store": ["a", "b"]}))["strategic"].tolist()
[False, False]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.crosscheck import check_store_ids, warn_stores_without_history
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.frequency import (
    check_frequency,
    fill_missing_periods,
    infer_frequency,
    normalize_freq,
    sales_frequency,
    series_keys,
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
from forecasting.inputs.validated import JudgmentsTable, ProductsTable, SalesTable, StoresTable
from forecasting.inputs.validation import (
    check_known,
    check_not_after,
    check_required,
    check_unique,
    data_error,
    data_warning,
    in_words_of,
    plural,
)

__all__ = [
    "JUDGMENT_COLUMNS",
    "PRODUCT_COLUMNS",
    "SALES_COLUMNS",
    "STORE_COLUMNS",
    "Inputs",
    "JudgmentsTable",
    "ProductsTable",
    "SalesTable",
    "StoresTable",
    "as_judgments",
    "as_products",
    "as_sales",
    "as_stores",
    "check_duplicates_option",
    "parse_columns",
    "read_inputs",
    "read_judgments",
    "read_products",
    "read_sales",
    "read_stores",
    "read_table",
    "sales_frequency",
    "validate_judgments",
    "validate_products",
    "validate_sales",
    "validate_stores",
]

SALES_COLUMNS = ("date", "store", "sku", "category", "region", "units", "price", "stockout")
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
_ID = ("store", "sku", "category", "region", "forecaster", "grade")

Reference = SalesTable | StoresTable | ProductsTable | pd.DataFrame | Iterable[str]


# ------------------------------------------------------------------------------------------ sales


def _is_canonical(frame: pd.DataFrame, extra: Sequence[str] = ()) -> bool:
    """The columns and dtypes of canonical sales (then the cells need no parsing).

    ``extra`` are key columns outside the canonical ones (named with ``by``): they must be there,
    without blanks.
    """
    cols = frame.columns
    if "date" not in cols or "units" not in cols or not set(cols) <= {*SALES_COLUMNS, *extra}:
        return False
    if any(c not in cols or frame[c].isna().any() for c in extra):
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


def _sum_duplicates(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    how: dict[str, str] = {"units": "sum"}
    for c in frame.columns:
        if c not in {*keys, "date", "units"}:
            how[c] = {"stockout": "any", "price": "mean"}.get(c, "first")
    out = frame.groupby([*keys, "date"], sort=False, as_index=False, dropna=False).agg(how)
    return out[list(frame.columns)]


_STYLE_NAME = re.compile(
    r"(?i)款号|款式|款色|货号|货品|商品|品号|物料|条码|sku|style|item|article|product|upc|ean|barcode"
)


def _by_words(keys: Sequence[str]) -> str:
    """``by=[...]`` as the interface in use spells it."""
    return in_words_of(python=f"by={list(keys)!r}", cli="--by " + ",".join(map(str, keys)))


def _key_hint(
    raw: pd.DataFrame,
    frame: pd.DataFrame,
    keys: list[str],
    columns: Columns,
    by_given: bool = False,
) -> str | None:
    """The fix for rows that repeat the series keys when another column tells them apart.

    ``frame`` is the coerced table in ``raw``'s row order. A style-like column (款号, SKU, ...) is
    to be mapped to ``sku`` or named a series key with ``by=[...]``; another column that varies
    inside the repeated rows may be a key too, or the rows are parts of one sale to add up. With
    ``by`` given (``by_given``), every column but the keys, date, units, price and stockout is a
    candidate, and the fix names ``by`` only.
    """
    if by_given:
        others = [c for c in raw.columns if c not in {*keys, "date", "units", "price", "stockout"}]
    else:
        others = [c for c in raw.columns if c not in SALES_COLUMNS]
    if not others:
        return None
    repeated = frame.duplicated([*keys, "date"], keep=False).to_numpy()
    groups = [frame[k].to_numpy()[repeated] for k in [*keys, "date"]]
    inside = raw.loc[repeated, others]
    spread = inside.groupby(groups, sort=False, dropna=False).nunique(dropna=False).max()
    varying = [c for c in others if spread[c] > 1]
    if not varying:
        return None
    styles = [c for c in varying if _STYLE_NAME.search(str(c))]
    sum_words = in_words_of(python="duplicates='sum'", cli="--duplicates sum")
    if styles and "sku" not in keys:
        col = styles[0]
        by_words = _by_words([*keys, col])
        if by_given:
            return (
                f"the column {col!r} differs inside these rows and looks like the style code: "
                f"make it a series key: {by_words}"
            )
        mapping = {**parse_columns(raw.attrs.get("mapping") or columns), col: "sku"}
        python = "columns={" + ", ".join(f"{k!r}: {v!r}" for k, v in mapping.items()) + "}"
        cli = "--columns '" + ",".join(f"{k}={v}" for k, v in mapping.items()) + "'"
        return (
            f"the column {col!r} differs inside these rows and looks like the style code: map it "
            f"to sku: {in_words_of(python=python, cli=cli)}, or name the series keys: {by_words}"
        )
    counts = inside.nunique(dropna=False)
    col = min(varying, key=lambda c: int(counts[c]))
    by_words = _by_words([*keys, str(col)])
    if by_given:
        return (
            f"the column {col!r} differs inside these rows: if it tells the series apart (a "
            f"style, a department, a colour-size code), make it a series key: {by_words}; if the "
            f"rows are parts of one period's sales, add them up: {sum_words}"
        )
    mapping = {**parse_columns(raw.attrs.get("mapping") or columns), str(col): "sku"}
    python = "columns={" + ", ".join(f"{k!r}: {v!r}" for k, v in mapping.items()) + "}"
    cli = "--columns '" + ",".join(f"{k}={v}" for k, v in mapping.items()) + "'"
    return (
        f"the column {col!r} differs inside these rows: if it tells the series apart (a style, "
        f"a department, a colour-size code), name the series keys: {by_words}, or map it to "
        f"sku: {in_words_of(python=python, cli=cli)}; if the rows are parts of one day's sales, "
        f"add them up: {sum_words}"
    )


def _as_by(by: str | Sequence[str] | None, label: str) -> list[str] | None:
    """``by`` as a list of column names (``None`` when not given); raise on a bad one."""
    if by is None:
        return None
    names = [by] if isinstance(by, str) else list(by)
    bad = [n for n in names if not isinstance(n, str) or not n.strip()]
    reserved = [n for n in names if n in ("date", "units", "price", "stockout")]
    repeated = sorted({n for n in names if names.count(n) > 1}, key=str)
    if bad or reserved or repeated:
        problem = (
            f"{bad!r} {'is not a column name' if len(bad) == 1 else 'are not column names'}"
            if bad
            else f"{reserved!r} cannot be a key (of a series)"
            if reserved
            else f"{repeated!r} is named twice"
        )
        raise DataValidationError(
            f"{label}: {_by_words(names)}: {problem}. Fix: name the columns that tell the "
            f"series apart, each once, e.g. {_by_words(['store', 'sku'])}."
        )
    return names


def _check_by_columns(frame: pd.DataFrame, keys: Sequence[str], label: str) -> None:
    """Raise if a ``by`` column is not in the (mapped) table, listing the columns there."""
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        there = ", ".join(repr(str(c)) for c in frame.columns)
        raise data_error(
            label,
            missing[0],
            f"{_by_words(keys)} names {'a column' if len(missing) == 1 else 'columns'} "
            f"that the sales do not have (the columns are: {there})",
            "name columns of the table (after the column mapping), or map a column to that name",
        )


def check_duplicates_option(duplicates: str) -> None:
    """Raise unless ``duplicates`` is ``"raise"`` or ``"sum"`` (two rows of one series and date).

    Examples
    --------
    >>> check_duplicates_option("sum")
    >>> check_duplicates_option("keep")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: duplicates: 'keep' is not an option. Fix: use
    'raise' or 'sum'.
    """
    if duplicates not in {"raise", "sum"}:
        raise DataValidationError(
            f"duplicates: {duplicates!r} is not an option. Fix: use 'raise' or 'sum'."
        )


def validate_sales(
    source: SalesTable | Source | object,
    columns: Columns = None,
    freq: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    duplicates: str = "raise",
    as_of: object = None,
    fill_missing: bool = True,
) -> SalesTable:
    """Read and validate a sales table (long format: one row per date and series).

    Parameters
    ----------
    source : path, DataFrame or SalesTable
        CSV, Parquet or Excel file, or a DataFrame (not modified); a :class:`SalesTable` is
        validated again (with its frequency and keys unless ``freq`` or ``by`` is given).
    columns : mapping or str, optional
        ``{"source name": "canonical name"}`` (see :func:`parse_columns` for the text forms); a
        column may also be mapped to a name listed in ``by``.
    freq : str, optional
        ``"D"``, ``"W-<DAY>"`` (weeks labelled by their last day), ``"W-LAUNCH"`` (weeks counted
        from each product's launch, each sku on its own weekday; for new-product data only: the
        demand forecast, backtests and other calendar steps refuse it), ``"MS"`` (months labelled
        by their first day; also ``"monthly"``) or ``"ME"`` (by their last day; also ``"M"``);
        inferred when omitted. A frequency given must fit the dates (an error otherwise, never a
        re-reading as another frequency).
    by : str or sequence of str, optional
        The columns whose values identify one series, as named after the column mapping (any
        columns: ``["store", "dept"]``, ``"item"``, ``["Store", "Dept"]``). Rows must be unique
        per ``by`` and date, missing periods are filled per ``by``, and ``keys`` is ``tuple(by)``.
        Key columns that are not sales columns are kept with their dtype (the canonical ids
        ``store``, ``sku``, ``category``, ``region`` become text as always); a key must not be
        blank. By default the keys are ``store`` and ``sku`` when present, else ``category``
        and/or ``region``, and other columns are dropped.
    sheet : str or int, optional
        Excel sheet.
    encoding : str, optional
        A CSV file's text encoding (e.g. ``"latin-1"``), used as given; by default UTF-8, or
        GB18030 for Chinese text (see :func:`~forecasting.inputs.tables.read_table`).
    date_order : {"DMY", "MDY", "YMD"}, optional
        The order of ``05/01/2011``-style dates; by default each date column settles it (a day
        above 12) or is an error that asks.
    decimal : {".", ","}, optional
        The decimal mark of numbers written as text; by default a decimal comma (``10,5``) is an
        error that asks.
    duplicates : {"raise", "sum"}
        What to do with two rows of the same series and date.
    as_of : date-like, optional
        Raise if a row is dated after it.
    fill_missing : bool, default True
        Fill the periods missing inside each series with zero units (module policy).

    Returns
    -------
    SalesTable
        ``frame`` with columns among ``date, store, sku, category, region``, the other ``by``
        keys, ``units, price, stockout`` in that order (its ``attrs`` repeat ``freq``, ``source``
        and ``filled_periods`` for information); ``freq``, ``keys``, ``source``,
        ``filled_periods`` and ``dropped_columns``.

    Raises
    ------
    DataValidationError
        Missing required column, unreadable dates, units that are not finite numbers, duplicated
        keys, an empty table, mixed frequencies, monthly rows on mixed days of the month, dates
        that do not fit ``freq``, a ``by`` column that is missing or blank, dates after
        ``as_of``.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"date": ["2012-01-01", "2012-01-03"], "store": "a", "units": [2, 3]})
    >>> sales = validate_sales(raw)
    >>> sales.frame["units"].tolist(), sales.freq, sales.keys, sales.filled_periods
    ([2.0, 0.0, 3.0], 'D', ('store',), 1)
    >>> as_sales(sales) is sales  # a validated table is used as it is
    True

    Any columns can key the series, and monthly data stay monthly:

    >>> raw = pd.DataFrame({"Date": ["2012-01-01", "2012-03-01", "2012-01-01"],
    ...                     "Store": [1, 1, 2], "Dept": [7, 7, 7], "units": [5, 6, 7]})
    >>> sales = validate_sales(raw, by=["Store", "Dept"])
    >>> sales.freq, sales.keys, sales.frame["Store"].tolist(), sales.filled_periods
    ('MS', ('Store', 'Dept'), [1, 1, 1, 2], 1)
    """
    check_duplicates_option(duplicates)
    given = normalize_freq(freq) if freq is not None else None
    if isinstance(source, SalesTable):
        given = given or source.freq
        if by is None:
            by = list(source.keys)
        source = source.frame
    named = _as_by(by, _label_of(source))
    extra = [k for k in named or () if k not in SALES_COLUMNS]
    raw: pd.DataFrame | None = None
    if isinstance(source, pd.DataFrame) and columns is None and _is_canonical(source, extra):
        frame = source[_sales_order(source.columns, extra)].copy(deep=False)
        frame.attrs = {"source": str(source.attrs.get("source", "sales")), "row_noun": "row"}
        if named is not None:
            _check_by_columns(frame, named, str(frame.attrs["source"]))
    else:
        table = read_table(
            source,
            sheet=sheet,
            name="sales",
            encoding=encoding,
            date_order=date_order,
            decimal=decimal,
        )
        raw = apply_columns(table, columns, (*SALES_COLUMNS, *extra), "sales", keep=named or ())
        if named is not None:
            _check_by_columns(raw, named, str(raw.attrs["source"]))
        frame = _coerce_sales(raw, extra)
    meta = dict(frame.attrs)
    label = str(meta["source"])
    require_rows(frame, label)
    keys = series_keys(frame) if named is None else named
    if as_of is not None:
        check_not_after(frame, "date", as_of, label, show=[*keys, "date", "units"])
    unsorted = frame
    if not _is_sorted(frame, keys):
        frame = frame.sort_values([*keys, "date"], kind="stable")
    if frame.duplicated([*keys, "date"]).any():
        if duplicates == "sum":
            frame = _sum_duplicates(frame, keys)
        else:
            hint = (
                _key_hint(raw, unsorted, keys, columns, named is not None)
                if raw is not None
                else None
            )
            check_unique(
                frame,
                [*keys, "date"],
                label,
                hint
                or "keep one row per series and date, name the columns that tell the series "
                f"apart ({_by_words([*keys, '<column>'])}), or pass duplicates='sum' to add "
                "them up",
                column="date",
            )
    if given is None:
        known_freq = infer_frequency(frame, label, keys, presorted=True)
    else:
        known_freq = check_frequency(frame, given, label, keys)
    negative = (frame["units"] < 0).to_numpy()
    if negative.any():
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
    filled = 0
    if fill_missing:
        frame, filled = fill_missing_periods(frame, keys, known_freq, presorted=True)
    frame = frame.reset_index(drop=True)
    dropped = tuple(str(c) for c in meta.get("dropped_columns") or ())
    frame.attrs = {"source": label, "freq": known_freq, "filled_periods": filled}
    if dropped:
        frame.attrs["dropped_columns"] = list(dropped)
    return SalesTable(
        frame=frame,
        freq=known_freq,
        keys=tuple(keys),
        source=label,
        filled_periods=filled,
        dropped_columns=dropped,
    )


def read_sales(
    source: SalesTable | Source | object,
    columns: Columns = None,
    freq: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    duplicates: str = "raise",
    as_of: object = None,
    fill_missing: bool = True,
) -> pd.DataFrame:
    """Read and validate a sales table; return the canonical DataFrame.

    The same as :func:`validate_sales` but for what it returns: just the frame. To pass the
    sales on to several steps without validating them again, use :func:`validate_sales`.

    Parameters
    ----------
    source, columns, freq, by, sheet, duplicates, as_of, fill_missing, encoding, date_order, decimal
        See :func:`validate_sales`.

    Returns
    -------
    DataFrame
        Columns among ``date, store, sku, category, region``, the other ``by`` keys, ``units,
        price, stockout`` in that order;
        ``attrs["freq"]``, ``attrs["source"]`` and ``attrs["filled_periods"]`` say what validation
        found (for information: a DataFrame given to another function is validated again).

    Raises
    ------
    DataValidationError
        See :func:`validate_sales`.

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
    return validate_sales(
        source,
        columns,
        freq,
        by=by,
        sheet=sheet,
        duplicates=duplicates,
        as_of=as_of,
        fill_missing=fill_missing,
        encoding=encoding,
        date_order=date_order,
        decimal=decimal,
    ).frame


def as_sales(
    sales: SalesTable | Source | object,
    *,
    by: str | Sequence[str] | None = None,
    freq: str | None = None,
) -> SalesTable:
    """``sales`` as validated sales: a :class:`SalesTable` as it is, anything else validated.

    This is how the steps of launchcast take their sales. ``by`` here is the level a step works at
    (a forecast per store, per department, ...), which may be coarser than the rows: a table or
    DataFrame is validated with its default keys (``store``, ``sku``, ...) together with the
    ``by`` columns (so that a column such as ``dept`` is kept as a key and not dropped), and the
    step adds the rows up to ``by``. To key the rows by exactly some columns, validate them once
    with :func:`validate_sales` (``by=``) and pass the table.

    Parameters
    ----------
    sales : SalesTable, path or DataFrame
        Validated sales, or a table for :func:`validate_sales` (default options).
    by : str or sequence of str, optional
        Columns the step keys its series by; each must be a column of the sales.
    freq : str, optional
        The frequency (see :func:`validate_sales`); a :class:`SalesTable` of another frequency is
        an error.

    Returns
    -------
    SalesTable

    Raises
    ------
    DataValidationError
        As :func:`validate_sales`; a ``by`` column the sales do not have; a ``freq`` that differs
        from a validated table's.

    Examples
    --------
    >>> import pandas as pd
    >>> as_sales(pd.DataFrame({"date": ["2012-01-01"], "units": [1]})).freq
    'D'
    >>> raw = pd.DataFrame({"date": ["2012-01-06", "2012-01-06"], "store": ["1", "1"],
    ...                     "dept": [7, 9], "units": [1, 2]})
    >>> as_sales(raw, by="dept").keys
    ('store', 'dept')
    """
    if isinstance(sales, SalesTable):
        named = _as_by(by, sales.source)
        if named is not None:
            _check_by_columns(sales.frame, named, sales.source)
        if freq is not None and normalize_freq(freq) != sales.freq:
            raise DataValidationError(
                f"{sales.source}: {option('freq', normalize_freq(freq))} was given, but the "
                f"sales were validated as {sales.freq!r}. Fix: leave {option('freq')} out, or "
                "validate the sales again with that frequency."
            )
        return sales
    named = _as_by(by, _label_of(sales))
    if named is None:
        return validate_sales(sales, freq=freq)
    table = read_table(sales, name="sales")
    mapped = apply_columns(table, None, (*SALES_COLUMNS, *named), "sales", keep=named)
    _check_by_columns(mapped, named, str(mapped.attrs.get("source", "sales")))
    defaults = series_keys(mapped)
    keys = [*defaults, *[k for k in named if k not in defaults]]
    return validate_sales(table, freq=freq, by=keys)  # read once


def _reject_wide(raw: pd.DataFrame, label: str) -> None:
    """A date and many numeric columns but no units: a wide table; say how to make it long."""
    others = [c for c in raw.columns if c not in SALES_COLUMNS]
    if "units" in raw.columns or "date" not in raw.columns or len(others) < 2 or raw.empty:
        return
    head = raw[others].head(50).astype(TEXT).apply(lambda c: c.str.replace(",", "", regex=False))
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


def _label_of(source: object) -> str:
    """The name of sales for messages before they are read."""
    if isinstance(source, pd.DataFrame):
        return str(source.attrs.get("source", "sales"))
    return str(source) if isinstance(source, str | os.PathLike) else "sales"


def _sales_order(columns: Iterable[object], extra: Sequence[str]) -> list[str]:
    """The canonical column order: date and the canonical ids, the other keys, then the rest."""
    present = {str(c) for c in columns}
    ids = [c for c in SALES_COLUMNS[:5] if c in present]
    rest = [c for c in SALES_COLUMNS[5:] if c in present]
    return [*ids, *[c for c in extra if c in present], *rest]


def _coerce_sales(raw: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
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
    for col in extra:  # keys named with by: kept with their dtype, never blank
        blank = raw[col].isna().to_numpy()
        if pd.api.types.is_object_dtype(raw[col]) or pd.api.types.is_string_dtype(raw[col]):
            blank |= (raw[col].astype(TEXT).str.strip() == "").to_numpy()
        if blank.any():
            raise data_error(
                label,
                col,
                f"{plural(int(blank.sum()), 'row')} without a {col} (a series key)",
                f"fill in the {col} or delete those rows",
                raw,
                blank,
            )
        out[col] = raw[col]
    out = out[_sales_order(out.columns, extra)]
    dropped = [c for c in raw.columns if c not in SALES_COLUMNS and c not in extra]
    out.attrs = {**raw.attrs, "dropped_columns": dropped}
    return out


# ------------------------------------------------------------------ stores, products, judgments


def _known(reference: Reference, column: str) -> set[str]:
    if isinstance(reference, SalesTable | StoresTable | ProductsTable):
        reference = reference.frame
    if isinstance(reference, pd.DataFrame):
        if column not in reference.columns:
            return set()
        return set(reference[column].dropna().astype(TEXT))
    return {str(v) for v in reference}


def _frame_of(source: object) -> object:
    """What to read: the frame of an already validated table (validated again), else ``source``."""
    if isinstance(source, StoresTable | ProductsTable | JudgmentsTable):
        return source.frame
    return source


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
                extra.astype(TEXT).where(extra.notna())
                if not (
                    pd.api.types.is_numeric_dtype(extra)
                    or pd.api.types.is_datetime64_any_dtype(extra)
                )
                else extra
            )
    out = out.reset_index(drop=True)
    out.attrs = {"source": label}
    return out


def validate_stores(
    source: StoresTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    sales: Reference | None = None,
) -> StoresTable:
    """Read and validate the stores table (one row per store).

    Parameters
    ----------
    source : path, DataFrame or StoresTable
        The table; ``store`` is required. A :class:`StoresTable` is validated again.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``.
    sheet : str or int, optional
        Excel sheet.
    encoding, date_order, decimal : str, optional
        How the file is read: see :func:`validate_sales`.
    sales : SalesTable, DataFrame or iterable of str, optional
        Sales (or their store ids): a store without sales history gets a
        :class:`~forecasting.inputs.DataQualityWarning` (a new store is legitimate).

    Returns
    -------
    StoresTable
        ``frame``: ``store`` (str), ``region``/``grade`` (str, when given), ``strategic`` (bool,
        default False), ``min_units`` (float, blank = 0: no presentation minimum), ``max_units``
        (float, blank = NaN: no cap), ``open_date``/``close_date`` (datetime64, when given), then
        any other columns as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"门店": ["SH01", "BJ02"], "重点": ["是", "否"], "陈列": [120, None]})
    >>> mapping = {"门店": "store", "重点": "strategic", "陈列": "min_units"}
    >>> stores = validate_stores(raw, columns=mapping)
    >>> stores.frame[["store", "strategic", "min_units", "max_units"]].values.tolist()
    [['SH01', True, 120.0, nan], ['BJ02', False, 0.0, nan]]
    """
    raw = apply_columns(
        read_table(
            _frame_of(source),
            sheet=sheet,
            name="stores",
            encoding=encoding,
            date_order=date_order,
            decimal=decimal,
        ),
        columns,
        None,
        "stores",
    )
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
        warn_stores_without_history(
            out["store"], _known(sales, "store"), label, frame=raw.assign(**out)
        )
    return StoresTable(frame=_finish(out, raw, STORE_COLUMNS, label), source=label)


def read_stores(
    source: StoresTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    sales: Reference | None = None,
) -> pd.DataFrame:
    """Read and validate the stores table; return the canonical DataFrame.

    :func:`validate_stores` but for what it returns: just the frame.

    Parameters
    ----------
    source, columns, sheet, sales, encoding, date_order, decimal
        See :func:`validate_stores`.

    Returns
    -------
    DataFrame
        The ``frame`` of :func:`validate_stores`.

    Examples
    --------
    >>> import pandas as pd
    >>> read_stores(pd.DataFrame({"store": ["a"], "max_units": [40]}))["max_units"].tolist()
    [40.0]
    """
    return validate_stores(
        source,
        columns,
        sheet=sheet,
        sales=sales,
        encoding=encoding,
        date_order=date_order,
        decimal=decimal,
    ).frame


def as_stores(stores: StoresTable | Source | object) -> StoresTable:
    """``stores`` as a validated table: a :class:`StoresTable` as it is, anything else validated.

    Examples
    --------
    >>> import pandas as pd
    >>> as_stores(pd.DataFrame({"store": ["a"]})).frame["min_units"].tolist()
    [0.0]
    """
    return stores if isinstance(stores, StoresTable) else validate_stores(stores)


def validate_products(
    source: ProductsTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
) -> ProductsTable:
    """Read and validate a products table (past launches or the plan of new styles).

    Parameters
    ----------
    source : path, DataFrame or ProductsTable
        The table; ``sku`` and ``category`` are required, every other column is kept as an
        attribute. A :class:`ProductsTable` is validated again.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``; any target name is allowed (attributes).
    sheet : str or int, optional
        Excel sheet.
    encoding, date_order, decimal : str, optional
        How the file is read: see :func:`validate_sales`.

    Returns
    -------
    ProductsTable
        ``frame``: ``sku``, ``category`` (str), ``launch_date`` (datetime64, when given), ``price``,
        ``unit_cost``, ``salvage_value`` (float, blank = NaN, when given), ``plan_share`` (float
        in (0, 1], blank = NaN, when given: the assortment plan's share of the brand's sales in
        the style's launch window), then the attributes (text stays ``str``). ``salvage_value``
        must be below ``unit_cost``; a ``unit_cost`` not below ``price`` is a warning.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"款号": ["A1"], "品类": ["knit"], "颜色": ["red"], "price": ["399"]})
    >>> mapping = {"款号": "sku", "品类": "category", "颜色": "colour"}
    >>> products = validate_products(raw, columns=mapping).frame
    >>> products.columns.tolist(), products["price"].tolist()
    (['sku', 'category', 'price', 'colour'], [399.0])
    """
    raw = apply_columns(
        read_table(
            _frame_of(source),
            sheet=sheet,
            name="products",
            encoding=encoding,
            date_order=date_order,
            decimal=decimal,
        ),
        columns,
        None,
        "products",
    )
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
    if "plan_share" in raw.columns:  # the assortment plan's share of the launch window's sales
        share = finite_numbers(raw, "plan_share", label, allow_blank=True)
        out["plan_share"] = share
        outside = share.notna() & ~share.between(0.0, 1.0, inclusive="right")
        if outside.any():
            raise data_error(
                label,
                "plan_share",
                f"{int(outside.sum())} share(s) are not above 0 and at most 1",
                "write the share of the brand's sales in the style's launch window that the "
                "assortment plan gives it as a fraction (0.0006 for 0.06 %), or leave it blank",
                raw.assign(**out),
                outside.to_numpy(),
                show=["sku", "plan_share"],
            )
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
        loss = (out["unit_cost"] > out["price"]).to_numpy()
        if loss.any():
            raise data_error(
                label,
                "unit_cost",
                "the unit cost is above the price (every unit sold would lose money)",
                "check the prices and costs of these skus (are the two columns swapped?)",
                view,
                loss,
                show=["sku", "price", "unit_cost"],
            )
        even = (out["unit_cost"] == out["price"]).to_numpy()
        if even.any():
            data_warning(
                label,
                "unit_cost",
                "the unit cost equals the price (no margin)",
                "check the prices; the depth of these skus will be their minimum",
                view,
                even,
                show=["sku", "price", "unit_cost"],
            )
    return ProductsTable(frame=_finish(out, raw, PRODUCT_COLUMNS, label), source=label)


def read_products(
    source: ProductsTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
) -> pd.DataFrame:
    """Read and validate a products table; return the canonical DataFrame.

    :func:`validate_products` but for what it returns: just the frame.

    Parameters
    ----------
    source, columns, sheet, encoding, date_order, decimal
        See :func:`validate_products`.

    Returns
    -------
    DataFrame
        The ``frame`` of :func:`validate_products`.

    Examples
    --------
    >>> import pandas as pd
    >>> read_products(pd.DataFrame({"sku": ["A1"], "category": ["knit"]})).columns.tolist()
    ['sku', 'category']
    """
    return validate_products(
        source, columns, sheet=sheet, encoding=encoding, date_order=date_order, decimal=decimal
    ).frame


def as_products(products: ProductsTable | Source | object) -> ProductsTable:
    """``products`` as a validated table: a :class:`ProductsTable` as it is, else validated.

    Examples
    --------
    >>> import pandas as pd
    >>> as_products(pd.DataFrame({"sku": ["A1"], "category": ["knit"]})).source
    'products'
    """
    return products if isinstance(products, ProductsTable) else validate_products(products)


def validate_judgments(
    source: JudgmentsTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    products: Reference | None = None,
    stores: Reference | None = None,
) -> JudgmentsTable:
    """Read and validate planners' and sales staff's estimates (one row per sku and forecaster).

    Parameters
    ----------
    source : path, DataFrame or JudgmentsTable
        ``sku``, ``forecaster`` and ``units`` (expected sales over ``horizon_weeks`` weeks after
        launch) are required; ``horizon_weeks`` and ``store`` are optional. A
        :class:`JudgmentsTable` is validated again.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}``.
    sheet : str or int, optional
        Excel sheet.
    encoding, date_order, decimal : str, optional
        How the file is read: see :func:`validate_sales`.
    products : ProductsTable, DataFrame or iterable of str, optional
        Known skus: a judgment for another sku is an error.
    stores : StoresTable, SalesTable, DataFrame or iterable of str, optional
        Known stores (a stores table or sales): a judgment for another store is an error.

    Returns
    -------
    JudgmentsTable
        ``frame``: ``sku``, ``forecaster`` (str), ``units`` (float >= 0), ``horizon_weeks`` (int,
        when given), ``store`` (str, when given), then other columns as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"sku": ["A1", "A1"], "forecaster": ["wang", "li"], "units": [900, 1100],
    ...                     "horizon_weeks": [8, 8]})
    >>> validate_judgments(raw, products=["A1"]).frame["units"].tolist()
    [900.0, 1100.0]
    """
    raw = apply_columns(
        read_table(
            _frame_of(source),
            sheet=sheet,
            name="judgments",
            encoding=encoding,
            date_order=date_order,
            decimal=decimal,
        ),
        columns,
        None,
        "judgments",
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
    return JudgmentsTable(frame=_finish(out, raw, JUDGMENT_COLUMNS, label), source=label)


def read_judgments(
    source: JudgmentsTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    products: Reference | None = None,
    stores: Reference | None = None,
) -> pd.DataFrame:
    """Read and validate estimates; return the canonical DataFrame.

    :func:`validate_judgments` but for what it returns: just the frame.

    Parameters
    ----------
    source, columns, sheet, products, stores, encoding, date_order, decimal
        See :func:`validate_judgments`.

    Returns
    -------
    DataFrame
        The ``frame`` of :func:`validate_judgments`.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"sku": ["A1"], "forecaster": ["wang"], "units": [900]})
    >>> read_judgments(raw)["units"].tolist()
    [900.0]
    """
    return validate_judgments(
        source,
        columns,
        sheet=sheet,
        products=products,
        stores=stores,
        encoding=encoding,
        date_order=date_order,
        decimal=decimal,
    ).frame


def as_judgments(judgments: JudgmentsTable | Source | object) -> JudgmentsTable:
    """``judgments`` as a validated table: a :class:`JudgmentsTable` as it is, else validated.

    Examples
    --------
    >>> import pandas as pd
    >>> raw = pd.DataFrame({"sku": ["A1"], "forecaster": ["wang"], "units": [900]})
    >>> as_judgments(raw).frame.columns.tolist()
    ['sku', 'forecaster', 'units']
    """
    return judgments if isinstance(judgments, JudgmentsTable) else validate_judgments(judgments)


# ------------------------------------------------------------------------------ tables together


@dataclass(frozen=True)
class Inputs:
    """The validated tables of one run, each ``None`` if not given (see :func:`read_inputs`)."""

    sales: SalesTable | None = None
    stores: StoresTable | None = None
    products: ProductsTable | None = None
    judgments: JudgmentsTable | None = None


def read_inputs(
    *,
    sales: SalesTable | Source | None = None,
    stores: StoresTable | Source | None = None,
    products: ProductsTable | Source | None = None,
    judgments: JudgmentsTable | Source | None = None,
    columns: Columns = None,
    freq: str | None = None,
    by: str | Sequence[str] | None = None,
    duplicates: str = "raise",
    as_of: object = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
) -> Inputs:
    """Validate the tables of one run together, with one column mapping, and cross-check them.

    The ``columns`` mapping is shared: each entry applies to every table that has that source
    column, and an entry that matches no table is an error (a typo would otherwise pass silently).
    An Excel sheet is chosen with ``"book.xlsx#sheet"``. Cross-checks
    (:func:`forecasting.inputs.crosscheck.check_store_ids`): store ids written differently in the
    sales and the stores table (``001`` vs ``1``) are an error; stores that sold but are missing
    from the stores table (they would get no units) and stores without sales history are a
    warning; judgments for skus missing from the products (or stores missing from the stores or
    sales) are an error. A table given already validated (a :class:`SalesTable`, ...) is taken
    as it is: the mapping, the options and the cross-checks apply to the tables validated here
    (each checked against the others, validated here or before).

    Parameters
    ----------
    sales, stores, products, judgments : path, DataFrame or validated table, optional
        The tables given.
    columns : mapping or str, optional
        ``{"source name": "canonical name"}`` or the text forms of :func:`parse_columns`.
    freq, by, duplicates, as_of
        Passed to :func:`validate_sales` (``by``: the columns that key the sales' series).
    encoding, date_order, decimal : str, optional
        Passed to the reader of every table given as a file or DataFrame (see
        :func:`validate_sales`): the text encoding of CSV files, the order of ``05/01/2011``-style
        dates and the decimal mark of numbers written as text.

    Returns
    -------
    Inputs
        The validated tables (``None`` for those not given).

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"日期": ["2012-01-01"], "门店": ["a"], "units": [1]})
    >>> stores = pd.DataFrame({"门店": ["a"], "grade": ["A"]})
    >>> got = read_inputs(sales=sales, stores=stores, columns="日期=date,门店=store")
    >>> got.stores.frame["store"].tolist(), got.sales.freq, got.products is None
    (['a'], 'D', True)
    >>> read_inputs(sales=got.sales).sales is got.sales  # validated once
    True
    """
    options = {"encoding": encoding, "date_order": date_order, "decimal": decimal}
    mapping = parse_columns(columns)
    given = {"sales": sales, "stores": stores, "products": products, "judgments": judgments}
    validated = (SalesTable, StoresTable, ProductsTable, JudgmentsTable)
    todo = {
        name: source
        for name, source in given.items()
        if source is not None and not isinstance(source, validated)
    }
    parts: dict[str, dict[str, str]] = {name: {} for name in todo}
    if mapping:
        raw = {name: read_table(source, name=name, **options) for name, source in todo.items()}
        for frame in raw.values():
            frame.attrs["mapping"] = dict(mapping)  # the fix of a sales error repeats all of it
        unused = [src for src in mapping if not any(src in f.columns for f in raw.values())]
        if unused:
            there = "; ".join(
                f"{frame.attrs['source']}: {', '.join(map(repr, frame.columns))}"
                for frame in raw.values()
            )
            raise DataValidationError(
                f"--columns: {', '.join(map(repr, unused))} is not a column of any input "
                f"({there}). Fix: correct the source names in the mapping."
            )
        todo = dict(raw)
        parts = {
            name: {k: v for k, v in mapping.items() if k in frame.columns}
            for name, frame in raw.items()
        }
    sales_t = sales if isinstance(sales, SalesTable) else None
    if "sales" in todo:
        sales_t = validate_sales(
            todo["sales"],
            parts["sales"] or None,
            freq,
            by=by,
            duplicates=duplicates,
            as_of=as_of,
            encoding=encoding,
            date_order=date_order,
            decimal=decimal,
        )
    stores_t = stores if isinstance(stores, StoresTable) else None
    if "stores" in todo:
        # checked against the sales below, with the other cross-table checks
        stores_t = validate_stores(todo["stores"], parts["stores"] or None, **options)
    products_t = products if isinstance(products, ProductsTable) else None
    if "products" in todo:
        products_t = validate_products(todo["products"], parts["products"] or None, **options)
    judgments_t = judgments if isinstance(judgments, JudgmentsTable) else None
    if "judgments" in todo:
        judgments_t = validate_judgments(
            todo["judgments"],
            parts["judgments"] or None,
            products=products_t,
            stores=stores_t if stores_t is not None else sales_t,
            **options,
        )
    if sales_t is not None and stores_t is not None and ("sales" in todo or "stores" in todo):
        check_store_ids(sales_t, stores_t)
    return Inputs(sales=sales_t, stores=stores_t, products=products_t, judgments=judgments_t)
