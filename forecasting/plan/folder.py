"""Write a :class:`~forecasting.plan.Plan` as the folder a planner sends out, with a summary.

The folder holds ``launch_calendar.{csv,xlsx,ics}``, ``timeline.png``, ``depth.csv``,
``allocation.{csv,xlsx}`` (one sheet per delivery wave, one row per store), ``allocation.png``,
``forecast.png``, ``surges.png`` and ``summary.md``. Everything is written into a staging folder
beside the target that replaces it as a whole only when every file is complete, so a failure leaves
the target as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.inputs.readers import SalesTable
from forecasting.language import Lang, resolve_lang
from forecasting.plan.calendar_files import export_launch_calendar
from forecasting.plan.flow import Plan
from forecasting.plan.text import SHEET_NAMES, headers, natural_key, round_for_csv, units_text
from forecasting.plan.writers import staged_folder, write_csv, write_excel, write_text
from forecasting.timing.launch import launch_reasons
from forecasting.timing.words import count_text, day_text, wave_label, weekday_text

__all__ = ["PLAN_FILES", "allocation_sheets", "file_words", "plan_summary", "write_plan"]

PLAN_FILES = frozenset(
    {
        "launch_calendar.csv",
        "launch_calendar.xlsx",
        "launch_calendar.ics",
        "timeline.png",
        "depth.csv",
        "allocation.csv",
        "allocation.xlsx",
        "allocation.png",
        "forecast.png",
        "surges.png",
        "summary.md",
    }
)
"""The files of a plan's folder (:func:`write_plan`): ``launchcast demo`` replaces its own
folder when it holds only these."""


def _sales(plan: Plan) -> SalesTable:
    """The plan's validated sales (:func:`~forecasting.plan.make_plan` always keeps them)."""
    if plan.inputs.sales is None:
        raise DataValidationError("plan: it holds no sales. Fix: make it with make_plan.")
    return plan.inputs.sales


def _lang(plan: Plan, lang: str | None) -> Lang:
    return resolve_lang(lang, str(plan.options.get("market", "CN")))


def _sku_headers(plan: Plan, skus: list[str]) -> dict[str, str]:
    """Each SKU's column header: the SKU and its name where the products table has one."""
    products = plan.products_plan
    if "name" not in products.columns:
        return {sku: sku for sku in skus}
    names = products.drop_duplicates("sku").set_index(products["sku"].astype(str))["name"]
    out = {}
    for sku in skus:
        name = names.get(sku)
        out[sku] = f"{sku} {name}" if isinstance(name, str) and name.strip() else sku
    return out


def allocation_sheets(plan: Plan, lang: str | None = None) -> dict[str, pd.DataFrame]:
    """One table per delivery wave: a row per store, a column of units per product of that wave.

    Stores come in natural order (Province_2 before Province_10), then the warehouse, then a row
    of totals per product; a column of totals per store closes each row. A product's column is
    headed by its SKU and, where the products table has a ``name``, its name.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    lang : {"zh", "en"}, optional
        Language of the sheet names, headers and row labels (default: Chinese for a Chinese
        market, :func:`forecasting.language.resolve_lang`).

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name (delivery date and wave) to table, in delivery order.

    Examples
    --------
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> sheets = allocation_sheets(plan, lang="en")
    >>> len(sheets) == plan.products_plan["wave"].nunique()
    True
    >>> first = next(iter(sheets.values()))
    >>> first["store"].tolist()[:3], first["store"].tolist()[-2:]
    (['Province_1', 'Province_2', 'Province_3'], ['warehouse (DC)', 'total'])
    >>> list(allocation_sheets(plan, lang="zh"))[0]
    '2012-04-09 春季（谷雨）'
    """
    language = _lang(plan, lang)
    waves = plan.products_plan[["sku", "wave", "delivery_date"]]
    allocation = plan.allocation.merge(waves, on="sku", how="left")
    known = set(plan.stores["store"].astype(str))
    total_label = SHEET_NAMES["total"][language]
    sheets: dict[str, pd.DataFrame] = {}
    for (delivery, wave), part in allocation.groupby(["delivery_date", "wave"], sort=True):
        table = part.pivot_table(
            index="store", columns="sku", values="units", aggfunc="sum", fill_value=0
        ).astype(int)
        skus = sorted((str(c) for c in table.columns), key=natural_key)
        table.columns = [str(c) for c in table.columns]
        stores = [s for s in table.index if str(s) in known]
        warehouse = [s for s in table.index if str(s) not in known]
        table = table.loc[sorted(stores, key=natural_key) + warehouse, skus]
        table.loc[total_label] = table.sum(axis=0)
        table["total"] = table.sum(axis=1)
        table.index = [
            f"{SHEET_NAMES['warehouse'][language]} ({s})" if s in warehouse else str(s)
            for s in table.index
        ]
        table = table.rename_axis("store").reset_index()
        day = pd.Timestamp(str(delivery))
        table.insert(1, "delivery_date", day.date())
        table.insert(2, "delivery_weekday", weekday_text(day, language))
        table = table.rename(columns=_sku_headers(plan, skus))
        sheets[f"{day:%Y-%m-%d} {wave_label(wave, language)}"] = headers(table, language)
    return sheets


