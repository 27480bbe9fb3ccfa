"""After the order: the owner's retention card, owner care on the due list, referrals and the owner share."""

import json
import re

import pytest
from lunardate import LunarDate

from leadctl.errors import ExitCode
from tests.conftest import intake

PHONE = "13800138000"
MODEL = ["--brand", "大众", "--series", "迈腾", "--model", "330TSI"]
ID_NUMBER = "11010519491231002X"  # the standard's example: check character X
DELIVERED = "2026-12-01T10:00"


def owner(cli, phone=PHONE, name="刘洋", by="李娜", *deliver_args, delivered=DELIVERED):
    """A customer of `by`'s, ordered and delivered on `delivered`; returns the retention card."""
    lead = intake(cli, phone, name=name, owner=by, grade="H")["lead_id"]
    cli.json("followup", str(lead), "--result", "报价", actor=by)
    order = cli.json("order", str(lead), *MODEL, actor=by)
    return cli.json("deliver", str(order["id"]), *deliver_args, actor=by, now=delivered)


def care_rows(cli, on, actor="李娜"):
    return [(r["lead_id"], r["care"], r["due_on"], r["overdue_days"]) for r in
            cli.json("due", "--on", on, actor=actor, now=f"{on}T08:00") if r.get("care")]


def test_the_retention_card_at_delivery(cli):
    card = owner(cli, PHONE, "刘洋", "李娜", "--address", "北京市朝阳区建国路1号", "--id-number", ID_NUMBER.lower(),
                 "--birthday", "1990-08-15", "--birthday-calendar", "阴历", "--landline", "010-12345678")
    assert (card["address"], card["birthday"], card["birthday_calendar"], card["landline"]) == \
        ("北京市朝阳区建国路1号", "1990-08-15", "lunar", "01012345678")
    assert card["id_number"] == "110***********002X"  # masked for the consultant
    assert cli.query("SELECT id_number FROM retention_cards") == [(ID_NUMBER,)]
    assert cli.query("SELECT birthday, birthday_calendar, address, landline FROM leads") == [
        ("1990-08-15", "lunar", "北京市朝阳区建国路1号", "01012345678")]
    assert cli.json("owners", "card", "1", actor="王经理")["id_number"] == ID_NUMBER
    assert cli.json("owners", "card", "1", actor="陈刚")["id_number"] == "110***********002X"
    rows = cli.json("owners", actor="李娜")
    assert [(r["lead_id"], r["name"], r["phone"], r["owner"], r["model"], r["delivered_on"]) for r in rows] == [
        (1, "刘洋", PHONE, "李娜", "330TSI", "2026-12-01")]
    assert cli.json("owners", "--model", "朗逸", actor="李娜") == []
    assert len(cli.json("owners", "--delivered-from", "2026-12-01", "--delivered-to", "2026-12-01",
                        "--owner", "李娜", actor="王经理")) == 1
    assert "刘洋" in cli("owners", "--csv", actor="李娜").stdout
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'deliver'"))["card_fields"] == [
        "address", "birthday", "calendar", "id_number", "landline"]
    assert ID_NUMBER not in "".join(r[0] for r in cli.query("SELECT detail FROM events"))


@pytest.mark.parametrize("args, message", [
    (["--id-number", "110105194912310021"], "check digit is wrong"),
    (["--id-number", "11010519491331002X"], "birth date"),
    (["--id-number", "1101051949123100"], "18 characters"),
    (["--birthday", "1990-01-30", "--birthday-calendar", "lunar"], "lunar date '1990-01-30' does not exist"),
    (["--birthday", "1990-02-30"], "does not exist"),
])
def test_bad_card_fields_change_nothing(cli, args, message):
    intake(cli, PHONE, owner="李娜", grade="H")
    cli.json("order", "1", *MODEL, actor="李娜")
    before = cli.fingerprint()
    result = cli("deliver", "1", *args, actor="李娜", code=ExitCode.DATA)
    assert message in result.stderr and len(result.stderr.strip().splitlines()) <= 2
    assert cli.fingerprint() == before


def test_the_policy_may_forbid_storing_id_numbers(cli, tmp_path):
    path = tmp_path / "care.toml"
    path.write_text("[care]\nid_number = false\n", encoding="utf-8")
    cli("policy", "set-file", str(path), actor="王经理")
    intake(cli, PHONE, owner="李娜", grade="H")
    cli.json("order", "1", *MODEL, actor="李娜")
    before = cli.fingerprint()
    assert "does not allow storing ID numbers" in cli("deliver", "1", "--id-number", ID_NUMBER, actor="李娜",
                                                      code=ExitCode.REFUSED).stderr
    assert cli.fingerprint() == before


