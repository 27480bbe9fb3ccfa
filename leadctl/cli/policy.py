"""Policy commands: show, set-file."""

from __future__ import annotations

import typer

from leadctl.cli import context, output
from leadctl.i18n import _
from leadctl.services import policy as service

app = typer.Typer(help="The store's policy: grades, cadences, first-contact rules.", no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """Show the policy in force."""
    with context.get(ctx).store() as store:
        data = service.show(store)
    if as_json:
        output.emit_json(data)
        return
    from leadctl.cli import layout

    source = data.get("source") and _(data["source"])
    output.emit_pairs({layout.header("policy"): data["name"], layout.header("source"): source,
                       layout.header("set"): _("{at} by {by}").format(at=layout.stamp(data["set_at"]) or data["set_at"],
                                                                      by=data["set_by"] or "(init)"),
                       **{f"first_contact.{k}": output.cell(k, v) for k, v in data["first_contact"].items()},
                       "horizon.beyond": data.get("horizon", {}).get("beyond") or "-"})
    # the presets' meanings and sources are in the catalog (scripts/catalogs.py reads them from the TOML)
    rows = [{"grade": g, "meaning": r.get("meaning") and _(r["meaning"]), "horizon_days": r.get("horizon_days"),
             "cadence_days": r.get("cadence_days"),
             "assessment": " + ".join(_(word) for word in data.get("assessment", {}).get(g, []))}
            for g, r in data["grades"].items()]
    output.emit_table(rows, ("grade", "meaning", "horizon_days", "cadence_days", "assessment"), title=_("Grades"))


@app.command("set-file")
def set_file(
    ctx: typer.Context,
    path: str = typer.Argument(..., help="TOML file; overrides the policy in force (or `preset = ...`)."),
) -> None:
    """Change the policy from a TOML file (manager); every open lead is re-planned."""
    new = context.call(ctx, service.set_file, path)
    output.say(_("policy {name} is now in force").format(name=new.name))


@app.command("simulate")
def simulate(
    ctx: typer.Context,
    path: str = typer.Argument(..., help=_("TOML file: the proposed policy (over the policy in force).")),
    start: str = typer.Option(None, "--from", help=_("First day replayed (default: a year before --to).")),
    end: str = typer.Option(None, "--to", help=_("Last day replayed (default: yesterday).")),
    as_json: bool = typer.Option(False, "--json", help=_("Print as JSON, with every day and person.")),
) -> None:
    """Try a policy on the store's past (manager): replay the recorded history under it and under the policy in
    force, per day and person (contacts due, overdue, escalated, workload against the calls-a-day norm); nothing
    is written."""
    from leadctl.rules import dates
    from leadctl.services import simulate as sim

    today = context.get(ctx).now.date()  # the days replayed are past ones
    first = dates.parse_day(start, "--from", today, dates.PAST) if start else None
    last = dates.parse_day(end, "--to", today, dates.PAST) if end else None
    result = context.call(ctx, sim.simulate, path, first, last)
    if as_json:
        output.emit_json(result)
        return
    rows = [{"person": p["person"], **{f"{side}.{k}": p[side][k] for side in ("proposed", "current")
                                       for k in ("due", "overdue", "escalated", "days_over", "days_under")}}
            for p in result["people"]]
    columns = ("person", *(f"{side}.{k}" for k in ("due", "overdue", "escalated", "days_over", "days_under")
                           for side in ("proposed", "current")))
    output.emit_table(rows, columns, title=_("{proposed} vs {current}, {start} .. {end}").format(
        proposed=result["proposed"], current=result["current"], start=result["from"], end=result["to"]))
    summary = result["summary"]
    output.say(_("overloaded by the proposed policy: {people}; on {count} days ({days})").format(
        people=", ".join(summary["overloaded_people"]) or "-", count=len(summary["overloaded_days"]),
        days=", ".join(summary["overloaded_days"][:10]) + (" ..." if len(summary["overloaded_days"]) > 10 else "")))


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="policy")
