"""Parallel forecasting (issues 8 and 12): joblib's local processes and Dask give the serial results
exactly, also from a script without a main guard and from standard input; numerical failures of a
series are collected with their fallback, or raised with ``on_error="raise"``; other errors are
raised; a missing dask says how to install it; the CLI."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
import traceback
from collections.abc import Callable, Hashable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.cli import run
from forecasting.exceptions import DataValidationError, MissingDependencyError
from forecasting.models import DemandForecaster
from forecasting.models.base import SeriesConfig
from forecasting.models.panel import series_panel
from forecasting.models.parallel import (
    SeriesError,
    errors_frame,
    fit_many,
    parallel_map,
    predict_many,
    resolve_n_jobs,
)

DATA = Path(__file__).resolve().parents[2] / "data"
HORIZON = 8


def weekly_sales() -> pd.DataFrame:
    """Real weekly series (China clothing, two provinces, 2008-2010) cut into six stores of
    different lengths, plus one store too short for a model (it gets the fallback)."""
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    daily = raw.melt(id_vars="date", var_name="province", value_name="log")
    daily["units"] = np.exp(daily["log"]).round()
    weekly = (
        daily.set_index("date").groupby("province")["units"].resample("W-SUN").sum().reset_index()
    )
    weekly = weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] <= "2010-12-26")]
    parts = []
    for i, start in enumerate(["2008-01-06", "2008-07-01", "2009-03-01"]):
        for province in ("Province_1", "Province_2"):
            part = weekly[(weekly["province"] == province) & (weekly["date"] > start)]
            parts.append(part.assign(store=f"{province[-1]}-{i}"))
    short = weekly[(weekly["province"] == "Province_1")].tail(5).assign(store="new")
    out = pd.concat([*parts, short], ignore_index=True)
    return out[["date", "store", "units"]]


class SingularCalendar:
    """A calendar whose event design cannot be solved: every model that uses it fails
    numerically (as a singular calendar design would), at the fit or at the forecast."""

    def features_for(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        raise np.linalg.LinAlgError("Singular matrix")


def _fit_predict(**params: object) -> tuple[pd.DataFrame, DemandForecaster]:
    forecaster = DemandForecaster(model="prophet", progress=False, **params)  # type: ignore[arg-type]
    forecaster.fit(weekly_sales(), by="store")
    return forecaster.predict(HORIZON), forecaster


@pytest.fixture(scope="module")
def serial() -> tuple[pd.DataFrame, DemandForecaster]:
    return _fit_predict(n_jobs=1)


def test_local_processes_equal_serial(serial: tuple[pd.DataFrame, DemandForecaster]) -> None:
    expected, fitted = serial
    got, forecaster = _fit_predict(backend="local", n_jobs=2)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(forecaster.summary_, fitted.summary_)
    assert fitted.summary_.set_index("store").loc["new", "model"] == "recent_level"
    assert (fitted.summary_["model"] == "prophet").sum() == 6
    assert forecaster.errors_.empty and list(forecaster.errors_.columns) == [
        "store", "stage", "error", "fallback"
    ]  # fmt: skip


def test_dask_local_cluster_equals_local(serial: tuple[pd.DataFrame, DemandForecaster]) -> None:
    distributed = pytest.importorskip("distributed")
    expected, _ = serial
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        got, forecaster = _fit_predict(backend="dask", scheduler=client)
        by_address, _ = _fit_predict(backend="dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(by_address, expected)
    assert forecaster.get_params()["backend"] == "dask"


def test_params_only_stored_and_validated() -> None:
    f = DemandForecaster(backend="dask", n_jobs=3, scheduler="tcp://nowhere:1", progress=False)
    assert (f.backend, f.n_jobs, f.scheduler, f.progress) == ("dask", 3, "tcp://nowhere:1", False)
    assert f.on_error == "fallback"
    with pytest.raises(ValueError, match="backend='spark'"):
        DemandForecaster(backend="spark").fit(weekly_sales(), by="store")
    with pytest.raises(DataValidationError, match="on_error='ignore'"):
        DemandForecaster(model="ets", on_error="ignore").fit(weekly_sales(), by="store")
    with pytest.raises(ValueError, match="n_jobs=0"):
        resolve_n_jobs(0)
    assert resolve_n_jobs(-1) >= 1


def test_failing_series_are_collected_with_their_fallback(
    serial: tuple[pd.DataFrame, DemandForecaster],
) -> None:
    sales = weekly_sales()
    panel = series_panel(sales, ["store"], "W-SUN")
    good = serial[1].config_
    broken = dataclasses.replace(good, calendar=SingularCalendar())
    for n_jobs in (1, 2):
        models, errors = fit_many(panel, broken, n_jobs=n_jobs, progress=False)
        # the six long series fail inside Prophet's design (a singular calendar), the short one
        # never reaches a model: it is a documented fallback, not an error
        assert [e.key for e in errors] == [k for k in panel if k != ("new",)]
        assert {e.stage for e in errors} == {"fit"} and {e.fallback for e in errors} == {
            "recent_level"
        }  # fmt: skip
        assert all("LinAlgError: Singular matrix" in e.error for e in errors)
        assert all(m.model_name == "recent_level" for m in models.values())
        assert models[("1-0",)].reason.startswith("prophet failed: Singular matrix")
        assert models[("1-0",)].error == "LinAlgError: Singular matrix"
        forecasts, predict_errors = predict_many(models, 4, broken, n_jobs=n_jobs, progress=False)
        assert predict_errors == [] and all(len(fc) == 4 for fc in forecasts)
    # fitted fine, then the prediction fails: the series' recent-level backup answers
    models, _ = fit_many({("1-0",): panel[("1-0",)]}, good, n_jobs=1, progress=False)
    forecasts, errors = predict_many(models, 4, broken, n_jobs=1, progress=False)
    assert [(e.key, e.stage, e.fallback) for e in errors] == [(("1-0",), "predict", "recent_level")]
    recent = panel[("1-0",)].iloc[-8:].mean()
    assert np.isclose(forecasts[0]["mean"].iloc[0], recent)
    table = errors_frame(errors, ["store"])
    assert table.loc[0, "store"] == "1-0" and table.loc[0, "stage"] == "predict"


def test_on_error_raise_shows_the_real_failure(
    serial: tuple[pd.DataFrame, DemandForecaster],
) -> None:
    panel = series_panel(weekly_sales(), ["store"], "W-SUN")
    broken = dataclasses.replace(serial[1].config_, calendar=SingularCalendar())
    for n_jobs in (1, 2):
        with pytest.raises(np.linalg.LinAlgError, match="Singular matrix") as caught:
            fit_many(panel, broken, on_error="raise", n_jobs=n_jobs, progress=False)
        # the traceback reaches the line that failed, also from a worker process
        assert "features_for" in "".join(traceback.format_exception(caught.value))
    models, _ = fit_many(panel, serial[1].config_, n_jobs=1, progress=False)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        predict_many(models, 4, broken, on_error="raise", n_jobs=1, progress=False)


def test_errors_that_are_not_numerical_are_raised(
    serial: tuple[pd.DataFrame, DemandForecaster],
) -> None:
    """A mistake (here a calendar that is not a calendar) is not hidden behind a fallback."""
    panel = series_panel(weekly_sales(), ["store"], "W-SUN")
    mistaken = dataclasses.replace(serial[1].config_, calendar="not a calendar table")
    for n_jobs in (1, 2):
        with pytest.raises(AttributeError, match="features_for"):
            fit_many(panel, mistaken, n_jobs=n_jobs, progress=False)


def test_errors_reach_the_forecaster() -> None:
    sales = weekly_sales()
    f = DemandForecaster(model="prophet", n_jobs=1, progress=False, calendar_kinds=("holiday",))
    f.fit(sales, by="store")
    assert f.errors_.empty
    f.config_ = dataclasses.replace(f.config_, calendar=SingularCalendar())
    fc, errors = f.predict(3, return_errors=True)
    assert len(fc) == 3 * 7 and (fc[["mean", "p10", "p50", "p90"]] >= 0).all().all()
    assert set(errors["stage"]) == {"predict"} and len(errors) == 6
    assert list(errors.columns) == ["store", "stage", "error", "fallback"]
    assert f.errors_.empty  # predict leaves the fitted state alone
    with pytest.warns(RuntimeWarning, match="6 series failed"):
        pd.testing.assert_frame_equal(f.predict(3), fc)
    f.set_params(on_error="raise")
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        f.predict(3)


def test_fit_errors_reach_the_forecaster(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model failing numerically at the fit: recorded in ``errors_`` with its fallback, or
    raised with ``on_error="raise"``."""
    from forecasting.models.ets import ETS

    def singular(self: ETS, y: pd.Series, config: SeriesConfig) -> ETS:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(ETS, "fit", singular)
    sales = weekly_sales()
    f = DemandForecaster(model="ets", n_jobs=1, progress=False).fit(sales, by="store")
    assert len(f.errors_) == 6 and set(f.errors_["stage"]) == {"fit"}
    assert set(f.errors_["error"]) == {"LinAlgError: Singular matrix"}
    assert set(f.errors_["fallback"]) == {"recent_level"}
    assert (f.summary_["model"] == "recent_level").all()
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        DemandForecaster(model="ets", n_jobs=1, progress=False, on_error="raise").fit(
            sales, by="store"
        )


