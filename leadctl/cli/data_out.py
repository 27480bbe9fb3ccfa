"""Data out and the file's care: export, check, backup, restore, purge."""

from __future__ import annotations

from pathlib import Path

import typer

from leadctl.cli import context, output
from leadctl.errors import ExitCode
from leadctl.services import export as export_service
from leadctl.services import maintenance
from leadctl.services import purge as purge_service


def export(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="leads, visits, followups, defeats or orders."),
    start: str = typer.Option(None, "--from", help="From this day (YYYY-MM-DD), by the record's own date."),
    end: str = typer.Option(None, "--to", help="Up to this day (YYYY-MM-DD), inclusive."),
    owner: str = typer.Option(None, "--owner", help="Only this staff member's leads."),
    team: str = typer.Option(None, "--team", help="Only this team's leads (showroom|dcc)."),
    grade: str = typer.Option(None, "--grade", help="Only leads of this grade."),
    csv_file: Path = typer.Option(None, "--csv", help="Write CSV (UTF-8 with BOM, opens in Excel)."),
    xlsx_file: Path = typer.Option(None, "--xlsx", help="Write an Excel workbook."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
) -> None:
    """Export records (audited; full phone numbers for managers only, salespeople their own leads only)."""
    c = context.get(ctx)
    filters = {"start": start, "end": end, "owner": owner, "team": team, "grade": grade}
    with c.store() as store:
        result = export_service.export(store, c.now, c.actor, kind, filters, csv_file, xlsx_file, as_json)
    if as_json:
        output.emit_json(result["rows"])
    else:
        masked = " (phones masked)" if result["masked"] else ""
        output.say(f"exported {result['rows']} {kind} to {result['file']}{masked}")


def check(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
) -> None:
    """Check the file (quick_check) and the rules a manager checks by hand; exit 5 when something needs attention."""
    c = context.get(ctx)
    with c.store() as store:
        findings = maintenance.check(store, c.now)
    if as_json:
        output.emit_json(findings)
    else:
        for key, items in findings.items():
            if key != "ok" and items:
                output.say(f"{key}: {len(items)}")
                for item in items[:10]:
                    output.say(f"  {item}")
        output.say("ok" if findings["ok"] else "needs attention")
    if findings.get("integrity"):
        raise typer.Exit(int(ExitCode.IO))
    if not findings["ok"]:
        raise typer.Exit(int(ExitCode.ATTENTION))


def backup(
    ctx: typer.Context,
    target: Path = typer.Argument(..., help="The backup file to write (must not exist)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Write a consistent copy of the database (safe while others write), 0600 (manager or admin)."""
    c = context.get(ctx)
    with c.store() as store:
        result = maintenance.backup(store, c.now, c.actor, target)
    output.emit_json(result) if as_json else output.say(f"backed up to {result['file']} ({result['bytes']} bytes)")


def restore(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup written by `leadctl backup`."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Replace the database with a backup (admin or manager); refused while anyone else uses the database."""
    c = context.get(ctx)
    with c.store() as store:
        result = maintenance.restore(store, c.now, c.actor, source)
    output.emit_json(result) if as_json else output.say(f"restored {result['db']} from {result['restored']}")


def purge(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone of the customer who asked to be erased."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Erase a customer's personal data from the file on request (manager; audited); the counts stay."""
    c = context.get(ctx)
    with c.store() as store:
        result = purge_service.purge(store, c.now, c.actor, lead)
    output.emit_json(result) if as_json else output.say(f"lead {result['lead_id']}: personal data erased")


def register(app: typer.Typer) -> None:
    for command in (export, check, backup, restore, purge):
        app.command()(command)
