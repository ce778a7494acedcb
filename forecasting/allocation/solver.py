"""The exact marginal-analysis solver behind :func:`forecasting.allocation.allocate` (numpy only).

Problem, for each product ``g`` over its stores ``i``: choose whole items (units, or packs of
``pack_size`` units) ``lo_i <= x_i <= hi_i`` with ``sum x_i = min(n_g, sum hi_i)`` maximising
``sum_i E[min(D_i, x_i p)]``. The objective is separable and concave in ``x_i``, so the greedy rule
(every next item goes to the store whose next item has the largest expected sales ``v_i(j)``; ties
to the lower store rank, then the lower item) is exactly optimal. Its result is the first ``n_g -
sum lo_i`` items of one fixed order of all items, so it is monotone in ``n_g`` and deterministic.

The solver reaches that prefix without a heap over units:

1. a per-product bisection on a normal level ``z`` with a cheap Cornish-Fisher quantile guess gives
a
   threshold ``lambda``;
2. each store's exact count of items worth at least ``lambda`` is found by galloping and binary
search
   on the exact item values (a handful of vectorised ``gammainc``/``betainc`` calls);
3. the few items the threshold set has too many or too few are added or removed exactly, by sorting
   windows of candidate items (widened until no store outside the window could compete).

Examples
--------
>>> import numpy as np
>>> nan = np.array([np.nan, np.nan])
>>> x = solve(np.array([5.0, 1.0]), nan, np.array([0, 0]), np.array([99, 99]),
...           np.array([4]), np.array([0, 0]), np.array([0, 1]), 1)
>>> x.tolist()
[4, 0]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

from forecasting.depth.distributions import nb_parameters, quantile_terms, sf_params

__all__ = ["item_values", "solve"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ValueFn = Callable[[IntArray, IntArray], FloatArray]


def item_values(mean: FloatArray, sd: FloatArray, pack_size: int) -> ValueFn:
    """Return ``value(pairs, j)``: expected sales of item ``j`` (>= 1, a pack) of each pair.

    The value of pack ``j`` is ``sum_{t=1..p} P(D >= (j - 1) p + t)``, summed in a fixed order so
    that the same item always gets bit-identical values.

    Examples
    --------
    >>> import numpy as np
    >>> value = item_values(np.array([2.0]), np.array([np.nan]), 2)
    >>> value(np.array([0, 0]), np.array([1, 2])).round(4).tolist()
    [1.4587, 0.4662]
    """
    m, r, q, is_nb = nb_parameters(mean, sd)
    p = int(pack_size)

    def value(pairs: IntArray, j: IntArray) -> FloatArray:
        mm, rr, qq, nb = m[pairs], r[pairs], q[pairs], is_nb[pairs]
        first = (np.asarray(j, dtype=np.int64) - 1) * p
        acc = np.zeros(len(pairs), dtype=float)
        for t in range(1, p + 1):
            acc = acc + sf_params(mm, rr, qq, nb, first + t)
        return acc

    return value


def _largest_good(
    value: ValueFn, pairs: IntArray, good: IntArray, bad: IntArray, lam: FloatArray
) -> IntArray:
    """Binary search: the largest ``x`` in ``[good, bad)`` with ``value(x) >= lam``."""
    good, bad = good.copy(), bad.copy()
    while True:
        open_ = bad - good > 1
        if not open_.any():
            return good
        idx = np.flatnonzero(open_)
        mid = (good[idx] + bad[idx]) // 2
        ok = value(pairs[idx], mid) >= lam[idx]
        good[idx[ok]] = mid[ok]
        bad[idx[~ok]] = mid[~ok]


def _threshold_counts(
    value: ValueFn, guess: IntArray, lo: IntArray, hi: IntArray, lam: FloatArray
) -> IntArray:
    """Exact ``x_i = max{x in [lo, hi] : value(i, j) >= lam for j in (lo, x]}``, from ``guess``."""
    n = len(guess)
    pairs = np.arange(n, dtype=np.int64)
    x = guess.copy()
    up = np.zeros(n, dtype=bool)
    can_up = x < hi
    up[can_up] = value(pairs[can_up], x[can_up] + 1) >= lam[can_up]
    down = np.zeros(n, dtype=bool)
    can_down = (x > lo) & ~up
    down[can_down] = value(pairs[can_down], x[can_down]) < lam[can_down]
    # going up: gallop from x + 1 (good) until a bad item or hi + 1
    idx = np.flatnonzero(up)
    good, step = x[idx] + 1, np.ones(len(idx), dtype=np.int64)
    bad = np.full(len(idx), -1, dtype=np.int64)
    live = np.ones(len(idx), dtype=bool)
    while live.any():
        k = np.flatnonzero(live)
        probe = good[k] + step[k]
        beyond = probe > hi[idx[k]]
        bad[k[beyond]] = hi[idx[k[beyond]]] + 1
        live[k[beyond]] = False
        k, probe = k[~beyond], probe[~beyond]
        ok = value(idx[k], probe) >= lam[idx[k]]
        good[k[ok]] = probe[ok]
        step[k[ok]] *= 2
        bad[k[~ok]] = probe[~ok]
        live[k[~ok]] = False
    x[idx] = _largest_good(value, idx, good, bad, lam[idx])
    # going down: x is bad; gallop down to a good item or lo (lo counts as good)
    idx = np.flatnonzero(down)
    bad, step = x[idx], np.ones(len(idx), dtype=np.int64)
    good = np.full(len(idx), -1, dtype=np.int64)
    live = np.ones(len(idx), dtype=bool)
    while live.any():
        k = np.flatnonzero(live)
        probe = bad[k] - step[k]
        floor = probe <= lo[idx[k]]
        good[k[floor]] = lo[idx[k[floor]]]
        live[k[floor]] = False
        k, probe = k[~floor], probe[~floor]
        ok = value(idx[k], probe) >= lam[idx[k]]
        good[k[ok]] = probe[ok]
        live[k[ok]] = False
        bad[k[~ok]] = probe[~ok]
        step[k[~ok]] *= 2
    x[idx] = _largest_good(value, idx, good, bad, lam[idx])
    return x


def _initial_threshold(
    mean: FloatArray, sd: FloatArray, lo: IntArray, hi: IntArray, extra: IntArray,
    group: IntArray, n_groups: int, pack_size: int,
) -> tuple[FloatArray, IntArray]:  # fmt: skip
    """Bisection on a normal level per product with a cheap quantile guess: ``(lambda, guess)``."""
    lo_z, hi_z = np.full(n_groups, -10.0), np.full(n_groups, 38.0)
    target = extra + np.bincount(group, weights=lo, minlength=n_groups)
    a, b, c = quantile_terms(mean, sd)
    a, b, c = (np.nan_to_num(t) / pack_size for t in (a, b, c))

    def guess_at(z: FloatArray) -> IntArray:
        zg = z[group]
        z2 = np.minimum(zg, 8.0)
        units = a + b * zg + c * (z2 * z2 - 1.0) + 0.5
        return np.clip(np.floor(units), lo, hi).astype(np.int64)

    for _ in range(32):
        mid = 0.5 * (lo_z + hi_z)
        total = np.bincount(group, weights=guess_at(mid), minlength=n_groups)
        more = total < target
        lo_z = np.where(more, mid, lo_z)
        hi_z = np.where(more, hi_z, mid)
    z = 0.5 * (lo_z + hi_z)
    guess = guess_at(z)
    lam = np.maximum(pack_size * special.ndtr(-z), 1e-300)[group]
    return lam, guess


def _later(
    v1: FloatArray, r1: IntArray, j1: IntArray, v2: FloatArray, r2: IntArray, j2: IntArray
) -> npt.NDArray[np.bool_]:
    """Whether item 1 comes after item 2 in the greedy order (value desc, rank asc, item asc)."""
    return (v1 < v2) | ((v1 == v2) & ((r1 > r2) | ((r1 == r2) & (j1 > j2))))


def _fix_up(
    value: ValueFn, x: IntArray, lo: IntArray, hi: IntArray, d: IntArray,
    group: IntArray, rank: IntArray,
) -> IntArray:  # fmt: skip
    """Add (``d > 0``) or remove (``d < 0``) exactly ``|d|`` items per product, in greedy order."""
    x = x.copy()
    width = np.full(len(d), 2, dtype=np.int64)
    pending = np.flatnonzero(d != 0)
    while len(pending):
        in_pending = np.zeros(len(d), dtype=bool)
        in_pending[pending] = True
        sel = np.flatnonzero(in_pending[group])
        adding = d[group[sel]] > 0
        sel = sel[np.where(adding, hi[sel] - x[sel], x[sel] - lo[sel]) > 0]
        # only the |d| stores whose first candidate comes first can take part: |d| candidates
        # precede every other store's first one
        g = group[sel]
        sign1 = np.where(d[g] > 0, 1, -1)
        v1 = value(sel, np.where(sign1 > 0, x[sel] + 1, x[sel]))
        o = np.lexsort((sign1 * rank[sel], -sign1 * v1, g))
        g_sorted = g[o]
        pos1 = np.arange(len(o)) - np.searchsorted(g_sorted, g_sorted, side="left")
        sel = np.sort(sel[o[pos1 < np.abs(d[g_sorted])]])
        g = group[sel]
        adding = d[g] > 0
        room = np.where(adding, hi[sel] - x[sel], x[sel] - lo[sel])
        c = np.minimum(width[g], room)
        pair = np.repeat(sel, c)
        start = np.repeat(np.cumsum(c) - c, c)
        offset = np.arange(len(pair), dtype=np.int64) - start + 1
        add_c = d[group[pair]] > 0
        j = np.where(add_c, x[pair] + offset, x[pair] - offset + 1)
        v = value(pair, j)
        gp = group[pair]
        # one order key per candidate: adding takes the earliest items, removing the latest
        sign = np.where(add_c, 1, -1)
        order = np.lexsort((sign * j, sign * rank[pair], -sign * v, gp))
        gp_sorted = gp[order]
        first = np.searchsorted(gp_sorted, gp_sorted, side="left")
        pos = np.arange(len(order)) - first
        need = np.abs(d[gp_sorted])
        taken = order[pos < need]
        counts = np.bincount(pair[taken], minlength=len(x))
        n_cand = np.bincount(gp, minlength=len(d))
        short = n_cand[pending] < np.abs(d[pending])
        # the last taken item of each product, then any store whose next item would beat it
        last_mask = pos == need - 1
        last = order[last_mask]
        lv = np.full(len(d), np.nan)
        lr = np.zeros(len(d), dtype=np.int64)
        lj = np.zeros(len(d), dtype=np.int64)
        lv[gp[last]], lr[gp[last]], lj[gp[last]] = v[last], rank[pair[last]], j[last]
        full = (counts[sel] == c) & (c < room) & (c > 0)
        bad_groups = set(pending[short].tolist())
        fidx = sel[full]
        if len(fidx):
            fg = group[fidx]
            fadd = d[fg] > 0
            nj = np.where(fadd, x[fidx] + c[full] + 1, x[fidx] - c[full])
            nv = value(fidx, nj)
            fr = rank[fidx]
            beats = np.where(
                fadd,
                _later(lv[fg], lr[fg], lj[fg], nv, fr, nj),
                _later(nv, fr, nj, lv[fg], lr[fg], lj[fg]),
            )
            bad_groups |= set(fg[beats].tolist())
        done = np.array([gg not in bad_groups for gg in pending.tolist()], dtype=bool)
        done_pairs = sel[np.isin(group[sel], pending[done])]
        delta = counts[done_pairs]
        x[done_pairs] += np.where(d[group[done_pairs]] > 0, delta, -delta)
        pending = pending[~done]
        width[pending] *= 4
    return x


def solve(
    mean: FloatArray, sd: FloatArray, lo: IntArray, hi: IntArray, n_items: IntArray,
    group: IntArray, rank: IntArray, pack_size: int,
) -> IntArray:  # fmt: skip
    """Items per store pair: the greedy optimum of every product at once.

    Parameters
    ----------
    mean, sd : float arrays, one entry per (product, store) pair
        Demand of the pair (``sd`` NaN: Poisson).
    lo, hi : int arrays
        Bounds in items (minimum, cap); ``lo <= hi``.
    n_items : int array, one per product
        Items to place (at least ``sum lo`` of the product); at most ``sum hi`` are placed.
    group : int array
        Product index of each pair (0 .. len(n_items) - 1).
    rank : int array
        Tie-break rank of each pair's store (lower first).
    pack_size : int
        Units per item.

    Returns
    -------
    numpy.ndarray of int64
        Items per pair.

    Examples
    --------
    >>> import numpy as np
    >>> solve(np.array([3.0, 3.0]), np.array([np.nan, np.nan]), np.array([0, 0]), np.array([9, 9]),
    ...       np.array([5]), np.array([0, 0]), np.array([1, 0]), 1).tolist()
    [2, 3]
    """
    mean = np.asarray(mean, dtype=float)
    sd = np.asarray(sd, dtype=float)
    lo = np.asarray(lo, dtype=np.int64)
    hi = np.asarray(hi, dtype=np.int64)
    group = np.asarray(group, dtype=np.int64)
    rank = np.asarray(rank, dtype=np.int64)
    n_groups = len(n_items)
    base = np.bincount(group, weights=lo, minlength=n_groups).astype(np.int64)
    room = np.bincount(group, weights=hi - lo, minlength=n_groups).astype(np.int64)
    extra = np.asarray(n_items, dtype=np.int64) - base
    x = lo.copy()
    full = extra >= room
    x[full[group]] = hi[full[group]]
    active = (~full) & (extra > 0)
    if not active.any():
        return x
    sel = np.flatnonzero(active[group])
    # renumber the active products 0..k-1 for the vectorised phases
    remap = np.full(n_groups, -1, dtype=np.int64)
    remap[active] = np.arange(int(active.sum()))
    g = remap[group[sel]]
    value = item_values(mean[sel], sd[sel], pack_size)
    lam, guess = _initial_threshold(
        mean[sel], sd[sel], lo[sel], hi[sel], extra[active], g, int(active.sum()), pack_size
    )
    xs = _threshold_counts(value, guess, lo[sel], hi[sel], lam)
    have = np.bincount(g, weights=xs - lo[sel], minlength=int(active.sum())).astype(np.int64)
    d = extra[active] - have
    xs = _fix_up(value, xs, lo[sel], hi[sel], d, g, rank[sel])
    x[sel] = xs
    return x
