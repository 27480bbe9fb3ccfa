"""Managers' review of follow-ups (批复): the queue, the comment, and the overdue reviews in `due`."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, time, timedelta

from leadctl.errors import BadInput, NotFound, Refused
from leadctl.i18n import _
from leadctl.rules import cadence, reasons
from leadctl.services import policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("followup_id", "lead_id", "name", "by", "at", "method", "result", "waiting_hours")


def queue(store: Store, now: datetime, actor: str | None, by: str | None = None) -> list[dict]:
    """Follow-ups awaiting review, oldest first (within the policy's review window)."""
    with store.read() as conn:
        staff.authorize(conn, now, actor, "review.queue")
        start = now - timedelta(days=policy.current(conn).review_window_days)
        args: list = [start.isoformat()]
        where = "f.reviewed = 0 AND f.at >= ?"
        if by:
            where += " AND f.by_id = ?"
            args.append(staff.get(conn, by).id)
        rows = conn.execute(
            "SELECT f.id, f.lead_id, l.name, s.name, f.at, f.method, f.result FROM live_followups f"
            f" JOIN leads l ON l.id = f.lead_id LEFT JOIN staff s ON s.id = f.by_id WHERE {where}"
            " ORDER BY f.at, f.id", args).fetchall()
    return [dict(zip(COLUMNS, (*row, int((now - datetime.fromisoformat(row[4])).total_seconds() // 3600)),
                     strict=True)) for row in rows]


def review(store: Store, now: datetime, actor: str | None, followup_id: int, comment: str,
           amend: bool = False) -> dict:
    """The manager's comment on a follow-up. A second comment is refused unless it amends the first (`amend`):
    the earlier comments stay in the history, the latest is the one shown."""
    comment = (comment or "").strip()
    if not comment:
        raise BadInput(_("a review needs its comment"), _("write it with --comment"))
    with store.write() as conn:
        row = conn.execute("SELECT lead_id FROM followups WHERE id = ?", (followup_id,)).fetchone()
        if row is None:
            raise NotFound(_("no follow-up {followup_id}").format(followup_id=followup_id), _("see `leadctl review`"))
        who = staff.authorize(conn, now, actor, "review", row[0])
        earlier = conn.execute("SELECT r.id, r.at, s.name FROM reviews r LEFT JOIN staff s ON s.id = r.by_id"
                               " WHERE r.followup_id = ? ORDER BY r.id DESC LIMIT 1", (followup_id,)).fetchone()
        if earlier and not amend:
            raise Refused(
                _("follow-up {followup_id} was reviewed by {value} at {value2}").format(
                    followup_id=followup_id, value=earlier[2], value2=earlier[1][:16].replace("T", " ")
                ),
                _("to change the comment, add --amend (the first one stays in the history)"),
            )
        if amend and not earlier:
            raise Refused(
                _("follow-up {followup_id} has no review to amend").format(followup_id=followup_id),
                _("review it without --amend"),
            )
        review_id = conn.execute("INSERT INTO reviews (followup_id, at, by_id, comment) VALUES (?,?,?,?)",
                                 (followup_id, now.isoformat(), who.id, comment)).lastrowid
        conn.execute("UPDATE followups SET reviewed = 1 WHERE id = ?", (followup_id,))
        record(conn, now, who.id, "review", row[0], followup_id=followup_id, review_id=review_id,
               amends=earlier[0] if earlier else None)
        return {"review_id": review_id, "followup_id": followup_id, "lead_id": row[0], "comment": comment,
                "amends": earlier[0] if earlier else None}


# The latest comment on each follow-up, as "reviewer: comment".
LATEST = ("(SELECT coalesce(rs.name, '') || ': ' || r.comment FROM reviews r LEFT JOIN staff rs ON rs.id = r.by_id"
          " WHERE r.followup_id = {f}.id ORDER BY r.id DESC LIMIT 1)")


def for_owners(conn: sqlite3.Connection, lead_ids: list[int]) -> dict[int, str]:
    """lead id -> the latest comment on its owner's latest follow-up, for the owner's next due row; asked for the
    leads of a due list only (each an indexed look-up, never a scan of every follow-up)."""
    rows = conn.execute(f"""
        SELECT l.id, {LATEST.format(f="f")} FROM json_each(?) j JOIN leads l ON l.id = j.value
        JOIN followups f ON f.id = (SELECT g.id FROM live_followups g WHERE g.lead_id = l.id AND g.by_id = l.owner_id
                                    ORDER BY g.at DESC, g.id DESC LIMIT 1)
        WHERE f.reviewed""", (json.dumps(lead_ids),)).fetchall()
    return dict(rows)


def overdue(conn: sqlite3.Connection, now: datetime, on: date, owner_id: int | None = None,
            team: str | None = None) -> list[dict]:
    """One due row per staff member whose follow-ups wait for review longer than the policy allows: due from the
    hour the limit passes (as of now for today, as of the day's end for another day), for the scope's staff."""
    rules = policy.current(conn)
    limit = timedelta(hours=rules.review_limit_hours)
    moment = now if on == now.date() else datetime.combine(on + timedelta(days=1), time.min)
    start = now - timedelta(days=rules.review_window_days)
    whose, args = "1", []
    if owner_id is not None:
        whose, args = "f.by_id = ?", [owner_id]
    elif team is not None:
        whose, args = "f.by_id IN (SELECT id FROM staff WHERE team = ?)", [team]
    rows = conn.execute(
        "SELECT s.name, count(*), min(f.at) FROM live_followups f LEFT JOIN staff s ON s.id = f.by_id"
        f" WHERE f.reviewed = 0 AND f.at >= ? AND f.at < ? AND {whose} GROUP BY f.by_id ORDER BY min(f.at)",
        (start.isoformat(), (moment - limit).isoformat(), *args)).fetchall()
    out = []
    for name, count, oldest in rows:
        due_on = (datetime.fromisoformat(oldest) + limit).date()
        out.append({"lead_id": None, "name": None, "phone": None, "grade": None, "owner": name,
                    "due_on": due_on.isoformat(), "overdue_days": cadence.overdue_days(due_on, on),
                    **reasons.fields(reasons.reason("review_waiting", count=count, by=name,
                                                    hours=rules.review_limit_hours, oldest=oldest[:10]))})
    return out
