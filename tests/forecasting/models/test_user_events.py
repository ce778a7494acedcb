"""The calendar of the calendar-aware forecaster (issue 14 point 3): any market of the ``holidays``
package, the user's own events, and the one-line description of the calendar used."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError, command_line
from forecasting.models.base import SeriesConfig
from forecasting.models.calendar_features import CalendarFeatures
from forecasting.models.prophet import ProphetModel

START, END = pd.Timestamp("2021-01-01"), pd.Timestamp("2024-06-30")


def _first_saturdays(years: range) -> pd.DatetimeIndex:
    """The first Saturday of each quarter."""
    firsts = pd.date_range(f"{years.start}-01-01", f"{years.stop - 1}-12-31", freq="QS")
    return pd.DatetimeIndex([d + pd.Timedelta(days=(5 - d.day_of_week) % 7) for d in firsts])


def _promotions() -> pd.DataFrame:
    return pd.DataFrame(
        {"date": _first_saturdays(range(2021, 2025)), "event": "Quarter sale", "lower_window": -1}
    )


def _sales_with_promotions(seed: int = 3) -> pd.Series:
    """Daily units with weekly and yearly seasonality and a real lift on the promotions: x1.5 the
    day before, x2.5 on the day."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, END, freq="D")
    log = (
        np.log(100.0)
        + 0.15 * np.asarray(days.day_of_week >= 5)
        + 0.1 * np.sin(2 * np.pi * np.asarray(days.day_of_year) / 365.25)
        + rng.normal(0.0, 0.05, len(days))
    )
    promo = _first_saturdays(range(2021, 2025))
    log[days.isin(promo)] += np.log(2.5)
    log[days.isin(promo - pd.Timedelta(days=1))] += np.log(1.5)
    return pd.Series(np.exp(log), index=days)


def test_a_user_event_is_learnt_and_improves_the_forecast() -> None:
    y = _sales_with_promotions()
    train, test = y[:"2023-12-31"], y["2024-01-01":]
    forecasts = {}
    for name, events in (("with", _promotions()), ("without", None)):
        calendar = CalendarFeatures.build(START, END, "D", market=None, events=events)
        config = SeriesConfig(model="prophet", freq="D", market="none", calendar=calendar)
        model = ProphetModel().fit(train, config)
        if events is not None:
            assert {"user:Quarter sale[-1]", "user:Quarter sale[+0]"} <= set(model.regressors_)
        forecasts[name] = model.predict(pd.DatetimeIndex(test.index), config).set_index("date")[
            "p50"
        ]
    promo_days = pd.DatetimeIndex(["2024-01-05", "2024-01-06", "2024-04-05", "2024-04-06"])
    error = {k: (f - test).abs() for k, f in forecasts.items()}
    assert error["with"][promo_days].mean() < 0.3 * error["without"][promo_days].mean()
    assert error["with"].mean() < error["without"].mean()
    lift = forecasts["with"]["2024-04-06"] / forecasts["with"]["2024-04-13"]
    assert 1.8 < lift < 3.2  # the x2.5 of the promotion (the next Saturday has none)


def test_user_events_sit_beside_the_market_calendar_without_clashing() -> None:
    mine = pd.DataFrame(
        {"date": ["2022-02-01", "2023-01-22"], "event": "Spring Festival", "upper_window": 1}
    )
    cal = CalendarFeatures.build(START, END, "D", market="CN", events=mine)
    columns = set(cal.features.columns)
    assert {"user:Spring Festival[+0]", "user:Spring Festival[+1]"} <= columns
    assert "holiday:Spring Festival[+0]" in columns
    weekly = CalendarFeatures.build(START, END, "W-SUN", market="CN", events=mine)
    assert weekly.features["user:Spring Festival"].sum() == 4.0
    assert "holiday:Spring Festival[w0]" in weekly.features.columns
    plain = CalendarFeatures.build(START, END, "W-SUN", market="CN")
    pd.testing.assert_frame_equal(weekly.features[plain.features.columns], plain.features)
    later = pd.DatetimeIndex(["2025-01-26", "2025-02-02"])  # beyond the table: computed
    assert weekly.features_for(later).columns.equals(weekly.features.columns)


