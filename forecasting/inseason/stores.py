"""Store demand in season, and the release of the warehouse holdback over the stores.

After a new product's first weeks in stores its remaining demand is updated per product
(:meth:`~forecasting.depth.NewProductForecaster.predict` with ``observed=``). Two steps take that
to the stores:

:func:`store_remaining_demand`
    splits each product's remaining demand over its stores. A store's share is a Dirichlet
    posterior: the plan's share (:func:`forecasting.allocation.store_demand`) is the prior, worth
    ``prior_strength`` units of sales, and the units each store sold so far are the evidence, so
    ``share_s = (prior_strength * planned_share_s + sold_s) / (prior_strength + sold)``. A store
    that sold nothing keeps part of its planned share; shares move towards the observed sales as
    they accumulate. The standard deviation combines the product's own uncertainty, the share's
    posterior uncertainty and the thinning of the product's units over the stores.
:func:`release_holdback`
    places the warehouse holdback (and a second batch that arrives) over the stores with the exact
    marginal analysis of :func:`forecasting.allocation.allocate`
    (:func:`forecasting.allocation.solver.solve`), on each store's remaining demand net of the
    stock it still holds: the units already in a store are its first units, so the next unit sent
    there is worth ``P(D >= stock + 1)``. Presentation minimums count the stock (a store holding
    its minimum needs nothing more) and so do caps.

Shares are read from units sold. A store that sold out before the end of the observed weeks shows
its stock, not its demand, so its share is read low; that is not corrected for here.

Examples
--------
>>> import pandas as pd
>>> remaining = pd.DataFrame({"sku": ["N1"], "mean": [200.0], "sd": [40.0]})
>>> plan = pd.DataFrame({"sku": "N1", "store": ["A", "B"], "share": [0.5, 0.5]})
>>> sold = pd.DataFrame({"sku": "N1", "store": ["A", "B"], "units": [90, 10]})
>>> demand = store_remaining_demand(remaining, sold, plan, prior_strength=100)
>>> demand[["store", "share", "mean"]].round(2).to_dict("list")
{'store': ['A', 'B'], 'share': [0.7, 0.3], 'mean': [140.0, 60.0]}
>>> stock = pd.DataFrame({"sku": "N1", "store": ["A", "B"], "units": [10, 60]})
>>> release = release_holdback(demand, stock, holdback=150)
>>> release[["store", "stock", "units"]].to_dict("list")
{'store': ['A', 'B', 'DC'], 'stock': [10, 60, 150], 'units': [143, 7, 0]}
>>> kept = release_holdback(demand, stock, holdback=150, min_sell_probability=0.5)
>>> kept[["store", "units"]].to_dict("list")
{'store': ['A', 'B', 'DC'], 'units': [128, 0, 22]}
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from forecasting.allocation.allocator import check_allocation_options
from forecasting.allocation.solver import NEGLIGIBLE, ValueFn, item_values, solve
from forecasting.allocation.tables import (
    QuantityColumns,
    complete_demand,
    constraint_columns,
    demand_columns,
    text_array,
)
from forecasting.depth.distributions import sell_probability
from forecasting.exceptions import AllocationError, DataValidationError, option
from forecasting.inputs.readers import StoresTable
from forecasting.inputs.tables import finite_numbers, id_column, parse_bools, read_table
from forecasting.inputs.validation import (
    check_required,
    check_unique,
    data_error,
    missing_column_error,
)

__all__ = ["SHARE_CV", "release_holdback", "store_remaining_demand"]

Source = str | os.PathLike[str] | pd.DataFrame
PerSku = int | Mapping[str, int] | Source
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

SHARE_CV = 0.4
"""How far a product's true store shares sit from the plan's shares, relative to the share.

