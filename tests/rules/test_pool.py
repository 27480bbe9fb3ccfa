from datetime import date

import pytest

from leadctl.errors import BadInput
from leadctl.rules import policy, pool


def _rule(name="round-robin", skip=True, cap=None):
    return pool.Distribution(name, ("telesales",), ("dcc",), ("web",), skip, (), cap)


PEOPLE = [pool.Candidate(1, "a"), pool.Candidate(2, "b"), pool.Candidate(3, "c")]


@pytest.mark.parametrize("text, days", [
    ("周一..周五", (1, 2, 3, 4, 5)), ("周六..周一", (1, 6, 7)), ("周一,周三、周五", (1, 3, 5)),
    ("mon..fri", (1, 2, 3, 4, 5)), ("1-5", (1, 2, 3, 4, 5)), ("星期日", (7,)),
])
def test_weekdays(text, days):
    assert pool.parse_days(text) == days


@pytest.mark.parametrize("text", ["", "周八", "1..2..3", "0"])
def test_bad_weekdays(text):
    with pytest.raises(BadInput):
        pool.parse_days(text)


def test_round_robin_continues_after_the_last_one_given():
    leads = [pool.PoolLead(i) for i in range(4)]
    assert [to for _, to in pool.distribute(_rule(), leads, PEOPLE, last_given=2)] == [3, 1, 2, 3]


def test_a_defeated_lead_goes_to_someone_else():
    leads = [pool.PoolLead(1, frozenset({1})), pool.PoolLead(2, frozenset({1, 2, 3}))]
    assert pool.distribute(_rule(), leads, PEOPLE) == [(1, 2), (2, 3)]  # nobody else left: in turn after all
    assert pool.distribute(_rule(skip=False), leads[:1], PEOPLE) == [(1, 1)]


def test_least_loaded_fills_the_emptiest_up_to_the_norm():
    people = [pool.Candidate(1, "a", 4), pool.Candidate(2, "b", 2)]
    out = pool.distribute(_rule("least-loaded", cap=5), [pool.PoolLead(i) for i in range(6)], people)
    assert [to for _, to in out] == [2, 2, 1, 2, None, None]


def test_manual_and_nobody_on_duty_give_nothing():
    assert pool.distribute(_rule("manual"), [pool.PoolLead(1)], PEOPLE) == [(1, None)]
    assert pool.distribute(_rule(), [pool.PoolLead(1)], []) == [(1, None)]


def test_duty():
    tuesday = date(2026, 11, 24)
    assert pool.on_duty(tuesday, None, ())
    assert not pool.on_duty(tuesday, (6, 7), ())
    assert not pool.on_duty(tuesday, None, [tuesday])


def test_rungs_count_working_days():
    steps = pool.ladder(policy.preset("standard").data)
    weekday = lambda d: d.isoweekday() < 6  # noqa: E731
    friday = date(2026, 11, 27)
    assert pool.working_days_late(friday, date(2026, 11, 29), weekday) == 0
    assert pool.rung(steps, pool.working_days_late(friday, date(2026, 11, 30), weekday)).action == "late"
    assert pool.rung(steps, 2).action == "manager" and pool.rung(steps, 9).rung == 3
    assert pool.rung(steps, 0) is None
    assert not any(step.reassign for name in policy.PRESETS for step in pool.ladder(policy.preset(name).data))


def test_score_and_its_terms():
    total, terms = pool.score(pool.weights({}), {"days_overdue": 2, "grade": "H", "invitation_tomorrow": True})
    assert (total, terms) == (2.7, {"days_overdue": 2.0, "grade": 0.4, "invitation_tomorrow": 0.3})
    # with the default weights a day overdue outweighs every other term together
    facts = {"grade": "H", "invitation_tomorrow": 1, "open_complaint": 1, "planned_delivery": 1}
    most = pool.score(pool.weights({}), facts)[0]
    assert most < pool.score(pool.weights({}), {"days_overdue": 1})[0]


@pytest.mark.parametrize("text, problem", [
    ('[distribution]\nrule = "random"', "distribution.rule"),
    ('[[escalation]]\nworking_days = 0', "escalation"),
    ('[[escalation]]\nworking_days = 2\naction = "fire"', "escalation[0].action"),
    ('[priority]\ngrades = { H = "high" }', "priority.grades.H"),
])
def test_policy_problems(text, problem):
    import tomllib

    with pytest.raises(BadInput, match=problem.replace("[", r"\[").replace("]", r"\]")):
        policy.validate(policy.merge(policy.preset_data("standard"), tomllib.loads(text)))
