import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake

ADMIN = "管理员"  # sees every phone in full, and has no review rows of its own in `due`


@pytest.fixture
def store(cli):
    """Leads owned by two consultants and telesales, contacted on different days."""
    for phone, owner, grade, day in [
        ("13800000001", "李娜", "H", "2026-11-18T10:00"),   # H every 2d -> due 11-20, 4 days overdue
        ("13800000002", "李娜", "A", "2026-11-17T10:00"),   # A every 7d -> due 11-24, today
        ("13800000003", "陈刚", "B", "2026-11-20T10:00"),   # B every 15d -> due 12-05
        ("13800000004", "陈刚", "D", "2026-11-01T10:00"),   # D: never due
        ("13800000005", "赵电销", "C", "2026-10-20T10:00"),  # C every 30d -> due 11-19
    ]:
        intake(cli, phone, owner=owner, arrived=day)
        cli.json("followup", phone, "--result", "首次回访", "--grade", grade, "--at", day, actor=owner)
    intake(cli, "13800000006", owner="李娜")                  # new today: first contact due today
    cli.json("intake", "--no-contact", "--party", "2", actor="张前台")  # W: never due
    cli("staff", "add", ADMIN, "--role", "admin", actor="王经理")
    return cli


def test_everything_due_most_overdue_first_with_reasons(store):
    rows = store.json("due", "--all", actor=ADMIN)
    assert [(r["phone"], r["due_on"], r["overdue_days"]) for r in rows] == [
        ("13800000005", "2026-11-19", 5),
        ("13800000001", "2026-11-20", 4),
        ("13800000002", "2026-11-24", 0),
        ("13800000006", "2026-11-24", 0),
    ]
    assert set(rows[0]) >= {"lead_id", "name", "phone", "grade", "owner", "due_on", "overdue_days", "reason"}
    assert rows[0]["reason"] == "C every 30d, last contact 2026-10-20"
    assert rows[3]["reason"].startswith("first contact same day")


def test_scopes(store):
    assert {r["owner"] for r in store.json("due", "--owner", "李娜", actor=ADMIN)} == {"李娜"}
    assert {r["owner"] for r in store.json("due", "--team", "dcc", actor=ADMIN)} == {"赵电销"}
    assert {r["owner"] for r in store.json("due", "--team", "展厅", actor=ADMIN)} == {"李娜"}
    assert {r["owner"] for r in store.json("due", actor="李娜")} == {"李娜"}      # a consultant's own list
    managers = store.json("due", actor="王经理")                                # a manager sees all...
    assert len([r for r in managers if r["lead_id"]]) == 4
    reviews = [r for r in managers if r["lead_id"] is None]                   # ...and reviews waiting > 48h
    assert [(r["owner"], r["due_on"]) for r in reviews] == [("陈刚", "2026-11-03"), ("李娜", "2026-11-19")]
    assert "2 follow-up(s) by 李娜 await review" in reviews[1]["reason"]
    store("due", "--owner", "李娜", "--all", code=ExitCode.USAGE, actor=ADMIN)
    store("due", "--owner", "无名", code=ExitCode.NOT_FOUND, actor=ADMIN)


def test_on_a_later_day_and_overdue_only(store):
    later = store.json("due", "--all", "--on", "2026-12-05", actor=ADMIN)
    assert "13800000003" in {r["phone"] for r in later}
    overdue = store.json("due", "--all", "--overdue", actor=ADMIN)
    assert [r["overdue_days"] for r in overdue] == [5, 4]
    store("due", "--on", "2026-13-01", code=ExitCode.DATA, actor=ADMIN)
    store("due", "--today", "--on", "2026-12-01", code=ExitCode.USAGE, actor=ADMIN)


def test_fail_if_overdue_for_cron(store):
    store("due", "--all", "--fail-if-overdue", code=ExitCode.ATTENTION, actor=ADMIN)
    store("due", "--owner", "陈刚", "--fail-if-overdue", actor=ADMIN)


def test_csv_and_table(store):
    lines = store("due", "--all", "--csv", actor=ADMIN).stdout.splitlines()
    assert lines[0] == "Lead ID,Name,Phone,Grade,Owner,Due on,Overdue days,Reason,Review,Rung,Score"
    assert len(lines) == 5
    table = store("due", "--all", actor=ADMIN).stdout
    assert "4 leads, 2 overdue" in table
    nothing = store("due", "--owner", "王经理", actor=ADMIN)  # a manager owns no leads: the title alone
    assert nothing.stdout.endswith("0 leads, 0 overdue\n") and nothing.stdout.count("\n") == 1
    assert nothing.stderr == ""


