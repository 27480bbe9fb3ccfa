import json

import pytest

from leadctl.errors import ExitCode
from tests.conftest import intake

MONTH_END = "2026-11-30T23:00"


def events(cli, action):
    return [json.loads(d) for (d,) in cli.query("SELECT detail FROM events WHERE action = ? ORDER BY id", action)]


def owner_and_pool(cli, lead_id):
    return cli.query("SELECT s.name, l.pool, l.status FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
                     " WHERE l.id = ?", lead_id)[0]


@pytest.fixture
def lead(cli):
    intake(cli, "13800138000", owner="李娜")
    return "13800138000"


def test_a_manager_transfers_a_lead_and_the_history_keeps_it(cli, lead):
    out = cli.json("transfer", lead, "--to", "陈刚", "--reason", "李娜休产假", actor="王经理", now="2026-11-25T10:00")
    assert out == {"lead_id": 1, "from_owner": "李娜", "from_pool": None, "to": "陈刚", "reason": "李娜休产假"}
    assert owner_and_pool(cli, 1) == ("陈刚", None, "active")
    assert cli.query("SELECT at, by_id, from_id, to_id, reason, rule FROM owners ORDER BY id DESC LIMIT 1") == [
        ("2026-11-25T10:00:00", 1, 2, 3, "transfer: 李娜休产假", None)]
    assert events(cli, "transfer") == [{"from_id": 2, "from_pool": None, "to_id": 3}]  # the reason: in owners only
    plain = cli.json("transfer", "1", "--to", "赵电销", actor="王经理")
    assert plain["reason"] is None
    assert cli.scalar("SELECT reason FROM owners ORDER BY id DESC LIMIT 1") == "transfer"


@pytest.mark.parametrize("args, actor, code, message", [
    (["99", "--to", "陈刚"], "王经理", ExitCode.NOT_FOUND, "no lead with id 99"),
    (["13800138000", "--to", "无此人"], "王经理", ExitCode.NOT_FOUND, "no receiving staff member named '无此人'"),
    (["13800138000", "--to", "张前台"], "王经理", ExitCode.REFUSED, "does not own leads"),
    (["13800138000", "--to", "李娜"], "王经理", ExitCode.REFUSED, "already owns lead 1"),
    (["13800138000"], "王经理", ExitCode.USAGE, "Missing option '--to'"),
])
def test_bad_transfers_change_nothing(cli, lead, args, actor, code, message):
    before = cli.fingerprint()
    result = cli("transfer", *args, actor=actor, code=code)
    assert message in result.stderr
    assert cli.fingerprint() == before


def test_a_consultant_cannot_transfer(cli, lead):
    result = cli("transfer", lead, "--to", "陈刚", actor="李娜", code=ExitCode.PERMISSION)
    assert "may not transfer" in result.stderr
    assert owner_and_pool(cli, 1) == ("李娜", None, "active")
    assert events(cli, "denied") == [{"act": "transfer"}]
    cli("transfer", "sweep", actor="李娜", code=ExitCode.PERMISSION)
    cli("transfer", "sweep", code=ExitCode.PERMISSION)
    assert cli.scalar("SELECT count(*) FROM owners") == 1


@pytest.fixture
def store(cli):
    """One lead for each sweep row, and one that stays, all looked at on the last day of November."""
    intake(cli, "13900000001", owner="李娜", grade="B", arrived="2026-11-10T10:00")           # 1: month-end
    intake(cli, "13900000002", owner="陈刚", grade="A", arrived="2026-09-01T10:00")           # 2: not closed in 60 days
    intake(cli, "13900000003", owner="李娜", grade="H", arrived="2026-11-20T10:00")           # 3: stays
    intake(cli, "13900000004", channel="web", grade="A", actor="赵电销", arrived="2026-10-20T10:00")  # 4: invited
    cli.json("invite", "13900000004", "--on", "2026-10-22T10:00", actor="赵电销", now="2026-10-20T10:05")
    intake(cli, "13900000005", channel="call", actor="赵电销", arrived="2026-05-01T10:00")      # 5: no effect
    cli.json("grade", "13900000005", "L", actor="赵电销", now="2026-05-01T10:10")
    return cli


EXPECTED = [
    {"lead_id": 1, "rule": "month-end-showroom", "from_owner": "李娜", "from_pool": None, "to": "dcc"},
    {"lead_id": 2, "rule": "not-closed-2-months", "from_owner": "陈刚", "from_pool": None, "to": "dcc"},
    {"lead_id": 4, "rule": "invited-no-show-30-days", "from_owner": "赵电销", "from_pool": None, "to": "manager"},

]
OFFERS = [{"lead_id": 5, "rule": "no-effect-6-months", "owner": "赵电销", "pool": None, "no_effect_since": "2026-05-01",
           "outcomes": ["lost", "transfer"],
           "commands": ["leadctl lost 5 --attempts N", "leadctl transfer 5 --to STAFF"]}]


