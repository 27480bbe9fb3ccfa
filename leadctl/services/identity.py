"""Who is acting in the store service: OS accounts bound to staff, PINs, and the sessions of a shared desk.

The service learns the OS user from the socket (SO_PEERCRED); `acting` turns that uid and the name the client
gave (`--as`) into the one staff member who acts, or a refusal. The CLI's context calls it, and nothing else
decides who is acting.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from leadctl.errors import BadInput, NotFound, PermissionDenied, Refused
from leadctl.i18n import _
from leadctl.models import Role
from leadctl.services.staff import Staff, _denied, _known, authorize, find, get, typed
from leadctl.store.audit import record
from leadctl.store.db import Store

PIN_TRIES = 5  # wrong PINs in a row before the PIN locks
PIN_LOCK = timedelta(minutes=15)
PIN_LENGTH = (4, 12)
SHIFT_HOURS = 10  # a login's session, when the policy does not say ([staff] shift_hours)
CLOCK_SLACK = timedelta(minutes=5)  # a --now further than this from the service's clock needs an admin
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class Acting:
    """The staff member who acts, and what every event of the run records besides (who acts for whom)."""

    name: str | None
    stamp: dict


def os_uid(text: str) -> tuple[int, str | None]:
    """An OS account by login name or numeric uid -> (uid, login name when the system knows one)."""
    import pwd

    text = text.strip()
    if text.isdigit():
        uid = int(text)
        try:
            return uid, pwd.getpwuid(uid).pw_name
        except KeyError:
            return uid, None
    try:
        return pwd.getpwnam(text).pw_uid, text
    except KeyError:
        raise NotFound(_("no OS account named {name!r}").format(name=typed(text)),
                       _("give the login name, or the numeric uid (`id -u NAME`)")) from None


def bind(store: Store, now: datetime, actor: str | None, name: str, os_user: str) -> dict:
    """An OS account acts as this staff member (admin). Bound to several staff, it needs `leadctl login`."""
    uid, login = os_uid(os_user)
    with store.write() as conn:
        who = authorize(conn, now, actor, "staff.bind")
        staff = get(conn, name)
        if conn.execute("SELECT 1 FROM staff_os WHERE os_uid = ? AND staff_id = ?", (uid, staff.id)).fetchone():
            raise Refused(_("{name} is already bound to OS uid {uid}").format(name=staff.name, uid=uid),
                          _("see `leadctl staff list`"))
        conn.execute("INSERT INTO staff_os (os_uid, staff_id, os_name, bound_at) VALUES (?, ?, ?, ?)",
                     (uid, staff.id, login, now.isoformat()))
        shared = conn.execute("SELECT count(*) FROM staff_os WHERE os_uid = ?", (uid,)).fetchone()[0]
        record(conn, now, who.id, "staff.bind", staff_id=staff.id, os_uid=uid, os_name=login)
        return {"name": staff.name, "os_uid": uid, "os_name": login, "shared": shared > 1}


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, **_SCRYPT)


def check_pin(pin: str) -> str:
    pin = pin.strip()
    low, high = PIN_LENGTH
    if not (pin.isdigit() and pin.isascii() and low <= len(pin) <= high):
        raise BadInput(_("a PIN is {low} to {high} digits").format(low=low, high=high), _("type another PIN"))
    return pin


def set_pin(store: Store, now: datetime, actor: str | None, name: str | None, pin: str) -> dict:
    """A staff member's own PIN (or anyone's, by an admin): scrypt with a fresh salt; a lock is lifted."""
    salt = os.urandom(16)
    digest = _hash(pin.strip(), salt)  # outside the transaction: scrypt takes tens of milliseconds
    with store.write() as conn:
        if not actor:
            raise _denied(now, None, "staff.pin", _("setting a PIN needs to know who is acting"),
                          _("name yourself with --as NAME"))
        me = get(conn, actor)
        staff = get(conn, name) if name else me
        if staff.id != me.id:
            authorize(conn, now, actor, "staff.pin")
        check_pin(pin)
        conn.execute("INSERT OR REPLACE INTO staff_pins (staff_id, salt, hash, set_at, failures, locked_until)"
                     " VALUES (?, ?, ?, ?, 0, NULL)", (staff.id, salt, digest, now.isoformat()))
        record(conn, now, me.id, "staff.pin", staff_id=staff.id)
        return {"name": staff.name, "pin": "set"}


def _bound(conn: sqlite3.Connection, uid: int) -> list[Staff]:
    rows = conn.execute("SELECT s.id, s.name, s.role, s.team, s.active FROM staff_os b JOIN staff s ON s.id ="
                        " b.staff_id WHERE b.os_uid = ? AND s.active = 1 ORDER BY s.id", (uid,)).fetchall()
    return [Staff(r[0], r[1], Role(r[2]), None, True) for r in rows]


def shift(conn: sqlite3.Connection) -> timedelta:
    from leadctl.services.policy import current

    return timedelta(hours=current(conn).data.get("staff", {}).get("shift_hours", SHIFT_HOURS))


def login(store: Store, now: datetime, uid: int, name: str, pin: str) -> dict:
    """A shared desk account acts as `name` for a shift, once the PIN is right; wrong PINs count and lock."""
    with store.write() as conn:
        staff = find(conn, name)
        if staff is None or staff.id not in {s.id for s in _bound(conn, uid)}:
            raise _denied(now, None, "login", _("OS uid {uid} is not bound to {name!r}").format(
                uid=uid, name=typed(name)), _("ask an admin: `leadctl staff bind`"), os_uid=uid)
        row = conn.execute("SELECT salt, hash, failures, locked_until FROM staff_pins WHERE staff_id = ?",
                           (staff.id,)).fetchone()
        if row is None:
            raise Refused(_("{name} has no PIN yet").format(name=staff.name),
                          _("set one at your own login with `leadctl staff pin`, or ask an admin"))
        salt, digest, failures, locked = row
        if locked and now < datetime.fromisoformat(locked):
            raise _denied(now, staff.id, "login", _("{name}'s PIN is locked until {until}").format(
                name=staff.name, until=locked[11:16]), _("wait, or ask an admin to set a new PIN"), os_uid=uid)
        if not hmac.compare_digest(_hash(pin.strip(), salt), digest):
            failures += 1
            until = (now + PIN_LOCK).isoformat() if failures >= PIN_TRIES else None
            conn.execute("UPDATE staff_pins SET failures = ?, locked_until = ? WHERE staff_id = ?",
                         (0 if until else failures, until, staff.id))
            record(conn, now, staff.id, "login.failed", os_uid=uid, failures=failures, locked_until=until)
            wrong = PermissionDenied(_("wrong PIN for {name}").format(name=staff.name),
                                     _("the PIN locks for 15 minutes after {tries} wrong tries").format(
                                         tries=PIN_TRIES))
        else:
            wrong = None
            until = now + shift(conn)
            conn.execute("UPDATE staff_pins SET failures = 0, locked_until = NULL WHERE staff_id = ?", (staff.id,))
            conn.execute("INSERT OR REPLACE INTO staff_sessions (os_uid, staff_id, started_at, until)"
                         " VALUES (?, ?, ?, ?)", (uid, staff.id, now.isoformat(), until.isoformat()))
            record(conn, now, staff.id, "login", os_uid=uid, until=until.isoformat())
    if wrong is not None:  # raised after the commit: the count and its event stay
        raise wrong
    return {"name": staff.name, "until": until.isoformat()}


def _session(conn: sqlite3.Connection, uid: int, now: datetime, bound: list[Staff]) -> Staff | None:
    row = conn.execute("SELECT staff_id, until FROM staff_sessions WHERE os_uid = ?", (uid,)).fetchone()
    if row is None or now >= datetime.fromisoformat(row[1]):
        return None
    return next((s for s in bound if s.id == row[0]), None)


def acting(store: Store, now: datetime, wall: datetime, uid: int, declared: str | None, clock_given: bool,
           command: str = "") -> Acting:
    """The one rule of who acts in the store service, from the peer's uid:
    - an unbound uid acts as nobody and may do nothing (77);
    - a uid bound to one staff member acts as them; bound to several (a shared desk), as the one who logged in
      (`leadctl login`, for a shift), and `login` itself is open to it;
    - `--as` may name only that person, except for an admin, who acts for anyone ("admin X for Y");
    - a --now more than five minutes from the service's clock is an admin's only; the events record both.
    A refusal is audited at the service's clock, whatever time the client gave."""
    with store.read() as conn:
        bound = _bound(conn, uid)
        if not bound:
            raise _denied(wall, None, "identify", _("OS uid {uid} is not bound to a staff member").format(uid=uid),
                          _("ask an admin: `leadctl staff bind NAME --os-user {uid}`").format(uid=uid), os_uid=uid)
        if command == "login":  # a PIN's lock and a session's end are timed by the service's clock alone
            if clock_given:
                raise _denied(wall, None, "login", _("login takes no --now"), _("drop --now"), os_uid=uid)
            return Acting(None, {})
        me = bound[0] if len(bound) == 1 else _session(conn, uid, wall, bound)
        if me is None:
            raise _denied(wall, None, "identify", _("this OS account is shared by {count} staff members").format(
                count=len(bound)), _("sign in with `leadctl login NAME`"), os_uid=uid)
        stamp: dict = {}
        if declared and declared.strip() != me.name:
            if me.role is not Role.ADMIN:
                raise _denied(wall, me.id, "identify", _("{name} may act only as themselves").format(name=me.name),
                              _("drop --as, or sign in as that person"), actor=typed(declared))
            other = _known(conn, wall, declared, "identify")  # an unknown or inactive name is refused (77)
            stamp = {"admin": me.name, "for": other.name}
        if clock_given and abs(now - wall) > CLOCK_SLACK:
            if me.role is not Role.ADMIN:
                raise _denied(wall, me.id, "identify", _("--now {now} is more than 5 minutes from the store's"
                                                         " clock ({wall})").format(now=now, wall=wall),
                              _("only an admin may give another time; drop --now"))
            stamp["clock"] = wall.isoformat()
        return Acting(stamp.get("for", me.name), stamp)
