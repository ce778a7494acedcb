"""The planners' web page (a Streamlit script): ``launchcast app`` serves it.

Run it with ``launchcast app`` (or ``streamlit run`` on this file). Importing the module does
nothing: the page is drawn by :func:`main`, which Streamlit calls when it runs the file as a script.
The page calls the library's public functions only (through :mod:`forecasting.app.core`).
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from forecasting.inputs.readers import (
        JudgmentsTable,
        ProductsTable,
        SalesTable,
        StoresTable,
    )
    from forecasting.plan.flow import Plan

__all__ = ["main"]

TABLE_TITLES = {
    "sales": "Sales history",
    "stores": "Stores",
    "products": "New products",
    "judgments": "Judgments (optional)",
}
MODELS_SHOWN = ("prophet", "seasonal_naive", "seasonal_growth", "auto", "ets", "theta")
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
WHERE_FILES_ARE = (
    "Your files stay on this computer: each upload is read from a temporary file that is deleted "
    "at once, and its table is kept in this server's memory for this browser session only. "
    "Nothing is saved unless you download it, and nothing is sent anywhere."
)


def _table_key(table: Any) -> tuple[object, ...]:
    """A content hash of a validated table, for Streamlit's caches."""
    import pandas as pd

    frame = table.frame
    values = pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    others = [(f, repr(getattr(table, f))) for f in table.__dataclass_fields__ if f != "frame"]
    return (
        type(table).__name__,
        tuple(map(str, frame.columns)),
        tuple(map(str, frame.dtypes)),
        hashlib.sha1(values).hexdigest(),
        tuple(others),
    )


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without ``attrs`` (the page shows values; attrs do not serialise)."""
    out = frame.copy(deep=False)
    out.attrs = {}
    return out


def _hash_funcs() -> dict[Any, Callable[[Any], Any]]:
    from forecasting.inputs.readers import JudgmentsTable, ProductsTable, SalesTable, StoresTable

    return {t: _table_key for t in (SalesTable, StoresTable, ProductsTable, JudgmentsTable)}


# ----------------------------------------------------------------------------- heavy, cached work


def _demo_tables() -> dict[str, Any]:
    from forecasting.inputs import (
        load_demo,
        validate_judgments,
        validate_products,
        validate_sales,
        validate_stores,
    )

    demo = load_demo()
    sales = validate_sales(demo.sales, freq="D")
    products = validate_products(demo.products)
    stores = validate_stores(demo.stores, sales=sales)
    judgments = validate_judgments(demo.judgments, products=products, stores=stores)
    return {"sales": sales, "stores": stores, "products": products, "judgments": judgments}


def _read(name: str, data: bytes, sheet: str | None) -> pd.DataFrame:
    from forecasting.app.core import read_upload

    return read_upload(name, data, sheet)


def _validate(
    table: str,
    raw: pd.DataFrame,
    mapping: tuple[tuple[str, str], ...],
    sales: SalesTable | None,
    products: ProductsTable | None,
    stores: StoresTable | None,
) -> Any:
    from forecasting.app.core import validate_table

    return validate_table(table, raw, dict(mapping), sales=sales, products=products, stores=stores)


def _make_plan(
    sales: SalesTable,
    stores: StoresTable,
    products: ProductsTable,
    judgments: JudgmentsTable | None,
    options: tuple[tuple[str, Any], ...],
) -> tuple[Plan, list[str]]:
    from forecasting.plan import make_plan

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = make_plan(sales, stores, products, judgments, **dict(options))
    from forecasting.inputs import DataQualityWarning

    notes = [str(w.message) for w in caught if issubclass(w.category, DataQualityWarning)]
    return plan, list(dict.fromkeys(notes))


def _timeline_png(launches: pd.DataFrame, sales: SalesTable, market: str) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from forecasting.plotting import plot_launch_timeline

    fig = plot_launch_timeline(launches, sales, market=market)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


# --------------------------------------------------------------------------------- the page parts


def _upload_section(st: Any, table: str, done: dict[str, Any]) -> Any:
    """One table's upload, preview, column mapping and validation; its validated table or None."""
    from forecasting.app.core import (
        CANONICAL,
        REQUIRED,
        UPLOAD_TYPES,
        column_of_error,
        excel_sheets,
        mapping_of,
        suggest_mapping,
    )
    from forecasting.exceptions import DataValidationError

    st.subheader(TABLE_TITLES[table])
    upload = st.file_uploader(
        f"{TABLE_TITLES[table]}: CSV (any common encoding), Excel or Parquet",
        type=list(UPLOAD_TYPES),
        key=f"upload_{table}",
    )
    if upload is None:
        return None
    data = upload.getvalue()
    sheet = None
    if upload.name.lower().endswith((".xlsx", ".xlsm")):
        sheets = excel_sheets(data)
        if len(sheets) > 1:
            sheet = st.selectbox("Sheet", sheets, key=f"sheet_{table}")
    read = st.cache_data(max_entries=16, show_spinner="Reading the file ...")(_read)
    try:
        raw = read(upload.name, data, sheet)
    except DataValidationError as exc:
        st.error(str(exc), icon="⚠️")
        return None
    st.caption(f"{upload.name}: {len(raw):,} rows; the first rows as read:")
    st.dataframe(_plain(raw.head(5)), hide_index=True)
    signature = (upload.name, sheet, tuple(map(str, raw.columns)))
    if st.session_state.get(f"read_{table}") != signature:  # another file: suggest afresh
        st.session_state[f"read_{table}"] = signature
        for canonical in CANONICAL[table]:
            st.session_state.pop(f"map_{table}_{canonical}", None)
    suggested = suggest_mapping(list(raw.columns), table)
    options: list[str | None] = [None, *map(str, raw.columns)]
    st.markdown("**Columns** (each drop-down says which of your columns holds it; * required)")
    selection: dict[str, str | None] = {}
    slots: dict[str, Any] = {}
    names = CANONICAL[table]
    grid = st.columns(4)
    for i, canonical in enumerate(names):
        with grid[i % 4]:
            guess = suggested.get(canonical)
            selection[canonical] = st.selectbox(
                canonical + (" *" if canonical in REQUIRED[table] else ""),
                options,
                index=options.index(guess) if guess in options else 0,
                format_func=lambda c: "—" if c is None else c,
                key=f"map_{table}_{canonical}",
            )
            slots[canonical] = st.empty()
    mapping = mapping_of(selection)
    validate = st.cache_resource(
        max_entries=16, show_spinner="Checking the table ...", hash_funcs=_hash_funcs()
    )(_validate)
    try:
        return validate(
            table,
            raw,
            tuple(sorted(mapping.items())),
            done.get("sales"),
            done.get("products"),
            done.get("stores"),
        )
    except DataValidationError as exc:
        column = column_of_error(str(exc), mapping)
        where = slots.get(column) if column else None
        (where or st).error(str(exc), icon="⚠️")
        return None


