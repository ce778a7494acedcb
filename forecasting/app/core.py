"""The work behind the planners' web page, without the page: uploads, column mapping, wave moves,
the live depth and the plan's files.

Everything here calls the library's public functions (readers, :func:`~forecasting.plan.make_plan`,
:func:`~forecasting.plan.write_plan`, :func:`~forecasting.depth.combine_judgments`,
:func:`~forecasting.depth.first_batch_depth`); it needs no Streamlit, so it is tested and imported
like any other module.

Examples
--------
>>> suggest_mapping(["销售日期", "门店", "销量", "备注"], "sales")["units"]
'销量'
>>> column_of_error("sales.csv: column 'units': 2 rows are blank. Fix: fill them in.", {})
'units'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.erp_names import suggest_columns
from forecasting.inputs.readers import (
    JUDGMENT_COLUMNS,
    PRODUCT_COLUMNS,
    SALES_COLUMNS,
    STORE_COLUMNS,
    JudgmentsTable,
    ProductsTable,
    SalesTable,
    StoresTable,
    read_table,
    validate_judgments,
    validate_products,
    validate_sales,
    validate_stores,
)

__all__ = [
    "CANONICAL",
    "REQUIRED",
    "UPLOAD_TYPES",
    "Move",
    "column_of_error",
    "delivery_days",
    "excel_sheets",
    "live_depth",
    "mapping_of",
    "move_waves",
    "plan_files",
    "plan_zip",
    "read_upload",
    "suggest_mapping",
    "validate_table",
]

UPLOAD_TYPES = ("csv", "txt", "tsv", "xlsx", "xlsm", "parquet", "pq")
"""File types the page takes (those :func:`~forecasting.inputs.readers.read_table` reads)."""

CANONICAL: dict[str, tuple[str, ...]] = {
    "sales": SALES_COLUMNS,
    "stores": STORE_COLUMNS,
    "products": (*PRODUCT_COLUMNS, "launch_wave", "plan_share"),
    "judgments": JUDGMENT_COLUMNS,
}
"""The columns each table's mapping offers (the data contract's names)."""

REQUIRED: dict[str, tuple[str, ...]] = {
    "sales": ("date", "units"),
    "stores": ("store",),
    "products": ("sku", "category"),
    "judgments": ("sku", "forecaster", "units"),
}
"""The columns each table must have."""


def suggest_mapping(columns: Sequence[object], table: str) -> dict[str, str | None]:
    """For each canonical column of ``table``, the uploaded column that most likely holds it
    (:func:`forecasting.inputs.erp_names.suggest_columns` over :data:`CANONICAL`).

    Parameters
    ----------
    columns : sequence
        The uploaded table's column names.
    table : {"sales", "stores", "products", "judgments"}
        Which table it is.

    Returns
    -------
    dict of str to str or None
        Canonical column to the suggested source column, ``None`` when none fits.

    Examples
    --------
    >>> suggest_mapping(["Store", "Date", "Qty"], "sales")["date"]
    'Date'
    >>> suggest_mapping(["款号", "品类", "零售价"], "products")["price"]
    '零售价'
    """
    return suggest_columns(columns, CANONICAL[table])


def mapping_of(selection: Mapping[str, str | None]) -> dict[str, str]:
    """The ``columns`` mapping (source to canonical) of the page's drop-downs.

    Columns already named as the contract names them need no entry.

    Examples
    --------
    >>> mapping_of({"date": "销售日期", "units": "units", "store": None})
    {'销售日期': 'date'}
    """
    return {src: dst for dst, src in selection.items() if src is not None and src != dst}


def excel_sheets(data: bytes) -> list[str]:
    """The sheet names of an uploaded workbook (empty when it cannot be opened as one).

    Examples
    --------
    >>> excel_sheets(b"not a workbook")
    []
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return []  # reading it says what is wrong (read_upload)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_upload(name: str, data: bytes, sheet: str | None = None) -> pd.DataFrame:
    """Read an uploaded file with the library's reader; the file lives on disk only meanwhile.

    The bytes are written to a private temporary folder under the file's own name, read with
    :func:`~forecasting.inputs.readers.read_table` (any common encoding, Excel sheets, Parquet) and
    deleted at once; the table is kept in memory only.

    Parameters
    ----------
    name : str
        The uploaded file's name (its suffix says the type; messages name it).
    data : bytes
        The file's content.
    sheet : str, optional
        The Excel sheet (default: the first).

    Returns
    -------
    pandas.DataFrame
        The raw table, with rows numbered as the file numbers them.

    Raises
    ------
    DataValidationError
        An empty, damaged or binary file, an unknown type, and the like (one message).

    Examples
    --------
    >>> read_upload("stores.csv", "门店,等级\\nSH01,A\\n".encode("gbk")).columns.tolist()
    ['门店', '等级']
    >>> read_upload("stores.csv", b"")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: stores.csv: the file is empty...
    """
    base = Path(name).name or "upload.csv"
    with tempfile.TemporaryDirectory(prefix="launchcast-upload-") as folder:
        path = Path(folder) / base
        path.write_bytes(data)
        try:
            frame = read_table(path, sheet=sheet, name=base)
        except DataValidationError as exc:
            raise DataValidationError(str(exc).replace(str(path), base)) from None
        except FileNotFoundError:
            raise DataValidationError(f"{base}: the upload could not be read back.") from None
    frame.attrs["source"] = base if sheet is None else f"{base} (sheet {sheet!r})"
    return frame


