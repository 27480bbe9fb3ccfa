from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.models import Grade, Status
from leadctl.rules import ownership
from leadctl.rules.ownership import LeadRecord, Move
from leadctl.rules.policy import preset

RULES = {rule.code: rule for rule in preset("standard").sweeps}
MONTH_END, AGE, INVITED, QUIET = RULES  # the standard preset's four rows, in policy order
CONSULTANT, TELESALES = 2, 5


def lead(grade="B", status=Status.ACTIVE, team="showroom", created=datetime(2026, 11, 1, 10), last=None,
         invited=None, owner=CONSULTANT, pool=None, swept=None, id=1):
    return LeadRecord(id, Grade(grade) if grade else None, status, owner if team else None, team, pool, created,
                      last or created, invited, swept or {})


def moved(rule, record, day):
    return ownership.moves_for(RULES[rule], record, day)


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 30), True),
    (date(2026, 11, 29), False),
    (date(2026, 12, 31), True),
    (date(2026, 12, 1), False),
    (date(2026, 4, 30), True),
    (date(2026, 1, 30), False),
    (date(2028, 2, 29), True),   # leap year: the 29th is the last day
    (date(2028, 2, 28), False),
    (date(2027, 2, 28), True),   # not a leap year: the 28th is
    (date(2100, 2, 28), True),   # a century that is not a leap year
    (date(2000, 2, 28), False),  # one that is
])
def test_month_end_only_on_the_last_day(day, expected):
    assert ownership.is_month_end(day) is expected
    assert moved(MONTH_END, lead("B", created=datetime(day.year, day.month, 1)), day) is expected


@pytest.mark.parametrize("grade, status, team, expected", [
    ("B", Status.ACTIVE, "showroom", True),
    ("L", Status.LOST, "showroom", True),
    ("F", Status.DEFEATED, "showroom", True),
    ("H", Status.ACTIVE, "showroom", False),   # showroom consultants keep H and A
    ("A", Status.ACTIVE, "showroom", False),
    ("C", Status.ACTIVE, "showroom", True),    # "只能留存H、A级客户": C and D move too [001]
    ("D", Status.ACTIVE, "showroom", True),
    ("B", Status.ACTIVE, "dcc", False),        # only showroom leads
    ("B", Status.ORDERED, "showroom", False),  # ordered, delivered and closed leads never move
    ("B", Status.CLOSED, "showroom", False),
])
def test_month_end_moves_every_showroom_grade_but_h_and_a(grade, status, team, expected):
    assert moved(MONTH_END, lead(grade, status, team), date(2026, 11, 30)) is expected


@pytest.mark.parametrize("name", ["standard", "dcc", "fleet"])
def test_each_presets_month_end_row_keeps_only_h_and_a(name):
    """The row says the showroom keeps only H and A; its grades are every other grade a lead can be worked in."""
    policy = preset(name)
    row = next(r for r in policy.sweeps if r.month_end)
    assert "keeps only H and A" in row.source
    assert row.grades == set(policy.grades) - {Grade.H, Grade.A, Grade.O, Grade.W}


@pytest.mark.parametrize("created, expected", [
    (datetime(2026, 9, 25, 23, 59), False),  # 60 days before 2026-11-24: still within two months
    (datetime(2026, 9, 24, 0, 0), True),     # 61 days
    (datetime(2026, 11, 24, 8, 0), False),
])
def test_not_closed_within_60_days(created, expected):
    assert ownership.days_since(date(2026, 11, 24), datetime(2026, 9, 25)) == 60
    assert moved(AGE, lead("C", created=created), date(2026, 11, 24)) is expected


@pytest.mark.parametrize("status, team, expected", [
    (Status.ACTIVE, "showroom", True),
    (Status.DEFEATED, "showroom", False),  # a row without grades takes active leads only
    (Status.ORDERED, "showroom", False),
    (Status.ACTIVE, "dcc", False),
    (Status.ACTIVE, None, False),          # in a pool, not the showroom's
])
def test_age_rule_takes_active_showroom_leads(status, team, expected):
    record = lead("C", status, team, created=datetime(2026, 1, 1))
    assert moved(AGE, record, date(2026, 11, 24)) is expected


@pytest.mark.parametrize("invited, expected", [
    (None, False),
    (datetime(2026, 10, 25, 18, 0), False),  # 30 days ago
    (datetime(2026, 10, 24, 9, 0), True),    # 31 days ago
])
def test_invited_over_30_days_ago_and_never_arrived(invited, expected):
    record = lead("A", team="dcc", owner=TELESALES, created=datetime(2026, 9, 1), invited=invited)
    assert moved(INVITED, record, date(2026, 11, 24)) is expected


