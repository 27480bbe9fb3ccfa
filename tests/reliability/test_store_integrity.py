"""The file's integrity against people and crafted files: restore, purge, the audit chain, foreign files, folders
and filesystems (issue 11 items 3, 9-14). Every act goes through the real `leadctl` in a child process."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import stat
import subprocess
import time
from pathlib import Path

import pytest

from leadctl.errors import ConfigError, ExitCode
from leadctl.store.db import ALLOW_FILESYSTEM_ENV, refuse_network_filesystem
from leadctl.store.schema import APPLICATION_ID, MIGRATIONS
from tests.reliability.conftest import (
    LEADCTL,
    MANAGER,
    child_env,
    connect,
    helper,
    one_line_error,
    register,
    run_cli,
    scalar,
    wait_ready,
)

NAME, PHONE = "刘洋", "13800138000"
VIN = "LFV2A21K0G3043210"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def backup(db: Path, name: str = "backup.db") -> Path:
    target = db.parent / name
    assert run_cli(db, "backup", str(target), actor=MANAGER).returncode == 0
    return target


def file_bytes(db: Path) -> bytes:
    return b"".join(Path(f"{db}{s}").read_bytes() for s in ("", "-wal") if Path(f"{db}{s}").exists())


def check(db: Path) -> tuple[int, dict]:
    result = run_cli(db, "check", "--json", actor=MANAGER)
    return result.returncode, json.loads(result.stdout)


def edit(path: Path, *statements: str) -> None:
    """Someone with the sqlite3 shell: triggers and checks are no obstacle to them."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


# -- item 3: restore ------------------------------------------------------------------------------------------------
def test_restore_onto_the_live_file_itself_is_refused_at_once(store_db):
    for target in (store_db, Path(f"{store_db}-wal")):
        result = run_cli(store_db, "restore", str(target), "--yes", actor=MANAGER, timeout=30)
        assert result.returncode == ExitCode.USAGE, result.stderr
        assert "the database itself" in one_line_error(result)
    assert run_cli(store_db, "due", "--all", "--json").returncode == 0  # nothing was left holding the lock


def test_restore_checks_the_backup_before_asking(store_db, tmp_path):
    register(store_db, PHONE, NAME)
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    damaged = tmp_path / "damaged.db"
    damaged.write_text("not a database at all " * 100)
    cases = {tmp_path / "missing.db": ExitCode.NO_INPUT, tmp_path: ExitCode.NO_INPUT,
             foreign: ExitCode.CONFIG, damaged: ExitCode.IO}
    before = scalar(store_db, "SELECT count(*) FROM events")
    for source, code in cases.items():
        result = run_cli(store_db, "restore", str(source), actor=MANAGER)  # no --yes, not a terminal: never asked
        assert result.returncode == code, (source, result.stderr)
        one_line_error(result)
    assert scalar(store_db, "SELECT count(*) FROM leads") == 1
    assert scalar(store_db, "SELECT count(*) FROM events") == before


def test_restore_from_a_script_needs_yes_and_keeps_a_safety_copy(store_db):
    register(store_db, "13900139000", "旧客户")
    copy = backup(store_db)
    register(store_db, PHONE, NAME)
    refused = run_cli(store_db, "restore", str(copy), actor=MANAGER)
    assert refused.returncode == ExitCode.USAGE and "--yes" in one_line_error(refused)
    assert scalar(store_db, "SELECT count(*) FROM leads") == 2
    done = run_cli(store_db, "restore", str(copy), "--yes", "--json", actor=MANAGER)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    safety = Path(result["safety_copy"])
    assert safety.parent == store_db.parent and mode(safety) == 0o600
    assert scalar(safety, "SELECT count(*) FROM leads") == 2  # what was replaced
    assert scalar(store_db, "SELECT count(*) FROM leads") == 1
    event = json.loads(scalar(store_db, "SELECT detail FROM events WHERE action = 'restore'"))
    assert event["safety_copy"] == safety.name
    assert check(store_db)[0] in (0, ExitCode.ATTENTION)
    assert not [p for p in store_db.parent.iterdir() if ".restore." in p.name]  # no staging file left


def _on_a_terminal(db: Path, source: Path, answer: str) -> tuple[int, str]:
    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen([str(LEADCTL), "--db", str(db), "--as", MANAGER, "restore", str(source)],
                                stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=child_env(), cwd=db.parent)
        os.write(master, answer.encode() + b"\n")
        _, err = proc.communicate(timeout=60)
        return proc.returncode, err
    finally:
        os.close(master)
        os.close(slave)