def test_the_first_seven_days_of_care_on_the_right_days_for_the_right_person(cli):
    owner(cli)
    intake(cli, "13900139000", name="王芳", owner="李娜", grade="B")  # a lead of hers: its rows come first
    assert care_rows(cli, "2026-12-01") == []
    assert care_rows(cli, "2026-12-02") == [(1, "thanks", "2026-12-02", 0)]
    assert care_rows(cli, "2026-12-02", actor="陈刚") == []  # not another consultant's
    rows = cli.json("due", "--on", "2026-12-02", actor="李娜", now="2026-12-02T08:00")
    assert [r.get("care") for r in rows] == [None, "thanks"]  # after the leads' rows, labelled
    assert rows[-1]["reason"] == "owner care: thank-you call, day 1 after delivery on 2026-12-01"
    assert set(rows[-1]) >= {"lead_id", "due_on", "overdue_days", "reason", "care"}
    assert care_rows(cli, "2026-12-03") == [(1, "thanks", "2026-12-02", 1)]  # missed: overdue
    assert care_rows(cli, "2026-12-04") == [(1, "thanks", "2026-12-02", 2), (1, "ssi", "2026-12-04", 0)]
    done = cli.json("followup", "1", "--care", "thanks", "--result", "感谢购车", actor="李娜", now="2026-12-04T09:00")
    assert (done["care"], done["care_due_on"]) == ("thanks", "2026-12-02")
    done = cli.json("followup", "1", "--care", "ssi", "--score", "9", "--result", "满意", actor="李娜",
                    now="2026-12-04T10:00")
    assert (done["care"], done["care_due_on"], done["score"]) == ("ssi", "2026-12-04", 9)
    assert care_rows(cli, "2026-12-07") == []
    assert care_rows(cli, "2026-12-08") == [(1, "ssi", "2026-12-08", 0)]
    assert cli.query("SELECT kind, due_on, score FROM care_contacts ORDER BY id") == [
        ("thanks", "2026-12-02", None), ("ssi", "2026-12-04", 9)]
    states = [(c["care"], c["due_on"], c["state"]) for c in
              cli.json("owners", "card", "1", actor="李娜", now="2026-12-08T09:00")["care_contacts"]]
    assert states[:3] == [("thanks", "2026-12-02", "made"), ("ssi", "2026-12-04", "made"),
                          ("ssi", "2026-12-08", "due")]
    assert [r["lead_id"] for r in cli.json("due", "--on", "2026-12-08", "--overdue", actor="李娜",
                                           now="2026-12-08T08:00") if r.get("care")] == []


@pytest.mark.parametrize("args, code, message", [
    (["--care", "ssi", "--score", "11"], ExitCode.DATA, "SSI score 11 is outside 1-10"),
    (["--care", "ssi", "--score", "0"], ExitCode.DATA, "outside 1-10"),
    (["--care", "thanks", "--score", "5"], ExitCode.DATA, "--score is for an SSI call"),
    (["--score", "5"], ExitCode.DATA, "--score is the SSI call's score"),
    (["--care", "party"], ExitCode.DATA, "unknown care contact"),
    (["--care", "birthday"], ExitCode.REFUSED, "no birthday contact is owed"),
])
def test_bad_care_follow_ups_change_nothing(cli, args, code, message):
    owner(cli)
    before = cli.fingerprint()
    result = cli("followup", "1", "--result", "回访", *args, actor="李娜", now="2026-12-04T09:00", code=code)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_care_is_for_delivered_customers(cli):
    intake(cli, PHONE, owner="李娜", grade="H")
    result = cli("followup", "1", "--care", "thanks", "--result", "x", actor="李娜", code=ExitCode.REFUSED)
    assert "not a delivered customer" in result.stderr


@pytest.mark.parametrize("year", [2027, 2028])
def test_a_lunar_birthday_lands_on_its_solar_day(cli, year):
    owner(cli, PHONE, "刘洋", "李娜", "--birthday", "1990-08-15", "--birthday-calendar", "lunar")
    solar = LunarDate(year, 8, 15).to_solar_date()
    before = solar.fromordinal(solar.toordinal() - 1)
    assert [r for r in care_rows(cli, before.isoformat()) if r[1] == "birthday"] == []
    assert [r for r in care_rows(cli, solar.isoformat()) if r[1] == "birthday"] == [
        (1, "birthday", solar.isoformat(), 0)]
    assert solar.isoformat() == {2027: "2027-09-15", 2028: "2028-10-03"}[year]


