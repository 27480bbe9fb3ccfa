"""Wall time of `leadctl find` on a store-decade database (bench/build_store_decade.py), each way of asking.

    python bench/find.py --db bench/data/store-decade.db [--runs 5] [--as 王建国] [--skip-index]

First `leadctl check --fix-index` builds the search index and pinyin keys of every lead and follow-up (timed once;
a store migrated to the card's schema pays this once, later writes are indexed a few rows at a time). Then each query
runs --runs times as a fresh process (`find` as a person types it: start-up included) and in-process through the
service (the search alone), reporting the median of each. The queries are taken from the database itself: a name in
汉字, its pinyin, its initials, the last four digits and the full phone of a lead, a word of three characters and one
of two characters from follow-up results.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

NOW = "2026-11-24T09:00"


def _queries(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        name, phone = conn.execute("SELECT name, phone FROM leads WHERE name IS NOT NULL AND length(name) = 2"
                                   " AND phone NOT LIKE 'purged:%' ORDER BY id DESC LIMIT 1").fetchone()
        result = conn.execute("SELECT result FROM followups ORDER BY id DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    from leadctl.rules import pinyin

    spelt, initials = pinyin.keys(name)
    word3 = next((result[i:i + 3] for i in range(len(result) - 2) if all("\u4e00" <= c <= "\u9fff"
                                                                          for c in result[i:i + 3])), result[:3])
    return {"name 汉字": name, "pinyin": spelt, "initials": initials, "last four digits": phone[-4:],
            "full phone": f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", "follow-up word (3 chars)": word3,
            "follow-up word (2 chars)": word3[:2], "no such customer": "查无此人xyz"}


def _cli(db: Path, actor: str, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    env = {**os.environ, "LEADCTL_DB": str(db), "LEADCTL_NOW": NOW, "LEADCTL_USER": actor}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "leadctl", *args], capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--as", dest="actor", default="王建国")
    parser.add_argument("--skip-index", action="store_true", help="the index is already built")
    args = parser.parse_args()
    if not args.skip_index:
        took, done = _cli(args.db, args.actor, "check", "--fix-index")
        print(f"check --fix-index: {took:.1f} s ({done.stderr.strip().splitlines()[0]})", flush=True)
    from datetime import datetime

    from leadctl.services import find as find_service
    from leadctl.store.db import Store

    store = Store.open(args.db)
    out = {}
    for label, text in _queries(args.db).items():
        wall, hits = [], 0
        for _ in range(args.runs):
            took, done = _cli(args.db, args.actor, "find", text, "--json")
            assert done.returncode == 0, done.stderr
            wall.append(took)
            hits = len(json.loads(done.stdout))
        inner = []
        for _ in range(args.runs):
            start = time.perf_counter()
            find_service.find(store, datetime.fromisoformat(NOW), args.actor, text)
            inner.append(time.perf_counter() - start)
        out[label] = {"query": text, "hits": hits, "process_ms": round(statistics.median(wall) * 1000),
                      "search_ms": round(statistics.median(inner) * 1000, 1)}
        print(f"{label:28} {text!r:22} hits {hits:3}  process {out[label]['process_ms']:5} ms"
              f"  search {out[label]['search_ms']:7} ms", flush=True)
    store.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
