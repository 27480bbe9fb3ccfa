"""The hot commands never load pandas, openpyxl or sqlite_utils (checked in a fresh interpreter)."""

import json
import subprocess
import sys

from tests.conftest import intake

HEAVY = ("pandas", "openpyxl", "sqlite_utils")

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
