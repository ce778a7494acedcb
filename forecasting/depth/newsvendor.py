"""The newsvendor: the order quantity that balances lost sales against leftovers, and its outcomes.

With underage cost ``c_u`` (margin lost per unit short) and overage cost ``c_o`` (loss per unit left
over), the expected-cost-minimising quantity is the smallest ``q`` with
``P(D <= q) >= critical_ratio = c_u / (c_u + c_o)``.

Demand distributions
--------------------
``"normal"``
    ``N(mean, sd)``. Expected lost sales are exact: ``sd * L((q - mean) / sd)`` with the standard
    normal loss function ``L(z) = phi(z) - z (1 - Phi(z))``. The integer depth is whichever of the
    two integers around the continuous optimum has the lower expected cost.
``"poisson"``
    Poisson with the given mean (``sd`` is ignored): right for slow sellers whose variance equals
    the mean.
``"negbin"``
    Negative binomial with the given mean and variance ``sd**2`` (over-dispersed counts, the usual
    case for a new product); if ``sd**2 <= mean`` it falls back to Poisson.
``"lognormal"``
    Log-normal with the given mean and sd (right-skewed, continuous): close to the out-of-fold
    error distribution of :class:`~forecasting.depth.NewProductForecaster` (a log-scale
    model). Lost sales are exact: ``mean Phi(d1) - q Phi(d2)`` with ``d1 = (mu + s**2 - ln q) / s``
    and ``d2 = d1 - s``.
``"auto"`` (default)
    Log-normal for the calibrated totals of a :class:`~forecasting.depth.NewProductForecaster`
    frame (``cum_mean``, ``cum_sd``: on VISUELLE its 80 % range held 82-85 % of held-out totals,
    the negative binomial's 89-90 %, and its depth cost less); otherwise negative binomial when
    ``sd**2 > mean`` and Poisson when not (or when ``sd`` is missing): demand is a count of units
    and a new product's demand is strongly right-skewed.

For the discrete distributions the expectations are exact sums:
``E[min(D, q)] = sum_{k=0}^{q-1} P(D > k)``, lost sales ``= mean - E[min(D, q)]``, leftover ``= q -
E[min(D, q)]``.

Examples
--------
>>> newsvendor_quantity(100.0, 30.0, 0.75, distribution="normal")
120
>>> round(newsvendor_outcomes(120, 100.0, 30.0, "normal")["expected_lost_sales"], 2)
4.53
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from scipy import stats

from forecasting.depth.distributions import lognormal_parameters
from forecasting.exceptions import DataValidationError

__all__ = [
    "Distribution",
    "newsvendor_outcomes",
    "newsvendor_quantity",
]

Distribution = Literal["auto", "normal", "lognormal", "poisson", "negbin"]
_DISTRIBUTIONS = ("auto", "normal", "lognormal", "poisson", "negbin")


def resolve_distribution(mean: float, sd: float | None, distribution: str) -> str:
    if distribution not in _DISTRIBUTIONS:
        raise DataValidationError(
            f"distribution={distribution!r} is not known; use one of {', '.join(_DISTRIBUTIONS)}."
        )
    if distribution in ("normal", "lognormal"):
        if sd is None or not np.isfinite(sd):
            raise DataValidationError(
                f"distribution={distribution!r} needs a finite sd; give sd or use 'poisson'."
            )
        return distribution
    if distribution == "poisson":
        return "poisson"
    over = sd is not None and np.isfinite(sd) and sd * sd > mean
    return "negbin" if over else "poisson"


def _lognormal(mean: float, sd: float | None) -> tuple[float, float]:
    """``(mu, sigma)`` of the log-normal with this mean and sd."""
    assert sd is not None
    mu, sigma = lognormal_parameters(mean, sd)
    return float(mu), float(sigma)


def _frozen(mean: float, sd: float | None, kind: str) -> stats.rv_discrete | None:
    if kind == "poisson":
        return stats.poisson(mean) if mean > 0 else None
    assert sd is not None
    var = sd * sd
    p = mean / var
    n = mean * mean / (var - mean)
    return stats.nbinom(n, p)


def _check(mean: float, sd: float | None, critical_ratio: float | None = None) -> None:
    if not np.isfinite(mean) or mean < 0:
        raise DataValidationError(f"mean demand must be finite and >= 0, got {mean!r}.")
    if sd is not None and np.isfinite(sd) and sd < 0:
        raise DataValidationError(f"sd of demand must be >= 0, got {sd!r}.")
    if critical_ratio is not None and not 0 <= critical_ratio < 1:
        raise DataValidationError(
            f"critical_ratio must be in [0, 1), got {critical_ratio!r}: a salvage value at or "
            "above the unit "
            "cost makes an unlimited order optimal; check salvage_value and unit_cost."
        )


def newsvendor_outcomes(
    quantity: float,
    mean: float,
    sd: float | None = None,
    distribution: Distribution = "auto",
) -> dict[str, float]:
    """Expected sales, leftover and lost sales when ``quantity`` units meet uncertain demand.

    Parameters
    ----------
    quantity : float
        Units bought (>= 0).
    mean : float
        Mean demand over the horizon.
    sd : float, optional
        Standard deviation of demand (ignored for ``"poisson"``).
    distribution : {"auto", "normal", "lognormal", "poisson", "negbin"}, default "auto"
        See the module notes.

    Returns
    -------
    dict
        ``expected_sales`` (``E[min(D, q)]``), ``expected_leftover`` (``E[(q - D)+]``) and
        ``expected_lost_sales`` (``E[(D - q)+]``).

    Examples
    --------
    >>> out = newsvendor_outcomes(100, mean=100.0, sd=30.0, distribution="normal")
    >>> round(out["expected_lost_sales"], 3)  # 30 * phi(0)
    11.968
    >>> round(newsvendor_outcomes(0, mean=4.0, distribution="poisson")["expected_lost_sales"], 6)
    4.0
    """
    _check(mean, sd)
    if quantity < 0 or not np.isfinite(quantity):
        raise DataValidationError(f"quantity must be finite and >= 0, got {quantity!r}.")
    kind = resolve_distribution(mean, sd, distribution)
    if kind in ("normal", "lognormal") and (sd == 0 or mean == 0):
        lost = max(mean - quantity, 0.0)
    elif kind == "normal":
        assert sd is not None
        z = (quantity - mean) / sd
        lost = float(sd * (stats.norm.pdf(z) - z * stats.norm.sf(z)))
    elif kind == "lognormal":
        mu, s = _lognormal(mean, sd)
        if quantity == 0:
            lost = mean
        else:
            d1 = (mu + s * s - math.log(quantity)) / s
            lost = float(mean * stats.norm.cdf(d1) - quantity * stats.norm.cdf(d1 - s))
    else:
        dist = _frozen(mean, sd, kind)
        q = math.floor(quantity)
        sold = 0.0 if dist is None or q == 0 else float(np.sum(dist.sf(np.arange(q))))
        sold += (quantity - q) * (float(dist.sf(q)) if dist is not None else 0.0)
        lost = mean - sold
    sales = mean - lost
    return {
        "expected_sales": float(sales),
        "expected_leftover": float(quantity - sales),
        "expected_lost_sales": float(max(lost, 0.0)),
    }


def newsvendor_quantity(
    mean: float,
    sd: float | None,
    critical_ratio: float,
    distribution: Distribution = "auto",
) -> int:
    """The newsvendor order quantity (whole units) for one product.

    Parameters
    ----------
    mean : float
        Mean demand over the horizon.
    sd : float or None
        Standard deviation of demand (``None`` is allowed for ``"poisson"`` and ``"auto"``).
    critical_ratio : float
        ``(price - unit_cost) / (price - salvage_value)``, in ``[0, 1)``.
    distribution : {"auto", "normal", "lognormal", "poisson", "negbin"}, default "auto"
        See the module notes.

    Returns
    -------
    int
        For discrete demand the smallest ``q`` with ``P(D <= q) >= critical_ratio``; for normal
        (log-normal) demand the integer next to the ``critical_ratio`` quantile with the lower
        expected cost (never below 0).

    Examples
    --------
    >>> newsvendor_quantity(100.0, 30.0, 0.75, distribution="normal")  # 100 + 30 * 0.674
    120
    >>> newsvendor_quantity(4.0, None, 0.5, distribution="poisson")  # the Poisson(4) median
    4
    """
    _check(mean, sd, critical_ratio)
    kind = resolve_distribution(mean, sd, distribution)
    if critical_ratio == 0:
        return 0
    if kind in ("normal", "lognormal"):
        assert sd is not None
        if sd == 0 or mean == 0:
            return max(math.ceil(mean - 1e-9), 0)
        if kind == "normal":
            x = mean + sd * float(stats.norm.ppf(critical_ratio))
        else:
            mu, s = _lognormal(mean, sd)
            x = math.exp(mu + s * float(stats.norm.ppf(critical_ratio)))
        lo, hi = max(math.floor(x), 0), max(math.ceil(x), 0)

        def cost(q: int) -> float:
            out = newsvendor_outcomes(q, mean, sd, kind)  # type: ignore[arg-type]
            return (
                critical_ratio * out["expected_lost_sales"]
                + (1 - critical_ratio) * out["expected_leftover"]
            )

        return lo if cost(lo) <= cost(hi) else hi
    dist = _frozen(mean, sd, kind)
    if dist is None:
        return 0
    return max(int(dist.ppf(critical_ratio)), 0)
