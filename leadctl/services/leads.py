"""Finding a lead, and keeping its next due date true to the policy after every change."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from leadctl.errors import BadInput, NotFound, Refused, StorageError
from leadctl.i18n import N_, _
from leadctl.models import Grade, LeadState, Status
from leadctl.rules import cadence, phone
from leadctl.rules.policy import Policy


def state_columns(alias: str = "leads") -> str:
    """The columns `state_of` reads, in a query on the leads table named `alias`: the lead's own, its open order's
    delivery day, its last reactivation, and the expected time of its latest invitation if that was a no-show."""
    a = alias
    return (f"{a}.grade, {a}.status, {a}.created_at, {a}.last_contact_at, {a}.followup_count, {a}.planned_on,"
            f" (SELECT delivery_on FROM orders WHERE lead_id = {a}.id AND status = 'open'),"
            f" (SELECT max(at) FROM statuses WHERE lead_id = {a}.id AND act = 'reactivate'),"
            f" (SELECT CASE status WHEN 'no-show' THEN expected_at END FROM invitations WHERE lead_id = {a}.id"
            " ORDER BY id DESC LIMIT 1)")


STATE_COLUMNS = state_columns()


def find(conn: sqlite3.Connection, ref: str | int) -> int:
    """A lead id from an id or a phone number in any format; NotFound otherwise."""
    text = str(ref).strip()
    if text.isdigit() and len(text) <= 9:
        if conn.execute("SELECT 1 FROM leads WHERE id = ?", (int(text),)).fetchone():
            return int(text)
        raise NotFound(_("no lead with id {text}").format(text=text), _("find it by phone, or see `leadctl due --all`"))
    try:
        number = phone.normalize(text, region(conn))
    except BadInput:
        raise BadInput(_("{mask_in!r} is neither a lead id nor a phone number").format(mask_in=phone.mask_in(text)),
                       _("give the lead's id or phone")) from None
    row = conn.execute("SELECT coalesce(merged_into, id) FROM leads WHERE phone = ?", (number,)).fetchone()
    if row is None:
        raise NotFound(
            _("no lead with phone {mask}").format(mask=phone.mask(number)), _("register it with `leadctl intake`")
        )
    return row[0]


def region(conn: sqlite3.Connection) -> str:
    """Where the store's customers dial from: numbers written without a country code are read there."""
    from leadctl.services import policy

    return policy.current(conn).phone_region


def state_of(row: tuple) -> LeadState:
    """A lead's stored state as the rules see it; a value no leadctl wrote means the file was damaged."""
    try:
        return _state(*row)
    except (ValueError, TypeError) as exc:
        raise StorageError(
            _("a lead holds a value leadctl never writes ({exc})").format(exc=exc),
            _("the file was changed outside leadctl: run `leadctl check`, or restore a backup"),
        ) from None


def _state(grade, status, created, last, count, planned, delivery=None, restarted=None, no_show=None) -> LeadState:
    return LeadState(
        grade=Grade(grade) if grade else None,
        status=Status(status),
        created_at=datetime.fromisoformat(created),
        last_contact_at=datetime.fromisoformat(last) if last else None,
        followup_count=count,
        planned_on=date.fromisoformat(planned) if planned else None,
        delivery_on=date.fromisoformat(delivery) if delivery else None,
        restarted_at=datetime.fromisoformat(restarted) if restarted else None,
        no_show_at=datetime.fromisoformat(no_show) if no_show else None,
    )


def load_state(conn: sqlite3.Connection, lead_id: int) -> LeadState:
    return state_of(conn.execute(f"SELECT {STATE_COLUMNS} FROM leads WHERE id = ?", (lead_id,)).fetchone())


def replan(conn: sqlite3.Connection, policy: Policy, lead_id: int) -> str | None:
    """Recompute and store the lead's next due date; returns it (ISO) or None."""
    due = cadence.next_due(policy, load_state(conn, lead_id))
    value = due.due_on.isoformat() if due else None
    conn.execute("UPDATE leads SET next_due = ? WHERE id = ?", (value, lead_id))
    return value


def replan_all(conn: sqlite3.Connection, policy: Policy) -> int:
    """Re-plan every active or ordered lead (after a policy change). Returns how many due dates moved."""
    rows = conn.execute(f"SELECT id, next_due, {STATE_COLUMNS} FROM leads WHERE status IN ('active', 'ordered')"
                        ).fetchall()
    changes = []
    for lead_id, old, *state in rows:
        due = cadence.next_due(policy, state_of(tuple(state)))
        new = due.due_on.isoformat() if due else None
        if new != old:
            changes.append((new, lead_id))
    conn.executemany("UPDATE leads SET next_due = ? WHERE id = ?", changes)
    return len(changes)


