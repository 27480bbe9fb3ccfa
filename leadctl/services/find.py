"""Finding a customer the way the front desk asks (a name in 汉字, pinyin or initials; 尾号8000; a full phone; a
plate or VIN; words of a follow-up or the card), ranked, each hit saying why it matched; and the working list of
leads (`leads`), filtered and sorted on indexed columns."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

from leadctl.errors import BadInput, UsageError
from leadctl.i18n import _, joined
from leadctl.models import Channel, Grade, Status, Team
from leadctl.rules import dates, phone, visibility
from leadctl.rules import pinyin as pinyin_rules
from leadctl.services import leads as lead_service
from leadctl.services import staff
from leadctl.store import search
from leadctl.store.db import Store

MAX_LIMIT = 1000
_CJK = re.compile(r"[\u3400-\u9fff]")
_LEAD = ("SELECT l.id, coalesce(l.merged_into, l.id), l.name, l.phone, s.name, l.grade, l.status, l.owner_id, l.pool,"
         " l.last_contact_at FROM leads l LEFT JOIN staff s ON s.id = l.owner_id WHERE l.id IN ({ids})")


def refresh(store: Store) -> None:
    """Index what changed since the last search (a few rows, usually none)."""
    with store.read() as conn:
        if not search.pending(conn):
            return
    with store.write() as conn:
        search.refresh(conn, pinyin_rules.keys)


def find(store: Store, now: datetime, actor: str | None, text: str, limit: int = 20) -> list[dict]:
    query = (text or "").strip()
    if not query:
        raise BadInput(_("nothing to find"), _("give a name, a phone, its last four digits, a plate or words"))
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(_("--limit {n} is out of range").format(n=limit), _("give 1 to {top}").format(top=MAX_LIMIT))
    refresh(store)
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "find")
        scores: dict[int, tuple[int, list[str]]] = {}
        for lead_id, score, why in _matches(conn, query, limit):
            best, reasons = scores.get(lead_id, (0, []))
            if why not in reasons:
                reasons.append(why)
            scores[lead_id] = (max(best, score), reasons)
        return _hits(conn, who, scores, limit)


def _matches(conn: sqlite3.Connection, query: str, limit: int):
    digits = re.sub(r"[\s\-()+]", "", query)
    cap = max(limit * 5, 50)
    if digits.isdigit():
        if len(digits) == 4:
            for (i,) in conn.execute("SELECT id FROM leads WHERE substr(phone, -4) = ? AND phone IS NOT NULL"
                                     " LIMIT ?", (digits, cap)):
                yield i, 70, _("phone ends {tail}").format(tail=digits)
        else:
            try:
                number = phone.normalize(query, lead_service.region(conn))
            except BadInput:
                number = None
            for (i,) in conn.execute("SELECT id FROM leads WHERE phone = ? OR phone = ?", (number, digits)):
                yield i, 100, _("phone")
    upper = query.upper().replace(" ", "")
    for (i,) in conn.execute("SELECT o.lead_id FROM retention_cards c JOIN orders o ON o.id = c.order_id"
                             " WHERE c.plate = ?", (upper,)):
        yield i, 95, _("plate")
    for (i,) in conn.execute("SELECT lead_id FROM orders WHERE vin = ?", (upper,)):
        yield i, 95, _("VIN")
    if _CJK.search(query):
        for (i,) in conn.execute("SELECT id FROM leads WHERE name = ?", (query,)):
            yield i, 90, _("name")
        for (i,) in conn.execute("SELECT id FROM leads WHERE name > ? AND name < ? LIMIT ?",
                                 (query, query + "\U0010ffff", cap)):
            yield i, 60, _("name starts with {text}").format(text=query)
    keyed = pinyin_rules.query(query)
    if keyed and keyed.isascii() and keyed.isalpha():
        for (i,) in conn.execute("SELECT lead_id FROM name_keys WHERE pinyin = ? LIMIT ?", (keyed, cap)):
            yield i, 85, _("name in pinyin")
        for (i,) in conn.execute("SELECT lead_id FROM name_keys WHERE initials = ? LIMIT ?", (keyed, cap)):
            yield i, 75, _("name's initials")
        for (i,) in conn.execute("SELECT lead_id FROM name_keys WHERE pinyin > ? AND pinyin < ? LIMIT ?",
                                 (keyed, keyed + "~", cap)):
            yield i, 55, _("name in pinyin starts with {text}").format(text=keyed)
    yield from _words(conn, query, cap)


def _words(conn: sqlite3.Connection, query: str, cap: int):
    """Words of the name, the card's notes and follow-up results, through the index (newest first)."""
    words = search.phrase(query)
    if words == '""':
        return
    if _CJK.search(query):
        for (i,) in conn.execute("SELECT rowid FROM search_leads WHERE search_leads MATCH ? ORDER BY rowid DESC"
                                 " LIMIT ?", ("name : " + words, cap)):
            yield i, 50, _("name holds {text}").format(text=query)
    for (i,) in conn.execute("SELECT rowid FROM search_leads WHERE search_leads MATCH ? ORDER BY rowid DESC LIMIT ?",
                             ("card : " + words, cap)):
        yield i, 40, _("card notes")
    for lead_id, followup_id in conn.execute(
            "SELECT f.lead_id, f.id FROM search_followups s JOIN followups f ON f.id = s.rowid"
            " WHERE search_followups MATCH ? ORDER BY s.rowid DESC LIMIT ?", (words, cap)):
        yield lead_id, 30, _("follow-up {id}").format(id=followup_id)


