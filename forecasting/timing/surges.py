"""Surge detection: where did sales rise fast in past years, and which calendar event came before?

A *surge* is a sustained rise of sales to a peak. :func:`detect_surges` finds every surge of every
series (one per ``by`` group) and ties it to a calendar *anchor* (a solar term, a public holiday
or a retail event) with the lag in days (:func:`forecasting.timing.anchors.assign_anchors`);
:func:`surge_profile` aggregates the surges of each anchor over the years, so that a planner reads
e.g. ``autumn (白露): 白露 +2 days (2008-2011: +0..+5)``.

How a surge is found (the same on daily and weekly data):

1. Sales of a series are summed per date, put on a regular grid and taken as ``log(1 + units)``.
2. Daily data lose their weekday cycle: the median of each weekday's deviation from a centred 7-day
   mean is subtracted. A centred running median (7 days, or 3 weeks) then removes single-day
   spikes, and a centred running mean (15 days, or 3 weeks) gives the smooth level.
3. Peaks of the smooth level whose rise from the preceding trough (looked for up to
   ``max_rise_days`` back) is at least ``min_lift`` are surges.
4. The *onset* is where sustained growth starts: a broken-stick line (flat, then rising) is fitted
   by least squares to the de-weekdayed series from the trough to the peak, then refitted without
   the days more than 3 robust standard deviations off (spikes); its knot is the onset. The *peak*
   is the highest de-spiked day near the smooth peak; ``lift`` is the smooth peak level over the
   flat pre-surge baseline (a ratio of units, e.g. 1.4 = +40 %). On weekly data each week sits at
   its middle day.

How the anchor is chosen: see :mod:`forecasting.timing.anchors`.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import require_daily_or_weekly
from forecasting.inputs.readers import as_sales
from forecasting.timing.anchors import DEFAULT_ANCHOR_KINDS, assign_anchors, wave_names

__all__ = ["detect_surges", "surge_profile"]

SURGE_COLUMNS = [
    "year",
    "onset",
    "peak",
    "lift",
    "anchor",
    "anchor_kind",
    "anchor_date",
    "lag_days",
    "peak_lag_days",
    "wave",
]


@dataclass(frozen=True)
class _Smoothed:
    dates: pd.DatetimeIndex  # dates of the regular grid (period labels)
    days: np.ndarray  # position of each period in days since epoch (its midpoint)
    adjusted: np.ndarray  # log level without weekday cycle
    despiked: np.ndarray  # ... and without single-day spikes
    level: np.ndarray  # smooth log level
    step: int  # days per period


def as_by(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def _period_days(freq: str) -> int:
    return 7 if str(freq).upper().startswith("W") else 1


def smooth_series(series: pd.Series, freq: str) -> _Smoothed:
    """Log, de-weekday, de-spike and smooth one series indexed by date (see the module notes)."""
    step = _period_days(freq)
    grid_freq = freq if step == 7 else "D"
    full = series.asfreq(grid_freq)
    units = full.clip(lower=0).interpolate(limit_direction="both")
    y = np.log1p(units)
    if step == 1:
        dev = y - y.rolling(7, center=True, min_periods=4).mean()
        weekday = pd.Series(y.index.day_of_week, index=y.index)
        effect = dev.groupby(weekday).median().reindex(range(7)).fillna(0.0)
        effect -= effect.mean()
        y = y - effect.reindex(weekday.to_numpy()).to_numpy()
        med, mean = 7, 15
    else:
        med, mean = 3, 3
    despiked = y.rolling(med, center=True, min_periods=1).median()
    level = despiked.rolling(mean, center=True, min_periods=1).mean()
    index = pd.DatetimeIndex(full.index)
    mid = index - pd.Timedelta(days=(step - 1) / 2) if step > 1 else index
    days = (mid - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
    return _Smoothed(
        index,
        np.asarray(days, float),
        y.to_numpy(float),
        despiked.to_numpy(float),
        level.to_numpy(float),
        step,
    )


def _hinge_fit(
    t: np.ndarray, y: np.ndarray, lo: float, hi: float
) -> tuple[float, float, np.ndarray]:
    best: tuple[float, float, float, np.ndarray] = (
        np.inf,
        lo,
        float(np.median(y)),
        y - np.median(y),
    )
    for t0 in np.arange(np.floor(lo), np.ceil(hi) + 1):
        design = np.column_stack([np.ones_like(t), np.clip(t - t0, 0, None)])
        coef, *_ = np.linalg.lstsq(design, y, rcond=None)
        if coef[1] <= 0:
            continue
        resid = y - design @ coef
        sse = float(resid @ resid)
        if sse < best[0] - 1e-12:
            best = (sse, float(t0), float(coef[0]), resid)
    return best[1], best[2], best[3]


def _hinge_onset(t: np.ndarray, y: np.ndarray, lo: float, hi: float) -> tuple[float, float]:
    """Knot of a flat-then-rising line fitted to (t, y), robustly; returns (knot day, flat level).

    A least-squares fit is followed by a refit without the points more than 3 robust standard
    deviations
    (at least 15 % of the range of ``y``) off the first fit: holiday spikes and outliers.
    """
    knot, base, resid = _hinge_fit(t, y, lo, hi)
    mad = 1.4826 * float(np.median(np.abs(resid - np.median(resid))))
    scale = max(mad, 0.15 * float(np.ptp(y)))  # few points on a clean ramp: MAD alone is too small
    keep = np.abs(resid) <= 3 * scale if scale > 0 else np.ones(len(y), bool)
    if keep.sum() >= 4 and not keep.all():
        knot, base, _ = _hinge_fit(t[keep], y[keep], lo, hi)
    return knot, base


def series_surges(sm: _Smoothed, min_lift: float, max_rise_days: int) -> list[dict[str, object]]:
    from scipy.signal import find_peaks

    threshold = float(np.log(min_lift))
    window = max(3, int(2 * max_rise_days / sm.step) + 1)
    peaks, props = find_peaks(sm.level, prominence=threshold * 0.5, wlen=window)
    out: list[dict[str, object]] = []
    epoch = pd.Timestamp("1970-01-01")
    reach = max(1, 7 // sm.step)
    for p, left in zip(peaks, props["left_bases"], strict=True):
        lo = max(int(left), p - max_rise_days // sm.step)
        trough = lo + int(np.argmin(sm.level[lo : p + 1]))
        if trough == 0 or p - trough < 2:
            continue  # no pre-surge baseline in the data
        if sm.level[p] - sm.level[trough] < threshold:
            continue
        a = max(0, trough - max(2, 14 // sm.step))
        t, y = sm.days[a : p + 1], sm.adjusted[a : p + 1]
        knot, base = _hinge_onset(t, y, sm.days[trough], sm.days[p] - sm.step)
        b0, b1 = max(0, p - reach), min(len(sm.level), p + reach + 1)
        top = b0 + int(np.argmax(sm.despiked[b0:b1]))
        lift = float(np.exp(sm.level[p] - min(base, sm.level[trough])))
        if lift < min_lift:
            continue
        peak_day = (
            sm.dates[top] - pd.Timedelta(days=(sm.step - 1) // 2) if sm.step > 1 else sm.dates[top]
        )
        onset = epoch + pd.Timedelta(days=knot)
        out.append(
            {"onset": onset.normalize(), "peak": pd.Timestamp(peak_day), "lift": round(lift, 3)}
        )
    return out


def detect_surges(
    sales: object,
    by: str | Sequence[str] | None = None,
    market: str = "CN",
    *,
    min_lift: float = 1.15,
    max_rise_days: int = 40,
    max_lag_days: int = 45,
    anchor_kinds: Iterable[str] = DEFAULT_ANCHOR_KINDS,
) -> pd.DataFrame:
    """Find the surges of each series and tie each to the calendar event that precedes it.

    Parameters
    ----------
    sales : SalesTable, path or pandas.DataFrame
        Sales in the data contract, daily or weekly: validated sales
        (:func:`forecasting.inputs.validate_sales`) are used as they are, a path or DataFrame is
        validated first.
    by : str or list of str, optional
        Columns that define a series (e.g. ``"category"``); ``None`` sums all sales into one series.
    market : str, default "CN"
        Calendar market of the anchors.
    min_lift : float, default 1.15
        Smallest peak-over-baseline ratio that counts as a surge (1.15 = +15 %).
    max_rise_days : int, default 40
        How far before a peak its pre-surge trough is looked for.
    max_lag_days : int, default 45
        How far before an onset an anchor may be.
    anchor_kinds : iterable of str, default ("solar_term", "holiday", "retail")
        Kinds of calendar events that may anchor a surge.

    Returns
    -------
    pandas.DataFrame
        One row per surge: the ``by`` columns, ``year`` (of the onset), ``onset``, ``peak``,
        ``lift``, ``anchor``
        (event name, e.g. ``"白露"`` or ``"Spring Festival"``), ``anchor_kind``, ``anchor_date``,
        ``lag_days``
        (onset minus anchor date; negative for a rush into a later holiday), ``peak_lag_days`` and
        ``wave``.

    Raises
    ------
    DataValidationError
        If no series has a full year of history, or a ``by`` column is missing.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> dates = pd.date_range("2009-01-01", "2011-12-31")
    >>> def surge(onset):  # +100 % over 20 days from the onset, back down over the next 20
    ...     t = (dates - pd.Timestamp(onset)).days
    ...     return np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1)
    >>> weekday = np.where(dates.day_of_week >= 5, 1.5, 1.0)  # busier weekends
    >>> onsets = ["2009-09-10", "2010-09-11", "2011-09-12"]
    >>> units = 100 * weekday * 2 ** sum(surge(d) for d in onsets)
    >>> found = detect_surges(pd.DataFrame({"date": dates, "units": units}))
    >>> found[["onset", "anchor", "lag_days"]].astype(str).values.tolist()
    [['2009-09-10', '白露', '3'], ['2010-09-11', '白露', '3'], ['2011-09-12', '白露', '4']]
    >>> surge_profile(found).loc[0, "summary"]
    'autumn (白露): 白露 +3 days (2009-2011: +3..+4)'
    """
    table = as_sales(sales)
    require_daily_or_weekly(table)  # surges are found in days or weeks, not months
    frame = table.frame
    keys = as_by(by)
    source = table.source
    missing = [k for k in keys if k not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{source}: by column(s) {missing} not found; "
            f"available columns: {list(frame.columns)}. "
            "Pass by=None or map the column with columns={...}."
        )
    freq = table.freq
    series_list = _split(frame, keys)
    long_enough = {
        k: s for k, s in series_list.items() if (s.index.max() - s.index.min()).days >= 364
    }
    if not long_enough:
        spans = [
            f"{k or 'all'}: {s.index.min().date()}..{s.index.max().date()}"
            for k, s in list(series_list.items())[:5]
        ]
        raise DataValidationError(
            f"{source}: surge detection needs at least one full year of history per series; "
            f"got {', '.join(spans) or 'no rows'}. Provide a longer sales history."
        )
    return _detect_all(
        long_enough, keys, freq, market, min_lift, max_rise_days, max_lag_days, tuple(anchor_kinds)
    )


def _split(frame: pd.DataFrame, keys: list[str]) -> dict[tuple[object, ...], pd.Series]:
    if frame.empty:
        return {}
    levels: list[Hashable] = list(keys)
    if keys:
        sums = frame.groupby([*keys, "date"], sort=True)["units"].sum()
        return {
            (k if isinstance(k, tuple) else (k,)): grp.droplevel(levels)
            for k, grp in sums.groupby(level=keys[0] if len(keys) == 1 else keys, sort=True)
        }
    return {(): frame.groupby("date", sort=True)["units"].sum()}


def _detect_all(
    series: dict[tuple[object, ...], pd.Series],
    keys: list[str],
    freq: str,
    market: str,
    min_lift: float,
    max_rise_days: int,
    max_lag_days: int,
    kinds: tuple[str, ...],
) -> pd.DataFrame:
    from calendars import event_names
    from calendars import events as calendar_events

    start = min(s.index.min() for s in series.values())
    end = max(s.index.max() for s in series.values())
    ev = calendar_events(range(start.year - 1, end.year + 2), market=market, kinds=kinds)
    names_zh = event_names(ev)  # a holiday's own label, never its make-up workday's
    parts = []
    for key, s in series.items():
        found = pd.DataFrame(
            series_surges(smooth_series(s, freq), min_lift, max_rise_days),
            columns=["onset", "peak", "lift"],
        )
        if found.empty:
            continue
        found = assign_anchors(found, ev, max_lag_days=max_lag_days)
        found["wave"] = wave_names(found, names_zh)
        for k, v in zip(keys, key, strict=True):
            found[k] = pd.Series([v] * len(found), index=found.index)
        parts.append(found)
    cols = [*keys, *SURGE_COLUMNS]
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat(parts, ignore_index=True)
    out["year"] = out["onset"].dt.year
    return out[cols].sort_values([*keys, "onset"], kind="stable").reset_index(drop=True)


def years_text(years: Iterable[int]) -> str:
    ys = sorted({int(y) for y in years})
    if ys and ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(str(y) for y in ys)


def surge_profile(surges: pd.DataFrame) -> pd.DataFrame:
    """Aggregate surges per series and anchor: years seen, median lag and its spread.

    Parameters
    ----------
    surges : pandas.DataFrame
        The output of :func:`detect_surges`.

    Returns
    -------
    pandas.DataFrame
        One row per series and anchor: the ``by`` columns, ``wave``, ``anchor``, ``anchor_kind``,
        ``n_years``,
        ``years`` (e.g. ``"2008-2011"``), ``lag_median``, ``lag_min``, ``lag_max``, ``lag_spread``,
        ``peak_lag_median``, ``lift_median`` and ``summary`` (e.g. ``"autumn (白露): 白露 +2 days
        (2008-2011: +0..+5)"``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"year": [2010, 2011], "lift": [1.5, 1.6],
    ...                   "onset": pd.to_datetime(["2010-09-10", "2011-09-13"]),
    ...                   "peak": pd.to_datetime(["2010-10-01", "2011-10-01"]),
    ...                   "anchor": ["白露", "白露"], "anchor_kind": ["solar_term"] * 2,
    ...                   "lag_days": [2, 5], "peak_lag_days": [23, 23],
    ...                   "wave": ["autumn (白露)"] * 2})
    >>> surge_profile(s)["summary"].iloc[0]
    'autumn (白露): 白露 +4 days (2010-2011: +2..+5)'
    """
    meta = set(SURGE_COLUMNS) | {"anchor_date"}
    keys = [c for c in surges.columns if c not in meta]
    have = surges.dropna(subset=["anchor"])
    rows = []
    for key, grp in have.groupby([*keys, "anchor"], sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        lags = grp["lag_days"].astype(float)
        med = float(np.round(lags.median()))
        lo, hi = int(lags.min()), int(lags.max())
        years = years_text(grp["year"])
        wave = str(grp["wave"].iloc[0])
        anchor = str(key[-1])
        summary = f"{wave}: {anchor} {int(med):+d} days ({years}: {lo:+d}..{hi:+d})"
        rows.append(
            {
                **dict(zip(keys, key[:-1], strict=True)),
                "wave": wave,
                "anchor": anchor,
                "anchor_kind": grp["anchor_kind"].iloc[0],
                "n_years": int(grp["year"].nunique()),
                "years": years,
                "lag_median": int(med),
                "lag_min": lo,
                "lag_max": hi,
                "lag_spread": hi - lo,
                "peak_lag_median": int(np.round(grp["peak_lag_days"].astype(float).median())),
                "lift_median": round(float(grp["lift"].median()), 3),
                "summary": summary,
            }
        )
    cols = [
        *keys,
        "wave",
        "anchor",
        "anchor_kind",
        "n_years",
        "years",
        "lag_median",
        "lag_min",
        "lag_max",
        "lag_spread",
        "peak_lag_median",
        "lift_median",
        "summary",
    ]
    out = pd.DataFrame(rows, columns=cols)
    return (
        out.sort_values([*keys, "peak_lag_median"], kind="stable").reset_index(drop=True)
        if rows
        else out
    )
