import pytest

from leadctl.errors import BadInput
from leadctl.models import Grade
from leadctl.rules import policy as rules

# DOMAIN.md section 5, column by column: grade -> revisit every N days (None = no requirement).
CADENCE = {
    "standard": {"H": 2, "A": 7, "B": 15, "C": 30, "D": None},
    "dcc": {"H": 3, "A": 7, "B": 15},
    "fleet": {"H": 7, "A": 14, "B": 30, "C": 90, "D": None},
}
# DOMAIN.md section 4: the grades on each scale.
SCALE = {
    "standard": "O H A B C D F L",
    "dcc": "H A B F L",
    "fleet": "O H A B C D F W",
}


@pytest.mark.parametrize("name", rules.PRESETS)
def test_presets_carry_the_domain_tables(name):
    policy = rules.preset(name)
    assert sorted(policy.grades) == sorted(Grade(g) for g in SCALE[name].split())
    for grade, days in CADENCE[name].items():
        assert policy.grades[Grade(grade)].cadence_days == days


def test_first_contact_rules_per_preset():
    assert rules.preset("standard").first_contact.same_day is True
    dcc = rules.preset("dcc").first_contact
    assert (dcc.same_day, dcc.within_hours, dcc.settle_calls, dcc.settle_days) == (False, 24, 3, 7)


def test_a_file_overrides_only_what_it_names():
    data = rules.merge(rules.preset_data("standard"), {"grades": {"H": {"cadence_days": 1}}})
    policy = rules.validate(data)
    assert policy.grades[Grade.H].cadence_days == 1
    assert policy.grades[Grade.H].meaning == "buys within 1 week"
    assert policy.grades[Grade.A].cadence_days == 7


@pytest.mark.parametrize("override, message", [
    ({"grades": {"H": {"cadense_days": 3}}}, "grades.H.cadense_days: unknown key"),
    ({"grades": {"H": {"cadence_days": -2}}}, "grades.H.cadence_days: must not be negative"),
    ({"grades": {"H": {"cadence_days": 0}}}, "must be at least 1"),
    ({"grades": {"Z": {"meaning": "?"}}}, "unknown grade 'Z'"),
    ({"grades": {"H": {"cadence_days": "2"}}}, "must be a whole number"),
    ({"first_contact": {"same_day": False, "within_hours": 0}}, "within_hours: must be at least 1"),
    ({"colour": "red"}, "colour: unknown key"),
    ({"assessment": {"H": ["need", "luck"]}}, "unknown factor"),
    ({"horizon": {"beyond": "W"}}, "grade W is not on this policy's scale"),
])
def test_bad_policies_are_refused_with_the_key_named(override, message):
    with pytest.raises(BadInput) as caught:
        rules.validate(rules.merge(rules.preset_data("standard"), override), "test.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("test.toml: ")


def test_every_problem_is_reported_at_once():
    override = {"grades": {"H": {"cadence_days": -1}, "Q": {}}, "nonsense": 1}
    with pytest.raises(BadInput) as caught:
        rules.validate(rules.merge(rules.preset_data("standard"), override))
    text = str(caught.value)
    assert "cadence_days" in text and "'Q'" in text and "nonsense" in text


def test_unknown_preset():
    with pytest.raises(BadInput, match="unknown policy preset"):
        rules.preset_data("luxury")
