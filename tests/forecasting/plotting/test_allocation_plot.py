"""plot_allocation(): one bar per store with minimums and caps marked; the PNG is written."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from forecasting.allocation.allocator import allocate
from forecasting.exceptions import DataValidationError
from forecasting.plotting.allocation import plot_allocation

matplotlib.use("Agg")


def test_plot_marks_minimums_caps_and_saves(tmp_path: Path) -> None:
    demand = pd.DataFrame({"store": ["A", "B", "C", "D"], "mean": [15.0, 9.0, 4.0, 1.0]})
    stores = pd.DataFrame(
        {
            "store": ["A", "B", "C", "D"],
            "min_units": [0, 0, 0, 4],
            "max_units": [None, 6, None, None],
        }
    )
    plan = allocate(30, demand, stores, holdback=0.1)
    fig = plot_allocation(plan, top=3, lang="en")
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == ["A", "B", "D"]  # the 3 with most units
    title = ax.get_title(loc="left")
    assert "27 to stores, 3 at DC" in title and "1 store with fewer units not shown" in title
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("minimum" in t for t in labels) and any("cap" in t for t in labels)
    out = tmp_path / "allocation.png"
    fig.savefig(out)
    assert out.stat().st_size > 5_000
    with pytest.raises(DataValidationError, match="not in the allocation"):
        plot_allocation(plan, sku="nope")
