"""Raw tables: reading files and mapping column names (typed cell parsers: :mod:`.cells`).

The readers of :mod:`forecasting.inputs.readers` are built on these. :func:`read_table` reads a CSV
(UTF-8 with
or without BOM, else GBK/GB18030; ``,`` ``;`` or tab separated; every cell read as text so ids keep
leading zeros), Parquet or Excel ``.xlsx`` file, and numbers its rows the way the user sees them
(CSV line numbers, Excel row numbers) so that error messages point at the right place.
:func:`parse_columns` turns the ``--columns`` option of the command line into a mapping.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"销量": ["1,200", "3"]})
>>> apply_columns(raw, "销量=units", ("units",), "sales").columns.tolist()
['units']
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from io import StringIO
from pathlib import Path

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.cells import finite_numbers, parse_bools, parse_dates
from forecasting.inputs.validation import data_error, plural

__all__ = [
    "Columns",
    "Source",
    "apply_columns",
    "finite_numbers",
    "id_column",
    "parse_bools",
    "parse_columns",
    "parse_dates",
    "read_table",
    "require_rows",
]

Source = str | os.PathLike[str] | pd.DataFrame
Columns = Mapping[str, str] | str | os.PathLike[str] | None

_ENCODINGS = ("utf-8-sig", "gb18030")
_BOOKS = (".xlsx", ".xlsm")


def _label(source: Source, sheet: str | int | None) -> str:
    if isinstance(source, pd.DataFrame):
        return str(source.attrs.get("source", "the DataFrame"))
    name = os.fspath(source)
    return f"{name} (sheet {sheet!r})" if sheet is not None else name


def _read_csv(path: Path, label: str) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise data_error(
            label, None, "the file is empty", "export the table again with a header row"
        )
    text = None
    for encoding in _ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise data_error(
            label, None, "the file is neither UTF-8 nor GBK text", "save it as CSV UTF-8"
        )
    header = text.split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)
    try:
        return pd.read_csv(StringIO(text), sep=sep, dtype=str, skipinitialspace=True)
    except pd.errors.ParserError as exc:
        raise data_error(
            label,
            None,
            f"the file is not a well-formed table ({exc})",
            "check the separators and quotes, or export it again as CSV",
        ) from exc


def read_table(
    source: Source | object, *, sheet: str | int | None = None, name: str = "table"
) -> pd.DataFrame:
    """Read a raw table from a path or DataFrame, with rows labelled for error messages.

    Parameters
    ----------
    source : path or DataFrame
        ``.csv`` / ``.txt``, ``.parquet`` / ``.pq``, ``.xlsx`` / ``.xlsm``, or a DataFrame (not
        modified).
    sheet : str or int, optional
        The Excel sheet (default: the first); ``"book.xlsx#sheet"`` names it in the path too.
    name : str
        What the table is, used for a DataFrame without ``attrs["source"]``.

    Returns
    -------
    DataFrame
        The raw columns (rows and unnamed columns that are entirely blank are dropped);
        ``attrs["source"]`` names the file; the index numbers rows as the user sees them
        (``attrs["row_noun"]`` is ``"line"`` for CSV lines, ``"row"`` otherwise).

    Examples
    --------
    >>> import pandas as pd
    >>> read_table(pd.DataFrame({"a": [1]}), name="stores").attrs["source"]
    'stores'
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy(deep=False)
        label = str(source.attrs.get("source", name))
        frame.attrs = {"source": label, "row_noun": str(source.attrs.get("row_noun", "row"))}
        return frame
    if not isinstance(source, str | os.PathLike):
        raise DataValidationError(
            f"{name}: expected a file path or a pandas DataFrame, got {type(source).__name__}. "
            "Fix: pass the path of a CSV, Parquet or Excel file, or a DataFrame."
        )
    path = Path(source)
    book, hash_, named = os.fspath(source).rpartition("#")
    if sheet is None and hash_ and not path.exists() and Path(book).suffix.lower() in _BOOKS:
        path, source, sheet = Path(book), book, named  # "plan.xlsx#门店": a sheet of a workbook
    label = _label(source, sheet)
    if not path.is_file():
        raise FileNotFoundError(f"{label}: no such file. Fix: check the path and the file name.")
    suffix = path.suffix.lower()
    noun = "row"
    if suffix in {".csv", ".txt", ".tsv"}:
        frame, noun, first = _read_csv(path, label), "line", 2
    elif suffix in {".parquet", ".pq"}:
        frame, first = pd.read_parquet(path), 0
    elif suffix in _BOOKS:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = list(book.sheet_names)
            if sheet is not None and sheet not in names and not isinstance(sheet, int):
                raise data_error(
                    label,
                    None,
                    f"there is no sheet {sheet!r} (the sheets are: {', '.join(map(repr, names))})",
                    "pass one of those sheet names",
                )
            frame = pd.read_excel(book, sheet_name=sheet if sheet is not None else 0)
            first = 2
    elif suffix == ".xls":
        raise data_error(label, None, "old .xls workbooks are not read", "save it as .xlsx or CSV")
    else:
        raise data_error(
            label, None, f"unknown file type {suffix!r}", "give a .csv, .parquet or .xlsx file"
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(first, first + len(frame))
    frame = frame.dropna(how="all")  # the empty rows spreadsheets leave at the bottom
    if any(c.startswith("Unnamed: ") for c in frame.columns):  # empty columns likewise
        empty = [c for c in frame.columns if c.startswith("Unnamed: ") and frame[c].isna().all()]
        frame = frame.drop(columns=empty)
    frame.attrs = {"source": label, "row_noun": noun}
    return frame


def parse_columns(spec: Columns) -> dict[str, str]:
    """Turn a ``--columns`` value into a ``{source: canonical}`` mapping.

    Accepted: a mapping; ``"销售日期=date,门店=store"`` (``:`` works too, and ``;`` or new lines

    pairs); a JSON object as text; or a path to a ``.json`` file (an object) or a ``.csv`` file of
    two columns (source name, canonical name).

    Examples
    --------
    >>> parse_columns("销售日期=date, 门店=store")
    {'销售日期': 'date', '门店': 'store'}
    >>> parse_columns('{"Qty": "units"}')
    {'Qty': 'units'}
    """
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in spec.items()}
    text = os.fspath(spec).strip()
    path = Path(text)
    if len(text) < 4096 and "=" not in text and path.suffix.lower() in {".json", ".csv"}:
        if not path.is_file():
            raise FileNotFoundError(
                f"--columns: no such mapping file {text!r}. Fix: check the path."
            )
        if path.suffix.lower() == ".json":
            return parse_columns(path.read_text(encoding="utf-8-sig"))
        table = read_table(path)
        if table.shape[1] < 2:
            raise data_error(
                text,
                None,
                "a column mapping needs two columns (source, canonical)",
                "write one 'source name,canonical name' pair per line",
            )
        return {
            str(a).strip(): str(b).strip() for a, b in table.iloc[:, :2].itertuples(index=False)
        }
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataValidationError(
                f"--columns: not valid JSON ({exc}). Fix: write "
                '{"source name": "canonical name"}.'
            ) from exc
        if not isinstance(loaded, dict):
            raise DataValidationError(
                "--columns: the JSON must be an object. Fix: write "
                '{"source name": "canonical name"}.'
            )
        return parse_columns(loaded)
    mapping: dict[str, str] = {}
    for pair in text.replace(";", ",").replace("\n", ",").split(","):
        if not pair.strip():
            continue
        sep = "=" if "=" in pair else ":"
        left, _, right = pair.partition(sep)
        if not right.strip() or not left.strip():
            raise DataValidationError(
                f"--columns: cannot read the pair {pair.strip()!r}. Fix: write "
                "'source name=canonical name' pairs separated by commas."
            )
        mapping[left.strip()] = right.strip()
    return mapping


