"""7.2 Durability and crashes: D3 migration killed, D4 disk full, D7 writer killed, D9 corrupt or foreign files."""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import signal
import sqlite3
import struct
import subprocess
import time
from pathlib import Path

import pytest

from leadctl.errors import ExitCode
from leadctl.store import db as store_db_module
from leadctl.store.schema import MIGRATIONS, VERSION
from tests.reliability.conftest import (
    DESK,
    LEADCTL,
    MANAGER,
    NOW_DT,
    audit_balance,
    child_env,
    connect,
    helper,
    integrity,
    make_store,
    one_line_error,
    run_cli,
    scalar,
    wait_ready,
)


def schema_of(path: Path) -> list[tuple]:
    conn = connect(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    finally:
        conn.close()


def dump_of(path: Path) -> list[str]:
    """Schema and rows: a migration may change either."""
    conn = connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def kill(proc) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL


# -- D3: a migration killed half-way ----------------------------------------------------------------------------
@pytest.fixture
def old_db(tmp_path) -> Path:
    """A leadctl database one migration behind (user_version N-1), with the policy and a manager."""
    from leadctl.services import setup, staff
    from leadctl.store.db import Store

    assert VERSION >= 2, "D3 needs at least two migrations"
    path, fresh = tmp_path / "old.db", tmp_path / "fresh.db"
    setup.init(fresh, NOW_DT)  # today's code writes today's schema: the rows come from a current store
    store = Store.open(fresh)
    staff.add(store, NOW_DT, None, MANAGER, "manager")
    store.close()
    with pytest.MonkeyPatch.context() as patch:  # the schema as leadctl left it one migration ago
        patch.setattr(store_db_module, "MIGRATIONS", MIGRATIONS[:-1])
        patch.setattr(store_db_module, "VERSION", VERSION - 1)
        Store.create(path).close()
    conn = connect(path)
    conn.execute(f"ATTACH '{fresh}' AS fresh")
    for table in ("policy", "staff"):
        conn.execute(f"INSERT INTO {table} SELECT * FROM fresh.{table}")
    conn.execute("DETACH fresh")
    conn.close()
    assert scalar(path, "PRAGMA user_version") == VERSION - 1
    return path


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_d3_a_migration_killed_before_commit_leaves_the_old_schema(old_db, attempt):
    """leadctl's own Store.open -> migrate() runs the last migration; SIGKILL after its statements and the
    user_version bump, before COMMIT. Fails if any DDL or the bump survives the kill."""
    before_schema, before, before_dump = schema_of(old_db), old_db.read_bytes(), dump_of(old_db)
    cookie = scalar(old_db, "PRAGMA schema_version")
    child = helper("migrate", old_db, "kill")
    wait_ready(child)  # the child is inside BEGIN IMMEDIATE, every statement executed, user_version bumped
    kill(child)
    assert old_db.read_bytes() == before  # nothing reached the main file; the WAL holds no commit frame
    assert scalar(old_db, "PRAGMA user_version") == VERSION - 1
    assert schema_of(old_db) == before_schema
    assert integrity(old_db) == ["ok"]
    result = run_cli(old_db, "due", "--all", "--json", actor=MANAGER)  # opening migrates
    assert result.returncode == 0, result.stderr
    assert scalar(old_db, "PRAGMA user_version") == VERSION
    assert dump_of(old_db) != before_dump  # the last migration took effect
    assert scalar(old_db, "PRAGMA schema_version") > cookie  # open connections re-read the schema
    assert integrity(old_db) == ["ok"]


def test_d3_a_migration_that_raises_rolls_back(old_db):
    before_schema = schema_of(old_db)
    child = helper("migrate", old_db, "raise")
    _, err = child.communicate(timeout=30)
    assert child.returncode != 0 and "simulated failure" in err
    assert scalar(old_db, "PRAGMA user_version") == VERSION - 1
    assert schema_of(old_db) == before_schema
    assert integrity(old_db) == ["ok"]


# -- D4: disk full ------------------------------------------------------------------------------------------------
def test_d4_disk_full_through_the_service_path(store_db, figure):
    """max_page_count is per connection, so a child sets it on leadctl's own connection and intakes until full.
    Fails if SQLITE_FULL is not translated to StorageError 'disk full' (74), or a failed intake left a lead,
    visit or event behind (ROLLBACK after an automatic rollback must be tolerated)."""
    child = helper("fill", store_db, 12)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    committed = [line["committed"] for line in lines if "committed" in line]
    failure = lines[-1]
    assert "failed" in failure, lines[-3:]
    assert failure["type"] == "StorageError" and failure["code"] == ExitCode.IO == 74
    assert "disk full" in failure["message"] and "nothing was changed" in failure["message"]
    assert len(committed) >= 1  # the limit leaves room for some intakes first
    conn = connect(store_db)
    try:
        present = {p for (p,) in conn.execute("SELECT phone FROM leads")}
        assert set(committed) <= present
        assert failure["failed"] not in present
        assert conn.execute("SELECT count(*) FROM events WHERE json_extract(detail, '$.phone') = ?",
                            (failure["failed"][:3] + "****" + failure["failed"][-4:],)).fetchone()[0] == 0
    finally:
        conn.close()
    leads, events, gaps = audit_balance(store_db)
    assert leads == events == scalar(store_db, "SELECT count(*) FROM visits") and gaps == 0  # no half intake
    assert integrity(store_db) == ["ok"]
    figure("D4", f"page limit +12: {len(committed)} intakes committed, the next one StorageError (74) "
                 "'disk full', its rows absent, integrity ok")


def _file_size_limit(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))  # Python ignores SIGXFSZ: writes get EFBIG

    return apply


