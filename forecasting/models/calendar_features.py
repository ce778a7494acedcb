"""Calendar inputs of the Prophet model, built once per fit and shared by every series.

:class:`CalendarFeatures` only caches what the adapters of :mod:`calendars` compute: the holidays
frame with the model's windows (:func:`calendars.holiday_frame` with ``windows="model"``: each
public holiday break anchored, the Spring Festival on the lunar new year, make-up workdays as one
event, retail pre-sale windows, solar terms when asked for) and the regressors built from it
(:func:`calendars.model_features`: indicators per event and window day for daily data; days per
week of each holiday window week, and of the other events, for weekly data).

Examples
--------
>>> import pandas as pd
>>> cal = CalendarFeatures.build(pd.Timestamp("2011-01-01"), pd.Timestamp("2011-03-31"), "W-SUN")
>>> cal.kinds
('holiday', 'workday', 'retail')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

import calendars

__all__ = ["DEFAULT_KINDS", "CalendarFeatures"]

#: Event kinds the Prophet model uses by default (solar terms are close to fixed solar dates, which
#: the yearly seasonality already captures; add ``"solar_term"`` to use them as events too).
DEFAULT_KINDS: tuple[str, ...] = ("holiday", "workday", "retail")


@dataclass(frozen=True)
class CalendarFeatures:
    """Calendar inputs for a span of years, built once and shared by every series (picklable).

    Parameters
    ----------
    market : str
        Calendar market (``"CN"``, ``"US"``, ...).
    kinds : tuple of str
        Event kinds in use (those of the requested kinds that the market has).
    freq : str
        ``"D"`` or ``"W-<DAY>"``.
    holidays : DataFrame
        Holidays frame of :func:`calendars.holiday_frame` with ``windows="model"``.
    features : DataFrame
        Regressors indexed by period label, from :func:`calendars.model_features`.
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

        Kinds that the market lacks, or a market the calendars do not know, leave the model without
        those events.

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
        holidays = calendars.holiday_frame(events, windows="model")
        dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
        features = calendars.model_features(holidays, dates, freq, market, usable)
        return cls(market, tuple(usable), freq, holidays, features)

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
        computed = calendars.model_features(
            self.holidays, dates, self.freq, self.market, self.kinds
        )
        return computed.reindex(columns=self.features.columns, fill_value=0.0)
