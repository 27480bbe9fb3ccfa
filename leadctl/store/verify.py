"""Is this file what leadctl's migrations build? The schema compared object by object, and the rows against the
CHECK constraints of leadctl's own schema (a file edited outside leadctl may hold values no command writes).

Used by `check` and by `restore` (on the backup, before anything is replaced), and after an unexpected failure.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from pathlib import Path

_CHECK = re.compile(r"\bCHECK\s*\(", re.IGNORECASE)


def _objects(conn: sqlite3.Connection, raw: bool = False) -> dict[str, tuple[str, str, str]]:
    """name -> (type, table, SQL with its runs of white space as one space, or as written when `raw`)."""
    return {name: (kind, table, (sql or "") if raw else " ".join((sql or "").split()))
            for kind, name, table, sql in conn.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'")}


@lru_cache(maxsize=2)
def reference(raw: bool = False) -> dict[str, tuple[str, str, str]]:
    """The schema objects a fresh database gets from every migration, by name."""
    from leadctl.store.db import Store

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        Store(conn, Path(":memory:")).migrate()
        return _objects(conn, raw)
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection) -> list[str]:
    """Each schema object missing, added or different from leadctl's (SQLite's own sqlite_stat* are expected)."""
    want, have = reference(), _objects(conn)
    problems = [f"{kind} {name} is missing" for name, (kind, _, _) in want.items() if name not in have]
    problems += [f"{kind} {name} (on {table}) is not part of leadctl's schema"
                 for name, (kind, table, _) in have.items() if name not in want]
    problems += [f"{have[name][0]} {name} differs from leadctl's schema"
                 for name in want if name in have and have[name] != want[name]]
    return problems


def checks_of(sql: str) -> list[str]:
    """The expressions of a CREATE TABLE's CHECK constraints, in order."""
    out = []
    for found in _CHECK.finditer(sql):
        depth, start, quote = 1, found.end(), None
        for i in range(start, len(sql)):
            ch = sql[i]
            if quote:
                quote = None if ch == quote else quote
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    out.append(sql[start:i])
                    break
    return out


def constraint_problems(conn: sqlite3.Connection, limit: int = 20) -> list[str]:
    """Rows that break a CHECK constraint of leadctl's schema (SQLite does not re-check rows already stored)."""
    problems = []
    for name, (kind, _, sql) in reference(raw=True).items():
        checks = checks_of(sql) if kind == "table" else []
        if not checks:
            continue
        where = " OR ".join(f"NOT ({c})" for c in checks)
        try:
            rows = conn.execute(f'SELECT {", ".join(f"({c})" for c in checks)} FROM "{name}" WHERE {where}'
                                f" LIMIT {limit}").fetchall()
        except sqlite3.Error:
            continue  # the table itself differs: schema_problems names it
        for row in rows:
            broken = next(c for c, ok in zip(checks, row, strict=True) if ok is not None and not ok)
            problems.append(f"a row of {name} breaks CHECK ({' '.join(broken.split())[:80]})")
    return problems[:limit]
