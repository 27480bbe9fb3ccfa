"""Every figure of the decade-scale work at three sizes, with one command:

    .venv/bin/python bench/scale.py [--sizes 10k,100k,1m] [--build] [--import-rows]

Databases: bench/data/s10k.db, bench/data/s100k.db and bench/data/store-decade.db (1M leads, 10M follow-ups).
With --build, missing ones are built by bench/build_store_decade.py (the 1M one takes minutes and 2.5 GB).
For each size: check against quick_check (bench/check.py), the monthly workbook and its writing floor
(bench/monthly.py --floor), every report against `report kpi` and the sweep's output (bench/reports.py);
with --import-rows, the import of as many rows as the size against sqlite-utils and .import (bench/import_100k.py).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = {"10k": (10_000, 100_000, "s10k.db"), "100k": (100_000, 1_000_000, "s100k.db"),
         "1m": (1_000_000, 10_000_000, "store-decade.db")}


def run(*args: str) -> None:
    print(f"$ {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, *args], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--import-rows", action="store_true")
    parser.add_argument("--runs", default="1")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        leads, followups, name = SIZES[size]
        db = HERE / "data" / name
        if not db.exists():
            if not args.build:
                print(f"skip {size}: no {db} (pass --build)")
                continue
            run(str(HERE / "build_store_decade.py"), "--out", str(db), "--leads", str(leads), "--followups",
                str(followups), "--seed", "7")
        print(f"## {size}", flush=True)
        run(str(HERE / "check.py"), "--db", str(db), "--runs", args.runs)
        run(str(HERE / "monthly.py"), "--db", str(db), "--runs", args.runs, "--floor")
        run(str(HERE / "reports.py"), "--db", str(db), "--runs", args.runs)
        if args.import_rows:
            run(str(HERE / "import_100k.py"), "--rows", str(leads), "--runs", args.runs)


if __name__ == "__main__":
    main()
