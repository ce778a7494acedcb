"""The second batch: how much more to buy once the first weeks of sales are known.

After ``k`` weeks in stores, a new product's remaining demand has been updated from its own sales
(:meth:`~forecasting.depth.NewProductForecaster.predict` with ``observed=``). What is still on hand
(in stores and in the warehouse holdback) serves the weeks until a reorder can arrive,
``lead_weeks`` after it is placed; a second batch ordered now serves only the weeks after that. So
the quantity is a newsvendor on the demand *after* the lead time that the stock left over from the
lead time cannot cover:

``X = max(D_after - max(S - D_lead, 0), 0)``, ordered ``Q = F_X^{-1}(critical ratio)``,

with ``S`` the stock, ``D_lead`` the demand of the next ``lead_weeks`` weeks and ``D_after`` the
rest of the season. Units short during the lead time are lost whatever is ordered; units of the
second batch left at the end are sold at ``salvage_value``. ``D_lead`` and the season's remaining
total are read from the forecast's calibrated running totals (``cum_mean``, ``cum_sd``) as
log-normal distributions and taken comonotone (a product that sells above its forecast in the next
two weeks sells above it afterwards: the level error dominates a new product's uncertainty).

The quantity is ``0`` ("none") when the stock already covers the season at the critical ratio, and
rounded up to whole ``pack_size`` packs when one is given. Each row says what each choice is
expected to leave: lost sales and leftovers with the second batch and without it.

Examples
--------
>>> import pandas as pd
>>> forecast = pd.DataFrame({"sku": ["A"] * 4, "week": [3, 4, 5, 6],
...                          "cum_mean": [50.0, 100.0, 140.0, 170.0],
...                          "cum_sd": [20.0, 40.0, 55.0, 65.0]})
>>> batch = second_batch(forecast, stock={"A": 80}, price=100, unit_cost=40, salvage_value=10)
>>> batch[["sku", "stock", "quantity", "decision"]]
  sku  stock  quantity decision
0   A   80.0        77    order
>>> second_batch(forecast, stock={"A": 400}, price=100, unit_cost=40).loc[0, "decision"]
'none'
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.depth.distributions import lognormal_parameters
from forecasting.exceptions import DataValidationError

__all__ = ["SECOND_BATCH_COLUMNS", "first_batch_before_reorder", "second_batch"]

SECOND_BATCH_COLUMNS = [
    "sku",
    "first_week",
    "stock",
    "demand_lead",
    "demand_after",
    "critical_ratio",
    "quantity",
    "decision",
    "expected_sold",
    "expected_lost_sales",
    "expected_leftover",
    "expected_lost_sales_without",
    "expected_leftover_without",
    "expected_profit_gain",
]
"""The columns of :func:`second_batch`: one row per sku."""

_U = (np.arange(2000) + 0.5) / 2000  # equally likely quantile levels of the demand


def _lognormal_quantiles(mean: float, sd: float) -> np.ndarray:
    """Demand at each level of ``_U`` of a log-normal with this mean and sd (0 for no demand)."""
    if not mean > 0:
        return np.zeros_like(_U)
    mu, sigma = lognormal_parameters(mean, max(sd, 0.0))
    out: np.ndarray = np.exp(mu + sigma * stats.norm.ppf(_U))
    return out


def _per_sku(
    values: pd.DataFrame | Mapping[str, float] | float, name: str, skus: pd.Index
) -> np.ndarray:
    """A per-sku number given as a scalar, a mapping or a table ``sku, <name>``."""
    if isinstance(values, int | float | np.number):
        out = np.full(len(skus), float(values))
    elif isinstance(values, pd.DataFrame):
        column = name if name in values else "units"
        if "sku" not in values or column not in values:
            raise DataValidationError(
                f"{name}: the table needs columns 'sku' and '{column}', got {list(values.columns)}."
            )
        series = values.assign(sku=values["sku"].astype(str)).groupby("sku")[column].sum()
        out = series.reindex(skus).to_numpy(float)
    else:
        out = (
            pd.Series({str(k): float(v) for k, v in dict(values).items()}).reindex(skus).to_numpy()
        )
    missing = np.isnan(out)
    if missing.any():
        raise DataValidationError(
            f"{name}: no value for sku {list(skus[missing][:5])}; give one for every sku of the "
            "forecast."
        )
    if (out < 0).any():
        raise DataValidationError(
            f"{name}: negative for sku {list(skus[out < 0][:5])}; give units of 0 or more."
        )
    return out


Economics = pd.DataFrame | Mapping[str, float] | float


def _priced_forecast(
    forecast: pd.DataFrame,
    price: Economics,
    unit_cost: Economics,
    salvage_value: Economics,
    what: str,
) -> tuple[pd.DataFrame, pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """The forecast sorted by sku and week, its skus, and their price, unit cost and salvage."""
    required = {"sku", "week", "cum_mean", "cum_sd"}
    if not required <= set(forecast.columns):
        raise DataValidationError(
            f"forecast: missing columns {sorted(required - set(forecast.columns))}; give {what} "
            "with its running totals (cum_mean, cum_sd)."
        )
    frame = forecast.assign(sku=forecast["sku"].astype(str)).sort_values(
        ["sku", "week"], kind="stable"
    )
    skus = pd.Index(frame["sku"].drop_duplicates().to_numpy())
    p = _per_sku(price, "price", skus)
    c = _per_sku(unit_cost, "unit_cost", skus)
    v = _per_sku(salvage_value, "salvage_value", skus)
    bad = (p <= c) | (v > c)
    if bad.any():
        raise DataValidationError(
            f"price/unit_cost/salvage_value: for sku {list(skus[bad][:5])} the price is not above "
            "the unit cost or the salvage value is above it; give price > unit_cost >= "
            "salvage_value."
        )
    return frame, skus, p, c, v


def _outcome(
    during: np.ndarray, after: np.ndarray, stock: float, extra: float
) -> tuple[float, float, float]:
    """Expected units sold, lost and left over with ``extra`` units arriving after the lead time."""
    carried = np.maximum(stock - during, 0.0)
    sold = np.minimum(during, stock) + np.minimum(after, carried + extra)
    lost = during + after - sold
    return float(sold.mean()), float(lost.mean()), float((stock + extra - sold).mean())


def second_batch(
    forecast: pd.DataFrame,
    stock: pd.DataFrame | Mapping[str, float] | float,
    *,
    price: Economics,
    unit_cost: Economics,
    salvage_value: Economics = 0.0,
    lead_weeks: int = 2,
    pack_size: int = 1,
) -> pd.DataFrame:
    """The newsvendor quantity of a second batch given the updated remaining demand and the stock.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The forecast of each product's weeks not yet observed, with calibrated running totals:
        ``sku``, ``week``, ``cum_mean``, ``cum_sd`` (units of the forecast's weeks up to ``week``),
        as :meth:`~forecasting.depth.NewProductForecaster.predict` returns with ``observed=``.
        Its first week per sku is the first week the second batch's lead time runs in.
    stock : table, mapping or number
        Units on hand per sku: what the stores still hold plus the warehouse holdback (a table
        ``sku, units``, summed over stores; a mapping sku -> units; or one number for all).
    price, unit_cost, salvage_value : table, mapping or number
        Selling price, cost of a unit of the second batch, and what a unit left at the end of the
        season fetches (per sku, as ``stock``; a table may name the column as the argument, e.g.
        the products table's ``price``). The critical ratio is ``(price - unit_cost) / (price -
        salvage_value)``.
    lead_weeks : int, default 2
        Weeks from ordering to the second batch being in stores. Demand in these weeks is served
        by the stock alone.
    pack_size : int, default 1
        The quantity is a whole number of packs.

    Returns
    -------
    pandas.DataFrame
        One row per sku (:data:`SECOND_BATCH_COLUMNS`): ``first_week`` (the first forecast week),
        ``stock``, the expected demand of the lead time (``demand_lead``) and after it
        (``demand_after``), ``critical_ratio``, ``quantity`` and ``decision`` (``"order"`` or
        ``"none"``), and with that quantity the expected units sold, lost and left over (of all the
        stock), the same without a second batch (``..._without``) and the expected profit gained
        by ordering.

    Raises
    ------
    DataValidationError
        Missing columns, a sku without stock or economics, a price not above the unit cost, a
        salvage value above the unit cost, or a forecast with fewer weeks left than the lead time
        (for a product whose season ends before a reorder arrives, there is nothing to decide).
    """
    if int(lead_weeks) < 0 or int(pack_size) < 1:
        raise DataValidationError(
            f"lead_weeks must be 0 or more and pack_size 1 or more, got {lead_weeks}, {pack_size}."
        )
    frame, skus, p, c, v = _priced_forecast(
        forecast, price, unit_cost, salvage_value, "the forecast of the weeks not yet observed"
    )
    on_hand = _per_sku(stock, "stock", skus)
    ratio = (p - c) / (p - v)
    rows = []
    lead = int(lead_weeks)
    for i, (sku, weeks) in enumerate(frame.groupby("sku", sort=False)):
        if len(weeks) <= lead:
            raise DataValidationError(
                f"forecast: sku {sku!r} has {len(weeks)} weeks left, not more than lead_weeks="
                f"{lead}: a second batch would arrive after its season."
            )
        total = _lognormal_quantiles(
            float(weeks["cum_mean"].iloc[-1]), float(weeks["cum_sd"].iloc[-1])
        )
        if lead:
            during = _lognormal_quantiles(
                float(weeks["cum_mean"].iloc[lead - 1]), float(weeks["cum_sd"].iloc[lead - 1])
            )
        else:
            during = np.zeros_like(total)
        during = np.minimum(during, total)
        after = total - during
        s = on_hand[i]
        carried = np.maximum(s - during, 0.0)  # stock left when the batch arrives
        short = np.maximum(after - carried, 0.0)  # demand only a second batch can meet
        q = float(np.quantile(short, ratio[i]))
        q = float(np.ceil(q / pack_size - 1e-9) * pack_size) if q > 0 else 0.0

        sold, lost, left = _outcome(during, after, s, q)
        sold0, lost0, left0 = _outcome(during, after, s, 0.0)
        gain = p[i] * (sold - sold0) - c[i] * q + v[i] * (left - left0)
        rows.append(
            {
                "sku": sku,
                "first_week": int(weeks["week"].iloc[0]),
                "stock": float(s),
                "demand_lead": float(during.mean()),
                "demand_after": float(after.mean()),
                "critical_ratio": float(ratio[i]),
                "quantity": int(q),
                "decision": "order" if q > 0 else "none",
                "expected_sold": sold,
                "expected_lost_sales": lost,
                "expected_leftover": left,
                "expected_lost_sales_without": lost0,
                "expected_leftover_without": left0,
                "expected_profit_gain": float(gain),
            }
        )
    return pd.DataFrame(rows, columns=SECOND_BATCH_COLUMNS)


def first_batch_before_reorder(
    forecast: pd.DataFrame,
    *,
    reorder_week: int,
    price: Economics,
    unit_cost: Economics,
    salvage_value: Economics = 0.0,
) -> pd.DataFrame:
    """The first batch of a product that will get a second batch in week ``reorder_week``.

    Bought alone, a first batch is the newsvendor of the whole season. With a second batch to come,
    a unit of the first batch is short only if the weeks *before the second batch arrives* sell
    out, and left over only if the *whole season* does not sell it (a unit still on hand when the
    second batch arrives is one unit less to order). Its expected marginal cost is
    ``-underage x P(D_before > q) + overage x P(D_season < q)``, and the quantity is the smallest
    ``q`` where that turns non-negative. The two demands come from the launch-time forecast's
    calibrated running totals, log-normal and comonotone as in :func:`second_batch`.

    Parameters
    ----------
    forecast : pandas.DataFrame
        Launch-time forecast: ``sku``, ``week``, ``cum_mean``, ``cum_sd`` (weeks from 1).
    reorder_week : int
        The first week the second batch is in stores (weeks observed + lead weeks + 1).
    price, unit_cost, salvage_value : table, mapping or number
        As in :func:`second_batch`.

    Returns
    -------
    pandas.DataFrame
        ``sku``, ``quantity``, and the expected demand before the reorder (``demand_before``) and
        over the season (``demand_season``).

    Examples
    --------
    >>> import pandas as pd
    >>> forecast = pd.DataFrame({"sku": ["A"] * 6, "week": [1, 2, 3, 4, 5, 6],
    ...                          "cum_mean": [30.0, 60.0, 90.0, 115.0, 140.0, 160.0],
    ...                          "cum_sd": [15.0, 30.0, 45.0, 55.0, 65.0, 75.0]})
    >>> first_batch_before_reorder(forecast, reorder_week=5, price=1, unit_cost=0.4)["quantity"]
    0    134
    Name: quantity, dtype: int64
    """
    frame, _, p, c, v = _priced_forecast(
        forecast, price, unit_cost, salvage_value, "the launch-time forecast"
    )
    under, over = p - c, c - v
    rows = []
    for i, (sku, weeks) in enumerate(frame.groupby("sku", sort=False)):
        before = weeks[weeks["week"] < int(reorder_week)]
        season = weeks.iloc[-1]
        total = _lognormal_quantiles(float(season["cum_mean"]), float(season["cum_sd"]))
        if before.empty:
            cover = np.zeros_like(total)
        else:
            last = before.iloc[-1]
            cover = np.minimum(
                _lognormal_quantiles(float(last["cum_mean"]), float(last["cum_sd"])), total
            )
        q = np.arange(int(np.ceil(total.max())) + 2, dtype=float)
        short = 1.0 - np.searchsorted(cover, q, side="right") / len(cover)  # P(D_before > q)
        over_p = np.searchsorted(total, q, side="left") / len(total)  # P(D_season < q)
        stop = np.flatnonzero(under[i] * short <= over[i] * over_p)
        rows.append(
            {
                "sku": sku,
                "quantity": int(q[stop[0]]) if stop.size else int(q[-1]),
                "demand_before": float(cover.mean()),
                "demand_season": float(total.mean()),
            }
        )
    return pd.DataFrame(rows, columns=["sku", "quantity", "demand_before", "demand_season"])
