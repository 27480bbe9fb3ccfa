"""Writing a report, or the monthly set, to an Excel file: atomically, 0600, and recorded in the audit log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from leadctl.errors import PermissionDenied
from leadctl.i18n import _
from leadctl.models import Team
from leadctl.reports.base import Period
from leadctl.reports.catalog import REPORTS
from leadctl.rules import phone, visibility
from leadctl.rules.permissions import Scope as Reach
from leadctl.rules.permissions import scope as reach_of
from leadctl.services import reports, staff
from leadctl.services.files import check_target, write_output
from leadctl.store.audit import record
from leadctl.store.db import Store


def _owner_for(conn, now, actor: str | None, owner: str | None, team: str | None) -> tuple[staff.Staff, str | None]:
    """The exporter, and whose data: staff who may export only their own data get exactly that."""
    who = staff.authorize(conn, now, actor, "report.export")
    if reach_of("report.export", who.role) is Reach.OWN:
        if team or (owner and owner != who.name):
            raise PermissionDenied(
                _("{name} may export only their own data").format(name=who.name), _("leave out --owner and --team")
            )
        return who, who.name
    return who, owner


def export(store: Store, now: datetime, actor: str | None, name: str, period: Period, path: Path,
           owner: str | None = None, team: str | None = None, force: bool = False) -> dict:
    """The rows are read in one snapshot, then streamed into the file (reports/workbook.py); the summary first."""
    from leadctl.reports.funnel import KPI
    from leadctl.reports.workbook import Book, write_sheet, write_summary

    names = list(REPORTS) if name == "monthly" else [reports.report_named(name).name]
    with store.write() as conn:
        who, owner = _owner_for(conn, now, actor, owner, team)
    check_target(path, store.path, force)
    summary = None
    with store.read() as conn:
        ctx = reports.context(conn, now, who, period, owner, team)
        sheets = [(REPORTS[key], REPORTS[key].build(ctx)) for key in names]
        if name == "monthly":
            before = reports.context(conn, now, who, period.previous(), owner, team)
            summary = (_("Monthly report {period} {scope}").format(period=period.label, scope=ctx.scope.shown),
                       KPI.build(ctx), KPI.build(before))
    total = sum(len(rows) for _, rows in sheets)
    masked = not visibility.sees_all(who)
    written: list[str] = []

    def write(temp: Path) -> None:
        with Book(temp) as book:
            if summary is not None:
                write_summary(book, *summary)
            for report, rows in sheets:
                write_sheet(book, report, rows)
            written[:] = book.sheetnames

    def audit() -> None:
        with store.write() as conn:
            record(conn, now, who.id, "export", None, file=phone.mask_in(str(path)), report=name,
                   period=period.label, owner=ctx.scope.staff_ids[0] if owner else None,
                   team=Team.parse(team).value if team else None, rows=total, masked=masked)

    write_output(path, write, store.path, force, then=audit)
    return {"file": str(path), "report": name, "sheets": written, "rows": total, "masked": masked}
