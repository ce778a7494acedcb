"""The frequency of sales data (daily or weekly) and the missing-period policy.

launchcast works on daily (``"D"``) and weekly data. A weekly period is labelled by its **last
day**, pandas' convention: ``"W-FRI"`` means weeks of seven days ending on a Friday (as in Walmart's
data), ``"W-SUN"`` weeks ending on a Sunday. The frequency is inferred from the dates (or given)
when the sales are validated, and carried with them (:class:`~forecasting.inputs.SalesTable`);
:func:`sales_frequency` infers it from the dates of a plain DataFrame.

Missing periods
---------------
A series (one store x sku, or whatever keys the table has) runs from its first to its last recorded
period. A period missing *inside* that span means the store was open and sold nothing: it is filled
with ``units = 0`` (and ``stockout = False`` when the table has that column). Periods before a
series' first row or after its last are not invented (the store or product was not there yet, or any
more). Demand that was censored by an empty shelf is marked by the user with ``stockout = True`` and
that flag is kept as is. A store closed for a while inside its span (a renovation) sold nothing
because nobody could buy: give those periods as rows with ``stockout = True`` so that models do not
learn the zeros as demand. Turn filling off with ``read_sales(..., fill_missing=False)``.

Examples
--------
>>> import pandas as pd
>>> dates = pd.to_datetime(["2012-01-06", "2012-01-20"])
>>> sales = pd.DataFrame({"date": dates, "units": [3.0, 4.0]})
>>> infer_frequency(sales)
'W-FRI'
>>> filled, n = fill_missing_periods(sales, [], "W-FRI")
>>> filled["units"].tolist(), n
([3.0, 0.0, 4.0], 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.cells import parse_dates
from forecasting.inputs.validated import SalesTable
from forecasting.inputs.validation import data_error

__all__ = [
    "fill_missing_periods",
    "infer_frequency",
    "normalize_freq",
    "period_step",
    "sales_frequency",
    "series_keys",
]

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ID_COLUMNS = ("store", "sku", "category", "region")


def series_keys(frame: pd.DataFrame) -> list[str]:
    """The columns that identify one series of a sales table.

    ``store`` and ``sku`` when present; otherwise ``category`` and/or ``region`` (tables of totals).

    Examples
    --------
    >>> import pandas as pd
    >>> series_keys(pd.DataFrame(columns=["date", "units", "store", "region", "category"]))
    ['store']
    >>> series_keys(pd.DataFrame(columns=["date", "units", "category"]))
    ['category']
    """
    keys = [c for c in ("store", "sku") if c in frame.columns]
    return keys or [c for c in ("category", "region") if c in frame.columns]


def normalize_freq(freq: str) -> str:
    """Return the canonical spelling of a daily or weekly frequency (``"D"`` or ``"W-<DAY>"``).

    Examples
    --------
    >>> normalize_freq("W"), normalize_freq("w-fri"), normalize_freq("daily")
    ('W-SUN', 'W-FRI', 'D')
    """
    text = str(freq).strip().upper()
    if text in {"D", "1D", "DAY", "DAILY"}:
        return "D"
    if text in {"W", "WEEK", "WEEKLY"}:
        return "W-SUN"
    if text.startswith("W-") and text[2:] in _DAYS:
        return text
    raise DataValidationError(
        f"freq: {freq!r} is not a frequency launchcast handles. Fix: use 'D' for daily data or "
        "'W-<DAY>' for weeks ending on DAY (e.g. 'W-SUN', 'W-FRI')."
    )


def period_step(freq: str) -> pd.Timedelta:
    """The length of one period: one day or seven.

    Examples
    --------
    >>> period_step("W-FRI").days
    7
    """
    return pd.Timedelta(days=1 if normalize_freq(freq) == "D" else 7)


def _weekly(weekday: int) -> str:
    return f"W-{_DAYS[weekday]}"


def _steps(
    frame: pd.DataFrame, keys: Sequence[str], presorted: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame sorted by keys and date; days since the previous row of a series (-1 at starts)."""
    if presorted or len(frame) < 2:
        ordered = frame
    else:
        ordered = frame.sort_values([*keys, "date"], kind="stable")
    dates = ordered["date"].to_numpy(dtype="datetime64[ns]")
    days = np.diff(dates).astype("timedelta64[D]").astype(np.int64)
    new = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        same = np.ones(len(ordered) - 1, dtype=bool)
        for key in keys:
            col = ordered[key].to_numpy()
            same &= col[1:] == col[:-1]
        new[1:] = ~same
    step = np.full(len(ordered), -1, dtype=np.int64)
    step[1:] = np.where(new[1:], -1, days)
    return ordered, step


