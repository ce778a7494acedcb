"""Prophet's model, estimated in process: the same MAP estimate without a cmdstan run per series.

Prophet fits its model by handing the data to a compiled Stan program (a subprocess that reads and
writes JSON and CSV files) and rebuilds its design matrices with pandas at every ``fit`` and
``predict``. For thousands of short series these overheads are most of the run time (profile of one
weekly Walmart series: ~75 ms in cmdstan, ~50 ms of pandas around it; and Prophet switches to the
much slower Newton optimiser below 100 observations, i.e. for every two-year weekly series).

With linear growth and additive terms, which is what :class:`~forecasting.models.prophet_model.
ProphetModel` uses, Prophet's model is linear in its parameters: ``y = Z @ theta + noise`` with
``Z = [t, 1, A * (t - t_change), X]`` (``A`` the changepoint indicator matrix, ``X`` the Fourier
terms and the calendar regressors). The MAP estimate Stan computes (without Jacobian) minimises

``T log s + |y - Z theta|^2 / (2 s^2) + k^2/50 + m^2/50 + sum|delta| / tau + 2 s^2
+ sum beta^2 / (2 sigma_beta^2)``

(priors: ``k, m ~ N(0, 5)``, ``delta ~ Laplace(0, tau)``, ``sigma_obs ~ N+(0, 0.5)``,
``beta ~ N(0, sigma_beta)``). :func:`map_estimate` minimises it exactly, block by block: for a
given noise level the Gaussian-prior coefficients are eliminated in closed form and the
changepoints (Laplace prior) are a small exact lasso; then the noise level has a closed-form
minimiser; repeat until the objective stops decreasing. Scaling (``y / max|y|``, time in
[0, 1]), changepoints (25 evenly over the first 80 % of the history), Fourier terms (Prophet's own
``fourier_series``), flat or linear trend and priors are Prophet's. On Walmart and China clothing
series it reaches an equal or lower objective than Stan (whose L-BFGS/Newton stop earlier), with
forecasts within 1 % of Stan's and equal WAPE, in a few milliseconds per series instead of
0.1-2 s.

Examples
--------
>>> import numpy as np, pandas as pd
>>> t = np.linspace(0, 1, 50)
>>> Z = np.column_stack([t, np.ones(50)])
>>> theta, sigma = map_estimate(Z, 0.2 + 0.5 * t, np.array([]), np.empty((50, 0)), tau=0.05)
>>> np.round(theta, 3).tolist()
[0.5, 0.2]
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from forecasting.models.base import SeriesConfig, finalize_forecast
from forecasting.models.prophet_model import (
    ProphetModel,
    _growth,
    _holidays_prior,
    _informative_columns,
    _level_sd,
    _yearly_order,
)

__all__ = ["ProphetDesign", "ProphetMAP", "fourier_terms", "map_estimate"]

_YEAR = 365.25
_WEEK = 7.0


def fourier_terms(dates: pd.DatetimeIndex, period: float, order: int) -> np.ndarray:
    """Prophet's Fourier terms (``sin, cos`` of ``2 pi (i + 1) t / period``, ``t`` in days since
    1970-01-01), as in :meth:`prophet.Prophet.fourier_series`.

    Parameters
    ----------
    dates : DatetimeIndex
        Dates.
    period : float
        Days per cycle.
    order : int
        Number of harmonics.

    Returns
    -------
    ndarray, shape (len(dates), 2 * order)

    Examples
    --------
    >>> fourier_terms(pd.DatetimeIndex(["1970-01-01"]), 7.0, 1).tolist()
    [[0.0, 1.0]]
    """
    days = pd.DatetimeIndex(dates).as_unit("ns").asi8 / 86_400e9
    out = np.empty((len(days), 2 * order))
    for i in range(order):
        angle = 2.0 * np.pi * (i + 1) / period * days
        out[:, 2 * i] = np.sin(angle)
        out[:, 2 * i + 1] = np.cos(angle)
    return out


def _posterior(
    rss: float,
    n: int,
    sigma2: float,
    theta: np.ndarray,
    prior_prec: np.ndarray,
    delta: np.ndarray,
    tau: float,
) -> float:
    """Negative log posterior of Prophet's model (up to a constant)."""
    return (
        0.5 * n * np.log(sigma2)
        + 0.5 * rss / sigma2
        + 0.5 * float(theta @ (prior_prec * theta))
        + float(np.abs(delta).sum()) / tau
        + 2.0 * sigma2
    )


