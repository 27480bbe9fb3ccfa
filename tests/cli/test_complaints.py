"""Complaints through the CLI: register, handle, survey; their deadlines in `due`; refusals that change nothing."""

import json

import pytest

from leadctl.errors import ExitCode
from leadctl.models import Role
from leadctl.rules.permissions import scope
from tests.conftest import intake

PHONE = "13800138000"


def new(cli, *args, actor="张前台", now=None):
    return cli.json("complaint", "new", *args, actor=actor, now=now)


def act(cli, *args, actor="孙客服", now=None):
    return cli.json("complaint", *args, actor=actor, now=now)


def acts(cli, complaint_id=1):
    return cli.query("SELECT a.at, a.act, s.name, t.name, a.level FROM complaint_acts a JOIN staff s ON s.id = a.by_id"
                     " LEFT JOIN staff t ON t.id = a.to_id WHERE a.complaint_id = ? ORDER BY a.id", complaint_id)


@pytest.fixture
def lead(cli):
    intake(cli, PHONE, owner="李娜")
    return "1"


def test_a_complaint_from_registration_to_survey(cli, lead):
    cli("staff", "add", "周总", "--role", "manager", actor="王经理")
    done = new(cli, "--customer", PHONE, "--channel", "电话", "--kind", "服务", "--summary", "交车等了三小时",
               "--department", "销售部")
    assert (done["id"], done["lead_id"], done["name"], done["phone"]) == (1, 1, "刘洋", PHONE)
    # a receptionist does not handle complaints: it goes to her team's manager ([001] 4.4.1 报部门经理)
    assert (done["channel"], done["kind"], done["responsible"], done["level"]) == ("phone", "service", "王经理", "主管")
    assert done["next"] == "first reply due 2026-11-25 09:00 (24 h left)"
    assert cli.query("SELECT name, phone FROM complaints") == [(None, None)]  # read from the lead, not copied
    act(cli, "reply", "1", "--text", "已致歉并安排专人跟进", "--contacted", now="2026-11-24T10:00")
    act(cli, "progress", "1", "--note", "已协调交车流程", now="2026-11-25T10:00")
    up = act(cli, "escalate", "1", "--to", "王经理", now="2026-11-25T11:00")
    assert (up["responsible"], up["level"]) == ("王经理", "部门经理")
    top = act(cli, "escalate", "1", "--to", "周总", actor="王经理", now="2026-11-25T12:00")
    assert (top["responsible"], top["level"]) == ("周总", "总经理")
    closed = act(cli, "resolve", "1", "--valid", "--action", "赠送保养一次", actor="周总", now="2026-11-26T09:00")
    assert (closed["status"], closed["valid"], closed["resolved_by"]) == ("resolved", True, "周总")
    assert closed["next"] is None
    assert closed["breaches"] == 0
    surveyed = act(cli, "survey", "1", "--score", "5", "--note", "满意", now="2026-11-27T09:00")
    assert (surveyed["score"], surveyed["surveyed_by"]) == (5, "孙客服")
    assert acts(cli) == [
        ("2026-11-24T09:00:00", "new", "张前台", None, None),
        ("2026-11-24T10:00:00", "reply", "孙客服", None, None),
        ("2026-11-25T10:00:00", "progress", "孙客服", None, None),
        ("2026-11-25T11:00:00", "escalate", "孙客服", "王经理", "部门经理"),
        ("2026-11-25T12:00:00", "escalate", "王经理", "周总", "总经理"),
        ("2026-11-26T09:00:00", "resolve", "周总", None, None),
        ("2026-11-27T09:00:00", "survey", "孙客服", None, None),
    ]
    events = cli.query("SELECT action, lead_id FROM events WHERE action LIKE 'complaint.%' ORDER BY id")
    assert events == [(f"complaint.{a}", 1) for a in ("new", "reply", "progress", "escalate", "escalate", "resolve",
                                                       "survey")]


def test_audit_events_hold_ids_and_masked_phones_never_the_customers_words(cli):
    new(cli, "--phone", "139 0013 9000", "--name", "王先生", "--channel", "fax", "--kind", "product",
        "--summary", "发动机异响 13900139000")
    act(cli, "reply", "1", "--text", "已回电 13900139000")
    details = " ".join(d for (d,) in cli.query("SELECT detail FROM events WHERE action LIKE 'complaint.%'"))
    assert "13900139000" not in details and "异响" not in details and "已回电" not in details
    assert json.loads(cli.scalar("SELECT detail FROM events WHERE action = 'complaint.new'"))["phone"] == "139****9000"


