"""Chinese text in pinyin, for figures drawn without a font that has Chinese glyphs.

The readings come from :mod:`pypinyin`, which reads words before characters (重庆 Chóngqìng,
长沙 Chángshā, 银行 yínháng). Syllables are written with tone marks, capitalised and separated by
spaces, so that a store name stays readable: ``北京王府井店`` -> ``Běi Jīng Wáng Fǔ Jǐng Diàn``.
Chinese punctuation becomes its ASCII counterpart and full-width letters and digits their ordinary
forms.

Examples
--------
>>> to_pinyin("重庆解放碑店")
'Chóng Qìng Jiě Fàng Bēi Diàn'
>>> to_pinyin("AW12-外套（羊毛）")
'AW12-Wài Tào (Yáng Máo)'
"""

from __future__ import annotations

import unicodedata

__all__ = ["is_hanzi", "reading", "to_pinyin"]

_OTHER = "\x00"  # marks what pypinyin passes through (not Chinese characters)

_PUNCTUATION = {
    "、": ", ",
    "。": ". ",
    "「": '"',
    "」": '"',
    "『": '"',
    "』": '"',
    "【": "[",
    "】": "]",
    "〔": "[",
    "〕": "]",
    "〖": "[",
    "〗": "]",
    "《": '"',
    "》": '"',
    "〈": "<",
    "〉": ">",
    "・": "·",
    "〜": "~",
    "　": " ",
    "（": " (",
    "）": ") ",
    "，": ", ",
    "：": ": ",
    "；": "; ",
}


def is_hanzi(char: str) -> bool:
    """Whether ``char`` is a Chinese character (a CJK ideograph of any Unicode block).

    Examples
    --------
    >>> is_hanzi("店"), is_hanzi("A"), is_hanzi("，")
    (True, False, False)
    """
    return unicodedata.category(char) == "Lo" and "CJK" in unicodedata.name(char, "")


def reading(char: str) -> str | None:
    """The most common Mandarin reading of one Chinese character, with its tone mark (pypinyin).

    Returns
    -------
    str or None
        The syllable, or ``None`` for a character without a known reading.

    Examples
    --------
    >>> reading("中"), reading("A")
    ('zhōng', None)
    """
    if not is_hanzi(char):
        return None
    from pypinyin import Style, pinyin

    syllable = pinyin(char, style=Style.TONE, errors=lambda text: _OTHER + text)[0][0]
    return None if syllable.startswith(_OTHER) else str(syllable)


def to_pinyin(text: str) -> str:
    """``text`` with its Chinese characters in pinyin and its Chinese punctuation in ASCII.

    Parameters
    ----------
    text : str
        Any text: Latin letters, digits and symbols are kept as they are.

    Returns
    -------
    str
        The text without Chinese characters; a character without a known reading is written as
        its code point (``U+XXXX``), never dropped.

    Examples
    --------
    >>> to_pinyin("春节")
    'Chūn Jié'
    >>> to_pinyin("上海1号店")
    'Shàng Hǎi 1 Hào Diàn'
    >>> to_pinyin("Province_1")
    'Province_1'
    """
    from pypinyin import Style, pinyin

    tokens: list[tuple[bool, str]] = []  # (is a syllable, text)
    for (piece,) in pinyin(text, style=Style.TONE, errors=lambda rest: _OTHER + rest):
        if not piece.startswith(_OTHER):
            tokens.append((True, piece))
            continue
        for char in piece[1:]:
            if is_hanzi(char):  # a character without a known reading: its code point
                tokens.append((True, f"U+{ord(char):04X}"))
                continue
            plain = _PUNCTUATION.get(char) or (
                unicodedata.normalize("NFKC", char) if ord(char) > 0x2FFF else char
            )
            tokens.append((False, plain))
    out: list[str] = []
    for n, (syllable, piece) in enumerate(tokens):
        if n:
            after_syllable, before = tokens[n - 1][0], tokens[n - 1][1][-1:]
            if (syllable and (after_syllable or before.isalnum())) or (
                after_syllable and piece[:1].isalnum()
            ):
                out.append(" ")
        out.append(piece[:1].upper() + piece[1:] if syllable else piece)
    joined = "".join(out)
    return " ".join(joined.split()) if joined != text else text
