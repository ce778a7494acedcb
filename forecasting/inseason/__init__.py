"""In season: learn from the first weeks of sales, size the second batch, place the holdback.

The first batch is bought before any customer has seen the product. After its first weeks in
stores, each new product's remaining demand is updated from its own sales: by
:meth:`forecasting.depth.NewProductForecaster.predict` with ``observed=`` when past launches taught
a model how early weeks predict the rest, or by :func:`update_demand` from the plan's own
distribution. This package turns that into decisions:

- :func:`second_batch`: how much more to buy, given the stock and the reorder lead time, and
  :func:`first_batch_before_reorder`: how deep a first batch needs to be when a second will follow;
- :func:`store_remaining_demand` and :func:`release_holdback`: each store's updated demand, and the
  warehouse holdback (with the second batch) placed by the exact allocator net of store stock;
- :func:`retime_waves`: whether a wave of the launch calendar is arriving earlier than planned,
  and its deliveries not yet made moved.

:func:`forecasting.plan.review_plan` runs them all on a plan's folder (``launchcast review``).

Where the line with replenishment is: the in-season step is for new products in their launch
window (the plan's ``horizon_weeks`` on shelf). When the window ends the product is handed over to
replenishment (:func:`forecasting.allocation.replenish`), which keeps continuing products in stock
from their sales rate and is a separate job.
"""

from __future__ import annotations

from forecasting.inseason.retiming import RETIMING_COLUMNS, retime_waves
from forecasting.inseason.second_batch import (
    SECOND_BATCH_COLUMNS,
    first_batch_before_reorder,
    second_batch,
)
from forecasting.inseason.stores import release_holdback, store_remaining_demand
from forecasting.inseason.update import default_share_sd, update_demand

__all__ = [
    "RETIMING_COLUMNS",
    "SECOND_BATCH_COLUMNS",
    "default_share_sd",
    "first_batch_before_reorder",
    "release_holdback",
    "retime_waves",
    "second_batch",
    "store_remaining_demand",
    "update_demand",
]
