"""Importing leads, visits or follow-ups from another system's CSV or XLSX export, in one transaction.

The path: permission first (managers and admins), then the file is hashed (sha256, streamed) and its header
read and mapped (import_rows.py, no database). Then, inside ONE `BEGIN IMMEDIATE` transaction, a batch of
import_plan.FLUSH_ROWS rows at a time: the rows are read, decoded and checked (import_rows.Checker, with the
store's staff and grades) while the bulk writer (leadctl.store.bulk) writes the last batch on the other core;
the batch's phones are looked up, planned and handed to the writer. A first reading of the phones alone says
which customers have rows in several batches: their rows wait for the last of them, so that rows of one phone
anywhere in the file fold into one lead, planned by time. Memory holds one batch (and those waiting rows), not
the file. Any rejected row stops the whole import (exit 65, database unchanged) unless --skip-bad; an
undecodable byte or a malformed line found late stops it too, naming its line; a kill at any moment leaves all
or nothing. --dry-run runs the same checks and plan in a read transaction.

The plan (import_plan.py) says what rows make; this module reads, checks, reports and audits.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

from leadctl.errors import BadInput, ConfigError, UsageError
from leadctl.i18n import _, joined
from leadctl.models import Channel
from leadctl.rules import columns
from leadctl.services import files, import_plan, import_rows, policy, pool, staff
from leadctl.services.import_plan import Plan
from leadctl.services.import_rows import Problem
from leadctl.store.audit import record
from leadctl.store.bulk import Writer, deferred_indexes
from leadctl.store.db import Store

KINDS = tuple(columns.KINDS)
DEFAULT_SOURCE = "import"


class ImportRejected(BadInput):
    """Rows were rejected and nothing was imported; `summary` holds the counts and the problems."""

    def __init__(self, message: str, hint: str | None, summary: dict):
        super().__init__(message, hint)
        self.summary = summary


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector off while an import builds its hundreds of thousands of objects (rows,
    leads, tuples; no cycles among them): left on, it walks them all again and again (0.85 s of 100,000 rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _default_channel(kind: str, source: str | None) -> Channel | None:
    """A --source that names a channel (hq, 总部下发, web...) is the channel of rows without one."""
    if source:
        try:
            return Channel.parse(source)
        except BadInput:
            pass
    return Channel.WALK_IN if kind == "visits" else None


def _rejected(problems: list[Problem], summary: dict, rejects: Path | None) -> ImportRejected:
    first, rows = problems[0], summary["rejected"]
    where = _("written to {rejects}").format(rejects=rejects) if rejects else _("see --rejects or --json")
    text = (_("1 row rejected (first: row {row}, {column}: {problem}); {where}") if rows == 1 else
            _("{rows} rows rejected (first: row {row}, {column}: {problem}); {where}"))
    return ImportRejected(text.format(rows=rows, row=first.row, column=first.column, problem=first.problem,
                                      where=where),
                          _("nothing was imported: fix them, or pass --skip-bad"), summary)


def _no_channel(table, kind: str, default_channel: Channel | None, path: Path, src: str) -> None:
    if kind != "followups" and "channel" not in table.cols.fields and default_channel is None:
        raise BadInput(
            _("{name}: no channel column (客户来源/来源/channel) and --source {src!r} names no channel").format(
                name=path.name, src=src
            ),
            _("add the column, or give --source CHANNEL (e.g. --source 总部下发, --source web)"),
        )


def _flush_rows() -> int:
    """Rows planned per batch: import_plan.FLUSH_ROWS, or LEADCTL_IMPORT_BATCH_ROWS (a positive number) to see
    how an import behaves across batches with a small file."""
    raw = os.environ.get("LEADCTL_IMPORT_BATCH_ROWS", "").strip()
    if not raw:
        return import_plan.FLUSH_ROWS
    try:
        rows = int(raw)
        if rows < 1:
            raise ValueError(raw)
    except ValueError:
        raise ConfigError(_("LEADCTL_IMPORT_BATCH_ROWS must be a positive whole number, not {raw!r}").format(raw=raw),
                          _("unset it, or give e.g. 10000")) from None
    return rows


def _large(table: import_rows.Table, leads: int) -> bool:
    """Whether a file may bring at least as many leads as the store has, and import_plan.REBUILD_ROWS: then the
    leads' indexes are built once at the end rather than filled row by row (bulk.deferred_indexes)."""
    return table.size_hint >= max(import_plan.REBUILD_ROWS, leads)


