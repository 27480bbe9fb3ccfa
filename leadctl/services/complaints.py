"""Complaints (客户投诉) [001]: register, first reply, progress, escalation, resolution, satisfaction survey; and
each open complaint's next deadline in `due`, for the staff member responsible (and every manager).

Every act is one transaction that records who and when (`complaint_acts`), keeps the complaint's next deadline
(`next_deadline`, indexed for `due`) and appends its audit event, with ids and masked phones, never the
customer's words.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

from leadctl import i18n
from leadctl.errors import BadInput, NotFound, Refused, UsageError
from leadctl.i18n import N_, _
from leadctl.models import Role
from leadctl.rules import dates, deadlines, permissions, phone, reasons, visibility
from leadctl.rules.deadlines import ComplaintChannel, ComplaintKind
from leadctl.services import leads, policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store

COLUMNS = ("id", "received_at", "lead_id", "name", "phone", "channel", "kind", "department", "responsible", "level",
           "status", "breaches", "next", "summary")
_PROGRESS = ("(SELECT group_concat(a.at, ',') FROM complaint_acts a WHERE a.complaint_id = c.id"
             " AND a.act = 'progress') AS progress")
FACTS = f"c.channel, c.received_at, c.replied_at, c.contacted_at, {_PROGRESS}, c.resolved_at"
_CARD = f"""
    SELECT c.id, c.received_at, g.name AS registered_by, c.lead_id, coalesce(l.name, c.name) AS name,
           coalesce(l.phone, c.phone) AS phone, c.channel, c.kind, c.summary, c.department, r.name AS responsible,
           c.level, c.status, c.replied_at, c.reply, c.contacted_at, c.resolved_at, v.name AS resolved_by, c.valid,
           c.action, c.product_category, c.product_model, c.product_date, c.surveyed_at, s.name AS surveyed_by,
           c.score, c.survey_note, c.next_deadline, {_PROGRESS}, l.owner_id AS lead_owner_id, l.pool AS lead_pool,
           c.responsible_id AS responsible_id
    FROM complaints c LEFT JOIN leads l ON l.id = c.lead_id JOIN staff g ON g.id = c.registered_by
    JOIN staff r ON r.id = c.responsible_id LEFT JOIN staff v ON v.id = c.resolved_by
    LEFT JOIN staff s ON s.id = c.surveyed_by"""
_STATE = ("lead_id", "status", "kind", "replied_at", "level", "surveyed_at",
          "(SELECT max(a.at) FROM complaint_acts a WHERE a.complaint_id = c.id) AS last_at")


def text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _required(value: str | None, message: str, hint: str) -> str:
    """The text typed, or BadInput with `message` and `hint` (N_) in the run's language."""
    kept = text(value)
    if kept is None:
        raise BadInput(_(message), _(hint))
    return kept


def rules(conn: sqlite3.Connection) -> deadlines.Rules:
    return deadlines.rules_of(policy.current(conn).data.get("complaints"))


# -- writing ------------------------------------------------------------------------------------------------------
def new(store: Store, now: datetime, actor: str | None, customer: str | None, number: str | None, channel: str,
        kind: str, summary: str, department: str | None = None, name: str | None = None,
        to: str | None = None) -> dict:
    """Register a complaint from a lead (`customer`) or any phone; its deadlines start now. It goes to the person
    the registrar chooses (`to`, [001] 3.1: 选择负责人), else to the registrar when they handle complaints, else to
    their team's manager (handler())."""
    if bool(customer) == bool(number):
        said = _("name the customer once") if customer else _("name the customer who complains")
        raise UsageError(said, _("give --customer LEAD (a lead's id or phone) or --phone P"))
    channel_, kind_ = ComplaintChannel.parse(channel), ComplaintKind.parse(kind)
    summary_ = _required(summary, N_("a complaint needs its content"),
                         N_("say what the customer complains of with --summary"))
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "complaint.new")
        normal = phone.normalize(number, leads.region(conn)) if number else None
        lead_id = leads.find(conn, customer) if customer else _lead_of(conn, normal)
        responsible = _handling(conn, staff.get(conn, to, N_("colleague"))) if to else handler(conn, who)
        complaint_id = conn.execute(
            "INSERT INTO complaints (received_at, registered_by, lead_id, name, phone, channel, kind, summary,"
            " department, responsible_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (now.isoformat(), who.id, lead_id, None if lead_id else text(name), None if lead_id else normal,
             channel_.value, kind_.value, summary_, text(department), responsible.id)).lastrowid
        shown = normal or conn.execute("SELECT phone FROM leads WHERE id = ?", (lead_id,)).fetchone()[0]
        return _done(conn, now, who, complaint_id, lead_id, "new", channel=channel_.value, kind=kind_.value,
                     phone=phone.mask(shown), registering=True)


