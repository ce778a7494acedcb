"""The exact marginal-analysis solver behind :func:`forecasting.allocation.allocate` (numpy only).

Problem, for each product ``g`` over its stores ``i``: choose whole items (units, or packs of
``pack_size`` units) ``lo_i <= x_i <= hi_i`` maximising ``sum_i E[min(D_i, x_i p)]`` with ``sum x_i
<= n_g``. The objective is separable and concave in ``x_i``, so the greedy rule (every next item
goes to the store whose next item has the largest expected sales ``v_i(j)``; ties to the lower store
rank, then the lower item) is exactly optimal. Its result is the first items of one fixed order of
all items, so it is monotone in ``n_g`` and deterministic.

Negligible items
    An item whose expected sales are below ``NEGLIGIBLE`` per unit (``v_i(j) < NEGLIGIBLE * p``: a
    chance of selling below 1e-15, under the rounding error of any expected-sales total) is never
    placed above a minimum: it stays at the warehouse. So the greedy order stops where every store
    is at its cap or at the last item it could sell, and a stock far above what the stores can
    take costs no more memory or time than one they can just take (the rest goes to the warehouse
    at once). What this leaves out is worth less than ``NEGLIGIBLE`` expected units per unit.

The solver reaches the greedy prefix without a heap over units, in memory and time independent of
``n_g``:

1. a per-product bisection on a normal level ``z`` with a cheap Cornish-Fisher quantile guess gives
   a threshold ``lambda`` (``NEGLIGIBLE * p`` when even that level cannot use the stock);
2. each store's exact count of items worth at least ``lambda`` is found by galloping and binary
   search on the exact item values (a handful of vectorised ``gammainc``/``betainc`` calls); when
   the counts miss the target by many items, ``lambda`` is bisected on those exact counts;
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
>>> solve(np.array([5.0, 1.0]), nan, np.array([0, 0]), np.array([10**12, 10**12]),
...       np.array([10**12]), np.array([0, 0]), np.array([0, 1]), 1).tolist()
[31, 17]
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
from scipy import special

from forecasting.depth.distributions import nb_parameters, quantile_terms

__all__ = ["NEGLIGIBLE", "item_values", "solve"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ValueFn = Callable[[IntArray, IntArray], FloatArray]

NEGLIGIBLE = 1e-15
"""Chance of selling below which a unit is not sent to a store (it stays at the warehouse)."""

_Z_MAX = float(-special.ndtri(NEGLIGIBLE))  # the normal level of a NEGLIGIBLE tail, about 7.9
_FEW = 4096  # counts further than this from the target are first refined by bisection on lambda


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
    qc = 1.0 - q
    tiny = is_nb & (q < 1e-6)  # 1 - p rounds: the complemented form keeps the precision
    any_nb, all_nb, any_tiny = bool(is_nb.any()), bool(is_nb.all()), bool(tiny.any())

    def value(pairs: IntArray, j: IntArray) -> FloatArray:
        # P(D >= k) as in forecasting.depth.distributions.sf_params, element by element, with the
        # families split once per call rather than once per unit of the pack
        first = (np.asarray(j, dtype=np.int64) - 1) * p
        if not any_nb:
            ip, inb = np.arange(len(pairs)), np.arange(0)
        elif all_nb:
            ip, inb = np.arange(0), np.arange(len(pairs))
        else:
            nb = is_nb[pairs]
            ip, inb = np.flatnonzero(~nb), np.flatnonzero(nb)
        mp = m[pairs[ip]]
        rb, qb = r[pairs[inb]], qc[pairs[inb]]
        tt = np.flatnonzero(tiny[pairs[inb]]) if any_tiny else np.arange(0)
        acc = np.zeros(len(pairs), dtype=float)
        for t in range(1, p + 1):
            k = np.maximum(first + t, 1).astype(float)
            if len(ip):
                acc[ip] += special.gammainc(k[ip], mp)
            if len(inb):
                kb = k[inb]
                v = special.betainc(kb, rb, qb)
                if len(tt):
                    v[tt] = special.betaincc(rb[tt], kb[tt], q[pairs[inb[tt]]])
                acc[inb] += v
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
    value: ValueFn, guess: IntArray, lo: IntArray, hi: IntArray, lam: FloatArray,
    pairs: IntArray | None = None,
) -> IntArray:  # fmt: skip
    """Exact ``x_i = max{x in [lo, hi] : value(i, j) >= lam for j in (lo, x]}``, from ``guess``.

    ``pairs`` are the indices of the entries for ``value`` (default: all, in order).
    """
    n = len(guess)
    pairs = np.arange(n, dtype=np.int64) if pairs is None else pairs
    x = np.clip(guess, lo, hi)
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
        ok = value(pairs[idx[k]], probe) >= lam[idx[k]]
        good[k[ok]] = probe[ok]
        step[k[ok]] *= 2
        bad[k[~ok]] = probe[~ok]
        live[k[~ok]] = False
    x[idx] = _largest_good(value, pairs[idx], good, bad, lam[idx])
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
        ok = value(pairs[idx[k]], probe) >= lam[idx[k]]
        good[k[ok]] = probe[ok]
        live[k[ok]] = False
        bad[k[~ok]] = probe[~ok]
        step[k[~ok]] *= 2
    x[idx] = _largest_good(value, pairs[idx], good, bad, lam[idx])
    return x


def _initial_threshold(
    mean: FloatArray, sd: FloatArray, lo: IntArray, hi: IntArray, extra: IntArray,
    group: IntArray, n_groups: int, pack_size: int,
) -> tuple[FloatArray, IntArray]:  # fmt: skip
    """Bisection on a normal level per product with a cheap quantile guess: ``(lambda, guess)``.

    ``lambda`` is per product, at least ``NEGLIGIBLE * pack_size``; it is exactly that where even
    the negligible level cannot use the stock (caps bind, or the stores cannot sell it).
    """
    target = extra + np.bincount(group, weights=lo, minlength=n_groups)
    a, b, c = quantile_terms(mean, sd)
    a, b, c = (np.nan_to_num(t) / pack_size + (0.5 if t is a else 0.0) for t in (a, b, c))
    lo_f, hi_f = lo.astype(float), hi.astype(float)

    def guess_at(zg: FloatArray) -> FloatArray:
        z2 = np.minimum(zg, 8.0)
        return np.minimum(np.maximum(np.floor(a + b * zg + c * (z2 * z2 - 1.0)), lo_f), hi_f)

    z_max = np.full(n_groups, _Z_MAX)
    at_max = guess_at(z_max[group])
    short = np.bincount(group, weights=at_max, minlength=n_groups) < target
    lo_z, hi_z = np.full(n_groups, -10.0), z_max.copy()
    if not short.all():
        for _ in range(24):
            mid = 0.5 * (lo_z + hi_z)
            total = np.bincount(group, weights=guess_at(mid[group]), minlength=n_groups)
            more = total < target
            lo_z = np.where(more, mid, lo_z)
            hi_z = np.where(more, hi_z, mid)
    z = np.where(short, _Z_MAX, 0.5 * (lo_z + hi_z))
    guess = np.where(short[group], at_max, guess_at(z[group])).astype(np.int64)
    lam = np.where(short, NEGLIGIBLE * pack_size, np.maximum(pack_size * special.ndtr(-z), 0.0))
    lam = np.maximum(lam, NEGLIGIBLE * pack_size)
    return lam, guess


def _refine(
    value: ValueFn, x: IntArray, lo: IntArray, hi: IntArray, lam: FloatArray, d: IntArray,
    extra: IntArray, group: IntArray, pack_size: int,
) -> tuple[IntArray, FloatArray, IntArray]:  # fmt: skip
    """Bisect ``lambda`` (in log scale) on exact counts where they miss the target by many items.

    Rare: only where the quantile guess is poor. Returns ``(x, lambda, d)``.
    """
    floor = NEGLIGIBLE * pack_size
    low = np.where(d > 0, floor, lam)  # the count at ``low`` is >= the target (or low is the floor)
    high = np.where(d > 0, lam, float(pack_size))
    for _ in range(200):
        big = (np.abs(d) > _FEW) & ~((d > 0) & (lam <= floor)) & (high > low * (1 + 1e-15))
        if not big.any():
            break
        mid = np.where(big, np.sqrt(low * high), lam)
        rows = np.flatnonzero(big[group])
        x[rows] = _threshold_counts(value, x[rows], lo[rows], hi[rows], mid[group[rows]], rows)
        have = np.bincount(group, weights=x - lo, minlength=len(d)).astype(np.int64)
        d = np.where(big, extra - have, d)
        lam = mid
        low = np.where(big & (d < 0), mid, low)
        high = np.where(big & (d > 0), mid, high)
    return x, lam, d


def _later(
    v1: FloatArray, r1: IntArray, j1: IntArray, v2: FloatArray, r2: IntArray, j2: IntArray
) -> npt.NDArray[np.bool_]:
    """Whether item 1 comes after item 2 in the greedy order (value desc, rank asc, item asc)."""
    return (v1 < v2) | ((v1 == v2) & ((r1 > r2) | ((r1 == r2) & (j1 > j2))))


def _fix_up(
    value: ValueFn, x: IntArray, lo: IntArray, hi: IntArray, d: IntArray,
    group: IntArray, rank: IntArray, floor: float,
) -> IntArray:  # fmt: skip
    """Add (``d > 0``) or remove (``d < 0``) exactly ``|d|`` items per product, in greedy order.

    Only items worth at least ``floor`` are added; a product whose stores run out of such items
    gets fewer (the rest stays at the warehouse).
    """
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
        useful = (sign1 < 0) | (v1 >= floor)
        sel, g, sign1, v1 = sel[useful], g[useful], sign1[useful], v1[useful]
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
        # items below the floor do not exist for adding; their store is exhausted
        valid = ~add_c | (v >= floor)
        exhausted = np.zeros(len(x), dtype=bool)
        exhausted[pair[~valid]] = True
        exhausted[sel[c == room]] = True
        pair, j, v, add_c = pair[valid], j[valid], v[valid], add_c[valid]
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
        # a product short of candidates widens its windows, unless every store is exhausted
        open_groups = np.bincount(group[sel], weights=~exhausted[sel], minlength=len(d)) > 0
        short = (n_cand[pending] < np.abs(d[pending])) & open_groups[pending]
        # the last taken item of each product, then any store whose next item would beat it
        last_mask = pos == need - 1
        last = order[last_mask]
        lv = np.full(len(d), np.nan)
        lr = np.zeros(len(d), dtype=np.int64)
        lj = np.zeros(len(d), dtype=np.int64)
        lv[gp[last]], lr[gp[last]], lj[gp[last]] = v[last], rank[pair[last]], j[last]
        full = (counts[sel] == c) & ~exhausted[sel] & (c > 0)
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
                _later(lv[fg], lr[fg], lj[fg], nv, fr, nj) & (nv >= floor),
                _later(nv, fr, nj, lv[fg], lr[fg], lj[fg]),
            )
            # a product that took fewer than |d| (stores exhausted) has no last item to beat
            beats &= np.isfinite(lv[fg]) | ~fadd
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

    Items worth less than ``NEGLIGIBLE`` expected units per unit are not placed above a minimum
    (see the module docstring), so the result may place fewer than ``n_items``: the rest is what the
    stores cannot take. Memory and time do not depend on ``n_items`` or on the caps.

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
    group = np.asarray(group, dtype=np.int64)
    rank = np.asarray(rank, dtype=np.int64)
    n_groups = len(n_items)
    base = np.bincount(group, weights=lo, minlength=n_groups).astype(np.int64)
    extra = np.maximum(np.asarray(n_items, dtype=np.int64) - base, 0)
    # no store can take more than the items left once the minimums are served
    hi = np.maximum(np.minimum(np.asarray(hi, dtype=np.int64), lo + extra[group]), lo)
    x = lo.copy()
    active = (extra > 0) & (np.bincount(group, weights=hi - lo, minlength=n_groups) > 0)
    if not active.any():
        return x
    sel = np.flatnonzero(active[group])
    k = int(active.sum())
    # renumber the active products 0..k-1 for the vectorised phases
    remap = np.full(n_groups, -1, dtype=np.int64)
    remap[active] = np.arange(k)
    g = remap[group[sel]]
    lo_s, hi_s, ex = lo[sel], hi[sel], extra[active]
    value = item_values(mean[sel], sd[sel], pack_size)
    lam, guess = _initial_threshold(mean[sel], sd[sel], lo_s, hi_s, ex, g, k, pack_size)
    xs = _threshold_counts(value, guess, lo_s, hi_s, lam[g])
    d = ex - np.bincount(g, weights=xs - lo_s, minlength=k).astype(np.int64)
    floor = NEGLIGIBLE * pack_size
    if (np.abs(d) > _FEW).any():
        xs, lam, d = _refine(value, xs, lo_s, hi_s, lam, d, ex, g, pack_size)
    # at the floor, every item worth placing is placed: the rest stays at the warehouse
    d = np.where((d > 0) & (lam <= floor), 0, d)
    x[sel] = _fix_up(value, xs, lo_s, hi_s, d, g, rank[sel], floor)
    return x