def map_estimate(
    base: np.ndarray,
    y: np.ndarray,
    sigmas: np.ndarray,
    X: np.ndarray,
    tau: float,
    cp_columns: np.ndarray | None = None,
    *,
    max_iter: int = 500,
    tol: float = 1e-8,
) -> tuple[np.ndarray, float]:
    """MAP estimate of Prophet's additive model (linear or flat trend).

    Block coordinate descent, each block minimised exactly, so the objective never increases:
    for the current noise variance ``s^2``, the coefficients with Gaussian priors (``k, m, beta``)
    are eliminated through the normal equations, which leaves the changepoints ``delta`` with the
    Schur complement as a small lasso (``|delta| / tau``), solved exactly by coordinate descent;
    then ``s^2`` is the positive root of ``4 s^4 + T s^2 - RSS = 0``. It stops when the relative
    decrease is below ``tol``. Deterministic, a few milliseconds per series.

    Parameters
    ----------
    base : ndarray, shape (T, 2) or (T, 1)
        Columns ``t`` (scaled time) and ``1``; only ``1`` for a flat trend.
    y : ndarray, shape (T,)
        Scaled target.
    sigmas : ndarray, shape (K,)
        Prior scales of the columns of ``X``.
    X : ndarray, shape (T, K)
        Seasonal terms and regressors.
    tau : float
        Changepoint prior scale (Laplace).
    cp_columns : ndarray, shape (T, S), optional
        ``A * (t - t_change)``: the changepoint columns.
    max_iter : int
        Iterations at most.
    tol : float
        Relative decrease of the objective at which to stop.

    Returns
    -------
    theta : ndarray
        ``k, m, delta (S), beta (K)`` (``m, beta`` for a flat trend).
    sigma : float
        Noise scale (on the scaled target).

    Examples
    --------
    >>> t = np.linspace(0, 1, 40)
    >>> base = np.column_stack([t, np.ones(40)])
    >>> kink = np.clip(t[:, None] - np.array([[0.5]]), 0, None)  # one changepoint at t = 0.5
    >>> y = 0.2 + 0.1 * t + 0.8 * kink[:, 0]
    >>> theta, sigma = map_estimate(base, y, np.array([]), np.empty((40, 0)), 0.5, kink)
    >>> np.round(theta, 2).tolist()  # k, m, delta
    [0.1, 0.2, 0.8]
    """
    cps = np.empty((len(y), 0)) if cp_columns is None else cp_columns
    n_cp = cps.shape[1]
    Z = np.hstack([cps, base, X])  # changepoints first: d = delta, g = the Gaussian-prior rest
    n, p = Z.shape
    n_base = base.shape[1]
    prior_prec = np.r_[np.zeros(n_cp), np.full(n_base, 1.0 / 25.0), 1.0 / np.square(sigmas)]
    if np.ptp(y) == 0:  # constant series: Prophet keeps its initial values (flat line)
        theta = np.zeros(p)
        theta[n_cp + n_base - 1] = float(y[0])
        return _reorder(theta, n_cp, n_base), 1e-9
    gram = Z.T @ Z
    zy = Z.T @ y
    yy = float(y @ y)
    d, g = slice(0, n_cp), slice(n_cp, p)
    sigma2 = max(float(np.var(y)), 1e-12)
    delta = np.zeros(n_cp)
    best = np.inf
    theta = np.zeros(p)
    for _ in range(max_iter):
        h_gg = gram[g, g] + sigma2 * np.diag(prior_prec[g])  # (times sigma2)
        inv = np.linalg.solve(h_gg, np.column_stack([gram[g, d], zy[g]]))
        inv_gd, inv_bg = inv[:, :n_cp], inv[:, n_cp]
        if n_cp:  # the changepoints: an exact small lasso on the Schur complement
            q = gram[d, d] - gram[g, d].T @ inv_gd
            c = zy[d] - gram[g, d].T @ inv_bg
            delta = _lasso(q, c, sigma2 / tau, delta)
        theta = np.r_[delta, inv_bg - inv_gd @ delta]
        rss = max(yy - 2.0 * float(theta @ zy) + float(theta @ gram @ theta), 0.0)
        sigma2 = max((np.sqrt(n * n + 16.0 * rss) - n) / 8.0, 1e-18)
        value = _posterior(rss, n, sigma2, theta, prior_prec, delta, tau)
        done = best - value <= tol * max(1.0, abs(value))
        best = min(best, value)
        if done:
            break
    return _reorder(theta, n_cp, n_base), float(np.sqrt(sigma2))


