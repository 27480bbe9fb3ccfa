"""Each report's figures on the hand-built month (see conftest.py), and golden files for its output."""

import pytest

from leadctl.errors import ExitCode

READER = "张前台"  # the front desk reads every phone of these stores masked: the golden files show no full number

MONTH = ("--month", "2026-10")


def rows(shop, name, *more, actor=READER):
    return shop.json("report", name, *MONTH, *more, actor=actor)["rows"]


def test_traffic_by_day_and_hour(shop):
    days = {r["date"]: r for r in rows(shop, "traffic")}
    assert len(days) == 31
    sat = days["2026-10-03"]
    assert sat["weekday"] == "周六"
    assert {k: sat[k] for k in ("batches", "people", "first_visits", "return_visits", "left_details",
                                "no_details", "calls", "list_leads", "h10_12", "h14_16")} == {
        "batches": 3, "people": 6, "first_visits": 3, "return_visits": 0, "left_details": 2, "no_details": 1,
        "calls": 0, "list_leads": 0, "h10_12": 1, "h14_16": 2}
    assert (days["2026-10-05"]["batches"], days["2026-10-05"]["return_visits"]) == (1, 1)
    assert days["2026-10-06"]["calls"] == 1 and days["2026-10-07"]["list_leads"] == 1
    assert days["2026-10-01"]["batches"] == 0


def test_daily_work_per_staff(shop):
    by = {r["staff"]: r for r in rows(shop, "daily")}
    assert (by["李娜"]["new_leads"], by["李娜"]["followups"]) == (1, 2)
    assert (by["陈刚"]["new_leads"], by["陈刚"]["followups"]) == (1, 2)
    assert (by["赵电销"]["new_leads"], by["赵电销"]["followups"]) == (2, 1)
    # as of 2026-10-31: 李娜's H lead was due 10-07, 陈刚's C lead 11-09, 赵电销's A lead 10-13 and web lead 10-07
    assert (by["李娜"]["overdue"], by["陈刚"]["overdue"], by["赵电销"]["overdue"]) == (1, 0, 2)


def test_customers_by_grade_model_channel_owner(shop):
    got = {(r["dimension"], r["value"]): r["leads"] for r in rows(shop, "customers")}
    assert got[("意向级别", "H")] == 1 and got[("意向级别", "C")] == 1 and got[("意向级别", "A")] == 1
    assert got[("意向级别", "W")] == 1 and got[("意向级别", "-")] == 1
    assert got[("客户来源", "展厅")] == 3 and got[("客户来源", "来电")] == 1 and got[("客户来源", "网络")] == 1
    assert got[("销售顾问", "赵电销")] == 2 and got[("销售顾问", "(未分配)")] == 1
    assert got[("意向车型", "迈腾")] == 1


def test_sources_with_conversion(shop):
    got = {(r["channel"], r["info_source"]): r for r in rows(shop, "sources")}
    assert got[("展厅", "亲友")]["leads"] == 1 and got[("展厅", "亲友")]["hot"] == 1
    assert got[("展厅", None)]["left_details"] == 0          # the batch that left nothing
    assert sum(r["leads"] for r in got.values()) == 5


def test_prospects_in_progress(shop):
    got = {r["lead_id"]: r for r in rows(shop, "prospects")}
    assert [r["grade"] for r in got.values()] == ["H", "A", "C"]
    assert got[1]["next_due"] == "2026-10-07" and got[1]["overdue_days"] == 24   # as of 2026-10-31
    assert got[1]["phone"] == "138****0001"                                       # masked: no manager acting
    assert rows(shop, "prospects", actor="王经理")[0]["phone"] == "13800000001"


def test_arrivals_register(shop):
    register = rows(shop, "arrivals")
    assert [(r["date"], r["new_customer"], r["consultant"]) for r in register] == [
        ("2026-10-03", "新", "李娜"), ("2026-10-03", "新", "陈刚"), ("2026-10-03", "新", None),
        ("2026-10-05", "老", "李娜")]
    first = register[0]
    assert (first["arrived"], first["left"]) == ("10:30", "11:40")
    assert (first["trade_in"], first["info_source"]) == ("有", "亲友")
    assert first["grade_24h"] == "H" and first["story"] == "试驾; 致谢电话，约周一再来"
    assert register[2]["name"] == "(未留档)" and register[2]["grade_24h"] is None
    assert register[3]["story"] == "发送报价"  # a follow-up without a grade still tells its result


