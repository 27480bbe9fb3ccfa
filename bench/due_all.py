"""In-process time of the due list at store scale: `due --all` as a manager, `due --team`, `due --owner`, and the
sweep's escalation ladder (dry run), on a store-decade database.

    python bench/due_all.py --db bench/data/store-decade.db [--runs 3]

To time a pinned commit, put its `git archive` export first on PYTHONPATH (see bench/startup.py).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import date, datetime
from pathlib import Path

NOW = "2026-11-24T09:00:00"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "store-decade.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from leadctl.services import due
    from leadctl.store.db import Store

    store = Store.open(args.db)
    now, on = datetime.fromisoformat(NOW), date.fromisoformat(NOW[:10])
    q = store.conn.execute
    manager = q("SELECT name FROM staff WHERE role = 'manager' AND active = 1 ORDER BY id LIMIT 1").fetchone()[0]
    owner = q("SELECT s.name FROM staff s JOIN leads l ON l.owner_id = s.id AND l.next_due <= ? GROUP BY s.id"
              " ORDER BY count(*) DESC LIMIT 1", (NOW[:10],)).fetchone()[0]
    cases = {
        "due --all (manager)": lambda: due.due(store, now, manager, on, everyone=True),
        "due --team showroom (manager)": lambda: due.due(store, now, manager, on, team="showroom"),
        f"due --owner {owner} (manager)": lambda: due.due(store, now, manager, on, owner=owner),
    }
    try:
        from leadctl.services import pool

        def ladder():
            with store.read() as conn:
                return pool.escalate(conn, now, None, dry_run=True)
        cases["sweep ladder (dry run)"] = ladder
    except ImportError:
        pass
    out = {}
    for name, run in cases.items():
        times, cpu, rows = [], [], 0
        for _ in range(args.runs):
            started, used = time.perf_counter(), time.process_time()
            rows = len(run())
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        out[name] = {"rows": rows, "median_ms": round(statistics.median(times) * 1000, 1),
                     "min_ms": round(min(times) * 1000, 1), "cpu_median_ms": round(statistics.median(cpu) * 1000, 1)}
        print(f"{name}: {rows} rows, median {out[name]['median_ms']} ms, min {out[name]['min_ms']} ms,"
              f" CPU median {out[name]['cpu_median_ms']} ms", flush=True)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
