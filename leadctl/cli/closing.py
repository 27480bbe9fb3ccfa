"""Closing a lead: defeat (request, verify, approve, reject), lost control, reactivation, orders, delivery."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds this module's commands to the root app (filled in as the commands land)."""
