"""Calendar inputs of the Prophet model, built once per fit and shared by every series.

:class:`CalendarFeatures` only caches what the adapters of :mod:`calendars` compute: the holidays
frame with the model's windows (:func:`calendars.holiday_frame` with ``windows="model"``: each
public holiday break anchored, the Spring Festival on the lunar new year, make-up workdays as one
event, retail pre-sale windows, solar terms when asked for, and the user's own events with their
windows) and the regressors built from it (:func:`calendars.model_features`: indicators per event
and window day for daily data; days per week of each holiday window week, and of the other events,
for weekly data; days off, make-up workdays and the share of each moving event per month for
monthly data).

The market is any country of the ``holidays`` package (``"CN"`` with launchcast's Chinese
schedule: whole breaks, make-up workdays, retail events; other markets their public holidays);
an unknown market is an error, never a silent calendar without holidays. ``market=None`` uses no
public calendar, only the user's own events.

Examples
--------
>>> import pandas as pd
>>> cal = CalendarFeatures.build(pd.Timestamp("2011-01-01"), pd.Timestamp("2011-03-31"), "W-SUN")
>>> cal.kinds
('holiday', 'workday', 'retail')
>>> cal.describe()
'CN: public holidays with make-up workdays, retail events'
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NoReturn

import pandas as pd

import calendars
from forecasting.exceptions import DataValidationError, option

__all__ = ["DEFAULT_KINDS", "NO_MARKET", "CalendarFeatures"]

#: Event kinds the Prophet model uses by default (solar terms are close to fixed solar dates, which
#: the yearly seasonality already captures; add ``"solar_term"`` to use them as events too).
DEFAULT_KINDS: tuple[str, ...] = ("holiday", "workday", "retail")

#: The ``market`` values that mean "no public calendar" (only the user's own events), besides None.
NO_MARKET: tuple[str, ...] = ("none", "")

_SHOWN_EVENTS = 5


def _no_events() -> pd.DataFrame:
    return calendars.user_events(pd.DataFrame({"date": [], "event": []}))


def _market(market: str | None) -> str | None:
    """The market's two-letter code, ``None`` for no public calendar, or DataValidationError."""
    if market is None or (isinstance(market, str) and market.strip().lower() in NO_MARKET):
        return None
    try:
        return calendars.market_code(market) if isinstance(market, str) else _bad_market(market)
    except calendars.CalendarError:
        return _bad_market(market)


def _bad_market(market: object) -> NoReturn:
    raise DataValidationError(
        f"{option('market', market)} is not a country the holidays package knows; e.g. 'CN', "
        f"'US', 'DE', 'EC' (a two- or three-letter country code), or {option('market', 'none')} "
        "for only your own events"
    )


def _kinds(kinds: Iterable[str]) -> tuple[str, ...]:
    wanted = (kinds,) if isinstance(kinds, str) else tuple(kinds)
    bad = [k for k in wanted if k not in calendars.KINDS]
    if bad:
        raise DataValidationError(
            f"calendar kinds: unknown kind(s) {bad!r}; choose from {', '.join(calendars.KINDS)} "
            "(your own events go in events=..., not in the kinds)"
        )
    return wanted


def _user_events(events: pd.DataFrame | str | os.PathLike[str] | None) -> pd.DataFrame:
    if events is None:
        return _no_events()
    try:
        return calendars.user_events(events)
    except calendars.CalendarError as exc:
        raise DataValidationError(str(exc)) from None


