"""The whole planning flow in one call: surges, forecast, launch calendar, depth, allocation.

:func:`make_plan` runs the steps a merchandise planner takes for a coming season and returns a
:class:`Plan` holding every intermediate table, so an analyst can inspect each decision;
:func:`forecasting.plan.write_plan` writes the folder a planner sends to the stores.

The flow
--------
1. **Validate** the four inputs once, together (:func:`forecasting.inputs.read_inputs`: stores
   without sales history are a warning, judgments of unknown skus or stores an error); every step
   below receives the validated tables and does not validate them again.
2. **Surges**: where sales rose fast in past years, tied to the solar terms and holidays
   (:func:`~forecasting.timing.detect_surges`).
3. **Forecast** each store's sales through the season
   (:class:`~forecasting.models.DemandForecaster`).
4. **Launch calendar**: one unified delivery day per wave
   (:func:`~forecasting.timing.recommend_launches`).
5. **Demand of each new product** over the first batch's horizon: the judgments of planners and
   sales staff, calibrated (:func:`~forecasting.depth.combine_judgments`), blended with a data
   estimate: an analog forecast when past launches are given
   (:class:`~forecasting.depth.NewProductForecaster`), otherwise top-down, the stores' forecast
   of the product's window times its ``plan_share`` (:func:`~forecasting.depth.top_down_demand`).
   Each side's weight follows its uncertainty (``judge_weight`` in ``demand`` and ``depth.csv``).
6. **Depth**: the newsvendor quantity from price, cost and salvage value, never below the sum of
   the presentation minimums (:func:`~forecasting.depth.first_batch_depth`).
7. **Allocation**: each product's depth over the stores, by the forecast share of each store in
   the weeks the product will sell (:func:`~forecasting.allocation.store_demand`,
   :func:`~forecasting.allocation.allocate`).

Products are matched to the waves of the calendar by :func:`forecasting.timing.assign_waves`.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pandas as pd

from forecasting.allocation.allocator import allocate, check_allocation_options
from forecasting.allocation.report import AllocationReport, allocation_report
from forecasting.allocation.store_demand import store_demand
from forecasting.depth.first_batch import first_batch_depth
from forecasting.depth.judgments import combine_judgments
from forecasting.depth.newproducts import NewProductForecaster
from forecasting.depth.topdown import DEFAULT_SHARE_CV, forecast_window, top_down_demand
from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.crosscheck import check_launch_dates
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.readers import (
    SALES_COLUMNS,
    Inputs,
    JudgmentsTable,
    ProductsTable,
    SalesTable,
    StoresTable,
    read_inputs,
)
from forecasting.inputs.tables import Source
from forecasting.inputs.validation import check_required, data_error, data_warning, strict_warnings
from forecasting.models import DemandForecaster
from forecasting.models.base import MODELS
from forecasting.timing.launch import recommend_launches
from forecasting.timing.rules import check_lead_days, planning_date, weekday_number
from forecasting.timing.surges import detect_surges, surge_profile
from forecasting.timing.waves import assign_waves

__all__ = ["BLEND_COLUMNS", "Plan", "make_plan"]

BLEND_COLUMNS = (
    "judge_mean",
    "judge_sd",
    "model_mean",
    "model_sd",
    "model_basis",
    "judge_weight",
)
"""The columns of ``plan.demand`` that show the blend behind each product's demand: the judges'
estimate, the data estimate (analogs or top-down) with how it was made, and the judges' weight."""

_Table = TypeVar("_Table")


