"""First distribution of new products over stores: where will each unit most likely sell?

:func:`allocate` splits a given stock of each product over the stores so as to maximise expected
units sold, ``sum_s E[min(D_s, x_s)]``, where store demand ``D_s`` is negative binomial from its
mean and standard deviation (Poisson when ``sd`` is missing or ``sd**2 <= mean``). Marginal analysis
(each unit, or pack, goes to the store whose next one has the highest probability of selling) is
exactly optimal for this separable concave problem; :mod:`forecasting.allocation.solver` does it for
thousands of stores and hundreds of products at once.

This is *distribution* (the first listing of a new product). Keeping continuing products in stock is
:func:`forecasting.allocation.replenish`, a separate job.

Rules
-----
- Order of service: the holdback share stays at the warehouse; presentation minimums (``min_units``)
  are given first; the rest goes by marginal analysis up to each store's cap (``max_units``).
- Hard minimums (default) that the stock cannot cover raise
  :class:`~forecasting.exceptions.AllocationError`. With ``soft_minimums=True`` minimums are kept
  while stock allows, stores in ``grade`` order (then store id); the store where stock runs out gets
  what is left.
- ``pack_size``: store quantities are whole packs (minimums round up to a pack, caps down); units
  that do not fill a pack stay on the warehouse row.
- Exclusions: a store without a demand row for the product, with ``exclude`` true in the demand, or
  with ``max_units`` 0 gets nothing.
- Every unit is accounted for: per product the store rows and the warehouse row sum to the quantity.
  Raising the quantity never takes units away from a store (the result is a prefix of one fixed
  order of all units: value, then store id, then unit number). Ties go to the lower store id.

Examples
--------
>>> import pandas as pd
>>> demand = pd.DataFrame({"store": ["A", "B", "C"], "mean": [10.0, 5.0, 1.0],
...                        "sd": [4.0, None, None]})
>>> plan = allocate(14, demand)
>>> plan[["store", "units"]].to_dict("list")
{'store': ['A', 'B', 'C', 'DC'], 'units': [9, 4, 1, 0]}
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from forecasting.allocation.solver import item_values, solve
from forecasting.allocation.tables import read_constraints, read_demand, read_quantity
from forecasting.depth.distributions import sell_probability
from forecasting.exceptions import AllocationError
from forecasting.inputs.readers import StoresTable

__all__ = ["allocate"]

Source = str | os.PathLike[str] | pd.DataFrame
_COLUMNS = [
    "sku",
    "store",
    "units",
    "mean",
    "sd",
    "minimum",
    "cap",
    "last_unit_sell_probability",
    "next_unit_sell_probability",
    "reason",
]
REASONS = {
    "excluded": "excluded: the store does not carry the product",
    "soft_cut": "soft minimum cut: stock ran out (grade order)",
    "minimum": "held at its presentation minimum",
    "cap": "cap reached",
    "marginal": "marginal analysis: its last unit beats the next unit of any other store",
    "none": "no unit: other stores sell the stock more likely",
    "min_first": "no unit: the stock went to presentation minimums",
}


def _check_options(pack_size: int, holdback: float, warehouse: str) -> None:
    if isinstance(pack_size, bool) or not isinstance(pack_size, (int, np.integer)) or pack_size < 1:
        raise AllocationError(
            f"pack_size={pack_size!r}: must be a whole number of units, 1 or more. "
            "Fix: pass e.g. pack_size=6 for packs of six, or 1 for single units."
        )
    if not (0.0 <= float(holdback) < 1.0):
        raise AllocationError(
            f"holdback={holdback!r}: must be a share in [0, 1). "
            "Fix: pass e.g. holdback=0.2 to keep 20 % at the warehouse."
        )
    if not isinstance(warehouse, str) or not warehouse.strip():
        raise AllocationError("warehouse: give the name of the warehouse row, e.g. 'DC'.")


def _pairs(
    quantity: pd.DataFrame, demand: pd.DataFrame, cons: pd.DataFrame, warehouse: str
) -> pd.DataFrame:
    """One row per (sku, store) that could receive the product, sorted by sku then store id."""
    if "sku" in demand.columns:
        missing = sorted(set(quantity["sku"]) - set(demand["sku"].unique()))
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            raise AllocationError(
                f"demand: no store demand for {len(missing)} sku(s) of the quantity: {shown}. "
                "Fix: add their store demand (store_demand() splits a total) or drop them."
            )
        pairs = quantity[["sku"]].merge(demand, on="sku", how="inner", sort=False)
    else:
        pairs = quantity[["sku"]].merge(demand, how="cross")
    clash = pairs["store"] == warehouse
    if clash.any():
        raise AllocationError(
            f"demand: a store is named {warehouse!r}, like the warehouse row. "
            "Fix: pass another warehouse= name."
        )
    pairs = pairs.merge(cons, on="store", how="left", sort=False)
    pairs["min_units"] = pairs["min_units"].fillna(0.0)
    pairs["max_units"] = pairs["max_units"].fillna(np.inf)
    pairs["grade_key"] = pairs["grade_key"].fillna(np.iinfo(np.int32).max).astype(np.int64)
    pairs["group"] = pd.Categorical(pairs["sku"], categories=quantity["sku"]).codes.astype(np.int64)
    pairs["rank"] = pd.factorize(pairs["store"], sort=True)[0].astype(np.int64)
    return pairs.sort_values(["group", "rank"], kind="stable").reset_index(drop=True)


def _least_quantity(need_units: int, holdback: float, p: int) -> int:
    """The smallest stock whose share for the stores (after holdback, in whole packs) covers
    ``need_units``."""
    q = max(int(np.ceil(need_units / (1.0 - holdback))) - 2, 0)
    while (q - int(np.floor(q * holdback + 1e-9))) // p * p < need_units:
        q += 1
    return q


def _missing_message(
    quantity: pd.DataFrame,
    need: np.ndarray,
    n_units: np.ndarray,
    held: np.ndarray,
    short: np.ndarray,
    holdback: float,
    p: int,
) -> str:
    parts = []
    for g in np.flatnonzero(short)[:5]:
        least = _least_quantity(int(need[g]), holdback, p)
        parts.append(
            f"{quantity['sku'].iat[g]!r} needs {int(need[g])} units for its minimums but "
            f"{int(n_units[g])} can go to stores ({int(held[g])} held back): "
            f"{int(need[g] - n_units[g])} units missing (a quantity of at least {least} covers"
            " them)"
        )
    more = f" and {int(short.sum()) - 5} more skus" if short.sum() > 5 else ""
    return (
        "hard presentation minimums cannot all be met: " + "; ".join(parts) + more + ". Fix: raise "
        "the quantity, lower the holdback, lower min_units in the stores table, or pass "
        "soft_minimums=True (--soft-minimums) to keep minimums while stock allows."
    )


def allocate(
    quantity: int | Source,
    demand: Source,
    stores: StoresTable | Source | None = None,
    pack_size: int = 1,
    holdback: float = 0.0,
    warehouse: str = "DC",
    soft_minimums: bool = False,
) -> pd.DataFrame:
    """Distribute the stock of each product over stores to maximise expected units sold.

    Parameters
    ----------
    quantity : int or path or DataFrame
        Stock of one product (int), or a table ``sku``, ``units``.
    demand : path or DataFrame
        Store demand: ``store``, ``mean``, optional ``sd`` (blank: Poisson), optional ``sku``
        (without it the same store demand applies to every product), optional ``exclude``. See
        :func:`store_demand`.
    stores : StoresTable, path or DataFrame, optional
        The stores table (:func:`forecasting.inputs.validate_stores`): ``min_units``,
        ``max_units``, ``grade``.
    pack_size : int, default 1
        Store quantities are multiples of it; units that do not fill a pack stay at the warehouse.
    holdback : float, default 0.0
        Share of each product's stock kept at the warehouse for replenishment (rounded down to
        units).
    warehouse : str, default "DC"
        The ``store`` label of the warehouse row.
    soft_minimums : bool, default False
        Keep presentation minimums only while stock allows (in ``grade`` order) instead of raising.

    Returns
    -------
    DataFrame
        One row per sku x store plus a warehouse row per sku: ``sku``, ``store``, ``units`` (int),
        ``mean``, ``sd``, ``minimum`` (units after pack rounding), ``cap`` (NaN: none),
        ``last_unit_sell_probability`` (P(D >= units)), ``next_unit_sell_probability`` (P(D >= units
        + 1)), ``reason``. ``attrs["allocation"]`` holds the options and ``attrs["shadow_price"]``
        the per-sku probability of selling of the last unit placed by marginal analysis.

    Raises
    ------
    AllocationError
        Hard minimums exceed the stock (the message says how many units are missing and the options
        that resolve it), a pack rule makes a store's minimum exceed its cap, or bad options.
    DataValidationError
        The input tables break the data contract.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = pd.DataFrame({"store": ["A", "B"], "mean": [6.0, 2.0]})
    >>> stores = pd.DataFrame({"store": ["A", "B"], "min_units": [0, 4], "max_units": [None, 8]})
    >>> plan = allocate(12, demand, stores, pack_size=2, holdback=0.1)
    >>> plan[["store", "units", "minimum"]].to_dict("list")
    {'store': ['A', 'B', 'DC'], 'units': [6, 4, 2], 'minimum': [0, 4, 0]}
    >>> print(plan["reason"].iat[-1])
    holdback 10%: 1 units; 1 units do not fill a pack of 2
    """
    _check_options(pack_size, holdback, warehouse)
    p = int(pack_size)
    dem = read_demand(demand)
    qty = read_quantity(quantity, dem)
    cons = read_constraints(stores)
    pairs = _pairs(qty, dem, cons, warehouse)
    group = pairs["group"].to_numpy()
    n_groups = len(qty)
    total = qty["units"].to_numpy(dtype=np.int64)
    held = np.floor(total * float(holdback) + 1e-9).astype(np.int64)
    n_items = (total - held) // p
    excluded = pairs["exclude"].to_numpy(dtype=bool) | (pairs["max_units"].to_numpy() == 0)
    lo = np.where(excluded, 0, np.ceil(pairs["min_units"].to_numpy() / p)).astype(np.int64)
    cap_items = np.floor(np.minimum(pairs["max_units"].to_numpy(), 2.0**62) / p)
    hi = np.where(excluded, 0, np.minimum(cap_items, lo + n_items[group])).astype(np.int64)
    clash = lo > hi
    if clash.any():
        i = int(np.flatnonzero(clash)[0])
        raise AllocationError(
            f"stores: store {pairs['store'].iat[i]!r} has min_units "
            f"{pairs['min_units'].iat[i]:g}, which "
            f"needs {lo[i]} packs of {p} units, above its cap {pairs['max_units'].iat[i]:g} "
            f"({int(clash.sum())} stores like it). Fix: make min_units and max_units multiples of "
            "the pack size, or raise the cap."
        )
    need = np.bincount(group, weights=lo, minlength=n_groups).astype(np.int64)
    short = need > n_items
    soft_cut = np.zeros(len(pairs), dtype=bool)
    hi_given = hi.copy()
    if short.any() and not soft_minimums:
        raise AllocationError(
            _missing_message(qty, need * p, n_items * p, held, short, float(holdback), p)
        )
    if short.any():
        # keep minimums in grade order (then store id) while stock allows; no marginal units then
        rows = np.flatnonzero(short[group])
        order = rows[
            np.lexsort(
                (pairs["rank"].to_numpy()[rows], pairs["grade_key"].to_numpy()[rows], group[rows])
            )
        ]
        g = group[order]
        before = np.cumsum(lo[order]) - lo[order]
        start = np.zeros(n_groups, dtype=np.int64)
        first = np.r_[True, g[1:] != g[:-1]]
        start[g[first]] = before[first]
        kept = np.clip(n_items[g] - (before - start[g]), 0, lo[order])
        soft_cut[order] = kept < lo[order]
        lo[order] = kept
        hi[order] = kept
    mean = pairs["mean"].to_numpy(dtype=float)
    sd = pairs["sd"].to_numpy(dtype=float)
    x = solve(mean, sd, lo, hi, n_items, group, pairs["rank"].to_numpy(), p)
    units = x * p
    shadow = _shadow_prices(mean, sd, x, lo, group, n_groups, p)
    short_rows = short[group] & (x == 0) & ~excluded
    # a minimum binds when marginal analysis would not have given the store its last minimum unit
    at_min = (x == lo) & (lo > 0)
    binding = at_min.copy()
    idx = np.flatnonzero(at_min & np.isfinite(shadow[group]))
    if len(idx):
        last = item_values(mean[idx], sd[idx], p)(np.arange(len(idx)), lo[idx]) / p
        binding[idx] = last < shadow[group[idx]]
    out = _frame(pairs, units, lo * p, x, binding, hi_given, excluded, soft_cut, short_rows, p)
    wh = _warehouse_rows(qty, out, held, holdback, p, warehouse)
    result = pd.concat([out, wh], ignore_index=True)
    result["_g"] = np.r_[group, np.arange(n_groups)]
    result["_w"] = np.r_[np.zeros(len(out), dtype=int), np.ones(len(wh), dtype=int)]
    result = result.sort_values(["_g", "_w"], kind="stable").drop(columns=["_g", "_w"])
    result = result.reset_index(drop=True)[_COLUMNS]
    result.attrs = {
        "allocation": {
            "pack_size": p,
            "holdback": float(holdback),
            "warehouse": warehouse,
            "soft_minimums": bool(soft_minimums),
        },
        "shadow_price": dict(zip(qty["sku"].tolist(), shadow.tolist(), strict=True)),
    }
    return result


def _shadow_prices(
    mean: np.ndarray,
    sd: np.ndarray,
    x: np.ndarray,
    lo: np.ndarray,
    group: np.ndarray,
    n_groups: int,
    p: int,
) -> np.ndarray:
    """Per product, the per-unit value of the last item placed by marginal analysis (or NaN)."""
    greedy = np.flatnonzero(x > lo)
    out = np.full(n_groups, np.inf)
    if len(greedy):
        value = item_values(mean[greedy], sd[greedy], p)
        v = value(np.arange(len(greedy)), x[greedy]) / p
        np.minimum.at(out, group[greedy], v)
    return np.where(np.isinf(out), np.nan, out)


def _frame(
    pairs: pd.DataFrame,
    units: np.ndarray,
    minimum: np.ndarray,
    x: np.ndarray,
    binding: np.ndarray,
    hi: np.ndarray,
    excluded: np.ndarray,
    soft_cut: np.ndarray,
    short_rows: np.ndarray,
    p: int,
) -> pd.DataFrame:
    mean = pairs["mean"].to_numpy(dtype=float)
    sd = pairs["sd"].to_numpy(dtype=float)
    last = np.where(units > 0, sell_probability(mean, sd, units), np.nan)
    nxt = sell_probability(mean, sd, units + 1)
    cap = pairs["max_units"].to_numpy(dtype=float)
    at_cap = (x * p >= np.floor(np.minimum(cap, 2.0**62) / p) * p) & np.isfinite(cap)
    codes = np.select(
        [excluded, soft_cut, binding, at_cap & (x > 0), x > 0, short_rows],
        ["excluded", "soft_cut", "minimum", "cap", "marginal", "min_first"],
        default="none",
    )
    reason = pd.Series(codes, dtype="category").cat.rename_categories(REASONS).astype("str")
    return pd.DataFrame(
        {
            "sku": pairs["sku"].astype("str"),
            "store": pairs["store"].astype("str"),
            "units": units.astype(np.int64),
            "mean": mean,
            "sd": sd,
            "minimum": np.where(
                soft_cut, np.ceil(pairs["min_units"].to_numpy() / p) * p, minimum
            ).astype(np.int64),
            "cap": np.where(np.isfinite(cap), cap, np.nan),
            "last_unit_sell_probability": last,
            "next_unit_sell_probability": np.where(hi > x, nxt, np.nan),
            "reason": reason.to_numpy(),
        }
    )


def _warehouse_rows(
    qty: pd.DataFrame, out: pd.DataFrame, held: np.ndarray, holdback: float, p: int, warehouse: str
) -> pd.DataFrame:
    total = qty["units"].to_numpy(dtype=np.int64)
    placed = (
        out.groupby("sku", sort=False)["units"]
        .sum()
        .reindex(qty["sku"])
        .fillna(0)
        .to_numpy(np.int64)
    )
    left = total - placed
    n_items = (total - held) // p
    odd = (total - held) - n_items * p
    over = left - held - odd
    reasons = []
    for h, o, v in zip(held.tolist(), odd.tolist(), over.tolist(), strict=True):
        parts = []
        if holdback > 0:
            parts.append(f"holdback {holdback:.0%}: {h} units")
        if o:
            parts.append(f"{o} units do not fill a pack of {p}")
        if v:
            parts.append(f"{v} units beyond every store's cap")
        reasons.append("; ".join(parts) if parts else "nothing kept at the warehouse")
    return pd.DataFrame(
        {
            "sku": qty["sku"].astype("str").to_numpy(),
            "store": warehouse,
            "units": left.astype(np.int64),
            "mean": np.nan,
            "sd": np.nan,
            "minimum": np.zeros(len(qty), dtype=np.int64),
            "cap": np.nan,
            "last_unit_sell_probability": np.nan,
            "next_unit_sell_probability": np.nan,
            "reason": reasons,
        }
    )
