import json

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake

PHONE = "13800138000"


@pytest.fixture
def lead(cli):
    """An H lead of 李娜's, registered today."""
    intake(cli, PHONE, owner="李娜", grade="H")
    return "1"


def due_ids(cli, on="2026-11-24"):
    return [row["lead_id"] for row in cli.json("due", "--all", "--on", on, actor="王经理")]


def set_policy(cli, tmp_path, toml: str):
    path = tmp_path / "policy.toml"
    path.write_text(toml, encoding="utf-8")
    cli("policy", "set-file", str(path), actor="王经理")


def request(cli, lead="1", reason="price", actor="李娜", *more):
    return cli.json("defeat", "request", lead, "--reason", reason, *more, actor=actor)


def test_defeat_end_to_end_requested_verified_approved(cli, lead):
    assert due_ids(cli) == [1]
    asked = request(cli, lead, "竞品", "李娜", "--lost-to", "丰田/凯美瑞", "--price", "179800",
                    "--note", "对比后选了凯美瑞")
    assert (asked["id"], asked["status"], asked["reason"], asked["grade"]) == (1, "requested", "competitor", "H")
    assert (asked["lost_to"], asked["price"], asked["requested_by"]) == ("丰田/凯美瑞", 179800, "李娜")
    checked = cli.json("defeat", "verify", "1", "--result", "客户确认已提凯美瑞", actor="孙客服",
                       now="2026-11-24T15:00")
    assert (checked["status"], checked["verified_by"], checked["verified_at"]) == \
        ("verified", "孙客服", "2026-11-24T15:00:00")
    done = cli.json("defeat", "approve", "1", "--note", "同意", actor="王经理", now="2026-11-25T09:00")
    assert (done["status"], done["decided_by"], done["lead_status"]) == ("approved", "王经理", "defeated")
    assert cli.query("SELECT grade, grade_basis, status, next_due FROM leads") == [("F", None, "defeated", None)]
    assert cli.query("SELECT grade, previous, basis FROM grades ORDER BY id DESC LIMIT 1") == [("F", "H", "workflow")]
    assert cli.query("SELECT status, previous, act, defeat_id FROM statuses") == [
        ("defeated", "active", "defeat.approve", 1)]
    assert due_ids(cli, "2026-12-31") == []
    actions = cli.query("SELECT action FROM events WHERE lead_id = 1 AND action LIKE 'defeat.%' ORDER BY id")
    assert actions == [("defeat.request",), ("defeat.verify",), ("defeat.approve",)]


def test_audit_events_hold_ids_not_the_customers_words(cli, lead):
    request(cli, lead, "price", "李娜", "--note", "客户说太贵 13800138000")
    cli.json("defeat", "verify", "1", "--result", "确认 13800138000", actor="孙客服")
    details = " ".join(d for (d,) in cli.query("SELECT detail FROM events WHERE action LIKE 'defeat.%'"))
    assert PHONE not in details and "太贵" not in details and "确认" not in details
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'defeat.request'"))["defeat_id"] == 1


@pytest.mark.parametrize("typed, code", [
    ("价格", "price"), ("产品", "product"), ("竞品", "competitor"), ("贷款", "financing"), ("金融", "financing"),
    ("不买了", "no-longer-buying"), ("联系不上", "unreachable"), ("其他", "other"), ("other", "other"),
])
def test_reasons_in_chinese(cli, lead, typed, code):
    late = "2027-06-01T09:00"  # half a year on: a defeat for being unreachable may be filed too
    assert cli.json("defeat", "request", lead, "--reason", typed, actor="李娜", now=late)["reason"] == code
    assert cli.scalar("SELECT reason FROM defeats") == code


