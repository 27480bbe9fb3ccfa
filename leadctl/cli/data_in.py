"""Data in: `leadctl import` of CSV / XLSX exports from an LMS, a DMS or head office."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from leadctl.cli import context, layout, output
from leadctl.i18n import _


@contextmanager
def _progress_bar(file: Path) -> Iterator:
    """A rich progress bar on stderr, only when stderr is a terminal; yields the service's callback or None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        tasks: dict[str, int] = {}

        def step(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(f"{phase} {file.name}", total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield step


def _describe(s: dict) -> str:
    kind = _(layout.RECORDS.get(s["kind"], s["kind"]))
    counts = _("{new} new lead(s), {merged} row(s) attached to known customers, {skipped} duplicate(s) skipped, "
               "{rejected} rejected, of {read} rows read").format(
        new=s["new"], merged=s["merged"], skipped=s["skipped_duplicates"], rejected=s["rejected"], read=s["read"])
    if s["dry_run"]:
        text = _("dry run of {file} ({kind}), nothing changed; it would give: {counts}").format(
            file=s["file"], kind=kind, counts=counts)
    elif s["committed"]:
        text = _("imported {file} ({kind}, import {import_id}): {counts}").format(
            file=s["file"], kind=kind, import_id=s["import_id"], counts=counts)
    else:
        text = _("nothing new in {file}: {counts}").format(file=s["file"], counts=counts)
        if s["previously_imported"]:
            earlier = s["previously_imported"]
            text += _("; this file was imported on {at} (import {import_id})").format(
                at=earlier["at"], import_id=earlier["import_id"])
    if s["collisions"]:
        text += (_("; {count} collision(s) would be opened for the manager") if s["dry_run"] else
                 _("; {count} collision(s) opened for the manager")).format(count=s["collisions"])
    return text


def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., show_default=False,
                                help="CSV (UTF-8, GB18030/GBK, UTF-16) or XLSX file."),
    kind: str = typer.Option("leads", "--kind", help="What each row is: leads|visits|followups."),
    source: str = typer.Option(None, "--source",
                               help="Where the file came from (LMS, DMS, 总部下发...); a channel name is also the "
                                    "channel of rows without one."),
    maps: list[str] = typer.Option(None, "--map",
                                   help="A header leadctl does not know, and its field (repeatable), e.g. "
                                        "--map '客户手机=phone'."),
    encoding: str = typer.Option(None, "--encoding",
                                 help="Force the text encoding (utf-8, gb18030, gbk, utf-16)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check every row and report what would happen; change "
                                 "nothing."),
    rejects: Path = typer.Option(None, "--rejects", readable=False,
                                 help="Write the rejected rows (row, column, value, problem) to this CSV."),
    force: bool = typer.Option(False, "--force", help="Replace the --rejects file if it exists (never the "
                                                      "database)."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import the good rows even when some are rejected."),
    assign: bool = typer.Option(False, "--assign", help=_("New leads without an owner go at once to the staff on "
                                                         "duty by the policy's distribution rule.")),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON (also when rows are rejected)."),
) -> None:
    """Import leads, visits or follow-ups from a CSV/XLSX export in one transaction (manager or admin)."""
    from leadctl.services.importer import ImportRejected, import_file

    c = context.get(ctx)
    try:
        with c.store() as store, _progress_bar(file) as progress:
            summary = import_file(store, c.now, c.actor, file, kind, source, maps or (), encoding, dry_run,
                                  skip_bad, rejects, progress, force, assign)
    except ImportRejected as exc:
        if as_json:
            output.emit_json(exc.summary)
        raise
    if summary["cleaned_rows"]:
        rows = summary["cleaned_rows"]
        output.say(
            _("warning: control characters removed from {len} row(s) of {name} (first: row {value})").format(
                len=len(rows), name=file.name, value=rows[0]
            )
        )
    if summary["name_differs"]:
        output.say(
            _(
                "warning: {name_differs} row(s) of {name} give another name for a known phone; the leads keep "
                "their names, the names given are kept on the visits (see `leadctl show`)"
            ).format(name_differs=summary["name_differs"], name=file.name)
        )
    if as_json:
        output.emit_json(summary)
        return
    output.say(_describe(summary))
    if summary["rejected"]:
        first = summary["problems"][0]
        where = _("written to {rejects}").format(rejects=rejects) if rejects else _("see --rejects or --json")
        output.say(
            _("{rejected} row(s) skipped (first: row {row}, {column}: {problem}); {where}").format(
                rejected=summary["rejected"],
                row=first["row"],
                column=first["column"],
                problem=first["problem"],
                where=where,
            )
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
