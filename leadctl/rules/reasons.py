"""Why a row is on the due list, as data: a stable code and the values it is said from. Pure: no words of a language.

Every row of `due` carries `reason_code` and `reason_values` (JSON-ready: numbers, ISO dates, codes) beside `reason`,
the same reason as one English line, as the JSON has always written it (scripts read it); `english()` writes that
line from the code and its values, here, once. People read the reason in the run's language through cli/reasons.py,
the one renderer of these codes (a short phrase in a table, the whole reason in CSV and on the card).

The codes and their values:
- first_contact: hours (None: the same day), what (registration | visit | reactivation), at (YYYY-MM-DD HH:MM)
- not_graded: since (last_contact | reactivated), day
- grade_cadence: grade, days, since, day
- first_week: n, of, since, day
- planned (the owner planned it earlier than the cadence): since (last_contact | reactivated | owner_care), day
- order_cadence: days, day
- before_delivery: delivery_on, days_before
- no_show: day
- policy_changed (the stored due date is not the one today's policy gives)
- owner_care: kind (rules/care.py KINDS), delivered, and the contact's detail (day, months, year, ...)
- complaint: complaint_id, kind, what (plan | reply | contact | progress | result), due (ISO), late, minutes
  (left, or late)
- review_waiting: count, by, hours, oldest
- card_check: fields (the card's field keys customer service found wrong), check_id
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from leadctl.i18n import N_

SINCE = {"last_contact": "last contact", "reactivated": "reactivated"}

CARE = {  # owner care's reasons: the English line, and the catalog's source for cli/reasons.py
    "thanks": N_("owner care: thank-you call, day {day} after delivery on {delivered}"),
    "ssi": N_("owner care: SSI satisfaction call, day {day} after delivery on {delivered}"),
    "service": N_("owner care: first-service reminder, {months} months after delivery on {delivered}"),
    "insurance": N_("owner care: insurance renewal, {days_before} days before the cover's anniversary {anniversary}"),
    "birthday": N_("owner care: birthday ({calendar} {birthday})"),
    "anniversary": N_("owner care: purchase anniversary, year {year} (delivered on {delivered})"),
}


class Reason(NamedTuple):
    code: str
    values: dict[str, Any]


def plain(value: Any) -> Any:
    """A value as JSON carries it: dates and times in ISO form, lists as lists, the rest as it is."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def reason(code: str, **values: Any) -> Reason:
    return Reason(code, {k: plain(v) for k, v in values.items()})


def _since(v: dict) -> str:
    return f"{SINCE.get(v['since'], v['since'])} {v['day']}"


def _planned(v: dict) -> str:
    return "planned by owner, " + ("owner care" if v["since"] == "owner_care" else _since(v))


def complaint(complaint_id: int, kind: str, deadline, now: datetime) -> Reason:
    """A complaint's row: which complaint, what it owes next (a rules/deadlines.py Deadline), how long is left or how
    late it is, in whole minutes."""
    left = deadline.due - now
    return reason("complaint", complaint_id=complaint_id, kind=kind, what=deadline.what, due=deadline.due,
                  late=left < timedelta(0), minutes=int(abs(left).total_seconds() // 60))


def _complaint(v: dict) -> str:
    from leadctl.rules import deadlines

    due = datetime.fromisoformat(v["due"])
    span = deadlines.span(timedelta(minutes=v["minutes"]))
    return (f"complaint {v['complaint_id']} ({deadlines.ComplaintKind(v['kind']).label}): "
            f"{deadlines.LABELS[v['what']]} due {deadlines.stamp(due)} ({span} {'late' if v['late'] else 'left'})")


_ENGLISH = {
    "first_contact": lambda v: "first contact " + ("same day" if v["hours"] is None else f"within {v['hours']}h")
    + f" of {v['what']} {v['at']}",
    "not_graded": lambda v: (f"not graded after contact {v['day']}" if v["since"] == "last_contact"
                             else f"not graded since reactivated {v['day']}"),
    "grade_cadence": lambda v: f"{v['grade']} every {v['days']}d, {_since(v)}",
    "first_week": lambda v: f"first-week call {v['n']} of {v['of']}, {_since(v)}",
    "planned": _planned,
    "order_cadence": lambda v: f"ordered: every {v['days']}d until delivery, last contact {v['day']}",
    "before_delivery": lambda v: f"delivery on {v['delivery_on']}: contact "
    + ("the day" if v["days_before"] == 1 else f"{v['days_before']} days") + " before",
    "no_show": lambda v: f"no-show on {v['day']}",
    "policy_changed": lambda v: "due date set before a policy change",
    "owner_care": lambda v: CARE[v["kind"]].format(**v),
    "complaint": _complaint,
    "review_waiting": lambda v: f"{v['count']} follow-up(s) by {v['by']} await review (批复) over {v['hours']}h, "
    f"oldest {v['oldest']}",
    "card_check": lambda v: f"correct the card: customer service found {','.join(v['fields']) or '?'} wrong "
    f"(check {v['check_id']})",
}

CODES = tuple(_ENGLISH)


class Due(NamedTuple):
    """When a lead must next be contacted, and why: the stable code and the values as the rule gave them. The
    JSON-ready values and the English line are made when asked for (`why`, `reason`): an import or a policy
    change computes a million due dates and reads none of their reasons (half of each one's cost, bench/next_due.py)."""

    due_on: date
    code: str
    given: dict[str, Any]

    @property
    def why(self) -> Reason:
        return reason(self.code, **self.given)

    @property
    def reason(self) -> str:
        """The English line, the JSON's `reason`."""
        return english(self.why)


def english(why: Reason) -> str:
    """The reason as one English line: the JSON's `reason`, unchanged for scripts."""
    return _ENGLISH[why.code](why.values)


def fields(why: Reason) -> dict[str, Any]:
    """A due row's reason fields: `reason` (the English line), `reason_code` and `reason_values`."""
    return {"reason": english(why), "reason_code": why.code, "reason_values": why.values}
