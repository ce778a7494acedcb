"""The ETS, ARIMA and Theta families of statsforecast, as per-series models of launchcast.

Each model searches its family for one series, as statsforecast's ``AutoETS``, ``AutoARIMA`` and
``AutoTheta`` do (information criteria over error, trend and season types; orders of a seasonal
ARIMA; the Theta variants), on the units themselves, like the field's peers. The seasonal period is
a week for daily data (7), a year for weekly (52) and monthly (12) data, and none when the history
is not longer than that and 4 periods. Quantiles come from the model's own normal intervals; the
``"auto"`` model of :class:`~forecasting.models.DemandForecaster` recalibrates them from its
backtest errors.

A search's result is kept as a :class:`FamilySpec` (ETS error, trend and season types; ARIMA
orders, mean and drift; the Theta variant): given one, :meth:`StatsForecastModel.fit` fits that
specification alone (statsforecast's ``AutoETS(model="MAA")``, ``ARIMA(order=...)``,
``AutoTheta(model="OTM")``), tens of times faster than the search, and the same model the search
finds when it chooses that specification. ``"auto"`` searches once per series, on its oldest
backtest window, and reuses the result (:mod:`forecasting.models.selection`).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2015-01-01", periods=60, freq="MS")
>>> y = pd.Series(100 + 20 * np.sin(np.arange(60) * 2 * np.pi / 12), index=idx)
>>> cfg = SeriesConfig(model="autoets", freq="MS")
>>> fc = StatsForecastModel("autoets").fit(y, cfg).predict(
...     pd.date_range("2020-01-01", periods=3, freq="MS"), cfg)
>>> bool(abs(fc["p50"].iloc[0] - 100) < 5 and (fc["p10"] < fc["p90"]).all())
True
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from forecasting.exceptions import MissingDependencyError
from forecasting.models.base import SeriesConfig, finalize_forecast

__all__ = ["FAMILIES", "FamilySpec", "StatsForecastModel", "family_season_length", "history_digest"]

#: launchcast's name of each family and the statsforecast class that searches it.
FAMILIES = {"autoets": "AutoETS", "autoarima": "AutoARIMA", "theta": "AutoTheta"}


def family_season_length(n: int, config: SeriesConfig) -> int:
    """The seasonal period a family model uses for ``n`` periods of history.

    A week for daily data, a year for weekly and monthly data, or 1 (no season) when the history
    holds no more than a season and 4 periods (the families themselves drop a season they cannot
    estimate).

    Parameters
    ----------
    n : int
        Length of the history.
    config : SeriesConfig
        Frequency.

    Returns
    -------
    int

    Examples
    --------
    >>> family_season_length(100, SeriesConfig(freq="D"))
    7
    >>> family_season_length(50, SeriesConfig(freq="W-SUN")), family_season_length(91, SeriesConfig(freq="W-SUN"))
    (1, 52)
    """  # noqa: E501
    m = 7 if config.freq == "D" else (52 if str(config.freq).startswith("W") else 12)
    return m if n > m + 4 else 1


def _statsforecast_class(name: str) -> Any:
    try:
        from statsforecast import models
    except ImportError as exc:  # pragma: no cover - a dependency of launchcast
        raise MissingDependencyError(
            f"model={name!r} needs statsforecast. Fix: pip install statsforecast"
        ) from exc
    return getattr(models, FAMILIES[name])


def history_digest(y: pd.Series | np.ndarray) -> str:
    """A fingerprint of a history's values (``NaN`` included), to tell whether two are the same.

    Examples
    --------
    >>> a = history_digest(np.array([1.0, np.nan, 3.0]))
    >>> a == history_digest(pd.Series([1.0, np.nan, 3.0])), a == history_digest(np.array([1.0]))
    (True, False)
    """
    values = np.ascontiguousarray(np.asarray(y, dtype=np.float64))
    return hashlib.blake2b(values.tobytes(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class FamilySpec:
    """The specification a family's search chose on one history, to fit again without searching.

    Attributes
    ----------
    family : {"autoets", "autoarima", "theta"}
        The family.
    season_length : int
        The seasonal period it was searched with (:func:`family_season_length`).
    form : tuple
        ``autoets``: ``(error, trend, season, damped)``, e.g. ``("M", "A", "A", False)``;
        ``autoarima``: ``(p, d, q, P, D, Q, mean, drift)``; ``theta``: ``(variant,)``, one of
        ``"STM"``, ``"OTM"``, ``"DSTM"``, ``"DOTM"``.
    train_length : int
        Length of the history it was searched on.
    digest : str
        :func:`history_digest` of that history.

    Examples
    --------
    >>> spec = FamilySpec("autoarima", 12, (1, 0, 1, 0, 1, 1, False, True), 96, "")
    >>> spec.describe()
    'ARIMA(1,0,1)(0,1,1)[12] with drift'
    >>> FamilySpec("autoets", 12, ("M", "A", "M", True), 96, "").describe()
    'ETS(M,Ad,M)'
    """

    family: str
    season_length: int
    form: tuple[Any, ...]
    train_length: int
    digest: str

    def describe(self) -> str:
        """The specification in the usual notation: ``ETS(M,Ad,A)``, ``ARIMA(1,1,0)(0,1,1)[12]``,
        ``Theta OTM``."""
        if self.family == "autoets":
            error, trend, season, damped = self.form
            return f"ETS({error},{trend}{'d' if damped else ''},{season})"
        if self.family == "autoarima":
            p, d, q, big_p, big_d, big_q, mean, drift = self.form
            text = f"ARIMA({p},{d},{q})"
            if big_p or big_d or big_q:
                text += f"({big_p},{big_d},{big_q})[{self.season_length}]"
            return text + (" with drift" if drift else " with mean" if mean else "")
        return f"Theta {self.form[0]}"

    def searched_on(self, y: pd.Series) -> bool:
        """Whether ``y`` is the very history this specification was searched on.

        Examples
        --------
        >>> y = pd.Series([1.0, 2.0, 3.0])
        >>> spec = FamilySpec("theta", 1, ("OTM",), 3, history_digest(y))
        >>> spec.searched_on(y), spec.searched_on(y * 2)
        (True, False)
        """
        return len(y) == self.train_length and history_digest(y) == self.digest


def _spec_of(name: str, fitted: Any, m: int, y: pd.Series) -> FamilySpec:
    """The specification statsforecast's search chose (its fitted ``model_``)."""
    model = fitted.model_
    form: tuple[Any, ...]
    if name == "autoets":
        components = str(model["components"])  # "MAAN": error, trend, season, damped or not
        form = (components[0], components[1], components[2], components[3] == "D")
    elif name == "autoarima":
        p, q, big_p, big_q, _, d, big_d = (int(v) for v in model["arma"])
        coef = model["coef"]
        form = (p, d, q, big_p, big_d, big_q, "intercept" in coef, "drift" in coef)
    else:
        form = (str(model["modeltype"]),)
    return FamilySpec(name, m, form, len(y), history_digest(y))


