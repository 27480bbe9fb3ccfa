from datetime import date, datetime

import pytest

from leadctl.errors import BadInput, Refused
from leadctl.models import Grade, LeadState, Status
from leadctl.rules import cadence
from leadctl.rules.policy import preset
from tests.rules.test_policy import CADENCE

CREATED = datetime(2026, 11, 2, 10, 0)


def state(grade, last=None, count=1, status=Status.ACTIVE, planned=None, created=CREATED):
    return LeadState(Grade(grade) if grade else None, status, created, last or created, count, planned)


@pytest.mark.parametrize("name, grade, days", [
    (name, grade, days) for name, table in CADENCE.items() for grade, days in table.items()
])
def test_every_preset_and_grade(name, grade, days):
    last = datetime(2026, 11, 10, 15, 30)
    due = cadence.next_due(preset(name), state(grade, last=last, count=5))
    if days is None:
        assert due is None
    else:
        assert due.due_on == date.fromordinal(last.date().toordinal() + days)
        assert f"{grade} every {days}d" in due.reason


@pytest.mark.parametrize("last, grade, expected", [
    (datetime(2026, 1, 31, 9), "C", date(2026, 3, 2)),      # month end, 30 days on
    (datetime(2026, 1, 31, 9), "H", date(2026, 2, 2)),
    (datetime(2028, 2, 28, 9), "H", date(2028, 3, 1)),      # leap year: Feb 29 exists
    (datetime(2028, 2, 27, 9), "H", date(2028, 2, 29)),
    (datetime(2027, 2, 28, 9), "H", date(2027, 3, 2)),      # not a leap year
    (datetime(2028, 2, 29, 9), "A", date(2028, 3, 7)),
    (datetime(2026, 12, 31, 23, 59), "H", date(2027, 1, 2)),  # year end
])
def test_month_ends_and_leap_days(last, grade, expected):
    created = datetime(2025, 1, 1)
    due = cadence.next_due(preset("standard"), state(grade, last=last, count=9, created=created))
    assert due.due_on == expected


@pytest.mark.parametrize("grade", ["D", "O", "F", "W", "L"])
def test_grades_that_are_never_due(grade):
    assert cadence.next_due(preset("standard"), state(grade, count=0)) is None


@pytest.mark.parametrize("status", [Status.DELIVERED, Status.DEFEATED, Status.LOST, Status.CLOSED])
def test_closed_leads_are_never_due(status):
    assert cadence.next_due(preset("standard"), state("H", status=status)) is None


ORDERED_AT = datetime(2026, 11, 10, 15)


@pytest.mark.parametrize("delivery, last, expected, reason", [
    (None, ORDERED_AT, date(2026, 11, 13), "ordered: every 3d until delivery, last contact 2026-11-10"),
    (date(2026, 11, 12), ORDERED_AT, date(2026, 11, 11), "delivery on 2026-11-12: contact the day before"),
    (date(2026, 11, 30), ORDERED_AT, date(2026, 11, 13), "ordered: every 3d"),
    (date(2026, 11, 30), datetime(2026, 11, 28, 9), date(2026, 11, 29), "delivery on 2026-11-30"),
    (date(2026, 11, 30), datetime(2026, 11, 29, 9), date(2026, 12, 2), "ordered: every 3d"),  # the eve call is made
])
def test_an_ordered_lead_is_followed_up_until_delivery(delivery, last, expected, reason):
    """[003] names "客户订车后不再进行回访跟进不能跟进至最终交车" as a mistake."""
    ordered = state("O", last=last, status=Status.ORDERED)._replace(delivery_on=delivery)
    due = cadence.next_due(preset("standard"), ordered)
    assert due.due_on == expected and reason in due.reason


def test_an_owner_is_due_only_for_a_contact_planned():
    delivered = state("O", last=ORDERED_AT, status=Status.DELIVERED)
    assert cadence.next_due(preset("standard"), delivered) is None
    planned = cadence.next_due(preset("standard"), delivered._replace(planned_on=date(2026, 12, 10)))
    assert planned.due_on == date(2026, 12, 10) and "owner care" in planned.reason


@pytest.mark.parametrize("grade, expected, reason", [
    (None, date(2026, 12, 1), "not graded since reactivated 2026-12-01"),
    ("H", date(2026, 12, 3), "H every 2d, reactivated 2026-12-01"),
    ("B", date(2026, 12, 16), "B every 15d, reactivated 2026-12-01"),
])
def test_a_reactivated_lead_is_due_no_earlier_than_its_reactivation(grade, expected, reason):
    back = state(grade, last=datetime(2026, 9, 1, 10))._replace(restarted_at=datetime(2026, 12, 1, 9))
    due = cadence.next_due(preset("standard"), back)
    assert due.due_on == expected and due.reason == reason


