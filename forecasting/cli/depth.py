"""``launchcast depth``: how deep the first batch of each new product should be.

Demand comes from past launches (``--history-products`` and ``--history-sales``, forecast with
:class:`~forecasting.depth.NewProductForecaster`), from planners' judgments (``--judgments``,
combined with :func:`~forecasting.depth.combine_judgments`), or from both blended. The depth is
the newsvendor quantity (:func:`~forecasting.depth.first_batch_depth`) from each product's
``price``, ``unit_cost`` and ``salvage_value``, never below the stores' presentation minimums
(``--stores``).

``--out`` gets the depth table as CSV, and an Excel workbook beside it (same name, ``.xlsx``) with
sheets ``depth``, ``weekly forecast`` (with history) and ``judgments`` (with judgments): both or
neither, and existing ones only with ``--overwrite``.

Examples
--------
>>> from forecasting.cli import run
>>> run(["depth", "--products", "new.csv", "--history-products", "past.csv",
...      "--history-sales", "sales.csv", "--judgments", "judgments.csv",
...      "--out", "depth.csv"])  # doctest: +SKIP
0
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import DateOrder, Decimal, Encoding, Language, Strict, app
from forecasting.cli.outputs import Overwrite, csv_and_workbook, write_csv_and_workbook
from forecasting.exceptions import DataValidationError

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["depth_command"]

_SUMMARY = ["sku", "mean", "sd", "critical_ratio", "depth", "forced_units", "sell_through"]


def _judgment_horizon(judgments: pd.DataFrame, given: int | None) -> int | None:
    if "horizon_weeks" not in judgments.columns or judgments["horizon_weeks"].isna().all():
        return given
    spans = sorted({int(h) for h in judgments["horizon_weeks"].dropna()})
    if len(spans) > 1:
        raise DataValidationError(
            f"--judgments: horizon_weeks differ between rows ({spans[:5]}); the first batch "
            "covers one span. "
            "Fix: give judgments over one horizon."
        )
    if given is not None and given != spans[0]:
        raise DataValidationError(
            f"--horizon-weeks {given} differs from the judgments' horizon_weeks {spans[0]}. "
            "Fix: drop --horizon-weeks or make them agree."
        )
    return spans[0]


@app.command("depth")
def depth_command(
    products: Annotated[
        Path,
        typer.Option(
            "--products",
            help="New products: sku, category, attributes, launch_date, price, "
            "unit_cost[, salvage_value].",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Output CSV (an .xlsx is written beside it).")],
    history_products: Annotated[
        Path | None,
        typer.Option("--history-products", help="Past launches: sku, category, attributes."),
    ] = None,
    history_sales: Annotated[
        Path | None, typer.Option("--history-sales", help="Their sales: sku, date, units.")
    ] = None,
    judgments: Annotated[
        Path | None,
        typer.Option("--judgments", help="Estimates: sku, forecaster, units[, horizon_weeks]."),
    ] = None,
    judgment_history: Annotated[
        Path | None,
        typer.Option(
            "--judgment-history",
            help="Past estimates with outcomes: sku, forecaster, units, "
            "actual (calibrates the spread; default factor 2).",
        ),
    ] = None,
    stores: Annotated[
        Path | None,
        typer.Option("--stores", help="Stores: store, min_units (presentation minimums)."),
    ] = None,
    trends: Annotated[
        Path | None,
        typer.Option(
            "--trends",
            help="Optional weekly interest per attribute value: date, "
            "one column per value (Google-Trends style).",
        ),
    ] = None,
    horizon_weeks: Annotated[
        int | None,
        typer.Option(
            "--horizon-weeks",
            help="Weeks the first batch covers (default: the judgments' horizon, else 4).",
            min=1,
        ),
    ] = None,
    distribution: Annotated[
        str, typer.Option("--distribution", help="auto, normal, poisson or negbin.")
    ] = "auto",
    overwrite: Overwrite = False,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
    lang: Language = None,
) -> None:
    """First-batch depth of new products from past launches and/or judgments (newsvendor)."""
    from forecasting.language import resolve_lang
    from forecasting.plan.text import SHEET_NAMES, headers, round_for_csv

    language = resolve_lang(lang, "CN")

    from forecasting.depth.first_batch import first_batch_depth
    from forecasting.depth.judgments import combine_judgments
    from forecasting.depth.newproducts import NewProductForecaster
    from forecasting.inputs.readers import read_table, validate_judgments, validate_products

    if (history_products is None) != (history_sales is None):
        raise DataValidationError(
            "--history-products and --history-sales go together: the past launches and their sales."
        )
    if history_products is None and judgments is None:
        raise DataValidationError(
            "no demand to size the batch from. Fix: give --history-products and --history-sales, "
            "or --judgments, or both."
        )
    csv_path, xlsx_path = csv_and_workbook(out, overwrite)
    plan = validate_products(products)
    judged = validate_judgments(judgments, products=plan) if judgments is not None else None
    horizon = (
        _judgment_horizon(judged.frame, horizon_weeks) if judged is not None else horizon_weeks
    )
    horizon = int(horizon or 4)
    sheets: dict[str, pd.DataFrame] = {}
    forecast = None
    if history_products is not None and history_sales is not None:
        table = read_table(trends, name="trends") if trends is not None else None
        model = NewProductForecaster(horizon_weeks=horizon)
        model.fit(history_sales, products=history_products, trends=table)
        forecast = model.predict(plan)
        sheets["weekly forecast"] = forecast
    demand: pd.DataFrame
    if judged is not None:
        history = validate_judgments(judgment_history) if judgment_history is not None else None
        demand = combine_judgments(judged, forecast, history, horizon_weeks=horizon)
        sheets["judgments"] = demand
        if forecast is None:
            missing = sorted(set(plan.frame["sku"]) - set(demand["sku"]))
            if missing:
                typer.echo(
                    f"no judgments (and no history) for {len(missing)} sku(s), left out: "
                    f"{', '.join(missing[:5])}"
                )
    else:
        assert forecast is not None
        demand = forecast
    result = first_batch_depth(demand, plan, stores, horizon, distribution=distribution)  # type: ignore[arg-type]
    book = {
        SHEET_NAMES[name][language]: headers(round_for_csv(table), language)
        for name, table in {"depth": result, **sheets}.items()
    }
    write_csv_and_workbook(csv_path, round_for_csv(result), xlsx_path, book, overwrite)
    summary = result[_SUMMARY].copy()
    summary[["mean", "sd"]] = summary[["mean", "sd"]].round(1)
    summary[["critical_ratio", "sell_through"]] = summary[["critical_ratio", "sell_through"]].round(
        3
    )
    total = int(result["depth"].sum())
    zh = language == "zh"
    typer.echo(
        f"首单覆盖 {horizon} 周，共 {total:,} 件"
        if zh
        else f"first batch for {horizon} weeks, {total:,} units in all"
    )
    typer.echo(headers(summary, language).to_string(index=False))
    typer.echo(f"已写入 CSV：{csv_path}" if zh else f"wrote csv: {csv_path}")
    typer.echo(f"已写入 Excel：{xlsx_path}" if zh else f"wrote excel: {xlsx_path}")