_FILE_WORDS = {
    "launch_calendar.csv": ("launch calendar (CSV)", "上市日历（CSV）"),
    "launch_calendar.xlsx": (
        "launch calendar (Excel: an overview, a sheet per wave with its SKUs)",
        "上市日历（Excel：总览，每个波段一张表，列出其款号）",
    ),
    "launch_calendar.ics": (
        "launch calendar (iCalendar: one event per delivery, naming its SKUs)",
        "上市日历（iCalendar：每次送货一个日程，列出款号）",
    ),
    "timeline.png": ("timeline", "时间线"),
    "depth.csv": ("first-batch depth per product", "每款首单深度"),
    "allocation.csv": ("allocation (one row per product and store)", "配货（每款每店一行）"),
    "allocation.xlsx": (
        "allocation (Excel: a sheet per delivery wave, a row per store, totals)",
        "配货（Excel：每个送货波段一张表，每店一行，含合计）",
    ),
    "allocation.png": ("allocation by store", "各门店配货图"),
    "forecast.png": ("forecast fan chart", "销售预测图"),
    "surges.png": ("past surges and their calendar anchors", "往年客流高峰及其日历锚点"),
    "summary.md": ("this summary", "本摘要"),
}


def file_words(name: str, lang: Lang) -> str | None:
    """What a file of a plan's folder holds, in ``lang`` (None for a file not of a plan).

    Examples
    --------
    >>> file_words("allocation.csv", "zh")
    '配货（每款每店一行）'
    """
    words = _FILE_WORDS.get(name)
    return None if words is None else words[1 if lang == "zh" else 0]


