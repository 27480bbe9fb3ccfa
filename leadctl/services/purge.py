"""Erasing a customer's personal data on request (PIPL): gone from the file itself, the counts kept.

The lead row stays (so visits, follow-ups and orders still count in the reports) but everything that
identifies the person is overwritten: name, phone, free text they may be named in, the VIN and the plate.
With secure_delete on and the WAL checkpointed and truncated, the old bytes are gone from the database
files. Backups made before the purge still hold them: they age out with the backup retention.
"""

from __future__ import annotations

from datetime import datetime

from leadctl.errors import Refused
from leadctl.rules.phone import mask
from leadctl.services import leads, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

ERASED = "(已删除)"
# table -> (lead link, {column: replacement}); free text may name the customer, so it goes too
PERSONAL: dict[str, tuple[str, dict[str, str | None]]] = {
    "followups": ("lead_id = :id", {"result": ERASED}),
    "grades": ("lead_id = :id", {"reason": None}),
    "defeats": ("lead_id = :id", {"note": None, "verification": None, "decision_note": None}),
    "orders": ("lead_id = :id", {"vin": None, "cancel_reason": None}),
    "retention_cards": ("order_id IN (SELECT id FROM orders WHERE lead_id = :id)",
                        {"plate": None, "insurer": None, "cover": None, "accessories": None}),
    "invitations": ("lead_id = :id", {"note": None}),
    "handovers": ("lead_id = :id", {"name": None}),
    "reviews": ("followup_id IN (SELECT id FROM followups WHERE lead_id = :id)", {"comment": ERASED}),
    "statuses": ("lead_id = :id", {"reason": None}),
    "complaints": ("lead_id = :id", {"name": None, "phone": None, "summary": ERASED, "reply": None, "action": None,
                                     "survey_note": None}),
    "complaint_acts": ("complaint_id IN (SELECT id FROM complaints WHERE lead_id = :id)", {"text": None}),
}


def purge(store: Store, now: datetime, actor: str | None, lead: str) -> dict:
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "purge", lead_id)
        name, number = conn.execute("SELECT name, phone FROM leads WHERE id = ?", (lead_id,)).fetchone()
        if number is not None and number.startswith("purged:"):
            raise Refused(f"lead {lead_id} was already purged", "nothing to do")
        conn.execute("UPDATE leads SET name = NULL, phone = 'purged:' || id WHERE id = :id OR merged_into = :id",
                     {"id": lead_id})
        changed = {}
        for table, (link, columns) in PERSONAL.items():
            sets = ", ".join(f"{c} = :{c}" for c in columns)
            params = {**columns, "id": lead_id}
            changed[table] = conn.execute(f"UPDATE {table} SET {sets} WHERE {link}", params).rowcount
        record(conn, now, who.id, "purge", lead_id, phone=mask(number), rows=changed)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"lead_id": lead_id, "purged": True, "rows": changed}
