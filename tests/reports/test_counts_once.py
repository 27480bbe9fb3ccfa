"""A customer is one new reception however they reached the person; a cancelled order is no order."""

MONTH = ("--month", "2026-10")


def _kpi(cli, key, staff):
    rows = cli.json("report", "kpi", *MONTH, actor="王经理")["rows"]
    return next(r for r in rows if r["kpi"] == key and r["staff"] == staff)


def test_received_at_the_desk_then_handed_over_is_one_reception(cli):
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli.json("intake", "--name", "客户3", "--phone", "13800000003", "--channel", "来电",
             "--arrived", "2026-10-06T09:15", actor="赵电销", now="2026-10-06T09:20")
    cli.json("invite", "13800000003", "--on", "2026-10-08T10:00", actor="赵电销", now="2026-10-06T16:00")
    # the desk registers the invited customer as received by 周直销, who is then handed the lead
    cli.json("intake", "--phone", "13800000003", "--owner", "周直销", "--arrived", "2026-10-08T10:10",
             actor="张前台", now="2026-10-08T10:15")
    cli.json("handover", "13800000003", "--to", "周直销", actor="赵电销", now="2026-10-08T11:00")
    # the store holds both: a first visit received by 周直销 and a handover to 周直销
    assert cli.scalar("SELECT count(*) FROM visits v JOIN staff s ON s.id = v.staff_id"
                      " WHERE s.name = '周直销' AND v.first_visit") == 1
    assert cli.scalar("SELECT count(*) FROM handovers h JOIN staff s ON s.id = h.to_id WHERE s.name = '周直销'") == 1
    row = _kpi(cli, "receptions_per_day", "周直销")
    assert (row["numerator"], row["denominator"], row["value"]) == (1, 1, 1.0)


def test_a_customer_received_last_month_is_not_new_when_handed_over(cli):
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli.json("intake", "--name", "客户6", "--phone", "13800000006", "--channel", "来电",
             "--arrived", "2026-09-25T09:00", actor="赵电销", now="2026-09-25T09:05")
    cli.json("invite", "13800000006", "--on", "2026-09-28T10:00", actor="赵电销", now="2026-09-25T10:00")
    cli.json("intake", "--phone", "13800000006", "--owner", "周直销", "--arrived", "2026-09-28T10:00",
             actor="张前台", now="2026-09-28T10:05")
    cli.json("invite", "13800000006", "--on", "2026-10-09T10:00", actor="赵电销", now="2026-10-01T09:00")
    cli.json("arrive", "13800000006", actor="张前台", now="2026-10-09T10:05")
    cli.json("handover", "13800000006", "--to", "周直销", actor="赵电销", now="2026-10-09T10:30")
    assert cli.scalar("SELECT count(*) FROM handovers WHERE at LIKE '2026-10-09%'") == 1
    rows = cli.json("report", "kpi", *MONTH, actor="王经理")["rows"]
    assert [r for r in rows if r["kpi"] == "receptions_per_day" and r["staff"] == "周直销"] == []
    september = cli.json("report", "kpi", "--month", "2026-09", actor="王经理")["rows"]
    assert next(r for r in september if r["kpi"] == "receptions_per_day")["numerator"] == 1


def test_the_daily_report_leaves_out_a_cancelled_order(cli):
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli.json("intake", "--name", "客户7", "--phone", "13800000007", "--owner", "周直销",
             "--arrived", "2026-10-10T10:00", actor="张前台", now="2026-10-10T10:05")
    kept = cli.json("order", "13800000007", "--brand", "大众", "--series", "探岳", "--model", "380TSI",
                    actor="周直销", now="2026-10-10T11:00")
    cli.json("intake", "--name", "客户8", "--phone", "13800000008", "--owner", "周直销",
             "--arrived", "2026-10-11T10:00", actor="张前台", now="2026-10-11T10:05")
    dropped = cli.json("order", "13800000008", "--brand", "大众", "--series", "迈腾", "--model", "330TSI",
                       actor="周直销", now="2026-10-11T11:00")
    cli.json("order", "cancel", str(dropped["id"]), "--reason", "客户资金未到位", actor="王经理",
             now="2026-10-12T09:00")
    assert cli.query("SELECT id, status FROM orders ORDER BY id") == [(kept["id"], "open"),
                                                                      (dropped["id"], "cancelled")]
    by = {r["staff"]: r for r in cli.json("report", "daily", *MONTH, actor="王经理")["rows"]}
    assert by["周直销"]["orders"] == 1


def test_a_month_written_the_chinese_way_is_the_same_report(cli):
    cli.json("intake", "--name", "客户1", "--phone", "13800000001", "--arrived", "2026-10-06T09:15", actor="张前台",
             now="2026-10-06T09:20")
    typed = cli.json("report", "kpi", *MONTH, actor="王经理", now="2026-11-20T09:00")
    for month in ("10月", "2026年10月", "2026/10"):
        assert cli.json("report", "kpi", "--month", month, actor="王经理", now="2026-11-20T09:00") == typed
    refused = cli("report", "kpi", "--month", "13月", actor="王经理", code=65)
    assert refused.stderr.count("\n") == 1 and "13月" in refused.stderr
