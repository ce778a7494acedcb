"""Forecast accuracy of launchcast against baselines, on real data (``../shared/data``).

* China clothing (25 provinces, daily; the data are log-sales, exponentiated here): train 2008-01-01
  .. 2010-12-31, forecast the 365 days of 2011.
* Walmart (weekly store x department): hold out the last 26 weeks, on a seeded sample of series.

Models: ``seasonal_naive`` (same period last year, aligned by weekday), plain Prophet (default
settings with only ``add_country_holidays``; its 80 % interval; forecasts clipped at zero), ``ets``
and launchcast's ``prophet`` (calendar events, ``log1p`` target, fast residual intervals). WAPE
scores the median (``p50``; plain Prophet's ``yhat``); coverage is that of the 80 % interval
(``p10..p90``). ``prophet_stan`` is launchcast's prophet with Prophet's own cmdstan fit
(``solver="stan"``) instead of the in-process MAP solve, to compare the two.

Run from the repository root::

    python benchmarks/forecast_accuracy.py                    # both data sets, 300 Walmart series
    python benchmarks/forecast_accuracy.py --walmart-series 3331 --only walmart
    python benchmarks/forecast_accuracy.py --only china --models prophet,prophet_stan
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecasting.models import DemandForecaster
from forecasting.models.metrics import coverage, wape
from forecasting.models.prophet import quiet_prophet

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def china_sales() -> pd.DataFrame:
    raw = pd.read_csv(
        DATA / "china_clothing" / "clothing_log_daily_2008_2011.csv", parse_dates=["date"]
    )
    long = raw.melt(id_vars="date", var_name="store", value_name="log")
    long["units"] = np.exp(long["log"])
    return long[["date", "store", "units"]]


HOLDOUT_WEEKS = 26


def walmart_sales(n_series: int, seed: int) -> pd.DataFrame:
    raw = pd.read_csv(DATA / "walmart" / "train_2010-02_2012-04.csv", parse_dates=["Date"])
    raw["store"] = raw["Store"].astype(str) + "-" + raw["Dept"].astype(str)
    cutoff = raw["Date"].max() - pd.Timedelta(weeks=HOLDOUT_WEEKS)
    keys = np.sort(raw.loc[raw["Date"] <= cutoff, "store"].unique())  # series with history to learn
    rng = np.random.default_rng(seed)
    chosen = rng.choice(keys, size=min(n_series, len(keys)), replace=False)
    part = raw[raw["store"].isin(chosen)]
    return pd.DataFrame(
        {"date": part["Date"], "store": part["store"], "units": part["Weekly_Sales"]}
    )


def plain_prophet(train: pd.DataFrame, horizon: int, freq: str, country: str) -> pd.DataFrame:
    """What an analyst gets from a plain Prophet call per series (80 % interval)."""
    with quiet_prophet():
        from prophet import Prophet

    parts = []
    end = train["date"].max()
    future = pd.DataFrame({"ds": pd.date_range(end, periods=horizon + 1, freq=freq)[1:]})
    for store, part in train.groupby("store", sort=True):
        frame = part.rename(columns={"date": "ds", "units": "y"})[["ds", "y"]]
        if len(frame) < 2:  # Prophet cannot fit it: forecast zeros
            zeros = np.zeros(horizon)
            parts.append(
                pd.DataFrame(
                    {
                        "store": store,
                        "date": future["ds"].to_numpy(),
                        "p10": zeros,
                        "p50": zeros,
                        "p90": zeros,
                    }
                )
            )
            continue
        with quiet_prophet(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = Prophet(interval_width=0.8)
            model.add_country_holidays(country_name=country)
            model.fit(frame)
            out = model.predict(future)
        parts.append(
            pd.DataFrame(
                {
                    "store": store,
                    "date": out["ds"].to_numpy(),
                    "p10": np.clip(out["yhat_lower"], 0, None),
                    "p50": np.clip(out["yhat"], 0, None),
                    "p90": np.clip(out["yhat_upper"], 0, None),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def launchcast(
    model: str, market: str, **params: Any
) -> Callable[[pd.DataFrame, int, str, str], pd.DataFrame]:
    def run(train: pd.DataFrame, horizon: int, freq: str, country: str) -> pd.DataFrame:
        forecaster = DemandForecaster(model=model, market=market, **params)
        return forecaster.fit(train, by="store").predict(horizon)

    return run


def evaluate(
    name: str,
    sales: pd.DataFrame,
    cutoff: pd.Timestamp,
    horizon: int,
    freq: str,
    market: str,
    models: list[str],
) -> pd.DataFrame:
    train = sales[sales["date"] <= cutoff]
    test = sales[sales["date"] > cutoff]
    runners = {
        "seasonal_naive": ("seasonal naive", launchcast("seasonal_naive", market)),
        "plain_prophet": (f'Prophet + add_country_holidays("{market}")', plain_prophet),
        "ets": ("ETS (statsmodels)", launchcast("ets", market)),
        "prophet": ("launchcast prophet", launchcast("prophet", market)),
        "prophet_stan": (
            "launchcast prophet, Prophet's own cmdstan fit",
            launchcast("prophet", market, solver="stan"),
        ),
        "auto": ("launchcast auto", launchcast("auto", market)),
    }
    rows = []
    for key in models:
        label, run = runners[key]
        start = time.perf_counter()
        fc = run(train, horizon, freq, market)
        seconds = time.perf_counter() - start
        joined = test.merge(fc, on=["store", "date"], how="inner")
        rows.append(
            {
                "data": name,
                "model": label,
                "series": train["store"].nunique(),
                "WAPE": wape(joined["units"], joined["p50"]),
                "80% coverage": coverage(joined["units"], joined["p10"], joined["p90"]),
                "seconds": seconds,
            }
        )
        print(f"  {name}: {label}: WAPE {rows[-1]['WAPE']:.4f}, {seconds:.0f} s", flush=True)
    table = pd.DataFrame(rows)
    naive = table.loc[table["model"] == "seasonal naive", "WAPE"]
    if len(naive):
        table["vs naive"] = table["WAPE"] / float(naive.iloc[0]) - 1.0
    return table


def markdown(table: pd.DataFrame) -> str:
    lines = [
        "| data | model | series | WAPE | vs seasonal naive | 80% coverage | seconds |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for row in table.itertuples(index=False):
        vs = getattr(row, "_6", float("nan"))
        versus = "" if pd.isna(vs) else f"{vs:+.1%}"  # without seasonal naive in the run
        lines.append(
            f"| {row.data} | {row.model} | {row.series} | {row.WAPE:.3f} | {versus} "
            f"| {row[4]:.1%} | {row.seconds:.0f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=["china", "walmart"], default=None)
    parser.add_argument("--walmart-series", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--models", default="seasonal_naive,plain_prophet,ets,prophet")
    args = parser.parse_args()
    models = args.models.split(",")
    tables = []
    if args.only in (None, "china"):
        sales = china_sales()
        tables.append(
            evaluate(
                "China clothing, 2011 (365 d)",
                sales,
                pd.Timestamp("2010-12-31"),
                365,
                "D",
                "CN",
                models,
            )
        )
    if args.only in (None, "walmart"):
        sales = walmart_sales(args.walmart_series, args.seed)
        end = sales["date"].max()
        cutoff = end - pd.Timedelta(weeks=HOLDOUT_WEEKS)
        tables.append(
            evaluate("Walmart, last 26 weeks", sales, cutoff, HOLDOUT_WEEKS, "W-FRI", "US", models)
        )
    print()
    print(markdown(pd.concat(tables, ignore_index=True)))


if __name__ == "__main__":
    main()
