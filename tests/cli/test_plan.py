"""Targets [004]: the year's plan from the sample year's seasonal index, the X+Y roll, the month's breakdown and its
lead targets (recomputed here by hand from the tables), scorecards, and bad input that changes nothing."""

import math
import re
import zipfile

import pytest

from tests.conftest import SAMPLE_NOW, sample_year

DEMO_NOW = SAMPLE_NOW
MANAGER = "张建国"


@pytest.fixture(scope="module")
def demo(tmp_path_factory, sample_year_file):
    cli = sample_year(sample_year_file, tmp_path_factory.mktemp("plan") / "demo.db")
    cli("plan", "year", "2026", "--orders", "800", "--deliveries", "700", actor=MANAGER, now=DEMO_NOW)
    return cli


def _json(cli, *args, actor=MANAGER):
    return cli.json(*args, actor=actor, now=DEMO_NOW)


def test_the_sample_year_gives_a_plan_summing_to_the_target_by_its_seasonal_index(demo):
    plan = _json(demo, "plan", "year", "2027", "--orders", "731")
    assert plan["basis"] == "history" and plan["version"] == 1
    assert sum(m["orders"] for m in plan["months"]) == 731
    # the index by hand: each calendar month's orders (not cancelled) per day on record, from the first lead's
    # day (2025-11-21) up to today (2026-11-20), times the month's days: the two part-Novembers make one
    assert demo.scalar("SELECT substr(min(created_at), 1, 10) FROM leads") == "2025-11-21"
    counts = dict(demo.query("SELECT CAST(substr(ordered_at, 6, 2) AS INTEGER), count(*) FROM orders WHERE"
                             " status != 'cancelled' AND ordered_at >= '2025-11-21' AND ordered_at < '2026-11-20'"
                             " GROUP BY 1"))
    length = {m: 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31 for m in range(1, 13)}
    on_record = {**length, 11: 10 + 19}  # November: 2025-11-21..30 and 2026-11-01..19
    index = {m: counts.get(m, 0) / on_record[m] * length[m] for m in range(1, 13)}
    assert plan["history_days"] == 364 and plan["history_orders"] == sum(counts.values())
    for i, month in enumerate(plan["months"], 1):
        quota = 731 * index[i] / sum(index.values())
        assert math.floor(quota) <= month["orders"] <= math.floor(quota) + 1
    shown = _json(demo, "plan", "show", "2027")
    assert set(shown) >= {"year", "months"} and shown["year"] == 2027 and len(shown["months"]) == 12
    for month in shown["months"]:
        assert all(isinstance(month[k], int) for k in ("orders", "actual"))
    again = _json(demo, "plan", "year", "2027", "--orders", "900")
    assert again["version"] == 2
    assert demo.scalar("SELECT count(*) FROM plans WHERE year = 2027") == 2  # the old version is kept
    assert demo.scalar("SELECT count(*) FROM events WHERE action = 'plan.year'") >= 3


def test_a_year_whose_history_the_records_do_not_cover_is_planned_by_the_policys_indices(demo, zh):
    """Planning 2026 in November 2026: the two years before hold only the store's first 41 days (from 2025-11-21),
    which say nothing of January to October; the policy's indices split the year, and the manager is told why."""
    shown = demo("plan", "year", "2026", "--orders", "800", "--deliveries", "700", actor=MANAGER,
                 now=DEMO_NOW).stdout  # the module's plan again: the tests after this one read the same targets
    assert re.match(r"2026 年计划第 \d+ 版：800 笔订单，政策指数（此前 2 年仅 41 天记录，未覆盖各月）\n", shown), shown
    plan = _json(demo, "plan", "show", "2026")
    assert sorted({m["orders"] for m in plan["months"]}) == [66, 67]  # the standard preset's even season
    assert demo.scalar("SELECT basis FROM plans WHERE year = 2026 ORDER BY version DESC LIMIT 1") == "policy"


