"""A real store service on a temp socket and a temp file, and the real CLI run against it as other OS users.

The tests run as root; the service runs as its own uid and every client under another, with setpriv (no passwd
entry needed: staff are bound by uid). The base folder is 0755 so those uids reach the socket; the database
folder is the service's, 0700.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import NOW, copy_store

LEADCTL = Path(sys.executable).parent / "leadctl"
ROOT = Path(__file__).resolve().parents[2]
GROUP, OTHER_GROUP = 4242, 4343  # the socket's group, and one it does not let in
ADMIN_UID, MANAGER_UID, LINA_UID, CHEN_UID, DESK_UID, CRON_UID, UNBOUND_UID = (
    5001, 5002, 5003, 5004, 5005, 5006, 5099)
SERVICE_UID = 5500  # the store's own account: it alone reads the file
SETPRIV = shutil.which("setpriv")


def embedded(db: Path, *args: str, actor: str | None = None, input: str | None = None) -> str:
    """The CLI opening the file itself, as the service's own account does to set the store up."""
    env = {**_base_env(), "LEADCTL_SOCKET": "", "LEADCTL_NOW": NOW}
    head = [str(LEADCTL), "--db", str(db), *(["--as", actor] if actor else [])]
    done = subprocess.run([*head, *args], env=env, input=input or "", capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{args}: {done.returncode} {done.stderr}"
    return done.stdout


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}
    env["LEADCTL_LANG"] = "en"  # the tests read English, as the rest of the suite does
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


@dataclass
class Service:
    base: Path
    db: Path
    socket: Path
    work: Path
    process: subprocess.Popen

    def env(self, **extra: str) -> dict[str, str]:
        return {**_base_env(), "LEADCTL_SOCKET": str(self.socket), "HOME": str(self.work), **extra}

    def command(self, uid: int, args: tuple[str, ...], gid: int = GROUP) -> list[str]:
        return [SETPRIV, f"--reuid={uid}", f"--regid={gid}", "--clear-groups", str(LEADCTL), *args]

    def run(self, uid: int, *args: str, gid: int = GROUP, input: str | None = None, code: int | None = 0,
            env: dict | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run(self.command(uid, args, gid), env=env or self.env(), input=input or "",
                              capture_output=True, text=True, timeout=120, cwd=self.work)
        if code is not None:
            assert done.returncode == code, (f"uid {uid}: leadctl {' '.join(args)} exited {done.returncode},"
                                             f" expected {code}\nstdout: {done.stdout}\nstderr: {done.stderr}")
        return done

    def query(self, sql: str, *params):
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def children(self) -> list[int]:
        """The service's forked children still running (one a request)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]


def wait_until(condition, seconds: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.02)


def _answers(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
        return True
    except OSError:
        return False
    finally:
        probe.close()


def start(base: Path, db: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    sock = base / "run" / "leadctl.sock"
    process = subprocess.Popen([SETPRIV, f"--reuid={SERVICE_UID}", f"--regid={GROUP}", "--clear-groups",
                                str(LEADCTL), "--db", str(db), "serve", "--socket", str(sock), "--group", str(GROUP),
                                *extra],
                               env=env or {**_base_env(), "LEADCTL_SOCKET": ""}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    wait_until(lambda: _answers(sock) or process.poll() is not None, what="the service's socket")
    assert process.poll() is None, process.stderr.read()
    return process


@pytest.fixture(scope="session")
def store_template(tmp_path_factory) -> Path:
    """A store with an admin, a manager, two consultants, a shared front desk and cron's system account, each
    bound to an OS uid: set up once (fifteen CLI runs), copied for each test."""
    db = tmp_path_factory.mktemp("service-template") / "store.db"
    embedded(db, "init")
    embedded(db, "staff", "add", "管理员", "--role", "admin")
    for name, role, team in [("王经理", "manager", None), ("李娜", "consultant", "showroom"),
                             ("陈刚", "consultant", "showroom"), ("张前台", "receptionist", None),
                             ("赵电销", "telesales", "dcc"), ("定时任务", "system", None)]:
        embedded(db, "staff", "add", name, "--role", role, *(["--team", team] if team else []), actor="管理员")
    for name, uid in [("管理员", ADMIN_UID), ("王经理", MANAGER_UID), ("李娜", LINA_UID), ("陈刚", CHEN_UID),
                      ("张前台", DESK_UID), ("赵电销", DESK_UID), ("定时任务", CRON_UID)]:
        embedded(db, "staff", "bind", name, "--os-user", str(uid), actor="管理员")
    return db


@pytest.fixture
def service(store_template):
    """The template store (see store_template) served on a temp socket by the store's own account."""
    assert SETPRIV, "setpriv (util-linux) is needed to run clients as other users"
    assert os.geteuid() == 0, "the service tests run clients under other uids: run them as root"
    base = Path(tempfile.mkdtemp(prefix="leadctl-service-"))
    os.chmod(base, 0o755)
    (base / "data").mkdir(mode=0o700)
    (base / "run").mkdir(mode=0o755)
    work = base / "work"
    work.mkdir()
    os.chmod(work, 0o777)
    db = base / "data" / "store.db"
    copy_store(store_template, db)
    for path in [base / "data", base / "run", *(base / "data").iterdir()]:  # the store's account owns its data
        os.chown(path, SERVICE_UID, GROUP)
    env = {**_base_env(), "LEADCTL_SOCKET": "", "LEADCTL_NOW": NOW}  # the service's clock, fixed for the tests
    process = start(base, db, env=env)
    try:
        yield Service(base, db, base / "run" / "leadctl.sock", work, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(base, ignore_errors=True)
