"""The in-season review of a plan: read its folder and the sales so far, decide what comes next.

A plan (:func:`~forecasting.plan.write_plan`) bought and shipped each new product's first batch.
Some weeks later, :func:`review_plan` reads that plan's folder and the new products' sales so far
(per store) and, as of a date:

1. **updates each product's demand** for the weeks of its launch window not yet seen, from its
   sales so far, with the plan's distribution (``depth.csv``: the judgments blended with the data
   estimate) as the prior (:func:`~forecasting.inseason.update_demand`);
2. **sizes a second batch** with what the stores and the warehouse still hold and the reorder lead
   time (:func:`~forecasting.inseason.second_batch`): ``"none"`` when the stock suffices, with the
   expected lost sales and leftovers of each choice;
3. **places the warehouse holdback and the second batch** over the stores by each store's updated
   demand net of its stock (:func:`~forecasting.inseason.store_remaining_demand`,
   :func:`~forecasting.inseason.release_holdback`), minimums and caps of the plan still holding;
4. **re-times the waves** when the brand's sales history up to the review is given
   (:func:`~forecasting.inseason.retime_waves`): a wave arriving early moves its deliveries not yet
   made;
5. **hands over to replenishment** the products whose launch window (``horizon_weeks`` on shelf)
   has ended: from then on they are continuing products, kept in stock by
   :func:`~forecasting.allocation.replenish`, not by this review.

:func:`write_review` writes the result as one folder, complete or not at all.

Examples
--------
>>> review = review_plan("plan_dir", "sales_so_far.csv", as_of="2012-09-10")  # doctest: +SKIP
>>> write_review(review, "review_dir")  # doctest: +SKIP
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecasting.exceptions import DataValidationError, option
from forecasting.inputs.readers import validate_sales
from forecasting.inputs.tables import Source
from forecasting.inputs.validation import data_warning, plural
from forecasting.inseason import (
    release_holdback,
    retime_waves,
    second_batch,
    store_remaining_demand,
    update_demand,
)
from forecasting.inseason.second_batch import SECOND_BATCH_COLUMNS
from forecasting.language import Lang, resolve_lang
from forecasting.plan.text import round_for_csv
from forecasting.plan.writers import staged_folder, write_csv
from forecasting.timing.words import count_text, day_text

__all__ = ["Review", "review_plan", "write_review"]

_DEPTH_COLUMNS = ["sku", "mean", "sd", "price", "unit_cost", "salvage_value", "shelf_start"]
_ALLOCATION_COLUMNS = ["sku", "store", "units", "mean", "minimum", "cap"]
_DEFAULT_HORIZON = 8
_WAREHOUSE = "DC"


@dataclass
class Review:
    """What a review found and decided, as of one date.

    Attributes
    ----------
    as_of : pandas.Timestamp
        The first day not yet in the sales.
    horizon_weeks : int
        The launch window of the plan's depth (weeks on shelf).
    status : pandas.DataFrame
        One row per product of the plan: ``sku``, ``shelf_start``, ``weeks_seen``, ``stage``
        (``"not on shelf yet"``, ``"in season"``, ``"handed over to replenishment"``), ``sold``
        (units so far), ``planned_so_far`` (the plan's mean for those weeks, its flat share of the
        season), ``pace`` (``sold / planned_so_far``), ``plan_mean``,
        ``plan_sd`` (the season as planned), ``remaining_mean``, ``remaining_sd`` (the weeks not
        yet seen, updated), ``season_mean`` (sold plus remaining),
        ``shipped`` (to stores), ``holdback`` (at the warehouse) and ``store_stock`` (shipped
        minus sold).
    forecast : pandas.DataFrame
        Weekly demand of the weeks not yet seen of products in season
        (:func:`~forecasting.inseason.update_demand`).
    second_batch : pandas.DataFrame
        :data:`~forecasting.inseason.second_batch.SECOND_BATCH_COLUMNS` per product in season,
        plus ``note``.
    release : pandas.DataFrame
        Placement of the holdback and the second batch over stores
        (:func:`~forecasting.inseason.release_holdback`).
    retiming : pandas.DataFrame or None
        :func:`~forecasting.inseason.retime_waves` when the brand's history was given.
    """

    as_of: pd.Timestamp
    horizon_weeks: int
    status: pd.DataFrame
    forecast: pd.DataFrame
    second_batch: pd.DataFrame
    release: pd.DataFrame
    retiming: pd.DataFrame | None = None

    def __repr__(self) -> str:
        stages = self.status["stage"].value_counts().to_dict()
        orders = int((self.second_batch["decision"] == "order").sum())
        return (
            f"Review(as_of={self.as_of:%Y-%m-%d}, products={len(self.status)} {stages}, "
            f"second batch for {orders}, {int(self.second_batch['quantity'].sum())} units)"
        )


def _read_plan_file(folder: Path, name: str, required: list[str]) -> pd.DataFrame:
    path = folder / name
    if not path.is_file():
        raise DataValidationError(
            f"{path}: not found; give the folder written by 'launchcast plan' (--plan)."
        )
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype={"sku": str, "store": str})
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataValidationError(
            f"{path}: missing columns {missing}; it is not a launchcast plan's {name}."
        )
    return frame


def _weeks_seen(shelf_start: pd.Series, as_of: pd.Timestamp, horizon: int) -> np.ndarray:
    days = (as_of - pd.to_datetime(shelf_start)).dt.days.to_numpy()
    out: np.ndarray = np.clip(days // 7, 0, horizon).astype(int)
    return out


def review_plan(
    plan_dir: str | os.PathLike[str],
    sales: Source,
    *,
    as_of: str | pd.Timestamp | None = None,
    lead_weeks: int = 2,
    horizon_weeks: int | None = None,
    history: Source | None = None,
    market: str = "CN",
    pack_size: int = 1,
) -> Review:
    """Review a plan in season: update demand, size the second batch, place the holdback.

    Parameters
    ----------
    plan_dir : str or path-like
        The folder :func:`~forecasting.plan.write_plan` wrote (``depth.csv``, ``allocation.csv``,
        ``launch_calendar.csv`` are read).
    sales : path or DataFrame
        The new products' sales so far: ``sku``, ``date``, ``units`` and ``store`` where the plan
        allocated to stores (daily or weekly rows; read like any sales table).
    as_of : date, optional
        The first day not in the sales (default: the day after the last sales date). A product has
        seen the whole weeks between its ``shelf_start`` and ``as_of``.
    lead_weeks : int, default 2
        Weeks from ordering a second batch to its being in stores.
    horizon_weeks : int, optional
        The plan's launch window in weeks (default: ``depth.csv``'s ``horizon_weeks``, else 8,
        the plan's default).
    history : path or DataFrame, optional
        The brand's sales history up to the review (as given to the plan): with it the waves are
        re-timed (:func:`~forecasting.inseason.retime_waves`).
    market : str, default "CN"
        Calendar market of the re-timing.
    pack_size : int, default 1
        Units go to stores in whole packs.

    Returns
    -------
    Review

    Raises
    ------
    DataValidationError
        A plan file missing or not a plan's, sales of a sku the plan does not hold, or sales of a
        store the plan did not ship to.
    """
    folder = Path(plan_dir)
    depth = _read_plan_file(folder, "depth.csv", _DEPTH_COLUMNS)
    allocation = _read_plan_file(folder, "allocation.csv", _ALLOCATION_COLUMNS)
    horizon = int(
        horizon_weeks
        if horizon_weeks is not None
        else depth["horizon_weeks"].iloc[0]
        if "horizon_weeks" in depth.columns
        else _DEFAULT_HORIZON
    )
    table = validate_sales(sales)
    frame = table.frame.assign(sku=table.frame["sku"].astype(str)) if "sku" in table.frame else None
    if frame is None:
        raise DataValidationError(
            f"{table.source}: no 'sku' column; the sales so far must name each row's product."
        )
    stray = sorted(set(frame["sku"]) - set(depth["sku"]))
    if stray:
        raise DataValidationError(
            f"{table.source}: column 'sku': {plural(len(stray), 'product')} not in the plan's "
            f"depth.csv: {stray[:5]}. Fix: give the sales of the plan's new products only."
        )
    day = pd.Timestamp(as_of) if as_of is not None else frame["date"].max() + pd.Timedelta(days=1)
    seen = _weeks_seen(depth["shelf_start"], day, horizon)
    if not seen.any():
        first = pd.to_datetime(depth["shelf_start"]).min()
        raise DataValidationError(
            f"{option('as_of', f'{day:%Y-%m-%d}')}: no product of the plan has had a whole week on "
            f"shelf yet (the first shelf start is {first:%Y-%m-%d}): there are no sales to review. "
            "Fix: review a week or more after a shelf start."
        )
    later = frame["date"] >= day
    if later.any():
        data_warning(
            table.source,
            "date",
            f"{int(later.sum())} rows are dated on or after as_of {day:%Y-%m-%d}",
            "they are left out of the review; give a later as_of to count them",
            frame,
            later,
            show=["sku", "date"],
        )
        frame = frame[~later]
    shelf = depth.set_index("sku")["shelf_start"].pipe(pd.to_datetime)
    before = frame["date"] < frame["sku"].map(shelf)
    if before.any():
        data_warning(
            table.source,
            "date",
            f"{int(before.sum())} rows are dated before their product's shelf_start",
            "they are counted as sales so far; check the dates or the plan's shelf_start",
            frame,
            before,
            show=["sku", "date"],
        )
    sold = frame.groupby("sku")["units"].sum().reindex(depth["sku"]).fillna(0.0).to_numpy()
    stores_rows = allocation[allocation["store"] != _WAREHOUSE]
    shipped = stores_rows.groupby("sku")["units"].sum().reindex(depth["sku"]).fillna(0).to_numpy()
    held = (
        allocation[allocation["store"] == _WAREHOUSE]
        .groupby("sku")["units"]
        .sum()
        .reindex(depth["sku"])
        .fillna(0)
        .to_numpy()
    )
    stage = np.where(seen == 0, "not on shelf yet", "in season")
    stage = np.where(seen >= horizon, "handed over to replenishment", stage)
    status = pd.DataFrame(
        {
            "sku": depth["sku"],
            "shelf_start": pd.to_datetime(depth["shelf_start"]),
            "weeks_seen": seen,
            "stage": stage,
            "sold": sold,
            "planned_so_far": depth["mean"].to_numpy(float) * seen / horizon,
            "plan_mean": depth["mean"].to_numpy(float),
            "plan_sd": depth["sd"].to_numpy(float),
        }
    )
    observed = pd.DataFrame({"sku": depth["sku"], "units": sold, "weeks_seen": seen})
    forecast = update_demand(depth[["sku", "mean", "sd"]], observed, horizon_weeks=horizon)
    remaining = forecast.groupby("sku")[["cum_mean", "cum_sd"]].last()
    with np.errstate(divide="ignore", invalid="ignore"):
        status["pace"] = np.where(seen > 0, sold / status["planned_so_far"].to_numpy(), np.nan)
    status["remaining_mean"] = status["sku"].map(remaining["cum_mean"]).fillna(0.0)
    status["remaining_sd"] = status["sku"].map(remaining["cum_sd"]).fillna(0.0)
    status["season_mean"] = status["sold"] + status["remaining_mean"]
    status["shipped"] = shipped
    status["holdback"] = held

    # stock in each store: shipped minus sold (never below zero: more sold than shipped is said)
    store_sold = (
        frame.groupby(["sku", "store"])["units"].sum()
        if "store" in frame
        else pd.Series(dtype=float)
    )
    stock = stores_rows.set_index(["sku", "store"])["units"].astype(float)
    unknown = store_sold.index.difference(stock.index)
    if len(unknown):
        pairs = ", ".join(f"{s}@{t}" for s, t in list(unknown)[:5])
        raise DataValidationError(
            f"{table.source}: column 'store': {plural(len(unknown), 'product-store pair')} sold "
            f"that the plan did not ship to: {pairs}. Fix: check the store ids against "
            "allocation.csv."
        )
    left = stock.sub(store_sold.reindex(stock.index).fillna(0.0))
    oversold = left < 0
    if oversold.any():
        pairs = ", ".join(f"{s}@{t}" for s, t in list(left[oversold].index)[:5])
        data_warning(
            table.source,
            "units",
            f"{int(oversold.sum())} stores sold more than they were shipped ({pairs})",
            "their stock is taken as 0; check the sales against allocation.csv",
        )
    left = left.clip(lower=0).round()
    status["store_stock"] = status["sku"].map(left.groupby(level="sku").sum()).fillna(0.0)

    active = status[status["stage"] == "in season"]
    rest = forecast[forecast["sku"].isin(active["sku"])]
    weeks_left = rest.groupby("sku").size()
    decidable = weeks_left[weeks_left > int(lead_weeks)].index
    economics = depth.set_index("sku")
    batches = pd.DataFrame(columns=[*SECOND_BATCH_COLUMNS, "note"])
    if len(decidable):
        on_hand = status.set_index("sku").loc[decidable, ["store_stock", "holdback"]].sum(axis=1)
        batches = second_batch(
            rest[rest["sku"].isin(decidable)],
            stock={str(k): float(v) for k, v in on_hand.items()},
            price=economics.loc[decidable, "price"].to_dict(),
            unit_cost=economics.loc[decidable, "unit_cost"].to_dict(),
            salvage_value=economics.loc[decidable, "salvage_value"].fillna(0.0).to_dict(),
            lead_weeks=lead_weeks,
            pack_size=pack_size,
        ).assign(note="")
    too_late = [s for s in active["sku"] if s not in set(decidable)]
    if too_late:
        late = pd.DataFrame({"sku": too_late, "quantity": 0, "decision": "none"})
        late["note"] = f"the season ends within the {lead_weeks}-week lead time of a reorder"
        batches = pd.concat([batches, late], ignore_index=True)

    release = pd.DataFrame()
    if not active.empty:
        skus = list(active["sku"])
        remaining = rest.groupby("sku").agg(mean=("cum_mean", "last"), sd=("cum_sd", "last"))
        planned = stores_rows[stores_rows["sku"].isin(skus)][["sku", "store", "mean"]]
        planned = planned.rename(columns={"mean": "share"}).fillna({"share": 0.0})
        store_units = (
            store_sold.rename("units").reset_index()
            if len(store_sold)
            else pd.DataFrame(columns=["sku", "store", "units"])
        )
        demand = store_remaining_demand(
            remaining.reset_index(),
            store_units[store_units["sku"].isin(skus)],
            planned,
        )
        stores = _stores_from_allocation(stores_rows[stores_rows["sku"].isin(skus)])
        extra = batches.set_index("sku")["quantity"].reindex(skus).fillna(0).astype(int)
        release = release_holdback(
            demand,
            left.rename("units").reset_index().query("sku in @skus"),
            {s: int(h) for s, h in zip(active["sku"], active["holdback"], strict=True)},
            stores=stores,
            second_batch={str(k): int(v) for k, v in extra.items()},
            pack_size=pack_size,
            soft_minimums=True,
        )
    retiming = None
    if history is not None:
        calendar = _read_plan_file(
            folder, "launch_calendar.csv", ["wave", "anchor", "delivery_date"]
        )
        retiming = retime_waves(calendar, history, as_of=day, market=market)
    return Review(
        as_of=day,
        horizon_weeks=horizon,
        status=status,
        forecast=forecast[forecast["sku"].isin(active["sku"])].reset_index(drop=True),
        second_batch=batches,
        release=release,
        retiming=retiming,
    )


def _stores_from_allocation(rows: pd.DataFrame) -> pd.DataFrame:
    """The plan's minimums and caps per store, as a stores table (the largest over products)."""
    table = rows.groupby("store").agg(min_units=("minimum", "max"), max_units=("cap", "max"))
    return table.reset_index()


