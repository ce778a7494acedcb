"""Run the per-series work on local processes or a Dask cluster (joblib), with a progress bar.

The per-series functions of :mod:`forecasting.models.series` are pure, so many series can be fitted
anywhere: :func:`fit_many` and :func:`predict_many` map them with :func:`parallel_map` over

* ``backend="local"``: ``n_jobs`` local processes of joblib's ``loky`` backend (``-1`` = every
  core, but a handful of series stay in this process; ``1`` = in this process, no processes).
  The workers are reused from one call to the next. loky starts its workers without running the
  caller's ``__main__`` again, so this works from a plain script without an
  ``if __name__ == "__main__":`` guard, from ``python -`` (standard input), from Jupyter and from
  the command line.
* ``backend="dask"``: joblib's Dask backend on a ``dask.distributed`` cluster, given as
  ``scheduler="tcp://host:port"`` or a :class:`distributed.Client` (``None`` uses the client
  already running in this session). The shared configuration (calendar tables included) is
  broadcast to the workers once. ``dask`` is an optional extra (``pip install "launchcast[dask]"``).

Series travel in chunks (a few dozen per task) to cut the per-task overhead; results come back in
the input order, so every backend returns the same forecasts for the same input (the models are
deterministic). Each chunk runs with one BLAS thread (threadpoolctl): the series already run in
parallel, and threaded BLAS on small matrices on busy cores is many times slower. A :mod:`tqdm`
progress bar counts the series; it is quiet when ``progress=False`` or when standard error is not a
terminal (in Jupyter it is a widget). Chunks and their results travel between processes pickled
and are unpickled with Prophet's logging silenced (unpickling a fitted Prophet imports prophet,
which logs on import).

Errors of one series: with ``on_error="fallback"`` (the default) a numerical failure
(:func:`~forecasting.models.base.falls_back`) does not stop the run: it is kept as a
:class:`SeriesError` (which series, at which stage, why, and the fallback used) and the series gets
the documented ``recent_level`` fallback (mean of its last 8 weeks with their quantiles). With
``on_error="raise"``, and for any error that is not a numerical failure, the run stops with the
error and its traceback.

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

import contextlib
import math
import multiprocessing
import pickle
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from forecasting.exceptions import DataValidationError, LaunchcastError, MissingDependencyError
from forecasting.models.base import NUMERICAL_ERRORS, ON_ERROR, SeriesConfig, falls_back
from forecasting.models.naive import RecentLevel
from forecasting.models.selection import BacktestRecord, backtest_candidates
from forecasting.models.series import (
    FittedSeries,
    describe_error,
    fallback_reason,
    fit_one,
    fit_series,
)

__all__ = [
    "BACKENDS",
    "Key",
    "SeriesError",
    "backtest_many",
    "errors_frame",
    "fit_many",
    "fit_task",
    "parallel_map",
    "predict_many",
    "predict_task",
    "resolve_n_jobs",
]

#: Where the series run: ``"local"`` processes or a ``"dask"`` cluster.
BACKENDS = ("dask", "local")

#: With ``n_jobs=-1`` a process is started per this many series at most: a few series fit faster
#: in this process than worker processes start (about a second for the first ones of a session).
_MIN_SERIES_PER_PROCESS = 32

_INSTALL_DASK = 'pip install "launchcast[dask]"'

Key = tuple[Hashable, ...]
T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")

#: Set while a chunk of series runs, so that work started from inside it stays in its worker.
_IN_CHUNK = threading.local()


@dataclass(frozen=True)
class SeriesError:
    """One series that failed, and what was done instead.

    Attributes
    ----------
    key : tuple
        The series' key values (in the order of ``by``).
    stage : str
        ``"fit"`` or ``"predict"``.
    error : str
        The exception type and message.
    fallback : str
        The model used instead (``"recent_level"``).

    Examples
    --------
    >>> SeriesError(("S1",), "fit", "LinAlgError: Singular matrix", "recent_level").stage
    'fit'
    """

    key: Key
    stage: str
    error: str
    fallback: str


def errors_frame(errors: Sequence[SeriesError], by: Sequence[str]) -> pd.DataFrame:
    """Tabulate series errors: one row per error with the key columns, ``stage``, ``error``,
    ``fallback``.

    Parameters
    ----------
    errors : sequence of SeriesError
        From :func:`fit_many` or :func:`predict_many`.
    by : sequence of str
        Names of the key columns.

    Returns
    -------
    DataFrame

    Examples
    --------
    >>> err = SeriesError(("S1", "K9"), "fit", "ValueError: bad", "recent_level")
    >>> errors_frame([err], ["store", "sku"]).iloc[0].tolist()
    ['S1', 'K9', 'fit', 'ValueError: bad', 'recent_level']
    """
    columns = [*by, "stage", "error", "fallback"]
    rows = [
        {
            **dict(zip(by, e.key, strict=False)),
            "stage": e.stage,
            "error": e.error,
            "fallback": e.fallback,
        }
        for e in errors
    ]
    return pd.DataFrame(rows, columns=columns)


def resolve_n_jobs(n_jobs: int | None) -> int:
    """Number of local worker processes: ``-1`` (or ``None``) = every usable core, ``-2`` = all but
    one, a positive number as given.

    Parameters
    ----------
    n_jobs : int or None
        As in scikit-learn/joblib.

    Returns
    -------
    int
        At least 1.

    Raises
    ------
    DataValidationError
        For ``0`` or a non-integer.

    Examples
    --------
    >>> resolve_n_jobs(3)
    3
    >>> resolve_n_jobs(-1) >= 1
    True
    """
    if n_jobs is None:
        n_jobs = -1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0:
        raise DataValidationError(
            f"n_jobs={n_jobs!r}: pass a positive number of processes, or -1 for every core "
            "(-2 for all but one)."
        )
    if n_jobs > 0:
        return n_jobs
    import joblib

    # the cores this process may use (CPU affinity and container limits included)
    return max(1, joblib.cpu_count() + 1 + n_jobs)


def _check_on_error(on_error: str) -> None:
    if on_error not in ON_ERROR:
        raise DataValidationError(f"on_error={on_error!r}: choose 'fallback' or 'raise'.")


def fit_task(
    key: Key, y: pd.Series, config: SeriesConfig, *, on_error: str = "fallback"
) -> tuple[FittedSeries, SeriesError | None]:
    """Fit one series; a numerical failure gets the ``recent_level`` fallback and is reported.

    Parameters
    ----------
    key : tuple
        The series' key.
    y : Series
        Units on a regular ``DatetimeIndex``.
    config : SeriesConfig
        Model configuration.
    on_error : {"fallback", "raise"}
        Fall back on a numerical failure (and report it), or raise it. Errors that are not
        numerical failures are always raised.

    Returns
    -------
    (FittedSeries, SeriesError or None)

    Examples
    --------
    >>> from unittest import mock
    >>> import numpy as np
    >>> from forecasting.models.base import SeriesConfig
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=30, freq="W-FRI"))
    >>> singular = mock.patch("forecasting.models.ets.ETS.fit",
    ...                       side_effect=np.linalg.LinAlgError("Singular matrix"))
    >>> with singular:
    ...     fitted, err = fit_task(("A",), y, SeriesConfig(model="ets", freq="W-FRI"))
    >>> fitted.model_name, err.stage, err.error, err.fallback
    ('recent_level', 'fit', 'LinAlgError: Singular matrix', 'recent_level')
    """
    try:
        fitted = fit_series(y, config, on_error=on_error)
    except NUMERICAL_ERRORS as exc:
        if not falls_back(exc, on_error):
            raise
        last = pd.Timestamp(y.index[-1]) if len(y) else pd.Timestamp("NaT")
        error = describe_error(exc)
        fallback = FittedSeries(
            "recent_level", RecentLevel().fit(y, config), last, f"fit failed: {error}", error=error
        )
        return fallback, SeriesError(key, "fit", error, "recent_level")
    if fitted.error:
        return fitted, SeriesError(key, "fit", fitted.error, "recent_level")
    return fitted, None


def predict_task(
    key: Key,
    fitted: FittedSeries,
    horizon: int,
    config: SeriesConfig,
    *,
    on_error: str = "fallback",
) -> tuple[pd.DataFrame, SeriesError | None]:
    """Forecast one fitted series; if its model fails numerically, use its ``recent_level`` backup.

    The backup is ``fitted.backup`` when the fit kept one (:func:`fit_many` does); without one the
    error is raised, since there is nothing honest to forecast instead.

    Parameters
    ----------
    key : tuple
        The series' key.
    fitted : FittedSeries
        From :func:`fit_many`.
    horizon : int
        Periods ahead.
    config : SeriesConfig
        The configuration used to fit.
    on_error : {"fallback", "raise"}
        Use the backup on a numerical failure (and report it), or raise it.

    Returns
    -------
    (DataFrame, SeriesError or None)

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> cfg = SeriesConfig(model="seasonal_naive", freq="W-FRI")
    >>> y = pd.Series(4.0, index=pd.date_range("2024-01-05", periods=60, freq="W-FRI"))
    >>> fitted, _ = fit_task(("A",), y, cfg)
    >>> forecast, error = predict_task(("A",), fitted, 2, cfg)
    >>> forecast["p50"].tolist(), error
    ([4.0, 4.0], None)
    """
    try:
        return fitted.predict(horizon, config), None
    except NUMERICAL_ERRORS as exc:
        if not falls_back(exc, on_error):
            raise
        backup = fitted.backup
        if backup is None:
            raise LaunchcastError(
                f"series {key}: the {fitted.model_name} forecast failed ({describe_error(exc)}) "
                "and no fallback was kept. Fix: refit with DemandForecaster.fit."
            ) from exc
        forecast = FittedSeries("recent_level", backup, fitted.last_date).predict(horizon, config)
        return forecast, SeriesError(key, "predict", describe_error(exc), "recent_level")


def _fit_with_backup(
    key: Key, y: pd.Series, shared: tuple[SeriesConfig, str]
) -> tuple[FittedSeries, SeriesError | None]:
    config, on_error = shared
    fitted, error = fit_task(key, y, config, on_error=on_error)
    if fitted.model_name != "recent_level":
        fitted.backup = RecentLevel().fit(y, config)
    else:
        fitted.backup = fitted.model
    return fitted, error


def _predict_item(
    key: Key, fitted: FittedSeries, shared: tuple[int, SeriesConfig, str]
) -> tuple[pd.DataFrame, SeriesError | None]:
    horizon, config, on_error = shared
    return predict_task(key, fitted, horizon, config, on_error=on_error)


def _one_blas_thread() -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _run_chunk(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunk: Sequence[tuple[Key, T]],
    shared: S,
) -> list[tuple[R, SeriesError | None]]:
    outer = getattr(_IN_CHUNK, "active", False)
    _IN_CHUNK.active = True
    try:
        with _one_blas_thread():  # restores the process' BLAS threads afterwards
            return [func(key, item, shared) for key, item in chunk]
    finally:
        _IN_CHUNK.active = outer


def _pack(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(data: bytes) -> Any:
    """Unpickle with Prophet's logging silenced: unpickling a fitted Prophet imports prophet,
    which logs on import."""
    from forecasting.models.prophet import quiet_prophet

    with quiet_prophet():
        return pickle.loads(data)


def _run_packed_chunk(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    packed: bytes,
    shared: S,
) -> bytes:
    """:func:`_run_chunk` in another process: the chunk and its results travel pickled, and are
    unpickled by :func:`_unpack` at both ends."""
    return _pack(_run_chunk(func, _unpack(packed), shared))


def _run_packed(
    parallel: Any,
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunks: list[Sequence[tuple[Key, T]]],
    shared: S,
) -> Iterator[list[tuple[R, SeriesError | None]]]:
    """Run every chunk through a joblib ``Parallel`` (any backend), results in input order."""
    from joblib import delayed

    for packed in parallel(delayed(_run_packed_chunk)(func, _pack(c), shared) for c in chunks):
        yield _unpack(packed)


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _chunk_size(n_items: int, workers: int, chunksize: int | None) -> int:
    if chunksize is not None:
        if isinstance(chunksize, bool) or not isinstance(chunksize, int) or chunksize < 1:
            raise DataValidationError(f"chunksize={chunksize!r}: pass a whole number >= 1")
        return chunksize
    # about 8 tasks per worker (balance, progress), never more than 64 series per task
    return max(1, min(64, math.ceil(n_items / (8 * workers))))


def _progress(total: int, progress: bool, desc: str) -> Any:
    from tqdm.auto import tqdm

    # disable=None: tqdm stays quiet when stderr is not a terminal (logs, CI, pipes)
    return tqdm(
        total=total,
        desc=desc,
        unit="series",
        disable=None if progress else True,
        file=sys.stderr,
        leave=False,
    )


def _local_workers(n_jobs: int | None, n_items: int) -> int:
    workers = resolve_n_jobs(n_jobs)
    if n_jobs is None or n_jobs < 0:  # automatic: no more processes than the work pays for
        workers = min(workers, math.ceil(n_items / _MIN_SERIES_PER_PROCESS))
    # inside a chunk (nested) or a daemonic worker (which may not start processes): stay here
    if getattr(_IN_CHUNK, "active", False) or multiprocessing.current_process().daemon:
        workers = 1
    return workers


def _map_local(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunks: list[Sequence[tuple[Key, T]]],
    shared: S,
    workers: int,
) -> Iterator[list[tuple[R, SeriesError | None]]]:
    if workers == 1 or len(chunks) == 1:
        for chunk in chunks:
            yield _run_chunk(func, chunk, shared)
        return
    from joblib import Parallel

    parallel = Parallel(
        n_jobs=min(workers, len(chunks)), backend="loky", batch_size=1, return_as="generator"
    )
    yield from _run_packed(parallel, func, chunks, shared)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependencyError(
            f'backend="dask" needs dask.distributed, which is not installed. '
            f'Fix: {_INSTALL_DASK} (or use backend="local").'
        ) from exc
    return distributed


@contextlib.contextmanager
def _dask_client(scheduler: Any) -> Iterator[Any]:
    """A client for ``scheduler``; a client opened here is closed on leaving."""
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        yield scheduler
        return
    if scheduler is None:
        try:
            client = distributed.get_client()
        except ValueError as exc:
            raise DataValidationError(
                'backend="dask": no scheduler given and no dask Client running. '
                'Fix: pass scheduler="tcp://host:port" or a dask.distributed.Client.'
            ) from exc
        yield client
        return
    if not isinstance(scheduler, str):
        raise DataValidationError(
            f"scheduler={scheduler!r}: pass an address such as 'tcp://10.0.0.5:8786', a "
            "dask.distributed.Client, or None."
        )
    try:
        client = distributed.Client(scheduler, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise LaunchcastError(
            f"scheduler={scheduler!r}: cannot connect to the dask scheduler ({exc}). "
            "Fix: check the address (tcp://host:port) and that the scheduler is running."
        ) from exc
    with client:
        yield client


def _map_dask(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunks: list[Sequence[tuple[Key, T]]],
    shared: S,
    client: Any,
) -> Iterator[list[tuple[R, SeriesError | None]]]:
    from joblib import Parallel, parallel_config

    # scatter: the shared configuration goes to every worker once, not with every chunk
    with parallel_config(backend="dask", client=client, scatter=[shared]):
        parallel = Parallel(n_jobs=-1, batch_size=1, return_as="generator")
    yield from _run_packed(parallel, func, chunks, shared)


def parallel_map(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    items: Sequence[tuple[Key, T]],
    shared: S,
    *,
    backend: str = "local",
    n_jobs: int | None = -1,
    scheduler: Any = None,
    progress: bool = True,
    chunksize: int | None = None,
    desc: str = "series",
) -> tuple[list[R], list[SeriesError]]:
    """Apply ``func(key, item, shared)`` to every ``(key, item)``, in chunks, on a backend.

    Parameters
    ----------
    func : callable
        A picklable function returning ``(result, SeriesError or None)``; it handles the errors of
        its series itself (see :func:`fit_task`). An error it raises stops the run and is raised
        here, with the worker's traceback.
    items : sequence of (key, item)
        The series.
    shared : object
        Picklable data every call needs (broadcast once to a Dask cluster).
    backend : {"local", "dask"}
        Local processes (joblib's ``loky``) or a Dask cluster (joblib's Dask backend).
    n_jobs : int
        Local processes (``-1`` every core, ``1`` in this process). With a negative ``n_jobs``
        (automatic), at most one process per 32 series is started, so a handful of series run in
        this process. Ignored by ``"dask"``.
    scheduler : str or distributed.Client, optional
        The Dask scheduler (``"tcp://host:port"``) or a client; ``None`` uses the running client.
    progress : bool
        Show a progress bar (only on a terminal, or as a widget in Jupyter).
    chunksize : int, optional
        Series per task; default about eight tasks per worker, at most 64 series each.
    desc : str
        Label of the progress bar.

    Returns
    -------
    results : list
        One per item, in the order of ``items``.
    errors : list of SeriesError
        In the order of ``items``.

    Examples
    --------
    >>> def double(key, item, shared):
    ...     return item * shared, None
    >>> parallel_map(double, [(("a",), 1), (("b",), 2)], 2, n_jobs=1, progress=False)
    ([2, 4], [])
    """
    if backend not in BACKENDS:
        raise DataValidationError(f"backend={backend!r}: choose 'local' or 'dask'.")
    items = list(items)
    if not items:
        return [], []
    parts: list[list[tuple[R, SeriesError | None]]] = []
    with contextlib.ExitStack() as stack:
        if backend == "dask":
            client = stack.enter_context(_dask_client(scheduler))
            threads = max(1, sum(client.nthreads().values()))
            chunks = _chunks(items, _chunk_size(len(items), max(threads, 4), chunksize))
            stream = _map_dask(func, chunks, shared, client)
        else:
            workers = _local_workers(n_jobs, len(items))
            chunks = _chunks(items, _chunk_size(len(items), workers, chunksize))
            stream = _map_local(func, chunks, shared, workers)
        bar = stack.enter_context(_progress(len(items), progress, desc))
        for part in stream:
            parts.append(part)
            bar.update(len(part))
    results: list[R] = []
    errors: list[SeriesError] = []
    for part in parts:
        for result, error in part:
            results.append(result)
            if error is not None:
                errors.append(error)
    return results, errors


def _backtest_item(
    key: Key, y: pd.Series, shared: tuple[SeriesConfig, str]
) -> tuple[BacktestRecord | None, SeriesError | None]:
    config, on_error = shared
    if fallback_reason(y, config):
        return None, None
    return backtest_candidates(y, config, on_error=on_error, fit_one=fit_one), None


def backtest_many(
    panel: Mapping[Key, pd.Series],
    config: SeriesConfig,
    *,
    on_error: str = "fallback",
    backend: str = "local",
    n_jobs: int | None = -1,
    scheduler: Any = None,
    progress: bool = True,
    chunksize: int | None = None,
) -> dict[Key, BacktestRecord]:
    """Backtest the candidates of ``"auto"`` on every series (see :func:`parallel_map`).

    Parameters
    ----------
    panel : mapping
        ``{key: Series of units}``.
    config : SeriesConfig
        Configuration of ``"auto"`` (candidates, windows).
    on_error : {"fallback", "raise"}
        A candidate that fails numerically in a window: its fallback forecasts there, or raise.
    backend, n_jobs, scheduler, progress, chunksize
        See :func:`parallel_map`.

    Returns
    -------
    dict
        ``{key: BacktestRecord}`` of the series long enough to backtest and not bound to the
        ``recent_level`` fallback, in the order of ``panel``.

    Examples
    --------
    >>> import numpy as np
    >>> from forecasting.models.base import SeriesConfig
    >>> idx = pd.date_range("2020-01-01", periods=60, freq="MS")
    >>> y = pd.Series(10 + np.arange(60) % 12, index=idx, dtype=float)
    >>> cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("seasonal_naive",)})
    >>> records = backtest_many({("A",): y, ("B",): y.iloc[:12]}, cfg, n_jobs=1, progress=False)
    >>> list(records), records[("A",)].windows
    ([('A',)], 2)
    """
    _check_on_error(on_error)
    keys = list(panel)
    records, _ = parallel_map(
        _backtest_item,
        [(key, panel[key]) for key in keys],
        (config, on_error),
        backend=backend,
        n_jobs=n_jobs,
        scheduler=scheduler,
        progress=progress,
        chunksize=chunksize,
        desc="backtest",
    )
    return {key: r for key, r in zip(keys, records, strict=True) if r is not None}


def fit_many(
    panel: Mapping[Key, pd.Series],
    config: SeriesConfig,
    *,
    on_error: str = "fallback",
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
        ``{key: Series of units}`` (see :func:`forecasting.models.panel.series_panel`).
    config : SeriesConfig
        Model configuration.
    on_error : {"fallback", "raise"}
        A model that fails numerically on a series: the ``recent_level`` fallback, reported in
        ``errors``; or stop and raise the error.
    backend, n_jobs, scheduler, progress, chunksize
        See :func:`parallel_map`.

    Returns
    -------
    models : dict
        ``{key: FittedSeries}`` in the order of ``panel``.
    errors : list of SeriesError
        Series whose model failed numerically; they use the ``recent_level`` fallback.

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> idx = pd.date_range("2024-01-05", periods=30, freq="W-FRI")
    >>> models, errors = fit_many({("A",): pd.Series(4.0, index=idx)},
    ...                           SeriesConfig(model="ets", freq="W-FRI"), progress=False)
    >>> models[("A",)].model_name, errors
    ('ets', [])
    """
    _check_on_error(on_error)
    keys = list(panel)
    fitted, errors = parallel_map(
        _fit_with_backup,
        [(key, panel[key]) for key in keys],
        (config, on_error),
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
    on_error: str = "fallback",
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
    on_error : {"fallback", "raise"}
        A model that fails numerically: the series' ``recent_level`` backup, reported in
        ``errors``; or stop and raise the error.
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
    _check_on_error(on_error)
    return parallel_map(
        _predict_item,
        list(models.items()),
        (int(horizon), config, on_error),
        backend=backend,
        n_jobs=n_jobs,
        scheduler=scheduler,
        progress=progress,
        chunksize=chunksize,
        desc="predict",
    )