@_no_cycle_collection()
def import_file(store: Store, now: datetime, actor: str | None, path: Path, kind: str = "leads",
                source: str | None = None, maps: list[str] | tuple[str, ...] = (), encoding: str | None = None,
                dry_run: bool = False, skip_bad: bool = False, rejects: Path | None = None, progress=None,
                force: bool = False, assign: bool = False) -> dict:
    """Import a CSV or XLSX file of leads, visits or follow-ups; returns the summary (see the module doc)."""
    if kind not in columns.KINDS:
        raise UsageError(
            _("unknown --kind {kind!r}").format(kind=kind), _("use one of: {join}").format(join=joined(KINDS))
        )
    extra = columns.parse_map(maps)
    if rejects is not None:  # a rejects file that could not be written is refused before anything is read
        files.check_target(rejects, store.path, force)
    src = " ".join((source or "").split()) or DEFAULT_SOURCE
    default_channel = _default_channel(kind, source)
    batch_rows = _flush_rows()
    with store.write() as conn:  # who may import is settled before the file is even read
        staff.authorize(conn, now, actor, "import")
        limits = policy.current(conn)
    with import_rows.open_table(path, kind, extra, encoding, None, limits.import_max_bytes,
                                limits.import_max_inflated_bytes) as table:  # hashed; the header read and mapped
        _no_channel(table, kind, default_channel, path, src)
        summary, problems = _plan(store, now, actor, path, kind, src, table, default_channel, dry_run, skip_bad,
                                  rejects, progress, force, assign, batch_rows)
    if rejects:
        import_rows.write_rejects(rejects, problems, store.path, force)
    return summary


def _plan(store: Store, now: datetime, actor: str | None, path: Path, kind: str, src: str, table: import_rows.Table,
          default_channel: Channel | None, dry_run: bool, skip_bad: bool, rejects: Path | None, progress, force: bool,
          assign: bool, batch_rows: int) -> tuple[dict, list[Problem]]:
    """The plan and its writing, a batch at a time, in one transaction: committed, or rolled back (a dry run,
    a rejected row without --skip-bad, an error, an interrupt)."""
    digest = table.digest
    with (store.read() if dry_run else store.write()) as conn:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # import_rows are written before their imports row
        who = staff.authorize(conn, now, actor, "import")
        limits = policy.current(conn)
        first_new = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM leads").fetchone()[0]
        plan = Plan(conn, now, who.id, limits, kind, src, table.cols, skip_bad, progress, digest)
        checker = import_rows.Checker(table, kind, now, default_channel, plan.checks(), limits.phone_region)
        if table.most is not None and table.most <= batch_rows:
            spread = {}  # one batch: no customer's rows can lie in two
        else:
            with table.reopen() as rows:  # the file's phones first: which customers' rows lie in several batches
                spread = plan.spread(checker, rows, batch_rows)
        rebuild = not dry_run and kind != "followups" and _large(table, first_new - 1)
        with (deferred_indexes(conn, "leads", import_plan.LOOKUP_INDEXES) if rebuild else nullcontext()), \
                table.reopen() as rows, (nullcontext() if dry_run else Writer(conn)) as writer:
            checker = import_rows.Checker(dataclasses.replace(table, rows=rows), kind, now, default_channel,
                                          plan.checks(), limits.phone_region)
            plan.add(checker, writer, spread, table.size_hint, batch_rows)
            read = checker.read
            problems = sorted(checker.finish() + plan.problems, key=lambda p: p.row)
            rejected = len({p.row for p in problems})
            earlier = conn.execute("SELECT id, at FROM imports WHERE sha256 = ? ORDER BY id LIMIT 1",
                                   (digest,)).fetchone()
            summary = {"file": str(path), "kind": kind, "read": read, **plan.counts, "rejected": rejected,
                       "dry_run": dry_run, "source": src, "sha256": digest, "encoding": table.encoding,
                       "committed": False, "import_id": None, **plan.tallies,
                       "previously_imported": {"import_id": earlier[0], "at": earlier[1]} if earlier else None,
                       "ignored_columns": list(table.cols.ignored), "problems": [p.as_dict() for p in problems],
                       "cleaned_rows": table.cleaned}
            if problems and not skip_bad:  # refused before the indexes are built again: rolled back unbuilt
                if rejects:
                    import_rows.write_rejects(rejects, problems, store.path, force)
                raise _rejected(problems, summary, rejects)
        if (plan.counts["new"] or plan.counts["merged"]) and not dry_run:
            counts = (read, plan.counts["new"], plan.counts["merged"], plan.counts["skipped_duplicates"], rejected)
            plan.finish((now.isoformat(), who.id, path.name, digest, src, kind, *counts))
            new_ids = range(first_new, plan.ids["leads"])  # the new leads' ids follow on (a list only if assigning)
            summary["assigned"] = pool.assign_new(conn, now, who.id, new_ids, assign)  # by the policy's rule
            record(conn, now, who.id, "import", None, import_id=plan.import_id, sha256=digest, kind=kind, read=read,
                   **plan.counts, rejected=rejected, **plan.tallies)
            summary.update(committed=True, import_id=plan.import_id)
    return summary, problems
