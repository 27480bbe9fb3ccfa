"""The planning reports, in the catalog beside the others (so `report NAME` and the monthly workbook show them):
the year's plan against actuals, the month's progress (集客进度周盘点) with the weekly chart, the role scorecards
[004], customer service's checks of new entries, and the weekly plans and summaries [003]."""

from __future__ import annotations

import calendar
import json
from datetime import timedelta

from leadctl.i18n import N_
from leadctl.planning import history, measures
from leadctl.reports.base import Column, Context, Period, Report, Scope, minute
from leadctl.reports.funnel import store_counts
from leadctl.rules.funnel import rate
from leadctl.rules.planning import SCORECARD_KPIS, score


def _year_plan(ctx: Context, year: int) -> dict | None:
    return history.one(ctx.conn, "SELECT * FROM plans WHERE year = ? ORDER BY version DESC LIMIT 1", (year,))


def plan_rows(ctx: Context) -> list[dict]:
    year = ctx.period.start.year
    plan = _year_plan(ctx, year)
    if plan is None:
        return []
    actual = history.actual_by_month(ctx.conn, year)
    months = history.rows(ctx.conn, "SELECT month, orders, deliveries FROM plan_months WHERE plan_id = ? ORDER BY"
                                    " month", (plan["id"],))
    return [{"month": m["month"], "version": plan["version"], "orders": m["orders"], "actual": actual[m["month"]],
             "variance": actual[m["month"]] - m["orders"], "deliveries": m["deliveries"]} for m in months]


PLAN = Report("plan", N_("年度订单目标规划"), (
    Column("month", N_("月份")), Column("version", N_("版本"), "int"), Column("orders", N_("订单目标"), "int"),
    Column("actual", N_("实际订单"), "int"), Column("variance", N_("差异"), "int"),
    Column("deliveries", N_("交车目标"), "int"),
), plan_rows)


# -- progress ------------------------------------------------------------------------------------------------------
def _targets(ctx: Context, month: str) -> tuple[int | None, dict[str, list[dict]]]:
    """The month's order target and its cells (by dimension), from the month plan, else the year plan's month."""
    plan = history.one(ctx.conn, "SELECT * FROM month_plans WHERE month = ? ORDER BY version DESC LIMIT 1", (month,))
    if plan is not None:
        cells = history.rows(ctx.conn, "SELECT * FROM month_cells WHERE month_plan_id = ? ORDER BY rowid",
                             (plan["id"],))
        by: dict[str, list[dict]] = {}
        for cell in cells:
            by.setdefault(cell["dimension"], []).append(cell)
        if ctx.scope.staff_ids is not None:
            mine = [c for c in by.get("person", []) if c["staff_id"] in ctx.scope.staff_ids]
            return sum(c["orders"] for c in mine), {"person": mine}
        return plan["orders"], by
    year = _year_plan(ctx, int(month[:4]))
    if year is None:
        return None, {}
    row = history.one(ctx.conn, "SELECT orders FROM plan_months WHERE plan_id = ? AND month = ?", (year["id"], month))
    return (row["orders"] if ctx.scope.staff_ids is None else None), {}


def _sum(cells: list[dict], key: str) -> int | None:
    values = [c[key] for c in cells if c[key] is not None]
    return sum(values) if values else None


def _line(split: str, key: str, target: dict, actual: dict, elapsed: float) -> dict:
    expected = {k: round(target[k] * elapsed) if target[k] is not None else None for k in ("orders", "leads", "new_ha")}
    return {"split": split, "key": key, "orders_target": target["orders"], "orders": actual["orders"],
            "leads_target": target["leads"], "leads": actual["leads"], "new_ha_target": target["new_ha"],
            "new_ha": actual["new_ha"], "elapsed": round(elapsed, 4), "orders_expected": expected["orders"],
            "orders_behind": max(0, expected["orders"] - actual["orders"]) if expected["orders"] is not None else None,
            "leads_behind": max(0, expected["leads"] - actual["leads"]) if expected["leads"] is not None else None}


