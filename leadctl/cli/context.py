"""What every command receives from the root options: the database, who is acting, and the clock.

Two modes, chosen here and nowhere else: embedded (the CLI opens the file; `--as` is self-declared) and the store
service (the CLI sends its arguments to the service's socket; there, the acting staff member comes from the OS
account that connected). `acting` is the one rule of who acts, in both.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import typer

from leadctl import clock
from leadctl.errors import UsageError
from leadctl.i18n import _
from leadctl.services import staff
from leadctl.store.db import Store


@dataclass(frozen=True)
class Context:
    db: Path
    actor: str | None
    now: datetime
    busy_timeout_ms: int
    peer: int | None = None  # the OS uid asking the store service; None when the CLI opened the file itself

    @contextmanager
    def store(self) -> Iterator[Store]:
        store = Store.open(self.db, self.busy_timeout_ms)
        try:
            if self.peer is None:
                staff.identify(store, self.now, self.actor)  # an unknown or deactivated --as is refused everywhere
            yield store
        finally:
            store.close()


@dataclass(frozen=True)
class Serving:
    """In the store service's child: the database it owns, the peer's uid, and the service's clock."""

    db: Path
    uid: int
    wall: datetime


SERVING: Serving | None = None
_VALUED = frozenset({"--db", "--as", "--now", "--busy-timeout"})  # root options that take a value


def command_of(argv: list[str]) -> str | None:
    """The command word of a command line (after the root options), or None."""
    words = iter(argv)
    for word in words:
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def transport(argv: list[str]):
    """The store service's socket this run sends its command to, or None to open the database here."""
    if SERVING is not None or command_of(argv) == "serve":
        return None
    from leadctl.server.client import configured

    return configured()


def serving(db: Path, uid: int, env: dict[str, str]) -> None:
    """Enter the service's mode for one request: the service's clock is read now (before the client's variables
    apply), and the client's forwarded variables replace the service's own."""
    global SERVING
    from leadctl.server.wire import FORWARDED_ENV

    SERVING = Serving(db, uid, clock.read())
    for key in [k for k in os.environ if k in FORWARDED_ENV or k in ("LEADCTL_DB", "LEADCTL_SOCKET")]:
        del os.environ[key]
    os.environ.update({k: str(v) for k, v in env.items() if k in FORWARDED_ENV})


def admit() -> None:
    """In the service, a command line that names no command (`leadctl`, `leadctl --help`) still needs a bound
    OS account: the same rule as every command, asked without a name."""
    from leadctl.services import identity

    store = Store.open(SERVING.db)
    try:
        identity.acting(store, SERVING.wall, SERVING.wall, SERVING.uid, None, False, "login")
    finally:
        store.close()


def build(ctx: typer.Context, db: Path | None, actor: str | None, now: str | None, busy_ms: int) -> Context:
    """The run's context: embedded, everything as given; in the service, the acting staff member decided by
    `acting` from the peer's uid before any command runs."""
    if SERVING is None:
        from leadctl.store.db import default_path

        return Context(db or default_path(), actor, clock.read(now), busy_ms)
    if db is not None:
        raise UsageError(_("the store service uses its own database"), _("drop --db (and LEADCTL_DB)"))
    when = clock.parse_instant(now, "--now / LEADCTL_NOW") if now else SERVING.wall
    plain = Context(SERVING.db, actor, when, busy_ms, SERVING.uid)
    return Context(SERVING.db, acting(plain, ctx.invoked_subcommand, bool(now)), when, busy_ms, SERVING.uid)


def acting(c: Context, command: str | None = None, clock_given: bool = False) -> str | None:
    """Who acts: embedded, the --as given (checked by `Context.store`); in the service, identity.acting's answer
    from the peer's uid, whose stamp ("admin X for Y", the service's clock) every event of the run records."""
    if c.peer is None:
        return c.actor
    from leadctl.services import identity
    from leadctl.store import audit

    store = Store.open(c.db, c.busy_timeout_ms)
    try:
        who = identity.acting(store, c.now, SERVING.wall, c.peer, c.actor, clock_given, command or "")
    finally:
        store.close()
    audit.STAMP.clear()
    audit.STAMP.update(who.stamp)
    return who.name


def get(ctx: typer.Context) -> Context:
    return ctx.find_root().obj


def call(ctx: typer.Context, service, *args, **kwargs):
    """Open the database, run one service as the acting staff member at the run's clock, close it."""
    c = get(ctx)
    with c.store() as store:
        return service(store, c.now, c.actor, *args, **kwargs)
