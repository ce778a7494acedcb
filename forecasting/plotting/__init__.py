"""matplotlib figures of launchcast: every function takes ``ax=None`` and returns the figure."""

from __future__ import annotations

from forecasting.plotting._fonts import cjk_font, use_cjk_font, zh_label

__all__ = ["cjk_font", "use_cjk_font", "zh_label"]
