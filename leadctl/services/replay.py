"""Replaying a journal of dated commands (JSON Lines) in one transaction: all lines or none.

Each line is {"at": ISO time, "as": staff name or null, "cmd": name, "args": {...}}; `at` is the clock
for that line and must not go backwards. Used to load sample data, backfill and rebuild a store's history.
The args are the command's options by name (`next` for --next). Lines acting on a defeat request or an order
may name the lead (`"lead": phone`) instead of the id: the lead's open request or order is meant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from leadctl.clock import parse_instant
from leadctl.errors import BadInput, InputMissing, LeadctlError
from leadctl.i18n import _, joined
from leadctl.services import defeats, followups, grading, intake, invitations, leads, orders, staff, transfers
from leadctl.store.db import Store


def _intake(store, now, actor, args):
    args = dict(args)
    owner, invited = args.pop("owner", None), args.pop("invited", True)
    visit = intake.parse_visit(now, phone_text=args.pop("phone", None), **args)
    return intake.intake(store, now, actor, visit, owner, invited)


def _followup(store, now, actor, args):
    args = dict(args)
    return followups.followup(store, now, actor, next_on=args.pop("next", None), **args)


def _open(store: Store, table: str, status_sql: str, args: dict) -> int:
    """The id a line names, or the one open row of `table` for the lead it names (`"lead": phone`)."""
    if "id" in args:
        return int(args.pop("id"))
    with store.read() as conn:
        lead_id = leads.find(conn, args.pop("lead"))
        row = conn.execute(f"SELECT max(id) FROM {table} WHERE lead_id = ? AND {status_sql}", (lead_id,)).fetchone()
    if row[0] is None:
        raise BadInput(
            _("lead {lead_id} has no open {value}").format(lead_id=lead_id, value=table[:-1]), _("give its id")
        )
    return row[0]


def _request(verb):
    def run(store, now, actor, args):
        args = dict(args)
        request_id = _open(store, "defeats", "status IN ('requested', 'verified')", args)
        return verb(store, now, actor, request_id, **args)
    return run


def _order(store, now, actor, args):
    args = dict(args)
    car = orders.vehicle(args.pop("vin", None), *(args.pop(k, None) for k in ("brand", "series", "model", "config",
                                                                             "colour")))
    return orders.order(store, now, actor, args.pop("lead"), car, **args)


def _on_order(verb):
    def run(store, now, actor, args):
        args = dict(args)
        return verb(store, now, actor, _open(store, "orders", "status = 'open'", args), **args)
    return run


def _call(verb):
    return lambda store, now, actor, args: verb(store, now, actor, **args)


COMMANDS: dict[str, Callable] = {
    "staff.add": _call(staff.add),
    "intake": _intake,
    "grade": _call(grading.grade),
    "followup": _followup,
    "invite": _call(invitations.invite),
    "arrive": _call(invitations.arrive),
    "handover": _call(invitations.handover),
    "transfer": _call(transfers.transfer),
    "defeat.request": _call(defeats.request),
    "defeat.verify": _request(defeats.verify),
    "defeat.approve": _request(defeats.approve),
    "defeat.reject": _request(defeats.reject),
    "lost": _call(defeats.lost),
    "reactivate": _call(defeats.reactivate),
    "order": _order,
    "order.cancel": _on_order(orders.cancel),
    "deliver": _on_order(orders.deliver),
}


def replay(store: Store, now: datetime, actor: str | None, path: Path) -> dict:
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputMissing(
            _("cannot read {path}: {strerror}").format(path=path, strerror=exc.strerror), _("check the path")
        ) from None
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
                    raise BadInput(
                        _("unknown command {cmd!r}").format(cmd=cmd),
                        _("use one of: {join}").format(join=joined(COMMANDS)),
                    )
                if last and at < last:
                    raise BadInput(
                        _("time {at} goes back before {last}").format(at=at, last=last), _("sort the journal by time")
                    )
                if at > now:
                    raise BadInput(
                        _("time {at} is after now ({now})").format(at=at, now=now), _("replay only what has happened")
                    )
                COMMANDS[cmd](store, at, entry.get("as"), args)
            except LeadctlError as exc:
                raise type(exc)(f"{path}, line {number}: {exc.message}", exc.hint) from None
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise BadInput(
                    _("{path}, line {number}: not a journal entry ({exc})").format(path=path, number=number, exc=exc),
                    _('each line is {"at", "as", "cmd", "args"}'),
                ) from None
            last = at
            counts[cmd] = counts.get(cmd, 0) + 1
    return {"file": str(path), "applied": sum(counts.values()), "by_command": counts}
