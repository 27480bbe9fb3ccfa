"""A grade is dated now or --at, within a follow-up's bounds; the register's 24-hour grade is the last one given
within 24 hours of the visit, by `grade` as much as by `followup`."""

from leadctl.errors import ExitCode

PHONE = "13900001111"


def _lead(cli, *more):
    return cli.json("intake", "--name", "刘洋", "--phone", PHONE, "--owner", "李娜", "--arrived", "2026-10-20T10:00",
                    *more, actor="张前台", now="2026-10-20T10:05")


def test_a_grade_before_the_lead_existed_is_refused(cli):
    _lead(cli)
    before = cli.fingerprint()
    result = cli("grade", PHONE, "A", actor="李娜", now="2026-10-19T09:00", code=ExitCode.DATA)
    assert "before the lead was registered" in result.stderr
    result = cli("grade", PHONE, "A", "--at", "2026-10-20T09:59", actor="李娜", now="2026-10-21T09:00",
                 code=ExitCode.DATA)
    assert "before the lead was registered" in result.stderr
    result = cli("grade", PHONE, "A", "--at", "2026-10-22T09:00", actor="李娜", now="2026-10-21T09:00",
                 code=ExitCode.DATA)
    assert "after now" in result.stderr
    cli("grade", PHONE, "A", "--at", "someday", actor="李娜", code=ExitCode.DATA)
    assert cli.fingerprint() == before


def test_a_grade_is_dated_at_or_now(cli):
    _lead(cli)
    cli("grade", PHONE, "B", "--at", "2026-10-20T15:30", actor="李娜", now="2026-10-21T09:00")
    cli("grade", PHONE, "A", actor="李娜", now="2026-10-21T09:10")
    assert cli.query("SELECT g.at, g.grade FROM grades g JOIN leads l ON l.id = g.lead_id WHERE l.phone = ?"
                     " ORDER BY g.id", PHONE) == [("2026-10-20T15:30:00", "B"), ("2026-10-21T09:10:00", "A")]


def _grade_24h(cli):
    rows = cli.json("report", "arrivals", "--month", "2026-10", actor="王经理")["rows"]
    return [r["grade_24h"] for r in rows if r["phone"] == PHONE]


def test_the_register_takes_the_last_grade_of_the_24_hours_whichever_command_gave_it(cli):
    _lead(cli)
    cli("followup", PHONE, "--result", "致谢电话", "--grade", "B", "--at", "2026-10-20T12:00", actor="李娜",
        now="2026-10-20T12:05")
    cli("grade", PHONE, "H", "--reason", "试驾后确认预算", actor="李娜", now="2026-10-20T18:00")
    cli("grade", PHONE, "A", actor="李娜", now="2026-10-21T10:30")  # past the 24 hours
    assert cli.query("SELECT g.at, g.grade FROM grades g JOIN leads l ON l.id = g.lead_id WHERE l.phone = ?"
                     " ORDER BY g.id", PHONE)[-2:] == [("2026-10-20T18:00:00", "H"), ("2026-10-21T10:30:00", "A")]
    assert _grade_24h(cli) == ["H"]


def test_a_follow_up_that_restates_the_grade_counts_too(cli):
    _lead(cli, "--grade", "B")
    cli("grade", PHONE, "H", actor="李娜", now="2026-10-20T11:00")
    cli("grade", PHONE, "B", "--at", "2026-10-20T11:30", actor="李娜", now="2026-10-20T11:40")
    # the follow-up at 15:00 says B again: no grade change is recorded, but it is the last grade of the 24 hours
    cli("followup", PHONE, "--result", "回访", "--grade", "B", actor="李娜", now="2026-10-20T15:00")
    cli("grade", PHONE, "H", "--at", "2026-10-20T14:00", actor="李娜", now="2026-10-20T16:00")
    assert _grade_24h(cli) == ["B"]
