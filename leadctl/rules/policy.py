"""The store's policy as data: grade scale, cadences, first-contact rules. Presets ship as TOML files.

A policy file overrides any part of a base (a preset or the current policy); the result is validated as
a whole and every problem is reported at once.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any

from leadctl.errors import BadInput, InputMissing
from leadctl.i18n import _, joined
from leadctl.models import Grade
from leadctl.rules import card as card_rules
from leadctl.rules import care, pool
from leadctl.rules.funnel import BOUND_KEYS, KPI_NAMES, bound_problems, replace_sides
from leadctl.rules.phone import check_region
from leadctl.rules.planning import planning_problems, weight_problems

PRESETS = ("standard", "dcc", "fleet")
DEFAULT_REQUIRED = ("name", "phone", "channel", "info_source", "model", "grade")
MAX_NUMBER = 9999  # days, hours and counts: anything larger is a typing mistake
FACTORS = ("need", "confidence", "power")

# Grades only a workflow may give: they are never assigned by `grade` or a follow-up.
WORKFLOW_GRADES = {
    Grade.O: "an order",
    Grade.F: "a manager-approved defeat (战败)",
    Grade.W: "intake --no-contact",
}

_SHAPE: dict[str, Any] = {
    "name": str,
    "source": str,
    "first_contact": {"same_day": bool, "within_hours": int, "settle_calls": int, "settle_days": int},
    "grades": {"*": {"meaning": str, "horizon_days": int, "cadence_days": int}},
    "horizon": {"beyond": str},
    "assessment": {"*": list},
    "review": {"limit_hours": int, "window_days": int},
    "ownership": {"card_entry_days": int, "evidence_hours": int},
    "defeat": {"reasons": list, "forbidden_grades": list, "verification_required": bool, "no_effect_months": int,
               "no_effect_reasons": list},
    "kpi": {"*": dict.fromkeys(BOUND_KEYS, float)},
    "orders": {"vin_check_digit": str, "followup_days": int, "delivery_notice_days": int},
    "phone": {"region": str},
    "staff": {"shift_hours": int},  # a shared desk's `leadctl login` lasts this long (default 10)
    "card": {"required": list, "register_calls": bool},
    "import": {"max_file_mb": int, "max_inflated_mb": int},
    "complaints": {"onsite_plan_minutes": int, "first_reply_hours": int, "result_days": int,
                   "callcenter_first_reply_hours": int, "callcenter_contact_working_days": int,
                   "callcenter_progress_working_days": int, "weekend": list, "holidays": list, "escalation": list},
    "care": care.SHAPE,
    "planning": {"history_years": int, "season": list, "breakdown_months": int, "rate_months": int,
                 "signature_required": bool, "check_share": float, "check_count": int, "check_fields": list,
                 "correct_days": int},
    "scorecard": {"*": [{"kpi": str, "weight": float, "target": float}]},
    "sweeps": [{"code": str, "source": str, "from_team": str, "grades": list, "month_end": bool,
                "age_days": int, "invited_days": int, "quiet_days": int, "no_effect": bool, "to": str}],
    "distribution": {"rule": str, "roles": list, "pools": list, "pool_channels": list, "skip_previous_owner": bool,
                     "assign_channels": list},
    "escalation": [{"working_days": int, "action": str, "reassign": bool}],
    "priority": {"overdue_day": float, "grades": {"*": float}, "invitation_tomorrow": float, "open_complaint": float,
                 "planned_delivery": float, "rung": float},
}


@dataclass(frozen=True)
class GradeRule:
    meaning: str
    horizon_days: int | None = None
    cadence_days: int | None = None


@dataclass(frozen=True)
class FirstContact:
    same_day: bool
    within_hours: int
    settle_calls: int
    settle_days: int


@dataclass(frozen=True)
class DefeatRules:
    reasons: tuple[str, ...]
    forbidden_grades: frozenset[Grade]
    verification_required: bool
    # [003] unreachable, refusing calls, no effect for half a year: the card may be closed or handed on. A lead
    # with no effect (no grade rise, no new owner, no reactivation) for these months is offered to the manager
    # by a `no_effect` sweep row, and a defeat for one of `no_effect_reasons` waits until then.
    no_effect_months: int | None = None
    no_effect_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class SweepRule:
    """One row of the sweep table: which leads move, and where (dcc pool, manager's queue, or close)."""

    code: str
    source: str
    to: str
    from_team: str | None = None
    grades: frozenset[Grade] = frozenset()
    month_end: bool = False
    age_days: int | None = None
    invited_days: int | None = None
    quiet_days: int | None = None
    no_effect_months: int | None = None  # set for a `no_effect = true` row, from [defeat] no_effect_months


# `offer`: the sweep moves nothing and offers the manager the outcomes (mark it lost, or transfer it)
SWEEP_TARGETS = ("dcc", "manager", "close", "offer")


@dataclass(frozen=True)
class OrderRules:
    """Follow-up does not stop at the order [003]: an ordered lead is due every `followup_days` until delivery, and
    `notice_days` before its planned delivery day. A policy stored before these keys existed gets the presets'."""

    followup_days: int = 3
    notice_days: int = 1


def order_rules(section: dict[str, Any]) -> OrderRules:
    return OrderRules(section.get("followup_days", 3), section.get("delivery_notice_days", 1))


@dataclass(frozen=True)
class Policy:
    name: str
    source: str
    grades: dict[Grade, GradeRule]
    first_contact: FirstContact
    beyond_horizon: Grade | None
    assessment: dict[frozenset[str], Grade]
    data: dict[str, Any]  # the validated document, as stored
    review_limit_hours: int = 48
    review_window_days: int = 30
    card_entry_days: int = 2
    evidence_hours: int = 24
    defeat: DefeatRules = DefeatRules((), frozenset(), True)
    sweeps: tuple[SweepRule, ...] = ()
    kpi: dict[str, dict[str, float]] = field(default_factory=dict)
    phone_region: str = "CN"  # where a number written without a country code is dialled
    import_max_bytes: int = 200 * 2**20  # an import file is read up to this size, and refused beyond it
    import_max_inflated_bytes: int = 1000 * 2**20  # an XLSX's sheets, uncompressed

    def rule(self, grade: Grade) -> GradeRule | None:
        return self.grades.get(grade)

    @property
    def required_fields(self) -> tuple[str, ...]:
        """The card fields the store requires ([000] 黄色选项为必须填写项): listed by `check`, never blocking intake."""
        return tuple(self.data.get("card", {}).get("required", DEFAULT_REQUIRED))

    @property
    def orders(self) -> OrderRules:
        return order_rules(self.data.get("orders", {}))


def preset_data(name: str) -> dict[str, Any]:
    if name not in PRESETS:
        raise BadInput(
            _("unknown policy preset {name!r}").format(name=name),
            _("use one of: {join}").format(join=joined(PRESETS)),
        )
    text = resources.files("leadctl.rules.presets").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def read_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputMissing(
            _("cannot read policy file {path}: {strerror}").format(path=path, strerror=exc.strerror),
            _("check the path"),
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(
            _("policy file {path} is not valid TOML: {exc}").format(path=path, exc=exc), _("fix the file and retry")
        ) from None


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` onto a copy of `base`; tables merge, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    replace_sides(out, override)
    return out


def _check_shape(data: Any, shape: Any, path: str, problems: list[str]) -> None:
    if isinstance(shape, list):
        if not isinstance(data, list):
            problems.append(f"{path}: must be a list of tables ([[{path}]])")
            return
        for i, item in enumerate(data):
            _check_shape(item, shape[0], f"{path}[{i}]", problems)
    elif isinstance(shape, dict):
        if not isinstance(data, dict):
            problems.append(f"{path or 'policy'}: must be a table")
            return
        for key, value in data.items():
            sub = shape.get(key, shape.get("*"))
            where = f"{path}.{key}" if path else key
            if sub is None:
                problems.append(f"{where}: unknown key (known: {', '.join(k for k in shape if k != '*')})")
            else:
                _check_shape(value, sub, where, problems)
    elif shape is int:
        if not isinstance(data, int) or isinstance(data, bool):
            problems.append(f"{path}: must be a whole number")
        elif data < 0:
            problems.append(f"{path}: must not be negative")
        elif data > MAX_NUMBER:
            problems.append(f"{path}: must be at most {MAX_NUMBER}")
    elif shape is float:
        if not isinstance(data, int | float) or isinstance(data, bool) or not 0 <= data <= MAX_NUMBER:
            problems.append(f"{path}: must be a number from 0 to {MAX_NUMBER}")
    elif not isinstance(data, shape):
        problems.append(f"{path}: must be a {shape.__name__}")


def _grade(key: str, path: str, problems: list[str]) -> Grade | None:
    if key in Grade.__members__:
        return Grade(key)
    problems.append(f"{path}: unknown grade {key!r} (grades: {', '.join(Grade)})")
    return None


def validate(data: dict[str, Any], origin: str = "policy") -> Policy:
    """Build a Policy from a document, or raise BadInput listing every problem."""
    problems: list[str] = []
    _check_shape(data, _SHAPE, "", problems)
    for key in ("name", "first_contact", "grades"):
        if key not in data:
            problems.append(f"{key}: missing")
    for table in ("grades", "assessment"):
        for key in data.get(table, {}) if isinstance(data.get(table), dict) else ():
            _grade(key, f"{table}.{key}", problems)
    if problems:
        raise BadInput(f"{origin}: " + "; ".join(problems), _("fix these keys and retry"))
    grades = {Grade(k): GradeRule(r.get("meaning", ""), r.get("horizon_days"), r.get("cadence_days"))
              for k, r in data["grades"].items()}
    problems += [f"grades.{g}.cadence_days: must be at least 1 (omit it for no requirement)"
                 for g, r in grades.items() if r.cadence_days == 0]
    fc = data["first_contact"]
    missing = [k for k in _SHAPE["first_contact"] if k not in fc]
    if missing:
        problems.append(f"first_contact: missing {', '.join(missing)}")
    elif not fc["same_day"] and fc["within_hours"] < 1:
        problems.append("first_contact.within_hours: must be at least 1 unless same_day = true")
    beyond_key = data.get("horizon", {}).get("beyond", "")
    beyond = _grade(beyond_key, "horizon.beyond", problems) if beyond_key else None
    assessment: dict[frozenset[str], Grade] = {}
    for key, factors in data.get("assessment", {}).items():
        unknown = [f for f in factors if f not in FACTORS]
        if unknown:
            problems.append(f"assessment.{key}: unknown factor(s) {unknown} (factors: {', '.join(FACTORS)})")
        else:
            assessment[frozenset(factors)] = Grade(key)
    for where, grade in [("horizon.beyond", beyond), *((f"assessment.{g}", g) for g in assessment.values())]:
        if grade is not None and grade not in grades:
            problems.append(f"{where}: grade {grade} is not on this policy's scale")
    problems += [f"kpi.{k}: unknown KPI (known: {', '.join(KPI_NAMES)})" for k in data.get("kpi", {})
                 if k not in KPI_NAMES]
    problems += [p for k, bounds in data.get("kpi", {}).items() for p in bound_problems(k, bounds)]
    if data.get("orders", {}).get("vin_check_digit", "china") not in ("china", "always"):
        problems.append("orders.vin_check_digit: must be china (only VINs starting with L) or always")
    if data.get("orders", {}).get("followup_days", 1) == 0:
        problems.append("orders.followup_days: must be at least 1")
    _check_calendar(data.get("complaints", {}), problems)
    problems += care.problems(data.get("care", {}))
    region = data.get("phone", {}).get("region", "CN")
    if not check_region(region):
        problems.append(f"phone.region: {region!r} is not a region code the phone library knows (e.g. CN, HK)")
    problems += card_rules.check_required(data.get("card", {}).get("required", []))
    limits = data.get("import", {})
    problems += [f"import.{k}: must be at least 1" for k in ("max_file_mb", "max_inflated_mb") if limits.get(k) == 0]
    problems += planning_problems(data.get("planning", {})) + weight_problems(data.get("scorecard", {}))
    problems += pool.problems(data)
    defeat = _defeat_rules(data.get("defeat", {}), problems)
    sweeps = tuple(_sweep(i, row, defeat, problems) for i, row in enumerate(data.get("sweeps", [])))
    if problems:
        raise BadInput(f"{origin}: " + "; ".join(problems), _("fix these keys and retry"))
    first = FirstContact(**{k: fc[k] for k in _SHAPE["first_contact"]})
    review, ownership = data.get("review", {}), data.get("ownership", {})
    return Policy(data["name"], data.get("source", ""), grades, first, beyond, assessment, data,
                  review.get("limit_hours", 48), review.get("window_days", 30), ownership.get("card_entry_days", 2),
                  ownership.get("evidence_hours", 24), defeat, sweeps, data.get("kpi", {}), region,
                  limits.get("max_file_mb", 200) * 2**20, limits.get("max_inflated_mb", 1000) * 2**20)


def _check_calendar(section: dict[str, Any], problems: list[str]) -> None:
    """Working days: weekend days as ISO weekday numbers (1 = Monday), holidays as ISO dates."""
    if any(not isinstance(d, int) or isinstance(d, bool) or not 1 <= d <= 7 for d in section.get("weekend", [])):
        problems.append("complaints.weekend: ISO weekday numbers, 1 (Monday) to 7 (Sunday)")
    for day in section.get("holidays", []):
        try:
            date.fromisoformat(str(day))
        except ValueError:
            problems.append(f"complaints.holidays: {day!r} is not a date (YYYY-MM-DD)")
    if any(not isinstance(level, str) or not level.strip() for level in section.get("escalation", [])):
        problems.append("complaints.escalation: a list of level names")


def _grades_list(values: list, path: str, problems: list[str]) -> frozenset[Grade]:
    return frozenset(g for g in (_grade(str(v), path, problems) for v in values) if g is not None)


def _defeat_rules(data: dict[str, Any], problems: list[str]) -> DefeatRules:
    reasons = tuple(str(r) for r in data.get("reasons", ()))
    forbidden = _grades_list(data.get("forbidden_grades", []), "defeat.forbidden_grades", problems)
    months = data.get("no_effect_months")
    if months == 0:
        problems.append("defeat.no_effect_months: must be at least 1 (omit it for no such rule)")
    waiting = tuple(str(r) for r in data.get("no_effect_reasons", ()))
    if waiting and months is None:
        problems.append("defeat.no_effect_reasons: needs defeat.no_effect_months")
    return DefeatRules(reasons, forbidden, data.get("verification_required", True), months or None, waiting)


def _sweep(i: int, row: dict[str, Any], defeat: DefeatRules, problems: list[str]) -> SweepRule:
    where = f"sweeps[{i}]"
    for key in ("code", "to"):
        if key not in row:
            problems.append(f"{where}.{key}: missing")
    if row.get("to", "dcc") not in SWEEP_TARGETS:
        problems.append(f"{where}.to: must be one of {', '.join(SWEEP_TARGETS)}")
    if row.get("from_team", "showroom") not in ("showroom", "dcc"):
        problems.append(f"{where}.from_team: must be showroom or dcc")
    grades = _grades_list(row.get("grades", []), f"{where}.grades", problems)
    fields = {k: row[k] for k in ("from_team", "month_end", "age_days", "invited_days", "quiet_days") if k in row}
    if row.get("no_effect"):
        if defeat.no_effect_months is None:
            problems.append(f"{where}.no_effect: needs defeat.no_effect_months")
        fields["no_effect_months"] = defeat.no_effect_months
    return SweepRule(row.get("code", ""), row.get("source", ""), row.get("to", "dcc"), grades=grades, **fields)


def preset(name: str) -> Policy:
    return validate(preset_data(name), f"preset {name}")
