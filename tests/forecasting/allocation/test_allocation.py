"""allocate(): exact optimum, every unit accounted for, constraints, monotone, deterministic."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from forecasting.allocation.allocator import allocate
from forecasting.depth.distributions import expected_sales
from forecasting.exceptions import AllocationError, DataValidationError
from forecasting.inputs.validation import DataQualityWarning, command_line

FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def instances(draw: st.DrawFn, max_stores: int = 8) -> dict:
    n = draw(st.integers(1, max_stores))
    means = draw(st.lists(st.floats(0.0, 25.0), min_size=n, max_size=n))
    sds = [
        draw(st.one_of(st.none(), st.floats(0.0, 3.0).map(lambda k, m=m: k * (m**0.5 + 0.5))))
        for m in means
    ]
    mins = draw(st.lists(st.sampled_from([0, 0, 0, 1, 2, 4]), min_size=n, max_size=n))
    caps = [
        draw(st.one_of(st.none(), st.integers(0, 12).map(lambda c, lo=lo: lo + c))) for lo in mins
    ]
    excluded = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    grades = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=n, max_size=n))
    stores = [f"S{i:02d}" for i in draw(st.permutations(range(n)))]
    demand = pd.DataFrame({"store": stores, "mean": means, "sd": sds, "exclude": excluded})
    table = pd.DataFrame({"store": stores, "min_units": mins, "max_units": caps, "grade": grades})
    return {
        "demand": demand,
        "stores": table,
        "quantity": draw(st.integers(0, 150)),
        "pack_size": draw(st.sampled_from([1, 1, 2, 3, 6])),
        "holdback": draw(st.sampled_from([0.0, 0.0, 0.1, 0.25])),
        "soft_minimums": draw(st.booleans()),
    }


def _run(case: dict, quantity: int | None = None) -> pd.DataFrame | None:
    try:
        return allocate(
            case["quantity"] if quantity is None else quantity,
            case["demand"],
            case["stores"],
            pack_size=case["pack_size"],
            holdback=case["holdback"],
            soft_minimums=case["soft_minimums"],
        )
    except AllocationError:
        return None


def _store_units(plan: pd.DataFrame) -> pd.Series:
    return plan.loc[plan["store"] != "DC"].set_index("store")["units"]


@FAST
@given(instances())
def test_conservation_packs_limits(case: dict) -> None:
    plan = _run(case)
    q, p = case["quantity"], case["pack_size"]
    available = q - int(np.floor(q * case["holdback"] + 1e-9))
    if plan is None:  # only when hard minimums exceed the stock, or a cap is below a pack minimum
        table = case["stores"]
        carried = ~case["demand"]["exclude"].to_numpy() & (table["max_units"] != 0).to_numpy()
        packed = (np.ceil(table["min_units"] / p) * p).to_numpy()
        clash = (carried & (packed > table["max_units"].fillna(np.inf).to_numpy())).any()
        short = packed[carried].sum() > available // p * p
        assert clash or (short and not case["soft_minimums"])
        return
    assert plan["units"].sum() == q
    assert (plan["units"] >= 0).all()
    wh = plan.loc[plan["store"] == "DC", "units"]
    assert len(wh) == 1 and int(wh.iat[0]) >= q - available
    units = _store_units(plan)
    assert (units % p == 0).all()
    merged = (
        case["stores"]
        .set_index("store")
        .join(units)
        .join(case["demand"].set_index("store")["exclude"])
    )
    assert (merged.loc[merged["exclude"], "units"] == 0).all()
    caps = merged["max_units"].fillna(np.inf)
    assert (merged["units"] <= caps).all()
    if not case["soft_minimums"]:
        carried = ~merged["exclude"] & (caps > 0)
        assert (merged.loc[carried, "units"] >= merged.loc[carried, "min_units"]).all()


@FAST
@given(instances(), st.integers(1, 40))
def test_monotone_in_quantity(case: dict, more: int) -> None:
    small, big = _run(case), _run(case, case["quantity"] + more)
    assume(small is not None and big is not None)
    assert small is not None and big is not None
    a, b = _store_units(small), _store_units(big)
    assert (b.reindex(a.index) >= a).all(), pd.concat([a, b], axis=1)


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_deterministic_and_row_order_free(case: dict, rnd: object) -> None:
    first = _run(case)
    assume(first is not None)
    again = _run(case)
    assert again is not None
    pd.testing.assert_frame_equal(first, again)
    shuffled = dict(case)
    perm = list(range(len(case["demand"])))
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    shuffled["demand"] = case["demand"].iloc[perm].reset_index(drop=True)
    third = _run(shuffled)
    assert third is not None
    pd.testing.assert_frame_equal(first, third)


def _brute_force_best(
    mean: list[float], sd: list[float], n: int, lo: list[int], hi: list[int]
) -> float:
    """Best expected sales over every whole allocation placing min(n, sum hi) units."""
    tables = [
        expected_sales(m, s, np.arange(a, b + 1))
        for m, s, a, b in zip(mean, sd, lo, hi, strict=True)
    ]
    grids = np.meshgrid(*[np.arange(a, b + 1) for a, b in zip(lo, hi, strict=True)], indexing="ij")
    values = np.meshgrid(*tables, indexing="ij")
    total = sum(grids)
    sales = sum(values)
    return float(np.max(np.where(total == min(n, sum(hi)), sales, -1.0)))


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0.0, 8.0), st.one_of(st.none(), st.floats(0.0, 6.0))),
        min_size=1,
        max_size=4,
    ),
    st.integers(0, 14),
    st.lists(st.integers(0, 2), min_size=4, max_size=4),
    st.lists(st.one_of(st.none(), st.integers(0, 6)), min_size=4, max_size=4),
)
def test_equals_brute_force_optimum(rows: list, quantity: int, mins: list, caps: list) -> None:
    n = len(rows)
    mean = [m for m, _ in rows]
    sd = [np.nan if s is None else s for _, s in rows]
    lo = mins[:n]
    hi = [quantity + lo[i] if caps[i] is None else max(caps[i], lo[i]) for i in range(n)]
    demand = pd.DataFrame({"store": [f"S{i}" for i in range(n)], "mean": mean, "sd": sd})
    stores = pd.DataFrame(
        {
            "store": demand["store"],
            "min_units": lo,
            "max_units": [
                c if c is not None else None
                for c in [None if caps[i] is None else hi[i] for i in range(n)]
            ],
        }
    )
    if sum(lo) > quantity:
        with pytest.raises(AllocationError, match="units missing"):
            allocate(quantity, demand, stores)
        return
    plan = allocate(quantity, demand, stores)
    units = _store_units(plan).reindex(demand["store"]).to_numpy()
    got = float(np.sum(expected_sales(mean, sd, units)))
    assert got == pytest.approx(_brute_force_best(mean, sd, quantity, lo, hi), abs=1e-12)


def test_known_small_case_and_explanations() -> None:
    demand = pd.DataFrame(
        {"store": ["A", "B", "C"], "mean": [10.0, 5.0, 1.0], "sd": [4.0, None, None]}
    )
    stores = pd.DataFrame(
        {"store": ["A", "B", "C"], "min_units": [0, 0, 3], "max_units": [None, 2, None]}
    )
    plan = allocate(15, demand, stores, holdback=0.2)
    assert plan["store"].tolist() == ["A", "B", "C", "DC"]
    assert plan["units"].tolist() == [7, 2, 3, 3]
    assert plan["reason"].str.contains("cap").iat[1]
    assert plan["reason"].str.contains("minimum").iat[2]
    assert "holdback 20%: 3 units" in plan["reason"].iat[3]
    # each unit given by marginal analysis sells more likely than any unit withheld elsewhere
    shadow = plan.attrs["shadow_price"]["product"]
    assert plan["last_unit_sell_probability"].iat[0] == pytest.approx(shadow)
    assert plan["next_unit_sell_probability"].iat[0] <= shadow


def test_infeasible_hard_minimums_name_missing_units_and_fix() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [3.0, 3.0]})
    stores = pd.DataFrame({"store": ["A", "B"], "min_units": [6, 6]})
    with pytest.raises(AllocationError) as err:
        allocate(10, demand, stores)
    assert "2 units missing" in str(err.value)
    assert "soft_minimums=True" in str(err.value)
    soft = allocate(10, demand, stores.assign(grade=["B", "A"]), soft_minimums=True)
    assert _store_units(soft).to_dict() == {"A": 4, "B": 6}  # grade A (store B) is served first


def test_packs_leave_odd_units_at_warehouse_and_caps_overflow() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [50.0, 50.0]})
    plan = allocate(27, demand, pack_size=6)
    assert _store_units(plan).sum() == 24
    assert "3 units do not fill a pack of 6" in plan["reason"].iat[-1]
    capped = allocate(30, demand, pd.DataFrame({"store": ["A", "B"], "max_units": [5, 10]}))
    assert capped["units"].tolist() == [5, 10, 15]
    assert "15 units beyond every store's cap" in capped["reason"].iat[-1]


def test_many_products_match_one_at_a_time() -> None:
    rng = np.random.default_rng(7)
    stores = [f"S{i:03d}" for i in range(60)]
    rows = []
    for k in range(5):
        means = rng.gamma(1.5, 3.0, len(stores))
        sds = np.where(rng.random(len(stores)) < 0.5, np.nan, np.sqrt(means) * 1.8)
        rows.append(pd.DataFrame({"sku": f"P{k}", "store": stores, "mean": means, "sd": sds}))
    demand = pd.concat(rows, ignore_index=True)
    qty = pd.DataFrame({"sku": [f"P{k}" for k in range(5)], "units": [10, 100, 250, 400, 0]})
    together = allocate(qty, demand, pack_size=2, holdback=0.1)
    for sku, q in zip(qty["sku"], qty["units"], strict=True):
        alone = allocate(q, demand.loc[demand["sku"] == sku], pack_size=2, holdback=0.1)
        got = together.loc[together["sku"] == sku].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, alone, check_like=False)


def test_demand_without_sku_applies_to_every_product_and_bad_inputs() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [2.0, 1.0]})
    plan = allocate(pd.DataFrame({"sku": ["X", "Y"], "units": [3, 0]}), demand)
    assert plan.groupby("sku")["units"].sum().to_dict() == {"X": 3, "Y": 0}
    with pytest.raises(DataValidationError, match="not a whole number"):
        allocate(2.5, demand)
    with pytest.raises(AllocationError, match="no store demand"):
        allocate(pd.DataFrame({"sku": ["Z"], "units": [3]}), demand.assign(sku="X"))
    with pytest.raises(AllocationError, match="pack_size"):
        allocate(3, demand, pack_size=0)
    with pytest.raises(AllocationError, match="holdback"):
        allocate(3, demand, holdback=1.0)
    with pytest.raises(DataValidationError, match="mean"):
        allocate(3, demand.assign(mean=[-1.0, 1.0]))


def _table_of_five() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "store": ["S1", "S2", "S3", "S4", "S5"],
            "strategic": [False, True, False, False, True],
            "min_units": [0, 6, 2, 0, 4],
            "close_date": [None, None, None, "2012-01-31", None],
        }
    )


def test_every_store_of_the_table_is_in_the_plan() -> None:
    demand = pd.DataFrame({"store": ["S1", "S3"], "mean": [20.0, 5.0]})
    with pytest.warns(DataQualityWarning) as caught:
        plan = allocate(40, demand, _table_of_five())
    messages = [str(w.message) for w in caught]
    missing = next(m for m in messages if "no demand row" in m)
    assert "'S2'" in missing and "'S5'" in missing
    assert "strategic among them: 'S2' (minimum 6), 'S5' (minimum 4)" in missing
    closed = next(m for m in messages if "closed" in m)
    assert "'S4'" in closed
    by_store = plan.set_index("store")
    assert by_store.index.tolist() == ["S1", "S2", "S3", "S4", "S5", "DC"]
    assert by_store.loc[["S2", "S5"], "units"].tolist() == [6, 4]  # minimums kept at zero demand
    assert by_store.loc[["S2", "S5"], "mean"].tolist() == [0.0, 0.0]
    assert by_store.loc["S4", "units"] == 0 and "closed" in by_store.loc["S4", "reason"]
    assert "no demand row" in by_store.loc["S2", "reason"]
    assert plan["units"].sum() == 40
    # the minimums of stores without demand count against the stock too
    with (
        pytest.raises(AllocationError, match="units missing") as err,
        pytest.warns(DataQualityWarning),
    ):
        allocate(11, demand, _table_of_five())
    assert "'product' needs 12 units" in str(err.value)
    assert "soft_minimums=True" in str(err.value)
    with (
        command_line(),
        pytest.raises(AllocationError) as cli_err,
        pytest.warns(DataQualityWarning),
    ):
        allocate(11, demand, _table_of_five())
    assert "--soft-minimums" in str(cli_err.value) and "soft_minimums=" not in str(cli_err.value)


def test_stores_without_demand_for_one_product_get_zero_demand_for_it() -> None:
    demand = pd.DataFrame(
        {"sku": ["P1", "P1", "P2"], "store": ["S1", "S2", "S1"], "mean": [3.0, 3.0, 5.0]}
    )
    table = pd.DataFrame({"store": ["S1", "S2"], "min_units": [0, 1]})
    qty = pd.DataFrame({"sku": ["P1", "P2"], "units": [6, 6]})
    with pytest.warns(DataQualityWarning, match=r"1 store .*1 store x product pairs.*'S2'"):
        plan = allocate(qty, demand, table)
    p2 = plan.loc[plan["sku"] == "P2"].set_index("store")["units"]
    assert p2.to_dict() == {"S1": 5, "S2": 1, "DC": 0}
    full = demand.assign(exclude=False)
    full = pd.concat([full, pd.DataFrame({"sku": ["P2"], "store": ["S2"], "mean": [0.0],
                                          "exclude": [True]})])  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a store left out on purpose is not a finding
        again = allocate(qty, full, table)
    assert again.loc[(again["sku"] == "P2") & (again["store"] == "S2"), "units"].iat[0] == 0


def test_demand_for_a_store_missing_from_the_table_is_an_error() -> None:
    demand = pd.DataFrame({"store": ["S1", "S9", "S2"], "mean": [4.0, 50.0, 1.0]})
    table = pd.DataFrame({"store": ["S1", "S2"]})
    with pytest.raises(DataValidationError) as err:
        allocate(30, demand, table)
    text = str(err.value)
    assert "row 1 (store='S9', mean=50.0)" in text
    assert "stores table" in text and "Fix:" in text
    assert allocate(30, demand)["units"].sum() == 30  # without a stores table, demand names them


@pytest.mark.parametrize(
    ("caps", "pack_size", "holdback"), [(None, 1, 0.0), (None, 6, 0.15), ([5, 30, None], 3, 0.0)]
)
def test_huge_quantity_keeps_every_unit_and_sends_only_what_stores_take(
    caps: list | None, pack_size: int, holdback: float
) -> None:
    demand = pd.DataFrame({"store": ["A", "B", "C"], "mean": [40.0, 8.0, 0.0],
                           "sd": [30.0, None, None]})  # fmt: skip
    table = pd.DataFrame({"store": ["A", "B", "C"], "min_units": [0, 0, 2], "max_units": caps})
    quantity = 10**12
    plan = allocate(quantity, demand, table, pack_size=pack_size, holdback=holdback)
    units = plan["units"].to_numpy()
    assert plan["units"].dtype == np.int64 and int(units.sum()) == quantity
    stores = plan.loc[plan["store"] != "DC"].set_index("store")["units"]
    assert (stores % pack_size == 0).all()
    assert 0 < stores.sum() < 10_000  # only what the stores can take
    assert stores["C"] == int(np.ceil(2 / pack_size) * pack_size)  # zero demand: its minimum only
    if caps is not None:
        assert stores["A"] <= 5
    # the next unit of a store that is not at its cap would sell with a negligible chance
    open_ = plan.loc[plan["next_unit_sell_probability"].notna() & (plan["store"] != "C")]
    assert (open_["next_unit_sell_probability"] < 1e-12).all()
    assert "cannot take" in plan["reason"].iat[-1] or "cap" in plan["reason"].iat[-1]
    # and the same plan as a quantity the stores can just take, plus the rest at the warehouse
    smaller = allocate(int(stores.sum()) * 4, demand, table, pack_size=pack_size)
    assert (smaller.set_index("store")["units"].drop("DC") <= stores + pack_size).all()


def test_quantities_beyond_float_precision_are_kept_exactly() -> None:
    demand = pd.DataFrame({"store": ["A", "B"], "mean": [3.0, 1.0]})
    quantity = 2**53 + 1  # a float would round it
    plan = allocate(quantity, demand, holdback=0.1, pack_size=2)
    assert int(plan["units"].sum()) == quantity
    with pytest.raises(DataValidationError, match="more than launchcast counts"):
        allocate(10**19, demand)
