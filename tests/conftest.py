"""Shared fixtures: a real database file, the real CLI, and a way to see that nothing changed."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

os.environ["LEADCTL_LANG"] = "en"  # before any command is built (test_docs collects them at import): English

from leadctl.cli import app  # noqa: E402

NOW = "2026-11-24T09:00:00"
STAFF = [
    ("王经理", "manager", None),
    ("李娜", "consultant", "showroom"),
    ("陈刚", "consultant", "showroom"),
    ("张前台", "receptionist", None),
    ("赵电销", "telesales", "dcc"),
    ("孙客服", "service", None),
]


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite the golden files from current output")


def pytest_terminal_summary(terminalreporter):
    """The figures the reliability tests measured (tests/reliability/conftest.py `figure`), at the end of the run. Here,
    in the root conftest: under pytest-xdist the controller loads no other."""
    figures = [value for report in terminalreporter.stats.get("passed", []) if report.when == "call"
               for key, value in report.user_properties if key == "figure"]
    if figures:
        terminalreporter.section("reliability figures (measured on this machine)")
        for row, text in sorted(figures):
            terminalreporter.write_line(f"{row:>4}  {text}")


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/NAME; rewrite it only when run with --update-golden."""
    folder = Path(__file__).parent / "golden"

    def check(name: str, text: str) -> None:
        path = folder / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"no golden file {name}: run pytest --update-golden once and review it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """Tests never see the developer's own leadctl settings, nor the width of the terminal (or test runner:
    pytest-xdist's workers set COLUMNS=80) they run in; a test that wants a width sets COLUMNS."""
    for key in list(os.environ):
        if key.startswith("LEADCTL_") or key in ("COLUMNS", "LINES"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("LEADCTL_NOW", NOW)
    monkeypatch.setenv("LEADCTL_LANG", "en")  # the tests read English; tests/test_i18n.py runs both languages
    from leadctl import i18n

    i18n.use("en")


@pytest.fixture
def zh(monkeypatch):
    """The run speaks Chinese, as a store's terminal does (LEADCTL_LANG=zh)."""
    from leadctl import i18n

    monkeypatch.setenv("LEADCTL_LANG", "zh")
    i18n.use("zh")
    yield
    i18n.use("en")


SAMPLE_YEAR = Path(__file__).parent.parent / "sample_data" / "store_year.jsonl"
SAMPLE_NOW = "2026-11-20T08:30"  # the Makefile's demo clock


@pytest.fixture(scope="session")
def sample_year_file(tmp_path_factory) -> Path:
    """The sample year replayed once for the whole run (about 10 s): the modules that read it take a copy."""
    path = tmp_path_factory.mktemp("sample-year") / "year.db"
    cli = Cli(path)
    cli("init", now=SAMPLE_NOW)
    cli("replay", str(SAMPLE_YEAR), now=SAMPLE_NOW)
    return path


def copy_store(source: Path, target: Path) -> Path:
    """A private (0600) copy of a store (SQLite's backup: the file whole, WAL included)."""
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    target.chmod(0o600)
    return target


def sample_year(source: Path, target: Path) -> Cli:
    """A private copy of the replayed sample year."""
    return Cli(copy_store(source, target))


class Cli:
    """Runs the real CLI against one database file; fails loudly on an unexpected exit code."""

    def __init__(self, db: Path):
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, code: int = 0, actor: str | None = None, now: str | None = None,
                 input: str | None = None):
        head = ["--db", str(self.db)]
        if actor:
            head += ["--as", actor]
        if now:
            head += ["--now", now]
        result = self.runner.invoke(app, [*head, *args], input=input, catch_exceptions=False)
        assert result.exit_code == code, (
            f"leadctl {' '.join(args)} exited {result.exit_code}, expected {code}\n"
            f"stdout: {result.stdout}\nstderr: {result.stderr}"
        )
        return result

    def json(self, *args: str, **kw):
        return json.loads(self(*args, "--json", **kw).stdout)

    def query(self, sql: str, *params):
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    def scalar(self, sql: str, *params):
        return self.query(sql, *params)[0][0]

    def fingerprint(self) -> str:
        """The database's bytes (main file and any WAL): equal fingerprints mean nothing changed."""
        digest = hashlib.sha256()
        for suffix in ("", "-wal"):
            path = Path(f"{self.db}{suffix}")
            digest.update(path.read_bytes() if path.exists() else b"")
        return digest.hexdigest()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "store.db"


@pytest.fixture(scope="session")
def store_template(tmp_path_factory) -> Path:
    """The database `cli` starts from, made once by the real CLI (init and the staff): each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    run = Cli(path)
    run("init")
    for i, (name, role, team) in enumerate(STAFF):
        args = ["staff", "add", name, "--role", role] + (["--team", team] if team else [])
        run(*args, actor=None if i == 0 else "王经理")
    return path


@pytest.fixture
def cli(db_path, store_template) -> Cli:
    """A fresh database with the standard policy and a small staff (a copy of store_template)."""
    return Cli(copy_store(store_template, db_path))


@pytest.fixture
def bare(db_path) -> Cli:
    """The CLI on a path where no database exists yet."""
    return Cli(db_path)


def journal(path: Path, entries: list[dict]) -> Path:
    """A replay journal: the fast way to build a large, exact dataset in one transaction."""
    path.write_text("\n".join(json.dumps(e, ensure_ascii=False) for e in entries) + "\n", encoding="utf-8")
    return path


def intake(cli: Cli, phone: str, name: str = "刘洋", actor: str = "张前台", **options) -> dict:
    args = ["intake", "--name", name, "--phone", phone]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        args += [flag] if value is True else [flag, str(value)]
    return cli.json(*args, actor=actor)
