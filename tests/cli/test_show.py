from leadctl.errors import ExitCode
from tests.conftest import intake


def test_the_whole_card_by_id_or_any_phone_format(cli):
    intake(cli, "13800138000", owner="李娜", model="探岳")
    intake(cli, "13800138000", owner="陈刚")
    cli.json("grade", "1", "--within", "2w", actor="李娜")
    cli.json("followup", "1", "--result", "已发报价", actor="李娜")
    card = cli.json("show", "+86 138 0013 8000", actor="王经理")
    assert card == cli.json("show", "1", actor="王经理")
    assert {k: card[k] for k in ("id", "name", "phone", "grade", "status", "owner", "next_due", "model")} == {
        "id": 1, "name": "刘洋", "phone": "13800138000", "grade": "A", "status": "active", "owner": "李娜",
        "next_due": "2026-12-01", "model": "探岳"}
    assert card["due_reason"] == "A every 7d, last contact 2026-11-24"
    assert [v["first_visit"] for v in card["visits"]] == [True, False]
    assert card["grades"][0]["detail"] == {"within_days": 14}
    assert card["followups"][0]["result"] == "已发报价"
    assert card["owners"][0]["to_owner"] == "李娜"
    assert card["collisions"][0]["claimant"] == "陈刚"
    assert [e["action"] for e in card["events"]] == ["intake", "intake", "grade", "followup"]
    assert "已发报价" in cli("show", "1", actor="王经理").stdout


def test_show_unknown_lead(cli):
    result = cli("show", "42", code=ExitCode.NOT_FOUND, actor="王经理")
    assert result.stderr.strip() == "leadctl: no lead with id 42; find it by phone, or see `leadctl due --all`"


def test_the_card_shows_the_whole_life_of_a_lead(cli):
    intake(cli, "13800138000", owner="李娜", grade="H")
    cli.json("followup", "1", "--result", "报价", actor="李娜")
    order = cli.json("order", "1", "--brand", "大众", "--series", "迈腾", "--model", "330TSI", actor="李娜")
    cli.json("deliver", str(order["id"]), "--plate", "京A12345", actor="李娜")
    card = cli.json("show", "1", actor="王经理")
    assert card["orders"][0]["plate"] == "京A12345" and card["orders"][0]["status"] == "delivered"
    assert [s["status"] for s in card["statuses"]] == ["ordered", "delivered"]
    assert card["invitations"] == [] and card["defeats"] == [] and card["handovers"] == []


def section(shown: str, title: str) -> str:
    return next(part for part in shown.split("\n\n") if part.startswith(title))


def test_the_screen_says_what_was_typed_why_graded_what_the_call_back_heard(cli, zh, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    intake(cli, "13800138000", owner="李娜", grade="B")
    cli.json("followup", "1", "--result", "已发报价", actor="李娜")
    cli.json("grade", "1", "H", "--reason", "客户说下周提车", actor="李娜")
    cli.json("defeat", "request", "1", "--reason", "竞品", "--lost-to", "丰田/凯美瑞", "--note", "比价后选了凯美瑞",
             actor="李娜")
    cli.json("defeat", "verify", "1", "--result", "客户确认已在别家订车", actor="孙客服")
    shown = cli("show", "1", actor="王经理").stdout
    grades = section(shown, "级别\n")
    assert "B -> H（直接定级）；原因 客户说下周提车" in grades and "；原因 登记" in grades and "registered" not in shown
    assert "备注 比价后选了凯美瑞，核实 客户确认已在别家订车" in "".join(
        line.strip() for line in section(shown, "战败申请").splitlines())
    followup = section(shown, "跟进\n")
    assert "已发报价" in followup and "级别" not in followup and " -" not in followup  # nothing typed: nothing said
