"""matplotlib figures of launchcast: every function takes ``ax=None`` and returns the figure.

- :func:`plot_surges`: sales history with the detected surges and their anchors;
- :func:`plot_forecast`: history, forecast, interval band and the calendar anchors;
- :func:`plot_launch_timeline`: the launch calendar's deliveries, on-shelf and promotion windows;
- :func:`plot_allocation`: units per store with the presentation minimums and caps.

Chinese labels render when a CJK font is installed (:func:`cjk_font`); otherwise they are written in
pinyin, never as empty boxes.
"""

from __future__ import annotations

from forecasting.plotting.allocation import plot_allocation
from forecasting.plotting.fonts import cjk_font, use_cjk_font, zh_label
from forecasting.plotting.forecast import plot_forecast
from forecasting.plotting.surges import plot_surges
from forecasting.plotting.timeline import plot_launch_timeline

__all__ = [
    "cjk_font",
    "plot_allocation",
    "plot_forecast",
    "plot_launch_timeline",
    "plot_surges",
    "use_cjk_font",
    "zh_label",
]