def progress(ctx: Context) -> list[dict]:
    first = ctx.period.start.replace(day=1)
    days = calendar.monthrange(first.year, first.month)[1]
    last_day = first.replace(day=days)
    through = min(ctx.period.end, last_day, ctx.now.date())
    elapsed = max(0.0, min(1.0, ((through - first).days + 1) / days))
    month = history.month_text(first)
    orders, cells = _targets(ctx, month)
    if orders is None:
        return []
    whole = {"orders": orders, "leads": _sum(cells.get("person", []), "leads"),
             "new_ha": _sum(cells.get("person", []), "new_ha")}
    out = []
    week_end = first + timedelta(days=6 - first.weekday())
    while week_end - timedelta(days=6) <= last_day:
        end = min(week_end, last_day)
        share = ((end - first).days + 1) / days
        begun = max(first, end - timedelta(days=6)) <= ctx.now.date()
        seen = measures.figures(ctx, Period(first, min(end, ctx.now.date())), ctx.scope) if begun else None
        row = _line("week", f"{end.isocalendar()[0]}-W{end.isocalendar()[1]:02d}", whole,
                    seen or {"orders": 0, "leads": 0, "new_ha": 0}, share)
        if seen is None:
            row.update(orders=None, leads=None, new_ha=None, orders_behind=None, leads_behind=None)
        out.append({**row, **{f"{k}_target": round(whole[k] * share) if whole[k] is not None else None
                              for k in ("orders", "leads", "new_ha")}})
        week_end += timedelta(days=7)
    span = Period(first, through)
    out.append(_line("total", "合计", whole, measures.figures(ctx, span, ctx.scope), elapsed))
    for cell in cells.get("model", []):
        out.append(_line("model", cell["key"], cell, _by_model(ctx, span, cell["key"]), elapsed))
    for cell in cells.get("person", []):
        name = ctx.conn.execute("SELECT name FROM staff WHERE id = ?", (cell["staff_id"],)).fetchone()[0]
        out.append(_line("person", name, cell, measures.figures(ctx, span, Scope((cell["staff_id"],), name)),
                         elapsed))
    return out


def _by_model(ctx: Context, span: Period, model: str) -> dict:
    args = [span.lo, span.hi, model]
    orders = ctx.conn.execute(f"SELECT count(*) FROM orders o JOIN leads l ON l.id = o.lead_id WHERE o.ordered_at >= ?"
                              f" AND o.ordered_at < ? AND o.status != 'cancelled' AND {history.MODEL} = ?",
                              args).fetchone()[0]
    leads, ha = ctx.conn.execute(
        "SELECT count(*), sum(EXISTS (SELECT 1 FROM grades g WHERE g.lead_id = l.id AND g.grade IN ('H', 'A')"
        " AND g.at < ?)) FROM leads l WHERE l.created_at >= ? AND l.created_at < ? AND l.merged_into IS NULL"
        " AND coalesce(l.model, '(未定)') = ?", [span.hi, *args]).fetchone()
    return {"orders": orders, "leads": leads, "new_ha": ha or 0}


PROGRESS = Report("progress", N_("集客进度盘点"), (
    Column("split", N_("类别"), "dimension"), Column("key", N_("项目")), Column("orders_target", N_("订单目标"), "int"),
    Column("orders", N_("实际订单"), "int"), Column("leads_target", N_("集客目标"), "int"),
    Column("leads", N_("实际集客"), "int"), Column("new_ha_target", N_("新增H/A目标"), "int"),
    Column("new_ha", N_("实际新增H/A"), "int"), Column("elapsed", N_("时间进度"), "rate"),
    Column("orders_expected", N_("应达订单"), "int"), Column("orders_behind", N_("订单落后"), "int"),
    Column("leads_behind", N_("集客落后"), "int"),
), progress, chart="line")


# -- scorecards ----------------------------------------------------------------------------------------------------
def cards(ctx: Context) -> dict[str, list[dict]]:
    from leadctl.rules.policy import preset_data

    return ctx.policy.data.get("scorecard") or preset_data("standard")["scorecard"]


