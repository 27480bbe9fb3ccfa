"""The card's options, defined once for `intake` and `edit` (the keys of rules/card.py), and `edit` itself."""

from __future__ import annotations

import typer

from leadctl.cli import context, layout, output
from leadctl.i18n import _


def _opt(flag: str, help_: str):
    return typer.Option(None, flag, help=help_)


GENDER = _opt("--gender", "male|female (男|女).")
BIRTH_YEAR = _opt("--birth-year", "Year of birth (age band).")
BIRTHDAY = _opt("--birthday", "Birthday YYYY-MM-DD on the calendar of --birthday-calendar.")
BIRTHDAY_CALENDAR = _opt("--birthday-calendar", "solar|lunar (阳历|阴历) [default: solar].")
EMPLOYER = _opt("--employer", "Employer (单位).")
INDUSTRY = _opt("--industry", "Industry (从事行业).")
ADDRESS = _opt("--address", "Address or region.")
WECHAT = _opt("--wechat", "WeChat id.")
LANDLINE = _opt("--landline", "Landline or another number.")
CURRENT_VEHICLE = _opt("--current-vehicle", "Car now used: brand, model, year (现在车辆使用情况).")
BRAND = _opt("--brand", "Wanted brand.")
SERIES = _opt("--series", "Wanted series (车系).")
CONFIG = _opt("--config", "Configuration (配置).")
COLOUR = _opt("--colour", "Colour (颜色).")
COMPETITORS = typer.Option(None, "--competitors", help="A competitor model compared (对比车型); repeat for several.")
BUDGET_MIN = _opt("--budget-min", "Budget from, yuan (15万 allowed).")
BUDGET_MAX = _opt("--budget-max", "Budget up to, yuan (20万 allowed).")
PAYMENT = _opt("--payment", "full|loan (全款|贷款).")
PURPOSE = _opt("--purpose", "What the car is for (购车用途).")
FAVOURABLE = _opt("--favourable", "Favourable points (有利条件).")
UNFAVOURABLE = _opt("--unfavourable", "Unfavourable points (不利条件).")
OBJECTIONS = _opt("--objections", "Main objections (主要异议诉求).")
RESOURCES = _opt("--resources", "Resources needed (需要何种资源协助).")
STORY = _opt("--story", "The story of the first reception (首次接待概况/经过情形).")


def given(values: dict) -> dict:
    """The card options a command received, None (not given) dropped; an empty --competitors list too."""
    return {k: v for k, v in values.items() if v is not None and v != [] and v != ()}


def edit(
    ctx: typer.Context,
    lead: str = typer.Argument(..., help="Lead id or phone."),
    name: str = typer.Option(None, "--name", help="Customer's name."),
    phone: str = typer.Option(None, "--phone", help="A new phone (the identity key: a number another lead has is "
                                                    "refused, exit 4; merge them instead)."),
    gender: str = GENDER, birth_year: str = BIRTH_YEAR, birthday: str = BIRTHDAY,
    birthday_calendar: str = BIRTHDAY_CALENDAR, employer: str = EMPLOYER, industry: str = INDUSTRY,
    address: str = ADDRESS, wechat: str = WECHAT, landline: str = LANDLINE, current_vehicle: str = CURRENT_VEHICLE,
    trade_in: bool = typer.Option(None, "--trade-in/--no-trade-in", help="Wants to trade in a car (置换意愿)."),
    brand: str = BRAND, series: str = SERIES,
    model: str = typer.Option(None, "--model", help="Model of interest."),
    config: str = CONFIG, colour: str = COLOUR, competitors: list[str] = COMPETITORS,
    budget_min: str = BUDGET_MIN, budget_max: str = BUDGET_MAX, payment: str = PAYMENT, purpose: str = PURPOSE,
    favourable: str = FAVOURABLE, unfavourable: str = UNFAVOURABLE, objections: str = OBJECTIONS,
    resources: str = RESOURCES, story: str = STORY,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Correct a lead's card: every change kept as history (field, old, new, who, when), shown by `show`."""
    values = given({k: v for k, v in locals().items() if k not in ("ctx", "lead", "name", "phone", "as_json")})
    from leadctl.services import card

    done = context.call(ctx, card.edit, lead, values, phone, name)
    output.done(done, as_json, _("lead {lead}: {fields}").format(
        lead=done["lead_id"], fields=_(", ").join(layout.header(f) for f in done["changed"]) or _("nothing changed")))



visit_app = typer.Typer(help="Correct a visit recorded by mistake: amend or void it (never deleted).",
                        no_args_is_help=True)
REASON = typer.Option(..., "--reason", help="Why it is corrected (kept in the card's history).")


@visit_app.command("void")
def visit_void(ctx: typer.Context, visit_id: int = typer.Argument(..., help="Visit id (see `show`)."),
               reason: str = REASON, as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")):
    """Void a visit: kept, marked void, left out of every report and due date."""
    from leadctl.services import corrections

    done = context.call(ctx, corrections.void, "visit", visit_id, reason)
    output.done(done, as_json, _("visit {id} voided; lead {lead} next due {due}").format(
        id=visit_id, lead=done["lead_id"], due=done["next_due"] or _("none")))


@visit_app.command("amend")
def visit_amend(ctx: typer.Context, visit_id: int = typer.Argument(..., help="Visit id (see `show`)."),
                reason: str = REASON,
                arrived: str = typer.Option(None, "--arrived", help="Arrival time, ISO."),
                left: str = typer.Option(None, "--left", help="Departure time, ISO."),
                party: int = typer.Option(None, "--party", help="People in the batch."),
                model: str = typer.Option(None, "--model", help="Model asked about."),
                test_drive: bool = typer.Option(None, "--test-drive/--no-test-drive", help="Took a test drive."),
                trade_in: bool = typer.Option(None, "--trade-in/--no-trade-in", help="Stated a trade-in wish."),
                as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")):
    """Amend a visit; each change kept in the card's history with the reason."""
    from leadctl.services import corrections

    changes = {"arrived_at": arrived, "left_at": left, "party": party, "model": model, "test_drive": test_drive,
               "trade_in": trade_in}
    done = context.call(ctx, corrections.amend, "visit", visit_id, reason, changes)
    fields = _(", ").join(layout.header(f) for f in done["changed"]) or _("nothing changed")
    output.done(done, as_json, _("visit {id}: {fields}").format(id=visit_id, fields=fields))


def register(app: typer.Typer) -> None:
    app.command()(edit)
    app.add_typer(visit_app, name="visit")
