"""solve(): the greedy prefix of items worth placing, against a plain sort over every item."""

from __future__ import annotations

import numpy as np
import pytest

from forecasting.allocation import solver
from forecasting.allocation.solver import NEGLIGIBLE, item_values, solve


def _greedy(
    mean: np.ndarray, sd: np.ndarray, lo: np.ndarray, hi: np.ndarray, n: int, rank: np.ndarray,
    p: int,
) -> np.ndarray:  # fmt: skip
    """Every item listed, negligible ones dropped, sorted (value, rank, item), a prefix taken."""
    value = item_values(mean, sd, p)
    extra = n - int(lo.sum())
    rows = []
    for i in range(len(mean)):
        j = np.arange(lo[i] + 1, min(hi[i], lo[i] + extra) + 1)
        v = value(np.full(len(j), i), j)
        ok = v >= NEGLIGIBLE * p
        rows.append(np.c_[-v[ok], np.full(ok.sum(), rank[i]), j[ok], np.full(ok.sum(), i)])
    items = np.concatenate(rows)
    order = np.lexsort((items[:, 2], items[:, 1], items[:, 0]))[:extra]
    x = lo.copy()
    np.add.at(x, items[order, 3].astype(int), 1)
    return x


def _case(rng: np.random.Generator, skewed: bool) -> tuple:
    n = int(rng.integers(1, 7))
    mean = rng.gamma(0.7, 20.0, n) * rng.choice([0.0, 1.0], n, p=[0.15, 0.85])
    if skewed:  # negative binomial with a tiny r: the quantile guess is poor, lambda is bisected
        sd = mean * rng.uniform(5.0, 300.0, n)
    else:
        sd = np.where(
            rng.random(n) < 0.5, np.sqrt(mean * (1 + rng.uniform(0, 3, n) * mean)), np.nan
        )
    p = int(rng.choice([1, 2, 5]))
    lo = np.where(rng.random(n) < 0.2, rng.integers(0, 4, n), 0).astype(np.int64)
    hi = np.where(rng.random(n) < 0.3, lo + rng.integers(0, 20, n), 2**40).astype(np.int64)
    extra = int(rng.integers(5_000, 9_000)) if skewed else int(rng.integers(0, 80))
    return mean, sd, lo, hi, int(lo.sum()) + extra, rng.permutation(n).astype(np.int64), p


@pytest.mark.parametrize("skewed", [False, True])
def test_equals_the_sorted_prefix_of_all_items(skewed: bool, monkeypatch) -> None:
    refined = []
    original = solver._refine
    monkeypatch.setattr(solver, "_refine", lambda *a: refined.append(1) or original(*a))
    rng = np.random.default_rng(11 if skewed else 12)
    for _ in range(12 if skewed else 40):
        mean, sd, lo, hi, n, rank, p = _case(rng, skewed)
        group = np.zeros(len(mean), dtype=np.int64)
        got = solve(mean, sd, lo, hi, np.array([n]), group, rank, p)
        np.testing.assert_array_equal(got, _greedy(mean, sd, lo, hi, n, rank, p))
    assert bool(refined) == skewed  # the bisection on lambda is exercised, and only when needed


def test_far_more_items_than_the_stores_take() -> None:
    mean = np.array([5.0, 1.0, 0.0, 40.0])
    sd = np.array([np.nan, np.nan, np.nan, 90.0])
    lo = np.array([0, 0, 3, 0])
    big = np.full(4, 2**62 - 10, dtype=np.int64)
    group, rank = np.zeros(4, dtype=np.int64), np.arange(4)
    x = solve(mean, sd, lo, big, np.array([10**15]), group, rank, 1)
    # each store stops at its last item worth NEGLIGIBLE; the zero-demand store keeps its minimum
    value = item_values(mean, sd, 1)
    assert x[2] == 3
    take = np.array([0, 1, 3])
    assert (value(take, x[take]) >= NEGLIGIBLE).all() and (
        value(take, x[take] + 1) < NEGLIGIBLE
    ).all()
    # the same as a quantity the stores can just take
    exact = solve(mean, sd, lo, big, np.array([int(x.sum())]), group, rank, 1)
    np.testing.assert_array_equal(exact, x)
