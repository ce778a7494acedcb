"""Top-down forecasts: shares, fallbacks, and levels that add up."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.models import DemandForecaster
from forecasting.models.hierarchy import TopDownForecaster, stable_shares

DATA = Path(__file__).resolve().parents[2] / "data"


def store_sku_weekly() -> pd.DataFrame:
    """Real weekly sales of two provinces (stores), each split 70/30 over two skus."""
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    daily = raw.melt(id_vars="date", var_name="store", value_name="log")
    daily["units"] = np.exp(daily["log"]).round()
    weekly = daily.set_index("date").groupby("store")["units"].resample("W-SUN").sum().reset_index()
    weekly = weekly[(weekly["date"] > "2008-01-06") & (weekly["date"] <= "2010-12-26")]
    big = weekly.assign(sku="A", units=(weekly["units"] * 0.7).round())
    small = weekly.assign(sku="B", units=weekly["units"] - big["units"])
    return pd.concat([big, small], ignore_index=True)[["date", "store", "sku", "units"]]


def test_bottom_forecasts_add_up_to_the_parent() -> None:
    sales = store_sku_weekly()
    td = TopDownForecaster(forecaster=DemandForecaster(model="prophet", n_jobs=1), level="store")
    fc = td.fit(sales, by=["store", "sku"]).predict(6)
    assert len(fc) == 2 * 2 * 6 and list(fc.columns[:3]) == ["store", "sku", "date"]
    top = td.top_.predict(6).set_index(["store", "date"])
    summed = fc.groupby(["store", "date"])[["mean", "p10", "p50", "p90"]].sum()
    pd.testing.assert_frame_equal(summed, top[summed.columns], check_exact=False, rtol=1e-12)
    shares = td.shares_.set_index(["store", "sku"])["share"]
    assert np.allclose(shares.xs("A", level="sku"), 0.7, atol=0.01)
    assert (td.shares_["basis"] == "recent").all()
    assert (fc["p10"] <= fc["p50"]).all() and (fc["p50"] <= fc["p90"]).all()


def test_share_fallbacks() -> None:
    dates = pd.to_datetime(["2024-01-01"] * 4 + ["2024-01-02"] * 4 + ["2024-01-03"] * 4)
    sales = pd.DataFrame(
        {
            "date": dates,
            "store": ["A", "B", "C", "D"] * 3,
            "sku": ["K1", "K1", "K2", "K2"] * 3,
            "units": [6, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0],
        }
    )
    shares = stable_shares(sales, ["store", "sku"], ["sku"], periods=2)
    # K1 sold nothing in the last two days: the whole history decides; K2 never sold: equal
    assert shares["share"].tolist() == [0.75, 0.25, 0.5, 0.5]
    assert shares["basis"].tolist() == ["history", "history", "equal", "equal"]


def test_level_must_be_a_strict_subset_and_fit_first() -> None:
    sales = store_sku_weekly()
    with pytest.raises(DataValidationError, match="strict subset"):
        TopDownForecaster(level=["store", "sku"]).fit(sales, by=["store", "sku"])
    with pytest.raises(DataValidationError, match="strict subset"):
        TopDownForecaster(level="region").fit(sales, by=["store", "sku"])
    with pytest.raises(NotFittedError):
        TopDownForecaster(level="store").predict(3)


def test_on_error_comes_from_the_forecaster(monkeypatch: pytest.MonkeyPatch) -> None:
    from forecasting.models.base import SeriesConfig
    from forecasting.models.ets import ETS

    def singular(self: ETS, y: pd.Series, config: SeriesConfig) -> ETS:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(ETS, "fit", singular)
    sales = store_sku_weekly()
    top = DemandForecaster(model="ets", n_jobs=1, on_error="raise")
    td = TopDownForecaster(forecaster=top, level="store")
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        td.fit(sales, by=["store", "sku"])
    td.set_params(forecaster__on_error="fallback").fit(sales, by=["store", "sku"])
    assert len(td.top_.errors_) == 2
    assert set(td.top_.errors_["error"]) == {"LinAlgError: Singular matrix"}
    assert (td.top_.summary_["model"] == "recent_level").all()
    assert len(td.predict(3)) == 2 * 2 * 3
