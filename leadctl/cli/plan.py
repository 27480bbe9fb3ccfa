"""`leadctl plan`: the year's order target by month, the X+Y roll, the month's breakdown and lead targets, and
each salesperson's confirmation of their target [004]."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _

JSON = typer.Option(False, "--json", help=_("Print the result as JSON."))
MONTH = typer.Argument(..., help=_("The month, YYYY-MM."))

KEY_KINDS = {"channel": "channel", "type": "order_type"}  # the codes a month's cell names, by its dimension

plan = typer.Typer(help=_("Targets [004]: the year's orders by month (seasonal index), the X+Y roll, the month's "
                          "breakdown by model, customer type, channel and person, and the lead targets."),
                   no_args_is_help=True)


def _months(done: dict, columns: tuple[str, ...], title: str, as_json: bool) -> None:
    """The months as JSON (a share as its fraction), or as a table: a share as a percentage, right-aligned."""
    if as_json:
        output.emit_json(done)
        return
    rows = done["months"]
    if "share" in columns:
        shares = [f"{m['share']:.1%}" for m in rows]
        width = max(map(len, shares), default=0)
        rows = [{**m, "share": share.rjust(width)} for m, share in zip(rows, shares, strict=True)]
    output.emit_table(rows, columns, title=title)


@plan.command("year")
def plan_year(
    ctx: typer.Context,
    year: int = typer.Argument(..., help=_("The year planned, e.g. 2027.")),
    orders: int = typer.Option(..., "--orders", help=_("The year's order target.")),
    deliveries: int = typer.Option(None, "--deliveries", help=_("The year's delivery target, split the same way.")),
    from_history: int = typer.Option(None, "--from-history", help=_("Years of the store's orders the seasonal "
                                                                   "index comes from [default: the policy's, 2].")),
    as_json: bool = JSON,
) -> None:
    """Plan the year (manager): months' shares from the seasonal index, summing to the target; a new version."""
    from leadctl.planning.year import plan_year as service

    done = context.call(ctx, service, year, orders, deliveries, from_history)
    if done["basis"] == "history":
        basis = _("seasonal index of {n} orders over {days} days on record").format(n=done["history_orders"],
                                                                                   days=done["history_days"])
    elif done["history_days"]:
        basis = _("the policy's indices (the {days} days on record in the {y} year(s) before do not cover every "
                  "month)").format(days=done["history_days"], y=done["history_years"])
    else:
        basis = _("the policy's indices (no order history)")
    _months(done, ("month", "share", "orders", "deliveries"),
            _("Plan {year} version {v}: {orders} orders, {basis}").format(year=year, v=done["version"],
                                                                       orders=done["orders"], basis=basis), as_json)


@plan.command("show")
def plan_show(
    ctx: typer.Context,
    year: int = typer.Argument(None, help=_("The year [default: this year].")),
    as_json: bool = JSON,
    as_csv: bool = typer.Option(False, "--csv", help=_("Print the months as CSV.")),
) -> None:
    """A year's current plan (this year's by default), each month's target beside its actual orders and
    deliveries."""
    from leadctl.planning.year import show

    done = context.call(ctx, show, year)
    columns = ("month", "orders", "actual", "variance", "deliveries", "delivered")
    if as_csv:
        output.emit_csv(done["months"], columns)
        return
    from leadctl.reports.base import word

    _months(done, columns, _("Plan {year} version {v} ({kind})").format(year=done["year"], v=done["version"],
                                                                      kind=word("plan_kind", done["kind"])), as_json)


@plan.command("roll")
def plan_roll(ctx: typer.Context, month: str = MONTH, as_json: bool = JSON) -> None:
    """X+Y (manager, the month's last five working days): months before MONTH as actuals, the rest re-planned."""
    from leadctl.planning.year import roll

    done = context.call(ctx, roll, month)
    _months(done, ("month", "plan", "actual", "variance", "replan", "deliveries_replan"),
            _("X+Y from {month}: {done} ordered before, {left} left of {orders}; {carried} open orders carried")
            .format(month=done["from"], done=done["actual_before"], left=done["left"], orders=done["orders"],
                    carried=done["open_orders_carried"]), as_json)


@plan.command("month")
def plan_month(
    ctx: typer.Context,
    month: str = MONTH,
    model_share: str = typer.Option(None, "--model-share", help=_("The models' shares, MODEL=SHARE,... summing to "
                                                                 "1 [default: the last months' mix].")),
    sets: list[str] = typer.Option(None, "--set", help=_("A manager's cell, DIMENSION:KEY=N (model, type, channel "
                                                         "or person), e.g. person:李明=5; repeatable.")),
    as_json: bool = JSON,
) -> None:
    """The month's target by model, customer type, channel and person, with the leads and new H/A it needs."""
    from leadctl.planning.month import plan_month as service

    done = context.call(ctx, service, month, model_share, sets or [])
    if as_json:
        output.emit_json(done)
        return
    for note in done["notes"]:
        output.say(_("leadctl: note: {note}").format(note=note))
    output.emit_table(_worded(done["cells"]), ("dimension", "key", "orders", "leads", "new_ha", "bc_upgrades",
                                               "overridden", "rate_from"),
                      title=_("Month {month} version {v}: {orders} orders (mix of {window})").format(
                          month=done["month"], v=done["version"], orders=done["orders"], window=done["window"]))
    output.emit_table(done["rates"], ("rate", "model", "numerator", "denominator", "value", "window"),
                      title=_("Historical rates"))


def _worded(cells: list[dict]) -> list[dict]:
    """The month's cells as a table shows them: a channel's or a customer type's key in the run's words (the
    dimension, the rates and where they come from are worded by their columns: output.cell)."""
    from leadctl.reports.base import word

    return [{**c, "key": word(KEY_KINDS[c["dimension"]], c["key"])} if c["dimension"] in KEY_KINDS else c
            for c in cells]


@plan.command("confirm")
def plan_confirm(ctx: typer.Context, month: str = MONTH, as_json: bool = JSON) -> None:
    """Confirm your own target for the month (个人目标确认书), recorded."""
    from leadctl.planning.month import confirm

    done = context.call(ctx, confirm, month)
    output.done(done, as_json, _("{staff} confirmed {month}: {orders} orders, {leads} leads, {ha} new H/A").format(
        staff=done["staff"], month=done["month"], orders=done["orders"], leads=done["leads"], ha=done["new_ha"]))


def register(app: typer.Typer) -> None:
    app.add_typer(plan, name="plan")
