"""Outputs are written complete or not at all: staged folders and files, refusal, leftovers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from forecasting import OutputExistsError, write_plan
from forecasting.cli import run
from forecasting.exceptions import LaunchcastError
from forecasting.inputs.validation import command_line
from forecasting.plan import folder as plan_folder
from forecasting.plan import writers
from forecasting.plan.calendar_files import export_launch_calendar
from forecasting.plan.writers import (
    atomic_path,
    check_output_folder,
    staged_files,
    staged_folder,
    write_csv,
)


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry under ``folder`` (hidden ones too): file contents, ``None`` for folders."""
    return {
        str(p.relative_to(folder)): (None if p.is_dir() else p.read_bytes())
        for p in sorted(folder.rglob("*"))
    }


def old_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir(parents=True)
    (out / "summary.md").write_text("# the old plan", encoding="utf-8")
    (out / "notes.txt").write_text("kept by the planner", encoding="utf-8")
    (out / "depth.csv").write_text("sku,depth\nA,3\n", encoding="utf-8")
    return out


LAUNCHES = pd.DataFrame(
    {
        "wave": ["autumn (白露)"],
        "delivery_date": [pd.Timestamp("2012-08-27")],
        "shelf_start": [pd.Timestamp("2012-08-28")],
        "shelf_end": [pd.Timestamp("2012-08-30")],
        "reason": ["autumn surge expected 2012-09-10"],
    }
)


# --- a failure midway leaves the target as it was -----------------------------------------------


