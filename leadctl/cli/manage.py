"""Manager commands on ownership and the record: collisions, merge, fleet, review."""

from __future__ import annotations

import typer

from leadctl.cli import context, layout, output
from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.services import collisions as collision_service
from leadctl.services import merge as merge_service
from leadctl.services import reviews as review_service

collisions = typer.Typer(help="Ownership collisions (撞单): the open list with evidence, and the manager's ruling.",
                         invoke_without_command=True)
COLLISION_COLUMNS = ("id", "lead_id", "name", "phone", "opened_at", "owner", "claimant", "recommended", "reasons")
COLLISION_RANKS = {"recommended": 1, "reasons": 1}  # the ruling to make and why: what the list is read for


@collisions.callback()
def collisions_list(
    ctx: typer.Context,
    include_ruled: bool = typer.Option(False, "--all", help="Include collisions already ruled."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON (with the full evidence)."),
    wide: bool = output.wide_option(),
) -> None:
    """List open collisions with the evidence and a recommended ruling with its reasons."""
    if ctx.invoked_subcommand:
        return
    rows = context.call(ctx, collision_service.listing, include_ruled)
    if as_json:
        output.emit_json(rows)
        return
    today = context.get(ctx).now.date()
    flat = [{**r, "owner": r["owner"]["staff"], "claimant": r["claimant"]["staff"],
             "reasons": _("; ").join(layout.ruling(reason, today) for reason in r["reasons"])} for r in rows]
    output.emit_table(flat, COLLISION_COLUMNS, title=_("Collisions: {len}").format(len=len(rows)), wide=wide,
                      ranks=[COLLISION_RANKS.get(k) or layout.priority(k) for k in COLLISION_COLUMNS], whole="--json")


def _ruling(text: str) -> str:
    """services/collisions.py's ruling (English in the JSON) in the run's language."""
    if text == "as recommended":
        return _("as recommended")
    against = "against the recommendation: "
    if text.startswith(against):
        return _("against the recommendation: {reasons}").format(
            reasons=_("; ").join(layout.ruling(r) for r in text[len(against):].split("; ")))
    return text


@collisions.command("rule")
def collisions_rule(
    ctx: typer.Context,
    collision: int = typer.Argument(..., help="Collision id."),
    to: str = typer.Option(..., "--to", help="The staff member the customer goes to (owner or claimant)."),
    as_json: bool = typer.Option(False, "--json", help="Print the ruling as JSON."),
) -> None:
    """Rule on a collision (manager): final and recorded; the lead goes to --to."""
    result = context.call(ctx, collision_service.rule, collision, to)
    output.done(
        result,
        as_json,
        _("collision {id}: lead {lead_id} goes to {ruled_to} ({ruling})").format(
            id=result["id"], lead_id=result["lead_id"], ruled_to=result["ruled_to"], ruling=_ruling(result["ruling"])
        ),
    )


def merge(
    ctx: typer.Context,
    keep: str = typer.Argument(..., help="The lead that stays (id or phone)."),
    other: str = typer.Argument(..., help="The duplicate folded into it (id or phone)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Merge a duplicate customer into another (manager); every visit, follow-up and event is kept."""
    result = context.call(ctx, merge_service.merge, keep, other)
    output.done(
        result,
        as_json,
        _("lead {merged} merged into {lead_id}").format(merged=result["merged"], lead_id=result["lead_id"]),
    )


def fleet(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Promote a lead to fleet customer (大客户) (manager)."""
    result = context.call(ctx, merge_service.fleet, lead)
    output.done(result, as_json, _("lead {lead_id} is now a fleet customer").format(lead_id=result['lead_id']))


def review(
    ctx: typer.Context,
    followup: int = typer.Argument(None, help="Follow-up to review; without it, list those waiting."),
    comment: str = typer.Option(None, "--comment", help="The manager's comment (批复)."),
    amend: bool = typer.Option(False, "--amend", help="Replace the follow-up's comment; the earlier one stays in "
                                                      "its history (a second review is refused without it)."),
    by: str = typer.Option(None, "--by", help="List only this staff member's follow-ups."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the list as CSV."),
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """List follow-ups awaiting review, or review one with --comment (manager)."""
    c = context.get(ctx)
    if followup is None:
        if comment or amend:
            raise UsageError(_("--comment needs the follow-up id"), _("leadctl review ID --comment TEXT"))
        rows = context.call(ctx, review_service.queue, by)
        if as_json:
            output.emit_json(rows)
        elif as_csv:
            output.emit_csv(rows, review_service.COLUMNS, codes)
        else:
            output.emit_table(rows, review_service.COLUMNS, title=_("Awaiting review: {len}").format(len=len(rows)),
                              wide=wide)
        return
    with c.store() as store:
        result = review_service.review(store, c.now, c.actor, followup, comment, amend)
    done = _("follow-up {followup_id} review amended") if amend else _("follow-up {followup_id} reviewed")
    output.done(result, as_json, done.format(followup_id=result["followup_id"]))


def register(app: typer.Typer) -> None:
    app.add_typer(collisions, name="collisions")
    for command in (merge, fleet, review):
        app.command()(command)
