"""Calendar inputs of the Prophet model, built once per fit and shared by every series.

Daily data get a holidays frame built from :func:`calendars.events` (as indicator regressors, one
per event and day of its window, computed once for all series: :func:`holiday_day_features`): each
run of consecutive days of one public holiday becomes one anchored event whose window covers the
shopping days before it and the slack after it (the Spring Festival is anchored on the lunar new
year and reaches 28 days before and 21 after, so the pre-festival peak and the post-festival trough
are learnt wherever the festival falls); make-up workdays (调休) are one event, so a working
Saturday is not taken for a weekend; retail events keep their pre-sale windows; solar terms
(opt-in) a short window after the term. Names are ``"kind:event"``.

Weekly data get extra regressors, because holiday dates rarely coincide with weekly labels: the
public holidays as days per week of each 7-day block of their window (:func:`holiday_week_features`,
so the build-up and the trough around a moving festival keep their shape), and the other kinds from
:func:`calendars.weekly_event_features` (days of each event or its window per week).

Examples
--------
>>> windows = HOLIDAY_WINDOWS["Spring Festival"]
>>> windows
(-28, 21)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_KINDS",
    "HOLIDAY_WINDOWS",
    "CalendarFeatures",
    "holiday_day_features",
    "holiday_frame",
    "holiday_week_features",
]

#: Event kinds the Prophet model uses by default (solar terms are close to fixed solar dates, which
#: the
#: yearly seasonality already captures; add ``"solar_term"`` to use them as events too).
DEFAULT_KINDS: tuple[str, ...] = ("holiday", "workday", "retail")

#: (days before the first holiday day, days after the last) per public holiday;
#: others use ``(-3, 2)``.
HOLIDAY_WINDOWS: dict[str, tuple[int, int]] = {
    "Spring Festival": (-28, 21),
    "National Day": (-7, 3),
    "New Year's Day": (-5, 2),
    "Labour Day": (-5, 2),
    "Labor Day": (-5, 2),
    "Thanksgiving": (-3, 4),
    "Christmas Day": (-21, 6),
}
_DEFAULT_WINDOW = (-3, 2)
_SOLAR_TERM_WINDOW = (-2, 7)


def _lunar_new_year(year: int) -> pd.Timestamp | None:
    try:
        from lunar_python import Lunar
    except ImportError:  # pragma: no cover - lunar_python is a dependency
        return None
    solar = Lunar.fromYmd(year, 1, 1).getSolar()
    return pd.Timestamp(solar.getYear(), solar.getMonth(), solar.getDay())


def holiday_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Turn a :func:`calendars.events` table into a Prophet ``holidays`` frame.

    Parameters
    ----------
    events : DataFrame
        Columns ``date, event, kind, lower_window, upper_window``.

    Returns
    -------
    DataFrame
        ``holiday, ds, lower_window, upper_window``; holiday names are ``"kind:event"``.

    Examples
    --------
    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2011-10-01", "2011-10-02", "2011-10-08"]),
    ...                    "event": ["National Day", "National Day", "National Day"],
    ...                    "kind": ["holiday", "holiday", "workday"],
    ...                    "lower_window": 0, "upper_window": 0})
    >>> holiday_frame(ev).to_dict("records")[0]["upper_window"]
    4
    """
    rows: list[dict[str, object]] = []
    events = events.sort_values(["kind", "event", "date"])
    for (kind, event), group in events.groupby(["kind", "event"], sort=True):
        dates = pd.DatetimeIndex(group["date"])
        lower = group["lower_window"].fillna(0).astype(int).to_numpy()
        upper = group["upper_window"].fillna(0).astype(int).to_numpy()
        if kind == "workday":
            rows.extend(
                {
                    "holiday": "workday:make-up workday",
                    "ds": d,
                    "lower_window": 0,
                    "upper_window": 0,
                }
                for d in dates
            )
            continue
        if kind != "holiday":
            pre, post = _SOLAR_TERM_WINDOW if kind == "solar_term" else (0, 0)
            rows.extend(
                {
                    "holiday": f"{kind}:{event}",
                    "ds": d,
                    "lower_window": min(int(lo), pre, 0),
                    "upper_window": max(int(up), post, 0),
                }
                for d, lo, up in zip(dates, lower, upper, strict=True)
            )
            continue
        # one anchored event per run of consecutive holiday days
        breaks = np.flatnonzero(np.diff(dates.to_numpy()).astype("timedelta64[D]").astype(int) > 1)
        starts = np.r_[0, breaks + 1]
        ends = np.r_[breaks, len(dates) - 1]
        pre, post = HOLIDAY_WINDOWS.get(str(event), _DEFAULT_WINDOW)
        for s, e in zip(starts, ends, strict=True):
            first, last = dates[s], dates[e]
            anchor = first
            if event == "Spring Festival":
                lny = _lunar_new_year(first.year)
                if lny is not None and first - pd.Timedelta(days=3) <= lny <= last:
                    anchor = lny
            lo = min(pre, int((first - anchor).days + lower[s : e + 1].min()))
            up = max(
                int((last - anchor).days) + post, int((last - anchor).days + upper[s : e + 1].max())
            )
            rows.append(
                {"holiday": f"{kind}:{event}", "ds": anchor, "lower_window": lo, "upper_window": up}
            )
    frame = pd.DataFrame(rows, columns=["holiday", "ds", "lower_window", "upper_window"])
    frame["ds"] = pd.to_datetime(frame["ds"]).astype("datetime64[ns]")
    return frame.sort_values(["ds", "holiday"], ignore_index=True)