def _fixed_model(spec: FamilySpec) -> Any:
    """The statsforecast model that fits ``spec`` alone (no search)."""
    from statsforecast import models

    m = spec.season_length
    if spec.family == "autoets":
        error, trend, season, damped = spec.form
        return models.AutoETS(season_length=m, model=f"{error}{trend}{season}", damped=damped)
    if spec.family == "autoarima":
        p, d, q, big_p, big_d, big_q, mean, drift = spec.form
        return models.ARIMA(
            order=(p, d, q),
            season_length=m,
            seasonal_order=(big_p, big_d, big_q),
            include_mean=mean,
            include_drift=drift,
        )
    return models.AutoTheta(season_length=m, model=spec.form[0])


def _level(q: float) -> int | float:
    """The central interval level (percent) whose bound is quantile ``q`` (``0.1 -> 80``)."""
    level = round(abs(2 * q - 1) * 100, 6)
    return int(level) if float(level).is_integer() else level


class StatsForecastModel:
    """One of the statsforecast families (``"autoets"``, ``"autoarima"``, ``"theta"``).

    Parameters
    ----------
    name : {"autoets", "autoarima", "theta"}
        The family.

    Attributes
    ----------
    spec_ : FamilySpec
        After :meth:`fit`: the specification fitted (found by the search, or the one given).
    reused_ : bool
        After :meth:`fit`: whether the given specification was fitted instead of searching.

    Examples
    --------
    >>> idx = pd.date_range("2015-01-01", periods=72, freq="MS")
    >>> y = pd.Series(100 + 20 * np.sin(np.arange(72) * 2 * np.pi / 12) + np.arange(72), index=idx)
    >>> cfg = SeriesConfig(freq="MS")
    >>> searched = StatsForecastModel("autoarima").fit(y.iloc[:60], cfg)
    >>> refit = StatsForecastModel("autoarima").fit(y, cfg, spec=searched.spec_)
    >>> refit.reused_, refit.spec_ == searched.spec_, type(refit.model_).__name__
    (True, True, 'ARIMA')
    """

    def __init__(self, name: str = "autoets") -> None:
        if name not in FAMILIES:
            raise ValueError(f"unknown family {name!r}; choose one of {list(FAMILIES)}")
        self.name = name

    def fit(
        self, y: pd.Series, config: SeriesConfig, *, spec: FamilySpec | None = None
    ) -> StatsForecastModel:
        """Search the family on the units of one series, or fit a specification found before.

        Parameters
        ----------
        y : Series
            Units on a regular ``DatetimeIndex`` (``NaN`` for censored periods, interpolated).
        config : SeriesConfig
            Frequency.
        spec : FamilySpec, optional
            A specification of this family found by a search (``spec_`` of a fitted model): it is
            fitted alone when its seasonal period is the one for ``y``. Otherwise, or when it
            cannot be fitted to ``y`` (a multiplicative ETS on a history with zeros, say), the
            family is searched.

        Returns
        -------
        StatsForecastModel
        """
        values = y.astype(float).interpolate(limit_direction="both").fillna(0.0).to_numpy()
        values = np.clip(values, 0.0, None)
        if len(values) < 4:
            raise ValueError(f"{self.name} needs at least 4 periods, got {len(values)}")
        m = family_season_length(len(values), config)
        self.season_length_ = m
        self.reused_ = False
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if spec is not None and spec.family == self.name and spec.season_length == m:
                try:
                    self.model_ = _fixed_model(spec).fit(values)
                    self.reused_ = True
                # statsforecast raises bare Exceptions too; the search decides what then fails
                except Exception:
                    self.reused_ = False
            if self.reused_ and spec is not None:
                self.spec_ = spec
            else:
                self.model_ = _statsforecast_class(self.name)(season_length=m).fit(values)
                self.spec_ = _spec_of(self.name, self.model_, m, y)
        self.max_ = float(values.max())
        return self

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` with the family's normal quantiles.

        Parameters
        ----------
        dates : DatetimeIndex
            Consecutive periods right after the history.
        config : SeriesConfig
            Quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        levels = sorted({_level(q) for q in config.quantiles if q != 0.5})
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            raw = self.model_.predict(h=len(dates), level=levels or None)
        mean = np.asarray(raw["mean"], dtype=float)
        cap = 3.0 * self.max_  # never more than 3x the largest period seen
        mean = np.minimum(mean, cap)
        columns = []
        for q in config.quantiles:
            if q == 0.5:
                columns.append(mean)
                continue
            key = f"{'lo' if q < 0.5 else 'hi'}-{_level(q)}"
            columns.append(np.minimum(np.asarray(raw[key], dtype=float), cap))
        return finalize_forecast(dates, mean, np.column_stack(columns), config.quantiles)
