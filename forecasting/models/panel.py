"""From long sales to regular series: the ``by`` check and the split into one series per key.

Examples
--------
>>> import pandas as pd
>>> s = pd.DataFrame({"date": pd.to_datetime(["2024-01-01", "2024-01-03"]), "units": [1.0, 2.0]})
>>> series_panel(s, [], "D")[()].tolist()
[1.0, 0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.validated import SalesTable

__all__ = ["normalize_by", "series_panel"]


def normalize_by(sales: pd.DataFrame | SalesTable, by: str | Sequence[str] | None) -> list[str]:
    """Check the ``by`` argument against the columns of ``sales`` and return it as a list.

    Any columns of the sales can be keys (``store``, ``sku``, or the ``by`` columns the sales were
    validated with, such as ``dept`` or ``Store``), as long as they are not ``date`` or ``units``.

    Parameters
    ----------
    sales : DataFrame or SalesTable
        Canonical sales.
    by : str, sequence of str or None
        Key columns of one series.

    Returns
    -------
    list of str

    Raises
    ------
    DataValidationError
        When a column is missing, repeated, or is ``date``/``units``.

    Examples
    --------
    >>> normalize_by(pd.DataFrame({"date": [], "units": [], "store": []}), "store")
    ['store']
    >>> normalize_by(pd.DataFrame({"date": [], "units": [], "Store": [], "Dept": []}),
    ...              ["Store", "Dept"])
    ['Store', 'Dept']
    """
    if isinstance(sales, SalesTable):
        sales = sales.frame
    if by is None:
        return []
    columns = [by] if isinstance(by, str) else list(by)
    source = sales.attrs.get("source", "sales")
    missing = [c for c in columns if c not in sales.columns]
    reserved = [c for c in columns if c in ("date", "units")]
    if missing or reserved or len(set(columns)) != len(columns) or not columns:
        available = [c for c in sales.columns if c not in ("date", "units")]
        problem = (
            f"missing column(s) {missing}"
            if missing
            else f"{reserved} cannot be a key"
            if reserved
            else "empty or repeated columns"
        )
        raise DataValidationError(
            f"{source}: by={by!r}: {problem}. Fix: pass key columns of the sales table, "
            "one or more of "
            f"{available[:10]}, or by=None for one series of all sales (a column that is not "
            "a sales column is kept when the sales are validated with it as a key: "
            f"validate_sales(..., by={columns!r}))."
        )
    return columns


def _regular_panel(
    units: pd.Series, by: list[str], freq: str, end: pd.Timestamp
) -> dict[tuple[Hashable, ...], pd.Series] | None:
    """The panel with numpy on one shared calendar grid (the per-series reindexing costs ~1 ms a
    series); ``None`` when a date is off the grid, so the general path decides."""
    dates = pd.DatetimeIndex(units.index.get_level_values("date"))
    if len(dates) == 0 or dates.max() > end:
        return None
    grid = pd.date_range(dates.min(), end, freq=freq, name="date")
    pos = grid.get_indexer(dates)
    if (pos < 0).any():
        return None
    values = units.to_numpy(dtype=float)
    if by:
        key_index = pd.MultiIndex.droplevel(units.index, len(by))  # type: ignore[arg-type]
        codes, uniques = pd.factorize(key_index)  # the keys (the date level dropped)
        starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
        keys: list[Any] = list(uniques)
    else:
        starts, keys = np.array([0]), [()]
    ends = np.r_[starts[1:], len(values)]
    panel: dict[tuple[Hashable, ...], pd.Series] = {}
    for key, start, stop in zip(keys, starts, ends, strict=True):
        where = pos[start:stop]
        first = int(where[0])
        regular = np.zeros(len(grid) - first)
        regular[where - first] = values[start:stop]
        series = pd.Series(regular, index=grid[first:], name=units.name)
        panel[key if isinstance(key, tuple) else (key,)] = series
    return panel


def series_panel(
    sales: pd.DataFrame, by: list[str], freq: str, end: pd.Timestamp | None = None
) -> dict[tuple[Hashable, ...], pd.Series]:
    """Split canonical sales into regular series, one per key.

    Units of the same key and period are summed. Each series runs from its first period to ``end``
    (the last period of all sales by default); periods without a row are zero sales; a period where
    every row is flagged ``stockout`` is censored (``NaN``).

    Parameters
    ----------
    sales : DataFrame
        Canonical sales (``date``, ``units``, optional ``stockout``).
    by : list of str
        Key columns.
    freq : str
        ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"``.
    end : Timestamp, optional
        Last period of every series.

    Returns
    -------
    dict
        ``{key tuple: Series of units indexed by date}``.

    Examples
    --------
    >>> days = pd.to_datetime(["2024-01-01", "2024-01-03"])
    >>> s = pd.DataFrame({"date": days, "units": [1.0, 2.0]})
    >>> series_panel(s, [], "D")[()].tolist()
    [1.0, 0.0, 2.0]
    >>> months = pd.to_datetime(["2024-01-31", "2024-03-31"])
    >>> m = pd.DataFrame({"date": months, "dept": [7, 7], "units": [1.0, 2.0]})
    >>> series_panel(m, ["dept"], "ME")[(7,)].tolist()
    [1.0, 0.0, 2.0]
    """
    end = pd.Timestamp(sales["date"].max()) if end is None else pd.Timestamp(end)
    frame = sales[[*by, "date", "units"]].copy()
    censored = "stockout" in sales.columns
    if censored:
        frame["stockout"] = sales["stockout"].fillna(False).astype(bool).to_numpy()
    groups = frame.groupby([*by, "date"], sort=True, observed=True)
    units = groups["units"].sum()
    if censored:
        units = units.where(~groups["stockout"].all())
    fast = _regular_panel(units, by, freq, end)
    if fast is not None:
        return fast
    panel: dict[tuple[Hashable, ...], pd.Series] = {}
    if not by:
        keyed: Iterable[tuple[Any, pd.Series]] = [((), units)]
    else:
        keyed = units.groupby(level=list(range(len(by))), sort=True, observed=True)
    for key, part in keyed:
        series = part.droplevel(list(range(len(by)))) if by else part
        series.index = pd.DatetimeIndex(series.index)
        index = pd.date_range(series.index.min(), end, freq=freq, name="date")
        regular = series.reindex(index, fill_value=0.0).astype(float)
        if censored:
            regular[series.reindex(index).isna() & index.isin(series.index)] = float("nan")
        panel[key if isinstance(key, tuple) else (key,)] = regular
    return panel
