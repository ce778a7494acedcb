"""Every figure a plan writes reads correctly: no empty boxes, no glyph warning, holidays by name.

The figures are drawn on the demo's sales with Chinese store names and SKUs, once as a machine
without a CJK font draws them (pinyin; always run) and once with the CJK font (when installed).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.font_manager import findfont
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

import calendars
from forecasting import DemandForecaster, allocate, detect_surges, load_demo, recommend_launches
from forecasting.plotting import (
    drawable,
    event_name,
    fonts,
    plot_allocation,
    plot_forecast,
    plot_launch_timeline,
    plot_surges,
    wave_label,
)
from forecasting.plotting.pinyin import is_hanzi, to_pinyin
from forecasting.plotting.timeline import calendar_alignment, typical_sales_curve

STORES = {"Province_1": "北京王府井店", "Province_4": "重庆解放碑店", "Province_6": "厦门中山路店"}
MAKE_UP = ("调休", "make-up", "workday", "Diào Xiū", "Tiáo Xiū")


@pytest.fixture(scope="module")
def inputs() -> dict[str, Any]:
    demo = load_demo()
    sales = demo.sales[
        demo.sales["store"].isin(list(STORES)) & (demo.sales["date"] >= "2009-01-01")
    ].copy()
    sales["store"] = sales["store"].map(STORES)
    sales["region"] = sales["store"]
    demand = pd.DataFrame(
        {
            "sku": ["羊毛大衣-01"] * 3 + ["AW12-外套"] * 3,
            "store": list(STORES.values()) * 2,
            "mean": [30.0, 20.0, 10.0, 12.0, 8.0, 5.0],
        }
    )
    stores = pd.DataFrame(
        {"store": list(STORES.values()), "min_units": [0, 12, 0], "max_units": [None, None, 9]}
    )
    recent = sales[sales["date"] >= "2011-01-01"]
    return {
        "sales": sales,
        "surges": detect_surges(sales),
        "launches": recommend_launches(sales, "2012-01-01", "2012-12-31"),
        "forecast": DemandForecaster(model="seasonal_naive").fit(recent, by="store").predict(120),
        "recent": recent,
        "allocation": allocate(
            pd.DataFrame({"sku": ["羊毛大衣-01", "AW12-外套"], "units": [60, 30]}),
            demand,
            stores,
            holdback=0.1,
        ),
    }


def _figures(
    inputs: dict[str, Any], lang: str | None, skus: tuple[str, str] = ("羊毛大衣-01", "AW12-外套")
) -> Iterator[tuple[str, Any]]:
    yield "surges", plot_surges(inputs["sales"], inputs["surges"], lang=lang)
    yield "timeline", plot_launch_timeline(inputs["launches"], inputs["sales"], lang=lang)
    yield (
        "forecast",
        plot_forecast(inputs["forecast"], inputs["recent"], kinds=("holiday",), lang=lang),
    )
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, sku in zip(axes, skus, strict=True):
        plot_allocation(inputs["allocation"], sku, ax=ax, lang=lang)
    yield "allocation", fig


def _drawn_texts(fig: Any) -> list[Text]:
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    return texts


def _check_readable(name: str, fig: Any, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Draw the figure; fail on a glyph warning, a glyph the font lacks or a make-up workday."""
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        fig.canvas.draw()
    glyph_warnings = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not glyph_warnings, (name, glyph_warnings[:3])
    assert not [r for r in caplog.records if "font" in r.getMessage().lower()], name
    drawn = []
    for text in _drawn_texts(fig):
        string = text.get_text()
        glyphs = FT2Font(findfont(text.get_fontproperties())).get_charmap()
        missing = {c for c in string if not c.isspace() and ord(c) not in glyphs}
        assert not missing, (name, string, missing)
        assert not any(word.lower() in string.lower() for word in MAKE_UP), (name, string)
        drawn.append(string)
    plt.close(fig)
    return drawn


