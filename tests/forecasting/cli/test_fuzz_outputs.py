"""The real console script never merges into, damages or half-writes an output.

A non-empty ``--out`` without ``--overwrite`` is one line on stderr and exit code 1 with nothing
written; a killed run leaves its target as it was, and the next run cleans what it left behind.
"""

from __future__ import annotations

import os
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


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (hidden ones too): file contents, ``None`` for folders."""
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Valid inputs of every command, so that the only fault is the output."""
    folder = tmp_path_factory.mktemp("inputs")
    demo = load_demo()
    files = {name: folder / f"{name}.csv" for name in ("sales", "stores", "products", "total")}
    demo.sales.to_csv(files["sales"], index=False)
    demo.stores.to_csv(files["stores"], index=False)
    demo.products.to_csv(files["products"], index=False)
    daily = demo.sales.groupby("date", as_index=False)["units"].sum()
    daily.to_csv(files["total"], index=False)
    files["demand"] = folder / "demand.csv"
    pd.DataFrame({"store": ["SH01", "BJ02"], "mean": [20.0, 10.0]}).to_csv(
        files["demand"], index=False
    )
    files["new"] = folder / "new.csv"
    pd.DataFrame(
        {"sku": ["N1"], "price": [120.0], "unit_cost": [50.0], "salvage_value": [20.0]}
    ).to_csv(files["new"], index=False)
    files["judgments"] = folder / "judgments.csv"
    pd.DataFrame({"sku": ["N1", "N1"], "forecaster": ["a", "b"], "units": [80.0, 120.0]}).to_csv(
        files["judgments"], index=False
    )
    return files


def folder_args(command: str, inputs: dict[str, Path], out: Path) -> list[str]:
    season = ["--season", "2012-01-01:2012-12-31"]
    return {
        "plan": ["plan", "--sales", str(inputs["sales"]), "--stores", str(inputs["stores"]),
                 "--products", str(inputs["products"]), *season, "--model", "seasonal_naive",
                 "--quiet", "--out", str(out)],
        "demo": ["demo", "--model", "seasonal_naive", "--quiet", "--out", str(out)],
        "calendar": ["calendar", "--sales", str(inputs["total"]), "--start", "2012-01-01",
                     "--end", "2012-12-31", "--out", str(out)],
    }[command]  # fmt: skip


def file_args(command: str, inputs: dict[str, Path], out: Path) -> list[str]:
    return {
        "allocate": ["allocate", "--quantity", "40", "--demand", str(inputs["demand"]),
                     "--out", str(out)],
        "depth": ["depth", "--products", str(inputs["new"]), "--judgments",
                  str(inputs["judgments"]), "--out", str(out)],
    }[command]  # fmt: skip


