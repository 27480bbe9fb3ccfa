"""Moving leads by hand (a manager's transfer) and by rule (the daily sweep of the policy's sweep rows)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from leadctl.errors import Refused
from leadctl.i18n import _
from leadctl.models import Grade, Status
from leadctl.rules import ownership
from leadctl.rules.policy import SweepRule
from leadctl.services import invitations, leads, policy, pool, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

MOVE_COLUMNS = ("lead_id", "rule", "from_owner", "from_pool", "to")
OFFER_COLUMNS = ("lead_id", "rule", "owner", "pool", "no_effect_since", "outcomes", "commands")


def transfer(store: Store, now: datetime, actor: str | None, lead: str, to: str, reason: str | None = None) -> dict:
    """Give a lead to another owner (taking it out of any pool); the move is kept in the owner history."""
    reason = (reason or "").strip() or None
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "transfer", lead_id)
        receiver = staff.owning(conn, to)
        owner_id, pool, status, merged = conn.execute(
            "SELECT owner_id, pool, status, merged_into FROM leads WHERE id = ?", (lead_id,)).fetchone()
        if status == Status.CLOSED or merged is not None:
            raise Refused(
                _("lead {lead_id} is {value}; it cannot be transferred").format(
                    lead_id=lead_id, value="merged" if merged else "closed"
                ),
                _("transfer an open lead"),
            )
        if owner_id == receiver.id:
            raise Refused(
                _("{name} already owns lead {lead_id}").format(name=receiver.name, lead_id=lead_id),
                _("name another colleague with --to"),
            )
        leads.set_owner(conn, now, who.id, lead_id, receiver.id, f"transfer: {reason}" if reason else "transfer")
        record(conn, now, who.id, "transfer", lead_id, from_id=owner_id, from_pool=pool, to_id=receiver.id)
        names = _names(conn, [owner_id])
        return {"lead_id": lead_id, "from_owner": names.get(owner_id), "from_pool": pool, "to": receiver.name,
                "reason": reason}


def sweep(store: Store, now: datetime, actor: str | None, dry_run: bool = False) -> dict:
    """Record no-shows, then apply the policy's sweep rows for today, all in one transaction.

    Safe to run from cron every day: a second run the same day moves nothing. With dry_run, the moves
    and no-shows are listed and nothing is written. Rows whose target is `offer` (the half-year rule [003])
    never move a lead: either way they are listed under `offers`, for the manager to mark lost or transfer.
    """
    day = now.date()
    if dry_run:
        with store.read() as conn:
            staff.authorize(conn, now, actor, "transfer.sweep")
            no_shows = [row[0] for row in invitations.pending_no_shows(conn, day)]
            return {**_result(conn, day, True, no_shows, plan(conn, day)), "escalations": _rungs(pool.escalate(
                conn, now, None, dry_run=True))}
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "transfer.sweep")
        no_shows = invitations.close_no_shows(conn, now, who.id)
        moves = plan(conn, day)
        rules = policy.current(conn)
        for move in moves:
            if move.to != "offer":
                _apply(conn, now, who.id, move)
        for lead_id in {m.lead_id for m in moves if m.to == "close"}:
            leads.replan(conn, rules, lead_id)
        rungs = _rungs(pool.escalate(conn, now, who.id))  # the escalation ladder, in the same transaction
        return {**_result(conn, day, False, no_shows, moves), "escalations": rungs}


def _rungs(rows: list[dict]) -> list[dict]:
    return [{k: r.get(k) for k in ("lead_id", "due_on", "rung", "action", "reassigned_to")} for r in rows]


def plan(conn: sqlite3.Connection, day: date) -> list[ownership.Move]:
    """The moves the policy's sweep rows make on `day`, from candidates narrowed by indexed queries."""
    rules = policy.current(conn).sweeps
    ids = set()
    for rule in rules:
        if rule.month_end and not ownership.is_month_end(day):
            continue
        where, args = _prefilter(rule, day)
        ids.update(row[0] for row in conn.execute(f"SELECT l.id FROM leads l WHERE {where}", args))
    return ownership.sweep(rules, day, _records(conn, sorted(ids)))


def _marks(values) -> tuple[str, list[str]]:
    values = sorted(str(v) for v in values)
    return ", ".join("?" * len(values)), values