def test_a_solar_birthday_and_the_yearly_contacts(cli):
    owner(cli, PHONE, "刘洋", "李娜", "--birthday", "1985-03-08")
    assert care_rows(cli, "2027-03-08")[-1] == (1, "birthday", "2027-03-08", 0)
    assert (1, "service", "2027-03-01", 7) in care_rows(cli, "2027-03-08")  # 3 months after delivery
    assert care_rows(cli, "2027-11-01") == [(1, "insurance", "2027-11-01", 0)]  # 30 days before the anniversary
    assert care_rows(cli, "2027-12-01") == [(1, "insurance", "2027-11-01", 30), (1, "anniversary", "2027-12-01", 0)]
    assert care_rows(cli, "2027-12-02") == [(1, "anniversary", "2027-12-01", 1)]  # past the window: missed


def test_order_list_late(cli):
    intake(cli, PHONE, owner="李娜", grade="H")
    cli.json("order", "1", *MODEL, "--delivery-on", "2026-11-28", actor="李娜")
    assert cli.json("order", "list", "--late", actor="李娜") == []
    late = cli.json("order", "list", "--late", actor="李娜", now="2026-11-29T09:00")
    assert [(o["id"], o["delivery_on"]) for o in late] == [(1, "2026-11-28")]
    assert "--late lists open orders" in cli("order", "list", "--late", "--status", "delivered", actor="李娜",
                                             code=ExitCode.USAGE).stderr


def test_an_ordered_lead_is_due_every_3_days_and_the_day_before_delivery(cli):
    intake(cli, PHONE, owner="李娜", grade="H")
    cli.json("order", "1", *MODEL, actor="李娜")
    assert cli.scalar("SELECT next_due FROM leads") == "2026-11-27"
    cli.json("order", "delivery-on", "1", "2026-11-26", "--reason", "车到店", actor="李娜")
    assert cli.scalar("SELECT next_due FROM leads") == "2026-11-25"
    assert cli.query("SELECT delivery_on, previous, reason FROM delivery_dates") == [("2026-11-26", None, "车到店")]


def test_referrals_and_repurchases_feed_the_owner_share(cli):
    owner(cli)  # lead 1, 刘洋, an owner since 2026-12-01
    referred = intake(cli, "13900139000", name="王芳", owner="陈刚", channel="转介绍", referred_by=PHONE)
    assert cli.scalar("SELECT referred_by FROM leads WHERE id = ?", referred["lead_id"]) == 1
    cli.json("order", str(referred["lead_id"]), *MODEL, actor="陈刚", now="2026-12-10T10:00")
    intake(cli, "13700137000", name="赵六", owner="陈刚", grade="A")
    cli.json("order", "3", *MODEL, actor="陈刚", now="2026-12-11T10:00")
    intake(cli, PHONE, channel="续购", actor="张前台")  # 刘洋 buys again
    cli.json("order", "1", *MODEL, actor="李娜", now="2026-12-12T10:00")
    kpi = {r["kpi"]: r for r in cli.json("report", "kpi", "--month", "2026-12", actor="王经理",
                                         now="2026-12-20T10:00")["rows"]}
    share = kpi["owner_share"]
    assert (share["numerator"], share["denominator"], share["minimum"], share["passed"]) == (2, 3, 0.12, True)
    card = cli.json("owners", "card", "1", actor="李娜", now="2026-12-20T10:00")
    assert [(r["lead_id"], r["name"], r["status"], r["ordered_at"][:10]) for r in card["referrals"]] == [
        (2, "王芳", "ordered", "2026-12-10")]
    assert card["referrals"][0]["phone"] == "139****9000"  # 陈刚's lead, read by 李娜


def test_referred_by_needs_the_referral_channel_and_a_lead(cli):
    intake(cli, PHONE, owner="李娜", grade="H")
    before = cli.fingerprint()
    assert "--referred-by goes with --channel referral" in cli(
        "intake", "--phone", "13900139000", "--referred-by", "1", actor="张前台", code=ExitCode.USAGE).stderr
    assert "no lead with id 9" in cli("intake", "--phone", "13900139000", "--channel", "referral", "--referred-by",
                                      "9", actor="张前台", code=ExitCode.NOT_FOUND).stderr
    assert cli.fingerprint() == before


