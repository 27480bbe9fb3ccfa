"""The month [004] 3-4: the month's order target split by model, customer type, channel and person, a manager's
override of any cell (the rest of its breakdown re-spread so the sums hold), the lead targets from the historical
rates, and each salesperson's confirmation of their target (个人目标确认书)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from leadctl.errors import BadInput, NotFound, Refused
from leadctl.i18n import _
from leadctl.planning import history, year
from leadctl.rules import planning
from leadctl.services import staff
from leadctl.store.audit import record
from leadctl.store.db import Store

DIMENSIONS = ("model", "type", "channel", "person")
SELLERS = ("consultant", "direct-sales")  # the roles that sign orders, and so carry an order target
NO_HISTORY = "(无历史)"


def sellers(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT id, name FROM staff WHERE active AND role IN (?, ?) ORDER BY id", SELLERS).fetchall()


def parse_shares(text: str | None) -> dict[str, float] | None:
    """--model-share 速腾=0.6,探岳=0.4: a share table that sums to 1."""
    if not text:
        return None
    table: dict[str, float] = {}
    for part in (p for p in text.split(",") if p.strip()):
        key, sep, value = part.partition("=")
        try:
            table[key.strip()] = float(value) if sep and key.strip() else float("nan")
        except ValueError:
            table[key.strip()] = float("nan")
    problems = planning.share_problems(table, "--model-share")
    if problems:
        raise BadInput("; ".join(problems), _("give MODEL=SHARE pairs that sum to 1, e.g. 速腾=0.6,探岳=0.4"))
    return table


def _overrides(conn, sets: list[str]) -> dict[str, dict[str, int]]:
    """--set DIMENSION:KEY=N (person:李明=5, model:速腾=12): a manager's cells."""
    out: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
    for item in sets or ():
        head, sep, value = item.partition("=")
        dimension, colon, key = head.partition(":")
        if not (sep and colon and dimension in DIMENSIONS and key.strip() and value.strip().isdigit()):
            raise BadInput(_("cannot read --set {item!r}").format(item=item),
                           _("write DIMENSION:KEY=N, the dimension one of {dims}, N a whole number 0 or more")
                           .format(dims=", ".join(DIMENSIONS)))
        key = key.strip()
        if dimension == "person":
            key = str(staff.get(conn, key).id)
        out[dimension][key] = int(value)
    return out


def _person_weights(conn, people: list[tuple[int, str]], past: dict[str, float]) -> tuple[dict[str, float], bool]:
    """Each salesperson's weight: the mean of their shares of the window's orders, of today's H/A leads and of the
    open orders [004]; all zero splits evenly (True)."""
    ids = [i for i, _n in people]
    held, open_ = history.resources(conn, ids)
    parts = [{i: past.get(str(i), 0.0) for i in ids}, held, open_]
    totals = [sum(p.values()) for p in parts]
    weights = {str(i): sum(p[i] / t for p, t in zip(parts, totals, strict=True) if t) / 3 for i in ids}
    return weights, not any(weights.values())


def _weights(conn, mix: dict, shares: dict | None, people) -> tuple[dict[str, dict[str, float]], list[str], bool]:
    notes, out = [], {}
    even = not mix["model"]
    vehicle_models = [r[0] for r in conn.execute("SELECT DISTINCT series FROM vehicles ORDER BY series")]
    if shares:
        out["model"] = shares
    elif mix["model"]:
        out["model"] = mix["model"]
    else:
        out["model"] = dict.fromkeys(vehicle_models or [history.NO_MODEL], 1.0)
        notes.append(_("no orders in the window: the models split evenly ({n} from the vehicle list)")
                     .format(n=len(vehicle_models)) if vehicle_models else _("no orders in the window and no vehicle "
                                                                          "list: one row for every model"))
    for dimension in ("type", "channel"):
        out[dimension] = mix[dimension] or {NO_HISTORY: 1.0}
    out["person"], flat = _person_weights(conn, people, mix["person"])
    if flat:
        out["person"] = dict.fromkeys(out["person"], 1.0)
        notes.append(_("no history yet: the target splits evenly among the {n} active salespeople")
                     .format(n=len(people)))
    return out, notes, even


def _rate_of(rates: dict, name: str, model: str | None) -> tuple[planning.Rate | None, str]:
    table = rates[name]
    if model is not None and model in table and table[model].denominator:
        return table[model], "model"
    return (table["*"], "store") if table["*"].denominator else (None, "none")