@dataclass
class Plan:
    """Everything :func:`make_plan` decided, step by step.

    Attributes
    ----------
    inputs : Inputs
        The validated tables (:class:`~forecasting.inputs.SalesTable` and its siblings), to pass
        to other functions without validating them again; ``inputs.sales.freq`` is the frequency
        of the sales; ``inputs.judgments`` is ``None`` when no judgments were given.
    sales, stores, products, judgments : pandas.DataFrame
        The frames of those tables (``judgments`` empty when none were given).
    season : tuple of pandas.Timestamp
        First and last day of the season planned.
    as_of : pandas.Timestamp
        The planning date: no delivery before it; only sales before it were learned from.
    surges, profile : pandas.DataFrame
        Past surges and their profile per anchor.
    forecast : pandas.DataFrame
        Store forecasts through the season end (``store, date, mean, p10, p50, p90``).
    launches : pandas.DataFrame
        The launch calendar, one row per wave.
    products_plan : pandas.DataFrame
        Each product with its wave, delivery date and demand window.
    demand : pandas.DataFrame
        Demand of each product over the first batch's horizon: ``sku, mean, sd`` and the blend
        (:func:`~forecasting.depth.combine_judgments`): the judges' ``judge_mean, judge_sd``, the
        data estimate ``model_mean, model_sd`` with ``model_basis`` (analogs or top-down), and
        ``judge_weight``.
    depth : pandas.DataFrame
        First-batch depth of each product.
    store_demand : pandas.DataFrame
        Each product's demand split over stores.
    allocation : pandas.DataFrame
        Units of each product per store plus the warehouse row.
    report : AllocationReport
        Expected sales, leftovers and the cost of the presentation minimums.
    horizon_weeks : int
        Weeks the first batch covers.
    """

    inputs: Inputs
    season: tuple[pd.Timestamp, pd.Timestamp]
    as_of: pd.Timestamp
    surges: pd.DataFrame
    profile: pd.DataFrame
    forecast: pd.DataFrame
    launches: pd.DataFrame
    products_plan: pd.DataFrame
    demand: pd.DataFrame
    depth: pd.DataFrame
    store_demand: pd.DataFrame
    allocation: pd.DataFrame
    report: AllocationReport
    horizon_weeks: int
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def sales(self) -> pd.DataFrame:
        """The validated sales."""
        return _required(self.inputs.sales, "sales").frame

    @property
    def stores(self) -> pd.DataFrame:
        """The validated stores."""
        return _required(self.inputs.stores, "stores").frame

    @property
    def products(self) -> pd.DataFrame:
        """The validated new products."""
        return _required(self.inputs.products, "products").frame

    @property
    def judgments(self) -> pd.DataFrame:
        """The validated judgments (empty when none were given)."""
        return (self.inputs.judgments or _no_judgments()).frame

    def _overview(self) -> tuple[str, list[tuple[str, str, str, str]]]:
        """The headline and one (wave, delivery, SKUs, units) row per wave, for the reprs."""
        start, end = self.season
        depth = self.depth.set_index("sku")["depth"] if len(self.depth) else pd.Series()
        n_stores = int(self.stores["store"].nunique()) if self.inputs.stores is not None else 0
        head = (
            f"Plan for {start:%Y-%m-%d}..{end:%Y-%m-%d} as of {self.as_of:%Y-%m-%d}: "
            f"{len(self.launches)} wave{'' if len(self.launches) == 1 else 's'}, "
            f"{len(self.depth)} product{'' if len(self.depth) == 1 else 's'}, "
            f"{n_stores} store{'' if n_stores == 1 else 's'}, first batch "
            f"{int(depth.sum()):,} units ({self.options.get('model', '?')} forecasts, "
            f"{self.horizon_weeks} weeks)"
        )
        rows = []
        for _, wave in self.launches.iterrows():
            mine = self.products_plan.loc[self.products_plan["wave"] == wave["wave"], "sku"]
            skus = ", ".join(mine.astype(str)) or "-"
            units = int(depth.reindex(mine).fillna(0).sum()) if len(mine) else 0
            day = pd.Timestamp(wave["delivery_date"])
            late = " (late)" if bool(wave.get("late", False)) else ""
            rows.append((str(wave["wave"]), f"{day:%a %Y-%m-%d}{late}", skus, f"{units:,}"))
        return head, rows

    def __repr__(self) -> str:
        """A few lines: the season, each wave with its delivery day and SKUs, the first batch.

        Examples
        --------
        >>> from forecasting import load_demo, make_plan
        >>> demo = load_demo()
        >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
        ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
        >>> print(repr(plan).splitlines()[0])  # doctest: +NORMALIZE_WHITESPACE
        Plan for 2012-01-01..2012-12-31 as of 2012-01-01: 4 waves, 8 products, 25 stores, first
        batch 45,304 units (seasonal_naive forecasts, 8 weeks)
        >>> len(repr(plan).splitlines()) < 10
        True
        """
        head, rows = self._overview()
        lines = [head]
        for wave, day, skus, units in rows:
            what = f"{units} units of {skus}" if skus != "-" else "no products"
            lines.append(f"  {wave}: deliver {day}, {what}")
        lines.append(
            "  tables: launches, products_plan, demand, depth, allocation, report, forecast, "
            "surges; write_plan(plan, folder) writes the folder"
        )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """The same overview as :meth:`__repr__`, as a small HTML table for Jupyter."""
        head, rows = self._overview()
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in rows
        )
        return (
            f"<p><b>{html.escape(head)}</b></p><table><thead><tr><th>wave</th><th>delivery</th>"
            f"<th>SKUs</th><th>units</th></tr></thead><tbody>{body}</tbody></table>"
            "<p>Tables: <code>launches</code>, <code>products_plan</code>, <code>demand</code>, "
            "<code>depth</code>, <code>allocation</code>, <code>report</code>, "
            "<code>forecast</code>, <code>surges</code>.</p>"
        )

    @property
    def depth_blend(self) -> pd.DataFrame:
        """``depth`` with the blend behind each demand: ``sku``, :data:`BLEND_COLUMNS`, then the
        columns of ``depth`` (what ``depth.csv``, the summary and the console show)."""
        out = self.depth.merge(self.demand[["sku", *BLEND_COLUMNS]], on="sku", how="left")
        return out[["sku", *BLEND_COLUMNS, *[c for c in self.depth.columns if c != "sku"]]]


