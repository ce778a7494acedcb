"""Write a :class:`~forecasting.plan.Plan` as the folder a planner sends out, with a summary.

The folder holds ``launch_calendar.{csv,xlsx,ics}``, ``timeline.png``, ``depth.csv``,
``allocation.{csv,xlsx}`` (one sheet per delivery wave, one row per store), ``allocation.png``,
``forecast.png``, ``surges.png`` and ``summary.md``. Everything is written into a staging folder
beside the target that replaces it as a whole only when every file is complete, so a failure leaves
the target as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import SalesTable
from forecasting.plan.calendar_files import export_launch_calendar
from forecasting.plan.flow import Plan
from forecasting.plan.writers import staged_folder, write_csv, write_excel, write_text

__all__ = ["PLAN_FILES", "allocation_sheets", "plan_summary", "write_plan"]

PLAN_FILES = frozenset(
    {
        "launch_calendar.csv",
        "launch_calendar.xlsx",
        "launch_calendar.ics",
        "timeline.png",
        "depth.csv",
        "allocation.csv",
        "allocation.xlsx",
        "allocation.png",
        "forecast.png",
        "surges.png",
        "summary.md",
    }
)
"""The files of a plan's folder (:func:`write_plan`): ``launchcast demo`` replaces its own
folder when it holds only these."""


def _sales(plan: Plan) -> SalesTable:
    """The plan's validated sales (:func:`~forecasting.plan.make_plan` always keeps them)."""
    if plan.inputs.sales is None:
        raise DataValidationError("plan: it holds no sales. Fix: make it with make_plan.")
    return plan.inputs.sales


def allocation_sheets(plan: Plan) -> dict[str, pd.DataFrame]:
    """One table per delivery wave: a row per store, a column of units per product of that wave.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name (delivery date and wave) to table; the warehouse row comes last and a ``total``
        column sums each store's units.

    Examples
    --------
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> sheets = allocation_sheets(plan)
    >>> len(sheets) == plan.products_plan["wave"].nunique()
    True
    """
    waves = plan.products_plan[["sku", "wave", "delivery_date"]]
    allocation = plan.allocation.merge(waves, on="sku", how="left")
    sheets: dict[str, pd.DataFrame] = {}
    for (delivery, wave), part in allocation.groupby(["delivery_date", "wave"], sort=True):
        table = part.pivot_table(
            index="store", columns="sku", values="units", aggfunc="sum", fill_value=0
        )
        table = table.astype(int)
        warehouse = [s for s in table.index if s not in set(plan.stores["store"])]
        order = sorted(s for s in table.index if s not in warehouse) + warehouse
        table = table.loc[order]
        table["total"] = table.sum(axis=1)
        table = table.reset_index()
        day = pd.Timestamp(str(delivery))
        table.insert(1, "delivery_date", day.date())
        sheets[f"{day:%Y-%m-%d} {wave}"] = table
    return sheets


