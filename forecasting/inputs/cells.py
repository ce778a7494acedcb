"""Typed columns from spreadsheet cells: dates, numbers and yes/no flags, with clear errors.

Each parser takes the raw table (its index numbers rows as the user sees them, see
:func:`forecasting.inputs.tables.read_table`) and a column, and returns a typed Series or raises
:class:`~forecasting.exceptions.DataValidationError` naming the file, the column and up to five
offending rows with their values. :mod:`forecasting.inputs.tables` re-exports them.

Ambiguous cells are an error that asks, never a guess:

- **Dates** are read as the calendar date written. ``2012-03-05`` (and ``2012/3/5``, ``2012.3.5``,
  ``2012年3月5日``, ``20120305``, ``5 Mar 2012``) are unambiguous. In ``05/01/2011`` the order of
  day and month is settled by the column itself: a first field above 12 somewhere (``13/01/2011``)
  makes the whole column day-first, a second field above 12 month-first; when no cell settles it,
  and no ``date_order`` (``"DMY"``, ``"MDY"`` or ``"YMD"``) is given, the column is an error. A
  time of day and a time-zone offset are dropped: ``2011-01-02T23:00:00-05:00`` is 2 January 2011,
  the wall-clock date written (tz-aware datetime columns likewise keep their local date), because
  a planner's sales day is the store's own day. Years outside :data:`YEAR_RANGE` (1900-2100) are
  an error (``0211-01-02`` is a typo). Two-digit years are 1969-2068 (as ``%y`` reads them).
- **Numbers**: ``1,234`` groups thousands and ``1,234.5`` is 1234.5. A comma that cannot group
  thousands (``10,5``, ``1.234,5``) is a decimal comma: an error unless ``decimal=","`` is given
  (then dots may only group thousands). In a ``;``-separated file ``1,234`` could be either, and is
  an error unless the column also holds a decimal point (``3.5``) or ``decimal`` is given. Every
  number must be finite and at most :data:`MAX_ABS` (1e9) in absolute value: no row sells a
  billion units or costs a billion, so a larger value is a typo or a code in a number column.

Examples
--------
>>> import pandas as pd
>>> finite_numbers(pd.DataFrame({"units": ["1,200", "3"]}), "units", "sales").tolist()
[1200.0, 3.0]
>>> dates = pd.DataFrame({"date": ["05/01/2011", "13/01/2011"]})
>>> parse_dates(dates, "date", "sales").dt.strftime("%Y-%m-%d").tolist()
['2011-01-05', '2011-01-13']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.dtypes import TEXT
from forecasting.inputs.validation import data_error, in_words_of, plural

__all__ = [
    "DATE_ORDERS",
    "MAX_ABS",
    "YEAR_RANGE",
    "check_date_order",
    "check_decimal",
    "finite_numbers",
    "parse_bools",
    "parse_dates",
]

MAX_ABS = 1e9
"""The largest absolute value of a number cell (units, prices, costs, minimums, caps)."""

YEAR_RANGE = (1900, 2100)
"""The years a date may have (inclusive)."""

DATE_ORDERS = ("DMY", "MDY", "YMD")
"""The orders of ``date_order``: day-month-year, month-day-year, year-month-day."""

_ORDER_WORDS = {
    "DMY": "day first (DD/MM/YYYY)",
    "MDY": "month first (MM/DD/YYYY)",
    "YMD": "year first (YY/MM/DD)",
}


def _be(mask: pd.Series | np.ndarray) -> str:
    return "is" if int(np.sum(mask)) == 1 else "are"


def _have(mask: pd.Series | np.ndarray) -> str:
    return "has" if int(np.sum(mask)) == 1 else "have"


def check_date_order(date_order: str | None) -> str | None:
    """Return ``date_order`` in capitals, or raise if it is not one of :data:`DATE_ORDERS`.

    Examples
    --------
    >>> check_date_order("dmy"), check_date_order(None)
    ('DMY', None)
    """
    if date_order is None:
        return None
    order = str(date_order).strip().upper()
    if order not in DATE_ORDERS:
        option = in_words_of(python="date_order", cli="--date-order")
        raise DataValidationError(
            f"{option}: {date_order!r} is not an order of day, month and year. Fix: use "
            + in_words_of(
                python="date_order='DMY' (05/01/2011 = 5 January), 'MDY' (= May 1) or 'YMD'",
                cli="--date-order DMY (05/01/2011 = 5 January), MDY (= May 1) or YMD",
            )
            + "."
        )
    return order


def check_decimal(decimal: str | None) -> str | None:
    """Return ``decimal`` if it is ``"."`` or ``","`` (or None), else raise.

    Examples
    --------
    >>> check_decimal(","), check_decimal(None)
    (',', None)
    """
    if decimal is None or decimal in {".", ","}:
        return decimal
    option = in_words_of(python="decimal", cli="--decimal")
    raise DataValidationError(
        f"{option}: {decimal!r} is not a decimal mark. Fix: use "
        + in_words_of(python="decimal=',' or decimal='.'", cli="--decimal , or --decimal .")
        + "."
    )


# ---------------------------------------------------------------------------------------- dates

_TIME = (
    r"(?:(?:T|\s+)\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?\s*(?:[AaPp]\.?[Mm]\.?)?"
    r"\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?"
)
_YEAR_FIRST = re.compile(rf"(\d{{3,6}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_DAY_MONTH = re.compile(rf"(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{2,5}}){_TIME}")
_CJK = re.compile(rf"(\d{{2,6}})\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*[日号]?{_TIME}")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YEAR_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?")
_MONTH_YEAR = re.compile(r"(\d{1,2})[-/.](\d{4})")
_MONTH_NAME = re.compile(
    r"(?i)(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?![a-z])"
)

_BAD, _YMD, _DM, _NAMED = 0, 1, 2, 3


def _pivot(year: int, digits: int) -> int:
    """A two-digit year as ``%y`` reads it (69-99: 1900s, 00-68: 2000s)."""
    if digits > 2:
        return year
    return year + (1900 if year >= 69 else 2000)


def _split_dates(uniques: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Classify each distinct text and pull out its fields.

    Returns ``kind`` (``_BAD``, ``_YMD``: fields are year, month, day; ``_DM``: fields are the
    first, second and last number of ``05/01/2011`` with two more columns: digits of the first and
    of the last; ``_NAMED``: a month written as a word) and the fields (n x 5 integers).
    """
    n = len(uniques)
    kind = np.zeros(n, dtype=np.int8)
    fields = np.zeros((n, 5), dtype=np.int64)
    for i, text in enumerate(uniques):
        if m := _YEAR_FIRST.fullmatch(text):
            kind[i], fields[i, :3] = _YMD, (int(m[1]), int(m[3]), int(m[4]))
        elif m := _DAY_MONTH.fullmatch(text):
            kind[i] = _DM
            fields[i] = (int(m[1]), int(m[3]), int(m[4]), len(m[1]), len(m[4]))
        elif m := _CJK.fullmatch(text):
            year = _pivot(int(m[1]), len(m[1]))
            kind[i], fields[i, :3] = _YMD, (year, int(m[2]), int(m[3]))
        elif m := _COMPACT.fullmatch(text):
            kind[i], fields[i, :3] = _YMD, (int(m[1]), int(m[2]), int(m[3]))
        elif m := _YEAR_MONTH.fullmatch(text):
            kind[i], fields[i, :3] = _YMD, (int(m[1]), int(m[2]), 1)
        elif m := _MONTH_YEAR.fullmatch(text):
            kind[i], fields[i, :3] = _YMD, (int(m[2]), int(m[1]), 1)
        elif _MONTH_NAME.search(text):
            kind[i] = _NAMED
    return kind, fields


