"""Past launches as analogs: the weekly sales after each launch, and the features describing it.

A new product has no sales history; what it has is the attributes it shares with past launches
(category, colour, fabric, price...), its launch date (a style launched before the autumn surge
sells differently from one launched after it) and, optionally, how much interest its attributes drew
before launch (a weekly search-interest table such as Google Trends, one column per attribute
value).

Launch timing is encoded as the day of the year (sine and cosine), the weekday and the date itself
(the trend of the business). The 24 solar terms fall on the same Gregorian dates to within a day, so
the day of the year places a launch against 立秋, 白露 or 寒露 as well as their dates would.

Examples
--------
>>> import pandas as pd
>>> products = pd.DataFrame({"sku": ["A"], "category": ["coat"], "launch_date": ["2024-09-02"]})
>>> sales = pd.DataFrame({"sku": ["A", "A", "A"], "units": [5.0, 7.0, 2.0],
...                       "date": ["2024-09-02", "2024-09-05", "2024-09-10"]})
>>> launch_curves(products, sales, horizon_weeks=2)
week    1    2
sku
A     12.0  2.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import read_products, read_sales
from forecasting.inputs.tables import Source

__all__ = ["launch_curves"]

_NOT_FEATURES = {"sku", "launch_date", "unit_cost", "salvage_value"}
_EPOCH = pd.Timestamp("2000-01-01")
_MAX_LEVELS = 250


def _launch_dates(products: pd.DataFrame, sales: pd.DataFrame) -> pd.Series:
    first = sales.groupby("sku")["date"].min()
    out = products["sku"].map(first)
    if "launch_date" in products:
        given = products["launch_date"]
        out = given.where(given.notna(), out)
    return pd.Series(pd.to_datetime(out).to_numpy(), index=products["sku"].to_numpy())


def launch_curves(
    products: Source,
    sales: Source,
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
    products : DataFrame or path
        Past launches (:func:`forecasting.inputs.read_products`): ``sku``, ``category``, optional
        ``launch_date`` (default: the sku's first sales date).
    sales : DataFrame or path
        Their sales (:func:`forecasting.inputs.read_sales`) with a ``sku`` column, daily or weekly.
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
    curves, _ = _curves_and_launches(read_products(products), read_sales(sales), horizon)
    return curves


def _curves_and_launches(
    prods: pd.DataFrame, hist: pd.DataFrame, horizon: int
) -> tuple[pd.DataFrame, pd.Series]:
    """:func:`launch_curves` on canonical tables, also returning each sku's launch date."""
    if "sku" not in hist.columns:
        raise DataValidationError(
            f"{hist.attrs.get('source', 'sales')}: no 'sku' column; the sales of past launches "
            "must name "
            "the sku of each row (map your column with columns={'your name': 'sku'})."
        )
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
    observed = (last_date - launch).dt.days // 7 + 1 >= horizon
    complete = launch.index[observed.to_numpy() & launch.index.isin(hist["sku"].unique())]
    curves = weekly.reindex(complete).fillna(0.0).astype(float)
    curves.index.name, curves.columns.name = "sku", "week"
    curves.attrs["n_censored"] = int((~observed).sum())
    curves.attrs["n_without_sales"] = int((~has_sales).sum())
    return curves, launch


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


def _build_features(
    products: pd.DataFrame,
    schema: _FeatureSchema,
    trends: pd.DataFrame | None,
    trend_weeks: int,
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
    feats["launch_days"] = ((launch - _EPOCH).dt.days).to_numpy(float)
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
