"""matplotlib figures of launchcast: every function takes ``ax=None`` and returns the figure.

- :func:`plot_surges`: sales history with the detected surges and their anchors;
- :func:`plot_forecast`: history, forecast, interval band and the calendar anchors;
- :func:`plot_launch_timeline`: the launch calendar's deliveries, on-shelf and promotion windows;
- :func:`plot_allocation`: units per store with the presentation minimums and caps.

Every function takes ``lang="zh"|"en"`` (default: Chinese for a Chinese market,
:func:`forecasting.language.resolve_lang`); the words are in :mod:`forecasting.plotting.labels`.
Chinese renders when a CJK font is installed (:func:`cjk_font`); otherwise a figure keeps its
words in English and writes every Chinese name (events, stores, products) in pinyin
(:func:`drawable`), never as empty boxes.
"""

from __future__ import annotations

from forecasting.plotting.allocation import plot_allocation
from forecasting.plotting.fonts import cjk_font, drawable, use_cjk_font, zh_label
from forecasting.plotting.forecast import plot_forecast
from forecasting.plotting.labels import event_name, wave_label
from forecasting.plotting.surges import plot_surges
from forecasting.plotting.timeline import plot_launch_timeline

__all__ = [
    "cjk_font",
    "drawable",
    "event_name",
    "plot_allocation",
    "plot_forecast",
    "plot_launch_timeline",
    "plot_surges",
    "use_cjk_font",
    "wave_label",
    "zh_label",
]
