"""Birthdays on the solar or the lunar calendar (阳历/阴历), converted with `lunardate`, never by hand.

A lunar birthday is written YYYY-MM-DD in the lunar calendar (month 1-12, day 1-30; leap months are not asked
for, as the card's form has no place for them). In a year whose lunar month is short, a 30th falls on the 29th.
"""

from __future__ import annotations

from datetime import date

from leadctl.errors import BadInput
from leadctl.i18n import _

CALENDARS = ("solar", "lunar")
CALENDAR_WORDS = {"solar": "solar", "lunar": "lunar", "阳历": "solar", "阴历": "lunar", "公历": "solar",
                  "农历": "lunar"}


def calendar(text: str | None) -> str:
    """The calendar a person named (solar|lunar, 阳历|阴历), as its code."""
    code = CALENDAR_WORDS.get((text or "solar").strip().lower())
    if code is None:
        raise BadInput(_("unknown calendar '{text}': give solar or lunar (阳历 or 阴历)").format(text=text))
    return code


def birthday(text: str, kind: str, today: date) -> str:
    """A birthday as typed, checked to exist on its calendar and to be in the past; the text stored on the card."""
    try:
        year, month, day = (int(part) for part in text.strip().split("-"))
    except ValueError:
        raise BadInput(_("birthday '{text}' is not a date: write YYYY-MM-DD").format(text=text)) from None
    if kind == "solar":
        try:
            born = date(year, month, day)
        except ValueError:
            raise BadInput(_("birthday '{text}' does not exist").format(text=text)) from None
    else:
        born = _lunar_to_solar(year, month, day, text)
    if year < 1900 or born > today:
        raise BadInput(_("birthday '{text}' is not a plausible date of birth").format(text=text))
    return f"{year:04d}-{month:02d}-{day:02d}"


def _lunar_to_solar(year: int, month: int, day: int, text: str) -> date:
    from lunardate import LunarDate

    try:
        return LunarDate(year, month, day, False).to_solar_date()
    except ValueError:
        raise BadInput(_("lunar date '{text}' does not exist").format(text=text)) from None


def next_birthday(stored: str, kind: str, on_or_after: date) -> date:
    """The first solar day on or after `on_or_after` that is this birthday (a lunar one moves every year)."""
    _, month, day = (int(part) for part in stored.split("-"))
    for year in (on_or_after.year - 1, on_or_after.year, on_or_after.year + 1):
        when = _in_year(year, month, day, kind)
        if when is not None and when >= on_or_after:
            return when
    raise AssertionError("a birthday falls within two years")  # pragma: no cover


def _in_year(year: int, month: int, day: int, kind: str) -> date | None:
    if kind == "solar":
        try:
            return date(year, month, day)
        except ValueError:  # 29 February in a common year: the 28th
            return date(year, month, 28)
    from lunardate import LunarDate

    for d in (day, day - 1):
        try:
            return LunarDate(year, month, d, False).to_solar_date()
        except ValueError:
            continue
    return None
