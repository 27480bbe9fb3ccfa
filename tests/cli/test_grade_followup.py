import json

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake


@pytest.fixture
def lead(cli):
    intake(cli, "13800138000", owner="李娜")
    return "138 0013 8000"


def test_grade_outright_keeps_history_and_replans(cli, lead):
    out = cli.json("grade", lead, "B", "--reason", "资金下月到位", actor="李娜")
    assert out["grade"] == "B" and out["previous"] is None and out["basis"] == "stated"
    cli.json("grade", "1", "A", actor="李娜")
    history = cli.query("SELECT previous, grade, basis, reason FROM grades ORDER BY id")
    assert history == [(None, "B", "stated", "资金下月到位"), ("B", "A", "stated", None)]


def test_grade_from_a_purchase_horizon(cli, lead):
    out = cli.json("grade", lead, "--within", "3个月", actor="李娜")
    assert (out["grade"], out["basis"], out["detail"]) == ("B", "horizon", {"within_days": 90})
    assert cli.scalar("SELECT grade_basis FROM leads") == "horizon"


def test_grade_from_need_confidence_and_power(cli, lead):
    out = cli.json("grade", lead, "--need", "--power", actor="李娜")
    assert (out["grade"], out["basis"]) == ("A", "assessment")
    detail = json.loads(cli.scalar("SELECT detail FROM grades"))
    assert detail == {"need": True, "confidence": False, "power": True}


@pytest.mark.parametrize("args, code, message", [
    (["B", "--within", "2w"], ExitCode.USAGE, "grade a lead one way"),
    ([], ExitCode.USAGE, "grade a lead one way"),
    (["F"], ExitCode.REFUSED, "manager-approved defeat"),
    (["Q"], ExitCode.DATA, "unknown grade 'Q'"),
    (["--confidence"], ExitCode.REFUSED, "does not make a grade"),
    (["--within", "soon"], ExitCode.DATA, "cannot read duration"),
])
def test_bad_grading_changes_nothing(cli, lead, args, code, message):
    before = cli.fingerprint()
    result = cli("grade", lead, *args, actor="李娜", code=code)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_grading_an_unknown_lead(cli, lead):
    assert "no lead with id 99" in cli("grade", "99", "A", actor="李娜", code=ExitCode.NOT_FOUND).stderr
    result = cli("grade", "13911112222", "A", actor="李娜", code=ExitCode.NOT_FOUND)
    assert "139****2222" in result.stderr and "13911112222" not in result.stderr
    cli("grade", "not-a-lead", "A", actor="李娜", code=ExitCode.DATA)


def test_followup_counts_only_with_a_result(cli, lead):
    before = cli.fingerprint()
    result = cli("followup", lead, "--result", "   ", actor="李娜", code=ExitCode.DATA)
    assert "counts only with its result" in result.stderr
    assert cli.fingerprint() == before


def test_followup_replans_from_the_new_grade(cli, lead):
    out = cli.json("followup", lead, "--result", "客户对比了凯美瑞，周末试驾", "--grade", "H", "--method", "微信",
                   actor="李娜")
    assert out == {"followup_id": 1, "lead_id": 1, "grade": "H", "next_due": "2026-11-26"}
    assert cli.query("SELECT method, grade FROM followups") == [("wechat", "H")]
    assert cli.query("SELECT grade, followup_count, next_due FROM leads") == [("H", 1, "2026-11-26")]


def test_a_plan_earlier_than_the_cadence_is_kept(cli, lead):
    cli.json("grade", lead, "A", actor="李娜")
    out = cli.json("followup", lead, "--result", "约了周三", "--next", "2026-11-25", actor="李娜")
    assert out["next_due"] == "2026-11-25"


def test_a_plan_later_than_the_cadence_is_refused(cli, lead):
    cli.json("grade", lead, "A", actor="李娜")
    before = cli.fingerprint()
    result = cli("followup", lead, "--result", "下个月再说", "--next", "2026-12-20", actor="李娜",
                 code=ExitCode.REFUSED)
    assert "later than grade A allows (2026-12-01)" in result.stderr
    assert cli.fingerprint() == before


@pytest.mark.parametrize("args, code, message", [
    (["--at", "2026-11-25T10:00"], ExitCode.DATA, "after now"),
    (["--at", "2026-11-01T10:00"], ExitCode.DATA, "before the lead was registered"),
    (["--next", "2026-02-30"], ExitCode.DATA, "is not a date"),
    (["--next", "2026-11-20"], ExitCode.DATA, "before this follow-up"),
    (["--method", "telegram"], ExitCode.DATA, "unknown method"),
    (["--grade", "W"], ExitCode.REFUSED, "given only by"),
])
def test_bad_followups_change_nothing(cli, lead, args, code, message):
    before = cli.fingerprint()
    result = cli("followup", lead, "--result", "ok", *args, actor="李娜", code=code)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_receptionists_do_not_grade_or_follow_up(cli, lead):
    cli("grade", lead, "A", actor="张前台", code=ExitCode.PERMISSION)
    cli("followup", lead, "--result", "x", actor="张前台", code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'denied'") == 2
    assert cli.scalar("SELECT count(*) FROM followups") == 0


def test_grading_a_lead_whose_contact_is_overdue_says_how_late_it_already_is(cli, zh):
    intake(cli, "13800138000", owner="李娜", arrived="2026-11-10T10:00")  # never contacted since
    said = cli("grade", "1", "B", actor="李娜").stderr
    assert said.strip() == "线索 1：- -> B（直接定级）；下次跟进 11月10日 周二，逾期14天"
    cli.json("followup", "1", "--result", "电话联系，周末来看车", actor="李娜")
    said = cli("grade", "1", "A", actor="李娜").stderr
    assert "逾期" not in said and said.startswith("线索 1：B -> A（直接定级）；下次跟进 ")
