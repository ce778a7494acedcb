"""The whole flow in one call (:func:`make_plan`), written as one folder (:func:`write_plan`),
its in-season review (:func:`review_plan`, :func:`write_review`), and the atomic file writers.

The names are imported when first used, so that the command line can check an output folder
(:mod:`forecasting.plan.writers`) at once, before loading the models.
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:
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
    from forecasting.plan.review import Review, review_plan, review_summary, write_review

__all__ = [
    "Plan",
    "Review",
    "export_launch_calendar",
    "launch_calendar_ics",
    "make_plan",
    "plan_summary",
    "review_plan",
    "review_summary",
    "write_launch_csv",
    "write_launch_excel",
    "write_launch_ics",
    "write_launch_png",
    "write_plan",
    "write_review",
]

_LAZY = {
    "Plan": "forecasting.plan.flow",
    "make_plan": "forecasting.plan.flow",
    "plan_summary": "forecasting.plan.folder",
    "write_plan": "forecasting.plan.folder",
    **{
        name: "forecasting.plan.review"
        for name in ("Review", "review_plan", "review_summary", "write_review")
    },
    **{
        name: "forecasting.plan.calendar_files"
        for name in (
            "export_launch_calendar",
            "launch_calendar_ics",
            "write_launch_csv",
            "write_launch_excel",
            "write_launch_ics",
            "write_launch_png",
        )
    },
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
