"""The execution engine of :mod:`forecasting.models.parallel`: map a per-series function over
chunks of
series on local processes or a Dask cluster, with a progress bar and per-series errors.

:func:`parallel_map` is generic (any picklable top-level ``func(key, item, shared)`` returning
``(result, SeriesError or None)``); :mod:`forecasting.models.parallel` applies it to fitting and
forecasting. See :mod:`forecasting.models.parallel` for the backends and their guarantees.

Examples
--------
>>> def scale(key, item, shared):
...     return item * shared, None
>>> parallel_map(scale, [(("a",), 1), (("b",), 2)], 10, n_jobs=1, progress=False)
([10, 20], [])
"""

from __future__ import annotations

import contextlib
import logging
import math
import multiprocessing
import os
import sys
import warnings
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from forecasting.exceptions import DataValidationError, LaunchcastError, MissingDependencyError
from forecasting.models.prophet_model import quiet_prophet

__all__ = [
    "BACKENDS",
    "Key",
    "SeriesError",
    "errors_frame",
    "parallel_map",
    "resolve_n_jobs",
]

BACKENDS = ("dask", "local")

#: With ``n_jobs=-1`` a process is started per this many series at most: a few series fit faster
#: in this process than a pool starts (about 1.5 s for the first pool of a session, 0.1 s after).
_MIN_SERIES_PER_PROCESS = 32

_QUIET_LOGGERS = ("prophet", "cmdstanpy", "prophet.plot", "prophet.forecaster")
_INSTALL_DASK = 'pip install "launchcast[dask]"'

Key = tuple[Hashable, ...]
T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")


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
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS / Windows
        cores = os.cpu_count() or 1
    return max(1, cores + 1 + n_jobs)


def _silence() -> None:
    """Quiet Prophet's and cmdstanpy's loggers and warnings (in a worker process or thread)."""
    for name in _QUIET_LOGGERS:
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL)
        logger.disabled = True
    warnings.filterwarnings("ignore", module=r"prophet(\..*)?$")
    warnings.filterwarnings("ignore", module=r"cmdstanpy(\..*)?$")


def _run_chunk(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunk: Sequence[tuple[Key, T]],
    shared: S,
) -> list[tuple[R, SeriesError | None]]:
    # one BLAS thread per task: the series run in parallel already, and threaded BLAS on small
    # matrices on busy cores is many times slower (measured: 96 ms vs 3 ms per 200x200 solve)
    with quiet_prophet(), _one_blas_thread():  # both restore the process state afterwards
        return [func(key, item, shared) for key, item in chunk]


def _one_blas_thread() -> Any:
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


_WORKER_SHARED: dict[str, Any] = {}


def _init_worker(shared: Any) -> None:
    _silence()
    _WORKER_SHARED["shared"] = shared


def _run_chunk_local(
    func: Callable[[Key, T, Any], tuple[R, SeriesError | None]],
    chunk: Sequence[tuple[Key, T]],
) -> list[tuple[R, SeriesError | None]]:
    return _run_chunk(func, chunk, _WORKER_SHARED["shared"])


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


def _mp_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # the fork server imports the models once; every worker forks from it already warm
        ctx.set_forkserver_preload(["forecasting.models.parallel", "sklearn.linear_model"])
        return ctx
    return multiprocessing.get_context("spawn")  # pragma: no cover - Windows


def _map_local(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunks: list[Sequence[tuple[Key, T]]],
    shared: S,
    workers: int,
) -> Iterator[tuple[int, list[tuple[R, SeriesError | None]]]]:
    if workers == 1 or len(chunks) == 1:
        for i, chunk in enumerate(chunks):
            yield i, _run_chunk(func, chunk, shared)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(chunks)),
        mp_context=_mp_context(),
        initializer=_init_worker,
        initargs=(shared,),
    ) as pool:
        pending: dict[Future[Any], int] = {
            pool.submit(_run_chunk_local, func, chunk): i for i, chunk in enumerate(chunks)
        }
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield pending.pop(future), future.result()
        finally:
            for future in pending:
                future.cancel()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependencyError(
            f'backend="dask" needs dask.distributed, which is not installed. '
            f'Fix: {_INSTALL_DASK} (or use backend="local").'
        ) from exc
    return distributed


