"""plot_forecast: history, forecast, interval band and calendar anchors on one axes."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection

from forecasting.models import DemandForecaster
from forecasting.plotting import use_cjk_font
from forecasting.plotting.forecast import plot_forecast

DATA = Path(__file__).resolve().parents[2] / "data"


def test_plot_forecast_draws_history_band_and_anchors(tmp_path: Path) -> None:
    raw = pd.read_csv(DATA / "china_clothing_2_provinces.csv", parse_dates=["date"])
    sales = raw.melt(id_vars="date", var_name="store", value_name="log")
    sales["units"] = np.exp(sales["log"]).round()
    train = sales[(sales["date"] >= "2009-09-01") & (sales["date"] <= "2010-12-31")]
    fc = DemandForecaster(model="seasonal_naive").fit(train, by="store").predict(60)
    fig, ax = plt.subplots()
    out = plot_forecast(
        fc, train, series={"store": "Province_2"}, ax=ax, title="Province 2", lang="en"
    )
    assert out is fig
    labels = [line.get_label() for line in ax.get_lines()]
    assert "history" in labels and "forecast (p50)" in labels
    history = ax.get_lines()[labels.index("history")]
    assert len(history.get_xdata()) == train["date"].nunique()  # one province, not the sum
    assert any(isinstance(c, PolyCollection) for c in ax.collections)  # the p10-p90 band
    texts = [t.get_text() for t in ax.texts]
    assert {"Spring Festival", "National Day", "White Dew"} <= set(texts), texts
    chinese = plot_forecast(fc, train, series={"store": "Province_2"}, lang="zh")
    names = {t.get_text() for t in chinese.axes[0].texts}
    assert ({"春节", "国庆节"} if use_cjk_font() else {"Chūnjié", "Guóqìng Jié"}) <= names
    plt.close(chinese)
    fig.savefig(tmp_path / "forecast.png")
    assert (tmp_path / "forecast.png").stat().st_size > 10_000
    plt.close(fig)
