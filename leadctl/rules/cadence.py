"""When a lead is next due for contact, and why. Pure: dates in, dates out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from leadctl.errors import BadInput, Refused
from leadctl.models import Due, Grade, LeadState, Status
from leadctl.rules.policy import Policy


def first_contact_deadline(policy: Policy, created_at: datetime) -> date:
    fc = policy.first_contact
    if fc.same_day:
        return created_at.date()
    return (created_at + timedelta(hours=fc.within_hours)).date()


def _settling(policy: Policy, state: LeadState) -> bool:
    fc = policy.first_contact
    return (
        fc.settle_calls > 0
        and state.followup_count < fc.settle_calls
        and state.last_contact_at is not None
        and state.last_contact_at < state.created_at + timedelta(days=fc.settle_days)
    )


def latest_allowed(policy: Policy, grade: Grade | None, contact_at: datetime) -> date | None:
    """The latest next-contact date the cadence allows after a contact; None when the grade sets none."""
    rule = policy.rule(grade) if grade else None
    if rule is None or rule.cadence_days is None:
        return None
    return contact_at.date() + timedelta(days=rule.cadence_days)


def next_due(policy: Policy, state: LeadState) -> Due | None:
    """The next contact a lead needs, or None when it needs none (closed, or graded D, O, F, L, W)."""
    if state.status is not Status.ACTIVE or state.grade in (Grade.O, Grade.F, Grade.W, Grade.L, Grade.D):
        return None
    if state.followup_count == 0:
        # a visit is contact too: the first call is owed the same day as the latest visit ([003])
        seen = max(state.created_at, state.last_contact_at or state.created_at)
        deadline = first_contact_deadline(policy, seen)
        fc = policy.first_contact
        window = "same day" if fc.same_day else f"within {fc.within_hours}h"
        what = "registration" if seen == state.created_at else "visit"
        return Due(deadline, f"first contact {window} of {what} {seen.isoformat(' ', 'minutes')}")
    last = state.last_contact_at or state.created_at  # reasons print dates as isoformat: strftime costs 4x
    if state.grade is None:
        return Due(last.date(), f"not graded after contact {last.date()}")
    rule = policy.rule(state.grade)
    if rule is None or rule.cadence_days is None:
        return None
    due = Due(last.date() + timedelta(days=rule.cadence_days),
              f"{state.grade} every {rule.cadence_days}d, last contact {last.date()}")
    fc = policy.first_contact
    if _settling(policy, state):
        step = max(1, fc.settle_days // fc.settle_calls)
        settle = last.date() + timedelta(days=step)
        if settle < due.due_on:
            due = Due(settle, f"first-week call {state.followup_count + 1} of {fc.settle_calls}, "
                              f"last contact {last.date()}")
    if state.planned_on is not None and state.planned_on < due.due_on:
        due = Due(state.planned_on, f"planned by owner, last contact {last.date()}")
    return due


def check_planned(policy: Policy, grade: Grade | None, contact_at: datetime, planned: date) -> date:
    """A staff member may plan the next contact earlier than the cadence, never later [003]."""
    if planned < contact_at.date():
        raise BadInput(f"next contact {planned} is before this follow-up ({contact_at:%Y-%m-%d})",
                      "plan a date on or after the follow-up")
    latest = latest_allowed(policy, grade, contact_at)
    if latest is not None and planned > latest:
        raise Refused(f"next contact {planned} is later than grade {grade} allows ({latest})",
                      f"plan it on or before {latest}")
    return planned


def overdue_days(due_on: date, on: date) -> int:
    return max(0, (on - due_on).days)
