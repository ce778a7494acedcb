"""Adapters from :func:`calendars.events` to what the models consume, the only ones in launchcast.

* :func:`holiday_frame`: an events table as Prophet's ``holidays`` frame, either each event day
  with its own window (``windows="events"``) or the windows the forecasting model uses
  (``windows="model"``): each break of a public holiday is one event anchored on its first day (the
  Spring Festival on the lunar new year, so the pre-festival peak and the post-festival trough are
  learnt wherever the festival falls) whose window reaches :data:`HOLIDAY_WINDOWS` days before the
  anchor and after the break; the make-up workdays (调休) are one event, so a working Saturday is
  not taken for a weekend; retail events keep their pre-sale windows; solar terms get
  :data:`SOLAR_TERM_WINDOW`.
* :func:`prophet_holidays`: the same frame, straight from years and a market.
* :func:`holiday_day_features`: the daily indicator regressors of a holidays frame (Prophet's own
  holiday design, computed once for all series).
* :func:`holiday_week_features`: for weekly data, the public holidays as days per week of each
  7-day block of their window, so the build-up and the trough around a moving festival keep their
  shape.
* :func:`weekly_event_features`: for weekly data, how many days of each event (or of its window)
  fall in each week, so that holiday effects survive aggregation to weeks.
* :func:`monthly_event_features`: for monthly data, the days off and make-up workdays per month and
  the share of each moving event's window (the Spring Festival's build-up and break) in the month.
* :func:`model_features`: the regressors of the forecasting model: daily indicators for daily data;
  holiday week blocks plus the weekly counts of the other kinds for weekly data; the monthly
  features for monthly data. The user's own events (:func:`calendars.user_events`), named
  ``"user:<event>"`` in a holidays frame, become regressors like the built-in ones.

Every name is ``"kind:event"`` ("holiday:Spring Festival", "workday:Spring Festival",
"retail:618", "solar_term:白露"), so a make-up workday never shares a name with the day off it pays
for; with ``windows="model"`` the make-up workdays are all ``"workday:make-up workday"``.

Examples
--------
>>> HOLIDAY_WINDOWS["Spring Festival"]
(-28, 21)
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from calendars._common import KINDS, MAX_YEAR, MIN_YEAR, market_code, normalize_kinds
from calendars.events import events
from calendars.exceptions import CalendarError
from calendars.lunar import lunar_new_year
from calendars.retail import RetailEvent
from calendars.user_events import USER_KIND

__all__ = [
    "DEFAULT_HOLIDAY_WINDOW",
    "HOLIDAY_WINDOWS",
    "MONTHLY_FREQS",
    "SOLAR_TERM_WINDOW",
    "WINDOWS",
    "holiday_day_features",
    "holiday_frame",
    "holiday_week_features",
    "model_features",
    "monthly_event_features",
    "prophet_holidays",
    "weekly_event_features",
]

#: With ``windows="model"``: (days before the anchor of a break, days after its last day) per public
#: holiday; the others use :data:`DEFAULT_HOLIDAY_WINDOW`.
HOLIDAY_WINDOWS: Mapping[str, tuple[int, int]] = types.MappingProxyType(
    {
        "Spring Festival": (-28, 21),
        "National Day": (-7, 3),
        "New Year's Day": (-5, 2),
        "Labour Day": (-5, 2),
        "Labor Day": (-5, 2),
        "Thanksgiving": (-3, 4),
        "Thanksgiving Day": (-3, 4),  # US: through Black Friday and Cyber Monday
        "Christmas Day": (-21, 6),
    }
)
#: With ``windows="model"``: the window of a public holiday missing from :data:`HOLIDAY_WINDOWS`.
DEFAULT_HOLIDAY_WINDOW: tuple[int, int] = (-3, 2)
#: With ``windows="model"``: the smallest window of a solar term (the days around it that it spans).
SOLAR_TERM_WINDOW: tuple[int, int] = (-2, 7)
#: The ``windows`` choices of :func:`holiday_frame` and :func:`prophet_holidays`.
WINDOWS: tuple[str, ...] = ("events", "model")
#: The monthly frequencies of :func:`model_features`: months labelled by their first or last day.
MONTHLY_FREQS: tuple[str, ...] = ("MS", "ME")

_FRAME_COLUMNS = ["holiday", "ds", "lower_window", "upper_window"]


def holiday_frame(events: pd.DataFrame, windows: str = "events") -> pd.DataFrame:
    """Turn a :func:`calendars.events` table into a Prophet ``holidays`` frame.

    Parameters
    ----------
    events : pandas.DataFrame
        Columns ``date, event, kind, lower_window, upper_window`` (missing windows count as 0).
    windows : {"events", "model"}, default "events"
        ``"events"``: one row per event date with the event's own window, in the order of
        ``events``. ``"model"``: the windows the forecasting model uses, sorted by ``ds`` and
        ``holiday``: each run of consecutive days of one public holiday is one event anchored on
        its first day (the Spring Festival on the lunar new year when that falls in the run or at
        most 3 days before it), whose window reaches :data:`HOLIDAY_WINDOWS` days before the
        anchor (at least to the run's first day) and after the run's last day
        (:data:`DEFAULT_HOLIDAY_WINDOW` for other holidays, and at least the event's own window);
        every make-up workday is a ``"workday:make-up workday"`` day without window; retail events
        keep their windows; solar terms span at least :data:`SOLAR_TERM_WINDOW`.

    Returns
    -------
    pandas.DataFrame
        ``holiday`` ("kind:event"), ``ds`` (``datetime64[ns]``), ``lower_window`` (<= 0) and
        ``upper_window`` (>= 0, int64).

    Raises
    ------
    CalendarError
        For an unknown ``windows``.

    Examples
    --------
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2011-10-01", "2011-10-02", "2011-10-08"]),
    ...                    "event": ["National Day", "National Day", "National Day"],
    ...                    "kind": ["holiday", "holiday", "workday"],
    ...                    "lower_window": 0, "upper_window": 0})
    >>> holiday_frame(ev)["holiday"].tolist()
    ['holiday:National Day', 'holiday:National Day', 'workday:National Day']
    >>> model = holiday_frame(ev, windows="model")
    >>> model[["holiday", "lower_window", "upper_window"]].values.tolist()
    [['holiday:National Day', -7, 4], ['workday:make-up workday', 0, 0]]
    """
    if windows == "events":
        return pd.DataFrame(
            {
                "holiday": events["kind"] + ":" + events["event"],
                "ds": pd.to_datetime(events["date"]).astype("datetime64[ns]"),
                "lower_window": events["lower_window"].fillna(0).astype("int64"),
                "upper_window": events["upper_window"].fillna(0).astype("int64"),
            }
        ).reset_index(drop=True)
    if windows != "model":
        raise CalendarError(f"windows: got {windows!r}; allowed: {', '.join(WINDOWS)}")
    rows: list[dict[str, object]] = []
    events = events.sort_values(["kind", "event", "date"])
    for (kind, event), group in events.groupby(["kind", "event"], sort=True):
        dates = pd.DatetimeIndex(group["date"])
        lower = group["lower_window"].fillna(0).astype(int).to_numpy()
        upper = group["upper_window"].fillna(0).astype(int).to_numpy()
        if kind == "workday":
            rows.extend(
                {
                    "holiday": "workday:make-up workday",
                    "ds": d,
                    "lower_window": 0,
                    "upper_window": 0,
                }
                for d in dates
            )
            continue
        if kind != "holiday":
            pre, post = SOLAR_TERM_WINDOW if kind == "solar_term" else (0, 0)
            rows.extend(
                {
                    "holiday": f"{kind}:{event}",
                    "ds": d,
                    "lower_window": min(int(lo), pre, 0),
                    "upper_window": max(int(up), post, 0),
                }
                for d, lo, up in zip(dates, lower, upper, strict=True)
            )
            continue
        # one anchored event per run of consecutive holiday days
        breaks = np.flatnonzero(np.diff(dates.to_numpy()).astype("timedelta64[D]").astype(int) > 1)
        starts = np.r_[0, breaks + 1]
        ends = np.r_[breaks, len(dates) - 1]
        pre, post = HOLIDAY_WINDOWS.get(str(event), DEFAULT_HOLIDAY_WINDOW)
        for s, e in zip(starts, ends, strict=True):
            first, last = dates[s], dates[e]
            anchor = first
            if event == "Spring Festival":
                lny = pd.Timestamp(lunar_new_year(first.year))
                if first - pd.Timedelta(days=3) <= lny <= last:
                    anchor = lny
            lo = min(pre, int((first - anchor).days + lower[s : e + 1].min()))
            up = max(
                int((last - anchor).days) + post, int((last - anchor).days + upper[s : e + 1].max())
            )
            rows.append(
                {"holiday": f"{kind}:{event}", "ds": anchor, "lower_window": lo, "upper_window": up}
            )
    frame = pd.DataFrame(rows, columns=_FRAME_COLUMNS)
    frame["ds"] = pd.to_datetime(frame["ds"]).astype("datetime64[ns]")
    return frame.sort_values(["ds", "holiday"], ignore_index=True)


def prophet_holidays(
    years: int | Iterable[int],
    market: str = "CN",
    kinds: str | Iterable[str] | None = None,
    *,
    retail: Iterable[RetailEvent] | None = None,
    windows: str = "events",
) -> pd.DataFrame:
    """Calendar events as a Prophet ``holidays`` frame: :func:`holiday_frame` of their events.

    Parameters
    ----------
    years, market, kinds, retail
        As for :func:`calendars.events`.
    windows : {"events", "model"}, default "events"
        As for :func:`holiday_frame`: each event date with its own window, or the anchored windows
        of the forecasting model (which reach into the years around ``years``: ask for a year more
        on each side to get every window that touches ``years``).

    Returns
    -------
    pandas.DataFrame
        Columns ``holiday`` ("kind:event", e.g. "holiday:Spring Festival"), ``ds``
        (``datetime64[ns]``), ``lower_window`` (<= 0) and ``upper_window`` (>= 0); with
        ``windows="events"`` one row per event date.

    Examples
    --------
    >>> frame = prophet_holidays(2025, kinds=["holiday", "retail"])
    >>> list(frame.columns)
    ['holiday', 'ds', 'lower_window', 'upper_window']
    >>> frame[frame["holiday"] == "retail:618"].values.tolist()
    [['retail:618', Timestamp('2025-06-18 00:00:00'), -18, 2]]
    >>> model = prophet_holidays(2025, kinds="holiday", windows="model")
    >>> model[model["holiday"] == "holiday:Spring Festival"].values.tolist()
    [['holiday:Spring Festival', Timestamp('2025-01-29 00:00:00'), -28, 27]]
    """
    return holiday_frame(events(years, market, kinds, retail=retail), windows)


def _period_labels(dates: object, what: str) -> pd.DatetimeIndex:
    """Period labels (``what``: "week" or "month") as naive dates; an error for unreadable ones."""
    try:
        index = pd.DatetimeIndex(pd.to_datetime(dates))  # type: ignore[call-overload]
    except (TypeError, ValueError) as exc:
        raise CalendarError(f"dates: cannot read the {what} labels as dates ({exc})") from None
    if index.tz is not None:
        index = index.tz_localize(None)
    if index.hasnans:
        bad = [str(i) for i in np.flatnonzero(index.isna())[:5]]
        raise CalendarError(f"dates: missing {what} labels (NaT) at positions {', '.join(bad)}")
    return index


def _week_bounds(dates: object, label: str) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    index = _period_labels(dates, "week").normalize().as_unit("ns")
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
    names = (ev["kind"] + ":" + ev["event"]).to_numpy()
    columns = _covered_days(
        names, start, ev["lower_window"].to_numpy(), ev["upper_window"].to_numpy(), lo, hi
    )
    return pd.DataFrame(columns, index=index.rename("date"))


def _covered_days(
    names: np.ndarray,
    start: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> dict[str, np.ndarray]:
    """Per name (sorted): the distinct days of its ``[start + lower, start + upper]`` spans that
    fall in each period ``[lo, hi]`` (all in days since 1970-01-01)."""
    columns: dict[str, np.ndarray] = {}
    for name in sorted(set(names)):
        rows = names == name
        triples = zip(start[rows], lower[rows], upper[rows], strict=True)
        spans = [np.arange(s + a, s + b + 1) for s, a, b in triples]
        covered = np.unique(np.concatenate(spans))
        after_end = np.searchsorted(covered, hi, side="right")
        counts = after_end - np.searchsorted(covered, lo, side="left")
        columns[str(name)] = counts.astype("float64")
    return columns


def _frame_days(holidays: pd.DataFrame) -> np.ndarray:
    return pd.DatetimeIndex(holidays["ds"]).to_numpy().astype("datetime64[D]").astype(np.int64)


def _user_rows(holidays: pd.DataFrame) -> pd.DataFrame:
    return holidays[holidays["holiday"].astype(str).str.startswith(USER_KIND + ":")]


def _month_bounds(dates: object) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    index = _period_labels(dates, "month").as_unit("ns")
    periods = index.to_period("M")
    first = periods.start_time.to_numpy().astype("datetime64[D]").astype(np.int64)
    last = periods.end_time.normalize().to_numpy().astype("datetime64[D]").astype(np.int64)
    return index, first, last


def _month_shares(
    spans: Mapping[str, list[tuple[int, int]]], lo: np.ndarray, hi: np.ndarray
) -> dict[str, np.ndarray]:
    """Per name: the sum over its spans of the share of the span's days in each month."""
    columns: dict[str, np.ndarray] = {}
    for name, pairs in spans.items():
        first = np.array([a for a, _ in pairs], dtype=np.int64)
        last = np.array([b for _, b in pairs], dtype=np.int64)
        overlap = np.minimum(last[None, :], hi[:, None]) - np.maximum(first[None, :], lo[:, None])
        share = np.clip(overlap + 1, 0, None) / (last - first + 1)[None, :]
        columns[name] = share.sum(axis=1).astype("float64")
    return columns


