"""Files leadctl writes for people (exports, workbooks, rejects, backups): never onto the database, never over a
file without --force, nothing at the target unless the command succeeded, no temp files left for good, one line
and 74 on a full disk, no formula and no character a workbook refuses (issue 11: items 1, 2, 4, 5, 15, 16, 17).

Real child processes on a real database file; the database is checked byte for byte after every refusal.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.reliability.conftest import (
    LEADCTL,
    MANAGER,
    child_env,
    fingerprint,
    helper,
    integrity,
    make_store,
    one_line_error,
    register,
    run_cli,
    scalar,
    wait_ready,
)

HEADER = ["客户姓名", "手机号码", "意向车型", "客户来源", "意向级别", "销售顾问", "到店时间"]
TRAPS = ['=HYPERLINK("http://x","点我")', "@SUM(1)", "+86 老客户", "-1+2", "\t制表", "\r回车"]
CANT_CREATE, IO, BUSY = 73, 74, 75


def write_rows(path: Path, rows: int, bad: bool = False) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            phone = f"139{i:05d}" if bad else f"139{i:08d}"
            out.writerow([f"客户{i:05d}甲乙丙", phone, "迈腾", "展厅", "HABC"[i % 4], ("李娜", "陈刚")[i % 2],
                          f"2026-11-{1 + i % 23:02d} {9 + i % 9:02d}:{i % 60:02d}"])
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A store with 3,000 imported leads and the customer names Excel would run as formulas, built once."""
    db = make_store(tmp_path_factory.mktemp("template") / "store.db")
    done = run_cli(db, "import", str(write_rows(db.parent / "leads.csv", 3000)), actor=MANAGER)
    assert done.returncode == 0, done.stderr
    for i, name in enumerate(TRAPS):
        register(db, f"1370000{i:04d}", name=name, owner="李娜")
    conn = sqlite3.connect(db)
    conn.execute("UPDATE leads SET grade = 'H' WHERE id > 3000")  # prospects in every report
    conn.commit()
    conn.close()
    return db


@pytest.fixture
def shop(template, tmp_path) -> Path:
    db = tmp_path / "store.db"
    db.write_bytes(template.read_bytes())
    return db


def temps(folder: Path) -> list[Path]:
    """Temp files left in the folder: ours, and any other hidden .tmp (a backup's -journal included)."""
    return sorted(p for p in folder.iterdir() if p.name.startswith(".leadctl-") or ".tmp" in p.name)