def infer_frequency(
    frame: pd.DataFrame,
    source: str = "sales",
    keys: Sequence[str] | None = None,
    *,
    presorted: bool = False,
) -> str:
    """Infer ``"D"`` or ``"W-<DAY>"`` from the dates of each series; raise on mixed frequencies.

    Weekly means every step between consecutive rows of a series is a multiple of seven days and all
    dates fall on one weekday; anything else is daily (with gaps). A series that is weekly while
    others are daily, or a series that switches between daily rows and a run of weekly rows, is an
    error.

    Parameters
    ----------
    frame : DataFrame
        Canonical sales (``date`` as datetime64).
    source : str
        Name used in error messages.
    keys : sequence of str, optional
        Series keys (default :func:`series_keys`).
    presorted : bool, default False
        The frame is already sorted by keys and date (skips a sort).

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2012-01-01", periods=5, freq="D")
    >>> infer_frequency(pd.DataFrame({"date": days, "units": 1.0}))
    'D'
    """
    keys = list(series_keys(frame) if keys is None else keys)
    if frame.empty:
        return "D"
    ordered, step = _steps(frame, keys, presorted)
    weekdays = ordered["date"].dt.day_of_week.to_numpy()
    inner = step >= 0
    if not inner.any():  # one row per series: look at the distinct dates
        distinct = np.unique(ordered["date"].to_numpy())
        gaps = np.diff(distinct).astype("timedelta64[D]").astype(np.int64)
        if len(distinct) > 1 and (gaps % 7 == 0).all():
            return _weekly(int(weekdays[0]))
        return "D"
    off_week = inner & (step % 7 != 0)
    if not off_week.any():
        if len(np.unique(weekdays)) == 1:
            return _weekly(int(weekdays[0]))
        first = pd.Series(weekdays, index=ordered.index).map(dict(enumerate(_DAYS)))
        mask = (first != first.iloc[0]).to_numpy()
        raise data_error(
            source,
            "date",
            "mixed frequencies: weekly rows end on different weekdays "
            f"({', '.join(sorted(set(first), key=_DAYS.index))})",
            "label every week by the same weekday (its last day)",
            ordered.assign(weekday=first),
            mask,
            show=[*keys, "date", "weekday"],
        )
    # daily data: look for series (or stretches) that are weekly
    sid = np.cumsum(step < 0)
    has_daily = np.bincount(sid, weights=(inner & (step % 7 != 0)).astype(float))
    n_inner = np.bincount(sid, weights=inner.astype(float))
    weekly_series = (has_daily == 0) & (n_inner >= 2)
    seven = step == 7
    run_id = np.cumsum(~seven)
    run_len = np.bincount(run_id, weights=seven.astype(float))
    long_run = seven & (run_len[run_id] >= 3)
    mask = weekly_series[sid] | long_run
    if mask.any():
        raise data_error(
            source,
            "date",
            "mixed frequencies: some rows are daily, others weekly (7 days apart)",
            "put daily and weekly data in separate files, or aggregate the daily rows to weeks",
            ordered,
            mask,
            show=[*keys, "date"],
        )
    return "D"


