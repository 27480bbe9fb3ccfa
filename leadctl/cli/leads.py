"""Front-desk and daily-work commands: intake, grade, followup, show."""

from __future__ import annotations

import sys

import typer

from leadctl.cli import card as card_options
from leadctl.cli import context, layout, output
from leadctl.errors import BadInput, UsageError
from leadctl.i18n import _
from leadctl.rules import card as card_rules
from leadctl.rules import phone as phone_rules
from leadctl.services import followups, grading
from leadctl.services import intake as intake_service
from leadctl.services import show as show_service

JSON = typer.Option(False, "--json", help="Print the result as JSON (never prompts).")


def _ask_phone(region: str) -> str:
    """The phone at the desk's prompt, asked again after one that is not a phone (the error said first)."""
    while True:
        text = typer.prompt(_("Phone"), err=True)
        try:
            phone_rules.normalize(text, region)
            return text
        except BadInput as exc:
            output.say(output.error_line(exc))


def _ask_name(recorded: str | None) -> str:
    """The name at the desk's prompt: a known customer's recorded name is the default; Enter alone leaves it out
    for a caller who gives none."""
    return typer.prompt(_("Name"), default=recorded or "", show_default=bool(recorded), err=True)


def intake(
    ctx: typer.Context,
    name: str = typer.Option(None, "--name", help="Customer's name."),
    phone: str = typer.Option(None, "--phone", help="Phone in any format (+86, spaces, dashes, full-width)."),
    channel: str = typer.Option(
        "walk-in", "--channel", show_default=False,
        help="walk-in | call | web | hotline | show | hq | repurchase | referral (or 展厅 来电 网络 400 ...). "
             "[default: walk-in]"
    ),
    owner: str = typer.Option(None, "--owner", help="Staff member who received the customer."),
    model: str = typer.Option(None, "--model", help="Model of interest."),
    grade: str = typer.Option(None, "--grade", help="Grade at first contact (H A B C D)."),
    arrived: str = typer.Option(None, "--arrived", help="Arrival time, ISO [default: now]."),
    left: str = typer.Option(None, "--left", help="Departure time, ISO."),
    party: int = typer.Option(1, "--party", help="People in the batch (批次)."),
    test_drive: bool = typer.Option(False, "--test-drive", help="Took a test drive."),
    info_source: str = typer.Option(
        None, "--info-source",
        help="phone | newspaper | radio | magazine | friends | passing | internet | other (or 电话 报纸 ...)."
    ),
    trade_in: bool = typer.Option(False, "--trade-in", help="Wants to trade in a car (置换)."),
    no_contact: bool = typer.Option(False, "--no-contact", help="Visitor left no details (grade W)."),
    invited: bool = typer.Option(True, "--invited/--not-invited", show_default="--invited",
                                 help="A visitor with an open invitation came because of it (closes it as arrived)."),
    referred_by: str = typer.Option(None, "--referred-by", help=_("Lead id or phone of the owner who referred this "
                                    "customer (with --channel referral/转介绍).")),
    assign: bool = typer.Option(False, "--assign", help=_("A new lead without an owner goes at once to the staff on "
                                                         "duty by the policy's distribution rule.")),
    gender: str = card_options.GENDER, birth_year: str = card_options.BIRTH_YEAR,
    birthday: str = card_options.BIRTHDAY, birthday_calendar: str = card_options.BIRTHDAY_CALENDAR,
    employer: str = card_options.EMPLOYER, industry: str = card_options.INDUSTRY, address: str = card_options.ADDRESS,
    wechat: str = card_options.WECHAT, landline: str = card_options.LANDLINE,
    current_vehicle: str = card_options.CURRENT_VEHICLE, brand: str = card_options.BRAND,
    series: str = card_options.SERIES, config: str = card_options.CONFIG, colour: str = card_options.COLOUR,
    competitors: list[str] = card_options.COMPETITORS, budget_min: str = card_options.BUDGET_MIN,
    budget_max: str = card_options.BUDGET_MAX, payment: str = card_options.PAYMENT, purpose: str = card_options.PURPOSE,
    favourable: str = card_options.FAVOURABLE, unfavourable: str = card_options.UNFAVOURABLE,
    objections: str = card_options.OBJECTIONS, resources: str = card_options.RESOURCES, story: str = card_options.STORY,
    as_json: bool = JSON,
) -> None:
    """Register a visit or call. A known phone is a return visit of the same lead, never a new one."""
    c = context.get(ctx)
    fields = card_options.given({k: v for k, v in locals().items() if k in card_rules.BY_KEY and k != "trade_in"
                                 and k != "model"})
    card_values = card_rules.parse(fields, c.now.date())
    interactive = not as_json and not no_contact and sys.stdin.isatty()
    if not (no_contact or phone or interactive):
        raise UsageError(_("a lead needs a phone number"),
                         _("give --phone, or --no-contact for a visitor who left none"))
    with c.store() as store:
        region = intake_service.desk(store, c.now, c.actor, owner)  # refused before anyone types
        if interactive:
            phone = phone or _ask_phone(region)
            recorded = _known(store, c, phone)
            name = name or _ask_name(recorded)
        visit = intake_service.parse_visit(
            c.now, name=name, phone_text=phone, channel=channel, arrived=arrived, left=left, party=party, grade=grade,
            info_source=info_source, model=model, test_drive=test_drive, trade_in=trade_in, no_contact=no_contact,
            region=region)
        result = intake_service.intake(store, c.now, c.actor, visit, owner, invited, referred_by=referred_by,
                                       assign=assign, card_values=card_values)
    if result["name_differs"]:
        names = result["name_differs"]
        output.say(
            _(
                "warning: lead {lead_id} is named {recorded}, not {given}: it keeps its name; the one given is "
                "recorded with this visit (`leadctl show {lead_id}`)"
            ).format(lead_id=result["lead_id"], recorded=names["recorded"], given=names["given"])
        )
    if as_json:
        output.emit_json(result)
        return
    kind = _("new lead") if result["new_lead"] else _("return visit of lead")
    output.say(
        _("{kind} {lead_id}, visit {visit_id}").format(
            kind=kind, lead_id=result["lead_id"], visit_id=result["visit_id"]
        )
    )
    if result["owner"] is None:  # on no consultant's list until someone owns it
        output.say(_("lead {lead_id} has no owner yet: give --owner, or a manager assigns it (`leadctl assign "
                     "{lead_id} --to NAME`)").format(lead_id=result["lead_id"]))
    if result["invitation"]:
        output.say(_("invitation {invitation} arrived").format(invitation=result['invitation']))
    if result["collision_opened"]:
        output.say(_("collision {collision} opened: this customer already has an owner; a manager rules").format(
            collision=result["collision"]))
    elif result["collision"]:
        output.say(_("collision {collision} is still open: this customer already has an owner; a manager rules")
                   .format(collision=result["collision"]))


