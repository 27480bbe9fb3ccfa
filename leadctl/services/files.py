"""Files leadctl writes for people (exports, workbooks, rejects, backups), and what goes into them.

Every such file goes through `write_output`: never onto the database or its -wal/-shm, never over an existing
file unless the command was given --force, written to a private (0600) temp file beside the target, synced,
renamed into place and the folder synced; a failure leaves what was at the target before. Temp files are named
`.leadctl-<name>.<random>.tmp`, so the temp files of a killed command can be recognised and swept.

Under the store service the file is the client's: the service writes a private temp file of its own and hands
it over (`HANDOVER`, set by leadctl.server), and the client checks the target and places it by the same steps,
as its own OS account, in its own folder (`receive`). The client can never reach the database's folder.

CSV, on stdout and in files alike, is written by `write_csv` only: text Excel would run as a formula gets a
leading quote. XLSX text goes through `xlsx_text` (the characters XML and openpyxl refuse are dropped) and
workbooks are saved by `save_workbook`.
"""

from __future__ import annotations

import csv
import errno
import gc
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from leadctl.errors import CannotCreate, InputMissing, StorageError
from leadctl.i18n import _

TEMP_PREFIX, TEMP_SUFFIX = ".leadctl-", ".tmp"
# No command lives this long: a temp file of ours older than this was left by a command that was killed.
STALE_TEMP_SECONDS = 6 * 3600
SIDECARS = ("", "-wal", "-shm", "-journal")  # the database and the files SQLite keeps beside it
FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# the store service's hand-over to its client: HANDOVER("check", path, force) and HANDOVER("place", path, force, fd)
# raise what check_target and _place raise on the client's side; None when the command runs embedded
HANDOVER: Callable[..., None] | None = None


