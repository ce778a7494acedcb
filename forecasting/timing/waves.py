"""Match new products to the waves of a launch calendar.

Products are matched to waves by a ``launch_wave`` (or ``wave``) column naming a season
(``"autumn"``), an anchor (``"白露"``, ``"Spring Festival"``) or a full wave name; the n-th wave
of a season can be asked for as ``"autumn 2"`` or ``"late autumn"`` (the last wave of that season).
The same in Chinese: ``春`` / ``春季``, ``晚秋``, ``秋季第2波``, an anchor's Chinese name (``春节``)
or a wave's Chinese label (``秋季（白露）``).
Without such a column a product with a ``launch_date`` goes to the wave whose delivery date is
nearest.
"""

from __future__ import annotations

import re

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.timing.words import event_label

__all__ = ["assign_waves", "english_wave_request"]


def _season_of_wave(wave: str) -> str:
    return str(wave).split(" (")[0].strip().lower()


def assign_waves(products: pd.DataFrame, launches: pd.DataFrame) -> pd.DataFrame:
    """Match each product to a wave of the launch calendar.

    Parameters
    ----------
    products : pandas.DataFrame
        Products with ``sku`` and a ``launch_wave`` (or ``wave``) column, or a ``launch_date``.
    launches : pandas.DataFrame
        Output of :func:`~forecasting.timing.recommend_launches` (total sales, one row per wave).

    Returns
    -------
    pandas.DataFrame
        ``sku``, ``wave``, ``anchor``, ``delivery_date``, ``shelf_start``, ``expected_onset``,
        ``expected_peak``, in the order of ``products``.

    Raises
    ------
    DataValidationError
        When a product names a wave that the calendar does not have (the message lists the waves).

    Examples
    --------
    >>> import pandas as pd
    >>> launches = pd.DataFrame({
    ...     "wave": ["autumn (处暑)", "autumn (霜降)"], "anchor": ["处暑", "霜降"],
    ...     "delivery_date": pd.to_datetime(["2012-09-10", "2012-10-15"]),
    ...     "shelf_start": pd.to_datetime(["2012-09-11", "2012-10-16"]),
    ...     "expected_onset": pd.to_datetime(["2012-09-22", "2012-10-27"]),
    ...     "expected_peak": pd.to_datetime(["2012-10-03", "2012-11-14"])})
    >>> products = pd.DataFrame({"sku": ["A", "B"], "launch_wave": ["autumn", "late autumn"]})
    >>> assign_waves(products, launches)[["sku", "wave"]].values.tolist()
    [['A', 'autumn (处暑)'], ['B', 'autumn (霜降)']]
    >>> chinese = pd.DataFrame({"sku": ["A", "B"], "launch_wave": ["秋", "晚秋"]})
    >>> assign_waves(chinese, launches)["wave"].tolist()
    ['autumn (处暑)', 'autumn (霜降)']
    """
    waves = launches.sort_values("delivery_date").reset_index(drop=True)
    seasons = waves["wave"].map(_season_of_wave)
    column = next((c for c in ("launch_wave", "wave") if c in products.columns), None)
    keep = ["wave", "anchor", "delivery_date", "shelf_start", "expected_onset", "expected_peak"]
    rows: list[int] = []
    bad: list[str] = []
    for _, product in products.iterrows():
        wanted = str(product[column]).strip() if column and pd.notna(product[column]) else ""
        if wanted:
            index = _match_wave(wanted, waves, seasons)
            if index is None:
                bad.append(f"{product['sku']!r} ({column}={wanted!r})")
                rows.append(-1)
            else:
                rows.append(index)
        elif "launch_date" in products.columns and pd.notna(product.get("launch_date")):
            gap = (waves["delivery_date"] - pd.Timestamp(product["launch_date"])).abs()
            rows.append(int(gap.to_numpy().argmin()))
        else:
            bad.append(f"{product['sku']!r} (no {column or 'launch_wave'} and no launch_date)")
            rows.append(-1)
    if bad:
        shown = "; ".join(bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
        raise DataValidationError(
            f"products: column {column or 'launch_wave'!r}: {len(bad)} product(s) match no "
            f"wave of the launch calendar: {shown}. The waves are: {', '.join(waves['wave'])}. "
            "Fix: name a season (spring, autumn, late autumn, 春, 秋季, 晚秋, ...), an anchor "
            "(白露, Spring Festival, 春节) or a wave name."
        )
    matched = waves.loc[rows, keep].reset_index(drop=True)
    return pd.concat([products[["sku"]].reset_index(drop=True), matched], axis=1)


_SEASONS_ZH = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}
_WHEN_ZH = {"早": "early ", "初": "early ", "晚": "late ", "深": "late "}
_DIGITS_ZH = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_ZH_WAVE = re.compile(
    r"(?P<when>[早初晚深])?(?P<season>[春夏秋冬])(?:季|天|装|款)?(?:波段|波)?"
    r"\s*(?:第?(?P<n>\d+|[一二两三四五六])(?:波段|波)?)?"
)
_ZH_LABEL = re.compile(r"^(?P<season>\S+?)\s*[（(](?P<anchor>.+)[）)]$")


def english_wave_request(wanted: str) -> str:
    """A Chinese wave request in the English words :func:`assign_waves` matches.

    ``春`` / ``春季`` -> ``spring``, ``晚秋`` -> ``late autumn``, ``秋季第2波`` -> ``autumn 2``,
    ``秋季（白露）`` -> ``白露``; anything else is returned as it is.

    Examples
    --------
    >>> [english_wave_request(w) for w in ["春", "秋季", "晚秋", "冬季第二波", "秋季（白露）", "x"]]
    ['spring', 'autumn', 'late autumn', 'winter 2', '白露', 'x']
    """
    text = wanted.strip()
    match = _ZH_WAVE.fullmatch(text)
    if match is not None:
        out = _WHEN_ZH.get(match["when"] or "", "") + _SEASONS_ZH[match["season"]]
        n = match["n"]
        if n:
            out += f" {int(n) if n.isdigit() else _DIGITS_ZH[n]}"
        return out
    label = _ZH_LABEL.match(text)
    if label is not None and _ZH_WAVE.fullmatch(label["season"]):
        return label["anchor"].strip()
    return text


def _match_wave(wanted: str, waves: pd.DataFrame, seasons: pd.Series) -> int | None:
    text = english_wave_request(wanted).lower()
    anchors_zh = waves["anchor"].map(lambda a: event_label(str(a), "zh").lower())
    exact = waves.index[
        (waves["wave"].str.lower() == text)
        | (waves["anchor"].str.lower() == text)
        | (anchors_zh == text)
    ]
    if len(exact):
        return int(exact[0])
    match = re.fullmatch(r"(early |late )?(spring|summer|autumn|fall|winter)( \d+)?", text)
    if match is None:
        return None
    season = "autumn" if match.group(2) == "fall" else match.group(2)
    candidates = list(waves.index[seasons == season])
    if not candidates:
        return None
    if match.group(3):
        k = int(match.group(3)) - 1
        return int(candidates[k]) if 0 <= k < len(candidates) else None
    return int(candidates[-1] if match.group(1) == "late " else candidates[0])
