"""Calendar facts: accuracy of ``calendars.solar_terms`` and the speed of the calendar functions.

Accuracy: the 1,224 solar terms of 1990-2040 against the reference table
``tests/data/solar_terms_reference_1990_2040.csv`` (instants from the JPL ephemerides DE441,
cross-checked against JPL Horizons within 7 s; Beijing date and the Hong Kong Observatory's table).
Reported: how many Beijing dates agree, and the largest and mean absolute difference of the
instants in seconds.

Speed: ``solar_terms`` and ``events`` (market CN, all kinds) for the 201 years 1900-2100, cold (the
first call in a fresh interpreter, after the import, which is timed separately) and cached (the same
call again in that interpreter; best of 5).

Run from the repository root::

    python benchmarks/calendar_facts.py

(Not named ``calendars.py``: run as a script, a file of that name in this folder would shadow the
``calendars`` package for every benchmark here.)
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from calendars import solar_terms

REFERENCE = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / "solar_terms_reference_1990_2040.csv"
)
YEARS = "range(1900, 2101)"

_TIMER = """
import json, time
t = time.perf_counter()
import calendars
imported = time.perf_counter() - t
t = time.perf_counter()
first = calendars.{call}
cold = time.perf_counter() - t
cached = []
for _ in range(5):
    t = time.perf_counter()
    calendars.{call}
    cached.append(time.perf_counter() - t)
print(json.dumps({{"import": imported, "cold": cold, "cached": min(cached), "rows": len(first)}}))
"""


def accuracy() -> dict[str, object]:
    """Agreement of ``solar_terms(1990..2040)`` with the reference table."""
    ref = pd.read_csv(REFERENCE)
    ref["instant"] = pd.to_datetime(ref["utc"], utc=True)
    ref["date"] = pd.to_datetime(ref["beijing_date"])
    ours = solar_terms(range(int(ref["year"].min()), int(ref["year"].max()) + 1))
    ours = ours.assign(instant=ours["instant"].dt.tz_convert("UTC"))
    both = ref.merge(ours, on=["year", "name"], suffixes=("_ref", ""), validate="1:1")
    delta = (both["instant"] - both["instant_ref"]).dt.total_seconds().abs()
    return {
        "terms": len(ref),
        "matched": len(both),
        "dates equal": int((both["date"] == both["date_ref"]).sum()),
        "HKO dates equal": int((both["date"] == pd.to_datetime(both["hko_table_date"])).sum()),
        "max abs Δinstant (s)": round(float(delta.max()), 1),
        "mean abs Δinstant (s)": round(float(delta.mean()), 1),
        "within 60 s": int((delta <= 60).sum()),
    }


def timing(call: str) -> dict[str, float]:
    """Import, cold and cached seconds of ``calendars.<call>`` in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _TIMER.format(call=call)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def markdown(rows: list[dict[str, object]]) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(str(r[c]) for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    t = time.perf_counter()
    print("### Solar terms 1990-2040 vs the JPL/HKO reference table\n")
    print(markdown([accuracy()]))
    print("\n### Speed, 201 years (1900-2100), market CN\n")
    rows: list[dict[str, object]] = []
    for label, call in (
        ("solar_terms", f"solar_terms({YEARS})"),
        ("events (all kinds)", f"events({YEARS}, market='CN')"),
    ):
        r = timing(call)
        rows.append(
            {
                "call": label,
                "rows": int(r["rows"]),
                "import (s)": f"{r['import']:.2f}",
                "cold (s)": f"{r['cold']:.2f}",
                "cached (ms)": f"{1000 * r['cached']:.1f}",
            }
        )
    print(markdown(rows))
    print(f"\n({time.perf_counter() - t:.1f} s in all)")


if __name__ == "__main__":
    main()
