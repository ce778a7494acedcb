"""Replenishment of continuing products: periodic-review order-up-to quantities.

This is *not* how a new product is first distributed (that is
:func:`forecasting.allocation.allocate`, which has no history per store to keep in stock). Use it
for products already selling, with a forecast.

With review period ``R`` and lead time ``L`` (days), an order placed now must cover demand until the
next order arrives, the *protection period* ``L + R``. Over it demand has mean ``mu`` (the forecast
summed over the period, a partial last period counted pro rata) and standard deviation ``sigma``
(per-period ``sd``, else ``(p90 - p10) / (2 * 1.2816)``, else Poisson ``sqrt(mean)``; periods
independent). Then::

    order_up_to = ceil(mu + z * sigma),  z = Phi^-1(service_level)     (cycle service level)
    order       = max(0, order_up_to - on_hand - on_order), rounded up to whole packs

Examples
--------
>>> import pandas as pd
>>> weeks = pd.date_range("2012-03-02", periods=4, freq="W-FRI")
>>> fc = pd.DataFrame({"store": "A", "sku": "T1", "date": weeks,
...                    "mean": 10.0, "sd": 3.0})
>>> out = replenish(pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [12]}), fc, 7, 7)
>>> out[["demand_mean", "order_up_to", "order"]].round(2).to_dict("list")
{'demand_mean': [20.0], 'order_up_to': [26], 'order': [14]}
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
from scipy import special

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import normalize_freq
from forecasting.inputs.tables import finite_numbers, id_column, parse_dates, read_table
from forecasting.inputs.validation import check_required, check_unique, data_error

__all__ = ["replenish"]

Source = str | os.PathLike[str] | pd.DataFrame
_Z90 = float(special.ndtri(0.9))


def _period_days(forecast: pd.DataFrame, keys: list[str], freq: str | None) -> float:
    if freq is not None:
        return 7.0 if normalize_freq(freq).startswith("W") else 1.0
    steps = (
        forecast.groupby(keys)["date"].diff().dropna().dt.days
        if keys
        else forecast["date"].diff().dropna().dt.days
    )
    if len(steps):
        return float(steps.min())
    return 1.0


def _read_forecast(forecast: Source) -> tuple[pd.DataFrame, list[str]]:
    raw = read_table(forecast, name="forecast")
    source = str(raw.attrs["source"])
    check_required(raw, ["date", "mean"], source, "forecast")
    keys = [k for k in ("store", "sku") if k in raw.columns]
    out = pd.DataFrame(index=raw.index)
    for k in keys:
        out[k] = id_column(raw, k, source)
    out["date"] = parse_dates(raw, "date", source)
    out["mean"] = finite_numbers(raw, "mean", source, minimum=0.0, fix="give forecast units (>= 0)")
    if "sd" in raw.columns:
        out["var"] = finite_numbers(raw, "sd", source, minimum=0.0) ** 2
    elif {"p10", "p90"} <= set(raw.columns):
        spread = finite_numbers(raw, "p90", source) - finite_numbers(raw, "p10", source)
        out["var"] = (spread.clip(lower=0.0) / (2 * _Z90)) ** 2
    else:
        out["var"] = out["mean"]
    out.attrs = dict(raw.attrs)
    check_unique(out, [*keys, "date"], source, "give one forecast row per series and date")
    return out.sort_values([*keys, "date"]).reset_index(drop=True), keys


def _read_stock(on_hand: Source, keys: list[str]) -> pd.DataFrame:
    raw = read_table(on_hand, name="on_hand")
    source = str(raw.attrs["source"])
    if "on_hand" not in raw.columns and "units" in raw.columns:
        raw = raw.rename(columns={"units": "on_hand"})
    check_required(raw, [*keys, "on_hand"], source, "on-hand stock")
    out = pd.DataFrame(index=raw.index)
    for k in keys:
        out[k] = id_column(raw, k, source)
    out["on_hand"] = finite_numbers(
        raw, "on_hand", source, fix="give the units in stock (0 if none)"
    )
    out["on_order"] = (
        finite_numbers(raw, "on_order", source, allow_blank=True).fillna(0.0)
        if "on_order" in raw.columns
        else 0.0
    )
    out.attrs = dict(raw.attrs)
    if keys:
        check_unique(out, keys, source, "give one stock row per " + " and ".join(keys))
    return out.reset_index(drop=True)


def replenish(
    on_hand: Source,
    forecast: Source,
    lead_time_days: float,
    review_days: float,
    service_level: float = 0.9,
    pack_size: int = 1,
    *,
    freq: str | None = None,
) -> pd.DataFrame:
    """Order-up-to replenishment orders per store x sku, for continuing products only.

    Parameters
    ----------
    on_hand : path or DataFrame
        ``store``, ``sku`` (the key columns of the forecast), ``on_hand`` (or ``units``), optional
        ``on_order`` (units already ordered, not yet arrived).
    forecast : path or DataFrame
        Forecast per period from :meth:`forecasting.models.DemandForecaster.predict`: keys,
        ``date``, ``mean`` and ``sd`` or ``p10``/``p90`` (else Poisson). Daily or weekly (see
        ``freq``); it must cover the protection period from its first date.
    lead_time_days : float
        Days from placing an order to having it on the shelf (>= 0).
    review_days : float
        Days between two orders (> 0).
    service_level : float, default 0.9
        Probability of not running out before the next order arrives (cycle service level).
    pack_size : int, default 1
        Orders are rounded up to whole packs.
    freq : str, optional
        The forecast's frequency, ``"D"`` or ``"W-<DAY>"`` (e.g. ``forecaster.freq_``); default:
        the spacing of its dates.

    Returns
    -------
    DataFrame
        Keys, ``on_hand``, ``on_order``, ``inventory_position``, ``demand_mean``, ``demand_sd``
        (over lead time + review), ``safety_stock``, ``order_up_to``, ``order`` (int).

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"store": ["A"] * 3, "date": pd.date_range("2012-03-01", periods=3),
    ...                    "mean": [4.0, 4.0, 4.0]})
    >>> stock = pd.DataFrame({"store": ["A"], "on_hand": [3]})
    >>> replenish(stock, fc, 1, 1, pack_size=6)["order"].tolist()
    [12]
    """
    if not (np.isfinite(lead_time_days) and lead_time_days >= 0):
        raise DataValidationError(f"lead_time_days={lead_time_days!r}: give 0 or more days.")
    if not (np.isfinite(review_days) and review_days > 0):
        raise DataValidationError(f"review_days={review_days!r}: give a positive number of days.")
    if not (0.0 < float(service_level) < 1.0):
        raise DataValidationError(
            f"service_level={service_level!r}: give a probability strictly between "
            "0 and 1, e.g. 0.9."
        )
    if isinstance(pack_size, bool) or int(pack_size) != pack_size or pack_size < 1:
        raise DataValidationError(
            f"pack_size={pack_size!r}: give a whole number of units, 1 or more."
        )
    fc, keys = _read_forecast(forecast)
    stock = _read_stock(on_hand, keys)
    period = _period_days(fc, keys, freq)
    horizon = float(lead_time_days) + float(review_days)
    if keys:
        fc["step"] = fc.groupby(keys).cumcount()
    else:
        fc["step"] = np.arange(len(fc))
    weight = np.clip((horizon - fc["step"].to_numpy() * period) / period, 0.0, 1.0)
    fc["w_mean"] = weight * fc["mean"].to_numpy()
    fc["w_var"] = weight * fc["var"].to_numpy()
    fc["covered"] = (fc["step"] + 1) * period
    if keys:
        agg = fc.groupby(keys, as_index=False).agg(
            demand_mean=("w_mean", "sum"), var=("w_var", "sum"), covered=("covered", "max")
        )
    else:
        agg = pd.DataFrame(
            {
                "demand_mean": [fc["w_mean"].sum()],
                "var": [fc["w_var"].sum()],
                "covered": [fc["covered"].max()],
            }
        )
    short = agg["covered"].to_numpy() < horizon - 1e-9
    if short.any():
        raise data_error(
            str(fc.attrs.get("source", "forecast")),
            "date",
            f"the forecast covers fewer days than lead time + review ({horizon:g} days)",
            "forecast further ahead or shorten the lead time/review",
            agg,
            short,
            show=[*keys, "covered"],
        )
    merged = agg.merge(stock, on=keys, how="outer", indicator=True) if keys else agg.join(stock)
    if keys:
        for side, what in (("left_only", "no on-hand stock row"), ("right_only", "no forecast")):
            miss = (merged["_merge"] == side).to_numpy()
            if miss.any():
                raise data_error(
                    "on_hand",
                    keys[-1],
                    f"{int(miss.sum())} series have {what}",
                    "give stock and forecast for the same store x sku series",
                    merged,
                    miss,
                    show=keys,
                )
        merged = merged.drop(columns="_merge")
    z = float(special.ndtri(float(service_level)))
    sd = np.sqrt(merged["var"].to_numpy(float))
    mu = merged["demand_mean"].to_numpy(float)
    up_to = np.ceil(mu + z * sd - 1e-9)
    position = merged["on_hand"].to_numpy(float) + merged["on_order"].to_numpy(float)
    raw_order = np.maximum(up_to - position, 0.0)
    order = (np.ceil(raw_order / pack_size - 1e-9) * pack_size).astype(np.int64)
    out = merged[keys].copy() if keys else pd.DataFrame(index=merged.index)
    out["on_hand"] = merged["on_hand"].to_numpy(float)
    out["on_order"] = merged["on_order"].to_numpy(float)
    out["inventory_position"] = position
    out["demand_mean"] = mu
    out["demand_sd"] = sd
    out["safety_stock"] = z * sd
    out["order_up_to"] = up_to.astype(np.int64)
    out["order"] = order
    return out.reset_index(drop=True)
