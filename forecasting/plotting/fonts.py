"""Chinese labels in figures: use a CJK font when one is installed, otherwise fall back to pinyin.

A figure must never show empty boxes. :func:`cjk_font` looks for a font with Chinese glyphs among
the fonts matplotlib knows (Debian's ``fonts-noto-cjk``, Source Han, WenQuanYi, SimHei, Microsoft
YaHei, PingFang) and in the optional ``mplfonts`` package (``pip install "launchcast[cjk]"``),
which carries Noto Sans CJK SC. :func:`zh_label` picks the Chinese text or its pinyin accordingly.
"""

from __future__ import annotations

import functools
from pathlib import Path

from matplotlib import font_manager

__all__ = ["cjk_font", "use_cjk_font", "zh_label"]

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
    return chinese if cjk_font() is not None else pinyin
