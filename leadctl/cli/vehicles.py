"""The store's vehicle list: add, list, import (what an order by VIN takes its brand, series and model from)."""

from __future__ import annotations

from pathlib import Path

import typer

from leadctl.cli import context, output
from leadctl.i18n import _
from leadctl.services import vehicles as service

app = typer.Typer(help="The store's vehicle list: what a VIN, or its start, is (for orders by VIN).",
                  no_args_is_help=True)
JSON = typer.Option(False, "--json", help="Print the result as JSON.")


@app.command("add")
def add(
    ctx: typer.Context,
    prefix: str = typer.Argument(..., help="A VIN, or its first characters (e.g. LFV3A28H)."),
    brand: str = typer.Option(..., "--brand", help="Brand (品牌)."),
    series: str = typer.Option(..., "--series", help="Series (车系)."),
    model: str = typer.Option(..., "--model", help="Model (车型)."),
    config: str = typer.Option(None, "--config", help="Configuration (配置)."),
    replace: bool = typer.Option(False, "--replace", help="Change a line already listed (recorded)."),
    as_json: bool = JSON,
) -> None:
    """Add a line to the store's vehicle list (manager): VINs starting so are this brand, series and model."""
    line = service.entry(prefix, brand, series, model, config)
    done = context.call(ctx, service.add, line, replace)
    output.done(
        done,
        as_json,
        _("{prefix}: {brand} {series} {model}{value}").format(
            prefix=done["prefix"],
            brand=done["brand"],
            series=done["series"],
            model=done["model"],
            value=" (replaced " + done["replaced"]["model"] + ")" if done["replaced"] else "",
        ),
    )


@app.command("list")
def listing(
    ctx: typer.Context,
    as_json: bool = JSON,
    as_csv: bool = typer.Option(False, "--csv", help="Print as CSV."),
) -> None:
    """List the store's vehicle list."""
    with context.get(ctx).store() as store:
        rows = service.listing(store)
    output.listing(rows, service.COLUMNS, _("Vehicles"), as_json, as_csv)


@app.command("import")
def import_(
    ctx: typer.Context,
    path: Path = typer.Argument(..., help="CSV with VIN, 品牌, 车系, 车型 and 配置 columns."),
    as_json: bool = JSON,
) -> None:
    """Import the vehicle list from a CSV (manager), all lines or none; listed VINs are updated."""
    done = context.call(ctx, service.import_file, path)
    output.done(
        done,
        as_json,
        _("{file}: {new} new, {updated} updated, {unchanged} unchanged, of {read} lines").format(
            file=done["file"], new=done["new"], updated=done["updated"], unchanged=done["unchanged"], read=done["read"]
        ),
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="vehicle")
