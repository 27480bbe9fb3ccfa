"""Correcting a visit or follow-up recorded by mistake: amended or voided (never deleted) by its author the same
day or by a manager, with a reason kept in the card's history; the lead's contact counts, last contact and due
date are recomputed from the rows that remain (reports read live_visits and live_followups, which leave voided
rows out)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

from leadctl.errors import BadInput, NotFound, PermissionDenied, Refused
from leadctl.i18n import _
from leadctl.models import Method
from leadctl.rules import dates, permissions
from leadctl.services import card, leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

# subject -> (table, author column, time column, act of the permission table)
SUBJECTS = {"visit": ("visits", "registered_by", "arrived_at", "visit.correct"),
            "followup": ("followups", "by_id", "at", "followup.correct")}


def _load(conn: sqlite3.Connection, now: datetime, actor: str | None, subject: str, row_id: int):
    table, author, when, act = SUBJECTS[subject]
    who = staff.authorize(conn, now, actor, act)
    row = conn.execute(f"SELECT lead_id, {author}, {when}, voided_at FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        raise NotFound(_("no {subject} with id {id}").format(subject=subject, id=row_id),
                       _("see the lead's card: `leadctl show LEAD`"))
    lead_id, author_id, at, voided = row
    if voided:
        raise Refused(_("{subject} {id} was voided on {at}").format(subject=subject, id=row_id, at=voided[:16]),
                      _("a voided record stays as it was"))
    if not permissions.may_correct(act, who.role, who.id, author_id, datetime.fromisoformat(at).date(), now.date()):
        raise PermissionDenied(_("{who} may not correct {subject} {id}").format(who=who.name, subject=subject,
                                                                              id=row_id),
                               _("its author corrects it the same day; a manager at any time"))
    return who, lead_id


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise BadInput(_("a correction needs its reason"), _("say why with --reason"))
    return text


def void(store: Store, now: datetime, actor: str | None, subject: str, row_id: int, reason: str) -> dict:
    why = _reason(reason)
    with store.write() as conn:
        who, lead_id = _load(conn, now, actor, subject, row_id)
        table = SUBJECTS[subject][0]
        conn.execute(f"UPDATE {table} SET voided_at = ? WHERE id = ?", (now.isoformat(), row_id))
        card.history(conn, now, who.id, lead_id, subject, row_id, "voided", None, now.isoformat(), why)
        next_due = recompute(conn, lead_id)
        record(conn, now, who.id, f"{subject}.void", lead_id, id=row_id)
        return {"subject": subject, "id": row_id, "lead_id": lead_id, "voided": True, "next_due": next_due}


def amend(store: Store, now: datetime, actor: str | None, subject: str, row_id: int, reason: str,
          changes: dict) -> dict:
    why = _reason(reason)
    values = _parse(subject, changes, now.date())
    if not values:
        raise BadInput(_("nothing to amend"), _("give the values to correct (see --help)"))
    with store.write() as conn:
        who, lead_id = _load(conn, now, actor, subject, row_id)
        table = SUBJECTS[subject][0]
        names = list(values)
        before = dict(zip(names, conn.execute(f"SELECT {', '.join(names)} FROM {table} WHERE id = ?",
                                              (row_id,)).fetchone(), strict=True))
        changed = [k for k in names if before[k] != values[k]]
        if changed:
            conn.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in changed)} WHERE id = ?",
                         [values[k] for k in changed] + [row_id])
        for key in changed:
            card.history(conn, now, who.id, lead_id, subject, row_id, key, before[key], values[key], why)
        next_due = recompute(conn, lead_id)
        record(conn, now, who.id, f"{subject}.amend", lead_id, id=row_id, fields=changed)
        return {"subject": subject, "id": row_id, "lead_id": lead_id, "changed": changed, "next_due": next_due}


def _parse(subject: str, changes: dict, today: date) -> dict:
    out: dict = {}
    for key, value in changes.items():
        if value is None:
            continue
        if key in ("arrived_at", "left_at", "at"):
            out[key] = dates.parse_moment(value, f"--{key.split('_')[0]}", today).isoformat()
        elif key == "next_on":
            out[key] = dates.parse_day(value, "--next", today).isoformat()
        elif key == "method":
            out[key] = Method.parse(value).value
        elif key == "result":
            if not str(value).strip():
                raise BadInput(_("a follow-up counts only with its result"), _("say what came of it with --result"))
            out[key] = str(value).strip()
        elif key == "party":
            if not 1 <= int(value) <= 999:
                raise BadInput(_("party of {n}").format(n=value), _("a batch (批次) has 1 to 999 people"))
            out[key] = int(value)
        elif key in ("test_drive", "trade_in"):
            out[key] = int(bool(value))
        else:
            out[key] = str(value).strip() or None
    return out


def recompute(conn: sqlite3.Connection, lead_id: int) -> str | None:
    """The lead's follow-up count, last contact and planned next contact from what remains, and its due date."""
    conn.execute("""UPDATE leads SET
        followup_count = (SELECT count(*) FROM live_followups WHERE lead_id = :id),
        last_contact_at = coalesce(max(coalesce((SELECT max(arrived_at) FROM live_visits WHERE lead_id = :id), ''),
                                       coalesce((SELECT max(at) FROM live_followups WHERE lead_id = :id), '')),
                                   created_at),
        planned_on = (SELECT next_on FROM live_followups WHERE lead_id = :id ORDER BY at DESC, id DESC LIMIT 1)
        WHERE id = :id""", {"id": lead_id})
    conn.execute("UPDATE leads SET last_contact_at = created_at WHERE id = ? AND last_contact_at = ''", (lead_id,))
    return leads.replan(conn, policy.current(conn), lead_id)
