"""Staff: who works in the store, their role and team, and who is acting now."""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from leadctl.errors import BadInput, NotFound, PermissionDenied, Refused
from leadctl.i18n import N_, _, joined
from leadctl.models import Role, Team
from leadctl.rules import permissions, phone
from leadctl.store.audit import record
from leadctl.store.db import Store


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    role: Role
    team: Team | None
    active: bool


def _row(row: sqlite3.Row | tuple) -> Staff:
    return Staff(row[0], row[1], Role(row[2]), Team(row[3]) if row[3] else None, bool(row[4]))


def find(conn: sqlite3.Connection, name: str) -> Staff | None:
    row = conn.execute("SELECT id, name, role, team, active FROM staff WHERE name = ?", (name.strip(),)).fetchone()
    return _row(row) if row else None


def get(conn: sqlite3.Connection, name: str, what: str = N_("staff member")) -> Staff:
    """An active staff member by name, or NotFound / Refused; `what` (N_) is how the message names them."""
    what = _(what)
    staff = find(conn, name)
    if staff is None:
        raise NotFound(
            _("no {what} named {typed!r}").format(what=what, typed=typed(name)), _("see `leadctl staff list`")
        )
    if not staff.active:
        raise Refused(
            _("{what} {name!r} is no longer active").format(what=what, name=staff.name), _("choose an active colleague")
        )
    return staff


def owning(conn: sqlite3.Connection, name: str, what: str = N_("receiving staff member")) -> Staff:
    """An active staff member who may own leads (permissions.OWNING_ROLES): the one rule for intake's --owner, assign
    and transfer."""
    member = get(conn, name, what)
    if member.role not in permissions.OWNING_ROLES:
        raise Refused(
            _("{name} is a {role} and does not own leads").format(name=member.name, role=member.role.word),
            _("name a consultant, telesales or direct-sales colleague"),
        )
    return member


ACTOR_SHOWN = 40  # characters of an unknown actor's text kept in a message or a denied event


def typed(text: str) -> str:
    """Text a person typed, fit for a message or an event: phone-like runs masked, at most ACTOR_SHOWN characters."""
    shown = phone.mask_in(text[:ACTOR_SHOWN * 5])
    return shown if len(shown) <= ACTOR_SHOWN else shown[:ACTOR_SHOWN - 1] + "…"


def _known(conn: sqlite3.Connection, now: datetime, actor: str, act: str) -> Staff:
    """The active staff member named `actor`, or a denial (audited) that names them masked and truncated."""
    staff = find(conn, actor)
    if staff is None or not staff.active:
        state = _("unknown") if staff is None else _("inactive")
        raise _denied(
            now,
            None,
            act,
            _("{state} staff member {typed!r} may not act").format(state=state, typed=typed(actor)),
            _("ask a manager to add you with `leadctl staff add`"),
            actor=typed(actor),
        )
    return staff


def identify(store: Store, now: datetime, actor: str | None) -> Staff | None:
    """Who is acting, when a name is given: an unknown or deactivated name is refused for every command (exit 77,
    audited). No name, or a store with no staff yet (the first `staff add`), identifies nobody."""
    if not actor:
        return None
    with store.read() as conn:
        if conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is None:
            return None
        return _known(conn, now, actor, "identify")


def authorize(conn: sqlite3.Connection, now: datetime, actor: str | None, act: str,
              lead_id: int | None = None) -> Staff:
    """The acting staff member, if the permission table lets them do `act` (on this lead); deny by default."""
    if not actor:
        raise _denied(now, None, act, _("{act} needs to know who is acting").format(act=_act(act)),
                      _("name yourself with --as NAME or the LEADCTL_USER variable"), actor=None)
    staff = _known(conn, now, actor, act)
    allowed = permissions.scope(act, staff.role)
    if allowed is None:
        raise _denied(
            now,
            staff.id,
            act,
            _("{name} ({role}) may not {act}").format(name=staff.name, role=staff.role.word, act=_act(act)),
            _("this is for: {join}").format(join=joined(Role(r).word for r in permissions.roles_for(act))),
        )
    if lead_id is not None:
        owner_id, pool = conn.execute("SELECT owner_id, pool FROM leads WHERE id = ?", (lead_id,)).fetchone()
        if not permissions.reaches(allowed, staff.id, owner_id, pool):
            raise _denied(
                now,
                staff.id,
                act,
                _("{name} may {act} only their own leads; lead {lead_id} is not").format(
                    name=staff.name, act=_act(act), lead_id=lead_id
                ),
                _("ask its owner or a manager"),
                lead_id=lead_id,
            )
    return staff


def _act(act: str) -> str:
    """What a permission lets a person do, as a refusal says it: the store's words under zh (reports/base.py
    LABELS), the permission's code under en."""
    from leadctl.i18n import zh

    if not zh():
        return act
    from leadctl.reports.base import LABELS

    return LABELS["permission"].get(act, act)


