"""Staff commands: add, list."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _
from leadctl.services import staff as service

app = typer.Typer(help="The store's staff: who may act, in which role and team.", no_args_is_help=True)
COLUMNS = ("id", "name", "role", "team", "active", "created_at")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Staff member's name (unique)."),
    role: str = typer.Option(
        ..., "--role", help="receptionist|consultant|telesales|direct-sales|manager|service|admin (or 前台...)"
    ),
    team: str = typer.Option(None, "--team", help="showroom|dcc"),
    as_json: bool = typer.Option(False, "--json", help="Print the new staff member as JSON."),
) -> None:
    """Add a staff member (the first one, a manager or admin, needs no --as)."""
    added = context.call(ctx, service.add, name, role, team)
    if as_json:
        output.emit_json({"id": added.id, "name": added.name, "role": added.role, "team": added.team})
    else:
        output.say(
            _("added {name} ({role}{value}) as id {id}").format(
                name=added.name, role=added.role, value=", " + added.team if added.team else "", id=added.id
            )
        )


@app.command("list")
def listing(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print as CSV."),
) -> None:
    """List the staff."""
    with context.get(ctx).store() as store:
        rows = service.listing(store)
    if as_json:
        output.emit_json(rows)
    elif as_csv:
        output.emit_csv(rows, COLUMNS)
    else:
        output.emit_table(rows, COLUMNS, title=_("Staff"))


@app.command("deactivate")
def deactivate(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The staff member who leaves."),
    to: str = typer.Option(None, "--to", help="Colleague who takes over their open leads."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Deactivate a leaver (manager); their open leads move to --to in the same step."""
    result = context.call(ctx, service.deactivate, name, to)
    output.done(
        result,
        as_json,
        _("{name} deactivated; {moved} open lead(s) moved to {value}").format(
            name=result["name"], moved=result["moved"], value=result["to"] or "-"
        ),
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="staff")
