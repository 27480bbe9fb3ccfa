"""The customer base: customer analysis (客户分析), showroom sources (展厅来源分析), prospects in progress
(有望客户跟踪进度) and the intent inventory (客户意向确度表)."""

from __future__ import annotations

from datetime import date

from leadctl.models import Channel, InfoSource
from leadctl.reports.base import Column, Context, Report
from leadctl.reports.work import GRADE_RANK
from leadctl.rules.cadence import overdue_days

_DIMENSIONS = (("grade", "意向级别", "coalesce(l.grade, '-')"), ("model", "意向车型", "coalesce(l.model, '-')"),
               ("channel", "客户来源", "l.channel"), ("owner", "销售顾问", "coalesce(s.name, '(未分配)')"))


def _label(dimension: str, value: str) -> str:
    return Channel(value).label if dimension == "channel" else value


def customers(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("l.owner_id")
    out = []
    for key, header, expr in _DIMENSIONS:
        rows = ctx.conn.execute(f"""
            SELECT {expr}, count(*), sum(l.status = 'active'), sum(l.status IN ('ordered', 'delivered')),
                   sum(l.status IN ('defeated', 'lost'))
            FROM leads l LEFT JOIN staff s ON s.id = l.owner_id
            WHERE l.created_at >= ? AND l.created_at < ? AND l.merged_into IS NULL AND {where}
            GROUP BY 1 ORDER BY 2 DESC, 1""", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
        total = sum(r[1] for r in rows) or 1
        out += [{"dimension": header, "value": _label(key, value), "leads": n, "share": n / total, "active": active,
                 "won": won, "lost": lost} for value, n, active, won, lost in rows]
    return out


CUSTOMERS = Report("customers", "客户分析", (
    Column("dimension", "维度"), Column("value", "项目"), Column("leads", "新增客户", "int"),
    Column("share", "占比", "rate"), Column("active", "跟进中", "int"), Column("won", "成交", "int"),
    Column("lost", "战败/失控", "int"),
), customers)


def sources(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("l.owner_id")
    rows = ctx.conn.execute(f"""
        SELECT l.channel, coalesce(l.info_source, ''), count(*), sum(l.phone IS NOT NULL),
               sum(l.grade IN ('H', 'A')), sum(l.status IN ('ordered', 'delivered'))
        FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND l.merged_into IS NULL AND {where}
        GROUP BY 1, 2 ORDER BY 3 DESC""", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    return [{"channel": Channel(ch).label, "info_source": InfoSource(src).label if src else None, "leads": n,
             "left_details": kept, "hot": hot, "orders": won, "conversion": won / n if n else 0.0}
            for ch, src, n, kept, hot, won in rows]


SOURCES = Report("sources", "展厅来源分析", (
    Column("channel", "客户来源"), Column("info_source", "信息来源"), Column("leads", "客户数", "int"),
    Column("left_details", "留档", "int"), Column("hot", "H/A级", "int"), Column("orders", "成交", "int"),
    Column("conversion", "成交率", "rate"),
), sources, bars="leads")


def prospects(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("l.owner_id")
    on = min(ctx.period.end, ctx.now.date())
    rows = ctx.conn.execute(f"""
        SELECT l.id, l.name, l.phone, l.grade, s.name, l.model, l.last_contact_at, l.next_due, l.followup_count,
               l.owner_id, l.pool
        FROM leads l LEFT JOIN staff s ON s.id = l.owner_id
        WHERE l.status = 'active' AND l.grade IN ('H', 'A', 'B', 'C') AND {where}
        ORDER BY CASE l.grade WHEN 'H' THEN 1 WHEN 'A' THEN 2 WHEN 'B' THEN 3 ELSE 4 END, l.next_due, l.id""",
                            args).fetchall()
    return [{"lead_id": i, "name": name, "phone": ctx.phone(phone, owner_id, pool), "grade": grade,
             "owner": owner, "model": model, "last_contact": last[:10] if last else None, "next_due": due,
             "overdue_days": overdue_days(date.fromisoformat(due), on) if due else 0, "followups": count}
            for i, name, phone, grade, owner, model, last, due, count, owner_id, pool in rows]


PROSPECTS = Report("prospects", "有望客户跟踪进度", (
    Column("lead_id", "客户编号", "int"), Column("name", "客户姓名"), Column("phone", "电话"),
    Column("grade", "意向级别"), Column("owner", "销售顾问"), Column("model", "意向车型"),
    Column("last_contact", "上次跟进", "date"), Column("next_due", "下次跟进", "date"),
    Column("overdue_days", "逾期天数", "int"), Column("followups", "跟进次数", "int"),
), prospects)

_INVENTORY_GRADES = ("H", "A", "B", "C", "D")


def inventory(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("l.owner_id")
    counts: dict[str, dict[str, int]] = {}
    for owner, grade, n in ctx.conn.execute(f"""
            SELECT coalesce(s.name, '(未分配)'), l.grade, count(*) FROM leads l LEFT JOIN staff s ON s.id = l.owner_id
            WHERE l.status = 'active' AND l.grade IN ('H', 'A', 'B', 'C', 'D') AND {where} GROUP BY 1, 2""", args):
        counts.setdefault(owner, {})[grade] = n
    moves: dict[str, list[int]] = {}
    for owner, new, old in ctx.conn.execute(f"""
            SELECT coalesce(s.name, '(未分配)'), g.grade, g.previous FROM grades g JOIN leads l ON l.id = g.lead_id
            LEFT JOIN staff s ON s.id = l.owner_id
            WHERE g.at >= ? AND g.at < ? AND g.previous IS NOT NULL AND g.grade != g.previous AND {where}""",
                                            [ctx.period.lo, ctx.period.hi, *args]):
        up = GRADE_RANK[new] < GRADE_RANK[old]
        moves.setdefault(owner, [0, 0])[0 if up else 1] += 1
    out = []
    for owner in sorted(set(counts) | set(moves)):
        row = {g: counts.get(owner, {}).get(g, 0) for g in _INVENTORY_GRADES}
        up, down = moves.get(owner, [0, 0])
        out.append({"owner": owner, **row, "total": sum(row.values()), "upgrades": up, "downgrades": down})
    return out


INVENTORY = Report("inventory", "客户意向确度表", (
    Column("owner", "销售顾问"), *(Column(g, f"{g}级", "int") for g in _INVENTORY_GRADES),
    Column("total", "合计", "int"), Column("upgrades", "本期升级", "int"), Column("downgrades", "本期降级", "int"),
), inventory, chart="stacked")
