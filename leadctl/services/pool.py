"""The DCC pool: unowned leads handed out by the policy's distribution rule, the duty roster, and the escalation
ladder of untouched leads (run by the daily sweep, in its transaction)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

from leadctl.errors import Refused, UsageError
from leadctl.i18n import _
from leadctl.rules import dates, pool
from leadctl.rules.deadlines import rules_of
from leadctl.rules.policy import Policy
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("lead_id", "to", "rule", "reason")


def pool_where(rule: pool.Distribution, alias: str = "l") -> tuple[str, list]:
    """SQL for the unowned open leads waiting in the pool: in one of the policy's pools, or unowned leads of its
    pool channels."""
    a = alias
    pools, channels = list(rule.pools), list(rule.pool_channels)
    where = (f"{a}.owner_id IS NULL AND {a}.status = 'active' AND {a}.merged_into IS NULL AND ("
             f"{a}.pool IN (SELECT value FROM json_each(?)) OR ({a}.pool IS NULL AND {a}.channel IN "
             "(SELECT value FROM json_each(?))))")
    return where, [json.dumps(pools), json.dumps(channels)]


def on_duty(conn: sqlite3.Connection, rule: pool.Distribution, day: date, tomorrow: date) -> list[pool.Candidate]:
    """Active staff of the distribution's roles working `day`, each with their due contacts by `tomorrow`."""
    rows = conn.execute(
        "SELECT s.id, s.name, d.weekdays FROM staff s LEFT JOIN duty d ON d.staff_id = s.id WHERE s.active = 1"
        " AND s.role IN (SELECT value FROM json_each(?)) ORDER BY s.id", (json.dumps(list(rule.roles)),)).fetchall()
    off = {(r[0], r[1]) for r in conn.execute("SELECT staff_id, day FROM duty_off WHERE day = ?", (day.isoformat(),))}
    out = []
    for staff_id, name, weekdays in rows:
        days = tuple(int(d) for d in weekdays.split(",")) if weekdays else None
        if (staff_id, day.isoformat()) in off or not pool.on_duty(day, days, ()):
            continue
        load = conn.execute("SELECT count(*) FROM leads WHERE owner_id = ? AND next_due <= ? AND next_due IS NOT NULL"
                            " AND status IN ('active', 'ordered')", (staff_id, tomorrow.isoformat())).fetchone()[0]
        out.append(pool.Candidate(staff_id, name, load))
    return out


def _previous(conn: sqlite3.Connection, ids: list[int]) -> dict[int, frozenset[int]]:
    found: dict[int, set[int]] = {}
    for lead_id, from_id, to_id in conn.execute(
            "SELECT lead_id, from_id, to_id FROM owners WHERE lead_id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),)):
        found.setdefault(lead_id, set()).update(i for i in (from_id, to_id) if i is not None)
    return {k: frozenset(v) for k, v in found.items()}


def _last_given(conn: sqlite3.Connection, rule: str) -> int | None:
    row = conn.execute("SELECT to_id FROM owners WHERE reason = ? ORDER BY id DESC LIMIT 1",
                       (f"assigned: {rule}",)).fetchone()
    return row[0] if row else None


def plan(conn: sqlite3.Connection, day: date, rules: Policy, ids: list[int] | None = None,
         reason: str | None = None) -> tuple[list[tuple[int, int | None]], dict[int, str], str]:
    """Who gets each pool lead (or the given ones) today: (lead, staff id or None) pairs, names, the reason."""
    rule = pool.distribution(rules.data)
    if ids is None:
        where, args = pool_where(rule)
        ids = [r[0] for r in conn.execute(f"SELECT l.id FROM leads l WHERE {where} ORDER BY l.id", args)]
    people = on_duty(conn, rule, day, day + timedelta(days=1))
    previous = _previous(conn, ids)
    todo = [pool.PoolLead(i, previous.get(i, frozenset())) for i in ids]
    pairs = pool.distribute(rule, todo, people, _last_given(conn, rule.rule))
    return pairs, {p.id: p.name for p in people}, reason or f"assigned: {rule.rule}"


def give(conn: sqlite3.Connection, now: datetime, by_id: int | None, pairs, reason: str, act: str = "assign") -> int:
    """Apply planned assignments: each an owner change with its reason, audited. Returns how many."""
    given = 0
    for lead_id, to_id in pairs:
        if to_id is None:
            continue
        leads.set_owner(conn, now, by_id, lead_id, to_id, reason)
        record(conn, now, by_id, act, lead_id, to_id=to_id, reason=reason)
        given += 1
    return given


def _result(pairs, names: dict[int, str], reason: str, dry_run: bool) -> dict:
    rows = [{"lead_id": lead_id, "to": names.get(to_id), "rule": reason.split(": ", 1)[-1], "reason": reason}
            for lead_id, to_id in pairs if to_id is not None]
    left = [lead_id for lead_id, to_id in pairs if to_id is None]
    return {"dry_run": dry_run, "assigned": rows, "left_in_pool": left}


def assign(store: Store, now: datetime, actor: str | None, dry_run: bool = False) -> dict:
    """Hand the pool's unowned leads to the staff on duty by the policy's rule (manager, or cron)."""
    day = now.date()
    if dry_run:
        with store.read() as conn:
            staff.authorize(conn, now, actor, "assign")
            return _result(*plan(conn, day, policy.current(conn)), True)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "assign")
        rules = policy.current(conn)
        if pool.distribution(rules.data).rule == "manual":
            raise Refused(_("the policy's distribution rule is manual"),
                          _("give leads by hand: `leadctl assign LEAD... --to STAFF`"))
        pairs, names, reason = plan(conn, day, rules)
        give(conn, now, who.id, pairs, reason)
        return _result(pairs, names, reason, False)


