"""Running a report: the period, whose data, and who reads it (rules/visibility.py shows them the phones they may
see)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from leadctl.errors import NotFound, UsageError
from leadctl.i18n import _, choices
from leadctl.models import Team
from leadctl.reports.base import Context, Period, Report, Scope
from leadctl.reports.catalog import REPORTS
from leadctl.rules import visibility
from leadctl.services import policy, staff
from leadctl.store.db import Store


@dataclass(frozen=True)
class Result:
    report: Report
    period: Period
    scope: str
    rows: list[dict]
    masked: bool


MONTHLY_WORDS = ("月报", "月度报表", "工作簿")  # the monthly workbook, as the store says it


def code_of(typed: str) -> str:
    """The report a person named: by its code (`funnel`), its form's title (集客转化漏斗) or a part of the title
    only one report has (漏斗); `monthly` for the workbook (月报)."""
    text = typed.strip()
    if text in REPORTS or text == "monthly":
        return text
    if text in MONTHLY_WORDS:
        return "monthly"
    # a whole title first: 客户分析 is customers, though 保有客户分析 holds it too
    found = [r.name for r in REPORTS.values() if text == r.title] or [
        r.name for r in REPORTS.values() if text and text in r.title]
    if len(found) == 1:
        return found[0]
    if found:
        raise UsageError(_("{typed!r} is in the titles of {count} reports").format(typed=staff.typed(typed),
                                                                                  count=len(found)),
                         _("say which: {join}").format(join=choices((n, REPORTS[n].title) for n in found)))
    raise UsageError(
        _("no report named {typed!r}").format(typed=staff.typed(typed)),
        _("reports: {join}").format(join=choices([*((r.name, r.title) for r in REPORTS.values()),
                                                  ("monthly", MONTHLY_WORDS[0])])),
    )


def report_named(name: str) -> Report:
    code = code_of(name)
    if code == "monthly":
        raise UsageError(_("the monthly report is a workbook"), _("give --xlsx FILE"))
    return REPORTS[code]


def scope_of(conn, owner: str | None, team: str | None) -> Scope:
    if owner and team:
        raise UsageError(_("give --owner or --team, not both"), _("a report covers one person, one team or the store"))
    if owner:
        who = staff.find(conn, owner)
        if who is None:
            raise NotFound(
                _("no staff member named {typed!r}").format(typed=staff.typed(owner)), _("see `leadctl staff list`")
            )
        return Scope((who.id,), who.name)
    if team:
        value = Team.parse(team).value
        ids = tuple(r[0] for r in conn.execute("SELECT id FROM staff WHERE team = ?", (value,)))
        return Scope(ids, Team(value).label)
    return Scope()


def context(conn, now: datetime, viewer: staff.Staff, period: Period, owner: str | None, team: str | None) -> Context:
    return Context(conn, period, scope_of(conn, owner, team), now, policy.current(conn), viewer)


def run(store: Store, now: datetime, actor: str | None, name: str, period: Period, owner: str | None = None,
        team: str | None = None) -> Result:
    report = report_named(name)
    with store.read() as conn:
        ctx = context(conn, now, staff.authorize(conn, now, actor, "report"), period, owner, team)
        return Result(report, period, ctx.scope.label, report.build(ctx), not visibility.sees_all(ctx.viewer))
