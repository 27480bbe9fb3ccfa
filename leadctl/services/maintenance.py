"""Looking after the file: `check` (integrity, schema, audit chain, plus the rules a manager checks by hand),
`backup`, `restore`."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from leadctl.errors import ConfigError, InputMissing, Refused, StorageError, UsageError
from leadctl.i18n import _
from leadctl.rules import cadence
from leadctl.rules.phone import mask, mask_in
from leadctl.services import leads, phone_check, policy, staff, workdays
from leadctl.services.files import check_target, same_file, temp_beside, write_output
from leadctl.services.purge import buried, erase
from leadctl.store.audit import head, record, verify
from leadctl.store.db import Store, translate
from leadctl.store.schema import APPLICATION_ID, VERSION
from leadctl.store.verify import constraint_problems, schema_problems

FILE_FINDINGS = ("integrity", "schema", "constraints", "audit_chain")  # the file itself is not sound: exit 74

ORDER_DELIVERY_DAYS = 60  # an open order older than this is "never delivered"
LISTED = 1000  # findings of one kind held and listed; `totals` counts them all (memory stays flat with the file)


class Findings(list):
    """The first LISTED findings of one check, and how many there were in all."""

    def __init__(self, items=()):
        super().__init__()
        self.total = 0
        for item in items:
            self.add(item)

    def add(self, item) -> None:
        self.total += 1
        if len(self) < LISTED:
            self.append(item)


def _integrity(conn: sqlite3.Connection) -> list[str]:
    problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
    return [] if problems == ["ok"] else problems


def _cadence(conn: sqlite3.Connection, now: datetime) -> tuple[list[dict], list[dict]]:
    """Active and ordered leads that should have a due date and do not, and due dates later than the policy allows."""
    rules = policy.current(conn)
    missing, late = Findings(), Findings()
    for lead_id, stored, *state in conn.execute(
            f"SELECT id, next_due, {leads.STATE_COLUMNS} FROM leads WHERE status IN ('active', 'ordered')"):
        due = cadence.next_due(rules, leads.state_of(tuple(state)))
        if due is not None and stored is None:
            missing.add({"lead_id": lead_id, "should_be": due.due_on.isoformat()})
        elif due is not None and date.fromisoformat(stored) > due.due_on:
            late.add({"lead_id": lead_id, "due": stored, "should_be": due.due_on.isoformat()})
    return missing, late


# Two numbers of one length that differ in at most one digit share their first or their second half; numbers
# sharing their last eight digits share that key. Each key is a GROUP BY: a group holds one name's few candidates.
_NEAR_KEYS = ("substr(phone, -8)", "length(phone) || ':' || substr(phone, 1, length(phone) / 2)",
              "length(phone) || '/' || substr(phone, length(phone) / 2 + 1)")
_SEP = "\x1f"


def _candidates(conn: sqlite3.Connection):
    """Groups of live leads with one name and one key, as (name, ids, phones); a cursor, never the whole list."""
    for key in _NEAR_KEYS:
        yield from conn.execute(
            "SELECT name, group_concat(id, char(31)), group_concat(phone, char(31)) FROM leads"
            " WHERE merged_into IS NULL AND phone IS NOT NULL AND name IS NOT NULL"
            f" GROUP BY name, {key} HAVING count(*) > 1")


def _near(p1: str, p2: str) -> bool:
    one_digit = len(p1) == len(p2) and sum(x != y for x, y in zip(p1, p2, strict=True)) <= 1
    return one_digit or p1[-8:] == p2[-8:]


def _duplicates(conn: sqlite3.Connection) -> Findings:
    """Probable duplicates: the same name with phones that share their last eight digits or differ in one.
    Only the pairs found are held, not every pair of leads with one name."""
    found: dict[tuple[int, int], dict] = {}
    for name, ids, phones in _candidates(conn):
        group = sorted(zip(map(int, ids.split(_SEP)), phones.split(_SEP), strict=True))
        for i, (first, p1) in enumerate(group):
            for second, p2 in group[i + 1:]:
                if (first, second) not in found and _near(p1, p2):
                    found[first, second] = {"lead_ids": [first, second], "name": name,
                                            "phones": [mask(p1), mask(p2)]}
    return Findings(found[pair] for pair in sorted(found))


def _tampering(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """The schema against the migrations', the rows against its CHECKs, the audit trail against its chain."""
    return {"schema": schema_problems(conn), "constraints": constraint_problems(conn), "audit_chain": verify(conn)}