def test_a_phone_not_yet_a_lead_and_one_that_is(cli, lead):
    other = new(cli, "--phone", "+86 139-0013-9000", "--name", "王先生", "--channel", "当面", "--kind", "产品",
                "--summary", "异响")
    assert (other["lead_id"], other["name"], other["phone"], other["channel"]) == (None, "王先生", "13900139000",
                                                                                   "onsite")
    assert other["next"] == "first plan due 2026-11-24 09:10 (10 min left)"
    linked = new(cli, "--phone", "138-0013-8000", "--channel", "email", "--kind", "service", "--summary", "回复慢")
    assert (linked["lead_id"], linked["name"]) == (1, "刘洋")
    assert cli.query("SELECT lead_id, phone FROM complaints ORDER BY id") == [(None, "13900139000"), (1, None)]


def due_complaints(cli, *args, actor="管理员", now=None):  # an admin: every phone, and no manager's wider list
    return [r for r in cli.json("due", *args, actor=actor, now=now) if r["reason"].startswith("complaint")]


def test_deadlines_in_due_for_the_responsible_and_every_manager(cli, lead):
    cli("staff", "add", "管理员", "--role", "admin", actor="王经理")
    cli("staff", "add", "刘电销经理", "--role", "manager", "--team", "dcc", actor="王经理")
    new(cli, "--customer", "1", "--channel", "callcenter", "--kind", "service", "--summary", "400投诉单",
        "--to", "孙客服")
    new(cli, "--phone", "13900139000", "--channel", "phone", "--kind", "service", "--summary", "电话投诉",
        actor="赵电销")                                                           # to the DCC team's manager
    rows = due_complaints(cli, "--owner", "孙客服", now="2026-11-24T10:15")
    assert rows == [{"lead_id": 1, "name": "刘洋", "phone": PHONE, "grade": None, "owner": "孙客服",
                     "due_on": "2026-11-24", "overdue_days": 0,
                     "reason": "complaint 1 (服务): first reply due 2026-11-24 11:00 (45 min left)",
                     "reason_code": "complaint", "reason_values": {"complaint_id": 1, "kind": "service",
                                                                   "what": "reply", "due": "2026-11-24 11:00",
                                                                   "late": False, "minutes": 45}, "score": 0}]
    assert due_complaints(cli, "--owner", "李娜") == []                          # not hers
    assert len(due_complaints(cli, "--owner", "李娜", actor="王经理")) == 1      # a manager sees every complaint
    late = due_complaints(cli, "--all", "--overdue", now="2026-11-24T13:00")
    assert [(r["reason"][-10:], r["overdue_days"]) for r in late] == [("(2 h late)", 1)]
    cli("due", "--all", "--fail-if-overdue", now="2026-11-24T13:00", code=ExitCode.ATTENTION, actor="王经理")
    # the phone complaint's first reply is due tomorrow 09:00: on tomorrow's list, and on the DCC team's
    tomorrow = due_complaints(cli, "--team", "dcc", "--on", "2026-11-25")
    assert [r["reason"] for r in tomorrow] == [
        "complaint 2 (服务): first reply due 2026-11-25 09:00 (24 h left)"]
    assert due_complaints(cli, "--team", "dcc") == []


def test_each_act_moves_the_deadline_and_closing_clears_it(cli, lead):
    new(cli, "--customer", "1", "--channel", "呼叫中心", "--kind", "服务", "--summary", "投诉单",
        now="2026-11-27T16:00")                                                   # a Friday
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("reply", "2026-11-27T18:00:00")]
    act(cli, "reply", "1", "--text", "已初步回复", now="2026-11-27T17:00")
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("contact", "2026-11-30T16:00:00")]
    act(cli, "progress", "1", "--note", "已联系客户", "--contacted", now="2026-11-30T10:00")
    # the progress window restarts from the note: Monday 10:00 + 2 working days
    assert cli.query("SELECT next_what, next_deadline FROM complaints") == [("progress", "2026-12-02T10:00:00")]
    assert act(cli, "show", "1", now="2026-12-02T12:00")["next"] == "progress update due 2026-12-02 10:00 (2 h late)"
    act(cli, "resolve", "1", "--invalid", "--action", "客户误解，已解释", now="2026-12-02T12:00")
    assert cli.query("SELECT next_what, next_deadline, valid FROM complaints") == [(None, None, 0)]
    assert due_complaints(cli, "--all", actor="王经理", now="2026-12-09T09:00") == []
    assert act(cli, "show", "1")["breaches"] == 1


