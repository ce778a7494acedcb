"""How a new product's first weeks of sales predict the rest of its season.

The first batch is bought on a forecast made before any customer has seen the product. A few weeks
after launch its own sales are known, and they say much about the rest, but they are noisy: on
VISUELLE, scaling the launch forecast by the ratio of the first two weeks' sales to their forecast
moves the weekly WAPE of weeks 3-12 only from 62 % to 59 %. :class:`EarlySalesUpdate` learns from
past launches how much the early weeks should move the forecast of the rest.

What it learns from
-------------------
For each past launch, the *prior* (the launch-time forecast of each week, made out of fold: by
models that had not seen the launch, in time order) and the actual weekly sales. For every number
of observed weeks ``k`` (1 .. horizon - 1) a row holds what a planner knows after ``k`` weeks:

- the observed units of weeks ``1..k`` (their sum, the last week, the first week) and the prior of
  the same weeks, and the log ratio of the two;
- the prior of the weeks still to come, ``k + 1 .. horizon``;
- ``k`` itself.

Two models of the remaining units (``log1p`` scale) are averaged: gradient boosting on the log
ratio of the remaining units to their prior (it leaves the prior alone where the early weeks say
nothing), and a linear model per ``k`` (the classic regression of the rest on the start, steady
where the data are thin). Their average beat each alone on VISUELLE's time-ordered split.
A third model gives the **shape** of the remaining weeks (each week's share of the remaining units,
with the prior's shares, the week, the weeks since the last observation and the early trend as
features): after two weeks the decay of the observed weeks says whether the product fades or
builds.

Calibration
-----------
The later third of the past launches (by launch date) is forecast by models fitted on the earlier
two thirds; the errors ``log1p(actual) - log1p(forecast)`` of each remaining week, and of the
running total of the remaining weeks, give per ``k`` a grid of 1,000 equally likely errors
(conformal style), from which the quantiles of the update come. The models used afterwards are
refitted on all the past launches.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> level = rng.lognormal(3, 1, 400)
>>> shape = np.array([0.2, 0.15, 0.15, 0.1, 0.1, 0.1, 0.1, 0.1])
>>> actual = rng.poisson(level[:, None] * shape[None, :] * 4).astype(float)
>>> prior = np.full_like(actual, float(np.median(level))) * shape * 4  # knows only the average
>>> model = EarlySalesUpdate(horizon=8).fit(prior, actual, np.arange(400.0))
>>> update = model.predict(prior[:3], actual[:3], np.array([0, 2, 8]))
>>> [int(np.isnan(row).sum()) for row in update]  # observed weeks are left out
[0, 2, 8]
>>> model.weekly_errors_[2].shape  # 1,000 equally likely log errors of each week after week 2
(1000, 8)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge

__all__ = ["MIN_UPDATE_LAUNCHES", "EarlySalesUpdate"]

MIN_UPDATE_LAUNCHES = 40
"""Fewest past launches (with an out-of-fold prior) an update from early sales is learned from."""

_GRID = np.linspace(0.0005, 0.9995, 1000)
_CALIBRATION_SHARE = 1 / 3


def _level_features(prior: np.ndarray, actual: np.ndarray, k: int) -> np.ndarray:
    """What is known after ``k`` weeks, one row per launch (``log1p`` scale)."""
    seen = np.log1p(actual[:, :k].clip(min=0).sum(axis=1))
    seen_prior = np.log1p(prior[:, :k].sum(axis=1))
    return np.column_stack(
        [
            np.full(len(prior), float(k)),
            seen,
            seen_prior,
            seen - seen_prior,
            np.log1p(actual[:, k - 1].clip(min=0)),
            np.log1p(prior[:, k - 1]),
            np.log1p(prior[:, k:].sum(axis=1)),
            np.log1p(actual[:, 0].clip(min=0)),
        ]
    )


def _shape_features(prior: np.ndarray, actual: np.ndarray, k: int) -> np.ndarray:
    """One row per launch and remaining week ``k + 1 .. horizon``."""
    n, horizon = prior.shape
    weeks = np.arange(k + 1, horizon + 1, dtype=float)
    rest = prior[:, k:]
    share = rest / np.maximum(rest.sum(axis=1, keepdims=True), 1e-12)
    last = np.log1p(actual[:, k - 1].clip(min=0))
    trend = last - np.log1p(actual[:, 0].clip(min=0))
    per_launch = np.column_stack(
        [np.log1p(actual[:, :k].clip(min=0).sum(axis=1)), last, trend, np.full(n, float(k))]
    )
    return np.column_stack(
        [
            np.repeat(per_launch, len(weeks), axis=0),
            np.tile(weeks, n),
            np.tile(weeks - k, n),
            share.ravel(),
        ]
    )


class _Models:
    """The level and shape models of one fit (all ``k`` stacked)."""

    def __init__(self, horizon: int, params: dict[str, Any]) -> None:
        self.horizon, self.params = horizon, params
        self.boost: HistGradientBoostingRegressor | None = None
        self.linear: dict[int, Ridge] = {}
        self.shape: HistGradientBoostingRegressor | None = None

    def _boosting(self, **change: Any) -> HistGradientBoostingRegressor:
        settings = {**self.params, **change}
        return HistGradientBoostingRegressor(**settings)

    def fit(self, prior: np.ndarray, actual: np.ndarray) -> _Models:
        actual = actual.clip(min=0)
        rows, targets, shape_rows, shares = [], [], [], []
        for k in range(1, self.horizon):
            X = _level_features(prior, actual, k)
            remaining = np.log1p(actual[:, k:].sum(axis=1))
            rows.append(X)
            targets.append(remaining - X[:, 6])
            self.linear[k] = Ridge(alpha=1.0).fit(X[:, 1:], remaining)
            total = actual[:, k:].sum(axis=1)
            sold = total > 0
            shape_rows.append(_shape_features(prior[sold], actual[sold], k))
            shares.append((actual[sold, k:] / total[sold, None]).ravel())
        self.boost = self._boosting().fit(np.vstack(rows), np.concatenate(targets))
        self.shape = self._boosting(max_iter=self.params["max_iter"] // 3).fit(
            np.vstack(shape_rows), np.concatenate(shares)
        )
        return self

    def predict(self, prior: np.ndarray, actual: np.ndarray, k: int) -> np.ndarray:
        """(n, horizon - k) forecast of the remaining weeks of launches with ``k`` weeks seen."""
        assert self.boost is not None and self.shape is not None
        X = _level_features(prior, actual.clip(min=0), k)
        log_level = 0.5 * (self.boost.predict(X) + X[:, 6]) + 0.5 * self.linear[k].predict(X[:, 1:])
        rest = self.horizon - k
        share = self.shape.predict(_shape_features(prior, actual, k)).reshape(len(prior), rest)
        share = share.clip(min=1e-6)
        share /= share.sum(axis=1, keepdims=True)
        out: np.ndarray = np.expm1(log_level).clip(min=0)[:, None] * share
        return out


class EarlySalesUpdate:
    """The forecast of a new product's remaining weeks given its first weeks of sales.

    Parameters
    ----------
    horizon : int
        Weeks of the season (the forecaster's ``horizon_weeks``).
    params : dict, optional
        Settings of the gradient boosting (``HistGradientBoostingRegressor``): default 300
        iterations, learning rate 0.05, 15 leaves, 50 samples per leaf. The shape model uses a
        third of the iterations.

    Attributes
    ----------
    weekly_errors_, cum_errors_ : dict of int to numpy.ndarray
        Per ``k``, the (1000, horizon) grid of calibration errors of each remaining week and of the
        running total from week ``k + 1`` (NaN for the observed weeks).
    n_launches_ : int
        Past launches learned from.
    """

    def __init__(self, horizon: int, params: dict[str, Any] | None = None) -> None:
        self.horizon = int(horizon)
        self.params: dict[str, Any] = {
            "max_iter": 300,
            "learning_rate": 0.05,
            "max_leaf_nodes": 15,
            "min_samples_leaf": 50,
            "l2_regularization": 1.0,
            "random_state": 0,
            **(params or {}),
        }

    def fit(
        self, prior: np.ndarray, actual: np.ndarray, launch_days: np.ndarray
    ) -> EarlySalesUpdate:
        """Learn from past launches: their out-of-fold ``prior``, ``actual`` weeks, launch days.

        Parameters
        ----------
        prior, actual : numpy.ndarray
            (n, horizon) weekly units: the launch-time forecast made without the launch, and the
            sales.
        launch_days : numpy.ndarray
            (n,) launch day of each (any number that orders them in time).

        Returns
        -------
        EarlySalesUpdate
            ``self``.
        """
        prior = np.asarray(prior, float).clip(min=0)
        actual = np.asarray(actual, float)
        order = np.argsort(np.asarray(launch_days, float), kind="stable")
        cut = int(len(order) * (1 - _CALIBRATION_SHARE))
        early, late = order[:cut], order[cut:]
        self.weekly_errors_: dict[int, np.ndarray] = {}
        self.cum_errors_: dict[int, np.ndarray] = {}
        models = _Models(self.horizon, self.params).fit(prior[early], actual[early])
        truth = actual[late].clip(min=0)
        for k in range(1, self.horizon):
            forecast = models.predict(prior[late], actual[late], k)
            errors = np.full((len(_GRID), self.horizon), np.nan)
            cum = errors.copy()
            errors[:, k:] = np.quantile(np.log1p(truth[:, k:]) - np.log1p(forecast), _GRID, axis=0)
            cum[:, k:] = np.quantile(
                np.log1p(truth[:, k:].cumsum(axis=1)) - np.log1p(forecast.cumsum(axis=1)),
                _GRID,
                axis=0,
            )
            self.weekly_errors_[k], self.cum_errors_[k] = errors, cum
        self.models_ = _Models(self.horizon, self.params).fit(prior, actual)
        self.n_launches_ = len(prior)
        return self

    def predict(
        self, prior: np.ndarray, observed: np.ndarray, weeks_seen: np.ndarray
    ) -> np.ndarray:
        """Update each product's point forecast with its ``weeks_seen[i]`` observed weeks.

        Parameters
        ----------
        prior : numpy.ndarray
            (n, horizon) launch-time point forecast of each week.
        observed : numpy.ndarray
            (n, horizon) observed units; only weeks ``1..weeks_seen[i]`` are read.
        weeks_seen : numpy.ndarray
            (n,) whole weeks observed, 0 .. horizon.

        Returns
        -------
        numpy.ndarray
            (n, horizon) median-like forecast of each week not yet observed; NaN for the observed
            weeks. A product with no week observed keeps its prior. The errors of the weeks of a
            product with ``k`` weeks observed are ``weekly_errors_[k]`` (running totals from week
            ``k + 1``: ``cum_errors_[k]``).
        """
        prior = np.asarray(prior, float).clip(min=0)
        observed = np.nan_to_num(np.asarray(observed, float))
        seen = np.asarray(weeks_seen, int).clip(0, self.horizon)
        point = prior.copy()
        for k in np.unique(seen[seen > 0]):
            rows = np.flatnonzero(seen == k)
            point[rows, :k] = np.nan
            if k < self.horizon:
                point[rows, k:] = self.models_.predict(prior[rows], observed[rows], int(k))
        return point
