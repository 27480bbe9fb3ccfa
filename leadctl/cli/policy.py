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
                       layout.header("set"): _("{at} by {by}").format(at=data["set_at"], by=data["set_by"] or "(init)"),
                       **{f"first_contact.{k}": v for k, v in data["first_contact"].items()},
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


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="policy")
