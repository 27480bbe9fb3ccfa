"""Reliability tier: real processes on a real database file (RELIABILITY.md section 7).

Every test gets a fresh tmp dir; child processes get an explicit environment without the developer's
LEADCTL_* variables; every wait is bounded. Figures measured by the tests are printed at the end of the run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.conftest import NOW, STAFF

ROOT = Path(__file__).resolve().parents[2]
LEADCTL = Path(sys.executable).parent / "leadctl"
NOW_DT = datetime.fromisoformat(NOW)
DESK = "张前台"  # receptionist: may register visits
MANAGER = "王经理"


@pytest.fixture
def figure(request):
    """Record a measured figure for the end-of-run summary: figure("C1", "2,000 intakes in 3.1 s"). Kept on the
    test's report, so that it reaches the summary from a pytest-xdist worker too."""
    return lambda row, text: request.node.user_properties.append(("figure", (row, text)))


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: nothing of the developer's leadctl settings, a fixed clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADCTL_")}
    env["LEADCTL_NOW"] = NOW
    env["LEADCTL_LANG"] = "en"  # the assertions read English (tests/test_i18n.py runs both languages)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    env.update(extra)
    return env


def run_cli(db: Path, *args: str, actor: str | None = DESK, timeout: float = 30, env: dict | None = None,
            **popen) -> subprocess.CompletedProcess:
    """The real `leadctl` console script in a child process."""
    head = [str(LEADCTL), "--db", str(db)] + (["--as", actor] if actor else [])
    return subprocess.run([*head, *args], capture_output=True, text=True, timeout=timeout,
                          env=env or child_env(), cwd=db.parent, **popen)


_CHILDREN: list[subprocess.Popen] = []


def helper(role: str, *args: object, **popen) -> subprocess.Popen:
    """A child process playing one role of tests/reliability/helpers.py; it prints `ready` when in position."""
    proc = subprocess.Popen([sys.executable, "-m", "tests.reliability.helpers", role, *map(str, args)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=child_env(), cwd=ROOT, **popen)
    _CHILDREN.append(proc)
    return proc


@pytest.fixture(autouse=True)
def _no_helper_outlives_its_test():
    """A failing test must not leave a lock holder behind: kill (by pid) the helpers it started."""
    yield
    while _CHILDREN:
        proc = _CHILDREN.pop()
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def wait_ready(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Block until the helper prints `ready` (bounded); fail with its stderr otherwise."""
    import selectors

    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            pytest.fail(f"helper not ready within {timeout} s")
    line = proc.stdout.readline().strip()
    if line != "ready":
        proc.kill()
        _, err = proc.communicate(timeout=10)
        pytest.fail(f"helper said {line!r} instead of ready; stderr:\n{err}")


def one_line_error(result: subprocess.CompletedProcess) -> str:
    """An expected error: exactly one line on stderr, no traceback; returns it."""
    err = result.stderr
    assert "Traceback" not in err, err
    assert err.endswith("\n") and err.count("\n") == 1, f"expected one stderr line, got:\n{err}"
    return err.strip()


def make_store(path: Path, preset: str = "standard") -> Path:
    """A database with the standard policy and the shared staff list, built through the library."""
    from leadctl.services import setup, staff

    setup.init(path, NOW_DT, preset)
    from leadctl.store.db import Store

    store = Store.open(path)
    try:
        for i, (name, role, team) in enumerate(STAFF):
            staff.add(store, NOW_DT, None if i == 0 else MANAGER, name, role, team)
    finally:
        store.close()
    return path


def register(path: Path, phone: str, name: str = "刘洋", owner: str | None = None, actor: str = DESK) -> dict:
    """One intake through the service, in this process (set-up only; the tests act through child processes)."""
    from leadctl.services import intake
    from leadctl.store.db import Store

    store = Store.open(path)
    try:
        return intake.intake(store, NOW_DT, actor, intake.parse_visit(NOW_DT, name=name, phone_text=phone), owner)
    finally:
        store.close()


@pytest.fixture
def store_db(tmp_path) -> Path:
    return make_store(tmp_path / "store.db")


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=10, isolation_level=None)


def scalar(path: Path, sql: str, *params):
    conn = connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def integrity(path: Path) -> list[str]:
    conn = connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def audit_balance(path: Path) -> tuple[int, int, int]:
    """(leads, intake events, leads without an intake event): S5 wants leads = events and 0 gaps."""
    conn = connect(path)
    try:
        leads = conn.execute("SELECT count(*) FROM leads").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events WHERE action = 'intake' AND json_extract(detail,"
                              " '$.new_lead')").fetchone()[0]
        gaps = conn.execute("SELECT count(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM events e"
                            " WHERE e.lead_id = l.id AND e.action = 'intake')").fetchone()[0]
        return leads, events, gaps
    finally:
        conn.close()


def fingerprint(path: Path) -> str:
    """The bytes of the database and of its -wal (absent counts as empty)."""
    digest = hashlib.sha256()
    for suffix in ("", "-wal"):
        side = Path(f"{path}{suffix}")
        digest.update(side.read_bytes() if side.exists() else b"<none>")
    return digest.hexdigest()
