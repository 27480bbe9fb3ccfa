"""The DCC pool: who is on duty, who gets an unowned lead, how far an untouched lead has climbed the escalation
ladder, and how urgent each due row is. Pure: the policy's `[distribution]`, `[[escalation]]` and `[priority]`
tables and dates in, decisions out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from leadctl.errors import BadInput

RULES = ("round-robin", "least-loaded", "manual")
ACTIONS = ("late", "manager")
WEEKDAYS = {"周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6, "周日": 7, "周天": 7,
            "星期一": 1, "星期二": 2, "星期三": 3, "星期四": 4, "星期五": 5, "星期六": 6, "星期日": 7, "星期天": 7,
            "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
DISTRIBUTION_DEFAULTS: dict[str, Any] = {
    "rule": "round-robin", "roles": ["telesales"], "pools": ["dcc", "manager"],
    "pool_channels": ["call", "web", "hotline", "hq"], "skip_previous_owner": True, "assign_channels": [],
}
PRIORITY_DEFAULTS: dict[str, Any] = {
    # one day overdue outweighs every other term together only when they sum below 1: today's order (most
    # overdue first) holds for the common rows, and the terms order the rows of one day
    "overdue_day": 1.0, "grades": {"H": 0.4, "A": 0.3, "B": 0.2, "C": 0.1},
    "invitation_tomorrow": 0.3, "open_complaint": 0.2, "planned_delivery": 0.05, "rung": 0.0,
}


@dataclass(frozen=True)
class Rung:
    rung: int
    working_days: int
    action: str  # late: the owner's due marks it; manager: the manager's due lists it with the owner
    reassign: bool = False  # given to someone else by the distribution rule (a store turns it on; presets never)


@dataclass(frozen=True)
class Distribution:
    rule: str
    roles: tuple[str, ...]
    pools: tuple[str, ...]
    pool_channels: tuple[str, ...]
    skip_previous_owner: bool
    assign_channels: tuple[str, ...]
    max_per_day: int | None  # the calls-a-day norm least-loaded never passes (kpi.calls_per_day.max)


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    load: int = 0  # due contacts tomorrow


@dataclass(frozen=True)
class PoolLead:
    id: int
    previous: frozenset[int] = field(default_factory=frozenset)  # staff who owned it before


def distribution(data: dict[str, Any]) -> Distribution:
    d = {**DISTRIBUTION_DEFAULTS, **data.get("distribution", {})}
    norm = data.get("kpi", {}).get("calls_per_day", {})
    cap = norm.get("max", norm.get("max_exclusive"))
    cap = None if cap is None else int(cap) - (1 if "max" not in norm else 0)
    return Distribution(d["rule"], tuple(d["roles"]), tuple(d["pools"]), tuple(d["pool_channels"]),
                        bool(d["skip_previous_owner"]), tuple(d["assign_channels"]), cap)


# a policy stored before the ladder existed gets the presets' (an empty list turns the ladder off)
LADDER_DEFAULTS = ({"working_days": 1, "action": "late"}, {"working_days": 2, "action": "manager"},
                   {"working_days": 3, "action": "manager"})


def ladder(data: dict[str, Any]) -> tuple[Rung, ...]:
    rows = data.get("escalation", LADDER_DEFAULTS)
    return tuple(Rung(i + 1, r["working_days"], r.get("action", "manager"), bool(r.get("reassign", False)))
                 for i, r in enumerate(sorted(rows, key=lambda r: r["working_days"])))


def problems(data: dict[str, Any]) -> list[str]:
    """What is wrong with the pool's tables of a policy document (the shape is checked elsewhere)."""
    out = []
    rule = data.get("distribution", {}).get("rule", "round-robin")
    if rule not in RULES:
        out.append(f"distribution.rule: must be one of {', '.join(RULES)}")
    days = [r.get("working_days") for r in data.get("escalation", [])]
    if any(d is None or d < 1 for d in days):
        out.append("escalation: each rung needs working_days of at least 1")
    if len(set(days)) != len(days):
        out.append("escalation: two rungs at the same working_days")
    out += [f"escalation[{i}].action: must be one of {', '.join(ACTIONS)}"
            for i, r in enumerate(data.get("escalation", [])) if r.get("action", "manager") not in ACTIONS]
    grades = data.get("priority", {}).get("grades", {})
    out += [f"priority.grades.{k}: must be a number" for k, v in grades.items()
            if not isinstance(v, int | float) or isinstance(v, bool)]
    return out


