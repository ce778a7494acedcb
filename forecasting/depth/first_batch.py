"""First-batch depth: the newsvendor quantity of each new product, floored by presentation minimums.

The first batch of a new style must cover demand until replenishment can arrive (``horizon_weeks``).
Every unit short is a lost margin ``price - unit_cost`` (the underage cost); every unit left over
loses ``unit_cost - salvage_value`` (the overage cost). The quantity that minimises the expected sum
of both is the smallest ``q`` with ``P(D <= q) >= critical_ratio``, where

    critical_ratio = (price - unit_cost) / (price - salvage_value).

The demand distribution (normal, log-normal, Poisson, negative binomial; ``"auto"`` picks) and the
exact expectations are those of :mod:`forecasting.depth.newsvendor`.

Examples
--------
>>> import pandas as pd
>>> demand = pd.DataFrame({"sku": ["A"], "mean": [100.0], "sd": [30.0]})
>>> products = pd.DataFrame({"sku": ["A"], "category": ["coat"], "price": [100.0],
...                          "unit_cost": [40.0], "salvage_value": [20.0]})
>>> first_batch_depth(demand, products, distribution="normal")[["critical_ratio", "depth"]]
   critical_ratio  depth
0            0.75    120
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.depth.newsvendor import (
    Distribution,
    newsvendor_outcomes,
    newsvendor_quantity,
    resolve_distribution,
)
from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.readers import ProductsTable, StoresTable, as_products, as_stores
from forecasting.inputs.tables import Source

__all__ = ["first_batch_depth", "outer_quantile_sd"]


def _rows(frame: pd.DataFrame, mask: pd.Series | np.ndarray, columns: list[str]) -> str:
    bad = frame.loc[np.asarray(mask, dtype=bool), columns].head(5)
    return "; ".join(", ".join(f"{c}={row[c]!r}" for c in columns) for _, row in bad.iterrows())


def demand_table(demand: pd.DataFrame, horizon_weeks: int) -> pd.DataFrame:
    if not isinstance(demand, pd.DataFrame):
        raise DataValidationError(
            "demand must be a DataFrame with sku, mean, sd (or a weekly forecast)."
        )
    missing = [c for c in ("sku", "mean") if c not in demand.columns]
    if missing:
        raise DataValidationError(
            f"demand lacks column(s) {missing}; give sku, mean, sd per product (combine_judgments "
            "output) "
            "or sku, week, mean, p10, p90 (NewProductForecaster.predict output)."
        )
    if "week" not in demand.columns:
        out = demand[["sku", "mean"]].copy()
        out["sd"] = demand["sd"].astype(float) if "sd" in demand.columns else np.nan
        out["sku"] = out["sku"].astype(str)
        dup = out["sku"].duplicated(keep=False)
        if dup.any():
            raise DataValidationError(
                f"demand has several rows per sku: {_rows(out, dup, ['sku', 'mean'])}. Give one "
                "row per sku "
                "(a weekly forecast needs a 'week' column)."
            )
        return out
    weekly = demand.copy()
    weekly["sku"] = weekly["sku"].astype(str)
    short = weekly.groupby("sku")["week"].max() < horizon_weeks
    if short.any():
        raise DataValidationError(
            f"the weekly forecast covers fewer than horizon_weeks={horizon_weeks} weeks for sku(s) "
            f"{list(short[short].index[:5])}; forecast a longer horizon or lower horizon_weeks."
        )
    if {"cum_mean", "cum_sd"} <= set(weekly.columns):  # the forecaster's calibrated totals
        at = weekly[weekly["week"] == horizon_weeks]
        return pd.DataFrame(
            {
                "sku": at["sku"].to_numpy(),
                "mean": at["cum_mean"].to_numpy(float),
                "sd": at["cum_sd"].to_numpy(float),
                "_auto": "lognormal",
            }
        )
    weekly = weekly[weekly["week"] <= horizon_weeks]
    out = weekly.groupby("sku", sort=False)["mean"].sum().to_frame()
    sd = outer_quantile_sd(weekly)
    # weeks of one product move together (its level is the main uncertainty): add the sds
    out["sd"] = np.nan if sd is None else sd.groupby(weekly["sku"], sort=False).sum()
    return out.reset_index()


def outer_quantile_sd(forecast: pd.DataFrame) -> pd.Series | None:
    """Each row's sd from its outermost quantile columns, as a normal distribution's.

    ``(p_hi - p_lo) / (z_hi - z_lo)`` for the lowest quantile column below ``p50`` and the highest
    above it (columns named ``p<integer>``); ``None`` when there is no such pair.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"mean": [10.0], "p10": [7.4368], "p50": [10.0], "p90": [12.5632]})
    >>> outer_quantile_sd(f).round(3).tolist()
    [2.0]
    >>> outer_quantile_sd(f[["mean", "p50"]]) is None
    True
    """
    qcols = sorted(
        (c for c in forecast.columns if isinstance(c, str) and c[:1] == "p" and c[1:].isdigit()),
        key=lambda c: int(c[1:]),
    )
    if len(qcols) < 2 or not int(qcols[0][1:]) < 50 < int(qcols[-1][1:]):
        return None
    lo, hi = qcols[0], qcols[-1]
    width = float(stats.norm.ppf(int(hi[1:]) / 100) - stats.norm.ppf(int(lo[1:]) / 100))
    return (forecast[hi] - forecast[lo]) / width


def _floors(
    skus: pd.Series,
    products: pd.DataFrame,
    stores: StoresTable | Source | None,
    assortment: pd.DataFrame | None,
) -> pd.DataFrame:
    zero = pd.DataFrame(
        {"sku": skus, "presentation_minimum": 0.0, "n_stores": 0, "store_capacity": np.inf}
    )
    if stores is None:
        if assortment is not None:
            raise DataValidationError("assortment: give the stores table too (their min_units).")
        return zero
    st = as_stores(stores).frame
    if assortment is None:  # every store carries every product
        pairs = skus.to_frame("sku").merge(st, how="cross")
    else:
        if not isinstance(assortment, pd.DataFrame) or not {"store", "sku"} <= set(
            assortment.columns
        ):
            raise DataValidationError(
                "assortment: give a DataFrame with columns store and sku (one row per store "
                "carrying a sku)."
            )
        carry = assortment[["store", "sku"]].astype(str).drop_duplicates()
        unknown = ~carry["store"].isin(st["store"])
        if unknown.any():
            raise DataValidationError(
                f"assortment: store(s) {list(carry.loc[unknown, 'store'].unique()[:5])} are not "
                "in the stores "
                "table; add them or correct the store ids."
            )
        pairs = carry.merge(st, on="store", how="left")
    if "launch_date" in products.columns:
        pairs = pairs.merge(products[["sku", "launch_date"]], on="sku", how="left")
        if "close_date" in pairs.columns:
            pairs = pairs[
                ~(pairs["close_date"].notna() & (pairs["close_date"] <= pairs["launch_date"]))
            ]
        if "open_date" in pairs.columns:
            pairs = pairs[
                ~(pairs["open_date"].notna() & (pairs["open_date"] > pairs["launch_date"]))
            ]
    caps = pairs["max_units"] if "max_units" in pairs.columns else pd.Series(np.nan, pairs.index)
    pairs = pairs.assign(_cap=caps.fillna(np.inf))  # a store without a cap takes any quantity
    agg = pairs.groupby("sku").agg(
        presentation_minimum=("min_units", "sum"),
        n_stores=("store", "nunique"),
        store_capacity=("_cap", "sum"),
    )
    out = zero[["sku"]].merge(agg.reset_index(), on="sku", how="left")
    # a product no store carries has no room anywhere
    return out.fillna({"presentation_minimum": 0.0, "n_stores": 0, "store_capacity": 0.0})


def first_batch_depth(
    demand: pd.DataFrame,
    products: ProductsTable | Source,
    stores: StoresTable | Source | None = None,
    horizon_weeks: int = 4,
    *,
    distribution: Distribution = "auto",
    assortment: pd.DataFrame | None = None,
    holdback: float = 0.0,
) -> pd.DataFrame:
    """First-batch depth of each new product: the newsvendor quantity, floored by the minimums.

    The depth never exceeds what the stores can take: with a cap (``max_units``) on every store
    that carries a product, the depth is at most the sum of their caps (divided by
    ``1 - holdback`` when a share is kept at the warehouse); ``capped_units`` says how many units
    the caps took off, and the expected sales, leftovers and sell-through are those of the capped
    depth.

    Parameters
    ----------
    demand : pandas.DataFrame
        Demand over the horizon per product: ``sku``, ``mean``, ``sd`` (the output of
        :func:`~forecasting.depth.combine_judgments`); or a weekly forecast ``sku``, ``week``,
        ``mean``, ``p10``, ``p90`` (:meth:`NewProductForecaster.predict
        <forecasting.depth.newproducts.NewProductForecaster.predict>`): its ``cum_mean`` and
        ``cum_sd`` at
        week ``horizon_weeks`` when present; otherwise the first ``horizon_weeks`` weeks are summed
        and the sd of the sum is the sum of the weekly sds, each ``(p_hi - p_lo) / (z_hi - z_lo)``
        from the outermost quantiles (weeks of one product rise and fall together, so this errs on
        the wide side). Without ``sd`` the demand is taken as Poisson. With ``"auto"``, the
        forecaster's totals are taken as log-normal, other demand as negative binomial or Poisson.
    products : ProductsTable, DataFrame or path
        The products (:func:`forecasting.inputs.validate_products`): ``sku``, ``category``,
        ``price``, ``unit_cost``, optional ``salvage_value`` (0 when absent: unsold units are worth
        nothing), optional ``launch_date`` (stores closed by then, or opening after it, do not carry
        the product).
    stores : StoresTable, DataFrame or path, optional
        Stores (:func:`forecasting.inputs.validate_stores`) with ``min_units``, the presentation
        minimum of a store (blank = 0). Every store carries every product unless ``assortment`` says
        otherwise; a store closed by the product's ``launch_date``, or opening after it, does not
        carry it.
    horizon_weeks : int, default 4
        The weeks the first batch must cover before replenishment can arrive (used to sum a weekly
        forecast).
    distribution : {"auto", "normal", "lognormal", "poisson", "negbin"}, default "auto"
        The demand distribution (see the module notes).
    assortment : pandas.DataFrame, optional
        Which store carries which product: columns ``store``, ``sku``, one row per pair.
    holdback : float, default 0.0
        Share of each product kept at the warehouse (as in
        :func:`~forecasting.allocation.allocate`); the stores' caps bound the rest.

    Returns
    -------
    pandas.DataFrame
        One row per product of ``demand``: ``sku, mean, sd, distribution, price, unit_cost,
        salvage_value, critical_ratio, newsvendor_depth, presentation_minimum, n_stores,
        store_capacity, depth, forced_units, capped_units, expected_sales, expected_leftover,
        expected_lost_sales, sell_through, fill_rate, expected_profit``. ``forced_units`` are the
        units the presentation minimums add above the newsvendor quantity; ``store_capacity`` is
        what the stores (and the warehouse's share) can take, ``inf`` without caps;
        ``capped_units`` are the units the caps took off.

    Raises
    ------
    DataValidationError
        Missing columns, a product without price or cost, a price below unit cost, a salvage value
        at or above unit cost, negative or missing demand, a demand sku that is not among the
        products.

    Examples
    --------
    >>> import pandas as pd
    >>> demand = pd.DataFrame({"sku": ["A", "B"], "mean": [100.0, 6.0], "sd": [50.0, 2.0]})
    >>> products = pd.DataFrame({"sku": ["A", "B"], "category": ["coat", "coat"],
    ...                          "price": [100.0, 100.0],
    ...                          "unit_cost": [40.0, 40.0], "salvage_value": [20.0, 20.0]})
    >>> stores = pd.DataFrame({"store": ["S1", "S2", "S3"], "min_units": [4.0, 4.0, 2.0]})
    >>> out = first_batch_depth(demand, products, stores)
    >>> out[["sku", "distribution", "newsvendor_depth", "depth", "forced_units"]]
      sku distribution  newsvendor_depth  depth  forced_units
    0   A       negbin               128    128             0
    1   B      poisson                 8     10             2
    """
    if int(horizon_weeks) < 1:
        raise DataValidationError(f"horizon_weeks must be >= 1, got {horizon_weeks!r}.")
    if not 0.0 <= float(holdback) < 1.0:
        raise DataValidationError(
            f"{option('holdback', holdback)}: must be a share in [0, 1). Fix: pass e.g. "
            f"{option('holdback', 0.2)} to keep 20 % at the warehouse."
        )
    table = demand_table(demand, int(horizon_weeks))
    bad = ~np.isfinite(table["mean"].astype(float)) | (table["mean"] < 0) | (table["sd"] < 0)
    if bad.any():
        raise DataValidationError(
            f"demand has negative or missing mean/sd: {_rows(table, bad, ['sku', 'mean', 'sd'])}. "
            "Mean and sd of demand must be finite and >= 0."
        )
    prods = as_products(products).frame
    prods = prods.assign(sku=prods["sku"].astype(str))
    need = [c for c in ("price", "unit_cost") if c not in prods.columns]
    if need:
        raise DataValidationError(
            f"products lack column(s) {need}; first_batch_depth needs price and unit_cost per "
            "product "
            "(and optionally salvage_value) to weigh lost sales against leftovers."
        )
    if "salvage_value" not in prods.columns:
        prods = prods.assign(salvage_value=0.0)
    unknown = ~table["sku"].isin(prods["sku"])
    if unknown.any():
        raise DataValidationError(
            f"demand names sku(s) missing from products: {list(table.loc[unknown, 'sku'][:5])}; "
            "add them to the products table with price and unit_cost."
        )
    econ = ["sku", "price", "unit_cost", "salvage_value"]
    df = table.merge(prods.drop_duplicates("sku")[econ], on="sku", how="left")
    missing = df[["price", "unit_cost", "salvage_value"]].isna().any(axis=1)
    if missing.any():
        raise DataValidationError(
            f"products have no price, unit_cost or salvage_value for: {_rows(df, missing, econ)}. "
            "Fill them in (salvage_value may be 0)."
        )
    loss = df["price"] < df["unit_cost"]
    if loss.any():
        raise DataValidationError(
            f"products: price is below unit_cost for {_rows(df, loss, econ)}; a product sold at a "
            "loss has "
            "no profitable first batch. Check the price and unit_cost columns."
        )
    salvage = df["salvage_value"] >= df["unit_cost"]
    if salvage.any():
        raise DataValidationError(
            f"products: salvage_value is not below unit_cost for {_rows(df, salvage, econ)}; "
            "leftovers would "
            "cost nothing and any quantity would do. Check salvage_value."
        )
    df["critical_ratio"] = (df["price"] - df["unit_cost"]) / (df["price"] - df["salvage_value"])
    floors = _floors(df["sku"], prods, stores, assortment)
    df = df.merge(floors, on="sku", how="left")
    records = []
    sds = df["sd"].to_numpy(float)
    floor = df["presentation_minimum"].to_numpy(float)
    room = df["store_capacity"].to_numpy(float) / (1.0 - float(holdback))
    df["store_capacity"] = np.floor(room + 1e-9)
    auto = df["_auto"].to_numpy(object) if "_auto" in df.columns else np.full(len(df), None)
    for i, (mean, cr) in enumerate(
        zip(df["mean"].to_numpy(float), df["critical_ratio"].to_numpy(float), strict=True)
    ):
        sd = None if np.isnan(sds[i]) else float(sds[i])
        asked = auto[i] if distribution == "auto" and isinstance(auto[i], str) else distribution
        if asked == "lognormal" and (sd is None or mean == 0):
            asked = "auto"
        kind: Distribution = resolve_distribution(float(mean), sd, asked)  # type: ignore[assignment]
        q_nv = newsvendor_quantity(float(mean), sd, float(cr), kind)
        wanted = max(q_nv, math.ceil(float(floor[i]) - 1e-9))
        q = wanted if not np.isfinite(room[i]) else min(wanted, math.floor(room[i] + 1e-9))
        out = newsvendor_outcomes(q, float(mean), sd, kind)
        records.append(
            {
                "distribution": kind,
                "newsvendor_depth": q_nv,
                "depth": q,
                "forced_units": max(0, q - q_nv),
                "capped_units": wanted - q,
                **out,
            }
        )
    res = pd.concat([df.reset_index(drop=True), pd.DataFrame(records)], axis=1)
    res["sell_through"] = np.where(
        res["depth"] > 0, res["expected_sales"] / res["depth"].clip(lower=1), np.nan
    )
    res["fill_rate"] = np.where(
        res["mean"] > 0, res["expected_sales"] / res["mean"].clip(lower=1e-12), 1.0
    )
    res["expected_profit"] = (
        res["price"] * res["expected_sales"]
        + res["salvage_value"] * res["expected_leftover"]
        - res["unit_cost"] * res["depth"]
    )
    res["n_stores"] = res["n_stores"].astype(int)
    cols = [
        "sku",
        "mean",
        "sd",
        "distribution",
        "price",
        "unit_cost",
        "salvage_value",
        "critical_ratio",
        "newsvendor_depth",
        "presentation_minimum",
        "n_stores",
        "store_capacity",
        "depth",
        "forced_units",
        "capped_units",
        "expected_sales",
        "expected_leftover",
        "expected_lost_sales",
        "sell_through",
        "fill_rate",
        "expected_profit",
    ]
    return res[cols]
