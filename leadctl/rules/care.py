"""Owner care (保有客户维系) [001][003]: the contacts a delivered customer is owed, as the policy's `[care]` section
says, and the checks on what the retention card holds. Pure: dates in, dates out; codes and values, no words.

Each contact is due once, on its day: the thank-you call the day after delivery, the SSI satisfaction calls
(preset day 3 and day 7), the first-service reminder (preset 3 months after delivery), the insurance renewal
(preset 30 days before each anniversary of the cover, which starts at delivery), the birthday (on the solar or
lunar date the card holds) and each yearly anniversary of the purchase. A contact not made stays due, overdue,
for `window_days` (preset 30) after its day; after that it counts as missed and leaves the list.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from leadctl.errors import BadInput
from leadctl.i18n import N_, _, joined
from leadctl.rules import lunar

KINDS = ("thanks", "ssi", "service", "insurance", "birthday", "anniversary")
SCORES = (1, 10)  # the SSI score, lowest and highest
PRESET: dict[str, Any] = {  # a policy stored before [care] existed gets the presets' section
    "id_number": True, "window_days": 30, "thanks": {"days": [1]}, "ssi": {"days": [3, 7]},
    "service": {"months": 3}, "insurance": {"days_before": 30}, "birthday": {}, "anniversary": {},
}
SHAPE: dict[str, Any] = {  # the policy's [care] section, as rules/policy.py checks it
    "id_number": bool, "window_days": int, "thanks": {"days": list}, "ssi": {"days": list},
    "service": {"months": int}, "insurance": {"days_before": int}, "birthday": {}, "anniversary": {},
}
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CHECK_CARD = N_("check the number on the ID card")


@dataclass(frozen=True)
class CareRules:
    kinds: dict[str, dict[str, Any]]  # kind -> its settings; a kind absent is never due
    window_days: int = 30
    id_number: bool = True  # whether the retention card may store the ID number


@dataclass(frozen=True)
class Owner:
    """What the contacts are counted from: the delivery day and the card's birthday."""

    lead_id: int
    delivered_on: date
    birthday: str | None = None
    calendar: str | None = None


@dataclass(frozen=True)
class Contact:
    lead_id: int
    kind: str
    due_on: date
    detail: dict[str, Any]  # values the reason is written from: day, months, year, birthday, calendar, ...


def rules_of(data: dict[str, Any]) -> CareRules:
    section = data.get("care", PRESET)
    kinds = {k: section[k] for k in KINDS if isinstance(section.get(k), dict)}
    return CareRules(kinds, section.get("window_days", 30), section.get("id_number", True))


def problems(section: dict[str, Any]) -> list[str]:
    """What is wrong with a [care] section beyond its shape."""
    out = [f"care.{k}.days: whole days after delivery, at least 1" for k in ("thanks", "ssi")
           if any(not isinstance(d, int) or isinstance(d, bool) or d < 1 for d in section.get(k, {}).get("days", []))]
    if section.get("service", {}).get("months") == 0:
        out.append("care.service.months: must be at least 1")
    return out


def contacts(rules: CareRules, owner: Owner, start: date, end: date) -> list[Contact]:
    """Every contact the owner is owed with its day from `start` to `end` (both included), earliest first; none
    before the delivery."""
    out: list[Contact] = []
    start = max(start, owner.delivered_on)
    for kind, settings in rules.kinds.items():
        out += _of_kind(kind, settings, owner, start, end)
    return sorted(out, key=lambda c: (c.due_on, KINDS.index(c.kind)))


def _of_kind(kind: str, settings: dict[str, Any], owner: Owner, start: date, end: date) -> list[Contact]:
    """The owner's contacts of one kind due from `start` to `end` (a due list asks this of thousands of owners:
    a day out of the range makes no Contact)."""
    delivered, lead = owner.delivered_on, owner.lead_id
    if kind in ("thanks", "ssi"):
        return [Contact(lead, kind, due, {"day": d}) for d in settings.get("days", [])
                if start <= (due := delivered + timedelta(days=d)) <= end]
    if kind == "service":
        months = settings.get("months", 3)
        due = _months_after(delivered, months)
        return [Contact(lead, kind, due, {"months": months})] if start <= due <= end else []
    if kind == "birthday":
        if not owner.birthday:
            return []
        day = _next_birthday(owner.birthday[5:], owner.calendar or "solar", start)
        return [Contact(lead, kind, day, {"birthday": owner.birthday, "calendar": owner.calendar or "solar"})
                ] if day <= end else []
    before = timedelta(days=settings.get("days_before", 0) if kind == "insurance" else 0)
    out = []
    for year in range(max(1, start.year - delivered.year), end.year - delivered.year + 2):
        anniversary = _months_after(delivered, 12 * year)
        if start <= anniversary - before <= end:
            out.append(Contact(lead, kind, anniversary - before,
                               {"year": year, "anniversary": anniversary.isoformat(), "days_before": before.days}))
    return out


