"""When a lead is next due for contact, and why. Pure: dates in, dates out."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from leadctl.errors import BadInput, Refused
from leadctl.i18n import _
from leadctl.models import Grade, LeadState, Status
from leadctl.rules import reasons
from leadctl.rules.deadlines import rules_of
from leadctl.rules.policy import Policy


def _due(due_on: date, code: str, /, **values) -> reasons.Due:
    """A due date and why, as rules/reasons.py keeps it: the code and its values."""
    return reasons.Due(due_on, code, values)


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


def latest_allowed(policy: Policy, grade: Grade | None, contact_at: datetime, ordered: bool = False) -> date | None:
    """The latest next-contact date the cadence allows after a contact; None when the grade sets none. An ordered
    lead follows the policy's cadence for orders."""
    if ordered:
        return contact_at.date() + timedelta(days=policy.orders.followup_days)
    rule = policy.rule(grade) if grade else None
    if rule is None or rule.cadence_days is None:
        return None
    return contact_at.date() + timedelta(days=rule.cadence_days)


def next_due(policy: Policy, state: LeadState) -> reasons.Due | None:
    """The next contact a lead needs, or None when it needs none.

    An active lead follows its grade (none for D, L, W), and a no-show is called back the next working day. An
    ordered lead is followed up until delivery [003]. A delivered one is due only when its owner plans a contact
    (owner care); defeated, lost and closed leads are never due.
    """
    if state.status is Status.ORDERED:
        return _until_delivery(policy, state)
    if state.status is Status.DELIVERED:
        return _planned(None, state, "owner_care", None)
    if state.status is not Status.ACTIVE:
        return None
    due, callback = _by_grade(policy, state), _callback(policy, state)
    return callback if callback is not None and (due is None or callback.due_on < due.due_on) else due


def _anchor(state: LeadState) -> tuple[datetime, str]:
    """What the cadence counts from: the last contact (or the registration), or a later reactivation."""
    last = state.last_contact_at or state.created_at
    if state.restarted_at is not None and state.restarted_at > last:
        return state.restarted_at, "reactivated"
    return last, "last_contact"


def _by_grade(policy: Policy, state: LeadState) -> reasons.Due | None:
    if state.grade in (Grade.O, Grade.F, Grade.W, Grade.L, Grade.D):
        return None
    last, since = _anchor(state)  # reasons keep dates as isoformat: strftime costs 4x
    if state.followup_count == 0:
        # a visit is contact too: the first call is owed the same day as the latest visit ([003])
        seen = max(state.created_at, last)
        deadline = first_contact_deadline(policy, seen)
        fc = policy.first_contact
        what = "registration" if seen == state.created_at else "visit" if since == "last_contact" else "reactivation"
        return _due(deadline, "first_contact", hours=None if fc.same_day else fc.within_hours, what=what, at=seen)
    if state.grade is None:
        return _due(last.date(), "not_graded", since=since, day=last.date())
    rule = policy.rule(state.grade)
    if rule is None or rule.cadence_days is None:
        return None
    due = _due(last.date() + timedelta(days=rule.cadence_days), "grade_cadence", grade=f"{state.grade}",
               days=rule.cadence_days, since=since, day=last.date())
    fc = policy.first_contact
    if _settling(policy, state):
        step = max(1, fc.settle_days // fc.settle_calls)
        settle = last.date() + timedelta(days=step)
        if settle < due.due_on:
            due = _due(settle, "first_week", n=state.followup_count + 1, of=fc.settle_calls, since=since,
                       day=last.date())
    return _planned(due, state, since, last.date())


def _planned(due: reasons.Due | None, state: LeadState, since: str, day: date | None) -> reasons.Due | None:
    """A staff member may plan the next contact earlier than the cadence, never later [003]."""
    if state.planned_on is not None and (due is None or state.planned_on < due.due_on):
        return _due(state.planned_on, "planned", since=since, day=day)
    return due


def _until_delivery(policy: Policy, state: LeadState) -> reasons.Due | None:
    """Every few days until delivery, and a contact the day(s) before the planned delivery day [003]."""
    rules = policy.orders
    last = state.last_contact_at or state.created_at
    due = _due(last.date() + timedelta(days=rules.followup_days), "order_cadence", days=rules.followup_days,
               day=last.date())
    if state.delivery_on is not None:
        eve = state.delivery_on - timedelta(days=rules.notice_days)
        if last.date() < eve < due.due_on:
            due = _due(eve, "before_delivery", delivery_on=state.delivery_on, days_before=rules.notice_days)
    return _planned(due, state, "last_contact", last.date())


def _callback(policy: Policy, state: LeadState) -> reasons.Due | None:
    """A no-show is called back by telesales the next working day, unless they were in contact since."""
    if state.no_show_at is None or _anchor(state)[0] > state.no_show_at:
        return None
    day = state.no_show_at.date()
    return _due(rules_of(policy.data.get("complaints")).next_working(day), "no_show", day=day)


def check_planned(policy: Policy, grade: Grade | None, contact_at: datetime, planned: date,
                  ordered: bool = False) -> date:
    """A staff member may plan the next contact earlier than the cadence, never later [003]."""
    if planned < contact_at.date():
        raise BadInput(
            _("next contact {planned} is before this follow-up ({contact_at:%Y-%m-%d})").format(
                planned=planned, contact_at=contact_at
            ),
            _("plan a date on or after the follow-up"),
        )
    latest = latest_allowed(policy, grade, contact_at, ordered)
    if latest is not None and planned > latest:
        what = _("the cadence for ordered leads") if ordered else _("grade {grade}").format(grade=grade)
        raise Refused(
            _("next contact {planned} is later than {what} allows ({latest})").format(
                planned=planned, what=what, latest=latest
            ),
            _("plan it on or before {latest}").format(latest=latest),
        )
    return planned


def overdue_days(due_on: date, on: date) -> int:
    return max(0, (on - due_on).days)