def _known(store, c, phone: str) -> str | None:
    """On a terminal: a known phone's card (owner, grade, last contact) before the name is asked and the visit
    recorded, so the desk can tell the customer who their consultant is; returns the name on record."""
    known = intake_service.known(store, c.now, c.actor, phone)
    if known:
        output.say(_("known customer: lead {lead}, owner {owner}, grade {grade}, last contact {last}").format(
            lead=known["lead_id"], owner=known["owner"] or _("none"), grade=known["grade"] or "-",
            last=layout.moment(known["last_contact_at"], c.now.date()) if known["last_contact_at"] else "-"))
    return known["name"] if known else None


def grade(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone."),
    grade: str = typer.Argument(None, help="Grade (H A B C D, per the policy's scale)."),
    within: str = typer.Option(None, "--within", help="Purchase horizon instead of a grade: 10d, 2w, 3m, 3个月."),
    need: bool = typer.Option(None, "--need/--no-need", help="Assessment: the customer has a need."),
    confidence: bool = typer.Option(None, "--confidence/--no-confidence",
                                    help="Assessment: confidence in consultant, dealer, brand."),
    power: bool = typer.Option(None, "--power/--no-power", help="Assessment: buying power (funds ready)."),
    reason: str = typer.Option(None, "--reason", help="Why."),
    at: str = typer.Option(None, "--at", help="When it was graded, ISO [default: now]; not before the lead was "
                                              "registered, not after now."),
    as_json: bool = JSON,
) -> None:
    """Grade a lead by grade, purchase horizon or need/confidence/power; re-plans the next due date."""
    c = context.get(ctx)
    with c.store() as store:
        result = grading.grade(store, c.now, c.actor, lead, grade, within, reason, at,
                               need=need, confidence=confidence, power=power)
    output.done(
        result,
        as_json,
        _("lead {lead_id}: {value} -> {grade} ({basis}); next due {value2}").format(
            lead_id=result["lead_id"],
            value=result["previous"] or "-",
            grade=result["grade"],
            basis=output.cell("basis", result["basis"]),
            value2=_next_due(result["next_due"], c.now.date()),
        ),
    )


