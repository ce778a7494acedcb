"""New-product sales counted from each product's own launch: dated rows or a ``week`` column.

Launch data usually come as weekly rows counted from each product's launch date ("week 1..12 since
launch"). :func:`validate_launch_sales` reads them in either of two forms and returns the same
validated sales:

- **dated rows** (``date``): each sku's weeks fall on the weekday it was launched on. This is
  :func:`~forecasting.inputs.validate_sales` as it is, which infers ``"W-LAUNCH"``
  (:data:`~forecasting.inputs.frequency.LAUNCH_WEEKS`) when the weekdays differ between skus;
- **a week column** (``week``: 1 is the launch week, the launch day and the six days after it):
  each row is dated ``launch_date + 7 x (week - 1)`` days with the sku's ``launch_date`` from the
  products table, and validated as sales of frequency ``"W-LAUNCH"`` (duplicates, units, and the
  zero-filling of weeks missing inside a series apply as to any sales).

Errors name the file, the column (``week`` when the problem is in the weeks), up to five rows with
their values, and the fix.

Examples
--------
>>> import pandas as pd
>>> products = pd.DataFrame({"sku": ["A1"], "category": ["knit"], "launch_date": ["2024-03-07"]})
>>> weeks = pd.DataFrame({"sku": ["A1", "A1"], "week": [1, 2], "units": [12, 7]})
>>> validate_launch_sales(weeks, products).frame["date"].dt.strftime("%Y-%m-%d").tolist()
['2024-03-07', '2024-03-14']
"""

from __future__ import annotations

import pandas as pd

from forecasting.exceptions import in_words_of
from forecasting.inputs.cells import YEAR_RANGE
from forecasting.inputs.frequency import LAUNCH_WEEKS, series_keys
from forecasting.inputs.readers import (
    SALES_COLUMNS,
    as_products,
    check_duplicates_option,
    validate_sales,
)
from forecasting.inputs.tables import (
    Columns,
    Source,
    apply_columns,
    finite_numbers,
    id_column,
    parse_columns,
    parse_dates,
    read_table,
    require_rows,
)
from forecasting.inputs.validated import ProductsTable, SalesTable
from forecasting.inputs.validation import (
    MAX_ROWS,
    check_required,
    check_unique,
    data_error,
    missing_column_error,
    plural,
)

__all__ = ["LAUNCH_SALES_COLUMNS", "validate_launch_sales"]

LAUNCH_SALES_COLUMNS = (*SALES_COLUMNS, "week")
"""The columns of launch sales: the sales columns and ``week`` (1 = the launch week)."""

_WEEK_FIX = (
    "write the week since launch as a whole number from 1 (1 = the launch week: the launch day "
    "and the six days after it), or give the rows' dates in a date column instead"
)


def _week_numbers(raw: pd.DataFrame, label: str) -> pd.Series:
    """The ``week`` column as whole numbers >= 1 (int64); raise naming the rows otherwise."""
    weeks = finite_numbers(raw, "week", label, minimum=1.0, fix=_WEEK_FIX)
    fractional = (weeks % 1 != 0).to_numpy()
    if fractional.any():
        n = int(fractional.sum())
        raise data_error(
            label,
            "week",
            f"{plural(n, 'value')} {'is' if n == 1 else 'are'} not a whole number of weeks",
            _WEEK_FIX,
            raw,
            fractional,
        )
    return weeks.astype("int64")


