"""What a Chinese planner reads: the demo plan's folder in Chinese, and the CSVs still canonical.

Every sheet of both workbooks, the summary and the calendar file are opened: Chinese headers and
sheet names, no make-up-workday (调休上班) label, stores in natural order with totals, the SKUs of
each wave, dates with their weekday; the CSV files keep the canonical column names, rounded.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from forecasting import load_demo, make_plan, write_plan
from forecasting.plan.folder import allocation_sheets, plan_summary
from forecasting.plan.text import natural_key
from forecasting.timing.launch import LAUNCH_COLUMNS

SEASON = ("2012-01-01", "2012-12-31")
CJK = re.compile(r"[\u4e00-\u9fff]")
MAKE_UP = "调休上班"


@pytest.fixture(scope="module")
def folder(demo_plan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zh") / "plan"
    write_plan(demo_plan, out)  # the demo's market is CN: Chinese by default
    return out


def _cells(path: Path) -> dict[str, list[list[object]]]:
    book = load_workbook(path)
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book}


@pytest.mark.parametrize("name", ["launch_calendar.xlsx", "allocation.xlsx"])
def test_every_sheet_is_chinese_and_names_no_make_up_workday(folder: Path, name: str) -> None:
    sheets = _cells(folder / name)
    assert sheets
    for title, rows in sheets.items():
        assert CJK.search(title), title
        header = [str(v) for v in rows[0] if v is not None]
        assert CJK.search(header[0]), (title, header)
        # every header is Chinese but the products' columns (their SKU and name)
        english = [h for h in header if not CJK.search(h) and not re.match(r"[A-Z]{2}\d\d-", h)]
        assert not english, (title, english)
        for row in rows:
            for value in row:
                assert MAKE_UP not in str(value), (title, value)


def test_summary_and_calendar_file_are_chinese_without_make_up_workday(
    folder: Path, demo_plan
) -> None:
    summary = (folder / "summary.md").read_text(encoding="utf-8")
    ics = (folder / "launch_calendar.ics").read_bytes().decode("utf-8")
    for text in (summary, ics):
        assert MAKE_UP not in text
        assert "春节" in text
    assert summary.startswith("# launchcast 计划")
    assert "冬季（春节）" in summary and "春节前" in summary
    assert " days" not in summary and "Presentation" not in summary
    events = Calendar.from_ical(ics.encode()).walk("VEVENT")
    days = [ev.decoded("dtstart") for ev in events]
    assert days == sorted(days)  # in date order
    assert len(events) == len(demo_plan.launches)
    products = demo_plan.products_plan
    for ev in events:
        title = str(ev.get("summary"))
        assert CJK.search(title) and "波段送货" in title
        day = pd.Timestamp(ev.decoded("dtstart"))
        skus = products.loc[pd.to_datetime(products["delivery_date"]) == day, "sku"]
        for sku in skus:  # each event names the SKUs it delivers
            assert sku in title and sku in str(ev.get("description"))


def test_csv_files_keep_the_canonical_columns_rounded(folder: Path) -> None:
    launch = pd.read_csv(folder / "launch_calendar.csv", encoding="utf-8-sig")
    assert launch.columns.tolist() == LAUNCH_COLUMNS
    assert launch["reason"].str.contains("surge expected").all()  # the machine contract
    allocation = pd.read_csv(folder / "allocation.csv", encoding="utf-8-sig")
    assert allocation.columns[:3].tolist() == ["sku", "store", "units"]
    assert {"delivery_date", "wave", "reason"} <= set(allocation.columns)
    depth = pd.read_csv(folder / "depth.csv", encoding="utf-8-sig")
    assert depth.columns[0] == "sku" and "depth" in depth.columns
    for name in ("allocation.csv", "depth.csv", "launch_calendar.csv"):
        text = (folder / name).read_text(encoding="utf-8-sig")
        assert not re.search(r"\d\.\d{5,}", text), name  # no 4266.666666666667
        assert "-0.0," not in text


def test_allocation_workbook_natural_order_totals_and_names(folder: Path, demo_plan) -> None:
    sheets = pd.read_excel(folder / "allocation.xlsx", sheet_name=None)
    names = dict(zip(demo_plan.products["sku"], demo_plan.products["name"], strict=True))
    stores = demo_plan.stores["store"].tolist()
    assert list(sheets) == sorted(sheets)  # in delivery order
    sent = 0
    for title, sheet in sheets.items():
        assert re.match(r"\d{4}-\d\d-\d\d [春夏秋冬]季（.+）$", title)
        assert sheet.columns[:3].tolist() == ["门店", "送货日期", "送货星期"]
        assert sheet.columns[-1] == "合计（件）"
        listed = [s for s in sheet["门店"] if s in stores]
        assert listed == sorted(stores, key=natural_key)  # Province_2 before Province_10
        assert sheet["门店"].iloc[-2] == "仓库 (DC)" and sheet["门店"].iloc[-1] == "合计"
        products = sheet.columns[3:-1]
        for header in products:
            sku, _, name = header.partition(" ")
            assert name == names[sku]
        body, totals = sheet.iloc[:-1], sheet.iloc[-1]
        assert (body[products].sum() == totals[products]).all()  # totals per product
        assert (body[products].sum(axis=1) == body["合计（件）"]).all()  # totals per store
        assert totals["合计（件）"] == body["合计（件）"].sum()
        assert set(sheet["送货星期"]) == {"周一"}
        sent += int(totals["合计（件）"])
    assert sent == int(demo_plan.depth["depth"].sum())


def test_launch_workbook_lists_the_skus_of_each_wave(folder: Path, demo_plan) -> None:
    sheets = pd.read_excel(folder / "launch_calendar.xlsx", sheet_name=None)
    assert next(iter(sheets)) == "总览"
    overview = sheets["总览"]
    assert "原因" in overview.columns and "送货星期" in overview.columns
    assert overview["原因"].str.contains("客流高峰预计").all()
    products = demo_plan.products_plan
    waves = list(sheets)[1:]
    assert len(waves) == len(demo_plan.launches)
    listed = []
    for title in waves:
        sheet = sheets[title]
        day = pd.Timestamp(title.split(" ")[0])
        expected = products.loc[pd.to_datetime(products["delivery_date"]) == day, "sku"]
        skus = sheet["款号"].dropna()
        assert sorted(skus) == sorted(expected), title
        assert (pd.to_datetime(sheet["送货日期"]) == day).all()
        assert sheet["品名"].notna().all()
        if not len(expected):
            assert sheet["品名"].tolist() == ["本波段没有新品"]
        listed += skus.tolist()
    assert sorted(listed) == sorted(products["sku"])


def test_summary_expected_sales_agree_with_its_table(demo_plan) -> None:
    for lang in ("en", "zh"):
        text = plan_summary(demo_plan, lang=lang)
        rows = [line for line in text.splitlines() if line.startswith("| ") and "-" in line[:12]]
        rows = [r for r in rows if re.match(r"\| [A-Z]{2}\d\d-", r)]
        column = sum(int(r.split("|")[-3].strip().replace(",", "")) for r in rows)
        if lang == "en":
            total = re.search(r"the stores are expected to sell ([\d,]+) of them", text)
        else:
            total = re.search(r"售出 ([\d,]+) 件", text)
        assert total is not None, text
        assert abs(int(total.group(1).replace(",", "")) - column) <= len(rows)  # rounding only
    english = plan_summary(demo_plan, lang="en")
    assert "1 days" not in english and "(1 stores)" not in english


def test_a_minimum_that_does_not_change_the_allocation_is_not_binding(demo_plan) -> None:
    minimums = demo_plan.report.minimums
    assert (minimums["units_without_minimum"] < minimums["units"]).all()
    assert not (minimums[["sales_gained_here", "sales_lost_elsewhere", "net_cost"]] < 0).any().any()
    stated = re.search(r"(\d+) 个门店×款式组合", plan_summary(demo_plan, lang="zh"))
    assert stated is not None and int(stated.group(1)) == len(minimums)


def test_english_on_request(demo_plan) -> None:
    sheets = allocation_sheets(demo_plan, lang="en")
    first = next(iter(sheets.values()))
    assert first.columns[:3].tolist() == ["store", "delivery_date", "delivery_weekday"]
    assert first["store"].iloc[-1] == "total"
    assert plan_summary(demo_plan, lang="en").startswith("# launchcast plan for")


def test_chinese_wave_names_plan() -> None:
    demo = load_demo()
    zh = {"spring": "春", "autumn": "秋季", "late autumn": "晚秋"}
    products = demo.products.assign(launch_wave=demo.products["launch_wave"].map(zh))
    plan = make_plan(
        demo.sales, demo.stores, products, demo.judgments, season=SEASON, model="seasonal_naive"
    )
    english = make_plan(
        demo.sales,
        demo.stores,
        demo.products,
        demo.judgments,
        season=SEASON,
        model="seasonal_naive",
    )
    waves = plan.products_plan.set_index("sku")["wave"]
    assert waves.to_dict() == english.products_plan.set_index("sku")["wave"].to_dict()


def test_plan_and_demo_print_a_short_summary(demo_plan) -> None:
    text = repr(demo_plan)
    assert len(text.splitlines()) <= 8 and text.startswith("Plan for 2012-01-01..2012-12-31")
    assert "SS12-WB01" in text and "45,304 units" in text
    html = demo_plan._repr_html_()
    assert html.startswith("<p><b>Plan for") and "<table>" in html and html.count("<tr>") <= 6
    demo = repr(load_demo())
    assert len(demo.splitlines()) == 5 and "36,525 rows" in demo
    assert "<table>" in load_demo()._repr_html_()
