"""The launch timeline: deliveries, on-shelf and promotion windows against the sales season."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from forecasting.language import Lang, resolve_lang
from forecasting.plotting.fonts import has_cjk_font, use_cjk_font
from forecasting.plotting.labels import event_name, text, wave_label
from forecasting.plotting.placement import label_dates

__all__ = ["calendar_alignment", "plot_launch_timeline", "typical_sales_curve"]

_LUNAR_MARKETS = frozenset({"CN", "CHN", "HK", "MO", "TW", "SG"})


def _new_year(year: int) -> pd.Timestamp:
    """春节 (the first day of the first lunar month) in Gregorian ``year``."""
    from lunar_python import Lunar

    day = Lunar.fromYmd(year, 1, 1).getSolar()
    return pd.Timestamp(day.getYear(), day.getMonth(), day.getDay())


def calendar_alignment(source: int, target: int, market: str = "CN") -> pd.DataFrame:
    """Matching days of two years: each solar term to the same term, 春节 to 春节.

    The days between two matching days are matched linearly, so a year drawn on another keeps its
    season changes on the solar terms and its Spring Festival trade around 春节, which moves by up
    to four weeks from year to year. Solar terms closer than 20 days to 春节 in either year give way
    to it. Outside Chinese markets only the solar terms match.

    Parameters
    ----------
    source, target : int
        The year drawn and the year it is drawn on.
    market : str, default "CN"
        The calendar market.

    Returns
    -------
    pandas.DataFrame
        ``source`` and ``target`` dates, increasing in both, from the year before to the year after.

    Examples
    --------
    >>> knots = calendar_alignment(2011, 2012)
    >>> row = knots[knots["source"] == pd.Timestamp("2011-02-03")]  # 春节 2011
    >>> row["target"].dt.strftime("%Y-%m-%d").tolist()  # 春节 2012
    ['2012-01-23']
    """
    from calendars import solar_terms

    shift = target - source
    src = solar_terms(list(range(source - 1, source + 2)))
    tgt = solar_terms(list(range(target - 1, target + 2)))
    pairs = src[["year", "name", "date"]].assign(year=src["year"] + shift)
    pairs = pairs.merge(tgt[["year", "name", "date"]], on=["year", "name"], suffixes=("_s", "_t"))
    knots = pd.DataFrame(
        {"source": pd.to_datetime(pairs["date_s"]), "target": pd.to_datetime(pairs["date_t"])}
    )
    if str(market).strip().upper() in _LUNAR_MARKETS:
        festivals = pd.DataFrame(
            {
                "source": [_new_year(y) for y in range(source - 1, source + 2)],
                "target": [_new_year(y + shift) for y in range(source - 1, source + 2)],
            }
        )
        days = "datetime64[D]"
        src_days = knots["source"].to_numpy(days).astype(np.int64)
        tgt_days = knots["target"].to_numpy(days).astype(np.int64)
        near = np.zeros(len(knots), dtype=bool)
        fest_src = festivals["source"].to_numpy(days).astype(np.int64)
        fest_tgt = festivals["target"].to_numpy(days).astype(np.int64)
        for fs, ft in zip(fest_src, fest_tgt, strict=True):
            near |= (np.abs(src_days - fs) < 20) | (np.abs(tgt_days - ft) < 20)
        knots = pd.concat([knots[~near], festivals], ignore_index=True)
    knots = knots.sort_values("source", ignore_index=True)
    keep = knots["target"] > knots["target"].cummax().shift(fill_value=pd.Timestamp.min)
    return knots[keep].reset_index(drop=True)


def typical_sales_curve(sales: object, year: int, *, market: str = "CN") -> pd.Series:
    """Total daily sales of the last full year of history, drawn on ``year`` by the calendar.

    The year is aligned by :func:`calendar_alignment` (春节 on 春节, each solar term on its term),
    not by date: the Spring Festival trade of 2011 (春节 on 3 February) is drawn before 春节 2012
    (23 January), where it will happen. Sales are a 7-day centred mean.

    Parameters
    ----------
    sales : SalesTable, path or pandas.DataFrame
        Sales history (validated sales, :func:`forecasting.inputs.validate_sales`, are used as they
        are).
    year : int
        The year to draw the curve in.
    market : str, default "CN"
        The calendar market.

    Returns
    -------
    pandas.Series
        Units per day (weekly data: per week divided by 7) indexed by the days of ``year``;
        ``name`` says which year it came from.

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
    smooth = total.rolling(7, center=True, min_periods=1).mean()
    knots = calendar_alignment(last, year, market)
    days = pd.date_range(pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31))
    as_int = "datetime64[D]"
    source = np.interp(
        days.to_numpy(as_int).astype(float),
        knots["target"].to_numpy(as_int).astype(float),
        knots["source"].to_numpy(as_int).astype(float),
    )
    known = smooth.index.to_numpy(as_int).astype(float)
    inside = (source >= known[0]) & (source <= known[-1])
    curve = pd.Series(
        np.interp(source[inside], known, smooth.to_numpy(float)),
        index=days[inside],
        name=f"sales {last}",
    )
    return curve


