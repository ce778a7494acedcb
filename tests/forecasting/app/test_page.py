"""The page's logic, run headless by Streamlit's own ``AppTest``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from forecasting.app import page_path

AppTest = pytest.importorskip(
    "streamlit.testing.v1", reason='the page needs Streamlit (pip install "launchcast[app]")'
).AppTest

TIMEOUT = 240


def _page(model: str | None = "seasonal_naive") -> AppTest:
    at = AppTest.from_file(str(page_path()), default_timeout=TIMEOUT)
    if model is not None:
        at.session_state["model"] = model
    return at.run()


def _no_problems(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _frame_with(at: AppTest, column: str) -> pd.DataFrame:
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a column {column!r}")


def _depth(at: AppTest) -> pd.DataFrame:
    return _frame_with(at, "judge_weight").set_index("sku")


def test_opens_on_the_demo_with_the_default_model() -> None:
    at = _page(model=None)
    _no_problems(at)
    assert at.sidebar.radio(key="source").value == "Demo data"
    assert at.selectbox(key="model").value == "prophet"
    assert [t.label for t in at.tabs] == [
        "Data",
        "Launch calendar",
        "Judgments",
        "Depth and allocation",
        "Download",
    ]
    launches = _frame_with(at, "delivery_date")
    assert len(launches) == 4 and launches["delivery_date"].str.startswith("Mon").sum() >= 3
    assert "this browser session only" in at.sidebar.caption[0].value
    depth = _depth(at)
    assert len(depth) == 8 and (depth["depth"] > 0).all()
    assert at.button(key="prepare").label == "Prepare the plan files"


def test_judgments_typed_in_the_grid_move_the_depth() -> None:
    at = _page()
    before = _depth(at)
    at.session_state["judgments_editor"] = {
        "edited_rows": {0: {"units": 9000.0}},
        "added_rows": [
            {"sku": "SS12-WB01", "forecaster": "store_chen", "units": 8000.0, "horizon_weeks": 8}
        ],
        "deleted_rows": [],
    }
    at.run()
    _no_problems(at)
    after = _depth(at)
    assert after.loc["SS12-WB01", "judge_mean"] == pytest.approx((9000 + 5000 + 3600 + 8000) / 4)
    assert after.loc["SS12-WB01", "depth"] > before.loc["SS12-WB01", "depth"]
    assert after.loc["SS12-CH02", "depth"] == before.loc["SS12-CH02", "depth"]
    assert 0 < after.loc["SS12-WB01", "judge_weight"] < 1
    # the plan follows: the allocation sends the new depth
    grid = _frame_with(at, "SS12-WB01")
    assert grid["SS12-WB01"].sum() == after.loc["SS12-WB01", "depth"]


def test_per_store_and_national_judgments_mixed_is_one_message() -> None:
    at = _page()
    at.session_state["judgments_editor"] = {
        "edited_rows": {},
        "added_rows": [{"sku": "SS12-WB01", "forecaster": "x", "units": 10.0, "store": "Nowhere"}],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "column 'store'" in at.error[0].value
    _depth(at)  # the depth of the judgments before the change is still shown


def test_moving_a_wave_needs_a_reason_and_is_recorded() -> None:
    at = _page()
    waves = at.selectbox(key="move_wave").options
    autumn = next(w for w in waves if w.startswith("autumn"))
    at.selectbox(key="move_wave").set_value(autumn).run()
    day = at.selectbox(key=f"move_day_{autumn}")
    old = day.value
    new = next(d for d in day.options if d != str(old) and "2012-08-20" in d)
    at.selectbox(key=f"move_day_{autumn}").set_value(pd.Timestamp(new)).run()
    at.button(key="move_button").click().run()
    assert len(at.error) == 1 and "reason" in at.error[0].value
    at.text_input(key="move_reason").input("the fabric arrives a week early")
    at.button(key="move_button").click().run()
    _no_problems(at)
    log = _frame_with(at, "moved_to")
    assert log["wave"].tolist() == [autumn]
    assert str(log["moved_to"].iloc[0]).startswith("2012-08-20")
    assert log["reason"].tolist() == ["the fabric arrives a week early"]
    launches = _frame_with(at, "delivery_date").set_index("wave")
    assert launches.loc[autumn, "delivery_date"] == "Mon 2012-08-20"
    assert "the fabric arrives a week early" in launches.loc[autumn, "reason"]
    at.button(key="undo_move").click().run()
    launches = _frame_with(at, "delivery_date").set_index("wave")
    assert launches.loc[autumn, "delivery_date"] == "Mon 2012-08-27"


def test_a_higher_minimum_costs_more_and_forces_units() -> None:
    at = _page()
    stores = at.data_editor(key="stores_editor").value
    row = int(stores.index[stores["store"] == "Province_16"][0])
    at.session_state["stores_editor"] = {
        "edited_rows": {row: {"min_units": 600.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    _no_problems(at)
    cost = next(m for m in at.metric if m.label.startswith("Cost of the minimums"))
    assert cost.delta is not None and cost.delta.startswith("+")
    grid = _frame_with(at, "AW12-CT07")
    assert (grid.loc["Province_16"].drop(labels="total", errors="ignore") >= 600).all()


def _upload(at: AppTest, table: str, name: str, data: bytes) -> AppTest:
    at.file_uploader(key=f"upload_{table}").set_value((name, data, "application/octet-stream"))
    return at.run()


def _my_files() -> AppTest:
    at = _page()
    at.sidebar.radio(key="source").set_value("My files")
    return at.run()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.csv", b"", "empty"),
        ("binary.csv", bytes(range(256)) * 40, "binary.csv"),
        ("no_units.csv", b"date,store\n2011-01-01,A\n2011-01-02,A\n", "'units'"),
        ("sales.xlsx", b"PK\x03\x04 not really a workbook", "sales.xlsx"),
    ],
)
def test_a_bad_upload_is_one_clear_message(name: str, data: bytes, words: str) -> None:
    at = _upload(_my_files(), "sales", name, data)
    assert not at.exception
    assert len(at.error) == 1, [e.value for e in at.error]
    assert words in at.error[0].value
    assert "Traceback" not in at.error[0].value
    # the page goes on: a good file after the bad one is read
    good = b"date,store,units\n2011-01-01,A,3\n2011-01-02,A,4\n"
    at = _upload(at, "sales", "sales.csv", good)
    assert not at.error and not at.exception


def test_chinese_columns_are_mapped_from_a_gbk_file() -> None:
    text = "销售日期,门店,销量\n2011-01-01,SH01,3\n2011-01-02,SH01,5\n"
    at = _upload(_my_files(), "sales", "销售.csv", text.encode("gbk"))
    _no_problems(at)
    assert at.selectbox(key="map_sales_date").value == "销售日期"
    assert at.selectbox(key="map_sales_store").value == "门店"
    assert at.selectbox(key="map_sales_units").value == "销量"
    # unmapping a required column is shown next to it
    at.selectbox(key="map_sales_units").select_index(0).run()
    assert len(at.error) == 1 and "'units'" in at.error[0].value


def test_an_excel_workbook_has_a_sheet_picker(tmp_path: Path) -> None:
    book = tmp_path / "stores.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"note": ["not the stores"]}).to_excel(
            writer, sheet_name="readme", index=False
        )
        pd.DataFrame({"门店": ["Province_1"], "等级": ["A"]}).to_excel(
            writer, sheet_name="门店", index=False
        )
    at = _upload(_my_files(), "stores", "stores.xlsx", book.read_bytes())
    assert at.selectbox(key="sheet_stores").options == ["readme", "门店"]
    assert len(at.error) == 1  # the first sheet has no store column
    at.selectbox(key="sheet_stores").set_value("门店").run()
    _no_problems(at)
    assert at.selectbox(key="map_stores_store").value == "门店"
    assert at.selectbox(key="map_stores_grade").value == "等级"


def test_parquet_uploads_are_read(tmp_path: Path) -> None:
    path = tmp_path / "judgments.parquet"
    pd.DataFrame({"款号": ["A"], "预测人": ["wang"], "数量": [3.0]}).to_parquet(path)
    at = _upload(_my_files(), "judgments", "judgments.parquet", path.read_bytes())
    _no_problems(at)
    assert at.selectbox(key="map_judgments_sku").value == "款号"
    assert at.selectbox(key="map_judgments_forecaster").value == "预测人"
    assert at.selectbox(key="map_judgments_units").value == "数量"


def test_the_download_is_prepared_on_request() -> None:
    at = _page()
    assert not at.download_button
    at.button(key="prepare").click().run()
    _no_problems(at)
    labels = [b.label for b in at.download_button]
    assert labels[0] == "Download the plan folder (zip)"
    assert {"depth.csv", "allocation.csv", "launch_calendar.ics", "summary.md"} <= set(labels)
    assert sum(label.endswith(".csv") and label[:4].isdigit() for label in labels) == 3


def test_a_bookmark_opens_on_the_uploads() -> None:
    at = AppTest.from_file(str(page_path()), default_timeout=TIMEOUT)
    at.query_params["data"] = "files"
    at.run()
    assert at.sidebar.radio(key="source").value == "My files"
    assert len(at.file_uploader) == 4 and not at.error
