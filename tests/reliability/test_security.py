"""7.4 Security, and D6's per-connection recipe: S1/S2 file modes, S5 audit, S9 masked phones, S10 foreign files."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from leadctl.errors import ExitCode
from leadctl.store.db import Store
from leadctl.store.schema import APPLICATION_ID, VERSION
from tests.reliability.conftest import (
    DESK,
    LEADCTL,
    MANAGER,
    audit_balance,
    child_env,
    connect,
    fingerprint,
    helper,
    one_line_error,
    register,
    run_cli,
    scalar,
)

RECIPE = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "trusted_schema": 0, "secure_delete": 1}


def mode(path: Path | str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def pragmas(conn: sqlite3.Connection) -> dict:
    return {name: conn.execute(f"PRAGMA {name}").fetchone()[0] for name in [*RECIPE, "busy_timeout"]}


# -- D6: the recipe on every connection ---------------------------------------------------------------------------
def test_d6_a_second_connection_opened_while_one_is_open_gets_the_recipe_too(store_db):
    """Per-connection pragmas (foreign_keys, trusted_schema, synchronous...) are not stored in the file: a
    second Store must set them itself. Fails if only the first opener (or `init`) sets them."""
    first = Store.open(store_db)
    second = Store.open(store_db, timeout_ms=1500)
    try:
        assert pragmas(first.conn) == {**RECIPE, "busy_timeout": 5000}
        assert pragmas(second.conn) == {**RECIPE, "busy_timeout": 1500}
        plain = sqlite3.connect(store_db)  # control: a bare connection does not have them
        try:
            assert (plain.execute("PRAGMA foreign_keys").fetchone()[0],
                    plain.execute("PRAGMA trusted_schema").fetchone()[0]) == (0, 1)
        finally:
            plain.close()
    finally:
        second.close()
        first.close()


# -- S1 / S2: file modes --------------------------------------------------------------------------------------------
def test_s1_init_and_intake_make_0600_files_under_umask_022(tmp_path):
    db = tmp_path / "data" / "store.db"
    env = child_env()
    umask = lambda: os.umask(0o022)  # noqa: E731  (runs in the child before exec)
    for args in (["init"], ["staff", "add", MANAGER, "--role", "manager"],
                 ["--as", MANAGER, "staff", "add", DESK, "--role", "receptionist"]):
        done = subprocess.run([str(LEADCTL), "--db", str(db), *args], capture_output=True, text=True, env=env,
                              timeout=30, preexec_fn=umask)
        assert done.returncode == 0, done.stderr
    assert mode(db) == 0o600
    assert mode(db.parent) == 0o700  # the data directory leadctl created
    child = helper("intake-and-stat", db, preexec_fn=umask)  # Store.open + intake, files stat'ed while open
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert json.loads(out) == {"": "0o600", "-wal": "0o600", "-shm": "0o600"}


def test_s2_a_0644_database_is_tightened_on_the_next_open(store_db):
    reader = connect(store_db)  # keeps -wal/-shm in place across the command
    try:
        reader.execute("SELECT count(*) FROM leads").fetchone()
        for suffix in ("", "-wal", "-shm"):
            os.chmod(f"{store_db}{suffix}", 0o644)
        result = run_cli(store_db, "due", "--all", "--json", actor=MANAGER)
        assert result.returncode == 0, result.stderr
        assert {s: mode(f"{store_db}{s}") for s in ("", "-wal", "-shm")} == {"": 0o600, "-wal": 0o600, "-shm": 0o600}
    finally:
        reader.close()


# -- S5: the audit trail cannot be changed ----------------------------------------------------------------------------
@pytest.mark.parametrize("sql", ["UPDATE events SET action = 'nothing happened'",
                                 "UPDATE events SET detail = '{}' WHERE action = 'intake'",
                                 "DELETE FROM events", "DELETE FROM events WHERE id = 1"])
def test_s5_events_cannot_be_updated_or_deleted(store_db, sql):
    register(store_db, "13866667777")
    before = fingerprint(store_db)
    conn = connect(store_db)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="audit events cannot be"):
            conn.execute(sql)
    finally:
        conn.close()
    assert fingerprint(store_db) == before
    assert audit_balance(store_db) == (1, 1, 0)


# -- S9: phone numbers masked on every error path ---------------------------------------------------------------------
KNOWN, UNKNOWN = "13800138000", "13912345678"


@pytest.fixture
def owned(store_db) -> Path:
    """One customer (KNOWN), owned by consultant 李娜."""
    assert register(store_db, KNOWN, owner="李娜")["new_lead"]
    return store_db


def digits_runs(text: str) -> list[str]:
    return re.findall(r"\d{9,}", text)


@pytest.mark.parametrize("actor, args, code", [
    (MANAGER, ["show", UNKNOWN], ExitCode.NOT_FOUND),
    (MANAGER, ["show", "+86 139-1234-5678"], ExitCode.NOT_FOUND),
    ("李娜", ["grade", UNKNOWN, "A"], ExitCode.NOT_FOUND),
    ("李娜", ["followup", UNKNOWN, "--result", "打过电话"], ExitCode.NOT_FOUND),
    (MANAGER, ["merge", KNOWN, UNKNOWN], ExitCode.NOT_FOUND),
    (MANAGER, ["show", UNKNOWN + "#"], ExitCode.DATA),
    (DESK, ["intake", "--phone", UNKNOWN + "0"], ExitCode.DATA),
    (DESK, ["intake", "--phone", UNKNOWN + "x"], ExitCode.DATA),
    (DESK, ["intake", "--phone", UNKNOWN, "--arrived", UNKNOWN], ExitCode.DATA),
    (DESK, ["intake", "--phone", UNKNOWN, "--grade", UNKNOWN], ExitCode.DATA),
    (UNKNOWN, ["intake", "--phone", KNOWN], ExitCode.PERMISSION),
    ("陈刚", ["grade", KNOWN, "A"], ExitCode.PERMISSION),
    (MANAGER, ["merge", KNOWN, KNOWN], ExitCode.REFUSED),
])
def test_s9_error_messages_mask_the_phone(owned, actor, args, code):
    result = run_cli(owned, *args, actor=actor)
    assert result.returncode == code, result.stderr
    line = one_line_error(result)
    assert digits_runs(line) == [], line
    assert KNOWN not in result.stderr + result.stdout and UNKNOWN not in result.stderr + result.stdout
    if UNKNOWN in " ".join(args) and (code in (ExitCode.NOT_FOUND, ExitCode.USAGE) or "--arrived" in args):
        assert "139****5678" in line  # masked, not dropped: the desk can still tell which number it was


def test_s9_a_collision_names_no_phone(owned):
    """Another consultant registers the same customer: a collision; its message shows no phone, the manager who
    rules sees it in full (rules/visibility.py)."""
    result = run_cli(owned, "intake", "--name", "刘洋", "--phone", KNOWN, actor="陈刚")
    assert result.returncode == 0, result.stderr
    assert "collision" in result.stderr and digits_runs(result.stderr) == []
    listing = run_cli(owned, "collisions", "--json", actor=MANAGER)
    assert listing.returncode == 0, listing.stderr
    assert KNOWN in listing.stdout
    wrong = run_cli(owned, "collisions", "rule", "1", "--to", "赵电销", actor=MANAGER)
    assert wrong.returncode == ExitCode.REFUSED and digits_runs(one_line_error(wrong)) == []


@pytest.mark.parametrize("args", [["intake", UNKNOWN], ["show", KNOWN, UNKNOWN]])
def test_s9_usage_errors_mask_the_phone_too(owned, args):
    """The desk forgets --phone (`leadctl intake 13912345678`), or gives two leads to show."""
    result = run_cli(owned, *args, actor=DESK)
    assert result.returncode == ExitCode.USAGE
    assert UNKNOWN not in result.stderr, result.stderr


# -- S10: foreign or newer files are refused before any query ----------------------------------------------------------
def test_s10_a_foreign_application_id_is_refused_untouched(tmp_path):
    """A SQLite file that looks like ours (a leads table) with a trigger that would record any write.
    Fails if leadctl queried or wrote before checking application_id."""
    path = tmp_path / "foreign.db"
    conn = sqlite3.connect(path)
    conn.executescript("""
        PRAGMA journal_mode = WAL;
        PRAGMA application_id = 1234;
        CREATE TABLE leads (id INTEGER PRIMARY KEY, phone TEXT);
        CREATE TABLE pwned (at TEXT);
        CREATE TRIGGER leads_spy AFTER INSERT ON leads BEGIN INSERT INTO pwned VALUES (datetime()); END;
    """)
    conn.close()
    before, listing = fingerprint(path), sorted(os.listdir(tmp_path))
    for args in (["intake", "--name", "x", "--phone", KNOWN], ["due", "--all"], ["show", "1"]):
        result = run_cli(path, *args, actor=MANAGER)
        assert result.returncode == ExitCode.CONFIG, result.stderr
        assert "not a leadctl database" in one_line_error(result)
    assert fingerprint(path) == before
    assert sorted(os.listdir(tmp_path)) == listing
    assert scalar(path, "SELECT count(*) FROM pwned") == 0
    assert scalar(path, "PRAGMA application_id") == 1234 != APPLICATION_ID


def test_s10_a_newer_schema_is_refused_untouched(store_db):
    conn = connect(store_db)
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.close()
    before = fingerprint(store_db)
    for args in (["intake", "--name", "x", "--phone", KNOWN], ["due", "--all"]):
        result = run_cli(store_db, *args, actor=MANAGER)
        assert result.returncode == ExitCode.CONFIG, result.stderr
        assert "newer leadctl" in one_line_error(result)
    assert fingerprint(store_db) == before
    assert scalar(store_db, "PRAGMA user_version") == VERSION + 1
    assert scalar(store_db, "SELECT count(*) FROM leads") == 0