def test_progress_bar_is_quiet_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    def double(key: tuple[Hashable, ...], item: int, shared: int) -> tuple[int, SeriesError | None]:
        return item * shared, None

    items = [((str(i),), i) for i in range(50)]
    assert parallel_map(double, items, 3, n_jobs=1, progress=True)[0] == [3 * i for i in range(50)]
    assert capsys.readouterr().err == ""


def test_missing_dask_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # what an install without dask sees
    with pytest.raises(MissingDependencyError, match=r'pip install "launchcast\[dask\]"'):
        parallel_map(lambda k, i, s: (i, None), [(("a",), 1)], None, backend="dask")
    with pytest.raises(ImportError, match="launchcast"):
        DemandForecaster(model="seasonal_naive", backend="dask", progress=False).fit(
            weekly_sales(), by="store"
        )


def test_cli_forecast_writes_the_forecast(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "sales.csv"
    weekly_sales().rename(columns={"store": "门店", "units": "销量"}).to_csv(src, index=False)
    out = tmp_path / "out" / "forecast.csv"
    code = run(["forecast", "--sales", str(src), "--by", "store", "--horizon", "4",
                "--out", str(out), "--model", "ets", "--n-jobs", "1",
                "--columns", "门店=store,销量=units"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert list(table.columns) == ["store", "date", "mean", "p10", "p50", "p90", "model"]
    assert len(table) == 7 * 4
    assert set(table.loc[table["store"] == "new", "model"]) == {"recent_level"}
    assert "wrote csv" in capsys.readouterr().out


def test_cli_forecast_bad_arguments_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "sales.csv"
    weekly_sales().to_csv(src, index=False)
    out = tmp_path / "forecast.csv"
    args = ["forecast", "--sales", str(src), "--by", "store", "--horizon", "4", "--out", str(out)]
    assert run([*args, "--backend", "dask"]) == 1
    assert "--scheduler" in capsys.readouterr().err
    assert run([*args, "--backend", "spark"]) == 1
    assert "spark" in capsys.readouterr().err
    assert run(["forecast", "--sales", str(src), "--by", "shop", "--horizon", "4",
                "--out", str(out)]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("launchcast: error:") == 1 and "shop" in err
    assert not out.exists()


def test_map_solver_gives_prophets_forecasts() -> None:
    """The in-process MAP estimate (default) and Prophet's own Stan fit forecast the same (each
    series alone: pooling over the series is the MAP solver's only)."""
    fast, fitted = _fit_predict(n_jobs=1, pooling=False)
    assert fitted.solver == "map"
    stan, _ = _fit_predict(n_jobs=1, solver="stan")
    prophet = fitted.summary_.loc[fitted.summary_["model"] == "prophet", "store"]
    rows = fast["store"].isin(prophet)
    assert rows.sum() == 6 * HORIZON
    for column in ("mean", "p10", "p50", "p90"):
        a, b = fast.loc[rows, column].to_numpy(), stan.loc[rows, column].to_numpy()
        # Stan's optimiser stops a little short of the optimum that the MAP solver reaches
        np.testing.assert_allclose(a, b, rtol=0.05)
        assert np.abs(a - b).sum() / np.abs(b).sum() < 0.01
    pd.testing.assert_frame_equal(fast[~rows], stan[~rows])  # the fallback does not change


SCRIPT = textwrap.dedent(
    """
    import sys

    import pandas as pd

    from forecasting.models import DemandForecaster

    sales = pd.read_csv(sys.argv[1], parse_dates=["date"])
    forecasts = []
    for model in ("ets", "seasonal_naive"):
        for n_jobs in (1, 2):
            f = DemandForecaster(model=model, n_jobs=n_jobs, progress=False)
            forecasts.append(f.fit(sales, by="store").predict(4).assign(model=model, n_jobs=n_jobs))
    pd.concat(forecasts).to_pickle(sys.argv[2])
    try:
        import psutil
    except ImportError:
        print("workers: unknown")
    else:
        children = psutil.Process().children(recursive=True)
        print("workers:", sum("loky" in " ".join(p.cmdline()) for p in children))
    """
)


def _check_script_run(done: subprocess.CompletedProcess[str], out: Path) -> None:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
    workers = done.stdout.split("workers:")[-1].strip()
    assert workers == "unknown" or int(workers) >= 2, done.stdout  # the processes did run
    result = pd.read_pickle(out)
    for model in ("ets", "seasonal_naive"):
        serial = result[(result["model"] == model) & (result["n_jobs"] == 1)]
        local = result[(result["model"] == model) & (result["n_jobs"] == 2)]
        assert len(serial) == 7 * 4
        pd.testing.assert_frame_equal(
            local.drop(columns="n_jobs").reset_index(drop=True),
            serial.drop(columns="n_jobs").reset_index(drop=True),
        )


@pytest.mark.parametrize("how", ["script file", "standard input"])
def test_processes_without_main_guard(tmp_path: Path, how: str) -> None:
    """``DemandForecaster(n_jobs=2)`` in a plain script (no ``if __name__ == "__main__":``), run
    from a file or piped to ``python -`` (no file to re-import in the workers), runs on worker
    processes and gives the serial forecasts."""
    data = tmp_path / "sales.csv"
    weekly_sales().to_csv(data, index=False)
    script = tmp_path / "forecast_script.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out.pkl"
    source = str(script) if how == "script file" else "-"
    done = subprocess.run(
        [sys.executable, source, str(data), str(out)],
        input=None if how == "script file" else SCRIPT,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    _check_script_run(done, out)


def test_console_script_runs_processes(
    tmp_path: Path, console: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    """The real ``launchcast forecast --n-jobs 2``: no traceback, the serial forecasts."""
    src = tmp_path / "sales.csv"
    weekly_sales().to_csv(src, index=False)
    args = ["forecast", "--sales", str(src), "--by", "store", "--horizon", "4", "--model", "ets"]
    done = console(*args, "--out", str(tmp_path / "local.csv"), "--n-jobs", "2", "--quiet")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert run([*args, "--out", str(tmp_path / "serial.csv"), "--n-jobs", "1", "--quiet"]) == 0
    pd.testing.assert_frame_equal(
        pd.read_csv(tmp_path / "local.csv", encoding="utf-8-sig"),
        pd.read_csv(tmp_path / "serial.csv", encoding="utf-8-sig"),
    )
