"""`show` for people: the card as sections, its history as sentences naming people ("12月1日 09:00 张静 登记来访，
顾问 李娜"), in the run's language. `show --json` is the card as the service returns it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from leadctl.cli import layout, output
from leadctl.i18n import N_, _

# each history list: the key of its time, and the sentence of one item (placeholders: the item's keys)
SENTENCES = {
    "visits": ("arrived_at", N_("{staff} received a {kind} ({channel}), visit {id}")),
    "grades": ("at", N_("{by} graded {previous} -> {grade} ({basis})")),
    "followups": ("at", N_("{by} followed up by {method}: {result}")),
    "reviews": ("at", N_("{by} reviewed follow-up {followup_id}: {comment}")),
    "owners": ("at", N_("{by} moved the lead from {from_owner} to {to_owner}: {reason}")),
    "collisions": ("opened_at", N_("collision {id} ({status}): owner {owner}, claimant {claimant}")),
    "invitations": ("invited_at", N_("{invited_by} invited the customer for {expected_at} ({status})")),
    "handovers": ("at", N_("handover {id} from {from_staff} to {to_staff}, purchase expected {expected_on}")),
    "defeats": ("requested_at", N_("{requested_by} requested a defeat ({reason}, lost to {lost_to}): {status}")),
    "orders": ("ordered_at", N_("{ordered_by} signed order {id}: {brand} {series} {model} ({status})")),
    "statuses": ("at", N_("{by}: {previous} -> {status} ({act})")),
    "history": ("at", N_("{by} corrected {field}: {old} -> {new}")),
    "complaints": ("received_at", N_("complaint {id} ({channel}, {kind}): {summary}; {status}, with {responsible}")),
}
# what an item's sentence goes on to say when the item has it: (key, words); a grade's reason is read by
# grade_reason(), every other value by _value()
TAILS = {
    "grades": (("reason", N_("reason {value}")),),
    "followups": (("grade", N_("grade {value}")), ("next_on", N_("next contact {value}"))),
    "defeats": (("note", N_("note {value}")), ("verification", N_("call-back {value}")),
                ("decision_note", N_("decision {value}"))),
}
# a grade's reason written by the workflow (rather than typed), in words: its pattern and its template
GRADE_REASONS = (
    (re.compile(r"registered"), N_("registration")), (re.compile(r"return visit"), N_("return visit")),
    (re.compile(r"reactivated"), N_("reactivated")), (re.compile(r"follow-up (\d+)"), N_("follow-up {value}")),
    (re.compile(r"order (\d+)"), N_("order {value}")),
    (re.compile(r"order (\d+) cancelled: grade before the order restored"), N_("order {value} cancelled")),
    (re.compile(r"defeat request (\d+) approved"), N_("defeat request {value} approved")),
    (re.compile(r"lost control after (\d+) failed attempt\(s\)"), N_("lost after {value} failed attempt(s)")),
)
SECTIONS = {
    "visits": N_("Visits"), "grades": N_("Grades"), "followups": N_("Follow-ups"), "reviews": N_("Reviews"),
    "owners": N_("Owners"), "collisions": N_("Collisions"), "invitations": N_("Invitations"),
    "handovers": N_("Handovers"), "history": N_("Corrections"), "defeats": N_("Defeat requests"),
    "orders": N_("Orders"),
    "statuses": N_("Status changes"), "complaints": N_("Complaints"), "events": N_("Events"),
}
# what an audit event says
ACTIONS = {
    "intake": N_("registered a visit"), "grade": N_("graded the lead"), "followup": N_("followed up"),
    "invite": N_("invited the customer"), "arrive": N_("confirmed the arrival"), "no-show": N_("recorded a no-show"),
    "handover": N_("handed the customer over"), "transfer": N_("transferred the lead"), "sweep": N_("swept the lead"),
    "order": N_("signed an order"), "order.cancel": N_("cancelled the order"),
    "order.delivery_on": N_("planned the delivery day"), "deliver": N_("delivered the car"),
    "defeat.request": N_("requested a defeat"), "defeat.verify": N_("verified the defeat request"),
    "defeat.approve": N_("approved the defeat"), "defeat.reject": N_("rejected the defeat"),
    "lost": N_("marked the lead lost"), "reactivate": N_("reactivated the lead"), "review": N_("reviewed a follow-up"),
    "merge": N_("merged a duplicate into this lead"), "merged": N_("merged this lead into another"),
    "fleet": N_("made the customer a fleet customer"), "collisions.rule": N_("ruled on the collision"),
    "collisions.settle": N_("settled the collision"), "purge": N_("erased the customer's personal data"),
    "complaint.new": N_("registered a complaint"), "complaint.reply": N_("replied to the complaint"),
    "complaint.progress": N_("noted progress on the complaint"), "complaint.escalate": N_("escalated the complaint"),
    "complaint.resolve": N_("resolved the complaint"), "complaint.survey": N_("surveyed satisfaction"),
}
# the words of an event's details; a detail holding a staff id is shown as the person's name
DETAILS = {
    "owner": N_("owner {value}"), "to": N_("to {value}"), "to_id": N_("to {value}"), "from_id": N_("from {value}"),
    "visit_id": N_("visit {value}"), "followup_id": N_("follow-up {value}"), "invitation_id": N_("invitation {value}"),
    "order_id": N_("order {value}"), "defeat_id": N_("defeat request {value}"), "complaint_id": N_("complaint {value}"),
    "collision": N_("collision {value}"), "grade": N_("grade {value}"), "previous": N_("before {value}"),
    "channel": N_("channel {value}"), "method": N_("by {value}"), "reason": N_("reason {value}"),
    "status": N_("now {value}"), "expected_at": N_("expected {value}"), "attempts": N_("{value} attempt(s)"),
    "merged": N_("lead {value}"), "into": N_("into lead {value}"), "rule": N_("rule {value}"),
    "delivery_on": N_("delivery {value}"), "new_lead": N_("new lead"), "phone": N_("phone {value}"),
}
STAFF_KEYS = frozenset(("owner", "to", "to_id", "from_id", "staff_id", "claimant_id", "owner_id"))
FIELDS = ("name", "phone", "grade", "grade_basis", "status", "owner", "channel", "info_source", "model", "trade_in",
          "fleet", "created_at", "registered_by", "last_contact_at", "followup_count", "planned_on", "next_due",
          "due_reason")


def _value(key: str, value: Any, today: date | None) -> str:
    if value is None or value == "" or value == []:
        return "-"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if key == "field":  # a correction's field, by its header
        return layout.header(value)
    if key == "reason" and isinstance(value, str):
        return output.cell("defeat_reason", value, today)
    return output.cell(key, value, today)


def _word(field: str | None, value: Any) -> Any:
    """A correction's value as the field's word under zh (female -> 女), else as stored."""
    from leadctl.i18n import zh
    from leadctl.reports.base import LABELS

    return LABELS[field].get(value, value) if zh() and field in LABELS else value


def sentence(template: str, item: dict, today: date | None) -> str:
    values = {key: _value(key, value, today) for key, value in item.items()}
    if not template:
        return ", ".join(f"{layout.header(k)} {v}" for k, v in values.items())
    try:
        return _(template).format(**values)
    except (KeyError, IndexError):  # a list that gained or lost a field: every field, plainly
        return ", ".join(f"{layout.header(k)} {v}" for k, v in values.items())


def grade_reason(text: str) -> str:
    """A grade's reason as the reader says it: as typed, or the workflow's in words (`follow-up 12` -> 跟进 12)."""
    for pattern, template in GRADE_REASONS:
        found = pattern.fullmatch(text)
        if found:
            return _(template).format(value=found.group(1) if pattern.groups else "")
    return text


def tailed(key: str, text: str, item: dict, today: date | None) -> str:
    """An item's sentence with what it goes on to say (TAILS) where the item has it."""
    def read(k: str) -> str:
        return grade_reason(item[k]) if (key, k) == ("grades", "reason") else _value(k, item[k], today)

    more = [_(words).format(value=read(k)) for k, words in TAILS.get(key, ()) if item.get(k) not in (None, "")]
    return _("{what}; {more}").format(what=text, more=_(", ").join(more)) if more else text


