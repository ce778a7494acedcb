"""Atomic, spreadsheet-safe writers for every file launchcast produces.

Every output is written to a temporary file in the target folder and renamed into place, so a
failure never leaves a half-written file. Text cells that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return) are escaped with a leading
apostrophe in CSV and Excel outputs; numbers are left alone.

Examples
--------
>>> import pandas as pd, tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
>>> write_csv(pd.DataFrame({"store": ["=cmd()", "Province_1"], "units": [3, 4]}), out)
PosixPath('...plan.csv')
>>> out.read_text().splitlines()[1]
"'=cmd(),3"
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

__all__ = [
    "atomic_path",
    "escape_formulas",
    "write_csv",
    "write_excel",
    "write_text",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``, on error delete it.

    Parameters
    ----------
    path : str or path-like
        The final file. Its folder is created if missing.

    Yields
    ------
    pathlib.Path
        Where to write; it becomes ``path`` only when the block finishes without an exception.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "notes.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("hello")
    >>> target.read_text()
    'hello'
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the file the usual permissions
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _escape_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def escape_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``frame`` whose text cells cannot run as spreadsheet formulas.

    Text starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading apostrophe.
    Numeric, date and boolean columns are returned unchanged; column names are escaped too.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table to write.

    Returns
    -------
    pandas.DataFrame
        An escaped copy.

    Examples
    --------
    >>> import pandas as pd
    >>> escape_formulas(pd.DataFrame({"a": ["+1", "ok"], "b": [-1.5, 2.0]}))["a"].tolist()
    ["'+1", 'ok']
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(_escape_cell).astype(object)
    out.columns = [_escape_cell(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str], *, index: bool = False) -> Path:
    """Write ``frame`` as UTF-8 CSV, atomically, with a byte-order mark so Excel shows Chinese text.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table.
    path : str or path-like
        Target file.
    index : bool, default False
        Whether to write the index.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = write_csv(pd.DataFrame({"x": [1]}), pathlib.Path(tempfile.mkdtemp()) / "x.csv")
    >>> p.read_text(encoding="utf-8-sig")
    'x\\n1\\n'
    """
    final = Path(path)
    with atomic_path(final) as tmp:
        escape_formulas(frame).to_csv(tmp, index=index, encoding="utf-8-sig", lineterminator="\n")
    return final


def _excel_sheet_name(name: str, used: set[str]) -> str:
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name)).strip("'") or "Sheet"
    clean = clean[:31]
    candidate, k = clean, 2
    while candidate.lower() in used:
        suffix = f" ({k})"
        candidate = clean[: 31 - len(suffix)] + suffix
        k += 1
    used.add(candidate.lower())
    return candidate


def write_excel(
    sheets: Mapping[str, pd.DataFrame] | pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    index: bool = False,
) -> Path:
    """Write one or several tables to an ``.xlsx`` workbook (one sheet each), atomically.

    Headers are bold and frozen, columns are sized to their content, and text cells are
    formula-escaped.

    Parameters
    ----------
    sheets : mapping of sheet name to DataFrame, or a DataFrame
        The sheets in order; names are cleaned to Excel's rules (31 characters, no ``[]:*?/\\``).
    path : str or path-like
        Target ``.xlsx`` file.
    index : bool, default False
        Whether to write each frame's index.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> p = write_excel({"wave 1": pd.DataFrame({"store": ["A"], "units": [3]})},
    ...                 pathlib.Path(tempfile.mkdtemp()) / "a.xlsx")
    >>> pd.read_excel(p, sheet_name="wave 1")["units"].tolist()
    [3]
    """
    from openpyxl.styles import Font

    if isinstance(sheets, pd.DataFrame):
        sheets = {"Sheet1": sheets}
    final = Path(path)
    used: set[str] = set()
    with atomic_path(final) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        if not sheets:
            pd.DataFrame().to_excel(writer, sheet_name="empty")
        for name, frame in sheets.items():
            sheet = _excel_sheet_name(name, used)
            out = escape_formulas(frame)
            for column in out.columns:
                if isinstance(out[column].dtype, pd.DatetimeTZDtype):
                    out[column] = out[column].dt.tz_localize(None)
            out.to_excel(writer, sheet_name=sheet, index=index)
            ws = writer.sheets[sheet]
            ws.freeze_panes = "A2"
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for col_cells in ws.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in col_cells)
                letter = col_cells[0].column_letter
                ws.column_dimensions[letter].width = min(60, max(8, width + 2))
    return final


def write_text(text: str, path: str | os.PathLike[str], *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically.

    Parameters
    ----------
    text : str
        The content.
    path : str or path-like
        Target file.
    encoding : str, default "utf-8"
        Text encoding.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> write_text("# plan", pathlib.Path(tempfile.mkdtemp()) / "summary.md").read_text()
    '# plan'
    """
    final = Path(path)
    with atomic_path(final) as tmp:
        tmp.write_text(text, encoding=encoding)
    return final
