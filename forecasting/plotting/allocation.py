"""Figure of an allocation: units per store, with presentation minimums, caps and mean demand shown.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from forecasting.allocation.allocator import allocate
>>> plan = allocate(30, pd.DataFrame({"store": ["A", "B", "C"], "mean": [15.0, 8.0, 3.0]}),
...                 pd.DataFrame({"store": ["A", "B", "C"], "min_units": [0, 0, 6],
...                               "max_units": [None, None, 8]}))
>>> fig = plot_allocation(plan)
>>> len(fig.axes)
1
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT
from forecasting.plotting.fonts import use_cjk_font, zh_label

__all__ = ["plot_allocation"]


def plot_allocation(
    allocation: pd.DataFrame,
    sku: str | None = None,
    *,
    top: int = 40,
    ax: Axes | None = None,
) -> Figure:
    """Horizontal bars of the units each store gets, with its minimum, cap and mean demand marked.

    Parameters
    ----------
    allocation : DataFrame
        The result of :func:`forecasting.allocation.allocate`.
    sku : str, optional
        The product to draw (default: the first).
    top : int, default 40
        Draw at most this many stores (those with the most units); the title counts the rest.
    ax : matplotlib Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from forecasting.allocation.allocator import allocate
    >>> plan = allocate(12, pd.DataFrame({"store": ["A", "B"], "mean": [9.0, 4.0]}), holdback=0.25)
    >>> plot_allocation(plan).axes[0].get_title(loc="left").splitlines()[0]
    'product: 12 units, 9 to stores, 3 at DC'
    """
    import matplotlib.pyplot as plt

    use_cjk_font()
    skus = list(dict.fromkeys(allocation["sku"]))
    if not skus:
        raise DataValidationError(
            "allocation: the table is empty. Fix: pass the result of allocate()."
        )
    sku = skus[0] if sku is None else sku
    if sku not in skus:
        raise DataValidationError(
            f"sku={sku!r} is not in the allocation (it has {', '.join(map(repr, skus[:5]))}). "
            "Fix: pass one of those."
        )
    rows = allocation.loc[allocation["sku"] == sku]
    warehouse = str(allocation.attrs.get("allocation", {}).get("warehouse", "DC"))
    is_wh = (rows["store"] == warehouse) & rows["mean"].isna()
    held = int(rows.loc[is_wh, "units"].sum())
    stores = rows.loc[~is_wh].sort_values(["units", "mean"], ascending=False, kind="stable")
    left_out = max(len(stores) - top, 0)
    stores = stores.head(top).iloc[::-1]
    if ax is None:
        height = min(2.0 + 0.28 * len(stores), 14.0)
        fig, ax = plt.subplots(figsize=(8.5, height))
    else:
        fig = ax.figure  # type: ignore[assignment]
    y = np.arange(len(stores))
    reason = stores["reason"].astype(TEXT)
    colors = np.where(
        reason.str.contains("minimum").to_numpy(),
        "#E6A57E",
        np.where(reason.str.contains("cap").to_numpy(), "#D98A8C", "#4C72B0"),
    )
    ax.barh(y, stores["units"], color=colors, height=0.65)
    for color, text in (
        ("#4C72B0", zh_label("分配 units (marginal analysis)", "units (marginal analysis)")),
        ("#E6A57E", zh_label("按最低陈列 held at minimum", "units held at minimum")),
        ("#D98A8C", zh_label("到上限 at cap", "units at cap")),
    ):
        ax.barh([np.nan], [np.nan], color=color, label=text)
    mins = stores["minimum"].to_numpy(float)
    has_min = mins > 0
    ax.scatter(mins[has_min], y[has_min], marker="|", s=260, linewidths=2.5, color="#DD8452",
               label=zh_label("最低陈列 minimum", "presentation minimum"), zorder=3)  # fmt: skip
    caps = stores["cap"].to_numpy(float)
    has_cap = np.isfinite(caps)
    ax.scatter(caps[has_cap], y[has_cap], marker="<", s=60, color="#C44E52",
               label=zh_label("上限 cap", "cap"), zorder=3)  # fmt: skip
    ax.scatter(stores["mean"], y, marker="o", s=30, facecolors="none", edgecolors="black",
               label=zh_label("平均需求 mean demand", "mean demand"), zorder=4)  # fmt: skip
    ax.set_yticks(y)
    ax.set_yticklabels(stores["store"].tolist())
    ax.set_xlabel(zh_label("件数 units", "units"))
    total = int(rows["units"].sum())
    shadow = allocation.attrs.get("shadow_price", {}).get(sku)
    title = f"{sku}: {total} units, {total - held} to stores, {held} at {warehouse}"
    if shadow is not None and np.isfinite(shadow):
        title += f"\nlast unit placed sells with p = {shadow:.2f}"
    if left_out:
        title += f" ({left_out} stores with fewer units not shown)"
    ax.set_title(title, loc="left", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    fig.tight_layout()
    return fig
