"""Looking after the file: `check` (integrity plus the rules a manager checks by hand), `backup`, `restore`."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from leadctl.errors import ConfigError, Refused, StorageError
from leadctl.rules import cadence
from leadctl.rules.phone import mask
from leadctl.services import leads, phone_check, policy, staff
from leadctl.services.files import private_path
from leadctl.store.audit import record
from leadctl.store.db import Store, translate
from leadctl.store.schema import APPLICATION_ID, VERSION

ORDER_DELIVERY_DAYS = 60  # an open order older than this is "never delivered"


def _integrity(conn: sqlite3.Connection) -> list[str]:
    problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
    return [] if problems == ["ok"] else problems


def _cadence(conn: sqlite3.Connection, now: datetime) -> tuple[list[dict], list[dict]]:
    """Active leads that should have a due date and do not, and due dates later than the policy allows."""
    rules = policy.current(conn)
    missing, late = [], []
    for lead_id, stored, *state in conn.execute(
            f"SELECT id, next_due, {leads.STATE_COLUMNS} FROM leads WHERE status = 'active'"):
        due = cadence.next_due(rules, leads.state_of(tuple(state)))
        if due is not None and stored is None:
            missing.append({"lead_id": lead_id, "should_be": due.due_on.isoformat()})
        elif due is not None and date.fromisoformat(stored) > due.due_on:
            late.append({"lead_id": lead_id, "due": stored, "should_be": due.due_on.isoformat()})
    return missing, late


def _duplicates(conn: sqlite3.Connection) -> list[dict]:
    """Probable duplicates: the same name with phones that share their last eight digits or differ in one."""
    rows = conn.execute("SELECT a.id, b.id, a.name, a.phone, b.phone FROM leads a JOIN leads b ON a.name = b.name"
                        " AND a.id < b.id AND a.merged_into IS NULL AND b.merged_into IS NULL"
                        " WHERE a.phone IS NOT NULL AND b.phone IS NOT NULL").fetchall()
    out = []
    for first, second, name, p1, p2 in rows:
        near = len(p1) == len(p2) and sum(x != y for x, y in zip(p1, p2, strict=True)) <= 1
        if near or p1[-8:] == p2[-8:]:
            out.append({"lead_ids": [first, second], "name": name, "phones": [mask(p1), mask(p2)]})
    return out


def check(store: Store, now: datetime) -> dict:
    """Everything that needs a person's attention; `ok` only when the list is empty."""
    with store.read() as conn:
        integrity = _integrity(conn)
        if integrity:
            return {"ok": False, "integrity": integrity[:20]}
        missing, late = _cadence(conn, now)
        rules = policy.current(conn)
        findings = {
            "integrity": [],
            "no_next_due": missing,
            "cadence_breaches": late,
            "probable_duplicates": _duplicates(conn),
            "phones_rejected": phone_check.rejected(conn, rules.phone_region),  # stored before today's rule
            "orders_never_delivered": [
                {"order_id": o, "lead_id": lead, "ordered_at": at} for o, lead, at in conn.execute(
                    "SELECT id, lead_id, ordered_at FROM orders WHERE status = 'open' AND ordered_at < ?",
                    ((now - timedelta(days=ORDER_DELIVERY_DAYS)).isoformat(),))],
            "visits_without_consultant": [
                {"visit_id": v, "lead_id": lead, "arrived_at": at} for v, lead, at in conn.execute(
                    "SELECT id, lead_id, arrived_at FROM visits WHERE kind = 'visit' AND staff_id IS NULL"
                    " AND left_contact = 1 ORDER BY id")],
            "collisions_left_open": [
                {"collision_id": c, "lead_id": lead, "opened_at": at} for c, lead, at in conn.execute(
                    "SELECT id, lead_id, opened_at FROM collisions WHERE status = 'open' AND opened_at < ?",
                    ((now - timedelta(hours=rules.evidence_hours)).isoformat(),))],
        }
    findings["ok"] = not any(findings[k] for k in findings if k != "ok")
    return findings


def backup(store: Store, now: datetime, actor: str | None, target: Path) -> dict:
    """A consistent copy through SQLite's backup API, safe while others write; 0600, never over a file."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "backup")
    with private_path(target, overwrite=False) as temp:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            store.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        except sqlite3.Error as exc:
            raise translate(exc, target) from None
        finally:
            copy.close()
    with store.write() as conn:
        record(conn, now, who.id, "backup", None, file=str(target))
    return {"file": str(target), "bytes": target.stat().st_size}


def _check_backup(path: Path) -> None:
    if not path.is_file():
        raise ConfigError(f"no backup at {path}", "give the backup file's path")
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
            version = src.execute("PRAGMA user_version").fetchone()[0]
            sound = [r[0] for r in src.execute("PRAGMA quick_check")] == ["ok"]
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StorageError(f"{path} is corrupt or not a database", "choose another backup") from exc
    if app_id != APPLICATION_ID:
        raise ConfigError(f"{path} is not a leadctl backup", "choose a file written by `leadctl backup`")
    if version > VERSION or not sound:
        raise ConfigError(f"{path} is {'from a newer leadctl' if sound else 'damaged'}", "choose another backup")


def restore(store: Store, now: datetime, actor: str | None, source: Path) -> dict:
    """Replace the database's content with a backup's; refused while anyone else has the database open."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "restore")
    _check_backup(source)
    conn = store.conn
    try:
        conn.execute("PRAGMA busy_timeout = 0")  # someone else holding the file means "in use" at once
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise Refused(f"{store.path} is in use by another command", "retry when nobody else is using leadctl") from None
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    try:
        src.backup(conn)
    finally:
        src.close()
    conn.execute("PRAGMA journal_mode = WAL")
    with store.write() as c:
        record(c, now, who.id if c.execute("SELECT 1 FROM staff WHERE id = ?", (who.id,)).fetchone() else None,
               "restore", None, file=str(source), by=who.name)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"restored": str(source), "db": str(store.path)}
