import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.errors import BadInput, Refused
from leadctl.models import Grade, Status
from leadctl.rules import lifecycle
from leadctl.rules.policy import DefeatRules, preset

STANDARD = preset("standard").defeat
CUSTOM = DefeatRules(("price", "dealer-service"), frozenset(), False)


@pytest.mark.parametrize("typed, code", [
    ("price", "price"), ("价格", "price"), ("产品", "product"), ("竞品", "competitor"), ("贷款", "financing"),
    ("金融", "financing"), ("不买了", "no-longer-buying"), ("联系不上", "unreachable"), ("其他", "other"),
    ("No_Longer_Buying", "no-longer-buying"), (" Competitor ", "competitor"), ("no longer buying", "no-longer-buying"),
])
def test_defeat_reasons_in_english_or_chinese(typed, code):
    assert lifecycle.defeat_reason(STANDARD, typed) == code


def test_defeat_reasons_are_the_policys():
    assert lifecycle.defeat_reason(CUSTOM, "dealer-service") == "dealer-service"
    with pytest.raises(BadInput, match="unknown defeat reason '产品'.*price \\(价格\\), dealer-service"):
        lifecycle.defeat_reason(CUSTOM, "产品")


@pytest.mark.parametrize("typed", ["", "  ", None])
def test_a_defeat_needs_a_reason(typed):
    with pytest.raises(BadInput, match="needs its reason"):
        lifecycle.defeat_reason(STANDARD, typed)


@pytest.mark.parametrize("status, grade, open_request, message", [
    (Status.ACTIVE, Grade.C, None, "graded C; a lead graded C, D cannot go straight to defeat"),
    (Status.ACTIVE, Grade.D, None, "graded D"),
    (Status.ACTIVE, Grade.H, 7, "already has defeat request 7 open"),
    (Status.ORDERED, Grade.O, None, "lead 1 is ordered; only an active lead"),
    (Status.DEFEATED, Grade.F, None, "is defeated"),
    (Status.LOST, Grade.L, None, "is lost"),
])
def test_when_a_defeat_request_is_refused(status, grade, open_request, message):
    with pytest.raises(Refused, match=message):
        lifecycle.check_defeat_request(STANDARD, 1, status, grade, open_request)


@pytest.mark.parametrize("grade", [Grade.H, Grade.A, Grade.B, None])
def test_a_defeat_may_be_requested_from_working_grades(grade):
    lifecycle.check_defeat_request(STANDARD, 1, Status.ACTIVE, grade, None)


def test_forbidden_grades_are_the_policys():
    lifecycle.check_defeat_request(CUSTOM, 1, Status.ACTIVE, Grade.C, None)


@pytest.mark.parametrize("status, act, new", [
    ("requested", "verify", "verified"),
    ("verified", "approve", "approved"),
    ("requested", "reject", "rejected"),
    ("verified", "reject", "rejected"),
])
def test_defeat_request_moves(status, act, new):
    assert lifecycle.defeat_move(STANDARD, 1, status, act) == new


def test_approval_waits_for_verification_only_when_the_policy_says_so():
    with pytest.raises(Refused, match="not verified yet"):
        lifecycle.defeat_move(STANDARD, 1, "requested", "approve")
    assert lifecycle.defeat_move(CUSTOM, 1, "requested", "approve") == "approved"


@pytest.mark.parametrize("status, act", [
    ("verified", "verify"), ("approved", "approve"), ("approved", "reject"), ("rejected", "approve"),
    ("rejected", "verify"), ("approved", "verify"),
])
def test_decided_or_verified_requests_do_not_move_back(status, act):
    with pytest.raises(Refused, match=f"is {status}"):
        lifecycle.defeat_move(CUSTOM, 1, status, act)


@pytest.mark.parametrize("act, status, new", [
    ("defeat.approve", Status.ACTIVE, Status.DEFEATED),
    ("lost", Status.ACTIVE, Status.LOST),
    ("reactivate", Status.DEFEATED, Status.ACTIVE),
    ("reactivate", Status.LOST, Status.ACTIVE),
    ("order", Status.ACTIVE, Status.ORDERED),
    ("order.cancel", Status.ORDERED, Status.ACTIVE),
    ("deliver", Status.ORDERED, Status.DELIVERED),
])
def test_lead_moves(act, status, new):
    assert lifecycle.lead_move(act, 1, status) == new


@given(st.sampled_from(sorted(lifecycle.LEAD_MOVES)), st.sampled_from(list(Status)))
def test_every_lead_move_either_follows_the_table_or_is_refused(act, status):
    starts, ends = lifecycle.LEAD_MOVES[act]
    try:
        assert lifecycle.lead_move(act, 1, status) == ends
        assert status in starts
    except Refused as exc:
        assert status not in starts and f"lead 1 is {status}" in str(exc)


def test_a_delivered_lead_is_not_reactivated():
    with pytest.raises(Refused, match="lead 1 is delivered; only a lead that is defeated or lost"):
        lifecycle.lead_move("reactivate", 1, Status.DELIVERED)


@pytest.mark.parametrize("status, act, new", [("open", "cancel", "cancelled"), ("open", "deliver", "delivered")])
def test_order_moves(status, act, new):
    assert lifecycle.order_move(1, status, act) == new


@pytest.mark.parametrize("status", ["cancelled", "delivered"])
@pytest.mark.parametrize("act", ["cancel", "deliver"])
def test_only_open_orders_move(status, act):
    with pytest.raises(Refused, match=f"order 1 is {status}; only an open order"):
        lifecycle.order_move(1, status, act)


def test_a_pending_defeat_holds_the_lead():
    lifecycle.check_not_pending(1, None, "ordered")
    with pytest.raises(Refused, match="defeat request 4 open; it cannot be ordered"):
        lifecycle.check_not_pending(1, 4, "ordered")


def test_an_order_needs_a_customer_on_record():
    lifecycle.check_orderable(1, Grade.H, True)
    lifecycle.check_orderable(1, None, True)
    with pytest.raises(Refused, match="left no contact details"):
        lifecycle.check_orderable(1, Grade.W, False)


@pytest.mark.parametrize("grade", [Grade.O, Grade.F, Grade.L, Grade.W])
def test_a_reactivated_lead_restarts_on_a_working_grade(grade):
    with pytest.raises(Refused, match=f"cannot be graded {grade}"):
        lifecycle.reactivation_grade(grade)
    assert lifecycle.reactivation_grade(Grade.B) is Grade.B
    assert lifecycle.reactivation_grade(None) is None


@pytest.mark.parametrize("attempts", [0, -1])
def test_lost_control_needs_failed_attempts(attempts):
    with pytest.raises(BadInput, match="at least one failed attempt"):
        lifecycle.check_attempts(attempts)
    assert lifecycle.check_attempts(3) == 3


@pytest.mark.parametrize("price, deposit, message", [
    (-1, None, "--price -1 is negative"),
    (None, -5, "--deposit -5 is negative"),
    (100, 200, "deposit 200 is more than the price 100"),
])
def test_bad_amounts(price, deposit, message):
    with pytest.raises(BadInput, match=message):
        lifecycle.check_amounts(price, deposit)


def test_good_amounts():
    lifecycle.check_amounts(189800, 5000)
    lifecycle.check_amounts(None, None)
    lifecycle.check_amounts(0, 0)
