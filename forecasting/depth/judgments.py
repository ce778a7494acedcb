"""Judgments of planners and sales staff as a calibrated demand distribution, blended with a model.

Fisher and Raman's "accurate response" (Sport Obermeyer, Harvard Business Review 1994; Operations
Research 1996): a panel's estimates of a new style are averaged, and the *disagreement* between the
panel members predicts how wrong the average will be. Obermeyer found the actual error ran at about
twice the panel's standard deviation. :func:`combine_judgments` therefore gives each product

- ``judge_mean``: the mean of the judges' estimates;
- ``judge_dispersion``: their standard deviation (``ddof=1``); for a product with one judge, that
  judge's estimate times the median coefficient of variation of the multi-judge products in the same
  call;
- ``calibration_factor``: ``k`` with ``judge_sd = k * judge_dispersion``. With ``history`` (past
  judgments with their actual outcome) ``k = sqrt(mean(z**2))``, where
  ``z = (actual - panel mean) / panel dispersion``, over the past products with at least two judges
  (needs ``min_history`` of them); otherwise ``default_factor = 2`` (Fisher & Raman's finding);
- blended with the model's distribution when ``model_forecast`` is given:

  * ``judge_weight=None`` (default): precision weighting, the normal-normal update that treats the
    two as independent estimates: ``w = sd_model**2 / (sd_judges**2 + sd_model**2)``,
    ``mean = w m_j + (1 - w) m_m``, ``sd = sqrt(1 / (1 / sd_judges**2 + 1 / sd_model**2))``;
  * ``judge_weight=w`` (a number in [0, 1]): a linear opinion pool, the mixture of both
    distributions with weight ``w`` on the judges: same mean,
    ``sd**2 = w sd_j**2 + (1 - w) sd_m**2 + w (1 - w) (m_j - m_m)**2``, which keeps the
    disagreement between judges and model in the spread (more cautious).

  ``judge_weight`` in the output shows how much the judges count for each product.

Examples
--------
>>> import pandas as pd
>>> j = pd.DataFrame({"sku": ["A", "A", "A"], "forecaster": ["buyer", "store", "planner"],
...                   "units": [80.0, 100.0, 120.0]})
>>> combine_judgments(j)[["sku", "judge_mean", "judge_dispersion", "calibration_factor", "sd"]]
  sku  judge_mean  judge_dispersion  calibration_factor    sd
0   A       100.0              20.0                 2.0  40.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecasting.depth.first_batch import demand_table
from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import JudgmentsTable, as_judgments
from forecasting.inputs.tables import Source

__all__ = ["calibrate_dispersion", "combine_judgments"]

DEFAULT_FACTOR = 2.0


def _panel(judgments: pd.DataFrame) -> pd.DataFrame:
    per_judge = judgments.groupby(["sku", "forecaster"], sort=False)["units"].sum()
    grouped = per_judge.groupby(level="sku", sort=False)
    return pd.DataFrame(
        {
            "n_judges": grouped.size(),
            "judge_mean": grouped.mean(),
            "judge_dispersion": grouped.std(ddof=1),
        }
    )


def calibrate_dispersion(
    history: JudgmentsTable | Source, min_history: int = 5
) -> tuple[float, int]:
    """The factor turning a panel's dispersion into the sd of its error, learned from past outcomes.

    Parameters
    ----------
    history : JudgmentsTable, DataFrame or path
        Past judgments (:func:`forecasting.inputs.validate_judgments`): ``sku``, ``forecaster``,
        ``units`` and ``actual`` (the demand that came; one value
        per sku, repeated on each of its rows).
    min_history : int, default 5
        Past products (with two or more judges who disagree) needed.

    Returns
    -------
    (float, int)
        ``k = sqrt(mean(z**2))`` with ``z = (actual - panel mean) / panel sd``, and the number of
        past products it rests on.

    Raises
    ------
    DataValidationError
        Missing columns, non-numeric values, several actuals for one sku, or too few usable
        products.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"sku": list("aabbcc"), "forecaster": ["x", "y"] * 3,
    ...                   "units": [90, 110, 45, 55, 180, 220],
    ...                   "actual": [130, 130, 40, 40, 140, 140]})
    >>> k, n = calibrate_dispersion(h, min_history=3)
    >>> round(k, 3), n  # z = 2.12, -1.41, -2.12
    (1.915, 3)
    """
    past = as_judgments(history)
    hist = past.frame
    if "actual" not in hist.columns:
        raise DataValidationError(
            f"{past.source}: no 'actual' column; give past judgments "
            "(sku, forecaster, "
            "units) with the actual demand of each sku over the same horizon in an 'actual' column."
        )
    hist = hist.assign(sku=hist["sku"].astype(str))
    for col in ("actual",):
        values = pd.to_numeric(hist[col], errors="coerce")
        bad = values.isna() | ~np.isfinite(values.astype(float))
        if bad.any():
            rows = hist.loc[bad, ["sku", "forecaster", col]].head(5).to_dict("records")
            raise DataValidationError(
                f"history: column {col!r} has values that are not finite numbers: {rows}. Fix or "
                "drop them."
            )
        hist[col] = values.astype(float)
    several = hist.groupby("sku")["actual"].nunique() > 1
    if several.any():
        raise DataValidationError(
            f"history: several 'actual' values for sku(s) {list(several[several].index[:5])}; "
            "give one actual demand per sku."
        )
    panel = _panel(hist.rename(columns={"actual": "_a"}).drop(columns="_a"))
    panel["actual"] = hist.groupby("sku")["actual"].first()
    usable = panel[(panel["n_judges"] >= 2) & (panel["judge_dispersion"] > 0)]
    if len(usable) < int(min_history):
        raise DataValidationError(
            f"history: only {len(usable)} past products have two or more judges who disagree; "
            f"calibration needs {min_history}. Give more history, or leave history out to use the "
            "default "
            f"factor {DEFAULT_FACTOR}."
        )
    z = (usable["actual"] - usable["judge_mean"]) / usable["judge_dispersion"]
    return float(np.sqrt(np.mean(z.to_numpy() ** 2))), len(usable)


def combine_judgments(
    judgments: JudgmentsTable | Source,
    model_forecast: pd.DataFrame | None = None,
    history: JudgmentsTable | Source | None = None,
    *,
    horizon_weeks: int | None = None,
    judge_weight: float | None = None,
    default_factor: float = DEFAULT_FACTOR,
    min_history: int = 5,
) -> pd.DataFrame:
    """Turn the judges' estimates of each new product into a demand distribution (mean, sd).

    Parameters
    ----------
    judgments : JudgmentsTable, DataFrame or path
        Validated with :func:`forecasting.inputs.validate_judgments` (a path or DataFrame is
        validated here): ``sku``, ``forecaster``, ``units`` (the
        judge's estimate of the product's demand over the horizon), optional ``horizon_weeks``. Rows
        of one judge and sku (e.g. per store) are summed.
    model_forecast : pandas.DataFrame, optional
        The model's distribution: ``sku``, ``mean``, ``sd``, or a weekly
        :meth:`NewProductForecaster.predict
        <forecasting.depth.newproducts.NewProductForecaster.predict>`
        frame, summed over the horizon (the judgments' ``horizon_weeks``, else ``horizon_weeks``);
        a ``basis`` column, when present, is carried to ``model_basis``. Products only the model
        covers are kept with ``judge_weight`` 0.
    history : DataFrame or path, optional
        Past judgments with outcomes (``sku, forecaster, units, actual``) to calibrate the factor;
        see :func:`calibrate_dispersion`.
    horizon_weeks : int, optional
        The horizon when the judgments do not say (needed only to sum a weekly model forecast).
    judge_weight : float, optional
        Fixed weight of the judges in a linear opinion pool; default: precision weighting (module
        notes).
    default_factor : float, default 2.0
        The calibration factor without history (Fisher & Raman).
    min_history : int, default 5
        Past products needed to calibrate on history.

    Returns
    -------
    pandas.DataFrame
        Per sku: ``n_judges, judge_mean, judge_dispersion, calibration_factor, judge_sd, model_mean,
        model_sd, model_basis, judge_weight, mean, sd``. ``model_basis`` is the model forecast's
        ``basis`` column (how the estimate was made, e.g. from analogs or top-down,
        :func:`~forecasting.depth.top_down_demand`), else ``"model"``; empty without a model
        estimate. ``attrs["calibration"]`` says where the factor came from.

    Raises
    ------
    DataValidationError
        Bad judgments, one judge per product everywhere (no dispersion to learn from), negative
        estimates, a judge weight outside [0, 1], or several horizons for one sku.

    Examples
    --------
    >>> import pandas as pd
    >>> j = pd.DataFrame({"sku": ["A", "A"], "forecaster": ["buyer", "store"],
    ...                   "units": [90.0, 110.0]})
    >>> model = pd.DataFrame({"sku": ["A"], "mean": [130.0], "sd": [28.28427]})
    >>> out = combine_judgments(j, model)  # judges: sd 2 * 14.14 = 28.28, same as the model
    >>> out[["judge_mean", "judge_sd", "model_mean", "judge_weight", "mean", "sd"]].round(2)
       judge_mean  judge_sd  model_mean  judge_weight   mean    sd
    0       100.0     28.28       130.0           0.5  115.0  20.0
    """
    if judge_weight is not None and not 0 <= float(judge_weight) <= 1:
        raise DataValidationError(f"judge_weight must lie in [0, 1], got {judge_weight!r}.")
    if not default_factor > 0:
        raise DataValidationError(f"default_factor must be > 0, got {default_factor!r}.")
    table = as_judgments(judgments).frame
    table = table.assign(sku=table["sku"].astype(str), forecaster=table["forecaster"].astype(str))
    negative = table["units"] < 0
    if negative.any():
        rows = table.loc[negative, ["sku", "forecaster", "units"]].head(5).to_dict("records")
        raise DataValidationError(
            f"judgments: negative estimates {rows}; an estimate of demand is >= 0."
        )
    panel = _panel(table)
    if len(panel) and (panel["n_judges"] < 2).all():
        raise DataValidationError(
            "judgments: every product has a single judge, so there is no disagreement to measure "
            "the "
            "uncertainty from; ask at least two people per product."
        )
    multi = panel[(panel["n_judges"] >= 2) & (panel["judge_mean"] > 0)]
    cv = float((multi["judge_dispersion"] / multi["judge_mean"]).median()) if len(multi) else 0.0
    single = panel["n_judges"] < 2
    panel.loc[single, "judge_dispersion"] = panel.loc[single, "judge_mean"] * cv
    if history is not None:
        factor, n_hist = calibrate_dispersion(history, min_history)
        calibration = f"history: {n_hist} past products"
    else:
        factor, calibration = (
            float(default_factor),
            "default factor (Fisher & Raman, Sport Obermeyer)",
        )
    panel["calibration_factor"] = factor
    panel["judge_sd"] = factor * panel["judge_dispersion"]
    horizon = horizon_weeks
    if "horizon_weeks" in table.columns and table["horizon_weeks"].notna().any():
        per_sku = table.groupby("sku")["horizon_weeks"].nunique()
        if (per_sku > 1).any():
            raise DataValidationError(
                "judgments: several horizon_weeks for sku(s) "
                f"{list(per_sku[per_sku > 1].index[:5])}; "
                "all judges of a product must estimate the same span."
            )
        spans = table["horizon_weeks"].dropna().unique()
        if len(spans) > 1 and model_forecast is not None and "week" in model_forecast.columns:
            raise DataValidationError(
                f"judgments: horizon_weeks differ between products ({sorted(spans)[:5]}); sum the "
                "weekly "
                "model forecast per horizon yourself, or give judgments over one horizon."
            )
        horizon = int(spans[0])
    out = panel.reset_index()
    out["model_mean"], out["model_sd"] = np.nan, np.nan
    if model_forecast is not None:
        if "week" in model_forecast.columns and horizon is None:
            raise DataValidationError(
                "combine_judgments: the model forecast is weekly but the horizon is unknown; give "
                "horizon_weeks (or a horizon_weeks column in the judgments)."
            )
        model = demand_table(model_forecast, int(horizon or 1))
        model = model.rename(columns={"mean": "model_mean", "sd": "model_sd"})
        if "basis" in model_forecast.columns:
            basis = model_forecast.assign(sku=model_forecast["sku"].astype(str))
            model = model.merge(
                basis.groupby("sku", sort=False)["basis"].first().rename("model_basis"),
                on="sku",
                how="left",
            )
        out = out.drop(columns=["model_mean", "model_sd"]).merge(model, on="sku", how="outer")
    if "model_basis" not in out.columns:
        out["model_basis"] = "model"
    out["model_basis"] = out["model_basis"].where(out["model_mean"].notna(), None)
    out["n_judges"] = out["n_judges"].fillna(0).astype(int)
    has_j, has_m = out["judge_mean"].notna(), out["model_mean"].notna() & out["model_sd"].notna()
    vj, vm = out["judge_sd"] ** 2, out["model_sd"] ** 2
    if judge_weight is None:
        w = np.where(vj + vm > 0, vm / (vj + vm).where(vj + vm > 0, 1.0), 0.5)
    else:
        w = np.full(len(out), float(judge_weight))
    w = np.where(has_j & has_m, w, np.where(has_j, 1.0, 0.0))
    out["judge_weight"] = w
    mj, mm = out["judge_mean"].fillna(0.0), out["model_mean"].fillna(0.0)
    out["mean"] = w * mj + (1 - w) * mm
    if judge_weight is None:
        both = np.sqrt(np.where(vj + vm > 0, vj * vm / (vj + vm).where(vj + vm > 0, 1.0), 0.0))
    else:
        both = np.sqrt(w * vj.fillna(0) + (1 - w) * vm.fillna(0) + w * (1 - w) * (mj - mm) ** 2)
    out["sd"] = np.where(has_j & has_m, both, np.where(has_j, out["judge_sd"], out["model_sd"]))
    if horizon is not None:
        out["horizon_weeks"] = int(horizon)
    cols = [
        "sku",
        "n_judges",
        "judge_mean",
        "judge_dispersion",
        "calibration_factor",
        "judge_sd",
        "model_mean",
        "model_sd",
        "model_basis",
        "judge_weight",
        "mean",
        "sd",
    ]
    cols += ["horizon_weeks"] if horizon is not None else []
    result = out[cols].reset_index(drop=True)
    result.attrs["calibration"] = calibration
    return result