def test_the_owner_care_sheet_and_the_owners_report(cli, tmp_path, zh):
    from openpyxl import load_workbook

    owner(cli)  # 李娜's: thanks 12-02, SSI 12-04 and 12-08
    owner(cli, "13900139000", "王芳", "陈刚")
    cli.json("followup", "1", "--care", "thanks", "--result", "感谢", actor="李娜", now="2026-12-02T09:00")
    cli.json("followup", "1", "--care", "ssi", "--score", "8", "--result", "满意", actor="李娜", now="2026-12-05T09:00")
    cli.json("followup", "2", "--care", "ssi", "--score", "6", "--result", "一般", actor="陈刚", now="2026-12-04T09:00")
    at = {"actor": "王经理", "now": "2026-12-10T09:00"}
    rows = {(r["owner"], r["model"]): r for r in cli.json("report", "owner-care", "--month", "2026-12", **at)["rows"]}
    mine = rows[("李娜", "合计")]
    assert (mine["due"], mine["done"], mine["on_time"], mine["late"], mine["ssi_average"]) == (3, 2, 1, 2, 8)
    assert rows[("李娜", "330TSI")]["due"] == 3
    theirs = rows[("陈刚", "合计")]
    assert (theirs["due"], theirs["done"], theirs["on_time"], theirs["late"], theirs["ssi_average"]) == (3, 1, 1, 2, 6)
    kept = {r["owner"]: r for r in cli.json("report", "owners", "--month", "2026-12", **at)["rows"]}
    assert (kept["李娜"]["owners"], kept["李娜"]["care_due"], kept["李娜"]["care_on_time"]) == (1, 3, 1)
    path = tmp_path / "monthly.xlsx"
    cli("report", "monthly", "--month", "2026-12", "--xlsx", str(path), **at)
    sheet = load_workbook(path)["保有客户维系"]
    assert [c.value for c in sheet[1]][:4] == ["销售顾问", "车型", "应回访", "已回访"]
    assert any(r[0] == "李娜" and r[1] == "合计" and r[7] == 8 for r in sheet.iter_rows(min_row=2, values_only=True))


CARE_DAYS = ["2026-12-02", "2026-12-08", "2027-03-03", "2027-05-20", "2027-09-15", "2027-11-01", "2027-12-01",
             "2028-01-05", "2028-02-01"]


def test_the_store_wide_care_rows_are_every_consultants_own(cli):
    """The manager's `due --all` picks owners by the cards' and birthdays' indexes, a consultant's `due` by their
    own owners: on every day both name the same contacts."""
    owner(cli, PHONE, "刘洋", "李娜", "--birthday", "1990-08-15", "--birthday-calendar", "lunar")
    owner(cli, "13900139000", "陈静", "陈刚", "--birthday", "1985-03-03", delivered="2026-12-05T15:00")
    owner(cli, "13700137000", "王芳", "李娜", "--birthday", "1979-01-05", delivered="2027-02-01T09:30")
    owner(cli, "13600136000", "赵敏", "陈刚", delivered="2026-11-30T11:00")
    for on in CARE_DAYS:
        mine = sorted(care_rows(cli, on, "李娜") + care_rows(cli, on, "陈刚"))
        assert mine, on  # every day of the list owes some contact
        everyone = [(r["lead_id"], r["care"], r["due_on"], r["overdue_days"]) for r in
                    cli.json("due", "--all", "--on", on, actor="王经理", now=f"{on}T08:00") if r.get("care")]
        assert sorted(everyone) == mine, on


def test_the_care_picks_are_indexed(cli):
    """The anniversaries are found by the cards' delivery day (the birthdays' index is chosen once the store has
    statistics: `PRAGMA optimize`; an empty test store has none)."""
    cards = cli.query("EXPLAIN QUERY PLAN SELECT c.id FROM retention_cards c WHERE substr(c.delivered_at, 6, 5)"
                      " IN ('12-01', '12-02')")
    assert any("retention_cards_day" in row[-1] for row in cards)


def test_the_card_shows_the_car_as_ordered_and_delivered(cli, zh, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    lead = intake(cli, PHONE, name="刘洋", owner="李娜", grade="H")["lead_id"]
    order = cli.json("order", str(lead), *MODEL, "--colour", "极地白", "--price", "189800", actor="李娜")
    cli("deliver", str(order["id"]), "--plate", "京A12345", "--plate-date", "2026-11-30", "--insurer", "人保",
        "--cover", "交强险+商业险", "--accessories", "脚垫、行车记录仪", actor="李娜", now=DELIVERED)
    card = cli.json("owners", "card", PHONE, actor="李娜", now=DELIVERED)
    assert (card["colour"], card["price"], card["plate_date"], card["cover"], card["accessories"]) == \
        ("极地白", 189800, "2026-11-30", "交强险+商业险", "脚垫、行车记录仪")
    shown = cli("owners", "card", PHONE, actor="李娜", now=DELIVERED).stdout
    for field, value in (("颜色", "极地白"), ("价格", "189800"), ("上牌日期", "11月30日 周一"),
                         ("险种", "交强险+商业险"), ("精品/装饰", "脚垫、行车记录仪")):
        assert re.search(rf"^ {re.escape(field)} +{re.escape(value)}", shown, re.M), (field, shown)
    listed = cli("owners", actor="李娜", now=DELIVERED).stdout  # at 80 columns: the day of delivery, not 已交车
    header = next(line for line in listed.splitlines() if line.startswith("┃"))
    assert "交车日" in header and "状态" not in header and "12月1日 周二" in listed
    assert "状态" in next(line for line in cli("owners", "--wide", actor="李娜", now=DELIVERED).stdout.splitlines()
                        if line.startswith("┃"))
