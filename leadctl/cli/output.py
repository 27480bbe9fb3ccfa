"""stdout is data, stderr is talk. JSON never goes through rich; tables' columns match the JSON keys."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from leadctl.errors import LeadctlError
from leadctl.i18n import _
from leadctl.rules.phone import mask_in


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def emit_csv(rows: Iterable[dict], columns: Sequence[str]) -> None:
    """CSV on stdout through the tool's one CSV writer (text Excel would run as a formula stays text)."""
    from leadctl.services.files import write_csv

    write_csv(sys.stdout, columns, ([row.get(c) for c in columns] for row in rows), lineterminator="\n")


def _console():
    """Tables fit the terminal; piped, they keep their width rather than folding at 80 columns."""
    from rich.console import Console

    return Console(highlight=False, width=None if sys.stdout.isatty() else 200)


def _text(value: Any):
    """A value as rich shows it: plain text, never markup (a customer named `[/]` or `[link=...]` is a name)."""
    from rich.text import Text

    from leadctl.rules.text import shown

    return Text("" if value is None else shown(str(value)))


def emit_table(rows: list[dict], columns: Sequence[str], title: str | None = None,
               styles: dict[str, str] | None = None) -> None:
    from rich.table import Table

    table = Table(title=_text(title) if title else None, title_justify="left", highlight=False)
    for column in columns:
        table.add_column(_text(column), style=(styles or {}).get(column), overflow="fold")
    for row in rows:
        table.add_row(*(_text(row.get(c)) for c in columns))
    _console().print(table)


def emit_pairs(pairs: dict[str, Any], title: str | None = None) -> None:
    from rich.table import Table

    table = Table(title=_text(title) if title else None, title_justify="left", show_header=False, highlight=False,
                  box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in pairs.items():
        table.add_row(_text(key), _text(value))
    _console().print(table)


def done(result: dict, as_json: bool, message: str) -> None:
    """A command's result: JSON for scripts, or one line for people."""
    if as_json:
        emit_json(result)
    else:
        say(message)


def listing(rows: list[dict], columns: Sequence[str], title: str, as_json: bool, as_csv: bool) -> None:
    """A list in the form asked for: JSON, CSV, or a table titled with its count."""
    if as_json:
        emit_json(rows)
    elif as_csv:
        emit_csv(rows, columns)
    else:
        emit_table(rows, columns, title=_("{title}: {len}").format(title=title, len=len(rows)))


def say(message: str) -> None:
    """A human note on stderr (never mixed into data on stdout)."""
    sys.stderr.write(message + "\n")


def error_line(exc: LeadctlError) -> str:
    return mask_in(f"leadctl: {exc}")
