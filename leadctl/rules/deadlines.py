"""Complaints (客户投诉) [001]: the words, working days, each complaint's deadlines, escalation. Pure: dates in.

On-site complaints get a first plan within minutes; other channels a first reply within hours and a result
within days; call-center tickets a first reply within hours, contact with the customer within working days and
a progress update every few working days while open. All the figures, the weekend and the holidays are the
policy's `[complaints]` section.

A span of N working days is N x 24 hours of elapsed time counted on working days only: Friday 16:00 plus one
working day is Monday 16:00 (or Tuesday 16:00 when Monday is a holiday), and a complaint received on a day off
starts counting at the next working day's 00:00, so it is due at the end (24:00) of a working day.

Working days: China's statutory holidays are days off and its make-up working days (调休, a Saturday or Sunday
worked in exchange) are working days, as the maintained `chinesecalendar` library lists them (imported on the
first working-day question, not at start-up); the policy's weekend and `holidays` (the store's own closures) do
the rest. For a year the library does not know yet, only the weekend and the policy's list count: such years
are collected in UNKNOWN_YEARS for the command line to say once (`notices()`), and `check` lists them ahead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from leadctl.errors import Refused
from leadctl.i18n import _
from leadctl.models import Term

MIDNIGHT = time(0)
DAY = timedelta(days=1)
DEFAULTS: dict[str, Any] = {
    "onsite_plan_minutes": 10, "first_reply_hours": 24, "result_days": 7, "callcenter_first_reply_hours": 2,
    "callcenter_contact_working_days": 1, "callcenter_progress_working_days": 2, "weekend": [6, 7], "holidays": [],
    "escalation": ["主管", "部门经理", "总经理"],
}
LABELS = {"plan": "first plan", "reply": "first reply", "contact": "customer contact", "progress": "progress update",
          "result": "result"}


class ComplaintChannel(Term):
    @classmethod
    def noun(cls) -> str:
        return _("complaint channel")

    ONSITE = "onsite"
    PHONE = "phone"
    CALLCENTER = "callcenter"
    EMAIL = "email"
    MEDIA = "media"
    LETTER = "letter"
    FAX = "fax"

    @classmethod
    def labels(cls):
        return {"onsite": "现场", "phone": "电话", "callcenter": "呼叫中心", "email": "邮件", "media": "媒体",
                "letter": "信函", "fax": "传真"}

    @classmethod
    def aliases(cls):
        return {"当面": "onsite", "口头": "onsite", "in-person": "onsite", "call-center": "callcenter",
                "call center": "callcenter", "e-mail": "email", "电子邮件": "email", "信件": "letter"}


class ComplaintKind(Term):
    @classmethod
    def noun(cls) -> str:
        return _("complaint kind")

    SERVICE = "service"
    PRODUCT = "product"

    @classmethod
    def labels(cls):
        return {"service": "服务", "product": "产品"}

    @classmethod
    def aliases(cls):
        return {"服务质量": "service", "产品质量": "product", "quality": "product"}


@dataclass(frozen=True)
class Statutory:
    """The statutory calendar: days off by law, make-up working days (调休), and the years it knows."""

    off: frozenset[date]
    work: frozenset[date]
    years: frozenset[int]
    source: str  # the library and version the days come from, for messages


NO_STATUTORY = Statutory(frozenset(), frozenset(), frozenset(), "no statutory calendar (chinesecalendar missing)")
UNKNOWN_YEARS: set[int] = set()  # years a working-day question fell in that the statutory calendar does not know
_LOADED: list[Statutory] = []


def statutory() -> Statutory:
    """China's statutory holidays and make-up working days from `chinesecalendar`, loaded once, when first asked."""
    if not _LOADED:
        try:
            import chinese_calendar
            from chinese_calendar import constants
        except ImportError:
            _LOADED.append(NO_STATUTORY)
        else:
            version = getattr(chinese_calendar, "__version__", "")
            _LOADED.append(Statutory(frozenset(constants.holidays), frozenset(constants.workdays),
                                     frozenset(d.year for d in constants.holidays),
                                     f"chinesecalendar {version}".strip()))
    return _LOADED[0]


