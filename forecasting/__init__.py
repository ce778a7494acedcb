"""launchcast forecasting: data, models, launch timing, depth, allocation and replenishment.

The public API, in the order of a planner's flow:

- data: :func:`read_sales`, :func:`read_stores`, :func:`read_products`, :func:`read_judgments`,
  :func:`load_demo`;
- surges and launch timing: :func:`detect_surges`, :func:`surge_profile`,
  :func:`recommend_launches`, :func:`export_launch_calendar`;
- forecasts: :class:`DemandForecaster` (many series on local cores or a Dask cluster),
  :class:`TopDownForecaster`, :func:`backtest` and the metrics;
- new products and depth: :class:`NewProductForecaster`, :func:`combine_judgments`,
  :func:`first_batch_depth`;
- distribution and replenishment (kept apart): :func:`store_demand`, :func:`allocate`,
  :func:`allocation_report`, :func:`replenish`;
- the whole flow: :func:`make_plan` and :func:`write_plan`.

Figures are in :mod:`forecasting.plotting`.
"""

from __future__ import annotations

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
)
from forecasting.exceptions import (
    AllocationError,
    DataValidationError,
    LaunchcastError,
    MissingDependencyError,
    NotFittedError,
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
    export_launch_calendar,
    launch_calendar_ics,
    make_plan,
    plan_summary,
    write_launch_csv,
    write_launch_excel,
    write_launch_ics,
    write_launch_png,
    write_plan,
)
from forecasting.timing import delivery_date, detect_surges, recommend_launches, surge_profile

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
    "Plan",
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
    "replenish",
    "sales_frequency",
    "store_demand",
    "surge_profile",
    "wape",
    "write_launch_csv",
    "write_launch_excel",
    "write_launch_ics",
    "write_launch_png",
    "write_plan",
]
