"""The annual plan [004] 1-2: the year's order target split into months by the seasonal index of the store's own
orders, and the X+Y roll: the months behind as actuals, the months ahead re-planned from what is left.

Every plan is a new version (a re-plan keeps the old one), written in one transaction with its audit event.
"""

from __future__ import annotations

import re
import sqlite3
from datetime import date, datetime

from leadctl.errors import BadInput, NotFound
from leadctl.i18n import _
from leadctl.planning import history
from leadctl.rules import dates
from leadctl.rules.planning import largest_remainder
from leadctl.services import policy, staff
from leadctl.store.audit import record
from leadctl.store.db import Store


def settings(conn: sqlite3.Connection) -> dict:
    """The policy's [planning] section, with the presets' values for keys a stored policy predates."""
    defaults = {"history_years": 2, "season": [1] * 12, "breakdown_months": 3, "rate_months": 6,
                "signature_required": False, "check_share": 0.1, "check_count": 0,
                "check_fields": ["name", "phone", "model", "grade", "channel"], "correct_days": 3}
    return {**defaults, **policy.current(conn).data.get("planning", {})}


def parse_month(text: str, what: str = "MONTH") -> date:
    found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
    if not found or not 1 <= int(found[2]) <= 12:
        raise BadInput(_("cannot read the month {text!r}").format(text=text),
                       _("write {what} as YYYY-MM, e.g. 2027-03").format(what=what))
    day = date(int(found[1]), int(found[2]), 1)
    dates.within(day, what, text)
    return day


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2999:
        raise BadInput(_("the year {year} is out of range").format(year=year), _("give a year such as 2027"))


def _count(value: int | None, option: str) -> None:
    if value is not None and value < 0:
        raise BadInput(_("{option} {value} is negative").format(option=option, value=value),
                       _("a target is a whole number, 0 or more"))


def current(conn: sqlite3.Connection, year: int) -> dict | None:
    return history.one(conn, "SELECT * FROM plans WHERE year = ? ORDER BY version DESC LIMIT 1", (year,))


def required(conn: sqlite3.Connection, year: int) -> dict:
    plan = current(conn, year)
    others = [r[0] for r in conn.execute("SELECT DISTINCT year FROM plans ORDER BY year")]
    if plan is None and others:
        raise BadInput(_("{year} is outside the plans' years ({years})").format(
            year=year, years=", ".join(map(str, others))),
            _("give a month of a planned year, or plan {year} first with `leadctl plan year {year} --orders N`")
            .format(year=year))
    if plan is None:
        raise NotFound(_("there is no plan for {year}").format(year=year),
                       _("a manager makes it with `leadctl plan year {year} --orders N`").format(year=year))
    return plan


def months_of_plan(conn: sqlite3.Connection, plan_id: int) -> list[dict]:
    return history.rows(conn, "SELECT * FROM plan_months WHERE plan_id = ? ORDER BY month", (plan_id,))


def _save(conn, now: datetime, who, year: int, kind: str, orders: int, deliveries: int | None, basis: str,
          years: int, rows: list[tuple], rolled_from: str | None = None) -> int:
    version = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM plans WHERE year = ?", (year,)).fetchone()[0]
    plan_id = conn.execute(
        "INSERT INTO plans (year, version, kind, rolled_from, made_at, made_by, orders, deliveries, basis,"
        " history_years) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (year, version, kind, rolled_from, now.isoformat(), who.id, orders, deliveries, basis, years)).lastrowid
    conn.executemany("INSERT INTO plan_months (plan_id, month, share, orders, deliveries, actual)"
                     " VALUES (?,?,?,?,?,?)", [(plan_id, *row) for row in rows])
    record(conn, now, who.id, f"plan.{kind}", None, year=year, version=version, orders=orders,
           deliveries=deliveries, basis=basis, rolled_from=rolled_from)
    return version


def plan_year(store: Store, now: datetime, actor: str | None, year: int, orders: int, deliveries: int | None = None,
              from_history: int | None = None) -> dict:
    """The year's plan: months' shares from the seasonal index of the store's orders over the last years (the
    policy's indices without history), rounded by largest remainder so the months sum to the target."""
    _check_year(year)
    _count(orders, "--orders")
    _count(deliveries, "--deliveries")
    if from_history is not None and not 1 <= from_history <= 20:
        raise BadInput(_("--from-history {n} is out of range").format(n=from_history), _("give 1 to 20 years"))
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "plan.set")
        years = from_history or settings(conn)["history_years"]
        shares, seen, days = history.seasonal_index(conn, year, years, now.date())
        basis = "history" if shares is not None else "policy"
        if shares is None:
            season = settings(conn)["season"]
            shares = [v / sum(season) for v in season]
        split = largest_remainder(orders, shares)
        given = largest_remainder(deliveries, shares) if deliveries is not None else [None] * 12
        rows = [(m, round(s, 6), o, d, None) for m, s, o, d in
                zip(history.months_of(year), shares, split, given, strict=True)]
        version = _save(conn, now, who, year, "year", orders, deliveries, basis, years, rows)
    return {"year": year, "version": version, "basis": basis, "history_years": years, "history_orders": seen,
            "history_days": days,
            "orders": orders, "deliveries": deliveries,
            "months": [{"month": m, "share": s, "orders": o, "deliveries": d} for m, s, o, d, _a in rows]}


