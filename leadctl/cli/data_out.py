"""Data out and the file's care: export, check, backup, restore, purge."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from leadctl.cli import context, layout, output
from leadctl.errors import ExitCode, UsageError
from leadctl.i18n import _
from leadctl.rules import dates
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
    csv_file: Path = typer.Option(None, "--csv", readable=False, help="Write CSV (UTF-8 with BOM, opens in Excel)."),
    codes: bool = output.codes_option(),
    xlsx_file: Path = typer.Option(None, "--xlsx", readable=False, help="Write an Excel workbook."),
    as_json: bool = typer.Option(False, "--json", help="Print the rows as JSON."),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists (never the database)."),
) -> None:
    """Export records (audited; full phone numbers for managers only, salespeople their own leads only)."""
    c = context.get(ctx)
    start, end = (dates.parse_day(day, flag, c.now.date()).isoformat() if day else None
                  for day, flag in ((start, "--from"), (end, "--to")))
    filters = {"start": start, "end": end, "owner": owner, "team": team, "grade": grade}
    with c.store() as store:
        result = export_service.export(store, c.now, c.actor, kind, filters, csv_file, xlsx_file, as_json,
                                      force, codes)
    if as_json:
        output.emit_json(result["rows"])
    else:
        masked = _(" (phones masked)") if result["masked"] else ""
        output.say(
            _("exported {rows} {kind} to {file}{masked}").format(
                rows=result["rows"], kind=_(layout.RECORDS.get(kind, kind)), file=result["file"], masked=masked
            )
        )


def check(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    fix_index: bool = typer.Option(False, "--fix-index", help="Rebuild the search index and pinyin keys of `find`."),
) -> None:
    """Check the file (quick_check, schema, audit chain) and the rules a manager checks by hand; exit 74 when the
    file is damaged or was changed outside leadctl, 5 when something needs attention. Cards missing a field the
    policy requires are listed per owner ([card] required), without changing the exit code."""
    from leadctl.services import card

    c = context.get(ctx)
    with c.store() as store:
        if fix_index:
            output.say(_("search index rebuilt: {rows} rows").format(rows=card.rebuild_index(store)))
        findings = maintenance.check(store, c.now)
        findings["cards_missing_required"] = card.incomplete(store, c.now)
        people = None if as_json else maintenance.people(store, findings)
    if as_json:
        output.emit_json(findings)
    else:
        from leadctl.cli import findings as shown

        shown.show(findings, people, c.now.date())
        _incomplete(findings["cards_missing_required"])
        output.say(_("ok") if findings["ok"] else _("needs attention"))
    if any(findings.get(key) for key in maintenance.FILE_FINDINGS):
        raise typer.Exit(int(ExitCode.IO))
    if not findings["ok"]:
        raise typer.Exit(int(ExitCode.ATTENTION))


def _incomplete(items: list[dict]) -> None:
    owners: dict[str, list[dict]] = {}
    for item in items:
        owners.setdefault(item["owner"] or _("(no owner)"), []).append(item)
    for owner, cards in owners.items():
        output.say(_("{owner}: {count} card(s) missing a required field").format(owner=owner, count=len(cards)))
        for item in cards[:10]:
            output.say("  " + _("lead {lead}: {fields}").format(
                lead=item["lead_id"], fields=", ".join(layout.header(f) for f in item["missing"])))


def backup(
    ctx: typer.Context,
    target: Path = typer.Argument(..., readable=False,
                                  help="The backup file to write (must not exist unless --force)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    force: bool = typer.Option(False, "--force", help="Replace an older backup at FILE (never the database)."),
) -> None:
    """Write a consistent copy of the database (safe while others write), 0600 (manager or admin)."""
    result = context.call(ctx, maintenance.backup, target, force)
    head = result["audit_head"]
    output.done(
        result,
        as_json,
        _("backed up to {file} ({bytes} bytes); audit chain head: event {event} {hash}").format(
            file=result["file"], bytes=result["bytes"], event=head["event"], hash=head["hash"]
        ),
    )


def _confirm(yes: bool):
    """--yes, or a person who answers on a terminal; a script without --yes is refused (exit 2) before any change."""
    def ask(summary: dict) -> bool:
        if yes:
            return True
        if not sys.stdin.isatty():
            raise UsageError(_("restore replaces the whole database and needs confirmation"),
                             _("pass --yes when running from a script"))
        return typer.confirm(
            _("Replace the content of {db} with {restored}? The current content is kept in {safety_copy}").format(
                db=summary["db"], restored=summary["restored"], safety_copy=summary["safety_copy"]
            ),
            default=False,
            err=True,
        )

    return ask


def restore(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A backup written by `leadctl backup`."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation (required when not on a terminal)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Replace the database with a backup (admin or manager), after checking it; keeps a safety copy of the current
    content; refused while anyone else uses the database."""
    result = context.call(ctx, maintenance.restore, source, confirm=_confirm(yes))
    again = (
        _("; {count} purge(s) re-applied").format(count=result["purges_reapplied"])
        if result["purges_reapplied"]
        else ""
    )
    output.done(
        result,
        as_json,
        _("restored {db} from {restored}; the replaced content is in {safety_copy}{again}").format(
            db=result["db"], restored=result["restored"], safety_copy=result["safety_copy"], again=again
        ),
    )


def purge(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone of the customer who asked to be erased."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Erase a customer's personal data from the file on request (manager; audited); the counts stay."""
    result = context.call(ctx, purge_service.purge, lead)
    output.done(result, as_json, _("lead {lead}: personal data erased").format(lead=result["lead_id"])
                + (_(" (it was already; the file holds no old copy)") if result["already"] else ""))


def register(app: typer.Typer) -> None:
    for command in (export, check, backup, restore, purge):
        app.command()(command)
