"""The DCC pool: `leadctl assign` (by the policy's rule, or by hand) and the duty roster (`leadctl duty`)."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.rules import dates
from leadctl.services import pool as service

duty_app = typer.Typer(help=_("The duty roster (值班/轮休): who works which day; no roster means every day."),
                       no_args_is_help=True)


def assign(
    ctx: typer.Context,
    refs: list[str] = typer.Argument(None, help=_("Leads to give by hand (with --to).")),
    to: str = typer.Option(None, "--to", help=_("The colleague who gets the named leads (manual).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("List who would get what; change nothing.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print as JSON.")),
) -> None:
    """Give the pool's unowned leads to the staff on duty by the policy's rule (manager, or cron daily), or give
    the named leads to one colleague: `leadctl assign LEAD... --to STAFF`."""
    if refs and not to:
        raise UsageError(_("leads named without --to"), _("name who gets them with --to STAFF"))
    if to:
        done = context.call(ctx, service.assign_to, list(refs or []), to, dry_run)
    else:
        done = context.call(ctx, service.assign, dry_run)
    if as_json:
        output.emit_json(done)
        return
    title = (_("Would assign {count} leads, {left} left in the pool") if dry_run
             else _("Assigned {count} leads, {left} left in the pool")).format(
        count=len(done["assigned"]), left=len(done["left_in_pool"]))
    output.emit_table(done["assigned"], service.COLUMNS, title=title)


@duty_app.command("set")
def duty_set(
    ctx: typer.Context,
    name: str = typer.Argument(..., help=_("The staff member.")),
    days: str = typer.Option(None, "--days", help=_("Weekdays worked: 周一..周五, 周一,周三 or 1-5.")),
    off: list[str] = typer.Option(None, "--off", help=_("A date off (YYYY-MM-DD); repeat for more.")),
    back: list[str] = typer.Option(None, "--back", help=_("Cancel a date off; repeat for more.")),
    every_day: bool = typer.Option(False, "--every-day", help=_("Drop the weekday roster: works every day.")),
    as_json: bool = typer.Option(False, "--json", help=_("Print as JSON.")),
) -> None:
    """Set who works which day (manager): weekdays and dates off."""
    done = context.call(ctx, service.duty_set, name, days, list(off or []), list(back or []), every_day)
    days_text = ",".join(map(str, done["weekdays"])) if done["weekdays"] else _("every day")
    output.done(done, as_json, _("{name}: works {days}; days off: {off}").format(
        name=done["name"], days=days_text, off=", ".join(done["days_off"]) or "-"))


@duty_app.command("list")
def duty_list(
    ctx: typer.Context,
    on: str = typer.Option(None, "--on", help=_("Whether each is on duty this day (default today).")),
    as_json: bool = typer.Option(False, "--json", help=_("Print as JSON.")),
    as_csv: bool = typer.Option(False, "--csv", help=_("Print as CSV.")),
) -> None:
    """The roster: each active staff member's weekdays, dates off, and whether they work the day."""
    c = context.get(ctx)
    day = dates.parse_day(on, "--on", c.now.date()) if on else c.now.date()
    rows = context.call(ctx, service.duty_list, day)
    from leadctl.cli import layout

    if not (as_json or as_csv):  # the table reads the days as words: 每天, 周一、周三
        rows = [{**r, "weekdays": layout.weekdays(r["weekdays"])} for r in rows]
    output.listing(rows, ("name", "weekdays", "days_off", "on_duty"),
                   _("Duty on {day}").format(day=layout.day(day, c.now.date())), as_json, as_csv)


def register(app: typer.Typer) -> None:
    app.command()(assign)
    app.add_typer(duty_app, name="duty")