def refused(result: subprocess.CompletedProcess, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    return one_line_error(result)


# -- item 1: never onto the database, never over a file without --force ---------------------------------------------
WRITERS = {
    "export csv": lambda out: ("export", "leads", "--csv", out),
    "export xlsx": lambda out: ("export", "leads", "--xlsx", out),
    "monthly": lambda out: ("report", "monthly", "--month", "2026-11", "--xlsx", out),
    "report xlsx": lambda out: ("report", "arrivals", "--xlsx", out),
    "rejects": lambda out: ("import", "bad.csv", "--rejects", out),
    "backup": lambda out: ("backup", out),
}


def act(db: Path, name: str, out: Path | str, *more: str) -> subprocess.CompletedProcess:
    if name == "rejects":
        write_rows(db.parent / "bad.csv", 20, bad=True)
    return run_cli(db, *WRITERS[name](str(out)), *more, actor=MANAGER)


@pytest.mark.parametrize("name", list(WRITERS))
@pytest.mark.parametrize("target", ["store.db", "store.db-wal", "store.db-shm", "./sub/../store.db", "alias.db",
                                    "link.db"])
def test_no_command_writes_onto_the_database_not_even_with_force(shop, name, target):
    (shop.parent / "sub").mkdir()
    os.link(shop, shop.parent / "alias.db")               # the same inode by another name
    (shop.parent / "link.db").symlink_to(shop.parent / "store.db-wal")  # a sidecar not there yet
    before = fingerprint(shop)
    for more in ((), ("--force",)):
        line = refused(act(shop, name, target, *more), CANT_CREATE)
        assert "is the database" in line
        assert fingerprint(shop) == before
    assert integrity(shop) == ["ok"]
    assert temps(shop.parent) == []


@pytest.mark.parametrize("target", ["dblink.db-wal", "store.db-shm", "dblink.db"])
def test_a_database_opened_through_a_symlink_keeps_its_sidecars_under_either_name(shop, target):
    link = shop.parent / "dblink.db"
    link.symlink_to(shop)
    before = fingerprint(shop)
    line = refused(run_cli(link, "export", "leads", "--csv", target, "--force", actor=MANAGER), CANT_CREATE)
    assert "is the database" in line
    assert fingerprint(shop) == before and link.is_symlink() and temps(shop.parent) == []


@pytest.mark.parametrize("name", list(WRITERS))
def test_an_existing_file_is_kept_unless_force(shop, name):
    target = shop.parent / "keep.out"
    target.write_bytes(b"a file someone keeps\n")
    target.chmod(0o644)
    before = fingerprint(shop)
    line = refused(act(shop, name, target), CANT_CREATE)
    assert "already exists" in line and "--force" in line
    assert target.read_bytes() == b"a file someone keeps\n"
    assert fingerprint(shop) == before and integrity(shop) == ["ok"]
    done = act(shop, name, target, "--force")
    assert done.returncode == (65 if name == "rejects" else 0), done.stderr
    assert target.read_bytes() != b"a file someone keeps\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert temps(shop.parent) == [] and integrity(shop) == ["ok"]


@pytest.mark.parametrize("name", list(WRITERS))
def test_a_folder_or_a_device_as_the_file_is_one_line_73(shop, name):
    (shop.parent / "dir").mkdir()
    before = fingerprint(shop)
    for target, what in ((shop.parent / "dir", "is a folder"), ("/dev/null", "not a regular file"),
                         (shop.parent / "none" / "x", "folder does not exist")):
        assert what in refused(act(shop, name, target, "--force"), CANT_CREATE)
    assert fingerprint(shop) == before
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert list((shop.parent / "dir").iterdir()) == []


# -- item 2 and 4: a failed or killed command leaves the target as it was -------------------------------------------
def start_export(db: Path, target: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen([str(LEADCTL), "--db", str(db), "--as", MANAGER, *more, "export", "leads", "--xlsx",
                             str(target), "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=db.parent)


def stop_once_writing(proc: subprocess.Popen, folder: Path) -> Path:
    """SIGSTOP the export as soon as its temp file exists (bounded wait); returns the temp file."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        found = [p for p in folder.iterdir() if p.name.startswith(".leadctl-")]
        if found:
            proc.send_signal(signal.SIGSTOP)
            return found[0]
    proc.kill()
    pytest.fail(f"no .leadctl-*.tmp temp file appeared; export exited {proc.poll()}: {proc.communicate()}")


def test_a_busy_audit_event_leaves_the_file_that_was_there(shop):
    target = shop.parent / "leads.xlsx"
    target.write_bytes(b"last week's export")
    events = scalar(shop, "SELECT count(*) FROM events WHERE action = 'export'")
    proc = start_export(shop, target, "--busy-timeout", "1")
    temp = stop_once_writing(proc, shop.parent)
    holder = helper("hold", shop, 60)
    wait_ready(holder)
    proc.send_signal(signal.SIGCONT)
    out, err = proc.communicate(timeout=60)
    holder.communicate("release\n", timeout=20)
    assert proc.returncode == BUSY, err
    assert "Traceback" not in err and err.count("\n") == 1
    assert target.read_bytes() == b"last week's export"
    assert not temp.exists() and temps(shop.parent) == []
    assert scalar(shop, "SELECT count(*) FROM events WHERE action = 'export'") == events


def test_a_killed_export_leaves_a_private_temp_file_the_next_writer_sweeps(shop):
    target = shop.parent / "leads.xlsx"
    proc = start_export(shop, target)
    temp = stop_once_writing(proc, shop.parent)
    proc.kill()
    proc.communicate(timeout=20)
    assert not target.exists()
    assert temp.name.startswith(".leadctl-leads.xlsx.") and temp.name.endswith(".tmp")
    assert stat.S_IMODE(temp.stat().st_mode) == 0o600
    fresh = shop.parent / ".leadctl-other.csv.abcdefgh.tmp"  # a live command's temp file: not touched
    fresh.write_bytes(b"in progress")
    foreign = shop.parent / ".leadctl-notes.txt"               # not a temp file of ours by name
    foreign.write_bytes(b"keep")
    old = time.time() - 7 * 3600
    os.utime(temp, (old, old))
    os.utime(foreign, (old, old))
    done = run_cli(shop, "export", "visits", "--csv", str(shop.parent / "visits.csv"), actor=MANAGER)
    assert done.returncode == 0, done.stderr
    assert not temp.exists() and fresh.exists() and foreign.exists()


# -- item 5: the file is synced before the rename and the folder after it ------------------------------------------
def test_an_atomic_write_syncs_the_file_then_places_it_then_syncs_the_folder(shop, monkeypatch):
    """The stdlib's calls are watched (not leadctl's): fsync(temp) before link/rename, then fsync(folder)."""
    calls: list[tuple[str, str]] = []
    names: dict[int, str] = {}
    real_open, real_fsync, real_link, real_replace = os.open, os.fsync, os.link, os.replace

    def watched_open(path, flags, *args, **kw):
        fd = real_open(path, flags, *args, **kw)
        names[fd] = os.fspath(path)
        return fd

    monkeypatch.setattr(os, "open", watched_open)
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(("sync", names.get(fd, "?"))), real_fsync(fd))[1])
    def placing(real):
        return lambda a, b, **kw: (calls.append(("place", os.fspath(a))), real(a, b, **kw))[1]

    monkeypatch.setattr(os, "link", placing(real_link))
    monkeypatch.setattr(os, "replace", placing(real_replace))
    Cli(shop)("export", "leads", "--csv", str(shop.parent / "leads.csv"), actor=MANAGER)
    Cli(shop)("export", "leads", "--csv", str(shop.parent / "leads.csv"), "--force", actor=MANAGER)
    for first in (0, len(calls) // 2):
        run = calls[first:first + len(calls) // 2]
        place = next(i for i, (kind, _) in enumerate(run) if kind == "place")
        temp = run[place][1]
        assert Path(temp).name.startswith(".leadctl-leads.csv.")
        assert ("sync", temp) in run[:place], run
        assert ("sync", str(shop.parent.resolve())) in run[place:], run


# -- item 16: one CSV writer, no formulas, on stdout too ------------------------------------------------------------
@pytest.mark.parametrize("args", [("due", "--all", "--csv"), ("report", "arrivals", "--month", "2026-11", "--csv"),
                                  ("report", "prospects", "--month", "2026-11", "--csv"),
                                  ("defeat", "list", "--csv")])
def test_every_csv_listing_keeps_formulas_as_text(shop, args):
    for lead in range(3001, 3001 + len(TRAPS)) if args[0] == "defeat" else ():
        done = run_cli(shop, "defeat", "request", str(lead), "--reason", "price", actor="李娜")
        assert done.returncode == 0, done.stderr
    done = run_cli(shop, *args, actor=MANAGER)
    assert done.returncode == 0, done.stderr
    cells = [c for row in csv.reader(io.StringIO(done.stdout, newline="")) for c in row]
    assert cells, done.stdout
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
    assert "'=HYPERLINK(\"http://x\",\"点我\")" in cells and "'@SUM(1)" in cells


# -- item 15: a control character in a customer's name does not stop a workbook -----------------------------------
@pytest.mark.parametrize("name", ["export xlsx", "monthly", "report xlsx"])
def test_a_control_character_in_a_name_does_not_break_a_workbook(shop, name):
    from openpyxl import load_workbook

    conn = sqlite3.connect(shop)
    conn.execute("UPDATE leads SET name = 'A\x01B\x1b[31m' WHERE id = 1")
    conn.execute("UPDATE leads SET name = '=1+1\x07' WHERE id = 2")
    conn.commit()
    conn.close()
    target = shop.parent / "book.xlsx"
    done = act(shop, name, target)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(target) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)
    values = {c.value for ws in load_workbook(target) for row in ws.iter_rows() for c in row}
    assert "AB[31m" in values and "=1+1" in values
    assert not any(isinstance(v, str) and any(ord(ch) < 0x20 and ch not in "\t\n\r" for ch in v) for v in values)


# -- item 17: a full disk is one line and 74, and leaves nothing behind --------------------------------------------
def small_files(limit: int = 40_000):
    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_file_size


@pytest.mark.parametrize("name", ["export csv", "export xlsx", "monthly", "rejects", "backup"])
def test_a_full_disk_is_one_line_and_74(shop, name):
    if name == "rejects":
        write_rows(shop.parent / "bad.csv", 3000, bad=True)
    target = shop.parent / "out.file"
    before = fingerprint(shop)
    events = scalar(shop, "SELECT count(*) FROM events")
    done = run_cli(shop, *WRITERS[name](str(target)), actor=MANAGER, preexec_fn=small_files())
    line = refused(done, IO)
    assert "out.file" in line and ("disk full" in line or "full" in line)
    assert not target.exists() and temps(shop.parent) == []
    assert fingerprint(shop) == before and integrity(shop) == ["ok"]
    assert scalar(shop, "SELECT count(*) FROM events") == events
