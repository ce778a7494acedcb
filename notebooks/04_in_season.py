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
# # 4. In season: the first weeks of a new style
#
# The first batch was bought before any customer saw the style. Two weeks after it reached the
# shelves its own sales are known, and the rest of the season can be decided on them: how much
# more to buy (the second batch), where the units still at the warehouse go (the holdback), and
# whether a wave is arriving earlier than planned. This notebook walks one style of the demo plan,
# the knit `AW12-KN04`, through its first two weeks.
#
# The plan is the demo's (real sales of 2008-2011, example plan files for 2012), made with the
# seasonal-naive forecast to keep the notebook quick, and with 20 % of each style kept at the
# warehouse. The 2012 sales of the new styles do not exist: the sales below are a **scenario**,
# each province selling its planned demand at 1.6 times the plan's pace for the knit and at the
# plan's pace for the others.

# %%
import tempfile
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from forecasting import load_demo, make_plan, write_plan
from forecasting.inputs import DataQualityWarning
from forecasting.inseason import (
    release_holdback,
    second_batch,
    store_remaining_demand,
    update_demand,
)
from forecasting.plan import review_plan

warnings.simplefilter("ignore", DataQualityWarning)  # the demo's warnings are shown in notebook 3
demo = load_demo()
plan = make_plan(
    demo.sales,
    demo.stores,
    demo.products,
    demo.judgments,
    season=("2012-01-01", "2012-12-31"),
    model="seasonal_naive",
    holdback=0.2,
)
SKU = "AW12-KN04"
depth = plan.depth_blend.set_index("sku")
shelf = plan.products_plan.set_index("sku").loc[SKU, "shelf_start"]
print(f"{SKU}: on shelf {shelf:%Y-%m-%d}, planned demand over {plan.horizon_weeks} weeks")
depth.loc[[SKU], ["judge_mean", "model_mean", "judge_weight", "mean", "sd", "depth"]]

# %% [markdown]
# ## Two weeks of sales
#
# The scenario: each province sells an eighth of its planned demand a week, the knit 1.6 times
# that. By the review date, two weeks after the knit's shelf start, it has sold well ahead of plan
# (the spring styles have had their eight weeks, the later autumn styles are not on shelf yet).

