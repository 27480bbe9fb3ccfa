"""Moving a lead: DCC invitations, arrival, handover, transfers and the daily sweep."""

from __future__ import annotations

import typer

from leadctl.cli import context, layout, output
from leadctl.cli.groups import typer_group
from leadctl.errors import UsageError
from leadctl.i18n import N_, _
from leadctl.services import invitations as invitations_service
from leadctl.services import transfers

JSON = typer.Option(False, "--json", help="Print the result as JSON.")
CSV = typer.Option(False, "--csv", help="Print as CSV.")
LEAD = typer.Argument(..., help="Lead id or phone.")
FROM = typer.Option(None, "--from", help="First day of the period (neither --from nor --to: this month).")
TO = typer.Option(None, "--to", help="Last day of the period (neither --from nor --to: this month).")

transfer_app = typer_group(
    "LEAD", help="Move a lead to another owner (manager), or run the policy's daily sweep: "
                 "`leadctl transfer LEAD --to STAFF`, `leadctl transfer sweep`.")


def _one_format(as_json: bool, as_csv: bool) -> None:
    if as_json and as_csv:
        raise UsageError(_("give --json or --csv, not both"), _("each prints the whole listing"))


def invite(
    ctx: typer.Context,
    lead: str = LEAD,
    on: str = typer.Option(..., "--on", help="When the customer is expected, ISO (2026-11-28T10:00)."),
    note: str = typer.Option(None, "--note", help="What was agreed on the call."),
    as_json: bool = JSON,
) -> None:
    """Invite a lead to the store (telesales); a new invitation replaces the open one, history kept."""
    done = context.call(ctx, invitations_service.invite, lead, on, note)
    if as_json:
        output.emit_json(done)
        return
    again = _(" (replaces invitation {replaces}, now {replaced_as})").format(
        replaces=done["replaces"], replaced_as=done["replaced_as"]) if done["replaces"] else ""
    output.say(
        _("invitation {invitation_id}: lead {lead_id} expected {expected_at}{again}").format(
            invitation_id=done["invitation_id"], lead_id=done["lead_id"],
            expected_at=layout.moment(done["expected_at"], context.get(ctx).now.date()), again=again
        )
    )


def arrive(ctx: typer.Context, lead: str = LEAD, as_json: bool = JSON) -> None:
    """Confirm that an invited customer arrived (receptionist): registers the visit, closes the invitation."""
    done = context.call(ctx, invitations_service.arrive, lead)
    output.done(
        done,
        as_json,
        _("lead {lead_id} arrived: invitation {invitation_id}, visit {visit_id}").format(
            lead_id=done["lead_id"], invitation_id=done["invitation_id"], visit_id=done["visit_id"]
        ),
    )


def handover(
    ctx: typer.Context,
    lead: str = LEAD,
    to: str = typer.Option(..., "--to", help="Receiving direct-sales colleague or consultant."),
    expected: str = typer.Option(None, "--expected", help="Expected purchase date, YYYY-MM-DD."),
    as_json: bool = JSON,
) -> None:
    """Fill the handover form for an arrived invited customer; the receiver owns the lead from now on."""
    form = context.call(ctx, invitations_service.handover, lead, to, expected)
    if as_json:
        output.emit_json(form)
    else:
        output.emit_pairs(form, title=_("Handover {id}").format(id=form['id']))


