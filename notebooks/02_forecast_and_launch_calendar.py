# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 2. Forecasts and the launch calendar
#
# `DemandForecaster` knows the Chinese retail calendar: holidays with stable names, make-up workdays,
# retail events with their windows and the solar terms. This notebook forecasts the demo brand's sales,
# measures the forecasts against a seasonal-naive baseline with a rolling-origin backtest, and builds the
# 2012 launch calendar: one unified delivery day per wave, on a working day, with the reason in words.

# %%
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from forecasting import DemandForecaster, backtest, export_launch_calendar, load_demo, recommend_launches
from forecasting.language import resolve_lang
from forecasting.plotting import plot_forecast, plot_launch_timeline

# The figures' language: Chinese for the Chinese market (set LANG = "en" for English); without a
# CJK font (pip install "launchcast[cjk]") their words stay English and Chinese names are in pinyin.
LANG = resolve_lang(None, market="CN")

pd.set_option("display.width", 160)
pd.set_option("display.max_colwidth", 200)

demo = load_demo()
sales = demo.sales
# three provinces keep the notebook quick; the benchmark runs all 25
few = sales[sales["store"].isin(["Province_1", "Province_4", "Province_20"])]

# %% [markdown]
# ## A year ahead, per province
# Quantiles come with every forecast (`p10`, `p50`, `p90`); counts are never negative.

# %%
forecaster = DemandForecaster(model="prophet")
forecaster.fit(few, by=["store"])
forecast = forecaster.predict(365)
forecast.head()

# %% [markdown]
# The last year of sales and the forecast, with the holidays and shopping festivals: each event is a
# line, its name above the chart (names that would overlap move up a row, or are left out).

# %%
fig, ax = plt.subplots(figsize=(14, 5))
last_year = few[few["date"] >= "2011-01-01"]
plot_forecast(forecast, last_year, series={"store": "Province_4"}, kinds=("holiday", "retail"),
              title="Province_4: 2012", lang=LANG, ax=ax);

# %% [markdown]
# ## Does the calendar help? A rolling-origin backtest
# Two windows of 91 days before the end of 2011, launchcast's Prophet against the same days last year
# (aligned by weekday). WAPE: weighted absolute percentage error; MASE: error over the seasonal-naive
# in-sample error; coverage: share of actuals inside the 80 % interval.

# %%
results = {}
for model in ["seasonal_naive", "prophet"]:
    result = backtest(few, DemandForecaster(model=model), horizon=91, n_windows=2, by=["store"])
    results[model] = result.metrics.mean(numeric_only=True)
pd.DataFrame(results).T

# %% [markdown]
# ## The 2012 launch calendar
# Each wave's expected onset is its anchor's date in 2012 plus the lag learned from 2008-2011. Delivery
# is the latest Monday that puts goods on shelf at least a week before the onset, moved to the previous
# working day when that Monday is a holiday; all stores share it so promotion runs in step.

# %%
launches = recommend_launches(sales, "2012-01-01", "2012-12-31", lead_days=7, delivery_weekday="MON")
launches[["wave", "anchor", "expected_onset", "delivery_date", "shelf_start", "shelf_end",
          "promotion_start", "promotion_end", "confidence"]]

# %%
for reason in launches["reason"]:
    print("-", reason)

# %%
fig = plot_launch_timeline(launches, sales, lang=LANG)

# %% [markdown]
# ## Exports for the planners: CSV, Excel (a sheet per wave), iCalendar and PNG

# %%
folder = Path(tempfile.mkdtemp())
files = export_launch_calendar(launches, folder, sales)
sorted(path.name for path in files.values())
