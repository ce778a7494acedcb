"""The whole flow in one call (:func:`make_plan`), written as one folder (:func:`write_plan`),
and the atomic file writers.
"""

from __future__ import annotations

from forecasting.plan.calendar_files import (
    export_launch_calendar,
    launch_calendar_ics,
    write_launch_csv,
    write_launch_excel,
    write_launch_ics,
    write_launch_png,
)
from forecasting.plan.flow import Plan, make_plan
from forecasting.plan.folder import plan_summary, write_plan

__all__ = [
    "Plan",
    "export_launch_calendar",
    "launch_calendar_ics",
    "make_plan",
    "plan_summary",
    "write_launch_csv",
    "write_launch_excel",
    "write_launch_ics",
    "write_launch_png",
    "write_plan",
]
