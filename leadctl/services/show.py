"""The whole A card of one lead: fields, visits, grade history, follow-ups, owners and audit events."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from leadctl.rules import cadence, reasons, visibility
from leadctl.services import card as fields
from leadctl.services import leads, policy, reviews, staff
from leadctl.store.db import Store


def _rows(conn: sqlite3.Connection, sql: str, lead_id: int) -> list[dict]:
    cur = conn.execute(sql, {"id": lead_id})
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _customer_type(conn: sqlite3.Connection, lead_id: int, channel: str) -> str:
    """客户性质 新/老, derived: returning once the customer has bought here (a delivered order) or came back to buy
    again (续购)."""
    bought = conn.execute("SELECT 1 FROM orders WHERE lead_id = ? AND status = 'delivered'", (lead_id,)).fetchone()
    return "returning" if bought or channel == "repurchase" else "new"


def show(store: Store, now: datetime, actor: str | None, ref: str) -> dict:
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "show")
        lead_id = leads.find(conn, ref)
        card = _rows(conn, """
            SELECT l.id, l.name, l.phone, l.grade, l.grade_basis, l.status, o.name AS owner, l.channel,
                   l.info_source, l.model, l.trade_in, l.fleet, l.created_at, r.name AS registered_by,
                   l.last_contact_at, l.followup_count, l.planned_on, l.next_due, l.owner_id, l.pool
            FROM leads l LEFT JOIN staff o ON o.id = l.owner_id LEFT JOIN staff r ON r.id = l.registered_by
            WHERE l.id = :id""", lead_id)[0]
        card["phone"] = visibility.shown(who, card["phone"], card.pop("owner_id"), card.pop("pool"))
        due = cadence.next_due(policy.current(conn), leads.load_state(conn, lead_id))
        why = reasons.fields(due.why) if due else dict.fromkeys(("reason", "reason_code", "reason_values"))
        card.update({f"due_{k}": v for k, v in why.items()})  # the English line; its code and values for the words
        card["trade_in"], card["fleet"] = bool(card["trade_in"]), bool(card["fleet"])
        card.update(fields.shown(fields.stored(conn, lead_id)))
        card["customer_type"] = _customer_type(conn, lead_id, card["channel"])
        card["history"] = [{"field": h["field"], "old": h["old"], "new": h["new"], "by": h["by"], "at": h["at"],
                            "subject": h["subject"], "subject_id": h["subject_id"], "reason": h["reason"]}
                           for h in fields.history_rows(conn, lead_id)]
        card["visits"] = _rows(conn, """
            SELECT v.id, v.kind, v.channel, v.arrived_at, v.left_at, v.party, v.first_visit, v.test_drive,
                   v.model, s.name AS staff, v.given_name, v.grade, v.trade_in, r.name AS receptionist, v.voided_at
            FROM visits v LEFT JOIN staff s ON s.id = v.staff_id LEFT JOIN staff r ON r.id = v.registered_by
            WHERE v.lead_id = :id ORDER BY v.arrived_at, v.id""", lead_id)
        card["grades"] = _rows(conn, """
            SELECT g.at, g.grade, g.previous, g.basis, g.detail, g.reason, s.name AS by
            FROM grades g LEFT JOIN staff s ON s.id = g.by_id WHERE g.lead_id = :id ORDER BY g.at, g.id""", lead_id)
        card["followups"] = _rows(conn, f"""
            SELECT f.id, f.at, f.method, f.result, f.grade, f.next_on, s.name AS by,
                   {reviews.LATEST.format(f="f")} AS review, f.voided_at
            FROM followups f LEFT JOIN staff s ON s.id = f.by_id WHERE f.lead_id = :id ORDER BY f.at, f.id""", lead_id)
        card["reviews"] = _rows(conn, """
            SELECT r.followup_id, r.at, s.name AS by, r.comment FROM reviews r JOIN followups f ON f.id = r.followup_id
            LEFT JOIN staff s ON s.id = r.by_id WHERE f.lead_id = :id ORDER BY r.id""", lead_id)
        card["owners"] = _rows(conn, """
            SELECT o.at, a.name AS from_owner, b.name AS to_owner, o.reason, s.name AS by
            FROM owners o LEFT JOIN staff a ON a.id = o.from_id LEFT JOIN staff b ON b.id = o.to_id
            LEFT JOIN staff s ON s.id = o.by_id WHERE o.lead_id = :id ORDER BY o.at, o.id""", lead_id)
        card["collisions"] = _rows(conn, """
            SELECT c.id, c.opened_at, c.status, a.name AS owner, b.name AS claimant
            FROM collisions c LEFT JOIN staff a ON a.id = c.owner_id LEFT JOIN staff b ON b.id = c.claimant_id
            WHERE c.lead_id = :id ORDER BY c.id""", lead_id)
        card["invitations"] = _rows(conn, """
            SELECT i.id, i.invited_at, s.name AS invited_by, i.expected_at, i.status, i.closed_at
            FROM invitations i LEFT JOIN staff s ON s.id = i.invited_by WHERE i.lead_id = :id ORDER BY i.id""", lead_id)
        card["handovers"] = _rows(conn, """
            SELECT h.id, h.at, a.name AS from_staff, b.name AS to_staff, h.expected_on FROM handovers h
            LEFT JOIN staff a ON a.id = h.from_id LEFT JOIN staff b ON b.id = h.to_id
            WHERE h.lead_id = :id ORDER BY h.id""", lead_id)
        card["defeats"] = _rows(conn, """
            SELECT d.id, d.requested_at, s.name AS requested_by, d.grade, d.reason, d.lost_to, d.price, d.status,
                   d.note, d.verification, d.decided_at, d.decision_note
            FROM defeats d LEFT JOIN staff s ON s.id = d.requested_by WHERE d.lead_id = :id ORDER BY d.id""", lead_id)
        card["orders"] = _rows(conn, """
            SELECT o.id, o.ordered_at, s.name AS ordered_by, o.vin, o.brand, o.series, o.model, o.config, o.colour,
                   o.price, o.status, o.delivery_on, o.delivered_at, c.plate, c.plate_date, c.insurer, c.cover
            FROM orders o LEFT JOIN staff s ON s.id = o.ordered_by LEFT JOIN retention_cards c ON c.order_id = o.id
            WHERE o.lead_id = :id ORDER BY o.id""", lead_id)
        card["complaints"] = _rows(conn, """
            SELECT c.id, c.received_at, c.channel, c.kind, c.summary, c.status, s.name AS responsible, c.valid
            FROM complaints c LEFT JOIN staff s ON s.id = c.responsible_id WHERE c.lead_id = :id ORDER BY c.id""",
                                   lead_id)
        card["statuses"] = _rows(conn, """
            SELECT t.at, t.previous, t.status, t.act, t.attempts, t.reason, s.name AS by FROM statuses t
            LEFT JOIN staff s ON s.id = t.by_id WHERE t.lead_id = :id ORDER BY t.at, t.id""", lead_id)
        card["events"] = _rows(conn, """
            SELECT e.at, s.name AS actor, e.action, e.detail FROM events e LEFT JOIN staff s ON s.id = e.actor_id
            WHERE e.lead_id = :id OR e.lead_id IN (SELECT id FROM leads WHERE merged_into = :id)
            ORDER BY e.id""", lead_id)
    for g in card["grades"]:
        g["detail"] = json.loads(g["detail"]) if g["detail"] else None
    for e in card["events"]:
        e["detail"] = json.loads(e["detail"])
    for v in card["visits"]:
        v["first_visit"], v["test_drive"] = bool(v["first_visit"]), bool(v["test_drive"])
        v["trade_in"] = None if v["trade_in"] is None else bool(v["trade_in"])
    return card
