"""Split each product's total demand over stores, by each store's share of comparable sales.

A store's share of a product is its sales *rate* (units per period it traded) in the product's
``category`` (all sales when the product or the history has no category), among the stores of the
product's ``region`` when the product names one. A store with little history is shrunk toward its
``grade``'s rate with ``prior_periods`` pseudo-periods (credibility weighting)::

    rate_s = (units_s + k * grade_rate) / (periods_s + k)

so a store that opened a month ago is mostly judged by its grade, and a new store (no history) gets
its grade's rate. The split of the standard deviation is consistent with the total: store demand is
the total thinned multinomially, ``var_s = share**2 * sd**2 + share * (1 - share) * mean``, so a
Poisson total gives Poisson stores and the stores' demands add up to the total's mean and variance.

Examples
--------
>>> import pandas as pd
>>> history = pd.DataFrame({"date": pd.to_datetime(["2012-01-06"] * 2 + ["2012-01-13"] * 2),
...                         "store": ["A", "B"] * 2, "units": [30.0, 10.0, 30.0, 10.0]})
>>> split = store_demand(pd.DataFrame({"sku": ["N1"], "mean": [100.0]}), history, prior_periods=0)
>>> split[["store", "mean", "share"]].to_dict("list")
{'store': ['A', 'B'], 'mean': [75.0, 25.0], 'share': [0.75, 0.25]}
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.frequency import require_calendar_periods
from forecasting.inputs.readers import (
    ProductsTable,
    SalesTable,
    StoresTable,
    as_products,
    as_sales,
    as_stores,
)
from forecasting.inputs.tables import finite_numbers, id_column, read_table
from forecasting.inputs.validation import check_required, check_unique, data_error

__all__ = ["store_demand"]

Source = str | os.PathLike[str] | pd.DataFrame
_ALL = "\x00all"
_PRIOR_DAYS = 91.0  # a quarter of trading, the default weight of the grade prior


def _read_totals(total_demand: Source) -> pd.DataFrame:
    raw = read_table(total_demand, name="total_demand")
    source = str(raw.attrs["source"])
    check_required(raw, ["sku", "mean"], source, "total demand")
    out = pd.DataFrame({"sku": id_column(raw, "sku", source)}, index=raw.index)
    out["mean"] = finite_numbers(
        raw, "mean", source, minimum=0.0, fix="give the expected units (>= 0)"
    )
    out["sd"] = (
        finite_numbers(raw, "sd", source, allow_blank=True, minimum=0.0)
        if "sd" in raw.columns
        else np.nan
    )
    for col in ("category", "region"):
        if col in raw.columns:
            out[col] = id_column(raw, col, source, required=False)
    check_unique(out, ["sku"], source, "give one row per sku")
    return out.reset_index(drop=True)


def _store_table(sales: pd.DataFrame, stores: StoresTable | Source | None) -> pd.DataFrame:
    """Stores to split over: ``store``, ``grade``, ``region`` (the stores table, or history's)."""
    if stores is None:
        table = pd.DataFrame({"store": np.sort(sales["store"].unique())})
        if "region" in sales.columns:
            table = table.merge(sales.groupby("store")["region"].first().reset_index(), on="store")
    else:
        table = as_stores(stores).frame
        if "close_date" in table.columns:
            closed = table["close_date"].notna() & (table["close_date"] <= sales["date"].max())
            table = table.loc[~closed]
    if "grade" not in table.columns:
        table = table.assign(grade=_ALL)
    table = table.assign(grade=table["grade"].fillna(_ALL).astype(TEXT))
    if "region" not in table.columns and "region" in sales.columns:
        table = table.merge(
            sales.groupby("store")["region"].first().reset_index(), on="store", how="left"
        )
    return table.reset_index(drop=True)


def _rates(
    sales: pd.DataFrame, table: pd.DataFrame, categories: list[str], k: float
) -> pd.DataFrame:
    """Shrunk sales rate per store x category key (``_ALL`` = every category)."""
    periods = sales.groupby("store")["date"].nunique()
    n = table["store"].map(periods).fillna(0.0).to_numpy(float)
    units = sales.assign(units=sales["units"].clip(lower=0.0))
    frames = []
    for cat in categories:
        part = units if cat == _ALL else units.loc[units["category"] == cat]
        u = table["store"].map(part.groupby("store")["units"].sum()).fillna(0.0).to_numpy(float)
        grade = table["grade"].to_numpy()
        known = n > 0
        pool_u = pd.Series(u[known]).groupby(grade[known]).sum()
        pool_n = pd.Series(n[known]).groupby(grade[known]).sum()
        overall = u[known].sum() / n[known].sum() if known.any() else 0.0
        grade_rate = pd.Series(grade).map(pool_u / pool_n).fillna(overall).to_numpy(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(n + k > 0, (u + k * grade_rate) / (n + k), grade_rate)
        frames.append(pd.DataFrame({"key": cat, "store": table["store"].to_numpy(), "rate": rate}))
    return pd.concat(frames, ignore_index=True)


def store_demand(
    total_demand: Source,
    history: SalesTable | Source,
    stores: StoresTable | Source | None = None,
    by: str = "store",
    *,
    products: ProductsTable | Source | None = None,
    prior_periods: float | None = None,
) -> pd.DataFrame:
    """Split each product's demand (mean and sd) over stores or regions by comparable sales shares.

    Parameters
    ----------
    total_demand : path or DataFrame
        ``sku``, ``mean``, optional ``sd`` (blank: Poisson), optional ``category`` and ``region``
        (e.g. the output of :func:`forecasting.depth.first_batch_depth`).
    history : SalesTable, path or DataFrame
        Sales (:func:`forecasting.inputs.validate_sales`) with ``store`` and, for category shares,
        ``category``.
    stores : StoresTable, path or DataFrame, optional
        The stores to split over (:func:`forecasting.inputs.validate_stores`) with ``grade`` (the
        shrinkage target) and ``region``; stores closed by the end of the history are left out; a
        store without history gets its grade's rate. Default: the stores in the history.
    by : {"store", "region"}, default "store"
        Split to stores, or to regions (the stores' shares summed).
    products : ProductsTable, path or DataFrame, optional
        Products table giving each sku's ``category`` when ``total_demand`` has none.
    prior_periods : float, optional
        Weight of the grade prior in history periods (default: 91 days' worth, 13 weeks of weekly
        data).

    Returns
    -------
    DataFrame
        ``sku``, ``store`` (or ``region``), ``mean``, ``sd`` (NaN where the total has none:
        Poisson), ``share``; sorted by sku then store. The means of a sku add up to its total.
        Split by store, a product with a ``region`` keeps the stores outside it with zero demand and
        a column ``exclude`` true, so that :func:`~forecasting.allocation.allocate` sends them
        nothing (and gives them no presentation minimum).

    Examples
    --------
    >>> import pandas as pd
    >>> history = pd.DataFrame({"date": pd.to_datetime(["2012-01-06", "2012-01-06", "2012-01-13"]),
    ...                         "store": ["A", "B", "A"], "units": [20.0, 20.0, 20.0]})
    >>> stores = pd.DataFrame({"store": ["A", "B", "C"], "grade": ["A", "A", "A"]})
    >>> total = pd.DataFrame({"sku": ["N1"], "mean": [90.0], "sd": [30.0]})
    >>> out = store_demand(total, history, stores,
    ...                    prior_periods=1)
    >>> out[["store", "mean"]].round(1).to_dict("list")
    {'store': ['A', 'B', 'C'], 'mean': [30.0, 30.0, 30.0]}
    """
    if by not in ("store", "region"):
        raise DataValidationError(
            f"by={by!r}: split by 'store' or 'region'. Fix: pass one of them."
        )
    totals = _read_totals(total_demand)
    history_table = as_sales(history)
    require_calendar_periods(history_table, "splitting demand over stores")
    sales = history_table.frame
    if "store" not in sales.columns:
        raise data_error(
            history_table.source,
            "store",
            "the history has no store column, so store shares cannot be measured",
            "give sales per store (a store column)",
        )
    if products is not None and "category" not in totals.columns:
        cats = as_products(products).frame.set_index("sku")["category"]
        totals["category"] = totals["sku"].map(cats)
    table = _store_table(sales, stores)
    if by == "region" and "region" not in table.columns:
        raise DataValidationError(
            "stores: splitting by region needs a region column in the stores table "
            "or the history. Fix: add it, or split by store."
        )
    days = 7.0 if history_table.freq.startswith("W") else 1.0
    k = _PRIOR_DAYS / days if prior_periods is None else float(prior_periods)
    has_cat = "category" in sales.columns and "category" in totals.columns
    known_cats = set(sales["category"].unique()) if has_cat else set()
    key = (
        totals["category"].where(totals["category"].isin(known_cats), _ALL)
        if has_cat
        else pd.Series(_ALL, index=totals.index)
    )
    totals["key"] = key.fillna(_ALL).astype(TEXT)
    rates = _rates(sales, table, sorted(set(totals["key"]) | {_ALL}), k)
    rates = rates.merge(table.drop(columns=["grade"]), on="store", how="left")
    totals = totals.rename(columns={"region": "product_region"})
    pairs = totals.merge(rates, on="key", how="left")
    outside = np.zeros(0, dtype=bool)
    if "product_region" in totals.columns and totals["product_region"].notna().any():
        wanted = totals["product_region"].notna().to_numpy()
        regions = set(table["region"].dropna()) if "region" in table.columns else set()
        bad = wanted & ~totals["product_region"].isin(regions).to_numpy()
        if bad.any():
            raise data_error(
                "total_demand",
                "region",
                "no store is in the product's region",
                "correct the region or leave it blank",
                totals.rename(columns={"product_region": "region"}),
                bad,
                show=["sku", "region"],
            )
        keep = (
            pairs["product_region"].isna().to_numpy()
            | (pairs["product_region"] == pairs["region"]).to_numpy()
        )
        if by == "store":
            # stores outside the product's region stay in the split, excluded: allocate() then
            # knows they do not carry it (rather than giving them their presentation minimums)
            outside = ~keep
        else:
            pairs = pairs.loc[keep]
    pairs = pairs.reset_index(drop=True)
    inside = ~outside if len(outside) == len(pairs) else np.ones(len(pairs), dtype=bool)
    pairs["rate"] = np.where(inside, pairs["rate"].to_numpy(float), 0.0)
    pairs["inside"] = inside.astype(float)
    rate_sum = pairs.groupby("sku")["rate"].transform("sum").to_numpy(float)
    count = pairs.groupby("sku")["inside"].transform("sum").to_numpy(float)
    rate = pairs["rate"].to_numpy(float)
    share = np.where(
        rate_sum > 0, rate / np.where(rate_sum > 0, rate_sum, 1.0), inside / np.maximum(count, 1.0)
    )
    pairs["share"] = share
    level = by
    if by == "region":
        pairs["region"] = pairs["region"].fillna("(no region)")
        pairs = pairs.groupby(["sku", "region"], as_index=False, sort=False).agg(
            share=("share", "sum"), mean_total=("mean", "first"), sd_total=("sd", "first")
        )
    else:
        pairs = pairs.rename(columns={"mean": "mean_total", "sd": "sd_total"})
    mu, sd, pi = (pairs[c].to_numpy(float) for c in ("mean_total", "sd_total", "share"))
    out = pd.DataFrame(
        {
            "sku": pairs["sku"].to_numpy(),
            level: pairs[level].astype(TEXT).to_numpy(),
            "mean": pi * mu,
        }
    )
    out["sd"] = np.sqrt(np.maximum(pi * pi * sd * sd + pi * (1.0 - pi) * mu, 0.0))
    out["share"] = pi
    if by == "store" and (~inside).any():
        out["exclude"] = ~inside
    out = out.sort_values(["sku", level], kind="stable").reset_index(drop=True)
    out.attrs = {"source": "store_demand", "prior_periods": k}
    return out
