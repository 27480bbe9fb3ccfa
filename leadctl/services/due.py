"""The due list: every lead that needs contact on or before a day, most overdue first."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from leadctl.errors import NotFound, UsageError
from leadctl.i18n import _
from leadctl.models import Role, Team
from leadctl.rules import cadence, visibility
from leadctl.rules.permissions import OWNING_ROLES
from leadctl.services import leads, policy, staff
from leadctl.services.complaints import due_rows as complaint_rows
from leadctl.services.reviews import for_owners as review_comments
from leadctl.services.reviews import overdue as review_rows
from leadctl.store.db import Store

COLUMNS = ("lead_id", "name", "phone", "grade", "owner", "due_on", "overdue_days", "reason", "review")

_SELECT = (
    "SELECT l.id, l.name, l.phone, s.name, l.next_due, l.owner_id, l.pool, "
    f"{leads.state_columns('l')} FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
)


def scope_for(me: staff.Staff, owner: str | None, team: str | None, everyone: bool) -> dict:
    """Whose leads: a named owner, a team, everyone, or by default the acting salesperson's own.

    A manager acting also gets the follow-ups waiting too long for their review.
    """
    if sum(bool(x) for x in (owner, team, everyone)) > 1:
        raise UsageError(_("choose one of --owner, --team and --all"), _("they pick whose leads to list"))
    reviews = me.role is Role.MANAGER
    if owner or team or everyone:
        return {"owner": owner, "team": Team.parse(team).value if team else None, "reviews": reviews}
    if me.role in OWNING_ROLES:
        pool = "dcc" if me.role is Role.TELESALES else None  # telesales work the DCC pool too
        return {"owner": me.name, "team": None, "reviews": False, "pool": pool}
    return {"owner": None, "team": None, "reviews": reviews}


def due(store: Store, now: datetime, actor: str | None, on: date, owner: str | None = None, team: str | None = None,
        everyone: bool = False, overdue_only: bool = False) -> list[dict]:
    """The acting staff member's due list (or the one they ask for), phones shown as rules/visibility.py allows."""
    with store.read() as conn:
        me = staff.authorize(conn, now, actor, "due")
        return _due(conn, now, me, on, overdue_only, **scope_for(me, owner, team, everyone))


def _due(conn, now: datetime, me: staff.Staff, on: date, overdue_only: bool, owner: str | None = None,
         team: str | None = None, reviews: bool = False, pool: str | None = None) -> list[dict]:
    rules = policy.current(conn)
    if owner:
        who = staff.find(conn, owner)
        if who is None:
            raise NotFound(
                _("no staff member named {typed!r}").format(typed=staff.typed(owner)), _("see `leadctl staff list`")
            )
        whose, args = "l.owner_id = ?", [who.id]
        if pool:
            whose, args = "(l.owner_id = ? OR (l.owner_id IS NULL AND l.pool = ?))", [who.id, pool]
    elif team:
        whose, args = "(l.owner_id IN (SELECT id FROM staff WHERE team = ?) OR l.pool = ?)", [team, team]
    else:
        whose, args = "1", []
    where = f"{whose} AND l.next_due <= ?"
    last_day = on - timedelta(days=1) if overdue_only else on
    args.append(last_day.isoformat())
    rows = conn.execute(f"{_SELECT} WHERE {where} ORDER BY l.next_due, l.id", args).fetchall()
    extra = review_rows(conn, now, on, who.id if owner else None, team) if reviews else []
    comments = review_comments(conn, [row[0] for row in rows])
    mine = {} if reviews else {"owner_id": who.id if owner else None, "team": team}  # managers see every complaint
    extra += complaint_rows(conn, now, on, me, **mine)
    out = [{**_row(rules, me, on, row), "review": comments.get(row[0])} for row in rows]
    out += [r for r in extra if r["overdue_days"] or not overdue_only]
    return sorted(out, key=lambda r: r["due_on"])


def _row(rules, me: staff.Staff, on: date, row: tuple) -> dict:
    lead_id, name, phone, owner_name, due_on, owner_id, pool, *state = row
    grade = state[0]
    why = cadence.next_due(rules, leads.state_of(tuple(state)))
    return {
        "lead_id": lead_id, "name": name, "phone": visibility.shown(me, phone, owner_id, pool), "grade": grade,
        "owner": owner_name,
        "due_on": due_on, "overdue_days": cadence.overdue_days(date.fromisoformat(due_on), on),
        "reason": why.reason if why else "due date set before a policy change",
    }
