"""Birthdays on either calendar, checked against the lunardate library (not a hand-written table)."""

from datetime import date

import pytest
from lunardate import LunarDate

from leadctl.errors import BadInput
from leadctl.rules.lunar import birthday, calendar, next_birthday

TODAY = date(2026, 12, 2)


def test_calendar_words_in_both_languages():
    assert [calendar(w) for w in ("solar", "阳历", "lunar", "阴历", "农历", None)] == \
        ["solar", "solar", "lunar", "lunar", "lunar", "solar"]
    with pytest.raises(BadInput):
        calendar("julian")


@pytest.mark.parametrize("text,kind", [("1990-02-30", "solar"), ("1990-13-01", "lunar"), ("2026-02-30", "lunar"),
                                       ("2030-01-01", "solar"), ("1890-01-01", "solar"), ("abc", "solar")])
def test_impossible_birthdays_are_refused(text, kind):
    with pytest.raises(BadInput):
        birthday(text, kind, TODAY)


def test_a_lunar_birthday_lands_on_a_different_solar_day_each_year():
    stored = birthday("1985-08-15", "lunar", TODAY)
    in_2027 = next_birthday(stored, "lunar", date(2027, 1, 1))
    in_2028 = next_birthday(stored, "lunar", date(2028, 1, 1))
    assert in_2027 == LunarDate(2027, 8, 15).to_solar_date()
    assert in_2028 == LunarDate(2028, 8, 15).to_solar_date()
    assert in_2027.strftime("%m-%d") != in_2028.strftime("%m-%d")


def test_a_lunar_30th_in_a_short_month_falls_on_the_29th():
    with pytest.raises(ValueError):
        LunarDate(2026, 2, 30).to_solar_date()
    assert next_birthday("1980-02-30", "lunar", date(2026, 1, 1)) == LunarDate(2026, 2, 29).to_solar_date()


def test_a_solar_leap_day_birthday_is_kept_on_the_28th_in_common_years():
    assert next_birthday("1988-02-29", "solar", date(2027, 1, 1)) == date(2027, 2, 28)
    assert next_birthday("1988-02-29", "solar", date(2028, 1, 1)) == date(2028, 2, 29)