def _prefilter(rule: SweepRule, day: date) -> tuple[str, list]:
    """SQL selecting a superset of the leads this rule may move (the pure rule decides)."""
    marks, args = _marks(ownership.OPEN_STATUSES if rule.grades else {Status.ACTIVE})
    where = [f"l.status IN ({marks})"]
    if rule.grades:
        marks, grades = _marks(g.value for g in rule.grades)
        where.append(f"l.grade IN ({marks})")
        args += grades
    if rule.from_team:
        where.append("(l.owner_id IN (SELECT id FROM staff WHERE team = ?) OR (l.owner_id IS NULL AND l.pool = ?))")
        args += [rule.from_team, rule.from_team]
    if rule.age_days is not None:
        where.append("l.created_at < ?")
        args.append(ownership.cutoff(day, rule.age_days).isoformat())
    if rule.quiet_days is not None:
        where.append("(l.last_contact_at < ? OR (l.last_contact_at IS NULL AND l.created_at < ?))")
        args += [ownership.cutoff(day, rule.quiet_days).isoformat()] * 2
    if rule.no_effect_months is not None:
        where.append("l.created_at < ?")
        args.append(ownership.no_effect_cutoff(day, rule.no_effect_months).isoformat())
    if rule.invited_days is not None:
        where.append("l.id IN (SELECT lead_id FROM invitations WHERE status IN ('open', 'no-show')"
                     " AND invited_at < ?)")
        args.append(ownership.cutoff(day, rule.invited_days).isoformat())
    return " AND ".join(where), args


def _records(conn: sqlite3.Connection, ids: list[int]) -> list[ownership.LeadRecord]:
    if not ids:
        return []
    wanted = json.dumps(ids)
    swept: dict[int, dict[str, datetime]] = {}
    for lead_id, rule, at in conn.execute(
            "SELECT lead_id, rule, max(at) FROM owners WHERE rule IS NOT NULL"
            " AND lead_id IN (SELECT value FROM json_each(?)) GROUP BY lead_id, rule", (wanted,)):
        swept.setdefault(lead_id, {})[rule] = datetime.fromisoformat(at)
    effects = effect_times(conn, ids)
    rows = conn.execute(
        "SELECT l.id, l.grade, l.status, l.owner_id, s.team, l.pool, l.created_at, l.last_contact_at,"
        " i.invited_at, i.status FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
        " LEFT JOIN invitations i ON i.id = (SELECT max(id) FROM invitations WHERE lead_id = l.id)"
        " WHERE l.id IN (SELECT value FROM json_each(?))", (wanted,)).fetchall()
    return [
        ownership.LeadRecord(
            id=r[0], grade=Grade(r[1]) if r[1] else None, status=Status(r[2]), owner_id=r[3], owner_team=r[4],
            pool=r[5], created_at=datetime.fromisoformat(r[6]),
            last_contact_at=datetime.fromisoformat(r[7]) if r[7] else None,
            invited_at=datetime.fromisoformat(r[8]) if r[8] and r[9] != "arrived" else None,
            swept=swept.get(r[0], {}), effect_at=effects.get(r[0]))
        for r in rows
    ]


def effect_times(conn: sqlite3.Connection, ids: list[int]) -> dict[int, datetime]:
    """Each lead's latest effect [003]: a grade rise, a hand-on to a new owner, or a reactivation."""
    wanted = json.dumps(ids)
    latest: dict[int, datetime] = {}

    def seen(lead_id: int, at: str) -> None:
        when = datetime.fromisoformat(at)
        if lead_id not in latest or when > latest[lead_id]:
            latest[lead_id] = when

    for lead_id, at, grade, previous in conn.execute(
            "SELECT lead_id, at, grade, previous FROM grades WHERE previous IS NOT NULL"
            " AND lead_id IN (SELECT value FROM json_each(?))", (wanted,)):
        if ownership.is_rise(Grade(previous), Grade(grade)):
            seen(lead_id, at)
    for lead_id, at in conn.execute(
            "SELECT lead_id, max(at) FROM owners WHERE to_id IS NOT NULL AND (from_id IS NULL OR from_id != to_id)"
            " AND lead_id IN (SELECT value FROM json_each(?)) GROUP BY lead_id", (wanted,)):
        seen(lead_id, at)
    for lead_id, at in conn.execute(
            "SELECT lead_id, max(at) FROM statuses WHERE act = 'reactivate'"
            " AND lead_id IN (SELECT value FROM json_each(?)) GROUP BY lead_id", (wanted,)):
        seen(lead_id, at)
    return latest


