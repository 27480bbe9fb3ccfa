"""The due list: every lead that needs contact on or before a day, most overdue first."""

from __future__ import annotations

from datetime import date

from leadctl.errors import NotFound, UsageError
from leadctl.models import Role, Team
from leadctl.rules import cadence
from leadctl.services import leads, policy, staff
from leadctl.store.db import Store

COLUMNS = ("lead_id", "name", "phone", "grade", "owner", "due_on", "overdue_days", "reason")

_SELECT = (
    "SELECT l.id, l.name, l.phone, l.grade, s.name, l.next_due, l.status, l.created_at, l.last_contact_at,"
    " l.followup_count, l.planned_on FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
)


def scope_for(store: Store, actor: str | None, owner: str | None, team: str | None, everyone: bool) -> dict:
    """Whose leads: a named owner, a team, everyone, or by default the acting salesperson's own."""
    if sum(bool(x) for x in (owner, team, everyone)) > 1:
        raise UsageError("choose one of --owner, --team and --all", "they pick whose leads to list")
    if owner or team or everyone:
        return {"owner": owner, "team": Team.parse(team).value if team else None}
    if actor:
        with store.read() as conn:
            me = staff.find(conn, actor)
        if me is not None and me.role not in (Role.MANAGER, Role.ADMIN, Role.RECEPTIONIST, Role.SERVICE):
            return {"owner": me.name, "team": None}
    return {"owner": None, "team": None}


def due(store: Store, on: date, owner: str | None = None, team: str | None = None,
        overdue_only: bool = False) -> list[dict]:
    with store.read() as conn:
        rules = policy.current(conn)
        if owner:
            who = staff.find(conn, owner)
            if who is None:
                raise NotFound(f"no staff member named {owner!r}", "see `leadctl staff list`")
            where, args = "l.owner_id = ? AND l.next_due <= ?", [who.id]
        elif team:
            where, args = "l.owner_id IN (SELECT id FROM staff WHERE team = ?) AND l.next_due <= ?", [team]
        else:
            where, args = "l.next_due <= ?", []
        limit = (on.toordinal() - 1) if overdue_only else on.toordinal()
        args.append(date.fromordinal(limit).isoformat())
        rows = conn.execute(f"{_SELECT} WHERE {where} ORDER BY l.next_due, l.id", args).fetchall()
    out = []
    for lead_id, name, phone, grade, owner_name, due_on, *state in rows:
        why = cadence.next_due(rules, leads.state_of((grade, *state)))
        out.append({
            "lead_id": lead_id, "name": name, "phone": phone, "grade": grade, "owner": owner_name,
            "due_on": due_on, "overdue_days": cadence.overdue_days(date.fromisoformat(due_on), on),
            "reason": why.reason if why else "due date set before a policy change",
        })
    return out
