"""Imports every sub-command module so that each registers itself on the typer app."""

from __future__ import annotations

from forecasting.cli import version  # noqa: F401
