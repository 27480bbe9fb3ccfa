"""The forms that supervise the work: the salesperson's weekly plan and summary (周计划/周总结) with the week's
figures filled in, the manager's signature [003]; customer service's check of new entries (客服部检核反馈表)
[004]: a weekly sample of new cards, per-field true/false and a note, a failed card back to its owner as a due row.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from datetime import datetime, timedelta

from leadctl.errors import BadInput, NotFound, Refused
from leadctl.i18n import _
from leadctl.planning import history, measures, year
from leadctl.reports.base import Context, Period, Scope, week_of, word
from leadctl.rules import visibility
from leadctl.rules.planning import week_form
from leadctl.services import policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store


def _kind(text: str) -> str:
    kind = week_form(text)
    if kind is None:
        raise BadInput(_("unknown form {kind!r}").format(kind=text), _("plan or summary"))
    return kind


def shown(kind: str) -> str:
    """A weekly form as a sentence names it: 周计划 / 周总结 under zh, `weekly plan` under en."""
    return word("week_form", kind)


def week_label(period: Period) -> str:
    iso = period.start.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def _week(text: str | None, now: datetime) -> Period:
    if text:
        return week_of(text)
    monday = now.date() - timedelta(days=now.date().weekday())
    return Period(monday, monday + timedelta(days=6))


def _context(conn, now, who, period: Period) -> Context:
    return Context(conn, period, Scope(), now, policy.current(conn), who)


def _numbers(text: str | None) -> str | None:
    """--numbers leads=20,orders=3: the person's own planned figures, whole numbers."""
    if not text:
        return None
    out = {}
    for part in (p for p in text.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        if not (sep and key.strip() and value.strip().isdigit()):
            raise BadInput(_("cannot read --numbers {part!r}").format(part=part),
                           _("write NAME=N pairs, e.g. leads=20,orders=3"))
        out[key.strip()] = int(value)
    return json.dumps(out, ensure_ascii=False)


def submit(store: Store, now: datetime, actor: str | None, kind: str, body: str, week: str | None = None,
           numbers: str | None = None) -> dict:
    """A weekly plan or summary: the text, the person's numbers, and the week's figures filled in (a plan: the
    week's share of the month's targets; a summary: what was done). Re-submitted until the manager signs it."""
    kind = _kind(kind)
    text = (body or "").strip()
    if not text:
        raise BadInput(_("a {kind} needs its text").format(kind=shown(kind)), _("write it with --text"))
    period, typed = _week(week, now), _numbers(numbers)
    label = week_label(period)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "week.form")
        ctx = _context(conn, now, who, period)
        figures = measures.figures(ctx, period, Scope((who.id,), who.name)) if kind == "summary" else \
            _planned(conn, who.id, period)
        old = history.one(conn, "SELECT id, signed_at FROM week_forms WHERE staff_id = ? AND week = ? AND kind = ?",
                          (who.id, label, kind))
        if old and old["signed_at"]:
            raise Refused(_("the {kind} of {week} is signed").format(kind=shown(kind), week=label),
                          _("a signed form is kept as it is"))
        conn.execute("DELETE FROM week_forms WHERE id = ?", (old["id"],)) if old else None
        conn.execute("INSERT INTO week_forms (staff_id, week, kind, at, body, numbers, figures) VALUES (?,?,?,?,?,?,?)",
                     (who.id, label, kind, now.isoformat(), text, typed, json.dumps(figures)))
        record(conn, now, who.id, f"week.{kind}", None, week=label, replaced=bool(old), **figures)
    return {"staff": who.name, "week": label, "kind": kind, "numbers": json.loads(typed) if typed else None,
            **figures}


def _planned(conn: sqlite3.Connection, staff_id: int, period: Period) -> dict[str, int]:
    """A plan's figures: the person's month targets prorated to the days of the week in the month."""
    label = history.month_text(period.start)
    cell = history.one(conn, "SELECT c.orders, c.leads, c.new_ha FROM month_cells c JOIN month_plans m ON m.id ="
                             " c.month_plan_id WHERE m.month = ? AND c.dimension = 'person' AND c.staff_id = ? ORDER"
                             " BY m.version DESC LIMIT 1", (label, staff_id))
    days = (history.add_months(period.start.replace(day=1), 1) - period.start.replace(day=1)).days
    share = sum(1 for d in period.days() if history.month_text(d) == label) / days
    return {k: round((cell or {}).get(k) * share) if cell and cell.get(k) is not None else 0
            for k in ("orders", "leads", "new_ha")}


def sign(store: Store, now: datetime, actor: str | None, person: str, week: str | None, kind: str) -> dict:
    """The manager signs a salesperson's weekly plan or summary."""
    kind = _kind(kind)
    label = week_label(_week(week, now))
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "week.sign")
        target = staff.get(conn, person)
        form = history.one(conn, "SELECT id, signed_at FROM week_forms WHERE staff_id = ? AND week = ? AND kind = ?",
                           (target.id, label, kind))
        if form is None:
            raise NotFound(_("{name} has no {kind} for {week}").format(name=target.name, kind=shown(kind),
                                                                              week=label),
                           _("see `leadctl report week --week {week}`").format(week=label))
        if form["signed_at"]:
            raise Refused(_("the {kind} of {week} is signed").format(kind=shown(kind), week=label),
                          _("it is signed once"))
        conn.execute("UPDATE week_forms SET signed_at = ?, signed_by = ? WHERE id = ?",
                     (now.isoformat(), who.id, form["id"]))
        record(conn, now, who.id, "week.sign", None, week=label, kind=kind, staff=target.id)
    return {"staff": target.name, "week": label, "kind": kind, "signed_by": who.name, "signed_at": now.isoformat()}


