"""Store demand as a count distribution: negative binomial from a mean and a standard deviation.

A store's demand for a product is negative binomial when its variance exceeds its mean (``sd**2 >
mean``), and Poisson otherwise (also when ``sd`` is missing). With ``p = mean / sd**2`` and ``r =
mean**2 / (sd**2 - mean)`` (scipy's ``nbinom(r, p)``), the probability that the ``k``-th unit sells
is

* Poisson: ``P(D >= k) = gammainc(k, mean)`` (regularised lower incomplete gamma),
* negative binomial: ``P(D >= k) = 1 - I_p(r, k)`` (``betaincc``, the complemented regularised
  incomplete beta, accurate even when ``p`` is tiny),

both vectorised and accurate to rounding. Expected sales of ``x`` units use the identity ``E[min(D,
x)] = mean * F'(x - 2) + x * P(D >= x)``, where ``F'`` is the distribution function of the same
family with ``r + 1`` (Poisson: the same mean).

Examples
--------
>>> import numpy as np
>>> float(sell_probability(2.0, np.nan, 1))  # Poisson(2): 1 - exp(-2)
0.8646647167633873
>>> round(float(expected_sales(2.0, 3.0, 2)), 4)
0.9651
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special

__all__ = [
    "expected_sales",
    "lognormal_parameters",
    "nb_parameters",
    "quantile_terms",
    "sell_probability",
    "unit_quantile_guess",
]

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]


def lognormal_parameters(mean: ArrayLike, sd: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """``(mu, sigma)`` of the log-normal with this mean and sd (element-wise).

    Examples
    --------
    >>> mu, sigma = lognormal_parameters(100.0, 50.0)
    >>> round(float(mu), 4), round(float(sigma), 4)
    (4.4936, 0.4724)
    """
    m = np.asarray(mean, dtype=float)
    s2 = np.log1p((np.asarray(sd, dtype=float) / m) ** 2)
    return np.log(m) - s2 / 2, np.sqrt(s2)


def nb_parameters(
    mean: ArrayLike, sd: ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray, np.ndarray]:
    """Return ``(mean, r, p, is_nb)``: negative binomial ``r`` and ``p = mean / sd**2``.

    Parameters
    ----------
    mean : array-like
        Mean demand (>= 0).
    sd : array-like
        Standard deviation; NaN, or ``sd**2 <= mean``, means Poisson.

    Returns
    -------
    tuple of arrays
        ``mean``, ``r`` and ``p`` (NaN where Poisson) and the boolean ``is_nb``.

    Examples
    --------
    >>> m, r, q, nb = nb_parameters([4.0, 4.0], [4.0, 1.0])
    >>> r.round(3).tolist(), nb.tolist()
    ([1.333, nan], [True, False])
    """
    m = np.asarray(mean, dtype=float)
    s = np.asarray(sd, dtype=float)
    m, s = np.broadcast_arrays(m, s)
    var = s * s
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        is_nb = np.isfinite(var) & (var > m) & (m > 0)
        excess = np.where(is_nb, var - m, np.nan)
        r = np.where(is_nb, m * m / excess, np.nan)
        is_nb = is_nb & (r > 0) & np.isfinite(r)
        r = np.where(is_nb, r, np.nan)
        q = np.where(is_nb, m / var, np.nan)  # the success probability p
    return m.astype(float), r, q, is_nb


def sf_params(
    m: FloatArray, r: FloatArray, q: FloatArray, is_nb: np.ndarray, k: np.ndarray
) -> FloatArray:
    """``P(D >= k)`` for ``k >= 1`` (1 for ``k <= 0``), from precomputed parameters.

    Each element is computed once, with the function of its own family.
    """
    kk = np.asarray(k, dtype=float)
    kk, m, r, q, is_nb = np.broadcast_arrays(kk, m, r, q, is_nb)
    pos = np.maximum(kk, 1.0)
    out = np.empty(kk.shape, dtype=float)
    nb = np.asarray(is_nb, dtype=bool)
    with np.errstate(invalid="ignore"):
        pois = ~nb
        out[pois] = special.gammainc(pos[pois], m[pois])
        if nb.any():
            rr, pp, kn = r[nb], q[nb], pos[nb]
            val = np.asarray(special.betainc(kn, rr, 1.0 - pp), dtype=float)
            tiny = pp < 1e-6  # 1 - p rounds: the slower complemented form keeps the precision
            if tiny.any():
                val[tiny] = special.betaincc(rr[tiny], kn[tiny], pp[tiny])
            out[nb] = val
    out[kk <= 0] = 1.0
    return out


def sell_probability(mean: ArrayLike, sd: ArrayLike, k: ArrayLike) -> FloatArray:
    """Probability that the ``k``-th unit sent to a store sells, ``P(D >= k)``.

    Parameters
    ----------
    mean, sd : array-like
        Demand mean and standard deviation (NaN: Poisson).
    k : array-like of int
        Unit number (1 = the first unit); ``k <= 0`` gives 1.

    Returns
    -------
    numpy.ndarray
        The probabilities, broadcast over the inputs.

    Examples
    --------
    >>> sell_probability(3.0, 2.5, [1, 3, 10]).round(4).tolist()
    [0.869, 0.4955, 0.0211]
    """
    m, r, q, is_nb = nb_parameters(mean, sd)
    return sf_params(m, r, q, is_nb, np.asarray(k))


def expected_sales(mean: ArrayLike, sd: ArrayLike, units: ArrayLike) -> FloatArray:
    """Expected units sold, ``E[min(D, units)]``, for whole ``units`` (>= 0).

    Parameters
    ----------
    mean, sd : array-like
        Demand mean and standard deviation (NaN: Poisson).
    units : array-like of int
        Units placed in the store.

    Returns
    -------
    numpy.ndarray
        Expected sales; expected leftovers are ``units - expected_sales`` and expected lost sales
        ``mean - expected_sales``.

    Examples
    --------
    >>> expected_sales(2.0, float("nan"), [0, 1, 100]).round(4).tolist()
    [0.0, 0.8647, 2.0]
    """
    m, r, q, is_nb = nb_parameters(mean, sd)
    x = np.asarray(units, dtype=float)
    m, r, q, is_nb, x = np.broadcast_arrays(m, r, q, is_nb, x)
    j = np.maximum(x - 1.0, 1.0)  # F'(x - 2) = P(D' <= x - 2): Poisson gammaincc(x - 1, m)
    with np.errstate(invalid="ignore"):
        pois_cdf = special.gammaincc(j, m)
        nb_cdf = special.betainc(np.where(is_nb, r + 1.0, 1.0), j, np.where(is_nb, q, 0.5))
    cdf = np.where(is_nb, nb_cdf, pois_cdf)
    cdf = np.where(x >= 2, cdf, 0.0)
    tail = sf_params(m, r, q, is_nb, x)
    out = m * cdf + x * tail
    return np.where(x <= 0, 0.0, np.minimum(out, m))


def quantile_terms(mean: ArrayLike, sd: ArrayLike) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cornish-Fisher terms ``(a, b, c)``: the quantile at normal level ``z`` is about
    ``a + b * z + c * (z**2 - 1)``.

    Examples
    --------
    >>> [float(t) for t in quantile_terms(4.0, float("nan"))]
    [4.0, 2.0, 0.16666666666666666]
    """
    m, r, q, is_nb = nb_parameters(mean, sd)
    s = np.broadcast_to(np.asarray(sd, dtype=float), m.shape)
    sigma = np.where(is_nb, s, np.sqrt(m))
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        skew_nb = (2.0 - q) / np.sqrt(r * (1.0 - q))
        skew = np.where(
            is_nb, skew_nb, np.where(m > 0, 1.0 / np.sqrt(np.where(m > 0, m, 1.0)), 0.0)
        )
        c = np.nan_to_num(sigma * skew / 6.0, nan=0.0, posinf=0.0)
    return m, sigma, c


def unit_quantile_guess(mean: ArrayLike, sd: ArrayLike, z: ArrayLike) -> FloatArray:
    """A cheap approximation (Cornish-Fisher) of the demand quantile at standard-normal level ``z``.

    Used only to start the exact search of the allocation; it is never the answer.

    Examples
    --------
    >>> float(unit_quantile_guess(100.0, float("nan"), 0.0).round(2))
    99.83
    """
    a, b, c = quantile_terms(mean, sd)
    zz = np.asarray(z, dtype=float)
    zz2 = np.minimum(zz, 8.0)
    return np.asarray(a + b * zz + c * (zz2 * zz2 - 1.0), dtype=float)