@pytest.mark.parametrize("error", [OSError("disk full"), KeyboardInterrupt()])
@pytest.mark.parametrize("existing", [False, True])
def test_failure_in_the_block_leaves_the_target_as_it_was(
    tmp_path: Path, error: BaseException, existing: bool
) -> None:
    if existing:
        old_output(tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(type(error)), staged_folder(tmp_path / "out", overwrite=True) as staging:
        write_csv(pd.DataFrame({"sku": ["A"]}), staging / "depth.csv")
        (staging / "summary.md").write_text("# new", encoding="utf-8")
        raise error
    assert snapshot(tmp_path) == before


def test_export_fails_on_its_last_file_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    out = old_output(tmp_path)
    before = snapshot(tmp_path)
    # the timeline (the last of the four files) cannot read this sales history
    with pytest.raises((LaunchcastError, OSError)):
        export_launch_calendar(LAUNCHES, out, sales=tmp_path / "missing.csv", overwrite=True)
    assert snapshot(tmp_path) == before


def test_export_into_a_new_folder_that_fails_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises((LaunchcastError, OSError)):
        export_launch_calendar(LAUNCHES, tmp_path / "a" / "b", sales=tmp_path / "missing.csv")
    assert list(tmp_path.iterdir()) == []  # not even the parents it created


def test_write_plan_failing_in_its_figures_leaves_the_folder_as_it_was(
    demo_plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = old_output(tmp_path)
    before = snapshot(tmp_path)
    written: list[str] = []

    def figures_fail(plan, staging: Path, lang: str) -> dict[str, Path]:
        written.extend(p.name for p in staging.iterdir())
        raise OSError("no space left on device")

    monkeypatch.setattr(plan_folder, "_write_figures", figures_fail)
    with pytest.raises(OSError, match="no space left"):
        write_plan(demo_plan, out, overwrite=True)
    assert "allocation.xlsx" in written and "launch_calendar.ics" in written  # failed midway
    assert snapshot(tmp_path) == before


def test_write_plan_refuses_a_non_empty_folder_before_writing(
    demo_plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = old_output(tmp_path)
    before = snapshot(tmp_path)
    monkeypatch.setattr(plan_folder, "write_csv", pytest.fail)  # never reached
    with pytest.raises(OutputExistsError, match=r"out: the folder exists.*overwrite=True"):
        write_plan(demo_plan, out)
    assert snapshot(tmp_path) == before


def test_plan_files_are_the_files_write_plan_writes(
    demo_plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_figures(plan, staging: Path, lang: str) -> dict[str, Path]:  # the real ones: seconds
        files = {name: staging / name for name in ("allocation.png", "forecast.png", "surges.png")}
        for path in files.values():
            path.write_bytes(b"png")
        return files

    monkeypatch.setattr(plan_folder, "_write_figures", no_figures)
    files = write_plan(demo_plan, tmp_path / "out")
    names = {p.name for p in files.values()}
    assert names == {p.name for p in (tmp_path / "out").iterdir()}
    assert names == plan_folder.PLAN_FILES  # the demo replaces its folder holding only these


# --- the swap ------------------------------------------------------------------------------------


def test_overwrite_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = old_output(tmp_path)
    paths = export_launch_calendar(LAUNCHES, out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths.values())
    assert not (out / "notes.txt").exists() and not (out / "depth.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or old folder left


def test_the_new_folder_has_the_usual_permissions(tmp_path: Path) -> None:
    with staged_folder(tmp_path / "out") as staging:
        (staging / "a.csv").write_text("x")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "out").stat().st_mode & 0o777 == 0o777 & ~mask


def test_a_failed_swap_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = old_output(tmp_path)
    before = snapshot(tmp_path)
    rename = os.rename

    def staging_cannot_move(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if ".launchcast-staging-" in str(src):
            raise PermissionError(13, "a file of the folder is open in another program", str(dst))
        rename(src, dst)

    monkeypatch.setattr(writers.os, "rename", staging_cannot_move)
    with pytest.raises(PermissionError), staged_folder(out, overwrite=True) as staging:
        (staging / "summary.md").write_text("# new")
    assert snapshot(tmp_path) == before


def test_staged_files_are_all_replaced_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv, xlsx = tmp_path / "plan.csv", tmp_path / "plan.xlsx"
    csv.write_text("old csv")
    xlsx.write_text("old xlsx")
    before = snapshot(tmp_path)
    replace = os.replace

    def second_fails(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if Path(dst) == xlsx and ".launchcast-staging-" in str(src):
            raise OSError("device busy")
        replace(src, dst)

    monkeypatch.setattr(writers.os, "replace", second_fails)
    with pytest.raises(OSError, match="busy"), staged_files(csv, xlsx, overwrite=True) as staged:
        staged[0].write_text("new csv")
        staged[1].write_text("new xlsx")
    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    with staged_files(csv, xlsx, overwrite=True) as staged:
        staged[0].write_text("new csv")
        staged[1].write_text("new xlsx")
    assert snapshot(tmp_path) == {"plan.csv": b"new csv", "plan.xlsx": b"new xlsx"}


def test_staged_files_refuse_existing_files(tmp_path: Path) -> None:
    (tmp_path / "plan.xlsx").write_text("old")
    refused = pytest.raises(OutputExistsError, match=r"plan\.xlsx: the file exists.*overwrite=True")
    with refused, staged_files(tmp_path / "plan.csv", tmp_path / "plan.xlsx"):
        pytest.fail("refused before the block runs")
    (tmp_path / "empty.csv").touch()
    with staged_files(tmp_path / "empty.csv") as (path,):  # an empty file is no output to keep
        path.write_text("x")
    assert (tmp_path / "empty.csv").read_text() == "x"


# --- refusal -------------------------------------------------------------------------------------


def test_non_empty_folder_refused_in_the_words_of_the_interface(tmp_path: Path) -> None:
    out = old_output(tmp_path)
    with pytest.raises(OutputExistsError) as python:
        check_output_folder(out)
    with command_line(), pytest.raises(OutputExistsError) as cli:
        check_output_folder(out)
    assert str(out) in str(python.value) and str(out) in str(cli.value)
    assert "overwrite=True" in str(python.value) and "--overwrite" not in str(python.value)
    assert "--overwrite" in str(cli.value) and "overwrite=True" not in str(cli.value)
    assert "\n" not in str(cli.value)
    assert isinstance(python.value, LaunchcastError) and isinstance(python.value, FileExistsError)


def test_files_appearing_in_the_target_meanwhile_are_not_replaced_unasked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputExistsError), staged_folder(out) as staging:
        (staging / "summary.md").write_text("# new")
        out.mkdir()
        (out / "saved meanwhile.xlsx").write_text("by another program")
    assert snapshot(tmp_path) == {"out": None, "out/saved meanwhile.xlsx": b"by another program"}


def test_an_empty_existing_folder_is_fine(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    paths = export_launch_calendar(LAUNCHES, tmp_path / "out")
    assert {p.parent for p in paths.values()} == {tmp_path / "out"}
    assert len(list((tmp_path / "out").iterdir())) == 4


def test_a_file_or_the_working_folder_is_never_a_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plan").write_text("a file")
    with pytest.raises(OutputExistsError, match="is a file"):
        check_output_folder(tmp_path / "plan", overwrite=True)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for target in (Path("."), tmp_path):
        with pytest.raises(OutputExistsError, match="current working folder"):
            check_output_folder(target, overwrite=True)


def test_cli_refuses_before_reading_any_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = old_output(tmp_path)
    args = ["--season", "2012-01-01:2012-12-31", "--out", str(out)]
    missing = ["--sales", "no.csv", "--stores", "no.csv", "--products", "no.csv"]
    assert run(["plan", *missing, *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"launchcast: error: {out}: the folder exists") and "--overwrite" in err
    assert run(["plan", *missing, *args, "--overwrite"]) == 1
    assert "no.csv" in capsys.readouterr().err  # with --overwrite the run gets to the inputs


def test_demo_refuses_a_folder_that_is_not_an_earlier_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "launchcast-demo"
    own.mkdir()
    (own / "summary.md").write_text("# an earlier demo")
    (own / "my notes.txt").write_text("not the demo's")
    before = snapshot(tmp_path)
    assert run(["demo", "--model", "seasonal_naive", "--quiet"]) == 1
    assert "launchcast-demo: the folder exists" in capsys.readouterr().err
    assert snapshot(tmp_path) == before
    other = old_output(tmp_path)  # another folder, even holding only plan files
    (other / "notes.txt").unlink()
    assert run(["demo", "--out", str(other), "--quiet"]) == 1
    assert "--overwrite" in capsys.readouterr().err


@pytest.mark.slow
def test_running_the_demo_twice_replaces_its_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    own = tmp_path / "launchcast-demo"
    assert run(["demo", "--model", "seasonal_naive", "--quiet"]) == 0
    (own / "summary.md").write_text("# edited since")
    assert run(["demo", "--model", "seasonal_naive", "--quiet"]) == 0
    assert (own / "summary.md").read_text(encoding="utf-8").startswith("# launchcast ")
    assert [p.name for p in tmp_path.iterdir()] == ["launchcast-demo"]


# --- leftovers of killed runs --------------------------------------------------------------------

# A short-lived writer process; it loads the writers module alone, to start quickly.
CHILD = textwrap.dedent(
    """
    import importlib.util, os, sys
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("writers", sys.argv[3])
    writers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(writers)
    atomic_path, staged_folder = writers.atomic_path, writers.staged_folder
    folder, how = Path(sys.argv[1]), sys.argv[2]
    if how == "die while writing":
        with staged_folder(folder / "out", overwrite=True) as staging:
            (staging / "half.csv").write_text("half")
            with atomic_path(folder / "forecast.csv") as tmp:
                tmp.write_text("half")
                os._exit(9)
    if how == "die in the swap":
        rename = os.rename
        def rename_then_die(src, dst):
            rename(src, dst)
            if ".launchcast-old-" in str(dst):
                os._exit(9)
        os.rename = rename_then_die
        with staged_folder(folder / "out", overwrite=True) as staging:
            (staging / "new.csv").write_text("new")
    if how == "hold":
        with staged_folder(folder / "out", overwrite=True) as staging:
            (staging / "half.csv").write_text("half")
            print(staging.name, flush=True)
            sys.stdin.read()
    """
)


def child(folder: Path, how: str, **kwargs: object) -> subprocess.Popen[str]:
    argv = [sys.executable, "-c", CHILD, str(folder), how, str(writers.__file__)]
    return subprocess.Popen(argv, text=True, **kwargs)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".launchcast-" in p.name)


def test_leftovers_of_a_dead_process_are_cleaned_by_the_next_run(tmp_path: Path) -> None:
    out = old_output(tmp_path)
    before = snapshot(out)
    assert child(tmp_path, "die while writing").wait(timeout=120) == 9
    left = leftovers(tmp_path)
    assert [name.split(".launchcast-")[0] for name in left] == [".forecast.csv", ".out"]
    assert snapshot(out) == before and not (tmp_path / "forecast.csv").exists()
    write_csv(pd.DataFrame({"x": [1]}), tmp_path / "other.csv")  # the next run writing beside them
    assert leftovers(tmp_path) == []
    assert snapshot(out) == before


def test_a_run_killed_in_the_swap_gets_its_old_folder_back(tmp_path: Path) -> None:
    out = old_output(tmp_path)
    before = snapshot(out)
    assert child(tmp_path, "die in the swap").wait(timeout=120) == 9
    assert not out.exists() and len(leftovers(tmp_path)) == 2  # the old folder aside, the new one
    with pytest.raises(OutputExistsError):  # the old folder is back, and not replaced unasked
        check_output_folder(out)
    assert leftovers(tmp_path) == [] and snapshot(out) == before


def test_the_work_of_a_live_process_is_left_alone(tmp_path: Path) -> None:
    holder = child(tmp_path, "hold", stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None
        staging = tmp_path / holder.stdout.readline().strip()
        assert staging.is_dir() and ".launchcast-staging-" in staging.name
        with staged_folder(tmp_path / "other") as mine:
            (mine / "a.csv").write_text("x")
        with atomic_path(tmp_path / "b.csv") as tmp:
            tmp.write_text("x")
        assert (staging / "half.csv").read_text() == "half"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=60)
    check_output_folder(tmp_path / "other", overwrite=True)
    assert not staging.exists() and leftovers(tmp_path) == []


def test_overwrite_never_replaces_a_folder_that_holds_folders(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "notes.txt").write_text("mine")
    with pytest.raises(OutputExistsError, match="holds folders \\(Documents\\)"):
        check_output_folder(home, overwrite=True)
    with pytest.raises(OutputExistsError), staged_folder(home, overwrite=True) as staging:
        (staging / "summary.md").write_text("new")
    assert (home / "notes.txt").read_text() == "mine" and (home / "Documents").is_dir()
