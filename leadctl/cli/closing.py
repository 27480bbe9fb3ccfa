"""Closing a lead: defeat (request, verify, approve, reject), lost control, reactivation, orders, delivery."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.cli.groups import typer_group
from leadctl.errors import BadInput
from leadctl.i18n import _
from leadctl.rules import card as card_rules
from leadctl.rules import phone as phone_rules
from leadctl.services import defeats, intake, orders

JSON = typer.Option(False, "--json", help="Print the result as JSON.")
CSV = typer.Option(False, "--csv", help="Print the list as CSV.")
LEAD = typer.Argument(..., help="Lead id or phone.")
REQUEST = typer.Argument(..., help="Defeat request id.")
NOTE = typer.Option(None, "--note", help="A note for the record.")

defeat = typer.Typer(help="Defeat (战败): the salesperson requests, customer service verifies by a call-back, "
                          "the manager approves or rejects.", no_args_is_help=True)
order_app = typer_group("LEAD", "Orders: sign one (grade O) with `leadctl order LEAD (--vin VIN | --brand B "
                               "--series S --model M)`; `order cancel ID` and `order list` below.")


def _yuan(text: str | None, flag: str) -> int | None:
    """An amount typed as a person writes it (189800, 18.98万), or a clear refusal."""
    if text is None:
        return None
    try:
        return card_rules.yuan(text)
    except ValueError:
        raise BadInput(_("{flag} {value!r} is not an amount of yuan").format(flag=flag, value=text),
                       _("write it as 189800 or 18.98万")) from None


@defeat.command("request")
def defeat_request(
    ctx: typer.Context,
    lead: str = LEAD,
    reason: str = typer.Option(..., "--reason", help="Reason code of the policy: price | product | competitor | "
                               "financing | no-longer-buying | unreachable | other (or 价格 产品 竞品 贷款 不买了 "
                               "联系不上 其他)."),
    lost_to: str = typer.Option(None, "--lost-to", help="Brand/model the customer bought instead."),
    price: str = typer.Option(None, "--price", help="The price that decided it, in yuan (15万 allowed)."),
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """Request a defeat (战败申请) for an active lead; refused for the policy's forbidden grades (C, D)."""
    done = context.call(ctx, defeats.request, lead, reason, lost_to, _yuan(price, "--price"), note)
    output.done(
        done,
        as_json,
        _("defeat request {id} on lead {lead_id} ({reason}); customer service verifies it next").format(
            id=done["id"], lead_id=done["lead_id"], reason=output.cell("reason", done["reason"])
        ),
    )


@defeat.command("verify")
def defeat_verify(
    ctx: typer.Context,
    request: int = REQUEST,
    result: str = typer.Option(..., "--result", help="What the customer said on the call-back."),
    as_json: bool = JSON,
) -> None:
    """Record customer service's verification call-back on a defeat request (who, when, result)."""
    done = context.call(ctx, defeats.verify, request, result)
    output.done(
        done, as_json, _("defeat request {id} verified; a manager approves or rejects it").format(id=done["id"])
    )


