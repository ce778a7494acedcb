"""In-season re-timing: waves arriving earlier or later than the launch calendar planned."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

from calendars import is_workday
from forecasting import load_demo
from forecasting.exceptions import DataValidationError
from forecasting.inputs import SalesTable, validate_sales
from forecasting.inseason.retiming import REASONS, RETIMING_COLUMNS, retime_waves
from forecasting.timing import recommend_launches
from forecasting.timing.rules import first_delivery_on_or_after


def _synthetic(onsets: list[str], *, seed: int = 0) -> pd.DataFrame:
    """Daily units 2008-2011 doubling over 20 days from each onset and back over the next 20."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2008-01-01", "2011-12-31")
    log_units = np.log(100.0) + rng.normal(0, 0.03, len(dates))
    for onset in onsets:
        t = (dates - pd.Timestamp(onset)).days.to_numpy()
        log_units += np.log(2.0) * (np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1))
    return pd.DataFrame({"date": dates, "units": np.exp(log_units)})


USUAL = ["2008-09-10", "2009-09-11", "2010-09-12"]  # 白露 (7-8 Sep) + 3..4 days


@functools.lru_cache(maxsize=4)
def _plan_and_sales(current: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    sales = _synthetic([*USUAL, current])
    plan = recommend_launches(sales, "2011-07-01", "2011-12-31", as_of="2011-06-01")
    return plan, sales


@functools.lru_cache(maxsize=1)
def _bundled() -> tuple[SalesTable, pd.DataFrame]:
    """The bundled sales summed over provinces, and autumn 2011 planned as of 1 June 2011."""
    demo = load_demo().sales
    total = validate_sales(demo.groupby("date", as_index=False)["units"].sum())
    return total, recommend_launches(total, "2011-07-01", "2011-12-31", as_of="2011-06-01")


# --- the bundled data ---------------------------------------------------------------------------


def test_bundled_2011_autumn_wave_is_measured_a_few_days_early_and_kept() -> None:
    sales, plan = _bundled()
    autumn = plan[plan["anchor"] == "秋分"].iloc[0]
    assert autumn["expected_onset"] == pd.Timestamp("2011-09-25")
    assert autumn["delivery_date"] == pd.Timestamp("2011-09-05")
    out = retime_waves(plan, sales, as_of="2011-09-24", plan_as_of="2011-06-01")
    row = out[out["anchor"] == "秋分"].iloc[0]
    # 2008-2010 rose +15 % above their summer level on days -2, -9, -11 of the expected onset;
    # 2011 did on 12 September, day -13: 4 days earlier than the median, not 3-4 weeks
    assert row["usual_rise"] == -9
    assert row["rise_seen"] == pd.Timestamp("2011-09-12")
    assert row["days_early"] == 4
    assert row["onset_seen"] == pd.Timestamp("2011-09-21")
    # within the plan's own margin (planned for 18 September): on plan, nothing moved
    assert row["status"] == "on plan" and row["delivered"] and not row["moved"]
    assert row["new_delivery_date"] == row["planned_delivery_date"]
    assert "4 days before the usual" in row["reason"] and "covers it" in row["reason"]
    # the second autumn wave follows the first too closely to be timed on its own
    late_autumn = out[out["anchor"] == "霜降"].iloc[0]
    assert late_autumn["status"] == "on plan" and pd.isna(late_autumn["usual_rise"])
    assert "cannot be checked" in late_autumn["reason"]


def test_bundled_2010_season_on_plan_keeps_its_open_delivery() -> None:
    sales, _ = _bundled()
    plan = recommend_launches(sales, "2010-07-01", "2010-12-31", as_of="2010-06-01")
    out = retime_waves(plan, sales, as_of="2010-09-10")
    assert set(out["status"]) == {"on plan"}
    assert not out["delivered"].any() and not out["moved"].any()
    assert out["rise_seen"].isna().all()  # the rise has not come yet, and is not yet due
    assert (out["new_delivery_date"] == out["planned_delivery_date"]).all()
    assert out["reason"].str.contains("onset: not yet").any()


# --- early, late, passed ------------------------------------------------------------------------


def test_an_early_wave_moves_its_open_delivery_to_the_first_feasible_day() -> None:
    plan, sales = _plan_and_sales("2011-08-08")  # 5 weeks before the usual
    assert plan.loc[0, "delivery_date"] == pd.Timestamp("2011-08-29")
    out = retime_waves(plan, sales, as_of="2011-08-24")
    row = out.iloc[0]
    assert row["status"] == "early"
    assert abs(int(row["days_early"]) - 35) <= 1
    assert abs((row["onset_seen"] - pd.Timestamp("2011-08-08")).days) <= 1
    new = row["new_delivery_date"]
    assert new == first_delivery_on_or_after("2011-08-24") == pd.Timestamp("2011-08-29")
    # as_of on a Wednesday: the first Monday is the planned day itself, so it is kept
    assert not row["moved"] and "already the first feasible" in row["reason"]
    out = retime_waves(plan, sales, as_of="2011-08-22")
    row = out.iloc[0]
    assert row["moved"] and row["new_delivery_date"] == pd.Timestamp("2011-08-22")
    assert row["new_delivery_date"] >= pd.Timestamp("2011-08-22")
    assert is_workday(row["new_delivery_date"]) and row["new_delivery_date"].weekday() == 0
    assert "EARLY: deliver on Mon 2011-08-22 instead of Mon 2011-08-29" in row["reason"]
    assert list(out.columns) == RETIMING_COLUMNS


def test_the_new_delivery_skips_a_holiday_and_is_never_before_as_of() -> None:
    # a wave usually starting late October comes 6 weeks early; re-timed on Thu 29 Sep 2011, the
    # first Monday (3 Oct) is in the National Day break: the first working day after it
    usual = ["2008-10-25", "2009-10-26", "2010-10-27"]
    sales = _synthetic([*usual, "2011-09-12"])
    plan = recommend_launches(sales, "2011-07-01", "2011-12-31", as_of="2011-06-01")
    assert (plan["delivery_date"] >= pd.Timestamp("2011-10-10")).all()
    out = retime_waves(plan, sales, as_of="2011-09-29")
    row = out.iloc[0]
    assert row["status"] == "early" and row["moved"]
    new = row["new_delivery_date"]
    assert new == pd.Timestamp("2011-10-08")  # a make-up working Saturday
    assert is_workday(new) and new >= pd.Timestamp("2011-09-29")
    assert not is_workday("2011-10-03")


def test_a_late_wave_is_marked_late_and_not_moved() -> None:
    plan, sales = _plan_and_sales("2011-10-01")  # 3 weeks after the usual
    out = retime_waves(plan, sales, as_of="2011-09-26")
    row = out.iloc[0]
    assert row["status"] == "late" and pd.isna(row["rise_seen"])
    assert int(row["days_early"]) <= -7
    assert not row["moved"] and row["new_delivery_date"] == row["planned_delivery_date"]
    assert "LATE" in row["reason"] and "onset: not yet" in row["reason"]
    # once the late rise has come, it is dated
    out = retime_waves(plan, sales, as_of="2011-10-16")
    assert out.iloc[0]["status"] == "late" and pd.notna(out.iloc[0]["rise_seen"])
    assert 17 <= -int(out.iloc[0]["days_early"]) <= 23


def test_an_on_plan_wave_is_not_moved_and_a_finished_wave_is_passed() -> None:
    plan, sales = _plan_and_sales("2011-09-13")
    out = retime_waves(plan, sales, as_of="2011-08-15")
    assert out.iloc[0]["status"] == "on plan" and not out.iloc[0]["moved"]
    assert out.iloc[0]["new_delivery_date"] == plan.loc[0, "delivery_date"]
    out = retime_waves(plan, sales, as_of="2011-09-28")
    assert out.iloc[0]["status"] == "on plan" and abs(int(out.iloc[0]["days_early"])) <= 2
    out = retime_waves(plan, sales, as_of="2011-11-20")
    assert out.iloc[0]["status"] == "passed" and out.iloc[0]["delivered"]
    assert "PASSED" in out.iloc[0]["reason"]


def test_groups_of_one_wave_keep_one_delivery_day() -> None:
    coats = _synthetic([*USUAL, "2011-08-08"], seed=1).assign(category="coats")
    shirts = _synthetic([*USUAL, "2011-09-12"], seed=2).assign(category="shirts")
    sales = pd.concat([coats, shirts], ignore_index=True)
    plan = recommend_launches(sales, "2011-07-01", "2011-12-31", by="category", as_of="2011-06-01")
    assert plan["delivery_date"].nunique() == 1
    out = retime_waves(plan, sales, as_of="2011-08-22").set_index("category")
    assert out.loc["coats"]["status"] == "early" and out.loc["shirts"]["status"] == "on plan"
    assert out["moved"].all() and out["new_delivery_date"].nunique() == 1
    assert "MOVED with its wave" in out.loc["shirts"]["reason"]


def test_the_calendar_read_back_from_csv_gives_the_same_answer(tmp_path) -> None:
    plan, sales = _plan_and_sales("2011-08-08")
    path = tmp_path / "launch_calendar.csv"
    plan.to_csv(path, index=False, date_format="%Y-%m-%d")
    again = pd.read_csv(path, encoding="utf-8")
    expected = retime_waves(plan, sales, as_of="2011-08-22")
    pd.testing.assert_frame_equal(retime_waves(again, sales, as_of="2011-08-22"), expected)


# --- bad input -----------------------------------------------------------------------------------


def test_as_of_before_the_plan_is_a_one_line_error() -> None:
    plan, sales = _plan_and_sales("2011-09-13")
    with pytest.raises(DataValidationError, match="before the plan's planning date") as err:
        retime_waves(plan, sales, as_of="2011-05-01", plan_as_of="2011-06-01")
    assert "\n" not in str(err.value) and "as_of='2011-05-01'" in str(err.value)


def test_a_calendar_missing_a_column_is_a_one_line_error_naming_it() -> None:
    plan, sales = _plan_and_sales("2011-09-13")
    with pytest.raises(DataValidationError, match="column 'delivery_date'") as err:
        retime_waves(plan.drop(columns="delivery_date"), sales, as_of="2011-09-01")
    assert "\n" not in str(err.value)


def test_unreadable_dates_and_unknown_groups_are_errors_naming_the_rows() -> None:
    plan, sales = _plan_and_sales("2011-09-13")
    bad = plan.astype({"planned_onset": object})
    bad.loc[0, "planned_onset"] = "soon"
    with pytest.raises(DataValidationError, match=r"column 'planned_onset'.*row 0") as err:
        retime_waves(bad, sales, as_of="2011-09-01")
    assert "\n" not in str(err.value)
    with pytest.raises(DataValidationError, match=r"\['category'\] name the groups"):
        retime_waves(plan.assign(category="coats"), sales, as_of="2011-09-01")
    with pytest.raises(DataValidationError, match="threshold"):
        retime_waves(plan, sales, as_of="2011-09-01", threshold=0.9)
    with pytest.raises(DataValidationError, match="calendar"):
        retime_waves(plan.iloc[0:0], sales, as_of="2011-09-01")


def test_every_reason_template_is_filled_without_leftover_fields() -> None:
    plan, sales = _plan_and_sales("2011-08-08")
    texts = []
    for as_of in ("2011-07-20", "2011-08-22", "2011-08-24", "2011-09-05", "2011-11-20"):
        texts += retime_waves(plan, sales, as_of=as_of)["reason"].tolist()
    assert all("{" not in t and t.endswith(".") for t in texts)
    assert all(isinstance(v, str) and v for v in REASONS.values())
