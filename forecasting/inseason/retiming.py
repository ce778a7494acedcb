"""In-season re-timing: is a wave of the launch calendar arriving earlier or later than planned?

:func:`retime_waves` takes the launch calendar a plan made
(:func:`forecasting.timing.recommend_launches`, ``Plan.launches``, ``launch_calendar.csv``) and the
latest sales, and says for each wave whether this season's rise is ahead of or behind the usual,
and moves the deliveries not yet made of a wave that is arriving early.

The signal: the season's growth over its own pre-season level, against the usual
------------------------------------------------------------------------------------
Sales of each group (all sales when the calendar has no group columns) are smoothed as surge
detection smooths them (:mod:`forecasting.timing.surges`: log units, weekday cycle and single-day
spikes removed, a 15-day running mean; weekly data per week). Days are counted from each wave's
expected onset (its anchor's date in that year plus the calendar's lag, so a wave anchored on the
Spring Festival is followed with the lunar calendar). For every year:

- the **growth** on a day is the smooth level over the median level of the pre-season window,
  90 to 60 days before the expected onset (a ratio of units: 1.15 = +15 %);
- the **rise** is the first day from which the growth stays at or above ``threshold`` (default
  1.15) for ``sustain_days`` days (default 7) in a row, searched from 60 days before the expected
  onset (or from the end of the group's previous wave) on, after a day below it.

The rise of the current season (sales before ``as_of``) is compared with the median rise of the
past years (before the current season, same rule, same anchor): the difference is how many days
early (positive) or late (negative) the wave is; the onset seen is the calendar's expected onset
moved by that many days. A season whose rise has not come yet is late once ``as_of`` is more than
``tolerance_days`` past the usual rise.

Why this signal. Deliveries answer demand, and demand is what the growth measures; comparing the
rise with the same rule in past years makes it like-for-like, so a change in the shape of the
season cannot pass for a change in its timing. The onset of
:func:`forecasting.timing.detect_surges` cannot be used in season: it needs the peak, so it
dates a wave only after the wave is over, and it dates the knot of the rise from the trough
before the peak, which moves with the shape. On the bundled data it dates the 2011 autumn onset
on 27 August, 23-29 days before 2008-2010 (19-25 September); but 2011 only lacked the late-August
back-to-school bump of the other years: its sales were about 11 % below the usual in late August,
then rose without a pause to a National Day peak on the usual day (3 October). By the rise above
the summer level, 2011 was a few days early: with ``threshold`` 1.15 its rise came on
12 September, day -13 of the expected onset (25 September, 秋分 + 2), against days -2, -9 and -11
in 2008-2010 (median -9): 4 days early (with 1.2: 8 days; 1.25: 6 days), well within the plan's
own margin (planned for 18 September, delivered 5 September).

``threshold`` = 1.15 is the smallest lift surge detection calls a surge (``min_lift``); a week of
growth above it is more than a promotion or a holiday spike, and is one delivery cycle.

Status
------
- ``"passed"``: the wave's expected peak (later by the days a late wave is late) is before
  ``as_of``: its season is over. A wave whose rise has not come yet is never passed; an early
  one is followed to its expected peak.
- ``"early"``: the rise came ``tolerance_days`` (default 7) or more before the usual, and the
  onset seen is before the calendar's planned onset (the early onset the delivery was already
  planned for).
- ``"late"``: the rise came ``tolerance_days`` or more after the usual, or has not come that long
  after the usual rise.
- ``"on plan"``: otherwise, also when the rise cannot be timed (no past year shows it).

Deliveries dated before ``as_of`` are made and stay. An early wave's delivery not yet made moves
to the latest delivery day that still puts goods on shelf ``lead_days`` before the onset seen
(:func:`forecasting.timing.delivery_date`), but never before the first feasible delivery day on or
after ``as_of`` (the wave's unified ``delivery_weekday``, an official working day:
:func:`forecasting.timing.rules.first_delivery_on_or_after`); the groups of a wave that shared one
delivery day keep sharing it. A late wave is not moved: its goods wait on shelf, and its reason
says so.

The reasons are written from the templates in :data:`REASONS` (English; one place to translate).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.frequency import require_daily_or_weekly
from forecasting.inputs.readers import as_sales
from forecasting.inputs.validated import SalesTable
from forecasting.inputs.validation import data_error
from forecasting.timing.anchors import anchor_occurrences
from forecasting.timing.launch import LAUNCH_COLUMNS
from forecasting.timing.rules import (
    as_date,
    check_lead_days,
    delivery_date,
    first_delivery_on_or_after,
    planning_date,
    weekday_number,
)
from forecasting.timing.surges import smooth_series

__all__ = ["REASONS", "RETIMING_COLUMNS", "retime_waves"]

RETIMING_COLUMNS = [
    "wave",
    "anchor",
    "expected_onset",
    "planned_onset",
    "planned_delivery_date",
    "usual_rise",
    "rise_seen",
    "onset_seen",
    "days_early",
    "growth",
    "status",
    "delivered",
    "new_delivery_date",
    "moved",
    "reason",
]
"""Columns of :func:`retime_waves` (after the calendar's group columns, if any)."""

_REQUIRED = (
    "wave",
    "anchor",
    "anchor_date",
    "expected_onset",
    "expected_peak",
    "planned_onset",
    "delivery_date",
)
_DATES = ("anchor_date", "expected_onset", "expected_peak", "planned_onset", "delivery_date")
_BASELINE = (-90, -60)  # days from the expected onset: the pre-season level
_SEARCH_FROM = -60  # the rise is looked for from this day on (a wave up to 8 weeks early)
_SEARCH_TO = 30  # ... and in past years up to this day

REASONS: dict[str, str] = {
    "head": "{season} wave (expected onset {expected}, planned for {planned})",
    "usual": "in {years} its sales rose {threshold} above the pre-season level on day "
    "{usual:+d} of the expected onset",
    "seen": "this season they did on {rise} ({shift}), so the onset is seen about {onset}",
    "before": "{days} before the usual",
    "after": "{days} after the usual",
    "day": "1 day",
    "days": "{n} days",
    "unknown": "unknown",
    "weekdays": "Mon Tue Wed Thu Fri Sat Sun",
    "not_yet": "this season they have not yet (growth {growth} on {last}); onset: not yet",
    "not_timed": "no past year shows its rise above {threshold} in the search window, so its "
    "timing cannot be checked; kept as planned",
    "passed": "PASSED: its peak, expected {peak}, is before {as_of}; nothing to re-time",
    "early_moved": "EARLY: deliver on {new} instead of {old}, the first feasible delivery day "
    "for the onset seen",
    "early_kept": "EARLY: the planned delivery, {old}, is already the first feasible delivery "
    "day; keep it",
    "early_made": "EARLY: the delivery of {old} was already made; nothing to move, watch stock "
    "for the early demand",
    "early_covered": "earlier than usual but not before the planned onset: the delivery of {old} "
    "covers it",
    "moved_with_wave": "MOVED with its wave: another group of the wave is early; deliver on "
    "{new} instead of {old}, one delivery for the wave",
    "on_plan": "ON PLAN: deliver on {old} as planned",
    "on_plan_made": "ON PLAN: delivered on {old} as planned",
    "late": "LATE: demand is behind the usual; the delivery of {old} is not moved, goods wait on "
    "shelf (hold back further stock until the rise comes)",
    "late_open": "LATE: demand is behind the usual; keep the delivery of {old} or hold it until "
    "the rise comes",
}
"""The words of the reasons (English): templates by situation, and the small words they are
filled with. Every word of a reason comes from here, so another language is one more table."""


_STALE_DAYS = 14
"""Days the sales may end before ``as_of`` (a missing fortnight is a stale file, not a season)."""


def _day(value: pd.Timestamp) -> str:
    return f"{REASONS['weekdays'].split()[value.weekday()]} {value:%Y-%m-%d}"


def _ratio(value: float) -> str:
    return f"{value - 1:+.0%}"


def _check_calendar(calendar: object) -> pd.DataFrame:
    if not isinstance(calendar, pd.DataFrame):
        raise DataValidationError(
            f"calendar: expected the launch calendar as a DataFrame (recommend_launches, "
            f"Plan.launches or launch_calendar.csv read with pandas), got "
            f"{type(calendar).__name__}. Fix: pass that table."
        )
    frame = calendar.reset_index(drop=True)
    for column in _REQUIRED:
        if column not in frame.columns:
            there = ", ".join(repr(str(c)) for c in frame.columns[:12]) or "none"
            raise data_error(
                "calendar",
                column,
                f"required column of the launch calendar is missing (the columns are: {there})",
                "pass the launch calendar of the plan unchanged (recommend_launches, "
                "Plan.launches, or launch_calendar.csv read with pandas)",
            )
    if frame.empty:
        raise DataValidationError(
            "calendar: the launch calendar has no waves. Fix: pass the calendar of the plan."
        )
    out = frame.copy()
    for column in _DATES:
        parsed = pd.to_datetime(out[column], errors="coerce")
        bad = parsed.isna().to_numpy()
        if bad.any():
            raise data_error(
                "calendar",
                column,
                f"{int(bad.sum())} wave(s) have no readable date",
                "give dates as YYYY-MM-DD (pass the calendar of the plan unchanged)",
                out,
                bad,
                ["wave", column],
            )
        out[column] = parsed.dt.normalize()
    return out


class _Level:
    """The smooth log level of one series, read on any day (interpolated, NaN outside the data)."""

    def __init__(self, series: pd.Series, freq: str) -> None:
        sm = smooth_series(series.sort_index(), freq)
        self.days = sm.days
        self.level = sm.level

    def at(self, days: pd.DatetimeIndex) -> np.ndarray:
        x = np.asarray((days - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1), float)
        return np.interp(x, self.days, self.level, left=np.nan, right=np.nan)


def _growth(level: _Level, onset: pd.Timestamp, last: int) -> np.ndarray | None:
    """Log growth over the pre-season level on days ``_BASELINE[0]`` .. ``last`` of ``onset``."""
    days = onset + pd.to_timedelta(np.arange(_BASELINE[0], last + 1), unit="D")
    values = level.at(days)
    base = values[: _BASELINE[1] - _BASELINE[0] + 1]
    if np.isnan(base).any():
        return None  # the pre-season window is not in the data
    return values - float(np.median(base))


def _rise(growth: np.ndarray, start: int, log_threshold: float, sustain: int) -> int | None:
    """First day (from the expected onset) from which growth stays >= threshold ``sustain`` days,
    searched from day ``start`` on, after a day below the threshold."""
    offset = _BASELINE[0]
    above = growth >= log_threshold
    below_seen = False
    run = 0
    for i in range(start - offset, len(growth)):
        if np.isnan(growth[i]):
            break
        if not above[i]:
            below_seen, run = True, 0
            continue
        run += 1
        if below_seen and run >= sustain:
            return i - sustain + 1 + offset
    return None


def _search_start(frame: pd.DataFrame, groups: list[str]) -> list[int]:
    """Day (from each wave's expected onset) the rise is looked for from: 60 days before, or the
    day after the expected peak of the group's previous wave, whichever is later."""
    starts: list[int] = []
    for _, row in frame.iterrows():
        same = np.ones(len(frame), bool)
        for g in groups:
            same &= (frame[g] == row[g]).to_numpy()
        before = same & (frame["expected_onset"] < row["expected_onset"]).to_numpy()
        start = _SEARCH_FROM
        if before.any():
            peak = frame.loc[before, "expected_peak"].max()
            start = max(start, int((peak - row["expected_onset"]).days) + 1)
        starts.append(min(start, 0))
    return starts


def retime_waves(
    calendar: pd.DataFrame,
    sales: object,
    *,
    as_of: object = None,
    market: str = "CN",
    delivery_weekday: str | int = "MON",
    lead_days: int = 7,
    threshold: float = 1.15,
    sustain_days: int = 7,
    tolerance_days: int = 7,
    plan_as_of: object = None,
) -> pd.DataFrame:
    """Check each wave of a launch calendar against the latest sales; move early waves' deliveries.

    The signal (module notes): the day this season's sales rose ``threshold`` above their
    pre-season level (90-60 days before the expected onset) for ``sustain_days`` days, against the
    median day the past years did, by the same rule, counted from the wave's calendar anchor. It
    measures demand like-for-like, in season (the surge onset of
    :func:`~forecasting.timing.detect_surges` needs the peak). The default 1.15 is the lift that
    surge detection calls a surge; a week above it is no promotion spike.

    Parameters
    ----------
    calendar : pandas.DataFrame
        The launch calendar of the plan (:func:`~forecasting.timing.recommend_launches`,
        ``Plan.launches``, or ``launch_calendar.csv`` read with pandas): ``wave``, ``anchor``,
        ``anchor_date``, ``expected_onset``, ``expected_peak``, ``planned_onset`` and
        ``delivery_date`` at least; every column that the launch calendar does not define names a
        group (e.g. ``category``) and must be a column of the sales.
    sales : SalesTable, path or pandas.DataFrame
        The latest sales, daily or weekly, with the past years (validated through
        :func:`forecasting.inputs.as_sales`). Only sales dated before ``as_of`` are used.
    as_of : date-like, optional
        The re-timing date (default: the day after the last sales date). Deliveries dated before it
        are made; nothing is moved before it.
    market : str, default "CN"
        Calendar market (anchors and working days).
    delivery_weekday : str or int, default "MON"
        The unified delivery weekday of the plan.
    lead_days : int, default 7
        Days on shelf wanted before the onset (as in the plan).
    threshold : float, default 1.15
        Growth over the pre-season level that marks the rise (1.15 = +15 %).
    sustain_days : int, default 7
        Days the growth must stay at or above ``threshold``.
    tolerance_days : int, default 7
        Days early or late that count (less is within one delivery cycle).
    plan_as_of : date-like, optional
        The date the plan was made (``Plan.as_of``); ``as_of`` must not be before it.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``calendar``, in its order: the group columns, then
        :data:`RETIMING_COLUMNS`: ``wave``, ``anchor``, ``expected_onset``, ``planned_onset``,
        ``planned_delivery_date``, ``usual_rise`` (median day of the rise in past years, counted
        from the expected onset; NA when no past year shows it), ``rise_seen`` (this season's rise,
        NaT: not yet), ``onset_seen`` (the expected onset moved by ``days_early``; NaT: not yet),
        ``days_early`` (negative: late; NA when not known yet), ``growth`` (this season's growth
        over its pre-season level on the last sales day, a ratio), ``status`` (``"on plan"``,
        ``"early"``, ``"late"``, ``"passed"``), ``delivered`` (the planned delivery is before
        ``as_of``), ``new_delivery_date``, ``moved`` and ``reason``.

    Raises
    ------
    DataValidationError
        A calendar column missing or unreadable, a group column the sales lack, ``as_of`` before
        ``plan_as_of`` or not after the first sales date, bad options, monthly sales.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from forecasting.timing import recommend_launches
    >>> dates = pd.date_range("2008-01-01", "2011-12-31")
    >>> def surge(onset):  # +100 % over 20 days from the onset, back down over the next 20
    ...     t = (dates - pd.Timestamp(onset)).days
    ...     return np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1)
    >>> onsets = ["2008-09-10", "2009-09-11", "2010-09-12", "2011-08-08"]  # 2011: 5 weeks early
    >>> sales = pd.DataFrame({"date": dates, "units": 100 * 2 ** sum(map(surge, onsets))})
    >>> plan = recommend_launches(sales, "2011-07-01", "2011-12-31", as_of="2011-06-01")
    >>> plan.loc[0, ["wave", "expected_onset", "delivery_date"]].tolist()
    ['autumn (白露)', Timestamp('2011-09-12 00:00:00'), Timestamp('2011-08-29 00:00:00')]
    >>> now = retime_waves(plan, sales, as_of="2011-08-22")
    >>> row = now.loc[0]
    >>> print(row["status"], row["days_early"], f"{row['onset_seen']:%Y-%m-%d}",
    ...       f"{row['new_delivery_date']:%Y-%m-%d}")
    early 35 2011-08-08 2011-08-22
    >>> print(now.loc[0, "reason"])  # doctest: +NORMALIZE_WHITESPACE
    autumn wave (expected onset 2011-09-12, planned for 2011-09-08); in 2008-2010 its sales rose
    +15% above the pre-season level on day +4 of the expected onset; this season they did on
    2011-08-12 (35 days before the usual), so the onset is seen about 2011-08-08; EARLY: deliver on
    Mon 2011-08-22 instead of Mon 2011-08-29, the first feasible delivery day for the onset seen.
    """
    frame = _check_calendar(calendar)
    check_lead_days(lead_days)
    weekday = weekday_number(delivery_weekday)
    if not (isinstance(threshold, int | float) and threshold > 1):
        raise DataValidationError(
            f"{option('threshold', threshold)}: must be a growth ratio above 1. Fix: pass e.g. "
            f"{option('threshold', 1.15)} (+15 %)."
        )
    for name, value in (("sustain_days", sustain_days), ("tolerance_days", tolerance_days)):
        if int(value) < 1:
            raise DataValidationError(
                f"{option(name, value)}: must be at least 1 day. Fix: pass e.g. {option(name, 7)}."
            )
    groups = [c for c in frame.columns if c not in LAUNCH_COLUMNS]
    given = sales.frame if isinstance(sales, SalesTable) else sales
    if isinstance(given, pd.DataFrame):
        lacking = [g for g in groups if g not in given.columns]
        if lacking:
            raise DataValidationError(
                f"calendar: column(s) {lacking} name the groups of the launch calendar, but the "
                f"sales have no such column (the sales columns are: "
                f"{', '.join(map(repr, map(str, given.columns[:12])))}). Fix: pass the sales the "
                "plan was made from, with those columns, or drop them from the calendar to "
                "re-time the total."
            )
    table = as_sales(sales, by=groups or None)
    require_daily_or_weekly(table, "in-season re-timing")
    planning = planning_date(table, as_of)
    if plan_as_of is not None:
        made = as_date(plan_as_of, "plan_as_of")
        if planning < made:
            raise DataValidationError(
                f"{option('as_of', f'{planning:%Y-%m-%d}')} is before the plan's planning date "
                f"{made:%Y-%m-%d}: nothing has happened since the plan. Fix: re-time with the "
                f"sales after the plan and a later {option('as_of')}."
            )
    sales_frame = table.frame.loc[(table.frame["date"] < planning).to_numpy()]
    last = sales_frame["date"].max()
    if pd.notna(last) and (planning - last).days > _STALE_DAYS:
        raise DataValidationError(
            f"{table.source}: column 'date': the sales end on {last:%Y-%m-%d}, "
            f"{(planning - last).days} days before {option('as_of', f'{planning:%Y-%m-%d}')}: "
            "this season's rise cannot be seen in them. Fix: give the sales up to the re-timing "
            "date."
        )
    log_threshold = math.log(float(threshold))
    anchors = _anchor_dates(frame, sales_frame, planning, market)
    starts = _search_start(frame, groups)
    levels: dict[tuple[Any, ...], _Level | None] = {}
    rows = []
    for (_, row), start in zip(frame.iterrows(), starts, strict=True):
        key = tuple(row[g] for g in groups)
        if key not in levels:
            levels[key] = _group_level(sales_frame, groups, key, table.freq)
        rows.append(
            _retime_row(
                row,
                levels[key],
                anchors.get(str(row["anchor"]), []),
                start,
                planning,
                log_threshold,
                int(sustain_days),
                int(tolerance_days),
            )
        )
    out = pd.DataFrame(rows, index=frame.index)
    out["delivered"] = frame["delivery_date"] < planning
    _new_deliveries(out, frame, planning, weekday, int(lead_days), market)
    out["reason"] = [
        _reason(frame.loc[i], out.loc[i], planning, float(threshold)) for i in frame.index
    ]
    for g in groups:
        out[g] = frame[g]
    out["wave"], out["anchor"] = frame["wave"], frame["anchor"]
    out["expected_onset"], out["planned_onset"] = frame["expected_onset"], frame["planned_onset"]
    out["planned_delivery_date"] = frame["delivery_date"]
    out["days_early"] = out["days_early"].astype("Int64")
    out["usual_rise"] = out["usual_rise"].astype("Int64")
    for column in ("rise_seen", "onset_seen", "new_delivery_date"):
        out[column] = pd.to_datetime(out[column])
    return out[[*groups, *RETIMING_COLUMNS]].reset_index(drop=True)


def _anchor_dates(
    frame: pd.DataFrame, sales: pd.DataFrame, planning: pd.Timestamp, market: str
) -> dict[str, list[pd.Timestamp]]:
    """The dates of each calendar anchor in the years of the sales (and of the calendar)."""
    from calendars import events as calendar_events

    first = int(sales["date"].min().year) if len(sales) else planning.year
    last = max(planning.year, int(frame["anchor_date"].max().year))
    occ = anchor_occurrences(calendar_events(range(first - 1, last + 2), market=market))
    names = set(frame["anchor"].astype(str))
    return {
        str(name): sorted(set(group["date"]))
        for name, group in occ[occ["event"].isin(names)].groupby("event")
    }


def _group_level(
    sales: pd.DataFrame, groups: list[str], key: tuple[Any, ...], freq: str
) -> _Level | None:
    mask = np.ones(len(sales), bool)
    for g, v in zip(groups, key, strict=True):
        mask &= (sales[g] == v).to_numpy()
    series = sales.loc[mask].groupby("date")["units"].sum()
    if len(series) < 8:
        return None
    return _Level(series, freq)


def _retime_row(
    row: pd.Series,
    level: _Level | None,
    anchor_days: list[pd.Timestamp],
    start: int,
    planning: pd.Timestamp,
    log_threshold: float,
    sustain: int,
    tolerance: int,
) -> dict[str, Any]:
    onset = row["expected_onset"]
    lag = onset - row["anchor_date"]
    last = int((planning - pd.Timedelta(days=1) - onset).days)  # last sales day, from the onset
    out: dict[str, Any] = {
        "usual_rise": np.nan,
        "rise_seen": pd.NaT,
        "onset_seen": pd.NaT,
        "days_early": np.nan,
        "growth": np.nan,
        "usual_years": "",
        "judged": False,
    }
    if level is None:
        return {**out, "status": _passed_or(row, planning, "on plan")}
    current = _growth(level, onset, last) if last >= _BASELINE[1] else None
    if current is not None:
        finite = current[np.isfinite(current)]
        out["growth"] = round(float(np.exp(finite[-1])), 3) if len(finite) else np.nan
        current = current[: _SEARCH_TO - _BASELINE[0] + 1]
    rises, years = [], []
    for day in anchor_days:
        past = day + lag
        if past + pd.Timedelta(days=_SEARCH_TO) >= onset + pd.Timedelta(days=_BASELINE[0]):
            continue  # not a past season
        growth = _growth(level, past, _SEARCH_TO)
        rise = None if growth is None else _rise(growth, start, log_threshold, sustain)
        if rise is not None:
            rises.append(rise)
            years.append(past.year)
    seen = None
    if current is not None and last >= start:
        seen = _rise(current, start, log_threshold, sustain)
    if not rises:
        return {**out, "status": _passed_or(row, planning, "on plan")}
    usual = round(float(np.median(rises)))
    out |= {"usual_rise": usual, "usual_years": _years(years), "judged": True}
    if seen is not None:
        early = usual - seen
        out |= {
            "rise_seen": onset + pd.Timedelta(days=seen),
            "onset_seen": onset - pd.Timedelta(days=early),
            "days_early": early,
        }
        if early >= tolerance and out["onset_seen"] < row["planned_onset"]:
            status = "early"
        elif early <= -tolerance:
            status = "late"
        else:
            status = "on plan"
    elif last > usual + tolerance:
        out["days_early"] = -(last - usual)  # at least this late
        return {**out, "status": "late"}  # its peak is still to come
    else:
        status = "on plan"
    return {**out, "status": _passed_or(row, planning, status, out["days_early"])}


def _passed_or(row: pd.Series, planning: pd.Timestamp, status: str, early: Any = 0) -> str:
    return "passed" if _peak(row, early) < planning else status


def _peak(row: pd.Series, early: Any) -> pd.Timestamp:
    """The expected peak, later by the days a late wave is late (an early rise does not end the
    season earlier: the wave is followed to its expected peak)."""
    late = 0 if pd.isna(early) else max(0, -int(early))
    return pd.Timestamp(row["expected_peak"]) + pd.Timedelta(days=late)


def _years(years: list[int]) -> str:
    ys = sorted(set(years))
    if len(ys) > 1 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))


