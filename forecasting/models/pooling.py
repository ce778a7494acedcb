"""Partial pooling of Prophet's calendar effects over the series of a panel (empirical Bayes).

Fitted one series at a time, Prophet estimates each calendar effect (every day of an event's window:
the Spring Festival's build-up, the days off, Christmas Eve) from that series' own two or three
years: a window day seen twice or three times, with the series' own noise. The stores or provinces
of one brand share most of these effects. With pooling, each calendar coefficient's prior is
centred on the mean of that coefficient over the series of the panel, with a width taken from how
much the series differ on it, instead of centred on zero with a fixed width:

1. A first pass fits Prophet on every series as usual and reads each calendar coefficient in log
   units (``beta * y_scale``: Prophet's coefficients live on the target divided by its maximum).
2. For each calendar term seen in at least :data:`MIN_SERIES` series of the same structure (growth,
   yearly and weekly orders: without a yearly seasonality the calendar terms also carry the
   season), the mean over the series, and the spread, :data:`SPREAD_SHARE` times their standard
   deviation (:class:`PooledPrior`).
3. The second pass fits each series with ``beta_j ~ N(mean_j / y_scale, spread_j / y_scale)``, the
   width between a tenth of ``holidays_prior_scale`` (:data:`CALENDAR_FLOOR`) and
   ``holidays_prior_scale`` itself (never looser than without pooling). A term the series differ
   much on is pooled little; one they agree on, much. Terms that the panel lacks keep their usual
   prior, and so do the yearly and weekly seasonality.

The seasonality is not pooled. On China clothing pooling it too was a little better (validation
WAPE 0.2331 against 0.2342), but on all 3,254 Walmart store x department series, whose
departments' seasons differ far more than the provinces' do, it shrank the strong seasons of a few
departments (Christmas goods) towards the others' and lost more than it gained: WAPE 0.1274,
against 0.1263 without pooling and 0.1225 with the calendar alone.

The centre is the mean of the series' coefficients, not the coefficients of a model of their sum: a
sum's calendar effects are about 1.25 times the mean of the provinces' on China clothing (its
larger maximum loosens its prior, and the log of a sum is not the mean of the logs), and pooling
towards them made forecasts worse.

Measured on China clothing (25 provinces; three validation splits within 2008-2010, where
:data:`SPREAD_SHARE` was chosen among 0.5, 0.75 and 1: mean WAPE 0.2390 alone, 0.2342 pooled; 2011,
measured once afterwards: 0.2311 to 0.2290) and on Walmart, not used to choose the share (300
series with the whole history, three samples: 0.1225 to 0.1174, 0.1156 to 0.1127, 0.1235 to 0.1185;
all 3,254 series: 0.1263 to 0.1225).

In ``"auto"`` every backtest window gets the prior of the fits on the history up to its own cutoff,
so no window borrows from its future (:func:`cutoff_dates`). The Stan solver fits without pooling.

Examples
--------
>>> coefficients = [{"holiday:x[0]": 0.5}, {"holiday:x[0]": 0.7}, {"holiday:x[0]": 0.3}]
>>> prior = PooledPrior.from_coefficients(coefficients, min_series=3)
>>> prior.series, round(prior.means["holiday:x[0]"], 3), round(prior.spreads["holiday:x[0]"], 3)
(3, 0.5, 0.15)
>>> mean, sigma = prior.terms(["yearly_sin1", "holiday:x[0]", "holiday:y[0]"], y_scale=10.0,
...                           holidays_prior_scale=0.03)
>>> mean.round(3).tolist(), sigma.round(4).tolist()
([nan, 0.05, nan], [nan, 0.015, nan])
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "CALENDAR_FLOOR",
    "MIN_SERIES",
    "POOLED_PRIORS",
    "SPREAD_SHARE",
    "PooledPrior",
    "Structure",
    "cutoff_dates",
    "pooled_priors",
    "pooled_series",
]

#: Fewest series fitted by Prophet for a panel prior (and fewest series a term must be seen in).
MIN_SERIES = 5

#: The prior's width as a share of the coefficients' standard deviation over the series. Chosen on
#: China clothing validation splits among 0.5, 0.75 and 1 while the seasonality was pooled too (mean
#: WAPE 0.2336, 0.2331, 0.2342); with the calendar alone 0.75 gives 0.2342 and 1 gives 0.2344.
SPREAD_SHARE = 0.75

#: Narrowest prior of a calendar term, as a share of ``holidays_prior_scale``.
CALENDAR_FLOOR = 0.1

#: The key of :attr:`SeriesConfig.options` that carries the priors,
#: ``{(history end, structure): PooledPrior}``.
POOLED_PRIORS = "pooled_priors"

#: A Prophet's structure: its growth, yearly and weekly Fourier orders. Only series of the same
#: structure are pooled: without a yearly seasonality (under a year and a half of history) the
#: calendar terms also carry the season, so they do not mean what they mean beside one.
Structure = tuple[str, int, int]


@dataclass(frozen=True)
class PooledPrior:
    """The panel's prior of each Prophet calendar term, in log units.

    Attributes
    ----------
    means : dict
        ``{term: mean coefficient over the series}``, by the names of the calendar columns.
    spreads : dict
        ``{term: SPREAD_SHARE * standard deviation over the series}``.
    series : int
        Series the prior was computed from.
    """

    means: dict[str, float] = field(repr=False)
    spreads: dict[str, float] = field(repr=False)
    series: int = 0

    @classmethod
    def from_coefficients(
        cls,
        coefficients: Iterable[Mapping[str, float]],
        *,
        min_series: int = MIN_SERIES,
        spread_share: float = SPREAD_SHARE,
    ) -> PooledPrior | None:
        """The prior of the terms seen in at least ``min_series`` of the series.

        Parameters
        ----------
        coefficients : iterable of mapping
            One ``{term: coefficient in log units}`` per series.
        min_series : int
            Fewest series (and fewest series per term).
        spread_share : float
            Multiple of the standard deviation that is the prior's width.

        Returns
        -------
        PooledPrior or None
            ``None`` with fewer than ``min_series`` series.
        """
        table = pd.DataFrame(list(coefficients))
        if len(table) < min_series:
            return None
        counts = table.notna().sum()
        kept = table.loc[:, counts >= min_series]
        means = kept.mean()
        spreads = kept.std() * spread_share
        return cls(
            {str(k): float(v) for k, v in means.items()},
            {str(k): float(v) for k, v in spreads.items()},
            len(table),
        )

    def terms(
        self, names: Sequence[str], *, y_scale: float, holidays_prior_scale: float
    ) -> tuple[np.ndarray, np.ndarray]:
        """Prior means and widths of one series' terms, on its scaled target.

        Parameters
        ----------
        names : sequence of str
            The series' terms (any order; only the calendar terms the prior knows get one).
        y_scale : float
            The series' scale (the maximum of its target).
        holidays_prior_scale : float
            The usual prior of the calendar terms, the widest width.

        Returns
        -------
        mean, sigma : ndarray
            ``NaN`` for a term the prior does not know (it keeps its usual prior).
        """
        mean = np.full(len(names), np.nan)
        sigma = np.full(len(names), np.nan)
        low = CALENDAR_FLOOR * holidays_prior_scale
        for j, name in enumerate(names):
            if name in self.means:
                mean[j] = self.means[name] / y_scale
                sigma[j] = float(np.clip(self.spreads[name] / y_scale, low, holidays_prior_scale))
        return mean, sigma


def cutoff_dates(
    panel: Mapping[Any, pd.Series], config: Any, *, backtest: bool
) -> dict[pd.Timestamp, int]:
    """The history ends Prophet is fitted to in ``panel``, with how many series end there.

    The end of every series; with ``backtest``, also the cutoff of each of its backtest windows
    (:func:`forecasting.models.selection.backtest_windows`).

    Parameters
    ----------
    panel : mapping
        ``{key: Series of units}``.
    config : SeriesConfig
        Frequency and the backtest options.
    backtest : bool
        Whether ``"auto"`` backtests the series.

    Returns
    -------
    dict
        ``{date: series}``.

    Examples
    --------
    >>> from forecasting.models.base import SeriesConfig
    >>> idx = pd.date_range("2020-01-01", periods=60, freq="MS")
    >>> y = pd.Series(1.0, index=idx)
    >>> ends = cutoff_dates({"A": y, "B": y}, SeriesConfig(freq="MS"), backtest=True)
    >>> {d.strftime("%Y-%m"): n for d, n in ends.items()}
    {'2024-12': 2, '2022-12': 2, '2021-12': 2}
    """
    from forecasting.models.selection import backtest_windows

    ends: dict[pd.Timestamp, int] = {}
    for y in panel.values():
        if not len(y):
            continue
        dates = [pd.Timestamp(y.index[-1])]
        if backtest:
            _, lengths = backtest_windows(len(y), config)
            dates += [pd.Timestamp(y.index[n - 1]) for n in lengths if n > 0]
        for day in dict.fromkeys(dates):
            ends[day] = ends.get(day, 0) + 1
    return ends


def pooled_priors(
    panel: Mapping[tuple[Hashable, ...], pd.Series],
    config: Any,
    *,
    backtest: bool,
    execution: Mapping[str, Any],
) -> dict[tuple[pd.Timestamp, Structure], PooledPrior]:
    """Fit Prophet (unpooled) on the panel up to each history end; the prior of each end and
    model structure.

    Parameters
    ----------
    panel : mapping
        ``{key: Series of units}``.
    config : SeriesConfig
        The forecaster's configuration (its model is replaced by ``"prophet"`` here).
    backtest : bool
        Also the cutoffs of the backtest windows (for ``"auto"``).
    execution : mapping
        Keyword arguments of :func:`forecasting.models.parallel.fit_many`.

    Returns
    -------
    dict
        ``{(history end, structure): PooledPrior}`` for each history end and model structure
        (:meth:`~forecasting.models.prophet.ProphetModel.calendar_effects`) of at least
        :data:`MIN_SERIES` series fitted by Prophet's ``"map"`` solver; empty otherwise.
    """
    from forecasting.models.parallel import fit_many
    from forecasting.models.prophet import ProphetModel

    options = {k: v for k, v in config.options.items() if k not in (POOLED_PRIORS, "plans")}
    prophet = replace(config, model="prophet", options=options)
    priors: dict[tuple[pd.Timestamp, Structure], PooledPrior] = {}
    for end, count in cutoff_dates(panel, config, backtest=backtest).items():
        if count < MIN_SERIES:
            continue
        part = {key: y[y.index <= end] for key, y in panel.items() if len(y) and y.index[-1] >= end}
        fitted, _ = fit_many(part, prophet, **{**execution, "progress": False})
        by_structure: dict[Structure, list[dict[str, float]]] = {}
        for m in fitted.values():
            if isinstance(m.model, ProphetModel) and m.model.solver_ == "map":
                structure, effects = m.model.calendar_effects()
                by_structure.setdefault(structure, []).append(effects)
        for structure, coefficients in by_structure.items():
            prior = PooledPrior.from_coefficients(coefficients)
            if prior is not None:
                priors[end, structure] = prior
    return priors


def pooled_series(model: Any) -> int:
    """How many series the Prophet in a fitted model (alone, in a mean, or in a plan by horizon)
    was pooled with; 0 when it was not pooled.

    Examples
    --------
    >>> class Fitted:
    ...     pooled_ = 25
    >>> class Plans:
    ...     models = {"prophet": Fitted(), "ets": object()}
    >>> pooled_series(Fitted()), pooled_series(Plans()), pooled_series(object())
    (25, 25, 0)
    """
    pooled = getattr(model, "pooled_", None)
    if isinstance(pooled, int):
        return pooled
    inner = getattr(model, "models", None)
    members = list(inner.values()) if isinstance(inner, dict) else getattr(model, "members", [])
    return max((pooled_series(m) for m in members), default=0)
