"""Read, map, parse and validate the input tables; the bundled demo data.

Everything downstream receives tables that have passed here.
"""

from __future__ import annotations

from forecasting.inputs.demo import DemoData, demo_path, load_demo
from forecasting.inputs.frequency import sales_frequency
from forecasting.inputs.plan_tables import read_judgments, read_products, read_stores
from forecasting.inputs.readers import Inputs, parse_columns, read_inputs, read_sales
from forecasting.inputs.validation import DataQualityWarning

__all__ = [
    "DataQualityWarning",
    "DemoData",
    "Inputs",
    "demo_path",
    "load_demo",
    "parse_columns",
    "read_inputs",
    "read_judgments",
    "read_products",
    "read_sales",
    "read_stores",
    "sales_frequency",
]