def _launch_dates(
    raw: pd.DataFrame, sku: pd.Series, products: ProductsTable, label: str, show: list[str]
) -> pd.Series:
    """Each row's launch date (midnight), from its sku's ``launch_date`` in ``products``."""
    frame = products.frame
    has_column = "launch_date" in frame.columns
    if has_column:
        dated = frame.loc[frame["launch_date"].notna().to_numpy(), ["sku", "launch_date"]]
        known = pd.Series(
            pd.to_datetime(dated["launch_date"]).dt.normalize().to_numpy(),
            index=dated["sku"].astype(str).to_numpy(),
        )
    else:
        known = pd.Series([], dtype="datetime64[ns]")
    launch = pd.Series(
        pd.to_datetime(sku.astype(str).map(known)).to_numpy(dtype="datetime64[ns]"),
        index=raw.index,
    )
    missing = launch.isna().to_numpy()
    if missing.any():
        skus = sorted(set(sku[missing].astype(str)))
        shown = ", ".join(repr(s) for s in skus[:MAX_ROWS])
        if len(skus) > MAX_ROWS:
            shown += f" and {len(skus) - MAX_ROWS} more"
        where = f"in {products.source}" + ("" if has_column else " (it has no launch_date column)")
        raise data_error(
            label,
            "sku",
            f"{plural(len(skus), 'sku')} of the sales {'has' if len(skus) == 1 else 'have'} "
            f"no launch_date {where} ({shown}), so {'its' if len(skus) == 1 else 'their'} weeks "
            "since launch cannot be dated",
            f"add the launch_date of {'this sku' if len(skus) == 1 else 'these skus'} to the "
            "products table, or give the sales as dated rows (a date column) instead of weeks",
            raw.assign(sku=sku),
            missing,
            show=show,
        )
    return launch


