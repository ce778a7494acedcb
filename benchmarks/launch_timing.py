"""Launch timing on real data: learn from 2008-2010, plan 2011, compare with the real 2011 surges.

Data: the China clothing brand (``../shared/data/china_clothing``; daily log-sales of 25 provinces,
exponentiated here). ``recommend_launches`` sees only 2008-01-01 .. 2010-12-31 and plans deliveries
for 2011 (unified Monday deliveries, 7 days on shelf before the planned onset). The real onsets are
the surges that ``detect_surges`` finds in the full 2008-2011 sales in 2011. Each recommended wave
is scored against the nearest real 2011 onset of its series within 45 days, one-to-one (a real
surge is the truth of one planned wave at most); the goal is a delivery **before** the real onset
and **no more than 21 days** before it.

Scheduling rules compared: ``quantile`` (the default: plan for the 20 % quantile of next year's
onset, see ``forecasting.timing.rules``), ``median`` (the expected onset; the former default) and
``earliest`` (the earliest onset seen).

Cost column: the mean over scored waves of 4 x days late (delivery after the real onset) + days
early beyond the ideal 8 (on shelf 7 days before the onset), the cost ratio the ``quantile`` rule
assumes; lower is better.

Baseline: "last year's date": deliver on the latest Monday 8 days before the same wave's 2010 onset
moved to 2011 (what a planner copying last year's calendar does).

Run from the repository root::

    python benchmarks/launch_timing.py             # total sales and the 25 provinces
    python benchmarks/launch_timing.py --only total --forecast prophet
    python benchmarks/launch_timing.py --schedule-for median earliest quantile
    python benchmarks/launch_timing.py --only provinces --per-group   # one date per province
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from forecasting.inputs import validate_sales
from forecasting.timing.launch import delivery_date, recommend_launches
from forecasting.timing.surges import detect_surges

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
GOAL = 21


def china_sales() -> pd.DataFrame:
    raw = pd.read_csv(
        DATA / "china_clothing" / "clothing_log_daily_2008_2011.csv", parse_dates=["date"]
    )
    long = raw.melt(id_vars="date", var_name="region", value_name="log")
    long["units"] = np.exp(long["log"])
    return long[["date", "region", "units"]]


def _verdict(days: float) -> str:
    if np.isnan(days):
        return "no real surge"
    if days < 0:
        return "late"
    return "ok" if days <= GOAL else "too early"


def _match(plan: pd.DataFrame, real: pd.DataFrame, by: list[str]) -> pd.Series:
    """The real 2011 onset of each planned row: one-to-one per group, nearest first (<= 45 days).

    A real surge is the truth of at most one planned wave (two waves of a group cannot both be
    scored against the same surge).
    """
    truth: list[Any] = [pd.NaT] * len(plan)
    real = real[real["year"] == 2011]
    groups = plan.groupby(by, sort=False) if by else [((), plan)]
    for key, rows in groups:
        key = key if isinstance(key, tuple) else (key,)
        cands = real
        for k, v in zip(by, key, strict=True):
            cands = cands[cands[k] == v]
        pairs = sorted(
            (abs((o - e).days), i, j)
            for i, e in zip(rows.index, rows["expected_onset"], strict=True)
            for j, o in zip(cands.index, cands["onset"], strict=True)
            if abs((o - e).days) <= 45
        )
        used_i: set[object] = set()
        used_j: set[object] = set()
        for _, i, j in pairs:
            if i not in used_i and j not in used_j:
                truth[plan.index.get_loc(i)] = cands.loc[j, "onset"]
                used_i.add(i)
                used_j.add(j)
    return pd.Series(pd.to_datetime(truth), index=plan.index)


def _forecast(train: pd.DataFrame, by: list[str], model: str | None) -> pd.DataFrame | None:
    if model is None:
        return None
    from forecasting.models import DemandForecaster

    return DemandForecaster(model=model).fit(train, by=by or None).predict(365)


def evaluate(
    sales: pd.DataFrame,
    by: list[str],
    schedule_for: str = "quantile",
    per_group: bool = False,
    forecast: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per planned (group, wave): delivery, real onset, days between, the baseline."""
    train = validate_sales(sales[sales["date"] < "2011-01-01"])
    learned = detect_surges(train, by=by or None)
    plan = recommend_launches(
        train,
        "2011-01-01",
        "2011-12-31",
        by=by or None,
        schedule_for=schedule_for,
        per_group=per_group,
        surges=learned,
        forecast=forecast,
    )
    real = detect_surges(sales, by=by or None)
    plan["real_onset"] = _match(plan, real, by)
    rows = []
    for _, p in plan.iterrows():
        truth = p["real_onset"]
        before = float((truth - p["delivery_date"]).days) if pd.notna(truth) else np.nan
        # baseline: last year's onset of the same wave, moved to 2011
        lmask = np.ones(len(learned), bool)
        for k in by:
            lmask &= (learned[k] == p[k]).to_numpy()
        prev = learned[lmask & (learned["year"] == 2010) & (learned["anchor"] == p["anchor"])]
        if prev.empty:
            base = np.nan
        else:
            moved = prev["onset"].iloc[0] + pd.DateOffset(years=1)
            base_day = delivery_date(moved, 7, "MON")
            base = float((truth - base_day).days) if pd.notna(truth) else np.nan
        rows.append(
            {
                **{k: p[k] for k in by},
                "wave": p["wave"],
                "expected_onset": p["expected_onset"],
                "planned_onset": p["planned_onset"],
                "delivery": p["delivery_date"],
                "real_onset": truth,
                "days_before_real": before,
                "verdict": _verdict(before),
                "baseline_days_before": base,
                "baseline_verdict": _verdict(base),
                "confidence": p["confidence"],
            }
        )
    return pd.DataFrame(rows)


