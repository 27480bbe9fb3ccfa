"""Defeats: the statistics (战败统计) by owner, model, reason, competitor and price band, and the analysis of
reasons (战败分析). Counted on defeats a manager approved within the period."""

from __future__ import annotations

from leadctl.reports.base import Column, Context, Report
from leadctl.rules.lifecycle import REASON_LABELS

PRICE_BANDS = ((0, 100_000, "10万以下"), (100_000, 150_000, "10-15万"), (150_000, 200_000, "15-20万"),
               (200_000, 300_000, "20-30万"), (300_000, 10**12, "30万以上"))
_BAND_SQL = "CASE WHEN d.price IS NULL THEN '(未填)' " + " ".join(
    f"WHEN d.price < {hi} THEN '{label}'" for _, hi, label in PRICE_BANDS) + " END"
_DIMENSIONS = (("销售顾问", "coalesce(s.name, '-')"), ("车型", "coalesce(l.model, '-')"), ("战败原因", "d.reason"),
               ("竞品", "coalesce(d.lost_to, '(未填)')"), ("价格区间", _BAND_SQL))
_APPROVED = """FROM defeats d JOIN leads l ON l.id = d.lead_id LEFT JOIN staff s ON s.id = d.requested_by
               WHERE d.status = 'approved' AND d.decided_at >= ? AND d.decided_at < ? AND {where}"""


def defeats(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("d.requested_by")
    out = []
    for header, expr in _DIMENSIONS:
        rows = ctx.conn.execute(f"SELECT {expr}, count(*), avg(d.price) {_APPROVED.format(where=where)}"
                                " GROUP BY 1 ORDER BY 2 DESC, 1", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
        total = sum(r[1] for r in rows) or 1
        out += [{"dimension": header, "value": REASON_LABELS.get(value, value), "defeats": n, "share": n / total,
                 "average_price": avg} for value, n, avg in rows]
    return out


DEFEATS = Report("defeats", "战败统计", (
    Column("dimension", "维度"), Column("value", "项目"), Column("defeats", "战败数", "int"),
    Column("share", "占比", "rate"), Column("average_price", "平均报价", "money"),
), defeats)


def defeat_reasons(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("d.requested_by")
    rows = ctx.conn.execute(f"""
        SELECT d.reason, count(*), avg(d.price), sum(d.grade = 'H'), sum(d.grade = 'A'), sum(d.grade = 'B'),
               (SELECT group_concat(x, '、') FROM (
                   SELECT d2.lost_to AS x FROM defeats d2 WHERE d2.reason = d.reason AND d2.status = 'approved'
                   AND d2.decided_at >= ? AND d2.decided_at < ? AND d2.lost_to IS NOT NULL
                   GROUP BY d2.lost_to ORDER BY count(*) DESC LIMIT 3))
        {_APPROVED.format(where=where)} GROUP BY d.reason ORDER BY 2 DESC""",
                            [ctx.period.lo, ctx.period.hi, ctx.period.lo, ctx.period.hi, *args]).fetchall()
    total = sum(r[1] for r in rows) or 1
    return [{"reason": REASON_LABELS.get(reason, reason), "defeats": n, "share": n / total, "average_price": avg,
             "from_h": h, "from_a": a, "from_b": b, "top_competitors": top}
            for reason, n, avg, h, a, b, top in rows]


DEFEAT_REASONS = Report("defeat-reasons", "战败分析", (
    Column("reason", "战败原因"), Column("defeats", "战败数", "int"), Column("share", "占比", "rate"),
    Column("average_price", "平均报价", "money"), Column("from_h", "H级战败", "int"),
    Column("from_a", "A级战败", "int"), Column("from_b", "B级战败", "int"), Column("top_competitors", "主要竞品"),
), defeat_reasons, chart="pie", bars="defeats")
