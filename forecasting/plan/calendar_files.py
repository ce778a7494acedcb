"""Write the launch calendar of :func:`forecasting.timing.recommend_launches` as CSV, Excel,
iCalendar and PNG.

All files are written atomically through :mod:`forecasting.plan.writers` (text cells
formula-escaped); :func:`export_launch_calendar` writes its folder complete or not at all.

- CSV: the whole calendar, one row per group and wave, dates as ``YYYY-MM-DD``, canonical column
  names (the machine-readable contract, in every language).
- Excel: an overview sheet, then one sheet per wave (bold frozen header, sized columns, real
  dates, the delivery weekday beside the delivery date); given the products, a wave's sheet lists
  its SKUs with their dates.
- iCalendar (``.ics``): one all-day event per delivery in date order (a wave's groups share one
  when the date is unified), naming the SKUs delivered when the products are given, with the
  reason, the on-shelf and the promotion windows in the description; imports into Outlook and
  Google Calendar.
- PNG: the launch timeline of :func:`forecasting.plotting.timeline.plot_launch_timeline`.

What a person reads (the workbook, the calendar file) is in the language ``lang``
(:func:`forecasting.language.resolve_lang`: Chinese by default for a Chinese market): headers,
sheet names, waves, anchors, reasons and weekdays (:mod:`forecasting.plan.text`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import cast

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.language import Lang, resolve_lang
from forecasting.plan.text import (
    HEADERS_ZH,
    SHEET_NAMES,
    headers,
    natural_key,
    person_values,
    round_for_csv,
)
from forecasting.plan.writers import (
    atomic_path,
    staged_folder,
    write_csv,
    write_excel,
    write_text,
)
from forecasting.timing.launch import LAUNCH_COLUMNS, LAUNCH_DATE_COLUMNS, launch_reasons
from forecasting.timing.words import day_text, wave_label, weekday_text

__all__ = [
    "export_launch_calendar",
    "launch_calendar_ics",
    "write_launch_csv",
    "write_launch_excel",
    "write_launch_ics",
    "write_launch_png",
]

_DATE_COLUMNS = LAUNCH_DATE_COLUMNS
_DATE_HEADERS = {
    *_DATE_COLUMNS,
    "launch_date",
    *(HEADERS_ZH[c] for c in (*_DATE_COLUMNS, "launch_date")),
}
_REASON_HEADERS = {"reason", HEADERS_ZH["reason"]}
_GROUP_EXCLUDE = set(LAUNCH_COLUMNS)  # every other column of a plan names its group
# the columns of a wave's sheet of SKUs, those of the products first
_SKU_COLUMNS = ("sku", "name", "category", "launch_date")
_WAVE_COLUMNS = (
    "wave",
    "delivery_date",
    "delivery_weekday",
    "shelf_start",
    "shelf_end",
    "promotion_start",
    "promotion_end",
    "expected_onset",
    "expected_peak",
)


def _check_plan(plan: pd.DataFrame) -> None:
    need = {"wave", "delivery_date", "shelf_start", "shelf_end", "reason"}
    missing = sorted(need - set(plan.columns))
    if missing:
        raise DataValidationError(
            f"launch plan: column(s) {missing} missing; pass the output of recommend_launches."
        )


def _group_columns(plan: pd.DataFrame) -> list[str]:
    return [c for c in plan.columns if c not in _GROUP_EXCLUDE]


def _with_dates(plan: pd.DataFrame) -> pd.DataFrame:
    out = plan.copy()
    for col in _DATE_COLUMNS:
        if col in out.columns:
            out[col] = pd.to_datetime(out[col]).dt.date
    return out


def write_launch_csv(plan: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the launch calendar as UTF-8 CSV (dates as ``YYYY-MM-DD``).

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    path : str or path-like
        Target file.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")], "reason": ["..."]})
    >>> p = write_launch_csv(plan, pathlib.Path(tempfile.mkdtemp()) / "plan.csv")
    >>> p.read_text(encoding="utf-8-sig").splitlines()[1]
    'autumn (白露),2012-08-27,2012-08-28,2012-08-30,...'
    """
    _check_plan(plan)
    return write_csv(round_for_csv(_with_dates(plan)), path)


