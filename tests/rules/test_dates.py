"""The one reading of a typed day: every accepted form, the year inferred in the option's direction, the weekday
checked, and one kind of error (bad input, exit 65) naming the accepted forms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leadctl.errors import BadInput, ExitCode, UsageError
from leadctl.rules.dates import FUTURE, NEAREST, PAST, parse_day, parse_moment, parse_month, year_for

TODAY = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize("text", ["2026-11-25", "2026/11/25", "2026年11月25日", "11月25日", "11月25号", "11-25",
                                  "11/25", "11月25日 周三", "11月25日（星期三）", "周三 11-25", "Wed 11/25",
                                  "２０２６年１１月２５日", "１１／２５", " 11-25 ", "2026.11.25", "11月25日 礼拜三"])
def test_every_accepted_form_reads_the_same_day(text):
    assert parse_day(text, "--next", TODAY, FUTURE) == date(2026, 11, 25)


@pytest.mark.parametrize("text, toward, expected", [
    ("11-25", FUTURE, date(2026, 11, 25)), ("11-25", PAST, date(2025, 11, 25)), ("11-25", NEAREST, date(2026, 11, 25)),
    ("11-19", FUTURE, date(2027, 11, 19)), ("11-19", PAST, date(2026, 11, 19)), ("11-19", NEAREST, date(2026, 11, 19)),
    ("11-20", FUTURE, TODAY), ("11-20", PAST, TODAY),  # today is either way
    ("1-5", NEAREST, date(2027, 1, 5)), ("1-5", PAST, date(2026, 1, 5)), ("6-1", NEAREST, date(2026, 6, 1)),
    ("2-29", FUTURE, date(2028, 2, 29)), ("2-29", PAST, date(2024, 2, 29)),
    ("2025-11-25", FUTURE, date(2025, 11, 25)),  # a year given is the year: the command decides if the past is wrong
])
def test_a_missing_year_is_the_nearest_in_the_options_direction(text, toward, expected):
    assert parse_day(text, "--on", TODAY, toward) == expected


@pytest.mark.parametrize("text", ["", "abc", "13-01", "2-30", "2026-02-30", "11月32日", "25/11/2026", "11.25", "周三",
                                  "11-25 周三 周四", "2026-11"])
def test_what_is_not_a_day_is_bad_input_naming_the_forms(text):
    with pytest.raises(BadInput) as caught:
        parse_day(text, "--next", TODAY)
    assert caught.value.code == ExitCode.DATA
    assert "--next" in caught.value.message and "2026年11月25日" in caught.value.hint and "11/25" in caught.value.hint


def test_a_weekday_that_is_not_the_days_own_is_refused():
    with pytest.raises(BadInput) as caught:
        parse_day("11月25日 周四", "--next", TODAY, FUTURE)
    assert "2026-11-25" in caught.value.message and "Wed" in caught.value.message and "Thu" in caught.value.message


def test_a_day_without_its_year_needs_today_and_the_range_holds():
    with pytest.raises(BadInput):
        parse_day("11-25", "--next", None)
    with pytest.raises(BadInput, match="out of range"):
        parse_day("3000-01-01", "--next", TODAY)
    with pytest.raises(UsageError):  # the clock's own setting keeps its usage error
        parse_day("abc", "--now", None, error=UsageError)


@pytest.mark.parametrize("text, toward, expected", [
    ("2026-11-24T09:30", PAST, datetime(2026, 11, 24, 9, 30)), ("11-19 09:30", PAST, datetime(2026, 11, 19, 9, 30)),
    ("11月27日 14:00", FUTURE, datetime(2026, 11, 27, 14)), ("2026/11/27 14:00", FUTURE, datetime(2026, 11, 27, 14)),
    ("11月27日", FUTURE, datetime(2026, 11, 27)), ("１１月２７日 １４：００", FUTURE, datetime(2026, 11, 27, 14)),
])
def test_a_moment_is_a_day_with_an_optional_time(text, toward, expected):
    assert parse_moment(text, "--at", TODAY, toward) == expected


def test_a_moment_with_a_bad_time_is_bad_input_naming_the_time():
    with pytest.raises(BadInput, match="25:00 is not a time of day") as raised:
        parse_moment("11-24 25:00", "--at", TODAY)
    assert "23:59" in raised.value.hint


@given(st.dates(date(1950, 1, 1), date(2900, 12, 31)), st.sampled_from([FUTURE, PAST, NEAREST]))
def test_inferred_days_lie_on_the_right_side_and_within_a_year(today, toward):
    for month, dd in ((1, 1), (today.month, today.day), (12, 31), (7, 15)):
        day = year_for(month, dd, today, toward)
        assert (day.month, day.day) == (month, dd)
        assert abs(day - today) <= timedelta(days=366)
        assert (toward != FUTURE or day >= today) and (toward != PAST or day <= today)


@given(st.dates(date(1950, 1, 1), date(2900, 12, 31)), st.dates(date(1950, 1, 1), date(2900, 12, 31)))
def test_every_form_with_its_year_reads_back(day, today):
    for text in (day.isoformat(), f"{day:%Y/%m/%d}", f"{day.year}年{day.month}月{day.day}日"):
        assert parse_day(text, "--on", today) == day


@pytest.mark.parametrize("text, expected", [
    ("2026-10", date(2026, 10, 1)), ("2026-1", date(2026, 1, 1)), ("2026/10", date(2026, 10, 1)),
    ("2026年10月", date(2026, 10, 1)), ("２０２６年１０月份", date(2026, 10, 1)), ("10月", date(2026, 10, 1)),
    ("11月", date(2026, 11, 1)),  # this month: begun
    ("12月", date(2025, 12, 1)),  # not begun this year: last year's
])
def test_a_month_as_a_person_writes_it(text, expected):
    assert parse_month(text, "--month", date(2026, 11, 20)) == expected


@pytest.mark.parametrize("text", ["13月", "0月", "2026-13", "10", "2026", "十月", "2026-10-01", ""])
def test_what_is_not_a_month_says_the_forms(text):
    with pytest.raises(BadInput, match="is not a month") as raised:
        parse_month(text, "--month", date(2026, 11, 20))
    assert "2026年10月" in raised.value.hint