def parse_days(text: str) -> tuple[int, ...]:
    """Working weekdays from `周一..周五`, `周一,周三,周五`, `mon..fri` or `1-5` (ISO numbers, 1 = Monday)."""
    out: set[int] = set()
    for part in text.replace("，", ",").replace("、", ",").split(","):
        part = part.strip().lower()
        if not part:
            continue
        ends = part.split("..") if ".." in part else part.split("-") if "-" in part else [part]
        nums = [_weekday(e.strip()) for e in ends]
        if len(nums) == 1:
            out.add(nums[0])
        elif len(nums) == 2:
            first, last = nums
            out.update((first - 1 + i) % 7 + 1 for i in range((last - first) % 7 + 1))
        else:
            raise BadInput(f"{text!r} is not a list of weekdays", "write e.g. 周一..周五 or 周一,周三")
    if not out:
        raise BadInput("no weekdays given", "write e.g. 周一..周五")
    return tuple(sorted(out))


def _weekday(word: str) -> int:
    if word.isdigit() and 1 <= int(word) <= 7:
        return int(word)
    if word[:3] in WEEKDAYS:
        return WEEKDAYS[word[:3]]
    if word in WEEKDAYS:
        return WEEKDAYS[word]
    raise BadInput(f"{word!r} is not a weekday", "write 周一..周日, mon..sun or 1..7")


def on_duty(day: date, weekdays: tuple[int, ...] | None, days_off: Iterable[date]) -> bool:
    """A staff member with no roster works every day; a roster lists their weekdays; a date off always counts."""
    return day not in set(days_off) and (weekdays is None or day.isoweekday() in weekdays)


def distribute(rule: Distribution, leads: list[PoolLead], people: list[Candidate],
               last_given: int | None = None) -> list[tuple[int, int | None]]:
    """Each lead with the staff id it goes to (None: it stays in the pool). `people` are those on duty, in a
    stable order; round-robin starts after `last_given`, who received the previous one."""
    if not people or rule.rule == "manual":
        return [(lead.id, None) for lead in leads]
    load = {p.id: p.load for p in people}
    order = [p.id for p in people]
    turn = (order.index(last_given) + 1) % len(order) if last_given in order else 0
    out: list[tuple[int, int | None]] = []
    for lead in leads:
        allowed = [i for i in order if not (rule.skip_previous_owner and i in lead.previous)] or order
        if rule.rule == "round-robin":
            ring = order[turn:] + order[:turn]
            pick = next(i for i in ring if i in allowed)
            turn = (order.index(pick) + 1) % len(order)
        else:
            room = [i for i in allowed if rule.max_per_day is None or load[i] < rule.max_per_day]
            if not room:
                out.append((lead.id, None))
                continue
            pick = min(room, key=lambda i: (load[i], order.index(i)))
        load[pick] += 1
        out.append((lead.id, pick))
    return out


def working_days_late(due_on: date, on: date, working: Callable[[date], bool], enough: int = 60) -> int:
    """Working days after the due day up to and including `on`, counted up to `enough` (the ladder's top rung)."""
    count, day = 0, due_on + timedelta(days=1)
    while day <= on and count < enough:
        count += working(day)
        day += timedelta(days=1)
    return count


def rung(steps: tuple[Rung, ...], late_days: int) -> Rung | None:
    """The highest rung an untouched lead has reached, `late_days` working days after its due day."""
    reached = [r for r in steps if late_days >= r.working_days]
    return reached[-1] if reached else None


FLAGS = ("invitation_tomorrow", "open_complaint", "planned_delivery")


def weights(section: dict[str, Any]) -> dict[str, Any]:
    """The policy's `[priority]` over the defaults (a policy stored before it existed gets the presets')."""
    return {**PRIORITY_DEFAULTS, **section}


def score(w: dict[str, Any], facts: dict[str, Any]) -> tuple[float, dict[str, float]]:
    """A due row's priority under the weights `w` (see `weights`): the weighted sum of its facts, and the terms
    that made it (like taskwarrior's urgency). Facts: days_overdue, grade, invitation_tomorrow, open_complaint,
    planned_delivery, rung."""
    terms: dict[str, float] = {}
    days = facts.get("days_overdue", 0)
    if days:
        terms["days_overdue"] = round(w["overdue_day"] * days, 3)
    grade = w["grades"].get(facts.get("grade") or "")
    if grade:
        terms["grade"] = round(float(grade), 3)
    for flag in FLAGS:
        if facts.get(flag) and w[flag]:
            terms[flag] = round(w[flag], 3)
    if facts.get("rung") and w["rung"]:
        terms["rung"] = round(w["rung"] * facts["rung"], 3)
    return round(sum(terms.values(), 0.0), 3), terms  # a float even with no terms: 0.0 reads as 1.5 does
