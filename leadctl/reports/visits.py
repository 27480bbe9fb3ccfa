"""Showroom traffic (展厅流量分析) and the arrival register (到店客户登记)."""

from __future__ import annotations

from leadctl.models import Channel, Grade, InfoSource
from leadctl.reports.base import Column, Context, Report

WEEKDAYS = "一二三四五六日"
HOUR_BANDS = ((8, 10), (10, 12), (12, 14), (14, 16), (16, 18), (18, 20))


def traffic(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("v.staff_id")
    bands = ", ".join(f"sum(v.kind = 'visit' AND substr(v.arrived_at, 12, 2) >= '{a:02d}'"
                      f" AND substr(v.arrived_at, 12, 2) < '{b:02d}')" for a, b in HOUR_BANDS)
    rows = ctx.conn.execute(f"""
        SELECT substr(v.arrived_at, 1, 10), sum(v.kind = 'visit'), sum(CASE WHEN v.kind = 'visit' THEN v.party END),
               sum(v.kind = 'visit' AND v.first_visit), sum(v.kind = 'visit' AND NOT v.first_visit),
               sum(v.kind = 'visit' AND v.first_visit AND v.left_contact), sum(v.kind = 'visit' AND NOT v.left_contact),
               sum(v.kind = 'call'), sum(v.kind = 'list'), {bands}
        FROM live_visits v WHERE v.arrived_at >= ? AND v.arrived_at < ? AND {where}
        GROUP BY 1""", [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    by_day = {r[0]: r[1:] for r in rows}
    keys = [c.key for c in TRAFFIC.columns[2:]]
    out = []
    for day in ctx.period.days():
        values = by_day.get(day.isoformat(), (0,) * len(keys))
        out.append({"date": day, "weekday": "周" + WEEKDAYS[day.weekday()],
                    **{k: v or 0 for k, v in zip(keys, values, strict=True)}})
    return out


TRAFFIC = Report("traffic", "展厅流量分析", (
    Column("date", "日期", "date"), Column("weekday", "星期", "weekday"),
    Column("batches", "来店批次", "int"), Column("people", "来店人数", "int"),
    Column("first_visits", "首次来店", "int"), Column("return_visits", "再次来店", "int"),
    Column("left_details", "首次留档", "int"), Column("no_details", "未留档", "int"),
    Column("calls", "来电", "int"), Column("list_leads", "网络/下发线索", "int"),
    *(Column(f"h{a:02d}_{b:02d}", f"{a}-{b}时批次", "int") for a, b in HOUR_BANDS),
), traffic, chart="line", bars="batches")


_WITHIN_24H = "{t}.lead_id = v.lead_id AND {t}.at >= v.arrived_at AND {t}.at < " \
              "strftime('%Y-%m-%dT%H:%M:%S', v.arrived_at, '+1 day')"


def arrivals(ctx: Context) -> list[dict]:
    """The register; its 24小时追踪级别 is the last grade recorded within 24 hours of the visit, by any command
    (a batch that left no contact, W, has none to track). Each row keeps what was true at that visit: the grade then
    and the trade-in wish stated; calls (来电) are listed when the store's form includes them ([card] register_calls,
    the [001] form is 来店(电))."""
    where, args = ctx.scope.sql("v.staff_id")
    calls = int(bool(ctx.policy.data.get("card", {}).get("register_calls", False)))
    rows = ctx.conn.execute(f"""
        SELECT v.arrived_at, l.name, v.first_visit, l.phone, l.channel, coalesce(v.model, l.model),
               coalesce(v.grade, l.grade), coalesce(v.trade_in, l.trade_in), l.info_source, v.left_at, v.test_drive,
               s.name,
               (SELECT f.result FROM live_followups f WHERE {_WITHIN_24H.format(t="f")} ORDER BY f.at, f.id LIMIT 1),
               (SELECT g.at || char(31) || g.grade FROM grades g WHERE {_WITHIN_24H.format(t="g")}
                AND g.grade != 'W' ORDER BY g.at DESC, g.id DESC LIMIT 1),
               (SELECT f.at || char(31) || f.grade FROM live_followups f WHERE {_WITHIN_24H.format(t="f")}
                AND f.grade IS NOT NULL ORDER BY f.at DESC, f.id DESC LIMIT 1), l.owner_id, l.pool
        FROM live_visits v JOIN leads l ON l.id = v.lead_id LEFT JOIN staff s ON s.id = v.staff_id
        WHERE (v.kind = 'visit' OR (v.kind = 'call' AND ?)) AND v.arrived_at >= ? AND v.arrived_at < ? AND {where}
        ORDER BY v.arrived_at, v.id""", [calls, ctx.period.lo, ctx.period.hi, *args]).fetchall()
    out = []
    for (arrived, name, first, phone, channel, model, grade, trade_in, source, left, drive, staff, fu_result,
         *graded, owner_id, pool) in rows:
        # a follow-up's grade is in the grade history only when it changed the grade: take the later of the two
        latest = max((g.partition("\x1f") for g in graded if g), key=lambda g: g[0], default=None)
        fu_grade = latest[2] if latest else None
        out.append({
            "date": arrived[:10], "name": name or "(未留档)", "new_customer": "新" if first else "老",
            "phone": ctx.phone(phone, owner_id, pool) or "", "channel": Channel(channel).label,
            "model": model, "grade": Grade(grade).label if grade else None, "trade_in": "有" if trade_in else "无",
            "info_source": InfoSource(source).label if source else None, "arrived": arrived[11:16],
            "left": left[11:16] if left else None, "grade_24h": fu_grade or None,
            "story": "; ".join(x for x in ("试驾" if drive else "", fu_result) if x) or None, "consultant": staff,
        })
    return out


ARRIVALS = Report("arrivals", "到店客户登记", (
    Column("date", "到店日期", "date"), Column("name", "客户姓名"), Column("new_customer", "客户性质(新/老)"),
    Column("phone", "电话"), Column("channel", "客户来源"), Column("model", "拟购车型"), Column("grade", "意向级别"),
    Column("trade_in", "置换意愿"), Column("info_source", "来店信息来源"), Column("arrived", "到店时间"),
    Column("left", "离去时间"), Column("grade_24h", "24小时追踪级别"), Column("story", "经过情形"),
    Column("consultant", "销售顾问"),
), arrivals)
