"""Closing a lead without a sale: defeat requests (战败) verified and decided, lost control (失控), reactivation.

A defeat is requested by the lead's salesperson, verified by customer service's call-back and approved or
rejected by a manager [003]. Approval gives the lead grade F and status `defeated`; lost control gives it
grade L and status `lost`. Either way the lead leaves every due list until it is reactivated.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadctl.errors import BadInput, NotFound
from leadctl.i18n import _
from leadctl.models import Grade, Status
from leadctl.reports.base import code, statuses
from leadctl.rules import grading, lifecycle, ownership, visibility
from leadctl.services import leads, policy, staff
from leadctl.services.transfers import effect_times
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("id", "lead_id", "name", "phone", "grade", "reason", "lost_to", "price", "note", "status",
           "requested_at", "requested_by", "verified_at", "verified_by", "verification", "decided_at",
           "decided_by", "decision_note", "lead_status")

_SELECT = """
    SELECT d.id, d.lead_id, l.name, l.phone, d.grade, d.reason, d.lost_to, d.price, d.note, d.status,
           d.requested_at, r.name, d.verified_at, v.name, d.verification, d.decided_at, m.name,
           d.decision_note, l.status, l.owner_id, l.pool
    FROM defeats d JOIN leads l ON l.id = d.lead_id LEFT JOIN staff r ON r.id = d.requested_by
    LEFT JOIN staff v ON v.id = d.verified_by LEFT JOIN staff m ON m.id = d.decided_by"""


def text(value: str | None) -> str | None:
    """Free text as kept: stripped, and None when blank."""
    return (value or "").strip() or None


def _shown(viewer: staff.Staff, row: tuple) -> dict:
    """A defeat request as `viewer` sees it: a request waiting for its call-back shows customer service the phone."""
    *values, owner_id, pool = row
    out = dict(zip(COLUMNS, values, strict=True))
    out["phone"] = visibility.shown(viewer, out["phone"], owner_id, pool, visibility.defeat_task(out["status"]))
    return out


def _get(conn: sqlite3.Connection, viewer: staff.Staff, request_id: int) -> dict:
    return _shown(viewer, conn.execute(f"{_SELECT} WHERE d.id = ?", (request_id,)).fetchone())


def _request(conn: sqlite3.Connection, request_id: int) -> tuple[int, str]:
    row = conn.execute("SELECT lead_id, status FROM defeats WHERE id = ?", (request_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no defeat request with id {request_id}").format(request_id=request_id), _("see `leadctl defeat list`")
        )
    return row


def open_request(conn: sqlite3.Connection, lead_id: int) -> int | None:
    """The lead's open (requested or verified) defeat request, if any."""
    row = conn.execute("SELECT id FROM defeats WHERE lead_id = ? AND status IN ('requested', 'verified')",
                       (lead_id,)).fetchone()
    return row[0] if row else None


def lead_state(conn: sqlite3.Connection, lead_id: int) -> tuple[Status, Grade | None]:
    status, grade = conn.execute("SELECT status, grade FROM leads WHERE id = ?", (lead_id,)).fetchone()
    return Status(status), Grade(grade) if grade else None


def _no_effect_since(conn: sqlite3.Connection, lead_id: int) -> datetime:
    created = conn.execute("SELECT created_at FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    return ownership.no_effect_since(datetime.fromisoformat(created), effect_times(conn, [lead_id]).get(lead_id))


def request(store: Store, now: datetime, actor: str | None, lead: str, reason: str, lost_to: str | None = None,
            price: int | None = None, note: str | None = None) -> dict:
    """File a defeat request (战败申请) for an active lead; returns the request with its id."""
    lifecycle.check_amounts(price, None)
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "defeat.request", lead_id)
        rules = policy.current(conn).defeat
        code = lifecycle.defeat_reason(rules, reason)
        status, grade = lead_state(conn, lead_id)
        lifecycle.check_defeat_request(rules, lead_id, status, grade, open_request(conn, lead_id))
        if code in rules.no_effect_reasons and rules.no_effect_months:
            since = _no_effect_since(conn, lead_id)
            until = ownership.no_effect_until(since, rules.no_effect_months)
            lifecycle.check_no_effect_wait(rules, lead_id, code, since.date(), until, now.date())
        request_id = conn.execute(
            "INSERT INTO defeats (lead_id, requested_at, requested_by, grade, reason, lost_to, price, note)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (lead_id, now.isoformat(), who.id, grade, code, text(lost_to), price, text(note)),
        ).lastrowid
        record(conn, now, who.id, "defeat.request", lead_id, defeat_id=request_id, reason=code, grade=grade,
               price=price)
        return _get(conn, who, request_id)


def verify(store: Store, now: datetime, actor: str | None, request_id: int, result: str) -> dict:
    """Customer service's call-back on a defeat request: who called, when, and what the customer said."""
    result_ = text(result)
    if result_ is None:
        raise BadInput(
            _("a verification counts only with its result"), _("say what the customer told you with --result")
        )
    with store.write() as conn:
        lead_id, status = _request(conn, request_id)
        who = staff.authorize(conn, now, actor, "defeat.verify", lead_id)
        new = lifecycle.defeat_move(policy.current(conn).defeat, request_id, status, "verify")
        conn.execute("UPDATE defeats SET status = ?, verified_at = ?, verified_by = ?, verification = ? WHERE id = ?",
                     (new, now.isoformat(), who.id, result_, request_id))
        record(conn, now, who.id, "defeat.verify", lead_id, defeat_id=request_id, status=new, previous=status)
        return _get(conn, who, request_id)


