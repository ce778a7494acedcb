"""How dates, weekdays, seasons and wave names read for a person, in Chinese or English.

The tables keep canonical values (``wave = "autumn (白露)"``, dates as timestamps); what is written
for a person (reasons, sheets, the summary, the calendar file, the console) goes through these
helpers, so a Chinese planner reads ``2012-08-27 周一`` and ``秋季（白露）`` and an English one
``Mon 2012-08-27`` and ``autumn (白露)``.

Examples
--------
>>> import pandas as pd
>>> day_text(pd.Timestamp("2012-08-27"), "zh")
'2012-08-27 周一'
>>> day_text(pd.Timestamp("2012-08-27"), "en")
'Mon 2012-08-27'
>>> wave_label("autumn (白露)", "zh")
'秋季（白露）'
>>> wave_label("winter (Spring Festival)", "zh")
'冬季（春节）'
"""

from __future__ import annotations

import re

import pandas as pd

from forecasting.language import Lang

__all__ = [
    "SEASONS_ZH",
    "WEEKDAYS_EN",
    "WEEKDAYS_ZH",
    "count_text",
    "day_text",
    "event_label",
    "season_label",
    "wave_label",
    "weekday_text",
]

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

#: The Chinese name of each season of a wave name.
SEASONS_ZH = {"spring": "春季", "summer": "夏季", "autumn": "秋季", "winter": "冬季"}

# Chinese labels of the stable English event names that :func:`calendars.events` uses, for a wave
# name or an anchor that carries the English name (the retail events and solar terms are Chinese
# already, and calendars.event_names gives any label of a given events table)
_EVENTS_ZH = {
    "Spring Festival": "春节",
    "New Year's Day": "元旦",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
    "New-Year Goods Festival": "年货节",
    "Women's Day": "妇女节",
    "Qixi": "七夕",
    "Double 11": "双十一",
    "Double 12": "双十二",
    "Christmas Eve": "平安夜",
}
_WAVE = re.compile(r"^(?P<season>\w+) \((?P<anchor>.+)\)$")


def weekday_text(day: pd.Timestamp, lang: Lang) -> str:
    """The weekday of ``day``: ``周一`` or ``Mon``.

    Examples
    --------
    >>> import pandas as pd
    >>> day = pd.Timestamp("2012-01-23")
    >>> weekday_text(day, "zh"), weekday_text(day, "en")
    ('周一', 'Mon')
    """
    names = WEEKDAYS_ZH if lang == "zh" else WEEKDAYS_EN
    return names[pd.Timestamp(day).weekday()]


def day_text(day: object, lang: Lang, *, weekday: bool = True) -> str:
    """A date as a planner reads it: ``2012-08-27 周一`` or ``Mon 2012-08-27`` (``-`` when
    missing).

    Parameters
    ----------
    day : date-like or None
        The date.
    lang : {"zh", "en"}
        The language.
    weekday : bool, default True
        Whether to name the weekday.

    Returns
    -------
    str

    Examples
    --------
    >>> day_text("2012-01-23", "zh", weekday=False)
    '2012-01-23'
    >>> day_text(None, "en")
    '-'
    """
    if day is None or (not isinstance(day, str) and bool(pd.isna(day))):  # type: ignore[call-overload]
        return "-"
    stamp = pd.Timestamp(day)  # type: ignore[arg-type]
    text = f"{stamp:%Y-%m-%d}"
    if not weekday:
        return text
    return (
        f"{text} {weekday_text(stamp, lang)}"
        if lang == "zh"
        else f"{weekday_text(stamp, lang)} {text}"
    )


def event_label(event: str, lang: Lang, names_zh: dict[str, str] | None = None) -> str:
    """An event's name: ``春节`` in Chinese; ``Spring Festival (春节)`` in English.

    Parameters
    ----------
    event : str
        Stable event name (``"Spring Festival"``, ``"白露"``).
    lang : {"zh", "en"}
        The language.
    names_zh : dict, optional
        Chinese labels by event (:func:`calendars.event_names`), over the built-in ones.

    Returns
    -------
    str

    Examples
    --------
    >>> event_label("Spring Festival", "zh"), event_label("Spring Festival", "en")
    ('春节', 'Spring Festival (春节)')
    >>> event_label("白露", "en")
    '白露'
    """
    zh = (names_zh or {}).get(event) or _EVENTS_ZH.get(event, event)
    if lang == "zh":
        return zh
    return event if zh == event else f"{event} ({zh})"


def season_label(season: str, lang: Lang) -> str:
    """A season's name: ``秋季`` or ``autumn``.

    Examples
    --------
    >>> season_label("autumn", "zh"), season_label("autumn", "en")
    ('秋季', 'autumn')
    """
    return SEASONS_ZH.get(season.strip().lower(), season) if lang == "zh" else season


def wave_label(wave: object, lang: Lang) -> str:
    """A wave's name for a person: ``秋季（白露）`` or, in English, the wave name itself.

    Parameters
    ----------
    wave : str
        A wave name of :func:`~forecasting.timing.recommend_launches` (``"autumn (白露)"``).
    lang : {"zh", "en"}
        The language.

    Returns
    -------
    str

    Examples
    --------
    >>> wave_label("spring (谷雨)", "zh")
    '春季（谷雨）'
    >>> wave_label("spring (谷雨)", "en")
    'spring (谷雨)'
    """
    text = str(wave)
    if lang != "zh":
        return text
    match = _WAVE.match(text)
    if match is None:
        return SEASONS_ZH.get(text.strip().lower(), text)
    anchor = match["anchor"]
    return f"{season_label(match['season'], 'zh')}（{_EVENTS_ZH.get(anchor, anchor)}）"


def count_text(n: int, singular: str, plural: str | None = None, *, lang: Lang = "en") -> str:
    """A count with its noun: ``1 day``, ``2 days``; in Chinese the noun as given (``3 天``).

    Examples
    --------
    >>> count_text(1, "day"), count_text(16, "day"), count_text(2, "store x product pair")
    ('1 day', '16 days', '2 store x product pairs')
    >>> count_text(3, "家门店", lang="zh")
    '3 家门店'
    """
    if lang == "zh":
        return f"{n:,} {singular}"
    noun = singular if abs(n) == 1 else (plural or singular + "s")
    return f"{n:,} {noun}"
