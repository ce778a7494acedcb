"""``launchcast allocate`` and ``launchcast replenish``: the store sheets, ready to send.

``allocate`` distributes the first batch of new products over the stores (marginal analysis, with
presentation minimums, caps, packs and a warehouse holdback) and writes ``--out`` as CSV plus an
Excel workbook beside it (same name, ``.xlsx``), both or neither, refusing existing ones unless
``--overwrite``: sheet ``plan`` with one row per store (for several
products, one column of units per sku), ``detail`` with every store's explanation, and the
``products`` and ``minimums`` tables of :func:`forecasting.allocation.allocation_report`. The
workbook and the printed table are in ``--lang`` (Chinese by default: 配货, 明细, 款式, 陈列下限);
the CSV keeps the English column names.

``replenish`` computes order-up-to orders for continuing products (never for a first distribution).

Examples
--------
>>> from forecasting.cli import run
>>> run(["allocate", "--quantity", "600", "--demand", "demand.csv", "--stores", "stores.csv",
...      "--out", "plan.csv", "--holdback", "0.2"])  # doctest: +SKIP
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


__all__ = ["allocate_command", "parse_quantity", "replenish_command", "store_sheet"]


def parse_quantity(text: str) -> int | Path:
    """Read ``--quantity``: a whole number of units, or a file with columns ``sku``, ``units``.

    Examples
    --------
    >>> parse_quantity("1,200")
    1200
    """
    clean = text.strip().replace(",", "").replace("_", "")
    if clean.isdigit():
        return int(clean)
    path = Path(text)
    if path.is_file():
        return path
    raise DataValidationError(
        f"--quantity: {text!r} is neither a whole number of units nor an existing file. "
        "Fix: pass e.g. --quantity 600, or a CSV/Excel file with columns sku, units."
    )


def store_sheet(plan: pd.DataFrame) -> pd.DataFrame:
    """One row per store (the warehouse row last): explanations for one sku, a units column per sku
    for several.

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame({"sku": ["X", "Y", "X", "Y"], "store": ["A", "A", "DC", "DC"],
    ...                      "units": [3, 4, 1, 0]})
    >>> store_sheet(plan).to_dict("list")
    {'store': ['A', 'DC'], 'X': [3, 1], 'Y': [4, 0], 'total': [7, 1]}
    """
    skus = list(dict.fromkeys(plan["sku"]))
    stores = list(dict.fromkeys(plan["store"]))
    if len(skus) == 1:
        cols = [
            c
            for c in (
                "store",
                "sku",
                "units",
                "minimum",
                "cap",
                "last_unit_sell_probability",
                "reason",
            )
            if c in plan.columns
        ]
        return plan[cols].reset_index(drop=True)
    wide = plan.pivot_table(
        index="store", columns="sku", values="units", aggfunc="sum", fill_value=0
    )
    wide = wide.reindex(index=stores, columns=skus).fillna(0).astype("int64")
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


@app.command("allocate")
def allocate_command(
    quantity: Annotated[
        str, typer.Option("--quantity", help="Units of one product, or a file with sku, units.")
    ],
    demand: Annotated[
        Path, typer.Option("--demand", help="Store demand: store, mean[, sd][, sku][, exclude].")
    ],
    out: Annotated[Path, typer.Option("--out", help="Output CSV (an .xlsx is written beside it).")],
    stores: Annotated[
        Path | None, typer.Option("--stores", help="Stores: store, min_units, max_units, grade.")
    ] = None,
    pack_size: Annotated[int, typer.Option("--pack-size", help="Units per pack.")] = 1,
    holdback: Annotated[
        float, typer.Option("--holdback", help="Share kept at the warehouse.")
    ] = 0.0,
    warehouse: Annotated[
        str, typer.Option("--warehouse", help="Name of the warehouse row.")
    ] = "DC",
    soft_minimums: Annotated[
        bool,
        typer.Option("--soft-minimums", metavar="", help="Keep minimums only while stock allows."),
    ] = False,
    overwrite: Overwrite = False,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
    lang: Language = None,
) -> None:
    """Distribute new products over stores to maximise expected sales; write CSV and Excel."""
    from forecasting.allocation.allocator import allocate
    from forecasting.allocation.report import allocation_report
    from forecasting.language import resolve_lang
    from forecasting.plan.text import SHEET_NAMES, headers, person_values, round_for_csv

    language = resolve_lang(lang, "CN")

    csv_path, xlsx_path = csv_and_workbook(out, overwrite)
    plan = allocate(
        parse_quantity(quantity),
        demand,
        stores,
        pack_size=pack_size,
        holdback=holdback,
        warehouse=warehouse,
        soft_minimums=soft_minimums,
    )
    report = allocation_report(plan)
    sheet = round_for_csv(store_sheet(plan))
    tables = {"plan": sheet, "detail": plan, "products": report.products}
    if not report.minimums.empty:
        tables["minimums"] = report.minimums
    sheets = {
        SHEET_NAMES[name][language]: headers(
            person_values(round_for_csv(table), language), language
        )
        for name, table in tables.items()
    }
    write_csv_and_workbook(csv_path, sheet, xlsx_path, sheets, overwrite)
    summary = report.products[
        ["sku", "quantity", "to_stores", "warehouse", "expected_sales"]
    ].copy()
    summary["shadow_price"] = report.products["shadow_price"].round(3)
    summary["expected_sales"] = summary["expected_sales"].round(1)
    typer.echo(headers(summary, language).to_string(index=False))
    zh = language == "zh"
    typer.echo(f"已写入 CSV：{csv_path}" if zh else f"wrote csv: {csv_path}")
    typer.echo(f"已写入 Excel：{xlsx_path}" if zh else f"wrote excel: {xlsx_path}")


@app.command("replenish")
def replenish_command(
    on_hand: Annotated[
        Path, typer.Option("--on-hand", help="Stock: store, sku, on_hand[, on_order].")
    ],
    forecast: Annotated[
        Path, typer.Option("--forecast", help="Forecast: store, sku, date, mean[, sd | p10, p90].")
    ],
    lead_time_days: Annotated[
        float, typer.Option("--lead-time-days", help="Order to shelf, days.")
    ],
    review_days: Annotated[float, typer.Option("--review-days", help="Days between orders.")],
    out: Annotated[Path, typer.Option("--out", help="Output CSV (an .xlsx is written beside it).")],
    service_level: Annotated[
        float, typer.Option("--service-level", help="Chance of no stock-out per cycle.")
    ] = 0.9,
    pack_size: Annotated[int, typer.Option("--pack-size", help="Orders in whole packs.")] = 1,
    overwrite: Overwrite = False,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
) -> None:
    """Order-up-to replenishment for continuing products (not for a first distribution)."""
    from forecasting.allocation.replenishment import replenish

    csv_path, xlsx_path = csv_and_workbook(out, overwrite)
    orders = replenish(on_hand, forecast, lead_time_days, review_days, service_level, pack_size)
    write_csv_and_workbook(csv_path, orders, xlsx_path, {"orders": orders}, overwrite)
    typer.echo(f"{int((orders['order'] > 0).sum())} orders, {int(orders['order'].sum())} units")
    typer.echo(f"wrote csv: {csv_path}")
    typer.echo(f"wrote excel: {xlsx_path}")