def test_following_up_takes_a_lead_off_todays_list(store):
    store.json("followup", "13800000001", "--result", "已约周六试驾", actor="李娜")
    phones = {r["phone"] for r in store.json("due", "--all", actor=ADMIN)}
    assert "13800000001" not in phones


def test_dcc_policy_first_contact_within_24_hours(bare, tmp_path):
    bare("init", "--policy", "dcc")
    bare("staff", "add", "王经理", "--role", "manager")
    bare("staff", "add", "赵电销", "--role", "telesales", "--team", "dcc", actor="王经理")
    bare.json("intake", "--name", "钱多", "--phone", "13700000001", "--channel", "web", actor="赵电销",
              now="2026-11-24T18:00")
    assert bare.json("due", "--all", now="2026-11-24T19:00", actor="赵电销") == []
    [row] = bare.json("due", "--all", now="2026-11-25T09:00", actor="赵电销")
    assert row["due_on"] == "2026-11-25" and "within 24h" in row["reason"]


def test_telesales_see_the_dcc_pool_with_their_own(store):
    store.json("transfer", "sweep", actor="王经理", now="2026-11-30T07:00")  # month end: all but H/A to the DCC pool
    store.json("intake", "--name", "池", "--phone", "13800000009", "--channel", "web", actor="赵电销")
    pooled = store.query("SELECT id FROM leads WHERE pool = 'dcc'")
    assert pooled == [(3,), (4,)]                                             # 陈刚's B and D leads
    mine = {r["lead_id"] for r in store.json("due", "--on", "2026-12-31", actor="赵电销")}
    assert 3 in mine  # the D lead is in the pool too, never due
    assert {r["lead_id"] for r in store.json("due", "--on", "2026-12-31", "--team", "dcc", actor=ADMIN)} >= mine


def test_priority_explained_and_the_default_order_pinned(store):
    rows = store.json("due", "--all", "--explain", actor=ADMIN)
    assert [(r["phone"], r["score"], r["terms"]) for r in rows] == [
        ("13800000005", 5.1, {"days_overdue": 5.0, "grade": 0.1}),
        ("13800000001", 4.4, {"days_overdue": 4.0, "grade": 0.4}),
        ("13800000002", 0.3, {"grade": 0.3}),
        ("13800000006", 0, {}),
    ]
    assert [r["rung"] for r in rows] == [3, 2, None, None]  # working days after 11-19 (Thu) and 11-20 (Fri)
    table = store("due", "--all", "--explain", actor=ADMIN).stdout
    assert "days_overdue 5 + grade 0.1" in table
    assert "terms" not in store.json("due", "--all", actor=ADMIN)[0]


def test_the_policys_weights_order_the_list(store, tmp_path):
    store("invite", "13800000006", "--on", "2026-11-25T10:00", actor="王经理")
    default = [r["phone"] for r in store.json("due", "--all", actor=ADMIN)]
    assert default == ["13800000005", "13800000001", "13800000002", "13800000006"]  # 0.3 each: the due order holds
    weights = tmp_path / "weights.toml"
    weights.write_text("[priority]\ninvitation_tomorrow = 4.5\noverdue_day = 1.0\n", encoding="utf-8")
    store("policy", "set-file", str(weights), actor="王经理")
    rows = store.json("due", "--all", "--explain", actor=ADMIN)
    assert [r["phone"] for r in rows] == ["13800000005", "13800000006", "13800000001", "13800000002"]
    assert rows[1]["terms"] == {"invitation_tomorrow": 4.5}


def test_the_whole_stores_list_is_read_through_the_one_due_date_index(store):
    alone = store.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads'"
                        " AND sql LIKE '%(next_due)%'")
    assert alone == [("leads_next_due",)]  # migration 0023: one index on the due date alone
    plan = store.query("EXPLAIN QUERY PLAN SELECT id FROM leads l WHERE l.next_due <= '2026-11-20'"
                       " ORDER BY l.next_due, l.id")
    assert "USING COVERING INDEX leads_next_due" in plan[0][-1]
