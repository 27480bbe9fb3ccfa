"""Bulk inserts whose SQLite half runs beside the caller's Python: an import plans its next rows on one core
while SQLite writes the last ones on the other.

`Writer.write(stages)` puts each `Stage`'s rows in a TEMP table with executemany, on the calling thread (binding
values needs the GIL), then hands the stage's `INSERT INTO main.T SELECT ... FROM temp.stage` statements to a
worker thread. One staged row may feed several tables (a new lead, its first visit, its first grade). SQLite runs
a statement with the GIL released, so the caller's Python goes on meanwhile. One INSERT ... SELECT checks a
table's constraints and fills its indexes in one statement (about 30% less CPU than executemany into the table).

The connection is never used by two threads at once: `write` and `wait` first wait for the worker, and leaving
the `with` block waits too, after interrupting the worker's statement when the block failed. A transaction is
therefore committed or rolled back only while the worker is idle, and a worker's error (disk full, a broken
constraint) is raised in the caller, where the transaction rolls back as for any other error.

`deferred_indexes` sets a table's other indexes aside while a large batch of rows goes in, and builds them again
from their own definitions at the end, in the same transaction: SQLite sorts each index once instead of
inserting a million keys one at a time into b-trees that outgrow the page cache (at 1,000,000 new leads, 24 s
of inserts become 5 s and 8 s of building).
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

CACHE_KIB = 65_536  # page cache while writing: the indexes being filled stay in memory (0.2 s of 100k rows)
SORT_KIB = 16_384  # page cache while indexes are built; each sort takes as much again (64 MB: +30 MB peak, no faster)
SORT_THREADS = 1  # helper threads SQLite's sorter may start while indexes are built (the writer's core is idle then)
SWITCH_INTERVAL = 0.0005  # s: how soon the caller's Python hands the GIL back to a worker between statements


@contextmanager
def deferred_indexes(conn: sqlite3.Connection, table: str, keep: tuple[str, ...]) -> Iterator[None]:
    """Inside a transaction: the table's indexes but `keep` (those the block looks rows up by) dropped, and
    created again from their stored SQL when the block ends without an error. An error leaves them to the
    transaction's rollback, which restores them with everything else."""
    dropped = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                           " AND sql IS NOT NULL ORDER BY name", (table,)).fetchall()
    dropped = [(name, sql) for name, sql in dropped if name not in keep]
    for name, __ in dropped:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    cache, threads = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("cache_size", "threads"))
    conn.execute(f"PRAGMA cache_size = -{SORT_KIB}")  # each sort's memory before it spills to temporary files
    conn.execute(f"PRAGMA threads = {SORT_THREADS}")  # a sort that spills merges on two cores: 1M leads' 13 in -30%
    try:
        for __, sql in dropped:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")
        conn.execute(f"PRAGMA threads = {threads}")


@dataclass(frozen=True)
class Insert:
    """`INSERT INTO main.<table> (<columns>) SELECT <select> FROM the stage [WHERE <where>]`."""

    table: str
    columns: str
    select: str
    where: str = ""

    def sql(self, stage: str) -> str:
        return (f"INSERT INTO main.{self.table} ({self.columns}) SELECT {self.select} FROM {stage}"
                + (f" WHERE {self.where}" if self.where else ""))


@dataclass(frozen=True)
class Update:
    """`UPDATE main.<table> SET <column> = s.<column>, ... FROM the stage s WHERE <table>.<key> = s.<key>`: rows
    already in the table (written earlier in the transaction, or before it) given their new values."""

    table: str
    columns: str  # the stage's columns but the key, each set from the stage's value
    key: str = "id"

    def sql(self, stage: str) -> str:
        sets = ", ".join(f"{c} = s.{c}" for c in (c.strip() for c in self.columns.split(",")))
        return (f"UPDATE main.{self.table} SET {sets} FROM {stage} AS s"
                f" WHERE main.{self.table}.{self.key} = s.{self.key}")


@dataclass(frozen=True)
class Stage:
    """Rows of these columns, and the inserts made from them, in order."""

    names: str
    rows: list[tuple]
    inserts: tuple[Insert | Update, ...]

    @classmethod
    def of(cls, table: str, names: str, rows: list[tuple]) -> Stage:
        """Rows that go into one table as they are."""
        return cls(names, rows, (Insert(table, names, names),))


class Writer:
    """Inserts of staged rows, one batch at a time on a worker thread (see the module doc)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._worker: threading.Thread | None = None
        self._done = threading.Event()  # set by the worker when its batch is finished
        self._error: BaseException | None = None
        self._stages = 0

    def __enter__(self) -> Writer:
        self._cache = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self._interval = sys.getswitchinterval()
        self.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        sys.setswitchinterval(SWITCH_INTERVAL)
        return self

    def __exit__(self, kind, error, trace) -> None:
        try:
            if error is not None:
                self.conn.interrupt()  # the batch is thrown away with the transaction: stop it now
                self._join()
                self._error = None  # the caller's error is the one to report
            else:
                self.wait()
        finally:
            sys.setswitchinterval(self._interval)
            self.conn.execute(f"PRAGMA cache_size = {self._cache}")

    def write(self, stages: list[Stage]) -> None:
        """Start writing these stages, in order, once the previous batch is done."""
        self.wait()
        statements = []
        for each in stages:
            if not each.rows:
                continue
            self._stages += 1
            stage = f"temp.bulk_{self._stages}"
            self.conn.execute(f"CREATE TEMP TABLE bulk_{self._stages} ({each.names})")
            self.conn.executemany(f"INSERT INTO {stage} VALUES ({','.join('?' * len(each.rows[0]))})", each.rows)
            statements += [i.sql(stage) for i in each.inserts]
            statements.append(f"DROP TABLE {stage}")
        if statements:
            self._done = threading.Event()
            self._worker = threading.Thread(target=self._run, args=(statements,), name="leadctl-writer", daemon=True)
            self._worker.start()

    def wait(self) -> None:
        """Until the worker is idle; raises its error, if it had one."""
        self._join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _join(self) -> None:
        """Until the worker has finished. Not Thread.join: on Python 3.11 a Ctrl-C during join() can mark a
        thread finished while it still runs (cpython#90882); the worker's own event says when it is done."""
        if self._worker is None:
            return
        interrupted = False
        while True:  # a Ctrl-C must not let the caller touch the connection mid-statement
            try:
                if self._done.wait(0.05):
                    break
            except KeyboardInterrupt:
                self.conn.interrupt()
                interrupted = True
        self._worker = None
        if interrupted:
            self._error = None
            raise KeyboardInterrupt

    def _run(self, statements: list[str]) -> None:
        try:
            for sql in statements:
                self.conn.execute(sql)
        except BaseException as exc:  # handed to the caller by wait()
            self._error = exc
        finally:
            self._done.set()
