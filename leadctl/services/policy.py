"""The policy in force: stored in the database so every process and cron job sees the same one."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from leadctl.errors import ConfigError
from leadctl.i18n import _
from leadctl.rules import policy as rules
from leadctl.services import staff
from leadctl.store.audit import record
from leadctl.store.db import Store

_cache: dict[str, rules.Policy] = {}


def current(conn: sqlite3.Connection) -> rules.Policy:
    row = conn.execute("SELECT body FROM policy ORDER BY id DESC LIMIT 1").fetchone()
    if row is None:
        raise ConfigError(_("this database has no policy"), _("set one with `leadctl policy set-file FILE.toml`"))
    if row[0] not in _cache:
        _cache[row[0]] = rules.validate(json.loads(row[0]), "stored policy")
    return _cache[row[0]]


def resolve(preset: str | None, path: str | None, base: dict[str, Any] | None = None) -> rules.Policy:
    """A preset (or `base`), overridden by a TOML file that may name its own `preset`."""
    override = rules.read_file(path) if path else {}
    name = override.pop("preset", None) or preset
    start = rules.preset_data(name) if name else (base or rules.preset_data("standard"))
    origin = f"policy file {path}" if path else f"preset {name}"
    return rules.validate(rules.merge(start, override), origin)


def store_policy(conn: sqlite3.Connection, now: datetime, by_id: int | None, policy: rules.Policy) -> None:
    body = json.dumps(policy.data, ensure_ascii=False, sort_keys=True)
    conn.execute("INSERT INTO policy (set_at, set_by, name, body) VALUES (?, ?, ?, ?)",
                 (now.isoformat(), by_id, policy.name, body))
    record(conn, now, by_id, "policy.set", name=policy.name, policy=policy.data)


def set_file(store: Store, now: datetime, actor: str | None, path: str) -> rules.Policy:
    """Override the policy in force with a TOML file; every open lead's due date is re-planned."""
    from leadctl.services import complaints
    from leadctl.services.leads import replan_all

    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "policy.set")
        new = resolve(None, path, base=current(conn).data)
        store_policy(conn, now, who.id, new)
        replan_all(conn, new)
        complaints.replan(conn, complaints.rules(conn))
        return new


def show(store: Store) -> dict[str, Any]:
    with store.read() as conn:
        row = conn.execute(
            "SELECT p.set_at, s.name FROM policy p LEFT JOIN staff s ON s.id = p.set_by ORDER BY p.id DESC LIMIT 1"
        ).fetchone()
        return {"set_at": row[0], "set_by": row[1], **current(conn).data}
