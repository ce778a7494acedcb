"""launchcast against the field's peers (issue #14, point 6), on the same time-ordered splits.

Every method learns from the past (all rows up to a cutoff) and forecasts the periods after it;
each gets exactly the same rows (``benchmarks/_peer_data.py``), and is scored on the same held-out
periods. One table per data set:

* ``WAPE``: of the point forecast, sum |actual - forecast| / sum actual over every series and
  period of the test part. launchcast's point forecast is its median ``p50``; the peers' is their
  mean forecast. ``WAPE mean`` gives launchcast's ``mean`` column too.
* ``vs naive``: WAPE relative to statsforecast's SeasonalNaive (-10 % = a tenth fewer errors); on
  daily data with a year of history, relative to its yearly ``SeasonalNaive [364]`` (the same
  weekday a year before), as with a 365-day horizon the weekly one repeats the last week all year.
* ``80% cov``: share of the test periods inside the 80 % interval: launchcast's ``p10..p90``;
  statsforecast's ``level=[80]`` ``lo..hi``; mlforecast's conformal interval
  (``PredictionIntervals(n_windows=2, h=horizon)``) where the history holds the two calibration
  windows plus the lags, else ``-``. The nominal value is 80 %.
* ``seconds``: wall time of fit + predict (every method, launchcast's models included, is first
  run once on toy series outside the clock, so that imports, numba compilation and the start of
  launchcast's worker processes are not counted, as after a first run). The machine is
  shared: the times are indicative, their ratios more than their values.

Methods
-------
* launchcast ``DemandForecaster(model=..., market=...)`` for each model in ``--models`` (default:
  the forecaster's default model and ``prophet``); ``fit(train, by=keys[, freq=...])``, then
  ``predict(horizon)``. While ``by=`` still rejects key columns other than ``store``/``sku``, the
  keys are joined into one ``store`` key for launchcast (the row's note says so).
* statsforecast (``StatsForecast(freq=..., n_jobs=...).forecast(h, level=[80])``):
  ``SeasonalNaive``, ``AutoETS``, ``AutoARIMA``, ``AutoTheta`` with the season length of the
  frequency (daily 7, weekly 52, monthly 12), for daily data with a year of history also
  ``SeasonalNaive`` with season 364 (same weekday a year before), and for daily data ``MSTL``
  with season lengths ``[7, 365]`` (``[7]`` when the history is shorter than two years).
  statsforecast's ETS ignores seasons longer than 24, so weekly AutoETS is non-seasonal (its own
  limit, not ours).
* mlforecast with LightGBM (200 trees, otherwise LightGBM's defaults; one thread below 100,000
  training rows, where more threads are slower), one global model over the series, recursive:
  daily lags 1, 7, 14, 28 with day of week, month and day of year; weekly lags 1, 2, 4, 13, 52
  with month and ISO week; monthly lags 1, 12 with month. Daily and weekly series are
  standardised per series, monthly ones differenced once.
* ``mean(launchcast, best peer)``: the average of the point forecasts and interval bounds of the
  first launchcast model of ``--models`` (the default model unless told otherwise) and of the best
  peer, the peer chosen by its WAPE **on the test part**: hindsight, so this row bounds what the
  combination could do rather than being a method one could run. Its seconds are the sum of the
  two.

The peers' forecasts are clipped at zero (launchcast's never go below zero); this only helps them.

Data sets and splits (``--data``)
---------------------------------
* ``china``: China clothing, 25 provinces, daily (the file holds log-sales, exponentiated here);
  train 2008-01-01 .. 2010-12-31, forecast the 365 days of 2011. ``--quick``: 5 provinces.
* ``china90``: the same, forecasting only the first 90 days of 2011 (the Spring Festival inside):
  the short forecasts for which ``auto`` makes a choice of its own.
* ``walmart``: Walmart store x department, weekly (weeks ending Friday), forecast the last 26
  weeks. Negative sales (returns) clipped at 0 for everyone. Only series with a row in every week
  of the file are kept (the notes say how many). ``--quick``: a seeded sample of 300 of them.
* ``monthly``: US retail sales (last 24 months), Australian wine sales (last 24), shampoo (last
  12 of 36), PBS pharmacy scripts (one intermittent series that stops selling after 2005-04; its
  trailing zero months are cut, and the 24 months up to its last sale are forecast). Each series
  is its own split and table (their scales differ by three orders of magnitude, so a WAPE summed
  over them would be the US retail WAPE); a last table gives each method's mean WAPE over the four,
  the geometric mean of its WAPE relative to seasonal naive, its coverage over all their test
  months and its total seconds.
* ``daily``: UCI online retail (UK), 30 items daily, days without a row are zero sales, forecast
  the last 90 days (284 days to learn from: less than a year, so no yearly season anywhere).

What is and isn't comparable: the splits, the rows given and the scoring are identical for all
methods. launchcast uses a holiday calendar (``market``: CN, US, AU, GB) that the peers don't get;
the peers get only the season lengths above. Intervals differ in construction (launchcast's are
calibrated on backtests or residuals, statsforecast's are model-based, mlforecast's conformal), so
coverage compares what a user gets out of the box. One cutoff per data set means one test period;
a WAPE difference of a few points on a single series is noise. A launchcast model that the
installed package does not have yet, or data it cannot take yet (monthly frequency before
``fit(freq=...)`` exists), is a row marked ``not run`` with the reason.

Run from the repository root (needs statsforecast, mlforecast and lightgbm)::

    python benchmarks/peers.py --data china walmart monthly daily --quick
    python benchmarks/peers.py --data walmart --models auto,prophet,ets --n-jobs 2
    python benchmarks/peers.py --data monthly daily --markdown --out peers.csv
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _peer_data import LOADERS, Split, load

from forecasting.exceptions import DataValidationError
from forecasting.models import DemandForecaster
from forecasting.models.metrics import coverage, wape

#: What a failing method raises; the benchmark records it as a ``not run`` row instead of stopping.
FAILURES: tuple[type[BaseException], ...] = (
    ValueError,
    TypeError,
    RuntimeError,
    KeyError,
    ArithmeticError,
    np.linalg.LinAlgError,
    ImportError,
)

PEERS = (
    "SeasonalNaive",
    "SeasonalNaive364",
    "AutoETS",
    "AutoARIMA",
    "AutoTheta",
    "MSTL",
    "LightGBM",
)


@dataclass
class Forecast:
    """A method's forecast in a common shape: keys, ``date``, ``point``, ``lo``, ``hi``
    (``lo``/``hi`` NaN without an interval) and, for launchcast, ``mean``."""

    method: str
    frame: pd.DataFrame
    seconds: float
    family: str  # "launchcast" or "peer"
    note: str = ""


# --------------------------------------------------------------------------------------- launchcast


def default_models() -> list[str]:
    """The forecaster's default model and ``prophet`` (once)."""
    default = DemandForecaster().model
    return list(dict.fromkeys([default, "prophet"]))


