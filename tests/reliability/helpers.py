"""Child-process roles for the reliability tests: `python -m tests.reliability.helpers ROLE ARGS...`.

Each role opens its own connection (never one inherited across fork), prints `ready` on stdout when it is
in position, and then waits: for a line on stdin (release), or to be killed. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import select
import sys
import time
from datetime import datetime
from pathlib import Path

NOW = datetime.fromisoformat(os.environ.get("LEADCTL_NOW", "2026-11-24T09:00:00"))
DESK = "张前台"
MAX_WAIT = 60.0


def _ready() -> None:
    print("ready", flush=True)


def _wait_for_release(seconds: float = MAX_WAIT) -> None:
    select.select([sys.stdin], [], [], seconds)


def hold(db: str, seconds: str = "60") -> None:
    """Hold the write lock (BEGIN IMMEDIATE) until released on stdin or `seconds` pass (C5, cron script)."""
    from leadctl.store.db import Store

    store = Store.open(Path(db))
    store.conn.execute("BEGIN IMMEDIATE")
    _ready()
    _wait_for_release(float(seconds))
    store.conn.execute("ROLLBACK")
    store.close()


def read(db: str, seconds: str = "60") -> None:
    """Hold a read snapshot (an open read transaction) until released on stdin or `seconds` pass (purge)."""
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM leads").fetchone()
    _ready()
    _wait_for_release(float(seconds))
    conn.execute("ROLLBACK")
    conn.close()


def intake_one(db: str, phone: str) -> None:
    """One intake through leadctl's service path, then exit (C3a: 'another process commits')."""
    from leadctl.services import intake
    from leadctl.store.db import Store

    store = Store.open(Path(db))
    try:
        intake.intake(store, NOW, DESK, intake.parse_visit(NOW, name="其他进程", phone_text=phone))
    finally:
        store.close()
    _ready()


def crash_writer(db: str, rows: str = "10") -> None:
    """D7: take the write lock, insert rows big enough to spill into the WAL, never commit; wait to be killed."""
    from leadctl.store.db import Store

    store = Store.open(Path(db))
    store.conn.execute("BEGIN IMMEDIATE")
    for i in range(int(rows)):
        store.conn.execute(
            "INSERT INTO leads (name, phone, channel, created_at) VALUES (?, ?, 'walk-in', ?)",
            ("未提交" * 40_000, f"1350000{i:04d}", NOW.isoformat()))
    _ready()
    time.sleep(MAX_WAIT)


class _PausingConnection:
    """A connection that stops right after the migration's user_version bump, before COMMIT (D3)."""

    def __init__(self, conn, mode: str):
        self._conn, self._mode = conn, mode

    def __getattr__(self, name):
        return getattr(self._conn, name)

    def execute(self, sql, *args):
        cursor = self._conn.execute(sql, *args)
        if sql.startswith("PRAGMA user_version = "):
            if self._mode == "raise":
                raise RuntimeError("simulated failure after the migration's statements, before COMMIT")
            _ready()
            time.sleep(MAX_WAIT)
        return cursor


def migrate_paused(db: str, mode: str = "kill") -> None:
    """D3: run leadctl's own Store.open -> migrate(), pausing (or raising) inside the last migration."""
    from leadctl.store import db as store_db

    real_open = store_db._open
    store_db._open = lambda path, timeout_ms: _PausingConnection(real_open(path, timeout_ms), mode)
    store_db.Store.open(Path(db))
    print("migration finished without pausing", flush=True)


def fill(db: str, extra_pages: str = "5") -> None:
    """D4: through leadctl's code path, intake until the (per-connection) page limit says the disk is full."""
    from leadctl.errors import LeadctlError
    from leadctl.services import intake
    from leadctl.store.db import Store

    store = Store.open(Path(db))
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + int(extra_pages)}")
    for i in range(1000):
        phone = f"1330000{i:04d}"
        visit = intake.parse_visit(NOW, name="长名字" * 700, phone_text=phone, model="车型" * 300)
        try:
            intake.intake(store, NOW, DESK, visit)
        except LeadctlError as exc:
            print(json.dumps({"failed": phone, "type": type(exc).__name__, "code": int(exc.code),
                              "message": str(exc)}, ensure_ascii=False), flush=True)
            break
        print(json.dumps({"committed": phone}), flush=True)
    store.close()


def intake_and_stat(db: str) -> None:
    """S1/D6: one intake through Store.open while the connection is still open, report the files' modes."""
    from leadctl.services import intake
    from leadctl.store.db import Store

    os.umask(0o022)
    store = Store.open(Path(db))
    intake.intake(store, NOW, DESK, intake.parse_visit(NOW, name="权限", phone_text="13700137000"))
    modes = {suffix: (oct(os.stat(db + suffix).st_mode & 0o777) if os.path.exists(db + suffix) else None)
             for suffix in ("", "-wal", "-shm")}
    store.close()
    print(json.dumps(modes), flush=True)


def intake_worker(db: str, worker: int, count: int, barrier, results) -> None:
    """C1: one front desk doing `count` intakes the way the CLI does (open, parse, intake, close per intake)."""
    from leadctl.errors import Busy
    from leadctl.services import intake
    from leadctl.store.db import Store

    done, busy, errors = 0, 0, []
    barrier.wait(timeout=60)
    start = time.monotonic()
    for i in range(count):
        try:
            store = Store.open(Path(db))
            try:
                visit = intake.parse_visit(NOW, name=f"客户{worker}-{i}", phone_text=f"139{worker:02d}{i:06d}",
                                           channel="walk-in", model="迈腾")
                intake.intake(store, NOW, DESK, visit)
            finally:
                store.close()
            done += 1
        except Busy as exc:
            busy += 1
            errors.append(f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # any exception is a finding: report it, do not die
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put({"worker": worker, "done": done, "busy": busy, "errors": errors,
                 "seconds": time.monotonic() - start})


ROLES = {"hold": hold, "read": read, "intake-one": intake_one, "crash-writer": crash_writer, "migrate": migrate_paused,
         "fill": fill, "intake-and-stat": intake_and_stat}

if __name__ == "__main__":
    ROLES[sys.argv[1]](*sys.argv[2:])