def test_a_product_complaint_is_resolved_with_its_details(cli, lead):
    new(cli, "--customer", "1", "--channel", "letter", "--kind", "product", "--summary", "雨刮器异响")
    done = act(cli, "resolve", "1", "--valid", "--action", "更换雨刮器", "--category", "配件", "--model", "迈腾 330TSI",
               "--date", "2026-10-01")
    assert (done["product_category"], done["product_model"], done["product_date"]) == ("配件", "迈腾 330TSI",
                                                                                      "2026-10-01")


@pytest.fixture
def book(cli, lead):
    """Complaint 1 open and replied, 2 an open product complaint, 3 resolved and surveyed, 4 at the last level."""
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "服务差")
    act(cli, "reply", "1", "--text", "已回复")
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "product", "--summary", "异响")
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "等太久")
    act(cli, "resolve", "3", "--invalid", "--action", "已解释")
    act(cli, "survey", "3", "--score", "4")
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "升级")
    act(cli, "escalate", "4", "--to", "孙客服")
    act(cli, "escalate", "4", "--to", "王经理")
    return cli


NEW = ["complaint", "new", "--channel", "phone", "--kind", "service", "--summary", "x"]


@pytest.mark.parametrize("args, actor, code, message", [
    (["complaint", "reply", "99", "--text", "x"], "孙客服", ExitCode.NOT_FOUND, "no complaint with id 99"),
    (["complaint", "show", "99"], "孙客服", ExitCode.NOT_FOUND, "no complaint with id 99"),
    ([*NEW, "--customer", "42"], "张前台", ExitCode.NOT_FOUND, "no lead with id 42"),
    ([*NEW, "--customer", "13700137000"], "张前台", ExitCode.NOT_FOUND, "no lead with phone 137****7000"),
    (["complaint", "escalate", "1", "--to", "无名"], "孙客服", ExitCode.NOT_FOUND, "no colleague named '无名'"),
    (["complaint", "new", "--customer", "1", "--channel", "pigeon", "--kind", "service", "--summary", "x"], "张前台",
     ExitCode.DATA, "unknown complaint channel 'pigeon'"),
    (["complaint", "new", "--customer", "1", "--channel", "fax", "--kind", "价格", "--summary", "x"], "张前台",
     ExitCode.DATA, "unknown complaint kind '价格'"),
    ([*NEW, "--phone", "12345"], "张前台", ExitCode.DATA, "not a phone number"),
    (["complaint", "new", "--customer", "1", "--channel", "fax", "--kind", "service", "--summary", " "], "张前台",
     ExitCode.DATA, "needs its content"),
    ([*NEW, "--customer", "1", "--phone", PHONE], "张前台", ExitCode.USAGE, "name the customer once"),
    (NEW, "张前台", ExitCode.USAGE, "name the customer who complains"),
    (["complaint", "survey", "3", "--score", "0"], "孙客服", ExitCode.DATA, "score 0 is out of range"),
    (["complaint", "survey", "3", "--score", "6"], "孙客服", ExitCode.DATA, "score 6 is out of range"),
    (["complaint", "resolve", "1", "--action", "x"], "孙客服", ExitCode.USAGE, "--valid (our fault) or --invalid"),
    (["complaint", "resolve", "2", "--valid", "--action", "x"], "孙客服", ExitCode.USAGE,
     "give --category, --model and --date"),
    (["complaint", "resolve", "2", "--valid", "--action", "x", "--category", "整车"], "孙客服", ExitCode.USAGE,
     "is about a product"),
    (["complaint", "resolve", "2", "--valid", "--action", "x", "--category", "整车", "--model", "迈腾", "--date",
      "2026-13-01"], "孙客服", ExitCode.DATA, "--date '2026-13-01' is not a date"),
    (["complaint", "survey", "1", "--score", "5"], "孙客服", ExitCode.REFUSED, "complaint 1 is still open"),
    (["complaint", "survey", "3", "--score", "5"], "孙客服", ExitCode.REFUSED, "was surveyed on 2026-11-24"),
    (["complaint", "escalate", "4", "--to", "王经理"], "王经理", ExitCode.REFUSED, "at the last level (总经理)"),
    (["complaint", "escalate", "1", "--to", "李娜"], "孙客服", ExitCode.REFUSED, "李娜 (consultant) does not handle"),
    (["complaint", "reply", "1", "--text", "x"], "孙客服", ExitCode.REFUSED, "has had its first reply"),
    (["complaint", "progress", "3", "--note", "x"], "孙客服", ExitCode.REFUSED, "complaint 3 is resolved"),
    (["complaint", "resolve", "3", "--valid", "--action", "x"], "孙客服", ExitCode.REFUSED, "complaint 3 is resolved"),
    (["--now", "2026-11-24T08:00", "complaint", "progress", "1", "--note", "x"], "孙客服", ExitCode.DATA,
     "acts are recorded in order"),
])
def test_bad_input_changes_nothing(book, args, actor, code, message):
    before = book.fingerprint()
    result = book(*args, actor=actor, code=code)
    assert message in result.stderr
    assert book.fingerprint() == before