def _fixed_in_month(values: np.ndarray, months: np.ndarray) -> bool:
    """Whether a monthly column takes one value per calendar month (the same every year)."""
    for month in np.unique(months):
        column = values[months == month]
        if np.ptp(column) > 1e-9:
            return False
    return True


def monthly_event_features(
    holidays: pd.DataFrame,
    dates: object,
    market: str | None = "CN",
    kinds: Iterable[str] | None = None,
    *,
    retail: Iterable[RetailEvent] | None = None,
) -> pd.DataFrame:
    """Calendar regressors of monthly data: days off and make-up workdays per month, and how much
    of each moving event falls in the month.

    Each label stands for its calendar month (month-start ``"MS"`` or month-end ``"ME"`` labels
    alike). Columns:

    * ``"holiday:days off"``: official days off in the month (for ``CN`` the whole breaks,
      weekend days inside them included); ``"workday:make-up workdays"``: make-up working days
      (调休上班). Counted from :func:`calendars.events` of ``market`` for the kinds in ``kinds``.
    * ``"holiday:<event>[before]"`` and ``"holiday:<event>[after]"``: for each public holiday of
      ``holidays`` (the model windows of :func:`holiday_frame`), the share of the days of its
      window before the anchor (the pre-festival build-up), and from the anchor on (the break and
      the trough after it), that fall in the month. The Spring Festival's build-up falls in January
      when the festival is in early February and in December/January when it is in late January,
      which is exactly what Chinese monthly sales need.
    * ``"<kind>:<event>"`` for the other events of ``holidays`` (retail, solar terms, the user's
      events ``"user:<event>"``): the share of the event's window days in the month, summed over
      its dates (a single-day event counts 1 in its month; two dates in a month count 2).

    A built-in event whose shares are the same in every year (a fixed-date event such as Double
    11 or Christmas) says nothing that the yearly seasonality does not, and is left out; whether
    it is fixed is decided on the inner years of ``holidays`` (without its first and last year),
    so the columns do not depend on ``dates``. The user's events are always kept.

    Parameters
    ----------
    holidays : pandas.DataFrame
        From :func:`holiday_frame` with ``windows="model"`` for years that cover ``dates`` and one
        more on each side.
    dates : array-like of date-likes
        Month labels (first or last day of each month, or any day in it).
    market : str or None, default "CN"
        Market of the day counts; ``None``: no counts.
    kinds : iterable of str, optional
        Event kinds in use; default: the kinds named in ``holidays``.
    retail : iterable of RetailEvent, optional
        As for :func:`calendars.events`.

    Returns
    -------
    pandas.DataFrame
        Float columns (sorted) indexed by ``dates`` (named ``"date"``).

    Examples
    --------
    >>> hol = prophet_holidays(range(2019, 2023), kinds=["holiday", "workday"], windows="model")
    >>> months = pd.date_range("2020-01-01", "2021-12-01", freq="MS")
    >>> feats = monthly_event_features(hol, months, kinds=["holiday", "workday"])
    >>> feats.loc[["2020-01-01", "2021-01-01", "2021-02-01"], "holiday:days off"].tolist()
    [9.0, 3.0, 7.0]
    >>> float(round(feats.loc["2021-01-01", "holiday:Spring Festival[before]"], 2))  # on 02-12
    0.61
    >>> "holiday:National Day[after]" in feats.columns  # all in October: yearly seasonality
    False
    """
    index, lo, hi = _month_bounds(dates)
    if kinds is None:
        kinds = _frame_kinds(holidays)
    wanted = [k for k in ("holiday", "workday") if k in set(kinds)]
    columns: dict[str, np.ndarray] = {}
    if market is not None and wanted and len(index):
        code = market_code(market)
        first_year = int(index.year.min())
        last_year = int(index.year.max())
        if first_year < MIN_YEAR or last_year > MAX_YEAR:
            raise CalendarError(
                f"dates: the months span {first_year}..{last_year}, outside the supported years "
                f"{MIN_YEAR}..{MAX_YEAR}; pass month labels within that range"
            )
        ev = events(range(first_year, last_year + 1), code, wanted, retail=retail)
        for kind, label in (
            ("holiday", "holiday:days off"),
            ("workday", "workday:make-up workdays"),
        ):
            if kind in wanted:
                days = np.unique(np.asarray(ev.loc[ev["kind"] == kind, "date"], "datetime64[D]"))
                covered = days.astype(np.int64)
                counts = np.searchsorted(covered, hi, "right") - np.searchsorted(
                    covered, lo, "left"
                )
                columns[label] = counts.astype("float64")
    spans: dict[str, list[tuple[int, int]]] = {}
    anchors = _frame_days(holidays)
    names = holidays["holiday"].astype(str).tolist()
    lowers = holidays["lower_window"].astype(int).tolist()
    uppers = holidays["upper_window"].astype(int).tolist()
    for name, anchor, low, up in zip(names, anchors, lowers, uppers, strict=True):
        if name.startswith("workday:"):
            continue  # counted as make-up workdays
        if name.startswith("holiday:"):
            if low < 0:
                spans.setdefault(f"{name}[before]", []).append((anchor + low, anchor - 1))
            spans.setdefault(f"{name}[after]", []).append((anchor, anchor + up))
        else:
            spans.setdefault(name, []).append((anchor + low, anchor + up))
    builtin = [n for n in spans if not n.startswith(USER_KIND + ":")]
    reference = holidays[~holidays["holiday"].astype(str).str.startswith(USER_KIND + ":")]
    if builtin and len(reference):
        years = pd.DatetimeIndex(reference["ds"]).year
        inner = pd.date_range(f"{years.min() + 1}-01-01", f"{years.max() - 1}-12-01", freq="MS")
        if len(inner) >= 24:  # two inner years at least, or nothing can be called fixed
            _, ref_lo, ref_hi = _month_bounds(inner)
            shares = _month_shares({n: spans[n] for n in builtin}, ref_lo, ref_hi)
            for name, values in shares.items():
                if _fixed_in_month(values, inner.month.to_numpy()):
                    del spans[name]
    columns.update(_month_shares(spans, lo, hi))
    frame = pd.DataFrame(columns, index=index.rename("date"))
    return frame.sort_index(axis=1) if len(frame.columns) else frame


