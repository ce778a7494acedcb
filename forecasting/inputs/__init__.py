"""Read, map, parse and validate the input tables; the bundled demo data.

Everything downstream receives tables that have passed here (:mod:`forecasting.inputs.validated`)
and does not validate them again.
"""

from __future__ import annotations

from forecasting.inputs.demo import DemoData, demo_path, load_demo
from forecasting.inputs.frequency import LAUNCH_WEEKS, sales_frequency
from forecasting.inputs.launch_sales import validate_launch_sales
from forecasting.inputs.readers import (
    Inputs,
    as_judgments,
    as_products,
    as_sales,
    as_stores,
    parse_columns,
    read_inputs,
    read_judgments,
    read_products,
    read_sales,
    read_stores,
    validate_judgments,
    validate_products,
    validate_sales,
    validate_stores,
)
from forecasting.inputs.validated import JudgmentsTable, ProductsTable, SalesTable, StoresTable
from forecasting.inputs.validation import DataQualityWarning

__all__ = [
    "LAUNCH_WEEKS",
    "DataQualityWarning",
    "DemoData",
    "Inputs",
    "JudgmentsTable",
    "ProductsTable",
    "SalesTable",
    "StoresTable",
    "as_judgments",
    "as_products",
    "as_sales",
    "as_stores",
    "demo_path",
    "load_demo",
    "parse_columns",
    "read_inputs",
    "read_judgments",
    "read_products",
    "read_sales",
    "read_stores",
    "sales_frequency",
    "validate_judgments",
    "validate_launch_sales",
    "validate_products",
    "validate_sales",
    "validate_stores",
]
