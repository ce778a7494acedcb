"""``launchcast check``: validate input files and print what was read.

Reads the sales (and optionally the stores, products and judgments) through the data layer with one
``--columns`` mapping, cross-checks them, and prints a short summary. Bad input is one line on
stderr and exit code 1; data-quality warnings (negative units, stores without history) are printed
as ``launchcast: warning: ...`` lines. With ``--output`` the canonical sales table is written
(atomically, only when every check passed).

Examples
--------
>>> from forecasting.cli import run
>>> from forecasting.inputs.demo import demo_path
>>> run(["check", "--sales", str(demo_path("demo_plan/stores.csv"))])  # not sales: one line, exit 1
1
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import DateOrder, Decimal, Encoding, Strict, app

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.inputs.readers import Inputs


__all__ = ["check_command", "summarize"]


def _span(dates: pd.Series) -> str:
    return f"{dates.min():%Y-%m-%d} .. {dates.max():%Y-%m-%d}"


def _units(total: float) -> str:
    """A total as read: whole numbers without decimals, fractions with up to two (never rounded
    to a whole number that was not there).

    Examples
    --------
    >>> _units(188632714.0), _units(13.5)
    ('188,632,714', '13.5')
    """
    return f"{total:,.2f}".rstrip("0").rstrip(".")


def summarize(inputs: Inputs) -> list[str]:
    """One line per table describing what was read.

    Examples
    --------
    >>> from forecasting.inputs import load_demo, read_inputs
    >>> demo = load_demo()
    >>> summarize(read_inputs(stores=demo.stores))
    ['stores: 25 stores, 5 strategic (presentation minimums 1010 units), 5 capped']
    """
    lines = []
    if inputs.sales is not None:
        s = inputs.sales.frame
        keys = [c for c in ("store", "sku", "category", "region") if c in s.columns]
        ids = ", ".join(f"{c}: {s[c].nunique()}" for c in keys) or "one series"
        extra = [f"freq {inputs.sales.freq}", f"{inputs.sales.filled_periods} filled"]
        if "stockout" in s.columns:
            extra.append(f"{int(s['stockout'].sum())} stockout")
        negative = int((s["units"] < 0).sum())
        if negative:
            extra.append(f"{negative} negative")
        dropped = inputs.sales.dropped_columns
        if dropped:
            extra.append("ignored columns: " + ", ".join(map(str, dropped)))
        lines.append(
            f"sales: {len(s)} rows, {ids}, {_span(s['date'])}, {_units(s['units'].sum())} units "
            f"({'; '.join(extra)})"
        )
    if inputs.stores is not None:
        st = inputs.stores.frame
        strategic = st[st["strategic"]]
        lines.append(
            f"stores: {len(st)} stores, {len(strategic)} strategic (presentation minimums "
            f"{st['min_units'].sum():.0f} units), {int(st['max_units'].notna().sum())} capped"
        )
    if inputs.products is not None:
        p = inputs.products.frame
        lines.append(f"products: {len(p)} skus, categories: {p['category'].nunique()}")
    if inputs.judgments is not None:
        j = inputs.judgments.frame
        lines.append(
            f"judgments: {len(j)} estimates of {j['sku'].nunique()} skus by "
            f"{j['forecaster'].nunique()} forecasters"
        )
    return lines


@app.command("check", help="Validate input files and print a summary of what was read.")
def check_command(
    sales: Annotated[
        Path,
        typer.Option(
            metavar="FILE", help="Sales: CSV, Parquet or Excel (book.xlsx#sheet for a sheet)."
        ),
    ],
    stores: Annotated[Path | None, typer.Option(metavar="FILE", help="Stores table.")] = None,
    products: Annotated[Path | None, typer.Option(metavar="FILE", help="Products.")] = None,
    judgments: Annotated[Path | None, typer.Option(metavar="FILE", help="Judgments.")] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            metavar="MAPPING",
            help="Column names: '销售日期=date,门店=store', JSON, or a .json/.csv mapping file.",
        ),
    ] = None,
    freq: Annotated[str | None, typer.Option(help="D or W-<DAY>; inferred if omitted.")] = None,
    duplicates: Annotated[str, typer.Option(help="raise or sum.")] = "raise",
    as_of: Annotated[
        str | None, typer.Option(metavar="DATE", help="Latest allowed sales date (default today).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Write the canonical sales as CSV.")
    ] = None,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
) -> None:
    """Validate input files and print a summary of what was read.

    Examples
    --------
    >>> from forecasting.cli import run
    >>> from forecasting.inputs.demo import demo_path
    >>> plan = demo_path("demo_plan")
    >>> run(["check", "--sales", str(plan / "judgments.csv"), "--stores", str(plan / "stores.csv")])
    1
    """
    from forecasting.inputs.readers import read_inputs
    from forecasting.plan.writers import write_csv

    limit = as_of if as_of is not None else dt.date.today().isoformat()
    inputs = read_inputs(
        sales=sales,
        stores=stores,
        products=products,
        judgments=judgments,
        columns=columns,
        freq=freq,
        duplicates=duplicates,
        as_of=limit,
    )
    for line in summarize(inputs):
        typer.echo(line)
    if output is not None and inputs.sales is not None:
        write_csv(inputs.sales.frame, output)
        typer.echo(f"wrote {output}")