def test_dry_run_lists_the_moves_and_changes_nothing(store):
    before = store.fingerprint()
    out = store.json("transfer", "sweep", "--dry-run", actor="王经理", now=MONTH_END)
    assert out.pop("escalations")
    assert out == {"day": "2026-11-30", "dry_run": True, "moves": EXPECTED, "no_shows": [1], "offers": OFFERS}
    table = store("transfer", "sweep", "--dry-run", actor="王经理", now=MONTH_END)
    assert "at month end, showroom, grade B/C/D/F/L" in table.stdout and "would move 3 leads" in table.stdout
    assert "no effect for 6 months" in table.stdout and "mark lost or transfer" in table.stdout
    assert "showroom, registered over 60 days ago" in table.stdout and "DCC pool" in table.stdout
    assert "invited over 30 days ago, never came" in table.stdout and "manager's queue" in table.stdout
    assert store.fingerprint() == before


def test_a_large_sweep_streams_one_object_a_line_and_the_terminal_summarises(store):
    out = store.json("transfer", "sweep", "--dry-run", actor="王经理", now=MONTH_END)
    lines = store("transfer", "sweep", "--dry-run", "--jsonl", actor="王经理", now=MONTH_END).stdout.splitlines()
    items = [json.loads(line) for line in lines]
    head, rest = items[0], items[1:]
    assert head["kind"] == "sweep" and head["moves"] == len(out["moves"]) and head["offers"] == len(out["offers"])
    assert sum(r["leads"] for r in head["by_rule"]) == len(out["moves"]) + len(out["offers"])
    assert [{k: v for k, v in i.items() if k != "kind"} for i in rest if i["kind"] == "move"] == out["moves"]
    assert [i["invitation_id"] for i in rest if i["kind"] == "no_show"] == out["no_shows"]
    compact = store("transfer", "sweep", "--dry-run", "--json", actor="王经理", now=MONTH_END).stdout
    assert "\n  " not in compact and json.loads(compact) == out
    table = store("transfer", "sweep", "--dry-run", actor="王经理", now=MONTH_END).stdout
    assert table.count("no effect for 6 months") == 2 and table.count("registered over 60 days") == 2
    store("transfer", "sweep", "--dry-run", "--json", "--jsonl", actor="王经理", now=MONTH_END, code=ExitCode.USAGE)


def test_the_sweep_applies_every_rule_once(store):
    out = store.json("transfer", "sweep", actor="王经理", now=MONTH_END)
    assert out.pop("escalations")
    assert out == {"day": "2026-11-30", "dry_run": False, "moves": EXPECTED, "no_shows": [1], "offers": OFFERS}
    assert [owner_and_pool(store, i) for i in range(1, 6)] == [
        (None, "dcc", "active"), (None, "dcc", "active"), ("李娜", None, "active"), (None, "manager", "active"),
        ("赵电销", None, "active")]  # an offer is the manager's to decide: nothing moves
    assert store.query("SELECT lead_id, status, previous, act, reason FROM statuses") == []
    assert store.query("SELECT lead_id, at, by_id, from_id, to_id, rule FROM owners WHERE rule IS NOT NULL"
                       " ORDER BY lead_id") == [
        (1, "2026-11-30T23:00:00", 1, 2, None, "month-end-showroom"),
        (2, "2026-11-30T23:00:00", 1, 3, None, "not-closed-2-months"),
        (4, "2026-11-30T23:00:00", 1, 5, None, "invited-no-show-30-days")]
    assert events(store, "sweep") == [
        {"rule": m["rule"], "from_id": [2, 3, 5][i], "from_pool": None, "to": m["to"]}
        for i, m in enumerate(EXPECTED)]
    assert store.scalar("SELECT status FROM invitations") == "no-show"


def test_a_second_sweep_the_same_day_moves_nothing(store):
    store.json("transfer", "sweep", actor="王经理", now=MONTH_END)
    before = store.fingerprint()
    again = store.json("transfer", "sweep", actor="王经理", now="2026-11-30T23:30")
    assert (again["moves"], again["no_shows"]) == ([], [])
    assert store.fingerprint() == before
    assert store.json("transfer", "sweep", actor="王经理", now="2026-12-01T01:00")["moves"] == []