def test_restore_on_a_terminal_asks_first(store_db):
    copy = backup(store_db)
    register(store_db, PHONE, NAME)
    code, err = _on_a_terminal(store_db, copy, "n")
    assert code == ExitCode.REFUSED and "Replace the content" in err, err
    assert scalar(store_db, "SELECT count(*) FROM leads") == 1
    code, err = _on_a_terminal(store_db, copy, "y")
    assert code == 0, err
    assert scalar(store_db, "SELECT count(*) FROM leads") == 0


def test_a_killed_restore_leaves_the_old_content_or_the_new_with_its_event(store_db):
    copy = backup(store_db)
    for i in range(3):
        register(store_db, f"1370013700{i}", f"客户{i}")
    outcomes = set()
    for delay in (0.3, 0.5, 0.7, 0.9, 1.1, 1.4):
        proc = subprocess.Popen([str(LEADCTL), "--db", str(store_db), "--as", MANAGER, "restore", str(copy), "--yes"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(), cwd=store_db.parent)
        time.sleep(delay)
        proc.kill()
        proc.communicate(timeout=30)
        leads = scalar(store_db, "SELECT count(*) FROM leads")
        events = scalar(store_db, "SELECT count(*) FROM events WHERE action = 'restore'")
        assert (leads, events) in ((3, 0), (0, 1)), (delay, leads, events)
        outcomes.add(leads)
        if leads == 0:
            break
    assert check(store_db)[0] in (0, ExitCode.ATTENTION)


# -- items 11 and 12: the audit chain, the schema ---------------------------------------------------------------------
def test_check_names_a_dropped_trigger_and_a_deleted_event(store_db):
    for i in range(3):
        register(store_db, f"1370013700{i}", f"客户{i}")
    assert check(store_db)[0] in (0, ExitCode.ATTENTION)
    victim = scalar(store_db, "SELECT id FROM events WHERE action = 'intake' ORDER BY id LIMIT 1")
    edit(store_db, "DROP TRIGGER events_no_delete", f"DELETE FROM events WHERE id = {victim}")
    code, findings = check(store_db)
    assert code == ExitCode.IO
    assert "trigger events_no_delete is missing" in findings["schema"]
    assert f"event {victim} missing: deleted from the audit trail" in findings["audit_chain"]


def test_check_names_a_forged_event_an_extra_trigger_and_view_but_expects_sqlite_stat(store_db):
    register(store_db, PHONE, NAME)
    edit(store_db, "ANALYZE")
    assert check(store_db)[0] in (0, ExitCode.ATTENTION)  # SQLite's own statistics are no finding
    edit(store_db, "INSERT INTO events (at, action, detail) VALUES ('2026-11-24T09:00:00', 'grade', '{}')",
         "CREATE VIEW everyone AS SELECT name, phone FROM leads",
         "CREATE TRIGGER spy AFTER INSERT ON leads BEGIN SELECT 1; END")
    forged = scalar(store_db, "SELECT max(id) FROM events")
    code, findings = check(store_db)
    assert code == ExitCode.IO
    assert f"event {forged} (grade) does not match its hash: changed or forged" in findings["audit_chain"]
    assert "view everyone (on everyone) is not part of leadctl's schema" in findings["schema"]
    assert "trigger spy (on leads) is not part of leadctl's schema" in findings["schema"]


def test_check_names_an_event_changed_in_place(store_db):
    register(store_db, PHONE, NAME)
    edit(store_db, "DROP TRIGGER events_no_update", "UPDATE events SET actor_id = NULL WHERE action = 'intake'",
         "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'x'); END")
    code, findings = check(store_db)
    assert code == ExitCode.IO
    assert [p for p in findings["audit_chain"] if "(intake) does not match its hash" in p]
    assert "trigger events_no_update differs from leadctl's schema" in findings["schema"]


def test_a_crafted_backup_is_refused(store_db):
    register(store_db, PHONE, NAME)
    copy = backup(store_db)
    edit(copy, "DROP TRIGGER events_no_delete", "DELETE FROM events WHERE action = 'intake'",
         "CREATE TABLE loot (x TEXT)",
         "CREATE TRIGGER spy AFTER INSERT ON leads BEGIN INSERT INTO loot VALUES (NEW.name || NEW.phone); END")
    before = file_bytes(store_db)
    result = run_cli(store_db, "restore", str(copy), "--yes", actor=MANAGER)
    assert result.returncode == ExitCode.IO
    assert "not as leadctl wrote it" in one_line_error(result)
    assert file_bytes(store_db) == before
    assert scalar(store_db, "SELECT count(*) FROM sqlite_master WHERE name IN ('spy', 'loot')") == 0


def test_events_written_before_the_chain_are_chained_by_the_migration(store_db, tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for version in range(8):  # the schema as leadctl 0008 left it, with a fresh store's policy and staff
        conn.executescript(MIGRATIONS[version])
    conn.execute("PRAGMA user_version = 8")
    conn.execute(f"ATTACH '{store_db}' AS fresh")
    conn.execute("INSERT INTO policy SELECT * FROM fresh.policy")
    conn.execute("INSERT INTO staff SELECT * FROM fresh.staff")
    conn.executemany("INSERT INTO events (at, action, detail) VALUES (?, ?, ?)",
                     [(f"2026-01-0{d}T09:00:00", "init", "{}") for d in range(1, 6)])
    conn.close()
    assert check(old)[0] in (0, ExitCode.ATTENTION)  # opened, migrated, chained, verified
    assert scalar(old, "SELECT count(*) FROM events WHERE hash IS NULL") == 0
    edit(old, "DROP TRIGGER events_no_update", "UPDATE events SET at = '2025-01-01T00:00:00' WHERE id = 2")
    assert "event 2 (init) does not match its hash: changed or forged" in check(old)[1]["audit_chain"]


def test_an_import_chains_its_events_like_every_other_command(store_db):
    for name, extra in (("lms_leads_gb18030.csv", []), ("hq_leads_utf8bom.csv", ["--source", "总部下发"])):
        source = Path(__file__).resolve().parents[2] / "sample_data" / "imports" / name
        result = run_cli(store_db, "import", str(source), "--skip-bad", *extra, actor=MANAGER, timeout=120)
        assert result.returncode == 0, result.stderr
    register(store_db, PHONE, NAME)
    assert scalar(store_db, "SELECT count(*) FROM events WHERE action = 'import'") >= 1
    code, findings = check(store_db)
    assert code in (0, ExitCode.ATTENTION) and findings["audit_chain"] == []


# -- item 9: purge ------------------------------------------------------------------------------------------------
def _customer_everywhere(db: Path) -> None:
    register(db, PHONE, NAME, owner="李娜")
    moved = run_cli(db, "transfer", "1", "--to", "陈刚", "--reason", f"{NAME}要求换人,电话{PHONE}", actor=MANAGER)
    assert moved.returncode == 0, moved.stderr
    assert run_cli(db, "transfer", "1", "--to", "李娜", actor=MANAGER).returncode == 0
    listed = run_cli(db, "vehicle", "add", VIN[:8], "--brand", "大众", "--series", "迈腾", "--model", "330TSI",
                     actor=MANAGER)
    assert listed.returncode == 0, listed.stderr
    signed = run_cli(db, "order", "1", "--vin", VIN, actor="李娜")  # by VIN only: the vehicle list knows it
    assert signed.returncode == 0, signed.stderr
    moved_day = run_cli(db, "order", "delivery-on", "1", "2026-12-20", "--reason", f"{NAME}要求改期", actor="李娜")
    assert moved_day.returncode == 0, moved_day.stderr


def test_purge_erases_every_copy_and_leaves_a_tombstone(store_db):
    _customer_everywhere(store_db)
    assert NAME.encode() in file_bytes(store_db)
    result = run_cli(store_db, "purge", PHONE, "--json", actor=MANAGER)
    assert result.returncode == 0, result.stderr
    data = file_bytes(store_db)
    for secret in (NAME.encode(), PHONE.encode(), VIN.encode()):
        assert data.count(secret) == 0, secret
    assert scalar(store_db, "SELECT count(*) FROM orders WHERE lead_id = 1") == 1  # the counts stay
    assert scalar(store_db, "SELECT count(*) FROM tombstones") >= 1
    code, findings = check(store_db)
    assert code in (0, ExitCode.ATTENTION) and findings["audit_chain"] == []  # the blanked events still verify
    assert findings["phones_rejected"] == []  # a purged card holds no phone to re-check
    assert scalar(store_db, "SELECT status FROM leads WHERE id = 1") == "closed"  # nobody is to call them again
    assert scalar(store_db, "SELECT next_due FROM leads WHERE id = 1") is None
    due = run_cli(store_db, "due", "--all", "--on", "2027-01-31", "--json", actor=MANAGER)
    assert 1 not in [row["lead_id"] for row in json.loads(due.stdout)]


def test_purge_says_so_when_a_reader_keeps_the_old_pages(store_db):
    register(store_db, PHONE, NAME)
    reader = helper("read", store_db, 60)
    wait_ready(reader)
    result = run_cli(store_db, "purge", PHONE, actor=MANAGER, env=child_env(LEADCTL_BUSY_TIMEOUT="0.5"))
    assert result.returncode == ExitCode.BUSY
    assert "still reads the old pages" in one_line_error(result)
    reader.communicate("go\n", timeout=30)
    again = run_cli(store_db, "purge", "1", "--json", actor=MANAGER)
    assert again.returncode == 0 and json.loads(again.stdout)["already"] is True
    assert file_bytes(store_db).count(NAME.encode()) == 0


def test_a_restored_backup_does_not_bring_a_purged_customer_back(store_db):
    _customer_everywhere(store_db)
    register(store_db, "13900139000", "留下的客户")
    copy = backup(store_db)
    assert run_cli(store_db, "purge", PHONE, actor=MANAGER).returncode == 0
    result = run_cli(store_db, "restore", str(copy), "--yes", "--json", actor=MANAGER)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["purges_reapplied"] == 1
    data = file_bytes(store_db)
    assert data.count(NAME.encode()) == 0 and data.count(PHONE.encode()) == 0
    assert "留下的客户".encode() in data
    assert check(store_db)[0] in (0, ExitCode.ATTENTION)


# -- item 10: folders -----------------------------------------------------------------------------------------------
def test_init_creates_every_missing_folder_private(tmp_path):
    db = tmp_path / "a" / "b" / "c" / "store.db"
    result = subprocess.run([str(LEADCTL), "--db", str(db), "init"], capture_output=True, text=True,
                            env=child_env(), timeout=30, preexec_fn=lambda: os.umask(0o022))
    assert result.returncode == 0, result.stderr
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", db.parent)] == [0o700] * 3
    assert mode(db) == 0o600


# -- item 13: foreign files and forged values -----------------------------------------------------------------------
def test_a_file_with_leadctls_id_but_no_schema_version_is_not_migrated(tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()
    result = run_cli(db, "due", "--all")
    assert result.returncode == ExitCode.CONFIG
    assert "did not create it" in one_line_error(result)
    assert scalar(db, "SELECT count(*) FROM sqlite_master") == 1
    assert scalar(db, "PRAGMA user_version") == 0


def test_a_forged_enum_value_gives_one_line(store_db):
    register(store_db, PHONE, NAME, owner="李娜")
    edit(store_db, f"UPDATE staff SET role = 'boss' WHERE name = '{MANAGER}'")
    for args in (["due", "--all", "--json"], ["report", "daily"]):
        result = run_cli(store_db, *args, actor=MANAGER)
        assert result.returncode == ExitCode.IO, result.stderr
        assert "breaks CHECK ((role = 'receptionist'" in one_line_error(result)
    result = run_cli(store_db, "check", "--json")  # check needs no identity; the forged one cannot give one
    code, findings = result.returncode, json.loads(result.stdout)
    assert code == ExitCode.IO
    assert findings["integrity"] == ["CHECK constraint failed in staff"]


# -- item 14: filesystems -------------------------------------------------------------------------------------------
MOUNTS = "/dev/vda1 / ext4 rw,relatime 0 0\n{line}\n"
REFUSED = [("glusterfs", "fuse.glusterfs"), ("s3fs", "fuse.s3fs"), ("rclone", "fuse.rclone"), ("davfs", "fuse"),
           ("webdav", "davfs"), ("gcsfuse", "fuse.gcsfuse"), ("lustre", "lustre"), ("gpfs", "gpfs"), ("ocfs2", "ocfs2"),
           ("virtiofs", "virtiofs"), ("beegfs", "beegfs"), ("nfs", "nfs4"), ("cifs", "cifs")]
LOCAL = ["ext4", "xfs", "btrfs", "zfs", "f2fs", "tmpfs", "overlay", "apfs", "hfs"]


@pytest.mark.parametrize("source, kind", REFUSED)
def test_a_filesystem_not_known_to_be_local_is_refused(source, kind, monkeypatch):
    mounts = MOUNTS.format(line=f"{source} /srv/data {kind} rw 0 0")
    with pytest.raises(ConfigError) as caught:
        refuse_network_filesystem(Path("/srv/data/leadctl/store.db"), mounts)
    assert caught.value.code == ExitCode.CONFIG
    assert kind in str(caught.value) and ALLOW_FILESYSTEM_ENV in str(caught.value)
    for local in LOCAL:  # the local ones are accepted
        refuse_network_filesystem(Path("/srv/data/store.db"), MOUNTS.format(line=f"dev /srv/data {local} rw 0 0"))
    monkeypatch.setenv(ALLOW_FILESYSTEM_ENV, kind)  # the store's explicit override accepts that type, and only it
    refuse_network_filesystem(Path("/srv/data/leadctl/store.db"), mounts)
    with pytest.raises(ConfigError):
        refuse_network_filesystem(Path("/srv/other/store.db"), mounts.replace("/ ext4", "/ 9p"))
