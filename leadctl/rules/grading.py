"""Grading a lead: stated outright, from a purchase horizon, or from the three-factor assessment [003]."""

from __future__ import annotations

import re

from leadctl.errors import BadInput, Refused
from leadctl.i18n import N_, _, joined
from leadctl.models import Grade
from leadctl.rules.policy import FACTORS, WORKFLOW_GRADES, Policy

_UNIT_DAYS = {
    "d": 1, "day": 1, "days": 1, "天": 1, "日": 1,
    "w": 7, "week": 7, "weeks": 7, "周": 7, "星期": 7,
    "m": 30, "month": 30, "months": 30, "月": 30, "个月": 30,
    "y": 365, "year": 365, "years": 365, "年": 365,
}
_DURATION = re.compile(r"\s*(\d{1,4})\s*([a-z\u4e00-\u9fff]*)\s*", re.IGNORECASE)
_DURATION_HINT = N_("write a number and a unit, e.g. 10d, 2w, 3m, 1y, 10天, 2周, 3个月")


def parse_duration(text: str) -> int:
    """A purchase horizon such as `2w` or `3个月` -> days (a month counts 30 days, a year 365)."""
    match = _DURATION.fullmatch(text or "")
    if not match:
        raise BadInput(_("cannot read duration {text!r}").format(text=text), _(_DURATION_HINT))
    number, unit = int(match.group(1)), match.group(2).lower() or "d"
    if unit not in _UNIT_DAYS:
        raise BadInput(_("unknown unit {unit!r} in duration {text!r}").format(unit=unit, text=text), _(_DURATION_HINT))
    return number * _UNIT_DAYS[unit]


def check_assignable(policy: Policy, grade: Grade) -> Grade:
    """A grade a person may give by grading: on the policy's scale, and not one only a workflow gives."""
    if grade in WORKFLOW_GRADES:
        raise Refused(
            _("grade {grade} is given only by {value}").format(grade=grade, value=WORKFLOW_GRADES[grade]),
            _("grade with H, A, B, C or D"),
        )
    if grade not in policy.grades:
        scale = joined(g for g in policy.grades if g not in WORKFLOW_GRADES)
        raise Refused(
            _("grade {grade} is not on the {name} policy's scale").format(grade=grade, name=policy.name),
            _("use one of: {scale}").format(scale=scale),
        )
    return grade


def from_horizon(policy: Policy, days: int) -> Grade:
    """The grade whose horizon first covers a purchase `days` away."""
    ladder = sorted((r.horizon_days, g) for g, r in policy.grades.items() if r.horizon_days is not None)
    for horizon, grade in ladder:
        if days <= horizon:
            return grade
    if policy.beyond_horizon is not None:
        return policy.beyond_horizon
    last = ladder[-1][1] if ladder else None
    raise Refused(
        f"a purchase {days} days away is beyond the {policy.name} scale" + (f" (last grade {last})" if last else ""),
        _("state the grade instead of --within"),
    )


def from_assessment(policy: Policy, need: bool, confidence: bool, power: bool) -> Grade:
    """Need, confidence (in consultant, dealer, brand) and buying power -> grade, per the policy's table."""
    present = frozenset(f for f, on in zip(FACTORS, (need, confidence, power), strict=True) if on)
    if present in policy.assessment:
        return policy.assessment[present]
    table = "; ".join(f"{g} = {' + '.join(sorted(f))}" for f, g in policy.assessment.items())
    shown = " + ".join(sorted(present)) or "no factor"
    raise Refused(
        _("{shown} does not make a grade under the {name} policy").format(shown=shown, name=policy.name),
        _("the table is: {table}").format(table=table),
    )
