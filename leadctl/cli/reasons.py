"""Why a row is due, in the run's language: the one renderer of rules/reasons.py's codes and values. A table shows the
short phrase (`short`), CSV and the lead's card the whole reason (`long`); the JSON keeps the code, the values and
the English line, never these words."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from leadctl.cli import layout
from leadctl.i18n import N_, _, zh
from leadctl.rules import reasons

_SINCE = {"last_contact": N_("last contact"), "reactivated": N_("reactivated")}
_WHAT = {"registration": N_("registration"), "visit": N_("visit"), "reactivation": N_("reactivation")}

SHORT = {
    "first_contact": N_("first contact"), "not_graded": N_("to be graded"), "first_week": N_("first-week call {0}/{1}"),
    "planned": N_("planned contact"), "order_cadence": N_("order follow-up"), "before_delivery": N_("before delivery"),
    "no_show": N_("no-show call-back"), "grade_cadence": N_("{0} every {1}d"), "review_waiting": N_("review waiting"),
    "complaint": N_("complaint deadline"), "policy_changed": N_("policy changed"), "card_check": N_("card to correct"),
}
_SHORT_VALUES = {"first_week": ("n", "of"), "grade_cadence": ("grade", "days")}


def short(code: str | None, values: dict[str, Any] | None, text: str | None = None) -> str | None:
    """The reason as a table shows it: a short phrase (owner care: the kind of contact); `text` when there is no
    code (a row written by another list)."""
    if code is None:
        return text
    values = values or {}
    if code == "owner_care":
        from leadctl.reports.base import word

        return word("care", values["kind"])
    return _(SHORT[code]).format(*(values[k] for k in _SHORT_VALUES.get(code, ())))


def long(code: str | None, values: dict[str, Any] | None, today: date | None = None,
         text: str | None = None) -> str | None:
    """The whole reason in the run's language, its days as a sentence says them (12月1日, 12-01 under en)."""
    if code is None:
        return text
    v = dict(values or {}, today=today)
    if code == "not_graded":
        code = "not_graded_since_reactivated" if v["since"] == "reactivated" else code
    for key in ("day", "at", "oldest", "delivery_on", "delivered", "anniversary"):
        if isinstance(v.get(key), str):
            v[key] = layout.moment(v[key].replace(" ", "T"), today)
    if "since" in v and v["since"] in _SINCE:
        v["since"] = _(_SINCE[v["since"]])
    return LONG[code](v)


def _first_contact(v: dict) -> str:
    window = _("the same day") if v["hours"] is None else _("within {hours} hours").format(hours=v["hours"])
    return _("first contact {window} after the {what} of {at}").format(window=window, what=_(_WHAT[v["what"]]),
                                                                       at=v["at"])


def _planned(v: dict) -> str:
    if v["since"] == "owner_care":
        return _("planned by the owner; {rest}").format(rest=_("owner care"))
    return _("planned by the owner; {rest}").format(rest=_("{since} {day}").format(since=v["since"], day=v["day"]))


def _complaint(v: dict) -> str:
    from leadctl.rules import deadlines

    at = deadlines.stamp(datetime.fromisoformat(v["due"])).replace(" 24:00", "T24:00")
    template = N_("{what} due {at}, {span} late") if v["late"] else N_("{what} due {at}, {span} left")
    owed = _(template).format(what=_(layout.OWED_WORDS[deadlines.LABELS[v["what"]]]),
                              at=layout.stamp(at, v["today"]) or layout.moment(at, v["today"]),
                              span=layout.span(deadlines.span(timedelta(minutes=v["minutes"]))))
    return _("complaint {id} ({kind}): {owed}").format(id=v["complaint_id"],
                                                        kind=deadlines.ComplaintKind(v["kind"]).word, owed=owed)


def _card_check(v: dict) -> str:
    fields = ("、" if zh() else ", ").join(layout.header(f) for f in v["fields"]) or "?"
    return _("correct the card: customer service found {fields} wrong (check {id})").format(fields=fields,
                                                                                            id=v["check_id"])


LONG = {
    "first_contact": _first_contact,
    "not_graded": lambda v: _("not graded since the contact of {day}").format(**v),
    "not_graded_since_reactivated": lambda v: _("not graded since reactivated on {day}").format(**v),
    "grade_cadence": lambda v: _("grade {grade} every {days} days; {since} {day}").format(**v),
    "first_week": lambda v: _("first-week call {n} of {m}; {since} {day}").format(m=v["of"], **v),
    "planned": _planned,
    "order_cadence": lambda v: _("ordered: every {days} days until delivery; last contact {day}").format(**v),
    "before_delivery": lambda v: _("delivery on {day}: contact {before} before").format(
        day=v["delivery_on"], before=_("the day") if v["days_before"] == 1
        else _("{n} days").format(n=v["days_before"])),
    "no_show": lambda v: _("no-show on {day}: call back").format(**v),
    "policy_changed": lambda v: _("due date set before a policy change"),
    "owner_care": lambda v: _(reasons.CARE[v["kind"]]).format(**v),
    "complaint": _complaint,
    "review_waiting": lambda v: _("{count} follow-up(s) by {by} await review over {hours}h, oldest {oldest}")
    .format(**v),
    "card_check": _card_check,
}


def rendered(rows: list[dict], form: str, today: date | None = None) -> list[dict]:
    """Rows whose `reason` reads in the run's language: `short` (a table) or `long` (CSV, a card); a row without a
    reason code keeps its reason."""
    out = []
    for r in rows:
        if r.get("reason_code") is not None:
            code, values, text = r["reason_code"], r.get("reason_values"), r.get("reason")
            r = {**r, "reason": short(code, values, text) if form == "short" else long(code, values, today, text)}
        out.append(r)
    return out
