"""Commands that create and fill a database: init, replay."""

from __future__ import annotations

from pathlib import Path

import typer

from leadctl.cli import context, output
from leadctl.i18n import _


def init(
    ctx: typer.Context,
    preset: str = typer.Option("standard", "--policy", help="Preset: standard [003], dcc [001] or fleet [004]."),
    policy_file: str = typer.Option(None, "--policy-file", help="TOML file overriding parts of the preset."),
    lang: str = typer.Option("zh", "--lang", help="The store's default language, zh (中文) or en (English), "
                             "used when neither LEADCTL_LANG nor the locale names one."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create a new database (never overwrites an existing file)."""
    from leadctl.services.setup import init as create

    c = context.get(ctx)
    result = create(c.db, c.now, preset, policy_file, lang)
    output.done(
        result,
        as_json,
        _("created {db} with the {policy} policy; next: `leadctl staff add NAME --role manager`").format(
            db=result["db"], policy=result["policy"]
        ),
    )


def replay(
    ctx: typer.Context,
    journal: Path = typer.Argument(..., help="JSON Lines journal: {at, as, cmd, args} per line."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Apply a journal of dated commands in one transaction (all lines or none)."""
    from leadctl.services.replay import replay as run

    result = context.call(ctx, run, journal)
    output.done(result, as_json, _("applied {count} entries from {file}: {commands}").format(
        count=result["applied"], file=result["file"],
        commands=", ".join(f"{k} {v}" for k, v in result["by_command"].items())))


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(replay)
