"""The user's own events (issue 14): reading, checking, and their place in the model features."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import calendars
from calendars import (
    EVENT_COLUMNS,
    CalendarError,
    holiday_frame,
    model_features,
    user_events,
)


def _write(tmp_path: Path, text: str, name: str = "promos.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_file_becomes_the_canonical_events_table(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "Date, Event ,kind,lower_window,upper_window,store\n"
        "2025/3/1,Spring sale,promotion,-2,,S01\n"
        "2025-11-01,Store anniversary,,,1,S01\n"
        "2025-03-01,Spring sale,promotion,-2,,S01\n",  # an exact duplicate: kept once
    )
    table = user_events(path)
    assert list(table.columns) == EVENT_COLUMNS
    assert table["date"].dtype == "datetime64[ns]"
    assert table[["event", "kind", "lower_window", "upper_window"]].values.tolist() == [
        ["Spring sale", "promotion", -2, 0],
        ["Store anniversary", "user", 0, 1],
    ]
    assert table["name_zh"].tolist() == ["Spring sale", "Store anniversary"]
    assert table["confirmed"].all()
    assert table["lower_window"].dtype == np.int64


def test_an_excel_file_and_a_dataframe_read_the_same(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2024-06-01", "2024-09-07"]),
            "event": ["618 store day", "Back to school"],
            "upper_window": [1, 0],
        }
    )
    path = tmp_path / "events.xlsx"
    frame.to_excel(path, index=False)
    pd.testing.assert_frame_equal(user_events(path), user_events(frame))


def test_a_bad_excel_file_names_its_spreadsheet_rows(tmp_path: Path) -> None:
    path = tmp_path / "events.xlsx"
    pd.DataFrame({"date": ["2024-06-01", "June 7"], "event": ["A", "B"]}).to_excel(
        path, index=False
    )
    with pytest.raises(CalendarError, match=r"events.xlsx', column 'date'.*row 3 'June 7'"):
        user_events(path)


def test_the_events_of_calendars_events_are_accepted_as_they_are() -> None:
    built_in = calendars.events(2025, kinds="retail")
    again = user_events(built_in)
    assert again[["date", "event", "kind", "lower_window", "upper_window"]].equals(
        built_in[["date", "event", "kind", "lower_window", "upper_window"]]
    )


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (
            "date,event\n2025-03-01,Spring sale\n01/04/2025,Easter sale\nsoon,Launch\n",
            [
                "promos.csv",
                "column 'date'",
                "2 value(s)",
                "line 3 '01/04/2025'",
                "line 4 'soon'",
                "YYYY-MM-DD",
            ],
        ),
        (
            "date,name\n2025-03-01,Spring sale\n",
            ["promos.csv", "missing column(s) 'event'", "'name'"],
        ),
        (
            "date,event,upper_window\n2025-03-01,Spring sale,-1\n2025-04-01,Easter,2\n",
            ["promos.csv", "column 'upper_window'", "line 2 '-1'", ">= 0"],
        ),
        (
            "date,event,lower_window\n2025-03-01,Spring sale,3\n",
            ["promos.csv", "column 'lower_window'", "line 2 '3'", "<= 0"],
        ),
        (
            "date,event,lower_window\n2025-03-01,Spring sale,-1.5\n2025-03-02,B,x\n",
            [
                "promos.csv",
                "column 'lower_window'",
                "2 value(s)",
                "whole numbers",
                "line 2 '-1.5'",
                "line 3 'x'",
            ],
        ),
        (
            "date,event\n2025-03-01,\n,Sale\n",
            ["promos.csv", "column 'date'", "line 3"],
        ),
        (
            "date,event\n2025-03-01,\n",
            ["promos.csv", "column 'event'", "empty name", "line 2"],
        ),
    ],
)
def test_a_bad_events_file_is_one_line_naming_file_column_and_rows(
    tmp_path: Path, text: str, pieces: list[str]
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(CalendarError) as info:
        user_events(path)
    message = str(info.value)
    assert "\n" not in message
    for piece in pieces:
        assert piece in message, (piece, message)


def test_a_bad_dataframe_names_the_rows_by_index() -> None:
    table = pd.DataFrame(
        {"date": ["2025-03-01", "2025-13-01"], "event": ["A", "B"]}, index=[10, 11]
    )
    with pytest.raises(CalendarError, match=r"events table, column 'date'.*row 11 '2025-13-01'"):
        user_events(table)


def test_missing_and_unknown_files_say_so(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="no such file"):
        user_events(tmp_path / "nope.csv")
    with pytest.raises(CalendarError, match="unknown file type"):
        user_events(_write(tmp_path, "x", "events.json"))
    with pytest.raises(CalendarError, match="expected a DataFrame or the path"):
        user_events(42)  # type: ignore[arg-type]


def test_user_events_become_day_week_and_month_features() -> None:
    table = user_events(
        pd.DataFrame({"date": ["2025-03-01", "2025-06-07"], "event": "Promo", "lower_window": -2})
    )
    frame = holiday_frame(table.assign(kind=calendars.USER_KIND), windows="model")
    assert frame[["holiday", "lower_window", "upper_window"]].values.tolist() == [
        ["user:Promo", -2, 0],
        ["user:Promo", -2, 0],
    ]
    days = pd.date_range("2025-02-26", "2025-03-02")
    daily = model_features(frame, days, "D", market=None)
    assert daily["user:Promo[-2]"].tolist() == [0.0, 1.0, 0.0, 0.0, 0.0]
    assert daily["user:Promo[+0]"].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0]
    weeks = pd.date_range("2025-02-23", "2025-03-09", freq="W-SUN")
    weekly = model_features(frame, weeks, "W-SUN", market=None)
    assert weekly["user:Promo"].tolist() == [0.0, 3.0, 0.0]  # Feb 27 - Mar 1
    months = pd.date_range("2025-01-01", "2025-12-01", freq="MS")
    monthly = model_features(frame, months, "MS", market=None)
    assert list(monthly.columns) == ["user:Promo"]  # a user event is kept even if fixed
    # Feb 27-28 and Mar 1; Jun 5-7
    assert monthly["user:Promo"].to_numpy()[[1, 2, 5]].tolist() == [2 / 3, 1 / 3, 1.0]


def test_weekly_features_with_a_user_event_keep_the_built_in_columns() -> None:
    hol = calendars.prophet_holidays(
        range(2010, 2013), kinds=["holiday", "workday"], windows="model"
    )
    weeks = pd.date_range("2011-01-02", "2011-12-25", freq="W-SUN")
    plain = model_features(hol, weeks, "W-SUN")
    mine = pd.DataFrame(
        {
            "holiday": ["user:Spring Festival"],
            "ds": [pd.Timestamp("2011-05-01")],
            "lower_window": [0],
            "upper_window": [0],
        }
    )
    both = model_features(pd.concat([hol, mine], ignore_index=True), weeks, "W-SUN")
    pd.testing.assert_frame_equal(both[plain.columns], plain)
    assert both["user:Spring Festival"].sum() == 1.0  # kept apart from the holiday's columns