def _fmt(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return "—" if pd.isna(value) else f"{value:%Y-%m-%d}"
    if isinstance(value, float):
        return "—" if np.isnan(value) else f"{value:+.0f}"
    return str(value)


def markdown(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += [
        "| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join(lines)


def summary(result: pd.DataFrame, label: str) -> dict[str, object]:
    scored = result.dropna(subset=["days_before_real"])
    base = result.dropna(subset=["baseline_days_before"])
    too_early = (scored["verdict"] == "too early").mean()
    d = scored["days_before_real"]
    cost = (4 * (-d).clip(lower=0) + (d - 8).clip(lower=0)).mean()
    return {
        "series": label,
        "waves planned": len(result),
        "with a real 2011 onset": len(scored),
        "ok (0..21 d before)": f"{(scored['verdict'] == 'ok').mean():.0%}",
        "late": f"{(scored['verdict'] == 'late').mean():.0%}",
        "too early": f"{too_early:.0%}",
        "median days before": f"{scored['days_before_real'].median():+.0f}",
        "mean cost (days)": f"{cost:.1f}",
        "baseline ok": f"{(base['baseline_verdict'] == 'ok').mean():.0%}" if len(base) else "—",
        "baseline late": f"{(base['baseline_verdict'] == 'late').mean():.0%}" if len(base) else "—",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=["total", "provinces"], default=None)
    parser.add_argument(
        "--schedule-for",
        choices=["quantile", "median", "earliest"],
        nargs="+",
        default=["median", "quantile"],
        help="rules to compare: the 20%% quantile of the onset (recommend_launches' default), "
        "the median onset (the former default), the earliest onset seen; detailed tables are "
        "printed for the last one",
    )
    parser.add_argument("--per-group", action="store_true", help="one delivery date per province")
    parser.add_argument(
        "--forecast",
        choices=["prophet", "ets", "seasonal_naive"],
        default=None,
        help="refine the expected onsets with a DemandForecaster fitted on 2008-2010",
    )
    args = parser.parse_args()
    sales = china_sales()
    rows = []
    fc = f", forecast {args.forecast}" if args.forecast else ""
    if args.only in (None, "total"):
        t = time.perf_counter()
        total = pd.DataFrame(sales.groupby("date", as_index=False)["units"].sum())
        forecast = _forecast(total[total["date"] < "2011-01-01"], [], args.forecast)
        for rule in args.schedule_for:
            result = evaluate(total, [], rule, forecast=forecast)
            rows.append(summary(result, f"total, schedule for {rule}{fc}"))
        print("### Total sales: 2011 deliveries learned from 2008-2010 vs the real 2011 onsets\n")
        print(f"(schedule for {args.schedule_for[-1]}{fc})\n")
        print(markdown(result))
        print(f"\n({time.perf_counter() - t:.1f} s)\n")
    if args.only in (None, "provinces"):
        t = time.perf_counter()
        forecast = _forecast(sales[sales["date"] < "2011-01-01"], ["region"], args.forecast)
        mode = "per-province" if args.per_group else "unified"
        for rule in args.schedule_for:
            result = evaluate(sales, ["region"], rule, args.per_group, forecast)
            rows.append(summary(result, f"25 provinces, {mode} delivery, schedule for {rule}{fc}"))
        print(f"### Provinces: per wave (schedule for {args.schedule_for[-1]}{fc})\n")
        per_wave = (
            result.groupby("wave")
            .agg(
                provinces=("region", "size"),
                delivery=("delivery", "first"),
                ok=("verdict", lambda v: f"{(v == 'ok').mean():.0%}"),
                late=("verdict", lambda v: f"{(v == 'late').mean():.0%}"),
                median_days_before=("days_before_real", "median"),
            )
            .reset_index()
        )
        print(markdown(per_wave))
        print(f"\n({time.perf_counter() - t:.1f} s)\n")
    print("### Summary (goal: delivery before the real onset and at most 21 days before it)\n")
    print(markdown(pd.DataFrame(rows)))


if __name__ == "__main__":
    main()