def apply_columns(
    frame: pd.DataFrame, columns: Columns, allowed: tuple[str, ...] | None, table: str
) -> pd.DataFrame:
    """Rename source columns to canonical ones, checking the mapping against the table.

    Column names that differ from a canonical name only by case or spaces (``"Date"``) are renamed
    too. An index named after a mapped or canonical column is turned back into a column.

    Parameters
    ----------
    frame : DataFrame
        A raw table from :func:`read_table`.
    columns : mapping or str or path, optional
        The mapping, in any form :func:`parse_columns` reads.
    allowed : tuple of str, optional
        The canonical names of this table; ``None`` allows any target name (attributes of products).
    table : str
        The table's name for messages (``"sales"``).

    Examples
    --------
    >>> import pandas as pd
    >>> apply_columns(pd.DataFrame({"Date": [], "Qty": []}), {"Qty": "units"}, ("date", "units"),
    ...               "sales").columns.tolist()
    ['date', 'units']
    """
    source = str(frame.attrs.get("source", table))
    mapping = parse_columns(columns)
    if isinstance(frame.index, pd.MultiIndex) or frame.index.name is not None:
        names = [n for n in frame.index.names if n is not None]
        if any(n in mapping or n in (allowed or ()) for n in names):
            attrs = frame.attrs
            frame = frame.reset_index()
            frame.attrs = {**attrs, "row_noun": "row"}
    there = ", ".join(repr(str(c)) for c in frame.columns)
    for src, dst in mapping.items():
        if src not in frame.columns:
            raise data_error(
                source,
                src,
                f"the columns mapping names a column that is not in the "
                f"table (the columns are: {there})",
                "correct the name in the mapping",
            )
        if allowed is not None and dst not in allowed:
            raise data_error(
                source,
                src,
                f"the mapping target {dst!r} is not a {table} column "
                f"(those are: {', '.join(allowed)})",
                "map it to one of those names",
            )
    renamed = frame.rename(columns=mapping)
    lower = {str(c).strip().lower(): c for c in renamed.columns}
    case_fix = {
        orig: key
        for key, orig in lower.items()
        if allowed is not None and key in allowed and orig != key and key not in renamed
    }
    renamed = renamed.rename(columns=case_fix)
    dup = renamed.columns[renamed.columns.duplicated()].unique().tolist()
    if dup:
        raise data_error(
            source,
            str(dup[0]),
            f"two columns are named {dup[0]!r} after mapping (the columns are: {there})",
            "map only one of them to that name",
        )
    renamed.attrs = frame.attrs
    return renamed


