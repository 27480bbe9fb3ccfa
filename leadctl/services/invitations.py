"""DCC invitations (邀约): invite a lead for a date, confirm the arrival, record no-shows, hand over [001].

An invitation is open until the customer arrives (linked to the visit), the expected day passes without
them (no-show), or a new invitation replaces it (rescheduled; the new one names it in `replaces`).
"""

from __future__ import annotations

import calendar
import sqlite3
from datetime import date, datetime

from leadctl.errors import BadInput, Refused, UsageError
from leadctl.i18n import N_, _
from leadctl.models import Role
from leadctl.rules import dates, ownership, phone, visibility
from leadctl.services import collisions, leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("id", "lead_id", "name", "phone", "invited_by", "invited_at", "expected_at", "status", "closed_at",
           "visit_id", "replaces", "note")
HANDOVER_COLUMNS = ("id", "at", "lead_id", "name", "phone", "model", "channel", "expected_on", "grade", "status",
                    "by", "from_owner", "to")
RECEIVING_ROLES = (Role.DIRECT_SALES, Role.CONSULTANT)


def period(start: str | None, end: str | None, today: date) -> tuple[date | None, date | None]:
    """The days a listing covers: this month when neither end is given, else from --from and to --to (either may
    be open); --from after --to is a usage error."""
    if not start and not end:
        return today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1])
    first = dates.parse_day(start, "--from", today) if start else None
    last = dates.parse_day(end, "--to", today) if end else None
    if first and last and first > last:
        raise UsageError(
            _("--from {first} is after --to {last}").format(first=first, last=last), _("give the earlier day first")
        )
    return first, last


def _within(column: str, first: date | None, last: date | None) -> tuple[str, list[str]]:
    """SQL keeping rows whose ISO time `column` falls on a day of the period (index-friendly)."""
    where, args = ["1"], []
    if first:
        where.append(f"{column} >= ?")
        args.append(first.isoformat())
    if last:
        where.append(f"{column} < ?")
        args.append(date.fromordinal(last.toordinal() + 1).isoformat())
    return " AND ".join(where), args


def invite(store: Store, now: datetime, actor: str | None, lead: str, on: str, note: str | None = None) -> dict:
    """Invite a lead to the store; an open invitation is replaced (rescheduled), or closed as a no-show."""
    expected = dates.parse_moment(on, "--on", now.date(), dates.FUTURE)
    if expected.date() < now.date():
        raise BadInput(
            _("--on {expected:%Y-%m-%d %H:%M} is in the past").format(expected=expected),
            _("invite the customer for today or later"),
        )
    note = (note or "").strip() or None
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "invite", lead_id)
        leads.require_active(conn, lead_id, "invited")
        if conn.execute("SELECT phone FROM leads WHERE id = ?", (lead_id,)).fetchone()[0] is None:
            raise Refused(
                _("lead {lead_id} left no phone number").format(lead_id=lead_id),
                _("only a lead with contact details can be invited"),
            )
        replaces, replaced_as = _close_open(conn, now, who.id, lead_id)
        invitation_id = conn.execute(
            "INSERT INTO invitations (lead_id, invited_by, invited_at, expected_at, note, replaces)"
            " VALUES (?,?,?,?,?,?)",
            (lead_id, who.id, now.isoformat(), expected.isoformat(), note, replaces),
        ).lastrowid
        leads.replan(conn, policy.current(conn), lead_id)  # a new invitation answers an earlier no-show
        record(conn, now, who.id, "invite", lead_id, invitation_id=invitation_id, expected_at=expected,
               replaces=replaces, replaced_as=replaced_as)
        return {"invitation_id": invitation_id, "lead_id": lead_id, "invited_by": who.name,
                "invited_at": now.isoformat(), "expected_at": expected.isoformat(), "note": note,
                "replaces": replaces, "replaced_as": replaced_as}


def _open_invitation(conn: sqlite3.Connection, lead_id: int) -> tuple[int, str] | None:
    """The lead's open invitation as (id, expected_at), or None."""
    return conn.execute("SELECT id, expected_at FROM invitations WHERE lead_id = ? AND status = 'open'",
                        (lead_id,)).fetchone()


def _close_open(conn: sqlite3.Connection, now: datetime, by_id: int, lead_id: int) -> tuple[int | None, str | None]:
    """Before a new invitation: the open one becomes a no-show if its day is over, else rescheduled."""
    row = _open_invitation(conn, lead_id)
    if row is None:
        return None, None
    status = "no-show" if ownership.is_no_show(datetime.fromisoformat(row[1]), now.date()) else "rescheduled"
    conn.execute("UPDATE invitations SET status = ?, closed_at = ?, closed_by = ? WHERE id = ?",
                 (status, now.isoformat(), by_id, row[0]))
    return row[0], status