def write_review(
    review: Review,
    out_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    lang: str | None = None,
    market: str = "CN",
) -> dict[str, Path]:
    """Write the review's folder, complete or not at all; return the files by what they hold.

    Parameters
    ----------
    review : Review
        The result of :func:`review_plan`.
    out_dir : str or path-like
        The folder; an existing non-empty one is refused unless ``overwrite``.
    overwrite : bool, default False
        Replace an existing folder whole.
    lang : {"zh", "en"}, optional
        The language of ``summary.md`` (default: Chinese for a Chinese ``market``); the CSV files
        keep the canonical English column names.
    market : str, default "CN"
        The market that sets the default language.

    Returns
    -------
    dict of str to pathlib.Path
    """
    text = review_summary(review, lang, market)  # an unknown language fails before writing
    with staged_folder(Path(out_dir), overwrite=overwrite) as staging:
        files = {
            "status of each product": write_csv(
                round_for_csv(review.status), staging / "status.csv"
            ),
            "updated weekly demand": write_csv(
                round_for_csv(review.forecast), staging / "forecast.csv"
            ),
            "second batch": write_csv(
                round_for_csv(review.second_batch), staging / "second_batch.csv"
            ),
            "holdback and second batch by store": write_csv(
                review.release, staging / "release.csv"
            ),
        }
        if review.retiming is not None:
            files["wave re-timing"] = write_csv(
                round_for_csv(review.retiming), staging / "retiming.csv"
            )
        summary = staging / "summary.md"
        summary.write_text(text, encoding="utf-8")
        files["summary"] = summary
    final = Path(out_dir)
    return {what: final / path.name for what, path in files.items()}