def validate_table(
    table: str,
    raw: pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    *,
    sales: SalesTable | None = None,
    products: ProductsTable | None = None,
    stores: StoresTable | None = None,
) -> SalesTable | StoresTable | ProductsTable | JudgmentsTable:
    """Validate an uploaded table with the library's validator of that table.

    Parameters
    ----------
    table : {"sales", "stores", "products", "judgments"}
        Which table.
    raw : pandas.DataFrame
        The raw table (:func:`read_upload`).
    columns : mapping, optional
        Source name to canonical name (:func:`mapping_of`).
    sales, products, stores : validated tables, optional
        What the stores and the judgments are checked against.

    Returns
    -------
    SalesTable, StoresTable, ProductsTable or JudgmentsTable

    Raises
    ------
    DataValidationError
        The message names the column and the rows (:func:`column_of_error` finds the column).

    Examples
    --------
    >>> raw = pd.DataFrame({"门店": ["SH01"]})
    >>> validate_table("stores", raw, {"门店": "store"}).frame["store"].tolist()
    ['SH01']
    """
    mapping = dict(columns or {})
    if table == "sales":
        return validate_sales(raw, columns=mapping)
    if table == "stores":
        return validate_stores(raw, columns=mapping, sales=sales)
    if table == "products":
        return validate_products(raw, columns=mapping)
    if table == "judgments":
        return validate_judgments(raw, columns=mapping, products=products, stores=stores)
    raise ValueError(f"unknown table {table!r}")


_COLUMN = re.compile(r"column '([^']+)'")
_MISSING = re.compile(r"(?:missing|no) (?:the )?(?:required )?columns? '?([A-Za-z_]+)'?")


def column_of_error(message: str, mapping: Mapping[str, str]) -> str | None:
    """The canonical column an error message concerns, if it names one.

    Parameters
    ----------
    message : str
        A :class:`~forecasting.exceptions.DataValidationError` message.
    mapping : mapping
        Source name to canonical name, to turn a source column back into its canonical one.

    Returns
    -------
    str or None

    Examples
    --------
    >>> column_of_error("s.csv: column '销量': 1 row is not a number. Fix: ...", {"销量": "units"})
    'units'
    >>> column_of_error("s.csv: the file is empty. Fix: export it again.", {}) is None
    True
    """
    found = _COLUMN.search(message) or _MISSING.search(message)
    if found is None:
        return None
    name = found.group(1)
    return mapping.get(name, name)


def delivery_days(
    start: object, end: object, delivery_weekday: str | int = "MON", market: str = "CN"
) -> list[pd.Timestamp]:
    """The days a wave may be moved to: each ``delivery_weekday`` from ``start`` to ``end`` that is
    an official working day.

    Examples
    --------
    >>> [d.date().isoformat() for d in delivery_days("2012-09-24", "2012-10-15")]
    ['2012-09-24', '2012-10-08', '2012-10-15']
    """
    from calendars import workdays
    from forecasting.timing.rules import weekday_number

    target = weekday_number(delivery_weekday)
    days = workdays(start, end, market=market)
    return [pd.Timestamp(d) for d in days if d.weekday() == target]


@dataclasses.dataclass(frozen=True)
class Move:
    """A planner's move of one wave's delivery day, with the reason given.

    Attributes
    ----------
    wave : str
        The wave (as in the launch calendar).
    old, new : pandas.Timestamp
        The delivery day recommended (or set before) and the one chosen.
    reason : str
        Why, in the planner's words.
    recorded : str
        When the move was made (ISO time, UTC).
    """

    wave: str
    old: pd.Timestamp
    new: pd.Timestamp
    reason: str
    recorded: str = dataclasses.field(
        default_factory=lambda: dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    )

    def row(self) -> dict[str, object]:
        """The move as a row of the change log."""
        return {
            "wave": self.wave,
            "recommended_delivery": self.old.date(),
            "moved_to": self.new.date(),
            "days": int((self.new - self.old).days),
            "reason": self.reason,
            "recorded": self.recorded,
        }


_SHIFTED = (
    "delivery_date",
    "shelf_start",
    "shelf_end",
    "promotion_start",
    "promotion_end",
)


