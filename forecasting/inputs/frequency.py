"""The frequency of sales data (daily, weekly or monthly) and the missing-period policy.

launchcast works on daily (``"D"``), weekly and monthly data. A weekly period is labelled by its
**last day**, pandas' convention: ``"W-FRI"`` means weeks of seven days ending on a Friday (as in
Walmart's data), ``"W-SUN"`` weeks ending on a Sunday. A monthly period is labelled by its first day
(``"MS"``, month start: 2016-05-01 for May 2016, as most monthly exports are) or by its last day
(``"ME"``, month end: 2016-05-31); every row of a table uses the same label. The frequency is
inferred from the dates (or given, and then checked against them: :func:`check_frequency`) when
the sales are validated, and carried with them (:class:`~forecasting.inputs.SalesTable`);
:func:`sales_frequency` infers it from the dates of a plain DataFrame. Monthly data are never read
as daily: rows a month apart that are not all on the 1st or all on the last day are an error.

New-product sales often come in weeks counted from each product's own launch ("week 1..12 since
launch"), so that each sku's weekly rows fall on the weekday it was launched on: that frequency is
:data:`LAUNCH_WEEKS` (``"W-LAUNCH"``), weekly rows with each series on its own weekday. It is
inferred when every series is weekly but the weekdays differ between series and the series are
keyed by ``sku``; it serves the new-product forecasts. What needs calendar weeks (the demand
forecast, surge detection and launch timing, anything that adds series up by date) refuses it
(:func:`require_calendar_periods`).

Months have no fixed length, so a step of one period is a pandas ``DateOffset``
(:func:`period_offset`), not a number of days.

Missing periods
---------------
A series (one store x sku, or whatever keys the table has) runs from its first to its last recorded
period. A period missing *inside* that span means the store was open and sold nothing: it is filled
with ``units = 0`` (and ``stockout = False`` when the table has that column). Periods before a
series' first row or after its last are not invented (the store or product was not there yet, or any
more). Demand that was censored by an empty shelf is marked by the user with ``stockout = True`` and
that flag is kept as is. A store closed for a while inside its span (a renovation) sold nothing
because nobody could buy: give those periods as rows with ``stockout = True`` so that models do not
learn the zeros as demand. Turn filling off with ``read_sales(..., fill_missing=False)``.

Examples
--------
>>> import pandas as pd
>>> dates = pd.to_datetime(["2012-01-06", "2012-01-20"])
>>> sales = pd.DataFrame({"date": dates, "units": [3.0, 4.0]})
>>> infer_frequency(sales)
'W-FRI'
>>> filled, n = fill_missing_periods(sales, [], "W-FRI")
>>> filled["units"].tolist(), n
([3.0, 0.0, 4.0], 1)
>>> months = pd.DataFrame({"date": pd.to_datetime(["2016-01-01", "2016-04-01"]), "units": 1.0})
>>> infer_frequency(months), fill_missing_periods(months, [], "MS")[1]
('MS', 2)
>>> launched = pd.DataFrame({"sku": ["A", "A", "B", "B"],
...                          "date": pd.to_datetime(["2024-03-04", "2024-03-11",
...                                                  "2024-03-07", "2024-03-21"]),
...                          "units": 1.0})
>>> infer_frequency(launched)  # A on Mondays, B on Thursdays: weeks since each launch
'W-LAUNCH'
>>> filled, n = fill_missing_periods(launched, ["sku"], LAUNCH_WEEKS)
>>> filled["date"].dt.strftime("%m-%d").tolist(), n
(['03-04', '03-11', '03-07', '03-14', '03-21'], 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.cells import parse_dates
from forecasting.inputs.validated import SalesTable
from forecasting.inputs.validation import data_error, plural

__all__ = [
    "LAUNCH_WEEKS",
    "check_frequency",
    "fill_missing_periods",
    "frequency_kind",
    "infer_frequency",
    "normalize_freq",
    "period_offset",
    "period_step",
    "quarter_periods",
    "require_calendar_periods",
    "require_daily_or_weekly",
    "sales_frequency",
    "seasonal_period",
    "series_keys",
]

LAUNCH_WEEKS = "W-LAUNCH"
"""Weekly rows, each series on its own weekday: weeks counted from each product's launch."""

_DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
ID_COLUMNS = ("store", "sku", "category", "region")
MONTHLY = ("MS", "ME")
_MONTH_WORDS = {
    "MS": "MS",
    "1MS": "MS",
    "MONTHLY": "MS",
    "MONTH": "MS",
    "MONTH_START": "MS",
    "M": "ME",
    "1M": "ME",
    "ME": "ME",
    "1ME": "ME",
    "MONTH_END": "ME",
}


def series_keys(frame: pd.DataFrame) -> list[str]:
    """The columns that identify one series of a sales table, when ``by=`` does not name them.

    ``store`` and ``sku`` when present; otherwise ``category`` and/or ``region`` (tables of totals).

    Examples
    --------
    >>> import pandas as pd
    >>> series_keys(pd.DataFrame(columns=["date", "units", "store", "region", "category"]))
    ['store']
    >>> series_keys(pd.DataFrame(columns=["date", "units", "category"]))
    ['category']
    """
    keys = [c for c in ("store", "sku") if c in frame.columns]
    return keys or [c for c in ("category", "region") if c in frame.columns]


def normalize_freq(freq: str) -> str:
    """Return the canonical spelling of a frequency: ``"D"``, ``"W-<DAY>"``, ``"W-LAUNCH"``,
    ``"MS"`` or ``"ME"``.

    ``"W"`` and ``"weekly"`` mean weeks ending on Sunday (pandas' default). ``"W-LAUNCH"`` (also
    ``"launch"``, ``"launch_weeks"``) means weeks counted from each product's own launch, each
    series on its own weekday (:data:`LAUNCH_WEEKS`). ``"MS"``, ``"monthly"`` and ``"month"`` mean
    months labelled by their first day (``"MS"``); ``"ME"`` and pandas' older ``"M"`` mean months
    labelled by their last day (``"ME"``).

    Examples
    --------
    >>> normalize_freq("W"), normalize_freq("w-fri"), normalize_freq("daily")
    ('W-SUN', 'W-FRI', 'D')
    >>> normalize_freq("w-launch"), normalize_freq("launch_weeks")
    ('W-LAUNCH', 'W-LAUNCH')
    >>> normalize_freq("monthly"), normalize_freq("MS"), normalize_freq("M"), normalize_freq("ME")
    ('MS', 'MS', 'ME', 'ME')
    """
    text = str(freq).strip().upper()
    if text in {"D", "1D", "DAY", "DAILY"}:
        return "D"
    if text in {"W", "WEEK", "WEEKLY"}:
        return "W-SUN"
    if text.startswith("W-") and text[2:] in _DAYS:
        return text
    if text in {LAUNCH_WEEKS, "LAUNCH", "LAUNCH_WEEKS", "LAUNCH-WEEKS"}:
        return LAUNCH_WEEKS
    if text in _MONTH_WORDS:
        return _MONTH_WORDS[text]
    raise DataValidationError(
        f"freq: {freq!r} is not a frequency launchcast handles. Fix: use 'D' for daily data, "
        "'W-<DAY>' for weeks ending on DAY (e.g. 'W-SUN', 'W-FRI'), 'W-LAUNCH' for weeks counted "
        "from each product's own launch, 'MS' for months labelled by their first day or 'ME' for "
        "months labelled by their last day."
    )


def frequency_kind(freq: str) -> str:
    """``"daily"``, ``"weekly"`` or ``"monthly"``: what a frequency is, in words.

    Weeks counted from each launch (``"W-LAUNCH"``) are weekly.

    Examples
    --------
    >>> frequency_kind("D"), frequency_kind("W-FRI"), frequency_kind("MS"), frequency_kind("ME")
    ('daily', 'weekly', 'monthly', 'monthly')
    >>> frequency_kind("W-LAUNCH")
    'weekly'
    """
    canonical = normalize_freq(freq)
    if canonical == "D":
        return "daily"
    return "monthly" if canonical in MONTHLY else "weekly"


def seasonal_period(freq: str) -> int:
    """Periods in one year, aligned by weekday for days and weeks: 364, 52 or 12.

    Examples
    --------
    >>> seasonal_period("D"), seasonal_period("W-FRI"), seasonal_period("MS")
    (364, 52, 12)
    >>> seasonal_period("W-LAUNCH")
    52
    """
    return {"daily": 364, "weekly": 52, "monthly": 12}[frequency_kind(freq)]


