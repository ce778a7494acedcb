"""The language of what a person reads: summaries, sheet names and headers, reasons, figure labels.

Machine-readable outputs (the CSV files, the DataFrames) keep the canonical English column names
(``sku``, ``store``, ``units``, ``delivery_date``, ...) whatever the language: other systems and
scripts rely on them. Everything written for a person follows :func:`resolve_lang`: Chinese by
default when the market is China, English otherwise, and whatever the user asks for.

Examples
--------
>>> resolve_lang(None, market="CN")
'zh'
>>> resolve_lang(None, market="US")
'en'
>>> resolve_lang("EN", market="CN")
'en'
"""

from __future__ import annotations

from typing import Literal, cast

from forecasting.exceptions import LaunchcastError

__all__ = ["LANGUAGES", "Lang", "UnknownLanguageError", "resolve_lang"]

Lang = Literal["zh", "en"]
LANGUAGES: tuple[Lang, ...] = ("zh", "en")

_ALIASES = {
    "zh": "zh",
    "zh-cn": "zh",
    "zh_cn": "zh",
    "zh-hans": "zh",
    "cn": "zh",
    "chinese": "zh",
    "中文": "zh",
    "en": "en",
    "en-us": "en",
    "en_us": "en",
    "en-gb": "en",
    "english": "en",
}

_CHINESE_MARKETS = frozenset({"CN", "CHN", "HK", "MO", "TW"})


class UnknownLanguageError(LaunchcastError, ValueError):
    """A language that launchcast does not write."""


def resolve_lang(lang: str | None, market: str | None = "CN") -> Lang:
    """The language of the outputs: ``lang`` when given, else Chinese for a Chinese market.

    Parameters
    ----------
    lang : str, optional
        ``"zh"`` or ``"en"`` (case-insensitive; ``"zh-CN"``, ``"chinese"``, ``"中文"``, ``"en-US"``
        and ``"english"`` are accepted too). ``None`` chooses by market.
    market : str, optional
        The market whose calendar the plan uses (a country code of the ``holidays`` package).

    Returns
    -------
    {"zh", "en"}

    Raises
    ------
    UnknownLanguageError
        For any other language, naming the two that are written.

    Examples
    --------
    >>> resolve_lang("zh-CN")
    'zh'
    >>> resolve_lang("fr")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    forecasting.language.UnknownLanguageError: unknown language 'fr': launchcast writes 'zh' ...
    """
    if lang is None:
        return "zh" if (market or "").strip().upper() in _CHINESE_MARKETS else "en"
    key = str(lang).strip().lower()
    if key not in _ALIASES:
        raise UnknownLanguageError(
            f"unknown language {lang!r}: launchcast writes 'zh' (中文) or 'en' (English)"
        )
    return cast(Lang, _ALIASES[key])
