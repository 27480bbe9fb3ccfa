"""Wall and CPU time of the manager's `due --all` drawn as a table, against the same list as CSV (no table at all),
in fresh processes, at several screen widths (COLUMNS; stdout is a file, as a pager's input would be).

    python bench/due_table.py --db bench/data/store-decade.db [--as NAME] [--runs 3] [--widths 80,120,200]

The CSV run is the floor: the same rows read, ranked and worded, with no table drawn, so `× csv` is what drawing
costs. To time a pinned commit, put its `git archive` export first on PYTHONPATH (see bench/startup.py); run the
two back to back, alternating, on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

NOW = "2026-11-24T09:00:00"


def manager(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT name FROM staff WHERE role = 'manager' AND active ORDER BY id").fetchone()[0]
    finally:
        conn.close()


def run(db: Path, actor: str, width: int, *extra: str) -> tuple[float, float, int]:
    """One fresh `leadctl due --all`: wall seconds, CPU seconds of the child, lines written."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}
    env.update(LEADCTL_NOW=NOW, COLUMNS=str(width))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([str(Path(sys.executable).parent / "leadctl"), "--db", str(db), "--as", actor, "due",
                           "--all", *extra], capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout.count("\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as", dest="actor")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--widths", default="80,120,200")
    args = parser.parse_args()
    actor = args.actor or manager(args.db)
    results = {}
    for width in map(int, args.widths.split(",")):
        samples: dict[str, list[tuple[float, float, int]]] = {"table": [], "csv": []}
        for _ in range(args.runs):  # interleaved: noise hits both alike
            samples["table"].append(run(args.db, actor, width))
            samples["csv"].append(run(args.db, actor, width, "--csv"))
        table, csv = (statistics.median(s[1] for s in samples[k]) for k in ("table", "csv"))
        results[width] = {"table_cpu_s": round(table, 2), "csv_cpu_s": round(csv, 2),
                          "x_csv": round(table / csv, 2), "table_lines": samples["table"][0][2]}
        print(f"COLUMNS={width}: table {table:.2f} s CPU ({samples['table'][0][2]} lines), csv {csv:.2f} s,"
              f" {table / csv:.2f}x csv")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
