"""The schema, as append-only migrations (`migrations/NNNN_name.sql`, applied in name order).

Each migration runs in one IMMEDIATE transaction together with the bump of PRAGMA user_version, so a
crash leaves the database at the old version or the new one, never between.
"""

from __future__ import annotations

from importlib import resources

APPLICATION_ID = 0x4C454144  # "LEAD"


def _load() -> list[str]:
    folder = resources.files("leadctl.store.migrations")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".sql"))
    return [folder.joinpath(name).read_text("utf-8") for name in names]


MIGRATIONS: list[str] = _load()
VERSION = len(MIGRATIONS)
