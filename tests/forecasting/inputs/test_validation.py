"""Validation helpers and properties of the sales reader: units are never lost or invented."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import infer_frequency, normalize_freq
from forecasting.inputs.readers import read_sales
from forecasting.inputs.tables import finite_numbers, parse_bools, parse_dates
from forecasting.inputs.validation import data_error, describe_rows


def test_describe_rows_quotes_five_and_counts_the_rest() -> None:
    frame = pd.DataFrame({"units": np.arange(8.0)}, index=range(2, 10))
    frame.attrs["row_noun"] = "line"
    text = describe_rows(frame, frame["units"] >= 0, ["units", "missing"])
    assert text.startswith("line 2 (units=0.0); line 3 (units=1.0)")
    assert text.endswith("line 6 (units=4.0) and 3 more")


def test_data_error_is_a_value_error_with_the_standard_shape() -> None:
    err = data_error("f.csv", "units", "bad", "fix it.")
    assert isinstance(err, ValueError)
    assert str(err) == "f.csv: column 'units': bad. Fix: fix it."


@pytest.mark.parametrize(
    "value, expected",
    [
        ("TRUE", True),
        ("yes", True),
        ("是", True),
        ("1", True),
        (" y ", True),
        ("false", False),
        ("否", False),
        ("0", False),
        ("", False),
        (None, False),
    ],
)
def test_parse_bools(value: object, expected: bool) -> None:
    assert parse_bools(pd.DataFrame({"f": [value]}), "f", "s").tolist() == [expected]


def test_finite_numbers_rejects_booleans_that_are_not_numbers_and_accepts_real_bools() -> None:
    assert finite_numbers(pd.DataFrame({"u": [True, False]}), "u", "s").tolist() == [1.0, 0.0]
    with pytest.raises(DataValidationError, match="not a number"):
        finite_numbers(pd.DataFrame({"u": ["1", "一"]}), "u", "s")


def test_parse_dates_with_time_of_day_keeps_the_day_and_timezones_are_dropped() -> None:
    frame = pd.DataFrame({"d": pd.to_datetime(["2012-01-01 23:30"]).tz_localize("Asia/Shanghai")})
    assert parse_dates(frame, "d", "s").tolist() == [pd.Timestamp("2012-01-01")]


def test_normalize_freq() -> None:
    assert normalize_freq("weekly") == "W-SUN"
    with pytest.raises(DataValidationError, match="'W-XYZ'"):
        normalize_freq("W-XYZ")


@st.composite
def panels(draw: st.DrawFn) -> tuple[pd.DataFrame, str]:
    weekly = draw(st.booleans())
    step = 7 if weekly else 1
    anchor = pd.Timestamp("2011-01-03") + pd.Timedelta(days=draw(st.integers(0, 6)))
    rows = []
    for store in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, 10))
        length = draw(st.integers(3, 30))
        keep = draw(st.lists(st.booleans(), min_size=length, max_size=length))
        keep[0] = keep[-1] = True
        for i in range(length):
            if keep[i]:
                units = draw(st.floats(0, 1e6, allow_nan=False))
                rows.append((anchor + pd.Timedelta(days=step * (start + i)), f"s{store}", units))
    frame = pd.DataFrame(rows, columns=["date", "store", "units"])
    frame = frame.sample(frac=1.0, random_state=draw(st.integers(0, 100)))
    return frame, (f"W-{anchor.day_name()[:3].upper()}" if weekly else "D")


@settings(max_examples=60, deadline=None)
@given(panels())
def test_units_are_never_lost_or_invented(panel: tuple[pd.DataFrame, str]) -> None:
    frame, freq = panel
    sales = read_sales(frame, freq=freq)
    assert sales["units"].sum() == pytest.approx(frame["units"].sum(), rel=1e-12)
    step = pd.Timedelta(days=7 if freq != "D" else 1)
    spans = frame.groupby("store")["date"].agg(lambda d: (d.max() - d.min()) // step + 1)
    assert len(sales) == int(spans.sum())  # gaps inside spans filled, nothing outside
    assert sales.attrs["filled_periods"] == len(sales) - len(frame)
    again = read_sales(sales)
    pd.testing.assert_frame_equal(again, sales)


@settings(max_examples=40, deadline=None)
@given(panels())
def test_frequency_is_inferred_when_each_series_shows_its_step(
    panel: tuple[pd.DataFrame, str],
) -> None:
    frame, freq = panel
    ordered = frame.sort_values(["store", "date"])
    steps = ordered.groupby("store")["date"].diff().dt.days
    weekly_like = steps.groupby(ordered["store"]).agg(lambda s: bool((s.dropna() % 7 == 0).all()))
    # a daily series whose gaps all happen to be whole weeks looks weekly (or mixed)
    assume(not (freq == "D" and weekly_like.any()))
    # three weekly steps in a row inside a daily series read as mixed frequencies
    assume(not (freq == "D" and (steps == 7).astype(int).rolling(3).sum().eq(3).any()))
    assert infer_frequency(frame) == freq
