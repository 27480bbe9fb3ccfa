"""Moving a lead: DCC invitations, arrival, handover, transfers and the daily sweep."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Adds this module's commands to the root app (filled in as the commands land)."""
