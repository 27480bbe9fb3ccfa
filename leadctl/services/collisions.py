"""Collisions (撞单): the open list with evidence and a recommended ruling; the manager's final ruling.

The owner's card was entered when the front desk registered the lead (its `intake` with a new lead). A lead
imported from another system's export (an LMS) has no such entry: the exporting system's creation time is its
record [001] "电销以LMS系统为准", and the [003] entry window, which is about cards entered by hand, does not apply.
The same holds for the claimant of a collision an import opened: their card was entered at the row's time
(`collisions.entered_at`), not when the import ran; a claim at the front desk was entered when it was opened.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadctl.errors import NotFound, Refused
from leadctl.i18n import _
from leadctl.rules import visibility
from leadctl.rules.collisions import Evidence, Side, card_counts, recommend
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

_OPEN = """
SELECT c.id, c.lead_id, c.opened_at, c.owner_id, c.claimant_id, c.status, l.name, l.phone, l.created_at,
       v.arrived_at, (SELECT min(e.at) FROM events e WHERE e.lead_id = l.id AND e.action = 'intake'
                      AND json_extract(e.detail, '$.new_lead')),
       c.ruled_to, c.ruled_at, c.ruling, l.owner_id, l.pool, coalesce(c.entered_at, c.opened_at)
FROM collisions c JOIN leads l ON l.id = c.lead_id JOIN visits v ON v.id = c.visit_id
"""


def open_claims(conn: sqlite3.Connection, lead_ids: list[int]) -> dict[tuple[int, int], int]:
    """(lead, claimant) -> the id of the claimant's open collision on that lead. One claim is one collision: it
    stands until ruled, however often the customer comes (intake and import ask before opening another)."""
    return {(lead_id, claimant_id): collision_id for collision_id, lead_id, claimant_id in conn.execute(
        f"SELECT id, lead_id, claimant_id FROM collisions WHERE status = 'open'"
        f" AND lead_id IN ({','.join('?' * len(lead_ids))})", lead_ids)}


def _side(conn: sqlite3.Connection, staff_id: int, lead_id: int, recorded: str, entered: str) -> Side:
    name, team = conn.execute("SELECT name, team FROM staff WHERE id = ?", (staff_id,)).fetchone()
    count, last = conn.execute("SELECT count(*), max(at) FROM live_followups WHERE lead_id = ? AND by_id = ?",
                               (lead_id, staff_id)).fetchone()
    return Side(staff_id, name, team, datetime.fromisoformat(recorded), datetime.fromisoformat(entered), count,
                datetime.fromisoformat(last) if last else None)


def _dcc_inviter(conn: sqlite3.Connection, lead_id: int) -> int | None:
    """A DCC staff member who invited this customer (invitations exist once the DCC workflow is in)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'invitations'").fetchone():
        return None
    row = conn.execute("SELECT i.invited_by FROM invitations i JOIN staff s ON s.id = i.invited_by"
                       " WHERE i.lead_id = ? AND s.team = 'dcc' ORDER BY i.id LIMIT 1", (lead_id,)).fetchone()
    return row[0] if row else None


def _handed_over(conn: sqlite3.Connection, lead_id: int) -> frozenset[int]:
    """Staff who handed this lead over (the owner giving it, and who filled the form)."""
    rows = conn.execute("SELECT from_id, by_id FROM handovers WHERE lead_id = ?", (lead_id,)).fetchall()
    return frozenset(i for row in rows for i in row if i is not None)


def _describe(conn: sqlite3.Connection, viewer: staff.Staff, row: tuple, entry_days: int) -> dict:
    (cid, lead_id, opened, owner_id, claimant_id, status, name, number, created, arrived, entered,
     ruled_to, ruled_at, ruling, lead_owner_id, pool, claimed) = row
    owner = _side(conn, owner_id, lead_id, created, entered or created)
    claimant = _side(conn, claimant_id, lead_id, arrived, claimed)
    inviter = _dcc_inviter(conn, lead_id)
    advice = recommend(Evidence(owner, claimant, inviter, _handed_over(conn, lead_id)), entry_days)
    names = {owner.staff_id: owner.name, claimant.staff_id: claimant.name}
    sides = {
        role: {"staff": s.name, "team": s.team, "recorded_at": s.recorded_at.isoformat(),
               "entered_at": s.entered_at.isoformat(), "card_counts": card_counts(s, entry_days),
               "followups": s.followups, "last_followup": s.last_followup.isoformat() if s.last_followup else None}
        for role, s in (("owner", owner), ("claimant", claimant))
    }
    return {"id": cid, "lead_id": lead_id, "name": name, "phone": visibility.shown(viewer, number, lead_owner_id, pool),
            "opened_at": opened, "status": status, **sides, "dcc_invited": inviter in (owner_id, claimant_id),
            "recommended": names[advice.staff_id], "reasons": list(advice.reasons),
            "ruled_to": names.get(ruled_to) or _name(conn, ruled_to), "ruled_at": ruled_at, "ruling": ruling}


