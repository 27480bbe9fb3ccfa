"""7.1 Concurrency and locking: C1, C2, C3, C5, C8 (and S5 after C1)."""

from __future__ import annotations

import multiprocessing
import os
import queue
import re
import resource
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from leadctl.errors import Busy, ConfigError, ExitCode
from leadctl.store.db import filesystem_of, refuse_network_filesystem, translate
from tests.reliability.conftest import (
    DESK,
    LEADCTL,
    MANAGER,
    ROOT,
    audit_balance,
    child_env,
    connect,
    helper,
    integrity,
    one_line_error,
    run_cli,
    scalar,
    wait_ready,
)
from tests.reliability.helpers import intake_worker

WRITERS, INTAKES = 8, 250


@pytest.mark.slow
def test_c1_eight_desks_through_the_service_path_lose_nothing(store_db, figure):
    """C1 + C3(c) + S5: 8 spawned processes x 250 intakes, each opening the store as the CLI does.

    Fails if any intake raises (a deferred BEGIN upgrading under contention would show as Busy), if a lead or
    its audit event is lost, or if the file is damaged.
    """
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=intake_worker, args=(str(store_db), w, INTAKES, barrier, results))
             for w in range(WRITERS)]
    start = time.monotonic()
    for p in procs:
        p.start()
    deadline = start + 240  # ~8 s on an idle 2-core machine
    try:
        reports = [results.get(timeout=max(1.0, deadline - time.monotonic())) for _ in procs]
    except queue.Empty:
        pytest.fail("a writer process did not report within 240 s")
    finally:
        for p in procs:
            p.join(timeout=10)
            if p.is_alive():
                p.kill()
    elapsed = time.monotonic() - start
    errors = [e for r in reports for e in r["errors"]]
    assert errors == [], errors[:5]
    assert all(p.exitcode == 0 for p in procs)
    assert sum(r["done"] for r in reports) == WRITERS * INTAKES
    assert sum(r["busy"] for r in reports) == 0
    leads, events, gaps = audit_balance(store_db)
    assert (leads, events, gaps) == (WRITERS * INTAKES, WRITERS * INTAKES, 0)
    assert scalar(store_db, "SELECT count(*) FROM visits") == WRITERS * INTAKES
    conn = connect(store_db)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []  # 0 orphans
    finally:
        conn.close()
    assert integrity(store_db) == ["ok"]
    slowest = max(r["seconds"] for r in reports)
    figure("C1", f"{WRITERS} processes x {INTAKES} intakes = {leads} leads, {events} intake events, 0 errors; "
                 f"writers' slowest loop {slowest:.1f} s, {elapsed:.1f} s with process spawn")


