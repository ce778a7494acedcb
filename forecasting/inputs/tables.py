"""Raw tables: reading files and mapping column names (typed cell parsers: :mod:`.cells`).

The readers of :mod:`forecasting.inputs.readers` are built on these. :func:`read_table` reads a CSV
(``,`` ``;`` or tab separated; every cell read as text so ids keep leading zeros), Parquet or Excel
``.xlsx`` file, and numbers its rows the way the user sees them (CSV line numbers, Excel row
numbers) so that error messages point at the right place. :func:`parse_columns` turns the
``--columns`` option of the command line into a mapping.

A file is read correctly or not at all, with one
:class:`~forecasting.exceptions.DataValidationError` naming it:

- **Encoding.** A CSV file is read as UTF-8 (with or without BOM), as UTF-16 when it starts with a
  UTF-16 BOM, and as GB18030 (what Chinese Excel writes as "GBK") only when it decodes without
  error *and* reads as Chinese text (its non-ASCII characters are CJK, nearly all of them common
  GB2312 ones). Anything else (a Latin-1 file, say) is an error that asks for ``encoding=``; an
  encoding given is used as given, and bytes it cannot decode are an error naming the line.
- **Headers.** Two columns with the same header (after stripping spaces) are an error naming
  both positions (pandas would silently rename the second ``units.1``).
- **Broken files.** An empty file, binary data or a workbook or Parquet file renamed ``.csv``, a
  damaged ``.xlsx`` or ``.parquet``, a folder, a file without read permission: each an error
  that names the file and says what to do.

Examples
--------
>>> import pandas as pd
>>> raw = pd.DataFrame({"销量": ["1,200", "3"]})
>>> apply_columns(raw, "销量=units", ("units",), "sales").columns.tolist()
['units']
"""

from __future__ import annotations

import codecs
import contextvars
import csv
import json
import os
import re
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.cells import (
    check_date_order,
    check_decimal,
    finite_numbers,
    parse_bools,
    parse_dates,
)
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.validation import data_error, in_words_of, plural

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
    "reading_option",
    "require_rows",
    "set_reading_option",
]

Source = str | os.PathLike[str] | pd.DataFrame
Columns = Mapping[str, str] | str | os.PathLike[str] | None

# How files of this run are read when a call does not say (the command line's --encoding,
# --date-order and --decimal set them for every file of one command).
_READING: contextvars.ContextVar[tuple[tuple[str, str], ...]] = contextvars.ContextVar(
    "reading", default=()
)


def set_reading_option(name: str, value: str | None) -> None:
    """Read every file with this option when a call does not give its own, in this context.

    The command line's ``--encoding``, ``--date-order`` and ``--decimal`` use it; the command line
    runs each command in a :mod:`contextvars` context of its own, so the setting ends with the
    command. In Python, pass the options to the readers instead.

    Examples
    --------
    >>> import contextvars
    >>> def read_with_commas() -> str | None:
    ...     set_reading_option("decimal", ",")
    ...     return reading_option("decimal")
    >>> contextvars.copy_context().run(read_with_commas)
    ','
    >>> reading_option("decimal") is None
    True
    """
    if value is not None:
        _READING.set(tuple({**dict(_READING.get()), name: value}.items()))


def reading_option(name: str) -> str | None:
    """The reading option ``name`` set by :func:`set_reading_option`, or ``None``."""
    return dict(_READING.get()).get(name)


_BOOKS = (".xlsx", ".xlsm")
_ATTRS = ("row_noun", "separator", "date_order", "decimal", "mapping")  # kept by read_table
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
_SIGNATURES = {
    b"PK\x03\x04": "a zip archive (an Excel .xlsx workbook?)",
    b"PAR1": "a Parquet file",
    b"\xd0\xcf\x11\xe0": "an old Excel .xls workbook (or another Office file)",
    b"%PDF": "a PDF document",
}


def _label(source: Source, sheet: str | int | None) -> str:
    if isinstance(source, pd.DataFrame):
        return str(source.attrs.get("source", "the DataFrame"))
    name = os.fspath(source)
    return f"{name} (sheet {sheet!r})" if sheet is not None else name