def _data_tab(st: Any, demo: bool) -> dict[str, Any]:
    """The data tab: the demo's tables, or the uploads; the validated tables found."""
    if demo:
        tables = st.cache_resource(show_spinner="Loading the demo ...")(_demo_tables)()
        st.info(
            "The bundled demo: real daily sales of a Chinese clothing brand in 25 provinces "
            "(2008-2011), with example stores, eight new styles for 2012 and three people's "
            "judgments. Choose **My files** in the sidebar to plan on your own files."
        )
        for table, title in TABLE_TITLES.items():
            frame = tables[table].frame
            st.markdown(f"**{title}**: {len(frame):,} rows")
            st.dataframe(_plain(frame.head(5)), hide_index=True)
        return dict(tables)
    st.info(WHERE_FILES_ARE)
    done: dict[str, Any] = {}
    for table in ("sales", "products", "stores", "judgments"):
        found = _upload_section(st, table, done)
        if found is not None:
            done[table] = found
    return done


def _season_defaults(sales: SalesTable | None) -> tuple[Any, Any]:
    import pandas as pd

    if sales is None:
        return pd.Timestamp("2012-01-01").date(), pd.Timestamp("2012-12-31").date()
    start = pd.Timestamp(sales.frame["date"].max()) + pd.Timedelta(days=1)
    end = start + pd.DateOffset(years=1) - pd.Timedelta(days=1)
    return start.date(), end.date()


