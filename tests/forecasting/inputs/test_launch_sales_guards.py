"""Steps that add sales up by date refuse weeks counted from each launch (``"W-LAUNCH"``).

Each sku of launch-relative sales has its weekly rows on its own weekday, so summing them by date,
cutting them at a common date or measuring store rates over distinct dates would mix weeks that do
not line up: the backtest, the top-down forecaster, past launches' shares, the split over stores
and the sales charts stop with the one-line error of
:func:`~forecasting.inputs.frequency.require_calendar_periods`.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.inputs import LAUNCH_WEEKS, SalesTable, validate_sales


def _launch_frame() -> pd.DataFrame:
    """Six weeks of two skus in one store: A1 on Mondays, B2 on Thursdays."""
    a1 = pd.date_range("2024-03-04", periods=6, freq="7D")
    b2 = pd.date_range("2024-03-07", periods=6, freq="7D")
    return pd.DataFrame(
        {
            "store": "S1",
            "sku": ["A1"] * 6 + ["B2"] * 6,
            "category": "knit",
            "date": [*a1, *b2],
            "units": [12.0, 9.0, 7.0, 6.0, 5.0, 4.0, 30.0, 18.0, 11.0, 9.0, 8.0, 6.0],
        }
    )


@pytest.fixture
def launch_sales() -> SalesTable:
    frame = _launch_frame()
    frame.attrs["source"] = "launch.csv"
    sales = validate_sales(frame)
    assert sales.freq == LAUNCH_WEEKS  # inferred: weekly, each sku on its own weekday
    return sales


def _refused(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(DataValidationError, match="launch-relative") as caught:
        call(*args, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and "W-LAUNCH" in message
    return message


def test_backtest_refuses_launch_weeks(launch_sales: SalesTable) -> None:
    from forecasting.models import DemandForecaster, backtest

    forecaster = DemandForecaster(model="seasonal_naive")
    message = _refused(backtest, launch_sales, forecaster, horizon=1, n_windows=2)
    assert message.startswith("launch.csv: column 'date':")
    assert "the backtest needs calendar days or weeks" in message
    # a plain DataFrame is validated first and refused the same way
    _refused(backtest, _launch_frame(), forecaster, horizon=1, n_windows=2)


def test_top_down_forecaster_refuses_launch_weeks(launch_sales: SalesTable) -> None:
    from forecasting.models import TopDownForecaster

    model = TopDownForecaster(level="store")
    message = _refused(model.fit, launch_sales, by=["store", "sku"])
    assert "the top-down forecast needs calendar days or weeks" in message


def test_launch_shares_refuse_launch_weeks_as_the_brands_sales(launch_sales: SalesTable) -> None:
    from forecasting.depth.topdown import launch_shares

    past = pd.DataFrame({"sku": ["A1", "B2"], "category": ["knit", "knit"]})
    message = _refused(launch_shares, past, launch_sales, launch_sales, 2)
    assert "measuring past launches' shares needs calendar days or weeks" in message
    # past launches' own sales may count weeks from each launch; the brand's sales are calendar
    days = pd.date_range("2024-03-01", "2024-04-30")
    brand = pd.DataFrame({"store": "S1", "date": days, "units": 100.0})
    shares = launch_shares(past, launch_sales, brand, 2)
    assert shares["sku"].tolist() == ["A1", "B2"]
    assert shares["units"].tolist() == [21.0, 48.0]


def test_store_demand_refuses_launch_weeks(launch_sales: SalesTable) -> None:
    from forecasting.allocation import store_demand

    total = pd.DataFrame({"sku": ["N1"], "mean": [100.0]})
    message = _refused(store_demand, total, launch_sales)
    assert "splitting demand over stores needs calendar days or weeks" in message


def test_sales_charts_refuse_launch_weeks(launch_sales: SalesTable) -> None:
    import matplotlib.pyplot as plt

    from forecasting.plotting.surges import plot_surges
    from forecasting.plotting.timeline import typical_sales_curve

    surges = pd.DataFrame(columns=["onset", "peak", "anchor", "anchor_date", "lag_days"])
    try:
        message = _refused(plot_surges, launch_sales, surges)
        assert "the surge chart needs calendar days or weeks" in message
        message = _refused(typical_sales_curve, launch_sales, 2025)
        assert "launch timeline needs calendar days or weeks" in message
    finally:
        plt.close("all")