def test_an_unreachable_lead_younger_than_half_a_year_is_not_defeated(cli, lead):
    """[003] "客户无法联系,拒接电话,长时间无跟踪效果半年以上可同意撤卡或转交他人跟进"."""
    before = cli.fingerprint()
    result = cli("defeat", "request", lead, "--reason", "联系不上", actor="李娜", now="2027-05-23T18:00",
                 code=ExitCode.REFUSED)
    assert "lead 1 has had no effect only since 2026-11-24" in result.stderr
    assert "may be filed from 2027-05-24" in result.stderr
    assert cli.fingerprint() == before
    assert request(cli, lead, "price")["reason"] == "price"  # other reasons do not wait


def test_the_half_year_counts_from_the_last_grade_rise(cli, lead):
    cli.json("grade", lead, "B", actor="李娜", now="2026-12-01T09:00")  # a fall is no effect
    cli.json("grade", lead, "A", actor="李娜", now="2027-01-10T09:00")  # a rise is
    result = cli("defeat", "request", lead, "--reason", "unreachable", actor="李娜", now="2027-06-01T09:00",
                 code=ExitCode.REFUSED)
    assert "no effect only since 2027-01-10" in result.stderr and "may be filed from 2027-07-10" in result.stderr
    assert cli.json("defeat", "request", lead, "--reason", "unreachable", actor="李娜",
                    now="2027-07-10T09:00")["reason"] == "unreachable"


@pytest.mark.parametrize("grade", ["C", "D"])
def test_c_and_d_leads_go_back_to_grading_first(cli, lead, grade):
    cli.json("grade", lead, grade, actor="李娜")
    before = cli.fingerprint()
    result = cli("defeat", "request", lead, "--reason", "price", actor="李娜", code=ExitCode.REFUSED)
    assert f"graded {grade}" in result.stderr and "re-grade it first" in result.stderr
    assert cli.fingerprint() == before


def test_the_c_refusal_says_in_chinese_that_a_defeat_comes_from_h(cli, lead, zh):
    cli.json("grade", lead, "C", actor="李娜")
    said = cli("defeat", "request", lead, "--reason", "价格", actor="李娜", code=ExitCode.REFUSED).stderr
    assert "C、D 级的线索不能直接战败" in said and "客户应从 H 级走向战败" in said and "失控" not in said


def test_the_policy_decides_reasons_forbidden_grades_and_verification(cli, lead, tmp_path):
    set_policy(cli, tmp_path, '[defeat]\nreasons = ["price", "dealer-service"]\nforbidden_grades = []\n'
                              "verification_required = false\n")
    cli.json("grade", lead, "C", actor="李娜")
    result = cli("defeat", "request", lead, "--reason", "产品", actor="李娜", code=ExitCode.DATA)
    assert "price (价格), dealer-service" in result.stderr
    assert request(cli, lead, "dealer-service")["grade"] == "C"
    assert cli.json("defeat", "approve", "1", actor="王经理")["status"] == "approved"
    assert cli.scalar("SELECT status FROM leads") == "defeated"


def test_approval_before_verification_is_refused(cli, lead):
    request(cli, lead)
    before = cli.fingerprint()
    result = cli("defeat", "approve", "1", actor="王经理", code=ExitCode.REFUSED)
    assert "not verified yet" in result.stderr
    assert cli.fingerprint() == before


def test_one_open_request_per_lead(cli, lead):
    request(cli, lead)
    cli.json("defeat", "verify", "1", "--result", "确认", actor="孙客服")
    before = cli.fingerprint()
    result = cli("defeat", "request", lead, "--reason", "price", actor="李娜", code=ExitCode.REFUSED)
    assert "already has defeat request 1 open" in result.stderr
    assert cli.fingerprint() == before


def test_rejected_the_lead_stays_active_with_its_grade(cli, lead):
    request(cli, lead)
    due_before = cli.scalar("SELECT next_due FROM leads")
    done = cli.json("defeat", "reject", "1", "--note", "客户还在比较，继续跟进", actor="王经理")
    assert (done["status"], done["lead_status"], done["decision_note"]) == \
        ("rejected", "active", "客户还在比较，继续跟进")
    assert cli.query("SELECT grade, status, next_due FROM leads") == [("H", "active", due_before)]
    assert cli.scalar("SELECT count(*) FROM statuses") == 0
    assert request(cli, lead)["id"] == 2  # a rejected request is closed: a new one may follow


