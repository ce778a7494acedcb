"""The work behind the web page, without Streamlit: uploads, mapping, moves, live depth, files."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from forecasting.app.core import (
    Move,
    column_of_error,
    delivery_days,
    excel_sheets,
    live_depth,
    mapping_of,
    move_waves,
    plan_zip,
    read_upload,
    suggest_mapping,
    validate_table,
)
from forecasting.exceptions import DataValidationError
from forecasting.inputs import validate_judgments
from forecasting.plan.folder import PLAN_FILES


@pytest.fixture
def plan(demo_plan):  # type: ignore[no-untyped-def]
    return demo_plan


def test_suggestions_cover_chinese_and_english_erp_names() -> None:
    sales = suggest_mapping(["单据日期", "店铺编码", "货号", "销售数量", "零售价", "备注"], "sales")
    assert sales == {
        "date": "单据日期",
        "store": "店铺编码",
        "sku": "货号",
        "category": None,
        "region": None,
        "units": "销售数量",
        "price": "零售价",
        "stockout": None,
    }
    stores = suggest_mapping(["Shop ID", "Tier", "Key store", "Min", "Cap"], "stores")
    assert (stores["store"], stores["grade"], stores["strategic"]) == (
        "Shop ID",
        "Tier",
        "Key store",
    )
    assert (stores["min_units"], stores["max_units"]) == ("Min", "Cap")
    # an exact name wins over a name that merely contains a known one
    products = suggest_mapping(["sku", "category", "launch_wave", "launch_date"], "products")
    assert (products["launch_wave"], products["launch_date"]) == ("launch_wave", "launch_date")
    products = suggest_mapping(["sku", "category", "launch_wave"], "products")
    assert products["launch_date"] is None


def test_mapping_of_skips_names_that_need_no_mapping() -> None:
    assert mapping_of({"date": "日期", "units": "units", "store": None}) == {"日期": "date"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_uploads_read_in_common_encodings(encoding: str) -> None:
    text = "销售日期,门店,销量\n2011-01-07,上海一店,3\n2011-01-14,上海一店,5\n"
    raw = read_upload("销售.csv", text.encode(encoding))
    assert raw.columns.tolist() == ["销售日期", "门店", "销量"]
    assert raw.attrs["source"] == "销售.csv"
    sales = validate_table("sales", raw, mapping_of(suggest_mapping(raw.columns, "sales")))
    assert sales.frame["store"].tolist() == ["上海一店", "上海一店"]
    assert sales.freq.startswith("W-")


def test_an_excel_upload_reads_the_chosen_sheet(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="first", index=False)
        pd.DataFrame({"store": ["S1", "S2"]}).to_excel(writer, sheet_name="门店", index=False)
    data = book.read_bytes()
    assert excel_sheets(data) == ["first", "门店"]
    raw = read_upload("book.xlsx", data, sheet="门店")
    assert raw["store"].tolist() == ["S1", "S2"]
    assert raw.attrs["source"] == "book.xlsx (sheet '门店')"


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("sales.csv", b"", "sales.csv: the file is empty"),
        ("sales.csv", bytes(range(256)) * 8, "sales.csv:"),
        ("sales.parquet", b"PAR1 broken", "sales.parquet:"),
        ("sales.xls", b"\xd0\xcf\x11\xe0", "sales.xls: old .xls"),
    ],
)
def test_a_broken_upload_is_one_error_naming_the_file(name: str, data: bytes, words: str) -> None:
    with pytest.raises(DataValidationError) as caught:
        read_upload(name, data)
    assert str(caught.value).startswith(words)
    assert "/tmp" not in str(caught.value) and "launchcast-upload" not in str(caught.value)


def test_an_error_is_placed_at_its_column() -> None:
    raw = read_upload("s.csv", b"day,qty\n2011-01-01,x\n")
    mapping = {"day": "date", "qty": "units"}
    with pytest.raises(DataValidationError) as caught:
        validate_table("sales", raw, mapping)
    assert column_of_error(str(caught.value), mapping) == "units"
    with pytest.raises(DataValidationError) as caught:
        validate_table("sales", raw, {"day": "date"})
    assert column_of_error(str(caught.value), {"day": "date"}) == "units"


def test_delivery_days_are_working_days_of_the_weekday() -> None:
    days = delivery_days("2012-09-20", "2012-10-20", "MON")
    assert all(d.weekday() == 0 for d in days)
    assert pd.Timestamp("2012-10-01") not in days  # National Day
    thursdays = delivery_days("2012-09-27", "2012-10-12", "THU")
    assert [d.day for d in thursdays] == [27, 11]  # 4 October is a holiday


def test_moving_a_wave_moves_its_products_and_records_why(plan) -> None:  # type: ignore[no-untyped-def]
    wave = plan.launches.loc[plan.launches["wave"].str.startswith("autumn"), "wave"].iloc[0]
    old = pd.Timestamp(plan.launches.set_index("wave").loc[wave, "delivery_date"])
    move = Move(wave=wave, old=old, new=old - pd.Timedelta(days=7), reason="fabric in early")
    moved = move_waves(plan, [move])
    row = moved.launches.set_index("wave").loc[wave]
    assert row["delivery_date"] == old - pd.Timedelta(days=7)
    assert row["shelf_start"] == plan.launches.set_index("wave").loc[wave, "shelf_start"] - (
        pd.Timedelta(days=7)
    )
    assert row["reason"].endswith("fabric in early")
    products = moved.products_plan[moved.products_plan["wave"] == wave]
    assert (products["delivery_date"] == old - pd.Timedelta(days=7)).all()
    assert plan.launches.set_index("wave").loc[wave, "delivery_date"] == old  # not changed
    assert move_waves(plan, []) is plan
    assert move.row()["days"] == -7


def test_live_depth_equals_the_plans_depth(plan) -> None:  # type: ignore[no-untyped-def]
    live = live_depth(plan, plan.inputs.judgments).set_index("sku")
    made = plan.depth_blend.set_index("sku")
    assert (live["depth"] == made["depth"].reindex(live.index)).all()
    pd.testing.assert_series_equal(
        live["judge_weight"], made["judge_weight"].reindex(live.index), check_names=False
    )


def test_live_depth_follows_a_new_judgment(plan) -> None:  # type: ignore[no-untyped-def]
    judgments = plan.judgments.copy()
    judgments.loc[judgments["sku"] == "AW12-SH05", "units"] *= 2
    table = validate_judgments(judgments, products=plan.inputs.products)
    live = live_depth(plan, table).set_index("sku")
    before = plan.depth.set_index("sku")["depth"]
    assert live.loc["AW12-SH05", "depth"] > before["AW12-SH05"]
    assert live.loc["SS12-WB01", "depth"] == before["SS12-WB01"]


def test_the_zip_holds_the_plan_folder_and_the_changes(plan) -> None:  # type: ignore[no-untyped-def]
    # (without moves there is no changes.csv: the browser test compares the zip with the CLI's)
    wave = plan.launches["wave"].iloc[-1]
    old = pd.Timestamp(plan.launches["delivery_date"].iloc[-1])
    moves = [Move(wave=wave, old=old, new=old + pd.Timedelta(days=7), reason="=1+1 stores ask")]
    with zipfile.ZipFile(io.BytesIO(plan_zip(move_waves(plan, moves), moves))) as archive:
        names = {n.rsplit("/", 1)[-1] for n in archive.namelist()}
        changes = pd.read_csv(archive.open("launchcast-plan/changes.csv"))
        calendar = pd.read_csv(archive.open("launchcast-plan/launch_calendar.csv"))
    assert names == {*PLAN_FILES, "changes.csv"}
    assert changes["wave"].tolist() == [wave]
    assert not changes["reason"].iloc[0].startswith("=")  # no formula for a spreadsheet
    assert str(old + pd.Timedelta(days=7))[:10] in calendar.to_csv()
