"""Shared fixtures of the web page's tests: the demo's input files as a planner uploads them."""

from __future__ import annotations

from pathlib import Path

import pytest

from forecasting.inputs import demo_path, load_demo


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's four inputs as files: the sales in long form, the bundled planning files."""
    folder = tmp_path_factory.mktemp("demo_upload")
    sales = folder / "sales.csv"
    load_demo().sales.to_csv(sales, index=False)
    plan = demo_path("demo_plan")
    return {
        "sales": sales,
        "products": plan / "new_products.csv",
        "stores": plan / "stores.csv",
        "judgments": plan / "judgments.csv",
    }
