import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leadctl.errors import BadInput, Refused
from leadctl.models import Grade
from leadctl.rules import grading
from leadctl.rules.policy import preset


@pytest.mark.parametrize("text, days", [
    ("10", 10), ("10d", 10), ("2w", 14), ("3m", 90), ("1y", 365), ("10天", 10), ("2周", 14),
    ("3个月", 90), ("1年", 365), (" 2 weeks ", 14), ("1 month", 30),
])
def test_durations(text, days):
    assert grading.parse_duration(text) == days


@pytest.mark.parametrize("text", ["", "soon", "2 fortnights", "-3d", "1.5m", "m3"])
def test_bad_durations(text):
    with pytest.raises(BadInput):
        grading.parse_duration(text)


@settings(max_examples=500)
@given(st.text(max_size=12))
def test_duration_parser_gives_days_or_bad_input(text):
    with contextlib.suppress(BadInput):
        assert grading.parse_duration(text) >= 0


@pytest.mark.parametrize("name, days, grade", [
    ("standard", 0, "H"), ("standard", 7, "H"), ("standard", 8, "A"), ("standard", 30, "A"),
    ("standard", 31, "B"), ("standard", 90, "B"), ("standard", 91, "C"), ("standard", 4000, "C"),
    ("dcc", 7, "H"), ("dcc", 30, "A"), ("dcc", 90, "B"),
    ("fleet", 30, "H"), ("fleet", 31, "A"), ("fleet", 90, "A"), ("fleet", 91, "B"), ("fleet", 365, "C"),
    ("fleet", 366, "D"),
])
def test_horizon_to_grade(name, days, grade):
    assert grading.from_horizon(preset(name), days) == Grade(grade)


def test_horizon_beyond_the_dcc_scale_is_refused():
    with pytest.raises(Refused, match="beyond the dcc scale"):
        grading.from_horizon(preset("dcc"), 91)


@pytest.mark.parametrize("need, confidence, power, grade", [
    (True, True, True, "H"), (True, False, True, "A"), (True, True, False, "B"),
    (False, True, True, "C"), (True, False, False, "D"),
])
def test_three_factor_assessment(need, confidence, power, grade):
    assert grading.from_assessment(preset("standard"), need, confidence, power) == Grade(grade)


@pytest.mark.parametrize("factors", [(False, False, False), (False, True, False), (False, False, True)])
def test_combinations_that_make_no_grade_are_refused(factors):
    with pytest.raises(Refused, match="does not make a grade"):
        grading.from_assessment(preset("standard"), *factors)


def test_dcc_assessment_has_no_c_or_d():
    with pytest.raises(Refused):
        grading.from_assessment(preset("dcc"), False, True, True)


@pytest.mark.parametrize("grade", ["O", "F", "W"])
def test_workflow_grades_are_not_given_by_grading(grade):
    with pytest.raises(Refused, match="given only by"):
        grading.check_assignable(preset("standard"), Grade(grade))


def test_grade_off_the_scale_is_refused():
    with pytest.raises(Refused, match="not on the dcc policy's scale"):
        grading.check_assignable(preset("dcc"), Grade.C)


@pytest.mark.parametrize("text, grade", [("h", "H"), ("订单", "O"), ("战败", "F"), ("失控", "L"), ("defeated", "F")])
def test_grade_terms_in_english_and_chinese(text, grade):
    assert Grade.parse(text) == Grade(grade)
