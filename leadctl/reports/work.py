"""The staff's work: the daily work report (工作日报) and the consultants' activity (销售顾问访问活动日报)."""

from __future__ import annotations

from leadctl.reports.base import Column, Context, Report
from leadctl.rules.funnel import invited_arrival

GRADE_RANK = {"O": 0, "H": 1, "A": 2, "B": 3, "C": 4, "D": 5, "L": 6, "F": 7, "W": 8}
_RANK_SQL = "CASE {c} " + " ".join(f"WHEN '{g}' THEN {r}" for g, r in GRADE_RANK.items()) + " END"


def _has(ctx: Context, table: str) -> bool:
    return ctx.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()


def _count_by(ctx: Context, sql: str, *args) -> dict[int, int]:
    return dict(ctx.conn.execute(sql, [*args]).fetchall())


def daily(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("s.id")
    staff = ctx.conn.execute(f"SELECT s.id, s.name, s.role FROM staff s WHERE s.active AND {where}"
                             " AND s.role NOT IN ('admin', 'service') ORDER BY s.id", args).fetchall()
    lo, hi = ctx.period.lo, ctx.period.hi
    asof = min(ctx.period.end, ctx.now.date()).isoformat()
    counts = {
        "new_leads": _count_by(ctx, "SELECT owner_id, count(*) FROM leads WHERE created_at >= ? AND created_at < ?"
                                    " GROUP BY owner_id", lo, hi),
        "followups": _count_by(ctx, "SELECT by_id, count(*) FROM live_followups WHERE at >= ? AND at < ?"
                               " GROUP BY by_id", lo, hi),
        "due": _count_by(ctx, "SELECT owner_id, count(*) FROM leads WHERE next_due = ? GROUP BY owner_id", asof),
        "overdue": _count_by(ctx, "SELECT owner_id, count(*) FROM leads WHERE next_due < ? GROUP BY owner_id", asof),
    }
    if _has(ctx, "invitations"):
        counts["invitations"] = _count_by(ctx, "SELECT invited_by, count(*) FROM invitations WHERE invited_at >= ?"
                                               " AND invited_at < ? GROUP BY invited_by", lo, hi)
        counts["arrivals"] = _count_by(ctx, "SELECT i.invited_by, count(*) FROM invitations i WHERE"
                                            f" {invited_arrival('i')} AND i.closed_at >= ? AND i.closed_at < ?"
                                            " GROUP BY i.invited_by", lo, hi)
    if _has(ctx, "orders"):
        counts["orders"] = _count_by(ctx, "SELECT ordered_by, count(*) FROM orders WHERE ordered_at >= ?"
                                          " AND ordered_at < ? AND status != 'cancelled' GROUP BY ordered_by", lo, hi)
        counts["deliveries"] = _count_by(ctx, "SELECT l.owner_id, count(*) FROM orders o JOIN leads l"
                                              " ON l.id = o.lead_id WHERE o.delivered_at >= ? AND o.delivered_at < ?"
                                              " GROUP BY l.owner_id", lo, hi)
    keys = [c.key for c in DAILY.columns[2:]]
    return [{"staff": name, "role": role, **{k: counts.get(k, {}).get(sid, 0) for k in keys}}
            for sid, name, role in staff]


DAILY = Report("daily", "工作日报", (
    Column("staff", "员工"), Column("role", "岗位", "role"), Column("new_leads", "新增线索", "int"),
    Column("followups", "回访次数", "int"), Column("due", "今日应回访", "int"), Column("overdue", "逾期未回访", "int"),
    Column("invitations", "邀约", "int"), Column("arrivals", "邀约到店", "int"), Column("orders", "订单", "int"),
    Column("deliveries", "交车", "int"),
), daily, bars="followups")


def activity(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("f.by_id")
    rows = ctx.conn.execute(f"""
        SELECT substr(f.at, 1, 10), s.name, sum(f.method = 'phone'), sum(f.method = 'sms'), sum(f.method = 'wechat'),
               sum(f.method = 'visit'), sum(f.method = 'store'), count(*)
        FROM live_followups f JOIN staff s ON s.id = f.by_id
        WHERE f.at >= ? AND f.at < ? AND {where} GROUP BY 1, f.by_id ORDER BY 1, s.name""",
                            [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    new, old = _RANK_SQL.format(c="g.grade"), _RANK_SQL.format(c="g.previous")
    moves = {(r[0], r[1]): r[2:] for r in ctx.conn.execute(f"""
        SELECT substr(g.at, 1, 10), s.name, sum({new} < {old}), sum({new} > {old})
        FROM grades g JOIN staff s ON s.id = g.by_id
        WHERE g.at >= ? AND g.at < ? AND g.previous IS NOT NULL AND {where.replace('f.by_id', 'g.by_id')}
        GROUP BY 1, g.by_id""", [ctx.period.lo, ctx.period.hi, *args])}
    keys = [c.key for c in ACTIVITY.columns[2:8]]
    return [{"date": day, "staff": name, **dict(zip(keys, values, strict=True)),
             "upgrades": moves.get((day, name), (0, 0))[0], "downgrades": moves.get((day, name), (0, 0))[1]}
            for day, name, *values in rows]


ACTIVITY = Report("activity", "销售顾问访问活动日报", (
    Column("date", "日期", "date"), Column("staff", "销售顾问"), Column("phone", "电话", "int"),
    Column("sms", "短信", "int"), Column("wechat", "微信", "int"), Column("visit", "上门拜访", "int"),
    Column("store", "到店", "int"), Column("total", "回访合计", "int"), Column("upgrades", "升级", "int"),
    Column("downgrades", "降级", "int"),
), activity, bars="total")