def sales_frequency(sales: SalesTable | pd.DataFrame) -> str:
    """The frequency of sales: the one validated sales carry, else inferred from the dates.

    A DataFrame's ``attrs`` are not consulted (pandas operations keep them even when they change
    the dates); validate the sales once to keep a frequency that was given rather than inferred.
    Dates that are not ``datetime64[ns]`` are read as :func:`~forecasting.inputs.cells.parse_dates`
    reads them (text ``05/01/2011`` only when the column settles the order of day and month).

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2012-01-01", periods=3, freq="W-SUN")
    >>> sales = pd.DataFrame({"date": weeks, "units": 1.0})
    >>> sales_frequency(sales)
    'W-SUN'
    >>> sales_frequency(sales.merge(sales))
    'W-SUN'
    """
    if isinstance(sales, SalesTable):
        return sales.freq
    frame = sales
    if "date" not in frame.columns:
        raise data_error(
            "sales", "date", "the table has no date column", "pass a table read with read_sales"
        )
    if frame["date"].dtype != "datetime64[ns]":  # text, tz-aware, other units
        frame = frame.assign(date=parse_dates(frame, "date", "sales"))
    return infer_frequency(frame)


def fill_missing_periods(
    frame: pd.DataFrame, keys: Sequence[str], freq: str, *, presorted: bool = False
) -> tuple[pd.DataFrame, int]:
    """Add the periods missing inside each series' span with zero units (the module's policy).

    Parameters
    ----------
    frame : DataFrame
        Canonical sales, one row per key and date.
    keys : sequence of str
        Series keys.
    freq : str
        ``"D"`` or ``"W-<DAY>"``.
    presorted : bool, default False
        The frame is already sorted by keys and date (skips a sort).

    Returns
    -------
    (DataFrame, int)
        The table with the added rows (``units`` 0, ``stockout`` False, ``price`` blank, other
        columns carried from the series), sorted by keys and date; and how many rows were added.

    Examples
    --------
    >>> import pandas as pd
    >>> dates = pd.to_datetime(["2012-01-01", "2012-01-03"])
    >>> sales = pd.DataFrame({"store": ["a", "a"], "date": dates,
    ...                       "units": [1.0, 2.0]})
    >>> fill_missing_periods(sales, ["store"], "D")[0]["units"].tolist()
    [1.0, 0.0, 2.0]
    """
    if frame.empty:
        return frame, 0
    step_days = period_step(freq).days
    ordered, gap = _steps(frame, list(keys), presorted)
    starts = gap < 0
    if not ((gap > step_days) & ~starts).any():
        return ordered, 0
    # every row's position in the complete grid of its series: grid offset + periods since start
    sid = np.cumsum(starts) - 1
    dates = ordered["date"].to_numpy(dtype="datetime64[ns]")
    first = dates[starts]
    since = (dates - first[sid]).astype("timedelta64[D]").astype(np.int64) // step_days
    last_since = np.zeros(len(first), dtype=np.int64)
    np.maximum.at(last_since, sid, since)
    periods = last_since + 1
    offsets = np.cumsum(periods) - periods
    pos = offsets[sid] + since
    total = int(periods.sum())
    src = np.full(total, -1, dtype=np.int64)
    src[pos] = np.arange(len(ordered))
    present = src >= 0
    last_present = np.maximum.accumulate(np.where(present, np.arange(total), 0))
    take = src[last_present]  # the row each grid period copies its ids and attributes from
    out = ordered.iloc[take].reset_index(drop=True)
    added = ~present
    step = np.timedelta64(step_days, "D")
    out["date"] = dates[take] + (np.arange(total) - last_present) * step
    units = out["units"].to_numpy(dtype="float64", copy=True)
    units[added] = 0.0
    out["units"] = units
    if "stockout" in out.columns:
        flags = out["stockout"].to_numpy(dtype=bool, copy=True)
        flags[added] = False
        out["stockout"] = flags
    if "price" in out.columns:
        out["price"] = out["price"].where(~added)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out, int(added.sum())
