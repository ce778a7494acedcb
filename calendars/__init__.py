"""Calendar facts for retail planning: solar terms, public holidays with make-up workdays, retail events."""

from __future__ import annotations

from calendars.exceptions import CalendarError

__all__ = ["CalendarError"]
