"""Writing a report, or the monthly set, to an Excel file: atomically, 0600, and recorded in the audit log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from leadctl.errors import PermissionDenied
from leadctl.reports.base import Period
from leadctl.reports.catalog import REPORTS
from leadctl.rules.permissions import Scope as Reach
from leadctl.rules.permissions import scope as reach_of
from leadctl.services import reports, staff
from leadctl.services.files import check_target, save_workbook, write_output
from leadctl.store.audit import record
from leadctl.store.db import Store


def _owner_for(conn, now, actor: str | None, owner: str | None, team: str | None) -> str | None:
    """Staff who may export only their own data get exactly that."""
    who = staff.authorize(conn, now, actor, "report.export")
    if reach_of("report.export", who.role) is Reach.OWN:
        if team or (owner and owner != who.name):
            raise PermissionDenied(f"{who.name} may export only their own data", "leave out --owner and --team")
        return who.name
    return owner


def export(store: Store, now: datetime, actor: str | None, name: str, period: Period, path: Path,
           owner: str | None = None, team: str | None = None, force: bool = False) -> dict:
    from openpyxl import Workbook

    from leadctl.reports.funnel import KPI
    from leadctl.reports.workbook import add_chart, write_sheet, write_summary

    names = list(REPORTS) if name == "monthly" else [reports.report_named(name).name]
    with store.write() as conn:
        owner = _owner_for(conn, now, actor, owner, team)
    check_target(path, store.path, force)
    wb = Workbook()
    wb.remove(wb.active)
    total = 0
    with store.read() as conn:
        ctx = reports.context(conn, now, actor, period, owner, team)
        for key in names:
            report = REPORTS[key]
            rows = report.build(ctx)
            add_chart(write_sheet(wb, report, rows), report, rows)
            total += len(rows)
        if name == "monthly":
            before = reports.context(conn, now, actor, period.previous(), owner, team)
            write_summary(wb, f"月度报告 {period.label} {ctx.scope.label}", KPI.build(ctx), KPI.build(before))

    def audit() -> None:
        with store.write() as conn:
            who = staff.find(conn, actor)
            record(conn, now, who.id, "export", None, file=str(path), report=name, period=period.label,
                   scope=ctx.scope.label, rows=total, masked=ctx.mask)

    write_output(path, lambda temp: save_workbook(wb, temp), store.path, force, then=audit)
    return {"file": str(path), "report": name, "sheets": wb.sheetnames, "rows": total, "masked": ctx.mask}
