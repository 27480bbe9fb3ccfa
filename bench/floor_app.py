"""The floor: the least a Typer command can do for a due list. One sqlite3 connection, one indexed query, JSON out.

    python bench/floor_app.py --db bench/data/store-decade.db --owner-id 4 --on 2026-11-24

bench/startup.py times leadctl's hot commands against this. It imports only typer, sqlite3 and json.
"""

from __future__ import annotations

import json
import sqlite3
import sys

import typer

app = typer.Typer(add_completion=False)

DUE = ("SELECT id, name, phone, grade, next_due FROM leads"
       " WHERE owner_id = ? AND next_due <= ? ORDER BY next_due, id")


@app.command()
def due(
    db: str = typer.Option(..., "--db", help="Database file."),
    owner_id: int = typer.Option(..., "--owner-id", help="Owner's staff id."),
    on: str = typer.Option(..., "--on", help="Due on or before this ISO date."),
) -> None:
    """Leads of one owner due on or before a day, as JSON."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(DUE, (owner_id, on)).fetchall()
    conn.close()
    keys = ("lead_id", "name", "phone", "grade", "due_on")
    sys.stdout.write(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], ensure_ascii=False, indent=2)
                     + "\n")


if __name__ == "__main__":
    app()
