"""Registering a visit or call at the front desk: one lead per phone, every visit kept."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from leadctl.errors import BadInput, UsageError
from leadctl.i18n import N_, _
from leadctl.models import Channel, Grade, InfoSource, Status
from leadctl.rules import dates, grading, phone, text, visibility
from leadctl.rules.permissions import OWNING_ROLES
from leadctl.services import card, collisions, invitations, leads, policy, pool, referral, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

MAX_PARTY = 999


@dataclass(frozen=True)
class Visit:
    """A visit or call as the front desk describes it, validated before any database work."""

    name: str | None
    phone: str | None
    channel: Channel
    arrived: datetime
    left: datetime | None
    party: int
    grade: Grade | None
    info_source: InfoSource | None
    model: str | None
    test_drive: bool
    trade_in: bool


def parse_visit(now: datetime, *, name=None, phone_text=None, channel="walk-in", arrived=None, left=None,
                party=1, grade=None, info_source=None, model=None, test_drive=False, trade_in=False,
                no_contact=False, region=phone.DEFAULT_REGION) -> Visit:
    name = (name or "").strip() or None
    arrived_at = dates.parse_moment(arrived, "--arrived", now.date()) if arrived else now
    left_at = dates.parse_moment(left, "--left", now.date()) if left else None
    if arrived_at > now:
        raise BadInput(
            _("arrival {arrived_at:%Y-%m-%d %H:%M} is after now ({now:%Y-%m-%d %H:%M})").format(
                arrived_at=arrived_at, now=now
            ),
            _("register visits that have happened"),
        )
    if left_at and left_at < arrived_at:
        raise BadInput(
            _("departure {left_at:%H:%M} is before arrival {arrived_at:%H:%M}").format(
                left_at=left_at, arrived_at=arrived_at
            ),
            _("check --left"),
        )
    if left_at and left_at > now:
        raise BadInput(
            _("departure {left_at:%Y-%m-%d %H:%M} is after now").format(left_at=left_at),
            _("leave out --left until they leave"),
        )
    if not 1 <= party <= MAX_PARTY:
        raise BadInput(
            _("party of {party}").format(party=party),
            _("a batch (批次) has 1 to {MAX_PARTY} people").format(MAX_PARTY=MAX_PARTY),
        )
    channel_ = Channel.parse(channel)
    if no_contact:
        if name or phone_text or grade:
            raise BadInput(
                _("--no-contact records a visitor who left no details"), _("drop --name, --phone and --grade")
            )
        if channel_.contact_kind != "visit":
            raise BadInput(_("--no-contact is for visitors in person"), _("use a visit channel such as walk-in"))
        number, grade_ = None, Grade.W
    else:
        if not phone_text:
            raise BadInput(
                _("a lead needs a phone number"), _("give --phone, or --no-contact for a visitor without one")
            )
        number = phone.normalize(phone_text, region)
        grade_ = Grade.parse(grade) if grade else None
    return Visit(name, number, channel_, arrived_at, left_at, party, grade_,
                 InfoSource.parse(info_source) if info_source else None,
                 (model or "").strip() or None, test_drive, trade_in)


def phone_region(store: Store) -> str:
    """The policy's phone region, read before the visit is checked (parse_visit's `region`)."""
    with store.read() as conn:
        return leads.region(conn)


def desk(store: Store, now: datetime, actor: str | None, owner: str | None) -> str:
    """What the desk settles before anyone types: the actor may register visits and a named --owner may own leads
    (refused otherwise); returns the policy's phone region (parse_visit's `region`)."""
    with store.read() as conn:
        staff.authorize(conn, now, actor, "intake")
        if owner:
            staff.owning(conn, owner, N_("owner"))
        return leads.region(conn)


def intake(store: Store, now: datetime, actor: str | None, visit: Visit, owner: str | None = None,
           invited: bool = True, referred_by: str | None = None, assign: bool = False,
           card_values: dict | None = None) -> dict:
    """Register a visit or call; returns lead_id, visit_id, new_lead, collision and invitation (ids or None),
    collision_opened (False when the claimant's collision was open already), the phone as stored, and name_differs:
    the lead's name and another given for its phone (kept on the visit, never silently dropped), or None.

    An invited customer who comes in closes their open invitation as arrived (unless `invited` is False: the
    visitor says they came on their own). A delivered customer who comes back through 续购 starts a new purchase.
    A customer referred (转介绍) names the lead who referred them (`referred_by`, a lead id or phone).
    """
    if referred_by and visit.channel is not Channel.REFERRAL:
        raise UsageError(_("--referred-by goes with --channel referral (转介绍)"), _("add --channel 转介绍"))
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "intake")
        rules = policy.current(conn)
        if visit.grade is not None and visit.phone is not None:
            grading.check_assignable(rules, visit.grade)
        named = staff.owning(conn, owner, N_("owner")) if owner else None
        claimant = named or (who if who.role in OWNING_ROLES else None)
        claimant_id = claimant.id if claimant else None
        known = conn.execute(
            "SELECT k.id, k.owner_id FROM leads l JOIN leads k ON k.id = coalesce(l.merged_into, l.id)"
            " WHERE l.phone = ?", (visit.phone,)).fetchone() if visit.phone else None
        differs = None
        if known is None:
            lead_id, owner_id = _new_lead(conn, who.id, visit, claimant_id), claimant_id
        else:
            lead_id, owner_id = known
            differs = _name_differs(conn, lead_id, visit.name)
            _return_visit(conn, who.id, lead_id, visit)
            if owner_id is None and claimant_id is not None:
                leads.set_owner(conn, visit.arrived, who.id, lead_id, claimant_id, "received on return visit")
                owner_id = claimant_id
        first = known is None or (visit.channel.contact_kind == "visit" and not conn.execute(
            "SELECT 1 FROM visits WHERE lead_id = ? AND kind = 'visit'", (lead_id,)).fetchone())
        visit_id = _visit(conn, lead_id, who.id, visit, claimant_id or owner_id, first,
                          differs["given"] if differs else None)
        contested = claimant_id is not None and claimant_id != owner_id
        collision, opened = _collision(conn, now, lead_id, visit_id, owner_id, claimant_id) if contested \
            else (None, False)
        in_person = known is not None and visit.channel.contact_kind == "visit"
        invitation = invitations.mark_arrived(conn, now, who.id, lead_id, visit_id, visit.arrived.date()) \
            if in_person and invited else None
        if known is not None and visit.channel is Channel.REPURCHASE:
            _repurchase(conn, visit.arrived, who.id, lead_id)
        referrer = referral.refer(conn, lead_id, referred_by) if referred_by else None
        card.at_intake(conn, visit.arrived, who.id, rules, lead_id, visit_id, known is None, visit.trade_in,
                       card_values or {})
        leads.replan(conn, rules, lead_id)
        if known is None and owner_id is None and pool.assign_new(conn, now, who.id, [lead_id], assign):
            owner_id = conn.execute("SELECT owner_id FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
        record(conn, now, who.id, "intake", lead_id, visit_id=visit_id, new_lead=known is None,
               channel=visit.channel.value, phone=phone.mask(visit.phone), grade=visit.grade,
               owner=owner_id, collision=collision, collision_opened=opened, invitation=invitation,
               name_differs=differs is not None,
               **({"referred_by": referrer} if referrer else {}))
        registering = visibility.Task(visibility.INTAKE, who.id)  # the number just given, back to who gave it
        owned_by = conn.execute("SELECT name FROM staff WHERE id = ?", (owner_id,)).fetchone() if owner_id else None
        return {"lead_id": lead_id, "visit_id": visit_id, "new_lead": known is None, "collision": collision,
                "collision_opened": opened,
                "invitation": invitation, "phone": visibility.shown(who, visit.phone, owner_id, None, registering),
                "name_differs": differs, "owner": owned_by[0] if owned_by else None}


def known(store: Store, now: datetime, actor: str | None, phone_text: str) -> dict | None:
    """The card of a known phone as the desk sees it (owner, grade, last contact, the name on record), or None."""
    with store.read() as conn:
        staff.authorize(conn, now, actor, "intake")
        try:
            number = phone.normalize(phone_text, leads.region(conn))
        except BadInput:
            return None
        row = conn.execute("SELECT k.id, s.name, k.grade, k.last_contact_at, k.name FROM leads l JOIN leads k"
                           " ON k.id = coalesce(l.merged_into, l.id) LEFT JOIN staff s ON s.id = k.owner_id"
                           " WHERE l.phone = ?", (number,)).fetchone()
    return dict(zip(("lead_id", "owner", "grade", "last_contact_at", "name"), row, strict=True)) if row else None


def _name_differs(conn: sqlite3.Connection, lead_id: int, given: str | None) -> dict | None:
    """The lead's name and the other one given for its phone, or None when they agree (or one is missing).
    The lead keeps its name (which is right is for a person to say); the one given is kept on the visit
    (`visits.given_name`, which purge reaches; the audit event says only that the names differed) and the
    caller warns."""
    recorded = conn.execute("SELECT name FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    if not text.names_differ(recorded, given):
        return None
    return {"recorded": recorded, "given": given}


def _new_lead(conn: sqlite3.Connection, by_id: int, visit: Visit, owner_id: int | None) -> int:
    at = visit.arrived.isoformat()
    lead_id = conn.execute(
        "INSERT INTO leads (name, phone, channel, info_source, model, trade_in, registered_by, created_at,"
        " last_contact_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (visit.name, visit.phone, visit.channel.value, visit.info_source, visit.model, int(visit.trade_in),
         by_id, at, at),
    ).lastrowid
    if visit.grade is not None:
        basis = "workflow" if visit.grade is Grade.W else "stated"
        leads.set_grade(conn, visit.arrived, by_id, lead_id, visit.grade, basis, "registered")
    if owner_id is not None:
        leads.set_owner(conn, visit.arrived, by_id, lead_id, owner_id, "registered")
    return lead_id


def _return_visit(conn: sqlite3.Connection, by_id: int, lead_id: int, visit: Visit) -> None:
    """A known customer again: never a new lead, never a silent owner change."""
    conn.execute("UPDATE leads SET last_contact_at = max(coalesce(last_contact_at, ''), ?),"
                 " name = coalesce(name, ?), model = coalesce(?, model) WHERE id = ?",
                 (visit.arrived.isoformat(), visit.name, visit.model, lead_id))
    previous = conn.execute("SELECT grade FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    if visit.grade is not None and previous != visit.grade:
        leads.set_grade(conn, visit.arrived, by_id, lead_id, visit.grade, "stated", "return visit")


def _visit(conn, lead_id: int, by_id: int, visit: Visit, staff_id: int | None, first: bool,
           given_name: str | None = None) -> int:
    return conn.execute(
        "INSERT INTO visits (lead_id, kind, channel, arrived_at, left_at, party, first_visit, left_contact,"
        " test_drive, model, staff_id, registered_by, given_name) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (lead_id, visit.channel.contact_kind, visit.channel.value, visit.arrived.isoformat(),
         visit.left.isoformat() if visit.left else None, visit.party, int(first), int(visit.phone is not None),
         int(visit.test_drive), visit.model, staff_id, by_id, given_name),
    ).lastrowid


def _repurchase(conn: sqlite3.Connection, at: datetime, by_id: int, lead_id: int) -> None:
    """An owner buying again (续购): their delivered lead is worked again, ungraded, linked to their last order."""
    if conn.execute("SELECT status FROM leads WHERE id = ?", (lead_id,)).fetchone()[0] != Status.DELIVERED:
        return
    order = conn.execute("SELECT max(id) FROM orders WHERE lead_id = ? AND status = 'delivered'", (lead_id,)).fetchone()
    leads.set_status(conn, at, by_id, lead_id, Status.ACTIVE, "repurchase", order_id=order[0])
    conn.execute("UPDATE leads SET grade = NULL, grade_basis = NULL, planned_on = NULL WHERE id = ?", (lead_id,))


def _collision(conn, now: datetime, lead_id: int, visit_id: int, owner_id: int, claimant_id: int) -> tuple[int, bool]:
    """Two staff claim one customer (撞单): the owner stays, the manager rules. The claimant's collision on this lead
    if one is open (collisions.open_claims), else a new one; returns its id and whether it was opened now."""
    waiting = collisions.open_claims(conn, [lead_id]).get((lead_id, claimant_id))
    if waiting:
        return waiting, False
    return conn.execute(
        "INSERT INTO collisions (lead_id, visit_id, owner_id, claimant_id, opened_at) VALUES (?,?,?,?,?)",
        (lead_id, visit_id, owner_id, claimant_id, now.isoformat()),
    ).lastrowid, True
