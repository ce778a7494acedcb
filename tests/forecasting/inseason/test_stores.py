"""store_remaining_demand() and release_holdback(): shares learnt from sales, the holdback placed
by exact marginal analysis on demand net of stock, every unit accounted for."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import forecasting
from forecasting.allocation import allocate, store_demand
from forecasting.depth.distributions import sell_probability
from forecasting.exceptions import AllocationError, DataValidationError
from forecasting.inseason.stores import SHARE_CV, release_holdback, store_remaining_demand

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _table(**columns: object) -> pd.DataFrame:
    return pd.DataFrame(columns)


def _one_sku_plan(shares: list[float], sku: str = "N1") -> pd.DataFrame:
    stores = [f"S{i}" for i in range(len(shares))]
    return _table(sku=sku, store=stores, share=shares)


# --------------------------------------------------------------------- store_remaining_demand
def test_shares_move_towards_observed_sales_and_stay_a_distribution() -> None:
    plan = pd.concat([_one_sku_plan([0.25] * 4), _one_sku_plan([0.4, 0.3, 0.2, 0.1], "N2")])
    remaining = _table(sku=["N1", "N2"], mean=[400.0, 250.0], sd=[80.0, 60.0])
    observed = np.array([0.55, 0.25, 0.15, 0.05])
    for scale in (20, 200):
        sold = _table(
            sku=["N1"] * 4 + ["N2"] * 4,
            store=[f"S{i}" for i in range(4)] * 2,
            units=np.r_[observed, observed[::-1]] * scale,
        )
        out = store_remaining_demand(remaining, sold, plan, prior_strength=100)
        assert out.groupby("sku")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
        assert (out["share"] > 0).all() and (out["share"] < 1).all()
        assert out.groupby("sku")["mean"].sum().to_numpy() == pytest.approx([400.0, 250.0])
        for sku, seen in (("N1", observed), ("N2", observed[::-1])):
            part = out.loc[out["sku"] == sku]
            share, planned = part["share"].to_numpy(), part["planned_share"].to_numpy()
            # each share lies between the plan and the observed share, at N / (N + k) of the way
            assert share == pytest.approx(planned + scale / (scale + 100) * (seen - planned))
    n1 = store_remaining_demand(
        remaining.iloc[:1], sold.iloc[:4], plan.iloc[:4], prior_strength=100
    )
    assert n1["share"].iloc[0] > 0.25 + 0.5 * (0.55 - 0.25)  # 200 units outweigh the prior
    kept = store_remaining_demand(remaining, sold, plan, prior_strength=np.inf)
    assert kept["share"].to_numpy() == pytest.approx(kept["planned_share"].to_numpy())


def test_a_store_with_no_sales_keeps_part_of_its_planned_share() -> None:
    plan = _one_sku_plan([0.5, 0.3, 0.2])
    sold = _table(sku="N1", store=["S0", "S1"], units=[120, 80])
    out = store_remaining_demand(
        _table(sku=["N1"], mean=[300.0], sd=[50.0]), sold, plan, prior_strength=50
    )
    quiet = out.loc[out["store"] == "S2"].iloc[0]
    assert quiet["units_sold"] == 0
    assert quiet["share"] == pytest.approx(50 * 0.2 / (50 + 200))
    assert quiet["mean"] > 0 and quiet["sd"] > 0


def test_store_sd_is_the_spread_of_the_thinned_product_demand() -> None:
    """Against simulation: T ~ gamma, share ~ Beta (the posterior marginal), D ~ Binomial(T, w)."""
    remaining = _table(sku=["N1"], mean=[300.0], sd=[60.0])
    plan = _one_sku_plan([0.5, 0.3, 0.2])
    sold = _table(sku="N1", store=["S0", "S1"], units=[20, 40])
    out = store_remaining_demand(remaining, sold, plan, prior_strength=60)
    rng = np.random.default_rng(7)
    n = 400_000
    shape = (300.0 / 60.0) ** 2
    total = np.round(rng.gamma(shape, 300.0 / shape, n)).astype(np.int64)
    alpha = np.array([60 * 0.5 + 20, 60 * 0.3 + 40, 60 * 0.2])
    for i, a in enumerate(alpha):
        w = rng.beta(a, alpha.sum() - a, n)
        units = rng.binomial(total, w)
        assert out["mean"].iat[i] == pytest.approx(units.mean(), rel=0.01)
        assert out["sd"].iat[i] == pytest.approx(units.std(), rel=0.02)
    # a Poisson total (blank sd) with shares known for sure gives Poisson stores
    fixed = store_remaining_demand(
        _table(sku=["N1"], mean=[300.0]), sold, plan, prior_strength=np.inf
    )
    assert fixed["sd"].to_numpy() == pytest.approx(np.sqrt(fixed["mean"].to_numpy()))
    # less weight on the plan: more uncertain shares, wider store demand
    loose = store_remaining_demand(remaining, sold, plan, prior_strength=5)
    firm = store_remaining_demand(remaining, sold, plan, prior_strength=5_000)
    assert (loose["share_sd"] > firm["share_sd"]).all()


def test_default_prior_strength_grows_with_the_number_of_planned_stores() -> None:
    plan = pd.concat([_one_sku_plan([0.25] * 4), _one_sku_plan([0.5, 0.5, 0.0, 0.0], "N2")])
    remaining = _table(sku=["N1", "N2"], mean=[100.0, 100.0], sd=[20.0, 20.0])
    sold = _table(sku=["N1", "N2"], store=["S0", "S0"], units=[10, 10])
    out = store_remaining_demand(remaining, sold, plan)
    assert out.attrs["prior_strength"] == pytest.approx(
        {"N1": 3 / SHARE_CV**2, "N2": 1 / SHARE_CV**2}
    )
    # a store planned at 0 that sold nothing stays at 0
    assert out.loc[(out["sku"] == "N2") & (out["store"] == "S3"), "mean"].iat[0] == 0.0


def test_demo_stores_shares_from_the_plan() -> None:
    demo = forecasting.load_demo()
    totals = _table(sku=["AW12-SH05", "AW12-CT07"], mean=[6800.0, 2700.0], sd=[2000.0, 900.0])
    plan = store_demand(totals, demo.sales, demo.stores)
    stores = plan["store"].unique()
    rng = np.random.default_rng(3)
    sold = plan[["sku", "store"]].assign(units=rng.poisson(plan["mean"].to_numpy() * 0.2))
    sold.loc[sold["store"] == "Province_16", "units"] = 0
    remaining = _table(sku=["AW12-SH05", "AW12-CT07"], mean=[5000.0, 1500.0], sd=[1500.0, 500.0])
    out = store_remaining_demand(remaining, sold, plan)
    assert len(out) == 2 * len(stores) == 50
    assert out.groupby("sku")["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert out.attrs["prior_strength"]["AW12-SH05"] == pytest.approx(24 / SHARE_CV**2)
    quiet = out.loc[out["store"] == "Province_16"]
    assert (quiet["share"] > 0).all() and (quiet["share"] < quiet["planned_share"]).all()


# ------------------------------------------------------------------------------- bad input
def _one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    message = str(err.value)
    assert "\n" not in message
    return message


def test_bad_sales_and_shares_are_named_with_column_and_rows() -> None:
    remaining = _table(sku=["N1"], mean=[100.0], sd=[20.0])
    plan = _one_sku_plan([0.6, 0.4])
    with pytest.raises(DataValidationError) as err:
        store_remaining_demand(remaining, _table(sku="N1", store=["S0", "S1"], units=[5, -3]), plan)
    message = _one_line(err)
    assert "column 'units'" in message and "row 1 (units=-3)" in message
    with pytest.raises(DataValidationError) as err:
        store_remaining_demand(remaining, _table(sku="N1", store=["S0", "S9"], units=[5, 3]), plan)
    message = _one_line(err)
    assert "column 'store'" in message and "row 1 (sku='N1', store='S9'" in message
    with pytest.raises(DataValidationError) as err:
        store_remaining_demand(remaining, _table(sku=["N7"], store=["S0"], units=[5]), plan)
    assert "column 'sku'" in _one_line(err) and "sku='N7'" in str(err.value)
    with pytest.raises(DataValidationError) as err:
        store_remaining_demand(
            _table(sku=["N1", "N2"], mean=[1.0, 2.0]),
            _table(sku=["N1"], store="S0", units=[1]),
            plan,
        )
    assert "column 'sku'" in _one_line(err) and "row 1 (sku='N2'" in str(err.value)
    with pytest.raises(DataValidationError) as err:
        store_remaining_demand(remaining, _table(sku=["N1"], store="S0", units=[1]), plan,
                               prior_strength=0)  # fmt: skip
    assert "prior_strength=0" in _one_line(err)


def test_bad_stock_is_named_with_column_and_rows() -> None:
    demand = _table(sku="N1", store=["A", "B"], mean=[10.0, 5.0])
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku=["N1", "N2"], store=["A", "A"], units=[3, 4]), 10)
    message = _one_line(err)
    assert "stock: column 'sku'" in message and "row 1 (sku='N2', store='A', units=4.0)" in message
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku="N1", store=["A", "B"], units=[3, -4]), 10)
    message = _one_line(err)
    assert "stock: column 'units'" in message and "row 1 (units=-4)" in message
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku="N1", store=["A", "C"], units=[3, 4]), 10)
    assert "column 'store'" in _one_line(err) and "store='C'" in str(err.value)
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku="N1", store=["A"], units=[2.5]), 10)
    assert "column 'units'" in _one_line(err) and "units=2.5" in str(err.value)
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku="N1", store=["A"], units=[2]), {"N9": 4})
    assert "holdback: column 'sku'" in _one_line(err)
    with pytest.raises(DataValidationError) as err:
        release_holdback(demand, _table(sku="N1", store=["A"], units=[2]), -4)
    assert "holdback" in _one_line(err)


# ------------------------------------------------------------------------- release_holdback
def _greedy(
    mean: np.ndarray, sd: np.ndarray, stock: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int
) -> np.ndarray:
    """Marginal analysis one unit at a time: the reference."""
    sent = lo.copy()
    for _ in range(n - int(lo.sum())):
        value = np.where(sent < hi, sell_probability(mean, sd, stock + sent + 1), -1.0)
        best = int(np.argmax(value))  # the lower store on ties
        if value[best] < 1e-15:
            break
        sent[best] += 1
    return sent


@FAST
@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 30.0),
            st.integers(0, 40),
            st.sampled_from([0, 0, 5, 20]),
            st.sampled_from([np.inf, np.inf, 10.0, 30.0]),
            st.sampled_from([np.nan, 0.5, 1.5]),  # sd / mean (blank: Poisson)
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 80),
    st.integers(0, 30),
)
def test_release_is_exact_marginal_analysis_and_conserves_units(
    stores: list[tuple[float, int, int, float, float]], holdback: int, batch: int
) -> None:
    names = [f"S{i}" for i in range(len(stores))]
    mean = np.array([s[0] for s in stores])
    stock = np.array([s[1] for s in stores])
    mins = np.array([s[2] for s in stores])
    caps = np.array([s[3] for s in stores])
    sd = mean * np.array([s[4] for s in stores])
    mins = np.minimum(mins, caps).astype(np.int64)  # a minimum above its cap is bad input
    demand = _table(sku="N1", store=names, mean=mean, sd=sd)
    table = _table(store=names, min_units=mins, max_units=np.where(np.isinf(caps), np.nan, caps))
    lo = np.minimum(np.maximum(mins - stock, 0), np.maximum(caps - stock, 0)).astype(np.int64)
    hi = np.minimum(np.maximum(caps - stock, 0), 10**6).astype(np.int64)
    on_hand = _table(sku="N1", store=names, units=stock)
    if lo.sum() > holdback + batch:
        with pytest.raises(AllocationError, match="minimums cannot all be met"):
            release_holdback(demand, on_hand, holdback, stores=table, second_batch=batch)
        return
    out = release_holdback(demand, on_hand, holdback, stores=table, second_batch=batch)
    shops = out.loc[out["store"] != "DC"]
    dc = out.loc[out["store"] == "DC"].iloc[0]
    assert shops["units"].sum() + dc["units"] == holdback + batch == dc["stock"]
    assert (shops["units"] >= 0).all() and (shops["units_after"] == stock + shops["units"]).all()
    assert shops["units"].tolist() == _greedy(mean, sd, stock, lo, hi, holdback + batch).tolist()
    assert (shops["units_after"] >= np.minimum(mins, np.maximum(caps, stock))).all()
    assert (shops["units_after"] <= np.maximum(caps, stock)).all()


def test_no_stock_gives_the_first_plan_allocation() -> None:
    demand = _table(sku="N1", store=["A", "B", "C", "D"], mean=[30.0, 12.0, 7.0, 1.0],
                    sd=[12.0, np.nan, 5.0, np.nan])  # fmt: skip
    stores = _table(
        store=["A", "B", "C", "D"], min_units=[0, 0, 0, 6], max_units=[25, None, None, None]
    )
    first = allocate(60, demand, stores)
    none = _table(sku=["N1"], store=["A"], units=[0])
    now = release_holdback(demand, none, 40, stores=stores, second_batch=20)
    assert now["units"].tolist() == first["units"].tolist()


def test_minimums_of_strategic_stores_hold_net_of_stock_on_the_demo_stores() -> None:
    stores = forecasting.load_demo().stores
    names = stores["store"].tolist()
    rng = np.random.default_rng(11)
    mean = rng.uniform(40.0, 160.0, len(names))
    demand = _table(sku="AW12-SH05", store=names, mean=mean, sd=mean * 0.4)
    stock = np.round(mean * rng.uniform(0.0, 1.2, len(names))).astype(int)
    strategic = stores["strategic"].to_numpy(bool)
    minimum = stores["min_units"].fillna(0).to_numpy()
    stock[names.index("Province_1")] = 100  # minimum 180: needs 80
    stock[names.index("Province_9")] = 260  # minimum 200: already held
    stock[names.index("Province_4")] = 220  # minimum 240: needs 20
    stock[names.index("Province_16")] = 140  # minimum 150: needs 10
    stock[names.index("Province_20")] = 230  # minimum 240: needs 10
    mean[names.index("Province_9")] = 40.0
    demand["mean"] = mean
    on_hand = _table(sku="AW12-SH05", store=names, units=stock)
    out = release_holdback(demand, on_hand, 300, stores=stores).set_index("store")
    after = out.loc[names, "units_after"].to_numpy()
    assert (after[strategic] >= minimum[strategic]).all()
    assert out.at["Province_1", "units"] >= 80
    assert out.at["Province_9", "units"] == 0  # its stock already meets its minimum
    assert out["units"].sum() == 300  # the store rows and the warehouse row
    caps = stores.set_index("store")["max_units"].dropna()
    assert (
        out.loc[caps.index, "units_after"] <= np.maximum(caps, out.loc[caps.index, "stock"])
    ).all()
    # too few units for the minimums: an error by default, kept in grade order when soft
    short = on_hand.assign(units=0)
    with pytest.raises(AllocationError, match="'AW12-SH05' needs 1010 units"):
        release_holdback(demand, short, 300, stores=stores)
    soft = release_holdback(demand, short, 300, stores=stores, soft_minimums=True)
    soft = soft.set_index("store")
    assert soft["units"].drop("DC").sum() == 300
    # grade A first (Province_20, _4, _9 by store id: 240 + 240 + 200 > 300)
    assert soft.loc[["Province_20", "Province_4", "Province_9"], "units"].tolist() == [240, 60, 0]
    assert soft.at["Province_1", "units"] == 0 and "minimum cut" in soft.at["Province_1", "reason"]


def test_a_store_already_overstocked_gets_nothing() -> None:
    demand = _table(sku="N1", store=["A", "B", "C"], mean=[40.0, 40.0, 10.0], sd=[15.0, 15.0, 5.0])
    stock = _table(sku="N1", store=["A", "B", "C"], units=[120, 10, 5])
    out = release_holdback(demand, stock, 60).set_index("store")
    assert out.at["A", "units"] == 0
    assert out.at["A", "reason"] == "no unit: its stock covers its expected remaining demand"
    assert out.at["B", "units"] > 0
    assert out.loc[["A", "B", "C"], "units"].sum() + out.at["DC", "units"] == 60
    # its next unit is the least likely to sell of all
    assert out.at["A", "next_unit_sell_probability"] < out["last_unit_sell_probability"].min()
    # a store already at its cap gets nothing either
    capped = release_holdback(
        demand, stock.assign(units=[10, 10, 30]), 60,
        stores=_table(store=["A", "B", "C"], max_units=[None, None, 25]),
    ).set_index("store")  # fmt: skip
    assert capped.at["C", "units"] == 0 and "fills its cap" in capped.at["C", "reason"]


def test_units_nobody_would_likely_sell_stay_at_the_warehouse() -> None:
    demand = _table(
        sku=["N1"] * 3 + ["N2"] * 3,
        store=["A", "B", "C"] * 2,
        mean=[20.0, 10.0, 5.0, 8.0, 8.0, 8.0],
        sd=[8.0, 5.0, 3.0, np.nan, np.nan, np.nan],
    )
    stock = _table(sku=["N1", "N2"], store=["A", "C"], units=[5, 2])
    release = {"N1": 200, "N2": 11}
    out = release_holdback(demand, stock, release, second_batch=_table(sku=["N2"], units=[6]),
                           min_sell_probability=0.3)  # fmt: skip
    for sku, total in (("N1", 200), ("N2", 17)):
        part = out.loc[out["sku"] == sku]
        dc = part.loc[part["store"] == "DC"].iloc[0]
        shops = part.loc[part["store"] != "DC"]
        assert shops["units"].sum() + dc["units"] == total
        assert (shops.loc[shops["units"] > 0, "last_unit_sell_probability"] >= 0.3).all()
    n1 = out.loc[out["sku"] == "N1"]
    assert n1.loc[n1["store"] != "DC", "next_unit_sell_probability"].max() < 0.3
    assert n1["units"].iat[-1] > 100 and "chance of at least 0.3" in n1["reason"].iat[-1]
    # without the threshold (the allocator's rule) every unit a store could sell goes out
    everything = release_holdback(demand, stock, release, second_batch={"N2": 6})
    assert everything.loc[everything["store"] == "DC", "units"].tolist() == [0, 0]


def test_packs_and_excluded_stores() -> None:
    demand = _table(sku="N1", store=["A", "B", "C"], mean=[50.0, 30.0, 20.0],
                    exclude=[False, False, True])  # fmt: skip
    stock = _table(sku="N1", store=["A", "B"], units=[7, 12])
    stores = _table(store=["A", "B", "C"], min_units=[0, 0, 30])
    out = release_holdback(demand, stock, 45, stores=stores, pack_size=6).set_index("store")
    assert (out.loc[["A", "B", "C"], "units"] % 6 == 0).all()
    assert out.at["C", "units"] == 0 and out.at["C", "reason"].startswith("excluded")
    assert out["units"].sum() == 45 and out.at["DC", "units"] >= 3  # 45 = 7 packs + 3


def test_planned_exclusions_carry_through_to_the_release() -> None:
    plan = _one_sku_plan([0.7, 0.3, 0.0]).assign(exclude=[False, False, True])
    sold = _table(sku="N1", store=["S0", "S1"], units=[30, 30])
    demand = store_remaining_demand(_table(sku=["N1"], mean=[90.0], sd=[20.0]), sold, plan)
    assert demand["exclude"].tolist() == [False, False, True]
    stores = _table(store=["S0", "S1", "S2"], min_units=[0, 0, 10])
    out = release_holdback(demand, sold.assign(units=0), 50, stores=stores)
    assert out.loc[out["store"] == "S2", "units"].iat[0] == 0
