"""The ``"auto"`` model: candidates and their means, chosen by rolling-origin backtest.

For each series, each candidate model (:func:`auto_candidates`: seasonal naive, the damped ETS
on logs, the calendar-aware Prophet and the ETS, ARIMA and Theta families of statsforecast, by
frequency) is fitted on the history up to each of ``backtest_windows`` cutoffs and forecasts the
``validation`` periods after it (:func:`backtest_candidates`). The single models and the means of
the best two and three are scored by WAPE: pooled over all series (``selection="global"``, the
default: one choice for the whole panel, since a few windows of one series are a noisy judge) or on
each series alone (``selection="series"``); the lowest wins (:func:`choose`), and the forecaster
refits it on the whole history of each series. The choice is made twice (:data:`HORIZON_SHARES`):
over the first quarter of the windows, for forecasts up to that length, and over the whole windows,
for longer ones (:class:`HorizonModels`). The errors of the winner on the backtest windows
(log scale, per horizon step) are pooled over the series into calibrated (conformal) quantiles
(:mod:`forecasting.models.conformal`).

The windows end ``validation``, ``validation + step``, ... periods before the end of the history
(``step`` half the validation span); the validation span is a year (364 days, 52 weeks; 24 months
for monthly data), shortened to what the history allows while leaving a year and a quarter to fit
on (what the seasonal models need), and at least a quarter (91 days, 13 weeks, 3 months). A window
that leaves less than that to fit on is dropped.

A history too short for that (less than a year and a half of days or weeks, say a new shop or a
short export) gets a short-history backtest instead (:func:`short_backtest_windows`): a validation
span of a quarter, shortened to what the history allows while leaving a quarter to fit on, and at
least four weeks (28 days, 4 weeks). Its model is Prophet (:data:`SHORT_CANDIDATES`; Prophet drops
the yearly season it cannot fit), as for a series with no backtest at all, but its intervals are
calibrated on these windows like any other (the record and the choice say ``short``, the
reason "short-history backtest"); a ``candidates`` option makes it choose among models that need no
year of history (the ETS on logs and the families fit the weekly season of daily data and no
season on weekly data). The calibrated quantiles of a step beyond the
validation span are those of its last step (they never narrow): a 90-day forecast calibrated on a
45-day validation span uses the 45th day's quantiles for days 46 to 90. Monthly data has no
short-history backtest. A series with no window left uses the ``fallback`` model.

The ETS, ARIMA and Theta families of statsforecast search their specification (error, trend and
season types; ARIMA orders; the Theta variant) once per series, on the oldest window's history: the
later windows and the refit on the whole history fit that specification without searching
(:func:`reusable_specs`), and no window sees a specification chosen with data from its own
validation span. One search instead of one per window and one more for the refit: the search is
most of these families' time (AutoARIMA on a monthly series: 6.7 of 8.7 CPU seconds). The record
keeps the specifications (:attr:`BacktestRecord.specs`).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models.base import SeriesConfig
>>> idx = pd.date_range("2010-01-01", periods=96, freq="MS")
>>> y = pd.Series(100 + 30 * np.sin(np.arange(96) * 2 * np.pi / 12) + 2 * np.arange(96), index=idx)
>>> cfg = SeriesConfig(model="auto", freq="MS",
...                    options={"candidates": ("seasonal_naive", "theta")})
>>> record = backtest_candidates(y, cfg, on_error="raise")
>>> record.windows, record.validation, sorted(record.forecasts)
(2, 24, ['seasonal_naive', 'theta'])
>>> choice = choose({"A": record})["A"]
>>> choice.members, choice.errors.shape  # seasonal naive misses the trend
(('theta',), (2, 24))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from forecasting.inputs.frequency import frequency_kind, quarter_periods
from forecasting.models.base import SeriesConfig, finalize_forecast, quantile_columns
from forecasting.models.families import FAMILIES, FamilySpec

__all__ = [
    "AUTO_CANDIDATES",
    "FALLBACK",
    "HORIZON_SHARES",
    "SELECTIONS",
    "SHORT_CANDIDATES",
    "SHORT_MIN_VALIDATION",
    "SPECS_ATTR",
    "YEARLY_CANDIDATES",
    "BacktestRecord",
    "Choice",
    "HorizonModels",
    "MeanForecast",
    "auto_candidates",
    "backtest_candidates",
    "backtest_windows",
    "choose",
    "choose_by_horizon",
    "combination_name",
    "describe_choices",
    "reusable_specs",
    "short_backtest_windows",
    "short_history",
    "with_specs",
]

#: The candidates of ``"auto"`` by frequency. Left out of daily data: ARIMA (its seasonal search on
#: years of days takes a minute per series) and the damped ETS on logs (with a yearly season it
#: estimates 364 seasonal states from two or three years of days, and its forecasts swing from one
#: year to the next). Left out of weekly data: statsforecast's ETS, which ignores seasons longer
#: than 24 periods (so it has no yearly season on weeks), and ARIMA, whose search over a 52-week
#: season costs ten times the rest together (on 300 Walmart series: 128 s of the peers' 181 s)
#: without beating seasonal naive there.
AUTO_CANDIDATES: dict[str, tuple[str, ...]] = {
    "daily": ("seasonal_naive", "seasonal_growth", "prophet", "autoets", "theta"),
    "weekly": ("seasonal_naive", "seasonal_growth", "ets", "prophet", "theta"),
    "monthly": (
        "seasonal_naive",
        "seasonal_growth",
        "ets",
        "prophet",
        "autoets",
        "autoarima",
        "theta",
    ),
}

#: The candidates of the short-history backtest (:func:`short_backtest_windows`), by frequency:
#: Prophet alone, the fallback of a series too short for the seasonal backtest, with intervals
#: calibrated on the short windows. A backtest shorter than a year cannot see the seasons and
#: holidays ahead, so it is not asked to choose: on 100 Walmart series cut to 60 weeks, a choice
#: among the ETS on logs, Prophet, AutoETS and Theta took ``mean(autoets, prophet)`` from a calm
#: autumn and scored a WAPE of 0.150 over the holiday weeks, against 0.136 for Prophet, which knows
#: the holidays from the calendar. A ``candidates`` option still sets the models to choose from
#: (less those that need a year, :data:`YEARLY_CANDIDATES`).
SHORT_CANDIDATES: dict[str, tuple[str, ...]] = {"daily": ("prophet",), "weekly": ("prophet",)}

#: The candidates that need a year of history (or a year and a quarter): left out of the
#: ``candidates`` option for a short-history backtest.
YEARLY_CANDIDATES = ("seasonal_naive", "seasonal_growth")

#: The shortest validation span of the short-history backtest: four weeks (28 days or 4 weeks).
SHORT_MIN_VALIDATION = {"daily": 28, "weekly": 4}

#: Model used when a series is too short to backtest.
FALLBACK = "prophet"

#: The key of ``Series.attrs`` under which :func:`with_specs` hands a series' family
#: specifications (:attr:`BacktestRecord.specs`) to its refit, through
#: :func:`~forecasting.models.parallel.fit_many`.
SPECS_ATTR = "launchcast_family_specs"

#: How ``"auto"`` chooses: one choice for all series, or one per series.
SELECTIONS = ("global", "series")

#: The horizons ``"auto"`` chooses for, as shares of the validation span: a forecast of up to a
#: quarter of it (91 of 364 days, 13 of 52 weeks, 6 of 24 months) gets the models that were best
#: over the first quarter of the backtest windows, a longer one the models best over the whole
#: windows (the models that follow the last weeks closely are seldom those that hold a year).
HORIZON_SHARES = (0.25, 1.0)


def auto_candidates(config: SeriesConfig, *, short: bool = False) -> tuple[str, ...]:
    """The candidate models of ``"auto"``: the ``candidates`` option, else by frequency.

    Parameters
    ----------
    config : SeriesConfig
        Frequency and the option ``candidates``.
    short : bool
        For a short-history backtest (:func:`short_history`): :data:`SHORT_CANDIDATES`, or the
        ``candidates`` option without those that need a year (:data:`YEARLY_CANDIDATES`; empty
        when nothing else is left).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> auto_candidates(SeriesConfig(freq="D"))
    ('seasonal_naive', 'seasonal_growth', 'prophet', 'autoets', 'theta')
    >>> auto_candidates(SeriesConfig(freq="D"), short=True)
    ('prophet',)
    >>> given = SeriesConfig(freq="W-SUN", options={"candidates": ["seasonal_naive", "theta"]})
    >>> auto_candidates(given), auto_candidates(given, short=True)
    (('seasonal_naive', 'theta'), ('theta',))
    """
    given = config.option("candidates")
    if short:
        if given:
            return tuple(name for name in given if name not in YEARLY_CANDIDATES)
        return SHORT_CANDIDATES.get(frequency_kind(config.freq), ())
    return tuple(given) if given else AUTO_CANDIDATES[frequency_kind(config.freq)]


def combination_name(members: Sequence[str]) -> str:
    """The name of a model or of the mean of several: ``"prophet"``, ``"mean(ets, prophet)"``.

    Examples
    --------
    >>> combination_name(["prophet"]), combination_name(["prophet", "ets"])
    ('prophet', 'mean(prophet, ets)')
    """
    return members[0] if len(members) == 1 else f"mean({', '.join(members)})"


def backtest_windows(n: int, config: SeriesConfig) -> tuple[int, list[int]]:
    """The validation span and the training lengths of the backtest windows for ``n`` periods.

    The seasonal windows (a year and a quarter to fit on); when the history is too short for
    them and no ``validation_horizon`` is given, the short-history windows of daily or weekly
    data (:func:`short_backtest_windows`).

    Parameters
    ----------
    n : int
        Length of the history.
    config : SeriesConfig
        Frequency and the options ``validation_horizon`` and ``backtest_windows``.

    Returns
    -------
    validation : int
        Periods forecast from each cutoff.
    train_lengths : list of int
        Periods before each cutoff, latest first; empty when the history is too short.

    Examples
    --------
    >>> backtest_windows(1096, SeriesConfig(freq="D"))
    (364, [732, 550])
    >>> backtest_windows(91, SeriesConfig(freq="W-FRI"))
    (26, [65])
    >>> backtest_windows(30, SeriesConfig(freq="MS")), backtest_windows(17, SeriesConfig(freq="MS"))
    ((15, [15]), (0, []))

    A shorter history of days or weeks gets the short-history windows, a still shorter one none:

    >>> backtest_windows(284, SeriesConfig(freq="D")), backtest_windows(40, SeriesConfig(freq="W-SUN"))
    ((91, [193, 148]), (13, [27, 21]))
    >>> backtest_windows(16, SeriesConfig(freq="W-SUN"))
    (0, [])
    """  # noqa: E501
    validation, lengths = _seasonal_windows(n, config)
    if lengths or config.option("validation_horizon"):
        return validation, lengths
    return short_backtest_windows(n, config)


def _windows(n: int, validation: int, min_train: int, config: SeriesConfig) -> list[int]:
    """Training lengths of the windows ``validation``, ``validation + step``, ... before the end."""
    step = max(1, validation // 2)
    count = int(config.option("backtest_windows", 2) or 1)
    lengths = [n - validation - k * step for k in range(count)]
    lengths = [length for length in lengths if length >= min(min_train, n - validation)]
    return [length for length in lengths if length > 0]


def _seasonal_windows(n: int, config: SeriesConfig) -> tuple[int, list[int]]:
    """The windows that leave a year and a quarter to fit on (see :func:`backtest_windows`)."""
    m = config.season_length
    quarter = quarter_periods(config.freq)
    longest = {"daily": 364, "weekly": 52, "monthly": 24}[frequency_kind(config.freq)]
    min_train = m + quarter  # a year and a quarter: what the seasonal models need
    given = config.option("validation_horizon")
    validation = int(given) if given else min(longest, n - min_train)
    if validation < (1 if given else quarter):
        return 0, []
    return validation, _windows(n, validation, min_train, config)


def short_backtest_windows(n: int, config: SeriesConfig) -> tuple[int, list[int]]:
    """The windows of the short-history backtest of daily or weekly data.

    The validation span is a quarter (91 days, 13 weeks), shortened to what the history allows
    while leaving a quarter to fit on (enough for the weekly season of daily data, or for a level
    and a trend), and at least :data:`SHORT_MIN_VALIDATION` (four weeks). The windows are spaced as
    the seasonal ones (half a validation span apart, ``backtest_windows`` of them); one that leaves
    less than a quarter to fit on is dropped.

    Parameters
    ----------
    n : int
        Length of the history.
    config : SeriesConfig
        Frequency and the option ``backtest_windows``.

    Returns
    -------
    validation : int
        Periods forecast from each cutoff (0 when there is no window).
    train_lengths : list of int
        Periods before each cutoff, latest first; empty when the history is too short, and for
        monthly data.

    Examples
    --------
    >>> short_backtest_windows(284, SeriesConfig(freq="D"))
    (91, [193, 148])
    >>> short_backtest_windows(150, SeriesConfig(freq="D"))  # the second window leaves < 91 days
    (59, [91])
    >>> short_backtest_windows(118, SeriesConfig(freq="D")), short_backtest_windows(30, SeriesConfig(freq="MS"))
    ((0, []), (0, []))
    """  # noqa: E501
    kind = frequency_kind(config.freq)
    if kind not in SHORT_MIN_VALIDATION:
        return 0, []
    quarter = quarter_periods(config.freq)
    validation = min(quarter, n - quarter)
    if validation < SHORT_MIN_VALIDATION[kind]:
        return 0, []
    return validation, _windows(n, validation, quarter, config)


def short_history(n: int, config: SeriesConfig) -> bool:
    """Whether ``n`` periods get the short-history backtest (:func:`short_backtest_windows`).

    True for daily or weekly data whose backtest windows (:func:`backtest_windows`) leave less
    than a year and a quarter to fit on: no seasonal window, or a ``validation_horizon`` that
    leaves less. Its candidates are those that need no year (``auto_candidates(short=True)``).

    Examples
    --------
    >>> short_history(284, SeriesConfig(freq="D")), short_history(1096, SeriesConfig(freq="D"))
    (True, False)
    >>> short_history(100, SeriesConfig(freq="D")), short_history(60, SeriesConfig(freq="W-SUN"))
    (False, True)
    """
    if frequency_kind(config.freq) not in SHORT_MIN_VALIDATION:
        return False
    _, lengths = backtest_windows(n, config)
    return bool(lengths) and lengths[0] < config.season_length + quarter_periods(config.freq)


@dataclass
class BacktestRecord:
    """The backtest forecasts of every candidate on one series.

    Attributes
    ----------
    validation : int
        Periods forecast from each cutoff.
    actual : ndarray, shape (windows, validation)
        The units after each cutoff (``NaN`` where censored).
    forecasts : dict
        ``{candidate: ndarray (windows, validation)}`` of point forecasts.
    failed : list of str
        Candidates that failed numerically in a window and forecast with their fallback there.
    specs : dict
        ``{family: FamilySpec}``: the specification each family candidate's search found on the
        oldest window (the later windows fitted it without searching).
    short : bool
        Whether it is a short-history backtest (:func:`short_history`).
    """

    validation: int
    actual: np.ndarray
    forecasts: dict[str, np.ndarray]
    failed: list[str] = field(default_factory=list)
    specs: dict[str, FamilySpec] = field(default_factory=dict)
    short: bool = False

    @property
    def windows(self) -> int:
        """Number of backtest windows."""
        return int(self.actual.shape[0])

    def first(self, steps: int) -> BacktestRecord:
        """The record of the first ``steps`` periods after each cutoff."""
        return BacktestRecord(
            min(steps, self.validation),
            self.actual[:, :steps],
            {name: fc[:, :steps] for name, fc in self.forecasts.items()},
            self.failed,
            self.specs,
            self.short,
        )

    def errors(self, members: Sequence[str]) -> np.ndarray:
        """``log1p(actual) - log1p(forecast)`` of the mean of ``members``, per window and step."""
        chosen = np.mean([self.forecasts[name] for name in members], axis=0)
        with np.errstate(invalid="ignore"):
            return np.log1p(np.clip(self.actual, 0.0, None)) - np.log1p(np.clip(chosen, 0.0, None))


@dataclass
class Choice:
    """What the backtest chose for one series.

    Attributes
    ----------
    members : tuple of str
        The model, or the models whose mean forecasts.
    scores : dict
        Backtest WAPE of every candidate and combination tried, on the series it was chosen on
        (``inf`` when there were no sales to score).
    scope : str
        What was scored: ``"this series"`` or ``"all 25 series"``.
    own : dict
        With a choice over all series: this series' own backtest WAPE of each candidate.
    failed : list of str
        Candidates that failed numerically in a window (type and message).
    windows : int
        Number of backtest windows.
    validation : int
        Periods forecast from each cutoff.
    errors : ndarray, shape (windows, validation)
        ``log1p(actual) - log1p(forecast)`` of the chosen model per window and horizon step
        (``NaN`` where the actual was censored).
    short : bool
        Whether it was chosen by a short-history backtest (:func:`short_history`).
    """

    members: tuple[str, ...]
    scores: dict[str, float]
    scope: str
    own: dict[str, float]
    failed: list[str]
    windows: int
    validation: int
    errors: np.ndarray = field(repr=False)
    short: bool = False

    def describe(self) -> str:
        """One line: the windows, every score, the choice.

        Examples
        --------
        >>> Choice(("ets",), {"ets": 0.1, "theta": 0.2}, "this series", {}, [], 2, 52,
        ...        np.zeros((2, 52))).describe()
        'auto: backtest WAPE on this series, 2 windows of 52 periods: ets 0.100, theta 0.200; chose ets'
        >>> Choice(("ets",), {"ets": 0.1}, "this series", {}, [], 1, 28, np.zeros((1, 28)),
        ...        short=True).describe()
        'auto: short-history backtest WAPE on this series, 1 window of 28 periods: ets 0.100; chose ets'
        """  # noqa: E501
        scores = ", ".join(f"{name} {score:.3f}" for name, score in self.scores.items())
        own = (
            "; this series: " + ", ".join(f"{n} {v:.3f}" for n, v in self.own.items())
            if self.own
            else ""
        )
        failed = f"; failed: {', '.join(self.failed)}" if self.failed else ""
        kind = "short-history backtest" if self.short else "backtest"
        return (
            f"auto: {kind} WAPE on {self.scope}, {self.windows} "
            f"window{'s' * (self.windows > 1)} of {self.validation} periods: {scores}; "
            f"chose {combination_name(self.members)}{own}{failed}"
        )


def _sums(record: BacktestRecord, forecast: np.ndarray) -> tuple[float, float]:
    seen = ~np.isnan(record.actual)
    actual = record.actual[seen]
    return float(np.abs(actual - forecast[seen]).sum()), float(np.abs(actual).sum())


def _ratio(error: float, total: float) -> float:
    return error / total if total > 0 else float("inf")


def _rank(records: Sequence[BacktestRecord]) -> tuple[tuple[str, ...], dict[str, float]]:
    """Score the candidates and the means of the best two and three over ``records`` (pooled)."""
    names = list(records[0].forecasts)

    def pooled(members: Sequence[str]) -> float:
        error = total = 0.0
        for record in records:
            mean = np.mean([record.forecasts[name] for name in members], axis=0)
            e, t = _sums(record, mean)
            error, total = error + e, total + t
        return _ratio(error, total)

    scores = {name: pooled([name]) for name in names}
    ranked = sorted(names, key=lambda name: scores[name])
    best: tuple[str, ...] = (ranked[0],)
    for size in (2, 3):
        if len(ranked) < size:
            break
        members = tuple(ranked[:size])
        scores[combination_name(members)] = pooled(members)
        if scores[combination_name(members)] < scores[combination_name(best)]:
            best = members
    return best, scores


def backtest_candidates(
    y: pd.Series,
    config: SeriesConfig,
    *,
    on_error: str,
    fit_one: Callable[..., Any] | None = None,
) -> BacktestRecord | None:
    """Forecast the backtest windows of one series with every candidate of ``"auto"``.

    A family candidate (``autoets``, ``autoarima``, ``theta``) searches its specification on the
    oldest window and fits it on the later ones; the record keeps it in ``specs``, for the refit. A
    history too short for the seasonal windows gets the short-history backtest
    (:func:`short_history`: its windows and candidates, ``short`` set in the record).

    Parameters
    ----------
    y : Series
        Units on a regular ``DatetimeIndex`` (``NaN`` for censored periods).
    config : SeriesConfig
        Frequency, quantiles and options (``candidates``, ``backtest_windows``,
        ``validation_horizon``).
    on_error : {"fallback", "raise"}
        A candidate that fails numerically in a window: forecast with its ``recent_level`` fallback
        there (and say so), or raise.
    fit_one : callable, optional
        ``fit_one(name, y, config, on_error, spec=None) -> FittedSeries`` (default:
        :func:`forecasting.models.series.fit_one`).

    Returns
    -------
    BacktestRecord or None
        ``None`` when the series is too short for a backtest window (or no candidate is left for
        a short-history backtest).

    Examples
    --------
    >>> idx = pd.date_range("2010-01-01", periods=96, freq="MS")
    >>> y = pd.Series(100 + 30 * np.sin(np.arange(96) * 2 * np.pi / 12), index=idx)
    >>> cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("autoets",)})
    >>> spec = backtest_candidates(y, cfg, on_error="raise").specs["autoets"]
    >>> spec.train_length, spec.describe()  # searched on the oldest window: 96 - 24 - 12 months
    (60, 'ETS(A,N,A)')

    Less than a year and a half of days: the short-history backtest.

    >>> days = pd.date_range("2024-01-01", periods=200, freq="D")
    >>> y = pd.Series(10.0 + 5 * (days.day_of_week >= 5), index=days)
    >>> record = backtest_candidates(y, SeriesConfig(model="auto", freq="D"), on_error="raise")
    >>> record.short, record.validation, record.windows, sorted(record.forecasts)
    (True, 91, 1, ['prophet'])
    """
    if fit_one is None:
        from forecasting.models.series import fit_one as default_fit_one

        fit_one = default_fit_one
    validation, lengths = backtest_windows(len(y), config)
    short = short_history(len(y), config)
    candidates = auto_candidates(config, short=short)
    if not lengths or not candidates:
        return None
    point = "p50" if 0.5 in config.quantiles else "mean"
    values = y.to_numpy(dtype=float)
    actual = np.stack([values[n : n + validation] for n in lengths])
    forecasts: dict[str, np.ndarray] = {}
    failed: list[str] = []
    specs: dict[str, FamilySpec] = {}
    for name in candidates:
        rows = []
        for n in reversed(lengths):  # the oldest first: it searches, the later windows reuse
            fitted: Any = fit_one(name, y.iloc[:n], config, on_error, spec=specs.get(name))
            if fitted.error:
                failed.append(f"{name} ({fitted.error})")
            elif name in FAMILIES and name not in specs:
                specs[name] = fitted.model.spec_
            rows.append(fitted.predict(validation, config)[point].to_numpy())
        forecasts[name] = np.stack(rows[::-1])
    return BacktestRecord(validation, actual, forecasts, sorted(set(failed)), specs, short)


def with_specs(y: pd.Series, specs: Mapping[str, FamilySpec]) -> pd.Series:
    """``y`` (a shallow copy) carrying the family specifications its refit may reuse.

    Parameters
    ----------
    y : Series
        The whole history of a series.
    specs : mapping
        ``{family: FamilySpec}`` from the series' backtest (:attr:`BacktestRecord.specs`).

    Returns
    -------
    Series
        The same values and index; ``attrs[SPECS_ATTR]`` holds ``specs`` (``y`` is left as it was).

    Examples
    --------
    >>> y = pd.Series([1.0, 2.0])
    >>> with_specs(y, {}).attrs[SPECS_ATTR], SPECS_ATTR in y.attrs
    ({}, False)
    """
    out = y.copy(deep=False)
    out.attrs = {**y.attrs, SPECS_ATTR: dict(specs)}
    return out


def reusable_specs(
    y: pd.Series, config: SeriesConfig, specs: Mapping[str, FamilySpec] | None = None
) -> dict[str, FamilySpec]:
    """The family specifications that the refit of ``y`` may fit instead of searching.

    Those searched on the oldest backtest window of this very ``y`` (the same length and values),
    as the later windows used them. Others (from another series, another configuration or changed
    data) are left out, and the family searches again.

    Parameters
    ----------
    y : Series
        The whole history.
    config : SeriesConfig
        Frequency and backtest options.
    specs : mapping, optional
        ``{family: FamilySpec}`` (:attr:`BacktestRecord.specs`); default: ``y.attrs[SPECS_ATTR]``,
        where :func:`with_specs` puts them.

    Returns
    -------
    dict
        ``{family: FamilySpec}``.

    Examples
    --------
    >>> idx = pd.date_range("2010-01-01", periods=96, freq="MS")
    >>> y = pd.Series(100 + 30 * np.sin(np.arange(96) * 2 * np.pi / 12), index=idx)
    >>> cfg = SeriesConfig(model="auto", freq="MS", options={"candidates": ("theta",)})
    >>> specs = backtest_candidates(y, cfg, on_error="raise").specs
    >>> list(reusable_specs(y, cfg, specs)), reusable_specs(y * 2, cfg, specs)
    (['theta'], {})
    """
    if specs is None:
        specs = y.attrs.get(SPECS_ATTR) or {}
    if not specs:
        return {}
    _, lengths = backtest_windows(len(y), config)
    if not lengths:
        return {}
    latest = y.iloc[: lengths[-1]]
    return {
        name: spec
        for name, spec in specs.items()
        if isinstance(spec, FamilySpec) and spec.family == name and spec.searched_on(latest)
    }


def choose(records: Mapping[Any, BacktestRecord], selection: str = "global") -> dict[Any, Choice]:
    """Choose a model or a mean of models for each backtested series.

    Parameters
    ----------
    records : mapping
        ``{series key: BacktestRecord}``.
    selection : {"global", "series"}
        ``"global"``: one choice for all series, by the WAPE of the candidates pooled over every
        series' windows (robust: a few windows of one series are noisy); ``"series"``: each series
        by its own windows. Series backtested with other candidates (a short-history backtest
        among seasonal ones) are chosen for apart, over those backtested alike.

    Returns
    -------
    dict
        ``{series key: Choice}``.

    Examples
    --------
    >>> import numpy as np
    >>> a = BacktestRecord(2, np.array([[10.0, 10.0]]), {"x": np.array([[9.0, 11.0]]),
    ...                                                  "y": np.array([[10.0, 15.0]])})
    >>> b = BacktestRecord(2, np.array([[1.0, 1.0]]), {"x": np.array([[2.0, 2.0]]),
    ...                                                "y": np.array([[1.0, 1.0]])})
    >>> choose({"a": a, "b": b})["b"].members, choose({"a": a, "b": b}, "series")["b"].members
    (('x',), ('y',))
    >>> c = BacktestRecord(2, np.array([[5.0, 5.0]]), {"z": np.array([[5.0, 6.0]])}, short=True)
    >>> chosen = choose({"a": a, "b": b, "c": c})
    >>> chosen["a"].members, chosen["c"].members, chosen["c"].scope
    (('x',), ('z',), '1 of 3 series (those backtested alike)')
    """
    if selection not in SELECTIONS:
        raise ValueError(f"selection={selection!r}; choose one of {list(SELECTIONS)}")
    choices: dict[Any, Choice] = {}
    if not records:
        return choices
    if selection == "global":
        groups: dict[tuple[bool, tuple[str, ...]], list[Any]] = {}
        for key, record in records.items():
            groups.setdefault((record.short, tuple(record.forecasts)), []).append(key)
        for keys in groups.values():
            members, scores = _rank([records[key] for key in keys])
            scope = (
                f"all {len(keys)} series"
                if len(groups) == 1
                else f"{len(keys)} of {len(records)} series (those backtested alike)"
            )
            for key in keys:
                record = records[key]
                own = {name: _ratio(*_sums(record, fc)) for name, fc in record.forecasts.items()}
                choices[key] = Choice(
                    members, scores, scope, own, record.failed, record.windows,
                    record.validation, record.errors(members), record.short,
                )  # fmt: skip
        return {key: choices[key] for key in records}
    for key, record in records.items():
        members, scores = _rank([record])
        choices[key] = Choice(
            members, scores, "this series", {}, record.failed, record.windows,
            record.validation, record.errors(members), record.short,
        )  # fmt: skip
    return choices


def choose_by_horizon(
    records: Mapping[Any, BacktestRecord], selection: str = "global"
) -> dict[Any, list[Choice]]:
    """Choose for each length of :data:`HORIZON_SHARES`: one :class:`Choice` per share and series.

    The shorter choice scores only the first steps of each window (a quarter of the validation
    span, at least one period).

    Parameters
    ----------
    records : mapping
        ``{series key: BacktestRecord}``.
    selection : {"global", "series"}
        See :func:`choose`.

    Returns
    -------
    dict
        ``{series key: [Choice, ...]}``, shortest first; ``choice.validation`` is the longest
        forecast it is for.

    Examples
    --------
    >>> a = BacktestRecord(4, np.array([[10.0, 10.0, 20.0, 20.0]]),
    ...                    {"x": np.array([[10.0] * 4]), "y": np.array([[14.0, 14.0, 20.0, 20.0]])})
    >>> [(c.validation, c.members) for c in choose_by_horizon({"a": a})["a"]]
    [(1, ('x',)), (4, ('y',))]
    """
    by_share = []
    for share in HORIZON_SHARES:
        firsts = {
            key: record.first(max(1, math.ceil(record.validation * share)))
            for key, record in records.items()
        }
        by_share.append(choose(firsts, selection))
    return {key: [chosen[key] for chosen in by_share] for key in records}


def describe_choices(choices: Sequence[Choice]) -> str:
    """The longest choice's :meth:`Choice.describe`, and the shorter ones where they differ.

    Examples
    --------
    >>> full = Choice(("ets",), {"ets": 0.1}, "this series", {}, [], 2, 52, np.zeros((2, 52)))
    >>> short = Choice(("theta",), {"theta": 0.1}, "this series", {}, [], 2, 13, np.zeros((2, 13)))
    >>> describe_choices([short, full]).endswith("chose ets; for up to 13 periods: theta")
    True
    """
    text = choices[-1].describe()
    for choice in choices[:-1]:
        if choice.members != choices[-1].members:
            text += f"; for up to {choice.validation} periods: {combination_name(choice.members)}"
    return text


class HorizonModels:
    """Fitted models and which of them forecast each horizon (``"auto"``'s choice per horizon).

    Parameters
    ----------
    models : dict
        ``{model name: fitted model}``.
    plans : sequence of (int, tuple of str)
        ``(longest forecast, members)``, shortest first: a forecast of ``n`` periods uses the first
        plan whose length is at least ``n`` (the last plan beyond).

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> class Flat:
    ...     def __init__(self, v): self.v = v
    ...     def predict(self, dates, config):
    ...         return finalize_forecast(dates, np.full(len(dates), self.v),
    ...                                  np.full((len(dates), 3), self.v), config.quantiles)
    >>> both = HorizonModels({"a": Flat(2.0), "b": Flat(4.0)}, [(3, ("a",)), (12, ("a", "b"))])
    >>> days = pd.date_range("2024-01-01", periods=5)
    >>> both.predict(days[:2], SeriesConfig())["p50"].tolist(), both.plan_index(5)
    ([2.0, 2.0], 1)
    >>> both.predict(days, SeriesConfig())["p50"].tolist()
    [3.0, 3.0, 3.0, 3.0, 3.0]
    """

    name = "horizons"

    def __init__(self, models: dict[str, object], plans: Sequence[tuple[int, tuple[str, ...]]]):
        self.models = dict(models)
        self.plans = [(int(steps), tuple(members)) for steps, members in plans]

    def plan_index(self, horizon: int) -> int:
        """The plan a forecast of ``horizon`` periods uses."""
        for index, (steps, _) in enumerate(self.plans):
            if horizon <= steps:
                return index
        return len(self.plans) - 1

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Forecast ``dates`` with the members of the plan for ``len(dates)`` periods.

        Parameters
        ----------
        dates : DatetimeIndex
            Forecast dates.
        config : SeriesConfig
            Quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        members = self.plans[self.plan_index(len(dates))][1]
        models = [self.models[name] for name in members if name in self.models]
        if len(models) == 1:
            return models[0].predict(dates, config)  # type: ignore[attr-defined]
        return MeanForecast(models).predict(dates, config)


class MeanForecast:
    """The mean of the forecasts of several fitted models (each with ``predict(dates, config)``).

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> class Flat:
    ...     def __init__(self, v): self.v = v
    ...     def predict(self, dates, config):
    ...         return finalize_forecast(dates, np.full(len(dates), self.v),
    ...                                  np.full((len(dates), 3), self.v), config.quantiles)
    >>> fc = MeanForecast([Flat(2.0), Flat(4.0)]).predict(pd.date_range("2024-01-01", periods=2),
    ...                                                   SeriesConfig())
    >>> fc["p50"].tolist()
    [3.0, 3.0]
    """

    name = "mean"

    def __init__(self, members: Sequence[object]) -> None:
        self.members = list(members)

    def predict(self, dates: pd.DatetimeIndex, config: SeriesConfig) -> pd.DataFrame:
        """Average the members' ``mean`` and quantile columns.

        Parameters
        ----------
        dates : DatetimeIndex
            Forecast dates.
        config : SeriesConfig
            Quantiles.

        Returns
        -------
        DataFrame
            ``date, mean, p..``.
        """
        frames = [member.predict(dates, config) for member in self.members]  # type: ignore[attr-defined]
        columns = quantile_columns(config.quantiles)
        mean = np.mean([f["mean"].to_numpy() for f in frames], axis=0)
        quantiles = np.mean([f[columns].to_numpy() for f in frames], axis=0)
        return finalize_forecast(dates, mean, quantiles, config.quantiles)
