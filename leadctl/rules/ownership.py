"""Sweeps: which leads the policy's sweep rows move today, and where. Pure: dates in, a list of moves out.

A rule row's conditions all have to hold. Thresholds count whole days from the event's date to the day of
the sweep and are passed when *more* than N days have gone by (a lead created 60 days ago is still within
60 days; on day 61 it is not). A row that names grades takes leads of those grades that are active,
defeated or lost (that is how F and L leads are reached); a row without grades takes active leads only.
Ordered, delivered and closed leads never move. The first row, in policy order, that moves a lead wins.
A row whose target is `offer` moves nothing: it lists the lead for the manager, who marks it lost or transfers it.

Idempotency: a row moves a lead at most once per event it counts from (created, invited, last contact; for
month-end, the day). A lead the row already moved since then stays where a manager may have put it, and
a lead already where the row would send it is left alone. So a second sweep the same day moves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from leadctl.i18n import N_
from leadctl.models import Grade, Status
from leadctl.rules.policy import SweepRule

OPEN_STATUSES = frozenset({Status.ACTIVE, Status.DEFEATED, Status.LOST})
POOLS = ("dcc", "manager")
OUTCOMES = ("lost", "transfer")  # what an `offer` row offers the manager: close the card as lost, or hand it on
_RANK = {g: i for i, g in enumerate((Grade.D, Grade.C, Grade.B, Grade.A, Grade.H, Grade.O), start=1)}


@dataclass(frozen=True)
class LeadRecord:
    """What the sweep needs to know about one lead."""

    id: int
    grade: Grade | None
    status: Status
    owner_id: int | None
    owner_team: str | None
    pool: str | None
    created_at: datetime
    last_contact_at: datetime | None = None
    invited_at: datetime | None = None  # its latest invitation, when the customer never arrived for it
    swept: Mapping[str, datetime] = field(default_factory=dict)  # rule code -> last move by that rule
    effect_at: datetime | None = None  # its latest effect: a grade rise, a new owner or a reactivation

    @property
    def team(self) -> str | None:
        """The team holding the lead: its owner's, or the DCC's while it waits in the DCC pool."""
        if self.owner_id is not None:
            return self.owner_team
        return "dcc" if self.pool == "dcc" else None


@dataclass(frozen=True)
class Move:
    """One lead moved by one rule: from an owner or pool, to the dcc pool, the manager's queue, or closed."""

    lead_id: int
    rule: str
    from_owner: int | None
    from_pool: str | None
    to: str


def is_month_end(day: date) -> bool:
    return (day + timedelta(days=1)).day == 1


def days_since(day: date, when: datetime) -> int:
    return (day - when.date()).days


def older_than(day: date, when: datetime, days: int) -> bool:
    """More than `days` whole days have gone by since `when`."""
    return days_since(day, when) > days


def cutoff(day: date, days: int) -> date:
    """Anything dated before this is more than `days` days old on `day` (for indexed queries)."""
    return day - timedelta(days=days)


def is_rise(previous: Grade | None, grade: Grade) -> bool:
    """A grade change towards buying (D < C < B < A < H < O); from F, L or W any working grade is a rise."""
    return previous is not None and _RANK.get(grade, 0) > _RANK.get(previous, 0)


def no_effect_since(created_at: datetime, effect_at: datetime | None) -> datetime:
    """Since when a lead has had no effect: its registration, or its latest grade rise, new owner or reactivation.
    (A contact that succeeds and does not raise the grade is no effect either: [003] 长时间无跟踪效果.)"""
    return max(created_at, effect_at) if effect_at is not None else created_at


def no_effect_until(since: datetime, months: int) -> date:
    """The first day a lead with no effect since `since` has gone `months` without it [003]."""
    return since.date() + relativedelta(months=months)


def no_effect_cutoff(day: date, months: int) -> date:
    """Leads registered on or after this day cannot have gone `months` without effect by `day` (for queries; a
    few days' margin for the months' unequal lengths)."""
    return day - relativedelta(months=months) + timedelta(days=4)