def plan_summary(
    plan: Plan, files: dict[str, Path] | None = None, *, lang: str | None = None
) -> str:
    """The plan in plain words (Markdown): waves and anchors, depths, minimums and their cost.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    files : dict of str to pathlib.Path, optional
        Files written, listed at the end.
    lang : {"zh", "en"}, optional
        The language (default: Chinese for a Chinese market,
        :func:`forecasting.language.resolve_lang`).

    Returns
    -------
    str
        Markdown text.

    Examples
    --------
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> plan_summary(plan, lang="en").splitlines()[0]
    '# launchcast plan for 2012-01-01 .. 2012-12-31'
    >>> plan_summary(plan).splitlines()[0]
    '# launchcast 计划：2012-01-01 至 2012-12-31'
    """
    language = _lang(plan, lang)
    zh = language == "zh"
    start, end = plan.season
    sales = plan.sales
    keys = "store" if "store" in sales.columns else None
    n_series = int(sales[keys].nunique()) if keys else 1
    daily = _sales(plan).freq == "D"
    first, last = sales["date"].min(), sales["date"].max()
    model = plan.options.get("model")
    if zh:
        lines = [
            f"# launchcast 计划：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}",
            "",
            f"历史：{n_series} 家门店，{'日' if daily else '周'}销售 {first:%Y-%m-%d} 至 "
            f"{last:%Y-%m-%d}（{units_text(sales['units'].sum(), language)}）。"
            f"门店预测：{model} 模型。",
            "",
            f"计划日期：{day_text(plan.as_of, language)}（只学习此前的销售；此前不安排送货）。",
            "",
            "## 上市波段（所有门店同一天送货）",
            "",
        ]
    else:
        lines = [
            f"# launchcast plan for {start:%Y-%m-%d} .. {end:%Y-%m-%d}",
            "",
            f"History: {count_text(n_series, 'store')}, {'daily' if daily else 'weekly'} sales "
            f"{first:%Y-%m-%d} .. {last:%Y-%m-%d} ({units_text(sales['units'].sum(), language)}). "
            f"Store forecasts: {model} model.",
            "",
            f"Planning date: {day_text(plan.as_of, language)} (learned from the sales before it; "
            "nothing is delivered before it).",
            "",
            "## Launch waves (one delivery day for all stores)",
            "",
        ]
    launches = plan.launches
    late = launches[launches["late"]] if "late" in launches else launches[:0]
    if len(late):
        lines += [
            f"{len(late)} 个波段**已晚**：最佳送货日早于计划日期，改在最早可行的送货日送货。"
            if zh
            else f"{count_text(len(late), 'wave')} {'is' if len(late) == 1 else 'are'} "
            "**late**: the best delivery day is before the planning date, so "
            f"{'it goes' if len(late) == 1 else 'they go'} on the first feasible delivery day "
            "instead.",
            "",
        ]
    reasons = launch_reasons(launches, language)
    confidence = {"high": "高", "medium": "中", "low": "低"}
    for (_, wave), reason in zip(launches.iterrows(), reasons, strict=True):
        if zh:
            level = confidence.get(str(wave["confidence"]), wave["confidence"])
            lines.append(f"- **{wave_label(wave['wave'], language)}**（可信度{level}）：{reason}")
        else:
            lines.append(f"- **{wave['wave']}** ({wave['confidence']} confidence): {reason}")
    weeks = count_text(plan.horizon_weeks, "周" if zh else "week", lang=language)
    lines += [
        "",
        f"## 首单深度（覆盖 {weeks}）" if zh else f"## First-batch depth (covers {weeks})",
    ]
    lines.append("")
    depth = plan.depth_blend.merge(plan.products_plan[["sku", "wave", "delivery_date"]], on="sku")
    # what the stores are expected to sell of the units each receives (stores cannot share
    # stock): the same numbers in the table and in the total below
    sold = plan.report.products.set_index("sku")["expected_sales"]
    depth["store_sales"] = depth["sku"].map(sold).astype(float)
    lines.append(
        "| 款号 | 波段 | 送货日 | 评估人（均值 ± 标准差） | 数据估计（均值 ± 标准差） | "
        "评估人权重 | 需求（均值 ± 标准差） | 临界比 | 深度 | 因陈列下限增加 | 因上限减少 | "
        "预计售出 | 预计售罄率 |"
        if zh
        else "| sku | wave | delivery | judges (mean ± sd) | data estimate (mean ± sd) | "
        "judges' weight | demand (mean ± sd) | critical ratio | depth | forced by minimums | "
        "cut by caps | expected sales | expected sell-through |"
    )
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for _, row in depth.iterrows():
        units = int(row["depth"])
        lines.append(
            f"| {row['sku']} | {wave_label(row['wave'], language)} | "
            f"{day_text(row['delivery_date'], language)} | "
            f"{_mean_sd(row['judge_mean'], row['judge_sd'])} | "
            f"{_mean_sd(row['model_mean'], row['model_sd'])} | {row['judge_weight']:.0%} | "
            f"{row['mean']:,.0f} ± {row['sd']:,.0f} | "
            f"{row['critical_ratio']:.2f} | {units:,} | "
            f"{int(row['forced_units']):,} | {int(row.get('capped_units', 0)):,} | "
            f"{row['store_sales']:,.0f} | {row['store_sales'] / max(units, 1):.0%} |"
        )
    total_units = int(plan.depth["depth"].sum())
    expected = float(depth["store_sales"].sum())
    lines += ["", _blend_sentence(plan.demand, language)]
    share = expected / max(total_units, 1)
    lines += [
        "",
        f"首单合计：{units_text(total_units, language)}，共 {len(plan.depth)} 款；按各门店分到的"
        f"数量，预计前 {weeks}售出 {units_text(expected, language)}（售罄率 {share:.0%}，"
        "即上表“预计售出”一列之和）。"
        if zh
        else f"Total first batch: {units_text(total_units, language)} of "
        f"{count_text(len(plan.depth), 'product')}; the stores are expected to sell "
        f"{expected:,.0f} of them in the first {weeks} ({share:.0%} sell-through: the sum of "
        "the expected sales in the table above, each store selling from its own units).",
    ]
    if "capped_units" in plan.depth and (plan.depth["capped_units"] > 0).any():
        cut = plan.depth[plan.depth["capped_units"] > 0]
        sep = "、" if zh else ", "
        shipped = sep.join(
            f"{sku} {int(d):,}" for sku, d in zip(cut["sku"], cut["depth"], strict=True)
        )
        fewer = int(cut["capped_units"].sum())
        lines.append(
            f"门店上限（max_units）使 {len(cut)} 款的首单低于其需求所需的深度，共少 "
            f"{units_text(fewer, language)}；每款按其门店能接收的数量发货（{shipped}）。"
            if zh
            else f"The stores' caps (max_units) hold {count_text(len(cut), 'product')} below "
            f"the depth their demand asks for: {units_text(fewer, language)} fewer in all; each "
            f"is shipped at what its stores can take ({shipped})."
        )
    lines += ["", "## 门店配货" if zh else "## Allocation to stores", ""]
    lines += _allocation_sentences(plan, language)
    if files:
        lines += ["", "## 文件" if zh else "## Files", ""]
        for what, path in files.items():
            lines.append(f"- `{path.name}`: {file_words(path.name, language) or what}")
    return "\n".join(lines) + "\n"


