"""The store service: `leadctl serve`."""

from __future__ import annotations

from pathlib import Path

import typer

from leadctl.cli import context
from leadctl.errors import UsageError
from leadctl.i18n import _


def serve(
    ctx: typer.Context,
    socket_path: Path = typer.Option(None, "--socket", help=_("Unix socket to listen on (not needed when systemd"
                                                              " passes one: socket activation).")),
    group: str = typer.Option(None, "--group", help=_("OS group whose members may connect (the socket is 0660).")),
) -> None:
    """Run the store service: own the database and serve the CLI of every OS account the socket lets in."""
    from leadctl.server import listener
    from leadctl.store.db import Store

    c = context.get(ctx)
    Store.open(c.db, c.busy_timeout_ms).close()  # refused now (78, 74...) rather than at the first request
    sock = listener.activated()
    if sock is None:
        if socket_path is None:
            raise UsageError(_("serve needs --socket PATH"), _("or start it from systemd's leadctl.socket"))
        sock = listener.listen(socket_path, group)
    try:
        listener.serve(c.db.resolve(), sock)
    finally:
        sock.close()
        if socket_path is not None:
            socket_path.unlink(missing_ok=True)


def register(root: typer.Typer) -> None:
    root.command("serve")(serve)