def card_of(role: str, table: dict[str, list[dict]]) -> list[dict] | None:
    """A role's scorecard; the salespeople without one of their own (direct sales, telesales) use the consultant's."""
    if role in table:
        return table[role]
    return table.get("consultant") if role in ("direct-sales", "telesales") else None


def measure(ctx: Context, kpi: str, scope: Scope, person: int | None) -> tuple[float | None, float | None,
                                                                              float | None]:
    """One KPI of the scorecard over the period: (value, numerator, denominator)."""
    span = ctx.period
    month = history.month_text(span.start)
    if kpi in ("order_attainment", "new_leads"):
        orders, cells = _targets(ctx, month) if person is None else _person_target(ctx, month, person)
        done = measures.figures(ctx, span, scope)
        if kpi == "order_attainment":
            return rate(done["orders"], orders or 0), done["orders"], orders
        target = _sum(cells.get("person", []), "leads")
        return rate(done["leads"], target or 0), done["leads"], target
    if kpi == "ha_share":
        done = measures.figures(ctx, span, scope)
        return rate(done["new_ha"], done["leads"]), done["new_ha"], done["leads"]
    if kpi in ("retention_rate", "downgrade_rate", "defeat_share"):
        part, whole = store_counts(Context(ctx.conn, span, scope, ctx.now, ctx.policy, ctx.viewer))[kpi]
        return rate(part, whole), part, whole
    if kpi in ("ha_conversion", "bc_conversion"):
        table = history.rates(ctx.conn, span.start, span.end + timedelta(days=1), scope.staff_ids)
        found = table["ha_to_order" if kpi == "ha_conversion" else "bc_to_ha"]["*"]
        return found.value, found.numerator, found.denominator
    part, whole = {"accuracy": measures.accuracy, "visit_plan": measures.visit_plan,
                   "churn_rate": measures.churn}[kpi](ctx, span, scope)
    return rate(part, whole), part, whole


def _person_target(ctx: Context, month: str, staff_id: int) -> tuple[int | None, dict]:
    plan = history.one(ctx.conn, "SELECT id FROM month_plans WHERE month = ? ORDER BY version DESC LIMIT 1", (month,))
    cell = history.one(ctx.conn, "SELECT * FROM month_cells WHERE month_plan_id = ? AND dimension = 'person' AND"
                                 " staff_id = ?", (plan["id"], staff_id)) if plan else None
    return (cell["orders"], {"person": [cell]}) if cell else (None, {})


def scorecard(ctx: Context) -> list[dict]:
    table = cards(ctx)
    where, args = ctx.scope.sql("id")
    people = ctx.conn.execute(f"SELECT id, name, role FROM staff WHERE active AND {where} ORDER BY id",
                              args).fetchall()
    out = []
    for staff_id, name, role in people:
        card = card_of(role, table)
        if card is None:
            continue
        seller = role in ("consultant", "direct-sales", "telesales")
        scope = Scope((staff_id,), name) if seller else Scope()
        total = 0.0
        for line in card:
            value, part, whole = measure(ctx, line["kpi"], scope, staff_id if seller else None)
            got = score(line["kpi"], value, line["target"], line["weight"])
            total += got or 0
            out.append({"staff": name, "role": role, "kpi": line["kpi"], "name": SCORECARD_KPIS[line["kpi"]][0],
                        "value": None if value is None else round(value, 4), "target": line["target"],
                        "weight": line["weight"], "score": got, "numerator": part, "denominator": whole,
                        "discounted": None})
        out.append({"staff": name, "role": role, "kpi": "total", "name": "合计", "value": None, "target": None,
                    "weight": sum(line["weight"] for line in card), "score": round(total, 2), "numerator": None,
                    "denominator": None, "discounted": measures.discounted(ctx, ctx.period, scope)})
    return out