def _dask_client(scheduler: Any) -> tuple[Any, bool]:
    """Return ``(client, owned)``: a client for ``scheduler`` and whether we must close it."""
    distributed = _import_distributed()
    if isinstance(scheduler, distributed.Client):
        return scheduler, False
    if scheduler is None:
        try:
            return distributed.get_client(), False
        except ValueError as exc:
            raise DataValidationError(
                'backend="dask": no scheduler given and no dask Client running. '
                'Fix: pass scheduler="tcp://host:port" or a dask.distributed.Client.'
            ) from exc
    if isinstance(scheduler, str):
        try:
            return distributed.Client(scheduler, timeout="20s"), True
        except (OSError, TimeoutError) as exc:
            raise LaunchcastError(
                f"scheduler={scheduler!r}: cannot connect to the dask scheduler ({exc}). "
                "Fix: check the address (tcp://host:port) and that the scheduler is running."
            ) from exc
    raise DataValidationError(
        f"scheduler={scheduler!r}: pass an address such as 'tcp://10.0.0.5:8786', a "
        "dask.distributed.Client, or None."
    )


def _map_dask(
    func: Callable[[Key, T, S], tuple[R, SeriesError | None]],
    chunks: list[Sequence[tuple[Key, T]]],
    shared: S,
    scheduler: Any,
) -> Iterator[tuple[int, list[tuple[R, SeriesError | None]]]]:
    distributed = _import_distributed()
    client, owned = _dask_client(scheduler)
    try:
        shared_future = client.scatter(shared, broadcast=True, hash=False)
        futures = [
            client.submit(_run_chunk, func, chunk, shared_future, pure=False) for chunk in chunks
        ]
        index = {future.key: i for i, future in enumerate(futures)}
        try:
            for future in distributed.as_completed(futures):
                yield index[future.key], future.result()
        finally:
            client.cancel(futures)
            del shared_future
    finally:
        if owned:
            client.close()


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
        A picklable top-level function returning ``(result, SeriesError or None)``; it handles the
        errors of its series itself (see :func:`fit_many`).
    items : sequence of (key, item)
        The series.
    shared : object
        Picklable data every call needs (sent once per worker).
    backend : {"local", "dask"}
        Local processes or a Dask cluster.
    n_jobs : int
        Local processes (``-1`` every core, ``1`` in this process). With a negative ``n_jobs``
        (automatic), at most one process per 32 series is started, so a handful of series run in
        this process. Ignored by ``"dask"``.
    scheduler : str or distributed.Client, optional
        The Dask scheduler (``"tcp://host:port"``) or a client; ``None`` uses the running client.
    progress : bool
        Show a progress bar (only on a terminal).
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
    if backend == "dask":
        distributed = _import_distributed()
        workers = 1
        if isinstance(scheduler, distributed.Client):
            workers = max(1, len(scheduler.scheduler_info().get("workers", {})))
        size = _chunk_size(len(items), max(workers, 4), chunksize)
    else:
        workers = resolve_n_jobs(n_jobs)
        if n_jobs is None or n_jobs < 0:  # automatic: no more processes than the work pays for
            workers = min(workers, math.ceil(len(items) / _MIN_SERIES_PER_PROCESS))
        if multiprocessing.current_process().daemon:  # a pool or cluster worker: no children
            workers = 1
        size = _chunk_size(len(items), workers, chunksize)
    chunks = _chunks(items, size)
    out: list[list[tuple[R, SeriesError | None]] | None] = [None] * len(chunks)
    with _progress(len(items), progress, desc) as bar:
        stream = (
            _map_dask(func, chunks, shared, scheduler)
            if backend == "dask"
            else _map_local(func, chunks, shared, workers)
        )
        for i, part in stream:
            out[i] = part
            bar.update(len(part))
    results: list[R] = []
    errors: list[SeriesError] = []
    for chunk_out in out:
        if chunk_out is None:  # pragma: no cover - every chunk reports or raises
            raise LaunchcastError("parallel_map: a chunk of series reported no result")
        for result, error in chunk_out:
            results.append(result)
            if error is not None:
                errors.append(error)
    return results, errors