def test_the_roll_moves_the_shortfall_forward(demo):
    before = _json(demo, "plan", "show", "2026")
    assert _json(demo, "plan", "show") == before  # the clock's year by default
    rolled = _json(demo, "plan", "roll", "2026-11")
    actual_before = demo.scalar("SELECT count(*) FROM orders WHERE status != 'cancelled' AND ordered_at >="
                                " '2026-01-01' AND ordered_at < '2026-11-01'")
    assert rolled["actual_before"] == actual_before and rolled["left"] == 800 - actual_before
    ahead = [m for m in rolled["months"] if m["month"] >= "2026-11"]
    assert sum(m["replan"] for m in ahead) == 800 - actual_before
    planned_ahead = sum(m["orders"] for m in before["months"] if m["month"] >= "2026-11")
    past = [m for m in rolled["months"] if m["month"] < "2026-11"]
    shortfall = sum(m["plan"] - m["actual"] for m in past)
    assert sum(m["replan"] for m in ahead) == planned_ahead + shortfall  # what was missed moves forward
    assert all(m["replan"] == m["actual"] for m in past)
    assert rolled["open_orders_carried"] == demo.scalar("SELECT count(*) FROM orders WHERE status = 'open' AND"
                                                        " ordered_at < '2026-11-01'")


def test_the_month_splits_and_its_lead_targets_are_the_historical_rates(demo):
    month = _json(demo, "plan", "month", "2026-12")
    target = month["orders"]
    for dimension in ("model", "type", "channel", "person"):
        assert sum(c["orders"] for c in month["cells"] if c["dimension"] == dimension) == target
    # the lead-to-order rate of each model by hand: leads registered 2026-06..2026-11 with that model, and those
    # of them that ordered
    for cell in (c for c in month["cells"] if c["dimension"] == "model" and c["rate_from"] == "model"):
        hits, leads = demo.query(
            "SELECT sum(EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = l.id AND o.status != 'cancelled')),"
            " count(*) FROM leads l WHERE l.created_at >= '2026-06-01' AND l.created_at < '2026-12-01' AND"
            " l.merged_into IS NULL AND l.grade IS NOT 'W' AND l.model = ?", cell["key"])[0]
        assert cell["leads"] == math.ceil(cell["orders"] * leads / hits - 1e-9)
        shown = next(r for r in month["rates"] if r["rate"] == "lead_to_order" and r["model"] == cell["key"])
        assert (shown["numerator"], shown["denominator"], shown["window"]) == (hits, leads, "2026-06..2026-11")
    store_ha = next(r for r in month["rates"] if r["rate"] == "ha_to_order" and r["model"] == "*")
    first_ha = demo.query("""SELECT count(*), sum(EXISTS (SELECT 1 FROM orders o WHERE o.lead_id = f.lead_id AND
        o.status != 'cancelled' AND o.ordered_at >= f.at)) FROM (SELECT lead_id, min(at) AS at FROM grades
        WHERE grade IN ('H', 'A') AND at >= '2026-06-01' AND at < '2026-12-01' GROUP BY lead_id) f""")[0]
    assert (store_ha["denominator"], store_ha["numerator"]) == first_ha
    person = next(c for c in month["cells"] if c["dimension"] == "person")
    assert person["new_ha"] == math.ceil(person["orders"] * first_ha[0] / first_ha[1] - 1e-9)


def test_a_manager_overrides_a_cell_and_the_rest_keeps_the_sum(demo):
    month = _json(demo, "plan", "month", "2026-12", "--set", "person:李明=40", "--set", "model:速腾=100")
    people = [c for c in month["cells"] if c["dimension"] == "person"]
    assert next(c for c in people if c["key"] == "李明")["orders"] == 40
    assert sum(c["orders"] for c in people) == month["orders"]
    models = [c for c in month["cells"] if c["dimension"] == "model"]
    assert next(c for c in models if c["key"] == "速腾") == {**next(c for c in models if c["key"] == "速腾"),
                                                             "orders": 100, "overridden": True}
    assert sum(c["orders"] for c in models) == month["orders"]


def test_scorecards_weigh_to_one_hundred_and_the_workbook_carries_plan_and_scorecard(demo, tmp_path, zh):
    rows = _json(demo, "report", "scorecard", "--month", "2026-11")["rows"]
    totals = [r for r in rows if r["kpi"] == "total"]
    assert totals and all(r["weight"] == 100 for r in totals)
    mine = [r for r in rows if r["staff"] == "李明" and r["kpi"] == "retention_rate"][0]
    kpi = _json(demo, "report", "kpi", "--month", "2026-11", "--owner", "李明")["rows"]
    same = next(r for r in kpi if r["kpi"] == "retention_rate")
    assert (mine["numerator"], mine["denominator"]) == (same["numerator"], same["denominator"])  # one rule
    book = tmp_path / "m.xlsx"
    demo("report", "monthly", "--month", "2026-11", "--xlsx", str(book), actor=MANAGER, now=DEMO_NOW)
    with zipfile.ZipFile(book) as z:
        names = z.namelist()
        workbook = z.read("xl/workbook.xml").decode()
        charts = [z.read(n).decode() for n in names if n.startswith("xl/charts/chart")]
    assert all(title in workbook for title in ("年度订单目标规划", "集客进度盘点", "岗位KPI考核"))
    assert any("订单目标与实际" in chart for chart in charts)


