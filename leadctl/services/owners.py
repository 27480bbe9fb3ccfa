"""The owner base (保有客户基盘): every delivered car's retention card with its owner's card fields and last contact,
and one owner's retention card (保有客户维系卡) [003]: the car, the person, the care contacts, whom they referred."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from leadctl.errors import BadInput, NotFound
from leadctl.i18n import _
from leadctl.rules import care, dates, reasons, visibility
from leadctl.services import care as care_service
from leadctl.services import leads, policy, staff
from leadctl.store.db import Store

COLUMNS = ("lead_id", "name", "phone", "owner", "brand", "series", "model", "config", "colour", "vin", "price",
           "plate", "plate_date", "delivered_on", "accessories", "birthday", "birthday_calendar", "address",
           "landline", "id_number", "insurer", "cover", "last_contact", "status")
CARE_COLUMNS = ("care", "due_on", "state", "made_at", "by", "score", "reason")
REFERRAL_COLUMNS = ("lead_id", "name", "phone", "owner", "created_at", "status", "grade", "ordered_at",
                    "delivered_at")
_SELECT = """
    SELECT l.id, l.name, l.phone, s.name, o.brand, o.series, o.model, o.config, o.colour, o.vin, o.price, c.plate,
           c.plate_date, substr(c.delivered_at, 1, 10), c.accessories, l.birthday, l.birthday_calendar, l.address,
           l.landline, c.id_number, c.insurer, c.cover, substr(l.last_contact_at, 1, 10), l.status, l.owner_id,
           l.pool
    FROM retention_cards c JOIN orders o ON o.id = c.order_id JOIN leads l ON l.id = o.lead_id
    LEFT JOIN staff s ON s.id = l.owner_id"""


def _shown(viewer: staff.Staff, row: tuple) -> dict:
    *values, owner_id, pool = row
    out = dict(zip(COLUMNS, values, strict=True))
    out["phone"] = visibility.shown(viewer, out["phone"], owner_id, pool)
    out["id_number"] = visibility.shown_id_number(viewer, out["id_number"])
    return out


def _day(text: str | None, flag: str, today: date) -> date | None:
    return dates.parse_day(text, flag, today) if text else None


def listing(store: Store, now: datetime, actor: str | None, owner: str | None = None, model: str | None = None,
            delivered_from: str | None = None, delivered_to: str | None = None) -> list[dict]:
    """The owner base, one row per delivered car, latest delivery first."""
    lo, hi = _day(delivered_from, "--delivered-from", now.date()), _day(delivered_to, "--delivered-to", now.date())
    if lo and hi and hi < lo:
        raise BadInput(_("the delivery period ends ({end}) before it starts ({start})").format(end=hi, start=lo),
                       _("swap --delivered-from and --delivered-to"))
    where, args = ["l.merged_into IS NULL"], []
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "owners")
        if owner:
            named = staff.find(conn, owner)
            if named is None:
                raise NotFound(_("no staff member named {name!r}").format(name=staff.typed(owner)),
                               _("see `leadctl staff list`"))
            where, args = [*where, "l.owner_id = ?"], [*args, named.id]
        if model:
            where, args = [*where, "(o.model = ? OR o.series = ?)"], [*args, model.strip(), model.strip()]
        if lo:
            where, args = [*where, "c.delivered_at >= ?"], [*args, lo.isoformat()]
        if hi:
            where, args = [*where, "c.delivered_at < ?"], [*args, (hi + timedelta(days=1)).isoformat()]
        rows = conn.execute(f"{_SELECT} WHERE {' AND '.join(where)} ORDER BY c.delivered_at DESC, c.id DESC",
                            args).fetchall()
    return [_shown(who, row) for row in rows]


def card(store: Store, now: datetime, actor: str | None, ref: str) -> dict:
    """One owner's retention card: the latest car delivered and the person's fields, the care contacts owed and
    made (with SSI scores), and the customers they referred with what became of them."""
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "owners")
        lead_id = leads.find(conn, ref)
        row = conn.execute(f"{_SELECT} WHERE l.id = ? ORDER BY c.delivered_at DESC, c.id DESC LIMIT 1",
                           (lead_id,)).fetchone()
        if row is None:
            raise NotFound(_("lead {lead} has no retention card: no car was delivered to it").format(lead=lead_id),
                           _("see `leadctl owners`"))
        out = _shown(who, row)
        out["care_contacts"] = _contacts(conn, policy.current(conn), lead_id, now.date(), out)
        out["referrals"] = _referrals(conn, who, lead_id)
    return out


def _contacts(conn: sqlite3.Connection, rules, lead_id: int, today: date, card_: dict) -> list[dict]:
    """Contacts made, then those owed from the window's start to 60 days ahead (overdue, due, planned)."""
    made = [{"care": kind, "due_on": due_on, "state": "made", "made_at": at, "by": by, "score": score, "reason": None}
            for kind, due_on, at, by, score in conn.execute(
                "SELECT cc.kind, cc.due_on, f.at, s.name, cc.score FROM care_contacts cc"
                " JOIN followups f ON f.id = cc.followup_id LEFT JOIN staff s ON s.id = f.by_id"
                " WHERE cc.lead_id = ? ORDER BY cc.due_on, cc.id", (lead_id,))]
    if card_["status"] != "delivered":
        return made
    the_rules = care_service.rules(rules)
    owner = care.Owner(lead_id, date.fromisoformat(card_["delivered_on"]), card_["birthday"],
                       card_["birthday_calendar"])
    done = {(m["care"], date.fromisoformat(m["due_on"])) for m in made}
    owed = [c for c in care.contacts(the_rules, owner, today - timedelta(days=the_rules.window_days),
                                     today + timedelta(days=60)) if (c.kind, c.due_on) not in done]
    return made + [{"care": c.kind, "due_on": c.due_on.isoformat(),
                    "state": "overdue" if c.due_on < today else "due" if c.due_on == today else "planned",
                    "made_at": None, "by": None, "score": None,
                    **reasons.fields(care_service.why(c, owner.delivered_on))} for c in owed]


def _referrals(conn: sqlite3.Connection, who: staff.Staff, lead_id: int) -> list[dict]:
    rows = conn.execute(
        "SELECT r.id, r.name, r.phone, s.name, r.created_at, r.status, r.grade,"
        " (SELECT min(o.ordered_at) FROM orders o WHERE o.lead_id = r.id AND o.status != 'cancelled'),"
        " (SELECT min(o.delivered_at) FROM orders o WHERE o.lead_id = r.id AND o.status = 'delivered'),"
        " r.owner_id, r.pool FROM leads r LEFT JOIN staff s ON s.id = r.owner_id WHERE r.referred_by = ?"
        " ORDER BY r.created_at, r.id", (lead_id,)).fetchall()
    return visibility.shown_rows(who, REFERRAL_COLUMNS, rows)
