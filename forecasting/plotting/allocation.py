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
>>> fig = plot_allocation(plan, lang="en")
>>> len(fig.axes), fig.axes[0].get_legend() is not None
(1, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT
from forecasting.language import Lang, resolve_lang
from forecasting.plotting.fonts import drawable, use_cjk_font
from forecasting.plotting.labels import text

if TYPE_CHECKING:
    from matplotlib.artist import Artist

__all__ = ["plot_allocation"]

_MARGINAL, _MINIMUM, _CAP = "#4C72B0", "#E6A57E", "#D98A8C"


def plot_allocation(
    allocation: pd.DataFrame,
    sku: str | None = None,
    *,
    top: int = 40,
    ax: Axes | None = None,
    market: str = "CN",
    lang: str | None = None,
    legend: bool | None = None,
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
    market : str, default "CN"
        The market, which chooses the language when ``lang`` is not given.
    lang : {"zh", "en"}, optional
        Language of the labels (:func:`forecasting.language.resolve_lang`): Chinese by default
        for a Chinese market. Store names and SKUs are drawn in pinyin without a CJK font.
    legend : bool, optional
        Draw the legend (between the title and the bars). By default it is drawn once per
        figure: on its first axes, so that a grid of products (one ``ax`` each) has one legend.

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
    >>> plot_allocation(plan, lang="en").axes[0].get_title(loc="left").splitlines()[0]
    'product: 12 units, 9 to stores, 3 at DC'
    """
    import matplotlib.pyplot as plt
    from matplotlib.transforms import blended_transform_factory

    use_cjk_font()
    language = resolve_lang(lang, market)
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
    own_figure = ax is None
    if ax is None:
        height = min(2.6 + 0.28 * len(stores), 14.0)
        fig, ax = plt.subplots(figsize=(8.5, height))
    else:
        fig = ax.figure  # type: ignore[assignment]
    if legend is None:
        legend = own_figure or ax is fig.axes[0]
    y = np.arange(len(stores))
    reason = stores["reason"].astype(TEXT)
    at_min = reason.str.contains("minimum").to_numpy()
    at_cap = reason.str.contains("cap").to_numpy()
    colors = np.where(at_min, _MINIMUM, np.where(at_cap, _CAP, _MARGINAL))
    ax.barh(y, stores["units"], color=colors, height=0.65)
    mins = stores["minimum"].to_numpy(float)
    caps = stores["cap"].to_numpy(float)
    has_min, has_cap = mins > 0, np.isfinite(caps)
    ax.plot(mins[has_min], y[has_min], ls="none", marker="|", ms=14, mew=2.5, color="#DD8452")
    ax.plot(caps[has_cap], y[has_cap], ls="none", marker="<", ms=7, color="#C44E52")
    ax.plot(stores["mean"].to_numpy(float), y, ls="none", marker="o", ms=5, mfc="none", mec="black")
    # the store names as texts beside the bars, not as tick labels: a tick is several artists,
    # and a grid of products has hundreds of stores
    ax.set_yticks([])
    names = blended_transform_factory(ax.transAxes, ax.transData)
    for row, store in enumerate(stores["store"]):
        ax.text(
            -0.015,
            row,
            drawable(store),
            transform=names,
            ha="right",
            va="center",
            fontsize=plt.rcParams["ytick.labelsize"],
        )
    ax.set_ylim(-0.6, len(stores) - 0.4)
    ax.set_xlabel(text("units", language))
    total = int(rows["units"].sum())
    shadow = allocation.attrs.get("shadow_price", {}).get(sku)
    title = text(
        "alloc_title",
        language,
        sku=drawable(sku),
        total=total,
        stores=total - held,
        held=held,
        warehouse=drawable(warehouse),
    )
    if shadow is not None and np.isfinite(shadow):
        title += "\n" + text("alloc_shadow", language, p=shadow)
    if left_out:
        title += (
            text("alloc_hidden_1", language)
            if left_out == 1
            else text("alloc_hidden", language, n=left_out)
        )
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    pad = 6.0
    if legend:
        handles = _legend_handles(language)
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.01),
            ncol=2,
            fontsize=7.5,
            frameon=False,
            borderaxespad=0.2,
            handlelength=1.6,
            columnspacing=1.2,
        )
        pad += 12.5 * -(-len(handles) // 2) + 4
    ax.set_title(title, loc="left", fontsize=9.5, pad=pad)
    if own_figure:
        fig.tight_layout()
    return fig


def _legend_handles(lang: Lang) -> list[Artist]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(color=_MARGINAL, label=text("alloc_marginal", lang)),
        Patch(color=_MINIMUM, label=text("alloc_minimum", lang)),
        Patch(color=_CAP, label=text("alloc_cap", lang)),
        Line2D(
            [],
            [],
            ls="none",
            marker="|",
            ms=10,
            mew=2.5,
            color="#DD8452",
            label=text("minimum", lang),
        ),
        Line2D([], [], ls="none", marker="<", ms=6, color="#C44E52", label=text("cap", lang)),
        Line2D(
            [],
            [],
            ls="none",
            marker="o",
            ms=5,
            mfc="none",
            mec="black",
            label=text("mean_demand", lang),
        ),
    ]
