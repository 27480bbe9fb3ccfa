"""Every stored phone checked again by the rule intake applies today (rules/phone.normalize, the phonenumbers
library): `check` lists those it rejects, or would write differently. Nothing is changed: a number stored by
an older leadctl stays the lead's key until a person corrects it."""

from __future__ import annotations

import sqlite3

from leadctl.errors import BadInput
from leadctl.rules import phone

_STORED = ("SELECT 'lead', id, phone FROM leads WHERE phone IS NOT NULL AND merged_into IS NULL"
           " AND phone NOT LIKE 'purged:%'"
           " UNION ALL SELECT 'complaint', id, phone FROM complaints WHERE phone IS NOT NULL")


def rejected(conn: sqlite3.Connection, region: str = phone.DEFAULT_REGION) -> list[dict]:
    """The stored phones the rule refuses or would store in another form, masked, with the reason."""
    return list(each_rejected(conn, region))


def each_rejected(conn: sqlite3.Connection, region: str = phone.DEFAULT_REGION):
    """`rejected`, one at a time from a cursor."""
    for kind, row_id, stored in conn.execute(_STORED):
        try:
            problem = None if phone.normalize(stored, region) == stored else "today's rule writes it differently"
        except BadInput as exc:
            problem = exc.message
        if problem:
            yield {kind + "_id": row_id, "phone": phone.mask(stored), "problem": phone.mask_in(problem)}
