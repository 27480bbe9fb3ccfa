"""Referrals (转介绍): a customer brought by an owner names the lead who referred them; the owner's card lists whom
they referred and what became of them, and an order from a referred customer counts to the owner share [002]."""

from __future__ import annotations

import sqlite3

from leadctl.errors import Refused
from leadctl.i18n import _
from leadctl.services import leads


def refer(conn: sqlite3.Connection, lead_id: int, ref: str) -> int:
    """Record who referred `lead_id` (a lead id or phone); returns the referrer's lead id. A lead keeps the
    first referrer it was given."""
    referrer = leads.find(conn, ref)
    if referrer == lead_id:
        raise Refused(_("lead {lead} cannot refer itself").format(lead=lead_id),
                      _("--referred-by names the owner who brought this customer"))
    current = conn.execute("SELECT referred_by FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    if current is not None and current != referrer:
        raise Refused(_("lead {lead} was already referred by lead {other}").format(lead=lead_id, other=current),
                      _("leave out --referred-by"))
    conn.execute("UPDATE leads SET referred_by = ? WHERE id = ?", (referrer, lead_id))
    return referrer