def validate_launch_sales(
    source: SalesTable | Source | object,
    products: ProductsTable | Source | object,
    columns: Columns = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
    duplicates: str = "raise",
) -> SalesTable:
    """Read and validate new-product sales counted in weeks from each product's own launch.

    Parameters
    ----------
    source : path, DataFrame or SalesTable
        Sales with ``sku``, ``units`` and either ``date`` or ``week`` (the week since the sku's
        launch: 1 is the launch day and the six days after it, 2 the seven days after those, ...);
        the other sales columns as in :func:`~forecasting.inputs.validate_sales` (with ``store``
        the series are keyed by store and sku). A :class:`SalesTable` is validated again.
    products : ProductsTable, path or DataFrame
        The products (:func:`~forecasting.inputs.as_products`); their ``launch_date`` dates the
        weeks (used only when the sales have a ``week`` column).
    columns : mapping or str, optional
        ``{"source name": "canonical name"}`` as in :func:`~forecasting.inputs.validate_sales`;
        ``"week"`` is a target too (``{"周": "week"}``).
    sheet : str or int, optional
        Excel sheet.
    encoding, date_order, decimal : str, optional
        How the file is read: see :func:`~forecasting.inputs.validate_sales`.
    duplicates : {"raise", "sum"}
        What to do with two rows of the same series and week (or date).

    Returns
    -------
    SalesTable
        With ``date`` only: what :func:`~forecasting.inputs.validate_sales` returns (frequency
        inferred: ``"W-LAUNCH"`` when the skus' weeks fall on different weekdays). With ``week``:
        the rows dated ``launch_date + 7 x (week - 1)`` days, frequency ``"W-LAUNCH"``, weeks
        missing inside a series filled with zero units. With both: the dates, checked against the
        weeks, frequency ``"W-LAUNCH"``.

    Raises
    ------
    DataValidationError
        As :func:`~forecasting.inputs.validate_sales`; neither ``date`` nor ``week``; a week that
        is blank, not a number, not whole or below 1; a sku of the sales without a
        ``launch_date`` in the products; a week that does not match the date of its row
        (``(date - launch_date) // 7 + 1``); two rows of one series and week.

    Examples
    --------
    Two skus launched on a Monday and on a Thursday, given by week since launch (A1 sold nothing in
    its second week, so that week is filled with zero units):

    >>> import pandas as pd
    >>> products = pd.DataFrame({"sku": ["A1", "B2"], "category": ["knit", "knit"],
    ...                          "launch_date": ["2024-03-04", "2024-03-07"]})
    >>> weeks = pd.DataFrame({"sku": ["A1", "A1", "B2", "B2"], "week": [1, 3, 1, 2],
    ...                       "units": [12, 7, 30, 18]})
    >>> sales = validate_launch_sales(weeks, products)
    >>> sales.freq, sales.keys, sales.filled_periods
    ('W-LAUNCH', ('sku',), 1)
    >>> print(sales.frame)
            date sku  units
    0 2024-03-04  A1   12.0
    1 2024-03-11  A1    0.0
    2 2024-03-18  A1    7.0
    3 2024-03-07  B2   30.0
    4 2024-03-14  B2   18.0

    The same sales as dated rows give the same frame:

    >>> dated = pd.DataFrame({"sku": ["A1", "A1", "B2", "B2"],
    ...                       "date": ["2024-03-04", "2024-03-18", "2024-03-07", "2024-03-14"],
    ...                       "units": [12, 7, 30, 18]})
    >>> again = validate_launch_sales(dated, products)
    >>> again.freq, again.frame.equals(sales.frame)
    ('W-LAUNCH', True)
    """
    check_duplicates_option(duplicates)
    if isinstance(source, SalesTable):  # validated sales are dated
        return validate_sales(source, columns, duplicates=duplicates)
    table = read_table(
        source, sheet=sheet, name="sales", encoding=encoding, date_order=date_order, decimal=decimal
    )
    raw = apply_columns(table, columns, LAUNCH_SALES_COLUMNS, "sales")
    mapping = parse_columns(columns)
    if mapping and not raw.attrs.get("mapping"):
        raw.attrs["mapping"] = dict(mapping)  # the fixes of validate_sales repeat the mapping
    label = str(raw.attrs["source"])
    if "week" not in raw.columns:
        if "date" not in raw.columns:
            raise missing_column_error(
                raw,
                "date",
                label,
                "required column of the sales table is missing; launch sales need 'date' or "
                "'week' (weeks since launch, 1 = the launch week)",
                target="week",
                rename="rename the column holding the dates to 'date', or the one holding the "
                "weeks since launch to 'week'",
                known=LAUNCH_SALES_COLUMNS,
            )
        return validate_sales(raw, duplicates=duplicates)
    check_required(raw, ["sku", "units"], label, "sales")
    require_rows(raw, label)
    weeks = _week_numbers(raw, label)
    sku = id_column(raw, "sku", label)
    keys = series_keys(raw)  # sku, and store when there
    ids = {k: id_column(raw, k, label) for k in keys}
    show = [*keys, "week"]
    launch = _launch_dates(raw, sku, as_products(products), label, show)
    view = raw.assign(**ids, launch_date=launch)
    if "date" in raw.columns:
        dates = parse_dates(raw, "date", label)
        since = (dates - launch).dt.days.to_numpy() // 7 + 1
        wrong = since != weeks.to_numpy()
        if wrong.any():
            n = int(wrong.sum())
            raise data_error(
                label,
                "week",
                f"{plural(n, 'row')} {'has' if n == 1 else 'have'} a week that does not match "
                "the date (week = (date - launch_date) // 7 + 1, 1 = the launch week)",
                "correct the week or the date of these rows, or the launch_date of their skus in "
                "the products table; or give only one of the date and week columns",
                view.assign(date=dates),
                wrong,
                show=[*keys, "date", "launch_date", "week"],
            )
    else:
        last = pd.Timestamp(f"{YEAR_RANGE[1]}-12-31")
        room = (last - launch).dt.days.to_numpy()
        late = (weeks.to_numpy() - 1) * 7 > room
        if late.any():
            n = int(late.sum())
            raise data_error(
                label,
                "week",
                f"{plural(n, 'week')} {'falls' if n == 1 else 'fall'} after {YEAR_RANGE[1]} "
                "(launch_date + 7 x (week - 1) days)",
                "correct these weeks (a typo?); " + _WEEK_FIX,
                view,
                late,
                show=[*keys, "launch_date", "week"],
            )
        if duplicates == "raise":
            check_unique(
                view.assign(week=weeks),
                [*keys, "week"],
                label,
                "keep one row per "
                + " and ".join(keys)
                + " and week, or add them up: "
                + in_words_of(python="duplicates='sum'", cli="--duplicates sum"),
                column="week",
            )
        dates = launch + pd.to_timedelta((weeks.to_numpy() - 1) * 7, unit="D")
    frame = raw.drop(columns="week").assign(date=dates.astype("datetime64[ns]"))
    frame.attrs = dict(raw.attrs)
    return validate_sales(frame, freq=LAUNCH_WEEKS, duplicates=duplicates)