def _new_deliveries(
    out: pd.DataFrame,
    frame: pd.DataFrame,
    planning: pd.Timestamp,
    weekday: int,
    lead_days: int,
    market: str,
) -> None:
    """``new_delivery_date`` and ``moved``: early waves' open deliveries, one day per delivery."""
    first = first_delivery_on_or_after(planning, weekday, market)
    new = frame["delivery_date"].copy()
    for i in frame.index:
        if out.loc[i, "status"] != "early" or out.loc[i, "delivered"]:
            continue
        wanted = delivery_date(out.loc[i, "onset_seen"], lead_days, weekday, market)
        new.loc[i] = min(frame.loc[i, "delivery_date"], max(first, wanted))
    # the groups of a wave that shared one delivery day keep sharing it
    shared = frame.groupby(["wave", "anchor_date", "delivery_date"], sort=False).ngroup()
    open_ = ~out["delivered"]
    new.loc[open_] = new.loc[open_].groupby(shared.loc[open_]).transform("min")
    out["new_delivery_date"] = new
    out["moved"] = new < frame["delivery_date"]


def _reason(row: pd.Series, result: pd.Series, planning: pd.Timestamp, threshold: float) -> str:
    season = str(row["wave"]).split(" (")[0]
    old = row["delivery_date"]
    parts = [
        REASONS["head"].format(
            season=season,
            expected=f"{row['expected_onset']:%Y-%m-%d}",
            planned=f"{row['planned_onset']:%Y-%m-%d}",
        )
    ]
    if result["judged"]:
        parts.append(
            REASONS["usual"].format(
                years=result["usual_years"],
                threshold=_ratio(threshold),
                usual=int(result["usual_rise"]),
            )
        )
        if pd.notna(result["rise_seen"]):
            early = int(result["days_early"])
            days = REASONS["day"] if abs(early) == 1 else REASONS["days"].format(n=abs(early))
            parts.append(
                REASONS["seen"].format(
                    rise=f"{result['rise_seen']:%Y-%m-%d}",
                    shift=REASONS["before" if early >= 0 else "after"].format(days=days),
                    onset=f"{result['onset_seen']:%Y-%m-%d}",
                )
            )
        else:
            growth = result["growth"]
            parts.append(
                REASONS["not_yet"].format(
                    growth=REASONS["unknown"] if pd.isna(growth) else _ratio(float(growth)),
                    last=f"{planning - pd.Timedelta(days=1):%Y-%m-%d}",
                )
            )
    else:
        parts.append(REASONS["not_timed"].format(threshold=_ratio(threshold)))
    status, made = result["status"], bool(result["delivered"])
    fields = {"old": _day(old), "new": _day(result["new_delivery_date"])}
    if status == "passed":
        key = "passed"
        peak = _peak(row, result["days_early"])
        fields |= {"peak": f"{peak:%Y-%m-%d}", "as_of": f"{planning:%Y-%m-%d}"}
    elif status == "early":
        key = "early_made" if made else ("early_moved" if result["moved"] else "early_kept")
    elif status == "late":
        key = "late" if made else "late_open"
    elif result["moved"]:  # a group sharing the delivery of an early group
        key = "moved_with_wave"
    elif result["judged"] and pd.notna(result["days_early"]) and int(result["days_early"]) > 0:
        key = "early_covered"
    else:
        key = "on_plan_made" if made else "on_plan"
    parts.append(REASONS[key].format(**fields))
    return "; ".join(parts) + "."
