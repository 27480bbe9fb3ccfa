"""Files leadctl writes for people: atomically (a temp file renamed into place) and readable by the owner only."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from leadctl.errors import Refused, StorageError


@contextmanager
def private_path(path: Path, overwrite: bool = True) -> Iterator[Path]:
    """Yield a private (0600) temp path beside `path`; on success it becomes `path`, on failure it vanishes."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: no folder {folder}", "create the folder or choose another path")
    if not overwrite and path.exists():
        raise Refused(f"{path} already exists", "choose a new file name")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StorageError(f"cannot write in {folder}: {exc.strerror}", "check the folder's permissions") from None
    os.close(fd)  # mkstemp creates it 0600
    temp = Path(name)
    try:
        yield temp
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def private_file(path: Path, mode: str = "wb", overwrite: bool = True) -> Iterator[IO]:
    """An open handle on a private temp file that becomes `path` when the block succeeds. Text is UTF-8 with BOM."""
    text = {"encoding": "utf-8-sig", "newline": ""} if "b" not in mode else {}
    with private_path(path, overwrite) as temp, open(temp, mode, **text) as handle:
        yield handle