def _by_delivery(plan: pd.DataFrame) -> list[tuple[tuple[str, pd.Timestamp], pd.Index]]:
    """The rows of each (wave, delivery date), in date order."""
    keys = pd.to_datetime(plan["delivery_date"])
    groups = [
        (cast(tuple[str, pd.Timestamp], key), idx)
        for key, idx in plan.groupby([plan["wave"], keys], sort=False).groups.items()
    ]
    return sorted(groups, key=lambda item: (item[0][1], str(item[0][0])))


def _for_person(plan: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The calendar as a person reads it: reasons, waves and values in ``lang``, the delivery
    weekday beside the delivery date, dates as dates (headers still canonical)."""
    out = plan.copy()
    out["reason"] = launch_reasons(plan, lang)
    out = person_values(_with_dates(out), lang)
    if "delivery_date" in out:
        weekday = [weekday_text(d, lang) for d in pd.to_datetime(plan["delivery_date"])]
        out.insert(list(out.columns).index("delivery_date") + 1, "delivery_weekday", weekday)
    return out


def _wave_products(
    products: pd.DataFrame | None, wave: str, day: pd.Timestamp
) -> pd.DataFrame | None:
    """The products delivered with ``wave`` on ``day`` (None when no products were given)."""
    if products is None or "wave" not in products.columns:
        return None
    mine = products["wave"].astype(str) == str(wave)
    if "delivery_date" in products.columns:
        mine &= pd.to_datetime(products["delivery_date"]) == day
    return products[mine]


def _sku_sheet(wave_rows: pd.DataFrame, skus: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """A wave's sheet for the stores: one row per SKU with the wave's dates."""
    first = wave_rows.iloc[0]
    table = skus[[c for c in _SKU_COLUMNS if c in skus.columns]].copy()
    table = table.sort_values("sku", key=lambda s: s.map(natural_key), kind="stable")
    if table.empty:  # the wave's dates still show, with a word that no product goes on it
        none = "本波段没有新品" if lang == "zh" else "no new product in this wave"
        table = pd.DataFrame({"sku": [None], "name": [none]})
    for column in _WAVE_COLUMNS:
        if column in wave_rows.columns:
            table[column] = first[column]
    if "launch_date" in table.columns and "shelf_start" in table.columns:
        table = table.drop(columns="launch_date")
    return table.reset_index(drop=True)


def write_launch_excel(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    market: str = "CN",
    products: pd.DataFrame | None = None,
) -> Path:
    """Write the launch calendar as an Excel workbook: an overview sheet and one sheet per wave.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    path : str or path-like
        Target ``.xlsx`` file.
    lang : {"zh", "en"}, optional
        Language of the sheet names, headers, waves and reasons (default: Chinese for a Chinese
        ``market``, :func:`forecasting.language.resolve_lang`).
    market : str, default "CN"
        The calendar's market.
    products : pandas.DataFrame, optional
        The products with their ``wave`` and ``delivery_date`` (``Plan.products_plan``): each
        wave's sheet then lists its SKUs (with ``name`` and ``category`` where given) and the
        wave's dates; without them a wave's sheet holds the wave's rows of the overview.

    Returns
    -------
    pathlib.Path
        The written file.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)", "winter (春节)"],
    ...                      "delivery_date": pd.to_datetime(["2012-08-27", "2012-12-24"]),
    ...                      "shelf_start": pd.to_datetime(["2012-08-28", "2012-12-25"]),
    ...                      "shelf_end": pd.to_datetime(["2012-08-30", "2012-12-27"]),
    ...                      "reason": ["a", "b"]})
    >>> p = write_launch_excel(plan, pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx", lang="en")
    >>> list(pd.read_excel(p, sheet_name=None))
    ['overview', 'autumn (白露) 2012-08-27', 'winter (春节) 2012-12-24']
    >>> products = pd.DataFrame({"sku": ["K1", "K2"], "name": ["Trench", "Parka"],
    ...                          "wave": ["autumn (白露)", "winter (春节)"],
    ...                          "delivery_date": pd.to_datetime(["2012-08-27", "2012-12-24"])})
    >>> p = write_launch_excel(plan, pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx",
    ...                        products=products)
    >>> sheets = pd.read_excel(p, sheet_name=None)
    >>> list(sheets)
    ['总览', '2012-08-27 秋季（白露）', '2012-12-24 冬季（春节）']
    >>> sheets["2012-08-27 秋季（白露）"].iloc[0, :3].tolist()
    ['K1', 'Trench', '秋季（白露）']
    """
    _check_plan(plan)
    language = resolve_lang(lang, market)
    dated = _for_person(plan, language)
    sheets: dict[str, pd.DataFrame] = {SHEET_NAMES["overview"][language]: headers(dated, language)}
    for key, idx in _by_delivery(plan):
        wave, day = key
        skus = _wave_products(products, wave, day)
        rows = dated.loc[idx]
        table = rows if skus is None else _sku_sheet(rows, skus, language)
        name = (
            f"{wave} {day:%Y-%m-%d}"
            if skus is None and language == "en"
            else f"{day:%Y-%m-%d} {wave_label(wave, language)}"
        )
        sheets[name] = headers(table, language)
    final = write_excel(sheets, path)
    _format_dates(final)
    return final


def _format_dates(path: Path) -> None:
    """Show date cells as ``yyyy-mm-dd`` and wrap the reason column (rewritten atomically)."""
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    book = load_workbook(path)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        for col, name in enumerate(header, start=1):
            letter = sheet.cell(row=1, column=col).column_letter
            if name in _DATE_HEADERS:
                sheet.column_dimensions[letter].width = 12
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row=row, column=col).number_format = "yyyy-mm-dd"
            if name in _REASON_HEADERS:
                sheet.column_dimensions[letter].width = 80
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row=row, column=col).alignment = Alignment(wrap_text=True)
    with atomic_path(path) as tmp:
        book.save(tmp)


_ICS_WORDS = {
    "en": {
        "name": "launchcast launch calendar",
        "deliver": "Deliver for the {wave} wave",
        "late": " (late)",
        "shelf": "On shelf {start} to {end}.",
        "promotion": "Promotion {start} to {end}.",
        "groups": "Groups: {groups}.",
        "skus": "SKUs ({n}): {skus}.",
        "sep": ", ",
    },
    "zh": {
        "name": "launchcast 上市日历",
        "deliver": "{wave}波段送货",
        "late": "（已晚）",
        "shelf": "上架：{start} 至 {end}。",
        "promotion": "推广：{start} 至 {end}。",
        "groups": "分组：{groups}。",
        "skus": "款号（{n} 款）：{skus}。",
        "sep": "、",
    },
}


def launch_calendar_ics(
    plan: pd.DataFrame,
    *,
    name: str | None = None,
    lang: str | None = None,
    market: str = "CN",
    products: pd.DataFrame | None = None,
) -> str:
    """Return the launch calendar as iCalendar text: one all-day event per delivery, in date order.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    name : str, optional
        Calendar name shown by the calendar application (default: "launchcast launch calendar"
        in the language).
    lang : {"zh", "en"}, optional
        Language of the events (default: Chinese for a Chinese ``market``).
    market : str, default "CN"
        The calendar's market.
    products : pandas.DataFrame, optional
        The products with their ``wave`` and ``delivery_date`` (``Plan.products_plan``): each
        event then names the SKUs it delivers (in its title and its description).

    Returns
    -------
    str
        The ``.ics`` content (CRLF line ends).

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")],
    ...                      "reason": ["autumn surge ..."]})
    >>> text = launch_calendar_ics(plan, lang="en")
    >>> "SUMMARY:Deliver for the autumn (白露) wave" in text, "DTSTART;VALUE=DATE:20120827" in text
    (True, True)
    >>> products = pd.DataFrame({"sku": ["K2", "K1"], "wave": ["autumn (白露)"] * 2})
    >>> "SUMMARY:秋季（白露）波段送货：K1、K2" in launch_calendar_ics(plan, products=products)
    True
    """
    from icalendar import Calendar, Event

    _check_plan(plan)
    language = resolve_lang(lang, market)
    words = _ICS_WORDS[language]
    groups = _group_columns(plan)
    reasons = launch_reasons(plan, language)
    cal = Calendar()
    cal.add("prodid", "-//launchcast//launch calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name or words["name"])
    stamp = pd.Timestamp.now(tz="UTC").to_pydatetime()
    for key, idx in _by_delivery(plan):
        wave, day = key
        rows = plan.loc[idx]
        first = rows.iloc[0]
        who = [", ".join(str(r[g]) for g in groups) for _, r in rows.iterrows()] if groups else []
        lines = [str(r) for r in dict.fromkeys(reasons.loc[idx])]
        lines.append(
            words["shelf"].format(
                start=day_text(first["shelf_start"], language),
                end=day_text(first["shelf_end"], language),
            )
        )
        if "promotion_start" in rows:
            lines.append(
                words["promotion"].format(
                    start=day_text(rows["promotion_start"].min(), language, weekday=False),
                    end=day_text(rows["promotion_end"].max(), language, weekday=False),
                )
            )
        if who:
            lines.append(words["groups"].format(groups="; ".join(who)))
        title = words["deliver"].format(wave=wave_label(wave, language))
        skus = _wave_products(products, wave, day)
        if skus is not None and len(skus):
            names = sorted(skus["sku"].astype(str), key=natural_key)
            listed = words["sep"].join(names)
            lines.insert(0, words["skus"].format(n=len(names), skus=listed))
            title += ("：" if language == "zh" else ": ") + listed
        event = Event()
        late = "late" in rows and bool(rows["late"].any())
        event.add("summary", title + (words["late"] if late else ""))
        event.add("dtstart", day.date())
        event.add("dtend", (day + pd.Timedelta(days=1)).date())
        event.add("dtstamp", stamp)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        digest = hashlib.sha1(f"{wave}|{day:%Y-%m-%d}|{'|'.join(who)}".encode()).hexdigest()[:16]
        event.add("uid", f"{digest}@launchcast")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def write_launch_ics(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    market: str = "CN",
    products: pd.DataFrame | None = None,
) -> Path:
    """Write the launch calendar as an iCalendar file (see :func:`launch_calendar_ics` for
    ``lang``, ``market`` and ``products``).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib, icalendar
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")], "reason": ["..."]})
    >>> p = write_launch_ics(plan, pathlib.Path(tempfile.mkdtemp()) / "plan.ics")
    >>> len(icalendar.Calendar.from_ical(p.read_bytes()).walk("VEVENT"))
    1
    """
    return write_text(launch_calendar_ics(plan, lang=lang, market=market, products=products), path)


def write_launch_png(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    sales: object = None,
    *,
    market: str = "CN",
    dpi: int = 120,
    lang: str | None = None,
) -> Path:
    """Draw the launch timeline (:func:`forecasting.plotting.timeline.plot_launch_timeline`) to a
    PNG, labelled in ``lang`` (default: Chinese for a Chinese ``market``).

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"], "anchor": ["白露"],
    ...                      "anchor_date": [pd.Timestamp("2012-09-07")],
    ...                      "expected_onset": [pd.Timestamp("2012-09-10")],
    ...                      "expected_peak": [pd.Timestamp("2012-10-01")],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")],
    ...                      "promotion_start": [pd.Timestamp("2012-08-28")],
    ...                      "promotion_end": [pd.Timestamp("2012-10-01")], "reason": ["..."]})
    >>> write_launch_png(plan, pathlib.Path(tempfile.mkdtemp()) / "t.png").stat().st_size > 0
    True
    """
    import matplotlib.pyplot as plt

    from forecasting.plotting.timeline import plot_launch_timeline

    _check_plan(plan)
    fig = plot_launch_timeline(plan, sales, market=market, lang=resolve_lang(lang, market))
    final = Path(path)
    try:
        with atomic_path(final) as tmp:
            fig.savefig(tmp, format="png", dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)
    return final


def export_launch_calendar(
    plan: pd.DataFrame,
    out_dir: str | os.PathLike[str],
    sales: object = None,
    *,
    stem: str = "launch_calendar",
    market: str = "CN",
    overwrite: bool = False,
    lang: str | None = None,
    products: pd.DataFrame | None = None,
) -> dict[str, Path]:
    """Write the four launch-calendar files (CSV, Excel, .ics, PNG) as the folder ``out_dir``.

    The folder is written complete or not at all (:func:`~forecasting.plan.writers.staged_folder`):
    if any file fails, ``out_dir`` is left as it was.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    out_dir : str or path-like
        Folder; created if missing. An existing non-empty folder is refused unless ``overwrite``.
    sales : SalesTable, path or DataFrame, optional
        Sales history for the curve of the timeline (validated sales are used as they are).
    stem : str, default "launch_calendar"
        File name without extension.
    market : str, default "CN"
        Calendar market of the events drawn on the timeline.
    overwrite : bool, default False
        Replace an existing non-empty ``out_dir`` whole (none of its old files survives).
    lang : {"zh", "en"}, optional
        Language of the workbook and the calendar file (default: Chinese for a Chinese ``market``);
        the CSV keeps the canonical column names.
    products : pandas.DataFrame, optional
        The products with their ``wave`` and ``delivery_date`` (``Plan.products_plan``): the
        wave sheets and the calendar events name their SKUs.

    Returns
    -------
    dict
        ``{"csv": path, "xlsx": path, "ics": path, "png": path}``.

    Raises
    ------
    OutputExistsError
        ``out_dir`` is a non-empty folder and ``overwrite`` is false.

    Examples
    --------
    >>> import pandas as pd, tempfile
    >>> plan = pd.DataFrame({"wave": ["autumn (白露)"],
    ...                      "delivery_date": [pd.Timestamp("2012-08-27")],
    ...                      "shelf_start": [pd.Timestamp("2012-08-28")],
    ...                      "shelf_end": [pd.Timestamp("2012-08-30")], "reason": ["..."]})
    >>> folder = tempfile.mkdtemp()
    >>> sorted(export_launch_calendar(plan, folder))
    ['csv', 'ics', 'png', 'xlsx']
    >>> sorted(export_launch_calendar(plan, folder, overwrite=True)["csv"].parent.iterdir())[0].name
    'launch_calendar.csv'
    """
    _check_plan(plan)
    language = resolve_lang(lang, market)
    # everything that can fail on bad input fails before writing
    text = launch_calendar_ics(plan, lang=language, market=market, products=products)
    final = Path(out_dir)
    with staged_folder(final, overwrite=overwrite) as staging:
        written = {
            "csv": write_launch_csv(plan, staging / f"{stem}.csv"),
            "xlsx": write_launch_excel(
                plan,
                staging / f"{stem}.xlsx",
                lang=language,
                market=market,
                products=products,
            ),
            "ics": write_text(text, staging / f"{stem}.ics"),
            "png": write_launch_png(
                plan, staging / f"{stem}.png", sales, market=market, lang=language
            ),
        }
    return {kind: final / path.name for kind, path in written.items()}
