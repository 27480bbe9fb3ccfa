"""Finding a customer (`find`) and the working list of leads (`leads`)."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _


def find(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="A name (汉字, pinyin or initials), a phone or its last four digits, a plate "
                                         "or VIN, or words of a follow-up's result or the card's notes."),
    limit: int = typer.Option(20, "--limit", help="At most this many hits."),
    as_json: bool = typer.Option(False, "--json", help="Print the hits as JSON."),
) -> None:
    """Find a customer: ranked hits, each with why it matched; phones as the reading rule shows them."""
    from leadctl.services import find as find_service

    hits = context.call(ctx, find_service.find, text, limit)
    if as_json:
        output.emit_json(hits)
        return
    for hit in hits:
        hit["matched"] = "; ".join(hit["matched"])
    output.emit_table(hits, ["lead_id", "name", "phone", "owner", "grade", "status", "matched"],
                      title=_("{count} found").format(count=len(hits)))


def leads(
    ctx: typer.Context,
    owner: str = typer.Option(None, "--owner", help="This staff member's leads [default: your own]."),
    team: str = typer.Option(None, "--team", help="The leads of a team's members (showroom|dcc)."),
    pool: bool = typer.Option(False, "--pool", help="The DCC pool's leads without an owner."),
    grade: list[str] = typer.Option(None, "--grade", help="Only these grades (repeat)."),
    status: str = typer.Option(None, "--status",
                               help="active | ordered | delivered | defeated | lost | closed [default: active]."),
    model: str = typer.Option(None, "--model", help="Model of interest."),
    channel: str = typer.Option(None, "--channel", help="Channel the lead came by."),
    since: str = typer.Option(None, "--since", help="Registered on or after this day (YYYY-MM-DD)."),
    sort: str = typer.Option("due", "--sort", help="due|created|last-contact|grade|name."),
    limit: int = typer.Option(500, "--limit", help="At most this many rows."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print as CSV."),
) -> None:
    """The working list of a person's, a team's or the pool's leads (not only those due)."""
    from leadctl.services import find as find_service

    rows = context.call(ctx, find_service.leads, {"owner": owner, "team": team, "pool": pool, "grade": grade or [],
                                                 "status": status, "model": model, "channel": channel,
                                                 "since": since}, sort, limit)
    output.listing(rows, ["lead_id", "name", "phone", "grade", "status", "owner", "model", "channel", "created_at",
                          "last_contact_at", "next_due"], _("Leads"), as_json, as_csv)


def register(app: typer.Typer) -> None:
    app.command()(find)
    app.command()(leads)
