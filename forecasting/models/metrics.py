"""Forecast accuracy: WAPE, MASE, pinball loss and interval coverage.

All functions take array-likes and ignore positions where the actual is missing (``NaN``).

Examples
--------
>>> wape([10, 20, 30], [12, 18, 30])
0.06666666666666667
>>> coverage([1, 5, 9], [0, 6, 8], [2, 7, 10])
0.6666666666666666
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["coverage", "forecast_metrics", "mase", "mase_scale", "pinball_loss", "wape"]

ArrayLike = npt.ArrayLike


def _pair(actual: ArrayLike, forecast: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(actual, dtype=float).ravel()
    f = np.asarray(forecast, dtype=float).ravel()
    if a.shape != f.shape:
        raise ValueError(
            f"actual has {a.size} values, forecast {f.size}; pass arrays of the same length"
        )
    keep = ~np.isnan(a) & ~np.isnan(f)
    return a[keep], f[keep]


def wape(actual: ArrayLike, forecast: ArrayLike) -> float:
    """Weighted absolute percentage error: ``sum |actual - forecast| / sum |actual|``.

    Parameters
    ----------
    actual, forecast : array-like
        Same length.

    Returns
    -------
    float
        ``nan`` when the actuals sum to zero.

    Examples
    --------
    >>> wape([0, 10], [1, 9])
    0.2
    """
    a, f = _pair(actual, forecast)
    total = np.abs(a).sum()
    return float(np.abs(a - f).sum() / total) if total > 0 else float("nan")


def mase_scale(history: ArrayLike, season: int = 1) -> float:
    """In-sample mean absolute error of the (seasonal) naive forecast, the denominator of MASE.

    Parameters
    ----------
    history : array-like
        Training values in time order.
    season : int
        Lag of the naive forecast; falls back to 1 when the history is shorter than two seasons'
        worth.

    Returns
    -------
    float
        ``nan`` when it cannot be computed (fewer than two values).

    Examples
    --------
    >>> mase_scale([1, 2, 4, 8])
    2.3333333333333335
    """
    h = np.asarray(history, dtype=float).ravel()
    h = h[~np.isnan(h)]
    lag = season if len(h) > season else 1
    if len(h) <= lag:
        return float("nan")
    return float(np.abs(h[lag:] - h[:-lag]).mean())


def mase(actual: ArrayLike, forecast: ArrayLike, scale: float) -> float:
    """Mean absolute scaled error: mean absolute error divided by :func:`mase_scale` of the history.

    Parameters
    ----------
    actual, forecast : array-like
        Same length.
    scale : float
        From :func:`mase_scale`.

    Returns
    -------
    float
        ``nan`` when ``scale`` is zero or missing.

    Examples
    --------
    >>> mase([3, 5], [4, 4], scale=2.0)
    0.5
    """
    a, f = _pair(actual, forecast)
    if not np.isfinite(scale) or scale <= 0 or len(a) == 0:
        return float("nan")
    return float(np.abs(a - f).mean() / scale)


def pinball_loss(actual: ArrayLike, forecast: ArrayLike, quantile: float) -> float:
    """Mean pinball (quantile) loss of the ``quantile`` forecast.

    Parameters
    ----------
    actual, forecast : array-like
        Same length.
    quantile : float
        Level in (0, 1).

    Returns
    -------
    float

    Examples
    --------
    >>> pinball_loss([10, 10], [8, 12], 0.9)
    1.0
    """
    a, f = _pair(actual, forecast)
    diff = a - f
    return (
        float(np.mean(np.maximum(quantile * diff, (quantile - 1) * diff)))
        if len(a)
        else float("nan")
    )


def coverage(actual: ArrayLike, lower: ArrayLike, upper: ArrayLike) -> float:
    """Share of actuals inside ``[lower, upper]``.

    Parameters
    ----------
    actual, lower, upper : array-like
        Same length.

    Returns
    -------
    float

    Examples
    --------
    >>> coverage([1, 2], [0, 3], [1, 4])
    0.5
    """
    a = np.asarray(actual, dtype=float).ravel()
    lo = np.asarray(lower, dtype=float).ravel()
    hi = np.asarray(upper, dtype=float).ravel()
    keep = ~np.isnan(a)
    if not keep.any():
        return float("nan")
    return float(((a[keep] >= lo[keep]) & (a[keep] <= hi[keep])).mean())


def forecast_metrics(
    frame: pd.DataFrame,
    quantiles: Sequence[float],
    by: Sequence[str] = (),
    scales: pd.Series | None = None,
    point: str | None = None,
) -> dict[str, float]:
    """All metrics of a forecast frame with an ``actual`` column.

    WAPE and MASE score the point forecast ``point`` (default the median ``p50`` when present, which
    minimises absolute error, else ``mean``); WAPE pools all series; MASE is the mean over series of
    each series' MASE (``scales`` indexed by the ``by`` keys, from :func:`mase_scale`). Coverage is
    that of the outermost quantiles, e.g. ``p10..p90`` (80 %).

    Parameters
    ----------
    frame : DataFrame
        ``actual``, ``mean``, quantile columns, and the ``by`` columns.
    quantiles : sequence of float
        Levels present as ``p..`` columns.
    by : sequence of str
        Key columns.
    scales : Series, optional
        MASE denominators per key (a ``MultiIndex`` for several keys); without it MASE is ``nan``.
    point : str, optional
        Column scored by WAPE and MASE.

    Returns
    -------
    dict
        ``wape, mase, pinball_p.., coverage_p..p..``.

    Examples
    --------
    >>> fr = pd.DataFrame({"actual": [10.0, 20.0], "mean": [11.0, 19.0], "p10": [8.0, 15.0],
    ...                    "p50": [10.0, 19.0], "p90": [12.0, 21.0]})
    >>> m = forecast_metrics(fr, (0.1, 0.5, 0.9))
    >>> round(m["wape"], 4), m["coverage_p10_p90"]
    (0.0333, 1.0)
    """
    from forecasting.models.base import quantile_columns

    levels = sorted(quantiles)
    names = quantile_columns(levels)
    point = point or ("p50" if "p50" in frame.columns else "mean")
    out: dict[str, float] = {"wape": wape(frame["actual"], frame[point])}
    if scales is not None:
        per_series = []
        groups = frame.groupby(list(by), sort=False) if by else [((), frame)]
        for key, part in groups:
            k = key[0] if isinstance(key, tuple) and len(key) == 1 else key
            scale = float(scales.get(k, np.nan)) if by else float(scales.iloc[0])
            per_series.append(mase(part["actual"], part[point], scale))
        values = np.asarray(per_series, dtype=float)
        out["mase"] = float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")
    else:
        out["mase"] = float("nan")
    for level, name in zip(levels, names, strict=True):
        out[f"pinball_{name}"] = pinball_loss(frame["actual"], frame[name], level)
    if len(levels) >= 2:
        out[f"coverage_{names[0]}_{names[-1]}"] = coverage(
            frame["actual"], frame[names[0]], frame[names[-1]]
        )
    return out