def _allocation_sentences(plan: Plan, lang: Lang) -> list[str]:
    """The allocation part of the summary: minimums that bind and their cost, caps, totals."""
    zh = lang == "zh"
    lines: list[str] = []
    stores = plan.stores
    strategic = stores.loc[stores.get("min_units", pd.Series(dtype=float)).fillna(0) > 0]
    if len(strategic):
        sep = "、" if zh else ", "
        names = sep.join(
            f"{row['store']} ({int(row['min_units'])})"
            for _, row in strategic.sort_values(
                "store", key=lambda s: s.map(natural_key)
            ).iterrows()
        )
        minimums = plan.report.minimums  # only the minimums that change the allocation
        cost = float(minimums["net_cost"].sum()) if len(minimums) else 0.0
        pairs = len(minimums)
        binding = int(minimums["store"].nunique()) if pairs else 0
        if zh:
            lines.append(
                f"陈列下限（每款件数）：{names}。"
                + (
                    f"其中 {pairs} 个门店×款式组合（{binding} 家门店）的下限改变了配货，"
                    f"共使其他门店少售出约 {cost:,.1f} 件：这是保持重点门店货品丰富的代价。"
                    if pairs
                    else "各门店按需求分到的数量已不低于下限：下限没有改变配货，不产生代价。"
                )
            )
        else:
            lines.append(
                f"Presentation minimums (units per product): {names}. "
                + (
                    f"They change the allocation at {count_text(pairs, 'store x product pair')} "
                    f"({count_text(binding, 'store')}) and cost {cost:,.1f} expected units of "
                    "sales elsewhere in all: the price of keeping the strategic stores' "
                    "assortment rich."
                    if pairs
                    else "Every store's share of demand already meets its minimum: the minimums "
                    "do not change the allocation and cost nothing."
                )
            )
    products = plan.report.products
    at_cap = int(products["stores_at_cap"].sum())
    if at_cap:
        most = int(products["stores_at_cap"].max())
        lines.append(
            f"门店上限在 {at_cap} 个门店×款式组合上起作用（单款最多 {most} 家门店）。"
            if zh
            else f"Caps bind at {count_text(at_cap, 'store x product pair')} "
            f"({count_text(most, 'store')} at most for one product)."
        )
    to_stores, held = int(products["to_stores"].sum()), int(products["warehouse"].sum())
    beyond = int(products["beyond_stores"].sum())
    n_stores = int(products["stores"].max())
    if zh:
        lines.append(
            f"门店共收到 {units_text(to_stores, lang)}（{n_stores} 家门店）；仓库留 "
            f"{units_text(held, lang)}"
            + (f"，其中 {units_text(beyond, lang)}是门店无法接收的。" if beyond else "。")
        )
    else:
        lines.append(
            f"The stores receive {units_text(to_stores, lang)} ({count_text(n_stores, 'store')});"
            f" the warehouse keeps {held:,}"
            + (f", {beyond:,} of them because the stores cannot take them." if beyond else ".")
        )
    shadow = products.set_index("sku")["shadow_price"]
    lines.append(
        f"每款的最后一件都放在售出概率为 {shadow.min():.0%}..{shadow.max():.0%} 的门店"
        "（库存的影子价格）。"
        if zh
        else "Each product's last unit was placed where it sells with probability "
        f"{shadow.min():.0%}..{shadow.max():.0%} (the shadow price of stock)."
    )
    return lines


