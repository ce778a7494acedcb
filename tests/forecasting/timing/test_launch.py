"""Launch timing: expected onsets from learned lags, and the delivery-date rules."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from calendars import is_workday, solar_terms
from forecasting.exceptions import DataValidationError, LaunchcastError
from forecasting.timing.launch import delivery_date, launch_confidence, recommend_launches
from forecasting.timing.rules import planned_lag

WEEKDAYS = ["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]


def _sales(lags: dict[str, list[int]], years=range(2009, 2012), *, seed: int = 0) -> pd.DataFrame:
    """Daily units with surges starting ``lag`` days after the named solar term in each year."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range(f"{years[0]}-01-01", f"{years[-1]}-12-31")
    terms = solar_terms(list(years))
    log_units = np.full(len(dates), np.log(200.0)) + rng.normal(0, 0.04, len(dates))
    for name, per_year in lags.items():
        for year, lag in zip(years, per_year, strict=True):
            day = terms.loc[(terms["name"] == name) & (terms["year"] == year), "date"].iloc[0]
            t = (dates - (pd.Timestamp(day) + pd.Timedelta(days=lag))).days.to_numpy()
            log_units += np.log(1.9) * (np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1))
    return pd.DataFrame({"date": dates, "units": np.round(np.exp(log_units))})


# --- delivery-date rules -------------------------------------------------------------------------


@pytest.mark.parametrize("weekday", WEEKDAYS)
@pytest.mark.parametrize("onset", ["2012-03-14", "2012-06-30", "2012-09-10", "2012-11-20"])
def test_delivery_is_the_latest_weekday_on_shelf_lead_days_before(weekday: str, onset: str) -> None:
    lead = 7
    day = delivery_date(onset, lead, weekday)
    latest = pd.Timestamp(onset) - pd.Timedelta(days=lead + 1)  # on shelf the day after delivery
    assert day <= latest
    assert is_workday(day)
    if is_workday(day) and day.weekday() == WEEKDAYS.index(weekday):
        assert (latest - day).days < 7  # a week later would be too late
    assert (latest - day).days < 14


def test_delivery_on_a_holiday_moves_to_the_previous_working_day() -> None:
    # Mon 2012-10-01 is National Day; Sun 30 Sep is off; Sat 29 Sep is a make-up working day
    assert not is_workday("2012-10-01")
    assert delivery_date("2012-10-05", lead_days=3, delivery_weekday="MON") == pd.Timestamp(
        "2012-09-29"
    )
    # Mon 2012-04-02 is Qingming; Sun 2012-04-01 is a make-up working day
    assert delivery_date("2012-04-10", lead_days=7, delivery_weekday="MON") == pd.Timestamp(
        "2012-04-01"
    )


def test_weekday_numbers_and_names_agree() -> None:
    assert delivery_date("2012-09-10", 7, 0) == delivery_date("2012-09-10", 7, "monday")


def test_bad_weekday_and_negative_lead_are_rejected() -> None:
    with pytest.raises(DataValidationError, match="delivery_weekday"):
        delivery_date("2012-09-10", 7, "SOMEDAY")
    with pytest.raises(DataValidationError, match="lead_days"):
        delivery_date("2012-09-10", -1)


def test_confidence_levels() -> None:
    assert launch_confidence(4, 3) == "high"
    assert launch_confidence(2, 3) == "medium"
    assert launch_confidence(3, 14) == "medium"
    assert launch_confidence(3, 20) == "low"


# --- recommend_launches ---------------------------------------------------------------------------


def test_expected_onset_is_anchor_plus_median_lag() -> None:
    plan = recommend_launches(
        _sales({"白露": [2, 4, 3], "立冬": [6, 4, 8]}), "2012-01-01", "2012-12-31"
    )
    assert plan["anchor"].tolist() == ["白露", "立冬"]
    terms = solar_terms(2012).set_index("name")["date"]
    for _, row in plan.iterrows():
        assert row["anchor_date"] == terms[row["anchor"]]
        assert (
            abs(
                (row["expected_onset"] - row["anchor_date"]).days
                - {"白露": 3, "立冬": 6}[row["anchor"]]
            )
            <= 2
        )
        assert row["delivery_date"].weekday() == 0
        assert row["shelf_start"] == row["delivery_date"] + pd.Timedelta(days=1)
        assert row["shelf_end"] == row["delivery_date"] + pd.Timedelta(days=3)
        # planned for an early onset (a low quantile), on shelf 7..13 days before that
        early = (row["expected_onset"] - row["planned_onset"]).days
        assert 2 <= early <= 6
        assert 7 <= (row["planned_onset"] - row["shelf_start"]).days < 14
        assert row["days_ahead"] == early + (row["planned_onset"] - row["shelf_start"]).days
        assert row["promotion_start"] == row["shelf_start"]
        assert row["promotion_end"] >= row["expected_peak"] > row["expected_onset"]
        assert row["confidence"] == "high"
    reason = plan.loc[0, "reason"]
    assert reason.startswith(f"autumn surge expected {plan.loc[0, 'expected_onset']:%Y-%m-%d}, ")
    assert "days after 白露; seen 2009-2011 at +" in reason
    assert "planned for an early onset" in reason and "late loses the start of the wave" in reason


