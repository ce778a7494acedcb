"""The launch timeline: deliveries, on-shelf and promotion windows against the sales season."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from forecasting.plotting.fonts import use_cjk_font, zh_label

__all__ = ["event_label", "plot_launch_timeline", "typical_sales_curve"]


def event_label(event: str, events: pd.DataFrame | None) -> str:
    """A label for a calendar event that renders: Chinese with a CJK font, else pinyin or English.

    Parameters
    ----------
    event : str
        Stable event name (``"白露"``, ``"Spring Festival"``).
    events : pandas.DataFrame or None
        Rows of :func:`calendars.events` with ``name_zh`` and ``pinyin``.

    Returns
    -------
    str
        The label.

    Examples
    --------
    >>> import pandas as pd
    >>> ev = pd.DataFrame({"event": ["白露"], "name_zh": ["白露"], "pinyin": ["Báilù"]})
    >>> event_label("白露", ev) in {"白露", "Báilù"}
    True
    >>> event_label("Spring Festival", None)
    'Spring Festival'
    """
    if events is None or events.empty:
        return zh_label(event, event) if event.isascii() else zh_label(event, "?")
    hit = events[events["event"] == event]
    if hit.empty:
        return event if event.isascii() else zh_label(event, event)
    zh = str(hit["name_zh"].iloc[0])
    latin = event if event.isascii() else str(hit["pinyin"].iloc[0]) if "pinyin" in hit else event
    return zh_label(zh, latin)


def _wave_label(wave: str, anchor: object, events: pd.DataFrame | None) -> str:
    season = str(wave).split(" (")[0]
    if anchor is None or (isinstance(anchor, float) and np.isnan(anchor)):
        return zh_label(str(wave), season)
    return f"{season} ({event_label(str(anchor), events)})"


def typical_sales_curve(sales: object, year: int) -> pd.Series:
    """Total daily sales of the last full year of history, moved onto ``year`` (7-day centred mean).

    Parameters
    ----------
    sales : SalesTable, path or pandas.DataFrame
        Sales history (validated sales, :func:`forecasting.inputs.validate_sales`, are used as they
        are).
    year : int
        The year to draw the curve in.

    Returns
    -------
    pandas.Series
        Units per day (weekly data: per week divided by 7) indexed by dates of ``year``; ``name``
        says
        which year it came from.

    Examples
    --------
    >>> import pandas as pd
    >>> sales = pd.DataFrame({"date": pd.date_range("2010-01-01", "2011-12-31"), "units": 10.0})
    >>> curve = typical_sales_curve(sales, 2012)
    >>> curve.index[0], curve.name, round(float(curve.iloc[100]), 1)
    (Timestamp('2012-01-01 00:00:00'), 'sales 2011', 10.0)
    """
    from forecasting.inputs.frequency import require_calendar_periods
    from forecasting.inputs.readers import as_sales

    table = as_sales(sales)
    require_calendar_periods(table, "the sales curve of the launch timeline")
    frame = table.frame
    step = 7 if table.freq.startswith("W") else 1
    total = frame.groupby("date")["units"].sum() / step
    if step == 7:
        total = total.resample("D").interpolate()
    last = int(total.index.max().year)
    if total.index.max() < pd.Timestamp(last, 12, 31) - pd.Timedelta(days=step):
        last -= 1
    one = total[str(last)]
    smooth = one.rolling(7, center=True, min_periods=1).mean()
    smooth.index = smooth.index + pd.DateOffset(years=year - last)
    smooth = smooth[~smooth.index.duplicated()]
    smooth.name = f"sales {last}"
    return smooth


def plot_launch_timeline(
    plan: pd.DataFrame,
    sales: object = None,
    *,
    market: str = "CN",
    ax: Any = None,
) -> Any:
    """Draw the launch calendar: delivery days, on-shelf and promotion windows as bars, one row per
    wave;
    the expected onsets and peaks; the anchors, solar terms and holidays; and last year's sales
    curve.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    sales : SalesTable, path or pandas.DataFrame, optional
        Sales history; its last full year is drawn (moved onto the plan's year) behind the bars
        (validated sales are used as they are).
    market : str, default "CN"
        Calendar market of the solar terms and holidays drawn.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"], "anchor": ["白露"],
    ...                      "anchor_date": [pd.Timestamp("2012-09-07")],
    ...                      "expected_onset": [pd.Timestamp("2012-09-10")],
    ...                      "expected_peak": [pd.Timestamp("2012-10-01")],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")],
    ...                      "promotion_start": [pd.Timestamp("2012-08-28")],
    ...                      "promotion_end": [pd.Timestamp("2012-10-01")]})
    >>> fig = plot_launch_timeline(plan)
    >>> len(fig.axes) >= 1
    True
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from calendars import events as calendar_events

    use_cjk_font()
    rows = plan.drop_duplicates(["wave", "delivery_date"]).sort_values("delivery_date")
    n = len(rows)
    if ax is None:
        fig, ax = plt.subplots(figsize=(13, 2.6 + 0.55 * n))
    else:
        fig = ax.figure
    day = pd.Timedelta(days=1)
    first = pd.Timestamp(plan["delivery_date"].min())
    ends = [
        pd.Timestamp(plan[c].max())
        for c in ("promotion_end", "expected_peak", "shelf_end")
        if c in plan
    ]
    lo, hi = first - 21 * day, max(ends) + 14 * day
    years = range(lo.year, hi.year + 1)
    ev = calendar_events(years, market=market)
    if sales is not None:
        curve = typical_sales_curve(
            sales,
            int(pd.Timestamp(plan["expected_onset"].min()).year)
            if "expected_onset" in plan
            else first.year,
        )
        twin = ax.twinx()
        twin.fill_between(curve.index, curve.to_numpy(), color="0.85", step=None, zorder=0)
        twin.plot(
            curve.index, curve.to_numpy(), color="0.55", lw=0.8, label=f"{curve.name} (7-day mean)"
        )
        twin.set_ylabel("units per day")
        twin.set_ylim(0, float(curve.max()) * 1.35)
        twin.legend(loc="upper right", fontsize=8, frameon=False)
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
    hol = ev[ev["kind"] == "holiday"]
    for date in hol["date"]:
        if lo <= date <= hi:
            ax.axvspan(date, date + day, color="tab:red", alpha=0.12, lw=0)
    terms = ev[ev["kind"] == "solar_term"]
    anchors = set(plan["anchor"].dropna().astype(str)) if "anchor" in plan else set()
    anchor_dates = (
        [pd.Timestamp(d) for d in plan["anchor_date"].dropna()] if "anchor_date" in plan else []
    )
    top = n - 0.35
    for _, term in terms.iterrows():
        if lo <= term["date"] <= hi and term["event"] not in anchors:
            ax.axvline(term["date"], color="0.6", lw=0.6, ls=":")
            if any(abs(d - term["date"]) <= 6 * day for d in anchor_dates):
                continue  # an anchor's bold label stands there
            ax.text(
                term["date"],
                top,
                event_label(str(term["event"]), ev),
                fontsize=7,
                color="0.4",
                rotation=90,
                ha="right",
                va="top",
            )
    pairs = (
        plan[["anchor", "anchor_date"]].drop_duplicates()
        if {"anchor", "anchor_date"} <= set(plan)
        else None
    )
    for anchor, date in [] if pairs is None else pairs.itertuples(index=False):
        if pd.notna(date):
            ax.axvline(date, color="tab:green", lw=1.4, ls="--")
            ax.text(
                date,
                top,
                event_label(str(anchor), ev),
                fontsize=9,
                color="tab:green",
                rotation=90,
                ha="right",
                va="top",
                fontweight="bold",
            )
    labels = []
    for y, (_, r) in enumerate(rows.iterrows()):
        if "promotion_start" in r:
            width = (r["promotion_end"] - r["promotion_start"]) / day + 1
            ax.barh(
                y,
                width,
                left=r["promotion_start"],
                height=0.55,
                color="tab:orange",
                alpha=0.35,
                label="promotion" if y == 0 else None,
            )
        ax.barh(
            y,
            (r["shelf_end"] - r["shelf_start"]) / day + 1,
            left=r["shelf_start"],
            height=0.55,
            color="tab:blue",
            label="on shelf" if y == 0 else None,
        )
        ax.plot(
            r["delivery_date"],
            y,
            marker="v",
            color="black",
            ms=9,
            label="delivery" if y == 0 else None,
        )
        late = bool(r.get("late", False))  # its best day was before the planning date
        ax.annotate(
            f"{r['delivery_date']:%a %m-%d}" + (" (late)" if late else ""),
            (r["delivery_date"], y),
            xytext=(0, -10),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=8,
            color="firebrick" if late else "black",
        )
        if "expected_onset" in r:
            same = plan[(plan["wave"] == r["wave"]) & (plan["delivery_date"] == r["delivery_date"])]
            first_on, last_on = same["expected_onset"].min(), same["expected_onset"].max()
            if last_on > first_on:  # groups expect the onset on different days: show the range
                ax.hlines(y, first_on, last_on, color="tab:red", lw=2.5)
            ax.plot(
                first_on,
                y,
                marker="D",
                color="tab:red",
                ms=7,
                label="expected onset (earliest group)" if y == 0 else None,
            )
        if "expected_peak" in r:
            ax.plot(
                r["expected_peak"],
                y,
                marker="*",
                color="tab:purple",
                ms=11,
                label="expected peak" if y == 0 else None,
            )
        labels.append(_wave_label(str(r["wave"]), r.get("anchor"), ev))
    ax.set_yticks(range(n), labels)
    ax.set_ylim(-0.8, n + 0.9)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.legend(loc="upper left", fontsize=8, ncol=5, frameon=False)
    ax.set_title(
        "Launch calendar: deliveries, on-shelf and promotion windows "
        "(dashed: anchors; dotted: solar terms; red: public holidays)",
        fontsize=10,
    )
    ax.grid(axis="x", color="0.9")
    fig.tight_layout()
    return fig
