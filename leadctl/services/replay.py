"""Replaying a journal of dated commands (JSON Lines) in one transaction: all lines or none.

Each line is {"at": ISO time, "as": staff name or null, "cmd": name, "args": {...}}; `at` is the clock
for that line and must not go backwards. Used to load sample data, backfill and rebuild a store's history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from leadctl.clock import parse_instant
from leadctl.errors import BadInput, InputMissing, LeadctlError
from leadctl.services import followups, grading, intake, staff
from leadctl.store.db import Store


def _intake(store, now, actor, args):
    args = dict(args)
    owner = args.pop("owner", None)
    visit = intake.parse_visit(now, phone_text=args.pop("phone", None), **args)
    return intake.intake(store, now, actor, visit, owner)


def _followup(store, now, actor, args):
    args = dict(args)
    return followups.followup(store, now, actor, next_on=args.pop("next", None), **args)


COMMANDS: dict[str, Callable] = {
    "staff.add": lambda store, now, actor, args: staff.add(store, now, actor, **args),
    "intake": _intake,
    "grade": lambda store, now, actor, args: grading.grade(store, now, actor, **args),
    "followup": _followup,
}


def replay(store: Store, now: datetime, actor: str | None, path: Path) -> dict:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputMissing(f"cannot read {path}: {exc.strerror}", "check the path") from None
    counts: dict[str, int] = {}
    with handle, store.write() as conn:
        if conn.execute("SELECT count(*) FROM staff").fetchone()[0]:
            staff.authorize(conn, now, actor, "replay")
        last = None
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                at = parse_instant(entry["at"], "at")
                cmd, args = entry["cmd"], entry.get("args", {})
                if cmd not in COMMANDS:
                    raise BadInput(f"unknown command {cmd!r}", f"use one of: {', '.join(COMMANDS)}")
                if last and at < last:
                    raise BadInput(f"time {at} goes back before {last}", "sort the journal by time")
                if at > now:
                    raise BadInput(f"time {at} is after now ({now})", "replay only what has happened")
                COMMANDS[cmd](store, at, entry.get("as"), args)
            except LeadctlError as exc:
                raise type(exc)(f"{path}, line {number}: {exc.message}", exc.hint) from None
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BadInput(f"{path}, line {number}: not a journal entry ({exc})",
                               'each line is {"at", "as", "cmd", "args"}') from None
            last = at
            counts[cmd] = counts.get(cmd, 0) + 1
    return {"file": str(path), "applied": sum(counts.values()), "by_command": counts}
