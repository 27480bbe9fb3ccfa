"""The store's policy as data: grade scale, cadences, first-contact rules. Presets ship as TOML files.

A policy file overrides any part of a base (a preset or the current policy); the result is validated as
a whole and every problem is reported at once.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from leadctl.errors import BadInput, InputMissing
from leadctl.models import Grade

PRESETS = ("standard", "dcc", "fleet")
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
class Policy:
    name: str
    source: str
    grades: dict[Grade, GradeRule]
    first_contact: FirstContact
    beyond_horizon: Grade | None
    assessment: dict[frozenset[str], Grade]
    data: dict[str, Any]  # the validated document, as stored

    def rule(self, grade: Grade) -> GradeRule | None:
        return self.grades.get(grade)


def preset_data(name: str) -> dict[str, Any]:
    if name not in PRESETS:
        raise BadInput(f"unknown policy preset {name!r}", f"use one of: {', '.join(PRESETS)}")
    text = resources.files("leadctl.rules.presets").joinpath(f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def read_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise InputMissing(f"cannot read policy file {path}: {exc.strerror}", "check the path") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise BadInput(f"policy file {path} is not valid TOML: {exc}", "fix the file and retry") from None


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge `override` onto a copy of `base`; tables merge, everything else replaces."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _check_shape(data: Any, shape: Any, path: str, problems: list[str]) -> None:
    if isinstance(shape, dict):
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
        raise BadInput(f"{origin}: " + "; ".join(problems), "fix these keys and retry")
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
    if problems:
        raise BadInput(f"{origin}: " + "; ".join(problems), "fix these keys and retry")
    first = FirstContact(**{k: fc[k] for k in _SHAPE["first_contact"]})
    return Policy(data["name"], data.get("source", ""), grades, first, beyond, assessment, data)


def preset(name: str) -> Policy:
    return validate(preset_data(name), f"preset {name}")
