"""The web page in a real browser: Debian's chromium driven by Playwright, the server started by
``launchcast app`` on a free localhost port.

Without chromium or Playwright the tests are skipped with the reason, unless
``LAUNCHCAST_REQUIRE_BROWSER=1`` (CI), where that is a failure. With ``LAUNCHCAST_APP_SCREENSHOT``
set to a path, the screenshot of the page is also saved there (the README's image).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

CHROMIUM = os.environ.get("LAUNCHCAST_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("LAUNCHCAST_REQUIRE_BROWSER") == "1"
# each wait: alone the whole test takes about a minute, but beside another test worker on two
# busy cores one re-plan of the page has taken more than 60 s
TIMEOUT_MS = 180_000


def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return 'Playwright is not installed (pip install "launchcast[test]")'
    if not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
        return f"no chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import streamlit  # noqa: F401
    except ImportError:
        return 'Streamlit is not installed (pip install "launchcast[app]")'
    return None


def _require_browser() -> None:
    reason = _browser_missing()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"LAUNCHCAST_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(f"browser test skipped: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``launchcast app`` on a free localhost port; its URL."""
    _require_browser()
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    script = Path(sys.executable).with_name("launchcast")
    command = ([str(script)] if script.is_file() else [sys.executable, "-m", "forecasting.cli"]) + [
        "app",
        "--port",
        str(port),
        "--no-browser",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        tab = context.new_page()
        tab.set_default_timeout(TIMEOUT_MS)
        tab.goto(server + "?data=files")  # on the uploads (the demo's page: test_page.py)
        tab.get_by_text("launchcast: launch timing").wait_for()
        _idle(tab)
        try:
            yield tab
        finally:
            context.close()
            browser.close()


_IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]')"""


def _idle(page: Any) -> None:
    """Wait until the script run that the last action started has finished."""
    page.wait_for_timeout(500)
    page.wait_for_function(_IDLE, polling=200)


def _upload(page: Any, index: int, path: Path) -> None:
    inputs = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    inputs.nth(index).set_input_files(str(path))
    # the file's table, or the message about it: both start with its name
    page.get_by_text(f"{path.name}:").first.wait_for()
    _idle(page)


def _my_files(page: Any) -> None:
    """The page is on the uploads, the data tab open."""
    page.get_by_role("tab", name="Data").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(3).wait_for(state="attached")
    _idle(page)


def _choose_model(page: Any, model: str) -> None:
    """Pick the store forecaster in the sidebar's plan options."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Plan options").click()
    box = sidebar.get_by_test_id("stSelectbox").filter(has_text="Store forecaster")
    box.wait_for()
    option = page.get_by_role("option", name=model, exact=True)
    for _ in range(5):  # a click while the expander still opens may not open the list
        box.click()
        try:
            option.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    option.click()
    _idle(page)


def _edit_cell(page: Any, grid: Any, row: int, column: int, text: str) -> None:
    """Type ``text`` into a cell of the grid (row 0: the first data row; column 0: the first).

    The grid is drawn on a canvas: click the first cell of the row, move right with the keyboard,
    open the cell's editor with Enter, fill it in, and press Enter to commit the edit.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    editor = page.locator("#portal textarea, #portal input").first
    for _ in range(5):  # a click while the grid is still drawn may not select the cell
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + 35 * (row + 1) + 17)
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")  # opens the cell's editor
        try:
            editor.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    editor.fill(text)
    page.keyboard.press("Enter")
    _idle(page)


def _meaningful(folder: dict[str, bytes]) -> dict[str, object]:
    """What a plan's files say, without what depends on when they were written."""
    out: dict[str, object] = {}
    for name, data in folder.items():
        if name.endswith((".csv", ".md")):
            out[name] = data.decode("utf-8-sig")
        elif name.endswith(".ics"):
            lines = data.decode("utf-8").splitlines()
            out[name] = [ln for ln in lines if not ln.startswith(("DTSTAMP", "UID"))]
        elif name.endswith(".xlsx"):
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
            out[name] = {k: v.to_csv(index=False) for k, v in sheets.items()}
        else:
            out[name] = len(data) > 0  # figures: present and not empty
    return out