def _apply(conn: sqlite3.Connection, now: datetime, by_id: int, move: ownership.Move) -> None:
    """One move: to a pool (no owner), or the card closed with its owner kept; owners row and event."""
    if move.to == "close":
        leads.set_status(conn, now, by_id, move.lead_id, Status.CLOSED, "sweep", reason=move.rule)
        leads.set_owner(conn, now, by_id, move.lead_id, move.from_owner, "sweep: card closed", rule=move.rule,
                        pool=move.from_pool)
    else:
        leads.set_owner(conn, now, by_id, move.lead_id, None, f"sweep: to the {move.to} pool", rule=move.rule,
                        pool=move.to)
    record(conn, now, by_id, "sweep", move.lead_id, rule=move.rule, from_id=move.from_owner,
           from_pool=move.from_pool, to=move.to)


def _names(conn: sqlite3.Connection, ids) -> dict[int, str]:
    wanted = json.dumps(sorted({i for i in ids if i is not None}))
    return dict(conn.execute("SELECT id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))", (wanted,)))


def _result(conn: sqlite3.Connection, day: date, dry_run: bool, no_shows: list[int],
            moves: list[ownership.Move]) -> dict:
    names = _names(conn, [m.from_owner for m in moves])
    rows = [{"lead_id": m.lead_id, "rule": m.rule, "from_owner": names.get(m.from_owner), "from_pool": m.from_pool,
             "to": m.to} for m in moves if m.to != "offer"]
    offered = [m for m in moves if m.to == "offer"]
    created = dict(conn.execute("SELECT id, created_at FROM leads WHERE id IN (SELECT value FROM json_each(?))",
                                (json.dumps([m.lead_id for m in offered]),)))
    effects = effect_times(conn, [m.lead_id for m in offered])
    offers = [{"lead_id": m.lead_id, "rule": m.rule, "owner": names.get(m.from_owner), "pool": m.from_pool,
               "no_effect_since": ownership.no_effect_since(datetime.fromisoformat(created[m.lead_id]),
                                                            effects.get(m.lead_id)).date().isoformat(),
               "outcomes": list(ownership.OUTCOMES),
               "commands": [f"leadctl lost {m.lead_id} --attempts N", f"leadctl transfer {m.lead_id} --to STAFF"]}
              for m in offered]
    return {"day": day.isoformat(), "dry_run": dry_run, "moves": rows, "no_shows": no_shows, "offers": offers}


def sweep_rules(store: Store, now: datetime, actor: str | None) -> dict[str, SweepRule]:
    """The policy's sweep rows by code, for a screen that words them."""
    with store.read() as conn:
        staff.authorize(conn, now, actor, "transfer.sweep")
        return {rule.code: rule for rule in policy.current(conn).sweeps}


def by_rule(done: dict) -> list[dict]:
    """A sweep's moves and offers counted by rule and target, in rule order: the terminal's summary."""
    counts: dict[tuple[str, str], int] = {}
    for move in done["moves"]:
        counts[move["rule"], move["to"]] = counts.get((move["rule"], move["to"]), 0) + 1
    for offer in done["offers"]:
        counts[offer["rule"], "offer"] = counts.get((offer["rule"], "offer"), 0) + 1
    return [{"rule": rule, "to": to, "leads": n} for (rule, to), n in sorted(counts.items())]


def json_lines(done: dict):
    """A sweep as one JSON object a line: first the summary, then each move, no-show and offer with its `kind`
    (a script reads 242,350 moves without holding one 36 MB document)."""
    yield {"kind": "sweep", "day": done["day"], "dry_run": done["dry_run"], "moves": len(done["moves"]),
           "no_shows": len(done["no_shows"]), "offers": len(done["offers"]), "by_rule": by_rule(done)}
    for move in done["moves"]:
        yield {"kind": "move", **move}
    for invitation_id in done["no_shows"]:
        yield {"kind": "no_show", "invitation_id": invitation_id}
    for offer in done["offers"]:
        yield {"kind": "offer", **offer}
