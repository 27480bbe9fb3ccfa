"""Opening the database safely, and running one transaction at a time on it.

The connection recipe: WAL, synchronous=FULL, foreign_keys=ON, trusted_schema=OFF, secure_delete=ON,
busy_timeout 5000 ms, files 0600. Every write is one `BEGIN IMMEDIATE` transaction taken before its
first read, so a writer waits for the lock instead of failing on upgrade.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from leadctl.errors import BadInput, Busy, ConfigError, LeadctlError, StorageError
from leadctl.i18n import _
from leadctl.store.audit import record
from leadctl.store.location import ALLOW_FILESYSTEM_ENV, filesystem_of, make_folders, refuse_network_filesystem
from leadctl.store.schema import AFTER, APPLICATION_ID, MIGRATIONS, VERSION

__all__ = ["ALLOW_FILESYSTEM_ENV", "Store", "corruption", "default_path", "filesystem_of", "refuse_network_filesystem",
           "translate"]

BUSY_TIMEOUT_MS = 5000
PRAGMAS = {
    "synchronous": "FULL",
    "foreign_keys": "ON",
    "trusted_schema": "OFF",
    "secure_delete": "ON",
}


def translate(exc: sqlite3.Error, path: Path | str) -> LeadctlError:
    """An sqlite3 error -> the leadctl error a user can act on."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return Busy(_("database {path} is busy").format(path=path), _("another command holds it; retry in a moment"))
    if name == "SQLITE_FULL" or "full" in text:
        return StorageError(
            _("disk full writing {path}; nothing was changed").format(path=path), _("free some space and retry")
        )
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in text or "not a database" in text:
        return StorageError(_("{path} is corrupt or not a database").format(path=path), _("restore it from a backup"))
    if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_READONLY")):
        return StorageError(
            _("cannot read or write {path}: {text}").format(path=path, text=text),
            _("check the disk and the file's permissions"),
        )
    if isinstance(exc, sqlite3.IntegrityError) and text.startswith(_REFUSED_VALUE):
        # a constraint refused a value a command was given: bad input, not a damaged file. The services check
        # what they are given first; this keeps a check they miss from reading as corruption
        return BadInput(_("the database refuses a value given ({text}); nothing was changed").format(text=text),
                        _("check the options' values (see --help)"))
    return StorageError(_("database error on {path}: {text}").format(path=path, text=text), _("run `leadctl check`"))


_REFUSED_VALUE = ("CHECK constraint failed", "NOT NULL constraint failed", "UNIQUE constraint failed")


def corruption(path: Path | None) -> StorageError | None:
    """After an unexpected failure: a StorageError if the file is damaged (integrity_check), else None."""
    if path is None or not Path(path).is_file():
        return None
    from leadctl.store.verify import constraint_problems

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            first = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            if first == "ok":
                first = next(iter(constraint_problems(conn, 1)), "ok")
        finally:
            conn.close()
    except (sqlite3.Error, MemoryError) as exc:
        first = str(exc)
    if first == "ok":
        return None
    return StorageError(
        _("{path} is corrupt: {first}").format(path=path, first=first),
        _("restore it from a backup (`leadctl restore FILE`)"),
    )


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "leadctl" / "leadctl.db"


