"""``launchcast terms`` and ``launchcast events``: print or export the calendar facts of some years.

Examples
--------
>>> from forecasting.cli import run
>>> run(["events", "2025", "--kind", "workday"])  # doctest: +ELLIPSIS
date        weekday  kind     event            name_zh     window  confirmed
2025-01-26  Sun      workday  Spring Festival  春节调休上班  0..0    yes
...
0
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import app

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["events_command", "terms_command"]

_YEARS_HELP = "Gregorian years, e.g. 2026 or 2025 2026."
_OUT_HELP = "Write the table as CSV (UTF-8) to this file instead of printing it."


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _show(table: pd.DataFrame) -> None:
    """Print ``table`` left-aligned, padding by display width so Chinese columns line up."""
    if table.empty:
        typer.echo("(no rows)")
        return
    cells = [[str(c) for c in table.columns]]
    cells += [[str(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max(_width(row[j]) for row in cells) for j in range(len(table.columns))]
    for row in cells:
        padded = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)]
        typer.echo("  ".join(padded).rstrip())


def _write(table: pd.DataFrame, out: Path) -> None:
    from forecasting.plan.writers import write_csv

    path = write_csv(table, out)
    typer.echo(f"wrote {len(table)} rows to {path}")


@app.command("terms")
def terms_command(
    years: Annotated[list[int], typer.Argument(help=_YEARS_HELP)],
    out: Annotated[Path | None, typer.Option("--out", help=_OUT_HELP)] = None,
) -> None:
    """The 24 solar terms of each year, with their Beijing-time instants (UTC+8)."""
    import pandas as pd

    from calendars import solar_terms

    terms = solar_terms(years)
    if out is not None:
        export = terms.assign(
            instant=terms["instant"].dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            date=terms["date"].dt.strftime("%Y-%m-%d"),
        )
        _write(export, out)
        return
    _show(
        pd.DataFrame(
            {
                "date": terms["date"].dt.strftime("%Y-%m-%d"),
                "weekday": terms["date"].dt.strftime("%a"),
                "name": terms["name"],
                "pinyin": terms["pinyin"],
                "english": terms["english"],
                "longitude": terms["longitude"].astype(str) + "°",
                "instant (UTC+8)": terms["instant"].dt.strftime("%H:%M:%S"),
            }
        )
    )


@app.command("events")
def events_command(
    years: Annotated[list[int], typer.Argument(help=_YEARS_HELP)],
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind",
            help="Only this kind: holiday, workday, retail or solar_term (repeat for several).",
        ),
    ] = None,
    market: Annotated[
        str, typer.Option("--market", help="Country code known to the holidays package.")
    ] = "CN",
    out: Annotated[Path | None, typer.Option("--out", help=_OUT_HELP)] = None,
) -> None:
    """Days off, make-up workdays, retail events and solar terms of each year."""
    import pandas as pd

    from calendars import events

    table = events(years, market=market, kinds=kind or None)
    if out is not None:
        _write(table.assign(date=table["date"].dt.strftime("%Y-%m-%d")), out)
        return
    shown = pd.DataFrame(
        {
            "date": table["date"].dt.strftime("%Y-%m-%d"),
            "weekday": table["date"].dt.strftime("%a"),
            "kind": table["kind"],
            "event": table["event"],
            "name_zh": table["name_zh"],
            "window": table["lower_window"].astype(str) + ".." + table["upper_window"].astype(str),
            "confirmed": table["confirmed"].map({True: "yes", False: "no (rule)"}),
        }
    )
    if (shown["name_zh"] == shown["event"]).all():  # markets without Chinese labels
        shown = shown.drop(columns="name_zh")
    _show(shown)
