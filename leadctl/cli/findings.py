"""`check`'s findings as a person reads them: each kind under its title, each finding a sentence naming the lead,
its customer and the people concerned (the JSON keeps the codes, keys and ids)."""

from __future__ import annotations

import re
from collections.abc import Callable

from leadctl.cli import layout, output
from leadctl.i18n import N_, _, cjk_spaced, reworded

SHOWN = 10  # findings printed under each title; the count says how many there are

TITLES = {
    "integrity": N_("The file is damaged (SQLite's quick_check)"),
    "schema": N_("The schema differs from leadctl's"),
    "constraints": N_("Rows that break the schema's rules"),
    "audit_chain": N_("The audit trail is broken"),
    "no_next_due": N_("Leads without a next follow-up date"),
    "cadence_breaches": N_("Next follow-ups later than the policy allows"),
    "probable_duplicates": N_("Probable duplicate leads"),
    "phones_rejected": N_("Phone numbers today's rule refuses"),
    "orders_never_delivered": N_("Orders not delivered after {days} days"),
    "visits_without_consultant": N_("Visits without a consultant"),
    "collisions_left_open": N_("Collisions left open"),
    "holiday_calendar_unknown_years": N_("Years the statutory holiday calendar does not know"),
}

# the file's problems (store/verify.py, store/audit.py write them in English, as the JSON keeps them)
_KINDS = {"table": N_("table"), "index": N_("index"), "trigger": N_("trigger"), "view": N_("view")}
_PROBLEMS = (
    (re.compile(r"(?P<kind>\w+) (?P<name>\S+) is missing"), N_("{kind} {name} is missing")),
    (re.compile(r"(?P<kind>\w+) (?P<name>\S+) \(on (?P<table>\S+)\) is not part of leadctl's schema"),
     N_("{kind} {name} (on {table}) is not part of leadctl's schema")),
    (re.compile(r"(?P<kind>\w+) (?P<name>\S+) differs from leadctl's schema"),
     N_("{kind} {name} differs from leadctl's schema")),
    (re.compile(r"a row of (?P<name>\S+) breaks CHECK \((?P<check>.*)\)"),
     N_("a row of {name} breaks CHECK ({check})")),
    (re.compile(r"event (?P<event>\S+) missing: deleted from the audit trail"),
     N_("event {event} missing: deleted from the audit trail")),
    (re.compile(r"event (?P<event>\d+) \((?P<action>.+)\) does not match its hash: changed or forged"),
     N_("event {event} ({action}) does not match its hash: changed or forged")),
    (re.compile(r"event (?P<event>\d+) was blanked without a purge"), N_("event {event} was blanked without a purge")),
)
_REWRITTEN = N_("today's rule writes it differently")  # services/phone_check.py's problem, English in the JSON
_HOLIDAYS = re.compile(r"the statutory holiday calendar \((?P<source>.*)\) does not know (?P<years>[\d, ]+) yet: .*")


def problem(text: str) -> str:
    """A problem of the file (schema, CHECK, audit chain) in the run's language."""
    def kind(values: dict) -> None:
        if values.get("kind") in _KINDS:
            values["kind"] = _(_KINDS[values["kind"]])
    return reworded(_PROBLEMS, text, kind) or text


def holidays(text: str) -> str:
    """rules/deadlines.py's note of years the statutory calendar does not know, in the run's language."""
    found = _HOLIDAYS.fullmatch(text)
    if not found:
        return text
    return _("the statutory holiday calendar ({source}) does not know {years} yet: working days there count the"
             " weekend and the policy's holidays only; upgrade chinesecalendar when it is published").format(
        source=found["source"], years=found["years"])


def show(findings: dict, people: dict, today) -> None:
    """Every kind found, titled with its count, and its first SHOWN findings as sentences."""
    from leadctl.services.maintenance import ORDER_DELIVERY_DAYS

    totals = findings.get("totals", {})
    for key, items in findings.items():
        if key in ("ok", "totals", "cards_missing_required") or not items or key not in TITLES:
            continue
        title = _(TITLES[key]).format(days=ORDER_DELIVERY_DAYS)
        count = totals.get(key, len(items))
        output.say(_("{title}: {len}").format(title=title, len=count))
        line = _SENTENCES.get(key)
        for item in items[:SHOWN]:
            output.say("  " + cjk_spaced(line(item, people, today) if line else problem(str(item))))
        if count > SHOWN:
            output.say("  " + _("... and {count} more (--json lists them)").format(count=count - SHOWN))


def _lead(lead_id: int, people: dict) -> str:
    """`lead 806 (王芳, 李明)`: the lead, its customer and its owner."""
    name, owner = people.get("leads", {}).get(lead_id, (None, None))
    return _("lead {lead} ({name}, {owner})").format(lead=lead_id, name=name or _("(no name)"),
                                                     owner=owner or _("no owner"))


def _no_next_due(item, people, today) -> str:
    return _("{lead}: no next follow-up date; the policy gives {day}").format(
        lead=_lead(item["lead_id"], people), day=layout.moment(item["should_be"], today))


def _cadence(item, people, today) -> str:
    return _("{lead}: next follow-up {due}, later than the policy's {day}").format(
        lead=_lead(item["lead_id"], people), due=layout.moment(item["due"], today),
        day=layout.moment(item["should_be"], today))


def _duplicate(item, people, today) -> str:
    first, second = item["lead_ids"]
    return _("leads {first} and {second} may be one customer: {name}, {phones}").format(
        first=first, second=second, name=item["name"], phones=" / ".join(item["phones"]))


def _phone(item, people, today) -> str:
    problem = item["problem"]
    problem = _(_REWRITTEN) if problem == _REWRITTEN else problem
    if "lead_id" in item:
        return _("{lead}: phone {phone}: {problem}").format(lead=_lead(item["lead_id"], people), phone=item["phone"],
                                                            problem=problem)
    return _("complaint #{complaint}: phone {phone}: {problem}").format(
        complaint=item.get("complaint_id"), phone=item["phone"], problem=problem)


def _order(item, people, today) -> str:
    (by,) = people.get("orders", {}).get(item["order_id"], (None,))
    return _("order #{order} of {lead}, taken by {by} on {at}: not delivered").format(
        order=item["order_id"], lead=_lead(item["lead_id"], people), by=by or "-",
        at=layout.moment(item["ordered_at"], today))


def _visit(item, people, today) -> str:
    (by,) = people.get("visits", {}).get(item["visit_id"], (None,))
    return _("visit #{visit} of {lead} on {at}: no consultant recorded (registered by {by})").format(
        visit=item["visit_id"], lead=_lead(item["lead_id"], people), at=layout.moment(item["arrived_at"], today),
        by=by or "-")


def _collision(item, people, today) -> str:
    owner, claimant = people.get("collisions", {}).get(item["collision_id"], (None, None))
    return _("{lead}: collision #{collision} open since {at}, {claimant} against the owner {owner}").format(
        lead=_lead(item["lead_id"], people), collision=item["collision_id"],
        at=layout.moment(item["opened_at"], today), claimant=claimant or "-", owner=owner or _("no owner"))


def _year(item, people, today) -> str:
    return holidays(item["note"])


_SENTENCES: dict[str, Callable] = {
    "integrity": lambda item, people, today: _("SQLite says: {problem}").format(problem=item),
    "no_next_due": _no_next_due,
    "cadence_breaches": _cadence,
    "probable_duplicates": _duplicate,
    "phones_rejected": _phone,
    "orders_never_delivered": _order,
    "visits_without_consultant": _visit,
    "collisions_left_open": _collision,
    "holiday_calendar_unknown_years": _year,
}