def assign_to(store: Store, now: datetime, actor: str | None, refs: list[str], to: str, dry_run: bool = False) -> dict:
    """The manager picks: these unowned leads go to one colleague (manual)."""
    if not refs:
        raise UsageError(_("name the leads to give"), _("leadctl assign LEAD... --to STAFF"))
    with store.read() if dry_run else store.write() as conn:
        who = staff.authorize(conn, now, actor, "assign")
        receiver = staff.owning(conn, to)
        ids = []
        for ref in refs:
            lead_id = leads.find(conn, ref)
            owner_id, status, merged = conn.execute(
                "SELECT owner_id, status, merged_into FROM leads WHERE id = ?", (lead_id,)).fetchone()
            if merged is not None or status not in ("active", "ordered"):
                raise Refused(_("lead {id} is not open; it cannot be assigned").format(id=lead_id),
                              _("assign open leads"))
            if owner_id is not None:
                raise Refused(_("lead {id} already has an owner").format(id=lead_id),
                              _("move an owned lead with `leadctl transfer LEAD --to STAFF`"))
            if lead_id not in ids:
                ids.append(lead_id)
        pairs = [(i, receiver.id) for i in ids]
        if not dry_run:
            give(conn, now, who.id, pairs, "assigned: manual")
        return _result(pairs, {receiver.id: receiver.name}, "assigned: manual", dry_run)


def assign_new(conn: sqlite3.Connection, now: datetime, by_id: int | None, ids: list[int] | range,
               forced: bool) -> int:
    """At intake or import: new unowned pool leads assigned at once, when asked (`--assign`) or when the policy
    assigns their channel by default. Inside the caller's write transaction."""
    rules = policy.current(conn)
    rule = pool.distribution(rules.data)
    if rule.rule == "manual" or not ids:
        return 0
    where, args = pool_where(rule)
    if isinstance(ids, range) and ids.step == 1:  # an import's new leads: a range of ids, read as one
        which, given = "l.id >= ? AND l.id < ?", [ids.start, ids.stop]
    else:
        which, given = "l.id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]
    wanted = [r[0] for r in conn.execute(
        f"SELECT l.id FROM leads l WHERE {which} AND {where}"
        + ("" if forced else " AND l.channel IN (SELECT value FROM json_each(?))") + " ORDER BY l.id",
        [*given, *args, *([] if forced else [json.dumps(list(rule.assign_channels))])])]
    if not wanted:
        return 0
    pairs, _names, reason = plan(conn, now.date(), rules, wanted)
    return give(conn, now, by_id, pairs, reason)


def duty_set(store: Store, now: datetime, actor: str | None, name: str, days: str | None, off: list[str],
             back: list[str], every_day: bool) -> dict:
    """Who works which day (值班/轮休 [001]): weekdays, dates off, or back to every day."""
    weekdays = pool.parse_days(days) if days else None
    if every_day and weekdays:
        raise UsageError(_("give --days or --every-day, not both"), _("--every-day removes the weekday roster"))
    off_days = [dates.parse_day(d, "--off", now.date(), dates.FUTURE) for d in off]
    back_days = [dates.parse_day(d, "--back", now.date(), dates.FUTURE) for d in back]
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "duty.set")
        member = staff.get(conn, name)
        if weekdays:
            conn.execute("INSERT INTO duty (staff_id, weekdays, set_at) VALUES (?, ?, ?) ON CONFLICT(staff_id)"
                         " DO UPDATE SET weekdays = excluded.weekdays, set_at = excluded.set_at",
                         (member.id, ",".join(map(str, weekdays)), now.isoformat()))
        if every_day:
            conn.execute("DELETE FROM duty WHERE staff_id = ?", (member.id,))
        conn.executemany("INSERT OR IGNORE INTO duty_off (staff_id, day) VALUES (?, ?)",
                         [(member.id, d.isoformat()) for d in off_days])
        conn.executemany("DELETE FROM duty_off WHERE staff_id = ? AND day = ?",
                         [(member.id, d.isoformat()) for d in back_days])
        record(conn, now, who.id, "duty.set", staff_id=member.id, weekdays=list(weekdays) if weekdays else None,
               every_day=every_day, off=[d.isoformat() for d in off_days], back=[d.isoformat() for d in back_days])
        return _roster(conn, member.id)


