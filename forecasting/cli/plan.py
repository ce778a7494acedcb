"""``launchcast plan`` (the whole flow on a planner's files) and ``launchcast demo``."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from forecasting.cli.app import AsOf, DateOrder, Decimal, Encoding, Language, Strict, app
from forecasting.cli.outputs import Overwrite
from forecasting.exceptions import DataValidationError

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.inputs.readers import (
        JudgmentsTable,
        ProductsTable,
        SalesTable,
        StoresTable,
    )
    from forecasting.inputs.tables import Source
    from forecasting.language import Lang
    from forecasting.plan.flow import Plan


__all__ = ["demo_command", "plan_command"]


def _season(text: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    import pandas as pd

    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError(text)
        start, end = (pd.Timestamp(p.strip()) for p in parts)
    except ValueError:
        raise DataValidationError(
            f"--season: {text!r} is not a date range. "
            "Fix: write START:END, e.g. 2012-01-01:2012-12-31."
        ) from None
    if end < start:
        raise DataValidationError(
            f"--season: {text!r} ends before it starts. Fix: write START:END."
        )
    return start, end


class _Steps:
    """Prints each step with the time it took, unless quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.started = time.perf_counter()

    def __call__(self, step: str) -> None:
        if not self.quiet:
            elapsed = time.perf_counter() - self.started
            print(f"[{elapsed:6.1f} s] {step} ...", file=sys.stderr, flush=True)


def _units(value: object) -> str:
    return "-" if not isinstance(value, float | int) or value != value else f"{value:,.0f}"


def _depth_table(plan: Plan, lang: Lang = "en") -> pd.DataFrame:
    """The console's depth table: the blend (judges, data estimate, judges' weight), the depth."""
    import pandas as pd

    from forecasting.timing.words import wave_label

    depth = plan.depth_blend.merge(plan.products_plan[["sku", "wave"]], on="sku")
    weight = depth["judge_weight"]
    table = pd.DataFrame(
        {
            "sku": depth["sku"],
            "wave": depth["wave"].map(lambda w: wave_label(w, lang)),
            "judges": depth["judge_mean"].map(_units),
            "data": depth["model_mean"].map(_units),
            "weight": [f"{w:.0%}" if w == w else "-" for w in weight.astype(float)],
            "mean": depth["mean"].map(_units),
            "sd": depth["sd"].map(_units),
            "critical_ratio": depth["critical_ratio"].round(2),
            "depth": depth["depth"].map(_units),
            "forced_units": depth["forced_units"].map(_units),
            "sell_through": depth["sell_through"].map(lambda v: f"{v:.0%}"),
        }
    )
    if lang == "zh":
        table.columns = [_DEPTH_HEADERS_ZH[c] for c in table.columns]
    return table


_DEPTH_HEADERS_ZH = {
    "sku": "款号",
    "wave": "波段",
    "judges": "评估人",
    "data": "数据估计",
    "weight": "评估人权重",
    "mean": "需求均值",
    "sd": "标准差",
    "critical_ratio": "临界比",
    "depth": "首单深度",
    "forced_units": "因下限增加",
    "sell_through": "售罄率",
}


def _launch_table(plan: Plan, lang: Lang) -> str:
    """The console's launch calendar: wave, anchor, dates with their weekday, late, confidence."""
    from forecasting.plan.text import headers, person_values
    from forecasting.timing.words import day_text

    launches = person_values(
        plan.launches[["wave", "anchor", "expected_onset", "delivery_date", "late", "confidence"]],
        lang,
    )
    launches["expected_onset"] = launches["expected_onset"].map(
        lambda d: day_text(d, lang, weekday=False)
    )
    launches["delivery_date"] = launches["delivery_date"].map(lambda d: day_text(d, lang))
    return str(headers(launches, lang).to_string(index=False))


