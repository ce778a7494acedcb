"""Run the per-series work over local processes or a Dask cluster, with a progress bar.

The per-series functions of :mod:`forecasting.models.series` are pure, so many series can be fitted
anywhere: :func:`fit_many` and :func:`predict_many` map them over

* ``backend="local"``: a pool of ``n_jobs`` local processes (``-1`` = every core, but a handful of
  series stay in this process; ``1`` = in this process, no pool). Workers start from a fork
  server that has already imported the models, and the shared configuration (calendar tables
  included) is sent once per worker, not once per series.
* ``backend="dask"``: a ``dask.distributed`` cluster, given as ``scheduler="tcp://host:port"`` or a
  :class:`distributed.Client` (``None`` uses the client already running in this session). The
  configuration is broadcast to the workers once. ``dask`` is an optional extra
  (``pip install "launchcast[dask]"``).

Series travel in chunks (a few dozen per task) to cut the per-task overhead; results come back in
the input order, so every backend returns the same forecasts for the same input (the models are
deterministic). A :mod:`tqdm` progress bar counts the series; it is quiet when ``progress=False``
or when standard error is not a terminal. Prophet's and cmdstanpy's logging is silenced in the
workers.

A series that fails is not allowed to stop the run: the error is kept as a :class:`SeriesError`
(which series, at which stage, why, and the fallback used) and the series gets the documented
``recent_level`` fallback (mean of its last 8 weeks with their quantiles).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2023-01-06", periods=60, freq="W-FRI")
>>> panel = {("A",): pd.Series(np.arange(60) % 52 + 1.0, index=idx),
...          ("B",): pd.Series(5.0, index=idx)}
>>> cfg = SeriesConfig(model="seasonal_naive", freq="W-FRI")
>>> models, errors = fit_many(panel, cfg, n_jobs=1, progress=False)
>>> forecasts, _ = predict_many(models, 2, cfg, n_jobs=1, progress=False)
>>> [fc["p50"].tolist() for fc in forecasts], errors
([[9.0, 10.0], [5.0, 5.0]], [])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from forecasting.exceptions import LaunchcastError
from forecasting.models.backends import (
    BACKENDS,
    Key,
    SeriesError,
    errors_frame,
    parallel_map,
    resolve_n_jobs,
)
from forecasting.models.base import SeriesConfig
from forecasting.models.naive import RecentLevel
from forecasting.models.series import FittedSeries, fit_series

__all__ = [
    "BACKENDS",
    "SeriesError",
    "errors_frame",
    "fit_many",
    "fit_task",
    "parallel_map",
    "predict_many",
    "predict_task",
    "resolve_n_jobs",
]


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def fit_task(
    key: Key, y: pd.Series, config: SeriesConfig
) -> tuple[FittedSeries, SeriesError | None]:
    """Fit one series; on any error, fit the ``recent_level`` fallback and report it.

    Parameters
    ----------
    key : tuple
        The series' key.
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Model configuration.

    Returns
    -------
    (FittedSeries, SeriesError or None)

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=30, freq="W-FRI"))
    >>> fitted, err = fit_task(("A",), y, SeriesConfig(model="no-such-model", freq="W-FRI"))
    >>> fitted.model_name, err.stage, err.error, err.fallback
    ('recent_level', 'fit', "KeyError: 'no-such-model'", 'recent_level')
    """
    try:
        return fit_series(y, config), None
    except Exception as exc:  # any failure of one series must not stop the run
        last = pd.Timestamp(y.index[-1]) if len(y) else pd.Timestamp("NaT")
        fallback = FittedSeries(
            "recent_level", RecentLevel().fit(y, config), last, f"fit failed: {_describe(exc)}"
        )
        return fallback, SeriesError(key, "fit", _describe(exc), "recent_level")


def predict_task(
    key: Key, fitted: FittedSeries, shared: tuple[int, SeriesConfig]
) -> tuple[pd.DataFrame, SeriesError | None]:
    """Forecast one fitted series; if its model fails, use its ``recent_level`` backup.

    The backup is ``fitted.backup`` when the fit kept one (:func:`fit_many` does); without one the
    error is raised, since there is nothing honest to forecast instead.

    Parameters
    ----------
    key : tuple
        The series' key.
    fitted : FittedSeries
        From :func:`fit_many`.
    shared : (int, SeriesConfig)
        Horizon and configuration.

    Returns
    -------
    (DataFrame, SeriesError or None)

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> cfg = SeriesConfig(model="seasonal_naive", freq="W-FRI")
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=60, freq="W-FRI"))
    >>> fitted, _ = fit_task(("A",), y, cfg)
    >>> forecast, error = predict_task(("A",), fitted, (2, cfg))
    >>> forecast["p50"].tolist(), error
    ([4.0, 4.0], None)
    """
    horizon, config = shared
    try:
        return fitted.predict(horizon, config), None
    except Exception as exc:  # any failure of one series must not stop the run
        backup = fitted.backup
        if backup is None:
            raise LaunchcastError(
                f"series {key}: the {fitted.model_name} forecast failed ({_describe(exc)}) and no "
                "fallback was kept. Fix: refit with DemandForecaster.fit."
            ) from exc
        forecast = FittedSeries("recent_level", backup, fitted.last_date).predict(horizon, config)
        return forecast, SeriesError(key, "predict", _describe(exc), "recent_level")


def _fit_with_backup(
    key: Key, y: pd.Series, config: SeriesConfig
) -> tuple[FittedSeries, SeriesError | None]:
    fitted, error = fit_task(key, y, config)
    if fitted.model_name != "recent_level":
        fitted.backup = RecentLevel().fit(y, config)
    else:
        fitted.backup = fitted.model
    return fitted, error


def fit_many(
    panel: Mapping[Key, pd.Series],
    config: SeriesConfig,
    *,
    backend: str = "local",
    n_jobs: int | None = -1,
    scheduler: Any = None,
    progress: bool = True,
    chunksize: int | None = None,
) -> tuple[dict[Key, FittedSeries], list[SeriesError]]:
    """Fit every series of ``panel`` on a backend (see :func:`parallel_map` for the arguments).

    Each fitted series keeps a small ``recent_level`` backup (its last 8 weeks) for
    :func:`predict_many`, in case its model fails at prediction time.

    Parameters
    ----------
    panel : mapping
        ``{key: Series of units}`` (see :func:`forecasting.models.forecaster.series_panel`).
    config : SeriesConfig
        Model configuration.
    backend, n_jobs, scheduler, progress, chunksize
        See :func:`parallel_map`.

    Returns
    -------
    models : dict
        ``{key: FittedSeries}`` in the order of ``panel``.
    errors : list of SeriesError
        Series whose fit raised; they use the ``recent_level`` fallback. (Expected numerical
        failures are already handled inside :func:`~forecasting.models.fit_series` and
        show in ``FittedSeries.reason``.)

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> idx = pd.date_range("2024-01-05", periods=30, freq="W-FRI")
    >>> models, errors = fit_many({("A",): pd.Series(4.0, index=idx)},
    ...                           SeriesConfig(model="ets", freq="W-FRI"), progress=False)
    >>> models[("A",)].model_name, errors
    ('ets', [])
    """
    keys = list(panel)
    fitted, errors = parallel_map(
        _fit_with_backup,
        [(key, panel[key]) for key in keys],
        config,
        backend=backend,
        n_jobs=n_jobs,
        scheduler=scheduler,
        progress=progress,
        chunksize=chunksize,
        desc="fit",
    )
    return dict(zip(keys, fitted, strict=True)), errors


def predict_many(
    models: Mapping[Key, FittedSeries],
    horizon: int,
    config: SeriesConfig,
    *,
    backend: str = "local",
    n_jobs: int | None = -1,
    scheduler: Any = None,
    progress: bool = True,
    chunksize: int | None = None,
) -> tuple[list[pd.DataFrame], list[SeriesError]]:
    """Forecast every fitted series on a backend (see :func:`parallel_map` for the arguments).

    Parameters
    ----------
    models : mapping
        ``{key: FittedSeries}`` from :func:`fit_many`.
    horizon : int
        Periods ahead.
    config : SeriesConfig
        The configuration used to fit.
    backend, n_jobs, scheduler, progress, chunksize
        See :func:`parallel_map`.

    Returns
    -------
    forecasts : list of DataFrame
        ``date, mean, p..`` per series, in the order of ``models``.
    errors : list of SeriesError

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> idx = pd.date_range("2024-01-05", periods=30, freq="W-FRI")
    >>> cfg = SeriesConfig(model="ets", freq="W-FRI")
    >>> models, _ = fit_many({("A",): pd.Series(4.0, index=idx)}, cfg, n_jobs=1, progress=False)
    >>> forecasts, errors = predict_many(models, 3, cfg, n_jobs=1, progress=False)
    >>> len(forecasts[0]), errors
    (3, [])
    """
    return parallel_map(
        predict_task,
        list(models.items()),
        (int(horizon), config),
        backend=backend,
        n_jobs=n_jobs,
        scheduler=scheduler,
        progress=progress,
        chunksize=chunksize,
        desc="predict",
    )
