import os
import re
import sqlite3
import stat

import pytest

from leadctl.errors import ExitCode
from leadctl.store.db import Store, filesystem_of, refuse_network_filesystem
from leadctl.store.schema import MIGRATIONS, VERSION


def test_init_creates_a_private_database(bare, db_path, tmp_path):
    old = os.umask(0o022)
    try:
        bare("init", "--policy", "dcc")
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert bare.scalar("SELECT name FROM policy") == "dcc"
    assert bare.scalar("PRAGMA user_version") == VERSION
    assert [a for (a,) in bare.query("SELECT action FROM events ORDER BY id")] == ["policy.set", "init"]


def test_init_refuses_to_overwrite(cli):
    before = cli.fingerprint()
    result = cli("init", code=ExitCode.CONFIG)
    assert "already exists" in result.stderr
    assert cli.fingerprint() == before


def test_a_bad_policy_file_creates_nothing(bare, db_path, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[grades.H]\ncadence_days = -3\n")
    result = bare("init", "--policy-file", str(bad), code=ExitCode.DATA)
    assert "grades.H.cadence_days: must not be negative" in result.stderr
    assert not db_path.exists()
    missing = bare("init", "--policy-file", str(tmp_path / "nope.toml"), code=ExitCode.NO_INPUT)
    assert "cannot read policy file" in missing.stderr
    assert not db_path.exists()


def test_a_policy_file_overrides_its_preset(bare, tmp_path):
    custom = tmp_path / "custom.toml"
    custom.write_text('preset = "fleet"\n[grades.H]\ncadence_days = 5\n')
    bare("init", "--policy-file", str(custom))
    data = bare.json("policy", "show")
    assert data["name"] == "fleet" and data["grades"]["H"]["cadence_days"] == 5


def test_every_connection_gets_the_recipe(cli, db_path):
    store = Store.open(db_path)
    try:
        pragma = {name: store.conn.execute(f"PRAGMA {name}").fetchone()[0] for name in (
            "journal_mode", "synchronous", "foreign_keys", "trusted_schema", "secure_delete", "busy_timeout")}
    finally:
        store.close()
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "trusted_schema": 0,
                      "secure_delete": 1, "busy_timeout": 5000}


def test_a_missing_database_is_a_configuration_error(bare):
    result = bare("due", code=ExitCode.CONFIG, actor="王经理")
    assert "no database at" in result.stderr and "leadctl init" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_foreign_sqlite_file_is_refused_untouched(bare, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = bare.fingerprint()
    result = bare("due", code=ExitCode.CONFIG, actor="王经理")
    assert "not a leadctl database" in result.stderr
    assert bare.fingerprint() == before


def test_a_newer_schema_is_refused(cli, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {VERSION + 1}")
    conn.close()
    result = cli("due", code=ExitCode.CONFIG, actor="王经理")
    assert "newer leadctl" in result.stderr


def test_a_file_that_is_not_a_database_is_refused(bare, db_path):
    db_path.write_text("name,phone\n刘洋,13800138000\n" * 100)
    before = bare.fingerprint()
    result = bare("due", code=ExitCode.IO, actor="王经理")
    assert "corrupt or not a database" in result.stderr
    assert bare.fingerprint() == before


def test_a_truncated_database_is_refused(cli, db_path):
    for i in range(40):
        cli("intake", "--name", "客户", "--phone", f"139{i:08d}", actor="张前台")
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2])
    result = cli("due", "--all", code=ExitCode.IO, actor="王经理")
    assert "Traceback" not in result.stderr


def test_a_network_filesystem_is_refused(tmp_path):
    mounts = "/dev/sda1 / ext4 rw 0 0\nserver:/share /mnt/share nfs4 rw 0 0\n"
    assert filesystem_of(tmp_path, mounts) == "ext4"
    from pathlib import Path

    import pytest

    from leadctl.errors import ConfigError

    with pytest.raises(ConfigError, match="network filesystem"):
        refuse_network_filesystem(Path("/mnt/share/leadctl.db"), mounts)
    refuse_network_filesystem(tmp_path / "x.db", mounts)


def test_check_constraints_spell_their_values_as_comparisons(cli, db_path):
    """SQLite 3.40 builds a CHECK's `IN (...)` list anew for every row it checks (a bulk import paid 0.75 s a
    100,000 rows for it); migration 0008 spells each as `x = 'a' OR x = 'b'`, the same rule."""
    tables = cli.query("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
    assert [name for name, sql in tables if re.search(r"\bIN\s*\(\s*['\d]", sql)] == []
    conn = sqlite3.connect(db_path)
    try:
        for bad in ("channel = 'fax'", "trade_in = 2", "grade = 'X'", "status = 'gone'"):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
                conn.execute("INSERT INTO leads (phone, channel, created_at) VALUES ('13800000000', 'hq', '2026')")
                conn.execute(f"UPDATE leads SET {bad} WHERE phone = '13800000000'")
            conn.rollback()
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()


def test_migration_0008_changes_only_the_spelling_of_the_value_lists():
    """Every table as migrations 0001-0007 left it, with each `x IN ('a', 'b')` spelled `(x = 'a' OR x = 'b')` by
    this test's own rewriting, must be exactly the table after 0008: no value dropped, added or misspelt."""
    def schema(count: int) -> dict[str, str]:
        conn = sqlite3.connect(":memory:")
        for script in MIGRATIONS[:count]:
            conn.executescript(script)
        tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        conn.close()
        return tables

    def spelled(match: re.Match) -> str:
        values = re.findall(r"'[^']*'|-?\d+", match.group(2))
        return "(" + " OR ".join(f"{match.group(1)} = {v}" for v in values) + ")"

    value_list = re.compile(r"(\b\w+)\s+IN\s*\(((?:\s*(?:'[^']*'|-?\d+)\s*,?)+)\)")
    before, after = schema(7), schema(8)
    assert {name: value_list.sub(spelled, sql) for name, sql in before.items()} == after
    assert before != after