def _units(value: object) -> str:
    return f"{float(value):,.0f}"  # type: ignore[arg-type]


_WORDS = {
    "title": ("# In-season review as of {day}", "# 季中复盘（截至 {day}）"),
    "products": ("{n} products: {stages}.", "共 {n} 款：{stages}。"),
    "not on shelf yet": ("not on shelf yet", "尚未上架"),
    "in season": ("in season", "在季"),
    "handed over to replenishment": ("handed over to replenishment", "已转补货"),
    "header": (
        "| sku | weeks on shelf | sold | plan for those weeks | pace | season as planned "
        "| season as updated | second batch |",
        "| 款号 | 上架周数 | 已售 | 同期计划 | 进度 | 计划全季 | 更新后全季 | 追单 |",
    ),
    "units": ("{n} units", "{n} 件"),
    "none": ("none", "不追单"),
    "too late": (
        "the season ends within the lead time of a reorder",
        "追单到货前本季已结束",
    ),
    "order": (
        "- {sku}: order {q} units; expected lost sales {lost} and leftovers {left} (without it: "
        "{lost0} lost, {left0} left).",
        "- {sku}：追单 {q} 件；预计缺货 {lost} 件、剩余 {left} 件（不追单：缺货 {lost0} 件、"
        "剩余 {left0} 件）。",
    ),
    "release": (
        "Holdback and second batch placed over {stores} stores: {units} units (release.csv).",
        "仓库留存与追单分配到 {stores} 家门店：共 {units} 件（release.csv）。",
    ),
    "retimed": (
        "Waves re-timed: {moved} of {n} moved (retiming.csv).",
        "波段重新定时：{n} 个波段中 {moved} 个调整（retiming.csv）。",
    ),
    "how": (
        "The updated season weighs the sales so far against the plan's own uncertainty: the "
        "narrower the plan's range, the more weeks of sales it takes to move it.",
        "更新后的全季需求按计划本身的不确定性权衡已售数据：计划区间越窄，需要越多周的销售才能改变它。",
    ),
    "no history": (
        "Waves not re-timed: give the brand's sales history up to the review (--history).",
        "未重新定时波段：请提供截至复盘日的品牌销售历史（--history）。",
    ),
    "handed": (
        "{n} ended their {weeks}-week launch window: from now on they are replenished as "
        "continuing products (launchcast replenish).",
        "{n}已结束 {weeks} 周的上新期：此后按常规款补货（launchcast replenish）。",
    ),
}