def handler(conn: sqlite3.Connection, registrar: staff.Staff) -> staff.Staff:
    """Who a complaint goes to when the registrar names no one: the registrar if they handle complaints, else the
    manager of their team (the store's first manager when the team has none); refused when the store has none."""
    if permissions.scope("complaint.handle", registrar.role) is not None:
        return registrar
    row = conn.execute("SELECT name FROM staff WHERE role = ? AND active ORDER BY team IS NOT ?, id LIMIT 1",
                       (Role.MANAGER.value, registrar.team.value if registrar.team else None)).fetchone()
    if row is None:
        raise Refused(_("nobody here handles complaints, and {name} may not").format(name=registrar.name),
                      _("give it to a colleague with --to NAME"))
    return staff.get(conn, row[0])


def _handling(conn: sqlite3.Connection, target: staff.Staff) -> staff.Staff:
    """`target`, when they may handle complaints (the one rule for `new --to` and `escalate --to`)."""
    if permissions.scope("complaint.handle", target.role) is None:
        raise Refused(
            _("{name} ({role}) does not handle complaints").format(name=target.name, role=target.role.word),
            _("give it to one of: {join}").format(join=i18n.choices(
                (r, Role.labels().get(r)) for r in permissions.roles_for("complaint.handle"))),
        )
    return target


def reply(store: Store, now: datetime, actor: str | None, complaint_id: int, answer: str,
          contacted: bool = False) -> dict:
    """The first reply (or, on site, the first plan) to the customer."""
    answer_ = _required(answer, N_("a reply needs its text"), N_("say what was answered with --text"))
    with store.write() as conn:
        who, c = _open(conn, now, actor, complaint_id, "replied to")
        if c["replied_at"]:
            raise Refused(
                _("complaint {complaint_id} has had its first reply ({value})").format(
                    complaint_id=complaint_id, value=c["replied_at"][:16]
                ),
                _("record what followed with `leadctl complaint progress`"),
            )
        conn.execute("UPDATE complaints SET replied_at = ?, reply = ?, contacted_at = coalesce(contacted_at, ?)"
                     " WHERE id = ?", (now.isoformat(), answer_, now.isoformat() if contacted else None, complaint_id))
        return _done(conn, now, who, complaint_id, c["lead_id"], "reply", answer_, contacted=contacted)


def progress(store: Store, now: datetime, actor: str | None, complaint_id: int, note: str,
             contacted: bool = False) -> dict:
    """A progress note; on a call-center ticket it starts the next progress window."""
    note_ = _required(note, N_("a progress note needs its text"), N_("say what happened with --note"))
    with store.write() as conn:
        who, c = _open(conn, now, actor, complaint_id, "updated")
        if contacted:
            conn.execute("UPDATE complaints SET contacted_at = coalesce(contacted_at, ?) WHERE id = ?",
                         (now.isoformat(), complaint_id))
        return _done(conn, now, who, complaint_id, c["lead_id"], "progress", note_, contacted=contacted)


