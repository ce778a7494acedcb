"""Typed columns from spreadsheet cells: dates, numbers and yes/no flags, with clear errors.

Each parser takes the raw table (its index numbers rows as the user sees them, see
:func:`forecasting.inputs.tables.read_table`) and a column, and returns a typed Series or raises
:class:`~forecasting.exceptions.DataValidationError` naming the file, the column and up to five
offending rows with their values. :mod:`forecasting.inputs.tables` re-exports them.

Examples
--------
>>> import pandas as pd
>>> finite_numbers(pd.DataFrame({"units": ["1,200", "3"]}), "units", "sales").tolist()
[1200.0, 3.0]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from forecasting.inputs.validation import data_error, plural

__all__ = ["finite_numbers", "parse_bools", "parse_dates"]


def _be(mask: pd.Series | np.ndarray) -> str:
    return "is" if int(np.sum(mask)) == 1 else "are"


def parse_dates(
    frame: pd.DataFrame, column: str, source: str, *, allow_blank: bool = False
) -> pd.Series:
    """Parse ``frame[column]`` to ``datetime64[ns]`` (midnight); raise on values that are not dates.

    Accepts datetimes, ISO text (``2012-03-05``), ``2012/3/5``, ``2012年3月5日`` and integers
    ``20120305``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"date": ["2012-03-05", "2012/3/6", "2012年3月7日"]})
    >>> parse_dates(frame, "date", "sales").dt.day.tolist()
    [5, 6, 7]
    """
    raw = frame[column]
    if pd.api.types.is_datetime64_any_dtype(raw):
        parsed = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        is_blank = raw.isna()
    elif pd.api.types.is_integer_dtype(raw) or (
        pd.api.types.is_float_dtype(raw) and bool(((raw.dropna() % 1) == 0).all())
    ):
        parsed = pd.to_datetime(raw.astype("Int64").astype("str"), format="%Y%m%d", errors="coerce")
        is_blank = raw.isna()
    else:
        text = raw.astype("str").str.strip().where(raw.notna(), "")
        is_blank = text == ""
        parsed = pd.to_datetime(text.where(~is_blank), format="ISO8601", errors="coerce")
        retry = parsed.isna() & ~is_blank
        if retry.any():  # 2012/3/5, 2012年3月5日, 5 Mar 2012 ...: slower, only for those rows
            again = text[retry].str.replace(r"(\d)\s*[年月]\s*", r"\1-", regex=True)
            again = again.str.replace("日", "", regex=False)
            parsed = parsed.copy()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                parsed[retry] = pd.to_datetime(again, format="mixed", errors="coerce")
    parsed = pd.to_datetime(parsed).astype("datetime64[ns]")
    blank = None if allow_blank else is_blank
    bad = parsed.isna() & ~is_blank
    if bad.any():
        raise data_error(
            source,
            column,
            f"{plural(int(bad.sum()), 'value')} cannot be read as a date",
            "write dates as YYYY-MM-DD (e.g. 2012-03-05)",
            frame,
            bad,
        )
    if blank is not None and blank.any():
        raise data_error(
            source,
            column,
            f"{plural(int(blank.sum()), 'row')} {'has' if blank.sum() == 1 else 'have'} no date",
            "fill in the date or delete those rows",
            frame,
            blank,
        )
    return parsed.dt.normalize()


def finite_numbers(
    frame: pd.DataFrame,
    column: str,
    source: str,
    *,
    allow_blank: bool = False,
    minimum: float | None = None,
    fix: str | None = None,
) -> pd.Series:
    """Parse ``frame[column]`` to float64; raise on text, blanks, infinities, values < ``minimum``.

    Thousands separators (``1,234``) and surrounding spaces are accepted.

    Examples
    --------
    >>> import pandas as pd
    >>> finite_numbers(pd.DataFrame({"units": ["1,200", " 3 ", "4.5"]}), "units", "sales").tolist()
    [1200.0, 3.0, 4.5]
    >>> finite_numbers(pd.DataFrame({"units": ["3", "many"]}), "units", "sales.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales.csv: column 'units': 1 value is not a
    number: row 1 (units='many'). Fix: write plain numbers (digits, optional decimal point);
    use 0 for no sales.
    """
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
    elif pd.api.types.is_numeric_dtype(raw):
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
    else:
        text = raw.astype("str").str.strip().str.replace(",", "", regex=False)
        text = text.where(raw.notna() & (text != ""))
        values = pd.to_numeric(text, errors="coerce").astype("float64")
        bad = values.isna() & text.notna()
        if bad.any():
            raise data_error(
                source,
                column,
                f"{plural(int(bad.sum()), 'value')} {_be(bad)} not a number",
                fix or "write plain numbers (digits, optional decimal point); use 0 for no sales",
                frame,
                bad,
            )
    arr = values.to_numpy()
    blank = np.isnan(arr)
    if not allow_blank and blank.any():
        raise data_error(
            source,
            column,
            f"{plural(int(blank.sum()), 'row')} {'is' if blank.sum() == 1 else 'are'} blank (NaN)",
            fix or "fill in a number (0 if nothing was sold) or delete those rows",
            frame,
            blank,
        )
    inf = np.isinf(arr)
    if inf.any():
        raise data_error(
            source,
            column,
            f"{plural(int(inf.sum()), 'value')} {'is' if inf.sum() == 1 else 'are'} infinite",
            fix or "replace the infinite values with the real quantities",
            frame,
            inf,
        )
    if minimum is not None:
        low = arr < minimum
        if low.any():
            raise data_error(
                source,
                column,
                f"{plural(int(low.sum()), 'value')} {_be(low)} below {minimum:g}",
                fix or f"use values of at least {minimum:g}",
                frame,
                low,
            )
    return values


_TRUE = {"true", "t", "yes", "y", "1", "1.0", "是", "真", "对", "x", "✓"}
_FALSE = {"false", "f", "no", "n", "0", "0.0", "否", "假", "", "nan", "none"}


def parse_bools(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    """Parse a yes/no column (``True``/``False``, ``1``/``0``, ``yes``/``no``, 是/否) to bool.

    Blank cells are False.

    Examples
    --------
    >>> import pandas as pd
    >>> flags = pd.DataFrame({"strategic": ["是", "否", None, "TRUE"]})
    >>> parse_bools(flags, "strategic", "s").tolist()
    [True, False, False, True]
    """
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw) and not raw.isna().any():
        return raw.astype(bool)
    text = raw.astype("str").str.strip().str.lower().where(raw.notna(), "")
    is_true, is_false = text.isin(_TRUE), text.isin(_FALSE)
    bad = ~(is_true | is_false)
    if bad.any():
        raise data_error(
            source,
            column,
            f"{plural(int(bad.sum()), 'value')} {'is' if bad.sum() == 1 else 'are'} not yes/no",
            "write True/False (or 1/0, yes/no, 是/否)",
            frame,
            bad,
        )
    return is_true.astype(bool)
