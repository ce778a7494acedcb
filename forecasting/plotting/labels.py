"""The words of the figures, in Chinese or English, and the names of events, seasons and waves.

Every label a person reads in a figure comes from here: :func:`text` for the fixed vocabulary
(titles, axis labels, legends), :func:`event_name` for calendar events, :func:`wave_label` for the
waves of a launch calendar. The language is :func:`forecasting.language.resolve_lang`'s: Chinese by
default for a Chinese market. Chinese needs a CJK font
(:func:`~forecasting.plotting.fonts.cjk_font`); without one a Chinese figure keeps its vocabulary
in English and writes the names of events, stores and products in pinyin, so that nothing is
drawn as an empty box.

An event is named from its own rows, never from a make-up workday's: :func:`calendars.events` gives
the working Saturday before the Spring Festival the event name ``Spring Festival`` but the label
``春节调休上班``, and a wave anchored on the festival is the festival's (``春节``).

Examples
--------
>>> text("units", "en")
'units'
>>> event_name("Mid-Autumn Festival", "en")
'Mid-Autumn Festival'
>>> event_name("霜降", "en")
"Frost's Descent"
>>> wave_label("autumn (白露)", "en")
'autumn (White Dew)'
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from forecasting.language import Lang
from forecasting.plotting.fonts import drawable, has_cjk_font
from forecasting.timing.words import SEASONS_ZH

__all__ = [
    "SEASONS",
    "VOCABULARY",
    "event_name",
    "season_name",
    "text",
    "wave_label",
]

#: Each label of the figures: key -> (Chinese, English); :func:`text` fills the ``{...}`` fields.
VOCABULARY: dict[str, tuple[str, str]] = {
    # allocation
    "alloc_marginal": ("按边际分析分配", "units (marginal analysis)"),
    "alloc_minimum": ("按最低陈列量", "units held at minimum"),
    "alloc_cap": ("达到上限", "units at cap"),
    "minimum": ("最低陈列量", "presentation minimum"),
    "cap": ("上限", "cap"),
    "mean_demand": ("平均需求", "mean demand"),
    "units": ("件数", "units"),
    "alloc_title": (
        "{sku}：共 {total} 件，门店 {stores} 件，{warehouse} {held} 件",
        "{sku}: {total} units, {stores} to stores, {held} at {warehouse}",
    ),
    "alloc_shadow": ("最后一件售出的概率 p = {p:.2f}", "last unit placed sells with p = {p:.2f}"),
    "alloc_hidden_1": (
        "（另有 1 家件数更少的门店未显示）",
        " (1 store with fewer units not shown)",
    ),
    "alloc_hidden": (
        "（另有 {n} 家件数更少的门店未显示）",
        " ({n} stores with fewer units not shown)",
    ),
    # launch timeline
    "delivery": ("到货日", "delivery"),
    "on_shelf": ("上架", "on shelf"),
    "promotion": ("促销", "promotion"),
    "expected_onset": ("预计起量（最早的一组）", "expected onset (earliest group)"),
    "expected_peak": ("预计高峰", "expected peak"),
    "late": ("（已晚）", " (late)"),
    "curve": (
        "{year} 年销量，按春节与节气对齐（7 日均值）",
        "{year} sales, aligned by the Spring Festival and the solar terms (7-day mean)",
    ),
    "units_per_day": ("日均件数", "units per day"),
    "timeline_title": (
        "上市日历：到货、上架与促销窗口（虚线：锚点；点线：节气；红色：法定节假日）",
        "Launch calendar: deliveries, on-shelf and promotion windows "
        "(dashed: anchors; dotted: solar terms; red: public holidays)",
    ),
    # surges
    "daily_units": ("日销量", "daily units"),
    "mean_7": ("7 日均值", "7-day mean"),
    "weekly_7": ("周销量 / 7", "weekly units / 7"),
    "surge": ("起量（起点到高峰）", "surge (onset to peak)"),
    "onset": ("起点", "onset"),
    "anchor": ("锚点", "anchor"),
    "lag": ("{name} {lag:+d}天", "{name} {lag:+d}d"),
    "per_day_7": ("日均件数（7 日均值）", "units per day (7-day mean)"),
    "per_week_7": ("周件数 / 7", "units per week / 7"),
    "all_sales": ("全部销量", "all sales"),
    "surges_title": (
        "销量起量及其日历锚点（{what}；红色：法定节假日；点线：节气）",
        "Detected surges and their anchors ({what}; red: public holidays; dotted: solar terms)",
    ),
    # forecast
    "history": ("历史销量", "history"),
    "forecast": ("预测（{point}）", "forecast ({point})"),
    "band": ("{lower}-{upper} 区间", "{lower}-{upper}"),
    "per_day": ("每日件数", "units per day"),
    "per_week": ("每周件数", "units per week"),
    "per_month": ("每月件数", "units per month"),
    "plan_forecast_title": (
        "全部门店：最近一年的销售与到季末的预测",
        "All stores: the last year of sales and the forecast through the season",
    ),
}

#: The seasons of the waves: English name -> Chinese (the words of the written outputs).
SEASONS = SEASONS_ZH

_SEASONS_BACK = {
    **{zh: en for en, zh in SEASONS.items()},
    **{zh[0]: en for en, zh in SEASONS.items()},
}


def _chinese(lang: Lang) -> bool:
    return lang == "zh" and has_cjk_font()


def text(key: str, lang: Lang, **fields: Any) -> str:
    """One label of the vocabulary, in ``lang``, with its fields filled and drawable.

    Parameters
    ----------
    key : str
        A key of :data:`VOCABULARY`.
    lang : {"zh", "en"}
        The language; Chinese is written in English when no CJK font is installed.
    **fields
        Values of the ``{...}`` fields (names in them are made drawable).

    Returns
    -------
    str

    Examples
    --------
    >>> text("alloc_title", "en", sku="A", total=3, stores=2, held=1, warehouse="DC")
    'A: 3 units, 2 to stores, 1 at DC'
    """
    zh, en = VOCABULARY[key]
    return drawable((zh if _chinese(lang) else en).format(**fields))


@functools.cache
def _fixed_names() -> dict[str, tuple[str, str, str]]:
    """Event -> (Chinese, pinyin, English) of the solar terms and retail events of ``calendars``."""
    import calendars

    names = {t.name: (t.name, t.pinyin, t.english) for t in calendars.SOLAR_TERMS}
    for r in calendars.RETAIL_EVENTS:
        names.setdefault(r.event, (r.name_zh, r.pinyin, r.event))
    return names


def _names(events: pd.DataFrame | None) -> dict[str, tuple[str, str, str]]:
    """Event -> (Chinese, pinyin, English), from the events' own rows, never a make-up workday's."""
    names = dict(_fixed_names())
    if events is None or events.empty or "event" not in events:
        return names
    import calendars

    own = events if "kind" in events else events.assign(kind="")
    chinese = calendars.event_names(own, "name_zh")  # never a make-up workday's label
    latin = calendars.event_names(own, "pinyin")
    for key in dict.fromkeys(map(str, own.loc[own["kind"] != "workday", "event"])):
        if key not in names:
            names[key] = (chinese.get(key, key), latin.get(key, ""), key if key.isascii() else "")
    return names


def event_name(event: object, lang: Lang, events: pd.DataFrame | None = None) -> str:
    """The name of a calendar event as a figure shows it.

    Chinese: the event's Chinese name (``中秋节``, ``白露``), in pinyin without a CJK font.
    English: its English name (``Mid-Autumn Festival``; a solar term's translation,
    ``White Dew``). Names are read from the event's own rows, never from a make-up workday's.

    Parameters
    ----------
    event : str
        Stable event name of :func:`calendars.events` (``"Spring Festival"``, ``"白露"``), or a
        Chinese name (``"春节"``).
    lang : {"zh", "en"}
        The language.
    events : pandas.DataFrame, optional
        Rows of :func:`calendars.events` (``event``, ``kind``, ``name_zh``, ``pinyin``): the
        holidays and a user's own events are named from them.

    Returns
    -------
    str

    Examples
    --------
    >>> import calendars
    >>> ev = calendars.events(2012, kinds=["holiday", "workday"])
    >>> event_name("Spring Festival", "zh", ev) in {"春节", "Chūnjié"}  # not 春节调休上班
    True
    >>> event_name("白露", "en")
    'White Dew'
    """
    key = str(event)
    names = _names(events)
    found = names.get(key)
    if found is None:  # a Chinese name: find its event
        found = next((v for v in names.values() if v[0] == key), None)
    if found is None:
        return drawable(key)
    chinese, pinyin, english = found
    if lang == "en" and english:
        return drawable(english)
    if has_cjk_font():
        return chinese
    return drawable(pinyin or chinese)


def season_name(season: str, lang: Lang) -> str:
    """A wave's season (``spring``, ``autumn``, or ``春``, ``秋季``) in ``lang``.

    Examples
    --------
    >>> season_name("秋", "en"), season_name("summer", "en")
    ('autumn', 'summer')
    """
    english = _SEASONS_BACK.get(season.strip(), season.strip())
    if _chinese(lang) and english in SEASONS:
        return SEASONS[english]
    return drawable(english)


def wave_label(wave: object, lang: Lang, anchor: object = None, events: Any = None) -> str:
    """The label of a wave: its season and the event it is anchored on.

    Parameters
    ----------
    wave : str
        Wave name of :func:`forecasting.timing.recommend_launches` (``"autumn (白露)"``).
    lang : {"zh", "en"}
        The language.
    anchor : str, optional
        The wave's anchor event (the ``anchor`` column); read from the wave name when omitted.
    events : pandas.DataFrame, optional
        Rows of :func:`calendars.events` to name the anchor from.

    Returns
    -------
    str
        ``秋季（白露）`` in Chinese, ``autumn (White Dew)`` in English; a wave name of another form
        is drawn as it is.

    Examples
    --------
    >>> wave_label("winter (春节)", "en", anchor="Spring Festival")
    'winter (Spring Festival)'
    """
    name = str(wave)
    season, sep, rest = name.partition(" (")
    if not sep:
        season, sep, rest = name.partition("（")
    if not sep or _SEASONS_BACK.get(season.strip(), season.strip()) not in SEASONS:
        return drawable(name)
    missing = anchor is None or (isinstance(anchor, float) and pd.isna(anchor))
    ev = event_name(rest.rstrip(")）") if missing else anchor, lang, events)
    if _chinese(lang):
        return f"{season_name(season, lang)}（{ev}）"
    return f"{season_name(season, lang)} ({ev})"