def plan_summary(plan: Plan, files: dict[str, Path] | None = None) -> str:
    """The plan in plain words (Markdown): waves and anchors, depths, minimums and their cost.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    files : dict of str to pathlib.Path, optional
        Files written, listed at the end.

    Returns
    -------
    str
        Markdown text.

    Examples
    --------
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> plan_summary(plan).splitlines()[0]
    '# launchcast plan for 2012-01-01 .. 2012-12-31'
    """
    start, end = plan.season
    sales = plan.sales
    keys = "store" if "store" in sales.columns else None
    n_series = sales[keys].nunique() if keys else 1
    freq = "daily" if _sales(plan).freq == "D" else "weekly"
    lines = [
        f"# launchcast plan for {start:%Y-%m-%d} .. {end:%Y-%m-%d}",
        "",
        f"History: {n_series} stores, {freq} sales {sales['date'].min():%Y-%m-%d} .. "
        f"{sales['date'].max():%Y-%m-%d} ({sales['units'].sum():,.0f} units). "
        f"Store forecasts: {plan.options.get('model')} model.",
        "",
        f"Planning date: {plan.as_of:%Y-%m-%d} (learned from the sales before it; nothing is "
        "delivered before it).",
        "",
        "## Launch waves (one delivery day for all stores)",
        "",
    ]
    late = plan.launches[plan.launches["late"]] if "late" in plan.launches else plan.launches[:0]
    if len(late):
        lines += [
            f"{len(late)} wave(s) are **late**: their best delivery day is before the planning "
            "date, so they go on the first feasible delivery day instead.",
            "",
        ]
    for _, wave in plan.launches.iterrows():
        lines.append(f"- **{wave['wave']}** ({wave['confidence']} confidence): {wave['reason']}")
    lines += ["", f"## First-batch depth (covers {plan.horizon_weeks} weeks)", ""]
    depth = plan.depth_blend.merge(plan.products_plan[["sku", "wave", "delivery_date"]], on="sku")
    lines.append(
        "| sku | wave | delivery | judges (mean ± sd) | data estimate (mean ± sd) | "
        "judges' weight | demand (mean ± sd) | critical ratio | depth | forced by minimums | "
        "cut by caps | expected sell-through |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for _, row in depth.iterrows():
        lines.append(
            f"| {row['sku']} | {row['wave']} | {row['delivery_date']:%a %Y-%m-%d} | "
            f"{_mean_sd(row['judge_mean'], row['judge_sd'])} | "
            f"{_mean_sd(row['model_mean'], row['model_sd'])} | {row['judge_weight']:.0%} | "
            f"{row['mean']:,.0f} ± {row['sd']:,.0f} | "
            f"{row['critical_ratio']:.2f} | {int(row['depth']):,} | "
            f"{int(row['forced_units']):,} | {int(row.get('capped_units', 0)):,} | "
            f"{row['sell_through']:.0%} |"
        )
    total_units = int(plan.depth["depth"].sum())
    expected = float(plan.depth["expected_sales"].sum())
    lines += ["", _blend_sentence(plan.demand)]
    lines += [
        "",
        f"Total first batch: {total_units:,} units of {len(plan.depth)} products; expected to sell "
        f"{expected:,.0f} of them in the first {plan.horizon_weeks} weeks "
        f"({expected / max(total_units, 1):.0%} sell-through, the sum of the table above).",
    ]
    if "capped_units" in plan.depth and (plan.depth["capped_units"] > 0).any():
        cut = plan.depth[plan.depth["capped_units"] > 0]
        shipped = ", ".join(
            f"{sku} {int(depth):,}" for sku, depth in zip(cut["sku"], cut["depth"], strict=True)
        )
        lines.append(
            f"The stores' caps (max_units) hold {len(cut)} product(s) below the depth their demand "
            f"asks for: {int(cut['capped_units'].sum()):,} units fewer in all; each is shipped at "
            f"what its stores can take ({shipped})."
        )
    lines += ["", "## Allocation to stores", ""]
    strategic = plan.stores.loc[plan.stores.get("min_units", pd.Series(dtype=float)).fillna(0) > 0]
    if len(strategic):
        names = ", ".join(
            f"{row['store']} ({int(row['min_units'])})" for _, row in strategic.iterrows()
        )
        minimums = plan.report.minimums
        cost = float(minimums["net_cost"].sum()) if len(minimums) else 0.0
        binding = minimums["store"].nunique() if len(minimums) else 0
        lines.append(
            f"Presentation minimums (units per product): {names}. They bind at {len(minimums)} "
            f"store x product pairs ({binding} stores) and cost {cost:,.1f} expected units of "
            "sales elsewhere in all: the price of keeping the strategic stores' assortment rich."
        )
    products = plan.report.products
    at_cap = int(products["stores_at_cap"].sum())
    if at_cap:
        lines.append(
            f"Caps bind at {at_cap} store x product pairs "
            f"({int(products['stores_at_cap'].max())} stores at most for one product)."
        )
    to_stores, held = int(products["to_stores"].sum()), int(products["warehouse"].sum())
    beyond = int(products["beyond_stores"].sum())
    lines.append(
        f"The stores receive {to_stores:,} units ({int(products['stores'].max())} stores); the "
        f"warehouse keeps {held:,}"
        + (f", {beyond:,} of them because the stores cannot take them." if beyond else ".")
    )
    shadow = products.set_index("sku")["shadow_price"]
    lines.append(
        "Each product's last unit was placed where it sells with probability "
        f"{shadow.min():.0%}..{shadow.max():.0%} (the shadow price of stock)."
    )
    if files:
        lines += ["", "## Files", ""]
        lines += [f"- `{path.name}`: {what}" for what, path in files.items()]
    return "\n".join(lines) + "\n"


def _mean_sd(mean: object, sd: object) -> str:
    if not isinstance(mean, float | int) or pd.isna(mean):
        return "-"
    spread = f" ± {sd:,.0f}" if isinstance(sd, float | int) and pd.notna(sd) else ""
    return f"{mean:,.0f}{spread}"


def _blend_sentence(demand: pd.DataFrame) -> str:
    """How the judges and the data estimate were weighted, in one paragraph."""
    both = demand[demand["judge_mean"].notna() & demand["model_mean"].notna()]
    judges_only = demand[demand["model_mean"].isna()]
    data_only = demand[demand["judge_mean"].isna()]
    basis = demand["model_basis"].dropna().astype(str)
    kinds = sorted({b.split(":")[0] for b in basis})
    how = {
        "top-down": "top-down: the stores' forecast of the product's window x its plan share",
        "analogs": "analogs: the sales of similar past launches",
    }
    data = "; ".join(how.get(k, k) for k in kinds) or "none"
    parts = []
    if len(both):
        w = both["judge_weight"]
        parts.append(
            f"Depth blends the judges (weight {w.mean():.0%} on average, {w.min():.0%}.."
            f"{w.max():.0%}) with the data estimate ({data}) for {len(both)} product(s), each "
            "side weighted by its precision (the less certain side counts less); `depth.csv` "
            "shows both estimates (judge_mean, model_mean and model_basis) and judge_weight."
        )
    if len(judges_only):
        parts.append(
            f"{len(judges_only)} product(s) rest on the judges alone (no data estimate: give "
            f"them a plan_share or past launches): {', '.join(judges_only['sku'].astype(str))}."
        )
    if len(data_only):
        parts.append(
            f"{len(data_only)} product(s) rest on the data estimate alone ({data}; no "
            f"judgments): {', '.join(data_only['sku'].astype(str))}."
        )
    return " ".join(parts)


def _write_figures(plan: Plan, folder: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from forecasting.plotting.allocation import plot_allocation
    from forecasting.plotting.forecast import plot_forecast
    from forecasting.plotting.surges import plot_surges

    skus = list(plan.depth["sku"])
    ncols = min(4, len(skus))
    nrows = -(-len(skus) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 6.2 * nrows), squeeze=False)
    for ax, sku in zip(axes.ravel(), skus, strict=False):
        plot_allocation(plan.allocation, sku, ax=ax)
    for ax in axes.ravel()[len(skus) :]:
        ax.set_visible(False)
    fig.tight_layout()
    allocation_png = folder / "allocation.png"
    fig.savefig(allocation_png, dpi=110)
    plt.close(fig)

    last_year = plan.sales["date"] > plan.sales["date"].max() - pd.Timedelta(days=365)
    fig = plot_forecast(
        plan.forecast,
        plan.sales[last_year],
        kinds=("holiday",),
        title="All stores: the last year of sales and the forecast through the season",
    )
    forecast_png = folder / "forecast.png"
    fig.savefig(forecast_png, dpi=110)
    plt.close(fig)
    fig = plot_surges(_sales(plan), plan.surges, market=str(plan.options.get("market", "CN")))
    surges_png = folder / "surges.png"
    fig.savefig(surges_png, dpi=110)
    plt.close(fig)
    return {
        "allocation by store": allocation_png,
        "forecast fan chart": forecast_png,
        "past surges and their calendar anchors": surges_png,
    }


def write_plan(
    plan: Plan, out_dir: str | os.PathLike[str], *, overwrite: bool = False
) -> dict[str, Path]:
    """Write the plan's folder, complete or not at all; return the files by what they hold.

    Every file is written into a staging folder beside ``out_dir`` that replaces it as a whole
    only when all are complete (:func:`~forecasting.plan.writers.staged_folder`): a failure, or an
    interrupted run, leaves ``out_dir`` as it was.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    out_dir : str or path-like
        The folder; created if missing. An existing non-empty folder is refused unless
        ``overwrite``.
    overwrite : bool, default False
        Replace an existing non-empty ``out_dir`` whole (none of its old files survives).

    Returns
    -------
    dict of str to pathlib.Path
        What each file holds, to its final path.

    Raises
    ------
    OutputExistsError
        ``out_dir`` is a non-empty folder and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> files = write_plan(plan, tempfile.mkdtemp())  # doctest: +SKIP
    >>> sorted(p.name for p in files.values())[:3]  # doctest: +SKIP
    ['allocation.csv', 'allocation.png', 'allocation.xlsx']
    """
    final = Path(out_dir)
    with staged_folder(final, overwrite=overwrite) as staging:
        files: dict[str, Path] = {}
        launch = export_launch_calendar(
            plan.launches,
            staging / "launch_calendar",
            _sales(plan),
            market=str(plan.options.get("market", "CN")),
        )
        labels = {
            ".csv": "launch calendar (CSV)",
            ".xlsx": "launch calendar (Excel, a sheet per wave)",
            ".ics": "launch calendar (iCalendar: one event per delivery)",
            ".png": "timeline",
        }
        for path in launch.values():
            target = staging / ("timeline.png" if path.suffix == ".png" else path.name)
            path.rename(target)
            files[labels.get(path.suffix, path.name)] = target
        (staging / "launch_calendar").rmdir()
        depth = plan.depth_blend.merge(
            plan.products_plan[["sku", "wave", "delivery_date", "shelf_start"]],
            on="sku",
            how="left",
        )
        files["first-batch depth per product"] = write_csv(depth, staging / "depth.csv")
        allocation = plan.allocation.merge(
            plan.products_plan[["sku", "wave", "delivery_date"]], on="sku", how="left"
        )
        files["allocation (one row per product and store)"] = write_csv(
            allocation, staging / "allocation.csv"
        )
        files["allocation (Excel: a sheet per delivery wave, a row per store)"] = write_excel(
            allocation_sheets(plan), staging / "allocation.xlsx"
        )
        files.update(_write_figures(plan, staging))
        summary = staging / "summary.md"
        files["this summary"] = summary
        write_text(plan_summary(plan, files), summary)
    return {what: final / path.name for what, path in files.items()}
