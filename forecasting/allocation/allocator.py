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
- Every store of the stores table is in the plan. A store without a demand row for a product gets
  zero demand (only its presentation minimum goes there) and a
  :class:`~forecasting.inputs.validation.DataQualityWarning` names it, strategic stores first; one
  that the stores table gives a ``close_date`` is taken as closed. A demand row for a store missing
  from the stores table is a :class:`~forecasting.exceptions.DataValidationError` (see
  :func:`forecasting.allocation.tables.check_demand_stores`).
- Exclusions: a store with ``exclude`` true in the demand, with ``max_units`` 0, or closed gets
  nothing.
- What the stores cannot take stays at the warehouse, at once: units beyond every store's cap, and
  units no store would sell (a chance of selling below
  :data:`~forecasting.allocation.solver.NEGLIGIBLE`, 1e-15, per unit). Memory and time do not
  depend on the quantity.
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
from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.allocation.solver import NEGLIGIBLE, ValueFn, item_values, solve
from forecasting.allocation.tables import (
    BoolArray,
    ConstraintColumns,
    DemandRows,
    FloatArray,
    IntArray,
    ObjArray,
    QuantityColumns,
    complete_demand,
    constraint_columns,
    demand_columns,
    quantity_columns,
    text_array,
)
from forecasting.depth.distributions import nb_parameters, sf_params
from forecasting.exceptions import AllocationError
from forecasting.inputs.readers import StoresTable
from forecasting.inputs.validation import in_words_of

__all__ = ["allocate", "check_allocation_options"]

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
    "closed": "closed: no demand row and a close_date in the stores table",
    "no_demand_min": "no demand row (zero demand): held at its presentation minimum",
    "no_demand": "no demand row (zero demand): no unit",
}
# the reasons in the order they are decided (the first that applies), as codes into _REASON_TEXT
_ORDER = [
    "closed",
    "excluded",
    "soft_cut",
    "no_demand_min",
    "minimum",
    "cap",
    "marginal",
    "no_demand",
    "min_first",
    "none",
]
_REASON_TEXT = np.array([REASONS[k] for k in _ORDER], dtype=object)


def check_allocation_options(pack_size: int, holdback: float, warehouse: str = "DC") -> None:
    """Raise :class:`AllocationError` for a pack size, holdback or warehouse name that cannot be.

    :func:`forecasting.plan.make_plan` calls it before any work, :func:`allocate` on every call.

    Examples
    --------
    >>> check_allocation_options(6, 0.2)
    >>> check_allocation_options(0, 0.2)
    Traceback (most recent call last):
    ...
    forecasting.exceptions.AllocationError: pack_size=0: must be a whole number of units, 1 or
    more. Fix: pass e.g. pack_size=6 for packs of six, or 1 for single units.
    """
    if isinstance(pack_size, bool) or not isinstance(pack_size, (int, np.integer)) or pack_size < 1:
        raise AllocationError(
            in_words_of(python=f"pack_size={pack_size!r}", cli=f"--pack-size {pack_size!r}")
            + ": must be a whole number of units, 1 or more. Fix: pass e.g. "
            + in_words_of(python="pack_size=6", cli="--pack-size 6")
            + " for packs of six, or 1 for single units."
        )
    if not (0.0 <= float(holdback) < 1.0):
        raise AllocationError(
            in_words_of(python=f"holdback={holdback!r}", cli=f"--holdback {holdback!r}")
            + ": must be a share in [0, 1). Fix: pass e.g. "
            + in_words_of(python="holdback=0.2", cli="--holdback 0.2")
            + " to keep 20 % at the warehouse."
        )
    if not isinstance(warehouse, str) or not warehouse.strip():
        raise AllocationError(
            "warehouse: give the name of the warehouse row, e.g. "
            + in_words_of(python="warehouse='DC'.", cli="--warehouse DC.")
        )


