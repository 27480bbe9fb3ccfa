"""The command line: a thin adapter. Parse, open, one service call, render; errors mapped in one place."""

from __future__ import annotations

import functools
import importlib
import math
import signal
import sqlite3
import sys
from difflib import get_close_matches
from pathlib import Path

import typer
import typer.core
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from leadctl.cli import context, output, placeholders
from leadctl.errors import BadInput, ExitCode, LeadctlError, UsageError
from leadctl.i18n import _
from leadctl.rules import text
from leadctl.rules.phone import mask_in
from leadctl.store.db import BUSY_TIMEOUT_MS, corruption, default_path, translate

# each command's module (leadctl/cli/<module>.py, whose register() adds it), in the order --help lists them. A
# command imports its own module only: start-up does not pay for the other commands and their services.
COMMANDS: dict[str, str] = {
    "init": "setup", "replay": "setup",
    "intake": "leads", "grade": "leads", "followup": "leads", "show": "leads",
    "due": "due",
    "invite": "moves", "arrive": "moves", "handover": "moves", "invitations": "moves", "handovers": "moves",
    "lost": "closing", "reactivate": "closing", "deliver": "closing",
    "merge": "manage", "fleet": "manage", "review": "manage",
    "report": "report",
    "import": "data_in",
    "export": "data_out", "check": "data_out", "backup": "data_out", "restore": "data_out", "purge": "data_out",
    "staff": "staff", "policy": "policy", "transfer": "moves", "defeat": "closing", "order": "closing",
    "complaint": "complaints", "collisions": "manage", "vehicle": "vehicles",
    "login": "staff", "serve": "serve",
    "owners": "owners",
    "plan": "plan", "week": "week", "checks": "week",
    "assign": "pool", "duty": "pool",
    "edit": "card", "visit": "card", "find": "find", "leads": "find",
}


class _Group(TyperGroup):
    """Loads each command's module when the command is asked for, and turns every expected error into one
    stderr line and its exit code; a traceback means a bug."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in self.commands and name in COMMANDS:
            holder = typer.Typer(rich_markup_mode=app.rich_markup_mode, pretty_exceptions_enable=False)
            importlib.import_module(f"leadctl.cli.{COMMANDS[name]}").register(holder)
            for each, command in typer.main.get_group(holder).commands.items():
                self.add_command(_speak(_guarded(command), each), each)
        return super().get_command(ctx, name)

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except ClickUsageError as exc:  # Typer suggests from the loaded commands only: offer them all
            near = get_close_matches(args[0], list(COMMANDS)) if args and "Did you mean" not in exc.message else []
            if near:
                exc.message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, near))}?"
            raise

    def main(self, args=None, *rest, **kwargs):
        argv = sys.argv[1:] if args is None else list(args)
        _speak(self)
        try:
            _readable(argv)
            socket = context.transport(argv)
        except LeadctlError as exc:
            output.say(output.error_line(exc))
            sys.exit(int(exc.code))
        if socket is not None:  # the store service runs the command; this process only carries it
            from leadctl.server.client import run

            sys.exit(run(socket, argv))
        try:
            return super().main(args, *rest, **kwargs)
        except ClickUsageError as exc:  # only reached with standalone_mode=False
            exc.message = mask_in(exc.message)
            raise
        finally:  # the command is over: a Ctrl-C now, while Python exits, has nothing left to stop (the process's
            if args is None:  # own run only, not a caller's in-process one)
                signal.signal(signal.SIGINT, signal.SIG_IGN)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as exc:
            self._usage(exc)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except LeadctlError as exc:
            self._fail(exc)
        except sqlite3.Error as exc:
            self._fail(translate(exc, getattr(ctx.obj, "db", "database")))
        except ClickUsageError as exc:
            self._usage(exc)
        except (KeyboardInterrupt, typer.Abort) as exc:  # Abort: Ctrl-C or Ctrl-D at a prompt, as click says it
            # the store's transaction has rolled back by now, unless it had committed; a prompt leaves its line open
            output.say(("\n" if isinstance(exc, typer.Abort) else "") + _("interrupted: what was not yet saved was "
                                                                           "rolled back"))
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except typer.Exit:
            raise
        except Exception:
            damage = corruption(getattr(ctx.obj, "db", None))
            if damage is None:
                raise
            self._fail(damage)
        finally:
            _notices()

    @staticmethod
    def _usage(exc: ClickUsageError):
        """Click's usage error as one line (cli/usage.py), exit 2; a group called bare still shows its help."""
        if isinstance(exc, NoArgsIsHelpError) or exc.ctx is not None and exc.ctx.resilient_parsing:
            exc.message = mask_in(exc.message)
            raise exc
        from leadctl.cli import usage

        output.say(usage.line(exc))  # never echoes a customer's phone number back in full
        raise typer.Exit(int(exc.exit_code))

    @staticmethod
    def _fail(exc: LeadctlError):
        output.say(output.error_line(exc))
        raise typer.Exit(int(exc.code))


typer.core._ = _  # Typer's own words ("Options", "required"...) from leadctl's catalog