def test_d4_a_write_error_through_the_cli_is_one_line_exit_74(store_db):
    """No LD_PRELOAD, and root ignores file modes (so no read-only directory): RLIMIT_FSIZE at 32 KiB lets the
    -shm map (32 KiB) be made but not the WAL frames of a 90 KB name: EFBIG -> SQLITE_IOERR_WRITE.
    Fails on a traceback, a second stderr line, any exit but 74, or a lead written."""
    before = scalar(store_db, "SELECT count(*) FROM leads")
    result = run_cli(store_db, "intake", "--name", "大" * 30_000, "--phone", "13833334444", "--json",
                     preexec_fn=_file_size_limit(32 * 1024))
    assert result.returncode == ExitCode.IO, result.stderr
    line = one_line_error(result)
    assert "cannot read or write" in line or "disk full" in line
    assert result.stdout == ""
    assert scalar(store_db, "SELECT count(*) FROM leads") == before
    assert integrity(store_db) == ["ok"]
    again = run_cli(store_db, "intake", "--name", "大" * 30_000, "--phone", "13833334444", "--json")
    assert again.returncode == 0, again.stderr
    assert integrity(store_db) == ["ok"]


def _big_import(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["客户姓名", "手机号码", "客户来源", "意向级别", "到店时间"])
        out.writerows((f"客户{i}", f"139{i:08d}", "展厅", "B", "2026-11-02 10:00") for i in range(rows))
    return path