def _report(plan: Plan, files: dict[str, Path], out: Path, lang: Lang = "en") -> None:
    from forecasting.plan.folder import file_words

    zh = lang == "zh"
    typer.echo(
        "上市日历（所有门店同一天送货）："
        if zh
        else "Launch calendar (one delivery day for all stores):"
    )
    typer.echo(_launch_table(plan, lang))
    typer.echo("")
    typer.echo(
        f"首单深度（覆盖 {plan.horizon_weeks} 周）："
        if zh
        else f"First-batch depth ({plan.horizon_weeks} weeks):"
    )
    typer.echo(_depth_table(plan, lang).to_string(index=False))
    typer.echo(
        "评估人：评估人的均值；数据估计：数据给出的估计；评估人权重：评估人在综合中的占比"
        if zh
        else "judges: the judges' mean; data: the data estimate; weight: the judges' share of "
        "the blend"
    )
    typer.echo("")
    typer.echo(
        f"已写入 {len(files)} 个文件到 {out}/：" if zh else f"Wrote {len(files)} files to {out}/:"
    )
    for what, path in files.items():
        typer.echo(f"  {path.name:<22} {file_words(path.name, lang) or what}")


def _run(
    *,
    sales: SalesTable | Source,
    stores: StoresTable | Source,
    products: ProductsTable | Source,
    judgments: JudgmentsTable | Source | None,
    season: tuple[pd.Timestamp, pd.Timestamp],
    out: Path,
    quiet: bool,
    model: str,
    lead_days: int,
    delivery_weekday: str,
    pack_size: int,
    holdback: float,
    soft_minimums: bool,
    overwrite: bool,
    plan_share_cv: float,
    as_of: str | None = None,
    lang: str | None = None,
) -> None:
    from forecasting.language import resolve_lang
    from forecasting.plan.flow import make_plan
    from forecasting.plan.folder import write_plan

    language = resolve_lang(lang, "CN")  # the plans of the command line use the Chinese calendar
    steps = _Steps(quiet)
    plan = make_plan(
        sales,
        stores,
        products,
        judgments,
        season=season,
        lead_days=lead_days,
        delivery_weekday=delivery_weekday,
        model=model,
        pack_size=pack_size,
        holdback=holdback,
        soft_minimums=soft_minimums,
        plan_share_cv=plan_share_cv,
        as_of=as_of,
        progress=steps,
    )
    steps("writing files")
    files = write_plan(plan, out, overwrite=overwrite, lang=language)
    steps("done")
    _report(plan, files, out, language)


_Model = Annotated[
    str,
    typer.Option(
        help="Store forecaster: prophet, auto, ets, autoets, autoarima, theta, seasonal_naive "
        "or seasonal_growth."
    ),
]
_Lead = Annotated[int, typer.Option("--lead-days", help="Days on shelf before the expected onset.")]
_Weekday = Annotated[str, typer.Option("--delivery-weekday", help="Unified delivery weekday.")]
_Pack = Annotated[int, typer.Option("--pack-size", help="Store quantities are multiples of it.")]
_Holdback = Annotated[float, typer.Option(help="Share of each product kept at the warehouse.")]
_Soft = Annotated[
    bool,
    typer.Option(
        "--soft-minimums", metavar="", help="Keep presentation minimums only while stock allows."
    ),
]
_Quiet = Annotated[bool, typer.Option("--quiet", "-q", metavar="", help="No progress lines.")]
_PlanShareCV = Annotated[
    float,
    typer.Option(
        "--plan-share-cv",
        metavar="FLOAT",
        help="The coefficient of variation given to an assortment-plan share (the products' "
        "plan_share): how far it may be off; it sets the data estimate's sd and so the judges' "
        "weight in the blend.",
    ),
]
_DEMO_OUT = Path("launchcast-demo")


def _refuse_early(out: Path, overwrite: bool) -> None:
    """Refuse a non-empty --out at once, before minutes of work (written as a whole later)."""
    from forecasting.plan.writers import check_output_folder

    check_output_folder(out, overwrite=overwrite)


def _earlier_demo(out: Path) -> bool:
    """Whether ``out`` is the demo's default folder holding only an earlier plan's files."""
    if out != _DEMO_OUT or not out.is_dir():
        return False
    from forecasting.plan.folder import PLAN_FILES

    entries = list(out.iterdir())
    return bool(entries) and all(p.is_file() and p.name in PLAN_FILES for p in entries)


