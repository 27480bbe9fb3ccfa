"""Time and peak memory of `leadctl check` against SQLite's own `PRAGMA quick_check` (its anchor) on one database.

    .venv/bin/python bench/check.py --db bench/data/store-decade.db [--runs 1]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path


def quick_check(db: str) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.execute("PRAGMA quick_check").fetchall()
    conn.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    manager = conn.execute("SELECT name FROM staff WHERE role = 'manager' AND active LIMIT 1").fetchone()[0]
    leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
    conn.close()
    leadctl = Path(sys.executable).parent / "leadctl"
    anchors, walls, peaks = [], [], []
    for _ in range(args.runs):
        anchors.append(quick_check(args.db))
        start = time.perf_counter()
        done = subprocess.run([str(leadctl), "--db", args.db, "--now", "2026-11-24T09:00", "--as", manager,
                               "check", "--json"], capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
        if done.returncode not in (0, 5):
            sys.exit(f"check exited {done.returncode}: {done.stderr.strip()}")
    anchor, wall = statistics.median(anchors), statistics.median(walls)
    print(f"| check | {leads:,} leads | quick_check {anchor:.2f} s | check {wall:.2f} s | x{wall / anchor:.2f} "
          f"| peak RSS {max(peaks):.0f} MB | load {os.getloadavg()[0]:.1f} |")


if __name__ == "__main__":
    main()
