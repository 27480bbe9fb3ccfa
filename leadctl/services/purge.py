"""Erasing a customer's personal data on request (PIPL): gone from the file itself, the counts kept.

The lead row stays (so visits, follow-ups and orders still count in the reports) but everything that
identifies the person is overwritten, wherever the database holds it: the lead's and the leads merged into it,
every free-text column a person typed about them (`PERSONAL` lists each table and column), the VIN and the
plate, and the audit events about them or naming them (blanked, the chain kept: store/audit.py). With
secure_delete on and the WAL checkpointed and truncated, the old bytes are gone from the database files; the
checkpoint's result is checked, and a reader that still holds the old pages makes the purge say so (exit 75).

A tombstone (a salted SHA-256 of the phone and of the lead, never the phone itself) stays, and `restore` re-applies
every tombstone to the backup it restores, so a backup made before the purge cannot bring the customer back.
Backups on other disks still hold the data until they age out. The tombstone is a pseudonym, not anonymity:
whoever holds the file and guesses a phone number can test the guess against it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime

from leadctl.errors import Busy
from leadctl.i18n import _
from leadctl.models import Status
from leadctl.rules.phone import mask
from leadctl.services import leads, staff
from leadctl.store.audit import record, redact
from leadctl.store.db import Store

ERASED = "(已删除)"
# the card's fields a person typed about the customer (migration 0016); the search index and the pinyin keys are
# re-made from the erased rows before the purge commits (store/search.py), their old segments merged away
CARD_TEXT = ("gender", "birth_year", "employer", "industry", "wechat", "current_vehicle", "brand", "series", "config",
             "colour", "competitors", "budget_min", "budget_max", "payment", "purpose", "favourable", "unfavourable",
             "objections", "resources", "story")
# table -> (rows of the customer, {column: replacement}); every column a person may have typed a name, phone or
# note into, for leads `{ids}` (the lead and those merged into it) with phones `{phones}`
PERSONAL: dict[str, tuple[str, dict[str, str | None]]] = {
    "leads": ("id IN {ids}", {"birthday": None, "birthday_calendar": None, "address": None, "landline": None,
                              **dict.fromkeys(CARD_TEXT, None)}),
    "card_history": ("lead_id IN {ids}", {"old": None, "new": None, "reason": None}),
    "followups": ("lead_id IN {ids}", {"result": ERASED}),
    "visits": ("lead_id IN {ids}", {"given_name": None}),
    "grades": ("lead_id IN {ids}", {"reason": None}),
    "owners": ("lead_id IN {ids}", {"reason": ERASED}),
    "collisions": ("lead_id IN {ids}", {"ruling": None}),
    "defeats": ("lead_id IN {ids}", {"note": None, "verification": None, "decision_note": None}),
    "orders": ("lead_id IN {ids}", {"vin": None, "cancel_reason": None}),
    "delivery_dates": ("order_id IN (SELECT id FROM orders WHERE lead_id IN {ids})", {"reason": None}),
    "retention_cards": ("order_id IN (SELECT id FROM orders WHERE lead_id IN {ids})",
                        {"plate": None, "insurer": None, "cover": None, "accessories": None, "id_number": None}),
    "invitations": ("lead_id IN {ids}", {"note": None}),
    "entry_checks": ("lead_id IN {ids}", {"note": None}),
    "handovers": ("lead_id IN {ids}", {"name": None}),
    "reviews": ("followup_id IN (SELECT id FROM followups WHERE lead_id IN {ids})", {"comment": ERASED}),
    "statuses": ("lead_id IN {ids}", {"reason": None}),
    "complaint_acts": ("complaint_id IN (SELECT id FROM complaints WHERE lead_id IN {ids} OR phone IN {phones})",
                       {"text": None}),  # before complaints: found by the phone erased there
    "complaints": ("lead_id IN {ids} OR phone IN {phones}",
                   {"name": None, "phone": None, "summary": ERASED, "reply": None, "action": None,
                    "survey_note": None}),
}
# an order by VIN alone has no model: it keeps a placeholder, as the order must name a car one way or the other
_VIN_ONLY = ("UPDATE orders SET brand = coalesce(brand, :e), series = coalesce(series, :e), model = coalesce(model, :e)"
             " WHERE lead_id IN {ids} AND vin IS NOT NULL")


def purge(store: Store, now: datetime, actor: str | None, lead: str) -> dict:
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "purge", lead_id)
        number = conn.execute("SELECT phone FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
        already = number is not None and number.startswith("purged:")
        changed = {} if already else erase(conn, now, who.id, lead_id)
    _checkpoint(store, lead_id)
    return {"lead_id": lead_id, "purged": True, "already": already, "rows": changed}


def erase(conn: sqlite3.Connection, now: datetime, actor_id: int | None, lead_id: int, **why) -> dict:
    """Erase one customer inside the caller's transaction, leave the tombstones and the purge's event."""
    people = conn.execute("SELECT id, name, phone, created_at FROM leads WHERE id = ? OR merged_into = ?",
                          (lead_id, lead_id)).fetchall()
    ids = [p[0] for p in people]
    phones = [p[2] for p in people if p[2] and not p[2].startswith("purged:")]
    names = {p[1] for p in people if p[1] and len(p[1].strip()) >= 2}
    number = next((p[2] for p in people if p[0] == lead_id), None)
    _bury(conn, now, people)
    params = {"e": ERASED}
    scope = {"ids": _marks("i", ids, params), "phones": _marks("p", phones or [""], params)}
    conn.execute(_VIN_ONLY.format(**scope), params)
    changed = {}
    for table, (link, columns) in PERSONAL.items():
        sets = ", ".join(f"{c} = :c_{c}" for c in columns)
        where = link.format(**scope)
        values = {**params, **{f"c_{c}": v for c, v in columns.items()}}
        changed[table] = conn.execute(f"UPDATE {table} SET {sets} WHERE {where}", values).rowcount
    changed["leads"] = conn.execute(f"UPDATE leads SET name = NULL, phone = 'purged:' || id WHERE id IN {scope['ids']}",
                                    params).rowcount
    _close(conn, now, actor_id, ids)
    _unindex(conn)
    blanked = _events_naming(conn, ids, phones, names)
    redact(conn, blanked)
    changed["events"] = len(blanked)
    record(conn, now, actor_id, "purge", lead_id, phone=mask(number) if number else None, rows=changed,
           events_redacted=blanked, **why)
    return changed


def _unindex(conn: sqlite3.Connection) -> None:
    """The erased rows out of the search index and the pinyin keys, and the index merged so no old segment keeps
    their bytes (a purged name has no keys: pypinyin is never asked)."""
    from leadctl.rules import pinyin
    from leadctl.store import search

    search.refresh(conn, pinyin.keys)
    search.optimize(conn)


def _close(conn: sqlite3.Connection, now: datetime, actor_id: int | None, ids: list[int]) -> None:
    """A customer who asked to be erased is no longer worked: an open card is closed and leaves every due list
    (its visits, follow-ups and orders still count in the reports)."""
    for (lead_id,) in conn.execute(f"SELECT id FROM leads WHERE id IN ({','.join('?' * len(ids))})"
                                   " AND status IN ('active', 'ordered')", ids).fetchall():
        leads.set_status(conn, now, actor_id, lead_id, Status.CLOSED, "purge")
        conn.execute("UPDATE leads SET next_due = NULL WHERE id = ?", (lead_id,))


def _marks(prefix: str, values: list, params: dict) -> str:
    names = [f"{prefix}{i}" for i in range(len(values))]
    params.update(zip(names, values, strict=True))
    return "(" + ", ".join(f":{n}" for n in names) + ")"


def _events_naming(conn: sqlite3.Connection, ids: list[int], phones: list[str], names: set[str]) -> list[int]:
    """The events about these leads, and any other event whose detail holds one of their phones or names (a
    purge's own event holds no name or phone, and lists the events it blanked: it stays whole)."""
    found = [r[0] for r in conn.execute(
        f"SELECT id FROM events WHERE lead_id IN ({','.join('?' * len(ids))}) AND action != 'purge'", ids)]
    for text in [*phones, *names]:
        found += [r[0] for r in conn.execute(
            "SELECT id FROM events WHERE instr(detail, ?) > 0 AND action != 'purge'", (text,))]
    return sorted(set(found))


def salt(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT value FROM settings WHERE key = 'tombstone_salt'").fetchone()[0]


def tombstone_keys(salt_: str, lead_id: int, phone: str | None, created_at: str) -> list[tuple[str, str]]:
    """(kind, digest) of one lead: its phone, and its identity in this database's lineage (id and creation)."""
    keys = [("lead", hashlib.sha256(f"{salt_}:lead:{lead_id}:{created_at}".encode()).hexdigest())]
    if phone and not phone.startswith("purged:"):
        keys.append(("phone", hashlib.sha256(f"{salt_}:phone:{phone}".encode()).hexdigest()))
    return keys


def _bury(conn: sqlite3.Connection, now: datetime, people: list[tuple]) -> None:
    own = salt(conn)
    for lead_id, __, phone, created_at in people:
        for kind, digest in tombstone_keys(own, lead_id, phone, created_at):
            conn.execute("INSERT OR IGNORE INTO tombstones (kind, salt, digest, purged_at) VALUES (?, ?, ?, ?)",
                         (kind, own, digest, now.isoformat()))


def buried(conn: sqlite3.Connection) -> list[int]:
    """Leads (not merged away, not purged) that a tombstone names: a restored backup's purged customers."""
    tombs: dict[str, set[tuple[str, str]]] = {}
    for kind, salt_, digest in conn.execute("SELECT kind, salt, digest FROM tombstones"):
        tombs.setdefault(salt_, set()).add((kind, digest))
    if not tombs:
        return []
    out = []
    for lead_id, phone, created_at, merged in conn.execute(
            "SELECT id, phone, created_at, merged_into FROM leads WHERE phone IS NULL OR phone NOT LIKE 'purged:%'"):
        if any(key in wanted for salt_, wanted in tombs.items()
               for key in tombstone_keys(salt_, lead_id, phone, created_at)):
            out.append(merged or lead_id)
    return sorted(set(out))


def _checkpoint(store: Store, lead_id: int) -> None:
    """Move every page to the file and truncate the WAL; a reader holding old pages keeps the erased bytes."""
    try:
        busy, log, done = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        busy, log, done = 1, -1, -1
    if busy or log != done:
        raise Busy(
            _(
                "lead {lead_id} is purged, but another command still reads the old pages: the erased data "
                "stays in the database's WAL file until it finishes"
            ).format(lead_id=lead_id),
            _("run `leadctl purge {lead_id}` again when the other commands have finished").format(lead_id=lead_id),
        )
