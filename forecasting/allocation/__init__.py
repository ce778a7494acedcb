"""Store demand, the exact allocator and its report; replenishment of continuing products
(a separate job).
"""

from __future__ import annotations

from forecasting.allocation.allocator import allocate
from forecasting.allocation.replenishment import replenish
from forecasting.allocation.report import AllocationReport, allocation_report
from forecasting.allocation.store_demand import store_demand

__all__ = [
    "AllocationReport",
    "allocate",
    "allocation_report",
    "replenish",
    "store_demand",
]
