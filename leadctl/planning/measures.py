"""What a person (or the store) did in a period, for the scorecards, the progress report and the weekly forms.
The KPIs the funnel report already defines (留档率, 降级率, 战败失控比例) come from reports/funnel.store_counts, and
the conversion rates from planning/history.rates: one rule each, written once.

[003] "每次回访必须签字,否则视为无效回访" (planning.signature_required, off in every preset): when on, a follow-up
the manager did not review within review.window_days does not count, and the reports say how many were
discounted.
"""

from __future__ import annotations

from datetime import date, timedelta

from leadctl.reports.base import Context, Period, Scope


def _days(ctx: Context) -> int:
    return ctx.policy.review_window_days


def signature_required(ctx: Context) -> bool:
    return bool(ctx.policy.data.get("planning", {}).get("signature_required", False))


def counted(ctx: Context, alias: str = "f") -> str:
    """The SQL condition under which follow-up `alias` counts toward KPIs: always, or (signature switch on) when
    reviewed within the window, or while its window is still open."""
    if not signature_required(ctx):
        return "1"
    today = ctx.now.date().isoformat()
    return (f"(EXISTS (SELECT 1 FROM reviews r WHERE r.followup_id = {alias}.id AND substr(r.at, 1, 10) <= "
            f"date(substr({alias}.at, 1, 10), '+{_days(ctx)} days')) OR date(substr({alias}.at, 1, 10), "
            f"'+{_days(ctx)} days') >= '{today}')")


def _scalar(ctx: Context, sql: str, args: list) -> int:
    return ctx.conn.execute(sql, args).fetchone()[0] or 0


def discounted(ctx: Context, period: Period, scope: Scope) -> int:
    """Follow-ups of the period that do not count for want of the manager's signature (0 with the switch off)."""
    if not signature_required(ctx):
        return 0
    where, args = scope.sql("f.by_id")
    return _scalar(ctx, f"SELECT count(*) FROM followups f WHERE f.at >= ? AND f.at < ? AND {where} AND NOT "
                        f"{counted(ctx)}", [period.lo, period.hi, *args])


def figures(ctx: Context, period: Period, scope: Scope) -> dict[str, int]:
    """The week's (or month's) figures: leads registered to them, follow-ups that count, orders, defeats, new H/A."""
    owner, oargs = scope.sql("l.owner_id")
    by, bargs = scope.sql("f.by_id")
    span = [period.lo, period.hi]
    return {
        "leads": _scalar(ctx, f"SELECT count(*) FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND "
                              f"l.merged_into IS NULL AND {owner}", [*span, *oargs]),
        "followups": _scalar(ctx, f"SELECT count(*) FROM followups f WHERE f.at >= ? AND f.at < ? AND {by} AND "
                                  f"{counted(ctx)}", [*span, *bargs]),
        "orders": _scalar(ctx, f"SELECT count(*) FROM orders o JOIN leads l ON l.id = o.lead_id WHERE o.ordered_at"
                               f" >= ? AND o.ordered_at < ? AND o.status != 'cancelled' AND {owner}", [*span, *oargs]),
        "defeats": _scalar(ctx, f"SELECT count(*) FROM defeats d JOIN leads l ON l.id = d.lead_id WHERE "
                                f"d.requested_at >= ? AND d.requested_at < ? AND {owner}", [*span, *oargs]),
        "new_ha": _scalar(ctx, f"SELECT count(*) FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND "
                               f"l.merged_into IS NULL AND {owner} AND EXISTS (SELECT 1 FROM grades g WHERE "
                               f"g.lead_id = l.id AND g.grade IN ('H', 'A') AND g.at < ?)",
                               [*span, *oargs, period.hi]),
        "discounted": discounted(ctx, period, scope),
    }


def visit_plan(ctx: Context, period: Period, scope: Scope) -> tuple[int, int]:
    """走访计划完成率: (follow-ups planned for a day of the period, up to today, done on that day, planned)."""
    by, args = scope.sql("p.by_id")
    last = min(period.end, ctx.now.date() - timedelta(days=1)).isoformat()
    done, planned = ctx.conn.execute(
        f"SELECT sum(EXISTS (SELECT 1 FROM followups f WHERE f.lead_id = p.lead_id AND substr(f.at, 1, 10) = "
        f"p.next_on AND {counted(ctx)})), count(*) FROM followups p WHERE p.next_on >= ? AND p.next_on <= ? "
        f"AND {by}", [period.start.isoformat(), last, *args]).fetchone()
    return done or 0, planned


def churn(ctx: Context, period: Period, scope: Scope) -> tuple[int, int]:
    """流失率: (leads defeated or lost in the period, those plus the leads still active at its end)."""
    owner, args = scope.sql("l.owner_id")
    gone = _scalar(ctx, f"SELECT count(DISTINCT l.id) FROM leads l WHERE l.status IN ('defeated', 'lost') AND "
                        f"{owner} AND (EXISTS (SELECT 1 FROM statuses t WHERE t.lead_id = l.id AND t.status IN "
                        f"('defeated', 'lost') AND t.at >= ? AND t.at < ?))", [*args, period.lo, period.hi])
    active = _scalar(ctx, f"SELECT count(*) FROM leads l WHERE l.status = 'active' AND l.merged_into IS NULL AND "
                          f"{owner}", args)
    return gone, gone + active


def accuracy(ctx: Context, period: Period, scope: Scope) -> tuple[int, int]:
    """客户信息准确率: (fields customer service found true, fields checked) in the checks of the period."""
    owner, args = scope.sql("c.owner_id")
    ok, total = ctx.conn.execute(
        f"SELECT sum(x.ok), count(*) FROM entry_check_fields x JOIN entry_checks c ON c.id = x.check_id WHERE "
        f"c.checked_at >= ? AND c.checked_at < ? AND {owner}", [period.lo, period.hi, *args]).fetchone()
    return ok or 0, total


def month_start(day: date) -> date:
    return day.replace(day=1)
