"""A policy tried on the past: the store's recorded contacts, grades, statuses and owner changes replayed under a
proposed policy and under the one in force, side by side, per day and per person. Nothing is written: the history
is read in one read transaction, and the replay runs on that copy in memory.

What a day counts, for each person (the lead's owner that day; `(pool)` for unowned leads):
- due: leads whose due day (the policy's cadence from the history up to then) is that day and that were not
  contacted earlier; a contact that day meets it;
- overdue: leads past their due day and not yet contacted (a contact that day still finds them overdue);
- escalated: leads reaching the first rung of the ladder that goes to the manager that day;
- the workload is due + overdue: the contacts the day asks for, against the calls-a-day norm
  (kpi.calls_per_day: days over its maximum, working days under its minimum).

Each lead's state when the period opens is rewound from its first later change (grade, status and owner rows keep
the previous value), its follow-up count from the stored count, its last contact from its latest follow-up before
the period. Leads untouched for `LOOKBACK` days before the period are left out (both policies would count them
overdue alike).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.models import Grade, LeadState, Status
from leadctl.rules import cadence
from leadctl.rules import pool as pool_rules
from leadctl.rules.policy import Policy
from leadctl.services import policy as policies
from leadctl.services import staff
from leadctl.services.pool import calendar
from leadctl.store.db import Store

LOOKBACK = 120  # days replayed before the period, to know each lead's state when it opens
POOL = "(pool)"
COUNTS = ("due", "overdue", "escalated")


@dataclass
class Lead:
    id: int
    created_at: datetime
    grade: Grade | None
    status: Status
    owner: int | None
    count: int
    last: datetime | None
    events: list = field(default_factory=list)  # (at, kind, value)


def simulate(store: Store, now: datetime, actor: str | None, path: str, start: date | None = None,
             end: date | None = None) -> dict:
    """Replay the period under the policy file (over the policy in force) and under the policy in force."""
    end = end or now.date() - timedelta(days=1)
    start = start or end - timedelta(days=364)
    if start > end:
        raise UsageError(_("--from {start} is after --to {end}").format(start=start, end=end),
                         _("give the period's first day, then its last"))
    with store.read() as conn:
        staff.authorize(conn, now, actor, "policy.simulate")
        current = policies.current(conn)
        proposed = policies.resolve(None, path, base=current.data)
        history, names = _load(conn, start - timedelta(days=LOOKBACK), start, end)
    totals = _replay([proposed, current], history, start, end)
    return _report(proposed, current, dict(zip(("proposed", "current"), totals, strict=True)), names, start, end)


GRADES = {g.value: g for g in Grade}
STATUSES = {s.value: s for s in Status}


def _load(conn, since: date, start: date, end: date) -> tuple[list[Lead], dict[int | None, str]]:
    """Everything the replay reads, from one snapshot: the leads touched since `since`, and their events from the
    period's first day (their state then is rewound from the first later change of each kind)."""
    ws, first, last = since.isoformat(), start.isoformat(), (end + timedelta(days=1)).isoformat()
    leads: dict[int, Lead] = {}
    for lead_id, created, grade, status, owner, count, before in conn.execute(
            "SELECT l.id, l.created_at, l.grade, l.status, l.owner_id, l.followup_count,"
            " (SELECT max(f.at) FROM followups f WHERE f.lead_id = l.id AND f.at < :first)"
            " FROM leads l WHERE l.merged_into IS NULL AND l.phone IS NOT NULL AND l.created_at < :last"
            " AND (l.created_at >= :ws OR l.last_contact_at >= :ws)", {"ws": ws, "first": first, "last": last}):
        leads[lead_id] = Lead(lead_id, datetime.fromisoformat(created), GRADES.get(grade), STATUSES[status], owner,
                              count, datetime.fromisoformat(before) if before else None)
    later: dict[int, int] = defaultdict(int)
    parse = datetime.fromisoformat
    for lead_id, at, grade, next_on in conn.execute(
            "SELECT lead_id, at, grade, next_on FROM followups WHERE at >= ?", (first,)):
        lead = leads.get(lead_id)
        if lead is not None:
            later[lead_id] += 1
            lead.events.append((parse(at), "followup", (GRADES.get(grade), next_on)))
    for lead_id, at in conn.execute("SELECT lead_id, arrived_at FROM visits WHERE arrived_at >= ?", (first,)):
        if lead_id in leads:
            leads[lead_id].events.append((parse(at), "visit", None))
    for table, sql in (("grades", "SELECT lead_id, at, grade, previous FROM grades WHERE at >= ?"),
                       ("statuses", "SELECT lead_id, at, status, previous FROM statuses WHERE at >= ?"),
                       ("owners", "SELECT lead_id, at, to_id, from_id FROM owners WHERE at >= ?")):
        for lead_id, at, value, previous in conn.execute(sql, (first,)):
            if lead_id in leads:
                leads[lead_id].events.append((parse(at), table, (value, previous)))
    for lead in leads.values():
        lead.count = max(0, lead.count - later[lead.id])
        lead.events.sort(key=lambda e: (e[0], e[1] != "owners"))
        _rewind(lead)
    names = dict(conn.execute("SELECT id, name FROM staff"))
    names[None] = POOL
    return list(leads.values()), names


