"""``launchcast plan`` on tables that disagree: a right plan, or one line, exit 1, nothing written.

Each case starts from the bundled demo files, breaks one thing a planner's own files break, and runs
the real console script in a subprocess.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from forecasting import load_demo

Console = Callable[..., subprocess.CompletedProcess[str]]
SEASON = "2012-01-01:2012-12-31"


@pytest.fixture(scope="module")
def demo_tables() -> dict[str, pd.DataFrame]:
    demo = load_demo()
    return {
        "sales": demo.sales,
        "stores": demo.stores,
        "products": demo.products,
        "judgments": demo.judgments,
    }


def _write(folder: Path, tables: dict[str, pd.DataFrame]) -> list[str]:
    args = []
    for name, frame in tables.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False)
        args += [f"--{name}", str(path)]
    return args


def _zero_padded(t: dict[str, pd.DataFrame]) -> None:
    number = t["sales"]["store"].str.extract(r"(\d+)$")[0].astype(int)
    t["sales"] = t["sales"].assign(store=number.map("{:03d}".format))
    t["stores"] = t["stores"].assign(store=t["stores"]["store"].str.extract(r"(\d+)$")[0])


def _launch_outside_season(t: dict[str, pd.DataFrame]) -> None:
    t["products"] = t["products"].assign(launch_date="")
    t["products"].loc[2, "launch_date"] = "2013-02-01"


def _missing_store_strict(t: dict[str, pd.DataFrame]) -> None:
    t["stores"] = t["stores"][t["stores"]["store"] != "Province_9"]


def _unknown_judged_sku(t: dict[str, pd.DataFrame]) -> None:
    t["judgments"] = t["judgments"].assign(sku=t["judgments"]["sku"].replace("SS12-WB01", "X"))


def _sale_from_the_future(t: dict[str, pd.DataFrame]) -> None:
    typo = t["sales"].iloc[[-1]].assign(date=pd.Timestamp("2031-12-31"))
    t["sales"] = pd.concat([t["sales"], typo], ignore_index=True)


def _as_they_are(t: dict[str, pd.DataFrame]) -> None:
    """The tables are fine; the options are not."""


CASES = {
    "store ids 001 vs 1": (_zero_padded, [], "written differently in the stores table"),
    "launch date outside the season": (_launch_outside_season, [], "outside the season"),
    "store missing from the stores table, --strict": (
        _missing_store_strict,
        ["--strict"],
        "'Province_9' (last sale 2011-12-31)",
    ),
    "judged sku missing from the products": (_unknown_judged_sku, [], "'X'"),
    "a sale dated after today (a year typo)": (
        _sale_from_the_future,
        [],
        "1 row is dated after",
    ),
    "a share held back of 150 %": (_as_they_are, ["--holdback", "1.5"], "--holdback 1.5"),
    "season over by the planning date": (
        _as_they_are,
        ["--season", "2011-01-01:2011-12-31"],
        "is over by the planning date",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_tables_that_disagree_stop_with_one_line(
    case: str, demo_tables: dict[str, pd.DataFrame], console: Console, tmp_path: Path
) -> None:
    breaks, extra, said = CASES[case]
    tables = {name: frame.copy() for name, frame in demo_tables.items()}
    breaks(tables)
    args = _write(tmp_path, tables)
    season = [] if "--season" in extra else ["--season", SEASON]
    before = sorted(p.name for p in tmp_path.iterdir())
    done = console("plan", *args, *season, *extra, "--out", "out", "-q")
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("launchcast: error: "), done.stderr
    assert said in lines[0] and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_a_warning_is_one_plain_line_and_the_plan_goes_on(
    demo_tables: dict[str, pd.DataFrame], console: Console, tmp_path: Path
) -> None:
    tables = {name: frame.copy() for name, frame in demo_tables.items()}
    _missing_store_strict(tables)
    args = _write(tmp_path, tables)
    done = console(
        "plan", *args, "--season", SEASON, "--out", "out", "-q", "--model", "seasonal_naive"
    )
    assert done.returncode == 0, done.stderr
    warning = [line for line in done.stderr.splitlines() if "Province_9" in line]
    assert len(warning) == 1 and warning[0].startswith("launchcast: warning: ")
    assert "DataQualityWarning" not in done.stderr and "warnings.warn" not in done.stderr
    assert (tmp_path / "out" / "summary.md").exists()


@pytest.mark.slow
def test_ctrl_c_is_one_line_and_exit_130(
    demo_tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    args = _write(tmp_path, {name: frame for name, frame in demo_tables.items()})
    script = Path(sys.executable).with_name("launchcast")
    for delay in (0.5, 2.0, 4.0):
        process = subprocess.Popen(
            [str(script), "plan", *args, "--season", SEASON, "--out", "out", "-q"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=120)
        if process.returncode == 0:
            continue  # it finished first
        assert process.returncode == 130, err
        assert err.splitlines()[-1] == "launchcast: interrupted" and "Traceback" not in err
        assert not (tmp_path / "out").exists()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]
