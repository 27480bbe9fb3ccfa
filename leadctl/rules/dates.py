"""The one reading of a day (or a moment) a person typed, for every date option of every command.

Accepted (full-width digits and punctuation too): `2026-11-25`, `2026/11/25`, `2026年11月25日`, `11月25日`
(`号` for `日`), `11-25`, `11/25`; a weekday may follow or lead (`11月25日 周三`, `（星期三）`, `Wed 11-25`) and must
be the day's own. A moment is a day, optionally followed by `14:30` (or an ISO 8601 date-time). A month:
`2026-10`, `2026/10`, `2026年10月`, `10月` (parse_month).

A day without its year takes the year that puts it nearest `today` in the direction the option means
(`toward`): FUTURE, the first such day on or after today (a plan: next contact, invitation, delivery, day off);
PAST, the last such day on or before today (a record: registered since, plate issued, a visit's arrival);
NEAREST, the one closest to today, before or after (a period's ends, a listing's day). `today` is a parameter:
this module never reads the clock.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

from leadctl.errors import BadInput
from leadctl.i18n import _, zh

FUTURE, PAST, NEAREST = "future", "past", "nearest"
# Every date a person gives lies in these years: far enough apart for any store's records and plans, and far
# enough from date's own limits (years 1 and 9999) that adding a cadence or a month never overflows.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
WEEKDAYS_ZH = "一二三四五六日"
_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY = re.compile(r"[(\[]?\s*(?:(?:周|星期|礼拜)(?P<zh>[一二三四五六日天1-7])"
                      r"|(?P<en>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?))\s*[)\]]?", re.IGNORECASE)
_FORMS = (
    re.compile(r"(?P<y>\d{4})([-/.])(?P<m>\d{1,2})\2(?P<d>\d{1,2})"),
    re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?"),
    re.compile(r"(?P<m>\d{1,2})([-/])(?P<d>\d{1,2})"),
)
_CLOCK = re.compile(r"(?P<day>.+?)[T\s]+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?")


def forms() -> str:
    """The accepted forms in one line, as an error's hint names them."""
    return _("write it as 2026-11-25, 2026/11/25, 2026年11月25日, 11月25日 (周三), 11-25 or 11/25")


def _not_a_date(what: str, text: str, error: type) -> Exception:
    return error(_("{what} {text!r} is not a date").format(what=what, text=text.strip()), forms())


def within(day: date, what: str, text: str, error: type = BadInput) -> None:
    """`error` unless `day` lies between EARLIEST and LATEST."""
    if not EARLIEST <= day <= LATEST:
        raise error(_("{what} {text!r} is out of range").format(what=what, text=text.strip()),
                    _("give a date between {first} and {last}").format(first=EARLIEST, last=LATEST))


def year_for(month: int, day: int, today: date, toward: str = NEAREST) -> date | None:
    """The day `month`/`day` in the year nearest `today` in the direction `toward`; None if no year has it."""
    found = []
    for year in range(today.year - 8, today.year + 9):  # 29 February: a leap year lies within four years
        try:
            found.append(date(year, month, day))
        except ValueError:
            continue
    if toward == FUTURE:
        found = [d for d in found if d >= today]
        return min(found, default=None)
    if toward == PAST:
        found = [d for d in found if d <= today]
        return max(found, default=None)
    return min(found, key=lambda d: (abs((d - today).days), d), default=None)


_MONTH = re.compile(r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})|年(?P<zm>\d{1,2})月份?)|(?P<om>\d{1,2})月份?")


def parse_month(text: str, what: str, today: date, error: type = BadInput) -> date:
    """A month a person typed (`2026-10`, `2026/10`, `2026年10月`, `10月`), as its first day. A month without its year
    is the latest such month that has begun by `today` (a report's month: `12月` in November is last December)."""
    found = _MONTH.fullmatch(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    number = int(next(found[k] for k in ("m", "zm", "om") if found[k])) if found else 0
    if not 1 <= number <= 12:
        raise error(_("{what} {text!r} is not a month").format(what=what, text=text.strip()),
                    _("write it as 2026-10, 2026年10月 or 10月"))
    year = int(found["y"]) if found["y"] else today.year - (number > today.month)
    first = date(year, number, 1)
    within(first, what, text, error)
    return first


def _weekday(found: re.Match) -> int:
    """0 = Monday, from 周三 / 星期日 / 周天 / 周7 / Wed."""
    if found["zh"]:
        mark = found["zh"]
        return 6 if mark == "天" else int(mark) - 1 if mark.isdigit() else WEEKDAYS_ZH.index(mark)
    return _EN.index(found["en"][:3].lower())


def weekday_name(number: int) -> str:
    """0 = Monday as the run's language names it: 周一 / Mon."""
    return f"周{WEEKDAYS_ZH[number]}" if zh() else _EN[number].title()


def parse_day(text: str, what: str, today: date | None, toward: str = NEAREST, error: type = BadInput) -> date:
    """A day a person typed (any accepted form), or `error` (BadInput: exit 65) naming the option `what` and the
    accepted forms. Without `today`, a day must give its year."""
    plain = unicodedata.normalize("NFKC", text).strip()
    weekday = None
    for found in _WEEKDAY.finditer(plain):  # at the start or the end, never inside the day
        if found.start() == 0 or found.end() == len(plain):
            weekday = _weekday(found)
            plain = (plain[:found.start()] + plain[found.end():]).strip(" ,;")
            break
    plain = re.sub(r"\s+", "", plain)
    for form in _FORMS:
        found = form.fullmatch(plain)
        if found:
            break
    else:
        raise _not_a_date(what, text, error)
    month, dd = int(found["m"]), int(found["d"])
    if found.groupdict().get("y"):
        try:
            day = date(int(found["y"]), month, dd)
        except ValueError:
            raise _not_a_date(what, text, error) from None
    else:
        day = year_for(month, dd, today, toward) if today is not None else None
        if day is None:
            raise _not_a_date(what, text, error)
    within(day, what, text, error)
    if weekday is not None and weekday != day.weekday():
        raise error(_("{what} {text!r}: {day} is {weekday}, not {given}").format(
            what=what, text=text.strip(), day=day.isoformat(), weekday=weekday_name(day.weekday()),
            given=weekday_name(weekday)), _("check the day, or leave the weekday out"))
    return day


def parse_moment(text: str, what: str, today: date | None, toward: str = PAST, error: type = BadInput) -> datetime:
    """A moment: ISO 8601 (offsets converted to local time), or an accepted day with an optional `14:30`."""
    plain = unicodedata.normalize("NFKC", text).strip()
    try:
        value = datetime.fromisoformat(plain)
    except ValueError:
        value = None
    if value is None:
        found = _CLOCK.fullmatch(plain)
        day = parse_day(found["day"] if found else plain, what, today, toward, error)
        try:
            clock = time(int(found["h"]), int(found["mi"]), int(found["s"] or 0)) if found else time()
        except ValueError:
            raise error(_("{what} {text!r}: {clock} is not a time of day").format(
                what=what, text=text.strip(), clock=f"{found['h']}:{found['mi']}"),
                _("write the time as 00:00 to 23:59, e.g. 11月20日 14:30")) from None
        return datetime.combine(day, clock)
    if value.tzinfo is not None:
        try:
            value = value.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError):
            raise error(_("{what} {text!r} is out of range").format(what=what, text=text.strip()),
                        _("give a date between {first} and {last}").format(first=EARLIEST, last=LATEST)) from None
    within(value.date(), what, text, error)
    return value.replace(microsecond=0)
