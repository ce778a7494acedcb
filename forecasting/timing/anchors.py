"""Calendar anchors of surges: which solar term, holiday or retail event comes before each wave.

Surges of one series recurring at the same time of year (peaks within 21 days of each other, one
per year) form a *wave* (:func:`group_waves`). Candidate anchors of a surge are the solar terms from
``max_lag_days`` before its onset to 7 days after it, and the holidays and retail events from 21
days before the onset to 14 days after its peak (a rush into a holiday). Each wave takes the event
that is a candidate in most of its years with the most stable lag (max-min spread within 3 days, or
25 %, of the best); then an event before the onset beats one after it, solar terms and holidays
beat retail events, and the nearest one wins (:func:`assign_anchors`). So a wave that follows the
solar calendar gets a solar term (谷雨, 白露), and the rush before the Spring Festival, which moves
with the lunar calendar, gets the Spring Festival with a negative lag. ``lag_days`` is onset minus
anchor date. :func:`wave_names` names each wave for a planner, e.g. ``"autumn (白露)"``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import numpy as np
import pandas as pd

from calendars.lunar import festival_date

__all__ = [
    "DEFAULT_ANCHOR_KINDS",
    "anchor_occurrences",
    "assign_anchors",
    "group_waves",
    "season_of",
    "wave_names",
]

DEFAULT_ANCHOR_KINDS = ("solar_term", "holiday", "retail")
# a holiday or retail event anchors surges starting at most this many days after it
_EVENT_REACH = 21
_KIND_RANK = {"solar_term": 0, "holiday": 0, "retail": 1}
_SEASONS = dict.fromkeys((12, 1, 2), "winter")
_SEASONS |= dict.fromkeys((3, 4, 5), "spring")
_SEASONS |= dict.fromkeys((6, 7, 8), "summer")
_SEASONS |= dict.fromkeys((9, 10, 11), "autumn")


def anchor_occurrences(
    events: pd.DataFrame, kinds: Iterable[str] = DEFAULT_ANCHOR_KINDS
) -> pd.DataFrame:
    """The day of each occurrence of each event (a holiday of several days counts once).

    A holiday's occurrence is dated on its festival (:func:`calendars.festival_date`: 春节 on the
    lunar new year, not 除夕 on which the break begins) when the festival falls in its break;
    otherwise, and for every other event, on its first day.

    Parameters
    ----------
    events : pandas.DataFrame
        Calendar events with ``date``, ``event``, ``kind`` (as :func:`calendars.events` returns).
    kinds : iterable of str, default ("solar_term", "holiday", "retail")
        Kinds of events that may anchor a surge.

    Returns
    -------
    pandas.DataFrame
        ``date``, ``event``, ``kind`` (and ``name_zh`` when given), sorted by date.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2011-10-01", "2011-10-02", "2011-09-08"]),
    ...                    "event": ["National Day", "National Day", "白露"],
    ...                    "kind": ["holiday", "holiday", "solar_term"]})
    >>> anchor_occurrences(ev)["event"].tolist()
    ['白露', 'National Day']
    >>> days = pd.date_range("2012-01-22", "2012-01-28")  # the break begins on 除夕
    >>> sf = pd.DataFrame({"date": days, "event": "Spring Festival", "kind": "holiday"})
    >>> anchor_occurrences(sf)["date"].dt.strftime("%Y-%m-%d").tolist()
    ['2012-01-23']
    """
    ev = events[events["kind"].isin(list(kinds))].sort_values(["event", "kind", "date"])
    gap = ev.groupby(["event", "kind"])["date"].diff().dt.days
    starts = gap.isna() | (gap > 20)
    first = ev[starts].copy()
    last = ev.groupby(starts.cumsum())["date"].max().to_numpy()
    holiday = (first["kind"] == "holiday").to_numpy()
    dates = first["date"].to_numpy(copy=True)
    for i in np.flatnonzero(holiday):
        start = pd.Timestamp(dates[i])
        day = festival_date(str(first["event"].iloc[i]), start.year)
        # the festival itself (春节, not 除夕) when it falls in its break or just before it
        if day is not None and start - pd.Timedelta(days=3) <= pd.Timestamp(day) <= last[i]:
            dates[i] = np.datetime64(day, "ns")
    first["date"] = dates
    cols = ["date", "event", "kind"] + [c for c in ("name_zh",) if c in first.columns]
    return first[cols].sort_values("date", kind="stable").reset_index(drop=True)


def group_waves(peaks: pd.Series, max_gap: int = 21) -> pd.Series:
    """Cluster surges of one series into yearly waves by the day of year of their peak.

    Single linkage on the circular day of year (gaps of at most ``max_gap`` days), then clusters
    holding two surges of one cycle are split at their widest gap.

    Parameters
    ----------
    peaks : pandas.Series
        Peak dates (datetime64) of the surges of one series.
    max_gap : int, default 21
        Largest gap, in days of the year, inside a wave.

    Returns
    -------
    pandas.Series
        Wave number per surge, on the index of ``peaks``: 0, 1, ... in order of the time of year,
        counted from the end of the longest stretch of the year without any peak.

    Examples
    --------
    >>> import pandas as pd
    >>> peaks = pd.Series(pd.to_datetime(["2010-02-10", "2010-10-01", "2011-01-30", "2011-10-05"]))
    >>> group_waves(peaks).tolist()  # the year starts after the empty Feb..Sep stretch
    [1, 0, 1, 0]
    """
    doy = ((peaks - peaks.dt.to_period("Y").dt.start_time).dt.days).to_numpy()
    order = np.sort(np.unique(doy))
    gaps = np.diff(np.r_[order, order[0] + 366]) if len(order) else np.array([0])
    cut = int((order[int(np.argmax(gaps))] + 1) % 366) if len(order) else 0
    shifted = peaks - pd.Timedelta(days=cut)
    pos = ((shifted - shifted.dt.to_period("Y").dt.start_time).dt.days).to_numpy()
    cycle = shifted.dt.year.to_numpy()
    idx = np.argsort(pos, kind="stable")
    groups: list[list[int]] = [[int(idx[0])]] if len(idx) else []
    for prev, cur in itertools.pairwise(idx):
        if pos[cur] - pos[prev] <= max_gap:
            groups[-1].append(int(cur))
        else:
            groups.append([int(cur)])
    done: list[list[int]] = []
    while groups:
        g = groups.pop()
        if len(set(cycle[g])) == len(g) or len(g) < 2:
            done.append(g)
            continue
        g = sorted(g, key=lambda i: pos[i])
        k = int(np.argmax(np.diff([pos[i] for i in g]))) + 1
        groups += [g[:k], g[k:]]
    label = np.zeros(len(peaks), int)
    for n, g in enumerate(sorted(done, key=lambda g: min(pos[i] for i in g))):
        label[g] = n
    return pd.Series(label, index=peaks.index)


def _candidates_per_event(
    wave: pd.DataFrame, cands: pd.DataFrame, max_lag_days: int
) -> dict[str, dict[int, tuple[pd.Timestamp, str, int]]]:
    """Per event, per surge of the wave: (occurrence date, kind, lag) of the occurrence used."""
    after_ok = cands["kind"].isin(["holiday", "retail"]).to_numpy()
    per_event: dict[str, dict[int, tuple[pd.Timestamp, str, int]]] = {}
    for i, onset, peak in zip(wave.index.to_numpy(int), wave["onset"], wave["peak"], strict=True):
        lag = (onset - cands["date"]).dt.days.to_numpy()
        late = (cands["date"] - peak).dt.days.to_numpy()
        ok = np.where(
            after_ok, (lag <= _EVENT_REACH) & (late <= 14), (lag >= -7) & (lag <= max_lag_days)
        )
        for j in np.flatnonzero(ok):
            ev = cands.iloc[j]
            prev = per_event.setdefault(str(ev["event"]), {}).get(int(i))
            # the nearest occurrence before the onset, else the first one after it
            if prev is None or (lag[j] >= 0 and (prev[2] < 0 or lag[j] < prev[2])):
                per_event[str(ev["event"])][int(i)] = (ev["date"], str(ev["kind"]), int(lag[j]))
    return per_event


def _choose_event(
    per_event: dict[str, dict[int, tuple[pd.Timestamp, str, int]]], spread_tolerance: int
) -> str:
    """Most years, then a stable lag, then before the onset, solar/holiday over retail, nearest."""
    stats = pd.DataFrame(
        [
            {
                "event": e,
                "n": len(h),
                "spread": max(v[2] for v in h.values()) - min(v[2] for v in h.values()),
                "med": float(np.median([v[2] for v in h.values()])),
                "kind": next(iter(h.values()))[1],
            }
            for e, h in per_event.items()
        ]
    )
    stats = stats[stats["n"] == stats["n"].max()]
    best = stats["spread"].min()
    stats = stats[stats["spread"] <= best + max(spread_tolerance, 0.25 * best)]
    stats = stats.assign(
        after=(stats["med"] < 0).astype(int),
        rank=stats["kind"].map(_KIND_RANK).fillna(2),
        near=stats["med"].abs(),
    ).sort_values(["after", "rank", "near", "spread", "event"], kind="stable")
    return str(stats["event"].iloc[0])


def assign_anchors(
    surges: pd.DataFrame,
    events: pd.DataFrame,
    *,
    max_lag_days: int = 45,
    spread_tolerance: int = 3,
) -> pd.DataFrame:
    """Tie the surges of one series to calendar anchors, consistently across years.

    Surges recurring at the same time of year form a wave (:func:`group_waves`). The candidates of
    a surge are the solar terms from ``max_lag_days`` before its onset to 7 days after it, and the
    holidays and retail events from 21 days before the onset to 14 days after the peak (a rush into
    a holiday). Each wave takes the event that is a candidate in most of its years with the most
    stable lag (max-min spread within ``spread_tolerance`` days, or 25 %, of the best); then an
    event before the onset beats one after it, solar terms and holidays beat retail events, and the
    nearest one wins. Waves are served strongest first (most years, then largest lift), each anchor
    to one wave only.

    Parameters
    ----------
    surges : pandas.DataFrame
        Columns ``onset`` and ``peak`` (one series), optionally ``lift``.
    events : pandas.DataFrame
        Calendar events with ``date``, ``event``, ``kind`` (as :func:`calendars.events` returns).
    max_lag_days : int, default 45
        How far before an onset a solar term may be to explain it.
    spread_tolerance : int, default 3
        Events whose lag spread is within this many days (or 25 %) of the best count as equally
        stable.

    Returns
    -------
    pandas.DataFrame
        ``surges`` with ``anchor``, ``anchor_kind``, ``anchor_date``, ``lag_days`` (onset minus
        anchor date), ``peak_lag_days`` and ``wave_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"onset": pd.to_datetime(["2010-09-10", "2011-09-11"]),
    ...                   "peak": pd.to_datetime(["2010-10-01", "2011-10-01"])})
    >>> days = pd.to_datetime(["2010-09-08", "2011-09-08", "2010-09-22", "2011-09-12"])
    >>> ev = pd.DataFrame({"date": days,
    ...                    "event": ["白露", "白露", "Mid-Autumn Festival", "Mid-Autumn Festival"],
    ...                    "kind": ["solar_term", "solar_term", "holiday", "holiday"]})
    >>> assign_anchors(s, ev)[["anchor", "lag_days"]].values.tolist()
    [['白露', 2], ['白露', 3]]
    """
    cands = anchor_occurrences(events)
    out = surges.reset_index(drop=True).copy()
    out["wave_id"] = group_waves(out["peak"]) if len(out) else pd.Series(dtype=int)
    out["anchor"] = pd.Series([None] * len(out), dtype=object)
    out["anchor_kind"] = pd.Series([None] * len(out), dtype=object)
    out["anchor_date"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    used: set[str] = set()
    strength = out.groupby("wave_id")["lift"].agg(["size", "median"]) if "lift" in out else None
    order = (
        strength.sort_values(["size", "median"], ascending=False).index
        if strength is not None
        else out["wave_id"].unique()
    )
    for wave_id in order:
        wave = out[out["wave_id"] == wave_id]
        per_event = _candidates_per_event(wave, cands, max_lag_days)
        per_event = {e: h for e, h in per_event.items() if e not in used}
        if not per_event:
            continue
        chosen = _choose_event(per_event, spread_tolerance)
        used.add(chosen)
        for i, (date, kind, _lag) in per_event[chosen].items():
            out.loc[i, ["anchor", "anchor_kind"]] = [chosen, kind]
            out.loc[i, "anchor_date"] = date
    out["lag_days"] = (out["onset"] - out["anchor_date"]).dt.days.astype("Int64")
    out["peak_lag_days"] = (out["peak"] - out["anchor_date"]).dt.days.astype("Int64")
    return out


def season_of(month: int) -> str:
    """Meteorological season (northern hemisphere) of a month: winter, spring, summer or autumn.

    Examples
    --------
    >>> season_of(9)
    'autumn'
    """
    return _SEASONS[int(month)]


def wave_names(surges: pd.DataFrame, names_zh: dict[str, str] | None = None) -> pd.Series:
    """Readable wave names, e.g. ``"autumn (白露)"``: the season of the typical onset, the anchor.

    Parameters
    ----------
    surges : pandas.DataFrame
        Surges of one series with ``anchor``, ``anchor_date`` and ``lag_days`` (as
        :func:`assign_anchors` returns).
    names_zh : dict, optional
        Chinese label of each event name (e.g. ``{"Spring Festival": "春节"}``).

    Returns
    -------
    pandas.Series
        One name per surge (``None`` where the surge has no anchor), on the index of ``surges``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"anchor": ["白露", "Spring Festival"],
    ...                   "anchor_date": pd.to_datetime(["2011-09-08", "2011-02-03"]),
    ...                   "lag_days": [3, -20]})
    >>> wave_names(s, {"Spring Festival": "春节"}).tolist()
    ['autumn (白露)', 'winter (春节)']
    """
    names_zh = names_zh or {}
    names = pd.Series([None] * len(surges), index=surges.index, dtype=object)
    for anchor, grp in surges.dropna(subset=["anchor"]).groupby("anchor"):
        typical = grp["anchor_date"].iloc[-1] + pd.Timedelta(days=float(grp["lag_days"].median()))
        names.loc[grp.index] = f"{season_of(typical.month)} ({names_zh.get(str(anchor), anchor)})"
    return names
