"""Funnel stages and KPIs: each definition written once, here, with its formula. Pure arithmetic.

The reports count (in SQL) and hand the counts to these functions; README documents the same formulas.
"""

from __future__ import annotations

from dataclasses import dataclass

# The funnel: each stage counts the leads of the period's cohort that reached it and every stage before it in
# their chain (so no step grows). A DCC lead (non-showroom channel, or invited) goes traffic -> details kept ->
# invited -> arrived; a showroom lead skips "invited", and the total is the sum of the two chains.
STAGES = (
    ("traffic", "集客", "leads registered in the period (visits, calls, web and HQ leads; W included)"),
    ("details_kept", "留档", "of those, leads that left a phone number"),
    ("invited", "邀约", "of those, leads invited to the store (the DCC chain only)"),
    ("arrived", "到店", "of those, leads that came to the store: a showroom lead's visit, a DCC lead's invited "
                       "arrival (an uninvited walk-in is not one)"),
    ("ordered", "订单", "of those, leads that signed an order (not cancelled)"),
    ("delivered", "交车", "of those, leads whose car was delivered"),
)


def invited_arrival(invitation: str = "i") -> str:
    """What counts as an invited arrival [002], as the reports' SQL condition on an invitations row: the
    invitation was closed as arrived, the customer having come on the invited day (`arrive`, or a desk visit that
    day). An uninvited walk-in, or a visit after the invited day (a no-show), is not one. The funnel, the KPIs and
    the daily report all count arrivals with this."""
    return f"{invitation}.status = 'arrived'"


# KPI: (key, Chinese name, formula). Bounds live in the policy's [kpi] section (see BOUND_KEYS).
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
    ("owner_share", "保有客户成交结构比", "orders from existing owners (re-purchase, or a customer an owner "
                                          "referred) / all orders, in the period [002]"),
    ("calls_per_day", "电销日均呼入呼出", "telesales' calls (phone follow-ups, and inbound calls they registered) per "
                                        "working day, per person [002]"),
    ("receptions_per_day", "直销日均新接待", "direct sales' new receptions (customers they first received, by a "
                                           "first visit or a handover, each once) per working day, per person [002]"),
)
KPI_NAMES = tuple(k for k, _, _ in KPIS)


def rate(part: int | float, whole: int | float) -> float | None:
    """part / whole as a fraction 0-1, or None when there is nothing to divide by."""
    return part / whole if whole else None


# A KPI's bounds in the policy: each side at most once, inclusive (min, max) or strict (min_exclusive,
# max_exclusive), as the source writes it: [002] "40<...≤60" is min_exclusive = 40, max = 60.
BOUND_KEYS = ("min", "min_exclusive", "max", "max_exclusive")
BELOW_MINIMUM, ABOVE_MAXIMUM = "below_minimum", "above_maximum"


@dataclass(frozen=True)
class Judgement:
    value: float | None
    minimum: float | None
    maximum: float | None
    minimum_inclusive: bool | None = None  # None when there is no minimum
    maximum_inclusive: bool | None = None

    @property
    def failed_because(self) -> str | None:
        """below_minimum or above_maximum when the value is outside its bounds, else None."""
        if self.value is None:
            return None
        if self.minimum is not None and (self.value < self.minimum
                                         or (self.value == self.minimum and not self.minimum_inclusive)):
            return BELOW_MINIMUM
        if self.maximum is not None and (self.value > self.maximum
                                         or (self.value == self.maximum and not self.maximum_inclusive)):
            return ABOVE_MAXIMUM
        return None

    @property
    def passed(self) -> bool | None:
        """True inside the bounds, False outside, None when there is no value or no bound."""
        if self.value is None or (self.minimum is None and self.maximum is None):
            return None
        return self.failed_because is None


def _side(threshold: dict[str, float], key: str) -> tuple[float | None, bool | None]:
    if key in threshold:
        return threshold[key], True
    if f"{key}_exclusive" in threshold:
        return threshold[f"{key}_exclusive"], False
    return None, None


def judge(value: float | None, threshold: dict[str, float] | None) -> Judgement:
    threshold = threshold or {}
    (low, low_in), (high, high_in) = _side(threshold, "min"), _side(threshold, "max")
    return Judgement(value, low, high, low_in, high_in)


def replace_sides(merged: dict, override: dict) -> None:
    """A policy file that names one side of a bound replaces that side: its min_exclusive drops the base's min."""
    for side in ("min", "max"):
        for named, other in ((side, f"{side}_exclusive"), (f"{side}_exclusive", side)):
            if named in override and other not in override:
                merged.pop(other, None)


def bound_problems(key: str, threshold: dict[str, float]) -> list[str]:
    """What is wrong with one KPI's bounds: a side given twice, or a lower bound above the upper."""
    problems = [f"kpi.{key}: give {side} or {side}_exclusive, not both" for side in ("min", "max")
                if side in threshold and f"{side}_exclusive" in threshold]
    verdict = judge(None, threshold)
    if verdict.minimum is not None and verdict.maximum is not None and (
            verdict.minimum > verdict.maximum or (verdict.minimum == verdict.maximum
                                                  and not (verdict.minimum_inclusive and verdict.maximum_inclusive))):
        problems.append(f"kpi.{key}: no value can pass: the minimum {verdict.minimum:g} is not below the maximum "
                        f"{verdict.maximum:g}")
    return problems


def steps(counts: list[int]) -> list[tuple[float | None, float | None]]:
    """For each stage: (rate from the previous stage, rate from the first)."""
    first = counts[0] if counts else 0
    return [(rate(n, counts[i - 1]) if i else None, rate(n, first)) for i, n in enumerate(counts)]