def _say(key: str, lang: Lang, **fields: object) -> str:
    en, zh = _WORDS[key]
    return (zh if lang == "zh" else en).format(**fields)


def review_summary(review: Review, lang: str | None = None, market: str = "CN") -> str:
    """The review in words, as Markdown, in ``lang`` (default: Chinese for a Chinese market).

    Examples
    --------
    >>> review = review_plan("plan_dir", "sales_so_far.csv")  # doctest: +SKIP
    >>> print(review_summary(review, lang="en"))  # doctest: +SKIP
    """
    language = resolve_lang(lang, market)
    status = review.status
    stages = status["stage"].value_counts()
    lines = [
        _say("title", language, day=day_text(review.as_of, language)),
        "",
        _say(
            "products",
            language,
            n=len(status),
            stages=("、" if language == "zh" else ", ").join(
                f"{n} {_say(str(stage), language)}" for stage, n in stages.items()
            ),
        ),
        "",
        _say("header", language),
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    decisions: dict[str, str] = {}
    for b in review.second_batch.to_dict("records"):
        text = (
            _say("units", language, n=f"{int(b['quantity']):,}")
            if b["decision"] == "order"
            else _say("none", language)
        )
        decisions[str(b["sku"])] = text + (
            f" ({_say('too late', language)})" if b.get("note") else ""
        )
    for row in status.to_dict("records"):
        pace = float(row["pace"])
        updated = (
            f"{_units(row['season_mean'])} ± {_units(row['remaining_sd'])}"
            if row["stage"] == "in season"
            else "-"
        )
        lines.append(
            f"| {row['sku']} | {row['weeks_seen']} | {_units(row['sold'])} "
            f"| {_units(row['planned_so_far'])} | {f'{pace:.0%}' if np.isfinite(pace) else '-'} "
            f"| {_units(row['plan_mean'])} ± {_units(row['plan_sd'])} | {updated} "
            f"| {decisions.get(str(row['sku']), '-')} |"
        )
    lines.append("")
    for b in review.second_batch.to_dict("records"):
        if b["decision"] == "order":
            lines.append(
                _say(
                    "order",
                    language,
                    sku=b["sku"],
                    q=f"{int(b['quantity']):,}",
                    lost=_units(b["expected_lost_sales"]),
                    left=_units(b["expected_leftover"]),
                    lost0=_units(b["expected_lost_sales_without"]),
                    left0=_units(b["expected_leftover_without"]),
                )
            )
    if len(review.release):
        stores = review.release[review.release["store"] != _WAREHOUSE]
        lines += [
            "",
            _say(
                "release",
                language,
                stores=stores["store"].nunique(),
                units=_units(stores["units"].sum()),
            ),
        ]
    lines.append("")
    if review.retiming is not None:
        moved = review.retiming[review.retiming["moved"].astype(bool)]
        lines.append(_say("retimed", language, moved=len(moved), n=len(review.retiming)))
        lines += [f"- {r.wave}: {r.reason}" for r in moved.itertuples(index=False)]
    else:
        lines.append(_say("no history", language))
    handed = int(stages.get("handed over to replenishment", 0))
    if handed:
        noun = count_text(handed, "款" if language == "zh" else "product", lang=language)
        lines += ["", _say("handed", language, n=noun, weeks=review.horizon_weeks)]
    lines += ["", _say("how", language)]
    return "\n".join(lines) + "\n"