def _lasso(q: np.ndarray, c: np.ndarray, penalty: float, start: np.ndarray) -> np.ndarray:
    """argmin ``x' q x / 2 - c' x + penalty * |x|_1`` (``q`` positive definite), exactly, by
    coordinate descent (scikit-learn's ``enet_path``) on the least-squares form ``q = L L'``."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import enet_path

    k = len(c)
    jitter = 1e-12 * max(float(np.trace(q)) / k, 1e-300)
    chol = np.linalg.cholesky(q + jitter * np.eye(k))
    design = np.asfortranarray(chol.T)
    target = np.linalg.solve(chol, c)
    with warnings.catch_warnings():  # the duality gap is far below what matters here
        warnings.simplefilter("ignore", ConvergenceWarning)
        _, coefs, _ = enet_path(
            design,
            target,
            l1_ratio=1.0,
            alphas=[penalty / k],
            coef_init=np.array(start, dtype=float),
            tol=1e-12,
            max_iter=100_000,
            check_input=False,
        )
    return np.asarray(coefs[:, 0], dtype=float)


def _reorder(theta: np.ndarray, n_cp: int, n_base: int) -> np.ndarray:
    """``[delta, k, m, beta]`` -> ``[k, m, delta, beta]``."""
    return np.r_[theta[n_cp : n_cp + n_base], theta[:n_cp], theta[n_cp + n_base :]]


class ProphetDesign:
    """Prophet's scaling, changepoints and design matrix for one history, fitted by MAP.

    Parameters
    ----------
    dates : DatetimeIndex
        Dates of the observed history (rows with a value).
    yearly_order : int or False
        Fourier order of the yearly seasonality (``False``: none).
    weekly_order : int or False
        Fourier order of the weekly seasonality (daily data).
    n_changepoints : int
        Potential changepoints (Prophet's default 25).
    changepoint_range : float
        Share of the history where changepoints may fall.
    changepoint_prior_scale, seasonality_prior_scale : float
        Prophet's priors.
    growth : {"linear", "flat"}
        Prophet's trend (``"flat"``: a constant level).
    freq : str, optional
        Frequency of the dates (keeps :attr:`history` compact).

    Examples
    --------
    >>> dates = pd.date_range("2020-01-03", periods=120, freq="W-FRI")
    >>> y = np.log1p(100 + 30 * np.sin(2 * np.pi * np.arange(120) / 52.18))
    >>> d = ProphetDesign(dates, yearly_order=5, weekly_order=False).fit(y, np.empty((120, 0)), [])
    >>> bool(np.abs(d.yhat(dates, np.empty((120, 0))) - y).max() < 0.02)
    True
    """

    def __init__(
        self,
        dates: pd.DatetimeIndex,
        yearly_order: int | bool,
        weekly_order: int | bool,
        n_changepoints: int = 25,
        changepoint_range: float = 0.8,
        changepoint_prior_scale: float = 0.05,
        seasonality_prior_scale: float = 10.0,
        growth: str = "linear",
        freq: str | None = None,
    ) -> None:
        dates = pd.DatetimeIndex(dates)
        self.growth = growth
        self._dates: pd.DatetimeIndex | None = dates
        if freq is None:
            self.history_span_: tuple[Any, ...] = (dates,)
        else:  # compact: first, last, frequency and the periods left out (censored)
            full = pd.date_range(dates[0], dates[-1], freq=freq)
            self.history_span_ = (dates[0], dates[-1], freq, np.flatnonzero(~full.isin(dates)))
        self.yearly_order = int(yearly_order) if yearly_order else 0
        self.weekly_order = int(weekly_order) if weekly_order else 0
        self.tau = float(changepoint_prior_scale)
        self.seasonality_prior_scale = float(seasonality_prior_scale)
        self.start_ = dates[0]
        span = dates[-1] - dates[0]
        self.t_scale_ = span if span > pd.Timedelta(0) else pd.Timedelta(days=1)
        hist_size = int(np.floor(len(dates) * changepoint_range))
        n_cp = min(int(n_changepoints), hist_size - 1)
        if n_cp > 0 and growth == "linear":
            idx = np.linspace(0, hist_size - 1, n_cp + 1).round().astype(int)[1:]
            self.changepoints_t_ = np.sort(self._t(dates[idx]))
        else:
            self.changepoints_t_ = np.zeros(0)

    def _t(self, dates: pd.DatetimeIndex) -> np.ndarray:
        nanoseconds = pd.DatetimeIndex(dates).as_unit("ns").asi8 - pd.Timestamp(self.start_).value
        return nanoseconds / float(pd.Timedelta(self.t_scale_).value)

    def _seasonal(self, dates: pd.DatetimeIndex) -> np.ndarray:
        parts = [np.empty((len(dates), 0))]
        if self.yearly_order:
            parts.append(fourier_terms(dates, _YEAR, self.yearly_order))
        if self.weekly_order:
            parts.append(fourier_terms(dates, _WEEK, self.weekly_order))
        return np.hstack(parts)

    def _matrices(
        self, dates: pd.DatetimeIndex, regressors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        t = self._t(dates)
        base = np.column_stack([t, np.ones_like(t)])
        cps = np.clip(t[:, None] - self.changepoints_t_[None, :], 0.0, None)
        X = np.hstack([self._seasonal(dates), np.asarray(regressors, dtype=float)])
        return base, cps, X

    def fit(self, y: np.ndarray, regressors: np.ndarray, regressor_priors: Any) -> ProphetDesign:
        """MAP fit on the observed history (``y`` without ``NaN``, aligned with ``dates``).

        Parameters
        ----------
        y : ndarray
            Target values.
        regressors : ndarray, shape (T, R)
            Extra regressors (not standardised, additive).
        regressor_priors : sequence of float
            Prior scale of each regressor.

        Returns
        -------
        ProphetDesign
        """
        y = np.asarray(y, dtype=float)
        scale = float(np.abs(y).max())
        self.y_scale_ = scale if scale > 0 else 1.0
        n_seasonal = 2 * (self.yearly_order + self.weekly_order)
        sigmas = np.r_[
            np.full(n_seasonal, self.seasonality_prior_scale),
            np.asarray(regressor_priors, dtype=float),
        ]
        if self._dates is None or len(self._dates) != len(y):
            raise ValueError("ProphetDesign.fit: y must match the dates given to the constructor")
        base, cps, X = self._matrices(self._dates, regressors)
        if self.growth == "flat":  # constant trend m (k and the changepoints stay at 0)
            theta, self.sigma_ = map_estimate(base[:, 1:], y / self.y_scale_, sigmas, X, self.tau)
            self.theta_ = np.r_[0.0, theta]
        else:
            self.theta_, self.sigma_ = map_estimate(
                base, y / self.y_scale_, sigmas, X, self.tau, cps
            )
        self._dates = None  # not needed any more; keeps the fitted object small
        return self

    @property
    def history(self) -> pd.DataFrame:
        """The periods the model was fitted on (column ``ds``), as Prophet's ``history``.

        Kept compactly (first and last period, frequency, left-out positions) and rebuilt on
        demand, so that thousands of fitted series stay small.
        """
        if len(self.history_span_) == 1:
            return pd.DataFrame({"ds": self.history_span_[0]})
        first, last, freq, left_out = self.history_span_
        dates = pd.date_range(first, last, freq=freq)
        return pd.DataFrame({"ds": dates.delete(left_out)})

    def yhat(self, dates: pd.DatetimeIndex, regressors: np.ndarray) -> np.ndarray:
        """Point forecast (trend + seasonality + regressors) on the original scale.

        Parameters
        ----------
        dates : DatetimeIndex
            Any dates (history or future).
        regressors : ndarray, shape (len(dates), R)
            The regressors for those dates.

        Returns
        -------
        ndarray
        """
        base, cps, X = self._matrices(pd.DatetimeIndex(dates), regressors)
        return np.hstack([base, cps, X]) @ self.theta_ * self.y_scale_


class ProphetMAP(ProphetModel):
    """:class:`~forecasting.models.prophet_model.ProphetModel` (same target, terms, calendar,
    priors and residual intervals) with the MAP estimate computed in process by
    :class:`ProphetDesign` instead of a cmdstan run (``solver="map"``)."""

    def fit(self, y: pd.Series, config: SeriesConfig) -> ProphetMAP:
        """Fit on the series (``NaN`` periods, e.g. stock-outs, are left out of the fit).

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``.
        config : SeriesConfig
            Frequency, quantiles, calendar and options.

        Returns
        -------
        ProphetMAP
        """
        index = pd.DatetimeIndex(y.index)
        logs = np.log1p(np.clip(y.to_numpy(dtype=float), 0.0, None))
        observed = ~np.isnan(logs)
        if observed.sum() < 2:
            raise ValueError("Prophet needs at least two observed periods")
        features = self._regressors(index, config)
        values = features.to_numpy(dtype=float)
        keep = _informative_columns(features.columns, values[observed])
        regs = features[keep].to_numpy(dtype=float)
        design = ProphetDesign(
            index[observed],
            yearly_order=_yearly_order(len(y), config),
            weekly_order=3 if (config.is_daily and len(y) >= 14) else False,
            changepoint_range=float(config.option("changepoint_range", 0.8)),
            changepoint_prior_scale=float(config.option("changepoint_prior_scale", 0.05)),
            seasonality_prior_scale=float(config.option("seasonality_prior_scale", 10.0)),
            growth=_growth(len(y), config),
        )
        # the fitted periods, compactly: first, last, frequency and the censored positions
        design.history_span_ = (index[0], index[-1], config.freq, np.flatnonzero(~observed))
        design.fit(logs[observed], regs[observed], [_holidays_prior(config)] * len(keep))
        self.design_ = design
        self.model_ = design  # in the place of Prophet's fitted model (``model_.history``)
        self.regressors_ = keep
        self.history_end_ = index[-1]
        self.max_log_ = float(np.nanmax(logs))
        fitted = design.yhat(index[observed], regs[observed])
        residuals = logs[observed] - fitted
        self.residuals_ = residuals - np.median(residuals) if len(residuals) else np.zeros(1)
        self.level_sd_ = _level_sd(pd.Series(logs), config)
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` (quantiles from the residuals, widened with the horizon).

        Parameters
        ----------
        dates : DatetimeIndex
            Periods after the history.
        config : SeriesConfig
            Quantiles and options.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        dates = pd.DatetimeIndex(dates)
        if self.regressors_:
            regs = (
                self._regressors(dates, config)
                .reindex(columns=self.regressors_, fill_value=0.0)
                .to_numpy(dtype=float)
            )
        else:
            regs = np.empty((len(dates), 0))
        cap = self.max_log_ + np.log(3.0)  # never more than 3x the largest period seen
        yhat = np.minimum(self.design_.yhat(dates, regs), cap)
        levels = np.asarray(config.quantiles)
        steps = np.arange(1, len(dates) + 1)
        noise_sd = max(float(np.std(self.residuals_)), 1e-9)
        level_sd = float(config.option("level_uncertainty", 3.0)) * self.level_sd_
        total_sd = np.sqrt(noise_sd**2 + level_sd**2 * steps / config.season_length)
        widen = total_sd / noise_sd
        base = np.quantile(self.residuals_, levels)
        quantiles = np.expm1(yhat[:, None] + base[None, :] * widen[:, None])
        spread = np.exp(self.residuals_[None, :] * widen[:, None]).mean(axis=1)
        mean = np.exp(yhat) * spread - 1.0
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
