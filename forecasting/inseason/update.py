"""Update a planned demand distribution from a product's first weeks of sales (no past launches).

A plan's depth rests on a distribution of each new product's demand over its first ``horizon``
weeks (``depth.csv``: the judgments blended with the data estimate). When no past launches are at
hand to learn how early weeks predict the rest
(:meth:`~forecasting.depth.NewProductForecaster.predict` with ``observed=`` does that when they
are), :func:`update_demand` updates that distribution by Bayes' rule on the log scale:

- **prior**: the season's units ``T`` are log-normal with the plan's mean and sd;
- **likelihood**: the units sold in the first ``k`` weeks are ``T x f_k x e``, where ``f_k`` is the
  expected share of the season in those weeks (from ``curve``, flat by default) and ``log e`` is
  normal with sd ``share_sd(k)``: how much the early share varies between products. The default is
  ``0.5 x sqrt((1 - f) / f)`` with ``f = k / horizon``: the spread measured on VISUELLE's 5,080
  launches (sd of the log share of the first ``k`` of 8 weeks: 1.29, 0.79, 0.61, 0.46 for ``k`` =
  1-4; the formula gives 1.32, 0.87, 0.65, 0.50). Early in the season the sales weigh little,
  later they dominate;
- **posterior**: log-normal again (conjugate), and the units of the weeks still to come are the
  updated season's level times their share of the curve. The sales so far are not subtracted: a
  product that sold above its curve in its first weeks is, on the evidence, a stronger seller, not
  one that has sold its season early.

The result has the columns of a :class:`~forecasting.depth.NewProductForecaster` forecast for the
weeks not yet observed, so :func:`~forecasting.inseason.second_batch` reads either.

Examples
--------
>>> import pandas as pd
>>> prior = pd.DataFrame({"sku": ["A", "B"], "mean": [800.0, 800.0], "sd": [400.0, 400.0]})
>>> sold = pd.DataFrame({"sku": ["A", "B"], "units": [400.0, 100.0], "weeks_seen": [2, 2]})
>>> fc = update_demand(prior, sold, horizon_weeks=8)
>>> fc.groupby("sku")["cum_mean"].last().round(-1).tolist()  # the rest of the season, weeks 3-8
[700.0, 510.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from forecasting.depth.distributions import lognormal_parameters
from forecasting.exceptions import DataValidationError

__all__ = ["default_share_sd", "update_demand"]


def default_share_sd(weeks_seen: int | np.ndarray, horizon_weeks: int) -> np.ndarray:
    """The sd of the log share of a season sold in its first ``weeks_seen`` weeks.

    ``0.5 x sqrt((1 - f) / f)`` with ``f = weeks_seen / horizon_weeks`` (see the module docstring
    for the VISUELLE figures it follows).

    Examples
    --------
    >>> float(default_share_sd(2, 8).round(2))
    0.87
    """
    f = np.clip(np.asarray(weeks_seen, float) / float(horizon_weeks), 1e-6, 1.0)
    out: np.ndarray = 0.5 * np.sqrt((1.0 - f) / f)
    return out


def update_demand(
    prior: pd.DataFrame,
    observed: pd.DataFrame,
    *,
    horizon_weeks: int,
    curve: Sequence[float] | None = None,
    share_sd: float | None = None,
    quantiles: Sequence[float] = (0.1, 0.5, 0.9),
) -> pd.DataFrame:
    """Each product's demand in the weeks not yet observed, given its sales so far.

    Parameters
    ----------
    prior : pandas.DataFrame
        ``sku``, ``mean``, ``sd``: the planned distribution of the season's units (the first
        ``horizon_weeks`` weeks on shelf), e.g. ``depth.csv`` of a plan.
    observed : pandas.DataFrame
        ``sku``, ``units`` (sold so far, all stores together) and ``weeks_seen`` (whole weeks
        on shelf so far, 0 .. ``horizon_weeks``). A sku of ``prior`` without a row has seen no week.
    horizon_weeks : int
        Weeks of the season the prior covers.
    curve : sequence of float, optional
        The expected share of each of the ``horizon_weeks`` weeks (normalised); default flat.
    share_sd : float, optional
        The sd of the log of the early share (see the module docstring); default
        :func:`default_share_sd`.
    quantiles : sequence of float
        Quantile columns of the weekly forecast.

    Returns
    -------
    pandas.DataFrame
        ``sku``, ``week`` (the weeks not yet observed), ``mean``, the quantile columns, ``cum_mean``
        and ``cum_sd`` (units of the weeks from the first unobserved one up to ``week``),
        ``basis`` (``"plan, updated from k weeks"``, or ``"plan"`` before any week is seen). A
        product whose season has been seen whole has no rows.

    Raises
    ------
    DataValidationError
        Missing columns, a non-positive prior, negative units, weeks outside 0 .. horizon, a sku
        sold that has no prior, or a curve of the wrong length.
    """
    horizon = int(horizon_weeks)
    for name, table, needed in (
        ("prior", prior, ["sku", "mean", "sd"]),
        ("observed", observed, ["sku", "units", "weeks_seen"]),
    ):
        missing = [c for c in needed if c not in table.columns]
        if missing:
            raise DataValidationError(f"{name}: missing columns {missing}; it needs {needed}.")
    base = prior.assign(sku=prior["sku"].astype(str)).drop_duplicates("sku").set_index("sku")
    if not ((base["mean"] > 0) & (base["sd"] > 0)).all():
        bad = base.index[~((base["mean"] > 0) & (base["sd"] > 0))]
        raise DataValidationError(
            f"prior: mean and sd must be positive; not for sku {list(bad[:5])}."
        )
    seen_rows = observed.assign(sku=observed["sku"].astype(str)).set_index("sku")
    stray = seen_rows.index.difference(base.index)
    if len(stray):
        raise DataValidationError(
            f"observed: sku {list(stray[:5])} has sales but no prior; give its planned demand."
        )
    units = seen_rows["units"].groupby(level=0).sum().reindex(base.index).fillna(0.0).to_numpy()
    weeks = seen_rows["weeks_seen"].groupby(level=0).max().reindex(base.index).fillna(0).to_numpy()
    if (units < 0).any() or (weeks < 0).any() or (weeks > horizon).any():
        raise DataValidationError(
            f"observed: units must be 0 or more and weeks_seen within 0..{horizon}."
        )
    shape = np.full(horizon, 1.0 / horizon) if curve is None else np.asarray(curve, float)
    if shape.shape != (horizon,) or (shape < 0).any() or shape.sum() <= 0:
        raise DataValidationError(
            f"curve: give {horizon} non-negative weekly shares, got {len(shape)} values."
        )
    cum_shape = np.concatenate([[0.0], np.cumsum(shape / shape.sum())])
    k = weeks.astype(int)
    mu0, sigma0 = lognormal_parameters(base["mean"].to_numpy(float), base["sd"].to_numpy(float))
    s20 = sigma0**2
    post_mu, post_var = mu0.copy(), s20.copy()
    mid = (k > 0) & (k < horizon)  # a season fully seen needs no forecast
    if mid.any():
        f = np.maximum(cum_shape[k[mid]], 1e-9)
        noise = default_share_sd(k[mid], horizon) if share_sd is None else float(share_sd)
        noise2 = np.broadcast_to(np.asarray(noise, float) ** 2, f.shape)
        # conjugate update of log T with log(units / f) = log T + error
        evidence = np.log(np.maximum(units[mid], 0.5)) - np.log(f)
        post_var[mid] = 1.0 / (1.0 / s20[mid] + 1.0 / noise2)
        post_mu[mid] = post_var[mid] * (mu0[mid] / s20[mid] + evidence / noise2)
    season_mean = np.exp(post_mu + post_var / 2)
    season_sd = season_mean * np.sqrt(np.expm1(post_var))
    z = stats.norm.ppf(np.asarray(quantiles, float))
    names = [f"p{round(100 * q)}" for q in quantiles]
    frames = []
    for i, sku in enumerate(base.index):
        rest = np.arange(k[i] + 1, horizon + 1)
        if not len(rest):
            continue
        share = shape[rest - 1] / shape.sum()
        cum = cum_shape[rest] - cum_shape[k[i]]
        row = {
            "sku": sku,
            "week": rest,
            "mean": season_mean[i] * share,
            **{
                n: np.exp(post_mu[i] + zq * np.sqrt(post_var[i])) * share
                for n, zq in zip(names, z, strict=True)
            },
            "cum_mean": season_mean[i] * cum,
            "cum_sd": season_sd[i] * cum,
            "basis": f"plan, updated from {k[i]} weeks" if k[i] else "plan",
        }
        frames.append(pd.DataFrame(row))
    columns = ["sku", "week", "mean", *names, "cum_mean", "cum_sd", "basis"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)
