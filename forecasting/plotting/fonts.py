"""Chinese labels in figures: use a CJK font when one is installed, otherwise fall back to pinyin.

A figure must never show empty boxes. :func:`cjk_font` looks for a font with Chinese glyphs among
the fonts matplotlib knows (Debian's ``fonts-noto-cjk``, Source Han, WenQuanYi, SimHei, Microsoft
YaHei, PingFang) and in the optional ``mplfonts`` package (``pip install "launchcast[cjk]"``),
which carries Noto Sans CJK SC. :func:`zh_label` picks the Chinese text or its pinyin accordingly,
and :func:`drawable` makes any text (a store name, a SKU, an event) drawable in the figures' font:
unchanged when the font has every glyph, else with its Chinese in pinyin
(:func:`forecasting.plotting.pinyin.to_pinyin`) and any other missing glyph replaced.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from matplotlib import font_manager

from forecasting.plotting.pinyin import is_hanzi, to_pinyin

__all__ = ["cjk_font", "drawable", "font_glyphs", "has_cjk_font", "use_cjk_font", "zh_label"]

_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "AR PL UMing CN",
)


def _register_mplfonts() -> None:
    try:
        import mplfonts  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return
    folder = Path(mplfonts.__file__).parent / "fonts"
    for path in sorted(folder.glob("*.[ot]tf")):
        if "CJK" in path.name or "SC" in path.name:
            font_manager.fontManager.addfont(str(path))


@functools.cache
def cjk_font() -> str | None:
    """Return the family name of an installed font with Chinese glyphs, or ``None``.

    Returns
    -------
    str or None
        A font family matplotlib can use for Chinese text.

    Examples
    --------
    >>> family = cjk_font()
    >>> family is None or isinstance(family, str)
    True
    """
    _register_mplfonts()
    available = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in available:
            return family
    return None


def has_cjk_font() -> bool:
    """Whether the figures draw Chinese characters (a CJK font is installed).

    Examples
    --------
    >>> has_cjk_font() == (cjk_font() is not None)
    True
    """
    return cjk_font() is not None


@functools.cache
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def font_glyphs() -> frozenset[int]:
    """The code points the figures' font has glyphs for: the CJK font's, else the default's.

    Returns
    -------
    frozenset of int

    Examples
    --------
    >>> ord("A") in font_glyphs()
    True
    """
    family = cjk_font()
    prop = font_manager.FontProperties(family=[family or "sans-serif"])
    return _charmap(font_manager.findfont(prop, fallback_to_default=True))


def drawable(text: object) -> str:
    """``text`` as it can be drawn without an empty box: its Chinese in pinyin without a CJK font.

    Every character the figures' font (:func:`font_glyphs`) has is kept. Otherwise Chinese
    characters are written in pinyin, Chinese punctuation and full-width forms in ASCII, a letter
    with a mark the font lacks without its mark, and anything else as ``?``.

    Parameters
    ----------
    text : object
        A label (converted with ``str``).

    Returns
    -------
    str

    Examples
    --------
    >>> drawable("Province_1")
    'Province_1'
    >>> drawable("上海店") in {"上海店", "Shàng Hǎi Diàn"}
    True
    """
    text = str(text)
    if cjk_font() is None and any(is_hanzi(c) for c in text):
        text = to_pinyin(text)  # whatever font matplotlib would fall back on
    glyphs = font_glyphs()
    if all(ord(c) in glyphs or c.isspace() for c in text):
        return text
    out = []
    for char in text:
        if ord(char) in glyphs or char.isspace():
            out.append(char)
            continue
        plain = to_pinyin(char)  # Chinese punctuation, full-width forms
        base = "".join(
            c for c in unicodedata.normalize("NFKD", plain) if not unicodedata.combining(c)
        )
        out.append(base if base and all(ord(c) in glyphs for c in base) else "?")
    return "".join(out)


def use_cjk_font() -> bool:
    """Put the CJK font (if any) first in matplotlib's sans-serif list; return whether there is one.

    Returns
    -------
    bool
        True when Chinese text will render.

    Examples
    --------
    >>> isinstance(use_cjk_font(), bool)
    True
    """
    import matplotlib as mpl

    family = cjk_font()
    if family is None:
        return False
    sans = list(mpl.rcParams["font.sans-serif"])
    if family in sans:
        sans.remove(family)
    mpl.rcParams["font.sans-serif"] = [family, *sans]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False
    return True


def zh_label(chinese: str, pinyin: str) -> str:
    """Return ``chinese`` when a CJK font is available, else ``pinyin``.

    Parameters
    ----------
    chinese : str
        The label in Chinese characters, e.g. ``"白露"``.
    pinyin : str
        Its romanisation, e.g. ``"Bailu"``.

    Returns
    -------
    str
        A label that renders without empty boxes.

    Examples
    --------
    >>> zh_label("白露", "Bailu") in {"白露", "Bailu"}
    True
    """
    return chinese if cjk_font() is not None else drawable(pinyin)