@dataclass(frozen=True)
class _Pairs:
    """One entry per (sku, store) that could receive the product, sorted by sku then store id.

    ``group`` is the position of the sku in the quantity, ``store_names[store]`` the store (with a
    stores table ``store`` is the position in it), ``rank`` orders the store ids.
    """

    group: IntArray
    store: IntArray
    store_names: ObjArray
    rank: IntArray
    mean: FloatArray
    sd: FloatArray
    exclude: BoolArray
    no_demand: BoolArray
    min_units: FloatArray
    max_units: FloatArray
    constraints: ConstraintColumns | None

    def grade_key(self) -> IntArray:
        """The grade sort key of each pair's store (int32 max without a stores table)."""
        if self.constraints is None:
            return np.full(len(self.store), np.iinfo(np.int32).max, dtype=np.int64)
        return self.constraints.grade_key()[self.store]


def _pairs(
    quantity: QuantityColumns,
    rows: DemandRows,
    constraints: ConstraintColumns | None,
    warehouse: str,
) -> _Pairs:
    """The (sku, store) pairs that could receive the product, sorted by sku then store id."""
    n_groups = len(quantity.sku)
    if rows.group is not None:
        have = np.bincount(rows.group[rows.group >= 0], minlength=n_groups)
        missing = sorted(quantity.sku[have == 0].tolist())
        if missing:
            shown = ", ".join(map(repr, missing[:5])) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            raise AllocationError(
                f"demand: no store demand for {len(missing)} sku(s) of the quantity: {shown}. "
                "Fix: add their store demand (store_demand() splits a total) or drop them."
            )
        take = np.flatnonzero(rows.group >= 0)
        group = rows.group[take]
    else:
        n = len(rows.mean)
        take = np.tile(np.arange(n), n_groups)
        group = np.repeat(np.arange(n_groups, dtype=np.int64), n)
    store = rows.store[take]
    named = np.flatnonzero(rows.store_names == warehouse)
    if len(named) and (store == named[0]).any():
        raise AllocationError(
            f"demand: a store is named {warehouse!r}, like the warehouse row. "
            "Fix: pass another " + in_words_of(python="warehouse= name.", cli="--warehouse name.")
        )
    # the order of the store ids (ties go to the lower one)
    rank_of = np.empty(len(rows.store_names), dtype=np.int64)
    rank_of[np.argsort(rows.store_names, kind="stable")] = np.arange(len(rows.store_names))
    rank = rank_of[store]
    order = np.lexsort((rank, group))
    take, group, store, rank = take[order], group[order], store[order], rank[order]
    if constraints is not None:
        min_units, max_units = constraints.min_units[store], constraints.max_units[store]
    else:
        min_units, max_units = np.zeros(len(take)), np.full(len(take), np.inf)
    return _Pairs(
        group=group,
        store=store,
        store_names=rows.store_names,
        rank=rank,
        mean=rows.mean[take],
        sd=rows.sd[take],
        exclude=rows.exclude[take],
        no_demand=rows.no_demand[take],
        min_units=min_units,
        max_units=max_units,
        constraints=constraints,
    )


def _least_quantity(need_units: int, holdback: float, p: int) -> int:
    """The smallest stock whose share for the stores (after holdback, in whole packs) covers
    ``need_units``."""
    q = max(int(np.ceil(need_units / (1.0 - holdback))) - 2, 0)
    while (q - int(np.floor(q * holdback + 1e-9))) // p * p < need_units:
        q += 1
    return q