def _rewind(lead: Lead) -> None:
    """The grade, status and owner each lead had when the replay starts: the `previous` of its first later change."""
    seen: set[str] = set()
    for _at, kind, value in lead.events:
        if kind in ("grades", "statuses", "owners") and kind not in seen:
            seen.add(kind)
            previous = value[1]
            if kind == "grades":
                lead.grade = GRADES.get(previous)
            elif kind == "statuses":
                lead.status = STATUSES.get(previous, Status.ACTIVE)
            else:
                lead.owner = previous


class _Side:
    """One policy's replay: per person, difference arrays over the period's days (day ordinals), so a range of
    overdue days is two additions; and the day each due day reaches the ladder's first manager rung."""

    def __init__(self, rules: Policy, start: date, end: date):
        self.rules, self.start, self.end, self.days = rules, start.toordinal(), end.toordinal(), (end - start).days + 1
        self.data: dict[tuple[str, int | None], list[int]] = {}
        self.working = calendar(rules)
        self.steps = [r for r in pool_rules.ladder(rules.data) if r.action == "manager"]
        self.reach: dict[int, int | None] = {}

    def add(self, what: str, who: int | None, first: int, last: int) -> None:
        a, b = max(0, first - self.start), min(self.days - 1, last - self.start)
        if a > b:
            return
        row = self.data.get((what, who))
        if row is None:
            row = self.data[(what, who)] = [0] * (self.days + 1)
        row[a] += 1
        row[b + 1] -= 1

    def escalation_day(self, due_on: int) -> int | None:
        if not self.steps:
            return None
        if due_on not in self.reach:
            day, count, need = due_on, 0, self.steps[0].working_days
            while count < need and day <= self.end:
                day += 1
                count += self.working(date.fromordinal(day))
            self.reach[due_on] = day if count >= need else None
        return self.reach[due_on]

    def totals(self) -> dict[tuple[str, int | None], list[int]]:
        out = {}
        for key, row in self.data.items():
            run, acc = 0, []
            for value in row[:-1]:
                run += value
                acc.append(run)
            out[key] = acc
        return out


def _replay(rules: list[Policy], history: list[Lead], start: date, end: date) -> list[dict]:
    """Each policy's counts, from one walk through every lead's events (the state is built once per event)."""
    sides = [_Side(r, start, end) for r in rules]
    for lead in history:
        _lead(sides, lead, end)
    return [side.totals() for side in sides]


