"""The owner base (保有客户): `leadctl owners` lists it, `leadctl owners card LEAD` shows one retention card."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _
from leadctl.services import owners as service

JSON = typer.Option(False, "--json", help=_("Print as JSON."))
# the owner base is read by car and by day of delivery: the series and the day stay, then the plate and the model;
# the lead's status (已交车 on nearly every row) goes before them
RANKS = {"delivered_on": 2, "plate": 3, "model": 3, "status": 4}

owners_app = typer.Typer(help=_("The owner base (保有客户): delivered customers with their retention cards. "
                                "`leadctl owners` lists it; `owners card LEAD` shows one card."),
                         invoke_without_command=True)


@owners_app.callback()
def owners(
    ctx: typer.Context,
    owner: str = typer.Option(None, "--owner", help=_("This consultant's owners.")),
    model: str = typer.Option(None, "--model", help=_("Cars of this model (or series).")),
    delivered_from: str = typer.Option(None, "--delivered-from", help=_("Delivered on or after this day.")),
    delivered_to: str = typer.Option(None, "--delivered-to", help=_("Delivered on or before this day.")),
    as_json: bool = JSON,
    as_csv: bool = typer.Option(False, "--csv", help=_("Print as CSV.")),
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """List the owner base (基盘): one row per delivered car, with the card's fields and the last contact."""
    if ctx.invoked_subcommand is not None:
        return
    rows = context.call(ctx, service.listing, owner, model, delivered_from, delivered_to)
    output.listing(rows, service.COLUMNS, _("Car owners"), as_json, as_csv, wide, codes, RANKS)


@owners_app.command("card")
def owners_card(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help=_("Lead id or phone.")),
    as_json: bool = JSON,
) -> None:
    """Show an owner's retention card (保有客户维系卡): car, person, care contacts, customers referred."""
    card = context.call(ctx, service.card, lead)
    if as_json:
        output.emit_json(card)
        return
    lists = {"care_contacts": (service.CARE_COLUMNS, _("Care contacts")),
             "referrals": (service.REFERRAL_COLUMNS, _("Referred customers"))}
    from leadctl.cli import layout, reasons

    today = context.get(ctx).now.date()
    card["care_contacts"] = reasons.rendered(card["care_contacts"], "long", today)
    today = layout.shown_year((v for k, v in card.items() if k not in lists), today)
    output.emit_pairs({layout.header(k): output.cell(k, v, today) for k, v in card.items()
                       if k not in lists and v not in (None, "")},
                      title=_("Retention card of lead {lead}").format(lead=card["lead_id"]))
    for key, (columns, title) in lists.items():
        if card[key]:
            output.emit_table(card[key], columns, title=title)


def register(app: typer.Typer) -> None:
    app.add_typer(owners_app, name="owners")
