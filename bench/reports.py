"""Every report against `report kpi` (the anchor) on one database, and the sweep's dry-run output.

    .venv/bin/python bench/reports.py --db bench/data/store-decade.db [--runs 1]

Each figure is a fresh `leadctl` process as the store's manager, --json, output thrown away; wall seconds.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPORTS = ("kpi", "traffic", "daily", "customers", "defeats", "defeat-reasons", "sources", "prospects", "arrivals",
           "activity", "inventory", "funnel", "complaints")


def timed(cmd: list[str], runs: int) -> tuple[float, int]:
    walls, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        if done.returncode not in (0, 5):
            sys.exit(f"{' '.join(cmd[5:])} exited {done.returncode}: {done.stderr.decode().strip()}")
        size = len(done.stdout)
    return statistics.median(walls), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    manager = conn.execute("SELECT name FROM staff WHERE role = 'manager' AND active LIMIT 1").fetchone()[0]
    leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    conn.close()
    base = [str(Path(sys.executable).parent / "leadctl"), "--db", args.db, "--now", "2026-11-24T09:00", "--as",
            manager]
    anchor = None
    timed([*base, "report", "kpi", "--month", args.month, "--json"], 1)  # warm the page cache: not counted
    print(f"{leads:,} leads, load {os.getloadavg()[0]:.1f}")
    for name in REPORTS:
        wall, _ = timed([*base, "report", name, "--month", args.month, "--json"], args.runs)
        anchor = anchor or wall
        print(f"| report {name} | {wall:.2f} s | x{wall / anchor:.2f} of kpi |")
    for flag in ("--json", "--jsonl", None):
        wall, size = timed([*base, "transfer", "sweep", "--dry-run", *([flag] if flag else [])], args.runs)
        print(f"| transfer sweep --dry-run {flag or '(terminal)'} | {wall:.2f} s | {size / 1e6:.1f} MB out |")


if __name__ == "__main__":
    main()
