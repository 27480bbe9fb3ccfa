"""The import's bulk writer (leadctl.store.bulk) on a real SQLite file: rows land in order, a failure in its
worker thread reaches the caller, and a failing caller never leaves the worker running on the connection."""

from __future__ import annotations

import signal
import sqlite3
import sys
import threading

import pytest

from leadctl.store import bulk


@pytest.fixture
def conn(tmp_path):
    conn = sqlite3.connect(tmp_path / "bulk.db", isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name != 'bad'))")
    conn.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))")
    conn.execute("BEGIN IMMEDIATE")
    yield conn
    conn.close()


def _batch(first: int, count: int, bad: int | None = None) -> list:
    parents = [(i, "bad" if i == bad else f"p{i}") for i in range(first, first + count)]
    children = [(i, i) for i in range(first, first + count)]
    return [bulk.Stage.of("parent", "id, name", parents), bulk.Stage.of("child", "id, parent_id", children)]


def test_batches_land_in_order_with_their_references(conn):
    with bulk.Writer(conn) as writer:
        for first in range(1, 30_001, 10_000):
            writer.write(_batch(first, 10_000))  # children refer to parents written just before them
    assert conn.execute("SELECT count(*), min(id), max(id) FROM child").fetchone() == (30_000, 1, 30_000)
    assert conn.execute("SELECT count(*) FROM temp.sqlite_master").fetchone() == (0,)  # stages dropped
    conn.execute("COMMIT")


def test_one_staged_row_feeds_several_tables(conn):
    """A new lead and its first visit are staged as one row: each Insert selects its columns, some with WHERE."""
    rows = [(i, f"p{i}", i if i % 2 else None) for i in range(1, 1001)]
    stage = bulk.Stage("pid, name, kid", rows, (bulk.Insert("parent", "id, name", "pid, name"),
                                                bulk.Insert("child", "id, parent_id", "kid, pid", "kid IS NOT NULL")))
    with bulk.Writer(conn) as writer:
        writer.write([stage])
    assert conn.execute("SELECT count(*), sum(id) FROM parent").fetchone() == (1000, 500_500)
    assert conn.execute("SELECT count(*), min(parent_id), max(parent_id) FROM child").fetchone() == (500, 1, 999)
    conn.execute("COMMIT")


def test_an_error_in_the_worker_reaches_the_caller_and_everything_rolls_back(conn):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"), bulk.Writer(conn) as writer:
        writer.write(_batch(1, 10_000))
        writer.write(_batch(10_001, 10_000, bad=15_000))  # the worker's INSERT ... SELECT fails
        writer.wait()
    conn.execute("ROLLBACK")  # the connection is idle: no statement of the worker's is running
    assert conn.execute("SELECT count(*) FROM parent").fetchone() == (0,)


def test_a_failing_caller_stops_the_worker_before_it_rolls_back(conn):
    interval = sys.getswitchinterval()
    with pytest.raises(RuntimeError, match="planner failed"), bulk.Writer(conn) as writer:
        writer.write(_batch(1, 50_000))
        raise RuntimeError("planner failed")  # while the worker may still be inserting
    assert sys.getswitchinterval() == interval
    assert not [t for t in threading.enumerate() if t.name == "leadctl-writer"]
    if conn.in_transaction:  # an interrupted INSERT rolls its transaction back by itself
        conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM parent").fetchone() == (0,)


def test_ctrl_c_while_waiting_for_the_worker_stays_a_ctrl_c(conn):
    """The interrupted worker's own error ('interrupted') must not replace the Ctrl-C: a user who stops an
    import is not told the database is damaged. Fails if anything but KeyboardInterrupt leaves the block."""
    with pytest.raises(KeyboardInterrupt), bulk.Writer(conn) as writer:
        writer.write(_batch(1, 300_000))
        main = threading.main_thread().ident
        threading.Timer(0.05, signal.pthread_kill, (main, signal.SIGINT)).start()  # a real Ctrl-C
        writer.wait()
    conn.execute("SELECT count(*) FROM parent").fetchone()  # the connection is idle and usable
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM parent").fetchone() == (0,)


def _indexes(conn) -> list[str]:
    return [n for n, in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'parent'"
                                     " ORDER BY name")]


def test_indexes_set_aside_are_built_again_from_their_own_sql_and_the_pragmas_restored(conn):
    conn.execute("CREATE INDEX parent_name ON parent(name)")
    conn.execute("CREATE INDEX parent_short ON parent(substr(name, 1, 2)) WHERE id > 10")
    sql = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall()
    conn.execute("PRAGMA cache_size = -3000")
    with bulk.deferred_indexes(conn, "parent", ("parent_name",)):
        assert _indexes(conn) == ["parent_name"]  # kept: the block looks rows up by it
        conn.executemany("INSERT INTO parent VALUES (?, ?)", ((i, f"p{i}") for i in range(1, 20_001)))
    assert conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall() == sql
    assert conn.execute("SELECT count(*) FROM parent INDEXED BY parent_short WHERE substr(name, 1, 2) = 'p1'"
                        " AND id > 10").fetchone() == (11_109,)  # p1, p10-p19, ... p10000-p19999; not 1, 10
    assert [conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("cache_size", "threads")] == [-3000, 0]
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.execute("COMMIT")


def test_a_failing_block_leaves_the_indexes_it_set_aside_to_the_rollback(conn):
    conn.execute("CREATE INDEX parent_name ON parent(name)")
    conn.execute("COMMIT")
    conn.execute("BEGIN IMMEDIATE")
    with pytest.raises(RuntimeError, match="refused"), bulk.deferred_indexes(conn, "parent", ()):
        conn.executemany("INSERT INTO parent VALUES (?, ?)", ((i, f"p{i}") for i in range(1, 1001)))
        raise RuntimeError("refused")  # a rejected row: building the index would be thrown away
    assert _indexes(conn) == []  # not built again inside the failed transaction
    conn.execute("ROLLBACK")
    assert _indexes(conn) == ["parent_name"]
    assert conn.execute("SELECT count(*) FROM parent").fetchone() == (0,)
