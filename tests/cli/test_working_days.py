"""Complaint deadlines on China's working days, through the CLI: make-up days, statutory holidays, unknown years."""

import json

from leadctl.errors import ExitCode


def callcenter_ticket(cli, received: str) -> None:
    """A call-center ticket received then and answered at once: its next deadline is the customer contact."""
    cli("complaint", "new", "--phone", "13800138000", "--channel", "callcenter", "--kind", "service",
        "--summary", "400投诉单", actor="张前台", now=received)
    cli("complaint", "reply", "1", "--text", "已初步回复", actor="孙客服", now=received)


def test_a_make_up_saturday_is_a_working_day(cli):
    callcenter_ticket(cli, "2026-05-08T10:00")  # a Friday; 2026-05-09 is worked in exchange for Labour Day
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("contact", "2026-05-09T10:00:00")]


def test_a_statutory_holiday_the_hand_list_missed_is_a_day_off(cli):
    callcenter_ticket(cli, "2026-04-30T10:00")  # Labour Day: 05-01 to 05-05 off by law
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("contact", "2026-05-06T10:00:00")]


def test_a_year_the_calendar_does_not_know_is_counted_said_once_and_listed_in_check(cli):
    cli("complaint", "new", "--phone", "13800138000", "--channel", "callcenter", "--kind", "service",
        "--summary", "400投诉单", actor="张前台", now="2027-03-05T10:00")  # a Friday of a year not published yet
    done = cli("complaint", "reply", "1", "--text", "已回复", actor="孙客服", now="2027-03-05T10:30")
    notes = [line for line in done.stderr.splitlines() if "leadctl: note" in line]
    assert len(notes) == 1 and "chinesecalendar" in notes[0]
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("contact", "2027-03-08T10:00:00")]
    listed = cli("due", "--all", "--json", actor="王经理", now="2027-03-08T09:00")
    assert sum("leadctl: note" in line for line in listed.stderr.splitlines()) == 1
    assert any(r["reason"].startswith("complaint 1") for r in json.loads(listed.stdout))
    found = json.loads(cli("check", "--json", now="2027-03-08T09:00", code=ExitCode.ATTENTION).stdout)
    assert [y["year"] for y in found["holiday_calendar_unknown_years"]] == [2027]


def test_check_names_next_year_a_month_ahead_and_nothing_when_the_year_is_known(cli):
    assert cli.json("check")["holiday_calendar_unknown_years"] == []
    ahead = json.loads(cli("check", "--json", now="2026-12-15T09:00", code=ExitCode.ATTENTION).stdout)
    assert [y["year"] for y in ahead["holiday_calendar_unknown_years"]] == [2027]
    said = cli("check", now="2026-12-15T09:00", code=ExitCode.ATTENTION).stderr
    assert "Years the statutory holiday calendar does not know: 1" in said and "does not know 2027 yet" in said
