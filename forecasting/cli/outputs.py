"""What the commands that write files share: the ``--overwrite`` flag and the CSV + workbook pair.

A command refuses an existing output at once, before any work, and writes its files whole or not
at all (:mod:`forecasting.plan.writers`). Heavy modules are imported inside the functions, so that
``launchcast --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Overwrite", "csv_and_workbook", "write_csv_and_workbook"]

Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        metavar="",
        help="Replace what --out names (a folder whole, or the CSV and the workbook beside it).",
    ),
]


def csv_and_workbook(out: Path, overwrite: bool) -> tuple[Path, Path]:
    """The CSV and the workbook ``--out`` names; existing ones are refused now unless overwrite.

    ``plan.xlsx`` names ``plan.csv`` beside it; ``plan`` or ``plan.csv`` names ``plan.xlsx``.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> [p.name for p in csv_and_workbook(folder / "plan.xlsx", overwrite=False)]
    ['plan.csv', 'plan.xlsx']
    """
    from forecasting.plan.writers import check_output_files

    if out.suffix.lower() == ".xlsx":
        csv, xlsx = out.with_suffix(".csv"), out
    else:
        csv = out if out.suffix else out.with_suffix(".csv")
        xlsx = csv.with_suffix(".xlsx")
    check_output_files([csv, xlsx], overwrite=overwrite)
    return csv, xlsx


def write_csv_and_workbook(
    csv_path: Path,
    table: pd.DataFrame,
    xlsx_path: Path,
    sheets: dict[str, pd.DataFrame],
    overwrite: bool,
) -> None:
    """Write ``table`` as the CSV and ``sheets`` as the workbook: both or neither."""
    from forecasting.plan.writers import staged_files, write_csv, write_excel

    with staged_files(xlsx_path, csv_path, overwrite=overwrite) as staged:
        write_excel(sheets, staged[0])
        write_csv(table, staged[1])