def mark_arrived(conn: sqlite3.Connection, now: datetime, by_id: int | None, lead_id: int,
                 visit_id: int, on: date | None = None) -> int | None:
    """Close the lead's open invitation as arrived with this visit; its id, or None when there was none.

    With `on` (a visit registered at the desk), only an invitation whose day has not passed counts: a customer
    who missed their day and walks in weeks later is a no-show and a new visit, not a late arrival.
    """
    row = _open_invitation(conn, lead_id)
    if row is None or (on is not None and ownership.is_no_show(datetime.fromisoformat(row[1]), on)):
        return None
    conn.execute("UPDATE invitations SET status = 'arrived', closed_at = ?, closed_by = ?, visit_id = ? WHERE id = ?",
                 (now.isoformat(), by_id, visit_id, row[0]))
    record(conn, now, by_id, "arrive", lead_id, invitation_id=row[0], visit_id=visit_id)
    return row[0]


def arrive(store: Store, now: datetime, actor: str | None, lead: str) -> dict:
    """The invited customer is in the store: a visit is registered and the open invitation is arrived."""
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "arrive", lead_id)
        if _open_invitation(conn, lead_id) is None:
            raise Refused(
                _("lead {lead_id} has no open invitation").format(lead_id=lead_id),
                _("register an uninvited visitor with `leadctl intake`, or invite them with `leadctl invite`"),
            )
        channel, model, owner_id = conn.execute("SELECT channel, model, owner_id FROM leads WHERE id = ?",
                                                (lead_id,)).fetchone()
        first = not conn.execute("SELECT 1 FROM visits WHERE lead_id = ? AND kind = 'visit'", (lead_id,)).fetchone()
        visit_id = conn.execute(
            "INSERT INTO visits (lead_id, kind, channel, arrived_at, party, first_visit, left_contact, model,"
            " staff_id, registered_by) VALUES (?, 'visit', ?, ?, 1, ?, 1, ?, ?, ?)",
            (lead_id, channel, now.isoformat(), int(first), model, owner_id, who.id),
        ).lastrowid
        conn.execute("UPDATE leads SET last_contact_at = max(coalesce(last_contact_at, ''), ?) WHERE id = ?",
                     (now.isoformat(), lead_id))
        invitation_id = mark_arrived(conn, now, who.id, lead_id, visit_id)
        next_due = leads.replan(conn, policy.current(conn), lead_id)
        return {"invitation_id": invitation_id, "lead_id": lead_id, "visit_id": visit_id, "first_visit": first,
                "arrived_at": now.isoformat(), "next_due": next_due}


def pending_no_shows(conn: sqlite3.Connection, day: date) -> list[tuple[int, int, str]]:
    """Open invitations whose expected day is over on `day`: (id, lead_id, expected_at)."""
    rows = conn.execute("SELECT id, lead_id, expected_at FROM invitations WHERE status = 'open' AND expected_at < ?"
                        " ORDER BY id", (day.isoformat(),)).fetchall()
    return [r for r in rows if ownership.is_no_show(datetime.fromisoformat(r[2]), day)]


def close_no_shows(conn: sqlite3.Connection, now: datetime, by_id: int | None) -> list[int]:
    """Record every overdue open invitation as a no-show (each audited; the lead is due for telesales' call-back the
    next working day); a second run finds none."""
    closed = []
    rules = policy.current(conn)
    for invitation_id, lead_id, expected_at in pending_no_shows(conn, now.date()):
        conn.execute("UPDATE invitations SET status = 'no-show', closed_at = ?, closed_by = ? WHERE id = ?",
                     (now.isoformat(), by_id, invitation_id))
        leads.replan(conn, rules, lead_id)
        record(conn, now, by_id, "no-show", lead_id, invitation_id=invitation_id, expected_at=expected_at)
        closed.append(invitation_id)
    return closed


def invitations(store: Store, now: datetime, actor: str | None, start: str | None = None, end: str | None = None,
                record_no_shows: bool = False) -> dict:
    """Invitations expected within the period, with the summary; optionally recording no-shows first."""
    first, last = period(start, end, now.date())
    if not record_no_shows:
        with store.read() as conn:
            return _listing(conn, staff.authorize(conn, now, actor, "invitations"), first, last)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "invite")
        closed = close_no_shows(conn, now, who.id)
        return {**_listing(conn, who, first, last), "no_shows_recorded": closed}


def _listing(conn: sqlite3.Connection, viewer: staff.Staff, first: date | None, last: date | None) -> dict:
    where, args = _within("i.expected_at", first, last)
    cur = conn.execute(
        "SELECT i.id, i.lead_id, l.name, l.phone, s.name AS invited_by, i.invited_at, i.expected_at, i.status,"
        " i.closed_at, i.visit_id, i.replaces, i.note, l.owner_id, l.pool FROM invitations i"
        f" JOIN leads l ON l.id = i.lead_id LEFT JOIN staff s ON s.id = i.invited_by WHERE {where}"
        " ORDER BY i.expected_at, i.id", args)
    rows = visibility.shown_rows(viewer, COLUMNS, cur.fetchall())
    return {"invitations": rows, "summary": summary(r["status"] for r in rows)}


