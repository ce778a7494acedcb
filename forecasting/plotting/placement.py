"""Labels of dates placed in rows above an axes, so that no two overlap.

A chart of sales over time marks many dates (holidays, solar terms, anchors); written upright
inside the axes their labels run into the data and into each other. :func:`label_dates` writes
them level above the axes instead, each centred on its date, in as few rows as they need: a label
goes into the lowest row where it overlaps no other, and a label that fits in none of ``max_rows``
is left out (the labels are placed in the order given, so the important ones come first).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> import pandas as pd
>>> fig, ax = plt.subplots(figsize=(6, 3))
>>> _ = ax.set_xlim(pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31"))
>>> days = pd.to_datetime(["2012-01-23", "2012-01-25", "2012-10-01"])
>>> placed = label_dates(ax, [(d, "Spring Festival", "red") for d in days], fontsize=8)
>>> [t.get_text() for t in placed.texts], placed.rows
(['Spring Festival', 'Spring Festival', 'Spring Festival'], 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PlacedLabels", "label_dates"]


@dataclass
class PlacedLabels:
    """What :func:`label_dates` drew: the texts, the rows used and the height they take."""

    texts: list[Any] = field(default_factory=list)
    rows: int = 0
    height: float = 0.0  # points above the axes
    left_out: list[str] = field(default_factory=list)


def label_dates(
    ax: Any,
    items: Iterable[tuple[object, str, str]],
    *,
    fontsize: float = 7.5,
    max_rows: int = 3,
    gap: float = 6.0,
    weight: str = "normal",
    above: float = 0.0,
) -> PlacedLabels:
    """Write labels of dates above ``ax`` in rows, without overlaps; leave out what does not fit.

    Call it after the x limits and the figure size are set.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes (dates on the x axis).
    items : iterable of (date, text, color)
        The labels, the most important first.
    fontsize : float, default 7.5
        Font size in points.
    max_rows : int, default 3
        Rows at most; a label that overlaps another in every row is left out.
    gap : float, default 6.0
        Least space between two labels of a row, in points.
    weight : str, default "normal"
        Font weight.
    above : float, default 0.0
        Points between the axes and the first row (room for labels placed before).

    Returns
    -------
    PlacedLabels
        The texts drawn, the rows used, their height in points and the labels left out.
    """
    import matplotlib.dates as mdates
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    fig = ax.figure
    width = ax.get_position().width * fig.get_figwidth() * 72.0 * 0.94  # tight_layout shrinks
    x0, x1 = ax.get_xlim()
    prop = FontProperties(size=fontsize, weight=weight)
    row_height = fontsize * 1.45
    rows: list[list[tuple[float, float]]] = [[] for _ in range(max_rows)]
    placed = PlacedLabels()
    for date, label, color in items:
        x = float(mdates.date2num(date)) if not isinstance(date, int | float) else float(date)
        if not x0 <= x <= x1:
            continue
        w = float(text_to_path.get_text_width_height_descent(label, prop, ismath=False)[0])
        center = (x - x0) / (x1 - x0) * width
        lo, hi = center - w / 2, center + w / 2
        row = next(
            (
                n
                for n, taken in enumerate(rows)
                if all(hi + gap <= a or lo >= b + gap for a, b in taken)
            ),
            None,
        )
        if row is None:
            placed.left_out.append(label)
            continue
        rows[row].append((lo, hi))
        placed.rows = max(placed.rows, row + 1)
        placed.texts.append(
            ax.annotate(
                label,
                xy=(x, 1.0),
                xycoords=ax.get_xaxis_transform(),
                xytext=(0.0, above + 2.0 + row * row_height),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=fontsize,
                fontweight=weight,
                color=color,
                annotation_clip=False,
            )
        )
    placed.height = above + 2.0 + placed.rows * row_height
    return placed