def _denied(now: datetime, actor_id: int | None, act: str, message: str, hint: str, **detail) -> PermissionDenied:
    error = PermissionDenied(message, hint)
    error.audit = (now, actor_id, "denied", {"act": act, **detail})
    return error


MAX_NAME = 40  # characters: a person's name as the staff list, due list and reports show it


def check_name(text: str | None) -> str:
    """A staff name as stored (surrounding spaces dropped), or BadInput: empty, too long, or holding a control
    character (a name is shown on one line of every listing)."""
    name = (text or "").strip()
    if not name:
        raise BadInput(_("a staff member needs a name"), _("give the name as the staff list should show it"))
    if len(name) > MAX_NAME:
        raise BadInput(
            _("a staff name of {len} characters; at most {MAX_NAME}").format(len=len(name), MAX_NAME=MAX_NAME),
            _("shorten the name"),
        )
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise BadInput(_("a staff name cannot hold control or invisible characters"), _("type the name again"))
    return name


def add(store: Store, now: datetime, actor: str | None, name: str, role: str, team: str | None = None) -> Staff:
    name = check_name(name)
    role_ = Role.parse(role)
    team_ = Team.parse(team) if team else None
    with store.write() as conn:
        bootstrap = conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 0
        if bootstrap:
            if role_ not in (Role.MANAGER, Role.ADMIN):
                raise Refused(_("the first staff member must be a manager or an admin"),
                              _("add yourself first with --role manager or --role admin"))
            by_id = None
        else:
            by_id = authorize(conn, now, actor, "staff.add").id
        if find(conn, name) is not None:
            raise Refused(
                _("a staff member named {name!r} already exists").format(name=name), _("staff names must be unique")
            )
        cur = conn.execute(
            "INSERT INTO staff (name, role, team, active, created_at) VALUES (?, ?, ?, 1, ?)",
            (name, role_.value, team_.value if team_ else None, now.isoformat()),
        )
        record(conn, now, by_id, "staff.add", staff_id=cur.lastrowid, role=role_.value,
               team=team_.value if team_ else None, bootstrap=bootstrap)
        return Staff(cur.lastrowid, name, role_, team_, True)


def listing(store: Store) -> list[dict]:
    with store.read() as conn:
        rows = conn.execute("SELECT id, name, role, team, active, created_at FROM staff ORDER BY id").fetchall()
    return [
        {"id": r[0], "name": r[1], "role": r[2], "team": r[3], "active": bool(r[4]), "created_at": r[5]}
        for r in rows
    ]


LAST_KEPT = (Role.ADMIN, Role.MANAGER)  # a store always keeps one active of each of these it has


def keeps_last(conn: sqlite3.Connection, leaver: Staff) -> None:
    """Refused when `leaver` is the last active admin (or manager): nobody could then add, bind or deactivate
    staff. Every change that takes a role away (deactivating, demoting) asks here first."""
    from leadctl.i18n import _

    if leaver.role not in LAST_KEPT:
        return
    others = conn.execute("SELECT count(*) FROM staff WHERE role = ? AND active = 1 AND id != ?",
                          (leaver.role.value, leaver.id)).fetchone()[0]
    if not others:
        raise Refused(_("{name} is the last active {role}").format(name=leaver.name, role=leaver.role.value),
                      _("add another {role} first").format(role=leaver.role.value))


def deactivate(store: Store, now: datetime, actor: str | None, name: str, to: str | None) -> dict:
    """A leaver: their open leads move to a colleague in one step, and they may no longer act."""
    from leadctl.services.leads import set_owner

    with store.write() as conn:
        who = authorize(conn, now, actor, "staff.deactivate")
        leaver = get(conn, name)
        keeps_last(conn, leaver)
        open_leads = [r[0] for r in conn.execute(
            "SELECT id FROM leads WHERE owner_id = ? AND status IN ('active', 'ordered') ORDER BY id", (leaver.id,))]
        heir = get(conn, to, N_("colleague")) if to else None
        if open_leads and heir is None:
            raise Refused(
                _("{name} owns {len} open lead(s)").format(name=leaver.name, len=len(open_leads)),
                _("name who takes them with --to STAFF"),
            )
        if heir is not None and (heir.id == leaver.id or heir.role not in permissions.OWNING_ROLES | {Role.MANAGER}):
            raise Refused(
                _("{name} ({role}) cannot take over leads").format(name=heir.name, role=heir.role.word),
                _("choose a salesperson or manager"),
            )
        for lead_id in open_leads:
            set_owner(conn, now, who.id, lead_id, heir.id, f"{leaver.name} left")
        if heir is not None:  # and the complaints they answer for
            conn.execute("UPDATE complaints SET responsible_id = ? WHERE responsible_id = ? AND status != 'resolved'",
                         (heir.id, leaver.id))
        conn.execute("UPDATE staff SET active = 0 WHERE id = ?", (leaver.id,))
        record(conn, now, who.id, "staff.deactivate", staff_id=leaver.id, to=heir.id if heir else None,
               leads=len(open_leads))
        return {"name": leaver.name, "active": False, "to": heir.name if heir else None, "moved": len(open_leads)}
