"""Orders and delivery: the lead closes with a sale (grade O), and the delivered customer becomes an owner.

The vehicle is chosen by VIN or by brand -> series -> model (-> configuration) [000]. An order takes the lead
off the due lists; delivery makes the retention card (保有客户卡) [003] of the new owner.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from leadctl.errors import BadInput, NotFound, Refused, UsageError
from leadctl.i18n import _
from leadctl.models import Grade
from leadctl.reports.base import code, statuses
from leadctl.rules import care, dates, lifecycle, lunar, phone, vin, visibility
from leadctl.rules.policy import Policy
from leadctl.services import leads, policy, staff, vehicles
from leadctl.services.defeats import lead_state, open_request, text
from leadctl.services.leads import set_status
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("id", "lead_id", "name", "phone", "owner", "vin", "brand", "series", "model", "config", "colour",
           "price", "deposit", "status", "ordered_at", "ordered_by", "cancelled_at", "cancel_reason",
           "delivered_at", "lead_status", "delivery_on")
CARD_COLUMNS = ("id", "order_id", "lead_id", "name", "phone", "brand", "series", "model", "config", "colour",
                "vin", "price", "accessories", "plate", "plate_date", "insurer", "cover", "delivered_at",
                "delivered_by", "id_number", "address", "birthday", "birthday_calendar", "landline")

_SELECT = """
    SELECT o.id, o.lead_id, l.name, l.phone, w.name, o.vin, o.brand, o.series, o.model, o.config, o.colour,
           o.price, o.deposit, o.status, o.ordered_at, s.name, o.cancelled_at, o.cancel_reason,
           o.delivered_at, l.status, o.delivery_on, l.owner_id, l.pool
    FROM orders o JOIN leads l ON l.id = o.lead_id LEFT JOIN staff w ON w.id = l.owner_id
    LEFT JOIN staff s ON s.id = o.ordered_by"""
_CARD = """
    SELECT c.id, c.order_id, o.lead_id, l.name, l.phone, o.brand, o.series, o.model, o.config, o.colour,
           o.vin, o.price, c.accessories, c.plate, c.plate_date, c.insurer, c.cover, c.delivered_at, s.name,
           c.id_number, l.address, l.birthday, l.birthday_calendar, l.landline, l.owner_id, l.pool
    FROM retention_cards c JOIN orders o ON o.id = c.order_id JOIN leads l ON l.id = o.lead_id
    LEFT JOIN staff s ON s.id = c.delivered_by WHERE c.id = ?"""


@dataclass(frozen=True)
class Vehicle:
    """The car ordered: a VIN (as typed; validated against the policy), and/or brand, series, model."""

    vin: str | None = None
    brand: str | None = None
    series: str | None = None
    model: str | None = None
    config: str | None = None
    colour: str | None = None


def vehicle(vin_text: str | None = None, brand: str | None = None, series: str | None = None,
            model: str | None = None, config: str | None = None, colour: str | None = None) -> Vehicle:
    """The vehicle as chosen: by --vin, or by --brand, --series and --model (a VIN order may describe it too)."""
    chosen = Vehicle(text(vin_text), text(brand), text(series), text(model), text(config), text(colour))
    if chosen.vin is None:
        missing = [f"--{k}" for k in ("brand", "series", "model") if getattr(chosen, k) is None]
        if missing:
            raise UsageError(
                _("choose the vehicle by --vin, or by --brand, --series and --model (missing {join})").format(
                    join=", ".join(missing)
                ),
                _("e.g. --brand 大众 --series 迈腾 --model 330TSI --config 豪华型"),
            )
    return chosen


def vin_everywhere(rules: Policy) -> bool:
    """Whether the policy wants the check digit on every VIN, not only where the law requires it (China):
    `[orders] vin_check_digit = "always"`."""
    return rules.data.get("orders", {}).get("vin_check_digit") == "always"


def _shown(viewer: staff.Staff, columns: tuple[str, ...], row: tuple) -> dict:
    *values, owner_id, pool = row
    out = dict(zip(columns, values, strict=True))
    out["phone"] = visibility.shown(viewer, out["phone"], owner_id, pool)
    if "id_number" in out:
        out["id_number"] = visibility.shown_id_number(viewer, out["id_number"])
    return out


def _get(conn: sqlite3.Connection, viewer: staff.Staff, order_id: int) -> dict:
    return _shown(viewer, COLUMNS, conn.execute(f"{_SELECT} WHERE o.id = ?", (order_id,)).fetchone())


def _order(conn: sqlite3.Connection, order_id: int) -> tuple[int, str, str | None]:
    row = conn.execute("SELECT lead_id, status, previous_grade FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise NotFound(_("no order with id {order_id}").format(order_id=order_id), _("see `leadctl order list`"))
    return row


def _check_vin_free(conn: sqlite3.Connection, number: str | None) -> None:
    if number is None:
        return
    row = conn.execute("SELECT id, lead_id FROM orders WHERE vin = ? AND status != 'cancelled'", (number,)).fetchone()
    if row is not None:
        raise Refused(
            _("vehicle {number} is already on order {value} (lead {value2})").format(
                number=number, value=row[0], value2=row[1]
            ),
            _("check the VIN, or cancel that order first"),
        )


def _in_collision(conn: sqlite3.Connection, lead_id: int, actor: str | None) -> bool:
    """Whether the actor is party to an open collision on this lead (撞单)."""
    return actor is not None and conn.execute(
        "SELECT 1 FROM collisions c JOIN staff s ON s.id IN (c.owner_id, c.claimant_id)"
        " WHERE c.lead_id = ? AND c.status = 'open' AND s.name = ?", (lead_id, actor.strip())).fetchone() is not None


def _signer(conn: sqlite3.Connection, now: datetime, actor: str | None, lead_id: int) -> staff.Staff:
    """Who signs: the owner (or a manager) as always; in a collision, also the other party, if their role signs
    orders. [001] 4.4.3: the consultant who brought the customer to the order signs first, and ownership is
    settled afterwards by the ruling, which the order follows (it is on the lead, whoever owns it)."""
    if _in_collision(conn, lead_id, actor):
        return staff.authorize(conn, now, actor, "order")
    return staff.authorize(conn, now, actor, "order", lead_id)


def _delivery_day(text_: str | None, now: datetime, flag: str) -> date | None:
    if not text_:
        return None
    day = dates.parse_day(text_, flag, now.date(), dates.FUTURE)
    if day < now.date():
        raise BadInput(
            _("{flag} {day} is in the past").format(flag=flag, day=day), _("give the day the car is to be delivered")
        )
    return day


def _set_delivery(conn: sqlite3.Connection, now: datetime, by_id: int, order_id: int, day: date,
                  previous: str | None, reason: str | None) -> None:
    conn.execute("UPDATE orders SET delivery_on = ? WHERE id = ?", (day.isoformat(), order_id))
    conn.execute("INSERT INTO delivery_dates (order_id, at, by_id, delivery_on, previous, reason) VALUES (?,?,?,?,?,?)",
                 (order_id, now.isoformat(), by_id, day.isoformat(), previous, reason))


def order(store: Store, now: datetime, actor: str | None, lead: str, car: Vehicle, price: int | None = None,
          deposit: int | None = None, delivery_on: str | None = None) -> dict:
    """Sign an order for an active lead: grade O, status ordered. Signing is a contact; from it the lead is due on
    the policy's cadence for orders and the day before its planned delivery day [003]. Returns the order."""
    lifecycle.check_amounts(price, deposit)
    delivery = _delivery_day(delivery_on, now, "--delivery-on")
    with store.write() as conn:
        lead_id = leads.find(conn, lead)
        who = _signer(conn, now, actor, lead_id)
        rules = policy.current(conn)
        number = vin.validate(car.vin, vin_everywhere(rules)) if car.vin else None
        status, grade = lead_state(conn, lead_id)
        new = lifecycle.lead_move("order", lead_id, status)
        has_phone = conn.execute("SELECT phone IS NOT NULL FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
        lifecycle.check_orderable(lead_id, grade, bool(has_phone))
        lifecycle.check_not_pending(lead_id, open_request(conn, lead_id), "ordered")
        _check_vin_free(conn, number)
        car = vehicles.fill(conn, car, number) if number else car
        order_id = conn.execute(
            "INSERT INTO orders (lead_id, ordered_at, ordered_by, vin, brand, series, model, config, colour, price,"
            " deposit, previous_grade) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (lead_id, now.isoformat(), who.id, number, car.brand, car.series, car.model, car.config, car.colour,
             price, deposit, grade),
        ).lastrowid
        if delivery is not None:
            _set_delivery(conn, now, who.id, order_id, delivery, None, None)
        leads.set_grade(conn, now, who.id, lead_id, Grade.O, "workflow", f"order {order_id}")
        set_status(conn, now, who.id, lead_id, new, "order", order_id=order_id)
        conn.execute("UPDATE leads SET last_contact_at = max(coalesce(last_contact_at, ''), ?), planned_on = NULL"
                     " WHERE id = ?", (now.isoformat(), lead_id))
        leads.replan(conn, rules, lead_id)
        record(conn, now, who.id, "order", lead_id, order_id=order_id, by_vin=number is not None, grade=Grade.O,
               previous=grade, status=new, previous_status=status, delivery_on=delivery)
        return _get(conn, who, order_id)