def test_schedule_for_median_and_earliest() -> None:
    sales = _sales({"白露": [0, 9, 3]})
    median = recommend_launches(sales, "2012-01-01", "2012-12-31", schedule_for="median").iloc[0]
    assert median["planned_onset"] == median["expected_onset"]
    assert 7 <= median["days_ahead"] < 14
    assert "planned for the expected onset" in median["reason"]
    earliest = recommend_launches(sales, "2012-01-01", "2012-12-31", schedule_for="earliest")
    row = earliest.iloc[0]
    assert row["planned_onset"] == row["anchor_date"] + pd.Timedelta(days=int(row["lag_min"]))
    quantile = recommend_launches(sales, "2012-01-01", "2012-12-31").iloc[0]
    assert quantile["planned_onset"] < median["planned_onset"]
    assert quantile["delivery_date"] <= median["delivery_date"]
    with pytest.raises(DataValidationError, match="schedule_for"):
        recommend_launches(sales, "2012-01-01", "2012-12-31", schedule_for="latest")
    with pytest.raises(DataValidationError, match="onset_quantile"):
        recommend_launches(sales, "2012-01-01", "2012-12-31", onset_quantile=0.7)


def test_planned_lag_is_a_low_quantile_that_widens_with_the_spread() -> None:
    assert planned_lag(5, 3, 7, 3, quantile=0.5) == 5  # the median
    lags = [planned_lag(5, 5 - w, 5 + w, 3) for w in (0, 2, 5, 10)]
    assert lags == sorted(lags, reverse=True) and lags[-1] < lags[0] < 5
    assert planned_lag(5, 0, 10, 3, quantile=0.1) < planned_lag(5, 0, 10, 3, quantile=0.3)
    assert planned_lag(5, 0, 10, 2) < planned_lag(5, 0, 10, 4)  # fewer years: more margin
    assert planned_lag(5, 5, 5, 1) < 5  # one year: a margin from the measurement precision
    # a day late costing 4 times a day early: about one year in five is late, on normal lags
    rng = np.random.default_rng(0)
    late = []
    for _ in range(400):
        past, nxt = rng.normal(0, 4, 4), rng.normal(0, 4)
        late.append(nxt < planned_lag(np.median(past), past.min(), past.max(), 4, 0.2, 0))
    assert 0.1 < np.mean(late) < 0.3


def test_window_keeps_only_onsets_inside_it() -> None:
    sales = _sales({"白露": [2, 4, 3], "立冬": [6, 4, 8]})
    plan = recommend_launches(sales, "2012-10-01", "2013-12-31")
    assert plan["anchor"].tolist() == ["立冬", "白露", "立冬"]
    assert plan["expected_onset"].dt.year.tolist() == [2012, 2013, 2013]


def test_groups_share_one_delivery_date_per_wave_unless_asked() -> None:
    early = _sales({"白露": [0, 1, 0]}, seed=1).assign(category="coats")
    late = _sales({"白露": [12, 13, 11]}, seed=2).assign(category="shirts")
    sales = pd.concat([early, late], ignore_index=True)
    plan = recommend_launches(sales, "2012-01-01", "2012-12-31", by="category").set_index(
        "category"
    )
    assert plan["wave"].nunique() == 1
    assert plan.loc["coats", "expected_onset"] < plan.loc["shirts", "expected_onset"]
    assert plan["delivery_date"].nunique() == 1  # one unified date: early enough for both
    assert (plan["planned_onset"] - plan["shelf_start"]).dt.days.min() >= 7
    assert plan["promotion_end"].nunique() == 1
    own = recommend_launches(sales, "2012-01-01", "2012-12-31", by="category", per_group=True)
    own = own.set_index("category")
    assert own.loc["coats", "delivery_date"] < own.loc["shirts", "delivery_date"]
    # the unified date plans for the 20 % quantile of both groups' onsets together: not later than
    # the later group's own date, not earlier than the earlier group's own date
    unified = plan.loc["coats", "delivery_date"]
    assert own.loc["coats", "delivery_date"] <= unified <= own.loc["shirts", "delivery_date"]
    median = recommend_launches(
        sales, "2012-01-01", "2012-12-31", by="category", schedule_for="median"
    )
    median_own = recommend_launches(
        sales, "2012-01-01", "2012-12-31", by="category", schedule_for="median", per_group=True
    )
    assert median["delivery_date"].nunique() == 1  # the earliest group's own date
    assert median["delivery_date"].iloc[0] == median_own["delivery_date"].min()
    assert (own["planned_onset"] - own["shelf_start"]).dt.days.max() < 14


