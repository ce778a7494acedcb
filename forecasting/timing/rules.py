"""Scheduling rules of the launch calendar: which onset to plan for, and the delivery day.

Which onset to plan for (:func:`planned_lag`). The onset of a wave in the coming year is uncertain:
past years put it at different lags from its anchor. Being late and being early do not cost the
same. A late delivery loses the start of the wave: the days when demand is rising and new styles
sell at full price. An early one costs a few extra days of shelf space before demand turns.
Planning for the ``q`` quantile of the onset, instead of its median, minimises the expected cost
when a day late costs ``(1 - q) / q`` times a day early (the newsvendor's critical ratio).
The default ``q = 0.2`` assumes a day late costs 4 times a day early, so about one year in five is
still late by a few days.

The quantile comes from the Student-t predictive distribution of next year's lag, given the lags
of ``n`` past years: ``median - t(n-1, 1-q) * s * sqrt(1 + 1/n)``, where ``s`` is the standard
deviation estimated from the range of the lags (range / d2(n), the small-sample estimator of
quality-control charts, which needs only the min and max of the lags). ``s`` is never smaller than
``min_scale`` (3 days on daily data, 7 on weekly data: how precisely one onset can be measured), so
that a wave seen at the same lag every year still gets a margin. The planned lag is never earlier
than the earliest lag seen minus ``min_scale``: with two or three years, the Student-t tails (a
Cauchy distribution for two years) would otherwise plan weeks before anything ever observed.

Forecast onsets (:func:`forecast_onset`): the onset of a surge on a fitted forecast curve, used by
:func:`forecasting.timing.recommend_launches` to refine the expected onset.

Delivery day (:func:`delivery_date`): the latest ``delivery_weekday`` that still puts goods on shelf
(the day after delivery) ``lead_days`` before the planned onset, moved back to the previous official
working day (:func:`calendars.is_workday`) if needed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from forecasting.exceptions import DataValidationError, LaunchcastError, option

if TYPE_CHECKING:
    from forecasting.inputs.validated import SalesTable

__all__ = [
    "WEEKDAYS",
    "as_date",
    "check_lead_days",
    "delivery_date",
    "first_delivery_on_or_after",
    "forecast_curves",
    "forecast_onset",
    "launch_confidence",
    "planned_lag",
    "planning_date",
    "weekday_number",
]

WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
# expected range of n standard normal draws (d2 of quality-control charts), n = 2..14
_D2 = (1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258, 3.336, 3.407)


def planned_lag(
    lag_median: ArrayLike,
    lag_min: ArrayLike,
    lag_max: ArrayLike,
    n_years: ArrayLike,
    quantile: float = 0.2,
    min_scale: float = 3.0,
) -> int:
    """The lag (days after the anchor) to plan a delivery for: a low quantile of next year's onset.

    See the module notes: ``median - t(n-1, 1-q) * s * sqrt(1 + 1/n)`` with ``s`` = range / d2(n),
    at least ``min_scale``; rounded down (earlier), and never earlier than the earliest lag seen
    minus ``min_scale``. With one year only, the normal distribution with standard deviation
    ``min_scale * sqrt(2)`` is used.

    Several groups sharing one delivery (one value per group in each argument, lags from the same
    anchor date): the lag at which the groups' chance of an earlier onset is ``quantile`` on average
    (the quantile of the equal-weight mixture of their predictive distributions), not the earliest
    of their own quantiles, which would plan for an extreme of many groups.

    Parameters
    ----------
    lag_median, lag_min, lag_max : float or array-like
        Median (or expected), smallest and largest lag of the onset after its anchor in past years
        (days), per group.
    n_years : int or array-like
        Years the wave was seen, per group.
    quantile : float, default 0.2
        The quantile of the onset to plan for, in (0, 0.5]; 0.5 plans for the median.
    min_scale : float, default 3.0
        Smallest standard deviation of the lag, in days.

    Returns
    -------
    int
        Days after the anchor.

    Examples
    --------
    >>> planned_lag(2, -7, 2, 3)  # seen at -7..+2 days in 3 years: plan about a week early
    -5
    >>> planned_lag(3, 3, 4, 3)  # a steady wave: the margin comes from min_scale
    0
    >>> planned_lag(3, 3, 4, 3, quantile=0.5)
    3
    >>> planned_lag([2, 3, 12], [-7, 3, 10], [2, 4, 14], [3, 3, 3])  # three groups, one date
    -1
    """
    from scipy import stats

    if not 0 < quantile <= 0.5:
        raise DataValidationError(
            f"onset_quantile={quantile!r} must be in (0, 0.5]: 0.5 plans for the median onset, "
            "lower values plan earlier (0.2: a day late costs 4 times a day early)."
        )
    med, lo, hi = (np.atleast_1d(np.asarray(v, float)) for v in (lag_median, lag_min, lag_max))
    n = np.atleast_1d(np.asarray(n_years, int))
    scale = np.empty(len(med))
    df = np.empty(len(med))
    for i, k in enumerate(n):
        if k >= 2:
            sd = max((hi[i] - lo[i]) / _D2[min(k - 2, len(_D2) - 1)], float(min_scale))
            scale[i], df[i] = sd * math.sqrt(1 + 1 / k), k - 1
        else:
            scale[i], df[i] = float(min_scale) * math.sqrt(2), np.inf
    scale = np.maximum(scale, 1e-9)
    floor = math.floor(float(lo.min()) - float(min_scale) + 1e-9)  # no earlier than ever seen
    if len(med) == 1:
        lag = math.floor(float(med[0] + stats.t.ppf(quantile, df[0]) * scale[0]) + 1e-9)
        return max(lag, floor)
    days = np.arange(math.floor(med.min() - 12 * scale.max()), math.ceil(med.max()) + 1)
    cdf = stats.t.cdf((days[:, None] - med[None, :]) / scale[None, :], df[None, :]).mean(axis=1)
    return max(int(days[cdf <= quantile + 1e-12].max()), floor)


def weekday_number(weekday: str | int) -> int:
    """0 (Monday) .. 6 from ``"MON"`` .. ``"SUN"`` (any case, full names too) or a number.

    Examples
    --------
    >>> weekday_number("thursday"), weekday_number(6)
    (3, 6)
    """
    if isinstance(weekday, int | np.integer) and 0 <= int(weekday) <= 6:
        return int(weekday)
    text = str(weekday).strip().upper()[:3]
    if text in WEEKDAYS:
        return WEEKDAYS.index(text)
    raise DataValidationError(
        f"{option('delivery_weekday', weekday)}: not a weekday. Fix: use one of "
        f"{', '.join(WEEKDAYS)} (or 0=Monday..6)."
    )


def as_date(value: object, name: str) -> pd.Timestamp:
    """A normalised timestamp, or a :class:`DataValidationError` naming the argument.

    Examples
    --------
    >>> as_date("2012-09-10 15:00", "start")
    Timestamp('2012-09-10 00:00:00')
    """
    try:
        stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise DataValidationError(
            f"{option(name, value)}: not a date. Fix: write it as YYYY-MM-DD."
        ) from exc
    if pd.isna(stamp):
        raise DataValidationError(f"{option(name)} is missing. Fix: write it as YYYY-MM-DD.")
    return stamp.normalize()


def check_lead_days(lead_days: int) -> int:
    """Return ``lead_days`` as an int, or raise if it is negative.

    Examples
    --------
    >>> check_lead_days(7)
    7
    """
    if int(lead_days) < 0:
        raise DataValidationError(
            f"{option('lead_days', lead_days)}: must be zero or more days. Fix: give the days "
            "goods are on shelf before the onset, e.g. 7."
        )
    return int(lead_days)


def delivery_date(
    onset: object, lead_days: int = 7, delivery_weekday: str | int = "MON", market: str = "CN"
) -> pd.Timestamp:
    """The latest delivery day that puts goods on shelf ``lead_days`` before ``onset``.

    Goods go on shelf the day after delivery. The delivery is the latest ``delivery_weekday`` on or
    before ``onset - lead_days - 1``; if that day is not an official working day it moves back to
    the previous working day.

    Parameters
    ----------
    onset : date-like
        The surge onset to be ready for.
    lead_days : int, default 7
        Days on shelf before the onset (at least).
    delivery_weekday : str or int, default "MON"
        ``"MON"`` .. ``"SUN"`` or 0 (Monday) .. 6.
    market : str, default "CN"
        Calendar market of the working days.

    Returns
    -------
    pandas.Timestamp
        The delivery date.

    Examples
    --------
    >>> delivery_date("2012-09-10", lead_days=7, delivery_weekday="MON")
    Timestamp('2012-08-27 00:00:00')
    >>> # Mon 1 Oct is National Day, Sun 30 Sep off, Sat 29 Sep a make-up working day
    >>> delivery_date("2012-10-05", lead_days=3)
    Timestamp('2012-09-29 00:00:00')
    """
    check_lead_days(lead_days)
    target = weekday_number(delivery_weekday)
    latest = as_date(onset, "onset") - pd.Timedelta(days=int(lead_days) + 1)
    return _working_day(latest - pd.Timedelta(days=(latest.weekday() - target) % 7), -1, market)


def _working_day(day: pd.Timestamp, step: int, market: str) -> pd.Timestamp:
    """``day`` if it is an official working day, else the nearest one in the direction ``step``."""
    from calendars import is_workday

    start = day
    for _ in range(60):
        if is_workday(day, market=market):
            return day
        day += pd.Timedelta(days=step)
    side = "before" if step < 0 else "after"
    raise LaunchcastError(
        f"no working day found in the 60 days {side} {start.date()} (market {market})."
    )


def planning_date(sales: SalesTable, as_of: object = None) -> pd.Timestamp:
    """The planning date: ``as_of``, or by default the day after the last sales date.

    Parameters
    ----------
    sales : SalesTable
        Validated sales.
    as_of : date-like, optional
        The date the plan is made on.

    Returns
    -------
    pandas.Timestamp
        A calendar day (time of day dropped).

    Raises
    ------
    DataValidationError
        If ``as_of`` is not a date, or falls before the first sales date (nothing to learn from).

    Examples
    --------
    >>> import pandas as pd
    >>> from forecasting.inputs import validate_sales
    >>> days = pd.date_range("2011-12-25", "2011-12-31")
    >>> sales = validate_sales(pd.DataFrame({"date": days, "units": 1.0}))
    >>> planning_date(sales), planning_date(sales, "2011-12-28")
    (Timestamp('2012-01-01 00:00:00'), Timestamp('2011-12-28 00:00:00'))
    """
    dates = sales.frame["date"]
    if as_of is None:
        return (dates.max() + pd.Timedelta(days=1)).normalize()
    day = as_date(as_of, "as_of").normalize()
    if day <= dates.min():
        raise DataValidationError(
            f"as_of={day:%Y-%m-%d} is not after the first sales date {dates.min():%Y-%m-%d}: "
            "there is no history before the planning date. Fix: give a later planning date."
        )
    return day


def first_delivery_on_or_after(
    day: object, delivery_weekday: str | int = "MON", market: str = "CN"
) -> pd.Timestamp:
    """The first feasible delivery day on or after ``day``: the unified weekday, a working day.

    The first ``delivery_weekday`` on or after ``day``; if that is not an official working day
    (:func:`calendars.is_workday`), the next working day after it. This is where a late wave's
    delivery goes when its best delivery day has already passed.

    Parameters
    ----------
    day : date-like
        The earliest possible delivery day (the planning date).
    delivery_weekday : str or int, default "MON"
        ``"MON"`` .. ``"SUN"`` or 0 (Monday) .. 6.
    market : str, default "CN"
        Calendar market of the working days.

    Returns
    -------
    pandas.Timestamp

    Examples
    --------
    >>> first_delivery_on_or_after("2012-08-29")  # a Wednesday: the next Monday
    Timestamp('2012-09-03 00:00:00')
    >>> # Mon 2 Jan 2012 is part of the New Year holiday: the next working day, Wed 4 Jan
    >>> first_delivery_on_or_after("2012-01-01")
    Timestamp('2012-01-04 00:00:00')
    """
    target = weekday_number(delivery_weekday)
    earliest = as_date(day, "as_of")
    return _working_day(earliest + pd.Timedelta(days=(target - earliest.weekday()) % 7), 1, market)


def launch_confidence(n_years: int, spread_days: int) -> str:
    """``"high"``, ``"medium"`` or ``"low"`` from the years a wave was seen and its lag spread.

    High: seen in at least 3 years within 7 days; medium: seen in at least 2 years within 14 days.

    Examples
    --------
    >>> launch_confidence(4, 5), launch_confidence(2, 10), launch_confidence(4, 30)
    ('high', 'medium', 'low')
    """
    if n_years >= 3 and spread_days <= 7:
        return "high"
    if n_years >= 2 and spread_days <= 14:
        return "medium"
    return "low"


def forecast_curves(
    forecast: pd.DataFrame | None, keys: list[str]
) -> dict[tuple[object, ...], pd.Series]:
    """The forecast ``mean`` per group as a series indexed by date (validated).

    Examples
    --------
    >>> import pandas as pd
    >>> fc = pd.DataFrame({"store": ["A", "A"], "date": ["2012-01-02", "2012-01-01"],
    ...                    "mean": [2.0, 1.0]})
    >>> forecast_curves(fc, ["store"])[("A",)].tolist()
    [1.0, 2.0]
    """
    if forecast is None:
        return {}
    if not isinstance(forecast, pd.DataFrame):
        raise DataValidationError(
            f"forecast: expected a DataFrame (DemandForecaster.predict output), got "
            f"{type(forecast).__name__}."
        )
    missing = [c for c in [*keys, "date", "mean"] if c not in forecast.columns]
    if missing:
        raise DataValidationError(
            f"forecast: column(s) {missing} missing; got {list(forecast.columns)}. Pass the output "
            "of DemandForecaster.predict fitted with the same by= as recommend_launches."
        )
    frame = forecast.assign(date=pd.to_datetime(forecast["date"]))
    if not keys:
        return {(): frame.groupby("date")["mean"].sum()}
    return {
        (k if isinstance(k, tuple) else (k,)): g.set_index("date")["mean"].sort_index()
        for k, g in frame.groupby(keys, sort=True)
    }


def forecast_onset(curve: pd.Series | None, freq: str, near: pd.Timestamp) -> Any:
    """Onset of the forecast's surge nearest to ``near`` (within 21 days), else NaT.

    The surges of the curve are found as in :func:`forecasting.timing.detect_surges`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> days = pd.date_range("2012-08-01", "2012-11-30")
    >>> t = (days - pd.Timestamp("2012-09-10")).days.to_numpy()
    >>> curve = pd.Series(100 * 2 ** (np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1)), days)
    >>> forecast_onset(curve, "D", pd.Timestamp("2012-09-05"))
    Timestamp('2012-09-10 00:00:00')
    """
    from forecasting.timing.surges import series_surges, smooth_series

    if curve is None or len(curve) < 8:
        return pd.NaT
    onsets = [s["onset"] for s in series_surges(smooth_series(curve, freq), 1.15, 40)]
    gaps = [abs((pd.Timestamp(o) - near).days) for o in onsets]  # type: ignore[arg-type]
    if not gaps or min(gaps) > 21:
        return pd.NaT
    return pd.Timestamp(onsets[int(np.argmin(gaps))])  # type: ignore[arg-type]