def _roster(conn: sqlite3.Connection, staff_id: int) -> dict:
    name, weekdays = conn.execute("SELECT s.name, d.weekdays FROM staff s LEFT JOIN duty d ON d.staff_id = s.id"
                                  " WHERE s.id = ?", (staff_id,)).fetchone()
    off = [r[0] for r in conn.execute("SELECT day FROM duty_off WHERE staff_id = ? ORDER BY day", (staff_id,))]
    return {"name": name, "weekdays": [int(d) for d in weekdays.split(",")] if weekdays else None, "days_off": off}


def duty_list(store: Store, now: datetime, actor: str | None, day: date) -> list[dict]:
    """Every active staff member's roster, and whether they are on duty on `day`."""
    with store.read() as conn:
        staff.authorize(conn, now, actor, "due")
        ids = [r[0] for r in conn.execute("SELECT id FROM staff WHERE active = 1 ORDER BY id")]
        out = []
        for staff_id in ids:
            row = _roster(conn, staff_id)
            days = tuple(row["weekdays"]) if row["weekdays"] else None
            off = [date.fromisoformat(d) for d in row["days_off"]]
            out.append({**row, "weekdays": ",".join(map(str, days)) if days else "every day",
                        "days_off": ", ".join(row["days_off"]), "on_duty": pool.on_duty(day, days, off)})
        return out


def calendar(rules: Policy):
    """The working-day calendar the ladder counts on (the policy's complaints calendar: weekend and holidays)."""
    return rules_of(rules.data.get("complaints")).working


class Ladder:
    """Each due day's rung on `on`, counted once per distinct due day."""

    def __init__(self, rules: Policy, on: date):
        self.steps, self.on, self.working, self._seen = pool.ladder(rules.data), on, calendar(rules), {}

    def rung(self, due_on: str) -> pool.Rung | None:
        if due_on not in self._seen:
            top = self.steps[-1].working_days if self.steps else 0
            late = pool.working_days_late(date.fromisoformat(due_on), self.on, self.working, top) if top else 0
            self._seen[due_on] = pool.rung(self.steps, late)
        return self._seen[due_on]


def escalate(conn: sqlite3.Connection, now: datetime, by_id: int | None, dry_run: bool = False) -> list[dict]:
    """The ladder, run by the daily sweep: every rung each untouched lead reached since its due day is recorded once
    (a rerun records nothing); a rung that says so reassigns the lead by the distribution rule (reason `escalated`).
    """
    rules = policy.current(conn)
    ladder = Ladder(rules, now.date())
    if not ladder.steps:
        return []
    rows = conn.execute("SELECT id, next_due, owner_id FROM leads WHERE next_due < ? AND next_due IS NOT NULL"
                        " AND status IN ('active', 'ordered')", (now.date().isoformat(),)).fetchall()
    reached = [(lead_id, due_on, owner_id, ladder.rung(due_on)) for lead_id, due_on, owner_id in rows]
    reached = [r for r in reached if r[3] is not None]
    done = set(conn.execute("SELECT lead_id, due_on, rung FROM escalations WHERE lead_id IN"
                            " (SELECT value FROM json_each(?))", (json.dumps([r[0] for r in reached]),)).fetchall())
    new = [(lead_id, due_on, owner_id, step) for lead_id, due_on, owner_id, top in reached
           for step in ladder.steps[:top.rung] if (lead_id, due_on, step.rung) not in done]
    out = [{"lead_id": lead_id, "due_on": due_on, "rung": step.rung, "action": step.action, "owner_id": owner_id,
            "reassign": step.reassign and owner_id is not None} for lead_id, due_on, owner_id, step in new]
    if dry_run or not out:
        return out
    moving = [r["lead_id"] for r in out if r["reassign"]]
    pairs = dict(plan(conn, now.date(), rules, moving)[0]) if moving else {}
    for r in out:
        to_id = pairs.get(r["lead_id"]) if r["reassign"] else None
        r["reassigned_to"] = to_id if to_id != r["owner_id"] else None
    pairs = {r["lead_id"]: r["reassigned_to"] for r in out if r["reassigned_to"] is not None}
    conn.executemany(
        "INSERT OR IGNORE INTO escalations (lead_id, due_on, rung, at, owner_id, action, reassigned_to)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(r["lead_id"], r["due_on"], r["rung"], now.isoformat(), r["owner_id"], r["action"], r["reassigned_to"])
         for r in out])
    give(conn, now, by_id, [(i, t) for i, t in pairs.items() if t is not None], "escalated", act="escalate")
    counts: dict[int, int] = {}
    for r in out:
        counts[r["rung"]] = counts.get(r["rung"], 0) + 1
    record(conn, now, by_id, "escalation", by_rung={str(k): v for k, v in sorted(counts.items())},
           reassigned=sum(1 for t in pairs.values() if t is not None))
    return out
