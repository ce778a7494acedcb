"""``launchcast plan``: ``--plan-share-cv`` reaches the blend, and the console shows the blend."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from forecasting import load_demo, make_plan

Console = Callable[..., subprocess.CompletedProcess[str]]
SEASON = ("2012-01-01", "2012-12-31")


def test_plan_share_cv_changes_the_judges_weight(console: Console, tmp_path: Path) -> None:
    demo = load_demo()
    args = []
    for name in ("sales", "stores", "products", "judgments"):
        path = tmp_path / f"{name}.csv"
        getattr(demo, name).to_csv(path, index=False)
        args += [f"--{name}", str(path)]
    done = console(
        "plan",
        *args,
        "--season",
        ":".join(SEASON),
        "--model",
        "seasonal_naive",
        "--plan-share-cv",
        "0.2",
        "--out",
        "out",
        "-q",
        "--lang",
        "en",
    )
    assert done.returncode == 0, done.stderr
    depth = pd.read_csv(tmp_path / "out" / "depth.csv", encoding="utf-8-sig").set_index("sku")
    assert depth["model_basis"].str.contains("plan share .* \\(CV 0\\.20\\)").all()

    default = make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        demo.judgments,
        season=SEASON,
        model="seasonal_naive",
    )
    assert default.options["plan_share_cv"] == 0.5
    before = default.demand.set_index("sku")["judge_weight"]
    after = depth["judge_weight"].reindex(before.index)
    both = default.demand.set_index("sku")[["judge_mean", "model_mean"]].notna().all(axis=1)
    assert both.all()  # every demo product has judgments and a plan_share
    # a plan share held surer (CV 0.2 instead of 0.5) weighs more: the judges weigh less
    assert (after < before - 0.05).all(), pd.DataFrame({"cv 0.5": before, "cv 0.2": after})

    # the console's depth table shows the blend next to the depth
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("sku") and "depth" in line)
    assert header.split()[:7] == ["sku", "wave", "judges", "data", "weight", "mean", "sd"]
    assert "depth" in header.split()
    row = next(line for line in lines if line.startswith("SS12-WB01"))
    weight = round(100 * float(depth.loc["SS12-WB01", "judge_weight"]))
    assert f"{weight}%" in row.split()
    assert any(line.startswith("judges: the judges' mean") for line in lines)
