"""Dates as the store's staff type and read them, through the real CLI: every date option takes the same forms
(rules/dates.py) with one exit code for a bad one (65); dates show without this year, with the year for a whole
column when any of its rows needs it; `show` fits 80 columns. NOW is Tuesday 2026-11-24."""

from __future__ import annotations

import re

import pytest

from leadctl.cli import layout
from leadctl.errors import ExitCode
from tests.conftest import SAMPLE_NOW, intake, sample_year


@pytest.fixture
def lead(cli):
    intake(cli, "13800138000", owner="李娜", arrived="2026-11-20T10:00")
    return "1"


@pytest.mark.parametrize("typed", ["2026-11-25", "11月25日", "11月25日 周三", "11-25", "11/25", "2026年11月25日",
                                   "2026/11/25", "１１月２５日", "１１－２５"])
def test_a_next_contact_in_every_form(cli, lead, typed):
    cli.json("followup", lead, "--result", "约周三到店", "--next", typed, actor="李娜")
    assert cli.scalar("SELECT planned_on FROM leads WHERE id = 1") == "2026-11-25"


def test_a_next_contact_without_its_year_is_the_coming_one(cli, lead):
    cli.json("followup", lead, "--result", "年后再联系", "--next", "1月5日", actor="李娜")
    assert cli.scalar("SELECT planned_on FROM leads WHERE id = 1") == "2027-01-05"


def test_a_wrong_weekday_is_refused_and_nothing_changes(cli, lead):
    before = cli.fingerprint()
    result = cli("followup", lead, "--result", "x", "--next", "11月25日 周四", actor="李娜", code=ExitCode.DATA)
    line = result.stderr.strip()
    assert "\n" not in line and "2026-11-25" in line and "Wed" in line and "Thu" in line
    assert cli.fingerprint() == before


def test_a_past_moment_without_its_year_is_this_years(cli, lead):
    cli.json("grade", lead, "A", "--at", "11-23 08:30", actor="李娜")
    assert cli.scalar("SELECT at FROM grades ORDER BY id DESC LIMIT 1") == "2026-11-23T08:30:00"


def test_an_invitation_day_and_time_in_chinese(cli):
    intake(cli, "13900139000", channel="web", actor="赵电销")
    cli.json("invite", "13900139000", "--on", "11月27日 10:00", actor="赵电销")
    assert cli.scalar("SELECT expected_at FROM invitations") == "2026-11-27T10:00:00"


BAD = "13月1日"
COMMANDS = {  # every date option of every command, with a day it cannot read
    "followup --next": ("followup", "1", "--result", "x", "--next", BAD),
    "followup --at": ("followup", "1", "--result", "x", "--at", BAD),
    "grade --at": ("grade", "1", "A", "--at", BAD),
    "intake --arrived": ("intake", "--name", "刘洋", "--phone", "13700137000", "--arrived", BAD),
    "invite --on": ("invite", "1", "--on", BAD),
    "handover --expected": ("handover", "1", "--to", "陈刚", "--expected", BAD),
    "due --on": ("due", "--on", BAD),
    "invitations --from": ("invitations", "--from", BAD),
    "handovers --to": ("handovers", "--to", BAD),
    "leads --since": ("leads", "--since", BAD),
    "owners --delivered-from": ("owners", "--delivered-from", BAD),
    "order delivery-on": ("order", "delivery-on", "1", BAD),
    "duty set --off": ("duty", "set", "李娜", "--off", BAD),
    "duty list --on": ("duty", "list", "--on", BAD),
    "export --from": ("export", "leads", "--from", BAD, "--json"),
    "report --from": ("report", "funnel", "--from", BAD, "--to", "2026-11-24"),
    "visit amend --arrived": ("visit", "amend", "1", "--reason", "录错", "--arrived", BAD),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_bad_date_is_one_line_exit_65_and_names_the_forms(cli, lead, name):
    before = cli.fingerprint()
    result = cli(*COMMANDS[name], actor="王经理", code=ExitCode.DATA)
    line = result.stderr.strip()
    assert "\n" not in line and BAD in line and "2026/11/25" in line and "11-25" in line
    assert cli.fingerprint() == before


def test_the_error_names_the_forms_in_chinese(cli, lead, zh):
    line = cli("due", "--on", "下周", actor="李娜", code=ExitCode.DATA).stderr.strip()
    assert "\n" not in line and "2026年11月25日" in line and "11月25日" in line


# the screens, on the sample year (a store's whole year, some leads from last year)
@pytest.fixture(scope="module")
def year(sample_year_file, tmp_path_factory):
    return sample_year(sample_year_file, tmp_path_factory.mktemp("dates") / "year.db")


def _cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


DAY_SPLIT = re.compile(r"(\d+月|\d{4}年)$")  # a line ending in the middle of a date


def _long_history(year) -> list[int]:
    return [r[0] for r in year.query("SELECT lead_id FROM followups GROUP BY lead_id ORDER BY count(*) DESC LIMIT 3")]


def test_show_fits_80_columns_on_long_histories(year, monkeypatch, zh):
    monkeypatch.setenv("COLUMNS", "80")
    for lead_id in _long_history(year) + [122]:
        lines = year("show", str(lead_id), actor="张建国", now=SAMPLE_NOW).stdout.splitlines()
        assert len(lines) > 30  # a long history, wrapped
        assert max(map(_cells, lines)) <= 80, lead_id
        assert not [line for line in lines if DAY_SPLIT.search(line.rstrip())], lead_id


def test_a_history_shows_its_times_as_one_column(year, monkeypatch, zh):
    monkeypatch.setenv("COLUMNS", "80")
    shown = year("show", "122", actor="张建国", now=SAMPLE_NOW).stdout  # registered in 2025, due in 2026
    follow = shown.split("\n\n")[3].splitlines()[1:]
    assert all(line.startswith("  2025年") or line.startswith(" " * 10) for line in follow)
    assert "下次跟进  2026-01-29" in shown  # a field of this year among last year's: with its year too


def test_a_column_shows_the_year_on_every_row_when_any_needs_it(year, monkeypatch, zh):
    monkeypatch.setenv("COLUMNS", "200")
    rows = year.json("leads", "--owner", "李明", "--limit", "4", actor="张建国", now=SAMPLE_NOW)
    assert rows[0]["created_at"].startswith("2025") and rows[1]["created_at"].startswith("2026")
    table = year("leads", "--owner", "李明", "--limit", "4", actor="张建国", now=SAMPLE_NOW).stdout
    for row in rows:
        assert f"{row['created_at'][:10]} {row['created_at'][11:16]}" in table
        assert layout.day(__import__("datetime").date.fromisoformat(row["next_due"]),
                          __import__("datetime").date(2026, 11, 20), table=True) in table  # all this year's
