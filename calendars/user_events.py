"""The user's own dated events (local holidays, promotions, store events), read and checked.

:func:`user_events` turns a table of the user's events (a DataFrame, or a CSV or Excel file) into
the canonical form of :func:`calendars.events` (:data:`calendars.EVENT_COLUMNS`), so the adapters
and the forecasting model treat them exactly like the built-in events. A bad table raises one
:class:`~calendars.CalendarError` (a ValueError) of one line that names the file, the column, up to
five rows with their values, and the fix.

The table
---------
=================  ========  =====================================================================
column             required  meaning
=================  ========  =====================================================================
``date``           yes       the event's day: a date, or text written year first (``2025-03-01``,
                             ``2025/3/1``); day/month order is never guessed
``event``          yes       its name ("Spring sale", "Store anniversary"); the rows of one name
                             are one event, i.e. one effect learnt from all its dates
``kind``           no        a label of your own ("promotion", "local holiday"); default "user"
``lower_window``   no        days before ``date`` that the event spans (an integer <= 0,
                             default 0), e.g. -3 for a three-day pre-sale
``upper_window``   no        days after ``date`` (an integer >= 0, default 0)
``name_zh``        no        Chinese label (default: the event's name)
``pinyin``         no        romanised label (default: empty)
=================  ========  =====================================================================

Header names are matched ignoring case and surrounding spaces; other columns are allowed and
ignored; empty window cells count as 0; exact duplicate rows are kept once.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({"date": ["2025-03-01", "2025-06-07"], "event": "Spring sale",
...                       "lower_window": [-2, -2]})
>>> user_events(table)[["date", "event", "kind", "lower_window", "upper_window"]].values.tolist()
[[Timestamp('2025-03-01 00:00:00'), 'Spring sale', 'user', -2, 0], [Timestamp('2025-06-07 00:00:00'), 'Spring sale', 'user', -2, 0]]
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from calendars._common import MAX_YEAR, MIN_YEAR
from calendars.events import EVENT_COLUMNS
from calendars.exceptions import CalendarError

__all__ = ["MAX_EVENT_WINDOW", "USER_KIND", "user_events"]

#: The ``kind`` of a user event whose table gives none.
USER_KIND = "user"
#: The widest window, in days on either side, that a user event may have (a longer one is almost
#: always a typo; model a season with the yearly seasonality, not an event).
MAX_EVENT_WINDOW = 366

_CSV = (".csv", ".txt", ".tsv")
_EXCEL = (".xlsx", ".xlsm", ".xls")
_MAX_SHOWN = 5


class _Where:
    """How the messages name the table and its rows (file lines, or the DataFrame's index)."""

    def __init__(self, name: str, index: pd.Index, in_file: bool, unit: str = "line") -> None:
        self.name = name
        self.index = index
        self.in_file = in_file
        self.unit = unit  # "line" of a CSV file, "row" of a spreadsheet

    def rows(self, positions: Sequence[int], values: Sequence[object]) -> str:
        shown = []
        for pos, value in list(zip(positions, values, strict=True))[:_MAX_SHOWN]:
            key = self.index[pos]
            key = key.item() if isinstance(key, np.generic) else key
            label = f"{self.unit} {pos + 2}" if self.in_file else f"row {key!r}"
            shown.append(f"{label} {value!r}")
        more = f" and {len(positions) - _MAX_SHOWN} more" if len(positions) > _MAX_SHOWN else ""
        return ", ".join(shown) + more

    def error(
        self,
        column: str,
        problem: str,
        positions: Sequence[int],
        values: Sequence[object],
        fix: str,
    ) -> CalendarError:
        count = len(positions)
        return CalendarError(
            f"{self.name}, column {column!r}: {count} {problem} "
            f"({self.rows(positions, values)}); {fix}"
        )


def _read(path: Path, encoding: str) -> pd.DataFrame:
    name = f"events file {str(path)!r}"
    if not path.is_file():
        raise CalendarError(f"{name}: no such file; pass the path of a CSV or Excel file")
    suffix = path.suffix.lower()
    try:
        if suffix in _CSV:
            sep = "\t" if suffix == ".tsv" else ","
            return pd.read_csv(path, sep=sep, dtype=str, encoding=encoding, skipinitialspace=True)
        if suffix in _EXCEL:
            return pd.read_excel(path)
    except UnicodeDecodeError:
        raise CalendarError(
            f"{name}: cannot be read as {encoding} text; save it as UTF-8 CSV, or pass "
            "encoding='gb18030' (or the file's encoding)"
        ) from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CalendarError(f"{name}: cannot be read ({first})") from None
    raise CalendarError(
        f"{name}: unknown file type {suffix or '(none)'!r}; use a .csv or .xlsx file"
    )


def _columns(frame: pd.DataFrame, where: _Where) -> pd.DataFrame:
    names = [str(c).strip().lower() for c in frame.columns]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise CalendarError(
            f"{where.name}: column(s) {', '.join(map(repr, dupes))} appear more than once; "
            "keep one of each"
        )
    frame = frame.set_axis(names, axis=1)
    missing = [c for c in ("date", "event") if c not in names]
    if missing:
        found = ", ".join(repr(str(c)) for c in frame.columns) or "none"
        raise CalendarError(
            f"{where.name}: missing column(s) {', '.join(map(repr, missing))} (columns found: "
            f"{found}); a user events table needs 'date' and 'event'"
        )
    return frame


def _is_blank(value: object) -> bool:
    if value is None or value is pd.NaT:
        return True
    if isinstance(value, float) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _dates(column: pd.Series, where: _Where) -> pd.DatetimeIndex:
    values = column.tolist()
    blank = [i for i, v in enumerate(values) if _is_blank(v)]
    if blank:
        raise where.error(
            "date",
            "missing date(s)",
            blank,
            [values[i] for i in blank],
            "give every event its date",
        )
    parsed: list[pd.Timestamp | None] = []
    for value in values:
        stamp: pd.Timestamp | None
        if isinstance(value, (dt.date, np.datetime64)):  # datetime, Timestamp, date
            stamp = pd.Timestamp(value)
        elif isinstance(value, str):
            got = pd.to_datetime(pd.Series([value.strip()]), format="ISO8601", errors="coerce")
            stamp = None if got.isna().iloc[0] else pd.Timestamp(got.iloc[0])
        else:
            stamp = None
        if stamp is not None and stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        parsed.append(stamp)
    bad = [i for i, s in enumerate(parsed) if s is None]
    if bad:
        raise where.error(
            "date",
            "value(s) that are not dates",
            bad,
            [values[i] for i in bad],
            "write dates year first, as YYYY-MM-DD (e.g. 2025-03-01)",
        )
    stamps = [s for s in parsed if s is not None]
    out = [i for i, s in enumerate(stamps) if not MIN_YEAR <= s.year <= MAX_YEAR]
    if out:
        raise where.error(
            "date",
            f"date(s) outside the years {MIN_YEAR}..{MAX_YEAR}",
            out,
            [values[i] for i in out],
            "check the year",
        )
    return pd.DatetimeIndex(stamps).normalize().as_unit("ns")


def _text(column: pd.Series, name: str, where: _Where, default: str | None) -> list[str]:
    values = column.tolist()
    blank = [i for i, v in enumerate(values) if _is_blank(v)]
    if blank and default is None:
        raise where.error(
            name, "empty name(s)", blank, [values[i] for i in blank], "give every event a name"
        )
    out = []
    for value in values:
        if _is_blank(value):
            out.append(str(default))
        elif isinstance(value, float) and float(value).is_integer():
            out.append(str(int(value)))  # 618 read as a number
        else:
            out.append(str(value).strip())
    return out


def _window(column: pd.Series, name: str, where: _Where) -> np.ndarray:
    values = column.tolist()
    numbers = pd.to_numeric(
        pd.Series([None if _is_blank(v) else v for v in values], dtype=object), errors="coerce"
    )
    filled = numbers.fillna(0.0).to_numpy(dtype=float)
    bad = [
        i
        for i, v in enumerate(values)
        if not _is_blank(v) and (np.isnan(numbers.iloc[i]) or not float(filled[i]).is_integer())
    ]
    if bad:
        raise where.error(
            name,
            "value(s) that are not whole numbers of days",
            bad,
            [values[i] for i in bad],
            f"write {name} as an integer (days; empty means 0)",
        )
    days = filled.astype(np.int64)
    if name == "lower_window":
        wrong = [i for i, d in enumerate(days) if d > 0]
        rule = "lower_window must be <= 0 (days before the date, e.g. -3)"
    else:
        wrong = [i for i, d in enumerate(days) if d < 0]
        rule = "upper_window must be >= 0 (days after the date, e.g. 2)"
    if wrong:
        raise where.error(
            name, "value(s) of the wrong sign", wrong, [values[i] for i in wrong], rule
        )
    wide = [i for i, d in enumerate(days) if abs(d) > MAX_EVENT_WINDOW]
    if wide:
        raise where.error(
            name,
            f"window(s) wider than {MAX_EVENT_WINDOW} days",
            wide,
            [values[i] for i in wide],
            f"keep windows within {MAX_EVENT_WINDOW} days",
        )
    return days


def user_events(
    table: pd.DataFrame | str | os.PathLike[str], *, encoding: str = "utf-8-sig"
) -> pd.DataFrame:
    """Read and check the user's own dated events; return them in the form of :func:`events`.

    Parameters
    ----------
    table : DataFrame, str or path
        The events (see the module docstring for the columns), or the path of a CSV (``.csv``,
        ``.txt``, ``.tsv``) or Excel (``.xlsx``, ``.xlsm``, ``.xls``) file holding them.
    encoding : str, default "utf-8-sig"
        Text encoding of a CSV file (e.g. ``"gb18030"`` for one saved by Chinese Excel).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`calendars.EVENT_COLUMNS`, sorted by date and event: ``date``
        (naive ``datetime64[ns]``, the day), ``event``, ``kind`` (default "user"),
        ``lower_window`` (<= 0) and ``upper_window`` (>= 0) as int64, ``name_zh`` (default: the
        event), ``confirmed`` (True) and ``pinyin``.

    Raises
    ------
    CalendarError
        One line naming the file (or "events table"), the column, up to five rows (file lines,
        or the DataFrame's index labels) with their values, and the fix: for a missing file, an
        unreadable file, a missing ``date`` or ``event`` column, a missing or unreadable date, an
        empty event name, or a window that is not a whole number, has the wrong sign or is wider
        than :data:`MAX_EVENT_WINDOW` days.

    Examples
    --------
    >>> promos = pd.DataFrame({"date": ["2025-11-01", "2025-05-10"],
    ...                        "event": ["Store anniversary", "Spring sale"],
    ...                        "kind": ["store", None], "upper_window": [2, None]})
    >>> user_events(promos)[["event", "kind", "upper_window"]].values.tolist()
    [['Spring sale', 'user', 0], ['Store anniversary', 'store', 2]]
    >>> user_events(pd.DataFrame({"date": ["10/05/2025"], "event": ["Sale"]}))
    Traceback (most recent call last):
    ...
    calendars.exceptions.CalendarError: events table, column 'date': 1 value(s) that are not dates (row 0 '10/05/2025'); write dates year first, as YYYY-MM-DD (e.g. 2025-03-01)
    """  # noqa: E501
    if isinstance(table, pd.DataFrame):
        where = _Where("events table", table.index, in_file=False)
        frame = table
    elif isinstance(table, (str, os.PathLike)):
        path = Path(table)
        frame = _read(path, encoding)
        unit = "row" if path.suffix.lower() in _EXCEL else "line"
        where = _Where(f"events file {str(path)!r}", frame.index, in_file=True, unit=unit)
    else:
        raise CalendarError(
            f"events: expected a DataFrame or the path of a CSV or Excel file, got "
            f"{type(table).__name__}"
        )
    frame = _columns(frame, where)
    n = len(frame)

    def column(name: str) -> pd.Series:
        return frame[name] if name in frame.columns else pd.Series([None] * n, dtype=object)

    dates = _dates(frame["date"], where)
    names = _text(frame["event"], "event", where, default=None)
    kinds = _text(column("kind"), "kind", where, default=USER_KIND)
    lower = _window(column("lower_window"), "lower_window", where)
    upper = _window(column("upper_window"), "upper_window", where)
    name_zh = [
        default if _is_blank(v) else str(v).strip()
        for v, default in zip(column("name_zh").tolist(), names, strict=True)
    ]
    pinyin = _text(column("pinyin"), "pinyin", where, default="")
    result = pd.DataFrame(
        {
            "date": dates,
            "event": pd.array(names, dtype="str"),
            "kind": pd.array(kinds, dtype="str"),
            "lower_window": lower,
            "upper_window": upper,
            "name_zh": pd.array(name_zh, dtype="str"),
            "confirmed": np.ones(n, dtype=bool),
            "pinyin": pd.array(pinyin, dtype="str"),
        },
        columns=EVENT_COLUMNS,
    )
    result = result.drop_duplicates(["date", "event", "kind", "lower_window", "upper_window"])
    return result.sort_values(["date", "event"], kind="stable", ignore_index=True)