def _next_due(day: str | None, today) -> str:
    """The next due day as a line says it, with how late it already is (a lead graded long after its last
    contact is due at once)."""
    if day is None:
        return _("none")
    from datetime import date

    from leadctl.cli import layout

    late = (today - date.fromisoformat(day)).days
    shown = output.cell("next_due", day, today)
    return _("{day}, {late}").format(day=shown, late=layout.days_late(late)) if late > 0 else shown


def followup(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone; or amend|void to correct a follow-up."),
    followup_id: int = typer.Argument(None, help="With amend or void: the follow-up's id (see `show`)."),
    result: str = typer.Option(None, "--result", help="What came of it (required: no result, no follow-up)."),
    method: str = typer.Option(None, "--method", help="phone|sms|wechat|visit|store (or 电话 短信 微信 上门 到店)."),
    grade: str = typer.Option(None, "--grade", help="New grade after this contact."),
    next_on: str = typer.Option(None, "--next", help="Plan the next contact (no later than the cadence allows)."),
    at: str = typer.Option(None, "--at", help="When it happened, ISO [default: now]."),
    care: str = typer.Option(None, "--care", help=_("Owner care contact it makes: thanks | ssi | service | insurance | "
                                                    "birthday | anniversary (a delivered customer).")),
    score: int = typer.Option(None, "--score", help=_("SSI satisfaction score, 1-10 (with --care ssi).")),
    reason: str = typer.Option(None, "--reason", help="With amend or void: why (kept in the card's history)."),
    as_json: bool = JSON,
) -> None:
    """Record a follow-up with its result; the next due date follows the grade's cadence.
    `followup amend ID --reason R` and `followup void ID --reason R` correct one recorded by
    mistake (its author the same day, or a manager)."""
    if lead in ("amend", "void"):
        _correct(ctx, lead, followup_id, reason, as_json, result=result, method=method, next_on=next_on, at=at)
        return
    if not result:
        raise UsageError(_("--result is required"), _("say what came of it with --result"))
    done = context.call(ctx, followups.followup, lead, result, method or "phone", grade, next_on, at, care, score)
    output.done(done, as_json, _("follow-up {followup_id} on lead {lead_id}; grade {value}, next due {value2}").format(
        followup_id=done["followup_id"], lead_id=done["lead_id"], value=done["grade"] or "-",
        value2=_next_due(done["next_due"], context.get(ctx).now.date())))
    if done.get("care") and not as_json:
        from leadctl.cli import layout
        from leadctl.reports.base import word

        output.say(_("owner care: {kind} contact due {day} made").format(
            kind=word("care", done["care"]), day=layout.moment(done["care_due_on"], context.get(ctx).now.date())))


def _correct(ctx, action: str, followup_id: int | None, reason: str | None, as_json: bool, **changes) -> None:
    from leadctl.services import corrections

    if followup_id is None:
        raise UsageError(_("followup {action} needs the follow-up's id").format(action=action),
                         _("see the ids on the card: `leadctl show LEAD`"))
    if action == "void":
        done = context.call(ctx, corrections.void, "followup", followup_id, reason)
        message = _("follow-up {id} voided").format(id=followup_id)
    else:
        done = context.call(ctx, corrections.amend, "followup", followup_id, reason, changes)
        message = _("follow-up {id}: {fields}").format(id=followup_id,
                                                       fields=", ".join(done["changed"]) or _("nothing changed"))
    output.done(done, as_json, message + _("; lead {lead} next due {due}").format(
        lead=done["lead_id"], due=_next_due(done["next_due"], context.get(ctx).now.date())))


def show(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show a lead's whole card: fields, visits, grades, follow-ups, owners, invitations, orders, audit events."""
    card = context.call(ctx, show_service.show, lead)
    if as_json:
        output.emit_json(card)
        return
    from leadctl.cli import reasons
    from leadctl.cli import sheet as view
    from leadctl.services.staff import listing as staff_listing

    c = context.get(ctx)
    card["due_reason"] = reasons.long(card.pop("due_reason_code", None), card.pop("due_reason_values", None),
                                      c.now.date(), card.get("due_reason"))
    with c.store() as store:
        names = {s["id"]: s["name"] for s in staff_listing(store)}
    view.emit(card, names, c.now.date())


def register(app: typer.Typer) -> None:
    for command in (intake, grade, followup, show):
        app.command()(command)
