"""Benchmark of :func:`forecasting.allocation.allocate`: exactness, value and speed.

1. Optimality: on random instances (5-300 stores; negative binomial and Poisson demand, minimums,
   caps, packs) the expected sales of ``allocate`` equal the optimum of the linear programme
   (piecewise-linear concave expected sales, one variable per unit or pack, solved by
   ``scipy.optimize.linprog`` with HiGHS). Both are scored with an independent table of
   ``scipy.stats`` survival functions.
2. Speed against that LP at 300 and 3,000 stores: launchcast's exact solver
   (:func:`forecasting.allocation.solver.solve`, which computes its own item values) against the
   LP (building its table of item values, then solving), both on the same instance to the same
   optimum; ``allocate`` end to end (reading and checking the demand, the stores table's limits,
   the explanation columns) is shown too, on the path of a plan: the stores table is validated
   once (:func:`~forecasting.inputs.validate_stores`, outside the timing) and ``allocate`` takes the
   :class:`~forecasting.inputs.StoresTable`; a column times it with the raw stores DataFrame
   (validated on every call), for information.
   Then a quantity of 1e12 units, which the stores cannot take: time and peak memory of
   ``allocate`` (the rest goes to the warehouse at once).
3. Value on Walmart store shares (``../shared/data/walmart``, benchmark only): each department is a
   new product with 400 units of mean demand split over the stores by :func:`store_demand` from
   2010-02..2011-10; each split is scored on the store shares of 2011-11..2012-04 (the next six
   months), for ``allocate`` against a proportional-to-forecast split (largest remainder) and an
   equal split, at stock 60/80/100 % of mean demand; then the cost of a presentation minimum of 6
   units in the 5 smallest stores (by floor area).
4. Speed: 3,000 stores x 1 product and 1,000 products x 3,000 stores.

Run: ``python benchmarks/allocation.py`` (``--quick`` for a short run). Prints markdown tables.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse, stats
from scipy.optimize import linprog

from forecasting.allocation.allocator import allocate
from forecasting.allocation.report import allocation_report
from forecasting.allocation.solver import solve
from forecasting.allocation.store_demand import store_demand
from forecasting.depth.distributions import expected_sales
from forecasting.inputs import StoresTable, validate_stores

# HiGHS presolve costs far more than it saves on this one-constraint LP (1.8 s against 0.4 s at 300
# stores), so it is off; tight tolerances make the LP optimum exact to ~1e-12.
_LP_OPTIONS = {
    "presolve": False,
    "primal_feasibility_tolerance": 1e-10,
    "dual_feasibility_tolerance": 1e-10,
}
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "walmart"


# ---------------------------------------------------------------------------------------------- LP
def _unit_sf(mean: float, sd: float, upto: int) -> np.ndarray:
    """P(D >= k) for k = 1..upto from scipy.stats (independent of launchcast's own formulas)."""
    k = np.arange(1, upto + 1)
    if np.isfinite(sd) and sd * sd > mean > 0:
        p = mean / (sd * sd)
        r = mean * mean / (sd * sd - mean)
        return stats.nbinom.sf(k - 1, r, p)
    return stats.poisson.sf(k - 1, mean)


def _item_table(mean: float, sd: float, pack: int, limit: int) -> np.ndarray:
    """Values of packs 1..K (K <= limit), cut where a pack is worth < 1e-13 expected units."""
    spread = mean + 60.0 * (sd if np.isfinite(sd) else np.sqrt(mean)) + 60.0
    items = int(min(limit, np.ceil(spread / pack)))
    sf = _unit_sf(mean, sd, items * pack)
    values = sf.reshape(items, pack).sum(axis=1)
    keep = int(np.searchsorted(-values, -1e-13, side="right"))
    return values[: max(keep, 0)]


def random_instance(rng: np.random.Generator, n: int) -> dict:
    mean = rng.gamma(1.2, 6.0, n) * rng.choice([0.0, 1.0], n, p=[0.03, 0.97])
    sd = np.where(
        rng.random(n) < 0.6, np.sqrt(mean * (1 + rng.uniform(0.1, 1.0, n) * mean)), np.nan
    )
    pack = int(rng.choice([1, 1, 1, 2, 3, 6]))
    mins = np.where(rng.random(n) < 0.1, rng.integers(1, 7, n), 0)
    need = np.ceil(mins / pack) * pack
    caps = np.where(rng.random(n) < 0.15, need + rng.integers(0, 15, n), np.nan)
    quantity = int(need.sum() + rng.uniform(0.2, 1.3) * mean.sum())
    stores = [f"S{i:04d}" for i in range(n)]
    return {
        "demand": pd.DataFrame({"store": stores, "mean": mean, "sd": sd}),
        "stores": pd.DataFrame({"store": stores, "min_units": mins, "max_units": caps}),
        "quantity": quantity,
        "pack": pack,
    }


def lp_optimum(case: dict) -> tuple[float, float, float]:
    """(optimal expected sales, seconds to build, seconds to solve) of the LP."""
    t0 = time.perf_counter()
    d, s, p = case["demand"], case["stores"], case["pack"]
    n_items = case["quantity"] // p
    values, lower = [], []
    for m, sd, lo, cap in zip(d["mean"], d["sd"], s["min_units"], s["max_units"], strict=True):
        lo_items = int(np.ceil(lo / p))
        hi_items = lo_items + n_items if not np.isfinite(cap) else int(cap // p)
        table = _item_table(float(m), float(sd), p, hi_items)
        if len(table) < lo_items:  # minimum items beyond the cut are worth ~0 but still required
            table = np.r_[table, np.zeros(lo_items - len(table))]
        values.append(table)
        lower.append((np.arange(1, len(table) + 1) <= lo_items).astype(float))
    v, lb = np.concatenate(values), np.concatenate(lower)
    total = min(n_items, len(v))
    a_eq = sparse.csr_array(np.ones((1, len(v))))
    build = time.perf_counter() - t0
    t1 = time.perf_counter()
    res = linprog(
        -v,
        A_eq=a_eq,
        b_eq=[total],
        bounds=np.c_[lb, np.ones_like(lb)],
        method="highs",
        options=_LP_OPTIONS,
    )
    solve = time.perf_counter() - t1
    if res.status != 0:
        raise RuntimeError(res.message)
    return float(-res.fun), build, solve


def score(case: dict, units: np.ndarray) -> float:
    """Expected sales of store units, from the scipy.stats table."""
    total = 0.0
    for m, sd, x in zip(case["demand"]["mean"], case["demand"]["sd"], units, strict=True):
        if x > 0:
            total += float(np.sum(_unit_sf(float(m), float(sd), int(x))))
    return total


def solver_arrays(case: dict) -> tuple:
    """The instance as :func:`solve` takes it (bounds in items), as ``allocate`` builds it."""
    d, s, p = case["demand"], case["stores"], case["pack"]
    n_items = case["quantity"] // p
    lo = np.ceil(s["min_units"].to_numpy(float) / p).astype(np.int64)
    cap = s["max_units"].to_numpy(float)
    hi = np.where(np.isfinite(cap), np.floor(np.nan_to_num(cap) / p), lo + n_items)
    n = len(d)
    return (d["mean"].to_numpy(float), d["sd"].to_numpy(float), lo, hi.astype(np.int64),
            np.array([n_items]), np.zeros(n, dtype=np.int64), np.arange(n), p)  # fmt: skip


def run_solver(case: dict, repeats: int = 5) -> tuple[np.ndarray, float]:
    """Units per store from the exact solver alone, and its median time over ``repeats`` runs."""
    args = solver_arrays(case)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        x = solve(*args)
        times.append(time.perf_counter() - t0)
    return x * case["pack"], float(np.median(times))


def run_allocate(
    case: dict, stores: StoresTable | pd.DataFrame | None = None, repeats: int = 1
) -> tuple[np.ndarray, float]:
    """Units per store from ``allocate`` and its median time over ``repeats`` runs.

    ``stores`` is the stores table as passed (default: the instance's raw DataFrame).
    """
    table = case["stores"] if stores is None else stores
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        plan = allocate(case["quantity"], case["demand"], table, pack_size=case["pack"])
        times.append(time.perf_counter() - t0)
    units = plan.loc[plan["store"] != "DC"].set_index("store")["units"]
    return units.reindex(case["demand"]["store"]).to_numpy(), float(np.median(times))


def optimality(n_cases: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    gaps, sizes = [], []
    for _ in range(n_cases):
        n = int(rng.integers(5, 301))
        case = random_instance(rng, n)
        best, _, _ = lp_optimum(case)
        units, _ = run_allocate(case)
        alone, _ = run_solver(case, repeats=1)
        if not np.array_equal(units, alone):
            raise RuntimeError("allocate and its solver disagree")
        gaps.append(score(case, units) - best)
        sizes.append(n)
    gaps_arr = np.abs(np.array(gaps))
    print("\n### Optimality against the LP optimum (scipy.optimize.linprog, HiGHS)\n")
    print(
        "Random instances: NB/Poisson demand, 10 % of stores with minimums, 15 % capped, packs of "
        "1-6, stock 20-130 % of demand; both sides scored with scipy.stats survival functions.\n"
    )
    print("| instances | stores | max abs gap (expected units) | mean abs gap | within 1e-9 |")
    print("|---:|---:|---:|---:|---:|")
    gap_max, gap_mean = f"{gaps_arr.max():.2e}", f"{gaps_arr.mean():.2e}"
    print(f"| {n_cases} | {min(sizes)}-{max(sizes)} | {gap_max} | {gap_mean} | "
          f"{int((gaps_arr <= 1e-9).sum())}/{n_cases} |")  # fmt: skip


def speed_vs_lp(sizes: tuple[int, ...], repeats: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    print("\n### Speed against the LP (median of the runs; linprog method 'highs', presolve off)\n")
    print(
        "Same instance, same optimum (checked): launchcast's exact solver computes its own item "
        "values; the LP builds its table of item values (scipy.stats), then solves. `allocate` "
        "adds reading and checking the demand and the stores table's limits and the explanation "
        "columns. As in a plan, `allocate` takes the stores table validated once "
        "(`validate_stores`, outside the timing: a `StoresTable`); the raw column passes the "
        "stores DataFrame instead, validated on every call (for information). Solver and "
        "`allocate`: median of 5 runs per instance.\n"
    )
    print(
        "| stores | LP variables | solver (ms) | allocate end to end (ms) "
        "| allocate, raw stores DataFrame (ms) | LP build (ms) | LP solve (ms) "
        "| LP (build + solve) / solver | LP solve / solver | LP (build + solve) / allocate "
        "| LP (build + solve) / allocate (raw) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        x_t, a_t, r_t, b_t, s_t, n_vars = [], [], [], [], [], 0
        for _ in range(repeats):
            case = random_instance(rng, n)
            case["pack"] = 1
            validated = validate_stores(case["stores"])
            units, secs = run_allocate(case, validated, repeats=5)
            raw_units, raw_secs = run_allocate(case, repeats=5)
            alone, solver_secs = run_solver(case)
            best, build, lp_solve = lp_optimum(case)
            if not np.array_equal(units, alone) or abs(score(case, units) - best) > 1e-9:
                raise RuntimeError("not the LP optimum")
            if not np.array_equal(units, raw_units):
                raise RuntimeError("allocate differs with a raw stores DataFrame")
            x_t.append(solver_secs)
            a_t.append(secs)
            r_t.append(raw_secs)
            b_t.append(build)
            s_t.append(lp_solve)
        x, a, r, b, s = (float(np.median(t)) for t in (x_t, a_t, r_t, b_t, s_t))
        d = case["demand"]
        n_vars = sum(len(_item_table(float(m), float(v), 1, case["quantity"]))
                     for m, v in zip(d["mean"], d["sd"], strict=True))  # fmt: skip
        ratios = f"{(b + s) / x:.0f}x | {s / x:.0f}x | {(b + s) / a:.1f}x | {(b + s) / r:.1f}x"
        print(f"| {n:,} | {n_vars:,} | {x * 1e3:.2f} | {a * 1e3:.2f} | {r * 1e3:.1f} | "
              f"{b * 1e3:.0f} | {s * 1e3:.0f} | {ratios} |")  # fmt: skip


def huge_quantity(n: int = 300, quantity: int = 10**12, seed: int = 3) -> None:
    """``allocate`` with far more stock than the stores can take: time, memory, conservation."""
    rng = np.random.default_rng(seed)
    print(f"\n### A quantity of {quantity:.0e} units over {n} stores (`allocate` end to end)\n")
    print(
        "Time: median of 5 runs; peak memory: Python and numpy allocations (tracemalloc) of one "
        "more run. The first row is the instance's own quantity, for comparison.\n"
    )
    print(
        "| quantity | caps | to stores | to the warehouse | conserved | seconds "
        "| peak memory (MB) |"
    )
    print("|---:|---|---:|---:|---|---:|---:|")
    base = random_instance(rng, n)
    uncapped = base["stores"].assign(max_units=np.nan)
    runs = [
        (base["quantity"], "none", uncapped),
        (quantity, "none", uncapped),
        (quantity, "15 % of stores", base["stores"]),
    ]
    for q, caps, stores in runs:
        allocate(q, base["demand"], stores, pack_size=base["pack"])  # warm up imports, caches
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            plan = allocate(q, base["demand"], stores, pack_size=base["pack"])
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        allocate(q, base["demand"], stores, pack_size=base["pack"])
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        wh = int(plan.loc[plan["store"] == "DC", "units"].sum())
        to_stores = int(plan["units"].sum()) - wh
        ok = "yes" if int(plan["units"].sum()) == q else "NO"
        print(f"| {q:,} | {caps} | {to_stores:,} | {wh:,} | {ok} | {np.median(times):.3f} | "
              f"{peak:.1f} |")  # fmt: skip


# ------------------------------------------------------------------------------------------ Walmart
def _proportional(mean: np.ndarray, q: int) -> np.ndarray:
    share = mean / mean.sum() * q
    base = np.floor(share).astype(int)
    rest = q - base.sum()
    order = np.argsort(-(share - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _equal(n: int, q: int) -> np.ndarray:
    base = np.full(n, q // n)
    base[: q - base.sum()] += 1
    return base


def walmart(total_units: float = 400.0, total_cv: float = 0.4) -> None:
    train = DATA / "train_2010-02_2012-04.csv"
    if not train.exists():
        print("\n(Walmart data not found; value benchmark skipped)")
        return
    raw = pd.read_csv(train)
    sales = pd.DataFrame({
        "date": pd.to_datetime(raw["Date"]), "store": raw["Store"].astype(str).str.zfill(2),
        "sku": "D" + raw["Dept"].astype(str).str.zfill(2),
        "units": raw["Weekly_Sales"].clip(lower=0.0),
    })  # fmt: skip
    sales["category"] = sales["sku"]
    cut = pd.Timestamp("2011-11-01")
    past, future = sales.loc[sales["date"] < cut], sales.loc[sales["date"] >= cut]
    wide = past.groupby("sku")["store"].nunique()
    depts = sorted(wide.index[wide >= 40])
    totals = pd.DataFrame({"sku": depts, "mean": total_units, "sd": total_cv * total_units,
                           "category": depts})  # fmt: skip
    fc = store_demand(totals, past)
    truth = store_demand(totals, future, prior_periods=0)
    stores_all = sorted(sales["store"].unique())
    fc = fc.set_index(["sku", "store"]).reindex(pd.MultiIndex.from_product([depts, stores_all]))
    fc = fc.fillna({"mean": 0.0, "share": 0.0}).reset_index(names=["sku", "store"])
    truth = truth.set_index(["sku", "store"]).reindex(
        pd.MultiIndex.from_product([depts, stores_all])
    )
    truth = truth.fillna({"mean": 0.0, "share": 0.0}).reset_index(names=["sku", "store"])
    size = f"{len(depts)} departments x {len(stores_all)} stores"
    print(f"\n### Value on Walmart store shares ({size}; "
          f"{total_units:.0f} units of mean demand per product, sd {total_cv:.0%})\n")  # fmt: skip
    print("Shares forecast from 2010-02..2011-10, scored on 2011-11..2012-04 "
          "(expected units sold as a "
          "share of the stock).\n")  # fmt: skip
    print("| stock / mean demand | allocate | proportional (largest remainder) | equal split | "
          "allocate vs proportional | allocate vs equal |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|---:|")
    demand = fc[["sku", "store", "mean", "sd"]]
    tm, ts = truth["mean"].to_numpy(), truth["sd"].to_numpy()
    for frac in (0.6, 0.8, 1.0):
        q = round(frac * total_units)
        plan = allocate(pd.DataFrame({"sku": depts, "units": q}), demand)
        placed = plan.loc[plan["store"] != "DC"].set_index(["sku", "store"])["units"]
        x_alloc = placed.reindex(pd.MultiIndex.from_frame(truth[["sku", "store"]])).to_numpy()
        x_prop = np.concatenate(
            [_proportional(g["mean"].to_numpy(), q) for _, g in fc.groupby("sku")]
        )
        x_eq = np.concatenate([_equal(len(g), q) for _, g in fc.groupby("sku")])
        sold = [float(np.sum(expected_sales(tm, ts, x))) for x in (x_alloc, x_prop, x_eq)]
        stock = q * len(depts)
        rates = " | ".join(f"{v / stock:.1%}" for v in sold)
        print(f"| {frac:.0%} | {rates} | "
              f"{sold[0] / sold[1] - 1:+.1%} | {sold[0] / sold[2] - 1:+.1%} |")  # fmt: skip
    # cost of a presentation minimum of 6 units in the 5 smallest stores (by floor area), stock 80 %
    info = pd.read_csv(DATA / "stores.csv")
    small = info.nsmallest(5, "Size")["Store"].astype(str).str.zfill(2).tolist()
    table = pd.DataFrame({"store": stores_all, "min_units": [6 if s in small else 0
                                                            for s in stores_all]})  # fmt: skip
    q = round(0.8 * total_units)
    plan = allocate(pd.DataFrame({"sku": depts, "units": q}), demand, table)
    report = allocation_report(plan)
    mins = report.minimums
    names = ", ".join(small)
    print(f"\n### Cost of a presentation minimum of 6 units in the 5 smallest stores ({names}), "
          "stock 80 %\n")  # fmt: skip
    print("| binding minimums | units forced (avg per product) | expected sales lost, all minimums "
          "(avg per product) | as % of expected sales | avg net cost of one minimum |")  # fmt: skip
    print("|---:|---:|---:|---:|---:|")
    forced = float((mins["units"] - mins["units_without_minimum"]).sum()) / len(depts)
    lost = report.products["cost_of_all_minimums"]
    pct = float(lost.sum() / report.products["expected_sales"].sum())
    print(f"| {len(mins)} of {5 * len(depts)} | {forced:.1f} | {lost.mean():.2f} | {pct:.2%} | "
          f"{mins['net_cost'].mean():.3f} |")  # fmt: skip


# ---------------------------------------------------------------------------------------- speed
def speed(products: tuple[int, ...], n_stores: int = 3000, seed: int = 2) -> None:
    rng = np.random.default_rng(seed)
    print("\n### Speed of allocate (end to end: validation, solve, explanation columns)\n")
    print("| products | stores | store x product pairs | seconds | pairs per second |")
    print("|---:|---:|---:|---:|---:|")
    stores = np.array([f"S{i:04d}" for i in range(n_stores)])
    for g in products:
        mean = rng.gamma(1.5, 3.0, g * n_stores)
        demand = pd.DataFrame({"sku": np.repeat([f"P{k:04d}" for k in range(g)], n_stores),
                               "store": np.tile(stores, g), "mean": mean,
                               "sd": np.sqrt(mean * (1 + 0.5 * mean))})  # fmt: skip
        units = (demand.groupby("sku", sort=True)["mean"].sum().to_numpy() * 0.8).astype(int)
        qty = pd.DataFrame({"sku": [f"P{k:04d}" for k in range(g)], "units": units})
        t0 = time.perf_counter()
        allocate(qty, demand, holdback=0.1)
        secs = time.perf_counter() - t0
        print(
            f"| {g:,} | {n_stores:,} | {g * n_stores:,} | {secs:.2f} | {g * n_stores / secs:,.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer instances, smaller speed runs")
    args = parser.parse_args()
    t0 = time.perf_counter()
    optimality(40 if args.quick else 200)
    speed_vs_lp((300, 3000), 1 if args.quick else 3)
    huge_quantity()
    walmart()
    speed((1, 100) if args.quick else (1, 1000))
    print(f"\n(total {time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