def delivery_on(store: Store, now: datetime, actor: str | None, order_id: int, day: str,
                reason: str | None = None) -> dict:
    """Set or change an open order's planned delivery day; every change is kept with who, when and why, and the
    lead's next due date follows it."""
    wanted = _delivery_day(day, now, "delivery day")
    if wanted is None:
        raise BadInput(_("a delivery day is needed"), _("give it as YYYY-MM-DD, e.g. 2026-12-15"))
    with store.write() as conn:
        lead_id, status, __ = _order(conn, order_id)
        who = staff.authorize(conn, now, actor, "order.delivery_on", lead_id)
        if status != "open":
            raise Refused(
                _("order {order_id} is {status}; only an open order has a delivery day to plan").format(
                    order_id=order_id, status=status
                ),
                _("see `leadctl order list`"),
            )
        previous = conn.execute("SELECT delivery_on FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
        if previous == wanted.isoformat():
            raise Refused(
                _("order {order_id} is already to be delivered on {previous}").format(
                    order_id=order_id, previous=previous
                ),
                _("nothing to change"),
            )
        _set_delivery(conn, now, who.id, order_id, wanted, previous, text(reason))
        next_due = leads.replan(conn, policy.current(conn), lead_id)
        record(conn, now, who.id, "order.delivery_on", lead_id, order_id=order_id, delivery_on=wanted,
               previous=previous)  # the reason, typed text, lives in delivery_dates, which purge reaches
        return {**_get(conn, who, order_id), "previous_delivery_on": previous, "next_due": next_due}


def cancel(store: Store, now: datetime, actor: str | None, order_id: int, reason: str) -> dict:
    """Cancel an open order: the lead goes back to active with the grade it had before the order.

    Restoring the earlier grade (rather than clearing it) keeps the grade history whole and puts the lead
    back on the cadence it was on: an H, A, B or C lead is due again its cadence after its last contact
    (at once if that is past), an ungraded one at once for grading. A D lead, as the policy says of D,
    has no due date. A plan made before the order is dropped.
    """
    reason_ = text(reason)
    if reason_ is None:
        raise BadInput(_("an order is cancelled with its reason"), _("say why with --reason"))
    with store.write() as conn:
        lead_id, status, previous_grade = _order(conn, order_id)
        who = staff.authorize(conn, now, actor, "order.cancel", lead_id)
        new = lifecycle.order_move(order_id, status, "cancel")
        lead_status = lifecycle.lead_move("order.cancel", lead_id, lead_state(conn, lead_id)[0])
        conn.execute("UPDATE orders SET status = ?, cancelled_at = ?, cancelled_by = ?, cancel_reason = ?"
                     " WHERE id = ?", (new, now.isoformat(), who.id, reason_, order_id))
        if previous_grade:
            leads.set_grade(conn, now, who.id, lead_id, Grade(previous_grade), "workflow",
                            f"order {order_id} cancelled: grade before the order restored")
        else:
            conn.execute("UPDATE leads SET grade = NULL, grade_basis = NULL WHERE id = ?", (lead_id,))
        conn.execute("UPDATE leads SET planned_on = NULL WHERE id = ?", (lead_id,))
        previous_status = set_status(conn, now, who.id, lead_id, lead_status, "order.cancel", reason=reason_,
                                     order_id=order_id)
        next_due = leads.replan(conn, policy.current(conn), lead_id)
        record(conn, now, who.id, "order.cancel", lead_id, order_id=order_id, grade=previous_grade,
               previous=Grade.O, status=lead_status, previous_status=previous_status)
        return {**_get(conn, who, order_id), "grade": previous_grade, "next_due": next_due}


def _plate_date(value: str | None, now: datetime) -> str | None:
    if not value:
        return None
    day = dates.parse_day(value, "--plate-date", now.date(), dates.PAST)
    if day > now.date():
        raise BadInput(
            _("plate date {day} is after today ({now:%Y-%m-%d})").format(day=day, now=now),
            _("record a plate that has been issued"),
        )
    return day.isoformat()


@dataclass(frozen=True)
class Person:
    """The retention card's personal fields [003] 保有客户维系卡, validated before any database work. The birthday,
    address and landline are the lead's (the A card shows the same); the ID number is the card's."""

    address: str | None = None
    id_number: str | None = None
    birthday: str | None = None
    calendar: str | None = None
    landline: str | None = None


def person(now: datetime, address: str | None = None, id_number: str | None = None, birthday: str | None = None,
           calendar: str | None = None, landline: str | None = None, region: str = phone.DEFAULT_REGION) -> Person:
    kind = lunar.calendar(calendar) if birthday or calendar else None
    if calendar and not birthday:
        raise UsageError(_("--birthday-calendar goes with --birthday"), _("give the birthday too"))
    return Person(text(address), care.id_number(id_number, now.date()) if text(id_number) else None,
                  lunar.birthday(birthday, kind, now.date()) if text(birthday) else None, kind if birthday else None,
                  phone.normalize(landline, region) if text(landline) else None)


def _card_person(conn: sqlite3.Connection, rules: Policy, lead_id: int, who: Person) -> None:
    if who.id_number is not None and not care.rules_of(rules.data).id_number:
        raise Refused(_("the policy does not allow storing ID numbers ([care] id_number = false)"),
                      _("leave out --id-number"))
    conn.execute("UPDATE leads SET address = coalesce(?, address), birthday = coalesce(?, birthday),"
                 " birthday_calendar = coalesce(?, birthday_calendar), landline = coalesce(?, landline) WHERE id = ?",
                 (who.address, who.birthday, who.calendar, who.landline, lead_id))


def deliver(store: Store, now: datetime, actor: str | None, order_id: int, plate: str | None = None,
            plate_date: str | None = None, insurer: str | None = None, cover: str | None = None,
            accessories: str | None = None, card: Person = Person()) -> dict:
    """Deliver an open order: the lead is delivered and its customer an owner; returns the retention card, with the
    personal fields given (`card`)."""
    number = vin.plate(plate) if text(plate) else None
    day = _plate_date(plate_date, now)
    with store.write() as conn:
        lead_id, status, __ = _order(conn, order_id)
        who = staff.authorize(conn, now, actor, "deliver", lead_id)
        rules = policy.current(conn)
        _card_person(conn, rules, lead_id, card)
        new = lifecycle.order_move(order_id, status, "deliver")
        lead_status = lifecycle.lead_move("deliver", lead_id, lead_state(conn, lead_id)[0])
        conn.execute("UPDATE orders SET status = ?, delivered_at = ?, delivered_by = ? WHERE id = ?",
                     (new, now.isoformat(), who.id, order_id))
        card_id = conn.execute(
            "INSERT INTO retention_cards (order_id, delivered_at, delivered_by, plate, plate_date, insurer, cover,"
            " accessories, id_number) VALUES (?,?,?,?,?,?,?,?,?)",
            (order_id, now.isoformat(), who.id, number, day, text(insurer), text(cover), text(accessories),
             card.id_number),
        ).lastrowid
        previous_status = set_status(conn, now, who.id, lead_id, lead_status, "deliver", order_id=order_id)
        conn.execute("UPDATE leads SET planned_on = NULL WHERE id = ?", (lead_id,))
        leads.replan(conn, rules, lead_id)
        row = conn.execute(_CARD, (card_id,)).fetchone()
        record(conn, now, who.id, "deliver", lead_id, order_id=order_id, card_id=card_id,
               phone=phone.mask(row[CARD_COLUMNS.index("phone")]), status=lead_status,
               previous_status=previous_status, card_fields=sorted(k for k, v in vars(card).items() if v))
        return _shown(who, CARD_COLUMNS, row)


def listing(store: Store, now: datetime, actor: str | None, status: str | None = None,
            late: bool = False) -> list[dict]:
    """Orders, oldest first; `status` picks open, cancelled or delivered ones; `late`, open orders whose planned
    delivery day is past."""
    status = code("status", status)
    if status is not None and status not in lifecycle.ORDER_STATUSES:
        raise BadInput(
            _("unknown order status {status!r}").format(status=status),
            _("use one of: {join}").format(join=statuses(lifecycle.ORDER_STATUSES)),
        )
    if late and status not in (None, "open"):
        raise UsageError(_("--late lists open orders"), _("leave out --status, or give --status open"))
    where, args = ("WHERE o.status = ?", [status]) if status else ("", [])
    if late:
        where, args = "WHERE o.status = 'open' AND o.delivery_on < ?", [now.date().isoformat()]
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "order.list")
        rows = conn.execute(f"{_SELECT} {where} ORDER BY o.ordered_at, o.id", args).fetchall()
    return [_shown(who, COLUMNS, row) for row in rows]

