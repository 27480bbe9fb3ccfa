"""Creating a new leadctl database with its policy."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from leadctl.services import policy
from leadctl.store.audit import record
from leadctl.store.db import Store


def init(path: Path, now: datetime, preset: str = "standard", policy_file: str | None = None) -> dict:
    """Create the database; the policy is validated first, so a bad file creates nothing."""
    chosen = policy.resolve(preset, policy_file)
    store = Store.create(path)
    try:
        with store.write() as conn:
            policy.store_policy(conn, now, None, chosen)
            record(conn, now, None, "init", path=str(path), policy=chosen.name)
    finally:
        store.close()
    return {"db": str(path), "policy": chosen.name}
