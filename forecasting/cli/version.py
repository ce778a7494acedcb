"""``launchcast version``: print the installed version."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _dist_version

import typer

from forecasting.cli.app import app


@app.command("version")
def version_command() -> None:
    """Print the installed launchcast version."""
    try:
        typer.echo(_dist_version("launchcast"))
    except PackageNotFoundError:  # running from a source tree that is not installed
        typer.echo("unknown (not installed)")
