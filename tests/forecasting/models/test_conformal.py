"""Calibrated quantiles of ``"auto"``: shrunk scales, the history factor, the pooled table."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.models.conformal import (
    HISTORY_BOUNDS,
    MIN_SCALE,
    Calibration,
    history_factor,
    shrunk_scales,
)

LEVELS = (0.1, 0.5, 0.9)


def _two_windows(
    ratio: float, n_series: int = 50, steps: int = 12, *, same: bool = False, seed: int = 0
) -> dict:
    """Errors of ``n_series`` series: the window before the latest ``1 / ratio`` times as large
    (``same``: the same errors, scaled, so that the ratio of every series is exactly ``ratio``)."""
    rng = np.random.default_rng(seed)
    size = (1 if same else 2, steps)
    return {i: rng.normal(0, 0.1, size) * np.array([[1.0], [1.0 / ratio]]) for i in range(n_series)}


def _width(cal: Calibration, key: object) -> float:
    out = cal.apply(key, np.full(len(cal.table), 100.0), np.zeros((len(cal.table), 3)))
    return float(np.mean(out[:, 2] - out[:, 0]))


def test_errors_that_shrank_with_history_narrow_the_interval() -> None:
    errors = _two_windows(0.5)  # the window before the latest had errors twice as large
    corrected = Calibration.from_errors(errors, LEVELS, prior_errors=0)
    plain = Calibration.from_errors(errors, LEVELS, prior_errors=0, history_bounds=(1.0, 1.0))
    assert corrected is not None and plain is not None
    # half the step of a halving, on the log scale: about sqrt(1/2)
    assert corrected.history_factor == pytest.approx(np.sqrt(0.5), abs=0.05)
    assert plain.history_factor == 1.0
    np.testing.assert_array_equal(corrected.table, plain.table)  # the table is the latest window's
    for key in errors:
        assert corrected.scales[key] == pytest.approx(plain.scales[key] * corrected.history_factor)
    assert _width(corrected, 0) < 0.8 * _width(plain, 0)


@pytest.mark.parametrize(
    ("ratio", "expected"),
    [(0.1, HISTORY_BOUNDS[0]), (1.0, 1.0), (3.0, HISTORY_BOUNDS[1])],
)
def test_the_history_factor_stays_within_its_bounds(ratio: float, expected: float) -> None:
    # errors ten times smaller than before: narrowed by at most the lower bound; errors that grew
    # with more history never widen the interval
    factor = history_factor(_two_windows(ratio, same=True))
    assert factor == pytest.approx(expected)
    assert HISTORY_BOUNDS[0] <= factor <= HISTORY_BOUNDS[1]


def test_the_history_factor_is_pooled_not_one_series_noise() -> None:
    errors = _two_windows(1.0, n_series=21)
    errors[0] = errors[0] * np.array([[0.05], [1.0]])  # one series' errors fell twentyfold
    assert history_factor(errors) > 0.9
    # one window only (weekly data with a short history): nothing to compare, no factor
    assert history_factor({k: e[:1] for k, e in errors.items()}) == 1.0
    cal = Calibration.from_errors({k: e[0] for k, e in errors.items()}, LEVELS)  # 1-d: one window
    assert cal is not None and cal.history_factor == 1.0


def test_scales_are_shrunk_towards_the_median_by_their_own_count() -> None:
    rng = np.random.default_rng(2)
    base = rng.normal(0, 1, 364)
    errors = {
        "small": 0.05 * base[:13],
        "median": 0.2 * base[:13],
        "large": 0.8 * base[:13],
        "long small": 0.05 * base,  # a year of daily errors: its own scale is well measured
    }
    own = shrunk_scales(errors, prior_errors=0)
    shrunk = shrunk_scales(errors)
    for key, e in errors.items():
        assert own[key] == pytest.approx(np.sqrt(np.mean(e**2)))
    assert own["small"] < shrunk["small"] < shrunk["median"] < shrunk["large"] < own["large"]
    # 13 errors weigh half against the median: the geometric mean of the two on the log scale
    center = np.exp(np.median(np.log(list(own.values()))))
    assert shrunk["small"] == pytest.approx(np.sqrt(own["small"] * center))
    assert shrunk["long small"] / own["long small"] < shrunk["small"] / own["small"]
    assert shrunk["long small"] / own["long small"] < 1.1


def test_shrinking_evens_out_coverage_of_series_whose_scales_differ_by_chance() -> None:
    # 400 series of one true scale; 13 backtest errors each make some look calm, some wild
    rng = np.random.default_rng(5)
    n_series, steps = 400, 13
    backtest = {i: rng.normal(0, 0.2, (1, steps)) for i in range(n_series)}
    future = {i: rng.normal(0, 0.2, steps) for i in range(n_series)}
    own_rms = np.array([np.sqrt(np.mean(backtest[i] ** 2)) for i in range(n_series)])
    calm = own_rms <= np.quantile(own_rms, 1 / 3)

    def coverage_of_calm(cal: Calibration) -> float:
        inside = []
        for i in map(int, np.flatnonzero(calm)):
            z = future[i] / cal.scales[i]
            inside.append((z >= cal.table[:, 0]) & (z <= cal.table[:, 2]))
        return float(np.mean(inside))

    own = Calibration.from_errors(backtest, LEVELS, prior_errors=0)
    shrunk = Calibration.from_errors(backtest, LEVELS)
    assert own is not None and shrunk is not None
    assert coverage_of_calm(own) < 0.75  # the calm-looking third gets too narrow an interval
    assert abs(coverage_of_calm(shrunk) - 0.8) < abs(coverage_of_calm(own) - 0.8) - 0.03


def test_the_table_covers_the_latest_windows_scaled_errors() -> None:
    rng = np.random.default_rng(1)
    errors = {
        (i,): rng.normal(0, 0.05 * (1 + i % 3), (2, 12)) * np.sqrt(np.arange(1, 13))
        for i in range(60)
    }
    cal = Calibration.from_errors(errors, LEVELS, min_samples=100, history_bounds=(1.0, 1.0))
    assert cal is not None and cal.samples == 60 * 12  # the latest window only
    width = cal.table[:, 2] - cal.table[:, 0]
    assert (np.diff(width) >= 0).all()  # never narrows with the horizon
    inside = [
        (e[0] / cal.scales[key] >= cal.table[:, 0]) & (e[0] / cal.scales[key] <= cal.table[:, 2])
        for key, e in errors.items()
    ]
    assert 0.75 <= np.mean(inside) <= 0.85


def test_a_perfect_backtest_keeps_the_smallest_scale_and_the_median_stays_the_point() -> None:
    errors = {"A": np.zeros((2, 4)), "B": np.zeros((2, 4))}
    cal = Calibration.from_errors(errors, LEVELS, min_samples=1)
    assert cal is not None and cal.scales == pytest.approx({"A": MIN_SCALE, "B": MIN_SCALE})
    point = np.array([5.0, 7.0, 9.0])
    out = cal.apply("A", point, np.zeros((3, 3)))
    np.testing.assert_allclose(out[:, 1], point)
    assert Calibration.from_errors({"A": np.full((2, 3), np.nan)}, LEVELS) is None