def escalate(store: Store, now: datetime, actor: str | None, complaint_id: int, to: str,
             note: str | None = None) -> dict:
    """Hand the complaint up one level of the policy's list; the colleague named becomes responsible."""
    with store.write() as conn:
        who, c = _open(conn, now, actor, complaint_id, "escalated")
        target = _handling(conn, staff.get(conn, to, N_("colleague")))
        the_rules = rules(conn)
        level = deadlines.escalate(the_rules, c["level"])
        conn.execute("UPDATE complaints SET responsible_id = ?, level = ? WHERE id = ?",
                     (target.id, level, complaint_id))
        return _done(conn, now, who, complaint_id, c["lead_id"], "escalate", text(note), to_id=target.id,
                     level=the_rules.level_name(level))


def resolve(store: Store, now: datetime, actor: str | None, complaint_id: int, valid: bool | None, action: str,
            category: str | None = None, model: str | None = None, made: str | None = None) -> dict:
    """Close a complaint: valid (our fault) or not, what was done, and for a product its category, model, date."""
    if valid is None:
        raise UsageError(
            _("say whether the complaint was valid"), _("--valid (our fault) or --invalid (a misunderstanding)")
        )
    action_ = _required(action, N_("a resolution needs what was done"), N_("describe it with --action"))
    product = (text(category), text(model), _day(made, now.date()) if made else None)
    with store.write() as conn:
        who, c = _open(conn, now, actor, complaint_id, "resolved")
        if c["kind"] == ComplaintKind.PRODUCT and None in product:
            raise UsageError(
                _("complaint {complaint_id} is about a product: record which one").format(complaint_id=complaint_id),
                _("give --category, --model and --date (产品类别、型号、时间)"),
            )
        conn.execute("UPDATE complaints SET status = 'resolved', resolved_at = ?, resolved_by = ?, valid = ?,"
                     " action = ?, product_category = ?, product_model = ?, product_date = ?, next_deadline = NULL,"
                     " next_what = NULL WHERE id = ?",
                     (now.isoformat(), who.id, int(valid), action_, *product, complaint_id))
        return _done(conn, now, who, complaint_id, c["lead_id"], "resolve", action_, valid=valid)


def survey(store: Store, now: datetime, actor: str | None, complaint_id: int, score: int,
           note: str | None = None) -> dict:
    """Customer service's satisfaction survey (满意度) of a resolved complaint: once, a score of 1 to 5."""
    if not 1 <= score <= 5:
        raise BadInput(
            _("satisfaction score {score} is out of range").format(score=score),
            _("give 1 (very dissatisfied) to 5 (very happy)"),
        )
    with store.write() as conn:
        who, c = _load(conn, now, actor, complaint_id, "complaint.survey")
        if c["status"] != "resolved":
            raise Refused(
                _("complaint {complaint_id} is still open").format(complaint_id=complaint_id),
                _("satisfaction is surveyed once it is resolved"),
            )
        if c["surveyed_at"]:
            raise Refused(
                _("complaint {complaint_id} was surveyed on {value}").format(
                    complaint_id=complaint_id, value=c["surveyed_at"][:10]
                ),
                _("it is surveyed once"),
            )
        conn.execute("UPDATE complaints SET surveyed_at = ?, surveyed_by = ?, score = ?, survey_note = ? WHERE id = ?",
                     (now.isoformat(), who.id, score, text(note), complaint_id))
        return _done(conn, now, who, complaint_id, c["lead_id"], "survey", text(note), score=score)


def _lead_of(conn: sqlite3.Connection, number: str) -> int | None:
    row = conn.execute("SELECT coalesce(merged_into, id) FROM leads WHERE phone = ?", (number,)).fetchone()
    return row[0] if row else None


def _day(value: str, today: date) -> str:
    return dates.parse_day(value, "--date", today, dates.PAST).isoformat()


