"""The hot commands never load pandas, openpyxl or sqlite_utils (checked in a fresh interpreter)."""

import json
import subprocess
import sys

from tests.conftest import intake

HEAVY = ("pandas", "openpyxl", "sqlite_utils", "chinese_calendar", "xlsxwriter")

SCRIPT = """
import json, sys
from leadctl.cli import app
runs = json.loads(sys.argv[1])
for args in runs:
    try:
        app(args, standalone_mode=False)
    except SystemExit as exc:
        assert not exc.code, (args, exc.code)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy})))
"""


def test_hot_commands_import_no_heavy_library(cli):
    intake(cli, "13800138000", owner="李娜")
    db = ["--db", str(cli.db), "--now", "2026-11-24T10:00"]
    runs = [
        [*db, "--help"],
        [*db, "--as", "张前台", "intake", "--name", "钱多", "--phone", "13900139000", "--json"],
        [*db, "--as", "李娜", "grade", "1", "A", "--json"],
        [*db, "--as", "李娜", "followup", "1", "--result", "ok", "--json"],
        [*db, "--as", "李娜", "due", "--today", "--json"],
        [*db, "due", "--all"],
        [*db, "show", "1", "--json"],
        [*db, "show", "1"],
    ]
    code = SCRIPT.replace("{heavy}", repr(set(HEAVY)))
    done = subprocess.run([sys.executable, "-c", code, json.dumps(runs)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == []
    assert cli.scalar("SELECT count(*) FROM followups") == 1  # the commands really ran


def test_every_command_is_listed_with_the_module_that_registers_it():
    """leadctl.cli.COMMANDS says which module to import for a command; a command missing from it, or named
    with the wrong module, would be unknown or fail to load."""
    import importlib

    import typer

    from leadctl.cli import COMMANDS

    found = {}
    for module in sorted(set(COMMANDS.values())):
        holder = typer.Typer()
        importlib.import_module(f"leadctl.cli.{module}").register(holder)
        found.update(dict.fromkeys(typer.main.get_group(holder).commands, module))
    assert found == COMMANDS


def test_a_command_loads_its_own_module_and_no_other_commands():
    """Start-up pays for the command that runs: `due` must not import the modules of reports, defeats or
    imports (they were 85 ms of every command's start when all were loaded)."""
    code = ("import sys\nfrom leadctl.cli import app\ntry:\n    app(['due', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('leadctl.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(["leadctl.cli.context", "leadctl.cli.due",
                                                        "leadctl.cli.helptext",  # the help page's formatter
                                                        "leadctl.cli.output",
                                                        "leadctl.cli.placeholders"])  # --help's words: one dict


def test_an_unknown_command_still_suggests_the_near_ones(cli):
    """Typer's suggestions come from the commands already loaded, which lazily is none of them."""
    result = cli("inport", code=2)
    assert "No such command 'inport'. Did you mean 'import'" in result.stderr
