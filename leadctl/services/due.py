"""The due list: every lead that needs contact on or before a day, in order of an explainable priority.

The listing is built in two steps: `_lead_rows` lists the leads due (their due day is the stored `next_due`), other
modules append their own rows (reviews, complaints), and `_ordered` sorts them all by the policy's `[priority]`
weights (rules/pool.py `score`; the default weights keep the most overdue first).
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from leadctl.errors import NotFound, UsageError
from leadctl.i18n import _
from leadctl.models import LeadState, Role, Team
from leadctl.planning.corrections import due_rows as check_rows
from leadctl.rules import cadence, pool, reasons, visibility
from leadctl.rules.permissions import OWNING_ROLES
from leadctl.services import leads, policy, staff
from leadctl.services.care import due_rows as care_rows
from leadctl.services.complaints import due_rows as complaint_rows
from leadctl.services.pool import Ladder
from leadctl.services.reviews import for_owners as review_comments
from leadctl.services.reviews import overdue as review_rows
from leadctl.store.db import Store

COLUMNS = ("lead_id", "name", "phone", "grade", "owner", "due_on", "overdue_days", "reason", "review", "rung",
           "score")

# the lead's own columns: enough to explain the stored due date of most leads without the per-row look-ups of
# leads.state_columns (an open order's delivery day, a reactivation, a no-show), which are read for the rest only
_OWN = "l.grade, l.status, l.created_at, l.last_contact_at, l.followup_count, l.planned_on"
_SELECT = (
    f"SELECT l.id, l.name, l.phone, s.name, l.next_due, l.owner_id, l.pool, {_OWN}"
    " FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
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
        everyone: bool = False, overdue_only: bool = False, escalated: bool = False) -> list[dict]:
    """The acting staff member's due list (or the one they ask for), phones shown as rules/visibility.py allows."""
    with store.read() as conn:
        me = staff.authorize(conn, now, actor, "due")
        rows = _due(conn, now, me, on, overdue_only, **scope_for(me, owner, team, everyone))
    return [r for r in rows if r.get("rung_action") == "manager"] if escalated else rows


def _due(conn, now: datetime, me: staff.Staff, on: date, overdue_only: bool, owner: str | None = None,
         team: str | None = None, reviews: bool = False, pool: str | None = None) -> list[dict]:
    rules = policy.current(conn)
    who = staff.find(conn, owner) if owner else None
    if owner and who is None:
        raise NotFound(_("no staff member named {typed!r}").format(typed=staff.typed(owner)),
                       _("see `leadctl staff list`"))
    out = _lead_rows(conn, rules, me, on, overdue_only, who, team, pool)
    extra = review_rows(conn, now, on, who.id if owner else None, team) if reviews else []
    mine = {} if reviews else {"owner_id": who.id if owner else None, "team": team}  # managers see every complaint
    extra += complaint_rows(conn, now, on, me, **mine)
    extra += check_rows(conn, now, on, me, None if reviews else mine["owner_id"])  # cards that failed their check
    out += [r for r in extra if r["overdue_days"] or not overdue_only]
    cared = care_rows(conn, rules, on, me, who.id if owner else None, team)  # owner care: after the leads' rows
    return _ordered(rules, on, out) + _ordered(rules, on, [r for r in cared if r["overdue_days"] or not overdue_only])


