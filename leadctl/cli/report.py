"""`leadctl report NAME`: the store's reports on the terminal, as JSON or CSV, or as an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import typer

from leadctl.cli import context, output
from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.reports import render
from leadctl.reports.base import parse_period
from leadctl.reports.catalog import REPORTS
from leadctl.services import reports as service


def report(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=f"{', '.join(REPORTS)}, or monthly (the workbook); or the form's title, "
                               "or a word of it only one title has (漏斗, 月报)."),
    month: str = typer.Option(None, "--month", help="The month: 2026-10, 2026年10月 or 10月 [default: this month]."),
    start: str = typer.Option(None, "--from", help="First day, YYYY-MM-DD (instead of --month)."),
    end: str = typer.Option(None, "--to", help="Last day, YYYY-MM-DD (instead of --month)."),
    week: str = typer.Option(None, "--week", help="An ISO week, YYYY-Www, Monday to Sunday (instead of --month)."),
    owner: str = typer.Option(None, "--owner", help="Only this staff member's data."),
    team: str = typer.Option(None, "--team", help="Only this team's data (showroom|dcc)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON (keys in English, rates as fractions)."),
    as_csv: bool = typer.Option(False, "--csv", help="Print as CSV."),
    codes: bool = output.codes_option(),
    wide: bool = output.wide_option(),
    xlsx: Path = typer.Option(None, "--xlsx", readable=False, help="Write an Excel workbook (manager; audited)."),
    force: bool = typer.Option(False, "--force", help="With --xlsx: replace the file if it exists (never the "
                                                      "database)."),
) -> None:
    """A report of the store's forms, for a month or a range of days, for the store, a team or one person."""
    c = context.get(ctx)
    name = service.code_of(name)  # a code, a form's title or a part of it only one title has (漏斗, 月报)
    period = parse_period(c.now, month, start, end, week)
    if xlsx is not None or name == "monthly":
        from leadctl.services.workbook import export

        if xlsx is None:
            raise UsageError(_("the monthly report is a workbook"), _("give --xlsx FILE"))
        with c.store() as store:
            done = export(store, c.now, c.actor, name, period, xlsx, owner, team, force)
        output.done(
            done,
            as_json,
            _("wrote {file}: {len} sheet(s), {rows} rows").format(
                file=done["file"], len=len(done["sheets"]), rows=done["rows"]
            ),
        )
        return
    with c.store() as store:
        result = service.run(store, c.now, c.actor, name, period, owner, team)
    if as_json:
        render.emit_json(render.document(result.report, period, result.scope, result.rows))
    elif as_csv:
        render.emit_csv(result.report, result.rows, codes)
    else:
        _table(result, period, wide)


REPORT_PIPED_WIDTH = 240  # a report sent to a file or a pipe keeps its form's columns up to this width
FIRST, BAR_RANK = 1, 8  # the first column names each row: it stays; the bar beside the figures leaves first
RANKS = {"summary": 3}  # a form's own ranks, before layout.PRIORITY's: what a complaint was stays in its register


def _table(result, period, wide: bool) -> None:
    """The report on the terminal: the columns that fit (output.fit: the bar first, then by layout.PRIORITY, a
    form's rightmost first), and on stderr how many were left out and how to see them."""
    from leadctl.cli import layout
    from leadctl.reports.base import heading

    title, columns, cells, styles = render.table(result.report, period, result.scope, result.rows)
    keys = [c.key for c in columns]
    ranks = [FIRST if i == 0 else BAR_RANK if c is render.BAR else RANKS.get(c.key) or layout.priority(c.key)
             for i, c in enumerate(columns)]
    right = frozenset(i for i, c in enumerate(columns) if c.kind in render.NUMERIC)
    hidden = output.draw(cells, keys, title, headers=[heading(c) for c in columns], ranks=ranks, right=right,
                         row_styles=styles, wide=wide, piped=REPORT_PIPED_WIDTH)
    output.say_hidden(hidden, _("--xlsx or --csv"))


def register(app: typer.Typer) -> None:
    app.command()(report)