def _options(st: Any, sales: SalesTable | None) -> tuple[tuple[str, Any], ...]:
    import pandas as pd

    with st.sidebar.expander("Plan options", expanded=False):
        first, last = _season_defaults(sales)
        start = st.date_input("Season from", value=first, key=f"season_start_{first}")
        end = st.date_input("Season to", value=last, key=f"season_end_{last}")
        model = st.selectbox("Store forecaster", MODELS_SHOWN, key="model")
        lead = st.number_input("Days on shelf before the onset", 0, 60, 7, key="lead_days")
        weekday = st.selectbox("Delivery weekday", WEEKDAYS, key="weekday")
        pack = st.number_input("Pack size", 1, 1000, 1, key="pack_size")
        holdback = st.number_input("Warehouse holdback", 0.0, 0.9, 0.0, 0.05, key="holdback")
    season = (pd.Timestamp(start).strftime("%Y-%m-%d"), pd.Timestamp(end).strftime("%Y-%m-%d"))
    return (
        ("season", season),
        ("model", model),
        ("lead_days", int(lead)),
        ("delivery_weekday", weekday),
        ("pack_size", int(pack)),
        ("holdback", float(holdback)),
    )


def _judgments_editor(st: Any, tables: dict[str, Any]) -> Any:
    """The judgments grid; the judgments as edited (validated), None when there are none; after a
    bad edit, the message and the judgments as loaded."""
    import pandas as pd

    from forecasting.exceptions import DataValidationError
    from forecasting.inputs import validate_judgments

    products, stores = tables["products"], tables["stores"]
    base = tables.get("judgments")
    columns = ["sku", "store", "forecaster", "units", "horizon_weeks"]
    if base is not None:
        frame = base.frame.copy()
        extra = [c for c in frame.columns if c not in columns]
        for c in columns:
            if c not in frame:
                frame[c] = None
        frame = _plain(frame[[*columns, *extra]])
    else:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame["units"] = frame["units"].astype("float64")
    frame["horizon_weeks"] = pd.to_numeric(frame["horizon_weeks"]).astype("Float64")
    for c in frame.columns:
        if c not in ("units", "horizon_weeks"):
            frame[c] = frame[c].astype(object).where(frame[c].notna(), None)
    skus = sorted(map(str, products.frame["sku"]))
    store_names = sorted(map(str, stores.frame["store"]))
    st.markdown(
        "One row per estimate: who (**forecaster**) expects how many **units** of a **sku** "
        "over its first **horizon_weeks**, for all stores (leave **store** empty), or store by "
        "store (then every row names its store; a judge's stores are added up). Add a row at the "
        "bottom of the grid; the demand, the judges' weight and the depth below follow as you "
        "type."
    )
    edited = st.data_editor(
        frame,
        key="judgments_editor",
        num_rows="dynamic",
        hide_index=True,
        column_config={
            "sku": st.column_config.SelectboxColumn("sku", options=skus, width=130),
            "store": st.column_config.SelectboxColumn("store", options=store_names, width=130),
            "forecaster": st.column_config.TextColumn("forecaster", width=130),
            "units": st.column_config.NumberColumn("units", min_value=0, width=100),
            "horizon_weeks": st.column_config.NumberColumn(
                "horizon_weeks", min_value=1, step=1, width=110
            ),
        },
    )
    if base is not None and edited.equals(frame):
        return base  # as uploaded: the same table as the plan's own
    complete = edited["sku"].notna() & edited["forecaster"].notna() & edited["units"].notna()
    if (~complete).any():
        st.caption(f"{int((~complete).sum())} row(s) not complete yet (sku, forecaster, units).")
    rows = edited[complete]
    if rows.empty:
        return None
    rows = rows.dropna(axis=1, how="all")
    try:
        return validate_judgments(rows, products=products, stores=stores)
    except DataValidationError as exc:
        st.error(f"{exc} (Until it is fixed, the plan keeps the judgments as loaded.)", icon="⚠️")
        return base