def _missing_message(
    skus: ObjArray,
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
            f"{skus[g]!r} needs {int(need[g])} units for its minimums but "
            f"{int(n_units[g])} can go to stores ({int(held[g])} held back): "
            f"{int(need[g] - n_units[g])} units missing (a quantity of at least {least} covers"
            " them)"
        )
    more = f" and {int(short.sum()) - 5} more skus" if short.sum() > 5 else ""
    fix = in_words_of(
        python="raise the quantity, lower holdback=, lower min_units in the stores table, or pass "
        "soft_minimums=True to keep minimums while stock allows (in grade order)",
        cli="raise --quantity, lower --holdback, lower min_units in the stores file, or pass "
        "--soft-minimums to keep minimums while stock allows (in grade order)",
    )
    return (
        "hard presentation minimums cannot all be met: "
        + "; ".join(parts)
        + more
        + ". Fix: "
        + fix
        + "."
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
        ``max_units``, ``grade``, ``strategic``, ``close_date``. Every store of it is in the plan
        (zero demand where the demand has no row for it); without it, the stores of the demand.
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
        One row per sku x store (every store of the stores table) plus a warehouse row per sku
        (its ``reason`` says where its units come from): ``sku``, ``store``, ``units`` (int),
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
        The input tables break the data contract, or a demand row names a store missing from the
        stores table.

    Warns
    -----
    DataQualityWarning
        Stores of the stores table without a demand row (zero demand: only their minimums go
        there), strategic ones called out; such stores with a ``close_date`` (taken as closed).

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
    check_allocation_options(pack_size, holdback, warehouse)
    p = int(pack_size)
    dem = demand_columns(demand)
    qty = quantity_columns(quantity, dem.sku_names)
    cons = constraint_columns(stores)
    rows = complete_demand(qty, dem, cons)  # its warnings name the caller of allocate
    pairs = _pairs(qty, rows, cons, warehouse)
    group = pairs.group
    n_groups = len(qty.sku)
    total = qty.units
    held = np.floor(total * float(holdback) + 1e-9).astype(np.int64)
    n_items = (total - held) // p
    excluded = pairs.exclude | (pairs.max_units == 0)
    lo = np.where(excluded, 0, np.ceil(pairs.min_units / p)).astype(np.int64)
    cap_items = np.floor(np.minimum(pairs.max_units, 2.0**62) / p)
    hi = np.where(excluded, 0, np.minimum(cap_items, lo + n_items[group])).astype(np.int64)
    clash = lo > hi
    if clash.any():
        i = int(np.flatnonzero(clash)[0])
        raise AllocationError(
            f"stores: store {pairs.store_names[pairs.store[i]]!r} has min_units "
            f"{pairs.min_units[i]:g}, which "
            f"needs {lo[i]} packs of {p} units, above its cap {pairs.max_units[i]:g} "
            f"({int(clash.sum())} stores like it). Fix: make min_units and max_units multiples of "
            "the pack size, or raise the cap."
        )
    need = np.bincount(group, weights=lo, minlength=n_groups).astype(np.int64)
    short = need > n_items
    soft_cut = np.zeros(len(group), dtype=bool)
    hi_given = hi.copy()
    if short.any() and not soft_minimums:
        raise AllocationError(
            _missing_message(qty.sku, need * p, n_items * p, held, short, float(holdback), p)
        )
    if short.any():
        # keep minimums in grade order (then store id) while stock allows; no marginal units then
        cut = np.flatnonzero(short[group])
        order = cut[np.lexsort((pairs.rank[cut], pairs.grade_key()[cut], group[cut]))]
        g = group[order]
        before = np.cumsum(lo[order]) - lo[order]
        start = np.zeros(n_groups, dtype=np.int64)
        first = np.r_[True, g[1:] != g[:-1]]
        start[g[first]] = before[first]
        kept = np.clip(n_items[g] - (before - start[g]), 0, lo[order])
        soft_cut[order] = kept < lo[order]
        lo[order] = kept
        hi[order] = kept
    mean, sd = pairs.mean, pairs.sd
    x = solve(mean, sd, lo, hi, n_items, group, pairs.rank, p)
    units = x * p
    value = item_values(mean, sd, p)
    last, nxt = _sell_probabilities(value, mean, sd, units, hi_given > x, p)
    shadow, binding = _shadow_prices(value, last if p == 1 else None, x, lo, group, n_groups, p)
    short_rows = short[group] & (x == 0) & ~excluded
    reason = _reasons(pairs, x, binding, excluded, soft_cut, short_rows, p)
    # the warehouse row: stores that could take no more (at their cap, or excluded) against the
    # others
    carrying = ~excluded
    capped = carrying & (x >= cap_items)
    n_carrying = np.bincount(group, weights=carrying, minlength=n_groups).astype(np.int64)
    n_capped = np.bincount(group, weights=capped, minlength=n_groups).astype(np.int64)
    placed = np.zeros(n_groups, dtype=np.int64)
    np.add.at(placed, group, units)
    warehouse_reason = _warehouse_reasons(total, placed, held, holdback, p, n_carrying, n_capped)
    minimum = np.where(soft_cut, np.ceil(pairs.min_units / p) * p, lo * p).astype(np.int64)
    result = _frame(
        qty, pairs, units, minimum, last, nxt, reason, total - placed, warehouse_reason,
        warehouse,
    )  # fmt: skip
    result.attrs = {
        "allocation": {
            "pack_size": p,
            "holdback": float(holdback),
            "warehouse": warehouse,
            "soft_minimums": bool(soft_minimums),
        },
        "shadow_price": dict(zip(qty.sku.tolist(), shadow.tolist(), strict=True)),
    }
    return result


def _sell_probabilities(
    value: ValueFn,
    mean: FloatArray,
    sd: FloatArray,
    units: IntArray,
    has_next: BoolArray,
    p: int,
) -> tuple[FloatArray, FloatArray]:
    """``P(D >= units)`` where a store has units and ``P(D >= units + 1)`` where it could take
    more (NaN elsewhere), as :func:`~forecasting.depth.distributions.sell_probability` gives them.

    With packs of one, ``value`` (:func:`item_values`) gives them: the value of unit ``k`` is
    ``P(D >= k)``, computed by the same functions.
    """
    placed = np.flatnonzero(units > 0)
    more = np.flatnonzero(has_next)
    rows = np.r_[placed, more]
    k = np.r_[units[placed], units[more] + 1]
    v = value(rows, k) if p == 1 else sf_params(*nb_parameters(mean[rows], sd[rows]), k)
    last = np.full(len(units), np.nan)
    last[placed] = v[: len(placed)]
    nxt = np.full(len(units), np.nan)
    nxt[more] = v[len(placed) :]
    return last, nxt


def _shadow_prices(
    value: ValueFn,
    last: FloatArray | None,
    x: IntArray,
    lo: IntArray,
    group: IntArray,
    n_groups: int,
    p: int,
) -> tuple[FloatArray, BoolArray]:
    """Per product, the per-unit value of the last item placed by marginal analysis (or NaN);
    per pair, whether its minimum binds.

    A minimum binds when marginal analysis would not have given the store its last minimum unit
    (worth less than the shadow price), or when no item was placed by marginal analysis. ``last``
    (packs of one) is the value of each pair's last unit, already known.
    """
    greedy = np.flatnonzero(x > lo)
    at_min = np.flatnonzero((x == lo) & (lo > 0))
    if last is not None:
        v = np.r_[last[greedy], last[at_min]]
    else:
        # one evaluation for both: the last greedy item of each pair, and its last minimum item
        v = value(np.r_[greedy, at_min], np.r_[x[greedy], lo[at_min]]) / p
    out = np.full(n_groups, np.inf)
    if len(greedy):
        np.minimum.at(out, group[greedy], v[: len(greedy)])
    shadow = np.where(np.isinf(out), np.nan, out)
    binding = np.zeros(len(x), dtype=bool)
    binding[at_min] = True
    known = np.isfinite(shadow[group[at_min]])
    idx = at_min[known]
    binding[idx] = v[len(greedy) :][known] < shadow[group[idx]]
    return shadow, binding


def _reasons(
    pairs: _Pairs,
    x: IntArray,
    binding: BoolArray,
    excluded: BoolArray,
    soft_cut: BoolArray,
    short_rows: BoolArray,
    p: int,
) -> ObjArray:
    """The ``reason`` of each store row (the first of :data:`_ORDER` that applies)."""
    cap = pairs.max_units
    at_cap = (x * p >= np.floor(np.minimum(cap, 2.0**62) / p) * p) & np.isfinite(cap)
    no_demand = pairs.no_demand
    codes = np.select(
        [
            no_demand & excluded,
            excluded,
            soft_cut,
            no_demand & binding,
            binding,
            at_cap & (x > 0),
            x > 0,
            no_demand,
            short_rows,
        ],
        np.arange(len(_ORDER) - 1),
        default=len(_ORDER) - 1,
    )
    return _REASON_TEXT[codes]


def _warehouse_reasons(
    total: IntArray,
    placed: IntArray,
    held: IntArray,
    holdback: float,
    p: int,
    n_carrying: IntArray,
    n_capped: IntArray,
) -> list[str]:
    """The ``reason`` of each sku's warehouse row: where its units come from."""
    left = total - placed
    n_items = (total - held) // p
    odd = (total - held) - n_items * p
    over = left - held - odd
    reasons = []
    rows = zip(
        held.tolist(), odd.tolist(), over.tolist(), n_carrying.tolist(), n_capped.tolist(),
        strict=True,
    )  # fmt: skip
    for h, o, v, n, k in rows:
        parts = []
        if holdback > 0:
            parts.append(f"holdback {holdback:.0%}: {h} units")
        if o:
            parts.append(f"{o} units do not fill a pack of {p}")
        if v and k >= n:
            parts.append(f"{v} units beyond every store's cap")
        elif v:
            parts.append(
                f"{v} units the stores cannot take ({k} of {n} stores at their cap; the others "
                f"would sell one more unit with a chance below {NEGLIGIBLE:g})"
            )
        reasons.append("; ".join(parts) if parts else "nothing kept at the warehouse")
    return reasons


def _frame(
    qty: QuantityColumns,
    pairs: _Pairs,
    units: IntArray,
    minimum: IntArray,
    last: FloatArray,
    nxt: FloatArray,
    reason: ObjArray,
    warehouse_units: IntArray,
    warehouse_reason: list[str],
    warehouse: str,
) -> pd.DataFrame:
    """The plan, built once from whole columns: each sku's store rows, then its warehouse row."""
    mean, sd, group, cap = pairs.mean, pairs.sd, pairs.group, pairs.max_units
    n_groups = len(qty.sku)
    rows = np.arange(len(group)) + group  # the store rows, after the warehouse rows of lower skus
    dc = np.cumsum(np.bincount(group, minlength=n_groups)) + np.arange(n_groups)

    def column(stores: np.ndarray, warehouse_rows: object, dtype: type) -> np.ndarray:
        out: np.ndarray = np.empty(len(group) + n_groups, dtype=dtype)
        out[rows] = stores
        out[dc] = warehouse_rows
        return out

    nan = np.nan
    return pd.DataFrame(
        {
            "sku": text_array(column(qty.sku[group], qty.sku, object)),
            "store": text_array(column(pairs.store_names[pairs.store], warehouse, object)),
            "units": column(units, warehouse_units, np.int64),
            "mean": column(mean, nan, np.float64),
            "sd": column(sd, nan, np.float64),
            "minimum": column(minimum, 0, np.int64),
            "cap": column(np.where(np.isfinite(cap), cap, nan), nan, np.float64),
            "last_unit_sell_probability": column(last, nan, np.float64),
            "next_unit_sell_probability": column(nxt, nan, np.float64),
            "reason": text_array(column(reason, np.array(warehouse_reason, dtype=object), object)),
        },
        copy=False,  # every column is a new array
    )