@dataclass(frozen=True)
class CalendarFeatures:
    """Calendar inputs for a span of years, built once and shared by every series (picklable).

    Parameters
    ----------
    market : str or None
        Calendar market as a two-letter code (``"CN"``, ``"US"``, ...); ``None``: no public
        calendar (only the user's events).
    kinds : tuple of str
        Built-in event kinds in use (those of the requested kinds that the market has).
    freq : str
        ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"``.
    holidays : DataFrame
        Holidays frame of :func:`calendars.holiday_frame` with ``windows="model"`` (the user's
        events named ``"user:<event>"``).
    features : DataFrame
        Regressors indexed by period label, from :func:`calendars.model_features`.
    user_events : DataFrame
        The user's own events, as :func:`calendars.user_events` returns them (no rows when none).
    """

    market: str | None
    kinds: tuple[str, ...]
    freq: str
    holidays: pd.DataFrame = field(repr=False)
    features: pd.DataFrame = field(repr=False)
    user_events: pd.DataFrame = field(default_factory=_no_events, repr=False)

    @classmethod
    def build(
        cls,
        start: pd.Timestamp,
        end: pd.Timestamp,
        freq: str,
        market: str | None = "CN",
        kinds: Iterable[str] = DEFAULT_KINDS,
        events: pd.DataFrame | str | os.PathLike[str] | None = None,
    ) -> CalendarFeatures:
        """Build the calendar inputs for ``start .. end`` (pass the end of the longest forecast).

        A kind that the market lacks (make-up workdays or retail events outside China) is left
        out; :meth:`describe` says which calendar is used.

        Parameters
        ----------
        start, end : Timestamp
            Span of history and forecast.
        freq : str
            ``"D"``, ``"W-<DAY>"`` (weeks ending on the labels), ``"MS"`` or ``"ME"`` (months
            labelled by their first or last day).
        market : str or None, default "CN"
            A country code of the ``holidays`` package (``"CN"``, ``"US"``, ``"DE"``, ``"EC"``,
            alpha-2 or alpha-3, any case); ``None`` or ``"none"``: no public calendar, only
            ``events``.
        kinds : iterable of str, default DEFAULT_KINDS
            Built-in event kinds: ``"holiday"``, ``"workday"``, ``"retail"``, ``"solar_term"``.
        events : DataFrame, str or path, optional
            The user's own dated events (local holidays, promotions, store events): a table, or a
            CSV or Excel file, with columns ``date, event`` and optionally ``kind``,
            ``lower_window``, ``upper_window`` (see :func:`calendars.user_events`). Each event name
            becomes its own regressors (``"user:<event>..."``), exactly like a built-in event,
            and never shares a name with one.

        Returns
        -------
        CalendarFeatures

        Raises
        ------
        DataValidationError
            For a market that neither launchcast's calendars nor the ``holidays`` package know,
            an unknown kind, a span outside the years 1900..2100, or a bad events table (one line
            naming the file, the column and the rows).

        Examples
        --------
        >>> start, end = pd.Timestamp("2010-01-01"), pd.Timestamp("2011-12-31")
        >>> cal = CalendarFeatures.build(start, end, "W-SUN")
        >>> "holiday:Spring Festival[w-1]" in cal.features.columns
        True
        >>> promo = pd.DataFrame({"date": ["2011-05-07"], "event": ["Spring sale"],
        ...                       "lower_window": [-1]})
        >>> cal = CalendarFeatures.build(start, end, "D", market="US", events=promo)
        >>> cal.features.loc["2011-05-06":"2011-05-07", "user:Spring sale[-1]"].tolist()
        [1.0, 0.0]
        >>> cal.describe()
        'US: public holidays (holidays package); 1 user event (Spring sale)'
        >>> CalendarFeatures.build(start, end, "D", market="XX")
        Traceback (most recent call last):
        ...
        forecasting.exceptions.DataValidationError: market='XX' is not a country the holidays package knows; e.g. 'CN', 'US', 'DE', 'EC' (a two- or three-letter country code), or market='none' for only your own events
        """  # noqa: E501
        code = _market(market)
        wanted = _kinds(kinds) if code is not None else ()
        user = _user_events(events)
        first, last = pd.Timestamp(start).year, pd.Timestamp(end).year
        if first > calendars.MAX_YEAR or last < calendars.MIN_YEAR:
            raise DataValidationError(
                f"dates {first}..{last}: the calendars cover the years {calendars.MIN_YEAR}.."
                f"{calendars.MAX_YEAR}; check the date column"
            )
        years = range(max(first - 1, calendars.MIN_YEAR), min(last + 1, calendars.MAX_YEAR) + 1)
        parts = []
        usable: list[str] = []
        for kind in wanted:
            try:
                part = calendars.events(years, market=code or "CN", kinds=[kind])
            except calendars.CalendarError as exc:
                raise DataValidationError(str(exc)) from None
            if len(part):  # else this market has no such events (no make-up workdays in the US)
                parts.append(part)
                usable.append(kind)
        if len(user):
            parts.append(user.assign(kind=calendars.USER_KIND))
        table = (
            pd.concat(parts, ignore_index=True)
            if parts
            else pd.DataFrame(columns=["date", "event", "kind", "lower_window", "upper_window"])
        )
        holidays = calendars.holiday_frame(table, windows="model")
        dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
        features = calendars.model_features(holidays, dates, freq, code, usable)
        return cls(code, tuple(usable), freq, holidays, features, user)

    def features_for(self, dates: pd.DatetimeIndex) -> pd.DataFrame:
        """Calendar regressors for ``dates``: rows of the shared table, computed when not covered.

        Parameters
        ----------
        dates : DatetimeIndex
            Period labels (days, week ends, or month labels).

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

    def describe(self) -> str:
        """One line saying which calendar the model uses: the market, its kinds, the user's events.

        Returns
        -------
        str
            E.g. ``"CN: public holidays with make-up workdays, retail events; 2 user events (Store
            anniversary, Spring sale)"`` or ``"US: public holidays (holidays package)"``.

        Examples
        --------
        >>> span = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")
        >>> CalendarFeatures.build(*span, "W-SUN", market="DE").describe()
        'DE: public holidays (holidays package)'
        >>> mine = pd.DataFrame({"date": ["2024-05-01"], "event": ["Store anniversary"]})
        >>> CalendarFeatures.build(*span, "MS", market=None, events=mine).describe()
        'no public calendar; 1 user event (Store anniversary)'
        """
        kinds = set(self.kinds)
        if self.market is None:
            head = "no public calendar"
        else:
            items = []
            if "holiday" in kinds:
                items.append(
                    "public holidays with make-up workdays"
                    if "workday" in kinds
                    else "public holidays"
                )
            elif "workday" in kinds:
                items.append("make-up workdays")
            if items and self.market != "CN":
                items[0] += " (holidays package)"
            if "retail" in kinds:
                items.append("retail events")
            if "solar_term" in kinds:
                items.append("solar terms")
            head = f"{self.market}: " + (", ".join(items) if items else "no calendar events")
        names = list(dict.fromkeys(self.user_events["event"].astype(str)))
        if not names:
            return head
        shown = ", ".join(names[:_SHOWN_EVENTS])
        if len(names) > _SHOWN_EVENTS:
            shown += f" and {len(names) - _SHOWN_EVENTS} more"
        noun = "user event" if len(names) == 1 else "user events"
        return f"{head}; {len(names)} {noun} ({shown})"