def _frame_kinds(holidays: pd.DataFrame) -> list[str]:
    """The built-in kinds named in a holidays frame (the prefixes of its names)."""
    prefixes = holidays["holiday"].astype(str).str.split(":").str[0].unique().tolist()
    return [k for k in KINDS if k in prefixes]


def holiday_week_features(holidays: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Weekly features of the public holidays with their windows, one column per week of the window.

    Each holiday event of ``holidays`` (kind ``holiday``) is cut into 7-day blocks relative to its
    anchor (block 0 = the anchor and the 6 days after; block -1 = the 7 days before, ...); column
    ``"holiday:<event>[w<block>]"`` counts the days of that block in each week (weeks end on the
    labels), so the shape of a moving holiday (the build-up before the Spring Festival, the trough
    after it) is learnt on weekly data.

    Parameters
    ----------
    holidays : pandas.DataFrame
        From :func:`holiday_frame` with ``windows="model"``.
    dates : DatetimeIndex
        Week labels (last day of each week).

    Returns
    -------
    pandas.DataFrame
        Float columns (sorted) indexed by ``dates``.

    Examples
    --------
    >>> hol = pd.DataFrame({"holiday": ["holiday:X"], "ds": [pd.Timestamp("2024-01-10")],
    ...                     "lower_window": [-7], "upper_window": [3]})
    >>> weeks = pd.date_range("2024-01-05", periods=3, freq="W-FRI")
    >>> holiday_week_features(hol, weeks).to_dict("list")
    {'holiday:X[w-1]': [3.0, 4.0, 0.0], 'holiday:X[w0]': [0.0, 3.0, 1.0]}
    """
    dates = pd.DatetimeIndex(dates)
    rows = holidays[holidays["holiday"].str.startswith("holiday:")]
    week_end = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    columns: dict[str, np.ndarray] = {}
    anchors = pd.DatetimeIndex(rows["ds"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    names = rows["holiday"].astype(str).tolist()
    lowers = rows["lower_window"].astype(int).tolist()
    uppers = rows["upper_window"].astype(int).tolist()
    for holiday, anchor, lo, up in zip(names, anchors, lowers, uppers, strict=True):
        for block in range(lo // 7, up // 7 + 1):
            start = anchor + max(7 * block, lo)
            end = anchor + min(7 * block + 6, up)
            overlap = np.minimum(end, week_end) - np.maximum(start, week_end - 6) + 1
            name = f"{holiday}[w{block}]"
            values = np.clip(overlap, 0, None).astype(float)
            columns[name] = columns[name] + values if name in columns else values
    return (
        pd.DataFrame(columns, index=dates).sort_index(axis=1)
        if columns
        else pd.DataFrame(index=dates)
    )


def holiday_day_features(holidays: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Daily indicator features of a holidays frame: one column per event and day of its window.

    The same design Prophet builds from its ``holidays`` argument (column ``"<holiday>[<offset>]"``
    is 1 on the days ``ds + offset``), computed once with numpy and shared by every series, which is
    much faster than Prophet's per-row construction; a model adds them as regressors with the
    holidays prior.

    Parameters
    ----------
    holidays : pandas.DataFrame
        From :func:`holiday_frame`.
    dates : DatetimeIndex
        Days.

    Returns
    -------
    pandas.DataFrame
        Float columns indexed by ``dates``; a column only for the window days that fall in
        ``dates``.

    Examples
    --------
    >>> hol = pd.DataFrame({"holiday": ["holiday:X"], "ds": [pd.Timestamp("2024-01-10")],
    ...                     "lower_window": [-1], "upper_window": [0]})
    >>> holiday_day_features(hol, pd.date_range("2024-01-08", periods=4)).to_dict("list")
    {'holiday:X[-1]': [0.0, 1.0, 0.0, 0.0], 'holiday:X[+0]': [0.0, 0.0, 1.0, 0.0]}
    """
    dates = pd.DatetimeIndex(dates)
    days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    anchors = pd.DatetimeIndex(holidays["ds"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    columns: dict[str, np.ndarray] = {}
    frame = holidays.assign(_day=anchors)
    for holiday, group in frame.groupby("holiday", sort=False):
        lo = int(group["lower_window"].min())
        up = int(group["upper_window"].max())
        for offset in range(lo, up + 1):
            inside = (offset >= group["lower_window"]) & (offset <= group["upper_window"])
            hits = np.isin(days, group.loc[inside, "_day"].to_numpy() + offset)
            if hits.any():
                columns[f"{holiday}[{offset:+d}]"] = hits.astype(float)
    return pd.DataFrame(columns, index=dates)


def model_features(
    holidays: pd.DataFrame,
    dates: pd.DatetimeIndex,
    freq: str,
    market: str | None = "CN",
    kinds: Iterable[str] | None = None,
    *,
    retail: Iterable[RetailEvent] | None = None,
) -> pd.DataFrame:
    """The calendar regressors of the forecasting model for ``dates``.

    Daily data (``freq="D"``): :func:`holiday_day_features` of ``holidays``. Weekly data (weeks
    ending on the labels): :func:`holiday_week_features` of ``holidays``, then
    :func:`weekly_event_features` of the other kinds (make-up workdays, retail events, solar terms),
    then the days per week of the user's events in ``holidays`` (``"user:<event>"`` rows, see
    :func:`calendars.user_events`). Monthly data (``freq="MS"`` or ``"ME"``):
    :func:`monthly_event_features`.

    Parameters
    ----------
    holidays : pandas.DataFrame
        From :func:`holiday_frame` with ``windows="model"``, for years that cover ``dates`` and the
        windows reaching into them; the user's events in it are named ``"user:<event>"``.
    dates : DatetimeIndex
        Period labels: days, the last day of each week, or the first or last day of each month.
    freq : str
        ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"``.
    market : str or None, default "CN"
        Market of the weekly and monthly counts; ``None``: only the events of ``holidays``.
    kinds : iterable of str, optional
        Built-in event kinds in use; default: the kinds named in ``holidays`` (the prefix of its
        names).
    retail : iterable of RetailEvent, optional
        As for :func:`calendars.events`; pass the table that ``holidays`` was built from.

    Returns
    -------
    pandas.DataFrame
        One float column per event and window day (daily data), per holiday window week and per
        other event (weekly data), or as :func:`monthly_event_features` (monthly data), indexed by
        ``dates``.

    Examples
    --------
    >>> hol = prophet_holidays(range(2010, 2013), kinds=["holiday", "workday"], windows="model")
    >>> weeks = pd.date_range("2011-01-02", "2011-12-25", freq="W-SUN")
    >>> feats = model_features(hol, weeks, "W-SUN")
    >>> feats.loc["2011-02-06", ["holiday:Spring Festival[w0]", "workday:Spring Festival"]].tolist()
    [4.0, 0.0]
    >>> months = pd.date_range("2011-01-31", "2011-12-31", freq="ME")
    >>> float(model_features(hol, months, "ME").loc["2011-02-28", "holiday:days off"])
    7.0
    """
    dates = pd.DatetimeIndex(dates)
    if freq == "D":
        return holiday_day_features(holidays, dates)
    if kinds is None:
        kinds = _frame_kinds(holidays)
    kinds = [k for k in kinds if k in KINDS]
    if freq in MONTHLY_FREQS:
        return monthly_event_features(holidays, dates, market, kinds, retail=retail)
    parts = [holiday_week_features(holidays, dates)]
    others = [k for k in kinds if k != "holiday"]
    if others and len(dates) and market is not None:
        features = weekly_event_features(
            dates, market=market, kinds=others, label="end", retail=retail
        )
        parts.append(features.astype(float).set_axis(dates, axis=0))
    user = _user_rows(holidays)
    if len(user) and len(dates):
        week_end = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
        counts = _covered_days(
            user["holiday"].astype(str).to_numpy(),
            _frame_days(user),
            user["lower_window"].astype(int).to_numpy(),
            user["upper_window"].astype(int).to_numpy(),
            week_end - 6,
            week_end,
        )
        parts.append(pd.DataFrame(counts, index=dates))
    return pd.concat(parts, axis=1)
