"""The complaint register (客户投诉登记表) on a hand-built week, its subtotals and KPIs, and its golden output."""

from datetime import datetime

import pytest
from openpyxl import load_workbook

from leadctl.errors import ExitCode
from tests.conftest import intake

READER = "张前台"  # the front desk reads every phone of these stores masked: the golden files show no full number

WEEK = ("--week", "2026-W48")  # Monday 2026-11-23 to Sunday 2026-11-29
MONDAY_AFTER = "2026-11-30T09:00"  # the register is handed in the Monday after


@pytest.fixture
def week(cli):
    def new(at, actor, *args):
        cli.json("complaint", "new", *args, actor=actor, now=at)

    def act(at, actor, *args):
        cli.json("complaint", *args, actor=actor, now=at)

    intake(cli, "13800000001", name="客户1", owner="李娜", arrived="2026-11-20T10:00")
    intake(cli, "13800000003", name="客户3", owner="李娜", arrived="2026-11-20T11:00")
    new("2026-11-22T10:00", "张前台", "--customer", "1", "--channel", "phone", "--kind", "service",
        "--summary", "上周的投诉")                                                        # the week before
    # 1: on site, a plan in 8 minutes, resolved the same morning, surveyed 5
    new("2026-11-23T09:00", "张前台", "--customer", "13800000001", "--channel", "现场", "--kind", "服务",
        "--summary", "接待态度差", "--department", "销售部", "--to", "孙客服")
    act("2026-11-23T09:08", "孙客服", "reply", "2", "--text", "当场致歉")
    act("2026-11-23T10:00", "孙客服", "resolve", "2", "--valid", "--action", "道歉并赠送礼品")
    act("2026-11-24T15:00", "孙客服", "survey", "2", "--score", "5")
    # 2: a call-center ticket about a product, first reply 30 minutes late
    new("2026-11-24T14:00", "赵电销", "--phone", "13900000002", "--name", "钱女士", "--channel", "呼叫中心",
        "--kind", "产品", "--summary", "空调异味", "--department", "售后部")
    act("2026-11-24T16:30", "孙客服", "reply", "3", "--text", "已初步回复", "--contacted")
    act("2026-11-26T10:00", "孙客服", "progress", "3", "--note", "已预约检修")
    act("2026-11-27T10:00", "王经理", "resolve", "3", "--valid", "--action", "更换空调滤芯", "--category", "空调",
        "--model", "迈腾", "--date", "2026-08-01")
    # 3: a phone complaint answered an hour past 24 hours, a misunderstanding
    new("2026-11-25T11:00", "李娜", "--customer", "13800000003", "--channel", "电话", "--kind", "服务",
        "--summary", "报价不一致", "--department", "销售部")
    act("2026-11-26T12:00", "孙客服", "reply", "4", "--text", "已解释")
    act("2026-11-27T09:00", "孙客服", "resolve", "4", "--invalid", "--action", "客户误解优惠政策")
    # 4: an e-mail on Friday evening, still unanswered on Monday
    new("2026-11-27T17:00", "张前台", "--phone", "13700000004", "--channel", "邮件", "--kind", "服务",
        "--summary", "邮件无人回复", "--to", "孙客服")
    new("2026-11-30T08:00", "张前台", "--customer", "1", "--channel", "fax", "--kind", "service",
        "--summary", "下周的投诉")                                                        # the week after
    return cli


def register(cli, *more, actor=READER):
    return cli.json("report", "complaints", *WEEK, *more, actor=actor, now=MONDAY_AFTER)["rows"]


FORM = ("date", "name", "phone", "channel", "kind", "summary", "product", "department", "handler",
        "first_reply_at", "reply_minutes", "reply_on_time", "result", "valid", "closed_at", "satisfaction", "breaches")


def test_the_register_matches_the_week(week):
    rows = [r for r in register(week) if r["row"] == "登记"]
    # the desk gave two to customer service (--to); the others went to the registrar's manager
    assert [tuple(r[k] for k in FORM) for r in rows] == [
        ("2026-11-23", "客户1", "138****0001", "现场", "服务", "接待态度差", None, "销售部", "孙客服",
         "2026-11-23 09:08", 8, True, "道歉并赠送礼品", "有效", "2026-11-23 10:00", 5, 0),
        ("2026-11-24", "钱女士", "139****0002", "呼叫中心", "产品", "空调异味", "空调 / 迈腾 / 2026-08-01", "售后部",
         "王经理", "2026-11-24 16:30", 150, False, "更换空调滤芯", "有效", "2026-11-27 10:00", None, 1),
        ("2026-11-25", "客户3", "138****0003", "电话", "服务", "报价不一致", None, "销售部", "王经理",
         "2026-11-26 12:00", 1500, False, "客户误解优惠政策", "无效", "2026-11-27 09:00", None, 1),
        ("2026-11-27", None, "137****0004", "邮件", "服务", "邮件无人回复", None, "(未填)", "孙客服",
         None, None, False, None, None, None, None, 1),
    ]