def unknown_years(first: date, last: date, law: Statutory | None = None) -> list[int]:
    """The years from `first` to `last` whose statutory holidays the calendar does not know yet."""
    known = (law or statutory()).years
    return [year for year in range(first.year, last.year + 1) if year not in known]


def unknown_note(years: list[int] | set[int], law: Statutory | None = None) -> str:
    """What to tell a person of years the statutory calendar does not know."""
    listed = ", ".join(str(y) for y in sorted(years))
    return (f"the statutory holiday calendar ({(law or statutory()).source}) does not know {listed} yet: working days"
            f" there count the weekend and the policy's holidays only; upgrade chinesecalendar when it is published")


def notices() -> list[str]:
    """The lines to say once for this run (then forgotten): years working days were counted in without the law."""
    if not UNKNOWN_YEARS:
        return []
    line = unknown_note(UNKNOWN_YEARS)
    UNKNOWN_YEARS.clear()
    return [line]


@dataclass(frozen=True)
class Rules:
    """The policy's `[complaints]` section, read once."""

    onsite_plan: timedelta
    first_reply: timedelta
    result: timedelta
    callcenter_reply: timedelta
    contact_days: int
    progress_days: int
    weekend: frozenset[int]
    holidays: frozenset[date]
    levels: tuple[str, ...]
    statutory: Statutory | None = field(default=None, compare=False)  # None: the library's, loaded when asked

    def working(self, day: date) -> bool:
        if day in self.holidays:  # the store's own closures
            return False
        law = self.statutory or statutory()
        if day.year in law.years:
            if day in law.work:
                return True
            if day in law.off:
                return False
        else:
            UNKNOWN_YEARS.add(day.year)
        return day.isoweekday() not in self.weekend

    def next_working(self, day: date) -> date:
        day += DAY
        for __ in range(3660):  # a policy whose every day is off must not hang the due list
            if self.working(day):
                return day
            day += DAY
        return day

    def level_name(self, level: int) -> str:
        return self.levels[level] if level < len(self.levels) else f"level {level + 1}"


def rules_of(section: dict[str, Any] | None) -> Rules:
    """Rules from a policy's (validated) `[complaints]` section; keys it leaves out take the presets' values."""
    s = {**DEFAULTS, **(section or {})}
    return Rules(timedelta(minutes=s["onsite_plan_minutes"]), timedelta(hours=s["first_reply_hours"]),
                 timedelta(days=s["result_days"]), timedelta(hours=s["callcenter_first_reply_hours"]),
                 s["callcenter_contact_working_days"], s["callcenter_progress_working_days"], frozenset(s["weekend"]),
                 frozenset(date.fromisoformat(str(d)) for d in s["holidays"]), tuple(s["escalation"]))


def add_working_days(start: datetime, days: int, rules: Rules) -> datetime:
    """The instant `days` working days of elapsed time after `start` (see the module's note)."""
    if days <= 0:
        return start
    day = start.date()
    if start.time() == MIDNIGHT or not rules.working(day):
        day = day if rules.working(day) else rules.next_working(day)
        for _ in range(days - 1):
            day = rules.next_working(day)
        return datetime.combine(day + DAY, MIDNIGHT)  # the end (24:00) of the last working day
    for _ in range(days):
        day = rules.next_working(day)
    return datetime.combine(day, start.time())


@dataclass(frozen=True)
class Deadline:
    what: str  # plan | reply | contact | progress | result
    due: datetime
    met: datetime | None = None  # when it was met (late or not); None while still owed

    def breached(self, now: datetime) -> bool:
        return (self.met or now) > self.due


