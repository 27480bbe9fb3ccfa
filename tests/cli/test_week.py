"""The forms that supervise the work: weekly plan and summary with the figures filled in and the manager's signature
[003]; customer service's check of new cards, a failure due to the owner [004]; the [003] signature switch."""

import json

from tests.conftest import intake


def test_the_weekly_summary_fills_in_the_week_and_the_manager_signs_it(cli):
    intake(cli, "13800138001", owner="李娜")
    intake(cli, "13800138002", owner="李娜")
    cli("followup", "1", "--result", "约了周六试驾", actor="李娜")
    done = cli.json("week", "summary", "--text", "两位新客户,一位约试驾", actor="李娜")
    assert done["week"] == "2026-W48" and (done["leads"], done["followups"], done["orders"]) == (2, 1, 0)
    plan = cli.json("week", "plan", "--text", "邀约三位", "--numbers", "leads=5,orders=1", actor="李娜")
    assert plan["numbers"] == {"leads": 5, "orders": 1}
    cli("week", "sign", "李娜", actor="李娜", code=77)
    signed = cli.json("week", "sign", "李娜", actor="王经理")
    assert signed["signed_by"] == "王经理"
    cli("week", "summary", "--text", "改一下", actor="李娜", code=4)  # a signed form is kept as it is
    rows = cli.json("report", "week", "--week", "2026-W48", actor="王经理")["rows"]
    assert {(r["staff"], r["kind"], r["signed_by"]) for r in rows} == {("李娜", "summary", "王经理"),
                                                                       ("李娜", "plan", None)}
    assert cli.scalar("SELECT count(*) FROM events WHERE action = 'week.sign'") == 1


def test_a_weekly_form_is_named_and_typed_in_the_stores_words(cli, zh, monkeypatch):
    """周计划 / 周总结 (or 计划 / 总结) are typed for --kind and said in every line about a form; the week's report
    shows the kind in words, the times to the minute and the figures as they were typed."""
    monkeypatch.setenv("COLUMNS", "200")
    saved = cli("week", "plan", "--text", "邀约三位", "--numbers", "试驾=3,orders=1", actor="李娜")
    assert "的周计划已保存" in saved.stderr and "plan" not in saved.stderr
    assert cli("week", "plan", "--text", " ", actor="李娜", code=65).stderr.startswith("leadctl：周计划需要填写内容")
    missing = cli("week", "sign", "李娜", "--kind", "周总结", actor="王经理", code=3).stderr
    assert "没有 2026-W48 的周总结" in missing and "summary" not in missing
    before = cli.fingerprint()
    refused = cli("week", "sign", "李娜", "--kind", "月报", actor="王经理", code=65).stderr
    assert refused == "leadctl：未知的表单 '月报'；plan（周计划）或 summary（周总结）\n" and cli.fingerprint() == before
    signed = cli("week", "sign", "李娜", "--kind", "计划", actor="王经理").stderr
    assert signed.strip() == "王经理 已签字：李娜 的 2026-W48 周计划"
    assert cli.json("report", "week", "--week", "2026-W48", actor="王经理")["rows"][0]["kind"] == "plan"
    shown = cli("report", "week", "--week", "2026-W48", actor="王经理").stdout
    row = next(line for line in shown.splitlines() if "李娜" in line)
    cells = [c.strip() for c in row.split("│")[1:-1]]
    assert cells[2] == "周计划" and cells[3] == "2026-11-24 09:00" and cells[5] == "试驾=3, orders=1"
    assert cells[-1] == "2026-11-24 09:00"  # signed at


def test_a_failed_check_goes_back_to_the_owner_until_corrected(cli, tmp_path):
    for i in range(10):
        intake(cli, f"1380013810{i}", owner="李娜")
    queued = cli.json("checks", "sample", actor="孙客服")
    assert (queued["new_cards"], queued["queued"]) == (10, 1)  # check_share 0.1 of the standard preset
    assert cli.json("checks", "sample", actor="孙客服")["queued"] == 0  # the week's sample is taken once
    check_id = cli.scalar("SELECT id FROM entry_checks")
    before = cli.fingerprint()
    cli("checks", "record", str(check_id), "--field", "colour=false", actor="孙客服", code=65)
    assert cli.fingerprint() == before
    cli("checks", "record", str(check_id), "--field", "name=true", "--field", "phone=false", "--note", "空号",
        actor="孙客服")
    due = cli.json("due", actor="李娜", now="2026-11-28T09:00")
    assert [r["reason"] for r in due if "customer service" in r["reason"]] == [
        f"correct the card: customer service found phone wrong (check {check_id})"]
    report = cli.json("report", "checks", actor="王经理")["rows"]
    assert report == [{"owner": "李娜", "checked": 1, "passed": 0, "failed": 1, "to_correct": 1,
                       "fields_checked": 2, "fields_true": 1, "accuracy": 0.5}]
    cli("checks", "correct", str(check_id), actor="陈刚", code=4)
    cli("checks", "correct", str(check_id), actor="李娜")
    due = cli.json("due", actor="李娜", now="2026-11-28T09:00")
    assert not [r for r in due if "customer service" in r["reason"]]
    card = cli.json("report", "scorecard", "--owner", "李娜", actor="王经理")["rows"]
    accuracy = next(r for r in card if r["kpi"] == "accuracy")
    assert (accuracy["numerator"], accuracy["denominator"], accuracy["value"]) == (1, 2, 0.5)


def test_the_signature_switch_discounts_unreviewed_followups_and_says_how_many(cli, tmp_path):
    cli("intake", "--name", "刘洋", "--phone", "13800138001", "--owner", "李娜", actor="张前台",
        now="2026-10-01T09:00")
    cli("followup", "1", "--result", "电话沟通", actor="李娜", now="2026-10-02T09:00")
    cli("followup", "1", "--result", "再次沟通", actor="李娜", now="2026-10-03T09:00")
    review = cli.query("SELECT id FROM followups ORDER BY id")[0][0]
    cli("review", str(review), "--comment", "好", actor="王经理", now="2026-10-04T09:00")

    def total():
        rows = cli.json("report", "scorecard", "--month", "2026-10", "--owner", "李娜", actor="王经理")["rows"]
        return next(r for r in rows if r["kpi"] == "total")["discounted"]

    assert total() == 0  # off in every preset
    switch = tmp_path / "sign.toml"
    switch.write_text("[planning]\nsignature_required = true\n", encoding="utf-8")
    cli("policy", "set-file", str(switch), actor="王经理")
    assert total() == 1
    summary = cli.json("week", "summary", "--week", "2026-W40", "--text", "补", actor="李娜")
    assert (summary["followups"], summary["discounted"]) == (1, 1)
    assert json.loads(cli.scalar("SELECT figures FROM week_forms"))["discounted"] == 1