def event(item: dict, names: dict[int, str], today: date | None) -> str:
    action = item.get("action") or ""
    parts = [_(ACTIONS[action]) if action in ACTIONS else action]
    detail = item.get("detail") if isinstance(item.get("detail"), dict) else {}
    for key, value in detail.items():
        if key not in DETAILS or value is None or value is False:
            continue
        if key in STAFF_KEYS and isinstance(value, int):
            value = names.get(value, value)
        kind = "owner" if key in STAFF_KEYS else "status" if key == "previous" and "status" in detail else key
        shown = _value(kind, value, today)  # a status change's earlier state reads as its state does
        parts.append(_(DETAILS[key]).format(value=shown))
    who = item.get("actor") or "leadctl"
    return _("{who} {what}").format(who=who, what=_("; ").join(parts))


def word(kind: str, value: Any) -> Any:
    from leadctl.reports.base import word as shown

    return shown(kind, value)


def emit(card: dict, names: dict[int, str], today: date | None) -> None:
    lists = [key for key, value in card.items() if isinstance(value, list) and all(isinstance(i, dict) for i in value)]
    fields = layout.shown_year((v for k, v in card.items() if k not in lists), today)  # one style for the fields
    pairs = {layout.header(k): _value(k, card[k], fields) for k in FIELDS if k in card}
    pairs.update({layout.header(k): _value(k, v, fields) for k, v in card.items()  # a card field left blank: not shown
                  if k not in FIELDS and k not in lists and k != "id" and v not in (None, "", [])})
    output.emit_pairs(pairs, title=_("Lead {id}").format(id=card["id"]))
    for key in lists:
        items = card[key]
        if not items:
            continue
        lines = []  # (when, what) pairs
        for item in items:
            if key == "events":
                when, text = item.get("at"), event(item, names, today)
            elif key == "history":  # a coded field's old and new values as its words
                when_key, template = SENTENCES[key]
                item = {**item, **{side: _word(item.get("field"), item.get(side)) for side in ("old", "new")}}
                when, text = item.get(when_key), sentence(template, item, today)
            elif key in SENTENCES:
                when_key, template = SENTENCES[key]
                if key in ("owners", "statuses"):  # why it moved, and the state it left, as words
                    item = {**item, **{k: word(kind, item[k]) for k, kind in (("reason", "move"), ("act", "move"),
                                                                                ("previous", "status")) if k in item}}
                when, text = item.get(when_key), tailed(key, sentence(template, item, today), item, today)
            else:
                when, text = None, sentence("", item, today)
            lines.append((when, text))
        title = _(SECTIONS[key]) if key in SECTIONS else layout.header(key)
        output.say_section(title, history(lines, today, output.width()))


def history(lines: list[tuple[str | None, str]], today: date | None, width: int) -> list[str]:
    """A section's (time, sentence) pairs as lines of at most `width` cells (after the section's 2-cell indent):
    the times as one column (one style: shown_year; padded to the widest), each sentence wrapped beside them."""
    from leadctl.cli.helptext import cells, wrap

    year = layout.shown_year((when for when, _text in lines), today)
    times = [layout.moment(when, year) if when else "" for when, _text in lines]
    room = max(map(cells, times), default=0)
    out = []
    for when, (_when, text) in zip(times, lines, strict=True):
        if not room:
            out += wrap(text, width - 2, keep=layout.UNBROKEN)
            continue
        head = when + " " * (room - cells(when) + 1)
        out += wrap(text, width - 2, head, " " * (room + 1), keep=layout.UNBROKEN)
    return out
