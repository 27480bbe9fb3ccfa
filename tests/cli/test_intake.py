import json

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake


def test_a_new_customer_becomes_a_lead_with_a_first_visit(cli):
    out = intake(cli, "+86 138-0013-8000", owner="李娜", model="迈腾", channel="展厅", party=2, test_drive=True,
                 info_source="亲友", trade_in=True)
    assert out == {"lead_id": 1, "visit_id": 1, "new_lead": True, "collision": None, "collision_opened": False,
                   "invitation": None, "phone": "13800138000", "name_differs": None, "owner": "李娜"}
    lead = cli.query("SELECT phone, channel, info_source, trade_in, s.name, next_due FROM leads"
                     " JOIN staff s ON s.id = owner_id")[0]
    assert lead == ("13800138000", "walk-in", "friends", 1, "李娜", "2026-11-24")
    visit = cli.query("SELECT kind, party, first_visit, left_contact, test_drive FROM visits")[0]
    assert visit == ("visit", 2, 1, 1, 1)
    assert cli.scalar("SELECT json_extract(detail, '$.phone') FROM events WHERE action = 'intake'") == "138****8000"


def test_a_lead_left_without_an_owner_is_said_at_the_desk(cli, zh):
    said = cli("intake", "--phone", "13800138000", "--name", "刘洋", actor="张前台").stderr
    assert "线索 1 尚无归属顾问：请加 --owner，或由销售经理分配（`leadctl assign 1 --to 姓名`）" in said
    assert cli.json("intake", "--phone", "13800138000", actor="张前台")["owner"] is None
    cli.json("assign", "1", "--to", "李娜", actor="王经理")
    assert "尚无归属顾问" not in cli("intake", "--phone", "13800138000", actor="张前台").stderr
    assert "尚无归属顾问" not in cli("intake", "--phone", "13900139000", "--owner", "李娜", actor="张前台").stderr


def test_the_same_phone_in_another_format_is_a_return_visit(cli):
    intake(cli, "13800138000", owner="李娜")
    again = intake(cli, "１３８ ００１３ ８０００", name="刘洋 ")
    assert again == {"lead_id": 1, "visit_id": 2, "new_lead": False, "collision": None, "collision_opened": False,
                     "invitation": None, "phone": "13800138000", "name_differs": None, "owner": "李娜"}
    assert cli.scalar("SELECT count(*) FROM leads") == 1
    assert cli.query("SELECT first_visit FROM visits ORDER BY id") == [(1,), (0,)]
    assert cli.scalar("SELECT name FROM leads") == "刘洋"


def test_another_name_on_a_known_phone_is_recorded_and_warned_about_never_dropped(cli):
    intake(cli, "13800138000", name="刘洋", owner="李娜")
    result = cli("intake", "--phone", "138 0013 8000", "--name", "刘先生", "--json", actor="张前台")
    out = json.loads(result.stdout)
    assert out["name_differs"] == {"recorded": "刘洋", "given": "刘先生"} and not out["new_lead"]
    (line,) = result.stderr.splitlines()
    assert "刘洋" in line and "刘先生" in line
    assert cli.scalar("SELECT name FROM leads") == "刘洋"  # which name is right is for a person to say
    assert cli.scalar("SELECT given_name FROM visits WHERE id = 2") == "刘先生"  # kept with the visit
    flagged = cli.scalar("SELECT json_extract(detail, '$.name_differs') FROM events WHERE action = 'intake'"
                         " AND json_extract(detail, '$.visit_id') = 2")
    assert flagged == 1 and cli.scalar("SELECT count(*) FROM events WHERE detail LIKE '%刘先生%'") == 0
    shown = cli.json("show", "1", actor="李娜")["visits"]
    assert [v["given_name"] for v in shown] == [None, "刘先生"]
    plain = cli("intake", "--phone", "13800138000", "--name", "刘生", actor="张前台")
    assert sum("刘生" in line for line in plain.stderr.splitlines()) == 1
    assert intake(cli, "13800138000", name="刘洋")["name_differs"] is None  # the same name: nothing to say
    unnamed = cli.json("intake", "--phone", "13800138000", actor="张前台")
    assert unnamed["name_differs"] is None  # no name given: nothing differs


def test_another_owner_on_a_known_customer_opens_a_collision(cli):
    intake(cli, "13800138000", owner="李娜")
    again = intake(cli, "+8613800138000", owner="陈刚")
    assert again["collision"] == 1 and not again["new_lead"]
    assert cli.scalar("SELECT s.name FROM leads JOIN staff s ON s.id = owner_id") == "李娜"  # never silently moved
    assert cli.query("SELECT o.name, c.name, status FROM collisions JOIN staff o ON o.id = owner_id"
                     " JOIN staff c ON c.id = claimant_id") == [("李娜", "陈刚", "open")]


def test_one_claim_is_one_collision_however_often_the_customer_comes(cli):
    intake(cli, "13800138000", owner="李娜")
    first = intake(cli, "13800138000", owner="陈刚")
    again = cli("intake", "--phone", "13800138000", "--owner", "陈刚", "--json", actor="张前台")
    assert first["collision_opened"] and json.loads(again.stdout)["collision"] == first["collision"]
    assert not json.loads(again.stdout)["collision_opened"]
    assert cli.query("SELECT visit_id, status FROM collisions") == [(2, "open")]  # the first claim's visit
    said = cli("intake", "--phone", "13800138000", actor="陈刚").stderr  # he registers the customer himself
    assert f"collision {first['collision']} is still open" in said and "opened" not in said
    assert cli.scalar("SELECT count(*) FROM visits") == 4 and cli.scalar("SELECT count(*) FROM collisions") == 1
    cli("collisions", "rule", str(first["collision"]), "--to", "李娜", actor="王经理")
    later = intake(cli, "13800138000", owner="陈刚")  # a claim after the ruling is a new one
    assert later["collision_opened"] and later["collision"] != first["collision"]


