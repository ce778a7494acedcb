"""Adapters from :func:`calendars.events` to what the models consume.

* :func:`prophet_holidays`: Prophet's ``holidays`` frame.
* :func:`weekly_event_features`: for weekly data, how many days of each event (or of its window)
  fall in each week, so that holiday effects survive aggregation to weeks.

Both name an event ``"kind:event"`` ("holiday:Spring Festival", "workday:Spring Festival",
"retail:618", "solar_term:白露"), so a make-up workday never shares a name with the day off it pays
for.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from calendars._common import MAX_YEAR, MIN_YEAR, market_code, normalize_kinds
from calendars.events import events
from calendars.exceptions import CalendarError
from calendars.retail import RetailEvent

__all__ = ["prophet_holidays", "weekly_event_features"]


def prophet_holidays(
    years: int | Iterable[int],
    market: str = "CN",
    kinds: str | Iterable[str] | None = None,
    *,
    retail: Iterable[RetailEvent] | None = None,
) -> pd.DataFrame:
    """Calendar events as a Prophet ``holidays`` frame.

    Parameters
    ----------
    years, market, kinds, retail
        As for :func:`calendars.events`.

    Returns
    -------
    pandas.DataFrame
        Columns ``holiday`` ("kind:event", e.g. "holiday:Spring Festival"), ``ds``
        (``datetime64[ns]``), ``lower_window`` (<= 0) and ``upper_window`` (>= 0), one row per event
        date.

    Examples
    --------
    >>> frame = prophet_holidays(2025, kinds=["holiday", "retail"])
    >>> list(frame.columns)
    ['holiday', 'ds', 'lower_window', 'upper_window']
    >>> frame[frame["holiday"] == "retail:618"].values.tolist()
    [['retail:618', Timestamp('2025-06-18 00:00:00'), -18, 2]]
    """
    ev = events(years, market, kinds, retail=retail)
    return pd.DataFrame(
        {
            "holiday": ev["kind"] + ":" + ev["event"],
            "ds": ev["date"],
            "lower_window": ev["lower_window"].astype("int64"),
            "upper_window": ev["upper_window"].astype("int64"),
        }
    )


def _week_bounds(dates: object, label: str) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    try:
        index = pd.DatetimeIndex(pd.to_datetime(dates))  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise CalendarError(f"dates: cannot read the week labels as dates ({exc})") from None
    if index.tz is not None:
        index = index.tz_localize(None)
    if index.hasnans:
        bad = [str(i) for i in np.flatnonzero(index.isna())[:5]]
        raise CalendarError(f"dates: missing week labels (NaT) at positions {', '.join(bad)}")
    index = index.normalize().as_unit("ns")
    days = index.values.astype("datetime64[D]").astype("int64")
    if label == "end":
        return index, days - 6, days
    if label == "start":
        return index, days, days + 6
    raise CalendarError(f"label: got {label!r}; allowed: 'end' (week ends on the label), 'start'")


def weekly_event_features(
    dates: object,
    market: str = "CN",
    kinds: str | Iterable[str] | None = None,
    label: str = "end",
    *,
    retail: Iterable[RetailEvent] | None = None,
) -> pd.DataFrame:
    """How many days of each event, or of its window, fall in each week.

    Parameters
    ----------
    dates : array-like of date-likes
        The labels of weekly periods (e.g. a weekly sales frame's dates).
    market, kinds, retail
        As for :func:`calendars.events`.
    label : {"end", "start"}, default "end"
        With ``"end"`` each week is the 7 days ending on its label (pandas' ``W-FRI`` convention,
        e.g. Walmart's Friday-ending weeks); with ``"start"`` the 7 days starting on it.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``dates`` (a ``DatetimeIndex`` named ``"date"``), one float column per event
        named ``"kind:event"`` (sorted), counting the distinct days of the event's ``[date +
        lower_window, date + upper_window]`` spans in the week (0..7). The columns are every event
        of the years that the weeks touch (zeros included); align a future frame to a training one
        with ``future.reindex(columns=train.columns, fill_value=0.0)``.

    Examples
    --------
    >>> weeks = pd.date_range("2025-01-03", periods=6, freq="W-FRI")
    >>> feats = weekly_event_features(weeks, kinds=["holiday", "workday"])
    >>> feats["holiday:Spring Festival"].tolist()
    [0.0, 0.0, 0.0, 0.0, 4.0, 4.0]
    >>> feats["workday:Spring Festival"].tolist()
    [0.0, 0.0, 0.0, 0.0, 1.0, 0.0]
    """
    code = market_code(market)
    wanted = normalize_kinds(kinds, code)
    index, lo, hi = _week_bounds(dates, label)
    if len(index) == 0:
        return pd.DataFrame(index=index.rename("date"), dtype="float64")
    first_year = int(str(np.datetime64(int(lo.min()), "D"))[:4])
    last_year = int(str(np.datetime64(int(hi.max()), "D"))[:4])
    if first_year < MIN_YEAR or last_year > MAX_YEAR:
        raise CalendarError(
            f"dates: the weeks span {first_year}..{last_year}, outside the supported years "
            f"{MIN_YEAR}..{MAX_YEAR}; pass week labels within that range"
        )
    # windows reach into the neighbouring years (e.g. the 年货节 window of early January)
    y0, y1 = max(MIN_YEAR, first_year - 1), min(MAX_YEAR, last_year + 1)
    ev = events(range(y0, y1 + 1), code, wanted, retail=retail)
    start = np.asarray(ev["date"], dtype="datetime64[D]").astype("int64")
    lower = ev["lower_window"].to_numpy()
    upper = ev["upper_window"].to_numpy()
    names = (ev["kind"] + ":" + ev["event"]).to_numpy()
    columns: dict[str, np.ndarray] = {}
    for name in sorted(set(names)):
        rows = names == name
        triples = zip(start[rows], lower[rows], upper[rows], strict=True)
        spans = [np.arange(s + a, s + b + 1) for s, a, b in triples]
        covered = np.unique(np.concatenate(spans))
        after_end = np.searchsorted(covered, hi, side="right")
        counts = after_end - np.searchsorted(covered, lo, side="left")
        columns[name] = counts.astype("float64")
    return pd.DataFrame(columns, index=index.rename("date"))