def _mean_sd(mean: object, sd: object) -> str:
    if not isinstance(mean, float | int) or pd.isna(mean):
        return "-"
    spread = f" ± {sd:,.0f}" if isinstance(sd, float | int) and pd.notna(sd) else ""
    return f"{mean:,.0f}{spread}"


def _blend_sentence(demand: pd.DataFrame, lang: Lang = "en") -> str:
    """How the judges and the data estimate were weighted, in one paragraph."""
    zh = lang == "zh"
    both = demand[demand["judge_mean"].notna() & demand["model_mean"].notna()]
    judges_only = demand[demand["model_mean"].isna()]
    data_only = demand[demand["judge_mean"].isna()]
    basis = demand["model_basis"].dropna().astype(str)
    kinds = sorted({b.split(":")[0] for b in basis})
    how = {
        "top-down": (
            "top-down: the stores' forecast of the product's window x its plan share",
            "自上而下：门店对该款销售窗口的预测 × 其计划占比",
        ),
        "analogs": ("analogs: the sales of similar past launches", "类比：以往相似新品的销售"),
    }
    data = ("；" if zh else "; ").join(how[k][zh] if k in how else k for k in kinds) or (
        "无" if zh else "none"
    )
    sep = "、" if zh else ", "
    parts = []
    if len(both):
        w = both["judge_weight"]
        parts.append(
            f"深度综合了评估人（平均权重 {w.mean():.0%}，{w.min():.0%}..{w.max():.0%}）与数据估计"
            f"（{data}），共 {len(both)} 款；两方按精度加权（越不确定的一方权重越低）；"
            "`depth.csv` 列出两方估计（judge_mean、model_mean 与 model_basis）及 judge_weight。"
            if zh
            else f"Depth blends the judges (weight {w.mean():.0%} on average, {w.min():.0%}.."
            f"{w.max():.0%}) with the data estimate ({data}) for "
            f"{count_text(len(both), 'product')}, each side weighted by its precision (the less "
            "certain side counts less); `depth.csv` shows both estimates (judge_mean, model_mean "
            "and model_basis) and judge_weight."
        )
    if len(judges_only):
        skus = sep.join(judges_only["sku"].astype(str))
        parts.append(
            f"{len(judges_only)} 款只依据评估人（没有数据估计：请给出 plan_share 或以往新品）："
            f"{skus}。"
            if zh
            else f"{count_text(len(judges_only), 'product')} "
            f"{'rests' if len(judges_only) == 1 else 'rest'} on the judges alone (no data "
            f"estimate: give them a plan_share or past launches): {skus}."
        )
    if len(data_only):
        skus = sep.join(data_only["sku"].astype(str))
        parts.append(
            f"{len(data_only)} 款只依据数据估计（{data}；没有评估）：{skus}。"
            if zh
            else f"{count_text(len(data_only), 'product')} "
            f"{'rests' if len(data_only) == 1 else 'rest'} on the data estimate alone "
            f"({data}; no judgments): {skus}."
        )
    return ("" if zh else " ").join(parts)


def _write_figures(plan: Plan, folder: Path, lang: Lang) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from forecasting.plotting.allocation import plot_allocation
    from forecasting.plotting.forecast import plot_forecast
    from forecasting.plotting.labels import text
    from forecasting.plotting.surges import plot_surges

    market = str(plan.options.get("market", "CN"))
    skus = list(plan.depth["sku"])
    ncols = min(4, len(skus))
    nrows = -(-len(skus) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, 6.2 * nrows), squeeze=False)
    for ax, sku in zip(axes.ravel(), skus, strict=False):
        plot_allocation(plan.allocation, sku, ax=ax, market=market, lang=lang)
    for ax in axes.ravel()[len(skus) :]:
        ax.set_visible(False)
    fig.tight_layout()
    allocation_png = folder / "allocation.png"
    fig.savefig(allocation_png, dpi=110)
    plt.close(fig)

    last_year = plan.sales["date"] > plan.sales["date"].max() - pd.Timedelta(days=365)
    fig = plot_forecast(
        plan.forecast,
        plan.sales[last_year],
        kinds=("holiday",),
        title=text("plan_forecast_title", lang),
        market=market,
        lang=lang,
    )
    forecast_png = folder / "forecast.png"
    fig.savefig(forecast_png, dpi=110)
    plt.close(fig)
    fig = plot_surges(_sales(plan), plan.surges, market=market, lang=lang)
    surges_png = folder / "surges.png"
    fig.savefig(surges_png, dpi=110)
    plt.close(fig)
    return {
        "allocation by store": allocation_png,
        "forecast fan chart": forecast_png,
        "past surges and their calendar anchors": surges_png,
    }