def approve(store: Store, now: datetime, actor: str | None, request_id: int, note: str | None = None) -> dict:
    """A manager approves a defeat: grade F, status defeated, off every due list."""
    return _decide(store, now, actor, request_id, "approve", note)


def reject(store: Store, now: datetime, actor: str | None, request_id: int, note: str | None = None) -> dict:
    """A manager rejects a defeat: the lead stays active with its grade and keeps being followed up."""
    return _decide(store, now, actor, request_id, "reject", note)


def _decide(store: Store, now: datetime, actor: str | None, request_id: int, act: str, note: str | None) -> dict:
    with store.write() as conn:
        lead_id, status = _request(conn, request_id)
        who = staff.authorize(conn, now, actor, f"defeat.{act}", lead_id)
        rules = policy.current(conn)
        new = lifecycle.defeat_move(rules.defeat, request_id, status, act)
        lead_status, grade = lead_state(conn, lead_id)
        if act == "approve":
            lead_status = lifecycle.lead_move("defeat.approve", lead_id, lead_status)
        conn.execute("UPDATE defeats SET status = ?, decided_at = ?, decided_by = ?, decision_note = ? WHERE id = ?",
                     (new, now.isoformat(), who.id, text(note), request_id))
        if act == "approve":
            leads.set_grade(conn, now, who.id, lead_id, Grade.F, "workflow", f"defeat request {request_id} approved")
            leads.set_status(conn, now, who.id, lead_id, lead_status, "defeat.approve", defeat_id=request_id)
            leads.replan(conn, rules, lead_id)
        record(conn, now, who.id, f"defeat.{act}", lead_id, defeat_id=request_id, status=new, previous=status,
               grade=Grade.F if act == "approve" else grade, lead_status=lead_status)
        return _get(conn, who, request_id)


def listing(store: Store, now: datetime, actor: str | None, status: str | None = None) -> list[dict]:
    """Defeat requests, oldest first: by default the open ones (requested: customer service's queue, verified: the
    manager's); `status` picks one queue, a closed state, or `all`."""
    status = code("status", status) or "open"
    chosen = {"open": lifecycle.DEFEAT_OPEN, "all": lifecycle.DEFEAT_STATUSES, "全部": lifecycle.DEFEAT_STATUSES}.get(
        status, (status,))
    if not set(chosen) <= set(lifecycle.DEFEAT_STATUSES):
        raise BadInput(_("unknown defeat request status {status!r}").format(status=status),
                       _("use one of: {join}").format(join=statuses((*lifecycle.DEFEAT_STATUSES, "open", "all"))))
    marks = ", ".join("?" * len(chosen))
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "defeat.list")
        rows = conn.execute(f"{_SELECT} WHERE d.status IN ({marks}) ORDER BY d.requested_at, d.id", chosen).fetchall()
    return [_shown(who, row) for row in rows]


def lost(store: Store, now: datetime, actor: str | None, lead: str, attempts: int, note: str | None = None) -> dict:
    """Mark lost control (失控: unreachable) after `attempts` failed tries: grade L, status lost, never due."""
    lifecycle.check_attempts(attempts)
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "lost", lead_id)
        status, _ = lead_state(conn, lead_id)
        new = lifecycle.lead_move("lost", lead_id, status)
        lifecycle.check_not_pending(lead_id, open_request(conn, lead_id), "marked lost")
        previous = leads.set_grade(conn, now, who.id, lead_id, Grade.L, "workflow",
                                   f"lost control after {attempts} failed attempt(s)")
        leads.set_status(conn, now, who.id, lead_id, new, "lost", attempts=attempts, reason=text(note))
        next_due = leads.replan(conn, policy.current(conn), lead_id)
        record(conn, now, who.id, "lost", lead_id, attempts=attempts, grade=Grade.L, previous=previous,
               status=new, previous_status=status)
        return {"lead_id": lead_id, "status": new.value, "previous_status": status.value, "grade": Grade.L.value,
                "previous_grade": previous, "attempts": attempts, "next_due": next_due}


def reactivate(store: Store, now: datetime, actor: str | None, lead: str, grade: str | None = None,
               reason: str | None = None) -> dict:
    """Bring a defeated or lost lead back to active, with the grade given or none (due at once for grading).

    A plan made before it closed is dropped; the cadence of the new grade (or the need to grade it) decides
    when it is next due.
    """
    wanted = lifecycle.reactivation_grade(Grade.parse(grade)) if grade else None
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "reactivate", lead_id)
        status, previous = lead_state(conn, lead_id)
        new = lifecycle.lead_move("reactivate", lead_id, status)
        rules = policy.current(conn)
        if wanted is not None:
            grading.check_assignable(rules, wanted)
        leads.set_status(conn, now, who.id, lead_id, new, "reactivate", reason=text(reason))
        if wanted is not None:
            leads.set_grade(conn, now, who.id, lead_id, wanted, "stated", text(reason) or "reactivated")
        else:
            conn.execute("UPDATE leads SET grade = NULL, grade_basis = NULL WHERE id = ?", (lead_id,))
        conn.execute("UPDATE leads SET planned_on = NULL WHERE id = ?", (lead_id,))
        next_due = leads.replan(conn, rules, lead_id)
        record(conn, now, who.id, "reactivate", lead_id, grade=wanted, previous=previous, status=new,
               previous_status=status)
        return {"lead_id": lead_id, "status": new.value, "previous_status": status.value,
                "grade": wanted.value if wanted else None, "previous_grade": previous.value if previous else None,
                "next_due": next_due}
