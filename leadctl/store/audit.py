"""The audit trail: every change appends an event in the same transaction as the change."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any


def record(conn: sqlite3.Connection, at: datetime, actor_id: int | None, action: str,
           lead_id: int | None = None, /, **detail: Any) -> None:
    conn.execute(
        "INSERT INTO events (at, actor_id, action, lead_id, detail) VALUES (?, ?, ?, ?, ?)",
        (at.isoformat(), actor_id, action, lead_id, json.dumps(detail, ensure_ascii=False, default=str)),
    )