def _stores_editor(st: Any, stores: StoresTable, sales: SalesTable) -> Any:
    """The stores' minimums and caps, editable; the stores as edited (validated), or after a bad
    edit the message and the stores as loaded."""
    from forecasting.exceptions import DataValidationError
    from forecasting.inputs import validate_stores

    frame = _plain(stores.frame.copy())
    for c in ("min_units", "max_units"):
        if c not in frame:
            frame[c] = float("nan")
    st.markdown(
        "Change a store's presentation minimum (**min_units**, per product) or its cap "
        "(**max_units**, blank: none) and see the depth, the allocation and the cost of the "
        "minimums change."
    )
    edited = st.data_editor(
        frame,
        key="stores_editor",
        hide_index=True,
        disabled=[c for c in frame.columns if c not in ("strategic", "min_units", "max_units")],
    )
    if edited.equals(frame):
        return stores
    try:
        return validate_stores(edited, sales=sales)
    except DataValidationError as exc:
        st.error(f"{exc} (Until it is fixed, the plan keeps the stores as loaded.)", icon="⚠️")
        return stores


def _calendar_tab(st: Any, plan: Plan) -> Plan:
    """Timeline, table and wave moves; the plan with the moves applied."""
    import pandas as pd

    from forecasting.app.core import Move, delivery_days, move_waves

    moves: list[Move] = st.session_state.setdefault("moves", [])
    weekday = str(plan.options.get("delivery_weekday", "MON"))
    market = str(plan.options.get("market", "CN"))
    with st.expander("Move a wave's delivery day", expanded=bool(moves)):
        waves = list(plan.launches["wave"])
        wave = st.selectbox("Wave", waves, key="move_wave")
        current = move_waves(plan, moves).launches.set_index("wave")["delivery_date"]
        end = plan.season[1] + pd.Timedelta(weeks=8)
        days = delivery_days(max(plan.as_of, plan.season[0]), end, weekday, market)
        now = pd.Timestamp(current.get(wave, days[0] if days else plan.as_of))
        day = st.selectbox(
            f"New delivery day (working days that are a {weekday})",
            days,
            index=days.index(now) if now in days else 0,
            format_func=lambda d: f"{d:%a %Y-%m-%d}",
            key=f"move_day_{wave}",
        )
        st.caption(
            "A moved wave keeps its shelf and promotion days relative to the delivery; its "
            "products keep the depth and allocation planned for them (the same demand over the "
            "same weeks)."
        )
        reason = st.text_input("Reason", key="move_reason")
        left, right = st.columns(2)
        if left.button("Move the delivery", key="move_button", type="primary"):
            if not reason.strip():
                st.error("Give a reason for the move: it is recorded with it.", icon="⚠️")
            elif pd.Timestamp(day) == now:
                st.info(f"{wave} is already delivered on {now:%a %Y-%m-%d}.")
            else:
                moves.append(Move(wave=wave, old=now, new=pd.Timestamp(day), reason=reason))
        if right.button("Undo the last move", key="undo_move", disabled=not moves):
            moves.pop()
    moved = move_waves(plan, moves)
    if moves:
        st.markdown("**Changes** (recorded in `changes.csv` of the download)")
        st.dataframe(_plain(pd.DataFrame([m.row() for m in moves])), hide_index=True)
    timeline = st.cache_data(
        max_entries=8, show_spinner="Drawing the timeline ...", hash_funcs=_hash_funcs()
    )(_timeline_png)
    sales = moved.inputs.sales
    if sales is not None:
        st.image(timeline(moved.launches, sales, market), width="stretch")
    shown = [
        "wave",
        "anchor",
        "expected_onset",
        "delivery_date",
        "shelf_start",
        "promotion_start",
        "promotion_end",
        "late",
        "confidence",
        "reason",
    ]
    table = moved.launches[[c for c in shown if c in moved.launches]].copy()
    for c in ("expected_onset", "delivery_date", "shelf_start", "promotion_start", "promotion_end"):
        if c in table:
            table[c] = pd.to_datetime(table[c]).dt.strftime("%a %Y-%m-%d")
    st.dataframe(_plain(table), hide_index=True)
    return moved