def _lead_rows(conn, rules, me: staff.Staff, on: date, overdue_only: bool, who: staff.Staff | None,
               team: str | None, pool_name: str | None) -> list[dict]:
    """The leads due by `on` in the scope asked for, each with why, its rung and its priority facts."""
    if who is not None:
        whose, args = "l.owner_id = ?", [who.id]
        if pool_name:
            whose, args = "(l.owner_id = ? OR (l.owner_id IS NULL AND l.pool = ?))", [who.id, pool_name]
    elif team:
        whose, args = "(l.owner_id IN (SELECT id FROM staff WHERE team = ?) OR l.pool = ?)", [team, team]
    else:
        whose, args = "1", []
    last_day = on - timedelta(days=1) if overdue_only else on
    args.append(last_day.isoformat())
    rows = conn.execute(f"{_SELECT} WHERE {whose} AND l.next_due <= ? ORDER BY l.next_due, l.id", args).fetchall()
    ids = [row[0] for row in rows]
    comments = review_comments(conn, ids)
    facts = _facts(conn, on, ids)
    own = [_explained(rules, row) for row in rows]
    full = _full_states(conn, [row for row, why in zip(rows, own, strict=True) if why is None])
    ladder = Ladder(rules, on)
    out = []
    for row, known in zip(rows, own, strict=True):
        if known is None:
            state = leads.state_of(full[row[0]])
            known = state, cadence.next_due(rules, state)
        lead = _row(me, on, row, *known)
        step = ladder.rung(lead["due_on"])
        lead.update(review=comments.get(row[0]), rung=step.rung if step else None,
                    rung_action=step.action if step else None)
        lead["facts"] = {**facts.get(row[0], {}), "rung": lead["rung"],
                         "planned_delivery": lead.pop("_delivery", False)}
        out.append(lead)
    return out


def _explained(rules, row: tuple) -> tuple[LeadState, reasons.Due] | None:
    """The lead's state and why it is due, when its own columns give the stored due date (true of most active leads,
    and of every delivered one: owner care is due when its owner plans it); None when the order, reactivation and
    no-show look-ups are needed (an ordered lead's delivery day, always)."""
    if row[8] != "active" and row[8] != "delivered":
        return None
    state = leads.state_of(tuple(row[7:]))
    why = cadence.next_due(rules, state)
    return (state, why) if why is not None and why.due_on.isoformat() == row[4] else None


def _full_states(conn, rows: list[tuple]) -> dict[int, tuple]:
    if not rows:
        return {}
    return {r[0]: tuple(r[1:]) for r in conn.execute(
        f"SELECT l.id, {leads.state_columns('l')} FROM leads l WHERE l.id IN (SELECT value FROM json_each(?))",
        (json.dumps([row[0] for row in rows]),))}


def _facts(conn, on: date, ids: list[int]) -> dict[int, dict]:
    """The priority's look-ups for the listed leads: an invitation expected tomorrow, an open complaint."""
    tomorrow = on + timedelta(days=1)
    out: dict[int, dict] = {}
    wanted = set(ids)
    for (lead_id,) in conn.execute("SELECT lead_id FROM invitations WHERE status = 'open' AND expected_at >= ?"
                                   " AND expected_at < ?", (tomorrow.isoformat(), (tomorrow + timedelta(days=1))
                                                            .isoformat())):
        if lead_id in wanted:
            out.setdefault(lead_id, {})["invitation_tomorrow"] = True
    for (lead_id,) in conn.execute("SELECT lead_id FROM complaints WHERE status = 'open' AND lead_id IS NOT NULL"):
        if lead_id in wanted:
            out.setdefault(lead_id, {})["open_complaint"] = True
    return out


def _ordered(rules, on: date, rows: list[dict]) -> list[dict]:
    """Every row (leads, and the rows other modules append) scored by the policy's weights, highest first; ties keep
    the due day's order."""
    weights = pool.weights(rules.data.get("priority", {}))
    for r in rows:
        facts = r.pop("facts", {})
        day = date.fromisoformat(str(r["due_on"])[:10])
        r["score"], r["terms"] = pool.score(weights, {"days_overdue": max(0, (on - day).days), "grade": r.get("grade"),
                                                      **facts})
    rows.sort(key=lambda r: r["due_on"])
    rows.sort(key=lambda r: -r["score"])
    return rows


def _row(me: staff.Staff, on: date, row: tuple, lead_state: LeadState, why: reasons.Due | None) -> dict:
    lead_id, name, phone, owner_name, due_on, owner_id, pool_name, *state = row
    grade = state[0]
    return {
        "lead_id": lead_id, "name": name, "phone": visibility.shown(me, phone, owner_id, pool_name), "grade": grade,
        "owner": owner_name,
        "due_on": due_on, "overdue_days": cadence.overdue_days(date.fromisoformat(due_on), on),
        **reasons.fields(why.why if why else reasons.reason("policy_changed")),
        "_delivery": lead_state.delivery_on is not None,
    }
