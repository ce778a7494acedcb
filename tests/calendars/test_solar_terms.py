"""Solar terms against the JPL-ephemeris reference table (1990-2040) and over 1900-2100."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from calendars import MAX_YEAR, MIN_YEAR, SOLAR_TERMS, CalendarError, solar_terms

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "solar_terms_reference_1990_2040.csv"


@pytest.fixture(scope="module")
def comparison() -> pd.DataFrame:
    ref = pd.read_csv(REFERENCE)
    ours = solar_terms(range(1990, 2041))
    merged = ref.merge(
        ours,
        left_on=["year", "lon_deg"],
        right_on=["year", "longitude"],
        how="outer",
        suffixes=("_ref", ""),
        indicator=True,
    )
    return merged


def test_reference_table_is_the_vendored_one() -> None:
    ref = pd.read_csv(REFERENCE)
    assert len(ref) == 51 * 24
    assert ref["year"].between(1990, 2040).all()


def test_every_term_of_the_reference_is_computed(comparison: pd.DataFrame) -> None:
    assert (comparison["_merge"] == "both").all()
    assert (comparison["name_ref"] == comparison["name"]).all()


def test_every_beijing_date_equals_the_reference(comparison: pd.DataFrame) -> None:
    ref_dates = pd.to_datetime(comparison["beijing_date"])
    wrong = comparison.loc[
        ref_dates != comparison["date"], ["year", "name", "beijing_date", "date"]
    ]
    assert wrong.empty, wrong.head()
    # the Hong Kong Observatory's published table agrees as well
    assert (pd.to_datetime(comparison["hko_table_date"]) == comparison["date"]).all()


def test_every_instant_is_within_60_seconds_of_the_reference(comparison: pd.DataFrame) -> None:
    ref_utc = pd.to_datetime(comparison["utc"], utc=True)
    delta = (comparison["instant"].dt.tz_convert("UTC") - ref_utc).dt.total_seconds().abs()
    assert delta.max() <= 60.0, comparison.loc[delta.idxmax(), ["year", "name"]]
    # lunar-python is in fact accurate to a few seconds; keep it honest
    assert delta.max() <= 5.0
    # and the Beijing wall-clock time is UTC + 8 h exactly
    ref_bjt = pd.to_datetime(comparison["beijing_time"])
    local = comparison["instant"].dt.tz_localize(None)
    assert ((local - ref_bjt).dt.total_seconds().abs() <= 5.0).all()


def test_columns_types_and_fixed_offset() -> None:
    terms = solar_terms(2026)
    assert list(terms.columns) == [
        "year", "longitude", "name", "pinyin", "english", "instant", "date",
    ]  # fmt: skip
    assert len(terms) == 24
    assert terms["instant"].is_monotonic_increasing
    assert terms["instant"].dt.tz.utcoffset(None) == dt.timedelta(hours=8)
    assert str(terms["date"].dtype) == "datetime64[ns]"
    assert (terms["instant"].dt.tz_localize(None).dt.normalize() == terms["date"]).all()
    assert terms["longitude"].tolist() == [t.longitude for t in SOLAR_TERMS]
    assert terms["longitude"].iloc[0] == 285 and terms["longitude"].iloc[-1] == 270
    assert (terms["instant"].dt.microsecond == 0).all()  # to the second


def test_no_daylight_saving_in_1986_1991() -> None:
    # Asia/Shanghai had summer time in 1986-1991; the solar-term convention is UTC+8 all year
    terms = solar_terms(1988)
    summer = terms[terms["name"] == "夏至"].iloc[0]
    assert summer["instant"].utcoffset() == dt.timedelta(hours=8)


def test_whole_supported_range_is_plausible() -> None:
    terms = solar_terms(range(1900, 2101))
    assert len(terms) == 201 * 24
    counts = terms.groupby("year").size()
    assert (counts == 24).all()
    assert (terms["instant"].dt.tz_localize(None).dt.year == terms["year"]).all()
    # each term stays within its usual few days of the Gregorian calendar
    day_of_year = terms["date"].dt.day_of_year
    spread = day_of_year.groupby(terms["longitude"]).agg(lambda s: s.max() - s.min())
    assert spread.max() <= 4
    lichun = terms[terms["name"] == "立春"]["date"]
    assert lichun.dt.month.eq(2).all() and lichun.dt.day.between(3, 5).all()


def test_known_terms() -> None:
    terms = solar_terms([2025, 2026]).set_index(["year", "name"])
    assert terms.loc[(2026, "白露"), "date"] == pd.Timestamp("2026-09-07")
    assert terms.loc[(2025, "立春"), "date"] == pd.Timestamp("2025-02-03")
    assert terms.loc[(2025, "冬至"), "date"] == pd.Timestamp("2025-12-21")


def test_second_call_is_cached() -> None:
    first = solar_terms(range(2000, 2010))
    second = solar_terms(range(2000, 2010))
    pd.testing.assert_frame_equal(first, second)
    second.loc[0, "name"] = "changed"  # a caller's edit does not leak into the cache
    assert solar_terms(range(2000, 2010)).loc[0, "name"] == first.loc[0, "name"]


def test_iterables_and_duplicates() -> None:
    assert len(solar_terms([2026, 2026, 2025])) == 48
    assert solar_terms(y for y in [2024])["year"].eq(2024).all()


@pytest.mark.parametrize("bad", [MIN_YEAR - 1, MAX_YEAR + 1, [2024, 3000]])
def test_years_outside_the_range_name_the_range(bad: object) -> None:
    with pytest.raises(CalendarError, match=f"{MIN_YEAR}..{MAX_YEAR}"):
        solar_terms(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2026", 2026.0, True, [], None])
def test_non_year_input_is_rejected(bad: object) -> None:
    with pytest.raises(CalendarError, match="years"):
        solar_terms(bad)  # type: ignore[arg-type]