@pytest.mark.slow
def test_c2_eight_shells_through_the_real_cli(store_db, figure):
    """C2: 8 concurrent shells x 25 `leadctl intake --json` = 200 process starts; every exit 0, no stderr."""
    script = """
        leadctl="$1"; db="$2"; w="$3"; n="$4"
        for i in $(seq 1 "$n"); do
            printf -v phone '136%02d%06d' "$w" "$i"
            "$leadctl" --db "$db" --as "$5" intake --name "终端$w-$i" --phone "$phone" --json > /dev/null
            echo "exit $? $w $i"
        done
    """
    per_shell = 25
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    shells = [subprocess.Popen(["bash", "-c", script, "bash", str(LEADCTL), str(store_db), str(w), str(per_shell),
                                DESK], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=child_env(), cwd=store_db.parent) for w in range(8)]
    outputs, deadline = [], start + 300  # ~30 s on an idle 2-core machine; generous for a loaded one
    for shell in shells:
        try:
            outputs.append(shell.communicate(timeout=max(1.0, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            for s in shells:
                s.kill()
            pytest.fail("the shells did not finish within 300 s")
    elapsed = time.monotonic() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    exits = [line.split() for out, _ in outputs for line in out.splitlines()]
    assert len(exits) == 8 * per_shell
    assert [e for e in exits if e[1] != "0"] == []
    assert [err for _, err in outputs if err] == []
    assert all(s.returncode == 0 for s in shells)
    leads, events, gaps = audit_balance(store_db)
    assert (leads, events, gaps) == (200, 200, 0)
    assert integrity(store_db) == ["ok"]
    figure("C2", f"8 shells x {per_shell} `leadctl intake` = 200 runs, all exit 0, no stderr: {elapsed:.1f} s wall, "
                 f"{cpu:.1f} s CPU in children ({cpu / 200 * 1000:.0f} ms/run; load avg {os.getloadavg()[0]:.1f})")


def test_c3a_a_deferred_read_then_write_fails_at_once_despite_the_timeout(store_db, figure):
    """C3(a), characterization of SQLite: why leadctl never upgrades a read transaction to a write.

    Fails if SQLite waited for the busy timeout (5 s) or succeeded: then the rule in ARCHITECTURE.md is moot.
    """
    conn = sqlite3.connect(store_db, timeout=5.0, isolation_level=None)
    try:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        conn.execute("BEGIN")  # DEFERRED: a read snapshot that may later want to write
        before = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
        other = helper("intake-one", store_db, "13812345678")  # another process commits meanwhile
        wait_ready(other)
        assert other.wait(timeout=20) == 0
        start = time.monotonic()
        with pytest.raises(sqlite3.OperationalError) as caught:
            conn.execute("INSERT INTO staff (name, role, created_at) VALUES ('x', 'service', '2026-11-24')")
        waited = time.monotonic() - start
        assert conn.execute("SELECT count(*) FROM leads").fetchone()[0] == before  # still the old snapshot
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert caught.value.sqlite_errorname == "SQLITE_BUSY_SNAPSHOT"
    assert waited < 1.0
    assert isinstance(translate(caught.value, store_db), Busy)  # leadctl would at least say "retry" (75)
    assert scalar(store_db, "SELECT count(*) FROM leads") == before + 1
    figure("C3", f"DEFERRED read->write after another commit: SQLITE_BUSY_SNAPSHOT in {waited * 1000:.1f} ms "
                 "with busy_timeout 5000 ms")


# -- C3(b) / D8: the static guard -------------------------------------------------------------------------------
FORBIDDEN = {
    "sqlite-utils atomic() opens a deferred BEGIN": re.compile(r"\.atomic\("),
    "a plain or DEFERRED BEGIN can fail on upgrade to a write":
        re.compile(r"""["']\s*BEGIN\s*(DEFERRED\s*)?(TRANSACTION\s*)?;?\s*["']|BEGIN\s+DEFERRED|\.begin\(\)""",
                   re.IGNORECASE),
    "executescript() commits any open transaction first": re.compile(r"\.executescript\("),
    "copying a live database file (use the backup API)": re.compile(r"shutil\.copy|copyfile\("),
    "a connection without isolation_level=None gets Python's implicit deferred BEGIN":
        re.compile(r"sqlite3\.connect\((?![^\n]*isolation_level\s*=\s*None)"),
}
# (file, the stripped line) -> why it is allowed. Store.read's BEGIN is a read-only snapshot, rolled back.
ALLOWED = {
    ("leadctl/store/db.py", 'self.conn.execute("BEGIN")'): "Store.read(): read snapshot, never writes",
}


def scan(files: dict[str, str]) -> list[str]:
    found = []
    for name, text in files.items():
        for number, line in enumerate(text.splitlines(), 1):
            for why, pattern in FORBIDDEN.items():
                if pattern.search(line) and (name, line.strip()) not in ALLOWED:
                    found.append(f"{name}:{number}: {line.strip()}  <- {why}")
    return found


def test_c3b_the_scanner_catches_what_it_is_meant_to_catch():
    """Keeps the static test honest: each forbidden form is seen, the allow-listed read snapshot is not."""
    bad = {
        "x.py": "with db.atomic():\n"
                "conn.execute('BEGIN')\n"
                'conn.execute("BEGIN DEFERRED")\n'
                'db.execute("BEGIN TRANSACTION")\n'
                "db.begin()\n"
                "conn.executescript(sql)\n"
                "shutil.copy2(db_path, backup)\n"
                "sqlite3.connect(path)\n",
        "leadctl/store/db.py": '    self.conn.execute("BEGIN")\n    self.conn.execute("BEGIN IMMEDIATE")\n'
                               "    sqlite3.connect(p, timeout=1, isolation_level=None)\n",
    }
    found = scan(bad)
    assert [f.split(":")[1] for f in found] == [str(n) for n in range(1, 9)]


def test_c3b_no_write_path_relies_on_a_deferred_transaction_or_copies_the_database():
    files = {str(p.relative_to(ROOT)): p.read_text("utf-8") for p in sorted((ROOT / "leadctl").rglob("*.py"))}
    assert len(files) > 10
    assert scan(files) == []
    stale = [key for key in ALLOWED if key[1] not in {line.strip() for line in files.get(key[0], "").splitlines()}]
    assert stale == [], "allow-list entries that no longer match anything"


# -- C5: the lock held longer than the busy timeout -------------------------------------------------------------
def test_c5_a_held_lock_is_exit_75_then_success_after_release(store_db, figure):
    holder = helper("hold", store_db, 30)
    try:
        wait_ready(holder)
        before = scalar(store_db, "SELECT count(*) FROM leads")
        start = time.monotonic()
        busy = run_cli(store_db, "--busy-timeout", "0.5", "intake", "--name", "等锁", "--phone", "13811112222",
                       "--json")
        waited = time.monotonic() - start
    finally:
        holder.stdin.write("release\n")
        holder.stdin.flush()
        holder.wait(timeout=20)
    assert busy.returncode == ExitCode.BUSY, busy.stderr
    line = one_line_error(busy)
    assert "busy" in line and "retry" in line
    assert busy.stdout == ""
    assert waited < 4.5  # 0.5 s plus the process start, i.e. not the default 5 s: --busy-timeout was applied
    assert scalar(store_db, "SELECT count(*) FROM leads") == before
    again = run_cli(store_db, "--busy-timeout", "0.5", "intake", "--name", "等锁", "--phone", "13811112222",
                    "--json")
    assert again.returncode == 0, again.stderr
    assert scalar(store_db, "SELECT count(*) FROM leads") == before + 1
    figure("C5", f"lock held: exit 75 after {waited:.2f} s with --busy-timeout 0.5; exit 0 after release")


CRON = r"""
set -eu
tries=0
while :; do
    tries=$((tries + 1))
    echo "try $tries" >&2
    status=0
    "$LEADCTL" --busy-timeout 0.3 intake --name 定时任务 --phone 13822223333 --channel call --json || status=$?
    if [ "$status" -eq 0 ]; then exit 0; fi
    if [ "$status" -ne 75 ] || [ "$tries" -ge 3 ]; then exit "$status"; fi
    if [ "$tries" -eq 1 ]; then  # test choreography: ask for the lock's release, wait (bounded) until done
        echo please > "$RELEASE"
        for _ in $(seq 1 100); do [ "$(cat "$RELEASE")" = done ] && break; sleep 0.1; done
    fi
    sleep 0.2
done
"""


def test_c5_cron_script_retries_only_on_75(store_db, tmp_path):
    """A cron-style job (`set -eu`, retry on 75 only, 3 tries): the lock is released between its tries."""
    release = tmp_path / "release"
    release.touch()
    holder = helper("hold", store_db, 30)
    wait_ready(holder)
    env = child_env(LEADCTL=str(LEADCTL), RELEASE=str(release), LEADCTL_DB=str(store_db), LEADCTL_USER=DESK)
    job = subprocess.Popen(["bash", "-c", CRON], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                           cwd=tmp_path)
    try:
        deadline = time.monotonic() + 20  # the job asks for the release after its first exit 75
        while release.read_text() == "" and time.monotonic() < deadline and job.poll() is None:
            time.sleep(0.05)
        holder.stdin.write("release\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
        release.write_text("done")
        out, err = job.communicate(timeout=30)
    finally:
        holder.kill()
        holder.wait(timeout=10)
        job.kill()
    assert job.returncode == 0, err
    assert re.findall(r"^try \d$", err, re.MULTILINE) == ["try 1", "try 2"] and "busy" in err
    assert "Traceback" not in err
    assert scalar(store_db, "SELECT count(*) FROM leads WHERE phone = '13822223333'") == 1


def test_c5_cron_script_does_not_retry_other_failures(store_db, tmp_path):
    """The same script on a bad phone (exit 65): one try, the job fails with 65 — retries are for 75 only."""
    script = CRON.replace("13822223333", "12345")
    env = child_env(LEADCTL=str(LEADCTL), RELEASE=str(tmp_path / "r"), LEADCTL_DB=str(store_db),
                    LEADCTL_USER=DESK)
    job = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=30, cwd=tmp_path)
    assert job.returncode == ExitCode.DATA
    assert re.findall(r"^try \d$", job.stderr, re.MULTILINE) == ["try 1"]


# -- C8: network filesystems ----------------------------------------------------------------------------------
MOUNTS = """\
/dev/vda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
tmpfs /run tmpfs rw 0 0
{line}
"""


@pytest.mark.parametrize("kind, source", [
    ("nfs", "server:/export"), ("nfs4", "server:/export"), ("cifs", "//server/share"),
    ("smb3", "//server/share"), ("fuse.sshfs", "user@host:/home/u"),
])
def test_c8_a_database_on_a_network_filesystem_is_refused(kind, source):
    mounts = MOUNTS.format(line=f"{source} /mnt/shared\\040drive {kind} rw,relatime 0 0")
    target = Path("/mnt/shared drive/leadctl/store.db")
    assert filesystem_of(target.parent, mounts) == kind
    with pytest.raises(ConfigError) as caught:
        refuse_network_filesystem(target, mounts)
    assert caught.value.code == ExitCode.CONFIG == 78
    assert kind in str(caught.value) and "network filesystem" in str(caught.value)
    assert "local disk" in str(caught.value)
    refuse_network_filesystem(Path("/home/u/leadctl/store.db"), mounts)  # a local path beside it is accepted
    refuse_network_filesystem(Path("/mnt/shared/store.db"), mounts)  # a prefix of the mount point is not inside


def test_c8_the_real_local_disk_is_accepted(store_db):
    refuse_network_filesystem(store_db)  # reads /proc/mounts
    assert run_cli(store_db, "due", "--all", "--json", actor=MANAGER).returncode == 0
