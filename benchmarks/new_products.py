"""Benchmark: zero-history forecasts and first-batch depth on VISUELLE (Italian fast fashion).

VISUELLE 1.0 (Skenderi et al., "Well Googled is Half Done", the GTM-Transformer paper) holds 5,080
new products with their attributes (``category``, ``color``, ``fabric``, ``extra``), release date
and first 12 weeks of sales (``train.csv`` columns ``0``..``11``, normalised; x1065 gives units),
and weekly Google Trends of every attribute value (``gtrends.csv``). It is *benchmark only*: read
from ``../shared/data/visuelle``, never copied into the project.

What is measured is :class:`forecasting.depth.NewProductForecaster` used the way a planner uses it:
fitted on the launches released before a date, asked for the launches after it.

Data given to the model
-----------------------
Products: ``sku`` (``external_code``), the four attributes, ``launch_date`` (``release_date``).
Sales: one row per product and week since launch, dated at the product's own launch date
``+ 7 x (week - 1)`` days (launch-anchored weeks, the form VISUELLE has; the skus launch on all
seven weekdays, so the sales are read as frequency ``"W-LAUNCH"``). Units = normalised sales x
1065; the 14 negative product-weeks (returns) are kept.

Protocol
--------
1. **Time-ordered split (the headline).** ``train.csv`` sorted by ``release_date`` (stable sort,
   file order within a day); the last 10 % (508 products) are the test set, every model learns from
   the earlier 90 % (4,572 products, each with its 12 weeks of sales; the last of those weeks run
   up to 12 weeks past the cut-off, as VISUELLE gives them). Reported over the 12 weeks of each
   test product:

   - WAPE % = sum |forecast - actual| / sum actual x 100 of the weekly point forecast (``p50`` for
     :class:`NewProductForecaster`, the median of its calibrated distribution);
   - MAE, units per product-week;
   - 80 % interval coverage % = share of product-weeks with ``p10 <= actual <= p90`` (models with
     intervals only).

   Models: the category mean curve and category median curve (week by week over the category's
   past launches), an attribute kNN (mean curve of the 20 nearest past launches by number of
   differing attributes, ties broken by distance in release day of year), a gradient-boosting peer
   (LightGBM ``LGBMRegressor``: 300 trees, learning rate 0.05, 15 leaves; one row per product-week,
   features the four attributes as categoricals, sine and cosine of the release day of year, the
   release weekday and the week number; target ``log1p`` of the week's units, forecast
   ``expm1``; a benchmark-only dependency, skipped with a note when not installed) and
   :class:`NewProductForecaster` (``horizon_weeks=12``, ``n_threads=None``) without and with the
   Google Trends table.
2. **Rolling origins.** Cut-offs at 60, 70, 80 and 90 % of the release-date order; each time every
   model learns from all products before the cut-off and forecasts the next 10 % (508 products);
   WAPE per origin and their mean, and the forecaster's coverage (the 90 % origin is the headline
   split). Category median curve, kNN, LightGBM and the forecaster without trends.
3. **Random 10 % split** (seed 0: 508 test products drawn at random, 4,572 to learn from): the
   protocol of the earlier README figure. It lets the model learn from launches *after* the ones it
   forecasts, which no planner can; shown for comparison only.
4. **Launch-relative input.** On the headline split the forecaster is also fitted from the same
   sales given as ``sku, week (1..12), units`` (weeks since launch, dated by the products'
   ``launch_date``); its forecast must equal the one fitted from dated rows
   (``numpy.testing.assert_allclose``).
5. **Speed.** ``fit`` on all 5,080 products (dated rows, the model's default of one thread), and
   the fit + predict seconds
   of the headline runs, with the load average of the machine beside them.
6. **First batch.** On the headline split, newsvendor cost of the 12-week first batch with underage
   0.6 and overage 0.4 per unit (price 1, cost 0.4, salvage 0: critical ratio 0.6): buying the
   category mean of past 12-week totals, the category's 60 % quantile of them, and
   :func:`~forecasting.depth.first_batch_depth` on the forecaster's forecast (log-normal, the
   default, and negative binomial), with the share of 12-week totals inside the 10-90 % range of
   the distribution it fits to ``cum_mean`` and ``cum_sd``.

Published reference: GTM-Transformer WAPE ~55 % on the paper's own 497-product test split (with
product images and Google Trends); that split is not in this data (``train.csv`` only), so the
figures here are not directly comparable to it.

Run from the repository root::

    python benchmarks/new_products.py            # everything: about 2 minutes on 2 cores
    python benchmarks/new_products.py --quick    # headline split only: no trends, rolling, random
    python benchmarks/new_products.py --no-rolling
    python benchmarks/new_products.py --threads 2  # two OpenMP threads per fit

The accuracy figures do not depend on ``--threads``; the seconds do. The forecaster's default is one
OpenMP thread per fit: with more threads and another process busy on the same cores, the boosting's
threads wait on each other and a fit can take minutes instead of seconds (read the load average
printed beside each timing).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.depth import NewProductForecaster, first_batch_depth
from forecasting.inputs import DataQualityWarning

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "visuelle"
UNITS = 1065.0
WEEKS = [str(i) for i in range(12)]
ATTRS = ["category", "color", "fabric", "extra"]
UNDERAGE, OVERAGE = 0.6, 0.4
TEST_SHARE = 10  # per cent
ORIGINS = (60, 70, 80, 90)  # per cent of the release-date order
FORECAST_COLUMNS = ["mean", "p10", "p50", "p90", "cum_mean", "cum_sd"]

MEAN_CURVE = "category mean curve"
MEDIAN_CURVE = "category median curve"
KNN = "attribute kNN (k=20)"
LGBM = "LightGBM on attributes (log1p units, week as feature)"
NPF = "NewProductForecaster p50, no trends"
NPF_TRENDS = "NewProductForecaster p50, + Google Trends"
SHORT = {
    MEAN_CURVE: "mean curve",
    MEDIAN_CURVE: "median curve",
    KNN: "kNN",
    LGBM: "LightGBM",
    NPF: "NewProductForecaster",
    NPF_TRENDS: "NewProductForecaster + trends",
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_avg() -> str:
    return "load average {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


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


def dated_sales(products: pd.DataFrame, curves: np.ndarray) -> pd.DataFrame:
    """Weekly rows dated at each product's own launch date + 7 x (week - 1) days."""
    launch = products["launch_date"].to_numpy(dtype="datetime64[D]")
    offset = (7 * np.arange(12)).astype("timedelta64[D]")
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), 12),
            "date": pd.to_datetime((launch[:, None] + offset[None, :]).ravel()),
            "units": curves.ravel(),
        }
    )


