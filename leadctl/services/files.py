"""Files leadctl writes for people: atomically (a temp file renamed into place) and readable by the owner only."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from leadctl.errors import Refused, StorageError


@contextmanager
def private_file(path: Path, mode: str = "wb", overwrite: bool = True) -> Iterator[IO]:
    """Yield a handle on a temp file beside `path`; on success it becomes `path` (0600), on failure it vanishes."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StorageError(f"cannot write {path}: no folder {folder}", "create the folder or choose another path")
    if not overwrite and path.exists():
        raise Refused(f"{path} already exists", "choose a new file name")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise StorageError(f"cannot write in {folder}: {exc.strerror}", "check the folder's permissions") from None
    try:
        with os.fdopen(fd, mode, **({"encoding": "utf-8-sig", "newline": ""} if "b" not in mode else {})) as handle:
            yield handle
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_private(path: Path, write: Callable[[IO], None], mode: str = "wb") -> None:
    with private_file(path, mode) as handle:
        write(handle)
