"""What an allocation is expected to do, and what its presentation minimums cost.

:func:`allocation_report` takes the result of :func:`forecasting.allocation.allocate` and returns an
:class:`AllocationReport` with three tables:

* ``stores``: per sku x store, expected sales ``E[min(D, x)]``, expected leftovers ``x - E[min(D,
  x)]``, expected lost sales ``mean - E[min(D, x)]`` and sell-through;
* ``products``: per sku, the totals, how many stores take part (the warehouse row is not a store),
  receive units and are at their cap; where the warehouse units come from (the holdback, units that
  do not fill a pack, and ``beyond_stores``: units the stores could not take because every store is
  at its cap or would not sell one more unit); the shadow price (probability of selling of the
  last unit placed by marginal analysis: what one more unit of stock would add) and what the
  minimums cost;
* ``minimums``: per store whose presentation minimum binds (the store would get fewer units without
  it; a minimum that the allocation meets anyway is not listed), what that minimum costs in
  expected sales elsewhere. It is measured exactly: the allocation is solved again without that one
  minimum (all else equal); ``sales_lost_elsewhere`` is what the other stores would have sold more,
  ``sales_gained_here`` what the store sells more thanks to it, and ``net_cost`` their difference
  (never negative).

Examples
--------
>>> import pandas as pd
>>> from forecasting.allocation.allocator import allocate
>>> demand = pd.DataFrame({"store": ["A", "B"], "mean": [8.0, 1.0]})
>>> plan = allocate(8, demand, pd.DataFrame({"store": ["A", "B"], "min_units": [0, 3]}))
>>> report = allocation_report(plan)
>>> report.minimums[["store", "minimum", "units_without_minimum"]].to_dict("list")
{'store': ['B'], 'minimum': [3], 'units_without_minimum': [1]}
>>> round(float(report.minimums["net_cost"].iat[0]), 3)
1.151
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.allocation.allocator import REASONS
from forecasting.allocation.solver import item_values, solve
from forecasting.depth.distributions import expected_sales
from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT

__all__ = ["AllocationReport", "allocation_report"]

_CHUNK = 2_000_000


@dataclass(frozen=True)
class AllocationReport:
    """The tables of :func:`allocation_report`: ``stores``, ``products`` and ``minimums``."""

    stores: pd.DataFrame
    products: pd.DataFrame
    minimums: pd.DataFrame

    def sheets(self) -> dict[str, pd.DataFrame]:
        """Return the tables by sheet name, for :func:`forecasting.plan.writers.write_excel`.

        Examples
        --------
        >>> import pandas as pd
        >>> empty = pd.DataFrame()
        >>> list(AllocationReport(empty, empty, empty).sheets())
        ['products', 'stores', 'minimums']
        """
        return {"products": self.products, "stores": self.stores, "minimums": self.minimums}


def _solve_sales(
    mean: np.ndarray,
    sd: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    n_items: np.ndarray,
    group: np.ndarray,
    rank: np.ndarray,
    p: int,
) -> tuple[np.ndarray, np.ndarray]:
    x = solve(mean, sd, lo, hi, n_items, group, rank, p)
    return np.asarray(expected_sales(mean, sd, x * p)), x


def allocation_report(allocation: pd.DataFrame) -> AllocationReport:
    """Expected sales, leftovers, shadow prices and the cost of the presentation minimums of a plan.

    Parameters
    ----------
    allocation : DataFrame
        The result of :func:`forecasting.allocation.allocate` (its ``attrs["allocation"]`` gives the
        pack size and the warehouse name).

    Returns
    -------
    AllocationReport
        ``stores``, ``products`` and ``minimums`` tables (see the module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from forecasting.allocation.allocator import allocate
    >>> plan = allocate(6, pd.DataFrame({"store": ["A", "B"], "mean": [4.0, 2.0]}))
    >>> products = allocation_report(plan).products
    >>> products[["sku", "quantity", "to_stores", "expected_sales"]].round(3)
           sku  quantity  to_stores  expected_sales
    0  product         6          6           4.677
    >>> capped = allocate(30, pd.DataFrame({"store": ["A", "B"], "mean": [20.0, 9.0]}),
    ...                   pd.DataFrame({"store": ["A", "B"], "max_units": [10, 10]}))
    >>> columns = ["stores", "stores_at_cap", "warehouse", "beyond_stores"]
    >>> allocation_report(capped).products[columns]
       stores  stores_at_cap  warehouse  beyond_stores
    0       2              2         10             10
    """
    need = {"sku", "store", "units", "mean", "sd", "minimum", "cap", "reason"}
    if not need <= set(allocation.columns):
        missing = ", ".join(sorted(need - set(allocation.columns)))
        raise DataValidationError(
            f"allocation: columns {missing} are missing. Fix: pass the table that "
            "allocate() returned."
        )
    options = allocation.attrs.get("allocation", {})
    p = int(options.get("pack_size", 1))
    warehouse = str(options.get("warehouse", "DC"))
    is_wh = (allocation["store"] == warehouse).to_numpy() & allocation["mean"].isna().to_numpy()
    st = allocation.loc[~is_wh].reset_index(drop=True)
    skus = pd.unique(allocation["sku"])
    group = pd.Categorical(st["sku"], categories=skus).codes.astype(np.int64)
    rank = np.searchsorted(np.sort(st["store"].unique()), st["store"].to_numpy()).astype(np.int64)
    order = np.lexsort((rank, group))
    st, group, rank = st.iloc[order].reset_index(drop=True), group[order], rank[order]
    mean, sd = st["mean"].to_numpy(float), st["sd"].to_numpy(float)
    units = st["units"].to_numpy(np.int64)
    x = units // p
    es = np.asarray(expected_sales(mean, sd, units))
    stores = st[["sku", "store", "units", "mean", "sd", "minimum", "cap"]].copy()
    stores["expected_sales"] = es
    stores["expected_leftover"] = units - es
    stores["expected_lost_sales"] = mean - es
    with np.errstate(invalid="ignore", divide="ignore"):
        stores["sell_through"] = np.where(units > 0, es / np.maximum(units, 1), np.nan)
    excluded = st["reason"].isin([REASONS["excluded"], REASONS["closed"]]).to_numpy()
    lo = np.where(excluded, 0, np.minimum(st["minimum"].to_numpy(np.int64) // p, x))
    n_groups = len(skus)
    n_items = np.bincount(group, weights=x, minlength=n_groups).astype(np.int64)
    cap = st["cap"].to_numpy(float)
    hi = np.where(
        excluded,
        0,
        np.where(np.isfinite(cap), np.floor(np.nan_to_num(cap) / p), lo + n_items[group]),
    ).astype(np.int64)
    hi = np.maximum(hi, x)
    # shadow price: per-unit value of the last marginal item
    greedy = np.flatnonzero(x > lo)
    shadow = np.full(n_groups, np.inf)
    if len(greedy):
        v = item_values(mean[greedy], sd[greedy], p)(np.arange(len(greedy)), x[greedy]) / p
        np.minimum.at(shadow, group[greedy], v)
    shadow = np.where(np.isinf(shadow), np.nan, shadow)
    minimums = _minimum_costs(st, mean, sd, lo, hi, x, n_items, group, rank, p, es)
    all_cost = _all_minimums_cost(mean, sd, lo, hi, n_items, group, rank, p, es, n_groups)
    wh_units = allocation.loc[is_wh].groupby("sku", sort=False)["units"].sum()
    by = stores.groupby("sku", sort=False)
    products = pd.DataFrame({"sku": skus})
    products["to_stores"] = by["units"].sum().reindex(skus).fillna(0).to_numpy(np.int64)
    products["warehouse"] = wh_units.reindex(skus).fillna(0).to_numpy(np.int64)
    products.insert(1, "quantity", products["to_stores"] + products["warehouse"])
    # the warehouse row is not a store: counts are over the store rows only
    # at the cap: not one more pack fits under it
    capped = np.isfinite(cap) & (cap > 0) & (units + p > np.nan_to_num(cap, nan=np.inf))
    counts = pd.DataFrame(
        {"sku": st["sku"], "stores": 1, "stores_with_units": units > 0, "stores_at_cap": capped}
    ).groupby("sku", sort=False)
    for col in ("stores", "stores_with_units", "stores_at_cap"):
        products[col] = counts[col].sum().reindex(skus).fillna(0).to_numpy(np.int64)
    holdback = float(options.get("holdback", 0.0))
    quantity = products["quantity"].to_numpy(np.int64)
    held = np.floor(quantity * holdback + 1e-9).astype(np.int64)
    odd = (quantity - held) % p
    products["holdback_units"] = held
    products["pack_remainder"] = odd
    products["beyond_stores"] = np.maximum(products["warehouse"].to_numpy(np.int64) - held - odd, 0)
    products["demand"] = by["mean"].sum().reindex(skus).to_numpy()
    for col in ("expected_sales", "expected_leftover", "expected_lost_sales"):
        products[col] = by[col].sum().reindex(skus).to_numpy()
    products["shadow_price"] = shadow
    cost = (
        minimums.groupby("sku", sort=False)["net_cost"].sum()
        if len(minimums)
        else pd.Series(dtype=float)
    )
    products["cost_of_each_minimum_summed"] = cost.reindex(skus).fillna(0.0).to_numpy()
    products["cost_of_all_minimums"] = all_cost
    stores = stores.merge(
        minimums[["sku", "store", "net_cost"]].rename(columns={"net_cost": "minimum_cost"}),
        on=["sku", "store"],
        how="left",
    )
    stores["minimum_cost"] = stores["minimum_cost"].fillna(0.0)
    return AllocationReport(stores=stores, products=products, minimums=minimums)


def _minimum_costs(
    st: pd.DataFrame,
    mean: np.ndarray,
    sd: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    x: np.ndarray,
    n_items: np.ndarray,
    group: np.ndarray,
    rank: np.ndarray,
    p: int,
    es: np.ndarray,
) -> pd.DataFrame:
    """Solve each product again without one binding minimum at a time."""
    columns = [
        "sku",
        "store",
        "minimum",
        "units",
        "units_without_minimum",
        "sales_gained_here",
        "sales_lost_elsewhere",
        "net_cost",
    ]
    binding = np.flatnonzero((lo > 0) & (x == lo))
    rows: list[pd.DataFrame] = []
    starts = np.searchsorted(group, np.arange(group.max() + 2 if len(group) else 1))
    sizes = np.diff(starts)
    pos = 0
    while pos < len(binding):
        batch = [binding[pos]]
        total = sizes[group[binding[pos]]]
        pos += 1
        while pos < len(binding) and total + sizes[group[binding[pos]]] <= _CHUNK:
            total += sizes[group[binding[pos]]]
            batch.append(binding[pos])
            pos += 1
        idx = np.concatenate([np.arange(starts[group[b]], starts[group[b] + 1]) for b in batch])
        scen = np.repeat(np.arange(len(batch)), [sizes[group[b]] for b in batch])
        lo_s = lo[idx].copy()
        lo_s[idx == np.repeat(batch, [sizes[group[b]] for b in batch])] = 0
        sales, xs = _solve_sales(
            mean[idx],
            sd[idx],
            lo_s,
            hi[idx],
            n_items[[group[b] for b in batch]],
            scen,
            rank[idx],
            p,
        )
        own = idx == np.repeat(batch, [sizes[group[b]] for b in batch])
        delta = sales - es[idx]
        gained = _clean(-delta[own])
        elsewhere = _clean(np.bincount(scen[~own], weights=delta[~own], minlength=len(batch)))
        b = np.array(batch)
        without = xs[own] * p
        units = st["units"].to_numpy(np.int64)[b]
        binds = without < units  # a minimum that the allocation meets anyway does not bind
        rows.append(
            pd.DataFrame(
                {
                    "sku": st["sku"].to_numpy()[b],
                    "store": st["store"].to_numpy()[b],
                    "minimum": st["minimum"].to_numpy(np.int64)[b],
                    "units": units,
                    "units_without_minimum": without,
                    "sales_gained_here": gained,
                    "sales_lost_elsewhere": elsewhere,
                    "net_cost": _clean(np.maximum(elsewhere - gained, 0.0)),
                }
            )[binds]
        )
    return (
        pd.concat(rows, ignore_index=True)
        if rows
        else pd.DataFrame(
            {c: pd.Series(dtype=TEXT if c in ("sku", "store") else "float64") for c in columns}
        )
    )


def _clean(values: np.ndarray) -> np.ndarray:
    """Round-off noise of re-solving (|x| < 1e-9, and -0.0) to an exact 0.0."""
    values = np.asarray(values, dtype="float64")
    return np.where(np.abs(values) < 1e-9, 0.0, values) + 0.0


def _all_minimums_cost(
    mean: np.ndarray,
    sd: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    n_items: np.ndarray,
    group: np.ndarray,
    rank: np.ndarray,
    p: int,
    es: np.ndarray,
    n_groups: int,
) -> np.ndarray:
    """Expected sales lost, per product, by all its minimums together."""
    if not (lo > 0).any():
        return np.zeros(n_groups)
    sales, _ = _solve_sales(mean, sd, np.zeros_like(lo), hi, n_items, group, rank, p)
    diff = np.bincount(group, weights=sales - es, minlength=n_groups)
    return _clean(np.maximum(diff, 0.0))