def id_column(frame: pd.DataFrame, column: str, source: str, *, required: bool = True) -> pd.Series:
    """Return ``frame[column]`` as stripped text ids (``str`` dtype); blanks raise if ``required``.

    Whole numbers stored as floats (``7.0``, what Excel and Parquet give for an id column with
    blanks) become ``"7"``.

    Examples
    --------
    >>> import pandas as pd
    >>> id_column(pd.DataFrame({"store": [7.0, 12.0]}), "store", "stores").tolist()
    ['7', '12']
    """
    raw = frame[column]
    if pd.api.types.is_float_dtype(raw) and bool((raw.dropna() % 1 == 0).all()):
        raw = raw.astype("Int64")
    text = raw.astype("str").str.strip().where(raw.notna())
    blank = text.isna() | (text == "")
    if required and blank.any():
        raise data_error(
            source,
            column,
            f"{plural(int(blank.sum()), 'row')} without a {column}",
            f"fill in the {column} or delete those rows",
            frame,
            blank,
        )
    return text.where(~blank).astype("str")


def require_rows(frame: pd.DataFrame, source: str) -> None:
    """Raise if the table has no data rows, listing its columns.

    Examples
    --------
    >>> import pandas as pd
    >>> require_rows(pd.DataFrame({"store": []}), "stores.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: stores.csv: the table has no data rows (the
    columns are: 'store'). Fix: export the table again with its rows.
    """
    if frame.empty:
        raise data_error(
            source,
            None,
            "the table has no data rows"
            f" (the columns are: {', '.join(map(repr, frame.columns)) or 'none'})",
            "export the table again with its rows",
        )
