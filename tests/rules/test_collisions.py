from datetime import datetime

import pytest

from leadctl.rules.collisions import Evidence, Side, card_counts, recommend


def side(staff_id, recorded, entered=None, followups=0, team="showroom"):
    at = datetime.fromisoformat(recorded)
    return Side(staff_id, f"s{staff_id}", team, at, datetime.fromisoformat(entered) if entered else at, followups,
                None)


@pytest.mark.parametrize("recorded, entered, counts", [
    ("2026-11-01T10:00", "2026-11-01T10:00", True),
    ("2026-11-01T10:00", "2026-11-03T10:00", True),    # exactly two days
    ("2026-11-01T10:00", "2026-11-03T10:01", False),
])
def test_a_card_counts_only_if_entered_within_the_window(recorded, entered, counts):
    assert card_counts(side(1, recorded, entered), 2) is counts


def test_first_valid_record_wins():
    ruling = recommend(Evidence(side(1, "2026-11-01T10:00"), side(2, "2026-11-05T10:00", followups=9), None), 2)
    assert ruling.staff_id == 1 and "first valid record" in ruling.reasons[0]


def test_a_late_card_does_not_count():
    owner = side(1, "2026-11-01T10:00", "2026-11-06T10:00")
    ruling = recommend(Evidence(owner, side(2, "2026-11-05T10:00"), None), 2)
    assert ruling.staff_id == 2 and "does not count" in ruling.reasons[0]


def test_a_customer_the_dcc_invited_stays_the_dccs():
    ruling = recommend(Evidence(side(1, "2026-11-01T10:00"), side(2, "2026-11-05T10:00", team="dcc"), 2), 2)
    assert ruling.staff_id == 2 and "[001]" in ruling.reasons[0]


def test_when_no_card_counts_the_follow_up_effort_decides():
    owner = side(1, "2026-11-01T10:00", "2026-11-09T10:00", followups=1)
    claimant = side(2, "2026-11-05T10:00", "2026-11-09T10:00", followups=4)
    assert recommend(Evidence(owner, claimant, None), 2).staff_id == 2


def test_never_back_to_whoever_handed_the_customer_over():
    dcc = side(2, "2026-11-01T10:00", team="dcc")
    receiver = side(1, "2026-11-05T10:00")
    ruling = recommend(Evidence(receiver, dcc, 2, frozenset({2})), 2)
    assert ruling.staff_id == 1 and "s2 handed this customer over" in ruling.reasons[0]
    assert recommend(Evidence(receiver, dcc, 2), 2).staff_id == 2  # without the handover the DCC keeps them
