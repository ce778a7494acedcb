"""Rolling-origin backtests of a :class:`~forecasting.models.DemandForecaster`.

The last ``n_windows * step`` periods (days, weeks or months) of the sales are cut into windows.
For each window the forecaster is refitted (a fresh copy with the same parameters) on everything up
to the window's cutoff and forecasts ``horizon`` periods; the forecasts are scored against the
actuals with WAPE, MASE (against the naive forecast of the same period a year before: 364 days, 52
weeks or 12 months), pinball loss per quantile and interval coverage
(:mod:`forecasting.models.metrics`).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from forecasting.models import DemandForecaster
>>> dates = pd.date_range("2021-01-01", periods=3 * 52, freq="W-FRI")
>>> units = 100 + 20 * np.sin(np.arange(156) * 2 * np.pi / 52)
>>> sales = pd.DataFrame({"date": dates, "units": units})
>>> result = backtest(sales, DemandForecaster(model="seasonal_naive"), horizon=4, n_windows=2)
>>> result.metrics["window"].tolist()
['1', '2', 'all']
>>> bool(result.metrics["wape"].iloc[-1] < 0.01)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone

from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import period_offset, seasonal_period
from forecasting.inputs.validated import SalesTable
from forecasting.models.base import quantile_columns, validate_quantiles
from forecasting.models.forecaster import DemandForecaster
from forecasting.models.metrics import forecast_metrics, mase_scale
from forecasting.models.panel import normalize_by, series_panel

__all__ = ["BacktestResult", "backtest"]


@dataclass
class BacktestResult:
    """Result of :func:`backtest`.

    Attributes
    ----------
    forecasts : DataFrame
        ``window, cutoff``, key columns, ``date, actual, mean, p..``.
    metrics : DataFrame
        One row per window and a last row ``window="all"``: ``cutoff, n_series, wape, mase,
        pinball_p.., coverage_p.._p..``.
    """

    forecasts: pd.DataFrame
    metrics: pd.DataFrame


def _actuals(panel: dict, by: list[str]) -> pd.DataFrame:
    parts = []
    for key, y in panel.items():
        part = pd.DataFrame({"date": y.index, "actual": y.to_numpy()})
        for name, value in zip(by, key, strict=True):
            part[name] = value
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def backtest(
    sales: SalesTable | pd.DataFrame | str,
    forecaster: DemandForecaster,
    horizon: int,
    n_windows: int = 3,
    by: str | Sequence[str] | None = None,
    step: int | None = None,
) -> BacktestResult:
    """Rolling-origin backtest.

    Parameters
    ----------
    sales : SalesTable, DataFrame or path
        Canonical sales: validated sales (:func:`forecasting.inputs.validate_sales`) are used as
        they are, others validated.
    forecaster : DemandForecaster
        The configuration to test (each window fits a :func:`sklearn.base.clone` of it; it is not
        modified).
    horizon : int
        Periods forecast from each cutoff (days, weeks or months, the sales' frequency).
    n_windows : int
        Number of cutoffs.
    by : str, sequence of str or None
        Key columns of one series (any columns of the sales, e.g. ``["store", "dept"]``).
    step : int, optional
        Periods between cutoffs (default ``horizon``).

    Returns
    -------
    BacktestResult

    Raises
    ------
    DataValidationError
        When the history is too short for the windows asked for, or the sales are in weeks
        counted from each product's launch (``"W-LAUNCH"``: no common calendar to cut at).
    """
    from forecasting.inputs.frequency import require_calendar_periods
    from forecasting.inputs.readers import as_sales

    table = as_sales(sales, by=by)
    require_calendar_periods(table, "the backtest")
    sales = table.frame
    by_columns = normalize_by(sales, by)
    for name, value in (("horizon", horizon), ("n_windows", n_windows), ("step", step or horizon)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise DataValidationError(f"backtest: {name}={value!r}; pass a whole number >= 1")
    step = int(step or horizon)
    freq = table.freq
    end = pd.Timestamp(sales["date"].max())
    offset = period_offset(freq)  # months have no fixed length: step by the calendar
    cutoffs = [end - offset * (horizon + step * k) for k in range(n_windows - 1, -1, -1)]
    start = pd.Timestamp(sales["date"].min())
    if cutoffs[0] <= start:
        raise DataValidationError(
            f"{sales.attrs.get('source', 'sales')}: the history {start.date()}..{end.date()} "
            f"is too short for {n_windows} windows of {horizon} periods (step {step}). "
            "Fix: lower n_windows or horizon."
        )
    panel = series_panel(sales, by_columns, freq, end)
    actuals = _actuals(panel, by_columns)
    quantiles = validate_quantiles(forecaster.quantiles)
    season = seasonal_period(freq)  # the naive lag of MASE: 364 days, 52 weeks, 12 months
    forecasts, rows = [], []
    for number, cutoff in enumerate(cutoffs, start=1):
        model = clone(forecaster)
        model.fit(table.until(cutoff), by=by_columns or None)
        fc = model.predict(int(horizon)).merge(actuals, on=[*by_columns, "date"], how="left")
        fc.insert(0, "cutoff", cutoff)
        fc.insert(0, "window", str(number))
        forecasts.append(fc)
        scales = {
            (key[0] if len(key) == 1 else key): mase_scale(y[y.index <= cutoff].to_numpy(), season)
            for key, y in panel.items()
        }
        scale_series = pd.Series(scales, dtype=float)
        metrics = forecast_metrics(fc, quantiles, by_columns, scale_series)
        rows.append(
            {"window": str(number), "cutoff": cutoff, "n_series": len(model.models_), **metrics}
        )
    all_fc = pd.concat(forecasts, ignore_index=True)
    overall = {
        key: float(np.nanmean([r[key] for r in rows]))
        for key in rows[0]
        if key not in ("window", "cutoff")
    }
    overall["wape"] = forecast_metrics(all_fc, quantiles, by_columns)["wape"]
    cov = f"coverage_{quantile_columns(quantiles)[0]}_{quantile_columns(quantiles)[-1]}"
    if cov in overall:
        overall[cov] = forecast_metrics(all_fc, quantiles, by_columns)[cov]
    rows.append({"window": "all", "cutoff": pd.NaT, **overall})
    metrics_frame = pd.DataFrame(rows)
    metrics_frame["n_series"] = metrics_frame["n_series"].round().astype(int)
    return BacktestResult(forecasts=all_fc, metrics=metrics_frame)