# -- customer service's checks ---------------------------------------------------------------------------------------
def _order(lead_id: int, week: str) -> str:
    return hashlib.sha256(f"{week}:{lead_id}".encode()).hexdigest()


def sample(store: Store, now: datetime, actor: str | None, week: str | None = None) -> dict:
    """Queue a sample of the week's new cards for customer service (planning.check_count a week, or
    check_share of them): the same week always picks the same cards; a card is queued once a week."""
    period = _week(week, now)
    label = week_label(period)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "checks.sample")
        conf = year.settings(conn)
        new = [r[0] for r in conn.execute(
            "SELECT id FROM leads WHERE created_at >= ? AND created_at < ? AND phone IS NOT NULL AND"
            " merged_into IS NULL AND id NOT IN (SELECT lead_id FROM entry_checks WHERE week = ?)",
            (period.lo, period.hi, label))]
        queued = conn.execute("SELECT count(*) FROM entry_checks WHERE week = ?", (label,)).fetchone()[0]
        total = len(new) + queued
        want = conf["check_count"] or math.ceil(total * conf["check_share"])
        picked = sorted(new, key=lambda i: _order(i, label))[:max(0, want - queued)]
        conn.executemany("INSERT INTO entry_checks (lead_id, owner_id, week, queued_at, queued_by) SELECT id,"
                         " owner_id, ?, ?, ? FROM leads WHERE id = ?",
                         [(label, now.isoformat(), who.id, i) for i in picked])
        record(conn, now, who.id, "checks.sample", None, week=label, new_cards=total, queued=len(picked))
    return {"week": label, "new_cards": total, "queued": len(picked), "already": queued, "lead_ids": sorted(picked)}


def check(store: Store, now: datetime, actor: str | None, check_id: int, fields: list[str],
          note: str | None = None) -> dict:
    """Record a check: --field NAME=true|false for each field checked, a note; a failure goes back to the owner."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "checks.record")
        conf = year.settings(conn)
        row = history.one(conn, "SELECT * FROM entry_checks WHERE id = ?", (check_id,))
        if row is None:
            raise NotFound(_("no check {id}").format(id=check_id), _("see `leadctl checks list`"))
        if row["checked_at"]:
            raise Refused(_("check {id} was recorded on {day}").format(id=check_id, day=row["checked_at"][:10]),
                          _("a check is recorded once"))
        verdicts = _verdicts(fields, conf["check_fields"])
        passed = all(verdicts.values())
        conn.execute("UPDATE entry_checks SET checked_at = ?, checked_by = ?, passed = ?, note = ? WHERE id = ?",
                     (now.isoformat(), who.id, int(passed), (note or "").strip() or None, check_id))
        conn.executemany("INSERT INTO entry_check_fields (check_id, field, ok) VALUES (?,?,?)",
                         [(check_id, f, int(ok)) for f, ok in verdicts.items()])
        record(conn, now, who.id, "checks.record", row["lead_id"], check=check_id, passed=passed,
               wrong=[f for f, ok in verdicts.items() if not ok])
    return {"id": check_id, "lead_id": row["lead_id"], "passed": passed, "fields": verdicts}


def _verdicts(fields: list[str], known: list[str]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    words = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
    for item in fields or ():
        name, sep, value = item.partition("=")
        if not sep or name.strip() not in known or value.strip().lower() not in words:
            raise BadInput(_("cannot read --field {item!r}").format(item=item),
                           _("write FIELD=true|false, the field one of {known}").format(known=", ".join(known)))
        out[name.strip()] = words[value.strip().lower()]
    if not out:
        raise BadInput(_("a check records at least one field"), _("give --field FIELD=true|false"))
    return out


def correct(store: Store, now: datetime, actor: str | None, check_id: int) -> dict:
    """The owner has corrected the card a check failed: off their due list."""
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "checks.correct")
        row = history.one(conn, "SELECT * FROM entry_checks WHERE id = ?", (check_id,))
        if row is None or row["passed"] != 0 or row["corrected_at"]:
            raise Refused(_("check {id} has nothing to correct").format(id=check_id),
                          _("see `leadctl checks list --open`"))
        if who.role != "manager" and row["owner_id"] != who.id:
            raise Refused(_("the card of check {id} is not yours").format(id=check_id), _("its owner corrects it"))
        conn.execute("UPDATE entry_checks SET corrected_at = ? WHERE id = ?", (now.isoformat(), check_id))
        record(conn, now, who.id, "checks.correct", row["lead_id"], check=check_id)
    return {"id": check_id, "lead_id": row["lead_id"], "corrected_at": now.isoformat()}


LIST_COLUMNS = ("id", "week", "lead_id", "name", "phone", "owner", "queued_at", "checked_at", "passed", "wrong",
                "note", "corrected_at")


def listing(store: Store, now: datetime, actor: str | None, open_only: bool = False) -> list[dict]:
    """The checks, newest week first: queued (to call), failed (to correct) or done."""
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "report")
        rows = history.rows(conn, f"""
            SELECT c.id, c.week, c.lead_id, l.name, l.phone, s.name AS owner, c.queued_at, c.checked_at, c.passed,
                   (SELECT group_concat(x.field, ',') FROM entry_check_fields x WHERE x.check_id = c.id AND NOT x.ok)
                   AS wrong, c.note, c.corrected_at, l.owner_id, l.pool
            FROM entry_checks c JOIN leads l ON l.id = c.lead_id LEFT JOIN staff s ON s.id = c.owner_id
            WHERE {"(c.checked_at IS NULL OR (c.passed = 0 AND c.corrected_at IS NULL))" if open_only else "1"}
            ORDER BY c.week DESC, c.id""")
    for row in rows:
        row["phone"] = visibility.shown(who, row["phone"], row.pop("owner_id"), row.pop("pool"))
    return rows

