"""The typer application that every ``launchcast`` sub-command registers on."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["AsOf", "DateOrder", "Decimal", "Encoding", "Language", "Strict", "app"]


def _flag_help(option: Any) -> Any:
    """``--help`` shown as the flag it is (typer would show it as taking a ``<bool>``)."""
    if option is not None:
        option.metavar = ""
    return option


class _Group(TyperGroup):
    def get_help_option(self, ctx: Any) -> Any:
        return _flag_help(super().get_help_option(ctx))


class _Command(TyperCommand):
    def get_help_option(self, ctx: Any) -> Any:
        return _flag_help(super().get_help_option(ctx))


class _App(typer.Typer):
    """The typer application whose commands show ``--help`` as a flag."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    name="launchcast",
    help="Launch timing, first-batch depth and store allocation for apparel chains.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_Group,
)


@app.callback()
def _root() -> None:
    """Launch timing, first-batch depth and store allocation for apparel chains."""


def _strict(value: bool) -> bool:
    """``--strict``: from here on a data-quality warning stops the run (the runner restores it)."""
    if value:
        from forecasting.inputs.validation import DataQualityWarning

        warnings.simplefilter("error", DataQualityWarning)
    return value


Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        metavar="",
        help="Stop at the first data warning (stores missing from a table, capped depths, ...).",
        callback=_strict,
    ),
]

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Planning date (default: the day after the last sale). Nothing is delivered before "
        "it; only sales before it are learned from.",
    ),
]


def _reading(name: str) -> Callable[[str | None], str | None]:
    """A callback that sets how every file of this command is read (the runner gives each
    command a context of its own, so the setting ends with the command)."""

    def callback(value: str | None) -> str | None:
        if value is not None:
            from forecasting.inputs.tables import set_reading_option

            set_reading_option(name, value)
        return value

    return callback


Encoding = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        metavar="ENCODING",
        help="Text encoding of the CSV files, e.g. latin-1 or gb18030 (default: UTF-8, or "
        "Chinese GBK when the file decodes as Chinese).",
        callback=_reading("encoding"),
    ),
]
DateOrder = Annotated[
    str | None,
    typer.Option(
        "--date-order",
        metavar="DMY|MDY|YMD",
        help="Order of dates like 05/01/2011 (default: settled by the file, else an error).",
        callback=_reading("date_order"),
    ),
]
Decimal = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        metavar=".|,",
        help="Decimal mark of numbers written as text (default: '.', a comma is an error).",
        callback=_reading("decimal"),
    ),
]


def _language(value: str | None) -> str | None:
    """``--lang``: checked at once (an unknown language is one line, before any work)."""
    if value is not None:
        from forecasting.language import resolve_lang

        return resolve_lang(value)
    return value


Language = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        help="Language of what a person reads: the summary, the workbooks' sheets and headers, "
        "the reasons, the calendar events and the tables printed here (zh: Chinese, en: English; "
        "default: zh for a Chinese market, else en). The CSV files keep their English column "
        "names for other programs.",
        callback=_language,
    ),
]