def _encoding_fix() -> str:
    return "save it as CSV UTF-8, or give its encoding: " + in_words_of(
        python="encoding='latin-1' (Western European) or encoding='gb18030' (Chinese)",
        cli="--encoding latin-1 (Western European) or --encoding gb18030 (Chinese)",
    )


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def _looks_chinese(text: str) -> bool:
    """GB18030 text that is Chinese, not Latin-1 bytes that happen to decode as GB18030.

    Its characters beyond ASCII are CJK, and nine in ten of them are in GB2312, the common
    characters (accented Latin-1 letters before an ASCII letter make rare GBK ones).
    """
    wide = re.sub(r"[\x00-\x7f]+", "", text)
    if not wide:
        return False
    cjk = len(wide) - len(_CJK.sub("", wide))
    common = len(wide.encode("gb2312", errors="ignore")) // 2
    return cjk >= 0.9 * len(wide) and common >= 0.9 * len(wide)


def _decode(raw: bytes, label: str, encoding: str | None) -> str:
    """The text of a CSV file: in ``encoding`` if given, else UTF-8 (BOM or not) or GB18030."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            option = in_words_of(python="encoding", cli="--encoding")
            raise DataValidationError(
                f"{label}: {option} {encoding!r} is not a known text encoding. Fix: use a name "
                "such as utf-8, gb18030, latin-1 or cp1252."
            ) from None
        try:
            return raw.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise data_error(
                label,
                None,
                f"the file is not {encoding} text (line {_line_of(raw, exc.start)} has the bytes "
                f"{raw[exc.start : exc.end + 1]!r})",
                "give the encoding the file was saved in, or save it as CSV UTF-8",
            ) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the checks below say what it is
    for magic, what in _SIGNATURES.items():
        if raw.startswith(magic):
            raise data_error(
                label,
                None,
                f"the file is {what}, not CSV text",
                "give the file its real extension, or export the table again as CSV",
            )
    if b"\x00" in raw[:65536]:
        raise data_error(
            label,
            None,
            "the file holds binary data, not CSV text",
            "export the table again as CSV (UTF-8)",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = _line_of(raw, exc.start)
        sample = raw[exc.start : exc.start + 2]
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return text
    raise data_error(
        label,
        None,
        f"the file is not UTF-8 text, nor Chinese GBK (line {where} has the bytes {sample!r})",
        _encoding_fix(),
    )


def _duplicated_header(header: list[str], label: str, letters: bool) -> None:
    """Raise if two columns have the same header (after stripping spaces)."""
    names = [str(h).strip() for h in header]
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            first = seen[name]
            where = f"columns {first} and {position}"
            if letters:
                where += f", {_letter(first)} and {_letter(position)}"
            raise data_error(
                label,
                name,
                f"two columns have this header ({where})",
                "rename or delete one of them, so that every column has its own header",
            )
        seen[name] = position


def _letter(position: int) -> str:
    """The spreadsheet letter of a 1-based column number (1 -> A, 28 -> AB)."""
    out = ""
    while position:
        position, rest = divmod(position - 1, 26)
        out = chr(65 + rest) + out
    return out


def _read_csv(path: Path, label: str, encoding: str | None) -> tuple[pd.DataFrame, str]:
    raw = path.read_bytes()
    if not raw.strip():
        raise data_error(
            label, None, "the file is empty", "export the table again with a header row"
        )
    text = _decode(raw, label, encoding)
    if not text.strip():
        raise data_error(
            label, None, "the file is empty", "export the table again with a header row"
        )
    header = text.lstrip("\r\n").split("\n", 1)[0]
    sep = max((",", ";", "\t"), key=header.count)
    try:
        lines = csv.reader(StringIO(text.lstrip("\r\n")), delimiter=sep, skipinitialspace=True)
        _duplicated_header(next(lines, []), label, letters=False)
        frame = pd.read_csv(StringIO(text), sep=sep, dtype=str, skipinitialspace=True)
    except (csv.Error, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = " ".join(str(exc).split())
        raise data_error(
            label,
            None,
            f"the file is not a well-formed table ({detail})",
            "check the separators and quotes, or export it again as CSV",
        ) from exc
    return frame, sep


def _read_parquet(path: Path, label: str) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pq.read_table(path).validate(full=True)  # damaged text shows here, not in a later step
        return pd.read_parquet(path)
    except PermissionError:
        raise
    except (pa.ArrowException, OSError, ValueError, KeyError, NotImplementedError) as exc:
        detail = " ".join(str(exc).split())[:200]
        raise data_error(
            label,
            None,
            f"the file is not a readable Parquet file ({detail})",
            "write it again (it may be incomplete or damaged), or export the table as CSV",
        ) from exc


def _read_book(path: Path, label: str, sheet: str | int | None) -> pd.DataFrame:
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (
        zipfile.BadZipFile,
        zlib.error,
        InvalidFileException,
        KeyError,
        ValueError,
        EOFError,
        NotImplementedError,
        SyntaxError,  # the XML parsers' errors (ElementTree's ParseError, lxml's XMLSyntaxError)
    )
    try:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            names = list(book.sheet_names)
            if sheet is not None and sheet not in names and not isinstance(sheet, int):
                raise data_error(
                    label,
                    None,
                    f"there is no sheet {sheet!r} (the sheets are: {', '.join(map(repr, names))})",
                    "pass one of those sheet names",
                )
            which = sheet if sheet is not None else 0
            frame = pd.read_excel(book, sheet_name=which)
            if any(re.fullmatch(r".+\.\d+", str(c)) for c in frame.columns):
                header = pd.read_excel(book, sheet_name=which, header=None, nrows=1)
                _duplicated_header([str(h) for h in header.iloc[0].tolist()], label, True)
            _duplicated_header([str(c) for c in frame.columns], label, True)
            return frame
    except DataValidationError:
        raise
    except broken as exc:
        detail = " ".join(str(exc).split())[:200]
        raise data_error(
            label,
            None,
            f"the file is not a readable Excel workbook ({type(exc).__name__}: {detail})",
            "open it in Excel and save it again as .xlsx, or export the table as CSV",
        ) from exc


def read_table(
    source: Source | object,
    *,
    sheet: str | int | None = None,
    name: str = "table",
    encoding: str | None = None,
    date_order: str | None = None,
    decimal: str | None = None,
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
    encoding : str, optional
        The text encoding of a CSV file, used as given (e.g. ``"latin-1"``); by default UTF-8
        (with or without BOM), UTF-16 with BOM, or GB18030 when the file decodes as Chinese.
    date_order : {"DMY", "MDY", "YMD"}, optional
        The order of ``05/01/2011``-style dates (kept in ``attrs`` for
        :func:`~forecasting.inputs.cells.parse_dates`); inferred per column when omitted.
    decimal : {".", ","}, optional
        The decimal mark of number cells written as text (kept in ``attrs`` for
        :func:`~forecasting.inputs.cells.finite_numbers`); inferred when omitted.

    Returns
    -------
    DataFrame
        The raw columns (rows and unnamed columns that are entirely blank are dropped);
        ``attrs["source"]`` names the file; the index numbers rows as the user sees them
        (``attrs["row_noun"]`` is ``"line"`` for CSV lines, ``"row"`` otherwise);
        ``attrs["separator"]`` is a CSV file's separator.

    Raises
    ------
    DataValidationError
        An empty, damaged, binary or undecodable file, a folder, an unreadable file, two
        columns with one header, an unknown file type.
    FileNotFoundError
        No such file.

    Examples
    --------
    >>> import pandas as pd
    >>> read_table(pd.DataFrame({"a": [1]}), name="stores").attrs["source"]
    'stores'
    >>> read_table(pd.DataFrame([[1, 2]], columns=["units", "units "]), name="sales")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales: column 'units': two columns have this
    header (columns 1 and 2). Fix: rename or delete one of them, so that every column has its
    own header.
    """
    encoding = encoding if encoding is not None else reading_option("encoding")
    date_order = date_order if date_order is not None else reading_option("date_order")
    decimal = decimal if decimal is not None else reading_option("decimal")
    options = {"date_order": check_date_order(date_order), "decimal": check_decimal(decimal)}
    if isinstance(source, pd.DataFrame):
        label = str(source.attrs.get("source", name))
        _duplicated_header([str(c) for c in source.columns], label, letters=False)
        frame = source.copy(deep=False)
        frame.attrs = {"row_noun": "row"}
        frame.attrs.update({k: source.attrs[k] for k in _ATTRS if source.attrs.get(k) is not None})
        frame.attrs["source"] = label
        frame.attrs.update({k: v for k, v in options.items() if v is not None})
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
    if path.is_dir():
        raise data_error(
            label, None, "this is a folder, not a file", "give the path of the table file itself"
        )
    if not path.is_file():
        raise FileNotFoundError(f"{label}: no such file. Fix: check the path and the file name.")
    suffix = path.suffix.lower()
    noun, separator = "row", None
    try:
        if suffix in {".csv", ".txt", ".tsv"}:
            (frame, separator), noun, first = _read_csv(path, label, encoding), "line", 2
        elif suffix in {".parquet", ".pq"}:
            frame, first = _read_parquet(path, label), 0
        elif suffix in _BOOKS:
            frame, first = _read_book(path, label, sheet), 2
        elif suffix == ".xls":
            raise data_error(
                label, None, "old .xls workbooks are not read", "save it as .xlsx or CSV"
            )
        else:
            raise data_error(
                label, None, f"unknown file type {suffix!r}", "give a .csv, .parquet or .xlsx file"
            )
    except PermissionError:
        raise data_error(
            label,
            None,
            "the file cannot be read (permission denied)",
            "give yourself read access to it, or copy it to a folder you can read",
        ) from None
    except OSError as exc:
        raise data_error(
            label,
            None,
            f"the file cannot be read ({exc.strerror or exc})",
            "check that the file is complete and on a connected drive, then try again",
        ) from exc
    if len(frame.columns) == 0:
        raise data_error(
            label, None, "the table is empty (no header row)", "export it again with a header row"
        )
    _duplicated_header([str(c) for c in frame.columns], label, letters=suffix in _BOOKS)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.index = pd.RangeIndex(first, first + len(frame))
    frame = frame.dropna(how="all")  # the empty rows spreadsheets leave at the bottom
    if any(c.startswith("Unnamed: ") for c in frame.columns):  # empty columns likewise
        empty = [c for c in frame.columns if c.startswith("Unnamed: ") and frame[c].isna().all()]
        frame = frame.drop(columns=empty)
    frame.attrs = {"source": label, "row_noun": noun}
    if separator is not None:
        frame.attrs["separator"] = separator
    frame.attrs.update({k: v for k, v in options.items() if v is not None})
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
    frame: pd.DataFrame,
    columns: Columns,
    allowed: tuple[str, ...] | None,
    table: str,
    *,
    keep: Sequence[str] = (),
) -> pd.DataFrame:
    """Rename source columns to canonical ones, checking the mapping against the table.

    Column names that differ from a canonical name only by case or spaces (``"Date"``) are renamed
    too, except those named in ``keep`` (the series keys a user named as they are, e.g.
    ``by=["Store", "Dept"]``). An index named after a mapped or canonical column is turned back
    into a column.

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
    keep : sequence of str, optional
        Column names kept exactly as they are (not renamed to a canonical name by case).

    Examples
    --------
    >>> import pandas as pd
    >>> apply_columns(pd.DataFrame({"Date": [], "Qty": []}), {"Qty": "units"}, ("date", "units"),
    ...               "sales").columns.tolist()
    ['date', 'units']
    >>> apply_columns(pd.DataFrame({"Date": [], "Store": []}), None, ("date", "store"), "sales",
    ...               keep=["Store"]).columns.tolist()
    ['date', 'Store']
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
        if allowed is not None
        and key in allowed
        and orig != key
        and key not in renamed
        and orig not in keep
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
    text = raw.astype(TEXT).str.strip().where(raw.notna())
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
    return text.where(~blank).astype(TEXT)


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
