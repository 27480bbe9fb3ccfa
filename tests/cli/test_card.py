"""The whole customer card: fields through intake, edit, show and export; corrections as history; voided visits
and follow-ups; find and the leads list; purge reaching the search index."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import intake

CARD = ["--gender", "男", "--birth-year", "1988", "--employer", "长安物流", "--industry", "运输",
        "--address", "广州天河", "--wechat", "zw_88", "--landline", "020-87654321", "--current-vehicle", "捷达 2012",
        "--brand", "日产", "--series", "轩逸", "--config", "豪华版", "--colour", "白色", "--competitors", "朗逸",
        "--competitors", "卡罗拉",
        "--budget-min", "12万", "--budget-max", "150000", "--payment", "贷款", "--purpose", "上下班",
        "--favourable", "预算充足", "--unfavourable", "家人犹豫", "--objections", "价格", "--resources", "试驾车",
        "--story", "首次到店试乘试驾满意度高", "--birthday", "1988-05-06", "--birthday-calendar", "阴历"]


def _intake(cli, phone="13800138000", name="张伟", *extra, actor="张前台"):
    return cli.json("intake", "--name", name, "--phone", phone, "--owner", "李娜", *extra, actor=actor)


def test_every_card_field_round_trips_intake_show_and_export(cli, tmp_path):
    lead = _intake(cli, "13800138000", "张伟", *CARD)["lead_id"]
    card = cli.json("show", str(lead), actor="李娜")
    assert {k: card[k] for k in ("gender", "birth_year", "employer", "competitors", "budget_min", "budget_max",
                                  "payment", "birthday", "birthday_calendar", "story", "wechat", "landline")} == {
        "gender": "male", "birth_year": 1988, "employer": "长安物流", "competitors": ["朗逸", "卡罗拉"],
        "budget_min": 120000, "budget_max": 150000, "payment": "loan", "birthday": "1988-05-06",
        "birthday_calendar": "lunar", "story": "首次到店试乘试驾满意度高", "wechat": "zw_88",
        "landline": "020-87654321"}
    assert card["customer_type"] == "new"
    assert cli.scalar("SELECT competitors FROM leads WHERE id = ?", lead) == '["朗逸", "卡罗拉"]'
    out = tmp_path / "leads.csv"
    from leadctl import i18n

    i18n.use("zh")  # the forms' Chinese headers are the export's under zh
    try:
        cli("export", "leads", "--csv", str(out), actor="王经理")
    finally:
        i18n.use("en")
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert rows[0]["性别"] == "男" and rows[0]["对比车型"] == "朗逸、卡罗拉" and rows[0]["购买方式"] == "贷款"
    assert rows[0]["首次接待概况"] == "首次到店试乘试驾满意度高" and rows[0]["生日(阳历/阴历)"] == "阴历"


@pytest.mark.parametrize("bad", [["--gender", "x"], ["--budget-min", "30万", "--budget-max", "20万"],
                                 ["--birthday", "1990-13-01", "--birthday-calendar", "lunar"],
                                 ["--payment", "赊账"]])
def test_bad_card_values_are_one_line_and_change_nothing(cli, bad):
    _intake(cli)
    before = cli.fingerprint()
    result = cli("edit", "1", *bad, code=65, actor="李娜")
    assert len(result.stderr.strip().splitlines()) == 1
    result = cli("intake", "--name", "王五", "--phone", "13900139000", *bad, code=65, actor="张前台")
    assert len(result.stderr.strip().splitlines()) == 1
    assert cli.fingerprint() == before


def test_edit_keeps_every_change_as_history(cli):
    _intake(cli, "13800138000", "张伟", "--gender", "男")
    done = cli.json("edit", "1", "--gender", "女", "--employer", "某公司", actor="李娜")
    assert done["changed"] == ["gender", "employer"]
    history = cli.json("show", "1", actor="李娜")["history"]
    assert [(h["field"], h["old"], h["new"], h["by"]) for h in history] == [
        ("gender", "male", "female", "李娜"), ("employer", None, "某公司", "李娜")]
    assert cli.scalar("SELECT gender FROM leads WHERE id = 1") == "female"
    assert cli.scalar("SELECT count(*) FROM card_history WHERE lead_id = 1") == 2


def test_who_may_edit_the_card(cli):
    _intake(cli)
    cli("edit", "1", "--industry", "教育", actor="张前台")  # registered it today
    cli("edit", "1", "--industry", "医疗", actor="陈刚", code=77)  # not the owner
    cli("edit", "1", "--industry", "金融", actor="张前台", now="2026-11-25T09:00:00", code=77)  # not the same day
    cli("edit", "1", "--industry", "金融", actor="王经理", now="2026-11-25T09:00:00")
    assert cli.scalar("SELECT industry FROM leads WHERE id = 1") == "金融"


def test_a_phone_another_lead_has_is_refused_suggesting_merge(cli):
    _intake(cli, "13800138000")
    _intake(cli, "13900139000", "李四")
    before = cli.fingerprint()
    result = cli("edit", "1", "--phone", "139 0013 9000", actor="李娜", code=4)
    assert "merge" in result.stderr and "13900139000" not in result.stderr
    assert cli.fingerprint() == before
    cli("edit", "1", "--phone", "13700137000", actor="李娜")
    assert cli.scalar("SELECT phone FROM leads WHERE id = 1") == "13700137000"
    assert cli.json("show", "1", actor="李娜")["history"][-1]["field"] == "phone"


def test_a_voided_follow_up_no_longer_counts_and_the_due_date_follows(cli):
    _intake(cli)
    cli("grade", "1", "B", actor="李娜")
    first = cli.json("followup", "1", "--result", "约周六到店", actor="李娜")
    cli("followup", "1", "--result", "记错客户了", actor="李娜", now="2026-11-24T15:00:00")
    wrong = cli.scalar("SELECT max(id) FROM followups")
    cli("followup", "void", str(wrong), "--reason", "x", actor="陈刚", code=77)  # not its author
    done = cli.json("followup", "void", str(wrong), "--reason", "记错客户", actor="李娜", now="2026-11-24T16:00:00")
    assert cli.scalar("SELECT followup_count FROM leads WHERE id = 1") == 1
    assert cli.scalar("SELECT count(*) FROM followups") == 2  # nothing deleted
    assert done["next_due"] == first["next_due"]
    assert cli.json("show", "1", actor="李娜")["history"][-1]["reason"] == "记错客户"
    report = cli.json("report", "activity", "--from", "2026-11-24", "--to", "2026-11-24", actor="王经理")
    assert "记错客户了" not in str(report)


def test_a_voided_visit_leaves_the_register(cli):
    _intake(cli)
    cli("visit", "void", "1", "--reason", "登记错", actor="陈刚", code=77)
    cli.json("visit", "void", "1", "--reason", "登记错", actor="张前台")
    rows = cli.json("report", "arrivals", "--from", "2026-11-24", "--to", "2026-11-24", actor="王经理")["rows"]
    assert rows == []
    cli("visit", "void", "1", "--reason", "again", actor="王经理", code=4)


def test_the_register_keeps_the_grade_of_each_visit(cli):
    _intake(cli, "13800138000", "张伟", "--grade", "C")
    cli("grade", "1", "A", actor="李娜", now="2026-11-24T12:00:00")
    rows = cli.json("report", "arrivals", "--from", "2026-11-24", "--to", "2026-11-24", actor="王经理",
                    now="2026-11-25T09:00:00")["rows"]
    assert rows[0]["grade"].startswith("C")


@pytest.fixture
def people(cli):
    for phone, name in (("13800138000", "张伟"), ("13900138001", "章薇"), ("13700137002", "王小明")):
        _intake(cli, phone, name)
    cli("followup", "3", "--result", "客户对比轩逸和朗逸的价格", actor="李娜")
    return cli


@pytest.mark.parametrize("text, found, why", [
    ("zhangwei", {1, 2}, "name in pinyin"), ("zw", {1, 2}, "name's initials"), ("Zhang Wei", {1, 2}, "name in pinyin"),
    ("张伟", {1}, "name"), ("8001", {2}, "phone ends 8001"), ("+86 138-0013-8000", {1}, "phone"),
    ("轩逸", {3}, "follow-up 1"), ("朗逸的价格", {3}, "follow-up 1"), ("wangxiaoming", {3}, "name in pinyin"),
    ("小明", {3}, "name holds 小明"), ("不存在的词", set(), None)])
def test_find_each_way_the_desk_asks(people, text, found, why):
    hits = people.json("find", text, actor="李娜")
    assert {h["lead_id"] for h in hits} == found
    assert all(why in h["matched"] for h in hits)


def test_find_masks_phones_by_the_reading_rule_and_ranks_the_exact_name_first(people):
    hits = people.json("find", "张伟", actor="陈刚")
    assert hits[0]["phone"] == "138****8000"
    hits = people.json("find", "zhangwei", actor="李娜")
    assert hits[0]["phone"] == "13800138000"


def test_find_sees_an_edit_at_once_and_check_rebuilds_the_index(people):
    people("edit", "1", "--name", "张薇薇", actor="李娜")
    assert {h["lead_id"] for h in people.json("find", "zhangweiwei", actor="李娜")} == {1}
    people.query("SELECT 1")
    people("check", "--fix-index")
    assert {h["lead_id"] for h in people.json("find", "zww", actor="李娜")} == {1}


def test_purge_takes_the_customer_out_of_the_index_and_the_file(people):
    people("edit", "3", "--story", "独一无二的接待故事", actor="李娜")
    people.json("find", "王小明", actor="李娜")  # indexed
    people("purge", "3", actor="王经理")
    data = b"".join(Path(f"{people.db}{s}").read_bytes() for s in ("", "-wal") if Path(f"{people.db}{s}").exists())
    for text in ("王小明", "独一无二的接待故事", "wangxiaoming", "客户对比轩逸"):
        assert text.encode() not in data, text
    assert people.json("find", "wangxiaoming", actor="王经理") == []
    assert people.scalar("SELECT count(*) FROM name_keys WHERE lead_id = 3") == 0


def test_leads_lists_filters_and_sorts(cli):
    _intake(cli, "13800138000", "张伟", "--grade", "B")
    _intake(cli, "13900139000", "李四", "--grade", "H")
    rows = cli.json("leads", "--grade", "H", actor="李娜")
    assert [r["lead_id"] for r in rows] == [2]
    rows = cli.json("leads", "--owner", "李娜", "--sort", "name", actor="王经理")
    assert {r["lead_id"] for r in rows} == {1, 2} and set(rows[0]) >= {"lead_id", "name", "phone", "grade", "status",
                                                                      "owner", "next_due"}
    assert cli.json("leads", actor="陈刚") == []
    cli("leads", "--sort", "colour", actor="李娜", code=2)
    assert "Lead ID" in cli("leads", "--csv", actor="李娜").stdout


def test_check_lists_cards_missing_a_required_field_per_owner(cli):
    intake(cli, "13800138000", owner="李娜")
    found = cli.json("check")["cards_missing_required"]
    assert found[0]["owner"] == "李娜" and "gender" in found[0]["missing"]
    assert cli.scalar("SELECT complete_at_entry FROM leads WHERE id = 1") == 0
