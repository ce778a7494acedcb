"""Top-down forecasts: fit an aggregated level and split it down by stable shares.

When the bottom series are many and sparse (store x sku, mostly zeros or short), forecasting each
one is slow and noisy. :class:`TopDownForecaster` fits a
:class:`~forecasting.models.DemandForecaster` on an aggregated level only (e.g. ``level=["sku"]``
or ``["category", "region"]``: far fewer, smoother series), then gives each bottom series (``by``)
its share of its parent: its units over the parent's units in the last ``share_periods`` periods
(a quarter by default), falling back to the whole history when the parent sold nothing recently,
and to equal shares when it never sold.

The result is reconciled: within each parent the shares add up to one, so the bottom forecasts (the
mean and every quantile column) add up exactly to the parent's forecast, period by period. The
quantiles of a bottom series are its share of the parent's quantiles, as if the split were certain:
they are narrower than the bottom series' own uncertainty, so use them for totals and allocation,
not as intervals of single sparse series.

Examples
--------
>>> import numpy as np, pandas as pd
>>> weeks = pd.date_range("2023-01-06", periods=60, freq="W-FRI")
>>> sales = pd.DataFrame({"date": np.tile(weeks, 2), "store": np.repeat(["A", "B"], 60),
...                       "sku": "K1", "units": np.r_[np.full(60, 30.0), np.full(60, 10.0)]})
>>> from forecasting.models import DemandForecaster
>>> td = TopDownForecaster(forecaster=DemandForecaster(model="seasonal_naive"), level="sku")
>>> fc = td.fit(sales, by=["store", "sku"]).predict(2)
>>> fc[["store", "sku", "p50"]].to_dict("list")
{'store': ['A', 'A', 'B', 'B'], 'sku': ['K1', 'K1', 'K1', 'K1'], 'p50': [30.0, 30.0, 10.0, 10.0]}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone

from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.inputs.validated import SalesTable
from forecasting.models.base import quantile_columns
from forecasting.models.forecaster import DemandForecaster
from forecasting.models.panel import normalize_by

__all__ = ["TopDownForecaster", "stable_shares"]


def stable_shares(
    sales: pd.DataFrame, by: Sequence[str], level: Sequence[str], periods: int
) -> pd.DataFrame:
    """Share of each ``by`` series in its ``level`` parent over the last ``periods`` periods.

    Falls back to the whole history for a parent without sales in the window, and to equal shares
    for a parent that never sold. Shares within a parent add up to one.

    Parameters
    ----------
    sales : DataFrame
        Canonical sales (``date``, ``units`` and the key columns).
    by : sequence of str
        Keys of the bottom series.
    level : sequence of str
        Keys of the parent (a subset of ``by``).
    periods : int
        Length of the recent window, in periods of the data.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``share`` and ``basis`` (``"recent"``, ``"history"`` or ``"equal"``).

    Examples
    --------
    >>> s = pd.DataFrame({"date": pd.to_datetime(["2024-01-01"] * 3 + ["2024-01-02"] * 3),
    ...                   "store": ["A", "B", "C"] * 2, "sku": "K", "units": [3, 1, 0, 3, 1, 0.0]})
    >>> stable_shares(s, ["store", "sku"], ["sku"], 2)["share"].tolist()
    [0.75, 0.25, 0.0]
    """
    by, level = list(by), list(level)
    dates = np.sort(sales["date"].unique())
    start = dates[max(0, len(dates) - int(periods))]
    units = sales["units"].clip(lower=0.0)
    recent = units.where(sales["date"] >= start, 0.0)
    table = (
        sales[by]
        .assign(recent=recent.to_numpy(), history=units.to_numpy())
        .groupby(by, sort=True, observed=True, dropna=False)[["recent", "history"]]
        .sum()
        .reset_index()
    )
    parent = table.groupby(level, sort=False, observed=True, dropna=False)
    recent_total = parent["recent"].transform("sum")
    history_total = parent["history"].transform("sum")
    count = parent["recent"].transform("size")
    use_recent = recent_total > 0
    use_history = ~use_recent & (history_total > 0)
    share = np.where(
        use_recent,
        table["recent"] / recent_total.where(use_recent, 1.0),
        np.where(use_history, table["history"] / history_total.where(use_history, 1.0), 1 / count),
    )
    basis = np.where(use_recent, "recent", np.where(use_history, "history", "equal"))
    return table[by].assign(share=share, basis=basis)


class TopDownForecaster(BaseEstimator):
    """Forecast an aggregated level with a :class:`DemandForecaster` and split it by stable
    shares (see the module docstring).

    A scikit-learn estimator: ``__init__`` only stores its keyword-only parameters,
    :func:`sklearn.base.clone` works (``forecaster`` is a nested estimator: its parameters are
    ``forecaster__model`` and so on), :meth:`predict` does not change the fitted state. The model
    and execution settings of the aggregated level (``n_jobs``, ``backend``, ``on_error``, ...) are
    those of ``forecaster``.

    Parameters
    ----------
    forecaster : DemandForecaster, optional
        Unfitted forecaster for the aggregated level (a clone of it is fitted; ``None``:
        ``DemandForecaster()``).
    level : str or sequence of str
        Key columns of the aggregated level, a strict subset of ``by`` at :meth:`fit`.
    share_periods : int, optional
        Recent periods the shares are measured on (``None``: a quarter: 91 days, 13 weeks or 3
        months).

    Attributes
    ----------
    by_, level_ : list of str
        Bottom and parent keys.
    top_ : DemandForecaster
        The fitted forecaster of the aggregated level.
    shares_ : DataFrame
        ``by`` columns, ``share`` and ``basis`` (see :func:`stable_shares`).

    Examples
    --------
    >>> TopDownForecaster(forecaster=DemandForecaster(model="ets"), level="sku")
    TopDownForecaster(forecaster=DemandForecaster(model='ets'), level='sku')
    >>> clone(TopDownForecaster(level="sku")).get_params()["level"]
    'sku'
    """

    def __init__(
        self,
        *,
        forecaster: DemandForecaster | None = None,
        level: str | Sequence[str] = (),
        share_periods: int | None = None,
    ) -> None:
        self.forecaster = forecaster
        self.level = level
        self.share_periods = share_periods

    def fit(
        self, sales: SalesTable | pd.DataFrame | str, by: str | Sequence[str]
    ) -> TopDownForecaster:
        """Fit the aggregated level and measure the shares of the ``by`` series.

        Parameters
        ----------
        sales : SalesTable, DataFrame or path
            Canonical sales: validated sales (:func:`forecasting.inputs.validate_sales`) are used
            as they are, others validated.
        by : str or sequence of str
            Keys of the bottom series (e.g. ``["store", "sku"]``).

        Returns
        -------
        TopDownForecaster
            ``self``, fitted.

        Raises
        ------
        DataValidationError
            When ``level`` is not a strict subset of ``by``, or the sales are in weeks counted
            from each product's launch (``"W-LAUNCH"``: they do not add up by date).

        Examples
        --------
        >>> TopDownForecaster(level="region").fit(pd.DataFrame(
        ...     {"date": ["2024-01-01"], "store": ["A"], "units": [1]}), by="store")
        Traceback (most recent call last):
        ...
        forecasting.exceptions.DataValidationError: TopDownForecaster: level=['region'] must be a strict subset of by=['store'] (the bottom keys). Fix: pass e.g. by=["store", "sku"], level=["sku"].
        """  # noqa: E501
        from forecasting.inputs.frequency import quarter_periods, require_calendar_periods
        from forecasting.inputs.readers import as_sales, validate_sales

        table = as_sales(sales)
        require_calendar_periods(table, "the top-down forecast")
        sales = table.frame
        by_columns = normalize_by(sales, by)
        level = [self.level] if isinstance(self.level, str) else list(self.level)
        if not level or not set(level) < set(by_columns):
            raise DataValidationError(
                f"TopDownForecaster: level={level!r} must be a strict subset of by={by_columns!r} "
                '(the bottom keys). Fix: pass e.g. by=["store", "sku"], level=["sku"].'
            )
        freq = table.freq
        periods = self.share_periods or quarter_periods(freq)
        aggregated = pd.DataFrame(
            sales.groupby([*level, "date"], sort=True, observed=True)["units"].sum().reset_index()
        )
        aggregated.attrs["source"] = table.source
        base = self.forecaster if self.forecaster is not None else DemandForecaster()
        top = clone(base).fit(validate_sales(aggregated, freq=freq, by=level), by=level)
        self.by_ = by_columns
        self.level_ = level
        self.top_ = top
        self.shares_ = stable_shares(sales, by_columns, level, int(periods))
        return self

    def predict(self, horizon: int) -> pd.DataFrame:
        """Forecast every bottom series: its parent's forecast times its share.

        Parameters
        ----------
        horizon : int
            Periods ahead.

        Returns
        -------
        DataFrame
            The ``by`` columns, ``date``, ``mean`` and the quantile columns; within each parent
            and date they add up to the parent's forecast.

        Examples
        --------
        >>> TopDownForecaster(level="sku").predict(4)
        Traceback (most recent call last):
        ...
        forecasting.exceptions.NotFittedError: TopDownForecaster is not fitted yet: call fit(sales, by=...) before predict.
        """  # noqa: E501
        if not hasattr(self, "top_"):
            raise NotFittedError(
                "TopDownForecaster is not fitted yet: call fit(sales, by=...) before predict."
            )
        top = self.top_.predict(horizon)
        values = ["mean", *quantile_columns(self.top_.config_.quantiles)]
        out = self.shares_.merge(top, on=self.level_, how="inner", validate="many_to_many")
        out[values] = out[values].to_numpy() * out[["share"]].to_numpy()
        out = out.sort_values([*self.by_, "date"], kind="stable").reset_index(drop=True)
        return out[[*self.by_, "date", *values]]
