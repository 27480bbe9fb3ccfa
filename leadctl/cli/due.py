"""The morning list: `leadctl due --today`."""

from __future__ import annotations

import sys
from datetime import date

import typer

from leadctl.cli import context, output
from leadctl.errors import ExitCode, UsageError
from leadctl.i18n import N_, _
from leadctl.rules import dates
from leadctl.services import due as service

RUNGS = {"late": N_("late"), "manager": N_("to the manager")}


def _day(text: str, today: date) -> date:
    return dates.parse_day(text, "--on", today, dates.FUTURE)


def due(
    ctx: typer.Context,
    today: bool = typer.Option(False, "--today", help="Due today or earlier (the default)."),
    on: str = typer.Option(None, "--on", help="Due on or before this date instead of today."),
    owner: str = typer.Option(None, "--owner", help="This staff member's leads."),
    team: str = typer.Option(None, "--team", help="This team's leads (showroom|dcc)."),
    everyone: bool = typer.Option(False, "--all", help="Everyone's leads."),
    overdue: bool = typer.Option(False, "--overdue", help="Only leads past their due date."),
    fail_if_overdue: bool = typer.Option(False, "--fail-if-overdue",
                                         help=f"Exit {int(ExitCode.ATTENTION)} when anything is overdue (cron)."),
    escalated: bool = typer.Option(False, "--escalated", help=_("Only leads up the escalation ladder to the manager.")),
    explain: bool = typer.Option(False, "--explain", help=_("Show each row's priority score and its terms.")),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print as CSV."),
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """Leads due for contact, most urgent first (the policy's priority weights: days overdue, grade, an invitation
    tomorrow, an open complaint, a planned delivery, the escalation rung), each with why it is due and its rung."""
    c = context.get(ctx)
    if today and on:
        raise UsageError(_("give --today or --on, not both"), _("--on DATE lists what is due by that day"))
    day = _day(on, c.now.date()) if on else c.now.date()
    with c.store() as store:
        rows = service.due(store, c.now, c.actor, day, owner, team, everyone, overdue, escalated)
    columns = service.COLUMNS + ("terms",) if explain else service.COLUMNS
    for r in rows:
        terms = r.pop("terms", {})
        if explain:
            r["terms"] = terms if as_json else " + ".join(f"{k} {v:g}" for k, v in terms.items())
    if as_json:  # the reason as its code and values, and the English line scripts read
        output.emit_json(rows)
    elif as_csv:  # the whole reason in the run's language
        from leadctl.cli import reasons

        output.emit_csv(reasons.rendered(rows, "long", c.now.date()), columns, codes)
    else:
        from leadctl.cli import layout

        late = [bool(r["overdue_days"]) for r in rows]
        title = _("Due by {day}: {count} leads, {late} overdue").format(day=layout.day(day, c.now.date()),
                                                                        count=len(rows), late=sum(late))
        if not rows:  # nothing due: the title says so, with no empty frame of headers
            sys.stdout.write(title + "\n")
        else:
            output.emit_table(_screen_rows(rows), [k for k in columns if k != "overdue_days"], title=title,
                              styles={"due_on": ["red" if x else None for x in late], "rung": "red"},
                              wide=wide or explain, whole="--csv")  # the terms are what --explain is asked for
    if fail_if_overdue and any(r["overdue_days"] for r in rows):
        raise typer.Exit(int(ExitCode.ATTENTION))


def _screen_rows(rows: list[dict]) -> list[dict]:
    """The rows as the table shows them: the short reason (an owner-care contact: its kind; CSV has the whole
    reason), the rung with its action, and one 到期 cell a row: how late (逾期3天) when overdue, else the day. Both
    did not fit beside the reason and the owner at 80 columns, and a late row's day is only its lateness again."""
    from leadctl.cli import layout, reasons

    rows = reasons.rendered(rows, "short")
    for r in rows:
        if r.get("rung"):
            r["rung"] = f"{r['rung']} {_(RUNGS.get(r.get('rung_action'), ''))}".strip()
        if r["overdue_days"]:
            r["due_on"] = layout.days_late(r["overdue_days"])
    return rows


def register(app: typer.Typer) -> None:
    app.command()(due)