def holiday_week_features(holidays: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Weekly features of the public holidays with their windows, one column per week of the window.

    Each holiday event of ``holidays`` (kind ``holiday``) is cut into 7-day blocks relative to its
    anchor (block 0 = the anchor and the 6 days after; block -1 = the 7 days before, ...); column
    ``"holiday:<event>[w<block>]"`` counts the days of that block in each week (weeks end on the
    labels), so the shape of a moving holiday (the build-up before the Spring Festival, the trough
    after it) is learnt on weekly data.

    Parameters
    ----------
    holidays : DataFrame
        From :func:`holiday_frame`.
    dates : DatetimeIndex
        Week labels (last day of each week).

    Returns
    -------
    DataFrame
        Float columns indexed by ``dates``.

    Examples
    --------
    >>> hol = pd.DataFrame({"holiday": ["holiday:X"], "ds": [pd.Timestamp("2024-01-10")],
    ...                     "lower_window": [-7], "upper_window": [3]})
    >>> weeks = pd.date_range("2024-01-05", periods=3, freq="W-FRI")
    >>> holiday_week_features(hol, weeks).to_dict("list")
    {'holiday:X[w-1]': [3.0, 4.0, 0.0], 'holiday:X[w0]': [0.0, 3.0, 1.0]}
    """
    dates = pd.DatetimeIndex(dates)
    rows = holidays[holidays["holiday"].str.startswith("holiday:")]
    week_end = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    columns: dict[str, np.ndarray] = {}
    anchors = pd.DatetimeIndex(rows["ds"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    names = rows["holiday"].astype(str).tolist()
    lowers = rows["lower_window"].astype(int).tolist()
    uppers = rows["upper_window"].astype(int).tolist()
    for holiday, anchor, lo, up in zip(names, anchors, lowers, uppers, strict=True):
        for block in range(lo // 7, up // 7 + 1):
            start = anchor + max(7 * block, lo)
            end = anchor + min(7 * block + 6, up)
            overlap = np.minimum(end, week_end) - np.maximum(start, week_end - 6) + 1
            name = f"{holiday}[w{block}]"
            values = np.clip(overlap, 0, None).astype(float)
            columns[name] = columns[name] + values if name in columns else values
    return (
        pd.DataFrame(columns, index=dates).sort_index(axis=1)
        if columns
        else pd.DataFrame(index=dates)
    )


def holiday_day_features(holidays: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.DataFrame:
    """Daily indicator features of a holidays frame: one column per event and day of its window.

    The same design Prophet builds from its ``holidays`` argument (column ``"<holiday>[<offset>]"``
    is 1 on the days ``ds + offset``), computed once with numpy and shared by every series, which is
    much faster than Prophet's per-row construction; the model adds them as regressors with the
    holidays prior.

    Parameters
    ----------
    holidays : DataFrame
        From :func:`holiday_frame`.
    dates : DatetimeIndex
        Days.

    Returns
    -------
    DataFrame
        Float columns indexed by ``dates``.

    Examples
    --------
    >>> hol = pd.DataFrame({"holiday": ["holiday:X"], "ds": [pd.Timestamp("2024-01-10")],
    ...                     "lower_window": [-1], "upper_window": [0]})
    >>> holiday_day_features(hol, pd.date_range("2024-01-08", periods=4)).to_dict("list")
    {'holiday:X[-1]': [0.0, 1.0, 0.0, 0.0], 'holiday:X[+0]': [0.0, 0.0, 1.0, 0.0]}
    """
    dates = pd.DatetimeIndex(dates)
    days = dates.to_numpy().astype("datetime64[D]").astype(np.int64)
    anchors = pd.DatetimeIndex(holidays["ds"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    columns: dict[str, np.ndarray] = {}
    frame = holidays.assign(_day=anchors)
    for holiday, group in frame.groupby("holiday", sort=False):
        lo = int(group["lower_window"].min())
        up = int(group["upper_window"].max())
        for offset in range(lo, up + 1):
            inside = (offset >= group["lower_window"]) & (offset <= group["upper_window"])
            hits = np.isin(days, group.loc[inside, "_day"].to_numpy() + offset)
            if hits.any():
                columns[f"{holiday}[{offset:+d}]"] = hits.astype(float)
    return pd.DataFrame(columns, index=dates)


@dataclass(frozen=True)
class CalendarFeatures:
    """Calendar inputs for a span of years, built once and shared by every series (picklable).

    Parameters
    ----------
    market : str
        Calendar market (``"CN"``, ``"US"``, ...).
    kinds : tuple of str
        Event kinds in use.
    freq : str
        ``"D"`` or ``"W-<DAY>"``.
    holidays : DataFrame
        Holidays frame of :func:`holiday_frame`.
    features : DataFrame
        Regressors indexed by period label: :func:`holiday_day_features` for daily data;
        :func:`holiday_week_features` and :func:`calendars.weekly_event_features` for weekly data.
    """

    market: str
    kinds: tuple[str, ...]
    freq: str
    holidays: pd.DataFrame = field(repr=False)
    features: pd.DataFrame = field(repr=False)

    @classmethod
    def build(
        cls,
        start: pd.Timestamp,
        end: pd.Timestamp,
        freq: str,
        market: str = "CN",
        kinds: Iterable[str] = DEFAULT_KINDS,
    ) -> CalendarFeatures:
        """Build the calendar inputs for ``start .. end`` (pass the end of the longest forecast).

        Parameters
        ----------
        start, end : Timestamp
            Span of history and forecast.
        freq : str
            ``"D"`` or ``"W-<DAY>"``.
        market : str
            Calendar market.
        kinds : iterable of str
            Event kinds.

        Returns
        -------
        CalendarFeatures

        Examples
        --------
        >>> start, end = pd.Timestamp("2010-01-01"), pd.Timestamp("2011-12-31")
        >>> cal = CalendarFeatures.build(start, end, "W-SUN")
        >>> "holiday:Spring Festival[w-1]" in cal.features.columns
        True
        """
        import calendars

        kinds = tuple(kinds)
        years = list(range(pd.Timestamp(start).year - 1, pd.Timestamp(end).year + 2))
        parts = []
        usable: list[str] = []
        for kind in kinds:
            try:
                part = calendars.events(years, market=market, kinds=[kind])
            except (calendars.CalendarError, ValueError):
                continue  # this market has no such events
            if len(part):
                parts.append(part)
                usable.append(kind)
        events = (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=["date", "event", "kind", "lower_window", "upper_window"])
        )
        holidays = holiday_frame(events)
        empty = pd.DataFrame()
        draft = cls(market, tuple(usable), freq, holidays, empty)
        dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
        return cls(market, tuple(usable), freq, holidays, draft._compute(dates))

    def _compute(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        import calendars

        dates = pd.DatetimeIndex(dates)
        if self.freq == "D":
            return holiday_day_features(self.holidays, dates)
        parts = [holiday_week_features(self.holidays, dates)]
        others = [k for k in self.kinds if k != "holiday"]
        if others and len(dates):
            features = calendars.weekly_event_features(
                dates, market=self.market, kinds=others, label="end"
            )
            parts.append(features.astype(float).set_axis(dates, axis=0))
        return pd.concat(parts, axis=1)

    def features_for(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        """Calendar regressors for ``dates``: rows of the shared table, computed when not covered.

        Parameters
        ----------
        dates : DatetimeIndex
            Period labels (days or week ends).

        Returns
        -------
        DataFrame
            One float column per event (and window day or week), indexed by ``dates``.

        Examples
        --------
        >>> start, end = pd.Timestamp("2011-01-01"), pd.Timestamp("2011-12-31")
        >>> cal = CalendarFeatures.build(start, end, "D")
        >>> bool(cal.features_for(pd.DatetimeIndex(["2011-10-01"])).to_numpy().sum() >= 1)
        True
        """
        dates = pd.DatetimeIndex(dates)
        if dates.isin(self.features.index).all():
            return self.features.loc[dates]
        return self._compute(dates).reindex(columns=self.features.columns, fill_value=0.0)