def test_an_events_file_is_read_and_a_bad_one_is_a_data_validation_error(tmp_path: Path) -> None:
    good = tmp_path / "promos.csv"
    good.write_text("date,event\n2022-03-05,Spring sale\n2023-03-04,Spring sale\n", "utf-8")
    cal = CalendarFeatures.build(START, END, "D", market="US", events=good)
    assert "user:Spring sale[+0]" in cal.features.columns
    bad = tmp_path / "bad.csv"
    bad.write_text("date,event,lower_window\n2022-03-05,Spring sale,2\n", "utf-8")
    with pytest.raises(DataValidationError) as info:
        CalendarFeatures.build(START, END, "D", market="US", events=bad)
    message = str(info.value)
    assert "bad.csv" in message and "'lower_window'" in message and "line 2" in message
    assert "\n" not in message


@pytest.mark.parametrize("market", ["XX", "China", "", 42])
def test_an_unknown_market_is_an_error_not_a_calendar_without_holidays(market: object) -> None:
    if market == "":  # empty: no public calendar, as "none"
        assert CalendarFeatures.build(START, END, "D", market="").describe() == (
            "no public calendar"
        )
        return
    with pytest.raises(DataValidationError, match="is not a country the holidays package knows"):
        CalendarFeatures.build(START, END, "D", market=market)  # type: ignore[arg-type]


def test_the_market_error_speaks_the_interface_in_use() -> None:
    with pytest.raises(DataValidationError, match=r"market='XX' .*e\.g\. 'CN', 'US', 'DE', 'EC'"):
        CalendarFeatures.build(START, END, "D", market="XX")
    with command_line(), pytest.raises(DataValidationError, match=r"^--market XX is not"):
        CalendarFeatures.build(START, END, "D", market="XX")


def test_an_unknown_kind_is_an_error() -> None:
    with pytest.raises(DataValidationError, match="unknown kind"):
        CalendarFeatures.build(START, END, "D", kinds=("holiday", "promo"))


@pytest.mark.parametrize("market", ["US", "EC", "AU", "DE", "GB", "usa"])
def test_other_markets_get_their_public_holidays(market: str) -> None:
    cal = CalendarFeatures.build(START, END, "W-SUN", market=market)
    assert cal.kinds == ("holiday",)  # no make-up workdays or retail events there: skipped
    assert any(c.startswith("holiday:Christmas Day[w") for c in cal.features.columns)
    code = "US" if market == "usa" else market
    assert cal.market == code
    assert cal.describe() == f"{code}: public holidays (holidays package)"


def test_describe_says_which_calendar_was_used() -> None:
    mine = pd.DataFrame(
        {
            "date": ["2022-11-01", "2022-05-10", "2023-05-09"],
            "event": ["Store anniversary", "Spring sale", "Spring sale"],
        }
    )
    cn = CalendarFeatures.build(START, END, "D", market="CN", events=mine)
    assert cn.describe() == (
        "CN: public holidays with make-up workdays, retail events; "
        "2 user events (Spring sale, Store anniversary)"
    )
    terms = CalendarFeatures.build(START, END, "D", kinds=["holiday", "solar_term"])
    assert terms.describe() == "CN: public holidays, solar terms"
    only_mine = CalendarFeatures.build(START, END, "MS", market=None, events=mine)
    assert only_mine.kinds == ()
    expected = "no public calendar; 2 user events (Spring sale, Store anniversary)"
    assert only_mine.describe() == expected
    many = pd.DataFrame(
        {"date": pd.date_range("2022-01-01", periods=7, freq="MS"), "event": list("ABCDEFG")}
    )
    text = CalendarFeatures.build(START, END, "D", market="GB", events=many).describe()
    assert text.endswith("; 7 user events (A, B, C, D, E and 2 more)")
    assert CalendarFeatures.build(START, END, "D", market=None).describe() == "no public calendar"
