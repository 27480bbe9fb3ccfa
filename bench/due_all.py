"""In-process time of the due list at store scale, against its floor: `due --all` as a manager, `due --team`,
`due --owner`, and the sweep's escalation ladder (dry run).

    python bench/due_all.py --db bench/data/store-decade.db [--runs 3] [--add-owners]

The floor is the due leads read by the one indexed query the list starts from (`next_due <= day`), into Python:
what any due list must pay; `× floor` flat from 10k to 1M means no part of the list grows with the store faster
than the list itself. The store-decade build makes no orders, so its delivered leads owe no care contact:
--add-owners first gives each delivered lead a delivered order, its retention card (delivered on the lead's last
contact) and, for two in three, a birthday (one in five lunar), so owner care is measured too. It WRITES the
database: use a copy.

To time a pinned commit, put its `git archive` export first on PYTHONPATH (see bench/startup.py).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import time
from datetime import date, datetime
from pathlib import Path

NOW = "2026-11-24T09:00:00"
FLOOR = ("SELECT l.id, l.name, l.phone, s.name, l.next_due, l.owner_id, l.pool, l.grade FROM leads l"
         " LEFT JOIN staff s ON s.id = l.owner_id WHERE l.next_due <= ? ORDER BY l.next_due, l.id")


def add_owners(path: Path) -> int:
    """Orders, retention cards and birthdays for the delivered leads that have none (see the module doc)."""
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TABLE IF EXISTS temp.bare")
        conn.execute("CREATE TEMP TABLE bare AS SELECT l.id, l.created_at, coalesce(l.last_contact_at, l.created_at)"
                     " AS at, coalesce(l.owner_id, l.registered_by) AS by FROM leads l WHERE l.status = 'delivered'"
                     " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND o.status = 'delivered')")
        added = conn.execute("SELECT count(*) FROM bare").fetchone()[0]
        conn.execute("INSERT INTO orders (lead_id, ordered_at, ordered_by, brand, series, model, status,"
                     " delivered_at, delivered_by)"
                     " SELECT id, created_at, by, 'bench', 'bench', 'bench', 'delivered', at, by FROM bare")
        conn.execute("INSERT INTO retention_cards (order_id, delivered_at, delivered_by) SELECT o.id, o.delivered_at,"
                     " o.delivered_by FROM orders o JOIN bare b ON b.id = o.lead_id")
        conn.execute("UPDATE leads SET birthday = printf('%04d-%02d-%02d', 1960 + id % 40, 1 + id % 12, 1 + id % 28),"
                     " birthday_calendar = CASE WHEN id % 5 = 0 THEN 'lunar' ELSE 'solar' END"
                     " WHERE id IN (SELECT id FROM bare) AND id % 3 != 0")
    conn.execute("ANALYZE")
    conn.close()
    return added


def timed(run, runs: int) -> dict:
    times, cpu, rows = [], [], 0
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        rows = len(run())
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return {"rows": rows, "median_ms": round(statistics.median(times) * 1000, 1),
            "cpu_median_ms": round(statistics.median(cpu) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "store-decade.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--add-owners", action="store_true")
    args = parser.parse_args()
    from leadctl.services import due
    from leadctl.store.db import Store

    if args.add_owners:
        print(f"added orders and cards for {add_owners(args.db)} delivered leads", flush=True)
    store = Store.open(args.db)
    now, on = datetime.fromisoformat(NOW), date.fromisoformat(NOW[:10])
    q = store.conn.execute
    manager = q("SELECT name FROM staff WHERE role = 'manager' AND active = 1 ORDER BY id LIMIT 1").fetchone()[0]
    owner = q("SELECT s.name FROM staff s JOIN leads l ON l.owner_id = s.id AND l.next_due <= ? GROUP BY s.id"
              " ORDER BY count(*) DESC LIMIT 1", (NOW[:10],)).fetchone()[0]

    def floor():
        with store.read() as conn:
            return conn.execute(FLOOR, (NOW[:10],)).fetchall()

    def ladder():
        from leadctl.services import pool

        with store.read() as conn:
            return pool.escalate(conn, now, None, dry_run=True)

    cases = {
        "floor: the due leads' query": floor,
        "due --all (manager)": lambda: due.due(store, now, manager, on, everyone=True),
        "due --team showroom (manager)": lambda: due.due(store, now, manager, on, team="showroom"),
        "due --owner (the longest list)": lambda: due.due(store, now, manager, on, owner=owner),
        "sweep ladder (dry run)": ladder,
    }
    leads = q("SELECT count(*) FROM leads").fetchone()[0]
    out = {"leads": leads}
    for name, run in cases.items():
        run()  # warm the page cache: the first case would otherwise pay for every later one
        out[name] = timed(run, args.runs)
        ratio = out[name]["cpu_median_ms"] / max(out["floor: the due leads' query"]["cpu_median_ms"], 0.1)
        out[name]["x_floor_cpu"] = round(ratio, 2)
        print(f"{name}: {out[name]['rows']} rows, median {out[name]['median_ms']} ms,"
              f" CPU median {out[name]['cpu_median_ms']} ms ({ratio:.2f}x the floor)", flush=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
