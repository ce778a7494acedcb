"""``launchcast review``: a plan in season, from the first weeks of sales.

Reads the folder ``launchcast plan`` wrote and the new products' sales so far, and writes a folder
with each product's status, its demand for the weeks not yet seen, the second-batch quantities,
the holdback (and second batch) by store, the waves re-timed (with ``--history``) and a summary
(:func:`forecasting.plan.review_plan`).

Examples
--------
>>> from forecasting.cli import run
>>> run(["review", "--plan", "plan_dir", "--sales", "latest.csv", "--as-of", "2012-09-11",
...      "--out", "review_dir"])  # doctest: +SKIP
0
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from forecasting.cli.app import DateOrder, Decimal, Encoding, Language, Strict, app
from forecasting.cli.outputs import Overwrite

__all__ = ["review_command"]


@app.command("review")
def review_command(
    plan: Annotated[
        Path,
        typer.Option(
            "--plan", help="The folder 'launchcast plan' wrote (depth.csv, allocation.csv)."
        ),
    ],
    sales: Annotated[
        Path,
        typer.Option(
            "--sales",
            help="The new products' sales so far: sku, store, date, units (daily or weekly).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", help="Output folder: new or empty, or replaced with --overwrite."),
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Review date: the first day not in the sales (default: the day after the last "
            "sale).",
        ),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help="The brand's sales history up to the review (as given to the plan): re-times "
            "the waves.",
        ),
    ] = None,
    lead_weeks: Annotated[
        int,
        typer.Option("--lead-weeks", min=0, help="Weeks from ordering a second batch to shelf."),
    ] = 2,
    horizon_weeks: Annotated[
        int | None,
        typer.Option(
            "--horizon-weeks",
            min=1,
            help="The plan's launch window in weeks (default: the plan's, else 8).",
        ),
    ] = None,
    pack_size: Annotated[
        int, typer.Option("--pack-size", min=1, help="Units go to stores in whole packs.")
    ] = 1,
    market: Annotated[str, typer.Option("--market", help="Calendar market (re-timing).")] = "CN",
    overwrite: Overwrite = False,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
    lang: Language = None,
) -> None:
    """In season: update demand from the first weeks, size the second batch, place the holdback."""
    from forecasting.plan.review import review_plan, write_review
    from forecasting.plan.writers import check_output_folder

    check_output_folder(out, overwrite=overwrite)
    review = review_plan(
        plan,
        sales,
        as_of=as_of,
        lead_weeks=lead_weeks,
        horizon_weeks=horizon_weeks,
        history=history,
        market=market,
        pack_size=pack_size,
    )
    files = write_review(review, out, overwrite=overwrite, lang=lang, market=market)
    typer.echo(files["summary"].read_text(encoding="utf-8").rstrip())  # as written
    typer.echo("")
    typer.echo(f"wrote {out}/:")
    for what, path in files.items():
        typer.echo(f"  {path.name:<18} {what}")
