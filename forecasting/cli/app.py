"""The typer application that every ``launchcast`` sub-command registers on."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    name="launchcast",
    help="Launch timing, first-batch depth and store allocation for apparel chains.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Launch timing, first-batch depth and store allocation for apparel chains."""