@app.command("plan")
def plan_command(
    sales: Annotated[
        Path,
        typer.Option(
            help="Sales history (CSV, Parquet or Excel), one row per store and day or week: "
            "date, store, units; optional sku, category, region, price, stockout. Other names "
            "are mapped with --columns."
        ),
    ],
    stores: Annotated[
        Path, typer.Option(help="Stores with grade, strategic, min_units, max_units.")
    ],
    products: Annotated[
        Path, typer.Option(help="New products with price, cost, salvage value, wave.")
    ],
    season: Annotated[str, typer.Option(help="START:END, e.g. 2012-01-01:2012-12-31.")],
    out: Annotated[
        Path, typer.Option(help="Output folder: new or empty, or replaced with --overwrite.")
    ],
    judgments: Annotated[
        Path | None, typer.Option(help="Estimates of planners and sales staff.")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option(
            help="Column names of your files, mapped for all inputs: FILE_NAME=name pairs "
            "separated by commas, e.g. 销售日期=date,门店=store (or a .json/.csv file).",
        ),
    ] = None,
    model: _Model = "prophet",
    lead_days: _Lead = 7,
    delivery_weekday: _Weekday = "MON",
    pack_size: _Pack = 1,
    holdback: _Holdback = 0.0,
    soft_minimums: _Soft = False,
    plan_share_cv: _PlanShareCV = 0.5,
    quiet: _Quiet = False,
    overwrite: Overwrite = False,
    as_of: AsOf = None,
    strict: Strict = False,
    encoding: Encoding = None,
    date_order: DateOrder = None,
    decimal: Decimal = None,
    lang: Language = None,
) -> None:
    """Run the whole flow: surges, forecast, launch calendar, first-batch depth, allocation."""
    from forecasting.inputs.readers import read_inputs

    _refuse_early(out, overwrite)
    window = _season(season)
    inputs = read_inputs(
        sales=sales,
        stores=stores,
        products=products,
        judgments=judgments,
        columns=columns,
        # without a planning date, a sale dated after today is a typo (it would move the plan)
        as_of=None if as_of is not None else dt.date.today().isoformat(),
    )
    assert inputs.sales is not None and inputs.stores is not None and inputs.products is not None
    _run(
        sales=inputs.sales,
        stores=inputs.stores,
        products=inputs.products,
        judgments=inputs.judgments,
        season=window,
        out=out,
        quiet=quiet,
        model=model,
        lead_days=lead_days,
        delivery_weekday=delivery_weekday,
        pack_size=pack_size,
        holdback=holdback,
        soft_minimums=soft_minimums,
        overwrite=overwrite,
        plan_share_cv=plan_share_cv,
        as_of=as_of,
        lang=lang,
    )


@app.command("demo")
def demo_command(
    out: Annotated[
        Path,
        typer.Option(
            help="Output folder. The default one is the demo's own: a run replaces it when it "
            "holds only an earlier demo's files. Any other non-empty folder needs --overwrite."
        ),
    ] = _DEMO_OUT,
    model: _Model = "prophet",
    plan_share_cv: _PlanShareCV = 0.5,
    quiet: _Quiet = False,
    overwrite: Overwrite = False,
    lang: Language = None,
) -> None:
    """Plan the 2012 season on the bundled real sales of a Chinese clothing brand (25 provinces).

    Writes the folder launchcast-demo (replacing an earlier demo there), or the folder --out.
    """
    import pandas as pd

    from forecasting.inputs.demo import demo_path, load_demo

    overwrite = overwrite or _earlier_demo(out)
    _refuse_early(out, overwrite)
    demo = load_demo()
    if not quiet:
        typer.echo(
            "Demo: real daily sales of a Chinese clothing brand in 25 provinces, 2008-2011 "
            f"({demo_path('china_clothing')}); example stores, new styles and judgments for 2012.",
            err=True,
        )
    _run(
        sales=demo.sales,
        stores=demo.stores,
        products=demo.products,
        judgments=demo.judgments,
        season=(pd.Timestamp("2012-01-01"), pd.Timestamp("2012-12-31")),
        out=out,
        quiet=quiet,
        model=model,
        lead_days=7,
        delivery_weekday="MON",
        pack_size=1,
        holdback=0.0,
        soft_minimums=False,
        overwrite=overwrite,
        plan_share_cv=plan_share_cv,
        lang=lang,
    )