def test_the_manager_redistributes_and_the_sweep_respects_it(store):
    store.json("transfer", "sweep", actor="王经理", now=MONTH_END)
    out = store.json("transfer", "13900000004", "--to", "赵电销", "--reason", "再跟一次", actor="王经理",
                     now="2026-12-01T09:00")
    assert (out["from_owner"], out["from_pool"], out["to"]) == (None, "manager", "赵电销")
    store.json("transfer", "2", "--to", "李娜", actor="王经理", now="2026-12-01T09:05")
    assert store.json("transfer", "sweep", actor="王经理", now="2026-12-02T01:00")["moves"] == []
    assert [owner_and_pool(store, i)[:2] for i in (2, 4)] == [("李娜", None), ("赵电销", None)]
    store.json("transfer", "5", "--to", "李娜", actor="王经理", now="2026-12-01T09:10")  # the manager hands it on
    assert store.json("transfer", "sweep", actor="王经理", now="2026-12-02T01:00")["offers"] == []


@pytest.mark.parametrize("created, moved", [("2026-09-25T18:00", False), ("2026-09-24T18:00", True)])
def test_the_60_day_boundary_through_the_cli(cli, created, moved):
    intake(cli, "13900000009", owner="李娜", grade="C", arrived=created)
    out = cli.json("transfer", "sweep", actor="王经理", now="2026-11-24T02:00")
    assert [m["rule"] for m in out["moves"]] == (["not-closed-2-months"] if moved else [])


def test_the_month_end_rule_waits_for_the_last_day(cli):
    intake(cli, "13900000001", owner="李娜", grade="B")
    assert cli.json("transfer", "sweep", actor="王经理", now="2026-11-29T23:00")["moves"] == []
    human = cli("transfer", "sweep", actor="王经理", now="2026-11-30T06:00")
    assert "moved 1 leads" in human.stdout
    assert owner_and_pool(cli, 1) == (None, "dcc", "active")


def test_the_month_end_sweep_leaves_the_showroom_only_h_and_a(cli):
    """[001] "只能留存H、A级客户,其余由销售主管直接划转": C and D leads go to the DCC with B, L and F."""
    for i, grade in enumerate("HABCD", start=1):
        intake(cli, f"1390000000{i}", owner="李娜", grade=grade, arrived="2026-11-20T10:00")
    out = cli.json("transfer", "sweep", actor="王经理", now=MONTH_END)
    assert [(m["lead_id"], m["rule"]) for m in out["moves"]] == [(i, "month-end-showroom") for i in (3, 4, 5)]
    assert cli.query("SELECT l.grade, s.name, l.pool FROM leads l LEFT JOIN staff s ON s.id = l.owner_id"
                     " ORDER BY l.id") == [("H", "李娜", None), ("A", "李娜", None), ("B", None, "dcc"),
                                           ("C", None, "dcc"), ("D", None, "dcc")]


@pytest.mark.parametrize("grade", ["B", "C", "D", "A"])
def test_half_a_year_without_effect_offers_the_manager_both_outcomes(cli, grade):
    """[003] "客户无法联系,拒接电话,长时间无跟踪效果半年以上可同意撤卡或转交他人跟进": any active lead, not L only."""
    intake(cli, "13900000001", owner="赵电销", grade=grade, channel="call", arrived="2026-05-20T10:00")
    for month in ("06", "08", "10"):  # followed up, but never with a rise
        cli.json("followup", "1", "--result", "还在考虑", actor="赵电销", now=f"2026-{month}-20T10:00")
    intake(cli, "13900000002", owner="赵电销", grade="C", channel="call", arrived="2026-05-20T10:00")
    cli.json("grade", "2", "B", actor="赵电销", now="2026-09-01T10:00")  # a rise: six months from here
    before = cli.fingerprint()
    dry = cli.json("transfer", "sweep", "--dry-run", actor="王经理", now="2026-11-24T02:00")
    assert [(o["lead_id"], o["no_effect_since"], o["outcomes"]) for o in dry["offers"]] == [
        (1, "2026-05-20", ["lost", "transfer"])]
    assert cli.fingerprint() == before
    assert cli.json("transfer", "sweep", "--dry-run", actor="王经理", now="2026-11-19T02:00")["offers"] == []
    cli.json("lost", "1", "--attempts", "3", actor="王经理", now="2026-11-24T10:00")  # the manager closes it as lost
    assert cli.query("SELECT status, grade FROM leads WHERE id = 1") == [("lost", "L")]
    assert cli.json("transfer", "sweep", "--dry-run", actor="王经理", now="2026-11-25T02:00")["offers"] == []