def move_waves(plan: Any, moves: Sequence[Move]) -> Any:
    """The plan with the planner's moves of delivery days applied to its launch calendar.

    A moved wave keeps its rhythm: its shelf and promotion days move with the delivery day, the
    days ahead of the expected onset change by as much, and its reason says who moved it, from
    which day and why. The products of the wave carry the new delivery and shelf days. The last
    move of a wave counts. Depth and allocation stay those of the plan (the same products, demand
    over the same number of weeks).

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    moves : sequence of Move
        In the order made.

    Returns
    -------
    Plan
        A new plan (``plan`` is not changed); ``plan`` itself without moves.
    """
    if not moves:
        return plan
    last = {m.wave: m for m in moves}
    launches = plan.launches.copy()
    products = plan.products_plan.copy()
    for wave, move in last.items():
        rows = launches["wave"] == wave
        if not rows.any():
            continue
        shift = move.new - pd.Timestamp(launches.loc[rows, "delivery_date"].iloc[0])
        for column in _SHIFTED:
            if column in launches:
                launches.loc[rows, column] = launches.loc[rows, column] + shift
        if "days_ahead" in launches:
            launches.loc[rows, "days_ahead"] = launches.loc[rows, "days_ahead"] - shift.days
        launches.loc[rows, "reason"] = launches.loc[rows, "reason"].astype(str) + (
            f" Moved by the planner from {move.old:%a %Y-%m-%d} to {move.new:%a %Y-%m-%d}: "
            f"{move.reason.strip()}"
        )
        mine = products["wave"] == wave
        for column in ("delivery_date", "shelf_start", "launch_date"):
            if column in products:
                products.loc[mine, column] = products.loc[mine, column] + shift
    launches = launches.sort_values("delivery_date", kind="stable").reset_index(drop=True)
    return dataclasses.replace(plan, launches=launches, products_plan=products)


def live_depth(plan: Any, judgments: JudgmentsTable | pd.DataFrame) -> pd.DataFrame:
    """Demand, judges' weight and depth of each product with these judgments, at once.

    The plan's data estimate (top-down or analogs) is kept; the judgments are calibrated and
    blended with it (:func:`~forecasting.depth.combine_judgments`) and the depth follows
    (:func:`~forecasting.depth.first_batch_depth`), as :func:`~forecasting.plan.make_plan` does.

    Parameters
    ----------
    plan : Plan
        The plan made with the judgments before the change.
    judgments : JudgmentsTable or pandas.DataFrame
        The judgments as they are now.

    Returns
    -------
    pandas.DataFrame
        Per sku: the judges' mean and sd, the data estimate, the judges' weight, the demand's mean
        and sd, the critical ratio and the depth.
    """
    from forecasting.depth import combine_judgments, first_batch_depth

    data = plan.demand[["sku", "model_mean", "model_sd", "model_basis"]]
    data = data[data["model_mean"].notna()]
    model = data.rename(columns={"model_mean": "mean", "model_sd": "sd", "model_basis": "basis"})
    demand = combine_judgments(
        judgments, model_forecast=model if len(model) else None, horizon_weeks=plan.horizon_weeks
    )
    depth = first_batch_depth(
        demand,
        ProductsTable(frame=plan.products_plan, source=plan.inputs.products.source),
        plan.inputs.stores,
        horizon_weeks=plan.horizon_weeks,
        holdback=float(plan.options.get("holdback", 0.0)),
    )
    shown = ["sku", "judge_mean", "judge_sd", "model_mean", "model_sd", "judge_weight"]
    out = demand[shown].merge(depth, on="sku", how="right")
    return out[[*shown, "mean", "sd", "critical_ratio", "depth", "forced_units", "sell_through"]]


def plan_files(plan: Any) -> dict[str, bytes]:
    """The files of the plan's folder (:func:`~forecasting.plan.write_plan`), by name.

    Parameters
    ----------
    plan : Plan
        The plan (with any moves applied).

    Returns
    -------
    dict of str to bytes
        The same files ``launchcast plan`` writes, sorted by name.
    """
    from forecasting.plan import write_plan

    with tempfile.TemporaryDirectory(prefix="launchcast-plan-") as folder:
        written = write_plan(plan, Path(folder) / "plan")
        return {p.name: p.read_bytes() for p in sorted(written.values())}


def plan_zip(plan: Any, moves: Sequence[Move] = ()) -> bytes:
    """The plan's folder as a zip file, with ``changes.csv`` when the planner moved a wave.

    Parameters
    ----------
    plan : Plan
        The plan, moves applied (:func:`move_waves`).
    moves : sequence of Move
        The change log written to ``changes.csv`` (no such file without moves).

    Returns
    -------
    bytes
        The zip file: ``launchcast-plan/<file>`` for every file of :func:`plan_files`.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in plan_files(plan).items():
            archive.writestr(f"launchcast-plan/{name}", data)
        if moves:
            from forecasting.plan.writers import escape_formulas

            log = escape_formulas(pd.DataFrame([m.row() for m in moves]))
            archive.writestr("launchcast-plan/changes.csv", log.to_csv(index=False))
    return buffer.getvalue()