_CANNOT = {  # what require_active refuses, a whole sentence each
    "graded": N_("lead {lead_id} is {status}; it cannot be graded"),
    "invited": N_("lead {lead_id} is {status}; it cannot be invited"),
    "handed over": N_("lead {lead_id} is {status}; it cannot be handed over"),
}


def require_active(conn: sqlite3.Connection, lead_id: int, doing: str) -> None:
    status = conn.execute("SELECT status FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    if status != Status.ACTIVE:
        raise Refused(
            _(_CANNOT.get(doing, N_("lead {lead_id} is {status}; it cannot be {doing}"))).format(
                lead_id=lead_id, status=Status(status).word, doing=doing
            ),
            _("only active leads are worked"),
        )


def set_grade(conn: sqlite3.Connection, at: datetime, by_id: int | None, lead_id: int, grade: Grade,
              basis: str, reason: str | None = None, detail: str | None = None) -> str | None:
    """Give a lead a grade and keep the change in its history; returns the previous grade."""
    previous, number = conn.execute("SELECT grade, phone FROM leads WHERE id = ?", (lead_id,)).fetchone()
    if number is None and grade is not Grade.W:
        raise BadInput(
            _("lead {lead_id} left no phone (grade W, a visitor without details): it cannot be graded").format(
                lead_id=lead_id
            ),
            _("when the customer gives a phone, register it with `leadctl intake --phone`"),
        )
    conn.execute("UPDATE leads SET grade = ?, grade_basis = ? WHERE id = ?",
                 (grade.value, basis if basis != "workflow" else None, lead_id))
    conn.execute(
        "INSERT INTO grades (lead_id, at, by_id, grade, previous, basis, detail, reason) VALUES (?,?,?,?,?,?,?,?)",
        (lead_id, at.isoformat(), by_id, grade.value, previous, basis, detail, reason),
    )
    return previous


def set_owner(conn: sqlite3.Connection, at: datetime, by_id: int | None, lead_id: int, to_id: int | None,
              reason: str, rule: str | None = None, pool: str | None = None) -> None:
    """Hand a lead to a new owner (or, with to_id None, to a pool), keeping the owner history."""
    from_id = conn.execute("SELECT owner_id FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    conn.execute("UPDATE leads SET owner_id = ?, pool = ? WHERE id = ?", (to_id, pool, lead_id))
    conn.execute("INSERT INTO owners (lead_id, at, by_id, from_id, to_id, reason, rule) VALUES (?,?,?,?,?,?,?)",
                 (lead_id, at.isoformat(), by_id, from_id, to_id, reason, rule))


def set_status(conn: sqlite3.Connection, at: datetime, by_id: int | None, lead_id: int, status: Status, act: str,
               **refs: int | str | None) -> str:
    """Move a lead to `status` and keep the change in its status history; returns the previous status.

    `refs` are the history's optional columns: attempts, reason, defeat_id, order_id.
    """
    previous = conn.execute("SELECT status FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
    conn.execute("UPDATE leads SET status = ? WHERE id = ?", (status.value, lead_id))
    conn.execute(
        "INSERT INTO statuses (lead_id, at, by_id, status, previous, act, attempts, reason, defeat_id, order_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        (lead_id, at.isoformat(), by_id, status.value, previous, act, refs.get("attempts"), refs.get("reason"),
         refs.get("defeat_id"), refs.get("order_id")),
    )
    return previous


EVENT_WORDS = {"grade": N_("grading"), "follow-up": N_("follow-up")}  # what happened at an --at, in a message


def event_time(conn: sqlite3.Connection, lead_id: int, now: datetime, at: datetime | None, what: str) -> datetime:
    """When a follow-up or a grade (`what`: EVENT_WORDS) happened: now, or --at, never after now nor before the
    lead was registered."""
    when, said = at or now, _(EVENT_WORDS[what])
    if when > now:
        raise BadInput(
            _("{what} time {when:%Y-%m-%d %H:%M} is after now").format(what=said, when=when),
            _("record only what has happened: check --at (or --now)"),
        )
    created = datetime.fromisoformat(conn.execute("SELECT created_at FROM leads WHERE id = ?",
                                                  (lead_id,)).fetchone()[0])
    if when < created:
        raise BadInput(
            _("{what} time {when:%Y-%m-%d %H:%M} is before the lead was registered ({created:%Y-%m-%d %H:%M})")
            .format(what=said, when=when, created=created),
            _("check --at (or --now)"),
        )
    return when