def summary(statuses) -> dict:
    """Counts by outcome; rescheduled invitations live on in their replacement and are not counted again."""
    counts = {"open": 0, "arrived": 0, "no-show": 0, "rescheduled": 0}
    for status in statuses:
        counts[status] += 1
    decided = counts["arrived"] + counts["no-show"]
    return {"invited": counts["open"] + decided, "arrived": counts["arrived"], "no_shows": counts["no-show"],
            "open": counts["open"], "arrival_rate": round(counts["arrived"] / decided, 4) if decided else None}


def handover(store: Store, now: datetime, actor: str | None, lead: str, to: str, expected: str | None = None) -> dict:
    """Fill the handover form for an arrived invited customer; the receiver owns the lead from now on."""
    expected_on = dates.parse_day(expected, "--expected", now.date(), dates.FUTURE) if expected else None
    if expected_on and expected_on < now.date():
        raise BadInput(
            _("--expected {expected_on} is in the past").format(expected_on=expected_on),
            _("give the day the customer expects to buy"),
        )
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "handover", lead_id)
        receiver = staff.get(conn, to, N_("receiving staff member"))
        if receiver.role not in RECEIVING_ROLES:
            raise Refused(
                _("{name} is a {role}; a handover goes to direct sales or a consultant").format(
                    name=receiver.name, role=receiver.role
                ),
                _("name a direct-sales colleague (直销员) or a sales consultant with --to"),
            )
        leads.require_active(conn, lead_id, "handed over")
        invitation_id = _arrived_invitation(conn, lead_id)
        name, number, model, channel, grade, status, owner_id = conn.execute(
            "SELECT name, phone, model, channel, grade, status, owner_id FROM leads WHERE id = ?", (lead_id,)
        ).fetchone()
        if owner_id == receiver.id:
            raise Refused(
                _("{name} already owns lead {lead_id}").format(name=receiver.name, lead_id=lead_id),
                _("hand it to someone else"),
            )
        handover_id = conn.execute(
            "INSERT INTO handovers (lead_id, invitation_id, at, by_id, from_id, to_id, name, model, channel,"
            " expected_on, grade, status) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (lead_id, invitation_id, now.isoformat(), who.id, owner_id, receiver.id, name, model, channel,
             expected_on.isoformat() if expected_on else None, grade, status),
        ).lastrowid
        form = _form(conn, who, handover_id)  # as its filler sees it, while the lead is still theirs
        leads.set_owner(conn, now, who.id, lead_id, receiver.id, "handover")
        settled = collisions.settle_by_handover(conn, now, who.id, lead_id, receiver.id, handover_id)
        record(conn, now, who.id, "handover", lead_id, handover_id=handover_id, invitation_id=invitation_id,
               from_id=owner_id, to_id=receiver.id, phone=phone.mask(number), collisions=settled)
        return form


def _arrived_invitation(conn: sqlite3.Connection, lead_id: int) -> int:
    row = conn.execute(
        "SELECT i.id FROM invitations i WHERE i.lead_id = ? AND i.status = 'arrived'"
        " AND NOT EXISTS (SELECT 1 FROM handovers h WHERE h.invitation_id = i.id) ORDER BY i.id DESC LIMIT 1",
        (lead_id,)).fetchone()
    if row is None:
        raise Refused(_("lead {lead_id} has no arrived invitation waiting for a handover").format(lead_id=lead_id),
                      _("a handover follows an invited customer's arrival: confirm it with `leadctl arrive`"))
    return row[0]


_HANDOVERS = (
    "SELECT h.id, h.at, h.lead_id, h.name, l.phone, h.model, h.channel, h.expected_on, h.grade, h.status,"
    " b.name, f.name, t.name, l.owner_id, l.pool FROM handovers h JOIN leads l ON l.id = h.lead_id"
    " LEFT JOIN staff b ON b.id = h.by_id LEFT JOIN staff f ON f.id = h.from_id LEFT JOIN staff t ON t.id = h.to_id"
)


def _handover(viewer: staff.Staff, row: tuple) -> dict:
    *values, owner_id, pool = row
    form = dict(zip(HANDOVER_COLUMNS, values, strict=True))
    form["phone"] = visibility.shown(viewer, form["phone"], owner_id, pool)
    return form


def _form(conn: sqlite3.Connection, viewer: staff.Staff, handover_id: int) -> dict:
    return _handover(viewer, conn.execute(f"{_HANDOVERS} WHERE h.id = ?", (handover_id,)).fetchone())


def handovers(store: Store, now: datetime, actor: str | None, start: str | None = None,
              end: str | None = None) -> list[dict]:
    """The handover forms filled within the period, oldest first."""
    first, last = period(start, end, now.date())
    where, args = _within("h.at", first, last)
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "handovers")
        rows = conn.execute(f"{_HANDOVERS} WHERE {where} ORDER BY h.at, h.id", args).fetchall()
    return [_handover(who, r) for r in rows]