@defeat.command("approve")
def defeat_approve(
    ctx: typer.Context,
    request: int = REQUEST,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """Approve a defeat (manager): the lead gets grade F, status defeated, and leaves every due list."""
    done = context.call(ctx, defeats.approve, request, note)
    output.done(
        done,
        as_json,
        _("defeat request {id} approved: lead {lead_id} is defeated (F)").format(
            id=done["id"], lead_id=done["lead_id"]
        ),
    )


@defeat.command("reject")
def defeat_reject(
    ctx: typer.Context,
    request: int = REQUEST,
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """Reject a defeat (manager): the lead stays active with its grade and keeps being followed up."""
    done = context.call(ctx, defeats.reject, request, note)
    output.done(
        done,
        as_json,
        _("defeat request {id} rejected: lead {lead_id} stays active").format(id=done["id"], lead_id=done["lead_id"]),
    )


@defeat.command("list")
def defeat_list(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="open (both queues) [default], requested (customer service's "
                               "queue), verified (the manager's), approved, rejected or all."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """List defeat requests, oldest first: by default the open ones, the call-back and approval queues."""
    rows = context.call(ctx, defeats.listing, status)
    output.listing(rows, defeats.COLUMNS, _("Defeat requests"), as_json, as_csv, wide, codes)


def lost(
    ctx: typer.Context,
    lead: str = LEAD,
    attempts: int = typer.Option(..., "--attempts", help="Failed attempts to reach the customer (at least 1)."),
    note: str = NOTE,
    as_json: bool = JSON,
) -> None:
    """Mark lost control (失控: unreachable): grade L, status lost, off the due lists."""
    done = context.call(ctx, defeats.lost, lead, attempts, note)
    output.done(
        done,
        as_json,
        _("lead {lead_id} is lost (L) after {attempts} failed attempt(s)").format(
            lead_id=done["lead_id"], attempts=done["attempts"]
        ),
    )


def reactivate(
    ctx: typer.Context,
    lead: str = LEAD,
    grade: str = typer.Option(None, "--grade", help="Grade to restart with (H A B C D) [default: none, so it is "
                              "due at once for grading]."),
    reason: str = typer.Option(None, "--reason", help="Why it is back."),
    as_json: bool = JSON,
) -> None:
    """Bring a defeated or lost lead back to active; it is due for contact again by the cadence rules."""
    done = context.call(ctx, defeats.reactivate, lead, grade, reason)
    output.done(
        done,
        as_json,
        _("lead {lead_id} is active again, grade {value}, next due {value2}").format(
            lead_id=done["lead_id"], value=done["grade"] or "-", value2=done["next_due"] or _("none")
        ),
    )


@order_app.command("LEAD", hidden=True)
def order(
    ctx: typer.Context,
    lead: str = LEAD,
    vin: str = typer.Option(None, "--vin", help="The vehicle's VIN (17 characters; check digit verified)."),
    brand: str = typer.Option(None, "--brand", help="Brand, when choosing without a VIN."),
    series: str = typer.Option(None, "--series", help="Series (车系)."),
    model: str = typer.Option(None, "--model", help="Model (车型)."),
    config: str = typer.Option(None, "--config", help="Configuration (配置)."),
    colour: str = typer.Option(None, "--colour", "--color", help="Colour."),
    price: str = typer.Option(None, "--price", help="Price agreed, in yuan (18.98万 allowed)."),
    deposit: str = typer.Option(None, "--deposit", help="Deposit paid (定金), in yuan (5000 or 0.5万)."),
    delivery_on: str = typer.Option(None, "--delivery-on", help="Planned delivery day, YYYY-MM-DD (the lead is due "
                                    "the day before)."),
    as_json: bool = JSON,
) -> None:
    """Sign an order for a lead by VIN or brand/series/model: grade O, status ordered, followed up until delivery."""
    c = context.get(ctx)
    car = orders.vehicle(vin, brand, series, model, config, colour)
    with c.store() as store:
        done = orders.order(store, c.now, c.actor, lead, car, _yuan(price, "--price"), _yuan(deposit, "--deposit"),
                            delivery_on)
    output.done(
        done,
        as_json,
        _("order {id} for lead {lead_id}; deliver it with `leadctl deliver {id}`").format(
            id=done["id"], lead_id=done["lead_id"]
        ),
    )


@order_app.command("cancel")
def order_cancel(
    ctx: typer.Context,
    order_id: int = typer.Argument(..., help="Order id."),
    reason: str = typer.Option(..., "--reason", help="Why the order is cancelled."),
    as_json: bool = JSON,
) -> None:
    """Cancel an open order: the lead is active again with its grade before the order, and due again."""
    done = context.call(ctx, orders.cancel, order_id, reason)
    output.done(
        done,
        as_json,
        _("order {id} cancelled: lead {lead_id} is active, grade {value}, next due {value2}").format(
            id=done["id"], lead_id=done["lead_id"], value=done["grade"] or "-", value2=done["next_due"] or _("none")
        ),
    )


@order_app.command("delivery-on")
def order_delivery_on(
    ctx: typer.Context,
    order_id: int = typer.Argument(..., help="Order id."),
    day: str = typer.Argument(..., help="The planned delivery day, YYYY-MM-DD."),
    reason: str = typer.Option(None, "--reason", help="Why it changes (kept in the history)."),
    as_json: bool = JSON,
) -> None:
    """Set or change an open order's planned delivery day (history kept); the lead is due the day before."""
    done = context.call(ctx, orders.delivery_on, order_id, day, reason)
    was = _(" (was {previous})").format(previous=done["previous_delivery_on"]) if done["previous_delivery_on"] else ""
    output.done(
        done,
        as_json,
        _("order {id} to be delivered on {delivery_on}{was}; lead {lead_id} next due {value}").format(
            id=done["id"],
            delivery_on=done["delivery_on"],
            was=was,
            lead_id=done["lead_id"],
            value=done["next_due"] or _("none"),
        ),
    )


@order_app.command("list")
def order_list(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="open, cancelled or delivered [default: all]."),
    late: bool = typer.Option(False, "--late", help=_("Only open orders past their planned delivery day.")),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    wide: bool = output.wide_option(),
    codes: bool = output.codes_option(),
) -> None:
    """List orders, oldest first."""
    rows = context.call(ctx, orders.listing, status, late)
    output.listing(rows, orders.COLUMNS, _("Orders"), as_json, as_csv, wide, codes)


def deliver(
    ctx: typer.Context,
    order_id: int = typer.Argument(..., help="Order id."),
    plate: str = typer.Option(None, "--plate", help="Plate number (号牌), e.g. 京A12345."),
    plate_date: str = typer.Option(None, "--plate-date", help="Date the plate was issued (上牌日期), YYYY-MM-DD."),
    insurer: str = typer.Option(None, "--insurer", help="Insurance company."),
    cover: str = typer.Option(None, "--cover", help="Insurance cover (险种)."),
    accessories: str = typer.Option(None, "--accessories", help="Accessories fitted (精品/装饰)."),
    address: str = typer.Option(None, "--address", help=_("The owner's address (地址).")),
    id_number: str = typer.Option(None, "--id-number", help=_("The owner's 18-digit resident ID number (身份证号; "
                                  "check digit verified; stored only if the policy allows; masked except for "
                                  "managers).")),
    birthday: str = typer.Option(None, "--birthday", help=_("Birthday, YYYY-MM-DD on its calendar.")),
    birthday_calendar: str = typer.Option(None, "--birthday-calendar", help=_("solar|lunar (阳历|阴历) "
                                          "[default: solar].")),
    landline: str = typer.Option(None, "--landline", help=_("Landline with area code (固定电话).")),
    as_json: bool = JSON,
) -> None:
    """Deliver an order: the lead is delivered and the customer an owner with a retention card (保有客户卡)."""
    c = context.get(ctx)
    with c.store() as store:
        who = orders.person(c.now, address, id_number, birthday, birthday_calendar, landline,
                            intake.phone_region(store) if landline else phone_rules.DEFAULT_REGION)
        card = orders.deliver(store, c.now, c.actor, order_id, plate, plate_date, insurer, cover, accessories, who)
    output.done(card, as_json, _("order {order_id} delivered: retention card {id} for lead {lead_id}").format(
        order_id=card["order_id"], id=card["id"], lead_id=card["lead_id"]))


def register(app: typer.Typer) -> None:
    """Adds this module's commands to the root app."""
    app.add_typer(defeat, name="defeat")
    app.add_typer(order_app, name="order")
    for command in (lost, reactivate, deliver):
        app.command()(command)
