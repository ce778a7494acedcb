"""Sales history with the detected surges and the calendar anchors they are tied to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from forecasting.language import resolve_lang
from forecasting.plotting.fonts import drawable, use_cjk_font
from forecasting.plotting.labels import event_name, text
from forecasting.plotting.placement import label_dates

__all__ = ["plot_surges"]

_SEASON_TERMS = ("立春", "立夏", "立秋", "立冬")


def plot_surges(
    sales: object,
    surges: pd.DataFrame,
    *,
    series: Mapping[str, object] | None = None,
    market: str = "CN",
    ax: Any = None,
    lang: str | None = None,
) -> Any:
    """Draw the sales history, each detected surge (onset to peak, shaded) and its anchor.

    Public holidays are shaded red; all solar terms are dotted; each surge's anchor is a dashed
    green line. Above the chart, in rows that do not overlap, each anchor is labelled with the event
    and the lag (``Spring Festival -16d``), then the four season-opening terms (立春, 立夏, 立秋,
    立冬) where there is room. An anchor is named by its own event (``春节``), never by a make-up
    workday that shares its event name.

    Parameters
    ----------
    sales : SalesTable, path or pandas.DataFrame
        Sales history (validated sales, :func:`forecasting.inputs.validate_sales`, are drawn as
        they are).
    surges : pandas.DataFrame
        Output of :func:`forecasting.timing.detect_surges` on the same sales.
    series : mapping, optional
        Which series to draw, e.g. ``{"category": "coats"}``; the total of all sales when omitted.
    market : str, default "CN"
        Calendar market of the holidays and solar terms.
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
    >>> import numpy as np, pandas as pd
    >>> dates = pd.date_range("2010-01-01", "2011-12-31")
    >>> sales = pd.DataFrame({"date": dates, "units": 100.0 + 50 * (dates.month == 9)})
    >>> ts = pd.Timestamp
    >>> surges = pd.DataFrame({"year": [2010], "onset": [ts("2010-09-01")],
    ...                        "peak": [ts("2010-09-20")], "lift": [1.5], "anchor": ["白露"],
    ...                        "anchor_kind": ["solar_term"],
    ...                        "anchor_date": [ts("2010-09-08")], "lag_days": [-7],
    ...                        "peak_lag_days": [12], "wave": ["autumn (白露)"]})
    >>> fig = plot_surges(sales, surges, lang="en")
    >>> fig.axes[0].get_ylabel()
    'units per day (7-day mean)'
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from calendars import events as calendar_events
    from forecasting.inputs.frequency import require_calendar_periods
    from forecasting.inputs.readers import as_sales

    use_cjk_font()
    language = resolve_lang(lang, market)
    table = as_sales(sales)
    require_calendar_periods(table, "the surge chart")
    frame = table.frame
    chosen = surges
    if series:
        for column, value in series.items():
            frame = frame[frame[column] == value]
            chosen = chosen[chosen[column] == value] if column in chosen else chosen
    weekly = table.freq.startswith("W")
    total = frame.groupby("date")["units"].sum() / (7 if weekly else 1)
    smooth = total if weekly else total.rolling(7, center=True, min_periods=1).mean()
    if ax is None:
        fig, ax = plt.subplots(figsize=(14, 5.2))
    else:
        fig = ax.figure
    lo, hi = total.index.min(), total.index.max()
    if not weekly:
        ax.plot(
            total.index, total.to_numpy(), color="0.75", lw=0.5, label=text("daily_units", language)
        )
    ax.plot(
        smooth.index,
        smooth.to_numpy(),
        color="tab:blue",
        lw=1.2,
        label=text("weekly_7" if weekly else "mean_7", language),
    )
    ev = calendar_events(range(lo.year, hi.year + 1), market=market)
    top = float(smooth.max()) * 1.12
    day = pd.Timedelta(days=1)
    for date in ev.loc[ev["kind"] == "holiday", "date"]:
        ax.axvspan(date, date + day, color="tab:red", alpha=0.15, lw=0)
    terms = ev[ev["kind"] == "solar_term"]
    for date in terms["date"]:
        ax.axvline(date, color="0.7", lw=0.5, ls=":")
    labels: list[tuple[object, str, str]] = []
    for n, (_, s) in enumerate(chosen.sort_values("onset").iterrows()):
        ax.axvspan(
            s["onset"],
            s["peak"],
            color="tab:orange",
            alpha=0.3,
            lw=0,
            label=text("surge", language) if n == 0 else None,
        )
        ax.plot(
            s["onset"],
            float(np.asarray(smooth.asof(s["onset"]), dtype=float)),
            marker="^",
            color="tab:orange",
            ms=7,
            label=text("onset", language) if n == 0 else None,
        )
        if pd.notna(s.get("anchor_date")):
            ax.axvline(
                s["anchor_date"],
                color="tab:green",
                lw=1.1,
                ls="--",
                label=text("anchor", language) if n == 0 else None,
            )
            name = event_name(s["anchor"], language, ev)
            labels.append(
                (
                    s["anchor_date"],
                    text("lag", language, name=name, lag=int(s["lag_days"])),
                    "tab:green",
                )
            )
    season_terms = terms[terms["event"].isin(_SEASON_TERMS)]
    labels += [
        (d, event_name(e, language, ev), "0.35")
        for d, e in zip(season_terms["date"], season_terms["event"], strict=True)
    ]
    ax.set_ylim(0, top)
    ax.set_xlim(lo, hi)
    ax.set_ylabel(text("per_week_7" if weekly else "per_day_7", language))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    placed = label_dates(ax, labels, fontsize=7.5, max_rows=4)
    what = ", ".join(f"{k}={drawable(v)}" for k, v in (series or {}).items())
    ax.set_title(
        text("surges_title", language, what=what or text("all_sales", language)),
        fontsize=10,
        pad=placed.height + 4,
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, ncol=6, frameon=False)
    fig.tight_layout()
    return fig
