"""The audit trail: every change appends an event in the same transaction as the change.

Each event carries a hash chaining it to the one before it: SHA-256 over the previous event's hash and the
event's canonical content (id, time, actor, action, lead and the SHA-256 of its detail). Changing, forging or
deleting an event breaks the chain at that event, and `check` names it. Every event is written by `record()`,
the one writer of the events table. The chain is evidence, not a lock: someone who can write the file and
knows the algorithm can recompute the chain from the point they changed (compare the chain's head, which
`backup` prints, with one kept elsewhere), and deleting the newest events leaves no gap to see.

A purge may blank an event's detail (it may name the customer): the detail becomes `REDACTED` with the
SHA-256 of what it held, so the chain still verifies, and the purge's own event lists the events it blanked.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime
from typing import Any

GENESIS = "0" * 64
REDACTED = '{"redacted":"purge","sha256":"'  # a blanked detail starts so; the trigger of 0009 allows only this
# what every event of this run records besides its own detail, decided once per run like the clock: in the store
# service, an admin acting for someone ({"admin": X, "for": Y}) and the service's clock beside a given --now
STAMP: dict[str, str] = {}
_LAST = "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1"


def digest(detail: str) -> str:
    """The SHA-256 of an event's detail as the chain sees it (a blanked detail keeps its original's)."""
    if detail.startswith(REDACTED):
        return json.loads(detail)["sha256"]
    return hashlib.sha256(detail.encode("utf-8")).hexdigest()


def link(previous: str, event_id: int, at: str, actor_id: int | None, action: str, lead_id: int | None,
         detail: str) -> str:
    """The hash of one event: SHA-256 over the previous hash and the event's canonical content."""
    content = json.dumps([event_id, at, actor_id, action, lead_id, digest(detail)], ensure_ascii=False,
                         separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def record(conn: sqlite3.Connection, at: datetime, actor_id: int | None, action: str,
           lead_id: int | None = None, /, **detail: Any) -> None:
    last = conn.execute(_LAST).fetchone()
    event_id, previous = (last[0] + 1, last[1] or GENESIS) if last else (1, GENESIS)
    if STAMP:
        detail = {**detail, "acting": STAMP}
    when, text = at.isoformat(), json.dumps(detail, ensure_ascii=False, default=str)
    conn.execute(
        "INSERT INTO events (id, at, actor_id, action, lead_id, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (event_id, when, actor_id, action, lead_id, text, link(previous, event_id, when, actor_id, action,
                                                               lead_id, text)),
    )


def chain_existing(conn: sqlite3.Connection) -> None:
    """Migration 0009: give every event written before the chain existed its hash, in id order."""
    previous = GENESIS
    rows = conn.execute("SELECT id, at, actor_id, action, lead_id, detail FROM events ORDER BY id").fetchall()
    for row in rows:
        previous = link(previous, *row)
        conn.execute("UPDATE events SET hash = ? WHERE id = ?", (previous, row[0]))


def redact(conn: sqlite3.Connection, event_ids: list[int]) -> None:
    """Blank these events' details, keeping the digest the chain was computed over."""
    for event_id, detail in conn.execute(
            f"SELECT id, detail FROM events WHERE id IN ({','.join('?' * len(event_ids))})", event_ids).fetchall():
        if not detail.startswith(REDACTED):
            conn.execute("UPDATE events SET detail = ? WHERE id = ?", (f'{REDACTED}{digest(detail)}"}}', event_id))


def verify(conn: sqlite3.Connection) -> list[str]:
    """Every break in the chain, named: changed or forged events, deleted ones, blanks no purge accounts for."""
    problems: list[str] = []
    previous, expected_id = GENESIS, 1
    redacted, accounted = [], set()
    for event_id, at, actor_id, action, lead_id, detail, stored in conn.execute(
            "SELECT id, at, actor_id, action, lead_id, detail, hash FROM events ORDER BY id"):
        if event_id != expected_id:
            gone = f"{expected_id}" if event_id == expected_id + 1 else f"{expected_id}-{event_id - 1}"
            problems.append(f"event {gone} missing: deleted from the audit trail")
        elif stored != link(previous, event_id, at, actor_id, action, lead_id, detail):
            problems.append(f"event {event_id} ({action}) does not match its hash: changed or forged")
        if detail.startswith(REDACTED):
            redacted.append(event_id)
        elif action == "purge":
            accounted.update(_listed(detail))
        previous, expected_id = stored or "", event_id + 1
    problems += [f"event {e} was blanked without a purge" for e in redacted if e not in accounted]
    return problems


def head(conn: sqlite3.Connection) -> dict:
    """The newest event and its hash: the chain's head, to keep outside the file as an anchor."""
    last = conn.execute(_LAST).fetchone()
    return {"event": last[0], "hash": last[1]} if last else {"event": 0, "hash": GENESIS}


def _listed(detail: str) -> list[int]:
    try:
        return list(json.loads(detail).get("events_redacted", []))
    except (ValueError, AttributeError):
        return []