def _name(conn: sqlite3.Connection, staff_id: int | None) -> str | None:
    """A staff member ruled for who is neither side: the receiver a handover settled the collision for."""
    row = conn.execute("SELECT name FROM staff WHERE id = ?", (staff_id,)).fetchone() if staff_id else None
    return row[0] if row else None


def listing(store: Store, now: datetime, actor: str | None, include_ruled: bool = False) -> list[dict]:
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "collisions")
        entry_days = policy.current(conn).card_entry_days
        where = "" if include_ruled else " WHERE c.status = 'open'"
        rows = conn.execute(f"{_OPEN}{where} ORDER BY c.id").fetchall()
        return [_describe(conn, who, row, entry_days) for row in rows]


def rule(store: Store, now: datetime, actor: str | None, collision_id: int, to: str) -> dict:
    """The manager's ruling: final, recorded, and the lead goes to the staff member ruled for."""
    with store.write() as conn:
        row = conn.execute(f"{_OPEN} WHERE c.id = ?", (collision_id,)).fetchone()
        if row is None:
            raise NotFound(
                _("no collision {collision_id}").format(collision_id=collision_id), _("see `leadctl collisions`")
            )
        who = staff.authorize(conn, now, actor, "collisions.rule", row[1])
        if row[5] != "open":
            raise Refused(
                _("collision {collision_id} was already ruled; the ruling is final").format(collision_id=collision_id),
                _("nothing to do"),
            )
        winner = staff.get(conn, to, "staff member")
        if winner.id not in (row[3], row[4]):
            raise Refused(
                _("{name} is not a party to collision {collision_id}").format(
                    name=winner.name, collision_id=collision_id
                ),
                _("rule for the owner or claimant"),
            )
        described = _describe(conn, who, row, policy.current(conn).card_entry_days)
        agrees = described["recommended"] == winner.name
        ruling = "as recommended" if agrees else "against the recommendation: " + "; ".join(described["reasons"])
        conn.execute("UPDATE collisions SET status = 'ruled', ruled_to = ?, ruled_at = ?, ruled_by = ?, ruling = ?"
                     " WHERE id = ?", (winner.id, now.isoformat(), who.id, ruling, collision_id))
        owner_id = conn.execute("SELECT owner_id FROM leads WHERE id = ?", (row[1],)).fetchone()[0]
        if owner_id != winner.id:
            leads.set_owner(conn, now, who.id, row[1], winner.id, f"collision {collision_id} ruling")
        recommended = winner.id if agrees else ({row[3], row[4]} - {winner.id}).pop()
        record(conn, now, who.id, "collisions.rule", row[1], collision=collision_id, to=winner.id,
               recommended=recommended, agrees=agrees)
        return {"id": collision_id, "lead_id": row[1], "ruled_to": winner.name, "recommended":
                described["recommended"], "ruling": ruling}


def settle_by_handover(conn: sqlite3.Connection, now: datetime, by_id: int, lead_id: int, receiver_id: int,
                       handover_id: int) -> list[int]:
    """A handover settles every open collision on the lead in the receiver's favour, each one recorded: the DCC
    gave the customer to the receiver, so no ruling may take them back."""
    settled = [r[0] for r in conn.execute("SELECT id FROM collisions WHERE lead_id = ? AND status = 'open' ORDER BY id",
                                          (lead_id,))]
    for collision_id in settled:
        conn.execute("UPDATE collisions SET status = 'ruled', ruled_to = ?, ruled_at = ?, ruled_by = ?, ruling = ?"
                     " WHERE id = ?", (receiver_id, now.isoformat(), by_id, f"settled by handover {handover_id}",
                                       collision_id))
        record(conn, now, by_id, "collisions.settle", lead_id, collision=collision_id, to=receiver_id,
               handover_id=handover_id)
    return settled
