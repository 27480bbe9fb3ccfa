"""The schema, as append-only migrations (`migrations/NNNN_name.sql`, applied in name order).

A migration SQL cannot express (hashing) has a Python step, `AFTER[number]`, run right after its statements.
Each migration runs in one IMMEDIATE transaction together with the bump of PRAGMA user_version, so a
crash leaves the database at the old version or the new one, never between.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from leadctl.store.audit import chain_existing

APPLICATION_ID = 0x4C454144  # "LEAD"


class _Migrations(Sequence):
    """The migration scripts in order, read only when one is applied (not on every command's start)."""

    def __init__(self) -> None:
        self._folder = resources.files("leadctl.store.migrations")
        self._names = sorted(p.name for p in self._folder.iterdir() if p.name.endswith(".sql"))

    def __len__(self) -> int:
        return len(self._names)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._folder.joinpath(self._names[index]).read_text("utf-8")

MIGRATIONS: Sequence[str] = _Migrations()
VERSION = len(MIGRATIONS)
# migration number (NNNN of its file) -> the Python step run after its statements, in the same transaction
AFTER = {9: chain_existing}
