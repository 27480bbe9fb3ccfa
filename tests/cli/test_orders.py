import json

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake

PHONE = "13800138000"
VIN = "LFV2A21K0G3043210"      # FAW-Volkswagen, check digit 0 (worked out in tests/rules/test_vin.py)
MODEL = ["--brand", "大众", "--series", "迈腾", "--model", "330TSI", "--config", "豪华型"]


@pytest.fixture
def lead(cli):
    """An H lead of 李娜's, registered today and followed up once; the store lists VIN's model."""
    intake(cli, PHONE, owner="李娜", grade="H")
    cli("vehicle", "add", VIN[:8], "--brand", "大众", "--series", "宝来", "--model", "1.5L 自动舒适型", actor="王经理")
    cli.json("followup", "1", "--result", "报价已发，周六试驾", actor="李娜")
    return "1"


def order(cli, lead="1", *args, actor="李娜", **kw):
    return cli.json("order", lead, *(args or ("--vin", VIN)), actor=actor, **kw)


def due_ids(cli, on):
    return [row["lead_id"] for row in cli.json("due", "--all", "--on", on, actor="王经理")]


def test_order_by_brand_series_model_end_to_end(cli, lead):
    out = order(cli, lead, *MODEL, "--colour", "极地白", "--price", "189800", "--deposit", "5000")
    assert (out["id"], out["lead_id"], out["status"], out["lead_status"], out["vin"]) == (1, 1, "open", "ordered", None)
    assert (out["brand"], out["series"], out["model"], out["config"], out["colour"]) == \
        ("大众", "迈腾", "330TSI", "豪华型", "极地白")
    assert (out["price"], out["deposit"], out["ordered_by"]) == (189800, 5000, "李娜")
    # followed up until delivery: every 3 days from the signing [003]
    assert cli.query("SELECT grade, grade_basis, status, next_due FROM leads") == [("O", None, "ordered", "2026-11-27")]
    assert cli.query("SELECT grade, previous, basis, reason FROM grades ORDER BY id DESC LIMIT 1") == [
        ("O", "H", "workflow", "order 1")]
    assert cli.query("SELECT status, previous, act, order_id FROM statuses") == [("ordered", "active", "order", 1)]
    event = json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'order'"))
    assert event["order_id"] == 1 and event["previous"] == "H"


def test_order_by_vin_as_typed(cli, lead):
    out = order(cli, lead, "--vin", "lfv 2a21k0 g3043210", "--color", "黑")
    assert (out["vin"], out["colour"], out["brand"], out["model"]) == (VIN, "黑", "大众", "1.5L 自动舒适型")
    assert cli.scalar("SELECT vin FROM orders") == VIN


def test_order_is_a_command_and_a_group(cli, lead):
    assert "cancel" in cli("order", "--help").stdout
    assert cli.json("order", "13800138000", "--vin", VIN, actor="李娜")["lead_id"] == 1


def test_a_european_vin_without_check_digit_is_accepted(cli, lead):
    assert order(cli, lead, "--vin", "WVWZZZ1JZXW000001", "--model", "Golf")["vin"] == "WVWZZZ1JZXW000001"


@pytest.mark.parametrize("number, message", [
    ("LFV2A21K1G3043210", "fails its check digit: position 9 is 1, GB 16735 (China) makes it 0"),
    ("LFV2A21K0G304321", "has 16 characters, not 17"),
    ("LFV2A21K0G30432100", "has 18 characters, not 17"),
    ("LFV2A21K0G3O43210", "has O, which VINs never use"),
    ("LFV2A2IK0G3043210", "has I, which VINs never use"),
    ("LFV2A21K0G3Q43210", "has Q, which VINs never use"),
    ("LFV2A21K0G30432_0", "cannot hold: _"),
])
def test_bad_vins_change_nothing(cli, lead, number, message):
    before = cli.fingerprint()
    result = cli("order", lead, "--vin", number, actor="李娜", code=ExitCode.DATA)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_amounts_as_a_salesperson_writes_them(cli, lead):
    done = order(cli, lead, "--vin", VIN, "--price", "18.98万", "--deposit", "5,000元")
    assert (done["price"], done["deposit"]) == (189800, 5000)
    other = intake(cli, "13900139000", owner="李娜", grade="B")["lead_id"]
    asked = cli.json("defeat", "request", str(other), "--reason", "价格", "--price", "15万", actor="李娜")
    assert asked["price"] == 150000