def _load(conn: sqlite3.Connection, now: datetime, actor: str | None, complaint_id: int, act: str) -> tuple:
    row = conn.execute(f"SELECT {', '.join(_STATE)} FROM complaints c WHERE id = ?", (complaint_id,)).fetchone()
    if row is None:
        raise NotFound(
            _("no complaint with id {complaint_id}").format(complaint_id=complaint_id),
            _("see `leadctl complaint list`"),
        )
    who = staff.authorize(conn, now, actor, act)
    c = dict(zip((*_STATE[:-1], "last_at"), row, strict=True))
    if now.isoformat() < c["last_at"]:
        raise BadInput(
            _("complaint {complaint_id} was last acted on at {value}, after {now:%Y-%m-%d %H:%M}").format(
                complaint_id=complaint_id, value=c["last_at"][:16], now=now
            ),
            _("acts are recorded in order: check --now / LEADCTL_NOW"),
        )
    return who, c


_CANNOT = {  # what a resolved complaint refuses, a whole sentence each
    "replied to": N_("complaint {complaint_id} is resolved; it cannot be replied to"),
    "updated": N_("complaint {complaint_id} is resolved; it cannot be updated"),
    "escalated": N_("complaint {complaint_id} is resolved; it cannot be escalated"),
    "resolved": N_("complaint {complaint_id} is resolved; it cannot be resolved again"),
}


def _open(conn: sqlite3.Connection, now: datetime, actor: str | None, complaint_id: int, doing: str) -> tuple:
    who, c = _load(conn, now, actor, complaint_id, "complaint.handle")
    if c["status"] != "open":
        raise Refused(
            _(_CANNOT.get(doing, N_("complaint {complaint_id} is resolved; it cannot be {doing}"))).format(
                complaint_id=complaint_id, doing=doing
            ),
            _("register a new complaint"),
        )
    return who, c


def _done(conn: sqlite3.Connection, now: datetime, who: staff.Staff, complaint_id: int, lead_id: int | None,
          act: str, words: str | None = None, contacted: bool = False, to_id: int | None = None,
          level: str | None = None, registering: bool = False, **detail) -> dict:
    """The act's record, the complaint's next deadline, the audit event; returns the complaint as `who` sees it
    (registering it, they see the phone they have just given)."""
    by_id = who.id
    conn.execute("INSERT INTO complaint_acts (complaint_id, at, by_id, act, text, contacted, to_id, level)"
                 " VALUES (?,?,?,?,?,?,?,?)", (complaint_id, now.isoformat(), by_id, act, words, int(contacted),
                                               to_id, level))
    replan(conn, rules(conn), complaint_id)
    extra = {"to": to_id, "level": level} if to_id else {}
    record(conn, now, by_id, f"complaint.{act}", lead_id, complaint_id=complaint_id, **extra, **detail)
    task = visibility.Task(visibility.REGISTER, who.id) if registering else None
    return _cards(conn, now, who, "c.id = ?", (complaint_id,), task)[0]


def replan(conn: sqlite3.Connection, the_rules: deadlines.Rules, complaint_id: int | None = None) -> int:
    """Store the next deadline owed of one open complaint (or of all, after a policy change); returns how many."""
    where, args = ("c.id = ?", (complaint_id,)) if complaint_id else ("c.status = 'open'", ())
    rows = conn.execute(f"SELECT c.id, {FACTS} FROM complaints c WHERE {where}", args).fetchall()
    for cid, *fact in rows:
        owed = deadlines.next_open(deadlines.deadlines(the_rules, deadlines.facts(*fact)))
        conn.execute("UPDATE complaints SET next_deadline = ?, next_what = ? WHERE id = ?",
                     (owed.due.isoformat() if owed else None, owed.what if owed else None, cid))
    return len(rows)


# -- reading ------------------------------------------------------------------------------------------------------
def _cards(conn: sqlite3.Connection, now: datetime, viewer: staff.Staff, where: str = "1", args: tuple = (),
           task: visibility.Task | None = None) -> list[dict]:
    the_rules = rules(conn)
    cur = conn.execute(f"{_CARD} WHERE {where} ORDER BY c.id", args)
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        card = dict(zip(names, row, strict=True))
        work = task or visibility.complaint_task(card["status"], card.pop("responsible_id"), card["surveyed_at"])
        card.pop("responsible_id", None)
        card["phone"] = visibility.shown(viewer, card["phone"], card.pop("lead_owner_id"), card.pop("lead_pool"), work)
        fact = deadlines.facts(*(card.pop(k) if k == "progress" else card[k] for k in (
            "channel", "received_at", "replied_at", "contacted_at", "progress", "resolved_at")))
        items = deadlines.deadlines(the_rules, fact)
        owed = deadlines.next_open(items)
        card.update(level=the_rules.level_name(card["level"]), breaches=deadlines.breaches(items, now),
                    valid=None if card["valid"] is None else bool(card["valid"]),
                    next=deadlines.owed(owed, now) if owed else None,
                    deadlines=[{"what": d.what, "due": d.due.isoformat(), "met": d.met.isoformat() if d.met else None,
                                "breached": d.breached(now)} for d in items])
        out.append(card)
    return out


