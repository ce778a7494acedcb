"""events(), is_workday() and workdays(): columns, kinds, caching, input handling."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from calendars import (
    EVENT_COLUMNS,
    KINDS,
    MAX_YEAR,
    MIN_YEAR,
    CalendarError,
    events,
    is_workday,
    solar_terms,
    workdays,
)


def test_columns_and_dtypes() -> None:
    ev = events(2026)
    assert list(ev.columns) == EVENT_COLUMNS
    assert EVENT_COLUMNS[:7] == [
        "date", "event", "kind", "lower_window", "upper_window", "name_zh", "confirmed",
    ]  # fmt: skip
    assert str(ev["date"].dtype) == "datetime64[ns]"
    assert ev["lower_window"].dtype == np.int64 and ev["upper_window"].dtype == np.int64
    assert ev["confirmed"].dtype == bool
    for column in ("event", "kind", "name_zh", "pinyin"):
        assert pd.api.types.is_string_dtype(ev[column])
    assert ev["date"].is_monotonic_increasing
    assert set(ev["kind"]) == set(KINDS)
    assert ev.index.equals(pd.RangeIndex(len(ev)))


def test_solar_terms_are_events() -> None:
    ev = events(2026, kinds=["solar_term"])
    terms = solar_terms(2026)
    assert ev["event"].tolist() == terms["name"].tolist()
    assert ev["name_zh"].tolist() == terms["name"].tolist()
    assert ev["pinyin"].tolist() == terms["pinyin"].tolist()
    assert ev["date"].tolist() == terms["date"].tolist()
    assert (ev["lower_window"] == 0).all() and (ev["upper_window"] == 0).all()


def test_kinds_filter() -> None:
    everything = events([2025, 2026])
    for kind in KINDS:
        one = events([2025, 2026], kinds=kind)
        assert set(one["kind"]) == {kind}
        assert len(one) == (everything["kind"] == kind).sum()
    two = events(2025, kinds=("retail", "workday"))
    assert set(two["kind"]) == {"retail", "workday"}
    assert events(2025, kinds=[]).empty


def test_years_spanning_are_concatenated() -> None:
    both = events([2024, 2025])
    assert set(both["date"].dt.year) == {2024, 2025}
    assert len(both) == len(events(2024)) + len(events(2025))


def test_cached_and_isolated() -> None:
    first = events(range(2010, 2020))
    again = events(range(2010, 2020))
    pd.testing.assert_frame_equal(first, again)
    again.loc[0, "event"] = "edited"
    assert events(range(2010, 2020)).loc[0, "event"] == first.loc[0, "event"]


@pytest.mark.parametrize("bad", [MIN_YEAR - 1, MAX_YEAR + 1, [2025, 1066]])
def test_years_outside_the_range(bad: object) -> None:
    with pytest.raises(CalendarError, match=f"{MIN_YEAR}..{MAX_YEAR}"):
        events(bad)  # type: ignore[arg-type]


def test_unknown_kind_names_the_allowed_kinds() -> None:
    with pytest.raises(CalendarError, match="holiday, workday, retail, solar_term"):
        events(2025, kinds=["holidays"])


def test_calendar_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        events(1492)


@pytest.mark.parametrize(
    "value",
    [
        "2025-01-26",
        dt.date(2025, 1, 26),
        dt.datetime(2025, 1, 26, 15, 30),
        pd.Timestamp("2025-01-26 08:00", tz="Asia/Shanghai"),
        np.datetime64("2025-01-26"),
    ],
)
def test_is_workday_accepts_date_likes(value: object) -> None:
    assert is_workday(value) is True


@pytest.mark.parametrize("bad", ["not a date", None, pd.NaT])
def test_is_workday_rejects_non_dates(bad: object) -> None:
    with pytest.raises(CalendarError, match="date"):
        is_workday(bad)


def test_is_workday_outside_the_range() -> None:
    with pytest.raises(CalendarError, match=f"{MIN_YEAR}..{MAX_YEAR}"):
        is_workday("1700-01-01")


def test_is_workday_counts_the_working_days_of_2024() -> None:
    is_workday("2024-06-03")
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    flags = [is_workday(d) for d in days]
    assert sum(flags) == 251


def test_workdays_agree_with_is_workday() -> None:
    span = workdays("2023-12-25", "2025-02-10")
    days = pd.date_range("2023-12-25", "2025-02-10", freq="D")
    expected = [d for d in days if is_workday(d)]
    assert list(span) == expected
    assert span.name == "date" and str(span.dtype) == "datetime64[ns]"
    assert workdays("2025-02-10", "2025-02-01").empty


def test_workdays_other_market() -> None:
    us = workdays("2026-12-21", "2026-12-31", market="US")
    assert pd.Timestamp("2026-12-25") not in us
    assert len(us) == 8