def _no_judgments() -> JudgmentsTable:
    return JudgmentsTable(
        frame=pd.DataFrame(
            {
                "sku": pd.Series(dtype=TEXT),
                "forecaster": pd.Series(dtype=TEXT),
                "units": pd.Series(dtype="float64"),
            }
        )
    )


def _window_forecast(
    forecast: pd.DataFrame, start: pd.Timestamp, weeks: int, category: str | None, freq: str
) -> SalesTable:
    """The stores' forecast over a product's selling weeks, as sales to measure shares on."""
    window = forecast_window(forecast, start, weeks)
    out = window[["date", "store"]].copy()
    out["units"] = window["mean"].to_numpy(dtype="float64")
    if category is not None:
        out["category"] = category
    out = out.sort_values(["store", "date"], kind="stable").reset_index(drop=True)
    frame = out[[c for c in SALES_COLUMNS if c in out.columns]]
    return SalesTable(frame=frame, freq=freq, keys=("store",), source="forecast")


def _check_options(
    *,
    lead_days: int,
    delivery_weekday: str | int,
    model: str,
    pack_size: int,
    holdback: float,
    plan_share_cv: float = DEFAULT_SHARE_CV,
) -> None:
    """Stop on a bad option at once, not after minutes of forecasting."""
    weekday_number(delivery_weekday)
    if not float(plan_share_cv) >= 0:
        raise DataValidationError(
            f"{option('plan_share_cv', plan_share_cv)}: must be >= 0 (a coefficient of "
            f"variation). Fix: pass e.g. {option('plan_share_cv', DEFAULT_SHARE_CV)}."
        )
    check_lead_days(lead_days)
    if model not in MODELS:
        raise DataValidationError(
            f"{option('model', model)}: unknown store forecaster. Fix: use one of "
            f"{', '.join(MODELS)}."
        )
    check_allocation_options(pack_size, holdback)


def _required(table: _Table | None, name: str) -> _Table:
    if table is None:
        raise DataValidationError(
            f"{name}: no table was given. Fix: pass the {name} table (a file path or a DataFrame)."
        )
    return table