def _depth_view(st: Any, depth: pd.DataFrame) -> None:
    shown = depth.copy()
    for c in ("judge_mean", "judge_sd", "model_mean", "model_sd", "mean", "sd"):
        if c in shown:
            shown[c] = shown[c].round(0)
    st.dataframe(
        _plain(shown),
        hide_index=True,
        column_config={
            "judge_weight": st.column_config.ProgressColumn(
                "judges' weight", min_value=0.0, max_value=1.0, format="percent"
            ),
            "sell_through": st.column_config.NumberColumn("sell-through", format="percent"),
        },
    )


def _allocation_view(st: Any, plan: Plan, before: Plan | None) -> None:
    import pandas as pd

    depth = plan.depth.set_index("sku")
    minimums = plan.report.minimums
    cost = float(minimums["net_cost"].sum()) if len(minimums) else 0.0
    cols = st.columns(3)
    cols[0].metric("First batch, all products", f"{int(depth['depth'].sum()):,} units")
    cols[1].metric("Forced by minimums", f"{int(depth['forced_units'].sum()):,} units")
    if before is not None and before is not plan:
        old = before.report.minimums
        old_cost = float(old["net_cost"].sum()) if len(old) else 0.0
        cols[2].metric(
            "Cost of the minimums (expected units)",
            f"{cost:,.1f}",
            delta=f"{cost - old_cost:+,.1f} vs. the stores as uploaded",
            delta_color="inverse",
        )
        change = pd.DataFrame(
            {
                "depth as uploaded": before.depth.set_index("sku")["depth"],
                "depth now": depth["depth"],
            }
        )
        change["change"] = change["depth now"] - change["depth as uploaded"]
        if (change["change"] != 0).any():
            st.dataframe(_plain(change.reset_index()), hide_index=True)
    else:
        cols[2].metric("Cost of the minimums (expected units)", f"{cost:,.1f}")
    grid = plan.allocation.pivot_table(
        index="store", columns="sku", values="units", aggfunc="sum", fill_value=0
    )
    st.markdown("**Units per store and product** (the warehouse row is what stays back)")
    st.dataframe(_plain(grid))
    if len(minimums):
        st.markdown("**Presentation minimums that bind, and what each costs elsewhere**")
        st.dataframe(_plain(minimums), hide_index=True)
    st.markdown("**Per product**")
    st.dataframe(_plain(plan.report.products), hide_index=True)