SUMMARY = ("row", "kind", "department", "complaints", "reply_minutes", "on_time_rate", "valid_rate", "satisfaction",
           "breaches", "breach_rate")


def test_subtotals_by_kind_and_department_and_the_total_kpis(week):
    rows = [tuple(r[k] for k in SUMMARY) for r in register(week) if r["row"] != "登记"]
    assert rows == [
        ("小计", "服务", None, 3, 754, pytest.approx(1 / 3), 0.5, 5, 2, pytest.approx(2 / 3)),
        ("小计", "产品", None, 1, 150, 0.0, 1.0, None, 1, 1.0),
        ("小计", None, "(未填)", 1, None, 0.0, None, None, 1, 1.0),
        ("小计", None, "售后部", 1, 150, 0.0, 1.0, None, 1, 1.0),
        ("小计", None, "销售部", 2, 754, 0.5, 0.5, 5, 1, 0.5),
        ("合计", None, None, 4, 553, 0.25, pytest.approx(2 / 3), 5, 3, 0.75),
    ]


def test_deadlines_are_judged_at_the_reports_clock(week):
    on_friday = week.json("report", "complaints", *WEEK, now="2026-11-27T18:00", actor=READER)["rows"]
    last = next(r for r in on_friday if r["date"] == "2026-11-27")
    assert (last["reply_on_time"], last["breaches"]) == (None, 0)  # its 24 hours are not up yet


def test_phones_in_full_only_for_a_manager_and_scope_by_handler(week):
    assert [r["phone"] for r in register(week, actor="王经理") if r["row"] == "登记"][:2] == [
        "13800000001", "13900000002"]
    mine = register(week, "--owner", "孙客服")
    assert [r["date"] for r in mine if r["row"] == "登记"] == ["2026-11-23", "2026-11-27"]
    assert mine[-1]["complaints"] == 2


def test_a_week_is_monday_to_sunday(week):
    by_week = week("report", "complaints", *WEEK, "--json", now=MONDAY_AFTER, actor=READER).stdout
    by_days = week("report", "complaints", "--from", "2026-11-23", "--to", "2026-11-29", "--json",
                   now=MONDAY_AFTER, actor=READER).stdout
    assert by_week == by_days
    week("report", "complaints", "--week", "2026-W54", code=ExitCode.DATA, actor=READER)
    week("report", "complaints", "--week", "2026-W48", "--month", "2026-11", code=ExitCode.USAGE, actor=READER)


def test_an_empty_week_still_has_its_total(cli):
    rows = cli.json("report", "complaints", *WEEK, actor=READER)["rows"]
    assert rows == [{**{k: None for k in rows[0]}, "row": "合计", "complaints": 0, "breaches": 0}]


def test_golden_output(week, golden, zh):
    golden("report-complaints.json",
           week("report", "complaints", *WEEK, "--json", now=MONDAY_AFTER, actor=READER).stdout)
    golden("report-complaints.txt", week("report", "complaints", *WEEK, now=MONDAY_AFTER, actor=READER).stdout)
    lines = week("report", "complaints", *WEEK, "--csv", "--codes", now=MONDAY_AFTER, actor=READER).stdout.splitlines()
    assert len(lines) == 1 + 4 + 6 and lines[0].startswith("row,date,name,phone,channel,kind,summary")


def test_a_sheet_of_its_own_with_the_forms_headers(week, tmp_path, zh):
    path = tmp_path / "week.xlsx"
    week("report", "complaints", *WEEK, "--xlsx", str(path), actor="王经理", now=MONDAY_AFTER)
    ws = load_workbook(path)["客户投诉登记表"]
    headers = [c.value for c in ws[1]]
    assert headers[1:12] == ["日期", "客户姓名", "联系电话", "投诉渠道", "投诉类别", "投诉内容", "产品", "责任部门",
                             "处理人", "首次回复时间", "回复分钟"]
    assert {"处理结果", "是否有效", "结案时间", "满意度", "超时率"} <= set(headers)
    assert ws["B2"].value == datetime(2026, 11, 23) and ws["D2"].value == "13800000001"
    assert ws.max_row == 1 + 4 + 6
