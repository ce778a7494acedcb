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
# # 3. First-batch depth and allocation
#
# The first batch of a new style is the hardest call: too deep means overstock, too shallow means lost
# sales. Here three planners and sales staff give their estimates; launchcast turns their disagreement
# into a calibrated demand distribution, buys the newsvendor quantity from price, cost and salvage value,
# and distributes it over the 25 provinces by marginal analysis, with the strategic stores' presentation
# minimums and the caps. Then it prices those minimums.

# %%
import pandas as pd

from forecasting import (
    allocate,
    allocation_report,
    combine_judgments,
    first_batch_depth,
    load_demo,
    store_demand,
)
from forecasting.language import resolve_lang
from forecasting.plotting import plot_allocation

pd.set_option("display.width", 160)
# The figures' language: Chinese for the Chinese market (set LANG = "en" for English); without a
# CJK font (pip install "launchcast[cjk]") their words stay English and Chinese names are in pinyin.
LANG = resolve_lang(None, market="CN")
demo = load_demo()
demo.products[["sku", "name", "launch_wave", "price", "unit_cost", "salvage_value"]]

# %% [markdown]
# ## The judges' estimates
# Without a record of past judgments, the spread of the panel is scaled by 2: at Sport Obermeyer the
# actual error ran at about twice the panel's dispersion (Fisher & Raman, "accurate response").

# %%
demo.judgments.pivot_table(index="sku", columns="forecaster", values="units")

# %%
demand = combine_judgments(demo.judgments)
demand[["sku", "n_judges", "judge_mean", "judge_dispersion", "calibration_factor", "mean", "sd"]]

# %% [markdown]
# ## Depth: the newsvendor quantity, never below the presentation minimums
# Critical ratio = (price − cost) / (price − salvage): the probability of selling the last unit bought
# that just pays off.

# %%
depth = first_batch_depth(demand, demo.products, demo.stores, horizon_weeks=8)
depth[["sku", "mean", "sd", "critical_ratio", "newsvendor_depth", "presentation_minimum", "depth",
       "forced_units", "expected_sales", "expected_leftover", "expected_lost_sales", "sell_through"]]

# %% [markdown]
# ## Split over the stores, then allocate
# Each province's share comes from its comparable sales (here the autumn weeks of 2011), shrunk toward
# its grade's share where history is thin.

# %%
autumn = demo.sales[(demo.sales["date"] >= "2011-09-12") & (demo.sales["date"] < "2011-11-07")]
per_store = store_demand(depth[["sku", "mean", "sd"]], autumn, demo.stores, products=demo.products)
quantity = depth[["sku", "depth"]].rename(columns={"depth": "units"})
allocation = allocate(quantity, per_store, demo.stores, holdback=0.1)
allocation[allocation["sku"] == "AW12-CT07"].head(12)

# %% [markdown]
# Every unit is accounted for: the stores plus the warehouse row (10 % held back for replenishment)
# add up to each product's depth.

# %%
check = allocation.groupby("sku")["units"].sum().to_frame("allocated").join(quantity.set_index("sku"))
check

# %%
fig = plot_allocation(allocation, "AW12-CT07", lang=LANG)

# %% [markdown]
# ## What the strategic minimums cost
# Each binding minimum is priced exactly: the allocation is solved again without it, and the table shows
# the expected sales it takes from the other stores against what it adds in the strategic store.

# %%
report = allocation_report(allocation)
report.minimums

# %%
report.products[["sku", "quantity", "to_stores", "warehouse", "expected_sales", "expected_leftover",
                 "shadow_price", "cost_of_all_minimums"]]