def test_other_weekday_and_lead() -> None:
    plan = recommend_launches(
        _sales({"白露": [2, 4, 3]}),
        "2012-01-01",
        "2012-12-31",
        delivery_weekday="THU",
        lead_days=10,
        shelf_days=2,
    )
    row = plan.iloc[0]
    assert row["delivery_date"].weekday() == 3
    assert row["shelf_end"] - row["delivery_date"] == pd.Timedelta(days=2)
    assert 10 <= (row["planned_onset"] - row["shelf_start"]).days < 17


def test_weekly_sales_work() -> None:
    daily = _sales({"白露": [2, 4, 3]})
    weekly = daily.set_index("date")["units"].resample("W-SUN").sum().reset_index()
    weekly = weekly[(weekly["date"] > "2009-01-04") & (weekly["date"] < "2011-12-31")]
    plan = recommend_launches(weekly, "2012-01-01", "2012-12-31")
    assert plan["anchor"].tolist() == ["白露"]
    assert abs((plan.loc[0, "expected_onset"] - pd.Timestamp("2012-09-10")).days) <= 7


def test_empty_window_is_rejected() -> None:
    with pytest.raises(DataValidationError, match="empty window"):
        recommend_launches(_sales({"白露": [2, 4, 3]}), "2012-12-31", "2012-01-01")


def test_window_without_surges_is_an_error() -> None:
    with pytest.raises(LaunchcastError, match="no recurring surge is expected"):
        recommend_launches(_sales({"白露": [2, 4, 3]}), "2012-01-01", "2012-03-31")


def test_short_history_is_rejected() -> None:
    sales = _sales({"白露": [2, 4, 3]}).iloc[:300]
    with pytest.raises(DataValidationError, match="full year"):
        recommend_launches(sales, "2012-01-01", "2012-12-31")


def test_one_year_is_not_enough_for_a_recurring_wave() -> None:
    sales = _sales({"白露": [3]}, years=range(2011, 2012))
    with pytest.raises(LaunchcastError, match="at least 2 years"):
        recommend_launches(sales, "2012-01-01", "2012-12-31")
    plan = recommend_launches(sales, "2012-01-01", "2012-12-31", min_years=1)
    assert plan.loc[0, "confidence"] == "low" and "only in 2011" in plan.loc[0, "reason"]


# --- a fitted forecast is a second opinion beside the dates of past years ---------------------


def _forecast_2012(lag: int) -> pd.DataFrame:
    """A 2012 forecast (``date``, ``mean``) whose autumn surge starts ``lag`` days after 白露."""
    dates = pd.date_range("2012-01-01", "2012-12-31")
    day = solar_terms(2012).set_index("name").loc["白露", "date"]
    t = (dates - (pd.Timestamp(day) + pd.Timedelta(days=lag))).days.to_numpy()
    mean = 200 * 1.9 ** (np.clip(t / 20, 0, 1) - np.clip((t - 20) / 20, 0, 1))
    return pd.DataFrame({"date": dates, "mean": mean, "p50": mean})


