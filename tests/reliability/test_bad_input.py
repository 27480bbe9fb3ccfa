"""Bad input through the real `leadctl` process: one stderr line, the documented exit code, nothing changed.

Customer text on the screens (markup, links, escape sequences), control characters and non-UTF-8 bytes in
options, dates at the ends of the calendar, numbers no column holds, files without a size (/dev/zero) or that
inflate (zip bombs), and input a database constraint refused as if the file were damaged.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import zipfile
from pathlib import Path

import pytest

from leadctl.errors import ExitCode
from tests.reliability.conftest import (
    LEADCTL,
    MANAGER,
    child_env,
    fingerprint,
    one_line_error,
    register,
    run_cli,
    scalar,
)

PHONE = "13800138000"


def refused(db: Path, *args: str, code: int, actor: str | None = MANAGER, **kw) -> str:
    """Run a command that must fail with `code`, one line, and leave the database as it was."""
    before = fingerprint(db)
    result = run_cli(db, *args, actor=actor, **kw)
    assert result.returncode == code, (args, result.returncode, result.stderr)
    line = one_line_error(result)
    assert fingerprint(db) == before, f"{args} changed the database"
    return line


def set_policy(db: Path, tmp_path: Path, toml: str) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(toml, encoding="utf-8")
    assert run_cli(db, "policy", "set-file", str(path), actor=MANAGER).returncode == 0


# -- item 15: customer text on the screens ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["[/]", "[link=https://evil.example]点我[/link]", "[bold red]王[/]"])
def test_markup_in_a_name_is_shown_as_text(store_db, name):
    done = run_cli(store_db, "intake", "--name", name, "--phone", PHONE)
    assert done.returncode == 0, done.stderr
    for args in (["due", "--all"], ["show", PHONE]):
        result = run_cli(store_db, *args, actor=MANAGER, env=child_env(COLUMNS="300"))
        assert result.returncode == 0, result.stderr
        assert name in result.stdout
        assert "\x1b]8;" not in result.stdout  # no terminal hyperlink


def test_an_escape_sequence_already_stored_never_reaches_the_terminal(store_db):
    register(store_db, PHONE)
    conn = sqlite3.connect(store_db)
    with conn:  # a row written before control characters were refused
        conn.execute("UPDATE leads SET name = ?", ("刘\x1b[2J\x1b]8;;https://evil.example\x07洋",))
    conn.close()
    for args in (["due", "--all"], ["show", PHONE]):
        result = run_cli(store_db, *args, actor=MANAGER)
        assert result.returncode == 0, result.stderr
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert "刘" in result.stdout


@pytest.mark.parametrize("args", [
    ["intake", "--name", "刘\x1b[31m洋", "--phone", PHONE],
    ["intake", "--name", "刘洋", "--phone", PHONE, "--model", "迈腾\x08"],
    ["staff", "add", "李\x1b]8;;x\x07娜", "--role", "consultant"],
    ["complaint", "new", "--phone", PHONE, "--channel", "phone", "--kind", "service", "--summary", "a\rb"],
    ["intake", "--name", "\u202e洋刘", "--phone", PHONE],  # a right-to-left override
])
def test_control_characters_in_any_text_option_are_refused(store_db, args):
    line = refused(store_db, *args, code=ExitCode.DATA)
    assert "control character U+" in line


def test_a_control_character_in_a_followup_result_is_refused(store_db):
    lead = register(store_db, PHONE, owner="李娜")["lead_id"]
    line = refused(store_db, "followup", str(lead), "--result", "接通\x1b[8m", code=ExitCode.DATA, actor="李娜")
    assert "--result" in line


def test_arguments_that_are_not_utf8_are_refused_in_one_line(store_db):
    """A terminal set to GBK sends bytes Python cannot read as UTF-8 (46 lines of traceback before)."""
    before = fingerprint(store_db)
    args = [str(LEADCTL), "--db", str(store_db), "--as", "张前台", "intake", "--name", "刘洋".encode("gbk"),
            "--phone", PHONE]
    result = subprocess.run(args, capture_output=True, env=child_env(), timeout=30)
    assert result.returncode == ExitCode.DATA
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err and err.count("\n") == 1 and "not UTF-8" in err
    assert fingerprint(store_db) == before


def test_imported_cells_lose_their_control_characters_with_a_warning(store_db, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text('客户姓名,手机号码,客户来源\n"刘\x1b[2J洋\n先生",13800138000,展厅\n', encoding="utf-8")
    result = run_cli(store_db, "import", str(path), actor=MANAGER)
    assert result.returncode == 0, result.stderr
    assert "warning: control characters removed from 1 row(s)" in result.stderr
    assert scalar(store_db, "SELECT name FROM leads") == "刘[2J洋 先生"


# -- item 17: one line, never a traceback ----------------------------------------------------------------------------
@pytest.mark.parametrize("args, code", [
    (["--now", "0001-01-01", "due", "--all"], ExitCode.USAGE),
    (["--now", "9999-12-31T23:59", "due", "--all"], ExitCode.USAGE),
    (["due", "--all", "--on", "9999-12-31"], ExitCode.DATA),
    (["due", "--all", "--on", "0001-01-01"], ExitCode.DATA),
    (["report", "traffic", "--month", "9999-12"], ExitCode.DATA),
    (["report", "daily", "--month", "0001-01"], ExitCode.DATA),
    (["report", "kpi", "--from", "9999-12-01"], ExitCode.DATA),
    (["report", "traffic", "--week", "9999-W52"], ExitCode.DATA),
    (["invite", PHONE, "--on", "9999-12-31T10:00"], ExitCode.DATA),
    (["followup", PHONE, "--result", "ok", "--next", "9999-12-31"], ExitCode.DATA),
    (["--busy-timeout", "nan", "due", "--all"], ExitCode.USAGE),
    (["--busy-timeout", "inf", "due", "--all"], ExitCode.USAGE),
    (["--busy-timeout", "-1", "due", "--all"], ExitCode.USAGE),
    (["defeat", "request", PHONE, "--reason", "price", "--price", str(2**70)], ExitCode.DATA),
    (["lost", PHONE, "--attempts", "1e30"], ExitCode.USAGE),
    (["lost", PHONE, "--attempts", str(2**70)], ExitCode.DATA),
    (["intake", "--phone", "13900139000", "--party", str(2**70)], ExitCode.DATA),
])
def test_values_at_the_ends_of_the_range_give_one_line(store_db, args, code):
    register(store_db, PHONE, owner="李娜")
    result = run_cli(store_db, *args, actor=MANAGER)
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    if not result.stderr.startswith(("Usage:", "Error")):  # click's own usage text for a value it cannot parse
        one_line_error(result)


def test_a_codec_that_is_not_a_text_encoding_is_a_usage_error(store_db, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_text("客户姓名,手机号码,客户来源\n刘洋,13800138000,展厅\n", encoding="utf-8")
    line = refused(store_db, "import", str(path), "--encoding", "rot13", code=ExitCode.USAGE)
    assert "--encoding" in line


def test_an_import_reads_no_more_than_the_policys_file_size(store_db, tmp_path):
    """/dev/zero has no size: it grew to 7.5 GB before a MemoryError."""
    set_policy(store_db, tmp_path, "[import]\nmax_file_mb = 2\n")
    line = refused(store_db, "import", "/dev/zero", code=ExitCode.DATA, timeout=60)
    assert "import.max_file_mb" in line
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("客户姓名,手机号码,客户来源\n")
        handle.write("刘洋,13800138000,展厅\n" * 120_000)
    assert big.stat().st_size > 2 * 2**20
    assert "import.max_file_mb" in refused(store_db, "import", str(big), code=ExitCode.DATA)


def test_the_preset_limits_an_import_to_200_mb(store_db):
    result = run_cli(store_db, "policy", "show", "--json", actor=MANAGER)
    assert '"max_file_mb": 200' in result.stdout


def test_an_xlsx_that_inflates_past_the_limit_is_refused_before_it_is_inflated(store_db, tmp_path):
    set_policy(store_db, tmp_path, "[import]\nmax_inflated_mb = 1\n")
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (3 * 2**20) + b"/>")
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(data.getvalue())
    assert path.stat().st_size < 100_000
    line = refused(store_db, "import", str(path), code=ExitCode.DATA)
    assert "import.max_inflated_mb" in line


# -- item 18: input errors are 2 or 65, never 74 ---------------------------------------------------------------------
def test_grading_a_visitor_who_left_no_phone_is_bad_input(store_db):
    done = run_cli(store_db, "intake", "--no-contact", "--json")
    assert done.returncode == 0, done.stderr
    lead = scalar(store_db, "SELECT id FROM leads WHERE phone IS NULL")
    line = refused(store_db, "grade", str(lead), "A", code=ExitCode.DATA)
    assert "no phone" in line


@pytest.mark.parametrize("start", ["garbage", "2026-02-30", "0001-01-01"])
def test_export_from_a_day_that_is_no_date_is_bad_input(store_db, start):
    register(store_db, PHONE)
    assert "--from" in refused(store_db, "export", "leads", "--from", start, "--json", code=ExitCode.DATA)


def test_export_to_a_day_that_is_no_date_is_bad_input(store_db):
    assert "--to" in refused(store_db, "export", "leads", "--to", "2026-13-01", "--json", code=ExitCode.DATA)


def test_a_blank_staff_name_is_bad_input(store_db):
    assert "needs a name" in refused(store_db, "staff", "add", "  ", "--role", "consultant", code=ExitCode.DATA)
