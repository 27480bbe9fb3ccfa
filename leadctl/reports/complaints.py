"""The complaint register (客户投诉登记表) [001] each department hands in on Monday for the week before: one row
per complaint received in the period, then subtotals by kind and by department and the total, which carries the
complaint KPIs: first replies on time, valid and invalid, deadlines breached (`breaches`, `breach_rate`) and
satisfaction. Deadlines are judged as of the report's clock."""

from __future__ import annotations

from statistics import mean

from leadctl.reports.base import Column, Context, Report, minute
from leadctl.rules import deadlines
from leadctl.rules.deadlines import ComplaintChannel, ComplaintKind

_SQL = """
    SELECT c.received_at, coalesce(l.name, c.name), coalesce(l.phone, c.phone), c.kind, c.summary,
           c.product_category, c.product_model, c.product_date, c.department, r.name, c.action, c.valid, c.score,
           c.channel, c.received_at, c.replied_at, c.contacted_at,
           (SELECT group_concat(a.at, ',') FROM complaint_acts a WHERE a.complaint_id = c.id AND a.act = 'progress'),
           c.resolved_at, l.owner_id, l.pool
    FROM complaints c LEFT JOIN leads l ON l.id = c.lead_id JOIN staff r ON r.id = c.responsible_id
    WHERE c.received_at >= ? AND c.received_at < ? AND {where} ORDER BY c.received_at, c.id"""
NO_DEPARTMENT = "(未填)"


def _entry(ctx: Context, rules: deadlines.Rules, row: tuple) -> dict:
    (received, name, number, kind, summary, category, model, made, department, handler, action, valid, score, *fact,
     owner_id, pool) = row
    f = deadlines.facts(*fact)
    items = deadlines.deadlines(rules, f)
    first = items[0]  # the first plan or reply
    answered = f.replied or f.resolved
    on_time = None if first.met is None and not first.breached(ctx.now) else not first.breached(ctx.now)
    return {
        "row": "登记", "date": received[:10], "name": name,
        "phone": ctx.phone(number, owner_id, pool), "channel": ComplaintChannel(f.channel).label,
        "kind": ComplaintKind(kind).label, "summary": summary,
        "product": " / ".join(x for x in (category, model, made) if x) or None,
        "department": department or NO_DEPARTMENT, "handler": handler, "first_reply_at": minute(answered),
        "reply_minutes": int((answered - f.received).total_seconds() // 60) if answered else None,
        "reply_on_time": on_time, "result": action,
        "valid": None if valid is None else ("有效" if valid else "无效"), "closed_at": minute(f.resolved),
        "satisfaction": score, "breaches": deadlines.breaches(items, ctx.now),
    }


def _total(label: str, rows: list[dict], kind: str | None = None, department: str | None = None) -> dict:
    minutes = [r["reply_minutes"] for r in rows if r["reply_minutes"] is not None]
    judged = [r["reply_on_time"] for r in rows if r["reply_on_time"] is not None]
    closed = [r["valid"] == "有效" for r in rows if r["valid"]]
    scores = [r["satisfaction"] for r in rows if r["satisfaction"] is not None]
    return {
        "row": label, "kind": kind, "department": department, "complaints": len(rows),
        "reply_minutes": round(mean(minutes)) if minutes else None,
        "on_time_rate": sum(judged) / len(judged) if judged else None,
        "valid_rate": sum(closed) / len(closed) if closed else None,
        "satisfaction": mean(scores) if scores else None, "breaches": sum(r["breaches"] for r in rows),
        "breach_rate": sum(r["breaches"] > 0 for r in rows) / len(rows) if rows else None,
    }


def complaints(ctx: Context) -> list[dict]:
    rules = deadlines.rules_of(ctx.policy.data.get("complaints"))
    where, args = ctx.scope.sql("c.responsible_id")
    found = ctx.conn.execute(_SQL.format(where=where), [ctx.period.lo, ctx.period.hi, *args]).fetchall()
    register = [_entry(ctx, rules, row) for row in found]
    kinds = [k.label for k in ComplaintKind if any(r["kind"] == k.label for r in register)]
    departments = sorted({r["department"] for r in register})
    return [*register,
            *(_total("小计", [r for r in register if r["kind"] == k], kind=k) for k in kinds),
            *(_total("小计", [r for r in register if r["department"] == d], department=d) for d in departments),
            _total("合计", register)]


COMPLAINTS = Report("complaints", "客户投诉登记表", (
    Column("row", "项目"), Column("date", "日期", "date"), Column("name", "客户姓名"),
    Column("phone", "联系电话"), Column("channel", "投诉渠道"), Column("kind", "投诉类别"),
    Column("summary", "投诉内容"), Column("product", "产品"), Column("department", "责任部门"),
    Column("handler", "处理人"), Column("first_reply_at", "首次回复时间"), Column("reply_minutes", "回复分钟", "int"),
    Column("reply_on_time", "按时", "mark"), Column("result", "处理结果"), Column("valid", "是否有效"),
    Column("closed_at", "结案时间"), Column("satisfaction", "满意度", "decimal"), Column("breaches", "超时", "int"),
    Column("complaints", "件数", "int"), Column("valid_rate", "有效率", "rate"),
    Column("on_time_rate", "按时率", "rate"), Column("breach_rate", "超时率", "rate"),
), complaints)