def check(store: Store, now: datetime) -> dict:
    """Everything that needs a person's attention; `ok` only when the list is empty. The file's own soundness
    (integrity, schema, constraints, audit chain) comes first: when it fails, the rules are not looked at."""
    with store.read() as conn:
        integrity = _integrity(conn)
        if integrity:
            return {"ok": False, "integrity": integrity[:20]}
        tampering = _tampering(conn)
        if any(tampering.values()):
            return {"ok": False, "integrity": [], **tampering}
        missing, late = _cadence(conn, now)
        rules = policy.current(conn)
        findings = {
            "integrity": [],
            **tampering,
            "no_next_due": missing,
            "cadence_breaches": late,
            "probable_duplicates": _duplicates(conn),
            "phones_rejected": Findings(phone_check.each_rejected(conn, rules.phone_region)),  # before today's rule
            "orders_never_delivered": Findings(
                {"order_id": o, "lead_id": lead, "ordered_at": at} for o, lead, at in conn.execute(
                    "SELECT id, lead_id, ordered_at FROM orders WHERE status = 'open' AND ordered_at < ?",
                    ((now - timedelta(days=ORDER_DELIVERY_DAYS)).isoformat(),))),
            "visits_without_consultant": Findings(
                {"visit_id": v, "lead_id": lead, "arrived_at": at} for v, lead, at in conn.execute(
                    "SELECT id, lead_id, arrived_at FROM visits WHERE kind = 'visit' AND staff_id IS NULL"
                    " AND left_contact = 1 ORDER BY id")),
            "collisions_left_open": Findings(
                {"collision_id": c, "lead_id": lead, "opened_at": at} for c, lead, at in conn.execute(
                    "SELECT id, lead_id, opened_at FROM collisions WHERE status = 'open' AND opened_at < ?",
                    ((now - timedelta(hours=rules.evidence_hours)).isoformat(),))),
            "holiday_calendar_unknown_years": workdays.unknown_years(now),
        }
    findings["ok"] = not any(findings[k] for k in findings if k != "ok")
    findings["totals"] = {k: v.total for k, v in findings.items() if isinstance(v, Findings) and v.total > len(v)}
    return findings


def people(store: Store, findings: dict) -> dict[str, dict[int, tuple]]:
    """Who the findings are about, for a person reading them (the JSON keeps the ids): each lead's name and
    owner, each collision's owner and claimant, who took each order, who registered each visit."""
    def ids(kind: str, key: str) -> list[int]:
        items = findings.get(kind)
        return sorted({item[key] for item in items if isinstance(item, dict) and key in item}) \
            if isinstance(items, list) else []

    lead_ids = {i for kind in findings for i in ids(kind, "lead_id")}
    lead_ids |= {i for item in findings.get("probable_duplicates", ()) for i in item["lead_ids"]}
    queries = {  # name: (the query, whose rows, its ids)
        "leads": ("SELECT l.id, l.name, s.name FROM leads l LEFT JOIN staff s ON s.id = l.owner_id", "l",
                  sorted(lead_ids)),
        "collisions": ("SELECT c.id, o.name, m.name FROM collisions c LEFT JOIN staff o ON o.id = c.owner_id"
                       " LEFT JOIN staff m ON m.id = c.claimant_id", "c", ids("collisions_left_open", "collision_id")),
        "orders": ("SELECT o.id, s.name FROM orders o LEFT JOIN staff s ON s.id = o.ordered_by", "o",
                   ids("orders_never_delivered", "order_id")),
        "visits": ("SELECT v.id, s.name FROM visits v LEFT JOIN staff s ON s.id = v.registered_by", "v",
                   ids("visits_without_consultant", "visit_id")),
    }
    found: dict[str, dict[int, tuple]] = {}
    with store.read() as conn:
        for name, (sql, alias, wanted) in queries.items():
            found[name] = {}
            for at in range(0, len(wanted), 500):
                chunk = wanted[at:at + 500]
                rows = conn.execute(f"{sql} WHERE {alias}.id IN ({','.join('?' * len(chunk))})", chunk)
                found[name].update((row[0], row[1:]) for row in rows)
    return found


