"""Managers' review of follow-ups (批复): the queue, the comment, and the overdue reviews in `due`."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from leadctl.errors import BadInput, NotFound
from leadctl.rules import cadence
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
            "SELECT f.id, f.lead_id, l.name, s.name, f.at, f.method, f.result FROM followups f"
            f" JOIN leads l ON l.id = f.lead_id LEFT JOIN staff s ON s.id = f.by_id WHERE {where}"
            " ORDER BY f.at, f.id", args).fetchall()
    return [dict(zip(COLUMNS, (*row, int((now - datetime.fromisoformat(row[4])).total_seconds() // 3600)),
                     strict=True)) for row in rows]


def review(store: Store, now: datetime, actor: str | None, followup_id: int, comment: str) -> dict:
    comment = (comment or "").strip()
    if not comment:
        raise BadInput("a review needs its comment", "write it with --comment")
    with store.write() as conn:
        row = conn.execute("SELECT lead_id FROM followups WHERE id = ?", (followup_id,)).fetchone()
        if row is None:
            raise NotFound(f"no follow-up {followup_id}", "see `leadctl review`")
        who = staff.authorize(conn, now, actor, "review", row[0])
        review_id = conn.execute("INSERT INTO reviews (followup_id, at, by_id, comment) VALUES (?,?,?,?)",
                                 (followup_id, now.isoformat(), who.id, comment)).lastrowid
        conn.execute("UPDATE followups SET reviewed = 1 WHERE id = ?", (followup_id,))
        record(conn, now, who.id, "review", row[0], followup_id=followup_id, review_id=review_id)
        return {"review_id": review_id, "followup_id": followup_id, "lead_id": row[0]}


def overdue(conn: sqlite3.Connection, now: datetime, on: date) -> list[dict]:
    """One due row per staff member whose follow-ups wait for review longer than the policy allows."""
    rules = policy.current(conn)
    cutoff = min(now, datetime.combine(on, datetime.min.time())) - timedelta(hours=rules.review_limit_hours)
    start = now - timedelta(days=rules.review_window_days)
    rows = conn.execute(
        "SELECT s.name, count(*), min(f.at) FROM followups f LEFT JOIN staff s ON s.id = f.by_id"
        " WHERE f.reviewed = 0 AND f.at >= ? AND f.at < ? GROUP BY f.by_id ORDER BY min(f.at)",
        (start.isoformat(), cutoff.isoformat())).fetchall()
    out = []
    for name, count, oldest in rows:
        due_on = (datetime.fromisoformat(oldest) + timedelta(hours=rules.review_limit_hours)).date()
        out.append({"lead_id": None, "name": None, "phone": None, "grade": None, "owner": name,
                    "due_on": due_on.isoformat(), "overdue_days": cadence.overdue_days(due_on, on),
                    "reason": f"{count} follow-up(s) by {name} await review (批复) over "
                              f"{rules.review_limit_hours}h, oldest {oldest[:10]}"})
    return out