# %%
AS_OF = shelf + pd.Timedelta(weeks=2)
shipped = plan.allocation[plan.allocation["store"] != "DC"]
rows = []
for r in shipped.itertuples(index=False):
    start = plan.products_plan.set_index("sku").loc[r.sku, "shelf_start"]
    pace = 1.6 if r.sku == SKU else 1.0
    for week in range(max(0, min(plan.horizon_weeks, (AS_OF - start).days // 7))):
        units = round(r.mean / plan.horizon_weeks * pace)
        rows.append((r.sku, r.store, start + pd.Timedelta(weeks=week), units))
sales_so_far = pd.DataFrame(rows, columns=["sku", "store", "date", "units"])
sold = sales_so_far[sales_so_far["sku"] == SKU]
print(f"sold {sold['units'].sum():,} units in 2 weeks; plan: {depth.loc[SKU, 'mean'] / 4:,.0f}")

# %% [markdown]
# ## Demand updated from the first weeks
#
# Without past launches to learn from, the plan's own distribution is the prior and the sales so
# far are the evidence (`update_demand`): early weeks are noisy (on 5,080 launches of VISUELLE the
# share of a season sold in its first two of eight weeks varies by a factor of 2.2 either way), so
# the update weighs them against how sure the plan was. With past launches,
# `NewProductForecaster.predict(new, observed=sales_so_far)` does the same with a model learned
# from them (see `benchmarks/inseason.py`).

# %%
prior = depth.loc[[SKU], ["mean", "sd"]].reset_index()
observed = pd.DataFrame({"sku": [SKU], "units": [sold["units"].sum()], "weeks_seen": [2]})
updated = update_demand(prior, observed, horizon_weeks=plan.horizon_weeks)
before = update_demand(prior, observed.assign(units=0, weeks_seen=0), horizon_weeks=8)

fig, ax = plt.subplots(figsize=(7, 3.2))
ax.fill_between(before["week"], before["p10"], before["p90"], alpha=0.2, label="plan, 80 %")
ax.plot(before["week"], before["p50"], label="plan, median")
ax.fill_between(updated["week"], updated["p10"], updated["p90"], alpha=0.3, label="updated, 80 %")
ax.plot(updated["week"], updated["p50"], label="updated, median")
weekly_sold = sold.groupby("date")["units"].sum().to_numpy()
ax.plot([1, 2], weekly_sold, "ko", label="sold")
ax.set(xlabel="week on shelf", ylabel="units per week", title=f"{SKU}: demand by week")
ax.legend(ncol=3, fontsize=8, loc="lower center")
fig.tight_layout()

# %% [markdown]
# The judges agreed closely on this style (a coefficient of variation of 19 %), so two weeks of
# sales move it only a little: a confident plan takes more evidence to change. Had the plan been as
# unsure as a new product's launch-time forecast usually is (60 %, about the error of the best
# models on VISUELLE), the same two weeks would move it much further:

# %%
wide = update_demand(prior.assign(sd=0.6 * prior["mean"]), observed, horizon_weeks=8)
pd.Series(
    {
        "weeks 3-8, as planned": before.query("week > 2")["mean"].sum(),
        "updated, the plan's own spread": updated["cum_mean"].iloc[-1],
        "updated, a 60 % spread": wide["cum_mean"].iloc[-1],
        "at the pace sold so far": sold["units"].sum() / 2 * 6,
    }
).round(0)

# %% [markdown]
# ## The second batch
#
# What the provinces and the warehouse still hold serves the next two weeks, until a reorder can
# arrive; a second batch ordered now serves only the weeks after. `second_batch` buys the
# newsvendor quantity of that later demand and says what each choice is expected to leave.

# %%
holdback = plan.allocation.query("sku == @SKU and store == 'DC'")["units"].sum()
stock = shipped[shipped["sku"] == SKU].set_index("store")["units"].sub(
    sold.groupby("store")["units"].sum(), fill_value=0
)
econ = plan.products_plan.set_index("sku").loc[SKU]
batch = second_batch(
    updated,
    stock={SKU: stock.sum() + holdback},
    price=float(econ["price"]),
    unit_cost=float(econ["unit_cost"]),
    salvage_value=float(econ["salvage_value"]),
    lead_weeks=2,
)
batch.T

# %% [markdown]
# ## Holdback and second batch over the provinces
#
# Each province's share of the rest is its planned share moved towards what it sold
# (`store_remaining_demand`); the exact allocator then places the holdback and the second batch by
# each province's demand net of its stock, the strategic provinces' minimums still holding
# (`release_holdback`).

# %%
remaining = updated.groupby("sku").agg(mean=("cum_mean", "last"), sd=("cum_sd", "last"))
shares = shipped[shipped["sku"] == SKU][["sku", "store", "mean"]].rename(columns={"mean": "share"})
store_demand = store_remaining_demand(remaining.reset_index(), sold, shares)
release = release_holdback(
    store_demand,
    stock.round().astype(int).rename("units").reset_index().assign(sku=SKU),
    {SKU: int(holdback)},
    stores=demo.stores,
    second_batch={SKU: int(batch.loc[0, "quantity"])},
)
release.sort_values("units", ascending=False)[
    ["store", "stock", "units", "units_after", "mean", "reason"]
].head(8)

# %% [markdown]
# ## The whole review in one call
#
# `review_plan` reads a plan's folder and the sales so far and does all of the above for every
# style: `launchcast review --plan plan-2012 --sales latest.csv --as-of 2012-09-11 --out
# review-2012-09-11` at the command line. Styles whose launch window has ended are handed over to
# replenishment (`launchcast replenish`), a separate job for continuing products.

# %%
folder = Path(tempfile.mkdtemp()) / "plan"
write_plan(plan, folder, lang="en")
review = review_plan(folder, sales_so_far, as_of=AS_OF)
print(review)
review.status[["sku", "stage", "weeks_seen", "sold", "pace", "season_mean", "plan_mean"]]
