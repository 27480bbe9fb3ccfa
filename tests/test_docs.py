"""Every command has help and appears in the README's command reference."""

import re
from pathlib import Path

import pytest
from typer._click import Context
from typer.main import get_command

from leadctl.cli import COMMANDS, app
from leadctl.errors import ExitCode

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def commands(group=None, prefix=""):
    """Every command, asked of each group as the command line does (leadctl's root loads its modules lazily)."""
    group = group or get_command(app)
    ctx = Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"`leadctl {prefix}{name}` is listed but does not load"
        if hasattr(command, "commands"):
            yield from commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_listed_command_loads_with_its_subcommands():
    """The root lists COMMANDS without loading them (test_fast_start checks that map against the modules):
    each must load, and the groups bring their subcommands, or the test below would check too little."""
    names = [name for name, _ in commands()]
    assert {name.split()[0] for name in names} == set(COMMANDS)
    assert len(names) > len(COMMANDS)  # staff, policy, defeat, order... have subcommands


@pytest.mark.parametrize("name, command", list(commands()))
def test_every_command_has_help_and_is_documented(name, command):
    assert command.help and len(command.help) > 10, f"{name} has no help"
    assert f"leadctl {name}" in README, f"README does not document `leadctl {name}`"
    for param in command.params:
        if param.name not in ("help",) and getattr(param, "param_type_name", "") == "option":
            assert param.help, f"{name} {param.opts} has no help"


def test_readme_documents_every_exit_code():
    for code in ExitCode:
        assert re.search(rf"^\|\s*{int(code)}\s*\|", README, re.M), f"exit code {int(code)} not in README"


def test_readme_opens_with_the_two_commands():
    head = "\n".join(README.splitlines()[:20])
    assert "make demo" in head and "make test" in head


def test_make_demo_talks_to_the_store_in_chinese():
    """`make demo` is run by the store's people: what it says while it works is Chinese, not English."""
    makefile = (Path(__file__).parent.parent / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    said = re.findall(r'@echo "([^"]*)"', demo)
    assert said, "the demo says what it is doing while the year loads"
    for text in said:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not re.search(r"[A-Za-z]{2,}", text), text