def write_plan(
    plan: Plan,
    out_dir: str | os.PathLike[str],
    *,
    overwrite: bool = False,
    lang: str | None = None,
) -> dict[str, Path]:
    """Write the plan's folder, complete or not at all; return the files by what they hold.

    Every file is written into a staging folder beside ``out_dir`` that replaces it as a whole
    only when all are complete (:func:`~forecasting.plan.writers.staged_folder`): a failure, or an
    interrupted run, leaves ``out_dir`` as it was.

    The language is a setting of the writing, not of the plan (the same plan can be written for a
    Chinese and an English reader): the summary, the workbooks' sheet names and headers, the
    reasons and the calendar file are in ``lang``; the CSV files keep the canonical column names
    (``sku``, ``store``, ``units``, ``delivery_date``, ...), the contract other systems rely on,
    with floats rounded for reading.

    Parameters
    ----------
    plan : Plan
        The result of :func:`~forecasting.plan.make_plan`.
    out_dir : str or path-like
        The folder; created if missing. An existing non-empty folder is refused unless
        ``overwrite``.
    overwrite : bool, default False
        Replace an existing non-empty ``out_dir`` whole (none of its old files survives).
    lang : {"zh", "en"}, optional
        The language of what a person reads (default: Chinese for a Chinese market,
        :func:`forecasting.language.resolve_lang`).

    Returns
    -------
    dict of str to pathlib.Path
        What each file holds, to its final path.

    Raises
    ------
    OutputExistsError
        ``out_dir`` is a non-empty folder and ``overwrite`` is false.
    UnknownLanguageError
        ``lang`` is neither Chinese nor English.

    Examples
    --------
    >>> import tempfile
    >>> from forecasting import load_demo, make_plan
    >>> demo = load_demo()
    >>> plan = make_plan(demo.sales, demo.stores, demo.products, demo.judgments,
    ...                  season=("2012-01-01", "2012-12-31"), model="seasonal_naive")
    >>> files = write_plan(plan, tempfile.mkdtemp())  # doctest: +SKIP
    >>> sorted(p.name for p in files.values())[:3]  # doctest: +SKIP
    ['allocation.csv', 'allocation.png', 'allocation.xlsx']
    """
    language = _lang(plan, lang)  # an unknown language fails before anything is written
    final = Path(out_dir)
    with staged_folder(final, overwrite=overwrite) as staging:
        files: dict[str, Path] = {}
        launch = export_launch_calendar(
            plan.launches,
            staging / "launch_calendar",
            _sales(plan),
            market=str(plan.options.get("market", "CN")),
            lang=language,
            products=plan.products_plan,
        )
        labels = {
            ".csv": "launch calendar (CSV)",
            ".xlsx": "launch calendar (Excel, a sheet per wave)",
            ".ics": "launch calendar (iCalendar: one event per delivery)",
            ".png": "timeline",
        }
        for path in launch.values():
            target = staging / ("timeline.png" if path.suffix == ".png" else path.name)
            path.rename(target)
            files[labels.get(path.suffix, path.name)] = target
        (staging / "launch_calendar").rmdir()
        depth = plan.depth_blend.merge(
            plan.products_plan[["sku", "wave", "delivery_date", "shelf_start"]],
            on="sku",
            how="left",
        ).assign(horizon_weeks=plan.horizon_weeks)  # the launch window a review reads
        files["first-batch depth per product"] = write_csv(
            round_for_csv(depth), staging / "depth.csv"
        )
        allocation = plan.allocation.merge(
            plan.products_plan[["sku", "wave", "delivery_date"]], on="sku", how="left"
        )
        files["allocation (one row per product and store)"] = write_csv(
            round_for_csv(allocation), staging / "allocation.csv"
        )
        files["allocation (Excel: a sheet per delivery wave, a row per store)"] = write_excel(
            allocation_sheets(plan, language), staging / "allocation.xlsx"
        )
        files.update(_write_figures(plan, staging, language))
        summary = staging / "summary.md"
        files["this summary"] = summary
        write_text(plan_summary(plan, files, lang=language), summary)
    return {what: final / path.name for what, path in files.items()}