@dataclass(frozen=True)
class Facts:
    """What a complaint's record says, as the deadline rules need it."""

    channel: ComplaintChannel
    received: datetime
    replied: datetime | None = None
    contacted: datetime | None = None
    progress: tuple[datetime, ...] = ()
    resolved: datetime | None = None


def facts(channel: str, received: str, replied: str | None, contacted: str | None, progress: str | None,
          resolved: str | None) -> Facts:
    """Facts from stored values: ISO times, and the progress notes' times joined by commas."""
    def at(text: str | None) -> datetime | None:
        return datetime.fromisoformat(text) if text else None

    notes = tuple(sorted(datetime.fromisoformat(t) for t in (progress or "").split(",") if t))
    return Facts(ComplaintChannel(channel), at(received), at(replied), at(contacted), notes, at(resolved))


def deadlines(rules: Rules, f: Facts) -> list[Deadline]:
    """Every deadline of a complaint, in order. Closing it meets whatever is still owed, at the closing time."""
    def met(at: datetime | None) -> datetime | None:
        return at or f.resolved

    if f.channel is ComplaintChannel.ONSITE:
        return [Deadline("plan", f.received + rules.onsite_plan, met(f.replied))]
    if f.channel is not ComplaintChannel.CALLCENTER:
        return [Deadline("reply", f.received + rules.first_reply, met(f.replied)),
                Deadline("result", f.received + rules.result, f.resolved)]
    out = [Deadline("reply", f.received + rules.callcenter_reply, met(f.replied)),
           Deadline("contact", add_working_days(f.received, rules.contact_days, rules), met(f.contacted))]
    base = f.received
    for note in f.progress:  # each progress note meets the window it falls in and starts the next one
        out.append(Deadline("progress", add_working_days(base, rules.progress_days, rules), note))
        base = note
    due = add_working_days(base, rules.progress_days, rules)
    if f.resolved is None or f.resolved > due:
        out.append(Deadline("progress", due, f.resolved))
    return out


def next_open(items: list[Deadline]) -> Deadline | None:
    """The earliest deadline still owed."""
    owed = [d for d in items if d.met is None]
    return min(owed, key=lambda d: d.due) if owed else None


def breaches(items: list[Deadline], now: datetime) -> int:
    return sum(d.breached(now) for d in items)


def due_date(at: datetime) -> date:
    """The day a deadline falls on: one at 00:00 is the end (24:00) of the day before."""
    return (at - DAY).date() if at.time() == MIDNIGHT else at.date()


def stamp(at: datetime) -> str:
    return f"{due_date(at)} 24:00" if at.time() == MIDNIGHT else f"{at:%Y-%m-%d %H:%M}"


def span(delta: timedelta) -> str:
    """A duration for people: 45 min, 2 h, 2 h 30 min, 3 d 4 h."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h" + (f" {rest} min" if rest else "")
    days, rest = divmod(minutes, 24 * 60)
    return f"{days} d" + (f" {rest // 60} h" if rest // 60 else "")


def owed(deadline: Deadline, now: datetime) -> str:
    """What is owed, by when, and how long is left or how late it is."""
    left = deadline.due - now
    when = f"{span(left)} left" if left >= timedelta(0) else f"{span(left)} late"
    return f"{LABELS[deadline.what]} due {stamp(deadline.due)} ({when})"


def overdue_days(deadline: datetime, now: datetime, on: date) -> int:
    """Days late as of `on` (or now, if later), counting a started day: any breach is at least 1."""
    reference = max(now, datetime.combine(on, MIDNIGHT))
    if reference <= deadline:
        return 0
    return math.ceil((reference - deadline) / DAY)


def escalate(rules: Rules, level: int) -> int:
    """The next level up (supervisor -> department manager -> general manager); refused beyond the last."""
    if level + 1 >= len(rules.levels):
        raise Refused(
            _("the complaint is already at the last level ({level_name})").format(level_name=rules.level_name(level)),
            _("the policy's levels are {value}").format(value=" -> ".join(rules.levels) or "none"),
        )
    return level + 1
