"""Manager actions on the customer record: merging duplicate customers, promotion to fleet customer."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadctl.errors import Refused
from leadctl.i18n import _
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

# Never moved: the audit trail (immutable; read across merges instead), and the orders, which stay on the card of
# the customer who signed them (a cancelled order of the duplicate stays on the duplicate's closed card).
KEPT_IN_PLACE = ("leads", "events", "orders")


def _child_tables(conn: sqlite3.Connection) -> list[str]:
    """Every table that hangs off a lead and moves with it in a merge."""
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [t for t in tables if t not in KEPT_IN_PLACE
            and any(c[1] == "lead_id" for c in conn.execute(f"PRAGMA table_info({t})"))]


def check_mergeable(conn: sqlite3.Connection, kept: int, merged: int) -> None:
    """[000] merges only customers that are neither fleet (批售) nor order customers: the one folded in must be
    neither. The kept lead may be either; it keeps its fleet flag and its orders."""
    if kept == merged:
        raise Refused(_("lead {kept} cannot be merged into itself").format(kept=kept), _("give two different leads"))
    if conn.execute("SELECT fleet FROM leads WHERE id = ?", (merged,)).fetchone()[0]:
        raise Refused(
            _(
                "lead {merged} is a fleet customer (批售); only non-fleet, non-order customers are merged into "
                "another [000]"
            ).format(merged=merged),
            _("keep the fleet customer instead: `leadctl merge {merged} {kept}`").format(merged=merged, kept=kept),
        )
    order = conn.execute("SELECT id, status FROM orders WHERE lead_id = ? AND status IN ('open', 'delivered')"
                         " ORDER BY id LIMIT 1", (merged,)).fetchone()
    if order is not None:
        raise Refused(
            _(
                "lead {merged} has {value} order {value2}; an order customer is not merged into another card [000]"
            ).format(merged=merged, value=_(order[1]), value2=order[0]),  # open, delivered: words of rules/lifecycle.py
            _("keep it instead (`leadctl merge {merged} {kept}`), or cancel an open order").format(
                merged=merged, kept=kept
            ),
        )
    for table, what, open_, settle in _ONE_OPEN:
        both = conn.execute(f"SELECT count(DISTINCT lead_id) FROM {table} WHERE lead_id IN (?, ?) AND {open_}",
                            (kept, merged)).fetchone()[0]
        if both == 2:
            raise Refused(
                _("leads {kept} and {merged} each have an open {what}; a card holds one at a time").format(
                    kept=kept, merged=merged, what=what
                ),
                settle,
            )


# what a card holds one of at a time: both leads holding one would make the merged card hold two
_ONE_OPEN = (
    ("invitations", "invitation", "status = 'open'",
     "merge once one of them is over: arrived, or a no-show (`leadctl invitations --close-no-shows`)"),
    ("defeats", "defeat request", "status IN ('requested', 'verified')",
     "decide the duplicate's request first (`leadctl defeat approve|reject ID`)"),
)


def merge(store: Store, now: datetime, actor: str | None, keep: str, other: str) -> dict:
    """Fold the second lead into the first: every visit, follow-up, grade, move and event is kept; its orders stay
    on its own card."""
    with store.write() as conn:
        kept, merged = leads.find(conn, keep), leads.find(conn, other)
        who = staff.authorize(conn, now, actor, "merge", kept)
        check_mergeable(conn, kept, merged)
        moved = {}
        for table in _child_tables(conn):
            moved[table] = conn.execute(f"UPDATE {table} SET lead_id = ? WHERE lead_id = ?", (kept, merged)).rowcount
        conn.execute(
            "UPDATE leads SET followup_count = followup_count + (SELECT followup_count FROM leads WHERE id = :m),"
            " created_at = min(created_at, (SELECT created_at FROM leads WHERE id = :m)),"
            " fleet = max(fleet, (SELECT fleet FROM leads WHERE id = :m)),"
            " last_contact_at = max(coalesce(last_contact_at, ''),"
            "   coalesce((SELECT last_contact_at FROM leads WHERE id = :m), '')) WHERE id = :k",
            {"k": kept, "m": merged})
        conn.execute("UPDATE leads SET status = 'closed', merged_into = ?, next_due = NULL WHERE id = ?",
                     (kept, merged))
        next_due = leads.replan(conn, policy.current(conn), kept)
        record(conn, now, who.id, "merge", kept, merged=merged, moved=moved)
        record(conn, now, who.id, "merged", merged, into=kept)
        return {"lead_id": kept, "merged": merged, "moved": moved, "next_due": next_due}


def fleet(store: Store, now: datetime, actor: str | None, lead: str) -> dict:
    """Promote a lead to fleet customer (大客户/批售)."""
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = staff.authorize(conn, now, actor, "fleet", lead_id)
        if conn.execute("SELECT fleet FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]:
            raise Refused(_("lead {lead_id} is already a fleet customer").format(lead_id=lead_id), _("nothing to do"))
        conn.execute("UPDATE leads SET fleet = 1 WHERE id = ?", (lead_id,))
        record(conn, now, who.id, "fleet", lead_id)
        return {"lead_id": lead_id, "fleet": True}