def test_forecast_onset_is_shown_beside_the_dates_and_does_not_move_them() -> None:
    sales = _sales({"白露": [2, 4, 3]})
    base = recommend_launches(sales, "2012-01-01", "2012-12-31").iloc[0]
    assert pd.isna(base["forecast_onset"])
    plan = recommend_launches(sales, "2012-01-01", "2012-12-31", forecast=_forecast_2012(12))
    row = plan.iloc[0]
    anchor = row["anchor_date"]
    assert abs((row["forecast_onset"] - anchor).days - 12) <= 2
    # the same calendar with or without the forecast: expected onset = anchor + the median lag
    dates = ["expected_onset", "planned_onset", "best_delivery_date", "delivery_date"]
    assert row[dates].tolist() == base[dates].tolist()
    assert (row["expected_onset"] - anchor).days == row["lag_median"]
    shift = (row["forecast_onset"] - row["expected_onset"]).days
    assert (
        f"the store forecast puts the onset at {row['forecast_onset']:%Y-%m-%d} "
        f"({shift} days later), the dates follow past years" in row["reason"]
    )
    # a forecast without a surge near the expectation shows nothing
    flat = _forecast_2012(0).assign(mean=200.0)
    same = recommend_launches(sales, "2012-01-01", "2012-12-31", forecast=flat).iloc[0]
    assert same["expected_onset"] == base["expected_onset"] and pd.isna(same["forecast_onset"])


# --- the planning date -------------------------------------------------------------------------


def test_nothing_is_delivered_before_the_planning_date() -> None:
    sales = _sales({"白露": [2, 4, 3]})  # history ends 2011-12-31: planning date 2012-01-01
    on_time = recommend_launches(sales, "2012-01-01", "2012-12-31").iloc[0]
    assert not on_time["late"] and on_time["delivery_date"] == on_time["best_delivery_date"]
    # planned on 2012-08-29, after the best delivery day (Mon 2012-08-27): late, moved
    late = recommend_launches(sales, "2012-01-01", "2012-12-31", as_of="2012-08-29").iloc[0]
    assert late["late"] and late["best_delivery_date"] == on_time["best_delivery_date"]
    assert late["delivery_date"] == pd.Timestamp("2012-09-03")  # the next Monday
    assert late["shelf_start"] == pd.Timestamp("2012-09-04")
    assert late["days_ahead"] == (late["expected_onset"] - late["shelf_start"]).days
    assert (
        "LATE: the best delivery day, Mon 2012-08-27, is before the planning date"
        in (late["reason"])
    )
    assert "deliver on the first feasible day, Mon 2012-09-03" in late["reason"]


def test_a_wave_whose_peak_has_passed_says_it_is_over() -> None:
    sales = _sales({"白露": [2, 4, 3]})
    # planned on 2012-11-01, after the autumn wave of 2012 peaked (about 2012-10-01)
    row = recommend_launches(sales, "2012-01-01", "2012-12-31", as_of="2012-11-01").iloc[0]
    assert row["late"] and row["delivery_date"] == pd.Timestamp("2012-11-05")
    assert row["expected_peak"] < pd.Timestamp("2012-11-01")
    assert f"its expected peak, {row['expected_peak']:%Y-%m-%d}, has passed too" in row["reason"]


def test_the_planning_date_limits_what_is_learned() -> None:
    sales = _sales({"白露": [2, 4, 6]})
    everything = recommend_launches(sales, "2011-01-01", "2012-12-31", min_years=2)
    before = recommend_launches(
        sales, "2011-01-01", "2011-12-31", min_years=2, as_of="2011-06-01"
    ).iloc[0]
    # as of June 2011 only 2009 and 2010 are known
    assert before["years_seen"] == "2009-2010"
    assert everything["years_seen"].iloc[-1] == "2009-2011"
    with pytest.raises(DataValidationError, match="as_of=2008-01-01 is not after the first"):
        recommend_launches(sales, "2011-01-01", "2011-12-31", as_of="2008-01-01")


def test_forecast_of_the_demand_forecaster_is_accepted() -> None:
    from forecasting.models import DemandForecaster

    sales = pd.concat(
        [
            _sales({"白露": [2, 4, 3]}, seed=1).assign(category="coats"),
            _sales({"白露": [8, 9, 10]}, seed=2).assign(category="shirts"),
        ],
        ignore_index=True,
    )
    forecast = DemandForecaster(model="seasonal_naive").fit(sales, by="category").predict(366)
    plan = recommend_launches(
        sales, "2012-01-01", "2012-12-31", by="category", forecast=forecast, per_group=True
    ).set_index("category")
    assert plan["forecast_onset"].notna().all()
    lag = (plan["forecast_onset"] - plan["anchor_date"]).dt.days  # last year's lag, repeated
    assert abs(lag["coats"] - 3) <= 3 and abs(lag["shirts"] - 10) <= 3
    with pytest.raises(DataValidationError, match="category"):
        recommend_launches(
            sales, "2012-01-01", "2012-12-31", by="category", forecast=_forecast_2012(3)
        )
