"""Owner care rules: the contacts owed, the ID number's check digit, and the store's pre-selection (a superset)."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lunardate import LunarDate

from leadctl.errors import BadInput
from leadctl.rules import care

RULES = care.rules_of({})  # the presets' [care]
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x"])  # GB 11643's example
def test_valid_id_numbers(number):
    assert care.id_number(number, TODAY) == number.upper()


@pytest.mark.parametrize("number", ["110105194912310021", "11010519491231002", "1101051949123100XX",
                                    "11010520300101002X", "110105194902300026"])
def test_invalid_id_numbers(number):
    with pytest.raises(BadInput):
        care.id_number(number, TODAY)


def test_the_first_week_and_the_first_year():
    owner = care.Owner(1, date(2026, 1, 31), "1990-08-15", "lunar")
    got = [(c.kind, c.due_on) for c in care.contacts(RULES, owner, date(2026, 1, 1), date(2027, 1, 31))]
    assert got == [("thanks", date(2026, 2, 1)), ("ssi", date(2026, 2, 3)), ("ssi", date(2026, 2, 7)),
                   ("service", date(2026, 4, 30)), ("birthday", LunarDate(2026, 8, 15).to_solar_date()),
                   ("insurance", date(2027, 1, 1)), ("anniversary", date(2027, 1, 31))]


owners = st.builds(
    care.Owner, st.just(1), st.dates(date(2018, 1, 1), date(2026, 12, 31)),
    st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2000, 12, 28)).map(date.isoformat)),
    st.sampled_from(["solar", "lunar"]))


@settings(max_examples=300, deadline=None)
@given(owners, st.dates(date(2019, 1, 1), date(2030, 12, 31)), st.integers(0, 60))
def test_every_owner_owing_a_contact_is_reached(owner, start, length):
    end = start + timedelta(days=length)
    if owner.birthday and owner.calendar == "lunar":
        year, month, day = (int(p) for p in owner.birthday.split("-"))
        day = min(day, 30)  # a lunar month has 29 or 30 days
        owner = care.Owner(1, owner.delivered_on, f"{year:04d}-{month:02d}-{day:02d}", "lunar")
    if not care.contacts(RULES, owner, start, end):
        return
    keys = care.reach(RULES, start, end)
    birthday = owner.birthday[5:] if owner.birthday else None
    assert (owner.delivered_on >= keys.since or owner.delivered_on.isoformat()[5:] in keys.delivered
            or (birthday in (keys.lunar if owner.calendar == "lunar" else keys.solar)))