# -- where a file may go ---------------------------------------------------------------------------------------------
def check_target(path: Path, database: Path | None, force: bool = False) -> Path:
    """The resolved path a file for people may be written to. Refused (exit 73): the database or a sidecar of it
    (same device and inode, or the same resolved name when it does not exist yet), a folder or device, an
    existing file unless `force`, a path whose folder does not exist. Under the store service the client checks
    the rest as its own OS account (see HANDOVER)."""
    real = Path(os.path.realpath(path))
    if database is not None:  # its sidecars are named after the path SQLite was given, or the file it names
        sides = {(Path(base + suffix), suffix) for base in {os.path.realpath(database), os.path.abspath(database)}
                 for suffix in SIDECARS}
        for side, suffix in sides:
            if real == Path(os.path.realpath(side)) or same_file(real, side):
                raise CannotCreate(
                    _("{path} is the database{value}").format(
                        path=path, value=f" ({suffix[1:]} file)" if suffix else ""
                    ),
                    _("choose another file name; leadctl never writes over its database"),
                )
    if HANDOVER is not None:
        HANDOVER("check", path, force)
        return real
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise CannotCreate(
            _("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror), _("choose another path")
        ) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise CannotCreate(
            _("{path} is a folder").format(path=path), _("give a file name (in that folder, if you like)")
        )
    if mode is not None and not stat.S_ISREG(mode):
        raise CannotCreate(_("{path} is not a regular file").format(path=path), _("give the name of a file to create"))
    if mode is not None and not force:
        raise CannotCreate(
            _("{path} already exists").format(path=path), _("choose a new file name, or pass --force to replace it")
        )
    if not real.parent.is_dir():
        raise CannotCreate(
            _("cannot write {path}: its folder does not exist").format(path=path),
            _("create it, or choose another path"),
        )
    return real


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (device and inode), whatever links and spellings lead to it."""
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


# -- writing it ------------------------------------------------------------------------------------------------------
def write_output(path: Path, write: Callable[[Path], None], database: Path | None, force: bool = False,
                 then: Callable[[], None] | None = None) -> Path:
    """Write a file for people: `write(temp)` fills a private temp file beside the target, which is synced; then
    `then()` runs (the command's audit event), and only after it the file is renamed into place and the folder
    synced. Any failure (a refused target, a full disk, a busy database in `then`) leaves the target as it was
    and removes the temp file. Stale temp files of killed commands in the folder are removed first."""
    real = check_target(path, database, force)
    if HANDOVER is not None:
        return _handed_over(path, write, force, then)
    return _written_beside(real, path, write, database, force, then)


def _written_beside(real: Path, path: Path, write: Callable[[Path], None], database: Path | None, force: bool,
                    then: Callable[[], None] | None = None) -> Path:
    """write_output's steps once the target is allowed: a private temp file beside it filled, synced, `then()`,
    the target checked again and the temp renamed into place; any failure removes the temp file."""
    sweep(real.parent)
    try:
        temp = temp_beside(real)
    except OSError as exc:
        raise _io_error(exc, path) from None
    try:
        try:
            write(temp)
            _sync(temp)
        except OSError as exc:
            raise _io_error(exc, path) from None
        if then is not None:
            then()
        _place(temp, check_target(path, database, force), path)
    except BaseException:
        for leftover in (temp, Path(f"{temp}-journal")):  # a backup's copy may leave its journal too
            leftover.unlink(missing_ok=True)
        raise
    return real


def _handed_over(path: Path, write: Callable[[Path], None], force: bool, then: Callable[[], None] | None) -> Path:
    """write_output under the store service: the client checks the target first, the file is written and synced in
    a private temp file of the service's, `then()` runs, and the client places a copy (see `receive`)."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX)
    os.close(fd)
    temp = Path(name)
    try:
        try:
            write(temp)
        except OSError as exc:
            raise _io_error(exc, path) from None
        if then is not None:
            then()
        with open(temp, "rb") as written:
            HANDOVER("place", path, force, written.fileno())
    finally:
        for leftover in (temp, Path(f"{temp}-journal")):
            leftover.unlink(missing_ok=True)
    return path


def receive(source: int, path: Path, force: bool) -> Path:
    """The client's side of a hand-over: the file open at `source` copied to `path` as write_output places a file
    (checked again, a private temp beside it, synced, renamed, the folder synced)."""
    def copy(temp: Path) -> None:
        with open(source, "rb", closefd=False) as given, open(temp, "wb") as target:
            while chunk := given.read(1 << 20):
                target.write(chunk)
    return _written_beside(check_target(path, None, force), path, copy, None, force)


def temp_beside(real: Path, tag: str = "") -> Path:
    """A private (0600) empty temp file in `real`'s folder, named `.leadctl-<name><tag>.<random>.tmp` so that
    `sweep` knows it for ours if a kill leaves it behind; OSError when the folder refuses it."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{real.name}{tag}.", suffix=TEMP_SUFFIX, dir=real.parent)
    os.close(fd)  # mkstemp creates it 0600, whatever the umask
    return Path(name)


def _place(temp: Path, real: Path, path: Path) -> None:
    """Rename into place (without --force: link, which never replaces a file that appeared meanwhile), then
    sync the folder so the rename survives a power cut."""
    try:
        if real.exists():
            os.replace(temp, real)  # check_target allowed it: --force over an ordinary file
        else:
            try:
                os.link(temp, real)
            except FileExistsError:
                raise CannotCreate(
                    _("{path} already exists").format(path=path), _("choose a new file name, or pass --force")
                ) from None
            except OSError:  # a filesystem without hard links
                os.replace(temp, real)
            else:
                temp.unlink()
        _sync_folder(real.parent)
    except OSError as exc:
        raise _io_error(exc, path) from None


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a platform whose folders cannot be opened has nothing to sync
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF):  # some filesystems cannot sync a folder
            raise
    finally:
        os.close(fd)


def _io_error(exc: OSError, path: Path) -> StorageError | CannotCreate:
    if exc.errno in FULL:
        what = "disk full or file too large" if exc.errno != errno.EIO else "I/O error"
        return StorageError(
            _("cannot write {path}: {what} ({strerror})").format(path=path, what=what, strerror=exc.strerror),
            _("free some space, or write it to another disk"),
        )
    return CannotCreate(
        _("cannot write {path}: {strerror}").format(path=path, strerror=exc.strerror),
        _("check the folder's permissions, or choose another"),
    )


def sweep(folder: Path) -> list[Path]:
    """Remove the temp files killed commands left in `folder` (a backup's also its -journal): named as ours, owned
    by this user, regular files, older than STALE_TEMP_SECONDS. A file's age is measured by the filesystem's clock
    (its mtime against the system time), not by the run's --now. Returns what was removed."""
    limit = time.time() - STALE_TEMP_SECONDS
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith((TEMP_SUFFIX, TEMP_SUFFIX + "-journal"))):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and st.st_mtime < limit:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


# -- files leadctl reads ---------------------------------------------------------------------------------------------
@contextmanager
def opened(path: Path, what: str) -> Iterator[IO[bytes]]:
    """A file given to a command, open for reading in binary; InputMissing (66) when it cannot be, `what` saying
    what to give instead of a folder."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed below, after the caller's block)
    except FileNotFoundError:
        raise InputMissing(_("no file {path}").format(path=path), _("check the path")) from None
    except IsADirectoryError:
        raise InputMissing(_("{path} is a directory").format(path=path), what) from None
    except OSError as exc:
        raise InputMissing(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror),
            _("check the path and its permissions"),
        ) from None
    with handle:
        yield handle


# -- what goes into it -----------------------------------------------------------------------------------------------
def csv_cell(value: Any) -> Any:
    """A CSV cell Excel will not run as a formula: text beginning = + - @ tab or CR gets a ' before it."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(handle: IO[str], header: Sequence[Any], rows: Iterable[Sequence[Any]],
              lineterminator: str = "\r\n") -> None:
    """The one CSV writer: listings on stdout and files alike."""
    writer = csv.writer(handle, lineterminator=lineterminator)
    writer.writerow([csv_cell(v) for v in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def write_csv_file(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> None:
    """A CSV file for Excel: UTF-8 with BOM (so Excel shows the Chinese), CRLF."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        write_csv(handle, header, rows)


def save_workbook(wb, path: Path) -> None:
    """openpyxl's save; when it fails (a full disk), the worksheet streams it leaves half-written are closed
    quietly rather than printing 'Exception ignored' tracebacks when they are collected."""
    hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        try:
            wb.save(path)
            return
        except OSError as exc:
            failure = OSError(exc.errno, exc.strerror)  # without the traceback that keeps openpyxl's streams alive
        gc.collect()
    finally:
        sys.unraisablehook = hook
    raise failure


def xlsx_text(value: Any) -> Any:
    """Text as a workbook may hold it: without the control characters XML (and openpyxl) refuse."""
    if isinstance(value, str):
        return XML_ILLEGAL.sub("", value)
    return value
