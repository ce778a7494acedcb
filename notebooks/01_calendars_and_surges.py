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
# # 1. Calendars and surges
#
# Apparel sales in China follow three calendars at once: the 24 solar terms (节气) that mark the turn of
# the seasons, the public holidays with their make-up working days (调休), and the shopping festivals of
# the platforms. This notebook shows the `calendars` package, then finds the surges in the real daily
# sales of a Chinese clothing brand in 25 provinces (2008-2011) and ties each one to the calendar event
# that precedes it.

# %%
import matplotlib.pyplot as plt
import pandas as pd

import calendars
from forecasting import detect_surges, load_demo, surge_profile
from forecasting.language import resolve_lang
from forecasting.plotting import plot_surges, use_cjk_font, wave_label

pd.set_option("display.width", 160)

# The figures' language: Chinese for the Chinese market (set LANG = "en" for English). Chinese
# words need a CJK font (pip install "launchcast[cjk]"); without one the figures keep their words
# in English and write every Chinese name in pinyin, never as empty boxes.
LANG = resolve_lang(None, market="CN")
CHINESE = LANG == "zh" and use_cjk_font()

# %% [markdown]
# ## The solar terms of 2012
# Computed astronomically (lunar-python), to the second, in China Standard Time.

# %%
terms = calendars.solar_terms(2012)
terms[["name", "pinyin", "english", "longitude", "instant", "date"]]

# %% [markdown]
# ## Holidays and make-up workdays
# Every official day off is named by its festival, with the same name every year; a weekend day on
# which people work is a `workday` event. Deliveries are scheduled on working days only.

# %%
spring_2025 = calendars.events(2025, kinds=["holiday", "workday"])
spring_2025[spring_2025["event"] == "Spring Festival"][["date", "event", "kind", "name_zh", "confirmed"]]

# %%
[(day, calendars.is_workday(day)) for day in ["2025-01-26", "2025-01-29", "2025-02-08", "2025-02-09"]]

# %% [markdown]
# ## Retail events, with their pre-sale windows
# A small declarative table (`calendars.RETAIL_EVENTS`) that a user can extend or override.

# %%
calendars.events(2012, kinds=["retail"])[["date", "event", "name_zh", "lower_window", "upper_window"]]

# %% [markdown]
# ## Surges in the brand's total sales
# `detect_surges` removes the weekday cycle, smooths away single-day spikes, finds each rise of at least
# 15 %, and anchors its onset to the calendar event that precedes it most consistently across years.

# %%
demo = load_demo()
surges = detect_surges(demo.sales)
surges[["year", "wave", "onset", "peak", "lift", "anchor", "anchor_kind", "lag_days"]]

# %%
fig = plot_surges(demo.sales, surges, lang=LANG)

# %% [markdown]
# ## The surge profile: how steady is each wave?
# For each wave, the years it was seen and the spread of its lag after the anchor. A narrow spread
# makes a confident launch date.

# %%
profile = surge_profile(surges)
profile[["wave", "anchor", "n_years", "years", "lag_median", "lag_min", "lag_max", "summary"]]

# %% [markdown]
# ## The same per province
# The waves are shared, but each province's lag is its own: a planner sees where the season arrives
# early and where late.

# %%
by_region = surge_profile(detect_surges(demo.sales, by="region"))
lags = by_region.pivot_table(index="region", columns="wave", values="lag_median")
lags.head(10)

# %% [markdown]
# The spread of each wave's lag across the provinces, for the waves seen in at least 8 of them, in
# the order of the year: a short box is a wave that arrives everywhere at the same distance from its
# anchor.

# %%
events_2012 = calendars.events(2012)
first_day = events_2012[events_2012["kind"] != "workday"].groupby("event")["date"].min()
common = by_region.groupby("wave").filter(lambda rows: len(rows) >= 8)
order = (
    common.drop_duplicates("wave").assign(day=lambda t: t["anchor"].map(first_day))
    .sort_values("day", ascending=False)
)
fig, ax = plt.subplots(figsize=(9, 5.5))
ax.boxplot(
    [common.loc[common["wave"] == wave, "lag_median"] for wave in order["wave"]],
    orientation="horizontal",
    tick_labels=[wave_label(w, LANG, a, events_2012) for w, a in zip(order["wave"], order["anchor"])],
)
ax.axvline(0, color="0.6", lw=0.8)
ax.set_xlabel("起量相对锚点的天数（各省中位数）" if CHINESE else "onset, days after the anchor (median per province)")
ax.set_title("各省份起量时间的分布" if CHINESE else "Spread of the surge onset across the 25 provinces")
fig.tight_layout()
