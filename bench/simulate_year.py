"""Wall time and peak memory of `leadctl policy simulate` over a year on a store-decade database, with a policy
asking H leads every day; the database's bytes are hashed before and after (it must not change).

    python bench/simulate_year.py --db bench/data/store-decade.db [--from 2025-11-24 --to 2026-11-23]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NOW = "2026-11-24T09:00:00"


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = Path(f"{path}{suffix}")
        if p.exists():
            with p.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 24), b""):
                    h.update(block)
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=Path(__file__).parent / "data" / "store-decade.db")
    parser.add_argument("--from", dest="start", default="2025-11-24")
    parser.add_argument("--to", dest="end", default="2026-11-23")
    parser.add_argument("--no-hash", action="store_true", help="skip hashing the database (2.6 GB: ~10 s each)")
    args = parser.parse_args()
    import sqlite3

    manager = sqlite3.connect(args.db).execute(
        "SELECT name FROM staff WHERE role = 'manager' AND active = 1 ORDER BY id LIMIT 1").fetchone()[0]
    with tempfile.TemporaryDirectory() as folder:
        policy = Path(folder) / "h-daily.toml"
        policy.write_text('name = "h-daily"\n[grades.H]\ncadence_days = 1\n', encoding="utf-8")
        before = None if args.no_hash else digest(args.db)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "leadctl", "--db", str(args.db), "--as", manager, "--now", NOW,
                               "policy", "simulate", str(policy), "--from", args.start, "--to", args.end, "--json"],
                              capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
        after = None if args.no_hash else digest(args.db)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    out = json.loads(done.stdout)
    print(json.dumps({"seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "peak_mib": round(peak),
                      "people": len(out["people"]),
                      "day_rows": len(out["days"]), "summary": out["summary"] | {"overloaded_days": len(
                          out["summary"]["overloaded_days"])}, "unchanged": before == after}, ensure_ascii=False))


if __name__ == "__main__":
    main()