@pytest.mark.parametrize("after", [0.5, 0.9, 1.3, 1.7])
def test_ctrl_c_during_a_large_import_leaves_all_or_nothing(store_db, tmp_path, after):
    """SIGINT at several moments of a 100,000-row import: while checking, planning, or while the writer thread
    inserts a batch. Fails on a traceback, on an exit that claims success with rows missing, or on a store
    that is neither as before nor fully imported."""
    path = _big_import(tmp_path / "big.csv", 100_000)
    before = scalar(store_db, "SELECT count(*) FROM leads")
    visits = scalar(store_db, "SELECT count(*) FROM visits")
    child = subprocess.Popen([str(LEADCTL), "--db", str(store_db), "--as", MANAGER, "import", str(path)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env())
    time.sleep(after)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert "Traceback" not in err, err
    leads = scalar(store_db, "SELECT count(*) FROM leads")
    assert leads in (before, before + 100_000), err  # all or nothing (the signal may come after the commit)
    if child.returncode == 0:
        assert leads == before + 100_000
    else:  # an interrupt is one line, never reported as damage
        assert child.returncode == 130 and "interrupted" in err and "database error" not in err, err
    assert integrity(store_db) == ["ok"]
    assert scalar(store_db, "SELECT count(*) FROM visits") - visits == leads - before  # no lead without its visit


def test_d4_a_write_error_in_the_middle_of_a_large_import_rolls_all_of_it_back(store_db, tmp_path):
    """An import hands batches of rows (FLUSH_ROWS) to a writer thread while it plans the next ones. With the
    WAL unable to grow past 2 MB, the writing fails part-way (in the writer's first batch, as measured). Fails
    unless the error is one line with exit 74 and the store is exactly as before, or unless the same import
    then succeeds in full."""
    path = _big_import(tmp_path / "big.csv", 50_000)
    tables = ("leads", "visits", "grades", "imports", "events")
    before = {t: scalar(store_db, f"SELECT count(*) FROM {t}") for t in tables}
    result = run_cli(store_db, "import", str(path), actor=MANAGER, timeout=120,
                     preexec_fn=_file_size_limit(2 * 1024 * 1024))
    assert result.returncode == ExitCode.IO, result.stderr
    one_line_error(result)
    assert {t: scalar(store_db, f"SELECT count(*) FROM {t}") for t in tables} == before
    assert integrity(store_db) == ["ok"]
    again = run_cli(store_db, "import", str(path), "--json", actor=MANAGER, timeout=120)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["new"] == 50_000
    assert scalar(store_db, "SELECT count(*) FROM leads") == before["leads"] + 50_000
    assert integrity(store_db) == ["ok"]


# -- D7: a writer killed while holding the write lock --------------------------------------------------------------
@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_d7_a_killed_writer_leaves_no_rows_and_no_lock(store_db, attempt, figure):
    """S5 too: after the kill, leads = intake events. Fails if the uncommitted rows (3.6 MB, spilled into the WAL
    past a 2 MB cache) became visible, or the lock outlived the process."""
    for i in range(attempt):  # some committed history first
        assert run_cli(store_db, "intake", "--name", "已提交", "--phone", f"1380000{i:04d}").returncode == 0
    writer = helper("crash-writer", store_db, 10)
    wait_ready(writer)
    assert Path(f"{store_db}-wal").stat().st_size > 1_000_000  # uncommitted frames spilled to disk
    kill(writer)
    start = time.monotonic()
    result = run_cli(store_db, "intake", "--name", "下一位", "--phone", "13900009999", "--json", timeout=20)
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr
    assert elapsed < 5 + 3  # within the busy timeout (plus process start)
    assert scalar(store_db, "SELECT count(*) FROM leads WHERE phone LIKE '1350000%'") == 0
    leads, events, gaps = audit_balance(store_db)
    assert leads == events == attempt + 1 and gaps == 0
    assert integrity(store_db) == ["ok"]
    if attempt == 3:
        figure("D7", f"writer SIGKILLed holding the lock with 10 uncommitted rows: next intake exit 0 in "
                     f"{elapsed:.2f} s, 0 of the 10 rows visible (3/3)")


# -- D9: corrupt, truncated and foreign files ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A few thousand leads through the intake service, checkpointed into the main file (no -wal left)."""
    from leadctl.services import intake
    from leadctl.store.db import Store

    path = make_store(tmp_path_factory.mktemp("big") / "store.db")
    store = Store.open(path)
    try:
        with store.write():  # one transaction: nested intakes join it
            for i in range(3000):
                visit = intake.parse_visit(NOW_DT, name=f"客户{i}", phone_text=f"139{i:08d}", model="迈腾")
                intake.intake(store, NOW_DT, DESK, visit)
    finally:
        store.close()
    assert not Path(f"{path}-wal").exists()
    return path


def _varint(page: bytes, at: int) -> tuple[int, int]:
    value = 0
    for k in range(9):
        byte = page[at + k]
        if k == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + k + 1
    raise AssertionError("unreachable")


def middle_leads_page(path: Path) -> tuple[int, int, list[int]]:
    """(page number, page size, rowids on it) of the middle leaf page of the leads table."""
    conn = connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'leads' AND pagetype = 'leaf' ORDER BY pageno")]
    finally:
        conn.close()
    assert len(pages) >= 10
    number = pages[len(pages) // 2]
    with open(path, "rb") as fh:
        fh.seek((number - 1) * size)
        page = fh.read(size)
    assert page[0] == 0x0D  # a table leaf
    count = struct.unpack(">H", page[3:5])[0]
    rowids = []
    for i in range(count):
        cell = struct.unpack(">H", page[8 + 2 * i:10 + 2 * i])[0]
        _, at = _varint(page, cell)
        rowids.append(_varint(page, at)[0])
    return number, size, rowids


def damage(path: Path, offset: int, fill: bytes = b"\xff", length: int = 64) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(fill * length)


def quick_check(path: Path) -> list[str]:
    conn = connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return [f"quick_check itself failed: {exc}"]
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["cell pointers", "middle of the page"])
def test_d9a_a_damaged_page_is_reported_cleanly(big_db, tmp_path, where, figure):
    """64 bytes of 0xFF inside the middle leaf page of `leads`. Every read command must exit 74 with one line,
    or answer cleanly — and then quick_check must see the damage (what a future `leadctl check` must catch)."""
    path = tmp_path / "store.db"
    shutil.copy(big_db, path)  # our own closed, checkpointed copy
    number, size, rowids = middle_leads_page(path)
    offset = 8 if where == "cell pointers" else size // 2 - 32
    damage(path, (number - 1) * size + offset)
    results = {
        "due --all": run_cli(path, "due", "--all", "--json", actor=MANAGER),
        "show": run_cli(path, "show", str(rowids[len(rowids) // 2]), "--json", actor=MANAGER),
    }
    for name, result in results.items():
        assert "Traceback" not in result.stderr, f"{name}:\n{result.stderr}"
        assert result.returncode in (0, ExitCode.NOT_FOUND, ExitCode.IO), f"{name}: {result.stderr}"
        if result.returncode:
            line = one_line_error(result)
            if result.returncode == ExitCode.IO:
                assert "corrupt" in line or "database error" in line
    if all(r.returncode != ExitCode.IO for r in results.values()):
        assert quick_check(path) != ["ok"]  # no command noticed: `check` must
    codes = {name: r.returncode for name, r in results.items()}
    figure("D9a", f"{where} of page {number}: exits {codes}; quick_check ok={quick_check(path) == ['ok']}")


def cell_starts(path: Path, number: int, size: int) -> list[int]:
    with open(path, "rb") as fh:
        fh.seek((number - 1) * size)
        page = fh.read(size)
    count = struct.unpack(">H", page[3:5])[0]
    return sorted(struct.unpack(">H", page[8 + 2 * i:10 + 2 * i])[0] for i in range(count))


def test_d9a_a_damaged_cell_header_is_exit_74_not_a_memory_error(big_db, tmp_path):
    """0xFF over the first 19 bytes of one cell (payload size, rowid, record header size) of the middle leads page;
    `export leads` reads every lead and hits it. Found by sweeping a 64-byte window across the page."""
    path = tmp_path / "store.db"
    shutil.copy(big_db, path)
    number, size, _ = middle_leads_page(path)
    cells = cell_starts(path, number, size)
    damage(path, (number - 1) * size + cells[len(cells) // 2], length=19)
    result = run_cli(path, "export", "leads", "--json", actor=MANAGER)
    assert "Traceback" not in result.stderr, result.stderr[-300:]
    assert result.returncode == ExitCode.IO


def test_d9a_an_impossible_stored_value_is_reported_not_a_traceback(store_db):
    """What 64 zero bytes over a lead's status column do (seen in 11 of 62 window positions of a page sweep),
    made deterministic: a row breaking its CHECK constraint, read by `due`."""
    assert run_cli(store_db, "intake", "--name", "坏行", "--phone", "13844445555").returncode == 0
    conn = connect(store_db)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("UPDATE leads SET status = 'xx'")
    finally:
        conn.close()
    result = run_cli(store_db, "due", "--all", "--json", actor=MANAGER)
    assert "Traceback" not in result.stderr
    assert result.returncode == ExitCode.IO


@pytest.mark.parametrize("command", [("due", "--all", "--json"), ("show", "1", "--json"),
                                     ("intake", "--name", "x", "--phone", "13855556666")])
def test_d9b_a_truncated_database_is_exit_74(big_db, tmp_path, command):
    path = tmp_path / "store.db"
    data = big_db.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = run_cli(path, *command, actor=MANAGER)
    assert result.returncode == ExitCode.IO, result.stderr
    assert "corrupt" in one_line_error(result)


@pytest.mark.parametrize("command", [("due", "--all"), ("intake", "--name", "x", "--phone", "13855556666"),
                                     ("show", "13800138000")])
def test_d9c_a_csv_file_as_db_is_exit_74_and_untouched(tmp_path, command):
    path = tmp_path / "leads.csv"
    path.write_text("name,phone\n刘洋,13800138000\n" * 200, encoding="utf-8")
    before, listing = path.read_bytes(), sorted(os.listdir(tmp_path))
    result = run_cli(path, *command, actor=MANAGER)
    assert result.returncode == ExitCode.IO, result.stderr
    line = one_line_error(result)
    assert "not a database" in line
    assert "13800138000" not in result.stderr
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == listing  # no -wal, -shm or -journal beside it