def test_without_a_cjk_font_every_chinese_name_is_pinyin(
    inputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    for name, fig in _figures(inputs, lang="zh"):
        drawn = _check_readable(name, fig, caplog)
        assert not any(is_hanzi(c) for text in drawn for c in text), (name, drawn)
        if name == "allocation":
            assert "Chóng Qìng Jiě Fàng Bēi Diàn" in drawn
            assert any(t.startswith("Yáng Máo Dà Yī-01:") for t in drawn), drawn
            assert any(t.startswith("AW12-Wài Tào:") for t in drawn), drawn
        if name == "surges":
            assert any(t.startswith("Chūnjié ") for t in drawn), drawn  # the festival, named
        if name == "forecast":
            assert "Guóqìng Jié" in drawn and "units per day" in drawn  # English words


def test_english_figures_name_events_in_english(
    inputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    figures = dict(_figures(inputs, lang="en"))
    timeline = _check_readable("timeline", figures.pop("timeline"), caplog)
    assert any(t.startswith("winter (Spring Festival)") for t in timeline), timeline
    surges = _check_readable("surges", figures.pop("surges"), caplog)
    assert any(t.startswith("Spring Festival ") and t.endswith("d") for t in surges), surges
    for name, fig in figures.items():
        _check_readable(name, fig, caplog)


@pytest.mark.skipif(fonts.cjk_font() is None, reason="no CJK font installed (launchcast[cjk])")
def test_with_a_cjk_font_chinese_is_drawn(
    inputs: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    fonts.use_cjk_font()
    for name, fig in _figures(inputs, lang="zh"):
        drawn = _check_readable(name, fig, caplog)
        if name == "allocation":
            assert "重庆解放碑店" in drawn
        if name == "surges":
            assert any(t.startswith("春节 ") for t in drawn), drawn
        if name == "timeline":
            assert any(t.startswith("冬季（春节）") for t in drawn), drawn


def test_date_labels_do_not_overlap(
    inputs: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    for name, fig in _figures(inputs, lang="en"):
        if name == "allocation":
            plt.close(fig)
            continue
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
        assert len(boxes) >= 3, name
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (name, a, b)
        plt.close(fig)


def test_an_allocation_grid_has_one_legend(inputs: dict[str, Any]) -> None:
    _, axes = plt.subplots(2, 2)
    for ax in axes.ravel():
        plot_allocation(inputs["allocation"], "AW12-外套", ax=ax, lang="en")
    assert [ax.get_legend() is not None for ax in axes.ravel()] == [True, False, False, False]
    single = plot_allocation(inputs["allocation"], "AW12-外套", lang="en")
    assert single.axes[0].get_legend() is not None
    plt.close("all")


def test_events_are_named_by_their_own_rows_never_a_make_up_workday() -> None:
    ev = calendars.events(range(2010, 2013), kinds=["holiday", "workday"])
    first = ev.sort_values("date").drop_duplicates("event")
    assert first["name_zh"].str.contains("调休").any()  # the trap: a workday row comes first
    for event in ev["event"].unique():
        for lang in ("zh", "en"):
            assert "调休" not in event_name(event, lang, ev)
    with_font = event_name("Mid-Autumn Festival", "zh", ev)
    assert with_font == ("中秋节" if fonts.cjk_font() else "Zhōngqiū Jié")
    assert event_name("Mid-Autumn Festival", "en", ev) == "Mid-Autumn Festival"
    assert wave_label("winter (春节)", "en", anchor="Spring Festival", events=ev) == (
        "winter (Spring Festival)"
    )
    assert wave_label("autumn (霜降)", "en") == "autumn (Frost's Descent)"
    assert wave_label("AW12 drop 1", "en") == "AW12 drop 1"


def test_pinyin_reads_names_and_never_leaves_a_chinese_character() -> None:
    assert to_pinyin("北京王府井店") == "Běi Jīng Wáng Fǔ Jǐng Diàn"
    assert to_pinyin("重庆解放碑店") == "Chóng Qìng Jiě Fàng Bēi Diàn"
    assert to_pinyin("厦门（中山路）") == "Xià Mén (Zhōng Shān Lù)"
    assert to_pinyin("SKU-001") == "SKU-001"
    every = "".join(chr(c) for c in range(0x4E00, 0xA000, 7))
    assert not any(is_hanzi(c) for c in to_pinyin(every))


def test_drawable_keeps_what_the_font_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "cjk_font", lambda: None)
    assert drawable("Province_1") == "Province_1"
    assert drawable("上海店") == "Shàng Hǎi Diàn"
    assert drawable("店\U000f0000") == "Diàn?"  # a private-use character: no glyph anywhere


def test_the_last_year_is_drawn_by_the_calendar_not_by_the_date() -> None:
    days = pd.date_range("2010-01-01", "2011-12-31")
    spring_festival_2011 = pd.Timestamp("2011-02-03")
    units = 100.0 + 900.0 * (np.abs((days - spring_festival_2011).days) <= 2)
    curve = typical_sales_curve(pd.DataFrame({"date": days, "units": units}), 2012)
    assert abs(curve.idxmax() - pd.Timestamp("2012-01-23")) <= pd.Timedelta(days=1)
    knots = calendar_alignment(2011, 2012)
    assert knots["source"].is_monotonic_increasing and knots["target"].is_monotonic_increasing
    terms = calendars.solar_terms([2011, 2012]).pivot_table(
        index="name", columns="year", values="date", aggfunc="first"
    )
    autumn = terms.loc["白露"]
    assert (pd.Timestamp(autumn[2011]), pd.Timestamp(autumn[2012])) in set(
        zip(knots["source"], knots["target"], strict=True)
    )


@pytest.mark.slow
def test_the_demo_plan_writes_its_figures_without_a_glyph_warning(
    tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from forecasting.plan import make_plan, write_plan

    demo = load_demo()
    stores = demo.stores.assign(store=demo.stores["store"].replace(STORES))
    sales = demo.sales.assign(store=demo.sales["store"].replace(STORES))
    plan = make_plan(
        sales, stores, demo.products, demo.judgments, season=("2012-01-01", "2012-12-31")
    )
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        files = write_plan(plan, tmp_path / "plan")
    assert not [w for w in caught if "missing from font" in str(w.message)]
    assert not [r for r in caplog.records if "font" in r.getMessage().lower()]
    assert {p.name for p in files.values()} >= {"allocation.png", "forecast.png", "surges.png"}
    inputs = {
        "sales": plan.sales,
        "surges": plan.surges,
        "launches": plan.launches,
        "forecast": plan.forecast,
        "recent": plan.sales[plan.sales["date"] >= "2011-01-01"],
    }
    skus = tuple(plan.depth["sku"].iloc[:2])
    for name, fig in _figures({**inputs, "allocation": plan.allocation}, None, skus):
        drawn = _check_readable(name, fig, caplog)
        if name == "allocation" and fonts.cjk_font() is None:
            assert "Chóng Qìng Jiě Fàng Bēi Diàn" in drawn