@pytest.mark.parametrize("expected_at, last, due_on", [
    (datetime(2026, 11, 27, 10), datetime(2026, 11, 24, 9), date(2026, 11, 30)),  # Friday: called back on Monday
    (datetime(2026, 11, 25, 10), datetime(2026, 11, 24, 9), date(2026, 11, 26)),
    (datetime(2026, 9, 30, 10), datetime(2026, 9, 29, 9), date(2026, 10, 8)),     # National Day holidays (preset)
])
def test_a_no_show_is_called_back_the_next_working_day(expected_at, last, due_on):
    missed = state("B", last=last)._replace(no_show_at=expected_at)
    due = cadence.next_due(preset("standard"), missed)
    assert due.due_on == due_on and due.reason == f"no-show on {expected_at.date()}"
    called = missed._replace(last_contact_at=expected_at.replace(hour=16))
    assert cadence.next_due(preset("standard"), called).reason.startswith("B every 15d")


def test_first_contact_same_day_under_standard():
    late = datetime(2026, 11, 2, 23, 50)
    due = cadence.next_due(preset("standard"), state("H", count=0, created=late))
    assert due.due_on == date(2026, 11, 2)
    assert "first contact same day" in due.reason


def test_first_contact_within_24_hours_under_dcc_crosses_midnight():
    late = datetime(2026, 11, 2, 18, 0)
    due = cadence.next_due(preset("dcc"), state(None, count=0, created=late))
    assert due.due_on == date(2026, 11, 3)
    assert "within 24h" in due.reason


def test_ungraded_lead_after_contact_is_due_for_grading():
    due = cadence.next_due(preset("standard"), state(None, last=datetime(2026, 11, 5, 9), count=1))
    assert due.due_on == date(2026, 11, 5) and "not graded" in due.reason


def test_dcc_first_week_calls_come_before_the_cadence():
    policy = preset("dcc")
    first = cadence.next_due(policy, state("B", last=datetime(2026, 11, 2, 12), count=1))
    assert first.due_on == date(2026, 11, 4)
    assert "first-week call 2 of 3" in first.reason
    third = cadence.next_due(policy, state("B", last=datetime(2026, 11, 4, 12), count=2))
    assert third.due_on == date(2026, 11, 6)
    settled = cadence.next_due(policy, state("B", last=datetime(2026, 11, 6, 12), count=3))
    assert settled.due_on == date(2026, 11, 21)
    after_week = cadence.next_due(policy, state("B", last=datetime(2026, 11, 12, 12), count=1))
    assert after_week.due_on == date(2026, 11, 27)


def test_a_planned_date_earlier_than_the_cadence_wins():
    due = cadence.next_due(preset("standard"), state("B", last=datetime(2026, 11, 10), planned=date(2026, 11, 12)))
    assert due.due_on == date(2026, 11, 12) and "planned" in due.reason


def test_a_plan_may_be_earlier_never_later():
    policy = preset("standard")
    at = datetime(2026, 11, 10, 10)
    assert cadence.check_planned(policy, Grade.A, at, date(2026, 11, 17)) == date(2026, 11, 17)
    with pytest.raises(Refused, match="later than grade A allows"):
        cadence.check_planned(policy, Grade.A, at, date(2026, 11, 18))
    with pytest.raises(BadInput, match="before this follow-up"):
        cadence.check_planned(policy, Grade.A, at, date(2026, 11, 9))
    assert cadence.check_planned(policy, Grade.D, at, date(2027, 6, 1)) == date(2027, 6, 1)


def test_overdue_days():
    assert cadence.overdue_days(date(2026, 11, 20), date(2026, 11, 24)) == 4
    assert cadence.overdue_days(date(2026, 11, 24), date(2026, 11, 24)) == 0
    assert cadence.overdue_days(date(2026, 11, 30), date(2026, 11, 24)) == 0


def test_a_return_visit_before_any_call_moves_the_first_contact_to_that_day():
    due = cadence.next_due(preset("standard"), state("B", last=datetime(2026, 11, 6, 15), count=0))
    assert due.due_on == date(2026, 11, 6) and "first contact same day of visit 2026-11-06" in due.reason
