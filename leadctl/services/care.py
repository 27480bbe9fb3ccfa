"""Owner care (保有客户维系): the care contacts owed to delivered customers, for their consultant's due list, and the
recording of one made by a follow-up (`followup LEAD --care KIND`). The rules are in leadctl.rules.care.

A lead is an owner while its status is delivered (a re-purchase makes it a lead worked again until its next
delivery). Reads go through indexes: an owner's leads by `leads_owner_status`, their cards by `orders_lead`, the
contacts made by `care_contacts_once`.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from leadctl.errors import Refused
from leadctl.i18n import _
from leadctl.rules import care, reasons, visibility
from leadctl.rules.cadence import overdue_days
from leadctl.rules.policy import Policy
from leadctl.services import staff

# the day the owner's latest car was delivered
DELIVERED = ("(SELECT substr(max(c.delivered_at), 1, 10) FROM orders o JOIN retention_cards c ON c.order_id = o.id"
             " WHERE o.lead_id = {l}.id AND o.status = 'delivered')")
_OWNERS = (f"SELECT l.id, l.name, l.phone, l.grade, s.name, l.owner_id, l.pool, l.birthday, l.birthday_calendar,"
           f" {DELIVERED.format(l='l')} FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
           " WHERE l.status = 'delivered' AND {whose}")


def rules(policy: Policy) -> care.CareRules:
    return care.rules_of(policy.data)


def why(contact: care.Contact, delivered: date) -> reasons.Reason:
    """A care contact's reason (rules/reasons.py): its kind, the delivery day and the contact's detail."""
    return reasons.reason("owner_care", kind=contact.kind, delivered=delivered, **contact.detail)


def whose(owner_id: int | None, team: str | None) -> tuple[str, list]:
    """An SQL condition on leads `l` for one consultant's owners, a team's, or everyone's."""
    if owner_id is not None:
        return "l.owner_id = ?", [owner_id]
    if team:
        return "l.owner_id IN (SELECT id FROM staff WHERE team = ?)", [team]
    return "1", []


def owners(conn: sqlite3.Connection, where: str, args: list) -> list[tuple]:
    """(lead_id, name, phone, grade, owner, owner_id, pool, Owner) of the delivered leads `where` picks."""
    rows = conn.execute(_OWNERS.format(whose=where), args).fetchall()
    return [(*row[:7], care.Owner(row[0], date.fromisoformat(row[9]), row[7], row[8])) for row in rows if row[9]]


def reachable(conn: sqlite3.Connection, the_rules: care.CareRules, where: str, args: list, start: date,
              end: date, one_owner: bool = False) -> list[tuple]:
    """`owners`, only those who may owe a contact due from `start` to `end` (rules.care.reach), tested by the store
    on the delivery day and the birthday so the rules look at a few. Which owners are tested: one consultant's are
    read by `leads_owner_status`; for a team or the store, the indexes of migration 0022 pick the cards delivered
    since `keys.since` or on one of the days and the birthdays on one of the days (about a quarter of the base,
    where reading every owner's latest card took twice as long at 1M leads)."""
    keys = care.reach(the_rules, start, end)
    marks = {name: ",".join("?" * len(values)) or "NULL" for name, values in
             (("d", keys.delivered), ("s", keys.solar), ("l", keys.lunar), ("b", keys.solar | keys.lunar))}
    picked = ("SELECT o.lead_id FROM retention_cards c JOIN orders o ON o.id = c.order_id WHERE c.delivered_at >= ?"
              " UNION SELECT o.lead_id FROM retention_cards c JOIN orders o ON o.id = c.order_id"
              f" WHERE substr(c.delivered_at, 6, 5) IN ({marks['d']})"
              f" UNION SELECT id FROM leads WHERE status = 'delivered' AND substr(birthday, 6, 5) IN ({marks['b']})")
    source = "leads l" if one_owner else f"({picked}) p JOIN leads l ON l.id = p.lead_id"
    test = (f"(d >= ? OR substr(d, 6, 5) IN ({marks['d']})"
            f" OR (birthday_calendar = 'lunar' AND substr(birthday, 6, 5) IN ({marks['l']}))"
            f" OR (birthday_calendar = 'solar' AND substr(birthday, 6, 5) IN ({marks['s']})))")
    sql = (f"SELECT * FROM (SELECT l.id, l.name, l.phone, l.grade, s.name, l.owner_id, l.pool, l.birthday,"
           f" l.birthday_calendar, {DELIVERED.format(l='l')} AS d FROM {source}"
           f" LEFT JOIN staff s ON s.id = l.owner_id WHERE l.status = 'delivered' AND {where}) WHERE {test}")
    since, delivered = keys.since.isoformat(), sorted(keys.delivered)
    picks = [] if one_owner else [since, *delivered, *sorted(keys.solar | keys.lunar)]
    rows = conn.execute(sql, [*picks, *args, since, *delivered,
                              *sorted(keys.lunar), *sorted(keys.solar)]).fetchall()
    return [(*row[:7], care.Owner(row[0], date.fromisoformat(row[9]), row[7], row[8])) for row in rows if row[9]]


