"""Write the launch calendar of :func:`forecasting.timing.recommend_launches` as CSV, Excel,
iCalendar and PNG.

All files are written atomically through :mod:`forecasting.plan.writers` (text cells
formula-escaped); :func:`export_launch_calendar` writes its folder complete or not at all.

- CSV: the whole calendar, one row per group and wave, dates as ``YYYY-MM-DD``.
- Excel: an ``overview`` sheet, then one sheet per wave (bold frozen header, sized columns, real
  dates).
- iCalendar (``.ics``): one all-day event per delivery (a wave's groups share one when the date is
  unified), with the reason, the on-shelf and the promotion windows in the description; imports
  into Outlook and Google Calendar.
- PNG: the launch timeline of :func:`forecasting.plotting.timeline.plot_launch_timeline`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import cast

import pandas as pd

from forecasting.exceptions import DataValidationError
from forecasting.plan.writers import (
    atomic_path,
    staged_folder,
    write_csv,
    write_excel,
    write_text,
)
from forecasting.timing.launch import LAUNCH_COLUMNS, LAUNCH_DATE_COLUMNS

__all__ = [
    "export_launch_calendar",
    "launch_calendar_ics",
    "write_launch_csv",
    "write_launch_excel",
    "write_launch_ics",
    "write_launch_png",
]

_DATE_COLUMNS = LAUNCH_DATE_COLUMNS
_GROUP_EXCLUDE = set(LAUNCH_COLUMNS)  # every other column of a plan names its group


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
    return write_csv(_with_dates(plan), path)


def write_launch_excel(plan: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the launch calendar as an Excel workbook: an overview sheet and one sheet per wave.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    path : str or path-like
        Target ``.xlsx`` file.

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
    >>> p = write_launch_excel(plan, pathlib.Path(tempfile.mkdtemp()) / "plan.xlsx")
    >>> list(pd.read_excel(p, sheet_name=None))
    ['overview', 'autumn (白露) 2012-08-27', 'winter (春节) 2012-12-24']
    """
    _check_plan(plan)
    dated = _with_dates(plan)
    sheets: dict[str, pd.DataFrame] = {"overview": dated}
    keys = pd.to_datetime(plan["delivery_date"])
    for key, idx in plan.groupby([plan["wave"], keys], sort=False).groups.items():
        wave, day = cast(tuple[str, pd.Timestamp], key)
        sheets[f"{wave} {day:%Y-%m-%d}"] = dated.loc[idx]
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
            if name in _DATE_COLUMNS:
                sheet.column_dimensions[letter].width = 12
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row=row, column=col).number_format = "yyyy-mm-dd"
            if name == "reason":
                sheet.column_dimensions[letter].width = 80
                for row in range(2, sheet.max_row + 1):
                    sheet.cell(row=row, column=col).alignment = Alignment(wrap_text=True)
    with atomic_path(path) as tmp:
        book.save(tmp)


def launch_calendar_ics(plan: pd.DataFrame, *, name: str = "launchcast launch calendar") -> str:
    """Return the launch calendar as iCalendar text: one all-day event per delivery.

    Parameters
    ----------
    plan : pandas.DataFrame
        Output of :func:`forecasting.timing.recommend_launches`.
    name : str
        Calendar name shown by the calendar application.

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
    >>> text = launch_calendar_ics(plan)
    >>> "SUMMARY:Deliver for the autumn (白露) wave" in text, "DTSTART;VALUE=DATE:20120827" in text
    (True, True)
    """
    from icalendar import Calendar, Event

    _check_plan(plan)
    groups = _group_columns(plan)
    cal = Calendar()
    cal.add("prodid", "-//launchcast//launch calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = pd.Timestamp.now(tz="UTC").to_pydatetime()
    keys = pd.to_datetime(plan["delivery_date"])
    for key, rows in plan.groupby([plan["wave"], keys], sort=True):
        wave, day = cast(tuple[str, pd.Timestamp], key)
        first = rows.iloc[0]
        who = [", ".join(str(r[g]) for g in groups) for _, r in rows.iterrows()] if groups else []
        lines = [str(r) for r in dict.fromkeys(rows["reason"])]
        lines.append(f"On shelf {first['shelf_start']:%Y-%m-%d} to {first['shelf_end']:%Y-%m-%d}.")
        if "promotion_start" in rows:
            lines.append(
                f"Promotion {rows['promotion_start'].min():%Y-%m-%d} to "
                f"{rows['promotion_end'].max():%Y-%m-%d}."
            )
        if who:
            lines.append("Groups: " + "; ".join(who) + ".")
        event = Event()
        late = "late" in rows and bool(rows["late"].any())
        event.add("summary", f"Deliver for the {wave} wave" + (" (late)" if late else ""))
        event.add("dtstart", day.date())
        event.add("dtend", (day + pd.Timedelta(days=1)).date())
        event.add("dtstamp", stamp)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        digest = hashlib.sha1(f"{wave}|{day:%Y-%m-%d}|{'|'.join(who)}".encode()).hexdigest()[:16]
        event.add("uid", f"{digest}@launchcast")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def write_launch_ics(plan: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write the launch calendar as an iCalendar file (see :func:`launch_calendar_ics`).

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
    return write_text(launch_calendar_ics(plan), path)


def write_launch_png(
    plan: pd.DataFrame,
    path: str | os.PathLike[str],
    sales: object = None,
    *,
    market: str = "CN",
    dpi: int = 120,
) -> Path:
    """Draw the launch timeline (:func:`forecasting.plotting.timeline.plot_launch_timeline`) to a
    PNG.

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
    fig = plot_launch_timeline(plan, sales, market=market)
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
    text = launch_calendar_ics(plan)  # everything that can fail on bad input fails before writing
    final = Path(out_dir)
    with staged_folder(final, overwrite=overwrite) as staging:
        written = _write_launch_files(plan, staging, text, sales, stem=stem, market=market)
    return {kind: final / path.name for kind, path in written.items()}


def _write_launch_files(
    plan: pd.DataFrame, folder: Path, ics: str, sales: object, *, stem: str, market: str
) -> dict[str, Path]:
    """The four files into ``folder`` (a staging folder); ``ics`` is the calendar's text."""
    return {
        "csv": write_launch_csv(plan, folder / f"{stem}.csv"),
        "xlsx": write_launch_excel(plan, folder / f"{stem}.xlsx"),
        "ics": write_text(ics, folder / f"{stem}.ics"),
        "png": write_launch_png(plan, folder / f"{stem}.png", sales, market=market),
    }
