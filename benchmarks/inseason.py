"""Benchmark: new products' forecasts updated from their first weeks of sales; the second batch.

Data and split as in ``benchmarks/new_products.py``: VISUELLE's ``train.csv`` (5,080 new products,
12 weeks of sales each, units = normalised sales x 1065) sorted by release date; the last 10 %
(508 products) are the test set, and :class:`~forecasting.depth.NewProductForecaster` learns from
the earlier 90 % (the update from early sales is learned inside ``fit``, from the held-out
launch-time forecasts of those past launches). VISUELLE is benchmark only, read from
``../shared/data/visuelle``.

Protocol
--------
1. **Updated forecast.** Each test product's first ``k`` weeks (1, 2, 3) are given as
   ``observed`` (``sku, week, units``); ``predict(test, observed=...)`` forecasts weeks
   ``k + 1 .. 12``. Reported: WAPE % of the weekly ``p50`` over those weeks, WAPE % of the
   remaining-season total (sum of the weekly ``p50``), and the share of weeks inside the 80 %
   interval (``p10 .. p90``). Baselines on the same weeks: the launch-time forecast (the observed
   weeks ignored), the launch-time forecast scaled by the ratio of observed to forecast units of
   weeks ``1..k``, and the category mean curve (of past launches) scaled to the observed weeks.
2. **Second batch.** Newsvendor costs with price 1, unit cost 0.4, salvage 0 (0.6 per unit short,
   0.4 per unit left over; critical ratio 0.6), over the 12 weeks of each test product:

   - *up front*: the whole season bought at launch, ``first_batch_depth`` (log-normal) on the
     launch-time forecast of weeks 1-12;
   - *two batches*: a first batch sized by
     :func:`~forecasting.inseason.first_batch_before_reorder` on the launch-time forecast (short
     if weeks 1-4 sell it out before a second batch can arrive, over only if the whole season
     does not sell it); after week 2 the product's sales so far
     (censored by that stock: a week sells at most what is left) update the forecast, and
     :func:`~forecasting.inseason.second_batch` orders with the stock left, arriving two weeks
     after the order (in stores for week 5). Weeks 3-4 sell from the first batch only. Lost sales
     and leftovers are counted on the actual weekly demand, units short in any week lost.

   The cost of each, and the second-batch saving against up front.

Run from the repository root::

    python benchmarks/inseason.py
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from new_products import DATA, dated_sales, load, load_avg, wape, week_sales

from forecasting.depth import NewProductForecaster, first_batch_depth
from forecasting.inputs import DataQualityWarning
from forecasting.inseason import first_batch_before_reorder, second_batch
from forecasting.inseason.update import update_demand

PRICE, COST, SALVAGE = 1.0, 0.4, 0.0
UNDER, OVER = PRICE - COST, COST - SALVAGE
LEAD = 2
SEEN = 2  # weeks observed before the second batch is ordered


def split(products: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(products["launch_date"].to_numpy(), kind="stable")
    n_test = len(products) // 10
    return order[:-n_test], order[-n_test:]


def reshape(fc: pd.DataFrame, column: str, weeks: int) -> np.ndarray:
    return fc[column].to_numpy(float).reshape(-1, weeks)


def accuracy(
    model: NewProductForecaster,
    test: pd.DataFrame,
    actual: np.ndarray,
    curve: np.ndarray,
    launch_fc: pd.DataFrame,
    mean_shape: np.ndarray,
) -> None:
    launch_p50 = reshape(launch_fc, "p50", 12)
    print(
        "\n| weeks observed | model | WAPE % of the weeks after | WAPE % of the remaining total "
        "| 80 % interval coverage % |"
    )
    print("|---:|---|---:|---:|---:|")
    for k in (1, 2, 3):
        observed = week_sales(test, actual)
        observed = observed[observed["week"] <= k]
        fc = model.predict(test, observed=observed)
        rest = actual[:, k:].clip(min=0)
        p50 = reshape(fc, "p50", 12 - k)
        inside = (rest >= reshape(fc, "p10", 12 - k)) & (rest <= reshape(fc, "p90", 12 - k))
        ratio = (actual[:, :k].clip(min=0).sum(1) + 1) / (launch_p50[:, :k].sum(1) + 1)
        seen_curve = curve[:, :k].sum(1)
        scaled_curve = curve[:, k:] * (actual[:, :k].clip(min=0).sum(1) / seen_curve)[:, None]
        season = launch_fc[launch_fc["week"] == 12]
        prior = pd.DataFrame(
            {
                "sku": test["sku"],
                "mean": season["cum_mean"].to_numpy(),
                "sd": season["cum_sd"].to_numpy(),
            }
        )
        sold = pd.DataFrame(
            {"sku": test["sku"], "units": actual[:, :k].clip(min=0).sum(1), "weeks_seen": k}
        )
        bayes = {}
        for label, shape in (("flat curve", None), ("past launches' mean curve", mean_shape)):
            fc_b = update_demand(prior, sold, horizon_weeks=12, curve=shape)
            bayes[label] = (fc_b, reshape(fc_b, "p50", 12 - k))
        rows = [
            ("NewProductForecaster, updated", p50, f"{inside.mean() * 100:.1f}"),
            *[
                (f"update_demand on the launch-time distribution, {label}", pred, "-")
                for label, (_, pred) in bayes.items()
            ],
            ("launch-time forecast (observed weeks ignored)", launch_p50[:, k:], "-"),
            ("launch-time forecast x observed / forecast", launch_p50[:, k:] * ratio[:, None], "-"),
            ("category mean curve scaled to the observed weeks", scaled_curve, "-"),
        ]
        for name, pred, cov in rows:
            print(
                f"| {k} | {name} | {wape(pred, rest):.1f} | "
                f"{wape(pred.sum(1), rest.sum(1)):.1f} | {cov} |"
            )


def costs(
    model: NewProductForecaster, test: pd.DataFrame, actual: np.ndarray, launch_fc: pd.DataFrame
) -> None:
    demand = actual.clip(min=0)
    total = demand.sum(1)
    econ = test.assign(price=PRICE, unit_cost=COST, salvage_value=SALVAGE)
    up_front = first_batch_depth(launch_fc, econ, horizon_weeks=12)["depth"].to_numpy(float)
    cost_up = UNDER * np.clip(total - up_front, 0, None) + OVER * np.clip(up_front - total, 0, None)

    first = (
        first_batch_before_reorder(
            launch_fc,
            reorder_week=SEEN + LEAD + 1,
            price=PRICE,
            unit_cost=COST,
            salvage_value=SALVAGE,
        )
        .set_index("sku")["quantity"]
        .reindex(test["sku"])
        .to_numpy(float)
    )
    stock = first.copy()
    sold = np.zeros_like(demand)
    for w in range(SEEN):  # weeks 1..SEEN sell from the first batch; sales are censored by it
        sold[:, w] = np.minimum(demand[:, w], stock)
        stock -= sold[:, w]
    observed = week_sales(test, sold)
    observed = observed[observed["week"] <= SEEN]
    updated = model.predict(test, observed=observed)
    batch = second_batch(
        updated,
        stock=dict(zip(test["sku"], stock, strict=True)),
        price=PRICE,
        unit_cost=COST,
        salvage_value=SALVAGE,
        lead_weeks=LEAD,
    )
    second = batch.set_index("sku")["quantity"].reindex(test["sku"]).to_numpy(float)
    for w in range(SEEN, 12):
        if w == SEEN + LEAD:
            stock = stock + second
        sold[:, w] = np.minimum(demand[:, w], stock)
        stock -= sold[:, w]
    lost = total - sold.sum(1)
    cost_two = UNDER * lost + OVER * stock
    bought = first + second
    print(
        f"\n| season bought ({len(test)} test products; 0.6 per unit short, 0.4 per unit over) "
        "| units bought | lost sales | leftovers | newsvendor cost | vs up front |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| up front: first_batch_depth on the launch-time forecast of weeks 1-12 "
        f"| {up_front.sum():,.0f} | {np.clip(total - up_front, 0, None).sum():,.0f} "
        f"| {np.clip(up_front - total, 0, None).sum():,.0f} | {cost_up.sum():,.0f} | - |"
    )
    print(
        f"| two batches: weeks 1-{SEEN + LEAD} up front, second_batch after week {SEEN} "
        f"(lead {LEAD} weeks; ordered for {int((second > 0).sum())} products) "
        f"| {bought.sum():,.0f} | {lost.sum():,.0f} | {stock.sum():,.0f} | {cost_two.sum():,.0f} "
        f"| {100 * (cost_two.sum() / cost_up.sum() - 1):+.1f} % |"
    )


def main() -> int:
    warnings.simplefilter(
        "ignore", DataQualityWarning
    )  # VISUELLE's 14 returns, said in new_products
    products, curves, _ = load(DATA)
    train_idx, test_idx = split(products)
    train = products.iloc[train_idx].reset_index(drop=True)
    test = products.iloc[test_idx].reset_index(drop=True)
    actual = curves[test_idx]
    start = time.perf_counter()
    model = NewProductForecaster(horizon_weeks=12).fit(
        dated_sales(train, curves[train_idx]), products=train
    )
    seconds = time.perf_counter() - start
    print(
        f"VISUELLE time-ordered split: {len(train):,} past launches, {len(test)} test products; "
        f"fit {seconds:.1f} s ({load_avg()})"
    )
    launch_fc = model.predict(test)
    cats = products["category"].to_numpy()
    mean_curve = pd.DataFrame(curves[train_idx].clip(min=0)).groupby(cats[train_idx]).mean()
    curve = mean_curve.reindex(cats[test_idx]).to_numpy(float)
    shares = (
        curves[train_idx].clip(min=0) / np.maximum(curves[train_idx].clip(min=0).sum(1), 1)[:, None]
    )
    accuracy(model, test, actual, curve, launch_fc, shares.mean(axis=0))
    costs(model, test, actual, launch_fc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