_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


def _day(day: pd.Timestamp, lang: Lang) -> str:
    if lang == "zh" and has_cjk_font():
        return f"{day:%m-%d} {_WEEKDAYS_ZH[day.weekday()]}"
    return f"{day:%a %m-%d}"


def plot_launch_timeline(
    plan: pd.DataFrame,
    sales: object = None,
    *,
    market: str = "CN",
    ax: Any = None,
    lang: str | None = None,
) -> Any:
    """Draw the launch calendar: delivery days, on-shelf and promotion windows as bars, one row per
    wave; the expected onsets and peaks; the anchors, solar terms and holidays; and the last full
    year's sales, aligned by the calendar (:func:`typical_sales_curve`).

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    sales : SalesTable, path or pandas.DataFrame, optional
        Sales history; its last full year is drawn behind the bars, on the plan's year with 春节
        on 春节 and each solar term on its term (validated sales are used as they are).
    market : str, default "CN"
        Calendar market of the solar terms and holidays drawn.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure when omitted.
    lang : {"zh", "en"}, optional
        Language of the labels (:func:`forecasting.language.resolve_lang`): Chinese by default
        for a Chinese market; Chinese names in pinyin without a CJK font.

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
    language = resolve_lang(lang, market)
    rows = plan.drop_duplicates(["wave", "delivery_date"]).sort_values("delivery_date")
    n = len(rows)
    if ax is None:
        fig, ax = plt.subplots(figsize=(13, 3.2 + 0.6 * n))
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
            market=market,
        )
        twin = ax.twinx()
        twin.fill_between(curve.index, curve.to_numpy(), color="0.85", step=None, zorder=0)
        twin.plot(
            curve.index,
            curve.to_numpy(),
            color="0.55",
            lw=0.8,
            label=text("curve", language, year=str(curve.name).split()[-1]),
        )
        twin.set_ylabel(text("units_per_day", language))
        twin.set_ylim(0, float(curve.max()) * 1.35)
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
    marks: list[tuple[object, str, str]] = []  # labels above the chart, anchors first
    pairs = (
        plan[["anchor", "anchor_date"]].drop_duplicates()
        if {"anchor", "anchor_date"} <= set(plan)
        else None
    )
    for anchor, date in [] if pairs is None else pairs.itertuples(index=False):
        if pd.notna(date):
            ax.axvline(date, color="tab:green", lw=1.4, ls="--")
            marks.append((date, event_name(anchor, language, ev), "tab:green"))
    for _, term in terms.iterrows():
        if lo <= term["date"] <= hi and term["event"] not in anchors:
            ax.axvline(term["date"], color="0.6", lw=0.6, ls=":")
            if not any(abs(d - term["date"]) <= 6 * day for d in anchor_dates):
                marks.append((term["date"], event_name(term["event"], language, ev), "0.35"))
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
                label=text("promotion", language) if y == 0 else None,
            )
        ax.barh(
            y,
            (r["shelf_end"] - r["shelf_start"]) / day + 1,
            left=r["shelf_start"],
            height=0.55,
            color="tab:blue",
            label=text("on_shelf", language) if y == 0 else None,
        )
        ax.plot(
            r["delivery_date"],
            y,
            marker="v",
            color="black",
            ms=9,
            label=text("delivery", language) if y == 0 else None,
        )
        late = bool(r.get("late", False))  # its best day was before the planning date
        ax.annotate(
            _day(r["delivery_date"], language) + (text("late", language) if late else ""),
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
                label=text("expected_onset", language) if y == 0 else None,
            )
        if "expected_peak" in r:
            ax.plot(
                r["expected_peak"],
                y,
                marker="*",
                color="tab:purple",
                ms=11,
                label=text("expected_peak", language) if y == 0 else None,
            )
        labels.append(wave_label(r["wave"], language, r.get("anchor"), ev))
    ax.set_yticks(range(n), labels)
    ax.set_ylim(-0.8, n - 0.3)
    ax.set_xlim(lo, hi)
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    handles, names = ax.get_legend_handles_labels()
    for other in ax.figure.axes:  # the sales curve's twin axes
        if other is not ax and other.get_shared_x_axes().joined(ax, other):
            more = other.get_legend_handles_labels()
            handles, names = handles + more[0], names + more[1]
    ax.legend(
        handles,
        names,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.09),
        fontsize=8,
        ncol=6,
        frameon=False,
    )
    placed = label_dates(ax, marks, fontsize=7.5, max_rows=3)
    ax.set_title(text("timeline_title", language), fontsize=10, pad=placed.height + 4)
    ax.grid(axis="x", color="0.9")
    fig.tight_layout()
    return fig
