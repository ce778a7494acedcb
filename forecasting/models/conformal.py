"""Calibrated quantiles from backtest errors, pooled over series (split-conformal style).

The ``"auto"`` model keeps, for each series, the errors of its chosen forecast on the latest
backtest window (the fit on the most history, the closest to the final fit):
``e = log1p(actual) - log1p(forecast)`` per horizon step. The errors of a
series are divided by their root mean square (the series' own scale), so that series of every size
can be pooled; the quantiles of the pooled, scaled errors are taken per horizon step (with the
neighbouring steps, until at least ``min_samples`` errors are in hand), so that the interval widens
with the horizon as the errors did. A forecast's quantile ``q`` at step ``k`` is then
``expm1(log1p(p50) + scale * Q_k(q))``: 80 % of the backtest errors fell inside the 80 % interval,
by construction, and the interval of each series is as wide as its own errors were.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> errors = {("A",): rng.normal(0, 0.1, (2, 10)), ("B",): rng.normal(0, 0.3, (2, 10))}
>>> cal = Calibration.from_errors(errors, (0.1, 0.5, 0.9), min_samples=20)
>>> cal.table.shape, bool(cal.scales[("B",)] > 2 * cal.scales[("A",)])
((10, 3), True)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Calibration"]

#: Smallest scale of a series' log errors (a series forecast perfectly in its backtest still gets
#: an interval of about +-1 %).
MIN_SCALE = 0.01


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
        Root mean square of each series' log errors, by series key.
    samples : int
        Errors pooled in all.
    """

    quantiles: tuple[float, ...]
    table: np.ndarray = field(repr=False)
    scales: dict[Hashable, float] = field(repr=False)
    samples: int = 0

    @classmethod
    def from_errors(
        cls,
        errors: Mapping[Hashable, np.ndarray],
        quantiles: Sequence[float],
        *,
        min_samples: int = 200,
    ) -> Calibration | None:
        """Pool the backtest errors of many series.

        Parameters
        ----------
        errors : mapping
            ``{series key: array (windows, steps)}`` of log errors (``NaN`` where unknown).
        quantiles : sequence of float
            Levels to calibrate.
        min_samples : int
            Errors needed per horizon step; neighbouring steps are pooled until there are as many
            (or all steps are).

        Returns
        -------
        Calibration or None
            ``None`` when no series has a finite error.
        """
        scales: dict[Hashable, float] = {}
        steps = max((np.shape(e)[1] for e in errors.values()), default=0)
        rows = []  # scaled errors, one row per series and window, NaN-padded to ``steps``
        for key, e in errors.items():
            e = np.asarray(e, dtype=float)
            finite = e[np.isfinite(e)]
            if finite.size == 0:
                continue
            scale = max(float(np.sqrt(np.mean(finite**2))), MIN_SCALE)
            scales[key] = scale
            padded = np.full((e.shape[0], steps), np.nan)
            padded[:, : e.shape[1]] = e / scale
            rows.append(padded)
        if not scales:
            return None
        scaled = np.vstack(rows)
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
        return cls(levels, table, scales, int(counts.sum()))

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
