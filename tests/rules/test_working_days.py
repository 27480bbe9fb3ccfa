"""Working days from China's statutory calendar (chinesecalendar), the policy's weekend and the store's closures."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from leadctl.rules import deadlines
from leadctl.rules.policy import preset

RULES = deadlines.rules_of(preset("standard").data["complaints"])


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def forget_unknown_years():
    deadlines.UNKNOWN_YEARS.clear()
    yield
    deadlines.UNKNOWN_YEARS.clear()


@pytest.mark.parametrize("day, working", [
    ("2026-05-04", False),  # Labour Day week: a Monday off by law (the presets' old hand list missed it)
    ("2026-05-09", True),   # a Saturday worked in exchange (调休)
    ("2026-10-10", True),   # the Saturday after National Day
    ("2026-09-20", True),   # a Sunday worked before it
    ("2026-10-08", True),
    ("2026-02-23", False),  # the last day of the Spring Festival holiday
    ("2026-11-28", False),  # an ordinary Saturday
    ("2026-11-24", True),
])
def test_statutory_holidays_and_make_up_days(day, working):
    assert RULES.working(date.fromisoformat(day)) is working
    assert not deadlines.UNKNOWN_YEARS


@pytest.mark.parametrize("start, days, expected", [
    ("2026-05-08T10:00", 1, "2026-05-09T10:00"),  # Friday -> the make-up Saturday
    ("2026-04-30T10:00", 1, "2026-05-06T10:00"),  # across the five days of Labour Day
    ("2026-02-13T10:00", 2, "2026-02-24T10:00"),  # Friday, make-up Saturday 02-14, Spring Festival, back 02-24
])
def test_deadlines_across_the_law_s_calendar(start, days, expected):
    assert deadlines.add_working_days(at(start), days, RULES) == at(expected)


def test_the_policy_s_list_adds_the_store_s_own_closures_even_on_a_make_up_day():
    rules = replace(RULES, holidays=frozenset({date(2026, 5, 9), date(2026, 5, 11)}))
    assert deadlines.add_working_days(at("2026-05-08T10:00"), 1, rules) == at("2026-05-12T10:00")


def test_a_year_the_calendar_does_not_know_counts_the_weekend_and_the_list_and_is_said_once():
    law = deadlines.statutory()
    assert 2026 in law.years and 2099 not in law.years
    rules = replace(RULES, holidays=frozenset({date(2099, 1, 5)}))
    assert deadlines.add_working_days(at("2099-01-02T10:00"), 1, rules) == at("2099-01-06T10:00")  # Fri -> Tue
    assert sorted(deadlines.UNKNOWN_YEARS) == [2099]
    (line,) = deadlines.notices()
    assert "2099" in line and law.source in line
    assert deadlines.notices() == []  # said once
    assert deadlines.unknown_years(date(2098, 12, 1), date(2100, 1, 1)) == [2098, 2099, 2100]


def test_without_the_library_only_the_weekend_and_the_list_count():
    rules = replace(RULES, statutory=deadlines.NO_STATUTORY)
    assert rules.working(date(2026, 5, 4)) and not rules.working(date(2026, 5, 9))
    assert sorted(deadlines.UNKNOWN_YEARS) == [2026]
