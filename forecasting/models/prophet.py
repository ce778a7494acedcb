"""Prophet with the Chinese (or another market's) retail calendar, on ``log1p(units)``, fitted by
one of two solvers.

The model
---------
* Trend: linear with changepoints given two years of history, flat below (``growth="auto"``).
  Beyond the history the trend either keeps its last slope, as Prophet does
  (``trend_extrapolation="slope"``), or stays at the level it reached at the end of the history
  (``"level"``). ``None`` (the default) chooses ``"level"`` for daily data with the Chinese
  calendar and ``"slope"`` otherwise: on China clothing (learning two years, forecasting up to a
  year, three validation splits within 2008-2010) carrying the last slope of a two-year fit
  through the forecast added more error than it removed: holding the level lowered WAPE from
  0.29-0.35 to 0.25-0.26. The level uncertainty of the intervals (below) covers the level's drift
  either way.
* The target is ``log1p(units)``: seasonality and events act multiplicatively on units, as they do
  in retail, and forecasts stay positive.
* Daily data: yearly seasonality (order 10), weekly seasonality, and the events of
  :class:`~forecasting.models.CalendarFeatures` (public holidays with stable names and wide
  windows, make-up workdays, retail events with their pre-sale windows) as one indicator regressor
  per event and window day: Prophet's own holiday design, built once for all series. Columns that
  do not vary in a series' history, or duplicate another, are left out.
* Weekly data: yearly seasonality and the weekly event features (days of each event per week) as
  extra regressors; no weekly seasonality.
* Monthly data (``freq="MS"`` or ``"ME"``): yearly seasonality (Fourier terms on the label's date,
  order at most 6) and the monthly calendar features (days off, make-up workdays, the share of
  each moving event's window in the month: the Spring Festival moving between January and
  February); no weekly seasonality; the linear trend from 24 months.
* The user's own events (``events=`` of :class:`~forecasting.models.CalendarFeatures`) are
  regressors like the built-in events, named ``"user:<event>..."``.
* Pooling over a panel (``pooling=True`` of :class:`~forecasting.models.DemandForecaster`, the
  ``"map"`` solver): the prior of each calendar coefficient is centred on its mean over the panel's
  series, as wide as the series differ on it (:mod:`forecasting.models.pooling`); alone, or with
  the ``"stan"`` solver, the priors are Prophet's, centred on zero.
* Uncertainty: by default (``interval="residual"``) the quantiles are the forecast plus the
  empirical quantiles of the in-sample log residuals, widened with the horizon by the uncertainty
  of the level: the spread of the year-over-year change of the 4-week level in the history, growing
  as ``sqrt(h / season)``. Fast (no trajectories) and calibrated by backtest.
  ``interval="sampling"`` uses Prophet's own trajectories (``uncertainty_samples``, default 200).

The solvers
-----------
Both solvers share the preparation (target, growth, Fourier orders, calendar columns, priors) and
the residual quantiles; they differ only in how the MAP estimate of Prophet's model is computed.

* ``solver="map"`` (the default): in process, by :class:`ProphetDesign` and :func:`map_estimate`.
  Prophet fits its model by handing the data to a compiled Stan program (a subprocess that reads
  and writes JSON and CSV files) and rebuilds its design matrices with pandas at every ``fit`` and
  ``predict``; for thousands of short series these overheads are most of the run time (one weekly
  Walmart series: ~75 ms in cmdstan, ~50 ms of pandas around it; and Prophet switches to the much
  slower Newton optimiser below 100 observations). With linear or flat growth and additive terms
  Prophet's model is linear in its parameters: ``y = Z @ theta + noise`` with
  ``Z = [t, 1, A * (t - t_change), X]`` (``A`` the changepoint indicator matrix, ``X`` the Fourier
  terms and the calendar regressors). The MAP estimate Stan computes (without Jacobian) minimises

  ``T log s + |y - Z theta|^2 / (2 s^2) + k^2/50 + m^2/50 + sum|delta| / tau + 2 s^2
  + sum beta^2 / (2 sigma_beta^2)``

  (priors: ``k, m ~ N(0, 5)``, ``delta ~ Laplace(0, tau)``, ``sigma_obs ~ N+(0, 0.5)``,
  ``beta ~ N(0, sigma_beta)``); :func:`log_posterior` is its negative, as Stan reports it
  (``lp__``). :func:`map_estimate` minimises it exactly, block by block. On Walmart and China
  clothing series it reaches an equal or lower objective than Stan (whose L-BFGS/Newton stop
  earlier), with forecasts within 1 % of Stan's and equal WAPE, in a few milliseconds per series
  instead of 0.1-2 s.
* ``solver="stan"``: Prophet's own ``fit`` (a cmdstan run per series); always used with
  ``interval="sampling"``, which needs Prophet's trajectories.

Prophet and cmdstanpy are imported only by the ``"stan"`` solver, so importing this module is
quick; their logging is silenced (:func:`quiet_prophet`).

Prophet versions
----------------
The ``"map"`` solver mirrors these internals of Prophet: the model block of ``prophet.stan``
(priors, linear and flat trend, additive Gaussian likelihood), ``absmax`` scaling of ``y`` (floor
0), the time scale of ``t``, the changepoint grid of ``Prophet.set_changepoints``, the Fourier terms
of ``Prophet.fourier_series``, the column order of ``make_all_seasonality_features`` (yearly,
weekly, then the regressors in the order added) and the constant-series shortcut of
``Prophet.fit``. They are the same in every release from 1.1.5 to 1.5.0 (``prophet.stan``
unchanged; 1.1.5 is the first release with the ``scaling`` option), hence the pin
``prophet>=1.1.5,<1.6`` in ``pyproject.toml``. Before widening it, run
``tests/forecasting/models/test_prophet_parity.py`` against the new release: it checks that the
``"map"`` solver's design equals Prophet's and that its optimum is at least as good as Stan's.

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2021-01-01", periods=120, freq="D")
>>> y = pd.Series(50 + 10 * (idx.day_of_week >= 5), index=idx, dtype=float)
>>> cfg = SeriesConfig(model="prophet", freq="D")  # no calendar: seasonality only
>>> fc = ProphetModel().fit(y, cfg).predict(pd.date_range("2021-05-01", periods=7), cfg)
>>> list(fc.columns)
['date', 'mean', 'p10', 'p50', 'p90']
>>> weekend = fc["date"].dt.day_of_week >= 5
>>> bool(fc.loc[weekend, "p50"].min() > fc.loc[~weekend, "p50"].max())  # the weekend lift
True
>>> stan = ProphetModel(solver="stan").fit(y, cfg)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.models.base import MODEL_OPTIONS, SeriesConfig, finalize_forecast
from forecasting.models.pooling import POOLED_PRIORS, PooledPrior

__all__ = [
    "SOLVERS",
    "TREND_EXTRAPOLATIONS",
    "ProphetDesign",
    "ProphetModel",
    "fourier_terms",
    "log_posterior",
    "map_estimate",
    "quiet_prophet",
]

#: The ways to compute Prophet's MAP estimate: in process, or Prophet's own cmdstan fit.
SOLVERS = ("map", "stan")

#: How the trend goes on beyond the history: with its last slope (Prophet's own forecast), or held
#: at the level reached at the end of the history.
TREND_EXTRAPOLATIONS = ("slope", "level")

_LOGGERS = ("prophet", "cmdstanpy", "prophet.plot", "prophet.forecaster")
_YEAR = 365.25
_WEEK = 7.0


@contextlib.contextmanager
def quiet_prophet() -> Iterator[None]:
    """Silence Prophet's and cmdstanpy's logging inside the block.

    Examples
    --------
    >>> with quiet_prophet():
    ...     logging.getLogger("cmdstanpy").info("not shown")
    """
    saved = {}
    caught = warnings.catch_warnings()
    caught.__enter__()
    warnings.filterwarnings("ignore", module=r"prophet(\..*)?$")
    for name in _LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = (logger.level, logger.disabled)
        logger.setLevel(logging.CRITICAL)
        logger.disabled = True
    try:
        yield
    finally:
        caught.__exit__(None, None, None)
        for name, (level, disabled) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level)
            logger.disabled = disabled


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


def log_posterior(data: Mapping[str, Any], params: Mapping[str, Any]) -> float:
    """Prophet's log posterior density as its Stan program computes it when optimising (``lp__``:
    no Jacobian, constant terms dropped), for linear or flat growth and additive terms.

    This is the objective both solvers maximise; :func:`map_estimate` minimises its negative.

    Parameters
    ----------
    data : mapping
        Prophet's Stan data: ``t``, ``y`` (scaled), ``t_change``, ``X``, ``sigmas``, ``tau`` and
        ``trend_indicator`` (0 linear, 2 flat), as built by ``Prophet.preprocess``.
    params : mapping
        ``k``, ``m``, ``delta``, ``beta``, ``sigma_obs`` (scalars or arrays of any shape, as in
        ``Prophet.params``).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For logistic growth, which this model does not use.

    Examples
    --------
    >>> t = np.linspace(0, 1, 5)
    >>> data = {"t": t, "y": 0.5 + 0.2 * t, "t_change": [0.5], "X": np.zeros((5, 1)),
    ...         "sigmas": [10.0], "tau": 0.05, "trend_indicator": 0}
    >>> params = {"k": 0.2, "m": 0.5, "delta": [0.0], "beta": [0.0], "sigma_obs": 0.1}
    >>> round(log_posterior(data, params), 4)  # -(5 log 0.1 + 0.2**2/50 + 0.5**2/50 + 2 * 0.1**2)
    11.4871
    """
    t = np.asarray(data["t"], dtype=float).ravel()
    y = np.asarray(data["y"], dtype=float).ravel()
    t_change = np.asarray(data["t_change"], dtype=float).ravel()
    sigmas = np.asarray(data["sigmas"], dtype=float).ravel()
    X = np.asarray(data["X"], dtype=float).reshape(len(t), len(sigmas))
    tau = float(data["tau"])
    k, m = float(np.ravel(params["k"])[0]), float(np.ravel(params["m"])[0])
    sigma = float(np.ravel(params["sigma_obs"])[0])
    delta = np.asarray(params["delta"], dtype=float).ravel()
    beta = np.asarray(params["beta"], dtype=float).ravel()
    indicator = int(data["trend_indicator"])
    if indicator == 0:
        A = (t[:, None] >= t_change[None, :]).astype(float)
        trend = (k + A @ delta) * t + (m + A @ (-t_change * delta))
    elif indicator == 2:
        trend = np.full(len(t), m)
    else:
        raise ValueError(f"log_posterior: trend_indicator={indicator} (logistic) is not mirrored")
    residual = y - trend - X @ beta
    return -float(
        (k * k + m * m) / 50.0
        + float(np.abs(delta).sum()) / tau
        + 2.0 * sigma * sigma
        + 0.5 * float(np.sum(np.square(beta / sigmas)))
        + len(t) * np.log(sigma)
        + 0.5 * float(residual @ residual) / (sigma * sigma)
    )


def _posterior(
    rss: float,
    n: int,
    sigma2: float,
    theta: np.ndarray,
    prior_prec: np.ndarray,
    delta: np.ndarray,
    tau: float,
) -> float:
    """Negative log posterior of Prophet's model from the residual sum of squares."""
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

    def matrices(
        self, dates: pd.DatetimeIndex, regressors: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The design for ``dates``: trend columns, changepoint columns and the other terms.

        Parameters
        ----------
        dates : DatetimeIndex
            Any dates (history or future).
        regressors : ndarray, shape (len(dates), R)
            The regressors for those dates.

        Returns
        -------
        base : ndarray, shape (len(dates), 2)
            Scaled time ``t`` and ``1``.
        changepoints : ndarray, shape (len(dates), S)
            ``A * (t - t_change)``.
        X : ndarray, shape (len(dates), K)
            Yearly and weekly Fourier terms, then the regressors: Prophet's ``X``.

        Examples
        --------
        >>> dates = pd.date_range("2024-01-01", periods=10)
        >>> d = ProphetDesign(dates, yearly_order=False, weekly_order=1)
        >>> [m.shape for m in d.matrices(dates, np.ones((10, 1)))]
        [(10, 2), (10, 7), (10, 3)]
        """
        t = self._t(dates)
        base = np.column_stack([t, np.ones_like(t)])
        cps = np.clip(t[:, None] - self.changepoints_t_[None, :], 0.0, None)
        X = np.hstack([self._seasonal(dates), np.asarray(regressors, dtype=float)])
        return base, cps, X

    def fit(
        self,
        y: np.ndarray,
        regressors: np.ndarray,
        regressor_priors: Any,
        prior: PooledPrior | None = None,
        names: Sequence[str] | None = None,
    ) -> ProphetDesign:
        """MAP fit on the observed history (``y`` without ``NaN``, aligned with ``dates``).

        Parameters
        ----------
        y : ndarray
            Target values.
        regressors : ndarray, shape (T, R)
            Extra regressors (not standardised, additive).
        regressor_priors : sequence of float
            Prior scale of each regressor.
        prior : PooledPrior, optional
            A panel's prior of the calendar terms (:mod:`forecasting.models.pooling`), by the
            names of :meth:`term_names`: each known term's prior is centred on the panel's mean
            with the panel's width, instead of on zero.
        names : sequence of str, optional
            Names of the columns of ``regressors`` (kept as ``regressor_names_``; default
            ``regressor0, regressor1, ...``).

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
        base, cps, X = self.matrices(self._dates, regressors)
        n_regressors = X.shape[1] - n_seasonal
        self.regressor_names_ = (
            [f"regressor{j}" for j in range(n_regressors)] if names is None else list(names)
        )
        # a prior centred on ``centre`` is a prior centred on 0 for ``beta - centre``: fit the
        # target less ``X @ centre``, then add the centre back
        centre = np.zeros(X.shape[1])
        if prior is not None:
            means, widths = prior.terms(
                self.term_names(self.regressor_names_),
                y_scale=self.y_scale_,
                holidays_prior_scale=float(np.max(regressor_priors, initial=0.0)),
            )
            known = np.isfinite(means)
            centre[known] = means[known]
            sigmas = np.where(known, widths, sigmas)
        target = y / self.y_scale_ - X @ centre
        if self.growth == "flat":  # constant trend m (k and the changepoints stay at 0)
            theta, self.sigma_ = map_estimate(base[:, 1:], target, sigmas, X, self.tau)
            theta = np.r_[0.0, theta]
        else:
            theta, self.sigma_ = map_estimate(base, target, sigmas, X, self.tau, cps)
        theta[2 + len(self.changepoints_t_) :] += centre
        self.theta_ = theta
        self._dates = None  # not needed any more; keeps the fitted object small
        return self

    def term_names(self, regressors: Sequence[str]) -> list[str]:
        """Names of the columns of ``X``: ``yearly_sin1, yearly_cos1, ..., weekly_cos<k>``, then
        ``regressors``.

        Examples
        --------
        >>> d = ProphetDesign(pd.date_range("2024-01-01", periods=10), yearly_order=1,
        ...                   weekly_order=False)
        >>> d.term_names(["holiday:x[0]"])
        ['yearly_sin1', 'yearly_cos1', 'holiday:x[0]']
        """
        names = []
        for period, order in (("yearly", self.yearly_order), ("weekly", self.weekly_order)):
            for i in range(1, order + 1):
                names += [f"{period}_sin{i}", f"{period}_cos{i}"]
        return [*names, *regressors]

    def coefficients(self) -> dict[str, float]:
        """The fitted coefficient of every column of ``X`` in units of the target (``beta`` times
        the scale), by :meth:`term_names`."""
        beta = self.theta_[2 + len(self.changepoints_t_) :] * self.y_scale_
        return dict(zip(self.term_names(self.regressor_names_), beta.tolist(), strict=True))

    @property
    def params(self) -> dict[str, Any]:
        """The fitted parameters in the layout of Prophet's ``params`` (on the scaled target).

        ``k``, ``m`` and ``sigma_obs`` are floats, ``delta`` has one value per changepoint
        (none for a flat trend) and ``beta`` one per column of ``X``.
        """
        n_cp = len(self.changepoints_t_)
        return {
            "k": float(self.theta_[0]),
            "m": float(self.theta_[1]),
            "delta": self.theta_[2 : 2 + n_cp].copy(),
            "beta": self.theta_[2 + n_cp :].copy(),
            "sigma_obs": float(self.sigma_),
        }

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

    @property
    def final_slope(self) -> float:
        """Slope of the trend at the end of the history (``k + sum(delta)``, on the scaled target
        and scaled time; 0 for a flat trend)."""
        if self.growth == "flat":
            return 0.0
        params = self.params
        return float(params["k"] + np.sum(params["delta"]))

    def t(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """Prophet's scaled time of ``dates`` (0 at the first date of the history, 1 at its last).

        Parameters
        ----------
        dates : DatetimeIndex
            Any dates.

        Returns
        -------
        ndarray
        """
        return self._t(pd.DatetimeIndex(dates))

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
        base, cps, X = self.matrices(pd.DatetimeIndex(dates), regressors)
        return np.hstack([base, cps, X]) @ self.theta_ * self.y_scale_


def _yearly_order(n: int, config: SeriesConfig) -> int | bool:
    """Fourier order of the yearly seasonality; off below a year and a half of history. For
    monthly data at most 6: twelve points a year identify no more harmonics."""
    order = int(config.option("yearly_order") or MODEL_OPTIONS["yearly_order"])
    season = config.season_length
    if config.is_monthly:
        order = min(order, season // 2)
    return order if n >= int(1.5 * season) else False


def _weekly_order(n: int, config: SeriesConfig) -> int | bool:
    """Fourier order of the weekly seasonality: 3 for daily data with two weeks, else none."""
    return 3 if (config.is_daily and n >= 14) else False


def _level_sd(logs: pd.Series, config: SeriesConfig) -> float:
    """Spread of the year-over-year change of the 4-week level (log scale; the month itself for
    monthly data): how far the level can move in a year, beyond what the model's trend
    extrapolates; 0 with less than a year and 4 weeks (two months)."""
    m = config.season_length
    window = 28 if config.is_daily else (1 if config.is_monthly else 4)
    values = logs.to_numpy(dtype=float)
    if len(values) < m + 2 * window:
        return 0.0
    level = pd.Series(values).rolling(window, min_periods=max(window // 2, 1)).mean().to_numpy()
    change = level[m:] - level[:-m]
    change = change[np.isfinite(change)]
    return float(np.std(change)) if len(change) > 1 else 0.0


def _growth(n: int, config: SeriesConfig) -> Literal["linear", "flat"]:
    """Linear trend with two years of history (728 days, 104 weeks, 24 months), flat below
    (trend and season are not separable)."""
    growth = config.option("growth")
    if growth == "auto":
        return "linear" if n >= 2 * config.season_length else "flat"
    return "flat" if growth == "flat" else "linear"


def _holidays_prior(config: SeriesConfig) -> float:
    """Prior scale of the calendar effects.

    Prophet divides y by its maximum, here the log of the peak (~5-12), so an effect of 0.3 in log
    units (x1.35) is ~0.03 on its scale: the default 0.03 keeps effects plausible and stops nearly
    collinear window columns (seen once or twice in a short history) from taking huge opposite
    values. It was 0.05 until a validation on China clothing (three splits within 2008-2010:
    mean WAPE 0.2427 at 0.05, 0.2390 at 0.03, 0.2404 at 0.02, 0.2407 at 0.04) chose 0.03; on data it
    was not chosen on it also helped (Walmart's 300 weekly series: 0.135 to 0.123; five provinces
    by month: 0.239 to 0.217) or changed little (the monthly and daily peer sets).
    """
    return float(config.option("holidays_prior_scale"))


def _informative_columns(columns: pd.Index, values: np.ndarray) -> list[str]:
    """Calendar columns that vary over the observed history, without exact duplicates (a duplicate
    would split one effect into two unidentified coefficients that part ways in the future)."""
    keep: list[str] = []
    seen: set[bytes] = set()
    for j, column in enumerate(columns):
        col = values[:, j]
        if len(col) == 0 or col.std() == 0:
            continue
        key = col.tobytes()
        if key not in seen:
            seen.add(key)
            keep.append(str(column))
    return keep


def _calendar_market(config: SeriesConfig) -> str | None:
    """The market of the configuration's calendar (``None`` without a calendar or market)."""
    market = getattr(config.calendar, "market", None)
    return market if isinstance(market, str) else None


def _calendar(dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
    """The calendar regressors of ``dates`` (no columns without a calendar)."""
    if config.calendar is None:
        return pd.DataFrame(index=dates)
    return config.calendar.features_for(dates)


@dataclass(frozen=True)
class _Inputs:
    """What both solvers fit: the target, the observed periods, the calendar columns kept and
    the model's terms and priors."""

    index: pd.DatetimeIndex
    logs: np.ndarray
    observed: np.ndarray
    features: pd.DataFrame
    regressors: list[str]
    growth: Literal["linear", "flat"]
    yearly_order: int | bool
    weekly_order: int | bool
    changepoint_range: float
    changepoint_prior_scale: float
    seasonality_prior_scale: float
    holidays_prior_scale: float

    @classmethod
    def prepare(cls, y: pd.Series, config: SeriesConfig) -> _Inputs:
        index = pd.DatetimeIndex(y.index)
        logs = np.log1p(np.clip(y.to_numpy(dtype=float), 0.0, None))
        observed = ~np.isnan(logs)
        if observed.sum() < 2:
            raise ValueError("Prophet needs at least two observed periods")
        features = _calendar(index, config)
        values = features.to_numpy(dtype=float)
        n = len(y)
        return cls(
            index=index,
            logs=logs,
            observed=observed,
            features=features,
            regressors=_informative_columns(features.columns, values[observed]),
            growth=_growth(n, config),
            yearly_order=_yearly_order(n, config),
            weekly_order=_weekly_order(n, config),
            changepoint_range=float(config.option("changepoint_range")),
            changepoint_prior_scale=float(config.option("changepoint_prior_scale")),
            seasonality_prior_scale=float(config.option("seasonality_prior_scale")),
            holidays_prior_scale=_holidays_prior(config),
        )


class ProphetModel:
    """Calendar-aware Prophet on ``log1p(units)``, fitted in process or by Stan (see the module
    docstring).

    Parameters
    ----------
    solver : {"map", "stan"}, optional
        How the MAP estimate is computed; ``None`` reads the ``solver`` option of the
        configuration. ``interval="sampling"`` always uses ``"stan"``.
    trend_extrapolation : {"slope", "level"}, optional
        How the trend goes on beyond the history: with its last slope (Prophet's forecast), or
        held at the level reached at the end of the history. ``None`` reads the
        ``trend_extrapolation`` option of the configuration, and without one chooses ``"level"``
        for daily data with the Chinese calendar, ``"slope"`` otherwise (see the module
        docstring).

    Attributes
    ----------
    solver_ : str
        The solver used.
    trend_extrapolation_ : str
        The trend extrapolation used.
    model_ : ProphetDesign or prophet.Prophet
        The fitted model; its ``history`` holds the periods fitted on (censored ones left out).
    pooled_ : int
        How many series the coefficients were pooled over (:mod:`forecasting.models.pooling`); 0
        when the series was fitted alone.
    regressors_ : list of str
        The calendar columns in the model.
    """

    name = "prophet"

    def __init__(self, solver: str | None = None, trend_extrapolation: str | None = None) -> None:
        self.solver = solver
        self.trend_extrapolation = trend_extrapolation

    def _trend_extrapolation(self, config: SeriesConfig) -> str:
        chosen = self.trend_extrapolation
        if chosen is None:
            chosen = config.option("trend_extrapolation")
        if chosen is None:
            return "level" if config.is_daily and _calendar_market(config) == "CN" else "slope"
        if chosen not in TREND_EXTRAPOLATIONS:
            raise DataValidationError(
                f"Prophet trend_extrapolation={chosen!r}; choose one of "
                f"{list(TREND_EXTRAPOLATIONS)}"
            )
        return str(chosen)

    def _solver(self, config: SeriesConfig) -> str:
        solver = self.solver if self.solver is not None else config.option("solver")
        if solver not in SOLVERS:
            raise DataValidationError(f"Prophet solver={solver!r}; choose one of {list(SOLVERS)}")
        return "stan" if config.option("interval") == "sampling" else str(solver)

    def fit(self, y: pd.Series, config: SeriesConfig) -> ProphetModel:
        """Fit on the series (``NaN`` periods, e.g. stock-outs, are left out of the fit).

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex``.
        config : SeriesConfig
            Frequency, quantiles, calendar and options.

        Returns
        -------
        ProphetModel

        Raises
        ------
        ValueError
            With fewer than two observed periods.
        DataValidationError
            For an unknown solver or trend extrapolation.
        """
        self.trend_extrapolation_ = self._trend_extrapolation(config)
        inputs = _Inputs.prepare(y, config)
        self.solver_ = self._solver(config)
        self.regressors_ = inputs.regressors
        self.history_end_ = inputs.index[-1]
        self.max_log_ = float(np.nanmax(inputs.logs))
        residuals: np.ndarray | None
        self.pooled_ = 0
        if self.solver_ == "map":
            residuals = self._fit_map(inputs, config)
        else:
            residuals = self._fit_stan(inputs, config)
        if residuals is not None:
            self.residuals_ = residuals - np.median(residuals) if len(residuals) else np.zeros(1)
            self.level_sd_ = _level_sd(pd.Series(inputs.logs), config)
        return self

    def calendar_effects(self) -> tuple[tuple[str, int, int], dict[str, float]]:
        """The model's structure (its growth and its yearly and weekly Fourier orders: what
        pooling groups by) and its fitted calendar coefficients in log units, by column name.

        Raises
        ------
        NotImplementedError
            For a model fitted by the ``"stan"`` solver.
        """
        if not isinstance(self.model_, ProphetDesign):
            raise NotImplementedError("ProphetModel.calendar_effects: only with solver='map'")
        design = self.model_
        calendar = set(self.regressors_)
        effects = {name: c for name, c in design.coefficients().items() if name in calendar}
        return (design.growth, design.yearly_order, design.weekly_order), effects

    def _fit_map(self, inputs: _Inputs, config: SeriesConfig) -> np.ndarray:
        """Fit :class:`ProphetDesign`; return the in-sample log residuals."""
        index, observed, logs = inputs.index, inputs.observed, inputs.logs
        regs = inputs.features[inputs.regressors].to_numpy(dtype=float)
        design = ProphetDesign(
            index[observed],
            yearly_order=inputs.yearly_order,
            weekly_order=inputs.weekly_order,
            changepoint_range=inputs.changepoint_range,
            changepoint_prior_scale=inputs.changepoint_prior_scale,
            seasonality_prior_scale=inputs.seasonality_prior_scale,
            growth=inputs.growth,
        )
        # the fitted periods, compactly: first, last, frequency and the censored positions
        design.history_span_ = (index[0], index[-1], config.freq, np.flatnonzero(~observed))
        priors = [inputs.holidays_prior_scale] * len(inputs.regressors)
        structure = (inputs.growth, int(inputs.yearly_order), int(inputs.weekly_order))
        key = (pd.Timestamp(index[-1]), structure)
        panel_prior = (config.option(POOLED_PRIORS) or {}).get(key)
        design.fit(logs[observed], regs[observed], priors, panel_prior, inputs.regressors)
        self.pooled_ = panel_prior.series if panel_prior is not None else 0
        self.model_: Any = design
        fitted = design.yhat(index[observed], regs[observed])
        return np.asarray(logs[observed] - fitted)

    def _fit_stan(self, inputs: _Inputs, config: SeriesConfig) -> np.ndarray | None:
        """Fit Prophet itself; return the in-sample log residuals (``None`` when sampling)."""
        with quiet_prophet():  # prophet logs an error when plotly is missing; no plots here
            from prophet import Prophet

        sampling = config.option("interval") == "sampling"
        model = Prophet(
            growth=inputs.growth,
            changepoint_range=inputs.changepoint_range,
            yearly_seasonality=inputs.yearly_order,
            weekly_seasonality=inputs.weekly_order,
            daily_seasonality=False,
            seasonality_mode="additive",
            changepoint_prior_scale=inputs.changepoint_prior_scale,
            seasonality_prior_scale=inputs.seasonality_prior_scale,
            uncertainty_samples=int(config.option("uncertainty_samples")) if sampling else 0,
        )
        for column in inputs.regressors:
            model.add_regressor(
                column,
                prior_scale=inputs.holidays_prior_scale,
                standardize=False,
                mode="additive",
            )
        frame = pd.concat(
            [
                pd.DataFrame({"ds": inputs.index, "y": inputs.logs}),
                inputs.features[inputs.regressors].reset_index(drop=True),
            ],
            axis=1,
        )
        with quiet_prophet():
            model.fit(frame)
        self.model_ = model
        if sampling:
            return None
        with quiet_prophet():
            fitted = model.predict(frame.drop(columns="y"))["yhat"].to_numpy()
        return np.asarray((inputs.logs - fitted)[inputs.observed])

    def _regressor_values(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """The model's calendar columns for ``dates`` (zero where the calendar has none)."""
        return _calendar(dates, config).reindex(columns=self.regressors_, fill_value=0.0)

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates``.

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
        cap = self.max_log_ + np.log(3.0)  # never more than 3x the largest period seen
        if self.solver_ == "map":
            if self.regressors_:
                regs = self._regressor_values(dates, config).to_numpy(dtype=float)
            else:
                regs = np.empty((len(dates), 0))
            yhat = self.model_.yhat(dates, regs) - self._slope_beyond(dates)
        else:
            future = pd.DataFrame({"ds": dates})
            if self.regressors_:
                features = self._regressor_values(dates, config).reset_index(drop=True)
                future = pd.concat([future, features], axis=1)
            with quiet_prophet():
                if config.option("interval") == "sampling":
                    return self._sampled_forecast(dates, future, cap, config)
                yhat = self.model_.predict(future)["yhat"].to_numpy() - self._slope_beyond(dates)
        return self._residual_forecast(dates, np.minimum(yhat, cap), config)

    def _slope_beyond(self, dates: pd.DatetimeIndex) -> np.ndarray:
        """What the trend's last slope adds after the end of the history (log scale): removed
        from the forecast with ``trend_extrapolation="level"``, zero with ``"slope"``."""
        if self.trend_extrapolation_ != "level":
            return np.zeros(len(dates))
        model = self.model_
        if self.solver_ == "map":
            slope, t, scale = model.final_slope, model.t(dates), model.y_scale_
        elif model.growth == "flat":
            return np.zeros(len(dates))
        else:  # Prophet's own fit: the same trend, from its parameters
            params = model.params
            slope = float(np.ravel(params["k"])[0] + np.sum(params["delta"]))
            t = np.asarray((dates - model.start) / model.t_scale, dtype=float)
            scale = float(model.y_scale)
        return np.asarray(slope * np.clip(t - 1.0, 0.0, None) * scale)

    def _sampled_forecast(
        self, dates: pd.DatetimeIndex, future: pd.DataFrame, cap: float, config: SeriesConfig
    ) -> pd.DataFrame:
        """Quantiles and mean of Prophet's trajectories."""
        levels = np.asarray(config.quantiles)
        drawn = self.model_.predictive_samples(future)["yhat"] - self._slope_beyond(dates)[:, None]
        samples = np.minimum(drawn, cap)
        quantiles = np.expm1(np.quantile(samples, levels, axis=1).T)
        mean = np.expm1(samples).mean(axis=1)
        return finalize_forecast(dates, mean, quantiles, config.quantiles)

    def _residual_forecast(
        self, dates: pd.DatetimeIndex, yhat: np.ndarray, config: SeriesConfig
    ) -> pd.DataFrame:
        """The point forecast plus the residual quantiles, widened with the horizon by the level
        uncertainty; the mean is the average over the widened residuals."""
        levels = np.asarray(config.quantiles)
        steps = np.arange(1, len(dates) + 1)
        noise_sd = max(float(np.std(self.residuals_)), 1e-9)
        level_sd = float(config.option("level_uncertainty")) * self.level_sd_
        total_sd = np.sqrt(noise_sd**2 + level_sd**2 * steps / config.season_length)
        widen = total_sd / noise_sd
        base = np.quantile(self.residuals_, levels)
        quantiles = np.expm1(yhat[:, None] + base[None, :] * widen[:, None])
        spread = np.exp(self.residuals_[None, :] * widen[:, None]).mean(axis=1)
        mean = np.exp(yhat) * spread - 1.0
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