def _fit_predict(
    split: Split, model: str, n_jobs: int, train: pd.DataFrame, by: list[str], kwargs: dict
) -> tuple[DemandForecaster, pd.DataFrame, float]:
    start = time.perf_counter()
    forecaster = DemandForecaster(model=model, market=split.market, n_jobs=n_jobs, progress=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = forecaster.fit(train, by=by, **kwargs).predict(split.horizon)
    return forecaster, out, time.perf_counter() - start


def _warm_up_launchcast(split: Split, model: str, n_jobs: int) -> None:
    """Fit ``model`` once on a few toy series with the same ``n_jobs``, outside the clock, so that
    imports, numba compilation and the start of the worker processes are not timed."""
    key = (f"launchcast {model}", split.freq)
    if key in _WARMED:
        return
    _WARMED.add(key)
    n = 400 if split.freq == "D" else 3 * split.season + 10
    k = max(1, min(split.n_series, 2 * n_jobs))
    dates = pd.date_range("2015-01-01", periods=n, freq=split.freq)
    t = np.arange(n)
    toy = pd.DataFrame(
        {
            "date": np.tile(dates, k),
            "store": np.repeat([f"toy{i}" for i in range(k)], n),
            "units": np.tile(20 + 5 * np.sin(2 * np.pi * t / split.season) + t % 3, k),
        }
    )
    forecaster = DemandForecaster(model=model, market=split.market, n_jobs=n_jobs, progress=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            forecaster.fit(toy, by="store").predict(3)
    except FAILURES:  # the timed run meets the same failure and records it
        return


def run_launchcast(split: Split, model: str, n_jobs: int) -> Forecast:
    """Fit and predict launchcast's ``model`` on the split; raises what the forecaster raises."""
    _warm_up_launchcast(split, model, n_jobs)
    train = split.train
    kwargs = {}
    takes_freq = "freq" in inspect.signature(DemandForecaster.fit).parameters
    if takes_freq:
        kwargs["freq"] = split.freq
    elif split.freq != "D" and not split.freq.startswith("W-"):
        from forecasting.inputs.frequency import infer_frequency

        inferred = infer_frequency(train, keys=split.keys)
        if inferred != split.freq:
            raise NotImplementedError(
                f"DemandForecaster.fit has no freq= yet and reads {split.freq} data as {inferred}"
            )
    note = ""
    try:
        forecaster, out, seconds = _fit_predict(split, model, n_jobs, train, split.keys, kwargs)
    except DataValidationError as error:
        if split.keys == ["store"]:
            raise
        # by= with other key columns than store/sku is being added: run with one joined key
        joined = train.drop(columns=split.keys).assign(store=_ids(split, train))
        forecaster, out, seconds = _fit_predict(split, model, n_jobs, joined, ["store"], kwargs)
        keys = dict(zip(joined["store"], map(tuple, train[split.keys].to_numpy()), strict=False))
        out = out.drop(columns="store").join(
            pd.DataFrame([keys[k] for k in out["store"]], columns=split.keys, index=out.index)
        )
        first = " ".join(str(error).split())[:60]
        note = f"by={split.keys} failed ({first}...): run with one joined 'store' key"
    frame = out[[*split.keys, "date"]].copy()
    frame["point"] = out["p50"].to_numpy(float)
    frame["mean"] = out["mean"].to_numpy(float)
    frame["lo"] = out["p10"].to_numpy(float)
    frame["hi"] = out["p90"].to_numpy(float)
    if hasattr(forecaster, "summary_") and "model" in forecaster.summary_:
        used = forecaster.summary_["model"].value_counts()
        if len(used) > 1 or used.index[0] != model:
            note += (
                ("; " if note else "")
                + "models used: "
                + ", ".join(f"{k} {v}" for k, v in used.items())
            )
    return Forecast(f"launchcast {model}", frame, seconds, "launchcast", note)


# -------------------------------------------------------------------------------------------- peers


def _ids(split: Split, frame: pd.DataFrame) -> pd.Series:
    return frame[split.keys].astype(str).agg("|".join, axis=1)


def _nixtla_frame(split: Split) -> tuple[pd.DataFrame, dict[str, tuple]]:
    train = split.train
    ids = _ids(split, train)
    df = pd.DataFrame({"unique_id": ids, "ds": train["date"], "y": train["units"].astype(float)})
    keys = dict(zip(ids, map(tuple, train[split.keys].to_numpy()), strict=False))
    return df, keys


def _back_to_keys(
    split: Split, out: pd.DataFrame, keys: dict[str, tuple], name: str, level: bool
) -> pd.DataFrame:
    out = out.reset_index() if "unique_id" not in out.columns else out
    frame = pd.DataFrame(
        [keys[uid] for uid in out["unique_id"]], columns=split.keys, index=out.index
    )
    for column, dtype in split.train[split.keys].dtypes.items():
        frame[column] = frame[column].astype(dtype)
    frame["date"] = pd.to_datetime(out["ds"]).to_numpy()
    frame["point"] = np.clip(out[name].to_numpy(float), 0, None)
    if level:
        frame["lo"] = np.clip(out[f"{name}-lo-80"].to_numpy(float), 0, None)
        frame["hi"] = np.clip(out[f"{name}-hi-80"].to_numpy(float), 0, None)
    else:
        frame["lo"] = np.nan
        frame["hi"] = np.nan
    return frame


def mstl_seasons(split: Split) -> list[int]:
    """``[7, 365]`` for daily data with two years of history in every series, else ``[7]``."""
    shortest = int(split.train.groupby(split.keys).size().min())
    return [7, 365] if shortest >= 2 * 365 else [7]


def _stats_model(name: str, split: Split):
    from statsforecast.models import MSTL, AutoARIMA, AutoETS, AutoTheta, SeasonalNaive

    m = split.season
    if name == "SeasonalNaive":
        return SeasonalNaive(season_length=m)
    if name == "SeasonalNaive364":
        return SeasonalNaive(season_length=364)
    if name == "AutoETS":
        return AutoETS(season_length=m)
    if name == "AutoARIMA":
        return AutoARIMA(season_length=m)
    if name == "AutoTheta":
        return AutoTheta(season_length=m)
    if name == "MSTL":
        return MSTL(season_length=mstl_seasons(split))
    raise KeyError(name)


_WARMED: set[tuple[str, str]] = set()


def _warm_up(name: str, split: Split) -> None:
    """Compile a statsforecast model's numba code on a toy series, outside the clock."""
    from statsforecast import StatsForecast

    model = _stats_model(name, split)
    key = (name, repr(model))
    if key in _WARMED:
        return
    seasons = {"MSTL": mstl_seasons(split), "SeasonalNaive364": [364]}.get(name, [split.season])
    n = max(3 * max(seasons), 60)
    rng = np.random.default_rng(0)
    t = np.arange(n)
    y = 10 + np.sin(2 * np.pi * t / split.season) + rng.normal(0, 0.3, n)
    ds = pd.date_range("2000-01-07", periods=n, freq=split.freq)
    toy = pd.DataFrame({"unique_id": "toy", "ds": ds, "y": y})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        StatsForecast(models=[model], freq=split.freq, n_jobs=1).forecast(df=toy, h=3, level=[80])
    _WARMED.add(key)


def run_statsforecast(split: Split, name: str, n_jobs: int) -> Forecast:
    """One statsforecast model over all series of the split, with its 80 % interval."""
    from statsforecast import StatsForecast

    _warm_up(name, split)
    df, keys = _nixtla_frame(split)
    model = _stats_model(name, split)
    label = str(model)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sf = StatsForecast(models=[model], freq=split.freq, n_jobs=n_jobs)
        out = sf.forecast(df=df, h=split.horizon, level=[80])
    seconds = time.perf_counter() - start
    frame = _back_to_keys(split, out, keys, label, level=True)
    method = f"statsforecast {name}"
    if name == "SeasonalNaive364":
        method = "statsforecast SeasonalNaive [364]"
    if name == "MSTL":
        method += f" {mstl_seasons(split)}"
    return Forecast(method, frame, seconds, "peer")


def week_of_year(dates: pd.DatetimeIndex) -> np.ndarray:
    """ISO week number (a date feature for weekly data)."""
    return pd.DatetimeIndex(dates).isocalendar().week.to_numpy(dtype=int)


def lightgbm_setup(split: Split) -> dict:
    """Lags, date features and target transforms of the LightGBM peer for the split's frequency."""
    from mlforecast.target_transforms import Differences, LocalStandardScaler

    if split.freq == "D":
        return {
            "lags": [1, 7, 14, 28],
            "date_features": ["dayofweek", "month", "dayofyear"],
            "target_transforms": [LocalStandardScaler()],
        }
    if split.freq.startswith("W"):
        return {
            "lags": [1, 2, 4, 13, 52],
            "date_features": ["month", week_of_year],
            "target_transforms": [LocalStandardScaler()],
        }
    return {
        "lags": [1, 12],
        "date_features": ["month"],
        "target_transforms": [Differences([1])],
    }


def _warm_up_lightgbm(split: Split) -> None:
    """Run mlforecast once on a toy series, outside the clock (its first call compiles code)."""
    import lightgbm as lgb
    from mlforecast import MLForecast

    key = ("LightGBM", split.freq)
    if key in _WARMED:
        return
    n = 120
    ds = pd.date_range("2000-01-07", periods=n, freq=split.freq)
    toy = pd.DataFrame({"unique_id": "toy", "ds": ds, "y": np.arange(n) % 7 + 10.0})
    model = lgb.LGBMRegressor(n_estimators=5, verbosity=-1)
    setup = lightgbm_setup(split)
    setup["lags"] = [1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        MLForecast(models={"LightGBM": model}, freq=split.freq, **setup).fit(toy).predict(3)
    _WARMED.add(key)


def run_lightgbm(split: Split, n_jobs: int) -> Forecast:
    """mlforecast with LightGBM; conformal 80 % intervals when the history allows them."""
    import lightgbm as lgb
    from mlforecast import MLForecast
    from mlforecast.utils import PredictionIntervals

    _warm_up_lightgbm(split)
    df, keys = _nixtla_frame(split)
    setup = lightgbm_setup(split)
    h = split.horizon
    shortest = int(df.groupby("unique_id").size().min())
    differences = 1 if split.freq == "MS" else 0
    # rows left to train each calibration window's model: the history less two windows and lags
    spare = shortest - 2 * h - max(setup["lags"]) - differences
    intervals = PredictionIntervals(n_windows=2, h=h) if spare >= 10 else None
    # LightGBM's threads only pay on large data; on a few thousand rows (and a shared machine) two
    # threads were measured ten times slower than one
    threads = n_jobs if len(df) >= 100_000 else 1
    model = lgb.LGBMRegressor(n_estimators=200, n_jobs=threads, verbosity=-1, random_state=0)
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlf = MLForecast(models={"LightGBM": model}, freq=split.freq, num_threads=n_jobs, **setup)
        mlf.fit(df, prediction_intervals=intervals)
        out = mlf.predict(h, level=[80] if intervals else None)
    seconds = time.perf_counter() - start
    frame = _back_to_keys(split, out, keys, "LightGBM", level=intervals is not None)
    note = "" if intervals else "no conformal interval: history shorter than 2 windows + lags"
    return Forecast("mlforecast LightGBM", frame, seconds, "peer", note)


# ------------------------------------------------------------------------------------------ scoring


def score(split: Split, fc: Forecast) -> dict:
    """WAPE and 80 % coverage of one forecast on the split's test part."""
    # keys compared as text: launchcast reads ids as text (store 1 becomes "1"), the peers keep them
    test = split.test.astype({k: str for k in split.keys})
    forecast = fc.frame.astype({k: str for k in split.keys})
    joined = test.merge(forecast, on=[*split.keys, "date"], how="left")
    missing = int(joined["point"].isna().sum())
    if missing:
        raise ValueError(
            f"{fc.method}: no forecast for {missing} of {len(joined)} test periods "
            f"(forecast dates {fc.frame['date'].min()} .. {fc.frame['date'].max()})"
        )
    has_interval = bool(joined["lo"].notna().all())
    row = {
        "data": split.name,
        "method": fc.method,
        "series": split.n_series,
        "WAPE": wape(joined["units"], joined["point"]),
        "WAPE mean": wape(joined["units"], joined["mean"]) if "mean" in joined else np.nan,
        "80% cov": coverage(joined["units"], joined["lo"], joined["hi"])
        if has_interval
        else np.nan,
        "seconds": fc.seconds,
        "note": fc.note,
        "_n": len(joined),
        "_covered": float(
            ((joined["units"] >= joined["lo"]) & (joined["units"] <= joined["hi"])).sum()
        )
        if has_interval
        else np.nan,
    }
    return row


def not_run(split: Split, method: str, error: BaseException) -> dict:
    message = " ".join(str(error).split())[:160]
    return {
        "data": split.name,
        "method": method,
        "series": split.n_series,
        "WAPE": np.nan,
        "WAPE mean": np.nan,
        "80% cov": np.nan,
        "seconds": np.nan,
        "note": f"not run: {type(error).__name__}: {message}",
        "_n": 0,
        "_covered": np.nan,
    }


def combine(split: Split, forecasts: list[Forecast], rows: list[dict]) -> Forecast | None:
    """The average of the first launchcast model's forecast (the default model, unless
    ``--models`` says otherwise) and the best peer's (by test WAPE)."""
    wapes = {r["method"]: r["WAPE"] for r in rows if not np.isnan(r["WAPE"])}
    own = [f for f in forecasts if f.family == "launchcast" and f.method in wapes]
    peers = [f for f in forecasts if f.family == "peer" and f.method in wapes]
    if not own or not peers:
        return None
    a = own[0]
    b = min(peers, key=lambda f: wapes[f.method])
    keys = [*split.keys, "date"]
    text = {k: str for k in split.keys}
    both = a.frame.astype(text).merge(b.frame.astype(text), on=keys, suffixes=("_a", "_b"))
    frame = both[keys].copy()
    for column in ("point", "lo", "hi"):
        frame[column] = (both[f"{column}_a"] + both[f"{column}_b"]) / 2
    short_a = a.method.removeprefix("launchcast ")
    short_b = b.method.split(" ", 1)[1]
    return Forecast(
        "mean(launchcast, best peer)",
        frame,
        a.seconds + b.seconds,
        "combination",
        f"launchcast {short_a} + {short_b} (the peer picked by test WAPE: hindsight)",
    )


def evaluate(split: Split, models: list[str], peers: list[str], n_jobs: int) -> pd.DataFrame:
    """All rows of one split, in order: launchcast models, peers, combination."""
    print(f"\n{split.name}: {split.n_series} series, cutoff {split.cutoff.date()}", flush=True)
    shortest = int(split.train.groupby(split.keys).size().min())
    runners: list[tuple[str, Callable[[], Forecast]]] = []
    for model in models:
        runners.append((f"launchcast {model}", partial(run_launchcast, split, model, n_jobs)))
    for name in peers:
        if name == "MSTL" and split.freq != "D":
            continue
        if name == "SeasonalNaive364" and (split.freq != "D" or shortest < 364):
            continue
        if name == "LightGBM":
            runners.append(("mlforecast LightGBM", partial(run_lightgbm, split, n_jobs)))
        else:
            runners.append(
                (f"statsforecast {name}", partial(run_statsforecast, split, name, n_jobs))
            )
    rows: list[dict] = []
    forecasts: list[Forecast] = []
    for method, run in runners:
        try:
            fc = run()
            row = score(split, fc)
            forecasts.append(fc)
        except FAILURES as error:  # recorded as a "not run" row, with the reason
            row = not_run(split, method, error)
        rows.append(row)
        shown = "not run" if np.isnan(row["WAPE"]) else f"WAPE {row['WAPE']:.3f}"
        print(f"  {row['method']}: {shown}, {row['seconds']:.1f} s {row['note']}", flush=True)
    combined = combine(split, forecasts, rows)
    if combined is not None:
        rows.append(score(split, combined))
    table = pd.DataFrame(rows)
    naive = table.set_index("method")["WAPE"]
    base = naive.get("statsforecast SeasonalNaive [364]", naive.get("statsforecast SeasonalNaive"))
    base = np.nan if base is None else float(base)
    table.insert(int(list(table.columns).index("WAPE")) + 1, "vs naive", table["WAPE"] / base - 1.0)
    return table


def monthly_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per method over the monthly series: mean WAPE, pooled coverage, total seconds."""
    rows = []
    ran = table.dropna(subset=["WAPE"])
    n_sets = table["data"].nunique()
    for method, part in ran.groupby("method", sort=False):
        covered = (
            part["_covered"].sum() / part["_n"].sum() if part["_covered"].notna().all() else np.nan
        )
        rows.append(
            {
                "data": f"monthly: mean over {n_sets} series",
                "method": method,
                "series": len(part),
                "WAPE": part["WAPE"].mean(),
                # geometric mean over the series of WAPE / seasonal naive's WAPE, less 1
                "vs naive": float(np.exp(np.log(part["vs naive"] + 1.0).mean()) - 1.0),
                "WAPE mean": part["WAPE mean"].mean(),
                "80% cov": covered,
                "seconds": part["seconds"].sum(),
                "note": "" if len(part) == n_sets else f"ran on {len(part)} of {n_sets} series",
                "_n": part["_n"].sum(),
                "_covered": part["_covered"].sum(),
            }
        )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------- output


def _cells(table: pd.DataFrame) -> pd.DataFrame:
    def pct(x: float) -> str:
        return "-" if pd.isna(x) else f"{x:.1%}"

    def signed(x: float) -> str:
        return "-" if pd.isna(x) else f"{round(x, 6) + 0.0:+.1%}"  # no "-0.0%"

    def num(x: float, fmt: str) -> str:
        return "-" if pd.isna(x) else format(x, fmt)

    return pd.DataFrame(
        {
            "method": table["method"],
            "WAPE": table["WAPE"].map(lambda x: num(x, ".3f")),
            "vs naive": table["vs naive"].map(signed),
            "WAPE mean": table["WAPE mean"].map(lambda x: num(x, ".3f")),
            "80% cov": table["80% cov"].map(pct),
            "seconds": table["seconds"].map(lambda x: num(x, ".1f")),
            "note": table["note"].fillna(""),
        }
    )


def render(title: str, table: pd.DataFrame, notes: list[str], markdown: bool) -> str:
    cells = _cells(table)
    lines = [f"### {title}" if markdown else title, ""]
    if markdown:
        lines.append("| " + " | ".join(cells.columns) + " |")
        lines.append("|---|---:|---:|---:|---:|---:|---|")
        for row in cells.itertuples(index=False):
            lines.append("| " + " | ".join(str(v) for v in row) + " |")
    else:
        widths = {c: max(len(c), *(len(str(v)) for v in cells[c])) for c in cells.columns}
        left = ("method", "note")

        def line(values: list[str]) -> str:
            return "  ".join(
                v.ljust(widths[c]) if c in left else v.rjust(widths[c])
                for c, v in zip(cells.columns, values, strict=True)
            ).rstrip()

        lines.append(line(list(cells.columns)))
        lines.extend(line([str(v) for v in row]) for row in cells.itertuples(index=False))
    for note in notes:
        lines.append(f"{'* ' if markdown else '  note: '}{note}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", nargs="+", choices=list(LOADERS), default=list(LOADERS))
    parser.add_argument("--quick", action="store_true", help="subsample the series")
    parser.add_argument(
        "--models",
        default=None,
        help="launchcast models, comma-separated (default: the "
        "forecaster's default model and prophet)",
    )
    parser.add_argument(
        "--peers", default=",".join(PEERS), help=f"comma-separated subset of {', '.join(PEERS)}"
    )
    parser.add_argument("--n-jobs", type=int, default=2, help="processes/threads for every method")
    parser.add_argument("--seed", type=int, default=0, help="seed of the --quick samples")
    parser.add_argument("--markdown", action="store_true", help="print GitHub tables")
    parser.add_argument("--out", type=Path, default=None, help="write all rows to this CSV")
    args = parser.parse_args(argv)
    models = args.models.split(",") if args.models else default_models()
    peers = [p for p in args.peers.split(",") if p]
    unknown = sorted(set(peers) - set(PEERS))
    if unknown:
        parser.error(f"unknown peers {unknown}; choose from {list(PEERS)}")

    printed: list[str] = []
    tables = []
    for name in args.data:
        splits = load(name, quick=args.quick, seed=args.seed)
        group = []
        for split in splits:
            table = evaluate(split, models, peers, args.n_jobs)
            group.append(table)
            title = f"{split.name} ({split.n_series} series, cutoff {split.cutoff.date()})"
            printed.append(render(title, table, split.notes, args.markdown))
        if len(splits) > 1:
            summary = monthly_summary(pd.concat(group, ignore_index=True))
            group.append(summary)
            printed.append(
                render(
                    summary["data"].iloc[0],
                    summary,
                    [
                        "WAPE: mean of the per-series WAPEs (the intermittent PBS series weighs "
                        "most); vs naive: geometric mean over the series of WAPE / seasonal "
                        "naive's WAPE, less 1; 80% cov: over all test months; seconds: total"
                    ],
                    args.markdown,
                )
            )
        tables.extend(group)
    print()
    print("\n".join(printed))
    result = pd.concat(tables, ignore_index=True).drop(columns=["_n", "_covered"])
    if args.out is not None:
        result.to_csv(args.out, index=False)
        print(f"wrote {len(result)} rows to {args.out}")
    return result


if __name__ == "__main__":
    main()
