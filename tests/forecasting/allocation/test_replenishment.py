"""replenish(): order-up-to formulas, pro-rata periods, packs, and input checks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from forecasting.allocation.replenishment import replenish
from forecasting.exceptions import DataValidationError


def _weekly(mean: float = 10.0, sd: float | None = 3.0, weeks: int = 4) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "store": "A",
            "sku": "T1",
            "date": pd.date_range("2012-03-02", periods=weeks, freq="W-FRI"),
            "mean": mean,
        }
    )
    if sd is not None:
        frame["sd"] = sd
    return frame


def test_order_up_to_formula_with_partial_week_and_on_order() -> None:
    stock = pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [5.0], "on_order": [4.0]})
    out = replenish(stock, _weekly(), lead_time_days=3, review_days=7, service_level=0.95)
    mu = 10.0 * (1 + 3 / 7)
    sigma = np.sqrt(9.0 * (1 + 3 / 7))
    z = stats.norm.ppf(0.95)
    row = out.iloc[0]
    assert row["demand_mean"] == pytest.approx(mu)
    assert row["demand_sd"] == pytest.approx(sigma)
    assert row["safety_stock"] == pytest.approx(z * sigma)
    assert row["order_up_to"] == int(np.ceil(mu + z * sigma))
    assert row["order"] == row["order_up_to"] - 9


def test_quantile_spread_poisson_fallback_and_packs() -> None:
    fc = _weekly(sd=None).assign(p10=6.0, p90=14.0)
    stock = pd.DataFrame({"store": ["A"], "sku": ["T1"], "units": [0]})
    out = replenish(stock, fc, 7, 7, service_level=0.5, pack_size=4)
    assert out["demand_sd"].iat[0] == pytest.approx(np.sqrt(2) * 8 / (2 * stats.norm.ppf(0.9)))
    assert out["order_up_to"].iat[0] == 20 and out["order"].iat[0] == 20
    daily = pd.DataFrame(
        {"store": "A", "sku": "T1", "date": pd.date_range("2012-03-01", periods=5), "mean": 2.0}
    )
    poisson = replenish(stock, daily, 2, 1, service_level=0.5, pack_size=4)
    assert poisson["demand_sd"].iat[0] == pytest.approx(np.sqrt(6.0))
    assert poisson["order"].iat[0] == 8  # 6 units rounded up to two packs of 4
    full = pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [50]})
    assert replenish(full, fc, 7, 7)["order"].iat[0] == 0


def test_bad_inputs() -> None:
    stock = pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [0]})
    with pytest.raises(DataValidationError, match="covers fewer days"):
        replenish(stock, _weekly(weeks=1), 7, 7)
    with pytest.raises(DataValidationError, match="service_level"):
        replenish(stock, _weekly(), 7, 7, service_level=1.0)
    with pytest.raises(DataValidationError, match="no forecast"):
        replenish(pd.concat([stock, stock.assign(sku="T2")]), _weekly(), 7, 7)


def test_the_frequency_is_given_or_read_from_the_dates_never_from_attrs() -> None:
    stock = pd.DataFrame({"store": ["A"], "sku": ["T1"], "on_hand": [0]})
    one_week = _weekly(weeks=1)
    one_week.attrs["freq"] = "W-FRI"  # ignored: a single date has no spacing, so it reads as daily
    with pytest.raises(DataValidationError, match="covers fewer days"):
        replenish(stock, one_week, 3, 2)
    out = replenish(stock, one_week, 3, 2, service_level=0.5, freq="W-FRI")
    assert out["demand_mean"].iat[0] == pytest.approx(10.0 * 5 / 7)