SCORECARD = Report("scorecard", N_("岗位KPI考核"), (
    Column("staff", N_("员工")), Column("role", N_("岗位"), "role"), Column("kpi", "kpi", "code"),
    Column("name", N_("指标"), "kpi_name"),
    Column("value", N_("实际"), "decimal"), Column("target", N_("目标"), "decimal"),
    Column("weight", N_("权重%"), "int"), Column("score", N_("得分"), "decimal"),
    Column("numerator", N_("分子"), "int"), Column("denominator", N_("分母"), "int"),
    Column("discounted", N_("未签字回访(不计)"), "int"),
), scorecard)


# -- checks and weekly forms ---------------------------------------------------------------------------------------
def checks(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("c.owner_id")
    rows = history.rows(ctx.conn, f"""
        SELECT s.name AS owner, count(*) AS checked, sum(c.passed) AS passed, sum(1 - c.passed) AS failed,
               sum(1 - c.passed AND c.corrected_at IS NULL) AS to_correct,
               (SELECT sum(x.ok) FROM entry_check_fields x JOIN entry_checks y ON y.id = x.check_id
                WHERE y.owner_id = c.owner_id AND y.checked_at >= ? AND y.checked_at < ?) AS fields_true,
               (SELECT count(*) FROM entry_check_fields x JOIN entry_checks y ON y.id = x.check_id
                WHERE y.owner_id = c.owner_id AND y.checked_at >= ? AND y.checked_at < ?) AS fields_checked
        FROM entry_checks c LEFT JOIN staff s ON s.id = c.owner_id
        WHERE c.checked_at >= ? AND c.checked_at < ? AND {where} GROUP BY c.owner_id ORDER BY s.name""",
                        [ctx.period.lo, ctx.period.hi] * 3 + args)
    for row in rows:
        row["accuracy"] = rate(row["fields_true"] or 0, row["fields_checked"])
    return rows


CHECKS = Report("checks", N_("客服部检核反馈表"), (
    Column("owner", N_("顾问")), Column("checked", N_("检核数"), "int"), Column("passed", N_("通过"), "int"),
    Column("failed", N_("未通过"), "int"), Column("to_correct", N_("待整改"), "int"),
    Column("fields_checked", N_("检核项"), "int"), Column("fields_true", N_("真实准确项"), "int"),
    Column("accuracy", N_("信息准确率"), "rate"),
), checks)


def weeks(ctx: Context) -> list[dict]:
    where, args = ctx.scope.sql("w.staff_id")
    labels = sorted({f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in ctx.period.days()})
    rows = history.rows(ctx.conn, f"""
        SELECT w.week, s.name AS staff, w.kind, w.at, w.body, w.numbers, w.figures, g.name AS signed_by, w.signed_at
        FROM week_forms w JOIN staff s ON s.id = w.staff_id LEFT JOIN staff g ON g.id = w.signed_by
        WHERE w.week IN ({','.join('?' * len(labels))}) AND {where} ORDER BY w.week, s.name, w.kind""",
                        [*labels, *args])
    for row in rows:
        row.update(json.loads(row.pop("figures")))
        row["at"], row["signed_at"] = minute(row["at"]), minute(row["signed_at"])
        typed = json.loads(row["numbers"]) if row["numbers"] else {}
        row["numbers"] = ", ".join(f"{k}={v}" for k, v in typed.items()) or None  # as typed: leads=20, orders=3
    return rows


WEEK = Report("week", N_("周计划与周总结"), (
    Column("week", N_("周")), Column("staff", N_("顾问")), Column("kind", N_("类别"), "week_form"),
    Column("at", N_("提交时间")), Column("body", N_("内容")), Column("numbers", N_("计划数字")),
    Column("leads", N_("集客"), "int"),
    Column("followups", N_("回访"), "int"), Column("orders", N_("订单"), "int"), Column("defeats", N_("战败"), "int"),
    Column("discounted", N_("未签字回访(不计)"), "int"), Column("signed_by", N_("经理签字")),
    Column("signed_at", N_("签字时间")),
), weeks)

