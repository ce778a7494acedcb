"""Benchmark: zero-history forecasts and first-batch depth on VISUELLE (Italian fast fashion).

VISUELLE 1.0 (Skenderi et al., "Well Googled is Half Done", the GTM-Transformer paper) holds 5,080
new products with their attributes, release date and first 12 weeks of sales (normalised; x1065
gives units), and weekly Google Trends of every attribute. It is *benchmark only*: read from
``../shared/data/visuelle``, never copied into the project.

Protocol: a random 10 % of ``train.csv`` (seed 0) is held out as the test set; every model learns
from the other 90 %. Reported over the 12 weeks of each test product:

- WAPE (sum |error| / sum actual) and MAE (units per product-week) of
  the category mean curve, the category median curve, an attribute kNN (20 nearest past launches by
  category, colour, fabric and extra, ties broken by release day of year) and
  :class:`NewProductForecaster` (``p50`` is its point forecast; ``mean`` shown too), without and
  with the Google Trends features;
- the share of product-weeks inside the model's 80 % interval (p10-p90), and of 12-week totals
  inside the 10-90 % range of the negative binomial that :func:`first_batch_depth` fits to the
  forecast's ``cum_mean`` and ``cum_sd``;
- newsvendor cost of the 12-week first batch with underage 0.6 and overage 0.4 per unit (price 1,
  cost 0.4,
  salvage 0: critical ratio 0.6): buying the category mean, the category's 60 % quantile of past
  totals, and ``first_batch_depth`` on the model's forecast.

Published reference (the 497-product test split of the paper; not this random split):
GTM-Transformer WAPE ~55 % with images and trends; category mean curve 61.6 %, attribute kNN 61-65
%.

Run: ``/work/venv/bin/python benchmarks/new_products.py`` (about a minute or two on one core).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.depth.first_batch import first_batch_depth
from forecasting.depth.newproducts import NewProductForecaster

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "visuelle"
UNITS = 1065.0
WEEKS = [str(i) for i in range(12)]
ATTRS = ["category", "color", "fabric", "extra"]
UNDERAGE, OVERAGE = 0.6, 0.4


def load(data: Path) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    raw = pd.read_csv(data / "train.csv", parse_dates=["release_date"])
    products = pd.DataFrame(
        {
            "sku": raw["external_code"].astype(str),
            **{a: raw[a] for a in ATTRS},
            "launch_date": raw["release_date"],
        }
    )
    curves = raw[WEEKS].to_numpy(float) * UNITS
    trends = pd.read_csv(data / "gtrends.csv", parse_dates=["date"])
    return products, curves, trends


def long_sales(products: pd.DataFrame, curves: np.ndarray) -> pd.DataFrame:
    """Weekly sales labelled by the Sunday ending each week (week 1: launch + 0..6 days)."""
    launch = products["launch_date"].to_numpy(dtype="datetime64[D]")
    weeks = np.arange(12)
    start = launch[:, None] + (7 * weeks)[None, :].astype("timedelta64[D]")
    to_sunday = (6 - pd.DatetimeIndex(start.ravel()).day_of_week.to_numpy()) % 7
    dates = start.ravel() + to_sunday.astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), 12),
            "date": pd.to_datetime(dates),
            "units": curves.ravel(),
        }
    )


def knn_curves(
    train: pd.DataFrame, y_train: np.ndarray, test: pd.DataFrame, k: int = 20
) -> np.ndarray:
    a = train[ATTRS].astype(str).to_numpy()
    b = test[ATTRS].astype(str).to_numpy()
    doy_a = train["launch_date"].dt.day_of_year.to_numpy()
    doy_b = test["launch_date"].dt.day_of_year.to_numpy()
    out = np.empty((len(test), y_train.shape[1]))
    for i in range(len(test)):
        mismatch = (a != b[i]).sum(axis=1).astype(float)
        gap = np.abs(doy_a - doy_b[i])
        dist = mismatch + np.minimum(gap, 365 - gap) / 366.0
        out[i] = y_train[np.argsort(dist, kind="stable")[:k]].mean(axis=0)
    return out


def wape(pred: np.ndarray, actual: np.ndarray) -> float:
    return float(np.abs(pred - actual).sum() / actual.sum() * 100)


def newsvendor_cost(buy: np.ndarray, demand: np.ndarray) -> float:
    return float(
        (UNDERAGE * np.clip(demand - buy, 0, None) + OVERAGE * np.clip(buy - demand, 0, None)).sum()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not (args.data / "train.csv").exists():
        print(f"VISUELLE not found at {args.data}", file=sys.stderr)
        return 1
    t0 = time.perf_counter()
    products, curves, trends = load(args.data)
    order = np.random.default_rng(args.seed).permutation(len(products))
    n_test = len(products) // 10
    test_idx, train_idx = np.sort(order[:n_test]), np.sort(order[n_test:])
    train, test = (
        products.iloc[train_idx].reset_index(drop=True),
        products.iloc[test_idx].reset_index(drop=True),
    )
    y_train, y_test = curves[train_idx], curves[test_idx]
    sales = long_sales(train, y_train)

    rows: list[tuple[str, np.ndarray, str]] = []
    cat_train = train["category"].to_numpy()
    mean_curve = pd.DataFrame(y_train).groupby(cat_train).mean()
    median_curve = pd.DataFrame(y_train).groupby(cat_train).median()
    rows.append(("category mean curve", mean_curve.loc[test["category"]].to_numpy(), ""))
    rows.append(("category median curve", median_curve.loc[test["category"]].to_numpy(), ""))
    rows.append(("attribute kNN (k=20)", knn_curves(train, y_train, test), ""))

    timings = {}
    forecasts = {}
    for label, tr in (("no trends", None), ("+ Google Trends", trends)):
        start = time.perf_counter()
        model = NewProductForecaster(horizon_weeks=12, n_threads=1)
        model.fit(sales, products=train, trends=tr)
        fc = model.predict(test)
        timings[label] = time.perf_counter() - start
        forecasts[label] = fc
        p50 = fc["p50"].to_numpy().reshape(len(test), 12)
        mean = fc["mean"].to_numpy().reshape(len(test), 12)
        lo, hi = (
            fc["p10"].to_numpy().reshape(len(test), 12),
            fc["p90"].to_numpy().reshape(len(test), 12),
        )
        cover = float(((y_test >= lo) & (y_test <= hi)).mean() * 100)
        rows.append((f"NewProductForecaster p50, {label}", p50, f"{cover:.1f}"))
        rows.append((f"NewProductForecaster mean, {label}", mean, f"{cover:.1f}"))

    print(
        f"VISUELLE: {len(train)} past launches, {len(test)} held-out (random 10 %, "
        f"seed {args.seed}); 12 weeks; units = normalised sales x 1065\n"
    )
    print("| model | WAPE % | MAE (units/week) | 80 % interval coverage % |")
    print("|---|---:|---:|---:|")
    for name, pred, cov in rows:
        mae = float(np.abs(pred - y_test).mean())
        print(f"| {name} | {wape(pred, y_test):.1f} | {mae:.1f} | {cov or '-'} |")

    # first batch for 12 weeks: price 1, unit cost 0.4, salvage 0 -> underage 0.6, overage 0.4
    total = y_test.clip(min=0).sum(axis=1)
    econ = test.assign(price=1.0, unit_cost=OVERAGE, salvage_value=0.0)
    totals_train = pd.Series(y_train.clip(min=0).sum(axis=1)).groupby(cat_train)
    buys = {
        "category mean": totals_train.mean().loc[test["category"]].to_numpy(),
        "category 60 % quantile": totals_train.quantile(UNDERAGE).loc[test["category"]].to_numpy(),
    }
    cover_total = {}
    for label, fc in forecasts.items():
        for dist in ("negbin", "lognormal"):
            depth = first_batch_depth(fc, econ, horizon_weeks=12, distribution=dist)
            shown = "lognormal, the default" if dist == "lognormal" else dist
            name = f"first_batch_depth ({shown}), {label}"
            buys[name] = depth["depth"].to_numpy(float)
            sd, mu = depth["sd"].to_numpy(), depth["mean"].to_numpy()
            if dist == "negbin":
                p, n = mu / sd**2, mu**2 / (sd**2 - mu)
                lo, hi = stats.nbinom.ppf(0.1, n, p), stats.nbinom.ppf(0.9, n, p)
            else:
                s2 = np.log1p((sd / mu) ** 2)
                lo, hi = (mu * np.exp(-s2 / 2 + z * np.sqrt(s2)) for z in (-1.2816, 1.2816))
            cover_total[name] = float(((total >= lo) & (total <= hi)).mean() * 100)
    base = newsvendor_cost(buys["category mean"], total)
    print(
        "\n| first batch (12 weeks) | newsvendor cost (0.6 under, 0.4 over) | vs category mean "
        "| totals in its 80 % range |"
    )
    print("|---|---:|---:|---:|")
    for name, buy in buys.items():
        cost = newsvendor_cost(buy, total)
        cov = f"{cover_total[name]:.1f} %" if name in cover_total else "-"
        print(f"| {name} | {cost:,.0f} | {100 * (cost / base - 1):+.1f} % | {cov} |")
    print(
        "fit + predict seconds: "
        + ", ".join(f"{k} {v:.0f}" for k, v in timings.items())
        + f"; total {time.perf_counter() - t0:.0f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
