"""Sales history with the detected surges and the calendar anchors they are tied to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from forecasting.plotting.fonts import use_cjk_font
from forecasting.plotting.timeline import event_label

__all__ = ["plot_surges"]

_SEASON_TERMS = ("立春", "立夏", "立秋", "立冬")


def plot_surges(
    sales: object,
    surges: pd.DataFrame,
    *,
    series: Mapping[str, object] | None = None,
    market: str = "CN",
    ax: Any = None,
) -> Any:
    """Draw the sales history, each detected surge (onset to peak, shaded) and its anchor.

    Public holidays are shaded red; all solar terms are dotted, the four season-opening terms (立春,
    立夏,
    立秋, 立冬) labelled; each surge's anchor is a dashed green line labelled with the event and the
    lag.

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
    >>> fig = plot_surges(sales, surges)
    >>> fig.axes[0].get_ylabel()
    'units per day (7-day mean)'
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    from calendars import events as calendar_events
    from forecasting.inputs.frequency import require_calendar_periods
    from forecasting.inputs.readers import as_sales

    use_cjk_font()
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
        fig, ax = plt.subplots(figsize=(14, 4.8))
    else:
        fig = ax.figure
    lo, hi = total.index.min(), total.index.max()
    if not weekly:
        ax.plot(total.index, total.to_numpy(), color="0.75", lw=0.5, label="daily units")
    ax.plot(
        smooth.index,
        smooth.to_numpy(),
        color="tab:blue",
        lw=1.2,
        label="weekly units / 7" if weekly else "7-day mean",
    )
    ev = calendar_events(range(lo.year, hi.year + 1), market=market)
    top = float(smooth.max()) * 1.25
    day = pd.Timedelta(days=1)
    for date in ev.loc[ev["kind"] == "holiday", "date"]:
        ax.axvspan(date, date + day, color="tab:red", alpha=0.15, lw=0)
    for _, term in ev[ev["kind"] == "solar_term"].iterrows():
        ax.axvline(term["date"], color="0.7", lw=0.5, ls=":")
        if term["event"] in _SEASON_TERMS:
            ax.text(
                term["date"],
                top * 0.98,
                event_label(str(term["event"]), ev),
                fontsize=7,
                color="0.35",
                rotation=90,
                ha="right",
                va="top",
            )
    for n, (_, s) in enumerate(chosen.sort_values("onset").iterrows()):
        ax.axvspan(
            s["onset"],
            s["peak"],
            color="tab:orange",
            alpha=0.3,
            lw=0,
            label="surge (onset to peak)" if n == 0 else None,
        )
        ax.plot(
            s["onset"],
            float(np.asarray(smooth.asof(s["onset"]), dtype=float)),
            marker="^",
            color="tab:orange",
            ms=7,
            label="onset" if n == 0 else None,
        )
        if pd.notna(s.get("anchor_date")):
            ax.axvline(
                s["anchor_date"],
                color="tab:green",
                lw=1.1,
                ls="--",
                label="anchor" if n == 0 else None,
            )
            text = f"{event_label(str(s['anchor']), ev)} {int(s['lag_days']):+d}d"
            ax.text(
                s["anchor_date"],
                top * 0.78,
                text,
                fontsize=8,
                color="tab:green",
                rotation=90,
                ha="right",
                va="top",
            )
    ax.set_ylim(0, top)
    ax.set_xlim(lo, hi)
    ax.set_ylabel("units per week / 7" if weekly else "units per day (7-day mean)")
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    what = ", ".join(f"{k}={v}" for k, v in (series or {}).items()) or "all sales"
    ax.set_title(
        f"Detected surges and their anchors ({what}; red: public holidays; dotted: solar terms)",
        fontsize=10,
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), fontsize=8, ncol=6, frameon=False)
    fig.tight_layout()
    return fig