def _speak(command, path: str = ""):
    """The command's help texts in the run's language (`path`: the command as typed, `staff add`). They are written
    in English (docstrings, `help=`) and translated here, when the command line is built, so that
    scripts/catalogs.py collects them as --help shows them."""
    if getattr(command, "spoken", False):
        return command
    command.spoken = True
    for name, sub in getattr(command, "commands", {}).items():
        _speak(sub, f"{path} {name}".strip())
    command.help = _(command.help) if command.help else command.help
    if command.options_metavar == "[OPTIONS]":
        command.options_metavar = _("[OPTIONS]")
    if getattr(command, "subcommand_metavar", None) == "COMMAND [ARGS]...":
        command.subcommand_metavar = _("COMMAND [ARGS]...")
    command.format_usage = functools.partial(_usage_line, command)
    command.context_class = _Context  # --help filled by terminal cells: Chinese fits 80 columns
    command.get_short_help_str = functools.partial(_short_help, command)
    command.short_help = _(command.short_help) if command.short_help else command.short_help
    for param in command.params:
        if getattr(param, "help", None):
            param.help = _(param.help)
        placeholders.name(path, param)
    made = command.get_help_option

    def help_option(ctx):
        option = made(ctx)
        if option is not None and option.help:
            option.help = _(option.help)
        return option

    command.get_help_option = help_option
    return command


class _Context(Context):
    def make_formatter(self):
        """Click's help formatter measured in terminal cells (cli/helptext.py), loaded only for a help page."""
        from leadctl.cli.helptext import CellFormatter

        return CellFormatter(width=self.terminal_width, max_width=self.max_content_width)


def _short_help(command, limit: int = 45) -> str:
    """A command's line in its group's --help: its help's first sentence, cut to the cells left for it."""
    from leadctl.cli.helptext import short

    return short(command.short_help or command.help, limit)


def _usage_line(command, ctx, formatter) -> None:
    """--help's first line, `Usage: leadctl due [OPTIONS]`, in the run's language. A group's default command
    (cli/groups.py) is typed without its name: `leadctl transfer [OPTIONS] {LEAD}`."""
    path = ctx.command_path.rsplit(" ", 1)[0] if command.hidden else ctx.command_path
    formatter.write_usage(path, " ".join(command.collect_usage_pieces(ctx)), prefix=_("Usage: "))


def _notices() -> None:
    """What the run found that a person should hear once, after its output (a year without statutory holidays)."""
    deadlines = sys.modules.get("leadctl.rules.deadlines")  # asked only if the command used working days
    for line in deadlines.notices() if deadlines else ():
        from leadctl.cli.findings import holidays

        output.say(_("leadctl: note: {line}").format(line=holidays(line)))


MAX_BUSY_SECONDS = 3600
SQLITE_INT = 2**63 - 1  # the largest whole number a database column holds


def _readable(argv: list[str]) -> None:
    """Arguments a terminal sent in another encoding than UTF-8 (GBK...) arrive as lone surrogates: refused
    before anything reads them, without echoing them."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            after = f" (after {argv[i - 1]})" if i and argv[i - 1].startswith("-") and argv[i - 1].isascii() else ""
            raise BadInput(_("argument {value}{after} is not UTF-8 text").format(value=i + 1, after=after),
                           _("set the terminal (or the script) to UTF-8 and type it again")) from None


def _label(param) -> str:
    return param.opts[0] if param.param_type_name == "option" else (param.metavar or param.name.upper())


def check_value(label: str, value) -> None:
    """One option's value as a command receives it: text without control characters, finite numbers that fit
    a database column. Every command's options pass here (see _guarded)."""
    if isinstance(value, str):
        text.check(value, label)
    elif isinstance(value, list | tuple):
        for each in value:
            check_value(label, each)
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int) and abs(value) > SQLITE_INT:
        raise BadInput(
            _("{label} is out of range ({len} digits)").format(label=label, len=len(str(abs(value)))),
            _("give a realistic number"),
        )
    elif isinstance(value, float) and not math.isfinite(value):
        raise BadInput(_("{label} {value} is not a number").format(label=label, value=value), _("give a finite number"))


def _guarded(command):
    """The command (and a group's subcommands) with every option checked by check_value before it runs."""
    for sub in getattr(command, "commands", {}).values():
        _guarded(sub)
    callback = command.callback
    if callback is None or getattr(callback, "guarded", False):
        return command
    labels = {param.name: _label(param) for param in command.params}

    @functools.wraps(callback)
    def run(*args, **params):
        for name, value in params.items():
            if name in labels:
                check_value(labels[name], value)
        return callback(*args, **params)

    run.guarded = True
    command.callback = run
    return command


app = typer.Typer(
    cls=_Group,
    name="leadctl",
    help="Closed-loop sales-lead management for a car dealership (4S store), over one SQLite file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def root(
    ctx: typer.Context,
    db: Path = typer.Option(None, "--db", envvar="LEADCTL_DB", show_default=str(default_path()), help="Database file."),
    actor: str = typer.Option(None, "--as", envvar="LEADCTL_USER", help="Staff member acting (recorded on changes)."),
    now: str = typer.Option(None, "--now", envvar="LEADCTL_NOW", help="The clock, ISO 8601 (tests, backfills)."),
    busy_timeout: float = typer.Option(BUSY_TIMEOUT_MS / 1000, "--busy-timeout", envvar="LEADCTL_BUSY_TIMEOUT",
                                       help="Seconds to wait for a busy database before exit 75."),
) -> None:
    check_value("--as", actor)
    check_value("--now", now)
    if not (math.isfinite(busy_timeout) and 0 <= busy_timeout <= MAX_BUSY_SECONDS):
        raise UsageError(
            _("--busy-timeout {busy_timeout} is out of range").format(busy_timeout=busy_timeout),
            _("give the seconds to wait, 0 to {MAX_BUSY_SECONDS}").format(MAX_BUSY_SECONDS=MAX_BUSY_SECONDS),
        )
    ctx.obj = context.build(ctx, db, actor, now, int(busy_timeout * 1000))