def test_upload_judge_download_equals_the_command_line(
    page: Any, server: str, demo_files: dict[str, Path], tmp_path: Path
) -> None:
    _my_files(page)
    _choose_model(page, "seasonal_naive")  # the quickest; the command line is given the same
    # the uploaders are: sales, products, stores, judgments; the plan is made once all the
    # tables it needs are there, so the judgments go before the stores
    for i, table in ((0, "sales"), (1, "products"), (3, "judgments"), (2, "stores")):
        _upload(page, i, demo_files[table])
    judgments_tab = page.get_by_role("tab", name="Judgments")
    judgments_tab.click()
    panel = page.get_by_role("tabpanel", name="Judgments")
    panel.get_by_text("Demand and depth with these judgments").wait_for()
    _idle(page)
    grid = panel.locator('[data-testid="stDataFrame"]').first
    # the columns: sku, store, forecaster, units, ...
    _edit_cell(page, grid, 0, 3, "4500")
    _edit_cell(page, grid, 5, 3, "4400")
    depth = panel.locator('[data-testid="stDataFrame"]').nth(1)
    depth.wait_for()
    page.screenshot(path=str(tmp_path / "judgments.png"), full_page=True)
    target = os.environ.get("LAUNCHCAST_APP_SCREENSHOT")
    if target:
        page.screenshot(path=target)

    page.get_by_role("tab", name="Download").click()
    panel = page.get_by_role("tabpanel", name="Download")
    panel.get_by_role("button", name="Prepare the plan files").click()
    button = panel.get_by_role("button", name="Download the plan folder (zip)")
    button.wait_for()
    with page.expect_download() as caught:
        button.click()
    archive = tmp_path / "plan.zip"
    caught.value.save_as(str(archive))
    page.screenshot(path=str(tmp_path / "download.png"), full_page=True)

    judgments = pd.read_csv(demo_files["judgments"], dtype=str)
    judgments.loc[0, "units"] = "4500"
    judgments.loc[5, "units"] = "4400"
    edited = tmp_path / "judgments.csv"
    judgments.to_csv(edited, index=False)
    out = tmp_path / "cli"
    script = Path(sys.executable).with_name("launchcast")
    command = [str(script) if script.is_file() else "launchcast", "plan", "--quiet"]
    command += ["--sales", str(demo_files["sales"]), "--stores", str(demo_files["stores"])]
    command += ["--products", str(demo_files["products"]), "--judgments", str(edited)]
    command += ["--season", "2012-01-01:2012-12-31", "--model", "seasonal_naive", "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(archive) as z:
        from_page = {n.rsplit("/", 1)[-1]: z.read(n) for n in z.namelist()}
    from_cli = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(from_page) == sorted(from_cli)
    page_says, cli_says = _meaningful(from_page), _meaningful(from_cli)
    for name in sorted(cli_says):
        assert page_says[name] == cli_says[name], name
    depth_csv = pd.read_csv(out / "depth.csv")
    assert depth_csv.loc[depth_csv["sku"] == "SS12-WB01", "judge_mean"].item() == pytest.approx(
        (4500 + 5000 + 3600) / 3
    )


def test_bad_uploads_show_one_message_and_the_server_keeps_serving(
    page: Any, server: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    no_units = tmp_path / "no_units.csv"
    no_units.write_text("date,store\n2011-01-01,A\n2011-01-02,A\n", encoding="utf-8")
    _my_files(page)
    alerts = page.locator('[data-testid="stAlertContentError"]')
    for bad, words in ((empty, "empty"), (binary, "binary.csv"), (no_units, "'units'")):
        _upload(page, 0, bad)
        assert alerts.count() == 1, [alerts.nth(i).inner_text() for i in range(alerts.count())]
        assert words in alerts.first.inner_text()
        assert _healthy(server)
    page.reload()
    page.get_by_text("launchcast: launch timing").wait_for()
    assert _healthy(server)