def _lead(sides: list[_Side], lead: Lead, end: date) -> None:
    grade, status, owner, count, last = lead.grade, lead.status, lead.owner, lead.count, lead.last
    planned, restarted = None, None
    counted: list[set[int]] = [set() for _ in sides]
    at_day, first_day, last_day = lead.created_at.toordinal(), sides[0].start, sides[0].end
    events = lead.events + [(datetime.combine(end + timedelta(days=1), datetime.min.time()), "end", None)]
    for when, kind, value in events:
        if when < lead.created_at:
            when = lead.created_at
        day = when.toordinal()
        stop = day if kind == "followup" or kind == "visit" else day - 1
        if stop >= first_day and day >= at_day:
            state = LeadState(grade, status, lead.created_at, last, count, planned, None, restarted)
            for side, seen in zip(sides, counted, strict=True):
                due = cadence.next_due(side.rules, state)
                if due is None:
                    continue
                d = due.due_on.toordinal()
                if at_day <= d <= stop and d not in seen:
                    seen.add(d)
                    side.add("due", owner, d, d)
                side.add("overdue", owner, max(d + 1, at_day), stop)
                up = side.escalation_day(d)
                if up is not None and at_day <= up <= stop and -d not in seen:
                    seen.add(-d)
                    side.add("escalated", owner, up, up)
        if kind == "followup":
            count, last, planned = count + 1, when, date.fromisoformat(value[1]) if value[1] else None
            grade = value[0] or grade
        elif kind == "visit":
            last = when if last is None or when > last else last
        elif kind == "grades":
            grade = GRADES.get(value[0])
        elif kind == "statuses":
            status = STATUSES[value[0]]
            if status is Status.ACTIVE and value[1] in ("defeated", "lost", "closed"):
                restarted = when
        elif kind == "owners":
            owner = value[0]
        at_day = day
        if day > last_day:
            break


def _report(proposed: Policy, current: Policy, sides: dict, names: dict, start: date, end: date) -> dict:
    norm = proposed.kpi.get("calls_per_day", current.kpi.get("calls_per_day", {}))
    top = norm.get("max", norm.get("max_exclusive"))
    bottom = norm.get("min", norm.get("min_exclusive"))
    working = calendar(current)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    people = sorted({who for side in sides.values() for _what, who in side}, key=lambda w: (w is None, names.get(w)))
    rows, per_person = [], []
    for who in people:
        totals: dict[str, dict[str, Any]] = {}
        for side, data in sides.items():
            series = {what: data.get((what, who), [0] * len(days)) for what in COUNTS}
            load = [series["due"][i] + series["overdue"][i] for i in range(len(days))]
            over = [days[i] for i in range(len(days)) if top is not None and _over(load[i], norm, top)]
            under = [days[i] for i in range(len(days)) if bottom is not None and working(days[i])
                     and who is not None and _under(load[i], norm, bottom)]
            totals[side] = {**{what: sum(series[what]) for what in COUNTS}, "days_over": len(over),
                            "days_under": len(under), "_over": over, "_series": series, "_load": load}
        per_person.append({"person": names.get(who), **{side: {k: v for k, v in t.items() if not k.startswith("_")}
                                                         for side, t in totals.items()}})
        for i, day in enumerate(days):
            row = {"day": day.isoformat(), "person": names.get(who)}
            for side, t in totals.items():
                row[side] = {**{what: t["_series"][what][i] for what in COUNTS}, "workload": t["_load"][i]}
            if any(row[s]["workload"] or row[s]["escalated"] for s in sides):
                rows.append(row)
        per_person[-1]["_over"] = {side: set(t["_over"]) for side, t in totals.items()}
    overloaded = [p["person"] for p in per_person if p["proposed"]["days_over"] > p["current"]["days_over"]]
    new_days = sorted({d for p in per_person for d in p["_over"]["proposed"] - p["_over"]["current"]})
    for p in per_person:
        p.pop("_over")
    return {
        "from": start.isoformat(), "to": end.isoformat(), "proposed": proposed.name, "current": current.name,
        "norm": {"calls_per_day": norm}, "people": per_person, "days": rows,
        "summary": {"overloaded_people": overloaded, "overloaded_days": [d.isoformat() for d in new_days],
                    "proposed": _sum(per_person, "proposed"), "current": _sum(per_person, "current")},
    }


def _over(load: int, norm: dict, top: float) -> bool:
    return load > top if "max" in norm else load >= top


def _under(load: int, norm: dict, bottom: float) -> bool:
    return load <= bottom if "min_exclusive" in norm else load < bottom


def _sum(people: list[dict], side: str) -> dict:
    return {k: sum(p[side][k] for p in people) for k in (*COUNTS, "days_over", "days_under")}
