"""Calibrated quantiles from backtest errors, pooled over series (split-conformal style).

The ``"auto"`` model hands over, for each series, the errors of its chosen forecast on the
backtest windows, latest window first: ``e = log1p(actual) - log1p(forecast)`` per window and
horizon step. The intervals are built in three steps.

1. **Scales.** Each series' scale is the root mean square of its errors on the latest window (the
   fit on the most history, the closest to the final one), at least :data:`MIN_SCALE`. One window
   of errors, all from one forecast origin, measures a series' scale only roughly: a series whose
   backtest went well by luck would get too narrow an interval, one whose backtest went badly too
   wide a one (on 300 of Walmart's weekly series, with each series' own scale, the 80 % interval
   covered 68 % of the test weeks of the third of series with the smallest scales and 85 % of the
   third with the largest; 80 % and 78 % once shrunk). So the log scale of a series is shrunk
   towards the median log scale of all series, as if the median were :data:`PRIOR_ERRORS` more
   errors of the series: with ``n`` errors the series' own log scale weighs
   ``n / (n + PRIOR_ERRORS)`` (one half for 13 errors, 0.67 for a 26-week window, 0.97 for a
   364-day one).
2. **Table.** The latest window's errors divided by their series' scale are pooled over series, and
   their quantiles taken per horizon step (with the neighbouring steps, until at least
   ``min_samples`` errors are in hand), so that the interval widens with the horizon as the errors
   did; each bound is then held at least as far out as at the steps before (the interval never
   narrows with the horizon). Over a long horizon with few series this also holds the width of
   one calendar event of the backtest window (the Spring Festival of a daily backtest year) for
   the rest of the horizon, and the interval is then too wide.
3. **History factor.** The final fit has more history than the latest backtest window, as that
   window had more than the one before. Where the series have a second window, the median over the
   series of ``rms(latest window) / rms(window before)`` (on their common steps) tells how the
   errors changed as the history grew; half that step (its square root) is taken again for the
   final fit and the scales are multiplied by it, bounded to :data:`HISTORY_BOUNDS` (the interval
   is narrowed by at most 30 % and never widened: errors that grew with more history are taken as
   chance, not as a trend to extrapolate). The median over the series keeps one series' noise
   out of it; a calibration of a single series has only that series' ratio, and then the half
   step and the bounds are what limit it.

A forecast's quantile ``q`` at step ``k`` is then ``expm1(log1p(p50) + scale * Q_k(q))``; the
median stays the point forecast. The table is calibrated for the scales it is applied with: 80 %
of the latest window's errors, divided by their (shrunk) scales, fell inside the 80 % interval.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> errors = {("A",): rng.normal(0, 0.1, (2, 10)), ("B",): rng.normal(0, 0.3, (2, 10))}
>>> cal = Calibration.from_errors(errors, (0.1, 0.5, 0.9), min_samples=20)
>>> cal.table.shape, bool(cal.scales[("B",)] > 1.5 * cal.scales[("A",)])
((10, 3), True)
>>> 0.7 <= cal.history_factor <= 1.0
True
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np

__all__ = ["HISTORY_BOUNDS", "MIN_SCALE", "PRIOR_ERRORS", "Calibration"]

#: Smallest scale of a series' log errors (a series forecast perfectly in its backtest still gets
#: an interval of about +-1 %).
MIN_SCALE = 0.01

#: How many of a series' own errors the median scale of all series counts for when a series' scale
#: is shrunk towards it.
PRIOR_ERRORS = 13.0

#: Bounds of the history factor that multiplies the scales (narrow by at most 30 %, never widen).
HISTORY_BOUNDS = (0.7, 1.0)

K = TypeVar("K", bound=Hashable)


def _rms(values: np.ndarray) -> float:
    """Root mean square of the finite values (``nan`` when there are none)."""
    finite = values[np.isfinite(values)]
    return float(np.sqrt(np.mean(finite**2))) if finite.size else float("nan")


def shrunk_scales(
    errors: Mapping[K, np.ndarray], prior_errors: float = PRIOR_ERRORS
) -> dict[K, float]:
    """Each series' scale, shrunk on the log scale towards the median of all series.

    Parameters
    ----------
    errors : mapping
        ``{series key: array (steps,)}`` of log errors of one window (``NaN`` where unknown).
    prior_errors : float
        How many errors of a series the median log scale counts for: a series with ``n`` finite
        errors keeps the weight ``n / (n + prior_errors)`` on its own log scale; ``0`` keeps the
        series' own scales.

    Returns
    -------
    dict
        ``{key: scale}`` for the series with a finite error; each scale at least
        :data:`MIN_SCALE`.

    Examples
    --------
    >>> e = {"A": np.full(13, 0.1), "B": np.full(13, 0.4), "C": np.full(13, 0.2)}
    >>> {k: round(v, 3) for k, v in shrunk_scales(e).items()}
    {'A': 0.141, 'B': 0.283, 'C': 0.2}
    >>> {k: round(v, 3) for k, v in shrunk_scales(e, prior_errors=0).items()}
    {'A': 0.1, 'B': 0.4, 'C': 0.2}
    """
    own: dict[K, tuple[float, int]] = {}
    for key, e in errors.items():
        e = np.asarray(e, dtype=float)
        n = int(np.isfinite(e).sum())
        if n:
            own[key] = (np.log(max(_rms(e), MIN_SCALE)), n)
    if not own:
        return {}
    center = float(np.median([log for log, _ in own.values()]))
    return {
        key: float(np.exp((n * log + prior_errors * center) / (n + prior_errors)))
        for key, (log, n) in own.items()
    }


def history_factor(
    errors: Mapping[K, np.ndarray], bounds: tuple[float, float] = HISTORY_BOUNDS
) -> float:
    """How much the errors' scale is expected to change from the latest window to the final fit.

    The median over the series of ``rms(window 0) / rms(window 1)``, on the steps where both
    windows have an error (window 0 is the latest, fit on the most history), is the change of the
    errors' scale from one window to the next; its square root (half that step, on the log scale)
    bounded to ``bounds`` is the factor. Series with a single window do not count; with none, the
    factor is 1.

    Parameters
    ----------
    errors : mapping
        ``{series key: array (windows, steps)}`` of log errors, the latest window first.
    bounds : tuple of float
        Smallest and largest factor.

    Returns
    -------
    float
        The factor, within ``bounds``.

    Examples
    --------
    >>> latest, before = np.full(8, 0.1), np.full(8, 0.2)
    >>> round(history_factor({"A": np.stack([latest, before])}), 4)  # sqrt(0.5)
    0.7071
    >>> history_factor({"A": np.stack([before, latest])}), history_factor({"A": latest[None]})
    (1.0, 1.0)
    """
    ratios = []
    for e in errors.values():
        e = np.asarray(e, dtype=float)
        if e.ndim != 2 or e.shape[0] < 2:
            continue
        both = np.isfinite(e[0]) & np.isfinite(e[1])
        latest, before = _rms(e[0][both]), _rms(e[1][both])
        if both.any() and before > 0:
            ratios.append(latest / before)
    if not ratios:
        return 1.0
    return float(np.clip(np.sqrt(np.median(ratios)), *bounds))


@dataclass(frozen=True)
class Calibration:
    """Pooled quantiles of scaled backtest errors per horizon step, and each series' scale.

    Attributes
    ----------
    quantiles : tuple of float
        The levels of the table's columns.
    table : ndarray, shape (steps, len(quantiles))
        Quantiles of the scaled log errors per horizon step (steps past the last row use it).
    scales : dict
        The scale of each series' log errors, by series key: the root mean square of its errors
        on the latest window, shrunk towards the median of all series, times ``history_factor``.
    samples : int
        Errors pooled in all.
    history_factor : float
        The factor the scales were multiplied by for the longer history of the final fit
        (:func:`history_factor`).
    """

    quantiles: tuple[float, ...]
    table: np.ndarray = field(repr=False)
    scales: dict[Hashable, float] = field(repr=False)
    samples: int = 0
    history_factor: float = 1.0

    @classmethod
    def from_errors(
        cls,
        errors: Mapping[K, np.ndarray],
        quantiles: Sequence[float],
        *,
        min_samples: int = 200,
        prior_errors: float = PRIOR_ERRORS,
        history_bounds: tuple[float, float] = HISTORY_BOUNDS,
    ) -> Calibration | None:
        """Pool the backtest errors of many series.

        Parameters
        ----------
        errors : mapping
            ``{series key: array (windows, steps)}`` of log errors (``NaN`` where unknown), the
            latest window first. The scales and the table come from the latest window; the
            windows before it only tell the history factor.
        quantiles : sequence of float
            Levels to calibrate.
        min_samples : int
            Errors needed per horizon step; neighbouring steps are pooled until there are as many
            (or all steps are).
        prior_errors : float
            Weight of the median scale when each series' scale is shrunk towards it
            (:func:`shrunk_scales`); ``0``: each series' own scale.
        history_bounds : tuple of float
            Bounds of the history factor (:func:`history_factor`); ``(1.0, 1.0)``: none.

        Returns
        -------
        Calibration or None
            ``None`` when no series has a finite error on its latest window.

        Examples
        --------
        >>> rng = np.random.default_rng(1)
        >>> errors = {i: rng.normal(0, 0.1, (2, 6)) * [[1.0], [1.5]] for i in range(40)}
        >>> cal = Calibration.from_errors(errors, (0.1, 0.5, 0.9))
        >>> cal.samples, round(cal.history_factor, 2)  # errors shrank by a third: about sqrt(2/3)
        (240, 0.8)
        """
        latest = {key: np.atleast_2d(np.asarray(e, dtype=float))[0] for key, e in errors.items()}
        shrunk = shrunk_scales(latest, prior_errors)
        if not shrunk:
            return None
        steps = max(e.shape[0] for e in latest.values())
        # scaled errors, one row per series, NaN-padded to ``steps``
        scaled = np.full((len(shrunk), steps), np.nan)
        for row, (key, scale) in enumerate(shrunk.items()):
            scaled[row, : latest[key].shape[0]] = latest[key] / scale
        counts = np.isfinite(scaled).sum(axis=0)
        levels = tuple(float(q) for q in quantiles)
        table = np.zeros((steps, len(levels)))
        for k in range(steps):
            lo, hi = k, k + 1
            while counts[lo:hi].sum() < min_samples and (lo > 0 or hi < steps):
                lo, hi = max(lo - 1, 0), min(hi + 1, steps)
            sample = scaled[:, lo:hi]
            sample = sample[np.isfinite(sample)]
            table[k] = np.quantile(sample, levels) if sample.size else 0.0
        # the interval never narrows with the horizon: each bound is at least as far out as before
        below = np.array(levels) < 0.5
        above = np.array(levels) > 0.5
        table[:, below] = np.minimum.accumulate(table[:, below], axis=0)
        table[:, above] = np.maximum.accumulate(table[:, above], axis=0)
        factor = history_factor({key: errors[key] for key in shrunk}, history_bounds)
        scales: dict[Hashable, float] = {
            key: max(scale * factor, MIN_SCALE) for key, scale in shrunk.items()
        }
        return cls(levels, table, scales, int(counts.sum()), factor)

    def apply(self, key: Hashable, point: np.ndarray, quantile_values: np.ndarray) -> np.ndarray:
        """Calibrated quantiles for one series' forecast.

        Parameters
        ----------
        key : hashable
            The series key (a series without backtest errors keeps ``quantile_values``).
        point : ndarray, shape (h,)
            The point forecast (the median of the chosen model).
        quantile_values : ndarray, shape (h, len(quantiles))
            The model's own quantiles.

        Returns
        -------
        ndarray, shape (h, len(quantiles))
            The median stays the point forecast; the other levels come from the pooled errors.

        Examples
        --------
        >>> cal = Calibration((0.1, 0.5, 0.9), np.array([[-1.0, 0.0, 1.0]]), {"A": 0.5})
        >>> cal.apply("A", np.array([np.e - 1]), np.zeros((1, 3))).round(3).tolist()
        [[0.649, 1.718, 3.482]]
        """
        scale = self.scales.get(key)
        if scale is None or len(self.table) == 0:
            return quantile_values
        steps = np.minimum(np.arange(len(point)), len(self.table) - 1)
        logs = np.log1p(np.clip(point, 0.0, None))[:, None] + scale * self.table[steps]
        out = np.expm1(logs)
        middle = [j for j, q in enumerate(self.quantiles) if q == 0.5]
        if middle:
            out[:, middle[0]] = point
        return np.sort(np.clip(out, 0.0, None), axis=1)