def invitations(
    ctx: typer.Context,
    start: str = FROM,
    end: str = TO,
    close_no_shows: bool = typer.Option(False, "--close-no-shows",
                                        help="First record open invitations whose day is over as no-shows."),
    as_json: bool = typer.Option(False, "--json", help="Print the invitations and the summary as JSON."),
    as_csv: bool = CSV,
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """Invitations expected in the period, with their status; arrivals, no-shows and the arrival rate."""
    _one_format(as_json, as_csv)
    done = context.call(ctx, invitations_service.invitations, start, end, close_no_shows)
    if "no_shows_recorded" in done and not as_json:
        output.say(_("{len} no-shows recorded").format(len=len(done['no_shows_recorded'])))
    if as_json:
        output.emit_json(done)
    elif as_csv:
        output.emit_csv(done["invitations"], invitations_service.COLUMNS, codes)
    else:
        s = done["summary"]
        rate = "-" if s["arrival_rate"] is None else f"{s['arrival_rate']:.0%}"
        title = _("Invitations: {invited} invited, {arrived} arrived, {no_shows} no-shows, {open} open; arrival rate "
                  "{rate}").format(invited=s["invited"], arrived=s["arrived"], no_shows=s["no_shows"], open=s["open"],
                                   rate=rate)
        output.emit_table(done["invitations"], invitations_service.COLUMNS, title=title, wide=wide)


def handovers(ctx: typer.Context, start: str = FROM, end: str = TO, as_json: bool = JSON, as_csv: bool = CSV,
              wide: bool = output.wide_option(), codes: bool = output.codes_option()) -> None:
    """Handover forms filled in the period (DCC -> direct sales)."""
    _one_format(as_json, as_csv)
    rows = context.call(ctx, invitations_service.handovers, start, end)
    output.listing(rows, invitations_service.HANDOVER_COLUMNS, _("Handovers"), as_json, as_csv, wide, codes)


@transfer_app.command("LEAD", hidden=True)
def transfer(
    ctx: typer.Context,
    lead: str = LEAD,
    to: str = typer.Option(..., "--to", help="The new owner: a consultant, telesales or direct-sales colleague."),
    reason: str = typer.Option(None, "--reason", help="Why (kept in the owner history)."),
    as_json: bool = JSON,
) -> None:
    """Move a lead to another owner (manager); the move is kept in the owner history."""
    done = context.call(ctx, transfers.transfer, lead, to, reason)
    if as_json:
        output.emit_json(done)
    else:
        origin = done["from_owner"] or (_("the {pool} pool").format(pool=done["from_pool"]) if done["from_pool"]
                                     else _("nobody"))
        output.say(_("lead {lead_id}: {origin} -> {to}").format(lead_id=done['lead_id'], origin=origin, to=done['to']))


SHOWN = 20  # moves a terminal lists unless --all


@transfer_app.command("sweep")
def sweep(
    ctx: typer.Context,
    dry_run: bool = typer.Option(False, "--dry-run", help="List the moves with their rule; change nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as one compact JSON document."),
    as_jsonl: bool = typer.Option(False, "--jsonl", help=_("Print one JSON object a line: the summary first, "
                                                          "then each move, no-show and offer.")),
    every: bool = typer.Option(False, "--all", help=_("On the terminal, list every move, not only the first "
                                                      "{shown}.").format(shown=SHOWN)),
) -> None:
    """Apply the policy's sweep rules for today and record no-shows (cron, daily; a rerun moves nothing); list the
    leads whose outcome the manager decides."""
    if as_json and as_jsonl:
        raise UsageError(_("give --json or --jsonl, not both"), _("--jsonl is one object a line"))
    done = context.call(ctx, transfers.sweep, dry_run)
    if as_json or as_jsonl:
        _stream(done, as_jsonl)
        return
    named = {code: _rule_words(rule) for code, rule in context.call(ctx, transfers.sweep_rules).items()}

    def worded(rows: list[dict]) -> list[dict]:
        return [{**row, "rule": named.get(row["rule"], row["rule"])} for row in rows]

    template = _("Sweep {day}: would move {len} leads, {len2} no-shows") if dry_run else \
        _("Sweep {day}: moved {len} leads, {len2} no-shows")
    title = template.format(day=done["day"], len=len(done["moves"]), len2=len(done["no_shows"]))
    output.emit_table(worded(transfers.by_rule(done)), ("rule", "to", "leads"), title=title)
    shown = done["moves"] if every else done["moves"][:SHOWN]
    if shown:
        output.emit_table(worded(shown), transfers.MOVE_COLUMNS)
    if len(shown) < len(done["moves"]):
        output.say(_("{more} more moves: --all lists them, --jsonl gives them to a script").format(
            more=len(done["moves"]) - len(shown)))
    if done.get("escalations"):
        output.say(_("escalation ladder: {count} rung(s) reached, {moved} lead(s) reassigned").format(
            count=len(done["escalations"]), moved=sum(1 for r in done["escalations"] if r.get("reassigned_to"))))
    if done["offers"]:
        flat = [{**o, "outcomes": _(" or ").join(_(OUTCOMES[x]) for x in o["outcomes"]),
                 "commands": " | ".join(o["commands"])}
                for o in (done["offers"] if every else done["offers"][:SHOWN])]
        output.emit_table(worded(flat), transfers.OFFER_COLUMNS, title=_(
            "For the manager to decide: {len} leads with no effect (mark lost, or transfer to another owner)"
        ).format(len=len(done["offers"])))


OUTCOMES = {"lost": N_("mark lost"), "transfer": N_("transfer")}  # an offer's outcomes, as the table words them


def _rule_words(rule) -> str:
    """A sweep row as a person reads it (展厅，建档超过60天), from its conditions (rules/ownership.terms)."""
    from leadctl.reports.base import word
    from leadctl.rules.ownership import terms

    return _(", ").join(_(phrase).format(**{k: word("team", v) if k == "team" else v for k, v in values.items()})
                        for phrase, values in terms(rule))


def _stream(done: dict, lines: bool) -> None:
    """Compact JSON (no indent: at a million leads the indent alone took seconds), by the C encoder in one go;
    --jsonl one line an object."""
    import json
    import sys

    if lines:
        for item in transfers.json_lines(done):
            sys.stdout.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
        return
    sys.stdout.write(json.dumps(done, ensure_ascii=False, separators=(",", ":")) + "\n")


def register(app: typer.Typer) -> None:
    """Adds this module's commands to the root app."""
    for command in (invite, arrive, handover, invitations, handovers):
        app.command()(command)
    app.add_typer(transfer_app, name="transfer")