@pytest.mark.parametrize("args, actor", [
    (["reply", "1", "--text", "x"], "张前台"),            # the receptionist registers, never handles
    (["progress", "1", "--note", "x"], "李娜"),
    (["escalate", "2", "--to", "王经理"], "赵电销"),
    (["resolve", "2", "--valid", "--action", "x", "--category", "a", "--model", "b", "--date", "2026-10-01"], "陈刚"),
    (["survey", "3", "--score", "5"], "李娜"),
])
def test_who_may_handle_and_survey(book, args, actor):
    before = book.query("SELECT * FROM complaints"), book.query("SELECT * FROM complaint_acts")
    book("complaint", *args, actor=actor, code=ExitCode.PERMISSION)
    assert (book.query("SELECT * FROM complaints"), book.query("SELECT * FROM complaint_acts")) == before
    assert json.loads(book.scalar("SELECT detail FROM events WHERE action = 'denied'"))["act"] in (
        "complaint.handle", "complaint.survey")


def test_who_may_register_and_who_then_handles_it(cli, lead):
    cli("staff", "add", "刘电销经理", "--role", "manager", "--team", "dcc", actor="王经理")
    # customer service and managers handle what they register; anyone else's goes to their team's manager (the
    # store's first manager when their team has none)
    handlers = {"张前台": "王经理", "李娜": "王经理", "赵电销": "刘电销经理", "孙客服": "孙客服", "王经理": "王经理"}
    for actor, handler in handlers.items():
        done = new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "x", actor=actor)
        assert done["responsible"] == handler, actor
    chosen = new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "x", "--to", "孙客服")
    assert chosen["responsible"] == "孙客服"
    act(cli, "reply", str(chosen["id"]), "--text", "已致歉")                    # hers to answer
    before = cli.query("SELECT * FROM complaints")
    refused = cli(*NEW, "--customer", "1", "--to", "李娜", actor="张前台", code=ExitCode.REFUSED)
    assert "李娜" in refused.stderr and cli.query("SELECT * FROM complaints") == before
    assert cli.scalar("SELECT count(*) FROM complaints") == 6
    cli(*NEW, "--customer", "1", actor="无名", code=ExitCode.PERMISSION)
    cli(*NEW, "--customer", "1", code=ExitCode.PERMISSION)                      # nobody named
    assert cli.scalar("SELECT count(*) FROM complaints") == 6


