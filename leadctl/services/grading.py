"""Grading a lead: a stated grade, a purchase horizon or the three-factor assessment, with its history."""

from __future__ import annotations

import json
from datetime import datetime

from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.models import Grade
from leadctl.rules import dates, grading
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store


def decide(rules, grade: str | None, within: str | None, factors: dict[str, bool | None]) -> tuple[Grade, str, dict]:
    """The grade and how it was decided (basis and detail), from exactly one way of grading."""
    given = [name for name, on in (("GRADE", grade), ("--within", within)) if on]
    assessed = {k: bool(v) for k, v in factors.items() if v is not None}
    if assessed:
        given.append("--need/--confidence/--power")
    if len(given) != 1:
        raise UsageError(_("grade a lead one way: a GRADE, --within DURATION, or --need/--confidence/--power"),
                         _("got {value}").format(value=', '.join(given) or 'none'))
    if grade:
        return grading.check_assignable(rules, Grade.parse(grade)), "stated", {}
    if within:
        days = grading.parse_duration(within)
        return grading.check_assignable(rules, grading.from_horizon(rules, days)), "horizon", {"within_days": days}
    full = {k: assessed.get(k, False) for k in ("need", "confidence", "power")}
    return grading.check_assignable(rules, grading.from_assessment(rules, **full)), "assessment", full


def grade(store: Store, now: datetime, actor: str | None, lead: str, grade: str | None = None,
          within: str | None = None, reason: str | None = None, at: str | None = None,
          **factors: bool | None) -> dict:
    """Record a grade, dated now or `at` (the bounds of a follow-up's time), and re-plan the next due date.

    Returns the lead, old and new grade, how it was decided, when, and the next due date."""
    given = dates.parse_moment(at, "--at", now.date()) if at else None
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "grade", lead_id)
        leads.require_active(conn, lead_id, "graded")
        when = leads.event_time(conn, lead_id, now, given, "grade")
        rules = policy.current(conn)
        new, basis, detail = decide(rules, grade, within, factors)
        previous = leads.set_grade(conn, when, who.id, lead_id, new, basis, reason,
                                   json.dumps(detail) if detail else None)
        next_due = leads.replan(conn, rules, lead_id)
        record(conn, now, who.id, "grade", lead_id, grade=new.value, previous=previous, basis=basis, at=when,
               **detail)
        return {"lead_id": lead_id, "grade": new.value, "previous": previous, "basis": basis,
                "detail": detail, "at": when.isoformat(), "next_due": next_due}
