"""Plot a forecast: the history, the forecast, its interval band and the calendar anchors.

Daily, weekly and monthly forecasts are drawn alike; the y axis says what one value is (units per
day, week or month). On a monthly chart the calendar anchors (single days) are marked only from a
year before the forecast on, so that decades of monthly history do not disappear under lines.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import numpy as np, pandas as pd
>>> hist = pd.DataFrame({"date": pd.date_range("2011-09-01", periods=60), "units": np.arange(60.0)})
>>> fc = pd.DataFrame({"date": pd.date_range("2011-10-31", periods=30), "mean": 60.0,
...                    "p10": 50.0, "p50": 60.0, "p90": 70.0})
>>> fig = plot_forecast(fc, hist, kinds=("holiday",))
>>> len(fig.axes)
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import frequency_kind, infer_frequency
from forecasting.language import resolve_lang
from forecasting.plotting.fonts import drawable, use_cjk_font
from forecasting.plotting.labels import event_name, text
from forecasting.plotting.placement import label_dates

__all__ = ["plot_forecast"]

_KIND_STYLE = {
    "holiday": {"color": "#c0392b", "linestyle": "-", "alpha": 0.55},
    "retail": {"color": "#8e44ad", "linestyle": "--", "alpha": 0.55},
    "solar_term": {"color": "#27ae60", "linestyle": ":", "alpha": 0.7},
    "workday": {"color": "#7f8c8d", "linestyle": ":", "alpha": 0.4},
}


def _select(frame: pd.DataFrame, series: Mapping[str, Any] | None, value: str) -> pd.Series:
    if series:
        for column, wanted in series.items():
            frame = frame[frame[column] == wanted]
    return frame.groupby("date")[value].sum().sort_index()


_RANK = {"holiday": 0, "retail": 1, "solar_term": 2}

_PER = {"daily": "per_day", "weekly": "per_week", "monthly": "per_month"}


def _kind_of(dates: pd.Index, freq: str | None) -> str | None:
    """``"daily"``, ``"weekly"`` or ``"monthly"``: given, else inferred from the dates."""
    if freq is not None:
        return frequency_kind(freq)
    unique = pd.DatetimeIndex(dates).unique().sort_values()
    if len(unique) < 2:
        return None
    try:
        return frequency_kind(infer_frequency(pd.DataFrame({"date": unique}), keys=[]))
    except DataValidationError:  # irregular dates: say just "units"
        return None


def _anchors(
    start: pd.Timestamp, end: pd.Timestamp, market: str, kinds: Sequence[str]
) -> pd.DataFrame:
    import calendars

    years = list(range(start.year, end.year + 1))
    try:
        events = calendars.events(years, market=market, kinds=list(kinds))
    except calendars.CalendarError:
        return pd.DataFrame(columns=["date", "event", "kind", "name_zh"])
    events = events[(events["date"] >= start) & (events["date"] <= end)]
    # one mark per run of holiday days: its first day
    events = events.sort_values("date")
    first = events.groupby(["kind", "event"])["date"].diff().dt.days.fillna(99).to_numpy() > 1
    return events[first]


def plot_forecast(
    forecast: pd.DataFrame,
    history: pd.DataFrame | None = None,
    *,
    series: Mapping[str, Any] | None = None,
    band: tuple[str, str] | None = None,
    market: str = "CN",
    kinds: Sequence[str] = ("holiday", "retail", "solar_term"),
    title: str | None = None,
    ax: Any = None,
    freq: str | None = None,
    lang: str | None = None,
) -> Any:
    """Draw the history, the forecast (median), its interval band and the calendar anchors.

    Each event is a vertical line; its name is written above the chart, in rows that do not
    overlap (holidays first, then retail events, then solar terms; a name that finds no room is
    left out, its line stays).

    Parameters
    ----------
    forecast : DataFrame
        From :meth:`~forecasting.models.DemandForecaster.predict` (``date``, ``mean``, ``p..``).
    history : DataFrame, optional
        Sales (``date``, ``units`` and key columns).
    series : mapping, optional
        Which series to draw, e.g. ``{"store": "Province_1"}``; without it every series is summed.
    band : (str, str), optional
        Columns of the band; default the outermost quantile columns (``p10``, ``p90``).
    market : str
        Calendar market of the anchors.
    kinds : sequence of str
        Event kinds to mark (``"holiday"``, ``"retail"``, ``"solar_term"``, ``"workday"``); ``()``
        for none. Make-up working days are drawn as grey lines without a name.
    title : str, optional
        Axes title.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    freq : str, optional
        The frequency of the sales (``forecaster.freq_``: ``"D"``, ``"W-<DAY>"``, ``"MS"``,
        ``"ME"``); inferred from the forecast dates when omitted. It names the y axis (units per
        day, week or month).
    lang : {"zh", "en"}, optional
        Language of the labels (:func:`forecasting.language.resolve_lang`): Chinese by default
        for a Chinese market; Chinese names in pinyin without a CJK font.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> fc = pd.DataFrame({"date": pd.date_range("2012-01-01", periods=3), "mean": 1.0, "p50": 1.0})
    >>> plot_forecast(fc, kinds=(), lang="en").axes[0].get_ylabel()
    'units per day'
    >>> months = pd.date_range("2016-06-01", periods=12, freq="MS")
    >>> monthly = pd.DataFrame({"date": months, "mean": 1.0, "p10": 0.5, "p50": 1.0, "p90": 2.0})
    >>> plot_forecast(monthly, kinds=("holiday",), market="US").axes[0].get_ylabel()
    'units per month'
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    language = resolve_lang(lang, market)
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 4.8))
    else:
        fig = ax.figure
    quantile_columns = sorted(
        (c for c in forecast.columns if c.startswith("p") and c[1:].replace(".", "").isdigit()),
        key=lambda c: float(c[1:]),
    )
    point = "p50" if "p50" in forecast.columns else "mean"
    if history is not None and len(history):
        hist = _select(history, series, "units")
        ax.plot(
            hist.index,
            hist.to_numpy(),
            color="#34495e",
            linewidth=0.9,
            label=text("history", language),
        )
    fc_point = _select(forecast, series, point)
    ax.plot(
        fc_point.index,
        fc_point.to_numpy(),
        color="#2980b9",
        linewidth=1.4,
        label=text("forecast", language, point=point),
    )
    band = band or (
        (quantile_columns[0], quantile_columns[-1]) if len(quantile_columns) >= 2 else None
    )
    if band is not None:
        lower, upper = _select(forecast, series, band[0]), _select(forecast, series, band[1])
        ax.fill_between(
            lower.index,
            lower.to_numpy(),
            upper.to_numpy(),
            color="#2980b9",
            alpha=0.2,
            label=text("band", language, lower=band[0], upper=band[1]),
        )
    kind = _kind_of(fc_point.index, freq)
    ax.set_ylabel(text(_PER[kind], language) if kind is not None else text("units", language))
    ax.set_ylim(bottom=0)
    pad = 6.0
    if kinds:
        start = (
            pd.Timestamp(history["date"].min())
            if history is not None and len(history)
            else fc_point.index.min()
        )
        if kind == "monthly":  # one-day events on a chart of months: the last year and ahead only
            start = max(pd.Timestamp(start), fc_point.index.min() - pd.DateOffset(years=1))
        anchors = _anchors(pd.Timestamp(start), pd.Timestamp(fc_point.index.max()), market, kinds)
        labels = []
        for row in anchors.itertuples(index=False):
            style = _KIND_STYLE.get(str(row.kind), _KIND_STYLE["holiday"])
            ax.axvline(row.date, linewidth=0.8, **style)
            if row.kind == "workday":  # a make-up working day: a grey line, no name
                continue
            name = event_name(str(row.event), language, anchors)
            rank = _RANK.get(str(row.kind), len(_RANK))
            labels.append((rank, row.date, name, str(style["color"])))
        ax.set_xlim(*ax.get_xlim())  # the labels are placed on these limits
        labels.sort(key=lambda item: item[:2])  # holidays first, where space is short
        placed = label_dates(ax, [item[1:] for item in labels], fontsize=7, max_rows=3)
        pad += placed.height
    if title:
        ax.set_title(drawable(title), pad=pad)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