def test_list_and_show(book):
    every = book.json("complaint", "list", actor="王经理")
    assert [(r["id"], r["status"], r["level"]) for r in every] == [
        (1, "open", "主管"), (2, "open", "主管"), (3, "resolved", "主管"), (4, "open", "总经理")]
    assert [r["id"] for r in book.json("complaint", "list", "--open", actor="王经理")] == [1, 2, 4]
    lines = book("complaint", "list", "--csv", actor="王经理").stdout.splitlines()
    assert lines[0].startswith("ID,Received at,") and len(lines) == 5
    codes = book("complaint", "list", "--csv", "--codes", actor="王经理").stdout.splitlines()
    assert codes[0].split(",") == list(every[0])
    assert "Complaints: 4" in book("complaint", "list", actor="王经理").stdout
    card = book.json("complaint", "show", "4", actor="王经理")
    assert [a["act"] for a in card["acts"]] == ["new", "escalate", "escalate"]
    assert [(d["what"], d["breached"]) for d in card["deadlines"]] == [("reply", False), ("result", False)]
    shown = book("complaint", "show", "4", actor="王经理").stdout
    assert "总经理" in shown and "escalate" in shown and "Deadlines" in shown


def test_the_due_query_uses_the_open_deadline_index(cli):
    plan = cli.query("EXPLAIN QUERY PLAN SELECT c.id FROM complaints c WHERE c.next_deadline <= ?"
                     " ORDER BY c.next_deadline", "2026-11-25T00:00:00")
    assert any("complaints_due" in row[-1] for row in plan)
    mine = cli.query("EXPLAIN QUERY PLAN SELECT c.id FROM complaints c WHERE c.next_deadline <= ?"
                     " AND c.responsible_id = ?", "2026-11-25T00:00:00", 2)
    assert any("complaints_responsible_due" in row[-1] for row in mine)


def test_every_complaint_command_has_help(cli):
    out = cli("complaint", "--help").stdout
    for name in ("new", "reply", "progress", "escalate", "resolve", "survey", "list", "show"):
        assert name in out


ROLES = {"manager": "王经理", "consultant": "李娜", "receptionist": "张前台", "telesales": "赵电销",
         "service": "孙客服", "direct-sales": "周直销", "admin": "管理员"}
ACTS = {"complaint.new": [*NEW, "--customer", "1"], "complaint.handle": ["complaint", "progress", "1", "--note", "x"],
        "complaint.survey": ["complaint", "survey", "2", "--score", "4"]}
MAY = {"complaint.new": {"manager", "consultant", "receptionist", "telesales", "service", "direct-sales"},
       "complaint.handle": {"manager", "service"}, "complaint.survey": {"manager", "service"}}
MATRIX = [(what, role) for what in ACTS for role in ROLES]


@pytest.mark.parametrize("what, role", MATRIX, ids=[f"{w}-{r}" for w, r in MATRIX])
def test_the_role_matrix(cli, lead, what, role):
    """The complaint acts for every role: allowed, or refused with exit 77 and the refusal audited."""
    cli("staff", "add", "周直销", "--role", "direct-sales", "--team", "dcc", actor="王经理")
    cli("staff", "add", "管理员", "--role", "admin", actor="王经理")
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "x")
    new(cli, "--customer", "1", "--channel", "phone", "--kind", "service", "--summary", "y")
    act(cli, "resolve", "2", "--valid", "--action", "已处理")
    allowed = role in MAY[what]
    assert allowed == (scope(what, Role(role)) is not None)
    result = cli(*ACTS[what], actor=ROLES[role], code=ExitCode.OK if allowed else ExitCode.PERMISSION)
    if not allowed:
        assert f"may not {what}" in result.stderr
        assert cli.query("SELECT json_extract(detail, '$.act') FROM events WHERE action = 'denied'") == [(what,)]


def test_an_empty_list_is_its_title_alone(cli):
    assert cli("complaint", "list", actor="王经理").stdout == "Complaints: 0\n"
    assert cli.json("complaint", "list", actor="王经理") == []


def test_refusals_read_wholly_chinese_under_zh(cli, lead, zh):
    before = cli.fingerprint()
    empty = cli("complaint", "new", "--customer", "1", "--channel", "电话", "--kind", "服务", "--summary", " ",
                actor="张前台", code=ExitCode.DATA).stderr
    assert empty == "leadctl：投诉需要写明内容；用 --summary 写明客户投诉什么\n"
    nobody = cli("complaint", "new", "--channel", "电话", "--kind", "服务", "--summary", "x", actor="张前台",
                 code=ExitCode.USAGE).stderr
    assert "请指明投诉的客户" in nobody and "只需指定一次" not in nobody
    assert cli.fingerprint() == before