@pytest.mark.parametrize("steps, act, message", [
    ([("verify", "--result", "ok", "孙客服"), ("approve", "王经理")], ["approve", "1"], "is approved"),
    ([("reject", "王经理")], ["verify", "1", "--result", "ok"], "is rejected"),
    ([("verify", "--result", "ok", "孙客服")], ["verify", "1", "--result", "again"], "is verified"),
])
def test_decided_requests_stay_decided(cli, lead, steps, act, message):
    request(cli, lead)
    for *args, actor in steps:
        cli("defeat", args[0], "1", *args[1:], actor=actor)
    before = cli.fingerprint()
    assert message in cli("defeat", *act, actor="王经理", code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before


def test_a_lead_that_is_not_active_cannot_be_put_up_for_defeat(cli, lead):
    cli.json("lost", lead, "--attempts", "3", actor="李娜")
    before = cli.fingerprint()
    assert "lead 1 is lost" in cli("defeat", "request", lead, "--reason", "price", actor="李娜",
                                   code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before


@pytest.mark.parametrize("args, code, message", [
    (["request", "99", "--reason", "price"], ExitCode.NOT_FOUND, "no lead with id 99"),
    (["request", "13911112222", "--reason", "price"], ExitCode.NOT_FOUND, "139****2222"),
    (["request", "1"], ExitCode.USAGE, "--reason"),
    (["request", "1", "--reason", "  "], ExitCode.DATA, "needs its reason"),
    (["request", "1", "--reason", "weather"], ExitCode.DATA, "unknown defeat reason 'weather'"),
    (["request", "1", "--reason", "price", "--price", "-5"], ExitCode.DATA, "negative"),
    (["request", "1", "--reason", "price", "--price", "cheap"], ExitCode.DATA, "--price"),  # as a bad date
    (["verify", "9", "--result", "ok"], ExitCode.NOT_FOUND, "no defeat request with id 9"),
    (["approve", "9"], ExitCode.NOT_FOUND, "no defeat request with id 9"),
    (["reject", "9"], ExitCode.NOT_FOUND, "no defeat request with id 9"),
    (["verify", "x", "--result", "ok"], ExitCode.USAGE, "Invalid value"),
    (["list", "--status", "pending"], ExitCode.DATA, "unknown defeat request status 'pending'"),
])
def test_bad_defeat_input_changes_nothing(cli, lead, args, code, message):
    before = cli.fingerprint()
    result = cli("defeat", *args, actor="王经理", code=code)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_verification_needs_its_result(cli, lead):
    request(cli, lead)
    before = cli.fingerprint()
    assert "counts only with its result" in cli("defeat", "verify", "1", "--result", " ", actor="孙客服",
                                               code=ExitCode.DATA).stderr
    cli("defeat", "verify", "1", actor="孙客服", code=ExitCode.USAGE)
    assert cli.fingerprint() == before


@pytest.mark.parametrize("args, actor", [
    (["approve", "1"], "李娜"),                  # a consultant does not approve
    (["reject", "1"], "李娜"),
    (["approve", "1"], "孙客服"),                # customer service verifies, never decides
    (["verify", "1", "--result", "ok"], "李娜"),  # the requester does not verify their own request
    (["verify", "1", "--result", "ok"], "张前台"),
])
def test_who_may_verify_and_decide(cli, lead, args, actor):
    request(cli, lead)
    cli("defeat", *args, actor=actor, code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT status FROM defeats") == "requested"
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'denied'"))["act"] == \
        f"defeat.{args[0]}"


def test_a_consultant_requests_defeat_only_on_their_own_leads(cli, lead):
    result = cli("defeat", "request", lead, "--reason", "price", actor="陈刚", code=ExitCode.PERMISSION)
    assert "only their own leads" in result.stderr
    assert cli.scalar("SELECT count(*) FROM defeats") == 0
    assert request(cli, lead, "price", "王经理")["requested_by"] == "王经理"  # a manager may, on any lead


def test_the_queues(cli, lead, tmp_path):
    intake(cli, "13900139000", owner="李娜", grade="A")
    request(cli, "1")
    request(cli, "2", "financing")
    cli.json("defeat", "verify", "2", "--result", "贷款没批下来", actor="孙客服")
    assert [r["id"] for r in cli.json("defeat", "list", "--status", "requested", actor="王经理")] == [1]
    assert [r["id"] for r in cli.json("defeat", "list", "--status", "verified", actor="王经理")] == [2]
    assert [r["id"] for r in cli.json("defeat", "list", actor="王经理")] == [1, 2]
    lines = cli("defeat", "list", "--status", "verified", "--csv", actor="王经理").stdout.splitlines()
    assert lines[0].startswith("ID,Lead ID,Name,Phone,Grade,Reason") and len(lines) == 2
    table = cli("defeat", "list", actor="王经理").stdout
    assert "Defeat requests: 2" in table and "financing" in table
    cli.json("defeat", "approve", "2", actor="王经理")
    assert [r["id"] for r in cli.json("defeat", "list", actor="王经理")] == [1]  # the default: what is still open
    assert [r["id"] for r in cli.json("defeat", "list", "--status", "approved", actor="王经理")] == [2]
    assert [r["id"] for r in cli.json("defeat", "list", "--status", "all", actor="王经理")] == [1, 2]
    assert [r["id"] for r in cli.json("defeat", "list", "--status", "全部", actor="王经理")] == [1, 2]
    refused = cli("defeat", "list", "--status", "closed", actor="王经理", code=ExitCode.DATA)
    assert all(word in refused.stderr for word in ("requested", "rejected", "open", "all"))


def test_lost_control_end_to_end(cli, lead):
    out = cli.json("lost", lead, "--attempts", "5", "--note", "电话停机", actor="李娜")
    assert out == {"lead_id": 1, "status": "lost", "previous_status": "active", "grade": "L", "previous_grade": "H",
                   "attempts": 5, "next_due": None}
    assert cli.query("SELECT grade, status, next_due FROM leads") == [("L", "lost", None)]
    assert cli.query("SELECT status, previous, act, attempts, reason FROM statuses") == [
        ("lost", "active", "lost", 5, "电话停机")]
    assert due_ids(cli, "2026-12-31") == []
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'lost'") == 1


@pytest.mark.parametrize("args, code, message", [
    (["--attempts", "0"], ExitCode.DATA, "at least one failed attempt"),
    ([], ExitCode.USAGE, "--attempts"),
    (["--attempts", "many"], ExitCode.USAGE, "--attempts"),
])
def test_bad_lost_input_changes_nothing(cli, lead, args, code, message):
    before = cli.fingerprint()
    assert message in cli("lost", lead, *args, actor="李娜", code=code).stderr
    assert cli.fingerprint() == before


def test_a_lead_waiting_for_a_defeat_decision_is_not_marked_lost(cli, lead):
    request(cli, lead)
    before = cli.fingerprint()
    result = cli("lost", lead, "--attempts", "3", actor="李娜", code=ExitCode.REFUSED)
    assert "defeat request 1 open" in result.stderr and "defeat reject 1" in result.stderr
    assert cli.fingerprint() == before


def test_reactivate_without_a_grade_makes_the_lead_due_at_once(cli, lead):
    request(cli, lead)
    cli("defeat", "verify", "1", "--result", "ok", actor="孙客服")
    cli("defeat", "approve", "1", actor="王经理")
    out = cli.json("reactivate", lead, "--reason", "客户又来电询价", actor="王经理", now="2026-12-10T09:00")
    assert (out["status"], out["previous_status"], out["grade"], out["previous_grade"]) == \
        ("active", "defeated", None, "F")
    assert cli.query("SELECT grade, status, next_due FROM leads") == [(None, "active", "2026-12-10")]  # not 11-24
    assert out["next_due"] == "2026-12-10"
    assert 1 in due_ids(cli, "2026-12-10")
    [row] = cli.json("due", "--all", "--on", "2026-12-10", actor="王经理")
    assert row["overdue_days"] == 0 and "reactivation 2026-12-10" in row["reason"]
    assert cli.query("SELECT status, previous, act, reason FROM statuses ORDER BY id DESC LIMIT 1") == [
        ("active", "defeated", "reactivate", "客户又来电询价")]


def test_reactivate_with_a_grade_follows_its_cadence(cli, lead):
    cli.json("followup", lead, "--result", "约了试驾", actor="李娜")
    cli.json("lost", lead, "--attempts", "3", actor="李娜", now="2026-11-30T09:00")
    out = cli.json("reactivate", lead, "--grade", "B", actor="王经理", now="2026-12-01T09:00")
    assert (out["grade"], out["next_due"]) == ("B", "2026-12-16")  # B every 15 days from the reactivation
    assert cli.scalar("SELECT next_due FROM leads") == "2026-12-16"
    assert cli.query("SELECT grade, previous, basis FROM grades ORDER BY id DESC LIMIT 1") == [("B", "L", "stated")]


def test_a_reactivated_lead_is_never_due_in_the_past(cli, lead):
    """Reactivated months after its last contact, an H lead is due its cadence from the reactivation, not before."""
    cli.json("followup", lead, "--result", "约了试驾", actor="李娜")
    cli.json("lost", lead, "--attempts", "3", actor="李娜", now="2026-11-30T09:00")
    out = cli.json("reactivate", lead, "--grade", "H", actor="王经理", now="2027-03-01T09:00")
    assert out["next_due"] == "2027-03-03"  # not 2026-11-26
    assert cli.query("SELECT next_due FROM leads") == [("2027-03-03",)]
    assert [r for r in cli.json("due", "--all", "--on", "2027-03-02", actor="王经理") if r["lead_id"]] == []


@pytest.mark.parametrize("args, code, message", [
    (["1"], ExitCode.REFUSED, "lead 1 is active; only a lead that is defeated or lost"),
    (["99"], ExitCode.NOT_FOUND, "no lead with id 99"),
])
def test_only_defeated_or_lost_leads_are_reactivated(cli, lead, args, code, message):
    before = cli.fingerprint()
    assert message in cli("reactivate", *args, actor="王经理", code=code).stderr
    assert cli.fingerprint() == before


@pytest.mark.parametrize("grade, code, message", [
    ("F", ExitCode.REFUSED, "cannot be graded F"),
    ("O", ExitCode.REFUSED, "cannot be graded O"),
    ("L", ExitCode.REFUSED, "cannot be graded L"),
    ("Q", ExitCode.DATA, "unknown grade 'Q'"),
])
def test_a_reactivated_lead_restarts_on_a_working_grade(cli, lead, grade, code, message):
    cli.json("lost", lead, "--attempts", "3", actor="李娜")
    before = cli.fingerprint()
    assert message in cli("reactivate", lead, "--grade", grade, actor="王经理", code=code).stderr
    assert cli.fingerprint() == before


def test_consultants_do_not_reactivate(cli, lead):
    cli.json("lost", lead, "--attempts", "3", actor="李娜")
    cli("reactivate", lead, actor="李娜", code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT status FROM leads") == "lost"


def test_the_cards_events_say_a_requests_states_in_words(cli, lead, zh, monkeypatch):
    """On `show` under zh a defeat request's event reads 现为 已核实，原 待核实: the earlier state in the same words
    as the new one, never its code."""
    monkeypatch.setenv("COLUMNS", "120")
    request(cli, lead, "price")
    cli.json("defeat", "verify", "1", "--result", "客户确认", actor="孙客服")
    shown = cli("show", "1", actor="王经理").stdout
    line = next(line for line in shown.splitlines() if "核实战败申请" in line)
    assert "现为 已核实" in line and "原 待核实" in line and "requested" not in line
