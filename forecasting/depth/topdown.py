"""Top-down demand of a new product: the forecast of its launch window times its share.

A new style without analogs still has a data-based estimate: the stores' forecast says how much the
brand will sell in the weeks the style is on shelf, and an assortment plan (or the launches of past
seasons) says what share of that one style takes. :func:`top_down_demand` gives each product

- ``window_units``: the brand's forecast demand over the product's first ``horizon_weeks`` on shelf,
  ``[shelf_start, shelf_start + 7 * horizon_weeks)``, summed over stores and days
  (:func:`forecast_window`);
- ``window_sd``: the uncertainty of that sum, from the forecast's own quantiles: each row's sd is
  ``(p_hi - p_lo) / (z_hi - z_lo)`` from its outermost quantiles, and the rows' sds are *added*
  (stores and days of one season rise and fall together; this errs on the wide side, as
  :func:`~forecasting.depth.first_batch.demand_table` does with weeks);
- ``share`` and ``share_cv``: the product's share of that demand and its coefficient of variation,
  in this order of sources:

  1. ``plan_share``, a column of the products table: the share of the brand's sales in the
     style's launch window that the assortment plan gives it (``0 < share <= 1``). A planner's
     share is often off by half, so its CV is ``plan_share_cv`` (default 0.5);
  2. the shares past launches of the same category took of the brand's sales in their first
     ``horizon_weeks`` (``past_shares``, from :func:`launch_shares`): their mean, and their spread
     as the CV, when the category has ``min_launches`` of them;
  3. otherwise no top-down estimate: the product is left out, and a warning names it and says how
     to give it one;

- ``mean = window_units * share`` and ``sd = mean * cv``, where the window total and the share are
  taken as independent log-normal factors: ``cv**2 = (1 + cv_window**2) (1 + share_cv**2) - 1``;
- ``basis``: how the estimate was made, in words.

The result (``sku, mean, sd, basis, ...``) is what :func:`~forecasting.depth.combine_judgments`
takes as ``model_forecast``: the data estimate the judgments are blended with.

Examples
--------
>>> import pandas as pd
>>> days = pd.date_range("2012-03-05", periods=14)
>>> forecast = pd.DataFrame({"store": "S1", "date": days, "mean": 100.0,
...                          "p10": 100.0, "p90": 100.0})
>>> products = pd.DataFrame({"sku": ["A"], "category": ["coat"], "plan_share": [0.05],
...                          "shelf_start": [pd.Timestamp("2012-03-05")]})
>>> out = top_down_demand(forecast, products, horizon_weeks=2)
>>> out[["sku", "window_units", "share", "mean", "sd"]]
  sku  window_units  share  mean    sd
0   A        1400.0   0.05  70.0  35.0
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from forecasting.depth.first_batch import outer_quantile_sd
from forecasting.exceptions import DataValidationError
from forecasting.inputs.frequency import require_calendar_periods
from forecasting.inputs.readers import (
    ProductsTable,
    SalesTable,
    as_products,
    as_sales,
)
from forecasting.inputs.tables import Source
from forecasting.inputs.validation import data_warning

__all__ = [
    "DEFAULT_SHARE_CV",
    "combine_cv",
    "forecast_window",
    "launch_shares",
    "top_down_demand",
]

DEFAULT_SHARE_CV = 0.5
"""CV of a planner's share of the brand's sales for one style: such a share is often off by half."""


def combine_cv(*cvs: float) -> float:
    """The coefficient of variation of a product of independent log-normal factors.

    ``1 + cv**2 = prod(1 + cv_i**2)``: the second moments of independent factors multiply.

    Parameters
    ----------
    *cvs : float
        The factors' coefficients of variation (each >= 0).

    Returns
    -------
    float

    Examples
    --------
    >>> round(combine_cv(0.3, 0.5), 4)  # sqrt(1.09 * 1.25 - 1)
    0.6021
    >>> combine_cv(0.0, 0.5)
    0.5
    """
    product = 1.0
    for cv in cvs:
        if not cv >= 0:
            raise DataValidationError(f"a coefficient of variation must be >= 0, got {cv!r}.")
        product *= 1.0 + float(cv) ** 2
    return math.sqrt(product - 1.0)


def forecast_window(forecast: pd.DataFrame, start: pd.Timestamp, weeks: int) -> pd.DataFrame:
    """The rows of a store forecast in a product's selling window ``[start, start + 7 weeks)``.

    Parameters
    ----------
    forecast : pandas.DataFrame
        A forecast with a ``date`` column (``store, date, mean, p10, ...`` as
        :meth:`DemandForecaster.predict <forecasting.models.DemandForecaster.predict>` gives).
    start : pandas.Timestamp
        The first day on shelf.
    weeks : int
        Weeks in the window.

    Returns
    -------
    pandas.DataFrame
        The forecast rows dated from ``start`` to ``start + 7 * weeks - 1`` days.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"date": pd.date_range("2012-03-01", periods=30), "mean": 1.0})
    >>> len(forecast_window(f, pd.Timestamp("2012-03-05"), 2))
    14
    """
    end = pd.Timestamp(start) + pd.Timedelta(days=7 * int(weeks) - 1)
    return forecast[(forecast["date"] >= start) & (forecast["date"] <= end)]


def _window_total(
    forecast: pd.DataFrame, start: pd.Timestamp, weeks: int, step: pd.Timedelta
) -> tuple[float, float] | None:
    """Sum and sd of the forecast over the window; None when the forecast does not cover it."""
    end = start + pd.Timedelta(days=7 * weeks - 1)
    first, last = forecast["date"].min(), forecast["date"].max()
    if first > start + step - pd.Timedelta(days=1) or last < end - step + pd.Timedelta(days=1):
        return None
    window = forecast_window(forecast, start, weeks)
    sd = outer_quantile_sd(window)
    return float(window["mean"].sum()), 0.0 if sd is None else float(sd.sum())


def launch_shares(
    history_products: ProductsTable | Source,
    history_sales: SalesTable | Source,
    sales: SalesTable | Source,
    horizon_weeks: int,
) -> pd.DataFrame:
    """The share each past launch took of the brand's sales in its first ``horizon_weeks``.

    Parameters
    ----------
    history_products : ProductsTable, DataFrame or path
        Past launches: ``sku``, ``category``, optional ``launch_date`` (default: the sku's first
        sales date).
    history_sales : SalesTable, DataFrame or path
        Their sales: ``sku``, ``date``, ``units`` (calendar dates, or weeks since each launch:
        ``"W-LAUNCH"``).
    sales : SalesTable, DataFrame or path
        The brand's sales (all products; any series keys), whose total per day is the
        denominator: in calendar days or weeks (sales in weeks since launch, ``"W-LAUNCH"``, are
        refused: their dates do not line up to add up).
    horizon_weeks : int
        Weeks after launch to measure the share over.

    Returns
    -------
    pandas.DataFrame
        One row per past launch whose window the brand's sales cover: ``sku, category,
        launch_date, units, brand_units, share``.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2011-03-07", periods=28)
    >>> brand = pd.DataFrame({"date": days, "units": 1000.0})
    >>> past = pd.DataFrame({"sku": ["H1"], "category": ["coat"],
    ...                      "launch_date": [pd.Timestamp("2011-03-07")]})
    >>> past_sales = pd.DataFrame({"sku": "H1", "date": days[:14], "units": 10.0})
    >>> launch_shares(past, past_sales, brand, 2)[["sku", "units", "brand_units", "share"]]
      sku  units  brand_units  share
    0  H1  140.0      14000.0   0.01
    """
    if int(horizon_weeks) < 1:
        raise DataValidationError(f"horizon_weeks must be >= 1, got {horizon_weeks!r}.")
    weeks = int(horizon_weeks)
    past = as_products(history_products).frame
    launched = as_sales(history_sales).frame
    brand_table = as_sales(sales)
    require_calendar_periods(brand_table, "measuring past launches' shares")
    brand = brand_table.frame.groupby("date")["units"].sum()
    if "sku" not in launched.columns:
        raise DataValidationError(
            "history_sales: column 'sku': required to measure past launches' shares is missing. "
            "Fix: give the past launches' sales per sku (sku, date, units)."
        )
    starts = launched.groupby("sku")["date"].min()
    start_of = past.set_index("sku")["launch_date"] if "launch_date" in past.columns else None
    rows = []
    for sku, category in zip(past["sku"], past["category"], strict=True):
        start = start_of.get(sku) if start_of is not None else None
        start = starts.get(sku) if start is None or pd.isna(start) else start
        if start is None or pd.isna(start):
            continue
        start = pd.Timestamp(start)
        end = start + pd.Timedelta(days=7 * weeks - 1)
        if brand.index.min() > start or brand.index.max() < end:
            continue
        own = launched[(launched["sku"] == sku) & launched["date"].between(start, end)]
        total = float(brand[(brand.index >= start) & (brand.index <= end)].sum())
        if total <= 0:
            continue
        units = float(own["units"].sum())
        rows.append((sku, category, start, units, total, units / total))
    return pd.DataFrame(
        rows, columns=["sku", "category", "launch_date", "units", "brand_units", "share"]
    )


def _history_share(
    past_shares: pd.DataFrame | None, category: object, min_launches: int
) -> tuple[float, float, int] | None:
    if past_shares is None or not isinstance(category, str):
        return None
    same = past_shares.loc[past_shares["category"] == category, "share"].dropna()
    if len(same) < min_launches or not same.mean() > 0:
        return None
    return float(same.mean()), float(same.std(ddof=1) / same.mean()), len(same)


def top_down_demand(
    forecast: pd.DataFrame,
    products: ProductsTable | Source,
    horizon_weeks: int,
    *,
    past_shares: pd.DataFrame | None = None,
    plan_share_cv: float = DEFAULT_SHARE_CV,
    min_launches: int = 3,
) -> pd.DataFrame:
    """Each new product's demand over its first weeks: the window's forecast times its share.

    See the module notes for the method.

    Parameters
    ----------
    forecast : pandas.DataFrame
        The brand's forecast per store and day (or week): ``store, date, mean`` and quantile
        columns (``p10, p50, p90``), as :meth:`DemandForecaster.predict
        <forecasting.models.DemandForecaster.predict>` gives (without quantiles the window total is
        taken as certain). It must cover each product's window.
    products : ProductsTable, DataFrame or path
        The planned products (:func:`~forecasting.inputs.validate_products`): ``sku``,
        ``category``, the first day on shelf in ``shelf_start`` (as the launch calendar gives,
        :func:`~forecasting.timing.assign_waves`) or else ``launch_date``, optional ``wave``
        (named in the basis) and ``plan_share``.
    horizon_weeks : int
        Weeks on shelf the demand is wanted for.
    past_shares : pandas.DataFrame, optional
        Shares of past launches (``category, share``; :func:`launch_shares`), used for products
        without a ``plan_share``.
    plan_share_cv : float, default 0.5
        Coefficient of variation of a planner's ``plan_share`` (:data:`DEFAULT_SHARE_CV`).
    min_launches : int, default 3
        Past launches of a category needed to take its share from history.

    Returns
    -------
    pandas.DataFrame
        One row per product with a share: ``sku, mean, sd, basis, window_units, window_sd,
        share, share_cv``. Products without a share are left out (with a warning).

    Raises
    ------
    DataValidationError
        ``horizon_weeks`` below 1, a negative ``plan_share_cv``, products without ``shelf_start``
        or ``launch_date``, a forecast without ``date``/``mean`` or that does not cover a
        product's window.

    Warns
    -----
    DataQualityWarning
        Products without a share: named, with how to give one.

    Examples
    --------
    >>> import pandas as pd
    >>> days = pd.date_range("2012-03-05", periods=28)
    >>> forecast = pd.DataFrame({"store": "S1", "date": days, "mean": 1000.0,
    ...                          "p10": 1000.0 - 128.155, "p90": 1000.0 + 128.155})
    >>> products = pd.DataFrame({"sku": ["A", "B"], "category": ["coat", "knit"],
    ...                          "plan_share": [0.01, 0.02],
    ...                          "shelf_start": pd.to_datetime(["2012-03-05", "2012-03-12"])})
    >>> out = top_down_demand(forecast, products, horizon_weeks=2, plan_share_cv=0.5)
    >>> out[["sku", "window_units", "window_sd", "mean", "sd"]].round(1)
      sku  window_units  window_sd   mean     sd
    0   A       14000.0     1400.0  140.0   71.7
    1   B       14000.0     1400.0  280.0  143.5
    >>> round(float(out.loc[0, "sd"] / out.loc[0, "mean"]), 4)  # sqrt(1.01 * 1.25 - 1)
    0.5123
    """
    if int(horizon_weeks) < 1:
        raise DataValidationError(f"horizon_weeks must be >= 1, got {horizon_weeks!r}.")
    if not plan_share_cv >= 0:
        raise DataValidationError(
            f"plan_share_cv must be >= 0 (a coefficient of variation), got {plan_share_cv!r}."
        )
    weeks = int(horizon_weeks)
    missing = [c for c in ("date", "mean") if c not in forecast.columns]
    if missing:
        raise DataValidationError(
            f"forecast: column(s) {missing} missing. Fix: give the stores' forecast (store, date, "
            "mean, p10, p90) as DemandForecaster.predict returns it."
        )
    table = as_products(products)
    frame, label = table.frame, table.source
    start_col = "shelf_start" if "shelf_start" in frame.columns else "launch_date"
    if start_col not in frame.columns or frame[start_col].isna().any():
        raise DataValidationError(
            f"{label}: column 'shelf_start': every product needs its first day on shelf to "
            "find its window in the forecast. Fix: give shelf_start (the launch calendar's) or "
            "launch_date for each product."
        )
    dates = np.sort(pd.to_datetime(forecast["date"]).unique())
    step = pd.Timedelta(np.diff(dates).min()) if len(dates) > 1 else pd.Timedelta(days=1)
    shares = frame["plan_share"] if "plan_share" in frame.columns else None
    rows, uncovered = [], []
    no_share = np.zeros(len(frame), dtype=bool)
    for i, (_, product) in enumerate(frame.iterrows()):
        sku, start = str(product["sku"]), pd.Timestamp(product[start_col])
        where = f" {product['wave']}" if isinstance(product.get("wave"), str) else ""
        if shares is not None and pd.notna(shares.iloc[i]):
            share, share_cv = float(shares.iloc[i]), float(plan_share_cv)
            how = f"plan share {share:.3%} (CV {share_cv:.2f})"
        else:
            past = _history_share(past_shares, product.get("category"), int(min_launches))
            if past is None:
                no_share[i] = True
                continue
            share, share_cv, n = past
            how = (
                f"{product['category']} launch share {share:.3%} (mean of {n} past launches, "
                f"CV {share_cv:.2f})"
            )
        total = _window_total(forecast, start, weeks, step)
        if total is None:
            uncovered.append(sku)
            continue
        window_units, window_sd = total
        cv_window = window_sd / window_units if window_units > 0 else 0.0
        mean = window_units * share
        rows.append(
            {
                "sku": sku,
                "mean": mean,
                "sd": mean * combine_cv(cv_window, share_cv),
                "basis": (
                    f"top-down: {window_units:,.0f} units forecast for the{where} window "
                    f"{start:%Y-%m-%d} + {weeks} weeks (CV {cv_window:.2f}) x {how}"
                ),
                "window_units": window_units,
                "window_sd": window_sd,
                "share": share,
                "share_cv": share_cv,
            }
        )
    if uncovered:
        raise DataValidationError(
            f"forecast: it runs {pd.Timestamp(dates[0]):%Y-%m-%d} .. "
            f"{pd.Timestamp(dates[-1]):%Y-%m-%d} and does not cover the first {weeks} weeks on "
            f"shelf of sku(s) {uncovered[:5]}. Fix: forecast further ahead."
        )
    if no_share.any():
        data_warning(
            label,
            "plan_share",
            f"{int(no_share.sum())} product(s) have no share of the brand's sales to estimate "
            "their demand top-down from the forecast, so no data estimate assists the judges "
            "for them",
            "give each a plan_share (the share of the brand's sales in its launch window the "
            "assortment plan gives it, e.g. 0.0006 for 0.06 %), or past launches "
            "(history_products and history_sales)",
            frame,
            no_share,
            show=["sku"],
        )
    columns = ["sku", "mean", "sd", "basis", "window_units", "window_sd", "share", "share_cv"]
    return pd.DataFrame(rows, columns=columns)
