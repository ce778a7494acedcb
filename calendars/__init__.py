"""Calendar facts for retail planning: solar terms, holidays with make-up workdays, retail events.

* :func:`solar_terms`: the 24 solar terms (二十四节气) of any year 1900-2100, computed
  astronomically (lunar-python), to the second in Beijing time (fixed UTC+8).
* :func:`events`: official days off (stable festival names; weekend days inside a Chinese break
  included), make-up workdays (调休上班), retail events with pre-sale windows
  (:data:`RETAIL_EVENTS`, extensible with :class:`RetailEvent`) and solar terms.
  ``confirmed`` is False where the official schedule is not published (no workdays are invented).
* :func:`is_workday`, :func:`workdays`: official working days.
* The adapters from events to model features, the only ones in launchcast (the models consume
  them): :func:`holiday_frame` and :func:`prophet_holidays` (Prophet ``holidays`` frames, with each
  event's own window or the model's anchored windows: :data:`HOLIDAY_WINDOWS`, the Spring Festival
  on the lunar new year), :func:`holiday_day_features` (daily indicators),
  :func:`holiday_week_features` and :func:`weekly_event_features` (days per week),
  :func:`monthly_event_features` (days off and moving events per month), and
  :func:`model_features` (the regressors of the forecasting model).
* :func:`user_events`: the user's own dated events (local holidays, promotions, store events)
  from a DataFrame, CSV or Excel file, checked, in the form of :func:`events`; the models treat
  them like the built-in events (as ``"user:<event>"``).

Every year is computed once per market and cached. Other markets: any country code of the
``holidays`` package (:func:`market_code` checks one). Bad years, markets or kinds raise
:class:`CalendarError` (a ValueError).

Examples
--------
>>> import calendars
>>> calendars.is_workday("2025-02-08")  # Saturday, make-up workday after Spring Festival
True
>>> calendars.solar_terms(2026).loc[16, ["name", "english"]].tolist()
['白露', 'White Dew']
"""

from __future__ import annotations

from calendars._common import KINDS, MAX_YEAR, MIN_YEAR, market_code
from calendars.adapters import (
    HOLIDAY_WINDOWS,
    MONTHLY_FREQS,
    holiday_day_features,
    holiday_frame,
    holiday_week_features,
    model_features,
    monthly_event_features,
    prophet_holidays,
    weekly_event_features,
)
from calendars.events import EVENT_COLUMNS, event_names, events, is_workday, workdays
from calendars.exceptions import CalendarError
from calendars.lunar import festival_date
from calendars.retail import RETAIL_EVENTS, RetailEvent
from calendars.solar_terms import SOLAR_TERMS, SolarTerm, solar_terms
from calendars.user_events import USER_KIND, user_events

__all__ = [  # noqa: RUF022  (plain sorted(), as tests/test_public_api.py checks)
    "CalendarError",
    "EVENT_COLUMNS",
    "HOLIDAY_WINDOWS",
    "KINDS",
    "MAX_YEAR",
    "MIN_YEAR",
    "MONTHLY_FREQS",
    "RETAIL_EVENTS",
    "RetailEvent",
    "SOLAR_TERMS",
    "SolarTerm",
    "USER_KIND",
    "event_names",
    "events",
    "festival_date",
    "holiday_day_features",
    "holiday_frame",
    "holiday_week_features",
    "is_workday",
    "market_code",
    "model_features",
    "monthly_event_features",
    "prophet_holidays",
    "solar_terms",
    "user_events",
    "weekly_event_features",
    "workdays",
]