@pytest.mark.parametrize("args, code, message", [
    ([], ExitCode.USAGE, "choose the vehicle by --vin"),
    (["--brand", "大众", "--model", "330TSI"], ExitCode.USAGE, "missing --series"),
    (["--vin", VIN, "--price", "-1"], ExitCode.DATA, "--price -1 is negative"),
    (["--vin", VIN, "--price", "1000", "--deposit", "5000"], ExitCode.DATA, "more than the price"),
    (["--vin", VIN, "--price", "二十万"], ExitCode.DATA, "--price"),
    (["--vin", VIN, "--price", "18.9w"], ExitCode.DATA, "--price '18.9w' is not an amount of yuan"),
    (["--vin", VIN, "--price", "inf万"], ExitCode.DATA, "--price"),
    (["--vin", VIN, "--price", "18万", "--deposit", "20万"], ExitCode.DATA, "more than the price"),
])
def test_bad_orders_change_nothing(cli, lead, args, code, message):
    before = cli.fingerprint()
    assert message in cli("order", lead, *args, actor="李娜", code=code).stderr
    assert cli.fingerprint() == before


def test_ordering_an_unknown_lead(cli, lead):
    before = cli.fingerprint()
    assert "no lead with id 42" in cli("order", "42", "--vin", VIN, actor="李娜", code=ExitCode.NOT_FOUND).stderr
    assert cli.fingerprint() == before


def test_one_vehicle_one_order(cli, lead):
    order(cli, lead)
    intake(cli, "13900139000", owner="李娜", grade="A")
    before = cli.fingerprint()
    result = cli("order", "2", "--vin", VIN, actor="李娜", code=ExitCode.REFUSED)
    assert f"vehicle {VIN} is already on order 1 (lead 1)" in result.stderr
    assert cli.fingerprint() == before
    cli("order", "cancel", "1", "--reason", "客户改选其他颜色", actor="李娜")
    assert order(cli, "2")["vin"] == VIN  # a cancelled order frees the vehicle


