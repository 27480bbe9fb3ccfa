"""`leadctl week`: the salesperson's weekly plan and summary (周计划/周总结) and the manager's signature [003];
`leadctl checks`: customer service's check of the week's new cards (客服部检核反馈表) [004]."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _

JSON = typer.Option(False, "--json", help=_("Print the result as JSON."))
WEEK = typer.Option(None, "--week", help=_("The ISO week, YYYY-Www [default: this week]."))

week = typer.Typer(help=_("Weekly plan and summary (周计划/周总结), the week's figures filled in; the manager "
                          "signs them."), no_args_is_help=True)
checks = typer.Typer(help=_("Customer service's check of new cards (客服部检核): a weekly sample, each field true "
                            "or false, failures back to the owner."), no_args_is_help=True)


def _form(ctx: typer.Context, kind: str, body: str, when: str | None, numbers: str | None, as_json: bool) -> None:
    from leadctl.planning.forms import shown, submit

    done = context.call(ctx, submit, kind, body, when, numbers)
    output.done(done, as_json, _("{staff}: {kind} of {week} saved (leads {leads}, orders {orders})").format(
        staff=done["staff"], kind=shown(kind), week=done["week"], leads=done.get("leads"), orders=done.get("orders")))


NUMBERS = typer.Option(None, "--numbers", help=_("Your own figures, NAME=N,... (e.g. leads=20,orders=3)."))
TEXT = typer.Option(..., "--text", help=_("The form's text."))


@week.command("plan")
def week_plan(ctx: typer.Context, body: str = TEXT, when: str = WEEK, numbers: str = NUMBERS,
              as_json: bool = JSON) -> None:
    """Your plan for the week (周计划), with the week's share of your month targets filled in."""
    _form(ctx, "plan", body, when, numbers, as_json)


@week.command("summary")
def week_summary(ctx: typer.Context, body: str = TEXT, when: str = WEEK, numbers: str = NUMBERS,
                 as_json: bool = JSON) -> None:
    """Your summary of the week (周总结), with its leads, follow-ups, orders and defeats filled in."""
    _form(ctx, "summary", body, when, numbers, as_json)


@week.command("sign")
def week_sign(
    ctx: typer.Context,
    person: str = typer.Argument(..., help=_("The salesperson whose form is signed.")),
    when: str = WEEK,
    kind: str = typer.Option("summary", "--kind", help=_("plan or summary.")),
    as_json: bool = JSON,
) -> None:
    """Sign a salesperson's weekly plan or summary (manager), recorded."""
    from leadctl.planning.forms import shown, sign

    done = context.call(ctx, sign, person, when, kind)
    output.done(done, as_json, _("{by} signed the {kind} of {staff}, {week}").format(
        by=done["signed_by"], kind=shown(done["kind"]), staff=done["staff"], week=done["week"]))


@checks.command("sample")
def checks_sample(ctx: typer.Context, when: str = WEEK, as_json: bool = JSON) -> None:
    """Queue the week's sample of new cards for customer service's call-back (policy: share or count)."""
    from leadctl.planning.forms import sample

    done = context.call(ctx, sample, when)
    output.done(done, as_json, _("{week}: {queued} of {total} new cards queued for checking").format(
        week=done["week"], queued=done["queued"], total=done["new_cards"]))


@checks.command("record")
def checks_record(
    ctx: typer.Context,
    check_id: int = typer.Argument(..., help=_("The check's id (see `leadctl checks list`).")),
    fields: list[str] = typer.Option(None, "--field", help=_("FIELD=true|false for each field checked; "
                                                             "repeatable.")),
    note: str = typer.Option(None, "--note", help=_("What the customer said.")),
    as_json: bool = JSON,
) -> None:
    """Record a check (customer service): each field true or false and a note; a failure is due to the owner."""
    from leadctl.planning.forms import check

    done = context.call(ctx, check, check_id, fields or [], note)
    output.done(done, as_json, _("check {id}: {verdict}").format(
        id=done["id"], verdict=_("passed") if done["passed"] else _("failed, back to the owner to correct")))


@checks.command("correct")
def checks_correct(
    ctx: typer.Context,
    check_id: int = typer.Argument(..., help=_("The failed check's id.")),
    as_json: bool = JSON,
) -> None:
    """Mark the card a check failed as corrected (its owner): off the due list."""
    from leadctl.planning.forms import correct

    done = context.call(ctx, correct, check_id)
    output.done(done, as_json, _("check {id}: corrected").format(id=done["id"]))


@checks.command("list")
def checks_list(
    ctx: typer.Context,
    open_only: bool = typer.Option(False, "--open", help=_("Only checks to call or cards to correct.")),
    as_json: bool = JSON,
    as_csv: bool = typer.Option(False, "--csv", help=_("Print the list as CSV.")),
) -> None:
    """The checks, newest week first."""
    from leadctl.planning.forms import LIST_COLUMNS, listing

    output.listing(context.call(ctx, listing, open_only), LIST_COLUMNS, _("Checks"), as_json, as_csv)


def register(app: typer.Typer) -> None:
    app.add_typer(week, name="week")
    app.add_typer(checks, name="checks")
