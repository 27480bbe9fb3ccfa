"""How a working list fits a terminal: what each column holds, how its values read, which columns go first when
the screen is narrow. Pure (no rich, no database): cli/output.py draws the table.

Every list is fitted the same way, by the keys of its columns (the JSON keys):
- A value that must never break (an id, a phone number, a date or time, a person's name, a grade, a code shown as
  a word, a number) keeps its whole width; free text (a reason, a note, a summary) wraps.
- Timestamps read `12-07 14:00` (the year only when it is not this year's), dates `12月7日 周一` under zh and
  `Mon 12-07` under en (`2025-11-22` in another year), days late `逾期2天` / `2d late`; codes read as the store's
  words under zh (LABELS). One style a column (shown_year): when any row's date is not this year's, every row of
  that column shows its year.
- When the table is wider than the screen, columns drop out by PRIORITY, the highest number first (the rightmost
  first among equals), until it fits: 1 is never dropped (id, name, phone, grade, due date, days late, status),
  2 the owner, 3 the other people and main dates, 4 short codes, 5 everything not named below,
  6 secondary timestamps, 7 long free text. `--wide` keeps every column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from leadctl.i18n import N_, _, reworded, zh

PRIORITY = {
    **dict.fromkeys(("id", "lead_id", "followup_id", "prefix", "name", "phone", "grade", "due_on", "status", "due",
                     "what", "at", "overdue_days"), 1),
    **dict.fromkeys(("owner", "reason", "expected_at", "responsible", "claimant", "next",
                     "breaches", "waiting_hours", "brand", "model", "series", "role", "team", "met", "care",
                     "matched", "delivered_on", "next_due", "date", "staff", "consultant"), 2),
    **dict.fromkeys(("by", "invited_by", "requested_by", "received_at", "ordered_at", "requested_at", "opened_at",
                     "delivery_on", "expected_on", "to", "from_owner", "recommended", "level", "kind", "channel",
                     "result", "rule", "active", "breached", "rung", "last_contact", "last_contact_at", "plate",
                     "state", "made_at", "handler", "new_customer"), 3),
    **dict.fromkeys(("method", "lead_status", "pool", "from_pool", "vin", "config", "price", "deposit", "lost_to",
                     "department"), 4),
    **dict.fromkeys(("closed_at", "verified_at", "decided_at", "cancelled_at", "delivered_at", "set_at", "set_by",
                     "created_at", "invited_at", "verified_by", "decided_by", "ordered_by", "visit_id", "replaces",
                     "colour", "score", "birthday", "birthday_calendar", "landline", "id_number", "insurer",
                     "plate_date", "cover"), 6),
    **dict.fromkeys(("note", "summary", "review", "verification", "decision_note", "cancel_reason", "reasons",
                     "commands", "outcomes", "text", "terms", "address", "story", "top_competitors", "accessories"),
                    7),
}
DEFAULT_PRIORITY = 5
FREE_TEXT = frozenset(("reason", "note", "summary", "review", "verification", "decision_note", "cancel_reason",
                       "reasons", "commands", "outcomes", "text", "result", "next", "breaches", "lost_to", "what",
                       "story", "top_competitors", "accessories"))

# the header of each column under zh (under en: header())
HEADERS = {
    "id": N_("id"), "lead_id": N_("lead_id"), "name": N_("name"), "phone": N_("phone"), "grade": N_("grade"),
    "owner": N_("owner"), "due_on": N_("due_on"), "overdue_days": N_("overdue_days"), "reason": N_("reason"),
    "review": N_("review"), "received_at": N_("received_at"), "channel": N_("channel"), "kind": N_("kind"),
    "department": N_("department"), "responsible": N_("responsible"), "level": N_("level"), "status": N_("status"),
    "breaches": N_("breaches"), "next": N_("next"), "summary": N_("summary"), "followup_id": N_("followup_id"),
    "by": N_("by"), "at": N_("at"), "method": N_("method"), "result": N_("result"),
    "waiting_hours": N_("waiting_hours"), "invited_by": N_("invited_by"), "invited_at": N_("invited_at"),
    "expected_at": N_("expected_at"), "closed_at": N_("closed_at"), "visit_id": N_("visit_id"),
    "replaces": N_("replaces"), "note": N_("note"), "model": N_("model"), "expected_on": N_("expected_on"),
    "from_owner": N_("from_owner"), "to": N_("to"), "lost_to": N_("lost_to"), "price": N_("price"),
    "requested_at": N_("requested_at"), "requested_by": N_("requested_by"), "verified_at": N_("verified_at"),
    "verified_by": N_("verified_by"), "verification": N_("verification"), "decided_at": N_("decided_at"),
    "decided_by": N_("decided_by"), "decision_note": N_("decision_note"), "lead_status": N_("lead_status"),
    "vin": N_("vin"), "brand": N_("brand"), "series": N_("series"), "config": N_("config"), "colour": N_("colour"),
    "deposit": N_("deposit"), "ordered_at": N_("ordered_at"), "ordered_by": N_("ordered_by"),
    "cancelled_at": N_("cancelled_at"), "cancel_reason": N_("cancel_reason"), "delivered_at": N_("delivered_at"),
    "delivery_on": N_("delivery_on"), "opened_at": N_("opened_at"), "claimant": N_("claimant"),
    "recommended": N_("recommended"), "reasons": N_("reasons"), "role": N_("role"), "team": N_("team"),
    "active": N_("active"), "created_at": N_("created_at"), "prefix": N_("prefix"), "set_at": N_("set_at"),
    "set_by": N_("set_by"), "rule": N_("rule"), "from_pool": N_("from_pool"), "pool": N_("pool"),
    "no_effect_since": N_("no_effect_since"), "outcomes": N_("outcomes"), "commands": N_("commands"),
    "what": N_("what"), "due": N_("due"), "met": N_("met"), "breached": N_("breached"), "act": N_("act"),
    "text": N_("text"), "contacted": N_("contacted"), "to_staff": N_("to_staff"), "meaning": N_("meaning"),
    "horizon_days": N_("horizon_days"), "cadence_days": N_("cadence_days"), "assessment": N_("assessment"),
    "grade_basis": N_("grade_basis"), "info_source": N_("info_source"), "trade_in": N_("trade_in"),
    "fleet": N_("fleet"), "registered_by": N_("registered_by"), "last_contact_at": N_("last_contact_at"),
    "followup_count": N_("followup_count"), "planned_on": N_("planned_on"), "next_due": N_("next_due"),
    "due_reason": N_("due_reason"), "birthday": N_("birthday"), "birthday_calendar": N_("birthday_calendar"),
    "address": N_("address"), "landline": N_("landline"), "staff": N_("staff"), "party": N_("party"),
    "policy": N_("policy"), "source": N_("source"), "set": N_("set"), "person": N_("person"),
    # policy simulate: each count under the proposed policy and the one in force
    "proposed.due": N_("proposed.due"), "current.due": N_("current.due"),
    "proposed.overdue": N_("proposed.overdue"), "current.overdue": N_("current.overdue"),
    "proposed.escalated": N_("proposed.escalated"), "current.escalated": N_("current.escalated"),
    "proposed.days_over": N_("proposed.days_over"), "current.days_over": N_("current.days_over"),
    "proposed.days_under": N_("proposed.days_under"), "current.days_under": N_("current.days_under"),
    "first_visit": N_("first_visit"), "test_drive": N_("test_drive"), "given_name": N_("given_name"),
    "rung": N_("rung"), "score": N_("score"), "terms": N_("terms"), "care": N_("care"), "matched": N_("matched"),
    "delivered_on": N_("delivered_on"), "last_contact": N_("last_contact"), "plate": N_("plate"),
    "id_number": N_("id_number"), "insurer": N_("insurer"), "plate_date": N_("plate_date"), "cover": N_("cover"),
    "accessories": N_("accessories"), "state": N_("state"), "made_at": N_("made_at"),
    "customer_type": N_("customer_type"), "weekdays": N_("weekdays"), "days_off": N_("days_off"),
    "on_duty": N_("on_duty"), "week": N_("week"), "queued_at": N_("queued_at"), "checked_at": N_("checked_at"),
    "passed": N_("passed"), "wrong": N_("wrong"), "corrected_at": N_("corrected_at"), "leads": N_("leads"),
    "replied_at": N_("replied_at"), "reply": N_("reply"), "contacted_at": N_("contacted_at"),
    "resolved_at": N_("resolved_at"), "resolved_by": N_("resolved_by"), "valid": N_("valid"), "action": N_("action"),
    "product_category": N_("product_category"), "product_model": N_("product_model"),
    "product_date": N_("product_date"), "surveyed_at": N_("surveyed_at"), "surveyed_by": N_("surveyed_by"),
    "survey_note": N_("survey_note"), "next_deadline": N_("next_deadline"),
    # plan: the year by month, the month's cells and the rates they come from
    "month": N_("month"), "orders": N_("orders"), "actual": N_("actual"), "variance": N_("variance"),
    "deliveries": N_("deliveries"), "delivered": N_("delivered"), "share": N_("share"),
    "dimension": N_("dimension"), "key": N_("key"), "new_ha": N_("new_ha"), "bc_upgrades": N_("bc_upgrades"),
    "overridden": N_("overridden"), "rate_from": N_("rate_from"), "rate": N_("rate"), "numerator": N_("numerator"),
    "denominator": N_("denominator"), "value": N_("value"), "window": N_("window"),
}

RECORDS = {"leads": N_("leads"), "visits": N_("visits"), "followups": N_("follow-ups"), "defeats": N_("defeats"),
           "orders": N_("orders")}  # a kind of record (import --kind, export KIND) as a line names it
WEEKDAYS_ZH = "一二三四五六日"
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# what a sentence in a cell or a card never breaks: a date or time (2月5日 周四, 2025年2月5日 09:00, Thu 02-05,
# 2025-02-05 09:00, 11-21 08:30), an amount with its unit (第 3 天, 10 分钟, 2 天), and a short run of Chinese
# characters standing alone before a space: a name put into a sentence (`林佳怡 的卡片`)
UNBROKEN = re.compile(r"(?:\d{4}年)?\d{1,2}月\d{1,2}日(?: 周[一二三四五六日])?(?: \d\d:\d\d)?"
                      r"|(?:[A-Z][a-z]{2} )?(?:\d{4}-)?\d\d-\d\d(?: \d\d:\d\d)?"
                      r"|(?:第 ?)?\d+(?:\.\d+)? ?(?:个月|小时|分钟|天|周|次|年)"
                      r"|(?<![^\s，、；：（）。])[\u4e00-\u9fff]{2,4}(?= \D)")
_DATETIME = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(:\d\d(\.\d+)?)?([+-]\d\d:?\d\d|Z)?")
_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def header(key: str) -> str:
    """A column's or field's header: the catalog's under zh (a card field: its form's heading), the key's words
    under en (`overdue_days` -> `Overdue days`: rules.text.words, as in the reports). JSON keeps the keys."""
    if not zh():
        from leadctl.rules.text import words

        return words(key)
    if key in HEADERS:
        return _(HEADERS[key])
    from leadctl.rules.card import BY_KEY

    return BY_KEY[key].header if key in BY_KEY else key


def priority(key: str) -> int:
    return PRIORITY.get(key, DEFAULT_PRIORITY)


def wraps(key: str) -> bool:
    """Free text may wrap inside its column; everything else keeps its whole width."""
    return key in FREE_TEXT


def shown_year(values: Iterable[Any], today: date | None) -> date | None:
    """The one date rule for a column (a table's, a card's fields, a history's times): `today` when every date and
    time among `values` falls in today's year, so that every one leaves the year out; else None, so that every one
    shows its year. Pass the result as `today` to day(), stamp(), moment() and output.cell()."""
    if today is None:
        return None
    for value in values:
        found = isinstance(value, str) and (_DATETIME.fullmatch(value) or _DATE.fullmatch(value))
        if found and int(found.group(1)) != today.year:
            return None
    return today


def day(value: date, today: date | None = None, table: bool = False) -> str:
    """A day the way the reader says it: 12月7日 周一 (zh) or Mon 12-07 (en); the year only when it is not this
    year's (or `today` is None: see shown_year). In a table (`table`) a day with its year is `2025-11-22`, without
    its weekday: a table's date column stays narrow, so the days late keep their place on an 80-column screen."""
    this_year = today is not None and value.year == today.year
    if table and not this_year:
        return f"{value:%Y-%m-%d}"
    if zh():
        text = f"{value.month}月{value.day}日" if this_year else f"{value.year}年{value.month}月{value.day}日"
        return f"{text} 周{WEEKDAYS_ZH[value.weekday()]}"
    return f"{WEEKDAYS_EN[value.weekday()]} {value:%m-%d}" if this_year else f"{value:%Y-%m-%d}"


def weekdays(text: str) -> str:
    """A roster's weekdays (`1,3,5`, ISO numbers; `every day`) as words: 周一、周三、周五 / Mon, Wed, Fri; 每天."""
    if not text or not all(part.strip().isdigit() and 1 <= int(part) <= 7 for part in text.split(",")):
        return _("every day") if text == "every day" else text
    days = [int(part) for part in text.split(",")]
    if zh():
        return "、".join(f"周{WEEKDAYS_ZH[d - 1]}" for d in days)
    return ", ".join(WEEKDAYS_EN[d - 1] for d in days)


def stamp(text: str, today: date | None = None) -> str | None:
    """An ISO timestamp as `12-07 14:00` (`2025-12-07 14:00` in another year), or None if it is not one."""
    found = _DATETIME.fullmatch(text)
    if not found:
        return None
    year, month, dd, hh, mm = found.group(1, 2, 3, 4, 5)
    head = f"{month}-{dd}" if today is not None and int(year) == today.year else f"{year}-{month}-{dd}"
    return f"{head} {hh}:{mm}"


def moment(text: str, today: date | None = None) -> str:
    """A moment in a sentence: 12月1日 09:00 (zh), 12-01 09:00 (en); the year only when it is not this year's."""
    found = _DATETIME.fullmatch(text) or _DATE.fullmatch(text)
    if not found:
        return text
    year, month, dd = (int(x) for x in found.group(1, 2, 3))
    clock = f" {found.group(4)}:{found.group(5)}" if found.re is _DATETIME else ""
    this_year = today is not None and year == today.year
    if zh():
        return f"{month}月{dd}日{clock}" if this_year else f"{year}年{month}月{dd}日{clock}"
    return f"{month:02d}-{dd:02d}{clock}" if this_year else f"{year}-{month:02d}-{dd:02d}{clock}"


def days_late(n: int) -> str:
    return _("{days}d late").format(days=n) if n else ""


def waited(hours: float) -> str:
    """How long something has waited: in hours up to two days (`30小时`), then in whole days (`29天`)."""
    hours = round(hours)
    return _("{hours}h").format(hours=hours) if hours < 48 else _("{n}d").format(n=hours // 24)


def in_days(n: int) -> str:
    """A distance in days: 3天后 / 逾期2天 / 今天."""
    if n == 0:
        return _("today")
    if n > 0:
        return _("in {days}d").format(days=n)
    return _("{days}d late").format(days=-n)


# why a collision's ruling is recommended (rules/collisions.py writes it in English, as the JSON keeps it)
_RULINGS = (
    (re.compile(r"(?P<name>.+) handed this customer over: they are not theirs to take back \[001\]"),
     N_("{name} handed this customer over: they are not theirs to take back [001]")),
    (re.compile(r"the DCC \((?P<name>.+)\) invited this customer: it stays the DCC's \[001\]"),
     N_("the DCC ({name}) invited this customer: it stays the DCC's [001]")),
    (re.compile(r"(?P<name>.+)'s card was entered within (?P<days>\d+) days"),
     N_("{name}'s card was entered within {days} days")),
    (re.compile(r"(?P<name>.+)'s card was entered after (?P<days>\d+) days"),
     N_("{name}'s card was entered after {days} days")),
    (re.compile(r"(?P<name>.+) has the first valid record \((?P<day>[\d-]+)\)"),
     N_("{name} has the first valid record ({day})")),
    (re.compile(r"(?P<name>.+)'s earlier card does not count"), N_("{name}'s earlier card does not count")),
    (re.compile(r"(?P<name>.+) followed up more \((?P<count>\d+)\)"), N_("{name} followed up more ({count})")),
)


def ruling(text: str, today: date | None = None) -> str:
    """One reason of a recommended collision ruling in the run's language; its day as a sentence says it (1月15日),
    which keeps a narrow column from splitting an ISO date."""
    def day(values: dict) -> None:
        if "day" in values:
            values["day"] = moment(values["day"], today)
    return reworded(_RULINGS, text, day) or text


# what a complaint owes next (rules/deadlines.py `owed`, English in the JSON), as the complaint list shows it
_OWED = re.compile(r"(?P<what>first plan|first reply|customer contact|progress update|result) due (?P<at>\S+(?: \S+)?)"
                   r" \((?P<span>.+) (?P<side>left|late)\)")
OWED_WORDS = {"first plan": N_("first plan"), "first reply": N_("first reply"),
               "customer contact": N_("customer contact"), "progress update": N_("progress update"),
               "result": N_("result")}
_SPAN = ((re.compile(r"(\d+) d\b"), N_("{n}d")), (re.compile(r"(\d+) h\b"), N_("{n}h")),
         (re.compile(r"(\d+) min\b"), N_("{n} min")))


def span(text: str) -> str:
    for pattern, template in _SPAN:
        text = pattern.sub(lambda found, t=template: _(t).format(n=found[1]), text)
    return text


def owed(text: str, today: date | None = None) -> str:
    found = _OWED.fullmatch(text)
    if not found:
        return text
    template = N_("{what} due {at}, {span} left") if found["side"] == "left" else N_("{what} due {at}, {span} late")
    at = found["at"].replace(" 24:00", "T24:00")
    return _(template).format(what=_(OWED_WORDS[found["what"]]), at=stamp(at, today) or moment(at, today),
                              span=span(found["span"]))
