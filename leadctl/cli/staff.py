"""Staff commands: add, list, deactivate, bind, pin; and `leadctl login` for a shared desk."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.errors import ConfigError
from leadctl.i18n import _
from leadctl.services import staff as service

app = typer.Typer(help="The store's staff: who may act, in which role and team.", no_args_is_help=True)
COLUMNS = ("id", "name", "role", "team", "active", "created_at")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Staff member's name (unique)."),
    role: str = typer.Option(
        ..., "--role",
        help="receptionist | consultant | telesales | direct-sales | manager | service | admin (or 前台...)"
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
                name=added.name, role=added.role.word, value=_(", ") + added.team.word if added.team else "",
                id=added.id
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
    output.listing(rows, COLUMNS, _("Staff"), as_json, as_csv)  # none yet: the title and 0, not an empty frame


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


@app.command("bind")
def bind(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_("The staff member.")),
    os_user: str = typer.Option(..., "--os-user", help=_("OS login name, or numeric uid, that acts as them.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print the binding as JSON.")),
) -> None:
    """Let an OS account act as a staff member in the store service (admin); an account bound to several staff
    (a shared desk) needs `leadctl login`."""
    from leadctl.services import identity

    result = context.call(ctx, identity.bind, name, os_user)
    shared = _(" (shared: `leadctl login` needed)") if result["shared"] else ""
    output.done(result, as_json, _("OS uid {uid} acts as {name}{shared}").format(
        uid=result["os_uid"], name=result["name"], shared=shared))


def _pin() -> str:
    import sys

    if sys.stdin.isatty():
        return typer.prompt(_("PIN"), hide_input=True)
    return sys.stdin.readline()


@app.command("pin")
def pin(
    ctx: typer.Context,
    name: str = typer.Argument(None, help=_("Whose PIN (an admin's choice; yourself when left out).")),
) -> None:
    """Set a PIN (read from the terminal, or a line on stdin) for `leadctl login` on a shared desk."""
    from leadctl.services import identity

    result = context.call(ctx, identity.set_pin, name, _pin())
    output.say(_("PIN set for {name}").format(name=result["name"]))


def login(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_("The staff member signing in at this shared desk.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print the session as JSON.")),
) -> None:
    """Sign in at a shared desk account with your PIN: it acts as you for the policy's shift."""
    from leadctl.services import identity

    c = context.get(ctx)
    if c.peer is None:
        raise ConfigError(_("login signs in to the store service; this run opens the database itself"),
                          _("set LEADCTL_SOCKET, or use --as in embedded mode"))
    with c.store() as store:
        result = identity.login(store, c.now, c.peer, name, _pin())
    output.done(result, as_json, _("{name} signed in until {until}").format(**result))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="staff")
    root.command("login")(login)
