"""The store's own history as pandas frames: the seasonal index of orders, the month's mix by model, customer type,
channel and person, and the historical rates (lead -> order, H/A -> order, B/C -> H/A) by model.

pandas and dateutil are imported inside the functions: this module is loaded by the planning commands and the
reports only.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from leadctl.rules.planning import Rate, seasonal_shares

MODEL = "coalesce(o.series, l.model, '(未定)')"
NO_MODEL = "(未定)"
_ORDERS = f"""SELECT substr(o.ordered_at, 1, 7) AS month, {MODEL} AS model,
    (CASE WHEN l.fleet THEN 'fleet' ELSE 'retail' END) || '/' ||
    (CASE WHEN l.channel = 'repurchase' THEN 'repurchase' ELSE 'new' END) AS type,
    l.channel AS channel, coalesce(l.owner_id, o.ordered_by) AS staff_id, o.status AS status
    FROM orders o JOIN leads l ON l.id = o.lead_id
    WHERE o.status != 'cancelled' AND o.ordered_at >= ? AND o.ordered_at < ?"""


def rows(conn: sqlite3.Connection, sql: str, args=()) -> list[dict]:
    """The rows of a query as dicts, keyed by column name."""
    cursor = conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def one(conn: sqlite3.Connection, sql: str, args=()) -> dict | None:
    found = rows(conn, sql, args)
    return found[0] if found else None


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_of(month: str) -> date:
    return date.fromisoformat(f"{month}-01")


def add_months(day: date, months: int) -> date:
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def months_of(year: int) -> list[str]:
    return [f"{year:04d}-{m:02d}" for m in range(1, 13)]


def orders(conn: sqlite3.Connection, lo: date, hi: date):
    """Orders signed (not cancelled) from `lo` up to `hi` (exclusive), one row each, as a DataFrame."""
    import pandas as pd

    rows = conn.execute(_ORDERS, (lo.isoformat(), hi.isoformat())).fetchall()
    return pd.DataFrame(rows, columns=["month", "model", "type", "channel", "staff_id", "status"])


def seasonal_index(conn: sqlite3.Connection, year: int, years: int, today: date) -> tuple[list[float] | None, int,
                                                                                       int]:
    """The months' shares of the `years` years before `year` (rules.planning.seasonal_shares), counted over the
    days the store's records cover: from its first lead's day, up to `today` (its orders before today). Returns
    (the shares, or None when a calendar month has no day on record; the orders; the days on record)."""
    first = conn.execute("SELECT substr(min(created_at), 1, 10) FROM leads").fetchone()[0]
    lo = max(date(year - years, 1, 1), date.fromisoformat(first) if first else date(year, 1, 1))
    hi = min(date(year, 1, 1), today)
    days = [0] * 12
    day = lo
    while day < hi:
        days[day.month - 1] += 1
        day += timedelta(days=1)
    frame = orders(conn, lo, hi) if lo < hi else None
    counts = [0] * 12
    if frame is not None and not frame.empty:
        for month, n in frame["month"].str[5:7].astype(int).value_counts().items():
            counts[month - 1] = int(n)
    return seasonal_shares(counts, days), sum(counts), sum(days)


def actual_by_month(conn: sqlite3.Connection, year: int) -> dict[str, int]:
    frame = orders(conn, date(year, 1, 1), date(year + 1, 1, 1))
    counts = frame.groupby("month").size() if not frame.empty else {}
    return {m: int(counts.get(m, 0)) for m in months_of(year)}


def delivered_by_month(conn: sqlite3.Connection, year: int) -> dict[str, int]:
    rows = dict(conn.execute("SELECT substr(delivered_at, 1, 7), count(*) FROM orders WHERE status = 'delivered'"
                             " AND delivered_at >= ? AND delivered_at < ? GROUP BY 1",
                             (f"{year:04d}-01-01", f"{year + 1:04d}-01-01")).fetchall())
    return {m: int(rows.get(m, 0)) for m in months_of(year)}


def open_orders_before(conn: sqlite3.Connection, day: date) -> int:
    """Orders signed before `day` and still open (not delivered, not cancelled): carried over into the re-plan."""
    return conn.execute("SELECT count(*) FROM orders WHERE status = 'open' AND ordered_at < ?",
                        (day.isoformat(),)).fetchone()[0]


def mix(conn: sqlite3.Connection, lo: date, hi: date) -> dict[str, dict[str, float]]:
    """The orders of the window counted by model, customer type, channel and person (staff id as text)."""
    frame = orders(conn, lo, hi)
    out: dict[str, dict[str, float]] = {}
    for dimension, column in (("model", "model"), ("type", "type"), ("channel", "channel"), ("person", "staff_id")):
        counts = frame.groupby(column).size().sort_index() if not frame.empty else {}
        out[dimension] = {str(k): float(v) for k, v in dict(counts).items()}
    return out


def resources(conn: sqlite3.Connection, staff_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Each salesperson's current H/A leads and open orders [004] 历史业绩、H/A客户资源及剩余订单."""
    import pandas as pd

    leads = pd.DataFrame(conn.execute("SELECT owner_id FROM leads WHERE status = 'active' AND grade IN ('H', 'A')"
                                      " AND owner_id IS NOT NULL AND merged_into IS NULL").fetchall(),
                         columns=["staff_id"])
    held = pd.DataFrame(conn.execute("SELECT coalesce(l.owner_id, o.ordered_by) FROM orders o JOIN leads l"
                                     " ON l.id = o.lead_id WHERE o.status = 'open'").fetchall(), columns=["staff_id"])
    counts = [frame["staff_id"].value_counts() for frame in (leads, held)]
    return tuple({i: int(c.get(i, 0)) for i in staff_ids} for c in counts)  # type: ignore[return-value]


