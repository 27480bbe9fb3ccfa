"""The funnel (traffic to delivery, showroom vs DCC) and the KPIs against the policy's thresholds.

Definitions live in leadctl.rules.funnel; this module only counts.
"""

from __future__ import annotations

from leadctl.reports.base import Column, Context, Report
from leadctl.reports.work import GRADE_RANK
from leadctl.rules.funnel import KPIS, STAGES, invited_arrival, judge, rate, steps

SHOWROOM_CHANNELS = ("walk-in", "show", "referral", "repurchase")
_SHOWROOM = "l.channel IN ('walk-in', 'show', 'referral', 'repurchase')"
_DCC_LEAD = f"(NOT {_SHOWROOM} OR EXISTS (SELECT 1 FROM invitations i WHERE i.lead_id = l.id))"
# an order from an existing owner [002]: the owner buying again (a delivered order before it on the same lead), or a
# customer an owner referred (转介绍, leads.referred_by names a lead with a delivered order)
OWNER_ORDER = ("EXISTS (SELECT 1 FROM orders p WHERE p.lead_id = o.lead_id AND p.status = 'delivered' AND p.id < o.id)"
               " OR EXISTS (SELECT 1 FROM orders p WHERE p.lead_id = l.referred_by AND p.status = 'delivered'"
               " AND p.delivered_at <= o.ordered_at)")
_SPLITS = (("showroom", "展厅"), ("dcc", "DCC"), ("total", "合计"))