def test_a_consultant_registering_a_customer_owns_it(cli):
    out = intake(cli, "13900139000", actor="陈刚", channel="来电")
    assert out["new_lead"]
    assert cli.query("SELECT s.name, v.kind FROM leads l JOIN staff s ON s.id = l.owner_id"
                     " JOIN visits v ON v.lead_id = l.id") == [("陈刚", "call")]


def test_a_visitor_who_leaves_no_details(cli):
    out = cli.json("intake", "--no-contact", "--party", "3", actor="张前台")
    assert out["new_lead"] and out["collision"] is None
    assert cli.query("SELECT grade, phone, next_due FROM leads") == [("W", None, None)]
    assert cli.query("SELECT party, left_contact FROM visits") == [(3, 0)]


def test_without_a_terminal_missing_fields_fail_instead_of_prompting(cli):
    before = cli.fingerprint()
    result = cli("intake", "--name", "刘洋", actor="张前台", code=ExitCode.USAGE)
    assert result.stderr.count("--phone") == 1 and "needs a phone number" in result.stderr
    cli("intake", "--json", actor="张前台", code=ExitCode.USAGE)
    assert cli.fingerprint() == before


@pytest.mark.parametrize("args, code, message", [
    (["--phone", "12345"], ExitCode.DATA, "not a phone number"),
    (["--phone", "13800138000", "--channel", "carrier-pigeon"], ExitCode.DATA, "unknown channel"),
    (["--phone", "13800138000", "--owner", "无名"], ExitCode.NOT_FOUND, "no owner named '无名'"),
    (["--phone", "13800138000", "--arrived", "2026-11-24T08:00", "--left", "2026-11-24T07:00"],
     ExitCode.DATA, "departure 07:00 is before arrival 08:00"),
    (["--phone", "13800138000", "--arrived", "2026-11-25T08:00"], ExitCode.DATA, "after now"),
    (["--phone", "13800138000", "--arrived", "yesterday"], ExitCode.DATA, "is not a date"),
    (["--phone", "13800138000", "--grade", "Z"], ExitCode.DATA, "unknown grade 'Z'"),
    (["--phone", "13800138000", "--grade", "O"], ExitCode.REFUSED, "given only by an order"),
    (["--phone", "13800138000", "--party", "0"], ExitCode.DATA, "party of 0"),
    (["--phone", "13800138000", "--info-source", "tv"], ExitCode.DATA, "unknown info source"),
    (["--no-contact", "--phone", "13800138000"], ExitCode.DATA, "left no details"),
])
def test_bad_input_is_one_line_an_exit_code_and_no_change(cli, args, code, message):
    intake(cli, "13900000001")
    before = cli.fingerprint()
    result = cli("intake", "--name", "刘洋", *args, actor="张前台", code=code)
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("leadctl: ")
    assert "13800138000" not in result.stderr
    assert cli.fingerprint() == before


def test_a_receptionist_may_register_but_service_may_not(cli):
    result = cli("intake", "--name", "刘洋", "--phone", "13800138000", actor="孙客服", code=ExitCode.PERMISSION)
    assert "may not intake" in result.stderr
    assert cli.scalar("SELECT count(*) FROM leads") == 0


def test_an_invited_customer_registered_at_the_desk_closes_the_invitation(cli):
    cli.json("intake", "--name", "钱多", "--phone", "13700000001", "--channel", "web", actor="赵电销",
             now="2026-11-20T10:00")
    cli.json("invite", "13700000001", "--on", "2026-11-24T10:00", actor="赵电销", now="2026-11-20T11:00")
    out = intake(cli, "137 0000 0001")
    assert out["invitation"] == 1 and not out["new_lead"]
    assert cli.query("SELECT status, visit_id FROM invitations") == [("arrived", out["visit_id"])]


def test_a_visitor_who_came_on_their_own_leaves_the_invitation_open(cli):
    cli.json("intake", "--name", "钱多", "--phone", "13700000001", "--channel", "web", actor="赵电销",
             now="2026-11-20T10:00")
    cli.json("invite", "13700000001", "--on", "2026-11-25T10:00", actor="赵电销", now="2026-11-20T11:00")
    assert intake(cli, "13700000001", not_invited=True)["invitation"] is None
    assert cli.scalar("SELECT status FROM invitations") == "open"


def test_an_owner_buying_again_starts_a_new_purchase_on_the_same_lead(cli):
    intake(cli, "13800138000", owner="李娜", arrived="2026-10-01T10:00")
    order = cli.json("order", "13800138000", "--brand", "大众", "--series", "迈腾", "--model", "330TSI",
                     actor="李娜")
    cli.json("deliver", str(order["id"]), actor="李娜")
    assert cli.scalar("SELECT status FROM leads") == "delivered"
    again = intake(cli, "13800138000", channel="续购")
    assert not again["new_lead"] and cli.scalar("SELECT count(*) FROM leads") == 1
    assert cli.query("SELECT status, grade FROM leads") == [("active", None)]
    assert cli.query("SELECT act, order_id FROM statuses ORDER BY id DESC LIMIT 1") == [("repurchase", order["id"])]
    [row] = cli.json("due", "--all", actor="王经理")
    assert (row["lead_id"], row["due_on"]) == (1, "2026-11-24") and "first contact same day of visit" in row["reason"]