def show(store: Store, now: datetime, actor: str | None, year: int | None = None) -> dict:
    """The current plan of the year (by default the clock's), each month's target beside its actual orders (and
    deliveries)."""
    year = now.year if year is None else year
    _check_year(year)
    with store.read() as conn:
        staff.authorize(conn, now, actor, "report")
        plan = required(conn, year)
        actual, delivered = history.actual_by_month(conn, year), history.delivered_by_month(conn, year)
        months = []
        for row in months_of_plan(conn, plan["id"]):
            m = row["month"]
            months.append({"month": m, "orders": row["orders"], "actual": actual[m],
                           "variance": actual[m] - row["orders"], "deliveries": row["deliveries"],
                           "delivered": delivered[m]})
    return {"year": year, "version": plan["version"], "kind": plan["kind"], "basis": plan["basis"],
            "orders": plan["orders"], "deliveries": plan["deliveries"], "months": months}


def roll(store: Store, now: datetime, actor: str | None, month: str) -> dict:
    """X+Y [004] 2: months before MONTH are actuals; what the year's target still needs is re-spread over MONTH
    to December by the same indices (deliveries: the target less cars delivered and the open orders carried)."""
    first = parse_month(month)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "plan.set")
        plan = required(conn, first.year)
        before = months_of_plan(conn, plan["id"])
        actual = history.actual_by_month(conn, first.year)
        delivered = history.delivered_by_month(conn, first.year)
        label = history.month_text(first)
        past = [r for r in before if r["month"] < label]
        ahead = [r for r in before if r["month"] >= label]
        done = sum(actual[r["month"]] for r in past)
        left = max(0, plan["orders"] - done)
        carried = history.open_orders_before(conn, first)
        replan = largest_remainder(left, [r["share"] for r in ahead])
        d_left = None
        if plan["deliveries"] is not None:
            d_left = max(0, plan["deliveries"] - sum(delivered[r["month"]] for r in past) - carried)
        d_replan = largest_remainder(d_left, [r["share"] for r in ahead]) if d_left is not None else [None] * len(ahead)
        rows = [(r["month"], r["share"], actual[r["month"]], delivered[r["month"]] if d_left is not None else None,
                 actual[r["month"]]) for r in past]
        rows += [(r["month"], r["share"], o, d, None) for r, o, d in zip(ahead, replan, d_replan, strict=True)]
        version = _save(conn, now, who, first.year, "roll", plan["orders"], plan["deliveries"], plan["basis"],
                        plan["history_years"], rows, label)
    table = []
    new = {m: (o, d) for m, _s, o, d, _a in rows}
    for r in before:
        m, is_past = r["month"], r["month"] < label
        table.append({"month": m, "plan": r["orders"], "actual": actual[m] if is_past else None,
                      "variance": actual[m] - r["orders"] if is_past else None, "replan": new[m][0],
                      "deliveries_replan": new[m][1]})
    return {"year": first.year, "version": version, "from": label, "orders": plan["orders"], "actual_before": done,
            "left": left, "open_orders_carried": carried, "deliveries_left": d_left, "months": table}