It sets the default ``prior_strength`` of :func:`store_remaining_demand`. Measured on the
Walmart store x department panel of 2011 (45 stores, 81 departments): a department's share of a
store deviates from the store's share of all sales by a median 32 % (26 % for the 44 departments
every store carries), and the Dirichlet concentration fitted to those deviations by moments has
a median of 216 (329), i.e. a relative sd of ``sqrt(44 / 217) = 0.45`` (0.37).
"""


# ------------------------------------------------------------------------------------ reading
def _pair_table(source: Source, name: str, value: str, fix: str) -> pd.DataFrame:
    """``sku``, ``store`` (ids) and ``value`` (a number >= 0), rows labelled as the user sees
    them; ``exclude`` (yes/no) too where the table has it."""
    raw = read_table(source, name=name)
    label = str(raw.attrs["source"])
    check_required(raw, ["sku", "store", value], label, name.replace("_", " "))
    out = pd.DataFrame(
        {key: id_column(raw, key, label) for key in ("sku", "store")}, index=raw.index
    )
    out[value] = finite_numbers(raw, value, label, minimum=0.0, fix=fix)
    if "exclude" in raw.columns:
        out["exclude"] = parse_bools(raw, "exclude", label).to_numpy(dtype=bool)
    out.attrs = {"source": label, "row_noun": raw.attrs.get("row_noun", "row")}
    return out


def _unknown(
    table: pd.DataFrame, mask: npt.ArrayLike, column: str, problem: str, fix: str
) -> DataValidationError:
    """The error naming the rows of ``table`` (a :func:`_pair_table`) selected by ``mask``."""
    flags = np.asarray(mask, dtype=bool)
    count = int(flags.sum())
    return data_error(
        str(table.attrs["source"]),
        column,
        f"{count} {'row' if count == 1 else 'rows'} {problem}",
        fix,
        table,
        flags,
        show=[c for c in ("sku", "store", "units", "share") if c in table.columns],
    )


def _texts(column: pd.Series) -> np.ndarray:
    """A column of ids as an object array of str."""
    return column.to_numpy(dtype=object)


def _joined(sku: np.ndarray, store: np.ndarray) -> np.ndarray:
    """One key per (sku, store) pair (ids cannot hold the separator: they are printable text)."""
    return np.asarray(sku, dtype=object) + "\x1f" + np.asarray(store, dtype=object)


def _pair_keys(table: pd.DataFrame) -> np.ndarray:
    return _joined(_texts(table["sku"]), _texts(table["store"]))


def _position(values: np.ndarray, among: np.ndarray) -> IntArray:
    """Position of each of ``values`` in ``among`` (distinct), -1 where it is not there."""
    return np.asarray(pd.Index(among).get_indexer(values), dtype=np.int64)


def _whole(table: pd.DataFrame, what: str) -> None:
    """Raise where ``units`` are not whole numbers."""
    frac = (table["units"] % 1 != 0).to_numpy()
    if frac.any():
        raise _unknown(table, frac, "units", "are not whole units", f"give {what} in whole units")


# ------------------------------------------------------------------------ store demand update
def _check_strength(prior_strength: float | None) -> None:
    if prior_strength is None:
        return
    value = float(prior_strength) if not isinstance(prior_strength, bool) else math.nan
    if not value > 0:
        raise DataValidationError(
            f"{option('prior_strength', prior_strength)}: the weight of the plan's shares must be "
            f"a number of units above 0 (inf keeps the plan's shares). Fix: pass e.g. "
            f"{option('prior_strength', 200)}, or leave it out for the default."
        )


def store_remaining_demand(
    product_demand: Source,
    store_sales: Source,
    planned_shares: Source,
    *,
    prior_strength: float | None = None,
) -> pd.DataFrame:
    """Split each product's updated remaining demand over stores by shares learnt from its sales.

    Each product's store shares have a Dirichlet prior centred on the plan's shares with
    concentration ``prior_strength`` (``alpha_s = prior_strength * planned_share_s``), updated by
    the units each store sold so far (``alpha_s + sold_s``). With ``A = prior_strength + sold``
    (the product's units sold in all its stores), the posterior share of store ``s`` has mean
    ``w_s = (prior_strength * planned_share_s + sold_s) / A`` and variance
    ``v_s = w_s (1 - w_s) / (A + 1)``. The remaining demand ``T`` of the product (mean ``mu``, sd
    ``sigma``) reaches the stores thinned multinomially by those shares, as
    :func:`~forecasting.allocation.store_demand` splits a total, so a store's remaining demand has

    * mean ``mu * w_s`` (the stores' means add up to the product's), and
    * variance ``mu (w_s (1 - w_s) - v_s) + sigma**2 (w_s**2 + v_s) + mu**2 v_s``: the thinning,
      the product's own uncertainty and the share's uncertainty (with ``v_s = 0`` it is the
      variance :func:`~forecasting.allocation.store_demand` gives).

    Parameters
    ----------
    product_demand : path or DataFrame
        Per product, the remaining season's units: ``sku``, ``mean``, optional ``sd`` (blank:
        Poisson). One row per sku.
    store_sales : path or DataFrame
        Units sold so far: ``sku``, ``store``, ``units`` (0 or more; rows of the same sku and store,
        e.g. one per week, are added). A store without a row sold nothing.
    planned_shares : path or DataFrame
        The plan's shares: ``sku``, ``store``, ``share`` (0 or more; each sku's shares are scaled
        to add up to 1), optional ``exclude`` (kept in the result, so that
        :func:`release_holdback` sends nothing there), e.g. the result of
        :func:`~forecasting.allocation.store_demand`. Every store that sold the product needs a
        row.
    prior_strength : float, optional
        How many units of sales the plan's shares are worth (``inf`` keeps them unchanged). The
        default is ``(n - 1) / SHARE_CV**2`` for a product planned in ``n`` stores: the Dirichlet
        whose shares sit a relative :data:`SHARE_CV` (40 %) from the plan's shares when the
        shares are equal. That is about how far a department's store shares sit from the stores'
        shares of all sales (see :data:`SHARE_CV`); a new product deviates from its category's
        shares by no more than that. For 25 stores it is 150 units: a product that sold 150 units
        in its first weeks moves its shares halfway to the observed ones. A fixed number of units
        would not do: the more stores, the fewer units each store's share is read from.

    Returns
    -------
    DataFrame
        One row per product of ``product_demand`` and store of its planned shares, sorted by sku
        and store: ``sku``, ``store``, ``mean``, ``sd`` (the remaining demand), ``share`` (the
        posterior mean share), ``share_sd``, ``planned_share`` (scaled to add up to 1),
        ``units_sold``, and ``exclude`` when ``planned_shares`` has it. ``attrs["prior_strength"]``
        holds the strength used for each sku.

    Raises
    ------
    DataValidationError
        A table breaks its contract (missing column, negative units or shares, a repeated sku or
        sku and store), a product has no planned shares (or only zeros), or the sales name a
        product or a store the plan does not have. The message names the column and the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> remaining = pd.DataFrame({"sku": ["N1"], "mean": [300.0], "sd": [60.0]})
    >>> plan = pd.DataFrame({"sku": "N1", "store": ["A", "B", "C"], "share": [0.5, 0.3, 0.2]})
    >>> sold = pd.DataFrame({"sku": ["N1", "N1"], "store": ["A", "B"], "units": [20, 40]})
    >>> out = store_remaining_demand(remaining, sold, plan, prior_strength=60)
    >>> out[["store", "share", "mean"]].round(3).to_dict("list")
    {'store': ['A', 'B', 'C'], 'share': [0.417, 0.483, 0.1], 'mean': [125.0, 145.0, 30.0]}
    >>> out["sd"].round(1).tolist()
    [29.8, 33.3, 11.5]
    """
    _check_strength(prior_strength)
    products = _product_table(product_demand)
    sales = _pair_table(
        store_sales, "store_sales", "units", "give the units sold so far (0 or more)"
    )
    plan = _share_table(planned_shares)
    skus = _texts(products["sku"])
    plan_sku = _texts(plan["sku"])
    no_plan = _position(skus, pd.unique(plan_sku)) < 0
    if no_plan.any():
        raise _unknown(
            products,
            no_plan,
            "sku",
            "name products without planned shares",
            "give their store shares in the planned shares (store_demand() splits a total)",
        )
    plan = plan.loc[_position(plan_sku, skus) >= 0]
    totals = plan.groupby("sku", sort=False)["share"].transform("sum").to_numpy(float)
    empty = totals <= 0
    if empty.any():
        raise _unknown(
            plan,
            empty,
            "share",
            "belong to products whose planned shares are all 0",
            "give each product a positive share in at least one store",
        )
    not_updated = _position(_texts(sales["sku"]), skus) < 0
    if not_updated.any():
        raise _unknown(
            sales,
            not_updated,
            "sku",
            "name products that the remaining demand does not have",
            "give their remaining demand, or drop their sales",
        )
    out = plan.sort_values(["sku", "store"]).reset_index(drop=True)
    at = _position(_pair_keys(sales), _pair_keys(out))
    if (at < 0).any():
        raise _unknown(
            sales,
            at < 0,
            "store",
            "name stores that the planned shares do not have for that product",
            "correct the store ids, or give those stores a planned share (0 if none)",
        )
    n_sold = np.bincount(at, weights=sales["units"].to_numpy(float), minlength=len(out)).astype(
        float
    )
    prior = out["share"].to_numpy(float)
    prior = prior / out.groupby("sku")["share"].transform("sum").to_numpy(float)
    by_sku = products.set_index("sku")
    mu = out["sku"].map(by_sku["mean"]).to_numpy(float)
    sigma = out["sku"].map(by_sku["sd"]).to_numpy(float)
    var_total = np.where(np.isnan(sigma), mu, sigma * sigma)  # blank sd: Poisson
    if prior_strength is None:
        planned = pd.Series(prior > 0).groupby(out["sku"].to_numpy()).sum()
        strengths: pd.Series = (planned - 1).clip(lower=0).astype(float) / SHARE_CV**2
    else:
        strengths = pd.Series(float(prior_strength), index=pd.unique(out["sku"]))
    k = out["sku"].map(strengths).to_numpy(float)
    n_total = pd.Series(n_sold).groupby(out["sku"].to_numpy()).transform("sum").to_numpy(float)
    share, share_var = _posterior_shares(prior, n_sold, k, n_total)
    var = (
        mu * (share * (1.0 - share) - share_var)
        + var_total * (share * share + share_var)
        + mu * mu * share_var
    )
    result = pd.DataFrame(
        {
            "sku": out["sku"].astype(str).to_numpy(),
            "store": out["store"].astype(str).to_numpy(),
            "mean": mu * share,
            "sd": np.sqrt(np.maximum(var, 0.0)),
            "share": share,
            "share_sd": np.sqrt(share_var),
            "planned_share": prior,
            "units_sold": n_sold,
        }
    )
    for column in ("sku", "store"):
        result[column] = text_array(result[column].to_numpy(dtype=object))
    if "exclude" in out.columns:
        result["exclude"] = out["exclude"].to_numpy(dtype=bool)
    result.attrs = {
        "source": "store_remaining_demand",
        "prior_strength": {str(s): float(v) for s, v in strengths.items()},
    }
    return result


def _posterior_shares(
    prior: FloatArray, sold: FloatArray, strength: FloatArray, sold_total: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of each store's Dirichlet posterior share (``inf`` strength: the plan).

    A product with no prior weight and no sales (one planned store, nothing sold) keeps the plan.
    """
    concentration = strength + sold_total
    finite = np.isfinite(strength) & (concentration > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(finite, (strength * prior + sold) / concentration, prior)
        var = np.where(finite, share * (1.0 - share) / (concentration + 1.0), 0.0)
    return share, np.maximum(var, 0.0)


def _product_table(product_demand: Source) -> pd.DataFrame:
    raw = read_table(product_demand, name="product_demand")
    label = str(raw.attrs["source"])
    check_required(raw, ["sku", "mean"], label, "remaining demand")
    out = pd.DataFrame({"sku": id_column(raw, "sku", label)}, index=raw.index)
    out["mean"] = finite_numbers(
        raw, "mean", label, minimum=0.0, fix="give the remaining units expected (0 or more)"
    )
    out["sd"] = (
        finite_numbers(
            raw,
            "sd",
            label,
            allow_blank=True,
            minimum=0.0,
            fix="give the standard deviation (0 or more), or leave it blank for Poisson",
        )
        if "sd" in raw.columns
        else np.nan
    )
    out.attrs = {"source": label, "row_noun": raw.attrs.get("row_noun", "row")}
    check_unique(out, ["sku"], label, "give one row per sku")
    return out


def _share_table(planned_shares: Source) -> pd.DataFrame:
    fix = "give each store's planned share (0 or more)"
    out = _pair_table(planned_shares, "planned_shares", "share", fix)
    label = str(out.attrs["source"])
    check_unique(out, ["sku", "store"], label, "give one row per sku and store")
    return out


# ---------------------------------------------------------------------------- holdback release
_REASONS = {
    "excluded": "excluded: the store does not carry the product (or is closed)",
    "soft_cut": "minimum cut: the released units ran out (grade order)",
    "full": "no unit: its stock already fills its cap",
    "minimum": "brought up to its presentation minimum (its stock counts)",
    "cap": "cap reached (its stock counts)",
    "marginal": "marginal analysis: its next units sell more likely than any other store's",
    "covered": "no unit: its stock covers its expected remaining demand",
    "threshold": "no unit: its next unit would sell with a chance below min_sell_probability",
    "none": "no unit: other stores sell the released units more likely",
}
_ORDER = list(_REASONS)
_REASON_TEXT = np.array([_REASONS[k] for k in _ORDER], dtype=object)


def _per_sku(values: PerSku, name: str, skus: list[str]) -> IntArray:
    """Whole units per sku of ``skus`` (0 where not given) from an int, a mapping or a table."""
    fix = f"give the {name.replace('_', ' ')} in whole units (0 or more) per sku"
    if isinstance(values, bool):
        raise DataValidationError(f"{name}: True/False is not a number of units. Fix: {fix}.")
    if isinstance(values, (int, float, np.integer, np.floating)):
        number = float(values)
        if not (np.isfinite(number) and number >= 0 and number == int(number)):
            raise DataValidationError(
                f"{name}: {values!r} is not a whole number of units. Fix: {fix}."
            )
        if number and len(skus) != 1:
            shown = ", ".join(map(repr, skus[:5])) + (" ..." if len(skus) > 5 else "")
            raise DataValidationError(
                f"{name}: one number was given but the demand covers {len(skus)} skus ({shown}). "
                f"Fix: pass a table with columns sku, units (or a dict sku -> units)."
            )
        return np.full(len(skus), int(number), dtype=np.int64)
    if isinstance(values, Mapping):
        values = pd.DataFrame({"sku": list(values), "units": list(values.values())})
        values.attrs["source"] = name
    table = read_table(values, name=name)
    label = str(table.attrs["source"])
    check_required(table, ["sku", "units"], label, name.replace("_", " "))
    out = pd.DataFrame({"sku": id_column(table, "sku", label)}, index=table.index)
    out["units"] = finite_numbers(table, "units", label, minimum=0.0, fix=fix)
    out.attrs = {"source": label, "row_noun": table.attrs.get("row_noun", "row")}
    _whole(out, f"the {name.replace('_', ' ')}")
    check_unique(out, ["sku"], label, "give one row per sku")
    unknown = _position(_texts(out["sku"]), np.array(skus, dtype=object)) < 0
    if unknown.any():
        raise _unknown(
            out,
            unknown,
            "sku",
            "name products that the store demand does not have",
            "give their store demand, or drop these rows",
        )
    units = out.set_index("sku")["units"].reindex(skus).fillna(0.0)
    return units.to_numpy(dtype=np.int64)


def _check_release_options(min_sell_probability: float) -> None:
    value = float(min_sell_probability) if not isinstance(min_sell_probability, bool) else -1.0
    if not 0.0 <= value < 1.0:
        raise AllocationError(
            f"{option('min_sell_probability', min_sell_probability)}: must be a chance in [0, 1). "
            f"Fix: pass e.g. {option('min_sell_probability', 0.3)} to send a unit only where it "
            "sells with a chance of 30 % or more, or 0 to send every unit a store would sell."
        )


def _items_worth(value: ValueFn, lo: IntArray, hi: IntArray, level: float) -> IntArray:
    """Per pair, the largest ``x`` in ``[lo, hi]`` whose items ``lo + 1 .. x`` are each worth at
    least ``level`` (item values fall with the item number): galloping, then bisection."""
    n = len(lo)
    pairs = np.arange(n, dtype=np.int64)
    good = lo.copy()
    bad = hi + 1
    step = np.ones(n, dtype=np.int64)
    live = good < hi
    while live.any():
        k = np.flatnonzero(live)
        probe = np.minimum(good[k] + step[k], hi[k])
        ok = value(pairs[k], probe) >= level
        good[k[ok]] = probe[ok]
        step[k[ok]] *= 2
        bad[k[~ok]] = probe[~ok]
        live[k[~ok]] = False
        live[k[ok]] = probe[ok] < hi[k[ok]]
    while True:
        open_ = bad - good > 1
        if not open_.any():
            return good
        k = np.flatnonzero(open_)
        mid = (good[k] + bad[k]) // 2
        ok = value(pairs[k], mid) >= level
        good[k[ok]] = mid[ok]
        bad[k[~ok]] = mid[~ok]


def release_holdback(
    demand: Source,
    stock: Source,
    holdback: PerSku,
    *,
    stores: StoresTable | Source | None = None,
    second_batch: PerSku = 0,
    pack_size: int = 1,
    min_sell_probability: float = 0.0,
    soft_minimums: bool = False,
    warehouse: str = "DC",
) -> pd.DataFrame:
    """Place the warehouse holdback (and a second batch) over stores by their demand net of stock.

    The units released, ``holdback + second_batch`` per product, go by the exact marginal analysis
    of :func:`forecasting.allocation.allocate` (the solver it uses, with its order of service and
    tie-break): each next unit goes to the store whose next unit most likely sells, where a store's
    next unit is the one after its stock, worth ``P(D >= stock + sent + 1)`` for its remaining
    demand ``D``. A store whose stock covers its demand gets nothing while any other store's next
    unit is more likely to sell.

    What stays at the warehouse, as in :func:`~forecasting.allocation.allocate`: units beyond every
    store's cap, units that do not fill a pack, and units that no store would sell with a chance of
    at least ``min_sell_probability`` (default 0: the allocator's own rule, a chance below
    :data:`~forecasting.allocation.solver.NEGLIGIBLE`, 1e-15). A planner who will release again
    later passes a higher ``min_sell_probability`` (e.g. 0.3) to keep units that would likely be
    left over in a store. Every unit is accounted for: per product the units sent and the warehouse
    row add up to the units released.

    Parameters
    ----------
    demand : path or DataFrame
        Each store's remaining demand: ``sku``, ``store``, ``mean``, optional ``sd`` (blank:
        Poisson) and ``exclude``, e.g. the result of :func:`store_remaining_demand`.
    stock : path or DataFrame
        Units still in each store (shipped minus sold): ``sku``, ``store``, ``units`` (whole, 0 or
        more). A pair without a row holds nothing.
    holdback : int, dict or table
        Units at the warehouse per product: a table ``sku``, ``units``, a dict sku -> units, or one
        int when the demand has one product.
    stores : StoresTable, path or DataFrame, optional
        The stores table: presentation minimums (``min_units``) and caps (``max_units``) count the
        stock already in the store; ``grade`` orders soft minimums; a store missing from the demand
        gets zero demand (and a warning), one with a ``close_date`` nothing.
    second_batch : int, dict or table, default 0
        Units of a second batch arriving now, per product, released with the holdback.
    pack_size : int, default 1
        Units are sent in whole packs. A store's stock then counts as the nearest whole number of
        packs when the next pack's chance of selling is valued (exact with packs of one).
    min_sell_probability : float, default 0.0
        A unit is sent only where its chance of selling is at least this (per unit of a pack);
        minimums are kept regardless.
    soft_minimums : bool, default False
        Keep minimums only while the released units allow (stores in ``grade`` order, then store
        id) instead of raising.
    warehouse : str, default "DC"
        The ``store`` label of the warehouse row.

    Returns
    -------
    DataFrame
        Per sku, one row per store, then a warehouse row: ``sku``, ``store``, ``units`` (sent; on
        the warehouse row: kept), ``stock`` (in the store before; on the warehouse row: the units
        released, holdback plus second batch), ``units_after`` (``stock + units``; warehouse:
        kept), ``mean``, ``sd``, ``minimum`` (units the store must reach counting its stock),
        ``cap`` (NaN: none), ``last_unit_sell_probability`` (``P(D >= units_after)`` where units
        were sent), ``next_unit_sell_probability`` (``P(D >= units_after + 1)`` where the store
        could take more) and ``reason``. ``attrs["shadow_price"]`` holds per sku the chance of
        selling of the last unit placed by marginal analysis.

    Raises
    ------
    AllocationError
        The units released cannot bring every store to its minimum (without ``soft_minimums``),
        or bad options.
    DataValidationError
        A table breaks its contract, or the stock names a product or store that the demand (and
        the stores table) does not have. The message names the column and the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = pd.DataFrame({"sku": "N1", "store": ["A", "B", "C"], "mean": [30.0, 20.0, 5.0]})
    >>> stock = pd.DataFrame({"sku": "N1", "store": ["A", "B", "C"], "units": [5, 25, 2]})
    >>> stores = pd.DataFrame({"store": ["A", "B", "C"], "min_units": [0, 0, 8]})
    >>> out = release_holdback(demand, stock, 30, stores=stores)
    >>> out[["store", "units", "units_after"]].to_dict("list")
    {'store': ['A', 'B', 'C', 'DC'], 'units': [24, 0, 6, 0], 'units_after': [29, 25, 8, 0]}
    >>> print(out["reason"].iat[1])
    no unit: its stock covers its expected remaining demand
    """
    check_allocation_options(pack_size, 0.0, warehouse)
    _check_release_options(min_sell_probability)
    p = int(pack_size)
    dem = demand_columns(demand)
    source = str(dem.attrs.get("source", "demand"))
    if dem.sku_code is None or dem.sku_names is None:
        raise missing_column_error(
            dem.frame(), "sku", source, "required column of the store demand table is missing"
        )
    skus = sorted(dem.sku_names.tolist())
    release = _per_sku(holdback, "holdback", skus) + _per_sku(second_batch, "second_batch", skus)
    qty = QuantityColumns(np.array(skus, dtype=object), release, {})
    cons = constraint_columns(stores)
    rows = complete_demand(qty, dem, cons)  # its warnings name the caller
    assert rows.group is not None  # the demand has a sku column
    names = rows.store_names
    rank_of = np.empty(len(names), dtype=np.int64)
    rank_of[np.argsort(names, kind="stable")] = np.arange(len(names))
    take = np.flatnonzero(rows.group >= 0)
    take = take[np.lexsort((rank_of[rows.store[take]], rows.group[take]))]
    group, store = rows.group[take], rows.store[take]
    mean, sd = rows.mean[take], rows.sd[take]
    if cons is not None:
        min_units, max_units = cons.min_units[store], cons.max_units[store]
        closed_or_out = rows.exclude[take] | (max_units == 0)
    else:
        min_units, max_units = np.zeros(len(take)), np.full(len(take), np.inf)
        closed_or_out = rows.exclude[take].copy()
    y = _stock_per_pair(stock, qty.sku[group], names[store])  # units already in each store
    n_groups = len(skus)
    offset = y if p == 1 else np.floor(y / p + 0.5).astype(np.int64)
    need_units = np.where(closed_or_out, 0.0, np.maximum(min_units - y, 0.0))
    room_units = np.where(closed_or_out, 0.0, np.maximum(max_units - y, 0.0))
    release_items = release // p
    room_items = np.floor(np.minimum(room_units, 2.0**62) / p).astype(np.int64)
    need = np.minimum(np.ceil(need_units / p).astype(np.int64), room_items)  # the cap wins
    room = np.minimum(room_items, need + release_items[group])
    total_need = np.bincount(group, weights=need, minlength=n_groups).astype(np.int64)
    short = total_need > release_items
    soft_cut = np.zeros(len(take), dtype=bool)
    if short.any() and not soft_minimums:
        raise AllocationError(_short_message(skus, total_need * p, release, short))
    if short.any():
        grade = cons.grade_key()[store] if cons is not None else np.zeros(len(take), np.int64)
        cut = np.flatnonzero(short[group])
        order = cut[np.lexsort((rank_of[store[cut]], grade[cut], group[cut]))]
        g = group[order]
        before = np.cumsum(need[order]) - need[order]
        first = np.r_[True, g[1:] != g[:-1]]
        start = np.zeros(n_groups, dtype=np.int64)
        start[g[first]] = before[first]
        kept = np.clip(release_items[g] - (before - start[g]), 0, need[order])
        soft_cut[order] = kept < need[order]
        need[order] = kept
        room[order] = kept
    lo = offset + need
    hi = offset + room
    value = item_values(mean, sd, p)
    level = max(float(min_sell_probability), NEGLIGIBLE) * p
    if min_sell_probability > 0:
        hi = np.maximum(_items_worth(value, lo, hi, level), lo)
    n_items = np.bincount(group, weights=offset, minlength=n_groups).astype(np.int64)
    x = solve(mean, sd, lo, hi, n_items + release_items, group, rank_of[store], p)
    units = (x - offset) * p
    after = y + units
    last = np.where(units > 0, sell_probability(mean, sd, after), np.nan)
    can_more = (units + p <= room_units) & ~soft_cut & ~closed_or_out
    nxt = np.where(can_more, sell_probability(mean, sd, after + 1), np.nan)
    greedy = units > need * p
    shadow = np.full(n_groups, np.inf)
    np.minimum.at(shadow, group[greedy], last[greedy])
    shadow = np.where(np.isinf(shadow), np.nan, shadow)
    reason = _reasons(
        units, need * p, room_units, y, mean, nxt, closed_or_out, soft_cut,
        float(min_sell_probability), level / p, p,
    )  # fmt: skip
    sent = np.bincount(group, weights=units, minlength=n_groups).astype(np.int64)
    at_room = (units >= room_items * p) | closed_or_out
    stuck = np.bincount(group, weights=~at_room, minlength=n_groups) == 0
    wh_reason = _warehouse_reasons(release, sent, p, stuck, float(min_sell_probability))
    minimum = np.where(closed_or_out, 0, np.minimum(min_units, y + room_items * p)).astype(np.int64)
    frame = _frame(
        skus, group, names[store], units, y, mean, sd, minimum, max_units, last, nxt, reason,
        release, sent, wh_reason, warehouse,
    )  # fmt: skip
    frame.attrs = {
        "release": {
            "pack_size": p,
            "min_sell_probability": float(min_sell_probability),
            "soft_minimums": bool(soft_minimums),
            "warehouse": warehouse,
        },
        "shadow_price": dict(zip(skus, shadow.tolist(), strict=True)),
    }
    return frame


def _stock_per_pair(stock: Source, pair_sku: np.ndarray, pair_store: np.ndarray) -> IntArray:
    """The units of ``stock`` at each (sku, store) pair (0 without a row)."""
    table = _pair_table(stock, "stock", "units", "give the units still in each store (0 or more)")
    _whole(table, "the stock")
    check_unique(
        table, ["sku", "store"], str(table.attrs["source"]), "give one row per sku and store"
    )
    no_sku = _position(_texts(table["sku"]), pd.unique(pair_sku)) < 0
    if no_sku.any():
        raise _unknown(
            table,
            no_sku,
            "sku",
            "name products that the store demand does not have",
            "give their store demand, or drop their stock rows",
        )
    at = _position(_pair_keys(table), _joined(pair_sku, pair_store))
    if (at < 0).any():
        raise _unknown(
            table,
            at < 0,
            "store",
            "name stores that the store demand (and the stores table) does not have for that "
            "product",
            "correct the store ids, or give those stores a demand row",
        )
    out = np.zeros(len(pair_sku), dtype=np.int64)
    out[at] = table["units"].to_numpy(dtype=np.int64)
    return out


def _short_message(skus: list[str], need: IntArray, release: IntArray, short: BoolArray) -> str:
    parts = [
        f"{skus[g]!r} needs {int(need[g])} units to bring stores to their minimums (their stock "
        f"counts) but {int(release[g])} are released"
        for g in np.flatnonzero(short)[:5]
    ]
    more = f" and {int(short.sum()) - 5} more skus" if short.sum() > 5 else ""
    fix = (
        f"release more (a {option('second_batch')}), lower min_units in the stores table, or "
        f"pass {option('soft_minimums', True)} to keep minimums while the units allow "
        "(in grade order)"
    )
    return f"presentation minimums cannot all be met: {'; '.join(parts)}{more}. Fix: {fix}."


def _reasons(
    units: IntArray,
    need: IntArray,
    room_units: FloatArray,
    stock: IntArray,
    mean: FloatArray,
    nxt: FloatArray,
    excluded: BoolArray,
    soft_cut: BoolArray,
    min_sell_probability: float,
    level: float,
    p: int,
) -> np.ndarray:
    """The ``reason`` of each store row (the first of :data:`_ORDER` that applies)."""
    at_cap = np.isfinite(room_units) & (units + p > room_units)
    codes = np.select(
        [
            excluded,
            soft_cut,
            np.isfinite(room_units) & (room_units < p) & (units == 0),
            (units > 0) & (units == need),
            (units > 0) & at_cap,
            units > 0,
            stock >= mean,
            (min_sell_probability > 0) & ~(nxt >= level),
        ],
        np.arange(len(_ORDER) - 1),
        default=len(_ORDER) - 1,
    )
    return _REASON_TEXT[codes]


def _warehouse_reasons(
    release: IntArray, sent: IntArray, p: int, stuck: BoolArray, min_sell_probability: float
) -> list[str]:
    """Where each sku's warehouse units come from."""
    out = []
    for total, out_units, full in zip(release.tolist(), sent.tolist(), stuck.tolist(), strict=True):
        odd = total % p
        kept = total - out_units - odd
        parts = [f"{total} units released, {out_units} sent"]
        if odd:
            parts.append(f"{odd} units do not fill a pack of {p}")
        if kept and full:
            parts.append(f"{kept} units beyond what every store can take (caps)")
        elif kept and min_sell_probability > 0:
            parts.append(
                f"{kept} units would sell in no store with a chance of at least "
                f"{min_sell_probability:g} (or stores are at their cap)"
            )
        elif kept:
            parts.append(
                f"{kept} units the stores cannot take (caps, or a chance of selling below "
                f"{NEGLIGIBLE:g})"
            )
        out.append("; ".join(parts))
    return out


def _frame(
    skus: list[str],
    group: IntArray,
    store_names: np.ndarray,
    units: IntArray,
    stock: IntArray,
    mean: FloatArray,
    sd: FloatArray,
    minimum: IntArray,
    cap: FloatArray,
    last: FloatArray,
    nxt: FloatArray,
    reason: np.ndarray,
    release: IntArray,
    sent: IntArray,
    warehouse_reason: list[str],
    warehouse: str,
) -> pd.DataFrame:
    """Each sku's store rows, then its warehouse row."""
    n_groups = len(skus)
    rows = np.arange(len(group)) + group
    dc = np.cumsum(np.bincount(group, minlength=n_groups)) + np.arange(n_groups)
    size = len(group) + n_groups

    def column(values: Any, warehouse_values: Any, dtype: Any) -> np.ndarray:
        out: np.ndarray = np.empty(size, dtype=dtype)
        out[rows] = values
        out[dc] = warehouse_values
        return out

    sku_names = np.array(skus, dtype=object)
    kept = release - sent
    nan = np.nan
    return pd.DataFrame(
        {
            "sku": text_array(column(sku_names[group], sku_names, object)),
            "store": text_array(column(store_names, warehouse, object)),
            "units": column(units, kept, np.int64),
            "stock": column(stock, release, np.int64),
            "units_after": column(stock + units, kept, np.int64),
            "mean": column(mean, nan, np.float64),
            "sd": column(sd, nan, np.float64),
            "minimum": column(minimum, 0, np.int64),
            "cap": column(np.where(np.isfinite(cap), cap, nan), nan, np.float64),
            "last_unit_sell_probability": column(last, nan, np.float64),
            "next_unit_sell_probability": column(nxt, nan, np.float64),
            "reason": text_array(column(reason, np.array(warehouse_reason, dtype=object), object)),
        }
    )