def test_activity_by_staff_day_method(shop):
    got = {(r["date"], r["staff"]): r for r in rows(shop, "activity")}
    assert got[("2026-10-05", "李娜")]["wechat"] == 1
    assert got[("2026-10-03", "陈刚")]["sms"] == 1
    assert got[("2026-10-10", "陈刚")]["downgrades"] == 1 and got[("2026-10-10", "陈刚")]["total"] == 1


def test_inventory_grades_per_owner_and_moves(shop):
    got = {r["owner"]: r for r in rows(shop, "inventory")}
    assert (got["李娜"]["H"], got["李娜"]["total"]) == (1, 1)
    assert (got["陈刚"]["C"], got["陈刚"]["downgrades"], got["陈刚"]["upgrades"]) == (1, 1, 0)
    assert got["赵电销"]["A"] == 1


def test_kpis_on_the_month(shop):
    got = {r["kpi"]: r for r in rows(shop, "kpi")}
    assert (got["retention_rate"]["numerator"], got["retention_rate"]["denominator"]) == (2, 3)
    assert got["retention_rate"]["passed"] is False
    # grade changes in October: 陈刚 B -> C only (李娜's H -> H is no change)
    assert (got["downgrade_rate"]["numerator"], got["downgrade_rate"]["denominator"]) == (1, 1)
    # overdue at 10-31: 李娜's H (due 10-07), 赵电销's A (10-13) and web lead (10-07); 陈刚's C due 11-09
    assert (got["overdue_rate"]["numerator"], got["overdue_rate"]["denominator"]) == (3, 4)
    # 赵电销 took the 10-06 call (来电) and called back the same day: two calls on one day
    assert got["calls_per_day"]["staff"] == "赵电销" and got["calls_per_day"]["value"] == 2.0


def test_funnel_showroom_and_dcc(shop):
    got = {(r["split"], r["stage"]): r for r in rows(shop, "funnel")}
    assert [got[("展厅", s)]["count"] for s in ("traffic", "details_kept", "arrived")] == [3, 2, 2]
    assert got[("展厅", "details_kept")]["step_rate"] == pytest.approx(2 / 3)
    assert [got[("DCC", s)]["count"] for s in ("traffic", "details_kept", "arrived")] == [2, 2, 0]
    assert got[("合计", "traffic")]["count"] == 5


@pytest.mark.parametrize("name", ["traffic", "daily", "customers", "defeats", "defeat-reasons", "sources",
                                  "prospects", "arrivals", "activity", "inventory", "funnel", "kpi",
                                  "owner-care", "owners"])
def test_golden_output(shop, golden, name, zh):
    golden(f"report-{name}.json", shop("report", name, *MONTH, "--json", actor=READER).stdout)
    golden(f"report-{name}.txt", shop("report", name, *MONTH, actor=READER).stdout)
    doc = shop.json("report", name, *MONTH, actor=READER)
    csv_lines = shop("report", name, *MONTH, "--csv", "--codes", actor=READER).stdout.splitlines()
    assert len(csv_lines) == 1 + len(doc["rows"])
    if doc["rows"]:
        assert csv_lines[0].split(",") == list(doc["rows"][0])


NAMES = ("traffic", "daily", "customers", "defeats", "defeat-reasons", "sources", "prospects", "arrivals", "activity",
         "inventory", "funnel", "kpi", "owner-care", "owners", "complaints")


