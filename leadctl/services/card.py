"""The customer card's fields: set at intake, corrected by `edit`, every correction kept as history rows
(field, old, new, who, when); the required-field check and the completeness at entry (信息登记准确率)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadctl.errors import PermissionDenied, Refused
from leadctl.i18n import _
from leadctl.rules import card as rules
from leadctl.rules import permissions, phone
from leadctl.rules.policy import Policy
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ", ".join(rules.KEYS)


def stored(conn: sqlite3.Connection, lead_id: int) -> dict:
    """The card's fields as stored (codes, numbers, the competitors' JSON)."""
    row = conn.execute(f"SELECT {COLUMNS} FROM leads WHERE id = ?", (lead_id,)).fetchone()
    return dict(zip(rules.KEYS, row, strict=True))


def shown(values: dict) -> dict:
    return {key: rules.shown(key, values[key]) for key in rules.KEYS}


def complete(rules_: Policy, conn: sqlite3.Connection, lead_id: int) -> bool:
    """Whether the card holds every field the policy requires."""
    return not missing(rules_, conn, lead_id)


def missing(rules_: Policy, conn: sqlite3.Connection, lead_id: int) -> list[str]:
    row = conn.execute(f"SELECT name, phone, grade, channel, info_source, {COLUMNS} FROM leads WHERE id = ?",
                       (lead_id,)).fetchone()
    card = dict(zip(("name", "phone", "grade", "channel", "info_source", *rules.KEYS), row, strict=True))
    if card["grade"] == "W":
        card["grade"] = None
    return rules.missing(card, rules_.required_fields)


def history(conn: sqlite3.Connection, at: datetime, by_id: int | None, lead_id: int, subject: str, subject_id: int,
            field: str, old, new, reason: str | None = None) -> None:
    conn.execute("INSERT INTO card_history (lead_id, subject, subject_id, field, old, new, by_id, at, reason)"
                 " VALUES (?,?,?,?,?,?,?,?,?)",
                 (lead_id, subject, subject_id, field, rules.history_text(field, old), rules.history_text(field, new),
                  by_id, at.isoformat(), reason))


def apply(conn: sqlite3.Connection, at: datetime, by_id: int | None, lead_id: int, values: dict,
          keep_history: bool = True) -> list[str]:
    """Store parsed card values on the lead; with `keep_history`, a history row for each field that changed.
    Returns the fields changed."""
    before = stored(conn, lead_id)
    changed = [k for k, v in values.items() if before.get(k) != v]
    if not changed:
        return []
    sets = ", ".join(f"{k} = ?" for k in changed)
    conn.execute(f"UPDATE leads SET {sets} WHERE id = ?", [values[k] for k in changed] + [lead_id])
    if keep_history:
        for key in changed:
            history(conn, at, by_id, lead_id, "lead", lead_id, key, before.get(key), values[key])
    return changed


def at_entry(conn: sqlite3.Connection, rules_: Policy, lead_id: int) -> None:
    """Mark whether a new card was complete when it was registered (the information-accuracy figure)."""
    conn.execute("UPDATE leads SET complete_at_entry = ? WHERE id = ?",
                 (int(complete(rules_, conn, lead_id)), lead_id))


def edit(store: Store, now: datetime, actor: str | None, ref: str, given: dict, phone_text: str | None = None,
         name: str | None = None) -> dict:
    """Correct card fields (and the name or the phone); each change a history row. A phone that belongs to another
    lead is refused (exit 4): the two are one customer, and `merge` joins them."""
    with store.write() as conn:
        lead_id = leads.find(conn, ref)
        who = staff.authorize(conn, now, actor, "edit")
        owner_id, pool, registered_by, created, number, old_name = conn.execute(
            "SELECT owner_id, pool, registered_by, created_at, phone, name FROM leads WHERE id = ?",
            (lead_id,)).fetchone()
        if not permissions.may_edit_card(who.role, who.id, owner_id, pool, registered_by,
                                         datetime.fromisoformat(created).date(), now.date()):
            raise PermissionDenied(
                _("{who} may not correct lead {lead}'s card").format(who=who.name, lead=lead_id),
                _("its owner or a manager corrects it (the front desk: cards it registered, the same day)"))
        values = rules.parse(given, now.date(), stored(conn, lead_id))
        changed = apply(conn, now, who.id, lead_id, values)
        if name is not None and name.strip() and name.strip() != old_name:
            conn.execute("UPDATE leads SET name = ? WHERE id = ?", (name.strip(), lead_id))
            history(conn, now, who.id, lead_id, "lead", lead_id, "name", old_name, name.strip())
            changed.append("name")
        if phone_text is not None:
            new_number = phone.normalize(phone_text, leads.region(conn))
            if new_number != number:
                _phone_free(conn, lead_id, new_number)
                conn.execute("UPDATE leads SET phone = ? WHERE id = ?", (new_number, lead_id))
                history(conn, now, who.id, lead_id, "lead", lead_id, "phone", phone.mask(number),
                        phone.mask(new_number))
                changed.append("phone")
        if changed:
            record(conn, now, who.id, "edit", lead_id, fields=changed)
        return {"lead_id": lead_id, "changed": changed}


def _phone_free(conn: sqlite3.Connection, lead_id: int, number: str) -> None:
    other = conn.execute("SELECT coalesce(merged_into, id) FROM leads WHERE phone = ?", (number,)).fetchone()
    if other is not None and other[0] != lead_id:
        raise Refused(_("phone {phone} belongs to lead {other}").format(phone=phone.mask(number), other=other[0]),
                      _("if they are one customer, join them: `leadctl merge {other} {lead}`").format(
                          other=other[0], lead=lead_id))


def history_rows(conn: sqlite3.Connection, lead_id: int) -> list[dict]:
    cur = conn.execute("SELECT h.subject, h.subject_id, h.field, h.old, h.new, s.name, h.at, h.reason"
                       " FROM card_history h LEFT JOIN staff s ON s.id = h.by_id WHERE h.lead_id = ? ORDER BY h.id",
                       (lead_id,))
    keys = ("subject", "subject_id", "field", "old", "new", "by", "at", "reason")
    return [dict(zip(keys, row, strict=True)) for row in cur.fetchall()]


def incomplete(store: Store, now: datetime) -> list[dict]:
    """Active cards missing a required field, per owner (`check`): lead, owner, the fields missing."""
    with store.read() as conn:
        rules_ = policy.current(conn)
        required = [k for k in rules_.required_fields]
        if not required:
            return []
        empty = " OR ".join(f"l.{k} IS NULL" + (" OR l.grade = 'W'" if k == "grade" else "")
                            + (" OR l.competitors = '[]'" if k == "competitors" else "") for k in required)
        rows = conn.execute(f"SELECT l.id, s.name, {', '.join('l.' + k for k in required)} FROM leads l"
                            f" LEFT JOIN staff s ON s.id = l.owner_id WHERE l.status = 'active'"
                            f" AND l.merged_into IS NULL AND l.phone IS NOT NULL AND ({empty})"
                            " ORDER BY s.name, l.id").fetchall()
    out = []
    for lead_id, owner, *values in rows:
        lacking = [k for k, v in zip(required, values, strict=True) if v in (None, "[]") or (k == "grade" and v == "W")]
        out.append({"lead_id": lead_id, "owner": owner, "missing": lacking})
    return out


def at_intake(conn: sqlite3.Connection, at: datetime, by_id: int, rules_: Policy, lead_id: int, visit_id: int,
              new_lead: bool, trade_in: bool, values: dict) -> None:
    """The card fields the desk gave: on a new card as registered (and whether it is complete at entry); on a
    known one as corrections with history. The visit keeps the grade and the trade-in wish as they stand after it."""
    if new_lead:
        if values:
            apply(conn, at, by_id, lead_id, values, keep_history=False)
        at_entry(conn, rules_, lead_id)
    elif values or trade_in:
        apply(conn, at, by_id, lead_id, {**values, "trade_in": 1} if trade_in else values)
    conn.execute("UPDATE visits SET (grade, trade_in) = (SELECT grade, trade_in FROM leads WHERE id = ?) WHERE id = ?",
                 (lead_id, visit_id))


def rebuild_index(store: Store) -> int:
    """`check --fix-index`: the search index and pinyin keys made again from the tables."""
    from leadctl.rules import pinyin
    from leadctl.store import search

    with store.write() as conn:
        return search.rebuild(conn, pinyin.keys)
