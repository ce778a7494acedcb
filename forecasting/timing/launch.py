"""The seasonal launch calendar: when to deliver new products so they are on shelf before a surge.

:func:`recommend_launches` learns from past sales when each recurring surge starts relative to its
calendar anchor (see :mod:`forecasting.timing.surges` and :mod:`forecasting.timing.anchors`),
projects it onto the
target period and schedules one delivery per wave:

- ``expected_onset`` = the anchor's date in the target year + the median lag seen in past years;
- ``planned_onset`` = the onset the delivery is planned for: by default a low quantile (20 %) of
  next year's onset, because a late delivery loses the start of the wave while an early one costs
  only a few days of shelf space (:func:`forecasting.timing.rules.planned_lag`);
- ``best_delivery_date`` = the latest ``delivery_weekday`` that still puts goods on shelf (the day
  after delivery) ``lead_days`` before the planned onset; if that day is not an official working
  day (:func:`calendars.is_workday`: holidays are off, make-up weekend days count as working days)
  the delivery moves to the previous working day;
- all groups of one wave share the earliest of their delivery dates (one unified time period for all
  stores) unless ``per_group=True``;
- **the planning date** ``as_of`` (default: the day after the last sales date): nothing is
  recommended before it. A wave whose best delivery day has passed is marked ``late`` and its
  ``delivery_date`` moves to the first feasible delivery day on or after ``as_of``
  (:func:`forecasting.timing.rules.first_delivery_on_or_after`), and the reason says so; otherwise
  ``delivery_date`` is the best delivery day. Only sales dated before ``as_of`` are learned from;
- ``shelf_start`` / ``shelf_end`` = delivery + 1 .. delivery + ``shelf_days``; ``promotion_start`` /
  ``promotion_end`` = on shelf through the expected peak, so brand promotion runs in step with the
  listing;
- ``confidence`` from how many years the wave was seen and how much its lag varied.

The dates come from past years' sales only, so the same data give the same calendar here, in
``launchcast calendar`` and in :func:`forecasting.plan.make_plan`. A fitted forecast
(``forecast=``, e.g. :meth:`forecasting.models.DemandForecaster.predict`) is a second opinion shown
in its own column: the surges of its ``mean`` curve are found as in
:func:`forecasting.timing.detect_surges`, and the one whose onset is nearest to the expected onset
(within 21 days) gives ``forecast_onset``; the reason states how far it is from the expected onset,
and that the dates follow past years.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, LaunchcastError
from forecasting.inputs.frequency import require_daily_or_weekly
from forecasting.inputs.readers import as_sales, validate_sales
from forecasting.language import Lang
from forecasting.timing.anchors import anchor_occurrences
from forecasting.timing.rules import (
    as_date,
    delivery_date,
    first_delivery_on_or_after,
    forecast_curves,
    forecast_onset,
    launch_confidence,
    planned_lag,
    planning_date,
    weekday_number,
)
from forecasting.timing.surges import as_by, detect_surges, surge_profile, years_text
from forecasting.timing.words import count_text, day_text, event_label, season_label

# delivery_date and launch_confidence live in forecasting.timing.rules, re-exported here
__all__ = [
    "delivery_date",
    "launch_confidence",
    "launch_reason",
    "launch_reasons",
    "recommend_launches",
]

_SCHEDULES = ("quantile", "median", "earliest")
LAUNCH_DATE_COLUMNS = (
    "anchor_date",
    "expected_onset",
    "expected_peak",
    "planned_onset",
    "forecast_onset",
    "best_delivery_date",
    "delivery_date",
    "shelf_start",
    "shelf_end",
    "promotion_start",
    "promotion_end",
)
LAUNCH_COLUMNS = [
    "wave",
    "anchor",
    *LAUNCH_DATE_COLUMNS,
    "days_ahead",
    "late",
    "confidence",
    "years_seen",
    "lag_median",
    "lag_min",
    "lag_max",
    "timing_from",
    "reason",
]


def _n_years(row: pd.Series) -> int:
    if "n_years" in row and pd.notna(row["n_years"]):
        return int(row["n_years"])
    text = str(row.get("years_seen", row.get("years", "")))
    count = 0
    for part in (p.strip() for p in text.split(",") if p.strip()):
        first, _, last = part.partition("-")
        count += int(last) - int(first) + 1 if last else 1
    return count


def launch_reason(
    row: pd.Series,
    lang: Lang = "en",
    *,
    schedule_for: str = "quantile",
    onset_quantile: float = 0.2,
    as_of: object = None,
    names_zh: dict[str, str] | None = None,
) -> str:
    """The reason of one wave of a launch calendar, in plain words (Chinese or English).

    Parameters
    ----------
    row : pandas.Series
        A row of :func:`recommend_launches`.
    lang : {"zh", "en"}, default "en"
        The language.
    schedule_for, onset_quantile : see :func:`recommend_launches`.
    as_of : date-like, optional
        The planning date (named when the wave is late).
    names_zh : dict, optional
        Chinese labels by event (:func:`calendars.event_names`).

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> row = pd.Series({
    ...     "wave": "winter (春节)", "anchor": "Spring Festival",
    ...     "anchor_date": pd.Timestamp("2012-01-23"),
    ...     "expected_onset": pd.Timestamp("2012-01-07"),
    ...     "expected_peak": pd.Timestamp("2012-01-20"),
    ...     "planned_onset": pd.Timestamp("2012-01-07"), "forecast_onset": pd.NaT,
    ...     "best_delivery_date": pd.Timestamp("2011-12-26"),
    ...     "delivery_date": pd.Timestamp("2011-12-26"), "days_ahead": 11, "late": False,
    ...     "years_seen": "2009-2011", "lag_min": -17, "lag_max": -15,
    ...     "timing_from": "own history"})
    >>> text = launch_reason(row, "zh")
    >>> text.split("；")[0]
    '冬季客流高峰预计 2012-01-07 开始，春节前16天'
    >>> text.split("；")[-1]
    '2011-12-26 周一送货，比预计起点早11天上架。'
    >>> print(launch_reason(row, "en"))  # doctest: +NORMALIZE_WHITESPACE
    winter surge expected 2012-01-07, 16 days before Spring Festival (春节); seen 2009-2011 at
    -17..-15 days; planned for the expected onset; deliver Mon 2011-12-26, on shelf 11 days before
    the expected onset.
    """
    zh = lang == "zh"
    label = event_label(str(row["anchor"]), lang, names_zh)
    lag = int((row["expected_onset"] - row["anchor_date"]).days)
    n_years = _n_years(row)
    years = str(row.get("years_seen", row.get("years", "")))
    season = str(row["wave"]).split(" (")[0]
    onset = day_text(row["expected_onset"], lang, weekday=False)
    planning = pd.Timestamp(as_of) if as_of is not None else None  # type: ignore[arg-type]
    early = (row["expected_onset"] - row["planned_onset"]).days
    planned = day_text(row["planned_onset"], lang, weekday=False)
    day, ahead = row["delivery_date"], int(row["days_ahead"])
    late = bool(row.get("late", False))
    best = row.get("best_delivery_date", day)
    peak_passed = planning is not None and row["expected_peak"] < planning
    forecast = row.get("forecast_onset")
    shift = int((forecast - row["expected_onset"]).days) if pd.notna(forecast) else None
    all_sales = row.get("timing_from") == "all sales"
    lo, hi = int(row["lag_min"]), int(row["lag_max"])
    if zh:
        rel = f"{label}当天" if lag == 0 else f"{label}{'后' if lag > 0 else '前'}{abs(lag)}天"
        seen = (f"{years}年" if n_years > 1 else f"仅{years}年") + (
            "（全部门店合计）" if all_sales else ""
        )
        seen += f"出现，相对锚点{lo:+d}..{hi:+d}天"
        if shift is not None:
            gap = "同一天" if shift == 0 else f"{'晚' if shift > 0 else '早'}{abs(shift)}天"
            seen += (
                f"；门店预测的起点为 {day_text(forecast, lang, weekday=False)}（{gap}），"
                "日期以往年为准"
            )
        if schedule_for == "quantile" and early > 0:
            plan = (
                f"按较早的起点 {planned} 安排（{onset_quantile:.0%}分位：晚到损失波段开头，"
                "早到只多占几天货架）"
            )
        elif schedule_for == "earliest" and early > 0:
            plan = f"按往年最早的起点 {planned} 安排"
        else:
            plan = "按预计起点安排"
        shelf = (
            f"比预计起点{'早' if ahead > 0 else '晚'}{abs(ahead)}天上架"
            if ahead
            else "在预计起点当天上架"
        )
        head = f"{season_label(season, lang)}客流高峰预计 {onset} 开始，{rel}；{seen}；{plan}；"
        if late:
            when = f"计划日期 {day_text(planning, lang, weekday=False)}" if planning else "计划日期"
            return (
                f"{head}已晚：最佳送货日 {day_text(best, lang)} 早于{when}；"
                f"改在最早可行的 {day_text(day, lang)} 送货，{shelf}"
                + (
                    f"；预计高峰 {day_text(row['expected_peak'], lang, weekday=False)} "
                    "也已过去：除非需求另有表现，该波段已结束。"
                    if peak_passed
                    else "。"
                )
            )
        return f"{head}{day_text(day, lang)}送货，{shelf}。"
    rel = f"{count_text(abs(lag), 'day')} {'after' if lag > 0 else 'before'} {label}"
    if lag == 0:
        rel = f"on {label}"
    when = years if n_years > 1 else f"only in {years}"
    if all_sales:
        when += " in all sales together"
    seen = f"seen {when} at {lo:+d}..{hi:+d} days"
    if shift is not None:
        side = "later" if shift > 0 else "earlier"
        gap = "the same day" if shift == 0 else f"{count_text(abs(shift), 'day')} {side}"
        seen += (
            f"; the store forecast puts the onset at {forecast:%Y-%m-%d} ({gap}), "
            "the dates follow past years"
        )
    if schedule_for == "quantile" and early > 0:
        plan = (
            f"planned for an early onset, {planned} ({onset_quantile:.0%} quantile; late loses "
            "the start of the wave, early costs only shelf days)"
        )
    elif schedule_for == "earliest" and early > 0:
        plan = f"planned for the earliest onset seen, {planned}"
    else:
        plan = "planned for the expected onset"
    shelf = (
        f"on shelf {count_text(abs(ahead), 'day')} {'before' if ahead > 0 else 'after'} the "
        "expected onset"
        if ahead
        else "on shelf on the day of the expected onset"
    )
    head = f"{season} surge expected {onset}, {rel}; {seen}; {plan}; "
    if late:
        before = f"the planning date {planning:%Y-%m-%d}" if planning else "the planning date"
        return (
            f"{head}LATE: the best delivery day, {day_text(best, lang)}, is before {before}; "
            f"deliver on the first feasible day, {day_text(day, lang)}, {shelf}"
            + (
                f"; its expected peak, {row['expected_peak']:%Y-%m-%d}, has passed too: the wave "
                "is over unless demand says otherwise."
                if peak_passed
                else "."
            )
        )
    return f"{head}deliver {day_text(day, lang)}, {shelf}."


def launch_reasons(launches: pd.DataFrame, lang: Lang = "en") -> pd.Series:
    """The reason of every wave of a launch calendar in ``lang`` (see :func:`launch_reason`).

    The settings the calendar was made with (``schedule_for``, ``onset_quantile``, the planning
    date, the market) travel in ``launches.attrs["launch"]``. In English this is the ``reason``
    column itself, and so it is for a table that lacks the numbers a reason is written from.

    Parameters
    ----------
    launches : pandas.DataFrame
        Output of :func:`recommend_launches`.
    lang : {"zh", "en"}, default "en"
        The language.

    Returns
    -------
    pandas.Series
        One reason per row, on the index of ``launches``.

    Examples
    --------
    >>> import pandas as pd
    >>> launch_reasons(pd.DataFrame({"reason": ["a"]}), "en").tolist()
    ['a']
    """
    need = {
        "wave",
        "anchor",
        "anchor_date",
        "expected_onset",
        "expected_peak",
        "planned_onset",
        "delivery_date",
        "days_ahead",
        "lag_min",
        "lag_max",
        "years_seen",
    }
    if "reason" in launches.columns and (lang == "en" or not need <= set(launches.columns)):
        return launches["reason"].astype(str)  # (a table without the numbers keeps its reason)
    from calendars import event_names, events

    settings = launches.attrs.get("launch", {})
    names: dict[str, str] = {}
    if len(launches) and "anchor_date" in launches.columns:
        years = pd.to_datetime(launches["anchor_date"]).dt.year
        try:
            names = event_names(
                events(range(int(years.min()), int(years.max()) + 1), settings.get("market", "CN"))
            )
        except ValueError:  # a market or year the calendar does not know: the built-in names
            names = {}
    return pd.Series(
        [
            launch_reason(
                row,
                lang,
                schedule_for=settings.get("schedule_for", "quantile"),
                onset_quantile=float(settings.get("onset_quantile", 0.2)),
                as_of=settings.get("as_of"),
                names_zh=names,
            )
            for _, row in launches.iterrows()
        ],
        index=launches.index,
        dtype=object,
    )


def recommend_launches(
    sales: object,
    start: object,
    end: object,
    by: str | Sequence[str] | None = None,
    lead_days: int = 7,
    delivery_weekday: str | int = "MON",
    shelf_days: int = 3,
    market: str = "CN",
    *,
    per_group: bool = False,
    min_years: int = 2,
    surges: pd.DataFrame | None = None,
    schedule_for: str = "quantile",
    onset_quantile: float = 0.2,
    forecast: pd.DataFrame | None = None,
    as_of: object = None,
) -> pd.DataFrame:
    """Recommend a delivery date for every surge expected between ``start`` and ``end``.

    Parameters
    ----------
    sales : SalesTable, path or pandas.DataFrame
        Past sales (at least one full year), daily or weekly; validated sales
        (:func:`forecasting.inputs.validate_sales`) are used as they are.
    start, end : date-like
        The window of expected onsets to plan for (inclusive).
    by : str or list of str, optional
        Columns that define a group (e.g. ``"category"``); ``None`` plans for total sales.
    lead_days : int, default 7
        Days on shelf before the planned onset.
    delivery_weekday : str or int, default "MON"
        The unified delivery weekday.
    shelf_days : int, default 3
        Days to get goods on shelf after delivery (``shelf_start`` .. ``shelf_end``).
    market : str, default "CN"
        Calendar market (anchors and working days).
    per_group : bool, default False
        Give each group its own delivery date instead of one date per wave.
    min_years : int, default 2
        A wave must have been seen in at least this many years.
    surges : pandas.DataFrame, optional
        Precomputed :func:`forecasting.timing.detect_surges` output for ``sales`` (saves detecting
        twice).
    schedule_for : {"quantile", "median", "earliest"}, default "quantile"
        Which onset the delivery is planned for: the ``onset_quantile`` quantile of next year's
        onset (a late delivery costs more than an early one; see
        :func:`forecasting.timing.rules.planned_lag`), the expected (median-lag) onset, or the
        earliest onset seen in past years.
    onset_quantile : float, default 0.2
        With ``schedule_for="quantile"``: plan for this quantile of the onset, in (0, 0.5]
        (0.2: a day late is taken to cost 4 times a day early).
    forecast : pandas.DataFrame, optional
        A fitted forecast covering the window (``date``, ``mean`` and the ``by`` columns, as
        :meth:`forecasting.models.DemandForecaster.predict` returns): the onset of its surge near
        each expected onset is shown as ``forecast_onset`` beside the dates learned from past years
        (module notes); it does not move them.
    as_of : date-like, optional
        The planning date (default: the day after the last sales date). Only sales before it are
        learned from; no delivery is recommended before it (a wave whose best delivery day has
        passed is ``late`` and delivered on the first feasible day instead).

    Returns
    -------
    pandas.DataFrame
        One row per group and expected surge: the ``by`` columns, ``wave``, ``anchor``,
        ``anchor_date``, ``expected_onset``, ``expected_peak``, ``planned_onset``,
        ``forecast_onset`` (NaT without a forecast), ``best_delivery_date``, ``delivery_date``
        (the best day, or the first feasible day on or after ``as_of`` when ``late``),
        ``shelf_start``, ``shelf_end``, ``promotion_start``, ``promotion_end``, ``days_ahead``
        (shelf start to the expected onset; negative when late), ``late``, ``confidence``,
        ``years_seen``, ``lag_median``, ``lag_min``, ``lag_max``, ``timing_from`` and ``reason``;
        sorted by delivery date.

    Raises
    ------
    DataValidationError
        If ``start`` is after ``end``, the history is shorter than a year, or an argument is
        invalid.
    LaunchcastError
        If no recurring surge is expected in the window.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> dates = pd.date_range("2009-01-01", "2011-12-31")
    >>> def surge(onset):  # +100 % over 20 days from the onset, back down over the next 20
    ...     t = (dates - pd.Timestamp(onset)).days
    ...     return np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1)
    >>> units = 100 * 2 ** sum(surge(d) for d in ["2009-09-10", "2010-09-11", "2011-09-12"])
    >>> sales = pd.DataFrame({"date": dates, "units": units})
    >>> plan = recommend_launches(sales, "2012-01-01", "2012-12-31")
    >>> plan.loc[0, ["wave", "expected_onset", "planned_onset", "delivery_date"]].tolist()
    ['autumn (白露)', Timestamp('2012-09-10 00:00:00'), Timestamp('2012-09-07 00:00:00'),
    Timestamp('2012-08-27 00:00:00')]
    >>> print(plan.loc[0, "reason"])  # doctest: +NORMALIZE_WHITESPACE
    autumn surge expected 2012-09-10, 3 days after 白露; seen 2009-2011 at +3..+4 days; planned
    for an early onset, 2012-09-07 (20% quantile; late loses the start of the wave, early costs
    only shelf days); deliver Mon 2012-08-27, on shelf 13 days before the expected onset.
    """
    from calendars import event_names
    from calendars import events as calendar_events

    t0, t1 = as_date(start, "start"), as_date(end, "end")
    if t0 > t1:
        raise DataValidationError(
            f"empty window: start={t0.date()} is after end={t1.date()}; swap them."
        )
    if int(shelf_days) < 1:
        raise DataValidationError(f"shelf_days={shelf_days} must be at least 1 day.")
    weekday = weekday_number(delivery_weekday)
    if schedule_for not in _SCHEDULES:
        raise DataValidationError(
            f"schedule_for={schedule_for!r}: use one of {', '.join(map(repr, _SCHEDULES))}."
        )
    planned_lag(0, 0, 0, 2, onset_quantile)  # validates onset_quantile early
    keys = as_by(by)
    table = as_sales(sales)
    require_daily_or_weekly(table)  # surges are found in days or weeks, not months
    planning = planning_date(table, as_of)
    if table.frame["date"].max() >= planning:
        table = table.until(planning - pd.Timedelta(days=1))
        surges = None  # detected on the sales before the planning date only
    frame, freq = table.frame, table.freq
    curves = forecast_curves(forecast, keys)
    found = detect_surges(table, by=by, market=market) if surges is None else surges
    if keys:
        total = frame.groupby("date", as_index=False)["units"].sum()
        total.attrs = {"source": table.source}
        chain = surge_profile(detect_surges(validate_sales(total, freq=freq), market=market))
        profile = _align_groups(
            found, chain[chain["n_years"] >= int(min_years)], keys, market, min_years
        )
    else:
        profile = surge_profile(found)
        profile = profile[profile["n_years"] >= int(min_years)].assign(timing_from="own history")
    if profile.empty:
        raise LaunchcastError(
            f"no surge recurs in at least {min_years} years of the sales history; "
            "give more history or lower min_years."
        )
    ev = calendar_events(range(t0.year - 1, t1.year + 2), market=market)
    names_zh = event_names(ev)
    occ = anchor_occurrences(ev)
    min_scale = 7.0 if str(freq).upper().startswith("W") else 3.0
    rows = []
    for _, wave in profile.iterrows():
        curve = curves.get(tuple(wave[k] for k in keys)) if curves else None
        for date in occ.loc[
            (occ["event"] == wave["anchor"]) & (occ["kind"] == wave["anchor_kind"]), "date"
        ]:
            n, lag = int(wave["n_years"]), float(wave["lag_median"])
            lo, hi = float(wave["lag_min"]), float(wave["lag_max"])
            seen = forecast_onset(curve, freq, date + pd.Timedelta(days=lag))
            onset = date + pd.Timedelta(days=round(lag))
            if not t0 <= onset <= t1:
                continue
            target = {
                "quantile": planned_lag(lag, lo, hi, n, onset_quantile, min_scale),
                "median": round(lag),
                "earliest": int(lo),
            }[schedule_for]
            rows.append(
                {
                    **wave.to_dict(),
                    "anchor_date": date,
                    "expected_onset": onset,
                    "expected_peak": date + pd.Timedelta(days=int(wave["peak_lag_median"])),
                    "planned_onset": date + pd.Timedelta(days=min(target, round(lag))),
                    "forecast_onset": seen,
                    "_dist": (lag, lo, hi, n),
                }
            )
    if not rows:
        raise LaunchcastError(
            f"no recurring surge is expected between {t0.date()} and {t1.date()}; learned waves: "
            + "; ".join(profile["summary"].head(5))
            + ". Widen the window."
        )
    plan = pd.DataFrame(rows)
    plan["forecast_onset"] = pd.to_datetime(plan["forecast_onset"])
    group = ["wave", "anchor_date"] if not per_group else [*keys, "wave", "anchor_date"]
    if schedule_for == "quantile" and keys and not per_group:
        # one date for all groups: the quantile of the groups' onsets together (launch_rules)
        for idx in plan.groupby(group).groups.values():
            dists = np.array(plan.loc[idx, "_dist"].tolist(), float)
            lag, lo, hi, n = dists.T
            unified = planned_lag(lag, lo, hi, n, onset_quantile, min_scale)
            day = plan.loc[idx, "anchor_date"].iloc[0] + pd.Timedelta(days=unified)
            plan.loc[idx, "planned_onset"] = day
    plan["delivery_date"] = [
        delivery_date(o, lead_days, weekday, market) for o in plan["planned_onset"]
    ]
    plan["expected_peak"] = plan[["expected_peak", "expected_onset"]].max(axis=1)
    plan["delivery_date"] = plan.groupby(group)["delivery_date"].transform("min")
    plan["best_delivery_date"] = plan["delivery_date"]
    plan["late"] = plan["best_delivery_date"] < planning
    if plan["late"].any():
        plan.loc[plan["late"], "delivery_date"] = first_delivery_on_or_after(
            planning, weekday, market
        )
    plan["shelf_start"] = plan["delivery_date"] + pd.Timedelta(days=1)
    plan["shelf_end"] = plan["delivery_date"] + pd.Timedelta(days=int(shelf_days))
    plan["promotion_start"] = plan["shelf_start"]
    plan["promotion_end"] = plan[["expected_peak", "shelf_end"]].max(axis=1)
    plan["promotion_end"] = plan.groupby(group)["promotion_end"].transform("max")
    plan["days_ahead"] = (plan["expected_onset"] - plan["shelf_start"]).dt.days
    plan["confidence"] = [
        launch_confidence(n, s) for n, s in zip(plan["n_years"], plan["lag_spread"], strict=True)
    ]
    plan["years_seen"] = plan["years"]
    plan["reason"] = [
        launch_reason(
            r,
            "en",
            schedule_for=schedule_for,
            onset_quantile=onset_quantile,
            as_of=planning,
            names_zh=names_zh,
        )
        for _, r in plan.iterrows()
    ]
    out = plan[[*keys, *LAUNCH_COLUMNS]]
    out = out.sort_values(["delivery_date", "expected_onset", *keys], kind="stable").reset_index(
        drop=True
    )
    out.attrs["launch"] = {
        "schedule_for": schedule_for,
        "onset_quantile": float(onset_quantile),
        "as_of": planning,
        "market": market,
    }
    return out


def _align_groups(
    found: pd.DataFrame, chain: pd.DataFrame, keys: list[str], market: str, min_years: int
) -> pd.DataFrame:
    """Per-group timing of the chain's waves: each group's surge nearest to the chain's typical
    onset.

    The waves (anchors) are learned on all sales together so that every group shares them; each
    group's lag
    comes from its own surges within 21 days of the chain's typical onset in each year, and falls
    back to
    the chain's lag when the group shows the wave in fewer than ``min_years`` years.
    """
    from calendars import events as calendar_events

    if chain.empty or found.empty:
        return chain.assign(timing_from="all sales")
    years = range(int(found["onset"].dt.year.min()) - 1, int(found["onset"].dt.year.max()) + 2)
    occ = anchor_occurrences(calendar_events(years, market=market))
    rows: list[dict[Any, Any]] = []
    for gkey, group in found.groupby(keys, sort=True):
        gkey = gkey if isinstance(gkey, tuple) else (gkey,)
        ids = dict(zip(keys, gkey, strict=True))
        for _, wave in chain.iterrows():
            dates = occ.loc[
                (occ["event"] == wave["anchor"]) & (occ["kind"] == wave["anchor_kind"]), "date"
            ]
            hits = []
            for d in dates:
                gap = (
                    group["onset"] - (d + pd.Timedelta(days=int(wave["lag_median"])))
                ).dt.days.abs()
                if len(gap) and gap.min() <= 21:
                    s = group.loc[gap.idxmin()]
                    hits.append(
                        ((s["onset"] - d).days, (s["peak"] - d).days, s["lift"], s["onset"].year)
                    )
            if len({h[3] for h in hits}) < int(min_years):
                rows.append({**ids, **wave.to_dict(), "timing_from": "all sales"})
                continue
            lags = [h[0] for h in hits]
            lo, hi, med = min(lags), max(lags), round(float(np.median(lags)))
            rows.append(
                {
                    **ids,
                    **wave.to_dict(),
                    "n_years": len(hits),
                    "years": years_text(h[3] for h in hits),
                    "lag_median": med,
                    "lag_min": lo,
                    "lag_max": hi,
                    "lag_spread": hi - lo,
                    "peak_lag_median": round(float(np.median([h[1] for h in hits]))),
                    "lift_median": round(float(np.median([h[2] for h in hits])), 3),
                    "timing_from": "own history",
                }
            )
    return pd.DataFrame(rows)