def test_progress_shows_the_month_elapsed_and_what_is_behind(demo):
    rows = _json(demo, "report", "progress", "--month", "2026-11")["rows"]
    total = next(r for r in rows if r["split"] == "total")
    assert total["elapsed"] == round(20 / 30, 4)
    assert total["orders"] == demo.scalar("SELECT count(*) FROM orders WHERE status != 'cancelled' AND ordered_at"
                                          " >= '2026-11-01' AND ordered_at < '2026-11-21'")
    weeks = [r for r in rows if r["split"] == "week"]
    assert weeks[-1]["orders_target"] == total["orders_target"]


@pytest.mark.parametrize("args, code", [
    (("plan", "year", "2028", "--orders", "-5"), 65),
    (("plan", "roll", "2029-03"), 65),  # outside the plans' years
    (("plan", "month", "2030-01"), 65),
    (("plan", "month", "2026-13"), 65),
    (("plan", "month", "2026-12", "--model-share", "速腾=0.5,探岳=0.4"), 65),
    (("plan", "month", "2026-12", "--set", "person:李明=100000"), 65),
])
def test_bad_input_is_one_line_and_changes_nothing(demo, args, code):
    before = demo.fingerprint()
    result = demo(*args, code=code, actor=MANAGER, now=DEMO_NOW)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert demo.fingerprint() == before


def test_weights_not_summing_to_one_hundred_are_refused(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[scorecard.consultant]]\nkpi = "order_attainment"\nweight = 60\ntarget = 1.0\n'
                   '[[scorecard.consultant]]\nkpi = "visit_plan"\nweight = 30\ntarget = 1.0\n', encoding="utf-8")
    before = cli.fingerprint()
    result = cli("policy", "set-file", str(bad), code=65, actor="王经理")
    assert "90%, not 100%" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert cli.fingerprint() == before


def test_a_store_without_history_splits_evenly_and_says_so(cli):
    plan = cli.json("plan", "year", "2026", "--orders", "24", actor="王经理")
    assert plan["basis"] == "policy" and [m["orders"] for m in plan["months"]] == [2] * 12
    month = cli.json("plan", "month", "2026-12", actor="王经理")
    assert month["even"] and any("evenly" in n for n in month["notes"])
    assert sorted(c["orders"] for c in month["cells"] if c["dimension"] == "person") == [1, 1]
    assert all(c["leads"] is None for c in month["cells"])  # no rates without history
    done = cli.json("plan", "confirm", "2026-12", actor="李娜")
    assert done["orders"] == 1
    assert cli.scalar("SELECT count(*) FROM confirmations c JOIN staff s ON s.id = c.staff_id"
                      " WHERE s.name = '李娜'") == 1
    cli("plan", "confirm", "2026-12", actor="李娜", code=4)
    cli("plan", "year", "2027", "--orders", "5", actor="李娜", code=77)
    cli("plan", "show", "2027", actor="王经理", code=65)  # a year outside the plan's


def test_no_plan_at_all_is_not_found(cli):
    cli("plan", "roll", "2026-11", actor="王经理", code=3)


