"""What every command receives from the root options: the database, who is acting, and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import typer

from leadctl.services import staff
from leadctl.store.db import Store


@dataclass(frozen=True)
class Context:
    db: Path
    actor: str | None
    now: datetime
    busy_timeout_ms: int

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store.open(self.db, self.busy_timeout_ms)
        try:
            staff.identify(store, self.now, self.actor)  # an unknown or deactivated --as is refused everywhere
            yield store
        finally:
            store.close()


def get(ctx: typer.Context) -> Context:
    return ctx.find_root().obj


def call(ctx: typer.Context, service, *args, **kwargs):
    """Open the database, run one service as the acting staff member at the run's clock, close it."""
    c = get(ctx)
    with c.store() as store:
        return service(store, c.now, c.actor, *args, **kwargs)
