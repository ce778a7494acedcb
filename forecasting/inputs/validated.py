"""Validated tables: what the readers hand on, so that nothing downstream validates them again.

:func:`~forecasting.inputs.validate_sales` returns a :class:`SalesTable`: the canonical frame
together with what validating it established (the frequency, the series keys, the source name).
:func:`~forecasting.inputs.validate_stores`, :func:`~forecasting.inputs.validate_products` and
:func:`~forecasting.inputs.validate_judgments` return a :class:`StoresTable`, a
:class:`ProductsTable` and a :class:`JudgmentsTable`. Every function of launchcast that takes one of
these tables accepts it in place of a path or a DataFrame and uses it as it is; a path or a
DataFrame is validated first. The type says that its frame is canonical and checked: a table is
made by those functions (and :func:`read_inputs <forecasting.inputs.read_inputs>`), or derived from
validated tables by launchcast's own steps (as :meth:`SalesTable.until` does), not by hand.

Examples
--------
>>> import pandas as pd
>>> from forecasting.inputs import validate_sales
>>> sales = validate_sales(pd.DataFrame({"date": ["2012-01-06", "2012-01-20"], "units": [3, 4]}))
>>> sales.freq, sales.keys, sales.filled_periods, sales.frame["units"].tolist()
('W-FRI', (), 1, [3.0, 0.0, 4.0])
>>> sales.until("2012-01-13").frame["units"].tolist()
[3.0, 0.0]
>>> months = pd.DataFrame({"date": ["2016-01-01", "2016-03-01"], "item": ["a", "a"], "units": 1})
>>> monthly = validate_sales(months, by="item")
>>> monthly.freq, monthly.keys, monthly.frame["units"].tolist()
('MS', ('item',), [1.0, 0.0, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

__all__ = ["JudgmentsTable", "ProductsTable", "SalesTable", "StoresTable"]


@dataclass(frozen=True)
class SalesTable:
    """Sales that passed :func:`~forecasting.inputs.validate_sales`.

    Attributes
    ----------
    frame : pandas.DataFrame
        Canonical sales: columns among ``date, store, sku, category, region``, the other key
        columns named with ``by``, ``units, price, stockout`` in that order, sorted by the series
        keys then ``date``, one row per series and period, missing periods inside each series
        filled (unless validation was asked not to).
    freq : str
        ``"D"``, ``"W-<DAY>"`` (weeks labelled by their last day), ``"MS"`` or ``"ME"`` (months
        labelled by their first or last day): inferred or given, never re-read from the dates.
    keys : tuple of str
        The series keys: the ``by`` columns of :func:`~forecasting.inputs.validate_sales` (e.g.
        ``("store", "dept")``), by default ``store`` and ``sku`` when present (e.g.
        ``("store",)``); empty for one series.
    source : str
        The file or name used in messages.
    filled_periods : int
        Periods added with zero units when the table was validated.
    dropped_columns : tuple of str
        Source columns that are not sales columns and were left out.
    """

    frame: pd.DataFrame
    freq: str
    keys: tuple[str, ...]
    source: str = "sales"
    filled_periods: int = 0
    dropped_columns: tuple[str, ...] = ()

    def until(self, date: object) -> SalesTable:
        """The rows dated on or before ``date``: a first part of every series, so still valid.

        Parameters
        ----------
        date : date-like
            The last date kept.

        Returns
        -------
        SalesTable
            Same frequency, keys and source.

        Examples
        --------
        >>> import pandas as pd
        >>> from forecasting.inputs import validate_sales
        >>> days = pd.date_range("2012-01-01", periods=5)
        >>> sales = validate_sales(pd.DataFrame({"date": days, "units": 1.0}))
        >>> len(sales.until("2012-01-03").frame), sales.until("2012-01-03").freq
        (3, 'D')
        """
        cut = pd.Timestamp(date)  # type: ignore[arg-type]
        frame = self.frame.loc[(self.frame["date"] <= cut).to_numpy()].reset_index(drop=True)
        return replace(self, frame=frame)


@dataclass(frozen=True)
class StoresTable:
    """Stores that passed :func:`~forecasting.inputs.validate_stores` (one row per store).

    Attributes
    ----------
    frame : pandas.DataFrame
        ``store``, ``strategic``, ``min_units``, ``max_units`` and the optional columns, canonical.
    source : str
        The file or name used in messages.
    """

    frame: pd.DataFrame
    source: str = "stores"


@dataclass(frozen=True)
class ProductsTable:
    """Products that passed :func:`~forecasting.inputs.validate_products` (one row per sku).

    Attributes
    ----------
    frame : pandas.DataFrame
        ``sku``, ``category``, the optional economics and dates, then the attributes.
    source : str
        The file or name used in messages.
    """

    frame: pd.DataFrame
    source: str = "products"


@dataclass(frozen=True)
class JudgmentsTable:
    """Estimates that passed :func:`~forecasting.inputs.validate_judgments`.

    Attributes
    ----------
    frame : pandas.DataFrame
        ``sku``, ``forecaster``, ``units`` and the optional ``horizon_weeks``, ``store``.
    source : str
        The file or name used in messages.
    """

    frame: pd.DataFrame
    source: str = "judgments"
