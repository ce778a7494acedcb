"""Chinese wave names, reasons and labels of the launch calendar; anchors on the festival itself."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from forecasting.exceptions import DataValidationError
from forecasting.timing.anchors import anchor_occurrences
from forecasting.timing.launch import launch_reason, launch_reasons, recommend_launches
from forecasting.timing.waves import assign_waves, english_wave_request
from forecasting.timing.words import count_text, day_text, wave_label

LAUNCHES = pd.DataFrame(
    {
        "wave": ["winter (春节)", "spring (谷雨)", "autumn (处暑)", "autumn (霜降)"],
        "anchor": ["Spring Festival", "谷雨", "处暑", "霜降"],
        "delivery_date": pd.to_datetime(["2012-01-04", "2012-04-09", "2012-08-27", "2012-10-08"]),
        "shelf_start": pd.to_datetime(["2012-01-05", "2012-04-10", "2012-08-28", "2012-10-09"]),
        "expected_onset": pd.to_datetime(["2012-01-05", "2012-04-26", "2012-09-22", "2012-10-27"]),
        "expected_peak": pd.to_datetime(["2012-01-20", "2012-05-10", "2012-10-03", "2012-11-14"]),
    }
)


@pytest.mark.parametrize(
    ("wanted", "wave"),
    [
        ("春", "spring (谷雨)"),
        ("春季", "spring (谷雨)"),
        ("秋", "autumn (处暑)"),
        ("秋季", "autumn (处暑)"),
        ("晚秋", "autumn (霜降)"),
        ("秋季第2波", "autumn (霜降)"),
        ("秋季 2", "autumn (霜降)"),
        ("冬", "winter (春节)"),
        ("冬季", "winter (春节)"),
        ("春节", "winter (春节)"),
        ("霜降", "autumn (霜降)"),
        ("秋季（霜降）", "autumn (霜降)"),
        ("autumn", "autumn (处暑)"),
        ("Spring Festival", "winter (春节)"),
    ],
)
def test_chinese_wave_names_are_matched(wanted: str, wave: str) -> None:
    products = pd.DataFrame({"sku": ["A"], "launch_wave": [wanted]})
    assert assign_waves(products, LAUNCHES)["wave"].tolist() == [wave]


def test_a_chinese_season_without_a_wave_is_refused_with_the_waves() -> None:
    products = pd.DataFrame({"sku": ["A"], "launch_wave": ["夏"]})
    with pytest.raises(DataValidationError, match=r"match no wave.*春, 秋季"):
        assign_waves(products, LAUNCHES)
    assert english_wave_request("夏季") == "summer"


def test_words() -> None:
    assert wave_label("autumn (白露)", "zh") == "秋季（白露）"
    assert wave_label("winter (Spring Festival)", "zh") == "冬季（春节）"
    assert day_text(pd.Timestamp("2012-08-06"), "zh") == "2012-08-06 周一"
    assert day_text(pd.Timestamp("2012-08-06"), "en") == "Mon 2012-08-06"
    assert [count_text(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]


def test_spring_festival_anchor_is_chunjie_not_chuxi() -> None:
    from calendars import events

    occ = anchor_occurrences(events(2012))
    spring = occ[(occ["event"] == "Spring Festival") & (occ["kind"] == "holiday")]
    assert spring["date"].tolist() == [pd.Timestamp("2012-01-23")]


@pytest.fixture(scope="module")
def winter_sales() -> pd.DataFrame:
    """Daily units 2009-2011 that rise 16 days before 春节 each year."""
    from calendars.lunar import lunar_new_year

    dates = pd.date_range("2009-01-01", "2011-12-31")
    log_units = np.full(len(dates), np.log(200.0))
    for year in (2009, 2010, 2011, 2012):
        onset = pd.Timestamp(lunar_new_year(year)) - pd.Timedelta(days=16)
        t = (dates - onset).days.to_numpy()
        log_units += np.log(2.0) * (np.clip(t / 12, 0, 1) - np.clip((t - 12) / 12, 0, 1))
    rng = np.random.default_rng(3)
    units = np.round(np.exp(log_units + rng.normal(0, 0.02, len(dates))))
    return pd.DataFrame({"date": dates, "units": units})


def test_the_winter_reason_counts_from_chunjie(winter_sales: pd.DataFrame) -> None:
    plan = recommend_launches(winter_sales, "2012-12-01", "2013-03-31", as_of="2012-01-01")
    winter = plan[plan["anchor"] == "Spring Festival"].iloc[0]
    assert winter["anchor_date"] == pd.Timestamp("2013-02-10")  # 春节 2013 (除夕: 02-09)
    lag = (winter["anchor_date"] - winter["expected_onset"]).days
    assert 14 <= lag <= 18
    assert f"{lag} days before Spring Festival (春节)" in winter["reason"]
    zh = launch_reasons(plan, "zh")[winter.name]
    assert f"春节前{lag}天" in zh and "调休上班" not in zh
    assert zh.startswith("冬季客流高峰预计")
    assert "周" in zh  # the delivery day names its weekday
    assert not any(ord(c) < 128 and c.isalpha() for c in zh.split("；")[0])  # no English words


def test_a_late_reason_in_both_languages() -> None:
    row = pd.Series(
        {
            "wave": "autumn (白露)",
            "anchor": "白露",
            "anchor_date": pd.Timestamp("2012-09-07"),
            "expected_onset": pd.Timestamp("2012-09-10"),
            "expected_peak": pd.Timestamp("2012-10-01"),
            "planned_onset": pd.Timestamp("2012-09-10"),
            "forecast_onset": pd.NaT,
            "best_delivery_date": pd.Timestamp("2012-08-27"),
            "delivery_date": pd.Timestamp("2012-09-10"),
            "days_ahead": -1,
            "late": True,
            "years_seen": "2011",
            "lag_min": 3,
            "lag_max": 3,
            "timing_from": "own history",
        }
    )
    en = launch_reason(row, "en", as_of=pd.Timestamp("2012-09-05"))
    assert "only in 2011" in en and "on shelf 1 day after" in en and "1 days" not in en
    zh = launch_reason(row, "zh", as_of=pd.Timestamp("2012-09-05"))
    assert "已晚" in zh and "仅2011年" in zh and "2012-09-10 周一" in zh
