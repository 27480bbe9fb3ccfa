"""Funnel stages and KPIs: each definition written once, here, with its formula. Pure arithmetic.

The reports count (in SQL) and hand the counts to these functions; README documents the same formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

# The funnel: each stage counts the leads of the period's cohort that reached it.
STAGES = (
    ("traffic", "集客", "leads registered in the period (visits, calls, web and HQ leads; W included)"),
    ("details_kept", "留档", "of those, leads that left a phone number"),
    ("invited", "邀约", "of those, leads invited to the store"),
    ("arrived", "到店", "of those, leads that came to the store (showroom visit, or an invited arrival)"),
    ("ordered", "订单", "of those, leads that signed an order"),
    ("delivered", "交车", "of those, leads whose car was delivered"),
)

# KPI: (key, Chinese name, formula). Thresholds live in the policy's [kpi] section.
KPIS = (
    ("retention_rate", "首洽留存率", "first-visit non-buying batches that left details / all first-visit non-buying "
                                     "batches [000]"),
    ("dcc_share", "低意向及非展厅客户成交结构比", "orders from DCC leads (non-showroom channels or invited) / all "
                                                  "orders [002]"),
    ("arrival_rate", "邀约到店率", "invitations expected in the period that arrived / those whose day is over "
                                   "(arrived, no-show, or still open) [002]"),
    ("close_rate", "成交率", "orders from invited arrivals / invited arrivals, invitations expected in the period "
                            "[002]"),
    ("downgrade_rate", "降级率", "downgrades / all grade changes in the period [004]"),
    ("defeat_share", "战败失控比例", "(approved defeats + lost control) / (orders + approved defeats + lost "
                                     "control), in the period [004]"),
    ("overdue_rate", "逾期率", "active leads past their due date / active leads with a due date, at the period's "
                              "end"),
    ("calls_per_day", "电销日均外呼", "telesales' phone follow-ups per working day, per person [002]"),
    ("receptions_per_day", "直销日均新接待", "direct sales' new receptions (first visits they received and "
                                           "customers handed over to them) per working day, per person [002]"),
)
KPI_NAMES = tuple(k for k, _, _ in KPIS)


def rate(part: int | float, whole: int | float) -> float | None:
    """part / whole as a fraction 0-1, or None when there is nothing to divide by."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Judgement:
    value: float | None
    minimum: float | None
    maximum: float | None

    @property
    def passed(self) -> bool | None:
        """True inside [min, max), False outside, None when there is no value or no threshold."""
        if self.value is None or (self.minimum is None and self.maximum is None):
            return None
        if self.minimum is not None and self.value < self.minimum:
            return False
        return not (self.maximum is not None and self.value >= self.maximum)


def judge(value: float | None, threshold: dict[str, float] | None) -> Judgement:
    threshold = threshold or {}
    return Judgement(value, threshold.get("min"), threshold.get("max"))


def steps(counts: list[int]) -> list[tuple[float | None, float | None]]:
    """For each stage: (rate from the previous stage, rate from the first)."""
    first = counts[0] if counts else 0
    return [(rate(n, counts[i - 1]) if i else None, rate(n, first)) for i, n in enumerate(counts)]
