"""``launchcast app``: serve the planners' web page on this computer (the extra ``app``)."""

from __future__ import annotations

from typing import Annotated

import typer

from forecasting.cli.app import app

__all__ = ["app_command"]


@app.command("app")
def app_command(
    port: Annotated[int, typer.Option(help="Port of the page.")] = 8501,
    address: Annotated[
        str,
        typer.Option(
            help="Address to bind. The default serves this computer only; 0.0.0.0 serves the "
            "network (anyone who reaches it sees the uploaded files)."
        ),
    ] = "127.0.0.1",
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the page in the browser.")
    ] = True,
) -> None:
    r"""Serve the planners' web page: upload files, plan, enter judgments, download the plan.

    Needs the extra: pip install "launchcast\[app]". Stop it with Ctrl-C.
    """
    from forecasting.app import page_url, require_streamlit, serve

    require_streamlit()
    if not 0 < port < 65536:
        raise typer.BadParameter(f"{port} is not a port number (1-65535).", param_hint="--port")
    typer.echo(f"launchcast: the planners' page is at {page_url(port, address)} (Ctrl-C stops it)")
    code = serve(port, address, open_browser=browser)
    if code:
        raise typer.Exit(code)
