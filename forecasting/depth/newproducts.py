"""Zero-history forecasts of a new product's first weeks, learned from past launches as analogs.

A new product has no sales history; what it has is the attributes it shares with past launches
(category, colour, fabric, price...), its launch date (a style launched before the autumn surge
sells differently from one launched after it) and, optionally, how much interest its attributes drew
before launch (a weekly search-interest table such as Google Trends, one column per attribute
value). :func:`launch_curves` gives the weekly sales after each past launch;
:class:`NewProductForecaster` learns from them how the first ``horizon_weeks`` weeks of sales depend
on those features.

Features
--------
Text attributes (not identifiers) are categorical features, numbers are numeric ones. Launch timing
is encoded as the day of the year (sine and cosine, and the plain day, which a tree splits at a
date), the day of the half-year (days since 1 January or 1 July: a spring-summer and an
autumn-winter launch at the same point of their season, before or after the winter or summer
sales), the weekday and the date itself (the trend of the business). The 24 solar terms fall on the
same Gregorian dates to within a day, so the day of the year places a launch against 立秋, 白露 or
寒露 as well as their dates would. With a trends table, the mean, last-4-week mean, change and last
value of each attribute value's interest over the ``trend_weeks`` before launch are features too.

Two leading indicators come from the past launches themselves, each using only sales known before
the launch date (:class:`LaunchHistory`): the level of the launches made around the same day a year
before, and the growth of the business since then (units per product-week in the quarter before
launch against the same quarter a year before). A tree model cannot carry a level it has never seen
into the future; last year's level moved by this year's growth can.

Past sales may come dated (daily, weekly, or weekly on each product's own launch weekday) or as a
``week`` column counted from each product's launch (1 = the launch week), read by
:func:`~forecasting.inputs.validate_launch_sales`; both give the same forecast.

How the forecaster works
------------------------
1. **Level**: gradient boosting (scikit-learn's ``HistGradientBoostingRegressor``, categorical
   attributes native) on ``log1p`` of the units sold over the horizon. On the log scale the fit is
   a median-like estimate, robust to the few blockbusters.
2. **Shape**: a boosted model of the share of the horizon's units sold in each week (the week is a
   feature beside the product's: a style launched just before the autumn surge peaks later than one
   launched into it); shares are normalised.
3. **Analogs**: the mean curve of the ``n_analogs`` past launches nearest by attributes (the
   number that differ, then the gap in launch day of the year) is averaged with the model's
   forecast on the ``log1p`` scale; the model's weight (0 to 1 in steps of 0.1) is the one whose
   held-out forecasts (step 4's blocks) have the lowest WAPE. Two differently built forecasts err
   differently: on VISUELLE's held-out blocks the blend erred less than either alone.
4. **Calibrated quantiles** (conformal style), in time order as a planner forecasts: the later
   half of the past launches is cut into ``n_folds`` blocks by launch date, and each block is
   forecast by models fitted on the launches before it, with the leading indicators computed from
   the sales known at that cut-off (and the analogs from the launches before it). The errors
   ``log1p(actual) - log1p(predicted)`` of each week give the quantiles, so that the 80 % interval
   covers about 80 % of the weeks of launches still to come (shuffled folds when the launches have
   too few distinct dates). ``mean`` is the smearing estimate (the average of the forecast over
   those errors), ``p50`` the median.
5. **Broader analogs**: a product whose category had fewer than ``min_analogs`` past launches (a new
   category) is forecast by a second model fitted on all launches without the category attribute
   (its other attributes, timing and trends still count), with its own out-of-fold errors. The
   ``basis`` column says which: ``"category"`` or ``"all launches"``.

Examples
--------
>>> import numpy as np, pandas as pd
>>> rng = np.random.default_rng(0)
>>> n = 60
>>> products = pd.DataFrame({"sku": [f"S{i}" for i in range(n)],
...                          "category": rng.choice(["coat", "dress"], n),
...                          "launch_date": pd.Timestamp("2023-01-02")  # Mondays
...                          + pd.to_timedelta(7 * rng.integers(0, 40, n), unit="D")})
>>> rows = [(s, d + pd.Timedelta(days=6 + 7 * w), 20.0 + 10 * (c == "coat"))  # weeks end on Sunday
...         for s, c, d in products[["sku", "category", "launch_date"]].itertuples(index=False)
...         for w in range(4)]
>>> sales = pd.DataFrame(rows, columns=["sku", "date", "units"])
>>> launch_curves(products, sales, horizon_weeks=4).loc["S0"].tolist()
[20.0, 20.0, 20.0, 20.0]
>>> model = NewProductForecaster(horizon_weeks=4, n_folds=3).fit(sales, products=products)
>>> new = pd.DataFrame({"sku": ["N1"], "category": ["coat"], "launch_date": ["2023-06-05"]})
>>> model.predict(new).round(0)[["sku", "week", "p50"]].head(2)
  sku  week   p50
0  N1     1  30.0
1  N1     2  30.0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits

from forecasting.depth.early_sales import MIN_UPDATE_LAUNCHES, EarlySalesUpdate
from forecasting.exceptions import DataValidationError, NotFittedError
from forecasting.inputs.launch_sales import validate_launch_sales
from forecasting.inputs.readers import ProductsTable, SalesTable, as_products
from forecasting.inputs.tables import Source
from forecasting.inputs.validation import DataQualityWarning

__all__ = ["LaunchHistory", "NewProductForecaster", "launch_curves"]

_NOT_FEATURES = {"sku", "launch_date", "unit_cost", "salvage_value"}
_EPOCH = pd.Timestamp("2000-01-01")
_MAX_LEVELS = 250


_CATEGORY = "category"
_FALLBACK = "all launches"
_GRID = np.linspace(0.0005, 0.9995, 1000)
_CHUNK = 500


# ------------------------------------------------------------------ past launches: curves


def _launch_dates(products: pd.DataFrame, sales: pd.DataFrame) -> pd.Series:
    first = sales.groupby("sku")["date"].min()
    out = products["sku"].map(first)
    if "launch_date" in products:
        given = products["launch_date"]
        out = given.where(given.notna(), out)
    return pd.Series(pd.to_datetime(out).to_numpy(), index=products["sku"].to_numpy())


def launch_curves(
    products: ProductsTable | Source,
    sales: SalesTable | Source,
    horizon_weeks: int = 12,
) -> pd.DataFrame:
    """Units sold in each week after launch, one row per past launch observed for the whole horizon.

    Week 1 is the launch day and the six days after it (a weekly sales row counts in the week of its
    date label). Sales dated before the launch are left out. A launch counts as fully observed when
    the sales table reaches its last week; weeks without sales rows inside that span count as zero.
    Launches whose horizon runs past the end of the sales table (still selling) or with no sales row
    at all are left out, and their number is kept in ``attrs["n_censored"]`` /
    ``attrs["n_without_sales"]``.

    Parameters
    ----------
    products : ProductsTable, DataFrame or path
        Past launches (:func:`forecasting.inputs.validate_products`): ``sku``, ``category``,
        optional ``launch_date`` (default: the sku's first sales date).
    sales : SalesTable, DataFrame or path
        Their sales (:func:`forecasting.inputs.validate_sales`) with a ``sku`` column, daily or
        weekly.
    horizon_weeks : int, default 12
        Weeks after launch to keep.

    Returns
    -------
    pandas.DataFrame
        Index ``sku``, columns ``1..horizon_weeks`` (named ``week``), float units.

    Examples
    --------
    >>> import pandas as pd
    >>> products = pd.DataFrame({"sku": ["A", "B"], "category": ["coat", "coat"],
    ...                          "launch_date": ["2024-01-01", "2024-01-08"]})
    >>> sales = pd.DataFrame({"sku": ["A", "B"], "date": ["2024-01-03", "2024-01-10"],
    ...                       "units": [3.0, 4.0]})
    >>> curves = launch_curves(products, sales, horizon_weeks=1)
    >>> curves.to_dict()
    {1: {'A': 3.0, 'B': 4.0}}
    """
    horizon = int(horizon_weeks)
    if horizon < 1:
        raise DataValidationError(f"horizon_weeks must be >= 1, got {horizon_weeks!r}.")
    past = as_products(products)
    curves, _, _ = _curves_and_launches(past, validate_launch_sales(sales, past), horizon)
    return curves


def _curves_and_launches(
    products: ProductsTable, sales: SalesTable, horizon: int
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """:func:`launch_curves` on validated tables, also returning each sku's launch date and the
    observed weeks of every launch with sales (weeks not yet observed are NaN)."""
    hist = sales.frame
    if "sku" not in hist.columns:
        raise DataValidationError(
            f"{sales.source}: no 'sku' column; the sales of past launches must name the sku of "
            "each row (map your column with columns={'your name': 'sku'})."
        )
    prods = products.frame
    prods = prods.assign(sku=prods["sku"].astype(str)).drop_duplicates("sku")
    hist = hist.assign(sku=hist["sku"].astype(str))
    launch = _launch_dates(prods, hist)
    has_sales = launch.index.isin(hist["sku"].unique())
    launch = launch[launch.notna()]
    last_date = hist["date"].max()
    hist = hist[hist["sku"].isin(launch.index)]
    days = (hist["date"] - hist["sku"].map(launch)).dt.days
    week = days // 7 + 1
    keep = (days >= 0) & (week <= horizon)
    weekly = (
        pd.DataFrame(
            {
                "sku": hist.loc[keep, "sku"],
                "week": week[keep].astype(int),
                "units": hist.loc[keep, "units"],
            }
        )
        .groupby(["sku", "week"])["units"]
        .sum()
        .unstack("week")
        .reindex(columns=range(1, horizon + 1))
    )
    sold = launch.index[launch.index.isin(hist["sku"].unique())]
    seen = ((last_date - launch[sold]).dt.days // 7 + 1).to_numpy()  # weeks the sales reach
    partial = weekly.reindex(sold).fillna(0.0).astype(float)
    partial = partial.where(np.arange(1, horizon + 1)[None, :] <= seen[:, None])
    partial.index.name, partial.columns.name = "sku", "week"
    curves = partial.dropna()  # the launches observed over the whole horizon
    curves.attrs["n_censored"] = int(((last_date - launch).dt.days // 7 + 1 < horizon).sum())
    curves.attrs["n_without_sales"] = int((~has_sales).sum())
    return curves, launch, partial


# ---------------------------------------------------------------- features of a launch


@dataclass
class _FeatureSchema:
    """What :func:`_build_features` learned from the past launches (columns and their levels)."""

    categorical: list[str]
    numeric: list[str]
    levels: dict[str, list[str]]
    with_trends: bool = False

    @property
    def names(self) -> list[str]:
        return list(self.categorical) + list(self.numeric)


def _learn_schema(products: pd.DataFrame, trends: pd.DataFrame | None) -> _FeatureSchema:
    """Choose the feature columns of ``products``: text attributes (not identifiers) and numbers."""
    categorical, numeric, levels = [], [], {}
    n = len(products)
    for col in products.columns:
        if col in _NOT_FEATURES:
            continue
        s = products[col]
        if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
            numeric.append(str(col))
        elif pd.api.types.is_string_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype):
            counts = s.dropna().astype(str).value_counts()
            if col != "category" and n > 20 and len(counts) > 0.5 * n:
                continue  # an identifier or free text, not an attribute
            categorical.append(str(col))
            levels[str(col)] = [str(v) for v in counts.index[:_MAX_LEVELS]]
    return _FeatureSchema(categorical, numeric, levels, trends is not None)


def _clean_trends(trends: pd.DataFrame | None) -> pd.DataFrame | None:
    """Check a wide weekly interest table: a ``date`` column (or index), one column per value."""
    if trends is None:
        return None
    if not isinstance(trends, pd.DataFrame):
        raise DataValidationError(
            "trends must be a DataFrame: a 'date' column and one column per attribute."
        )
    frame = trends.copy()
    if "date" in frame.columns:
        frame = frame.set_index("date")
    try:
        frame.index = pd.to_datetime(frame.index)
    except (ValueError, TypeError) as exc:
        raise DataValidationError(
            "trends: the 'date' column (or the index) must hold dates, one row per week."
        ) from exc
    frame = frame.loc[:, ~frame.columns.duplicated()]
    frame = frame.apply(pd.to_numeric, errors="coerce").astype(float)
    frame = frame.where(frame >= 0)  # Google Trends exports mark gaps with -1
    return frame.sort_index()


def _trend_stats(series: pd.Series, dates: np.ndarray, weeks: int) -> np.ndarray:
    idx = series.index.to_numpy()
    vals = series.to_numpy(float)
    out = np.full((len(dates), 4), np.nan)
    uniq, inv = np.unique(dates, return_inverse=True)
    stats = np.full((len(uniq), 4), np.nan)
    for i, day in enumerate(uniq):
        if np.isnat(day):
            continue
        hi = np.searchsorted(idx, day, side="left")
        lo = np.searchsorted(idx, day - np.timedelta64(7 * weeks, "D"), side="left")
        window = vals[lo:hi]
        window = window[np.isfinite(window)]
        if len(window) == 0:
            continue
        recent = window[-13:]
        earlier = window[:-13]
        change = recent.mean() - earlier.mean() if len(earlier) else 0.0
        stats[i] = (window.mean(), window[-4:].mean(), change, window[-1])
    out[:] = stats[inv]
    return out


_YEAR = 364  # days: the same weekday a year before
_LAST_YEAR_HALF_WINDOW = 21  # launches within three weeks of the same day a year before
_RECENT_DAYS = 91  # the quarter before launch: the business's recent sales
_MIN_LAUNCHES, _MIN_WEEKS = 5, 20


@dataclass
class LaunchHistory:
    """What past launches tell about a launch date, using only sales known before that date.

    Two leading indicators a planner reads before a launch, both free of the future:

    - ``last_year_level``: the mean ``log1p`` of the horizon's units of the launches made within
      three weeks of the same day a year before (the season's level, fully observed by then);
    - ``yoy_growth``: the log ratio of the units per product-week sold by all launches in the
      quarter before the launch date to the same quarter a year before (how the business runs now
      against last year).

    ``last_year_ref`` is their sum: last year's level moved by this year's growth. A tree model
    cannot carry a level it has never seen into the future; this reference can.

    Parameters
    ----------
    launch_days : numpy.ndarray
        Launch day of each fully observed past launch (days since 2000-01-01), sorted.
    log_totals : numpy.ndarray
        ``log1p`` of its units over the horizon, in the same order.
    known_days : numpy.ndarray
        For each observed launch-week of every past launch, the day its sales became known (the
        day after the week ended), sorted.
    week_units : numpy.ndarray
        Its units, in the same order.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({1: [10.0, 20.0], 2: [10.0, 20.0]}, index=["A", "B"])
    >>> launch = pd.Series(pd.to_datetime(["2023-01-02", "2024-01-01"]), index=["A", "B"])
    >>> history = LaunchHistory.from_weeks(weekly, launch)
    >>> history.known_days.size, history.week_units.tolist()
    (4, [10.0, 10.0, 20.0, 20.0])
    """

    launch_days: np.ndarray
    log_totals: np.ndarray
    known_days: np.ndarray
    week_units: np.ndarray

    @classmethod
    def from_weeks(cls, weekly: pd.DataFrame, launch: pd.Series) -> LaunchHistory:
        """Build from the observed weeks of past launches (NaN = not observed) and their dates."""
        days = _days(launch.reindex(weekly.index)).astype(np.int64)
        values = weekly.to_numpy(float)
        complete = ~np.isnan(values).any(axis=1)
        order = np.argsort(days[complete], kind="stable")
        weeks = np.arange(values.shape[1])
        known = (days[:, None] + 7 * weeks[None, :] + 7).ravel()
        units = values.ravel()
        seen = ~np.isnan(units)
        by_day = np.argsort(known[seen], kind="stable")
        return cls(
            launch_days=days[complete][order],
            log_totals=np.log1p(values[complete].clip(min=0).sum(axis=1))[order],
            known_days=known[seen][by_day],
            week_units=units[seen][by_day],
        )

    def features(self, launch_dates: pd.Series) -> dict[str, np.ndarray]:
        """``last_year_level``, ``yoy_growth`` and ``last_year_ref`` for each launch date."""
        days = _days(launch_dates)
        level = _window_mean(
            self.launch_days,
            self.log_totals,
            days - _YEAR - _LAST_YEAR_HALF_WINDOW,
            days - _YEAR + _LAST_YEAR_HALF_WINDOW + 1,
            _MIN_LAUNCHES,
        )
        now = _window_mean(
            self.known_days, self.week_units, days - _RECENT_DAYS, days + 1, _MIN_WEEKS
        )
        before = _window_mean(
            self.known_days,
            self.week_units,
            days - _YEAR - _RECENT_DAYS,
            days - _YEAR + 1,
            _MIN_WEEKS,
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.log(np.maximum(now, 1e-3) / np.maximum(before, 1e-3))
        return {
            "last_year_level": level,
            "yoy_growth": growth,
            "last_year_ref": level + np.nan_to_num(growth),
        }


def _days(dates: pd.Series) -> np.ndarray:
    """Days since 2000-01-01 as floats (NaN for a missing date)."""
    return (pd.to_datetime(dates) - _EPOCH).dt.days.to_numpy(float)


def _window_mean(
    keys: np.ndarray, values: np.ndarray, lo: np.ndarray, hi: np.ndarray, least: int
) -> np.ndarray:
    """Mean of ``values`` whose sorted ``keys`` lie in ``[lo, hi)``; NaN below ``least`` values."""
    total = np.concatenate([[0.0], np.cumsum(values)])
    finite = np.isfinite(lo) & np.isfinite(hi)
    a = np.searchsorted(keys, np.where(finite, lo, 0), side="left")
    b = np.searchsorted(keys, np.where(finite, hi, 0), side="left")
    count = b - a
    out = (total[b] - total[a]) / np.maximum(count, 1)
    return np.where(finite & (count >= least), out, np.nan)


def _build_features(
    products: pd.DataFrame,
    schema: _FeatureSchema,
    trends: pd.DataFrame | None,
    trend_weeks: int,
    history: LaunchHistory | None = None,
) -> pd.DataFrame:
    """The feature matrix of ``products`` (one row each); unknown levels become missing."""
    feats: dict[str, np.ndarray] = {}
    for col in schema.categorical:
        lookup = {v: float(i) for i, v in enumerate(schema.levels[col])}
        values = products[col] if col in products else pd.Series(np.nan, index=products.index)
        feats[col] = (
            values.astype(object)
            .map(lambda v, lk=lookup: lk.get(str(v), np.nan) if pd.notna(v) else np.nan)
            .to_numpy(float)
        )
    for col in schema.numeric:
        values = products[col] if col in products else pd.Series(np.nan, index=products.index)
        feats[col] = pd.to_numeric(values, errors="coerce").to_numpy(float)
    launch = pd.to_datetime(products["launch_date"]) if "launch_date" in products else None
    if launch is None:
        launch = pd.Series(pd.NaT, index=products.index, dtype="datetime64[ns]")
    doy = launch.dt.day_of_year.to_numpy(float)
    feats["launch_doy_sin"] = np.sin(2 * np.pi * doy / 365.25)
    feats["launch_doy_cos"] = np.cos(2 * np.pi * doy / 365.25)
    feats["launch_weekday"] = launch.dt.day_of_week.to_numpy(float)
    # the calendar as a tree splits it: the day of the year, and the day of the half-year (days
    # since 1 January or 1 July), which puts a spring-summer launch and an autumn-winter one at the
    # same point of their season (the winter and summer sales, the season's start and end)
    feats["launch_doy"] = doy
    july_first = 182.0 + launch.dt.is_leap_year.to_numpy(float)
    feats["launch_half_year_day"] = np.where(doy >= july_first, doy - july_first, doy - 1.0)
    feats["launch_days"] = _days(launch)
    if history is not None:
        feats.update(history.features(launch))
    if schema.with_trends:
        lookup_trend = {} if trends is None else {str(c).strip().lower(): c for c in trends.columns}
        dates = launch.to_numpy(dtype="datetime64[ns]")
        for col in schema.categorical:
            if col not in products:
                continue
            values = products[col].astype(object)
            block = np.full((len(products), 4), np.nan)
            for value in values.dropna().unique():
                name = lookup_trend.get(str(value).strip().lower())
                if name is None or trends is None:
                    continue
                rows = (values == value).to_numpy()
                block[rows] = _trend_stats(trends[name], dates[rows], trend_weeks)
            for j, stat in enumerate(("mean", "last4", "change", "last")):
                feats[f"trend_{col}_{stat}"] = block[:, j]
    return pd.DataFrame(feats, index=products.index)


# ------------------------------------------------------------------- analogs: nearest launches


def _analog_curves(
    past: np.ndarray,
    past_doy: np.ndarray,
    Y: np.ndarray,
    new: np.ndarray,
    new_doy: np.ndarray,
    k: int,
) -> np.ndarray:
    """Mean curve of the ``k`` past launches nearest to each new one.

    The distance is the number of categorical attributes that differ (an unknown value differs from
    every value) plus the gap between the launch days of the year over 366 (less than one attribute:
    it only orders launches with as many attributes in common). Ties go to the earlier row.

    Parameters
    ----------
    past, new : numpy.ndarray
        Level codes of the categorical attributes (n, attributes), NaN for an unknown value.
    past_doy, new_doy : numpy.ndarray
        Launch day of the year; NaN for a missing launch date (no timing term).
    Y : numpy.ndarray
        Weekly units of the past launches (n_past, horizon).
    k : int
        Neighbours averaged (all past launches when fewer).

    Returns
    -------
    numpy.ndarray
        (n_new, horizon) mean weekly units of the neighbours.
    """
    k = min(int(k), len(past))
    units = Y.clip(min=0)
    out = np.empty((len(new), Y.shape[1]))
    tie = np.arange(len(past)) * 1e-9  # below any gap of one day (1 / 366)
    for start in range(0, len(new), _CHUNK):
        rows = slice(start, start + _CHUNK)
        dist = np.abs(past_doy[None, :] - new_doy[rows, None])  # in place: n_new x n_past
        np.minimum(dist, 365.0 - dist, out=dist)
        dist /= 366.0
        np.nan_to_num(dist, copy=False)
        dist += tie[None, :]
        for j in range(past.shape[1]):
            dist += past[None, :, j] != new[rows, None, j]
        nearest = np.argpartition(dist, k - 1, axis=1)[:, :k]
        out[rows] = units[nearest].mean(axis=1)
    return out


def _blend(model: np.ndarray, analogs: np.ndarray, weight: float) -> np.ndarray:
    """The weighted geometric mean (on the ``log1p`` scale) of two forecasts."""
    out: np.ndarray = np.expm1(weight * np.log1p(model) + (1.0 - weight) * np.log1p(analogs))
    return out


def _blend_weight(actual: np.ndarray, model: np.ndarray, analogs: np.ndarray) -> float:
    """The weight of the model (0, 0.1, .., 1) whose blend with the analogs has the lowest WAPE
    of its median (the forecast moved by the median held-out log error of each week)."""
    truth = actual.clip(min=0)
    best, best_loss = 1.0, np.inf
    for weight in np.linspace(1.0, 0.0, 11):  # ties keep the heavier model weight
        blend = np.log1p(_blend(model, analogs, float(weight)))
        shift = np.median(np.log1p(truth) - blend, axis=0)
        loss = float(np.abs(np.expm1(blend + shift).clip(min=0) - truth).sum())
        if loss < best_loss * (1.0 - 1e-9):
            best, best_loss = float(weight), loss
    return best


# ------------------------------------------------------------------------------ the model


def _quantile_names(quantiles: Sequence[float]) -> list[str]:
    names = []
    for q in quantiles:
        if not 0 < float(q) < 1:
            raise DataValidationError(f"quantiles must lie strictly between 0 and 1, got {q!r}.")
        pct = float(q) * 100
        names.append(f"p{round(pct):d}" if abs(pct - round(pct)) < 1e-9 else f"p{pct:g}")
    if len(set(names)) != len(names):
        raise DataValidationError(f"quantiles {list(quantiles)!r} repeat a value.")
    return names


class _Basis:
    """One level model and one shape model (week as a feature), fitted on one feature set."""

    def __init__(self, params: dict[str, Any], categorical: list[bool], horizon: int) -> None:
        self.params, self.categorical, self.horizon = params, categorical, horizon
        self.level: HistGradientBoostingRegressor | None = None
        self.shape: HistGradientBoostingRegressor | None = None
        self.mean_share = np.full(horizon, 1.0 / horizon)

    def _model(self, categorical: list[bool], **change: Any) -> HistGradientBoostingRegressor:
        p = {k: v for k, v in self.params.items() if not k.startswith("shape_")}
        p.update(change)
        return HistGradientBoostingRegressor(categorical_features=categorical, **p)

    def _stack(self, X: np.ndarray) -> np.ndarray:
        weeks = np.repeat(np.arange(1, self.horizon + 1, dtype=float)[None, :], len(X), axis=0)
        return np.column_stack([np.repeat(X, self.horizon, axis=0), weeks.ravel()])

    def fit(self, X: np.ndarray, Y: np.ndarray) -> _Basis:
        total = Y.clip(min=0).sum(axis=1)
        self.level = self._model(self.categorical).fit(X, np.log1p(total))
        sold = total > 0
        shares = Y[sold].clip(min=0) / total[sold, None]
        self.mean_share = shares.mean(axis=0) if sold.any() else self.mean_share
        self.shape = None
        if sold.sum() >= 20:
            model = self._model(
                [*self.categorical, False],
                max_iter=self.params["shape_max_iter"],
                max_leaf_nodes=self.params["shape_max_leaf_nodes"],
            )
            self.shape = model.fit(self._stack(X[sold]), shares.ravel())
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        assert self.level is not None
        level = np.expm1(self.level.predict(X)).clip(min=0)
        if self.shape is not None:
            share = self.shape.predict(self._stack(X)).reshape(len(X), self.horizon).clip(min=1e-6)
            share /= share.sum(axis=1, keepdims=True)
        else:
            share = np.tile(self.mean_share, (len(X), 1))
        out: np.ndarray = level[:, None] * share
        return out


class NewProductForecaster(BaseEstimator):
    """Forecast the first weeks of sales of products without history, from analogous past launches.

    A scikit-learn estimator: ``__init__`` only stores its keyword arguments (``get_params`` and
    ``set_params`` come from :class:`sklearn.base.BaseEstimator`), :meth:`fit` learns the fitted
    attributes (ending in ``_``) and returns ``self``, :meth:`predict` reads them and changes none.

    Parameters
    ----------
    horizon_weeks : int, default 12
        Weeks after launch to forecast.
    quantiles : sequence of float, default (0.1, 0.5, 0.9)
        Quantiles to report, as columns ``p10``, ``p50``, ``p90``; calibrated on out-of-fold errors.
    min_analogs : int, default 5
        A category with fewer past launches than this is forecast from all launches (``basis``
        column).
    n_folds : int, default 5
        Time-ordered blocks of the later half of the past launches whose held-out errors
        calibrate the quantiles.
    trend_weeks : int, default 52
        Weeks of the optional ``trends`` table before each launch that describe pre-launch interest.
    max_iter, learning_rate, max_leaf_nodes, min_samples_leaf, l2_regularization
        Gradient-boosting settings of the level model (and of the shape model, but for the next
        two).
    shape_max_iter, shape_max_leaf_nodes : int, default 100, 15
        Iterations and leaves of the shape model (it sees ``horizon_weeks`` rows per launch).
    n_analogs : int, default 20
        Nearest past launches whose mean curve is blended with the model's forecast, with a weight
        learned on the held-out blocks; 0 for the model alone.
    random_state : int, default 0
        Seed of the folds and the boosting.
    n_threads : int, optional
        OpenMP threads of the boosting; default one. The models are small (one row per launch,
        or per launch-week for the shape), so one thread fits 5,000 launches in well under a
        minute, and it never fights other work for the cores (OpenMP threads spin, and a busy
        machine slows a multi-threaded fit many times over).

    Attributes
    ----------
    n_launches_ : int
        Past launches fully observed over the horizon (the rows of ``curves_``).
    curves_ : pandas.DataFrame
        Weekly units of the past launches used (index ``sku``, columns ``1..horizon_weeks``).
    residuals_ : dict
        Per basis, the quantile grid (1000 x ``horizon_weeks``) of out-of-fold log errors.
    category_counts_ : pandas.Series
        Past launches per category.
    analog_weight_ : dict
        Per basis, the model's weight in its blend with the analogs' mean curve (1 = model alone).
    analog_past_ : tuple
        The past launches the analogs are drawn from: their features, launch days of the year and
        weekly units.
    history_ : LaunchHistory
        The past launches' sales the leading indicators of a launch date are read from.

    Examples
    --------
    See the module docstring; ``predict`` returns ``sku, week, mean, p10, p50, p90, basis``.

    >>> NewProductForecaster(horizon_weeks=8).get_params()["horizon_weeks"]
    8
    >>> NewProductForecaster().predict(None)
    Traceback (most recent call last):
    ...
    forecasting.exceptions.NotFittedError: NewProductForecaster is not fitted yet: call
    fit(sales, products=...) first.
    """

    def __init__(
        self,
        *,
        horizon_weeks: int = 12,
        quantiles: Sequence[float] = (0.1, 0.5, 0.9),
        min_analogs: int = 5,
        n_folds: int = 5,
        trend_weeks: int = 52,
        max_iter: int = 300,
        learning_rate: float = 0.05,
        max_leaf_nodes: int = 15,
        min_samples_leaf: int = 50,
        l2_regularization: float = 1.0,
        shape_max_iter: int = 100,
        shape_max_leaf_nodes: int = 15,
        n_analogs: int = 20,
        random_state: int = 0,
        n_threads: int | None = None,
    ) -> None:
        self.horizon_weeks = horizon_weeks
        self.quantiles = quantiles
        self.min_analogs = min_analogs
        self.n_folds = n_folds
        self.trend_weeks = trend_weeks
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.l2_regularization = l2_regularization
        self.shape_max_iter = shape_max_iter
        self.shape_max_leaf_nodes = shape_max_leaf_nodes
        self.n_analogs = n_analogs
        self.random_state = random_state
        self.n_threads = n_threads

    def _params(self, n: int) -> dict[str, Any]:
        return {
            "max_iter": int(self.max_iter),
            "learning_rate": float(self.learning_rate),
            "max_leaf_nodes": int(self.max_leaf_nodes),
            "min_samples_leaf": int(min(self.min_samples_leaf, max(2, n // 10))),
            "l2_regularization": float(self.l2_regularization),
            "random_state": int(self.random_state),
            "shape_max_iter": int(self.shape_max_iter),
            "shape_max_leaf_nodes": int(self.shape_max_leaf_nodes),
        }

    def _matrix(self, feats: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, list[bool]]:
        feats = feats[columns]
        categorical = [c in self.schema_.categorical for c in feats.columns]
        return feats.to_numpy(float), categorical

    def _analog_matrix(self, feats: pd.DataFrame, basis: str) -> np.ndarray:
        """The level codes of the categorical attributes ``basis`` uses (the analogs' distance)."""
        cols = [c for c in self.columns_[basis] if c in self.schema_.categorical]
        return feats[cols].to_numpy(float)

    def _with_analogs(self, feats: pd.DataFrame, basis: str, point: np.ndarray) -> np.ndarray:
        """The model's forecast blended with the mean curve of the nearest past launches."""
        weight = self.analog_weight_[basis]
        if weight >= 1.0:
            return point
        static, doy, Y = self.analog_past_
        analogs = _analog_curves(
            self._analog_matrix(static, basis),
            doy,
            Y,
            self._analog_matrix(feats, basis),
            feats["launch_doy"].to_numpy(float),
            int(self.n_analogs),
        )
        return _blend(point, analogs, weight)

    def fit(
        self,
        sales: SalesTable | Source,
        *,
        products: ProductsTable | Source,
        trends: pd.DataFrame | None = None,
    ) -> NewProductForecaster:
        """Learn from past launches.

        Parameters
        ----------
        sales : SalesTable, DataFrame or path
            The sales of the past launches (:func:`forecasting.inputs.validate_sales`): ``sku``,
            ``date``, ``units``, daily or weekly. See :func:`launch_curves` for which launches
            count.
        products : ProductsTable, DataFrame or path
            The past launches (:func:`forecasting.inputs.validate_products`): ``sku``,
            ``category``, attributes (text columns such as colour or fabric; numeric ones such as
            price), ``launch_date`` (default: the first sales date). ``unit_cost`` and
            ``salvage_value`` are not used as features.
        trends : pandas.DataFrame, optional
            Optional pre-launch interest: a weekly table with a ``date`` column (or index) and one
            column per attribute value, e.g. ``"culottes"``, ``"red"``, ``"linen"`` (Google-Trends
            style, 0-100; negative values count as missing). For each text attribute of a product
            whose value has a column, the mean, last-4-week mean, change and last value over the
            ``trend_weeks`` before launch become features. It is kept and reused by :meth:`predict`
            unless another table is given there.

        Returns
        -------
        NewProductForecaster
            ``self``, fitted.

        Raises
        ------
        DataValidationError
            Fewer than 10 fully observed past launches, or bad input tables.
        """
        names = _quantile_names(self.quantiles)
        horizon = int(self.horizon_weeks)
        past_launches = as_products(products)
        prods = past_launches.frame
        prods = prods.assign(sku=prods["sku"].astype(str)).drop_duplicates("sku")
        curves, launch, observed = _curves_and_launches(
            past_launches, validate_launch_sales(sales, past_launches), horizon
        )
        if len(curves) < 10:
            raise DataValidationError(
                f"products/sales: only {len(curves)} past launches have {horizon} weeks of sales "
                "after launch "
                f"({curves.attrs.get('n_censored', 0)} still selling, "
                f"{curves.attrs.get('n_without_sales', 0)} "
                "without sales rows); at least 10 are needed. Give more history or a shorter "
                "horizon_weeks."
            )
        past = prods.set_index("sku").loc[curves.index].reset_index()
        past["launch_date"] = past["sku"].map(launch)  # the first sales date where none was given
        self.names_ = names
        self.trends_ = _clean_trends(trends)
        self.schema_: _FeatureSchema = _learn_schema(past, self.trends_)
        cats = past[_CATEGORY].astype(str) if _CATEGORY in past else pd.Series("", index=past.index)
        self.category_counts_ = cats.value_counts()
        self.history_ = LaunchHistory.from_weeks(observed, launch)
        Y = curves.to_numpy(float)
        params = self._params(len(curves))
        self.models_: dict[str, _Basis] = {}
        self.columns_: dict[str, list[str]] = {}
        self.residuals_: dict[str, np.ndarray] = {}
        self.cum_residuals_: dict[str, np.ndarray] = {}
        self.analog_weight_: dict[str, float] = {}
        with threadpool_limits(limits=self._threads(), user_api="openmp"):
            self._fit_bases(past, Y, observed, launch, params)
        self.curves_ = curves
        self.n_launches_ = len(curves)
        return self

    def _threads(self) -> int:
        return 1 if self.n_threads is None else int(self.n_threads)

    def _folds(self, launch_days: np.ndarray) -> list[tuple[np.ndarray, np.ndarray, float]]:
        """Time-ordered folds: each later block of launches predicted from the launches before it.

        The later half of the past launches is cut into ``n_folds`` blocks at launch-date
        boundaries; each block is forecast by models fitted on every launch before its first
        date, which is also the last day of sales its leading indicators may use. With too few
        distinct launch dates for that, shuffled folds (no cut-off).
        """
        n, k = len(launch_days), max(2, int(self.n_folds))
        order = np.argsort(launch_days, kind="stable")
        ordered = launch_days[order]
        starts = sorted(
            {int(np.searchsorted(ordered, ordered[int(n * (0.5 + 0.5 * i / k))])) for i in range(k)}
        )
        folds = [
            (order[:a], order[a:b], float(ordered[a]))
            for a, b in zip(starts, [*starts[1:], n], strict=True)
            if a >= max(5, n // 4) and b > a
        ]
        if len(folds) >= 2:
            return folds
        shuffled = KFold(min(k, n), shuffle=True, random_state=self.random_state)
        return [(train, test, np.inf) for train, test in shuffled.split(launch_days)]

    def _fit_bases(
        self,
        past: pd.DataFrame,
        Y: np.ndarray,
        observed: pd.DataFrame,
        launch: pd.Series,
        params: dict[str, Any],
    ) -> None:
        horizon = int(self.horizon_weeks)
        static = _build_features(past, self.schema_, self.trends_, int(self.trend_weeks))
        dates = past["launch_date"]
        feats = static.assign(**self.history_.features(dates))
        days = _days(dates)
        doy = static["launch_doy"].to_numpy(float)
        self.analog_past_ = (static, doy, Y)
        observed_days = _days(launch.reindex(observed.index))
        folds = []
        for train, test, cutoff in self._folds(days):
            before = observed[observed_days < cutoff]  # the sales a planner had at the cut-off
            known = LaunchHistory.from_weeks(before, launch) if np.isfinite(cutoff) else None
            fold_feats = feats if known is None else static.assign(**known.features(dates))
            folds.append((train, test, fold_feats))
        folds_present = [(train, test, f.notna()) for train, test, f in folds]
        for basis in ("category", _FALLBACK):
            used = feats.drop(columns=[_CATEGORY], errors="ignore") if basis == _FALLBACK else feats
            self.columns_[basis] = [  # a column no fold can learn from is left out
                c
                for c in used.columns
                if used[c].notna().any()
                and all(fold[c].to_numpy()[train].any() for train, _, fold in folds_present)
            ]
            X, categorical = self._matrix(feats, self.columns_[basis])
            attrs = self._analog_matrix(static, basis)
            held = np.zeros(len(Y), dtype=bool)
            oof = np.zeros_like(Y)
            analog_oof = np.zeros_like(Y)
            for train, test, fold_feats in folds:
                X_fold, _ = self._matrix(fold_feats, self.columns_[basis])
                model = _Basis(params, categorical, horizon).fit(X_fold[train], Y[train])
                oof[test] = model.predict(X_fold[test])
                held[test] = True
                if self.n_analogs:
                    analog_oof[test] = _analog_curves(
                        attrs[train],
                        doy[train],
                        Y[train],
                        attrs[test],
                        doy[test],
                        int(self.n_analogs),
                    )
            self.analog_weight_[basis] = 1.0
            if self.n_analogs:  # the model's weight against the analogs, learned out of fold
                self.analog_weight_[basis] = _blend_weight(Y[held], oof[held], analog_oof[held])
                oof[held] = _blend(oof[held], analog_oof[held], self.analog_weight_[basis])
            actual = Y[held].clip(min=0)
            errors = np.log1p(actual) - np.log1p(oof[held])
            self.residuals_[basis] = np.quantile(errors, _GRID, axis=0)
            cum_errors = np.log1p(actual.cumsum(axis=1)) - np.log1p(oof[held].cumsum(axis=1))
            self.cum_residuals_[basis] = np.quantile(cum_errors, _GRID, axis=0)
            if basis == "category":  # the launch-time forecasts the early sales update
                self.update_ = self._fit_update(oof[held], Y[held], days[held], params)
            self.models_[basis] = _Basis(params, categorical, horizon).fit(X, Y)

    def _fit_update(
        self, prior: np.ndarray, actual: np.ndarray, days: np.ndarray, params: dict[str, Any]
    ) -> EarlySalesUpdate | None:
        """The update from early sales, learned from the held-out launches' forecasts."""
        if len(prior) < MIN_UPDATE_LAUNCHES:
            return None
        boosting = {k: v for k, v in params.items() if not k.startswith("shape_")}
        return EarlySalesUpdate(int(self.horizon_weeks), boosting).fit(prior, actual, days)

    def _predict_block(
        self,
        part: pd.DataFrame,
        basis: str,
        trends: pd.DataFrame | None,
        observed: np.ndarray | None = None,
        seen: np.ndarray | None = None,
    ) -> pd.DataFrame:
        """The forecast of ``part`` (``_order`` = row in ``part``): all weeks, or, with
        ``observed`` weeks ``1..seen[i]``, the weeks after them, updated."""
        horizon = int(self.horizon_weeks)
        feats = _build_features(
            part, self.schema_, trends, int(self.trend_weeks), history=self.history_
        )
        X, _ = self._matrix(feats, self.columns_[basis])
        point = self._with_analogs(feats, basis, self.models_[basis].predict(X))  # (n, horizon)
        seen = np.zeros(len(part), dtype=int) if seen is None else seen
        if seen.any():
            assert self.update_ is not None and observed is not None
            point = self.update_.predict(point, observed, seen)
        frames = []
        for k in np.unique(seen[seen < horizon]):
            rows = np.flatnonzero(seen == k)
            if k == 0:
                errors, cum_errors = self.residuals_[basis], self.cum_residuals_[basis]
            else:
                assert self.update_ is not None
                errors = self.update_.weekly_errors_[int(k)][:, k:]
                cum_errors = self.update_.cum_errors_[int(k)][:, k:]
            rest = point[rows, k:]
            out: dict[str, np.ndarray] = {
                "sku": np.repeat(part["sku"].to_numpy()[rows], horizon - k),
                "week": np.tile(np.arange(k + 1, horizon + 1), len(rows)),
            }
            # each grid row is an equally likely held-out error: the forecast's distribution
            weekly = np.expm1(np.log1p(rest)[:, None, :] + errors[None]).clip(min=0)
            out["mean"] = weekly.mean(axis=1).ravel()
            for q, name in zip(self.quantiles, self.names_, strict=True):
                out[name] = np.quantile(weekly, float(q), axis=1).ravel()
            cum_point = np.log1p(rest.cumsum(axis=1))[:, None, :]
            cum = np.expm1(cum_point + cum_errors[None]).clip(min=0)
            out["cum_mean"] = cum.mean(axis=1).ravel()
            out["cum_sd"] = cum.std(axis=1).ravel()
            out["_order"] = np.repeat(rows, horizon - k)
            frames.append(pd.DataFrame(out))
        columns = ["sku", "week", "mean", *self.names_, "cum_mean", "cum_sd", "_order"]
        frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
        frame["basis"] = basis
        return frame

    def predict(
        self,
        new_products: ProductsTable | Source,
        trends: pd.DataFrame | None = None,
        *,
        observed: SalesTable | Source | None = None,
        as_of: str | pd.Timestamp | None = None,
    ) -> pd.DataFrame:
        """Forecast each new product's weekly sales after launch, or the rest after its first weeks.

        Parameters
        ----------
        new_products : ProductsTable, DataFrame or path
            The new plan (:func:`forecasting.inputs.validate_products`): ``sku``, ``category``, the
            attributes used in ``fit``, ``launch_date`` (planned; without it the timing features are
            missing and the model averages over timings).
        trends : pandas.DataFrame, optional
            Interest table covering the weeks before the new launches; default: the one given to
            ``fit``.
        observed : SalesTable, DataFrame or path, optional
            The sales so far of the launched products (in season): ``sku``, ``units`` and ``date``
            or ``week`` (1 = the launch week), as :func:`~forecasting.inputs.validate_launch_sales`
            reads them; rows of several stores are summed. Each product's weeks ``1..k`` (see
            ``as_of``) are observed (a week without a row sold nothing), and the forecast is of
            weeks ``k + 1 ..``, updated from them by the model of early sales learned in ``fit``
            (:class:`~forecasting.depth.early_sales.EarlySalesUpdate`).
        as_of : date, optional
            With ``observed``: the first day not yet observed. Each product has ``k`` = the whole
            weeks between its launch and ``as_of`` observed (a product launched less than a week
            before keeps its launch-time forecast). Default: each product's weeks up to the week of
            its latest row (a product without rows keeps its launch-time forecast); give ``as_of``
            when a product may have sold nothing in its latest weeks.

        Returns
        -------
        pandas.DataFrame
            ``sku``, ``week`` (1..horizon_weeks, counted from each product's launch; with
            ``observed``, only the weeks not yet observed), ``mean``, the quantile columns (``p10``,
            ``p50``, ``p90``), ``cum_mean`` and ``cum_sd`` (mean and sd of the units of the
            forecast's weeks up to ``week`` together, calibrated on the held-out errors of those
            totals: what :func:`~forecasting.depth.first_batch_depth` uses; with ``observed``, from
            the first week not observed), ``basis`` (``"category"``, or ``"all launches"`` for a
            category with fewer than ``min_analogs`` past launches).

        Raises
        ------
        NotFittedError
            If called before :meth:`fit`.
        DataValidationError
            Bad tables; observed sales of a sku that is not in ``new_products`` or has no
            ``launch_date``; an update asked of a model fitted on fewer than 40 past launches
            with held-out forecasts.

        Examples
        --------
        With the first two weeks of a product's sales, the forecast is of weeks 3 onwards:

        >>> import numpy as np, pandas as pd
        >>> rng = np.random.default_rng(1)
        >>> n = 120
        >>> past = pd.DataFrame({"sku": [f"S{i}" for i in range(n)], "category": "coat",
        ...                      "launch_date": pd.Timestamp("2023-01-02")
        ...                      + pd.to_timedelta(7 * (np.arange(n) // 3), unit="D")})
        >>> level = rng.lognormal(3, 0.6, n)
        >>> sales = pd.DataFrame({"sku": np.repeat(past["sku"], 4),
        ...                       "week": np.tile([1, 2, 3, 4], n),
        ...                       "units": np.round(np.repeat(level, 4))})
        >>> model = NewProductForecaster(horizon_weeks=4, max_iter=30).fit(sales, products=past)
        >>> new = pd.DataFrame({"sku": ["N1"], "category": ["coat"], "launch_date": ["2023-12-04"]})
        >>> so_far = pd.DataFrame({"sku": ["N1", "N1"], "week": [1, 2], "units": [90, 95]})
        >>> model.predict(new, observed=so_far)["week"].tolist()
        [3, 4]
        """
        if not hasattr(self, "models_"):
            raise NotFittedError(
                "NewProductForecaster is not fitted yet: call fit(sales, products=...) first."
            )
        new = as_products(new_products).frame
        new = new.assign(sku=new["sku"].astype(str))
        dup = new["sku"].duplicated()
        if dup.any():
            raise DataValidationError(
                f"new_products: sku repeated: {list(new.loc[dup, 'sku'][:5])}; give one row per "
                "new product."
            )
        table = self.trends_ if trends is None else _clean_trends(trends)
        cat = new[_CATEGORY].astype(str) if _CATEGORY in new else pd.Series("", index=new.index)
        known = cat.map(self.category_counts_).fillna(0).to_numpy() >= int(self.min_analogs)
        observed_weeks, seen = self._observed(new, observed, as_of)
        frames: list[pd.DataFrame] = []
        for basis, rows in (("category", known), (_FALLBACK, ~known)):
            where = np.flatnonzero(rows)
            for start in range(0, len(where), _CHUNK):
                block = where[start : start + _CHUNK]
                with threadpool_limits(limits=self._threads(), user_api="openmp"):
                    frame = self._predict_block(
                        new.iloc[block], basis, table, observed_weeks[block], seen[block]
                    )
                frame["_order"] = block[frame["_order"].to_numpy(int)]
                frames.append(frame)
        if new.empty:
            raise DataValidationError(
                "new_products: the table has no rows; give at least one new product."
            )
        result = pd.concat(frames, ignore_index=True).sort_values(["_order", "week"], kind="stable")
        return result.drop(columns="_order").reset_index(drop=True)

    def _observed(
        self,
        new: pd.DataFrame,
        observed: SalesTable | Source | None,
        as_of: str | pd.Timestamp | None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each new product's observed weekly units (n, horizon) and whole weeks observed."""
        horizon = int(self.horizon_weeks)
        weeks = np.zeros((len(new), horizon))
        seen = np.zeros(len(new), dtype=int)
        if observed is None:
            return weeks, seen
        products = as_products(new)
        sales = validate_launch_sales(observed, products).frame
        unknown = ~sales["sku"].astype(str).isin(new["sku"])
        if unknown.any():
            raise DataValidationError(
                f"observed: sku not in new_products: {sorted(set(sales.loc[unknown, 'sku']))[:5]}; "
                "give the products of the sales so far (with their launch_date)."
            )
        launch = pd.to_datetime(new["launch_date"]) if "launch_date" in new else None
        if launch is None or launch.isna().any():
            missing = new["sku"] if launch is None else new.loc[launch.isna(), "sku"]
            raise DataValidationError(
                f"new_products: column 'launch_date': no launch date for {list(missing[:5])}; "
                "sales so far are counted in weeks from each product's launch date."
            )
        launch_days = (launch - _EPOCH).dt.days.to_numpy()
        position = pd.Series(np.arange(len(new)), index=new["sku"].to_numpy())
        row = position.reindex(sales["sku"].astype(str)).to_numpy(int)
        week = ((sales["date"] - _EPOCH).dt.days.to_numpy() - launch_days[row]) // 7 + 1
        if as_of is not None:  # the whole weeks between each launch and as_of
            seen = ((pd.Timestamp(as_of) - _EPOCH).days - launch_days) // 7
        else:  # up to the week of each product's latest row
            np.maximum.at(seen, row, week)
        seen = np.clip(seen, 0, horizon).astype(int)
        keep = (week >= 1) & (week <= seen[row])
        for mask, what in ((week < 1, "before its launch date"), (week > seen[row], "after as_of")):
            if mask.any():
                bad = sales.loc[mask, ["sku", "date"]].head(5)
                rows = ", ".join(f"{s} on {d:%Y-%m-%d}" for s, d in bad.itertuples(index=False))
                warnings.warn(
                    f"observed: {int(mask.sum())} rows dated {what} are left out: {rows}",
                    DataQualityWarning,
                    stacklevel=3,
                )
        np.add.at(weeks, (row[keep], week[keep] - 1), sales["units"].to_numpy(float)[keep])
        if seen.any() and self.update_ is None:
            raise DataValidationError(
                f"observed: this model learned from {self.n_launches_} past launches, too few "
                f"to learn how early sales predict the rest (needs {MIN_UPDATE_LAUNCHES} with "
                "held-out forecasts, about twice as many launches); fit on more past launches."
            )
        return weeks, seen
