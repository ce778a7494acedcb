"""Checks of the input tables against each other, run once per plan.

Each table can be right on its own and the plan still wrong: a store that sold for four years but
is missing from the stores table would get nothing; store ids written ``001`` in the sales and
``1`` in the stores table would make every store look new; a product launched outside the season
would be planned on a wave it does not belong to. :func:`check_store_ids` (run by
:func:`~forecasting.inputs.read_inputs`) and :func:`check_launch_dates` (run by
:func:`~forecasting.plan.make_plan`) look for these and raise a
:class:`~forecasting.exceptions.DataValidationError` or issue a
:class:`~forecasting.inputs.DataQualityWarning`, each naming the rows. Nothing is silent; a user
who wants every warning to stop the run turns warnings into errors (``strict=True`` in
:func:`forecasting.plan.make_plan`, ``--strict`` on the command line).

What is checked
---------------
- **Ids that differ only in format** (error): a sales store that is not in the stores table but
  equals one of its stores once both are normalised (case, spaces, ``-`` and ``_`` ignored,
  leading zeros of numbers dropped, ``7.0`` read as ``7``): ``'001'`` vs ``'1'``. Guessing which
  spelling is right would be a silent decision; the user writes them the same way.
- **Stores that sold but are not in the stores table** (warning): they get no units. Closed
  stores are the usual reason; the warning names them with their last sales date.
- **Stores without sales history** (warning): new stores are legitimate, but they have nothing to
  learn from.
- **Launch dates outside the season** (error), and before the planning date (error): a product's
  own ``launch_date`` is a decision of the planner and is never moved silently.

Examples
--------
>>> import pandas as pd
>>> from forecasting.inputs import validate_sales, validate_stores
>>> sales = validate_sales(pd.DataFrame({"date": ["2012-01-01"] * 2, "store": ["001", "002"],
...                                      "units": [3, 4]}))
>>> stores = validate_stores(pd.DataFrame({"store": ["1", "2"]}))
>>> check_store_ids(sales, stores)
Traceback (most recent call last):
...
forecasting.exceptions.DataValidationError: stores: column 'store': 2 store ids of the sales are
written differently in the stores table: '001' (stores: '1'), '002' (stores: '2'). Fix: write each
store id the same way in both tables (e.g. keep or drop the leading zeros in both).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.validated import ProductsTable, SalesTable, StoresTable
from forecasting.inputs.validation import (
    MAX_ROWS,
    check_known,
    data_warning,
    plural,
)

__all__ = [
    "check_launch_dates",
    "check_store_ids",
    "normalised_ids",
    "warn_stores_without_history",
]


def normalised_ids(ids: pd.Series) -> pd.Series:
    """Ids reduced to what a person would call the same id.

    Case, spaces, ``-`` and ``_`` are ignored, leading zeros of every number in the id are dropped
    and a whole number written ``7.0`` is ``7``.

    Examples
    --------
    >>> normalised_ids(pd.Series(["001", " 1 ", "1.0", "SH01", "sh-1", "0", "A0B"])).tolist()
    ['1', '1', '1', 'sh1', 'sh1', '0', 'a0b']
    """
    # Python strings: pyarrow's regular expressions have no look-behind
    text = ids.astype(TEXT).astype(object).str.strip().str.casefold()
    text = text.str.replace(r"^([+]?\d+)\.0*$", r"\1", regex=True).str.lstrip("+")
    text = text.str.replace(r"[\s_-]+", "", regex=True)
    return text.str.replace(r"(?<!\d)0+(?=\d)", "", regex=True)


def _listing(pairs: Sequence[str]) -> str:
    shown = ", ".join(pairs[:MAX_ROWS])
    if len(pairs) > MAX_ROWS:
        shown += f" and {len(pairs) - MAX_ROWS} more"
    return shown


def check_store_ids(sales: SalesTable, stores: StoresTable) -> None:
    """Compare the stores of the sales with the stores table.

    Raises on ids that differ only in format; warns about stores that sold but are not in the
    stores table (they get no units) and about stores without sales history.

    Parameters
    ----------
    sales : SalesTable
        Validated sales with a ``store`` key.
    stores : StoresTable
        The validated stores table.

    Raises
    ------
    DataValidationError
        When a sales store id and a stores-table id are equal once normalised
        (:func:`normalised_ids`) but written differently.

    Examples
    --------
    >>> import pandas as pd, warnings
    >>> from forecasting.inputs import validate_sales, validate_stores
    >>> sales = validate_sales(pd.DataFrame({"date": ["2012-01-01"] * 2, "store": ["A", "B"],
    ...                                      "units": [3, 4]}))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     check_store_ids(sales, validate_stores(pd.DataFrame({"store": ["A", "C"]})))
    >>> for w in caught:
    ...     print(str(w.message).split(": ")[2])
    1 store sold but is not in the stores table, so it gets no units
    1 value is unknown to the sales history
    """
    if "store" not in sales.frame.columns:
        return
    frame = sales.frame
    sold = frame.groupby("store", sort=True)["date"].max()
    listed = stores.frame["store"]
    listed_set = set(listed)
    missing = sold[~sold.index.isin(listed_set)]
    if len(missing):
        spelled = dict(zip(normalised_ids(listed), listed, strict=True))
        norm = normalised_ids(pd.Series(missing.index, dtype=TEXT))
        twins = [
            f"{sid!r} (stores: {spelled[key]!r})"
            for sid, key in zip(missing.index, norm, strict=True)
            if key in spelled and spelled[key] not in sold.index
        ]
        if twins:
            raise DataValidationError(
                f"{stores.source}: column 'store': {plural(len(twins), 'store id')} of the sales "
                f"{'is' if len(twins) == 1 else 'are'} written differently in the stores table: "
                f"{_listing(twins)}. Fix: write each store id the same way in both tables (e.g. "
                "keep or drop the leading zeros in both)."
            )
        shown = [f"{sid!r} (last sale {day:%Y-%m-%d})" for sid, day in missing.items()]
        data_warning(
            sales.source,
            "store",
            f"{plural(len(missing), 'store')} sold but "
            f"{'is' if len(missing) == 1 else 'are'} not in the stores table, so "
            f"{'it gets' if len(missing) == 1 else 'they get'} no units: {_listing(shown)}",
            "add them to the stores table if they are open (closed stores can stay out)",
            stacklevel=4,
        )
    warn_stores_without_history(listed, set(sold.index), stores.source)


def warn_stores_without_history(
    stores: pd.Series, sold: Iterable[str], source: str, frame: pd.DataFrame | None = None
) -> None:
    """Warn about stores without sales history (new stores are legitimate, but have nothing to
    learn from).

    Parameters
    ----------
    stores : pandas.Series
        The store ids of the stores table.
    sold : iterable of str
        The stores of the sales.
    source : str
        The stores table's name, for the message.
    frame : pandas.DataFrame, optional
        The stores table as read, to quote the rows (its index numbers them as the user sees
        them).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_stores_without_history(pd.Series(["A", "B"]), ["A"], "stores.csv")
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    stores.csv: column 'store': 1 value is unknown to the sales history: 'B'. Fix: nothing if
    these are new stores (they have no history to learn from); otherwise correct the store ids.
    """
    check_known(
        stores,
        set(sold),
        source,
        "store",
        "the sales history",
        action="warn",
        fix="nothing if these are new stores (they have no history to learn from); otherwise "
        "correct the store ids",
        frame=frame,
    )


def check_launch_dates(
    products: ProductsTable, season: tuple[object, object] | None, as_of: object = None
) -> None:
    """Raise if a product's own ``launch_date`` is outside the season or before the planning date.

    Parameters
    ----------
    products : ProductsTable
        The validated new products; without a ``launch_date`` column nothing is checked.
    season : (start, end) or None
        The season planned.
    as_of : date-like, optional
        The planning date.

    Raises
    ------
    DataValidationError
        Naming the products and their dates.

    Examples
    --------
    >>> import pandas as pd
    >>> from forecasting.inputs import validate_products
    >>> products = validate_products(pd.DataFrame(
    ...     {"sku": ["A", "B"], "category": "coat", "launch_date": ["2012-09-01", "2013-03-01"]}))
    >>> check_launch_dates(products, ("2012-01-01", "2012-12-31"))
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: products: column 'launch_date': 1 product is
    launched: 'B' (2013-03-01) outside the season 2012-01-01..2012-12-31. Fix: correct the
    launch_date, leave it blank to take the date of its wave, or plan the season it belongs to.
    """
    frame = products.frame
    if "launch_date" not in frame.columns:
        return
    dates = pd.to_datetime(frame["launch_date"])
    if season is not None:
        start = pd.Timestamp(season[0])  # type: ignore[arg-type]
        end = pd.Timestamp(season[1])  # type: ignore[arg-type]
        outside = (dates.notna() & ((dates < start) | (dates > end))).to_numpy()
        if outside.any():
            raise DataValidationError(
                f"{products.source}: column 'launch_date': {_launches(frame, dates, outside)} "
                f"outside the season {start:%Y-%m-%d}..{end:%Y-%m-%d}. Fix: correct the "
                "launch_date, leave it blank to take the date of its wave, or plan the season it "
                "belongs to."
            )
    if as_of is not None:
        planning = pd.Timestamp(as_of)  # type: ignore[arg-type]
        early = (dates.notna() & (dates < planning)).to_numpy()
        if early.any():
            raise DataValidationError(
                f"{products.source}: column 'launch_date': {_launches(frame, dates, early)} "
                f"before the planning date {planning:%Y-%m-%d}. Fix: give a launch_date on or "
                "after the planning date, or leave it blank to take the date of its wave."
            )


def _launches(frame: pd.DataFrame, dates: pd.Series, mask: np.ndarray) -> str:
    """``"2 products are launched: 'A' (2013-02-01), 'B' (...)"``, for a message."""
    picked = [
        f"{sku!r} ({pd.Timestamp(day):%Y-%m-%d})"
        for sku, day in zip(frame["sku"].to_numpy()[mask], dates.to_numpy()[mask], strict=True)
    ]
    n = len(picked)
    return f"{plural(n, 'product')} {'is' if n == 1 else 'are'} launched: {_listing(picked)}"