def quarter_periods(freq: str) -> int:
    """Periods in a quarter of a year: 91 days, 13 weeks or 3 months.

    Examples
    --------
    >>> [quarter_periods(f) for f in ("D", "W-FRI", "W-LAUNCH", "MS")]
    [91, 13, 13, 3]
    """
    return {"daily": 91, "weekly": 13, "monthly": 3}[frequency_kind(freq)]


def period_offset(freq: str) -> pd.DateOffset:
    """One period as a pandas ``DateOffset``: a day, a week ending on DAY, or a calendar month.

    Months have no fixed length, so date arithmetic on periods goes through this offset (``date +
    k * period_offset(freq)``), never through a number of days. A week counted from a launch
    (``"W-LAUNCH"``) is seven days from a date of its own series: it has no common anchor.

    Examples
    --------
    >>> import pandas as pd
    >>> pd.Timestamp("2016-01-31") + 2 * period_offset("ME")
    Timestamp('2016-03-31 00:00:00')
    >>> pd.Timestamp("2016-05-01") - 3 * period_offset("monthly")
    Timestamp('2016-02-01 00:00:00')
    >>> pd.Timestamp("2012-04-27") + period_offset("W-FRI")
    Timestamp('2012-05-04 00:00:00')
    >>> pd.Timestamp("2024-03-07") + 2 * period_offset("W-LAUNCH")  # a Thursday launch
    Timestamp('2024-03-21 00:00:00')
    """
    canonical = normalize_freq(freq)
    if canonical == LAUNCH_WEEKS:
        return pd.DateOffset(days=7)
    return pd.tseries.frequencies.to_offset(canonical)  # type: ignore[return-value]


def period_step(freq: str) -> pd.Timedelta:
    """The length of one period of a fixed-length frequency: one day or seven.

    Monthly periods have no fixed length: for them this raises, and :func:`period_offset` is the
    step to use.

    Examples
    --------
    >>> period_step("W-FRI").days, period_step("W-LAUNCH").days
    (7, 7)
    >>> period_step("MS")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: freq 'MS': months have no fixed length in
    days. Fix: step by period_offset('MS') instead.
    """
    kind = frequency_kind(freq)
    if kind == "monthly":
        raise DataValidationError(
            f"freq {normalize_freq(freq)!r}: months have no fixed length in days. Fix: step by "
            f"period_offset({normalize_freq(freq)!r}) instead."
        )
    return pd.Timedelta(days=1 if kind == "daily" else 7)


def require_calendar_periods(sales: SalesTable, purpose: str = "the demand forecast") -> None:
    """Raise a one-line error when validated sales are in weeks since launch (``"W-LAUNCH"``).

    Weeks counted from each product's own launch put each sku's rows on its own weekday: they
    serve new-product forecasts (curves by week since launch), but a forecast in calendar time,
    surge detection, launch timing, or anything that adds series up by date would mix weeks that
    do not line up. Those steps call this first.

    Parameters
    ----------
    sales : SalesTable
        Validated sales.
    purpose : str
        What needs calendar periods, as the message says it (``"the demand forecast"``).

    Raises
    ------
    DataValidationError
        When ``sales.freq`` is ``"W-LAUNCH"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from forecasting.inputs import validate_sales
    >>> launched = pd.DataFrame({"sku": ["A", "A", "B", "B"],
    ...                          "date": ["2024-03-04", "2024-03-11", "2024-03-07", "2024-03-14"],
    ...                          "units": [5, 3, 4, 2]})
    >>> require_calendar_periods(validate_sales(launched))
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales: column 'date': the sales are in weeks
    counted from each product's own launch (freq 'W-LAUNCH'); launch-relative weeks serve
    new-product forecasts, the demand forecast needs calendar days or weeks. Fix: give the sales
    dated by calendar days or by calendar weeks ending on one weekday (freq='W-SUN', ...), not
    by weeks since launch.
    """
    if sales.freq == LAUNCH_WEEKS:
        raise data_error(
            sales.source,
            "date",
            "the sales are in weeks counted from each product's own launch (freq "
            f"{LAUNCH_WEEKS!r}); launch-relative weeks serve new-product forecasts, {purpose} "
            "needs calendar days or weeks",
            "give the sales dated by calendar days or by calendar weeks ending on one weekday "
            f"({option('freq', 'W-SUN')}, ...), not by weeks since launch",
        )


