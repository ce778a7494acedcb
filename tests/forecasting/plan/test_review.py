"""The in-season review of a written plan: review_plan, write_review, ``launchcast review``."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from forecasting import DataValidationError, OutputExistsError, load_demo, make_plan, write_plan
from forecasting.inputs import DataQualityWarning
from forecasting.plan.review import review_plan, write_review

AS_OF = pd.Timestamp("2012-09-11")  # two weeks after the first autumn wave's shelf start
FAST = "AW12-KN04"  # sells 60 % above plan in the sales below


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = load_demo()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        plan = make_plan(
            demo.sales,
            demo.stores,
            demo.products,
            demo.judgments,
            season=("2012-01-01", "2012-12-31"),
            model="seasonal_naive",
            holdback=0.2,
        )
    folder = tmp_path_factory.mktemp("plan") / "plan"
    write_plan(plan, folder, lang="en")
    return folder


def _sales_so_far(plan_dir: Path) -> pd.DataFrame:
    """Each store sells its planned demand's weekly pace since shelf start (FAST: 1.6 times)."""
    allocation = pd.read_csv(plan_dir / "allocation.csv", encoding="utf-8-sig")
    depth = pd.read_csv(plan_dir / "depth.csv", encoding="utf-8-sig").set_index("sku")
    rows = []
    for r in allocation[allocation["store"] != "DC"].itertuples(index=False):
        start = pd.Timestamp(depth.loc[r.sku, "shelf_start"])
        if not start < AS_OF or (AS_OF - start).days > 56:
            continue
        pace = 1.6 if r.sku == FAST else 1.0
        for week in range((AS_OF - start).days // 7):
            units = min(round(r.mean / 8 * pace), int(r.units) // 2)
            rows.append((r.sku, r.store, start + pd.Timedelta(days=7 * week), units))
    return pd.DataFrame(rows, columns=["sku", "store", "date", "units"])


@pytest.fixture(scope="module")
def review(plan_dir: Path):
    return review_plan(plan_dir, _sales_so_far(plan_dir), as_of=AS_OF)


def test_each_product_has_its_stage(review) -> None:
    stage = review.status.set_index("sku")["stage"]
    assert stage[FAST] == "in season"
    assert (stage[stage.index.str.startswith("SS12")] == "handed over to replenishment").all()
    assert (stage[["AW12-CT07", "AW12-DJ08", "AW12-DR06"]] == "not on shelf yet").all()
    assert set(review.forecast["sku"]) == set(stage[stage == "in season"].index)
    assert review.status.set_index("sku").loc[FAST, "weeks_seen"] == 2


def test_a_fast_seller_gets_more_demand_and_a_second_batch(review) -> None:
    status = review.status.set_index("sku")
    fast = status.loc[FAST]
    assert fast["pace"] > 1.3
    assert fast["remaining_mean"] > fast["plan_mean"] * 6 / 8
    batch = review.second_batch.set_index("sku")
    assert batch.loc[FAST, "quantity"] >= batch.drop(FAST)["quantity"].max()
    assert (batch["decision"] == "order").eq(batch["quantity"] > 0).all()


def test_every_released_unit_is_accounted_for_and_minimums_hold(review) -> None:
    release = review.release
    batch = review.second_batch.set_index("sku")["quantity"]
    held = review.status.set_index("sku")["holdback"]
    for sku, rows in release.groupby("sku"):
        assert rows["units"].sum() == held[sku] + batch[sku]
    stores = release[release["store"] != "DC"]
    assert (stores["units_after"] >= stores["minimum"]).all()


def test_the_folder_is_written_whole_and_not_over_an_old_one(review, tmp_path: Path) -> None:
    files = write_review(review, tmp_path / "review", lang="en")
    names = sorted(p.name for p in files.values())
    assert names == ["forecast.csv", "release.csv", "second_batch.csv", "status.csv", "summary.md"]
    summary = (tmp_path / "review" / "summary.md").read_text(encoding="utf-8")
    assert "2 handed over to replenishment" in summary
    assert f"- {FAST}: order" in summary
    assert "Waves not re-timed" in summary
    write_review(review, tmp_path / "中文", market="CN")  # Chinese for the Chinese market
    chinese = (tmp_path / "中文" / "summary.md").read_text(encoding="utf-8")
    assert "季中复盘" in chinese and f"- {FAST}：追单" in chinese and "已转补货" in chinese
    status = pd.read_csv(tmp_path / "中文" / "status.csv", encoding="utf-8-sig")
    assert list(status.columns[:3]) == ["sku", "shelf_start", "weeks_seen"]  # canonical
    with pytest.raises(OutputExistsError):
        write_review(review, tmp_path / "review")


def test_bad_input_is_one_clear_error(plan_dir: Path, tmp_path: Path) -> None:
    sales = _sales_so_far(plan_dir)
    stray = sales.iloc[:1].assign(sku="NOT-IN-PLAN")
    with pytest.raises(DataValidationError, match="NOT-IN-PLAN"):
        review_plan(plan_dir, pd.concat([sales, stray]), as_of=AS_OF)
    elsewhere = sales.iloc[:1].assign(store="Province_99")
    with pytest.raises(DataValidationError, match="Province_99"):
        review_plan(plan_dir, pd.concat([sales, elsewhere]), as_of=AS_OF)
    with pytest.raises(DataValidationError, match="no product of the plan has had a whole week"):
        review_plan(plan_dir, sales, as_of="2012-04-12")  # two days after the first shelf start
    with pytest.raises(DataValidationError, match=r"depth\.csv"):
        review_plan(tmp_path, sales, as_of=AS_OF)
    # the demo's history ends in 2011: it cannot show the 2012 season's rise
    with pytest.raises(DataValidationError, match="255 days before"):
        review_plan(plan_dir, sales, as_of=AS_OF, history=load_demo().sales)


def test_the_command_line(plan_dir: Path, tmp_path: Path, console) -> None:
    sales = tmp_path / "latest.csv"
    _sales_so_far(plan_dir).to_csv(sales, index=False)
    done = console(
        "review",
        "--plan",
        str(plan_dir),
        "--sales",
        str(sales),
        "--as-of",
        "2012-09-11",
        "--out",
        str(tmp_path / "out"),
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "second_batch.csv").is_file()
    assert FAST in done.stdout
    missing = console(
        "review",
        "--plan",
        str(tmp_path / "nowhere"),
        "--sales",
        str(sales),
        "--out",
        str(tmp_path / "out2"),
    )
    assert missing.returncode == 1
    assert "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out2").exists()