def _tighten(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        target = Path(f"{path}{suffix}")
        try:
            if target.exists() and target.stat().st_mode & 0o077:
                target.chmod(0o600)
        except OSError:
            pass


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    for name, value in PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")


def _open(path: Path, timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    _configure(conn)
    if timeout_ms != BUSY_TIMEOUT_MS:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")
    return conn


class Store:
    """One connection to a leadctl database, with write transactions and the audit trail."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        self._depth = 0
        self._committed = False  # a write transaction of this connection committed rows: statistics may be stale

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path) -> Store:
        """Create a new, empty leadctl database at `path`; refuse if anything is there."""
        if path.exists():
            raise ConfigError(_("{path} already exists; leadctl will not overwrite a database").format(path=path),
                              _("choose another --db path, or remove the file yourself"))
        refuse_network_filesystem(path)
        old = os.umask(0o077)
        try:
            make_folders(path.parent)
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            conn = _open(path, BUSY_TIMEOUT_MS)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                store = cls(conn, path)
                store.migrate()
            except BaseException:
                conn.close()
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                raise
        finally:
            os.umask(old)
        return store

    @classmethod
    def open(cls, path: Path, timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """Open an existing leadctl database, refusing foreign, newer or unreachable files."""
        if not path.exists():
            raise ConfigError(
                _("no database at {path}").format(path=path),
                _("create one with `leadctl init`, or pass --db / LEADCTL_DB"),
            )
        if path.is_dir():
            raise ConfigError(
                _("{path} is a directory, not a database").format(path=path), _("pass the database file with --db")
            )
        refuse_network_filesystem(path)
        old = os.umask(0o077)
        try:
            conn = _open(path, timeout_ms)
            store = cls(conn, path)
            try:
                app_id, version = store._identity()
            except sqlite3.Error as exc:
                conn.close()
                raise translate(exc, path) from None
            if app_id != APPLICATION_ID:
                conn.close()
                raise ConfigError(_("{path} is not a leadctl database").format(path=path), _("check the --db path"))
            if version > VERSION:
                conn.close()
                raise ConfigError(
                    _("{path} was written by a newer leadctl (schema {version} > {VERSION})").format(
                        path=path, version=version, VERSION=VERSION
                    ),
                    _("upgrade leadctl before using this database"),
                )
            if version < VERSION:
                try:
                    store._may_migrate(version)
                    store.migrate()
                except BaseException:
                    conn.close()
                    raise
            _tighten(path)
        finally:
            os.umask(old)
        return store

    def _identity(self) -> tuple[int, int]:
        app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        return app_id, version

    def _may_migrate(self, version: int) -> None:
        """Only a file leadctl created is migrated: at version 0 (a creation cut short) it must still be empty."""
        if version == 0:
            objects = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if objects:
                raise ConfigError(
                    _(
                        "{path} has leadctl's application id but schema version 0 and {objects} schema "
                        "objects: leadctl did not create it, and will not change it"
                    ).format(path=self.path, objects=objects),
                    _("check the --db path"),
                )

    def migrate(self) -> None:
        """Apply each pending migration in its own IMMEDIATE transaction."""
        while True:
            with self.write():
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version >= VERSION:
                    return
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                step = AFTER.get(version + 1)
                if step is not None:
                    step(self.conn)
                # a migration that edits sqlite_master itself (0008) leaves the schema cookie as it was: bump it,
                # as SQLite's procedure asks, so that every connection reads the new schema
                cookie = self.conn.execute("PRAGMA schema_version").fetchone()[0]
                self.conn.execute(f"PRAGMA schema_version = {cookie + 1}")
                self.conn.execute(f"PRAGMA user_version = {version + 1}")

    def close(self) -> None:
        """Close; a connection that committed a write first lets SQLite refresh the planner's statistics where it
        sees fit (`PRAGMA optimize`, as SQLite recommends), sampled so that it stays quick, never waiting for a
        lock. A command that changed nothing (refused, rolled back, read only) leaves the file as it was."""
        try:
            if self._committed and not self.conn.in_transaction:
                optimize(self.conn)
        finally:
            self.conn.close()

    # -- transactions ----------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction; nested uses join the outer one. All or nothing."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        self._depth = 1
        changes = self.conn.total_changes
        try:
            yield self.conn
            self.conn.execute("COMMIT")
            self._committed = self._committed or self.conn.total_changes > changes
        except BaseException as exc:
            self._rollback()
            self._depth = 0
            if isinstance(exc, sqlite3.Error):
                raise translate(exc, self.path) from None
            refusal = getattr(exc, "audit", None)
            if refusal is not None:
                self._keep_refusal(*refusal)
            raise
        finally:
            self._depth = 0

    def _keep_refusal(self, at, actor_id, action, detail) -> None:
        """A refused act changes nothing but leaves its trace, in a transaction of its own."""
        with self.write() as conn:
            record(conn, at, actor_id, action, None, **detail)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for a command that reads several times."""
        if self._depth:
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN")
            yield self.conn
        except sqlite3.Error as exc:
            raise translate(exc, self.path) from None
        except BaseException as exc:
            refusal = getattr(exc, "audit", None)
            if refusal is not None:  # a refused read leaves its trace too
                self._rollback()
                self._keep_refusal(*refusal)
            raise
        finally:
            self._rollback()

    def _rollback(self) -> None:
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # "no transaction is active": SQLite already rolled back (e.g. disk full)


def optimize(conn: sqlite3.Connection) -> None:
    """`PRAGMA optimize` with ANALYZE sampling a bounded number of rows per index (a table of 10M rows is
    analysed in milliseconds); skipped, not waited for, when another connection holds the write lock."""
    try:
        conn.execute("PRAGMA busy_timeout = 0")
        conn.execute("PRAGMA analysis_limit = 1000")
        conn.execute("PRAGMA optimize")
    except sqlite3.Error:
        pass  # statistics are an optimisation: a busy or read-only file keeps the ones it has


def _statements(script: str) -> list[str]:
    """Split a migration into statements, keeping trigger bodies whole."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out