def listing(store: Store, now: datetime, actor: str | None, open_only: bool = False) -> list[dict]:
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "complaint.list")
        cards = _cards(conn, now, who, "c.status = 'open'" if open_only else "1")
    return [{k: card[k] for k in COLUMNS} for card in cards]


def show(store: Store, now: datetime, actor: str | None, complaint_id: int) -> dict:
    """A complaint with its deadlines (met, owed, breached) and every act on it."""
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "complaint.show")
        cards = _cards(conn, now, who, "c.id = ?", (complaint_id,))
        if not cards:
            raise NotFound(
                _("no complaint with id {complaint_id}").format(complaint_id=complaint_id),
                _("see `leadctl complaint list`"),
            )
        cur = conn.execute(
            "SELECT a.at, a.act, s.name AS by, a.text, a.contacted, t.name AS to_staff, a.level FROM complaint_acts a"
            " JOIN staff s ON s.id = a.by_id LEFT JOIN staff t ON t.id = a.to_id WHERE a.complaint_id = ?"
            " ORDER BY a.at, a.id", (complaint_id,))
        acts = [dict(zip([d[0] for d in cur.description], row, strict=True)) for row in cur.fetchall()]
    return {**cards[0], "acts": [{**a, "contacted": bool(a["contacted"])} for a in acts]}


def due_rows(conn: sqlite3.Connection, now: datetime, on: date, viewer: staff.Staff, owner_id: int | None = None,
             team: str | None = None) -> list[dict]:
    """The due list's rows: open complaints whose next deadline falls on or before `on`, for whoever is responsible
    (one staff member, a team, or everyone), phones shown as `viewer` may see them."""
    the_rules = rules(conn)
    cutoff = datetime.combine(on + timedelta(days=1), deadlines.MIDNIGHT).isoformat()
    where, args = "c.next_deadline <= ?", [cutoff]
    if owner_id is not None:
        where, args = where + " AND c.responsible_id = ?", [*args, owner_id]
    elif team:
        where, args = where + " AND c.responsible_id IN (SELECT id FROM staff WHERE team = ?)", [*args, team]
    rows = conn.execute(
        "SELECT c.id, c.kind, c.lead_id, coalesce(l.name, c.name), coalesce(l.phone, c.phone), r.name, l.owner_id,"
        f" l.pool, c.responsible_id, {FACTS}"
        " FROM complaints c LEFT JOIN leads l ON l.id = c.lead_id JOIN staff r ON r.id = c.responsible_id"
        f" WHERE {where} ORDER BY c.next_deadline, c.id", args).fetchall()
    out = []
    for cid, kind, lead_id, name, number, owner, owner_id, pool, responsible_id, *fact in rows:
        owed = deadlines.next_open(deadlines.deadlines(the_rules, deadlines.facts(*fact)))
        if owed is None or deadlines.due_date(owed.due) > on:
            continue
        shown = visibility.shown(viewer, number, owner_id, pool, visibility.Task(visibility.HANDLE, responsible_id))
        out.append({"lead_id": lead_id, "name": name, "phone": shown, "grade": None, "owner": owner,
                    "due_on": deadlines.due_date(owed.due).isoformat(),
                    "overdue_days": deadlines.overdue_days(owed.due, now, on),
                    **reasons.fields(reasons.complaint(cid, kind, owed, now))})
    return out
