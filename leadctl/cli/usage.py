"""The command line's own usage errors (an unknown option, a missing argument, a value of the wrong type...) as
leadctl says every user's mistake: one line on stderr, what is wrong and what to do, in the run's language, exit 2.
Click (vendored by Typer) writes these messages as English f-strings, not through gettext: they are rebuilt here
from what the exception holds."""

from __future__ import annotations

import re

from leadctl.i18n import N_, _, reworded

# the messages Click and Typer write as text (parser.py, core.py), and pydantic's for a value of the wrong type
_TEXTS = (
    (re.compile(r"Got unexpected extra argument(?:\(s\))? \((?P<args>.*)\)"),
     N_("Got unexpected extra argument(s) ({args})")),
    (re.compile(r"Option (?P<option>'[^']*') requires an argument\."), N_("Option {option} requires an argument")),
    (re.compile(r"Option (?P<option>'[^']*') requires (?P<n>\d+) arguments\."),
     N_("Option {option} requires {n} arguments")),
    (re.compile(r"Option (?P<option>'[^']*') does not take a value\."), N_("Option {option} does not take a value")),
    (re.compile(r"Argument (?P<name>'[^']*') takes (?P<n>\d+) values\."), N_("Argument {name} takes {n} values")),
    (re.compile(r"(?P<message>.*?)\.? ?Did you mean (?P<names>.+)\?"), N_("{message} Did you mean {names}?")),
)
_PROBLEMS = (  # why a value is refused (pydantic's words, or Typer's)
    (re.compile(r"Input should be a valid integer.*"), N_("a whole number is wanted")),
    (re.compile(r"Input should be a valid number.*"), N_("a number is wanted")),
    (re.compile(r"Input should be a valid boolean.*"), N_("yes or no is wanted")),
    (re.compile(r"Input should be a valid (date|datetime).*"), N_("a date is wanted")),
    (re.compile(r"Input should be (?P<choices>'.*')"), N_("it should be one of {choices}")),
    (re.compile(r"(?P<value>'.*') is not one of (?P<choices>.*)\."), N_("{value} is not one of {choices}")),
    (re.compile(r"Value (?P<value>'.*') is not a valid \w+\."), N_("{value} is not a valid value")),
    (re.compile(r"(File|Directory|Path) (?P<path>'.*') does not exist\."), N_("{path} does not exist")),
)
_UNKNOWN = N_("a value it cannot read")


def _translated(table, text: str, fallback: str | None = None) -> str:
    shown = reworded(table, text.strip())
    if shown is not None:
        return shown
    return fallback if fallback is not None else _(text)


def _hint(exc) -> str | None:
    """The parameter the error is about: `'--to'`, `'LEAD'`."""
    if getattr(exc, "param_hint", None) is not None:
        hint = exc.param_hint
        return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)
    param = getattr(exc, "param", None)
    return param.get_error_hint() if param is not None else None


def message(exc) -> str:
    """What is wrong, in the run's language (under en, Click's own words)."""
    from typer._click import exceptions as click

    from leadctl.i18n import zh

    if not zh():
        return " ".join(exc.format_message().split()).rstrip(".")
    if isinstance(exc, click.NoSuchOption):
        text = _("No such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            text += _(" (Possible options: {options})").format(options=", ".join(sorted(exc.possibilities)))
        return text
    if isinstance(exc, click.MissingParameter):
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        template = {"option": N_("Missing option {name}"), "argument": N_("Missing argument {name}")}.get(
            kind, N_("Missing parameter {name}"))
        return _(template).format(name=_hint(exc) or "")
    if isinstance(exc, click.BadParameter):
        problem = _translated(_PROBLEMS, exc.message, fallback=_(_UNKNOWN))
        name = _hint(exc)
        return _("Invalid value for {name}: {problem}").format(name=name, problem=problem) if name else \
            _("Invalid value: {problem}").format(problem=problem)
    return _translated(_TEXTS, exc.message)


def line(exc) -> str:
    """`leadctl: what is wrong; see `leadctl check --help``: one line, phone numbers masked."""
    from leadctl.cli import output
    from leadctl.errors import UsageError

    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "leadctl"
    hint = _("see `{command} --help`").format(command=command)
    said = message(exc).rstrip("。.")
    if said.endswith(("?", "？")):  # a question ends its sentence: the hint is the next one, not after a `;`
        from leadctl.i18n import zh

        return output.error_line(UsageError(f"{said}{hint}" if zh() else f"{said} {hint[:1].upper()}{hint[1:]}"))
    return output.error_line(UsageError(said, hint))
