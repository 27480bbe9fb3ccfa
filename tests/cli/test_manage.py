import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake


@pytest.fixture
def collided(cli):
    cli.json("intake", "--name", "刘洋", "--phone", "13800138000", "--owner", "李娜", actor="张前台",
             now="2026-11-20T10:05")
    cli.json("followup", "1", "--result", "已报价", actor="李娜", now="2026-11-20T15:00")
    out = intake(cli, "+86 138 0013 8000", owner="陈刚")
    assert out["collision"] == 1
    return cli


def test_collisions_list_the_evidence_and_a_recommendation(collided, db_path):
    [row] = collided.json("collisions", actor="王经理")
    assert row["phone"] == "13800138000"                                        # the manager rules: in full
    assert row["owner"]["staff"] == "李娜" and row["owner"]["card_counts"] is True
    assert row["owner"]["followups"] == 1 and row["claimant"]["staff"] == "陈刚"
    assert row["recommended"] == "李娜" and "first valid record" in row["reasons"][0]
    assert "陈刚" in collided("collisions", actor="王经理").stdout


def test_a_card_entered_late_does_not_count(cli):
    intake(cli, "13800138000", owner="李娜", arrived="2026-11-18T10:00")   # entered on the 24th
    intake(cli, "13800138000", owner="陈刚")
    [row] = cli.json("collisions", actor="王经理")
    assert row["owner"]["card_counts"] is False and row["recommended"] == "陈刚"


def test_the_managers_ruling_is_final_and_moves_the_lead(collided):
    out = collided.json("collisions", "rule", "1", "--to", "陈刚", actor="王经理")
    assert out["ruled_to"] == "陈刚" and out["ruling"].startswith("against the recommendation")
    assert collided.scalar("SELECT s.name FROM leads JOIN staff s ON s.id = owner_id") == "陈刚"
    assert collided.json("collisions", actor="王经理") == []
    assert collided.json("collisions", "--all", actor="王经理")[0]["ruled_to"] == "陈刚"
    before = collided.fingerprint()
    collided("collisions", "rule", "1", "--to", "李娜", actor="王经理", code=ExitCode.REFUSED)
    assert collided.fingerprint() == before


@pytest.mark.parametrize("args, actor, code", [
    (["collisions", "rule", "9", "--to", "李娜"], "王经理", ExitCode.NOT_FOUND),
    (["collisions", "rule", "1", "--to", "赵电销"], "王经理", ExitCode.REFUSED),
    (["collisions", "rule", "1", "--to", "无名"], "王经理", ExitCode.NOT_FOUND),
    (["collisions", "rule", "1", "--to", "李娜"], "李娜", ExitCode.PERMISSION),
])
def test_bad_rulings_change_nothing(collided, args, actor, code):
    collided("due", "--all", actor="王经理")  # settle the file
    before = collided.query("SELECT * FROM collisions"), collided.query("SELECT owner_id FROM leads")
    collided(*args, actor=actor, code=code)
    assert (collided.query("SELECT * FROM collisions"), collided.query("SELECT owner_id FROM leads")) == before


def test_merge_keeps_everything_of_both(cli):
    intake(cli, "13800138000", owner="李娜", arrived="2026-11-10T10:00")
    intake(cli, "13900139000", name="刘洋(新号)", owner="李娜")
    cli.json("followup", "2", "--result", "新号码联系上了", actor="李娜")
    out = cli.json("merge", "1", "13900139000", actor="王经理")
    assert out["lead_id"] == 1 and out["merged"] == 2 and out["moved"]["visits"] == 1
    card = cli.json("show", "1", actor="王经理")
    assert len(card["visits"]) == 2 and len(card["followups"]) == 1
    assert {e["action"] for e in card["events"]} >= {"intake", "followup", "merge", "merged"}
    assert cli.json("show", "13900139000", actor="王经理")["id"] == 1           # the other number finds the kept lead
    again = intake(cli, "13900139000")                          # and is a return visit of it
    assert again["lead_id"] == 1 and not again["new_lead"]
    assert cli.query("SELECT status, merged_into FROM leads WHERE id = 2") == [("closed", 1)]
    cli("merge", "1", "1", actor="王经理", code=ExitCode.REFUSED)
    cli("merge", "1", "3", actor="李娜", code=ExitCode.NOT_FOUND)


def test_fleet_promotion_is_a_managers_act(cli):
    intake(cli, "13800138000", owner="李娜")
    cli("fleet", "1", actor="李娜", code=ExitCode.PERMISSION)
    assert cli.json("fleet", "1", actor="王经理") == {"lead_id": 1, "fleet": True}
    cli("fleet", "1", actor="王经理", code=ExitCode.REFUSED)
    assert cli.json("show", "1", actor="王经理")["fleet"] is True