@pytest.mark.parametrize("created, effect, expected", [
    (datetime(2026, 5, 25, 12, 0), None, False),                    # six months on 2026-11-25
    (datetime(2026, 5, 24, 12, 0), None, True),                     # six months to the day
    (datetime(2026, 1, 1), datetime(2026, 6, 1, 9), False),         # a rise, a new owner or a reactivation since
    (datetime(2026, 1, 1), datetime(2026, 5, 20, 9), True),
    (datetime(2026, 8, 31), None, False),
])
def test_half_a_year_without_effect_is_offered_to_the_manager(created, effect, expected):
    """[003] 长时间无跟踪效果半年以上: any active lead, whatever its grade and however often it was called."""
    for grade in ("B", "C", "D", "L", None):
        record = lead(grade, Status.ACTIVE, "dcc", owner=TELESALES, created=created, last=datetime(2026, 11, 20))
        record = LeadRecord(**{**record.__dict__, "effect_at": effect})
        assert moved(QUIET, record, date(2026, 11, 24)) is expected


def test_half_year_outcomes_are_the_managers():
    assert RULES[QUIET].to == "offer" and ownership.OUTCOMES == ("lost", "transfer")
    record = lead("B", Status.LOST, "dcc", owner=TELESALES, created=datetime(2025, 1, 1))
    assert moved(QUIET, record, date(2026, 11, 24)) is False  # lost already: the card is closed as lost


@pytest.mark.parametrize("previous, grade, rise", [
    ("C", "B", True), ("B", "C", False), ("D", "H", True), ("A", "A", False), ("L", "D", True), (None, "H", False),
    ("H", "O", True),
])
def test_a_grade_rise(previous, grade, rise):
    assert ownership.is_rise(Grade(previous) if previous else None, Grade(grade)) is rise


def test_sweep_returns_one_move_per_lead_by_the_first_rule():
    day = date(2026, 11, 30)
    leads = [
        lead("B", created=datetime(2026, 1, 1), id=3),                              # month-end and age: month-end
        lead("A", created=datetime(2026, 1, 1), id=2),                              # age
        lead("L", Status.ACTIVE, None, pool="dcc", created=datetime(2025, 1, 1), id=4),  # no effect, in the pool
        lead("H", id=1),                                                            # stays
        lead("A", team="dcc", owner=TELESALES, invited=datetime(2026, 10, 1), id=5),  # invited, no show
    ]
    assert ownership.sweep(RULES.values(), day, leads) == [
        Move(2, AGE, CONSULTANT, None, "dcc"),
        Move(3, MONTH_END, CONSULTANT, None, "dcc"),
        Move(4, QUIET, None, "dcc", "offer"),
        Move(5, INVITED, TELESALES, None, "manager"),
    ]


def test_a_lead_already_there_is_not_moved():
    in_queue = lead("A", team=None, pool="manager", invited=datetime(2026, 10, 1))
    assert moved(INVITED, in_queue, date(2026, 11, 24)) is False


@pytest.mark.parametrize("rule, record, swept_at, expected", [
    # the age rule moves a lead once: a manager may give it back to the showroom
    (AGE, lead("C", created=datetime(2026, 1, 1)), datetime(2026, 3, 5), False),
    # month-end moves again at the next month end, never twice the same day
    (MONTH_END, lead("B"), datetime(2026, 10, 31, 2), True),
    (MONTH_END, lead("B"), datetime(2026, 11, 30, 2), False),
    # a new invitation after the last sweep counts again
    (INVITED, lead("A", team="dcc", owner=TELESALES, invited=datetime(2026, 10, 1)), datetime(2026, 9, 1), True),
    (INVITED, lead("A", team="dcc", owner=TELESALES, invited=datetime(2026, 10, 1)), datetime(2026, 11, 2), False),
])
def test_a_rule_moves_a_lead_once_per_event(rule, record, swept_at, expected):
    again = LeadRecord(**{**record.__dict__, "swept": {rule: swept_at}})
    assert moved(rule, again, date(2026, 11, 30)) is expected


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_month_end_is_the_day_before_a_first(day):
    assert ownership.is_month_end(day) == ((day + timedelta(days=1)).month != day.month)


@given(st.integers(0, 400), st.integers(0, 400))
def test_older_than_counts_whole_days(age, threshold):
    day = date(2026, 11, 24)
    when = datetime.combine(day - timedelta(days=age), datetime.min.time()).replace(hour=23, minute=59)
    assert ownership.older_than(day, when, threshold) is (age > threshold)
    assert (when.date() < ownership.cutoff(day, threshold)) is (age > threshold)


@pytest.mark.parametrize("expected_at, day, no_show", [
    (datetime(2026, 11, 23, 18, 0), date(2026, 11, 24), True),
    (datetime(2026, 11, 24, 8, 0), date(2026, 11, 24), False),  # still their day
    (datetime(2026, 11, 25, 10, 0), date(2026, 11, 24), False),
])
def test_no_show_once_the_expected_day_is_over(expected_at, day, no_show):
    assert ownership.is_no_show(expected_at, day) is no_show