def _cohort(ctx: Context) -> dict[str, list[int]]:
    """Each split's count at each stage. A stage counts the leads that reached it AND every stage before it in
    their chain, so the chain never grows: a showroom lead arrives by its visit, a DCC lead (non-showroom
    channel, or invited) only by an invited arrival."""
    where, args = ctx.scope.sql("l.owner_id")
    rows = ctx.conn.execute(f"""
        WITH cohort AS (
            SELECT {_DCC_LEAD} AS dcc, l.phone IS NOT NULL AS kept,
                   EXISTS (SELECT 1 FROM invitations i WHERE i.lead_id = l.id) AS invited,
                   EXISTS (SELECT 1 FROM invitations i WHERE i.lead_id = l.id AND {invited_arrival("i")}) AS came,
                   EXISTS (SELECT 1 FROM live_visits v WHERE v.lead_id = l.id AND v.kind = 'visit') AS visited,
                   EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND o.status != 'cancelled') AS ordered,
                   EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND o.status = 'delivered') AS delivered
            FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND l.merged_into IS NULL AND {where}),
        stages AS (SELECT dcc, kept, kept AND invited AS invited,
                          kept AND CASE WHEN dcc THEN invited AND came ELSE visited END AS arrived, ordered, delivered
                   FROM cohort)
        SELECT CASE WHEN dcc THEN 'dcc' ELSE 'showroom' END, count(*), sum(kept), sum(invited), sum(arrived),
               sum(arrived AND ordered), sum(arrived AND ordered AND delivered)
        FROM stages GROUP BY 1""", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    counts = {split: list(values) for split, *values in rows}
    counts["total"] = [sum(c[i] for c in counts.values()) for i in range(len(STAGES))]
    return counts


def funnel(ctx: Context) -> list[dict]:
    counts = _cohort(ctx)
    out = []
    for split, label in _SPLITS:
        values = counts.get(split) or [0] * len(STAGES)
        chain = [i for i, (key, _, _) in enumerate(STAGES) if split == "dcc" or key != "invited"]
        rates = dict(zip(chain, steps([values[i] for i in chain]), strict=True))
        for i, (key, name, _) in enumerate(STAGES):
            step, overall = rates.get(i, (None, None))
            out.append({"split": label, "stage": key, "stage_name": name,
                        "count": values[i] if i in rates else None, "step_rate": step, "overall_rate": overall})
    return out


FUNNEL = Report("funnel", "集客转化漏斗", (
    Column("split", "类别"), Column("stage", "stage", "code"), Column("stage_name", "阶段"),
    Column("count", "客户数", "int"), Column("step_rate", "环节转化率", "rate"),
    Column("overall_rate", "累计转化率", "rate"),
), funnel, chart="bar", bars="count")


def _one(ctx: Context, sql: str, *args) -> tuple:
    return ctx.conn.execute(sql, [ctx.period.lo, ctx.period.hi, *args]).fetchone()


def store_counts(ctx: Context) -> dict[str, tuple[float, float]]:
    """Each store-wide KPI as (numerator, denominator) over the period."""
    visits, vargs = ctx.scope.sql("v.staff_id")
    owner, oargs = ctx.scope.sql("l.owner_id")
    invited, iargs = ctx.scope.sql("i.invited_by")
    graded, gargs = ctx.scope.sql("g.by_id")
    new_rank, old_rank = (("CASE " + " ".join(f"WHEN {c} = '{g}' THEN {r}" for g, r in GRADE_RANK.items()) + " END")
                          for c in ("g.grade", "g.previous"))
    asof = min(ctx.period.end, ctx.now.date()).isoformat()
    kept, first = _one(ctx, f"""SELECT sum(v.left_contact), count(*) FROM live_visits v WHERE v.kind = 'visit'
        AND v.first_visit AND v.arrived_at >= ? AND v.arrived_at < ? AND {visits} AND NOT EXISTS (SELECT 1 FROM orders o
        WHERE o.lead_id = v.lead_id AND substr(o.ordered_at, 1, 10) = substr(v.arrived_at, 1, 10))""", *vargs)
    dcc, orders = _one(ctx, f"""SELECT sum({_DCC_LEAD}), count(*) FROM orders o JOIN leads l ON l.id = o.lead_id
        WHERE o.ordered_at >= ? AND o.ordered_at < ? AND o.status != 'cancelled' AND {owner}""", *oargs)
    # invitations expected in the period whose day is over: arrived, or not (recorded no-show or still open)
    arrived, closed = _one(ctx, f"""SELECT sum({invited_arrival("i")}), count(*) FROM invitations i
        WHERE i.expected_at >= ? AND i.expected_at < ? AND i.status != 'rescheduled'
        AND (i.status != 'open' OR substr(i.expected_at, 1, 10) < ?) AND {invited}""", asof, *iargs)
    won, = _one(ctx, f"""SELECT count(*) FROM invitations i WHERE {invited_arrival("i")} AND i.expected_at >= ?
        AND i.expected_at < ? AND {invited} AND EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = i.lead_id
        AND o.status != 'cancelled' AND o.ordered_at >= i.closed_at)""", *iargs)
    down, changes = _one(ctx, f"""SELECT sum({new_rank} > {old_rank}), count(*) FROM grades g WHERE g.at >= ?
        AND g.at < ? AND g.previous IS NOT NULL AND g.grade != g.previous AND {graded}""", *gargs)
    defeated, = _one(ctx, f"""SELECT count(*) FROM defeats d JOIN leads l ON l.id = d.lead_id
        WHERE d.status = 'approved' AND d.decided_at >= ? AND d.decided_at < ? AND {owner}""", *oargs)
    lost, = _one(ctx, f"""SELECT count(*) FROM statuses t JOIN leads l ON l.id = t.lead_id WHERE t.status = 'lost'
        AND t.at >= ? AND t.at < ? AND {owner}""", *oargs)
    owned, = _one(ctx, f"""SELECT count(*) FROM orders o JOIN leads l ON l.id = o.lead_id
        WHERE o.ordered_at >= ? AND o.ordered_at < ? AND o.status != 'cancelled' AND {owner} AND ({OWNER_ORDER})""",
                  *oargs)
    late, dated = ctx.conn.execute(f"""SELECT sum(l.next_due < ?), count(*) FROM leads l
        WHERE l.status = 'active' AND l.next_due IS NOT NULL AND {owner}""", [asof, *oargs]).fetchone()
    registered, rargs = ctx.scope.sql("l.registered_by")
    complete, entered = _one(ctx, f"""SELECT sum(l.complete_at_entry), count(*) FROM leads l WHERE l.created_at >= ?
        AND l.created_at < ? AND l.complete_at_entry IS NOT NULL AND {registered}""", *rargs)
    return {"info_accuracy": (complete or 0, entered), "retention_rate": (kept or 0, first),
            "dcc_share": (dcc or 0, orders),
            "arrival_rate": (arrived or 0, closed),
            "close_rate": (won, arrived or 0), "downgrade_rate": (down or 0, changes),
            "defeat_share": (defeated + lost, orders + defeated + lost), "overdue_rate": (late or 0, dated),
            "owner_share": (owned, orders)}


def workload(ctx: Context) -> list[tuple[str, str, float, float]]:
    """(kpi, person, done, working days) for each telesales (calls) and direct-sales (new receptions)."""
    where, args = ctx.scope.sql("s.id")
    # calls in and out [002]: phone follow-ups, and the inbound calls (来电, 400) they took and registered
    calls = ctx.conn.execute(f"""SELECT s.name, sum(c.phone), count(DISTINCT substr(c.at, 1, 10)) FROM (
            SELECT f.by_id AS staff_id, f.at AS at, f.method = 'phone' AS phone FROM live_followups f
            UNION ALL SELECT v.registered_by, v.arrived_at, 1 FROM live_visits v WHERE v.kind = 'call') c
        JOIN staff s ON s.id = c.staff_id WHERE s.role = 'telesales' AND c.at >= ? AND c.at < ?
        AND {where} GROUP BY s.id ORDER BY s.name""", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    # a new reception is a customer received for the first time by that person, by a first visit or a handover
    receptions = ctx.conn.execute(f"""SELECT s.name, count(*), count(DISTINCT substr(r.at, 1, 10)) FROM (
            SELECT staff_id, lead_id, min(at) AS at FROM (
                SELECT v.staff_id AS staff_id, v.lead_id AS lead_id, v.arrived_at AS at FROM live_visits v
                WHERE v.kind = 'visit' AND v.first_visit UNION ALL SELECT h.to_id, h.lead_id, h.at FROM handovers h)
            GROUP BY staff_id, lead_id) r JOIN staff s ON s.id = r.staff_id
        WHERE s.role = 'direct-sales' AND r.at >= ? AND r.at < ? AND {where} GROUP BY s.id ORDER BY s.name""",
                                  [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    return [("calls_per_day", *r) for r in calls] + [("receptions_per_day", *r) for r in receptions]


def kpi(ctx: Context) -> list[dict]:
    names = {key: name for key, name, _ in KPIS}
    counts = store_counts(ctx)
    lines = [(key, names[key], None, *counts[key], rate(*counts[key])) for key in names if key in counts]
    lines += [(key, names[key], person, done, days, rate(done, days)) for key, person, done, days in workload(ctx)]
    out = []
    for key, name, person, part, whole, value in lines:
        verdict = judge(value, ctx.policy.kpi.get(key))
        out.append({"kpi": key, "name": name, "staff": person, "unit": "per_day" if person else "rate",
                    "value": value, "minimum": verdict.minimum, "maximum": verdict.maximum, "passed": verdict.passed,
                    "numerator": part, "denominator": whole, "minimum_inclusive": verdict.minimum_inclusive,
                    "maximum_inclusive": verdict.maximum_inclusive, "failed_because": verdict.failed_because,
                    "_style": {True: "green", False: "red"}.get(verdict.passed), "_bar": _gauge(value, verdict)})
    return out


def _gauge(value: float | None, verdict) -> float:
    """How full the KPI's bar is: a rate as itself, a daily figure against its upper (or lower) threshold."""
    if value is None:
        return 0.0
    scale = 1.0 if verdict.maximum is None and verdict.minimum is None else (verdict.maximum or verdict.minimum)
    return min(1.0, value / scale) if scale and scale > 1 else min(1.0, value)


KPI = Report("kpi", "关键指标", (
    Column("kpi", "kpi", "code"), Column("name", "指标", "kpi_name"), Column("staff", "员工"),
    Column("unit", "单位", "unit"),
    Column("value", "实际", "kpi"), Column("minimum", "下限", "kpi"), Column("maximum", "上限", "kpi"),
    Column("passed", "达标", "mark"),
    Column("numerator", "分子", "int"), Column("denominator", "分母", "int"),
    Column("minimum_inclusive", "含下限", "inclusive"), Column("maximum_inclusive", "含上限", "inclusive"),
    Column("failed_because", "未达标原因", "failure"),
), kpi, bars="_bar")