def test_only_active_leads_are_ordered(cli, lead):
    order(cli, lead)
    before = cli.fingerprint()
    result = cli("order", lead, *MODEL, actor="李娜", code=ExitCode.REFUSED)
    assert "lead 1 is ordered" in result.stderr and "order cancel" in result.stderr
    assert "lead 1 is ordered" in cli("lost", lead, "--attempts", "2", actor="李娜", code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before


def test_a_defeated_lead_is_not_ordered(cli, lead):
    cli("defeat", "request", lead, "--reason", "price", actor="李娜")
    before = cli.fingerprint()
    assert "defeat request 1 open" in cli("order", lead, *MODEL, actor="李娜", code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before
    cli("defeat", "verify", "1", "--result", "确认", actor="孙客服")
    cli("defeat", "approve", "1", actor="王经理")
    assert "lead 1 is defeated" in cli("order", lead, *MODEL, actor="李娜", code=ExitCode.REFUSED).stderr


def test_a_visitor_who_left_no_details_cannot_order(cli):
    cli.json("intake", "--no-contact", "--party", "2", actor="张前台")
    assert "left no contact details" in cli("order", "1", *MODEL, actor="王经理", code=ExitCode.REFUSED).stderr


def test_cancel_puts_the_lead_back_on_its_grade_and_the_due_list(cli, lead):
    order(cli, lead)
    out = cli.json("order", "cancel", "1", "--reason", "客户资金周转问题", actor="李娜", now="2026-12-01T10:00")
    assert (out["status"], out["cancel_reason"], out["lead_status"], out["grade"]) == \
        ("cancelled", "客户资金周转问题", "active", "H")
    assert out["next_due"] == "2026-11-26"  # H every 2 days from the last contact: overdue, so due at once
    assert cli.query("SELECT grade, status, next_due FROM leads") == [("H", "active", "2026-11-26")]
    assert 1 in due_ids(cli, "2026-12-01")
    assert cli.query("SELECT grade, previous, basis FROM grades ORDER BY id DESC LIMIT 1") == [("H", "O", "workflow")]
    assert cli.query("SELECT status, previous, act, reason FROM statuses ORDER BY id DESC LIMIT 1") == [
        ("active", "ordered", "order.cancel", "客户资金周转问题")]


def test_cancelling_an_order_of_an_ungraded_lead_leaves_it_due_for_grading(cli):
    intake(cli, PHONE, owner="李娜")
    cli.json("followup", "1", "--result", "当场签单", actor="李娜")
    order(cli, "1", *MODEL)
    out = cli.json("order", "cancel", "1", "--reason", "退订", actor="李娜", now="2026-11-25T10:00")
    assert (out["grade"], out["next_due"]) == (None, "2026-11-24")
    assert cli.query("SELECT grade, status FROM leads") == [(None, "active")]


@pytest.mark.parametrize("args, code, message", [
    (["cancel", "9", "--reason", "x"], ExitCode.NOT_FOUND, "no order with id 9"),
    (["cancel", "1"], ExitCode.USAGE, "--reason"),
    (["cancel", "1", "--reason", " "], ExitCode.DATA, "cancelled with its reason"),
    (["list", "--status", "paid"], ExitCode.DATA, "unknown order status 'paid'"),
])
def test_bad_cancel_and_list_input_changes_nothing(cli, lead, args, code, message):
    order(cli, lead)
    before = cli.fingerprint()
    assert message in cli("order", *args, actor="李娜", code=code).stderr
    assert cli.fingerprint() == before


def test_delivery_makes_the_retention_card(cli, lead):
    order(cli, lead, "--vin", VIN, *MODEL, "--colour", "极地白", "--price", "189800", "--deposit", "5000")
    card = cli.json("deliver", "1", "--plate", "京A·12345", "--plate-date", "2026-11-30", "--insurer", "人保财险",
                    "--cover", "交强险+商业险", "--accessories", "脚垫, 行车记录仪", actor="李娜",
                    now="2026-12-01T10:00")
    assert card == {
        "id": 1, "order_id": 1, "lead_id": 1, "name": "刘洋", "phone": PHONE, "brand": "大众", "series": "迈腾",
        "model": "330TSI", "config": "豪华型", "colour": "极地白", "vin": VIN, "price": 189800,
        "accessories": "脚垫, 行车记录仪", "plate": "京A12345", "plate_date": "2026-11-30", "insurer": "人保财险",
        "cover": "交强险+商业险", "delivered_at": "2026-12-01T10:00:00", "delivered_by": "李娜",
        "id_number": None, "address": None, "birthday": None, "birthday_calendar": None, "landline": None,
    }
    assert cli.query("SELECT grade, status, next_due FROM leads") == [("O", "delivered", None)]
    assert cli.query("SELECT status, delivered_at FROM orders") == [("delivered", "2026-12-01T10:00:00")]
    assert cli.query("SELECT status, previous, act, order_id FROM statuses ORDER BY id DESC LIMIT 1") == [
        ("delivered", "ordered", "deliver", 1)]
    event = cli.scalar("SELECT detail FROM events WHERE action = 'deliver'")
    assert json.loads(event)["phone"] == "138****8000" and PHONE not in event and "京A" not in event


def test_a_delivery_needs_little(cli, lead):
    order(cli, lead)
    card = cli.json("deliver", "1", actor="王经理")
    assert (card["plate"], card["insurer"], card["name"]) == (None, None, "刘洋")


@pytest.mark.parametrize("args, code, message", [
    (["9"], ExitCode.NOT_FOUND, "no order with id 9"),
    (["1", "--plate", "A12345"], ExitCode.DATA, "not a Chinese plate number"),
    (["1", "--plate-date", "2026-02-30"], ExitCode.DATA, "is not a date"),
    (["1", "--plate-date", "2026-12-25"], ExitCode.DATA, "after today"),
])
def test_bad_deliveries_change_nothing(cli, lead, args, code, message):
    order(cli, lead)
    before = cli.fingerprint()
    assert message in cli("deliver", *args, actor="李娜", code=code).stderr
    assert cli.fingerprint() == before


def test_only_open_orders_are_delivered_or_cancelled(cli, lead):
    order(cli, lead)
    cli.json("deliver", "1", actor="李娜")
    before = cli.fingerprint()
    assert "order 1 is delivered; only an open order" in cli("deliver", "1", actor="李娜", code=ExitCode.REFUSED).stderr
    assert "order 1 is delivered" in cli("order", "cancel", "1", "--reason", "x", actor="李娜",
                                         code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before


def test_a_cancelled_order_is_not_delivered(cli, lead):
    order(cli, lead)
    cli("order", "cancel", "1", "--reason", "退订", actor="李娜")
    assert "order 1 is cancelled" in cli("deliver", "1", actor="李娜", code=ExitCode.REFUSED).stderr


def test_order_list(cli, lead):
    intake(cli, "13900139000", owner="陈刚", grade="A")
    intake(cli, "13700137000", owner="陈刚", grade="B")
    order(cli, "1")
    order(cli, "2", *MODEL, actor="陈刚")
    order(cli, "3", *MODEL, actor="陈刚")
    cli("order", "cancel", "2", "--reason", "退订", actor="陈刚")
    cli("deliver", "3", actor="陈刚")
    assert [r["id"] for r in cli.json("order", "list", actor="王经理")] == [1, 2, 3]
    open_ = cli.json("order", "list", "--status", "open", actor="王经理")
    assert [(r["id"], r["owner"]) for r in open_] == [(1, "李娜")]
    assert [r["id"] for r in cli.json("order", "list", "--status", "cancelled", actor="王经理")] == [2]
    assert [r["id"] for r in cli.json("order", "list", "--status", "delivered", actor="王经理")] == [3]
    lines = cli("order", "list", "--csv", actor="王经理").stdout.splitlines()
    assert lines[0].startswith("ID,Lead ID,Name,Phone,Owner,VIN") and len(lines) == 4
    assert "Orders: 3" in cli("order", "list", actor="王经理").stdout


@pytest.mark.parametrize("args, actor", [
    (["order", "1", "--vin", VIN], "陈刚"),        # another consultant's lead
    (["order", "1", "--vin", VIN], "赵电销"),      # telesales invite and hand over; they do not sign orders
    (["order", "1", "--vin", VIN], "张前台"),
])
def test_who_may_order(cli, lead, args, actor):
    cli(*args, actor=actor, code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT count(*) FROM orders") == 0
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'denied'"))["act"] == "order"


@pytest.mark.parametrize("args, act", [
    (["order", "cancel", "1", "--reason", "x"], "order.cancel"),
    (["deliver", "1"], "deliver"),
    (["order", "delivery-on", "1", "2026-12-01"], "order.delivery_on"),
])
def test_who_may_cancel_and_deliver(cli, lead, args, act):
    order(cli, lead)
    cli(*args, actor="陈刚", code=ExitCode.PERMISSION)
    cli(*args, actor="孙客服", code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT status FROM orders") == "open"
    assert {json.loads(d)["act"] for (d,) in cli.query("SELECT detail FROM events WHERE action = 'denied'")} == {act}


def test_a_policy_may_ask_for_the_check_digit_on_every_vin(cli, lead, tmp_path):
    strict = tmp_path / "strict.toml"
    strict.write_text('[orders]\nvin_check_digit = "always"\n')
    cli("policy", "set-file", str(strict), actor="王经理")
    before = cli.fingerprint()
    result = cli("order", lead, "--vin", "1M8GDM9A1KP042788", actor="李娜", code=ExitCode.DATA)
    assert "check digit" in result.stderr
    assert cli.fingerprint() == before
    strict.write_text('[orders]\nvin_check_digit = "sometimes"\n')
    cli("policy", "set-file", str(strict), actor="王经理", code=ExitCode.DATA)


@pytest.fixture
def collided(cli, lead):
    """李娜's lead walks in and 陈刚 receives the customer: an open collision (撞单)."""
    assert intake(cli, PHONE, owner="陈刚")["collision"] == 1
    return cli


@pytest.mark.parametrize("winner", ["陈刚", "李娜"])
def test_the_consultant_with_the_customer_signs_in_a_collision_and_the_order_follows_the_ruling(collided, winner):
    """[001] 4.4.3 "必须由促使客户订单的直销/销售顾问先接待/签单;送走客户后再私下协商解决"."""
    out = order(collided, "1", actor="陈刚")
    assert (out["ordered_by"], out["owner"], out["lead_status"]) == ("陈刚", "李娜", "ordered")
    assert collided.query("SELECT o.status, s.name FROM orders o JOIN staff s ON s.id = o.ordered_by") == [
        ("open", "陈刚")]
    collided.json("collisions", "rule", "1", "--to", winner, actor="王经理")
    assert [r["owner"] for r in collided.json("order", "list", actor="王经理")] == [winner]
    loser = "李娜" if winner == "陈刚" else "陈刚"
    collided("deliver", "1", actor=loser, code=ExitCode.PERMISSION)
    assert collided.json("deliver", "1", actor=winner)["order_id"] == 1
    assert collided.query("SELECT s.name, l.status FROM leads l JOIN staff s ON s.id = l.owner_id") == [
        (winner, "delivered")]


def test_only_a_party_to_an_open_collision_signs_anothers_lead(collided):
    collided("staff", "add", "吴敏", "--role", "consultant", "--team", "showroom", actor="王经理")
    collided("order", "1", "--vin", VIN, actor="吴敏", code=ExitCode.PERMISSION)  # not a party
    collided.json("collisions", "rule", "1", "--to", "李娜", actor="王经理")
    collided("order", "1", "--vin", VIN, actor="陈刚", code=ExitCode.PERMISSION)  # the collision is settled
    assert collided.scalar("SELECT count(*) FROM orders") == 0


def test_an_ordered_lead_stays_on_its_owners_due_list_until_delivery(cli, lead):
    """[003] names "客户订车后不再进行回访跟进不能跟进至最终交车" as a mistake: the consultant keeps contact until
    delivery, with a call the day before the planned delivery day."""
    out = order(cli, lead, "--vin", VIN, "--delivery-on", "2026-12-10")
    assert out["delivery_on"] == "2026-12-10"
    rows = cli.json("due", "--on", "2026-11-27", actor="李娜")
    assert [(r["lead_id"], r["due_on"], r["reason"]) for r in rows] == [
        (1, "2026-11-27", "ordered: every 3d until delivery, last contact 2026-11-24")]
    done = cli.json("followup", lead, "--result", "车已到港,提醒准备尾款", actor="李娜", now="2026-11-27T10:00")
    assert done["next_due"] == "2026-11-30" and done["grade"] == "O"
    assert cli.query("SELECT status, followup_count, last_contact_at FROM leads") == [
        ("ordered", 2, "2026-11-27T10:00:00")]
    cli.json("followup", lead, "--result", "约定提车流程", actor="李娜", now="2026-12-08T10:00")
    assert cli.scalar("SELECT next_due FROM leads") == "2026-12-09"  # the day before delivery, not 12-11
    [row] = cli.json("due", "--on", "2026-12-09", actor="李娜")
    assert row["reason"] == "delivery on 2026-12-10: contact the day before"
    cli.json("deliver", "1", actor="李娜", now="2026-12-10T15:00")
    assert cli.scalar("SELECT next_due FROM leads") is None


def test_the_planned_delivery_day_changes_with_its_history(cli, lead):
    order(cli, lead, "--vin", VIN, "--delivery-on", "2026-12-10")
    out = cli.json("order", "delivery-on", "1", "2026-11-26", "--reason", "提前到车", actor="李娜")
    assert (out["delivery_on"], out["previous_delivery_on"], out["next_due"]) == ("2026-11-26", "2026-12-10",
                                                                                "2026-11-25")
    assert cli.query("SELECT d.delivery_on, d.previous, d.reason, s.name, d.at FROM delivery_dates d"
                     " JOIN staff s ON s.id = d.by_id ORDER BY d.id") == [
        ("2026-12-10", None, None, "李娜", "2026-11-24T09:00:00"),
        ("2026-11-26", "2026-12-10", "提前到车", "李娜", "2026-11-24T09:00:00")]
    assert cli.scalar("SELECT delivery_on FROM orders") == "2026-11-26"
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'order.delivery_on'"))["previous"] == \
        "2026-12-10"
    assert cli.json("show", lead, actor="王经理")["orders"][0]["delivery_on"] == "2026-11-26"


@pytest.mark.parametrize("args, actor, code, message", [
    (["order", "delivery-on", "1", "2026-11-01"], "李娜", ExitCode.DATA, "is in the past"),
    (["order", "delivery-on", "1", "soon"], "李娜", ExitCode.DATA, "is not a date"),
    (["order", "delivery-on", "9", "2026-12-01"], "李娜", ExitCode.NOT_FOUND, "no order with id 9"),
    (["order", "1", "--vin", VIN, "--delivery-on", "2026-11-01"], "李娜", ExitCode.DATA, "is in the past"),
])
def test_bad_delivery_days_change_nothing(cli, lead, args, actor, code, message):
    if args[1] == "delivery-on":
        order(cli, lead)
    before = cli.fingerprint()
    assert message in cli(*args, actor=actor, code=code).stderr
    assert cli.fingerprint() == before


def test_a_delivered_customer_is_followed_up_and_shown(cli, lead):
    """Owner care after delivery [001]: the follow-up is accepted, recorded and shown; there is no cadence yet."""
    order(cli, lead)
    cli.json("deliver", "1", actor="李娜", now="2026-11-26T10:00")
    cli("followup", lead, "--result", "已提车 满意", "--grade", "H", actor="李娜", now="2026-11-28T10:00",
        code=ExitCode.REFUSED)  # the grade of an owner stays O
    done = cli.json("followup", lead, "--result", "已提车 SSI回访 满意", actor="李娜", now="2026-11-28T10:00")
    assert (done["grade"], done["next_due"]) == ("O", None)
    assert cli.query("SELECT status, followup_count FROM leads") == [("delivered", 2)]
    assert [f["result"] for f in cli.json("show", lead, actor="王经理")["followups"]][-1] == "已提车 SSI回访 满意"


def test_a_delivery_day_left_empty_is_bad_input(cli, lead):
    order(cli, lead, "--vin", VIN, "--delivery-on", "2026-12-10")
    before = cli.fingerprint()
    result = cli("order", "delivery-on", "1", "", actor="李娜", code=ExitCode.DATA)
    assert result.stderr.startswith("leadctl: a delivery day is needed") and len(result.stderr.splitlines()) == 1
    assert cli.fingerprint() == before