def backup(store: Store, now: datetime, actor: str | None, target: Path, force: bool = False) -> dict:
    """A consistent copy through SQLite's backup API, safe while others write; 0600; never onto the database,
    over an existing file only with `force`; the file appears once its event is recorded."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "backup")
    check_target(target, store.path, force)
    anchor: dict = {}

    def audit() -> None:
        with store.write() as conn:
            record(conn, now, who.id, "backup", None, file=mask_in(str(target)))
            anchor.update(head(conn))

    write_output(target, lambda temp: _copy(store.conn, temp, target), store.path, force, then=audit)
    return {"file": str(target), "bytes": target.stat().st_size, "audit_head": anchor}


def _copy(source: sqlite3.Connection, temp: Path, target: Path) -> None:
    copy = sqlite3.connect(temp, isolation_level=None)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise translate(exc, target) from None
    finally:
        copy.close()


def _check_backup(path: Path) -> None:
    """A backup leadctl wrote, sound and untampered with; read-only, before anything else happens."""
    if not path.exists():
        raise InputMissing(_("no backup at {path}").format(path=path), _("give the backup file's path"))
    if not path.is_file() or not os.access(path, os.R_OK):
        raise InputMissing(_("cannot read the backup {path}").format(path=path), _("give a readable backup file"))
    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            app_id = src.execute("PRAGMA application_id").fetchone()[0]
            version = src.execute("PRAGMA user_version").fetchone()[0]
            sound = [r[0] for r in src.execute("PRAGMA quick_check")] == ["ok"]
            tampering = _tampering(src) if sound and app_id == APPLICATION_ID and version == VERSION else {}
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StorageError(
            _("{path} is corrupt or not a database").format(path=path), _("choose another backup")
        ) from exc
    if app_id != APPLICATION_ID:
        raise ConfigError(
            _("{path} is not a leadctl backup").format(path=path), _("choose a file written by `leadctl backup`")
        )
    if version > VERSION:
        raise ConfigError(
            _("{path} is from a newer leadctl (schema {version} > {VERSION})").format(
                path=path, version=version, VERSION=VERSION
            ),
            _("upgrade leadctl first"),
        )
    if not sound:
        raise StorageError(_("{path} is damaged").format(path=path), _("choose another backup"))
    problems = [p for found in tampering.values() for p in found]
    if problems:
        more = _(" (and {count} more)").format(count=len(problems) - 1) if len(problems) > 1 else ""
        raise StorageError(_("{path} is not as leadctl wrote it: {problem}{more}").format(
                               path=path, problem=problems[0], more=more),
                           _("choose another backup; `leadctl --db BACKUP check` names every finding"))


def _is_database(source: Path, db: Path) -> bool:
    """Whether `source` is the database itself or one of its -wal/-shm files (device and inode)."""
    return any(same_file(source, Path(f"{db}{suffix}")) for suffix in ("", "-wal", "-shm"))


def _staged(store: Store, now: datetime, who, source: Path, temp: Path, safety: Path) -> dict:
    """The new content, whole, in `temp`: the backup (migrated if older), the live file's tombstones re-applied,
    and the restore's own event. Then it is checked like the backup itself."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, isolation_level=None)
    try:
        _copy(src, temp, temp)
    finally:
        src.close()
    tombs = store.conn.execute("SELECT kind, salt, digest, purged_at FROM tombstones").fetchall()
    staged = Store.open(temp)
    try:
        with staged.write() as conn:
            conn.executemany("INSERT OR IGNORE INTO tombstones (kind, salt, digest, purged_at) VALUES (?, ?, ?, ?)",
                             tombs)
            known = conn.execute("SELECT 1 FROM staff WHERE id = ? AND name = ?", (who.id, who.name)).fetchone()
            actor_id = who.id if known else None
            again = buried(conn)
            for lead_id in again:
                erase(conn, now, actor_id, lead_id, reapplied="restore")
            # `by`: the restored content may not know the acting staff member, so the name goes with the event
            record(conn, now, actor_id, "restore", None, file=mask_in(source.name), by=who.name,
                   safety_copy=mask_in(safety.name), purges_reapplied=len(again))
        staged.conn.execute("PRAGMA journal_mode = DELETE")
        problems = [p for found in _tampering(staged.conn).values() for p in found]
    finally:
        staged.close()
    if problems:
        raise StorageError(
            _("the restored content would not be sound: {value}").format(value=problems[0]), _("nothing was changed")
        )
    return {"purges_reapplied": len(again)}


