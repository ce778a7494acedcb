"""Imports every sub-command module so that each registers itself on the typer app."""

from __future__ import annotations

from forecasting.cli import (
    allocate,  # noqa: F401
    calendar_cmd,  # noqa: F401
    calendar_facts,  # noqa: F401
    check,  # noqa: F401
    depth,  # noqa: F401
    forecast,  # noqa: F401
    plan,  # noqa: F401
    review,  # noqa: F401
    version,  # noqa: F401
    webpage,  # noqa: F401
)