def require_daily_or_weekly(sales: SalesTable, purpose: str = "launch timing") -> None:
    """Raise a one-line error when validated sales are monthly (``purpose`` needs days or weeks).

    Weeks counted from each launch (``"W-LAUNCH"``) are refused too: ``purpose`` needs calendar
    days or weeks (:func:`require_calendar_periods`).

    Examples
    --------
    >>> import pandas as pd
    >>> from forecasting.inputs import validate_sales
    >>> months = pd.DataFrame({"date": ["2012-01-01", "2012-02-01"], "units": [1, 2]})
    >>> require_daily_or_weekly(validate_sales(months))
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: launch timing needs daily or weekly sales; sales
    is monthly (freq 'MS'). Fix: give the daily or weekly sales of the same stores and products.
    """
    require_calendar_periods(sales, purpose)
    if frequency_kind(sales.freq) == "monthly":
        raise DataValidationError(
            f"{purpose} needs daily or weekly sales; {sales.source} is monthly (freq "
            f"{sales.freq!r}). Fix: give the daily or weekly sales of the same stores and products."
        )


def _weekly(weekday: int) -> str:
    return f"W-{_DAYS[weekday]}"


def _steps(
    frame: pd.DataFrame, keys: Sequence[str], presorted: bool = False
) -> tuple[pd.DataFrame, np.ndarray]:
    """The frame sorted by keys and date; days since the previous row of a series (-1 at starts)."""
    if presorted or len(frame) < 2:
        ordered = frame
    else:
        ordered = frame.sort_values([*keys, "date"], kind="stable")
    dates = ordered["date"].to_numpy(dtype="datetime64[ns]")
    days = np.diff(dates).astype("timedelta64[D]").astype(np.int64)
    new = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        same = np.ones(len(ordered) - 1, dtype=bool)
        for key in keys:
            col = ordered[key].to_numpy()
            same &= col[1:] == col[:-1]
        new[1:] = ~same
    step = np.full(len(ordered), -1, dtype=np.int64)
    step[1:] = np.where(new[1:], -1, days)
    return ordered, step


def _monthly_anchor(dates: pd.Series) -> str | None:
    """``"MS"`` when two or more distinct dates are all firsts of a month, ``"ME"`` when all are
    last days; else ``None``."""
    if dates.nunique() < 2:
        return None
    if bool((dates.dt.day == 1).all()):
        return "MS"
    if bool(dates.dt.is_month_end.all()):
        return "ME"
    return None


def _monthly_steps(months: np.ndarray, days: np.ndarray) -> bool:
    """Steps between consecutive rows of a series that make the rows monthly: never two rows in one
    calendar month, most (half or more) in consecutive months, and typically weeks apart."""
    if len(months) == 0:
        return False
    return bool((months >= 1).all() and (months == 1).mean() >= 0.5 and np.median(days) >= 20)


def _off_anchor(dates: pd.Series) -> np.ndarray:
    """Rows off the more common monthly label (the 1st or the last day); all rows if neither."""
    first = (dates.dt.day == 1).to_numpy()
    last = dates.dt.is_month_end.to_numpy()
    if not first.any() and not last.any():
        return np.ones(len(dates), dtype=bool)
    return ~first if first.sum() >= last.sum() else ~last


def _odd_months(
    ordered: pd.DataFrame, months: np.ndarray, days: np.ndarray, source: str, keys: Sequence[str]
) -> DataValidationError | None:
    """The error for monthly rows that are not all on the 1st or all on the last day."""
    if not _monthly_steps(months, days):
        return None
    return data_error(
        source,
        "date",
        "the rows are a month apart (monthly data), but monthly rows must all be on the 1st or "
        "all on the last day of the month",
        "label every month by its first day (2012-03-01, freq 'MS') or every month by its last "
        f"day (2012-03-31, freq 'ME'); if these are daily sales with whole months between them, "
        f"pass {option('freq', 'D')}",
        ordered,
        _off_anchor(ordered["date"]),
        show=[*keys, "date"],
    )


