"""``launchcast calendar``: the seasonal launch calendar from a sales history.

Learns when each recurring surge starts relative to its solar term or holiday, recommends one
delivery date per wave in the ``--start`` .. ``--end`` window (by default planned for an early
onset, the 20 % quantile: ``--schedule-for``, ``--onset-quantile``), prints the table and writes
four files as the folder ``--out``: ``launch_calendar.csv``, ``.xlsx`` (one sheet per wave),
``.ics`` and ``.png`` (timeline), all or none of them; a non-empty ``--out`` is refused unless
``--overwrite``, which replaces it whole.
Bad input is one line on stderr and exit code 1, and then nothing is written.

Examples
--------
>>> from forecasting.cli import run
>>> run(["calendar", "--sales", "sales.csv", "--start", "2012-01-01", "--end", "2012-12-31",
...      "--out", "out"])  # doctest: +SKIP
0
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import AsOf, DateOrder, Decimal, Encoding, Language, Strict, app
from forecasting.cli.outputs import Overwrite

if TYPE_CHECKING:
    import pandas as pd


__all__ = ["calendar_command", "format_plan"]

LAUNCH_DATES = frozenset(
    {
        "expected_onset",
        "planned_onset",
        "delivery_date",
        "shelf_start",
        "shelf_end",
        "promotion_end",
    }
)

_SHOWN = [
    "wave",
    "expected_onset",
    "planned_onset",
    "delivery_date",
    "late",
    "shelf_start",
    "shelf_end",
    "promotion_end",
    "confidence",
]


def format_plan(plan: pd.DataFrame, by: list[str] | None = None, lang: str = "en") -> str:
    """The launch calendar as a plain-text table followed by one reason per line.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    by : list of str, optional
        The group columns to show first.
    lang : {"zh", "en"}, default "en"
        Language of the headers, waves, weekdays and reasons.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> ts = pd.Timestamp
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"], "expected_onset": [ts("2012-09-10")],
    ...     "delivery_date": [ts("2012-08-27")], "shelf_start": [ts("2012-08-28")],
    ...     "shelf_end": [ts("2012-08-30")], "promotion_end": [ts("2012-10-01")],
    ...     "confidence": ["high"], "reason": ["autumn surge expected 2012-09-10, ..."]})
    >>> print(format_plan(plan))  # doctest: +NORMALIZE_WHITESPACE
          wave expected_onset  delivery_date shelf_start  shelf_end promotion_end confidence
    autumn (白露)     2012-09-10 Mon 2012-08-27  2012-08-28 2012-08-30    2012-10-01       high
    <BLANKLINE>
    - autumn surge expected 2012-09-10, ...
    >>> print(format_plan(plan, lang="zh").splitlines()[1])  # doctest: +NORMALIZE_WHITESPACE
    秋季（白露） 2012-09-10 2012-08-27 周一 2012-08-28 2012-08-30 2012-10-01 高
    """
    from forecasting.language import resolve_lang
    from forecasting.plan.text import headers, person_values
    from forecasting.timing.launch import launch_reasons
    from forecasting.timing.words import day_text

    language = resolve_lang(lang)
    cols = [c for c in [*(by or []), *_SHOWN] if c in plan.columns]
    table = person_values(plan[cols], language)
    for col in cols:
        if col in LAUNCH_DATES:
            weekday = col == "delivery_date"
            table[col] = [day_text(d, language, weekday=weekday) for d in plan[col]]
    reasons = "\n".join(f"- {r}" for r in dict.fromkeys(launch_reasons(plan, language)))
    return str(headers(table, language).to_string(index=False)) + "\n\n" + reasons


@app.command("calendar")
def calendar_command(
    sales: Annotated[
        Path,
        typer.Option(
            "--sales",
            help="Sales history file (CSV, Parquet or Excel): date, units; optional store, sku, "
            "category and the --by columns. Other names are mapped with --columns.",
        ),
    ],
    start: Annotated[
        str, typer.Option("--start", help="First day of the planning window (YYYY-MM-DD).")
    ],
    end: Annotated[
        str, typer.Option("--end", help="Last day of the planning window (YYYY-MM-DD).")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", help="Folder for the four output files: new or empty, or use --overwrite."
        ),
    ],
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Plan per group, e.g. category.")
    ] = None,
    delivery_weekday: Annotated[str, typer.Option("--delivery-weekday", help="MON..SUN.")] = "MON",
    lead_days: Annotated[
        int, typer.Option("--lead-days", help="Days on shelf before the onset.")
    ] = 7,
    shelf_days: Annotated[
        int, typer.Option("--shelf-days", help="Days to shelve after delivery.")
    ] = 3,
    columns: Annotated[
        str | None,
        typer.Option(
            "--columns",
            help="Column names of your file: FILE_NAME=name pairs separated by commas, e.g. "
            "Date=date,Qty=units (or a .json/.csv file).",
        ),
    ] = None,
    per_group: Annotated[
        bool,
        typer.Option(
            "--per-group", metavar="", help="One delivery date per group instead of per wave."
        ),
    ] = False,
    market: Annotated[str, typer.Option("--market", help="Calendar market.")] = "CN",
    schedule_for: Annotated[
        str,
        typer.Option(
            "--schedule-for",
            help="Plan for the 'quantile' of the onset (a late delivery costs more than an early "
            "one), the 'median' (expected) onset, or the 'earliest' onset seen.",
        ),
    ] = "quantile",
    onset_quantile: Annotated[
        float,
        typer.Option(
            "--onset-quantile", help="With --schedule-for quantile: the quantile, in (0, 0.5]."
        ),
    ] = 0.2,
    overwrite: Overwrite = False,
    as_of: AsOf = None,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
    lang: Language = None,
) -> None:
    """Recommend delivery dates before each seasonal surge; write the launch calendar."""
    from forecasting.inputs.readers import validate_sales
    from forecasting.language import resolve_lang
    from forecasting.plan.calendar_files import export_launch_calendar
    from forecasting.plan.writers import check_output_folder
    from forecasting.timing.launch import recommend_launches

    check_output_folder(out, overwrite=overwrite)  # refused at once, before any work
    table = validate_sales(sales, columns=columns)
    plan = recommend_launches(
        table,
        start,
        end,
        by=by or None,
        lead_days=lead_days,
        delivery_weekday=delivery_weekday,
        shelf_days=shelf_days,
        market=market,
        per_group=per_group,
        schedule_for=schedule_for,
        onset_quantile=onset_quantile,
        as_of=as_of,
    )
    language = resolve_lang(lang, market)
    paths = export_launch_calendar(
        plan, out, sales=table, market=market, overwrite=overwrite, lang=language
    )
    typer.echo(format_plan(plan, by, language))
    typer.echo("")
    for kind, path in paths.items():
        typer.echo(f"已写入 {kind}：{path}" if language == "zh" else f"wrote {kind}: {path}")
