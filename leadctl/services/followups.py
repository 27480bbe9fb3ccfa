"""Recording a follow-up (回访): it counts only with its result, and re-plans the next contact."""

from __future__ import annotations

from datetime import date, datetime

from leadctl.errors import BadInput
from leadctl.i18n import _
from leadctl.models import Grade, Method, Status
from leadctl.rules import cadence, care, dates, grading, lifecycle
from leadctl.services import care as care_service
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store


def _parse_date(text: str, today: date) -> date:
    return dates.parse_day(text, "--next", today, dates.FUTURE)


def followup(store: Store, now: datetime, actor: str | None, lead: str, result: str, method: str = "phone",
             grade: str | None = None, next_on: str | None = None, at: str | None = None, care_kind: str | None = None,
             score: int | None = None) -> dict:
    """Record a follow-up with its result; returns its id, the grade and the next due date. With `care_kind` it
    makes an owner-care contact of a delivered customer (an SSI call may carry its `score`)."""
    result = (result or "").strip()
    if not result:
        raise BadInput(_("a follow-up counts only with its result"), _("say what came of it with --result"))
    method_ = Method.parse(method)
    given = dates.parse_moment(at, "--at", now.date()) if at else None
    planned = _parse_date(next_on, now.date()) if next_on else None
    new_grade = Grade.parse(grade) if grade else None
    kind = care.kind_of(care_kind) if care_kind else None
    if score is not None and kind is None:
        raise BadInput(_("--score is the SSI call's score"), _("give it with --care ssi"))
    score = care.score(score, kind) if kind else None
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "followup", lead_id)
        rules = policy.current(conn)
        when = leads.event_time(conn, lead_id, now, given, "follow-up")
        current, status = conn.execute("SELECT grade, status FROM leads WHERE id = ?", (lead_id,)).fetchone()
        lifecycle.check_followup(lead_id, Status(status), new_grade is not None)
        if new_grade is not None:
            grading.check_assignable(rules, new_grade)
        effective = new_grade or (Grade(current) if current else None)
        if planned is not None:
            cadence.check_planned(rules, effective, when, planned, ordered=status == Status.ORDERED)
        followup_id = conn.execute(
            "INSERT INTO followups (lead_id, at, by_id, method, result, grade, next_on) VALUES (?,?,?,?,?,?,?)",
            (lead_id, when.isoformat(), who.id, method_.value, result, new_grade,
             planned.isoformat() if planned else None),
        ).lastrowid
        if new_grade is not None and new_grade.value != current:
            leads.set_grade(conn, when, who.id, lead_id, new_grade, "stated", f"follow-up {followup_id}")
        conn.execute(
            "UPDATE leads SET followup_count = followup_count + 1, planned_on = ?,"
            " last_contact_at = max(coalesce(last_contact_at, ''), ?) WHERE id = ?",
            (planned.isoformat() if planned else None, when.isoformat(), lead_id),
        )
        cared = care_service.record(conn, rules, lead_id, kind, when.date(), followup_id, score) if kind else {}
        next_due = leads.replan(conn, rules, lead_id)
        record(conn, now, who.id, "followup", lead_id, followup_id=followup_id, method=method_.value,
               grade=new_grade, previous=current, next_on=planned, at=when, **cared)
        return {"followup_id": followup_id, "lead_id": lead_id, "grade": effective.value if effective else None,
                "next_due": next_due, **cared}
