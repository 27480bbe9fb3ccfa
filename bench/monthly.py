"""Time and peak memory of `leadctl report monthly --xlsx` on a benchmark database.

    .venv/bin/python bench/monthly.py --db bench/data/store-decade.db [--month 2026-10] [--runs 3]
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    conn = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    manager = conn.execute("SELECT name FROM staff WHERE role = 'manager' AND active LIMIT 1").fetchone()[0]
    conn.close()
    leadctl = Path(sys.executable).parent / "leadctl"
    walls, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        for run in range(args.runs):
            target = Path(folder) / f"monthly-{run}.xlsx"
            start = time.perf_counter()
            done = subprocess.run([str(leadctl), "--db", args.db, "--now", "2026-11-24T09:00", "--as", manager,
                                   "report", "monthly", "--month", args.month, "--xlsx", str(target)],
                                  capture_output=True, text=True, check=True)
            walls.append(time.perf_counter() - start)
            peaks.append(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
            print(f"run {run + 1}: {walls[-1]:.2f} s, {done.stderr.strip()}", file=sys.stderr)
    print(f"| report monthly --month {args.month} --xlsx | median {statistics.median(walls):.2f} s, "
          f"max {max(walls):.2f} s | peak RSS {max(peaks):.0f} MB |")


if __name__ == "__main__":
    main()
