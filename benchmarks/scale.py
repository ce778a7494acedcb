"""Scale: many series on local cores and on a Dask cluster, against a plain per-series Prophet loop.

Walmart (``../shared/data/walmart``, weekly store x department, the last 26 weeks held out), on a
seeded sample of ``--series`` series (all 3,331 with ``--series 0``):

(a) a plain per-series Prophet loop, as an analyst would write it: ``Prophet()`` with its defaults
    (yearly seasonality, 1,000 uncertainty samples), ``fit`` then ``predict`` on 26 future weeks,
    one series after the other; the point forecast ``yhat`` clipped at zero;
(b) launchcast's ``DemandForecaster(model="prophet", market="US")`` serial (``n_jobs=1``) and on
    local processes (joblib's loky, ``n_jobs=--n-jobs``);
(c) the same on a Dask ``LocalCluster`` (``--n-jobs`` worker processes, one thread each, through
    joblib's Dask backend); the time excludes starting the cluster (reported apart), as a cluster
    is normally already running;
(d) with ``--top-down``: :class:`~forecasting.models.TopDownForecaster` fitting the departments
    only and splitting each by the stores' shares of its last 13 weeks.

WAPE scores the point forecast (launchcast's ``p50``) on the held-out weeks. Peak memory is the
maximum resident set size of this process and of its largest child process (the local workers).

``--synthetic N`` adds a run on N synthetic daily series (two years of history, 90 days
forecast, seeded; launchcast prophet with the Chinese calendar, local processes), with its wall
time,
WAPE and peak memory.

Run from the repository root::

    python benchmarks/scale.py --series 300
    python benchmarks/scale.py --series 0 --skip-plain      # all Walmart series, launchcast only
    python benchmarks/scale.py --series 0 --synthetic 10000 --skip-plain
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import sys
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.models import DemandForecaster
from forecasting.models.prophet import quiet_prophet

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
HOLDOUT = 26


def walmart(n_series: int, seed: int) -> pd.DataFrame:
    """Weekly sales of ``n_series`` seeded-random store x department series (0 = all)."""
    raw = pd.read_csv(DATA / "walmart" / "train_2010-02_2012-04.csv", parse_dates=["Date"])
    raw["store"] = raw["Store"].astype(str) + "-" + raw["Dept"].astype(str)
    keys = np.sort(raw["store"].unique())
    if 0 < n_series < len(keys):
        keys = np.random.default_rng(seed).choice(keys, size=n_series, replace=False)
    part = raw[raw["store"].isin(keys)]
    return pd.DataFrame(
        {
            "date": part["Date"],
            "store": part["store"],
            "category": "dept " + part["Dept"].astype(str),
            "units": part["Weekly_Sales"],
        }
    ).reset_index(drop=True)


def synthetic(n_series: int, days: int, seed: int) -> pd.DataFrame:
    """Daily store x sku counts: level, trend, weekly and yearly pattern, a Spring Festival dip,
    negative-binomial noise; one series in ten intermittent."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-01", periods=days, freq="D")
    t = np.arange(days)
    level = rng.lognormal(2.0, 1.0, n_series)[:, None]
    trend = 1.0 + rng.normal(0.0, 0.15, n_series)[:, None] * t / 365.0
    weekly = 1.0 + rng.uniform(0.0, 0.4, n_series)[:, None] * (dates.day_of_week.to_numpy() >= 5)
    phase = rng.uniform(0.0, 2 * np.pi, n_series)[:, None]
    yearly = 1.0 + rng.uniform(0.1, 0.5, n_series)[:, None] * np.sin(2 * np.pi * t / 365.25 + phase)
    festival = np.ones(days)
    for day in ("2022-02-01", "2023-01-22", "2024-02-10", "2025-01-29"):
        festival[np.abs((dates - pd.Timestamp(day)).days.to_numpy()) <= 6] = 0.5
    mean = np.clip(level * trend * weekly * yearly * festival, 0.01, None)
    intermittent = rng.random(n_series) < 0.1
    mean[intermittent] *= 0.05
    units = rng.negative_binomial(5, 5 / (5 + mean)).astype(float)
    stores = np.array([f"S{i // 100:03d}" for i in range(n_series)])
    skus = np.array([f"K{i % 100:03d}" for i in range(n_series)])
    return pd.DataFrame(
        {
            "date": np.tile(dates.to_numpy(), n_series),
            "store": np.repeat(stores, days),
            "sku": np.repeat(skus, days),
            "units": units.ravel(),
        }
    )