def _months_after(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 January + 1 month: 28 February)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    if day.day <= 28:  # every month has the day
        return date(year, month, day.day)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def _next_birthday(month_day: str, kind: str, on_or_after: date) -> date:
    """lunar.next_birthday, which reads only the month and day: owners who share a birthday share the answer."""
    return lunar.next_birthday(f"2000-{month_day}", kind, on_or_after)


@dataclass(frozen=True)
class Reach:
    """Which owners may owe a contact due from `start` to `end`: a superset, for the store to pick them by index
    and cheap text tests before `contacts` decides. Delivered on or after `since` (the one-off contacts), a
    delivery day (MM-DD) in `delivered` (anniversaries, insurance), a solar or lunar birthday (MM-DD) in
    `solar` or `lunar`."""

    since: date
    delivered: frozenset[str]
    solar: frozenset[str]
    lunar: frozenset[str]


def reach(rules: CareRules, start: date, end: date) -> Reach:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    offsets = [d for k in ("thanks", "ssi") for d in rules.kinds.get(k, {}).get("days", [])]
    if "service" in rules.kinds:
        offsets.append(31 * rules.kinds["service"].get("months", 3))
    since = start - timedelta(days=max(offsets, default=0))
    delivered = set()
    if "anniversary" in rules.kinds:
        delivered |= {d.isoformat()[5:] for d in days}
    if "insurance" in rules.kinds:
        ahead = timedelta(days=rules.kinds["insurance"].get("days_before", 0))
        delivered |= {(d + ahead).isoformat()[5:] for d in days}
    solar, moon = set(), set()
    if "birthday" in rules.kinds:
        solar = {d.isoformat()[5:] for d in days}
        moon = _lunar_days(days)
    return Reach(since, frozenset(_with_leap_day(delivered)), frozenset(_with_leap_day(solar)), frozenset(moon))


def _with_leap_day(days: set[str]) -> set[str]:
    """29 February falls on the 28th in a common year."""
    return days | {"02-29"} if "02-28" in days else days


def _lunar_days(days: list[date]) -> set[str]:
    from lunardate import LunarDate

    out = set()
    for day in days:
        lunar_day = LunarDate.from_solar_date(day.year, day.month, day.day)
        out.add(f"{lunar_day.month:02d}-{lunar_day.day:02d}")
        if lunar_day.day == 29:  # a 30th falls on the 29th in a short month
            out.add(f"{lunar_day.month:02d}-30")
    return out


def owed(rules: CareRules, owner: Owner, on: date, done: set[tuple[str, date]]) -> list[Contact]:
    """The contacts due on or before `on`, within the window, not yet made (`done`: (kind, due_on) made)."""
    return [c for c in contacts(rules, owner, on - timedelta(days=rules.window_days), on)
            if (c.kind, c.due_on) not in done]


def to_record(rules: CareRules, owner: Owner, kind: str, on: date, done: set[tuple[str, date]]) -> Contact | None:
    """Which contact a care follow-up of `kind` on `on` makes: the latest not made that is due on or before `on`
    (within the window), else the earliest coming within the window; None when none is owed."""
    span = timedelta(days=rules.window_days)
    mine = [c for c in contacts(rules, owner, on - span, on + span) if c.kind == kind and (kind, c.due_on) not in done]
    past = [c for c in mine if c.due_on <= on]
    if past:
        return past[-1]
    return mine[0] if mine else None


def kind_of(text: str) -> str:
    code = (text or "").strip().lower()
    if code not in KINDS:
        raise BadInput(_("unknown care contact {text!r}").format(text=text),
                       _("use one of: {kinds}").format(kinds=joined(KINDS)))
    return code


def score(value: int | None, kind: str) -> int | None:
    if value is None:
        return None
    if kind != "ssi":
        raise BadInput(_("--score is for an SSI call, not {kind}").format(kind=kind),
                       _("leave out --score, or use --care ssi"))
    if not SCORES[0] <= value <= SCORES[1]:
        low, high = SCORES
        raise BadInput(_("SSI score {score} is outside {low}-{high}").format(score=value, low=low, high=high),
                       _("give a score from {low} to {high}").format(low=low, high=high))
    return value


def id_number(text: str, today: date) -> str:
    """An 18-digit resident ID number (居民身份证号码, GB 11643): 17 digits, a valid birth date, and the check
    character (0-9 or X) of ISO 7064 MOD 11-2. Returns it with an upper-case X."""
    value = (text or "").strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in _ID_CHECK:
        raise BadInput(_("an ID number has 18 characters: 17 digits and a check digit (0-9 or X)"), _(_CHECK_CARD))
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > today:
        raise BadInput(_("the ID number's birth date (digits 7-14) is not a date of birth"), _(_CHECK_CARD))
    expected = _ID_CHECK[sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True)) % 11]
    if value[17] != expected:
        raise BadInput(_("the ID number's check digit is wrong"), _(_CHECK_CARD))
    return value