def week_sales(products: pd.DataFrame, curves: np.ndarray) -> pd.DataFrame:
    """The same sales as weeks since launch: ``sku``, ``week`` (1..12), ``units``."""
    return pd.DataFrame(
        {
            "sku": np.repeat(products["sku"].to_numpy(), 12),
            "week": np.tile(np.arange(1, 13), len(products)),
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


def lightgbm_curves(
    train: pd.DataFrame, y_train: np.ndarray, test: pd.DataFrame, threads: int | None = None
) -> np.ndarray | None:
    """The gradient-boosting peer; ``None`` when lightgbm is not installed."""
    try:
        import lightgbm
    except ImportError:
        return None
    levels = {a: sorted(train[a].astype(str).unique()) for a in ATTRS}

    def features(products: pd.DataFrame) -> pd.DataFrame:
        launch = products["launch_date"]
        angle = 2 * np.pi * (launch.dt.day_of_year.to_numpy() - 1) / 365.25
        one = pd.DataFrame(
            {
                **{
                    a: pd.Categorical(products[a].astype(str).to_numpy(), categories=levels[a])
                    for a in ATTRS
                },
                "doy_sin": np.sin(angle),
                "doy_cos": np.cos(angle),
                "weekday": launch.dt.weekday.to_numpy(),
            }
        )
        rows = one.iloc[np.repeat(np.arange(len(one)), 12)].reset_index(drop=True)
        return rows.assign(week=np.tile(np.arange(1, 13), len(one)))

    model = lightgbm.LGBMRegressor(
        n_estimators=300,
        learning_rate=0.05,
        num_leaves=15,
        random_state=0,
        verbose=-1,
        n_jobs=threads,
    )
    model.fit(features(train), np.log1p(y_train.clip(min=0)).ravel())
    return np.expm1(model.predict(features(test))).clip(min=0).reshape(len(test), 12)


def fit_forecaster(
    train: pd.DataFrame,
    sales: pd.DataFrame,
    test: pd.DataFrame,
    trends: pd.DataFrame | None,
    threads: int | None = None,
) -> tuple[pd.DataFrame, float]:
    start = time.perf_counter()
    model = NewProductForecaster(horizon_weeks=12, n_threads=threads)
    model.fit(sales, products=train, trends=trends)
    fc = model.predict(test)
    seconds = time.perf_counter() - start
    expected = np.repeat(test["sku"].to_numpy(), 12)
    if not (fc["sku"].to_numpy() == expected).all() or len(fc) != 12 * len(test):
        raise AssertionError("forecast rows are not (test sku, week 1..12) in order")
    return fc, seconds


def weekly(fc: pd.DataFrame, column: str) -> np.ndarray:
    return fc[column].to_numpy(float).reshape(-1, 12)


def wape(pred: np.ndarray, actual: np.ndarray) -> float:
    return float(np.abs(pred - actual).sum() / actual.sum() * 100)


def coverage(fc: pd.DataFrame, actual: np.ndarray) -> float:
    return float(((actual >= weekly(fc, "p10")) & (actual <= weekly(fc, "p90"))).mean() * 100)


def newsvendor_cost(buy: np.ndarray, demand: np.ndarray) -> float:
    return float(
        (UNDERAGE * np.clip(demand - buy, 0, None) + OVERAGE * np.clip(buy - demand, 0, None)).sum()
    )


class Run:
    """Every model's forecast of one split: point forecasts, forecaster outputs, seconds."""

    def __init__(self, name: str, train_idx: np.ndarray, test_idx: np.ndarray) -> None:
        self.name, self.train_idx, self.test_idx = name, train_idx, test_idx
        self.points: dict[str, np.ndarray | None] = {}
        self.forecasts: dict[str, pd.DataFrame] = {}
        self.seconds: dict[str, float] = {}


def evaluate(
    run: Run,
    products: pd.DataFrame,
    curves: np.ndarray,
    trends: pd.DataFrame,
    models: list[str],
    threads: int | None = None,
) -> Run:
    train = products.iloc[run.train_idx].reset_index(drop=True)
    test = products.iloc[run.test_idx].reset_index(drop=True)
    y_train = curves[run.train_idx]
    cat_train = train["category"].to_numpy()
    for name in models:
        log(f"  {run.name}: {name} ...")
        start = time.perf_counter()
        if name == MEAN_CURVE:
            by_cat = pd.DataFrame(y_train).groupby(cat_train).mean()
            run.points[name] = by_cat.reindex(test["category"]).to_numpy()
        elif name == MEDIAN_CURVE:
            by_cat = pd.DataFrame(y_train).groupby(cat_train).median()
            run.points[name] = by_cat.reindex(test["category"]).to_numpy()
        elif name == KNN:
            run.points[name] = knn_curves(train, y_train, test)
        elif name == LGBM:
            run.points[name] = lightgbm_curves(train, y_train, test, threads)
        elif name in (NPF, NPF_TRENDS):
            table = trends if name == NPF_TRENDS else None
            fc, _ = fit_forecaster(train, dated_sales(train, y_train), test, table, threads)
            run.forecasts[name] = fc
            run.points[name] = weekly(fc, "p50")
        run.seconds[name] = time.perf_counter() - start
    return run


def metric_rows(run: Run, actual: np.ndarray) -> list[tuple[str, str, str, str]]:
    rows = []
    for name, pred in run.points.items():
        if pred is None:
            rows.append((name, "-", "-", "skipped: lightgbm not installed"))
            continue
        if np.isnan(pred).any():  # a category absent from the training launches
            raise AssertionError(f"{name}: no forecast for some test products")
        cov = f"{coverage(run.forecasts[name], actual):.1f}" if name in run.forecasts else "-"
        mae = float(np.abs(pred - actual).mean())
        rows.append((name, f"{wape(pred, actual):.1f}", f"{mae:.1f}", cov))
    return rows


def print_metrics(run: Run, actual: np.ndarray, first: str = "model") -> None:
    print(f"| {first} | WAPE % | MAE (units/week) | 80 % interval coverage % |")
    print("|---|---:|---:|---:|")
    for row in metric_rows(run, actual):
        print("| " + " | ".join(row) + " |")


def describe(products: pd.DataFrame, idx: np.ndarray) -> str:
    dates = products["launch_date"].iloc[idx]
    return f"{len(idx):,} ({dates.min():%Y-%m-%d}..{dates.max():%Y-%m-%d})"


def first_batch_table(run: Run, products: pd.DataFrame, curves: np.ndarray) -> None:
    """Newsvendor cost of the 12-week first batch: category rules against first_batch_depth."""
    test = products.iloc[run.test_idx].reset_index(drop=True)
    y_train, y_test = curves[run.train_idx], curves[run.test_idx]
    cat_train = products["category"].iloc[run.train_idx].to_numpy()
    total = y_test.clip(min=0).sum(axis=1)
    econ = test.assign(price=1.0, unit_cost=OVERAGE, salvage_value=0.0)
    totals_train = pd.Series(y_train.clip(min=0).sum(axis=1)).groupby(cat_train)
    buys = {
        "category mean": totals_train.mean().reindex(test["category"]).to_numpy(),
        "category 60 % quantile": totals_train.quantile(UNDERAGE)
        .reindex(test["category"])
        .to_numpy(),
    }
    cover_total = {}
    for model_name, fc in run.forecasts.items():
        label = model_name.split(", ", 1)[1]
        for dist in ("lognormal", "negbin"):
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
        "\n| first batch (12 weeks), time-ordered split | newsvendor cost (0.6 under, 0.4 over) "
        "| vs category mean | totals in its 80 % range |"
    )
    print("|---|---:|---:|---:|")
    for name, buy in buys.items():
        cost = newsvendor_cost(buy, total)
        cov = f"{cover_total[name]:.1f} %" if name in cover_total else "-"
        print(f"| {name} | {cost:,.0f} | {100 * (cost / base - 1):+.1f} % | {cov} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seed", type=int, default=0, help="seed of the random split")
    parser.add_argument("--no-rolling", action="store_true", help="skip the rolling origins")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="headline split only: no rolling origins, random split, trends or full-data timing",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="n_threads of NewProductForecaster and n_jobs of LightGBM (default: the model's one "
        "thread, LightGBM's all cores)",
    )
    args = parser.parse_args(argv)
    if not (args.data / "train.csv").exists():
        print(f"VISUELLE not found at {args.data}", file=sys.stderr)
        return 1
    warnings.filterwarnings("ignore", message=".*negative units.*", category=DataQualityWarning)
    t0 = time.perf_counter()
    products, curves, trends = load(args.data)
    n = len(products)
    n_test = n * TEST_SHARE // 100
    order = np.argsort(products["launch_date"].to_numpy(), kind="stable")
    cores = os.cpu_count()
    threads = "one thread" if args.threads is None else f"n_threads={args.threads}"

    def origin(share: int) -> Run:
        a = n * share // 100
        return Run(f"origin {share} %", order[:a], order[a : min(n, a + n_test)])

    baselines = [MEAN_CURVE, MEDIAN_CURVE, KNN, LGBM]
    headline_models = baselines + [NPF] + ([] if args.quick else [NPF_TRENDS])

    # 1. time-ordered split
    log(f"headline split ({load_avg()})")
    load_before = load_avg()
    head = evaluate(
        origin(100 - TEST_SHARE), products, curves, trends, headline_models, args.threads
    )
    y_test = curves[head.test_idx]
    print(
        f"VISUELLE, time-ordered split: learn from the {describe(products, head.train_idx)} "
        f"products released first, forecast the last {describe(products, head.test_idx)}; "
        "12 weeks each; units = normalised sales x 1065\n"
    )
    print_metrics(head, y_test, "model (time-ordered split, last 10 %)")
    if head.points[LGBM] is None:
        print("LightGBM row skipped: lightgbm is not installed (a benchmark-only dependency).")
    print(
        f"fit + predict seconds, headline split ({threads}, {cores} cores; "
        f"{load_before} at start): "
        + ", ".join(f"{SHORT[name]} {s:.1f}" for name, s in head.seconds.items())
    )

    # 4. launch-relative input gives the same forecast
    log("launch-relative input ...")
    train = products.iloc[head.train_idx].reset_index(drop=True)
    test = products.iloc[head.test_idx].reset_index(drop=True)
    fc_weeks, _ = fit_forecaster(
        train, week_sales(train, curves[head.train_idx]), test, None, args.threads
    )
    fc_dated = head.forecasts[NPF]
    np.testing.assert_allclose(
        fc_weeks[FORECAST_COLUMNS].to_numpy(float), fc_dated[FORECAST_COLUMNS].to_numpy(float)
    )
    assert (fc_weeks[["sku", "week", "basis"]] == fc_dated[["sku", "week", "basis"]]).all().all()
    print(
        "launch-relative input (sku, week 1..12, units + products' launch_date): forecast equal "
        "to the one fitted from launch-anchored dated rows (assert_allclose passed)"
    )

    # 6. first batch on the headline split
    first_batch_table(head, products, curves)

    # 2. rolling origins
    if not (args.quick or args.no_rolling):
        rolling_models = [MEDIAN_CURVE, KNN, LGBM, NPF]
        runs = []
        for share in ORIGINS:
            if share == 100 - TEST_SHARE:
                runs.append(head)  # the headline split
                continue
            log(f"rolling origin {share} % ({load_avg()})")
            runs.append(
                evaluate(origin(share), products, curves, trends, rolling_models, args.threads)
            )
        header = " | ".join(f"{share} %" for share in ORIGINS)
        print(
            "\nRolling origins: learn from every product released before the cut-off "
            "(share of the release-date order), forecast the next 10 %\n"
        )
        print(f"| WAPE % by origin | {header} | mean |")
        print("|---|" + "---:|" * (len(ORIGINS) + 1))
        for name in rolling_models:
            if any(run.points[name] is None for run in runs):
                print(f"| {name} | " + " | ".join("-" for _ in range(len(ORIGINS) + 1)) + " |")
                continue
            values = [wape(run.points[name], curves[run.test_idx]) for run in runs]
            cells = " | ".join(f"{v:.1f}" for v in values)
            print(f"| {name} | {cells} | {np.mean(values):.1f} |")
        values = [coverage(run.forecasts[NPF], curves[run.test_idx]) for run in runs]
        cells = " | ".join(f"{v:.1f}" for v in values)
        print(
            f"| NewProductForecaster 80 % interval coverage % | {cells} | {np.mean(values):.1f} |"
        )
        print(
            "origins (learn from / forecast): "
            + "; ".join(
                f"{share} %: {len(run.train_idx):,} / {describe(products, run.test_idx)}"
                for share, run in zip(ORIGINS, runs, strict=True)
            )
        )

    # 3. random split, for comparison with the earlier README figure
    if not args.quick:
        log(f"random split ({load_avg()})")
        perm = np.random.default_rng(args.seed).permutation(n)
        rand = Run("random 10 %", np.sort(perm[n_test:]), np.sort(perm[:n_test]))
        evaluate(rand, products, curves, trends, headline_models, args.threads)
        print(
            f"\nRandom 10 % split (seed {args.seed}; {len(rand.test_idx):,} test products): "
            "learns from launches released after the ones it forecasts, which a planner cannot; "
            "the protocol of the earlier README figure, for comparison only\n"
        )
        print_metrics(rand, curves[rand.test_idx], "model (random 10 %, not a planner's view)")

    # 5. speed of fit on all products
    if not args.quick:
        log("fit on all products ...")
        load_now = load_avg()
        sales = dated_sales(products, curves)
        start = time.perf_counter()
        model = NewProductForecaster(horizon_weeks=12, n_threads=args.threads)
        model.fit(sales, products=products)
        seconds = time.perf_counter() - start
        print(
            f"\nfit on {n:,} products: {seconds:.1f} s ({threads}, {cores} cores in the machine; "
            f"{load_now} at start)"
        )
    print(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