def made(conn: sqlite3.Connection, where: str, args: list, since: date | None = None) -> dict[int, set]:
    """lead_id -> {(kind, due_on)} of the care contacts made for the owners `where` picks (due on or after `since`)."""
    after, extra = (" AND cc.due_on >= ?", [since.isoformat()]) if since else ("", [])
    out: dict[int, set] = {}
    for lead_id, kind, due_on in conn.execute(
            f"SELECT cc.lead_id, cc.kind, cc.due_on FROM leads l JOIN care_contacts cc ON cc.lead_id = l.id"
            f" WHERE l.status = 'delivered' AND {where}{after}", [*args, *extra]):
        out.setdefault(lead_id, set()).add((kind, date.fromisoformat(due_on)))
    return out


def due_rows(conn: sqlite3.Connection, policy: Policy, on: date, viewer: staff.Staff, owner_id: int | None = None,
             team: str | None = None) -> list[dict]:
    """The due list's care rows: contacts owed on or before `on` (within the policy's window), not yet made, for
    the owners' consultants; earliest first."""
    the_rules = rules(policy)
    if not the_rules.kinds:
        return []
    where, args = whose(owner_id, team)
    since = on - timedelta(days=the_rules.window_days)
    done = made(conn, where, args, since)
    out = []
    for lead_id, name, phone, grade, owner, oid, pool, who in reachable(conn, the_rules, where, args, since, on,
                                                                              owner_id is not None):
        for contact in care.owed(the_rules, who, on, done.get(lead_id, set())):
            out.append({"lead_id": lead_id, "name": name, "phone": visibility.shown(viewer, phone, oid, pool),
                        "grade": grade, "owner": owner, "due_on": contact.due_on.isoformat(),
                        "overdue_days": overdue_days(contact.due_on, on),
                        **reasons.fields(why(contact, who.delivered_on)), "review": None, "care": contact.kind})
    return sorted(out, key=lambda r: (r["due_on"], r["lead_id"], care.KINDS.index(r["care"])))


def record(conn: sqlite3.Connection, policy: Policy, lead_id: int, kind: str, on: date, followup_id: int,
           score: int | None) -> dict:
    """Mark the care contact a follow-up made (see rules.care.to_record); refused when none of `kind` is owed."""
    found = owners(conn, "l.id = ?", [lead_id])
    if not found:
        raise Refused(_("lead {lead} is not a delivered customer: it is owed no care contact").format(lead=lead_id),
                      _("record the follow-up without --care"))
    who = found[0][-1]
    done = made(conn, "l.id = ?", [lead_id]).get(lead_id, set())
    contact = care.to_record(rules(policy), who, kind, on, done)
    if contact is None:
        raise Refused(_("no {kind} contact is owed to lead {lead} around {day}").format(kind=kind, lead=lead_id,
                                                                                      day=on.isoformat()),
                      _("see `leadctl owners card {lead}` for the contacts owed").format(lead=lead_id))
    conn.execute("INSERT INTO care_contacts (lead_id, kind, due_on, followup_id, score) VALUES (?,?,?,?,?)",
                 (lead_id, kind, contact.due_on.isoformat(), followup_id, score))
    return {"care": kind, "care_due_on": contact.due_on.isoformat(), "score": score}