@pytest.mark.parametrize("name", NAMES)
def test_each_report_fits_80_columns_with_every_value_whole(shop, zh, monkeypatch, name):
    """A manager's terminal: the columns that fit, each value whole (no cell cut to an ellipsis), the row's label
    kept, and on stderr how many columns were left out; --wide shows them all."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "80")
    shown = shop("report", name, *MONTH, actor="王经理")
    lines = shown.stdout.splitlines()
    assert all(cell_len(line.rstrip()) <= 80 for line in lines), shown.stdout
    assert "…" not in shown.stdout, shown.stdout
    doc = shop.json("report", name, *MONTH, actor="王经理")
    header = next(line for line in lines if line.startswith("┃"))
    wide = shop("report", name, *MONTH, "--wide", actor="王经理")
    every = next(line for line in wide.stdout.splitlines() if line.startswith("┃"))
    hidden = every.count("┃") - header.count("┃")
    if hidden:
        assert shown.stderr.strip() == f"另有 {hidden} 列未显示，加宽终端或用 --wide 查看；--xlsx 或 --csv 保留全部列"
    else:
        assert shown.stderr == ""
    assert wide.stderr == "" and "…" not in wide.stdout
    assert header.split("┃")[1] == every.split("┃")[1]  # the column that names each row stays
    assert len([line for line in lines if line.startswith("│")]) >= len(doc["rows"])  # every row, none cut off


def test_a_report_shows_a_name_written_like_markup_as_it_was_given(shop, zh):
    shop.json("intake", "--name", "[/]王[bold]", "--phone", "13912345670", "--owner", "李娜", "--arrived",
              "2026-10-30T10:00", actor="张前台")
    shown = shop("report", "arrivals", *MONTH, actor="王经理").stdout
    assert "[/]王[bold]" in shown


def test_period_and_scope_errors(shop):
    shop("report", "traffic", "--month", "2026-13", code=ExitCode.DATA, actor=READER)
    shop("report", "traffic", "--month", "2026-10", "--from", "2026-10-01", code=ExitCode.USAGE, actor=READER)
    shop("report", "traffic", "--from", "2026-10-09", "--to", "2026-10-01", code=ExitCode.DATA, actor=READER)
    shop("report", "nonsense", code=ExitCode.USAGE, actor=READER)
    shop("report", "daily", "--owner", "无名", code=ExitCode.NOT_FOUND, actor=READER)
    shop("report", "daily", "--owner", "李娜", "--team", "dcc", code=ExitCode.USAGE, actor=READER)


def test_scope_to_one_owner(shop):
    assert {r["owner"] for r in rows(shop, "prospects", "--owner", "陈刚")} == {"陈刚"}
    assert [r["staff"] for r in rows(shop, "daily", "--team", "dcc")] == ["赵电销"]


def test_under_en_a_report_s_headers_and_kpi_names_are_words(shop, monkeypatch):
    """LEADCTL_LANG=en: the table and the CSV name their columns in words (`First visits`, not `first_visits`) and a
    KPI by its English name; `--codes` keeps the keys; the JSON keeps its keys and the store's own KPI names."""
    monkeypatch.setenv("COLUMNS", "80")
    table = shop("report", "kpi", *MONTH, actor=READER).stdout
    assert "Invited arrival rate" in table and "邀约到店率" not in table and "arrival_rate" not in table
    assert "│ KPI " in table.replace("┃", "│") and "Value" in table
    csv = shop("report", "kpi", *MONTH, "--csv", actor=READER).stdout.splitlines()
    assert csv[0].startswith("KPI code,KPI,Staff,Unit,Value,Minimum,Maximum,Passed,Numerator,")
    assert any(line.startswith("arrival_rate,Invited arrival rate,") for line in csv)
    assert shop("report", "kpi", *MONTH, "--csv", "--codes", actor=READER).stdout.startswith("kpi,name,staff,unit,")
    doc = shop.json("report", "kpi", *MONTH, actor=READER)
    assert {"kpi": "arrival_rate", "name": "邀约到店率"}.items() <= next(
        r for r in doc["rows"] if r["kpi"] == "arrival_rate").items()
    traffic = shop("report", "traffic", *MONTH, "--csv", actor=READER).stdout.splitlines()[0]
    assert traffic.startswith("Date,Weekday,Batches,People,First visits,Return visits,") and "08-10h" in traffic


def test_under_zh_the_kpi_report_keeps_the_store_s_names(shop, zh, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = shop("report", "kpi", *MONTH, actor=READER).stdout
    assert "邀约到店率" in table and "Invited" not in table and "arrival_rate" not in table
    assert shop("report", "kpi", *MONTH, "--csv", actor=READER).stdout.startswith("kpi,指标,员工,单位,实际,")


def test_a_report_by_its_forms_title_or_a_word_of_it(shop, tmp_path, zh):
    at = {"actor": "王经理", "now": "2026-11-30T18:00"}
    funnel = shop.json("report", "funnel", **at)
    assert shop.json("report", "集客转化漏斗", **at) == funnel and shop.json("report", "漏斗", **at) == funnel
    several = shop("report", "客户", code=ExitCode.USAGE, **at).stderr  # in several titles: it asks which
    assert several.count("\n") == 1 and "客户分析（customers）" in several and "funnel" not in several
    assert shop.json("report", "客户分析", **at) == shop.json("report", "customers", **at)  # a whole title wins
    unknown = shop("report", "销量", code=ExitCode.USAGE, **at).stderr
    assert unknown.count("\n") == 1 and "集客转化漏斗（funnel）" in unknown
    written = shop.json("report", "月报", "--xlsx", str(tmp_path / "m.xlsx"), **at)
    assert written["rows"] > 0 and (tmp_path / "m.xlsx").exists()
    assert len(shop.json("report", "漏斗", "--xlsx", str(tmp_path / "f.xlsx"), **at)["sheets"]) == 1
