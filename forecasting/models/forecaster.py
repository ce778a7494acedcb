"""`DemandForecaster`: fit many sales series at once and forecast them with quantiles.

Examples
--------
>>> import numpy as np, pandas as pd
>>> dates = pd.date_range("2022-01-01", periods=800, freq="D")
>>> sales = pd.DataFrame({"date": np.tile(dates, 2), "store": np.repeat(["A", "B"], 800),
...                       "units": np.r_[np.full(800, 5.0), np.full(800, 7.0)]})
>>> f = DemandForecaster(model="seasonal_naive").fit(sales, by="store")
>>> print(f.predict(2)[["store", "date", "p50"]].to_string(index=False))
store       date  p50
    A 2024-03-11  5.0
    A 2024-03-12  5.0
    B 2024-03-11  7.0
    B 2024-03-12  7.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal, overload

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.inputs.validated import SalesTable
from forecasting.models.base import (
    MODEL_OPTIONS,
    MODELS,
    ON_ERROR,
    SeriesConfig,
    quantile_columns,
    validate_quantiles,
)
from forecasting.models.calendar_features import DEFAULT_KINDS, CalendarFeatures
from forecasting.models.conformal import Calibration
from forecasting.models.panel import normalize_by, series_panel
from forecasting.models.parallel import (
    BACKENDS,
    backtest_many,
    errors_frame,
    fit_many,
    predict_many,
)
from forecasting.models.pooling import POOLED_PRIORS, pooled_priors, pooled_series
from forecasting.models.prophet import SOLVERS
from forecasting.models.selection import (
    HORIZON_SHARES,
    SELECTIONS,
    HorizonModels,
    auto_candidates,
    choose_by_horizon,
    describe_choices,
    with_specs,
)

__all__ = ["DemandForecaster"]


class DemandForecaster(BaseEstimator):
    """Forecast many sales series with quantiles (a scikit-learn estimator).

    ``__init__`` only stores its keyword-only parameters; :meth:`fit` sets the fitted attributes
    (ending in ``_``) and returns ``self``; :meth:`predict` before :meth:`fit` raises
    :class:`~forecasting.exceptions.NotFittedError` and never changes the fitted state.
    ``get_params``, ``set_params``, the ``repr`` and :func:`sklearn.base.clone` come from
    :class:`sklearn.base.BaseEstimator`.

    The *model settings* (the parameters) decide the forecasts; the *execution settings* (the
    other parameters: ``n_jobs``, ``backend``, ``scheduler``, ``progress``, ``on_error``) decide
    where and how the series are fitted, and never change the forecasts. The defaults of the
    per-series model options are stated in :data:`forecasting.models.base.MODEL_OPTIONS`.

    Parameters
    ----------
    model : str
        One of :data:`forecasting.models.base.MODELS`.
        ``"auto"`` (the default): per series, the model or the mean of the best two or three
        models chosen by a rolling-origin backtest (:mod:`forecasting.models.selection`; one
        choice for forecasts up to a quarter of the validation span, one for longer ones), with
        quantiles calibrated on the backtest errors of all series
        (:mod:`forecasting.models.conformal`); :attr:`summary_` says what each series got and why.
        ``"prophet"``: Prophet on ``log1p(units)`` with the calendar of ``market`` and ``events``
        (holidays with their windows, make-up workdays, retail events; weekly and monthly data get
        event features per period). ``"ets"``: damped ETS on ``log1p(units)`` with analytic
        intervals. ``"autoets"``, ``"autoarima"``, ``"theta"``: the ETS, ARIMA and Theta families
        of statsforecast searched per series on the units (:mod:`forecasting.models.families`).
        ``"seasonal_naive"``: same period last year (aligned by weekday for daily and weekly
        data); ``"seasonal_growth"``: the same times the growth of the last quarter over the same
        quarter a year before. See :mod:`forecasting.models.series` for the fallback rules of
        short or sparse series.
    quantiles : sequence of float
        Quantile levels; output columns ``"p" + percent`` (``p10, p50, p90``).
    market : str
        Calendar market: ``"CN"`` (the default: Chinese holidays with make-up workdays, shopping
        festivals) or any country of the ``holidays`` package (``"US"``, ``"EC"``, ``"DE"``, ...),
        which gets its public holidays. The default is Chinese: give the market of your data, or
        its holidays will be China's. :attr:`calendar_` and :attr:`summary_` say which calendar was
        used; an unknown market is an error.
    events : DataFrame or path, optional
        The user's own dated events (local holidays, transfers, promotions, store events): columns
        ``date, event`` and optionally ``lower_window, upper_window`` (days before and after) and
        ``kind``, the form :func:`calendars.events` returns (:func:`calendars.user_events` reads
        them). Each event becomes a regressor of the calendar-aware models, beside the market's.
    calendar_kinds : sequence of str, optional
        Event kinds for Prophet (``None``: holidays, make-up workdays and retail events; add
        ``"solar_term"`` to use the solar terms too).
    growth : {"auto", "linear", "flat"}
        Prophet's trend on the log scale. ``"auto"``: linear (with changepoints) when the series has
        two years of history, else flat, because with less than two years a trend cannot be told
        apart from the yearly seasonality and its extrapolation runs away.
    changepoint_range : float
        Share of the history (from its start) where Prophet's trend changepoints may fall.
    changepoint_prior_scale, seasonality_prior_scale : float
        Prophet priors.
    holidays_prior_scale : float
        Prior scale of the calendar effects on Prophet's scale (``log1p(units)`` divided by its
        maximum); 0.03 allows effects of about x1.35 per window day or week (more for an event
        whose window days agree) and keeps collinear window columns tame.
    yearly_order : int
        Fourier order of Prophet's yearly seasonality (none below a year and a half of history).
    interval : {"residual", "sampling"}
        Prophet quantiles from in-sample residuals (fast) or from ``uncertainty_samples``
        trajectories.
    uncertainty_samples : int
        Trajectories when ``interval="sampling"``.
    level_uncertainty : float
        With ``interval="residual"``: multiple of the history's year-over-year level spread added to
        the interval, growing as ``sqrt(h / season)`` (3.0 was calibrated on a 2010 backtest of the
        China clothing data: 75 % coverage of the 80 % interval).
    solver : {"map", "stan"}
        How Prophet's MAP estimate is computed: ``"map"`` solves Prophet's model in process (the
        same model, priors and optimum, a few milliseconds per series instead of a cmdstan run);
        ``"stan"`` calls Prophet's own ``fit`` (always used with ``interval="sampling"``).
    min_history : int, optional
        Observed periods below which a series uses the fallback (``None``: 8 weeks, i.e. 56 days
        or 8 weeks).
    max_zero_share : float
        Share of zero periods above which a series uses the fallback.
    validation_horizon : int, optional
        Periods forecast from each backtest cutoff by ``"auto"`` (``None``: a year, or 24 months
        for monthly data, shortened to what the history allows, at least a quarter; a daily or
        weekly history too short for that gets the short-history backtest of a quarter down to
        four weeks; see :mod:`forecasting.models.selection`).
    backtest_windows : int
        Backtest cutoffs of ``"auto"`` (half a validation span apart).
    candidates : sequence of str, optional
        The models ``"auto"`` chooses from (``None``: by frequency, see
        :data:`forecasting.models.selection.AUTO_CANDIDATES`).
    selection : {"global", "series"}
        How ``"auto"`` chooses: one model (or mean of models) for all series by their pooled
        backtest WAPE, or one per series by its own backtest.
    pooling : bool
        Pool Prophet's calendar coefficients over the series (with ``"prophet"``, and ``"auto"``
        with Prophet among its candidates; ``solver="map"``, five series or more of the same
        structure): each coefficient's prior is centred on its mean over the series, as wide as
        they differ on it, instead of on zero (:mod:`forecasting.models.pooling`). One more
        Prophet fit per series (per backtest window with ``"auto"``). ``False``: each series
        alone, as Prophet.

    Other Parameters
    ----------------
    n_jobs : int
        Local processes: ``-1`` every core (at most one per 32 series), ``1`` in this process.
    backend : {"local", "dask"}
        Where the series are fitted (:mod:`forecasting.models.parallel`): local processes
        (joblib's ``loky``; no ``if __name__ == "__main__":`` guard needed), or a Dask cluster
        through joblib's Dask backend (``pip install "launchcast[dask]"``). Results are identical
        across backends.
    scheduler : str or distributed.Client, optional
        With ``backend="dask"``: the scheduler address (``"tcp://host:port"``) or a client;
        ``None`` uses the client already running in the session.
    progress : bool
        Show a progress bar (tqdm; on a terminal, or as a widget in Jupyter).
    on_error : {"fallback", "raise"}
        A model that fails numerically on a series (a singular matrix, an optimiser that gives
        up): ``"fallback"`` gives the series the ``recent_level`` fallback and records the error in
        :attr:`errors_`; ``"raise"`` stops and raises the error with its traceback. Errors that are
        not numerical failures are always raised.

    Attributes
    ----------
    by_ : list of str
        Key columns.
    freq_ : str
        Frequency of the data.
    end_ : Timestamp
        Last period of the history; forecasts start one period later.
    config_ : SeriesConfig
        The per-series configuration.
    models_ : dict
        ``{key tuple: FittedSeries}``.
    calendar_ : str
        The calendar the calendar-aware models used (market, kinds of events, the user's events),
        or ``""`` when no model used one.
    calibration_ : tuple of Calibration or None
        With ``"auto"``: the pooled quantiles of the backtest errors
        (:class:`forecasting.models.conformal.Calibration`), one per forecast length of
        :data:`forecasting.models.selection.HORIZON_SHARES`; empty for the other models.
    summary_ : DataFrame
        One row per series: key columns, ``model`` used (``"mean(prophet, ets)"`` for a
        combination), ``reason`` (why a fallback, or the backtest scores of ``"auto"``) and
        ``calendar`` (the calendar the series' model used, or ``""``).
    errors_ : DataFrame
        Series whose model failed numerically at the fit: key columns, ``stage`` (``"fit"``),
        ``error`` and the ``fallback`` used (``recent_level``); empty when none did. The failures of
        a forecast come with it: ``predict(horizon, return_errors=True)``.

    Examples
    --------
    >>> DemandForecaster(model="ets", n_jobs=2)
    DemandForecaster(model='ets', n_jobs=2)
    >>> DemandForecaster().model
    'auto'
    >>> from sklearn.base import clone
    >>> clone(DemandForecaster(model="ets")).get_params()["model"]
    'ets'
    """

    def __init__(
        self,
        *,
        model: str = "auto",
        quantiles: Sequence[float] = (0.1, 0.5, 0.9),
        market: str = "CN",
        events: Any = None,
        calendar_kinds: Sequence[str] | None = None,
        growth: str = MODEL_OPTIONS["growth"],
        changepoint_range: float = MODEL_OPTIONS["changepoint_range"],
        changepoint_prior_scale: float = MODEL_OPTIONS["changepoint_prior_scale"],
        seasonality_prior_scale: float = MODEL_OPTIONS["seasonality_prior_scale"],
        holidays_prior_scale: float = MODEL_OPTIONS["holidays_prior_scale"],
        yearly_order: int = MODEL_OPTIONS["yearly_order"],
        interval: str = MODEL_OPTIONS["interval"],
        uncertainty_samples: int = MODEL_OPTIONS["uncertainty_samples"],
        level_uncertainty: float = MODEL_OPTIONS["level_uncertainty"],
        solver: str = MODEL_OPTIONS["solver"],
        min_history: int | None = MODEL_OPTIONS["min_history"],
        max_zero_share: float = MODEL_OPTIONS["max_zero_share"],
        validation_horizon: int | None = MODEL_OPTIONS["validation_horizon"],
        backtest_windows: int = MODEL_OPTIONS["backtest_windows"],
        candidates: Sequence[str] | None = MODEL_OPTIONS["candidates"],
        selection: str = MODEL_OPTIONS["selection"],
        pooling: bool = MODEL_OPTIONS["pooling"],
        n_jobs: int | None = -1,
        backend: str = "local",
        scheduler: Any = None,
        progress: bool = True,
        on_error: str = "fallback",
    ) -> None:
        self.model = model
        self.quantiles = quantiles
        self.market = market
        self.events = events
        self.calendar_kinds = calendar_kinds
        self.growth = growth
        self.changepoint_range = changepoint_range
        self.changepoint_prior_scale = changepoint_prior_scale
        self.seasonality_prior_scale = seasonality_prior_scale
        self.holidays_prior_scale = holidays_prior_scale
        self.yearly_order = yearly_order
        self.interval = interval
        self.uncertainty_samples = uncertainty_samples
        self.level_uncertainty = level_uncertainty
        self.solver = solver
        self.min_history = min_history
        self.max_zero_share = max_zero_share
        self.validation_horizon = validation_horizon
        self.backtest_windows = backtest_windows
        self.candidates = candidates
        self.selection = selection
        self.pooling = pooling
        self.n_jobs = n_jobs
        self.backend = backend
        self.scheduler = scheduler
        self.progress = progress
        self.on_error = on_error

    def _config(self, freq: str, calendar: CalendarFeatures | None) -> SeriesConfig:
        if self.model not in MODELS:
            raise DataValidationError(
                f"DemandForecaster: model={self.model!r}; choose one of {list(MODELS)}"
            )
        if self.interval not in ("residual", "sampling"):
            raise DataValidationError(
                f"DemandForecaster: interval={self.interval!r}; choose 'residual' or 'sampling'"
            )
        if self.growth not in ("auto", "linear", "flat"):
            raise DataValidationError(
                f"DemandForecaster: growth={self.growth!r}; choose 'auto', 'linear' or 'flat'"
            )
        if self.candidates is not None:
            allowed = [m for m in MODELS if m != "auto"]
            bad = [c for c in self.candidates if c not in allowed]
            if isinstance(self.candidates, str) or bad or not len(self.candidates):
                raise DataValidationError(
                    f"DemandForecaster: candidates={self.candidates!r}; give a list of models "
                    f"among {allowed}"
                )
        if self.selection not in SELECTIONS:
            raise DataValidationError(
                f"DemandForecaster: selection={self.selection!r}; choose 'global' or 'series'"
            )
        windows = self.backtest_windows
        if isinstance(windows, bool) or not isinstance(windows, int) or windows < 1:
            raise DataValidationError(
                f"DemandForecaster: backtest_windows={windows!r}; pass a whole number >= 1"
            )
        if not isinstance(self.pooling, (bool, np.bool_)):
            raise DataValidationError(
                f"DemandForecaster: pooling={self.pooling!r}; pass True or False"
            )
        if self.solver not in SOLVERS:
            raise DataValidationError(
                f"DemandForecaster: solver={self.solver!r}; choose one of {list(SOLVERS)}"
            )
        return SeriesConfig(
            model=self.model,
            freq=freq,
            quantiles=validate_quantiles(self.quantiles),
            market=self.market,
            calendar=calendar,
            options={
                name: tuple(value) if name == "candidates" and value is not None else value
                for name, value in ((n, getattr(self, n)) for n in MODEL_OPTIONS)
            },
        )

    def _uses_calendar(self) -> bool:
        if self.model == "prophet":
            return True
        if self.model != "auto":
            return False
        return self.candidates is None or "prophet" in self.candidates

    def _execution(self) -> dict[str, Any]:
        if self.backend not in BACKENDS:
            raise DataValidationError(
                f"DemandForecaster: backend={self.backend!r}; choose 'local' or 'dask'"
            )
        if self.on_error not in ON_ERROR:
            raise DataValidationError(
                f"DemandForecaster: on_error={self.on_error!r}; choose 'fallback' or 'raise'"
            )
        return {
            "on_error": self.on_error,
            "backend": self.backend,
            "n_jobs": self.n_jobs,
            "scheduler": self.scheduler,
            "progress": self.progress,
        }

    def _with_pooled_priors(
        self, panel: dict, config: SeriesConfig, execution: dict[str, Any]
    ) -> SeriesConfig:
        """``config`` with the panel priors of Prophet's calendar effects (:mod:`.pooling`), when
        ``pooling`` is on and Prophet is fitted by the ``"map"`` solver."""
        map_solver = config.option("solver") == "map" and config.option("interval") != "sampling"
        backtest = self.model == "auto"
        prophet_fitted = self.model == "prophet" or (
            backtest and "prophet" in auto_candidates(config) + auto_candidates(config, short=True)
        )
        if not (self.pooling and map_solver and prophet_fitted):
            return config
        priors = pooled_priors(panel, config, backtest=backtest, execution=execution)
        if not priors:
            return config
        return replace(config, options={**config.options, POOLED_PRIORS: priors})

    def _fit_auto(
        self, panel: dict, config: SeriesConfig, execution: dict[str, Any]
    ) -> tuple[dict, list, tuple[Calibration | None, ...]]:
        """Backtest every series, choose per forecast length (over all series or each), refit."""
        records = backtest_many(panel, config, **execution)
        choices = choose_by_horizon(records, self.selection)  # {key: [Choice per length]}
        groups: dict[tuple | None, list] = {}
        for key in panel:
            plans = (
                tuple((c.validation, c.members) for c in choices[key]) if key in choices else None
            )
            groups.setdefault(plans, []).append(key)
        fitted: dict = {}
        errors: list = []
        for plans, keys in groups.items():
            part_config = replace(config, options={**config.options, "plans": plans})
            # each series carries the specifications its backtest searched, for the refit to reuse
            part_panel = {
                k: with_specs(panel[k], records[k].specs) if k in records else panel[k]
                for k in keys
            }
            part, part_errors = fit_many(part_panel, part_config, **execution)
            fitted.update(part)
            errors.extend(part_errors)
        models = {key: fitted[key] for key in panel}
        for key, chosen in choices.items():
            m = models[key]
            m.reason = describe_choices(chosen) + (f"; {m.reason}" if m.reason else "")
        # every window's errors, the latest first: the latest (the fit on the most history, the
        # closest to the final one) gives the scales and the table, the one before it how the
        # errors changed as the history grew (the history factor)
        calibrations = tuple(
            Calibration.from_errors(
                {
                    key: chosen[index].errors
                    for key, chosen in choices.items()
                    if models[key].model_name != "recent_level"
                },
                config.quantiles,
            )
            for index in range(len(HORIZON_SHARES))
        )
        return models, errors, calibrations

    def fit(
        self,
        sales: SalesTable | pd.DataFrame | str,
        by: str | Sequence[str] | None = None,
        *,
        freq: str | None = None,
    ) -> DemandForecaster:
        """Fit one model per series.

        Parameters
        ----------
        sales : SalesTable, DataFrame or path
            Sales in the canonical long format: validated sales
            (:func:`forecasting.inputs.validate_sales`) are used as they are, others validated.
        by : str, sequence of str or None
            Key columns of one series (``"store"``, ``["store", "dept"]``, any columns of the
            sales); ``None``: all sales as one series. Units of the same key and period are summed.
        freq : str, optional
            ``"D"``, ``"W-<DAY>"``, ``"MS"`` or ``"ME"`` (monthly, labelled by the first or the
            last day); ``None``: inferred from the dates (validated sales keep their own). A
            frequency that does not fit the dates is an error, never a re-reading.

        Returns
        -------
        DemandForecaster
            ``self``, fitted.

        Examples
        --------
        >>> weeks = pd.date_range("2024-01-05", periods=20, freq="W-FRI")
        >>> s = pd.DataFrame({"date": weeks, "units": 3.0})
        >>> DemandForecaster(model="ets").fit(s).summary_["model"].tolist()
        ['ets']
        """
        from forecasting.inputs.frequency import require_calendar_periods
        from forecasting.inputs.readers import as_sales

        execution = self._execution()
        table = as_sales(sales, by=by, freq=freq)
        require_calendar_periods(table, "the demand forecast")
        sales = table.frame
        by_columns = normalize_by(sales, by)
        if len(sales) == 0:
            raise DataValidationError(
                f"{sales.attrs.get('source', 'sales')}: no rows. "
                "Fix: pass sales with at least one row."
            )
        freq = table.freq
        end = pd.Timestamp(sales["date"].max())
        panel = series_panel(sales, by_columns, freq, end)
        calendar = None
        self._config(freq, None)  # the options are checked before minutes of work
        if self.events is not None and not self._uses_calendar():
            warnings.warn(
                f"DemandForecaster: model={self.model!r} uses no calendar, so events= is not "
                "used; the calendar-aware models are 'prophet' and 'auto' (with prophet among "
                "its candidates).",
                UserWarning,
                stacklevel=2,
            )
        if self._uses_calendar():
            kinds = DEFAULT_KINDS if self.calendar_kinds is None else tuple(self.calendar_kinds)
            span_end = end + pd.DateOffset(years=2)
            calendar = CalendarFeatures.build(
                sales["date"].min(), span_end, freq, self.market, kinds, events=self.events
            )
        config = self._config(freq, calendar)
        fit_config = self._with_pooled_priors(panel, config, execution)
        if self.model == "auto":
            models, errors, calibration = self._fit_auto(panel, fit_config, execution)
        else:
            models, errors = fit_many(panel, fit_config, **execution)
            calibration = ()
        for m in models.values():
            pooled = pooled_series(m.model)
            if pooled:
                note = f"Prophet's calendar effects pooled over {pooled} series"
                m.reason = f"{m.reason}; {note}" if m.reason else note
        described = calendar.describe() if calendar is not None else ""
        rows = [
            {
                **dict(zip(by_columns, key, strict=True)),
                "model": m.model_name,
                "reason": m.reason,
                "calendar": described if "prophet" in m.model_name else "",
            }
            for key, m in models.items()
        ]
        self.calibration_ = calibration
        self.by_ = by_columns
        self.freq_ = freq
        self.end_ = end
        self.config_ = config
        self.models_ = models
        self.calendar_ = described
        self.summary_ = pd.DataFrame(rows, columns=[*by_columns, "model", "reason", "calendar"])
        self.errors_ = errors_frame(errors, by_columns)
        return self

    @overload
    def predict(self, horizon: int, *, return_errors: Literal[False] = False) -> pd.DataFrame: ...

    @overload
    def predict(
        self, horizon: int, *, return_errors: Literal[True]
    ) -> tuple[pd.DataFrame, pd.DataFrame]: ...

    def predict(
        self, horizon: int, *, return_errors: bool = False
    ) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
        """Forecast ``horizon`` periods (days for daily, weeks for weekly data) after the history.

        The fitted state is not changed. A series whose model fails numerically at the forecast
        gets its ``recent_level`` backup (with ``on_error="fallback"``); those series are returned
        with ``return_errors=True``, and otherwise announced by a :class:`RuntimeWarning`.

        Parameters
        ----------
        horizon : int
            Number of periods, at least 1.
        return_errors : bool
            Also return the series whose forecast failed.

        Returns
        -------
        forecast : DataFrame
            The key columns, ``date``, ``mean`` and one column per quantile (``p10, p50, p90``);
            never negative, quantiles never cross.
        errors : DataFrame
            Only with ``return_errors=True``: the key columns, ``stage`` (``"predict"``),
            ``error`` and ``fallback``, one row per series whose forecast failed.

        Raises
        ------
        NotFittedError
            Before :meth:`fit`.

        Examples
        --------
        >>> DemandForecaster().predict(7)
        Traceback (most recent call last):
        ...
        forecasting.exceptions.NotFittedError: DemandForecaster is not fitted yet: call fit(sales,
        by=...) before predict(horizon).
        >>> weeks = pd.date_range("2024-01-05", periods=20, freq="W-FRI")
        >>> f = DemandForecaster(model="ets").fit(pd.DataFrame({"date": weeks, "units": 3.0}))
        >>> forecast, errors = f.predict(2, return_errors=True)
        >>> len(forecast), len(errors)
        (2, 0)
        """
        if not hasattr(self, "models_"):
            raise NotFittedError(
                "DemandForecaster is not fitted yet: "
                "call fit(sales, by=...) before predict(horizon)."
            )
        if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
            raise DataValidationError(
                f"predict: horizon={horizon!r}; pass a whole number of periods >= 1"
            )
        columns = [*self.by_, "date", "mean", *quantile_columns(self.config_.quantiles)]
        parts, errors = predict_many(self.models_, horizon, self.config_, **self._execution())
        failed = errors_frame(errors, self.by_)
        if len(failed) and not return_errors:
            warnings.warn(
                f"DemandForecaster.predict: the forecast of {len(failed)} series failed and used "
                f"the recent_level fallback (first: {failed['error'].iloc[0]}). Call "
                "predict(horizon, return_errors=True) to get them.",
                RuntimeWarning,
                stacklevel=2,
            )
        if any(c is not None for c in self.calibration_):
            names = quantile_columns(self.config_.quantiles)
            point_name = "p50" if 0.5 in self.config_.quantiles else "mean"
            for key, part in zip(self.models_, parts, strict=True):
                model = self.models_[key].model
                index = model.plan_index(horizon) if isinstance(model, HorizonModels) else -1
                calibration = self.calibration_[index]
                if calibration is not None and key in calibration.scales:
                    part[names] = calibration.apply(
                        key, part[point_name].to_numpy(), part[names].to_numpy()
                    )
        if not parts:
            out = pd.DataFrame(columns=columns)
        else:
            out = pd.concat(parts, ignore_index=True)
            if self.by_:  # keys in the dtypes of the input, repeated over each series' horizon
                keys = self.summary_[self.by_].iloc[np.repeat(np.arange(len(parts)), horizon)]
                for name in self.by_:
                    out[name] = keys[name].reset_index(drop=True)
            out = out[columns]
        return (out, failed) if return_errors else out