def plan_month(store: Store, now: datetime, actor: str | None, month: str, model_share: str | None = None,
               sets: list[str] | None = None) -> dict:
    first = year.parse_month(month)
    shares = parse_shares(model_share)
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "plan.set")
        plan = year.required(conn, first.year)
        label = history.month_text(first)
        target = conn.execute("SELECT orders FROM plan_months WHERE plan_id = ? AND month = ?",
                              (plan["id"], label)).fetchone()[0]
        fixed = _overrides(conn, sets or [])
        people = sellers(conn)
        if not people:
            raise Refused(_("the store has no active salespeople"), _("add them with `leadctl staff add`"))
        conf = year.settings(conn)
        lo = history.add_months(first, -conf["breakdown_months"])
        weights, notes, even = _weights(conn, history.mix(conn, lo, first), shares, people)
        unknown = [k for k in fixed["person"] if k not in weights["person"]]
        if unknown:
            name = conn.execute("SELECT name FROM staff WHERE id = ?", (int(unknown[0]),)).fetchone()[0]
            raise BadInput(_("--set person: {name} carries no order target").format(name=name),
                           _("targets go to active consultants and direct sales"))
        cells = {}
        for dimension in DIMENSIONS:
            try:
                cells[dimension] = planning.spread(target, weights[dimension], fixed[dimension])
            except ValueError as exc:
                raise BadInput(_("--set {dimension}: {why}").format(dimension=dimension, why=exc),
                               _("the cells of one breakdown sum to the month's target {n}").format(n=target)) from None
        rates = history.rates(conn, history.add_months(first, -conf["rate_months"]), first)
        base = history.base(conn)
        names = dict((str(i), n) for i, n in people)
        rows = []
        for dimension in DIMENSIONS:
            for key, orders in cells[dimension].items():
                model = key if dimension == "model" else None
                lead_rate, scope = _rate_of(rates, "lead_to_order", model)
                ha_rate, _s = _rate_of(rates, "ha_to_order", model)
                bc_rate, _s = _rate_of(rates, "bc_to_ha", model)
                bc = planning.expected(base.get(key, {}).get("BC", 0), bc_rate) if dimension == "model" else None
                rows.append({"dimension": dimension, "key": names.get(key, key) if dimension == "person" else key,
                             "staff_id": int(key) if dimension == "person" else None, "orders": orders,
                             "leads": planning.needed(orders, lead_rate), "new_ha": planning.needed(orders, ha_rate),
                             "bc_upgrades": bc, "overridden": key in fixed[dimension], "rate_from": scope})
        version = _save(conn, now, who, label, plan["id"], target, even, lo, first, rows)
        record(conn, now, who.id, "plan.month", None, month=label, version=version, orders=target,
               overrides=sum(len(v) for v in fixed.values()))
    rate_rows = [{"rate": name, "model": model, "numerator": r.numerator, "denominator": r.denominator,
                  "value": None if r.value is None else round(r.value, 4), "window": r.window}
                 for name, table in rates.items() for model, r in sorted(table.items())]
    return {"month": label, "version": version, "orders": target, "even": even, "notes": notes,
            "window": f"{history.month_text(lo)}..{history.month_text(history.add_months(first, -1))}",
            "cells": [{k: v for k, v in r.items() if k != "staff_id"} for r in rows], "rates": rate_rows}


def _save(conn, now, who, label, plan_id, target, even, lo, first, rows) -> int:
    version = conn.execute("SELECT coalesce(max(version), 0) + 1 FROM month_plans WHERE month = ?",
                           (label,)).fetchone()[0]
    mid = conn.execute("INSERT INTO month_plans (month, version, plan_id, made_at, made_by, orders, even,"
                       " window_from, window_to) VALUES (?,?,?,?,?,?,?,?,?)",
                       (label, version, plan_id, now.isoformat(), who.id, target, int(even),
                        history.month_text(lo), history.month_text(history.add_months(first, -1)))).lastrowid
    conn.executemany("INSERT INTO month_cells (month_plan_id, dimension, key, staff_id, orders, leads, new_ha,"
                     " bc_upgrades, overridden) VALUES (?,?,?,?,?,?,?,?,?)",
                     [(mid, r["dimension"], str(r["staff_id"]) if r["staff_id"] else r["key"], r["staff_id"],
                       r["orders"], r["leads"], r["new_ha"], r["bc_upgrades"], int(r["overridden"])) for r in rows])
    return version


def current(conn: sqlite3.Connection, label: str) -> dict | None:
    return history.one(conn, "SELECT * FROM month_plans WHERE month = ? ORDER BY version DESC LIMIT 1", (label,))


def cells(conn: sqlite3.Connection, month_plan_id: int, dimension: str) -> list[dict]:
    return history.rows(conn, "SELECT * FROM month_cells WHERE month_plan_id = ? AND dimension = ? ORDER BY rowid",
                        (month_plan_id, dimension))


def confirm(store: Store, now: datetime, actor: str | None, month: str) -> dict:
    """A salesperson confirms their month's target (个人目标确认书): recorded once per version of the month plan."""
    label = history.month_text(year.parse_month(month))
    with store.write() as conn:
        who = staff.authorize(conn, now, actor, "plan.confirm")
        plan = current(conn, label)
        if plan is None:
            raise NotFound(_("there is no plan for the month {month}").format(month=label),
                           _("a manager makes it with `leadctl plan month {month}`").format(month=label))
        cell = history.one(conn, "SELECT orders, leads, new_ha FROM month_cells WHERE month_plan_id = ? AND"
                           " dimension = 'person' AND staff_id = ?", (plan["id"], who.id))
        if cell is None:
            raise Refused(_("{name} has no target in the plan of {month}").format(name=who.name, month=label),
                          _("targets go to active consultants and direct sales"))
        if conn.execute("SELECT 1 FROM confirmations WHERE month_plan_id = ? AND staff_id = ?",
                        (plan["id"], who.id)).fetchone():
            raise Refused(_("{name} has confirmed the plan of {month} (version {v})").format(
                name=who.name, month=label, v=plan["version"]), _("a new version of the plan is confirmed again"))
        conn.execute("INSERT INTO confirmations (month_plan_id, staff_id, at, orders) VALUES (?,?,?,?)",
                     (plan["id"], who.id, now.isoformat(), cell["orders"]))
        record(conn, now, who.id, "plan.confirm", None, month=label, version=plan["version"], orders=cell["orders"])
    return {"month": label, "version": plan["version"], "staff": who.name, "orders": cell["orders"],
            "leads": cell["leads"], "new_ha": cell["new_ha"], "confirmed_at": now.isoformat()}