def make_plan(
    sales: SalesTable | Source,
    stores: StoresTable | Source,
    products: ProductsTable | Source,
    judgments: JudgmentsTable | Source | None = None,
    *,
    season: tuple[object, object],
    lead_days: int = 7,
    delivery_weekday: str | int = "MON",
    shelf_days: int = 3,
    horizon_weeks: int | None = None,
    market: str = "CN",
    model: str = "prophet",
    history_products: ProductsTable | Source | None = None,
    history_sales: SalesTable | Source | None = None,
    plan_share_cv: float = DEFAULT_SHARE_CV,
    pack_size: int = 1,
    holdback: float = 0.0,
    soft_minimums: bool = False,
    as_of: object = None,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Plan a season: launch calendar, first-batch depth of each new product, allocation to stores.

    The four tables are validated once, together (:func:`~forecasting.inputs.read_inputs`); tables
    given already validated (e.g. by ``read_inputs`` itself) are used as they are. Every step
    receives the validated tables and does not validate them again.

    Parameters
    ----------
    sales : path, pandas.DataFrame or SalesTable
        Past sales per store (at least one full year; daily or weekly).
    stores : path, pandas.DataFrame or StoresTable
        The stores, with ``grade``, ``strategic``, ``min_units``, ``max_units`` where known.
    products : path, pandas.DataFrame or ProductsTable
        The new products: ``sku``, ``category``, ``price``, ``unit_cost``, ``salvage_value`` and a
        ``launch_wave`` or ``launch_date``.
    judgments : path, pandas.DataFrame or JudgmentsTable, optional
        Estimates of planners and sales staff (``sku, forecaster, units, horizon_weeks``).
    season : (start, end)
        The season to plan: waves whose expected onset falls in it.
    lead_days, delivery_weekday, shelf_days : see :func:`~forecasting.timing.recommend_launches`.
    horizon_weeks : int, optional
        Weeks the first batch must cover (default: the judgments' horizon, else 8).
    market : str, default "CN"
        Calendar market.
    model : str, default "prophet"
        Store forecaster (:class:`~forecasting.models.DemandForecaster`).
    history_products, history_sales : path, pandas.DataFrame or validated table, optional
        Past launches and their weekly sales: when given, an analog forecast of each new product is
        the data estimate blended with the judgments. Without them the data estimate is top-down:
        the stores' forecast over the product's first ``horizon_weeks`` on shelf times its
        ``plan_share`` (a column of ``products``: the assortment plan's share of the brand's sales
        in the style's launch window), see :func:`~forecasting.depth.top_down_demand`; a product
        without a ``plan_share`` rests on its judgments alone (with a warning).
    plan_share_cv : float, default 0.5
        How far a ``plan_share`` may be off, as a coefficient of variation (0.5: often off by
        half); with the forecast's own uncertainty it sets the top-down estimate's sd, and so the
        judges' weight.
    pack_size, holdback, soft_minimums : see :func:`~forecasting.allocation.allocate`.
    as_of : date-like, optional
        The planning date (default: the day after the last sales date). Only sales before it are
        learned from; no delivery is recommended before it (a wave whose best delivery day has
        passed is marked late and delivered on the first feasible day; the reason says so); a
        product's own ``launch_date`` must be in the season and not before it.
    strict : bool, default False
        Stop at the first :class:`~forecasting.inputs.DataQualityWarning` (stores that sold but
        are not in the stores table, stores without history, depths capped by the stores' caps,
        ...), raised as a :class:`DataValidationError`, instead of planning on.
    progress : callable, optional
        Called with the name of each step as it starts.

    Returns
    -------
    Plan
        Every table of the flow.

    Raises
    ------
    DataValidationError
        Bad input, tables that disagree (:mod:`forecasting.inputs.crosscheck`), a product with
        neither judgments nor a data estimate (analogs or a ``plan_share``); with ``strict``, any
        data-quality warning.

    Examples
    --------
    >>> from forecasting import load_demo
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> sent = plan.allocation.groupby("sku")["units"].sum()
    >>> int((sent - plan.depth.set_index("sku")["depth"]).abs().max())
    0
    """
    with strict_warnings(strict):
        return _make_plan(
            sales,
            stores,
            products,
            judgments,
            season=season,
            lead_days=lead_days,
            delivery_weekday=delivery_weekday,
            shelf_days=shelf_days,
            horizon_weeks=horizon_weeks,
            market=market,
            model=model,
            history_products=history_products,
            history_sales=history_sales,
            plan_share_cv=plan_share_cv,
            pack_size=pack_size,
            holdback=holdback,
            soft_minimums=soft_minimums,
            as_of=as_of,
            progress=progress,
        )


def _make_plan(
    sales: SalesTable | Source,
    stores: StoresTable | Source,
    products: ProductsTable | Source,
    judgments: JudgmentsTable | Source | None,
    *,
    season: tuple[object, object],
    lead_days: int,
    delivery_weekday: str | int,
    shelf_days: int,
    horizon_weeks: int | None,
    market: str,
    model: str,
    history_products: ProductsTable | Source | None,
    history_sales: SalesTable | Source | None,
    plan_share_cv: float,
    pack_size: int,
    holdback: float,
    soft_minimums: bool,
    as_of: object,
    progress: Callable[[str], None] | None,
) -> Plan:
    say = progress or (lambda step: None)
    say("validate")
    _check_options(
        lead_days=lead_days,
        delivery_weekday=delivery_weekday,
        model=model,
        pack_size=pack_size,
        holdback=holdback,
        plan_share_cv=plan_share_cv,
    )
    inputs = read_inputs(sales=sales, stores=stores, products=products, judgments=judgments)
    sales_t = _required(inputs.sales, "sales")
    stores_t = _required(inputs.stores, "stores")
    products_t = _required(inputs.products, "products")
    judgments_t = inputs.judgments or _no_judgments()
    sales_df, products_df, judgments_df = sales_t.frame, products_t.frame, judgments_t.frame
    label = products_t.source
    check_required(products_df, ["price", "unit_cost"], label, "products")
    for column in ("price", "unit_cost"):
        missing = products_df[column].isna()
        if missing.any():
            raise data_error(
                label,
                column,
                f"{int(missing.sum())} product(s) have no {column}",
                f"fill in {column} for every new product (the depth weighs margin against "
                "leftovers)",
                products_df,
                missing,
                ["sku", column],
            )
    has_history = history_products is not None and history_sales is not None
    has_shares = "plan_share" in products_df.columns and products_df["plan_share"].notna().any()
    if judgments_df.empty and not has_history and not has_shares:
        raise DataValidationError(
            "judgments: no judgments, no past launches and no plan_share were given, so the "
            "demand of the new products is unknown. Fix: pass judgments (sku, forecaster, units), "
            "history_products and history_sales, or a plan_share column in the products."
        )
    start, end = pd.Timestamp(season[0]), pd.Timestamp(season[1])  # type: ignore[arg-type]
    if end < start:
        raise DataValidationError(
            f"season: {start:%Y-%m-%d}..{end:%Y-%m-%d} ends before it starts. Fix: give "
            "(start, end)."
        )
    planning = planning_date(sales_t, as_of)
    if end < planning:
        raise DataValidationError(
            f"season: {start:%Y-%m-%d}..{end:%Y-%m-%d} is over by the planning date "
            f"{planning:%Y-%m-%d}. Fix: plan a season that ends after the planning date."
        )
    if sales_df["date"].max() >= planning:  # plan as of an earlier day: learn from before it
        sales_t = sales_t.until(planning - pd.Timedelta(days=1))
        sales_df = sales_t.frame
    check_launch_dates(products_t, (start, end), planning)
    if horizon_weeks is None:
        if "horizon_weeks" in judgments_df.columns and judgments_df["horizon_weeks"].notna().any():
            horizon_weeks = int(judgments_df["horizon_weeks"].max())
        else:
            horizon_weeks = 8

    say("surges")
    surges = detect_surges(sales_t, market=market)
    profile = surge_profile(surges)

    say("forecast")
    last = sales_df["date"].max()
    days = int((end + pd.Timedelta(weeks=horizon_weeks) - last).days)
    freq = sales_t.freq
    horizon = max(1, days if freq == "D" else -(-days // 7))
    forecaster = DemandForecaster(model=model, market=market)
    forecast = forecaster.fit(sales_t, by=["store"]).predict(horizon)

    say("launch calendar")
    launches = recommend_launches(
        sales_t,
        start,
        end,
        lead_days=lead_days,
        delivery_weekday=delivery_weekday,
        shelf_days=shelf_days,
        market=market,
        surges=surges,
        forecast=forecast.groupby("date")["mean"].sum().reset_index(),
        as_of=planning,
    )
    if launches.empty:
        raise DataValidationError(
            f"sales: no surge of past years is expected between {start:%Y-%m-%d} and "
            f"{end:%Y-%m-%d}. Fix: widen the season or give more years of history."
        )
    waves = assign_waves(products_df, launches)
    products_plan = products_df.merge(waves, on="sku", how="left")
    late = products_plan[products_plan["wave"].isin(launches.loc[launches["late"], "wave"])]
    if len(late):
        each = ", ".join(
            f"{sku!r} ({wave}, delivered {day:%Y-%m-%d})"
            for sku, wave, day in zip(late["sku"], late["wave"], late["delivery_date"], strict=True)
        )
        data_warning(
            label,
            "launch_wave" if "launch_wave" in products_df.columns else "wave",
            f"{len(late)} product(s) go on a wave whose best delivery day is before the planning "
            f"date {planning:%Y-%m-%d}, so they are delivered on the first feasible day: {each}",
            "keep it if that is intended, or move them to a later wave",
            stacklevel=3,
        )
    if "launch_date" not in products_plan.columns or products_plan["launch_date"].isna().all():
        products_plan["launch_date"] = products_plan["shelf_start"]
    planned = ProductsTable(frame=products_plan, source=products_t.source)

    say("demand")
    if history_products is not None and history_sales is not None:
        npf = NewProductForecaster(horizon_weeks=max(12, horizon_weeks))
        npf.fit(history_sales, products=history_products)
        model_forecast = npf.predict(planned)
        model_forecast["basis"] = "analogs: " + model_forecast["basis"].astype(str)
    else:
        model_forecast = top_down_demand(
            forecast, planned, horizon_weeks, plan_share_cv=plan_share_cv
        )
    demand = combine_judgments(
        judgments_t, model_forecast=model_forecast, horizon_weeks=horizon_weeks
    )
    unknown = ~products_df["sku"].astype(str).isin(demand["sku"])
    if unknown.any():
        raise data_error(
            label,
            "plan_share",
            f"{int(unknown.sum())} product(s) have neither judgments nor a data estimate, so "
            "their demand is unknown",
            "give them judgments (sku, forecaster, units), a plan_share, or past launches "
            "(history_products and history_sales)",
            products_df,
            unknown.to_numpy(),
            ["sku"],
        )

    say("depth")
    depth = first_batch_depth(
        demand, planned, stores_t, horizon_weeks=horizon_weeks, holdback=holdback
    )
    capped = depth[depth["capped_units"] > 0]
    if len(capped):
        each = ", ".join(
            f"{sku!r} (asks {int(d + c):,}, the stores take {int(d):,})"
            for sku, d, c in zip(
                capped["sku"], capped["depth"], capped["capped_units"], strict=True
            )
        )
        data_warning(
            stores_t.source,
            "max_units",
            f"the stores' caps hold the first batch of {len(capped)} product(s) below the depth "
            f"their demand asks for, {int(capped['capped_units'].sum()):,} units fewer: {each}",
            "raise max_units if the stores can take more; the plan ships what they can take",
            stacklevel=3,
        )

    say("allocation")
    splits = []
    for _, product in products_plan.iterrows():
        window = _window_forecast(
            forecast, product["shelf_start"], horizon_weeks, product.get("category"), freq
        )
        total = depth.loc[depth["sku"] == product["sku"], ["sku", "mean", "sd"]]
        splits.append(store_demand(total, window, stores_t, products=products_t))
    per_store = pd.concat(splits, ignore_index=True)
    quantity = depth[["sku", "depth"]].rename(columns={"depth": "units"})
    allocation = allocate(
        quantity,
        per_store,
        stores_t,
        pack_size=pack_size,
        holdback=holdback,
        soft_minimums=soft_minimums,
    )
    report = allocation_report(allocation)
    return Plan(
        inputs=Inputs(
            sales=sales_t, stores=stores_t, products=products_t, judgments=inputs.judgments
        ),
        season=(start, end),
        as_of=planning,
        surges=surges,
        profile=profile,
        forecast=forecast,
        launches=launches,
        products_plan=products_plan,
        demand=demand,
        depth=depth,
        store_demand=per_store,
        allocation=allocation,
        report=report,
        horizon_weeks=horizon_weeks,
        options={
            "lead_days": lead_days,
            "delivery_weekday": delivery_weekday,
            "shelf_days": shelf_days,
            "market": market,
            "model": model,
            "plan_share_cv": plan_share_cv,
            "pack_size": pack_size,
            "holdback": holdback,
            "soft_minimums": soft_minimums,
        },
    )
