"""Zero-history forecasts of a new product's first weeks, learned from past launches.

:class:`NewProductForecaster` learns from past launches how the first ``horizon_weeks`` weeks of
sales depend on a product's attributes (category, colour, fabric, price, ...), its launch timing
against the season and, optionally, the interest its attributes drew before launch (see
:mod:`forecasting.depth.analogs`).

How it works
------------
1. **Level**: gradient boosting (scikit-learn's ``HistGradientBoostingRegressor``, categorical
   attributes native) on ``log1p`` of the units sold over the horizon. On the log scale the fit is
   a median-like estimate, robust to the few blockbusters.
2. **Shape**: a boosted model of the share of the horizon's units sold in each week (the week is a
   feature beside the product's: a style launched just before the autumn surge peaks later than one
   launched into it); shares are normalised.
3. **Calibrated quantiles** (conformal style): the whole fit is repeated on ``n_folds`` folds; the
   out-of-fold errors ``log1p(actual) - log1p(predicted)`` of each week give the quantiles, so that
   the 80 % interval covers about 80 % of held-out weeks. ``mean`` is the smearing estimate (the
   average of the forecast over those errors), ``p50`` the median.
4. **Broader analogs**: a product whose category had fewer than ``min_analogs`` past launches (a new
   category) is forecast by a second model fitted on all launches without the category attribute
   (its other attributes, timing and trends still count), with its own out-of-fold errors. The
   ``basis`` column says which: ``"category"`` or ``"all launches"``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> n = 60
>>> products = pd.DataFrame({"sku": [f"S{i}" for i in range(n)],
...                          "category": rng.choice(["coat", "dress"], n),
...                          "launch_date": pd.Timestamp("2023-01-02")  # Mondays
...                          + pd.to_timedelta(7 * rng.integers(0, 40, n), unit="D")})
>>> rows = [(s, d + pd.Timedelta(days=6 + 7 * w), 20.0 + 10 * (c == "coat"))  # weeks end on Sunday
...         for s, c, d in products[["sku", "category", "launch_date"]].itertuples(index=False)
...         for w in range(4)]
>>> sales = pd.DataFrame(rows, columns=["sku", "date", "units"])
>>> model = NewProductForecaster(horizon_weeks=4, n_folds=3).fit(products, sales)
>>> new = pd.DataFrame({"sku": ["N1"], "category": ["coat"], "launch_date": ["2023-06-05"]})
>>> model.predict(new).round(0)[["sku", "week", "p50"]].head(2)
  sku  week   p50
0  N1     1  30.0
1  N1     2  30.0
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from forecasting.depth.analogs import (
    _build_features,
    _clean_trends,
    _curves_and_launches,
    _FeatureSchema,
    _learn_schema,
)
from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.inputs.readers import read_products, read_sales
from forecasting.inputs.tables import Source

__all__ = ["NewProductForecaster"]

_CATEGORY = "category"
_FALLBACK = "all launches"
_GRID = np.linspace(0.0005, 0.9995, 1000)
_CHUNK = 500
_SMALL = 2000  # below this many rows, one thread is faster than OpenMP's start-up


def _quantile_names(quantiles: Sequence[float]) -> list[str]:
    names = []
    for q in quantiles:
        if not 0 < float(q) < 1:
            raise DataValidationError(f"quantiles must lie strictly between 0 and 1, got {q!r}.")
        pct = float(q) * 100
        names.append(f"p{round(pct):d}" if abs(pct - round(pct)) < 1e-9 else f"p{pct:g}")
    if len(set(names)) != len(names):
        raise DataValidationError(f"quantiles {list(quantiles)!r} repeat a value.")
    return names


class _Basis:
    """One level model and one shape model (week as a feature), fitted on one feature set."""

    def __init__(self, params: dict[str, Any], categorical: list[bool], horizon: int) -> None:
        self.params, self.categorical, self.horizon = params, categorical, horizon
        self.level: HistGradientBoostingRegressor | None = None
        self.shape: HistGradientBoostingRegressor | None = None
        self.mean_share = np.full(horizon, 1.0 / horizon)

    def _model(self, categorical: list[bool], **change: Any) -> HistGradientBoostingRegressor:
        p = {k: v for k, v in self.params.items() if not k.startswith("shape_")}
        p.update(change)
        return HistGradientBoostingRegressor(categorical_features=categorical, **p)

    def _stack(self, X: np.ndarray) -> np.ndarray:
        weeks = np.repeat(np.arange(1, self.horizon + 1, dtype=float)[None, :], len(X), axis=0)
        return np.column_stack([np.repeat(X, self.horizon, axis=0), weeks.ravel()])

    def fit(self, X: np.ndarray, Y: np.ndarray) -> _Basis:
        total = Y.clip(min=0).sum(axis=1)
        self.level = self._model(self.categorical).fit(X, np.log1p(total))
        sold = total > 0
        shares = Y[sold].clip(min=0) / total[sold, None]
        self.mean_share = shares.mean(axis=0) if sold.any() else self.mean_share
        self.shape = None
        if sold.sum() >= 20:
            model = self._model(
                [*self.categorical, False],
                max_iter=self.params["shape_max_iter"],
                max_leaf_nodes=self.params["shape_max_leaf_nodes"],
            )
            self.shape = model.fit(self._stack(X[sold]), shares.ravel())
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        assert self.level is not None
        level = np.expm1(self.level.predict(X)).clip(min=0)
        if self.shape is not None:
            share = self.shape.predict(self._stack(X)).reshape(len(X), self.horizon).clip(min=1e-6)
            share /= share.sum(axis=1, keepdims=True)
        else:
            share = np.tile(self.mean_share, (len(X), 1))
        out: np.ndarray = level[:, None] * share
        return out


class NewProductForecaster:
    """Forecast the first weeks of sales of products without history, from analogous past launches.

    Parameters
    ----------
    horizon_weeks : int, default 12
        Weeks after launch to forecast.
    quantiles : sequence of float, default (0.1, 0.5, 0.9)
        Quantiles to report, as columns ``p10``, ``p50``, ``p90``; calibrated on out-of-fold errors.
    min_analogs : int, default 5
        A category with fewer past launches than this is forecast from all launches (``basis``
        column).
    n_folds : int, default 5
        Folds of the out-of-fold errors that calibrate the quantiles.
    trend_weeks : int, default 52
        Weeks of the optional ``trends`` table before each launch that describe pre-launch interest.
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Gradient-boosting settings of the level model (and of the shape model, but for the next
        two).
    shape_max_iter, shape_max_leaf_nodes : int, default 800, 31
        Iterations and leaves of the shape model (it sees ``horizon_weeks`` rows per launch).
    random_state : int, default 0
        Seed of the folds and the boosting.
    n_threads : int, optional
        OpenMP threads of the boosting; default: one below 2,000 launches (thread start-up would
        cost more than it saves), all cores above.

    Attributes
    ----------
    curves_ : pandas.DataFrame
        Weekly units of the past launches used (index ``sku``, columns ``1..horizon_weeks``).
    residuals_ : dict
        Per basis, the quantile grid (1000 x ``horizon_weeks``) of out-of-fold log errors.
    category_counts_ : pandas.Series
        Past launches per category.

    Examples
    --------
    See the module docstring; ``predict`` returns ``sku, week, mean, p10, p50, p90, basis``.

    >>> NewProductForecaster().predict(None)
    Traceback (most recent call last):
    ...
    forecasting.exceptions.NotFittedError: NewProductForecaster is not fitted yet: call
    fit(products, sales) first.
    """

    def __init__(
        self,
        horizon_weeks: int = 12,
        quantiles: Sequence[float] = (0.1, 0.5, 0.9),
        *,
        min_analogs: int = 5,
        n_folds: int = 5,
        trend_weeks: int = 52,
        max_iter: int = 300,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 20,
        l2_regularization: float = 1.0,
        shape_max_iter: int = 800,
        shape_max_leaf_nodes: int = 31,
        random_state: int = 0,
        n_threads: int | None = None,
    ) -> None:
        self.horizon_weeks = horizon_weeks
        self.quantiles = quantiles
        self.min_analogs = min_analogs
        self.n_folds = n_folds
        self.trend_weeks = trend_weeks
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.shape_max_iter = shape_max_iter
        self.shape_max_leaf_nodes = shape_max_leaf_nodes
        self.random_state = random_state
        self.n_threads = n_threads

    def _params(self, n: int) -> dict[str, Any]:
        return {
            "max_iter": int(self.max_iter),
            "learning_rate": float(self.learning_rate),
            "max_leaf_nodes": int(self.max_leaf_nodes),
            "min_samples_leaf": int(min(self.min_samples_leaf, max(2, n // 10))),
            "l2_regularization": float(self.l2_regularization),
            "random_state": int(self.random_state),
            "shape_max_iter": int(self.shape_max_iter),
            "shape_max_leaf_nodes": int(self.shape_max_leaf_nodes),
        }

    def _matrix(self, feats: pd.DataFrame, basis: str) -> tuple[np.ndarray, list[bool]]:
        if basis == _FALLBACK:
            feats = feats.drop(columns=[_CATEGORY], errors="ignore")
        if (
            basis not in self.columns_
        ):  # fitting: drop features never observed (e.g. no trend column)
            self.columns_[basis] = [c for c in feats.columns if feats[c].notna().any()]
        feats = feats[self.columns_[basis]]
        categorical = [c in self.schema_.categorical for c in feats.columns]
        return feats.to_numpy(float), categorical

    def fit(
        self,
        products: Source,
        sales: Source,
        trends: pd.DataFrame | None = None,
    ) -> NewProductForecaster:
        """Learn from past launches.

        Parameters
        ----------
        products : DataFrame or path
            Past launches (:func:`forecasting.inputs.read_products`): ``sku``, ``category``,
            attributes
            (text columns such as colour or fabric; numeric ones such as price), ``launch_date``
            (default: the first sales date). ``unit_cost`` and ``salvage_value`` are not used as
            features.
        sales : DataFrame or path
            Their sales (:func:`forecasting.inputs.read_sales`): ``sku``, ``date``, ``units``,
            daily or
            weekly.
            See :func:`forecasting.depth.analogs.launch_curves` for which launches count.
        trends : pandas.DataFrame, optional
            Optional pre-launch interest: a weekly table with a ``date`` column (or index) and one
            column per attribute value, e.g. ``"culottes"``, ``"red"``, ``"linen"`` (Google-Trends
            style, 0-100; negative values count as missing). For each text attribute of a product
            whose value has a column, the mean, last-4-week mean, change and last value over the
            ``trend_weeks`` before launch become features. It is kept and reused by :meth:`predict`
            unless another table is given there.

        Returns
        -------
        NewProductForecaster
            ``self``, fitted.

        Raises
        ------
        DataValidationError
            Fewer than 10 fully observed past launches, or bad input tables.
        """
        self.names_ = _quantile_names(self.quantiles)
        horizon = int(self.horizon_weeks)
        prods = read_products(products)
        prods = prods.assign(sku=prods["sku"].astype(str)).drop_duplicates("sku")
        hist = read_sales(sales)
        curves, launch = _curves_and_launches(prods, hist, horizon)
        if len(curves) < 10:
            raise DataValidationError(
                f"products/sales: only {len(curves)} past launches have {horizon} weeks of sales "
                "after launch "
                f"({curves.attrs.get('n_censored', 0)} still selling, "
                f"{curves.attrs.get('n_without_sales', 0)} "
                "without sales rows); at least 10 are needed. Give more history or a shorter "
                "horizon_weeks."
            )
        past = prods.set_index("sku").loc[curves.index].reset_index()
        past["launch_date"] = past["sku"].map(launch)  # the first sales date where none was given
        self.trends_ = _clean_trends(trends)
        self.schema_: _FeatureSchema = _learn_schema(past, self.trends_)
        cats = past[_CATEGORY].astype(str) if _CATEGORY in past else pd.Series("", index=past.index)
        self.category_counts_ = cats.value_counts()
        Y = curves.to_numpy(float)
        params = self._params(len(curves))
        self.models_: dict[str, _Basis] = {}
        self.columns_: dict[str, list[str]] = {}
        self.residuals_: dict[str, np.ndarray] = {}
        self.cum_residuals_: dict[str, np.ndarray] = {}
        folds = KFold(
            min(int(self.n_folds), len(curves)), shuffle=True, random_state=self.random_state
        )
        with threadpool_limits(limits=self._threads(len(curves)), user_api="openmp"):
            self._fit_bases(past, Y, folds, params)
        self.curves_ = curves
        self.n_launches_ = len(curves)
        return self

    def _threads(self, n: int) -> int | None:
        if self.n_threads is not None:
            return int(self.n_threads)
        return 1 if n < _SMALL else None

    def _fit_bases(
        self, past: pd.DataFrame, Y: np.ndarray, folds: KFold, params: dict[str, Any]
    ) -> None:
        horizon = int(self.horizon_weeks)
        feats = _build_features(past, self.schema_, self.trends_, int(self.trend_weeks))
        for basis in ("category", _FALLBACK):
            X, categorical = self._matrix(feats, basis)
            oof = np.zeros_like(Y)
            for train, test in folds.split(X):
                oof[test] = (
                    _Basis(params, categorical, horizon).fit(X[train], Y[train]).predict(X[test])
                )
            errors = np.log1p(Y.clip(min=0)) - np.log1p(oof)
            self.residuals_[basis] = np.quantile(errors, _GRID, axis=0)
            cum_errors = np.log1p(Y.clip(min=0).cumsum(axis=1)) - np.log1p(oof.cumsum(axis=1))
            self.cum_residuals_[basis] = np.quantile(cum_errors, _GRID, axis=0)
            self.models_[basis] = _Basis(params, categorical, horizon).fit(X, Y)

    def _predict_block(
        self, part: pd.DataFrame, basis: str, trends: pd.DataFrame | None
    ) -> pd.DataFrame:
        horizon = int(self.horizon_weeks)
        feats = _build_features(part, self.schema_, trends, int(self.trend_weeks))
        X, _ = self._matrix(feats, basis)
        point = self.models_[basis].predict(X)  # (n, horizon)
        out: dict[str, np.ndarray] = {
            "sku": np.repeat(part["sku"].to_numpy(), horizon),
            "week": np.tile(np.arange(1, horizon + 1), len(part)),
        }
        # each grid row is an equally likely out-of-fold error: the forecast's distribution
        weekly = np.expm1(np.log1p(point)[:, None, :] + self.residuals_[basis][None]).clip(min=0)
        out["mean"] = weekly.mean(axis=1).ravel()
        for q, name in zip(self.quantiles, self.names_, strict=True):
            out[name] = np.quantile(weekly, float(q), axis=1).ravel()
        cum_point = np.log1p(point.cumsum(axis=1))[:, None, :]
        cum = np.expm1(cum_point + self.cum_residuals_[basis][None]).clip(min=0)
        out["cum_mean"] = cum.mean(axis=1).ravel()
        out["cum_sd"] = cum.std(axis=1).ravel()
        frame = pd.DataFrame(out)
        frame["basis"] = basis
        return frame

    def predict(self, new_products: Source, trends: pd.DataFrame | None = None) -> pd.DataFrame:
        """Forecast each new product's weekly sales after launch.

        Parameters
        ----------
        new_products : DataFrame or path
            The new plan (:func:`forecasting.inputs.read_products`): ``sku``, ``category``, the
            attributes used in ``fit``, ``launch_date`` (planned; without it the timing features are
            missing and the model averages over timings).
        trends : pandas.DataFrame, optional
            Interest table covering the weeks before the new launches; default: the one given to
            ``fit``.

        Returns
        -------
        pandas.DataFrame
            ``sku``, ``week`` (1..horizon_weeks), ``mean``, the quantile columns (``p10``, ``p50``,
            ``p90``), ``cum_mean`` and ``cum_sd`` (mean and sd of the units of weeks 1..``week``
            together, calibrated on the out-of-fold errors of those totals: what
            :func:`~forecasting.depth.first_batch_depth` uses), ``basis`` (``"category"``, or ``"all
            launches"`` for a category with fewer than ``min_analogs`` past launches).

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        """
        if not hasattr(self, "models_"):
            raise NotFittedError(
                "NewProductForecaster is not fitted yet: call fit(products, sales) first."
            )
        new = read_products(new_products)
        new = new.assign(sku=new["sku"].astype(str))
        dup = new["sku"].duplicated()
        if dup.any():
            raise DataValidationError(
                f"new_products: sku repeated: {list(new.loc[dup, 'sku'][:5])}; give one row per "
                "new product."
            )
        table = self.trends_ if trends is None else _clean_trends(trends)
        cat = new[_CATEGORY].astype(str) if _CATEGORY in new else pd.Series("", index=new.index)
        known = cat.map(self.category_counts_).fillna(0).to_numpy() >= int(self.min_analogs)
        horizon = int(self.horizon_weeks)
        frames: list[pd.DataFrame] = []
        for basis, rows in (("category", known), (_FALLBACK, ~known)):
            where = np.flatnonzero(rows)
            for start in range(0, len(where), _CHUNK):
                block = where[start : start + _CHUNK]
                with threadpool_limits(limits=self._threads(len(block)), user_api="openmp"):
                    frame = self._predict_block(new.iloc[block], basis, table)
                frame["_order"] = np.repeat(block, horizon)
                frames.append(frame)
        if not frames:
            raise DataValidationError(
                "new_products: the table has no rows; give at least one new product."
            )
        result = pd.concat(frames, ignore_index=True).sort_values(["_order", "week"], kind="stable")
        return result.drop(columns="_order").reset_index(drop=True)
