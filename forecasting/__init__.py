"""launchcast forecasting: data, models, launch timing, depth, allocation and replenishment.

The public API, in the order of a planner's flow:

- data: :func:`read_sales`, :func:`read_stores`, :func:`read_products`, :func:`read_judgments`,
  :func:`load_demo`;
- surges and launch timing: :func:`detect_surges`, :func:`surge_profile`,
  :func:`recommend_launches`, :func:`export_launch_calendar`;
- forecasts: :class:`DemandForecaster` (many series on local cores or a Dask cluster),
  :class:`TopDownForecaster`, :func:`backtest` and the metrics;
- new products and depth: :class:`NewProductForecaster`, :func:`top_down_demand`,
  :func:`combine_judgments`, :func:`first_batch_depth`;
- distribution and replenishment (kept apart): :func:`store_demand`, :func:`allocate`,
  :func:`allocation_report`, :func:`replenish`;
- in season, for new products in their launch window: :func:`update_demand`,
  :func:`second_batch`, :func:`first_batch_before_reorder`, :func:`store_remaining_demand`,
  :func:`release_holdback`, :func:`retime_waves`;
- the whole flow: :func:`make_plan` and :func:`write_plan`; its review in season:
  :func:`review_plan` and :func:`write_review`.

Figures are in :mod:`forecasting.plotting`.

Importing :mod:`forecasting` is quick: each name is imported from its subpackage on first use, so
``import forecasting`` loads neither pandas nor Prophet until a name that needs them is asked for.
"""

from __future__ import annotations

import importlib
import typing

from forecasting.exceptions import (
    AllocationError,
    DataValidationError,
    LaunchcastError,
    MissingDependencyError,
    NotFittedError,
    OutputExistsError,
)

if typing.TYPE_CHECKING:
    from forecasting.allocation import (
        AllocationReport,
        allocate,
        allocation_report,
        replenish,
        store_demand,
    )
    from forecasting.depth import (
        NewProductForecaster,
        calibrate_dispersion,
        combine_judgments,
        first_batch_depth,
        newsvendor_outcomes,
        newsvendor_quantity,
        top_down_demand,
    )
    from forecasting.inputs import (
        DataQualityWarning,
        DemoData,
        load_demo,
        parse_columns,
        read_judgments,
        read_products,
        read_sales,
        read_stores,
        sales_frequency,
    )
    from forecasting.inseason import (
        first_batch_before_reorder,
        release_holdback,
        retime_waves,
        second_batch,
        store_remaining_demand,
        update_demand,
    )
    from forecasting.models import (
        BacktestResult,
        DemandForecaster,
        TopDownForecaster,
        backtest,
        coverage,
        forecast_metrics,
        mase,
        pinball_loss,
        wape,
    )
    from forecasting.plan import (
        Plan,
        Review,
        export_launch_calendar,
        launch_calendar_ics,
        make_plan,
        plan_summary,
        review_plan,
        write_plan,
        write_review,
    )
    from forecasting.timing import (
        delivery_date,
        detect_surges,
        recommend_launches,
        surge_profile,
    )

_LAZY = {
    "AllocationReport": "forecasting.allocation",
    "BacktestResult": "forecasting.models",
    "DataQualityWarning": "forecasting.inputs",
    "DemandForecaster": "forecasting.models",
    "DemoData": "forecasting.inputs",
    "NewProductForecaster": "forecasting.depth",
    "Plan": "forecasting.plan",
    "Review": "forecasting.plan",
    "TopDownForecaster": "forecasting.models",
    "allocate": "forecasting.allocation",
    "allocation_report": "forecasting.allocation",
    "backtest": "forecasting.models",
    "calibrate_dispersion": "forecasting.depth",
    "combine_judgments": "forecasting.depth",
    "coverage": "forecasting.models",
    "delivery_date": "forecasting.timing",
    "detect_surges": "forecasting.timing",
    "export_launch_calendar": "forecasting.plan",
    "first_batch_before_reorder": "forecasting.inseason",
    "first_batch_depth": "forecasting.depth",
    "forecast_metrics": "forecasting.models",
    "launch_calendar_ics": "forecasting.plan",
    "load_demo": "forecasting.inputs",
    "make_plan": "forecasting.plan",
    "mase": "forecasting.models",
    "newsvendor_outcomes": "forecasting.depth",
    "newsvendor_quantity": "forecasting.depth",
    "parse_columns": "forecasting.inputs",
    "pinball_loss": "forecasting.models",
    "plan_summary": "forecasting.plan",
    "read_judgments": "forecasting.inputs",
    "read_products": "forecasting.inputs",
    "read_sales": "forecasting.inputs",
    "read_stores": "forecasting.inputs",
    "recommend_launches": "forecasting.timing",
    "release_holdback": "forecasting.inseason",
    "replenish": "forecasting.allocation",
    "retime_waves": "forecasting.inseason",
    "review_plan": "forecasting.plan",
    "sales_frequency": "forecasting.inputs",
    "second_batch": "forecasting.inseason",
    "store_demand": "forecasting.allocation",
    "store_remaining_demand": "forecasting.inseason",
    "surge_profile": "forecasting.timing",
    "top_down_demand": "forecasting.depth",
    "update_demand": "forecasting.inseason",
    "wape": "forecasting.models",
    "write_plan": "forecasting.plan",
    "write_review": "forecasting.plan",
}

__all__ = [
    "AllocationError",
    "AllocationReport",
    "BacktestResult",
    "DataQualityWarning",
    "DataValidationError",
    "DemandForecaster",
    "DemoData",
    "LaunchcastError",
    "MissingDependencyError",
    "NewProductForecaster",
    "NotFittedError",
    "OutputExistsError",
    "Plan",
    "Review",
    "TopDownForecaster",
    "allocate",
    "allocation_report",
    "backtest",
    "calibrate_dispersion",
    "combine_judgments",
    "coverage",
    "delivery_date",
    "detect_surges",
    "export_launch_calendar",
    "first_batch_before_reorder",
    "first_batch_depth",
    "forecast_metrics",
    "launch_calendar_ics",
    "load_demo",
    "make_plan",
    "mase",
    "newsvendor_outcomes",
    "newsvendor_quantity",
    "parse_columns",
    "pinball_loss",
    "plan_summary",
    "read_judgments",
    "read_products",
    "read_sales",
    "read_stores",
    "recommend_launches",
    "release_holdback",
    "replenish",
    "retime_waves",
    "review_plan",
    "sales_frequency",
    "second_batch",
    "store_demand",
    "store_remaining_demand",
    "surge_profile",
    "top_down_demand",
    "update_demand",
    "wape",
    "write_plan",
    "write_review",
]


def __getattr__(name: str) -> typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'forecasting' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