def test_the_scorecard_table_reads_chinese_under_zh(demo, zh, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    shown = demo("report", "scorecard", "--month", "2026-11", actor=MANAGER, now=DEMO_NOW)
    assert "销售经理" in shown.stdout and "销售顾问" in shown.stdout  # roles as words
    body = shown.stdout.split("\n", 1)[1]  # below the title, which names the report to type
    assert "manager" not in body and "order_attainment" not in body and "retention_rate" not in body
    rows = _json(demo, "report", "scorecard", "--month", "2026-11")["rows"]
    assert {r["role"] for r in rows} >= {"manager", "consultant"} and "retention_rate" in {r["kpi"] for r in rows}


def test_the_plan_on_the_terminal_reads_in_chinese_with_its_figures_aligned(demo, zh, monkeypatch):
    """The year's plan as a manager sees it under zh: headers in words (月份 订单 实际 差额), never the JSON keys;
    the figures right-aligned, so the shortfall's minus signs line up with the rest."""
    monkeypatch.setenv("COLUMNS", "80")
    shown = demo("plan", "show", "2026", actor=MANAGER, now=DEMO_NOW).stdout
    header = next(line for line in shown.splitlines() if line.startswith("┃"))
    assert [h.strip() for h in header.strip("┃").split("┃")] == ["月份", "订单", "实际", "差额", "交车", "已交车"]
    rows = [line.split("│")[1:-1] for line in shown.splitlines() if line.startswith("│ 2026-")]
    assert len(rows) == 12
    for column in range(1, 6):
        cells = [row[column] for row in rows if row[column].strip()]
        assert cells and all(cell.endswith(" ") and cell[-2].isdigit() for cell in cells), (column, cells)
        assert len({len(cell) for cell in cells}) == 1


def test_the_month_plan_on_the_terminal_names_its_splits_and_rates_in_words(demo, zh, monkeypatch):
    """Under zh a manager reads the month's cells by 车型/客户类型/渠道/人员, a channel and a customer type as the
    store says them, the rates by their names and where each was measured; the JSON keeps the codes."""
    monkeypatch.setenv("COLUMNS", "120")
    shown = demo("plan", "month", "2026-12", actor=MANAGER, now=DEMO_NOW).stdout
    cells = [[c.strip() for c in line.split("│")[1:-1]] for line in shown.splitlines() if line.startswith("│")]
    assert {c[0] for c in cells[:40]} >= {"车型", "客户类型", "渠道", "人员"}
    assert ["渠道", "展厅"] in [c[:2] for c in cells] and ["客户类型", "零售新客户"] in [c[:2] for c in cells]
    assert {"集客订单转化率", "H/A成交率", "B/C转H/A率"} <= {c[0] for c in cells}
    assert "全部车型" in {c[1] for c in cells} and "全店" in {c[-1] for c in cells}
    words = {w for c in cells for w in c}
    assert not words & {"model", "type", "channel", "person", "walk-in", "retail/new", "lead_to_order", "store", "*"}
    done = _json(demo, "plan", "month", "2026-12")
    assert {"walk-in", "retail/new"} <= {c["key"] for c in done["cells"]}
    assert {"lead_to_order", "bc_to_ha"} <= {r["rate"] for r in done["rates"]}
    assert "*" in {r["model"] for r in done["rates"]}
    title = demo("plan", "show", "2026", actor=MANAGER, now=DEMO_NOW).stdout.splitlines()[0]
    assert re.fullmatch(r"2026 年计划第 \d+ 版（(年度制定|X\+Y 滚动)）", title), title  # the roll above, or not
    progress = demo("report", "progress", "--month", "2026-12", actor=MANAGER, now=DEMO_NOW).stdout
    splits = {line.split("│")[1].strip() for line in progress.splitlines() if line.startswith("│")}
    assert splits == {"周", "合计", "车型", "人员"}


def test_the_month_plan_in_english_names_h_a_and_b_c_as_written(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("LEADCTL_LANG", "en")
    shown = demo("plan", "month", "2026-12", actor=MANAGER, now=DEMO_NOW).stdout
    header = next(line for line in shown.splitlines() if line.startswith("┃"))
    assert "New H/A" in header and "B/C upgrades" in header and "New ha" not in header
    assert "all models" in shown and "whole store" in shown and "lead to order" in shown


def test_a_column_of_fractions_is_written_to_its_longest_decimals():
    from leadctl.cli.output import decimals

    assert decimals([0.0, 331.25, None, 12]) == 2
    assert decimals([0.081571, 0.1]) == 6 and decimals([0.1234567891]) == 6
    assert decimals([1.0, 2.0]) == 1 and decimals([3, 4]) is None and decimals([None]) is None


def test_a_years_shares_read_as_percentages_on_the_terminal(demo, zh, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    planned = _json(demo, "plan", "year", "2027", "--orders", "731")
    shown = demo("plan", "year", "2027", "--orders", "731", actor=MANAGER, now=DEMO_NOW).stdout
    cells = [line.split("│")[2] for line in shown.splitlines() if line.startswith("│ 2027-")]
    assert cells == [f" {m['share']:.1%} ".rjust(len(cells[0])) for m in planned["months"]]  # one width, aligned
    assert all(0 < m["share"] < 1 for m in planned["months"])  # JSON keeps the fraction