def _lock_alone(store: Store) -> None:
    """Take the file for this connection alone; someone else holding it means "in use" at once."""
    conn = store.conn
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("COMMIT")
    except sqlite3.OperationalError:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise Refused(
            _("{path} is in use by another command").format(path=store.path),
            _("retry when nobody else is using leadctl"),
        ) from None


def restore(store: Store, now: datetime, actor: str | None, source: Path, confirm=None) -> dict:
    """Replace the database's content with a backup's, in one step that carries its own audit event.

    First the backup is checked (missing or unreadable 66, not leadctl's or newer 78, damaged or tampered 74)
    and the new content staged whole in a temp file beside the database (the purges recorded here re-applied)
    and checked again; only then is `confirm(summary)` asked. A 0600 safety copy of the current content is
    written beside the database, and the content replaced in one transaction. Refused while anyone else has
    the database open."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "restore")
    if _is_database(source, store.path):
        raise UsageError(
            _("{source} is the database itself").format(source=source), _("give a backup written by `leadctl backup`")
        )
    _check_backup(source)
    safety = _safety_name(store.path, now)
    temp = _staging_file(store.path)
    try:
        staged = _staged(store, now, who, source, temp, safety)
        summary = {"db": str(store.path), "restored": str(source), "safety_copy": str(safety), **staged}
        if confirm is not None and not confirm(summary):
            raise Refused(_("restore cancelled; nothing was changed"))
        _lock_alone(store)
        write_output(safety, lambda copy: _copy(store.conn, copy, safety), store.path)
        new = sqlite3.connect(f"file:{temp}?mode=ro", uri=True, isolation_level=None)
        try:
            new.backup(store.conn)
        except sqlite3.Error as exc:
            raise translate(exc, store.path) from None
        finally:
            new.close()
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temp}{suffix}").unlink(missing_ok=True)
    store.conn.execute("PRAGMA journal_mode = WAL")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return summary


def _safety_name(db: Path, now: datetime) -> Path:
    """`<db>.before-restore-<time>`, with a counter when a restore in the same second kept one already."""
    stem = f"{db.name}.before-restore-{now.strftime('%Y%m%dT%H%M%S')}"
    count = 1
    while (safety := db.with_name(stem if count == 1 else f"{stem}-{count}")).exists():
        count += 1
    return safety


def _staging_file(db: Path) -> Path:
    """A private staging file beside the database, named like every temp file of ours (swept if a kill leaves
    it); SQLite takes the empty file for an empty database."""
    try:
        return temp_beside(db, ".restore")
    except OSError as exc:
        raise StorageError(
            _("cannot write in {parent}: {strerror}").format(parent=db.parent, strerror=exc.strerror),
            _("check the folder's permissions"),
        ) from None