def assert_one_line_error(done: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("launchcast: error: ")
    for needle in needles:
        assert needle in lines[0]


# What an existing folder may hold: every kind of content counts, hidden files too.
CONTENTS = {
    "an earlier plan": {"summary.md": "# the old plan", "allocation.csv": "store,units"},
    "the planner's notes": {"notes.txt": "mine"},
    "only a hidden file": {".DS_Store": ""},
    "only a subfolder": {"2011/summary.md": "# last year"},
}


# Each run of the console script takes seconds: one case per command runs by default, the rest
# with the slow ones.
FAST = {("plan", "the planner's notes"), ("calendar", "only a hidden file")}
FOLDER_CASES = [
    pytest.param(command, content, marks=[] if (command, content) in FAST else [pytest.mark.slow])
    for command in ("plan", "calendar", "demo")
    for content in CONTENTS
]


@pytest.mark.parametrize(("command", "content"), FOLDER_CASES)
def test_non_empty_out_folder_is_refused(
    command: str, content: str, inputs: dict[str, Path], tmp_path: Path, console: Console
) -> None:
    out = tmp_path / "out"
    for name, text in CONTENTS[content].items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    before = snapshot(tmp_path)
    done = console(*folder_args(command, inputs, out))
    assert_one_line_error(done, str(out), "not empty", "--overwrite")
    assert snapshot(tmp_path) == before


@pytest.mark.slow
@pytest.mark.parametrize("command", ["plan", "calendar"])
def test_out_folder_that_is_a_file_is_refused(
    command: str, inputs: dict[str, Path], tmp_path: Path, console: Console
) -> None:
    out = tmp_path / "out"
    out.write_text("a file")
    done = console(*folder_args(command, inputs, out), "--overwrite")
    assert_one_line_error(done, str(out), "is a file")
    assert snapshot(tmp_path) == {"out": b"a file"}


@pytest.mark.parametrize(
    ("command", "existing"),
    [
        ("allocate", "plan.xlsx"),
        pytest.param("allocate", "plan.csv", marks=pytest.mark.slow),
        pytest.param("depth", "plan.csv", marks=pytest.mark.slow),
        pytest.param("depth", "plan.xlsx", marks=pytest.mark.slow),
    ],
)
def test_existing_out_files_are_refused(
    command: str, existing: str, inputs: dict[str, Path], tmp_path: Path, console: Console
) -> None:
    (tmp_path / existing).write_text("the old plan")
    before = snapshot(tmp_path)
    done = console(*file_args(command, inputs, tmp_path / "plan.csv"))
    assert_one_line_error(done, existing, "--overwrite")
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_allocate_with_overwrite_replaces_both_files(
    inputs: dict[str, Path], tmp_path: Path, console: Console
) -> None:
    (tmp_path / "plan.csv").write_text("the old plan")
    done = console(*file_args("allocate", inputs, tmp_path / "plan.csv"), "--overwrite")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "plan.xlsx"]
    assert pd.read_csv(tmp_path / "plan.csv", encoding="utf-8-sig")["units"].sum() == 40


@pytest.mark.slow
def test_calendar_with_overwrite_replaces_the_folder_whole(
    inputs: dict[str, Path], tmp_path: Path, console: Console
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("old")
    (out / "launch_calendar.csv").write_text("old")
    (out / "2011").mkdir()  # a folder inside: not an earlier output, never replaced
    refused = console(*folder_args("calendar", inputs, out), "--overwrite")
    assert refused.returncode == 1 and "holds folders (2011)" in refused.stderr
    (out / "2011").rmdir()
    done = console(*folder_args("calendar", inputs, out), "--overwrite")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "launch_calendar.csv",
        "launch_calendar.ics",
        "launch_calendar.png",
        "launch_calendar.xlsx",
    ]
    assert (out / "launch_calendar.csv").read_text(encoding="utf-8-sig") != "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def _kill_while_writing(args: list[str], parent: Path, target: str) -> list[str]:
    """Start ``launchcast *args``, SIGKILL it once its staging folder holds a file."""
    script = Path(sys.executable).with_name("launchcast")
    process = subprocess.Popen(
        [str(script), *args],
        cwd=parent,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    marker = f".{target}.launchcast-staging-"
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and process.poll() is None:
            staging = [p for p in parent.iterdir() if p.name.startswith(marker)]
            if staging and any(staging[0].iterdir()):
                break
            time.sleep(0.01)
        assert process.poll() is None, "the run ended before it could be killed while writing"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL
    return sorted(p.name for p in parent.iterdir() if ".launchcast-" in p.name)


@pytest.mark.slow
def test_a_killed_demo_leaves_its_folder_and_the_next_run_cleans_up(
    tmp_path: Path, console: Console
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("the planner's")
    before = snapshot(out)
    args = ["demo", "--model", "seasonal_naive", "--quiet", "--out", str(out)]
    left = _kill_while_writing([*args, "--overwrite"], tmp_path, "out")
    assert len(left) == 1 and left[0].startswith(".out.launchcast-staging-")
    assert snapshot(out) == before  # the target as it was, although --overwrite was given
    refused = console(*args)  # the next run: refused (out is not empty), and cleans up
    assert_one_line_error(refused, "not empty")
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and snapshot(out) == before
    left = _kill_while_writing([*args, "--overwrite"], tmp_path, "out")
    assert len(left) == 1
    done = console(*args, "--overwrite")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert not (out / "notes.txt").exists() and (out / "summary.md").exists()
