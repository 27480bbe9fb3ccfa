"""A command group that also acts as a command: `leadctl order LEAD ...` beside `leadctl order cancel ID`."""

from __future__ import annotations

import typer
from typer.core import TyperGroup


def default_group(default: str) -> type[TyperGroup]:
    """A group class whose first argument, when it is no subcommand's name, goes to `default`."""

    class DefaultGroup(TyperGroup):
        def parse_args(self, ctx, args):
            if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
                args = [default, *args]
            return super().parse_args(ctx, args)

    return DefaultGroup


def typer_group(default: str, help: str) -> typer.Typer:
    """A Typer sub-app whose hidden `default` command takes arguments that name no subcommand."""
    return typer.Typer(cls=default_group(default), help=help, no_args_is_help=True)