def plain_prophet_loop(train: pd.DataFrame, horizon: int, freq: str) -> pd.DataFrame:
    """(a): default Prophet, one series after the other."""
    with quiet_prophet():
        from prophet import Prophet

    parts = []
    for store, part in train.groupby("store", sort=True):
        frame = pd.DataFrame({"ds": part["date"].to_numpy(), "y": part["units"].to_numpy()})
        if len(frame) < 2:  # Prophet cannot fit it: forecast zeros
            last = frame["ds"].max()
            dates = pd.date_range(last, periods=horizon + 1, freq=freq)[1:]
            parts.append(pd.DataFrame({"store": store, "date": dates, "p50": 0.0}))
            continue
        with quiet_prophet(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = Prophet()
            model.fit(frame)
            future = model.make_future_dataframe(horizon, freq=freq, include_history=False)
            out = model.predict(future)
        parts.append(
            pd.DataFrame(
                {"store": store, "date": out["ds"].to_numpy(), "p50": out["yhat"].clip(lower=0)}
            )
        )
    return pd.concat(parts, ignore_index=True)


def wape(test: pd.DataFrame, forecast: pd.DataFrame, keys: list[str]) -> float:
    joined = test.merge(forecast, on=[*keys, "date"], how="left")
    error = (joined["units"] - joined["p50"].fillna(0.0)).abs().sum()
    return float(error / joined["units"].abs().sum())


def peak_mb() -> float:
    """Peak resident memory (MB) of this process (``resource.getrusage``)."""
    scale = 1024.0 if sys.platform != "darwin" else 1024.0 * 1024.0  # kB on Linux, bytes on mac
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


class TreeMemory:
    """Sample the resident memory of this process and all its descendants (the worker processes)
    every 0.2 s in a thread; ``peak`` is the largest total seen, in MB."""

    def __init__(self) -> None:
        import psutil

        self.peak = 0.0
        self._process = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> float:
        import psutil

        total = 0
        for proc in [self._process, *self._process.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self._total())

    def __enter__(self) -> TreeMemory:
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def launchcast(
    train: pd.DataFrame, horizon: int, keys: list[str], market: str, **params: object
) -> tuple[pd.DataFrame, DemandForecaster]:
    forecaster = DemandForecaster(model="prophet", market=market, progress=False, **params)  # type: ignore[arg-type]
    forecaster.fit(train, by=keys)
    return forecaster.predict(horizon), forecaster


def run_walmart(args: argparse.Namespace) -> list[dict[str, object]]:
    sales = walmart(args.series, args.seed)
    cutoff = sales["date"].max() - pd.Timedelta(weeks=HOLDOUT)
    train, test = sales[sales["date"] <= cutoff], sales[sales["date"] > cutoff]
    n = train["store"].nunique()
    rows: list[dict[str, object]] = []

    def record(
        name: str, seconds: float, forecast: pd.DataFrame, memory: TreeMemory, note: str = ""
    ) -> None:
        rows.append(
            {
                "data": f"Walmart weekly, {n} series, {HOLDOUT} weeks held out",
                "run": name,
                "seconds": seconds,
                "WAPE": wape(test, forecast, ["store"]),
                "memory": memory.peak,
                "note": note,
            }
        )
        print(f"  {name}: {seconds:.1f} s, WAPE {rows[-1]['WAPE']:.4f} {note}", flush=True)

    if not args.skip_plain:
        with TreeMemory() as memory:
            start = time.perf_counter()
            plain = plain_prophet_loop(train, HOLDOUT, "W-FRI")
            seconds = time.perf_counter() - start
        record("(a) plain Prophet loop (defaults)", seconds, plain, memory)
    with TreeMemory() as memory:
        start = time.perf_counter()
        serial, f1 = launchcast(train, HOLDOUT, ["store"], "US", n_jobs=1)
        seconds = time.perf_counter() - start
    models = f1.summary_["model"].value_counts().to_dict()
    record("(b) launchcast, serial (n_jobs=1)", seconds, serial, memory, str(models))
    with TreeMemory() as memory:
        start = time.perf_counter()
        local, _ = launchcast(train, HOLDOUT, ["store"], "US", n_jobs=args.n_jobs)
        seconds = time.perf_counter() - start
    same = "identical to serial" if local.equals(serial) else "DIFFERS from serial"
    record(f"(b) launchcast, local (n_jobs={args.n_jobs})", seconds, local, memory, same)
    if not args.skip_dask:
        from distributed import Client, LocalCluster

        start = time.perf_counter()
        with (
            TreeMemory() as memory,
            LocalCluster(
                n_workers=args.n_jobs, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            Client(cluster) as client,
        ):
            boot = time.perf_counter() - start
            start = time.perf_counter()
            on_dask, _ = launchcast(
                train, HOLDOUT, ["store"], "US", backend="dask", scheduler=client
            )
            seconds = time.perf_counter() - start
        same = "identical to local" if on_dask.equals(local) else "DIFFERS from local"
        record(
            f"(c) launchcast, dask LocalCluster ({args.n_jobs} workers)",
            seconds,
            on_dask,
            memory,
            f"{same}; cluster start {boot:.1f} s",
        )
    if args.top_down:
        from forecasting.models.hierarchy import TopDownForecaster

        base = DemandForecaster(model="prophet", market="US", n_jobs=args.n_jobs, progress=False)
        with TreeMemory() as memory:
            start = time.perf_counter()
            td = TopDownForecaster(forecaster=base, level="category")
            td.fit(train, by=["store", "category"])
            top_down = td.predict(HOLDOUT)
            seconds = time.perf_counter() - start
        n_top = len(td.top_.summary_)
        record(
            f"(d) launchcast top-down: {n_top} departments, split by 13-week shares",
            seconds,
            top_down,
            memory,
            "levels add up; store x dept WAPE",
        )
    return rows


def run_synthetic(args: argparse.Namespace) -> list[dict[str, object]]:
    horizon = 90
    start = time.perf_counter()
    sales = synthetic(args.synthetic, args.synthetic_days + horizon, args.seed)
    cutoff = sales["date"].max() - pd.Timedelta(days=horizon)
    train, test = sales[sales["date"] <= cutoff], sales[sales["date"] > cutoff]
    del sales
    make = time.perf_counter() - start
    print(f"  synthetic data: {len(train):,} rows in {make:.0f} s", flush=True)
    data = f"synthetic daily, {args.synthetic} series x {args.synthetic_days} days"
    rows: list[dict[str, object]] = []
    with TreeMemory() as memory:
        start = time.perf_counter()
        naive = DemandForecaster(model="seasonal_naive", n_jobs=1, progress=False)
        forecast = naive.fit(train, by=["store", "sku"]).predict(horizon)
        seconds = time.perf_counter() - start
    rows.append({"data": data, "run": f"seasonal naive, serial, {horizon} days",
                 "seconds": seconds, "WAPE": wape(test, forecast, ["store", "sku"]),
                 "memory": memory.peak, "note": "baseline"})  # fmt: skip
    with TreeMemory() as memory:
        start = time.perf_counter()
        forecast, fitted = launchcast(train, horizon, ["store", "sku"], "CN", n_jobs=args.n_jobs)
        seconds = time.perf_counter() - start
    models = fitted.summary_["model"].value_counts().to_dict()
    rows.append({"data": data,
                 "run": f"launchcast prophet, local (n_jobs={args.n_jobs}), {horizon} days",
                 "seconds": seconds, "WAPE": wape(test, forecast, ["store", "sku"]),
                 "memory": memory.peak, "note": str(models)})  # fmt: skip
    for row in rows:
        print(f"  {row['run']}: {row['seconds']:.0f} s, WAPE {row['WAPE']:.4f}", flush=True)
    return rows


def _once(config: object, sales: pd.DataFrame, y: pd.Series, horizon: int, freq: str) -> None:
    from forecasting.models.series import fit_series

    if config is None:
        plain_prophet_loop(sales, horizon, freq)
    else:
        fit_series(y, config).predict(horizon, config)  # type: ignore[arg-type]


def profile(args: argparse.Namespace) -> None:
    """Where the time of one fit + forecast goes: one weekly Walmart series (the 26-week holdout
    setting) and one daily China clothing province (2008-2010, 365 days ahead), for the plain
    Prophet call, launchcast with Prophet's own Stan fit (``solver="stan"``) and launchcast's
    in-process MAP (``solver="map"``). Prints the time and the five most expensive functions."""
    import cProfile
    import pstats

    from threadpoolctl import threadpool_limits

    from forecasting.inputs.readers import read_sales
    from forecasting.models.panel import series_panel

    weekly = walmart(0, 0)
    weekly = weekly[weekly["store"] == "1-1"]
    weekly = weekly[weekly["date"] <= weekly["date"].max() - pd.Timedelta(weeks=HOLDOUT)]
    raw = pd.read_csv(
        DATA / "china_clothing" / "clothing_log_daily_2008_2011.csv", parse_dates=["date"]
    )
    daily = pd.DataFrame({"date": raw["date"], "store": "Province_1",
                          "units": np.exp(raw["Province_1"]).round()})  # fmt: skip
    daily = daily[daily["date"] <= "2010-12-31"]
    print("| series | run | seconds | top functions (own time) |")
    print("|---|---|---:|---|")
    for label, sales, market, horizon in (
        ("Walmart 1-1, weekly, 91 weeks", weekly, "US", HOLDOUT),
        ("China clothing Province_1, daily, 3 years", daily, "CN", 365),
    ):
        sales = read_sales(sales)
        freq = str(sales.attrs["freq"])
        y = series_panel(sales, ["store"], freq)[(str(sales["store"].iloc[0]),)]
        runs: dict[str, object] = {"plain Prophet()": None}
        for solver in ("stan", "map"):
            f = DemandForecaster(model="prophet", market=market, solver=solver, n_jobs=1)
            f.set_params(progress=False).fit(sales, by="store")  # builds the shared config
            runs[f"launchcast solver={solver}"] = f.config_

        for name, config in runs.items():
            with threadpool_limits(limits=1, user_api="blas"):  # as in the worker processes
                _once(
                    config, sales, y, horizon, freq
                )  # warm up: lazy imports, compiled model loading
                profiler = cProfile.Profile()
                start = time.perf_counter()
                profiler.enable()
                _once(config, sales, y, horizon, freq)
                profiler.disable()
                seconds = time.perf_counter() - start
            stats = pstats.Stats(profiler)
            top = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:4]  # type: ignore[attr-defined]
            names = "; ".join(
                f"{Path(fn).name}:{func} {tt:.3f}s" for (fn, _, func), (_, _, tt, _, _) in top
            )
            print(f"| {label} | {name} | {seconds:.2f} | {names} |", flush=True)


def markdown(rows: list[dict[str, object]]) -> str:
    lines = [
        "| data | run | seconds | WAPE | peak memory (MB, all processes) | note |",
        "|---|---|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['data']} | {r['run']} | {float(r['seconds']):.1f} "  # type: ignore[arg-type]
            f"| {float(r['WAPE']):.4f} | {float(r['memory']):.0f} | {r['note']} |"  # type: ignore[arg-type]
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", type=int, default=300, help="Walmart series (0 = all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--skip-plain", action="store_true", help="skip the slow plain loop (a)")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--skip-walmart", action="store_true")
    parser.add_argument("--top-down", action="store_true", help="also (d): fit departments, split")
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic daily series")
    parser.add_argument("--synthetic-days", type=int, default=730)
    parser.add_argument("--profile", action="store_true", help="profile one weekly, one daily")
    args = parser.parse_args()
    if args.profile:
        profile(args)
        return
    rows = []
    if not args.skip_walmart:
        rows += run_walmart(args)
    if args.synthetic:
        rows += run_synthetic(args)
    print()
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(f"peak memory of this process (getrusage): {peak_mb():.0f} MB")
    print()
    print(markdown(rows))


if __name__ == "__main__":
    main()
