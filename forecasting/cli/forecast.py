"""``launchcast forecast``: forecast every series of a sales file, on local cores or a Dask cluster.

Reads the sales through the data layer (with an optional ``--columns`` mapping), fits one model per
series (``--by`` key columns, e.g. ``store,sku``) with :class:`~forecasting.models.DemandForecaster`
and writes ``--out`` (CSV, or Excel for ``.xlsx``): the key columns, ``date``, ``mean``, ``p10``,
``p50``, ``p90`` and the ``model`` each series used. Series run in parallel over local processes
(``--n-jobs``, all cores by default) or on a Dask cluster (``--backend dask --scheduler
tcp://host:port``). A progress bar shows on a terminal unless ``--quiet``. A series whose model
fails numerically is reported on stderr (``launchcast: warning: ...``) with the fallback it got; it
does not stop the run. Nothing is written when the input is bad.

Examples
--------
>>> from forecasting.cli import run
>>> run(["forecast", "--sales", "sales.csv", "--by", "store,sku", "--horizon", "90",
...      "--out", "forecast.csv", "--backend", "dask", "--scheduler", "tcp://10.0.0.5:8786"])
... # doctest: +SKIP
0
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import DateOrder, Decimal, Encoding, Strict, app
from forecasting.exceptions import DataValidationError

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["forecast_command", "parse_by"]

_MAX_WARNINGS = 5


def parse_by(text: str | None) -> list[str] | None:
    """Read ``--by``: comma-separated key columns; empty or ``none`` = one series of all sales.

    Examples
    --------
    >>> parse_by("store, sku")
    ['store', 'sku']
    >>> parse_by("") is None
    True
    """
    if text is None:
        return None
    columns = [c.strip() for c in text.split(",") if c.strip()]
    if not columns or [c.lower() for c in columns] == ["none"]:
        return None
    return columns


def _with_model(forecast: pd.DataFrame, summary: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    if not by:
        return forecast.assign(model=summary["model"].iloc[0] if len(summary) else "")
    return forecast.merge(summary[[*by, "model"]], on=by, how="left", validate="many_to_one")


@app.command("forecast")
def forecast_command(
    sales: Annotated[Path, typer.Option("--sales", help="Sales file (CSV, Parquet or Excel).")],
    horizon: Annotated[
        int,
        typer.Option("--horizon", help="Periods to forecast (days, weeks or months, as the data)."),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output file (.csv, or .xlsx for Excel).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Key columns of one series, e.g. store,sku.")
    ] = None,
    model: Annotated[
        str,
        typer.Option(
            "--model",
            help="auto (chosen by backtest), prophet, ets, autoets, autoarima, theta, "
            "seasonal_naive or seasonal_growth.",
        ),
    ] = "auto",
    market: Annotated[
        str,
        typer.Option("--market", help="Calendar market: CN or any country code of `holidays`."),
    ] = "CN",
    events: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="Your own events (CSV/Excel: date, event[, lower_window, upper_window]).",
        ),
    ] = None,
    freq: Annotated[
        str | None,
        typer.Option(
            "--freq",
            help="D, W-SUN (any weekday), MS or ME; default: from the dates. (W-LAUNCH, weeks "
            "counted from each product's launch, is for new-product data only: the forecast "
            "refuses it.)",
        ),
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="local or dask.")] = "local",
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://host:port.")
    ] = None,
    n_jobs: Annotated[int, typer.Option("--n-jobs", help="Local processes; -1 = every core.")] = -1,
    no_pooling: Annotated[
        bool,
        typer.Option(
            "--no-pooling",
            metavar="",
            help="Fit Prophet on each series alone (by default its calendar effects are "
            "pooled over the series).",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", metavar="", help="No progress bar, no summary.")
    ] = False,
    columns: Annotated[
        str | None,
        typer.Option("--columns", help='Column mapping, e.g. "日期=date,门店=store,销量=units".'),
    ] = None,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
) -> None:
    """Forecast every series of a sales file with quantiles (p10, p50, p90)."""
    import pandas as pd

    from forecasting.inputs.readers import read_inputs
    from forecasting.models import DemandForecaster
    from forecasting.models.parallel import BACKENDS
    from forecasting.plan.writers import write_csv, write_excel

    if backend not in BACKENDS:
        raise DataValidationError(f"--backend {backend!r}: choose 'local' or 'dask'.")
    if backend == "dask" and not scheduler:
        raise DataValidationError(
            "--backend dask needs --scheduler tcp://host:port (the address of a running "
            "dask scheduler)."
        )
    if horizon < 1:
        raise DataValidationError(f"--horizon {horizon}: pass a whole number of periods >= 1.")
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise DataValidationError(f"--out {out}: use a .csv or .xlsx file name.")
    keys = parse_by(by)
    sales_table = read_inputs(sales=sales, columns=columns, freq=freq, by=keys).sales
    if sales_table is None:  # pragma: no cover - read_inputs returns the table it was given
        raise DataValidationError(f"--sales {sales}: no sales table was read.")
    forecaster = DemandForecaster(
        model=model,
        market=market,
        events=events,  # read and checked (calendars.user_events) when the fit builds the calendar
        backend=backend,
        n_jobs=n_jobs,
        scheduler=scheduler,
        progress=not quiet,
        pooling=not no_pooling,
    )
    forecaster.fit(sales_table, by=keys)
    forecast, predict_errors = forecaster.predict(horizon, return_errors=True)
    result = _with_model(forecast, forecaster.summary_, forecaster.by_)
    failed = [table for table in (forecaster.errors_, predict_errors) if len(table)]
    errors = pd.concat(failed, ignore_index=True) if failed else forecaster.errors_
    for row in errors.head(_MAX_WARNINGS).itertuples(index=False):
        key = ", ".join(f"{c}={getattr(row, c)!r}" for c in forecaster.by_) or "all sales"
        print(
            f"launchcast: warning: series {key}: {row.stage} failed ({row.error}); "
            f"used {row.fallback}",
            file=sys.stderr,
        )
    if len(errors) > _MAX_WARNINGS:
        print(
            f"launchcast: warning: {len(errors) - _MAX_WARNINGS} more series failed "
            "(each used the recent_level fallback)",
            file=sys.stderr,
        )
    if out.suffix.lower() == ".xlsx":
        write_excel({"forecast": result, "series": forecaster.summary_}, out)
    else:
        write_csv(result, out)
    if not quiet:
        used = forecaster.summary_["model"].value_counts().sort_index()
        models = ", ".join(f"{name} {count}" for name, count in used.items())
        typer.echo(
            f"forecast: {len(forecaster.summary_)} series ({models}), {horizon} periods "
            f"of {forecaster.freq_} after {forecaster.end_:%Y-%m-%d}"
        )
        if forecaster.calendar_:
            typer.echo(f"calendar: {forecaster.calendar_}")
        typer.echo(f"wrote {out.suffix.lstrip('.').lower()}: {out}")