def _hits(conn: sqlite3.Connection, who, scores: dict, limit: int) -> list[dict]:
    ids = list(scores)
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows += conn.execute(_LEAD.format(ids=",".join("?" * len(chunk))), chunk).fetchall()
    out: dict[int, dict] = {}
    for matched_id, lead_id, name, number, owner, grade, status, owner_id, pool, last in rows:
        if number and number.startswith("purged:"):
            continue
        score, why = scores[matched_id]
        hit = out.get(lead_id)
        if hit is None or hit["score"] < score:
            out[lead_id] = {"lead_id": lead_id, "name": name, "phone": visibility.shown(who, number, owner_id, pool),
                            "owner": owner, "grade": grade, "status": status, "matched": why, "score": score,
                            "last_contact_at": last}
    ranked = sorted(out.values(), key=lambda h: (-h["score"], h["status"] != "active", _later(h["last_contact_at"])))
    return ranked[:limit]


def _later(at: str | None) -> str:
    """Later contacts first, in an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in (at or ""))


# --sort FIELD -> ORDER BY (each on an index: leads_next_due, leads_created, leads_last_contact, leads_grade_contact,
# leads_name)
SORTS = {"due": "l.next_due IS NULL, l.next_due, l.id", "created": "l.created_at DESC, l.id DESC",
         "last-contact": "l.last_contact_at DESC, l.id DESC", "grade": "l.grade, l.last_contact_at, l.id",
         "name": "l.name, l.id"}


def leads(store: Store, now: datetime, actor: str | None, filters: dict, sort: str = "due",
          limit: int = 500) -> list[dict]:
    """The working list: whose leads (an owner, a team, the DCC pool; by default the actor's own), filtered."""
    if sort not in SORTS:
        raise UsageError(_("unknown sort {sort!r}").format(sort=sort), _("sort by one of: {names}").format(
            names=joined(SORTS)))
    if not 1 <= limit <= 100_000:
        raise UsageError(_("--limit {n} is out of range").format(n=limit), _("give 1 to 100000"))
    if sum(bool(filters.get(k)) for k in ("owner", "team", "pool")) > 1:
        raise UsageError(_("choose one of --owner, --team and --pool"), _("a list is one person's, team's or pool's"))
    with store.read() as conn:
        who = staff.authorize(conn, now, actor, "leads")
        clauses, args = ["l.merged_into IS NULL", "l.phone NOT LIKE 'purged:%'"], []
        if filters.get("pool"):
            clauses.append("l.owner_id IS NULL AND l.pool = 'dcc'")
        elif filters.get("team"):
            clauses.append("l.owner_id IN (SELECT id FROM staff WHERE team = ?)")
            args.append(Team.parse(filters["team"]).value)
        else:
            clauses.append("l.owner_id = ?")
            args.append(staff.get(conn, filters["owner"]).id if filters.get("owner") else who.id)
        grades = [Grade.parse(g).value for g in filters.get("grade") or []]
        if grades:
            clauses.append(f"l.grade IN ({','.join('?' * len(grades))})")
            args += grades
        clauses.append("l.status = ?")
        args.append(Status.parse(filters.get("status") or "active").value)
        if filters.get("model"):
            clauses.append("l.model = ?")
            args.append(filters["model"].strip())
        if filters.get("channel"):
            clauses.append("l.channel = ?")
            args.append(Channel.parse(filters["channel"]).value)
        if filters.get("since"):
            clauses.append("l.created_at >= ?")
            args.append(dates.parse_day(filters["since"], "--since", now.date(), dates.PAST).isoformat())
        rows = conn.execute(
            "SELECT l.id, l.name, l.phone, l.grade, l.status, s.name, l.model, l.channel, l.created_at,"
            " l.last_contact_at, l.next_due, l.owner_id, l.pool FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
            f" WHERE {' AND '.join(clauses)} ORDER BY {SORTS[sort]} LIMIT ?", [*args, limit]).fetchall()
    keys = ("lead_id", "name", "phone", "grade", "status", "owner", "model", "channel", "created_at",
            "last_contact_at", "next_due")
    return visibility.shown_rows(who, keys, rows)