def _ordered_after(alias: str, at: str) -> str:
    return (f"EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = {alias}.lead_id AND o.status != 'cancelled'"
            f" AND o.ordered_at >= {at})")


def rates(conn: sqlite3.Connection, lo: date, hi: date,
          owner_ids: tuple[int, ...] | None = None) -> dict[str, dict[str, Rate]]:
    """The historical rates of the window [004] 4, by model and for the store ('*'), each with its numerator,
    denominator and window: lead -> order (leads registered in the window that ordered), H/A -> order (leads
    graded H or A in the window that ordered after), B/C -> H/A (leads graded B or C in the window that were later
    graded H or A, or ordered)."""
    import pandas as pd

    window = f"{month_text(lo)}..{month_text(add_months(hi, -1))}"
    span = (lo.isoformat(), hi.isoformat())
    whose = "1" if owner_ids is None else f"l.owner_id IN ({','.join(str(int(i)) for i in owner_ids) or 'NULL'})"
    leads = pd.DataFrame(conn.execute(
        "SELECT coalesce(l.model, ?) AS model, EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND"
        " o.status != 'cancelled') AS hit FROM leads l WHERE l.created_at >= ? AND l.created_at < ?"
        f" AND l.merged_into IS NULL AND l.grade IS NOT 'W' AND {whose}", (NO_MODEL, *span)).fetchall(),
        columns=["model", "hit"])
    first_ha = ("SELECT g.lead_id, min(g.at) AS at FROM grades g WHERE g.grade IN ({}) AND g.at >= ? AND g.at < ?"
                " GROUP BY g.lead_id")
    first_top, first_low = first_ha.format("'H','A'"), first_ha.format("'B','C'")
    ha = pd.DataFrame(conn.execute(
        f"SELECT coalesce(l.model, ?), {_ordered_after('f', 'f.at')} FROM ({first_top}) f"
        f" JOIN leads l ON l.id = f.lead_id WHERE {whose}", (NO_MODEL, *span)).fetchall(), columns=["model", "hit"])
    bc = pd.DataFrame(conn.execute(
        f"SELECT coalesce(l.model, ?), (EXISTS (SELECT 1 FROM grades h WHERE h.lead_id = f.lead_id"
        f" AND h.grade IN ('H', 'A', 'O') AND h.at > f.at) OR {_ordered_after('f', 'f.at')})"
        f" FROM ({first_low}) f JOIN leads l ON l.id = f.lead_id WHERE {whose}", (NO_MODEL, *span)).fetchall(),
        columns=["model", "hit"])
    out: dict[str, dict[str, Rate]] = {}
    for name, frame in (("lead_to_order", leads), ("ha_to_order", ha), ("bc_to_ha", bc)):
        grouped = frame.groupby("model")["hit"].agg(["sum", "count"]) if not frame.empty else None
        table = {str(m): Rate(int(r["sum"]), int(r["count"]), window) for m, r in grouped.iterrows()} \
            if grouped is not None else {}
        table["*"] = Rate(int(frame["hit"].sum()) if not frame.empty else 0, len(frame), window)
        out[name] = table
    return out


def base(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """The base (基盘) at the month's start [004] 4: active leads by model and grade group (HA, BC, D)."""
    rows = conn.execute("SELECT coalesce(model, ?), CASE WHEN grade IN ('H','A') THEN 'HA' WHEN grade IN ('B','C')"
                        " THEN 'BC' ELSE grade END, count(*) FROM leads WHERE status = 'active' AND"
                        " merged_into IS NULL AND grade IN ('H','A','B','C','D') GROUP BY 1, 2", (NO_MODEL,))
    out: dict[str, dict[str, int]] = {}
    for model, group, n in rows:
        out.setdefault(model, {})[group] = n
        out.setdefault("*", {})
        out["*"][group] = out["*"].get(group, 0) + n
    return out
