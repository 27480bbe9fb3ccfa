"""Targets [004], pure: whole numbers that sum to their total (largest remainder), share tables that sum to 1,
scorecard weights that sum to 100, the lead targets from historical rates, and a scorecard line's score.

Returns values and problem lists; the services translate and raise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from leadctl.models import Role

SHARE_TOLERANCE = 1e-6
ROLES = tuple(Role)
WEEK_FORMS = {"plan": "周计划", "summary": "周总结"}  # a salesperson's weekly forms [003], in the store's words


def week_form(text: str) -> str | None:
    """The code of a weekly form given by its code or its word (plan, 周计划, 计划); None for anything else."""
    key = (text or "").strip().lower()
    return next((code for code, word in WEEK_FORMS.items() if key in (code, word, word[1:])), None)
# The KPIs a role's scorecard may weigh [004]: key -> (Chinese name, higher is better)
SCORECARD_KPIS: dict[str, tuple[str, bool]] = {
    "order_attainment": ("订单目标达成率", True),
    "new_leads": ("新增集客", True),
    "ha_share": ("新增H/A占比", True),
    "retention_rate": ("留档率", True),
    "accuracy": ("客户信息准确率", True),
    "visit_plan": ("走访计划完成率", True),
    "ha_conversion": ("H/A转化率", True),
    "bc_conversion": ("B/C转化率", True),
    "downgrade_rate": ("降级率", False),
    "defeat_share": ("战败失控比例", False),
    "churn_rate": ("流失率", False),
}


MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # a calendar month's days in a common year


def seasonal_shares(orders: Sequence[int], days: Sequence[int]) -> list[float] | None:
    """Each calendar month's share of a year's orders (January to December) from the store's history: its orders
    per day on record (`orders` and `days` of each calendar month, summed over the history's years) times the
    month's length, so that a month the records cover in part (the store's first, this year's last) weighs as a
    whole one. None when a calendar month has no day on record, or no order at all is: its index is unknown."""
    if len(orders) != 12 or len(days) != 12 or not all(days) or not sum(orders):
        return None
    index = [n / d * length for n, d, length in zip(orders, days, MONTH_DAYS, strict=True)]
    total = sum(index)
    return [v / total for v in index]


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` as whole numbers summing to `total` exactly: each gets the floor of
    its quota, and the units left go to the largest remainders (ties to the earlier entry). No weight at all
    splits evenly."""
    if total < 0:
        raise ValueError("total must not be negative")
    if not weights:
        return []
    whole = sum(weights)
    if whole <= 0:
        weights, whole = [1.0] * len(weights), float(len(weights))
    quotas = [total * w / whole for w in weights]
    out = [math.floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - out[i]), i))
    for i in order[:total - sum(out)]:
        out[i] += 1
    return out


def share_problems(table: Mapping[str, float], what: str) -> list[str]:
    """A share table must hold numbers from 0 to 1 that sum to 1."""
    problems = [f"{what}.{k}: {v!r} is not a share from 0 to 1" for k, v in table.items()
                if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1]
    if not table:
        problems.append(f"{what}: no shares given")
    elif not problems and abs(sum(table.values()) - 1) > SHARE_TOLERANCE:
        problems.append(f"{what}: the shares sum to {sum(table.values()):g}, not 1")
    return problems


def spread(total: int, weights: Mapping[str, float], fixed: Mapping[str, int] | None = None) -> dict[str, int]:
    """Cells of one breakdown summing to `total`: the `fixed` cells (a manager's overrides) as given, the rest
    re-spread in proportion to their weights over what is left. Raises ValueError when the fixed cells exceed
    the total."""
    fixed = dict(fixed or {})
    left = total - sum(fixed.values())
    if left < 0:
        raise ValueError(f"the cells set sum to {sum(fixed.values())}, more than the total {total}")
    free = [k for k in weights if k not in fixed]
    if not free and left:
        raise ValueError(f"every cell is set and they sum to {sum(fixed.values())}, not {total}")
    out = dict(zip(free, largest_remainder(left, [weights[k] for k in free]), strict=True))
    return {k: fixed.get(k, out.get(k, 0)) for k in [*weights, *(k for k in fixed if k not in weights)]}


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int
    window: str  # the period it comes from, "2026-05..2026-10"

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


def needed(orders: int, rate: Rate | None) -> int | None:
    """How many are needed at the top to make `orders` at this rate: ceil(orders / rate); None with no rate."""
    if rate is None or not rate.value:
        return None
    return math.ceil(orders / rate.value - 1e-9)


def expected(base: int, rate: Rate | None) -> int | None:
    """How many of `base` should move on at this rate (B/C leads upgraded to H/A): round(base x rate)."""
    if rate is None or rate.value is None:
        return None
    return round(base * rate.value)


def weight_problems(cards: Mapping[str, object]) -> list[str]:
    """Each role's scorecard: a list of {kpi, weight, target}; known KPIs, each once, weights summing to 100."""
    problems: list[str] = []
    for role, lines in cards.items():
        where = f"scorecard.{role}"
        if role not in ROLES:
            problems.append(f"{where}: unknown role (roles: {', '.join(ROLES)})")
        if not isinstance(lines, list) or not all(isinstance(x, dict) for x in lines):
            problems.append(f"{where}: a list of tables ([[{where}]]) with kpi, weight and target")
            continue
        seen = [line.get("kpi") for line in lines]
        problems += [f"{where}: unknown KPI {k!r} (known: {', '.join(SCORECARD_KPIS)})" for k in seen
                     if k not in SCORECARD_KPIS]
        problems += [f"{where}: {k} given twice" for k in set(seen) if seen.count(k) > 1]
        for line in lines:
            for key in ("weight", "target"):
                value = line.get(key)
                if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                    problems.append(f"{where}.{line.get('kpi')}.{key}: must be a number, 0 or more")
            problems += [f"{where}.{line.get('kpi')}: unknown key {k!r}" for k in line
                         if k not in ("kpi", "weight", "target")]
        total = sum(line.get("weight", 0) for line in lines if isinstance(line.get("weight"), int | float))
        if abs(total - 100) > SHARE_TOLERANCE:
            problems.append(f"{where}: the weights sum to {total:g}%, not 100%")
    return problems


def score(kpi: str, value: float | None, target: float, weight: float) -> float | None:
    """A scorecard line's weighted score: the weight times how far the value meets its target, capped at 1. A
    higher-is-better KPI scores value / target; a lower-is-better one full marks at or under its target, else
    target / value. None when there is no value."""
    if value is None:
        return None
    higher = SCORECARD_KPIS[kpi][1]
    if higher:
        met = 1.0 if target == 0 else min(1.0, value / target)
    else:
        met = 1.0 if value <= target else (target / value if value else 1.0)
    return round(weight * met, 2)


def planning_problems(section: Mapping[str, object]) -> list[str]:
    """The [planning] section: twelve seasonal indices, not all zero; a check share from 0 to 1."""
    problems = []
    season = section.get("season")
    if season is not None and (len(season) != 12 or any(isinstance(v, bool) or not isinstance(v, int | float)
                                                       or v < 0 for v in season) or not sum(season)):
        problems.append("planning.season: twelve indices, January to December, 0 or more, not all 0")
    share = section.get("check_share")
    if isinstance(share, int | float) and not 0 <= share <= 1:
        problems.append("planning.check_share: a share from 0 to 1")
    if section.get("history_years") == 0 or section.get("rate_months") == 0 or section.get("breakdown_months") == 0:
        problems.append("planning: history_years, rate_months and breakdown_months must be at least 1")
    return problems
