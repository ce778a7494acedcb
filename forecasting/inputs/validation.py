"""Checks on input tables and the builder of their error messages.

Every check raises :class:`~forecasting.exceptions.DataValidationError` with a message in one
shape::

    <source>: column '<column>': <problem>: <up to five rows with their values>. Fix: <what to do>.

Rows are named the way the user finds them: ``line N`` of a CSV file (the header is line 1), ``row
N`` of an Excel sheet (as Excel numbers it), ``row N`` (0-based) of a Parquet file, and the index
label of a DataFrame. Problems that do not stop the work (negative units, stores without sales
history) are reported with a :class:`DataQualityWarning` in the same shape.

Examples
--------
>>> import pandas as pd
>>> frame = pd.DataFrame({"units": [1.0, -2.0, 3.0]})
>>> print(describe_rows(frame, frame["units"] < 0, ["units"]))
row 1 (units=-2.0)
>>> negative = frame["units"] < 0
>>> err = data_error("sales.csv", "units", "1 row is negative", "drop it", frame, negative)
>>> str(err)
"sales.csv: column 'units': 1 row is negative: row 1 (units=-2.0). Fix: drop it."
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, command_line, in_words_of, option
from forecasting.inputs.erp_names import suggest_columns

__all__ = [
    "DataQualityWarning",
    "check_known",
    "check_not_after",
    "check_required",
    "check_unique",
    "command_line",
    "data_error",
    "data_warning",
    "describe_rows",
    "in_words_of",
    "missing_column_error",
    "strict_warnings",
]

MAX_ROWS = 5
_ROW_NOUN_ATTR = "row_noun"


class DataQualityWarning(UserWarning):
    """Input data are usable but suspicious (negative units, stores without sales history, ...)."""


@contextlib.contextmanager
def strict_warnings(strict: bool = True) -> Iterator[None]:
    """Within this block (when ``strict``), a :class:`DataQualityWarning` stops the work.

    The warning is raised as a :class:`~forecasting.exceptions.DataValidationError` with the same
    message, so it reaches the user as any other input error.

    Examples
    --------
    >>> with strict_warnings():
    ...     data_warning("stores.csv", "store", "1 store has no sales history", "check it")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: stores.csv: column 'store': 1 store has no sales
    history. Fix: check it. (Strict: warnings are errors.)
    """
    if not strict:
        yield
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        try:
            yield
        except DataQualityWarning as warning:
            raise DataValidationError(f"{warning} (Strict: warnings are errors.)") from None


def _row_noun(frame: pd.DataFrame) -> str:
    return str(frame.attrs.get(_ROW_NOUN_ATTR, "row"))


def _show(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else str(value)
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return "<blank>"
    return repr(value.item() if isinstance(value, np.generic) else value)


def describe_rows(
    frame: pd.DataFrame,
    mask: pd.Series | np.ndarray | Sequence[bool],
    columns: Iterable[str],
    limit: int = MAX_ROWS,
) -> str:
    """Describe up to ``limit`` rows of ``frame`` selected by ``mask``, with values of ``columns``.

    Parameters
    ----------
    frame : DataFrame
        The table; its index labels name the rows (the readers set them to file line numbers) and
        ``frame.attrs["row_noun"]`` says what they are (``"line"`` or ``"row"``).
    mask : boolean array-like
        Which rows are offending.
    columns : iterable of str
        Columns whose values are shown (those missing from ``frame`` are skipped).
    limit : int, default 5
        How many rows to show; the rest are counted.

    Returns
    -------
    str
        For example ``"line 3 (date='2012-13-01'); line 9 (date='x') and 4 more"``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"store": ["a", "b"], "units": [1.0, float("nan")]}, index=[2, 3])
    >>> frame.attrs["row_noun"] = "line"
    >>> describe_rows(frame, frame["units"].isna(), ["store", "units"])
    "line 3 (store='b', units=<blank>)"
    """
    flags = np.asarray(mask, dtype=bool)
    positions = np.flatnonzero(flags)
    cols = [c for c in columns if c in frame.columns]
    noun = _row_noun(frame)
    parts = []
    for pos in positions[:limit]:
        label = frame.index[pos]
        values = ", ".join(f"{c}={_show(frame[c].iat[pos])}" for c in cols)
        parts.append(f"{noun} {label}" + (f" ({values})" if values else ""))
    text = "; ".join(parts)
    if len(positions) > limit:
        text += f" and {len(positions) - limit} more"
    return text


def _compose(
    source: str,
    column: str | None,
    problem: str,
    fix: str,
    frame: pd.DataFrame | None,
    mask: pd.Series | np.ndarray | Sequence[bool] | None,
    show: Iterable[str] | None,
) -> str:
    where = f"{source}: column '{column}': " if column else f"{source}: "
    rows = ""
    if frame is not None and mask is not None:
        cols = list(show) if show is not None else ([column] if column else [])
        rows = describe_rows(frame, mask, cols)
    body = f"{where}{problem}" + (f": {rows}" if rows else "")
    return f"{body}. Fix: {fix.rstrip('.')}."


def data_error(
    source: str,
    column: str | None,
    problem: str,
    fix: str,
    frame: pd.DataFrame | None = None,
    mask: pd.Series | np.ndarray | Sequence[bool] | None = None,
    show: Iterable[str] | None = None,
) -> DataValidationError:
    """Build (not raise) a :class:`DataValidationError` with the standard message.

    Parameters
    ----------
    source : str
        The file name or argument name (``"sales"``, ``"stores.csv"``).
    column : str or None
        The offending column (``None`` for a problem of the whole table).
    problem : str
        What is wrong, e.g. ``"3 rows have dates that cannot be read"``.
    fix : str
        What the user should do.
    frame, mask : optional
        The table and the offending rows; up to five are quoted with their values.
    show : iterable of str, optional
        Columns to quote for each row (default: ``column``).

    Returns
    -------
    DataValidationError

    Examples
    --------
    >>> str(data_error("stores.csv", None, "the file is empty", "export the table again"))
    'stores.csv: the file is empty. Fix: export the table again.'
    """
    return DataValidationError(_compose(source, column, problem, fix, frame, mask, show))


def data_warning(
    source: str,
    column: str | None,
    problem: str,
    fix: str,
    frame: pd.DataFrame | None = None,
    mask: pd.Series | np.ndarray | Sequence[bool] | None = None,
    show: Iterable[str] | None = None,
    stacklevel: int = 3,
) -> None:
    """Issue a :class:`DataQualityWarning` with the same message shape as :func:`data_error`.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     data_warning("sales", "units", "1 row is negative", "check the returns")
    >>> str(caught[0].message)
    "sales: column 'units': 1 row is negative. Fix: check the returns."
    """
    message = _compose(source, column, problem, fix, frame, mask, show)
    warnings.warn(message, DataQualityWarning, stacklevel=stacklevel)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def check_required(
    frame: pd.DataFrame, required: Sequence[str], source: str, table: str = "table"
) -> None:
    """Raise if a required column is missing, listing the columns that are there.

    Examples
    --------
    >>> import pandas as pd
    >>> check_required(pd.DataFrame({"日期": [], "units": []}), ["date", "units"], "s.csv", "sales")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: s.csv: column 'date': required column of the
    sales table is missing (the columns are: '日期', 'units'). Fix: rename the column holding
    it to 'date', or map it: columns={'日期': 'date'} (on the command line: --columns
    '日期=date').
    """
    for name in required:
        if name not in frame.columns:
            raise missing_column_error(
                frame, name, source, f"required column of the {table} table is missing"
            )


def missing_column_error(
    frame: pd.DataFrame,
    column: str,
    source: str,
    problem: str,
    *,
    target: str | None = None,
    rename: str | None = None,
    known: Iterable[str] | None = None,
) -> DataValidationError:
    """The error of a missing column: the columns that are there, and how to map one to it.

    Parameters
    ----------
    frame : DataFrame
        The table as read.
    column : str
        The missing column, as the message names it.
    source : str
        The file (or table) name.
    problem : str
        What is wrong, in words (the columns present are added).
    target : str, optional
        The name the fix maps a column to (default ``column``).
    rename : str, optional
        The first half of the fix (default: rename the column holding it to ``target``).
    known : iterable of str, optional
        Names that are not candidates for the mapping (default: every canonical column name).

    Examples
    --------
    >>> import pandas as pd
    >>> print(missing_column_error(pd.DataFrame({"周": []}), "week", "s.csv", "no weeks"))
    s.csv: column 'week': no weeks (the columns are: '周'). Fix: rename the column holding it
    to 'week', or map it: columns={'周': 'week'} (on the command line: --columns '周=week').

    The column suggested is the one whose name an ERP export gives it, when there is one
    (:func:`~forecasting.inputs.erp_names.suggest_columns`):

    >>> frame = pd.DataFrame({"备注": [], "销售数量": []})
    >>> print(missing_column_error(frame, "units", "s.csv", "no units"))  # doctest: +ELLIPSIS
    s.csv: column 'units': no units (...). Fix: ... columns={'销售数量': 'units'} ...
    """
    target = target or column
    present = [str(c) for c in frame.columns]
    there = ", ".join(repr(c) for c in present[:12]) or "none"
    if len(present) > 12:
        there += f" and {len(present) - 12} more"
    skip = _CANONICAL_ANY if known is None else frozenset(known)
    candidates = [c for c in present if c not in skip]
    likely = suggest_columns(candidates, [target])[target]  # an ERP name for it (销量 for units)
    hint = likely or (candidates[0] if candidates else "<your column>")
    return data_error(
        source,
        column,
        f"{problem} (the columns are: {there})",
        f"{rename or f'rename the column holding it to {target!r}'}, or map it: "
        + in_words_of(
            python=f"columns={{'{hint}': '{target}'}}"
            f" (on the command line: --columns '{hint}={target}')",
            cli=f"--columns '{hint}={target}'",
        ),
    )


_CANONICAL_ANY = frozenset(
    (
        *("date", "units", "store", "sku", "category", "region", "price", "stockout"),
        *("grade", "strategic", "min_units", "max_units", "open_date", "close_date"),
        *("launch_date", "unit_cost", "salvage_value", "forecaster", "horizon_weeks"),
    )
)


def check_unique(
    frame: pd.DataFrame, keys: Sequence[str], source: str, fix: str, column: str | None = None
) -> None:
    """Raise if ``keys`` identify more than one row.

    Examples
    --------
    >>> import pandas as pd
    >>> check_unique(pd.DataFrame({"store": ["a", "a"]}), ["store"], "stores.csv", "keep one")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: stores.csv: column 'store': 2 rows repeat
    the same store: row 0 (store='a'); row 1 (store='a'). Fix: keep one.
    """
    dup = frame.duplicated(list(keys), keep=False)
    if dup.any():
        what = ", ".join(keys)
        raise data_error(
            source,
            column or keys[-1],
            f"{int(dup.sum())} rows repeat the same {what}",
            fix,
            frame,
            dup,
            show=keys,
        )


def check_known(
    values: pd.Series,
    known: Iterable[object],
    source: str,
    column: str,
    against: str,
    *,
    action: str = "raise",
    fix: str | None = None,
    frame: pd.DataFrame | None = None,
) -> None:
    """Raise (``action="raise"``) or warn (``action="warn"``) about values missing from ``known``.

    With ``frame`` (the table ``values`` come from, same row order), up to five offending rows are
    quoted with their values.

    Examples
    --------
    >>> import pandas as pd
    >>> check_known(pd.Series(["P1", "P9"]), ["P1"], "judgments.csv", "sku", "the products")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: judgments.csv: column 'sku': 1 value is
    unknown to the products: 'P9'. Fix: correct the sku or add it to the products.
    """
    known_set = set(known)
    unknown = sorted({v for v in values.dropna().unique() if v not in known_set}, key=str)
    if not unknown:
        return
    shown = ", ".join(repr(v) for v in unknown[:MAX_ROWS])
    if len(unknown) > MAX_ROWS:
        shown += f" and {len(unknown) - MAX_ROWS} more"
    verb = "is" if len(unknown) == 1 else "are"
    problem = f"{plural(len(unknown), 'value')} {verb} unknown to {against}"
    problem += f" ({shown})" if frame is not None else f": {shown}"
    fix = fix or f"correct the {column} or add it to {against}"
    mask = None
    if frame is not None:
        mask = ~values.isin(known_set).to_numpy() & values.notna().to_numpy()
    message = _compose(source, column, problem, fix, frame, mask, None)
    if action == "warn":
        warnings.warn(message, DataQualityWarning, 3)
    else:
        raise DataValidationError(message)


def check_not_after(
    frame: pd.DataFrame, column: str, as_of: object, source: str, show: Iterable[str] | None = None
) -> None:
    """Raise if a date in ``frame[column]`` lies after ``as_of`` (sales cannot be from the future).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2012-01-01", "2030-01-01"])})
    >>> check_not_after(frame, "date", "2012-06-30", "sales.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales.csv: column 'date': 1 row is dated after
    2012-06-30 (as_of): row 1 (date=2030-01-01). Fix: check the dates (a typo in the year?), or
    pass a later as_of.
    """
    limit = pd.Timestamp(as_of)  # type: ignore[arg-type]
    late = (frame[column] > limit).to_numpy()
    if late.any():
        raise data_error(
            source,
            column,
            f"{plural(int(late.sum()), 'row')} {'is' if late.sum() == 1 else 'are'} dated after "
            f"{limit:%Y-%m-%d} ({option('as_of')})",
            f"check the dates (a typo in the year?), or pass a later {option('as_of')}",
            frame,
            late,
            show,
        )
