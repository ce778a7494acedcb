"""Slow: the China clothing accuracy target of issue 4 on the real data in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.models import DemandForecaster
from forecasting.models.metrics import coverage, wape

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
CHINA = SHARED / "china_clothing" / "clothing_log_daily_2008_2011.csv"


@pytest.mark.slow
@pytest.mark.skipif(not CHINA.exists(), reason="../shared/data/china_clothing is not available")
def test_china_2011_launchcast_beats_seasonal_naive_by_ten_percent() -> None:
    raw = pd.read_csv(CHINA, parse_dates=["date"])
    sales = raw.melt(id_vars="date", var_name="store", value_name="log")
    sales["units"] = np.exp(sales["log"])
    train = sales[sales["date"] <= "2010-12-31"][["date", "store", "units"]]
    test = sales[sales["date"].dt.year == 2011]
    scores = {}
    for model in ("seasonal_naive", "prophet"):
        fc = DemandForecaster(model=model).fit(train, by="store").predict(365)
        joined = test.merge(fc, on=["store", "date"])
        assert len(joined) == 25 * 365
        scores[model] = wape(joined["units"], joined["p50"])
        if model == "prophet":
            assert 0.7 <= coverage(joined["units"], joined["p10"], joined["p90"]) <= 0.95
    assert scores["prophet"] <= 0.9 * scores["seasonal_naive"], scores