def is_no_show(expected_at: datetime, day: date) -> bool:
    """An open invitation is a no-show once the day the customer was expected is over."""
    return expected_at.date() < day


def _conditions_hold(rule: SweepRule, lead: LeadRecord, day: date) -> bool:
    statuses = OPEN_STATUSES if rule.grades else {Status.ACTIVE}
    if lead.status not in statuses or (rule.grades and lead.grade not in rule.grades):
        return False
    if rule.from_team and lead.team != rule.from_team:
        return False
    if rule.month_end and not is_month_end(day):
        return False
    if rule.age_days is not None and not older_than(day, lead.created_at, rule.age_days):
        return False
    quiet_since = lead.last_contact_at or lead.created_at
    if rule.quiet_days is not None and not older_than(day, quiet_since, rule.quiet_days):
        return False
    if rule.no_effect_months is not None and \
            day < no_effect_until(no_effect_since(lead.created_at, lead.effect_at), rule.no_effect_months):
        return False
    if rule.invited_days is not None:
        return lead.invited_at is not None and older_than(day, lead.invited_at, rule.invited_days)
    return True


def _counted_from(rule: SweepRule, lead: LeadRecord, day: date) -> datetime:
    """The latest event this rule's conditions count from; the rule moves a lead once per such event."""
    events = []
    if rule.age_days is not None:
        events.append(lead.created_at)
    if rule.quiet_days is not None:
        events.append(lead.last_contact_at or lead.created_at)
    if rule.invited_days is not None and lead.invited_at is not None:
        events.append(lead.invited_at)
    if rule.no_effect_months is not None:
        events.append(no_effect_since(lead.created_at, lead.effect_at))
    if rule.month_end or not events:
        events.append(datetime.combine(day, time.min))
    return max(events)


def _already_there(rule: SweepRule, lead: LeadRecord) -> bool:
    if rule.to == "close":
        return lead.status is Status.CLOSED
    if rule.to == "offer":
        return False
    return lead.owner_id is None and lead.pool == rule.to


def moves_for(rule: SweepRule, lead: LeadRecord, day: date) -> bool:
    """Whether this rule moves this lead on this day."""
    if not _conditions_hold(rule, lead, day) or _already_there(rule, lead):
        return False
    last = lead.swept.get(rule.code)
    return last is None or last < _counted_from(rule, lead, day)


def terms(rule: SweepRule) -> list[tuple[str, dict]]:
    """What a sweep row catches, as a person says it: each condition an English phrase (translated where it is
    shown) with its values, in the order of `_conditions_hold`; the row's code is the policy's name for it."""
    said = [(N_("at month end"), {})] if rule.month_end else []
    if rule.from_team:
        said.append(("{team}", {"team": rule.from_team}))  # the team's word is the whole phrase
    if rule.grades:
        said.append((N_("grade {grades}"), {"grades": "/".join(g.value for g in Grade if g in rule.grades)}))
    for phrase, days in ((N_("registered over {days} days ago"), rule.age_days),
                         (N_("no contact for over {days} days"), rule.quiet_days),
                         (N_("no effect for {days} months"), rule.no_effect_months),
                         (N_("invited over {days} days ago, never came"), rule.invited_days)):
        if days is not None:
            said.append((phrase, {"days": days}))
    return said


def sweep(rules: Iterable[SweepRule], day: date, leads: Iterable[LeadRecord]) -> list[Move]:
    """The moves the rules make on `day`, at most one per lead (the first matching rule), by lead id."""
    rules = tuple(rules)
    out = []
    for lead in sorted(leads, key=lambda r: r.id):
        rule = next((r for r in rules if moves_for(r, lead, day)), None)
        if rule is not None:
            out.append(Move(lead.id, rule.code, lead.owner_id, lead.pool, rule.to))
    return out