def _month_numbers(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[M]").astype(np.int64)


def infer_frequency(
    frame: pd.DataFrame,
    source: str = "sales",
    keys: Sequence[str] | None = None,
    *,
    presorted: bool = False,
) -> str:
    """Infer ``"D"``, ``"W-<DAY>"``, ``"W-LAUNCH"``, ``"MS"`` or ``"ME"`` from the dates; raise on
    mixed ones.

    Monthly means two or more distinct dates, all on the first day of a month (``"MS"``) or all on
    the last day (``"ME"``); missing months are allowed. Rows a month apart that are neither (the
    15th, or a mix of firsts and last days) are an error that asks for one label. Weekly means
    every step between consecutive rows of a series is a multiple of seven days (so each series
    stays on one weekday): ``"W-<DAY>"`` when all dates fall on one weekday; ``"W-LAUNCH"`` when
    the weekdays differ between series and the series are keyed by ``sku`` (weeks counted from
    each product's own launch); without ``sku`` among the keys, weekdays that differ are an error.
    Anything else is daily (with gaps). A series that is weekly while others are daily, or a
    series that switches between daily rows and a run of weekly rows, is an error.

    Parameters
    ----------
    frame : DataFrame
        Canonical sales (``date`` as datetime64).
    source : str
        Name used in error messages.
    keys : sequence of str, optional
        Series keys (default :func:`series_keys`).
    presorted : bool, default False
        The frame is already sorted by keys and date (skips a sort).

    Raises
    ------
    DataValidationError
        Mixed frequencies, weeks ending on different weekdays in series not keyed by ``sku``,
        monthly rows on mixed days.

    Examples
    --------
    >>> import pandas as pd
    >>> launched = pd.DataFrame({"sku": ["A", "A", "B", "B"], "units": 1.0,
    ...                          "date": pd.to_datetime(["2024-03-04", "2024-03-11",
    ...                                                  "2024-03-07", "2024-03-14"])})
    >>> infer_frequency(launched)
    'W-LAUNCH'
    >>> days = pd.date_range("2012-01-01", periods=5, freq="D")
    >>> infer_frequency(pd.DataFrame({"date": days, "units": 1.0}))
    'D'
    >>> months = pd.to_datetime(["2012-01-01", "2012-02-01", "2012-04-01"])
    >>> infer_frequency(pd.DataFrame({"date": months, "units": 1.0}))
    'MS'
    >>> infer_frequency(pd.DataFrame({"date": months + pd.offsets.MonthEnd(0), "units": 1.0}))
    'ME'
    >>> odd = pd.to_datetime(["2012-01-15", "2012-02-15", "2012-04-15"])
    >>> infer_frequency(pd.DataFrame({"date": odd, "units": 1.0}))
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales: column 'date': the rows are a month
    apart (monthly data), but monthly rows must all be on the 1st or all on the last day of the
    month: row 0 (date=2012-01-15); row 1 (date=2012-02-15); row 2 (date=2012-04-15). Fix: label
    every month by its first day (2012-03-01, freq 'MS') or every month by its last day
    (2012-03-31, freq 'ME'); if these are daily sales with whole months between them, pass
    freq='D'.
    """
    keys = list(series_keys(frame) if keys is None else keys)
    if frame.empty:
        return "D"
    anchor = _monthly_anchor(frame["date"])
    if anchor is not None:
        return anchor
    ordered, step = _steps(frame, keys, presorted)
    weekdays = ordered["date"].dt.day_of_week.to_numpy()
    inner = step >= 0
    if not inner.any():  # one row per series: look at the distinct dates
        distinct = np.unique(ordered["date"].to_numpy())
        gaps = np.diff(distinct).astype("timedelta64[D]").astype(np.int64)
        if len(distinct) > 1 and (gaps % 7 == 0).all():
            return _weekly(int(weekdays[0]))
        odd = _odd_months(ordered, np.diff(_month_numbers(distinct)), gaps, source, keys)
        if odd is not None:
            raise odd
        return "D"
    off_week = inner & (step % 7 != 0)
    if not off_week.any():
        if len(np.unique(weekdays)) == 1:
            return _weekly(int(weekdays[0]))
        if "sku" in keys:  # each series on its own weekday: weeks since each launch
            return LAUNCH_WEEKS
        first = pd.Series(weekdays, index=ordered.index).map(dict(enumerate(_DAYS)))
        mask = (first != first.iloc[0]).to_numpy()
        raise data_error(
            source,
            "date",
            "mixed frequencies: weekly rows end on different weekdays "
            f"({', '.join(sorted(set(first), key=_DAYS.index))})",
            "label every week by the same weekday (its last day); if the weeks are counted from "
            "each product's own launch, key the rows by sku (map the style column to sku) or "
            f"pass {option('freq', LAUNCH_WEEKS)}",
            ordered.assign(weekday=first),
            mask,
            show=[*keys, "date", "weekday"],
        )
    months = np.diff(_month_numbers(ordered["date"].to_numpy(dtype="datetime64[ns]")), prepend=0)
    odd = _odd_months(ordered, months[inner], step[inner], source, keys)
    if odd is not None:
        raise odd
    # daily data: look for series (or stretches) that are weekly
    sid = np.cumsum(step < 0)
    has_daily = np.bincount(sid, weights=(inner & (step % 7 != 0)).astype(float))
    n_inner = np.bincount(sid, weights=inner.astype(float))
    weekly_series = (has_daily == 0) & (n_inner >= 2)
    seven = step == 7
    run_id = np.cumsum(~seven)
    run_len = np.bincount(run_id, weights=seven.astype(float))
    long_run = seven & (run_len[run_id] >= 3)
    mask = weekly_series[sid] | long_run
    if mask.any():
        raise data_error(
            source,
            "date",
            "mixed frequencies: some rows are daily, others weekly (7 days apart)",
            "put daily and weekly data in separate files, or aggregate the daily rows to weeks",
            ordered,
            mask,
            show=[*keys, "date"],
        )
    return "D"


def check_frequency(
    frame: pd.DataFrame, freq: str, source: str = "sales", keys: Sequence[str] = ()
) -> str:
    """Check that the dates fit a given frequency; return its canonical spelling.

    A frequency that was given is never silently replaced by another: weekly dates must all fall
    on the week's last day, monthly dates on the first (``"MS"``) or last (``"ME"``) day of their
    month, and daily or weekly data must not be monthly dates (filling every day or week between
    months would invent zero sales). Weeks counted from each launch (``"W-LAUNCH"``) must step by
    whole weeks inside each series (each series on one weekday, its own or shared).

    Parameters
    ----------
    frame : DataFrame
        Canonical sales (``date`` as datetime64).
    freq : str
        The frequency given (any spelling :func:`normalize_freq` reads).
    source : str
        Name used in error messages.
    keys : sequence of str
        Series keys, shown with the offending rows.

    Returns
    -------
    str

    Raises
    ------
    DataValidationError
        When the dates do not fit ``freq``.

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.DataFrame({"date": pd.to_datetime(["2012-01-31", "2012-02-29"])})
    >>> check_frequency(months, "M")
    'ME'
    >>> check_frequency(months, "MS")
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales: column 'date': 2 dates are not the first
    day of a month (freq='MS': months labelled by their first day): row 0 (date=2012-01-31); row
    1 (date=2012-02-29). Fix: label each month by its first day, or pass freq='ME' if the months
    are labelled by their last day (or leave freq out to infer it).
    >>> days = pd.to_datetime(["2024-03-04", "2024-03-12", "2024-03-07"])
    >>> launched = pd.DataFrame({"sku": ["A", "A", "B"], "date": days})
    >>> check_frequency(launched, "W-LAUNCH", keys=["sku"])
    Traceback (most recent call last):
    ...
    forecasting.exceptions.DataValidationError: sales: column 'date': 1 row is not a whole number
    of weeks after the row before it in its series (freq='W-LAUNCH': weeks counted from each
    product's launch, each series on one weekday): row 1 (sku='A', date=2024-03-12,
    weekday='TUE'). Fix: date every row of a series on the same weekday (launch date + 7 x (week
    - 1)), or leave freq out to infer the frequency.
    """
    canonical = normalize_freq(freq)
    dates = frame["date"]
    show = [*keys, "date"]
    if canonical == LAUNCH_WEEKS:
        ordered, step = _steps(frame, list(keys))
        off = (step >= 0) & (step % 7 != 0)
        if off.any():
            n = int(off.sum())
            names = ordered["date"].dt.day_of_week.map(dict(enumerate(_DAYS)))
            raise data_error(
                source,
                "date",
                f"{plural(n, 'row')} {'is' if n == 1 else 'are'} not a whole number of weeks "
                f"after the row before it in its series ({option('freq', canonical)}: weeks "
                "counted from each product's launch, each series on one weekday)",
                "date every row of a series on the same weekday (launch date + 7 x (week - 1)), "
                f"or leave {option('freq')} out to infer the frequency",
                ordered.assign(weekday=names),
                off,
                show=[*show, "weekday"],
            )
        return canonical
    if canonical in MONTHLY:
        start = canonical == "MS"
        wrong = (dates.dt.day != 1) if start else ~dates.dt.is_month_end
        if wrong.any():
            n = int(wrong.sum())
            which = "first" if start else "last"
            other = "ME" if start else "MS"
            raise data_error(
                source,
                "date",
                f"{n} {'date is' if n == 1 else 'dates are'} not the {which} day of a month "
                f"({option('freq', canonical)}: months labelled by their {which} day)",
                f"label each month by its {which} day, or pass {option('freq', other)} if the "
                f"months are labelled by their {'last' if start else 'first'} day (or leave "
                f"{option('freq')} out to infer it)",
                frame,
                wrong.to_numpy(),
                show=show,
            )
        return canonical
    anchor = _monthly_anchor(dates)
    if anchor is not None:
        raise data_error(
            source,
            "date",
            f"the dates are monthly (every one on the {'first' if anchor == 'MS' else 'last'} day "
            f"of a month), not {frequency_kind(canonical)} as {option('freq', canonical)} says; "
            f"filling every {'day' if canonical == 'D' else 'week'} between them would invent zero "
            "sales",
            f"pass {option('freq', anchor)}, or leave {option('freq')} out to infer it",
        )
    if canonical != "D":
        day = canonical[2:]
        wrong = dates.dt.day_name().str[:3].str.upper() != day
        if wrong.any():
            raise data_error(
                source,
                "date",
                f"{int(wrong.sum())} dates are not on a {day} "
                f"(freq={canonical!r}: weeks labelled by their last day)",
                "label each week by its last day, or pass the right freq",
                frame,
                wrong.to_numpy(),
                show=show,
            )
    return canonical


def sales_frequency(sales: SalesTable | pd.DataFrame) -> str:
    """The frequency of sales: the one validated sales carry, else inferred from the dates.

    A DataFrame's ``attrs`` are not consulted (pandas operations keep them even when they change
    the dates); validate the sales once to keep a frequency that was given rather than inferred.
    Dates that are not ``datetime64[ns]`` are read as :func:`~forecasting.inputs.cells.parse_dates`
    reads them (text ``05/01/2011`` only when the column settles the order of day and month).

    Examples
    --------
    >>> import pandas as pd
    >>> weeks = pd.date_range("2012-01-01", periods=3, freq="W-SUN")
    >>> sales = pd.DataFrame({"date": weeks, "units": 1.0})
    >>> sales_frequency(sales)
    'W-SUN'
    >>> sales_frequency(sales.merge(sales))
    'W-SUN'
    """
    if isinstance(sales, SalesTable):
        return sales.freq
    frame = sales
    if "date" not in frame.columns:
        raise data_error(
            "sales", "date", "the table has no date column", "pass a table read with read_sales"
        )
    if frame["date"].dtype != "datetime64[ns]":  # text, tz-aware, other units
        frame = frame.assign(date=parse_dates(frame, "date", "sales"))
    return infer_frequency(frame)


def _period_numbers(dates: np.ndarray, freq: str) -> np.ndarray:
    """Each date's period as an integer: days, weeks (of its weekday) or months since 1970.

    Weeks are whole days // 7: two dates on one weekday a week apart differ by one, whatever
    the weekday, so each series of ``"W-LAUNCH"`` counts its weeks from its own anchor.
    """
    kind = frequency_kind(freq)
    if kind == "monthly":
        return dates.astype("datetime64[M]").astype(np.int64)
    days = dates.astype("datetime64[D]").astype(np.int64)
    return days if kind == "daily" else days // 7


def _month_labels(months: np.ndarray, freq: str) -> np.ndarray:
    """Month numbers (since 1970-01) as their first (``"MS"``) or last (``"ME"``) day."""
    start = months.astype("datetime64[M]").astype("datetime64[D]")
    if normalize_freq(freq) == "MS":
        return start.astype("datetime64[ns]")
    end = (months + 1).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    return end.astype("datetime64[ns]")


def fill_missing_periods(
    frame: pd.DataFrame, keys: Sequence[str], freq: str, *, presorted: bool = False
) -> tuple[pd.DataFrame, int]:
    """Add the periods missing inside each series' span with zero units (the module's policy).

    Parameters
    ----------
    frame : DataFrame
        Canonical sales, one row per key and date, every date on ``freq``'s label.
    keys : sequence of str
        Series keys (any columns: ``store``, or the ``by=`` columns of the sales).
    freq : str
        ``"D"``, ``"W-<DAY>"``, ``"W-LAUNCH"`` (each series filled on its own weekday), ``"MS"``
        or ``"ME"``.
    presorted : bool, default False
        The frame is already sorted by keys and date (skips a sort).

    Returns
    -------
    (DataFrame, int)
        The table with the added rows (``units`` 0, ``stockout`` False, ``price`` blank, other
        columns carried from the series), sorted by keys and date; and how many rows were added.

    Examples
    --------
    >>> import pandas as pd
    >>> dates = pd.to_datetime(["2012-01-01", "2012-01-03"])
    >>> sales = pd.DataFrame({"store": ["a", "a"], "date": dates,
    ...                       "units": [1.0, 2.0]})
    >>> fill_missing_periods(sales, ["store"], "D")[0]["units"].tolist()
    [1.0, 0.0, 2.0]
    >>> ends = pd.to_datetime(["2012-01-31", "2012-04-30"])
    >>> filled, n = fill_missing_periods(pd.DataFrame({"date": ends, "units": 1.0}), [], "ME")
    >>> filled["date"].dt.strftime("%m-%d").tolist(), n
    (['01-31', '02-29', '03-31', '04-30'], 2)
    """
    if frame.empty:
        return frame, 0
    ordered, gap = _steps(frame, list(keys), presorted)
    starts = gap < 0
    dates = ordered["date"].to_numpy(dtype="datetime64[ns]")
    number = _period_numbers(dates, freq)
    jumps = np.diff(number, prepend=number[0])
    if not ((jumps > 1) & ~starts).any():
        return ordered, 0
    # every row's position in the complete grid of its series: grid offset + periods since start
    sid = np.cumsum(starts) - 1
    first = number[starts]
    since = number - first[sid]
    last_since = np.zeros(len(first), dtype=np.int64)
    np.maximum.at(last_since, sid, since)
    periods = last_since + 1
    offsets = np.cumsum(periods) - periods
    pos = offsets[sid] + since
    total = int(periods.sum())
    src = np.full(total, -1, dtype=np.int64)
    src[pos] = np.arange(len(ordered))
    present = src >= 0
    last_present = np.maximum.accumulate(np.where(present, np.arange(total), 0))
    take = src[last_present]  # the row each grid period copies its ids and attributes from
    out = ordered.iloc[take].reset_index(drop=True)
    added = ~present
    ahead = np.arange(total) - last_present  # periods after the row copied from
    if frequency_kind(freq) == "monthly":
        out["date"] = _month_labels(number[take] + ahead, freq)
    else:
        step = np.timedelta64(period_step(freq).days, "D")
        out["date"] = dates[take] + ahead * step
    units = out["units"].to_numpy(dtype="float64", copy=True)
    units[added] = 0.0
    out["units"] = units
    if "stockout" in out.columns:
        flags = out["stockout"].to_numpy(dtype=bool, copy=True)
        flags[added] = False
        out["stockout"] = flags
    if "price" in out.columns:
        out["price"] = out["price"].where(~added)
    out["date"] = out["date"].astype("datetime64[ns]")
    return out, int(added.sum())
