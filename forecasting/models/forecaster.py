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

import inspect
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.models.base import (
    MODELS,
    SeriesConfig,
    quantile_columns,
    validate_quantiles,
)
from forecasting.models.calendar_features import DEFAULT_KINDS, CalendarFeatures
from forecasting.models.panel import normalize_by, series_panel

__all__ = ["DemandForecaster"]


class DemandForecaster:
    """Forecast many sales series with quantiles (scikit-learn style).

    ``__init__`` only stores parameters; :meth:`fit` sets the fitted attributes (ending in ``_``);
    :meth:`predict` before :meth:`fit` raises :class:`~forecasting.exceptions.NotFittedError`.

    Parameters
    ----------
    model : {"prophet", "ets", "seasonal_naive", "auto"}
        ``"prophet"``: Prophet on ``log1p(units)`` with the calendar of ``market`` (holidays with
        their windows, make-up workdays, retail events; weekly data get weekly event features).
        ``"ets"``: damped ETS on ``log1p(units)`` with analytic intervals. ``"seasonal_naive"``:
        same period last year aligned by weekday. ``"auto"``: per series, the best of the three on a
        validation window. See :mod:`forecasting.models.series` for the fallback rules of short or
        sparse series.
    quantiles : sequence of float
        Quantile levels; output columns ``"p" + percent`` (``p10, p50, p90``).
    market : str
        Calendar market (``"CN"``; other markets get their public holidays).
    calendar_kinds : sequence of str, optional
        Event kinds for Prophet (default ``("holiday", "workday", "retail")``; add
        ``"solar_term"``).
    interval : {"residual", "sampling"}
        Prophet quantiles from in-sample residuals (fast) or from ``uncertainty_samples``
        trajectories.
    uncertainty_samples : int
        Trajectories when ``interval="sampling"``.
    level_uncertainty : float
        With ``interval="residual"``: multiple of the history's year-over-year level spread added to
        the interval, growing as ``sqrt(h / season)`` (3.0 was calibrated on a 2010 backtest of the
        China clothing data: 75 % coverage of the 80 % interval).
    growth : {"auto", "linear", "flat"}
        Prophet's trend on the log scale. ``"auto"``: linear (with changepoints) when the series has
        two years of history, else flat, because with less than two years a trend cannot be told
        apart from the yearly seasonality and its extrapolation runs away.
    changepoint_prior_scale, seasonality_prior_scale : float
        Prophet priors.
    holidays_prior_scale : float
        Prior scale of the calendar effects on Prophet's scale (``log1p(units)`` divided by its
        maximum); 0.05 allows effects of about x1.6 per window day or week and keeps collinear
        window columns tame.
    yearly_order : int, optional
        Fourier order of Prophet's yearly seasonality (default 10; none below a year and a half).
    min_history : int, optional
        Observed periods below which a series uses the fallback (default 56 days / 8 weeks).
    max_zero_share : float
        Share of zero periods above which a series uses the fallback.
    solver : {"map", "stan"}
        How Prophet's MAP estimate is computed: ``"map"`` (default) solves Prophet's model in
        process (:mod:`forecasting.models.prophet_map`: the same model, priors and optimum, a few
        milliseconds per series instead of a cmdstan run); ``"stan"`` calls Prophet's own ``fit``
        (always used with ``interval="sampling"``).
    backend : {"local", "dask"}
        Where the series are fitted (:mod:`forecasting.models.parallel`): local processes, or a Dask
        cluster (``pip install "launchcast[dask]"``). Results are identical across backends.
    n_jobs : int
        Local processes: ``-1`` every core, ``1`` in this process (no pool).
    scheduler : str or distributed.Client, optional
        With ``backend="dask"``: the scheduler address (``"tcp://host:port"``) or a client;
        ``None`` uses the client already running in the session.
    progress : bool
        Show a progress bar (tqdm; only when standard error is a terminal).
    validation_horizon : int, optional
        Periods held out by ``"auto"`` (default: as many as the history allows, at most a year, at
        least a quarter; see :mod:`forecasting.models.series`).

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
    summary_ : DataFrame
        One row per series: key columns, ``model`` used and ``reason`` (why a fallback, or auto's
        scores).
    errors_ : DataFrame
        Series whose fit or forecast raised: key columns, ``stage``, ``error`` and the
        ``fallback`` used (``recent_level``); empty when none did. :meth:`predict` adds its own.

    Examples
    --------
    >>> DemandForecaster(model="ets").get_params()["model"]
    'ets'
    """

    def __init__(
        self,
        model: str = "prophet",
        quantiles: Sequence[float] = (0.1, 0.5, 0.9),
        market: str = "CN",
        calendar_kinds: Sequence[str] | None = None,
        interval: str = "residual",
        uncertainty_samples: int = 200,
        level_uncertainty: float = 3.0,
        growth: str = "auto",
        changepoint_prior_scale: float = 0.05,
        seasonality_prior_scale: float = 10.0,
        holidays_prior_scale: float = 0.05,
        yearly_order: int | None = None,
        min_history: int | None = None,
        max_zero_share: float = 0.8,
        validation_horizon: int | None = None,
        solver: str = "map",
        backend: str = "local",
        n_jobs: int | None = -1,
        scheduler: Any = None,
        progress: bool = True,
    ) -> None:
        self.model = model
        self.quantiles = quantiles
        self.market = market
        self.calendar_kinds = calendar_kinds
        self.interval = interval
        self.uncertainty_samples = uncertainty_samples
        self.level_uncertainty = level_uncertainty
        self.growth = growth
        self.changepoint_prior_scale = changepoint_prior_scale
        self.seasonality_prior_scale = seasonality_prior_scale
        self.holidays_prior_scale = holidays_prior_scale
        self.yearly_order = yearly_order
        self.min_history = min_history
        self.max_zero_share = max_zero_share
        self.validation_horizon = validation_horizon
        self.solver = solver
        self.backend = backend
        self.n_jobs = n_jobs
        self.scheduler = scheduler
        self.progress = progress

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters (scikit-learn convention).

        Examples
        --------
        >>> sorted(DemandForecaster().get_params())[:3]
        ['backend', 'calendar_kinds', 'changepoint_prior_scale']
        """
        names = [p for p in inspect.signature(type(self).__init__).parameters if p != "self"]
        return {name: getattr(self, name) for name in names}

    def set_params(self, **params: Any) -> DemandForecaster:
        """Set constructor parameters and return ``self``.

        Examples
        --------
        >>> DemandForecaster().set_params(model="ets").model
        'ets'
        """
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise DataValidationError(
                    f"DemandForecaster: unknown parameter {name!r}; valid: {sorted(valid)}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        default = type(self)().get_params()
        changed = {k: v for k, v in self.get_params().items() if v != default[k]}
        return f"DemandForecaster({', '.join(f'{k}={v!r}' for k, v in changed.items())})"

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
        if self.solver not in ("map", "stan"):
            raise DataValidationError(
                f"DemandForecaster: solver={self.solver!r}; choose 'map' or 'stan'"
            )
        options: dict[str, Any] = {
            "solver": self.solver,
            "interval": self.interval,
            "uncertainty_samples": self.uncertainty_samples,
            "level_uncertainty": self.level_uncertainty,
            "growth": self.growth,
            "changepoint_prior_scale": self.changepoint_prior_scale,
            "seasonality_prior_scale": self.seasonality_prior_scale,
            "holidays_prior_scale": self.holidays_prior_scale,
            "yearly_order": self.yearly_order,
            "max_zero_share": self.max_zero_share,
        }
        if self.min_history is not None:
            options["min_history"] = int(self.min_history)
        if self.validation_horizon is not None:
            options["validation_horizon"] = int(self.validation_horizon)
        return SeriesConfig(
            model=self.model,
            freq=freq,
            quantiles=validate_quantiles(self.quantiles),
            market=self.market,
            calendar=calendar,
            options=options,
        )

    def fit(
        self, sales: pd.DataFrame | str, by: str | Sequence[str] | None = None
    ) -> DemandForecaster:
        """Fit one model per series.

        Parameters
        ----------
        sales : DataFrame or path
            Sales in the canonical long format (read through :func:`forecasting.inputs.read_sales`).
        by : str, sequence of str or None
            Key columns of one series (``"store"``, ``["category", "region"]``); ``None``: all sales
            as one series. Units of the same key and period are summed.

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
        from forecasting.inputs.readers import read_sales, sales_frequency
        from forecasting.models.parallel import BACKENDS, errors_frame, fit_many

        if self.backend not in BACKENDS:
            raise DataValidationError(
                f"DemandForecaster: backend={self.backend!r}; choose 'local' or 'dask'"
            )
        sales = read_sales(sales)
        by_columns = normalize_by(sales, by)
        if len(sales) == 0:
            raise DataValidationError(
                f"{sales.attrs.get('source', 'sales')}: no rows. "
                "Fix: pass sales with at least one row."
            )
        freq = sales_frequency(sales)
        end = pd.Timestamp(sales["date"].max())
        panel = series_panel(sales, by_columns, freq, end)
        calendar = None
        if self.model in ("prophet", "auto"):
            kinds = DEFAULT_KINDS if self.calendar_kinds is None else tuple(self.calendar_kinds)
            span_end = end + pd.DateOffset(years=2)
            calendar = CalendarFeatures.build(
                sales["date"].min(), span_end, freq, self.market, kinds
            )
        config = self._config(freq, calendar)
        models, errors = fit_many(panel, config, **self._backend())
        rows = [
            {**dict(zip(by_columns, key, strict=True)), "model": m.model_name, "reason": m.reason}
            for key, m in models.items()
        ]
        self.by_ = by_columns
        self.freq_ = freq
        self.end_ = end
        self.config_ = config
        self.models_ = models
        self.summary_ = pd.DataFrame(rows, columns=[*by_columns, "model", "reason"])
        self.errors_ = errors_frame(errors, by_columns)
        return self

    def _backend(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "n_jobs": self.n_jobs,
            "scheduler": self.scheduler,
            "progress": self.progress,
        }

    def predict(self, horizon: int) -> pd.DataFrame:
        """Forecast ``horizon`` periods (days for daily, weeks for weekly data) after the history.

        Parameters
        ----------
        horizon : int
            Number of periods, at least 1.

        Returns
        -------
        DataFrame
            The key columns, ``date``, ``mean`` and one column per quantile (``p10, p50, p90``);
            never negative, quantiles never cross.

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
        from forecasting.models.parallel import errors_frame, predict_many

        parts, errors = predict_many(self.models_, horizon, self.config_, **self._backend())
        fit_errors = self.errors_[self.errors_["stage"] == "fit"]
        new = errors_frame(errors, self.by_)
        self.errors_ = pd.concat([fit_errors, new], ignore_index=True) if len(new) else fit_errors
        if not parts:
            return pd.DataFrame(columns=columns)
        out = pd.concat(parts, ignore_index=True)
        if self.by_:  # keys in the dtypes of the input, repeated over each series' horizon
            keys = self.summary_[self.by_].iloc[np.repeat(np.arange(len(parts)), horizon)]
            for name in self.by_:
                out[name] = keys[name].reset_index(drop=True)
        return out[columns]