def _assemble(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Dates from fields (NaT where there is no such day, e.g. 31 February)."""
    if len(year) == 0:
        return np.array([], dtype="datetime64[ns]")
    parts = pd.DataFrame({"year": year, "month": month, "day": day})
    return pd.to_datetime(parts, errors="coerce").to_numpy(dtype="datetime64[ns]")


def _named_dates(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Dates written with a month name (``5 Mar 2012``): wall-clock date, year (0 if unread)."""
    out = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[ns]")
    years = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        try:
            stamp = pd.Timestamp(text)
        except (ValueError, OverflowError):
            continue
        if stamp is pd.NaT:
            continue
        years[i] = stamp.year
        if YEAR_RANGE[0] <= stamp.year <= YEAR_RANGE[1]:
            out[i] = stamp.tz_localize(None).normalize().to_datetime64()
    return out, years


def _rows_of(flags_u: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Row mask from a mask of distinct values (``codes``: each row's distinct value, -1 blank)."""
    rows = np.zeros(len(codes), dtype=bool)
    seen = codes >= 0
    rows[seen] = flags_u[codes[seen]]
    return rows


def _order_of(
    kind: np.ndarray,
    fields: np.ndarray,
    codes: np.ndarray,
    frame: pd.DataFrame,
    column: str,
    source: str,
) -> tuple[str | None, str]:
    """The day/month order settled by the column (or None when no cell needs one)."""
    dm = kind == _DM
    first, second = fields[:, 0], fields[:, 1]
    day_first = dm & (first > 12) & (second <= 12)
    month_first = dm & (second > 12) & (first <= 12)
    if day_first.any() and month_first.any():
        raise data_error(
            source,
            column,
            "the dates are written in both orders, day first (13/01/2011) and month first "
            "(01/13/2011)",
            "write every date in one order, best as YYYY-MM-DD (e.g. 2011-01-13)",
            frame,
            _rows_of(day_first | month_first, codes),
        )
    for order, evidence in (("DMY", day_first), ("MDY", month_first)):
        if evidence.any():
            rows = _rows_of(evidence, codes)
            row = frame.index[int(np.argmax(rows))]
            noun = frame.attrs.get("row_noun", "row")
            return order, f"settled by {noun} {row} ({frame[column].iloc[int(np.argmax(rows))]!r})"
    ambiguous = dm & (first != second)
    if ambiguous.any():
        raise data_error(
            source,
            column,
            f"{plural(int(_rows_of(ambiguous, codes).sum()), 'date')} could be day/month or "
            "month/day (no day in the column is above 12 to tell)",
            "say the order: "
            + in_words_of(
                python="date_order='DMY' (05/01/2011 = 5 January) or date_order='MDY' (= May 1)",
                cli="--date-order DMY (05/01/2011 = 5 January) or --date-order MDY (= May 1)",
            )
            + ", or write dates as YYYY-MM-DD",
            frame,
            _rows_of(ambiguous, codes),
        )
    return None, ""


def _text_dates(
    frame: pd.DataFrame, column: str, source: str, text: pd.Series, order: str | None
) -> tuple[np.ndarray, np.ndarray, str]:
    """Parse text dates: (datetime64 values, year out of range per row, the order's note)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    values = [str(u) for u in uniques]
    kind, fields = _split_dates(values)
    note = ""
    if order is None:
        order, note = _order_of(kind, fields, codes, frame, column, source)
    else:
        note = "as date_order says"
    year, month, day = fields[:, 0].copy(), fields[:, 1].copy(), fields[:, 2].copy()
    dm = kind == _DM
    if dm.any():
        a, b, c = fields[dm, 0], fields[dm, 1], fields[dm, 2]
        last = np.array([_pivot(int(v), int(d)) for v, d in zip(c, fields[dm, 4], strict=True)])
        if order == "YMD":
            head = np.array([_pivot(int(v), int(d)) for v, d in zip(a, fields[dm, 3], strict=True)])
            year[dm], month[dm], day[dm] = head, b, c
        elif order == "MDY":
            year[dm], month[dm], day[dm] = last, a, b
        else:  # DMY, or every cell reads the same both ways (05/05/2011)
            year[dm], month[dm], day[dm] = last, b, a
    parsed = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[ns]")
    out_of_range = np.zeros(len(values), dtype=bool)
    numeric = (kind == _YMD) | dm
    out_of_range[numeric] = (year[numeric] < YEAR_RANGE[0]) | (year[numeric] > YEAR_RANGE[1])
    good = numeric & ~out_of_range
    parsed[good] = _assemble(year[good], month[good], day[good])
    named = kind == _NAMED
    if named.any():
        parsed[named], years = _named_dates([v for v, k in zip(values, named, strict=True) if k])
        read = years > 0
        out_of_range[named] = read & ((years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1]))
        parsed[np.flatnonzero(named)[out_of_range[named]]] = np.datetime64("NaT")
    rows = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    seen = codes >= 0
    rows[seen] = parsed[codes[seen]]
    words = f"{_ORDER_WORDS[order]}, {note}" if order is not None and dm.any() else ""
    return rows, _rows_of(out_of_range, codes), words


def parse_dates(
    frame: pd.DataFrame,
    column: str,
    source: str,
    *,
    allow_blank: bool = False,
    date_order: str | None = None,
) -> pd.Series:
    """Parse ``frame[column]`` to ``datetime64[ns]`` (midnight); raise on values that are not dates.

    Accepts datetimes (a time-zone-aware one keeps its own wall-clock date), ISO text
    (``2012-03-05``, with or without a time and offset), ``2012/3/5``, ``2012年3月5日``, ``5 Mar
    2012``, integers ``20120305``, and ``05/01/2011`` when the column settles the order of day and
    month or ``date_order`` gives it (see the module notes). Years must lie in :data:`YEAR_RANGE`.

    Parameters
    ----------
    frame : DataFrame
        The raw table (``frame.attrs["date_order"]`` is used when ``date_order`` is None).
    column, source : str
        The column to parse; the file name for messages.
    allow_blank : bool, default False
        Blank cells become NaT instead of an error.
    date_order : {"DMY", "MDY", "YMD"}, optional
        The order of ``05/01/2011``-style dates; inferred from the column when omitted.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"date": ["2012-03-05", "2012/3/6", "2012年3月7日"]})
    >>> parse_dates(frame, "date", "sales").dt.day.tolist()
    [5, 6, 7]
    >>> us = pd.DataFrame({"date": ["01/13/2011", "02/01/2011"]})  # 13 settles it: month first
    >>> parse_dates(us, "date", "sales").dt.strftime("%Y-%m-%d").tolist()
    ['2011-01-13', '2011-02-01']
    >>> parse_dates(pd.DataFrame({"date": ["05/01/2011"]}), "date", "s.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: s.csv: column 'date': 1 date could be day/month
    or month/day (no day in the column is above 12 to tell): row 0 (date='05/01/2011'). Fix:
    say the order: date_order='DMY' (05/01/2011 = 5 January) or date_order='MDY' (= May 1), or
    write dates as YYYY-MM-DD.
    """
    order = check_date_order(
        date_order if date_order is not None else frame.attrs.get("date_order")
    )
    raw = frame[column]
    words = ""
    parsed: pd.Series
    if pd.api.types.is_datetime64_any_dtype(raw):
        local = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) is not None else raw
        is_blank = raw.isna().to_numpy()
        years = local.dt.year.to_numpy(dtype="float64", na_value=np.nan)
        out_of_range = (years < YEAR_RANGE[0]) | (years > YEAR_RANGE[1])
        values = np.where(out_of_range, np.datetime64("NaT"), local.to_numpy())
        parsed = pd.Series(pd.to_datetime(values), index=raw.index)
    elif pd.api.types.is_integer_dtype(raw) or (
        pd.api.types.is_float_dtype(raw) and bool(((raw.dropna() % 1) == 0).all())
    ):
        is_blank = raw.isna().to_numpy()
        number = pd.to_numeric(raw).to_numpy(dtype="float64", na_value=np.nan)
        year = np.floor(number / 10000)
        out_of_range = (number >= 1e7) & (number < 1e8) & ((year < 1900) | (year > 2100))
        text = pd.Series(raw.astype("Int64").astype(TEXT), index=raw.index)
        parsed = pd.to_datetime(text.where(~out_of_range), format="%Y%m%d", errors="coerce")
    else:
        text = raw.astype(TEXT).str.strip().where(raw.notna(), "")
        is_blank = (text == "").to_numpy()
        values, out_of_range, words = _text_dates(
            frame, column, source, text.where(~is_blank), order
        )
        parsed = pd.Series(values, index=raw.index)
    parsed = pd.Series(pd.to_datetime(parsed), index=raw.index).astype("datetime64[ns]")
    if out_of_range.any():
        raise data_error(
            source,
            column,
            f"{plural(int(out_of_range.sum()), 'date')} {_have(out_of_range)} a year outside "
            f"{YEAR_RANGE[0]}-{YEAR_RANGE[1]} (a typo in the year?)",
            f"correct the year (dates from {YEAR_RANGE[0]} to {YEAR_RANGE[1]} are read)",
            frame,
            out_of_range,
        )
    bad = (parsed.isna().to_numpy() & ~is_blank) & ~out_of_range
    if bad.any():
        raise data_error(
            source,
            column,
            f"{plural(int(bad.sum()), 'value')} cannot be read as a date"
            + (f" (the column is read {words})" if words else ""),
            "write dates as YYYY-MM-DD (e.g. 2012-03-05)",
            frame,
            bad,
        )
    if not allow_blank and is_blank.any():
        raise data_error(
            source,
            column,
            f"{plural(int(is_blank.sum()), 'row')} {_have(is_blank)} no date",
            "fill in the date or delete those rows",
            frame,
            is_blank,
        )
    return parsed.dt.normalize()


# -------------------------------------------------------------------------------------- numbers

_GROUPED = r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?"  # 1,234 and 1,234,567.5: commas group thousands
_ONE_GROUP = r"[+-]?\d{1,3},\d{3}"  # 1,234: thousands, or a decimal comma?
_DECIMAL_COMMA = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*),\d+"  # 10,5 and 1.234,5
_DOT_GROUPED = r"[+-]?\d{1,3}(?:\.\d{3})*(?:,\d*)?|[+-]?\d+(?:,\d*)?"  # with decimal=","
_POINT_DECIMAL = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+"  # 3.5, 1,234.5 (not a lone 1.234)
_AMBIGUOUS_DOT = r"[+-]?\d{1,3}\.\d{3}"


def _decimal_fix() -> str:
    return in_words_of(python="decimal=','", cli="--decimal ,")


def _number_text(
    text: pd.Series,
    frame: pd.DataFrame,
    column: str,
    source: str,
    decimal: str | None,
    fix: str | None,
) -> pd.Series:
    """Text cells to plain ``1234.5`` form, raising on decimal commas nobody declared."""
    has_comma = text.str.contains(",", regex=False, na=False).to_numpy()
    if decimal == ",":
        has_dot = text.str.contains(".", regex=False, na=False).to_numpy()
        odd = has_dot & ~text.str.fullmatch(_DOT_GROUPED, na=False).to_numpy()
        if odd.any():
            raise data_error(
                source,
                column,
                f"{plural(int(odd.sum()), 'value')} {_have(odd)} a decimal point although "
                f"{_decimal_fix()} says the comma is the "
                "decimal mark",
                "write those with a decimal comma (10,5), or leave out the decimal option if the "
                "file uses decimal points",
                frame,
                odd,
            )
        return text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    if not has_comma.any():
        return text
    grouped = has_comma & text.str.fullmatch(_GROUPED, na=False).to_numpy()
    if decimal is None:
        comma = has_comma & ~grouped & text.str.fullmatch(_DECIMAL_COMMA, na=False).to_numpy()
        if comma.any():
            raise data_error(
                source,
                column,
                f"{plural(int(comma.sum()), 'value')} {_be(comma)} written with a decimal comma "
                "(10,5 for 10.5)",
                f"pass {_decimal_fix()} (the comma is the decimal mark), or write decimals with "
                "a point (10.5)",
                frame,
                comma,
            )
        if frame.attrs.get("separator") == ";":
            one = grouped & text.str.fullmatch(_ONE_GROUP, na=False).to_numpy()
            points = text.str.fullmatch(_POINT_DECIMAL, na=False).to_numpy() & ~(
                text.str.fullmatch(_AMBIGUOUS_DOT, na=False).to_numpy()
            )
            if one.any() and not points.any():
                raise data_error(
                    source,
                    column,
                    f"{plural(int(one.sum()), 'value')} could be thousands (1,234 = 1234) or "
                    "a decimal comma (1,234 = 1.234): the file is separated by ';', as files "
                    "with decimal commas are",
                    "say which: "
                    + in_words_of(
                        python="decimal=',' (the comma is the decimal mark) or decimal='.' "
                        "(the comma groups thousands)",
                        cli="--decimal , (the comma is the decimal mark) or --decimal . "
                        "(the comma groups thousands)",
                    ),
                    frame,
                    one,
                )
    elif not grouped[has_comma].all():
        stray = has_comma & ~grouped
        raise data_error(
            source,
            column,
            f"{plural(int(stray.sum()), 'value')} {_have(stray)} a comma that does not group "
            "thousands (decimal='.' was given)",
            f"write decimals with a point (10.5), or pass {_decimal_fix()} if the comma is the "
            "decimal mark",
            frame,
            stray,
        )
    return text.where(~grouped, text.str.replace(",", "", regex=False))


def _overflow(text: object) -> float:
    """A number too large for a double as infinity (``1e400``); anything else NaN."""
    try:
        value = float(str(text))
    except ValueError:
        return float("nan")
    return value if np.isinf(value) else float("nan")


def finite_numbers(
    frame: pd.DataFrame,
    column: str,
    source: str,
    *,
    allow_blank: bool = False,
    minimum: float | None = None,
    fix: str | None = None,
    decimal: str | None = None,
    bound: float = MAX_ABS,
) -> pd.Series:
    """Parse ``frame[column]`` to float64; raise on text, blanks, infinities, out-of-bound values.

    Thousands separators (``1,234``) and surrounding spaces are accepted; decimal commas need
    ``decimal=","`` (see the module notes).

    Parameters
    ----------
    frame : DataFrame
        The raw table (its ``attrs["decimal"]`` is used when ``decimal`` is None, and its
        ``attrs["separator"]`` tells a ``;``-separated file).
    column, source : str
        The column to parse; the file name for messages.
    allow_blank : bool, default False
        Blank cells become NaN instead of an error.
    minimum : float, optional
        Raise on values below it.
    fix : str, optional
        The fix to print instead of the default ones.
    decimal : {".", ","}, optional
        The decimal mark of text cells; inferred when omitted.
    bound : float, default MAX_ABS (1e9)
        Raise on values whose absolute value exceeds it.

    Examples
    --------
    >>> import pandas as pd
    >>> finite_numbers(pd.DataFrame({"units": ["1,200", " 3 ", "4.5"]}), "units", "sales").tolist()
    [1200.0, 3.0, 4.5]
    >>> finite_numbers(pd.DataFrame({"units": ["10,5"]}), "units", "s", decimal=",").tolist()
    [10.5]
    >>> finite_numbers(pd.DataFrame({"units": ["3", "many"]}), "units", "sales.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales.csv: column 'units': 1 value is not a
    number: row 1 (units='many'). Fix: write plain numbers (digits, optional decimal point);
    use 0 for no sales.
    >>> finite_numbers(pd.DataFrame({"units": [1e300]}), "units", "sales.csv")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales.csv: column 'units': 1 value is beyond
    ±1e+09, the largest number launchcast reads: row 0 (units=1e+300). Fix: correct these cells
    (a typo, or a code in a number column?); numbers must lie within ±1,000,000,000.
    """
    mark = check_decimal(decimal if decimal is not None else frame.attrs.get("decimal"))
    raw = frame[column]
    if pd.api.types.is_bool_dtype(raw):
        values = raw.astype("float64")
    elif pd.api.types.is_numeric_dtype(raw):
        values = pd.to_numeric(raw, errors="coerce").astype("float64")
    else:
        text = raw.astype(TEXT).str.strip()
        text = text.where(raw.notna() & (text != ""))
        plain = _number_text(text, frame, column, source, mark, fix)
        values = pd.to_numeric(plain, errors="coerce").astype("float64")
        unread = values.isna() & plain.notna()
        if unread.any():  # pandas < 3 reads an overflowing 1e400 as NaN, not as infinity
            values[unread] = pd.to_numeric(plain[unread].map(_overflow), errors="coerce")
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
            f"{plural(int(blank.sum()), 'row')} {_be(blank)} blank (NaN)",
            fix or "fill in a number (0 if nothing was sold) or delete those rows",
            frame,
            blank,
        )
    inf = np.isinf(arr)
    if inf.any():
        raise data_error(
            source,
            column,
            f"{plural(int(inf.sum()), 'value')} {_be(inf)} infinite",
            fix or "replace the infinite values with the real quantities",
            frame,
            inf,
        )
    huge = np.abs(np.where(blank, 0.0, arr)) > bound
    if huge.any():
        raise data_error(
            source,
            column,
            f"{plural(int(huge.sum()), 'value')} {_be(huge)} beyond ±{bound:g}, the largest "
            "number launchcast reads",
            "correct these cells (a typo, or a code in a number column?); numbers must lie "
            f"within ±{bound:,.0f}",
            frame,
            huge,
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


# ---------------------------------------------------------------------------------------- flags

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
    text = raw.astype(TEXT).str.strip().str.lower().where(raw.notna(), "")
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