def _download_tab(st: Any, plan: Plan, moves: list[Any]) -> None:
    from forecasting.app.core import plan_zip
    from forecasting.plan.folder import allocation_sheets

    token = (id(plan), tuple(moves))
    st.markdown(
        "The same folder `launchcast plan` writes: the launch calendar (CSV, Excel, iCalendar), "
        "the depth, the allocation (CSV, and Excel with a sheet per delivery wave), the figures "
        "and a summary" + ("; and `changes.csv`, your moves with their reasons." if moves else ".")
    )
    prepared = st.session_state.get("prepared")
    if prepared is None or prepared[0] != token:
        if st.button("Prepare the plan files", key="prepare", type="primary"):
            with st.spinner("Writing the plan's files ..."):
                archive = plan_zip(plan, moves)
            st.session_state["prepared"] = prepared = (token, archive)
        else:
            return
    archive = prepared[1]
    st.download_button(
        "Download the plan folder (zip)",
        data=archive,
        file_name="launchcast-plan.zip",
        mime="application/zip",
        key="download_zip",
        on_click="ignore",
        type="primary",
    )
    import io
    import zipfile

    st.markdown("**Each file on its own**")
    with zipfile.ZipFile(io.BytesIO(archive)) as folder:
        for info in folder.infolist():
            name = info.filename.rsplit("/", 1)[-1]
            st.download_button(
                name,
                data=folder.read(info),
                file_name=name,
                key=f"file_{name}",
                on_click="ignore",
            )
    st.markdown("**Each allocation sheet on its own** (CSV, one per delivery wave)")
    for sheet, table in allocation_sheets(plan).items():
        st.download_button(
            f"{sheet}.csv",
            data=table.to_csv(index=False).encode("utf-8-sig"),
            file_name=f"allocation {sheet}.csv",
            mime="text/csv",
            key=f"sheet_{sheet}",
            on_click="ignore",
        )


def main() -> None:
    """Draw the page (Streamlit runs this on every interaction)."""
    import streamlit as st

    from forecasting.app.core import live_depth
    from forecasting.exceptions import LaunchcastError

    st.set_page_config(page_title="launchcast", page_icon="🧥", layout="wide")
    st.title("launchcast: launch timing, first-batch depth and allocation")
    with st.sidebar:
        st.header("launchcast")
        # ?data=files opens on the uploads (a bookmark for planners who bring their own files)
        own = st.query_params.get("data") == "files"
        source = st.radio("Data", ["Demo data", "My files"], index=int(own), key="source")
        st.caption(WHERE_FILES_ARE)
    tabs = st.tabs(["Data", "Launch calendar", "Judgments", "Depth and allocation", "Download"])
    with tabs[0]:
        tables = _data_tab(st, demo=source == "Demo data")
    options = _options(st, tables.get("sales"))
    missing = [TABLE_TITLES[t] for t in ("sales", "stores", "products") if t not in tables]
    if missing:
        for tab in tabs[1:]:
            tab.info(f"Upload and check these first (tab Data): {', '.join(missing)}.")
        return
    plan_of = st.cache_resource(
        max_entries=6, show_spinner="Planning the season ...", hash_funcs=_hash_funcs()
    )(_make_plan)
    sales, stores, products = tables["sales"], tables["stores"], tables["products"]
    try:
        base, notes = plan_of(sales, stores, products, tables.get("judgments"), options)
    except LaunchcastError as exc:
        st.error(str(exc), icon="⚠️")
        return
    for note in notes:
        st.warning(note, icon="ℹ️")
    with tabs[2]:
        judgments = _judgments_editor(st, {**tables, "judgments": tables.get("judgments")})
        if judgments is not None:
            st.markdown("**Demand and depth with these judgments**")
            try:
                _depth_view(st, live_depth(base, judgments))
            except LaunchcastError as exc:
                st.error(str(exc), icon="⚠️")
    with tabs[3]:
        edited_stores = _stores_editor(st, stores, sales)
    try:
        judged, _ = plan_of(sales, stores, products, judgments, options)
        final = judged
        if edited_stores is not stores:
            final, _ = plan_of(sales, edited_stores, products, judgments, options)
    except LaunchcastError as exc:
        st.error(str(exc), icon="⚠️")
        return
    with tabs[1]:
        moved = _calendar_tab(st, final)
    with tabs[3]:
        _allocation_view(st, final, judged)
    with tabs[4]:
        _download_tab(st, moved, list(st.session_state.get("moves", [])))


if __name__ == "__main__":
    main()
