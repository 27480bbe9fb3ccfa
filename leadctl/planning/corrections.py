"""The due rows of customer service's checks [004]: a card that failed its check is due to its owner
planning.correct_days after the check, until corrected (`leadctl checks correct`). Kept apart from forms.py so
the due list loads only this."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from leadctl.rules import reasons, visibility
from leadctl.services import policy, staff


def due_rows(conn: sqlite3.Connection, now: datetime, on: date, viewer: staff.Staff,
             owner_id: int | None = None) -> list[dict]:
    """The due list's rows: cards that failed customer service's check, due to their owner planning.correct_days
    after the check, until corrected."""
    days = policy.current(conn).data.get("planning", {}).get("correct_days", 3)
    where, args = ("c.owner_id = ?", [owner_id]) if owner_id is not None else ("1", [])
    rows = conn.execute(
        "SELECT c.id, c.lead_id, l.name, l.phone, l.grade, s.name, l.owner_id, l.pool, c.checked_at,"
        " (SELECT group_concat(x.field, ',') FROM entry_check_fields x WHERE x.check_id = c.id AND NOT x.ok)"
        " FROM entry_checks c JOIN leads l ON l.id = c.lead_id LEFT JOIN staff s ON s.id = c.owner_id"
        f" WHERE c.passed = 0 AND c.corrected_at IS NULL AND {where}", args).fetchall()
    out = []
    for cid, lead_id, name, number, grade, owner, lead_owner, pool, checked_at, wrong in rows:
        due_on = date.fromisoformat(checked_at[:10]) + timedelta(days=days)
        if due_on > on:
            continue
        out.append({"lead_id": lead_id, "name": name, "phone": visibility.shown(viewer, number, lead_owner, pool),
                    "grade": grade, "owner": owner, "due_on": due_on.isoformat(),
                    "overdue_days": max(0, (on - due_on).days),
                    **reasons.fields(reasons.reason("card_check", fields=wrong.split(",") if wrong else [],
                                                    check_id=cid))})
    return out