def test_review_queue_and_comment(cli):
    intake(cli, "13800138000", owner="李娜", arrived="2026-11-20T10:00")
    cli.json("followup", "1", "--result", "已报价", "--at", "2026-11-20T15:00", actor="李娜")
    [waiting] = cli.json("review", actor="王经理")
    assert waiting["followup_id"] == 1 and waiting["by"] == "李娜" and waiting["waiting_hours"] == 90
    assert [r["reason"][:9] for r in cli.json("due", actor="王经理") if r["lead_id"] is None] == ["1 follow-"]
    assert "3d" in cli("review", actor="王经理").stdout  # 90 hours read as days
    assert "33h" in cli("review", actor="王经理", now="2026-11-22T00:00").stdout
    cli("review", "1", "--comment", "好", actor="李娜", code=ExitCode.PERMISSION)
    cli("review", "1", "--comment", "  ", actor="王经理", code=ExitCode.DATA)
    cli("review", "7", "--comment", "好", actor="王经理", code=ExitCode.NOT_FOUND)
    cli("review", "--comment", "好", actor="王经理", code=ExitCode.USAGE)
    assert cli.json("review", "1", "--comment", "报价后两天内回访", actor="王经理")["followup_id"] == 1
    assert cli.json("review", actor="王经理") == []
    assert [r for r in cli.json("due", actor="王经理") if r["lead_id"] is None] == []
    assert cli.query("SELECT comment FROM reviews") == [("报价后两天内回访",)]


def test_deactivating_a_leaver_moves_their_open_leads(cli):
    for i in range(3):
        intake(cli, f"1380013800{i}", owner="李娜")
    before = cli.fingerprint()
    assert "--to" in cli("staff", "deactivate", "李娜", actor="王经理", code=ExitCode.REFUSED).stderr
    cli("staff", "deactivate", "李娜", "--to", "张前台", actor="王经理", code=ExitCode.REFUSED)
    cli("staff", "deactivate", "李娜", "--to", "陈刚", actor="赵电销", code=ExitCode.PERMISSION)
    assert cli.query("SELECT count(*) FROM leads WHERE owner_id = 2") == [(3,)]
    assert cli.fingerprint() != before  # only the denial's audit event was written
    out = cli.json("staff", "deactivate", "李娜", "--to", "陈刚", actor="王经理")
    assert out == {"name": "李娜", "active": False, "to": "陈刚", "moved": 3}
    assert cli.query("SELECT DISTINCT s.name FROM leads JOIN staff s ON s.id = owner_id") == [("陈刚",)]
    result = cli("followup", "1", "--result", "x", actor="李娜", code=ExitCode.PERMISSION)
    assert "inactive staff member '李娜'" in result.stderr


MODEL = ["--brand", "大众", "--series", "迈腾", "--model", "330TSI"]


@pytest.fixture
def two(cli):
    """Lead 1 (李娜's) and its duplicate, lead 2, under another phone."""
    intake(cli, "13800138000", owner="李娜", grade="H")
    intake(cli, "13900139000", name="刘洋(新号)", owner="李娜", grade="A")
    return cli


@pytest.mark.parametrize("setup, message", [
    ([("fleet", "2")], "lead 2 is a fleet customer (批售)"),
    ([("order", "2", *MODEL)], "lead 2 has open order 1"),
    ([("order", "2", *MODEL), ("deliver", "1")], "lead 2 has delivered order 1"),
])
def test_merge_refuses_fleet_and_order_customers(two, setup, message):
    """[000] "将多个非批售、非订单客户进行合并": a fleet or order customer is not folded into another card."""
    for args in setup:
        two.json(*args, actor="王经理")
    before = two.fingerprint()
    result = two("merge", "1", "2", actor="王经理", code=ExitCode.REFUSED)
    assert message in result.stderr and "leadctl merge 2 1" in result.stderr
    assert two.fingerprint() == before
    assert two.query("SELECT id, status, merged_into FROM leads WHERE id = 2")[0][2] is None


def test_merge_keeps_the_fleet_flag_and_leaves_orders_on_their_card(two):
    two.json("fleet", "1", actor="王经理")
    two.json("order", "2", *MODEL, actor="王经理")
    two.json("order", "cancel", "1", "--reason", "退订", actor="王经理")
    out = two.json("merge", "1", "2", actor="王经理")
    assert "orders" not in out["moved"]
    assert two.query("SELECT id, fleet, status FROM leads ORDER BY id") == [(1, 1, "active"), (2, 0, "closed")]
    assert two.query("SELECT id, lead_id, status FROM orders") == [(1, 2, "cancelled")]  # never moved
    assert two.json("show", "1", actor="王经理")["orders"] == []


@pytest.mark.parametrize("act, message", [
    (["invite", "--on", "2026-12-05T10:00"], "each have an open invitation"),
    (["defeat", "request", "--reason", "price"], "each have an open defeat request"),
])
def test_merge_refuses_two_cards_that_each_hold_an_open_one(two, act, message):
    """A card holds one open invitation and one open defeat request: two would collide in the kept card."""
    verb = act[:2] if act[0] == "defeat" else act[:1]
    for lead in ("1", "2"):
        two.json(*verb, lead, *act[len(verb):], actor="王经理")
    before = two.fingerprint()
    result = two("merge", "1", "2", actor="王经理", code=ExitCode.REFUSED)
    assert message in result.stderr and len(result.stderr.splitlines()) == 1
    assert two.fingerprint() == before
